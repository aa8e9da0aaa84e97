package report

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/units"
)

// CreateActivity records an informing activity in a unit of the staff member's scope.
func (s *Service) CreateActivity(ctx context.Context, staff auth.Staff, a activity.Activity) (activity.Activity, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return activity.Activity{}, err
	}
	if err := auth.Authorize(staff, auth.LogActivity, auth.UnitTarget(a.UnitID), tree); err != nil {
		return activity.Activity{}, err
	}
	if err := a.Normalize(s.now()); err != nil {
		return activity.Activity{}, err
	}
	a.ID = uuid.NewString()
	a.CreatedBy = staff.Username
	a.CreatedAt = s.now().UTC()
	if err := s.store.PutActivity(ctx, a); err != nil {
		return activity.Activity{}, err
	}
	return a, nil
}

// ListActivities returns the activities of unitID (the staff scope when empty) and every
// unit under it, dated from..to (YYYY-MM-DD, inclusive, optional).
func (s *Service) ListActivities(ctx context.Context, staff auth.Staff, unitID, from, to string) ([]activity.Activity, error) {
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if err := auth.Authorize(staff, auth.ReadReports, auth.UnitTarget(unitID), tree); err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, value string }{{"Từ ngày", from}, {"Đến ngày", to}} {
		if d.value == "" {
			continue
		}
		if _, err := time.Parse(activity.DateLayout, d.value); err != nil {
			return nil, apperr.Errorf(apperr.Validation, "%s không hợp lệ (định dạng YYYY-MM-DD): %q", d.name, d.value)
		}
	}
	if from != "" && to != "" && from > to {
		return nil, apperr.Errorf(apperr.Validation, "Từ ngày phải trước hoặc bằng đến ngày")
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

// UnitNames names every unit by its id, for the exports that show a name beside each
// code. Unit names are public (the resident page lists them), so no scope applies.
func (s *Service) UnitNames(ctx context.Context) (map[string]string, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, u := range tree.Units() {
		out[u.ID] = u.Name
	}
	return out, nil
}
