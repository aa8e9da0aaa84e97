package localauth

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/staffdir"
)

// Directory is staff management's directory over the local accounts (Cognito's user
// pool in AWS). An invited account gets a generated temporary password, returned once
// so that a tester can sign in with it (Cognito e-mails it instead).
type Directory struct{ Users *Users }

var _ staffdir.Directory = Directory{}

func member(u User) staffdir.Member {
	return staffdir.Member{Username: u.Username, Email: u.Email, Role: auth.Role(u.Role), ScopeUnitID: u.Scope, Enabled: !u.Disabled}
}

// List returns every account.
func (d Directory) List(context.Context) ([]staffdir.Member, error) {
	var out []staffdir.Member
	for _, u := range d.Users.List() {
		out = append(out, member(u))
	}
	return out, nil
}

// Get returns one account.
func (d Directory) Get(_ context.Context, username string) (staffdir.Member, error) {
	u, ok := d.Users.Lookup(username)
	if !ok {
		return staffdir.Member{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy tài khoản")
	}
	return member(u), nil
}

// Invite creates the account with a temporary password.
func (d Directory) Invite(ctx context.Context, in staffdir.Invitation) (staffdir.Member, error) {
	password := TemporaryPassword()
	m, err := d.InviteWithPassword(ctx, in, password)
	if err != nil {
		return staffdir.Member{}, err
	}
	m.TemporaryPassword = password
	return m, nil
}

// InviteWithPassword creates the account with the given password, ready to sign in
// (`make first-admin PASSWORD=…` locally; Cognito has no such shortcut).
func (d Directory) InviteWithPassword(_ context.Context, in staffdir.Invitation, password string) (staffdir.Member, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return staffdir.Member{}, err
	}
	u := User{Username: in.Username, PasswordHash: hash, Role: string(in.Role), Scope: in.ScopeUnitID, Email: in.Email}
	if err := d.Users.Add(u); errors.Is(err, ErrUserExists) {
		return staffdir.Member{}, apperr.Errorf(apperr.Conflict, "Tên đăng nhập đã được dùng")
	} else if err != nil {
		return staffdir.Member{}, err
	}
	return member(u), nil
}

// Disable stops the account from signing in (its tokens run to their expiry, as in Cognito).
func (d Directory) Disable(_ context.Context, username string) error {
	if err := d.Users.Disable(username); errors.Is(err, ErrNoUser) {
		return apperr.Errorf(apperr.NotFound, "Không tìm thấy tài khoản")
	} else if err != nil {
		return err
	}
	return nil
}

// TemporaryPassword is 12 random letters and digits (no look-alikes).
func TemporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
