package report_test

import (
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
)

// Tests of the Build functions and PeriodOf (reports.go), on the fixtures of helpers_test.go.

func TestNewReportScopeReadsTheVillagesUnderBothTheUnitAndTheQuizScope(t *testing.T) {
	tree := testTree(t)
	tests := []struct {
		name, unit, quizScope string
		want                  []string
	}{
		{"a quiz for everyone covers every village of the commune", "ct", "", []string{"v1", "v2", "v3"}},
		{"a quiz for everyone covers every village of the province", "th", "", []string{"v1", "v2", "v3", "k1"}},
		{"a quiz for one village covers only it", "ct", "v1", []string{"v1"}},
		{"a village of a commune-wide quiz covers the village", "v2", "ct", []string{"v2"}},
		{"a commune outside the quiz's scope covers nothing", "ck", "ct", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qz := testQuiz()
			qz.ScopeUnitID = tt.quizScope
			sc := report.NewReportScope(tree, qz, tt.unit, "", "", 0)
			check(t, "villages", sc.Villages, tt.want)
			if sc.MinGroup != report.DefaultMinGroup {
				t.Errorf("MinGroup = %d, want the default %d", sc.MinGroup, report.DefaultMinGroup)
			}
		})
	}
}

// v1Weighted is the weighted total when Thôn Đông's March five are its only stratum
// (worked in TestAwarenessByVillageShowsEachVillageAndTheTotal).
var v1Weighted = report.Weighted{PassRate: ptr(80), PassRateCI95: []float64{41.3, 100}, MeanScore: ptr(76), CI95: []float64{53.4, 98.6},
	PopulationCovered: ptr(66.7), VillagesCovered: 1}

