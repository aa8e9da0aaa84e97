package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apiclient"
	"github.com/nq58/tracker/internal/quiz/attempts"
)

// The journeys below are driven by the client generated from api/openapi.yaml alone
// (internal/apiclient), as a third party would build on the description: a request the
// client cannot type or an answer it cannot decode fails here, and the gateway's contract
// check validates every exchange as in every other test.

// newGeneratedClient is the generated client on base, with a staff token when token is not "".
func newGeneratedClient(t *testing.T, base, token string) *apiclient.ClientWithResponses {
	t.Helper()
	var opts []apiclient.ClientOption
	if token != "" {
		opts = append(opts, apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	}
	c, err := apiclient.NewClientWithResponses(base, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantStatus fails the test unless an answer has the status wanted.
func wantStatus(t *testing.T, what string, got, want int, body []byte) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d (%.300s); want %d", what, got, body, want)
	}
}

func TestTheGeneratedClientTakesAResidentThroughAQuiz(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := newGeneratedClient(t, e.URL, "")
	before := e.Stack.Contract.Checked()

	units, err := c.ListUnitsWithResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/units", units.StatusCode(), http.StatusOK, units.Body)
	found := false
	for _, u := range list(units.JSON200.Units) {
		found = found || u.Id == village
	}
	if !found {
		t.Fatalf("GET /v1/units: no unit %s among %d units", village, len(list(units.JSON200.Units)))
	}

	quizzes, err := c.ListQuizzesWithResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/quizzes", quizzes.StatusCode(), http.StatusOK, quizzes.Body)
	listed := false
	for _, q := range list(quizzes.JSON200.Quizzes) {
		listed = listed || q.Id == demoQuiz
	}
	if !listed {
		t.Fatalf("GET /v1/quizzes: %s not listed", demoQuiz)
	}

	name, phone, consent := "Nguyễn Thị Hoa", "0912000111", true
	body := apiclient.StartRequest{Consent: &consent, ClientId: "generated-client-device"}
	body.Participant.UnitId, body.Participant.Name, body.Participant.Phone = village, &name, &phone
	start, err := c.StartAttemptWithResponse(ctx, demoQuiz, body)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "POST /v1/quizzes/{quizId}/attempts", start.StatusCode(), http.StatusCreated, start.Body)
	// The bank's key answers the drawn questions; the client's own types carry them.
	var drawn []attempts.PublicQuestion
	for _, q := range list(start.JSON201.Questions) {
		drawn = append(drawn, attempts.PublicQuestion{ID: q.Id})
	}
	answers := clientAnswers(t, e.answers(demoQuiz, drawn, true))

	attemptID, token := start.JSON201.AttemptId, start.JSON201.AttemptToken
	submit, err := c.SubmitAttemptWithResponse(ctx, attemptID, apiclient.SubmitRequest{AttemptToken: token, Answers: &answers})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "POST /v1/attempts/{attemptId}/submit", submit.StatusCode(), http.StatusOK, submit.Body)
	got := submit.JSON200
	if got.Score == nil || got.MaxScore == nil || *got.Score != *got.MaxScore || got.Passed == nil || !*got.Passed {
		t.Errorf("submit with every answer right: score %v of %v, passed %v; want the full score, passed", deref(got.Score), deref(got.MaxScore), deref(got.Passed))
	}

	result, err := c.GetAttemptWithResponse(ctx, attemptID, &apiclient.GetAttemptParams{Token: &token})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/attempts/{attemptId}", result.StatusCode(), http.StatusOK, result.Body)
	if result.JSON200.AttemptId != attemptID || deref(result.JSON200.Score) != deref(got.Score) {
		t.Errorf("the result again: attempt %s score %v; want %s score %v", result.JSON200.AttemptId, deref(result.JSON200.Score), attemptID, deref(got.Score))
	}

	if n := e.Stack.Contract.Checked() - before; n != 5 {
		t.Errorf("exchanges checked against the description: got %d, want 5 (units, quizzes, start, submit, result)", n)
	}
}

func TestTheGeneratedClientTakesAnOfficerToAReportAndItsExport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler()) // the API with the development sign-in
	t.Cleanup(srv.Close)
	before := e.Stack.Contract.Checked()

	token := clientSignIn(t, srv.URL, "canbo")
	c := newGeneratedClient(t, srv.URL, token)

	me, err := c.MeWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/admin/me", me.StatusCode(), http.StatusOK, me.Body)
	if me.JSON200.Username != "canbo" || !containsAbility(list(me.JSON200.Can), apiclient.Action("read-reports")) {
		t.Errorf("GET /v1/admin/me: %s may %v; want canbo, who may read-reports", me.JSON200.Username, me.JSON200.Can)
	}

	quizID, unitID := demoQuiz, "xa-a"
	report, err := c.AwarenessReportWithResponse(ctx, &apiclient.AwarenessReportParams{QuizId: &quizID, UnitId: &unitID})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/reports/awareness", report.StatusCode(), http.StatusOK, report.Body)
	if report.JSON200 == nil {
		t.Fatalf("GET /v1/reports/awareness: %.300s; want a JSON report", report.Body)
	}
	// The answer is one of the open quiz's report and a random sample's (sampleId).
	aw, err := report.JSON200.AsAwareness()
	if err != nil || aw.QuizId != demoQuiz || aw.UnitId != unitID || len(list(aw.Rows)) == 0 {
		t.Fatalf("GET /v1/reports/awareness: %.300s; want the report of %s in %s with its rows", report.Body, demoQuiz, unitID)
	}

	csv := apiclient.AwarenessReportParamsFormatCsv
	export, err := c.AwarenessReportWithResponse(ctx, &apiclient.AwarenessReportParams{QuizId: &quizID, UnitId: &unitID, Format: &csv})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /v1/reports/awareness?format=csv", export.StatusCode(), http.StatusOK, export.Body)
	if ct := export.HTTPResponse.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("the export's Content-Type: got %q, want text/csv", ct)
	}
	// One line per group plus the header and the total, as the JSON answer has them.
	lines := strings.Count(strings.TrimSpace(string(export.Body)), "\n") + 1
	if want := len(list(aw.Rows)) + 2; lines < want {
		t.Errorf("the export has %d lines; want at least %d (header, %d groups, total)", lines, want, len(list(aw.Rows)))
	}

	// The sign-in is the local gateway's own route, outside the description: 3 exchanges checked.
	if n := e.Stack.Contract.Checked() - before; n != 3 {
		t.Errorf("exchanges checked against the description: got %d, want 3 (me, report, export)", n)
	}
}

