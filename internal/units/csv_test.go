package units

// Tests of ParseCSV (csv.go).

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
)

func TestParseCSV(t *testing.T) {
	t.Run("a file with a BOM, columns in any order and an extra column parses", func(t *testing.T) {
		in := "\ufeffname,id,kind,parentId,households,population,note\r\n" +
			"Tỉnh Thanh Hóa,th,province,,,,\r\n" +
			"Xã Cẩm Thủy,xa-a,commune,th,0,0,\r\n" +
			"\"Thôn Phong Ý, Cẩm Thủy\",t01,village,xa-a, 241 ,842,ghi chú\r\n"
		got, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			t.Fatalf("ParseCSV error = %v", err)
		}
		want := []Unit{
			{ID: "th", Name: "Tỉnh Thanh Hóa", Kind: "province"},
			{ID: "xa-a", ParentID: "th", Name: "Xã Cẩm Thủy", Kind: "commune"},
			{ID: "t01", ParentID: "xa-a", Name: "Thôn Phong Ý, Cẩm Thủy", Kind: "village", Population: 842, Households: 241},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseCSV =\n%+v\nwant\n%+v", got, want)
		}
	})

	header := "id,parentId,name,kind,population,households\n"
	tests := []struct {
		name     string
		in       string
		contains []string
	}{
		{"a population that is not a number names its row and column",
			header + "th,,Tỉnh,province,0,0\nt1,th,Thôn 1,village,nhiều,10\n", []string{"row 3", "population", "nhiều"}},
		{"a negative households count names its row and column",
			header + "th,,Tỉnh,province,0,0\nt1,th,Thôn 1,village,5,10\nt2,th,Thôn 2,village,5,-2\n", []string{"row 4", "households"}},
		{"every bad row is reported",
			header + "th,,Tỉnh,province,x,0\nt1,th,,village,5,10\n", []string{"row 2", "population", "row 3", "name"}},
		{"a missing column is an error", "id,parentId,name,kind,population\nth,,Tỉnh,province,0\n", []string{`"households"`}},
		{"an empty file is an error", "", []string{"header"}},
		{"a missing parent is an error", header + "t1,th,Thôn 1,village,5,10\n", []string{"th"}},
		{"a duplicate id is an error", header + "th,,Tỉnh,province,0,0\nth,,Tỉnh,province,0,0\n", []string{"th"}},
		{"a malformed quote is an error", header + "th,,\"Tỉnh,province,0,0\n", []string{"row 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCSV(strings.NewReader(tt.in))
			if got != nil {
				t.Errorf("ParseCSV = %v, want nil units", got)
			}
			apperrtest.WantCode(t, err, apperr.Validation, "ParseCSV")
			if err == nil {
				return
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("ParseCSV error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestParseCSVDemoFile(t *testing.T) {
	f, err := os.Open("../../internal/demo/units.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units, err := ParseCSV(f)
	if err != nil {
		t.Fatalf("ParseCSV(demo units.csv) error = %v", err)
	}
	kinds := map[string]int{}
	for _, u := range units {
		kinds[u.Kind]++
		if u.Kind == "village" && u.Population <= 0 {
			t.Errorf("village %s (%s) has population %d, want > 0", u.ID, u.Name, u.Population)
		}
	}
	if got, want := kinds["commune"], 2; got != want {
		t.Errorf("demo units.csv has %d communes, want %d", got, want)
	}
	if kinds["village"] == 0 {
		t.Errorf("demo units.csv has no villages")
	}
	tree, err := NewTree(units)
	if err != nil {
		t.Fatalf("NewTree(demo units) error = %v", err)
	}
	for _, u := range units {
		if got, want := tree.IsLeaf(u.ID), u.Kind == "village"; got != want {
			t.Errorf("demo unit %s (%s): IsLeaf = %v, want %v", u.ID, u.Kind, got, want)
		}
	}
}
