package e2e

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/retention"
	"github.com/nq58/tracker/internal/testenv"
)

func TestAKeyCorrectionRegradesAttemptsAndTheCountersFollow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)

	// Shared by the steps.
	var (
		started []attempts.StartResponse
		target  string        // the corrected question
		bankQ   quiz.Question // its bank version, with the old key
		asked   int           // attempts that were asked the question
		admin   string        // staff token
	)
	// correct makes a correction, runs its regrade job to the end as the maintenance
	// schedule does (a first run, then the second walk once stale caches are gone) and
	// returns the job as staff read it.
	correct := func(t *testing.T, body any) (authoring.CorrectionResult, quiz.RegradeJob) {
		t.Helper()
		status, raw, _ := staffRequest(t, srv.URL, admin, "POST", "/v1/admin/quizzes/"+demoQuiz+"/questions/"+target+"/correction", body)
		var out authoring.CorrectionResult
		if status != 202 || json.Unmarshal(raw, &out) != nil || out.Job.ID == "" {
			t.Fatalf("correction = %d %s, want 202 with a job", status, raw)
		}
		for range 2 {
			if err := e.Stack.InvokeScheduleEvent(ctx, "MaintenanceFunction", "RegradeJobs"); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(authoring.StaleGradeWindow)
		}
		status, raw, _ = staffRequest(t, srv.URL, admin, "GET", "/v1/admin/quizzes/"+demoQuiz+"/regrade-jobs/"+out.Job.ID, nil)
		var job quiz.RegradeJob
		if status != 200 || json.Unmarshal(raw, &job) != nil {
			t.Fatalf("regrade job = %d %s", status, raw)
		}
		// A job id in another spelling than the one it was given in is not found.
		if status, raw, _ := staffRequest(t, srv.URL, admin, "GET", "/v1/admin/quizzes/"+demoQuiz+"/regrade-jobs/"+strings.ToUpper(out.Job.ID), nil); status != 404 {
			t.Fatalf("regrade job in upper case = %d %s, want 404", status, raw)
		}
		return out, job
	}

	if !t.Run("four residents in three villages submit the quiz", func(t *testing.T) {
		for i, unit := range []string{village, village, village2, "xa-a-t02"} {
			s := e.start(demoQuiz, resident(unit, "", "device-corr-"+string(rune('a'+i))))
			if status, raw := e.submit(s.AttemptID, s.AttemptToken, e.answers(demoQuiz, s.Questions, i%2 == 0)); status != 200 {
				t.Fatalf("submit: %d %s", status, raw)
			}
			started = append(started, s)
		}
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}

	if !t.Run("an admin gives a question the first resident answered right another key and its attempts are regraded", func(t *testing.T) {
		target = started[0].Questions[0].ID
		bankQ, _ = e.Bank[demoQuiz].Question(target)
		newKey := []string{testenv.WrongOption(bankQ)}
		before, err := e.Stack.Store.GetAttempt(ctx, started[0].AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		admin = signIn(t, srv.URL, "admin")
		res, job := correct(t, map[string]any{"correctOptionIds": newKey})
		for _, s := range started {
			if slices.ContainsFunc(s.Questions, func(p attempts.PublicQuestion) bool { return p.ID == target }) {
				asked++
			}
		}
		if job.Changed != asked || job.Phase != quiz.RegradeDone || res.GradeVersion != 1 {
			t.Errorf("correction = %+v, job %+v, want %d attempts regraded at grade version 1 and the job done", res, job, asked)
		}
		after, err := e.Stack.Store.GetAttempt(ctx, started[0].AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Score != before.Score-bankQ.Points || after.GradeVersion != 1 {
			t.Errorf("first attempt score %d → %d (grade version %d), want it to lose the question's %d points", before.Score, after.Score, after.GradeVersion, bankQ.Points)
		}
	}) {
		return
	}

	if !t.Run("the counters equal a rebuild from the regraded attempts", func(t *testing.T) {
		countersEqualARebuild(t, e, demoQuiz, []string{village, village2, "xa-a-t02"})
	}) {
		return
	}

	if !t.Run("a minute later the admin voids the question and it counts as correct for every attempt that had it", func(t *testing.T) {
		e.Clock.Advance(time.Minute)
		res, _ := correct(t, map[string]any{"void": true})
		if res.GradeVersion != 2 {
			t.Errorf("void correction = %+v, want grade version 2", res)
		}
		voided, err := e.Stack.Store.GetAttempt(ctx, started[1].AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(voided.QuestionIDs, target) && !voided.Correct[target] {
			t.Errorf("after voiding, %s is not counted correct for every attempt that had it", target)
		}
	}) {
		return
	}

	if !t.Run("after a void the counters still equal a rebuild", func(t *testing.T) {
		countersEqualARebuild(t, e, demoQuiz, []string{village, village2, "xa-a-t02"})
	}) {
		return
	}

	t.Run("both corrections are recorded with who made them", func(t *testing.T) {
		stored, err := e.Stack.Store.GetQuiz(ctx, demoQuiz)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored.Corrections) != 2 || stored.Corrections[0].By != "admin" || stored.Corrections[0].Regraded != asked || !stored.Corrections[1].Void {
			t.Errorf("recorded corrections = %+v, want two by admin, the second a void", stored.Corrections)
		}
	})
}

// countersEqualARebuild drains the streams and checks that the stored counters of the
// quiz in the units equal a rebuild from every submitted attempt.
func countersEqualARebuild(t *testing.T, e *env, quizID string, units []string) {
	t.Helper()
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	attempts, err := e.Stack.Store.SubmittedAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Stack.Store.Counters(context.Background(), quizID, units)
	if err != nil {
		t.Fatal(err)
	}
	testenv.AssertCounters(t, got, aggregate.Rebuild(attempts))
}

func TestACorrectionInAContestReordersTheRoundBeforeItCloses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-dinh-chinh", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	svc := authoring.NewService(e.Stack.Store, e.Clock.Now)

	// Shared by the steps.
	var (
		hanh   attempts.Result        // Hạnh's receipt when she submitted
		graded int                    // Hạnh's stored score before the correction
		khoa   attempts.StartResponse // Khoa's entry
		target string                 // the first question of Khoa's draw
		wrong  string                 // Khoa's answer to it, the key after the correction
	)

	if !t.Run("Hạnh answers all five right and Khoa gets the first question of his draw wrong", func(t *testing.T) {
		// Khoa would be right under the corrected key.
		hanh = e.enter(t, ct.ID, entrant("0944000001", "Lý Thị Hạnh", village, ""), 5, 1, 3*time.Minute)
		stored, err := e.Stack.Store.GetAttempt(ctx, hanh.AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		graded = stored.Score
		khoa = e.start(ct.ID, entrant("0944000002", "Tô Văn Khoa", village, ""))
		answers := e.answers(ct.ID, khoa.Questions, true)
		target = khoa.Questions[0].ID
		bankQ, _ := e.Bank[ct.ID].Question(target)
		wrong = testenv.WrongOption(bankQ)
		answers[0]["optionIds"] = []string{wrong}
		e.Clock.Advance(2 * time.Minute)
		if status, raw := e.call("POST", "/v1/attempts/"+khoa.AttemptID+"/submit", map[string]any{"attemptToken": khoa.AttemptToken, "answers": answers, "prediction": 1}); status != 200 {
			t.Fatalf("submit: %d %s", status, raw)
		}
	}) {
		return
	}

	if !t.Run("an organiser corrects the key and Khoa moves ahead of Hạnh in the open round", func(t *testing.T) {
		organizer := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
		res, err := svc.Correct(ctx, organizer, ct.ID, target, authoring.CorrectionInput{CorrectOptionIDs: []string{wrong}})
		if err != nil {
			t.Fatal(err)
		}
		// The job finds entries through their ledgers: the aggregator has counted them.
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RunRegradeJob(ctx, ct.ID, res.Job.ID); err != nil {
			t.Fatal(err)
		}
		job, err := svc.RegradeJob(ctx, organizer, ct.ID, res.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if job.Changed != 2 {
			t.Errorf("regraded %d entries, want both", job.Changed)
		}
		top, err := e.Stack.Store.TopEntries(ctx, ct.ID, "r1", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 2 || top[0].ID != khoa.AttemptID || top[0].Score != 5 || top[1].Score != 4 {
			t.Errorf("round index after the correction = %v, want Khoa (5) before Hạnh (4)", []any{top[0].Participant.Name, top[0].Score, top[1].Participant.Name, top[1].Score})
		}
		if graded != 5 {
			t.Errorf("Hạnh's entry was first graded %d, want 5 (before the correction)", graded)
		}
	}) {
		return
	}

	t.Run("an officer may not correct a contest", func(t *testing.T) {
		officer := auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
		if _, err := svc.Correct(ctx, officer, ct.ID, target, authoring.CorrectionInput{Void: true}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("officer correction = %v, want forbidden", err)
		}
	})
}

func TestPersonalDataIsPurgedOnlyAfterTheContestAndReportsStayTheSame(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-xoa", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	organizer := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
	svc := rounds.NewService(e.Stack.Store, e.Clock.Now)

	// Shared by the steps.
	var (
		closed         rounds.CloseResult  // what the close answered, with the digest
		countersBefore []aggregate.Counter // the contest's counters before the purge
		attempts       []quiz.Attempt      // every submitted attempt after the purge
	)

	if !t.Run("two residents enter the contest, one with a CCCD", func(t *testing.T) {
		e.enter(t, ct.ID, entrant("0955000001", "Kiều Thị Loan", village, "038190005678"), 5, 2, 2*time.Minute)
		e.enter(t, ct.ID, entrant("0955000002", "Lương Văn Minh", village, ""), 3, 2, 2*time.Minute)
	}) {
		return
	}

	if !t.Run("a purge before the round closes is refused", func(t *testing.T) {
		if _, err := retention.NewService(e.Stack.Store, e.Clock.Now).PurgePersonalData(ctx, organizer, ct.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("purge before the close = %v, want a conflict", err)
		}
	}) {
		return
	}

	if !t.Run("the round ends and the organiser closes it", func(t *testing.T) {
		e.Clock.Advance(2 * time.Hour)
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		var err error
		closed, err = svc.CloseRound(ctx, organizer, ct.ID, "r1")
		if err != nil {
			t.Fatal(err)
		}
		countersBefore, err = e.Stack.Store.Counters(ctx, ct.ID, []string{village})
		if err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}

	if !t.Run("the organiser purges the personal data of both attempts and the round", func(t *testing.T) {
		res, err := retention.NewService(e.Stack.Store, e.Clock.Now).PurgePersonalData(ctx, organizer, ct.ID)
		if err != nil || res.Attempts != 2 || res.Rounds != 1 {
			t.Fatalf("purge = %+v, %v; want 2 attempts and 1 round cleaned", res, err)
		}
	}) {
		return
	}

	if !t.Run("no attempt of the contest keeps a name, phone or CCCD", func(t *testing.T) {
		var err error
		attempts, err = e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range attempts {
			if a.QuizID == ct.ID && (a.Participant.Name != "" || a.Participant.Phone != "" || a.Participant.CCCD != "") {
				t.Errorf("attempt %s still holds personal data: %+v", a.ID, a.Participant)
			}
		}
	}) {
		return
	}

	if !t.Run("the frozen results still match their digest and name nobody", func(t *testing.T) {
		stored, err := e.Stack.Store.GetResults(ctx, ct.ID, "r1")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := rounds.VerifyDigest(stored); !ok || err != nil || stored.Digest != closed.Digest {
			t.Errorf("the results no longer match their published digest after the purge")
		}
		for _, l := range stored.Lines {
			if l.Name != "" || l.Phone != "" || l.CCCD != "" {
				t.Errorf("frozen results still name %q %q", l.Name, l.Phone)
			}
		}
	}) {
		return
	}

	t.Run("the counters equal a rebuild from the purged attempts", func(t *testing.T) {
		again := aggregate.Rebuild(attempts)
		var mine []aggregate.Counter
		for _, c := range again {
			if c.QuizID == ct.ID {
				mine = append(mine, c)
			}
		}
		testenv.AssertCounters(t, countersBefore, mine)
	})
}

func TestTheDailyPurgeWaitsForTheKeepingPeriod(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-het-han", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	svc := rounds.NewService(e.Stack.Store, e.Clock.Now)
	purge := func(t *testing.T) []string {
		t.Helper()
		ids, err := retention.NewService(e.Stack.Store, e.Clock.Now).PurgeExpired(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}

	if !t.Run("a resident enters and the organiser closes the round after its end", func(t *testing.T) {
		e.enter(t, ct.ID, entrant("0966000001", "Mạc Thị Nga", village, ""), 4, 2, 2*time.Minute)
		e.Clock.Advance(2 * time.Hour)
		if err := e.Stack.DrainStreams(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CloseRound(ctx, auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}, ct.ID, "r1"); err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}

	if !t.Run("the daily purge keeps the contest right after the close", func(t *testing.T) {
		if got := purge(t); slices.Contains(got, ct.ID) {
			t.Fatalf("purged %v right after the close, want the contest kept for 90 days", got)
		}
	}) {
		return
	}

	if !t.Run("after 91 days the daily purge cleans the contest, and only once", func(t *testing.T) {
		e.Clock.Advance(91 * 24 * time.Hour)
		if got := purge(t); !slices.Contains(got, ct.ID) {
			t.Fatalf("purged %v after 91 days, want the contest", got)
		}
		if got := purge(t); slices.Contains(got, ct.ID) {
			t.Errorf("purged the contest twice")
		}
	}) {
		return
	}

	t.Run("the purged attempt keeps no phone", func(t *testing.T) {
		attempts, err := e.Stack.Store.SubmittedAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range attempts {
			if a.QuizID == ct.ID && a.Participant.Phone != "" {
				t.Errorf("attempt keeps its phone after the purge")
			}
		}
	})
}

func TestTheGatewayRunsTheTemplatesDailyPurge(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-lich", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	e.enter(t, ct.ID, entrant("0966000002", "Lã Văn Tùng", village, ""), 4, 2, 2*time.Minute)
	e.Clock.Advance(2 * time.Hour)
	if err := e.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rounds.NewService(e.Stack.Store, e.Clock.Now).CloseRound(ctx, auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}, ct.ID, "r1"); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(91 * 24 * time.Hour)
	if err := e.Stack.InvokeSchedule(ctx, "MaintenanceFunction"); err != nil {
		t.Fatalf("InvokeSchedule(MaintenanceFunction) error = %v", err)
	}
	q, err := e.Stack.Store.GetQuiz(ctx, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if q.PersonalDataPurgedAt.IsZero() {
		t.Errorf("the contest was not purged by the template's daily schedule")
	}
	if err := e.Stack.InvokeSchedule(ctx, "PublicApiFunction"); err == nil {
		t.Errorf("InvokeSchedule(PublicApiFunction) = nil, want an error: it has no schedule")
	}
}
