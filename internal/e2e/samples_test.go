package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/sample/samples"
)

// TestARandomSampleOverTheGateway runs a sample's routes through the gateway, whose
// contract check holds every request and answer to api/openapi.yaml.
func TestARandomSampleOverTheGateway(t *testing.T) {
	p := newPaperEnv(t)
	officer := p.token(t, "canbo", "officer", "xa-a")
	call := func(t *testing.T, token, method, path string, body any, want int) []byte {
		t.Helper()
		status, raw, _ := staffRequest(t, p.base, token, method, path, body)
		if status != want {
			t.Fatalf("%s %s = %d %s, want %d", method, path, status, raw, want)
		}
		return raw
	}
	created := decodeJSON[samples.View](t, call(t, officer, "POST", "/v1/admin/samples",
		map[string]any{"quizId": demoQuiz, "unitId": "xa-a", "perVillage": 3}, http.StatusCreated))
	base := "/v1/admin/samples/" + created.ID

	t.Run("a frame with a name column is refused by row", func(t *testing.T) {
		raw := call(t, officer, "PUT", base+"/frame", typed{"text/csv", []byte("unitId,code,name\nxa-a-t01,H1,An\n")}, http.StatusUnprocessableEntity)
		if !strings.Contains(string(raw), `"rows"`) {
			t.Errorf("got %s, want the row errors", raw)
		}
	})
	frame := "unitId,code\n"
	for _, c := range []string{"H01", "H02", "H03", "H04", "H05"} {
		frame += "xa-a-t01," + c + "\nxa-a-t02,T2-" + c + "\n"
	}
	fr := decodeJSON[samples.FrameResult](t, call(t, officer, "PUT", base+"/frame", typed{"text/csv", []byte(frame)}, http.StatusOK))
	if fr.Total != 10 || len(fr.FrameSHA256) != 64 {
		t.Errorf("frame: got %+v", fr)
	}
	drawn := decodeJSON[samples.View](t, call(t, officer, "POST", base+"/draw", map[string]any{"seed": "hop-thon-2026"}, http.StatusOK))
	t.Run("the draw shows its seed and frame hash, three codes a village", func(t *testing.T) {
		if drawn.Seed != "hop-thon-2026" || drawn.FrameSHA256 != fr.FrameSHA256 || len(drawn.Villages) != 2 || len(drawn.Villages[0].Codes) != 3 {
			t.Errorf("got %+v", drawn)
		}
	})
	t.Run("a second draw is a conflict", func(t *testing.T) {
		call(t, officer, "POST", base+"/draw", map[string]any{}, http.StatusConflict)
	})
	t.Run("an outcome of a drawn code is recorded", func(t *testing.T) {
		call(t, officer, "POST", base+"/outcomes", map[string]any{"code": drawn.Villages[0].Codes[0].Code, "outcome": "moved"}, http.StatusOK)
		got := decodeJSON[samples.View](t, call(t, officer, "GET", base, nil, http.StatusOK))
		if got.Villages[0].Codes[0].Outcome != "moved" {
			t.Errorf("got %+v", got.Villages[0].Codes[0])
		}
	})
	t.Run("the sample's figures come from the awareness route, labelled", func(t *testing.T) {
		r := decodeJSON[samples.Report](t, call(t, officer, "GET", "/v1/reports/awareness?sampleId="+created.ID, nil, http.StatusOK))
		if r.Label != "mẫu ngẫu nhiên" || r.Total.Drawn != 6 || r.Total.Moved != 1 || len(r.Rows) != 2 {
			t.Errorf("got %+v", r)
		}
		csv := call(t, officer, "GET", "/v1/reports/awareness?format=csv&sampleId="+created.ID, nil, http.StatusOK)
		if !strings.Contains(string(csv), "mẫu ngẫu nhiên") {
			t.Errorf("the CSV does not say it is a random sample: %.200s", csv)
		}
	})
	t.Run("entering sample sheets leaves the open quiz's awareness report unchanged", func(t *testing.T) {
		ctx := context.Background()
		// Residents on their phones, so that the open quiz's report has figures to keep.
		for i, right := range []bool{true, false, true} {
			st := p.start(demoQuiz, resident(village, "", fmt.Sprintf("device-sample-%d", i)))
			if status, raw := p.submit(st.AttemptID, st.AttemptToken, p.answers(demoQuiz, st.Questions, right)); status != http.StatusOK {
				t.Fatalf("submit = %d %s", status, raw)
			}
		}
		if err := p.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		open := "/v1/reports/awareness?quizId=" + demoQuiz + "&unitId=xa-a"
		before := call(t, officer, "GET", open, nil, http.StatusOK)
		if !strings.Contains(string(before), `"participants":3`) {
			t.Fatalf("the open quiz's report before: %.400s, want the 3 residents counted", before)
		}

		sheets := decodeJSON[samples.SheetsView](t, call(t, officer, "GET", base+"/sheets?unitId=xa-a-t02", nil, http.StatusOK))
		if len(sheets.Sheets) != 3 || len(sheets.Questions) == 0 || sheets.Label != "mẫu ngẫu nhiên" {
			t.Fatalf("sheets: got %d sheets, %d questions, label %q", len(sheets.Sheets), len(sheets.Questions), sheets.Label)
		}
		bank := p.Bank[demoQuiz]
		for _, sh := range sheets.Sheets {
			var answers []map[string]any
			for _, pq := range sheets.Questions {
				answers = append(answers, map[string]any{"questionId": pq.ID, "optionIds": []string{rightOption(t, bank, pq.ID)}})
			}
			call(t, officer, "PUT", base+"/responses/"+sh.Code, map[string]any{"answers": answers}, http.StatusCreated)
		}
		call(t, officer, "PUT", base+"/responses/"+sheets.Sheets[0].Code, map[string]any{"answers": []any{}}, http.StatusConflict)
		if err := p.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		if after := call(t, officer, "GET", open, nil, http.StatusOK); string(after) != string(before) {
			t.Errorf("the open quiz's report changed:\nbefore %s\nafter  %s", before, after)
		}
		r := decodeJSON[samples.Report](t, call(t, officer, "GET", "/v1/reports/awareness?sampleId="+created.ID, nil, http.StatusOK))
		if r.Total.Responded != 3 || r.Rows[1].Responded != 3 {
			t.Errorf("the sample's report: got %d responses (%+v), want 3 in xa-a-t02", r.Total.Responded, r.Rows)
		}
	})
	t.Run("another commune's officer does not see the sample", func(t *testing.T) {
		other := p.token(t, "canbo2", "officer", "xa-b")
		call(t, other, "GET", base, nil, http.StatusNotFound)
		if raw := call(t, other, "GET", "/v1/admin/samples?quizId="+demoQuiz, nil, http.StatusOK); strings.Contains(string(raw), created.ID) {
			t.Errorf("the list shows another commune's sample: %s", raw)
		}
	})
	t.Run("the quiz's list shows the sample to its officer", func(t *testing.T) {
		if raw := call(t, officer, "GET", "/v1/admin/samples?quizId="+demoQuiz, nil, http.StatusOK); !strings.Contains(string(raw), created.ID) {
			t.Errorf("got %s, want the sample", raw)
		}
	})
}

// rightOption is the first correct option of a question of the bank (a single-answer
// question's answer; a multiple one's first, which is still a valid sheet).
func rightOption(t *testing.T, bank quiz.Quiz, questionID string) string {
	t.Helper()
	for _, q := range bank.Questions {
		if q.ID == questionID && len(q.CorrectOptionIDs) > 0 {
			return q.CorrectOptionIDs[0]
		}
	}
	for _, q := range bank.Questions {
		if q.ID == questionID && len(q.Options) > 0 {
			return q.Options[0].ID
		}
	}
	t.Fatalf("question %s: no option", questionID)
	return ""
}
