package authoring_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/authoring"
)

// craftedXLSX writes a workbook by hand, as an attacker would: sheet1.xml holds
// dimension (when not empty) and then body, the rows' XML.
func craftedXLSX(t *testing.T, dimension, body string) []byte {
	t.Helper()
	parts := []struct{ name, text string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			dimension + `<sheetData>` + body + `</sheetData></worksheet>`},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rowsXML is a header row "code" and then n rows, each with one value at column col
// (an Excel column name such as "XFD").
func rowsXML(n int, col string) string {
	var b strings.Builder
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>`)
	for r := 2; r <= n+1; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="%s%d"><v>%d</v></c></row>`, r, col, r, r)
	}
	return b.String()
}

// allocated is what fn allocated on the heap, in MB (runtime.MemStats.TotalAlloc: every
// allocation counts, whether or not it is collected before the peak).
func allocated(fn func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
}

func TestASpreadsheetIsBoundedBeforeItsRowsAreBuilt(t *testing.T) {
	lim := authoring.TableLimits{Rows: 1000, Columns: 512} // a paper-sheet upload's limits
	attack := craftedXLSX(t, "", rowsXML(1000, "XFD"))
	t.Logf("the attack file: %d bytes, 1,000 rows with one value at column XFD", len(attack))

	t.Run("one value at column XFD in each of 1,000 rows is refused and costs under 50 MB", func(t *testing.T) {
		var err error
		mb := allocated(func() { _, err = authoring.ReadTable(authoring.ContentTypeXLSX, attack, lim) })
		t.Logf("reading the attack file allocated %.1f MB", mb)
		if apperr.CodeOf(err) != apperr.Validation {
			t.Errorf("error = %v, want a validation error (422)", err)
		}
		if mb >= 50 {
			t.Errorf("allocated %.1f MB, want under 50 MB", mb)
		}
	})

	cases := []struct {
		name string
		file []byte
		want string // part of the Vietnamese message; "" for a file that is read
	}{
		{"a sheet whose dimension reaches column XFD is refused", craftedXLSX(t, `<dimension ref="A1:XFD3"/>`, rowsXML(2, "B")), "kích thước A1:XFD3"},
		{"a sheet whose dimension has a million rows is refused", craftedXLSX(t, `<dimension ref="A1:B1048576"/>`, rowsXML(2, "B")), "kích thước"},
		{"a value past the last allowed row is refused", craftedXLSX(t, "", rowsXML(2, "B")+`<row r="1500"><c r="A1500"><v>1</v></c></row>`), "quá nhiều dòng"},
		{"a value in the 513th column is refused", craftedXLSX(t, "", rowsXML(2, "SS")), "ngoài 512 cột"},
		{"a value in the 512th column is read", craftedXLSX(t, "", rowsXML(2, "SR")), ""},
		{"an empty styled cell far to the right and an empty styled row far below cost nothing and pass",
			craftedXLSX(t, "", rowsXML(2, "B")+`<row r="3"><c r="XFD3" s="1"/></row><row r="900000" s="1"/>`), ""},
		{"more shared strings than cells are refused", sharedStringsXLSX(t, 1001*512+1), "quá nhiều chuỗi"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := authoring.ReadTable(authoring.ContentTypeXLSX, c.file, lim)
			if c.want == "" {
				if err != nil || len(rows) != 3 {
					t.Fatalf("rows = %d, error %v; want the header and 2 rows", len(rows), err)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.Validation || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want a validation error saying %q", err, c.want)
			}
		})
	}
}

// sharedStringsXLSX is a two-row sheet whose shared string table holds n strings.
func sharedStringsXLSX(t *testing.T, n int) []byte {
	t.Helper()
	file := craftedXLSX(t, "", rowsXML(2, "B"))
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, n, n)
	for range n {
		_, _ = w.Write([]byte(`<si><t/></si>`))
	}
	_, _ = w.Write([]byte(`</sst>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestACSVIsBoundedBeforeItsRecordsAreBuilt(t *testing.T) {
	lim := authoring.TableLimits{Rows: 3, Columns: 4}
	cases := []struct {
		name string
		file string
		want string // part of the message; "" when read
	}{
		{"four columns and three rows are read", "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n", ""},
		{"trailing empty columns and blank lines are no columns or rows", "a,b,c,d,,,,\n1,2,3,4,,,\n\n\n1,2,3,4\n1,2,3,4\n", ""},
		{"separators inside quotes are text", "a,b,c,d\n\"1,2,3,4,5,6\",2,3,4\n1,2,3,4\n1,2,3,4\n", ""},
		{"a value in a fifth column is refused", "a,b,c,d\n1,2,3,4,5\n", "ngoài 4 cột"},
		{"a line of a million separators with a value at its end is refused", "a\n" + strings.Repeat(",", 1_000_000) + "x\n", "ngoài 4 cột"},
		{"a fourth data row is refused", "a,b,c,d\n1\n2\n3\n4\n", "quá nhiều dòng"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			mb := allocated(func() { _, err = authoring.ReadTable(authoring.ContentTypeCSV, []byte(c.file), lim) })
			if c.want == "" {
				if err != nil {
					t.Fatalf("error = %v, want the file read", err)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.Validation || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want a validation error saying %q", err, c.want)
			}
			if mb >= 10 {
				t.Errorf("refusing it allocated %.1f MB, want under 10 MB", mb)
			}
		})
	}
}
