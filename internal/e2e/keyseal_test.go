package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/testenv"
)

// sealedReportNote is what a report on a contest with a round still open says in place
// of its graded figures.
const sealedReportNote = "Hội thi đang diễn ra: số liệu đáp án ẩn đến khi đóng vòng"

// deriveKeys plays finding 2 of issue 22: in a contest every entry answers each question
// with one option, so the share of the key's option equals the question's facility. It
// returns, per question, the one option whose share equals the facility (questions with
// no such option, or more than one, are left out).
func deriveKeys(facility map[string]float64, shares map[string]map[string]float64) map[string]string {
	out := map[string]string{}
	for qid, f := range facility {
		var match []string
		for oid, share := range shares[qid] {
			if math.Abs(share-f) < 0.0006 { // facility has 3 decimals, a percent 1
				match = append(match, oid)
			}
		}
		if len(match) == 1 {
			out[qid] = match[0]
		}
	}
	return out
}

// shown writes a report figure as a failure message reads it.
func shown(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

// rightKeys counts the derived options that are the contest's key.
func rightKeys(ct quiz.Quiz, derived map[string]string) int {
	n := 0
	for qid, oid := range derived {
		if q, ok := ct.Question(qid); ok && slices.Equal(q.CorrectOptionIDs, []string{oid}) {
			n++
		}
	}
	return n
}

// reportFigures reads the facility of every question from the question analysis and the
// share of every option from the survey report, as JSON.
func reportFigures(t *testing.T, c staffClient, quizID string) (report.Questions, report.Survey, map[string]float64, map[string]map[string]float64) {
	t.Helper()
	status, raw := c.do("GET", "/v1/reports/questions?quizId="+quizID)
	if status != 200 {
		t.Fatalf("questions = %d %s", status, raw)
	}
	qs := decodeJSON[report.Questions](t, raw)
	status, raw = c.do("GET", "/v1/reports/survey?quizId="+quizID+"&unitId=xa-a")
	if status != 200 {
		t.Fatalf("survey = %d %s", status, raw)
	}
	sv := decodeJSON[report.Survey](t, raw)
	facility, shares := map[string]float64{}, map[string]map[string]float64{}
	for _, s := range qs.Questions {
		if s.Facility != nil {
			facility[s.QuestionID] = *s.Facility
		}
	}
	for _, q := range sv.Questions {
		for _, o := range q.Options {
			if o.Percent != nil {
				if shares[q.QuestionID] == nil {
					shares[q.QuestionID] = map[string]float64{}
				}
				shares[q.QuestionID][o.OptionID] = *o.Percent / 100
			}
		}
	}
	return qs, sv, facility, shares
}

// csvFigures reads the same figures from the CSV files of the two reports: the
// question's "Tỷ lệ đúng (%)" column and each option's "Tỷ lệ (%)" over the commune.
func csvFigures(t *testing.T, c staffClient, ct quiz.Quiz) (map[string]float64, map[string]map[string]float64) {
	t.Helper()
	records := func(path string) [][]string {
		status, raw := c.do("GET", path+"&format=csv")
		if status != 200 || !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
			t.Fatalf("%s csv = %d %q", path, status, raw)
		}
		rs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
		if err != nil {
			t.Fatalf("%s csv: %v", path, err)
		}
		return rs[1:]
	}
	percent := func(cell string) (float64, bool) {
		var p float64
		if _, err := fmt.Sscanf(strings.Replace(strings.TrimSuffix(cell, " %"), ",", ".", 1), "%g", &p); err != nil {
			return 0, false
		}
		return p / 100, true
	}
	facility, shares := map[string]float64{}, map[string]map[string]float64{}
	for _, r := range records("/v1/reports/questions?quizId=" + ct.ID) {
		if p, ok := percent(r[4]); ok {
			facility[r[0]] = p
		}
	}
	for _, r := range records("/v1/reports/survey?quizId=" + ct.ID + "&unitId=xa-a") {
		q, ok := ct.Question(r[0])
		if !ok || r[2] != "Tất cả" {
			continue
		}
		for _, o := range q.Options {
			if p, ok := percent(r[5]); ok && o.Text == r[3] {
				if shares[q.ID] == nil {
					shares[q.ID] = map[string]float64{}
				}
				shares[q.ID][o.ID] = p
			}
		}
	}
	return facility, shares
}

