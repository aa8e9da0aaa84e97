// Package aggregate keeps the awareness counters that reports read in constant time:
// per (quiz, village, month), fed by submitted attempts. It imports no AWS package.
package aggregate

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/groups"
	"github.com/nq58/tracker/internal/quiz"
)

// Key names one counter: a quiz, a village and a month (YYYY-MM in Vietnam time).
type Key struct {
	QuizID string
	UnitID string
	Month  string
}

// Counter sums the first attempts of participants (later attempts are practice and
// only count as submissions). Scores are kept in milli-percent integers so sums are
// exact whatever the order they are added in.
type Counter struct {
	Key
	Submissions int64
	// SuspectSubmissions count attempts started past a source's or client's soft limit:
	// they are counted here only, never as submissions, participants, scores or rates.
	SuspectSubmissions int64
	Participants       int64
	Scored             int64 // participants whose attempt had a maximum score above 0
	ScoreSum           int64 // sum of score percentages × 1000
	ScoreSqSum         int64 // sum of squares of those milli-percentages
	Passes             int64
	Topics             map[string]quiz.TopicTally
	// Groups count participants by organisation, age band and gender ("org:hpn", ...).
	Groups map[string]GroupTally
	// Questions hold what question analysis needs, per scored question.
	Questions map[string]QuestionTally
	// Options count chosen options (and likert values), "<question>:<option>".
	Options map[string]int64
}

// GroupTally sums first attempts of one group.
type GroupTally struct {
	Participants int64 `json:"participants"`
	Scored       int64 `json:"scored"`
	ScoreSum     int64 `json:"scoreSum"`
	ScoreSqSum   int64 `json:"scoreSqSum"`
	Passes       int64 `json:"passes"`
}

// QuestionTally sums, over first attempts that were asked the question, how many
// answered it correctly (Σ item; items are 0 or 1, so Σ item² is the same), their total
// scores (milli-percent), and their rest scores: the number of the attempt's other
// scored questions answered correctly (Σ rest, Σ rest², Σ item·rest). That is enough for
// facility and the corrected item–rest discrimination without reading attempts.
type QuestionTally struct {
	N               int64 `json:"n"`
	Correct         int64 `json:"correct"`
	ScoreSum        int64 `json:"scoreSum"`
	ScoreSqSum      int64 `json:"scoreSqSum"`
	CorrectScoreSum int64 `json:"correctScoreSum"`
	RestSum         int64 `json:"restSum"`
	RestSqSum       int64 `json:"restSqSum"`
	CorrectRestSum  int64 `json:"correctRestSum"`
}

// Event is what the aggregator needs from one submitted attempt.
type Event struct {
	AttemptID    string
	Identity     string
	SubmittedAt  time.Time
	Key          Key
	Scored       bool
	ScoreMilli   int64
	Passed       bool
	Topics       map[string]quiz.TopicTally
	Groups       []string        // report groups: organisation, age band, gender
	Correct      map[string]bool // scored question → answered correctly
	Options      []string        // chosen options, "<question>:<option>"
	GradeVersion int             // a regraded attempt arrives again with a higher version
	RoundID      string          // contests: the round of the entry
	Perfect      bool            // every scored answer correct
	Suspect      bool            // started past a soft limit: counted only in SuspectSubmissions
}

// MonthOf returns the counter month of t.
func MonthOf(t time.Time) string { return t.In(quiz.VietnamTime).Format("2006-01") }

// EventOf extracts the aggregation event of a submitted attempt.
func EventOf(a quiz.Attempt) Event {
	return Event{
		AttemptID:    a.ID,
		Identity:     a.IdentityKey(),
		SubmittedAt:  a.SubmittedAt,
		Key:          Key{QuizID: a.QuizID, UnitID: a.Participant.UnitID, Month: MonthOf(a.SubmittedAt)},
		Scored:       a.MaxScore > 0,
		ScoreMilli:   int64(math.Round(a.ScorePercent() * 1000)),
		Passed:       a.Passed(),
		Topics:       a.Topics,
		Groups:       append(groupKeys(a.Participant, a.SubmittedAt.In(quiz.VietnamTime).Year()), sourceGroupKeys(a)...),
		Correct:      a.Correct,
		Options:      optionKeys(a.Answers),
		RoundID:      a.RoundID,
		GradeVersion: a.GradeVersion,
		Perfect:      a.MaxScore > 0 && a.Score == a.MaxScore,
		Suspect:      a.Suspect,
	}
}

