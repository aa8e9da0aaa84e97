package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
)

// newContest stores a published contest of five single-choice questions from the demo
// bank, scoped to a commune, with one round, two attempts per round and four tiers.
// Phone verification is switched off: these tests are about what follows a start;
// verify_test.go starts contests that require it (newVerifiedContest).
func (e *env) newContest(t *testing.T, id, scope string, opens, closes time.Time) quiz.Quiz {
	t.Helper()
	off := false
	return e.putContest(t, id, scope, opens, closes, &off)
}

// putContest stores the contest newContest describes with the given verifyPhone setting
// (nil: the default, on since the contest has prizes).
func (e *env) putContest(t *testing.T, id, scope string, opens, closes time.Time, verifyPhone *bool) quiz.Quiz {
	t.Helper()
	var qs []quiz.Question
	for _, q := range e.Bank[demoQuiz].Questions {
		if q.Kind == quiz.Single && len(qs) < 5 {
			qs = append(qs, q)
		}
	}
	c := &contest.Config{Rounds: []contest.Round{{ID: "r1", OpensAt: opens, ClosesAt: closes}}, AttemptsPerRound: 2,
		Prizes: []contest.Prize{{Tier: "Nhất", Count: 1, Amount: 2000000}, {Tier: "Nhì", Count: 1, Amount: 1000000},
			{Tier: "Ba", Count: 1, Amount: 500000}, {Tier: "Khuyến khích", Count: 2, Amount: 200000}},
		Collective: contest.Collective{Count: 2}, VerifyPhone: verifyPhone,
		// A prize contest without verification is the organiser's confirmed choice.
		AllowUnverified: verifyPhone != nil && !*verifyPhone}
	c.Prediction.Text, c.Prediction.Truth = "Có bao nhiêu bài dự thi trong vòng này?", contest.TruthEntries
	q := quiz.Quiz{ID: id, Kind: quiz.KindContest, Title: "Hội thi tìm hiểu Nghị quyết 58", Status: quiz.Published,
		ScopeUnitID: scope, TimeLimitSec: 600, Shuffle: true, Questions: qs, Contest: c}
	if err := e.Stack.Store.PutQuiz(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	e.Bank[id] = q
	return q
}

func entrant(phone, name, unit, cccd string) startBody {
	p := map[string]any{"unitId": unit, "phone": phone, "name": name}
	if cccd != "" {
		p["cccd"] = cccd
	}
	return startBody{Participant: p, Consent: true, ClientID: "device-" + phone}
}

// enter starts and submits an entry: `right` of the five answers correct.
func (e *env) enter(t *testing.T, quizID string, who startBody, right int, prediction int64, took time.Duration) attempts.Result {
	t.Helper()
	s := e.start(quizID, who)
	answers := e.answers(quizID, s.Questions, true)
	for i := right; i < len(answers); i++ {
		q, _ := e.Bank[quizID].Question(s.Questions[i].ID)
		answers[i]["optionIds"] = []string{testenv.WrongOption(q)}
	}
	e.Clock.Advance(took)
	status, raw := e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit", map[string]any{"attemptToken": s.AttemptToken, "answers": answers, "prediction": prediction})
	if status != http.StatusOK {
		t.Fatalf("contest submit = %d %s", status, raw)
	}
	return decodeJSON[attempts.Result](t, raw)
}

func TestAContestRoundFromEntriesToWinners(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-58", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	round := "/v1/admin/contests/" + ct.ID + "/rounds/r1"

	// Shared by the steps, in the order they happen.
	var (
		results            = map[string]attempts.Result{} // by phone, as the submit answered
		kept               attempts.StartResponse         // an entry whose token the test keeps
		organizer, officer string                         // staff tokens
		closed             rounds.CloseResult
	)
	staff := func(t *testing.T, token, method, path string, body any) (int, []byte, http.Header) {
		t.Helper()
		return staffRequest(t, srv.URL, token, method, path, body)
	}

	if !t.Run("fifty concurrent starts by one person get exactly the two allowed entries", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// One person (one phone) on 50 devices: a device's own start limit stays out of the way.
				body := entrant("0977000001", "Trần Văn Dũng", village, "")
				body.ClientID = fmt.Sprintf("device-%d", i)
				status, _ := e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", body)
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if statuses[201] != 2 || statuses[409] != 48 {
			t.Errorf("statuses = %v, want 2 × 201 and 48 × 409", statuses)
		}
	}) {
		return
	}

	if !t.Run("entry rules are enforced", func(t *testing.T) {
		if err := e.Stack.Store.PutStaffPhones(ctx, []string{contest.PersonKey(e.Stack.Keys, "+84900000001")}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			body   startBody
			status int
		}{
			{"a staff account's phone may not enter", entrant("0900000001", "Cán Bộ", village, ""), 403},
			{"a phone is required", startBody{Participant: map[string]any{"unitId": village, "name": "Không Có Số"}, Consent: true, ClientID: "x"}, 422},
			{"a malformed CCCD is refused", entrant("0977000009", "Lê Thị Hằng", village, "12345"), 422},
			{"a village of another commune is refused", entrant("0977000010", "Hà Văn Nam", village2, ""), 422},
			{"a first use of a CCCD is taken", entrant("0977000002", "Phạm Thị Lan", village, "038190001234"), 201},
			{"the same CCCD with another phone conflicts", entrant("0977000003", "Phạm Văn Lâm", village, "038190001234"), 409},
			{"the same phone with another CCCD conflicts", entrant("0977000002", "Phạm Thị Lan", village, "038190005678"), 409},
			{"the other CCCD is still free for its owner", entrant("0977000004", "Trịnh Văn Phúc", village, "038190005678"), 201},
			{"the same phone with its own CCCD enters again", entrant("0977000002", "Phạm Thị Lan", village, "038190001234"), 201},
		}
		for _, c := range cases {
			status, raw := e.call("POST", "/v1/quizzes/"+ct.ID+"/attempts", c.body)
			if status != c.status {
				t.Errorf("%s: status %d (%s), want %d", c.name, status, raw, c.status)
			}
			if status == 409 && (strings.Contains(string(raw), "+84") || strings.Contains(string(raw), "Phạm")) {
				t.Errorf("%s: the conflict reveals whose the CCCD is: %s", c.name, raw)
			}
		}
	}) {
		return
	}

	if !t.Run("seven residents enter with scores from five down to one", func(t *testing.T) {
		// The field: scores 5, 5 (prediction decides), 4, 4 (duration decides), 3, 2, 1 and
		// one late entry and one all-wrong entry; the truth (entries: submitted attempts) will be 9.
		people := []struct {
			phone, name, unit string
			right             int
			prediction        int64
			took              time.Duration
		}{
			{"0911000001", "Nguyễn Văn An", village, 5, 9, 3 * time.Minute},
			{"0911000002", "Lê Thị Bình", village, 5, 12, 2 * time.Minute},
			{"0911000003", "Hoàng Văn Cường", "xa-a-t02", 4, 9, 4 * time.Minute},
			{"0911000004", "Đỗ Thị Dung", "xa-a-t02", 4, 9, 1 * time.Minute},
			{"0911000005", "Vũ Văn Em", "xa-a-t03", 3, 9, 2 * time.Minute},
			{"0911000006", "Bùi Thị Giang", "xa-a-t03", 2, 9, 2 * time.Minute},
			{"0911000007", "Phan Văn Hùng", village, 1, 9, 2 * time.Minute},
		}
		for _, p := range people {
			results[p.phone] = e.enter(t, ct.ID, entrant(p.phone, p.name, p.unit, ""), p.right, p.prediction, p.took)
		}
	}) {
		return
	}

	if !t.Run("a resident who answers everything wrong sees only a receipt during the round", func(t *testing.T) {
		kept = e.start(ct.ID, entrant("0911000009", "Tạ Thị Kim", "xa-a-t03", ""))
		if status, raw := e.call("POST", "/v1/attempts/"+kept.AttemptID+"/submit", map[string]any{"attemptToken": kept.AttemptToken,
			"answers": e.answers(ct.ID, kept.Questions, false), "prediction": 1}); status != 200 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		status, raw := e.call("GET", "/v1/attempts/"+kept.AttemptID+"?token="+kept.AttemptToken, nil)
		if status != 200 {
			t.Errorf("result during the round = %d %s, want 200", status, raw)
		}
		assertSealed(t, "the result during the round", raw)
	}) {
		return
	}

	if !t.Run("a contest submit answers with a receipt, the round's end and that the entry is ranked", func(t *testing.T) {
		r := results["0911000001"]
		if len(r.Review) != 0 || r.Score != 0 || r.Receipt == "" || r.ResultsAfter == nil || !r.ResultsAfter.Equal(ct.Contest.Rounds[0].ClosesAt.Add(quiz.SubmitGrace)) ||
			r.Ranked == nil || !*r.Ranked || r.RoundID != "r1" || r.RoundName != "Vòng 1" || r.Prediction == nil || *r.Prediction != 9 {
			t.Errorf("result = %+v, want a receipt, results after the round's end plus the grace, ranked, round r1 named Vòng 1, prediction 9", r)
		}
	}) {
		return
	}

	if !t.Run("a submit without the prediction is refused", func(t *testing.T) {
		s := e.start(ct.ID, entrant("0911000008", "Mai Văn Khoa", village, ""))
		status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(ct.ID, s.Questions, true))
		if status != 422 {
			t.Errorf("submit without prediction = %d %s, want 422", status, raw)
		}
		// Too late now: the entry is kept but not ranked.
		e.Clock.Advance(11 * time.Minute)
		status, raw = e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit", map[string]any{"attemptToken": s.AttemptToken, "answers": e.answers(ct.ID, s.Questions, true), "prediction": 9})
		late := decodeJSON[attempts.Result](t, raw)
		if status != 200 || late.Ranked == nil || *late.Ranked {
			t.Errorf("late submit = %d %s, want 200 and not ranked", status, raw)
		}
	}) {
		return
	}

	if !t.Run("the organiser and an officer sign in", func(t *testing.T) {
		organizer, officer = signIn(t, srv.URL, "btc"), signIn(t, srv.URL, "canbo")
	}) {
		return
	}

	if !t.Run("an organiser disqualifies an entry before the close, with a recorded reason", func(t *testing.T) {
		// Disqualify the fastest perfect entry (Lê Thị Bình would otherwise win).
		attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var binh string
		for _, a := range attempts {
			if a.Participant.Phone == "+84911000002" {
				binh = a.ID
			}
		}
		status, raw, _ := staff(t, organizer, "POST", "/v1/admin/contests/"+ct.ID+"/entries/"+binh+"/disqualify", map[string]any{"reason": "Khai sai thông tin"})
		if status != 200 {
			t.Fatalf("disqualify = %d %s", status, raw)
		}
		ds, err := e.Stack.Store.ListDecisions(ctx, ct.ID)
		if err != nil || len(ds) != 1 || ds[0].By != "btc" || ds[0].Reason != "Khai sai thông tin" || ds[0].AttemptID != binh {
			t.Errorf("decisions = %+v (%v), want one by btc with the reason", ds, err)
		}
		if status, _, _ := staff(t, officer, "POST", "/v1/admin/contests/"+ct.ID+"/entries/"+binh+"/disqualify", map[string]any{"reason": "x"}); status != 403 {
			t.Errorf("an officer disqualifying = %d, want 403", status)
		}
	}) {
		return
	}

	if !t.Run("a keep goes through the API only for an organiser, with a reason, on an entry still ranked", func(t *testing.T) {
		attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, a := range attempts {
			ids[a.Participant.Phone] = a.ID
		}
		keep := func(id string) string { return "/v1/admin/contests/" + ct.ID + "/entries/" + id + "/keep" }
		tests := []struct {
			name   string
			token  string
			path   string
			body   map[string]any
			status int
		}{
			{"an officer may not keep an entry", officer, keep(ids["+84911000001"]), map[string]any{"reason": "Đã xác minh"}, 403},
			{"a keep without a reason is refused", organizer, keep(ids["+84911000001"]), map[string]any{"reason": ""}, 422},
			{"a disqualified entry cannot be kept", organizer, keep(ids["+84911000002"]), map[string]any{"reason": "Đã xác minh"}, 409},
			{"an organiser keeps a ranked entry", organizer, keep(ids["+84911000001"]), map[string]any{"reason": "Đã xác minh"}, 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if status, raw, _ := staff(t, tt.token, "POST", tt.path, tt.body); status != tt.status {
					t.Errorf("keep = %d %s, want %d", status, raw, tt.status)
				}
			})
		}
		ds, err := e.Stack.Store.ListDecisions(ctx, ct.ID)
		var keeps []contest.Decision
		for _, d := range ds {
			if d.Keeps() {
				keeps = append(keeps, d)
			}
		}
		if err != nil || len(ds) != 2 || len(keeps) != 1 || keeps[0].By != "btc" || keeps[0].Reason != "Đã xác minh" || keeps[0].AttemptID != ids["+84911000001"] {
			t.Errorf("decisions = %+v (%v), want the disqualification and the keep by btc with its reason", ds, err)
		}
	}) {
		return
	}

	if !t.Run("a round cannot close before its end", func(t *testing.T) {
		if status, raw, _ := staff(t, organizer, "POST", round+"/close", nil); status != 409 {
			t.Errorf("early close = %d %s, want 409", status, raw)
		}
	}) {
		return
	}

	if !t.Run("after the round's end and before its close the result is still a receipt", func(t *testing.T) {
		e.Clock.Advance(3 * time.Hour)
		status, raw := e.call("GET", "/v1/attempts/"+kept.AttemptID+"?token="+kept.AttemptToken, nil)
		if status != 200 {
			t.Errorf("result after the round = %d %s, want 200", status, raw)
		}
		assertSealed(t, "the result before the close", raw)
	}) {
		return
	}

	if !t.Run("the organiser closes the round and gets the digest, 9 entries and the truth", func(t *testing.T) {
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		status, raw, _ := staff(t, organizer, "POST", round+"/close", nil)
		closed = decodeJSON[rounds.CloseResult](t, raw)
		if status != 200 || closed.Digest == "" || closed.Entries != 9 || closed.Truth != 9 {
			t.Fatalf("close = %d %s, want the digest, 9 entries and truth 9 (entries)", status, raw)
		}
	}) {
		return
	}

	if !t.Run("the score and the review appear once the round's results are frozen", func(t *testing.T) {
		status, raw := e.call("GET", "/v1/attempts/"+kept.AttemptID+"?token="+kept.AttemptToken, nil)
		if r := decodeJSON[attempts.Result](t, raw); status != 200 || len(r.Review) != 5 || r.MaxScore == 0 || r.Receipt == "" {
			t.Errorf("result after the close = %d %s, want the score, the review of 5 questions and the receipt", status, raw)
		}
	}) {
		return
	}

	if !t.Run("a second close is refused and the results stay as frozen", func(t *testing.T) {
		if status, _, _ := staff(t, organizer, "POST", round+"/close", nil); status != 409 {
			t.Errorf("second close = %d, want 409", status)
		}
		r, err := e.Stack.Store.GetResults(ctx, ct.ID, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := rounds.VerifyDigest(r); !ok || err != nil || r.Digest != closed.Digest {
			t.Errorf("stored results do not match their digest")
		}
		r.Lines[0].Score++
		if ok, _ := rounds.VerifyDigest(r); ok {
			t.Errorf("a changed snapshot still matches its digest")
		}
	}) {
		return
	}

	if !t.Run("the winners follow the ranking: score, then prediction, then duration", func(t *testing.T) {
		status, raw, _ := staff(t, organizer, "GET", round+"/winners", nil)
		var winners rounds.WinnersReport
		if status != 200 || json.Unmarshal(raw, &winners) != nil {
			t.Fatalf("winners = %d %s", status, raw)
		}
		var got []string
		for _, w := range winners.Winners {
			got = append(got, w.Tier+":"+w.Name)
		}
		want := []string{"Nhất:Nguyễn Văn An", "Nhì:Đỗ Thị Dung", "Ba:Hoàng Văn Cường", "Khuyến khích:Vũ Văn Em", "Khuyến khích:Bùi Thị Giang"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("winners = %v, want %v", got, want)
		}
		if winners.Masked || winners.Winners[0].Phone != "+84911000001" {
			t.Errorf("the organiser sees masked details: %+v", winners.Winners[0])
		}
	}) {
		return
	}

	if !t.Run("an officer sees the winners masked", func(t *testing.T) {
		status, raw, _ := staff(t, officer, "GET", round+"/winners", nil)
		if status != 200 || strings.Contains(string(raw), "+84911000001") || strings.Contains(string(raw), "Nguyễn Văn An") || !strings.Contains(string(raw), "Nguyễn V. A.") {
			t.Errorf("officer winners = %d %.400s, want masked names and phones", status, raw)
		}
	}) {
		return
	}

	if !t.Run("the winners workbook reads back", func(t *testing.T) {
		status, raw, _ := staff(t, organizer, "GET", round+"/winners?format=xlsx", nil)
		sheets, err := export.ReadXLSX(bytes.NewReader(raw))
		if status != 200 || err != nil {
			t.Fatalf("xlsx = %d, %v", status, err)
		}
		if rows := sheets["Giải cá nhân"]; len(rows) != 6 || rows[1][3] != "Nguyễn Văn An" || rows[1][4] != "0911 000 001" {
			t.Errorf("sheet Giải cá nhân = %v", rows)
		}
		if _, ok := sheets["Giải tập thể"]; !ok {
			t.Errorf("no sheet of collective prizes")
		}
	}) {
		return
	}

	if !t.Run("the public results are masked and carry the digest", func(t *testing.T) {
		status, raw := e.call("GET", "/v1/contests/"+ct.ID+"/rounds/r1/results", nil)
		var pub rounds.PublicResults
		if status != 200 || json.Unmarshal(raw, &pub) != nil {
			t.Fatalf("public results = %d %s", status, raw)
		}
		if pub.Digest != closed.Digest || pub.Truth != 9 || len(pub.Top) == 0 || pub.Top[0].Name != "Nguyễn V. A." || pub.Top[0].Phone != "09x xxx x001" {
			t.Errorf("public results = %+v", pub)
		}
		for _, personal := range []string{"+8491100", "Nguyễn Văn An", "Lê Thị Bình"} {
			if strings.Contains(string(raw), personal) {
				t.Errorf("public results reveal %q", personal)
			}
		}
	}) {
		return
	}

	if !t.Run("the entries export pages through every entry, ranked or not", func(t *testing.T) {
		seen, pages, cursor := 0, 0, ""
		for {
			list, next, err := e.Stack.Store.RoundPage(ctx, ct.ID, "r1", cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) > 3 {
				t.Fatalf("a page of %d entries, want at most 3", len(list))
			}
			seen += len(list)
			pages++
			if next == "" {
				break
			}
			cursor = next
		}
		if seen != 9 {
			t.Errorf("pages held %d entries, want 9 (7 ranked, 1 disqualified, 1 late)", seen)
		}
		status, raw, h := staff(t, organizer, "GET", round+"/entries?format=csv", nil)
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))).ReadAll()
		if status != 200 || err != nil || len(records) != 10 || h.Get("X-Next-Cursor") != "" {
			t.Errorf("entries csv = %d, %d records (%v), next %q; want header + 9", status, len(records), err, h.Get("X-Next-Cursor"))
		}
		if len(records) > 1 && records[1][1] != "Vòng 1" {
			t.Errorf("entries csv names the round %q, want its name %q (not its id)", records[1][1], "Vòng 1")
		}
		if len(records) > 1 {
			code, name := slices.Index(records[0], "Mã thôn"), slices.Index(records[0], "Thôn")
			if code < 0 || name < 0 || records[1][name] == "" || records[1][name] == records[1][code] {
				t.Errorf("entries csv header %q, first row %q: want each village's name beside its code", records[0], records[1])
			}
		}
		if status, _, _ := staff(t, officer, "GET", round+"/entries?format=csv", nil); status != 403 {
			t.Errorf("an officer exporting entries = %d, want 403", status)
		}
	}) {
		return
	}

	t.Run("fast entries are flagged", func(t *testing.T) {
		ct2 := e.newContest(t, "hoi-thi-nhanh", "xa-a", e.Clock.Now().Add(-time.Minute), e.Clock.Now().Add(time.Hour))
		e.enter(t, ct2.ID, entrant("0922000001", "Đinh Văn Tốc", village, ""), 5, 1, 2*time.Second)
		e.enter(t, ct2.ID, entrant("0922000002", "Đinh Thị Chậm", village, ""), 5, 1, 5*time.Minute)
		if err := e.Stack.DrainStreams(ctx); err != nil { // the aggregator flags entries
			t.Fatal(err)
		}
		status, raw, _ := staff(t, organizer, "GET", "/v1/admin/contests/"+ct2.ID+"/rounds/r1/flags", nil)
		var out struct{ Flags []rounds.Flag }
		if status != 200 || json.Unmarshal(raw, &out) != nil {
			t.Fatalf("flags = %d %s", status, raw)
		}
		fast := 0
		for _, f := range out.Flags {
			if f.Kind == "fast" {
				fast++
				if f.Name != "Đinh V. T." {
					t.Errorf("fast flag on %q, want Đinh V. T.", f.Name)
				}
			}
		}
		if fast != 1 {
			t.Errorf("flags = %+v, want one fast entry", out.Flags)
		}
	})
}

