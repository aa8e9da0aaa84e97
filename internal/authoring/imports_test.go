package authoring_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

// csvRows writes rows as CSV, quoting where needed.
func csvRows(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xlsxFile builds a workbook whose first sheet holds rows.
func xlsxFile(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// A second sheet is ignored.
	if _, err := f.NewSheet("Ghi chú"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// quiz returns a stored quiz as officer A reads it.
func (e env) quiz(t *testing.T, id string) quiz.Quiz {
	t.Helper()
	q, err := e.svc.Get(context.Background(), officerA, id)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// rowCells reduces row errors to their row and column.
func rowCells(errs []authoring.RowError) []authoring.RowError {
	out := make([]authoring.RowError, len(errs))
	for i, e := range errs {
		if e.Message == "" {
			out[i].Message = "(empty message)"
		}
		out[i].Row, out[i].Column = e.Row, e.Column
	}
	return out
}

func TestImportingQuestionsWithTwoBadRowsReportsBothAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	draft := e.create(t, officerA, sampleInput())
	e.clock.Advance(1)
	body := csvFile(
		"kind,text,topic,points,option1,option2,option3,option4,correct",
		"single,Nghị quyết 58 ban hành năm nào?,a,1,2019,2020,2021,,2",
		"single,Câu thiếu lựa chọn đúng,b,1,Một,Hai,Ba,Bốn,5",
		"truefalse,Thanh Hóa giáp Lào.,h,1,,,,,Đúng",
		"multiple,Chủ đề sai,f,2,A,B,C,,\"1,3\"",
	)
	res, err := e.svc.ImportQuestions(ctx, officerA, draft.ID, "text/csv; charset=utf-8", body)
	apperrtest.WantCode(t, err, apperr.Validation, "ImportQuestions")
	if got, want := apperr.MessageOf(err), "2 dòng có lỗi"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	want := []authoring.RowError{{Row: 3, Column: "correct"}, {Row: 5, Column: "topic"}}
	if got := rowCells(res.Errors); !reflect.DeepEqual(got, want) {
		t.Errorf("row errors = %+v, want %+v (full: %+v)", got, want, res.Errors)
	}
	if res.Imported != 0 {
		t.Errorf("Imported = %d, want 0", res.Imported)
	}
	sameQuiz(t, e.quiz(t, draft.ID), draft)
}

func TestImportingAGoodFileAppendsItsQuestions(t *testing.T) {
	header := []any{"Text", "KIND", "topic", "points", "option1", "option2", "option3", "Option 4", "correct", "ghi chú"}
	tests := []struct {
		name        string
		contentType string
		body        func(t *testing.T) []byte
	}{
		{"from CSV with a BOM and headers in any order and case", "text/csv", func(*testing.T) []byte {
			return append([]byte("\ufeff"), csvFile(
				"Text,KIND,topic,points,option1,option2,option3,Option 4,correct,ghi chú",
				"Nghị quyết 58 ban hành năm nào?,single,a,1,2019,2020,2021,,2,",
				",,,,,,,,,",
				"Di tích nào ở Thanh Hóa?,Multiple,G,2,Thành Nhà Hồ,Văn Miếu,,Lam Kinh,\"1, 4\",",
				"Thanh Hóa giáp Lào.,truefalse,h,,,,,,sai,",
				"Bạn hiểu Nghị quyết đến đâu?,likert,,,,,,,,khảo sát",
			)...)
		}},
		{"from CSV with semicolons as Excel writes it in Vietnamese", "application/vnd.ms-excel", func(*testing.T) []byte {
			return csvFile(
				"Text;KIND;topic;points;option1;option2;option3;Option 4;correct;ghi chú",
				"Nghị quyết 58 ban hành năm nào?;single;a;1;2019;2020;2021;;2;",
				";;;;;;;;;",
				"Di tích nào ở Thanh Hóa?;Multiple;G;2;Thành Nhà Hồ;Văn Miếu;;Lam Kinh;1,4;",
				"Thanh Hóa giáp Lào.;truefalse;h;;;;;;sai;",
				"Bạn hiểu Nghị quyết đến đâu?;likert;;;;;;;;khảo sát",
			)
		}},
		{"from XLSX", authoring.ContentTypeXLSX, func(t *testing.T) []byte {
			return xlsxFile(t, header,
				[]any{"Nghị quyết 58 ban hành năm nào?", "single", "a", 1, 2019, 2020, 2021, nil, 2},
				[]any{},
				[]any{"Di tích nào ở Thanh Hóa?", "Multiple", "G", 2, "Thành Nhà Hồ", "Văn Miếu", nil, "Lam Kinh", "1,4"},
				[]any{"Thanh Hóa giáp Lào.", "truefalse", "h", nil, nil, nil, nil, nil, "Sai"},
				[]any{"Bạn hiểu Nghị quyết đến đâu?", "likert", nil, nil, nil, nil, nil, nil, nil, "khảo sát"},
			)
		}},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			in := sampleInput()
			in.Questions = in.Questions[:1]
			draft := e.create(t, officerA, in)
			res, err := e.svc.ImportQuestions(ctx, officerA, draft.ID, tt.contentType, tt.body(t))
			if err != nil {
				t.Fatalf("ImportQuestions: %v (rows %+v)", err, res.Errors)
			}
			if res.Imported != 4 || len(res.Errors) != 0 {
				t.Errorf("result = %+v, want 4 imported", res)
			}
			got := e.quiz(t, draft.ID).Questions
			want := []quiz.Question{
				draft.Questions[0],
				{ID: "q02", Kind: quiz.Single, Text: "Nghị quyết 58 ban hành năm nào?", Topic: "a", Points: 1,
					Options:          []quiz.Option{{ID: "a", Text: "2019"}, {ID: "b", Text: "2020"}, {ID: "c", Text: "2021"}},
					CorrectOptionIDs: []string{"b"}},
				{ID: "q03", Kind: quiz.Multiple, Text: "Di tích nào ở Thanh Hóa?", Topic: "g", Points: 2,
					Options:          []quiz.Option{{ID: "a", Text: "Thành Nhà Hồ"}, {ID: "b", Text: "Văn Miếu"}, {ID: "c", Text: "Lam Kinh"}},
					CorrectOptionIDs: []string{"a", "c"}},
				{ID: "q04", Kind: quiz.TrueFalse, Text: "Thanh Hóa giáp Lào.", Topic: "h", Points: 1,
					Options: []quiz.Option{{ID: "t", Text: "Đúng"}, {ID: "f", Text: "Sai"}}, CorrectOptionIDs: []string{"f"}},
				{ID: "q05", Kind: quiz.Likert, Text: "Bạn hiểu Nghị quyết đến đâu?", Options: []quiz.Option{
					{ID: "1", Text: "Rất không đồng ý"}, {ID: "2", Text: "Không đồng ý"}, {ID: "3", Text: "Phân vân"},
					{ID: "4", Text: "Đồng ý"}, {ID: "5", Text: "Rất đồng ý"}}},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("questions:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestImportingQuestionsRefusesWhatItCannotTake(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	good := csvFile("kind,text,topic,correct,option1,option2", "single,Câu hỏi,a,1,Có,Không")
	many := []string{"kind,text,topic,correct,option1,option2"}
	for range authoring.MaxQuestionRows + 1 {
		many = append(many, "single,Câu hỏi,a,1,Có,Không")
	}
	published := e.create(t, officerA, sampleInput())
	if _, err := e.svc.Publish(ctx, officerA, published.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		staff       auth.Staff
		published   bool
		contentType string
		body        []byte
		want        apperr.Code
		wantRows    []authoring.RowError
	}{
		{"more than 500 rows", officerA, false, "text/csv", csvFile(many...), apperr.Validation, nil},
		{"a file over 5 MB", officerA, false, "text/csv", append(good, make([]byte, authoring.MaxImportBytes)...), apperr.Validation, nil},
		{"an empty file", officerA, false, "text/csv", nil, apperr.Validation, nil},
		{"a header without rows", officerA, false, "text/csv", csvFile("kind,text", ",", ""), apperr.Validation, nil},
		{"a PDF", officerA, false, "application/pdf", good, apperr.Validation, nil},
		{"a broken workbook", officerA, false, authoring.ContentTypeXLSX, []byte("PK\x03\x04 not really"), apperr.Validation, nil},
		{"a CSV not in UTF-8", officerA, false, "text/csv", []byte("kind,text\r\nsingle,C\xe2u h\xf4i\r\n"), apperr.Validation, nil},
		{"a header without the text column", officerA, false, "text/csv", csvFile("kind,topic,option9", "single,a,x"), apperr.Validation,
			[]authoring.RowError{{Row: 1, Column: "text"}, {Row: 1, Column: "option9"}}},
		{"a published quiz", officerA, true, "text/csv", good, apperr.Conflict, nil},
		{"another commune's officer", officerB, false, "text/csv", good, apperr.NotFound, nil},
		{"an organizer", organizer, false, "text/csv", good, apperr.Forbidden, nil},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			id := published.ID
			if !tt.published {
				id = e.create(t, officerA, sampleInput()).ID
			}
			before := e.quiz(t, id)
			res, err := e.svc.ImportQuestions(ctx, tt.staff, id, tt.contentType, tt.body)
			apperrtest.WantCode(t, err, tt.want, "ImportQuestions")
			if got := rowCells(res.Errors); len(tt.wantRows) > 0 && !reflect.DeepEqual(got, tt.wantRows) {
				t.Errorf("row errors = %+v, want %+v", got, tt.wantRows)
			}
			sameQuiz(t, e.quiz(t, id), before)
		})
	}
}

func TestQuestionRowsAreCheckedCellByCell(t *testing.T) {
	header := []string{"kind", "text", "topic", "points", "option1", "option2", "option3", "option4", "option5", "correct"}
	tests := []struct {
		name string
		kind quiz.Kind
		row  []string
		want []authoring.RowError // rows and columns only
	}{
		{"a good single question passes", quiz.KindQuiz, []string{"single", "Câu", "a", "1", "A", "B", "", "", "", "1"}, nil},
		{"points default to one", quiz.KindQuiz, []string{"single", "Câu", "a", "", "A", "B", "", "", "", "2"}, nil},
		{"true/false takes Đúng", quiz.KindQuiz, []string{"truefalse", "Câu", "b", "1", "", "", "", "", "", "Đúng"}, nil},
		{"an unknown kind", quiz.KindQuiz, []string{"essay", "Câu", "a", "1", "A", "B", "", "", "", "1"}, []authoring.RowError{{Row: 2, Column: "kind"}}},
		{"a missing text and topic", quiz.KindQuiz, []string{"single", "", "", "1", "A", "B", "", "", "", "1"},
			[]authoring.RowError{{Row: 2, Column: "text"}, {Row: 2, Column: "topic"}}},
		{"points that are not a whole number", quiz.KindQuiz, []string{"single", "Câu", "a", "1.5", "A", "B", "", "", "", "1"},
			[]authoring.RowError{{Row: 2, Column: "points"}}},
		{"one option only", quiz.KindQuiz, []string{"single", "Câu", "a", "1", "", "A", "", "", "", "2"}, []authoring.RowError{{Row: 2, Column: "option2"}}},
		{"a correct answer naming an empty option", quiz.KindQuiz, []string{"multiple", "Câu", "a", "1", "A", "", "C", "", "", "1,2"},
			[]authoring.RowError{{Row: 2, Column: "correct"}}},
		{"two correct answers to a single question", quiz.KindQuiz, []string{"single", "Câu", "a", "1", "A", "B", "", "", "", "1,2"},
			[]authoring.RowError{{Row: 2, Column: "correct"}}},
		{"a true/false answer that is neither", quiz.KindQuiz, []string{"truefalse", "Câu", "a", "1", "", "", "", "", "", "có"},
			[]authoring.RowError{{Row: 2, Column: "correct"}}},
		{"a scored question without an answer", quiz.KindQuiz, []string{"single", "Câu", "a", "1", "A", "B", "", "", "", ""},
			[]authoring.RowError{{Row: 2, Column: "correct"}}},
		{"a survey question needs no topic or answer", quiz.KindSurvey, []string{"single", "Câu", "", "", "A", "B", "", "", "", ""}, nil},
		{"a survey question with an answer", quiz.KindSurvey, []string{"single", "Câu", "", "", "A", "B", "", "", "", "1"},
			[]authoring.RowError{{Row: 2, Column: "correct"}}},
		{"a likert question with four levels", quiz.KindSurvey, []string{"likert", "Câu", "", "", "1", "2", "3", "4", "", ""},
			[]authoring.RowError{{Row: 2, Column: "option1"}}},
		{"a text question with options", quiz.KindSurvey, []string{"text", "Câu", "", "", "", "A", "", "", "", ""},
			[]authoring.RowError{{Row: 2, Column: "option2"}}},
	}
	e := newEnv(t)
	drafts := map[quiz.Kind]string{}
	for _, kind := range []quiz.Kind{quiz.KindQuiz, quiz.KindSurvey} {
		in := authoring.QuizInput{Kind: string(kind), Title: "Ngân hàng câu hỏi",
			Questions: []authoring.QuestionInput{{Kind: "text", Text: "Góp ý"}}}
		drafts[kind] = e.create(t, officerA, in).ID
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := csvRows(t, header, tt.row)
			res, err := e.svc.ImportQuestions(context.Background(), officerA, drafts[tt.kind], "text/csv", body)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v (rows %+v), want success", err, res.Errors)
				}
				return
			}
			apperrtest.WantCode(t, err, apperr.Validation, "ImportQuestions")
			if got := rowCells(res.Errors); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors = %+v, want %+v (full: %+v)", got, tt.want, res.Errors)
			}
		})
	}
}

