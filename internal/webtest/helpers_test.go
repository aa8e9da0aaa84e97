package webtest

// Helpers shared by the page tests: the browser, page actions, downloads and the API.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

// browser starts headless Chromium at a cheap phone's screen size.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Debian's chromium is needed at %s (make test installs it): %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(360, 740),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute) // a hung browser must not hang CI
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		shot(t, ctx)
		t.Fatalf("%s: %v", step, err)
	}
}

func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		shot(t, ctx)
		t.Fatalf("read from the page: %v", err)
	}
	return v
}

// shot saves a screenshot for a person to look at (WEBTEST_SHOTS=dir), never asserted.
func shot(t *testing.T, ctx context.Context, name ...string) {
	t.Helper()
	dir := os.Getenv("WEBTEST_SHOTS")
	if dir == "" {
		return
	}
	// Named by the top-level test: a step's name holds a slash.
	test, _, _ := strings.Cut(t.Name(), "/")
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, strings.Join(append([]string{test}, name...), "-")+".png"), png, 0o644)
	}
}

// waitJS waits up to ninety seconds for a JavaScript condition on the page: long enough
// for one of the pages' own 15 s refreshes, and for the requests behind it, on a machine
// loaded with other test packages' browsers (a fresh-clone run saw 30 s run out there), and
// still a bound when the condition never comes. It checks no speed: benchmarks do.
func waitJS(t *testing.T, ctx context.Context, step, cond string) {
	t.Helper()
	js := `new Promise(function (resolve, reject) { var n = 0; (function poll() {
		var ok = false; try { ok = !!(` + cond + `); } catch (e) { ok = false; }
		if (ok) { resolve(true); return; }
		if (++n > 1800) { var e = document.getElementById('error'); reject(new Error('timed out' + (e && !e.hidden ? ': ' + e.textContent : ''))); return; }
		setTimeout(poll, 50); })(); })`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)); err != nil {
		shot(t, ctx)
		t.Fatalf("%s: %v", step, err)
	}
}

// captureDownloads makes the page keep every Blob it hands to URL.createObjectURL, as
// the downloads go through fetch with the token and a Blob.
func captureDownloads(t *testing.T, ctx context.Context) {
	t.Helper()
	value(t, ctx, chromedp.Evaluate[bool](`(function(){ window.__saved = []; var orig = URL.createObjectURL;
		URL.createObjectURL = function (b) { window.__saved.push(b); return orig.call(URL, b); }; return true })()`))
}

// blobFile is a file the page handed to URL.createObjectURL.
type blobFile struct {
	Type string `json:"type"`
	BOM  bool   `json:"bom"`
	Text string `json:"text"`
}

// asText is the file's type, a newline and its text.
func (f blobFile) asText() string { return f.Type + "\n" + f.Text }

// downloaded waits up to ten seconds for the i-th file captureDownloads kept and reads it.
func downloaded(t *testing.T, ctx context.Context, step string, i int) blobFile {
	t.Helper()
	js := fmt.Sprintf(`new Promise(function (resolve, reject) { var n = 0; (function poll() {
		var b = window.__saved[%d];
		if (b) { b.arrayBuffer().then(function (buf) { var u = new Uint8Array(buf);
			resolve({type: b.type, bom: u[0] === 0xEF && u[1] === 0xBB && u[2] === 0xBF, text: new TextDecoder('utf-8').decode(u)}); }); return; }
		if (++n > 600) { var e = document.getElementById('error'); reject(new Error('no file: ' + (e ? e.textContent : '') + ' | ' +
			Array.from(document.querySelectorAll('.status, [data-status-for]')).map(e => e.textContent).join(' | '))); return; }
		setTimeout(poll, 50); })(); })`, i)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[blobFile](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// choose sets a select of the page and tells the page it changed.
func choose(t *testing.T, ctx context.Context, id, v string) {
	t.Helper()
	value(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(function(){ var e = document.getElementById(%q); e.value = %q;
		e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, id, v)))
}

// dashSignIn signs in through the local gateway's development sign-in.
func dashSignIn(t *testing.T, base, user, password string) string {
	t.Helper()
	status, raw := dashCall(t, base, "POST", "/local/signin", "", map[string]string{"username": user, "password": password})
	if status != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", user, status, raw)
	}
	var out struct {
		Token string `json:"token"`
	}
	dashDecode(t, raw, &out)
	return out.Token
}

func dashCall(t *testing.T, base, method, path, token string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func dashDecode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// singleChoiceInputs turns the first n single-choice questions of a quiz read back from
// the staff API into authoring inputs (texts, options and the right option's index).
func singleChoiceInputs(bank quiz.Quiz, n int) []map[string]any {
	var questions []map[string]any
	for _, q := range bank.Questions {
		if q.Kind != quiz.Single || len(questions) == n {
			continue
		}
		var options []map[string]string
		var correct []int
		for i, o := range q.Options {
			options = append(options, map[string]string{"text": o.Text})
			if slices.Contains(q.CorrectOptionIDs, o.ID) {
				correct = append(correct, i)
			}
		}
		questions = append(questions, map[string]any{"kind": "single", "text": q.Text, "topic": q.Topic, "points": 1,
			"options": options, "correctOptionIndexes": correct})
	}
	return questions
}

// demoSite serves the whole product (pages, sign-in, API) on a fresh table with the demo
// data, until the test ends.
func demoSite(t *testing.T) (*localgw.Stack, *httptest.Server) {
	t.Helper()
	stack := testenv.Stack(t, nil)
	if _, err := demo.Load(context.Background(), stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	return stack, srv
}

// officerOn3GSite is demoSite with three counted attempts in two villages and an
// officer's token: what the 3G first-table measurements load.
func officerOn3GSite(t *testing.T) (*localgw.Stack, *httptest.Server, string) {
	t.Helper()
	stack, srv := demoSite(t)
	bank := demoBank(t)
	for i, unit := range []string{"xa-a-t01", "xa-a-t01", "xa-a-t02"} {
		dashAttempt(t, srv.URL, bank, unit, fmt.Sprintf("3g-client-%d", i), 7)
	}
	if err := stack.DrainStreams(context.Background()); err != nil {
		t.Fatalf("drain streams: %v", err)
	}
	return stack, srv, dashSignIn(t, srv.URL, "canbo", "demo1234")
}
