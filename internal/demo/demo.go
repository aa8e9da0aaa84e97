// Package demo loads the demo units and quizzes (labelled as demo) into the table.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

//go:embed units.csv
var unitsCSV []byte

//go:embed quizzes.json
var quizzesJSON []byte

// Units returns the demo unit tree.
func Units() ([]units.Unit, error) { return units.ParseCSV(bytes.NewReader(unitsCSV)) }

// Quizzes returns the demo quiz and survey, published.
func Quizzes() ([]quiz.Quiz, error) {
	var qs []quiz.Quiz
	if err := json.Unmarshal(quizzesJSON, &qs); err != nil {
		return nil, fmt.Errorf("demo quizzes: %w", err)
	}
	for i := range qs {
		qs[i].Status = quiz.Published
		if err := qs[i].Validate(); err != nil {
			return nil, err
		}
	}
	return qs, nil
}

// Load writes the demo data unless units already exist; it reports whether it wrote.
func Load(ctx context.Context, store *dynamo.Store) (bool, error) {
	existing, err := store.ListUnits(ctx)
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	units, err := Units()
	if err != nil {
		return false, err
	}
	qs, err := Quizzes()
	if err != nil {
		return false, err
	}
	for _, q := range qs {
		if err := store.PutQuiz(ctx, q); err != nil {
			return false, err
		}
	}
	// Units last: their presence marks the demo as loaded.
	return true, store.PutUnits(ctx, units)
}

//go:embed users.json
var usersJSON []byte

// Users returns the development staff accounts (password demo1234; local only).
func Users() ([]localauth.User, error) {
	var users []localauth.User
	if err := json.Unmarshal(usersJSON, &users); err != nil {
		return nil, fmt.Errorf("demo users: %w", err)
	}
	return users, nil
}
