package report

import (
	"fmt"
	"strings"
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

func TestTheAnnualEvaluationCarriesTheMethodsNote(t *testing.T) {
	a := AnnualReport{UnitName: "Xã Cẩm Thủy", Year: 2026}
	tabs := a.Tables()
	methods := tabs[len(tabs)-1]
	var page strings.Builder
	if err := a.HTML(&page); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(methods.Rows)
	tests := []struct {
		name, want string
	}{
		{"the mean is named as the mean of score percentages", "Trung bình cộng của điểm %"},
		{"its interval is named as Student's t", "Khoảng Student t"},
		{"rate intervals are named as Wilson's", "Khoảng điểm Wilson"},
		{"facility is named", "Facility p ="},
		{"discrimination is named as the corrected point-biserial", "corrected point-biserial"},
		{"self-selection is said to limit intervals to precision", "không cho biết con số đại diện cho cả thôn"},
		{"the floor of five is explained", "Ngưỡng 5 người"},
	}
	if methods.Name != "Phương pháp" {
		t.Fatalf("last sheet = %q, want “Phương pháp”", methods.Name)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(text, tt.want) {
				t.Errorf("methods sheet lacks %q", tt.want)
			}
			if !strings.Contains(page.String(), tt.want) {
				t.Errorf("printable page lacks %q", tt.want)
			}
		})
	}
}
