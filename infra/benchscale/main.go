// Command benchscale measures how the contest operations that read a whole round grow
// with its size: it loads two closed rounds, of N/10 and N entries, through the store
// (BatchWriteItem, several workers), then at both sizes measures the read units, items
// and requests of a round close, the time and peak heap of a full entries export (CSV
// streamed page by page), the flags query, and a regrade job's throughput; last, the
// writes per second on the hottest partition during a 3,000 submits/s surge, from the
// real key functions. Entries are perfect with probability (3/4)^5, about a quarter, so the
// top score group is a share of N; predictions scatter around N, the true number of
// entries (log-normal, σ 0.5). The aggregator does not run here: the close reads the round
// statistics it would keep from the loaded entries' own counts (benchStore). Run it with `make bench-scale` (N=20000 for a smaller run); the
// Makefile starts an in-memory DynamoDB Local and sets DYNAMODB_ENDPOINT.
//
// It is a measurement, not a test: a missed target is printed as MISS and the exit
// status stays 0; it exits non-zero only when the run itself broke.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/samtemplate"
	"github.com/nq58/tracker/internal/tables"
	"github.com/nq58/tracker/internal/units"
)

// Targets: the close reads the same (±20 %) at N/10 and N, no partition may take more
// than 1,000 writes/s (DynamoDB's per-partition limit) in the surge.
const (
	surgePerSecond  = 3000
	partitionLimit  = 1000
	closeTolerance  = 0.2
	questionsPerRun = 5
)

var admin = auth.Staff{Username: "bench", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}

func main() {
	n := flag.Int("n", 200000, "entries of the large round (the small one has n/10)")
	workers := flag.Int("workers", 8, "concurrent batch writers while loading")
	jsonPath := flag.String("json", "", "also write the figures as JSON to this file")
	flag.Parse()
	if err := run(*n, *workers, *jsonPath); err != nil {
		fmt.Fprintln(os.Stderr, "bench-scale:", err)
		os.Exit(1)
	}
}

// meter sums, around the real client, the read units (every read asks for them),
// the items read and the requests made.
type meter struct {
	milliRCU atomic.Int64
	items    atomic.Int64
	requests atomic.Int64
}

func (m *meter) reset() { m.milliRCU.Store(0); m.items.Store(0); m.requests.Store(0) }

func (m *meter) snapshot() (rcu float64, items, requests int64) {
	return float64(m.milliRCU.Load()) / 1000, m.items.Load(), m.requests.Load()
}

func (m *meter) client(endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(dynamolocal.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("meter",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					switch p := in.Parameters.(type) {
					case *dynamodb.QueryInput:
						p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
					case *dynamodb.GetItemInput:
						p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
					case *dynamodb.BatchGetItemInput:
						p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
					case *dynamodb.ScanInput:
						p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
					}
					out, md, err := next.HandleInitialize(ctx, in)
					m.requests.Add(1)
					if err != nil {
						return out, md, err
					}
					add := func(c *types.ConsumedCapacity, items int) {
						if c != nil && c.CapacityUnits != nil {
							m.milliRCU.Add(int64(*c.CapacityUnits * 1000))
						}
						m.items.Add(int64(items))
					}
					switch r := out.Result.(type) {
					case *dynamodb.QueryOutput:
						add(r.ConsumedCapacity, len(r.Items))
					case *dynamodb.ScanOutput:
						add(r.ConsumedCapacity, len(r.Items))
					case *dynamodb.GetItemOutput:
						n := 0
						if r.Item != nil {
							n = 1
						}
						add(r.ConsumedCapacity, n)
					case *dynamodb.BatchGetItemOutput:
						for i := range r.ConsumedCapacity {
							add(&r.ConsumedCapacity[i], 0)
						}
						for _, items := range r.Responses {
							add(nil, len(items))
						}
					}
					return out, md, err
				}), middleware.After)
		})
	})
}

