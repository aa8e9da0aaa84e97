package webtest

// The resident's first screen on a cheap phone (issue 25): what fits in the first
// 740 px, whether anything moves while it loads, the contest cards' phases and the
// phone verification's one message at a time.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// slowPhone gives the page the phone: 360×740, 3G (400 kbit/s, 400 ms) and a
// CPU four times slower than the machine's.
func slowPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "open a blank page", chromedp.EmulateViewport(360, 740), chromedp.Navigate("about:blank"))
	throttle3G(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}); err != nil {
		t.Fatalf("slow the CPU down: %v", err)
	}
}

// firstScreen is where the first screen's controls are once the page is usable, in
// px from the top of the page, and when that was.
type firstScreen struct {
	UsableMs     float64 `json:"usableMs"` // since the navigation started
	PickerTop    float64 `json:"pickerTop"`
	PickerBottom float64 `json:"pickerBottom"`
	StartBottom  float64 `json:"startBottom"`
	Cards        int     `json:"cards"`
	// Bytes and Entries are what was transferred by then: the requests' path, bytes and
	// start–end since the navigation.
	Bytes   int      `json:"bytes"`
	Entries []string `json:"entries"`
}

// firstScreenJS waits until the quiz list, the village picker (or the village of the
// link) and the start button are all shown, then says where they are.
const firstScreenJS = `new Promise(function (resolve, reject) { var n = 0; (function poll() {
	var picker = document.querySelector('#unit-preset:not([hidden])') || document.querySelector('#units select');
	var start = document.getElementById('start');
	var cards = document.querySelectorAll('.quiz-item');
	var shown = function (e) { return e && e.getClientRects().length > 0; };
	if (cards.length && shown(picker) && shown(start)) {
		var p = picker.getBoundingClientRect(), s = start.getBoundingClientRect();
		var now = performance.now();
		var done = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
			.filter(function (e) { return e.responseEnd > 0 && e.responseEnd <= now; });
		resolve({usableMs: now, pickerTop: p.top + scrollY, pickerBottom: p.bottom + scrollY,
			startBottom: s.bottom + scrollY, cards: cards.length,
			bytes: done.reduce(function (n, e) { return n + (e.transferSize || 0); }, 0),
			entries: done.map(function (e) {
				return e.name.replace(location.origin, '') + ' ' + e.transferSize + ' B ' + Math.round(e.startTime) + '–' + Math.round(e.responseEnd) + ' ms'; })});
		return;
	}
	if (++n > 1500) { reject(new Error('the first screen never became usable')); return; }
	setTimeout(poll, 20); })(); })`

// layoutShiftJS sums every layout shift of the page so far not caused by an input, as
// the buffered PerformanceObserver gives them: an upper bound of the cumulative layout
// shift (which keeps only the worst session window).
const layoutShiftJS = `new Promise(function (resolve) { var sum = 0;
	new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { if (!e.hadRecentInput) sum += e.value; }); })
		.observe({type: 'layout-shift', buffered: true});
	setTimeout(function () { resolve(sum); }, 1000); })`

// smallThingsJS lists, on the shown screen, text a resident reads under 16 px and tap
// targets under 44 px tall (a checkbox counts by its label, which takes the tap).
const smallThingsJS = `(function(){ var out = [];
	var shown = function (e) { return e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'; };
	var name = function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''); };
	document.querySelectorAll('main *').forEach(function (e) {
		if (!shown(e)) return;
		var own = Array.from(e.childNodes).some(function (c) { return c.nodeType === 3 && c.textContent.trim(); });
		var size = parseFloat(getComputedStyle(e).fontSize);
		if (own && size < 16) out.push('text ' + name(e) + ' ' + size.toFixed(1) + ' px: ' + e.textContent.trim().slice(0, 30));
		var tap = e.matches('button, a, select, summary, input:not([type=checkbox]):not([type=radio]), label.check');
		var h = e.getBoundingClientRect().height;
		if (tap && h < 44) out.push('target ' + name(e) + ' ' + h.toFixed(1) + ' px tall');
	});
	return out; })()`

