package webtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/paper/sheets"
	"github.com/nq58/tracker/internal/quiz"
)

const (
	paperQuiz    = "demo-nq58-quiz"
	paperVillage = "xa-a-t01"
	paperName    = "Thôn Phong Ý"
)

// paperStack is the product with the demo data, served with the sign-in routes.
func paperStack(t *testing.T) (*localgw.Stack, string) {
	t.Helper()
	stack, srv := demoSite(t)
	return stack, srv.URL
}

// openPaperPage signs the village collector in on the paper page at a laptop's size.
func openPaperPage(t *testing.T, base string) context.Context {
	t.Helper()
	ctx := browser(t)
	run(t, ctx, "open the paper page at a laptop's size",
		chromedp.EmulateViewport(1100, 900), chromedp.Navigate(base+"/staff/paper.html"))
	signInThroughIssuer(t, ctx, "nhapphieu", "demo1234", "#p-quiz")
	waitJS(t, ctx, "the quizzes and the village are offered", `document.querySelectorAll('#p-quiz option').length > 0 &&
		document.getElementById('p-unit').value === '`+paperVillage+`'`)
	return ctx
}

var sheetCode = regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{7}$`)

// printedSheet is what the test reads from one printed sheet.
type printedSheet struct {
	Code      string `json:"code"`
	Text      string `json:"text"`
	QR        bool   `json:"qr"`
	Questions int    `json:"questions"`
	Boxes     int    `json:"boxes"`
	Options   int    `json:"options"` // options printed with their text
}

func readSheets(t *testing.T, ctx context.Context) []printedSheet {
	t.Helper()
	return value(t, ctx, chromedp.Evaluate[[]printedSheet](`Array.from(document.querySelectorAll('#print-area .sheet')).map(function (s) {
		return {code: s.getAttribute('data-code'), text: s.textContent, qr: !!s.querySelector('.qr svg path'),
			questions: s.querySelectorAll('ol.questions > li').length, boxes: s.querySelectorAll('ol.questions .box').length, options: s.querySelectorAll('ol.questions .options').length}; })`))
}

func TestACollectorPrintsAVillagesSheets(t *testing.T) {
	_, base := paperStack(t)
	ctx := openPaperPage(t, base)
	today := time.Now().In(quiz.VietnamTime).Format("02/01/2006")
	dir := os.Getenv("WEBTEST_SHOTS")

	for _, tt := range []struct {
		name, variant string
		questionText  bool
	}{
		{"full sheets carry the questions, the options and their boxes", "full", true},
		{"answer-box sheets carry only the boxes, for questions read aloud", "answers", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			choose(t, ctx, "p-variant", tt.variant)
			run(t, ctx, "print three sheets",
				chromedp.SetValue(`#p-count`, "3"), chromedp.Click(`#p-print`), chromedp.WaitVisible(`#print-now`))
			got := readSheets(t, ctx)
			if len(got) != 3 {
				t.Fatalf("%d sheets on the page, want 3", len(got))
			}
			seen := map[string]bool{}
			for _, s := range got {
				if !sheetCode.MatchString(s.Code) || seen[s.Code] {
					t.Errorf("sheet code %q: want 7 characters of the unambiguous alphabet, each once", s.Code)
				}
				seen[s.Code] = true
				for _, want := range []string{paperName, today, s.Code, "Năm sinh", "Giới tính"} {
					if !strings.Contains(s.Text, want) {
						t.Errorf("sheet %s lacks %q", s.Code, want)
					}
				}
				if !s.QR {
					t.Errorf("sheet %s has no QR code", s.Code)
				}
				if s.Questions != 10 || s.Boxes < 20 {
					t.Errorf("sheet %s: %d questions and %d boxes, want 10 questions with their boxes", s.Code, s.Questions, s.Boxes)
				}
				if hasText := s.Options > 0; hasText != tt.questionText {
					t.Errorf("sheet %s shows question text: %v, want %v", s.Code, hasText, tt.questionText)
				}
			}
			shot(t, ctx, tt.variant)
			// As printed: only the sheets, one per A4 page.
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			hidden := value(t, ctx, chromedp.Evaluate[bool](`getComputedStyle(document.getElementById('app')).display === 'none' &&
				getComputedStyle(document.querySelector('header.top')).display === 'none' &&
				getComputedStyle(document.querySelector('.sheet')).breakAfter === 'page'`))
			if !hidden {
				t.Error("in print media the controls show or the sheets do not break pages")
			}
			shot(t, ctx, tt.variant, "print")
			prefer := true
			res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			pdf := res.Data
			if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
				t.Errorf("print to PDF: %v (%d bytes)", err, len(pdf))
			}
			if dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "TestACollectorPrintsAVillagesSheets-"+tt.variant+".pdf"), pdf, 0o644)
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
				t.Fatal(err)
			}
			run(t, ctx, "back to the form", chromedp.Click(`#print-area .toolbar .btn:not(.primary)`), chromedp.WaitVisible(`#p-print`))
		})
	}
}