func TestAwarenessByVillageShowsEachVillageAndTheTotal(t *testing.T) {
	// Thôn Đông (5 participants, 200 residents): participation 5/200 = 2.5 %, mean
	// 380/5 = 76, interval [43.6, 108.4] clamped to [43.6, 100] (see stats_test.go),
	// pass rate 4/5 = 80 % (40 fails), topic a 7/10 = 70 %, d 2/5 = 40 %. Wilson 95 %
	// intervals (see stats_test.go for the formula): 4 of 5 → [37.6, 96.4],
	// 5 of 200 → [1.1, 5.7].
	v1 := report.Row{Key: "v1", Label: "Thôn Đông", Participants: 5, Population: 200, ParticipationRate: ptr(2.5),
		ParticipationRateCI95: []float64{1.1, 5.7},
		MeanScore:             ptr(76), CI95: []float64{43.6, 100}, PassRate: ptr(80), PassRateCI95: []float64{37.6, 96.4},
		Topics: []report.TopicRate{{Topic: "a", Label: labelA, Answered: 10, CorrectRate: ptr(70)}, {Topic: "d", Label: labelD, Answered: 5, CorrectRate: ptr(40)}}}
	// Thôn Tây: 4 participants < 5, so counts only; its population is unknown (0), so
	// there is no participation rate.
	v2 := report.Row{Key: "v2", Label: "Thôn Tây", Participants: 4, Suppressed: true,
		Topics: []report.TopicRate{{Topic: "a", Label: labelA, Answered: 8}, {Topic: "d", Label: labelD, Answered: 4}}}
	// Thôn Nam: nobody took part: 0/100 = 0 %.
	v3 := report.Row{Key: "v3", Label: "Thôn Nam", Population: 100, ParticipationRate: ptr(0), Suppressed: true,
		Topics: []report.TopicRate{{Topic: "a", Label: labelA}, {Topic: "d", Label: labelD}}}
	// Total: 9 participants of 200 + 0 + 100 = 300 residents → 3 %. Scores 40 60 80 100
	// 100 50 70 90 90: Σx = 680, Σx² = 31600 + 23600 = 55200, mean 680/9 = 75.56 → 75.6;
	// s² = (55200 − 680²/9)/8 = (55200 − 51377.78)/8 = 477.78, s = 21.858, s/3 = 7.286,
	// t(0.975, 8) = 2.306, half width 16.80 → [58.75, 92.36] → [58.8, 92.4];
	// passes 4 + 4 = 8 of 9 = 88.9 %; topic a (7+6)/(10+8) = 13/18 = 72.2 %,
	// d (2+1)/(5+4) = 3/9 = 33.3 %. Thôn Bắc's counter is not counted.
	// Wilson: 8 of 9 → [56.5, 98.0], 9 of 300 → [1.6, 5.6].
	// Weighted: Thôn Đông is the only stratum (Thôn Tây has no population, Thôn Nam no
	// one), so W = 1 and the figures are its own with the finite-population correction
	// 1 − 5/200 = 0.975: pass rate 80 %, Var = 0.975 × 0.8 × 0.2 / 4 = 0.039 → 390 %²,
	// half width 1.96 × 19.75 = 38.7 → [41.3, 100]; mean 76, s² = (31600 − 380²/5)/4 =
	// 680, Var = 0.975 × 680 / 5 = 132.6, half width 1.96 × 11.52 = 22.6 → [53.4, 98.6];
	// it covers 200 of the commune's 300 residents, 66.7 %.
	total := report.Row{Key: "ct", Label: "Xã Cẩm Thủy", Participants: 9, Population: 300, ParticipationRate: ptr(3),
		ParticipationRateCI95: []float64{1.6, 5.6},
		MeanScore:             ptr(75.6), CI95: []float64{58.8, 92.4}, PassRate: ptr(88.9), PassRateCI95: []float64{56.5, 98},
		Topics:   []report.TopicRate{{Topic: "a", Label: labelA, Answered: 18, CorrectRate: ptr(72.2)}, {Topic: "d", Label: labelD, Answered: 9, CorrectRate: ptr(33.3)}},
		Weighted: &v1Weighted}

	// With a minimum group of 4, Thôn Tây is shown: scores 50 70 90 90, mean 300/4 = 75,
	// s² = (23600 − 300²/4)/3 = 1100/3 = 366.67, s = 19.149, s/2 = 9.574,
	// t(0.975, 3) = 3.182, half width 30.47 → [44.53, 105.47] → [44.5, 100];
	// all four pass (100 %); topic a 6/8 = 75 %, d 1/4 = 25 %.

	// From April only Thôn Tây's counter is left: 4 of 300 = 1.33 → 1.3 %, too few.
	// No village with a population has five scored: no weighted figure, nothing covered.
	fromApril := report.Row{Key: "ct", Label: "Xã Cẩm Thủy", Participants: 4, Population: 300, ParticipationRate: ptr(1.3), Suppressed: true,
		Topics:   []report.TopicRate{{Topic: "a", Label: labelA, Answered: 8}, {Topic: "d", Label: labelD, Answered: 4}},
		Weighted: &report.Weighted{}}
	v1NoneInApril := report.Row{Key: "v1", Label: "Thôn Đông", Population: 200, ParticipationRate: ptr(0), Suppressed: true,
		Topics: []report.TopicRate{{Topic: "a", Label: labelA}, {Topic: "d", Label: labelD}}}
	// Up to March only Thôn Đông's: 5 of 300 = 1.67 → 1.7 % (Wilson [0.7, 3.8]), its
	// scores as above.
	toMarch := v1
	toMarch.Key, toMarch.Label, toMarch.Population, toMarch.ParticipationRate = "ct", "Xã Cẩm Thủy", 300, ptr(1.7)
	toMarch.ParticipationRateCI95 = []float64{0.7, 3.8}
	toMarch.Weighted = &v1Weighted
	v2NoneInMarch := report.Row{Key: "v2", Label: "Thôn Tây", Suppressed: true,
		Topics: []report.TopicRate{{Topic: "a", Label: labelA}, {Topic: "d", Label: labelD}}}

	tests := []struct {
		name      string
		from, to  string
		minGroup  int
		counters  []aggregate.Counter
		wantRows  []report.Row
		wantTotal report.Row
	}{
		{"five participants are shown and four are too few", "", "", 0, thisYear(), []report.Row{v1, v2, v3}, total},
		{"a minimum group of four cannot lower the floor: the village of four shows counts only", "", "", 4, thisYear(), []report.Row{v1, v2, v3}, total},
		{"a range from April leaves only April's counters", "2026-04", "", 0, thisYear(), []report.Row{v1NoneInApril, v2, v3}, fromApril},
		{"a range up to March leaves only March's counters", "", "2026-03", 0, thisYear(), []report.Row{v1, v2NoneInMarch, v3}, toMarch},
		{"months are summed: March and a later month of the same village add up", "", "", 0,
			[]aggregate.Counter{marchK1(), withUnitMonth(aprilV2(), "v1", "2026-05"), marchV1()},
			[]report.Row{sumV1(), v2NoneInMarch, v3}, sumTotal()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", tt.from, tt.to, tt.minGroup)
			got, err := report.BuildAwareness(sc, tt.counters, "")
			if err != nil {
				t.Fatal(err)
			}
			if got.QuizID != quizID || got.UnitID != "ct" || got.GroupBy != report.GroupByVillage || got.From != tt.from || got.To != tt.to {
				t.Errorf("header = %s/%s/%s/%s..%s, want %s/ct/village/%s..%s", got.QuizID, got.UnitID, got.GroupBy, got.From, got.To, quizID, tt.from, tt.to)
			}
			check(t, "rows", got.Rows, tt.wantRows)
			check(t, "total", got.Total, tt.wantTotal)
		})
	}
}

