// Package activity is the domain of the informing-activity log: what officers record
// of the plan's forms of informing (section II.2) and its rules.
package activity

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/usertext"
)

// Limits of an activity record.
const (
	// The plan dates from 2020 (Resolution 58 of 05/8/2020); an earlier date is a typo.
	earliestDate = "2020-01-01"
	// A commune has a few thousand residents; a province-wide broadcast stays far below this.
	maxAudience = 1_000_000
	maxNote     = 1000 // characters
	// DateLayout is how an activity's date is written.
	DateLayout = "2006-01-02"
)

// TypePaper is an entry session of paper or assisted sheets (internal/paper): written by
// the entry itself, its audience the number of sheets entered.
const TypePaper = "paper"

// Types are the plan's forms of informing (section II.2).
var Types = []struct{ Code, Label string }{
	{"portal", "Bài trên trang thông tin điện tử"},
	{"loudspeaker", "Phát thanh trên loa xã, thôn"},
	{"visual", "Tuyên truyền trực quan (pano, áp phích)"},
	{"conference", "Hội nghị, sinh hoạt cộng đồng"},
	{"cultural", "Hoạt động văn hóa, văn nghệ"},
	{"contest", "Hội thi"},
	{"mobile", "Thông tin lưu động"},
	{TypePaper, "Thu và nhập phiếu giấy"},
	{"other", "Khác"},
}

// Label names an activity type.
func Label(code string) string {
	for _, t := range Types {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// Activity is an informing activity a staff member recorded.
type Activity struct {
	ID        string    `json:"id"`
	UnitID    string    `json:"unitId"`
	Type      string    `json:"type" jsonschema:"required"`
	Date      string    `json:"date" jsonschema:"required,format=date"` // YYYY-MM-DD
	Topics    []string  `json:"topics"`
	Audience  int       `json:"audience" jsonschema:"minimum=0,maximum=1000000"`
	Note      string    `json:"note" jsonschema:"maxLength=1000"`
	CreatedBy string    `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
}

// Normalize validates the fields a client sends and puts them in canonical form; now
// is the clock, as the commune's "today" bounds the date.
func (a *Activity) Normalize(now time.Time) error {
	if !slices.ContainsFunc(Types, func(t struct{ Code, Label string }) bool { return t.Code == a.Type }) {
		return apperr.Errorf(apperr.Validation, "Hình thức tuyên truyền không hợp lệ: %q", a.Type)
	}
	if _, err := time.Parse(DateLayout, a.Date); err != nil {
		return apperr.Errorf(apperr.Validation, "Ngày không hợp lệ (định dạng YYYY-MM-DD): %q", a.Date)
	}
	// Dates compare as text in YYYY-MM-DD; "today" is the commune's day, not UTC's.
	today := now.In(quiz.VietnamTime)
	if a.Date > today.Format(DateLayout) {
		return apperr.Errorf(apperr.Validation, "Ngày hoạt động không được sau hôm nay (%s)", today.Format("02/01/2006"))
	}
	if a.Date < earliestDate {
		return apperr.Errorf(apperr.Validation, "Ngày hoạt động không được trước ngày 01/01/2020")
	}
	topics := []string{} // [] rather than null in JSON
	for _, t := range a.Topics {
		if !slices.Contains(quiz.Topics, t) {
			return apperr.Errorf(apperr.Validation, "Nội dung tuyên truyền không hợp lệ: %q (chỉ gồm %s)", t, strings.Join(quiz.Topics, ", "))
		}
		if !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	slices.Sort(topics)
	a.Topics = topics
	if a.Audience < 0 || a.Audience > maxAudience {
		return apperr.Errorf(apperr.Validation, "Số người tham dự phải từ 0 đến 1.000.000")
	}
	if err := usertext.Check("Ghi chú", a.Note, true); err != nil {
		return err
	}
	a.Note = strings.TrimSpace(a.Note)
	if utf8.RuneCountInString(a.Note) > maxNote {
		return apperr.Errorf(apperr.Validation, "Ghi chú không được dài quá %d ký tự", maxNote)
	}
	return nil
}
