package webtest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

func TestResidentTakesTheQuizOnAPhone(t *testing.T) {
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Gateway)
	t.Cleanup(srv.Close)
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	byText := map[string]quiz.Question{}
	for _, q := range qs[0].Questions {
		byText[q.Text] = q
	}
	ctx := browser(t)

	// A village's QR code link preselects the village.
	run(t, ctx, "open the page from a village link",
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"),
		chromedp.WaitVisible(`button.quiz-item[data-quiz-id="demo-nq58-quiz"]`),
		chromedp.Click(`button.quiz-item[data-quiz-id="demo-nq58-quiz"]`),
		chromedp.WaitVisible(`#start`),
	)
	preset := value(t, ctx, chromedp.Evaluate[string](`(function(){var s=document.querySelectorAll('select.unit-select');return s[s.length-1].value})()`))
	if preset != "xa-a-t01" {
		t.Fatalf("village preselected from the link = %q, want xa-a-t01", preset)
	}
	openMoreInfo(t, ctx) // name and phone are optional: a tap away
	run(t, ctx, "fill in the form",
		chromedp.SendKeys(`#name`, "Lê Thị Mai"),
		chromedp.SendKeys(`#phone`, "0912 000 111"),
		chromedp.Click(`#consent`),
	)
	shot(t, ctx, "form")
	run(t, ctx, "start",
		chromedp.Click(`#start`),
		chromedp.WaitVisible(`#question-text`),
	)
	scrollWidth := value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if scrollWidth > 360 {
		t.Errorf("page is %d px wide on a 360 px screen, want no horizontal scroll", scrollWidth)
	}

	for i := 1; i <= 10; i++ {
		run(t, ctx, fmt.Sprintf("show question %d", i), chromedp.WaitVisible(`#question-text`))
		text := value(t, ctx, chromedp.Text(`#question-text`))
		progress := value(t, ctx, chromedp.Text(`#progress`))
		if !strings.Contains(progress, fmt.Sprintf("%d/10", i)) {
			t.Errorf("progress = %q, want it to show %d/10", progress, i)
		}
		if i == 1 {
			shot(t, ctx, "question")
		}
		q, ok := byText[strings.TrimSpace(text)]
		if !ok {
			t.Fatalf("question %q is not in the demo bank", text)
		}
		var actions []chromedp.Action[chromedp.Void]
		for _, id := range q.CorrectOptionIDs {
			actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="opt"][value="%s"]`, id)))
		}
		if i < 10 {
			actions = append(actions, chromedp.Click(`#next`))
		}
		run(t, ctx, fmt.Sprintf("answer question %d", i), actions...)
		if i == 5 {
			// The server holds nothing before the submit: a reload resumes from what the
			// page kept (questions, answers, start token), at the next question.
			run(t, ctx, "reload in the middle of the attempt", chromedp.Reload(), chromedp.WaitVisible(`#question-text`))
		}
	}

	// The network drops as the resident submits: the answers stay and are resent.
	setOffline(t, ctx, true)
	run(t, ctx, "submit while offline", chromedp.Click(`#submit`), chromedp.WaitVisible(`#retry-notice`))
	attempts, err := stack.Store.SubmittedAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 0 {
		t.Fatalf("an attempt was submitted while offline")
	}
	setOffline(t, ctx, false)
	run(t, ctx, "come back online and see the result", chromedp.Click(`#retry`), chromedp.WaitVisible(`#result`))
	line := value(t, ctx, chromedp.Text(`#score-line`))
	correct := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#review li.correct').length`))
	if want := "Bạn trả lời đúng 10/10 câu — Đạt"; line != want {
		t.Errorf("result line = %q, want %q", line, want)
	}
	if correct != 10 {
		t.Errorf("review shows %d correct questions, want 10", correct)
	}
	shot(t, ctx)

	attempts, err = stack.Store.SubmittedAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 1 || attempts[0].Participant.UnitID != "xa-a-t01" || attempts[0].Participant.Phone != "+84912000111" {
		t.Fatalf("stored attempts = %+v, want one from xa-a-t01 with the normalised phone", attempts)
	}
	if attempts[0].Score != attempts[0].MaxScore {
		t.Errorf("stored score %d/%d, want full marks", attempts[0].Score, attempts[0].MaxScore)
	}
}
