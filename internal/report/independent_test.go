package report_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/groups"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/units"
)

// The independent check: every figure of the reports is computed here straight from the
// raw attempts with gonum's stat package (mean, standard deviation, correlation), never
// through the counters, and compared with the counter-based reports (report.Build* over
// aggregate.Rebuild of the same attempts), for a seeded random data set: a bank of 24
// questions of which each attempt draws its own 10, four villages (one too small to
// judge), an organisation split, two months, practice attempts and suspect attempts.
//
// Two comparisons per figure: the report's rounded value must equal the independent
// value rounded the same way, and the unrounded value from the counters' sums (through
// report's exported formulas) must equal the independent one to 1e-9 for means and
// rates and 1e-6 for intervals and correlations.

const (
	indepBank   = 24
	indepDraw   = 10
	indepQuiz   = "indep"
	tolMean     = 1e-9
	tolInterval = 1e-6
)

var indepUnits = []units.Unit{
	{ID: "c", Name: "Xã Kiểm Tra", Kind: "commune"},
	{ID: "v1", ParentID: "c", Name: "Thôn Một", Kind: "village", Population: 400},
	{ID: "v2", ParentID: "c", Name: "Thôn Hai", Kind: "village", Population: 300},
	{ID: "v3", ParentID: "c", Name: "Thôn Ba", Kind: "village", Population: 200},
	{ID: "v4", ParentID: "c", Name: "Thôn Bốn", Kind: "village", Population: 50},
}

// indepQuizOf is a bank of single-choice questions of 1 point (so score percentages are
// multiples of 10, exact in the counters' milli-percent) over four topics.
func indepQuizOf() quiz.Quiz {
	ab := []quiz.Option{{ID: "A", Text: "A"}, {ID: "B", Text: "B"}}
	qz := quiz.Quiz{ID: indepQuiz, Kind: quiz.KindQuiz, Title: "Kiểm tra độc lập", Status: quiz.Published, PassPercent: 50}
	for i := range indepBank {
		qz.Questions = append(qz.Questions, quiz.Question{ID: fmt.Sprintf("q%02d", i), Kind: quiz.Single, Text: "Câu " + fmt.Sprint(i),
			Topic: quiz.Topics[i%4], Points: 1, Options: ab, CorrectOptionIDs: []string{"A"}})
	}
	return qz
}

