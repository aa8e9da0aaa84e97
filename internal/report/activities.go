package report

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
)

// Limits of an activity record.
const (
	// The plan dates from 2020 (Resolution 58 of 05/8/2020); an earlier date is a typo.
	earliestActivityDate = "2020-01-01"
	// A commune has a few thousand residents; a province-wide broadcast stays far below this.
	maxActivityAudience = 1_000_000
	maxActivityNote     = 1000 // characters
	dateLayout          = "2006-01-02"
)

// activityTopics are the plan's content items (section II.1, a–h; Vietnamese lists skip "f").
var activityTopics = []string{"a", "b", "c", "d", "e", "g", "h"}

// CreateActivity records an informing activity in a unit of the staff member's scope.
func (s *Service) CreateActivity(ctx context.Context, staff auth.Staff, a Activity) (Activity, error) {
	if err := staff.Require(auth.Admin, auth.Officer); err != nil {
		return Activity{}, err
	}
	tree, err := s.activityTree(ctx)
	if err != nil {
		return Activity{}, err
	}
	if !tree.Within(a.UnitID, staff.ScopeUnitID) {
		return Activity{}, auth.OutOfScope()
	}
	if err := s.normalizeActivity(&a); err != nil {
		return Activity{}, err
	}
	a.ID = uuid.NewString()
	a.CreatedBy = staff.Username
	a.CreatedAt = s.now().UTC()
	if err := s.store.PutActivity(ctx, a); err != nil {
		return Activity{}, err
	}
	return a, nil
}

// normalizeActivity validates the fields a client sends and puts them in canonical form.
func (s *Service) normalizeActivity(a *Activity) error {
	if !slices.ContainsFunc(ActivityTypes, func(t struct{ Code, Label string }) bool { return t.Code == a.Type }) {
		return apperr.Errorf(apperr.Validation, "Hình thức tuyên truyền không hợp lệ: %q", a.Type)
	}
	if _, err := time.Parse(dateLayout, a.Date); err != nil {
		return apperr.Errorf(apperr.Validation, "Ngày không hợp lệ (định dạng YYYY-MM-DD): %q", a.Date)
	}
	// Dates compare as text in YYYY-MM-DD; "today" is the commune's day, not UTC's.
	today := s.now().In(quiz.VietnamTime)
	if a.Date > today.Format(dateLayout) {
		return apperr.Errorf(apperr.Validation, "Ngày hoạt động không được sau hôm nay (%s)", today.Format("02/01/2006"))
	}
	if a.Date < earliestActivityDate {
		return apperr.Errorf(apperr.Validation, "Ngày hoạt động không được trước ngày 01/01/2020")
	}
	topics := []string{} // [] rather than null in JSON
	for _, t := range a.Topics {
		if !slices.Contains(activityTopics, t) {
			return apperr.Errorf(apperr.Validation, "Nội dung tuyên truyền không hợp lệ: %q (chỉ gồm a, b, c, d, e, g, h)", t)
		}
		if !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	slices.Sort(topics)
	a.Topics = topics
	if a.Audience < 0 || a.Audience > maxActivityAudience {
		return apperr.Errorf(apperr.Validation, "Số người tham dự phải từ 0 đến 1.000.000")
	}
	a.Note = strings.TrimSpace(a.Note)
	if utf8.RuneCountInString(a.Note) > maxActivityNote {
		return apperr.Errorf(apperr.Validation, "Ghi chú không được dài quá %d ký tự", maxActivityNote)
	}
	return nil
}

// ListActivities returns the activities of unitID (the staff scope when empty) and every
// unit under it, dated from..to (YYYY-MM-DD, inclusive, optional).
func (s *Service) ListActivities(ctx context.Context, staff auth.Staff, unitID, from, to string) ([]Activity, error) {
	if err := staff.Require(auth.Admin, auth.Officer); err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, value string }{{"Từ ngày", from}, {"Đến ngày", to}} {
		if d.value == "" {
			continue
		}
		if _, err := time.Parse(dateLayout, d.value); err != nil {
			return nil, apperr.Errorf(apperr.Validation, "%s không hợp lệ (định dạng YYYY-MM-DD): %q", d.name, d.value)
		}
	}
	if from != "" && to != "" && from > to {
		return nil, apperr.Errorf(apperr.Validation, "Từ ngày phải trước hoặc bằng đến ngày")
	}
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := s.activityTree(ctx)
	if err != nil {
		return nil, err
	}
	if !tree.Within(unitID, staff.ScopeUnitID) {
		return nil, auth.OutOfScope()
	}
	// Activities are recorded at any level (a commune conference, a village loudspeaker),
	// so the whole subtree is read, not only its villages.
	sub := tree.Subtree(unitID)
	ids := make([]string, len(sub))
	for i, u := range sub {
		ids[i] = u.ID
	}
	return s.store.ListActivities(ctx, ids, from, to)
}

// activityTree loads the unit tree. It is named for this file so that it cannot clash
// with the report helpers written beside it.
func (s *Service) activityTree(ctx context.Context) (*quiz.Tree, error) {
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	return quiz.NewTree(units)
}
