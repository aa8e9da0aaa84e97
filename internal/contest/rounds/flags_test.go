package rounds_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/units"

	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

var organiser = auth.Staff{Username: "org", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}

// flagContest is a published contest of five questions (key "a", options a, b, c) with
// one open round that allows three attempts per person.
func flagContest(id string, now time.Time) quiz.Quiz {
	var qs []quiz.Question
	for i := range 5 {
		qid := fmt.Sprintf("c%d", i+1)
		qs = append(qs, quiz.Question{ID: qid, Kind: quiz.Single, Text: "Câu " + qid, Topic: "a", Points: 1,
			Options: []quiz.Option{{ID: "a", Text: "Một"}, {ID: "b", Text: "Hai"}, {ID: "c", Text: "Ba"}}, CorrectOptionIDs: []string{"a"}})
	}
	cfg := &contest.Config{Rounds: []contest.Round{{ID: "r1", OpensAt: now.Add(-24 * time.Hour), ClosesAt: now.Add(24 * time.Hour)}},
		AttemptsPerRound: 3, FastSecondsPerQuestion: 3}
	cfg.Prediction.Text, cfg.Prediction.Truth = "Có bao nhiêu bài dự thi?", contest.TruthEntries
	return quiz.Quiz{ID: id, Kind: quiz.KindContest, Title: "Hội thi", Status: quiz.Published, ScopeUnitID: "th", TimeLimitSec: 600,
		Questions: qs, Contest: cfg}
}

// flagEntry is a graded entry of round r1: answers is one option per question ("aabba"),
// on device dev of person p, submitted at sub after dur.
func flagEntry(q quiz.Quiz, id, p, dev, answers string, sub time.Time, dur time.Duration) quiz.Attempt {
	a := quiz.Attempt{ID: id, QuizID: q.ID, QuizKind: q.Kind, RoundID: "r1", Ranked: true,
		Participant: quiz.Participant{UnitID: "th-x-t1", Name: "Nguyễn Văn " + p}, Identity: p, ClientID: dev,
		StartedAt: sub.Add(-dur), ExpiresAt: sub.Add(time.Minute), Status: quiz.Submitted, SubmittedAt: sub, DurationMs: dur.Milliseconds()}
	for i, qu := range q.Questions {
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
		a.Answers = append(a.Answers, quiz.Answer{QuestionID: qu.ID, OptionIDs: []string{answers[i : i+1]}})
	}
	a.AnswersHash = quiz.HashAnswers(a.Answers)
	g := quiz.Grade(q.Questions, a.Answers)
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	return a
}

// flagRound is a stack at now with one village and the flag contest quizID stored.
func flagRound(t *testing.T, now time.Time, quizID string) (*localgw.Stack, quiz.Quiz) {
	t.Helper()
	ctx := context.Background()
	stack := testenv.Stack(t, func() time.Time { return now })
	if err := stack.Store.PutUnits(ctx, []units.Unit{{ID: "th", Name: "Tỉnh", Kind: "province"},
		{ID: "th-x", Name: "Xã", Kind: "commune", ParentID: "th"}, {ID: "th-x-t1", Name: "Thôn 1", Kind: "village", ParentID: "th-x"}}); err != nil {
		t.Fatal(err)
	}
	q := flagContest(quizID, now)
	if err := stack.Store.PutQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	return stack, q
}

