package aggregate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/nq58/tracker/internal/quiz"
)

// floor keeps in plain maps what the store keeps in items for Count: participants'
// ledgers, and counters with a checkpoint per lane. It adds a record's deltas to a
// counter only past the counter's checkpoint, as the store's condition does, and can
// lose a record's counter write after its ledger write (a failure between the two).
type floor struct {
	ledgers  map[[2]string]*Ledger
	counters map[Key]*Counter
	ck       map[Key]map[string]int
}

func newFloor() *floor {
	return &floor{ledgers: map[[2]string]*Ledger{}, counters: map[Key]*Counter{}, ck: map[Key]map[string]int{}}
}

// deliver counts r; with lose, its counter writes fail after the ledger write.
func (f *floor) deliver(t *testing.T, r Record, lose bool) {
	t.Helper()
	id := [2]string{r.Event.Key.QuizID, r.Event.Identity}
	l := f.ledgers[id]
	if l == nil {
		l = &Ledger{Entries: map[EntryKey]Entry{}}
		f.ledgers[id] = l
	}
	out := Count(*l, r)
	if out.Skip {
		return
	}
	if out.Write {
		l.Entries[EntryKey{r.Event.AttemptID, r.Event.GradeVersion}] = out.Entry
		if out.NewHolder != nil {
			l.Holder, l.Claimed = *out.NewHolder, true
		}
	}
	if lose {
		return
	}
	seq, _ := strconv.Atoi(r.Seq)
	for _, d := range out.Deltas {
		if f.ck[d.Key] == nil {
			f.ck[d.Key] = map[string]int{}
		}
		if at, ok := f.ck[d.Key][r.Lane]; ok && at >= seq {
			continue // the counter has this record
		}
		f.ck[d.Key][r.Lane] = seq
		if f.counters[d.Key] == nil {
			f.counters[d.Key] = &Counter{Key: d.Key}
		}
		f.counters[d.Key].Add(d)
	}
}

func TestCountCountsLikeARebuildWhateverTheShardsAndRetries(t *testing.T) {
	for seed := range uint64(60) {
		t.Run(fmt.Sprintf("the attempts of seed %d over three shards in 20 deliveries", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 2))
			attempts := randomAttempts(r)
			// Each attempt's records (its grade versions, in order) go to one shard, as
			// the records of one item do.
			shards := make([][]Record, 3)
			var final []quiz.Attempt
			for _, versions := range attempts {
				s := r.IntN(len(shards))
				for _, v := range versions {
					lane := fmt.Sprintf("shard-%d", s)
					shards[s] = append(shards[s], Record{Lane: lane, Seq: strconv.Itoa(len(shards[s]) + 1), Event: EventOf(v)})
				}
				final = append(final, versions[len(versions)-1])
			}
			want := normalized(Rebuild(final))
			for order := range 20 {
				f := newFloor()
				next := make([]int, len(shards)) // each shard's next record
				for {
					var open []int
					for s := range shards {
						if next[s] < len(shards[s]) {
							open = append(open, s)
						}
					}
					if len(open) == 0 {
						break
					}
					s := open[r.IntN(len(open))]
					rec := shards[s][next[s]]
					switch r.IntN(6) {
					case 0: // lost after its ledger write: retried from this record
						f.deliver(t, rec, true)
					case 1: // applied, then the batch retried from an earlier record
						f.deliver(t, rec, false)
						next[s] = r.IntN(next[s] + 1)
					default:
						f.deliver(t, rec, false)
						next[s]++
					}
				}
				var got []Counter
				for _, c := range f.counters {
					got = append(got, *c)
				}
				if got := normalized(got); !reflect.DeepEqual(got, want) {
					t.Fatalf("order %d: counters\n got %+v\nwant %+v", order, got, want)
				}
			}
		})
	}
}