func withUnitMonth(c aggregate.Counter, unit, month string) aggregate.Counter {
	c.UnitID, c.Month = unit, month
	return c
}

// sumV1 is Thôn Đông with March's five and May's four (aprilV2's counter moved there):
// the nine scores of the commune total, 9 of 200 residents = 4.5 % (Wilson [2.4, 8.3]).
func sumV1() report.Row {
	return report.Row{Key: "v1", Label: "Thôn Đông", Participants: 9, Population: 200, ParticipationRate: ptr(4.5),
		ParticipationRateCI95: []float64{2.4, 8.3},
		MeanScore:             ptr(75.6), CI95: []float64{58.8, 92.4}, PassRate: ptr(88.9), PassRateCI95: []float64{56.5, 98},
		Topics: []report.TopicRate{{Topic: "a", Label: labelA, Answered: 18, CorrectRate: ptr(72.2)}, {Topic: "d", Label: labelD, Answered: 9, CorrectRate: ptr(33.3)}}}
}

func sumTotal() report.Row {
	r := sumV1()
	r.Key, r.Label, r.Population, r.ParticipationRate = "ct", "Xã Cẩm Thủy", 300, ptr(3)
	r.ParticipationRateCI95 = []float64{1.6, 5.6}
	// Weighted: Thôn Đông alone again, now nine scored of 200 (fpc 0.955): 8/9 =
	// 88.9 % [67.6, 100], mean 75.6 [61.6, 89.5], 66.7 % of the residents covered.
	r.Weighted = &report.Weighted{PassRate: ptr(88.9), PassRateCI95: []float64{67.6, 100}, MeanScore: ptr(75.6), CI95: []float64{61.6, 89.5},
		PopulationCovered: ptr(66.7), VillagesCovered: 1}
	return r
}

