package webtest

// Every screen at a cheap phone's size (issue 25, item 10): text a resident reads is at
// least 16 px, everything tapped is at least 44 px tall, and axe-core finds nothing.

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/testenv"
)

// axeScript is axe-core as npm installs it from package.json (make test runs npm ci).
func axeScript(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is needed at %s (npm ci installs it from package.json): %v", path, err)
	}
	return string(b)
}

// axeRunJS runs axe-core on the whole page and lists each violation as "rule (impact):
// the elements".
const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(function (r) {
	return r.violations.map(function (v) { return v.id + ' (' + v.impact + '): ' +
		v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); }); })`

// axeViolations injects axe-core into the page once and lists what it finds.
func axeViolations(t *testing.T, ctx context.Context, script string) []string {
	t.Helper()
	// Evaluated by the DevTools protocol, not as a <script>: the pages' CSP allows no inline script.
	if !value(t, ctx, chromedp.Evaluate[bool](`!!window.axe`)) {
		value(t, ctx, chromedp.Evaluate[bool](script+"\n;!!window.axe"))
	}
	return value(t, ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
}

// tapTargetsJS lists the shown tap targets of the whole page (header included) under
// 44 px tall; a checkbox or radio counts by its label, which takes the tap.
const tapTargetsJS = `(function(){ var out = [];
	var name = function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''); };
	document.querySelectorAll('body button, body a, body select, body summary, body input:not([type=checkbox]):not([type=radio]):not([type=hidden]), body label.check').forEach(function (e) {
		if (e.getClientRects().length === 0 || getComputedStyle(e).visibility === 'hidden') return;
		if (e.matches('a.skip')) return; // shown only while focused
		var h = e.getBoundingClientRect().height;
		if (h < 44) out.push('target ' + name(e) + ' ' + h.toFixed(1) + ' px tall: ' + e.textContent.trim().slice(0, 30));
	});
	return out; })()`

// resultTop is what the result screen shows as it opens: its duration line and how
// far down the first "Làm bài khác" button ends (0: none shown).
type resultTop struct {
	Duration    string  `json:"duration"`
	AgainBottom float64 `json:"againBottom"`
	PageHeight  float64 `json:"pageHeight"`
}

const resultTopJS = `(function(){
	var again = Array.from(document.querySelectorAll('#result button')).filter(function (b) {
		return b.textContent.trim() === 'Làm bài khác' && b.getClientRects().length > 0; });
	return {duration: document.getElementById('duration').textContent.trim(),
		againBottom: again.length ? again[0].getBoundingClientRect().bottom + scrollY : 0,
		pageHeight: document.documentElement.scrollHeight}; })()`

// durationWords is a duration a resident reads at once.
var durationWords = regexp.MustCompile(`^Thời gian làm bài: (\d+ phút( \d\d giây)?|\d{1,2} giây)$`)

// TestDurationsReadAsWords checks the pages' one duration wording.
func TestDurationsReadAsWords(t *testing.T) {
	stack := testenv.Stack(t, nil)
	srv := httptest.NewServer(stack.Gateway)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	run(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/"))
	tests := []struct {
		name string
		ms   int
		want string
	}{
		{"twenty seconds read as seconds alone", 20_000, "20 giây"},
		{"a duration over a minute gives minutes and two-digit seconds", 185_000, "3 phút 05 giây"},
		{"whole minutes leave the seconds out", 180_000, "3 phút"},
		{"half a second rounds to the nearest second", 1_500, "2 giây"},
		{"nothing reads as zero seconds", 0, "0 giây"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := value(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`import('/lib/format.js').then(function (m) { return m.durationText(%d); })`, tt.ms),
				chromedp.EvalAwaitPromise))
			if got != tt.want {
				t.Errorf("durationText(%d) = %q, want %q", tt.ms, got, tt.want)
			}
		})
	}
}

// screenCheck is what one screen failed: texts under 16 px (resident screens only),
// targets under 44 px, and axe-core's violations.
type screenCheck struct {
	texts, targets, axe []string
}

// checkScreen opens the screen's details on demand and checks it.
func checkScreen(t *testing.T, ctx context.Context, script, screen string, resident bool) screenCheck {
	t.Helper()
	shot(t, ctx, strings.ReplaceAll(screen, " ", "-"))
	value(t, ctx, chromedp.Evaluate[bool](`(function(){ document.querySelectorAll('main details').forEach(function (d) { d.open = true; }); return true })()`))
	var c screenCheck
	if resident {
		for _, s := range value(t, ctx, chromedp.Evaluate[[]string](smallThingsJS)) {
			if strings.HasPrefix(s, "text ") {
				c.texts = append(c.texts, s)
			}
		}
	}
	c.targets = value(t, ctx, chromedp.Evaluate[[]string](tapTargetsJS))
	c.axe = axeViolations(t, ctx, script)
	t.Logf("%s: %d texts under 16 px, %d targets under 44 px, %d axe violations", screen, len(c.texts), len(c.targets), len(c.axe))
	for _, list := range [][]string{c.texts, c.targets, c.axe} {
		if len(list) > 0 {
			t.Errorf("on %s:\n%s", screen, strings.Join(list, "\n"))
		}
	}
	return c
}

// TestEveryScreenIsReadableTappableAndAccessibleOnAPhone walks every screen at 360×740:
// the resident's start, form, quiz, result, a contest's public results, a contest
// entry's receipt and the start screen listing it, then the
// officer's dashboard, the organiser's contest page, the officer's random-sample page and
// the collector's paper page.
func TestEveryScreenIsReadableTappableAndAccessibleOnAPhone(t *testing.T) {
	stack, srv := demoSite(t)
	script := axeScript(t)
	contestID := officerContest(t, srv.URL)
	now := time.Now()
	openID := createContest(t, srv.URL, "Hội thi giữ biên nhận", false, [2]time.Time{now.Add(-time.Hour), now.Add(time.Hour)})
	ctx := browser(t)
	run(t, ctx, "take a phone's screen", chromedp.EmulateViewport(360, 740))
	item := `button.quiz-item[data-quiz-id="demo-nq58-quiz"]`

	screens := []struct {
		name     string
		resident bool
		open     func(t *testing.T)
	}{
		{"the resident's start screen", true, func(t *testing.T) {
			run(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"), chromedp.WaitVisible(item))
		}},
		{"the resident's form", true, func(t *testing.T) {
			run(t, ctx, "choose the quiz", chromedp.Click(item), chromedp.WaitVisible(`#start`))
		}},
		{"a question of the quiz", true, func(t *testing.T) {
			run(t, ctx, "start", chromedp.Click(`#start`), chromedp.WaitVisible(`#question-text`))
		}},
		{"the result with its review", true, func(t *testing.T) {
			for i := 1; i <= 10; i++ {
				acts := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(`#question-text`), chromedp.Click(`input[name="opt"]`)}
				if i < 10 {
					acts = append(acts, chromedp.Click(`#next`))
				}
				run(t, ctx, fmt.Sprintf("answer question %d", i), acts...)
			}
			run(t, ctx, "submit", chromedp.Click(`#submit`), chromedp.WaitVisible(`#result`))
			got := value(t, ctx, chromedp.Evaluate[resultTop](resultTopJS))
			t.Logf("result: page %.0f px tall, %q, a \"Làm bài khác\" ends at %.0f px", got.PageHeight, got.Duration, got.AgainBottom)
			if !durationWords.MatchString(got.Duration) {
				t.Errorf("duration = %q, want it in words (\"20 giây\", \"3 phút 05 giây\")", got.Duration)
			}
			if got.AgainBottom <= 0 || got.AgainBottom > 740 {
				t.Errorf("the first \"Làm bài khác\" ends %.0f px down a %.0f px page, want it on the first 740 px screen", got.AgainBottom, got.PageHeight)
			}
		}},
		{"a contest round's public results", true, func(t *testing.T) {
			run(t, ctx, "open the results", chromedp.Navigate(srv.URL+"/?results="+contestID+"&round=r1"), chromedp.WaitVisible(`#results-screen`))
			waitJS(t, ctx, "the round is named", `document.getElementById('results-quiz').textContent !== ''`)
		}},
		{"a contest entry's receipt", true, func(t *testing.T) {
			entry := `button.quiz-item[data-quiz-id="` + openID + `"]`
			run(t, ctx, "open the open contest and fill in the form", chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"),
				chromedp.WaitVisible(entry), chromedp.Click(entry), chromedp.WaitVisible(`#name`),
				chromedp.SendKeys(`#name`, "Phạm Thị Lan"), chromedp.SendKeys(`#phone`, "0913 555 666"), chromedp.Click(`#consent`),
				chromedp.Click(`#start`))
			for i := 1; i <= 2; i++ {
				run(t, ctx, fmt.Sprintf("answer question %d", i), chromedp.WaitVisible(`#question-text`), chromedp.Click(`input[name="opt"]`), chromedp.Click(`#next`))
			}
			run(t, ctx, "predict and submit", chromedp.WaitVisible(`#prediction`), chromedp.SendKeys(`#prediction`, "3"),
				chromedp.Click(`#submit`), chromedp.WaitVisible(`#receipt-box`))
		}},
		{"the start screen with this device's entries", true, func(t *testing.T) {
			run(t, ctx, "go back", chromedp.Click(`#again`), chromedp.WaitVisible(`#my-entries`))
		}},
		{"the officer's dashboard", false, func(t *testing.T) {
			officerSession(t, ctx, srv.URL, dashSignIn(t, srv.URL, "canbo", "demo1234"))
			run(t, ctx, "open the dashboard", chromedp.Navigate(srv.URL+"/staff/"), chromedp.WaitVisible(`#awareness-table tbody tr`))
			waitJS(t, ctx, "the trend table is filled", `document.querySelector('#trend-table tbody tr')`)
		}},
		{"the admin's dashboard, with the set-up, authoring and accounts panels", false, func(t *testing.T) {
			officerSession(t, ctx, srv.URL, dashSignIn(t, srv.URL, "admin", "demo1234"))
			run(t, ctx, "open the dashboard", chromedp.Navigate(srv.URL+"/staff/"), chromedp.WaitVisible(`#awareness-table tbody tr`),
				chromedp.WaitVisible(`#staff-admin`))
		}},
		{"the organiser's contest page", false, func(t *testing.T) {
			officerSession(t, ctx, srv.URL, dashSignIn(t, srv.URL, "btc", "demo1234"))
			run(t, ctx, "open the contest page", chromedp.Navigate(srv.URL+"/staff/contest.html"), chromedp.WaitVisible(`#app`),
				chromedp.WaitReady(chromedp.CSS(`#contest-select option[value="`+contestID+`"]`)))
			pickRound(t, ctx, contestID, "r1")
			waitJS(t, ctx, "the ranking is shown", `document.getElementById('ranking-table').getClientRects().length > 0`)
		}},
		{"the officer's random-sample page, with a drawn sample", false, func(t *testing.T) {
			drawnSample(t, stack)
			officerSession(t, ctx, srv.URL, dashSignIn(t, srv.URL, "canbo", "demo1234"))
			run(t, ctx, "open the sample page", chromedp.Navigate(srv.URL+"/staff/sample.html"), chromedp.WaitVisible(`#s-quiz`))
			waitJS(t, ctx, "the sample is listed", `document.querySelectorAll('#s-pick option').length > 1`)
			value(t, ctx, chromedp.Evaluate[bool](`(function(){ var s = document.getElementById('s-pick'); s.selectedIndex = 1;
				s.dispatchEvent(new Event('change')); return true })()`))
			waitJS(t, ctx, "the codes and figures are shown", `document.querySelectorAll('#codes tbody tr').length > 0 &&
				document.querySelectorAll('#figures tbody tr').length > 0`)
		}},
		{"the collector's paper page", false, func(t *testing.T) {
			officerSession(t, ctx, srv.URL, dashSignIn(t, srv.URL, "nhapphieu", "demo1234"))
			run(t, ctx, "open the paper page", chromedp.Navigate(srv.URL+"/staff/paper.html"), chromedp.WaitVisible(`#p-quiz`))
			waitJS(t, ctx, "the quizzes are offered", `document.querySelectorAll('#p-quiz option').length > 0`)
		}},
	}
	rules := map[string]int{}
	var texts, targets int
	for _, s := range screens {
		t.Run(s.name+" has nothing too small and nothing axe-core objects to", func(t *testing.T) {
			s.open(t)
			c := checkScreen(t, ctx, script, s.name, s.resident)
			texts, targets = texts+len(c.texts), targets+len(c.targets)
			for _, v := range c.axe {
				rule, _, _ := strings.Cut(v, ":")
				rules[rule]++
			}
		})
	}
	var byRule []string
	for r, n := range rules {
		byRule = append(byRule, fmt.Sprintf("%s on %d screens", r, n))
	}
	sort.Strings(byRule)
	t.Logf("in all: %d texts under 16 px, %d targets under 44 px, axe: %s", texts, targets, strings.Join(byRule, "; "))
}
