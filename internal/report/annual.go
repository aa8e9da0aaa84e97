package report

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
)

// AnnualQuiz is one quiz's part of the annual evaluation.
type AnnualQuiz struct {
	QuizID    string    `json:"quizId"`
	Title     string    `json:"title"`
	Awareness Awareness `json:"awareness"`
	Topics    Topics    `json:"topics"`
	Questions Questions `json:"questions"`
	Trend     Trend     `json:"trend"`
}

// AnnualSurvey is one survey's part of the annual evaluation.
type AnnualSurvey struct {
	QuizID string `json:"quizId"`
	Title  string `json:"title"`
	Survey Survey `json:"survey"`
}

// AnnualReport is the yearly evaluation the plan asks of the culture–society officer
// (section IV.1): awareness by village, topics, questions, surveys, activities, trend.
type AnnualReport struct {
	UnitID      string              `json:"unitId"`
	UnitName    string              `json:"unitName"`
	Year        int                 `json:"year"`
	Quizzes     []AnnualQuiz        `json:"quizzes"`
	Surveys     []AnnualSurvey      `json:"surveys"`
	Activities  []activity.Activity `json:"activities"`
	GeneratedBy string              `json:"generatedBy"`
	GeneratedAt time.Time           `json:"generatedAt"`
}

// Annual builds the evaluation of a unit for a year from every quiz and survey that
// had participants there that year.
func (s *Service) Annual(ctx context.Context, staff auth.Staff, unitID string, year int) (AnnualReport, error) {
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := quiz.LoadTree(ctx, s.store)
	if err != nil {
		return AnnualReport{}, err
	}
	if err := auth.Authorize(staff, auth.ReadReports, auth.UnitTarget(unitID), tree); err != nil {
		return AnnualReport{}, err
	}
	if year < 2020 || year > s.now().In(quiz.VietnamTime).Year() {
		return AnnualReport{}, apperr.Errorf(apperr.Validation, "Năm đánh giá phải từ 2020 đến năm nay")
	}
	unit, _ := tree.Get(unitID)
	from, to := fmt.Sprintf("%d-01", year), fmt.Sprintf("%d-12", year)
	out := AnnualReport{UnitID: unitID, UnitName: unit.Name, Year: year, GeneratedBy: staff.Username, GeneratedAt: s.now().UTC()}
	quizzes, err := s.store.ListQuizzes(ctx)
	if err != nil {
		return AnnualReport{}, err
	}
	for _, q := range quizzes {
		if q.Status == quiz.Draft || (q.ScopeUnitID != "" && !tree.Within(q.ScopeUnitID, unitID) && !tree.Within(unitID, q.ScopeUnitID)) {
			continue
		}
		query := Query{QuizID: q.ID, UnitID: unitID, From: from, To: to}
		if q.Kind == quiz.KindSurvey {
			sv, err := s.Survey(ctx, staff, query)
			if err != nil {
				return AnnualReport{}, err
			}
			if sv.Participants > 0 {
				out.Surveys = append(out.Surveys, AnnualSurvey{QuizID: q.ID, Title: q.Title, Survey: sv})
			}
			continue
		}
		aw, err := s.Awareness(ctx, staff, AwarenessQuery{Query: query, GroupBy: "village"})
		if err != nil {
			return AnnualReport{}, err
		}
		if aw.Total.Participants == 0 {
			continue
		}
		tp, err := s.Topics(ctx, staff, query)
		if err != nil {
			return AnnualReport{}, err
		}
		qs, err := s.Questions(ctx, staff, q.ID, 0)
		if err != nil {
			return AnnualReport{}, err
		}
		tr, err := s.Trend(ctx, staff, Query{QuizID: q.ID, UnitID: unitID}, "month")
		if err != nil {
			return AnnualReport{}, err
		}
		out.Quizzes = append(out.Quizzes, AnnualQuiz{QuizID: q.ID, Title: q.Title, Awareness: aw, Topics: tp, Questions: qs, Trend: tr})
	}
	acts, err := s.ListActivities(ctx, staff, unitID, fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year))
	if err != nil {
		return AnnualReport{}, err
	}
	out.Activities = acts
	return out, nil
}

