package report

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/groups"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// The officer reports. Each Service method checks the role and the scope, reads the unit
// tree, the quiz and the counters of the villages it covers (one Counters call), and
// hands them to a Build function that is pure: everything below the reads is computed
// in memory from counters, whatever the number of attempts.

// Groupings of the awareness report.
const (
	GroupByVillage      = "village"
	GroupByOrganization = "organization"
	GroupByAgeBand      = "ageBand"
	GroupByGender       = "gender"
)

// Periods of the trend report.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

// AgeBandLabels name groups.AgeBands in Vietnamese.
var AgeBandLabels = map[string]string{
	"15-24":   "15–24 tuổi",
	"25-34":   "25–34 tuổi",
	"35-44":   "35–44 tuổi",
	"45-59":   "45–59 tuổi",
	"60+":     "60 tuổi trở lên",
	"unknown": "Không rõ",
}

// GenderLabels name groups.Genders in Vietnamese.
var GenderLabels = map[string]string{
	"male":    "Nam",
	"female":  "Nữ",
	"other":   "Khác",
	"unknown": "Không rõ",
}

// ReportScope is what one report covers, once access has been checked.
type ReportScope struct {
	Tree *units.Tree
	Quiz quiz.Quiz
	// UnitID is the unit asked for (the staff's scope unit when none was given).
	UnitID string
	// Villages are the leaves the report reads: those under UnitID that are also under
	// the quiz's scope unit, if it has one (no one elsewhere can take the quiz).
	Villages []string
	// From and To bound the counter months (YYYY-MM, inclusive; empty: unbounded).
	From, To string
	// MinGroup is the smallest group whose mean and rates are shown.
	MinGroup int
	// Seal, when sealed, hides every figure graded with the quiz's key (seal.go): the
	// reader may not see the key yet (auth.SeesKey).
	Seal quiz.Seal
}

// NewReportScope returns the scope of a report on unit unitID of tree about qz.
// minGroup below the floor (DefaultMinGroup) is raised to it, whoever asks: a request
// may only raise the suppression of small groups, never lower it.
func NewReportScope(tree *units.Tree, qz quiz.Quiz, unitID, from, to string, minGroup int) ReportScope {
	if minGroup < DefaultMinGroup {
		minGroup = DefaultMinGroup
	}
	var villages []string
	switch {
	case qz.ScopeUnitID == "" || tree.Within(unitID, qz.ScopeUnitID):
		villages = tree.Leaves(unitID)
	case tree.Within(qz.ScopeUnitID, unitID):
		villages = tree.Leaves(qz.ScopeUnitID)
	}
	return ReportScope{Tree: tree, Quiz: qz, UnitID: unitID, Villages: villages, From: from, To: to, MinGroup: minGroup}
}

// ---- access and reads

// MonthPattern is a report's from and to month, YYYY-MM; the description's Month says
// the same.
const MonthPattern = `^[0-9]{4}-(0[1-9]|1[0-2])$`

var reportMonthPattern = regexp.MustCompile(MonthPattern)

func validateReportMonths(from, to string) error {
	for _, m := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if m.v != "" && !reportMonthPattern.MatchString(m.v) {
			return apperr.Errorf(apperr.Validation, "Tháng %q (%s) phải có dạng YYYY-MM, ví dụ 2026-03", m.v, m.name)
		}
	}
	if from != "" && to != "" && from > to {
		return apperr.Errorf(apperr.Validation, "Tháng bắt đầu (from %s) phải không sau tháng kết thúc (to %s)", from, to)
	}
	return nil
}

// GroupBys lists the awareness report's groupings, the first the default; Periods the
// trend report's periods, likewise. The description's GroupBy and Period say the same.
var (
	GroupBys = []string{GroupByVillage, GroupByOrganization, GroupByAgeBand, GroupByGender, GroupByChannel}
	Periods  = []string{PeriodMonth, PeriodQuarter, PeriodYear}
)

func normalizeGroupBy(g string) (string, error) {
	switch {
	case g == "":
		return GroupBys[0], nil
	case slices.Contains(GroupBys, g):
		return g, nil
	}
	return "", apperr.Errorf(apperr.Validation, "groupBy %q không hợp lệ: dùng village, organization, ageBand, gender hoặc channel", g)
}

func normalizePeriod(p string) (string, error) {
	switch {
	case p == "":
		return Periods[0], nil
	case slices.Contains(Periods, p):
		return p, nil
	}
	return "", apperr.Errorf(apperr.Validation, "period %q không hợp lệ: dùng month, quarter hoặc year", p)
}

