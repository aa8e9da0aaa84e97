package contest

import (
	"fmt"
	"slices"
	"testing"
)

var tiers = []Prize{
	{Tier: "Nhất", Count: 1, Amount: 2_000_000},
	{Tier: "Nhì", Count: 2, Amount: 1_000_000},
	{Tier: "Ba", Count: 3, Amount: 500_000},
	{Tier: "Khuyến khích", Count: 5, Amount: 200_000},
}

// ranking returns persons ranked in the order given, one attempt each, ranks 1, 2, 3…
func ranking(persons ...string) []Ranked {
	out := make([]Ranked, len(persons))
	for i, p := range persons {
		out[i] = Ranked{Entry: Entry{AttemptID: "att-" + p, Person: p}, Rank: i + 1}
	}
	return out
}

// numbered returns persons p01…pNN.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p%02d", i+1)
	}
	return out
}

// award is what a test expects of one winner.
type award struct {
	Person, Tier string
	Amount       int64
}

func awardsOf(ranked []Ranked) []award {
	var out []award
	for _, r := range Winners(ranked) {
		out = append(out, award{r.Person, r.Tier, r.Amount})
	}
	return out
}

func wantAwards(t *testing.T, got []Ranked, want []award) {
	t.Helper()
	if g := awardsOf(got); !slices.Equal(g, want) {
		t.Errorf("winners:\n got  %v\n want %v", g, want)
	}
}

const (
	nhat = 2_000_000
	nhi  = 1_000_000
	ba   = 500_000
	kk   = 200_000
)

func TestAwardPrizesTiersAndCap(t *testing.T) {
	allEleven := []award{
		{"p01", "Nhất", nhat},
		{"p02", "Nhì", nhi}, {"p03", "Nhì", nhi},
		{"p04", "Ba", ba}, {"p05", "Ba", ba}, {"p06", "Ba", ba},
		{"p07", "Khuyến khích", kk}, {"p08", "Khuyến khích", kk}, {"p09", "Khuyến khích", kk},
		{"p10", "Khuyến khích", kk}, {"p11", "Khuyến khích", kk},
	}
	tests := []struct {
		name       string
		capPercent int
		entrants   int
		want       []award
	}{
		{"without a cap the 11 places go down the ranking tier by tier", 0, 14, allEleven},
		{"a cap of 50 % of 14 entrants (7 prizes) leaves one Khuyến khích", 50, 14, allEleven[:7]},
		{"a cap of 30 % of 20 entrants (6 prizes) removes every Khuyến khích first", 30, 20, allEleven[:6]},
		{"a cap of 40 % of 12 entrants rounds 4.8 down to 4 prizes, cutting into Ba", 40, 12, allEleven[:4]},
		{"a cap above the places available changes nothing", 100, 14, allEleven},
		{"a cap of 5 % of 14 entrants (0.7) awards nothing", 5, 14, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AwardPrizes(ranking(numbered(14)...), tiers, tt.capPercent, tt.entrants, nil, 0)
			wantAwards(t, got, tt.want)
			if len(got) != 14 {
				t.Errorf("AwardPrizes() returned %d entries, want all 14", len(got))
			}
		})
	}
	t.Run("fewer entries than places fill the top tiers only", func(t *testing.T) {
		got := AwardPrizes(ranking(numbered(4)...), tiers, 0, 4, nil, 0)
		wantAwards(t, got, allEleven[:4])
	})
	t.Run("no prize tiers award nothing", func(t *testing.T) {
		wantAwards(t, AwardPrizes(ranking(numbered(5)...), nil, 0, 5, nil, 0), nil)
	})
}

func TestAwardPrizesByPosition(t *testing.T) {
	t.Run("entries sharing a rank across a tier boundary are awarded by position", func(t *testing.T) {
		r := ranking("a", "b", "c", "d", "e")
		r[1].Rank = 1 // a and b share rank 1; c and d share rank 3
		r[3].Rank = 3
		got := AwardPrizes(r, tiers, 0, 5, nil, 0)
		wantAwards(t, got, []award{
			{"a", "Nhất", nhat},
			{"b", "Nhì", nhi}, // shares rank 1 with a, but Nhất has one place
			{"c", "Nhì", nhi},
			{"d", "Ba", ba}, // shares rank 3 with c, but Nhì is full
			{"e", "Ba", ba},
		})
	})
	t.Run("a person listed twice wins once", func(t *testing.T) {
		got := AwardPrizes(ranking("a", "a", "b"), tiers, 0, 2, nil, 0)
		wantAwards(t, got, []award{{"a", "Nhất", nhat}, {"b", "Nhì", nhi}})
	})
	t.Run("tiers from an earlier call are cleared and the input is not changed", func(t *testing.T) {
		in := ranking("a", "b")
		in[1].Tier, in[1].Amount = "Nhất", nhat
		got := AwardPrizes(in, tiers[:1], 0, 2, nil, 0)
		wantAwards(t, got, []award{{"a", "Nhất", nhat}})
		if in[0].Tier != "" || in[1].Tier != "Nhất" {
			t.Errorf("AwardPrizes() changed its input: %+v", in)
		}
	})
}