func TestAwarenessByGroupListsEveryGroupInOrderWithVietnameseLabels(t *testing.T) {
	// By organisation: the five women's-union members of Thôn Đông have the scores of
	// Thôn Đông (mean 76, [43.6, 100], 80 % pass); the three farmers and the one
	// unaffiliated of Thôn Tây are too few. Groups show no population or topics.
	hpn := report.Row{Key: "hpn", Label: "Hội Liên hiệp Phụ nữ", Participants: 5, MeanScore: ptr(76), CI95: []float64{43.6, 100}, PassRate: ptr(80),
		PassRateCI95: []float64{37.6, 96.4}, Topics: []report.TopicRate{}}
	empty := func(key, label string, n int64) report.Row {
		return report.Row{Key: key, Label: label, Participants: n, Suppressed: true, Topics: []report.TopicRate{}}
	}
	shown := func(key, label string) report.Row {
		r := hpn
		r.Key, r.Label = key, label
		return r
	}
	tests := []struct {
		groupBy string
		want    []report.Row
	}{
		{report.GroupByOrganization, []report.Row{
			empty("mttq", "Mặt trận Tổ quốc", 0), hpn, empty("dtn", "Đoàn Thanh niên", 0), empty("hnd", "Hội Nông dân", 3),
			empty("hccb", "Hội Cựu chiến binh", 0), empty("other", "Tổ chức khác", 0), empty("none", "Không tham gia / không khai", 1)}},
		{report.GroupByAgeBand, []report.Row{
			empty("15-24", "15–24 tuổi", 0), shown("25-34", "25–34 tuổi"), empty("35-44", "35–44 tuổi", 0),
			empty("45-59", "45–59 tuổi", 0), empty("60+", "60 tuổi trở lên", 4), empty("unknown", "Không rõ", 0)}},
		{report.GroupByGender, []report.Row{
			empty("male", "Nam", 4), shown("female", "Nữ"), empty("other", "Khác", 0), empty("unknown", "Không rõ", 0)}},
	}
	for _, tt := range tests {
		t.Run("grouped by "+tt.groupBy, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
			got, err := report.BuildAwareness(sc, thisYear(), tt.groupBy)
			if err != nil {
				t.Fatal(err)
			}
			if got.GroupBy != tt.groupBy {
				t.Errorf("groupBy = %q, want %q", got.GroupBy, tt.groupBy)
			}
			check(t, "rows", got.Rows, tt.want)
			if got.Total.Participants != 9 || got.Total.Population != 300 {
				t.Errorf("total = %d participants of %d, want the commune's 9 of 300", got.Total.Participants, got.Total.Population)
			}
		})
	}
	t.Run("an unknown grouping is a validation error", func(t *testing.T) {
		sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
		_, err := report.BuildAwareness(sc, thisYear(), "district")
		if apperr.CodeOf(err) != apperr.Validation {
			t.Errorf("error = %v, want a validation error", err)
		}
	})
}

func TestTopicsShowEachVillagesCorrectRatePerTopic(t *testing.T) {
	headings := []struct {
		Topic string `json:"topic"`
		Label string `json:"label"`
	}{{"a", labelA}, {"d", labelD}}
	cells := func(a, d int64, ra, rd *float64) []report.TopicCell {
		return []report.TopicCell{{Topic: "a", Answered: a, CorrectRate: ra}, {Topic: "d", Answered: d, CorrectRate: rd}}
	}
	tests := []struct {
		name      string
		minGroup  int
		wantRows  []report.TopicRow
		wantTotal report.TopicRow
	}{
		// Thôn Đông a 7/10 = 70 %, d 2/5 = 40 %; Thôn Tây (4) too few; total a 13/18 =
		// 72.2 %, d 3/9 = 33.3 %.
		{"villages under five show counts only", 0, []report.TopicRow{
			{UnitID: "v1", Label: "Thôn Đông", Participants: 5, Cells: cells(10, 5, ptr(70), ptr(40))},
			{UnitID: "v2", Label: "Thôn Tây", Participants: 4, Suppressed: true, Cells: cells(8, 4, nil, nil)},
			{UnitID: "v3", Label: "Thôn Nam", Suppressed: true, Cells: cells(0, 0, nil, nil)},
		}, report.TopicRow{UnitID: "ct", Label: "Xã Cẩm Thủy", Participants: 9, Cells: cells(18, 9, ptr(72.2), ptr(33.3))}},
		// A request cannot lower the floor of five: Thôn Tây stays counts only.
		{"a minimum group of four does not show the village of four", 4, []report.TopicRow{
			{UnitID: "v1", Label: "Thôn Đông", Participants: 5, Cells: cells(10, 5, ptr(70), ptr(40))},
			{UnitID: "v2", Label: "Thôn Tây", Participants: 4, Suppressed: true, Cells: cells(8, 4, nil, nil)},
			{UnitID: "v3", Label: "Thôn Nam", Suppressed: true, Cells: cells(0, 0, nil, nil)},
		}, report.TopicRow{UnitID: "ct", Label: "Xã Cẩm Thủy", Participants: 9, Cells: cells(18, 9, ptr(72.2), ptr(33.3))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", tt.minGroup)
			got := report.BuildTopics(sc, thisYear())
			if got.QuizID != quizID || got.UnitID != "ct" {
				t.Errorf("header = %s/%s, want %s/ct", got.QuizID, got.UnitID, quizID)
			}
			check(t, "topics (those of the scored questions, in plan order)", got.Topics, headings)
			check(t, "rows", got.Rows, tt.wantRows)
			check(t, "total", got.Total, tt.wantTotal)
		})
	}
}

