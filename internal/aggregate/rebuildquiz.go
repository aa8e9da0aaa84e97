package aggregate

import (
	"context"

	"github.com/nq58/tracker/internal/quiz"
)

// QuizRebuildStore is what a per-quiz rebuild needs: it reads one quiz's attempts
// (through the participants' ledgers, never a scan) and replaces that quiz's counters
// and ledgers.
type QuizRebuildStore interface {
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	// QuizSubmittedAttempts returns every submitted attempt of a quiz that the
	// aggregator has counted (an attempt it never saw is not listed).
	QuizSubmittedAttempts(ctx context.Context, quizID string) ([]quiz.Attempt, error)
	// ReplaceQuizCounters makes a quiz's counters and ledgers equal to a rebuild of
	// attempts, the quiz's submitted attempts.
	ReplaceQuizCounters(ctx context.Context, quizID string, counters []Counter, attempts []quiz.Attempt) error
}

// RebuildQuiz recomputes one quiz's counters from its attempts and replaces the stored
// ones; it returns how many counters it wrote. Its cost follows that quiz's attempts.
// It sees the attempts the aggregator has counted: one whose stream record never
// reached the aggregator (lost, or still dead-lettered) is not in any ledger, and only
// the whole-table rebuild (RebuildStored, infra/rebuild without -quiz) finds it.
func RebuildQuiz(ctx context.Context, store QuizRebuildStore, quizID string) (int, error) {
	attempts, err := store.QuizSubmittedAttempts(ctx, quizID)
	if err != nil {
		return 0, err
	}
	counters := Rebuild(attempts)
	return len(counters), store.ReplaceQuizCounters(ctx, quizID, counters, attempts)
}

// RebuildAll rebuilds every quiz, one after another, and returns the counters written.
func RebuildAll(ctx context.Context, store QuizRebuildStore) (int, error) {
	quizzes, err := store.ListQuizzes(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, q := range quizzes {
		n, err := RebuildQuiz(ctx, store, q.ID)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
