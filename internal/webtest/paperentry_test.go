package webtest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/paper/sheets"
)

// pdfPage matches a page object of a PDF (and not the /Pages tree above the pages).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestEverySheetPrintsOnOneA4Page prints two sheets of the demo's 10-question quiz to
// PDF, as Chromium prints them on A4, and counts the pages.
func TestEverySheetPrintsOnOneA4Page(t *testing.T) {
	_, base := paperStack(t)
	ctx := openPaperPage(t, base)
	for _, variant := range []string{"full", "answers"} {
		t.Run(fmt.Sprintf("two %q sheets print on two pages, each with its code and village", variant), func(t *testing.T) {
			choose(t, ctx, "p-quiz", paperQuiz)
			choose(t, ctx, "p-variant", variant)
			run(t, ctx, "print two sheets",
				chromedp.SetValue(`#p-count`, "2"), chromedp.Click(`#p-print`), chromedp.WaitVisible(`#print-now`))
			got := readSheets(t, ctx)
			if len(got) != 2 {
				t.Fatalf("%d sheets on the page, want 2", len(got))
			}
			for _, s := range got {
				if s.Questions != 10 || !strings.Contains(s.Text, s.Code) || !strings.Contains(s.Text, paperName) {
					t.Errorf("sheet %s: %d questions, code and village shown: %v, %v", s.Code, s.Questions,
						strings.Contains(s.Text, s.Code), strings.Contains(s.Text, paperName))
				}
			}
			prefer := true
			pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			if err != nil || !strings.HasPrefix(string(pdf.Data), "%PDF") {
				t.Fatalf("print to PDF: %v (%d bytes)", err, len(pdf.Data))
			}
			if dir := os.Getenv("WEBTEST_SHOTS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "TestEverySheetPrintsOnOneA4Page-"+variant+".pdf"), pdf.Data, 0o644)
			}
			if pages := len(pdfPage.FindAll(pdf.Data, -1)); pages != 2 {
				t.Errorf("2 sheets print on %d PDF pages, want 2", pages)
			}
			run(t, ctx, "back to the form", chromedp.Click(`#print-area .toolbar .btn:not(.primary)`), chromedp.WaitVisible(`#p-print`))
		})
	}
}

// TestSheetsOfLongQuestionsStillPrintOnOneA4PageEach lays out, with the page's own
// module, two sheets of long questions (the demo's are near 120 characters, with four
// options of some 30) and counts the PDF's pages: one per sheet, whatever the lengths.
func TestSheetsOfLongQuestionsStillPrintOnOneA4PageEach(t *testing.T) {
	_, base := paperStack(t)
	ctx := openPaperPage(t, base)
	long := "Nghị quyết 58-NQ/TW của Bộ Chính trị về xây dựng và phát triển tỉnh Thanh Hóa đến năm 2030, tầm nhìn đến năm 2045 đặt ra mục tiêu, nhiệm vụ và giải pháp nào sau đây cho giai đoạn tới? "
	option := "phát triển kinh tế gắn với quốc phòng, an ninh"
	tests := []struct {
		name                          string
		questions, textTimes, options int
		optionTimes                   int
	}{
		{"ten questions of some 190 characters with four options of some 60", 10, 1, 4, 1},
		{"ten questions of some 750 characters with six options of some 200", 10, 4, 6, 4},
		{"twenty-five questions of some 190 characters with five options of some 100", 25, 1, 5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name+" print on one A4 page per sheet", func(t *testing.T) {
			run(t, ctx, "lay out two sheets", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`import('/staff/paper/print.js').then(function (m) {
				var qs = [], letters = 'ABCDEFGH';
				for (var i = 1; i <= %d; i++) {
					var opts = [];
					for (var j = 0; j < %d; j++) opts.push({letter: letters[j], text: 'Phương án ' + letters[j] + ': ' + %q.repeat(%d)});
					qs.push({n: i, kind: 'single', text: %q.repeat(%d), options: opts});
				}
				document.getElementById('app').hidden = true;
				m.renderSheets(document.getElementById('print-area'), {quizTitle: 'Tìm hiểu Nghị quyết 58-NQ/TW', unitName: '%s', date: '04/12/2026',
					variant: 'full', codes: ['ABCDEFG', 'HJKMNPQ'], questions: qs}, function () {});
			})`, tt.questions, tt.options, option+" ", tt.optionTimes, long, tt.textTimes, paperName), chromedp.EvalAwaitPromise),
				chromedp.WaitVisible(`#print-now`))
			got := readSheets(t, ctx)
			if len(got) != 2 || got[0].Questions != tt.questions {
				t.Fatalf("%d sheets on the page, want 2 of %d questions", len(got), tt.questions)
			}
			fitted := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#print-area .sheet')).map(function (s) {
				return (s.classList.contains('two-col') ? 'two columns, ' : 'one column, ') + (s.style.fontSize || '12pt') + (s.style.zoom ? ', scaled ' + s.style.zoom : ''); })`))
			shot(t, ctx, "long")
			prefer := true
			pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("WEBTEST_SHOTS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, "TestSheetsOfLongQuestionsStillPrintOnOneA4PageEach-"+strconv.Itoa(tt.questions)+"x"+strconv.Itoa(tt.textTimes)+".pdf"), pdf.Data, 0o644)
			}
			pages := len(pdfPage.FindAll(pdf.Data, -1))
			t.Logf("2 sheets on %d PDF pages, laid out as %v", pages, fitted)
			if pages != 2 {
				t.Errorf("2 sheets print on %d PDF pages, want 2", pages)
			}
			run(t, ctx, "back to the form", chromedp.Click(`#print-area .toolbar .btn:not(.primary)`))
		})
	}
}

