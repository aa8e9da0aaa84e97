package authoring

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Import limits.
const (
	MaxImportBytes   = 5 << 20 // bytes of an uploaded file
	MaxQuestionRows  = 500     // data rows of a question file
	MaxUnitRows      = 5000    // data rows of a unit file (a province has a few thousand villages)
	maxOptionColumns = 8       // option1…option8
)

// Content types of an upload.
const (
	ContentTypeCSV  = "text/csv"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ImportQuestions appends the questions of a CSV or XLSX file to a draft in the staff
// user's subtree. Every row is checked; if any has an error, nothing is changed and
// the result lists every error.
func (s *Service) ImportQuestions(ctx context.Context, staff auth.Staff, quizID string, contentType string, body []byte) (ImportResult, error) {
	q, _, err := s.editable(ctx, staff, quizID)
	if err != nil {
		return ImportResult{}, err
	}
	if q.Status != quiz.Draft {
		return ImportResult{}, apperr.Errorf(apperr.Conflict, "Bài đã công bố: chỉ sửa qua đính chính")
	}
	rows, err := ReadTable(contentType, body, TableLimits{Rows: MaxQuestionRows, Columns: MaxImportColumns})
	if err != nil {
		return ImportResult{}, err
	}
	inputs, rowErrs := parseQuestionRows(q.Kind, rows)
	if len(rowErrs) > 0 {
		return ImportResult{Errors: rowErrs}, rowsFailed(rowErrs)
	}
	if len(q.Questions)+len(inputs) > MaxQuestionRows {
		return ImportResult{}, apperr.Errorf(apperr.Validation,
			"Bài đã có %d câu; thêm %d câu sẽ vượt quá %d câu", len(q.Questions), len(inputs), MaxQuestionRows)
	}
	taken := make([]string, len(q.Questions))
	for i, qu := range q.Questions {
		taken[i] = qu.ID
	}
	added, err := buildQuestions(inputs, false, taken)
	if err != nil {
		return ImportResult{}, err
	}
	q.Questions = append(q.Questions, added...)
	q.UpdatedAt = s.now().UTC()
	if _, err := s.put(ctx, q); err != nil {
		return ImportResult{}, err
	}
	return ImportResult{Imported: len(added)}, nil
}

// ReadQuestions checks a CSV or XLSX question file for a quiz of the given kind that is
// not written yet, and returns its questions as input for Create, storing nothing: a
// quiz is stored with at least one question, so the staff pages read the file first and
// create the draft with its questions in one step. Row errors are as ImportQuestions'.
func (s *Service) ReadQuestions(ctx context.Context, staff auth.Staff, kind quiz.Kind, contentType string, body []byte) (ImportResult, error) {
	if kind == "" {
		kind = quiz.KindQuiz
	}
	if kind != quiz.KindQuiz && kind != quiz.KindSurvey && kind != quiz.KindContest {
		return ImportResult{}, apperr.Errorf(apperr.Validation, "Loại bài %q không hợp lệ: dùng quiz, survey hoặc contest", kind)
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return ImportResult{}, err
	}
	// Whoever may write this kind of quiz in their own unit may read a file for it.
	if err := auth.Authorize(staff, auth.Author, auth.KindTarget(kind, staff.ScopeUnitID), tree); err != nil {
		return ImportResult{}, err
	}
	rows, err := ReadTable(contentType, body, TableLimits{Rows: MaxQuestionRows, Columns: MaxImportColumns})
	if err != nil {
		return ImportResult{}, err
	}
	inputs, rowErrs := parseQuestionRows(kind, rows)
	if len(rowErrs) > 0 {
		return ImportResult{Errors: rowErrs}, rowsFailed(rowErrs)
	}
	return ImportResult{Imported: len(inputs), Questions: inputs}, nil
}

// rowsFailed summarises row errors as one validation error.
func rowsFailed(errs []RowError) error {
	rows := map[int]bool{}
	for _, e := range errs {
		rows[e.Row] = true
	}
	return apperr.Errorf(apperr.Validation, "%d dòng có lỗi", len(rows))
}

var questionColumns = []string{"kind", "text", "topic", "points", "correct"}

func optionColumn(n int) string { return "option" + strconv.Itoa(n) }

var optionHeader = regexp.MustCompile(`^option(\d+)$`)

// parseQuestionRows checks the rows of a question file (the first is the header) for
// a quiz of the given kind and returns them as input, or every row error.
func parseQuestionRows(kind quiz.Kind, rows [][]string) ([]QuestionInput, []RowError) {
	known := slices.Clone(questionColumns)
	for n := 1; n <= maxOptionColumns; n++ {
		known = append(known, optionColumn(n))
	}
	t, errs := newTable(rows, known, []string{"kind", "text"})
	if len(rows) > 0 {
		for _, h := range rows[0] {
			if name := HeaderName(h); optionHeader.MatchString(name) && !slices.Contains(known, name) {
				errs = append(errs, RowError{Row: 1, Column: name,
					Message: fmt.Sprintf("Tối đa %d lựa chọn (option1 … option%d)", maxOptionColumns, maxOptionColumns)})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var out []QuestionInput
	for _, r := range t.data() {
		in, rowErrs := parseQuestionRow(kind, r)
		errs = append(errs, rowErrs...)
		out = append(out, in)
	}
	return out, errs
}

// numberedOption is an option cell: its column number and text.
type numberedOption struct {
	n    int
	text string
}

func parseQuestionRow(kind quiz.Kind, r row) (QuestionInput, []RowError) {
	var errs []RowError
	fail := func(col, format string, args ...any) {
		errs = append(errs, RowError{Row: r.n, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	in := QuestionInput{Kind: strings.ToLower(r.get("kind")), Text: r.get("text"), Topic: strings.ToLower(r.get("topic"))}
	qk, known := quiz.ParseQuestionKind(in.Kind)
	scored := known && qk.Scored()
	graded := scored && kind != quiz.KindSurvey

	switch {
	case known:
	case in.Kind == "":
		fail("kind", "Thiếu loại câu hỏi (%s)", quiz.KindNames("hoặc"))
	default:
		fail("kind", "Loại câu hỏi %q không hợp lệ: dùng %s", in.Kind, quiz.KindNames("hoặc"))
	}
	if in.Text == "" {
		fail("text", "Thiếu nội dung câu hỏi")
	}
	switch {
	case in.Topic == "" && graded:
		fail("topic", "Câu tính điểm cần chủ đề: một trong %s", strings.Join(quiz.Topics, ", "))
	case in.Topic != "" && !slices.Contains(quiz.Topics, in.Topic):
		fail("topic", "Chủ đề %q không hợp lệ: dùng một trong %s", in.Topic, strings.Join(quiz.Topics, ", "))
	}
	switch p := r.get("points"); {
	case p == "" && graded:
		in.Points = 1
	case p == "":
	default:
		// Points of a question that is not scored are ignored.
		n, err := strconv.Atoi(p)
		switch {
		case err != nil || n < 0:
			fail("points", "Điểm %q không hợp lệ: ghi một số nguyên dương", p)
		case n == 0 && graded:
			fail("points", "Câu tính điểm cần điểm lớn hơn 0")
		case graded:
			in.Points = n
		}
	}

	var opts []numberedOption
	for n := 1; n <= maxOptionColumns; n++ {
		if text := r.get(optionColumn(n)); text != "" {
			opts = append(opts, numberedOption{n, text})
			in.Options = append(in.Options, OptionInput{Text: text})
		}
	}
	firstOption := optionColumn(1)
	if len(opts) > 0 {
		firstOption = optionColumn(opts[0].n)
	}
	if msg := qk.CheckWrittenOptions(len(opts)); msg != "" {
		fail(firstOption, "%s", msg)
	}

	correct := r.get("correct")
	switch {
	case correct == "" && graded:
		fail("correct", "Thiếu đáp án đúng")
	case correct == "" || !known:
	case kind == quiz.KindSurvey:
		fail("correct", "Phiếu khảo sát không có đáp án đúng: để trống cột này")
	case !scored:
		fail("correct", "Câu thang đo hoặc tự luận không có đáp án đúng: để trống cột này")
	default:
		cols := make([]int, len(opts))
		for i, o := range opts {
			cols[i] = o.n
		}
		idx, msg := qk.ParseKey(correct, cols)
		if msg != "" {
			fail("correct", "%s", msg)
		}
		in.CorrectOptionIndexes = idx
	}
	if len(errs) == 0 {
		// Anything the checks above missed is still caught, against the row.
		if err := validateAlone(kind, in); err != nil {
			fail("", "%s", apperr.MessageOf(err))
		}
	}
	return in, errs
}

// validateAlone validates the question as the only one of a quiz of the given kind.
func validateAlone(kind quiz.Kind, in QuestionInput) error {
	qu, err := buildQuestion(in, "q01", 1)
	if err != nil {
		return err
	}
	return quiz.Quiz{ID: "import", Kind: kind, Title: "import", Questions: []quiz.Question{qu}}.Validate()
}

var unitColumns = []string{"id", "parentid", "name", "kind", "population", "households"}

// unitColumnNames are the column names as written in the file's documentation.
var unitColumnNames = map[string]string{"parentid": "parentId"}

func unitColumnName(c string) string {
	if n, ok := unitColumnNames[c]; ok {
		return n
	}
	return c
}

// ImportUnits adds or updates units from a CSV or XLSX file. Every unit must end up in
// the staff user's subtree, and the staff user's own unit keeps its parent. If any row
// has an error, nothing is changed and the result lists every error.
func (s *Service) ImportUnits(ctx context.Context, staff auth.Staff, contentType string, body []byte) (ImportResult, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return ImportResult{}, err
	}
	existing := tree.Units()
	// Each row's unit is checked against the staff member's subtree below (as row errors).
	if err := auth.Authorize(staff, auth.ImportUnits, auth.UnitTarget(staff.ScopeUnitID), tree); err != nil {
		return ImportResult{}, err
	}
	rows, err := ReadTable(contentType, body, TableLimits{Rows: MaxUnitRows, Columns: MaxImportColumns})
	if err != nil {
		return ImportResult{}, err
	}
	parsed, errs := parseUnitRows(rows)
	if parsed != nil {
		errs = append(errs, checkUnitScope(existing, parsed, staff.ScopeUnitID)...)
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Row - b.Row })
	}
	if len(errs) > 0 {
		return ImportResult{Errors: errs}, rowsFailed(errs)
	}
	merged := slices.Clone(existing)
	at := make(map[string]int, len(merged))
	for i, u := range merged {
		at[u.ID] = i
	}
	for _, u := range parsed {
		if i, ok := at[u.unit.ID]; ok {
			merged[i] = u.unit
		} else {
			merged = append(merged, u.unit)
		}
	}
	if _, err := units.NewTree(merged); err != nil {
		return ImportResult{}, err
	}
	put := make([]units.Unit, len(parsed))
	for i, u := range parsed {
		put[i] = u.unit
	}
	if err := s.store.PutUnits(ctx, put); err != nil {
		return ImportResult{}, err
	}
	// The tree as it now is: the public unit list is cached for a minute (quiz.CatalogTTL),
	// so the staff pages take the new tree from this answer.
	return ImportResult{Imported: len(put), Units: merged}, nil
}

// unitRow is a unit read from a file with its row number; bad when the row has errors
// of its own.
type unitRow struct {
	row  int
	unit units.Unit
	bad  bool
}

func parseUnitRows(rows [][]string) ([]unitRow, []RowError) {
	t, errs := newTable(rows, unitColumns, unitColumns)
	for i := range errs {
		errs[i].Column = unitColumnName(errs[i].Column)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var out []unitRow
	seen := map[string]int{}
	for _, r := range t.data() {
		fail := func(col, format string, args ...any) {
			errs = append(errs, RowError{Row: r.n, Column: unitColumnName(col), Message: fmt.Sprintf(format, args...)})
		}
		num := func(col string) int {
			v := r.get(col)
			if v == "" {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fail(col, "%q không phải là số nguyên không âm", v)
				return 0
			}
			return n
		}
		before := len(errs)
		u := units.Unit{ID: r.get("id"), ParentID: r.get("parentid"), Name: r.get("name"), Kind: r.get("kind")}
		switch {
		case u.ID == "":
			fail("id", "Thiếu mã đơn vị")
		case !units.ValidID(u.ID):
			fail("id", "Mã đơn vị %q không hợp lệ: dùng 1 đến 64 chữ cái không dấu, chữ số, - hoặc _", u.ID)
		case seen[u.ID] > 0:
			fail("id", "Mã đơn vị %q trùng với dòng %d", u.ID, seen[u.ID])
		default:
			seen[u.ID] = r.n
		}
		if u.ParentID != "" && u.ParentID == u.ID {
			fail("parentid", "Đơn vị không thể là đơn vị cha của chính nó")
		}
		if u.Name == "" {
			fail("name", "Thiếu tên đơn vị")
		}
		if u.Kind == "" {
			fail("kind", "Thiếu cấp đơn vị (ví dụ: commune, village)")
		}
		u.Population, u.Households = num("population"), num("households")
		if len(errs) == before {
			if err := u.Validate(); err != nil {
				fail("", "%s", apperr.MessageOf(err))
			}
		}
		out = append(out, unitRow{row: r.n, unit: u, bad: len(errs) > before})
	}
	return out, errs
}

// checkUnitScope checks that every imported unit ends up under the staff user's unit
// (through existing units or rows of the same file), that no existing unit outside it
// is moved in, and that the staff user's unit keeps its parent.
func checkUnitScope(existing []units.Unit, rows []unitRow, scopeID string) []RowError {
	old := make(map[string]units.Unit, len(existing))
	oldParent := make(map[string]string, len(existing))
	parent := make(map[string]string, len(existing)+len(rows))
	for _, u := range existing {
		old[u.ID], oldParent[u.ID], parent[u.ID] = u, u.ParentID, u.ParentID
	}
	inFile := map[string]bool{}
	for _, r := range rows {
		if id := r.unit.ID; id != "" && !inFile[id] { // a repeated id is an error of its own
			inFile[id] = true
			parent[id] = r.unit.ParentID
		}
	}
	// reach follows parents in m from id: whether it meets scopeID, and whether it
	// went round a cycle instead.
	reach := func(m map[string]string, id string) (within, cycle bool) {
		seen := map[string]bool{}
		for cur := id; cur != ""; cur = m[cur] {
			switch {
			case cur == scopeID:
				return true, false
			case seen[cur]:
				return false, true
			}
			seen[cur] = true
			if _, ok := m[cur]; !ok {
				return false, false
			}
		}
		return false, false
	}
	within := func(m map[string]string, id string) bool {
		ok, _ := reach(m, id)
		return ok
	}
	var errs []RowError
	for _, r := range rows {
		if r.bad {
			continue
		}
		u := r.unit
		fail := func(col, format string, args ...any) {
			errs = append(errs, RowError{Row: r.row, Column: col, Message: fmt.Sprintf(format, args...)})
		}
		if u.ID == scopeID {
			if want := old[scopeID].ParentID; u.ParentID != want {
				fail("parentId", "Không được đổi đơn vị cha của đơn vị mình phụ trách (%s)", scopeID)
			}
			continue
		}
		if _, ok := old[u.ID]; ok && !within(oldParent, u.ID) {
			fail("id", "Đơn vị %q nằm ngoài phạm vi bạn phụ trách", u.ID)
			continue
		}
		if _, ok := parent[u.ParentID]; u.ParentID != "" && !ok {
			fail("parentId", "Không có đơn vị cha %q (trong dữ liệu hoặc trong tệp)", u.ParentID)
			continue
		}
		if ok, cycle := reach(parent, u.ID); !ok {
			switch {
			case cycle:
				fail("parentId", "Đơn vị cha %q tạo thành vòng lặp (đơn vị nằm dưới chính nó)", u.ParentID)
			case u.ParentID == "":
				fail("parentId", "Thiếu đơn vị cha: đơn vị phải thuộc %s", scopeID)
			default:
				fail("parentId", "Đơn vị cha %q nằm ngoài phạm vi bạn phụ trách (%s)", u.ParentID, scopeID)
			}
		}
	}
	return errs
}

// ---- reading files

// row is one data row of a file, by its 1-based row number.
type row struct {
	n     int
	cells []string
	col   map[string]int
}

func (r row) get(col string) string {
	if i, ok := r.col[col]; ok && i < len(r.cells) {
		return r.cells[i]
	}
	return ""
}

// table is a file's rows with its header read.
type table struct {
	rows [][]string
	col  map[string]int
}

// newTable reads the header (names compared without case, spaces or underscores) and
// reports missing required columns and repeated known ones. Unknown columns are ignored.
func newTable(rows [][]string, known, required []string) (table, []RowError) {
	if len(rows) == 0 {
		return table{}, []RowError{{Row: 1, Message: "Tệp không có dòng tiêu đề"}}
	}
	t := table{rows: rows, col: map[string]int{}}
	var errs []RowError
	for i, h := range rows[0] {
		name := HeaderName(h)
		if name == "" {
			continue
		}
		if _, dup := t.col[name]; dup && slices.Contains(known, name) {
			errs = append(errs, RowError{Row: 1, Column: name, Message: fmt.Sprintf("Cột %q xuất hiện hai lần", name)})
			continue
		}
		t.col[name] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			errs = append(errs, RowError{Row: 1, Column: c, Message: fmt.Sprintf("Thiếu cột %q", c)})
		}
	}
	return t, errs
}

// data returns the rows after the header, skipping blank ones.
func (t table) data() []row {
	var out []row
	for i := 1; i < len(t.rows); i++ {
		if !BlankRow(t.rows[i]) {
			out = append(out, row{n: i + 1, cells: t.rows[i], col: t.col})
		}
	}
	return out
}

// HeaderName is how an upload's column header is matched: trimmed, without a BOM, lower
// case, spaces and underscores dropped ("Mã phiếu", "mã_phiếu" and "MÃPHIẾU" are one).
func HeaderName(h string) string {
	h = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "\ufeff"))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '\u00a0' {
			return -1
		}
		return r
	}, h)
}

// BlankRow says whether every cell of an upload's row is empty.
func BlankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

var zipMagic = []byte("PK\x03\x04")

// fileKind tells CSV from XLSX by content type; for the types browsers send for either
// (Windows labels .csv files as Excel), by content.
func fileKind(contentType string, body []byte) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(contentType))
	}
	switch mt {
	case ContentTypeCSV, "application/csv", "text/plain":
		return ContentTypeCSV
	case ContentTypeXLSX:
		return ContentTypeXLSX
	case "application/vnd.ms-excel", "application/octet-stream", "":
		if bytes.HasPrefix(body, zipMagic) {
			return ContentTypeXLSX
		}
		return ContentTypeCSV
	}
	return ""
}