// SourceGroupPrefix names the group of a shared source's participants ("src:<tag>",
// quiz.Attempt.SourceTag): counted like any report group, one per shared source of the
// village and month, so a report can tell the share the busiest source brought without
// reading attempts. A household's starts carry no tag and add no group.
const SourceGroupPrefix = "src:"

// sourceGroupKeys are the channel's group and, for a shared source, the source's.
func sourceGroupKeys(a quiz.Attempt) []string {
	keys := quiz.ChannelGroupKeys(a.Channel)
	if a.SourceTag != "" {
		keys = append(keys, SourceGroupPrefix+a.SourceTag)
	}
	return keys
}

// groupKeys are the report groups an attempt counts in: organisation, age band, gender.
func groupKeys(p quiz.Participant, year int) []string {
	return []string{"org:" + groups.OrganisationCode(p.Organization), "age:" + groups.AgeBand(p.BirthYear, year), "gender:" + groups.GenderGroup(p.Gender)}
}

// optionKeys are the answer-distribution keys of an attempt's answers: "<question>:<option>"
// for choices, "<question>:<1..5>" for likert; free text is not counted.
func optionKeys(answers []quiz.Answer) []string {
	var out []string
	for _, a := range answers {
		for _, o := range a.OptionIDs {
			out = append(out, a.QuestionID+":"+o)
		}
		if a.Value != 0 {
			out = append(out, a.QuestionID+":"+strconv.Itoa(a.Value))
		}
	}
	return out
}

// TopSource is the number of participants the busiest shared source brought to c.
func (c Counter) TopSource() int64 {
	var top int64
	for k, g := range c.Groups {
		if strings.HasPrefix(k, SourceGroupPrefix) {
			top = max(top, g.Participants)
		}
	}
	return top
}

// Delta is what one event adds to its counter. A suspect event adds only to the suspect
// tally, and is never a first attempt.
func Delta(e Event, first bool) Counter {
	if e.Suspect {
		return Counter{Key: e.Key, SuspectSubmissions: 1}
	}
	c := Counter{Key: e.Key, Submissions: 1}
	if !first {
		return c
	}
	c.Participants = 1
	g := GroupTally{Participants: 1}
	if e.Scored {
		g = GroupTally{Participants: 1, Scored: 1, ScoreSum: e.ScoreMilli, ScoreSqSum: e.ScoreMilli * e.ScoreMilli}
		if e.Passed {
			g.Passes = 1
		}
	}
	c.Groups = make(map[string]GroupTally, len(e.Groups))
	for _, k := range e.Groups {
		c.Groups[k] = g
	}
	if len(e.Options) > 0 {
		c.Options = make(map[string]int64, len(e.Options))
		for _, k := range e.Options {
			c.Options[k]++
		}
	}
	if e.Scored && len(e.Correct) > 0 {
		c.Questions = make(map[string]QuestionTally, len(e.Correct))
		var right int64
		for _, ok := range e.Correct {
			if ok {
				right++
			}
		}
		for q, ok := range e.Correct {
			rest := right // the other questions answered correctly
			if ok {
				rest--
			}
			t := QuestionTally{N: 1, ScoreSum: e.ScoreMilli, ScoreSqSum: e.ScoreMilli * e.ScoreMilli,
				RestSum: rest, RestSqSum: rest * rest}
			if ok {
				t.Correct, t.CorrectScoreSum, t.CorrectRestSum = 1, e.ScoreMilli, rest
			}
			c.Questions[q] = t
		}
	}
	if e.Scored {
		c.Scored = 1
		c.ScoreSum = e.ScoreMilli
		c.ScoreSqSum = e.ScoreMilli * e.ScoreMilli
		if e.Passed {
			c.Passes = 1
		}
		c.Topics = make(map[string]quiz.TopicTally, len(e.Topics))
		for t, v := range e.Topics {
			c.Topics[t] = v
		}
	}
	return c
}

