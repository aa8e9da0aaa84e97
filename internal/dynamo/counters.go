package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
)

// Counter items hold flat numeric attributes so one UpdateItem can ADD to all of them:
//
//	submissions, participants, scored, scoreSum, scoreSqSum, passes
//	tA_<topic>, tC_<topic>                       topic answered, correct
//	g_<group>_{n,sc,s,ss,p}                       per report group ("org:hpn", "age:25-34")
//	q_<question>_{n,c,s,ss,cs}                    question analysis
//	o_<question>:<option>                        answer distribution
const (
	topicAnsweredPrefix = "tA_"
	topicCorrectPrefix  = "tC_"
	groupPrefix         = "g_"
	questionPrefix      = "q_"
	optionPrefix        = "o_"
)

// groupFields and questionFields name the attributes of a group's and a question's
// tallies: the one list both writing and reading use.
type tallyField[T any] struct {
	name  string
	field func(*T) *int64
}

var groupFields = []tallyField[aggregate.GroupTally]{
	{"n", func(t *aggregate.GroupTally) *int64 { return &t.Participants }},
	{"sc", func(t *aggregate.GroupTally) *int64 { return &t.Scored }},
	{"s", func(t *aggregate.GroupTally) *int64 { return &t.ScoreSum }},
	{"ss", func(t *aggregate.GroupTally) *int64 { return &t.ScoreSqSum }},
	{"p", func(t *aggregate.GroupTally) *int64 { return &t.Passes }},
}

var questionFields = []tallyField[aggregate.QuestionTally]{
	{"n", func(t *aggregate.QuestionTally) *int64 { return &t.N }},
	{"c", func(t *aggregate.QuestionTally) *int64 { return &t.Correct }},
	{"s", func(t *aggregate.QuestionTally) *int64 { return &t.ScoreSum }},
	{"ss", func(t *aggregate.QuestionTally) *int64 { return &t.ScoreSqSum }},
	{"cs", func(t *aggregate.QuestionTally) *int64 { return &t.CorrectScoreSum }},
}

// counterAttributes flattens a counter into the numeric attributes of its item.
func counterAttributes(c aggregate.Counter) map[string]int64 {
	m := map[string]int64{
		"submissions": c.Submissions, "participants": c.Participants, "scored": c.Scored,
		"scoreSum": c.ScoreSum, "scoreSqSum": c.ScoreSqSum, "passes": c.Passes,
	}
	for t, v := range c.Topics {
		m[topicAnsweredPrefix+t] = int64(v.Answered)
		m[topicCorrectPrefix+t] = int64(v.Correct)
	}
	for g, v := range c.Groups {
		for _, f := range groupFields {
			m[groupPrefix+g+"_"+f.name] = *f.field(&v)
		}
	}
	for q, v := range c.Questions {
		for _, f := range questionFields {
			m[questionPrefix+q+"_"+f.name] = *f.field(&v)
		}
	}
	for o, v := range c.Options {
		m[optionPrefix+o] = v
	}
	return m
}

func counterUpdate(d aggregate.Counter) expression.UpdateBuilder {
	u := expression.Set(expression.Name(attrEntity), expression.Value(entityCounter)).
		Set(expression.Name("quizId"), expression.Value(d.QuizID)).
		Set(expression.Name("unitId"), expression.Value(d.UnitID)).
		Set(expression.Name("month"), expression.Value(d.Month))
	for name, v := range counterAttributes(d) {
		if v != 0 {
			u = u.Add(expression.Name(name), expression.Value(v))
		}
	}
	return u
}

func (s *Store) counterUpdateItem(d aggregate.Counter) (*types.Update, error) {
	expr, err := expression.NewBuilder().WithUpdate(counterUpdate(d)).Build()
	if err != nil {
		return nil, fmt.Errorf("build counter update: %w", err)
	}
	pk, sk := counterKey(d.QuizID, d.UnitID, d.Month)
	return &types.Update{TableName: &s.table, Key: key(pk, sk), UpdateExpression: expr.Update(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()}, nil
}

// appliedPut records that e was applied, with the event itself so that a regrade can
// take its counts back. It is kept (no TTL): a correction may regrade it any time.
func (s *Store) appliedPut(e aggregate.Event) (*types.Put, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode applied event: %w", err)
	}
	pk, sk := appliedKey(e.AttemptID)
	item := key(pk, sk)
	item[attrEntity] = &types.AttributeValueMemberS{Value: entityApplied}
	item["gv"] = &types.AttributeValueMemberN{Value: strconv.Itoa(e.GradeVersion)}
	item["event"] = &types.AttributeValueMemberS{Value: string(body)}
	return &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}, nil
}

