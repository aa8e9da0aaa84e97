package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
)

// The rules of a contest round, end to end through the local gateway: the ranking and
// each of its tie-breaks, the prize cap, one prize per person across rounds, and what an
// officer may see of the winners.

// contender is a hand-made entry: `right` of the five answers correct, a prediction and
// an exact duration (the test clock moves by `took` between start and submit).
type contender struct {
	phone, name, unit string
	right             int
	prediction        int64
	took              time.Duration
}

func (e *env) enterAll(t *testing.T, quizID string, field []contender) {
	t.Helper()
	for _, c := range field {
		e.enter(t, quizID, entrant(c.phone, c.name, c.unit, ""), c.right, c.prediction, c.took)
	}
}

// reconfigure re-puts a stored contest with its configuration changed, at the version it
// was read (the store refuses a stale write), then moves the clock past the quiz
// service's one-minute catalogue cache so entries see the new configuration.
func (e *env) reconfigure(t *testing.T, quizID string, change func(c *contest.Config)) {
	t.Helper()
	ctx := context.Background()
	q, err := e.Stack.Store.GetQuiz(ctx, quizID)
	if err != nil {
		t.Fatal(err)
	}
	change(q.Contest)
	if err := e.Stack.Store.PutQuiz(ctx, q); err != nil {
		t.Fatalf("re-put contest %s: %v", quizID, err)
	}
	e.Bank[quizID] = q
	e.Clock.Advance(2 * time.Minute)
}

// staffClient calls the staff API through the gateway with a development token.
type staffClient struct {
	t     *testing.T
	base  string
	token string
}

func staffAs(t *testing.T, srv *httptest.Server, user string) staffClient {
	t.Helper()
	return staffClient{t: t, base: srv.URL, token: signIn(t, srv.URL, user)}
}

func (c staffClient) do(method, path string) (int, []byte) {
	c.t.Helper()
	status, raw, _ := staffRequest(c.t, c.base, c.token, method, path, nil)
	return status, raw
}

// closeRound lets the aggregator count every entry, then closes the round.
func (e *env) closeRound(t *testing.T, by staffClient, quizID, roundID string) rounds.CloseResult {
	t.Helper()
	if err := e.Stack.DrainStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
	status, raw := by.do("POST", "/v1/admin/contests/"+quizID+"/rounds/"+roundID+"/close")
	if status != http.StatusOK {
		t.Fatalf("close %s/%s = %d %s", quizID, roundID, status, raw)
	}
	return decodeJSON[rounds.CloseResult](t, raw)
}

func (c staffClient) winners(quizID, roundID string) (rounds.WinnersReport, []byte) {
	c.t.Helper()
	status, raw := c.do("GET", "/v1/admin/contests/"+quizID+"/rounds/"+roundID+"/winners")
	if status != http.StatusOK {
		c.t.Fatalf("winners of %s/%s = %d %s", quizID, roundID, status, raw)
	}
	return decodeJSON[rounds.WinnersReport](c.t, raw), raw
}

func (c staffClient) ranking(quizID, roundID string) (rounds.RankingPage, []byte) {
	c.t.Helper()
	status, raw := c.do("GET", "/v1/admin/contests/"+quizID+"/rounds/"+roundID+"/ranking?limit=50")
	if status != http.StatusOK {
		c.t.Fatalf("ranking of %s/%s = %d %s", quizID, roundID, status, raw)
	}
	return decodeJSON[rounds.RankingPage](c.t, raw), raw
}

// tiersAndNames lists winners as "tier:name", in ranked order.
func tiersAndNames(ws []rounds.Winner) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Tier+":"+w.Name)
	}
	return out
}

// ranksAndNames lists ranking lines as "rank:name[:tier]".
func ranksAndNames(lines []rounds.PublicLine) []string {
	out := []string{}
	for _, l := range lines {
		s := fmt.Sprintf("%d:%s", l.Rank, l.Name)
		if l.Tier != "" {
			s += ":" + l.Tier
		}
		out = append(out, s)
	}
	return out
}

