package webtest

// Network conditions for the page tests: a slow phone line and a dropped one, through
// CDP calls that both the Chromium Debian ships now and the one before accept.

import (
	"context"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// legacyConditions are the parameters of Network.emulateNetworkConditions, which
// cdproto no longer generates but Chromium still serves.
type legacyConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[legacyConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// threeG is the slow line the pages are measured on: 400 kbps each way, 400 ms round trip.
var threeG = legacyConditions{Latency: 400, DownloadThroughput: 400_000 / 8, UploadThroughput: 400_000 / 8}

// throttle3G slows the page's network to threeG. It asks for the per-rule call first
// (newer Chromium) and falls back to the older call, so either version works.
func throttle3G(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network domain: %v", err)
	}
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: threeG.Latency,
			DownloadThroughput: threeG.DownloadThroughput, UploadThroughput: threeG.UploadThroughput}},
	})
	if err == nil {
		return
	}
	if _, err2 := chromedp.Call(ctx, emulateNetworkConditions, threeG); err2 != nil {
		t.Fatalf("emulate 3G: by rule: %v; legacy: %v", err, err2)
	}
}

// setOffline cuts or restores the page's network, as a phone losing signal: with the
// Fetch domain every request of the page fails as a dropped connection would
// (net::ERR_INTERNET_DISCONNECTED), which every Chromium version does the same way.
func setOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	if !offline {
		if _, err := chromedp.Call(ctx, fetch.Disable, cdp.Empty{}); err != nil {
			t.Fatalf("back online: %v", err)
		}
		return
	}
	if _, seen := failing.LoadOrStore(ctx, true); !seen {
		// Subscribed before Fetch.enable so that no paused request is missed; the
		// loop ends with the browser's context.
		events := chromedp.Events(ctx, fetch.RequestPaused)
		go func() {
			for ev, err := range events {
				if err != nil {
					return
				}
				_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{
					RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
			}
		}()
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{}); err != nil {
		t.Fatalf("go offline: %v", err)
	}
}

// failing holds the browser contexts whose paused requests are being failed.
var failing sync.Map
