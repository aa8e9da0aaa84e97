package report

import "github.com/nq58/tracker/internal/quiz"

// Sealed reports. While a contest's key is secret (quiz.KeySecret) a reader who may not
// see it (auth.SeesKey) gets the contest's reports without any figure graded with the
// key: a question's facility and discrimination give the key away beside the survey's
// option shares (the option whose share equals the facility is the key), and a mean, a
// pass rate or a topic's correct rate over a few chosen entries does the same. Counts
// of participants, answers and suspects stay: they reveal no key. The report says it is
// sealed and until when (quiz.Seal), so that pages show the note instead of blanks.

// SealedCell stands in an export's cell for a figure hidden while the key is secret.
const SealedCell = "Ẩn đến khi đóng vòng"

// graded is a cell of a figure graded with the key: the note's short form when sealed.
func graded(seal quiz.Seal, v any) any {
	if seal.Sealed {
		return SealedCell
	}
	return v
}

func (r *Row) seal() {
	r.MeanScore, r.CI95, r.PassRate, r.PassRateCI95 = nil, nil, nil, nil
	for i := range r.Topics {
		r.Topics[i].CorrectRate = nil
	}
	if r.Weighted != nil {
		// The weighted figures are scores too; the coverage counts villages and people.
		w := r.Weighted
		w.PassRate, w.PassRateCI95, w.MeanScore, w.CI95 = nil, nil, nil, nil
	}
}

func (a *Awareness) seal(s quiz.Seal) {
	a.Seal = s
	for i := range a.Rows {
		a.Rows[i].seal()
	}
	a.Total.seal()
}

func (r *TopicRow) seal() {
	for i := range r.Cells {
		r.Cells[i].CorrectRate = nil
	}
}

func (t *Topics) seal(s quiz.Seal) {
	t.Seal = s
	for i := range t.Rows {
		t.Rows[i].seal()
	}
	t.Total.seal()
}

func (q *Questions) seal(s quiz.Seal) {
	q.Seal = s
	for i := range q.Questions {
		st := &q.Questions[i]
		st.Facility, st.Discrimination = nil, nil
		if st.Flag != FlagTooFew { // every other flag is read off the facility or discrimination
			st.Flag = FlagNoProblem
		}
	}
}

// seal leaves every question without its option counts: a count over the participants
// is a share.
func (sv *Survey) seal(s quiz.Seal) {
	sv.Seal = s
	for i := range sv.Questions {
		sv.Questions[i].Options, sv.Questions[i].ByUnit = []OptionCount{}, []surveyUnitOptions{}
	}
}

func (p *TrendPoint) seal() {
	p.MeanScore, p.CI95, p.PassRate, p.PassRateCI95 = nil, nil, nil, nil
}

func (t *Trend) seal(s quiz.Seal) {
	t.Seal = s
	for i := range t.Points {
		t.Points[i].seal()
	}
	t.ThisYear.seal()
	t.LastYear.seal()
}
