package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/paper/sheets"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/testenv"
)

// paperEnv is the gateway with the sign-in routes, and a collector's and an admin's token.
type paperEnv struct {
	*env
	base             string
	collector, admin string
}

func newPaperEnv(t *testing.T) *paperEnv {
	t.Helper()
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	later := e.Clock.Now().Add(2 * time.Hour)
	tok := func(user, group, scope string) string {
		s, err := e.Stack.Issuer.Token(user, []string{group}, scope, later)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return &paperEnv{env: e, base: srv.URL, collector: tok("nhapphieu", "collector", village), admin: tok("admin", "admin", "th")}
}

// token is a staff token of one group and scope, valid for two hours.
func (p *paperEnv) token(t *testing.T, user, group, scope string) string {
	t.Helper()
	s, err := p.Stack.Issuer.Token(user, []string{group}, scope, p.Clock.Now().Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// print prints n sheets of a quiz for a village and fails the test unless it is created.
func (p *paperEnv) print(t *testing.T, token, quizID, unitID string, n int) sheets.PrintView {
	t.Helper()
	status, raw, _ := staffRequest(t, p.base, token, "POST", "/v1/paper/prints",
		map[string]any{"quizId": quizID, "unitId": unitID, "count": n, "siteUrl": "https://nq58.example.vn"})
	if status != http.StatusCreated {
		t.Fatalf("print = %d %s", status, raw)
	}
	return decodeJSON[sheets.PrintView](t, raw)
}

// upload posts a file of sheets as the collector.
func (p *paperEnv) upload(t *testing.T, contentType string, body []byte) (int, string) {
	t.Helper()
	status, raw, _ := staffRequest(t, p.base, p.collector, "POST", "/v1/paper/uploads", typed{contentType, body})
	return status, string(raw)
}

// rightBoxes are the boxes that tick the right options of a printed question.
func rightBoxes(bank quiz.Quiz, pq paper.PrintedQuestion) string {
	qu, _ := bank.Question(pq.ID)
	var out string
	for _, o := range pq.Options {
		if slices.Contains(qu.CorrectOptionIDs, o.ID) {
			out += o.Letter
		}
	}
	return out
}

// sheetRows are the header and one row per code of a print: random boxes (some left
// blank) from rng, or every right box when right is set.
func sheetRows(v sheets.PrintView, bank quiz.Quiz, rng *rand.Rand, right bool) [][]string {
	head := []string{"code", "village", "birthYear", "gender", "organization"}
	for _, q := range v.Questions {
		head = append(head, "q"+strconv.Itoa(q.N))
	}
	rows := [][]string{head}
	genders := []string{"nam", "nữ", "", "khác"}
	orgs := []string{"Hội Nông dân", "Hội Liên hiệp Phụ nữ", "", "Hội Cựu chiến binh"}
	for _, code := range v.Codes {
		r := []string{code, v.UnitID, "", genders[rng.IntN(4)], orgs[rng.IntN(4)]}
		if rng.IntN(3) > 0 {
			r[2] = strconv.Itoa(1935 + rng.IntN(70))
		}
		for _, q := range v.Questions {
			switch {
			case right:
				r = append(r, rightBoxes(bank, q))
			case rng.IntN(8) == 0:
				r = append(r, "") // left blank
			case q.Kind == quiz.Multiple:
				r = append(r, q.Options[rng.IntN(len(q.Options))].Letter+q.Options[0].Letter)
			default:
				r = append(r, q.Options[rng.IntN(len(q.Options))].Letter)
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func xlsxOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvOf(rows [][]string) []byte {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return []byte(b.String())
}

func paperAttempts(t *testing.T, e *env) []quiz.Attempt {
	t.Helper()
	all, err := e.Stack.Store.SubmittedAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []quiz.Attempt
	for _, a := range all {
		if a.Channel != "" {
			out = append(out, a)
		}
	}
	return out
}

func TestTwoHundredPaperSheetsCountLikeAttemptsOnPhones(t *testing.T) {
	p := newPaperEnv(t)
	ctx := context.Background()
	bank := p.Bank[demoQuiz]
	// Residents on phones in the same village, so the channels mix in one counter.
	for i := range 6 {
		s := p.start(demoQuiz, resident(village, "", fmt.Sprintf("phone-%d", i)))
		if status, raw := p.submit(s.AttemptID, s.AttemptToken, p.answers(demoQuiz, s.Questions, i%2 == 0)); status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
	}
	v := p.print(t, p.collector, demoQuiz, village, 200)
	if len(v.Codes) != 200 || len(v.Questions) != bank.QuestionCount() {
		t.Fatalf("print has %d codes and %d questions, want 200 and %d", len(v.Codes), len(v.Questions), bank.QuestionCount())
	}
	rng := rand.New(rand.NewPCG(14, 58))
	rows := sheetRows(v, bank, rng, false)
	// The first sheet has every right box: it must score the maximum.
	rows[1] = sheetRows(sheets.PrintView{Print: v.Print, Questions: v.Questions}, bank, rng, true)[1]
	status, body := p.upload(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxOf(t, rows))
	if status != http.StatusOK || !strings.Contains(body, `"entered":200`) {
		t.Fatalf("upload = %d %s, want 200 with 200 entered", status, body)
	}
	// One resident entered with an officer beside them.
	code := p.print(t, p.collector, demoQuiz, village, 1).Codes[0]
	if st, raw, _ := staffRequest(t, p.base, p.collector, "PUT", "/v1/paper/sheets/"+code,
		map[string]any{"channel": "assisted", "birthYear": 1948, "answers": []any{}}); st != http.StatusCreated {
		t.Fatalf("assisted entry = %d %s", st, raw)
	}
	if err := p.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}

	attempts, err := p.Stack.Store.SubmittedAttempts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Stack.Store.Counters(ctx, demoQuiz, []string{village})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the counters equal a rebuild from the stored attempts", func(t *testing.T) {
		testenv.AssertCounters(t, got, aggregate.Rebuild(attempts))
	})
	t.Run("each sheet is a participant of its own", func(t *testing.T) {
		var participants int64
		for _, c := range got {
			participants += c.Participants
		}
		if participants != 207 {
			t.Errorf("participants = %d, want 207 (6 phones, 200 sheets, 1 assisted)", participants)
		}
	})
	t.Run("a sheet with every right box scores the maximum", func(t *testing.T) {
		for _, a := range attempts {
			if a.ID == "paper-"+v.Codes[0] {
				if a.MaxScore == 0 || a.Score != a.MaxScore || a.Channel != quiz.ChannelPaper {
					t.Errorf("sheet %s: score %d/%d, channel %q, want full marks on paper", v.Codes[0], a.Score, a.MaxScore, a.Channel)
				}
				return
			}
		}
		t.Errorf("no attempt for sheet %s", v.Codes[0])
	})
	t.Run("the awareness report splits the participants by channel", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.admin, "GET", "/v1/reports/awareness?quizId="+demoQuiz+"&unitId="+village+"&groupBy=channel", nil)
		if st != http.StatusOK {
			t.Fatalf("report = %d %s", st, raw)
		}
		r := decodeJSON[report.Awareness](t, raw)
		gotRows := map[string]int64{}
		for _, row := range r.Rows {
			gotRows[row.Key] = row.Participants
		}
		want := map[string]int64{"web": 6, "paper": 200, "assisted": 1}
		for k, w := range want {
			if gotRows[k] != w {
				t.Errorf("channel %s: %d participants, want %d (rows %v)", k, gotRows[k], w, gotRows)
			}
		}
	})
	t.Run("the running count shows the village's paper and assisted sheets", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.collector, "GET", "/v1/paper/progress?quizId="+demoQuiz, nil)
		if st != http.StatusOK {
			t.Fatalf("progress = %d %s", st, raw)
		}
		pr := decodeJSON[sheets.Progress](t, raw)
		want := sheets.VillageProgress{UnitID: village, Participants: 207, Paper: 200, Assisted: 1}
		if len(pr.Villages) != 1 || pr.Villages[0].Participants != want.Participants || pr.Villages[0].Paper != want.Paper || pr.Villages[0].Assisted != want.Assisted {
			t.Errorf("progress = %+v, want one village %+v", pr.Villages, want)
		}
	})
	t.Run("the annual workbook shows how many were reached on paper per village", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.admin, "GET", "/v1/reports/annual?unitId=xa-a&year=2026&format=xlsx", nil)
		if st != http.StatusOK {
			t.Fatalf("annual = %d %.300s", st, raw)
		}
		book, err := export.ReadXLSX(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		// The quiz's own sheet: the village's name first, its code last.
		found := false
		for name, rows := range book {
			if !strings.HasPrefix(name, "Phiếu giấy – ") {
				continue
			}
			for _, r := range rows {
				if len(r) >= 6 && r[5] == village {
					found = true
					if r[1] != "207" || r[2] != "200" || r[3] != "1" {
						t.Errorf("village row %v, want 207 participants, 200 on paper, 1 assisted", r)
					}
				}
			}
		}
		if !found {
			t.Errorf("no sheet \"Phiếu giấy – …\" has a row for %s: %v", village, book)
		}
	})
	t.Run("the activity log shows the entry sessions with who entered how many", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.admin, "GET", "/v1/activities?unitId="+village, nil)
		if st != http.StatusOK {
			t.Fatalf("activities = %d %s", st, raw)
		}
		for _, want := range []string{`"audience":200`, `"audience":1`, `"createdBy":"nhapphieu"`, `"type":"paper"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("activities %s lack %s", raw, want)
			}
		}
	})
}

func TestABadRowInAnUploadChangesNothing(t *testing.T) {
	p := newPaperEnv(t)
	v := p.print(t, p.collector, demoQuiz, village, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name   string
		spoil  func(rows [][]string)
		column string
	}{
		{"a box that is not on the question", func(rows [][]string) { rows[3][5] = "Z" }, "q1"},
		{"a code never printed", func(rows [][]string) { rows[2][0] = "2222222" }, "code"},
		{"a birth year that is not a number", func(rows [][]string) { rows[1][2] = "năm 60" }, "birthYear"},
		{"another village's name", func(rows [][]string) { rows[2][1] = "Thôn Khác" }, "village"},
		{"the same code twice", func(rows [][]string) { rows[3][0] = rows[1][0] }, "code"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is reported by row and column and nothing is written", func(t *testing.T) {
			rows := sheetRows(v, p.Bank[demoQuiz], rng, false)
			tt.spoil(rows)
			status, body := p.upload(t, "text/csv", csvOf(rows))
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"column":"`+tt.column+`"`) {
				t.Errorf("upload = %d %s, want 422 with an error in column %s", status, body, tt.column)
			}
			if got := paperAttempts(t, p.env); len(got) != 0 {
				t.Errorf("%d sheet attempts stored, want none", len(got))
			}
			for _, code := range v.Codes {
				st, raw, _ := staffRequest(t, p.base, p.collector, "GET", "/v1/paper/sheets/"+code, nil)
				if st != http.StatusOK || strings.Contains(string(raw), `"entry"`) {
					t.Errorf("sheet %s = %d %s, want it not entered", code, st, raw)
				}
			}
		})
	}
}