// indepAttempts draws the data set: each participant has an ability; a question's
// chance of a right answer grows with it (except q07, keyed wrongly, which the weak get
// right more often), so discriminations spread from negative to strong.
func indepAttempts(seed uint64) []quiz.Attempt {
	r := rand.New(rand.NewPCG(seed, 7))
	qz := indepQuizOf()
	orgs := []string{"Hội Liên hiệp Phụ nữ xã", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh", ""}
	sizes := map[string]int{"v1": 150, "v2": 90, "v3": 45, "v4": 3}
	ease := make([]float64, indepBank)
	for i := range ease {
		ease[i] = r.Float64()*0.8 - 0.4
	}
	var out []quiz.Attempt
	n := 0
	attempt := func(person int, unit, org string, ability float64, at time.Time, suspect bool) quiz.Attempt {
		n++
		a := quiz.Attempt{ID: fmt.Sprintf("a%04d", n), QuizID: indepQuiz, QuizKind: quiz.KindQuiz, Identity: fmt.Sprintf("p%04d", person),
			Participant: quiz.Participant{UnitID: unit, Organization: org, BirthYear: 1950 + r.IntN(55), Gender: []string{"male", "female"}[r.IntN(2)]},
			Status:      quiz.Submitted, SubmittedAt: at, PassPercent: qz.PassPercent, Suspect: suspect,
			Correct: map[string]bool{}, Topics: map[string]quiz.TopicTally{}}
		for _, i := range r.Perm(indepBank)[:indepDraw] {
			q := qz.Questions[i]
			p := 0.15 + 0.7*ability + ease[i]
			if q.ID == "q07" {
				p = 0.85 - 0.7*ability
			}
			record(&a, q, r.Float64() < p)
		}
		return a
	}
	person := 0
	for _, unit := range []string{"v1", "v2", "v3", "v4"} {
		for range sizes[unit] {
			person++
			ability := r.Float64()
			org := orgs[r.IntN(len(orgs))]
			at := time.Date(2026, time.Month(3+r.IntN(2)), 1+r.IntN(28), 2+r.IntN(12), r.IntN(60), 0, 0, time.UTC)
			out = append(out, attempt(person, unit, org, ability, at, false))
			if r.IntN(5) == 0 { // a practice attempt later: a submission only
				out = append(out, attempt(person, unit, org, ability, at.Add(time.Duration(1+r.IntN(500))*time.Hour), false))
			}
			if r.IntN(40) == 0 { // started past a soft limit: never counted
				out = append(out, attempt(person+10000, unit, org, ability, at, true))
			}
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// rawFirsts picks each participant's first attempt (earliest, then lowest id) from the
// raw attempts, leaving suspect ones out, without the aggregate package.
func rawFirsts(attempts []quiz.Attempt) []quiz.Attempt {
	best := map[string]quiz.Attempt{}
	for _, a := range attempts {
		if a.Suspect || a.Status != quiz.Submitted {
			continue
		}
		b, ok := best[a.Identity]
		if !ok || a.SubmittedAt.Before(b.SubmittedAt) || (a.SubmittedAt.Equal(b.SubmittedAt) && a.ID < b.ID) {
			best[a.Identity] = a
		}
	}
	out := make([]quiz.Attempt, 0, len(best))
	for _, a := range best {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b quiz.Attempt) int { return a.SubmittedAt.Compare(b.SubmittedAt) })
	return out
}

// rawFigures are a group's figures computed from its first attempts, unrounded.
type rawFigures struct {
	n                  int
	mean               float64
	ci95               []float64 // unclamped; nil below 2 scores
	passRate           float64
	passCI             []float64 // 0–1
	participation      float64   // percent; NaN without population
	participationCI    []float64 // 0–1
	topicRight, topicN map[string]int
}

// wilsonRaw is the Wilson score interval written out from its definition.
func wilsonRaw(x, n int) []float64 {
	if n == 0 || x > n {
		return nil
	}
	z := distuv.UnitNormal.Quantile(0.975)
	p, nf := float64(x)/float64(n), float64(n)
	c := (p + z*z/(2*nf)) / (1 + z*z/nf)
	h := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return []float64{math.Max(0, c-h), math.Min(1, c+h)}
}

func figuresOf(firsts []quiz.Attempt, population int) rawFigures {
	f := rawFigures{n: len(firsts), participation: math.NaN(), topicRight: map[string]int{}, topicN: map[string]int{}}
	var scores []float64
	passes := 0
	for _, a := range firsts {
		scores = append(scores, 100*float64(a.Score)/float64(a.MaxScore))
		if 100*a.Score >= a.PassPercent*a.MaxScore {
			passes++
		}
		for tp, tt := range a.Topics {
			f.topicRight[tp] += tt.Correct
			f.topicN[tp] += tt.Answered
		}
	}
	if len(scores) > 0 {
		f.mean = stat.Mean(scores, nil)
		f.passRate = 100 * float64(passes) / float64(len(scores))
		f.passCI = wilsonRaw(passes, len(scores))
	}
	if len(scores) > 1 {
		sd := stat.StdDev(scores, nil) // the sample (n − 1) standard deviation
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(scores) - 1)}.Quantile(0.975)
		half := t * sd / math.Sqrt(float64(len(scores)))
		f.ci95 = []float64{f.mean - half, f.mean + half}
	}
	if population > 0 {
		f.participation = 100 * float64(len(firsts)) / float64(population)
		f.participationCI = wilsonRaw(len(firsts), population)
	}
	return f
}

// rawDiscrimination is, per question, Pearson's correlation (gonum stat.Correlation)
// between being right and the number of the attempt's other questions right, over the
// first attempts that drew it; ok is false where it is undefined.
func rawDiscrimination(firsts []quiz.Attempt, qid string) (n int, facility, r float64, ok bool) {
	var x, y []float64
	for _, a := range firsts {
		right, drawn := a.Correct[qid]
		if !drawn {
			continue
		}
		rest := 0
		for id, c := range a.Correct {
			if id != qid && c {
				rest++
			}
		}
		x = append(x, b2f(right))
		y = append(y, float64(rest))
	}
	if len(x) == 0 {
		return 0, 0, 0, false
	}
	facility = stat.Mean(x, nil)
	if stat.Variance(x, nil) == 0 || stat.Variance(y, nil) == 0 {
		return len(x), facility, 0, false
	}
	return len(x), facility, stat.Correlation(x, y, nil), true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// near1 fails unless got is within tol of want.
func near1(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.IsNaN(want) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, independent %.12g (tolerance %g)", what, got, want, tol)
	}
}

// shown fails unless the report's rounded value equals the independent value rounded
// to the same decimals (nil when the independent value is absent).
func shown(t *testing.T, what string, got *float64, want *float64, decimals int) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, independent %v", what, got, want)
	default:
		near1(t, what, *got, report.Round(*want, decimals), tolMean)
	}
}

