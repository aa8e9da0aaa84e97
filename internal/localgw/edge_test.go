package localgw_test

// Attack tests of issue 22 ("The public edge holds"): what a stranger at the public edge
// tried, and what must hold.

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOneStartGivesAtMostOneEntryWhateverTheSpellingOfItsID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	ct := e.newContest(t, "hoi-thi-mot-luot", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	ct.Contest.AttemptsPerRound = 1
	ct.Version = 1 // the version newContest stored
	if err := e.stack.Store.PutQuiz(ctx, ct); err != nil {
		t.Fatal(err)
	}
	e.bank[ct.ID] = ct

	s := e.start(ct.ID, entrant("0977000101", "Lê Văn Tám", village, ""))
	body := map[string]any{"attemptToken": s.AttemptToken, "answers": e.answers(ct.ID, s.Questions, true), "prediction": 9}
	id := s.AttemptID
	upper := strings.ToUpper(id)
	spellings := []string{upper, "{" + id + "}", "{" + upper + "}", "urn:uuid:" + id, "URN:UUID:" + upper,
		strings.ReplaceAll(id, "-", ""), strings.ReplaceAll(upper, "-", "")}
	for _, sp := range spellings {
		t.Run("a submit under "+sp+" is not found", func(t *testing.T) {
			if status, raw := e.call("POST", "/v1/attempts/"+sp+"/submit", body); status != http.StatusNotFound {
				t.Errorf("submit = %d %s, want 404", status, raw)
			}
			if status, raw := e.call("GET", "/v1/attempts/"+sp+"?token="+s.AttemptToken, nil); status != http.StatusNotFound {
				t.Errorf("result = %d %s, want 404", status, raw)
			}
		})
	}
	t.Run("the canonical id is submitted", func(t *testing.T) {
		if status, raw := e.call("POST", "/v1/attempts/"+id+"/submit", body); status != http.StatusOK {
			t.Fatalf("submit = %d %s, want 200", status, raw)
		}
	})
	t.Run("the contest holds exactly one ranked entry for the start", func(t *testing.T) {
		all, err := e.stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored, ranked := 0, 0
		for _, a := range all {
			if a.QuizID == ct.ID {
				stored++
				if a.Ranked {
					ranked++
				}
			}
		}
		t.Logf("one start token, %d spellings of its id: %d stored entries, %d ranked", len(spellings)+1, stored, ranked)
		if stored != 1 || ranked != 1 {
			t.Errorf("stored %d entries (%d ranked), want 1 (1 ranked)", stored, ranked)
		}
	})
}
