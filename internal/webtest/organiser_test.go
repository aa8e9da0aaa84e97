package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// inVietnam sets the browser's time zone to Vietnam's, where the pages are read, so the
// times they show can be compared with the server's in quiz.VietnamTime.
func inVietnam(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "open a blank page", chromedp.Navigate("about:blank"))
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Ho_Chi_Minh"}); err != nil {
		t.Fatalf("set the time zone: %v", err)
	}
}

// atDay is a time as the pages write it in a sentence: "20:46 ngày 30/11/2026".
func atDay(at time.Time) string { return at.In(quiz.VietnamTime).Format("15:04 ngày 02/01/2006") }

// TestAnOrganiserClosesARoundOnlyAfterTheGraceAndAfterReviewingFlags follows the close
// of a round from the organiser's page: the button counts down to the end plus the
// server's grace and then enables itself; an entry flagged while the page is open appears
// without a reload; closing lists the flags nobody dealt with and asks, cancel closes
// nothing, confirm closes; and an entry with nothing right wins no prize even with a
// prize left for it.
func TestAnOrganiserClosesARoundOnlyAfterTheGraceAndAfterReviewingFlags(t *testing.T) {
	bg := context.Background()
	clock := testenv.NewClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)) // 19:00 in Vietnam
	stack := testenv.Stack(t, clock.Now)
	if _, err := demo.Load(bg, stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	ctx := browser(t)
	inVietnam(t, ctx)

	var (
		btc string
		ct  quiz.Quiz
		ids = map[string]string{}
	)
	closesAt := clock.Now().Add(time.Hour)
	allowed := closesAt.Add(quiz.SubmitGrace)

	if !t.Run("an organiser publishes a contest with three prizes and a round named Vòng sơ khảo", func(t *testing.T) {
		admin := dashSignIn(t, srv.URL, "admin", "demo1234")
		btc = dashSignIn(t, srv.URL, "btc", "demo1234")
		status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+dashQuiz, admin, nil)
		if status != http.StatusOK {
			t.Fatalf("GET demo quiz as admin: %d %s", status, raw)
		}
		var bank quiz.Quiz
		dashDecode(t, raw, &bank)
		status, raw = dashCall(t, srv.URL, "POST", "/v1/admin/quizzes", btc, map[string]any{
			"kind": "contest", "title": "Hội thi chốt an toàn", "timeLimitSec": 600, "shuffle": true, "scopeUnitId": "xa-a",
			"questions": singleChoiceInputs(bank, 5),
			"contest": map[string]any{
				"rounds":     []map[string]any{{"id": "r1", "name": "Vòng sơ khảo", "opensAt": clock.Now().Add(-time.Hour), "closesAt": closesAt}},
				"prediction": map[string]string{"text": "Dự đoán số bài dự thi", "truth": "entries"},
				"prizes":     []map[string]any{{"tier": "Nhất", "count": 1, "amount": 1000000}, {"tier": "Nhì", "count": 1, "amount": 500000}, {"tier": "Ba", "count": 1, "amount": 200000}},
			},
		})
		if status != http.StatusCreated {
			t.Fatalf("create contest: %d %s", status, raw)
		}
		var created struct{ ID string }
		dashDecode(t, raw, &created)
		if status, raw := dashCall(t, srv.URL, "POST", "/v1/admin/quizzes/"+created.ID+"/publish", btc, nil); status != http.StatusOK {
			t.Fatalf("publish contest: %d %s", status, raw)
		}
		status, raw = dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+created.ID, btc, nil)
		if status != http.StatusOK {
			t.Fatalf("GET contest: %d %s", status, raw)
		}
		dashDecode(t, raw, &ct)
	}) {
		return
	}

	if !t.Run("two residents enter: one with every answer right, one with none right and the exact prediction", func(t *testing.T) {
		ids["An"] = contestEnter(t, srv.URL, clock, ct, contestPerson{"Nguyễn Văn An", "0914000001", "xa-a-t01", 5, 5, 4 * time.Minute})
		ids["Ba"] = contestEnter(t, srv.URL, clock, ct, contestPerson{"Trần Thị Ba", "0914000002", "xa-a-t02", 0, 3, 3 * time.Minute})
	}) {
		return
	}

	if !t.Run("a resident reading the results before the close learns the round's name and when they come", func(t *testing.T) {
		run(t, ctx, "open the public results",
			chromedp.Navigate(srv.URL+"/?results="+ct.ID+"&round=r1"),
			chromedp.WaitVisible(`#results-screen`))
		waitJS(t, ctx, "the page says when", `document.getElementById('results-status').textContent.indexOf('sau ') > 0 &&
			document.getElementById('results-quiz').textContent.indexOf('Vòng sơ khảo') > 0`)
		status := value(t, ctx, chromedp.Text(`#results-status`))
		if want := "Kết quả Vòng sơ khảo chưa được công bố. Kết quả xếp hạng được công bố sau " + atDay(allowed) + "."; status != want {
			t.Errorf("results before the close say %q, want %q", status, want)
		}
		if heading := value(t, ctx, chromedp.Text(`#results-quiz`)); strings.Contains(heading, "r1") {
			t.Errorf("the heading %q shows the round's id", heading)
		}
	}) {
		return
	}

	if !t.Run("the organiser's page names the round and keeps the close button disabled until the end plus the grace", func(t *testing.T) {
		run(t, ctx, "sign in on the organiser page",
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(srv.URL+"/staff/contest.html"),
			chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`),
			chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, "btc"),
			chromedp.SendKeys(`#password`, "demo1234"),
			chromedp.Click(`#signin-button`),
			chromedp.WaitVisible(`#app`),
			chromedp.WaitReady(chromedp.CSS(`#contest-select option[value="`+ct.ID+`"]`)),
		)
		pickRound(t, ctx, ct.ID, "r1")
		waitJS(t, ctx, "the ranking lists both entries", `document.querySelectorAll('#ranking-table tbody tr[data-rank]').length === 2`)
		waitJS(t, ctx, "the flags are loaded", `document.getElementById('flags-status').textContent.indexOf('Không có bài nào cần xem xét') === 0`)
		shown := value(t, ctx, chromedp.Evaluate[map[string]any](`({title: document.getElementById('round-title').textContent,
			option: document.querySelector('#round-select option:checked').textContent, state: document.querySelector('#round-info .state').className,
			disabled: document.getElementById('close-round').disabled, hint: document.getElementById('close-hint').textContent})`))
		if shown["title"] != "Vòng sơ khảo" || !strings.HasPrefix(fmt.Sprint(shown["option"]), "Vòng sơ khảo (") || shown["state"] != "state open" ||
			shown["disabled"] != true || !strings.Contains(fmt.Sprint(shown["hint"]), atDay(allowed)) {
			t.Errorf("the open round shows %v, want its name, open, and a disabled close button saying %s", shown, atDay(allowed))
		}
	}) {
		return
	}

	if !t.Run("an entry in five seconds is in the flags panel within one refresh, before the aggregator has run", func(t *testing.T) {
		// In AWS the aggregator gathers entries for up to 20 s before it writes their
		// flags, longer than the page's 15 s refresh: the panel must not wait for it.
		// Counted in refreshes, not seconds: the page marks the ranking table at the end of
		// each refresh (ranking and flags both answered) with what it ranked.
		refreshes := func() int {
			return int(value(t, ctx, chromedp.Evaluate[float64](`+(document.getElementById('ranking-table').dataset.refreshes || 0)`)))
		}
		before := refreshes()
		ids["Cuong"] = contestEnter(t, srv.URL, clock, ct, contestPerson{"Lê Văn Cường", "0914000003", "xa-a-t03", 2, 9, 5 * time.Second})
		start := time.Now()
		waitJS(t, ctx, "a refresh ends with the fast entry ranked", `document.getElementById('ranking-table').dataset.refreshedRows === '3'`)
		took := refreshes() - before
		flagged := value(t, ctx, chromedp.Evaluate[bool](`!!document.querySelector('#flags-table tbody tr[data-kind="fast"][data-attempt-id="`+ids["Cuong"]+`"]')`))
		t.Logf("ranked after %d refreshes (%.1f s), flagged in the same refresh: %v; the aggregator not run", took, time.Since(start).Seconds(), flagged)
		if !flagged {
			t.Errorf("the refresh that ranks the fast entry leaves it out of the flags panel")
		}
		// The entry may land while a refresh is under way; the next one must show it.
		if took > 2 {
			t.Errorf("the fast entry took %d refreshes to be ranked, want at most 2", took)
		}
		shot(t, ctx, "flag-refreshed")
		if err := stack.DrainStreams(bg); err != nil { // the aggregator's flag makes no second row
			t.Fatalf("drain streams: %v", err)
		}
	}) {
		return
	}

	if !t.Run("three seconds before the close is allowed the button counts down, then enables itself", func(t *testing.T) {
		clock.Advance(allowed.Sub(clock.Now()) - 3*time.Second)
		pickRound(t, ctx, ct.ID, "r1") // the page reads the server's clock again
		waitJS(t, ctx, "the countdown runs", `/^Chốt kết quả sau 00:0[0-3]$/.test(document.getElementById('close-round').textContent)`)
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('close-round').disabled`)) {
			t.Errorf("the close button is enabled during the countdown")
		}
		if st := value(t, ctx, chromedp.Text(`#round-info .state`)); st != "Đã hết giờ, đang nhận nốt bài nộp dở" {
			t.Errorf("during the grace the round says %q", st)
		}
		shot(t, ctx, "countdown")
		clock.Advance(4 * time.Second)
		if err := stack.DrainStreams(bg); err != nil {
			t.Fatalf("drain streams: %v", err)
		}
		waitJS(t, ctx, "the button enables itself", `!document.getElementById('close-round').disabled &&
			document.getElementById('close-round').textContent === 'Chốt kết quả vòng thi'`)
	}) {
		return
	}

	if !t.Run("closing lists the unreviewed flag; cancel keeps the round open", func(t *testing.T) {
		run(t, ctx, "press close", chromedp.Click(`#close-round`))
		waitJS(t, ctx, "the confirmation opens", `document.getElementById('close-confirm').open`)
		listed := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#close-confirm-list li')).map(function (li) { return li.dataset.attemptId + ' ' + li.textContent })`))
		if len(listed) != 1 || !strings.HasPrefix(listed[0], ids["Cuong"]+" "+contest.MaskName("Lê Văn Cường")) || !strings.Contains(listed[0], "Làm bài quá nhanh") {
			t.Errorf("the confirmation lists %q, want the fast entry of %s", listed, contest.MaskName("Lê Văn Cường"))
		}
		shot(t, ctx, "confirm-close")
		buttons := value(t, ctx, chromedp.Evaluate[map[string]bool](`({cancelMain: document.getElementById('close-confirm-cancel').classList.contains('primary'),
			closeMain: document.getElementById('close-confirm-ok').classList.contains('primary')})`))
		if !buttons["cancelMain"] || buttons["closeMain"] {
			t.Errorf("main button of the close dialog: cancel %v, close anyway %v; want the safe choice (cancel) as the main button", buttons["cancelMain"], buttons["closeMain"])
		}
		links := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#close-confirm-list li')).map(function (li) {
			var a = li.querySelector('a[href^="#flag-"], button.go-flag'); return a ? (a.getAttribute('href') || a.dataset.target) : '' })`))
		if len(links) != 1 || links[0] == "" {
			t.Errorf("the listed flags link to %q, want each to link to its entry in the flags panel", links)
		} else {
			run(t, ctx, "follow the link to the entry", chromedp.Click(chromedp.CSS(`#close-confirm-list li a, #close-confirm-list li button.go-flag`)))
			waitJS(t, ctx, "the dialog closes on the entry", `!document.getElementById('close-confirm').open &&
				document.activeElement && document.activeElement.closest && !!document.activeElement.closest('#flags-table tr[data-attempt-id="`+ids["Cuong"]+`"]')`)
			if status, raw := dashCall(t, srv.URL, "GET", "/v1/contests/"+ct.ID+"/rounds/r1/results", "", nil); status != http.StatusNotFound {
				t.Errorf("after following the link the results are %d %s, want 404 (not closed)", status, raw)
			}
			run(t, ctx, "press close again", chromedp.Click(`#close-round`))
			waitJS(t, ctx, "the confirmation opens again", `document.getElementById('close-confirm').open`)
		}
		run(t, ctx, "cancel", chromedp.Click(`#close-confirm-cancel`))
		waitJS(t, ctx, "the dialog closes", `!document.getElementById('close-confirm').open && !document.getElementById('close-round').disabled`)
		if status, raw := dashCall(t, srv.URL, "GET", "/v1/contests/"+ct.ID+"/rounds/r1/results", "", nil); status != http.StatusNotFound {
			t.Errorf("after cancel the results are %d %s, want 404 (not closed)", status, raw)
		}
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('close-result').hidden`)) {
			t.Errorf("after cancel the page shows the round closed")
		}
	}) {
		return
	}

	if !t.Run("the organiser keeps the flagged entry with a reason: stored, audited, shown as kept", func(t *testing.T) {
		reason := "Đã gọi điện: anh Cường làm bài trên giấy trước rồi nhập lại"
		row := `#flags-table tbody tr[data-attempt-id="` + ids["Cuong"] + `"]`
		run(t, ctx, "keep the flagged entry",
			chromedp.Click(chromedp.CSS(row+` button.keep`)),
			chromedp.WaitVisible(chromedp.CSS(`#flags-table .reason-row[data-decision="keep"] input.reason`)),
			chromedp.SendKeys(chromedp.CSS(`#flags-table .reason-row input.reason`), reason),
			chromedp.Click(chromedp.CSS(`#flags-table .reason-row .confirm-keep`)),
			chromedp.WaitVisible(chromedp.CSS(row+`.kept`)))
		decisions, err := stack.Store.ListDecisions(bg, ct.ID)
		if err != nil || len(decisions) != 1 || !decisions[0].Keeps() || decisions[0].AttemptID != ids["Cuong"] || decisions[0].By != "btc" ||
			decisions[0].Reason != reason || decisions[0].At.IsZero() {
			t.Errorf("decisions = %+v (%v), want the keep by btc with its time and reason", decisions, err)
		}
		run(t, ctx, "load the flags again from the server", chromedp.Click(`#flags-refresh`))
		waitJS(t, ctx, "the reloaded flag still reads as kept", `document.querySelector('`+row+` td.action').textContent.indexOf('Đã giữ — `+reason+`') === 0`)
		if keep := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+row+` button.keep').length`)); keep != 0 {
			t.Errorf("the kept entry still offers %d keep buttons, want none", keep)
		}
		shot(t, ctx, "flag-kept")
	}) {
		return
	}

	if !t.Run("with its only flag kept the close asks nothing and closes, and the entry with nothing right gets no prize though a prize is left", func(t *testing.T) {
		// The only flag is kept: nothing is left to review, so the close asks nothing.
		run(t, ctx, "press close",
			chromedp.Click(`#close-round`),
			chromedp.WaitVisible(`#close-result`))
		if opened := value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('close-confirm').open`)); opened {
			t.Errorf("the close dialog opened with the only flag kept, want no question")
		}
		waitJS(t, ctx, "the winners are listed", `document.querySelectorAll('#winners-table tbody tr[data-rank]').length > 0`)
		status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/contests/"+ct.ID+"/rounds/r1/winners", btc, nil)
		if status != http.StatusOK {
			t.Fatalf("GET winners: %d %s", status, raw)
		}
		var w rounds.WinnersReport
		dashDecode(t, raw, &w)
		var got []string
		for _, x := range w.Winners {
			got = append(got, x.Tier+":"+x.Name+":"+fmt.Sprint(x.Score))
		}
		if want := []string{"Nhất:Nguyễn Văn An:5", "Nhì:Lê Văn Cường:2"}; !slices.Equal(got, want) || w.RoundName != "Vòng sơ khảo" {
			t.Errorf("winners of %q = %v, want %v (0/5 wins nothing; the third prize stays unawarded)", w.RoundName, got, want)
		}
		rows := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#winners-table tbody tr')).map(function (tr) { return tr.querySelector('.name').textContent })`))
		if slices.Contains(rows, "Trần Thị Ba") || len(rows) != 2 {
			t.Errorf("the page's winners %q, want two, without the 0/5 entry", rows)
		}
		if tier := value(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#ranking-table tbody tr')).filter(function (tr) {
			return tr.querySelector('.score').textContent === '0/5' }).map(function (tr) { return tr.querySelector('.tier').textContent + '|' })[0] || 'missing'`)); tier != "|" {
			t.Errorf("the 0/5 entry's tier in the final ranking = %q, want ranked without a prize", tier)
		}
		shot(t, ctx, "closed")
	}) {
		return
	}

	t.Run("the public results name the round, not its id", func(t *testing.T) {
		run(t, ctx, "open the public results",
			chromedp.EmulateViewport(360, 740),
			chromedp.Navigate(srv.URL+"/?results="+ct.ID+"&round=r1"),
			chromedp.WaitVisible(`#results-body`))
		waitJS(t, ctx, "the heading is complete", `document.getElementById('results-quiz').textContent.indexOf('Vòng sơ khảo') >= 0`)
		if h := value(t, ctx, chromedp.Text(`#results-quiz`)); regexp.MustCompile(`\br1\b`).MatchString(h) {
			t.Errorf("the public results heading %q shows the round's id", h)
		}
	})
}
