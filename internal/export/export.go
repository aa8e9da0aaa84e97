// Package export writes report tables as CSV and XLSX files for officers, who open them
// in Excel or LibreOffice to print, forward and file with the annual evaluation. It knows
// nothing of storage nor of what the tables say: it only lays out Table values, which
// the reports and the contest exports build.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/vnfmt"
)

// Table is a table for CSV and XLSX export.
type Table struct {
	Name   string // sheet name (≤ 31 characters)
	Header []string
	Rows   [][]any // string, int64, float64 or nil (empty cell)
}

// BOM is the UTF-8 byte order mark. Excel reads a CSV file without it in the system's
// legacy code page, which turns Vietnamese letters into mojibake.
const BOM = "\ufeff"

// CSV writes one table: a BOM, the header row, then the rows, with CRLF line endings as
// RFC 4180 and Excel expect.
func CSV(w io.Writer, t Table) error { return CSVRows(w, t, true) }

// CSVRows writes a table's header (when it has one) and rows, with the BOM only when
// asked: a file assembled from pages has its BOM and header on the first page only.
func CSVRows(w io.Writer, t Table, bom bool) error {
	if bom {
		if _, err := io.WriteString(w, BOM); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if len(t.Header) > 0 {
		if err := cw.Write(t.Header); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
	}
	for i, row := range t.Rows {
		rec := make([]string, len(row))
		for j, v := range row {
			s, err := text(v)
			if err != nil {
				return fmt.Errorf("export csv: row %d, column %d: %w", i+1, j+1, err)
			}
			if _, isString := v.(string); isString {
				s = defuseFormula(s)
			}
			rec[j] = s
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

// defuseFormula keeps a spreadsheet from running text that residents typed (names,
// notes, open answers) as a formula when it opens the CSV: a leading apostrophe makes
// the cell plain text. A lone sign, such as "-" for "no data", is not a formula.
func defuseFormula(s string) string {
	if len(s) > 1 && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// text formats one cell as the CSV shows it and as column widths measure it: the
// Vietnamese style of package vnfmt (decimal comma, thousands dot, "62,1 %", mm:ss).
func text(v any) (string, error) { return vnfmt.Text(v) }

// Sheet layout.
const (
	maxSheetName = 31 // Excel's limit, in UTF-16 units
	minColWidth  = 8
	maxColWidth  = 60
	defaultSheet = "Sheet1" // the sheet excelize.NewFile starts with
)

// Number formats of the XLSX cells. They are stored in Excel's neutral syntax ("," groups
// thousands, "." marks decimals) and shown in the reader's locale, so a Vietnamese Excel
// shows 1.234 and 62,1 %: the numbers stay numeric (officers sum and chart them) while
// they read as on the pages.
const (
	FormatInt      = "#,##0"
	FormatFloat    = "#,##0.0##"
	FormatPercent  = "0.0 %"   // the value is a fraction: 0.621 shows 62,1 %
	FormatDuration = "[mm]:ss" // the value is a fraction of a day; minutes go past 59
	FormatDate     = "dd/mm/yyyy"
	FormatMonth    = "mm/yyyy"
	FormatYear     = "yyyy"
	FormatMoment   = "dd/mm/yyyy hh:mm:ss" // the value is Vietnam's wall clock as a date serial
)

// styles are a workbook's cell styles.
type styles struct{ header, integer, float, percent, duration, date, month, year, moment int }

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
	})
	if err != nil {
		return st, fmt.Errorf("header style: %w", err)
	}
	for _, s := range []struct {
		id  *int
		fmt string
	}{{&st.integer, FormatInt}, {&st.float, FormatFloat}, {&st.percent, FormatPercent}, {&st.duration, FormatDuration},
		{&st.date, FormatDate}, {&st.month, FormatMonth}, {&st.year, FormatYear}, {&st.moment, FormatMoment}} {
		format := s.fmt
		if *s.id, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return st, fmt.Errorf("number style %q: %w", s.fmt, err)
		}
	}
	return st, nil
}

// XLSX writes a workbook with one sheet per table: a bold, shaded header row frozen at
// the top, numbers as numbers in the Vietnamese style (FormatInt and the others), phones
// as text and columns wide enough to read.
func XLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	names := sheetNames(tables)
	for i, t := range tables {
		// The first table takes over the default sheet instead of leaving an empty one.
		if i == 0 {
			err = f.SetSheetName(defaultSheet, names[i])
		} else {
			_, err = f.NewSheet(names[i])
		}
		if err != nil {
			return fmt.Errorf("export xlsx: sheet %q: %w", names[i], err)
		}
		if err := writeSheet(f, names[i], t, st); err != nil {
			return fmt.Errorf("export xlsx: sheet %q: %w", names[i], err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, sheet string, t Table, st styles) error {
	widths := make([]int, len(t.Header))
	measure := func(col int, s string) {
		for len(widths) <= col {
			widths = append(widths, 0)
		}
		// The widest line counts: a wrapped header or a note with line breaks.
		for line := range strings.SplitSeq(s, "\n") {
			widths[col] = max(widths[col], utf8.RuneCountInString(line))
		}
	}
	for j, h := range t.Header {
		if err := f.SetCellStr(sheet, cellName(j, 1), h); err != nil {
			return err
		}
		measure(j, h)
	}
	if len(t.Header) > 0 {
		if err := f.SetCellStyle(sheet, cellName(0, 1), cellName(len(t.Header)-1, 1), st.header); err != nil {
			return err
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
			return err
		}
	}
	first := 1
	if len(t.Header) > 0 {
		first = 2
	}
	for i, row := range t.Rows {
		for j, v := range row {
			s, err := text(v)
			if err != nil {
				return fmt.Errorf("row %d, column %d: %w", i+1, j+1, err)
			}
			measure(j, s)
			if err := setCell(f, sheet, cellName(j, first+i), v, st); err != nil {
				return err
			}
		}
	}
	for j, n := range widths {
		width := float64(min(maxColWidth, max(minColWidth, n+2)))
		col, err := excelize.ColumnNumberToName(j + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// setCell writes one value with its own type and number format; nil and non-finite
// numbers leave the cell empty rather than writing a blank string, so COUNT and AVERAGE
// skip it. A phone is a text cell: as a number it would lose its leading 0.
func setCell(f *excelize.File, sheet, cell string, v any, st styles) error {
	number := func(x float64, style int) error {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		if err := f.SetCellFloat(sheet, cell, x, -1, 64); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	switch x := v.(type) {
	case string:
		return f.SetCellStr(sheet, cell, x)
	case vnfmt.Phone:
		return f.SetCellStr(sheet, cell, vnfmt.PhoneText(string(x)))
	case int:
		return setCell(f, sheet, cell, int64(x), st)
	case int64:
		if err := f.SetCellInt(sheet, cell, x); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, st.integer)
	case float64:
		return number(x, st.float)
	case vnfmt.Percent:
		return number(float64(x)/100, st.percent)
	case vnfmt.Duration:
		return number(float64(time.Duration(x).Round(time.Second))/float64(24*time.Hour), st.duration)
	case vnfmt.Date:
		d, layout, ok := vnfmt.ParseDate(string(x))
		if !ok { // a quarter or other text: written as the CSV writes it
			return f.SetCellStr(sheet, cell, vnfmt.DateText(string(x)))
		}
		// A month or a year is a date cell too (its first day), so a spreadsheet sorts
		// and charts it as time, shown as 11/2026 or 2026.
		style := map[string]int{vnfmt.MonthLayout: st.month, vnfmt.YearLayout: st.year}[layout]
		if style == 0 {
			style = st.date
		}
		return number(dateSerial(d), style)
	case vnfmt.Moment:
		if time.Time(x).IsZero() {
			return nil
		}
		return number(dateSerial(time.Time(x).In(vnfmt.Vietnam).Truncate(time.Second)), st.moment)
	case *float64:
		if x == nil {
			return nil
		}
		return setCell(f, sheet, cell, *x, st)
	case *int64:
		if x == nil {
			return nil
		}
		return setCell(f, sheet, cell, *x, st)
	case *vnfmt.Percent:
		if x == nil {
			return nil
		}
		return setCell(f, sheet, cell, *x, st)
	}
	return nil // nil; other types were refused by text
}

// dateSerial is t's wall clock as a spreadsheet date: days since 30/12/1899, the time of
// day as the fraction (right for every date after 28/02/1900).
func dateSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return float64(wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC))) / float64(24*time.Hour)
}

func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil { // only for columns past XFD, which no report has
		panic(err)
	}
	return name
}

// sheetNames makes every table name a valid, unique sheet name: Excel refuses
// : \ / ? * [ ], a leading or trailing apostrophe and more than 31 characters, and
// compares names ignoring case.
func sheetNames(tables []Table) []string {
	seen := map[string]bool{}
	names := make([]string, len(tables))
	for i, t := range tables {
		base := strings.Map(func(r rune) rune {
			switch {
			case r < ' ':
				return -1
			case strings.ContainsRune(`:\/?*[]`, r):
				return '-'
			}
			return r
		}, t.Name)
		base = strings.TrimSpace(strings.Trim(base, "'"))
		if base == "" {
			base = "Bảng " + strconv.Itoa(i+1)
		}
		name := truncateUTF16(base, maxSheetName)
		for n := 2; seen[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = truncateUTF16(base, maxSheetName-len(suffix)) + suffix
		}
		seen[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// truncateUTF16 cuts s to at most n UTF-16 units, the unit Excel counts in, without
// splitting a character, and drops a trailing space or apostrophe the cut exposed.
func truncateUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		used += len(utf16.Encode([]rune{r}))
		if used > n {
			return strings.TrimRight(s[:i], " '")
		}
	}
	return s
}

// ReadXLSX reads every sheet of a workbook as text rows, by sheet name. Trailing empty
// cells of a row are not returned.
func ReadXLSX(r io.Reader) (map[string][][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("read xlsx: %w", err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, fmt.Errorf("read xlsx: sheet %q: %w", sheet, err)
		}
		out[sheet] = rows
	}
	return out, nil
}
