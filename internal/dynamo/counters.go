package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

// Counter items hold flat numeric attributes so one UpdateItem can ADD to all of them:
//
//	submissions, participants, scored, scoreSum, scoreSqSum, passes, suspects
//	tA_<topic>, tC_<topic>                       topic answered, correct
//	g_<group>_{n,sc,s,ss,p}                       per report group ("org:hpn", "age:25-34")
//	q_<question>_{n,c,s,ss,cs,r,rr,cr}            question analysis (r: rest score)
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
	// Rest scores (other questions correct), for the corrected discrimination; a counter
	// item without them reads them as 0 (infra/rebuild recomputes them).
	{"r", func(t *aggregate.QuestionTally) *int64 { return &t.RestSum }},
	{"rr", func(t *aggregate.QuestionTally) *int64 { return &t.RestSqSum }},
	{"cr", func(t *aggregate.QuestionTally) *int64 { return &t.CorrectRestSum }},
}

// counterAttributes flattens a counter into the numeric attributes of its item.
func counterAttributes(c aggregate.Counter) map[string]int64 {
	m := map[string]int64{
		"submissions": c.Submissions, "participants": c.Participants, "scored": c.Scored,
		"scoreSum": c.ScoreSum, "scoreSqSum": c.ScoreSqSum, "passes": c.Passes, "suspects": c.SuspectSubmissions,
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
		Set(expression.Name(attrQuizID), expression.Value(d.QuizID)).
		Set(expression.Name(attrUnitID), expression.Value(d.UnitID)).
		Set(expression.Name(attrMonth), expression.Value(d.Month))
	for name, v := range counterAttributes(d) {
		if v != 0 {
			u = u.Add(expression.Name(name), expression.Value(v))
		}
	}
	return u
}

func (s *Store) counterUpdateItem(d aggregate.Counter) (*types.Update, error) {
	pk, sk := counterKey(d.QuizID, d.UnitID, d.Month)
	upd, err := s.updateOf(pk, sk, counterUpdate(d), nil)
	if err != nil {
		return nil, fmt.Errorf("build counter update: %w", err)
	}
	return upd, nil
}

// counterItem holds a counter's identity; its tallies are the flat numeric attributes of
// counterAttributes, added beside them.
type counterItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	QuizID string `dynamodbav:"quizId"`
	UnitID string `dynamodbav:"unitId"`
	Month  string `dynamodbav:"month"`
}

// Attribute names of counterItem that counterUpdate sets.
const (
	attrQuizID = "quizId"
	attrUnitID = "unitId"
	attrMonth  = "month"
)

// counterAsItem is the whole item of a counter, for a rebuild's put.
func counterAsItem(c aggregate.Counter) (map[string]types.AttributeValue, error) {
	pk, sk := counterKey(c.QuizID, c.UnitID, c.Month)
	item, err := attributevalue.MarshalMap(counterItem{PK: pk, SK: sk, Entity: entityCounter, QuizID: c.QuizID, UnitID: c.UnitID, Month: c.Month})
	if err != nil {
		return nil, fmt.Errorf("marshal counter: %w", err)
	}
	tallies, err := attributevalue.MarshalMap(counterAttributes(c))
	if err != nil {
		return nil, fmt.Errorf("marshal counter tallies: %w", err)
	}
	maps.Copy(item, tallies)
	return item, nil
}

// firstItem claims a participant's first attempt; it keeps the attempt's event so that
// a later move can take its first-attempt counts back.
type firstItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Entity    string `dynamodbav:"e"`
	AttemptID string `dynamodbav:"attemptId"`
	// GV is the grade version of Event, compared by the replace condition: a stored
	// claim without it stands for version 0.
	GV int `dynamodbav:"gv"`
	// Event is the claimed event: compactEvent as JSON in ev (keeping the item under
	// 1 KB, one write unit), or eventDoc as JSON in event (the long form some stored
	// claims carry).
	Compact string `dynamodbav:"ev,omitempty"`
	Event   string `dynamodbav:"event,omitempty"`
}

// attrAttemptID is the firstItem attribute that claim conditions compare.
const attrAttemptID = "attemptId"