// clock is the services' clock, moved by the run.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// figures of one round size.
type sizeFigures struct {
	Entries          int     `json:"entries"`
	LoadSeconds      float64 `json:"loadSeconds"`
	LoadPerSecond    float64 `json:"loadItemsPerSecond"`
	CloseReadUnits   float64 `json:"closeReadUnits"`
	CloseItems       int64   `json:"closeItemsRead"`
	CloseRequests    int64   `json:"closeRequests"`
	ExportSeconds    float64 `json:"exportSeconds"`
	ExportRows       int     `json:"exportRows"`
	ExportPeakHeapMB float64 `json:"exportPeakHeapInuseMB"`
	ExportBaseHeapMB float64 `json:"exportBaselineHeapInuseMB"` // after a GC, before the export
	FlagsReadUnits   float64 `json:"flagsReadUnits"`
	FlagsItems       int64   `json:"flagsItemsRead"`
	Flags            int     `json:"flags"`
	FlagsEntries     int     `json:"flaggedEntries"`
	FlagsBurst       int     `json:"identicalBurstFlags"`
	FlagsWriteUnits  float64 `json:"flagsEvidenceWriteUnitsPerEntry"` // evidence, count and flag writes while loading
	RegradeSeconds   float64 `json:"regradeSeconds"`
	Regraded         int     `json:"regraded"`
	RegradePerSecond float64 `json:"regradeAttemptsPerSecond"`
}

type surgeFigures struct {
	Submits         int            `json:"submitsInOneSecond"`
	MaxPerPartition int            `json:"maxWritesPerSecondOnOnePartition"`
	HottestKind     string         `json:"hottestPartitionKind"`
	ByKind          map[string]int `json:"maxWritesPerSecondByKind"`
}

func run(n, workers int, jsonPath string) error {
	if n < 10 {
		return errors.New("need -n ≥ 10")
	}
	endpoint := os.Getenv(dynamolocal.EndpointEnv)
	if endpoint == "" {
		return fmt.Errorf("%s is not set (run through make bench-scale)", dynamolocal.EndpointEnv)
	}
	ctx := context.Background()
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		return err
	}
	spec, err := tpl.Table()
	if err != nil {
		return err
	}
	raw := dynamolocal.Client(endpoint)
	table := "benchscale-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := tables.EnsureTable(ctx, raw, table, spec); err != nil {
		return err
	}
	defer func() { _ = tables.DeleteTable(context.Background(), raw, table) }()

	var m meter
	store := dynamo.New(m.client(endpoint), table)
	flagStore := dynamo.New(m.client(endpoint), table) // the aggregator's: its own write units
	units, err := loadUnits(ctx, store)
	if err != nil {
		return err
	}
	var villages []string
	for _, u := range units {
		if u.Kind == "village" {
			villages = append(villages, u.ID)
		}
	}
	fmt.Printf("bench-scale: N=%d (and N/10=%d), %d villages, %d load workers, %d CPUs\n", n, n/10, len(villages), workers, runtime.NumCPU())

	var c clock
	roundEnd := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	c.set(roundEnd.Add(time.Hour))
	var out struct {
		Small sizeFigures  `json:"small"`
		Large sizeFigures  `json:"large"`
		Surge surgeFigures `json:"surge"`
	}
	var questions []quiz.Question // the surge answers them too (flag evidence by answers)
	for _, sz := range []struct {
		id  string
		n   int
		fig *sizeFigures
	}{{"scale-small", n / 10, &out.Small}, {"scale-large", n, &out.Large}} {
		q, err := putContest(ctx, store, sz.id, roundEnd)
		if err != nil {
			return err
		}
		questions = q.Questions
		if err := measure(ctx, store, flagStore, &m, &c, q, villages, sz.n, workers, sz.fig); err != nil {
			return fmt.Errorf("%s: %w", sz.id, err)
		}
	}
	out.Surge = surge(villages, questions)

	s, l := out.Small, out.Large
	fmt.Println()
	line := func(name string, a, b float64, unit string) {
		ratio := 0.0
		if a > 0 {
			ratio = b / a
		}
		fmt.Printf("%-26s N/10 %10.2f  N %10.2f  ratio %5.2f %s\n", name, a, b, ratio, unit)
	}
	line("load items/s", s.LoadPerSecond, l.LoadPerSecond, "")
	line("close read units", s.CloseReadUnits, l.CloseReadUnits, verdict(same(s.CloseReadUnits, l.CloseReadUnits)))
	line("close items read", float64(s.CloseItems), float64(l.CloseItems), verdict(same(float64(s.CloseItems), float64(l.CloseItems))))
	line("close requests", float64(s.CloseRequests), float64(l.CloseRequests), "")
	line("export seconds", s.ExportSeconds, l.ExportSeconds, "")
	line("export peak heap MB", s.ExportPeakHeapMB, l.ExportPeakHeapMB, "(HeapInuse, sampled every 5 ms)")
	line("export heap before MB", s.ExportBaseHeapMB, l.ExportBaseHeapMB, "(HeapInuse after a GC)")
	line("flags read units", s.FlagsReadUnits, l.FlagsReadUnits, "(every entry, read from the flags)")
	line("flags items read", float64(s.FlagsItems), float64(l.FlagsItems), "")
	line("flags", float64(s.Flags), float64(l.Flags), fmt.Sprintf("(on %d and %d entries: %.2f %% and %.2f %% of the round)", s.FlagsEntries, l.FlagsEntries,
		100*float64(s.FlagsEntries)/float64(max(s.Entries, 1)), 100*float64(l.FlagsEntries)/float64(max(l.Entries, 1))))
	line("flags identicalBurst", float64(s.FlagsBurst), float64(l.FlagsBurst), "(independent entries: chance only)")
	perFlag := func(f sizeFigures) float64 {
		if f.Flags == 0 {
			return 0
		}
		return f.FlagsReadUnits / float64(f.Flags)
	}
	line("flags read units per flag", perFlag(s), perFlag(l), verdict(perFlag(l) <= 1.2*perFlag(s)))
	line("flags write units/entry", s.FlagsWriteUnits, l.FlagsWriteUnits, "(evidence, answer counts + flags, in the aggregator)")
	line("regrade attempts/s", s.RegradePerSecond, l.RegradePerSecond, "")
	fmt.Printf("%-26s %d submits in 1 s → max %d writes/s on one partition (%s) %s (RFEV, RFCNT, RFWIN: per submit, an upper bound; the aggregator writes each once per batch)\n", "surge partition writes",
		out.Surge.Submits, out.Surge.MaxPerPartition, out.Surge.HottestKind, verdict(out.Surge.MaxPerPartition <= partitionLimit))
	kinds := make([]string, 0, len(out.Surge.ByKind))
	for k := range out.Surge.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("    %-22s max %5d writes/s\n", k, out.Surge.ByKind[k])
	}
	if jsonPath != "" {
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(jsonPath), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(jsonPath, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Println("figures written to", jsonPath)
	}
	return nil
}