// clientSignIn signs in with the development sign-in (POST /local/signin, the local
// stand-in for Cognito, which is not part of the API's description) and returns the token.
func clientSignIn(t *testing.T, base, user string) string {
	t.Helper()
	return signIn(t, base, user)
}

// clientAnswers turns the journey helpers' answers into the generated client's type.
func clientAnswers(t *testing.T, in []map[string]any) []apiclient.Answer {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out []apiclient.Answer
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func containsAbility(can []apiclient.Action, want apiclient.Action) bool {
	for _, c := range can {
		if c == want {
			return true
		}
	}
	return false
}

// list is a list the description allows to be null (a nil slice) as a slice.
func list[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// Every query parameter and body field the description types (an integer, an enum, a
// bound, no unknown field) is one the API checks too: a request the description refuses
// is refused by the API, never answered with a default (the gateway's contract check also
// fails the test when it is not).
func TestRequestsTheDescriptionRefusesAreRefusedByTheAPI(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	contestID := e.newContest(t, "ct-typed-params", "xa-a", now.Add(-time.Hour), now.Add(time.Hour)).ID
	admin, err := e.Stack.Issuer.Token("admin", []string{"admin"}, "th", now.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	round := "/v1/admin/contests/" + contestID + "/rounds/r1"
	tests := []struct {
		name, method, path string
		body               any
		want               int
	}{
		{"a report's minGroup that is not a number is refused", "GET", "/v1/reports/awareness?quizId=" + demoQuiz + "&unitId=xa-a&minGroup=abc", nil, http.StatusUnprocessableEntity},
		{"the trend's minGroup that is not a number is refused", "GET", "/v1/reports/trend?quizId=" + demoQuiz + "&unitId=xa-a&minGroup=5x", nil, http.StatusUnprocessableEntity},
		{"a ranking's limit that is not a number is refused", "GET", round + "/ranking?limit=ten", nil, http.StatusUnprocessableEntity},
		{"the entries in a format other than JSON or CSV are refused", "GET", round + "/entries?format=pdf", nil, http.StatusUnprocessableEntity},
		{"a report grouped by something unknown is refused", "GET", "/v1/reports/awareness?quizId=" + demoQuiz + "&unitId=xa-a&groupBy=street", nil, http.StatusUnprocessableEntity},
		{"a report's month not written YYYY-MM is refused", "GET", "/v1/reports/topics?quizId=" + demoQuiz + "&unitId=xa-a&from=2026-13", nil, http.StatusUnprocessableEntity},
		{"an activity of a topic the plan does not have is refused", "POST", "/v1/activities",
			map[string]any{"unitId": "xa-a", "type": "conference", "date": "2026-11-01", "topics": []string{"f"}}, http.StatusUnprocessableEntity},
		{"an activity of an unknown type is refused", "POST", "/v1/activities",
			map[string]any{"unitId": "xa-a", "type": "party", "date": "2026-11-01"}, http.StatusUnprocessableEntity},
		{"an activity with a field the API does not know is refused", "POST", "/v1/activities",
			map[string]any{"unitId": "xa-a", "type": "conference", "date": "2026-11-01", "place": "nhà văn hoá"}, http.StatusBadRequest},
		{"a print of no sheets is refused", "POST", "/v1/paper/prints",
			map[string]any{"quizId": demoQuiz, "unitId": village, "count": 0}, http.StatusUnprocessableEntity},
		{"a print in an unknown variant is refused", "POST", "/v1/paper/prints",
			map[string]any{"quizId": demoQuiz, "unitId": village, "count": 5, "variant": "large"}, http.StatusUnprocessableEntity},
		{"a staff member invited with an unknown role is refused", "POST", "/v1/admin/staff",
			map[string]any{"username": "canbo2", "email": "canbo2@example.vn", "role": "mayor", "scopeUnitId": "xa-a"}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw, _ := staffRequest(t, srv.URL, admin, tt.method, tt.path, tt.body)
			if status != tt.want {
				t.Errorf("%s %s: status %d (%.200s); want %d", tt.method, tt.path, status, raw, tt.want)
			}
		})
	}
}