// loadReport checks that staff may read reports on the unit and the quiz, runs check (the
// caller's own validation), then reads the tree, the quiz and the counters of every
// village the report covers, in one Counters call.
func (s *Service) loadReport(ctx context.Context, staff auth.Staff, q Query, check func() error) (ReportScope, []aggregate.Counter, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return ReportScope{}, nil, err
	}
	unitID := q.UnitID
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	if err := auth.Authorize(staff, auth.ReadReports, auth.UnitTarget(unitID), tree); err != nil {
		return ReportScope{}, nil, err
	}
	if check != nil {
		if err := check(); err != nil {
			return ReportScope{}, nil, err
		}
	}
	if q.QuizID == "" {
		return ReportScope{}, nil, apperr.Errorf(apperr.Validation, "Cần chọn bài thi hoặc khảo sát (quizId)")
	}
	if err := validateReportMonths(q.From, q.To); err != nil {
		return ReportScope{}, nil, err
	}
	qz, err := s.store.GetQuiz(ctx, q.QuizID)
	if err != nil {
		return ReportScope{}, nil, err
	}
	if err := auth.Authorize(staff, auth.ReadReports, auth.QuizTarget(qz), tree); err != nil {
		return ReportScope{}, nil, err
	}
	sc := NewReportScope(tree, qz, unitID, q.From, q.To, q.MinGroup)
	if !auth.SeesKey(staff, qz, tree, s.now()) {
		sc.Seal = quiz.SealOf(qz)
	}
	if len(sc.Villages) == 0 {
		return sc, nil, nil
	}
	counters, err := s.store.Counters(ctx, qz.ID, sc.Villages)
	if err != nil {
		return ReportScope{}, nil, err
	}
	return sc, counters, nil
}

// Awareness reports participation and scores of a unit by village or by group.
func (s *Service) Awareness(ctx context.Context, staff auth.Staff, q AwarenessQuery) (Awareness, error) {
	sc, counters, err := s.loadReport(ctx, staff, q.Query, func() error {
		_, err := normalizeGroupBy(q.GroupBy)
		return err
	})
	if err != nil {
		return Awareness{}, err
	}
	return BuildAwareness(sc, counters, q.GroupBy)
}

// Topics reports each village's correct rate per topic of the plan.
func (s *Service) Topics(ctx context.Context, staff auth.Staff, q Query) (Topics, error) {
	sc, counters, err := s.loadReport(ctx, staff, q, nil)
	if err != nil {
		return Topics{}, err
	}
	return BuildTopics(sc, counters), nil
}

// Questions analyses each scored question of a quiz over every village of the staff's
// scope (and the quiz's) and every month.
func (s *Service) Questions(ctx context.Context, staff auth.Staff, quizID string, minGroup int) (Questions, error) {
	sc, counters, err := s.loadReport(ctx, staff, Query{QuizID: quizID, MinGroup: minGroup}, nil)
	if err != nil {
		return Questions{}, err
	}
	return BuildQuestions(sc, counters), nil
}

// Survey reports how often each option was chosen, in the unit and per village.
func (s *Service) Survey(ctx context.Context, staff auth.Staff, q Query) (Survey, error) {
	sc, counters, err := s.loadReport(ctx, staff, q, nil)
	if err != nil {
		return Survey{}, err
	}
	return BuildSurvey(sc, counters), nil
}

// Trend reports participation and scores per month, quarter or year, and this year
// (in Vietnam) against the last.
func (s *Service) Trend(ctx context.Context, staff auth.Staff, q Query, period string) (Trend, error) {
	sc, counters, err := s.loadReport(ctx, staff, q, func() error {
		_, err := normalizePeriod(period)
		return err
	})
	if err != nil {
		return Trend{}, err
	}
	return BuildTrend(sc, counters, period, s.now())
}

// ---- pure computation

// villageSet returns the report's villages as a set.
func (sc ReportScope) villageSet() map[string]bool {
	set := make(map[string]bool, len(sc.Villages))
	for _, v := range sc.Villages {
		set[v] = true
	}
	return set
}

// inMonths reports whether a counter month lies within From..To.
func (sc ReportScope) inMonths(month string) bool {
	return (sc.From == "" || month >= sc.From) && (sc.To == "" || month <= sc.To)
}

