// Package quiz holds the resident-facing domain: quizzes, attempts, grading and
// the service that ties them to a Store. It imports neither the AWS SDK nor Lambda events.
package quiz

import (
	"slices"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/usertext"
	"github.com/nq58/tracker/internal/vnfmt"
)

// VietnamTime is the zone deadlines and messages are read in (vnfmt.Vietnam).
var VietnamTime = vnfmt.Vietnam

// Kind says how a quiz is used.
type Kind string

const (
	KindQuiz    Kind = "quiz"    // practice, scored, review at once
	KindSurvey  Kind = "survey"  // unscored
	KindContest Kind = "contest" // rounds and prizes (contest issue)
)

// Kinds lists every kind: the ones a quiz may have, and the description's enum (api/gen).
func Kinds() []Kind { return []Kind{KindQuiz, KindSurvey, KindContest} }

// Status is a quiz's life-cycle state.
type Status string

const (
	Draft     Status = "draft"
	Published Status = "published"
	Closed    Status = "closed"
)

// Statuses lists every status, for the description's enum (api/gen).
func Statuses() []Status { return []Status{Draft, Published, Closed} }

const (
	MaxTextAnswer  = 500 // characters
	maxQuestions   = 500
	maxOptions     = 12
	defaultPass    = 50
	maxTitleLength = 300
)

// Topics are the plan's content sections (II.1 a–h; the plan has no f).
var Topics = []string{"a", "b", "c", "d", "e", "g", "h"}

// TopicLabels names each of Topics for people (reports, exports; the pages' labels.js
// is checked against it).
var TopicLabels = map[string]string{
	"a": "Nội dung cốt lõi của Nghị quyết 58",
	"b": "Chủ trương, đường lối của Đảng, Chính phủ",
	"c": "Ý nghĩa Chương trình hành động của Chính phủ",
	"d": "Mục tiêu, nhiệm vụ, giải pháp",
	"e": "Xây dựng Đảng và hệ thống chính trị",
	"g": "Truyền thống, tiềm năng, tứ giác phát triển",
	"h": "Kết quả thực hiện",
}

// Option is one answer choice.
type Option struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Question is one item of a quiz's bank.
type Question struct {
	ID               string       `json:"id"`
	Kind             QuestionKind `json:"kind"`
	Text             string       `json:"text"`
	Topic            string       `json:"topic"`
	Points           int          `json:"points"`
	Options          []Option     `json:"options"`
	CorrectOptionIDs []string     `json:"correctOptionIds,omitempty"`
	// Void questions were withdrawn by a correction: everyone gets their points.
	Void bool `json:"void,omitempty"`
}

// Scored reports whether the question counts towards the score.
func (q Question) Scored() bool { return q.Kind.Scored() }

func (q Question) hasOption(id string) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// Quiz is a quiz, survey or contest with its question bank.
type Quiz struct {
	ID           string     `json:"id"`
	Kind         Kind       `json:"kind"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	OpensAt      time.Time  `json:"opensAt,omitzero"`
	ClosesAt     time.Time  `json:"closesAt,omitzero"`
	TimeLimitSec int        `json:"timeLimitSec"`
	DrawCount    int        `json:"drawCount"` // 0: every question
	Shuffle      bool       `json:"shuffle"`
	PassPercent  int        `json:"passPercent"`
	Status       Status     `json:"status"`
	ScopeUnitID  string     `json:"scopeUnitId,omitempty"` // only residents under this unit may take it
	Questions    []Question `json:"questions"`
	CreatedBy    string     `json:"createdBy,omitempty"`
	UpdatedAt    time.Time  `json:"updatedAt,omitzero"`
	// Version counts stored writes; a write based on an older version is a conflict.
	Version int `json:"version"`
	// Contest holds rounds, ranking and prizes when Kind is contest.
	Contest *contest.Config `json:"contest,omitempty"`
	// PersonalDataPurgedAt is when the attempts' names, phones and CCCD were removed.
	PersonalDataPurgedAt time.Time `json:"personalDataPurgedAt,omitzero"`
	// Corrections record every change of a published quiz's answer key.
	Corrections []Correction `json:"corrections,omitempty"`
}

// Correction is a recorded change of a question's answer key after publication.
type Correction struct {
	QuestionID string    `json:"questionId"`
	Before     []string  `json:"before"`
	After      []string  `json:"after,omitempty"`
	Void       bool      `json:"void,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	Regraded   int       `json:"regraded"` // attempts regraded
}

