package localgw

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"

	"github.com/nq58/tracker/internal/apigw"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/staffdir"
)

// FirstAdminRequest is the body of POST /local/first-admin: the first admin's e-mail,
// the root unit and, optionally, a password (without one a temporary password is made
// and answered, as Cognito would e-mail it).
type FirstAdminRequest struct {
	staffdir.FirstAdmin
	Password string `json:"password,omitempty"`
}

// FirstAdminResponse answers POST /local/first-admin.
type FirstAdminResponse struct {
	Username string `json:"username"`
	// TemporaryPassword is set only when no password was given.
	TemporaryPassword string `json:"temporaryPassword,omitempty"`
	RootID            string `json:"rootId"`
	RootName          string `json:"rootName"`
	RootCreated       bool   `json:"rootCreated"`
}

// minPassword is the local accounts' shortest password: the user pool's
// PasswordPolicy.MinimumLength in template.yaml, so a password that works locally is
// one Cognito would also take (with a lowercase letter and a digit, as it requires).
const minPassword = 10

func checkPassword(p string) error {
	hasLower := strings.IndexFunc(p, unicode.IsLower) >= 0
	hasDigit := strings.IndexFunc(p, unicode.IsDigit) >= 0
	if len([]rune(p)) < minPassword || !hasLower || !hasDigit {
		return apperr.Errorf(apperr.Validation, "Mật khẩu cần ít nhất %d ký tự, có chữ thường và chữ số (như chính sách mật khẩu của Cognito)", minPassword)
	}
	return nil
}

// CreateFirstAdmin runs the first-admin step against this stack's table and local
// accounts, as the route does (the rehearsal and `make first-admin` share it).
func (s *Stack) CreateFirstAdmin(ctx context.Context, in FirstAdminRequest) (FirstAdminResponse, error) {
	var dir staffdir.Directory = localauth.Directory{Users: s.Issuer.Users()}
	if in.Password != "" {
		if err := checkPassword(in.Password); err != nil {
			return FirstAdminResponse{}, err
		}
		dir = withPassword{localauth.Directory{Users: s.Issuer.Users()}, in.Password}
	}
	r, err := staffdir.CreateFirstAdmin(ctx, s.Store, dir, in.FirstAdmin)
	if err != nil {
		return FirstAdminResponse{}, err
	}
	return FirstAdminResponse{Username: r.Member.Username, TemporaryPassword: r.Member.TemporaryPassword,
		RootID: r.Root.ID, RootName: r.Root.Name, RootCreated: r.RootCreated}, nil
}

// withPassword invites with a chosen password instead of a temporary one.
type withPassword struct {
	localauth.Directory
	password string
}

func (d withPassword) Invite(ctx context.Context, in staffdir.Invitation) (staffdir.Member, error) {
	return d.InviteWithPassword(ctx, in, d.password)
}

// firstAdmin is POST /local/first-admin, served only by the local gateway (on loopback):
// `make first-admin` calls it on the running `make run`.
func (s *Stack) firstAdmin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var in FirstAdminRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeLocalError(w, apperr.Errorf(apperr.Invalid, "JSON không hợp lệ"))
		return
	}
	out, err := s.CreateFirstAdmin(r.Context(), in)
	if err != nil {
		if apigw.StatusOf(err) >= 500 { // the cause goes to the log, never to the caller
			s.Gateway.log.ErrorContext(r.Context(), "first admin failed", "error", err.Error())
		}
		writeLocalError(w, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(out)
}

// writeLocalError answers an error as the API does: the status of its code from
// apigw's one table and the Vietnamese message ("internal error" for anything else).
func writeLocalError(w http.ResponseWriter, err error) {
	w.WriteHeader(apigw.StatusOf(err))
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": apperr.CodeOf(err), "message": apperr.MessageOf(err)}})
}

// RequestFirstAdmin calls POST /local/first-admin on the gateway at base (e.g.
// http://127.0.0.1:8080): what `make first-admin ENV=local` does, and the day-one
// rehearsal with it. An error answer comes back as an *apperr.Error with its message.
func RequestFirstAdmin(ctx context.Context, client *http.Client, base string, in FirstAdminRequest) (FirstAdminResponse, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return FirstAdminResponse{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/local/first-admin", bytes.NewReader(body))
	if err != nil {
		return FirstAdminResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return FirstAdminResponse{}, fmt.Errorf("no local gateway answers at %s (start it first with `make run DEMO=0`, with the same ADDR): %w", base, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return FirstAdminResponse{}, err
	}
	if resp.StatusCode != http.StatusCreated {
		var e struct {
			Error struct {
				Code    apperr.Code `json:"code"`
				Message string      `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal(raw, &e) != nil || e.Error.Message == "" {
			return FirstAdminResponse{}, fmt.Errorf("%s answered %d: is it this project's `make run`?", base, resp.StatusCode)
		}
		return FirstAdminResponse{}, apperr.Errorf(e.Error.Code, "%s", e.Error.Message)
	}
	var out FirstAdminResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return FirstAdminResponse{}, fmt.Errorf("%s answered an unreadable body: %w", base, err)
	}
	return out, nil
}