// sumByVillage adds up the counters of each village within From..To (every village
// present, empty if it has none) and of all of them.
func (sc ReportScope) sumByVillage(counters []aggregate.Counter) (byVillage map[string]aggregate.Counter, total aggregate.Counter) {
	byVillage = make(map[string]aggregate.Counter, len(sc.Villages))
	for _, v := range sc.Villages {
		byVillage[v] = aggregate.Counter{}
	}
	for _, c := range counters {
		v, ok := byVillage[c.UnitID]
		if !ok || !sc.inMonths(c.Month) {
			continue
		}
		v.Add(c)
		byVillage[c.UnitID] = v
		total.Add(c)
	}
	return byVillage, total
}

func (sc ReportScope) unitName(id string) string {
	u, _ := sc.Tree.Get(id)
	return u.Name
}

// scoreTally is what the score columns of a row need.
type scoreTally struct {
	participants, scored, sum, sqSum, passes int64
}

func counterTally(c aggregate.Counter) scoreTally {
	return scoreTally{c.Participants, c.Scored, c.ScoreSum, c.ScoreSqSum, c.Passes}
}

func groupTally(g aggregate.GroupTally) scoreTally {
	return scoreTally{g.Participants, g.Scored, g.ScoreSum, g.ScoreSqSum, g.Passes}
}

// scoreFigures are the score columns of a row.
type scoreFigures struct {
	mean, passRate     *float64
	ci95, passRateCI95 []float64
	suppressed         bool
}

// scores computes the mean (percent), its Student t 95 % interval, the pass rate and its
// Wilson 95 % interval of t, all null when the group is suppressed (fewer participants
// than minGroup) or unscored.
func (t scoreTally) scores(minGroup int) (f scoreFigures) {
	if t.participants < int64(minGroup) {
		return scoreFigures{suppressed: true}
	}
	// Scores are kept in milli-percent: Σx/1000 and Σx²/10⁶ are in percent.
	sum, sqSum := float64(t.sum)/1000, float64(t.sqSum)/1e6
	if m, ok := Mean(t.scored, sum); ok {
		f.mean = roundedPtr(m, 1)
	}
	if lo, hi, ok := CI95(t.scored, sum, sqSum); ok {
		f.ci95 = []float64{Round(ClampPercent(lo), 1), Round(ClampPercent(hi), 1)}
	}
	if p, ok := Percent(t.passes, t.scored); ok {
		f.passRate = roundedPtr(p, 1)
	}
	f.passRateCI95 = wilsonPercent(t.passes, t.scored)
	return f
}

// wilsonPercent is the Wilson 95 % interval of part/whole in percent, rounded to one
// decimal, or nil when it is undefined.
func wilsonPercent(part, whole int64) []float64 {
	lo, hi, ok := Wilson95(part, whole)
	if !ok {
		return nil
	}
	return []float64{Round(100*lo, 1), Round(100*hi, 1)}
}

func (r *Row) setScores(f scoreFigures) {
	r.MeanScore, r.CI95, r.PassRate, r.PassRateCI95, r.Suppressed = f.mean, f.ci95, f.passRate, f.passRateCI95, f.suppressed
}

func roundedPtr(x float64, decimals int) *float64 {
	r := Round(x, decimals)
	return &r
}

