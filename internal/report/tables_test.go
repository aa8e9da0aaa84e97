package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/vnfmt"
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
		{"the pool is named as the self-selected pool", "Gộp người tham gia (tự nguyện)"},
		{"the weighted figure is named as stratified by population", "Ước lượng phân tầng (Cochran)"},
		{"coverage is explained", "Phủ dân số"},
		{"weighting is said not to correct self-selection within a village", "không sửa được việc trong mỗi thôn chỉ những người quan tâm mới tham gia"},
		{"the random sample is the figure to report upward", "Đây là con số nên báo cáo lên cấp trên"},
		{"the change's village interval is named as Newcombe's", "khoảng Newcombe (phương pháp 10, Newcombe 1998)"},
		{"suspect attempts are explained", "Lượt nghi ngờ (không tính)"},
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

func fp(v float64) *float64 { return &v }

func TestThePrintablePageShowsEachQuizTitleOnceAndNoCodes(t *testing.T) {
	const title = "Tìm hiểu Nghị quyết 58 năm 2026"
	a := AnnualReport{UnitName: "Xã Cẩm Thủy", Year: 2026,
		Quizzes: []AnnualQuiz{{QuizID: "nq58-2026", Title: title,
			Awareness: Awareness{Rows: []Row{
				{Key: "xa-a-t01", Label: "Thôn Phong Ý", Participants: 1234, Population: 2000, MeanScore: fp(62.4), CI95: []float64{58.26, 66}, PassRate: fp(70)},
				{Key: "xa-a-t02", Label: "Thôn Đồng Tâm", Participants: 3, Suppressed: true},
			}, Total: Row{Key: "xa-a", Label: "Xã Cẩm Thủy", Participants: 1237}},
			Questions: Questions{Questions: []QuestionStat{{QuestionID: "q-core-1", Text: "Nghị quyết 58 ban hành năm nào?", N: 40, Facility: fp(0.621), Discrimination: fp(0.35)}}},
		}},
		Activities: []activity.Activity{{UnitID: "xa-a-t01", Type: "meeting", Date: "2026-10-15", Audience: 1500}},
		unitNames:  map[string]string{"xa-a-t01": "Thôn Phong Ý"},
	}
	var b strings.Builder
	if err := a.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	tests := []struct {
		name   string
		substr string
		count  int
	}{
		{"the quiz title is written once, as its heading", title, 1},
		{"no unit code is printed", "xa-a-t0", 0},
		{"the commune's code is not printed either", ">xa-a<", 0},
		{"no question code is printed", "q-core-1", 0},
		{"no code column is printed", "<th>Mã", 0},
		{"a mean reads as a Vietnamese percentage", "62,4 %", 1},
		{"an interval end keeps one decimal with a comma", "58,3 %", 1},
		{"facility reads as a percentage, not a share", ">62,1 %<", 1},
		{"a count is grouped by thousands", "1.234", 1},
		{"a decimal has a comma", "0,35", 1},
		{"no decimal point is printed", "62.4", 0},
		{"an activity names its village, as the awareness table does", "<td>Thôn Phong Ý</td>", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Count(page, tt.substr); got != tt.count {
				t.Errorf("page has %q %d times, want %d", tt.substr, got, tt.count)
			}
		})
	}
}

func TestThePrintablePageEscapesWhatStaffTyped(t *testing.T) {
	a := AnnualReport{UnitName: `Xã <script>alert("x")</script>`, Year: 2026, GeneratedBy: "can'bo&1",
		Quizzes: []AnnualQuiz{{QuizID: "q", Title: "Tìm hiểu <b>NQ 58</b>"}}}
	var b strings.Builder
	if err := a.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	tests := []struct {
		name, substr string
		want         bool
	}{
		{"a tag in the unit name is not markup", "<script>", false},
		{"the unit name shows as text", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", true},
		{"a tag in a quiz title is not markup", "<b>NQ 58</b>", false},
		{"the quiz title shows as text", "Tìm hiểu &lt;b&gt;NQ 58&lt;/b&gt;", true},
		{"an ampersand and an apostrophe are escaped", "can&#39;bo&amp;1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(page, tt.substr); got != tt.want {
				t.Errorf("page contains %q = %v, want %v", tt.substr, got, tt.want)
			}
		})
	}
}

