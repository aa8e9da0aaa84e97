package webtest

// An organiser on a phone saves a contest and publishes it: prize amounts read as typed
// money, the save message carries the publish button, and publishing asks first and
// says what cannot be undone.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/quiz"
)

func TestAnOrganiserPublishesOnAPhoneAfterConfirming(t *testing.T) {
	_, srv := demoSite(t)
	btc := dashSignIn(t, srv.URL, "btc", "demo1234")
	ctx := browser(t)
	title := "Hội thi tìm hiểu Nghị quyết 58 — vòng xã"
	run(t, ctx, "sign in and open the form at 360 px",
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/staff/contest.html"),
		chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "btc"),
		chromedp.SendKeys(`#password`, "demo1234"),
		chromedp.Click(`#signin-button`),
		chromedp.WaitVisible(`#new-contest`),
		chromedp.Click(`#new-contest`),
		chromedp.WaitVisible(`#create-form`),
		chromedp.WaitReady(chromedp.CSS(`#c-source option[value="`+dashQuiz+`"]`)),
		chromedp.SendKeys(`#c-title`, title),
		chromedp.SetValue(`#c-source`, dashQuiz),
		chromedp.Click(`#c-import`),
		chromedp.WaitVisible(`#c-questions`),
	)

	t.Run("a prize amount reads as money while it is typed", func(t *testing.T) {
		value(t, ctx, chromedp.Evaluate[bool](`(function(){ var e = document.querySelector('#c-prizes .c-amount'); e.value = ''; e.focus(); return true })()`))
		run(t, ctx, "type the first prize's amount", chromedp.SendKeys(chromedp.CSS(`#c-prizes .prize-row .c-amount`), "2500000"))
		viewShotAt(t, ctx, "amount", "#c-prizes")
		got := value(t, ctx, chromedp.Evaluate[string](`(function(){ var e = document.querySelector('#c-prizes .c-amount');
			var u = e.parentNode.querySelector('.unit'); return e.value + (u ? ' ' + u.textContent : ''); })()`))
		if got != "2.500.000 đ" {
			t.Errorf("typed 2500000, the field shows %q, want “2.500.000 đ”", got)
		}
	})

	run(t, ctx, "save the draft", chromedp.Click(`#c-save`), chromedp.WaitVisible(`#c-done`))
	var made quiz.Quiz
	status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes", btc, nil)
	if status != http.StatusOK {
		t.Fatalf("list quizzes: %d %s", status, raw)
	}
	var list struct{ Quizzes []quiz.Quiz }
	dashDecode(t, raw, &list)
	for _, q := range list.Quizzes {
		if q.Title == title {
			made = q
		}
	}
	if made.ID == "" || made.Contest == nil || len(made.Contest.Prizes) == 0 {
		t.Fatalf("the draft %q was not stored with its prizes: %+v", title, made)
	}

	t.Run("the amount is stored as the number typed", func(t *testing.T) {
		if got := made.Contest.Prizes[0].Amount; got != 2500000 {
			t.Errorf("stored amount %d, want 2500000", got)
		}
	})

	t.Run("the save message holds the publish button", func(t *testing.T) {
		waitJS(t, ctx, "the picker shows the draft", `document.getElementById('contest-select').value === `+jsString(made.ID))
		gap := value(t, ctx, chromedp.Evaluate[float64](`(function(){
			var done = document.getElementById('c-done').getBoundingClientRect();
			var bs = Array.from(document.querySelectorAll('button')).filter(function (b) { return b.offsetParent && /Công bố cuộc thi/.test(b.textContent); });
			return Math.min.apply(null, bs.map(function (b) { var r = b.getBoundingClientRect(); return Math.abs(r.top - done.top); })); })()`))
		viewShotAt(t, ctx, "saved", "#c-done")
		if gap > 200 {
			t.Errorf("the nearest «Công bố cuộc thi» button is %v px from the save message, want it in the message (≤ 200 px)", gap)
		}
	})

	t.Run("publishing asks first and says what cannot be undone; cancelling publishes nothing", func(t *testing.T) {
		run(t, ctx, "press publish", chromedp.Click(`#publish`))
		open := value(t, ctx, chromedp.Evaluate[bool](`!!document.getElementById('publish-confirm') && document.getElementById('publish-confirm').open`))
		if !open {
			status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+made.ID, btc, nil)
			t.Fatalf("one press on «Công bố cuộc thi» asked nothing (quiz now: %d %.80s…)", status, raw)
		}
		text := value(t, ctx, chromedp.Text(`#publish-confirm`))
		for _, want := range []string{"không thể", "bản nháp"} {
			if !strings.Contains(text, want) {
				t.Errorf("the confirmation %q does not say %q", text, want)
			}
		}
		viewShotAt(t, ctx, "publish-confirm", "")
		run(t, ctx, "cancel", chromedp.Click(`#publish-confirm-cancel`))
		_, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+made.ID, btc, nil)
		var q quiz.Quiz
		dashDecode(t, raw, &q)
		if q.Status != quiz.Draft {
			t.Errorf("after cancelling the contest is %s, want still a draft", q.Status)
		}
		run(t, ctx, "publish for real", chromedp.Click(`#publish`), chromedp.WaitVisible(`#publish-confirm-ok`),
			chromedp.Click(`#publish-confirm-ok`), chromedp.WaitNotVisible(`#publish`))
		_, raw = dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+made.ID, btc, nil)
		dashDecode(t, raw, &q)
		if q.Status != quiz.Published {
			t.Errorf("after confirming the contest is %s, want published", q.Status)
		}
	})
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
