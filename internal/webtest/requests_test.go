package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/testenv"
)

// apiLog counts the API requests that reach the gateway, by method, path and status.
type apiLog struct {
	mu    sync.Mutex
	count map[string]int
	next  http.Handler
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) { w.status = s; w.ResponseWriter.WriteHeader(s) }

func (l *apiLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	l.next.ServeHTTP(sw, r)
	if len(r.URL.Path) > 4 && r.URL.Path[:4] == "/v1/" {
		l.mu.Lock()
		l.count[fmt.Sprintf("%s %s %d", r.Method, r.URL.Path, sw.status)]++
		l.mu.Unlock()
	}
}

func (l *apiLog) get(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count[key]
}

// takeQuiz answers the ten questions of the demo quiz (the first option of each) and
// submits.
func takeQuiz(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	for i := 1; i <= 10; i++ {
		actions := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(`#question-text`), chromedp.Click(`input[name="opt"]`)}
		if i < 10 {
			actions = append(actions, chromedp.Click(`#next`))
		}
		run(t, ctx, fmt.Sprintf("%s: answer question %d", step, i), actions...)
	}
	run(t, ctx, step+": submit", chromedp.Click(`#submit`), chromedp.WaitVisible(`#result`))
}

func TestASecondAttemptAsksTheAPIOnlyToStartAndSubmit(t *testing.T) {
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	log := &apiLog{count: map[string]int{}, next: stack.Gateway}
	srv := httptest.NewServer(log)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	quizButton := `button.quiz-item[data-quiz-id="demo-nq58-quiz"]`

	run(t, ctx, "open the page",
		chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"),
		chromedp.WaitVisible(quizButton), chromedp.Click(quizButton), chromedp.WaitVisible(`#start`),
	)
	openMoreInfo(t, ctx)
	run(t, ctx, "start", chromedp.SendKeys(`#name`, "Lê Thị Mai"), chromedp.Click(`#consent`), chromedp.Click(`#start`))
	takeQuiz(t, ctx, "first attempt")
	run(t, ctx, "take the quiz again", chromedp.Click(`#again`), chromedp.WaitVisible(quizButton), chromedp.Click(quizButton),
		chromedp.WaitVisible(`#start`))
	if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('consent').checked`)) {
		run(t, ctx, "consent again", chromedp.Click(`#consent`))
	}
	run(t, ctx, "start again", chromedp.Click(`#start`))
	takeQuiz(t, ctx, "second attempt")
	// The page opened again within the minute: the lists come from the browser's cache
	// or are revalidated with a 304, never sent again.
	run(t, ctx, "open the page again", chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"), chromedp.WaitVisible(quizButton))
	t.Logf("API requests reaching the gateway: %v", log.count)

	cases := []struct {
		name string
		key  string
		want int
	}{
		{"the unit list is sent once", "GET /v1/units 200", 1},
		{"the quiz list is sent once", "GET /v1/quizzes 200", 1},
		{"each attempt is started once", "POST /v1/quizzes/demo-nq58-quiz/attempts 201", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := log.get(c.key); got != c.want {
				t.Errorf("%s: %d requests, want %d (all: %v)", c.key, got, c.want, log.count)
			}
		})
	}
	t.Run("each attempt asks the API twice: start and submit", func(t *testing.T) {
		log.mu.Lock()
		defer log.mu.Unlock()
		perAttempt := 0
		for k, n := range log.count {
			var method, path string
			var status int
			fmt.Sscanf(k, "%s %s %d", &method, &path, &status)
			if status != http.StatusNotModified {
				perAttempt += n
			}
		}
		// Two attempts; the lists' one answer each belongs to the first visit.
		if got := float64(perAttempt-2) / 2; got != 2 {
			t.Errorf("API requests per attempt beyond the first visit's lists = %.1f, want 2 (all: %v)", got, log.count)
		}
	})
}
