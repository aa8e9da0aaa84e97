package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
)

const dashQuiz = "demo-nq58-quiz"

// dashRow is an awareness row as the API answers it.
type dashRow struct {
	Key               string    `json:"key"`
	Label             string    `json:"label"`
	Participants      int64     `json:"participants"`
	Population        int64     `json:"population"`
	ParticipationRate *float64  `json:"participationRate"`
	MeanScore         *float64  `json:"meanScore"`
	CI95              []float64 `json:"ci95"`
	PassRate          *float64  `json:"passRate"`
	Suppressed        bool      `json:"suppressed"`
	// Wilson 95 % intervals, shown beside their rates: "62,1 % (55,0–68,7 %)".
	ParticipationRateCI95 []float64 `json:"participationRateCi95"`
	PassRateCI95          []float64 `json:"passRateCi95"`
}

// pageRow is an awareness row as the page shows it.
type pageRow struct {
	Key           string `json:"key"`
	Participants  string `json:"participants"`
	Population    string `json:"population"`
	Participation string `json:"participation"`
	Mean          string `json:"mean"`
	CI            string `json:"ci"`
	Pass          string `json:"pass"`
}

// TestDashboardShowsTheReportNumbers seeds attempts in three villages of xa-a (one too
// small to judge) and one of xa-b, signs in as the xa-a officer through the page and
// checks that the awareness table shows exactly what the API reports, then records an
// activity through the form.
func TestDashboardShowsTheReportNumbers(t *testing.T) {
	bg := context.Background()
	stack, srv := demoSite(t)
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	var bank quiz.Quiz
	for _, q := range qs {
		if q.ID == dashQuiz {
			bank = q
		}
	}
	if bank.ID == "" {
		t.Fatalf("demo quiz %s missing", dashQuiz)
	}
	ctx := browser(t)
	year := strconv.Itoa(time.Now().In(quiz.VietnamTime).Year())
	from, to := year+"-01", year+"-12"
	query := "groupBy=village&quizId=" + dashQuiz + "&unitId=xa-a&from=" + from + "&to=" + to

	// Shared by the steps.
	var (
		token  string // the officer's token, for the API
		report struct {
			Rows  []dashRow `json:"rows"`
			Total dashRow   `json:"total"`
		} // what the API reports for the filters the page uses
		byKey = map[string]dashRow{} // its rows by village
	)

	if !t.Run("residents of three villages of xa-a and one of xa-b take the quiz", func(t *testing.T) {
		// Correct answers per attempt, by village: the scores differ; xa-a-t03 has too few
		// participants to judge; xa-b-t02 is outside the officer's commune.
		seed := []struct {
			unit    string
			correct []int
		}{
			{"xa-a-t01", []int{10, 9, 8, 8, 7, 5}},
			{"xa-a-t02", []int{6, 4, 5, 3, 2}},
			{"xa-a-t03", []int{9, 1}},
			{"xa-b-t02", []int{10}},
		}
		n := 0
		for _, s := range seed {
			for _, k := range s.correct {
				n++
				dashAttempt(t, srv.URL, bank, s.unit, fmt.Sprintf("dash-client-%02d", n), k)
			}
		}
		if err := stack.DrainStreams(bg); err != nil {
			t.Fatalf("drain streams: %v", err)
		}
	}) {
		return
	}

	if !t.Run("the API reports two judged villages and one too small to judge", func(t *testing.T) {
		token = dashSignIn(t, srv.URL, "canbo", "demo1234")
		status, raw := dashCall(t, srv.URL, "GET", "/v1/reports/awareness?"+url.Values{
			"quizId": {dashQuiz}, "unitId": {"xa-a"}, "from": {from}, "to": {to}, "groupBy": {"village"}}.Encode(), token, nil)
		if status != http.StatusOK {
			t.Fatalf("GET awareness: %d %s", status, raw)
		}
		dashDecode(t, raw, &report)
		for _, r := range report.Rows {
			byKey[r.Key] = r
		}
		// The seed must give the page something to show: two judged villages, one suppressed.
		if r := byKey["xa-a-t01"]; r.Participants != 6 || r.Suppressed || r.MeanScore == nil || len(r.CI95) != 2 {
			t.Fatalf("API row xa-a-t01 = %+v, want 6 participants with a mean and an interval", r)
		}
		if r := byKey["xa-a-t02"]; r.Participants != 5 || r.Suppressed {
			t.Fatalf("API row xa-a-t02 = %+v, want 5 participants, not suppressed", r)
		}
		if r := byKey["xa-a-t03"]; r.Participants != 2 || !r.Suppressed {
			t.Fatalf("API row xa-a-t03 = %+v, want 2 participants, suppressed", r)
		}
	}) {
		return
	}

	if !t.Run("the officer opens the dashboard and a wrong password is refused", func(t *testing.T) {
		run(t, ctx, "open the dashboard",
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(srv.URL+"/staff/"),
			chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`), // to the issuer's login page
			chromedp.WaitVisible(`#username`),
		)
		run(t, ctx, "sign in with a wrong password",
			chromedp.SendKeys(`#username`, "canbo"),
			chromedp.SendKeys(`#password`, "sai-mat-khau"),
			chromedp.Click(`#signin-button`),
			chromedp.WaitVisible(`#signin-error`),
		)
		if msg := value(t, ctx, chromedp.Text(`#signin-error`)); !strings.Contains(msg, "Sai tên đăng nhập hoặc mật khẩu") {
			t.Errorf("sign-in error = %q, want the wrong-password message", msg)
		}
	}) {
		return
	}

	if !t.Run("the officer signs in and sees their role and only their commune's units", func(t *testing.T) {
		value(t, ctx, chromedp.Evaluate[bool](`(document.getElementById('password').value = '') === ''`))
		run(t, ctx, "sign in",
			chromedp.SendKeys(`#password`, "demo1234"),
			chromedp.Click(`#signin-button`),
			chromedp.WaitVisible(`#dashboard`),
			chromedp.WaitReady(chromedp.CSS(`#quiz option[value="`+dashQuiz+`"]`)),
		)
		if who := value(t, ctx, chromedp.Text(`#who`)); !strings.Contains(who, "canbo") || !strings.Contains(who, "Cán bộ văn hóa – xã hội") {
			t.Errorf("header = %q, want the user and the role", who)
		}
		units := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#unit option')).map(o => o.value)`))
		if !slices.Contains(units, "xa-a") || !slices.Contains(units, "xa-a-t07") || slices.ContainsFunc(units, func(u string) bool { return u == "th" || strings.HasPrefix(u, "xa-b") }) {
			t.Errorf("unit picker = %v, want xa-a and its villages only", units)
		}
	}) {
		return
	}

	if !t.Run("the officer picks the quiz and the period and the report sections show", func(t *testing.T) {
		js := fmt.Sprintf(`(function(){
		function set(id, v){ var e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change', {bubbles: true})); }
		set('unit', 'xa-a'); set('quiz', %q); set('from', %q); set('to', %q); set('group-by', 'village');
		return true })()`, dashQuiz, from, to)
		value(t, ctx, chromedp.Evaluate[bool](js))
		run(t, ctx, "show the awareness table",
			chromedp.WaitVisible(chromedp.CSS(`#awareness-table[data-query="`+query+`"] tbody tr[data-key="xa-a-t01"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#topics-table tbody tr[data-key="xa-a-t01"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#questions-table tbody tr[data-question]`)),
			chromedp.WaitReady(chromedp.CSS(`#trend-table tbody tr`)),
		)
	}) {
		return
	}

	if !t.Run("the awareness table shows exactly the rows the API reports", func(t *testing.T) {
		shown := value(t, ctx, chromedp.Evaluate[[]pageRow](`Array.from(document.querySelectorAll('#awareness-table tbody tr[data-key], #awareness-table tr.total')).map(function (tr) {
		function c(cls) { var e = tr.querySelector('.' + cls); return e ? e.textContent.trim() : '<missing>'; }
		return {key: tr.classList.contains('total') ? '<total>' : tr.dataset.key, participants: c('participants'), population: c('population'),
			participation: c('participation'), mean: c('mean'), ci: c('ci'), pass: c('pass')};
	})`))
		var keys []string
		for _, r := range shown {
			keys = append(keys, r.Key)
			if strings.HasPrefix(r.Key, "xa-b") {
				t.Errorf("village %s of another commune is on the officer's dashboard", r.Key)
			}
		}
		var want []pageRow
		for _, r := range report.Rows {
			want = append(want, expectRow(r.Key, r))
		}
		want = append(want, expectRow("<total>", report.Total))
		if len(shown) != len(want) {
			t.Fatalf("page shows rows %v, API reports %d rows and a total", keys, len(report.Rows))
		}
		got := map[string]pageRow{}
		for _, r := range shown {
			got[r.Key] = r
		}
		for _, w := range want {
			if g, ok := got[w.Key]; !ok {
				t.Errorf("row %s missing on the page", w.Key)
			} else if g != w {
				t.Errorf("row %s:\n page %+v\n  API %+v", w.Key, g, w)
			}
		}
		if got["xa-a-t03"].Mean != "Quá ít để đánh giá" {
			t.Errorf("suppressed village shows %q, want “Quá ít để đánh giá”", got["xa-a-t03"].Mean)
		}
	}) {
		return
	}

	if !t.Run("the chart has a bar per village and says its numbers to screen readers", func(t *testing.T) {
		waitJS(t, ctx, "the chart is drawn once Chart.js has loaded", `document.getElementById('mean-chart').dataset.drawn === 'true'`)
		bars := value(t, ctx, chromedp.Evaluate[int](`(function(){ var c = Chart.getChart(document.getElementById('mean-chart')); return c ? c.data.datasets[0].data.length : -1 })()`))
		if bars != len(report.Rows) {
			t.Errorf("mean chart has %d bars, want %d", bars, len(report.Rows))
		}
		label := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('mean-chart').getAttribute('aria-label')`))
		if m := byKey["xa-a-t01"].MeanScore; !strings.Contains(label, viDecimal(*m)) {
			t.Errorf("chart label %q lacks the mean of xa-a-t01 (%s)", label, viDecimal(*m))
		}
	}) {
		return
	}

	if !t.Run("sorting by mean with the keyboard puts the best village first", func(t *testing.T) {
		run(t, ctx, "sort by mean with the keyboard",
			chromedp.Focus(chromedp.CSS(`#awareness-table th[data-sort="mean"] button`)),
			chromedp.KeyEvent(kb.Enter),
		)
		best, bestMean := "", -1.0
		for _, r := range report.Rows {
			if r.MeanScore != nil && *r.MeanScore > bestMean {
				best, bestMean = r.Key, *r.MeanScore
			}
		}
		first := value(t, ctx, chromedp.Evaluate[string](`document.querySelector('#awareness-table tbody tr').dataset.key`))
		sorted := value(t, ctx, chromedp.Evaluate[string](`document.querySelector('#awareness-table th[data-sort="mean"]').getAttribute('aria-sort') || ''`))
		if first != best || sorted != "descending" {
			t.Errorf("after sorting by mean: first row %s, aria-sort %q; want %s, descending", first, sorted, best)
		}
	}) {
		return
	}

	if !t.Run("no section reports an error", func(t *testing.T) {
		if errs := sectionErrors(t, ctx); len(errs) > 0 {
			t.Errorf("sections show errors: %v", errs)
		}
		shot(t, ctx, "dashboard")
	}) {
		return
	}

	if !t.Run("on a tablet the page does not scroll sideways; wide tables scroll inside their box", func(t *testing.T) {
		run(t, ctx, "tablet size", chromedp.EmulateViewport(820, 1180))
		wide := value(t, ctx, chromedp.Evaluate[[]string](`new Promise(function (resolve) { var n = 0; (function poll() {
		// Charts follow the new size a frame or two later.
		if (document.documentElement.scrollWidth <= 820 || ++n > 40) {
			resolve(Array.from(document.querySelectorAll('body *')).filter(function (e) {
				var r = e.getBoundingClientRect(); return r.right > 821 && !e.closest('.table-wrap');
			}).slice(0, 5).map(function (e) { return e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right); }));
			return;
		}
		setTimeout(poll, 50); })(); })`, chromedp.EvalAwaitPromise))
		if w := value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 820 {
			t.Errorf("page is %d px wide on an 820 px tablet, want no horizontal scroll; too wide: %v", w, wide)
		}
		shot(t, ctx, "tablet")
		run(t, ctx, "laptop size", chromedp.EmulateViewport(1280, 900))
	}) {
		return
	}

	// Downloads go through fetch with the token and a Blob: the table as CSV, the annual
	// evaluation as XLSX and as a printable page.
	if !t.Run("the officer downloads the table as CSV", func(t *testing.T) {
		captureDownloads(t, ctx)
		run(t, ctx, "download the table as CSV", chromedp.Click(chromedp.CSS(`button[data-download="awareness"][data-format="csv"]`)))
		if csv := downloaded(t, ctx, "CSV", 0).asText(); !strings.HasPrefix(csv, "text/csv") || !strings.Contains(csv, "Thôn Phong Ý") || strings.Contains(csv, "xa-b") {
			t.Errorf("CSV download = %.300q, want the commune's villages", csv)
		}
	}) {
		return
	}

	if !t.Run("the officer downloads the annual evaluation as a spreadsheet", func(t *testing.T) {
		run(t, ctx, "download the annual evaluation", chromedp.Click(chromedp.CSS(`#annual-xlsx`)))
		if xlsx := downloaded(t, ctx, "annual XLSX", 1).asText(); !strings.HasPrefix(xlsx, "application/vnd.openxmlformats") || !strings.Contains(xlsx, "PK") {
			t.Errorf("annual XLSX download = %.100q, want a spreadsheet", xlsx)
		}
	}) {
		return
	}

	if !t.Run("the officer opens the printable annual evaluation", func(t *testing.T) {
		run(t, ctx, "open the printable annual evaluation", chromedp.Click(chromedp.CSS(`#annual-html`)))
		if html := downloaded(t, ctx, "annual HTML", 2).asText(); !strings.HasPrefix(html, "text/html") || !strings.Contains(html, "Thôn Phong Ý") {
			t.Errorf("annual HTML = %.300q, want the printable evaluation", html)
		}
		// The printable page opened in a new tab; a background tab draws no frames.
		if _, err := chromedp.Call(ctx, page.BringToFront, cdp.Empty{}); err != nil {
			t.Fatalf("bring the dashboard to the front: %v", err)
		}
	}) {
		return
	}

	if !t.Run("the officer records an activity through the form and finds it stored and listed", func(t *testing.T) {
		note := "Phát thanh tin về Nghị quyết 58 trên loa thôn Đồng Lão"
		run(t, ctx, "record an activity",
			chromedp.SetValue(chromedp.CSS(`#activity-unit`), "xa-a-t02"),
			chromedp.SetValue(chromedp.CSS(`#activity-type`), "loudspeaker"),
			chromedp.Click(chromedp.CSS(`input[name="activity-topic"][value="a"]`)),
			chromedp.Click(chromedp.CSS(`input[name="activity-topic"][value="d"]`)),
			chromedp.SendKeys(`#activity-audience`, "120"),
			chromedp.SendKeys(`#activity-note`, note),
			chromedp.Click(`#activity-save`),
			chromedp.WaitVisible(`#activity-done`),
			chromedp.WaitVisible(chromedp.CSS(`#activities-table tbody tr[data-id]`)),
		)
		date := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('activity-date').value`))
		status, raw := dashCall(t, srv.URL, "GET", "/v1/activities?"+url.Values{"unitId": {"xa-a"}, "from": {from + "-01"}, "to": {to + "-31"}}.Encode(), token, nil)
		if status != http.StatusOK {
			t.Fatalf("GET activities: %d %s", status, raw)
		}
		var list struct {
			Activities []struct {
				ID, UnitID, Type, Date, Note, CreatedBy string
				Topics                                  []string
				Audience                                int
			} `json:"activities"`
		}
		dashDecode(t, raw, &list)
		if len(list.Activities) != 1 {
			t.Fatalf("API lists %d activities, want the one recorded: %s", len(list.Activities), raw)
		}
		a := list.Activities[0]
		if a.UnitID != "xa-a-t02" || a.Type != "loudspeaker" || a.Date != date || a.Note != note || a.Audience != 120 ||
			!slices.Equal(a.Topics, []string{"a", "d"}) || a.CreatedBy != "canbo" {
			t.Errorf("stored activity = %+v", a)
		}
		row := value(t, ctx, chromedp.Evaluate[map[string]string](`(function(){ var tr = document.querySelector('#activities-table tbody tr[data-id]');
		function c(cls) { return tr.querySelector('.' + cls).textContent.trim(); }
		return {id: tr.dataset.id, date: c('date'), unit: c('unit'), type: c('type'), audience: c('audience'), note: c('note')} })()`))
		wantRow := map[string]string{"id": a.ID, "date": date[8:10] + "/" + date[5:7] + "/" + date[:4], "unit": "Thôn Đồng Lão",
			"type": "Phát thanh trên loa xã, thôn", "audience": "120", "note": note}
		for k, v := range wantRow {
			if row[k] != v {
				t.Errorf("activity row %s = %q, want %q", k, row[k], v)
			}
		}
		shot(t, ctx, "activity")
	}) {
		return
	}

	if !t.Run("grouping by mass organisation regroups the same participants", func(t *testing.T) {
		choose(t, ctx, "group-by", "organization")
		orgQuery := strings.Replace(query, "groupBy=village", "groupBy=organization", 1)
		run(t, ctx, "group by organisation", chromedp.WaitVisible(chromedp.CSS(`#awareness-table[data-query="`+orgQuery+`"] tbody tr[data-key]`)))
		if h := value(t, ctx, chromedp.Text(`#awareness-group-heading`)); h != "Đoàn thể" {
			t.Errorf("first column heading = %q, want Đoàn thể", h)
		}
		if total := value(t, ctx, chromedp.Text(`#awareness-table tr.total .participants`)); total != viInt(report.Total.Participants) {
			t.Errorf("total by organisation = %q, want %d", total, report.Total.Participants)
		}
	}) {
		return
	}

	if !t.Run("a survey shows its results instead of the awareness sections", func(t *testing.T) {
		choose(t, ctx, "quiz", "demo-nq58-survey")
		run(t, ctx, "show the survey", chromedp.WaitVisible(chromedp.CSS(`#survey .survey-q`)), chromedp.WaitNotVisible(chromedp.CSS(`#awareness`)))
		if errs := sectionErrors(t, ctx); len(errs) > 0 {
			t.Errorf("sections show errors with the survey: %v", errs)
		}
		shot(t, ctx, "survey")
	}) {
		return
	}

	if !t.Run("signing out returns to the form and forgets the token", func(t *testing.T) {
		run(t, ctx, "sign out", chromedp.Click(`#signout`), chromedp.WaitVisible(`#signin`))
		if left := value(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem('nq58.staff.token') || ''`)); left != "" {
			t.Errorf("token left in sessionStorage after sign-out")
		}
	}) {
		return
	}

	t.Run("a token the gateway refuses (401) brings the sign-in form back with a message", func(t *testing.T) {
		value(t, ctx, chromedp.Evaluate[bool](`(sessionStorage.setItem('nq58.staff.token', JSON.stringify({token: 'not-a-token'})), true)`))
		run(t, ctx, "reload with a refused token", chromedp.Reload(), chromedp.WaitVisible(`#signin-error`))
		if msg := value(t, ctx, chromedp.Text(`#signin-error`)); !strings.Contains(msg, "đăng nhập lại") {
			t.Errorf("after a 401 the sign-in form says %q, want it to ask to sign in again", msg)
		}
	})
}