// units returns the stored units sorted by id.
func (e env) units(t *testing.T) []units.Unit {
	t.Helper()
	stored, err := e.store.ListUnits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(stored, func(a, b units.Unit) int { return strings.Compare(a.ID, b.ID) })
	return stored
}

func TestImportingUnitsWithErrorsReportsEveryRowAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	before := e.units(t)
	body := csvFile(
		"id,parentId,name,kind,population,households",
		"xa-a-t08,xa-a,Thôn Mới,village,300,80",
		"xa-a-t09,xa-a,Thôn Âm,village,-5,10",
		"xa-a-t10,xa-b,Thôn Sang Xã Khác,village,100,20",
		"xa-b-t01,xa-a,Thôn Tiến Lập,village,924,264",
		"xa-a,xa-b,Xã Cẩm Thủy (demo),commune,0,0",
		"xa-a-t11,xa-a-t99,Thôn Không Cha,village,1,1",
		"xa-a-t12,xa-a-t13,Thôn Vòng,village,1,1",
		"xa-a-t13,xa-a-t12,Thôn Vòng Hai,village,1,1",
		"xa-a-t08,xa-a,Thôn Lặp,village,1.5,1",
	)
	res, err := e.svc.ImportUnits(context.Background(), officerA, "text/csv", body)
	apperrtest.WantCode(t, err, apperr.Validation, "ImportUnits")
	if got, want := apperr.MessageOf(err), "8 dòng có lỗi"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	want := []authoring.RowError{
		{Row: 3, Column: "population"},
		{Row: 4, Column: "parentId"}, // under another commune
		{Row: 5, Column: "id"},       // another commune's village moved in
		{Row: 6, Column: "parentId"}, // the officer's own commune moved
		{Row: 7, Column: "parentId"}, // no such parent
		{Row: 8, Column: "parentId"}, // a cycle
		{Row: 9, Column: "parentId"},
		{Row: 10, Column: "id"}, // repeated
		{Row: 10, Column: "population"},
	}
	if got := rowCells(res.Errors); !reflect.DeepEqual(got, want) {
		t.Errorf("row errors = %+v,\nwant %+v\n(full: %+v)", got, want, res.Errors)
	}
	if got := e.units(t); !reflect.DeepEqual(got, before) {
		t.Errorf("units changed:\n got %+v\nwant %+v", got, before)
	}
}

