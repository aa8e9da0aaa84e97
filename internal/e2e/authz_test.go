package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/sample/samples"
	"github.com/nq58/tracker/internal/samtemplate"
)

// A caller of the matrix: a token (or none) and what it stands for.
type persona struct {
	name  string
	token string
}

// call is one request of the matrix.
type call struct {
	method, path, contentType string
	body                      []byte
}

// expect is the status each persona must get; out-of-scope callers must also not see
// the other commune's data.
type expect struct {
	build                                 func(t *testing.T, e *authzEnv) call
	inScope, outOfScope, organizer, admin int
	outOfScopeAlso                        int // a second acceptable status (imports answer row errors)
	// collector is a village collector's status (scope xa-a-t01); 0 stands for 403, as
	// collectors may do nothing but paper sheets.
	collector int
}

type authzEnv struct {
	*env
	scopedDraft func() string // a fresh draft quiz scoped to commune xa-a
	scopedPub   func() string // a fresh published quiz scoped to xa-a
	n           int
}

// openContest is a fresh contest of commune xa-a whose round is open now.
func (e *authzEnv) openContest(t *testing.T) string {
	t.Helper()
	e.n++
	now := e.Clock.Now()
	return e.newContest(t, fmt.Sprintf("ct-open-%d", e.n), "xa-a", now.Add(-time.Hour), now.Add(time.Hour)).ID
}

