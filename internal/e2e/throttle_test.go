package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/units"
)

// from sends a request as CloudFront would from the viewer at source (an "address:port")
// with extra headers, and returns the status, the body and the headers of the answer.
func (e *env) from(source, method, path string, body any, extra map[string]string) (int, []byte, http.Header) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.URL+path, jsonBody(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if source != "" {
		req.Header.Set("CloudFront-Viewer-Address", source)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, raw, resp.Header
}

// startAndSubmitFrom starts and submits an attempt from source; it returns the start's
// status and answer headers, and fails the test when an accepted start cannot submit.
func (e *env) startAndSubmitFrom(source string, body startBody) (int, []byte, http.Header) {
	e.t.Helper()
	status, raw, h := e.from(source, "POST", "/v1/quizzes/"+demoQuiz+"/attempts", body, nil)
	if status != http.StatusCreated {
		return status, raw, h
	}
	s := decodeJSON[attempts.StartResponse](e.t, raw)
	if st, b := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true)); st != http.StatusOK {
		e.t.Errorf("submit: %d %s", st, b)
	}
	return status, raw, h
}

// awarenessOf reads the awareness report of one unit as the commune's officer.
func (e *env) awarenessOf(t *testing.T, unitID, extra string) report.Awareness {
	t.Helper()
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Stack.Handler())
	defer srv.Close()
	token := signIn(t, srv.URL, "canbo")
	status, raw, _ := staffRequest(t, srv.URL, token, "GET", "/v1/reports/awareness?quizId="+demoQuiz+"&unitId="+unitID+extra, nil)
	if status != http.StatusOK {
		t.Fatalf("awareness = %d %s", status, raw)
	}
	return decodeJSON[report.Awareness](t, raw)
}

func TestABurstFromOneSourceCannotInflateAVillage(t *testing.T) {
	e := newEnv(t)
	const bot = "203.0.113.66:40000"
	before := e.awarenessOf(t, village, "").Total

	var mu sync.Mutex
	statuses := map[int]int{}
	var refused []http.Header
	var refusedBody []byte
	work := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				status, raw, h := e.startAndSubmitFrom(bot, resident(village, "", fmt.Sprintf("fresh-%d", i)))
				mu.Lock()
				statuses[status]++
				if status == http.StatusTooManyRequests {
					refused, refusedBody = append(refused, h), raw
				}
				mu.Unlock()
			}
		}()
	}
	for i := range 400 {
		work <- i
	}
	close(work)
	wg.Wait()

	t.Run("the source's first 200 starts are accepted and the other 200 refused", func(t *testing.T) {
		if statuses[201] != 200 || statuses[429] != 200 {
			t.Errorf("statuses = %v, want 200 × 201 and 200 × 429", statuses)
		}
	})
	t.Run("every refusal says rate_limited with Retry-After until the window ends", func(t *testing.T) {
		for _, h := range refused {
			if got := h.Get("Retry-After"); got != "120" { // 09:00:00 is the start of a two-minute window
				t.Fatalf("Retry-After = %q, want 120", got)
			}
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(refusedBody, &body); err != nil || body.Error.Code != "rate_limited" || body.Error.Message == "" {
			t.Errorf("refusal body = %s, want code rate_limited with a message", refusedBody)
		}
	})
	t.Run("the village counts only the first 100 as participants and shows 100 suspects", func(t *testing.T) {
		got := e.awarenessOf(t, village, "").Total
		if d := got.Participants - before.Participants; d != 100 {
			t.Errorf("participants grew by %d, want 100", d)
		}
		if got.SuspectSubmissions != 100 {
			t.Errorf("suspectSubmissions = %d, want 100", got.SuspectSubmissions)
		}
		if got.Participants > got.Population || got.OverPopulation {
			t.Errorf("participants %d of population %d, overPopulation %v: want within, and no flag", got.Participants, got.Population, got.OverPopulation)
		}
	})
	t.Run("an X-Forwarded-For header does not change the source", func(t *testing.T) {
		status, raw, _ := e.from(bot, "POST", "/v1/quizzes/"+demoQuiz+"/attempts", resident(village, "", "spoofer"),
			map[string]string{"X-Forwarded-For": "198.51.100.77"})
		if status != http.StatusTooManyRequests {
			t.Errorf("spoofed start = %d %s, want 429", status, raw)
		}
	})
	t.Run("another source still starts", func(t *testing.T) {
		if status, raw, _ := e.from("198.51.100.8:5555", "POST", "/v1/quizzes/"+demoQuiz+"/attempts", resident(village, "", "neighbour"), nil); status != http.StatusCreated {
			t.Errorf("start from another source = %d %s, want 201", status, raw)
		}
	})
	t.Run("the same source starts again in the next window", func(t *testing.T) {
		e.Clock.Advance(2 * time.Minute)
		if status, raw, _ := e.from(bot, "POST", "/v1/quizzes/"+demoQuiz+"/attempts", resident(village, "", "later"), nil); status != http.StatusCreated {
			t.Errorf("start after the window = %d %s, want 201", status, raw)
		}
	})
}

