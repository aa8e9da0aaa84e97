package report

import (
	"math"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/export"
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

// PaperTable is the annual workbook's sheet of residents reached without a smartphone
// for one quiz: per village, participants, of whom on a paper sheet and entered with an
// officer. The village's name leads; its code follows the figures.
func PaperTable(q AnnualQuiz) export.Table {
	t := export.Table{Name: "Phiếu giấy", Header: []string{"Thôn", "Người tham gia", "Qua phiếu giấy",
		"Cán bộ nhập cùng người dân", "Tỷ lệ không qua điện thoại (%)", "Mã"}}
	for _, r := range append(append([]Row{}, q.Awareness.Rows...), q.Awareness.Total) {
		label := r.Label
		if label == "" {
			label = "Tổng"
		}
		share := any("")
		if p, ok := Percent(r.Paper+r.Assisted, r.Participants); ok {
			share = math.Round(p*10) / 10
		}
		t.Rows = append(t.Rows, []any{label, r.Participants, r.Paper, r.Assisted, share, r.Key})
	}
	return t
}