// TestTheResidentsFirstScreenFitsAPhone opens the resident page as a first visit on the
// issue's phone: the village picker (or the village of a QR link) and the start button
// are in the first 740 px, nothing moves while it loads, and nothing a resident reads
// or taps is too small. The time until the screen is usable and the bytes it cost are
// printed, not asserted: they depend on the machine.
func TestTheResidentsFirstScreenFitsAPhone(t *testing.T) {
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Gateway)
	t.Cleanup(srv.Close)
	tests := []struct {
		name, url string
	}{
		{"a resident who opens the page shows the village picker and the start button on the first screen", "/"},
		{"a resident who comes from a village's QR code sees that village and the start button on the first screen", "/?unit=xa-a-t01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := browser(t) // a first visit: nothing cached
			slowPhone(t, ctx)
			run(t, ctx, "open the page", chromedp.Navigate(srv.URL+tt.url))
			got := value(t, ctx, chromedp.Evaluate[firstScreen](firstScreenJS, chromedp.EvalAwaitPromise))
			shift := value(t, ctx, chromedp.Evaluate[float64](layoutShiftJS, chromedp.EvalAwaitPromise))
			tr := value(t, ctx, chromedp.Evaluate[transferred](transferJS))
			t.Logf("%s: usable after %.2f s, %.1f KB in %d requests by then (%.1f KB in %d requests once measured); %d cards, picker at %.0f–%.0f px, start button ends at %.0f px, layout shift %.3f; requests by then:\n%s",
				tt.url, got.UsableMs/1000, float64(got.Bytes)/1024, len(got.Entries), float64(tr.Bytes)/1024, tr.Requests, got.Cards, got.PickerTop, got.PickerBottom, got.StartBottom, shift,
				strings.Join(got.Entries, "\n"))
			shot(t, ctx, strings.Trim(strings.NewReplacer("/", "", "?", "", "=", "-").Replace(tt.url), "-")+"first")
			if got.PickerBottom > 740 {
				t.Errorf("village picker at %.0f–%.0f px, want it inside the first 740 px", got.PickerTop, got.PickerBottom)
			}
			if got.StartBottom > 740 {
				t.Errorf("start button ends at %.0f px, want it inside the first 740 px", got.StartBottom)
			}
			if shift > 0.05 {
				t.Errorf("layout shift while loading = %.3f, want at most 0.05", shift)
			}
			noSmallThings(t, ctx, "the first screen")
		})
	}
}

// openMoreInfo opens the start form's optional details (name, phone…) with a tap, once
// the page has stopped the smooth scroll to the form that choosing a quiz starts: a tap
// during it lands where the summary was.
func openMoreInfo(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, "the page stops scrolling", `(function(){ var y = scrollY, was = window.__lastY; window.__lastY = y; return was === y; })()`)
	run(t, ctx, "open the optional details", chromedp.Click(`#more-info summary`), chromedp.WaitVisible(`#name`))
}

// noSmallThings fails the test for each text under 16 px or tap target under 44 px on
// the screen shown, the details on demand opened.
func noSmallThings(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	value(t, ctx, chromedp.Evaluate[bool](`(function(){ document.querySelectorAll('main details').forEach(function (d) { d.open = true; }); return true })()`))
	if small := value(t, ctx, chromedp.Evaluate[[]string](smallThingsJS)); len(small) > 0 {
		t.Errorf("too small on %s (text under 16 px, targets under 44 px):\n%s", screen, strings.Join(small, "\n"))
	}
}

// createContest creates and publishes, through the staff API, a two-question contest
// with the given rounds (ids r1, r2, … with [opensAt, closesAt]) and returns its id.
func createContest(t *testing.T, base, title string, verify bool, rounds ...[2]time.Time) string {
	t.Helper()
	admin := dashSignIn(t, base, "admin", "demo1234")
	btc := dashSignIn(t, base, "btc", "demo1234")
	status, raw := dashCall(t, base, "GET", "/v1/admin/quizzes/demo-nq58-quiz", admin, nil)
	if status != http.StatusOK {
		t.Fatalf("GET demo quiz: %d %s", status, raw)
	}
	var bank quiz.Quiz
	dashDecode(t, raw, &bank)
	var rs []map[string]any
	for i, r := range rounds {
		rs = append(rs, map[string]any{"id": fmt.Sprintf("r%d", i+1), "opensAt": r[0], "closesAt": r[1]})
	}
	cfg := map[string]any{
		"rounds": rs, "attemptsPerRound": 2,
		"prediction":        map[string]string{"text": "Dự đoán số bài dự thi của vòng này", "truth": "entries"},
		"ranking":           contest.DefaultRanking,
		"prizes":            []map[string]any{{"tier": "Nhất", "count": 1, "amount": 1000000}},
		"onePrizePerPerson": true, "fastSecondsPerQuestion": 3, "topN": 10,
	}
	if !verify {
		cfg["verifyPhone"], cfg["allowUnverified"] = false, true
	}
	status, raw = dashCall(t, base, "POST", "/v1/admin/quizzes", btc, map[string]any{
		"kind": "contest", "title": title, "timeLimitSec": 600, "drawCount": 0, "shuffle": true,
		"scopeUnitId": "xa-a", "questions": singleChoiceInputs(bank, 2), "contest": cfg,
	})
	if status != http.StatusCreated {
		t.Fatalf("create contest: %d %s", status, raw)
	}
	var created struct{ ID string }
	dashDecode(t, raw, &created)
	if status, raw := dashCall(t, base, "POST", "/v1/admin/quizzes/"+created.ID+"/publish", btc, nil); status != http.StatusOK {
		t.Fatalf("publish contest: %d %s", status, raw)
	}
	return created.ID
}

