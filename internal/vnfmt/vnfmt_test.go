package vnfmt_test

import (
	"math"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/vnfmt"
)

func TestTextWritesTheVietnameseStyle(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"a small whole number has no separator", int64(42), "42"},
		{"thousands are grouped with dots", int64(1234567), "1.234.567"},
		{"a negative number keeps its sign", -1234, "-1.234"},
		{"a decimal is written with a comma", 0.6, "0,6"},
		{"a decimal in the thousands has both", 1234.25, "1.234,25"},
		{"a whole float has no decimals", 80.0, "80"},
		{"a negative fraction keeps its sign", -0.35, "-0,35"},
		{"NaN is left empty", math.NaN(), ""},
		{"a nil cell is empty", nil, ""},
		{"a percentage has one decimal and a spaced sign", vnfmt.Percent(62.1), "62,1 %"},
		{"a whole percentage still shows its decimal", vnfmt.Percent(100), "100,0 %"},
		{"a duration is minutes and seconds", vnfmt.Duration(2055 * time.Millisecond), "00:02"},
		{"a longer duration rounds to the second", vnfmt.Duration(125400 * time.Millisecond), "02:05"},
		{"an hour-long duration counts minutes past 59", vnfmt.Duration(75 * time.Minute), "75:00"},
		{"a stored phone reads as a Vietnamese number", vnfmt.Phone("+84912345678"), "0912 345 678"},
		{"a phone without the plus is grouped too", vnfmt.Phone("0912345678"), "0912 345 678"},
		{"a foreign phone loses its plus", vnfmt.Phone("+14155550100"), "0014155550100"},
		{"no phone is empty", vnfmt.Phone(""), ""},
		{"a masked phone is kept as masked", vnfmt.Phone("09x xxx x001"), "09x xxx x001"},
		{"text is kept", "Thôn Phong Ý", "Thôn Phong Ý"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vnfmt.Text(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Text(%#v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTextRefusesAnUnknownType(t *testing.T) {
	if _, err := vnfmt.Text(struct{}{}); err == nil {
		t.Error("Text(struct{}{}) succeeded, want an error")
	}
}

func TestFixedKeepsItsDecimals(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		d    int
		want string
	}{
		{"one decimal is padded", 12, 1, "12,0"},
		{"two decimals round", 0.346, 2, "0,35"},
		{"a rounded-away negative is not negative zero", -0.01, 1, "0,0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vnfmt.Fixed(tt.v, tt.d); got != tt.want {
				t.Errorf("Fixed(%v, %d) = %q, want %q", tt.v, tt.d, got, tt.want)
			}
		})
	}
}

func TestDaysAndMomentsAreWrittenDayFirstInVietnamsTime(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"a stored day", vnfmt.Date("2026-10-15"), "15/10/2026"},
		{"text that is not a stored day is kept", vnfmt.Date("sáng 15/10"), "sáng 15/10"},
		{"an instant in UTC is read in Vietnam's time", vnfmt.Moment(time.Date(2026, 10, 15, 20, 3, 5, 0, time.UTC)), "16/10/2026 03:03:05"},
		{"the zero time is an empty cell", vnfmt.Moment(time.Time{}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vnfmt.Text(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("Text(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
