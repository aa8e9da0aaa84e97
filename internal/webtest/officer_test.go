package webtest

// The officer's dashboard on a laptop: it opens on the year's awareness quiz, colours and
// names the villages that lag, labels the groups too small to judge, explains the
// interval in a sentence, shows no unset dates and writes numbers the Vietnamese way;
// and how long its first tables take on 3G with Chart.js loaded before and after them.

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/quiz"
)

// laptop is the officer's screen.
const laptopW, laptopH = 1366, 768

// officerSession opens the page's origin and keeps the officer's token where the pages
// keep a signed-in session, so the next visit to /staff/ starts signed in.
func officerSession(t *testing.T, ctx context.Context, base, token string) {
	t.Helper()
	run(t, ctx, "open the origin", chromedp.Navigate(base+"/favicon.svg"))
	value(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(sessionStorage.setItem('nq58.staff.token', JSON.stringify({token: %q})), true)`, token)))
}

// demoBank is the demo awareness quiz with its keys.
func demoBank(t *testing.T) quiz.Quiz {
	t.Helper()
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.ID == dashQuiz {
			return q
		}
	}
	t.Fatalf("demo quiz %s missing", dashQuiz)
	return quiz.Quiz{}
}

// officerContest has the organiser publish a contest of xa-a with one open round and no
// dates of its own (a contest's dates are its rounds'), as organisers do.
func officerContest(t *testing.T, base string) string {
	t.Helper()
	admin := dashSignIn(t, base, "admin", "demo1234")
	btc := dashSignIn(t, base, "btc", "demo1234")
	status, raw := dashCall(t, base, "GET", "/v1/admin/quizzes/"+dashQuiz, admin, nil)
	if status != http.StatusOK {
		t.Fatalf("GET demo quiz as admin: %d %s", status, raw)
	}
	var bank quiz.Quiz
	dashDecode(t, raw, &bank)
	now := time.Now()
	status, raw = dashCall(t, base, "POST", "/v1/admin/quizzes", btc, map[string]any{
		"kind": "contest", "title": "Hội thi tìm hiểu Nghị quyết 58-NQ/TW", "timeLimitSec": 600, "shuffle": true,
		"scopeUnitId": "xa-a", "questions": singleChoiceInputs(bank, 5),
		"contest": map[string]any{
			"rounds":           []map[string]any{{"id": "r1", "opensAt": now.Add(-time.Hour), "closesAt": now.Add(time.Hour)}},
			"attemptsPerRound": 1,
			"prediction":       map[string]string{"text": "Dự đoán số bài dự thi của vòng này", "truth": "entries"},
			"ranking":          contest.DefaultRanking,
			"prizes":           []map[string]any{{"tier": "Nhất", "count": 1, "amount": 1000000}},
			"topN":             10,
		},
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

// lagWant is the standing the page must give an API row against the unit's mean and the
// pass mark, worked out here independently of the page's code.
func lagWant(r dashRow, mean *float64, target float64) string {
	if r.Suppressed || r.MeanScore == nil {
		return "na"
	}
	belowMean := mean != nil && *r.MeanScore < *mean
	belowTarget := *r.MeanScore < target
	switch {
	case belowMean && belowTarget:
		return "both"
	case belowMean:
		return "mean"
	case belowTarget:
		return "target"
	}
	return "none"
}

func TestTheOfficerDashboardOnALaptop(t *testing.T) {
	bg := context.Background()
	stack, srv := demoSite(t)
	bank := demoBank(t)
	ctx := browser(t)
	year := strconv.Itoa(time.Now().In(quiz.VietnamTime).Year())

	var (
		contestID string
		report    struct {
			Rows  []dashRow `json:"rows"`
			Total dashRow   `json:"total"`
		}
	)

	if !t.Run("residents of three villages take the quiz and an organiser publishes a contest", func(t *testing.T) {
		// xa-a-t01 does well, xa-a-t02 badly, xa-a-t03 has too few people to judge.
		seed := []struct {
			unit    string
			correct []int
		}{
			{"xa-a-t01", []int{10, 9, 8, 8, 7, 9}},
			{"xa-a-t02", []int{3, 2, 2, 1, 2}},
			{"xa-a-t03", []int{9, 1}},
		}
		n := 0
		for _, s := range seed {
			for _, k := range s.correct {
				n++
				dashAttempt(t, srv.URL, bank, s.unit, fmt.Sprintf("officer-client-%02d", n), k)
			}
		}
		if err := stack.DrainStreams(bg); err != nil {
			t.Fatalf("drain streams: %v", err)
		}
		contestID = officerContest(t, srv.URL)
	}) {
		return
	}

	token := dashSignIn(t, srv.URL, "canbo", "demo1234")
	status, raw := dashCall(t, srv.URL, "GET", "/v1/reports/awareness?"+url.Values{
		"quizId": {dashQuiz}, "unitId": {"xa-a"}, "from": {year + "-01"}, "to": {year + "-12"}, "groupBy": {"village"}}.Encode(), token, nil)
	if status != http.StatusOK {
		t.Fatalf("GET awareness: %d %s", status, raw)
	}
	dashDecode(t, raw, &report)
	byKey := map[string]dashRow{}
	for _, r := range report.Rows {
		byKey[r.Key] = r
	}
	if !byKey["xa-a-t03"].Suppressed || byKey["xa-a-t01"].Suppressed || byKey["xa-a-t02"].Suppressed || report.Total.MeanScore == nil {
		t.Fatalf("the seed must give two judged villages and one suppressed: %+v", report)
	}

	if !t.Run("the dashboard opens on the awareness quiz of the year, not on the contest", func(t *testing.T) {
		officerSession(t, ctx, srv.URL, token)
		run(t, ctx, "open the dashboard",
			chromedp.EmulateViewport(laptopW, laptopH),
			chromedp.Navigate(srv.URL+"/staff/"),
			chromedp.WaitVisible(chromedp.CSS(`#awareness-table tbody tr[data-key="xa-a-t01"]`)),
		)
		waitJS(t, ctx, "the chart is drawn", `document.getElementById('mean-chart').dataset.drawn === 'true'`)
		shot(t, ctx, "opened")
		// The first table starts from the public list (cached up to a minute, so it may not
		// have the new contest yet); the staff list, with every quiz in scope, follows it.
		waitJS(t, ctx, "the staff quiz list offers the contest too",
			`Array.from(document.querySelectorAll('#quiz option')).some(o => o.value === `+strconv.Quote(contestID)+`)`)
		if got := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('quiz').value`)); got != dashQuiz {
			t.Errorf("dashboard opened on %q, want the awareness quiz %q", got, dashQuiz)
		}
	}) {
		return
	}

	if !t.Run("the chart is above the fold on a 1366×768 laptop, above the table", func(t *testing.T) {
		box := value(t, ctx, chromedp.Evaluate[map[string]float64](`(function(){ window.scrollTo(0, 0);
			var c = document.querySelector('#awareness .chart-box').getBoundingClientRect();
			var tb = document.getElementById('awareness-table').getBoundingClientRect();
			return {top: c.top, bottom: c.bottom, height: c.height, table: tb.top, view: window.innerHeight}; })()`))
		if box["height"] < 150 || box["bottom"] > box["view"] || box["top"] < 0 {
			t.Errorf("chart box spans %v–%v px in a %v px high window, want it whole (at least 150 px) without scrolling", box["top"], box["bottom"], box["view"])
		}
		if box["table"] < box["bottom"] {
			t.Errorf("table starts at %v px, above the chart's bottom %v: want the chart first", box["table"], box["bottom"])
		}
	}) {
		return
	}

	if !t.Run("villages that lag are coloured against the commune's mean and the pass mark, and named in words", func(t *testing.T) {
		type shownRow struct {
			Key, Lag, Tag, Color string
			Data                 *float64
			Slot                 *string
		}
		shown := value(t, ctx, chromedp.Evaluate[[]shownRow](`(function(){
			var ch = Chart.getChart(document.getElementById('mean-chart')), ds = ch.data.datasets[0];
			return Array.from(document.querySelectorAll('#awareness-table tbody tr[data-key]')).map(function (tr) {
				var i = ch.data.labels.indexOf(tr.querySelector('th.label').firstChild.textContent);
				var tag = tr.querySelector('.lag-tag');
				return {key: tr.dataset.key, lag: tr.dataset.lag, tag: tag ? tag.textContent : '',
					color: i < 0 ? '<no bar>' : ds.backgroundColor[i], data: i < 0 ? null : ds.data[i], slot: i < 0 ? null : ds.slotLabels[i]};
			}); })()`))
		if len(shown) != len(report.Rows) {
			t.Fatalf("page shows %d villages, API reports %d", len(shown), len(report.Rows))
		}
		words := map[string]string{"both": "dưới mức đạt và dưới trung bình chung", "mean": "dưới trung bình chung", "target": "dưới mức đạt", "none": "", "na": ""}
		colors := map[string]string{"both": "#c0392b", "mean": "#f0a030", "target": "#f0a030", "none": "#5fae6b", "na": "#cccccc"}
		seen := map[string]bool{}
		for _, s := range shown {
			want := lagWant(byKey[s.Key], report.Total.MeanScore, 50) // the demo quiz's pass mark
			seen[want] = true
			if s.Lag != want || s.Tag != words[want] || s.Color != colors[want] {
				t.Errorf("village %s: standing %q, words %q, bar %s; want %q, %q, %s", s.Key, s.Lag, s.Tag, s.Color, want, words[want], colors[want])
			}
		}
		if !seen["both"] || !seen["none"] {
			t.Errorf("the seed should give a lagging and a leading village; standings %v", seen)
		}
		legend := value(t, ctx, chromedp.Text(`#lag-legend`))
		for _, want := range []string{"Đỏ: dưới mức đạt và dưới trung bình chung", "Xanh: đạt cả hai", "Xám: dưới 5 người",
			"Trung bình chung của " + report.Total.Label + ": " + viPct(report.Total.MeanScore), "mức đạt của bài: 50,0 %"} {
			if !strings.Contains(legend, want) {
				t.Errorf("legend %q lacks %q", legend, want)
			}
		}
	}) {
		return
	}

	if !t.Run("a village under five people is labelled in the chart, not drawn as a zero bar", func(t *testing.T) {
		got := value(t, ctx, chromedp.Evaluate[map[string]any](`(function(){
			var ch = Chart.getChart(document.getElementById('mean-chart')), ds = ch.data.datasets[0];
			var i = ch.data.labels.indexOf(`+strconv.Quote(byKey["xa-a-t03"].Label)+`);
			return {index: i, data: i < 0 ? 'missing' : ds.data[i], slot: i < 0 ? 'missing' : ds.slotLabels[i],
				aria: document.getElementById('mean-chart').getAttribute('aria-label')}; })()`))
		if got["data"] != nil || got["slot"] != "dưới 5 người" {
			t.Errorf("suppressed village in the chart: bar %v, label %v; want no bar and “dưới 5 người”", got["data"], got["slot"])
		}
		if aria, _ := got["aria"].(string); !strings.Contains(aria, byKey["xa-a-t03"].Label+" dưới 5 người") {
			t.Errorf("chart description %q does not say the village has under five people", aria)
		}
	}) {
		return
	}

	if !t.Run("one sentence in Vietnamese explains the interval with the commune's figures", func(t *testing.T) {
		note := value(t, ctx, chromedp.Text(`#interval-note`))
		ci := report.Total.CI95
		if len(ci) != 2 {
			t.Fatalf("API total has no interval: %+v", report.Total)
		}
		for _, want := range []string{"Khoảng tin cậy 95 %", viPct(report.Total.MeanScore), viDecimal(ci[0]) + "–" + viDecimal(ci[1]) + " %", "càng ít người, khoảng càng rộng"} {
			if !strings.Contains(note, want) {
				t.Errorf("interval note %q lacks %q", note, want)
			}
		}
		if n := strings.Count(strings.TrimSuffix(note, "."), ". "); n != 0 {
			t.Errorf("interval note %q has %d sentence breaks, want one sentence", note, n)
		}
	}) {
		return
	}

	if !t.Run("numbers on screen have a decimal comma, a thousands dot and a spaced percent sign", func(t *testing.T) {
		cells := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
			'#awareness-table td.num, #topics-table td.num, #questions-table td.num, #year-compare td.num, #trend-table td.num')).map(e => e.textContent.trim())`))
		if len(cells) < 20 {
			t.Fatalf("found %d number cells, want the dashboard's tables", len(cells))
		}
		decimalPoint := regexp.MustCompile(`\d\.\d{1,2}(\D|$)`)
		bareSign := regexp.MustCompile(`\d%`)
		for _, c := range cells {
			if decimalPoint.MatchString(c) || bareSign.MatchString(c) {
				t.Errorf("cell %q: want a decimal comma and “ %%”", c)
			}
		}
		r := byKey["xa-a-t01"]
		mean := value(t, ctx, chromedp.Text(`#awareness-table tr[data-key="xa-a-t01"] td.mean`))
		if want := viPct(r.MeanScore); mean != want {
			t.Errorf("mean of xa-a-t01 = %q, want %q", mean, want)
		}
	}) {
		return
	}

	if !t.Run("a quiz without dates of its own shows none, never 01/01/0001", func(t *testing.T) {
		choose(t, ctx, "quiz", contestID)
		waitJS(t, ctx, "the quiz note follows the choice", `document.getElementById('quiz-note').textContent.indexOf('Cuộc thi') >= 0 || document.getElementById('quiz-note').textContent.indexOf('cuộc thi') >= 0`)
		note := value(t, ctx, chromedp.Text(`#quiz-note`))
		if strings.Contains(note, "0001") || strings.Contains(note, "01/01/") {
			t.Errorf("quiz note %q shows an unset date", note)
		}
		shot(t, ctx, "contest")
	}) {
		return
	}

	t.Run("a contest whose round is open shows the note in place of the figures graded with its key", func(t *testing.T) {
		const note = "Hội thi đang diễn ra: số liệu đáp án ẩn đến khi đóng vòng"
		for _, section := range []string{"awareness", "topics", "questions", "trend"} {
			waitJS(t, ctx, "the "+section+" section says why its figures are hidden",
				`document.querySelector('[data-status-for="`+section+`"]').textContent === `+strconv.Quote(note))
		}
		cells := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#questions-table td.facility')).map(e => e.textContent)`))
		if len(cells) == 0 {
			t.Fatal("the question analysis lists no question of the contest")
		}
		for _, c := range cells {
			if c != "Ẩn đến khi đóng vòng" {
				t.Errorf("facility cell %q, want “Ẩn đến khi đóng vòng”", c)
			}
		}
		shot(t, ctx, "contest-sealed")
	})
}

