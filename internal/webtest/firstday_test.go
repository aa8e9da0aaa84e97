package webtest

// Day one from the staff pages: a deployment with nothing in it but the root unit and
// its first admin (what the first-admin command writes) is brought into use through the
// pages alone: the unit tree imported from a file, an officer invited, a quiz made from
// a question file and published; the resident page then offers both.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/tables"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// logWriter sends the stack's log to the test's.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// emptyStack is the product on a new table with no demo data and no staff accounts,
// then the root unit and its admin written as the first-admin step writes them: the
// unit through the store, the account in the issuer's directory.
func emptyStack(t *testing.T, clock *testenv.Clock, root units.Unit, user, password string) *localgw.Stack {
	t.Helper()
	ctx := context.Background()
	table := testenv.TableName(t)
	stack, err := localgw.NewStack(ctx, localgw.StackOptions{Endpoint: testenv.Endpoint(t), Table: table, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(logWriter{t}, nil)), Contract: true})
	if err != nil {
		t.Fatalf("new stack: %v", err)
	}
	t.Cleanup(func() {
		if err := tables.DeleteTable(context.Background(), stack.DB, table); err != nil {
			t.Errorf("delete table %s: %v", table, err)
		}
	})
	testenv.CheckContract(t, stack)
	if units, err := stack.Store.ListUnits(ctx); err != nil || len(units) != 0 {
		t.Fatalf("a new stack holds units %v (%v), want none", units, err)
	}
	if err := stack.Store.PutUnits(ctx, []units.Unit{root}); err != nil {
		t.Fatal(err)
	}
	hash, err := localauth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Issuer.Users().Add(localauth.User{Username: user, PasswordHash: hash, Role: "admin", Scope: root.ID, Email: user}); err != nil {
		t.Fatal(err)
	}
	return stack
}

// serverErrors wraps h and keeps every request it answered with a 5xx (statusWriter is
// requests_test.go's).
type serverErrors struct {
	h    http.Handler
	mu   sync.Mutex
	seen []string
}

func (s *serverErrors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.h.ServeHTTP(sw, r)
	if sw.status >= 500 {
		s.mu.Lock()
		s.seen = append(s.seen, fmt.Sprintf("%s %s: %d", r.Method, r.URL.Path, sw.status))
		s.mu.Unlock()
	}
}

func (s *serverErrors) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

