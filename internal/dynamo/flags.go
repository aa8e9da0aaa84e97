package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// Integrity flags over every entry of a round, kept by the aggregator: per batch, first
// the answer counts the identical-answers rule weighs bursts by (flagcounts.go), then
// one UpdateItem per evidence group (RFEV#…, keys.go) adds the batch's members to a
// String Set and returns the group as it now is; package contest decides the flags,
// written as sparse items (RFLAG#…, 16 shards), so reading a round's flags costs in
// proportion to its flags. String Set members make a redelivered batch add nothing; a
// flag's key is its entry and kind, so writing it again changes nothing either.

// flagWriters is how many evidence updates a batch has in flight.
const flagWriters = 16

// Attribute names of an evidence group.
const (
	attrMembers = "m" // String Set, while the group is open
	attrClosed  = "c" // the count kept once the group reached contest.EvidenceCap
	attrDetail  = "d"
)

// flagItem is a flag as stored; the key holds the entry and the kind.
type flagItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Entity string `dynamodbav:"e"`
	Detail string `dynamodbav:"d"`
}

// flagEntryOf is what the flag rules see of an attempt.
func flagEntryOf(a quiz.Attempt) contest.FlagEntry {
	e := contest.FlagEntry{AttemptID: a.ID, Person: a.IdentityKey(), Device: a.ClientID, AnswersHash: a.AnswersHash,
		AllCorrect: a.MaxScore > 0 && a.Score == a.MaxScore, SubmittedAt: a.SubmittedAt, DurationMs: a.DurationMs,
		Questions: len(a.QuestionIDs)}
	for _, an := range a.Answers {
		if k, ok := contest.AnswerKey(an.QuestionID, an.OptionIDs, an.Value, an.Text); ok {
			e.Answers = append(e.Answers, k)
		}
	}
	return e
}

// evidenceGroup is what a batch adds to one group.
type evidenceGroup struct {
	pk, kind string
	quizID   string
	roundID  string
	added    []string
	window   int64    // identical answers: the window's first slot
	answers  []string // and the sequence's answer keys
}

// ApplyFlags adds a batch of submitted attempts (contest entries; others are skipped) to
// their rounds' flag evidence and counts and writes the flags the rules decide. Every
// write but the counts' ADD is idempotent, and the rule tolerates counts added twice
// (flagcounts.go), so a batch that fails anywhere can be delivered again whole.
func (s *Store) ApplyFlags(ctx context.Context, attempts []quiz.Attempt) error {
	cfgs := map[string]contest.Config{}
	groups := map[string]*evidenceGroup{}
	roundCount := map[string]*batchCounts{} // by quiz and round
	var rounds []*batchCounts
	var order []string
	var flags []flagItem
	for _, a := range attempts {
		if a.RoundID == "" || a.Status != quiz.Submitted {
			continue
		}
		cfg, ok := cfgs[a.QuizID]
		if !ok {
			q, err := s.GetQuiz(ctx, a.QuizID)
			if err != nil && apperr.CodeOf(err) != apperr.NotFound {
				return fmt.Errorf("flags: %w", err)
			}
			if err == nil && q.Contest != nil {
				cfg = q.Contest.Normalized()
			} else {
				cfg = contest.Config{}.Normalized() // a quiz gone since: the defaults
			}
			cfgs[a.QuizID] = cfg
		}
		e := flagEntryOf(a)
		rk := a.QuizID + "#" + a.RoundID
		if roundCount[rk] == nil {
			roundCount[rk] = newBatchCounts(a.QuizID, a.RoundID, a.ID)
			rounds = append(rounds, roundCount[rk])
		}
		roundCount[rk].add(e)
		if f, ok := contest.FastFlag(cfg, e); ok {
			flags = append(flags, flagItemOf(a.QuizID, a.RoundID, f))
		}
		for _, ev := range contest.EvidenceOf(cfg, e) {
			pk := flagEvidencePK(a.QuizID, a.RoundID, ev.Kind, ev.Group)
			g, ok := groups[pk]
			if !ok {
				g = &evidenceGroup{pk: pk, kind: ev.Kind, quizID: a.QuizID, roundID: a.RoundID, window: ev.Window, answers: ev.Answers}
				groups[pk] = g
				order = append(order, pk)
			}
			if !slices.Contains(g.added, ev.Member) {
				g.added = append(g.added, ev.Member)
			}
		}
	}
	// The counts first: a group's members are then always counted when it is judged.
	if err := s.writeCounts(ctx, rounds); err != nil {
		return err
	}
	// The groups are independent items: update them a few at a time, so a batch of a
	// thousand entries (three or four groups each) does not take one round trip each in turn.
	states := make([]contest.GroupState, len(order))
	if err := inParallel(len(order), flagWriters, func(i int) (err error) {
		states[i], err = s.addEvidence(ctx, groups[order[i]])
		return err
	}); err != nil {
		return err
	}
	if err := s.expectBursts(ctx, groups, order, states); err != nil {
		return err
	}
	verdicts := make([]contest.Verdict, len(order))
	for i, pk := range order {
		verdicts[i] = contest.Judge(groups[pk].kind, states[i], groups[pk].added)
	}
	var closing []*evidenceGroup
	var counts []int
	for i, pk := range order {
		g := groups[pk]
		for _, f := range verdicts[i].Flags {
			flags = append(flags, flagItemOf(g.quizID, g.roundID, f))
		}
		if verdicts[i].Close > 0 {
			closing, counts = append(closing, g), append(counts, verdicts[i].Close)
		}
	}
	if err := s.putFlags(ctx, flags); err != nil {
		return err
	}
	// Only after the flags: a group closed too early would forget members not yet flagged.
	for i, g := range closing {
		if err := s.closeEvidence(ctx, g.pk, counts[i]); err != nil {
			return err
		}
	}
	return nil
}