// FirstOnly is what counting e as a first attempt adds beyond counting it as a
// submission: moved from one attempt to another when an earlier attempt of the same
// participant is delivered late.
func FirstOnly(e Event) Counter {
	c := Delta(e, true)
	c.Submissions = 0
	return c
}

// Negate returns c with every number negated.
func (c Counter) Negate() Counter {
	n := Counter{Key: c.Key, Submissions: -c.Submissions, SuspectSubmissions: -c.SuspectSubmissions, Participants: -c.Participants, Scored: -c.Scored,
		ScoreSum: -c.ScoreSum, ScoreSqSum: -c.ScoreSqSum, Passes: -c.Passes}
	merge(&n.Topics, c.Topics, func(_, b quiz.TopicTally) quiz.TopicTally {
		return quiz.TopicTally{Answered: -b.Answered, Correct: -b.Correct}
	})
	merge(&n.Groups, c.Groups, func(_, b GroupTally) GroupTally { return GroupTally{}.minus(b) })
	merge(&n.Questions, c.Questions, func(_, b QuestionTally) QuestionTally { return QuestionTally{}.minus(b) })
	merge(&n.Options, c.Options, func(_, b int64) int64 { return -b })
	return n
}

func (g GroupTally) minus(o GroupTally) GroupTally {
	return g.plus(GroupTally{Participants: -o.Participants, Scored: -o.Scored, ScoreSum: -o.ScoreSum, ScoreSqSum: -o.ScoreSqSum, Passes: -o.Passes})
}

func (q QuestionTally) minus(o QuestionTally) QuestionTally {
	return q.plus(QuestionTally{N: -o.N, Correct: -o.Correct, ScoreSum: -o.ScoreSum, ScoreSqSum: -o.ScoreSqSum, CorrectScoreSum: -o.CorrectScoreSum,
		RestSum: -o.RestSum, RestSqSum: -o.RestSqSum, CorrectRestSum: -o.CorrectRestSum})
}

// Before reports whether e counts as earlier than o: by submission time, then by id,
// the order Rebuild uses.
func (e Event) Before(o Event) bool {
	if c := e.SubmittedAt.Compare(o.SubmittedAt); c != 0 {
		return c < 0
	}
	return e.AttemptID < o.AttemptID
}

// Add adds d to c.
func (c *Counter) Add(d Counter) {
	c.Submissions += d.Submissions
	c.SuspectSubmissions += d.SuspectSubmissions
	c.Participants += d.Participants
	c.Scored += d.Scored
	c.ScoreSum += d.ScoreSum
	c.ScoreSqSum += d.ScoreSqSum
	c.Passes += d.Passes
	merge(&c.Topics, d.Topics, func(a, b quiz.TopicTally) quiz.TopicTally {
		return quiz.TopicTally{Answered: a.Answered + b.Answered, Correct: a.Correct + b.Correct}
	})
	merge(&c.Groups, d.Groups, GroupTally.plus)
	merge(&c.Questions, d.Questions, QuestionTally.plus)
	merge(&c.Options, d.Options, func(a, b int64) int64 { return a + b })
}

// merge adds src into *dst key by key, creating *dst when needed.
func merge[V any](dst *map[string]V, src map[string]V, plus func(a, b V) V) {
	for k, v := range src {
		if *dst == nil {
			*dst = make(map[string]V, len(src))
		}
		(*dst)[k] = plus((*dst)[k], v)
	}
}

func (g GroupTally) plus(o GroupTally) GroupTally {
	return GroupTally{Participants: g.Participants + o.Participants, Scored: g.Scored + o.Scored,
		ScoreSum: g.ScoreSum + o.ScoreSum, ScoreSqSum: g.ScoreSqSum + o.ScoreSqSum, Passes: g.Passes + o.Passes}
}

