package rounds_test

import (
	"context"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/quiz"
)

// TestAnOrganiserKeepsAFlaggedEntry keeps a fast entry with a reason: the decision is
// stored with who, when and why, the flag reads as kept, the entry stays ranked; and the
// keeps the rules refuse are refused.
func TestAnOrganiserKeepsAFlaggedEntry(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	stack, q := flagRound(t, now, "hoi-thi-giu")
	sub := now.Add(-time.Hour)
	entries := []quiz.Attempt{
		flagEntry(q, "fast", "f", "fd", "aaaaa", sub, 4*time.Second),
		flagEntry(q, "other", "o", "od", "aaaab", sub, 3*time.Second),
		flagEntry(q, "slow", "s", "sd", "aaaab", sub, 3*time.Minute),
	}
	if err := stack.Store.PutAttempts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if err := stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	svc := rounds.NewService(stack.Store, func() time.Time { return now })
	reason := "Đã gọi điện: người dự thi là giáo viên, thuộc đáp án"
	d, err := svc.Keep(ctx, organiser, q.ID, "fast", "  "+reason+" ")
	if err != nil {
		t.Fatalf("keep: %v", err)
	}

	t.Run("the decision is stored with who, when, why and that it keeps", func(t *testing.T) {
		ds, err := stack.Store.ListDecisions(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := contest.Decision{QuizID: q.ID, AttemptID: "fast", RoundID: "r1", Reason: reason, By: organiser.Username, At: now, Kind: contest.DecisionKeep}
		if len(ds) != 1 || ds[0] != want || d != want {
			t.Errorf("decisions = %+v, answered %+v; want %+v", ds, d, want)
		}
	})
	t.Run("the kept entry's flag reads as kept, the other's as pending", func(t *testing.T) {
		flags, err := svc.Flags(ctx, organiser, q.ID, "r1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*rounds.Kept{}
		for _, f := range flags {
			got[f.AttemptID+" "+f.Kind] = f.Kept
		}
		if len(got) != 2 || got["fast fast"] == nil || got["other fast"] != nil {
			t.Fatalf("flags %v, want fast kept and other pending", got)
		}
		if k := *got["fast fast"]; k.By != organiser.Username || k.Reason != reason || !k.At.Equal(now) {
			t.Errorf("kept = %+v, want by %s at %s with the reason", k, organiser.Username, now)
		}
	})
	t.Run("the kept entry stays in the ranking", func(t *testing.T) {
		a, err := stack.Store.GetAttempt(ctx, "fast")
		if err != nil || !a.Ranked {
			t.Errorf("kept entry ranked = %v (%v), want true", a.Ranked, err)
		}
	})

	officer := auth.Staff{Username: "cb", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "th-x"}
	if _, err := svc.Disqualify(ctx, organiser, q.ID, "other", "Nhờ người làm hộ"); err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name, attempt, reason string
		staff                 auth.Staff
		want                  apperr.Code
	}{
		{"a keep without a reason is refused", "slow", "  ", organiser, apperr.Validation},
		{"a keep of a disqualified entry is refused", "other", "Xem lại", organiser, apperr.Conflict},
		{"an officer may not keep an entry", "slow", "Xem lại", officer, apperr.Forbidden},
		{"an entry not in the contest answers as out of scope", "nope", "Xem lại", organiser, apperr.NotFound},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := svc.Keep(ctx, tt.staff, q.ID, tt.attempt, tt.reason); apperr.CodeOf(err) != tt.want {
				t.Errorf("keep = %v (code %q), want code %q", err, apperr.CodeOf(err), tt.want)
			}
		})
	}
}
