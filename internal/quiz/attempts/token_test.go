package attempts

// Tests of the start and client tokens (token.go): what they carry, that nobody but the
// deployment can read or forge them.

import (
	"bytes"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/quiz"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/throttle"
)

func sealer(secret byte) tokenSealer {
	return newTokenSealer(pseudonym.MustNew(bytes.Repeat([]byte{secret}, 32)).Subkey("attempt-token"))
}

func unsubmitted() quiz.Attempt {
	start := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	return quiz.Attempt{ID: "0b7e3c2a-5d1f-4a8e-9c3b-2f6d4e8a1b0c", QuizID: "q1", QuizKind: quiz.KindContest, Seed: 1<<63 + 5,
		QuestionIDs: []string{"q03", "q01"}, StartedAt: start, ExpiresAt: start.Add(15 * time.Minute), Status: quiz.Started,
		RoundID: "r1", Identity: "id-hash", ClientID: "client-hash", Suspect: true, Consent: true,
		Participant: quiz.Participant{Name: "Lê Thị Mai", Phone: "+84912345678", UnitID: "v1", BirthYear: 1990,
			Gender: "female", Organization: "Hội Phụ nữ", CCCD: "038190001234"}}
}

func TestAStartTokenCarriesTheAttemptSealed(t *testing.T) {
	a := unsubmitted()
	tok, err := sealer(1).seal(a)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a contest start token with every personal field: %d characters", len(tok))
	t.Run("it opens to the same attempt", func(t *testing.T) {
		c, err := sealer(1).open(a.ID, tok)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.attempt(a.ID, a.QuizKind); !reflect.DeepEqual(got, a) {
			t.Errorf("opened\n got %+v\nwant %+v", got, a)
		}
	})
	t.Run("it shows no personal data, even decoded", func(t *testing.T) {
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		for _, s := range []string{"Mai", "912345678", "038190001234", "id-hash", "q03"} {
			if strings.Contains(tok, s) || bytes.Contains(raw, []byte(s)) {
				t.Errorf("token shows %q", s)
			}
		}
	})
	tests := []struct {
		name  string
		s     tokenSealer
		id    string
		token string
		want  apperr.Code
	}{
		{"another deployment's key cannot open it", sealer(2), a.ID, tok, apperr.Forbidden},
		{"another attempt id cannot open it", sealer(1), "1b7e3c2a-5d1f-4a8e-9c3b-2f6d4e8a1b0c", tok, apperr.Forbidden},
		{"a changed first character is refused", sealer(1), a.ID, "B" + tok[1:], apperr.Forbidden},
		{"text that is not base64url is refused", sealer(1), a.ID, "q1.1700000000000.abc", apperr.Forbidden},
		{"an empty token is unauthorized", sealer(1), a.ID, "", apperr.Unauthorized},
		{"an attempt id that is no UUID is not found", sealer(1), "x", tok, apperr.NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.open(tc.id, tc.token)
			apperrtest.WantCode(t, err, tc.want, "open")
		})
	}
}

func TestAClientTokenMarksOnlyItsOwnDeviceInItsWindow(t *testing.T) {
	rule := throttle.DefaultLimits().Client
	now := time.Date(2026, 11, 20, 2, 3, 0, 0, time.UTC)
	s := sealer(1)
	tok := s.sealClient(throttle.MarkOf(rule, "dev", now))
	tests := []struct {
		name  string
		key   string
		token string
		at    time.Time
		want  bool
	}{
		{"the same device in the same window is returning", "dev", tok, now.Add(time.Minute), true},
		{"another device's token is no mark of it", "other", tok, now, false},
		{"a token of a past window is no mark", "dev", tok, now.Add(rule.Window), false},
		{"a forged token is no mark", "dev", flipLast(tok), now, false},
		{"an attempt token is no client token", "dev", mustSeal(t, s), now, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mark, ok := s.openClient(tc.token)
			if got := ok && mark.Returning(rule, tc.key, tc.at); got != tc.want {
				t.Errorf("returning = %v, want %v", got, tc.want)
			}
		})
	}
}

func mustSeal(t *testing.T, s tokenSealer) string {
	t.Helper()
	tok, err := s.seal(unsubmitted())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// flipLast changes a token's last character.
func flipLast(tok string) string {
	c := "A"
	if strings.HasSuffix(tok, c) {
		c = "B"
	}
	return tok[:len(tok)-1] + c
}

func TestAStartTokenOpensOnlyUnderItsAttemptsCanonicalID(t *testing.T) {
	s := sealer(1)
	a := quiz.Attempt{ID: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", QuizID: "q1"}
	token, err := s.seal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, spelling := range []string{strings.ToUpper(a.ID), "{" + a.ID + "}", "urn:uuid:" + a.ID, strings.ReplaceAll(a.ID, "-", "")} {
		if _, err := s.open(spelling, token); err == nil {
			t.Errorf("the token opened under %q, want only under %q", spelling, a.ID)
		}
	}
	if _, err := s.open(a.ID, token); err != nil {
		t.Errorf("the token did not open under its own id: %v", err)
	}
}