func TestAPrizeContestWithoutPhoneVerificationIsPublishedOnlyWhenTheOrganiserConfirms(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	btc, err := e.Stack.Issuer.Token("btc", []string{"organizer"}, "xa-a", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	body := func(title string, settings map[string]any) map[string]any {
		c := map[string]any{
			"rounds":     []map[string]any{{"id": "r1", "opensAt": now.Add(-time.Hour), "closesAt": now.Add(time.Hour)}},
			"prediction": map[string]string{"text": "Dự đoán số bài dự thi của vòng này", "truth": "entries"},
			"prizes":     []map[string]any{{"tier": "Nhất", "count": 1, "amount": 1000000}},
		}
		for k, v := range settings {
			c[k] = v
		}
		b := newQuizBody("xa-a")
		b["kind"], b["title"], b["contest"] = "contest", title, c
		return b
	}
	// createAndPublish answers the first refusal's status, or the publish's.
	createAndPublish := func(b map[string]any) (int, string, string) {
		st, raw, _ := staffRequest(t, srv.URL, btc, "POST", "/v1/admin/quizzes", b)
		if st != http.StatusCreated {
			return st, string(raw), ""
		}
		id := decodeJSON[struct{ ID string }](t, raw).ID
		st, raw, _ = staffRequest(t, srv.URL, btc, "POST", "/v1/admin/quizzes/"+id+"/publish", nil)
		return st, string(raw), id
	}
	listed := func(t *testing.T) map[string]json.RawMessage {
		t.Helper()
		e.Clock.Advance(quiz.CatalogTTL) // past the resident function's catalog cache
		st, raw := e.call("GET", "/v1/quizzes", nil)
		if st != http.StatusOK {
			t.Fatalf("quizzes = %d %s", st, raw)
		}
		var list struct{ Quizzes []map[string]json.RawMessage }
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatal(err)
		}
		out := map[string]json.RawMessage{}
		for _, q := range list.Quizzes {
			var id string
			_ = json.Unmarshal(q["id"], &id)
			out[id] = q["verifyPhone"]
		}
		return out
	}
	t.Run("a prize contest with verification off and no confirmation is refused with 422", func(t *testing.T) {
		st, raw, id := createAndPublish(body("Hội thi không xác minh", map[string]any{"verifyPhone": false}))
		if st != http.StatusUnprocessableEntity || !strings.Contains(raw, "allowUnverified") {
			t.Errorf("create and publish = %d %s, want 422 saying allowUnverified", st, raw)
		}
		if id != "" {
			if v, ok := listed(t)[id]; ok {
				t.Errorf("the refused contest is listed, verifyPhone %s", v)
			}
		}
	})
	var confirmed, verified string
	t.Run("with the organiser's confirmation it is published", func(t *testing.T) {
		st, raw, id := createAndPublish(body("Hội thi đã xác nhận", map[string]any{"verifyPhone": false, "allowUnverified": true}))
		if st != http.StatusOK {
			t.Errorf("create and publish = %d %s, want 200", st, raw)
		}
		confirmed = id
	})
	t.Run("with the default (prizes verify phones) it is published", func(t *testing.T) {
		st, raw, id := createAndPublish(body("Hội thi xác minh", nil))
		if st != http.StatusOK {
			t.Errorf("create and publish = %d %s, want 200", st, raw)
		}
		verified = id
	})
	t.Run("/v1/quizzes says on each contest whether it verifies phones", func(t *testing.T) {
		got := listed(t)
		for id, want := range map[string]string{confirmed: "false", verified: "true", demoQuiz: ""} {
			if string(got[id]) != want {
				t.Errorf("quiz %q: verifyPhone = %q, want %q", id, got[id], want)
			}
		}
	})
}