// quizTopics are the topics of the quiz's scored questions, in the plan's order.
func quizTopics(qz quiz.Quiz) []string {
	var out []string
	for _, t := range quiz.Topics {
		for _, q := range qz.Questions {
			if q.Scored() && q.Topic == t {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

func topicLabel(t string) string {
	if l, ok := quiz.TopicLabels[t]; ok {
		return l
	}
	return t
}

// topicRate is a topic's correct rate in percent, null when suppressed or unanswered.
func topicRate(tally quiz.TopicTally, suppressed bool) *float64 {
	if suppressed {
		return nil
	}
	if p, ok := Percent(int64(tally.Correct), int64(tally.Answered)); ok {
		return roundedPtr(p, 1)
	}
	return nil
}

// A village's figures are concentrated when one address brought more than
// ConcentratedSharePercent of its participants, and at least ConcentratedMinParticipants
// took part. A commune-hall meeting is one address and legitimate, so the flag asks the
// officer to look, it removes nothing; 30 % is well above what one household or a
// neighbour's Wi-Fi brings to a village of a few hundred, and under 20 participants a
// share says little (a family of five is a quarter of them).
const (
	ConcentratedSharePercent    = 30
	ConcentratedMinParticipants = 20
)

// Concentrated judges a row from its busiest source's participants and its participants.
func Concentrated(top, participants int64) bool {
	return participants >= ConcentratedMinParticipants && top*100 > ConcentratedSharePercent*participants
}

// row builds an awareness row from summed counters; population 0 means unknown.
func (sc ReportScope) row(key, label string, c aggregate.Counter, population int64, topics []string) Row {
	r := Row{Key: key, Label: label, Participants: c.Participants, Population: population, Topics: []TopicRate{},
		SuspectSubmissions: c.SuspectSubmissions, OverPopulation: population > 0 && c.Participants > population,
		Concentrated: Concentrated(c.TopSource(), c.Participants)}
	r.setScores(counterTally(c).scores(sc.MinGroup))
	r.Paper, r.Assisted = c.Groups["channel:"+quiz.ChannelPaper].Participants, c.Groups["channel:"+quiz.ChannelAssisted].Participants
	if p, ok := Percent(c.Participants, population); ok {
		r.ParticipationRate = roundedPtr(p, 1)
		if !r.Suppressed {
			r.ParticipationRateCI95 = wilsonPercent(c.Participants, population)
		}
	}
	for _, t := range topics {
		tally := c.Topics[t]
		r.Topics = append(r.Topics, TopicRate{Topic: t, Label: topicLabel(t), Answered: int64(tally.Answered),
			CorrectRate: topicRate(tally, r.Suppressed)})
	}
	return r
}

// reportGroups are the rows of a grouped awareness report: counter group key, row key
// and label, in the order of groups.Organisations, groups.AgeBands or groups.Genders.
func reportGroups(groupBy string) (keys, codes, labels []string) {
	add := func(prefix, code, label string) {
		keys, codes, labels = append(keys, prefix+code), append(codes, code), append(labels, label)
	}
	switch groupBy {
	case GroupByOrganization:
		for _, o := range groups.Organisations {
			add("org:", o.Code, o.Label)
		}
	case GroupByAgeBand:
		for _, b := range groups.AgeBands {
			add("age:", b, AgeBandLabels[b])
		}
	case GroupByGender:
		for _, g := range groups.Genders {
			add("gender:", g, GenderLabels[g])
		}
	case GroupByChannel:
		for _, c := range quiz.Channels {
			add("channel:", c, ChannelLabels[c])
		}
	}
	return keys, codes, labels
}

// BuildAwareness computes the awareness report from counters: one row per village (or
// per organisation, age band or gender) and the unit's total.
func BuildAwareness(sc ReportScope, counters []aggregate.Counter, groupBy string) (Awareness, error) {
	groupBy, err := normalizeGroupBy(groupBy)
	if err != nil {
		return Awareness{}, err
	}
	a := Awareness{QuizID: sc.Quiz.ID, UnitID: sc.UnitID, From: sc.From, To: sc.To, GroupBy: groupBy, MinGroup: sc.MinGroup, Rows: []Row{}}
	topics := quizTopics(sc.Quiz)
	byVillage, total := sc.sumByVillage(counters)
	var population int64
	for _, v := range sc.Villages {
		u, _ := sc.Tree.Get(v)
		population += int64(u.Population)
		if groupBy == GroupByVillage {
			a.Rows = append(a.Rows, sc.row(v, u.Name, byVillage[v], int64(u.Population), topics))
		}
	}
	if groupBy != GroupByVillage {
		keys, codes, labels := reportGroups(groupBy)
		for i, k := range keys {
			g := total.Groups[k]
			if groupBy == GroupByChannel {
				g = channelTally(total, codes[i])
			}
			r := Row{Key: codes[i], Label: labels[i], Participants: g.Participants, Topics: []TopicRate{}}
			r.setScores(groupTally(g).scores(sc.MinGroup))
			a.Rows = append(a.Rows, r)
		}
	}
	a.Total = sc.row(sc.UnitID, sc.unitName(sc.UnitID), total, population, topics)
	if groupBy == GroupByVillage {
		w := sc.weighted(byVillage, population)
		a.Total.Weighted = &w
	}
	if sc.Seal.Sealed {
		a.seal(sc.Seal)
	}
	return a, nil
}

// weighted is the population-weighted figure over the report's villages: each village
// with a population and at least MinGroup scored participants is a stratum (the floor of
// the rows, so that no hidden village's figure enters a shown one); population is the
// unit's, the base of the coverage.
func (sc ReportScope) weighted(byVillage map[string]aggregate.Counter, population int64) Weighted {
	e, ok := sc.stratified(byVillage)
	return WeightedFigures(e, ok, population)
}

// stratified is the stratified estimate over the report's villages (see weighted).
func (sc ReportScope) stratified(byVillage map[string]aggregate.Counter) (Estimate, bool) {
	strata := make([]Stratum, 0, len(sc.Villages))
	for _, v := range sc.Villages {
		u, _ := sc.Tree.Get(v)
		c := byVillage[v]
		// The counters keep scores in milli-percent: Σx/1000 and Σx²/10⁶ are in percent.
		strata = append(strata, Stratum{Population: int64(u.Population), Scored: c.Scored, Passes: c.Passes,
			ScoreSum: float64(c.ScoreSum) / 1000, ScoreSqSum: float64(c.ScoreSqSum) / 1e6})
	}
	return Stratified(strata, sc.MinGroup)
}

// topicRow builds a row of the topic-gap table.
func (sc ReportScope) topicRow(unitID string, c aggregate.Counter, topics []string) TopicRow {
	r := TopicRow{UnitID: unitID, Label: sc.unitName(unitID), Participants: c.Participants,
		Suppressed: c.Participants < int64(sc.MinGroup), Cells: []TopicCell{}}
	for _, t := range topics {
		tally := c.Topics[t]
		r.Cells = append(r.Cells, TopicCell{Topic: t, Answered: int64(tally.Answered), CorrectRate: topicRate(tally, r.Suppressed)})
	}
	return r
}

// topicHeading is the element type of Topics.Topics.
type topicHeading = struct {
	Topic string `json:"topic"`
	Label string `json:"label"`
}

// BuildTopics computes the villages × topics table of correct rates.
func BuildTopics(sc ReportScope, counters []aggregate.Counter) Topics {
	topics := quizTopics(sc.Quiz)
	out := Topics{QuizID: sc.Quiz.ID, UnitID: sc.UnitID, Topics: []topicHeading{}, Rows: []TopicRow{}}
	for _, t := range topics {
		out.Topics = append(out.Topics, topicHeading{Topic: t, Label: topicLabel(t)})
	}
	byVillage, total := sc.sumByVillage(counters)
	for _, v := range sc.Villages {
		out.Rows = append(out.Rows, sc.topicRow(v, byVillage[v], topics))
	}
	out.Total = sc.topicRow(sc.UnitID, total, topics)
	if sc.Seal.Sealed {
		out.seal(sc.Seal)
	}
	return out
}

// questionStat analyses one question's tally: facility, discrimination and the flag.
func questionStat(q quiz.Question, t aggregate.QuestionTally, minGroup int) QuestionStat {
	st := QuestionStat{QuestionID: q.ID, Text: q.Text, Topic: q.Topic, N: t.N}
	if t.N < int64(minGroup) {
		st.Flag = FlagTooFew
		return st
	}
	p, _ := Facility(t.N, t.Correct)
	st.Facility = roundedPtr(p, 3)
	r, ok := CorrectedPointBiserial(t.N, t.Correct, t.RestSum, t.RestSqSum, t.CorrectRestSum)
	if ok {
		st.Discrimination = roundedPtr(r, 3)
	}
	switch {
	case ok && r < 0:
		st.Flag = FlagNegative
	case p < 0.2:
		st.Flag = FlagTooHard
	case p > 0.9:
		st.Flag = FlagTooEasy
	case ok && r < 0.2:
		st.Flag = FlagWeak
	default:
		st.Flag = FlagNoProblem
	}
	return st
}

// BuildQuestions computes the analysis of every scored question, in bank order.
func BuildQuestions(sc ReportScope, counters []aggregate.Counter) Questions {
	_, total := sc.sumByVillage(counters)
	out := Questions{QuizID: sc.Quiz.ID, Questions: []QuestionStat{}}
	for _, q := range sc.Quiz.Questions {
		if q.Scored() {
			out.Questions = append(out.Questions, questionStat(q, total.Questions[q.ID], sc.MinGroup))
		}
	}
	if sc.Seal.Sealed {
		out.seal(sc.Seal)
	}
	return out
}

// surveyUnitOptions is the element type of SurveyQuestion.ByUnit.
type surveyUnitOptions = struct {
	UnitID  string        `json:"unitId"`
	Label   string        `json:"label"`
	Options []OptionCount `json:"options"`
}

// optionCounts counts each option of q in c, as a percent of c's participants (null
// when they are fewer than minGroup).
func optionCounts(q quiz.Question, c aggregate.Counter, minGroup int) []OptionCount {
	out := []OptionCount{}
	for _, o := range q.Options {
		oc := OptionCount{OptionID: o.ID, Text: o.Text, Count: c.Options[q.ID+":"+o.ID]}
		if c.Participants >= int64(minGroup) {
			if p, ok := Percent(oc.Count, c.Participants); ok {
				oc.Percent = roundedPtr(p, 1)
			}
		}
		out = append(out, oc)
	}
	return out
}

// BuildSurvey computes the answer distribution of every question with options (likert
// options are "1".."5"), for the unit and per village; free-text questions are listed
// without options.
func BuildSurvey(sc ReportScope, counters []aggregate.Counter) Survey {
	byVillage, total := sc.sumByVillage(counters)
	out := Survey{QuizID: sc.Quiz.ID, UnitID: sc.UnitID, Participants: total.Participants, MinGroup: sc.MinGroup, Questions: []SurveyQuestion{}}
	for _, q := range sc.Quiz.Questions {
		sq := SurveyQuestion{QuestionID: q.ID, Text: q.Text, Kind: string(q.Kind), Options: []OptionCount{}, ByUnit: []surveyUnitOptions{}}
		if q.Kind.HasOptions() && len(q.Options) > 0 {
			sq.Options = optionCounts(q, total, sc.MinGroup)
			for _, v := range sc.Villages {
				sq.ByUnit = append(sq.ByUnit, surveyUnitOptions{UnitID: v, Label: sc.unitName(v), Options: optionCounts(q, byVillage[v], sc.MinGroup)})
			}
		}
		out.Questions = append(out.Questions, sq)
	}
	if sc.Seal.Sealed {
		out.seal(sc.Seal)
	}
	return out
}

// PeriodOf returns the trend period of a counter month (YYYY-MM): the month itself,
// its quarter ("2026-Q4") or its year ("2026"); ok is false for a malformed month or period.
func PeriodOf(month, period string) (string, bool) {
	if !reportMonthPattern.MatchString(month) {
		return "", false
	}
	switch period {
	case PeriodMonth:
		return month, true
	case PeriodQuarter:
		m, _ := strconv.Atoi(month[5:])
		return month[:4] + "-Q" + strconv.Itoa((m-1)/3+1), true
	case PeriodYear:
		return month[:4], true
	}
	return "", false
}

func (sc ReportScope) trendPoint(period string, c aggregate.Counter) TrendPoint {
	p := TrendPoint{Period: period, Participants: c.Participants}
	f := counterTally(c).scores(sc.MinGroup)
	p.MeanScore, p.CI95, p.PassRate, p.PassRateCI95, p.Suppressed = f.mean, f.ci95, f.passRate, f.passRateCI95, f.suppressed
	return p
}

// BuildTrend computes one point per period with data within From..To, in time order,
// and the points of now's year in Vietnam and the year before (whatever From..To).
func BuildTrend(sc ReportScope, counters []aggregate.Counter, period string, now time.Time) (Trend, error) {
	period, err := normalizePeriod(period)
	if err != nil {
		return Trend{}, err
	}
	year := now.In(quiz.VietnamTime).Year()
	thisYear, lastYear := strconv.Itoa(year), strconv.Itoa(year-1)
	byPeriod := map[string]aggregate.Counter{}
	var this, last aggregate.Counter
	villages := sc.villageSet()
	for _, c := range counters {
		if !villages[c.UnitID] {
			continue
		}
		switch y, _ := PeriodOf(c.Month, PeriodYear); y {
		case thisYear:
			this.Add(c)
		case lastYear:
			last.Add(c)
		}
		key, ok := PeriodOf(c.Month, period)
		if !ok || !sc.inMonths(c.Month) {
			continue
		}
		x := byPeriod[key]
		x.Add(c)
		byPeriod[key] = x
	}
	out := Trend{QuizID: sc.Quiz.ID, UnitID: sc.UnitID, Period: period, Points: []TrendPoint{},
		ThisYear: sc.trendPoint(thisYear, this), LastYear: sc.trendPoint(lastYear, last)}
	keys := make([]string, 0, len(byPeriod))
	for k := range byPeriod {
		keys = append(keys, k)
	}
	slices.Sort(keys) // YYYY-MM, YYYY-Qn and YYYY sort in time order as text
	for _, k := range keys {
		out.Points = append(out.Points, sc.trendPoint(k, byPeriod[k]))
	}
	if sc.Seal.Sealed {
		out.seal(sc.Seal)
	}
	return out, nil
}
