package quiz

// Tests of the attempt itself (attempt.go): phone numbers, identity keys, score and
// pass, and the questions an attempt shows.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/pseudonym"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a phone with a leading 0 gets the +84 prefix", "0912345678", "+84912345678"},
		{"spaces between digit groups are dropped", "091 234 5678", "+84912345678"},
		{"a phone with +84 prefix is kept in the normalised form", "+84912345678", "+84912345678"},
		{"a phone with 84 prefix and no plus gets the plus", "84912345678", "+84912345678"},
		{"dots between digit groups are dropped", "0912.345.678", "+84912345678"},
		{"dashes and brackets are dropped", "(091) 234-5678", "+84912345678"},
		{"a +84 phone with a space after the prefix is normalised", "+84 912 345 678", "+84912345678"},
		{"a ten-digit number with 0 then 84 is a local number, not a prefix", "0849123456", "+84849123456"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if err != nil {
				t.Fatalf("NormalizePhone(%q) error = %v, want %q", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePhoneRejects(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"an empty string is rejected", ""},
		{"a number too short is rejected", "091234567"},
		{"a number too long is rejected", "09123456789"},
		{"a +84 number too long is rejected", "+849123456789"},
		{"a +84 number too short is rejected", "+8491234567"},
		{"letters are rejected", "09123abc78"},
		{"a foreign +1 number is rejected", "+12025550123"},
		{"a number with 0 after the 0 prefix is rejected", "00912345678"},
		{"a number with 0 after the +84 prefix is rejected", "+84091234567"},
		{"a plus sign inside the number is rejected", "0912+345678"},
		{"a number without any known prefix is rejected", "912345678"},
		{"an 84 prefix on a number too short is rejected", "8491234567"},
		{"only separators are rejected", " .-() "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if got != "" {
				t.Errorf("NormalizePhone(%q) = %q, want \"\"", tt.in, got)
			}
			apperrtest.WantCode(t, err, apperr.Validation, fmt.Sprintf("NormalizePhone(%q)", tt.in))
		})
	}
}

func TestIdentityOf(t *testing.T) {
	keys := pseudonym.MustNew([]byte("a test secret of thirty-two bytes!"))
	withPhone := func(phone, client string) string { return IdentityOf(keys, phone, client) }
	key := withPhone("+84912345678", "client-1")
	t.Run("the same phone gives the same key whatever the client id", func(t *testing.T) {
		if got := withPhone("+84912345678", "client-2"); got != key {
			t.Errorf("IdentityOf(same phone, other client) = %q, want %q", got, key)
		}
	})
	t.Run("another phone gives another key", func(t *testing.T) {
		if got := withPhone("+84987654321", "client-1"); got == key {
			t.Errorf("IdentityOf(other phone, same client) = %q, the same as for the first phone", got)
		}
	})
	t.Run("without a phone the key depends on the client id", func(t *testing.T) {
		a, b := withPhone("", "client-1"), withPhone("", "client-2")
		if a == b {
			t.Errorf("IdentityOf(client-1) = IdentityOf(client-2) = %q, want different", a)
		}
		if again := withPhone("", "client-1"); again != a {
			t.Errorf("IdentityOf(client-1) = %q then %q, want equal", a, again)
		}
		if a == key {
			t.Errorf("IdentityOf(client-1, no phone) = IdentityOf(client-1, phone) = %q, want different", a)
		}
	})
	t.Run("a client id that spells a phone does not collide with the phone", func(t *testing.T) {
		if got := withPhone("", "+84912345678"); got == key {
			t.Errorf("IdentityOf(client id \"+84912345678\") = %q, the same as the phone's", got)
		}
	})
	t.Run("the key holds no phone digits", func(t *testing.T) {
		if len(key) != 32 {
			t.Errorf("len(IdentityKey) = %d, want 32 hex characters", len(key))
		}
		for _, part := range []string{"+84912345678", "84912345678", "912345678", "0912345678"} {
			if strings.Contains(key, part) {
				t.Errorf("IdentityKey = %q contains %q", key, part)
			}
		}
	})
}