// eventDoc is the stored JSON of an aggregate.Event. Its names are the event's Go field
// names (JSON without tags), the names stored markers and claims carry, so they read
// back the same.
type eventDoc struct {
	AttemptID    string              `json:"AttemptID"`
	Identity     string              `json:"Identity"`
	SubmittedAt  time.Time           `json:"SubmittedAt"`
	Key          eventKeyDoc         `json:"Key"`
	Scored       bool                `json:"Scored"`
	ScoreMilli   int64               `json:"ScoreMilli"`
	Passed       bool                `json:"Passed"`
	Topics       map[string]topicDoc `json:"Topics"`
	Groups       []string            `json:"Groups"`
	Correct      map[string]bool     `json:"Correct"`
	Options      []string            `json:"Options"`
	GradeVersion int                 `json:"GradeVersion"`
	RoundID      string              `json:"RoundID"`
	Perfect      bool                `json:"Perfect"`
	Suspect      bool                `json:"Suspect"`
}

type eventKeyDoc struct {
	QuizID string `json:"QuizID"`
	UnitID string `json:"UnitID"`
	Month  string `json:"Month"`
}

// topicDoc is a topic tally inside an eventDoc, named as quiz.TopicTally's JSON was.
type topicDoc struct {
	Answered int `json:"answered"`
	Correct  int `json:"correct"`
}

func encodeEvent(e aggregate.Event) (string, error) {
	d := eventDoc{AttemptID: e.AttemptID, Identity: e.Identity, SubmittedAt: e.SubmittedAt,
		Key:    eventKeyDoc{QuizID: e.Key.QuizID, UnitID: e.Key.UnitID, Month: e.Key.Month},
		Scored: e.Scored, ScoreMilli: e.ScoreMilli, Passed: e.Passed, Groups: e.Groups, Correct: e.Correct,
		Options: e.Options, GradeVersion: e.GradeVersion, RoundID: e.RoundID, Perfect: e.Perfect, Suspect: e.Suspect}
	if e.Topics != nil {
		d.Topics = make(map[string]topicDoc, len(e.Topics))
		for t, v := range e.Topics {
			d.Topics[t] = topicDoc{Answered: v.Answered, Correct: v.Correct}
		}
	}
	b, err := json.Marshal(d)
	return string(b), err
}

func decodeEvent(s string) (aggregate.Event, error) {
	var d eventDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return aggregate.Event{}, err
	}
	e := aggregate.Event{AttemptID: d.AttemptID, Identity: d.Identity, SubmittedAt: d.SubmittedAt,
		Key:    aggregate.Key{QuizID: d.Key.QuizID, UnitID: d.Key.UnitID, Month: d.Key.Month},
		Scored: d.Scored, ScoreMilli: d.ScoreMilli, Passed: d.Passed, Groups: d.Groups, Correct: d.Correct,
		Options: d.Options, GradeVersion: d.GradeVersion, RoundID: d.RoundID, Perfect: d.Perfect, Suspect: d.Suspect}
	if d.Topics != nil {
		e.Topics = make(map[string]quiz.TopicTally, len(d.Topics))
		for t, v := range d.Topics {
			e.Topics[t] = quiz.TopicTally{Answered: v.Answered, Correct: v.Correct}
		}
	}
	return e, nil
}

// rebuildLane is the lane of the ledger entries a rebuild writes: no stream record has
// it, so a record redelivered after a rebuild finds its attempt counted and adds nothing.
const rebuildLane = "rebuild"

