package report

import (
	"context"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
	"github.com/nq58/tracker/internal/vnfmt"
)

// AnnualQuiz is one quiz's part of the annual evaluation.
type AnnualQuiz struct {
	QuizID    string    `json:"quizId"`
	Title     string    `json:"title"`
	Awareness Awareness `json:"awareness"`
	Topics    Topics    `json:"topics"`
	Questions Questions `json:"questions"`
	Trend     Trend     `json:"trend"`
	// Change compares the quiz with the evaluation's base quiz, when one was chosen.
	Change *Change `json:"change,omitempty"`
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

	// unitNames names the units of the activities on the printable page, which shows
	// names, never codes.
	unitNames map[string]string
}

// Annual builds the evaluation of a unit for a year from every quiz and survey that
// had participants there that year. With a baseQuizID each quiz also gets its change
// against that quiz (last year's round, say): the officer names the base, since only
// they know which earlier quiz asked comparable questions; none is guessed.
func (s *Service) Annual(ctx context.Context, staff auth.Staff, unitID string, year int, baseQuizID string) (AnnualReport, error) {
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := units.LoadTree(ctx, s.store)
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
		aq := AnnualQuiz{QuizID: q.ID, Title: q.Title, Awareness: aw, Topics: tp, Questions: qs, Trend: tr}
		if baseQuizID != "" && baseQuizID != q.ID {
			ch, err := s.Change(ctx, staff, ChangeQuery{QuizID: q.ID, BaseQuizID: baseQuizID, UnitID: unitID})
			if err != nil {
				return AnnualReport{}, err
			}
			aq.Change = &ch
		}
		out.Quizzes = append(out.Quizzes, aq)
	}
	acts, err := s.ListActivities(ctx, staff, unitID, fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year))
	if err != nil {
		return AnnualReport{}, err
	}
	out.Activities = acts
	out.unitNames = map[string]string{}
	for _, a := range acts {
		if u, ok := tree.Get(a.UnitID); ok {
			out.unitNames[a.UnitID] = u.Name
		}
	}
	return out, nil
}

// Tables of the annual workbook: for each quiz its own sheets of villages, paper
// sheets, topics, questions and trend (named by the part and the quiz's title, so a
// contest's figures never share a table with a quiz's), one sheet per survey, the
// activities and the methods note. In every table the readable name comes first and
// the codes ("Mã…") last, beside the names, for whoever matches rows with other files.
func (a AnnualReport) Tables() []export.Table {
	of := func(part, title string, t export.Table) export.Table {
		t = codesLast(t)
		t.Name = part + " – " + title
		if len(t.Rows) == 0 {
			t.Rows = [][]any{{"Không có dữ liệu"}}
		}
		return t
	}
	var out []export.Table
	for _, q := range a.Quizzes {
		out = append(out,
			of("Thôn", q.Title, q.Awareness.Tables()[0]),
			of("Phiếu giấy", q.Title, PaperTable(q)),
			of("Chủ đề", q.Title, q.Topics.Tables()[0]),
			of("Câu hỏi", q.Title, q.Questions.Tables()[0]),
			of("Xu hướng", q.Title, q.Trend.Tables()[0]))
		if q.Change != nil {
			out = append(out, of("Thay đổi", q.Title, q.Change.Tables()[0]))
		}
	}
	for _, s := range a.Surveys {
		out = append(out, of("Khảo sát", s.Title, s.Survey.Tables()[0]))
	}
	if len(a.Quizzes) == 0 && len(a.Surveys) == 0 {
		out = append(out, export.Table{Name: "Thôn", Header: []string{"Bài"}, Rows: [][]any{{"Không có dữ liệu"}}})
	}
	return append(out, ActivitiesTable(a.Activities, a.unitNames), MethodsTable())
}