// endedContest is a fresh contest of commune xa-a whose only round has ended; closed
// also closes it.
func (e *authzEnv) endedContest(t *testing.T, closed bool) string {
	t.Helper()
	e.n++
	now := e.Clock.Now()
	id := e.newContest(t, fmt.Sprintf("ct-ended-%d", e.n), "xa-a", now.Add(-48*time.Hour), now.Add(-24*time.Hour)).ID
	if closed {
		admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
		if _, err := rounds.NewService(e.Stack.Store, e.Clock.Now).CloseRound(context.Background(), admin, id, "r1"); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func (e *authzEnv) draft(t *testing.T, status quiz.Status) string {
	t.Helper()
	q := e.Bank[demoQuiz]
	q.ID = "scoped-" + strings.ReplaceAll(time.Now().Format("150405.000000000"), ".", "")
	q.ScopeUnitID, q.Status, q.Title = "xa-a", status, "Bài riêng của xã A"
	if err := e.Stack.Store.PutQuiz(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return q.ID
}

func jsonCall(method, path string, v any) call {
	b, _ := json.Marshal(v)
	return call{method: method, path: path, contentType: "application/json", body: b}
}

func get(path string) func(*testing.T, *authzEnv) call {
	return func(*testing.T, *authzEnv) call { return call{method: "GET", path: path} }
}

// staffRoutes has a row for every staff route; a route in template.yaml without a row
// fails the test.
var staffRoutes = map[string]expect{
	"GET /v1/admin/me":          {build: get("/v1/admin/me"), inScope: 200, outOfScope: 200, organizer: 200, admin: 200, collector: 200},
	"GET /v1/reports/awareness": {build: get("/v1/reports/awareness?quizId=" + demoQuiz + "&unitId=xa-a"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/topics":    {build: get("/v1/reports/topics?quizId=" + demoQuiz + "&unitId=xa-a"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/questions": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/reports/questions?quizId=" + e.scopedPub()}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/survey": {build: get("/v1/reports/survey?quizId=" + demoSurvey + "&unitId=xa-a"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/trend":  {build: get("/v1/reports/trend?quizId=" + demoQuiz + "&unitId=xa-a&period=month"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/annual": {build: get("/v1/reports/annual?unitId=xa-a&year=2026&format=xlsx"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/change": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/reports/change?quizId=" + demoQuiz + "&baseQuizId=" + e.scopedPub() + "&unitId=xa-a"}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/sample-size": {build: get("/v1/reports/sample-size?unitId=xa-a&marginOfError=5"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/reports/methods":     {build: get("/v1/reports/methods"), inScope: 200, outOfScope: 200, organizer: 200, admin: 200, collector: 200},
	"POST /v1/activities": {build: func(*testing.T, *authzEnv) call {
		return jsonCall("POST", "/v1/activities", map[string]any{"unitId": village, "type": "loudspeaker", "date": "2026-11-02", "topics": []string{"a"}, "audience": 120, "note": "Phát thanh 3 buổi"})
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201},
	"GET /v1/activities":    {build: get("/v1/activities?unitId=xa-a"), inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/admin/quizzes": {build: get("/v1/admin/quizzes"), inScope: 200, outOfScope: 200, organizer: 200, admin: 200},
	"POST /v1/admin/quizzes": {build: func(*testing.T, *authzEnv) call {
		return jsonCall("POST", "/v1/admin/quizzes", newQuizBody("xa-a"))
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201},
	"GET /v1/admin/quizzes/{quizId}": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/admin/quizzes/" + e.scopedDraft()}
	}, inScope: 200, outOfScope: 404, organizer: 200, admin: 200},
	"PUT /v1/admin/quizzes/{quizId}": {build: func(t *testing.T, e *authzEnv) call {
		return jsonCall("PUT", "/v1/admin/quizzes/"+e.scopedDraft(), newQuizBody("xa-a"))
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/quizzes/{quizId}/publish": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "POST", path: "/v1/admin/quizzes/" + e.scopedDraft() + "/publish"}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/quizzes/{quizId}/close": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "POST", path: "/v1/admin/quizzes/" + e.scopedPub() + "/close"}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/imports/questions": {build: func(t *testing.T, e *authzEnv) call {
		csv := "kind,text,topic,points,option1,option2,correct\nsingle,Nghị quyết 58 do cơ quan nào ban hành?,a,1,Bộ Chính trị,Quốc hội,1\n"
		return call{method: "POST", path: "/v1/admin/imports/questions?quizId=" + e.scopedDraft(), contentType: "text/csv", body: []byte(csv)}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/contests/{quizId}/rounds/{roundId}/close": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "POST", path: "/v1/admin/contests/" + e.endedContest(t, false) + "/rounds/r1/close"}
	}, inScope: 403, outOfScope: 403, organizer: 200, admin: 200},
	"GET /v1/admin/contests/{quizId}/rounds/{roundId}/ranking": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/admin/contests/" + e.openContest(t) + "/rounds/r1/ranking"}
	}, inScope: 200, outOfScope: 404, organizer: 200, admin: 200},
	"GET /v1/admin/contests/{quizId}/rounds/{roundId}/winners": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/admin/contests/" + e.endedContest(t, true) + "/rounds/r1/winners"}
	}, inScope: 200, outOfScope: 404, organizer: 200, admin: 200},
	"GET /v1/admin/contests/{quizId}/rounds/{roundId}/entries": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/admin/contests/" + e.openContest(t) + "/rounds/r1/entries?format=csv"}
	}, inScope: 403, outOfScope: 403, organizer: 200, admin: 200},
	"GET /v1/admin/contests/{quizId}/rounds/{roundId}/flags": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/admin/contests/" + e.openContest(t) + "/rounds/r1/flags"}
	}, inScope: 403, outOfScope: 403, organizer: 200, admin: 200},
	"POST /v1/admin/contests/{quizId}/entries/{entryId}/disqualify": {build: func(t *testing.T, e *authzEnv) call {
		id := e.openContest(t)
		e.enter(t, id, entrant(fmt.Sprintf("09330000%02d", e.n), "Ngô Văn Phú", village, ""), 3, 5, time.Minute)
		attempts, err := e.Stack.Store.SubmittedAttempts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		entry := ""
		for _, a := range attempts {
			if a.QuizID == id {
				entry = a.ID
			}
		}
		return jsonCall("POST", "/v1/admin/contests/"+id+"/entries/"+entry+"/disqualify", map[string]any{"reason": "Trùng người dự thi"})
	}, inScope: 403, outOfScope: 403, organizer: 200, admin: 200},
	"POST /v1/admin/contests/{quizId}/entries/{entryId}/keep": {build: func(t *testing.T, e *authzEnv) call {
		id := e.openContest(t)
		e.enter(t, id, entrant(fmt.Sprintf("09340000%02d", e.n), "Ngô Văn Phú", village, ""), 3, 5, time.Minute)
		attempts, err := e.Stack.Store.SubmittedAttempts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		entry := ""
		for _, a := range attempts {
			if a.QuizID == id {
				entry = a.ID
			}
		}
		return jsonCall("POST", "/v1/admin/contests/"+id+"/entries/"+entry+"/keep", map[string]any{"reason": "Đã gọi điện xác minh"})
	}, inScope: 403, outOfScope: 403, organizer: 200, admin: 200},
	"POST /v1/admin/quizzes/{quizId}/questions/{questionId}/correction": {build: func(t *testing.T, e *authzEnv) call {
		id := e.scopedPub()
		return jsonCall("POST", "/v1/admin/quizzes/"+id+"/questions/"+e.Bank[demoQuiz].Questions[0].ID+"/correction", map[string]any{"void": true})
	}, inScope: 202, outOfScope: 404, organizer: 403, admin: 202},
	"GET /v1/admin/quizzes/{quizId}/regrade-jobs/{jobId}": {build: func(t *testing.T, e *authzEnv) call {
		id := e.scopedPub()
		admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
		res, err := authoring.NewService(e.Stack.Store, e.Clock.Now).Correct(context.Background(), admin, id,
			e.Bank[demoQuiz].Questions[0].ID, authoring.CorrectionInput{Void: true})
		if err != nil {
			t.Fatal(err)
		}
		return call{method: "GET", path: "/v1/admin/quizzes/" + id + "/regrade-jobs/" + res.Job.ID}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/quizzes/{quizId}/purge-personal-data": {build: func(t *testing.T, e *authzEnv) call {
		return call{method: "POST", path: "/v1/admin/quizzes/" + e.draft(t, quiz.Closed) + "/purge-personal-data"}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/imports/units": {build: func(*testing.T, *authzEnv) call {
		csv := "id,parentId,name,kind,population,households\nxa-a-t99,xa-a,Thôn Mới,village,300,80\n"
		return call{method: "POST", path: "/v1/admin/imports/units", contentType: "text/csv", body: []byte(csv)}
	}, inScope: 200, outOfScope: 404, outOfScopeAlso: 422, organizer: 403, admin: 200},
	// Staff management: admins only, within their subtree (internal/staffdir tests the reach).
	"GET /v1/admin/staff": {build: get("/v1/admin/staff"), inScope: 403, outOfScope: 403, organizer: 403, admin: 200},
	"POST /v1/admin/staff": {build: func(t *testing.T, e *authzEnv) call {
		e.n++
		return jsonCall("POST", "/v1/admin/staff", map[string]any{"username": fmt.Sprintf("moi-%d", e.n),
			"email": fmt.Sprintf("moi-%d@example.vn", e.n), "role": "officer", "scopeUnitId": "xa-a"})
	}, inScope: 403, outOfScope: 403, organizer: 403, admin: 201},
	"POST /v1/admin/staff/{username}/disable": {build: func(t *testing.T, e *authzEnv) call {
		e.n++
		name := fmt.Sprintf("cu-%d", e.n)
		if err := e.Stack.Issuer.Users().Add(localauth.User{Username: name, Role: "officer", Scope: "xa-a"}); err != nil {
			t.Fatal(err)
		}
		return call{method: "POST", path: "/v1/admin/staff/" + name + "/disable"}
	}, inScope: 403, outOfScope: 403, organizer: 403, admin: 204},
	// Random samples: the unit's admins and officers (internal/sample/samples tests the rules).
	"GET /v1/admin/samples": {build: get("/v1/admin/samples?quizId=" + demoQuiz), inScope: 200, outOfScope: 200, organizer: 200, admin: 200},
	"POST /v1/admin/samples": {build: func(*testing.T, *authzEnv) call {
		return jsonCall("POST", "/v1/admin/samples", map[string]any{"quizId": demoQuiz, "unitId": "xa-a", "perVillage": 2})
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201},
	"GET /v1/admin/samples/{sampleId}": {build: func(t *testing.T, e *authzEnv) call {
		id, _ := e.sample(t, false, false)
		return call{method: "GET", path: "/v1/admin/samples/" + id}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"PUT /v1/admin/samples/{sampleId}/frame": {build: func(t *testing.T, e *authzEnv) call {
		id, _ := e.sample(t, false, false)
		return call{method: "PUT", path: "/v1/admin/samples/" + id + "/frame", contentType: "text/csv", body: []byte("unitId,code\nxa-a-t01,H1\n")}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/samples/{sampleId}/draw": {build: func(t *testing.T, e *authzEnv) call {
		id, _ := e.sample(t, true, false)
		return jsonCall("POST", "/v1/admin/samples/"+id+"/draw", map[string]any{"seed": "ma-tran"})
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"POST /v1/admin/samples/{sampleId}/outcomes": {build: func(t *testing.T, e *authzEnv) call {
		id, code := e.sample(t, true, true)
		return jsonCall("POST", "/v1/admin/samples/"+id+"/outcomes", map[string]any{"code": code, "outcome": "absent"})
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"GET /v1/admin/samples/{sampleId}/sheets": {build: func(t *testing.T, e *authzEnv) call {
		id, _ := e.sample(t, true, true)
		return call{method: "GET", path: "/v1/admin/samples/" + id + "/sheets"}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200},
	"PUT /v1/admin/samples/{sampleId}/responses/{code}": {build: func(t *testing.T, e *authzEnv) call {
		id, code := e.sample(t, true, true)
		return jsonCall("PUT", "/v1/admin/samples/"+id+"/responses/"+code, map[string]any{"answers": []any{}})
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201},
}

// sample is a fresh sample of commune xa-a, with a frame of two codes in xa-a-t01 when
// framed and drawn (one code) when drawn; it answers its id and a drawn code.
func (e *authzEnv) sample(t *testing.T, framed, drawn bool) (id, code string) {
	t.Helper()
	ctx := context.Background()
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	svc := samples.NewService(e.Stack.Store, e.Clock.Now)
	v, err := svc.Create(ctx, admin, samples.CreateRequest{QuizID: demoQuiz, UnitID: "xa-a", PerVillage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if framed {
		if _, err := svc.PutFrame(ctx, admin, v.ID, "text/csv", []byte("unitId,code\nxa-a-t01,H1\nxa-a-t01,H2\n")); err != nil {
			t.Fatal(err)
		}
	}
	if drawn {
		d, err := svc.Draw(ctx, admin, v.ID, samples.DrawRequest{Seed: "ma-tran"})
		if err != nil {
			t.Fatal(err)
		}
		code = d.Villages[0].Codes[0].Code
	}
	return v.ID, code
}

func newQuizBody(scope string) map[string]any {
	return map[string]any{"kind": "quiz", "title": "Tìm hiểu Nghị quyết 58 (xã A)", "scopeUnitId": scope, "timeLimitSec": 600,
		"questions": []any{map[string]any{"kind": "single", "text": "Nghị quyết 58-NQ/TW ban hành năm nào?", "topic": "a", "points": 1,
			"options": []any{map[string]any{"text": "2020"}, map[string]any{"text": "2021"}}, "correctOptionIndexes": []int{0}}}}
}

func TestEveryRouteAnswersEachKindOfCaller(t *testing.T) {
	e := &authzEnv{env: newEnv(t)}
	e.scopedDraft = func() string { return e.draft(t, quiz.Draft) }
	e.scopedPub = func() string { return e.draft(t, quiz.Published) }
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)

	tok := func(user string, groups []string, scope string, exp time.Time) string {
		s, err := e.Stack.Issuer.Token(user, groups, scope, exp)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Tokens live on the gateway's clock (the test clock).
	later := e.Clock.Now().Add(time.Hour)
	other, err := localauth.NewIssuer(nil, localgw.LocalIssuer, localgw.LocalAudience, nil)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := other.Token("canbo", []string{"officer"}, "xa-a", later)
	if err != nil {
		t.Fatal(err)
	}
	inScope := persona{"officer in scope", tok("canbo", []string{"officer"}, "xa-a", later)}
	outOfScope := persona{"officer out of scope", tok("canbo2", []string{"officer"}, "xa-b", later)}
	organizer := persona{"organizer", tok("btc", []string{"organizer"}, "xa-a", later)}
	collector := persona{"collector of a village", tok("nhapphieu", []string{"collector"}, village, later)}
	admin := persona{"admin", tok("admin", []string{"admin"}, "th", later)}
	unauthenticated := []persona{
		{"anonymous", ""},
		{"expired token", tok("canbo", []string{"officer"}, "xa-a", e.Clock.Now().Add(-time.Minute))},
		{"token signed by another key", forged},
	}

	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.Routes()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes {
		if r.Authorizer == "" {
			continue // resident routes: covered by the journey tests
		}
		row, ok := staffRoutes[r.RouteKey()]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix", r.RouteKey())
			continue
		}
		t.Run(r.RouteKey(), func(t *testing.T) {
			for _, p := range unauthenticated {
				if status, _ := send(t, srv.URL, row.build(t, e), p.token); status != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", p.name, status)
				}
			}
			for _, c := range []struct {
				p    persona
				want []int
			}{
				{inScope, []int{row.inScope}}, {outOfScope, []int{row.outOfScope, row.outOfScopeAlso}},
				{organizer, []int{row.organizer}}, {admin, []int{row.admin}}, {collector, []int{cmp.Or(row.collector, 403)}},
			} {
				status, body := send(t, srv.URL, row.build(t, e), c.p.token)
				if !containsStatus(c.want, status) {
					t.Errorf("%s: status %d (%.300s), want %v", c.p.name, status, body, c.want)
				}
				// Commune A's units, its quizzes and a village name (the caller's own upload
				// may be echoed back in a row error, which reveals nothing).
				if c.p == outOfScope && (strings.Contains(body, `"xa-a"`) || strings.Contains(body, `"xa-a-t0`) ||
					strings.Contains(body, "scoped-") || strings.Contains(body, "Thôn Phong Ý")) {
					t.Errorf("%s sees commune A's data: %.300s", c.p.name, body)
				}
			}
		})
	}
}

func containsStatus(want []int, got int) bool {
	for _, w := range want {
		if w != 0 && w == got {
			return true
		}
	}
	return false
}

func send(t *testing.T, base string, c call, token string) (int, string) {
	t.Helper()
	status, raw, _ := staffRequest(t, base, token, c.method, c.path, typed{c.contentType, c.body})
	return status, string(raw)
}
