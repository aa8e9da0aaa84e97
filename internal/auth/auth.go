// Package auth reads who a staff user is from the JWT authorizer's claims (API Gateway
// verified the token; handlers never parse tokens) and says what they may do.
package auth

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
)

// Role is a staff group.
type Role string

const (
	Admin     Role = "admin"     // everything in their scope
	Officer   Role = "officer"   // reports, activity log, authoring quizzes and surveys
	Organizer Role = "organizer" // contests
	// Collector enters paper sheets and assisted attempts for a village or commune
	// (residents without a smartphone); no reports, no authoring.
	Collector Role = "collector"
)

// Roles lists every role, in a stable order: the groups FromClaims reads and the
// description's enum (api/gen).
func Roles() []Role { return []Role{Admin, Officer, Organizer, Collector} }

// Claims names, as Cognito writes them in an ID token.
const (
	ClaimUsername = "cognito:username"
	ClaimGroups   = "cognito:groups"
	ClaimScope    = "custom:scope"
)

// Staff is a signed-in staff user.
type Staff struct {
	Username    string `json:"username"`
	Roles       []Role `json:"roles"`
	ScopeUnitID string `json:"scopeUnitId"`
}

// FromClaims builds the staff user from the authorizer's claims. API Gateway passes
// every claim as a string; a list such as cognito:groups arrives as "[admin officer]".
func FromClaims(claims map[string]string) (Staff, error) {
	s := Staff{Username: claims[ClaimUsername], ScopeUnitID: claims[ClaimScope]}
	if s.Username == "" {
		s.Username = claims["sub"]
	}
	for _, g := range parseList(claims[ClaimGroups]) {
		if r := Role(g); slices.Contains(Roles(), r) {
			s.Roles = append(s.Roles, r)
		}
	}
	if s.Username == "" || s.ScopeUnitID == "" {
		return Staff{}, apperr.Errorf(apperr.Unauthorized, "Cần đăng nhập bằng tài khoản cán bộ")
	}
	return s, nil
}

func parseList(v string) []string {
	v = strings.TrimSpace(v)
	var list []string
	if strings.HasPrefix(v, "[\"") && json.Unmarshal([]byte(v), &list) == nil {
		return list
	}
	v = strings.Trim(v, "[]")
	return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
}

// Has reports whether the user holds any of the roles.
func (s Staff) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(s.Roles, r) {
			return true
		}
	}
	return false
}

// Require fails with Forbidden unless the user holds one of the roles.
func (s Staff) Require(roles ...Role) error {
	if s.Has(roles...) {
		return nil
	}
	return apperr.Errorf(apperr.Forbidden, "Tài khoản không có quyền làm việc này")
}

// OutOfScope is the error for anything outside the user's subtree: not found, so that
// its existence is not revealed.
func OutOfScope() error { return apperr.Errorf(apperr.NotFound, "Không tìm thấy") }
