package e2e

// Attack tests of issue 22 ("The public edge holds"): what a stranger at the public edge
// tried, and what must hold.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestOneStartGivesAtMostOneEntryWhateverTheSpellingOfItsID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-mot-luot", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	ct.Contest.AttemptsPerRound = 1
	ct.Version = 1 // the version newContest stored
	if err := e.Stack.Store.PutQuiz(ctx, ct); err != nil {
		t.Fatal(err)
	}
	e.Bank[ct.ID] = ct

	s := e.start(ct.ID, entrant("0977000101", "Lê Văn Tám", village, ""))
	body := map[string]any{"attemptToken": s.AttemptToken, "answers": e.answers(ct.ID, s.Questions, true), "prediction": 9}
	id := s.AttemptID
	upper := strings.ToUpper(id)
	spellings := []string{upper, "{" + id + "}", "{" + upper + "}", "urn:uuid:" + id, "URN:UUID:" + upper,
		strings.ReplaceAll(id, "-", ""), strings.ReplaceAll(upper, "-", "")}
	for _, sp := range spellings {
		t.Run("a submit under "+sp+" is not found", func(t *testing.T) {
			if status, raw := e.call("POST", "/v1/attempts/"+sp+"/submit", body); status != http.StatusNotFound {
				t.Errorf("submit = %d %s, want 404", status, raw)
			}
			if status, raw := e.call("GET", "/v1/attempts/"+sp+"?token="+s.AttemptToken, nil); status != http.StatusNotFound {
				t.Errorf("result = %d %s, want 404", status, raw)
			}
		})
	}
	t.Run("the canonical id is submitted", func(t *testing.T) {
		if status, raw := e.call("POST", "/v1/attempts/"+id+"/submit", body); status != http.StatusOK {
			t.Fatalf("submit = %d %s, want 200", status, raw)
		}
	})
	t.Run("the contest holds exactly one ranked entry for the start", func(t *testing.T) {
		all, err := e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored, ranked := 0, 0
		for _, a := range all {
			if a.QuizID == ct.ID {
				stored++
				if a.Ranked {
					ranked++
				}
			}
		}
		t.Logf("one start token, %d spellings of its id: %d stored entries, %d ranked", len(spellings)+1, stored, ranked)
		if stored != 1 || ranked != 1 {
			t.Errorf("stored %d entries (%d ranked), want 1 (1 ranked)", stored, ranked)
		}
	})
}

