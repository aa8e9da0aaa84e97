package report_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/units"
)

// The weighted total checked independently: a commune whose first village sent 80 % of
// its residents, mostly the well informed, and whose second sent 5 %, mostly the less
// informed; a third sent three (under the floor) and a fourth has no known population.
// The stratified figures are computed here from the raw attempts with gonum's sample
// mean and variance of each village's scores and pass indicators, never through
// report.Stratified or the counters' sums.
var weightedUnits = []units.Unit{
	{ID: "c", Name: "Xã Trọng Số", Kind: "commune"},
	{ID: "w1", ParentID: "c", Name: "Thôn Đông Vui", Kind: "village", Population: 400},
	{ID: "w2", ParentID: "c", Name: "Thôn Vắng", Kind: "village", Population: 1000},
	{ID: "w3", ParentID: "c", Name: "Thôn Ít", Kind: "village", Population: 300},
	{ID: "w4", ParentID: "c", Name: "Thôn Mới", Kind: "village"},
}

// weightedAttempts draws, per village, participants of a given ability range; every one
// answers indepDraw of the bank's 1-point questions.
func weightedAttempts(seed uint64) []quiz.Attempt {
	r := rand.New(rand.NewPCG(seed, 58))
	qz := indepQuizOf()
	villages := []struct {
		id       string
		n        int
		lo, span float64 // ability drawn from lo + span·U(0, 1)
	}{{"w1", 320, 0.5, 0.5}, {"w2", 50, 0, 0.5}, {"w3", 3, 0, 1}, {"w4", 20, 0.2, 0.6}}
	var out []quiz.Attempt
	n := 0
	for _, v := range villages {
		for range v.n {
			n++
			ability := v.lo + v.span*r.Float64()
			a := quiz.Attempt{ID: fmt.Sprintf("a%04d", n), QuizID: indepQuiz, QuizKind: quiz.KindQuiz, Identity: fmt.Sprintf("p%04d", n),
				Participant: quiz.Participant{UnitID: v.id, BirthYear: 1960 + r.IntN(40), Gender: "female"},
				Status:      quiz.Submitted, SubmittedAt: time.Date(2026, 4, 1+r.IntN(28), 3, r.IntN(60), 0, 0, time.UTC),
				PassPercent: qz.PassPercent, Correct: map[string]bool{}, Topics: map[string]quiz.TopicTally{}}
			for _, i := range r.Perm(indepBank)[:indepDraw] {
				q := qz.Questions[i]
				record(&a, q, r.Float64() < 0.1+0.85*ability)
			}
			out = append(out, a)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// rawWeighted is the stratified estimate written out from its definition over the first
// attempts: strata are villages with a population and at least floor participants.
type rawWeighted struct {
	passRate, passLo, passHi, mean, meanLo, meanHi, covered float64
	villages                                                int
}

func weightedOf(firsts []quiz.Attempt, population map[string]int, villages []string, floor int) rawWeighted {
	scores, passed := map[string][]float64{}, map[string][]float64{}
	for _, a := range firsts {
		v := a.Participant.UnitID
		scores[v] = append(scores[v], 100*float64(a.Score)/float64(a.MaxScore))
		passed[v] = append(passed[v], b2f(100*a.Score >= a.PassPercent*a.MaxScore))
	}
	var in []string
	covered, all := 0, 0
	for _, v := range villages {
		all += population[v]
		if population[v] > 0 && len(scores[v]) >= floor {
			in = append(in, v)
			covered += population[v]
		}
	}
	var out rawWeighted
	var passVar, meanVar float64
	for _, v := range in {
		w := float64(population[v]) / float64(covered)
		n := float64(len(scores[v]))
		fpc := 1 - n/float64(population[v])
		out.passRate += w * 100 * stat.Mean(passed[v], nil)
		passVar += w * w * fpc * 100 * 100 * stat.Variance(passed[v], nil) / n
		out.mean += w * stat.Mean(scores[v], nil)
		meanVar += w * w * fpc * stat.Variance(scores[v], nil) / n
	}
	z := distuv.UnitNormal.Quantile(0.975)
	clip := func(x float64) float64 { return math.Min(100, math.Max(0, x)) }
	out.passLo, out.passHi = clip(out.passRate-z*math.Sqrt(passVar)), clip(out.passRate+z*math.Sqrt(passVar))
	out.meanLo, out.meanHi = clip(out.mean-z*math.Sqrt(meanVar)), clip(out.mean+z*math.Sqrt(meanVar))
	out.covered = 100 * float64(covered) / float64(all)
	out.villages = len(in)
	return out
}

func TestTheWeightedTotalEqualsAnIndependentStratifiedComputationFromTheRawAttempts(t *testing.T) {
	tree, err := units.NewTree(weightedUnits)
	if err != nil {
		t.Fatal(err)
	}
	population := map[string]int{}
	for _, u := range weightedUnits {
		population[u.ID] = u.Population
	}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			attempts := weightedAttempts(seed)
			sc := report.NewReportScope(tree, indepQuizOf(), "c", "", "", 0)
			aw, err := report.BuildAwareness(sc, aggregate.Rebuild(attempts), report.GroupByVillage)
			if err != nil {
				t.Fatal(err)
			}
			w := aw.Total.Weighted
			if w == nil {
				t.Fatal("the total has no weighted figures")
			}
			want := weightedOf(rawFirsts(attempts), population, sc.Villages, report.DefaultMinGroup)
			if w.VillagesCovered != want.villages {
				t.Errorf("villages covered = %d, independent %d", w.VillagesCovered, want.villages)
			}
			shown(t, "population covered", w.PopulationCovered, &want.covered, 1)
			shown(t, "weighted pass rate", w.PassRate, &want.passRate, 1)
			shownPair(t, "weighted pass rate ci95", w.PassRateCI95, []float64{want.passLo, want.passHi}, 1, false)
			shown(t, "weighted mean", w.MeanScore, &want.mean, 1)
			shownPair(t, "weighted ci95", w.CI95, []float64{want.meanLo, want.meanHi}, 1, false)
			// The villages' turnouts differ sixteenfold: the pool follows Thôn Đông Vui's
			// mobilised and well-informed, the weighted figure the commune's residents.
			t.Logf("pool pass rate %v %% (mean %v), weighted %v %% %v (mean %v %v), covering %v %% in %d villages",
				*aw.Total.PassRate, *aw.Total.MeanScore, *w.PassRate, w.PassRateCI95, *w.MeanScore, w.CI95, *w.PopulationCovered, w.VillagesCovered)
			if math.Abs(*aw.Total.PassRate-*w.PassRate) < 20 {
				t.Errorf("pool %v %% and weighted %v %% differ by under 20 points: the fixture does not tell them apart", *aw.Total.PassRate, *w.PassRate)
			}
		})
	}
}
