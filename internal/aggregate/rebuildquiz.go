package aggregate

import (
	"context"

	"github.com/nq58/tracker/internal/quiz"
)

// QuizRebuildStore is what a per-quiz rebuild needs: it reads one quiz's attempts
// (through an index, never a scan) and replaces that quiz's counters and claims.
type QuizRebuildStore interface {
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	// QuizSubmittedAttempts returns every submitted attempt of a quiz.
	QuizSubmittedAttempts(ctx context.Context, quizID string) ([]quiz.Attempt, error)
	// ReplaceQuizCounters makes a quiz's counters and first-attempt claims equal to a
	// rebuild; attempts are the quiz's submitted attempts (their identities' claims).
	ReplaceQuizCounters(ctx context.Context, quizID string, counters []Counter, firsts, attempts []quiz.Attempt) error
}

// RebuildQuiz recomputes one quiz's counters from its attempts and replaces the stored
// ones; it returns how many counters it wrote. Its cost follows that quiz's attempts.
func RebuildQuiz(ctx context.Context, store QuizRebuildStore, quizID string) (int, error) {
	attempts, err := store.QuizSubmittedAttempts(ctx, quizID)
	if err != nil {
		return 0, err
	}
	counters := Rebuild(attempts)
	return len(counters), store.ReplaceQuizCounters(ctx, quizID, counters, Firsts(attempts), attempts)
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
