package report

import (
	"strings"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/vnfmt"
)

// Tables turn reports into the tables of the CSV and XLSX exports, with Vietnamese
// headers. A missing value (suppressed, not applicable) is an empty cell. Percentages are
// vnfmt.Percent cells, so every output writes them as "62,1 %" (XLSX: 0.621, 0.0 %).

func num(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// pct is a percentage cell, nil when missing.
func pct(p *float64) any {
	if p == nil {
		return nil
	}
	return vnfmt.Percent(*p)
}

// ci is one end of a 95 % interval of a percentage, nil when there is none.
func ci(c []float64, i int) any {
	if len(c) != 2 {
		return nil
	}
	return vnfmt.Percent(c[i])
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return ""
}

// FlagLabels explains question flags to officers.
var FlagLabels = map[string]string{
	FlagTooEasy:  "Quá dễ",
	FlagTooHard:  "Quá khó",
	FlagNegative: "Phân biệt ngược: kiểm tra đáp án",
	FlagWeak:     "Phân biệt yếu",
	FlagTooFew:   "Quá ít lượt trả lời",
}

func awarenessRow(r Row, seal quiz.Seal) []any {
	return []any{r.Key, r.Label, r.Participants, r.Population, pct(r.ParticipationRate),
		ci(r.ParticipationRateCI95, 0), ci(r.ParticipationRateCI95, 1), graded(seal, pct(r.MeanScore)),
		graded(seal, ci(r.CI95, 0)), graded(seal, ci(r.CI95, 1)), graded(seal, pct(r.PassRate)),
		graded(seal, ci(r.PassRateCI95, 0)), graded(seal, ci(r.PassRateCI95, 1)),
		yesNo(r.Suppressed), r.SuspectSubmissions, yesNo(r.OverPopulation), nil, nil}
}

// WeightedLabel marks the weighted total's row: weighted by population over the villages
// of self-selected participants ("tự nguyện"), beside which a random sample's figure
// reads "mẫu ngẫu nhiên".
const WeightedLabel = "theo dân số (tự nguyện)"

// weightedRow is the weighted total's row of the awareness table: its scores in the
// columns of the pool's, its coverage in the last two columns, the counts empty.
func weightedRow(total Row, seal quiz.Seal) []any {
	w := total.Weighted
	return []any{total.Key, total.Label + " – " + WeightedLabel, nil, nil, nil, nil, nil,
		graded(seal, pct(w.MeanScore)), graded(seal, ci(w.CI95, 0)), graded(seal, ci(w.CI95, 1)),
		graded(seal, pct(w.PassRate)), graded(seal, ci(w.PassRateCI95, 0)), graded(seal, ci(w.PassRateCI95, 1)),
		"", nil, "", pct(w.PopulationCovered), w.VillagesCovered}
}

// Tables of the awareness report.
func (a Awareness) Tables() []export.Table {
	t := export.Table{Name: "Nhận thức", Header: []string{"Mã", "Đơn vị / nhóm", "Người tham gia", "Dân số 15+",
		"Tỷ lệ tham gia (%)", "Tỷ lệ tham gia: KTC 95% thấp (Wilson)", "Tỷ lệ tham gia: KTC 95% cao (Wilson)",
		"Điểm trung bình (%)", "KTC 95% thấp (t)", "KTC 95% cao (t)",
		"Tỷ lệ đạt (%)", "Tỷ lệ đạt: KTC 95% thấp (Wilson)", "Tỷ lệ đạt: KTC 95% cao (Wilson)", "Quá ít để đánh giá",
		"Lượt nghi ngờ (không tính)", "Vượt dân số", "Phủ dân số (%)", "Số thôn tính theo dân số"}}
	for _, r := range a.Rows {
		t.Rows = append(t.Rows, awarenessRow(r, a.Seal))
	}
	total := a.Total
	if total.Label == "" {
		total.Label = "Tổng"
	}
	t.Rows = append(t.Rows, awarenessRow(total, a.Seal))
	if total.Weighted != nil {
		t.Rows = append(t.Rows, weightedRow(total, a.Seal))
	}
	return []export.Table{t}
}

// Tables of the topic-gap report: villages down, topics across (correct rate, %).
func (t Topics) Tables() []export.Table {
	tab := export.Table{Name: "Chủ đề", Header: []string{"Mã", "Thôn", "Người tham gia"}}
	for _, tp := range t.Topics {
		tab.Header = append(tab.Header, tp.Topic+". "+tp.Label+" (%)")
	}
	for _, r := range append(append([]TopicRow{}, t.Rows...), t.Total) {
		row := []any{r.UnitID, r.Label, r.Participants}
		for _, c := range r.Cells {
			row = append(row, graded(t.Seal, pct(c.CorrectRate)))
		}
		tab.Rows = append(tab.Rows, row)
	}
	return []export.Table{tab}
}

// Tables of the question analysis.
func (q Questions) Tables() []export.Table {
	t := export.Table{Name: "Câu hỏi", Header: []string{"Mã câu", "Nội dung", "Chủ đề", "Số lượt", "Tỷ lệ đúng (%)", "Độ phân biệt (câu – phần còn lại)", "Cảnh báo"}}
	for _, s := range q.Questions {
		var facility any // a share on the wire (0–1), a percentage where people read it
		if s.Facility != nil {
			facility = vnfmt.Percent(*s.Facility * 100)
		}
		t.Rows = append(t.Rows, []any{s.QuestionID, s.Text, s.Topic, s.N, graded(q.Seal, facility), graded(q.Seal, num(s.Discrimination)), FlagLabels[s.Flag]})
	}
	return []export.Table{t}
}

// Tables of the survey results: every option overall, then by village.
func (s Survey) Tables() []export.Table {
	t := export.Table{Name: "Khảo sát", Header: []string{"Mã câu", "Câu hỏi", "Đơn vị", "Phương án", "Số lượt", "Tỷ lệ (%)"}}
	for _, q := range s.Questions {
		if s.Sealed && quiz.QuestionKind(q.Kind).HasOptions() { // the options' counts are hidden, not absent
			t.Rows = append(t.Rows, []any{q.QuestionID, q.Text, "Tất cả", "", SealedCell, SealedCell})
		}
		for _, o := range q.Options {
			t.Rows = append(t.Rows, []any{q.QuestionID, q.Text, "Tất cả", o.Text, o.Count, pct(o.Percent)})
		}
		for _, u := range q.ByUnit {
			for _, o := range u.Options {
				t.Rows = append(t.Rows, []any{q.QuestionID, q.Text, u.Label, o.Text, o.Count, pct(o.Percent)})
			}
		}
	}
	return []export.Table{t}
}

func trendRow(p TrendPoint, seal quiz.Seal) []any {
	return []any{vnfmt.Date(p.Period), p.Participants, graded(seal, pct(p.MeanScore)), graded(seal, ci(p.CI95, 0)), graded(seal, ci(p.CI95, 1)),
		graded(seal, pct(p.PassRate)), graded(seal, ci(p.PassRateCI95, 0)), graded(seal, ci(p.PassRateCI95, 1)), yesNo(p.Suppressed)}
}

// Tables of the trend, with this year against last year.
func (t Trend) Tables() []export.Table {
	// A trend point carries no suspects or population: its columns end at the suppression.
	tab := export.Table{Name: "Xu hướng", Header: []string{"Kỳ", "Người tham gia", "Điểm trung bình (%)", "KTC 95% thấp (t)", "KTC 95% cao (t)",
		"Tỷ lệ đạt (%)", "Tỷ lệ đạt: KTC 95% thấp (Wilson)", "Tỷ lệ đạt: KTC 95% cao (Wilson)", "Quá ít để đánh giá"}}
	for _, p := range t.Points {
		tab.Rows = append(tab.Rows, trendRow(p, t.Seal))
	}
	tab.Rows = append(tab.Rows, trendRow(t.LastYear, t.Seal), trendRow(t.ThisYear, t.Seal))
	return []export.Table{tab}
}

// ActivitiesTable is the activity log as a table: each unit's name (from names, the
// code when unnamed) with its code beside it.
func ActivitiesTable(list []activity.Activity, names map[string]string) export.Table {
	t := export.Table{Name: "Hoạt động", Header: []string{"Ngày", "Đơn vị", "Mã đơn vị", "Hình thức", "Chủ đề", "Số người dự", "Ghi chú", "Người ghi"}}
	for _, a := range list {
		name := names[a.UnitID]
		if name == "" {
			name = a.UnitID
		}
		t.Rows = append(t.Rows, []any{vnfmt.Date(a.Date), name, a.UnitID, activity.Label(a.Type), strings.Join(a.Topics, ", "), int64(a.Audience), a.Note, a.CreatedBy})
	}
	return t
}

// changeRow is a row of the change table: rates in percent, the difference and its
// interval in percentage points (plain numbers: a difference is not a share).
func changeRow(r ChangeRow, seal quiz.Seal) []any {
	verdict := ""
	if r.Difference != nil {
		verdict = "Không"
		if r.Clear {
			verdict = "Rõ rệt"
		}
	}
	lo, hi := any(nil), any(nil)
	if len(r.DifferenceCI95) == 2 {
		lo, hi = r.DifferenceCI95[0], r.DifferenceCI95[1]
	}
	return []any{r.Key, r.Label, r.Participants, r.BaseParticipants, graded(seal, pct(r.PassRate)), graded(seal, pct(r.BasePassRate)),
		graded(seal, num(r.Difference)), graded(seal, lo), graded(seal, hi), graded(seal, verdict), yesNo(r.Suppressed)}
}

// Tables of the change report: the villages, then the weighted total.
func (c Change) Tables() []export.Table {
	t := export.Table{Name: "Thay đổi", Header: []string{"Mã", "Đơn vị", "Người tham gia", "Người tham gia (bài so sánh)",
		"Tỷ lệ đạt (%)", "Tỷ lệ đạt bài so sánh (%)", "Thay đổi (điểm %)", "Thay đổi: KTC 95% thấp", "Thay đổi: KTC 95% cao",
		"Thay đổi rõ rệt", "Quá ít để đánh giá"}}
	for _, r := range c.Rows {
		t.Rows = append(t.Rows, changeRow(r, c.Seal))
	}
	total := c.Total
	total.Label += " – " + WeightedLabel
	t.Rows = append(t.Rows, changeRow(total, c.Seal))
	return []export.Table{t}
}
