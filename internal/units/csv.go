package units

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
)

// unitColumns are the columns of a unit CSV file, in any order; extra columns are ignored.
var unitColumns = []string{"id", "parentId", "name", "kind", "population", "households"}

// ParseCSV reads a unit tree from CSV (UTF-8, optional BOM, header row). Errors
// name the row and column; a file with any error yields no units.
func ParseCSV(r io.Reader) ([]Unit, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, apperr.Errorf(apperr.Validation, "units CSV: cannot read the header row")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, c := range unitColumns {
		if _, ok := col[c]; !ok {
			return nil, apperr.Errorf(apperr.Validation, "units CSV: missing column %q", c)
		}
	}
	var units []Unit
	var problems []string
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, apperr.Errorf(apperr.Validation, "units CSV row %d: %v", row, err)
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		num := func(c string) int {
			s := get(c)
			if s == "" {
				return 0
			}
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				problems = append(problems, fmt.Sprintf("row %d, column %s: %q is not a whole number", row, c, s))
			}
			return n
		}
		u := Unit{ID: get("id"), ParentID: get("parentId"), Name: get("name"), Kind: get("kind"),
			Population: num("population"), Households: num("households")}
		if err := u.Validate(); err != nil {
			problems = append(problems, fmt.Sprintf("row %d: %s", row, apperr.MessageOf(err)))
		}
		units = append(units, u)
	}
	if len(problems) > 0 {
		return nil, apperr.Errorf(apperr.Validation, "units CSV: %s", strings.Join(problems, "; "))
	}
	if _, err := NewTree(units); err != nil {
		return nil, err
	}
	return units, nil
}