func TestASheetCodeIsEnteredOnce(t *testing.T) {
	p := newPaperEnv(t)
	v := p.print(t, p.collector, demoQuiz, village, 1)
	code, q1 := v.Codes[0], v.Questions[0]
	entry := func(option string) map[string]any {
		return map[string]any{"channel": "paper", "gender": "female",
			"answers": []any{map[string]any{"questionId": q1.ID, "optionIds": []string{option}}}}
	}
	tests := []struct {
		name string
		body map[string]any
		want int
	}{
		{"the first entry is created", entry(q1.Options[0].ID), http.StatusCreated},
		{"the same entry again (an offline resend) answers as before", entry(q1.Options[0].ID), http.StatusOK},
		{"other answers for the same code are a conflict", entry(q1.Options[1].ID), http.StatusConflict},
		{"the same answers from the other channel are a conflict", map[string]any{"channel": "assisted", "gender": "female",
			"answers": []any{map[string]any{"questionId": q1.ID, "optionIds": []string{q1.Options[0].ID}}}}, http.StatusConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, raw, _ := staffRequest(t, p.base, p.collector, "PUT", "/v1/paper/sheets/"+code, tt.body)
			if st != tt.want {
				t.Errorf("status = %d %s, want %d", st, raw, tt.want)
			}
		})
	}
	t.Run("one attempt is stored", func(t *testing.T) {
		if got := paperAttempts(t, p.env); len(got) != 1 || got[0].ID != "paper-"+code {
			t.Errorf("sheet attempts = %d, want one, paper-%s", len(got), code)
		}
	})
	t.Run("the same file uploaded twice enters nothing the second time", func(t *testing.T) {
		w := p.print(t, p.collector, demoQuiz, village, 4)
		file := csvOf(sheetRows(w, p.Bank[demoQuiz], rand.New(rand.NewPCG(3, 4)), false))
		for _, want := range []string{`"entered":4`, `"entered":0,"unchanged":4`} {
			if status, body := p.upload(t, "text/csv", file); status != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("upload = %d %s, want %s", status, body, want)
			}
		}
		if got := paperAttempts(t, p.env); len(got) != 5 {
			t.Errorf("sheet attempts = %d, want 5", len(got))
		}
	})
}

