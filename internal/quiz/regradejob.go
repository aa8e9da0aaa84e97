package quiz

import "time"

// RegradePhase is where a regrade job stands.
type RegradePhase string

const (
	// RegradeRunning: the job walks every shard of the quiz's attempts once.
	RegradeRunning RegradePhase = "running"
	// RegradeSweeping: walks that start once no warm Lambda can still grade with the
	// old key (its quiz cache has expired) and every attempt it graded has reached the
	// ledgers, catching attempts graded stale meanwhile; they repeat until one walk
	// regrades nothing.
	RegradeSweeping RegradePhase = "sweeping"
	// RegradeDone: every attempt asked a corrected question has the new grade.
	RegradeDone RegradePhase = "done"
)

// Cursor values of a regrade job's shard checkpoints besides an index position.
const (
	CursorStart = "^" // the shard is not started
	CursorDone  = "$" // the shard is done in this phase
)

// RegradeJob is an answer-key correction's regrade of a quiz's attempts: resumable, with
// a checkpoint per shard of the quiz's attempts.
type RegradeJob struct {
	ID         string       `json:"jobId"`
	QuizID     string       `json:"quizId"`
	QuestionID string       `json:"questionId"`
	KeyVersion int          `json:"keyVersion"` // the quiz's grade version the correction made
	Phase      RegradePhase `json:"status"`
	// Cursors is each shard's checkpoint in the current phase: CursorStart, an index
	// position, or CursorDone.
	Cursors map[string]string `json:"-"`
	Checked int               `json:"checked"` // attempts read with an older grade
	Changed int               `json:"changed"` // attempts regraded
	// Pass counts the walks begun after the first; PassChanged is what the current
	// walk has regraded so far (a sweep that regraded nothing ends the job).
	Pass        int       `json:"pass"`
	PassChanged int       `json:"passChanged"`
	CreatedAt   time.Time `json:"createdAt"`
	SweepAfter  time.Time `json:"sweepAfter"`         // the sweeps start after this
	UpdatedAt   time.Time `json:"updatedAt,omitzero"` // zero (left out) until the job first moves
}

// ShardsDone counts the shards finished in the current phase.
func (j RegradeJob) ShardsDone() int {
	n := 0
	for _, c := range j.Cursors {
		if c == CursorDone {
			n++
		}
	}
	return n
}