// TestOfficerReportsOnAnOpenContestGiveAwayNoKey plays finding 2 of issue 22: entries in
// an open round, then an officer reads the question analysis and the survey report of
// the contest and takes, for each question, the option whose share equals the facility.
// While the round is open no report of the contest (JSON, CSV, annual) carries a graded
// figure and nothing is derived; an admin, who holds the key, still reads them; after
// the close the officer does too.
func TestOfficerReportsOnAnOpenContestGiveAwayNoKey(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-bao-cao", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	const entries = 7

	if !t.Run("seven entries answer every question, question j right by the first j+2", func(t *testing.T) {
		for k := range entries {
			s := e.start(ct.ID, entrant(fmt.Sprintf("0977%06d", k), "Người Thử", village, ""))
			var answers []map[string]any
			for j, q := range ct.Questions {
				option := testenv.WrongOption(q)
				if k < j+2 {
					option = q.CorrectOptionIDs[0]
				}
				answers = append(answers, map[string]any{"questionId": q.ID, "optionIds": []string{option}})
			}
			status, raw := e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit",
				map[string]any{"attemptToken": s.AttemptToken, "answers": answers, "prediction": k})
			if status != 200 {
				t.Fatalf("submit = %d %s", status, raw)
			}
		}
		if err := e.Stack.DrainStreams(context.Background()); err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}
	officer, admin := staffAs(t, srv, "canbo"), staffAs(t, srv, "admin")

	t.Run("while the round is open an officer derives no key from the question analysis and the survey", func(t *testing.T) {
		qs, sv, facility, shares := reportFigures(t, officer, ct.ID)
		if got := rightKeys(ct, deriveKeys(facility, shares)); got != 0 {
			t.Errorf("key questions derived = %d of %d, want 0", got, len(ct.Questions))
		}
		for _, s := range qs.Questions {
			if s.Facility != nil || s.Discrimination != nil || s.Flag != "" {
				t.Errorf("question %s = facility %s, discrimination %s, flag %q; want none", s.QuestionID, shown(s.Facility), shown(s.Discrimination), s.Flag)
			}
		}
		if !qs.Sealed || qs.SealedNote != sealedReportNote || qs.SealedUntil == nil {
			t.Errorf("question analysis sealed = %v %q %v, want true, %q and the time", qs.Sealed, qs.SealedNote, qs.SealedUntil, sealedReportNote)
		}
		if !sv.Sealed || sv.Participants != entries {
			t.Errorf("survey sealed = %v with %d participants, want sealed with %d", sv.Sealed, sv.Participants, entries)
		}
	})

	t.Run("while the round is open the CSV files of both reports give no key either", func(t *testing.T) {
		facility, shares := csvFigures(t, officer, ct)
		if got := rightKeys(ct, deriveKeys(facility, shares)); got != 0 || len(facility) != 0 || len(shares) != 0 {
			t.Errorf("from the CSV files: %d key questions derived, %d facilities, %d questions with shares; want none", got, len(facility), len(shares))
		}
		for _, path := range []string{"/v1/reports/questions?quizId=" + ct.ID, "/v1/reports/survey?quizId=" + ct.ID + "&unitId=xa-a"} {
			if status, raw := officer.do("GET", path+"&format=xlsx"); status != 200 || len(raw) == 0 {
				t.Errorf("%s xlsx = %d", path, status)
			}
		}
	})

	t.Run("while the round is open the officer's other reports on the contest carry no mean, pass rate or topic correctness", func(t *testing.T) {
		var aw report.Awareness
		var tp report.Topics
		var tr report.Trend
		for _, r := range []struct {
			path string
			into any
		}{
			{"/v1/reports/awareness?quizId=" + ct.ID + "&unitId=xa-a", &aw},
			{"/v1/reports/topics?quizId=" + ct.ID + "&unitId=xa-a", &tp},
			{"/v1/reports/trend?quizId=" + ct.ID + "&unitId=xa-a", &tr},
		} {
			status, raw := officer.do("GET", r.path)
			if status != 200 || json.Unmarshal(raw, r.into) != nil {
				t.Fatalf("%s = %d %s", r.path, status, raw)
			}
		}
		rows := append(slices.Clone(aw.Rows), aw.Total)
		for _, r := range rows {
			if r.MeanScore != nil || r.CI95 != nil || r.PassRate != nil || r.PassRateCI95 != nil {
				t.Errorf("awareness row %s = mean %s %v, pass %s %v; want none", r.Key, shown(r.MeanScore), r.CI95, shown(r.PassRate), r.PassRateCI95)
			}
			for _, tc := range r.Topics {
				if tc.CorrectRate != nil {
					t.Errorf("awareness row %s topic %s correct rate %v, want none", r.Key, tc.Topic, *tc.CorrectRate)
				}
			}
		}
		if w := aw.Total.Weighted; w == nil || w.PassRate != nil || w.PassRateCI95 != nil || w.MeanScore != nil || w.CI95 != nil {
			t.Errorf("awareness total's weighted figures = %+v; want present, without a score", w)
		}
		for _, path := range []string{"/v1/reports/change?quizId=" + ct.ID + "&baseQuizId=" + demoQuiz + "&unitId=xa-a",
			"/v1/reports/change?quizId=" + demoQuiz + "&baseQuizId=" + ct.ID + "&unitId=xa-a"} {
			var ch report.Change
			status, raw := officer.do("GET", path)
			if status != 200 || json.Unmarshal(raw, &ch) != nil {
				t.Fatalf("%s = %d %s", path, status, raw)
			}
			for _, r := range append(slices.Clone(ch.Rows), ch.Total) {
				if r.PassRate != nil || r.BasePassRate != nil || r.Difference != nil || r.DifferenceCI95 != nil || r.Clear {
					t.Errorf("%s: row %s = %s against %s, difference %s %v; want none", path, r.Key, shown(r.PassRate), shown(r.BasePassRate), shown(r.Difference), r.DifferenceCI95)
				}
			}
			if !ch.Sealed || ch.SealedNote != sealedReportNote {
				t.Errorf("%s: sealed = %v %q, want true and %q", path, ch.Sealed, ch.SealedNote, sealedReportNote)
			}
		}
		if aw.Total.Participants != entries || !aw.Sealed {
			t.Errorf("awareness total = %d participants, sealed %v; want %d, sealed", aw.Total.Participants, aw.Sealed, entries)
		}
		for _, r := range append(slices.Clone(tp.Rows), tp.Total) {
			for _, c := range r.Cells {
				if c.CorrectRate != nil {
					t.Errorf("topics row %s topic %s correct rate %v, want none", r.UnitID, c.Topic, *c.CorrectRate)
				}
			}
		}
		if !tp.Sealed {
			t.Error("topics not marked sealed")
		}
		for _, p := range append(slices.Clone(tr.Points), tr.ThisYear) {
			if p.MeanScore != nil || p.PassRate != nil || p.CI95 != nil || p.PassRateCI95 != nil {
				t.Errorf("trend point %s = mean %s, pass %s; want none", p.Period, shown(p.MeanScore), shown(p.PassRate))
			}
		}
		if !tr.Sealed {
			t.Error("trend not marked sealed")
		}
		status, raw := officer.do("GET", "/v1/reports/annual?unitId=xa-a&year=2026&format=html")
		if status != 200 || !strings.Contains(string(raw), sealedReportNote) {
			t.Errorf("annual page = %d, want 200 with %q", status, sealedReportNote)
		}
	})

	t.Run("an admin, who holds the key, reads the figures while the round is open", func(t *testing.T) {
		qs, _, facility, shares := reportFigures(t, admin, ct.ID)
		if qs.Sealed || len(facility) != len(ct.Questions) {
			t.Errorf("admin question analysis sealed = %v with %d facilities, want open with %d", qs.Sealed, len(facility), len(ct.Questions))
		}
		if got := rightKeys(ct, deriveKeys(facility, shares)); got != len(ct.Questions) {
			t.Errorf("admin derivation = %d, want %d (the figures are whole)", got, len(ct.Questions))
		}
	})

	t.Run("after the close the officer reads the figures, and they give the key", func(t *testing.T) {
		e.Clock.Advance(2 * time.Hour)
		e.closeRound(t, staffAs(t, srv, "btc"), ct.ID, "r1")
		qs, _, facility, shares := reportFigures(t, officer, ct.ID)
		if qs.Sealed || len(facility) != len(ct.Questions) {
			t.Errorf("question analysis after the close sealed = %v with %d facilities, want open with %d", qs.Sealed, len(facility), len(ct.Questions))
		}
		if got := rightKeys(ct, deriveKeys(facility, shares)); got != len(ct.Questions) {
			t.Errorf("key questions derived after the close = %d, want %d", got, len(ct.Questions))
		}
		facility, shares = csvFigures(t, officer, ct)
		if got := rightKeys(ct, deriveKeys(facility, shares)); got != len(ct.Questions) {
			t.Errorf("from the CSV files after the close: %d, want %d", got, len(ct.Questions))
		}
	})
}

