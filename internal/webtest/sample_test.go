package webtest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/sample/samples"
)

// TestAnOfficerRunsARandomSampleInThePage: create a sample, upload its frame, draw it
// (seed and SHA-256 shown), print a village's sheets, record an outcome, enter a sheet
// and read the figures labelled as a random sample.
func TestAnOfficerRunsARandomSampleInThePage(t *testing.T) {
	_, base := paperStack(t)
	ctx := browser(t)
	run(t, ctx, "open the sample page at a laptop's size",
		chromedp.EmulateViewport(1100, 900), chromedp.Navigate(base+"/staff/sample.html"))
	signInThroughIssuer(t, ctx, "canbo", "demo1234", "#s-quiz")
	waitJS(t, ctx, "the quizzes and units are offered", `document.querySelectorAll('#s-quiz option').length > 0 &&
		document.querySelectorAll('#c-unit option').length > 1`)

	choose(t, ctx, "s-quiz", paperQuiz)
	choose(t, ctx, "c-unit", "xa-a")
	run(t, ctx, "create a sample of 2 a village", chromedp.SetValue(`#c-value`, "2"), chromedp.Click(`#c-create`),
		chromedp.WaitVisible(`#frame-form`))

	rows := [][]string{{"unitId", "code"}}
	for _, c := range []string{"H01", "H02", "H03", "H04"} {
		rows = append(rows, []string{paperVillage, c})
	}
	frame := csvOf(t, t.TempDir(), "khung-mau.csv", rows)
	run(t, ctx, "upload the frame", chromedp.SetUploadFiles(`#f-file`, []string{frame}), chromedp.Click(`#f-send`))
	waitJS(t, ctx, "the draw is offered once the frame is in", `!document.getElementById('draw-form').hidden`)
	run(t, ctx, "draw with a seed", chromedp.SetValue(`#d-seed`, "hop-thon-2026"), chromedp.Click(`#d-draw`))
	waitJS(t, ctx, "the drawn codes are listed", `document.querySelectorAll('#codes tbody tr').length === 2`)

	facts := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('facts').textContent`))
	for _, want := range []string{"hop-thon-2026", "SHA-256"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the sample's facts %q lack %q", facts, want)
		}
	}
	if hash := value(t, ctx, chromedp.Evaluate[string](`document.querySelectorAll('#facts code')[0].textContent`)); len(hash) != 64 {
		t.Errorf("the frame's SHA-256 shown: %q, want 64 hex digits", hash)
	}

	run(t, ctx, "print the village's sheets", chromedp.Click(`#villages tbody button`), chromedp.WaitVisible(`#print-now`))
	got := readSheets(t, ctx)
	if len(got) != 2 || !strings.HasPrefix(got[0].Code, "H0") || !strings.Contains(got[0].Text, "mẫu ngẫu nhiên") {
		t.Errorf("printed sheets: got %d, first %+v; want 2 carrying their drawn codes, labelled a random sample", len(got), got)
	}
	run(t, ctx, "back to the page", chromedp.Click(`#print-area .toolbar .btn:not(.primary)`), chromedp.WaitVisible(`#codes`))

	run(t, ctx, "record the first code as moved", chromedp.SetValue(`#codes tbody tr:first-child select`, "moved"),
		chromedp.Click(`#codes tbody tr:first-child button`))
	waitJS(t, ctx, "the outcome shows", `document.querySelector('#codes tbody tr:first-child').textContent.indexOf('Đã chuyển đi') >= 0`)
	run(t, ctx, "open the second code's sheet", chromedp.Click(`#codes tbody tr:nth-child(2) button:last-child`), chromedp.WaitVisible(`#resp-questions select`))
	run(t, ctx, "save the sheet", chromedp.Click(`#resp-form button[type=submit]`))
	waitJS(t, ctx, "the response shows and the figures count it", `document.querySelector('#codes tbody tr:nth-child(2)').textContent.indexOf('Đã trả lời') >= 0 &&
		document.getElementById('weighted').textContent.indexOf('1/2') >= 0`)
	weighted := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('weighted').textContent`))
	if !strings.Contains(weighted, "mẫu ngẫu nhiên") || !strings.Contains(weighted, "100,0 %") {
		t.Errorf("the total reads %q; want it labelled a random sample with RR1 100,0 %% (1 of 1 eligible)", weighted)
	}
	shot(t, ctx, "sample")
}

// drawnSample is a drawn sample of the demo quiz in commune xa-a (two villages, two
// codes each), made through the service.
func drawnSample(t *testing.T, stack *localgw.Stack) {
	t.Helper()
	ctx := context.Background()
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	svc := samples.NewService(stack.Store, nil)
	v, err := svc.Create(ctx, admin, samples.CreateRequest{QuizID: paperQuiz, UnitID: "xa-a", PerVillage: 2})
	if err != nil {
		t.Fatal(err)
	}
	frame := "unitId,code\nxa-a-t01,A1\nxa-a-t01,A2\nxa-a-t01,A3\nxa-a-t02,B1\nxa-a-t02,B2\n"
	if _, err := svc.PutFrame(ctx, admin, v.ID, "text/csv", []byte(frame)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Draw(ctx, admin, v.ID, samples.DrawRequest{Seed: "man-hinh"}); err != nil {
		t.Fatal(err)
	}
}