func TestContestsTakeNoPaperSheets(t *testing.T) {
	p := newPaperEnv(t)
	now := p.Clock.Now()
	contest := p.newContest(t, "ct-paper", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	t.Run("a contest's sheets cannot be printed", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.admin, "POST", "/v1/paper/prints", map[string]any{"quizId": contest.ID, "unitId": village, "count": 5})
		if st != http.StatusUnprocessableEntity || strings.Contains(string(raw), "correctOption") {
			t.Errorf("print a contest = %d %s, want 422 and no key", st, raw)
		}
	})
	t.Run("paper attempts belong to no round", func(t *testing.T) {
		v := p.print(t, p.collector, demoQuiz, village, 2)
		if status, body := p.upload(t, "text/csv", csvOf(sheetRows(v, p.Bank[demoQuiz], rand.New(rand.NewPCG(5, 6)), false))); status != http.StatusOK {
			t.Fatalf("upload = %d %s", status, body)
		}
		for _, a := range paperAttempts(t, p.env) {
			if a.RoundID != "" || a.QuizID != demoQuiz || a.Identity != "attempt:"+a.ID {
				t.Errorf("paper attempt %s: round %q, quiz %q, identity %q; want no round, the demo quiz, its own identity", a.ID, a.RoundID, a.QuizID, a.Identity)
			}
		}
	})
}