func TestQuestionStatsFlagQuestionsByFacilityAndDiscrimination(t *testing.T) {
	// Discrimination correlates a question (x: 1 right, 0 not) with the rest score y,
	// the number of the attempt's other questions right. Five participants had rest
	// scores 0 1 2 3 3 (Σy = 9, Σy² = 23); "twice" is ten, each rest score twice
	// (Σy = 18, Σy² = 46). r = (nΣxy − ΣxΣy) / √((nΣx − (Σx)²)(nΣy² − (Σy)²)).
	// (These rest scores are the total scores 40 60 80 100 100 moved to (score − 40)/20:
	// a linear map, so the correlations, and the flags, are those of the totals.)
	five := aggregate.QuestionTally{N: 5, RestSum: 9, RestSqSum: 23}
	twice := aggregate.QuestionTally{N: 10, RestSum: 18, RestSqSum: 46}
	with := func(t aggregate.QuestionTally, correct, correctRestSum int64) aggregate.QuestionTally {
		t.Correct, t.CorrectRestSum = correct, correctRestSum
		return t
	}
	tests := []struct {
		name           string
		tally          aggregate.QuestionTally
		minGroup       int
		facility, disc *float64
		flag           string
	}{
		// Right: rest 0 and 1. Σx = 2, Σxy = 1: r = (5 − 18)/√((10 − 4)(115 − 81))
		// = −13/√204 = −0.910: likely a wrong key.
		{"a question only the weakest got right is negative", with(five, 2, 1), 0, ptr(0.4), ptr(-0.91), report.FlagNegative},
		// Right: rest 2 3 3. Σx = 3, Σxy = 8: r = (40 − 27)/√((15 − 9)·34) = 13/√204 = +0.910.
		{"a question the strongest got right has no problem", with(five, 3, 8), 0, ptr(0.6), ptr(0.91), report.FlagNoProblem},
		// Right: rest 1 and 3. Σxy = 4: r = (20 − 18)/√204 = 0.140 < 0.2.
		{"a question that barely separates is weak", with(five, 2, 4), 0, ptr(0.4), ptr(0.14), report.FlagWeak},
		// Everybody right: p = 1, r undefined.
		{"a question everybody got right is too easy", with(five, 5, 9), 0, ptr(1), nil, report.FlagTooEasy},
		// Right: one of ten, rest 3. r = (30 − 18)/√((10 − 1)(460 − 324)) = 12/√1224 = 0.343.
		{"a question one in ten got right is too hard", with(twice, 1, 3), 0, ptr(0.1), ptr(0.343), report.FlagTooHard},
		// Right: one of ten, rest 0. r = (0 − 18)/√1224 = −0.514: negative comes before too hard.
		{"a hard question the weak got right is negative first", with(twice, 1, 0), 0, ptr(0.1), ptr(-0.514), report.FlagNegative},
		// A counter written before the rest sums existed reads them as 0: no discrimination,
		// judged on facility alone.
		{"a counter without rest sums judges facility only", aggregate.QuestionTally{N: 5, Correct: 2, ScoreSum: 380_000, ScoreSqSum: 31_600_000_000, CorrectScoreSum: 100_000},
			0, ptr(0.4), nil, report.FlagNoProblem},
		// Four asked (40 60 80 100; Σx = 280, Σx² = 21600), 40 and 60 right.
		{"a question asked of four is too few to judge", aggregate.QuestionTally{N: 4, Correct: 2, ScoreSum: 280_000, ScoreSqSum: 21_600_000_000, CorrectScoreSum: 100_000},
			0, nil, nil, report.FlagTooFew},
		// A minimum of 4 cannot lower the floor of five: still too few to judge.
		{"a minimum group of four still does not judge the question asked of four", aggregate.QuestionTally{N: 4, Correct: 2, ScoreSum: 280_000, ScoreSqSum: 21_600_000_000, CorrectScoreSum: 100_000},
			4, nil, nil, report.FlagTooFew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qz := testQuiz()
			c := aggregate.Counter{Key: aggregate.Key{QuizID: quizID, UnitID: "v1", Month: "2026-03"}, Questions: map[string]aggregate.QuestionTally{"q1": tt.tally}}
			got := report.BuildQuestions(report.NewReportScope(testTree(t), qz, "ct", "", "", tt.minGroup), []aggregate.Counter{c})
			want := report.QuestionStat{QuestionID: "q1", Text: qz.Questions[0].Text, Topic: "a", N: tt.tally.N, Facility: tt.facility, Discrimination: tt.disc, Flag: tt.flag}
			if len(got.Questions) == 0 {
				t.Fatalf("no questions")
			}
			check(t, "q1", got.Questions[0], want)
		})
	}
}

