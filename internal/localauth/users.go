package localauth

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// ErrUserExists is returned when an invited username is taken.
var ErrUserExists = errors.New("username taken")

// ErrNoUser is returned for an unknown username.
var ErrNoUser = errors.New("no such user")

// Users is the local account store: the seed accounts plus those staff management
// invited, optionally persisted to a file (git-ignored, under .data/).
type Users struct {
	mu    sync.Mutex
	users map[string]User
	order []string
	file  string
}

// NewUsers holds the seed accounts in memory.
func NewUsers(seed []User) *Users {
	u := &Users{users: map[string]User{}}
	for _, x := range seed {
		u.put(x)
	}
	return u
}

func (u *Users) put(x User) {
	if _, ok := u.users[x.Username]; !ok {
		u.order = append(u.order, x.Username)
	}
	u.users[x.Username] = x
}

// PersistTo reads the accounts saved in path (over the seed) and saves every later
// change there. A missing file is no error.
func (u *Users) PersistTo(path string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.file = path
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var saved []User
	if err := json.Unmarshal(raw, &saved); err != nil {
		return err
	}
	for _, x := range saved {
		u.put(x)
	}
	return nil
}

func (u *Users) save() error {
	if u.file == "" {
		return nil
	}
	list := make([]User, 0, len(u.order))
	for _, n := range u.order {
		list = append(list, u.users[n])
	}
	raw, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(u.file), 0o700); err != nil {
		return err
	}
	tmp := u.file + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, u.file)
}

// Lookup finds an account.
func (u *Users) Lookup(username string) (User, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	x, ok := u.users[username]
	return x, ok
}

// List returns every account, in the order they were added.
func (u *Users) List() []User {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]User, 0, len(u.order))
	for _, n := range u.order {
		out = append(out, u.users[n])
	}
	return out
}

// Add creates an account; the username must be free.
func (u *Users) Add(x User) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.users[x.Username]; ok {
		return ErrUserExists
	}
	u.put(x)
	if err := u.save(); err != nil {
		delete(u.users, x.Username)
		u.order = slices.DeleteFunc(u.order, func(n string) bool { return n == x.Username })
		return err
	}
	return nil
}

// Disable stops an account from signing in.
func (u *Users) Disable(username string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	x, ok := u.users[username]
	if !ok {
		return ErrNoUser
	}
	x.Disabled = true
	u.users[username] = x
	return u.save()
}
