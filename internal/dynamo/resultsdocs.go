package dynamo

import (
	"time"

	"github.com/nq58/tracker/internal/contest"
)

// Stored JSON documents of the contest: private, so that a change of the API's structs
// cannot change what is stored. Their names are those contest.Results and
// contest.Decision had when they were stored directly, so earlier items read back.

// resultsItem is a round's frozen results.
type resultsItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	Body   string `dynamodbav:"body"` // resultsDoc as JSON
	Digest string `dynamodbav:"digest"`
}

// Attribute names of resultsItem that a purge updates and compares.
const (
	attrBody   = "body"
	attrDigest = "digest"
)

type resultsDoc struct {
	QuizID         string          `json:"quizId"`
	RoundID        string          `json:"roundId"`
	ClosedAt       time.Time       `json:"closedAt"`
	ClosedBy       string          `json:"closedBy"`
	Truth          int64           `json:"truth"`
	Entries        int64           `json:"entries"`
	Participants   int64           `json:"participants"`
	PerfectEntries int64           `json:"perfectEntries"`
	Lines          []lineDoc       `json:"lines"`
	Collective     []unitResultDoc `json:"collective"`
	ByUnit         []unitCountDoc  `json:"byUnit"`
	Digest         string          `json:"digest"`
}

// lineDoc is a contest.Line with its embedded Ranked and Entry flattened, as JSON
// flattened them.
type lineDoc struct {
	AttemptID    string    `json:"attemptId"`
	Person       string    `json:"person"`
	UnitID       string    `json:"unitId"`
	Score        int       `json:"score"`
	MaxScore     int       `json:"maxScore"`
	Prediction   int64     `json:"prediction"`
	DurationMs   int64     `json:"durationMs"`
	SubmittedAt  time.Time `json:"submittedAt"`
	Rank         int       `json:"rank"`
	Distance     int64     `json:"distance"`
	Tier         string    `json:"tier,omitempty"`
	Amount       int64     `json:"amount,omitempty"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	CCCD         string    `json:"cccd,omitempty"`
	Organization string    `json:"organization,omitempty"`
}

type unitResultDoc struct {
	UnitID            string  `json:"unitId"`
	Entrants          int64   `json:"entrants"`
	Population        int64   `json:"population"`
	ParticipationRate float64 `json:"participationRate"`
	EntrantsShare     float64 `json:"entrantsShare"`
	Points            float64 `json:"points"`
	Rank              int     `json:"rank"`
	Prize             bool    `json:"prize"`
}

type unitCountDoc struct {
	UnitID   string `json:"unitId"`
	Label    string `json:"label"`
	Entrants int64  `json:"entrants"`
}

// mapSlice maps a slice element by element, keeping nil as nil.
func mapSlice[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

func toResultsDoc(r contest.Results) resultsDoc {
	return resultsDoc{QuizID: r.QuizID, RoundID: r.RoundID, ClosedAt: r.ClosedAt, ClosedBy: r.ClosedBy, Truth: r.Truth,
		Entries: r.Entries, Participants: r.Participants, PerfectEntries: r.PerfectEntries, Digest: r.Digest,
		Lines: mapSlice(r.Lines, func(l contest.Line) lineDoc {
			return lineDoc{AttemptID: l.AttemptID, Person: l.Person, UnitID: l.UnitID, Score: l.Score, MaxScore: l.MaxScore,
				Prediction: l.Prediction, DurationMs: l.DurationMs, SubmittedAt: l.SubmittedAt, Rank: l.Rank,
				Distance: l.Distance, Tier: l.Tier, Amount: l.Amount, Name: l.Name, Phone: l.Phone, CCCD: l.CCCD,
				Organization: l.Organization}
		}),
		Collective: mapSlice(r.Collective, func(u contest.UnitResult) unitResultDoc { return unitResultDoc(u) }),
		ByUnit:     mapSlice(r.ByUnit, func(u contest.UnitCount) unitCountDoc { return unitCountDoc(u) }),
	}
}

func (d resultsDoc) toDomain() contest.Results {
	return contest.Results{QuizID: d.QuizID, RoundID: d.RoundID, ClosedAt: d.ClosedAt, ClosedBy: d.ClosedBy, Truth: d.Truth,
		Entries: d.Entries, Participants: d.Participants, PerfectEntries: d.PerfectEntries, Digest: d.Digest,
		Lines: mapSlice(d.Lines, func(l lineDoc) contest.Line {
			return contest.Line{Ranked: contest.Ranked{
				Entry: contest.Entry{AttemptID: l.AttemptID, Person: l.Person, UnitID: l.UnitID, Score: l.Score,
					MaxScore: l.MaxScore, Prediction: l.Prediction, DurationMs: l.DurationMs, SubmittedAt: l.SubmittedAt},
				Rank: l.Rank, Distance: l.Distance, Tier: l.Tier, Amount: l.Amount},
				Name: l.Name, Phone: l.Phone, CCCD: l.CCCD, Organization: l.Organization}
		}),
		Collective: mapSlice(d.Collective, func(u unitResultDoc) contest.UnitResult { return contest.UnitResult(u) }),
		ByUnit:     mapSlice(d.ByUnit, func(u unitCountDoc) contest.UnitCount { return contest.UnitCount(u) }),
	}
}

// decisionItem is a disqualification or a keep, sorted by time in its contest's partition.
type decisionItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	Body   string `dynamodbav:"body"` // decisionDoc as JSON
}

type decisionDoc struct {
	QuizID    string    `json:"quizId"`
	AttemptID string    `json:"attemptId"`
	RoundID   string    `json:"roundId"`
	Reason    string    `json:"reason"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Kind      string    `json:"kind,omitempty"`
}

// cccdItem ties a citizen id to the person who first entered with it.
type cccdItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	Person string `dynamodbav:"person"`
}

// staffItem marks a staff account's phone; its key says everything.
type staffItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
}

// personCCCDItem ties a person to the one citizen id they entered a contest with.
type personCCCDItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	Entity  string `dynamodbav:"e"`
	CCCDKey string `dynamodbav:"ck"` // the hashed citizen id (contest.CCCDKey), never the number
}

// Attribute names of items above and of attemptItem that updates and conditions use.
const (
	attrEntries    = "n" // a person's entries in a round, on the ENTRY item
	attrPerson     = "person"
	attrCCCDKey    = "ck"
	attrStatus     = "status"
	attrScore      = "score"
	attrResult     = "res"
	attrRanked     = "ranked"
	attrDQ         = "dq"
	attrPurged     = "purged"
	attrName       = "name"
	attrPhone      = "phone"
	attrCCCD       = "cccd"
	attrOrg        = "org"
	attrBirthYear  = "birthYear"
	attrGender     = "gender"
	attrClientID   = "clientId"
	attrTokenHash  = "tok"
	attrSubmitted  = "submittedAt"
	attrDurationMs = "durationMs"
	attrPrediction = "pred"
)
