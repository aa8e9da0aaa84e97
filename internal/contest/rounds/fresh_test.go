package rounds_test

import (
	"context"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/quiz"
)

// TestTheFlagsAreAsFreshAsTheRanking reads the flags of a round right after entries were
// stored, before the stream aggregator saw them (in AWS it gathers a batch for up to 20 s,
// longer than the organiser page's 15 s refresh): what the ranking shows is already
// judged by the rules that need only the entry.
func TestTheFlagsAreAsFreshAsTheRanking(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	stack, q := flagRound(t, now, "hoi-thi-tuoi")
	sub := now.Add(-time.Hour)
	entries := []quiz.Attempt{
		flagEntry(q, "fast", "f", "fd", "aaaaa", sub, 4*time.Second),
		flagEntry(q, "slow", "s", "sd", "aaaab", sub, 3*time.Minute),
	}
	if err := stack.Store.PutAttempts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	top, err := stack.Store.TopEntries(ctx, q.ID, "r1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 {
		t.Fatalf("the ranking reads %d entries before the aggregator, want 2", len(top))
	}
	got, details := roundFlags(t, stack.Store, now, q.ID)
	tests := []struct {
		name, key, detail string
	}{
		{"the entry answered in four seconds is flagged before the aggregator runs", "fast fast", "4 giây cho 5 câu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d, ok := details[tt.key]; !ok || d != tt.detail {
				t.Errorf("flags %v (%d of them), want %q with detail %q", got, len(got), tt.key, tt.detail)
			}
		})
	}
	t.Run("the aggregator's flag for it later makes no second line", func(t *testing.T) {
		if err := stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := roundFlags(t, stack.Store, now, q.ID); len(again) != 1 || again[0] != "fast fast" {
			t.Errorf("flags after the aggregator: %v, want [fast fast]", again)
		}
	})
}
