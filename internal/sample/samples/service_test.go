package samples_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/retention"
	"github.com/nq58/tracker/internal/sample"
	"github.com/nq58/tracker/internal/sample/samples"
	"github.com/nq58/tracker/internal/testenv"
)

var (
	officerA   = auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
	officerB   = auth.Staff{Username: "canbo2", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-b"}
	collectorA = auth.Staff{Username: "thu", Roles: []auth.Role{auth.Collector}, ScopeUnitID: "xa-a"}
)

const demoQuiz = "demo-nq58-quiz"

type env struct {
	svc   *samples.Service
	store *dynamo.Store
}

// newEnv is the service on a fresh DynamoDB Local table with the demo units and quizzes.
func newEnv(t *testing.T) env {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	us, err := demo.Units()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutUnits(ctx, us); err != nil {
		t.Fatal(err)
	}
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if err := store.PutQuiz(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	clock := testenv.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	return env{svc: samples.NewService(store, clock.Now), store: store}
}

// frameCSV is a frame of n codes in each of the given villages.
func frameCSV(n int, villages ...string) []byte {
	var b strings.Builder
	b.WriteString("unitId,code\n")
	for _, v := range villages {
		for i := range n {
			fmt.Fprintf(&b, "%s,%s-%03d\n", v, v, i)
		}
	}
	return []byte(b.String())
}

func (e env) created(t *testing.T, in samples.CreateRequest) samples.View {
	t.Helper()
	v, err := e.svc.Create(context.Background(), officerA, in)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCreatingASample(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		staff auth.Staff
		in    samples.CreateRequest
		want  apperr.Code
	}{
		{"an officer creates a sample of their commune", officerA, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 10}, ""},
		{"a sample may be sized by a margin of error", officerA, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", MarginOfError: 5}, ""},
		{"another commune's officer cannot see the unit", officerB, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 10}, apperr.NotFound},
		{"a collector may not create a sample", collectorA, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 10}, apperr.Forbidden},
		{"a size and a margin together are refused", officerA, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 10, MarginOfError: 5}, apperr.Validation},
		{"an unknown quiz is out of scope", officerA, samples.CreateRequest{QuizID: "nope", UnitID: "xa-a", PerVillage: 10}, apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := e.svc.Create(context.Background(), tt.staff, tt.in)
			if tt.want != "" {
				apperrtest.WantCode(t, err, tt.want, "Create")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.ID == "" || v.Label != "mẫu ngẫu nhiên" || len(v.Villages) != 7 {
				t.Errorf("got id %q label %q %d villages, want an id, the label and the commune's 7 villages", v.ID, v.Label, len(v.Villages))
			}
		})
	}
}

func TestAFrameIsCheckedThenDrawnOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.created(t, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", MarginOfError: 10})
	t.Run("a frame with a village of another commune lists the row", func(t *testing.T) {
		r, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", []byte("unitId,code\nxa-a-t01,H1\nxa-b-t01,H2\n"))
		apperrtest.WantCode(t, err, apperr.Validation, "PutFrame")
		if len(r.Errors) != 1 || r.Errors[0].Row != 3 {
			t.Errorf("got %+v, want one error of row 3", r.Errors)
		}
	})
	t.Run("a draw without a frame is refused", func(t *testing.T) {
		_, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{Seed: "s"})
		apperrtest.WantCode(t, err, apperr.Validation, "Draw")
	})
	frame := frameCSV(120, "xa-a-t01", "xa-a-t02")
	r, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", frame)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the frame's sizes and hash are answered", func(t *testing.T) {
		if r.Total != 240 || len(r.Villages) != 2 || r.Villages[0].FrameSize != 120 {
			t.Errorf("got %+v", r)
		}
		// ±10 points in 120: n₀ = 96.04, n = 96.04 / (1 + 95.04/120) = 53.6 → 54.
		if r.Villages[0].Size != 54 {
			t.Errorf("size: got %d, want 54", r.Villages[0].Size)
		}
	})
	drawn, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{Seed: "hop-xa-2026"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the draw shows the seed, the frame's hash and each village's codes", func(t *testing.T) {
		if drawn.Seed != "hop-xa-2026" || drawn.FrameSHA256 != r.FrameSHA256 || drawn.DrawnTotal != 108 {
			t.Errorf("got seed %q hash %q total %d", drawn.Seed, drawn.FrameSHA256, drawn.DrawnTotal)
		}
		for _, vil := range drawn.Villages {
			if len(vil.Codes) != 54 {
				t.Errorf("%s: got %d codes, want 54", vil.UnitID, len(vil.Codes))
			}
		}
	})
	t.Run("anyone redoes the draw from the seed and the frame", func(t *testing.T) {
		rows := [][]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(frame)), "\n") {
			rows = append(rows, strings.Split(l, ","))
		}
		got, _ := e.svc.Get(ctx, officerA, v.ID)
		var want []string
		for _, vil := range got.Villages {
			for _, c := range vil.Codes {
				want = append(want, c.Code)
			}
		}
		redo := sample.DrawCodes(sample.Draw("hop-xa-2026", frameUnits(rows), func(int) int { return 54 }))
		var again []string
		for _, c := range redo {
			again = append(again, c.Code)
		}
		if !slices.Equal(again, want) {
			t.Errorf("redone draw differs:\n got %v\nwant %v", again, want)
		}
	})
	t.Run("a second draw is a conflict", func(t *testing.T) {
		_, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{Seed: "another"})
		apperrtest.WantCode(t, err, apperr.Conflict, "Draw")
	})
	t.Run("a new frame after the draw is a conflict", func(t *testing.T) {
		_, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", frameCSV(5, "xa-a-t03"))
		apperrtest.WantCode(t, err, apperr.Conflict, "PutFrame")
	})
	t.Run("another commune's officer does not see the sample", func(t *testing.T) {
		_, err := e.svc.Get(ctx, officerB, v.ID)
		apperrtest.WantCode(t, err, apperr.NotFound, "Get")
	})
	t.Run("an outcome of a code that was not drawn is not found", func(t *testing.T) {
		_, err := e.svc.SetOutcome(ctx, officerA, v.ID, samples.OutcomeRequest{Code: "NOPE", Outcome: "absent"})
		apperrtest.WantCode(t, err, apperr.NotFound, "SetOutcome")
	})
	t.Run("an unknown outcome is refused", func(t *testing.T) {
		_, err := e.svc.SetOutcome(ctx, officerA, v.ID, samples.OutcomeRequest{Code: drawn.Villages[0].Codes[0].Code, Outcome: "gone"})
		apperrtest.WantCode(t, err, apperr.Validation, "SetOutcome")
	})
}

func frameUnits(rows [][]string) []sample.Unit {
	var out []sample.Unit
	for _, r := range rows[1:] {
		out = append(out, sample.Unit{UnitID: r[0], Code: r[1]})
	}
	return out
}