// applied reads what was applied for an attempt, if anything.
func (s *Store) applied(ctx context.Context, attemptID string) (aggregate.Event, bool, error) {
	pk, sk := appliedKey(attemptID)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return aggregate.Event{}, false, fmt.Errorf("read applied marker: %w", err)
	}
	if out.Item == nil {
		return aggregate.Event{}, false, nil
	}
	var e aggregate.Event
	body, _ := out.Item["event"].(*types.AttributeValueMemberS)
	if body == nil || json.Unmarshal([]byte(body.Value), &e) != nil {
		return aggregate.Event{}, true, fmt.Errorf("decode applied marker of %s", attemptID)
	}
	return e, true, nil
}

// firstPut claims (or re-claims) a participant's first attempt; the claim keeps the
// attempt's event so that a later swap can take its first-attempt counts back.
func (s *Store) firstPut(e aggregate.Event) (*types.Put, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode first-attempt claim: %w", err)
	}
	pk, sk := firstKey(e.Key.QuizID, e.Identity)
	item := key(pk, sk)
	item[attrEntity] = &types.AttributeValueMemberS{Value: entityFirst}
	item["attemptId"] = &types.AttributeValueMemberS{Value: e.AttemptID}
	item["event"] = &types.AttributeValueMemberS{Value: string(body)}
	return &types.Put{TableName: &s.table, Item: item}, nil
}

// claim reads the current first-attempt claim of a participant.
func (s *Store) claim(ctx context.Context, quizID, identity string) (aggregate.Event, bool, error) {
	pk, sk := firstKey(quizID, identity)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return aggregate.Event{}, false, fmt.Errorf("read first-attempt claim: %w", err)
	}
	if out.Item == nil {
		return aggregate.Event{}, false, nil
	}
	var it struct {
		Event string `dynamodbav:"event"`
	}
	var e aggregate.Event
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return e, false, fmt.Errorf("decode first-attempt claim: %w", err)
	}
	if err := json.Unmarshal([]byte(it.Event), &e); err != nil {
		return e, false, fmt.Errorf("decode first-attempt claim: %w", err)
	}
	return e, true, nil
}

// maxApplyTries bounds the retries when claims change under concurrent deliveries.
const maxApplyTries = 5

// Apply adds one submitted attempt to its counter in a transaction with a marker that
// makes a redelivery a no-op. The participant's first attempt (earliest submission,
// then lowest id, as Rebuild decides) is claimed in the same transaction; when an
// earlier attempt is delivered after a later one, the claim and its counts move to it,
// so the counters never depend on the order in which the stream delivers.
func (s *Store) Apply(ctx context.Context, e aggregate.Event) error {
	for try := 0; try < maxApplyTries; try++ {
		prev, done, err := s.applied(ctx, e.AttemptID)
		if err != nil {
			return err
		}
		if done {
			if prev.GradeVersion >= e.GradeVersion {
				return nil // applied before: a redelivery
			}
			err := s.regrade(ctx, prev, e)
			if apperr.CodeOf(err) == apperr.Conflict {
				continue // a concurrent delivery moved on: decide again
			}
			return err
		}
		current, claimed, err := s.claim(ctx, e.Key.QuizID, e.Identity)
		if err != nil {
			return err
		}
		claim, err := s.firstPut(e)
		if err != nil {
			return err
		}
		var deltas []aggregate.Counter
		switch {
		case !claimed:
			claim.ConditionExpression = aws.String("attribute_not_exists(pk)")
			deltas = []aggregate.Counter{aggregate.Delta(e, true)}
		case current.AttemptID == e.AttemptID:
			return nil // claimed by this very attempt: applied before
		case e.Before(current):
			claim.ConditionExpression = aws.String("attemptId = :current")
			claim.ExpressionAttributeValues = map[string]types.AttributeValue{":current": &types.AttributeValueMemberS{Value: current.AttemptID}}
			deltas = mergeByKey(aggregate.Delta(e, true), aggregate.FirstOnly(current).Negate())
		default:
			claim = nil // a later attempt: practice, counted as a submission only
			deltas = []aggregate.Counter{aggregate.Delta(e, false)}
		}
		marker, err := s.appliedPut(e)
		if err != nil {
			return err
		}
		items := []types.TransactWriteItem{{Put: marker}}
		for _, d := range deltas {
			upd, err := s.counterUpdateItem(d)
			if err != nil {
				return err
			}
			items = append(items, types.TransactWriteItem{Update: upd})
		}
		if claim != nil {
			items = append(items, types.TransactWriteItem{Put: claim})
		}
		out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if err == nil {
			s.meter(out.ConsumedCapacity...)
			return nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return fmt.Errorf("apply attempt: %w", err)
		}
		if failedCondition(tce.CancellationReasons, 0) {
			return nil // applied before: a redelivery
		}
		if claim != nil && failedCondition(tce.CancellationReasons, len(items)-1) {
			continue // the claim changed since it was read: decide again
		}
		return fmt.Errorf("apply attempt: %w", err)
	}
	return fmt.Errorf("apply attempt: first-attempt claim kept changing")
}

