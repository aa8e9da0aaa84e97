package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

// PutAttempts writes attempt items as a submit would leave them (PutLedgers lists them),
// in batches of 25: a bulk load for benchmarks and imports, not a resident path.
func (s *Store) PutAttempts(ctx context.Context, attempts []quiz.Attempt) error {
	reqs := make([]types.WriteRequest, 0, len(attempts))
	for _, a := range attempts {
		it, err := toAttemptItem(a)
		if err != nil {
			return fmt.Errorf("encode attempt: %w", err)
		}
		item, err := attributevalue.MarshalMap(it)
		if err != nil {
			return fmt.Errorf("marshal attempt: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	return s.batchWrite(ctx, reqs)
}

// SubmitWrites lists the partitions (table and index) one submitted attempt writes,
// from its start to the aggregator's last update, built with the key functions the
// write paths use: a surge's hottest partition is the most frequent key over many
// submits. Index partitions are prefixed with their index's name.
func SubmitWrites(a quiz.Attempt) []string {
	pk := func(pk, _ string) string { return pk }
	e := aggregate.EventOf(a)
	out := []string{
		pk(attemptKey(a.ID)),                // the submit's one put (the start writes no attempt)
		pk(ledgerKey(a.QuizID, e.Identity)), // the aggregator's ledger write (the quiz's attempt list too)
		pk(counterKey(a.QuizID, a.Participant.UnitID, e.Key.Month)),
	}
	it, _ := toAttemptItem(a)
	if a.RoundID != "" {
		out = append(out,
			pk(entryKey(a.QuizID, a.RoundID, e.Identity)),
			pk(roundAppliedKey(a.ID)),
			pk(roundFirstKey(a.QuizID, a.RoundID, e.Identity)),
			pk(roundStatKey(a.QuizID, a.RoundID, roundShard(a.ID))),
			IndexByRound+":"+it.RoundKey)
		out = append(out, FlagWrites(a)...)
	}
	return out
}
