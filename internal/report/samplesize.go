package report

import (
	"context"
	"math"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/units"
)

// DefaultMarginPoints is the margin of error the sample-size helper starts from: ±5
// percentage points at 95 %, the usual target of a household survey's headline figure.
const DefaultMarginPoints = 5.0

// SampleSizeRow is how many to draw in one village for the margin: Draw is null when the
// village's population (the frame until a sample's frame is loaded) is unknown.
type SampleSizeRow struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	Population int64  `json:"population"`
	Draw       *int64 `json:"draw"`
}

// SampleSizes is GET /v1/reports/sample-size: per village and in total, how many to draw
// by simple random sampling for each village's own figure to hold within
// ±MarginOfError points at 95 % (SampleSize).
type SampleSizes struct {
	UnitID        string          `json:"unitId"`
	MarginOfError float64         `json:"marginOfError"`
	Rows          []SampleSizeRow `json:"rows"`
	// Total is the sum of the villages' draws; Population the sum of their frames.
	Total      int64 `json:"total"`
	Population int64 `json:"population"`
	// Unknown counts the villages without a population, left out of Total.
	Unknown int `json:"unknown"`
}

// SampleSizes computes the draw per village of the unit for a margin of error in
// percentage points (DefaultMarginPoints when 0).
func (s *Service) SampleSizes(ctx context.Context, staff auth.Staff, unitID string, marginPoints float64) (SampleSizes, error) {
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return SampleSizes{}, err
	}
	if err := auth.Authorize(staff, auth.ReadReports, auth.UnitTarget(unitID), tree); err != nil {
		return SampleSizes{}, err
	}
	if marginPoints == 0 {
		marginPoints = DefaultMarginPoints
	}
	return BuildSampleSizes(tree, unitID, marginPoints)
}

// BuildSampleSizes lists the villages of unitID with their draws for the margin.
func BuildSampleSizes(tree *units.Tree, unitID string, marginPoints float64) (SampleSizes, error) {
	if _, ok := SampleSize(marginPoints, 0); !ok || math.IsNaN(marginPoints) {
		return SampleSizes{}, apperr.Errorf(apperr.Validation, "Sai số (marginOfError) phải lớn hơn 0 và không quá 50 điểm phần trăm, ví dụ 5")
	}
	out := SampleSizes{UnitID: unitID, MarginOfError: marginPoints, Rows: []SampleSizeRow{}}
	for _, v := range tree.Leaves(unitID) {
		u, _ := tree.Get(v)
		r := SampleSizeRow{Key: v, Label: u.Name, Population: int64(u.Population)}
		if u.Population > 0 {
			n, _ := SampleSize(marginPoints, r.Population)
			r.Draw = &n
			out.Total += n
			out.Population += r.Population
		} else {
			out.Unknown++
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}
