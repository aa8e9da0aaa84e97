package e2e

import (
	"context"
	"testing"

	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/paper/sheets"
)

// freshSheet prints one sheet of the demo quiz for the village as an admin and returns
// its code.
func (e *authzEnv) freshSheet(t *testing.T) string {
	t.Helper()
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	v, err := sheets.NewService(e.Stack.Store, e.Clock.Now).Print(context.Background(), admin,
		sheets.PrintRequest{QuizID: demoQuiz, UnitID: village, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	return v.Codes[0]
}

// The paper routes' rows of the route × caller matrix: collectors, officers and admins
// in the village's subtree; organisers never.
func init() {
	staffRoutes["POST /v1/paper/prints"] = expect{build: func(*testing.T, *authzEnv) call {
		return jsonCall("POST", "/v1/paper/prints", map[string]any{"quizId": demoQuiz, "unitId": village, "count": 2})
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201, collector: 201}
	staffRoutes["GET /v1/paper/sheets/{code}"] = expect{build: func(t *testing.T, e *authzEnv) call {
		return call{method: "GET", path: "/v1/paper/sheets/" + e.freshSheet(t)}
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200, collector: 200}
	staffRoutes["PUT /v1/paper/sheets/{code}"] = expect{build: func(t *testing.T, e *authzEnv) call {
		return jsonCall("PUT", "/v1/paper/sheets/"+e.freshSheet(t), map[string]any{"channel": "paper", "answers": []any{}})
	}, inScope: 201, outOfScope: 404, organizer: 403, admin: 201, collector: 201}
	staffRoutes["POST /v1/paper/uploads"] = expect{build: func(t *testing.T, e *authzEnv) call {
		csv := "code,village,birthYear,gender,organization,q1\n" + e.freshSheet(t) + "," + village + ",1950,nữ,Hội Nông dân,A\n"
		return call{method: "POST", path: "/v1/paper/uploads", contentType: "text/csv", body: []byte(csv)}
	}, inScope: 200, outOfScope: 422, organizer: 403, admin: 200, collector: 200}
	staffRoutes["POST /v1/paper/sheets/{code}/correction"] = expect{build: func(t *testing.T, e *authzEnv) call {
		code := e.freshSheet(t)
		admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
		if _, err := sheets.NewService(e.Stack.Store, e.Clock.Now).Enter(context.Background(), admin, code,
			sheets.EntryRequest{Channel: "paper", Gender: "male"}); err != nil {
			t.Fatal(err)
		}
		return jsonCall("POST", "/v1/paper/sheets/"+code+"/correction", map[string]any{"channel": "paper", "gender": "female",
			"reason": "Nhập nhầm giới tính"})
	}, inScope: 200, outOfScope: 404, organizer: 403, admin: 200, collector: 200}
	staffRoutes["GET /v1/paper/progress"] = expect{build: get("/v1/paper/progress?quizId=" + demoQuiz + "&unitId=" + village),
		inScope: 200, outOfScope: 404, organizer: 403, admin: 200, collector: 200}
}