// rankingOracle plays finding 3 of issue 22 on a ranking page: each probe answered one
// question with one option and predicted its own index, so a line with a score above 0
// names a key option. It returns how many key options the page gives away and whether
// any line carries a score, a maximum, a rank or a tier.
func rankingOracle(t *testing.T, ct quiz.Quiz, raw []byte, probes [][2]string) (derived int, graded bool) {
	t.Helper()
	var page struct {
		Lines []map[string]json.RawMessage `json:"lines"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatalf("ranking %s: %v", raw, err)
	}
	for _, l := range page.Lines {
		for _, k := range []string{"score", "maxScore", "rank", "tier"} {
			if _, ok := l[k]; ok {
				graded = true
			}
		}
		var score, prediction int
		if json.Unmarshal(l["score"], &score) != nil || json.Unmarshal(l["prediction"], &prediction) != nil || score <= 0 {
			continue
		}
		if prediction >= 0 && prediction < len(probes) && rightKeys(ct, map[string]string{probes[prediction][0]: probes[prediction][1]}) == 1 {
			derived++
		}
	}
	return derived, graded
}

// TestTheProvisionalRankingIsNoScoreOracleForOfficers plays finding 3 of issue 22:
// entries that each answer one question with one option and predict their own index.
// While the round is open an officer's ranking shows no score, rank or tier (and so no
// key option); the organiser, who holds the key, sees the scores; after the close the
// officer does too.
func TestTheProvisionalRankingIsNoScoreOracleForOfficers(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-xep-hang", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	var probes [][2]string // question id, option id; the index is the prediction

	if !t.Run("entries each answer one question with one option and predict their own index", func(t *testing.T) {
		for _, q := range ct.Questions {
			for _, o := range q.Options {
				s := e.start(ct.ID, entrant(fmt.Sprintf("0988%06d", len(probes)), "Người Dò", village, ""))
				answers := []map[string]any{{"questionId": q.ID, "optionIds": []string{o.ID}}}
				status, raw := e.call("POST", "/v1/attempts/"+s.AttemptID+"/submit",
					map[string]any{"attemptToken": s.AttemptToken, "answers": answers, "prediction": len(probes)})
				if status != 200 {
					t.Fatalf("submit = %d %s", status, raw)
				}
				probes = append(probes, [2]string{q.ID, o.ID})
			}
		}
		if err := e.Stack.DrainStreams(context.Background()); err != nil {
			t.Fatal(err)
		}
	}) {
		return
	}
	officer, organizer := staffAs(t, srv, "canbo"), staffAs(t, srv, "btc")

	t.Run("while the round is open the officer's ranking gives no score and no key option", func(t *testing.T) {
		page, raw := officer.ranking(ct.ID, "r1")
		derived, graded := rankingOracle(t, ct, raw, probes)
		if derived != 0 || graded {
			t.Errorf("officer ranking: %d key options derived, graded fields %v; want 0 and none: %s", derived, graded, raw)
		}
		if !page.Sealed || page.SealedNote != sealedReportNote || page.Final {
			t.Errorf("officer ranking sealed = %v %q final %v, want sealed with %q", page.Sealed, page.SealedNote, page.Final, sealedReportNote)
		}
		if page.Entries != int64(len(probes)) {
			t.Errorf("officer ranking entries = %d, want %d", page.Entries, len(probes))
		}
	})

	t.Run("the organiser, who holds the key, sees the scores while the round is open", func(t *testing.T) {
		page, raw := organizer.ranking(ct.ID, "r1")
		derived, graded := rankingOracle(t, ct, raw, probes)
		if derived != len(ct.Questions) || !graded || page.Sealed {
			t.Errorf("organiser ranking: %d key options, graded %v, sealed %v; want %d, graded, open", derived, graded, page.Sealed, len(ct.Questions))
		}
	})

	t.Run("after the close the officer's ranking shows the scores", func(t *testing.T) {
		e.Clock.Advance(2 * time.Hour)
		e.closeRound(t, organizer, ct.ID, "r1")
		page, raw := officer.ranking(ct.ID, "r1")
		derived, graded := rankingOracle(t, ct, raw, probes)
		if derived != len(ct.Questions) || !graded || page.Sealed || !page.Final {
			t.Errorf("officer ranking after the close: %d key options, graded %v, sealed %v, final %v; want %d, graded, final", derived, graded, page.Sealed, page.Final, len(ct.Questions))
		}
	})
}
