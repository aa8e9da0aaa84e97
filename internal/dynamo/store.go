// Package dynamo stores the domain in the single DynamoDB table. Item structs are private
// and mapped to domain types here; keys are built in keys.go.
package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/units"
)

var (
	_ attempts.Store  = (*Store)(nil)
	_ aggregate.Store = (*Store)(nil)
)

// Unsubmitted attempts expire. (Apply markers are kept: a key correction may regrade an
// attempt any time, and its marker holds what to take back.)
const abandonedAttemptTTL = 7 * 24 * time.Hour

// Store is the DynamoDB adapter for the quiz and aggregate domains.
type Store struct {
	db    *dynamodb.Client
	table string
	// milliWriteUnits sums the write capacity the store's own requests consumed.
	milliWriteUnits atomic.Int64
	// milliReadUnits sums the read capacity of its single-item reads (GetItem), the
	// reads of the resident and aggregation paths, of the walks of a quiz's attempts
	// (ledger queries and their batch reads) and of the ranking reads of ByRound
	// (TopEntries*); other queries and scans are not metered.
	milliReadUnits atomic.Int64
}

// New returns a store on the given table.
func New(db *dynamodb.Client, table string) *Store { return &Store{db: db, table: table} }

// WriteUnits returns the write capacity units consumed so far by this store's requests.
func (s *Store) WriteUnits() float64 { return float64(s.milliWriteUnits.Load()) / 1000 }

// ReadUnits returns the read capacity units consumed so far by this store's GetItems.
func (s *Store) ReadUnits() float64 { return float64(s.milliReadUnits.Load()) / 1000 }

func (s *Store) meterRead(c *types.ConsumedCapacity) {
	if c != nil && c.CapacityUnits != nil {
		s.milliReadUnits.Add(int64(math.Round(*c.CapacityUnits * 1000)))
	}
}

// meterRejected counts a write DynamoDB refused on a condition, or a transaction it
// cancelled: the error carries no consumed capacity, yet AWS bills at least one write
// unit per item it examined, so the meters (and the benchmark's all-in figure) add that
// lower bound rather than nothing.
func (s *Store) meterRejected(items int) { s.milliWriteUnits.Add(int64(items) * 1000) }

func (s *Store) meter(cc ...types.ConsumedCapacity) {
	for _, c := range cc {
		if c.WriteCapacityUnits != nil {
			s.milliWriteUnits.Add(int64(math.Round(*c.WriteCapacityUnits * 1000)))
		} else if c.CapacityUnits != nil && c.ReadCapacityUnits == nil {
			s.milliWriteUnits.Add(int64(math.Round(*c.CapacityUnits * 1000)))
		}
	}
}

// key is the primary key of an item. It is built directly rather than marshalled from
// keyItem: it cannot fail, and every read and update needs it.
func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// keyItem reads the primary key of any item.
type keyItem struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
}

// putOf marshals an item struct into a put, on a condition when cond is not nil. The
// same put serves a transaction and, through putInput, a single PutItem.
func (s *Store) putOf(item any, cond *expression.ConditionBuilder) (*types.Put, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return nil, fmt.Errorf("marshal item: %w", err)
	}
	put := &types.Put{TableName: &s.table, Item: av}
	if cond != nil {
		expr, err := expression.NewBuilder().WithCondition(*cond).Build()
		if err != nil {
			return nil, fmt.Errorf("build condition: %w", err)
		}
		put.ConditionExpression, put.ExpressionAttributeNames, put.ExpressionAttributeValues = expr.Condition(), expr.Names(), expr.Values()
	}
	return put, nil
}

// putInput is putOf as a PutItem request.
func (s *Store) putInput(item any, cond *expression.ConditionBuilder) (*dynamodb.PutItemInput, error) {
	p, err := s.putOf(item, cond)
	if err != nil {
		return nil, err
	}
	return &dynamodb.PutItemInput{TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression,
		ExpressionAttributeNames: p.ExpressionAttributeNames, ExpressionAttributeValues: p.ExpressionAttributeValues}, nil
}

// updateOf builds an update of item pk/sk, on a condition when cond is not nil.
func (s *Store) updateOf(pk, sk string, upd expression.UpdateBuilder, cond *expression.ConditionBuilder) (*types.Update, error) {
	b := expression.NewBuilder().WithUpdate(upd)
	if cond != nil {
		b = b.WithCondition(*cond)
	}
	expr, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("build update: %w", err)
	}
	return &types.Update{TableName: &s.table, Key: key(pk, sk), UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()}, nil
}

