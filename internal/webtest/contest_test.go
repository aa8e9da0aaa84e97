package webtest

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/vnfmt"
)

// contestPerson is a resident entering the contest over HTTP.
type contestPerson struct {
	name, phone, unit string
	right             int   // correct answers of the five
	prediction        int64 // guess of the number of entries
	took              time.Duration
}

// TestAContestFromEntryToWinners runs one contest round through the pages: an organiser
// creates and publishes a contest through the API, a resident enters on a phone (rules,
// name, phone and CCCD, answers, the prediction question, a result without review), five
// more enter over HTTP, and the organiser follows the ranking, disqualifies a flagged
// entry, closes the round, checks the winners against the API and downloads the files.
// Anyone can then read the masked public results.
func TestAContestFromEntryToWinners(t *testing.T) {
	bg := context.Background()
	clock := testenv.NewClock(time.Date(2026, 3, 16, 3, 0, 0, 0, time.UTC)) // 10:00 in Vietnam
	stack := testenv.Stack(t, clock.Now)
	if _, err := demo.Load(bg, stack.Store); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	ctx := browser(t)
	inVietnam(t, ctx)
	description := "Hội thi trực tuyến dành cho người dân xã Cẩm Thủy (demo), mỗi tuần một vòng."

	// Shared by the steps, in the order they happen.
	var (
		btc     string                   // the organiser's token
		ct      quiz.Quiz                // the contest as stored, with its keys
		byText  map[string]quiz.Question // its questions by text, to answer on the page
		item    string                   // the contest's button on the resident page
		ids     = map[string]string{}    // attempt ids of the residents entering over HTTP, by name
		winners rounds.WinnersReport     // as the API reports them once the round is closed
	)

	if !t.Run("an organiser creates a contest from five questions of the demo quiz and publishes it", func(t *testing.T) {
		admin := dashSignIn(t, srv.URL, "admin", "demo1234")
		btc = dashSignIn(t, srv.URL, "btc", "demo1234")
		status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+dashQuiz, admin, nil)
		if status != http.StatusOK {
			t.Fatalf("GET demo quiz as admin: %d %s", status, raw)
		}
		var bank quiz.Quiz
		dashDecode(t, raw, &bank)
		questions := singleChoiceInputs(bank, 5)
		if len(questions) != 5 {
			t.Fatalf("the demo quiz has %d single-choice questions, want at least 5", len(questions))
		}
		now := clock.Now()
		status, raw = dashCall(t, srv.URL, "POST", "/v1/admin/quizzes", btc, map[string]any{
			"kind": "contest", "title": "Hội thi tìm hiểu Nghị quyết 58-NQ/TW", "description": description,
			"timeLimitSec": 600, "drawCount": 0, "shuffle": true, "scopeUnitId": "xa-a", "questions": questions,
			"contest": map[string]any{
				"rounds":           []map[string]any{{"id": "r1", "opensAt": now.Add(-time.Hour), "closesAt": now.Add(time.Hour)}},
				"attemptsPerRound": 2,
				"prediction":       map[string]string{"text": "Dự đoán số bài dự thi của vòng này", "truth": "entries"},
				"ranking":          contest.DefaultRanking,
				"prizes": []map[string]any{{"tier": "Nhất", "count": 1, "amount": 2000000}, {"tier": "Nhì", "count": 1, "amount": 1000000},
					{"tier": "Ba", "count": 1, "amount": 500000}, {"tier": "Khuyến khích", "count": 2, "amount": 200000}},
				"prizeCapPercent": 0, "onePrizePerPerson": true,
				"collective":             map[string]any{"count": 2, "participationWeight": 0.7, "entrantsWeight": 0.3},
				"fastSecondsPerQuestion": 3, "topN": 10,
			},
		})
		if status != http.StatusCreated {
			t.Fatalf("create contest: %d %s", status, raw)
		}
		var created struct{ ID, Status string }
		dashDecode(t, raw, &created)
		if status, raw := dashCall(t, srv.URL, "POST", "/v1/admin/quizzes/"+created.ID+"/publish", btc, nil); status != http.StatusOK {
			t.Fatalf("publish contest: %d %s", status, raw)
		}
		status, raw = dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+created.ID, btc, nil)
		if status != http.StatusOK {
			t.Fatalf("GET contest: %d %s", status, raw)
		}
		dashDecode(t, raw, &ct)
		byText = map[string]quiz.Question{}
		for _, q := range ct.Questions {
			byText[q.Text] = q
		}
		item = `button.quiz-item[data-quiz-id="` + ct.ID + `"]`
	}) {
		return
	}

	if !t.Run("a resident opens the village's link on a phone and reads the contest rules", func(t *testing.T) {
		run(t, ctx, "open the page and choose the contest",
			chromedp.EmulateViewport(360, 740),
			chromedp.Navigate(srv.URL+"/?unit=xa-a-t02"),
			chromedp.WaitVisible(item),
			chromedp.Click(item),
			chromedp.WaitVisible(`#contest-rules`),
			chromedp.WaitVisible(`#cccd`),
		)
		rules := value(t, ctx, chromedp.Text(`#contest-rules`))
		for _, want := range []string{description, "họ và tên", "số điện thoại", "CCCD", "lượt", "cao nhất", "dự đoán", "sau khi vòng thi kết thúc"} {
			if !strings.Contains(rules, want) {
				t.Errorf("contest rules %q lack %q", rules, want)
			}
		}
		if req := value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('name').required && document.getElementById('phone').required`)); !req {
			t.Errorf("name and phone are not marked required for a contest")
		}
	}) {
		return
	}

	if !t.Run("the resident fills in name, phone and CCCD and starts the entry", func(t *testing.T) {
		run(t, ctx, "fill in the entry form",
			chromedp.SendKeys(`#name`, "Nguyễn Thị Hoa"),
			chromedp.SendKeys(`#phone`, "0913 222 333"),
			chromedp.SendKeys(`#cccd`, "038190001234"),
			chromedp.Click(`#consent`),
		)
		shot(t, ctx, "contest-form")
	}) {
		return
	}

	if !t.Run("the start asks for a verified phone, and the code from the SMS outbox verifies it", func(t *testing.T) {
		run(t, ctx, "start before verifying", chromedp.Click(`#start`), chromedp.WaitVisible(`#verify-error`))
		if msg := value(t, ctx, chromedp.Text(`#verify-error`)); !strings.Contains(msg, "Gửi mã") {
			t.Errorf("starting unverified says %q, want to press “Gửi mã”", msg)
		}
		run(t, ctx, "send the code", chromedp.Click(`#send-code`), chromedp.WaitVisible(`#sms-code`))
		if msg := value(t, ctx, chromedp.Text(`#verify-status`)); !strings.Contains(msg, "đã được gửi") {
			t.Errorf("after “Gửi mã” the page says %q", msg)
		}
		shot(t, ctx, "contest-code")
		run(t, ctx, "type the code and confirm it",
			chromedp.SendKeys(`#sms-code`, smsCode(t, srv.URL, "+84913222333")),
			chromedp.Click(`#confirm-code`),
			chromedp.WaitNotVisible(`#code-box`),
		)
		if msg := value(t, ctx, chromedp.Text(`#verify-status`)); msg != "Số điện thoại đã được xác minh." {
			t.Errorf("after confirming the page says %q", msg)
		}
		run(t, ctx, "start the entry", chromedp.Click(`#start`), chromedp.WaitVisible(`#question-text`))
	}) {
		return
	}

	if !t.Run("the resident answers the five questions right, one by one", func(t *testing.T) {
		for i := 1; i <= 5; i++ {
			run(t, ctx, fmt.Sprintf("show question %d", i), chromedp.WaitVisible(`#question-text`))
			text := strings.TrimSpace(value(t, ctx, chromedp.Text(`#question-text`)))
			if p := value(t, ctx, chromedp.Text(`#progress`)); !strings.Contains(p, fmt.Sprintf("%d/5", i)) {
				t.Errorf("progress = %q, want %d/5", p, i)
			}
			q, ok := byText[text]
			if !ok {
				t.Fatalf("question %q is not in the contest", text)
			}
			run(t, ctx, fmt.Sprintf("answer question %d", i),
				chromedp.Click(fmt.Sprintf(`input[name="opt"][value="%s"]`, q.CorrectOptionIDs[0])),
				chromedp.Click(`#next`))
		}
	}) {
		return
	}

	if !t.Run("the prediction question asks for a number and cannot be skipped", func(t *testing.T) {
		run(t, ctx, "reach the prediction question", chromedp.WaitVisible(`#prediction`))
		label := value(t, ctx, chromedp.Text(`label[for="prediction"]`))
		if label != "Câu hỏi dự đoán: Dự đoán số bài dự thi của vòng này" {
			t.Errorf("prediction label = %q", label)
		}
		if kind := value(t, ctx, chromedp.Evaluate[string](`(function(){ var e = document.getElementById('prediction'); return e.type + ' ' + e.inputMode })()`)); kind != "number numeric" {
			t.Errorf("prediction input is %q, want a number with the numeric keyboard", kind)
		}
		run(t, ctx, "submit without the prediction", chromedp.Click(`#submit`), chromedp.WaitVisible(`#error`))
		if msg := value(t, ctx, chromedp.Text(`#error`)); !strings.Contains(msg, "câu hỏi dự đoán") {
			t.Errorf("submitting without the prediction says %q", msg)
		}
		shot(t, ctx, "contest-prediction")
	}) {
		return
	}

	var receipt string // the receipt the page showed
	if !t.Run("after three minutes the resident predicts 6, submits and sees a receipt, no score and no review", func(t *testing.T) {
		clock.Advance(3 * time.Minute) // the resident took three minutes
		run(t, ctx, "answer the prediction and submit",
			chromedp.SendKeys(`#prediction`, "6"),
			chromedp.Click(`#submit`),
			chromedp.WaitVisible(`#result`),
			chromedp.WaitVisible(`#contest-note`),
			chromedp.WaitVisible(`#receipt-box`),
		)
		shown := value(t, ctx, chromedp.Evaluate[map[string]any](`({review: document.querySelectorAll('#review li').length,
		reviewTitle: !document.getElementById('review-title').hidden, late: !document.getElementById('late-note').hidden,
		scoreBox: !document.getElementById('score-box').hidden, receipt: document.getElementById('receipt').textContent,
		receiptBox: document.getElementById('receipt-box').textContent, after: document.getElementById('results-after').textContent,
		note: document.getElementById('contest-note').textContent, prediction: document.getElementById('prediction-result').textContent})`))
		receipt = fmt.Sprint(shown["receipt"])
		// Results come after the round's end plus the grace for entries in flight.
		note := "Kết quả xếp hạng Vòng 1 được công bố sau " + atDay(ct.Contest.Rounds[0].ClosesAt.Add(quiz.SubmitGrace))
		if shown["review"] != float64(0) || shown["reviewTitle"] != false || shown["late"] != false || shown["scoreBox"] != false ||
			!regexp.MustCompile(`^[2-9A-Z]{8}$`).MatchString(receipt) || !strings.HasPrefix(fmt.Sprint(shown["receiptBox"]), "Mã biên nhận: ") ||
			!strings.Contains(fmt.Sprint(shown["after"]), "Hãy giữ mã biên nhận") ||
			shown["note"] != note || !strings.Contains(fmt.Sprint(shown["prediction"]), "6") {
			t.Errorf("contest result shows %v, want a receipt, %q, no score, no review, not late and the prediction", shown, note)
		}
		shot(t, ctx, "contest-result")
	}) {
		return
	}

	if !t.Run("the entry is stored ranked, with the CCCD, the phone and the prediction", func(t *testing.T) {
		entries, err := stack.Store.SubmittedAttempts(bg)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Participant.CCCD != "038190001234" || entries[0].Participant.Phone != "+84913222333" ||
			entries[0].Prediction == nil || *entries[0].Prediction != 6 || !entries[0].Ranked || entries[0].RoundID != "r1" {
			t.Fatalf("stored entries = %+v, want the resident's ranked entry with CCCD and prediction 6", entries)
		}
		if want := attempts.Receipt(entries[0]); receipt != want {
			t.Errorf("the page showed receipt %q, want %q", receipt, want)
		}
	}) {
		return
	}

	if !t.Run("someone else with the same CCCD is refused with the API's message", func(t *testing.T) {
		run(t, ctx, "enter again with someone else's CCCD",
			chromedp.Click(`#again`),
			chromedp.WaitVisible(item),
			chromedp.Click(item),
			chromedp.WaitVisible(`#cccd`),
			chromedp.SendKeys(`#name`, "Nguyễn Văn Hải"),
			chromedp.SendKeys(`#phone`, "0913444555"),
			chromedp.SendKeys(`#cccd`, "038190001234"),
			chromedp.Click(`#consent`),
			chromedp.Click(`#send-code`),
			chromedp.WaitVisible(`#sms-code`),
		)
		run(t, ctx, "verify the phone and start",
			chromedp.SendKeys(`#sms-code`, smsCode(t, srv.URL, "+84913444555")),
			chromedp.Click(`#confirm-code`),
			chromedp.WaitNotVisible(`#code-box`),
			chromedp.Click(`#start`),
			chromedp.WaitVisible(`#start-error`),
		)
		if msg := value(t, ctx, chromedp.Text(`#start-error`)); !strings.Contains(msg, "CCCD") {
			t.Errorf("a CCCD of another phone shows %q, want the conflict message", msg)
		}
	}) {
		return
	}

	if !t.Run("five more residents enter over HTTP", func(t *testing.T) {
		// The true number of entries will be 6.
		people := []contestPerson{
			{"Trần Văn Bình", "0913000001", "xa-a-t01", 5, 10, 4 * time.Minute},
			{"Lê Thị Cúc", "0913000002", "xa-a-t01", 4, 6, 2 * time.Minute},
			{"Phạm Văn Dũng", "0913000003", "xa-a-t03", 4, 3, 2 * time.Minute},
			{"Hoàng Thị Én", "0913000004", "xa-a-t03", 3, 6, 5 * time.Minute},
			{"Đỗ Văn Giang", "0913000005", "xa-a-t01", 1, 6, 5 * time.Second}, // too fast: flagged
		}
		for _, p := range people {
			ids[p.name] = contestEnter(t, srv.URL, clock, ct, p)
		}
		// The stream aggregator flags entries (no poller runs here).
		if err := stack.DrainStreams(bg); err != nil {
			t.Fatalf("drain streams: %v", err)
		}
	}) {
		return
	}

	if !t.Run("the organiser signs in and watches the live ranking of the six entries", func(t *testing.T) {
		run(t, ctx, "open the organiser page",
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(srv.URL+"/staff/contest.html"),
			chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`), // to the issuer's login page
			chromedp.WaitVisible(`#username`),
			chromedp.SendKeys(`#username`, "btc"),
			chromedp.SendKeys(`#password`, "demo1234"),
			chromedp.Click(`#signin-button`),
			chromedp.WaitVisible(`#app`),
			chromedp.WaitReady(chromedp.CSS(`#contest-select option[value="`+ct.ID+`"]`)),
		)
		pickRound(t, ctx, ct.ID, "r1")
		waitJS(t, ctx, "the live ranking lists the six entries", `document.querySelectorAll('#ranking-table tbody tr[data-rank]').length === 6`)
		if first := value(t, ctx, chromedp.Text(`#ranking-table tbody tr .name`)); first != contest.MaskName("Nguyễn Thị Hoa") {
			t.Errorf("first in the ranking = %q, want %q", first, contest.MaskName("Nguyễn Thị Hoa"))
		}
		shot(t, ctx, "organiser-live")
	}) {
		return
	}

	if !t.Run("before the round's end the close button waits, disabled, and says from when, and the API refuses an early close", func(t *testing.T) {
		allowed := atDay(ct.Contest.Rounds[0].ClosesAt.Add(quiz.SubmitGrace))
		waitJS(t, ctx, "the close button knows when closing is allowed", `document.getElementById('close-round').disabled &&
			document.getElementById('close-hint').textContent.indexOf(`+strconv.Quote(allowed)+`) >= 0`)
		status, raw := dashCall(t, srv.URL, "POST", "/v1/admin/contests/"+ct.ID+"/rounds/r1/close", btc, nil)
		if status != http.StatusConflict || !strings.Contains(string(raw), "chưa kết thúc") {
			t.Errorf("an early close over the API = %d %s, want 409 with the round-not-over message", status, raw)
		}
	}) {
		return
	}

	if !t.Run("the organiser disqualifies the flagged too-fast entry with a reason", func(t *testing.T) {
		waitJS(t, ctx, "the fast entry is flagged", `!!document.querySelector('#flags-table tbody tr[data-kind="fast"]')`)
		flagged := value(t, ctx, chromedp.Evaluate[string](`document.querySelector('#flags-table tbody tr[data-kind="fast"]').dataset.attemptId`))
		if flagged != ids["Đỗ Văn Giang"] {
			t.Fatalf("flagged entry %s, want the five-second entry %s", flagged, ids["Đỗ Văn Giang"])
		}
		reason := "Làm 5 câu trong 5 giây, nghi dùng công cụ tự động"
		run(t, ctx, "disqualify the flagged entry",
			chromedp.Click(chromedp.CSS(`#flags-table tr[data-kind="fast"] button.disqualify`)),
			chromedp.WaitVisible(chromedp.CSS(`#flags-table .reason-row input.reason`)),
			chromedp.SendKeys(chromedp.CSS(`#flags-table .reason-row input.reason`), reason),
			chromedp.Click(chromedp.CSS(`#flags-table .reason-row .confirm-disqualify`)),
			chromedp.WaitVisible(chromedp.CSS(`#flags-table tr.disqualified[data-attempt-id="`+flagged+`"]`)),
		)
		decisions, err := stack.Store.ListDecisions(bg, ct.ID)
		if err != nil || len(decisions) != 1 || decisions[0].AttemptID != flagged || decisions[0].By != "btc" || decisions[0].Reason != reason {
			t.Errorf("decisions = %+v (%v), want the disqualification by btc with its reason", decisions, err)
		}
		waitJS(t, ctx, "the ranking drops the disqualified entry", `document.querySelectorAll('#ranking-table tbody tr[data-rank]').length === 5`)
		shot(t, ctx, "organiser-flags")
	}) {
		return
	}

	if !t.Run("after the round's end the organiser closes it and the winners are listed", func(t *testing.T) {
		// The aggregator has counted the round by then.
		clock.Advance(2 * time.Hour)
		if err := stack.DrainStreams(bg); err != nil {
			t.Fatalf("drain streams: %v", err)
		}
		pickRound(t, ctx, ct.ID, "r1")
		waitJS(t, ctx, "closing is allowed", `!document.getElementById('close-round').disabled`)
		run(t, ctx, "close the round", chromedp.Click(`#close-round`))
		// Flags the organiser kept (identical answers, say) are listed to confirm first.
		waitJS(t, ctx, "the round closes or asks to confirm", `!document.getElementById('close-result').hidden || document.getElementById('close-confirm').open`)
		if value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('close-confirm').open`)) {
			listed := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#close-confirm-list li')).map(function (li) { return li.dataset.attemptId })`))
			if slices.Contains(listed, ids["Đỗ Văn Giang"]) {
				t.Errorf("the close confirmation lists the entry already disqualified: %v", listed)
			}
			run(t, ctx, "confirm the close", chromedp.Click(`#close-confirm-ok`))
		}
		run(t, ctx, "see the close's result", chromedp.WaitVisible(`#close-result`))
		waitJS(t, ctx, "the winners are listed", `document.querySelectorAll('#winners-table tbody tr[data-rank]').length > 0`)
	}) {
		return
	}

	if !t.Run("the page shows the digest, the true value and the winners the API reports", func(t *testing.T) {
		status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/contests/"+ct.ID+"/rounds/r1/winners", btc, nil)
		if status != http.StatusOK {
			t.Fatalf("GET winners: %d %s", status, raw)
		}
		dashDecode(t, raw, &winners)
		if d := value(t, ctx, chromedp.Text(`#digest`)); d != winners.Digest || len(d) != 64 {
			t.Errorf("page digest %q, API digest %q", d, winners.Digest)
		}
		if truth := value(t, ctx, chromedp.Text(`#close-truth`)); truth != "6" || winners.Truth != 6 {
			t.Errorf("true value: page %q, API %d; want 6 entries", truth, winners.Truth)
		}
		rows := value(t, ctx, chromedp.Evaluate[[]map[string]string](`Array.from(document.querySelectorAll('#winners-table tbody tr')).map(function (tr) {
		function c(cls) { return tr.querySelector('.' + cls).textContent.trim(); }
		return {rank: tr.dataset.rank, tier: c('tier'), name: c('name'), phone: c('phone'), score: c('score')} })`))
		var got, want []string
		for _, r := range rows {
			got = append(got, r["rank"]+"|"+r["tier"]+"|"+r["name"]+"|"+r["phone"]+"|"+r["score"])
		}
		for _, w := range winners.Winners {
			// The page writes phones as the files do: "0913 222 333", not "+84913222333".
			want = append(want, strconv.Itoa(w.Rank)+"|Giải "+w.Tier+"|"+w.Name+"|"+vnfmt.PhoneText(w.Phone)+"|"+strconv.Itoa(w.Score))
		}
		if !slices.Equal(got, want) {
			t.Errorf("winners table:\n page %q\n  API %q", got, want)
		}
	}) {
		return
	}

	if !t.Run("the winners follow the score, then the prediction's distance", func(t *testing.T) {
		var order []string
		for _, w := range winners.Winners {
			order = append(order, w.Tier+":"+w.Name)
		}
		if wantOrder := []string{"Nhất:Nguyễn Thị Hoa", "Nhì:Trần Văn Bình", "Ba:Lê Thị Cúc", "Khuyến khích:Phạm Văn Dũng",
			"Khuyến khích:Hoàng Thị Én"}; !slices.Equal(order, wantOrder) {
			t.Errorf("winners = %v, want %v (score, then prediction distance)", order, wantOrder)
		}
		shot(t, ctx, "organiser-winners")
	}) {
		return
	}

	// Downloads go through fetch with the token and a Blob.
	if !t.Run("the organiser downloads the winners as CSV with a BOM", func(t *testing.T) {
		captureDownloads(t, ctx)
		run(t, ctx, "download the winners as CSV", chromedp.Click(`#download-winners-csv`))
		if f := downloaded(t, ctx, "winners CSV", 0); !f.BOM || !strings.HasPrefix(f.Type, "text/csv") ||
			!strings.Contains(f.Text, winners.Winners[0].Name) || !strings.Contains(f.Text, "0913 222 333") {
			t.Errorf("winners CSV = %s, BOM %v: %.300q; want the BOM, the first winner's name and phone", f.Type, f.BOM, f.Text)
		}
	}) {
		return
	}

	if !t.Run("the organiser downloads the winners as a workbook", func(t *testing.T) {
		run(t, ctx, "download the winners as XLSX", chromedp.Click(`#download-winners-xlsx`))
		if f := downloaded(t, ctx, "winners XLSX", 1); !strings.HasPrefix(f.Type, "application/vnd.openxmlformats") || !strings.HasPrefix(f.Text, "PK") {
			t.Errorf("winners XLSX = %s %.20q, want a workbook", f.Type, f.Text)
		}
	}) {
		return
	}

	if !t.Run("the organiser downloads every entry as one CSV", func(t *testing.T) {
		run(t, ctx, "download every entry", chromedp.Click(`#download-entries`))
		f := downloaded(t, ctx, "entries CSV", 2)
		records, err := csv.NewReader(strings.NewReader(f.Text)).ReadAll()
		if err != nil || !f.BOM || strings.Count(f.Text, "\ufeff") != 0 || len(records) != 7 {
			t.Errorf("entries CSV: BOM %v, %d records (%v); want the BOM once, the header and 6 entries: %.300q", f.BOM, len(records), err, f.Text)
		}
		if p := value(t, ctx, chromedp.Text(`#entries-progress`)); !strings.Contains(p, "Đã tải xong") {
			t.Errorf("entries progress = %q", p)
		}
		if errs := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('error').hidden ? '' : document.getElementById('error').textContent`)); errs != "" {
			t.Errorf("the organiser page shows an error: %s", errs)
		}
	}) {
		return
	}

	t.Run("anyone reads the masked top, the true value, the digest and the villages on the public results page", func(t *testing.T) {
		status, raw := dashCall(t, srv.URL, "GET", "/v1/contests/"+ct.ID+"/rounds/r1/results", "", nil)
		if status != http.StatusOK {
			t.Fatalf("public results: %d %s", status, raw)
		}
		var pub rounds.PublicResults
		dashDecode(t, raw, &pub)
		run(t, ctx, "open the public results",
			chromedp.EmulateViewport(360, 740),
			chromedp.Navigate(srv.URL+"/?results="+ct.ID+"&round=r1"),
			chromedp.WaitVisible(`#results-body`),
		)
		page := value(t, ctx, chromedp.Evaluate[map[string]any](`({digest: document.getElementById('results-digest').textContent,
		truth: document.getElementById('results-truth').textContent, top: document.querySelectorAll('#results-top li[data-rank]').length,
		first: document.querySelector('#results-top li').textContent, units: document.querySelectorAll('#results-units tbody tr').length,
		body: document.body.textContent, width: document.documentElement.scrollWidth})`))
		if page["digest"] != pub.Digest || page["truth"] != "6" || page["top"] != float64(len(pub.Top)) || page["units"] != float64(len(pub.ByUnit)) {
			t.Errorf("public results page %v, API digest %s, %d on top, %d villages", page, pub.Digest, len(pub.Top), len(pub.ByUnit))
		}
		if first := fmt.Sprint(page["first"]); !strings.Contains(first, "Giải Nhất") || !strings.Contains(first, contest.MaskName("Nguyễn Thị Hoa")) {
			t.Errorf("first on the public results = %q", first)
		}
		if body := fmt.Sprint(page["body"]); strings.Contains(body, "Nguyễn Thị Hoa") || strings.Contains(body, "913222333") {
			t.Errorf("the public results reveal personal details")
		}
		if w, _ := page["width"].(float64); w > 360 {
			t.Errorf("public results are %v px wide on a 360 px screen", w)
		}
		shot(t, ctx, "public-results")
	})
}