// expectBursts sets Expected on the identical-answer groups that can flag, from their
// rounds' counts as stored now: one read of each round's counts and of the days of
// those groups' windows, none when no group can flag.
func (s *Store) expectBursts(ctx context.Context, groups map[string]*evidenceGroup, order []string, states []contest.GroupState) error {
	days := map[string]map[int64]bool{} // by quiz and round
	for i, pk := range order {
		g := groups[pk]
		if !states[i].NeedsExpected(g.kind) {
			continue
		}
		rk := g.quizID + "#" + g.roundID
		if days[rk] == nil {
			days[rk] = map[int64]bool{}
		}
		for _, slot := range contest.WindowSlots(g.window) {
			day, _ := daySlot(slot)
			days[rk][day] = true
		}
	}
	read := map[string]roundCounts{}
	for i, pk := range order {
		g := groups[pk]
		if !states[i].NeedsExpected(g.kind) {
			continue
		}
		rk := g.quizID + "#" + g.roundID
		rc, ok := read[rk]
		if !ok {
			var err error
			if rc, err = s.readCounts(ctx, g.quizID, g.roundID, days[rk]); err != nil {
				return err
			}
			read[rk] = rc
		}
		size := max(len(states[i].Members), states[i].Closed)
		states[i].Expected = contest.Expected(rc.window(g.window), size, rc.answers, g.answers)
	}
	return nil
}

func flagItemOf(quizID, roundID string, f contest.EntryFlag) flagItem {
	pk, sk := flagKey(quizID, roundID, f.AttemptID, f.Kind)
	return flagItem{PK: pk, SK: sk, Entity: entityFlag, Detail: f.Detail}
}

// addEvidence adds a batch's members to an open group below the cap and returns it as it
// now is; a closed or full group is returned as it was (the members not added).
func (s *Store) addEvidence(ctx context.Context, g *evidenceGroup) (contest.GroupState, error) {
	in := &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(g.pk, evidenceSK),
		UpdateExpression:         aws.String("SET #e = :e ADD #m :m"),
		ConditionExpression:      aws.String("attribute_not_exists(#c) AND (attribute_not_exists(#m) OR size(#m) < :cap)"),
		ExpressionAttributeNames: map[string]string{"#e": attrEntity, "#m": attrMembers, "#c": attrClosed},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e":   &types.AttributeValueMemberS{Value: entityFlagEvidence},
			":m":   &types.AttributeValueMemberSS{Value: g.added},
			":cap": &types.AttributeValueMemberN{Value: strconv.Itoa(contest.EvidenceCap)},
		},
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		ReturnConsumedCapacity:              types.ReturnConsumedCapacityTotal,
	}
	res, err := s.db.UpdateItem(ctx, in)
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		s.meterRejected(1)
		return groupStateOf(ccf.Item)
	}
	if err != nil {
		return contest.GroupState{}, fmt.Errorf("add flag evidence: %w", err)
	}
	s.meter(deref(res.ConsumedCapacity)...)
	return groupStateOf(res.Attributes)
}