// updateInput is updateOf as an UpdateItem request.
func (s *Store) updateInput(pk, sk string, upd expression.UpdateBuilder, cond *expression.ConditionBuilder) (*dynamodb.UpdateItemInput, error) {
	u, err := s.updateOf(pk, sk, upd, cond)
	if err != nil {
		return nil, err
	}
	return &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression,
		ConditionExpression: u.ConditionExpression, ExpressionAttributeNames: u.ExpressionAttributeNames,
		ExpressionAttributeValues: u.ExpressionAttributeValues}, nil
}

// getItem reads one item with a strongly consistent read into out, an item struct, and
// reports whether it exists.
func (s *Store) getItem(ctx context.Context, pk, sk string, out any) (bool, error) {
	res, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return false, err
	}
	s.meterRead(res.ConsumedCapacity)
	if res.Item == nil {
		return false, nil
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return true, fmt.Errorf("decode %s: %w", pk, err)
	}
	return true, nil
}

// keyQuery builds a query of the table (or of index, when not empty) on a key condition.
func (s *Store) keyQuery(index string, cond expression.KeyConditionBuilder) (*dynamodb.QueryInput, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return nil, fmt.Errorf("build key condition: %w", err)
	}
	in := &dynamodb.QueryInput{TableName: &s.table, KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values()}
	if index != "" {
		in.IndexName = aws.String(index)
	}
	return in, nil
}

// ---- units

type unitItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Entity     string `dynamodbav:"e"`
	ID         string `dynamodbav:"id"`
	ParentID   string `dynamodbav:"parentId,omitempty"`
	Name       string `dynamodbav:"name"`
	Kind       string `dynamodbav:"kind"`
	Population int    `dynamodbav:"population"`
	Households int    `dynamodbav:"households"`
}

// PutUnits writes units (used by the demo loader and imports).
func (s *Store) PutUnits(ctx context.Context, units []units.Unit) error {
	var reqs []types.WriteRequest
	for _, u := range units {
		pk, sk := unitKey(u.ID)
		item, err := attributevalue.MarshalMap(unitItem{PK: pk, SK: sk, Entity: entityUnit, ID: u.ID, ParentID: u.ParentID,
			Name: u.Name, Kind: u.Kind, Population: u.Population, Households: u.Households})
		if err != nil {
			return fmt.Errorf("marshal unit %s: %w", u.ID, err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, reqs)
}

func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(25, len(reqs))
		pending := map[string][]types.WriteRequest{s.table: reqs[:n]}
		reqs = reqs[n:]
		for attempt := 0; len(pending[s.table]) > 0; attempt++ {
			if attempt > 8 {
				return fmt.Errorf("batch write: items left unprocessed after retries")
			}
			if attempt > 0 {
				time.Sleep(time.Duration(1<<attempt) * 10 * time.Millisecond)
			}
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
			if err != nil {
				return fmt.Errorf("batch write: %w", err)
			}
			s.meter(out.ConsumedCapacity...)
			pending = out.UnprocessedItems
		}
	}
	return nil
}

// batchGetItems reads items by key, 100 a request, strongly consistent, retrying
// unprocessed keys with backoff; missing items are left out, the order is not kept.
func (s *Store) batchGetItems(ctx context.Context, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	for len(keys) > 0 {
		n := min(100, len(keys))
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys[:n], ConsistentRead: aws.Bool(true)}}
		keys = keys[n:]
		for try := 0; len(pending[s.table].Keys) > 0; try++ {
			if try > 8 {
				return nil, fmt.Errorf("batch get: keys left unprocessed after retries")
			}
			if try > 0 {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(time.Duration(1<<try) * 10 * time.Millisecond):
				}
			}
			res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
			if err != nil {
				return nil, err
			}
			for i := range res.ConsumedCapacity {
				s.meterRead(&res.ConsumedCapacity[i])
			}
			out = append(out, res.Responses[s.table]...)
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

// ListUnits returns every unit.
func (s *Store) ListUnits(ctx context.Context) ([]units.Unit, error) {
	var items []unitItem
	if err := s.queryAll(ctx, unitsPK, &items); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	out := make([]units.Unit, len(items))
	for i, it := range items {
		out[i] = units.Unit{ID: it.ID, ParentID: it.ParentID, Name: it.Name, Kind: it.Kind,
			Population: it.Population, Households: it.Households}
	}
	return out, nil
}

