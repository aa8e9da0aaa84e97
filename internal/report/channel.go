package report

import (
	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/quiz"
)

// GroupByChannel splits the awareness report by how attempts arrived: the resident's
// phone, a paper sheet, or assisted entry.
const GroupByChannel = "channel"

// ChannelLabels name quiz.Channels in Vietnamese.
var ChannelLabels = map[string]string{
	quiz.ChannelWeb:      "Tự làm trên điện thoại",
	quiz.ChannelPaper:    "Phiếu giấy",
	quiz.ChannelAssisted: "Cán bộ nhập cùng người dân",
}

// channelTally is a channel's group tally. Counters keep only the staff channels
// (quiz.ChannelGroupKeys), so the web's is the total less those.
func channelTally(total aggregate.Counter, channel string) aggregate.GroupTally {
	if channel != quiz.ChannelWeb {
		return total.Groups["channel:"+channel]
	}
	g := aggregate.GroupTally{Participants: total.Participants, Scored: total.Scored, ScoreSum: total.ScoreSum,
		ScoreSqSum: total.ScoreSqSum, Passes: total.Passes}
	for _, c := range quiz.Channels[1:] {
		o := total.Groups["channel:"+c]
		g.Participants -= o.Participants
		g.Scored -= o.Scored
		g.ScoreSum -= o.ScoreSum
		g.ScoreSqSum -= o.ScoreSqSum
		g.Passes -= o.Passes
	}
	return g
}