// pickRound chooses the contest and the round in the organiser page's pickers.
func pickRound(t *testing.T, ctx context.Context, contestID, roundID string) {
	t.Helper()
	value(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(function(){
		function set(id, v){ var e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change', {bubbles: true})); }
		set('contest-select', %q); set('round-select', %q); return true })()`, contestID, roundID)))
}

// contestEnter starts and submits an entry over HTTP: the first p.right drawn questions
// right, the rest wrong. It returns the attempt id.
func contestEnter(t *testing.T, base string, clock *testenv.Clock, ct quiz.Quiz, p contestPerson) string {
	t.Helper()
	token := verifyPhone(t, base, p.phone, ct.ID)
	status, raw := dashCall(t, base, "POST", "/v1/quizzes/"+ct.ID+"/attempts", "", map[string]any{
		"participant": map[string]any{"name": p.name, "phone": p.phone, "unitId": p.unit, "phoneToken": token}, "consent": true, "clientId": "device-" + p.phone})
	if status != http.StatusCreated {
		t.Fatalf("%s enters: %d %s", p.name, status, raw)
	}
	var started attempts.StartResponse
	dashDecode(t, raw, &started)
	var answers []map[string]any
	for i, pq := range started.Questions {
		q, ok := ct.Question(pq.ID)
		if !ok {
			t.Fatalf("question %s not in the contest", pq.ID)
		}
		ids := q.CorrectOptionIDs
		if i >= p.right {
			for _, o := range q.Options {
				if !slices.Contains(q.CorrectOptionIDs, o.ID) {
					ids = []string{o.ID}
					break
				}
			}
		}
		answers = append(answers, map[string]any{"questionId": q.ID, "optionIds": ids})
	}
	clock.Advance(p.took)
	status, raw = dashCall(t, base, "POST", "/v1/attempts/"+started.AttemptID+"/submit", "",
		map[string]any{"attemptToken": started.AttemptToken, "answers": answers, "prediction": p.prediction})
	if status != http.StatusOK {
		t.Fatalf("%s submits: %d %s", p.name, status, raw)
	}
	var r attempts.Result
	dashDecode(t, raw, &r)
	if r.Receipt == "" || r.Score != 0 || r.Ranked == nil || !*r.Ranked || len(r.Review) != 0 {
		t.Fatalf("%s's result = %+v, want a receipt, ranked, no score, no review", p.name, r)
	}
	return started.AttemptID
}

// TestAnOrganiserCreatesAContestInThePage fills in the create form: one round, the
// ranking order changed with the buttons, the default prize tiers, questions copied from
// the demo quiz; saves the draft and publishes it.
func TestAnOrganiserCreatesAContestInThePage(t *testing.T) {
	_, srv := demoSite(t)
	btc := dashSignIn(t, srv.URL, "btc", "demo1234")
	qs, err := demo.Quizzes()
	if err != nil {
		t.Fatal(err)
	}
	copyable := 0
	for _, q := range qs {
		if q.ID == dashQuiz {
			for _, x := range q.Questions {
				if (x.Kind == quiz.Single || x.Kind == quiz.Multiple || x.Kind == quiz.TrueFalse) && len(x.CorrectOptionIDs) > 0 {
					copyable++
				}
			}
		}
	}

	ctx := browser(t)
	title := "Hội thi trực tuyến tìm hiểu Nghị quyết 58 — đợt 2"
	run(t, ctx, "sign in and open the form",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/staff/contest.html"),
		chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`), // to the issuer's login page
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "btc"),
		chromedp.SendKeys(`#password`, "demo1234"),
		chromedp.Click(`#signin-button`),
		chromedp.WaitVisible(`#new-contest`),
		chromedp.Click(`#new-contest`),
		chromedp.WaitVisible(`#create-form`),
		chromedp.WaitReady(chromedp.CSS(`#c-source option[value="`+dashQuiz+`"]`)),
		chromedp.SendKeys(`#c-title`, title),
		chromedp.SendKeys(`#c-description`, "Mỗi người dự thi tối đa 2 lượt mỗi vòng."),
		chromedp.SetValue(`#c-attempts`, "2"),
		chromedp.SetValue(chromedp.CSS(`#c-rounds .c-round-name`), "Vòng sơ khảo"),
		chromedp.SetValue(`#c-min-score`, "2"),
		chromedp.SetValue(`#c-source`, dashQuiz),
		chromedp.Click(`#c-import`),
		chromedp.WaitVisible(`#c-questions`),
		// Prediction distance first, then score.
		chromedp.Click(chromedp.CSS(`#c-ranking li[data-key="score"] button:nth-of-type(2)`)),
	)
	if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#c-questions input.c-q:checked').length`)); n != copyable {
		t.Errorf("%d questions copied, want %d", n, copyable)
	}
	shot(t, ctx, "create-form")
	run(t, ctx, "save the draft", chromedp.Click(`#c-save`), chromedp.WaitVisible(`#c-done`), chromedp.WaitVisible(`#publish`))
	if got := value(t, ctx, chromedp.Text(`#c-save`)); got != "Lưu thay đổi bản nháp" {
		t.Errorf("after the first save the button says %q, want it to save into the draft", got)
	}
	// A second click saves the same draft again (a changed description), never a second contest.
	run(t, ctx, "save the draft again",
		chromedp.SendKeys(`#c-description`, " Có giải thưởng."),
		chromedp.Click(`#c-save`))
	waitJS(t, ctx, "the second save is done", `document.getElementById('c-done').textContent.indexOf('Đã lưu thay đổi bản nháp') === 0`)
	status, raw := dashCall(t, srv.URL, "GET", "/v1/admin/quizzes", btc, nil)
	if status != http.StatusOK {
		t.Fatalf("list quizzes: %d %s", status, raw)
	}
	var list struct{ Quizzes []quiz.Quiz }
	dashDecode(t, raw, &list)
	var made quiz.Quiz
	saved := 0
	for _, q := range list.Quizzes {
		if q.Title == title {
			made = q
			saved++
		}
	}
	if saved != 1 {
		t.Errorf("two saves stored %d contests titled %q, want 1", saved, title)
	}
	if made.ID == "" || made.Kind != quiz.KindContest || made.Status != quiz.Draft || made.Contest == nil {
		t.Fatalf("stored contest = %+v", made)
	}
	if made.Description != "Mỗi người dự thi tối đa 2 lượt mỗi vòng. Có giải thưởng." {
		t.Errorf("stored description %q, want the second save's", made.Description)
	}
	if made.Contest.Rounds[0].Name != "Vòng sơ khảo" || made.Contest.MinPrizeScore != 2 {
		t.Errorf("stored round name %q, minimum prize score %d; want Vòng sơ khảo and 2", made.Contest.Rounds[0].Name, made.Contest.MinPrizeScore)
	}
	waitJS(t, ctx, "the draft's round is shown", `document.getElementById('round-title').textContent === 'Vòng sơ khảo'`)
	shown := value(t, ctx, chromedp.Evaluate[map[string]string](`({state: document.querySelector('#round-info .state').textContent,
		cls: document.querySelector('#round-info .state').className, option: document.querySelector('#round-select option:checked').textContent,
		info: document.getElementById('contest-info').textContent})`))
	if shown["state"] != "Nháp" || shown["cls"] != "state draft" || !strings.HasPrefix(shown["option"], "Vòng sơ khảo (") ||
		!strings.Contains(shown["info"], "Nhận giải khi đạt từ 2 điểm") {
		t.Errorf("the draft's round shows %v, want the neutral Nháp, its name and the minimum score", shown)
	}
	shot(t, ctx, "draft")
	c := made.Contest
	var tiers []string
	for _, p := range c.Prizes {
		tiers = append(tiers, p.Tier)
	}
	if len(c.Rounds) != 1 || c.Rounds[0].ID != "r1" || !c.Rounds[0].ClosesAt.After(c.Rounds[0].OpensAt) || c.AttemptsPerRound != 2 ||
		!slices.Equal(c.Ranking, []string{"predictionDistance", "score", "durationMs", "submittedAt"}) ||
		!slices.Equal(tiers, []string{"Nhất", "Nhì", "Ba", "Khuyến khích"}) || c.Prediction.Truth != "entries" ||
		c.Prediction.Text != "Dự đoán số bài dự thi của vòng này" || made.ScopeUnitID != "xa-a" || len(made.Questions) != copyable {
		t.Errorf("stored contest block = %+v, scope %s, %d questions", c, made.ScopeUnitID, len(made.Questions))
	}
	for _, q := range made.Questions {
		if len(q.CorrectOptionIDs) == 0 {
			t.Errorf("question %s lost its key", q.ID)
		}
	}
	if got := value(t, ctx, chromedp.Evaluate[string](`document.getElementById('contest-select').value`)); got != made.ID {
		t.Errorf("the picker shows %q after saving, want the new draft %s", got, made.ID)
	}
	run(t, ctx, "publish", chromedp.Click(`#publish`), chromedp.WaitVisible(`#publish-confirm-ok`),
		chromedp.Click(`#publish-confirm-ok`), chromedp.WaitNotVisible(`#publish`))
	status, raw = dashCall(t, srv.URL, "GET", "/v1/admin/quizzes/"+made.ID, btc, nil)
	var after quiz.Quiz
	dashDecode(t, raw, &after)
	if status != http.StatusOK || after.Status != quiz.Published {
		t.Errorf("after publishing: %d, status %s", status, after.Status)
	}
	waitJS(t, ctx, "the published round is no draft any more", `document.querySelector('#round-info .state').className === 'state upcoming'`)
	if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('create').hidden`)) {
		t.Errorf("the form still edits the contest after it was published")
	}
	shot(t, ctx, "published")
}

// smsCode reads the newest code sent to a normalised phone from the local gateway's SMS
// outbox (GET /local/sms), as a developer reads it in place of the phone.
func smsCode(t *testing.T, base, phone string) string {
	t.Helper()
	resp, err := http.Get(base + "/local/sms")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []struct{ Phone, Code string } `json:"messages"`
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

// verifyPhone verifies a phone for a contest over HTTP and returns the phone token.
func verifyPhone(t *testing.T, base, phone, quizID string) string {
	t.Helper()
	status, raw := dashCall(t, base, "POST", "/v1/verifications", "", map[string]string{"phone": phone, "quizId": quizID})
	if status != http.StatusAccepted {
		t.Fatalf("request a code for %s: %d %s", quizID, status, raw)
	}
	var v phoneverify.VerificationResponse
	dashDecode(t, raw, &v)
	normalized, err := quiz.NormalizePhone(phone)
	if err != nil {
		t.Fatal(err)
	}
	status, raw = dashCall(t, base, "POST", "/v1/verifications/"+v.VerificationID+"/confirm", "", map[string]string{"code": smsCode(t, base, normalized)})
	if status != http.StatusOK {
		t.Fatalf("confirm the code: %d %s", status, raw)
	}
	var c phoneverify.ConfirmResponse
	dashDecode(t, raw, &c)
	return c.PhoneToken
}
