package export_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/vnfmt"
)

func villages() export.Table {
	return export.Table{
		Name:   "Nhận thức theo thôn",
		Header: []string{"Thôn", "Số người tham gia", "Điểm trung bình", "Tỷ lệ đạt (%)", "Ý kiến"},
		Rows: [][]any{
			{"Thôn Phong Ý", int64(42), 7.25, 72.5, "Đồng ý"},
			{"Thôn Đồng Tâm", 3, nil, nil, "=1+1"},
			{"Tổng", int64(45), 7.0, 100.0 / 3, "-"},
		},
	}
}

func activities() export.Table {
	return export.Table{
		Name:   "Hoạt động",
		Header: []string{"Ngày", "Hình thức", "Số người", "Ghi lúc"},
		Rows:   [][]any{{vnfmt.Date("2026-10-15"), "Hội thi", int64(300), vnfmt.Moment(time.Date(2026, 10, 15, 20, 3, 5, 0, time.UTC))}},
	}
}

func writeCSV(t *testing.T, tb export.Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.CSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCSVStartsWithABOMAndUsesCRLF(t *testing.T) {
	b := writeCSV(t, villages())
	if got, want := b[:3], []byte{0xEF, 0xBB, 0xBF}; !bytes.Equal(got, want) {
		t.Errorf("first bytes = % X, want % X", got, want)
	}
	body := string(b[3:])
	if got, want := strings.Count(body, "\r\n"), 4; got != want {
		t.Errorf("CRLF count = %d, want %d (header and 3 rows)", got, want)
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("a bare LF remains in %q", body)
	}
}

func TestCSVCellsReadBack(t *testing.T) {
	b := writeCSV(t, villages())
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(export.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0], villages().Header; !slices.Equal(got, want) {
		t.Errorf("header = %q, want %q", got, want)
	}
	tests := []struct {
		name     string
		row, col int
		want     string
	}{
		{"Vietnamese text is kept as UTF-8", 1, 0, "Thôn Phong Ý"},
		{"a Vietnamese answer is kept", 1, 4, "Đồng ý"},
		{"an int64 is written as an integer", 1, 1, "42"},
		{"an int is written as an integer", 2, 1, "3"},
		{"a float keeps the decimals it needs, after a decimal comma", 1, 2, "7,25"},
		{"a float with one decimal keeps it", 1, 3, "72,5"},
		{"a whole float has no decimal comma", 3, 2, "7"},
		{"a float is written in full rather than rounded away", 3, 3, strings.Replace(strconv.FormatFloat(100.0/3, 'f', -1, 64), ".", ",", 1)},
		{"a nil cell is empty", 2, 2, ""},
		{"a second nil cell in the row is empty too", 2, 3, ""},
		{"text that looks like a formula is defused", 2, 4, "'=1+1"},
		{"a lone dash is left alone", 3, 4, "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rows[tc.row][tc.col]; got != tc.want {
				t.Errorf("cell (%d, %d) = %q, want %q", tc.row, tc.col, got, tc.want)
			}
		})
	}
}