// firstTableJS records, from the page's first script on, when the first awareness row
// and the drawn chart appear and what had been transferred by then.
const firstTableJS = `(function(){
	function bytes() { return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
		.reduce(function (s, e) { return s + (e.transferSize || 0); }, 0); }
	function chartLoaded() { return performance.getEntriesByType('resource').some(function (e) { return /chart\.umd/.test(e.name); }); }
	new MutationObserver(function (list, obs) {
		if (!window.__firstTable && document.querySelector('#awareness-table tbody tr[data-key]')) {
			window.__firstTable = {ms: performance.now(), bytes: bytes(), chart: chartLoaded(),
				entries: performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(function (e) {
					return e.name.replace(location.origin, '') + ' ' + e.transferSize + ' B ' + Math.round(e.startTime) + '–' + Math.round(e.responseEnd) + ' ms'; })};
		}
		var c = document.getElementById('mean-chart');
		if (!window.__chart && c && c.dataset.drawn === 'true') window.__chart = {ms: performance.now(), bytes: bytes(), chart: chartLoaded()};
		if (window.__firstTable && window.__chart) obs.disconnect();
	}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn']});
})()`

// moment is a time since navigation and what had been transferred by then.
type moment struct {
	MS    float64 `json:"ms"`
	Bytes int     `json:"bytes"`
	Chart bool    `json:"chart"` // Chart.js had been fetched
	// Entries are the requests done by then: path, bytes, start–end since navigation.
	Entries []string `json:"entries"`
}