// queryAll reads a whole partition into out (a pointer to a slice of item structs).
func (s *Store) queryAll(ctx context.Context, pk string, out any) error {
	items, err := s.partition(ctx, pk)
	if err != nil {
		return err
	}
	return attributevalue.UnmarshalListOfMaps(items, out)
}

// partition returns every item of a partition.
func (s *Store) partition(ctx context.Context, pk string) ([]map[string]types.AttributeValue, error) {
	var all []map[string]types.AttributeValue
	in, err := s.keyQuery("", expression.Key(attrPK).Equal(expression.Value(pk)))
	if err != nil {
		return nil, err
	}
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
	}
	return all, nil
}

// ---- quizzes

type quizItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	Entity  string `dynamodbav:"e"`
	ID      string `dynamodbav:"id"`
	Status  string `dynamodbav:"status"`
	Version int    `dynamodbav:"version"`
	// The quiz body is one JSON document: it is always read and written whole.
	Body string `dynamodbav:"body"`
}

// attrVersion is the quizItem attribute an edit's condition compares.
const attrVersion = "version"

// PutQuiz stores a validated quiz. q.Version is the version it was read at (0 for a new
// quiz): if the stored quiz has changed since, nothing is written and the result is a
// conflict, so an edit cannot silently undo a concurrent publish.
func (s *Store) PutQuiz(ctx context.Context, q quiz.Quiz) error {
	if err := q.Validate(); err != nil {
		return err
	}
	read := q.Version
	q.Version++
	body, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("marshal quiz %s: %w", q.ID, err)
	}
	pk, sk := quizKey(q.ID)
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	if read > 0 {
		cond = expression.Name(attrVersion).Equal(expression.Value(read))
	}
	in, err := s.putInput(quizItem{PK: pk, SK: sk, Entity: entityQuiz, ID: q.ID, Status: string(q.Status),
		Version: q.Version, Body: string(body)}, &cond)
	if err != nil {
		return fmt.Errorf("quiz %s: %w", q.ID, err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.PutItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return apperr.Errorf(apperr.Conflict, "Bài %s vừa được người khác thay đổi; hãy tải lại rồi sửa tiếp", q.ID)
		}
		return fmt.Errorf("put quiz %s: %w", q.ID, err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

func deref(c *types.ConsumedCapacity) []types.ConsumedCapacity {
	if c == nil {
		return nil
	}
	return []types.ConsumedCapacity{*c}
}

func (it quizItem) toDomain() (quiz.Quiz, error) {
	var q quiz.Quiz
	if err := json.Unmarshal([]byte(it.Body), &q); err != nil {
		return q, fmt.Errorf("decode quiz %s: %w", it.ID, err)
	}
	return q, nil
}

// ListQuizzes returns every quiz, whatever its status.
func (s *Store) ListQuizzes(ctx context.Context) ([]quiz.Quiz, error) {
	var items []quizItem
	if err := s.queryAll(ctx, quizzesPK, &items); err != nil {
		return nil, fmt.Errorf("list quizzes: %w", err)
	}
	out := make([]quiz.Quiz, 0, len(items))
	for _, it := range items {
		q, err := it.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// GetQuiz returns one quiz.
func (s *Store) GetQuiz(ctx context.Context, id string) (quiz.Quiz, error) {
	pk, sk := quizKey(id)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk)})
	if err != nil {
		return quiz.Quiz{}, fmt.Errorf("get quiz %s: %w", id, err)
	}
	if out.Item == nil {
		return quiz.Quiz{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy bài thi")
	}
	var it quizItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return quiz.Quiz{}, fmt.Errorf("decode quiz %s: %w", id, err)
	}
	return it.toDomain()
}

// ---- attempts

// attemptItem keeps attribute names short: an attempt is written once, at the submit,
// and an item over 1 KB costs two write units instead of one. No token hash is kept:
// the start token is sealed by the service and checked without the table.
type attemptItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Entity    string `dynamodbav:"e"`
	ID        string `dynamodbav:"id,omitempty"` // only in stored items of the long form; the id is read from pk
	QuizID    string `dynamodbav:"quizId"`
	QuizKind  string `dynamodbav:"kind,omitempty"`
	UnitID    string `dynamodbav:"unitId"`
	Name      string `dynamodbav:"name,omitempty"`
	Phone     string `dynamodbav:"phone,omitempty"`
	BirthYear int    `dynamodbav:"birthYear,omitempty"`
	Gender    string `dynamodbav:"gender,omitempty"`
	Org       string `dynamodbav:"org,omitempty"`
	Consent   bool   `dynamodbav:"consent,omitempty"`
	ClientID  string `dynamodbav:"clientId,omitempty"`
	// kind, seed, qids, startedAt, expiresAt, submittedAt and durationMs are attributes
	// only of attempts not submitted and of stored items of the long form; a submitted
	// attempt carries them in res (onceDoc).
	Seed        string `dynamodbav:"seed,omitempty"` // uint64 as decimal text: exact in any client
	QuestionIDs string `dynamodbav:"qids,omitempty"` // comma-joined
	StartedAt   string `dynamodbav:"startedAt,omitempty"`
	ExpiresAt   string `dynamodbav:"expiresAt,omitempty"`
	Status      string `dynamodbav:"status"`
	TTL         int64  `dynamodbav:"ttl,omitempty"`
	CCCD        string `dynamodbav:"cccd,omitempty"`
	RoundID     string `dynamodbav:"roundId,omitempty"`
	GradeVer    int    `dynamodbav:"gv,omitempty"`
	Identity    string `dynamodbav:"idk,omitempty"`
	Suspect     bool   `dynamodbav:"sus,omitempty"`
	SourceTag   string `dynamodbav:"src,omitempty"` // a shared source's tag (quiz.Attempt.SourceTag)
	Channel     string `dynamodbav:"ch,omitempty"`  // paper or assisted; web is left out

	SubmittedAt string `dynamodbav:"submittedAt,omitempty"`
	DurationMs  int64  `dynamodbav:"durationMs,omitempty"`
	Score       int    `dynamodbav:"score"`
	// Result holds the rest of a submission as one JSON document: a submit then sets
	// five attributes instead of ten, which the write path feels at peak.
	Result string `dynamodbav:"res,omitempty"`
	// Contest entries: the prediction, whether ranked, and the ByRound index keys.
	Prediction *int64 `dynamodbav:"pred,omitempty"`
	Ranked     bool   `dynamodbav:"ranked,omitempty"`
	RoundKey   string `dynamodbav:"rk,omitempty"`
	RoundSort  string `dynamodbav:"rs,omitempty"`
	// No ByQuiz keys: the quiz's ledgers list its attempts (quizindex.go), so the
	// submit's put writes no index entry.
}

