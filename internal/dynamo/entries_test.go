package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/pseudonym"
)

func TestACitizenIDAndAPhoneAreClaimedOneToOne(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	lan, lam := contest.PersonKey(testKeys, "+84977000002"), contest.PersonKey(testKeys, "+84977000003")
	id1, id2 := contest.CCCDKey(testKeys, "038190001234"), contest.CCCDKey(testKeys, "038190005678")
	steps := []struct {
		name         string
		quiz, cccd   string
		person       string
		wantConflict bool
	}{
		{"a first claim is taken", "c1", id1, lan, false},
		{"the same pair again is taken", "c1", id1, lan, false},
		{"the citizen id with another phone conflicts", "c1", id1, lam, true},
		{"the phone with another citizen id conflicts", "c1", id2, lan, true},
		{"another phone with the free citizen id is taken", "c1", id2, lam, false},
		{"the same pair in another contest is taken", "c2", id1, lam, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := s.ClaimCCCD(ctx, st.quiz, st.cccd, st.person)
			if got := apperr.CodeOf(err) == apperr.Conflict; got != st.wantConflict || (err != nil && !got) {
				t.Errorf("ClaimCCCD = %v, want conflict %v", err, st.wantConflict)
			}
		})
	}
}

func TestConcurrentClaimsOfCitizenIDsLeaveOnePairEach(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	race := func(t *testing.T, n int, claim func(i int) error) (taken, conflicts int) {
		t.Helper()
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := claim(i)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					taken++
				case apperr.CodeOf(err) == apperr.Conflict:
					conflicts++
				default:
					t.Errorf("claim %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		return taken, conflicts
	}
	t.Run("one phone claiming twenty citizen ids at once gets one", func(t *testing.T) {
		person := contest.PersonKey(testKeys, "+84988000001")
		taken, conflicts := race(t, 20, func(i int) error {
			return s.ClaimCCCD(ctx, "c1", contest.CCCDKey(testKeys, fmt.Sprintf("0381900%05d", i)), person)
		})
		if taken != 1 || conflicts != 19 {
			t.Errorf("taken %d, conflicts %d; want 1 and 19", taken, conflicts)
		}
	})
	t.Run("twenty phones claiming one citizen id at once leave it to one", func(t *testing.T) {
		id := contest.CCCDKey(testKeys, "038190009999")
		taken, conflicts := race(t, 20, func(i int) error {
			return s.ClaimCCCD(ctx, "c1", id, contest.PersonKey(testKeys, fmt.Sprintf("+8498810%04d", i)))
		})
		if taken != 1 || conflicts != 19 {
			t.Errorf("taken %d, conflicts %d; want 1 and 19", taken, conflicts)
		}
	})
}

// testKeys stands for the deployment's secret.
var testKeys = pseudonym.MustNew([]byte("a test secret of thirty-two bytes!"))