// Tables of the annual workbook: one sheet each for villages, topics, questions, survey,
// activities and trend; a quiz column tells the quizzes apart.
func (a AnnualReport) Tables() []Table {
	withQuiz := func(title string, ts []Table) Table {
		t := ts[0]
		t.Header = append([]string{"Bài"}, t.Header...)
		for i, r := range t.Rows {
			t.Rows[i] = append([]any{title}, r...)
		}
		return t
	}
	merge := func(name string, parts []Table) Table {
		out := Table{Name: name}
		for _, p := range parts {
			if out.Header == nil {
				out.Header = p.Header
			}
			out.Rows = append(out.Rows, p.Rows...)
		}
		return out
	}
	var villages, topics, questions, trend, surveys []Table
	for _, q := range a.Quizzes {
		villages = append(villages, withQuiz(q.Title, q.Awareness.Tables()))
		topics = append(topics, withQuiz(q.Title, q.Topics.Tables()))
		questions = append(questions, withQuiz(q.Title, q.Questions.Tables()))
		trend = append(trend, withQuiz(q.Title, q.Trend.Tables()))
	}
	for _, s := range a.Surveys {
		surveys = append(surveys, withQuiz(s.Title, s.Survey.Tables()))
	}
	empty := func(t Table, header ...string) Table {
		if t.Header == nil {
			t.Header = header
		}
		return t
	}
	return []Table{
		empty(merge("Thôn", villages), "Bài", "Không có dữ liệu"),
		empty(merge("Chủ đề", topics), "Bài", "Không có dữ liệu"),
		empty(merge("Câu hỏi", questions), "Bài", "Không có dữ liệu"),
		empty(merge("Khảo sát", surveys), "Bài", "Không có dữ liệu"),
		ActivitiesTable(a.Activities),
		empty(merge("Xu hướng", trend), "Bài", "Không có dữ liệu"),
	}
}

var annualPage = template.Must(template.New("annual").Funcs(template.FuncMap{
	"cell": func(v any) string {
		switch x := v.(type) {
		case nil:
			return "—"
		case float64:
			return fmt.Sprintf("%.1f", x)
		default:
			return fmt.Sprint(x)
		}
	},
}).Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đánh giá năm {{.Report.Year}} — {{.Report.UnitName}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;page-break-after:avoid}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.85rem}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right}
.meta{color:#444;font-size:.85rem}
@media print{body{margin:1cm}h2{page-break-before:auto}table{page-break-inside:auto}tr{page-break-inside:avoid}}
</style></head><body>
<h1>Đánh giá kết quả thông tin, tuyên truyền Nghị quyết 58-NQ/TW năm {{.Report.Year}}</h1>
<p class="meta">Đơn vị: {{.Report.UnitName}} · Lập bởi: {{.Report.GeneratedBy}} · {{.Generated}}</p>
<p class="meta">Chỉ tính lượt làm bài đầu tiên của mỗi người. Nhóm dưới ngưỡng chỉ hiện số lượng (“Quá ít để đánh giá”).</p>
{{range .Tables}}<h2>{{.Name}}</h2>
<table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range .}}<td>{{cell .}}</td>{{end}}</tr>{{else}}<tr><td colspan="{{len .Header}}">Không có dữ liệu</td></tr>{{end}}
</tbody></table>{{end}}
</body></html>`))

// HTML writes the printable page of the evaluation.
func (a AnnualReport) HTML(w io.Writer) error {
	return annualPage.Execute(w, map[string]any{
		"Report":    a,
		"Generated": a.GeneratedAt.In(quiz.VietnamTime).Format("02/01/2006 15:04"),
		"Tables":    a.Tables(),
	})
}