func groupStateOf(item map[string]types.AttributeValue) (contest.GroupState, error) {
	var st contest.GroupState
	if ss, ok := item[attrMembers].(*types.AttributeValueMemberSS); ok {
		st.Members = ss.Value
	}
	if av, ok := item[attrClosed]; ok {
		if err := attributevalue.Unmarshal(av, &st.Closed); err != nil {
			return st, fmt.Errorf("decode flag evidence: %w", err)
		}
	}
	return st, nil
}

// closeEvidence keeps only a group's count once it reached the cap; the first count
// written stays (concurrent closers agree within a batch).
func (s *Store) closeEvidence(ctx context.Context, pk string, count int) error {
	res, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(pk, evidenceSK),
		UpdateExpression:          aws.String("SET #c = if_not_exists(#c, :n) REMOVE #m"),
		ExpressionAttributeNames:  map[string]string{"#c": attrClosed, "#m": attrMembers},
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": &types.AttributeValueMemberN{Value: strconv.Itoa(count)}},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal})
	if err != nil {
		return fmt.Errorf("close flag evidence: %w", err)
	}
	s.meter(deref(res.ConsumedCapacity)...)
	return nil
}

func (s *Store) putFlags(ctx context.Context, flags []flagItem) error {
	seen := map[string]bool{}
	reqs := make([]types.WriteRequest, 0, len(flags))
	for _, f := range flags {
		if seen[f.PK+"\x00"+f.SK] { // a batch write refuses one key twice
			continue
		}
		seen[f.PK+"\x00"+f.SK] = true
		item, err := attributevalue.MarshalMap(f)
		if err != nil {
			return fmt.Errorf("marshal flag: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	if err := s.batchWrite(ctx, reqs); err != nil {
		return fmt.Errorf("write flags: %w", err)
	}
	return nil
}

// RoundFlags reads every flag of a round: one query per shard, paged.
func (s *Store) RoundFlags(ctx context.Context, quizID, roundID string) ([]contest.EntryFlag, error) {
	var out []contest.EntryFlag
	for shard := range RoundShards {
		pk := flagPK(quizID, roundID, shard)
		var items []flagItem
		if err := s.queryAll(ctx, pk, &items); err != nil {
			return nil, fmt.Errorf("read flags: %w", err)
		}
		for _, it := range items {
			i := strings.LastIndexByte(it.SK, '#')
			id, kind := it.SK[:max(i, 0)], it.SK[i+1:]
			out = append(out, contest.EntryFlag{AttemptID: id, Kind: kind, Detail: it.Detail})
		}
	}
	return out, nil
}

// GetAttempts reads attempts by id (batches of 100); ids not found are left out.
func (s *Store) GetAttempts(ctx context.Context, ids []string) ([]quiz.Attempt, error) {
	refs := make([]attemptRef, len(ids))
	for i, id := range ids {
		refs[i].ID = id
	}
	return s.getAttempts(ctx, refs)
}

// FlagWrites lists the partitions an entry's flag evidence and counts write (with
// SubmitWrites): per submit, an upper bound, since the aggregator writes a group and a
// count item once per batch (the counts in the shard of the batch's first entry: here,
// a batch of one), and with every group (a contest that allows FlagThreshold attempts
// per round).
func FlagWrites(a quiz.Attempt) []string {
	cpk, _ := flagCountKey(a.QuizID, a.RoundID, roundShard(a.ID))
	day, _ := daySlot(contest.BurstSlot(a.SubmittedAt))
	spk, _ := flagSlotsKey(a.QuizID, a.RoundID, day, roundShard(a.ID))
	out := []string{cpk, spk}
	cfg := contest.Config{AttemptsPerRound: contest.FlagThreshold}.Normalized()
	for _, ev := range contest.EvidenceOf(cfg, flagEntryOf(a)) {
		out = append(out, flagEvidencePK(a.QuizID, a.RoundID, ev.Kind, ev.Group))
	}
	return out
}

// inParallel runs do(0) … do(n−1) with at most limit running at once and joins their
// errors: the flag writes touch independent items.
func inParallel(n, limit int, do func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = do(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