// resultDoc is the JSON in attemptItem.Result, with short names: an attempt item that
// stays under 1 KB costs one write unit per write instead of two.
type resultDoc struct {
	Answers      []answerDoc       `json:"a"`
	AnswersHash  string            `json:"h"`
	MaxScore     int               `json:"m"`
	CorrectCount int               `json:"c"`
	PassPercent  int               `json:"p"`
	Topics       map[string][2]int `json:"t,omitempty"` // topic → [answered, correct]
	Correct      map[string]int    `json:"k,omitempty"` // scored question → 1 correct, 0 not
	onceDoc
}

// onceDoc is what a submit writes once and nothing updates or tests in a condition: in
// res rather than as attributes of their own, whose names count towards the 1 KB of a
// write unit (and which DynamoDB Local is slower to write). Same formats as the
// attributes.
type onceDoc struct {
	Kind        string `json:"kd,omitempty"`
	Seed        string `json:"sd,omitempty"`
	QuestionIDs string `json:"qs,omitempty"`
	StartedAt   string `json:"st,omitempty"`
	ExpiresAt   string `json:"ex,omitempty"`
	SubmittedAt string `json:"sa,omitempty"`
	DurationMs  int64  `json:"d,omitempty"`
}

// once is the attempt item's onceDoc fields as attributes.
func (it attemptItem) once() onceDoc {
	return onceDoc{Kind: it.QuizKind, Seed: it.Seed, QuestionIDs: it.QuestionIDs, StartedAt: it.StartedAt,
		ExpiresAt: it.ExpiresAt, SubmittedAt: it.SubmittedAt, DurationMs: it.DurationMs}
}

func onceOf(a quiz.Attempt) onceDoc {
	o := onceDoc{Kind: string(a.QuizKind), Seed: strconv.FormatUint(a.Seed, 10), QuestionIDs: strings.Join(a.QuestionIDs, ","),
		StartedAt: a.StartedAt.UTC().Format(timeLayout), ExpiresAt: a.ExpiresAt.UTC().Format(timeLayout), DurationMs: a.DurationMs}
	if a.Status == quiz.Submitted {
		o.SubmittedAt = a.SubmittedAt.UTC().Format(timeLayout)
	}
	return o
}