// contestCard is what a contest's card on the start screen shows.
type contestCard struct {
	Found   bool   `json:"found"`
	Text    string `json:"text"`
	Button  bool   `json:"button"`  // the card has a button that chooses it
	Results string `json:"results"` // the href of its results link, if any
	Rules   bool   `json:"rules"`   // the contest's rules (its form) are shown
}

func readCard(t *testing.T, ctx context.Context, id string) contestCard {
	t.Helper()
	return value(t, ctx, chromedp.Evaluate[contestCard](fmt.Sprintf(`(function(){
		var c = document.querySelector('[data-card=%[1]q]') || document.querySelector('.quiz-item[data-quiz-id=%[1]q]');
		var a = c && c.querySelector('a[href*="results="]');
		return {found: !!c, text: c ? c.textContent.replace(/\s+/g, ' ').trim() : '',
			button: !!document.querySelector('button.quiz-item[data-quiz-id=%[1]q]'),
			results: a ? a.getAttribute('href') : '', rules: !document.getElementById('contest-rules').hidden};
	})()`, id)))
}

// TestContestCardsSayWhetherTheContestIsOpen: a contest's card says whether it is open,
// upcoming or ended with its round dates; an ended contest says "Đã kết thúc" and links
// to its public results instead of offering the entry form, even from a link to it.
func TestContestCardsSayWhetherTheContestIsOpen(t *testing.T) {
	_, srv := demoSite(t)
	now := time.Now()
	ended := createContest(t, srv.URL, "Hội thi đã xong", false, [2]time.Time{now.Add(-72 * time.Hour), now.Add(-48 * time.Hour)})
	open := createContest(t, srv.URL, "Hội thi đang mở", false, [2]time.Time{now.Add(-time.Hour), now.Add(50 * time.Hour)})
	upcoming := createContest(t, srv.URL, "Hội thi sắp mở", false, [2]time.Time{now.Add(26 * time.Hour), now.Add(80 * time.Hour)})
	ctx := browser(t)
	inVietnam(t, ctx)
	run(t, ctx, "open a link to the ended contest", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/?unit=xa-a-t01&quiz="+ended), chromedp.WaitVisible(`#start`))
	waitJS(t, ctx, "the cards are drawn", `document.querySelector('.quiz-item')`)
	shot(t, ctx, "cards")
	day := func(at time.Time) string { return at.In(quiz.VietnamTime).Format("02/01") }

	t.Run("an ended contest says “Đã kết thúc” and links to its results, with no form", func(t *testing.T) {
		got := readCard(t, ctx, ended)
		if !got.Found || !strings.Contains(got.Text, "Đã kết thúc") {
			t.Errorf("ended contest's card = %q (found %v), want it to say “Đã kết thúc”", got.Text, got.Found)
		}
		if want := "?results=" + ended + "&round=r1"; got.Results != want {
			t.Errorf("ended contest's results link = %q, want %q", got.Results, want)
		}
		if got.Button || got.Rules {
			t.Errorf("ended contest offers its entry: a button to choose it %v, its rules and form shown %v; want neither", got.Button, got.Rules)
		}
	})
	t.Run("an open contest shows its round's dates and how long it stays open, and can be chosen", func(t *testing.T) {
		got := readCard(t, ctx, open)
		for _, want := range []string{"Đang mở", day(now.Add(-time.Hour)), day(now.Add(50 * time.Hour)), "Còn 2 ngày"} {
			if !strings.Contains(got.Text, want) {
				t.Errorf("open contest's card = %q, want %q in it", got.Text, want)
			}
		}
		if !got.Button {
			t.Errorf("open contest's card has no button to choose it")
		}
	})
	t.Run("an upcoming contest shows when it opens and cannot be chosen yet", func(t *testing.T) {
		got := readCard(t, ctx, upcoming)
		for _, want := range []string{"Sắp mở", day(now.Add(26 * time.Hour)), "Mở sau 1 ngày"} {
			if !strings.Contains(got.Text, want) {
				t.Errorf("upcoming contest's card = %q, want %q in it", got.Text, want)
			}
		}
		if got.Button {
			t.Errorf("upcoming contest's card offers a button to choose it")
		}
	})
	t.Run("nothing on the cards is too small to read or tap", func(t *testing.T) { noSmallThings(t, ctx, "the contest cards") })
	t.Run("the ended contest's results link opens its results page", func(t *testing.T) {
		if readCard(t, ctx, ended).Results == "" {
			t.Fatal("no results link to follow")
		}
		run(t, ctx, "follow the link", chromedp.Click(`[data-card="`+ended+`"] a[href*="results="]`), chromedp.WaitVisible(`#results-screen`))
		waitJS(t, ctx, "the results page says something", `document.getElementById('results-status').textContent.indexOf('Đang tải') < 0`)
		shot(t, ctx, "results")
	})
}

// contestForm serves the demo and a contest open for the next hour, and opens it on a
// phone from a village's link with the entry form filled in (name, phone, consent).
func contestForm(t *testing.T, title string, verify bool, name, phone string) (*httptest.Server, string, context.Context) {
	t.Helper()
	_, srv := demoSite(t)
	now := time.Now()
	id := createContest(t, srv.URL, title, verify, [2]time.Time{now.Add(-time.Hour), now.Add(time.Hour)})
	item := `button.quiz-item[data-quiz-id="` + id + `"]`
	ctx := browser(t)
	run(t, ctx, "open the contest and fill in the form", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"), chromedp.WaitVisible(item), chromedp.Click(item), chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, name), chromedp.SendKeys(`#phone`, phone), chromedp.Click(`#consent`))
	return srv, id, ctx
}

// verifyMessage is a message of the phone verification shown on the page.
type verifyMessage struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Alert bool   `json:"alert"` // announced at once (role=alert)
	Error bool   `json:"error"` // in the error style
}

// verifyMessagesJS lists the shown messages about the start and the verification.
const verifyMessagesJS = `Array.from(document.querySelectorAll('#verify-field .field-error, #verify-field [role=status], #verify-field [role=alert], #start-error, #error'))
	.filter(function (e) { return !e.hidden && e.getClientRects().length > 0 && e.textContent.trim(); })
	.map(function (e) { return {id: e.id, text: e.textContent.trim(), alert: !!e.closest('[role=alert]'), error: e.classList.contains('error')}; })`

// TestVerificationShowsOneMessageAtATime walks a resident through a contest's phone
// verification (asked to verify, code sent, a wrong code, the right code): at each step
// the page shows exactly one message, and an error looks and is announced as one.
func TestVerificationShowsOneMessageAtATime(t *testing.T) {
	srv, _, ctx := contestForm(t, "Hội thi có xác minh", true, "Trần Văn Bình", "0913 777 888")
	var code string
	steps := []struct {
		name  string
		do    func(t *testing.T)
		want  string // in the one message
		error bool
	}{
		{"starting unverified asks to send a code", func(t *testing.T) {
			run(t, ctx, "start", chromedp.Click(`#start`))
			waitJS(t, ctx, "the start is refused", `document.getElementById('verify-field').textContent.indexOf('Hãy xác minh') >= 0`)
		}, "Gửi mã", true},
		{"after “Gửi mã” the page says the code is sent", func(t *testing.T) {
			run(t, ctx, "send the code", chromedp.Click(`#send-code`), chromedp.WaitVisible(`#sms-code`))
			waitJS(t, ctx, "the code is sent", `document.getElementById('verify-field').textContent.indexOf('đã được gửi') >= 0`)
			code = smsCode(t, srv.URL, "+84913777888")
		}, "đã được gửi", false},
		{"a wrong code is an error", func(t *testing.T) {
			wrong := []byte(code)
			for i := range wrong {
				wrong[i] = '0' + (wrong[i]-'0'+1)%10
			}
			run(t, ctx, "type a wrong code", chromedp.SendKeys(`#sms-code`, string(wrong)), chromedp.Click(`#confirm-code`))
			waitJS(t, ctx, "the code is refused", `!document.getElementById('confirm-code').disabled && document.getElementById('verify-field').textContent.indexOf('đã được gửi') < 0`)
		}, "", true},
		{"the right code verifies the phone, and only that is said", func(t *testing.T) {
			value(t, ctx, chromedp.Evaluate[bool](`(document.getElementById('sms-code').value = '') === ''`))
			run(t, ctx, "type the right code", chromedp.SendKeys(`#sms-code`, code),
				chromedp.Click(`#confirm-code`), chromedp.WaitNotVisible(`#code-box`))
		}, "Số điện thoại đã được xác minh.", false},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do(t)
			got := value(t, ctx, chromedp.Evaluate[[]verifyMessage](verifyMessagesJS))
			shot(t, ctx, fmt.Sprint("step", i+1))
			if len(got) != 1 {
				t.Errorf("%d messages shown, want exactly one: %+v", len(got), got)
				if len(got) == 0 {
					return
				}
			}
			if !strings.Contains(got[0].Text, st.want) {
				t.Errorf("message = %q, want %q in it", got[0].Text, st.want)
			}
			if st.error && !(got[0].Alert && got[0].Error) {
				t.Errorf("error %q: announced %v, in the error style %v; want both", got[0].Text, got[0].Alert, got[0].Error)
			}
			if !st.error && got[0].Error {
				t.Errorf("%q is shown as an error", got[0].Text)
			}
		})
	}
	t.Run("nothing on the contest's form is too small to read or tap", func(t *testing.T) { noSmallThings(t, ctx, "the contest's form") })
	run(t, ctx, "start the entry", chromedp.Click(`#start`), chromedp.WaitVisible(`#question-text`))
}

