package staffdir

import (
	"context"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/units"
)

// FirstAdmin asks for a deployment's first account: an admin whose username is the
// e-mail (lower-cased), scoped to the root of the unit tree. `make first-admin` sends
// it, locally to the gateway's POST /local/first-admin, in AWS straight to the table and
// the user pool; both run CreateFirstAdmin.
type FirstAdmin struct {
	Email    string `json:"email"`
	UnitID   string `json:"unitId"`
	UnitName string `json:"unitName"`
}

// FirstAdminResult is the account and the root it is scoped to.
type FirstAdminResult struct {
	Member Member     `json:"member"`
	Root   units.Unit `json:"root"`
	// RootCreated is true when the tree was empty and the root was written.
	RootCreated bool `json:"rootCreated"`
}

// RootKind is the kind of the root unit CreateFirstAdmin writes: the tree's top, the
// province whose communes and villages are imported under it.
const RootKind = "province"

// maxUsername is Cognito's limit on a username (AdminCreateUser's Username: 1 to 128
// characters, never changed afterwards:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
const maxUsername = 128

// UnitStore reads and writes the unit tree.
type UnitStore interface {
	units.Lister
	PutUnits(ctx context.Context, units []units.Unit) error
}

// Normalized trims the request and lower-cases the e-mail, or says what is wrong.
func (in FirstAdmin) Normalized() (FirstAdmin, error) {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.UnitID = strings.TrimSpace(in.UnitID)
	in.UnitName = strings.TrimSpace(in.UnitName)
	switch {
	case in.Email == "":
		return in, apperr.Errorf(apperr.Validation, "Cần địa chỉ email của quản trị viên (EMAIL)")
	case !validEmail(in.Email) || len(in.Email) > maxUsername:
		return in, apperr.Errorf(apperr.Validation, "Địa chỉ email %q không hợp lệ", in.Email)
	case in.UnitID == "":
		return in, apperr.Errorf(apperr.Validation, "Cần mã đơn vị gốc (UNIT_ID), ví dụ th")
	case !units.ValidID(in.UnitID):
		return in, apperr.Errorf(apperr.Validation, "Mã đơn vị %q không hợp lệ: dùng 1 đến 64 chữ cái không dấu, chữ số, - hoặc _", in.UnitID)
	}
	return in, nil
}

// FirstRoot decides the root of a first admin from the stored units: on an empty tree a
// new root (write is true; its name is needed), else the stored unit, which must be a
// root. A tree whose root is another unit is refused: the first admin belongs to the
// tree's top, and a second tree would split the reports.
func FirstRoot(stored []units.Unit, in FirstAdmin) (root units.Unit, write bool, err error) {
	if len(stored) == 0 {
		if in.UnitName == "" {
			return units.Unit{}, false, apperr.Errorf(apperr.Validation, "Chưa có đơn vị nào: cần tên đơn vị gốc (UNIT_NAME), ví dụ \"Tỉnh Thanh Hóa\"")
		}
		root = units.Unit{ID: in.UnitID, Name: in.UnitName, Kind: RootKind}
		if err := root.Validate(); err != nil {
			return units.Unit{}, false, err
		}
		return root, true, nil
	}
	var roots []string
	for _, u := range stored {
		switch {
		case u.ID == in.UnitID && u.ParentID == "":
			return u, false, nil
		case u.ID == in.UnitID:
			return units.Unit{}, false, apperr.Errorf(apperr.Validation,
				"Đơn vị %q không phải đơn vị gốc (thuộc %q): quản trị viên đầu tiên phụ trách gốc của cây đơn vị", u.ID, u.ParentID)
		case u.ParentID == "":
			roots = append(roots, u.ID)
		}
	}
	return units.Unit{}, false, apperr.Errorf(apperr.Conflict,
		"Đã có cây đơn vị với gốc %s, không có đơn vị %q: dùng UNIT_ID là mã đơn vị gốc đã có", strings.Join(roots, ", "), in.UnitID)
}

// CreateFirstAdmin writes the root unit when the tree is empty (or checks that the given
// unit is a stored root), then invites an admin scoped to it into dir: the username is
// the e-mail, lower-cased. Run again with the same root, it writes nothing and the
// directory answers Conflict for a taken username.
func CreateFirstAdmin(ctx context.Context, store UnitStore, dir Directory, in FirstAdmin) (FirstAdminResult, error) {
	in, err := in.Normalized()
	if err != nil {
		return FirstAdminResult{}, err
	}
	tree, err := units.LoadTree(ctx, store)
	if err != nil {
		return FirstAdminResult{}, err
	}
	root, write, err := FirstRoot(tree.Units(), in)
	if err != nil {
		return FirstAdminResult{}, err
	}
	if write {
		if err := store.PutUnits(ctx, []units.Unit{root}); err != nil {
			return FirstAdminResult{}, err
		}
	}
	m, err := dir.Invite(ctx, Invitation{Username: in.Email, Email: in.Email, Role: auth.Admin, ScopeUnitID: root.ID})
	if err != nil {
		return FirstAdminResult{}, err
	}
	return FirstAdminResult{Member: m, Root: root, RootCreated: write}, nil
}