func TestQuestionsListEveryScoredQuestionInBankOrderOverAllVillages(t *testing.T) {
	// q1: Thôn Đông's five (2 right) and Thôn Bắc, which is outside the commune, ignored.
	// q3 has no answers at all: too few. Likert and text questions are not listed.
	qz := testQuiz()
	k1 := marchK1()
	k1.Questions = map[string]aggregate.QuestionTally{"q1": {N: 5, Correct: 5, RestSum: 10, RestSqSum: 20, CorrectRestSum: 10}}
	v1 := marchV1()
	delete(v1.Questions, "q3")
	got := report.BuildQuestions(report.NewReportScope(testTree(t), qz, "ct", "", "", 0), []aggregate.Counter{v1, aprilV2(), k1})
	want := report.Questions{QuizID: quizID, Questions: []report.QuestionStat{
		{QuestionID: "q1", Text: qz.Questions[0].Text, Topic: "a", N: 5, Facility: ptr(0.4), Discrimination: ptr(-0.91), Flag: report.FlagNegative},
		{QuestionID: "q2", Text: qz.Questions[1].Text, Topic: "d", N: 5, Facility: ptr(0.6), Discrimination: ptr(0.91), Flag: report.FlagNoProblem},
		{QuestionID: "q3", Text: qz.Questions[3].Text, Topic: "a", Flag: report.FlagTooFew},
	}}
	check(t, "questions", got, want)
}

