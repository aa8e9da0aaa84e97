package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/sample"
)

// sampleItem is a random sample: its settings, its frame's hash and sizes, and its draw.
type sampleItem struct {
	PK            string         `dynamodbav:"pk"`
	SK            string         `dynamodbav:"sk"`
	Entity        string         `dynamodbav:"e"`
	ID            string         `dynamodbav:"id"`
	QuizID        string         `dynamodbav:"quizId"`
	UnitID        string         `dynamodbav:"unitId"`
	PerVillage    int            `dynamodbav:"perVillage,omitempty"`
	MarginOfError float64        `dynamodbav:"moe,omitempty"`
	CreatedAt     string         `dynamodbav:"at"`
	CreatedBy     string         `dynamodbav:"by"`
	FrameSHA256   string         `dynamodbav:"frameSha,omitempty"`
	FrameSizes    map[string]int `dynamodbav:"sizes,omitempty"`
	Seed          string         `dynamodbav:"seed,omitempty"`
	DrawnAt       string         `dynamodbav:"drawnAt,omitempty"`
	DrawnBy       string         `dynamodbav:"drawnBy,omitempty"`
	DrawnTotal    int            `dynamodbav:"drawnTotal,omitempty"`
}

// sampleFrameItem is one chunk of a village's frame: its codes, comma-joined (codes
// have no commas), at most sampleFrameChunk of them so that an item stays far below
// DynamoDB's 400 KB.
type sampleFrameItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	UnitID string `dynamodbav:"unitId"`
	Codes  string `dynamodbav:"codes"`
}

// sampleFrameChunk: 5,000 codes of at most 32 bytes and a comma are 165 KB, under the
// 400 KB an item may hold, names and values together
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-items).
const sampleFrameChunk = 5000

// sampleCodeItem is a drawn code; an outcome or a response is added once drawn.
type sampleCodeItem struct {
	PK       string       `dynamodbav:"pk"`
	SK       string       `dynamodbav:"sk"`
	Entity   string       `dynamodbav:"e"`
	Code     string       `dynamodbav:"code"`
	UnitID   string       `dynamodbav:"unitId"`
	Order    int          `dynamodbav:"order"`
	Outcome  string       `dynamodbav:"outcome,omitempty"`
	Response *responseDoc `dynamodbav:"resp,omitempty"`
}

type responseDoc struct {
	Scored    bool    `dynamodbav:"scored"`
	Score     float64 `dynamodbav:"score"`
	Passed    bool    `dynamodbav:"passed"`
	EnteredAt string  `dynamodbav:"at"`
}

// Attribute names of a sample's conditions.
const (
	attrSampleDrawnAt = "drawnAt"
	attrSampleFrame   = "frameSha"
	attrSampleOutcome = "outcome"
	attrSampleResp    = "resp"
)

// sampleRefItem lists a sample under its quiz, for the sample list and the purge.
type sampleRefItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Entity    string `dynamodbav:"e"`
	ID        string `dynamodbav:"id"`
	UnitID    string `dynamodbav:"unitId"`
	CreatedAt string `dynamodbav:"at"`
}

// CreateSample stores a new sample and its entry in the quiz's list, together (a
// repeated id is a Conflict).
func (s *Store) CreateSample(ctx context.Context, sm sample.Sample) error {
	pk, sk := sampleKey(sm.ID)
	at := sm.CreatedAt.UTC().Format(timeLayout)
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	put, err := s.putOf(sampleItem{PK: pk, SK: sk, Entity: entitySample, ID: sm.ID, QuizID: sm.QuizID, UnitID: sm.UnitID,
		PerVillage: sm.PerVillage, MarginOfError: sm.MarginOfError, CreatedAt: at, CreatedBy: sm.CreatedBy}, &cond)
	if err != nil {
		return err
	}
	rpk, rsk := sampleRefKey(sm.QuizID, sm.ID)
	ref, err := s.putOf(sampleRefItem{PK: rpk, SK: rsk, Entity: entitySampleRef, ID: sm.ID, UnitID: sm.UnitID, CreatedAt: at}, nil)
	if err != nil {
		return err
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems:          []types.TransactWriteItem{{Put: put}, {Put: ref}},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		var tce *types.TransactionCanceledException
		if errors.As(err, &tce) {
			return apperr.Errorf(apperr.Conflict, "Mẫu %s đã có", sm.ID)
		}
		return fmt.Errorf("create sample: %w", err)
	}
	s.meter(out.ConsumedCapacity...)
	return nil
}

