package report

import (
	"testing"
)

func TestTheAwarenessTableCarriesSuspectsAndOverPopulation(t *testing.T) {
	a := Awareness{Rows: []Row{
		{Key: "v1", Label: "Thôn 1", Participants: 90, Population: 60, SuspectSubmissions: 12, OverPopulation: true},
		{Key: "v2", Label: "Thôn 2", Participants: 10, Population: 300},
	}}
	tab := a.Tables()[0]
	col := func(name string) int {
		t.Helper()
		for i, h := range tab.Header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, tab.Header)
		return -1
	}
	suspects, over := col("Lượt nghi ngờ (không tính)"), col("Vượt dân số")
	tests := []struct {
		name          string
		row           int
		suspects      any
		overPopulated any
	}{
		{"a village a bot pushed past its population says so", 0, int64(12), yesNo(true)},
		{"an ordinary village shows no suspects", 1, int64(0), yesNo(false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tab.Rows[tt.row]
			if got := r[suspects]; got != tt.suspects {
				t.Errorf("suspects = %v, want %v", got, tt.suspects)
			}
			if got := r[over]; got != tt.overPopulated {
				t.Errorf("over population = %v, want %v", got, tt.overPopulated)
			}
		})
	}
}