func TestSurveyCountsEachOptionAsAShareOfParticipants(t *testing.T) {
	qz := testQuiz()
	opt := func(id, text string, n int64, pct *float64) report.OptionCount {
		return report.OptionCount{OptionID: id, Text: text, Count: n, Percent: pct}
	}
	type byUnit = struct {
		UnitID  string               `json:"unitId"`
		Label   string               `json:"label"`
		Options []report.OptionCount `json:"options"`
	}
	// q1: A chosen 2 (Thôn Đông) + 4 (Thôn Tây) = 6 of 9 = 66.7 %, B 3 of 9 = 33.3 %.
	// In Thôn Đông A 2/5 = 40 %, B 3/5 = 60 %; Thôn Tây (4) and Thôn Nam (0) are too few.
	q1 := report.SurveyQuestion{QuestionID: "q1", Text: qz.Questions[0].Text, Kind: "single",
		Options: []report.OptionCount{opt("A", "Đúng", 6, ptr(66.7)), opt("B", "Sai", 3, ptr(33.3))},
		ByUnit: []byUnit{
			{"v1", "Thôn Đông", []report.OptionCount{opt("A", "Đúng", 2, ptr(40)), opt("B", "Sai", 3, ptr(60))}},
			{"v2", "Thôn Tây", []report.OptionCount{opt("A", "Đúng", 4, nil), opt("B", "Sai", 0, nil)}},
			{"v3", "Thôn Nam", []report.OptionCount{opt("A", "Đúng", 0, nil), opt("B", "Sai", 0, nil)}},
		}}
	// s1 (likert "1".."5"): 3 → 4 of 9 = 44.4 %, 4 → 3 of 9 = 33.3 %, 5 → 2 of 9 = 22.2 %;
	// in Thôn Đông 4 → 3/5 = 60 %, 5 → 2/5 = 40 %.
	likert := func(counts [5]int64, pcts [5]*float64) []report.OptionCount {
		out := make([]report.OptionCount, 5)
		for i, o := range qz.Questions[2].Options {
			out[i] = opt(o.ID, o.Text, counts[i], pcts[i])
		}
		return out
	}
	s1 := report.SurveyQuestion{QuestionID: "s1", Text: qz.Questions[2].Text, Kind: "likert",
		Options: likert([5]int64{0, 0, 4, 3, 2}, [5]*float64{ptr(0), ptr(0), ptr(44.4), ptr(33.3), ptr(22.2)}),
		ByUnit: []byUnit{
			{"v1", "Thôn Đông", likert([5]int64{0, 0, 0, 3, 2}, [5]*float64{ptr(0), ptr(0), ptr(0), ptr(60), ptr(40)})},
			{"v2", "Thôn Tây", likert([5]int64{0, 0, 4, 0, 0}, [5]*float64{})},
			{"v3", "Thôn Nam", likert([5]int64{}, [5]*float64{})},
		}}
	// The free-text question is listed without options.
	s2 := report.SurveyQuestion{QuestionID: "s2", Text: qz.Questions[4].Text, Kind: "text", Options: []report.OptionCount{}, ByUnit: []byUnit{}}

	got := report.BuildSurvey(report.NewReportScope(testTree(t), qz, "ct", "", "", 0), thisYear())
	if got.QuizID != quizID || got.UnitID != "ct" || got.Participants != 9 {
		t.Errorf("header = %s/%s with %d participants, want %s/ct with 9", got.QuizID, got.UnitID, got.Participants, quizID)
	}
	if len(got.Questions) != 5 {
		t.Fatalf("got %d questions, want all 5 of the quiz", len(got.Questions))
	}
	tests := []struct {
		name string
		got  report.SurveyQuestion
		want report.SurveyQuestion
	}{
		{"a single-choice question counts each option", got.Questions[0], q1},
		{"a likert question counts each value 1 to 5", got.Questions[2], s1},
		{"a free-text question has no options", got.Questions[4], s2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.want.QuestionID, tt.got, tt.want) })
	}
}

