// Package export writes report tables as CSV and XLSX files for officers, who open them
// in Excel or LibreOffice to print, forward and file with the annual evaluation. It knows
// nothing of storage: it only lays out report.Table values.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/nq58/tracker/internal/report"
)

// BOM is the UTF-8 byte order mark. Excel reads a CSV file without it in the system's
// legacy code page, which turns Vietnamese letters into mojibake.
const BOM = "\ufeff"

// CSV writes one table: a BOM, the header row, then the rows, with CRLF line endings as
// RFC 4180 and Excel expect.
func CSV(w io.Writer, t report.Table) error { return CSVRows(w, t, true) }

// CSVRows writes a table's header (when it has one) and rows, with the BOM only when
// asked: a file assembled from pages has its BOM and header on the first page only.
func CSVRows(w io.Writer, t report.Table, bom bool) error {
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

// text formats one cell as the CSV shows it and as column widths measure it.
func text(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return formatFloat(x), nil
	case *float64:
		if x == nil {
			return "", nil
		}
		return formatFloat(*x), nil
	case *int64:
		if x == nil {
			return "", nil
		}
		return strconv.FormatInt(*x, 10), nil
	}
	// Failing beats printing a Go value into a report someone will sign.
	return "", fmt.Errorf("unsupported cell type %T", v)
}

// formatFloat writes the shortest text that reads back as the same number: reports round
// their rates to one decimal before, so 72.5 stays "72.5" and 80 is "80", not "80.0".
// NaN and infinities have no spreadsheet form; they are left empty.
func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Sheet layout.
const (
	maxSheetName = 31 // Excel's limit, in UTF-16 units
	minColWidth  = 8
	maxColWidth  = 60
	defaultSheet = "Sheet1" // the sheet excelize.NewFile starts with
)

// XLSX writes a workbook with one sheet per table: a bold, shaded header row frozen at
// the top, numbers as numbers (so officers can sum and chart them) and columns wide
// enough to read.
func XLSX(w io.Writer, tables ...report.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
	})
	if err != nil {
		return fmt.Errorf("export xlsx: header style: %w", err)
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
		if err := writeSheet(f, names[i], t, header); err != nil {
			return fmt.Errorf("export xlsx: sheet %q: %w", names[i], err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, sheet string, t report.Table, headerStyle int) error {
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
		if err := f.SetCellStyle(sheet, cellName(0, 1), cellName(len(t.Header)-1, 1), headerStyle); err != nil {
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
			if err := setCell(f, sheet, cellName(j, first+i), v); err != nil {
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

// setCell writes one value with its own type; nil and non-finite numbers leave the cell
// empty rather than writing a blank string, so COUNT and AVERAGE skip it.
func setCell(f *excelize.File, sheet, cell string, v any) error {
	switch x := v.(type) {
	case string:
		return f.SetCellStr(sheet, cell, x)
	case int:
		return f.SetCellInt(sheet, cell, int64(x))
	case int64:
		return f.SetCellInt(sheet, cell, x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return f.SetCellFloat(sheet, cell, x, -1, 64)
	case *float64:
		if x == nil {
			return nil
		}
		return setCell(f, sheet, cell, *x)
	case *int64:
		if x == nil {
			return nil
		}
		return f.SetCellInt(sheet, cell, *x)
	}
	return nil // nil; other types were refused by text
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
func sheetNames(tables []report.Table) []string {
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