// rebuiltLedgers are the ledger items of a rebuild of attempts: per (quiz, identity) the
// first-attempt claim (if any) and one entry per submitted attempt at its grade version,
// so that the ledgers still list every attempt (regrade, purge, the next rebuild). A
// participant's attempts must all be among attempts.
func rebuiltLedgers(attempts []quiz.Attempt) ([]map[string]types.AttributeValue, error) {
	first := map[string]bool{}
	for _, a := range aggregate.Firsts(attempts) {
		first[a.ID] = true
	}
	type ledgerID struct{ quizID, identity string }
	items := map[ledgerID]map[string]types.AttributeValue{}
	var order []ledgerID
	for _, a := range attempts {
		if a.Status != quiz.Submitted {
			continue
		}
		e := aggregate.EventOf(a)
		id := ledgerID{a.QuizID, e.Identity}
		item, ok := items[id]
		if !ok {
			pk, sk := ledgerKey(a.QuizID, e.Identity)
			item = map[string]types.AttributeValue{attrPK: &types.AttributeValueMemberS{Value: pk},
				attrSK: &types.AttributeValueMemberS{Value: sk}, attrEntity: &types.AttributeValueMemberS{Value: entityFirst},
				attrLedgerVersion: &types.AttributeValueMemberN{Value: "1"}}
			items[id] = item
			order = append(order, id)
		}
		role := aggregate.RolePractice
		switch {
		case first[a.ID]:
			role = aggregate.RoleFirst
			body, err := encodeCompact(e)
			if err != nil {
				return nil, fmt.Errorf("encode first-attempt claim: %w", err)
			}
			item[attrAttemptID] = &types.AttributeValueMemberS{Value: a.ID}
			item[attrGV] = &types.AttributeValueMemberN{Value: strconv.Itoa(e.GradeVersion)}
			item["ev"] = &types.AttributeValueMemberS{Value: body}
		case a.Suspect:
			role = aggregate.RoleSuspect
		}
		entry, err := encodeEntry(aggregate.Entry{Role: role, Lane: rebuildLane, Seq: "0"})
		if err != nil {
			return nil, fmt.Errorf("encode ledger entry: %w", err)
		}
		item[entryName(aggregate.EntryKey{AttemptID: a.ID, GradeVersion: e.GradeVersion})] = &types.AttributeValueMemberS{Value: entry}
	}
	out := make([]map[string]types.AttributeValue, len(order))
	for i, id := range order {
		out[i] = items[id]
	}
	return out, nil
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
	var it counterItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return aggregate.Counter{}, fmt.Errorf("decode counter: %w", err)
	}
	c := aggregate.Counter{Key: aggregate.Key{QuizID: it.QuizID, UnitID: it.UnitID, Month: it.Month}}
	for name, av := range item {
		if _, ok := av.(*types.AttributeValueMemberN); !ok {
			continue // the identity attributes above
		}
		var n int64
		if err := attributevalue.Unmarshal(av, &n); err != nil {
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
	case "suspects":
		c.SuspectSubmissions = n
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

// ReplaceCounters deletes every counter and ledger and writes the given counters and
// the ledgers of attempts (every submitted attempt). Run it while the aggregator is
// paused: it is a repair tool, not a live operation.
func (s *Store) ReplaceCounters(ctx context.Context, counters []aggregate.Counter, attempts []quiz.Attempt) error {
	old, err := s.scanEntities(ctx, entityCounter, entityFirst)
	if err != nil {
		return err
	}
	var dels []types.WriteRequest
	for _, item := range old {
		var k keyItem
		if err := attributevalue.UnmarshalMap(item, &k); err != nil {
			return fmt.Errorf("decode key: %w", err)
		}
		dels = append(dels, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(k.PK, k.SK)}})
	}
	if err := s.batchWrite(ctx, dels); err != nil {
		return err
	}
	return s.putRebuilt(ctx, counters, attempts)
}

// putRebuilt writes a rebuild's counters and the ledgers of its attempts (both rebuilds).
func (s *Store) putRebuilt(ctx context.Context, counters []aggregate.Counter, attempts []quiz.Attempt) error {
	var puts []types.WriteRequest
	for _, c := range counters {
		item, err := counterAsItem(c)
		if err != nil {
			return err
		}
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	ledgers, err := rebuiltLedgers(attempts)
	if err != nil {
		return err
	}
	for _, item := range ledgers {
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, puts)
}

// PutLedgers writes the ledgers a rebuild would write for attempts (all of each
// participant's attempts), counters left alone: a bulk load after PutAttempts, for
// benchmarks, so that the loaded attempts are listed as the aggregator would list them.
func (s *Store) PutLedgers(ctx context.Context, attempts []quiz.Attempt) error {
	return s.putRebuilt(ctx, nil, attempts)
}