func TestImportingGoodUnitsAddsAndUpdatesThem(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.svc.ImportUnits(ctx, organizer, "text/csv", csvFile("id,parentId,name,kind,population,households")); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an organizer's import: got %v, want forbidden", err)
	}

	res, err := e.svc.ImportUnits(ctx, officerA, "text/csv", csvFile(
		"ID,ParentId,Name,Kind,Population,Households",
		"xa-a-t08,xa-a,Thôn Mới,village,300,80",
		"xa-a-t01,xa-a,Thôn Phong Ý,village,850,245",
	))
	if err != nil {
		t.Fatalf("officer's import: %v (rows %+v)", err, res.Errors)
	}
	if res.Imported != 2 {
		t.Errorf("Imported = %d, want 2", res.Imported)
	}

	res, err = e.svc.ImportUnits(ctx, admin, authoring.ContentTypeXLSX, xlsxFile(t,
		[]any{"id", "parentId", "name", "kind", "population", "households"},
		[]any{"xa-c-t01", "xa-c", "Thôn Mới Lập", "village", 120, 30},
		[]any{"xa-c", "th", "Xã Mới (demo)", "commune", nil, nil},
	))
	if err != nil {
		t.Fatalf("admin's import: %v (rows %+v)", err, res.Errors)
	}

	stored := e.units(t)
	// The answer carries the tree as stored: the public list lags by its cache.
	answered := slices.Clone(res.Units)
	slices.SortFunc(answered, func(a, b units.Unit) int { return strings.Compare(a.ID, b.ID) })
	if !reflect.DeepEqual(answered, stored) {
		t.Errorf("the import answers the tree\n %+v\nwant the stored one\n %+v", answered, stored)
	}
	for _, want := range []units.Unit{
		{ID: "xa-a-t08", ParentID: "xa-a", Name: "Thôn Mới", Kind: "village", Population: 300, Households: 80},
		{ID: "xa-a-t01", ParentID: "xa-a", Name: "Thôn Phong Ý", Kind: "village", Population: 850, Households: 245},
		{ID: "xa-c", ParentID: "th", Name: "Xã Mới (demo)", Kind: "commune"},
		{ID: "xa-c-t01", ParentID: "xa-c", Name: "Thôn Mới Lập", Kind: "village", Population: 120, Households: 30},
	} {
		if !slices.Contains(stored, want) {
			t.Errorf("ListUnits lacks %+v", want)
		}
	}
	if got, want := len(stored), 18+3; got != want {
		t.Errorf("ListUnits has %d units, want %d", got, want)
	}
}

