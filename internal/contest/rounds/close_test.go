package rounds_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

var admin = auth.Staff{Username: "btc", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}

// closeFixture is a contest of two ended rounds on a real table.
type closeFixture struct {
	store *dynamo.Store
	q     quiz.Quiz
	end   time.Time
}

func newCloseFixture(t *testing.T) closeFixture {
	t.Helper()
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	units := []units.Unit{{ID: "th", Name: "Tỉnh", Kind: "province"}, {ID: "xa", ParentID: "th", Name: "Xã", Kind: "commune"},
		{ID: "v1", ParentID: "xa", Name: "Thôn Một", Kind: "village", Population: 500},
		{ID: "v2", ParentID: "xa", Name: "Thôn Hai", Kind: "village", Population: 700}}
	if err := store.PutUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	var qs []quiz.Question
	for i := range 5 {
		id := fmt.Sprintf("c%d", i+1)
		qs = append(qs, quiz.Question{ID: id, Kind: quiz.Single, Text: "Câu " + id, Topic: "a", Points: 1,
			Options: []quiz.Option{{ID: "a", Text: "Một"}, {ID: "b", Text: "Hai"}}, CorrectOptionIDs: []string{"a"}})
	}
	cfg := &contest.Config{AttemptsPerRound: 3, TopN: 5,
		Rounds: []contest.Round{{ID: "r1", OpensAt: end.Add(-14 * 24 * time.Hour), ClosesAt: end.Add(-7 * 24 * time.Hour)},
			{ID: "r2", OpensAt: end.Add(-7 * 24 * time.Hour), ClosesAt: end}},
		Prizes: []contest.Prize{{Tier: "Nhất", Count: 1, Amount: 2000000}, {Tier: "Nhì", Count: 2, Amount: 1000000},
			{Tier: "Ba", Count: 3, Amount: 500000}}}
	cfg.Prediction.Text, cfg.Prediction.Truth = "Có bao nhiêu bài dự thi?", contest.TruthEntries
	q := quiz.Quiz{ID: "hoithi", Kind: quiz.KindContest, Title: "Hội thi", Status: quiz.Published, ScopeUnitID: "th",
		TimeLimitSec: 600, Questions: qs, Contest: cfg}
	if err := store.PutQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	return closeFixture{store: store, q: q, end: end}
}

// enter stores graded entries and counts them in their round, as the aggregator does.
func (f closeFixture) enter(t *testing.T, entries []quiz.Attempt) {
	t.Helper()
	ctx := context.Background()
	if err := f.store.PutAttempts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	for _, a := range entries {
		if err := f.store.ApplyRound(ctx, aggregate.EventOf(a)); err != nil {
			t.Fatal(err)
		}
	}
}

// entry is person's graded entry in round with `wrong` wrong answers.
func (f closeFixture) entry(i int, round, person string, wrong int, prediction int64, rng *mrand.Rand) quiz.Attempt {
	closes := f.end
	if round == "r1" {
		closes = f.end.Add(-7 * 24 * time.Hour)
	}
	sub := closes.Add(-time.Duration(1+rng.IntN(5*24*3600)) * time.Second)
	dur := time.Duration(60+10*rng.IntN(3)) * time.Second // few values: whole ties happen
	a := quiz.Attempt{ID: fmt.Sprintf("%s-%04d-%s", round, i, person), QuizID: f.q.ID, QuizKind: quiz.KindContest, RoundID: round,
		Ranked: true, Prediction: &prediction, Identity: person, Consent: true, Seed: 1,
		Participant: quiz.Participant{Name: "Người " + person, Phone: "+84900000000", UnitID: []string{"v1", "v2"}[i%2]},
		StartedAt:   sub.Add(-dur), ExpiresAt: sub.Add(time.Minute), Status: quiz.Submitted, SubmittedAt: sub, DurationMs: dur.Milliseconds()}
	for j, qu := range f.q.Questions {
		opt := "a"
		if j < wrong {
			opt = "b"
		}
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
		a.Answers = append(a.Answers, quiz.Answer{QuestionID: qu.ID, OptionIDs: []string{opt}})
	}
	a.AnswersHash = quiz.HashAnswers(a.Answers)
	g := quiz.Grade(f.q.Questions, a.Answers)
	a.Score, a.MaxScore, a.CorrectCount, a.Topics = g.Score, g.MaxScore, g.CorrectCount, g.Topics
	return a
}