// GradeVersion is the number of corrections applied: an attempt graded at an older
// version must be regraded.
func (q Quiz) GradeVersion() int { return len(q.Corrections) }

// QuestionCount is how many questions one attempt gets.
func (q Quiz) QuestionCount() int {
	if q.DrawCount > 0 && q.DrawCount < len(q.Questions) {
		return q.DrawCount
	}
	return len(q.Questions)
}

// IsOpen reports whether residents may start an attempt at t.
func (q Quiz) IsOpen(t time.Time) bool {
	if q.Status != Published {
		return false
	}
	if !q.OpensAt.IsZero() && t.Before(q.OpensAt) {
		return false
	}
	if !q.ClosesAt.IsZero() && !t.Before(q.ClosesAt) {
		return false
	}
	return true
}

// Phase is where a published quiz stands for a resident at a time: a start is taken
// (open), not yet (upcoming), or no more (ended).
type Phase string

const (
	PhaseOpen     Phase = "open"
	PhaseUpcoming Phase = "upcoming"
	PhaseEnded    Phase = "ended"
)

// PhaseAt is q's phase at t, by the same rules as a start: a contest is open while one
// of its rounds is (and upcoming between rounds), any other quiz between its opening
// and closing times. The list of quizzes says it so that the resident page labels a
// card by the server's clock, not the phone's, which may be wrong.
func (q Quiz) PhaseAt(t time.Time) Phase {
	if q.Kind == KindContest && q.Contest != nil {
		cfg := q.Contest.Normalized()
		if _, ok := cfg.RoundAt(t); ok && q.IsOpen(t) {
			return PhaseOpen
		}
		for _, r := range cfg.Rounds {
			if t.Before(r.OpensAt) && !q.HasClosed(r.OpensAt) {
				return PhaseUpcoming
			}
		}
		return PhaseEnded
	}
	switch {
	case q.IsOpen(t):
		return PhaseOpen
	case q.Status == Published && !q.OpensAt.IsZero() && t.Before(q.OpensAt):
		return PhaseUpcoming
	}
	return PhaseEnded
}

// HasClosed reports whether the quiz is closed at t: closed by its organiser or past
// its closing time. A closed quiz takes no new answers by any channel.
func (q Quiz) HasClosed(t time.Time) bool {
	return q.Status == Closed || (!q.ClosesAt.IsZero() && !t.Before(q.ClosesAt))
}

// Question returns the bank question with the given id.
func (q Quiz) Question(id string) (Question, bool) {
	for _, qu := range q.Questions {
		if qu.ID == id {
			return qu, true
		}
	}
	return Question{}, false
}

// Pass returns the pass mark in percent, defaulting to 50.
func (q Quiz) Pass() int {
	if q.PassPercent <= 0 {
		return defaultPass
	}
	return q.PassPercent
}

