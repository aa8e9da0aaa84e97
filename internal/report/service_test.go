package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/testenv"
)

// The one test that runs the Service against the real store: DynamoDB Local, with the
// units, quizzes and counters written the way production writes them.
func TestServiceReadsReportsFromDynamoDBLocalWithinTheStaffsScope(t *testing.T) {
	ctx := context.Background()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	if err := store.PutUnits(ctx, testUnits); err != nil {
		t.Fatal(err)
	}
	// Besides the commune-wide quiz: one for Thôn Đông only, and one for the other commune.
	forDong := testQuiz()
	forDong.ID, forDong.ScopeUnitID = "nq58-dong", "v1"
	forKhe := testQuiz()
	forKhe.ID, forKhe.ScopeUnitID = "nq58-khe", "ck"
	for _, q := range []quiz.Quiz{testQuiz(), forDong, forKhe} {
		if err := store.PutQuiz(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	dong := marchV1()
	dong.QuizID = forDong.ID
	if err := store.ReplaceCounters(ctx, append(thisYear(), novemberV1(), dong), nil); err != nil {
		t.Fatal(err)
	}
	svc := report.NewService(store, func() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, quiz.VietnamTime) })
	officer := auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "ct"}
	provinceAdmin := auth.Staff{Username: "tinh", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	khe := auth.Staff{Username: "khe", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "ck"}
	organizer := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "ct"}
	commune := report.Query{QuizID: quizID, From: "2026-01"}

	t.Run("the awareness report of the officer's commune", func(t *testing.T) {
		got, err := svc.Awareness(ctx, officer, report.AwarenessQuery{Query: commune})
		if err != nil {
			t.Fatal(err)
		}
		var participants []int64
		for _, r := range got.Rows {
			participants = append(participants, r.Participants)
		}
		check(t, "participants per village", participants, []int64{5, 4, 0})
		// As in TestAwarenessByVillageShowsEachVillageAndTheTotal.
		check(t, "Thôn Đông's mean, interval and pass rate", []any{got.Rows[0].MeanScore, got.Rows[0].CI95, got.Rows[0].PassRate}, []any{ptr(76), []float64{43.6, 100}, ptr(80)})
		check(t, "total's mean, interval and pass rate", []any{got.Total.MeanScore, got.Total.CI95, got.Total.PassRate}, []any{ptr(75.6), []float64{58.8, 92.4}, ptr(88.9)})
	})
	t.Run("a province admin reads the commune grouped by organisation", func(t *testing.T) {
		got, err := svc.Awareness(ctx, provinceAdmin, report.AwarenessQuery{Query: report.Query{QuizID: quizID, UnitID: "ct", From: "2026-01"}, GroupBy: report.GroupByOrganization})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != 7 || got.Rows[1].Key != "hpn" || got.Rows[1].Participants != 5 || got.Rows[3].Participants != 3 {
			t.Errorf("rows = %s, want hpn 5 and hnd 3 among the 7 organisations", asJSON(t, got.Rows))
		}
	})
	t.Run("a quiz for one village reports only that village", func(t *testing.T) {
		got, err := svc.Awareness(ctx, officer, report.AwarenessQuery{Query: report.Query{QuizID: forDong.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != 1 || got.Rows[0].Key != "v1" || got.Total.Participants != 5 || got.Total.Population != 200 {
			t.Errorf("report = %s, want Thôn Đông alone with 5 of 200", asJSON(t, got))
		}
	})
	t.Run("topics, questions, survey and trend read the same counters", func(t *testing.T) {
		topics, err := svc.Topics(ctx, officer, commune)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "topic rates of the commune", []*float64{topics.Total.Cells[0].CorrectRate, topics.Total.Cells[1].CorrectRate}, []*float64{ptr(72.2), ptr(33.3)})
		questions, err := svc.Questions(ctx, officer, quizID, 0)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "question flags", []string{questions.Questions[0].Flag, questions.Questions[1].Flag, questions.Questions[2].Flag},
			[]string{report.FlagNegative, report.FlagNoProblem, report.FlagTooEasy})
		survey, err := svc.Survey(ctx, officer, commune)
		if err != nil {
			t.Fatal(err)
		}
		if survey.Participants != 9 || survey.Questions[0].Options[0].Count != 6 {
			t.Errorf("survey = %d participants, q1:A %d; want 9 and 6", survey.Participants, survey.Questions[0].Options[0].Count)
		}
		trend, err := svc.Trend(ctx, officer, report.Query{QuizID: quizID}, "year")
		if err != nil {
			t.Fatal(err)
		}
		if len(trend.Points) != 2 || trend.ThisYear.Participants != 9 || trend.LastYear.Participants != 1 {
			t.Errorf("trend = %s, want 2025 and 2026 with 1 and 9 participants", asJSON(t, trend))
		}
	})

	awareness := func(staff auth.Staff, q report.Query, groupBy string) func() error {
		return func() error {
			_, err := svc.Awareness(ctx, staff, report.AwarenessQuery{Query: q, GroupBy: groupBy})
			return err
		}
	}
	errTests := []struct {
		name string
		call func() error
		want apperr.Code
	}{
		{"an organizer may not read reports", awareness(organizer, commune, ""), apperr.Forbidden},
		{"an organizer may not read question analysis", func() error { _, err := svc.Questions(ctx, organizer, quizID, 0); return err }, apperr.Forbidden},
		{"a unit outside the officer's commune is not found", awareness(officer, report.Query{QuizID: quizID, UnitID: "k1"}, ""), apperr.NotFound},
		{"the province above the officer's commune is not found", awareness(officer, report.Query{QuizID: quizID, UnitID: "th"}, ""), apperr.NotFound},
		{"a unit that does not exist is not found", awareness(officer, report.Query{QuizID: quizID, UnitID: "nowhere"}, ""), apperr.NotFound},
		{"a quiz that does not exist is not found", awareness(officer, report.Query{QuizID: "no-such-quiz"}, ""), apperr.NotFound},
		{"a quiz for another commune is not found", awareness(officer, report.Query{QuizID: forKhe.ID}, ""), apperr.NotFound},
		{"another commune's officer cannot see a quiz for one village of Cẩm Thủy", awareness(khe, report.Query{QuizID: forDong.ID}, ""), apperr.NotFound},
		{"a month without two digits is invalid", awareness(officer, report.Query{QuizID: quizID, From: "2026-3"}, ""), apperr.Validation},
		{"month 13 is invalid", awareness(officer, report.Query{QuizID: quizID, To: "2026-13"}, ""), apperr.Validation},
		{"a range that ends before it starts is invalid", awareness(officer, report.Query{QuizID: quizID, From: "2026-05", To: "2026-04"}, ""), apperr.Validation},
		{"an unknown grouping is invalid", awareness(officer, commune, "district"), apperr.Validation},
		{"a missing quiz id is invalid", awareness(officer, report.Query{}, ""), apperr.Validation},
		{"an unknown period is invalid", func() error { _, err := svc.Trend(ctx, officer, commune, "week"); return err }, apperr.Validation},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); apperr.CodeOf(err) != tt.want {
				t.Errorf("error = %v, want code %s", err, tt.want)
			}
		})
	}
}