// expected is the results' ranking lines computed from every entry of the round: Rank,
// then the prizes with one prize per person across rounds, then the top and the winners.
func expected(cfg contest.Config, entries []quiz.Attempt, alreadyWon map[string]bool) []contest.Ranked {
	var list []contest.Entry
	persons := map[string]bool{}
	for _, a := range entries {
		persons[a.IdentityKey()] = true
		list = append(list, contest.Entry{AttemptID: a.ID, Person: a.IdentityKey(), UnitID: a.Participant.UnitID, Score: a.Score,
			MaxScore: a.MaxScore, Prediction: *a.Prediction, DurationMs: a.DurationMs, SubmittedAt: a.SubmittedAt})
	}
	ranked := contest.Rank(list, int64(len(entries)), cfg.Ranking)
	ranked = contest.AwardPrizes(ranked, cfg.Prizes, cfg.PrizeCapPercent, len(persons), alreadyWon, cfg.MinPrizeScore)
	var out []contest.Ranked
	for i, r := range ranked {
		if i < cfg.TopN || r.Tier != "" {
			out = append(out, r)
		}
	}
	return out
}

type line struct {
	AttemptID, Person, Tier string
	Rank                    int
}

func linesOf(r []contest.Ranked) []line {
	out := make([]line, 0, len(r))
	for _, x := range r {
		out = append(out, line{x.AttemptID, x.Person, x.Tier, x.Rank})
	}
	return out
}

func TestAClosedRoundHasTheWinnersOfEveryEntryRankedWithManyTies(t *testing.T) {
	ctx := context.Background()
	f := newCloseFixture(t)
	cfg := f.q.Contest.Normalized()
	rng := mrand.New(mrand.NewPCG(12, 58))

	// Round 1: most entries perfect, persons with up to three attempts, predictions
	// scattered around the truth (its number of entries).
	const n1, n2 = 150, 160
	var r1 []quiz.Attempt
	for i := range n1 {
		r1 = append(r1, f.entry(i, "r1", fmt.Sprintf("p%02d", rng.IntN(90)), rng.IntN(4)/3, n1-40+rng.Int64N(81), rng))
	}
	f.enter(t, r1)
	svc := rounds.NewService(f.store, func() time.Time { return f.end.Add(time.Hour) })
	if _, err := svc.CloseRound(ctx, admin, f.q.ID, "r1"); err != nil {
		t.Fatal(err)
	}
	res1, err := f.store.GetResults(ctx, f.q.ID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("round 1's lines are those of every entry ranked", func(t *testing.T) {
		var got []contest.Ranked
		for _, l := range res1.Lines {
			got = append(got, l.Ranked)
		}
		if g, w := linesOf(got), linesOf(expected(cfg, r1, nil)); fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("round 1 lines\n got %v\nwant %v", g, w)
		}
	})

	// Round 2: round 1's winners enter again and predict the truth exactly, so they
	// would win again but for one prize per person.
	won := map[string]bool{}
	var r2 []quiz.Attempt
	for _, l := range res1.Lines {
		if l.Tier != "" {
			won[l.Person] = true
			r2 = append(r2, f.entry(len(r2), "r2", l.Person, 0, n2, rng))
		}
	}
	for len(r2) < n2 {
		r2 = append(r2, f.entry(len(r2), "r2", fmt.Sprintf("p%02d", rng.IntN(120)), rng.IntN(4)/3, n2-50+rng.Int64N(101), rng))
	}
	f.enter(t, r2)
	if _, err := svc.CloseRound(ctx, admin, f.q.ID, "r2"); err != nil {
		t.Fatal(err)
	}
	res2, err := f.store.GetResults(ctx, f.q.ID, "r2")
	if err != nil {
		t.Fatal(err)
	}
	var got2 []contest.Ranked
	for _, l := range res2.Lines {
		got2 = append(got2, l.Ranked)
	}
	t.Run("round 2's lines are those of every entry ranked, round 1's winners skipped", func(t *testing.T) {
		if g, w := linesOf(got2), linesOf(expected(cfg, r2, won)); fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("round 2 lines\n got %v\nwant %v", g, w)
		}
	})
	t.Run("round 1's winners lead round 2 yet win nothing in it", func(t *testing.T) {
		if len(won) == 0 || len(got2) == 0 || !won[got2[0].Person] {
			t.Fatalf("got round 2 led by %v with round 1 winners %v: the case is not exercised", got2, won)
		}
		for _, r := range got2 {
			if won[r.Person] && r.Tier != "" {
				t.Errorf("got %s winning %q again, want no second prize", r.Person, r.Tier)
			}
		}
	})
	if res2.Truth != n2 || res1.Truth != n1 {
		t.Errorf("got truths %d and %d, want %d and %d", res1.Truth, res2.Truth, n1, n2)
	}
}
