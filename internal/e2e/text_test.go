package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestControlCharactersAreRefusedInNamesAndFreeText(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-ky-tu", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	organizer := signIn(t, srv.URL, "btc")
	officer := signIn(t, srv.URL, "canbo")
	withOrg := entrant("0933000002", "Trần Văn Bình", village, "")
	withOrg.Participant["organization"] = "Hội\x00Nông dân"

	tests := []struct {
		name   string
		call   func() (int, []byte)
		status int
	}{
		{"a NUL byte in a participant's name", func() (int, []byte) {
			return e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", entrant("0933000001", "Trần\x00Bình", village, ""))
		}, 422},
		{"a NUL byte in an organisation", func() (int, []byte) {
			return e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", withOrg)
		}, 422},
		{"a line separator in an activity note", func() (int, []byte) {
			status, raw, _ := staffRequest(t, srv.URL, officer, "POST", "/v1/activities", map[string]any{"unitId": village,
				"type": "loudspeaker", "date": "2026-11-19", "topics": []string{"a"}, "audience": 10, "note": "Phát\u2028thanh"})
			return status, raw
		}, 422},
		{"a NUL byte in a quiz title", func() (int, []byte) {
			status, raw, _ := staffRequest(t, srv.URL, officer, "POST", "/v1/admin/quizzes", map[string]any{"kind": "quiz",
				"title": "Tìm hiểu\x00", "questions": []map[string]any{{"kind": "truefalse", "text": "Đúng?", "topic": "a", "points": 1, "correctOptionIndexes": []int{0}}}})
			return status, raw
		}, 422},
		{"an escape character in a question text", func() (int, []byte) {
			status, raw, _ := staffRequest(t, srv.URL, officer, "POST", "/v1/admin/quizzes", map[string]any{"kind": "quiz",
				"title": "Tìm hiểu", "questions": []map[string]any{{"kind": "truefalse", "text": "Đúng\x1b?", "topic": "a", "points": 1, "correctOptionIndexes": []int{0}}}})
			return status, raw
		}, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is a 422", func(t *testing.T) {
			if status, raw := tt.call(); status != tt.status || apperrCodeOf(t, raw) != "validation" || !strings.Contains(string(raw), "ký tự điều khiển") {
				t.Errorf("status %d %s, want %d validation about a control character", status, raw, tt.status)
			}
		})
	}

	t.Run("a NUL byte in a disqualification reason is a 422", func(t *testing.T) {
		s := e.start(ct.ID, entrant("0933000003", "Lê Văn Cường", village, ""))
		e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit", map[string]any{"attemptToken": s.AttemptToken,
			"answers": e.answers(ct.ID, s.Questions, true), "prediction": 1})
		status, raw, _ := staffRequest(t, srv.URL, organizer, "POST", "/v1/admin/contests/"+ct.ID+"/entries/"+s.AttemptID+"/disqualify",
			map[string]any{"reason": "Gian\x00lận"})
		if status != 422 || apperrCodeOf(t, raw) != "validation" {
			t.Errorf("disqualify = %d %s, want 422 validation", status, raw)
		}
	})
}

func apperrCodeOf(t *testing.T, raw []byte) string {
	t.Helper()
	return decodeJSON[struct{ Error struct{ Code string } }](t, raw).Error.Code
}