// regrade replaces what an attempt added to the counters (prev) with what it adds now
// (next), after a key correction changed its score; if the attempt holds its
// participant's first-attempt claim, the claim follows too.
func (s *Store) regrade(ctx context.Context, prev, next aggregate.Event) error {
	current, claimed, err := s.claim(ctx, next.Key.QuizID, next.Identity)
	if err != nil {
		return err
	}
	first := claimed && current.AttemptID == next.AttemptID
	deltas := mergeByKey(aggregate.Delta(next, first), aggregate.Delta(prev, first).Negate())
	marker, err := s.appliedPut(next)
	if err != nil {
		return err
	}
	marker.ConditionExpression = aws.String("gv = :prev")
	marker.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(prev.GradeVersion)}}
	items := []types.TransactWriteItem{{Put: marker}}
	for _, d := range deltas {
		upd, err := s.counterUpdateItem(d)
		if err != nil {
			return err
		}
		items = append(items, types.TransactWriteItem{Update: upd})
	}
	if first {
		claim, err := s.firstPut(next)
		if err != nil {
			return err
		}
		claim.ConditionExpression = aws.String("attemptId = :me")
		claim.ExpressionAttributeValues = map[string]types.AttributeValue{":me": &types.AttributeValueMemberS{Value: next.AttemptID}}
		items = append(items, types.TransactWriteItem{Put: claim})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) {
			return apperr.Errorf(apperr.Conflict, "regrade raced another delivery")
		}
		return fmt.Errorf("regrade counters: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// mergeByKey adds counters that update the same item, since a transaction may touch an
// item only once.
func mergeByKey(cs ...aggregate.Counter) []aggregate.Counter {
	var out []aggregate.Counter
	for _, c := range cs {
		merged := false
		for i := range out {
			if out[i].Key == c.Key {
				out[i].Add(c)
				merged = true
			}
		}
		if !merged {
			out = append(out, c)
		}
	}
	return out
}

func failedCondition(reasons []types.CancellationReason, i int) bool {
	return i < len(reasons) && aws.ToString(reasons[i].Code) == "ConditionalCheckFailed"
}

// Counters returns every month's counter of a quiz for the given units.
func (s *Store) Counters(ctx context.Context, quizID string, unitIDs []string) ([]aggregate.Counter, error) {
	var out []aggregate.Counter
	for _, unitID := range unitIDs {
		raw, err := s.partition(ctx, counterPK(quizID, unitID))
		if err != nil {
			return nil, fmt.Errorf("query counters: %w", err)
		}
		for _, item := range raw {
			c, err := counterFromItem(item)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	aggregate.SortCounters(out)
	return out, nil
}

func counterFromItem(item map[string]types.AttributeValue) (aggregate.Counter, error) {
	str := func(name string) string {
		if v, ok := item[name].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	c := aggregate.Counter{Key: aggregate.Key{QuizID: str("quizId"), UnitID: str("unitId"), Month: str("month")}}
	for name, av := range item {
		nv, ok := av.(*types.AttributeValueMemberN)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(nv.Value, 10, 64)
		if err != nil {
			return c, fmt.Errorf("decode counter %s: %w", name, err)
		}
		if err := setCounterField(&c, name, n); err != nil {
			return c, err
		}
	}
	dropZeros(&c)
	return c, nil
}

func setCounterField(c *aggregate.Counter, name string, n int64) error {
	switch name {
	case "submissions":
		c.Submissions = n
	case "participants":
		c.Participants = n
	case "scored":
		c.Scored = n
	case "scoreSum":
		c.ScoreSum = n
	case "scoreSqSum":
		c.ScoreSqSum = n
	case "passes":
		c.Passes = n
	case attrTTL:
	default:
		switch {
		case strings.HasPrefix(name, topicAnsweredPrefix), strings.HasPrefix(name, topicCorrectPrefix):
			if c.Topics == nil {
				c.Topics = map[string]quiz.TopicTally{}
			}
			t := name[len(topicAnsweredPrefix):]
			x := c.Topics[t]
			if strings.HasPrefix(name, topicAnsweredPrefix) {
				x.Answered = int(n)
			} else {
				x.Correct = int(n)
			}
			c.Topics[t] = x
		case strings.HasPrefix(name, groupPrefix):
			setTally(&c.Groups, name[len(groupPrefix):], groupFields, n)
		case strings.HasPrefix(name, questionPrefix):
			setTally(&c.Questions, name[len(questionPrefix):], questionFields, n)
		case strings.HasPrefix(name, optionPrefix):
			if c.Options == nil {
				c.Options = map[string]int64{}
			}
			c.Options[name[len(optionPrefix):]] = n
		}
	}
	return nil
}

// setTally sets one field of a tally from its attribute name "<key>_<field>".
func setTally[T any](m *map[string]T, name string, fields []tallyField[T], n int64) {
	key, field := splitLast(name)
	if *m == nil {
		*m = map[string]T{}
	}
	x := (*m)[key]
	for _, f := range fields {
		if f.name == field {
			*f.field(&x) = n
		}
	}
	(*m)[key] = x
}

func splitLast(s string) (head, field string) {
	i := strings.LastIndexByte(s, '_')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// dropZeros removes tallies that are all zero: a first-attempt count moved to an
// earlier attempt leaves them behind, and a rebuild never writes them.
func dropZeros(c *aggregate.Counter) {
	dropZero(&c.Topics)
	dropZero(&c.Groups)
	dropZero(&c.Questions)
	dropZero(&c.Options)
}

// dropZero deletes zero values, and the map itself when nothing is left.
func dropZero[V comparable](m *map[string]V) {
	var zero V
	for k, v := range *m {
		if v == zero {
			delete(*m, k)
		}
	}
	if len(*m) == 0 {
		*m = nil
	}
}

// scanEntities reads every item of the given entities (rebuild and maintenance only).
func (s *Store) scanEntities(ctx context.Context, entities ...string) ([]map[string]types.AttributeValue, error) {
	var cond expression.ConditionBuilder
	for i, e := range entities {
		c := expression.Name(attrEntity).Equal(expression.Value(e))
		if i == 0 {
			cond = c
		} else {
			cond = cond.Or(c)
		}
	}
	expr, err := expression.NewBuilder().WithFilter(cond).Build()
	if err != nil {
		return nil, err
	}
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(s.db, &dynamodb.ScanInput{TableName: &s.table, FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		out = append(out, page.Items...)
	}
	return out, nil
}

// SubmittedAttempts returns every submitted attempt.
func (s *Store) SubmittedAttempts(ctx context.Context) ([]quiz.Attempt, error) {
	items, err := s.scanEntities(ctx, entityAttempt)
	if err != nil {
		return nil, err
	}
	var out []quiz.Attempt
	for _, item := range items {
		a, _, err := AttemptFromItem(item)
		if err != nil {
			return nil, err
		}
		if a.Status == quiz.Submitted {
			out = append(out, a)
		}
	}
	return out, nil
}

// ReplaceCounters deletes every counter and first-attempt claim and writes the given ones.
// Run it while the aggregator is paused: it is a repair tool, not a live operation.
func (s *Store) ReplaceCounters(ctx context.Context, counters []aggregate.Counter, firsts []quiz.Attempt) error {
	old, err := s.scanEntities(ctx, entityCounter, entityFirst)
	if err != nil {
		return err
	}
	var dels []types.WriteRequest
	for _, item := range old {
		dels = append(dels, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{attrPK: item[attrPK], attrSK: item[attrSK]}}})
	}
	if err := s.batchWrite(ctx, dels); err != nil {
		return err
	}
	var puts []types.WriteRequest
	for _, c := range counters {
		pk, sk := counterKey(c.QuizID, c.UnitID, c.Month)
		item := key(pk, sk)
		item[attrEntity] = &types.AttributeValueMemberS{Value: entityCounter}
		item["quizId"] = &types.AttributeValueMemberS{Value: c.QuizID}
		item["unitId"] = &types.AttributeValueMemberS{Value: c.UnitID}
		item["month"] = &types.AttributeValueMemberS{Value: c.Month}
		for name, v := range counterAttributes(c) {
			item[name] = &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
		}
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	for _, a := range firsts {
		claim, err := s.firstPut(aggregate.EventOf(a))
		if err != nil {
			return err
		}
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: claim.Item}})
	}
	return s.batchWrite(ctx, puts)
}
