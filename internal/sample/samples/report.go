package samples

import (
	"context"

	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/sample"
)

// ReportRow is one village of a sample's figures. Rates are in percent, rounded to one
// decimal; the pass rate and mean are null below the suppression floor of responses.
type ReportRow struct {
	UnitID    string `json:"unitId"`
	Name      string `json:"name"`
	FrameSize int    `json:"frameSize"`
	Drawn     int    `json:"drawn"`
	Responded int    `json:"responded"`
	Absent    int    `json:"absent"`
	Refused   int    `json:"refused"`
	Moved     int    `json:"moved"`
	Other     int    `json:"other"`
	// ResponseRate is AAPOR RR1: responded ÷ (drawn − moved).
	ResponseRate *float64 `json:"responseRate"`
	PassRate     *float64 `json:"passRate"`
	MeanScore    *float64 `json:"meanScore"`
	Suppressed   bool     `json:"suppressed"`
}

// ReportTotal is the sample's total: counts over every village, RR1 over them, and the
// stratified estimate with each village's frame size as N_h.
type ReportTotal struct {
	FrameSize    int             `json:"frameSize"`
	Drawn        int             `json:"drawn"`
	Responded    int             `json:"responded"`
	Moved        int             `json:"moved"`
	ResponseRate *float64        `json:"responseRate"`
	Weighted     report.Weighted `json:"weighted"`
}

// Report answers GET /v1/reports/awareness?sampleId=: a sample's own figures, from its
// responses only.
type Report struct {
	SampleID    string      `json:"sampleId"`
	QuizID      string      `json:"quizId"`
	QuizTitle   string      `json:"quizTitle"`
	UnitID      string      `json:"unitId"`
	UnitName    string      `json:"unitName"`
	Label       string      `json:"label"`
	Seed        string      `json:"seed"`
	FrameSHA256 string      `json:"frameSha256"`
	MinGroup    int         `json:"minGroup"`
	Rows        []ReportRow `json:"rows"`
	Total       ReportTotal `json:"total"`
}

// Report computes a drawn sample's figures: per village the drawn codes, responses and
// outcomes, RR1, pass rate and mean score; and the weighted total (report.Stratified
// with the frame sizes as N_h and the default suppression floor).
func (s *Service) Report(ctx context.Context, staff auth.Staff, id string) (Report, error) {
	sm, q, tree, err := s.load(ctx, staff, id)
	if err != nil {
		return Report{}, err
	}
	var codes []sample.Code
	if sm.Drawn() {
		if codes, err = s.store.SampleCodes(ctx, id); err != nil {
			return Report{}, err
		}
	}
	u, _ := tree.Get(sm.UnitID)
	r := Report{SampleID: sm.ID, QuizID: q.ID, QuizTitle: q.Title, UnitID: sm.UnitID, UnitName: u.Name, Label: Label,
		Seed: sm.Seed, FrameSHA256: sm.FrameSHA256, MinGroup: report.DefaultMinGroup}
	rows, strata := Figures(villages(tree, sm, codes), r.MinGroup)
	r.Rows = rows
	for _, row := range rows {
		r.Total.FrameSize += row.FrameSize
		r.Total.Drawn += row.Drawn
		r.Total.Responded += row.Responded
		r.Total.Moved += row.Moved
	}
	r.Total.ResponseRate = rate(r.Total.Drawn, r.Total.Responded, r.Total.Moved)
	e, ok := report.Stratified(strata, r.MinGroup)
	r.Total.Weighted = report.WeightedFigures(e, ok, int64(r.Total.FrameSize))
	return r, nil
}

func rate(drawn, responded, moved int) *float64 {
	if p, ok := sample.ResponseRate(drawn, responded, moved); ok {
		v := report.Round(p, 1)
		return &v
	}
	return nil
}

// Figures counts each village's codes into a report row and a stratum (N_h the frame
// size), pass rate and mean shown from floor responses on.
func Figures(vs []Village, floor int) ([]ReportRow, []report.Stratum) {
	rows := make([]ReportRow, 0, len(vs))
	strata := make([]report.Stratum, 0, len(vs))
	for _, v := range vs {
		row := ReportRow{UnitID: v.UnitID, Name: v.Name, FrameSize: v.FrameSize, Drawn: len(v.Codes)}
		st := report.Stratum{Population: int64(v.FrameSize)}
		for _, c := range v.Codes {
			switch {
			case c.Response != nil:
				row.Responded++
				if c.Response.Scored {
					st.Scored++
					st.ScoreSum += c.Response.Score
					st.ScoreSqSum += c.Response.Score * c.Response.Score
					if c.Response.Passed {
						st.Passes++
					}
				}
			case c.Outcome == sample.Absent:
				row.Absent++
			case c.Outcome == sample.Refused:
				row.Refused++
			case c.Outcome == sample.Moved:
				row.Moved++
			case c.Outcome == sample.Other:
				row.Other++
			}
		}
		row.ResponseRate = rate(row.Drawn, row.Responded, row.Moved)
		if st.Scored >= int64(max(floor, 1)) {
			pass, _ := report.Percent(st.Passes, st.Scored)
			row.PassRate = ptr(report.Round(pass, 1))
			row.MeanScore = ptr(report.Round(st.ScoreSum/float64(st.Scored), 1))
		} else {
			row.Suppressed = st.Scored > 0
		}
		rows = append(rows, row)
		strata = append(strata, st)
	}
	return rows, strata
}

func ptr(x float64) *float64 { return &x }

// Tables lays the report out for CSV and XLSX, labelled as a random sample.
func (r Report) Tables() []export.Table {
	t := export.Table{Name: "Mẫu ngẫu nhiên",
		Header: []string{"Thôn (" + r.Label + ")", "Khung mẫu", "Đã rút", "Trả lời", "Vắng nhà", "Từ chối", "Chuyển đi", "Lý do khác",
			"Tỷ lệ trả lời (RR1, %)", "Tỷ lệ đạt (%)", "Điểm trung bình (%)"}}
	cell := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	for _, row := range r.Rows {
		t.Rows = append(t.Rows, []any{row.Name, int64(row.FrameSize), int64(row.Drawn), int64(row.Responded), int64(row.Absent),
			int64(row.Refused), int64(row.Moved), int64(row.Other), cell(row.ResponseRate), cell(row.PassRate), cell(row.MeanScore)})
	}
	w := r.Total.Weighted
	t.Rows = append(t.Rows, []any{"Toàn " + r.UnitName + " (có trọng số, " + r.Label + ")", int64(r.Total.FrameSize),
		int64(r.Total.Drawn), int64(r.Total.Responded), nil, nil, int64(r.Total.Moved), nil, cell(r.Total.ResponseRate),
		cell(w.PassRate), cell(w.MeanScore)})
	return []export.Table{t}
}