// shotBoth saves screenshots of the page at a phone's and a laptop's width.
func shotBoth(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, "phone width", chromedp.EmulateViewport(360, 740))
	wide := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *')).filter(e => e.offsetParent && e.getBoundingClientRect().right > 361 && !e.closest('.table-wrap')).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`))
	if len(wide) > 0 {
		t.Errorf("at 360 px, %d elements stick out of the screen: %v", len(wide), wide)
	}
	for _, id := range []string{"first-steps", "setup", "authoring"} {
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('`+id+`').hidden`)) {
			value(t, ctx, chromedp.Evaluate[bool](`(document.getElementById('`+id+`').scrollIntoView(), true)`))
			if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
				saveShot(t, png, name, id, "360")
			}
		}
	}
	shot(t, ctx, name, "360")
	run(t, ctx, "laptop width", chromedp.EmulateViewport(1280, 900))
	shot(t, ctx, name, "1280")
}

// saveShot keeps a screenshot taken of one element (WEBTEST_SHOTS=dir), as shot does.
func saveShot(t *testing.T, png []byte, name ...string) {
	t.Helper()
	if dir := os.Getenv("WEBTEST_SHOTS"); dir != "" {
		test, _, _ := strings.Cut(t.Name(), "/")
		_ = os.WriteFile(filepath.Join(dir, strings.Join(append([]string{test}, name...), "-")+".png"), png, 0o644)
	}
}

// csvOf writes rows as a CSV file in dir and returns its path.
func csvOf(t *testing.T, dir, name string, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\r\n")
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// byHeader writes a unit's cells in the order of header's columns.
func byHeader(header []string, cells map[string]string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = cells[h]
	}
	return out
}

// stepsDone lists the first steps the page shows as done, by id.
const stepsDoneJS = `Array.from(document.querySelectorAll('#first-steps li.done')).map(li => li.id)`

func TestAnEmptyDeploymentIsBroughtIntoUseFromTheStaffPages(t *testing.T) {
	root := units.Unit{ID: "xa-thanh-cong", Name: "Xã Thành Công", Kind: "commune"}
	const user, password = "quantri@thanhcong.vn", "mat-khau-dau-tien-2026"
	clock := testenv.NewClock(time.Now())
	stack := emptyStack(t, clock, root, user, password)
	fives := &serverErrors{h: stack.Handler()}
	srv := httptest.NewServer(fives)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if errs := fives.list(); len(errs) > 0 {
			t.Errorf("server errors while the pages ran: %v", errs)
		}
	})
	ctx := browser(t)
	dir := t.TempDir()

	if !t.Run("the first admin signs in and sees the first steps, not empty reports", func(t *testing.T) {
		run(t, ctx, "open the dashboard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/staff/"))
		signInThroughIssuer(t, ctx, user, password, `#first-steps`)
		waitJS(t, ctx, "the setup and authoring panels are shown", `!document.getElementById('setup').hidden && !document.getElementById('authoring').hidden`)
		waitJS(t, ctx, "the staff list is in", `document.querySelector('#st-list tbody tr')`)
		if done := value(t, ctx, chromedp.Evaluate[[]string](stepsDoneJS)); len(done) != 0 {
			t.Errorf("steps done on an empty deployment = %v, want none", done)
		}
		states := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#first-steps .step-state')).map(s => s.textContent)`))
		if !slices.Equal(states, []string{"Chưa làm", "Chưa làm", "Chưa làm"}) {
			t.Errorf("step states = %q, want three «Chưa làm»", states)
		}
		hidden := value(t, ctx, chromedp.Evaluate[[]bool](`['awareness', 'topics', 'questions', 'trend', 'survey', 'error', 'quiz-note'].map(id => document.getElementById(id).hidden)`))
		for i, id := range []string{"awareness", "topics", "questions", "trend", "survey", "error", "quiz-note"} {
			if !hidden[i] {
				t.Errorf("#%s is shown on an empty deployment: %q", id, value(t, ctx, chromedp.Text("#"+id)))
			}
		}
		if drawn := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('canvas[data-drawn]').length`)); drawn != 0 {
			t.Errorf("%d charts drawn with no data, want none", drawn)
		}
		shotBoth(t, ctx, "empty")
	}) {
		return
	}

	villages := []map[string]string{
		{"id": "thon-dong", "parentId": root.ID, "name": "Thôn Đông", "kind": "village", "population": "620", "households": "150"},
		{"id": "thon-tay", "parentId": root.ID, "name": "Thôn Tây", "kind": "village", "population": "480", "households": "121"},
		{"id": "ban-muong", "parentId": root.ID, "name": "Bản Mường", "kind": "village", "population": "305", "households": "77"},
	}
	if !t.Run("the admin imports the villages from a file written on the page's template", func(t *testing.T) {
		captureDownloads(t, ctx)
		run(t, ctx, "download the template", chromedp.Click(`#units-template`))
		tpl := downloaded(t, ctx, "the unit template", 0)
		if !tpl.BOM || !strings.HasPrefix(tpl.Type, "text/csv") {
			t.Errorf("template is %q with BOM %v, want CSV with a BOM", tpl.Type, tpl.BOM)
		}
		lines := strings.Split(strings.TrimPrefix(tpl.Text, "\ufeff"), "\r\n")
		header := strings.Split(lines[0], ",")
		if len(lines) < 2 || !strings.Contains(lines[1], ","+root.ID+",") {
			t.Errorf("template example rows %q do not sit under the admin's unit %s", lines[1:], root.ID)
		}

		bad := [][]string{header, byHeader(header, villages[0]),
			byHeader(header, map[string]string{"id": "thon-lac", "parentId": "khong-co", "name": "Thôn Lạc", "kind": "village"})}
		run(t, ctx, "upload a file with a row whose parent is unknown",
			chromedp.SetUploadFiles(`#units-file`, []string{csvOf(t, dir, "don-vi-loi.csv", bad)}), chromedp.Click(`#units-upload`))
		waitJS(t, ctx, "the refused row is listed", `!document.getElementById('units-errors').hidden`)
		rows := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#units-errors li')).map(li => li.textContent)`))
		if len(rows) != 1 || !strings.HasPrefix(rows[0], "Dòng 3, cột parentId: ") || !strings.Contains(rows[0], "khong-co") {
			t.Errorf("row errors = %q, want one «Dòng 3, cột parentId: …khong-co…»", rows)
		}
		shotBoth(t, ctx, "units-refused")

		good := [][]string{header}
		for _, v := range villages {
			good = append(good, byHeader(header, v))
		}
		run(t, ctx, "upload the villages",
			chromedp.SetUploadFiles(`#units-file`, []string{csvOf(t, dir, "don-vi.csv", good)}), chromedp.Click(`#units-upload`))
		waitJS(t, ctx, "the import is confirmed", `document.getElementById('units-status').textContent.indexOf('Đã nhập') >= 0`)
		if got, want := value(t, ctx, chromedp.Text(`#units-status`)), "Đã nhập 3 đơn vị."; got != want {
			t.Errorf("status = %q, want %q", got, want)
		}
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('units-errors').hidden`)) {
			t.Errorf("the earlier row errors are still shown")
		}
		waitJS(t, ctx, "every unit picker offers the villages", `['unit', 'activity-unit', 'st-unit', 'qc-scope'].every(id => document.querySelector('#' + id + ' option[value="ban-muong"]'))`)
		if done := value(t, ctx, chromedp.Evaluate[[]string](stepsDoneJS)); !slices.Equal(done, []string{"step-units"}) {
			t.Errorf("steps done = %v, want [step-units]", done)
		}
	}) {
		return
	}

	if !t.Run("inviting an officer ticks the second step", func(t *testing.T) {
		choose(t, ctx, "st-role", "officer")
		run(t, ctx, "invite", chromedp.SendKeys(`#st-username`, "canbo-vhxh"), chromedp.SendKeys(`#st-email`, "canbo@thanhcong.vn"), chromedp.Click(`#st-invite`))
		waitJS(t, ctx, "the second step is ticked", `document.getElementById('step-staff').classList.contains('done')`)
	}) {
		return
	}

	const title = "Tìm hiểu Nghị quyết 58-NQ/TW năm 2026"
	var quizID string
	if !t.Run("the admin makes a quiz from the page's question template and publishes it", func(t *testing.T) {
		run(t, ctx, "download the question template", chromedp.Click(`#qc-template`))
		tpl := downloaded(t, ctx, "the question template", 1)
		path := filepath.Join(dir, "cau-hoi.csv")
		if err := os.WriteFile(path, []byte(tpl.Text), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "fill the form and save the draft",
			chromedp.SendKeys(`#qc-title`, title),
			chromedp.SetValue(`#qc-pass`, "60"),
			chromedp.SetUploadFiles(`#qc-file`, []string{path}),
			chromedp.Click(`#qc-save`))
		waitJS(t, ctx, "the draft is saved", `!document.getElementById('qc-done').hidden || !document.getElementById('qc-error').hidden`)
		if msg := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('qc-error').hidden ? '' : document.getElementById('qc-error').textContent + ' ' + document.getElementById('qc-errors').textContent`)); msg != "" {
			t.Fatalf("saving the draft failed: %s", msg)
		}
		if got, want := value(t, ctx, chromedp.Text(`#qc-done`)), "Đã lưu bản nháp «"+title+"» với 3 câu hỏi."; !strings.HasPrefix(got, want) {
			t.Errorf("saved message = %q, want it to start %q", got, want)
		}
		waitJS(t, ctx, "the draft is listed", `document.querySelector('#quiz-list tr[data-quiz-id] button[data-action="publish"]')`)
		quizID = value(t, ctx, chromedp.Evaluate[string](`document.querySelector('#quiz-list tr[data-quiz-id]').dataset.quizId`))
		row := value(t, ctx, chromedp.Text(`#quiz-list tr[data-quiz-id]`))
		for _, want := range []string{title, "Trắc nghiệm", "bản nháp", "3"} {
			if !strings.Contains(row, want) {
				t.Errorf("quiz row %q lacks %q", row, want)
			}
		}
		run(t, ctx, "ask to publish", chromedp.Click(`#quiz-list button[data-action="publish"]`))
		waitJS(t, ctx, "the confirmation opens", `document.getElementById('quiz-confirm').open`)
		text := value(t, ctx, chromedp.Text(`#quiz-confirm`))
		for _, want := range []string{"không sửa được", "câu hỏi", "mức đạt", "phạm vi"} {
			if !strings.Contains(text, want) {
				t.Errorf("confirmation %q does not say %q", text, want)
			}
		}
		shotBoth(t, ctx, "publish-confirm")
		run(t, ctx, "confirm", chromedp.Click(`#quiz-confirm-ok`))
		waitJS(t, ctx, "the quiz is published", `document.querySelector('#quiz-list tr[data-quiz-id] td.status-published')`)
		waitJS(t, ctx, "every step is done and the reports take over",
			`document.getElementById('first-steps').hidden && !document.getElementById('awareness').hidden && document.getElementById('quiz').value`)
		if got := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('quiz').value`)); got != quizID {
			t.Errorf("report quiz = %q, want the new quiz %q", got, quizID)
		}
		waitJS(t, ctx, "the awareness table is in", `document.querySelector('#awareness-table tbody tr')`)
		waitJS(t, ctx, "the chart box says why there is no chart", `document.querySelector('#mean-chart').parentNode.dataset.missing`)
		if drawn := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('canvas[data-drawn]').length`)); drawn != 0 {
			t.Errorf("%d charts drawn before anyone took part, want none", drawn)
		}
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('error').hidden`)) {
			t.Errorf("the page shows an error: %q", value(t, ctx, chromedp.Text(`#error`)))
		}
		shotBoth(t, ctx, "published")
	}) {
		return
	}

	t.Run("the resident page offers the new quiz and the new villages", func(t *testing.T) {
		// The public function keeps the published quizzes and the units for a minute.
		clock.Advance(quiz.CatalogTTL + time.Second)
		run(t, ctx, "open the resident page", chromedp.EmulateViewport(360, 740), chromedp.Navigate(srv.URL+"/"))
		waitJS(t, ctx, "the quiz is listed", `document.querySelector('.quiz-item[data-quiz-id="`+quizID+`"]')`)
		if got := value(t, ctx, chromedp.Text(`.quiz-item[data-quiz-id="`+quizID+`"] .t`)); got != title {
			t.Errorf("resident quiz title = %q, want %q", got, title)
		}
		run(t, ctx, "choose the quiz", chromedp.Click(`.quiz-item[data-quiz-id="`+quizID+`"]`))
		// The commune is the one choice of its level; the villages are the level below.
		waitJS(t, ctx, "the village picker is drawn", `document.querySelectorAll('#units select').length > 0 && document.querySelector('#units select option[value="thon-dong"]')`)
		got := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#units [data-depth]:last-child select option')).map(o => o.value).filter(Boolean)`))
		slices.Sort(got)
		if want := []string{"ban-muong", "thon-dong", "thon-tay"}; !slices.Equal(got, want) {
			t.Errorf("villages offered = %v, want %v", got, want)
		}
		shot(t, ctx, "resident")
	})
}
