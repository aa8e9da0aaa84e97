package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/quiz"
)

// printItem is a print run: its draw and its codes (a few hundred at most, so the entry
// page can take the whole print offline from one read).
type printItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Entity      string `dynamodbav:"e"`
	ID          string `dynamodbav:"id"`
	QuizID      string `dynamodbav:"quizId"`
	UnitID      string `dynamodbav:"unitId"`
	Variant     string `dynamodbav:"variant"`
	Seed        string `dynamodbav:"seed"` // uint64 as decimal text
	QuestionIDs string `dynamodbav:"qids"`
	Codes       string `dynamodbav:"codes"` // comma-joined
	PrintedBy   string `dynamodbav:"by"`
	PrintedAt   string `dynamodbav:"at"`
}

// sheetItem is one printed sheet; the entry attributes are set once, when entered.
type sheetItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Entity    string `dynamodbav:"e"`
	Code      string `dynamodbav:"code"`
	PrintID   string `dynamodbav:"printId"`
	QuizID    string `dynamodbav:"quizId"`
	UnitID    string `dynamodbav:"unitId"`
	AttemptID string `dynamodbav:"attemptId,omitempty"`
	Channel   string `dynamodbav:"ch,omitempty"`
	EnteredBy string `dynamodbav:"by,omitempty"`
	EnteredAt string `dynamodbav:"at,omitempty"`
	Hash      string `dynamodbav:"h,omitempty"`
	// Corrections is the sheet's audited history of corrections, oldest first.
	Corrections []correctionDoc `dynamodbav:"corr,omitempty"`
}

type correctionDoc struct {
	By     string `dynamodbav:"by"`
	At     string `dynamodbav:"at"`
	Reason string `dynamodbav:"reason"`
	From   string `dynamodbav:"from"`
	To     string `dynamodbav:"to"`
}

// Attribute names of a sheet's entry.
const (
	attrSheetAttempt = "attemptId"
	attrSheetChannel = "ch"
	attrSheetBy      = "by"
	attrSheetAt      = "at"
	attrSheetHash    = "h"
	attrAudience     = "audience"
	attrCorrections  = "corr"
)

// maxTransactItems is DynamoDB's limit of items in one transaction.
const maxTransactItems = 100

// CreatePrint stores a print and one item per sheet, each on the condition that its code
// is new (chunks of one transaction each; a clash of random codes is a Conflict).
func (s *Store) CreatePrint(ctx context.Context, p paper.Print) error {
	pk, sk := printKey(p.ID)
	items := []any{printItem{PK: pk, SK: sk, Entity: entityPrint, ID: p.ID, QuizID: p.QuizID, UnitID: p.UnitID,
		Variant: p.Variant, Seed: strconv.FormatUint(p.Seed, 10), QuestionIDs: strings.Join(p.QuestionIDs, ","),
		Codes: strings.Join(p.Codes, ","), PrintedBy: p.PrintedBy, PrintedAt: p.PrintedAt.UTC().Format(timeLayout)}}
	for _, c := range p.Codes {
		pk, sk := sheetKey(c)
		items = append(items, sheetItem{PK: pk, SK: sk, Entity: entitySheet, Code: c, PrintID: p.ID, QuizID: p.QuizID, UnitID: p.UnitID})
	}
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	for len(items) > 0 {
		n := min(len(items), maxTransactItems)
		var tx []types.TransactWriteItem
		for _, it := range items[:n] {
			put, err := s.putOf(it, &cond)
			if err != nil {
				return err
			}
			tx = append(tx, types.TransactWriteItem{Put: put})
		}
		out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err != nil {
			var tce *types.TransactionCanceledException
			if errors.As(err, &tce) {
				return apperr.Errorf(apperr.Conflict, "Trùng mã phiếu, hãy in lại")
			}
			return fmt.Errorf("create print: %w", err)
		}
		s.meter(out.ConsumedCapacity...)
		items = items[n:]
	}
	return nil
}

// GetPrint reads a print.
func (s *Store) GetPrint(ctx context.Context, id string) (paper.Print, error) {
	pk, sk := printKey(id)
	var it printItem
	ok, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return paper.Print{}, fmt.Errorf("get print: %w", err)
	}
	if !ok {
		return paper.Print{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy lần in phiếu")
	}
	p := paper.Print{ID: it.ID, QuizID: it.QuizID, UnitID: it.UnitID, Variant: it.Variant, PrintedBy: it.PrintedBy}
	if p.Seed, err = strconv.ParseUint(it.Seed, 10, 64); err != nil {
		return p, fmt.Errorf("print %s: seed: %w", id, err)
	}
	if p.PrintedAt, err = time.Parse(timeLayout, it.PrintedAt); err != nil {
		return p, fmt.Errorf("print %s: printedAt: %w", id, err)
	}
	if it.QuestionIDs != "" {
		p.QuestionIDs = strings.Split(it.QuestionIDs, ",")
	}
	if it.Codes != "" {
		p.Codes = strings.Split(it.Codes, ",")
	}
	return p, nil
}