func TestOneDeviceIsLimitedHarderThanOneAddress(t *testing.T) {
	e := newEnv(t)
	// The device sends the clientToken of its previous start, as the page does: the
	// count rides in it, so the device's limit follows it across addresses.
	body := resident(village, "", "one-phone")
	var got []int
	for i := range 11 {
		status, raw, _ := e.from(fmt.Sprintf("198.51.100.%d:1000", i+1), "POST", "/v1/quizzes/"+demoQuiz+"/attempts", body, nil)
		got = append(got, status)
		if status == http.StatusCreated {
			body.ClientToken = decodeJSON[attempts.StartResponse](t, raw).ClientToken
		}
	}
	for i, status := range got {
		want := http.StatusCreated
		if i == 10 {
			want = http.StatusTooManyRequests
		}
		if status != want {
			t.Errorf("start %d of one clientId from distinct addresses = %d, want %d", i+1, status, want)
		}
	}
	t.Run("another device's token or a forged one does not carry a count", func(t *testing.T) {
		for _, tok := range []string{body.ClientToken, body.ClientToken[:len(body.ClientToken)-2] + "AA"} {
			other := resident(village, "", "another-phone")
			other.ClientToken = tok
			if status, raw, _ := e.from("198.51.100.99:1000", "POST", "/v1/quizzes/"+demoQuiz+"/attempts", other, nil); status != http.StatusCreated {
				t.Errorf("start of another device with token %q = %d %s, want 201", tok[:8], status, raw)
			}
		}
	})
}

func TestAVillageMeetingOnOneWiFiAllGetsThrough(t *testing.T) {
	e := newEnv(t)
	const hall = "[2001:db8:58::1]:443"
	small := units.Unit{ID: "xa-a-t99", ParentID: "xa-a", Name: "Thôn Nhỏ", Kind: "village", Population: 60}
	if err := e.Stack.Store.PutUnits(context.Background(), []units.Unit{small}); err != nil {
		t.Fatal(err)
	}
	t.Run("eighty people on one address start and submit within two minutes", func(t *testing.T) {
		for i := range 80 {
			e.Clock.Advance(1400 * time.Millisecond) // 112 s in all, one two-minute window
			if status, raw, _ := e.startAndSubmitFrom(hall, resident(small.ID, "", fmt.Sprintf("meeting-%d", i))); status != http.StatusCreated {
				t.Fatalf("person %d: start = %d %s", i+1, status, raw)
			}
		}
	})
	t.Run("they all count, none is suspect, and the row says the village is over its population", func(t *testing.T) {
		got := e.awarenessOf(t, small.ID, "").Total
		if got.Participants != 80 || got.SuspectSubmissions != 0 || !got.OverPopulation {
			t.Errorf("participants %d, suspects %d, overPopulation %v; want 80, 0, true", got.Participants, got.SuspectSubmissions, got.OverPopulation)
		}
	})
	t.Run("minGroup=1 does not lower the suppression of a group of one", func(t *testing.T) {
		if status, raw, _ := e.startAndSubmitFrom("192.0.2.9:800", resident("xa-a-t03", "", "alone")); status != http.StatusCreated {
			t.Fatalf("start = %d %s", status, raw)
		}
		got := e.awarenessOf(t, "xa-a-t03", "&minGroup=1").Total
		if got.Participants != 1 || !got.Suppressed || got.MeanScore != nil {
			t.Errorf("participants %d, suppressed %v, mean %v; want 1, true, none", got.Participants, got.Suppressed, got.MeanScore)
		}
	})
}

func TestFourWindowsFromOneAddressCannotInflateAVillage(t *testing.T) {
	e := newEnv(t)
	const bot, target = "203.0.113.67:40000", "xa-a-t07" // Bản Lương Ngọc, population 297
	const windows, perWindow = 4, 110
	accepted := 0
	for w := range windows {
		var mu sync.Mutex
		work := make(chan int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					status, _, _ := e.startAndSubmitFrom(bot, resident(target, "", fmt.Sprintf("bot-%d-%d", w, i)))
					if status == http.StatusCreated {
						mu.Lock()
						accepted++
						mu.Unlock()
					}
				}
			}()
		}
		for i := range perWindow {
			work <- i
		}
		close(work)
		wg.Wait()
		e.Clock.Advance(2 * time.Minute)
	}
	got := e.awarenessOf(t, target, "").Total
	t.Logf("accepted %d; participants %d of population %d, suspect %d, concentrated %v", accepted, got.Participants, got.Population, got.SuspectSubmissions, got.Concentrated)
	t.Run("every start is accepted, none past the hard limit", func(t *testing.T) {
		if accepted != windows*perWindow {
			t.Errorf("accepted %d starts, want %d", accepted, windows*perWindow)
		}
	})
	t.Run("the village's participants stay at or below its population", func(t *testing.T) {
		if got.Population != 297 || got.Participants > got.Population || got.OverPopulation {
			t.Errorf("participants %d of population %d (overPopulation %v), want at most the population", got.Participants, got.Population, got.OverPopulation)
		}
	})
	t.Run("the surplus is counted apart as suspect", func(t *testing.T) {
		if got.Participants+got.SuspectSubmissions != windows*perWindow || got.SuspectSubmissions < windows*perWindow-got.Population {
			t.Errorf("participants %d + suspect %d, want %d in all with at least %d suspect",
				got.Participants, got.SuspectSubmissions, windows*perWindow, windows*perWindow-got.Population)
		}
	})
	t.Run("the village's row says its participants are concentrated on one source", func(t *testing.T) {
		if !got.Concentrated {
			t.Errorf("concentrated = false, want true (participants %d from one address)", got.Participants)
		}
	})
	t.Run("a village whose residents start from their own addresses is not concentrated", func(t *testing.T) {
		for i := range 25 {
			if status, raw, _ := e.startAndSubmitFrom(fmt.Sprintf("198.51.100.%d:2000", i+1), resident(village, "", fmt.Sprintf("home-%d", i))); status != http.StatusCreated {
				t.Fatalf("start = %d %s", status, raw)
			}
		}
		if row := e.awarenessOf(t, village, "").Total; row.Participants != 25 || row.Concentrated {
			t.Errorf("participants %d, concentrated %v; want 25, false", row.Participants, row.Concentrated)
		}
	})
}
