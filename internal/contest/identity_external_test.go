package contest_test

import (
	"testing"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
)

// An external test package, so the quiz package may import contest without a cycle.
func TestPersonKeyMatchesQuizIdentityKey(t *testing.T) {
	for _, in := range []string{"0912345123", "+84 987 654 321", "84388123456"} {
		t.Run("the key of "+in+" agrees with quiz.IdentityOf", func(t *testing.T) {
			phone, err := quiz.NormalizePhone(in)
			if err != nil {
				t.Fatalf("NormalizePhone(%q) = %v", in, err)
			}
			k := pseudonym.MustNew([]byte("a test secret of thirty-two bytes!"))
			want := quiz.IdentityOf(k, phone, "c1")
			if got := contest.PersonKey(k, phone); got != want {
				t.Errorf("PersonKey(%q) = %q, want %q", phone, got, want)
			}
		})
	}
}
