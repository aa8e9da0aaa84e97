package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/export"
)

// annualOfTwo is an evaluation with a contest and a quiz, each with its own villages,
// topics and trend.
func annualOfTwo() AnnualReport {
	part := func(quizID, title, topic string, n int64) AnnualQuiz {
		return AnnualQuiz{QuizID: quizID, Title: title,
			Awareness: Awareness{Rows: []Row{{Key: "xa-a-t01", Label: "Thôn Phong Ý", Participants: n, Population: 2000}},
				Total: Row{Key: "xa-a", Label: "Xã Cẩm Thủy", Participants: n}},
			Topics: Topics{Topics: []struct {
				Topic string `json:"topic"`
				Label string `json:"label"`
			}{{Topic: topic, Label: "Chủ đề " + topic}},
				Rows: []TopicRow{{UnitID: "xa-a-t01", Label: "Thôn Phong Ý", Participants: n, Cells: []TopicCell{{CorrectRate: fp(50)}}}}},
			Questions: Questions{Questions: []QuestionStat{{QuestionID: quizID + "-q1", Text: "Câu của " + title, N: n}}},
			Trend:     Trend{Points: []TrendPoint{{Period: "2026-11", Participants: n}}},
		}
	}
	return AnnualReport{UnitName: "Xã Cẩm Thủy", Year: 2026,
		Quizzes: []AnnualQuiz{part("hoi-thi-2026", "Hội thi tìm hiểu Nghị quyết 58", "A", 120),
			part("nq58-2026", "Tìm hiểu Nghị quyết 58 năm 2026", "B", 340)},
		Activities: []activity.Activity{{UnitID: "xa-a-t01", Type: "meeting", Date: "2026-10-15", Audience: 150}},
		unitNames:  map[string]string{"xa-a-t01": "Thôn Phong Ý"},
	}
}

func TestTheAnnualWorkbookHasOneTablePerQuiz(t *testing.T) {
	a := annualOfTwo()
	tabs := a.Tables()
	for _, tab := range tabs {
		t.Run("table “"+tab.Name+"” holds one quiz and no code in column B", func(t *testing.T) {
			var seen []string
			for _, q := range a.Quizzes {
				for _, r := range tab.Rows {
					if strings.Contains(strings.Join(textOf(t, r), "|"), q.QuizID) || containsCell(r, q.Title) {
						seen = append(seen, q.Title)
						break
					}
				}
			}
			if len(seen) > 1 {
				t.Errorf("table mixes %d quizzes: %q", len(seen), seen)
			}
			if len(tab.Header) > 1 && strings.HasPrefix(tab.Header[1], "Mã") {
				t.Errorf("column B is %q, an internal code", tab.Header[1])
			}
		})
	}
	t.Run("each quiz has its own villages table", func(t *testing.T) {
		for _, q := range a.Quizzes {
			n := 0
			for _, tab := range tabs {
				if strings.Contains(tab.Name, "Thôn") && tableHas(t, tab, q.Awareness.Total.Participants) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("quiz %q is in %d villages tables, want 1", q.Title, n)
			}
		}
	})
}

func TestTheAnnualWorkbookNamesVillagesBesideTheirCodes(t *testing.T) {
	for _, tab := range annualOfTwo().Tables() {
		for i, r := range tab.Rows {
			for j, v := range r {
				if v != "xa-a-t01" {
					continue
				}
				if !containsCell(r, "Thôn Phong Ý") {
					t.Errorf("table %q row %d: code in column %d without the village's name: %v", tab.Name, i+1, j+1, r)
				}
			}
		}
	}
}

func TestTrendPeriodsAreDateCellsInTheWorkbook(t *testing.T) {
	tests := []struct {
		name, period, raw, shown string
	}{
		{"a month is the serial of its first day, shown as month/year", "2026-11", "46327", "11/2026"},
		{"a year is the serial of its first day, shown as the year", "2026", "46023", "2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := Trend{Points: []TrendPoint{{Period: tt.period, Participants: 7}}}.Tables()[0]
			var b bytes.Buffer
			if err := export.XLSX(&b, tab); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			raw, err := f.GetCellValue(tab.Name, "A2", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			shown, err := f.GetCellValue(tab.Name, "A2")
			if err != nil {
				t.Fatal(err)
			}
			if raw != tt.raw || shown != tt.shown {
				t.Errorf("period cell = %q shown as %q, want the date serial %q shown as %q", raw, shown, tt.raw, tt.shown)
			}
		})
	}
}

func textOf(t *testing.T, r []any) []string {
	t.Helper()
	out := make([]string, len(r))
	for i, v := range r {
		if s, ok := v.(string); ok {
			out[i] = s
		}
	}
	return out
}

func containsCell(r []any, s string) bool {
	for _, v := range r {
		if v == s {
			return true
		}
	}
	return false
}

func tableHas(t *testing.T, tab export.Table, n int64) bool {
	t.Helper()
	for _, r := range tab.Rows {
		for _, v := range r {
			if v == n {
				return true
			}
		}
	}
	return false
}