// TestFlagsCoverEntriesDeepInTheRanking stores a round whose suspicious entries all
// score below sixty perfect honest ones, lets the stream aggregator see them, and reads
// the flags; then it delivers the same batch to the aggregator again.
func TestFlagsCoverEntriesDeepInTheRanking(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	stack, q := flagRound(t, now, "hoi-thi-co")
	sub := now.Add(-2 * time.Hour)
	var batch []quiz.Attempt
	for i := range 60 { // honest, perfect, an hour apart from the rest
		batch = append(batch, flagEntry(q, fmt.Sprintf("honest-%02d", i), fmt.Sprintf("h%02d", i), fmt.Sprintf("hd%02d", i), "aaaaa",
			sub.Add(-time.Hour+time.Duration(i)*time.Second), 4*time.Minute))
	}
	suspicious := []quiz.Attempt{
		flagEntry(q, "fast", "f", "fd", "abbbb", sub, 10*time.Second),
		// Identical wrong answers within eight minutes, each on its own device, with
		// answers ("c") no other entrant gives.
		flagEntry(q, "copy-1", "c1", "cd1", "aaccc", sub, 3*time.Minute),
		flagEntry(q, "copy-2", "c2", "cd2", "aaccc", sub.Add(5*time.Minute), 3*time.Minute),
		flagEntry(q, "copy-3", "c3", "cd3", "aaccc", sub.Add(8*time.Minute), 3*time.Minute),
		// Three persons on one device, different answers, hours apart.
		flagEntry(q, "dev-1", "d1", "shared", "abbba", sub.Add(-5*time.Hour), 3*time.Minute),
		flagEntry(q, "dev-2", "d2", "shared", "ababb", sub.Add(-4*time.Hour), 3*time.Minute),
		flagEntry(q, "dev-3", "d3", "shared", "abbab", sub.Add(-3*time.Hour), 3*time.Minute),
		// One person, three attempts, on three devices, hours apart.
		flagEntry(q, "many-1", "m", "md1", "baabb", sub.Add(-10*time.Hour), 3*time.Minute),
		flagEntry(q, "many-2", "m", "md2", "babab", sub.Add(-9*time.Hour), 3*time.Minute),
		flagEntry(q, "many-3", "m", "md3", "babba", sub.Add(-8*time.Hour), 3*time.Minute),
		// Identical perfect answers within a minute: expected in a contest.
	}
	late := flagEntry(q, "late-fast", "l", "ld", "abbbb", sub, 5*time.Second)
	late.Ranked = false
	batch = append(append(batch, suspicious...), late)
	if err := stack.Store.PutAttempts(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}

	top, err := stack.Store.TopEntries(ctx, q.ID, "r1", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range top {
		if a.Score < 5 {
			t.Fatalf("the top of the ranking holds %s (score %d), want only the perfect entries", a.ID, a.Score)
		}
	}
	want := []string{
		"copy-1 identicalBurst", "copy-2 identicalBurst", "copy-3 identicalBurst",
		"dev-1 sharedDevice", "dev-2 sharedDevice", "dev-3 sharedDevice",
		"fast fast",
		"many-1 manyAttempts", "many-2 manyAttempts", "many-3 manyAttempts",
	}
	got, details := roundFlags(t, stack.Store, now, q.ID)
	t.Run("every suspicious entry is flagged, though none is in the top, and nothing else", func(t *testing.T) {
		if !slices.Equal(got, want) {
			t.Errorf("flags:\n got  %v\n want %v", got, want)
		}
		for k, d := range map[string]string{
			"copy-3 identicalBurst": "3 bài sai giống hệt nhau trong 10 phút",
			"dev-1 sharedDevice":    "3 người dự thi từ một thiết bị",
			"many-2 manyAttempts":   "3 lượt của cùng một người",
			"fast fast":             "10 giây cho 5 câu",
		} {
			if details[k] != d {
				t.Errorf("detail of %s = %q, want %q", k, details[k], d)
			}
		}
	})
	t.Run("the same batch delivered again duplicates no flag and no count", func(t *testing.T) {
		if err := stack.Store.ApplyFlags(ctx, batch); err != nil {
			t.Fatal(err)
		}
		again, againDetails := roundFlags(t, stack.Store, now, q.ID)
		if !slices.Equal(again, got) {
			t.Errorf("flags after a redelivery:\n got  %v\n want %v", again, got)
		}
		for k, d := range details {
			if againDetails[k] != d {
				t.Errorf("detail of %s after a redelivery = %q, want %q", k, againDetails[k], d)
			}
		}
	})
	t.Run("the whole stream delivered again through the aggregator, each batch twice, changes nothing", func(t *testing.T) {
		src := stack.Sources[0]
		real := stack.StreamFunctions[src.Function]
		var delivered atomic.Int64 // shards may be polled side by side
		twice := func(ctx context.Context, ev events.DynamoDBTimeWindowEvent) (events.DynamoDBTimeWindowEventResponse, error) {
			delivered.Add(int64(len(ev.Records)))
			if resp, err := real(ctx, ev); err != nil || len(resp.BatchItemFailures) > 0 {
				return resp, err
			}
			return real(ctx, ev)
		}
		replay := localgw.NewPoller(dynamolocal.StreamsClient(testenv.Endpoint(t)), stack.StreamARN, src, twice, nil)
		if err := replay.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := delivered.Load(); n < int64(len(batch)) {
			t.Fatalf("the replay delivered %d records, want at least the %d entries", n, len(batch))
		}
		again, againDetails := roundFlags(t, stack.Store, now, q.ID)
		if !slices.Equal(again, got) || !maps.Equal(againDetails, details) {
			t.Errorf("flags after the replay:\n got  %v\n want %v", againDetails, details)
		}
	})
	t.Run("a fourth identical wrong entry within the span adds its own flag and counts four", func(t *testing.T) {
		fourth := flagEntry(q, "copy-4", "c4", "cd4", "aaccc", sub.Add(9*time.Minute), 3*time.Minute)
		if err := stack.Store.PutAttempts(ctx, []quiz.Attempt{fourth}); err != nil {
			t.Fatal(err)
		}
		if err := stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		_, d := roundFlags(t, stack.Store, now, q.ID)
		if got, want := d["copy-4 identicalBurst"], "4 bài sai giống hệt nhau trong 10 phút"; got != want {
			t.Errorf("detail of copy-4 = %q, want %q", got, want)
		}
	})
	t.Run("a person's group keeps only a count at the cap and still flags later attempts", func(t *testing.T) {
		var many []quiz.Attempt
		for i := range contest.EvidenceCap + 1 {
			many = append(many, flagEntry(q, fmt.Sprintf("bulk-%02d", i), "bulk", fmt.Sprintf("bd%02d", i), "aaaaa",
				sub.Add(-20*time.Hour+time.Duration(i)*time.Minute), 3*time.Minute))
		}
		if err := stack.Store.ApplyFlags(ctx, many); err != nil {
			t.Fatal(err)
		}
		later := flagEntry(q, "bulk-late", "bulk", "bd-late", "aaaaa", sub.Add(-time.Hour), 3*time.Minute)
		for range 2 { // and delivered again
			if err := stack.Store.ApplyFlags(ctx, []quiz.Attempt{later}); err != nil {
				t.Fatal(err)
			}
		}
		if err := stack.Store.PutAttempts(ctx, append(many, later)); err != nil {
			t.Fatal(err)
		}
		if err := stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		got, d := roundFlags(t, stack.Store, now, q.ID)
		for _, a := range append(many, later) {
			if !slices.Contains(got, a.ID+" manyAttempts") {
				t.Errorf("%s is not flagged manyAttempts", a.ID)
			}
		}
		if got, want := d["bulk-late manyAttempts"], fmt.Sprintf("ít nhất %d lượt của cùng một người", contest.EvidenceCap+1); got != want {
			t.Errorf("detail of bulk-late = %q, want %q", got, want)
		}
	})
	t.Run("a disqualified entry leaves the flags", func(t *testing.T) {
		if _, err := rounds.NewService(stack.Store, func() time.Time { return now }).Disqualify(ctx, organiser, q.ID, "fast", "Làm bài quá nhanh"); err != nil {
			t.Fatal(err)
		}
		if err := stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ := roundFlags(t, stack.Store, now, q.ID)
		if slices.Contains(got, "fast fast") {
			t.Errorf("flags = %v, want the disqualified entry left out", got)
		}
	})
}

// TestIdenticalAnswersFlagOnlyARingAmongIndependentEntries stores a round of 400 entries
// answered independently, as the scale bench's (each question right with p 3/4, else
// "b"), over four hours: their popular wrong sequences recur by chance within minutes.
// Among them, a ring of four identical sheets with answers nobody else gives, within five
// minutes. The aggregator sees them all through the stream.
func TestIdenticalAnswersFlagOnlyARingAmongIndependentEntries(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	stack, q := flagRound(t, now, "hoi-thi-doc-lap")
	rng := rand.New(rand.NewPCG(58, 12))
	from := now.Add(-6 * time.Hour)
	var independent []quiz.Attempt
	for i := range 400 {
		answers := []byte("aaaaa")
		for j := range answers {
			if rng.IntN(4) == 0 {
				answers[j] = 'b'
			}
		}
		sub := from.Add(time.Duration(rng.IntN(4*3600)) * time.Second)
		independent = append(independent, flagEntry(q, fmt.Sprintf("ind-%03d", i), fmt.Sprintf("i%03d", i), fmt.Sprintf("id%03d", i),
			string(answers), sub, 4*time.Minute))
	}
	var ring []quiz.Attempt
	var want []string
	for i := range 4 {
		id := fmt.Sprintf("ring-%d", i)
		ring = append(ring, flagEntry(q, id, "r"+id, "d"+id, "acccb", from.Add(2*time.Hour+time.Duration(i)*90*time.Second), 3*time.Minute))
		want = append(want, id+" "+contest.FlagIdenticalBurst)
	}
	t.Run("the independent entries hold chance bursts that three-within-ten-minutes would flag", func(t *testing.T) {
		n := burstsOfThree(independent)
		if n < 20 {
			t.Fatalf("%d of the independent entries are in a burst of three identical wrong sequences, want at least 20 for the test to mean something", n)
		}
		t.Logf("%d of the 400 independent entries are in a chance burst of three", n)
	})
	all := slices.Clone(independent)
	for i, a := range ring { // spread through the stream
		at := (i + 1) * len(all) / (len(ring) + 1)
		all = slices.Insert(all, at, a)
	}
	if err := stack.Store.PutAttempts(ctx, all); err != nil {
		t.Fatal(err)
	}
	if err := stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	got, details := roundFlags(t, stack.Store, now, q.ID)
	t.Run("only the ring is flagged", func(t *testing.T) {
		if !slices.Equal(got, want) {
			t.Errorf("flags:\n got  %v\n want %v", got, want)
		}
	})
	t.Run("each of the ring says four identical wrong sheets", func(t *testing.T) {
		for _, a := range ring {
			if d, want := details[a.ID+" "+contest.FlagIdenticalBurst], "4 bài sai giống hệt nhau trong 10 phút"; d != want {
				t.Errorf("detail of %s = %q, want %q", a.ID, d, want)
			}
		}
	})
}

// roundFlags reads round r1's flags as the organiser sees them: "<attempt> <kind>",
// sorted, and each one's detail by the same key.
func roundFlags(t *testing.T, store *dynamo.Store, now time.Time, quizID string) ([]string, map[string]string) {
	t.Helper()
	flags, err := rounds.NewService(store, func() time.Time { return now }).Flags(context.Background(), organiser, quizID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	details := map[string]string{}
	for _, f := range flags {
		got = append(got, f.AttemptID+" "+f.Kind)
		details[f.AttemptID+" "+f.Kind] = f.Detail
	}
	slices.Sort(got)
	return got, details
}

// burstsOfThree counts the entries that the rule without rarity flagged: wrong, with two
// others of the same answers within a span shorter than contest.BurstSpan.
func burstsOfThree(entries []quiz.Attempt) int {
	n := 0
	for _, a := range entries {
		if a.Score == a.MaxScore {
			continue
		}
		for _, from := range entries {
			lo := from.SubmittedAt
			if from.AnswersHash != a.AnswersHash || a.SubmittedAt.Before(lo) || a.SubmittedAt.Sub(lo) >= contest.BurstSpan {
				continue
			}
			in := 0
			for _, b := range entries {
				if b.AnswersHash == a.AnswersHash && !b.SubmittedAt.Before(lo) && b.SubmittedAt.Sub(lo) < contest.BurstSpan {
					in++
				}
			}
			if in >= contest.FlagThreshold {
				n++
				break
			}
		}
	}
	return n
}