// eagerChart serves the dashboard with Chart.js as a classic script ahead of the page's
// module, so the first tables wait for it (gzip as the gateway sends it): the slower
// page the measured one is compared with.
func eagerChart(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/staff/" {
			next.ServeHTTP(w, r)
			return
		}
		plain := r.Clone(r.Context())
		plain.Header.Del("Accept-Encoding")
		plain.Header.Del("If-None-Match")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, plain)
		body := strings.Replace(rec.Body.String(), `<script type="module" src="/staff/bundle/dashboard.js">`,
			`<script src="/staff/vendor/chart.umd.min.js"></script><script type="module" src="/staff/bundle/dashboard.js">`, 1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			_, _ = io.WriteString(w, body)
			return
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		_, _ = io.WriteString(zw, body)
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	})
}

// TestOfficerFirstTablesOn3G prints how long an officer on 3G (400 kbps, 400 ms) waits
// for the first awareness table, and how many bytes it costs, with Chart.js loaded
// before the tables (as before) and after them (now). Printed, not asserted: wall-clock
// time depends on the machine.
func TestOfficerFirstTablesOn3G(t *testing.T) {
	stack, srv, token := officerOn3GSite(t)
	before := httptest.NewServer(eagerChart(stack.Handler()))
	t.Cleanup(before.Close)

	for _, v := range []struct{ name, base string }{{"Chart.js before the tables (as the page loaded it)", before.URL}, {"Chart.js after the tables (now)", srv.URL}} {
		t.Run(v.name, func(t *testing.T) {
			ctx := browser(t) // a fresh profile: an empty cache, as a first visit
			officerSession(t, ctx, v.base, token)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: firstTableJS}); err != nil {
				t.Fatalf("add the first-table observer: %v", err)
			}
			if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
				t.Fatalf("clear the cache: %v", err)
			}
			run(t, ctx, "laptop size", chromedp.EmulateViewport(laptopW, laptopH))
			throttle3G(t, ctx)
			run(t, ctx, "open the dashboard", chromedp.Navigate(v.base+"/staff/"))
			first := awaitMoment(t, ctx, "window.__firstTable")
			t.Logf("3G, %s: first table after %.2f s, %.1f KB transferred (Chart.js fetched: %v); requests by then:\n%s",
				v.name, first.MS/1000, float64(first.Bytes)/1024, first.Chart, strings.Join(first.Entries, "\n"))
			chart := awaitMoment(t, ctx, "window.__chart")
			t.Logf("3G, %s: chart drawn after %.2f s, %.1f KB transferred", v.name, chart.MS/1000, float64(chart.Bytes)/1024)
			if !chart.Chart {
				t.Errorf("the chart was drawn but Chart.js was never fetched")
			}
			shot(t, ctx)
		})
	}
}

// awaitMoment waits up to a minute (3G is slow) for the page to set a moment and reads it.
func awaitMoment(t *testing.T, ctx context.Context, expr string) moment {
	t.Helper()
	js := `new Promise(function (resolve, reject) { var n = 0; (function poll() {
		if (` + expr + `) { resolve(` + expr + `); return; }
		if (++n > 1200) { reject(new Error('timed out waiting for ` + expr + `')); return; }
		setTimeout(poll, 50); })(); })`
	m, err := chromedp.Run(ctx, chromedp.Evaluate[moment](js, chromedp.EvalAwaitPromise))
	if err != nil {
		shot(t, ctx)
		t.Fatalf("%s: %v", expr, err)
	}
	return m
}