func TestTheAwarenessTableCarriesTheWeightedTotalBelowThePool(t *testing.T) {
	p, m, cov := 43.6, 42.3, 82.4
	total := Row{Key: "c", Label: "Xã A", Participants: 393, Population: 1700,
		Weighted: &Weighted{PassRate: &p, PassRateCI95: []float64{35.2, 51.9}, MeanScore: &m, CI95: []float64{38.3, 46.2}, PopulationCovered: &cov, VillagesCovered: 2}}
	sealed := quiz.Seal{Sealed: true}
	tests := []struct {
		name string
		seal quiz.Seal
		want []any
	}{
		{"an open quiz's weighted row shows its scores and coverage", quiz.Seal{},
			[]any{"c", "Xã A – theo dân số (tự nguyện)", nil, nil, nil, nil, nil, vnfmt.Percent(42.3), vnfmt.Percent(38.3), vnfmt.Percent(46.2),
				vnfmt.Percent(43.6), vnfmt.Percent(35.2), vnfmt.Percent(51.9), "", nil, "", vnfmt.Percent(82.4), 2}},
		{"a sealed contest's weighted row shows the coverage only", sealed,
			[]any{"c", "Xã A – theo dân số (tự nguyện)", nil, nil, nil, nil, nil, SealedCell, SealedCell, SealedCell,
				SealedCell, SealedCell, SealedCell, "", nil, "", vnfmt.Percent(82.4), 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := Awareness{Total: total, Seal: tt.seal}.Tables()[0]
			if len(tab.Rows) != 2 {
				t.Fatalf("%d rows, want the pool's total and the weighted one", len(tab.Rows))
			}
			got := tab.Rows[1]
			if len(got) != len(tab.Header) || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("weighted row\ngot  %v\nwant %v (%d columns)", got, tt.want, len(tab.Header))
			}
		})
	}
}

func TestTheAnnualWorkbookCarriesEachQuizsChangeAgainstTheBaseQuiz(t *testing.T) {
	change := &Change{QuizID: "nq58-2026", BaseQuizID: "nq58-2025", Rows: []ChangeRow{
		{Key: "v1", Label: "Thôn Đông", Participants: 70, BaseParticipants: 80, PassRate: fp(80), BasePassRate: fp(60), Difference: fp(20),
			DifferenceCI95: []float64{5.2, 33.4}, Clear: true},
		{Key: "v2", Label: "Thôn Tây", Participants: 10, BaseParticipants: 3, Suppressed: true},
	}, Total: ChangeRow{Key: "ct", Label: "Xã Cẩm Thủy", Participants: 80, BaseParticipants: 83, PassRate: fp(53.3), BasePassRate: fp(40),
		Difference: fp(13.3), DifferenceCI95: []float64{5.8, 20.9}, Clear: true}}
	a := AnnualReport{UnitName: "Xã Cẩm Thủy", Year: 2026, Quizzes: []AnnualQuiz{{QuizID: "nq58-2026", Title: "Vòng 2026", Change: change}}}
	var sheet *export.Table
	for _, tab := range a.Tables() {
		if tab.Name == "Thay đổi – Vòng 2026" {
			sheet = &tab
		}
	}
	if sheet == nil {
		t.Fatal("the workbook has no sheet “Thay đổi – Vòng 2026”")
	}
	tests := []struct {
		name string
		row  int
		want string
	}{
		{"a village's clear change shows its interval and says so", 0, "[Thôn Đông 70 80 80 60 20 5.2 33.4 Rõ rệt  v1]"},
		{"a village too small in the base quiz shows counts only", 1, "[Thôn Tây 10 3 <nil> <nil> <nil> <nil> <nil>  Có v2]"},
		{"the weighted total closes the sheet", 2, "[Xã Cẩm Thủy – theo dân số (tự nguyện) 80 83 53.3 40 13.3 5.8 20.9 Rõ rệt  ct]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(sheet.Rows[tt.row]); got != tt.want {
				t.Errorf("row %d = %s, want %s", tt.row, got, tt.want)
			}
		})
	}
	var page strings.Builder
	if err := a.HTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "Thay đổi so với bài so sánh") {
		t.Error("the printable page lacks the change")
	}
}
