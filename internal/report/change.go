package report

import (
	"context"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
)

// The change report: a quiz's pass rates against a base quiz's (last year's round of
// the same campaign, chosen by the officer), per village and for the population-weighted
// total, each difference with its 95 % interval, so that "better than last year?" is
// answered with an error bar. Villages use Newcombe's hybrid score interval
// (NewcombeDifference95), the weighted totals the normal interval of two independent
// stratified estimates (DifferenceCI95). The two quizzes' participants are taken as
// independent samples: a resident who took both counts in each.

// ChangeQuery selects the two quizzes and the unit.
type ChangeQuery struct {
	QuizID, BaseQuizID, UnitID string
	// MinGroup overrides DefaultMinGroup when above it.
	MinGroup int
}

// ChangeRow is one village (or the weighted total) of the change report. Rates and
// differences are in percent and percentage points, rounded to one decimal; they are
// null when either quiz has fewer than MinGroup participants there (Suppressed), or
// while either quiz is sealed.
type ChangeRow struct {
	Key              string    `json:"key"`
	Label            string    `json:"label"`
	Participants     int64     `json:"participants"`
	BaseParticipants int64     `json:"baseParticipants"`
	PassRate         *float64  `json:"passRate"`
	BasePassRate     *float64  `json:"basePassRate"`
	Difference       *float64  `json:"difference"`
	DifferenceCI95   []float64 `json:"differenceCi95"`
	// Clear says the interval excludes 0: the change is unlikely to be chance alone.
	Clear      bool `json:"clear"`
	Suppressed bool `json:"suppressed"`
}

// Change is GET /v1/reports/change.
type Change struct {
	quiz.Seal
	QuizID     string      `json:"quizId"`
	BaseQuizID string      `json:"baseQuizId"`
	UnitID     string      `json:"unitId"`
	MinGroup   int         `json:"minGroup"`
	Rows       []ChangeRow `json:"rows"`
	// Total compares the population-weighted pass rates (Row.Weighted) of the unit.
	Total ChangeRow `json:"total"`
}

// Change compares a quiz with a base quiz on the staff's unit: the access and seal of
// each quiz are checked as for any report of it (loadReport), so that neither leaks a
// contest's figures before its close.
func (s *Service) Change(ctx context.Context, staff auth.Staff, q ChangeQuery) (Change, error) {
	if q.BaseQuizID == "" {
		return Change{}, apperr.Errorf(apperr.Validation, "Cần chọn bài để so sánh (baseQuizId)")
	}
	if q.BaseQuizID == q.QuizID {
		return Change{}, apperr.Errorf(apperr.Validation, "Bài so sánh (baseQuizId) phải khác bài đang xem (quizId)")
	}
	sc, counters, err := s.loadReport(ctx, staff, Query{QuizID: q.QuizID, UnitID: q.UnitID, MinGroup: q.MinGroup}, nil)
	if err != nil {
		return Change{}, err
	}
	base, baseCounters, err := s.loadReport(ctx, staff, Query{QuizID: q.BaseQuizID, UnitID: q.UnitID, MinGroup: q.MinGroup}, nil)
	if err != nil {
		return Change{}, err
	}
	return BuildChange(sc, counters, base, baseCounters), nil
}

// BuildChange compares the villages of sc (the quiz) with the same villages in base
// (the base quiz, on the same unit); a village outside the base quiz's scope has no base
// participants.
func BuildChange(sc ReportScope, counters []aggregate.Counter, base ReportScope, baseCounters []aggregate.Counter) Change {
	out := Change{QuizID: sc.Quiz.ID, BaseQuizID: base.Quiz.ID, UnitID: sc.UnitID, MinGroup: sc.MinGroup, Rows: []ChangeRow{}}
	byVillage, total := sc.sumByVillage(counters)
	baseByVillage, baseTotal := base.sumByVillage(baseCounters)
	for _, v := range sc.Villages {
		out.Rows = append(out.Rows, villageChange(v, sc.unitName(v), byVillage[v], baseByVillage[v], sc.MinGroup))
	}
	e, ok := sc.stratified(byVillage)
	be, bok := sc.stratified(baseByVillage)
	out.Total = ChangeRow{Key: sc.UnitID, Label: sc.unitName(sc.UnitID), Participants: total.Participants,
		BaseParticipants: baseTotal.Participants, Suppressed: !ok || !bok}
	if ok && bok {
		lo, hi := DifferenceCI95(e.PassRate, e.PassRateVar, be.PassRate, be.PassRateVar)
		out.Total.setDifference(e.PassRate, be.PassRate, lo, hi)
	}
	if seal := combinedSeal(sc.Seal, base.Seal); seal.Sealed {
		out.seal(seal)
	}
	return out
}

// villageChange compares one village's pass rates, counts only when either quiz has
// fewer than minGroup participants there.
func villageChange(key, label string, c, b aggregate.Counter, minGroup int) ChangeRow {
	r := ChangeRow{Key: key, Label: label, Participants: c.Participants, BaseParticipants: b.Participants}
	lo, hi, ok := NewcombeDifference95(c.Passes, c.Scored, b.Passes, b.Scored)
	if c.Participants < int64(minGroup) || b.Participants < int64(minGroup) || !ok {
		r.Suppressed = true
		return r
	}
	r.setDifference(100*float64(c.Passes)/float64(c.Scored), 100*float64(b.Passes)/float64(b.Scored), 100*lo, 100*hi)
	return r
}

// setDifference fills the rates (percent) and the difference's interval (points).
func (r *ChangeRow) setDifference(rate, baseRate, lo, hi float64) {
	r.PassRate, r.BasePassRate = roundedPtr(rate, 1), roundedPtr(baseRate, 1)
	r.Difference = roundedPtr(rate-baseRate, 1)
	r.DifferenceCI95 = []float64{Round(lo, 1), Round(hi, 1)}
	r.Clear = lo > 0 || hi < 0
}

// combinedSeal seals when either quiz is sealed, until the later of their seals.
func combinedSeal(a, b quiz.Seal) quiz.Seal {
	switch {
	case !b.Sealed:
		return a
	case !a.Sealed:
		return b
	case b.SealedUntil != nil && (a.SealedUntil == nil || b.SealedUntil.After(*a.SealedUntil)):
		return b
	}
	return a
}

func (r *ChangeRow) seal() {
	r.PassRate, r.BasePassRate, r.Difference, r.DifferenceCI95, r.Clear = nil, nil, nil, nil, false
}

func (c *Change) seal(s quiz.Seal) {
	c.Seal = s
	for i := range c.Rows {
		c.Rows[i].seal()
	}
	c.Total.seal()
}