func (q QuestionTally) plus(o QuestionTally) QuestionTally {
	return QuestionTally{N: q.N + o.N, Correct: q.Correct + o.Correct, ScoreSum: q.ScoreSum + o.ScoreSum,
		ScoreSqSum: q.ScoreSqSum + o.ScoreSqSum, CorrectScoreSum: q.CorrectScoreSum + o.CorrectScoreSum,
		RestSum: q.RestSum + o.RestSum, RestSqSum: q.RestSqSum + o.RestSqSum, CorrectRestSum: q.CorrectRestSum + o.CorrectRestSum}
}

// Rebuild computes every counter from submitted attempts: a participant's first attempt
// on a quiz (earliest submission, then lowest id) counts; the rest are submissions only.
// Suspect attempts count only in the suspect tally and are never first attempts.
func Rebuild(attempts []quiz.Attempt) []Counter {
	first := map[string]bool{}
	for _, a := range Firsts(attempts) {
		first[a.ID] = true
	}
	byKey := map[Key]*Counter{}
	for _, a := range attempts {
		if a.Status != quiz.Submitted {
			continue
		}
		e := EventOf(a)
		c, ok := byKey[e.Key]
		if !ok {
			c = &Counter{Key: e.Key}
			byKey[e.Key] = c
		}
		c.Add(Delta(e, first[a.ID]))
	}
	out := make([]Counter, 0, len(byKey))
	for _, c := range byKey {
		out = append(out, *c)
	}
	SortCounters(out)
	return out
}

// SortCounters orders counters by quiz, unit and month, for stable comparison and output.
func SortCounters(cs []Counter) {
	slices.SortFunc(cs, func(a, b Counter) int {
		return strings.Compare(a.QuizID+"\x00"+a.UnitID+"\x00"+a.Month, b.QuizID+"\x00"+b.UnitID+"\x00"+b.Month)
	})
}

// Store is what the aggregator needs from storage.
type Store interface {
	// ApplyBatch counts one lane's records (a stream shard's, in stream order) exactly
	// once each, however often and however split they are delivered, and counts each
	// as its participant's first attempt if it is the earliest delivered so far (moving
	// that count from a later attempt delivered before it). It returns how many records,
	// a prefix, are applied; with an error, the rest must be delivered again.
	ApplyBatch(ctx context.Context, lane string, recs []Record) (int, error)
	// ApplyRound adds a contest entry to its round's statistics (entries, perfect
	// entries, distinct persons, persons per unit) exactly once.
	ApplyRound(ctx context.Context, e Event) error
	// Counters returns every month's counter of a quiz for the given units.
	Counters(ctx context.Context, quizID string, unitIDs []string) ([]Counter, error)
	// SubmittedAttempts returns every submitted attempt (for a rebuild).
	SubmittedAttempts(ctx context.Context) ([]quiz.Attempt, error)
	// ReplaceCounters makes the stored counters and participant ledgers (first-attempt
	// claims, counted attempts) equal to a rebuild of attempts.
	ReplaceCounters(ctx context.Context, counters []Counter, attempts []quiz.Attempt) error
}

// Firsts returns the attempts Rebuild counts as first attempts (never a suspect one).
func Firsts(attempts []quiz.Attempt) []quiz.Attempt {
	subs := slices.Clone(attempts)
	slices.SortFunc(subs, func(a, b quiz.Attempt) int {
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	seen := map[[2]string]bool{}
	var out []quiz.Attempt
	for _, a := range subs {
		id := [2]string{a.QuizID, a.IdentityKey()}
		if a.Status == quiz.Submitted && !a.Suspect && !seen[id] {
			seen[id] = true
			out = append(out, a)
		}
	}
	return out
}

// RebuildStored replaces the stored counters and first-attempt claims with those
// computed from the stored attempts, and returns how many counters it wrote.
func RebuildStored(ctx context.Context, store Store) (int, error) {
	attempts, err := store.SubmittedAttempts(ctx)
	if err != nil {
		return 0, err
	}
	counters := Rebuild(attempts)
	return len(counters), store.ReplaceCounters(ctx, counters, attempts)
}
