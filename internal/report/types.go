// Package report turns the aggregator's counters into the officer's reports: awareness
// by village or group, topic gaps, question analysis, survey results, trends, the
// activity log beside them, and the annual evaluation. Reports read counters (a constant
// number of reads per village), never attempts.
package report

import "github.com/nq58/tracker/internal/quiz"

// DefaultMinGroup is the smallest group whose mean and rates are shown; smaller groups
// show counts only ("too few to judge").
const DefaultMinGroup = 5

// Query selects counters: a quiz, a unit subtree and a month range (inclusive, YYYY-MM;
// empty means unbounded).
type Query struct {
	QuizID   string
	UnitID   string
	From, To string
	// MinGroup overrides DefaultMinGroup when above 0.
	MinGroup int
}

// AwarenessQuery adds the grouping: village (default), organization, ageBand, gender.
type AwarenessQuery struct {
	Query
	GroupBy string
}

// TopicRate is one topic's result in a group.
type TopicRate struct {
	Topic       string   `json:"topic"`
	Label       string   `json:"label"`
	Answered    int64    `json:"answered"`
	CorrectRate *float64 `json:"correctRate"` // percent; null when suppressed
}

// Row is one group of an awareness report. Percentages are 0–100; the pointer fields
// are null when suppressed or not applicable (no population for a group).
type Row struct {
	Key          string `json:"key"` // the unit id when grouped by village
	Label        string `json:"label"`
	Participants int64  `json:"participants"`
	// Paper and Assisted are the participants reached on a paper sheet or entered with an
	// officer (internal/paper/sheets), included in Participants.
	Paper             int64     `json:"paper,omitempty"`
	Assisted          int64     `json:"assisted,omitempty"`
	Population        int64     `json:"population"`
	ParticipationRate *float64  `json:"participationRate"`
	MeanScore         *float64  `json:"meanScore"`
	CI95              []float64 `json:"ci95"` // [lo, hi] or null: Student t interval of the mean
	PassRate          *float64  `json:"passRate"`
	// PassRateCI95 and ParticipationRateCI95 are Wilson 95 % intervals [lo, hi] in
	// percent, null when suppressed or undefined (no population, more participants
	// than residents).
	PassRateCI95          []float64   `json:"passRateCi95"`
	ParticipationRateCI95 []float64   `json:"participationRateCi95"`
	Suppressed            bool        `json:"suppressed"`
	Topics                []TopicRate `json:"topics"`
	// SuspectSubmissions are attempts started past a source's or client's soft limit:
	// left out of participants, mean and rates.
	SuspectSubmissions int64 `json:"suspectSubmissions"`
	// OverPopulation says the participants exceed the unit's population (15+).
	OverPopulation bool `json:"overPopulation"`
	// Concentrated says more than ConcentratedSharePercent of the participants came from
	// one address (see Concentrated).
	Concentrated bool `json:"concentrated"`
	// Weighted is the population-weighted (stratified) figure of a parent unit over its
	// villages (weighted.go): only on the total of a report grouped by village, where
	// the rows have a population.
	Weighted *Weighted `json:"weighted,omitempty"`
}

// Awareness is GET /v1/reports/awareness.
type Awareness struct {
	quiz.Seal
	QuizID  string `json:"quizId"`
	UnitID  string `json:"unitId"`
	From    string `json:"from"`
	To      string `json:"to"`
	GroupBy string `json:"groupBy"`
	// MinGroup is the smallest group whose mean and rates are shown in this report.
	MinGroup int   `json:"minGroup"`
	Rows     []Row `json:"rows"`
	Total    Row   `json:"total"`
}

// TopicCell is one village × topic cell.
type TopicCell struct {
	Topic       string   `json:"topic"`
	Answered    int64    `json:"answered"`
	CorrectRate *float64 `json:"correctRate"`
}

// TopicRow is one village of the topic-gap table.
type TopicRow struct {
	UnitID       string      `json:"unitId"`
	Label        string      `json:"label"`
	Participants int64       `json:"participants"`
	Suppressed   bool        `json:"suppressed"`
	Cells        []TopicCell `json:"cells"`
}

// Topics is GET /v1/reports/topics: villages × topics, with the weakest topic per village.
type Topics struct {
	quiz.Seal
	QuizID string `json:"quizId"`
	UnitID string `json:"unitId"`
	Topics []struct {
		Topic string `json:"topic"`
		Label string `json:"label"`
	} `json:"topics"`
	Rows  []TopicRow `json:"rows"`
	Total TopicRow   `json:"total"`
}

// Question flags.
const (
	FlagTooEasy   = "too_easy" // facility above 90 %
	FlagTooHard   = "too_hard" // facility below 20 %
	FlagNegative  = "negative" // discrimination below 0: a likely wrong key
	FlagWeak      = "weak"     // discrimination below 0.2
	FlagTooFew    = "too_few"  // fewer answers than MinGroup
	FlagNoProblem = ""
)

// QuestionStat is one question of the question analysis.
type QuestionStat struct {
	QuestionID     string   `json:"questionId"`
	Text           string   `json:"text"`
	Topic          string   `json:"topic"`
	N              int64    `json:"n"`
	Facility       *float64 `json:"facility"`       // share correct, 0–1
	Discrimination *float64 `json:"discrimination"` // corrected (item–rest) point-biserial, −1–1
	Flag           string   `json:"flag"`
}

// Questions is GET /v1/reports/questions.
type Questions struct {
	quiz.Seal
	QuizID    string         `json:"quizId"`
	Questions []QuestionStat `json:"questions"`
}

// OptionCount is how often an option (or likert value) was chosen.
type OptionCount struct {
	OptionID string   `json:"optionId"`
	Text     string   `json:"text"`
	Count    int64    `json:"count"`
	Percent  *float64 `json:"percent"` // of participants who answered the question
}

// SurveyQuestion is one question's answer distribution, overall and by village.
type SurveyQuestion struct {
	QuestionID string        `json:"questionId"`
	Text       string        `json:"text"`
	Kind       string        `json:"kind"`
	Options    []OptionCount `json:"options"`
	ByUnit     []struct {
		UnitID  string        `json:"unitId"`
		Label   string        `json:"label"`
		Options []OptionCount `json:"options"`
	} `json:"byUnit"`
}

// Survey is GET /v1/reports/survey.
type Survey struct {
	quiz.Seal
	QuizID       string `json:"quizId"`
	UnitID       string `json:"unitId"`
	Participants int64  `json:"participants"`
	// MinGroup is the smallest group whose option shares are shown in this report.
	MinGroup  int              `json:"minGroup"`
	Questions []SurveyQuestion `json:"questions"`
}

// TrendPoint is one period of a trend.
type TrendPoint struct {
	Period       string    `json:"period"` // 2026-11, 2026-Q4 or 2026
	Participants int64     `json:"participants"`
	MeanScore    *float64  `json:"meanScore"`
	CI95         []float64 `json:"ci95"`
	PassRate     *float64  `json:"passRate"`
	PassRateCI95 []float64 `json:"passRateCi95"` // Wilson 95 % interval, percent
	Suppressed   bool      `json:"suppressed"`
}

// Trend is GET /v1/reports/trend, with this year against last year.
type Trend struct {
	quiz.Seal
	QuizID   string       `json:"quizId"`
	UnitID   string       `json:"unitId"`
	Period   string       `json:"period"`
	Points   []TrendPoint `json:"points"`
	ThisYear TrendPoint   `json:"thisYear"`
	LastYear TrendPoint   `json:"lastYear"`
}
