package webtest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/testenv"
)

// transferred is what the page fetched so far: bytes on the wire (headers included,
// 0 for what came from a cache) and the number of requests.
type transferred struct {
	Bytes    int `json:"bytes"`
	Requests int `json:"requests"`
}

const transferJS = `(function(){ var n = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
	return {bytes: n.reduce(function (s, e) { return s + (e.transferSize || 0); }, 0), requests: n.length}; })()`

// TestFirstScreenOn3G prints how long a resident on a 360 px phone over 3G (400 kbps,
// 400 ms) waits for the quiz list and how many bytes it costs, on a first and a repeat
// visit. The figures are printed, not asserted: wall-clock time depends on the machine.
func TestFirstScreenOn3G(t *testing.T) {
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Gateway)
	t.Cleanup(srv.Close)
	ctx := browser(t)
	run(t, ctx, "open a blank page", chromedp.EmulateViewport(360, 740), chromedp.Navigate("about:blank"))
	throttle3G(t, ctx)
	for _, visit := range []string{"first visit", "repeat visit"} {
		t.Run("the "+visit+" shows the quiz list", func(t *testing.T) {
			start := time.Now()
			run(t, ctx, "open the page",
				chromedp.Navigate(srv.URL+"/"),
				chromedp.WaitVisible(`button.quiz-item`),
			)
			took := time.Since(start)
			tr := value(t, ctx, chromedp.Evaluate[transferred](transferJS))
			t.Logf("3G %s: quiz list after %.2f s, %.1f KB transferred in %d requests", visit, took.Seconds(), float64(tr.Bytes)/1024, tr.Requests)
			shot(t, ctx, visit)
		})
	}
}

// TestThePageOpensWithoutANetwork: after one visit the service worker keeps the page's
// shell, so a resident who opens the page with no network (the server is gone) gets the
// page and a Vietnamese notice instead of the browser's error page.
func TestThePageOpensWithoutANetwork(t *testing.T) {
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Gateway)
	ctx := browser(t)
	run(t, ctx, "open the page once",
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"),
		chromedp.WaitVisible(`button.quiz-item`),
	)
	waitJS(t, ctx, "the service worker keeps the shell", `navigator.serviceWorker.controller || (navigator.serviceWorker.ready.then(function(){}), false)`)
	srv.Close()
	// The unit and quiz lists are kept 60 s by the browser's HTTP cache (Cache-Control):
	// empty it, so the page must do without the API, as it would an hour later. The
	// service worker's own cache is not touched by this.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		t.Fatalf("forget the browser's HTTP cache: %v", err)
	}
	run(t, ctx, "open it again with no network", chromedp.Navigate(srv.URL+"/?unit=xa-a-t01"), chromedp.WaitVisible(`#error`))
	if msg := value(t, ctx, chromedp.Text(`#error`)); msg != "Không có kết nối mạng. Vui lòng kiểm tra và thử lại." {
		t.Errorf("offline page says %q, want the Vietnamese offline notice", msg)
	}
	if title := value(t, ctx, chromedp.Evaluate[string](`document.title`)); title != "Tìm hiểu Nghị quyết 58-NQ/TW" {
		t.Errorf("offline page title = %q, want the resident page's", title)
	}
	shot(t, ctx)
}
