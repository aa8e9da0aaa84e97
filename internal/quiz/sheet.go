package quiz

import (
	"time"

	"github.com/nq58/tracker/internal/apperr"
)

// CompleteSheet checks and grades the answers of a paper or assisted sheet with the same
// rules as a resident's submit, so a sheet counts exactly like an attempt on a phone.
// a carries the sheet's draw (Seed, QuestionIDs); free-text answers are refused, since
// paper carries only ticks and free text could hold personal data.
func CompleteSheet(a *Attempt, q Quiz, answers []Answer, now time.Time) error {
	for _, ans := range answers {
		if ans.Text != "" {
			return apperr.Errorf(apperr.Validation, "Phiếu giấy không nhận câu trả lời tự luận (câu %q)", ans.QuestionID)
		}
	}
	questions := AttemptQuestions(q, *a)
	canon, err := CheckAnswers(questions, answers)
	if err != nil {
		return err
	}
	a.StartedAt = now
	a.ExpiresAt = now
	Complete(a, q, questions, canon, now, nil)
	return nil
}
