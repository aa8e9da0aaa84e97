package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
)

// baseQuizID is last year's round of the demo quiz, for the change.
const baseQuizID = "demo-nq58-nam-truoc"

// TestTheOfficerReadsTheCommunesWeightedFigureItsChangeAndTheSampleSizes seeds two
// villages of very different turnout in this year's quiz and in last year's, and checks
// that the page shows what the API reports: the commune's figure weighted by population
// with the pool and the coverage beside it ("tự nguyện"), the methods note, the change
// against last year's quiz with its interval and "rõ rệt", and the sample sizes.
func TestTheOfficerReadsTheCommunesWeightedFigureItsChangeAndTheSampleSizes(t *testing.T) {
	bg := context.Background()
	stack, srv := demoSite(t)
	bank := demoBank(t)
	base := bank
	base.ID, base.Title = baseQuizID, "Tìm hiểu Nghị quyết 58 (năm trước)"
	if err := stack.Store.PutQuiz(bg, base); err != nil {
		t.Fatal(err)
	}
	// This year xa-a-t01 sends nine who mostly pass, xa-a-t02 five who mostly fail; last
	// year both sent five or six who mostly failed.
	seed := []struct {
		quiz    quiz.Quiz
		unit    string
		correct []int
	}{
		{bank, "xa-a-t01", []int{10, 9, 9, 8, 8, 10, 9, 7, 4}},
		{bank, "xa-a-t02", []int{3, 2, 6, 1, 2}},
		{base, "xa-a-t01", []int{3, 2, 4, 6, 2, 1}},
		{base, "xa-a-t02", []int{2, 3, 1, 2, 2}},
	}
	n := 0
	for _, s := range seed {
		for _, k := range s.correct {
			n++
			dashAttempt(t, srv.URL, s.quiz, s.unit, fmt.Sprintf("weighted-client-%02d", n), k)
		}
	}
	if err := stack.DrainStreams(bg); err != nil {
		t.Fatalf("drain streams: %v", err)
	}
	token := dashSignIn(t, srv.URL, "canbo", "demo1234")
	get := func(t *testing.T, path string, into any) {
		t.Helper()
		status, raw := dashCall(t, srv.URL, "GET", path, token, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, raw)
		}
		dashDecode(t, raw, into)
	}
	year := strconv.Itoa(time.Now().In(quiz.VietnamTime).Year())
	var aw report.Awareness
	get(t, "/v1/reports/awareness?"+url.Values{"quizId": {dashQuiz}, "unitId": {"xa-a"}, "from": {year + "-01"}, "to": {year + "-12"},
		"groupBy": {"village"}}.Encode(), &aw)
	w := aw.Total.Weighted
	if w == nil || w.PassRate == nil || w.VillagesCovered != 2 {
		t.Fatalf("the seed must give a weighted figure over two villages: %+v", w)
	}

	ctx := browser(t)
	officerSession(t, ctx, srv.URL, token)
	run(t, ctx, "open the dashboard",
		chromedp.EmulateViewport(laptopW, laptopH),
		chromedp.Navigate(srv.URL+"/staff/"),
		chromedp.WaitVisible(`#dashboard`),
		chromedp.WaitReady(chromedp.CSS(`#quiz option[value="`+dashQuiz+`"]`)),
	)
	// Both quizzes open this year: the page may open on either; the officer picks this year's.
	choose(t, ctx, "quiz", dashQuiz)
	query := "groupBy=village&quizId=" + dashQuiz + "&unitId=xa-a&from=" + year + "-01&to=" + year + "-12"
	run(t, ctx, "show the awareness table", chromedp.WaitVisible(chromedp.CSS(`#awareness-table[data-query="`+query+`"] tbody tr[data-key="xa-a-t01"]`)))

	t.Run("the commune's figure is the weighted one, with the pool and the coverage beside it, labelled self-selected", func(t *testing.T) {
		waitJS(t, ctx, "the commune's figure shows", `!document.getElementById('commune-figure').hidden`)
		head := value(t, ctx, chromedp.Text(`#weighted-figure`))
		beside := value(t, ctx, chromedp.Text(`#pool-figure`))
		wantHead := "Tỷ lệ đạt của " + aw.Total.Label + ", tính theo dân số: " + viPct(w.PassRate) + " (KTC 95 %: " + viDecimal(w.PassRateCI95[0]) + "–" +
			viDecimal(w.PassRateCI95[1]) + " %); điểm trung bình " + viPct(w.MeanScore) + " (" + viDecimal(w.CI95[0]) + "–" + viDecimal(w.CI95[1]) + " %)tự nguyện"
		if head != wantHead {
			t.Errorf("weighted figure = %q\n want %q", head, wantHead)
		}
		wantBeside := "Gộp người tham gia: tỷ lệ đạt " + viRate(aw.Total.PassRate, aw.Total.PassRateCI95) + ", điểm trung bình " + viPct(aw.Total.MeanScore) +
			"; phủ " + viPct(w.PopulationCovered) + " dân số, 2 thôn."
		if beside != wantBeside {
			t.Errorf("beside = %q\n want %q", beside, wantBeside)
		}
		t.Logf("page: %s / %s", head, beside)
	})

	t.Run("“Cách tính” opens on the methods note the workbook carries", func(t *testing.T) {
		run(t, ctx, "open Cách tính", chromedp.Click(`#methods > summary`))
		waitJS(t, ctx, "the note is in", `document.querySelectorAll('#methods-table tbody tr').length > 0`)
		figures := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#methods-table tbody th')).map(e => e.textContent)`))
		var want []string
		for _, r := range report.MethodsNote {
			want = append(want, r[0])
		}
		if strings.Join(figures, "|") != strings.Join(want, "|") {
			t.Errorf("methods figures = %v, want %v", figures, want)
		}
	})

	t.Run("choosing last year's quiz shows each village's change with its interval, and “rõ rệt” where it is clear", func(t *testing.T) {
		var ch report.Change
		get(t, "/v1/reports/change?"+url.Values{"quizId": {dashQuiz}, "baseQuizId": {baseQuizID}, "unitId": {"xa-a"}}.Encode(), &ch)
		waitJS(t, ctx, "the base picker offers last year's quiz", `Array.from(document.querySelectorAll('#change-base option')).some(o => o.value === `+strconv.Quote(baseQuizID)+`)`)
		choose(t, ctx, "change-base", baseQuizID)
		run(t, ctx, "show the change", chromedp.WaitVisible(chromedp.CSS(`#change-table[data-query="`+
			"quizId="+dashQuiz+"&baseQuizId="+baseQuizID+"&unitId=xa-a"+`"] tfoot tr.total`)))
		type shownChange struct{ Key, Difference, CI string }
		shown := value(t, ctx, chromedp.Evaluate[[]shownChange](`Array.from(document.querySelectorAll('#change-table tbody tr[data-key], #change-table tr.total')).map(function (tr) {
			function c(cls) { var e = tr.querySelector('.' + cls); return e ? e.textContent : ''; }
			return {key: tr.dataset.key || '<total>', difference: c('difference'), ci: c('ci')}; })`))
		want := map[string]shownChange{}
		clear := 0
		for _, r := range append(ch.Rows, ch.Total) {
			key := r.Key
			if key == ch.Total.Key {
				key = "<total>"
			}
			s := shownChange{Key: key}
			if !r.Suppressed {
				s.Difference = signedPoints(*r.Difference)
				if r.Clear {
					s.Difference += " (rõ rệt)"
					clear++
				}
				s.CI = viDecimal(r.DifferenceCI95[0]) + "–" + viDecimal(r.DifferenceCI95[1]) + " điểm %"
			}
			want[key] = s
		}
		if clear == 0 {
			t.Errorf("no clear change in %+v: the seed proves nothing about “rõ rệt”", ch)
		}
		if len(shown) != len(want) {
			t.Fatalf("page shows %d change rows, API %d", len(shown), len(want))
		}
		for _, s := range shown {
			if s != want[s.Key] {
				t.Errorf("change row %s = %+v, want %+v", s.Key, s, want[s.Key])
			}
		}
	})

	t.Run("the sample-size helper shows the server's draw per village for the margin typed", func(t *testing.T) {
		var sz report.SampleSizes
		get(t, "/v1/reports/sample-size?unitId=xa-a&marginOfError=10", &sz)
		value(t, ctx, chromedp.Evaluate[bool](`(document.getElementById('sample-margin').value = '10') === '10'`))
		run(t, ctx, "compute", chromedp.Click(`#sample-size-form button[type=submit]`))
		waitJS(t, ctx, "the draws for ±10 points show", `document.getElementById('sample-size-table').dataset.margin === '10'`)
		draws := value(t, ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll('#sample-size-table tbody tr')).map(tr => [tr.dataset.key, tr.querySelector('.draw').textContent]))`))
		for _, r := range sz.Rows {
			want := "—"
			if r.Draw != nil {
				want = viInt(*r.Draw)
			}
			if draws[r.Key] != want {
				t.Errorf("%s draws %q, want %q", r.Key, draws[r.Key], want)
			}
		}
		if total := value(t, ctx, chromedp.Text(`#sample-size-table tfoot .draw`)); total != viInt(sz.Total) {
			t.Errorf("total = %q, want %q", total, viInt(sz.Total))
		}
	})

	t.Run("no section reports an error", func(t *testing.T) {
		if errs := sectionErrors(t, ctx); len(errs) > 0 {
			t.Errorf("sections show errors: %v", errs)
		}
		shot(t, ctx, "weighted")
	})
}

// signedPoints is a difference as the page says it, "+20,0 điểm %" or "−3,4 điểm %".
func signedPoints(x float64) string {
	sign := ""
	switch {
	case x > 0:
		sign = "+"
	case x < 0:
		sign, x = "−", -x
	}
	return sign + viDecimal(x) + " điểm %"
}
