package contest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr/apperrtest"

	"github.com/nq58/tracker/internal/apperr"
)

// now is the fixed "now" of the tests: 1 September 2025, 08:00 in Vietnam.
var now = time.Date(2025, 9, 1, 1, 0, 0, 0, time.UTC)

// week returns round id opening n weeks after now, for one week.
func week(id string, n int) Round {
	opens := now.AddDate(0, 0, 7*n)
	return Round{ID: id, OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 7)}
}

// minimalConfig is the smallest valid contest: everything else takes its default.
func minimalConfig() Config {
	var c Config
	c.Rounds = []Round{week("tuan-1", 0), week("tuan-2", 1), week("tuan-3", 2)}
	c.Prediction.Text = "Theo bạn, tuần này có bao nhiêu lượt dự thi?"
	return c
}

func fullConfig() Config {
	c := minimalConfig()
	c.AttemptsPerRound = 2
	c.Prediction.Truth = TruthParticipants
	c.Ranking = []string{ByPredictionDistance, ByScore, BySubmittedAt}
	c.Prizes = []Prize{
		{Tier: "Nhất", Count: 1, Amount: 2_000_000},
		{Tier: "Nhì", Count: 2, Amount: 1_000_000},
		{Tier: "Ba", Count: 3, Amount: 500_000},
		{Tier: "Khuyến khích", Count: 5, Amount: 0},
	}
	c.PrizeCapPercent = 10
	off := false
	c.OnePrizePerPerson = &off
	c.Collective = Collective{Count: 3, ParticipationWeight: 1, EntrantsWeight: 0, UnitKind: "village"}
	c.FastSecondsPerQuestion = 5
	c.TopN = 20
	return c
}

func TestNormalizedFillsDefaults(t *testing.T) {
	t.Run("an empty configuration gets every default", func(t *testing.T) {
		got := minimalConfig().Normalized()
		if got.AttemptsPerRound != 1 {
			t.Errorf("AttemptsPerRound = %d, want 1", got.AttemptsPerRound)
		}
		if !slices.Equal(got.Ranking, DefaultRanking) {
			t.Errorf("Ranking = %v, want %v", got.Ranking, DefaultRanking)
		}
		if got.OnePrizePerPerson == nil || !*got.OnePrizePerPerson || !got.OnePrize() {
			t.Errorf("OnePrizePerPerson = %v, want true", got.OnePrizePerPerson)
		}
		if got.Collective.ParticipationWeight != 0.7 || got.Collective.EntrantsWeight != 0.3 {
			t.Errorf("Collective weights = %v/%v, want 0.7/0.3", got.Collective.ParticipationWeight, got.Collective.EntrantsWeight)
		}
		if got.FastSecondsPerQuestion != 3 {
			t.Errorf("FastSecondsPerQuestion = %d, want 3", got.FastSecondsPerQuestion)
		}
		if got.TopN != 10 {
			t.Errorf("TopN = %d, want 10", got.TopN)
		}
		if got.Prediction.Truth != TruthEntries {
			t.Errorf("Prediction.Truth = %q, want %q", got.Prediction.Truth, TruthEntries)
		}
		if got.PrizeCapPercent != 0 || len(got.Prizes) != 0 {
			t.Errorf("PrizeCapPercent, Prizes = %d, %v, want 0 and none", got.PrizeCapPercent, got.Prizes)
		}
	})
	t.Run("values given are kept", func(t *testing.T) {
		c := fullConfig()
		got := c.Normalized()
		if got.AttemptsPerRound != 2 || got.Prediction.Truth != TruthParticipants || got.FastSecondsPerQuestion != 5 || got.TopN != 20 {
			t.Errorf("Normalized() changed given values: %+v", got)
		}
		if !slices.Equal(got.Ranking, c.Ranking) {
			t.Errorf("Ranking = %v, want %v", got.Ranking, c.Ranking)
		}
		if *got.OnePrizePerPerson || got.OnePrize() {
			t.Errorf("OnePrizePerPerson = true, want the false given")
		}
		if got.Collective.ParticipationWeight != 1 || got.Collective.EntrantsWeight != 0 {
			t.Errorf("Collective weights = %v/%v, want 1/0 as given", got.Collective.ParticipationWeight, got.Collective.EntrantsWeight)
		}
	})
	t.Run("rounds are sorted by opening time", func(t *testing.T) {
		c := minimalConfig()
		c.Rounds = []Round{week("c", 2), week("a", 0), week("b", 1)}
		var got []string
		for _, r := range c.Normalized().Rounds {
			got = append(got, r.ID)
		}
		if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
			t.Errorf("round ids = %v, want %v", got, want)
		}
		if c.Rounds[0].ID != "c" {
			t.Errorf("Normalized() reordered the caller's rounds: %v", c.Rounds)
		}
	})
	t.Run("the copy shares no slice with the original", func(t *testing.T) {
		c := fullConfig()
		n := c.Normalized()
		n.Ranking[0] = "changed"
		n.Prizes[0].Tier = "changed"
		*n.OnePrizePerPerson = true
		if c.Ranking[0] != ByPredictionDistance || c.Prizes[0].Tier != "Nhất" || *c.OnePrizePerPerson {
			t.Errorf("changing the normalised copy changed the original: %+v", c)
		}
	})
}

