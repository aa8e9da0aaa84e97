package report_test

import (
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
)

// passCounter is a village's counter of passes of 100 and fails of 0.
func passCounter(unit string, passes, fails int) aggregate.Counter {
	scores := slices.Repeat([]int64{100}, passes)
	return scoresCounter(unit, "2026-04", append(scores, slices.Repeat([]int64{0}, fails)...)...)
}

// changeFixture: Thôn Đông (200 residents) passes 56 of 70 this year against 48 of 80
// in the base quiz, Newcombe's example (a); Thôn Nam (100) passes 0 of 10 both times,
// example (f); Thôn Tây (no population) has 9 of 10 against 3 participants.
func changeFixture() (now, base []aggregate.Counter) {
	now = []aggregate.Counter{passCounter("v1", 56, 14), passCounter("v3", 0, 10), passCounter("v2", 9, 1)}
	base = []aggregate.Counter{passCounter("v1", 48, 32), passCounter("v3", 0, 10), passCounter("v2", 3, 0)}
	return now, base
}

func TestTheChangeReportGivesEachVillageNewcombesIntervalAndTheWeightedTotalItsNormalOne(t *testing.T) {
	now, base := changeFixture()
	baseQuiz := testQuiz()
	baseQuiz.ID = "nq58-2025"
	got := report.BuildChange(report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0), now,
		report.NewReportScope(testTree(t), baseQuiz, "ct", "", "", 0), base)
	// Thôn Đông: 80 % against 60 %, +20 points, Newcombe (a) 0.0524 to 0.3339: clear.
	// Thôn Tây: three in the base quiz are too few: counts only.
	// Thôn Nam: 0 % both times, Newcombe (f) −0.2775 to 0.2775: not clear.
	// Total: strata Thôn Đông (W = 2/3) and Thôn Nam (1/3); p = 2/3 × 80 = 53.3 % against
	// 2/3 × 60 = 40 %; Var = (4/9)(1 − 70/200)(0.8 × 0.2)/69 = 6.699 %² and
	// (4/9)(1 − 80/200)(0.6 × 0.4)/79 = 8.101 %² (Thôn Nam's 0 % has none); 13.33 ±
	// 1.96 × √14.80 = 13.33 ± 7.54 → [5.8, 20.9]: clear.
	want := report.Change{QuizID: quizID, BaseQuizID: "nq58-2025", UnitID: "ct", MinGroup: 5, Rows: []report.ChangeRow{
		{Key: "v1", Label: "Thôn Đông", Participants: 70, BaseParticipants: 80, PassRate: ptr(80), BasePassRate: ptr(60), Difference: ptr(20),
			DifferenceCI95: []float64{5.2, 33.4}, Clear: true},
		{Key: "v2", Label: "Thôn Tây", Participants: 10, BaseParticipants: 3, Suppressed: true},
		{Key: "v3", Label: "Thôn Nam", Participants: 10, BaseParticipants: 10, PassRate: ptr(0), BasePassRate: ptr(0), Difference: ptr(0),
			DifferenceCI95: []float64{-27.8, 27.8}},
	}, Total: report.ChangeRow{Key: "ct", Label: "Xã Cẩm Thủy", Participants: 90, BaseParticipants: 93, PassRate: ptr(53.3), BasePassRate: ptr(40),
		Difference: ptr(13.3), DifferenceCI95: []float64{5.8, 20.9}, Clear: true}}
	check(t, "change", got, want)
}

func TestTheChangeReportHidesEveryRateWhileEitherQuizIsSealed(t *testing.T) {
	now, base := changeFixture()
	early := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	late := early.Add(48 * time.Hour)
	sealedUntil := func(at time.Time) quiz.Seal {
		return quiz.Seal{Sealed: true, SealedUntil: &at, SealedNote: quiz.KeySealedNote}
	}
	tests := []struct {
		name           string
		quiz, baseQuiz quiz.Seal
		want           time.Time
	}{
		{"a sealed contest compared with an open quiz shows counts only", sealedUntil(early), quiz.Seal{}, early},
		{"an open quiz compared with a sealed contest shows counts only", quiz.Seal{}, sealedUntil(early), early},
		{"two sealed contests stay sealed until the later close", sealedUntil(early), sealedUntil(late), late},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
			sc.Seal = tt.quiz
			bq := testQuiz()
			bq.ID = "base"
			bsc := report.NewReportScope(testTree(t), bq, "ct", "", "", 0)
			bsc.Seal = tt.baseQuiz
			got := report.BuildChange(sc, now, bsc, base)
			if left := gradedLeft(t, got); len(left) != 0 {
				t.Errorf("sealed change report still has %v", left)
			}
			for _, r := range append(got.Rows, got.Total) {
				if r.BasePassRate != nil || r.Difference != nil || r.DifferenceCI95 != nil || r.Clear {
					t.Errorf("%s shows a base rate or a difference: %+v", r.Label, r)
				}
			}
			if got.Total.Participants != 90 || got.Total.BaseParticipants != 93 {
				t.Errorf("counts = %d and %d, want 90 and 93", got.Total.Participants, got.Total.BaseParticipants)
			}
			if !got.Sealed || got.SealedUntil == nil || !got.SealedUntil.Equal(tt.want) {
				t.Errorf("seal = %+v, want sealed until %v", got.Seal, tt.want)
			}
		})
	}
}
