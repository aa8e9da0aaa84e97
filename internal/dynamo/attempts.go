package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/quiz"
)

// Updates to a stored attempt after its submit: a regrade and a personal-data purge.

// RegradeAttempt stores an attempt's new grade (score, result, index position), unless
// the stored grade is as new or newer.
func (s *Store) RegradeAttempt(ctx context.Context, a quiz.Attempt) error {
	it, err := toAttemptItem(a)
	if err != nil {
		return err
	}
	upd := expression.Set(expression.Name(attrScore), expression.Value(it.Score)).
		Set(expression.Name(attrResult), expression.Value(it.Result)).
		Set(expression.Name(attrGV), expression.Value(it.GradeVer))
	if it.RoundKey != "" {
		upd = upd.Set(expression.Name(attrRS), expression.Value(it.RoundSort))
	}
	cond := expression.Name(attrStatus).Equal(expression.Value(string(quiz.Submitted))).
		And(expression.Name(attrGV).AttributeNotExists().Or(expression.Name(attrGV).LessThan(expression.Value(it.GradeVer))))
	pk, sk := attemptKey(a.ID)
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return fmt.Errorf("regrade attempt: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return nil // graded at this version or later already
		}
		return fmt.Errorf("regrade attempt: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// PurgeAttempt removes everything personal from an attempt, submitted or not: name,
// phone, CCCD, organisation, birth year, gender, the device's key and the text of free
// answers. Unit, scores, topic results, grade version, times and the identity key stay,
// so counters, rankings and digests do not move.
func (s *Store) PurgeAttempt(ctx context.Context, a quiz.Attempt) error {
	pk, sk := attemptKey(a.ID)
	upd := expression.Set(expression.Name(attrPurged), expression.Value(true))
	for _, attr := range []string{attrName, attrPhone, attrCCCD, attrOrg, attrBirthYear, attrGender, attrClientID} {
		upd = upd.Remove(expression.Name(attr))
	}
	if a.Status == quiz.Submitted && slices.ContainsFunc(a.Answers, func(x quiz.Answer) bool { return x.Text != "" }) {
		// Free text may hold anything a person wrote; the answer keeps only that it was given.
		for i := range a.Answers {
			if a.Answers[i].Text != "" {
				a.Answers[i].Text = "—"
			}
		}
		b, err := json.Marshal(toResultDoc(a))
		if err != nil {
			return fmt.Errorf("purge attempt: %w", err)
		}
		upd = upd.Set(expression.Name(attrResult), expression.Value(string(b)))
	}
	exists := expression.AttributeExists(expression.Name(attrPK))
	in, err := s.updateInput(pk, sk, upd, &exists)
	if err != nil {
		return fmt.Errorf("purge attempt: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		return fmt.Errorf("purge attempt: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}
