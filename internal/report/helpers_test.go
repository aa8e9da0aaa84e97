package report_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Fixtures shared by the report tests. The reports are computed by the pure Build
// functions from counters built here by hand (reports_test.go); service_test.go runs the
// Service against DynamoDB Local. Every expected number is worked by hand in the
// comments (scores are percentages; counters keep them in milli-percent).

const quizID = "nq58-2026"

// Topic labels, written out so that the tests pin the Vietnamese text.
const (
	labelA = "Nội dung cốt lõi của Nghị quyết 58"
	labelD = "Mục tiêu, nhiệm vụ, giải pháp"
)

// A province with two communes: Cẩm Thủy has three villages (Thôn Tây's population is
// unknown), Cẩm Khê one.
var testUnits = []units.Unit{
	{ID: "th", Name: "Tỉnh Thanh Hóa", Kind: "province"},
	{ID: "ct", ParentID: "th", Name: "Xã Cẩm Thủy", Kind: "commune"},
	{ID: "v1", ParentID: "ct", Name: "Thôn Đông", Kind: "village", Population: 200},
	{ID: "v2", ParentID: "ct", Name: "Thôn Tây", Kind: "village"},
	{ID: "v3", ParentID: "ct", Name: "Thôn Nam", Kind: "village", Population: 100},
	{ID: "ck", ParentID: "th", Name: "Xã Cẩm Khê", Kind: "commune"},
	{ID: "k1", ParentID: "ck", Name: "Thôn Bắc", Kind: "village", Population: 50},
}

func testTree(t *testing.T) *units.Tree {
	t.Helper()
	tree, err := units.NewTree(testUnits)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// testQuiz has scored questions on topics a and d, a likert and a free-text question.
func testQuiz() quiz.Quiz {
	ab := []quiz.Option{{ID: "A", Text: "Đúng"}, {ID: "B", Text: "Sai"}}
	likert := []quiz.Option{{ID: "1", Text: "Rất không đồng ý"}, {ID: "2", Text: "Không đồng ý"}, {ID: "3", Text: "Phân vân"},
		{ID: "4", Text: "Đồng ý"}, {ID: "5", Text: "Rất đồng ý"}}
	return quiz.Quiz{ID: quizID, Kind: quiz.KindQuiz, Title: "Tìm hiểu Nghị quyết 58-NQ/TW", Status: quiz.Published, PassPercent: 50,
		Questions: []quiz.Question{
			{ID: "q1", Kind: quiz.Single, Text: "Nghị quyết 58 ban hành năm 2020?", Topic: "a", Points: 1, Options: ab, CorrectOptionIDs: []string{"A"}},
			{ID: "q2", Kind: quiz.TrueFalse, Text: "Quy hoạch tỉnh thời kỳ 2021–2030 là một nhiệm vụ?", Topic: "d", Points: 1, Options: ab, CorrectOptionIDs: []string{"A"}},
			{ID: "s1", Kind: quiz.Likert, Text: "Thông tin về Nghị quyết dễ hiểu", Options: likert},
			{ID: "q3", Kind: quiz.Single, Text: "Nghị quyết 58 là về tỉnh Nghệ An?", Topic: "a", Points: 1, Options: ab, CorrectOptionIDs: []string{"B"}},
			{ID: "s2", Kind: quiz.Text, Text: "Góp ý của bạn"},
		}}
}

// scoresCounter is the counter of first attempts with the given percent scores in a
// village and month (pass mark 50).
func scoresCounter(unit, month string, scores ...int64) aggregate.Counter {
	c := aggregate.Counter{Key: aggregate.Key{QuizID: quizID, UnitID: unit, Month: month}}
	for _, s := range scores {
		m := s * 1000
		c.Submissions++
		c.Participants++
		c.Scored++
		c.ScoreSum += m
		c.ScoreSqSum += m * m
		if s >= 50 {
			c.Passes++
		}
	}
	return c
}

func tallyOf(c aggregate.Counter) aggregate.GroupTally {
	return aggregate.GroupTally{Participants: c.Participants, Scored: c.Scored, ScoreSum: c.ScoreSum, ScoreSqSum: c.ScoreSqSum, Passes: c.Passes}
}

// marchV1: five women of the women's union, aged 25–34, in Thôn Đông scored 40 60 80
// 100 100 in March 2026. q1 was right only for the 40 and the 60 (a wrong key), q2 for
// the 80 and both 100s, q3 for everybody. Their rest scores (the other questions of a
// longer draw answered right) were 0 1 2 3 3: Σy = 9, Σy² = 23.
func marchV1() aggregate.Counter {
	c := scoresCounter("v1", "2026-03", 40, 60, 80, 100, 100)
	c.Topics = map[string]quiz.TopicTally{"a": {Answered: 10, Correct: 7}, "d": {Answered: 5, Correct: 2}}
	g := tallyOf(c)
	c.Groups = map[string]aggregate.GroupTally{"org:hpn": g, "age:25-34": g, "gender:female": g}
	c.Questions = map[string]aggregate.QuestionTally{
		"q1": {N: 5, Correct: 2, ScoreSum: 380_000, ScoreSqSum: 31_600_000_000, CorrectScoreSum: 100_000, RestSum: 9, RestSqSum: 23, CorrectRestSum: 1},
		"q2": {N: 5, Correct: 3, ScoreSum: 380_000, ScoreSqSum: 31_600_000_000, CorrectScoreSum: 280_000, RestSum: 9, RestSqSum: 23, CorrectRestSum: 8},
		"q3": {N: 5, Correct: 5, ScoreSum: 380_000, ScoreSqSum: 31_600_000_000, CorrectScoreSum: 380_000, RestSum: 9, RestSqSum: 23, CorrectRestSum: 9},
	}
	c.Options = map[string]int64{"q1:A": 2, "q1:B": 3, "q2:A": 3, "q2:B": 2, "q3:B": 5, "s1:4": 3, "s1:5": 2}
	return c
}

// aprilV2: four men over 60 in Thôn Tây scored 50 70 90 90 in April 2026; the first
// three are in the farmers' union, the last in none.
func aprilV2() aggregate.Counter {
	c := scoresCounter("v2", "2026-04", 50, 70, 90, 90)
	c.Topics = map[string]quiz.TopicTally{"a": {Answered: 8, Correct: 6}, "d": {Answered: 4, Correct: 1}}
	c.Groups = map[string]aggregate.GroupTally{
		"org:hnd":     tallyOf(scoresCounter("v2", "2026-04", 50, 70, 90)),
		"org:none":    tallyOf(scoresCounter("v2", "2026-04", 90)),
		"age:60+":     tallyOf(c),
		"gender:male": tallyOf(c),
	}
	c.Options = map[string]int64{"q1:A": 4, "s1:3": 4}
	return c
}

// novemberV1: one participant in Thôn Đông scored 20 in November 2025.
func novemberV1() aggregate.Counter { return scoresCounter("v1", "2025-11", 20) }

// marchK1: Thôn Bắc is in the other commune; a report on Cẩm Thủy never counts it.
func marchK1() aggregate.Counter { return scoresCounter("k1", "2026-03", 100, 100, 100, 100, 100) }

// thisYear are the 2026 counters (and one from another commune).
func thisYear() []aggregate.Counter { return []aggregate.Counter{marchV1(), aprilV2(), marchK1()} }

func ptr(x float64) *float64 { return &x }

// asJSON shows a report readably in failure messages.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot  %s\nwant %s", what, asJSON(t, got), asJSON(t, want))
	}
}
