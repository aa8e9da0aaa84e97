package quiz

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/pseudonym"
)

const (
	// SubmitGrace absorbs a slow network between the resident's last tap and the server.
	SubmitGrace = 30 * time.Second
	// CatalogTTL bounds how stale a warm Lambda's copy of units and quizzes may be (a
	// regrade job waits it out: authoring.StaleGradeWindow).
	CatalogTTL = time.Minute
)

// AttemptStatus is an attempt's state.
type AttemptStatus string

const (
	Started   AttemptStatus = "started"
	Submitted AttemptStatus = "submitted"
)

// Participant is who takes an attempt. Name and phone are personal data: stored only
// with consent, never logged.
type Participant struct {
	Name         string `json:"name,omitempty"`
	Phone        string `json:"phone,omitempty"` // normalised +84xxxxxxxxx
	UnitID       string `json:"unitId"`
	BirthYear    int    `json:"birthYear,omitempty"`
	Gender       string `json:"gender,omitempty"`
	Organization string `json:"organization,omitempty"`
	CCCD         string `json:"cccd,omitempty"` // citizen id, contests only, with consent
}

// Answer is a resident's answer to one question: option ids, a likert value or a text.
type Answer struct {
	QuestionID string   `json:"questionId" jsonschema:"required"`
	OptionIDs  []string `json:"optionIds,omitempty"`
	Value      int      `json:"value,omitempty" jsonschema:"minimum=1,maximum=5"`
	Text       string   `json:"text,omitempty" jsonschema:"maxLength=500"`
}

// TopicTally counts a topic's scored questions in one attempt.
type TopicTally struct {
	Answered int `json:"answered"`
	Correct  int `json:"correct"`
}

// Attempt is one sitting of a quiz by one participant.
type Attempt struct {
	ID          string
	QuizID      string
	QuizKind    Kind
	Participant Participant
	Consent     bool
	ClientID    string
	Seed        uint64 // drives the draw and the shuffles; never leaves the server
	QuestionIDs []string
	StartedAt   time.Time
	ExpiresAt   time.Time
	Status      AttemptStatus

	// Set on submit.
	Answers      []Answer
	AnswersHash  string
	SubmittedAt  time.Time
	DurationMs   int64
	Score        int
	MaxScore     int
	CorrectCount int
	PassPercent  int
	Topics       map[string]TopicTally
	// Correct holds, for each scored question asked, whether it was answered correctly.
	Correct map[string]bool

	// Identity is the identity key stored at the start, so that it survives a purge of
	// the personal data it was computed from.
	Identity string

	// GradeVersion is the quiz's grade version the score was computed at.
	GradeVersion int

	// Suspect marks an attempt started past a source's or client's soft limit: stored,
	// but counted apart from participants, means and rates (decided at the start).
	Suspect bool

	// SourceTag is set when the attempt was started from a shared source (a connection
	// with several starts that day, throttle.SourceTag): the village figures count how
	// many participants each such source brought, to flag a concentrated village.
	SourceTag string

	// Channel is ChannelPaper or ChannelAssisted for sheets staff entered, "" (web) else.
	Channel string

	// Contests.
	RoundID    string
	Prediction *int64
	Ranked     bool // in time for the round and the time limit, and not disqualified
}

// IdentityKey identifies the participant across attempts: the keyed hash IdentityOf
// computed at the start (it outlives any purge of personal data). An attempt without one
// stands for a participant of its own.
func (a Attempt) IdentityKey() string {
	if a.Identity != "" {
		return a.Identity
	}
	return "attempt:" + a.ID
}

// IdentityOf is a participant's identity: the keyed hash of the normalised phone when
// given, else of the device's client id, so counters never hold either.
func IdentityOf(k pseudonym.Keyer, phone, clientID string) string {
	if phone != "" {
		return k.Of("phone", phone)
	}
	return k.Of("client", clientID)
}

// ScorePercent is the score as a percentage of the maximum, 0 when unscored.
func (a Attempt) ScorePercent() float64 {
	if a.MaxScore == 0 {
		return 0
	}
	return 100 * float64(a.Score) / float64(a.MaxScore)
}

// Passed reports whether the score reaches the pass mark.
func (a Attempt) Passed() bool {
	return a.MaxScore > 0 && a.ScorePercent() >= float64(a.PassPercent)
}