// TestReadingAQuestionFileBeforeTheDraftExists covers the staff pages' first step of a
// new quiz: the file is read and its questions come back, nothing is stored, and the
// questions then make a draft as they are.
func TestReadingAQuestionFileBeforeTheDraftExists(t *testing.T) {
	good := csvFile(
		"kind,text,topic,points,option1,option2,option3,correct",
		"single,Nghị quyết 58 ban hành năm nào?,a,1,2019,2020,2021,2",
		"truefalse,Thanh Hóa giáp Lào.,h,,,,,Đúng",
	)
	survey := csvFile("kind,text,option1,option2", "single,Bạn biết Nghị quyết qua đâu?,Loa,Họp thôn", "likert,Bạn hiểu đến đâu?,,")
	tests := []struct {
		name     string
		staff    auth.Staff
		kind     quiz.Kind
		body     []byte
		want     apperr.Code // "" for success
		wantN    int
		wantRows []authoring.RowError
	}{
		{"an officer reads a quiz file", officerA, quiz.KindQuiz, good, "", 2, nil},
		{"a quiz is the default kind", officerA, "", good, "", 2, nil},
		{"an admin reads a survey file without topics or answers", admin, quiz.KindSurvey, survey, "", 2, nil},
		{"a survey file with answers is refused row by row", officerA, quiz.KindSurvey, good, apperr.Validation, 0,
			[]authoring.RowError{{Row: 2, Column: "correct"}, {Row: 3, Column: "correct"}}},
		{"an organiser may not write quizzes", organizer, quiz.KindQuiz, good, apperr.Forbidden, 0, nil},
		{"an unknown kind is refused", officerA, "exam", good, apperr.Validation, 0, nil},
	}
	e := newEnv(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.svc.ReadQuestions(ctx, tt.staff, tt.kind, "text/csv", tt.body)
			if tt.want != "" {
				apperrtest.WantCode(t, err, tt.want, "ReadQuestions")
				if got := rowCells(res.Errors); len(tt.wantRows) > 0 && !reflect.DeepEqual(got, tt.wantRows) {
					t.Errorf("row errors = %+v, want %+v", got, tt.wantRows)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadQuestions: %v (rows %+v)", err, res.Errors)
			}
			if res.Imported != tt.wantN || len(res.Questions) != tt.wantN {
				t.Errorf("read %d (%d questions), want %d", res.Imported, len(res.Questions), tt.wantN)
			}
			kind := tt.kind
			if kind == "" {
				kind = quiz.KindQuiz
			}
			q := e.create(t, tt.staff, authoring.QuizInput{Kind: string(kind), Title: "Bài từ tệp", Questions: res.Questions})
			if len(q.Questions) != tt.wantN {
				t.Errorf("draft made from the questions has %d, want %d", len(q.Questions), tt.wantN)
			}
		})
	}
	t.Run("reading stores nothing", func(t *testing.T) {
		all, err := e.store.ListQuizzes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(all), 3; got != want { // the drafts the cases above made themselves
			t.Errorf("%d quizzes stored, want %d", got, want)
		}
	})
}