func TestValidateAcceptsValidConfigs(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *Config)
	}{
		{"a configuration relying on every default passes", func(c *Config) {}},
		{"a configuration setting every field passes", func(c *Config) { *c = fullConfig() }},
		{"rounds listed out of order pass", func(c *Config) { c.Rounds = []Round{week("b", 1), week("a", 0)} }},
		{"a round opening the instant the previous one closes passes", func(c *Config) {
			c.Rounds = []Round{week("a", 0), {ID: "b", OpensAt: week("a", 0).ClosesAt, ClosesAt: week("a", 0).ClosesAt.Add(time.Hour)}}
		}},
		{"rounds that closed long ago pass", func(c *Config) { c.Rounds = []Round{week("old", -200)} }},
		{"52 rounds pass", func(c *Config) {
			c.Rounds = nil
			for i := range 52 {
				c.Rounds = append(c.Rounds, week(fmt.Sprintf("tuan-%02d", i+1), i))
			}
		}},
		{"a round id of 20 characters passes", func(c *Config) { c.Rounds[0].ID = strings.Repeat("a", 20) }},
		{"20 attempts per round pass", func(c *Config) { c.AttemptsPerRound = 20 }},
		{"a single ranking criterion passes", func(c *Config) { c.Ranking = []string{BySubmittedAt} }},
		{"a prize of 0 VND passes", func(c *Config) { c.Prizes = []Prize{{Tier: "Khuyến khích", Count: 10}} }},
		{"a prize of 10000 places passes", func(c *Config) { c.Prizes = []Prize{{Tier: "Quà", Count: 10000, Amount: 1}} }},
		{"a cap of 100 % passes", func(c *Config) { c.PrizeCapPercent = 100 }},
		{"the truth perfectEntries passes", func(c *Config) { c.Prediction.Truth = TruthPerfectEntries }},
		{"only the entrants weight passes", func(c *Config) { c.Collective.EntrantsWeight = 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimalConfig()
			tt.modify(&c)
			if err := c.Validate(now); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestValidateRejectsInvalidConfigs(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *Config)
	}{
		{"no rounds fail", func(c *Config) { c.Rounds = nil }},
		{"53 rounds fail", func(c *Config) {
			c.Rounds = nil
			for i := range 53 {
				c.Rounds = append(c.Rounds, week(fmt.Sprintf("tuan-%02d", i+1), i))
			}
		}},
		{"a round without id fails", func(c *Config) { c.Rounds[1].ID = "" }},
		{"a round id of 21 characters fails", func(c *Config) { c.Rounds[1].ID = strings.Repeat("a", 21) }},
		{"a round id with a Vietnamese letter fails", func(c *Config) { c.Rounds[1].ID = "tuần-2" }},
		{"a round id with a space fails", func(c *Config) { c.Rounds[1].ID = "tuan 2" }},
		{"two rounds with the same id fail", func(c *Config) { c.Rounds[2].ID = c.Rounds[0].ID }},
		{"a round without opening time fails", func(c *Config) { c.Rounds[0].OpensAt = time.Time{} }},
		{"a round without closing time fails", func(c *Config) { c.Rounds[2].ClosesAt = time.Time{} }},
		{"a round closing when it opens fails", func(c *Config) { c.Rounds[1].ClosesAt = c.Rounds[1].OpensAt }},
		{"a round closing before it opens fails", func(c *Config) { c.Rounds[1].ClosesAt = c.Rounds[1].OpensAt.Add(-time.Second) }},
		{"a round overlapping the previous by one second fails", func(c *Config) { c.Rounds[1].OpensAt = c.Rounds[0].ClosesAt.Add(-time.Second) }},
		{"a round inside another fails, whatever the listed order", func(c *Config) {
			c.Rounds = []Round{week("b", 1), {ID: "a", OpensAt: week("b", 1).OpensAt.Add(-time.Hour), ClosesAt: week("b", 1).ClosesAt.Add(time.Hour)}}
		}},
		{"a round closing more than 3 years from now fails", func(c *Config) { c.Rounds[2].ClosesAt = now.AddDate(3, 0, 1) }},
		{"a negative number of attempts fails", func(c *Config) { c.AttemptsPerRound = -1 }},
		{"21 attempts per round fail", func(c *Config) { c.AttemptsPerRound = 21 }},
		{"an unknown ranking criterion fails", func(c *Config) { c.Ranking = []string{ByScore, "age"} }},
		{"a ranking criterion listed twice fails", func(c *Config) { c.Ranking = []string{ByScore, ByDuration, ByScore} }},
		{"five ranking criteria fail", func(c *Config) { c.Ranking = append(slices.Clone(DefaultRanking), ByScore) }},
		{"a prize tier without name fails", func(c *Config) { c.Prizes = []Prize{{Tier: " ", Count: 1}} }},
		{"two prize tiers with the same name fail", func(c *Config) { c.Prizes = []Prize{{Tier: "Nhất", Count: 1}, {Tier: "Nhất", Count: 2}} }},
		{"a prize tier of 0 places fails", func(c *Config) { c.Prizes = []Prize{{Tier: "Nhất", Count: 0}} }},
		{"a prize tier of 10001 places fails", func(c *Config) { c.Prizes = []Prize{{Tier: "Nhất", Count: 10001}} }},
		{"a negative prize amount fails", func(c *Config) { c.Prizes = []Prize{{Tier: "Nhất", Count: 1, Amount: -1}} }},
		{"21 prize tiers fail", func(c *Config) {
			c.Prizes = nil
			for i := range 21 {
				c.Prizes = append(c.Prizes, Prize{Tier: string(rune('A' + i)), Count: 1})
			}
		}},
		{"a negative cap fails", func(c *Config) { c.PrizeCapPercent = -1 }},
		{"a cap above 100 % fails", func(c *Config) { c.PrizeCapPercent = 101 }},
		{"an unknown truth fails", func(c *Config) { c.Prediction.Truth = "visitors" }},
		{"a prediction without text fails", func(c *Config) { c.Prediction.Text = "  " }},
		{"a prediction text of 501 characters fails", func(c *Config) { c.Prediction.Text = strings.Repeat("ệ", 501) }},
		{"a negative participation weight fails", func(c *Config) { c.Collective.ParticipationWeight = -0.1; c.Collective.EntrantsWeight = 1 }},
		{"a negative entrants weight fails", func(c *Config) { c.Collective.EntrantsWeight = -0.3 }},
		{"a negative collective count fails", func(c *Config) { c.Collective.Count = -1 }},
		{"a negative fast threshold fails", func(c *Config) { c.FastSecondsPerQuestion = -3 }},
		{"a negative topN fails", func(c *Config) { c.TopN = -1 }},
		{"a topN above 1000 fails", func(c *Config) { c.TopN = 1001 }},
		{"a negative minimum score for a prize fails", func(c *Config) { c.MinPrizeScore = -1 }},
		{"a minimum score for a prize above 1000 fails", func(c *Config) { c.MinPrizeScore = 1001 }},
		{"a round name of 101 characters fails", func(c *Config) { c.Rounds[0].Name = strings.Repeat("ò", 101) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimalConfig()
			tt.modify(&c)
			apperrtest.WantCode(t, c.Validate(now), apperr.Validation, "Validate()")
		})
	}
}

func TestMinPrizeScoreDefaultsToOneCorrectAnswer(t *testing.T) {
	tests := []struct {
		name string
		set  int
		want int
	}{
		{"an unset minimum becomes 1", 0, 1},
		{"a minimum of 4 stays 4", 4, 4},
		{"the largest minimum, 1000, stays", 1000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimalConfig()
			c.MinPrizeScore = tt.set
			if got := c.Normalized().MinPrizeScore; got != tt.want {
				t.Errorf("Normalized().MinPrizeScore = %d, want %d", got, tt.want)
			}
			if err := c.Validate(now); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestRoundsWithoutNameAreNamedByPosition(t *testing.T) {
	c := minimalConfig()
	c.Rounds = []Round{week("c", 2), {ID: "a", Name: "  Vòng khởi động ", OpensAt: week("a", 0).OpensAt, ClosesAt: week("a", 0).ClosesAt}, week("b", 1)}
	var got []string
	for _, r := range c.Normalized().Rounds {
		got = append(got, r.ID+"="+r.Name)
	}
	if want := []string{"a=Vòng khởi động", "b=Vòng 2", "c=Vòng 3"}; !slices.Equal(got, want) {
		t.Errorf("Normalized() rounds = %v, want %v", got, want)
	}
	if c.Rounds[0].Name != "" {
		t.Errorf("Normalized() changed the original's round name to %q", c.Rounds[0].Name)
	}
}

func TestValidateBothWeightsZeroTakeDefaults(t *testing.T) {
	t.Run("weights both 0 cannot be told from unset, so the defaults apply and pass", func(t *testing.T) {
		c := minimalConfig()
		c.Collective = Collective{Count: 2}
		if err := c.Validate(now); err != nil {
			t.Errorf("Validate() = %v, want nil", err)
		}
	})
}

func TestRoundAt(t *testing.T) {
	c := minimalConfig()
	r1, r2, r3 := c.Rounds[0], c.Rounds[1], c.Rounds[2]
	tests := []struct {
		name   string
		at     time.Time
		wantID string // "" for no round
	}{
		{"the instant a round opens belongs to it", r1.OpensAt, r1.ID},
		{"the middle of a round belongs to it", r1.OpensAt.Add(72 * time.Hour), r1.ID},
		{"the last nanosecond before closing belongs to the round", r1.ClosesAt.Add(-time.Nanosecond), r1.ID},
		{"the instant a round closes belongs to the next round opening then", r1.ClosesAt, r2.ID},
		{"a time in the last round finds it", r3.OpensAt.Add(time.Minute), r3.ID},
		{"a time before the first round finds none", r1.OpensAt.Add(-time.Nanosecond), ""},
		{"the instant the last round closes finds none", r3.ClosesAt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.RoundAt(tt.at)
			if (tt.wantID != "") != ok || got.ID != tt.wantID {
				t.Errorf("RoundAt(%v) = %q, %v, want %q", tt.at, got.ID, ok, tt.wantID)
			}
		})
	}
	t.Run("a gap between rounds finds none", func(t *testing.T) {
		gap := Config{Rounds: []Round{week("a", 0), week("c", 2)}}
		if got, ok := gap.RoundAt(week("b", 1).OpensAt); ok {
			t.Errorf("RoundAt(gap) = %q, true, want no round", got.ID)
		}
	})
}

func TestRoundByID(t *testing.T) {
	c := minimalConfig()
	t.Run("a listed id finds its round", func(t *testing.T) {
		got, ok := c.Round("tuan-2")
		if !ok || got != c.Rounds[1] {
			t.Errorf("Round(tuan-2) = %+v, %v, want %+v, true", got, ok, c.Rounds[1])
		}
	})
	t.Run("an unknown id finds none", func(t *testing.T) {
		if got, ok := c.Round("tuan-9"); ok {
			t.Errorf("Round(tuan-9) = %+v, true, want none", got)
		}
	})
}

func TestPhoneVerificationIsOnByDefaultWhenThereArePrizes(t *testing.T) {
	on, off := true, false
	prizes := []Prize{{Tier: "Nhất", Count: 1, Amount: 1000000}}
	tests := []struct {
		name   string
		prizes []Prize
		verify *bool
		want   bool
	}{
		{"a contest with prizes and no setting requires verification", prizes, nil, true},
		{"a contest without prizes and no setting does not", nil, nil, false},
		{"a contest with prizes may switch verification off", prizes, &off, false},
		{"a contest without prizes may switch verification on", nil, &on, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimalConfig()
			c.Prizes, c.VerifyPhone = tt.prizes, tt.verify
			if got := c.RequiresVerifiedPhone(); got != tt.want {
				t.Errorf("RequiresVerifiedPhone() = %v, want %v", got, tt.want)
			}
			n := c.Normalized()
			if n.VerifyPhone == nil || *n.VerifyPhone != tt.want || n.RequiresVerifiedPhone() != tt.want {
				t.Errorf("Normalized().VerifyPhone = %v, want %v", n.VerifyPhone, tt.want)
			}
		})
	}
}

func TestAPrizeContestWithoutPhoneVerificationNeedsTheOrganisersConfirmation(t *testing.T) {
	on, off := true, false
	prizes := []Prize{{Tier: "Nhất", Count: 1, Amount: 1000000}}
	tests := []struct {
		name    string
		prizes  []Prize
		verify  *bool
		confirm bool
		ok      bool
	}{
		{"a prize contest that verifies phones is valid", prizes, &on, false, true},
		{"a prize contest with the default (verified) is valid", prizes, nil, false, true},
		{"a prize contest with verification off and no confirmation is refused", prizes, &off, false, false},
		{"a prize contest with verification off and the organiser's confirmation is valid", prizes, &off, true, true},
		{"a contest without prizes needs no confirmation to skip verification", nil, &off, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimalConfig()
			c.Prizes, c.VerifyPhone, c.AllowUnverified = tt.prizes, tt.verify, tt.confirm
			err := c.Validate(now)
			if tt.ok {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			apperrtest.WantCode(t, err, apperr.Validation, "Validate()")
			if err != nil && !strings.Contains(apperr.MessageOf(err), "allowUnverified") {
				t.Errorf("message %q does not say how to confirm (allowUnverified)", apperr.MessageOf(err))
			}
		})
	}
}
