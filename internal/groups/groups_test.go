package groups_test

import (
	"testing"

	"github.com/nq58/tracker/internal/groups"
)

func TestAgeBand(t *testing.T) {
	tests := []struct {
		name      string
		birthYear int
		want      string
	}{
		{"no birth year is unknown", 0, "unknown"},
		{"someone under 15 is unknown", 2015, "unknown"},
		{"someone turning 15 is in the youngest band", 2011, "15-24"},
		{"someone turning 25 is in the next band", 2001, "25-34"},
		{"someone turning 59 is in 45-59", 1967, "45-59"},
		{"someone turning 60 is 60+", 1966, "60+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groups.AgeBand(tt.birthYear, 2026); got != tt.want {
				t.Errorf("AgeBand(%d, 2026) = %q, want %q", tt.birthYear, got, tt.want)
			}
		})
	}
}

func TestOrganisationCode(t *testing.T) {
	tests := []struct {
		name, written, want string
	}{
		{"nothing written is none", "  ", "none"},
		{"the women's union in any case and spacing is hpn", "Hội  Liên hiệp PHỤ NỮ", "hpn"},
		{"the youth union is dtn", "Đoàn thanh niên", "dtn"},
		{"a written no is none", "không tham gia", "none"},
		{"anything else is other", "Câu lạc bộ dưỡng sinh", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := groups.OrganisationCode(tt.written)
			if got != tt.want {
				t.Errorf("OrganisationCode(%q) = %q, want %q", tt.written, got, tt.want)
			}
			if label := groups.OrganisationLabel(got); (label == "") != (got == "none") {
				t.Errorf("OrganisationLabel(%q) = %q, want a label unless none", got, label)
			}
		})
	}
}