func TestCSVWritesDaysAndMomentsDayFirstInVietnamsTime(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(writeCSV(t, activities()), []byte(export.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[1], []string{"15/10/2026", "Hội thi", "300", "16/10/2026 03:03:05"}; !slices.Equal(got, want) {
		t.Errorf("row = %q, want %q", got, want)
	}
}

func TestCSVRefusesAnUnsupportedCell(t *testing.T) {
	var buf bytes.Buffer
	err := export.CSV(&buf, export.Table{Header: []string{"x"}, Rows: [][]any{{struct{}{}}}})
	if err == nil {
		t.Error("CSV with a struct cell succeeded, want an error")
	}
}

func writeXLSX(t *testing.T, tables ...export.Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.XLSX(&buf, tables...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXHasOneSheetPerTableAndReadsBack(t *testing.T) {
	b := writeXLSX(t, villages(), activities())
	got, err := export.ReadXLSX(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Nhận thức theo thôn", "Hoạt động"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q (and no default Sheet1)", got, want)
	}
	v, a := got["Nhận thức theo thôn"], got["Hoạt động"]
	if !slices.Equal(v[0], villages().Header) {
		t.Errorf("header = %q, want %q", v[0], villages().Header)
	}

	tests := []struct {
		name     string
		rows     [][]string
		row, col int
		want     string
	}{
		{"Vietnamese text is kept", v, 1, 0, "Thôn Phong Ý"},
		{"a Vietnamese answer is kept", v, 1, 4, "Đồng ý"},
		{"an int64 reads back", v, 1, 1, "42"},
		{"an int reads back", v, 2, 1, "3"},
		{"a float reads back", v, 1, 3, "72.5"},
		{"a nil cell reads back empty", v, 2, 2, ""},
		{"text that looks like a formula stays text", v, 2, 4, "=1+1"},
		{"the second table has its own rows", a, 1, 1, "Hội thi"},
		{"the second table keeps its numbers", a, 1, 2, "300"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rows[tc.row][tc.col]; got != tc.want {
				t.Errorf("cell (%d, %d) = %q, want %q", tc.row, tc.col, got, tc.want)
			}
		})
	}

	t.Run("numbers are stored as numbers and text as text", func(t *testing.T) {
		// Excelize writes a number with no t attribute, which OOXML defines as a number;
		// it reports that as CellTypeUnset, so an unset type with a value is a number.
		for _, c := range []struct {
			cell    string
			numeric bool
		}{{"B2", true}, {"D2", true}, {"C4", true}, {"A2", false}, {"E3", false}} {
			typ, err := f.GetCellType(firstSheet(f), c.cell)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := f.GetCellValue(firstSheet(f), c.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			numeric := (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) && raw != ""
			if numeric != c.numeric {
				t.Errorf("%s (%q) has type %v: numeric = %v, want %v", c.cell, raw, typ, numeric, c.numeric)
			}
			if c.numeric {
				if _, err := strconv.ParseFloat(raw, 64); err != nil {
					t.Errorf("%s = %q is not a number: %v", c.cell, raw, err)
				}
			}
		}
	})

	t.Run("a day and a moment are date cells shown day first in Vietnam's time", func(t *testing.T) {
		tests := []struct {
			cell, shown, format string
			serial              float64 // days since 30/12/1899
		}{
			{"A2", "15/10/2026", export.FormatDate, 46310},
			{"D2", "16/10/2026 03:03:05", export.FormatMoment, 46311 + (3*3600+3*60+5)/86400.0},
		}
		for _, tc := range tests {
			raw, err := f.GetCellValue("Hoạt động", tc.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := strconv.ParseFloat(raw, 64); err != nil || math.Abs(got-tc.serial) > 1e-9 {
				t.Errorf("%s = %q, want the date serial %v", tc.cell, raw, tc.serial)
			}
			if shown, _ := f.GetCellValue("Hoạt động", tc.cell); shown != tc.shown {
				t.Errorf("%s shows %q, want %q", tc.cell, shown, tc.shown)
			}
			id, err := f.GetCellStyle("Hoạt động", tc.cell)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := f.GetStyle(id); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != tc.format {
				t.Errorf("%s style = %+v, %v; want the number format %q", tc.cell, st, err, tc.format)
			}
		}
	})

	t.Run("a nil cell is left without a value", func(t *testing.T) {
		raw, err := f.GetCellValue(firstSheet(f), "C3", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if raw != "" {
			t.Errorf("C3 = %q, want empty", raw)
		}
	})

	t.Run("the header row is frozen, bold and shaded", func(t *testing.T) {
		panes, err := f.GetPanes(firstSheet(f))
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("panes = %+v, want the first row frozen", panes)
		}
		id, err := f.GetCellStyle(firstSheet(f), "A1")
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 {
			t.Errorf("header style = %+v, want bold with a fill", st)
		}
	})

	t.Run("columns are fitted to content and capped", func(t *testing.T) {
		wa, err := f.GetColWidth(firstSheet(f), "A")
		if err != nil {
			t.Fatal(err)
		}
		if wa < float64(len([]rune("Thôn Đồng Tâm"))) || wa > 60 {
			t.Errorf("column A width = %v, want at least the longest village name and at most 60", wa)
		}
	})
}

// firstSheet is the first sheet's name.
func firstSheet(f *excelize.File) string { return f.GetSheetName(0) }

func TestXLSXSheetNamesAreValidAndUnique(t *testing.T) {
	long := strings.Repeat("Đánh giá kết quả tuyên truyền ", 3)
	tests := []struct {
		name   string
		tables []string
		want   []string
	}{
		{"a long Vietnamese name is cut to 31 characters", []string{long}, []string{strings.TrimRight(string([]rune(long)[:31]), " ")}},
		{"names differing only in case get a number", []string{"Thôn", "THÔN"}, []string{"Thôn", "THÔN (2)"}},
		{"forbidden characters are replaced", []string{"Kết quả 2025/2026: [xã]"}, []string{"Kết quả 2025-2026- -xã-"}},
		{"an empty name gets a numbered default", []string{"", "Sheet1"}, []string{"Bảng 1", "Sheet1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tables []export.Table
			for _, n := range tc.tables {
				tables = append(tables, export.Table{Name: n, Header: []string{"A"}, Rows: [][]any{{int64(1)}}})
			}
			got, err := export.ReadXLSX(bytes.NewReader(writeXLSX(t, tables...)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for n := range got {
				names = append(names, n)
			}
			slices.Sort(names)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("sheets = %q, want %q", names, want)
			}
			for _, n := range names {
				if l := len([]rune(n)); l > 31 {
					t.Errorf("sheet %q has %d characters, want at most 31", n, l)
				}
			}
		})
	}
}

func TestPeriodsAreDateCellsInXLSXAndDayFirstInCSV(t *testing.T) {
	tests := []struct {
		name, period, raw, shown, csv string
	}{
		{"a month is its first day's serial, shown as month/year", "2026-11", "46327", "11/2026", "11/2026"},
		{"a year is its first day's serial, shown as the year", "2026", "46023", "2026", "2026"},
		{"a day stays a day", "2026-10-15", "46310", "15/10/2026", "15/10/2026"},
		{"a quarter, which no date format shows, is text people read", "2026-Q4", "Quý 4/2026", "Quý 4/2026", "Quý 4/2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := export.Table{Name: "Xu hướng", Header: []string{"Kỳ"}, Rows: [][]any{{vnfmt.Date(tt.period)}}}
			f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, tab)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			raw, err := f.GetCellValue(tab.Name, "A2", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			shown, err := f.GetCellValue(tab.Name, "A2")
			if err != nil {
				t.Fatal(err)
			}
			if raw != tt.raw || shown != tt.shown {
				t.Errorf("xlsx cell = %q shown as %q, want %q shown as %q", raw, shown, tt.raw, tt.shown)
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(writeCSV(t, tab)), export.BOM))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[1][0]; got != tt.csv {
				t.Errorf("csv cell = %q, want %q", got, tt.csv)
			}
		})
	}
}
