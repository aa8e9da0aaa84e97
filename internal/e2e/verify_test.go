package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/throttle"
)

// verifier runs the resident's side of phone verification against a stack, reading
// the codes from the local SMS outbox at GET /local/sms.
type verifier struct {
	e   *env
	url string // the stack's whole handler: gateway plus /local routes
}

func newVerifier(t *testing.T, e *env) *verifier {
	t.Helper()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	return &verifier{e: e, url: srv.URL}
}

// newVerifiedContest stores newContest's contest with verification left at its
// default, which is on because the contest has prizes.
func (e *env) newVerifiedContest(t *testing.T, id string, opens, closes time.Time) quiz.Quiz {
	t.Helper()
	return e.putContest(t, id, "xa-a", opens, closes, nil)
}

// post sends a JSON body and returns status, body and headers.
func (v *verifier) post(t *testing.T, path string, body any) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Post(v.url+path, "application/json", jsonBody(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw, resp.Header
}

// request asks for a code and fails the test unless it is accepted.
func (v *verifier) request(t *testing.T, phone, quizID string) phoneverify.VerificationResponse {
	t.Helper()
	status, raw, _ := v.post(t, "/v1/verifications", map[string]string{"phone": phone, "quizId": quizID})
	if status != http.StatusAccepted {
		t.Fatalf("request verification: status %d, body %s", status, raw)
	}
	return decodeJSON[phoneverify.VerificationResponse](t, raw)
}

// lastCode reads the newest code sent to a (normalised) phone from GET /local/sms.
func (v *verifier) lastCode(t *testing.T, phone string) string {
	t.Helper()
	resp, err := http.Get(v.url + "/local/sms")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []struct {
			Phone  string    `json:"phone"`
			Code   string    `json:"code"`
			SentAt time.Time `json:"sentAt"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET /local/sms: %v", err)
	}
	for i := len(out.Messages) - 1; i >= 0; i-- {
		if out.Messages[i].Phone == phone {
			return out.Messages[i].Code
		}
	}
	t.Fatalf("no SMS to %s in the outbox", phone)
	return ""
}

func (v *verifier) confirm(t *testing.T, id, code string) (int, []byte, http.Header) {
	t.Helper()
	return v.post(t, "/v1/verifications/"+id+"/confirm", map[string]string{"code": code})
}

// verify runs the whole verification and returns the phone token.
func (v *verifier) verify(t *testing.T, phone, normalized, quizID string) string {
	t.Helper()
	r := v.request(t, phone, quizID)
	status, raw, _ := v.confirm(t, r.VerificationID, v.lastCode(t, normalized))
	if status != http.StatusOK {
		t.Fatalf("confirm: status %d, body %s", status, raw)
	}
	return decodeJSON[phoneverify.ConfirmResponse](t, raw).PhoneToken
}

// withToken adds a phone token to an entrant's start body.
func withToken(b startBody, token string) startBody {
	p := map[string]any{}
	for k, v := range b.Participant {
		p[k] = v
	}
	p["phoneToken"] = token
	b.Participant = p
	return b
}

// wrongCode is a code that differs from code.
func wrongCode(code string) string {
	n, _ := strconv.Atoi(code)
	return strconv.Itoa(100000 + (n+1)%900000)
}

func errorCode(t *testing.T, raw []byte) string {
	t.Helper()
	return decodeJSON[struct {
		Error struct{ Code, Message string } `json:"error"`
	}](t, raw).Error.Code
}

func TestAStrangerWithAVictimsPhoneCannotUseUpTheOwnersEntries(t *testing.T) {
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-xac-minh", now.Add(-time.Hour), now.Add(2*time.Hour))
	const victim, victimE164 = "0977000101", "+84977000101"
	const stranger, strangerE164 = "0977000202", "+84977000202"
	start := func(t *testing.T, body startBody) (int, []byte) {
		t.Helper()
		return e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", body)
	}

	t.Run("a start with the victim's phone and no phone token is refused as unverified", func(t *testing.T) {
		for range 2 {
			status, raw := start(t, entrant(victim, "Kẻ Lạ", village, ""))
			if status != http.StatusForbidden || errorCode(t, raw) != "phone_unverified" {
				t.Errorf("start = %d %s, want 403 phone_unverified", status, raw)
			}
		}
	})
	t.Run("a code requested for the victim's phone cannot be confirmed without the code", func(t *testing.T) {
		r := v.request(t, victim, ct.ID)
		code := v.lastCode(t, victimE164)
		status, raw, _ := v.confirm(t, r.VerificationID, wrongCode(code))
		if status != http.StatusUnprocessableEntity {
			t.Errorf("confirm with a guessed code = %d %s, want 422", status, raw)
		}
	})
	t.Run("a made-up phone token is refused as unverified", func(t *testing.T) {
		status, raw := start(t, withToken(entrant(victim, "Kẻ Lạ", village, ""), "0123456789abcdef0123456789abcdef.AAAA"))
		if status != http.StatusForbidden || errorCode(t, raw) != "phone_unverified" {
			t.Errorf("start = %d %s, want 403 phone_unverified", status, raw)
		}
	})
	t.Run("the stranger's own token starts entries as the stranger whatever phone is typed", func(t *testing.T) {
		token := v.verify(t, stranger, strangerE164, ct.ID)
		for i := range 2 {
			// Stored at the submit, from what the sealed start token carries.
			r := e.enter(t, ct.ID, withToken(entrant(victim, "Kẻ Lạ", village, ""), token), 1, 7, time.Minute)
			a, err := e.Stack.Store.GetAttempt(context.Background(), r.AttemptID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Participant.Phone != strangerE164 {
				t.Errorf("entry %d stored phone %q, want the verified %q", i+1, a.Participant.Phone, strangerE164)
			}
		}
		status, raw := start(t, withToken(entrant(victim, "Kẻ Lạ", village, ""), token))
		if status != http.StatusConflict {
			t.Errorf("the stranger's third start = %d %s, want 409 (their own two entries are used)", status, raw)
		}
	})
	t.Run("the owner verifies once and still has both entries", func(t *testing.T) {
		token := v.verify(t, victim, victimE164, ct.ID)
		for i := range 2 {
			if status, raw := start(t, withToken(entrant(victim, "Nguyễn Thị Hoa", village, ""), token)); status != http.StatusCreated {
				t.Errorf("the owner's start %d = %d %s, want 201", i+1, status, raw)
			}
		}
		status, raw := start(t, withToken(entrant(victim, "Nguyễn Thị Hoa", village, ""), token))
		if status != http.StatusConflict {
			t.Errorf("the owner's third start = %d %s, want 409", status, raw)
		}
	})
}

func TestFiveWrongCodesLockAVerification(t *testing.T) {
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-khoa-ma", now.Add(-time.Hour), now.Add(2*time.Hour))
	r := v.request(t, "0977000303", ct.ID)
	code := v.lastCode(t, "+84977000303")

	t.Run("each of five wrong codes is refused with the tries left", func(t *testing.T) {
		for i := range phoneverify.MaxCodeTries {
			status, raw, _ := v.confirm(t, r.VerificationID, wrongCode(code))
			want := http.StatusUnprocessableEntity
			if i == phoneverify.MaxCodeTries-1 {
				want = http.StatusTooManyRequests // the fifth wrong code locks it
			}
			if status != want {
				t.Errorf("wrong code %d = %d %s, want %d", i+1, status, raw, want)
			}
		}
	})
	t.Run("the right code after five wrong ones is locked out", func(t *testing.T) {
		status, raw, _ := v.confirm(t, r.VerificationID, code)
		if status != http.StatusTooManyRequests || errorCode(t, raw) != "locked" {
			t.Errorf("right code after the lock = %d %s, want 429 locked", status, raw)
		}
		var body struct{ Error struct{ Message string } }
		_ = json.Unmarshal(raw, &body)
		if want := "Bạn đã nhập sai mã 5 lần nên mã này bị khóa. Hãy bấm “Gửi mã” để nhận mã mới."; body.Error.Message != want {
			t.Errorf("message = %q, want %q", body.Error.Message, want)
		}
	})
	t.Run("a confirmed code cannot be confirmed again", func(t *testing.T) {
		r2 := v.request(t, "0977000303", ct.ID)
		code2 := v.lastCode(t, "+84977000303")
		if status, raw, _ := v.confirm(t, r2.VerificationID, code2); status != http.StatusOK {
			t.Fatalf("confirm = %d %s, want 200", status, raw)
		}
		if status, raw, _ := v.confirm(t, r2.VerificationID, code2); status != http.StatusConflict {
			t.Errorf("second confirm = %d %s, want 409", status, raw)
		}
	})
}

func TestCodesAreSentAtMostThreeTimesPerPhoneIn15Minutes(t *testing.T) {
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-gui-lai", now.Add(-time.Hour), now.Add(3*time.Hour))
	e.Clock.Advance(5 * time.Minute) // into the window that opened at 09:00

	t.Run("three codes for one phone are sent", func(t *testing.T) {
		for range phoneverify.ResendLimit {
			v.request(t, "0977000404", ct.ID)
		}
	})
	t.Run("a fourth is refused with 429 and Retry-After until the window ends", func(t *testing.T) {
		status, raw, h := v.post(t, "/v1/verifications", map[string]string{"phone": "0977000404", "quizId": ct.ID})
		if status != http.StatusTooManyRequests || errorCode(t, raw) != "rate_limited" {
			t.Errorf("fourth request = %d %s, want 429 rate_limited", status, raw)
		}
		if got := h.Get("Retry-After"); got != "600" {
			t.Errorf("Retry-After = %q, want 600 (seconds to the end of the 15-minute window)", got)
		}
	})
	t.Run("the same phone typed differently is the same phone", func(t *testing.T) {
		status, _, _ := v.post(t, "/v1/verifications", map[string]string{"phone": "+84 977 000 404", "quizId": ct.ID})
		if status != http.StatusTooManyRequests {
			t.Errorf("request = %d, want 429", status)
		}
	})
	t.Run("another phone is not limited", func(t *testing.T) {
		v.request(t, "0977000405", ct.ID)
	})
	t.Run("the phone gets codes again in the next window", func(t *testing.T) {
		e.Clock.Advance(10 * time.Minute)
		v.request(t, "0977000404", ct.ID)
	})
}

func TestAPhoneTokenStartsOnlyItsOwnContestUntilItExpires(t *testing.T) {
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	a := e.newVerifiedContest(t, "hoi-thi-a", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	b := e.newVerifiedContest(t, "hoi-thi-b", now.Add(-time.Hour), now.Add(30*24*time.Hour))
	token := v.verify(t, "0977000505", "+84977000505", a.ID)
	who := entrant("0977000505", "Lê Văn Tâm", village, "")

	t.Run("a token for contest A does not start contest B", func(t *testing.T) {
		status, raw := e.call("POST", "/v1/quizzes/"+b.ID+"/attempts", withToken(who, token))
		if status != http.StatusForbidden || errorCode(t, raw) != "phone_unverified" {
			t.Errorf("start B = %d %s, want 403 phone_unverified", status, raw)
		}
	})
	t.Run("the token starts contest A", func(t *testing.T) {
		e.start(a.ID, withToken(who, token))
	})
	t.Run("after seven days the token no longer starts contest A", func(t *testing.T) {
		e.Clock.Advance(phoneverify.PhoneTokenLife + time.Minute)
		status, raw := e.call("POST", "/v1/quizzes/"+a.ID+"/attempts", withToken(who, token))
		if status != http.StatusForbidden || errorCode(t, raw) != "phone_unverified" {
			t.Errorf("start A with an expired token = %d %s, want 403 phone_unverified", status, raw)
		}
	})
}

func TestVerificationAnswersTheSameForStaffEnteredAndFreshPhones(t *testing.T) {
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-kin-dao", now.Add(-time.Hour), now.Add(2*time.Hour))
	const staffPhone, entered, fresh = "0900000071", "0977000606", "0977000607"
	if err := e.Stack.Store.PutStaffPhones(context.Background(), []string{contest.PersonKey(e.Stack.Keys, "+84900000071")}); err != nil {
		t.Fatal(err)
	}
	token := v.verify(t, entered, "+84977000606", ct.ID)
	for range 2 {
		e.start(ct.ID, withToken(entrant(entered, "Vũ Thị Mai", village, ""), token))
	}

	type answer struct {
		status  int
		keys    []string
		expires time.Time
		header  string
	}
	ask := func(t *testing.T, phone string) answer {
		t.Helper()
		status, raw, h := v.post(t, "/v1/verifications", map[string]string{"phone": phone, "quizId": ct.ID})
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		if len(keys) == 2 && keys[0] > keys[1] {
			keys[0], keys[1] = keys[1], keys[0]
		}
		r := decodeJSON[phoneverify.VerificationResponse](t, raw)
		return answer{status: status, keys: keys, expires: r.ExpiresAt, header: h.Get("Content-Type") + "|" + h.Get("Retry-After")}
	}
	want := ask(t, fresh)
	if want.status != http.StatusAccepted || len(want.keys) != 2 {
		t.Fatalf("fresh phone: %+v, want 202 with verificationId and expiresAt", want)
	}
	for _, c := range []struct{ name, phone string }{
		{"a staff phone gets the answer a fresh phone gets", staffPhone},
		{"a phone that used its entries gets the answer a fresh phone gets", entered},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ask(t, c.phone)
			if got.status != want.status || got.keys[0] != want.keys[0] || got.keys[1] != want.keys[1] ||
				!got.expires.Equal(want.expires) || got.header != want.header {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	t.Run("the staff phone is refused only at the start, after a valid token", func(t *testing.T) {
		token := v.verify(t, staffPhone, "+84900000071", ct.ID)
		status, raw := e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", withToken(entrant(staffPhone, "Cán Bộ", village, ""), token))
		if status != http.StatusForbidden || errorCode(t, raw) != "forbidden" {
			t.Errorf("staff start = %d %s, want 403 forbidden", status, raw)
		}
	})
}

// smsCount is how many messages the local SMS outbox holds.
func (v *verifier) smsCount(t *testing.T) int {
	t.Helper()
	resp, err := http.Get(v.url + "/local/sms")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET /local/sms: %v", err)
	}
	return len(out.Messages)
}

func TestABotRotatingPhonesFromOneAddressCannotMakeUsPayForSMS(t *testing.T) {
	// The hourly SMS budget stays out of the way: this test is about one address.
	t.Setenv(throttle.EnvSMSBudget, "1000")
	e := newEnv(t)
	v := newVerifier(t, e)
	now := e.Clock.Now()
	ct := e.newVerifiedContest(t, "hoi-thi-sms", now.Add(-time.Hour), now.Add(2*time.Hour))
	const bot = "203.0.113.77:40000"
	statuses := map[int]int{}
	var refused http.Header
	var refusedBody []byte
	for i := range 21 {
		status, raw, h := e.from(bot, "POST", "/v1/verifications", map[string]string{"phone": fmt.Sprintf("0912%06d", i), "quizId": ct.ID}, nil)
		statuses[status]++
		if status == http.StatusTooManyRequests {
			refused, refusedBody = h, raw
		}
	}

	t.Run("the address's first 20 codes are sent and the next is refused", func(t *testing.T) {
		if statuses[http.StatusAccepted] != 20 || statuses[http.StatusTooManyRequests] != 1 {
			t.Errorf("statuses = %v, want 20 × 202 and 1 × 429", statuses)
		}
		if got := v.smsCount(t); got != 20 {
			t.Errorf("SMS sent = %d, want 20", got)
		}
	})
	t.Run("the refusal says rate_limited with Retry-After until the window ends", func(t *testing.T) {
		if got := refused.Get("Retry-After"); got != "3600" { // 09:00:00 starts the hour's window
			t.Errorf("Retry-After = %q, want 3600", got)
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(refusedBody, &body); err != nil || body.Error.Code != "rate_limited" || body.Error.Message == "" {
			t.Errorf("refusal body = %s, want code rate_limited with a message", refusedBody)
		}
	})
	t.Run("a resident at another address still gets a code", func(t *testing.T) {
		status, raw, _ := e.from("198.51.100.20:5000", "POST", "/v1/verifications", map[string]string{"phone": "0987654321", "quizId": ct.ID}, nil)
		if status != http.StatusAccepted {
			t.Errorf("request from another address = %d %s, want 202", status, raw)
		}
	})
}

func TestForgedViewerAddressesThroughTheLocalGatewayAreOneSource(t *testing.T) {
	t.Setenv(throttle.EnvSMSBudget, "1000") // this test is about sources, not the hourly budget
	// A stack as `make run` builds it: the gateway plays CloudFront and sets the viewer
	// address from the connection, whatever the client wrote.
	e := newEnvAsCloudFront(t)
	now := e.Clock.Now()
	ct := e.putContest(t, "hoi-thi-gia-mao", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour), nil)
	statuses := map[int]int{}
	for i := range 21 {
		forged := fmt.Sprintf("203.0.113.%d:4000", i+1)
		status, _, _ := e.from(forged, "POST", "/v1/verifications", map[string]string{"phone": fmt.Sprintf("0915%06d", i), "quizId": ct.ID},
			map[string]string{"X-Origin-Verify": "guess"})
		statuses[status]++
	}
	t.Run("21 requests with 21 forged viewer addresses are one source: 20 codes and 1 refusal", func(t *testing.T) {
		if statuses[http.StatusAccepted] != 20 || statuses[http.StatusTooManyRequests] != 1 {
			t.Errorf("statuses = %v, want 20 × 202 and 1 × 429", statuses)
		}
	})
}