// TestSheetsEnteredByKeyboardSurviveADroppedNetwork enters sheets with the keyboard only,
// loses the network in the middle of the session and gets it back: every sheet reaches
// the server once, and a sheet entered again with the same ticks counts nothing more.
func TestSheetsEnteredByKeyboardSurviveADroppedNetwork(t *testing.T) {
	stack, base := paperStack(t)
	token := dashSignIn(t, base, "nhapphieu", "demo1234")
	status, raw := dashCall(t, base, "POST", "/v1/paper/prints", token, map[string]any{"quizId": paperQuiz, "unitId": paperVillage, "count": 4})
	if status != http.StatusCreated {
		t.Fatalf("print = %d %s", status, raw)
	}
	var v sheets.PrintView
	dashDecode(t, raw, &v)
	ctx := openPaperPage(t, base)

	// enter types one sheet: its code, a birth year, a gender key, then for each
	// question an option key and Enter.
	enter := func(t *testing.T, code string, option int) {
		t.Helper()
		keys := fmt.Sprintf("%d\r", option)
		actions := []chromedp.Action[chromedp.Void]{chromedp.SendKeys(`#e-code`, code+"\r"),
			chromedp.WaitEnabled(`#e-birth`), chromedp.KeyEvent("1952\r"), chromedp.KeyEvent("2")}
		for range v.Questions {
			actions = append(actions, chromedp.KeyEvent(keys))
		}
		run(t, ctx, "enter sheet "+code+" by keyboard", actions...)
		waitJS(t, ctx, "sheet "+code+" is kept", `document.getElementById('e-msg').textContent.indexOf('`+code+`') >= 0 &&
			document.activeElement === document.getElementById('e-code')`)
	}
	counter := func(id string) string {
		return value(t, ctx, chromedp.Evaluate[string](`document.getElementById('`+id+`').textContent`))
	}
	entered := func(code string) bool {
		st, raw := dashCall(t, base, "GET", "/v1/paper/sheets/"+code, token, nil)
		if st != http.StatusOK {
			t.Fatalf("sheet %s = %d %s", code, st, raw)
		}
		return strings.Contains(string(raw), `"entry"`)
	}

	t.Run("a sheet entered online is sent at once", func(t *testing.T) {
		enter(t, v.Codes[0], 1)
		waitJS(t, ctx, "sent", `document.getElementById('c-sent').textContent === '1'`)
		if !entered(v.Codes[0]) {
			t.Errorf("sheet %s not on the server", v.Codes[0])
		}
	})
	t.Run("sheets entered offline are kept on the laptop", func(t *testing.T) {
		setOffline(t, ctx, true)
		enter(t, v.Codes[1], 2)
		enter(t, v.Codes[2], 1)
		waitJS(t, ctx, "two waiting", `document.getElementById('c-queued').textContent === '2' &&
			document.getElementById('c-net').textContent !== ''`)
		shot(t, ctx, "offline")
		if entered(v.Codes[1]) || entered(v.Codes[2]) {
			t.Error("a sheet reached the server while the laptop was offline")
		}
	})
	t.Run("back online the waiting sheets are sent once", func(t *testing.T) {
		setOffline(t, ctx, false)
		waitJS(t, ctx, "all sent", `document.getElementById('c-queued').textContent === '0' &&
			document.getElementById('c-sent').textContent === '3'`)
		for _, c := range v.Codes[:3] {
			if !entered(c) {
				t.Errorf("sheet %s not on the server", c)
			}
		}
	})
	t.Run("the same sheet entered again counts nothing more", func(t *testing.T) {
		enter(t, v.Codes[1], 2)
		waitJS(t, ctx, "resent", `document.getElementById('c-queued').textContent === '0' &&
			document.getElementById('c-sent').textContent === '4'`)
		if got := counter("e-failed"); got != "" {
			t.Errorf("failed sheets %q, want none", got)
		}
		attempts, err := stack.Store.SubmittedAttempts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range attempts {
			if a.Channel == quiz.ChannelPaper {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d paper attempts stored, want 3", n)
		}
	})
	t.Run("the running count shows the village's paper sheets", func(t *testing.T) {
		if err := stack.DrainStreams(context.Background()); err != nil {
			t.Fatal(err)
		}
		choose(t, ctx, "p-quiz", paperQuiz)
		waitJS(t, ctx, "three on paper", `(function(){ var r = document.querySelector('#progress tr[data-unit="`+paperVillage+`"]');
			return r && r.cells[2].textContent === '3'; })()`)
		shot(t, ctx, "count")
	})
}