// GetSheet reads a sheet by its code, with a strongly consistent read (an entry is
// checked against it).
func (s *Store) GetSheet(ctx context.Context, code string) (paper.Sheet, error) {
	pk, sk := sheetKey(code)
	var it sheetItem
	ok, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return paper.Sheet{}, fmt.Errorf("get sheet: %w", err)
	}
	if !ok {
		return paper.Sheet{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy phiếu")
	}
	sh := paper.Sheet{Code: it.Code, PrintID: it.PrintID, QuizID: it.QuizID, UnitID: it.UnitID}
	if it.AttemptID != "" {
		at, err := time.Parse(timeLayout, it.EnteredAt)
		if err != nil {
			return sh, fmt.Errorf("sheet %s: enteredAt: %w", code, err)
		}
		sh.Entry = &paper.Entry{AttemptID: it.AttemptID, Channel: it.Channel, EnteredBy: it.EnteredBy, EnteredAt: at, Hash: it.Hash}
	}
	for _, c := range it.Corrections {
		at, err := time.Parse(timeLayout, c.At)
		if err != nil {
			return sh, fmt.Errorf("sheet %s: correction: %w", code, err)
		}
		sh.Corrections = append(sh.Corrections, paper.Correction{By: c.By, At: at, Reason: c.Reason, FromHash: c.From})
	}
	return sh, nil
}

// EnterSheet writes a sheet's entry in one transaction: the sheet is marked entered (if
// it was not), its attempt is put as a submitted attempt (the same item a resident's
// submit leaves, so the stream aggregator counts it like any other), and the entry
// session's activity record gains one sheet. A sheet entered before is a Conflict.
func (s *Store) EnterSheet(ctx context.Context, sh paper.Sheet, e paper.Entry, a quiz.Attempt, session activity.Activity) error {
	pk, sk := sheetKey(sh.Code)
	upd := expression.Set(expression.Name(attrSheetAttempt), expression.Value(e.AttemptID)).
		Set(expression.Name(attrSheetChannel), expression.Value(e.Channel)).
		Set(expression.Name(attrSheetBy), expression.Value(e.EnteredBy)).
		Set(expression.Name(attrSheetAt), expression.Value(e.EnteredAt.UTC().Format(timeLayout))).
		Set(expression.Name(attrSheetHash), expression.Value(e.Hash))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.AttributeNotExists(expression.Name(attrSheetAttempt)))
	sheetUpd, err := s.updateOf(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	it, err := toAttemptItem(a)
	if err != nil {
		return fmt.Errorf("encode attempt: %w", err)
	}
	absent := expression.AttributeNotExists(expression.Name(attrPK))
	attemptPut, err := s.putOf(it, &absent)
	if err != nil {
		return err
	}
	// The session: created by its first sheet, one more sheet in "audience" each time.
	apk, ask := activityKey(session.UnitID, session.Date, session.ID)
	sessUpd := expression.Add(expression.Name(attrAudience), expression.Value(1))
	for name, v := range map[string]any{"e": entityActivity, "id": session.ID, "unitId": session.UnitID, "type": session.Type,
		"date": session.Date, "note": session.Note, "createdBy": session.CreatedBy,
		"createdAt": session.CreatedAt.UTC().Format(timeLayout)} {
		sessUpd = sessUpd.Set(expression.Name(name), expression.IfNotExists(expression.Name(name), expression.Value(v)))
	}
	actUpd, err := s.updateOf(apk, ask, sessUpd, nil)
	if err != nil {
		return err
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: sheetUpd}, {Put: attemptPut}, {Update: actUpd}}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) && (failedCondition(tce.CancellationReasons, 0) || failedCondition(tce.CancellationReasons, 1)) {
			return apperr.Errorf(apperr.Conflict, "sheet %s entered before", sh.Code)
		}
		return fmt.Errorf("enter sheet: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// CorrectSheet replaces an entered sheet's attempt with corrected answers, on the
// condition that the sheet still holds the entry that was read (its hash) and the attempt
// the grade version read; the correction (who, when, why, what it replaced) is appended to
// the sheet's history. The attempt arrives on the stream with a higher grade version, so
// the aggregator takes back what it counted and counts the corrected sheet instead.
func (s *Store) CorrectSheet(ctx context.Context, sh paper.Sheet, e paper.Entry, a quiz.Attempt, prevGV int, c paper.Correction) error {
	pk, sk := sheetKey(sh.Code)
	rec := map[string]any{"by": c.By, "at": c.At.UTC().Format(timeLayout), "reason": c.Reason, "from": c.FromHash, "to": e.Hash}
	upd := expression.Set(expression.Name(attrSheetHash), expression.Value(e.Hash)).
		Set(expression.Name(attrSheetChannel), expression.Value(e.Channel)).
		Set(expression.Name(attrCorrections), expression.ListAppend(
			expression.IfNotExists(expression.Name(attrCorrections), expression.Value([]any{})), expression.Value([]any{rec})))
	cond := expression.Name(attrSheetHash).Equal(expression.Value(sh.Entry.Hash))
	sheetUpd, err := s.updateOf(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	it, err := toAttemptItem(a)
	if err != nil {
		return fmt.Errorf("encode attempt: %w", err)
	}
	var gvCond expression.ConditionBuilder
	if prevGV == 0 {
		gvCond = expression.AttributeExists(expression.Name(attrPK)).And(expression.AttributeNotExists(expression.Name(attrGV)))
	} else {
		gvCond = expression.Name(attrGV).Equal(expression.Value(prevGV))
	}
	put, err := s.putOf(it, &gvCond)
	if err != nil {
		return err
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: sheetUpd}, {Put: put}}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) {
			return apperr.Errorf(apperr.Conflict, "Phiếu %s vừa được sửa ở nơi khác, hãy tải lại", sh.Code)
		}
		return fmt.Errorf("correct sheet: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}
