// Package paper is the domain of paper quiz sheets and assisted entry: residents without
// a smartphone answer a printed sheet (or an officer types their answers in with them),
// and each sheet counts as a first attempt of an anonymous participant. It imports no
// AWS package.
package paper

import (
	"crypto/rand"
	"math/big"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
)

// Limits.
const (
	MaxSheetsPerPrint = 300 // a village conference has at most a few hundred people
	CodeLength        = 7
	// CodeAlphabet has no 0/O, 1/I/L or U: codes are read off paper and typed in.
	CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// Variants lists the variants of a printed sheet.
var Variants = []string{VariantFull, VariantAnswers}

// Variants of a printed sheet.
const (
	VariantFull    = "full"    // questions, options and boxes
	VariantAnswers = "answers" // boxes only: questions are read aloud at a meeting
)

// Print is one print run: N sheets of one quiz for one village, all with the same draw
// (so a meeting can read the questions aloud in one order).
type Print struct {
	ID          string    `json:"printId"`
	QuizID      string    `json:"quizId"`
	UnitID      string    `json:"unitId"`
	Variant     string    `json:"variant"`
	Seed        uint64    `json:"-"`
	QuestionIDs []string  `json:"-"`
	Codes       []string  `json:"codes"`
	PrintedBy   string    `json:"printedBy"`
	PrintedAt   time.Time `json:"printedAt"`
}

// Sheet is one printed sheet, by its short code, and its entry once entered.
type Sheet struct {
	Code    string
	PrintID string
	QuizID  string
	UnitID  string
	Entry   *Entry
	// Corrections are the audited changes after the first entry, oldest first.
	Corrections []Correction
}

// Correction records one change of an entered sheet: who, when, why, and a digest of
// the entry it replaced.
type Correction struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
	FromHash string    `json:"-"`
}

// Entry records who entered a sheet, when, how, and a digest of what was entered (so a
// second entry of the same content is recognised).
type Entry struct {
	AttemptID string    `json:"attemptId"`
	Channel   string    `json:"channel"`
	EnteredBy string    `json:"enteredBy"`
	EnteredAt time.Time `json:"enteredAt"`
	Hash      string    `json:"-"`
}

// NewCode returns a random sheet code from CodeAlphabet (30^7 ≈ 2·10^10 codes).
func NewCode() (string, error) {
	b := make([]byte, CodeLength)
	n := big.NewInt(int64(len(CodeAlphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b[i] = CodeAlphabet[k.Int64()]
	}
	return string(b), nil
}

// AttemptID is the attempt a sheet becomes: one per code, so entering it twice can
// never make two attempts.
func AttemptID(code string) string { return "paper-" + code }

// Letter is the box label of option i on paper: A, B, C…
func Letter(i int) string { return quiz.BoxLetter(i) }

// PrintedOption is an option with its box letter.
type PrintedOption struct {
	ID     string `json:"id"`
	Letter string `json:"letter"`
	Text   string `json:"text"`
}

// PrintedQuestion is a question as printed: number, text, options; never the key.
type PrintedQuestion struct {
	N       int               `json:"n"`
	ID      string            `json:"id"`
	Kind    quiz.QuestionKind `json:"kind"`
	Text    string            `json:"text"`
	Options []PrintedOption   `json:"options"`
}

// Printed numbers questions in sheet order and letters their options, as a sheet
// prints them (a print's or a random sample's).
func Printed(qs []quiz.Question) []PrintedQuestion {
	out := make([]PrintedQuestion, 0, len(qs))
	for i, qu := range qs {
		pq := PrintedQuestion{N: i + 1, ID: qu.ID, Kind: qu.Kind, Text: qu.Text, Options: make([]PrintedOption, 0, len(qu.Options))}
		for j, o := range qu.Options {
			pq.Options = append(pq.Options, PrintedOption{ID: o.ID, Letter: Letter(j), Text: o.Text})
		}
		out = append(out, pq)
	}
	return out
}

// PrintedQuestions are the questions of a print in sheet order.
func PrintedQuestions(q quiz.Quiz, p Print) []quiz.Question {
	return quiz.AttemptQuestions(q, quiz.Attempt{Seed: p.Seed, QuestionIDs: p.QuestionIDs})
}

// Complete checks and grades the answers of a paper or assisted sheet with the same
// rules as a resident's submit, so a sheet counts exactly like an attempt on a phone.
// a carries the sheet's draw (Seed, QuestionIDs); free-text answers are refused, since
// paper carries only ticks and free text could hold personal data.
func Complete(a *quiz.Attempt, q quiz.Quiz, answers []quiz.Answer, now time.Time) error {
	for _, ans := range answers {
		if ans.Text != "" {
			return apperr.Errorf(apperr.Validation, "Phiếu giấy không nhận câu trả lời tự luận (câu %q)", ans.QuestionID)
		}
	}
	questions := quiz.AttemptQuestions(q, *a)
	canon, err := quiz.CheckAnswers(questions, answers)
	if err != nil {
		return err
	}
	a.StartedAt = now
	a.ExpiresAt = now
	quiz.Complete(a, q, questions, canon, now, nil)
	return nil
}