// ListSamples lists a quiz's samples (id, unit, creation time), oldest first.
func (s *Store) ListSamples(ctx context.Context, quizID string) ([]sample.Sample, error) {
	pk, _ := sampleRefKey(quizID, "")
	var its []sampleRefItem
	if err := s.queryAll(ctx, pk, &its); err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	out := make([]sample.Sample, len(its))
	for i, it := range its {
		out[i] = sample.Sample{ID: it.ID, QuizID: quizID, UnitID: it.UnitID}
		at, err := time.Parse(timeLayout, it.CreatedAt)
		if err != nil {
			return nil, fmt.Errorf("sample %s: createdAt: %w", it.ID, err)
		}
		out[i].CreatedAt = at
	}
	slices.SortStableFunc(out, func(a, b sample.Sample) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// GetSample reads a sample (NotFound when there is none).
func (s *Store) GetSample(ctx context.Context, id string) (sample.Sample, error) {
	pk, sk := sampleKey(id)
	var it sampleItem
	ok, err := s.getItem(ctx, pk, sk, &it)
	if err != nil {
		return sample.Sample{}, fmt.Errorf("get sample: %w", err)
	}
	if !ok {
		return sample.Sample{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy mẫu %s", id)
	}
	sm := sample.Sample{ID: it.ID, QuizID: it.QuizID, UnitID: it.UnitID, PerVillage: it.PerVillage, MarginOfError: it.MarginOfError,
		CreatedBy: it.CreatedBy, FrameSHA256: it.FrameSHA256, FrameSizes: it.FrameSizes, Seed: it.Seed, DrawnBy: it.DrawnBy,
		DrawnTotal: it.DrawnTotal}
	if sm.CreatedAt, err = time.Parse(timeLayout, it.CreatedAt); err != nil {
		return sm, fmt.Errorf("sample %s: createdAt: %w", id, err)
	}
	if it.DrawnAt != "" {
		at, err := time.Parse(timeLayout, it.DrawnAt)
		if err != nil {
			return sm, fmt.Errorf("sample %s: drawnAt: %w", id, err)
		}
		sm.DrawnAt = &at
	}
	return sm, nil
}

// PutSampleFrame stores a sample's frame under its hash and then points the sample at it,
// on the condition that the sample has not been drawn (a Conflict otherwise, and the new
// chunks are removed). The previous frame's chunks are removed after.
func (s *Store) PutSampleFrame(ctx context.Context, id, hash string, frame []sample.Unit) error {
	pk, sk := sampleKey(id)
	var reqs []types.WriteRequest
	for unitID, codes := range sample.ByVillage(frame) {
		for chunk := 0; len(codes) > 0; chunk++ {
			n := min(len(codes), sampleFrameChunk)
			item, err := attributevalue.MarshalMap(sampleFrameItem{PK: pk, SK: sampleFrameSK(hash, unitID, chunk),
				Entity: entitySampleFrame, UnitID: unitID, Codes: strings.Join(codes[:n], ",")})
			if err != nil {
				return fmt.Errorf("marshal frame: %w", err)
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
			codes = codes[n:]
		}
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return fmt.Errorf("put frame: %w", err)
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.AttributeNotExists(expression.Name(attrSampleDrawnAt)))
	upd := expression.Set(expression.Name(attrSampleFrame), expression.Value(hash)).
		Set(expression.Name("sizes"), expression.Value(sample.Sizes(frame)))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		err = conflictOr(err, "put frame")
		if apperr.CodeOf(err) == apperr.Conflict {
			// Drawn meanwhile: the drawn frame stays; this one goes, unless it is the same.
			if cur, gerr := s.GetSample(ctx, id); gerr == nil && cur.FrameSHA256 != hash {
				if derr := s.deleteSampleItems(ctx, id, sampleFramePrefixOf(hash)); derr != nil {
					return fmt.Errorf("put frame: %w; removing its chunks: %w", err, derr)
				}
			}
			return apperr.Errorf(apperr.Conflict, "Mẫu đã rút thăm: không đổi được khung mẫu")
		}
		return err
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return s.deleteSampleItems(ctx, id, sampleFramePrefix, sampleFramePrefixOf(hash))
}

// sampleItems reads the keys and items of a sample's partition whose sort key begins
// with prefix.
func (s *Store) sampleItems(ctx context.Context, id, prefix string) ([]map[string]types.AttributeValue, error) {
	cond := expression.Key(attrPK).Equal(expression.Value(samplePK(id)))
	if prefix != "" {
		cond = cond.And(expression.Key(attrSK).BeginsWith(prefix))
	}
	in, err := s.keyQuery("", cond)
	if err != nil {
		return nil, err
	}
	in.ConsistentRead = &[]bool{true}[0]
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	var all []map[string]types.AttributeValue
	p := dynamodb.NewQueryPaginator(s.db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		s.meterRead(page.ConsumedCapacity)
		all = append(all, page.Items...)
	}
	return all, nil
}

// deleteSampleItems removes the items of a sample whose sort key begins with prefix,
// except those that begin with keep (when not empty).
func (s *Store) deleteSampleItems(ctx context.Context, id, prefix string, keep ...string) error {
	items, err := s.sampleItems(ctx, id, prefix)
	if err != nil {
		return fmt.Errorf("sample items: %w", err)
	}
	var reqs []types.WriteRequest
	for _, item := range items {
		var k keyItem
		if err := attributevalue.UnmarshalMap(item, &k); err != nil {
			return fmt.Errorf("decode key: %w", err)
		}
		if slices.ContainsFunc(keep, func(p string) bool { return strings.HasPrefix(k.SK, p) }) {
			continue
		}
		reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key(k.PK, k.SK)}})
	}
	return s.batchWrite(ctx, reqs)
}

// SampleFrame reads the frame a sample points at (by its hash).
func (s *Store) SampleFrame(ctx context.Context, id, hash string) ([]sample.Unit, error) {
	items, err := s.sampleItems(ctx, id, sampleFramePrefixOf(hash))
	if err != nil {
		return nil, fmt.Errorf("sample frame: %w", err)
	}
	var chunks []sampleFrameItem
	if err := attributevalue.UnmarshalListOfMaps(items, &chunks); err != nil {
		return nil, fmt.Errorf("decode frame: %w", err)
	}
	var out []sample.Unit
	for _, c := range chunks {
		for code := range strings.SplitSeq(c.Codes, ",") {
			out = append(out, sample.Unit{UnitID: c.UnitID, Code: code})
		}
	}
	return out, nil
}

// ClaimSampleDraw records a draw's seed and time on the sample, on the condition that it
// has not been drawn and still points at the frame drawn from (a Conflict otherwise).
func (s *Store) ClaimSampleDraw(ctx context.Context, sm sample.Sample) error {
	if sm.DrawnAt == nil {
		return fmt.Errorf("claim draw: no draw time")
	}
	pk, sk := sampleKey(sm.ID)
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.AttributeNotExists(expression.Name(attrSampleDrawnAt))).
		And(expression.Name(attrSampleFrame).Equal(expression.Value(sm.FrameSHA256)))
	upd := expression.Set(expression.Name("seed"), expression.Value(sm.Seed)).
		Set(expression.Name(attrSampleDrawnAt), expression.Value(sm.DrawnAt.UTC().Format(timeLayout))).
		Set(expression.Name("drawnBy"), expression.Value(sm.DrawnBy)).
		Set(expression.Name("drawnTotal"), expression.Value(sm.DrawnTotal))
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		if apperr.CodeOf(conflictOr(err, "")) == apperr.Conflict {
			return apperr.Errorf(apperr.Conflict, "Mẫu đã được rút thăm (mỗi mẫu chỉ rút một lần) hoặc khung mẫu vừa đổi")
		}
		return fmt.Errorf("claim draw: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}

// PutSampleCodes writes drawn codes (without outcome or response). BatchWriteItem takes
// no condition and replaces an item whole
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html):
// callers write only codes not stored yet.
func (s *Store) PutSampleCodes(ctx context.Context, id string, codes []sample.Code) error {
	reqs := make([]types.WriteRequest, 0, len(codes))
	for _, c := range codes {
		pk, sk := sampleCodeKey(id, c.Code)
		item, err := attributevalue.MarshalMap(sampleCodeItem{PK: pk, SK: sk, Entity: entitySampleCode, Code: c.Code, UnitID: c.UnitID, Order: c.Order})
		if err != nil {
			return fmt.Errorf("marshal code: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return fmt.Errorf("put sample codes: %w", err)
	}
	return nil
}

// AddSampleCodes writes drawn codes that are not stored yet, each on the condition that
// it is absent, so that completing an interrupted draw never replaces a code written
// meanwhile with the outcome or response recorded on it since.
func (s *Store) AddSampleCodes(ctx context.Context, id string, codes []sample.Code) error {
	cond := expression.AttributeNotExists(expression.Name(attrPK))
	for _, c := range codes {
		pk, sk := sampleCodeKey(id, c.Code)
		in, err := s.putInput(sampleCodeItem{PK: pk, SK: sk, Entity: entitySampleCode, Code: c.Code, UnitID: c.UnitID, Order: c.Order}, &cond)
		if err != nil {
			return err
		}
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
		out, err := s.db.PutItem(ctx, in)
		if err != nil {
			if apperr.CodeOf(conflictOr(err, "")) == apperr.Conflict {
				continue // written meanwhile: it stays as it is
			}
			return fmt.Errorf("add sample code: %w", err)
		}
		s.meter(deref(out.ConsumedCapacity)...)
	}
	return nil
}

// SampleCodes reads a sample's drawn codes with their outcomes and responses, villages
// and codes in key order.
func (s *Store) SampleCodes(ctx context.Context, id string) ([]sample.Code, error) {
	items, err := s.sampleItems(ctx, id, sampleCodePrefix)
	if err != nil {
		return nil, fmt.Errorf("sample codes: %w", err)
	}
	var its []sampleCodeItem
	if err := attributevalue.UnmarshalListOfMaps(items, &its); err != nil {
		return nil, fmt.Errorf("decode sample codes: %w", err)
	}
	out := make([]sample.Code, len(its))
	for i, it := range its {
		out[i] = sample.Code{Code: it.Code, UnitID: it.UnitID, Order: it.Order, Outcome: sample.Outcome(it.Outcome)}
		if r := it.Response; r != nil {
			at, err := time.Parse(timeLayout, r.EnteredAt)
			if err != nil {
				return nil, fmt.Errorf("sample %s code %s: enteredAt: %w", id, it.Code, err)
			}
			out[i].Response = &sample.Response{Scored: r.Scored, Score: r.Score, Passed: r.Passed, EnteredAt: at}
		}
	}
	return out, nil
}

// SetSampleOutcome records (or replaces) a drawn code's outcome: NotFound when the code
// was not drawn, Conflict when it has a response.
func (s *Store) SetSampleOutcome(ctx context.Context, id, code string, o sample.Outcome) error {
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.AttributeNotExists(expression.Name(attrSampleResp)))
	return s.updateSampleCode(ctx, id, code, expression.Set(expression.Name(attrSampleOutcome), expression.Value(string(o))), cond,
		"Mã %s đã có phiếu trả lời: không ghi kết quả không trả lời được")
}

// SetSampleResponse records a drawn code's response, once: NotFound when the code was
// not drawn, Conflict when it has a response or an outcome.
func (s *Store) SetSampleResponse(ctx context.Context, id, code string, r sample.Response) error {
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.AttributeNotExists(expression.Name(attrSampleResp))).
		And(expression.AttributeNotExists(expression.Name(attrSampleOutcome)))
	doc := responseDoc{Scored: r.Scored, Score: r.Score, Passed: r.Passed, EnteredAt: r.EnteredAt.UTC().Format(timeLayout)}
	return s.updateSampleCode(ctx, id, code, expression.Set(expression.Name(attrSampleResp), expression.Value(doc)), cond,
		"Mã %s đã có phiếu trả lời hoặc đã ghi kết quả không trả lời")
}

func (s *Store) updateSampleCode(ctx context.Context, id, code string, upd expression.UpdateBuilder, cond expression.ConditionBuilder, conflict string) error {
	pk, sk := sampleCodeKey(id, code)
	in, err := s.updateInput(pk, sk, upd, &cond)
	if err != nil {
		return err
	}
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err == nil {
		s.meter(deref(out.ConsumedCapacity)...)
		return nil
	}
	if apperr.CodeOf(conflictOr(err, "")) != apperr.Conflict {
		return fmt.Errorf("update sample code: %w", err)
	}
	var it sampleCodeItem
	ok, gerr := s.getItem(ctx, pk, sk, &it)
	switch {
	case gerr != nil:
		return fmt.Errorf("update sample code: %w", gerr)
	case !ok:
		return apperr.Errorf(apperr.NotFound, "Mã %s không có trong các mã đã rút của mẫu", code)
	}
	return apperr.Errorf(apperr.Conflict, conflict, code)
}

// DeleteSample removes a sample, every item of its partition (frame, codes, outcomes,
// responses) and its entry in the quiz's list.
func (s *Store) DeleteSample(ctx context.Context, quizID, id string) error {
	if err := s.deleteSampleItems(ctx, id, ""); err != nil {
		return err
	}
	pk, sk := sampleRefKey(quizID, id)
	out, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(pk, sk),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("delete sample ref: %w", err)
	}
	s.meter(deref(out.ConsumedCapacity)...)
	return nil
}