// sectionErrors lists the dashboard sections that show an error, with the error.
func sectionErrors(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-status-for].error')).map(e => e.dataset.statusFor + ': ' + e.textContent)`))
}

// expectRow is how the page must show an API row.
func expectRow(key string, r dashRow) pageRow {
	p := pageRow{Key: key, Participants: viInt(r.Participants), Population: "—", Participation: viRate(r.ParticipationRate, r.ParticipationRateCI95)}
	if r.Population > 0 {
		p.Population = viInt(r.Population)
	}
	if r.Suppressed {
		p.Mean, p.CI, p.Pass = "Quá ít để đánh giá", "—", "—"
		if r.Participants == 0 {
			p.Mean = "Chưa có người tham gia"
		}
		return p
	}
	p.Mean, p.Pass, p.CI = viPct(r.MeanScore), viRate(r.PassRate, r.PassRateCI95), "—"
	if len(r.CI95) == 2 {
		p.CI = viDecimal(r.CI95[0]) + "–" + viDecimal(r.CI95[1]) + " %"
	}
	return p
}

// viRate formats a rate with its interval as the page says it, "62,1 % (55,0–68,7 %)",
// or the rate alone without one.
func viRate(rate *float64, ci []float64) string {
	if len(ci) != 2 {
		return viPct(rate)
	}
	return viPct(rate) + " (" + viDecimal(ci[0]) + "–" + viDecimal(ci[1]) + " %)"
}