// NormalizePhone turns 0xxxxxxxxx, 84xxxxxxxxx and +84xxxxxxxxx (spaces, dots and dashes
// allowed) into +84xxxxxxxxx. Vietnamese mobile numbers have 9 digits after the prefix.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '+':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", apperr.Errorf(apperr.Validation, "Số điện thoại không hợp lệ")
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+84"):
		d = d[3:]
	case strings.HasPrefix(d, "84") && len(d) == 11:
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", apperr.Errorf(apperr.Validation, "Số điện thoại không hợp lệ: dùng dạng 0xxxxxxxxx hoặc +84xxxxxxxxx")
	}
	if len(d) != 9 || strings.ContainsRune(d, '+') || d[0] == '0' {
		return "", apperr.Errorf(apperr.Validation, "Số điện thoại không hợp lệ: dùng dạng 0xxxxxxxxx hoặc +84xxxxxxxxx")
	}
	return "+84" + d, nil
}

// Draw picks the attempt's questions from the bank and orders them and their options,
// deterministically from seed, so the server can rebuild what the resident saw.
func Draw(q Quiz, seed uint64) []Question {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	idx := make([]int, len(q.Questions))
	for i := range idx {
		idx[i] = i
	}
	if n := q.QuestionCount(); n < len(idx) {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:n]
		if !q.Shuffle {
			slices.Sort(idx) // a drawn subset keeps the bank's order unless shuffling
		}
	} else if q.Shuffle {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	}
	out := make([]Question, len(idx))
	for k, i := range idx {
		qu := q.Questions[i]
		qu.Options = slices.Clone(qu.Options)
		// True/false and likert scales keep their natural order.
		if q.Shuffle && qu.Kind.Shuffles() {
			rng.Shuffle(len(qu.Options), func(i, j int) { qu.Options[i], qu.Options[j] = qu.Options[j], qu.Options[i] })
		}
		out[k] = qu
	}
	return out
}

// AttemptQuestions returns the attempt's questions in the order the resident saw them.
func AttemptQuestions(q Quiz, a Attempt) []Question {
	drawn := Draw(q, a.Seed)
	byID := make(map[string]Question, len(drawn))
	for _, qu := range drawn {
		byID[qu.ID] = qu
	}
	out := make([]Question, 0, len(a.QuestionIDs))
	for _, id := range a.QuestionIDs {
		if qu, ok := byID[id]; ok {
			out = append(out, qu)
		} else if qu, ok := q.Question(id); ok { // bank changed since: keep what was asked
			out = append(out, qu)
		}
	}
	return out
}

// CheckAnswers validates answers against the attempt's questions and returns them in a
// canonical form (sorted option ids, questions in attempt order, blanks dropped).
func CheckAnswers(questions []Question, answers []Answer) ([]Answer, error) {
	byID := make(map[string]Question, len(questions))
	for _, qu := range questions {
		byID[qu.ID] = qu
	}
	given := make(map[string]Answer, len(answers))
	for _, ans := range answers {
		qu, ok := byID[ans.QuestionID]
		if !ok {
			return nil, apperr.Errorf(apperr.Validation, "Câu hỏi %q không thuộc bài làm này", ans.QuestionID)
		}
		if _, dup := given[ans.QuestionID]; dup {
			return nil, apperr.Errorf(apperr.Validation, "Câu hỏi %q được trả lời hai lần", ans.QuestionID)
		}
		clean, err := qu.Kind.Canonical(qu, ans)
		if err != nil {
			return nil, err
		}
		given[ans.QuestionID] = clean
	}
	out := make([]Answer, 0, len(given))
	for _, qu := range questions {
		if a, ok := given[qu.ID]; ok && (len(a.OptionIDs) > 0 || a.Value != 0 || a.Text != "") {
			out = append(out, a)
		}
	}
	return out, nil
}

// HashAnswers returns the digest of canonical answers stored with an attempt (res.h): a
// resent submission is recognised by it and identical contest entries are grouped by it
// (contest flags), and a receipt is derived from it. It covers the choices (question,
// options, value) and leaves free text out: a text answer may hold a phone or a name,
// the digest outlives it (a personal-data purge clears the text, not the digest) and an
// unkeyed digest of a short text is reversed by guessing. The bytes digested are those
// of the digest with text, every text empty, so for an attempt without free text (every
// contest entry and paper sheet) the two digests are equal.
func HashAnswers(answers []Answer) string { return hashAnswers(answers, false) }

