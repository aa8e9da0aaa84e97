package export_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/vnfmt"
)

// entrants is a table with every kind of cell a person reads: a phone, a count in the
// thousands, a percentage, a duration, a plain decimal and free text that could be a
// formula.
func entrants() export.Table {
	return export.Table{
		Name:   "Bài dự thi",
		Header: []string{"Họ và tên", "Số điện thoại", "Dự đoán", "Tỷ lệ đúng (%)", "Thời gian làm bài", "Độ phân biệt", "Ghi chú"},
		Rows: [][]any{
			{"Nguyễn Văn An", vnfmt.Phone("+84912345678"), int64(1234567), vnfmt.Percent(62.1), vnfmt.Duration(125 * time.Second), 0.35, "+84 gọi lại"},
			{"Lê Thị Bình", vnfmt.Phone("0988000111"), int64(12), vnfmt.Percent(100), vnfmt.Duration(2055 * time.Millisecond), -0.6, "=HYPERLINK(\"x\")"},
			{"@Bình", vnfmt.Phone(""), nil, (*vnfmt.Percent)(nil), vnfmt.Duration(75 * time.Minute), 1234.5, "-1"},
		},
	}
}

func TestCSVWritesTheVietnameseNumberStyle(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(writeCSV(t, entrants()), []byte(export.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		row, col int
		want     string
	}{
		{"a stored phone reads as a Vietnamese number, without an apostrophe", 1, 1, "0912 345 678"},
		{"a phone typed without the plus is grouped the same way", 2, 1, "0988 000 111"},
		{"no phone is an empty cell", 3, 1, ""},
		{"thousands are grouped with dots", 1, 2, "1.234.567"},
		{"a percentage has a decimal comma and a spaced sign", 1, 3, "62,1 %"},
		{"a whole percentage keeps its decimal", 2, 3, "100,0 %"},
		{"a missing percentage is empty", 3, 3, ""},
		{"a duration is mm:ss", 1, 4, "02:05"},
		{"a short duration rounds to the second", 2, 4, "00:02"},
		{"an hour-long duration counts minutes", 3, 4, "75:00"},
		{"a decimal has a comma", 1, 5, "0,35"},
		{"a negative decimal keeps its sign", 2, 5, "-0,6"},
		{"a decimal in the thousands has both separators", 3, 5, "1.234,5"},
		{"free text starting with + is still neutralised", 1, 6, "'+84 gọi lại"},
		{"free text starting with = is still neutralised", 2, 6, "'=HYPERLINK(\"x\")"},
		{"a name starting with @ is neutralised", 3, 0, "'@Bình"},
		{"free text starting with - is neutralised", 3, 6, "'-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rows[tt.row][tt.col]; got != tt.want {
				t.Errorf("cell (%d, %d) = %q, want %q", tt.row, tt.col, got, tt.want)
			}
		})
	}
}

func TestXLSXKeepsNumbersNumericWithVietnameseFormats(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, entrants())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := firstSheet(f)
	tests := []struct {
		name    string
		cell    string
		numeric bool
		raw     float64 // the stored number, when numeric
		text    string  // the stored text, when not
		format  string  // the cell's number format, when numeric
	}{
		{"a phone is a text cell in the Vietnamese form", "B2", false, 0, "0912 345 678", ""},
		{"a phone typed with a 0 is a text cell too", "B3", false, 0, "0988 000 111", ""},
		{"a count is a number grouped by thousands", "C2", true, 1234567, "", export.FormatInt},
		{"a percentage is a fraction shown as a percentage", "D2", true, 0.621, "", export.FormatPercent},
		{"a whole percentage is 1", "D3", true, 1, "", export.FormatPercent},
		{"a duration is a fraction of a day shown as minutes and seconds", "E2", true, 125.0 / 86400, "", export.FormatDuration},
		{"a decimal keeps its value", "F2", true, 0.35, "", export.FormatFloat},
		{"free text stays text, unchanged", "G3", false, 0, "=HYPERLINK(\"x\")", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, err := f.GetCellType(sheet, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := f.GetCellValue(sheet, tt.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			// Excelize writes a number with no t attribute (CellTypeUnset), text as a
			// shared string.
			numeric := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
			if numeric != tt.numeric {
				t.Fatalf("%s (%q) has type %v, want numeric = %v", tt.cell, raw, typ, tt.numeric)
			}
			if !tt.numeric {
				if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("%s has type %v, want a string", tt.cell, typ)
				}
				if raw != tt.text {
					t.Errorf("%s = %q, want %q", tt.cell, raw, tt.text)
				}
				return
			}
			got, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Fatalf("%s = %q is not a number: %v", tt.cell, raw, err)
			}
			if d := got - tt.raw; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s = %v, want %v", tt.cell, got, tt.raw)
			}
			id, err := f.GetCellStyle(sheet, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.CustomNumFmt == nil || *st.CustomNumFmt != tt.format {
				t.Errorf("%s number format = %v, want %q", tt.cell, st.CustomNumFmt, tt.format)
			}
		})
	}

	// Excelize's own renderer (en-US, and looser than Excel: it prints "62.1% " and
	// "2:05") still shows that the stored fractions read as a percentage and as minutes
	// and seconds, not as 0.621 or 0.00145.
	rendered := []struct {
		name, cell, want string
	}{
		{"a percentage renders as 62.1 with a percent sign", "D2", "62.1%"},
		{"a duration renders as minutes and seconds", "E2", "2:05"},
	}
	for _, tt := range rendered {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.GetCellValue(sheet, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%s shows %q, want it to contain %q", tt.cell, got, tt.want)
			}
		})
	}
}