func TestIdentityKeyIsTheOneComputedAtTheStart(t *testing.T) {
	t.Run("an attempt keeps the identity it was given", func(t *testing.T) {
		if got := (Attempt{ID: "a1", Identity: "k1"}).IdentityKey(); got != "k1" {
			t.Errorf("IdentityKey() = %q, want k1", got)
		}
	})
	t.Run("an attempt without one stands for itself and holds no phone", func(t *testing.T) {
		a := Attempt{ID: "a1", ClientID: "c1", Participant: Participant{Phone: "+84912345678"}}
		if got := a.IdentityKey(); got != "attempt:a1" {
			t.Errorf("IdentityKey() = %q, want attempt:a1", got)
		}
	})
}

func TestScorePercentAndPassed(t *testing.T) {
	tests := []struct {
		name             string
		score, max, pass int
		wantPercent      float64
		wantPassed       bool
	}{
		{"5 of 10 with pass mark 50 passes", 5, 10, 50, 50, true},
		{"4 of 10 with pass mark 50 fails", 4, 10, 50, 40, false},
		{"10 of 10 with pass mark 100 passes", 10, 10, 100, 100, true},
		{"9 of 10 with pass mark 100 fails", 9, 10, 100, 90, false},
		{"1 of 3 with pass mark 33 passes", 1, 3, 33, 100.0 / 3, true},
		{"2 of 3 with pass mark 67 fails", 2, 3, 67, 200.0 / 3, false},
		{"7 of 20 with pass mark 35 passes", 7, 20, 35, 35, true},
		{"a survey (max score 0) never passes", 0, 0, 50, 0, false},
		{"a survey (max score 0) never passes even with pass mark 0", 0, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Attempt{Score: tt.score, MaxScore: tt.max, PassPercent: tt.pass}
			if got := a.ScorePercent(); got != tt.wantPercent {
				t.Errorf("ScorePercent(%d/%d) = %v, want %v", tt.score, tt.max, got, tt.wantPercent)
			}
			if got := a.Passed(); got != tt.wantPassed {
				t.Errorf("Passed(%d/%d, pass %d) = %v, want %v", tt.score, tt.max, tt.pass, got, tt.wantPassed)
			}
		})
	}
}

func TestAttemptQuestions(t *testing.T) {
	q := bank(6, true, 3)
	const seed = 12345
	drawn := Draw(q, seed)
	byID := map[string]Question{}
	for _, qu := range drawn {
		byID[qu.ID] = qu
	}
	t.Run("questions come back in the order of the attempt's question ids", func(t *testing.T) {
		a := Attempt{Seed: seed, QuestionIDs: []string{drawn[2].ID, drawn[0].ID, drawn[1].ID}}
		got := AttemptQuestions(q, a)
		if ids := questionIDs(got); !slices.Equal(ids, a.QuestionIDs) {
			t.Fatalf("AttemptQuestions ids = %v, want %v", ids, a.QuestionIDs)
		}
		for _, qu := range got {
			if want := optionIDs(byID[qu.ID].Options); !slices.Equal(optionIDs(qu.Options), want) {
				t.Errorf("question %s options = %v, want the drawn order %v", qu.ID, optionIDs(qu.Options), want)
			}
		}
	})
	t.Run("a question removed from the bank is skipped and a bank question not drawn is kept", func(t *testing.T) {
		var notDrawn string
		for _, qu := range q.Questions {
			if _, ok := byID[qu.ID]; !ok {
				notDrawn = qu.ID
				break
			}
		}
		a := Attempt{Seed: seed, QuestionIDs: []string{drawn[1].ID, "gone", notDrawn, drawn[0].ID}}
		got := AttemptQuestions(q, a)
		want := []string{drawn[1].ID, notDrawn, drawn[0].ID}
		if ids := questionIDs(got); !slices.Equal(ids, want) {
			t.Fatalf("AttemptQuestions ids = %v, want %v", ids, want)
		}
		if got, want := optionIDs(got[1].Options), []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
			t.Errorf("bank question %s options = %v, want the bank order %v", notDrawn, got, want)
		}
	})
}