// TestSampleFiguresEqualAHandComputation: two villages, frames of 100 and 300, 10 drawn
// in each. Village 1: 6 responses (scores 100, 80, 60, 40, 40, 20; pass at 50 → 3
// passes), 2 moved, 1 absent, 1 refused. Village 2: 8 responses (scores 90, 90, 70, 70,
// 50, 50, 30, 10 → 6 passes), 1 moved, 1 other.
//
//	RR1:  v1 6/(10−2) = 75 %, v2 8/(10−1) = 88.9 %, total 14/(20−3) = 82.4 %
//	W:    v1 100/400 = 0.25, v2 0.75
//	pass: v1 0.5, v2 0.75 → p = 0.25·0.5 + 0.75·0.75 = 0.6875 → 68.8 %
//	Var:  0.25²·(1 − 6/100)·0.25/5 + 0.75²·(1 − 8/300)·0.1875/7 = 0.0029375 + 0.0146652 = 0.0176027
//	      → 1.96·√0.0176027·100 = 26.004 → 68.75 ± 26.004 = [42.746, 94.754] → [42.7, 94.8]
//	mean: v1 56.667, v2 57.5 → 0.25·56.667 + 0.75·57.5 = 57.29 → 57.3
func TestSampleFiguresEqualAHandComputation(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.created(t, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 10})
	var b strings.Builder
	b.WriteString("unitId,code\n")
	for i := range 100 {
		fmt.Fprintf(&b, "xa-a-t01,A%03d\n", i)
	}
	for i := range 300 {
		fmt.Fprintf(&b, "xa-a-t02,B%03d\n", i)
	}
	if _, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", []byte(b.String())); err != nil {
		t.Fatal(err)
	}
	drawn, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn.Seed) != 16 {
		t.Errorf("generated seed: got %q, want 16 hex digits", drawn.Seed)
	}
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	fill := func(codes []sample.Code, scores []float64, outcomes []sample.Outcome) {
		t.Helper()
		for i, sc := range scores {
			if err := e.store.SetSampleResponse(ctx, v.ID, codes[i].Code, sample.Response{Scored: true, Score: sc, Passed: sc >= 50, EnteredAt: at}); err != nil {
				t.Fatal(err)
			}
		}
		for i, o := range outcomes {
			if _, err := e.svc.SetOutcome(ctx, officerA, v.ID, samples.OutcomeRequest{Code: codes[len(scores)+i].Code, Outcome: string(o)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	fill(drawn.Villages[0].Codes, []float64{100, 80, 60, 40, 40, 20}, []sample.Outcome{sample.Moved, sample.Moved, sample.Absent, sample.Refused})
	fill(drawn.Villages[1].Codes, []float64{90, 90, 70, 70, 50, 50, 30, 10}, []sample.Outcome{sample.Moved, sample.Other})

	r, err := e.svc.Report(ctx, officerA, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	w := r.Total.Weighted
	checks := []struct {
		name      string
		got, want float64
	}{
		{"village 1's response rate is 6 of 8 eligible", val(r.Rows[0].ResponseRate), 75},
		{"village 2's response rate is 8 of 9 eligible", val(r.Rows[1].ResponseRate), 88.9},
		{"the total response rate is 14 of 17 eligible", val(r.Total.ResponseRate), 82.4},
		{"village 1's pass rate is 3 of 6", val(r.Rows[0].PassRate), 50},
		{"village 2's mean score is 57.5", val(r.Rows[1].MeanScore), 57.5},
		{"the weighted pass rate weights by frame size", val(w.PassRate), 68.8},
		{"the weighted pass rate's interval's low end", w.PassRateCI95[0], 42.7},
		{"the weighted pass rate's interval's high end", w.PassRateCI95[1], 94.8},
		{"the weighted mean weights by frame size", val(w.MeanScore), 57.3},
		{"both villages enter the estimate", float64(w.VillagesCovered), 2},
		{"village 1 counts its moved codes", float64(r.Rows[0].Moved), 2},
		{"the total counts every drawn code", float64(r.Total.Drawn), 20},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
	t.Run("the figures are labelled a random sample in the export", func(t *testing.T) {
		tables := r.Tables()
		if r.Label != "mẫu ngẫu nhiên" || !strings.Contains(tables[0].Header[0], "mẫu ngẫu nhiên") {
			t.Errorf("got label %q, header %q", r.Label, tables[0].Header[0])
		}
	})
}

func TestAQuizsPurgeDeletesItsSamples(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.created(t, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 2})
	fr, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", frameCSV(4, "xa-a-t01"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{Seed: "x"}); err != nil {
		t.Fatal(err)
	}
	t.Run("the quiz lists the sample to its officers only", func(t *testing.T) {
		mine, err := e.svc.List(ctx, officerA, demoQuiz)
		if err != nil || len(mine) != 1 || mine[0].ID != v.ID {
			t.Errorf("officer A: got %+v (%v), want the sample", mine, err)
		}
		theirs, err := e.svc.List(ctx, officerB, demoQuiz)
		if err != nil || len(theirs) != 0 {
			t.Errorf("officer B: got %+v (%v), want none", theirs, err)
		}
	})
	q, err := e.store.GetQuiz(ctx, demoQuiz)
	if err != nil {
		t.Fatal(err)
	}
	if frame, _ := e.store.SampleFrame(ctx, v.ID, fr.FrameSHA256); len(frame) != 4 {
		t.Fatalf("frame before the purge: got %d entries, want 4", len(frame))
	}
	q.Status = quiz.Closed
	if err := e.store.PutQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	got, err := retention.NewService(e.store, nil).PurgePersonalData(ctx, admin, demoQuiz)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the purge counts the sample and leaves nothing of it", func(t *testing.T) {
		if got.Samples != 1 {
			t.Errorf("purged samples: got %d, want 1", got.Samples)
		}
		if _, err := e.store.GetSample(ctx, v.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("sample: got %v, want not found", err)
		}
		if codes, _ := e.store.SampleCodes(ctx, v.ID); len(codes) != 0 {
			t.Errorf("codes: got %d, want none", len(codes))
		}
		if frame, _ := e.store.SampleFrame(ctx, v.ID, fr.FrameSHA256); len(frame) != 0 {
			t.Errorf("frame: got %d entries, want none", len(frame))
		}
	})
}

// TestCompletingAnInterruptedDrawKeepsWhatWasRecorded: a draw recorded on the sample
// whose codes were only partly written (the function stopped in between) is completed
// by the next draw call from the stored seed, without touching the codes already there
// and the outcomes and responses recorded on them since.
func TestCompletingAnInterruptedDrawKeepsWhatWasRecorded(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.created(t, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 4})
	fr, err := e.svc.PutFrame(ctx, officerA, v.ID, "text/csv", frameCSV(10, "xa-a-t01", "xa-a-t02"))
	if err != nil {
		t.Fatal(err)
	}
	// The draw as the service makes it, recorded, then only its first village written.
	frame, err := e.store.SampleFrame(ctx, v.ID, fr.FrameSHA256)
	if err != nil {
		t.Fatal(err)
	}
	codes := sample.DrawCodes(sample.Draw("cut", frame, func(int) int { return 4 }))
	sm, err := e.store.GetSample(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	sm.Seed, sm.DrawnAt, sm.DrawnBy, sm.DrawnTotal = "cut", &at, "canbo", len(codes)
	if err := e.store.ClaimSampleDraw(ctx, sm); err != nil {
		t.Fatal(err)
	}
	if err := e.store.PutSampleCodes(ctx, v.ID, codes[:4]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOutcome(ctx, officerA, v.ID, samples.OutcomeRequest{Code: codes[0].Code, Outcome: "refused"}); err != nil {
		t.Fatal(err)
	}
	resp := sample.Response{Scored: true, Score: 90, Passed: true, EnteredAt: at}
	if err := e.store.SetSampleResponse(ctx, v.ID, codes[1].Code, resp); err != nil {
		t.Fatal(err)
	}

	done, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{Seed: "another"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.store.SampleCodes(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]sample.Code{}
	for _, c := range got {
		byCode[c.Code] = c
	}
	kept := 0
	if byCode[codes[0].Code].Outcome == sample.Refused {
		kept++
	}
	if byCode[codes[1].Code].Response != nil {
		kept++
	}
	t.Run("the draw is completed from the stored seed", func(t *testing.T) {
		if done.Seed != "cut" || len(got) != len(codes) {
			t.Errorf("got seed %q and %d codes, want cut and %d", done.Seed, len(got), len(codes))
		}
	})
	t.Run("the outcome and the response recorded before stay", func(t *testing.T) {
		if kept != 2 {
			t.Errorf("got %d of 2 kept (%+v, %+v)", kept, byCode[codes[0].Code], byCode[codes[1].Code])
		}
	})
	t.Run("a draw once complete is a conflict", func(t *testing.T) {
		_, err := e.svc.Draw(ctx, officerA, v.ID, samples.DrawRequest{})
		apperrtest.WantCode(t, err, apperr.Conflict, "Draw")
	})
}
