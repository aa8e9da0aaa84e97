package contest

import "time"

// Line is one ranked entry of a frozen round, with the details the exports need.
type Line struct {
	Ranked
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	CCCD         string `json:"cccd,omitempty"`
	Organization string `json:"organization,omitempty"`
}

// UnitCount is how many persons of a unit entered the round.
type UnitCount struct {
	UnitID   string `json:"unitId"`
	Label    string `json:"label"`
	Entrants int64  `json:"entrants"`
}

// Results is a closed round, frozen: its digest covers everything but the digest itself.
type Results struct {
	QuizID         string       `json:"quizId"`
	RoundID        string       `json:"roundId"`
	ClosedAt       time.Time    `json:"closedAt"`
	ClosedBy       string       `json:"closedBy"`
	Truth          int64        `json:"truth"`
	Entries        int64        `json:"entries"`
	Participants   int64        `json:"participants"`
	PerfectEntries int64        `json:"perfectEntries"`
	Lines          []Line       `json:"lines"` // the top of the ranking and every winner
	Collective     []UnitResult `json:"collective"`
	ByUnit         []UnitCount  `json:"byUnit"`
	Digest         string       `json:"digest"`
}

// Decision records an organiser's decision on an entry: who, when, why, and whether the
// entry is disqualified or kept.
type Decision struct {
	QuizID    string    `json:"quizId"`
	AttemptID string    `json:"attemptId"`
	RoundID   string    `json:"roundId"`
	Reason    string    `json:"reason"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	// Kind is DecisionDisqualify or DecisionKeep; decisions stored before keeping
	// existed have none and are disqualifications.
	Kind string `json:"kind,omitempty"`
}

// Decision kinds.
const (
	// DecisionDisqualify takes the entry out of the ranking.
	DecisionDisqualify = "disqualify"
	// DecisionKeep keeps a flagged entry in the ranking: its flags are reviewed.
	DecisionKeep = "keep"
)

// Keeps reports whether the decision keeps its entry.
func (d Decision) Keeps() bool { return d.Kind == DecisionKeep }