// hashAnswers digests answers; withText adds their free text, only for sameAnswers'
// comparison with stored digests that cover the text (nothing writes those now).
func hashAnswers(answers []Answer, withText bool) string {
	h := sha256.New()
	for _, a := range answers {
		h.Write([]byte(a.QuestionID))
		h.Write([]byte{0})
		for _, id := range a.OptionIDs {
			h.Write([]byte(id))
			h.Write([]byte{1})
		}
		h.Write([]byte{byte(a.Value), 0})
		if withText {
			h.Write([]byte(a.Text))
		}
		h.Write([]byte{2})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SameAnswers says whether canonical answers are those a stored attempt was submitted
// with: the same digest (or, for a stored digest that covers free text, the digest
// with text) and the same free text as stored.
func SameAnswers(stored Attempt, answers []Answer) bool {
	if stored.AnswersHash != HashAnswers(answers) && stored.AnswersHash != hashAnswers(answers, true) {
		return false
	}
	texts := map[string]string{}
	for _, a := range stored.Answers {
		if a.Text != "" {
			texts[a.QuestionID] = a.Text
		}
	}
	n := 0
	for _, a := range answers {
		if a.Text != "" {
			if texts[a.QuestionID] != a.Text {
				return false
			}
			n++
		}
	}
	return n == len(texts)
}

// QuestionResult is the grading of one question.
type QuestionResult struct {
	QuestionID       string
	Scored           bool
	Correct          bool
	CorrectOptionIDs []string
}

// Grading is the outcome of grading an attempt.
type Grading struct {
	Score, MaxScore, CorrectCount int
	Topics                        map[string]TopicTally
	Questions                     []QuestionResult
}

// Grade scores canonical answers: a choice question is correct when exactly its correct
// options are chosen (no partial credit); likert and text are not scored. Every scored
// question asked counts as answered for its topic, so a skipped question counts as wrong.
func Grade(questions []Question, answers []Answer) Grading {
	given := make(map[string]Answer, len(answers))
	for _, a := range answers {
		given[a.QuestionID] = a
	}
	g := Grading{Topics: map[string]TopicTally{}}
	for _, qu := range questions {
		r := QuestionResult{QuestionID: qu.ID}
		r.Scored, r.Correct, r.CorrectOptionIDs = qu.Kind.Grade(qu, given[qu.ID])
		if r.Scored {
			g.MaxScore += qu.Points
			t := g.Topics[qu.Topic]
			t.Answered++
			if r.Correct {
				g.Score += qu.Points
				g.CorrectCount++
				t.Correct++
			}
			g.Topics[qu.Topic] = t
		}
		g.Questions = append(g.Questions, r)
	}
	return g
}

// InTime reports whether a submit at now is within the time limit (plus grace) and, in
// a contest, within the attempt's round.
func InTime(q Quiz, a Attempt, now time.Time) bool {
	if now.After(a.ExpiresAt.Add(SubmitGrace)) {
		return false
	}
	if q.Kind == KindContest {
		round, ok := q.Contest.Round(a.RoundID)
		return ok && !now.After(round.ClosesAt.Add(SubmitGrace))
	}
	return true
}

// Complete grades canonical answers into a.
func Complete(a *Attempt, q Quiz, questions []Question, answers []Answer, now time.Time, prediction *int64) {
	if q.Kind == KindContest {
		a.Prediction, a.Ranked = prediction, InTime(q, *a, now)
	}
	g := Grade(questions, answers)
	a.Status, a.Answers, a.AnswersHash = Submitted, answers, HashAnswers(answers)
	a.SubmittedAt, a.DurationMs = now, now.Sub(a.StartedAt).Milliseconds()
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	a.PassPercent = q.Pass()
	a.GradeVersion = q.GradeVersion()
	a.Correct = map[string]bool{}
	for _, r := range g.Questions {
		if r.Scored {
			a.Correct[r.QuestionID] = r.Correct
		}
	}
}
