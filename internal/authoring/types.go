// Package authoring lets staff write quizzes and surveys (drafts, publishing, closing)
// and import question banks and the unit tree from CSV or XLSX, within their scope.
package authoring

import (
	"context"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Store is what authoring needs from storage.
type Store interface {
	ListUnits(ctx context.Context) ([]units.Unit, error)
	PutUnits(ctx context.Context, units []units.Unit) error
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	PutQuiz(ctx context.Context, q quiz.Quiz) error
	Regrader
}

// OptionInput is an option as staff write it; the server assigns its id.
type OptionInput struct {
	Text string `json:"text"`
}

// QuestionInput is a question as staff write it. The correct options are given either
// by id (when editing a quiz read back from the server) or by 0-based index.
type QuestionInput struct {
	ID                   string        `json:"id,omitempty"`
	Kind                 string        `json:"kind"`
	Text                 string        `json:"text"`
	Topic                string        `json:"topic"`
	Points               int           `json:"points"`
	Options              []OptionInput `json:"options"`
	CorrectOptionIDs     []string      `json:"correctOptionIds,omitempty"`
	CorrectOptionIndexes []int         `json:"correctOptionIndexes,omitempty"`
}

// QuizInput is the body of POST and PUT /v1/admin/quizzes.
type QuizInput struct {
	Kind         string          `json:"kind"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	OpensAt      time.Time       `json:"opensAt,omitzero"`
	ClosesAt     time.Time       `json:"closesAt,omitzero"`
	TimeLimitSec int             `json:"timeLimitSec"`
	DrawCount    int             `json:"drawCount"`
	Shuffle      bool            `json:"shuffle"`
	PassPercent  int             `json:"passPercent"`
	ScopeUnitID  string          `json:"scopeUnitId"`
	Questions    []QuestionInput `json:"questions"`
	// Contest is the contest block of a quiz of kind contest.
	Contest *contest.Config `json:"contest,omitempty"`
}

// RowError is one problem of an import, by row (1 = the header) and column.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportResult answers an import: how many rows were taken, or every row error (and
// then nothing was changed); a file only read also gives back its questions.
type ImportResult struct {
	Imported int        `json:"imported"`
	Errors   []RowError `json:"errors,omitempty"`
	// Questions are the questions read by ReadQuestions (nothing stored).
	Questions []QuestionInput `json:"questions,omitempty"`
	// Units is the whole unit tree after a unit import.
	Units []units.Unit `json:"units,omitempty"`
}