func TestACorrectedSheetIsRecordedAndTheCountersFollow(t *testing.T) {
	p := newPaperEnv(t)
	ctx := context.Background()
	bank := p.Bank[demoQuiz]
	v := p.print(t, p.collector, demoQuiz, village, 2)
	code := v.Codes[0]
	// answersOf ticks, for every printed question, all its right options or its first
	// wrong one. (Ticking one right option of a multiple-answer question is wrong, and
	// the print draws its questions at random: a corrected sheet must pass whatever the draw.)
	answersOf := func(right bool) []any {
		var out []any
		for _, q := range v.Questions {
			qu, _ := bank.Question(q.ID)
			var ids []string
			for _, o := range q.Options {
				if slices.Contains(qu.CorrectOptionIDs, o.ID) == right {
					ids = append(ids, o.ID)
					if !right {
						break
					}
				}
			}
			out = append(out, map[string]any{"questionId": q.ID, "optionIds": ids})
		}
		return out
	}
	if st, raw, _ := staffRequest(t, p.base, p.collector, "PUT", "/v1/paper/sheets/"+code,
		map[string]any{"channel": "paper", "answers": answersOf(false)}); st != http.StatusCreated {
		t.Fatalf("entry = %d %s", st, raw)
	}
	if err := p.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		body map[string]any
		want int
	}{
		{"a correction without a reason is refused", "/v1/paper/sheets/" + code + "/correction",
			map[string]any{"channel": "paper", "answers": answersOf(true)}, http.StatusUnprocessableEntity},
		{"a sheet never entered cannot be corrected", "/v1/paper/sheets/" + v.Codes[1] + "/correction",
			map[string]any{"channel": "paper", "reason": "Sửa", "answers": answersOf(true)}, http.StatusUnprocessableEntity},
		{"a correction with a reason is taken", "/v1/paper/sheets/" + code + "/correction",
			map[string]any{"channel": "paper", "reason": "Nhập nhầm từ phiếu bên cạnh", "answers": answersOf(true)}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, raw, _ := staffRequest(t, p.base, p.collector, "POST", tt.path, tt.body); st != tt.want {
				t.Errorf("status = %d %s, want %d", st, raw, tt.want)
			}
		})
	}
	if err := p.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("the sheet shows who corrected it, when and why", func(t *testing.T) {
		st, raw, _ := staffRequest(t, p.base, p.admin, "GET", "/v1/paper/sheets/"+code, nil)
		if st != http.StatusOK {
			t.Fatalf("sheet = %d %s", st, raw)
		}
		for _, want := range []string{`"by":"nhapphieu"`, `"reason":"Nhập nhầm từ phiếu bên cạnh"`, `"enteredBy":"nhapphieu"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("sheet %s lacks %s", raw, want)
			}
		}
	})
	t.Run("the counters count the corrected sheet once, as a rebuild does", func(t *testing.T) {
		attempts, err := p.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Stack.Store.Counters(ctx, demoQuiz, []string{village})
		if err != nil {
			t.Fatal(err)
		}
		testenv.AssertCounters(t, got, aggregate.Rebuild(attempts))
		if len(got) != 1 || got[0].Participants != 1 || got[0].Passes != 1 {
			t.Errorf("counters %+v, want one participant who passes", got)
		}
	})
}

func TestAClosedQuizTakesNoNewSheets(t *testing.T) {
	p := newPaperEnv(t)
	v := p.print(t, p.collector, demoQuiz, village, 3)
	q1 := v.Questions[0]
	entry := map[string]any{"channel": "paper", "gender": "female",
		"answers": []any{map[string]any{"questionId": q1.ID, "optionIds": []string{q1.Options[0].ID}}}}
	if st, raw, _ := staffRequest(t, p.base, p.collector, "PUT", "/v1/paper/sheets/"+v.Codes[0], entry); st != http.StatusCreated {
		t.Fatalf("entry before the close = %d %s", st, raw)
	}
	if st, raw, _ := staffRequest(t, p.base, p.admin, "POST", "/v1/admin/quizzes/"+demoQuiz+"/close", nil); st != http.StatusOK {
		t.Fatalf("close = %d %s", st, raw)
	}
	before := p.awarenessOf(t, village, "").Total
	rest := v
	rest.Codes = v.Codes[2:]
	tests := []struct {
		name string
		send func() (int, string)
		want int
		code string
	}{
		{"a sheet entered after the close is refused with quiz_closed", func() (int, string) {
			st, raw, _ := staffRequest(t, p.base, p.collector, "PUT", "/v1/paper/sheets/"+v.Codes[1], entry)
			return st, string(raw)
		}, http.StatusConflict, "quiz_closed"},
		{"an upload of the quiz's sheets after the close is refused with quiz_closed", func() (int, string) {
			return p.upload(t, "text/csv", csvOf(sheetRows(rest, p.Bank[demoQuiz], rand.New(rand.NewPCG(7, 8)), false)))
		}, http.StatusConflict, "quiz_closed"},
		{"an officer still corrects an entered sheet with a reason", func() (int, string) {
			st, raw, _ := staffRequest(t, p.base, p.collector, "POST", "/v1/paper/sheets/"+v.Codes[0]+"/correction",
				map[string]any{"channel": "paper", "gender": "male", "reason": "Nhập nhầm giới tính", "answers": entry["answers"]})
			return st, string(raw)
		}, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, body := tt.send()
			if st != tt.want || (tt.code != "" && !strings.Contains(body, `"code":"`+tt.code+`"`)) {
				t.Errorf("status = %d %s, want %d %s", st, body, tt.want, tt.code)
			}
		})
	}
	t.Run("the counters do not change", func(t *testing.T) {
		after := p.awarenessOf(t, village, "").Total
		if got := paperAttempts(t, p.env); len(got) != 1 {
			t.Errorf("sheet attempts = %d, want 1 (the one entered before the close)", len(got))
		}
		if after.Participants != before.Participants || after.Paper != before.Paper {
			t.Errorf("participants %d (paper %d) after, %d (paper %d) before: want unchanged",
				after.Participants, after.Paper, before.Participants, before.Paper)
		}
	})
}
