package authoring

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/nq58/tracker/internal/apperr"
)

// TableLimits bound an upload before anything is allocated for its rows: data rows under
// the header, and columns (a cell with a value past the last one is refused, not padded).
type TableLimits struct {
	Rows    int
	Columns int
}

// Columns of the imports here: the known ones and room for a few the organisers add
// (unknown columns are ignored).
const MaxImportColumns = 64

// Limits of an XLSX upload's parts, read as streams: a part is refused past them.
const (
	xlsxUnzipLimit    = 32 << 20 // every part together, as excelize opens the file
	xlsxUnzipXMLLimit = 8 << 20  // a part excelize keeps in memory; larger ones go to a temporary file
	xlsxPartLimit     = 16 << 20 // the bytes of the worksheet or shared strings read by the scan
	xlsxWorkbookLimit = 1 << 20  // workbook.xml and its relationships
	xlsxSharedStrings = "xl/sharedStrings.xml"
	xlsxWorkbook      = "xl/workbook.xml"
	xlsxWorkbookRels  = "xl/_rels/workbook.xml.rels"
)

// ReadTable reads a CSV or XLSX upload as the imports here do, for other services' bulk
// uploads too: one reader, so every upload has the same bounds (size, rows, columns,
// cells, shared strings), each checked while streaming and before the rows are built,
// cells trimmed and in Unicode NFC (files saved on some systems spell Vietnamese with
// combining marks), and errors in Vietnamese.
func ReadTable(contentType string, body []byte, lim TableLimits) ([][]string, error) {
	if len(body) == 0 {
		return nil, apperr.Errorf(apperr.Validation, "Tệp trống")
	}
	if len(body) > MaxImportBytes {
		return nil, apperr.Errorf(apperr.Validation, "Tệp quá lớn (tối đa %d MB)", MaxImportBytes>>20)
	}
	var rows [][]string
	var err error
	switch fileKind(contentType, body) {
	case ContentTypeCSV:
		rows, err = readCSV(body, lim)
	case ContentTypeXLSX:
		rows, err = readXLSX(body, lim)
	default:
		return nil, apperr.Errorf(apperr.Validation, "Chỉ nhận tệp CSV (UTF-8) hoặc Excel .xlsx")
	}
	if err != nil {
		return nil, err
	}
	count := 0
	for i, r := range rows {
		for j, c := range r {
			rows[i][j] = norm.NFC.String(strings.TrimSpace(c))
		}
		if i > 0 && !BlankRow(rows[i]) {
			count++
		}
	}
	if count == 0 {
		return nil, apperr.Errorf(apperr.Validation, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề")
	}
	if count > lim.Rows {
		return nil, tooManyRows(lim)
	}
	return rows, nil
}

func tooManyRows(lim TableLimits) error {
	return apperr.Errorf(apperr.Validation, "Tệp có quá nhiều dòng: tối đa %d dòng dữ liệu dưới dòng tiêu đề", lim.Rows)
}

func tooManyColumns(lim TableLimits) error {
	return apperr.Errorf(apperr.Validation, "Tệp có ô ngoài %d cột đầu: hãy xoá các cột thừa rồi tải lên lại", lim.Columns)
}

// readCSV checks the shape of every record (fields and records, counted on the raw bytes
// by CSV's own quoting rules) before the csv package builds one, so a line of a million
// commas costs a scan, not a million strings.
func readCSV(body []byte, lim TableLimits) ([][]string, error) {
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if !utf8.Valid(body) {
		return nil, apperr.Errorf(apperr.Validation, "Tệp CSV không phải mã UTF-8: trong Excel hãy lưu bằng “CSV UTF-8”")
	}
	comma := sniffComma(body)
	if err := csvShape(body, byte(comma), lim); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.Comma = comma
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, apperr.Errorf(apperr.Validation, "Không đọc được tệp CSV ở dòng %d: kiểm tra dấu ngoặc kép", pe.StartLine)
			}
			return nil, apperr.Errorf(apperr.Validation, "Không đọc được tệp CSV")
		}
		rows = append(rows, rec)
	}
}

