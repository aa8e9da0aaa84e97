package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/nq58/tracker/api"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/demo"
)

// Every exchange of these tests is checked against api/openapi.yaml by the local gateway
// itself (StackOptions.Contract, on in every testenv stack): a violation fails the test
// that caused it when the test ends.

func TestTheOpenAPIDescriptionIsServed(t *testing.T) {
	e := newEnv(t)
	status, body := e.call("GET", "/v1/openapi.json", nil)
	want, err := api.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || !bytes.Equal(body, want) {
		t.Errorf("GET /v1/openapi.json: status %d, %d bytes; want 200 and the %d bytes of api/openapi.yaml as JSON", status, len(body), len(want))
	}
}

func TestEveryTestStackChecksTheContract(t *testing.T) {
	e := newEnv(t)
	if e.Stack.Contract == nil {
		t.Fatal("the test stack has no contract check: testenv must turn StackOptions.Contract on")
	}
	before := e.Stack.Contract.Checked()
	e.call("GET", "/v1/units", nil)
	if got := e.Stack.Contract.Checked() - before; got != 1 {
		t.Errorf("exchanges checked for one GET /v1/units: got %d, want 1", got)
	}
}

// contractEnv is the gateway with the sign-in routes and tokens for each kind of staff.
type contractEnv struct {
	*env
	base                      string
	officer, collector, admin string
}

func newContractEnv(t *testing.T) *contractEnv {
	t.Helper()
	p := newPaperEnv(t)
	return &contractEnv{env: p.env, base: p.base, collector: p.collector, admin: p.admin, officer: signIn(t, p.base, "canbo")}
}

// The mismatches issue 24 lists: each exchange goes through the gateway's contract
// check, which fails the test when the answer is not as described.
func TestDownloadsAreDescribedAsTheFilesTheyAre(t *testing.T) {
	e := newContractEnv(t)
	tests := []struct {
		name, path, wantType string
	}{
		{"the activity log downloads as CSV", "/v1/activities?unitId=xa-a&format=csv", "text/csv"},
		{"the activity log downloads as a workbook", "/v1/activities?unitId=xa-a&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"the annual evaluation is a workbook by default", "/v1/reports/annual?unitId=xa-a&year=2026", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"the annual evaluation prints as a page", "/v1/reports/annual?unitId=xa-a&year=2026&format=html", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw, h := staffRequest(t, e.base, e.officer, "GET", tt.path, nil)
			if got := h.Get("Content-Type"); status != http.StatusOK || !strings.HasPrefix(got, tt.wantType) {
				t.Errorf("GET %s: status %d, Content-Type %q (%.200s); want 200 and %s", tt.path, status, got, raw, tt.wantType)
			}
			if h.Get("Content-Disposition") == "" {
				t.Errorf("GET %s: no Content-Disposition; want the file's name", tt.path)
			}
		})
	}
}

func TestThePaperProgressWithoutAQuizIsAnIncompleteRequest(t *testing.T) {
	e := newContractEnv(t)
	status, raw, _ := staffRequest(t, e.base, e.collector, "GET", "/v1/paper/progress?unitId="+village, nil)
	var got struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(raw, &got); err != nil || status != http.StatusUnprocessableEntity || got.Error.Code != "validation" || !strings.Contains(got.Error.Message, "quizId") {
		t.Errorf("GET /v1/paper/progress without quizId: %d %s; want 422 validation naming quizId", status, raw)
	}
}

func TestTheQuizListLeavesOutTimesAQuizDoesNotHave(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := demo.LoadContest(ctx, e.Stack.Store, e.Stack.Keys, rounds.NewService(e.Stack.Store, e.Clock.Now), e.Clock.Now(), e.Stack.DrainStreams); err != nil {
		t.Fatalf("load the demo contest: %v", err)
	}
	status, raw := e.call("GET", "/v1/quizzes", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /v1/quizzes: %d %s", status, raw)
	}
	var list struct {
		Quizzes []map[string]any `json:"quizzes"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range list.Quizzes {
		if q["id"] != demo.ContestID {
			continue
		}
		found = true
		for _, k := range []string{"opensAt", "closesAt"} {
			if v, ok := q[k]; ok {
				t.Errorf("the contest's %s: got %v; want it left out (its times are its rounds')", k, v)
			}
		}
	}
	if !found {
		t.Errorf("GET /v1/quizzes: no %s in %s", demo.ContestID, raw)
	}
	if bytes.Contains(raw, []byte("0001-01-01")) {
		t.Errorf("GET /v1/quizzes sends a zero time: %s", raw)
	}
}

func TestStaffInvitesAndStartsAreDescribedAsTheAPIReadsThem(t *testing.T) {
	e := newContractEnv(t)
	tests := []struct {
		name       string
		token      string
		method     string
		path       string
		body       any
		wantStatus int
	}{
		{"an admin invites a paper collector", e.admin, "POST", "/v1/admin/staff",
			map[string]any{"username": "nhapphieu2", "email": "nhapphieu2@example.com", "role": "collector", "scopeUnitId": village}, http.StatusCreated},
		{"an invitation without an e-mail address is refused", e.admin, "POST", "/v1/admin/staff",
			map[string]any{"username": "canbo9", "role": "officer", "scopeUnitId": village}, http.StatusUnprocessableEntity},
		{"a start without the device's id is refused", "", "POST", "/v1/quizzes/" + demoQuiz + "/attempts",
			map[string]any{"participant": map[string]any{"unitId": village}, "consent": true}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw, _ := staffRequest(t, e.base, tt.token, tt.method, tt.path, tt.body)
			if status != tt.wantStatus {
				t.Errorf("%s %s: got %d %s; want %d", tt.method, tt.path, status, raw, tt.wantStatus)
			}
		})
	}
}