// TestMyEntriesListsThisDevicesReceipts: a contest entry's receipt has copy (and, where
// the browser shares, share) buttons, and stays on the device: back on the start screen,
// and after the page is opened again, "Lượt thi của tôi" lists it with its results link.
func TestMyEntriesListsThisDevicesReceipts(t *testing.T) {
	srv, id, ctx := contestForm(t, "Hội thi giữ biên nhận", false, "Phạm Thị Lan", "0913 555 666")
	run(t, ctx, "enter the contest", chromedp.Click(`#start`))
	for i := 1; i <= 2; i++ {
		run(t, ctx, fmt.Sprintf("answer question %d", i), chromedp.WaitVisible(`#question-text`), chromedp.Click(`input[name="opt"]`), chromedp.Click(`#next`))
	}
	run(t, ctx, "predict and submit", chromedp.WaitVisible(`#prediction`), chromedp.SendKeys(`#prediction`, "3"),
		chromedp.Click(`#submit`), chromedp.WaitVisible(`#receipt-box`))
	receipt := value(t, ctx, chromedp.Text(`#receipt`))
	shot(t, ctx, "result")

	t.Run("the receipt on the result screen can be copied", func(t *testing.T) {
		run(t, ctx, "copy it", chromedp.Click(`#receipt-actions [data-copy]`))
		waitJS(t, ctx, "the copy says what happened", `document.querySelector('#receipt-actions [role=status]').textContent`)
		if got := value(t, ctx, chromedp.Text(`#receipt-actions [role=status]`)); got != "Đã sao chép mã "+receipt+"." {
			t.Errorf("after copying the page says %q, want it copied", got)
		}
	})
	for _, how := range []string{"back on the start screen", "after the page is opened again"} {
		t.Run(how+" “Lượt thi của tôi” lists the receipt with its results link and a copy button", func(t *testing.T) {
			if how == "back on the start screen" {
				run(t, ctx, "go back", chromedp.Click(`#again`), chromedp.WaitVisible(`#my-entries`))
			} else {
				run(t, ctx, "open the page again", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#my-entries`))
			}
			got := value(t, ctx, chromedp.Evaluate[map[string]string](`(function(){ var li = document.querySelector('#my-entries-list li');
				var a = li && li.querySelector('a'); var c = li && li.querySelector('[data-copy]');
				return {text: li ? li.textContent : '', href: a ? a.getAttribute('href') : '', copy: c ? c.getAttribute('data-copy') : ''}; })()`))
			if !strings.Contains(got["text"], receipt) || !strings.Contains(got["text"], "Hội thi giữ biên nhận") {
				t.Errorf("my entries = %q, want receipt %s of “Hội thi giữ biên nhận”", got["text"], receipt)
			}
			if want := "?results=" + id + "&round=r1"; got["href"] != want {
				t.Errorf("results link = %q, want %q", got["href"], want)
			}
			if got["copy"] != receipt {
				t.Errorf("copy button copies %q, want %q", got["copy"], receipt)
			}
			shot(t, ctx, strings.Fields(how)[0])
		})
	}
}
