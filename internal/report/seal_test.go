package report_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
)

// gradedJSONKeys are the JSON fields whose values are graded with the key.
var gradedJSONKeys = []string{"meanScore", "ci95", "passRate", "passRateCi95", "correctRate", "facility", "discrimination", "percent", "count"}

// gradedLeft lists the graded fields of a report's JSON that carry a value (not null).
func gradedLeft(t *testing.T, v any) []string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if slices.Contains(gradedJSONKeys, k) && v != nil {
					left = append(left, k)
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	walk(doc)
	return left
}

func TestASealedScopeBuildsReportsWithoutAFigureGradedWithTheKey(t *testing.T) {
	until := time.Date(2026, 11, 20, 3, 0, 30, 0, time.UTC)
	seal := quiz.Seal{Sealed: true, SealedUntil: &until, SealedNote: quiz.KeySealedNote}
	scope := func(sealed bool) report.ReportScope {
		sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
		if sealed {
			sc.Seal = seal
		}
		return sc
	}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime)
	build := map[string]func(sc report.ReportScope) (any, quiz.Seal, []export.Table){
		"awareness": func(sc report.ReportScope) (any, quiz.Seal, []export.Table) {
			a, err := report.BuildAwareness(sc, thisYear(), "village")
			if err != nil {
				t.Fatal(err)
			}
			return a, a.Seal, a.Tables()
		},
		"topics": func(sc report.ReportScope) (any, quiz.Seal, []export.Table) {
			r := report.BuildTopics(sc, thisYear())
			return r, r.Seal, r.Tables()
		},
		"questions": func(sc report.ReportScope) (any, quiz.Seal, []export.Table) {
			r := report.BuildQuestions(sc, thisYear())
			return r, r.Seal, r.Tables()
		},
		"survey": func(sc report.ReportScope) (any, quiz.Seal, []export.Table) {
			r := report.BuildSurvey(sc, thisYear())
			return r, r.Seal, r.Tables()
		},
		"trend": func(sc report.ReportScope) (any, quiz.Seal, []export.Table) {
			r, err := report.BuildTrend(sc, thisYear(), "month", now)
			if err != nil {
				t.Fatal(err)
			}
			return r, r.Seal, r.Tables()
		},
	}
	for _, name := range []string{"awareness", "topics", "questions", "survey", "trend"} {
		t.Run("the "+name+" report built on a sealed scope has no graded figure and says so", func(t *testing.T) {
			if open, _, _ := build[name](scope(false)); len(gradedLeft(t, open)) == 0 {
				t.Fatalf("the fixture gives the open %s report no graded figure: the test proves nothing", name)
			}
			r, got, tables := build[name](scope(true))
			if left := gradedLeft(t, r); len(left) != 0 {
				t.Errorf("sealed %s report still has %v", name, left)
			}
			if !got.Sealed || got.SealedNote != quiz.KeySealedNote || got.SealedUntil == nil || !got.SealedUntil.Equal(until) {
				t.Errorf("seal = %+v, want %+v", got, seal)
			}
			cells := 0
			for _, row := range tables[0].Rows {
				for _, c := range row {
					if s, ok := c.(string); ok && s == report.SealedCell {
						cells++
					}
				}
			}
			if cells == 0 {
				t.Errorf("the sealed %s table has no cell reading %q", name, report.SealedCell)
			}
		})
	}

	t.Run("the annual page of a sealed quiz shows the note under its title", func(t *testing.T) {
		a, _ := report.BuildAwareness(scope(true), thisYear(), "village")
		var b strings.Builder
		if err := (report.AnnualReport{Quizzes: []report.AnnualQuiz{{Title: "Hội thi", Awareness: a, Topics: report.BuildTopics(scope(true), thisYear()),
			Questions: report.BuildQuestions(scope(true), thisYear()), Trend: report.Trend{Seal: seal}}}}).HTML(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), quiz.KeySealedNote) {
			t.Errorf("annual page lacks %q", quiz.KeySealedNote)
		}
	})
}

func TestASealedContestsWeightedTotalShowsItsCoverageButNoScore(t *testing.T) {
	// Thôn Đông's five are a stratum (see reports_test.go): open, the weighted total
	// shows 80 % and a mean of 76; sealed, only how much of the commune it covers.
	until := time.Date(2026, 11, 20, 3, 0, 30, 0, time.UTC)
	tests := []struct {
		name   string
		sealed bool
		want   report.Weighted
	}{
		{"an open quiz's total shows the weighted scores", false, report.Weighted{PassRate: ptr(80), PassRateCI95: []float64{41.3, 100},
			MeanScore: ptr(76), CI95: []float64{53.4, 98.6}, PopulationCovered: ptr(66.7), VillagesCovered: 1}},
		{"a contest before its close shows the coverage and no weighted score", true, report.Weighted{PopulationCovered: ptr(66.7), VillagesCovered: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
			if tt.sealed {
				sc.Seal = quiz.Seal{Sealed: true, SealedUntil: &until, SealedNote: quiz.KeySealedNote}
			}
			a, err := report.BuildAwareness(sc, thisYear(), report.GroupByVillage)
			if err != nil {
				t.Fatal(err)
			}
			if a.Total.Weighted == nil {
				t.Fatal("the total has no weighted figures")
			}
			check(t, "weighted", *a.Total.Weighted, tt.want)
		})
	}
}