type answerDoc struct {
	QuestionID string   `json:"q"`
	OptionIDs  []string `json:"o,omitempty"`
	Value      int      `json:"v,omitempty"`
	Text       string   `json:"x,omitempty"`
}

func toResultDoc(a quiz.Attempt) resultDoc {
	r := resultDoc{AnswersHash: a.AnswersHash, MaxScore: a.MaxScore, CorrectCount: a.CorrectCount, PassPercent: a.PassPercent,
		Answers: make([]answerDoc, len(a.Answers)), onceDoc: onceOf(a)}
	for i, x := range a.Answers {
		r.Answers[i] = answerDoc{QuestionID: x.QuestionID, OptionIDs: x.OptionIDs, Value: x.Value, Text: x.Text}
	}
	if len(a.Correct) > 0 {
		r.Correct = make(map[string]int, len(a.Correct))
		for q, ok := range a.Correct {
			r.Correct[q] = 0
			if ok {
				r.Correct[q] = 1
			}
		}
	}
	if len(a.Topics) > 0 {
		r.Topics = make(map[string][2]int, len(a.Topics))
		for t, v := range a.Topics {
			r.Topics[t] = [2]int{v.Answered, v.Correct}
		}
	}
	return r
}

func (r resultDoc) into(a *quiz.Attempt) {
	a.AnswersHash, a.MaxScore, a.CorrectCount, a.PassPercent = r.AnswersHash, r.MaxScore, r.CorrectCount, r.PassPercent
	a.Answers = make([]quiz.Answer, len(r.Answers))
	for i, x := range r.Answers {
		a.Answers[i] = quiz.Answer{QuestionID: x.QuestionID, OptionIDs: x.OptionIDs, Value: x.Value, Text: x.Text}
	}
	a.Correct = make(map[string]bool, len(r.Correct))
	for q, v := range r.Correct {
		a.Correct[q] = v == 1
	}
	a.Topics = make(map[string]quiz.TopicTally, len(r.Topics))
	for t, v := range r.Topics {
		a.Topics[t] = quiz.TopicTally{Answered: v[0], Correct: v[1]}
	}
}

const timeLayout = time.RFC3339Nano

func toAttemptItem(a quiz.Attempt) (attemptItem, error) {
	pk, sk := attemptKey(a.ID)
	it := attemptItem{
		PK: pk, SK: sk, Entity: entityAttempt, QuizID: a.QuizID,
		UnitID: a.Participant.UnitID, BirthYear: a.Participant.BirthYear, Gender: a.Participant.Gender,
		Org: a.Participant.Organization, Consent: a.Consent, ClientID: a.ClientID,
		Status: string(a.Status), Score: a.Score,
	}
	if a.Consent { // personal data only with consent
		it.Name, it.Phone, it.CCCD = a.Participant.Name, a.Participant.Phone, a.Participant.CCCD
	}
	it.RoundID, it.Prediction, it.Ranked, it.GradeVer = a.RoundID, a.Prediction, a.Ranked, a.GradeVersion
	it.Identity, it.Suspect, it.Channel, it.SourceTag = a.IdentityKey(), a.Suspect, a.Channel, a.SourceTag
	if a.RoundID != "" && a.Status == quiz.Submitted {
		it.RoundKey = roundPK(a.QuizID, a.RoundID, roundShard(a.ID))
		it.RoundSort = roundSortOf(a, a.Ranked)
	}
	if a.Status == quiz.Submitted {
		b, err := json.Marshal(toResultDoc(a))
		if err != nil {
			return it, err
		}
		it.Result = string(b)
	} else {
		o := onceOf(a)
		it.QuizKind, it.Seed, it.QuestionIDs, it.StartedAt, it.ExpiresAt = o.Kind, o.Seed, o.QuestionIDs, o.StartedAt, o.ExpiresAt
		it.DurationMs = o.DurationMs
		it.TTL = a.ExpiresAt.Add(abandonedAttemptTTL).Unix()
	}
	return it, nil
}

// roundSortOf is an entry's sort key in its round's index, ranked or not. An entry
// without a prediction sorts as 0, the value the close ranks it with.
func roundSortOf(a quiz.Attempt, ranked bool) string {
	var prediction int64
	if a.Prediction != nil {
		prediction = *a.Prediction
	}
	return roundSK(ranked, int(math.Round(a.ScorePercent()*1000)), prediction, a.ID)
}