// viPct formats a percentage as the page shows it, "62,1 %", or "—" when missing.
func viPct(p *float64) string {
	if p == nil {
		return "—"
	}
	return viDecimal(*p) + " %"
}

// viDecimal formats as vi-VN with one decimal: 76.04 → "76,0", 1234.5 → "1.234,5".
func viDecimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, n = "-", -n
	}
	return sign + viInt(n) + "," + frac
}

func viPtr(p *float64) string {
	if p == nil {
		return "—"
	}
	return viDecimal(*p)
}

// viInt groups thousands with dots: 1038 → "1.038".
func viInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// dashAttempt starts and submits an attempt in unit, answering the first correct
// questions drawn correctly and the rest wrongly.
func dashAttempt(t *testing.T, base string, bank quiz.Quiz, unit, clientID string, correct int) {
	t.Helper()
	status, raw := dashCall(t, base, "POST", "/v1/quizzes/"+bank.ID+"/attempts", "", map[string]any{
		"participant": map[string]any{"unitId": unit}, "consent": false, "clientId": clientID})
	if status != http.StatusCreated {
		t.Fatalf("start attempt in %s: %d %s", unit, status, raw)
	}
	var started attempts.StartResponse
	dashDecode(t, raw, &started)
	var answers []map[string]any
	for i, pq := range started.Questions {
		q, ok := bank.Question(pq.ID)
		if !ok {
			t.Fatalf("question %s not in the bank", pq.ID)
		}
		ids := q.CorrectOptionIDs
		if i >= correct {
			ids = nil
			for _, o := range q.Options {
				if !slices.Contains(q.CorrectOptionIDs, o.ID) {
					ids = []string{o.ID}
					break
				}
			}
		}
		answers = append(answers, map[string]any{"questionId": q.ID, "optionIds": ids})
	}
	status, raw = dashCall(t, base, "POST", "/v1/attempts/"+started.AttemptID+"/submit", "",
		map[string]any{"attemptToken": started.AttemptToken, "answers": answers})
	if status != http.StatusOK {
		t.Fatalf("submit attempt in %s: %d %s", unit, status, raw)
	}
}
