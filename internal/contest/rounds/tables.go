package rounds

import (
	"time"

	"github.com/nq58/tracker/internal/export"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/vnfmt"
)

// duration is a time taken as an export cell (mm:ss where people read it).
func duration(ms int64) vnfmt.Duration { return vnfmt.Duration(time.Duration(ms) * time.Millisecond) }

// Tables of the winners export: the winners, then the collective prizes.
func (w WinnersReport) Tables() []export.Table {
	t := export.Table{Name: "Giải cá nhân", Header: []string{"Hạng", "Giải", "Tiền thưởng (đồng)", "Họ và tên", "Số điện thoại", "CCCD",
		"Mã thôn", "Thôn", "Đoàn thể", "Điểm", "Dự đoán", "Thời gian làm bài (phút:giây)", "Thời điểm nộp"}}
	for _, x := range w.Winners {
		t.Rows = append(t.Rows, []any{int64(x.Rank), x.Tier, x.Amount, x.Name, vnfmt.Phone(x.Phone), x.CCCD, x.UnitID, x.Unit, x.Organization,
			int64(x.Score), x.Prediction, duration(x.DurationMs), vnfmt.Moment(x.SubmittedAt)})
	}
	c := export.Table{Name: "Giải tập thể", Header: []string{"Hạng", "Thôn", "Mã thôn", "Người dự thi", "Dân số 15+", "Tỷ lệ tham gia (%)",
		"Tỷ lệ trong tổng số (%)", "Điểm", "Đạt giải"}}
	for _, u := range w.Collective {
		prize := ""
		if u.Prize {
			prize = "Có"
		}
		c.Rows = append(c.Rows, []any{int64(u.Rank), w.unitNames[u.UnitID], u.UnitID, u.Entrants, u.Population, vnfmt.Percent(u.ParticipationRate), vnfmt.Percent(u.EntrantsShare), u.Points, prize})
	}
	return []export.Table{t, c}
}

// EntryRow is one entry of the audit export.
type EntryRow struct {
	AttemptID    string    `json:"attemptId"`
	RoundID      string    `json:"roundId"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	CCCD         string    `json:"cccd,omitempty"`
	UnitID       string    `json:"unitId"`
	Organization string    `json:"organization,omitempty"`
	Score        int       `json:"score"`
	MaxScore     int       `json:"maxScore"`
	Prediction   *int64    `json:"prediction"`
	DurationMs   int64     `json:"durationMs"`
	SubmittedAt  time.Time `json:"submittedAt"`
	Ranked       bool      `json:"ranked"`
	ClientID     string    `json:"clientId,omitempty"`
}

// EntryRows turns attempts into export rows.
func EntryRows(list []quiz.Attempt) []EntryRow {
	out := make([]EntryRow, len(list))
	for i, a := range list {
		out[i] = EntryRow{AttemptID: a.ID, RoundID: a.RoundID, Name: a.Participant.Name, Phone: a.Participant.Phone, CCCD: a.Participant.CCCD,
			UnitID: a.Participant.UnitID, Organization: a.Participant.Organization, Score: a.Score, MaxScore: a.MaxScore,
			Prediction: a.Prediction, DurationMs: a.DurationMs, SubmittedAt: a.SubmittedAt, Ranked: a.Ranked, ClientID: a.ClientID}
	}
	return out
}

// EntriesTable is a page of the audit export of one round, named roundName, as a table,
// each village named (by names) beside its code.
func EntriesTable(list []quiz.Attempt, roundName string, names map[string]string) export.Table {
	t := export.Table{Name: "Bài dự thi", Header: []string{"Mã bài", "Vòng", "Họ và tên", "Số điện thoại", "CCCD", "Mã thôn", "Thôn", "Đoàn thể",
		"Điểm", "Điểm tối đa", "Dự đoán", "Thời gian làm bài (phút:giây)", "Thời điểm nộp", "Được xếp hạng", "Thiết bị"}}
	for _, r := range EntryRows(list) {
		var pred any
		if r.Prediction != nil {
			pred = *r.Prediction
		}
		ranked := "Không"
		if r.Ranked {
			ranked = "Có"
		}
		t.Rows = append(t.Rows, []any{r.AttemptID, roundName, r.Name, vnfmt.Phone(r.Phone), r.CCCD, r.UnitID, names[r.UnitID], r.Organization, int64(r.Score), int64(r.MaxScore),
			pred, duration(r.DurationMs), vnfmt.Moment(r.SubmittedAt), ranked, r.ClientID})
	}
	return t
}