func (it attemptItem) toDomain() (quiz.Attempt, error) {
	if it.ID == "" {
		it.ID = strings.TrimPrefix(it.PK, prefixAttempt)
	}
	a := quiz.Attempt{
		ID: it.ID, QuizID: it.QuizID,
		Participant: quiz.Participant{Name: it.Name, Phone: it.Phone, UnitID: it.UnitID, BirthYear: it.BirthYear,
			Gender: it.Gender, Organization: it.Org, CCCD: it.CCCD},
		RoundID: it.RoundID, Prediction: it.Prediction, Ranked: it.Ranked, GradeVersion: it.GradeVer, Identity: it.Identity,
		Suspect: it.Suspect, SourceTag: it.SourceTag, Channel: it.Channel, Consent: it.Consent, ClientID: it.ClientID, Status: quiz.AttemptStatus(it.Status),
		Score: it.Score,
	}
	o := it.once()
	if a.Status == quiz.Submitted {
		var r resultDoc
		if err := json.Unmarshal([]byte(it.Result), &r); err != nil {
			return a, fmt.Errorf("attempt %s: result: %w", it.ID, err)
		}
		r.into(&a)
		if o.Seed == "" { // written since the write-once fields moved into res
			o = r.onceDoc
		}
	}
	a.QuizKind, a.DurationMs = quiz.Kind(o.Kind), o.DurationMs
	var err error
	if a.Seed, err = strconv.ParseUint(o.Seed, 10, 64); err != nil {
		return a, fmt.Errorf("attempt %s: seed: %w", it.ID, err)
	}
	if o.QuestionIDs != "" {
		a.QuestionIDs = strings.Split(o.QuestionIDs, ",")
	}
	if a.StartedAt, err = time.Parse(timeLayout, o.StartedAt); err != nil {
		return a, fmt.Errorf("attempt %s: startedAt: %w", it.ID, err)
	}
	if a.ExpiresAt, err = time.Parse(timeLayout, o.ExpiresAt); err != nil {
		return a, fmt.Errorf("attempt %s: expiresAt: %w", it.ID, err)
	}
	if a.Status == quiz.Submitted {
		if a.SubmittedAt, err = time.Parse(timeLayout, o.SubmittedAt); err != nil {
			return a, fmt.Errorf("attempt %s: submittedAt: %w", it.ID, err)
		}
	}
	return a, nil
}

// AttemptFromItem decodes a stored attempt (e.g. a stream record's new image); ok is
// false when the item is not an attempt.
func AttemptFromItem(item map[string]types.AttributeValue) (a quiz.Attempt, ok bool, err error) {
	if e, isS := item[attrEntity].(*types.AttributeValueMemberS); !isS || e.Value != entityAttempt {
		return quiz.Attempt{}, false, nil
	}
	var it attemptItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return quiz.Attempt{}, true, fmt.Errorf("decode attempt: %w", err)
	}
	a, err = it.toDomain()
	return a, true, err
}

// PutAttempt writes a submitted attempt in one PutItem, on attribute_not_exists: the
// attempt was held by the resident's page until now, so this is its only write (1 WRU
// while the item stays under 1 KB), and a resend or a concurrent submit finds it there
// (a conflict) instead of overwriting it.
func (s *Store) PutAttempt(ctx context.Context, a quiz.Attempt) error {
	it, err := toAttemptItem(a)
	if err != nil {
		return fmt.Errorf("encode attempt: %w", err)
	}
	in, err := s.putInput(it, ptr(expression.AttributeNotExists(expression.Name(attrPK))))
	if err != nil {
		return fmt.Errorf("put attempt: %w", err)
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.PutItem(ctx, in)
	if err != nil {
		return conflictOr(err, "put attempt")
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// GetAttempt reads an attempt with a strongly consistent read.
func (s *Store) GetAttempt(ctx context.Context, id string) (quiz.Attempt, error) {
	pk, sk := attemptKey(id)
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return quiz.Attempt{}, fmt.Errorf("get attempt: %w", err)
	}
	s.meterRead(out.ConsumedCapacity)
	if out.Item == nil {
		return quiz.Attempt{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy bài làm")
	}
	var it attemptItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return quiz.Attempt{}, fmt.Errorf("decode attempt: %w", err)
	}
	return it.toDomain()
}

// conflictOr turns a failed condition into a domain conflict and wraps anything else.
func conflictOr(err error, what string) error {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return apperr.Errorf(apperr.Conflict, "%s: changed concurrently", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}
