package webtest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// publishContest creates and publishes, through the staff API, a small contest open now
// (no phone verification) and returns its id.
func publishContest(t *testing.T, base string) string {
	t.Helper()
	now := time.Now()
	return createContest(t, base, "Hội thi thử", false, [2]time.Time{now.Add(-time.Hour), now.Add(time.Hour)})
}

// shownError is what the page shows after a failed start.
type shownError struct {
	Box       string `json:"box"`       // the announced box above the button
	BoxAlert  bool   `json:"boxAlert"`  // the box is an alert (announced)
	NextToBtn bool   `json:"nextToBtn"` // the box is right before the button
	Focused   string `json:"focused"`   // id of the focused element
	Describes string `json:"describes"` // text of what describes the focused element
	InView    bool   `json:"inView"`    // the message nearest the focus is inside the screen
	Button    string `json:"button"`    // the start button's label
	Ring      string `json:"ring"`      // the focused element's outline style
}

const shownErrorJS = `(function(){
	var box = document.getElementById('start-error'), a = document.activeElement, start = document.getElementById('start');
	var ids = (a.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
	var near = a === box ? box : (ids[0] && document.getElementById(ids[0]));
	var r = near ? near.getBoundingClientRect() : null;
	return {box: box.hidden ? '' : box.textContent, boxAlert: box.getAttribute('role') === 'alert',
		nextToBtn: box.nextElementSibling === start, focused: a.id || a.className,
		describes: near ? near.textContent : '', inView: !!r && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight,
		button: start.textContent, ring: getComputedStyle(a).outlineStyle};
})()`

func TestStartErrorsShowNextToTheButtonOn3G(t *testing.T) {
	_, srv := demoSite(t)
	contestID := publishContest(t, srv.URL)
	ctx := browser(t)
	run(t, ctx, "open a blank page", chromedp.EmulateViewport(360, 740), chromedp.Navigate("about:blank"))
	throttle3G(t, ctx)

	tests := []struct {
		name    string
		url     string
		quiz    string
		fill    []chromedp.Action[chromedp.Void]
		offline bool
		want    string // the message
		focused string // id (or its start) of the element that gets the focus
		button  string
	}{
		{name: "starting without a village asks for the village at the village picker",
			url: "/", quiz: "demo-nq58-quiz", want: "Vui lòng chọn thôn/đơn vị nơi bạn sinh sống.", focused: "unit-", button: "Bắt đầu"},
		{name: "entering the contest without consent asks for the consent at the checkbox",
			url: "/?unit=xa-a-t01", quiz: contestID,
			fill: []chromedp.Action[chromedp.Void]{chromedp.SendKeys(`#name`, "Lê Văn Nam"), chromedp.SendKeys(`#phone`, "0912 000 222")},
			want: "Vui lòng đánh dấu ô đồng ý cung cấp thông tin để dự thi.", focused: "consent", button: "Bắt đầu dự thi"},
		{name: "starting offline says the network is down above the button, which gets its label back",
			url: "/?unit=xa-a-t01", quiz: "demo-nq58-quiz", offline: true,
			want: "Không có kết nối mạng. Vui lòng kiểm tra và thử lại.", focused: "start-error", button: "Bắt đầu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := `button.quiz-item[data-quiz-id="` + tt.quiz + `"]`
			run(t, ctx, "open the page and choose", chromedp.Navigate(srv.URL+tt.url), chromedp.WaitVisible(item), chromedp.Click(item))
			run(t, ctx, "fill in the form", tt.fill...)
			if tt.offline {
				setOffline(t, ctx, true)
				defer setOffline(t, ctx, false)
			}
			run(t, ctx, "start", chromedp.Click(`#start`), chromedp.WaitVisible(`#start-error`))
			waitJS(t, ctx, "the button gets its label back", `!document.getElementById('start').disabled`)
			got := value(t, ctx, chromedp.Evaluate[shownError](shownErrorJS))
			shot(t, ctx, strings.Fields(tt.name)[0]+"-"+tt.focused)
			if got.Box != tt.want || !got.BoxAlert || !got.NextToBtn {
				t.Errorf("box above the button = %q (alert %v, right before the button %v), want %q announced there", got.Box, got.BoxAlert, got.NextToBtn, tt.want)
			}
			if !strings.HasPrefix(got.Focused, tt.focused) {
				t.Errorf("focus on %q, want %q", got.Focused, tt.focused)
			}
			if got.Describes != tt.want || !got.InView {
				t.Errorf("message by the focus = %q (in the 360×740 screen: %v), want %q in the screen", got.Describes, got.InView, tt.want)
			}
			if got.Ring == "none" {
				t.Errorf("the focused %s shows no focus ring", got.Focused)
			}
			if got.Button != tt.button {
				t.Errorf("start button reads %q after the error, want %q", got.Button, tt.button)
			}
		})
	}
	t.Run("the rules of a contest without phone verification say so", func(t *testing.T) {
		item := `button.quiz-item[data-quiz-id="` + contestID + `"]`
		run(t, ctx, "open the contest", chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"), chromedp.WaitVisible(item), chromedp.Click(item))
		shown := `!document.getElementById('contest-unverified').hidden`
		if !value(t, ctx, chromedp.Evaluate[bool](shown)) {
			t.Errorf("the contest's rules do not say it does not verify phones")
		}
		quizItem := `button.quiz-item[data-quiz-id="demo-nq58-quiz"]`
		run(t, ctx, "choose the quiz", chromedp.Click(quizItem))
		if value(t, ctx, chromedp.Evaluate[bool](shown)) {
			t.Errorf("a quiz shows the contest's note on phone verification")
		}
	})
}
