// Package pseudonym turns personal identifiers (a phone, a CCCD, a device id, a network
// address) into keyed hashes: HMAC-SHA-256 under the deployment's secret. The table keeps
// only these, so that counting "one person" needs no phone number, and unlike a plain
// hash they cannot be reversed by trying the 10⁷ numbers of a phone prefix without the
// secret. The secret lives in AWS Secrets Manager (the template's DeploymentSecret);
// locally it is generated once into the git-ignored data folder.
package pseudonym

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MinSecret is the shortest secret accepted, in bytes.
const MinSecret = 32

// Keyer derives keyed hashes from one secret.
type Keyer struct{ secret []byte }

// New returns a keyer on secret.
func New(secret []byte) (Keyer, error) {
	if len(secret) < MinSecret {
		return Keyer{}, fmt.Errorf("pseudonym secret has %d bytes, want at least %d", len(secret), MinSecret)
	}
	return Keyer{secret: append([]byte(nil), secret...)}, nil
}

// MustNew is New for secrets known to be long enough (tests, generated ones).
func MustNew(secret []byte) Keyer {
	k, err := New(secret)
	if err != nil {
		panic(err)
	}
	return k
}

// Of returns the keyed hash of value of a kind ("phone", "cccd", "client", "source"…):
// the first 16 bytes of HMAC-SHA-256(secret, kind + ":" + value), in hex. Kinds keep a
// phone and a device id that happen to be equal from meeting.
func (k Keyer) Of(kind, value string) string {
	if len(k.secret) == 0 {
		// A zero Keyer would hash with an empty key, which anyone can reverse.
		panic("pseudonym: Keyer used without a secret")
	}
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(kind))
	m.Write([]byte{':'})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Subkey derives an independent secret for another use (the start limiter, say), so
// that one secret serves every purpose without the hashes of one meeting another's.
func (k Keyer) Subkey(purpose string) []byte {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte("subkey:" + purpose))
	return m.Sum(nil)
}

// LocalSecret reads the local secret from path, generating it on first use (32 random
// bytes, hex), so a local installation keeps its hashes across restarts.
func LocalSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < MinSecret {
			return nil, fmt.Errorf("%s: the secret is too short", path)
		}
		return []byte(s), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(raw)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, err
	}
	return []byte(s), nil
}
