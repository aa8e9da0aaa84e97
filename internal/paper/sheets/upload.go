package sheets

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Bounds of a meeting's upload: rows, and columns (code, village, birthYear, gender,
// organization, a few the collectors add, and q1…q500: a quiz holds at most 500 questions).
const (
	MaxUploadRows    = 1000
	MaxUploadColumns = 512
)

// UploadResult answers an upload: sheets entered now, sheets entered before with the
// same content (a re-upload), or every row error (and then nothing was written).
type UploadResult struct {
	Entered   int                  `json:"entered"`
	Unchanged int                  `json:"unchanged"`
	Errors    []authoring.RowError `json:"errors,omitempty"`
}

var answerColumn = regexp.MustCompile(`^(?:q|câu|cau)(\d+)$`)

// Upload enters a meeting's sheets from a CSV or XLSX file, one row per sheet: code,
// village (id or name, optional), birthYear, gender, organization, q1…qN (the ticked
// box letters, e.g. "B" or "AC"; Đ/S for true/false; 1–5 for a scale). Every row is
// checked and graded before anything is written; any error and nothing is. Sheets are
// then written one by one, each idempotent, so a failure midway is finished by
// uploading the same file again.
func (s *Service) Upload(ctx context.Context, staff auth.Staff, contentType string, body []byte) (UploadResult, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return UploadResult{}, err
	}
	// The role first (403), before the file is read; each sheet's village is checked by row.
	if err := auth.Authorize(staff, auth.CollectSheets, auth.UnitTarget(staff.ScopeUnitID), tree); err != nil {
		return UploadResult{}, err
	}
	rows, err := authoring.ReadTable(contentType, body, authoring.TableLimits{Rows: MaxUploadRows, Columns: MaxUploadColumns})
	if err != nil {
		return UploadResult{}, err
	}
	col := map[string]int{}
	var qcols []int // question number → column
	var errs []authoring.RowError
	for i, h := range rows[0] {
		name := authoring.HeaderName(h)
		if m := answerColumn.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			for len(qcols) < n {
				qcols = append(qcols, -1)
			}
			qcols[n-1] = i
			continue
		}
		col[name] = i
	}
	if _, ok := col["code"]; !ok {
		errs = append(errs, authoring.RowError{Row: 1, Column: "code", Message: "Thiếu cột \"code\" (mã phiếu)"})
	}
	if len(errs) > 0 {
		return UploadResult{Errors: errs}, authoring.RowsFailed(errs)
	}
	get := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	prints := map[string]paper.Print{}
	quizzes := map[string]quiz.Quiz{}
	seen := map[string]int{}
	var ready []prepared
	for i := 1; i < len(rows); i++ {
		r, n := rows[i], i+1
		if authoring.BlankRow(r) {
			continue
		}
		rowErr := func(column, format string, args ...any) {
			errs = append(errs, authoring.RowError{Row: n, Column: column, Message: fmt.Sprintf(format, args...)})
		}
		code := normCode(get(r, "code"))
		if code == "" {
			rowErr("code", "Mã phiếu %q không hợp lệ", get(r, "code"))
			continue
		}
		if first, dup := seen[code]; dup {
			rowErr("code", "Mã phiếu %s đã có ở dòng %d", code, first)
			continue
		}
		seen[code] = n
		sh, err := s.store.GetSheet(ctx, code)
		if apperr.CodeOf(err) == apperr.NotFound {
			rowErr("code", "Không có phiếu mã %s", code)
			continue
		}
		if err != nil {
			return UploadResult{}, err
		}
		if !auth.May(staff, auth.CollectSheets, auth.UnitTarget(sh.UnitID), tree) {
			rowErr("code", "Không có phiếu mã %s", code) // out of scope reads as unknown
			continue
		}
		if v := get(r, "village"); v != "" {
			u, _ := tree.Get(sh.UnitID)
			if v != sh.UnitID && !strings.EqualFold(v, u.Name) {
				rowErr("village", "Phiếu %s in cho %s, không phải %q", code, u.Name, v)
				continue
			}
		}
		p, ok := prints[sh.PrintID]
		if !ok {
			if p, err = s.store.GetPrint(ctx, sh.PrintID); err != nil {
				return UploadResult{}, err
			}
			prints[p.ID] = p
		}
		q, ok := quizzes[p.QuizID]
		if !ok {
			if q, err = s.sheetQuiz(ctx, p.QuizID); err != nil {
				rowErr("code", "%s", apperr.MessageOf(err))
				continue
			}
			// A closed quiz refuses the whole file (nothing is written, as with any error).
			if err := s.checkNotClosed(q); err != nil {
				return UploadResult{}, err
			}
			quizzes[q.ID] = q
		}
		in := EntryRequest{Channel: quiz.ChannelPaper, Gender: get(r, "gender"), Organization: get(r, "organization")}
		if y := get(r, "birthyear"); y != "" {
			if in.BirthYear, err = strconv.Atoi(y); err != nil {
				rowErr("birthYear", "Năm sinh %q không phải số", y)
				continue
			}
		}
		questions := paper.PrintedQuestions(q, p)
		bad := false
		for k, c := range qcols {
			v := ""
			if c >= 0 && c < len(r) {
				v = r[c]
			}
			if v == "" {
				continue
			}
			if k >= len(questions) {
				rowErr(fmt.Sprintf("q%d", k+1), "Phiếu %s chỉ có %d câu", code, len(questions))
				bad = true
				continue
			}
			ans, err := questions[k].Kind.ParseBox(questions[k], v)
			if err != nil {
				rowErr(fmt.Sprintf("q%d", k+1), "%s", err.Error())
				bad = true
				continue
			}
			in.Answers = append(in.Answers, ans)
		}
		if bad {
			continue
		}
		pr, err := s.prepare(staff, sh, p, q, in)
		if err != nil {
			if apperr.CodeOf(err) == apperr.Validation || apperr.CodeOf(err) == apperr.Conflict {
				rowErr("", "%s", apperr.MessageOf(err))
				continue
			}
			return UploadResult{}, err
		}
		ready = append(ready, pr)
	}
	if len(errs) > 0 {
		return UploadResult{Errors: errs}, authoring.RowsFailed(errs)
	}
	var out UploadResult
	for _, pr := range ready {
		res, err := s.write(ctx, staff, pr)
		if err != nil {
			return UploadResult{}, err
		}
		if res.Created {
			out.Entered++
		} else {
			out.Unchanged++
		}
	}
	return out, nil
}