func shownPair(t *testing.T, what string, got, want []float64, scale float64, clamp bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, independent %v", what, got, want)
		return
	}
	for i := range got {
		w := scale * want[i]
		if clamp {
			w = report.ClampPercent(w)
		}
		near1(t, fmt.Sprintf("%s[%d]", what, i), got[i], report.Round(w, 1), tolMean)
	}
}

func fptr(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// checkRow compares one awareness row with the independent figures of its group.
func checkRow(t *testing.T, row report.Row, f rawFigures, withPopulation bool) {
	t.Helper()
	if row.Participants != int64(f.n) {
		t.Fatalf("participants = %d, independent %d", row.Participants, f.n)
	}
	suppressed := f.n < report.DefaultMinGroup
	if row.Suppressed != suppressed {
		t.Fatalf("suppressed = %v, want %v for %d participants", row.Suppressed, suppressed, f.n)
	}
	if withPopulation {
		shown(t, "participation rate", row.ParticipationRate, fptr(f.participation), 1)
	}
	if suppressed {
		if row.MeanScore != nil || row.CI95 != nil || row.PassRate != nil || row.PassRateCI95 != nil || row.ParticipationRateCI95 != nil {
			t.Errorf("a suppressed row shows figures: %+v", row)
		}
		return
	}
	shown(t, "mean", row.MeanScore, &f.mean, 1)
	shownPair(t, "ci95", row.CI95, f.ci95, 1, true)
	shown(t, "pass rate", row.PassRate, &f.passRate, 1)
	shownPair(t, "pass rate ci95", row.PassRateCI95, f.passCI, 100, false)
	if withPopulation {
		shownPair(t, "participation rate ci95", row.ParticipationRateCI95, f.participationCI, 100, false)
	}
}

// checkSums compares the unrounded figures of summed counters with the independent ones.
func checkSums(t *testing.T, participants, scored, sum, sqSum, passes int64, population int, f rawFigures) {
	t.Helper()
	if participants != int64(f.n) || scored != int64(f.n) {
		t.Fatalf("counters hold %d participants (%d scored), independent %d", participants, scored, f.n)
	}
	if f.n == 0 {
		return
	}
	s, ss := float64(sum)/1000, float64(sqSum)/1e6
	m, _ := report.Mean(scored, s)
	near1(t, "mean from the sums", m, f.mean, tolMean)
	if lo, hi, ok := report.CI95(scored, s, ss); ok != (f.ci95 != nil) {
		t.Errorf("ci95 from the sums defined = %v, independent %v", ok, f.ci95)
	} else if ok {
		near1(t, "ci95 low from the sums", lo, f.ci95[0], tolInterval)
		near1(t, "ci95 high from the sums", hi, f.ci95[1], tolInterval)
	}
	p, _ := report.Percent(passes, scored)
	near1(t, "pass rate from the sums", p, f.passRate, tolMean)
	lo, hi, _ := report.Wilson95(passes, scored)
	near1(t, "pass rate ci95 low from the sums", lo, f.passCI[0], tolInterval)
	near1(t, "pass rate ci95 high from the sums", hi, f.passCI[1], tolInterval)
	if population > 0 {
		lo, hi, _ := report.Wilson95(participants, int64(population))
		near1(t, "participation ci95 low from the sums", lo, f.participationCI[0], tolInterval)
		near1(t, "participation ci95 high from the sums", hi, f.participationCI[1], tolInterval)
	}
}

func TestEveryReportFigureEqualsAnIndependentComputationFromTheRawAttempts(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) { checkIndependently(t, seed) })
	}
}