// csvShape counts each record's fields and the records, outside quotes (a doubled quote
// inside a quoted field toggles twice, so the count stays right). Trailing empty
// separators (a sheet saved with blank columns) do not count as columns.
func csvShape(body []byte, comma byte, lim TableLimits) error {
	quoted := false
	records, fields, filled := 0, 1, 0
	endRecord := func() error {
		if filled > lim.Columns {
			return tooManyColumns(lim)
		}
		if filled > 0 {
			records++
		}
		if records > lim.Rows+1 {
			return tooManyRows(lim)
		}
		fields, filled = 1, 0
		return nil
	}
	cellHasText := false
	for _, b := range body {
		switch {
		case b == '"':
			quoted = !quoted
			cellHasText = true
		case quoted:
		case b == comma:
			if cellHasText {
				filled = fields
			}
			fields++
			cellHasText = false
		case b == '\n':
			if cellHasText {
				filled = fields
			}
			cellHasText = false
			if err := endRecord(); err != nil {
				return err
			}
		case b != '\r' && b != ' ' && b != '\t':
			cellHasText = true
		}
	}
	if cellHasText {
		filled = fields
	}
	return endRecord()
}

// sniffComma picks ";" when the header uses it (Excel does under locales, such as
// Vietnamese, whose decimal separator is a comma), "," otherwise.
func sniffComma(body []byte) rune {
	header, _, _ := bytes.Cut(body, []byte("\n"))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		return ';'
	}
	return ','
}

// readXLSX scans the first worksheet and the shared strings as XML streams (xlsxScan),
// refusing what is past the limits, and only then lets excelize read the rows, one at a
// time and never past the last allowed row. excelize pads a row up to its last cell, so
// one cell at column XFD would cost 16,384 strings a row: the scan refuses it first.
func readXLSX(body []byte, lim TableLimits) ([][]string, error) {
	if err := xlsxScan(body, lim); err != nil {
		return nil, err
	}
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit}
	f, err := excelize.OpenReader(bytes.NewReader(body), opts)
	if err != nil {
		return nil, unreadableXLSX()
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.Errorf(apperr.Validation, "Tệp Excel không có trang tính nào")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, apperr.Errorf(apperr.Validation, "Không đọc được trang tính %q", sheets[0])
	}
	defer func() { _ = it.Close() }()
	var rows [][]string
	last := 0 // rows up to the last one with a value, as excelize's GetRows
	for n := 1; n <= lim.Rows+1 && it.Next(); n++ {
		cells, err := it.Columns(opts)
		if err != nil {
			return nil, apperr.Errorf(apperr.Validation, "Không đọc được trang tính %q ở dòng %d", sheets[0], n)
		}
		if len(cells) > lim.Columns {
			return nil, tooManyColumns(lim) // the scan refuses these first; kept as the rule's second guard
		}
		rows = append(rows, cells)
		if len(cells) > 0 {
			last = len(rows)
		}
	}
	return rows[:last], nil
}

func unreadableXLSX() error {
	return apperr.Errorf(apperr.Validation, "Không đọc được tệp Excel .xlsx")
}