func TestTrendGroupsMonthsIntoPeriodsAndComparesThisYearWithTheLast(t *testing.T) {
	// November 2025: one participant scored 20 (too few). March 2026: Thôn Đông's five
	// (mean 76, [43.6, 100], 80 %). April 2026: Thôn Tây's four (too few).
	// 2026 together: the nine of the commune (75.6, [58.8, 92.4], 88.9 %). Pass rates
	// carry their Wilson intervals: 4 of 5 [37.6, 96.4], 8 of 9 [56.5, 98.0].
	nov := report.TrendPoint{Period: "2025-11", Participants: 1, Suppressed: true}
	mar := report.TrendPoint{Period: "2026-03", Participants: 5, MeanScore: ptr(76), CI95: []float64{43.6, 100}, PassRate: ptr(80),
		PassRateCI95: []float64{37.6, 96.4}}
	apr := report.TrendPoint{Period: "2026-04", Participants: 4, Suppressed: true}
	year2026 := report.TrendPoint{Period: "2026", Participants: 9, MeanScore: ptr(75.6), CI95: []float64{58.8, 92.4}, PassRate: ptr(88.9),
		PassRateCI95: []float64{56.5, 98}}
	year2025 := report.TrendPoint{Period: "2025", Participants: 1, Suppressed: true}
	year2024 := report.TrendPoint{Period: "2024", Suppressed: true}
	as := func(p report.TrendPoint, period string) report.TrendPoint { p.Period = period; return p }
	june2026 := time.Date(2026, 6, 15, 9, 0, 0, 0, quiz.VietnamTime)

	tests := []struct {
		name, period, from, to string
		now                    time.Time
		want                   []report.TrendPoint
		wantThis, wantLast     report.TrendPoint
	}{
		{"months are points in time order", "month", "", "", june2026, []report.TrendPoint{nov, mar, apr}, year2026, year2025},
		{"no period means months", "", "", "", june2026, []report.TrendPoint{nov, mar, apr}, year2026, year2025},
		{"quarters gather their months", "quarter", "", "", june2026,
			[]report.TrendPoint{as(nov, "2025-Q4"), as(mar, "2026-Q1"), as(apr, "2026-Q2")}, year2026, year2025},
		{"years gather their months", "year", "", "", june2026, []report.TrendPoint{year2025, year2026}, year2026, year2025},
		{"a range keeps only its months but not the year comparison", "month", "2026-01", "2026-03", june2026,
			[]report.TrendPoint{mar}, year2026, year2025},
		// 18:00 UTC on 31 December 2025 is already 1 January 2026 in Vietnam.
		{"this year is the year in Vietnam", "year", "", "", time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC),
			[]report.TrendPoint{year2025, year2026}, year2026, year2025},
		{"a year without data is an empty point", "year", "", "", time.Date(2025, 3, 1, 0, 0, 0, 0, quiz.VietnamTime),
			[]report.TrendPoint{year2025, year2026}, year2025, year2024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := report.NewReportScope(testTree(t), testQuiz(), "ct", tt.from, tt.to, 0)
			got, err := report.BuildTrend(sc, append(thisYear(), novemberV1()), tt.period, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if got.QuizID != quizID || got.UnitID != "ct" {
				t.Errorf("header = %s/%s, want %s/ct", got.QuizID, got.UnitID, quizID)
			}
			check(t, "points", got.Points, tt.want)
			check(t, "this year", got.ThisYear, tt.wantThis)
			check(t, "last year", got.LastYear, tt.wantLast)
		})
	}
	t.Run("an unknown period is a validation error", func(t *testing.T) {
		sc := report.NewReportScope(testTree(t), testQuiz(), "ct", "", "", 0)
		_, err := report.BuildTrend(sc, thisYear(), "week", june2026)
		if apperr.CodeOf(err) != apperr.Validation {
			t.Errorf("error = %v, want a validation error", err)
		}
	})
}

func TestPeriodOfNamesTheMonthQuarterOrYear(t *testing.T) {
	tests := []struct {
		month, period, want string
		ok                  bool
	}{
		{"2026-01", "quarter", "2026-Q1", true},
		{"2026-03", "quarter", "2026-Q1", true},
		{"2026-04", "quarter", "2026-Q2", true},
		{"2026-12", "quarter", "2026-Q4", true},
		{"2026-12", "year", "2026", true},
		{"2026-12", "month", "2026-12", true},
		{"2026-13", "month", "", false},
		{"2026-12", "week", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.month+" by "+tt.period, func(t *testing.T) {
			got, ok := report.PeriodOf(tt.month, tt.period)
			if got != tt.want || ok != tt.ok {
				t.Errorf("PeriodOf(%q, %q) = %q, %v; want %q, %v", tt.month, tt.period, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestARowIsConcentratedWhenOneSourceBroughtMoreThanASetShare(t *testing.T) {
	tests := []struct {
		name              string
		top, participants int64
		want              bool
	}{
		{"no shared source is not concentrated", 0, 200, false},
		{"a source with 30 % exactly is not concentrated", 60, 200, false},
		{"a source with more than 30 % is concentrated", 61, 200, true},
		{"one source bringing everyone is concentrated", 280, 280, true},
		{"under 20 participants no share is judged", 19, 19, false},
		{"at 20 participants the share is judged", 7, 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := report.Concentrated(tt.top, tt.participants); got != tt.want {
				t.Errorf("Concentrated(%d, %d) = %v, want %v", tt.top, tt.participants, got, tt.want)
			}
		})
	}
	t.Run("the busiest shared source of a counter is its top source", func(t *testing.T) {
		c := aggregate.Counter{Participants: 30, Groups: map[string]aggregate.GroupTally{
			"org:hpn": {Participants: 25}, aggregate.SourceGroupPrefix + "aa": {Participants: 12}, aggregate.SourceGroupPrefix + "bb": {Participants: 5}}}
		if got := c.TopSource(); got != 12 {
			t.Errorf("TopSource() = %d, want 12 (a report group is not a source)", got)
		}
	})
}
