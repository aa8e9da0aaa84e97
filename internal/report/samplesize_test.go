package report_test

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/report"
)

func TestTheSampleSizeHelperDrawsPerVillageForTheMargin(t *testing.T) {
	// Cochran with the finite-population correction at p = 0.5 (weighted_test.go):
	// n₀ = 1.96² × 0.25 / 0.05² = 384.15; Thôn Đông (200): 384.15 / (1 + 383.15/200) =
	// 131.7 → 132; Thôn Nam (100): 384.15 / 4.8315 = 79.5 → 80; Thôn Tây has no
	// population. At ±10 points n₀ = 96.04: 96.04 / 1.4752 = 65.1 → 66 and
	// 96.04 / 1.9504 = 49.2 → 50.
	draw := func(n int64) *int64 { return &n }
	tests := []struct {
		name   string
		margin float64
		want   report.SampleSizes
	}{
		{"five points asks 132 of Thôn Đông's 200 and 80 of Thôn Nam's 100", 5, report.SampleSizes{UnitID: "ct", MarginOfError: 5, Rows: []report.SampleSizeRow{
			{Key: "v1", Label: "Thôn Đông", Population: 200, Draw: draw(132)},
			{Key: "v2", Label: "Thôn Tây"},
			{Key: "v3", Label: "Thôn Nam", Population: 100, Draw: draw(80)},
		}, Total: 212, Population: 300, Unknown: 1}},
		{"ten points asks 66 and 50", 10, report.SampleSizes{UnitID: "ct", MarginOfError: 10, Rows: []report.SampleSizeRow{
			{Key: "v1", Label: "Thôn Đông", Population: 200, Draw: draw(66)},
			{Key: "v2", Label: "Thôn Tây"},
			{Key: "v3", Label: "Thôn Nam", Population: 100, Draw: draw(50)},
		}, Total: 116, Population: 300, Unknown: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := report.BuildSampleSizes(testTree(t), "ct", tt.margin)
			if err != nil {
				t.Fatal(err)
			}
			check(t, "sample sizes", got, tt.want)
		})
	}
	for _, margin := range []float64{-1, 0, 50.5} {
		if _, err := report.BuildSampleSizes(testTree(t), "ct", margin); apperr.CodeOf(err) != apperr.Validation {
			t.Errorf("a margin of %v gave %v, want a validation error", margin, err)
		}
	}
}