// same reports whether b is within closeTolerance of a.
func same(a, b float64) bool {
	return a > 0 && b >= (1-closeTolerance)*a && b <= (1+closeTolerance)*a
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISS"
}

func loadUnits(ctx context.Context, store *dynamo.Store) ([]units.Unit, error) {
	b, err := os.ReadFile("internal/demo/units.csv")
	if err != nil {
		return nil, fmt.Errorf("run from the repository root: %w", err)
	}
	units, err := units.ParseCSV(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return units, store.PutUnits(ctx, units)
}

// putContest stores a province-wide contest with one round that ended at end.
func putContest(ctx context.Context, store *dynamo.Store, id string, end time.Time) (quiz.Quiz, error) {
	var qs []quiz.Question
	for i := range questionsPerRun {
		qid := fmt.Sprintf("c%02d", i+1)
		qs = append(qs, quiz.Question{ID: qid, Kind: quiz.Single, Text: "Câu hỏi " + qid, Topic: "a", Points: 1,
			Options: []quiz.Option{{ID: "a", Text: "Một"}, {ID: "b", Text: "Hai"}, {ID: "c", Text: "Ba"}}, CorrectOptionIDs: []string{"a"}})
	}
	cfg := &contest.Config{Rounds: []contest.Round{{ID: "r1", OpensAt: end.Add(-7 * 24 * time.Hour), ClosesAt: end}}, AttemptsPerRound: 2,
		Prizes: []contest.Prize{{Tier: "Nhất", Count: 1, Amount: 2000000}, {Tier: "Nhì", Count: 2, Amount: 1000000},
			{Tier: "Ba", Count: 3, Amount: 500000}, {Tier: "Khuyến khích", Count: 10, Amount: 200000}},
		Collective: contest.Collective{Count: 2}}
	cfg.Prediction.Text, cfg.Prediction.Truth = "Có bao nhiêu bài dự thi trong vòng này?", contest.TruthEntries
	q := quiz.Quiz{ID: id, Kind: quiz.KindContest, Title: "Hội thi tìm hiểu Nghị quyết 58", Status: quiz.Published,
		ScopeUnitID: "th", TimeLimitSec: 600, Questions: qs, Contest: cfg}
	return q, store.PutQuiz(ctx, q)
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// entry is one graded, ranked contest entry of round r1, whose prediction is a guess
// around expected entries.
func entry(q quiz.Quiz, i int, villages []string, end time.Time, expected int, rng *mrand.Rand) quiz.Attempt {
	sub := end.Add(-time.Duration(rng.IntN(7*24*3600)) * time.Second)
	dur := time.Duration(30+rng.IntN(500)) * time.Second
	pred := int64(math.Round(float64(expected) * math.Exp(0.5*rng.NormFloat64())))
	a := quiz.Attempt{ID: randomID(), QuizID: q.ID, QuizKind: q.Kind, RoundID: "r1", Ranked: true, Prediction: &pred,
		Participant: quiz.Participant{UnitID: villages[i%len(villages)], Name: "Người dự thi " + strconv.Itoa(i), Phone: "+849" + fmt.Sprintf("%08d", i)},
		Consent:     true, Identity: "p" + strconv.Itoa(i), ClientID: "d" + strconv.Itoa(i), Seed: rng.Uint64(),
		StartedAt: sub.Add(-dur), ExpiresAt: sub.Add(time.Minute), Status: quiz.Submitted, SubmittedAt: sub, DurationMs: dur.Milliseconds()}
	var hash strings.Builder
	for _, qu := range q.Questions {
		opt := "a"
		if rng.IntN(4) == 0 {
			opt = "b"
		}
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
		a.Answers = append(a.Answers, quiz.Answer{QuestionID: qu.ID, OptionIDs: []string{opt}})
		hash.WriteString(opt)
	}
	a.AnswersHash = hash.String()
	g := quiz.Grade(q.Questions, a.Answers)
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	return a
}

// load writes n entries, their ledgers and their flags' evidence, and returns the round
// statistics the aggregator would keep of them.
func load(ctx context.Context, store, flagStore *dynamo.Store, q quiz.Quiz, villages []string, n, workers int, end time.Time) (contest.RoundStats, error) {
	const chunk = 500
	jobs := make(chan int)
	var wg sync.WaitGroup
	var first atomic.Value
	var mu sync.Mutex
	stats := contest.RoundStats{PersonsByUnit: map[string]int64{}}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(w), uint64(n)))
			for from := range jobs {
				list := make([]quiz.Attempt, 0, chunk)
				for i := from; i < min(from+chunk, n); i++ {
					list = append(list, entry(q, i, villages, end, n, rng))
				}
				mu.Lock()
				for _, a := range list { // one entry per person
					stats.Entries++
					stats.Persons++
					stats.PersonsByUnit[a.Participant.UnitID]++
					if a.Score == a.MaxScore {
						stats.Perfect++
					}
				}
				mu.Unlock()
				if err := store.PutAttempts(ctx, list); err != nil {
					first.CompareAndSwap(nil, err)
				}
				// Their ledgers, as the aggregator would leave them: a regrade job
				// finds a quiz's attempts through them (one identity per entry).
				if err := store.PutLedgers(ctx, list); err != nil {
					first.CompareAndSwap(nil, err)
				}
				// The flags' evidence through the aggregator's own code path, a chunk
				// as one stream batch (the bench writes no stream records it reads).
				if err := flagStore.ApplyFlags(ctx, list); err != nil {
					first.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	for from := 0; from < n; from += chunk {
		jobs <- from
	}
	close(jobs)
	wg.Wait()
	if err, ok := first.Load().(error); ok {
		return stats, err
	}
	return stats, nil
}

// benchStore is the store with the round statistics the aggregator would have kept of
// the loaded entries: the close still makes its real (metered) statistics read, then
// takes these when the table has none.
type benchStore struct {
	*dynamo.Store
	stats contest.RoundStats
}

func (b benchStore) RoundStats(ctx context.Context, quizID, roundID string) (contest.RoundStats, error) {
	st, err := b.Store.RoundStats(ctx, quizID, roundID)
	if err != nil || st.Entries > 0 {
		return st, err
	}
	return b.stats, nil
}

func measure(ctx context.Context, store, flagStore *dynamo.Store, m *meter, c *clock, q quiz.Quiz, villages []string, n, workers int, fig *sizeFigures) error {
	fig.Entries = n
	t0 := time.Now()
	w0 := flagStore.WriteUnits()
	stats, err := load(ctx, store, flagStore, q, villages, n, workers, q.Contest.Rounds[0].ClosesAt)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fig.FlagsWriteUnits = (flagStore.WriteUnits() - w0) / float64(n)
	fig.LoadSeconds = time.Since(t0).Seconds()
	fig.LoadPerSecond = float64(n) / fig.LoadSeconds
	fmt.Printf("%s: loaded %d entries in %.1f s\n", q.ID, n, fig.LoadSeconds)

	rsvc := rounds.NewService(benchStore{Store: store, stats: stats}, c.now)
	m.reset()
	closed, err := rsvc.CloseRound(ctx, admin, q.ID, "r1")
	if err != nil {
		return fmt.Errorf("close: %w", err)
	}
	fig.CloseReadUnits, fig.CloseItems, fig.CloseRequests = m.snapshot()

	// A full export of the entries: page by page into a CSV writer.
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	fig.ExportBaseHeapMB = float64(base.HeapInuse) / (1 << 20)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	t0 = time.Now()
	w := csv.NewWriter(io.Discard)
	cursor := ""
	for {
		page, err := rsvc.Entries(ctx, admin, q.ID, "r1", cursor)
		if err != nil {
			close(stop)
			return fmt.Errorf("export: %w", err)
		}
		for _, r := range rounds.EntryRows(page.Entries) {
			_ = w.Write([]string{r.AttemptID, r.UnitID, r.Name, strconv.Itoa(r.Score), strconv.FormatInt(r.DurationMs, 10), r.SubmittedAt.Format(time.RFC3339)})
			fig.ExportRows++
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	w.Flush()
	fig.ExportSeconds = time.Since(t0).Seconds()
	close(stop)
	<-sampled
	fig.ExportPeakHeapMB = float64(peak.Load()) / (1 << 20)

	m.reset()
	flags, err := rsvc.Flags(ctx, admin, q.ID, "r1")
	if err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	fig.Flags = len(flags)
	entries := map[string]bool{}
	for _, f := range flags {
		entries[f.AttemptID] = true
		if f.Kind == contest.FlagIdenticalBurst {
			fig.FlagsBurst++
		}
	}
	fig.FlagsEntries = len(entries)
	fig.FlagsReadUnits, fig.FlagsItems, _ = m.snapshot()

	// A correction regrades every entry (each was asked every question).
	asvc := authoring.NewService(store, c.now)
	res, err := asvc.Correct(ctx, admin, q.ID, q.Questions[0].ID, authoring.CorrectionInput{CorrectOptionIDs: []string{"b"}})
	if err != nil {
		return fmt.Errorf("correct: %w", err)
	}
	t0 = time.Now()
	if _, err := asvc.RunRegradeJob(ctx, q.ID, res.Job.ID); err != nil {
		return fmt.Errorf("regrade: %w", err)
	}
	fig.RegradeSeconds = time.Since(t0).Seconds()
	job, err := asvc.RegradeJob(ctx, admin, q.ID, res.Job.ID)
	if err != nil {
		return err
	}
	fig.Regraded = job.Changed
	fig.RegradePerSecond = float64(job.Changed) / fig.RegradeSeconds
	fmt.Printf("%s: %d perfect entries, truth %d; close %.1f RCU, export %d rows in %.1f s, %d flags, %d regraded in %.1f s\n",
		q.ID, stats.Perfect, closed.Truth, fig.CloseReadUnits, fig.ExportRows, fig.ExportSeconds, fig.Flags, fig.Regraded, fig.RegradeSeconds)
	return nil
}

// surge counts, with the store's key functions, the writes each partition takes when
// 3,000 entries are submitted in one second across the villages.
func surge(villages []string, questions []quiz.Question) surgeFigures {
	rng := mrand.New(mrand.NewPCG(58, 2026))
	q := quiz.Quiz{ID: "surge", Kind: quiz.KindContest, Questions: questions}
	end := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	per := map[string]int{}
	for i := range surgePerSecond {
		a := entry(q, i, villages, end, surgePerSecond, rng)
		a.QuizID, a.SubmittedAt = q.ID, end
		for _, k := range dynamo.SubmitWrites(a) {
			per[k]++
		}
	}
	f := surgeFigures{Submits: surgePerSecond, ByKind: map[string]int{}}
	for k, v := range per {
		kind := partitionKind(k)
		f.ByKind[kind] = max(f.ByKind[kind], v)
		if v > f.MaxPerPartition {
			f.MaxPerPartition, f.HottestKind = v, kind
		}
	}
	return f
}

// partitionKind is a key's prefix: ATTEMPT, CTR, ByRound:ROUND, …
func partitionKind(k string) string {
	if i := strings.IndexByte(k, '#'); i >= 0 {
		return k[:i]
	}
	return k
}