// codesLast moves the code columns ("Mã…") of a table after the others: a reader meets
// the names first, and the codes stay for matching rows with other files.
func codesLast(t export.Table) export.Table {
	var order []int
	for pass := range 2 {
		for j, h := range t.Header {
			if strings.HasPrefix(h, "Mã") == (pass == 1) {
				order = append(order, j)
			}
		}
	}
	out := export.Table{Name: t.Name}
	for _, j := range order {
		out.Header = append(out.Header, t.Header[j])
	}
	for _, r := range t.Rows {
		row := make([]any, 0, len(order))
		for _, j := range order {
			if j < len(r) {
				row = append(row, r[j])
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// MethodsNote explains, in Vietnamese, what each figure of the evaluation means and how
// it is computed, what the intervals do and do not say, and why small groups are hidden:
// the sheet "Phương pháp" of the annual workbook and the last section of the printable
// page. Each row is a figure (or a caveat), its meaning and its formula.
var MethodsNote = [][3]string{
	{"Người tham gia", "Số người đã nộp bài, mỗi người tính một lần cho mỗi bài (lượt nộp đầu tiên); các lượt làm lại chỉ để luyện tập, không tính vào điểm và tỷ lệ. Lượt bị nghi ngờ (vượt giới hạn truy cập) không được tính.",
		"Đếm theo mã định danh đã băm của số điện thoại (hoặc của thiết bị)."},
	{"Tỷ lệ tham gia (%)", "Phần người dân từ 15 tuổi của thôn đã tham gia.",
		"Người tham gia ÷ dân số từ 15 tuổi × 100. Khoảng tin cậy 95 % theo phương pháp Wilson (xem dưới)."},
	{"Điểm trung bình (%)", "Điểm trung bình của những người tham gia, tính theo phần trăm điểm tối đa của bài mỗi người đã làm.",
		"Trung bình cộng của điểm % (x̄ = Σx ÷ n), tính từ tổng Σx và Σx² mà hệ thống lưu theo thôn và tháng."},
	{"Khoảng tin cậy 95 % của điểm trung bình (KTC 95% (t))", "Khoảng mà điểm trung bình có thể dao động do số người tham gia có hạn; nhóm càng ít người, khoảng càng rộng.",
		"Khoảng Student t: x̄ ± t(0,975; n − 1) × s ÷ √n, trong đó s là độ lệch chuẩn mẫu s² = (Σx² − (Σx)² ÷ n) ÷ (n − 1) và t là phân vị chính xác của phân phối Student với n − 1 bậc tự do (thư viện gonum); giới hạn trong 0–100 %."},
	{"Tỷ lệ đạt (%)", "Phần người tham gia đạt điểm chuẩn của bài.",
		"Số người đạt ÷ số người có điểm × 100. Khoảng tin cậy 95 % theo Wilson."},
	{"Khoảng tin cậy Wilson 95 % (tỷ lệ đạt, tỷ lệ tham gia)", "Khoảng mà một tỷ lệ có thể dao động do số người có hạn: 5/5 người đạt cho 56,6–100 %, còn 500/500 cho 99,2–100 %.",
		"Khoảng điểm Wilson: với p = x ÷ n và z = 1,96: (p + z² ÷ 2n ± z × √(p(1 − p) ÷ n + z² ÷ 4n²)) ÷ (1 + z² ÷ n). Khác với p ± z√(p(1 − p) ÷ n), khoảng này luôn nằm trong 0–100 % và không co về một điểm khi tỷ lệ là 0 % hay 100 %."},
	{"Tỷ lệ trả lời đúng theo chủ đề (%)", "Phần các câu hỏi của chủ đề được trả lời đúng.",
		"Số câu đúng ÷ số câu đã trả lời của chủ đề × 100."},
	{"Độ khó của câu hỏi (tỷ lệ đúng, %)", "Phần người trả lời đúng câu hỏi trong số những người được hỏi câu đó (mỗi người được rút ngẫu nhiên một bộ câu khác nhau).",
		"Facility p = số người trả lời đúng ÷ số người được hỏi câu đó, ghi theo phần trăm. Dưới 20 %: quá khó; trên 90 %: quá dễ."},
	{"Độ phân biệt của câu hỏi (−1 đến 1)", "Câu hỏi có phân biệt được người hiểu nhiều với người hiểu ít không: dương là người làm tốt phần còn lại của bài cũng hay trả lời đúng câu này; âm thường là đáp án bị đặt sai.",
		"Hệ số tương quan điểm–nhị phân hiệu chỉnh (corrected point-biserial): tương quan Pearson giữa điểm câu hỏi (1 đúng, 0 sai) và điểm phần còn lại (số câu khác trong cùng lượt làm bài được trả lời đúng, không tính chính câu đó), trên những lượt được hỏi câu đó: r = (nΣxy − ΣxΣy) ÷ √((nΣx − (Σx)²)(nΣy² − (Σy)²)). Dưới 0: phân biệt ngược; dưới 0,2: phân biệt yếu."},
	{"Người tham gia tự chọn", "Người dân tự quyết định có làm bài hay không, nên những người tham gia không phải là mẫu ngẫu nhiên của dân số thôn.",
		"Các khoảng tin cậy chỉ cho biết độ chính xác của con số đối với chính những người đã tham gia (nhóm càng ít người, con số càng kém chắc chắn); chúng không cho biết con số đại diện cho cả thôn đến đâu. Người quan tâm đến Nghị quyết có thể tham gia nhiều hơn, nên điểm của cả thôn có thể thấp hơn."},
	{"Lượt nghi ngờ (không tính)", "Lượt làm bài bắt đầu khi một địa chỉ mạng hoặc một thiết bị đã vượt giới hạn truy cập (thường là máy tự động hoặc một người làm hộ nhiều người).",
		"Đếm riêng để cán bộ xem xét; không tính vào người tham gia, điểm và tỷ lệ. Cột “Tập trung một nguồn” đánh dấu thôn có trên 30 % người tham gia từ cùng một địa chỉ: chỉ để xem lại, không loại bỏ gì."},
	{"Gộp người tham gia (tự nguyện)", "Con số của xã tính gộp mọi người đã tham gia, như thể họ là một nhóm.",
		"Tổng số người đạt ÷ tổng số người có điểm của mọi thôn. Thôn vận động được nhiều người (ví dụ 80 % dân) nặng ký hơn thôn chỉ có 5 % dân tham gia, nên con số gộp phản ánh thôn nào được vận động nhiều, không phản ánh cả xã."},
	{"Theo dân số (tự nguyện)", "Con số của xã trong đó mỗi thôn được tính theo số dân của thôn, không theo số người tham gia: con số được báo cáo là con số của xã.",
		"Ước lượng phân tầng (Cochran): mỗi thôn có dân số và có ít nhất 5 người có điểm là một tầng; trọng số W = dân số thôn ÷ tổng dân số các thôn đó; tỷ lệ đạt p = Σ W × p thôn, phương sai Σ W² × (1 − n ÷ N) × p(1 − p) ÷ (n − 1); điểm trung bình tương tự với s² ÷ n. Khoảng tin cậy 95 % = ước lượng ± 1,96 × √phương sai, giới hạn trong 0–100 %."},
	{"Phủ dân số", "Phần dân số của xã sống ở các thôn được tính vào con số theo dân số, và số thôn đó.",
		"Dân số các thôn có ít nhất 5 người có điểm ÷ dân số mọi thôn có dân số × 100. Thôn dưới ngưỡng hoặc chưa có dân số không được tính: phủ càng thấp, con số càng ít nói về cả xã."},
	{"Trọng số sửa được gì, không sửa được gì", "Trọng số theo dân số sửa được chênh lệch vận động giữa các thôn (thôn nào được vận động nhiều). Nó không sửa được việc trong mỗi thôn chỉ những người quan tâm mới tham gia.",
		"Trong một thôn, người tự nguyện tham gia thường trẻ hơn và quan tâm hơn người không tham gia, nên con số theo dân số vẫn có thể cao hơn thực tế của thôn. Khoảng tin cậy không đo được sai lệch này."},
	{"Mẫu ngẫu nhiên", "Con số từ những người được rút thăm ngẫu nhiên trong danh sách hộ hoặc người của thôn, rồi được đến tận nơi hỏi (phiếu giấy).",
		"Vì ai cũng có cùng cơ hội được chọn, con số đại diện cho cả thôn, kể cả người không tự tham gia; khoảng tin cậy lúc đó nói đúng độ chính xác đối với cả thôn. Đây là con số nên báo cáo lên cấp trên; con số “tự nguyện” dùng để theo dõi phong trào. Số người cần rút cho mỗi thôn: n₀ = 1,96² × 0,25 ÷ e² (e là sai số mong muốn), rồi n = n₀ ÷ (1 + (n₀ − 1) ÷ N) với N là số hộ hoặc người trong danh sách; ±5 điểm với thôn 300 người cần 169 người."},
	{"Thay đổi so với bài trước", "Tỷ lệ đạt của bài này trừ tỷ lệ đạt của bài được chọn để so sánh (ví dụ vòng năm trước), tính bằng điểm phần trăm, với khoảng tin cậy 95 %.",
		"Theo thôn: khoảng Newcombe (phương pháp 10, Newcombe 1998) ghép hai khoảng Wilson: d − √((p₁ − l₁)² + (u₂ − p₂)²) đến d + √((u₁ − p₁)² + (p₂ − l₂)²). Theo xã: hai con số theo dân số, d ± 1,96 × √(phương sai₁ + phương sai₂). “Rõ rệt” khi khoảng không chứa 0. Thôn có dưới 5 người ở một trong hai bài chỉ hiện số lượng. Chỉ nên so hai bài có câu hỏi tương đương."},
	{"Nhóm dưới 5 người bị ẩn", "Thôn hoặc nhóm có dưới 5 người tham gia (hoặc câu hỏi có dưới 5 lượt trả lời) chỉ hiện số lượng, ghi “Quá ít để đánh giá”.",
		"Ngưỡng 5 người: với ít người, điểm và tỷ lệ dao động quá lớn để so sánh (khoảng tin cậy gần như 0–100 %), và trong nhóm rất nhỏ có thể đoán ra kết quả của từng người. Ngưỡng có thể được nâng lên, không hạ xuống dưới 5."},
}

// MethodsRow is one row of the methods note as GET /v1/reports/methods answers it, for
// the report page's "Cách tính".
type MethodsRow struct {
	Figure  string `json:"figure"`
	Meaning string `json:"meaning"`
	Method  string `json:"method"`
}

// MethodsRows is MethodsNote for the page: the same text as the workbook's sheet.
func MethodsRows() []MethodsRow {
	out := make([]MethodsRow, 0, len(MethodsNote))
	for _, r := range MethodsNote {
		out = append(out, MethodsRow{Figure: r[0], Meaning: r[1], Method: r[2]})
	}
	return out
}

// MethodsTable is MethodsNote as a table: the sheet "Phương pháp".
func MethodsTable() export.Table {
	t := export.Table{Name: "Phương pháp", Header: []string{"Chỉ số", "Ý nghĩa", "Cách tính"}}
	for _, r := range MethodsNote {
		t.Rows = append(t.Rows, []any{r[0], r[1], r[2]})
	}
	return t
}

// printTable is a table of the printable page: a heading (empty when the section's
// heading says it all) and the table without its code columns.
type printTable struct {
	Name  string
	Table export.Table
}

// printSection is one quiz or survey of the printable page: its title once, then its tables.
type printSection struct {
	Title  string
	Note   string // under the title: why figures are hidden (quiz.KeySealedNote)
	Tables []printTable
}

// withoutCodes drops the columns of unit, question and row codes ("Mã…"), which mean
// nothing on paper.
func withoutCodes(t export.Table) export.Table {
	var keep []int
	out := export.Table{Name: t.Name}
	for j, h := range t.Header {
		if strings.HasPrefix(h, "Mã") {
			continue
		}
		keep = append(keep, j)
		out.Header = append(out.Header, h)
	}
	for _, r := range t.Rows {
		row := make([]any, 0, len(keep))
		for _, j := range keep {
			if j < len(r) {
				row = append(row, r[j])
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// printSections lays out the evaluation for paper: each quiz and survey under its own
// heading (its title once, not on every row), without codes.
func (a AnnualReport) printSections() []printSection {
	var out []printSection
	part := func(name string, ts []export.Table) printTable {
		return printTable{Name: name, Table: withoutCodes(ts[0])}
	}
	for _, q := range a.Quizzes {
		sec := printSection{Title: q.Title, Note: q.Awareness.SealedNote, Tables: []printTable{
			part("Mức độ hiểu biết theo thôn", q.Awareness.Tables()),
			part("Hiểu biết theo nội dung", q.Topics.Tables()),
			part("Phân tích câu hỏi", q.Questions.Tables()),
			part("Diễn biến theo tháng", q.Trend.Tables()),
		}}
		if q.Change != nil {
			sec.Tables = append(sec.Tables, part("Thay đổi so với bài so sánh", q.Change.Tables()))
		}
		out = append(out, sec)
	}
	for _, s := range a.Surveys {
		out = append(out, printSection{Title: s.Title, Tables: []printTable{part("", s.Survey.Tables())}})
	}
	acts := withoutCodes(ActivitiesTable(a.Activities, a.unitNames))
	out = append(out, printSection{Title: "Hoạt động tuyên truyền", Tables: []printTable{{Table: acts}}})
	out = append(out, printSection{Title: "Phương pháp", Tables: []printTable{{Table: MethodsTable()}}})
	return out
}

// printCell writes a value in the Vietnamese style of the exports (vnfmt), "—" when empty.
func printCell(v any) string {
	if v == nil {
		return "—"
	}
	s, err := vnfmt.Text(v)
	if err != nil || s == "" {
		return "—"
	}
	return s
}

// numericCell says whether a value is a number, right-aligned on the page.
func numericCell(v any) bool {
	switch v.(type) {
	case int, int64, float64, vnfmt.Percent, vnfmt.Duration:
		return true
	}
	return false
}

const annualHead = `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đánh giá năm %s — %s</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.2rem;margin-top:2rem;page-break-after:avoid}h3{font-size:1rem;margin:1rem 0 .25rem;page-break-after:avoid}
table{border-collapse:collapse;width:100%%;margin:.5rem 0 1.5rem;font-size:.85rem}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;white-space:nowrap}
.meta{color:#444;font-size:.85rem}
@media print{body{margin:1cm}h2{page-break-before:auto}table{page-break-inside:auto}tr{page-break-inside:avoid}}
</style></head><body>
<h1>Đánh giá kết quả thông tin, tuyên truyền Nghị quyết 58-NQ/TW năm %s</h1>
<p class="meta">Đơn vị: %s · Lập bởi: %s · %s</p>
<p class="meta">Chỉ tính lượt làm bài đầu tiên của mỗi người. Nhóm dưới ngưỡng chỉ hiện số lượng (“Quá ít để đánh giá”). Ý nghĩa và cách tính từng chỉ số: mục “Phương pháp” cuối trang.</p>
`

// HTML writes the printable page of the evaluation: the title once in the header, each
// quiz under its own heading, names instead of codes, numbers in the Vietnamese style.
// It is built with fmt and html.EscapeString rather than html/template, whose engine
// adds a quarter of a megabyte to the staff bootstrap for one fixed page; every value
// from data is escaped, and none lands in an attribute, a script or a URL.
func (a AnnualReport) HTML(w io.Writer) error {
	esc := html.EscapeString
	year, unit := esc(strconv.Itoa(a.Year)), esc(a.UnitName)
	var b strings.Builder
	fmt.Fprintf(&b, annualHead, year, unit, year, unit, esc(a.GeneratedBy),
		esc(a.GeneratedAt.In(quiz.VietnamTime).Format("02/01/2006 15:04")))
	if len(a.Quizzes) == 0 {
		b.WriteString("<p>Chưa có bài trắc nghiệm nào có người tham gia trong năm.</p>\n")
	}
	for _, sec := range a.printSections() {
		fmt.Fprintf(&b, "<section><h2>%s</h2>\n", esc(sec.Title))
		if sec.Note != "" {
			fmt.Fprintf(&b, "<p class=\"meta\">%s</p>\n", esc(sec.Note))
		}
		for _, t := range sec.Tables {
			if t.Name != "" {
				fmt.Fprintf(&b, "<h3>%s</h3>\n", esc(t.Name))
			}
			b.WriteString("<table><thead><tr>")
			for _, h := range t.Table.Header {
				fmt.Fprintf(&b, "<th>%s</th>", esc(h))
			}
			b.WriteString("</tr></thead><tbody>\n")
			for _, row := range t.Table.Rows {
				b.WriteString("<tr>")
				for _, v := range row {
					class := ""
					if numericCell(v) {
						class = ` class="n"`
					}
					fmt.Fprintf(&b, "<td%s>%s</td>", class, esc(printCell(v)))
				}
				b.WriteString("</tr>\n")
			}
			if len(t.Table.Rows) == 0 {
				fmt.Fprintf(&b, "<tr><td colspan=\"%d\">Không có dữ liệu</td></tr>\n", len(t.Table.Header))
			}
			b.WriteString("</tbody></table>\n")
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</body></html>")
	_, err := io.WriteString(w, b.String())
	return err
}