func TestEveryTieBreakDecidesAPlaceInTheRankingOrderTheContestSets(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	byScore := e.newContest(t, "xep-hang-mac-dinh", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	byPrediction := e.newContest(t, "xep-hang-du-doan", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	e.reconfigure(t, byPrediction.ID, func(c *contest.Config) {
		c.Ranking = []string{contest.ByPredictionDistance, contest.ByScore, contest.ByDuration, contest.BySubmittedAt}
	})

	// Six entries, so the truth (entries: submitted attempts) is 6. Entered in this order,
	// so Vũ Văn Em submits before Bùi Thị Giang; the two tie on score (3), prediction
	// distance (|7−6| = |5−6| = 1) and duration (exactly 2 minutes).
	field := []contender{
		{"0933000002", "Lê Thị Bình", village, 5, 8, 1 * time.Minute},        // 5, distance 2, 1 min
		{"0933000005", "Vũ Văn Em", "xa-a-t03", 3, 7, 2 * time.Minute},       // 3, distance 1, 2 min, earlier
		{"0933000003", "Hoàng Văn Cường", "xa-a-t02", 4, 6, 4 * time.Minute}, // 4, distance 0, 4 min
		{"0933000001", "Nguyễn Văn An", village, 5, 6, 3 * time.Minute},      // 5, distance 0, 3 min
		{"0933000006", "Bùi Thị Giang", "xa-a-t03", 3, 5, 2 * time.Minute},   // 3, distance 1, 2 min, later
		{"0933000004", "Đỗ Thị Dung", "xa-a-t02", 4, 6, 2 * time.Minute},     // 4, distance 0, 2 min
	}
	e.enterAll(t, byScore.ID, field)
	e.enterAll(t, byPrediction.ID, field)

	e.Clock.Advance(3 * time.Hour)
	organizer := staffAs(t, srv, "btc")
	cases := []struct {
		name    string
		quizID  string
		ranking []string // "rank:masked name:tier" from the ranking page
		lines   []string // full names in the frozen results, best first
		winners []string
	}{
		{
			// Score: Bình (5) before Dung (4), although Dung predicted better. Prediction:
			// An before Bình (both 5), although Bình was faster. Duration: Dung before
			// Cường (both 4, distance 0), although Cường submitted earlier. Submission
			// time: Em before Giang, equal on everything else.
			name:    "score, then prediction distance, then duration, then submission time",
			quizID:  byScore.ID,
			ranking: []string{"1:Nguyễn V. A.:Nhất", "2:Lê T. B.:Nhì", "3:Đỗ T. D.:Ba", "4:Hoàng V. C.:Khuyến khích", "5:Vũ V. E.:Khuyến khích", "6:Bùi T. G."},
			lines:   []string{"Nguyễn Văn An", "Lê Thị Bình", "Đỗ Thị Dung", "Hoàng Văn Cường", "Vũ Văn Em", "Bùi Thị Giang"},
			winners: []string{"Nhất:Nguyễn Văn An", "Nhì:Lê Thị Bình", "Ba:Đỗ Thị Dung", "Khuyến khích:Hoàng Văn Cường", "Khuyến khích:Vũ Văn Em"},
		},
		{
			// Prediction: Giang (distance 1, score 3) before Bình (distance 2, score 5).
			// Score: An before Dung (both distance 0), although Dung was faster. Duration:
			// Dung before Cường. Submission time: Em before Giang.
			name:    "prediction distance, then score, then duration, then submission time",
			quizID:  byPrediction.ID,
			ranking: []string{"1:Nguyễn V. A.:Nhất", "2:Đỗ T. D.:Nhì", "3:Hoàng V. C.:Ba", "4:Vũ V. E.:Khuyến khích", "5:Bùi T. G.:Khuyến khích", "6:Lê T. B."},
			lines:   []string{"Nguyễn Văn An", "Đỗ Thị Dung", "Hoàng Văn Cường", "Vũ Văn Em", "Bùi Thị Giang", "Lê Thị Bình"},
			winners: []string{"Nhất:Nguyễn Văn An", "Nhì:Đỗ Thị Dung", "Ba:Hoàng Văn Cường", "Khuyến khích:Vũ Văn Em", "Khuyến khích:Bùi Thị Giang"},
		},
	}
	for _, c := range cases {
		t.Run("a contest ranked by "+c.name+" places every entry by that order", func(t *testing.T) {
			closed := e.closeRound(t, organizer, c.quizID, "r1")
			if closed.Entries != 6 || closed.Truth != 6 {
				t.Errorf("close = %+v, want 6 entries and the truth 6 (entries)", closed)
			}
			page, _ := organizer.ranking(c.quizID, "r1")
			if got := ranksAndNames(page.Lines); !page.Final || !slices.Equal(got, c.ranking) {
				t.Errorf("ranking (final %v) =\n %v\nwant\n %v", page.Final, got, c.ranking)
			}
			results, err := e.Stack.Store.GetResults(ctx, c.quizID, "r1")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, l := range results.Lines {
				got = append(got, l.Name)
				if l.Rank != i+1 {
					t.Errorf("%s has rank %d, want %d: no two entries are equal on every criterion", l.Name, l.Rank, i+1)
				}
			}
			if !slices.Equal(got, c.lines) {
				t.Errorf("frozen ranking = %v, want %v", got, c.lines)
			}
			w, _ := organizer.winners(c.quizID, "r1")
			if got := tiersAndNames(w.Winners); !slices.Equal(got, c.winners) {
				t.Errorf("winners = %v, want %v", got, c.winners)
			}
		})
	}
}

func TestThePrizeCapTakesPlacesFromTheLowestTiersFirst(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "gioi-han-giai", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	// The tiers offer 1 + 1 + 1 + 2 = 5 places. The cap is 60 % of the distinct persons
	// who entered: 7 persons give floor(4.2) = 4 places. Two persons enter twice, so the
	// round has 9 entries: a cap counted on entries would give floor(5.4) = 5.
	e.reconfigure(t, ct.ID, func(c *contest.Config) { c.PrizeCapPercent = 60 })

	field := []contender{
		{"0944000001", "Nguyễn Văn An", village, 5, 9, 3 * time.Minute},
		{"0944000002", "Lê Thị Bình", village, 5, 12, 3 * time.Minute},
		{"0944000003", "Hoàng Văn Cường", "xa-a-t02", 4, 9, 3 * time.Minute},
		{"0944000004", "Đỗ Thị Dung", "xa-a-t02", 3, 9, 3 * time.Minute},
		{"0944000005", "Vũ Văn Em", "xa-a-t03", 2, 9, 3 * time.Minute},
		{"0944000006", "Bùi Thị Giang", "xa-a-t03", 1, 9, 3 * time.Minute},
		{"0944000007", "Phan Văn Hùng", village, 1, 9, 4 * time.Minute},
		{"0944000006", "Bùi Thị Giang", "xa-a-t03", 0, 9, 3 * time.Minute},
		{"0944000007", "Phan Văn Hùng", village, 0, 9, 3 * time.Minute},
	}
	e.enterAll(t, ct.ID, field)
	e.Clock.Advance(3 * time.Hour)
	organizer := staffAs(t, srv, "btc")
	closed := e.closeRound(t, organizer, ct.ID, "r1")

	results, err := e.Stack.Store.GetResults(context.Background(), ct.ID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if closed.Entries != 9 || results.Participants != 7 {
		t.Errorf("round counts %d entries by %d persons, want 9 by 7", closed.Entries, results.Participants)
	}
	if got, want := contest.PrizeLimit(60, 7), 4; got != want {
		t.Fatalf("PrizeLimit(60, 7) = %d, want %d", got, want)
	}
	w, _ := organizer.winners(ct.ID, "r1")
	got := tiersAndNames(w.Winners)
	want := []string{"Nhất:Nguyễn Văn An", "Nhì:Lê Thị Bình", "Ba:Hoàng Văn Cường", "Khuyến khích:Đỗ Thị Dung"}
	if !slices.Equal(got, want) {
		t.Errorf("winners under a 60 %% cap = %v, want %v (one of the two Khuyến khích places lost)", got, want)
	}
}

func TestAPersonWinsOnePrizePerContestUnlessTheContestAllowsMore(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	r1 := contest.Round{ID: "r1", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	r2 := contest.Round{ID: "r2", OpensAt: r1.ClosesAt, ClosesAt: r1.ClosesAt.Add(2 * time.Hour)}
	onePrize := e.newContest(t, "mot-nguoi-mot-giai", "xa-a", r1.OpensAt, r1.ClosesAt)
	manyPrizes := e.newContest(t, "mot-nguoi-nhieu-giai", "xa-a", r1.OpensAt, r1.ClosesAt)
	e.reconfigure(t, onePrize.ID, func(c *contest.Config) { c.Rounds = []contest.Round{r1, r2} })
	no := false
	e.reconfigure(t, manyPrizes.ID, func(c *contest.Config) {
		c.Rounds, c.OnePrizePerPerson = []contest.Round{r1, r2}, &no
	})
	quizIDs := []string{onePrize.ID, manyPrizes.ID}
	organizer := staffAs(t, srv, "btc")

	// Round 1: Phúc wins the first prize in both rounds.
	for _, id := range quizIDs {
		e.enterAll(t, id, []contender{
			{"0955000001", "Nguyễn Văn Phúc", village, 5, 2, 3 * time.Minute},
			{"0955000002", "Trần Thị Quế", "xa-a-t02", 3, 2, 3 * time.Minute},
		})
	}
	e.Clock.Advance(r1.ClosesAt.Add(time.Minute).Sub(e.Clock.Now()))
	for _, id := range quizIDs {
		e.closeRound(t, organizer, id, "r1")
		w, _ := organizer.winners(id, "r1")
		if got := tiersAndNames(w.Winners); len(got) == 0 || got[0] != "Nhất:Nguyễn Văn Phúc" {
			t.Fatalf("%s round 1 winners = %v, want Nguyễn Văn Phúc first", id, got)
		}
	}

	// Round 2: Phúc enters again and is best (5 right, the exact count of 6 entries).
	round2 := []contender{
		{"0955000001", "Nguyễn Văn Phúc", village, 5, 6, 3 * time.Minute},
		{"0955000011", "Lê Văn Sơn", village, 4, 6, 3 * time.Minute},
		{"0955000012", "Hà Thị Tâm", "xa-a-t02", 4, 10, 3 * time.Minute},
		{"0955000013", "Mai Văn Uy", "xa-a-t02", 3, 6, 3 * time.Minute},
		{"0955000014", "Lò Thị Vân", "xa-a-t03", 2, 6, 3 * time.Minute},
		{"0955000015", "Cầm Văn Xuân", "xa-a-t03", 1, 6, 3 * time.Minute},
	}
	for _, id := range quizIDs {
		e.enterAll(t, id, round2)
	}
	e.Clock.Advance(r2.ClosesAt.Add(time.Minute).Sub(e.Clock.Now()))

	cases := []struct {
		name    string
		quizID  string
		winners []string
		first   string // the first line of the round 2 ranking
	}{
		{"a round 1 winner who is best in round 2 gets no second prize and every place passes down", onePrize.ID,
			[]string{"Nhất:Lê Văn Sơn", "Nhì:Hà Thị Tâm", "Ba:Mai Văn Uy", "Khuyến khích:Lò Thị Vân", "Khuyến khích:Cầm Văn Xuân"},
			"1:Nguyễn V. P."},
		{"without one prize per person the round 1 winner wins round 2 too", manyPrizes.ID,
			[]string{"Nhất:Nguyễn Văn Phúc", "Nhì:Lê Văn Sơn", "Ba:Hà Thị Tâm", "Khuyến khích:Mai Văn Uy", "Khuyến khích:Lò Thị Vân"},
			"1:Nguyễn V. P.:Nhất"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			closed := e.closeRound(t, organizer, c.quizID, "r2")
			if closed.Entries != 6 || closed.Truth != 6 {
				t.Errorf("close r2 = %+v, want 6 entries and truth 6", closed)
			}
			w, _ := organizer.winners(c.quizID, "r2")
			if got := tiersAndNames(w.Winners); !slices.Equal(got, c.winners) {
				t.Errorf("round 2 winners = %v, want %v", got, c.winners)
			}
			page, _ := organizer.ranking(c.quizID, "r2")
			if got := ranksAndNames(page.Lines); len(got) == 0 || got[0] != c.first {
				t.Errorf("round 2 ranking = %v, want it to start with %q", got, c.first)
			}
		})
	}
}

func TestAnOfficerSeesWinnersAndRankingMaskedAndAnOrganiserSeesTheWinnersInFull(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "che-thong-tin", "xa-a", now.Add(-time.Hour), now.Add(2*time.Hour))
	e.enter(t, ct.ID, entrant("0966000001", "Nguyễn Văn An", village, "038190001234"), 5, 3, 3*time.Minute)
	e.enterAll(t, ct.ID, []contender{
		{"0966000002", "Lê Thị Bình", "xa-a-t02", 4, 3, 3 * time.Minute},
		{"0966000003", "Hoàng Văn Cường", "xa-a-t03", 3, 3, 3 * time.Minute},
	})
	e.Clock.Advance(3 * time.Hour)
	organizer, officer := staffAs(t, srv, "btc"), staffAs(t, srv, "canbo")
	e.closeRound(t, organizer, ct.ID, "r1")
	full := []string{"Nguyễn Văn An", "+84966000001", "038190001234", "Lê Thị Bình", "+84966000002", "Hoàng Văn Cường", "+84966000003"}

	t.Run("an officer sees the winners' names, phones and CCCD masked", func(t *testing.T) {
		w, raw := officer.winners(ct.ID, "r1")
		if !w.Masked || len(w.Winners) != 3 {
			t.Fatalf("officer winners = %s, want 3 winners, masked", raw)
		}
		got := w.Winners[0]
		if got.Name != "Nguyễn V. A." || got.Phone != "09x xxx x001" || got.CCCD != "xxxxxxxxx234" {
			t.Errorf("first winner = %q %q %q, want %q %q %q", got.Name, got.Phone, got.CCCD, "Nguyễn V. A.", "09x xxx x001", "xxxxxxxxx234")
		}
		for _, personal := range full {
			if strings.Contains(string(raw), personal) {
				t.Errorf("officer winners reveal %q", personal)
			}
		}
	})
	t.Run("an officer sees the ranking masked", func(t *testing.T) {
		page, raw := officer.ranking(ct.ID, "r1")
		want := []string{"1:Nguyễn V. A.:Nhất", "2:Lê T. B.:Nhì", "3:Hoàng V. C.:Ba"}
		if got := ranksAndNames(page.Lines); !slices.Equal(got, want) {
			t.Errorf("officer ranking = %v, want %v", got, want)
		}
		if len(page.Lines) > 0 && page.Lines[0].Phone != "09x xxx x001" {
			t.Errorf("officer ranking phone = %q, want 09x xxx x001", page.Lines[0].Phone)
		}
		for _, personal := range full {
			if strings.Contains(string(raw), personal) {
				t.Errorf("officer ranking reveals %q", personal)
			}
		}
	})
	t.Run("an organiser sees the winners' full names, phones and CCCD", func(t *testing.T) {
		w, _ := organizer.winners(ct.ID, "r1")
		if w.Masked || len(w.Winners) != 3 {
			t.Fatalf("organiser winners masked %v, %d winners; want 3 unmasked", w.Masked, len(w.Winners))
		}
		var got []string
		for _, x := range w.Winners {
			got = append(got, x.Name+"|"+x.Phone+"|"+x.CCCD)
		}
		want := []string{"Nguyễn Văn An|+84966000001|038190001234", "Lê Thị Bình|+84966000002|", "Hoàng Văn Cường|+84966000003|"}
		if !slices.Equal(got, want) {
			t.Errorf("organiser winners = %v, want %v", got, want)
		}
	})
}
