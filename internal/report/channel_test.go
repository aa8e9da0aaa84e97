package report

import (
	"testing"

	"github.com/nq58/tracker/internal/aggregate"
)

func TestTheWebChannelIsTheTotalLessPaperAndAssisted(t *testing.T) {
	total := aggregate.Counter{Participants: 10, Scored: 9, ScoreSum: 700_000, ScoreSqSum: 60_000_000_000, Passes: 6,
		Groups: map[string]aggregate.GroupTally{
			"channel:paper":    {Participants: 3, Scored: 3, ScoreSum: 200_000, ScoreSqSum: 15_000_000_000, Passes: 2},
			"channel:assisted": {Participants: 1, Scored: 1, ScoreSum: 50_000, ScoreSqSum: 2_500_000_000},
		}}
	tests := []struct {
		channel string
		want    aggregate.GroupTally
	}{
		{"web", aggregate.GroupTally{Participants: 6, Scored: 5, ScoreSum: 450_000, ScoreSqSum: 42_500_000_000, Passes: 4}},
		{"paper", total.Groups["channel:paper"]},
		{"assisted", total.Groups["channel:assisted"]},
	}
	for _, tt := range tests {
		t.Run("the "+tt.channel+" row", func(t *testing.T) {
			if got := channelTally(total, tt.channel); got != tt.want {
				t.Errorf("channelTally(%s) = %+v, want %+v", tt.channel, got, tt.want)
			}
		})
	}
}
