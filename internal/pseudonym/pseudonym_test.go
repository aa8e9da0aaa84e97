package pseudonym_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/nq58/tracker/internal/pseudonym"
)

var secretA = []byte("0123456789abcdef0123456789abcdef")
var secretB = []byte("fedcba9876543210fedcba9876543210")

func TestKeyedHashes(t *testing.T) {
	a, b := pseudonym.MustNew(secretA), pseudonym.MustNew(secretB)
	phone := "+84912345678"
	plain := sha256.Sum256([]byte("phone:" + phone))
	tests := []struct {
		name     string
		got, not string
	}{
		{"the same phone under another secret has another key", a.Of("phone", phone), b.Of("phone", phone)},
		{"a key is not the plain SHA-256 of the phone", a.Of("phone", phone), hex.EncodeToString(plain[:16])},
		{"a phone and an equal device id do not meet", a.Of("phone", phone), a.Of("client", phone)},
		{"two phones differ", a.Of("phone", phone), a.Of("phone", "+84912345679")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == tt.not {
				t.Errorf("keys are equal: %s", tt.got)
			}
			if len(tt.got) != 32 {
				t.Errorf("key %q has %d characters, want 32", tt.got, len(tt.got))
			}
		})
	}
	t.Run("the same value under the same secret keeps its key", func(t *testing.T) {
		if got, want := a.Of("phone", phone), pseudonym.MustNew(append([]byte(nil), secretA...)).Of("phone", phone); got != want {
			t.Errorf("Of = %s, then %s", got, want)
		}
	})
	t.Run("a short secret is refused", func(t *testing.T) {
		if _, err := pseudonym.New([]byte("short")); err == nil {
			t.Error("New(short secret) = nil error, want one")
		}
	})
}

func TestTheLocalSecretIsGeneratedOnceAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	first, err := pseudonym.LocalSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := pseudonym.LocalSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(again) || len(first) < pseudonym.MinSecret {
		t.Errorf("LocalSecret = %q then %q, want the same secret of at least %d bytes", first, again, pseudonym.MinSecret)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode = %v, want 0600", info.Mode().Perm())
	}
}