func TestEveryRouteAndImportTakesTextByTheOneRule(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	admin := signIn(t, srv.URL, "admin")
	start := func(name string) map[string]any {
		return map[string]any{"participant": map[string]any{"unitId": village, "name": name, "phone": "0977000201"},
			"consent": true, "clientId": "device-edge"}
	}
	named := func(name string) []byte {
		raw, err := json.Marshal(start(name))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	cases := []struct {
		name   string
		body   []byte
		status int
	}{
		{"a key in upper case does not give consent", []byte(`{"participant":{"unitId":"` + village + `","name":"An","phone":"0977000202"},"consent":false,"CONSENT":true,"clientId":"d1"}`), 400},
		{"a repeated key does not give consent", []byte(`{"participant":{"unitId":"` + village + `","name":"An","phone":"0977000203"},"consent":false,"consent":true,"clientId":"d2"}`), 400},
		{"invalid UTF-8 in the body is refused, not replaced", []byte("{\"participant\":{\"unitId\":\"" + village + "\",\"name\":\"An\xff\",\"phone\":\"0977000204\"},\"consent\":true,\"clientId\":\"d3\"}"), 400},
		{"a name with a right-to-left override is refused", named("Nguyễn \u202eaoH"), 422},
		{"a name with a bidi isolate is refused", named("Nguyễn \u2067Hoa\u2069"), 422},
		{"a name with a zero-width space is refused", named("Nguyễn\u200bHoa"), 422},
		{"a name with a zero-width joiner is refused", named("Nguyễn\u200dHoa"), 422},
		{"a name with a byte-order mark is refused", named("\ufeffNguyễn Hoa"), 422},
		{"a name with a C1 control is refused", named("Nguyễn\u0085Hoa"), 422},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if status, raw := e.call("POST", "/v1/quizzes/"+demoQuiz+"/attempts", c.body); status != c.status {
				t.Errorf("start = %d %s, want %d", status, raw, c.status)
			}
		})
	}
	t.Run("a name typed with combining marks is kept in NFC", func(t *testing.T) {
		s := e.start(demoQuiz, startBody{Participant: map[string]any{"unitId": village, "name": "Nguye\u0302\u0303n Hoa", "phone": "0977000205"},
			Consent: true, ClientID: "device-nfc"})
		status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, true))
		if status != http.StatusOK {
			t.Fatalf("submit = %d %s", status, raw)
		}
		a, err := e.Stack.Store.GetAttempt(context.Background(), s.AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Participant.Name != "Nguyễn Hoa" {
			t.Errorf("stored name %+q, want %+q", a.Participant.Name, "Nguyễn Hoa")
		}
	})

	for _, name := range []string{"Thôn\x00Mới", "Thôn\x1bMới", "Thôn\u2028Mới", "Thôn \u202eiớM", "Thôn\u200bMới"} {
		t.Run(fmt.Sprintf("a unit import with the name %+q is refused", name), func(t *testing.T) {
			csv := "id,parentId,name,kind,population,households\nxa-a-t98,xa-a," + name + ",village,300,80\n"
			status, raw, _ := staffRequest(t, srv.URL, admin, "POST", "/v1/admin/imports/units", typed{"text/csv", []byte(csv)})
			if status != 422 {
				t.Errorf("import = %d %s, want 422", status, raw)
			}
		})
	}
	for _, email := range []string{"moi\u0085@example.vn", "moi\u2028@example.vn", "m\u202eoi@example.vn", "moi\u200b@example.vn"} {
		t.Run(fmt.Sprintf("a staff e-mail %+q is refused", email), func(t *testing.T) {
			status, raw, _ := staffRequest(t, srv.URL, admin, "POST", "/v1/admin/staff",
				map[string]any{"username": "moi-edge", "email": email, "role": "officer", "scopeUnitId": "xa-a"})
			if status != 422 {
				t.Errorf("invite = %d %s, want 422", status, raw)
			}
		})
	}
}

func TestAPhoneInAFreeTextAnswerCannotBeGuessedFromTheStoredDigest(t *testing.T) {
	e := newEnv(t)
	const phone = "0912345678"
	s := e.start(demoSurvey, resident(village, "0977000301", "device-digest"))
	answers := e.answers(demoSurvey, s.Questions, true)
	texts := 0
	for _, a := range answers {
		if _, ok := a["text"]; ok {
			a["text"], texts = phone, texts+1
		}
	}
	if texts == 0 {
		t.Fatal("the demo survey has no free-text question")
	}
	if status, raw := e.submit(s.AttemptID, s.AttemptToken, answers); status != http.StatusOK {
		t.Fatalf("submit = %d %s", status, raw)
	}
	a, err := e.Stack.Store.GetAttempt(context.Background(), s.AttemptID)
	if err != nil {
		t.Fatal(err)
	}
	// Someone who reads the stored item (res.h and the choices) and knows how the digest
	// is made tries the 100 numbers around the phone, the text in place of each answer's.
	recovered := ""
	for n := range 100 {
		guess := fmt.Sprintf("09123456%02d", n)
		h := sha256.New()
		for _, x := range a.Answers {
			h.Write([]byte(x.QuestionID))
			h.Write([]byte{0})
			for _, id := range x.OptionIDs {
				h.Write([]byte(id))
				h.Write([]byte{1})
			}
			h.Write([]byte{byte(x.Value), 0})
			if x.Text != "" {
				h.Write([]byte(guess))
			}
			h.Write([]byte{2})
		}
		if hex.EncodeToString(h.Sum(nil)) == a.AnswersHash {
			recovered = guess
		}
	}
	t.Logf("100 guesses against the stored digest recovered %q", recovered)
	if recovered != "" {
		t.Errorf("the stored digest gave away the phone %s typed into a free-text answer", recovered)
	}
}
