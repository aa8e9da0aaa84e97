package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/retention"
	"github.com/nq58/tracker/internal/testenv"
)

// After the purge a scan of the whole table finds none of the personal data a contest
// and a quiz collected — names, phones in any format, CCCDs, client ids, free text, and
// no unkeyed SHA-256 of any of them — while reports and the results digest stay the same.
func TestAPurgeLeavesNoPersonalDataInTheTable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	v := newVerifier(t, e)
	now := e.Clock.Now()
	organizer := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"} // the demo survey is province-wide

	// What people gave, in the forms they gave it.
	type person struct{ name, phone, normalized, cccd, client string }
	people := []person{
		{"Nguyễn Thị Thu Hằng", "0912 345 671", "+84912345671", "038190012345", "device-hang-7f3a"},
		{"Lê Văn Quyết", "84987654322", "+84987654322", "038090054321", "device-quyet-91c2"},
	}
	free := "Nhà tôi ở xóm Đồng, gọi 0901 234 567 nếu cần"

	ct := e.newVerifiedContest(t, "hoi-thi-du-lieu", now.Add(-time.Hour), now.Add(time.Hour))
	for i, p := range people {
		token := v.verify(t, p.phone, p.normalized, ct.ID)
		who := withToken(entrant(p.phone, p.name, village, p.cccd), token)
		who.ClientID = p.client
		who.Participant["organization"] = "Chi hội của " + p.name
		// An attempt is stored only at its submit (the start token carries it until then),
		// so both enter; an unsubmitted start is checked below.
		e.enter(t, ct.ID, who, 4-i, int64(3+i), 2*time.Minute)
	}
	// A verification that never became an entry, and one for an attempt still open.
	v.request(t, "0977 000 111", ct.ID)

	// The quiz: one resident with consent, one without, free text in the survey answers.
	withConsent := resident(village, people[0].phone, people[0].client+"-quiz")
	withConsent.Participant["name"], withConsent.Participant["birthYear"], withConsent.Participant["gender"] = people[0].name, 1975, "female"
	withConsent.Participant["organization"] = "Tổ liên gia của " + people[0].name
	anonymous := resident(village2, "", "device-anon-55aa")
	anonymous.Participant["organization"] = "Hội Phụ nữ, chị " + people[1].name
	var quizAttempts []string
	for _, body := range []startBody{withConsent, anonymous} {
		s := e.start(demoSurvey, body)
		answers := e.answers(demoSurvey, s.Questions, true)
		for _, a := range answers {
			if _, ok := a["text"]; ok {
				a["text"] = free
			}
		}
		if status, raw := e.submit(s.AttemptID, s.AttemptToken, answers); status != http.StatusOK {
			t.Fatalf("survey submit = %d %s", status, raw)
		}
		quizAttempts = append(quizAttempts, s.AttemptID)
	}
	withPhone := resident(village, people[1].phone, people[1].client+"-quiz")
	withPhone.Participant["name"] = people[1].name
	s := e.start(demoSurvey, withPhone)
	if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoSurvey, s.Questions, true)); status != http.StatusOK {
		t.Fatalf("survey submit = %d %s", status, raw)
	}
	unsubmittedBody := resident(village, "0966 111 222", "device-never-submits")
	unsubmittedBody.Participant["name"] = "Đỗ Văn Chưa Nộp"
	unsubmitted := e.start(demoSurvey, unsubmittedBody)

	// The contest ends and is closed; the survey is closed.
	e.Clock.Advance(2 * time.Hour)
	if err := e.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	closed, err := rounds.NewService(e.Stack.Store, e.Clock.Now).CloseRound(ctx, organizer, ct.ID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	survey, err := e.Stack.Store.GetQuiz(ctx, demoSurvey)
	if err != nil {
		t.Fatal(err)
	}
	survey.Status = quiz.Closed
	if err := e.Stack.Store.PutQuiz(ctx, survey); err != nil {
		t.Fatal(err)
	}
	countersBefore := func() []aggregate.Counter {
		t.Helper()
		var all []aggregate.Counter
		for _, id := range []string{ct.ID, demoSurvey} {
			c, err := e.Stack.Store.Counters(ctx, id, []string{village, village2})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, c...)
		}
		return all
	}
	before := countersBefore()

	if !t.Run("the table holds the personal data before the purge, so the scan can see it", func(t *testing.T) {
		dump := scanTable(t, e)
		for _, p := range people {
			if !strings.Contains(dump, p.normalized) || !strings.Contains(dump, p.name) {
				t.Fatalf("the scan does not find %s before the purge: the check below would prove nothing", p.name)
			}
		}
		if !birthYear.MatchString(dump) {
			t.Fatal("the scan does not find the birth year before the purge: the check below would prove nothing")
		}
	}) {
		return
	}
	t.Run("a start never submitted left nothing in the table", func(t *testing.T) {
		dump := scanTable(t, e)
		for _, s := range []string{unsubmitted.AttemptID, "Đỗ Văn Chưa Nộp", "+84966111222", "966111222"} {
			if strings.Contains(dump, s) {
				t.Errorf("the table holds %q of an attempt never submitted", s)
			}
		}
	})
	t.Run("the organiser purges the contest and the admin the province-wide survey", func(t *testing.T) {
		svc := retention.NewService(e.Stack.Store, e.Clock.Now)
		if r, err := svc.PurgePersonalData(ctx, organizer, ct.ID); err != nil || r.Attempts < 2 || r.Verifications < 3 {
			t.Fatalf("contest purge = %+v, %v; want both entries and every verification", r, err)
		}
		if r, err := svc.PurgePersonalData(ctx, admin, demoSurvey); err != nil || r.Attempts < 3 {
			t.Fatalf("survey purge = %+v, %v; want the three attempts", r, err)
		}
	})
	t.Run("a scan of the whole table finds none of it", func(t *testing.T) {
		dump := scanTable(t, e)
		var secrets []string
		for _, p := range people {
			secrets = append(secrets, p.name, p.normalized, strings.TrimPrefix(p.normalized, "+"),
				"0"+strings.TrimPrefix(p.normalized, "+84"), p.phone, p.cccd, p.client, "Chi hội của "+p.name)
		}
		secrets = append(secrets, "+84977000111", "Nhà tôi ở xóm Đồng", "0901 234 567", "device-anon-55aa", "Tổ liên gia")
		var plain []string
		for _, s := range secrets {
			for _, prefix := range []string{"", "phone:", "cccd:", "client:"} {
				sum := sha256.Sum256([]byte(prefix + s))
				plain = append(plain, hex.EncodeToString(sum[:16]), hex.EncodeToString(sum[:]))
			}
		}
		for _, s := range secrets {
			if strings.Contains(dump, s) {
				t.Errorf("the table still holds %q after the purge", s)
			}
		}
		for _, h := range plain {
			if strings.Contains(dump, h) {
				t.Errorf("the table still holds an unkeyed SHA-256 (%s…) of personal data", h[:8])
			}
		}
		if m := birthYear.FindString(dump); m != "" {
			t.Errorf("the table still holds a birth year: %s", m)
		}
	})
	t.Run("the counters and the results digest are as before", func(t *testing.T) {
		testenv.AssertCounters(t, countersBefore(), before)
		stored, err := e.Stack.Store.GetResults(ctx, ct.ID, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := rounds.VerifyDigest(stored); !ok || err != nil || stored.Digest != closed.Digest {
			t.Errorf("digest after the purge: verifies %v (%v), %s want %s", ok, err, stored.Digest, closed.Digest)
		}
		for _, l := range stored.Lines {
			if l.Name != "" || l.Phone != "" || l.CCCD != "" {
				t.Errorf("frozen line keeps %+v", contest.Line{Name: l.Name, Phone: l.Phone, CCCD: l.CCCD})
			}
		}
	})
}

// birthYear finds the resident's birth year as a stored value: a DynamoDB number
// ({"Value":"1975"}) or a number inside stored JSON, never four digits that happen to
// occur inside a random id or hash.
var birthYear = regexp.MustCompile(`.{0,60}("1975"|:1975[,}]).{0,20}`)

// scanTable returns every item of the test's table as JSON text.
func scanTable(t *testing.T, e *env) string {
	t.Helper()
	var b strings.Builder
	p := dynamodb.NewScanPaginator(e.Stack.DB, &dynamodb.ScanInput{TableName: &e.Stack.Table})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			raw, err := json.Marshal(item)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(raw)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
