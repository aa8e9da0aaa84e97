package dynamo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
)

func TestASlotsItemKeyGivesItsDayBack(t *testing.T) {
	midnight := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"the last slot of a day", midnight.Add(-time.Minute)},
		{"the first slot of the next", midnight},
		{"a slot at noon", midnight.Add(12 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slot := contest.BurstSlot(tc.at)
			day, ofDay := daySlot(slot)
			if want := tc.at.Unix() / 86400; day != want {
				t.Errorf("day %d, want %d (UTC days since the epoch)", day, want)
			}
			if ofDay < 0 || ofDay >= slotsPerDay || day*slotsPerDay+ofDay != slot {
				t.Errorf("slot %d of day %d, want 0..%d adding up to %d", ofDay, day, slotsPerDay-1, slot)
			}
			pk, _ := flagSlotsKey("quiz-1", "r1", day, 7)
			if got, ok := dayOfSlotsPK(pk); !ok || got != day {
				t.Errorf("dayOfSlotsPK(%q) = %d, %v, want %d, true", pk, got, ok, day)
			}
		})
	}
	t.Run("an answer counts key is no slots key", func(t *testing.T) {
		pk, _ := flagCountKey("quiz-1", "r1", 7)
		if _, ok := dayOfSlotsPK(pk); ok {
			t.Errorf("dayOfSlotsPK(%q) ok, want not", pk)
		}
	})
}

func TestABatchsCountsAreWrittenInSmallUpdatesThatAddUpToTheBatch(t *testing.T) {
	midnight := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	c := newBatchCounts("quiz-1", "r1", "first-entry")
	const entries = 250
	for i := range entries { // each its own answer to one of 250 questions; across midnight
		c.add(contest.FlagEntry{Answers: []string{fmt.Sprintf("q%03d=a", i), "common=b"}, SubmittedAt: midnight.Add(time.Duration(i-125) * time.Minute)})
	}
	ups := c.updates()
	answers, slots, entriesAdded := map[string]int64{}, int64(0), int64(0)
	pks := map[string]bool{}
	for _, u := range ups {
		if len(u.add) > countTermsPerUpdate {
			t.Errorf("an update of %s adds %d attributes, want at most %d", u.pk, len(u.add), countTermsPerUpdate)
		}
		pks[u.pk] = true
		for name, n := range u.add {
			switch {
			case u.entity == entityFlagCount && name == attrCountEntries:
				entriesAdded += n
			case u.entity == entityFlagCount && strings.HasPrefix(name, countAnswerPrefix):
				answers[strings.TrimPrefix(name, countAnswerPrefix)] += n
			case u.entity == entityFlagSlots && strings.HasPrefix(name, countSlotPrefix):
				slots += n
			default:
				t.Errorf("update of %s adds %s", u.entity, name)
			}
		}
	}
	if entriesAdded != entries || slots != entries || len(answers) != entries+1 || answers["common=b"] != entries {
		t.Errorf("the updates add %d entries, %d to slots, %d answers (common %d), want %d, %d, %d (%d)",
			entriesAdded, slots, len(answers), answers["common=b"], entries, entries, entries+1, entries)
	}
	cpk, _ := flagCountKey("quiz-1", "r1", roundShard("first-entry"))
	if want := 3; len(pks) != want || !pks[cpk] {
		t.Errorf("the updates write %v, want %d items: the answers of the first entry's shard %s and two days", pks, want, cpk)
	}
}