func TestAwardPrizesOnePrizePerPerson(t *testing.T) {
	round1 := AwardPrizes(ranking(numbered(14)...), tiers, 0, 14, nil, 0)
	alreadyWon := map[string]bool{}
	for _, w := range Winners(round1) {
		alreadyWon[w.Person] = true
	}
	// Round 2: p01 (round-1 Nhất) comes first again and p11 (round-1 Khuyến khích) comes
	// fourth; the others are new.
	round2 := ranking("p01", "n1", "n2", "p11", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11")

	t.Run("round-1 winners are skipped in round 2 and their places pass down", func(t *testing.T) {
		got := AwardPrizes(round2, tiers, 0, 13, alreadyWon, 0)
		wantAwards(t, got, []award{
			{"n1", "Nhất", nhat},
			{"n2", "Nhì", nhi}, {"n3", "Nhì", nhi},
			{"n4", "Ba", ba}, {"n5", "Ba", ba}, {"n6", "Ba", ba},
			{"n7", "Khuyến khích", kk}, {"n8", "Khuyến khích", kk}, {"n9", "Khuyến khích", kk},
			{"n10", "Khuyến khích", kk}, {"n11", "Khuyến khích", kk},
		})
		if got[0].Tier != "" || got[3].Tier != "" {
			t.Errorf("skipped persons got tiers %q and %q, want none", got[0].Tier, got[3].Tier)
		}
	})
	t.Run("skipped persons do not count against the cap", func(t *testing.T) {
		got := AwardPrizes(round2, tiers, 30, 13, alreadyWon, 0) // 3 prizes
		wantAwards(t, got, []award{{"n1", "Nhất", nhat}, {"n2", "Nhì", nhi}, {"n3", "Nhì", nhi}})
	})
	t.Run("with the rule off (nil) a round-1 winner can win again", func(t *testing.T) {
		got := AwardPrizes(round2, tiers, 0, 13, nil, 0)
		if got[0].Person != "p01" || got[0].Tier != "Nhất" || got[3].Tier != "Ba" {
			t.Errorf("first and fourth = %+v, %+v, want p01 Nhất and p11 Ba", got[0], got[3])
		}
	})
}

func TestPrizeLimit(t *testing.T) {
	tests := []struct{ capPercent, entrants, want int }{
		{0, 100, -1},
		{10, 100, 10},
		{10, 99, 9},
		{100, 7, 7},
		{10, 0, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("a cap of %d %% of %d entrants allows %d", tt.capPercent, tt.entrants, tt.want), func(t *testing.T) {
			if got := PrizeLimit(tt.capPercent, tt.entrants); got != tt.want {
				t.Errorf("PrizeLimit(%d, %d) = %d, want %d", tt.capPercent, tt.entrants, got, tt.want)
			}
		})
	}
}

// scored returns persons ranked in the order given with the scores given.
func scored(scores ...int) []Ranked {
	out := ranking(numbered(len(scores))...)
	for i, s := range scores {
		out[i].Score = s
	}
	return out
}

func TestAwardPrizesMinimumScore(t *testing.T) {
	two := []Prize{{Tier: "Nhất", Count: 1, Amount: nhat}, {Tier: "Nhì", Count: 1, Amount: nhi}}
	tests := []struct {
		name     string
		ranked   []Ranked
		minScore int
		want     []award
	}{
		{"an entry with nothing right wins nothing under the default minimum of 1, though ranked first",
			scored(0, 7, 5), 1, []award{{"p02", "Nhất", nhat}, {"p03", "Nhì", nhi}}},
		{"an entry exactly at the minimum wins",
			scored(3, 3, 9), 3, []award{{"p01", "Nhất", nhat}, {"p02", "Nhì", nhi}}},
		{"entries below a minimum of 5 leave the tiers unfilled rather than award them",
			scored(4, 6, 1, 0), 5, []award{{"p02", "Nhất", nhat}}},
		{"a round where nobody reaches the minimum awards nothing",
			scored(0, 0, 0), 1, nil},
		{"a minimum of 0 lets a 0-score entry win",
			scored(0, 2), 0, []award{{"p01", "Nhất", nhat}, {"p02", "Nhì", nhi}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAwards(t, AwardPrizes(tt.ranked, two, 0, len(tt.ranked), nil, tt.minScore), tt.want)
		})
	}
}