// TestKeyboardEntryWarnsOfABlankAndSummarisesTheSheet enters a sheet by keyboard with
// question 2 left blank: the page asks before leaving it blank, the saved message sums
// the sheet up, and the village's count of paper sheets goes up at once, before the
// aggregator has counted the sheet.
func TestKeyboardEntryWarnsOfABlankAndSummarisesTheSheet(t *testing.T) {
	_, base := paperStack(t)
	token := dashSignIn(t, base, "nhapphieu", "demo1234")
	status, raw := dashCall(t, base, "POST", "/v1/paper/prints", token, map[string]any{"quizId": paperQuiz, "unitId": paperVillage, "count": 2})
	if status != http.StatusCreated {
		t.Fatalf("print = %d %s", status, raw)
	}
	var v sheets.PrintView
	dashDecode(t, raw, &v)
	ctx := openPaperPage(t, base)
	choose(t, ctx, "p-quiz", paperQuiz)
	paperCell := `(function(){ var r = document.querySelector('#progress tr[data-unit="` + paperVillage + `"]'); return r ? r.cells[2].textContent : ''; })()`
	waitJS(t, ctx, "the village's count shows", paperCell+` !== ''`)
	before := value(t, ctx, chromedp.Evaluate[string](paperCell))
	code := v.Codes[0]
	step := func() string {
		return value(t, ctx, chromedp.Evaluate[string](`document.getElementById('e-step').textContent`))
	}

	run(t, ctx, "enter the code, the birth year, the gender and question 1, then Enter on question 2 without a digit",
		chromedp.SendKeys(`#e-code`, code+"\r"), chromedp.WaitEnabled(`#e-birth`), chromedp.KeyEvent("1952\r"), chromedp.KeyEvent("2"),
		chromedp.KeyEvent("1\r"), chromedp.KeyEvent("\r"))
	t.Run("an empty answer asks before the question is left blank", func(t *testing.T) {
		if got := step(); !strings.Contains(got, "Để trống câu 2?") || !strings.Contains(got, "Câu 2/") {
			t.Errorf("after Enter on an empty question 2 the step reads %q, want it still on question 2 asking “Để trống câu 2?”", got)
		}
		shot(t, ctx, "blank")
	})
	t.Run("Enter again leaves it blank and goes on to question 3", func(t *testing.T) {
		run(t, ctx, "confirm the blank", chromedp.KeyEvent("\r"))
		if got := step(); !strings.Contains(got, "Câu 3/") {
			t.Errorf("after confirming the blank the step reads %q, want question 3", got)
		}
	})
	var rest []chromedp.Action[chromedp.Void]
	for range len(v.Questions) - 2 {
		rest = append(rest, chromedp.KeyEvent("1\r"))
	}
	run(t, ctx, "answer the other questions", rest...)
	waitJS(t, ctx, "the sheet is kept", `document.getElementById('e-msg').textContent.indexOf('`+code+`') >= 0 &&
		document.activeElement === document.getElementById('e-code')`)
	t.Run("the saved message sums the sheet up", func(t *testing.T) {
		msg := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('e-msg').textContent`))
		for _, want := range []string{code, paperName, fmt.Sprintf("%d câu đã trả lời", len(v.Questions)-1), "1 câu để trống (câu 2)"} {
			if !strings.Contains(msg, want) {
				t.Errorf("saved message %q lacks %q", msg, want)
			}
		}
	})
	t.Run("the village's paper count goes up at once", func(t *testing.T) {
		waitJS(t, ctx, "sent", `document.getElementById('c-sent').textContent === '1'`)
		n, err := strconv.Atoi(strings.ReplaceAll(before, ".", ""))
		if err != nil {
			t.Fatalf("paper count before %q: %v", before, err)
		}
		want := strconv.Itoa(n + 1)
		waitJS(t, ctx, "the count shows the sheet", paperCell+` === '`+want+`'`)
		shot(t, ctx, "count")
	})
}
