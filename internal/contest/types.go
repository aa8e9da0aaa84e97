// Package contest holds the rules of Vietnamese online contests ("Hội thi"): rounds,
// the prediction tie-break, configurable ranking, prize tiers with a cap and one prize
// per person, collective prizes for units, masking of personal details, and the digest
// that freezes a round's results. Pure domain: no storage, no AWS.
package contest

import "time"

// Ranking criteria, in the order an organiser lists them.
const (
	ByScore              = "score"              // high first
	ByPredictionDistance = "predictionDistance" // |prediction − truth|, small first
	ByDuration           = "durationMs"         // short first
	BySubmittedAt        = "submittedAt"        // early first
)

// DefaultRanking is used when a contest lists none.
var DefaultRanking = []string{ByScore, ByPredictionDistance, ByDuration, BySubmittedAt}

// Prediction truths: what the prediction question asks residents to guess, computed
// when the round closes.
const (
	TruthEntries        = "entries"        // submitted attempts in the round
	TruthParticipants   = "participants"   // distinct persons
	TruthPerfectEntries = "perfectEntries" // attempts with every answer correct
)

// Round is one period of a contest.
type Round struct {
	ID string `json:"id"`
	// Name is what people read ("Vòng 1", "Tuần 2"); the id stays in links and keys.
	// Normalized fills an empty name with "Vòng <position>".
	Name     string    `json:"name,omitempty"`
	OpensAt  time.Time `json:"opensAt"`
	ClosesAt time.Time `json:"closesAt"`
}

// Prize is a tier: giải Nhất, Nhì, Ba, Khuyến khích…
type Prize struct {
	Tier   string `json:"tier"`
	Count  int    `json:"count"`
	Amount int64  `json:"amount"` // VND
}

// Collective configures the unit prizes: units ranked by a weighted sum of their
// participation rate (entrants ÷ population, %) and their share of all entrants (%).
type Collective struct {
	Count               int     `json:"count"`               // how many units get a prize
	ParticipationWeight float64 `json:"participationWeight"` // default 0.7
	EntrantsWeight      float64 `json:"entrantsWeight"`      // default 0.3
	UnitKind            string  `json:"unitKind"`            // rank units of this kind (default: villages, the leaves)
}

// Config is the contest block of a quiz of kind contest.
type Config struct {
	Rounds           []Round `json:"rounds"`
	AttemptsPerRound int     `json:"attemptsPerRound"` // default 1
	Prediction       struct {
		Text  string `json:"text"`
		Truth string `json:"truth"`
	} `json:"prediction"`
	Ranking           []string   `json:"ranking"`
	Prizes            []Prize    `json:"prizes"`
	PrizeCapPercent   int        `json:"prizeCapPercent"`   // 0: no cap
	OnePrizePerPerson *bool      `json:"onePrizePerPerson"` // nil: true
	Collective        Collective `json:"collective"`
	// FastSecondsPerQuestion flags attempts faster than this per question (default 3).
	FastSecondsPerQuestion int `json:"fastSecondsPerQuestion"`
	// MinPrizeScore is the lowest score that can win a prize (default 1: at least one
	// correct answer, every scored question being worth at least a point), so an entry
	// with nothing right never wins, however fast or well predicted.
	MinPrizeScore int `json:"minPrizeScore"`
	// TopN is how many entries the public results page shows (default 10).
	TopN int `json:"topN"`
	// KeepPersonalDataDays is how long after the last round closes the entrants'
	// names, phones and CCCD numbers are kept (default 90); then they are purged.
	KeepPersonalDataDays int `json:"keepPersonalDataDays"`
	// VerifyPhone requires entrants to prove their phone with a code sent by SMS before
	// they start (nil: on when the contest has prizes).
	VerifyPhone *bool `json:"verifyPhone"`
	// AllowUnverified is the organiser's confirmation that a contest with prizes runs
	// without phone verification (verifyPhone false): without it such a contest is
	// refused, so prizes never go to unverified phones by an oversight.
	AllowUnverified bool `json:"allowUnverified,omitempty"`
}

// Entry is one ranked attempt of a round, with what ranking and prizes need.
type Entry struct {
	AttemptID   string    `json:"attemptId"`
	Person      string    `json:"person"` // identity key: the normalised phone, hashed
	UnitID      string    `json:"unitId"`
	Score       int       `json:"score"`
	MaxScore    int       `json:"maxScore"`
	Prediction  int64     `json:"prediction"`
	DurationMs  int64     `json:"durationMs"`
	SubmittedAt time.Time `json:"submittedAt"`
}

// Ranked is an entry with its place and, once prizes are awarded, its tier.
type Ranked struct {
	Entry
	Rank     int    `json:"rank"`     // 1-based; equal entries on every criterion share a rank
	Distance int64  `json:"distance"` // |prediction − truth|
	Tier     string `json:"tier,omitempty"`
	Amount   int64  `json:"amount,omitempty"`
}

// UnitResult is a unit's standing for the collective prizes.
type UnitResult struct {
	UnitID            string  `json:"unitId"`
	Entrants          int64   `json:"entrants"`
	Population        int64   `json:"population"`
	ParticipationRate float64 `json:"participationRate"` // %
	EntrantsShare     float64 `json:"entrantsShare"`     // % of all entrants
	Points            float64 `json:"points"`
	Rank              int     `json:"rank"`
	Prize             bool    `json:"prize"`
}

// RoundStats are a round's totals, kept by the aggregator.
type RoundStats struct {
	Entries, Perfect, Persons int64
	PersonsByUnit             map[string]int64
}