// xlsxScan reads the parts of an XLSX file that decide its cost as streams from the zip:
// the first worksheet's dimension, rows and cells (a cell with a value past the last
// column or row is refused) and the number of shared strings (at most one per allowed
// cell). It allocates per token, never per row or column.
func xlsxScan(body []byte, lim TableLimits) error {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return unreadableXLSX()
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	sheet, err := firstSheetPath(files)
	if err != nil {
		return err
	}
	maxCells := (lim.Rows + 1) * lim.Columns
	if f, ok := files[xlsxSharedStrings]; ok {
		n := 0
		err := scanXML(f, xlsxPartLimit, func(d *xml.Decoder, el xml.StartElement) error {
			if el.Name.Local == "si" {
				if n++; n > maxCells {
					return apperr.Errorf(apperr.Validation, "Tệp Excel có quá nhiều chuỗi ký tự (hơn %d): hãy chép dữ liệu sang một tệp mới", maxCells)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	f, ok := files[sheet]
	if !ok {
		return unreadableXLSX()
	}
	row := 0
	return scanXML(f, xlsxPartLimit, func(d *xml.Decoder, el xml.StartElement) error {
		switch el.Name.Local {
		case "dimension":
			_, last, _ := strings.Cut(attr(el, "ref"), ":")
			if last == "" {
				last = attr(el, "ref")
			}
			if c, r, err := excelize.CellNameToCoordinates(last); err == nil && (c > lim.Columns || r > lim.Rows+1) {
				return apperr.Errorf(apperr.Validation, "Trang tính ghi kích thước %s, vượt quá %d dòng × %d cột: hãy chép dữ liệu sang một tệp mới",
					attr(el, "ref"), lim.Rows+1, lim.Columns)
			}
		case "row":
			row++
			if r := attr(el, "r"); r != "" {
				n, err := positive(r)
				if err != nil {
					return unreadableXLSX()
				}
				row = n
			}
		case "c":
			return scanCell(d, el, row, lim)
		}
		return nil
	})
}

// scanCell refuses a cell with a value (or a formula) past the limits; an empty styled
// cell is no cost and passes.
func scanCell(d *xml.Decoder, el xml.StartElement, row int, lim TableLimits) error {
	valued := false
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return unreadableXLSX()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			valued = valued || t.Name.Local == "v" || t.Name.Local == "f" || t.Name.Local == "is"
		case xml.EndElement:
			depth--
		}
	}
	if !valued {
		return nil
	}
	if ref := attr(el, "r"); ref != "" {
		c, r, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			return unreadableXLSX()
		}
		if c > lim.Columns {
			return tooManyColumns(lim)
		}
		row = r
	}
	if row > lim.Rows+1 {
		return tooManyRows(lim)
	}
	return nil
}

// firstSheetPath finds the first worksheet's part through the workbook's relationships,
// the part excelize reads as the first sheet.
func firstSheetPath(files map[string]*zip.File) (string, error) {
	var id string
	err := scanXML(files[xlsxWorkbook], xlsxWorkbookLimit, func(_ *xml.Decoder, el xml.StartElement) error {
		if el.Name.Local == "sheet" && id == "" {
			id = attr(el, "id")
		}
		return nil
	})
	if err != nil || id == "" {
		return "", unreadableXLSX()
	}
	var target string
	err = scanXML(files[xlsxWorkbookRels], xlsxWorkbookLimit, func(_ *xml.Decoder, el xml.StartElement) error {
		if el.Name.Local == "Relationship" && attr(el, "Id") == id {
			target = attr(el, "Target")
		}
		return nil
	})
	if err != nil || target == "" {
		return "", unreadableXLSX()
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/"), nil
	}
	return path.Join(path.Dir(xlsxWorkbook), target), nil
}

// scanXML streams one zip part's XML through fn, start element by start element, and
// refuses a part longer than limit bytes (whatever its header claims).
func scanXML(f *zip.File, limit int64, fn func(*xml.Decoder, xml.StartElement) error) error {
	if f == nil {
		return unreadableXLSX()
	}
	rc, err := f.Open()
	if err != nil {
		return unreadableXLSX()
	}
	defer func() { _ = rc.Close() }()
	lr := &io.LimitedReader{R: rc, N: limit + 1}
	d := xml.NewDecoder(lr)
	for {
		tok, err := d.Token()
		if err != nil {
			if lr.N <= 0 {
				return apperr.Errorf(apperr.Validation, "Tệp Excel quá lớn khi giải nén (tối đa %d MB một phần)", limit>>20)
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return unreadableXLSX()
		}
		if el, ok := tok.(xml.StartElement); ok {
			if err := fn(d, el); err != nil {
				return err
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// positive parses a row number of the sheet (1 … 1,048,576).
func positive(s string) (int, error) {
	n := 0
	if s == "" || len(s) > 7 {
		return 0, errors.New("bad row number")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("bad row number")
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > excelize.TotalRows {
		return 0, errors.New("bad row number")
	}
	return n, nil
}

// RowsFailed summarises row errors as one validation error, as the imports do.
func RowsFailed(errs []RowError) error { return rowsFailed(errs) }