func checkIndependently(t *testing.T, seed uint64) {
	tree, err := units.NewTree(indepUnits)
	if err != nil {
		t.Fatal(err)
	}
	qz := indepQuizOf()
	attempts := indepAttempts(seed)
	counters := aggregate.Rebuild(attempts)
	firsts := rawFirsts(attempts)
	sc := report.NewReportScope(tree, qz, "c", "", "", 0)
	population := map[string]int{}
	for _, u := range indepUnits {
		population[u.ID] = u.Population
	}
	byVillage := map[string][]quiz.Attempt{}
	byOrg := map[string][]quiz.Attempt{}
	byMonth := map[string][]quiz.Attempt{}
	for _, a := range firsts {
		byVillage[a.Participant.UnitID] = append(byVillage[a.Participant.UnitID], a)
		org := groups.OrganisationCode(a.Participant.Organization)
		byOrg[org] = append(byOrg[org], a)
		m := a.SubmittedAt.In(quiz.VietnamTime).Format("2006-01")
		byMonth[m] = append(byMonth[m], a)
	}
	for _, a := range attempts { // a month of practice or suspect attempts only is a point of 0
		m := a.SubmittedAt.In(quiz.VietnamTime).Format("2006-01")
		byMonth[m] = append(byMonth[m], []quiz.Attempt{}...)
	}
	villageCounters := map[string]aggregate.Counter{}
	var total aggregate.Counter
	for _, c := range counters {
		v := villageCounters[c.UnitID]
		v.Add(c)
		villageCounters[c.UnitID] = v
		total.Add(c)
	}

	t.Run("each village and the commune show the independent mean, intervals and rates", func(t *testing.T) {
		aw, err := report.BuildAwareness(sc, counters, report.GroupByVillage)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range aw.Rows {
			t.Run(row.Label, func(t *testing.T) {
				f := figuresOf(byVillage[row.Key], population[row.Key])
				checkRow(t, row, f, true)
				c := villageCounters[row.Key]
				checkSums(t, c.Participants, c.Scored, c.ScoreSum, c.ScoreSqSum, c.Passes, population[row.Key], f)
			})
		}
		t.Run("the commune", func(t *testing.T) {
			pop := 0
			for _, v := range sc.Villages {
				pop += population[v]
			}
			f := figuresOf(firsts, pop)
			checkRow(t, aw.Total, f, true)
			checkSums(t, total.Participants, total.Scored, total.ScoreSum, total.ScoreSqSum, total.Passes, pop, f)
			for _, tr := range aw.Total.Topics {
				want := 100 * float64(f.topicRight[tr.Topic]) / float64(f.topicN[tr.Topic])
				shown(t, "topic "+tr.Topic+" correct rate", tr.CorrectRate, &want, 1)
			}
		})
	})

	t.Run("each organisation shows the independent mean, intervals and pass rate", func(t *testing.T) {
		aw, err := report.BuildAwareness(sc, counters, report.GroupByOrganization)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range aw.Rows {
			t.Run(row.Label, func(t *testing.T) {
				f := figuresOf(byOrg[row.Key], 0)
				checkRow(t, row, f, false)
				g := total.Groups["org:"+row.Key]
				checkSums(t, g.Participants, g.Scored, g.ScoreSum, g.ScoreSqSum, g.Passes, 0, f)
			})
		}
	})

	t.Run("each village's topic correct rates equal the independent ones", func(t *testing.T) {
		tp := report.BuildTopics(sc, counters)
		for _, row := range tp.Rows {
			f := figuresOf(byVillage[row.UnitID], 0)
			for _, cell := range row.Cells {
				var want *float64
				if !row.Suppressed && f.topicN[cell.Topic] > 0 {
					want = fptr(100 * float64(f.topicRight[cell.Topic]) / float64(f.topicN[cell.Topic]))
				}
				shown(t, row.Label+" topic "+cell.Topic, cell.CorrectRate, want, 1)
			}
		}
	})

	t.Run("each question's facility and corrected discrimination equal gonum's correlation over the attempts that drew it", func(t *testing.T) {
		qs := report.BuildQuestions(sc, counters)
		if len(qs.Questions) != indepBank {
			t.Fatalf("%d questions analysed, want %d", len(qs.Questions), indepBank)
		}
		negative := 0
		for _, st := range qs.Questions {
			n, facility, r, ok := rawDiscrimination(firsts, st.QuestionID)
			if st.N != int64(n) {
				t.Errorf("%s: n = %d, independent %d", st.QuestionID, st.N, n)
				continue
			}
			shown(t, st.QuestionID+" facility", st.Facility, &facility, 3)
			var want *float64
			if ok {
				want = &r
			}
			shown(t, st.QuestionID+" discrimination", st.Discrimination, want, 3)
			qt := total.Questions[st.QuestionID]
			got, gotOK := report.CorrectedPointBiserial(qt.N, qt.Correct, qt.RestSum, qt.RestSqSum, qt.CorrectRestSum)
			if gotOK != ok {
				t.Errorf("%s: discrimination defined = %v, independent %v", st.QuestionID, gotOK, ok)
			} else if ok {
				near1(t, st.QuestionID+" discrimination from the sums", got, r, tolInterval)
			}
			if st.Flag == report.FlagNegative {
				negative++
			}
		}
		if negative == 0 {
			t.Errorf("the wrongly keyed q07 is not flagged negative: %+v", qs.Questions[7])
		}
	})

	t.Run("each month of the trend shows the independent mean, interval and pass rate", func(t *testing.T) {
		tr, err := report.BuildTrend(sc, counters, report.PeriodMonth, time.Date(2026, 6, 1, 0, 0, 0, 0, quiz.VietnamTime))
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Points) != len(byMonth) {
			t.Fatalf("%d trend points, independent months %d", len(tr.Points), len(byMonth))
		}
		for _, p := range tr.Points {
			f := figuresOf(byMonth[p.Period], 0)
			checkRow(t, report.Row{Participants: p.Participants, MeanScore: p.MeanScore, CI95: p.CI95, PassRate: p.PassRate,
				PassRateCI95: p.PassRateCI95, Suppressed: p.Suppressed}, f, false)
		}
	})
}

// record adds one answered question to a hand-graded attempt: right or wrong, its points
// and its topic's tally.
func record(a *quiz.Attempt, q quiz.Question, ok bool) {
	a.QuestionIDs = append(a.QuestionIDs, q.ID)
	a.Correct[q.ID] = ok
	tt := a.Topics[q.Topic]
	tt.Answered++
	a.MaxScore += q.Points
	if ok {
		tt.Correct++
		a.Score += q.Points
		a.CorrectCount++
	}
	a.Topics[q.Topic] = tt
}