// Validate checks a quiz is complete and consistent before it is stored.
func (q Quiz) Validate() error {
	switch {
	case !validID(q.ID):
		return apperr.Errorf(apperr.Validation, "quiz id %q: use 1 to 64 letters, digits, - or _", q.ID)
	case !slices.Contains(Kinds(), q.Kind):
		return apperr.Errorf(apperr.Validation, "quiz %s: kind must be quiz, survey or contest", q.ID)
	case q.Title == "" || len([]rune(q.Title)) > maxTitleLength:
		return apperr.Errorf(apperr.Validation, "quiz %s: title is required (at most %d characters)", q.ID, maxTitleLength)
	case len(q.Questions) > maxQuestions:
		return apperr.Errorf(apperr.Validation, "quiz %s: needs 1 to %d questions", q.ID, maxQuestions)
	case len(q.Questions) == 0 && q.Status != Draft:
		// A draft may start empty, so that its questions come in by file import
		// (POST /v1/admin/imports/questions appends to a draft); publishing needs them.
		return apperr.Errorf(apperr.Validation, "Bài %s chưa có câu hỏi nào: cần từ 1 đến %d câu trước khi công bố", q.ID, maxQuestions)
	case q.DrawCount < 0 || q.DrawCount > len(q.Questions):
		return apperr.Errorf(apperr.Validation, "quiz %s: drawCount must be between 0 and the number of questions", q.ID)
	case q.TimeLimitSec < 0:
		return apperr.Errorf(apperr.Validation, "quiz %s: timeLimitSec must not be negative", q.ID)
	case q.PassPercent < 0 || q.PassPercent > 100:
		return apperr.Errorf(apperr.Validation, "quiz %s: passPercent must be between 0 and 100", q.ID)
	case !q.OpensAt.IsZero() && !q.ClosesAt.IsZero() && !q.ClosesAt.After(q.OpensAt):
		return apperr.Errorf(apperr.Validation, "quiz %s: closesAt must be after opensAt", q.ID)
	}
	if q.Kind == KindContest {
		if q.Contest == nil {
			return apperr.Errorf(apperr.Validation, "quiz %s: a contest needs its contest block (rounds, ranking, prizes)", q.ID)
		}
		if err := q.Contest.Validate(time.Now()); err != nil {
			return err
		}
		for _, r := range q.Contest.Rounds {
			if err := usertext.Check("Tên vòng thi "+r.ID, r.Name, false); err != nil {
				return err // names are shown on pages and in exports
			}
		}
	} else if q.Contest != nil {
		return apperr.Errorf(apperr.Validation, "quiz %s: only a contest has a contest block", q.ID)
	}
	if err := usertext.Check("Tiêu đề", q.Title, false); err != nil {
		return err
	}
	if err := usertext.Check("Mô tả", q.Description, true); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, qu := range q.Questions {
		if qu.ID == "" || seen[qu.ID] {
			return apperr.Errorf(apperr.Validation, "quiz %s: question %d needs a unique id", q.ID, i+1)
		}
		seen[qu.ID] = true
		if err := qu.validate(q.Kind); err != nil {
			return apperr.Errorf(apperr.Validation, "quiz %s, question %s: %s", q.ID, qu.ID, apperr.MessageOf(err))
		}
	}
	return nil
}

func (qu Question) validate(kind Kind) error {
	if qu.Text == "" {
		return apperr.Errorf(apperr.Validation, "text is required")
	}
	if err := usertext.Check("Nội dung câu hỏi", qu.Text, true); err != nil {
		return err
	}
	for _, o := range qu.Options {
		if err := usertext.Check("Phương án", o.Text, false); err != nil {
			return err
		}
	}
	if kind == KindSurvey && qu.Scored() && len(qu.CorrectOptionIDs) > 0 {
		return apperr.Errorf(apperr.Validation, "survey questions have no correct answers")
	}
	optionIDs := map[string]bool{}
	for _, o := range qu.Options {
		if o.ID == "" || o.Text == "" || optionIDs[o.ID] {
			return apperr.Errorf(apperr.Validation, "every option needs a unique id and a text")
		}
		optionIDs[o.ID] = true
	}
	if !qu.Kind.Valid() {
		return apperr.Errorf(apperr.Validation, "kind must be %s", KindNames("or"))
	}
	if err := qu.Kind.checkOptions(len(qu.Options)); err != nil {
		return err
	}
	if !qu.Kind.Scored() || kind == KindSurvey {
		return nil
	}
	if qu.Points <= 0 {
		return apperr.Errorf(apperr.Validation, "a scored question needs points")
	}
	if !validTopic(qu.Topic) {
		return apperr.Errorf(apperr.Validation, "topic must be one of a, b, c, d, e, g, h")
	}
	correct := map[string]bool{}
	for _, id := range qu.CorrectOptionIDs {
		if !optionIDs[id] {
			return apperr.Errorf(apperr.Validation, "correct option %q is not an option", id)
		}
		if correct[id] {
			return apperr.Errorf(apperr.Validation, "correct option %q is listed twice", id)
		}
		correct[id] = true
	}
	return qu.Kind.checkKey(len(qu.CorrectOptionIDs))
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func validTopic(t string) bool {
	for _, x := range Topics {
		if x == t {
			return true
		}
	}
	return false
}
