// Package staffdir is staff management: admins list, invite and disable staff accounts
// within their own subtree. Accounts live in a Directory: Cognito's user pool in AWS
// (internal/cognitodir), the local users file in the local gateway (internal/localauth).
package staffdir

import (
	"context"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/units"
	"github.com/nq58/tracker/internal/usertext"
)

// Member is a staff account as admins see it.
type Member struct {
	Username    string    `json:"username"`
	Email       string    `json:"email,omitempty"`
	Role        auth.Role `json:"role"`
	ScopeUnitID string    `json:"scopeUnitId"`
	Enabled     bool      `json:"enabled"`
	// TemporaryPassword is set only by the local directory, so that a tester can sign
	// in as the invited account; in AWS Cognito e-mails it and it is never returned.
	TemporaryPassword string `json:"temporaryPassword,omitempty"`
}

// Invitation is a new account.
type Invitation struct {
	Username    string    `json:"username" jsonschema:"required"`
	Email       string    `json:"email" jsonschema:"required,maxLength=254"`
	Role        auth.Role `json:"role" jsonschema:"required"`
	ScopeUnitID string    `json:"scopeUnitId" jsonschema:"required"`
}

// Directory stores staff accounts. Get answers apperr.NotFound for an unknown user;
// Invite answers apperr.Conflict for a taken username.
type Directory interface {
	List(ctx context.Context) ([]Member, error)
	Get(ctx context.Context, username string) (Member, error)
	Invite(ctx context.Context, in Invitation) (Member, error)
	Disable(ctx context.Context, username string) error
}

// Service applies the access policy to a Directory.
type Service struct {
	dir   Directory
	units units.Lister
}

// NewService returns staff management over dir; units gives the unit tree.
func NewService(dir Directory, units units.Lister) *Service {
	return &Service{dir: dir, units: units}
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// List returns the accounts scoped within the admin's subtree, by username.
func (s *Service) List(ctx context.Context, staff auth.Staff) ([]Member, error) {
	tree, err := s.tree(ctx, staff, staff.ScopeUnitID)
	if err != nil {
		return nil, err
	}
	all, err := s.dir.List(ctx)
	if err != nil {
		return nil, err
	}
	out := []Member{}
	for _, m := range all {
		if m.ScopeUnitID != "" && tree.Within(m.ScopeUnitID, staff.ScopeUnitID) {
			m.TemporaryPassword = ""
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.Username, b.Username) })
	return out, nil
}

// Invite creates an account with a role and a scope within the admin's subtree.
func (s *Service) Invite(ctx context.Context, staff auth.Staff, in Invitation) (Member, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.Email = strings.TrimSpace(in.Email)
	if err := usertext.Check("Địa chỉ email", in.Email, false); err != nil {
		return Member{}, err
	}
	switch {
	case !usernameRE.MatchString(in.Username):
		return Member{}, apperr.Errorf(apperr.Validation, "Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới")
	case !validEmail(in.Email):
		return Member{}, apperr.Errorf(apperr.Validation, "Địa chỉ email không hợp lệ")
	case in.Role != auth.Officer && in.Role != auth.Organizer && in.Role != auth.Admin && in.Role != auth.Collector:
		return Member{}, apperr.Errorf(apperr.Validation, "Vai trò phải là cán bộ, ban tổ chức, người nhập phiếu hoặc quản trị viên")
	case in.ScopeUnitID == "":
		return Member{}, apperr.Errorf(apperr.Validation, "Cần chọn đơn vị phụ trách")
	}
	tree, err := s.tree(ctx, staff, in.ScopeUnitID)
	if err != nil {
		return Member{}, err
	}
	if _, ok := tree.Get(in.ScopeUnitID); !ok {
		return Member{}, auth.OutOfScope()
	}
	return s.dir.Invite(ctx, in)
}

// Disable stops an account in the admin's subtree from signing in.
func (s *Service) Disable(ctx context.Context, staff auth.Staff, username string) error {
	if err := staff.Require(auth.Admin); err != nil {
		return err
	}
	if username == staff.Username {
		return apperr.Errorf(apperr.Validation, "Không thể tự khóa tài khoản của mình")
	}
	m, err := s.dir.Get(ctx, username)
	if apperr.CodeOf(err) == apperr.NotFound {
		return auth.OutOfScope()
	}
	if err != nil {
		return err
	}
	if _, err := s.tree(ctx, staff, m.ScopeUnitID); err != nil {
		return err
	}
	return s.dir.Disable(ctx, username)
}

// tree loads the unit tree and authorizes managing staff scoped to unit.
func (s *Service) tree(ctx context.Context, staff auth.Staff, unit string) (*units.Tree, error) {
	if err := staff.Require(auth.Admin); err != nil { // before reading anything
		return nil, err
	}
	tree, err := units.LoadTree(ctx, s.units)
	if err != nil {
		return nil, err
	}
	if err := auth.Authorize(staff, auth.ManageStaff, auth.UnitTarget(unit), tree); err != nil {
		return nil, err
	}
	return tree, nil
}

func validEmail(e string) bool {
	if len(e) > 254 || strings.ContainsAny(e, " <>") {
		return false
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndex(e, "@"):], ".")
}
