package quiz

import (
	"time"

	"github.com/nq58/tracker/internal/contest"
)

// ResultsAfter is the moment a contest round may be closed and its results published:
// its end plus SubmitGrace, so that an entry in flight at the end still counts. The
// organiser's page counts down to it and the resident's receipt names it.
func ResultsAfter(r contest.Round) time.Time { return r.ClosesAt.Add(SubmitGrace) }

// KeySealedNote is what staff read where a figure graded with a contest's secret key
// (a score, a facility, an option's share, a mean) is hidden.
const KeySealedNote = "Hội thi đang diễn ra: số liệu đáp án ẩn đến khi đóng vòng"

// KeySecretUntil is when q's answer key stops being secret: the results time of the
// contest's last round (see ResultsAfter), so that no entry can still be made with the
// key known. It is zero for a quiz or a survey, whose key is never secret.
func KeySecretUntil(q Quiz) time.Time {
	var until time.Time
	if q.Kind != KindContest || q.Contest == nil {
		return until
	}
	for _, r := range q.Contest.Rounds {
		if t := ResultsAfter(r); t.After(until) {
			until = t
		}
	}
	return until
}

// KeySecret reports whether q's answer key is still secret at now: a contest's until
// the results time of its last round.
func KeySecret(q Quiz, now time.Time) bool {
	until := KeySecretUntil(q)
	return !until.IsZero() && !now.After(until)
}

// Seal marks an answer whose figures graded with a secret key are hidden from its
// reader, and until when; the zero Seal marks nothing.
type Seal struct {
	Sealed      bool       `json:"sealed,omitempty"`
	SealedUntil *time.Time `json:"sealedUntil,omitempty"`
	SealedNote  string     `json:"sealedNote,omitempty"`
}

// SealOf returns the seal of an answer about q whose graded figures are hidden: sealed
// until q's key stops being secret, with the note staff read.
func SealOf(q Quiz) Seal {
	until := KeySecretUntil(q).UTC()
	return Seal{Sealed: true, SealedUntil: &until, SealedNote: KeySealedNote}
}

// RoundSummary is a contest round as GET /v1/quizzes lists it: what a resident reads
// (the name, the times, when results come), nothing about answers.
type RoundSummary struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	OpensAt      time.Time `json:"opensAt"`
	ClosesAt     time.Time `json:"closesAt"`
	ResultsAfter time.Time `json:"resultsAfter"`
}

// RoundSummaries lists a contest's rounds with their names (nil for other quizzes).
func RoundSummaries(q Quiz) []RoundSummary {
	if q.Kind != KindContest || q.Contest == nil {
		return nil
	}
	rounds := q.Contest.Normalized().Rounds
	out := make([]RoundSummary, len(rounds))
	for i, r := range rounds {
		out[i] = RoundSummary{ID: r.ID, Name: r.Name, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, ResultsAfter: ResultsAfter(r)}
	}
	return out
}
