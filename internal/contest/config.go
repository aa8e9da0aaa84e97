package contest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/apperr"
)

// Limits and defaults of a contest configuration.
const (
	MaxRounds            = 52 // a weekly contest over a year
	MaxAttemptsPerRound  = 20
	MaxPrizeCount        = 10000 // places in one tier
	MaxPrizeTiers        = 20
	MaxPredictionText    = 500 // characters
	MaxTopN              = 1000
	MaxFastSeconds       = 600
	MaxCollectiveCount   = 1000
	MaxRoundHorizonYears = 3    // a round must close within this many years of now
	MaxRoundName         = 100  // characters
	MaxMinPrizeScore     = 1000 // far above any contest's maximum score

	DefaultAttemptsPerRound       = 1
	DefaultFastSecondsPerQuestion = 3
	DefaultTopN                   = 10
	DefaultMinPrizeScore          = 1
	DefaultKeepPersonalDataDays   = 90
	MaxKeepPersonalDataDays       = 730
	DefaultParticipationWeight    = 0.7
	DefaultEntrantsWeight         = 0.3
)

// RoundIDPattern is what a round id may be; the description's RoundId says the same.
const RoundIDPattern = `^[A-Za-z0-9_-]{1,20}$`

var roundIDPattern = regexp.MustCompile(RoundIDPattern)

// Normalized returns a copy of c with defaults filled in: 1 attempt per round, the
// default ranking, one prize per person, collective weights 0.7/0.3 (when both are 0),
// phone verification when the contest has prizes, 3 seconds per question for the "fast"
// flag, the top 10 on the public page, a minimum score of 1 for a prize and the number
// of entries as the prediction's truth. Rounds are sorted by OpensAt (stable) and a round
// without a name is called "Vòng <position>".
// Only zero values are replaced: a negative value stays, so Validate can reject it.
// The copy shares no slice or pointer with c.
func (c Config) Normalized() Config {
	n := c
	n.Rounds = slices.Clone(c.Rounds)
	slices.SortStableFunc(n.Rounds, func(a, b Round) int { return a.OpensAt.Compare(b.OpensAt) })
	for i := range n.Rounds {
		if n.Rounds[i].Name = strings.TrimSpace(n.Rounds[i].Name); n.Rounds[i].Name == "" {
			n.Rounds[i].Name = fmt.Sprintf("Vòng %d", i+1)
		}
	}
	n.Prizes = slices.Clone(c.Prizes)
	if len(c.Ranking) == 0 {
		n.Ranking = slices.Clone(DefaultRanking)
	} else {
		n.Ranking = slices.Clone(c.Ranking)
	}
	if n.AttemptsPerRound == 0 {
		n.AttemptsPerRound = DefaultAttemptsPerRound
	}
	one := true
	if c.OnePrizePerPerson != nil {
		one = *c.OnePrizePerPerson
	}
	n.OnePrizePerPerson = &one
	verify := len(c.Prizes) > 0
	if c.VerifyPhone != nil {
		verify = *c.VerifyPhone
	}
	n.VerifyPhone = &verify
	if n.Collective.ParticipationWeight == 0 && n.Collective.EntrantsWeight == 0 {
		n.Collective.ParticipationWeight = DefaultParticipationWeight
		n.Collective.EntrantsWeight = DefaultEntrantsWeight
	}
	if n.FastSecondsPerQuestion == 0 {
		n.FastSecondsPerQuestion = DefaultFastSecondsPerQuestion
	}
	if n.KeepPersonalDataDays == 0 {
		n.KeepPersonalDataDays = DefaultKeepPersonalDataDays
	}
	if n.TopN == 0 {
		n.TopN = DefaultTopN
	}
	if n.MinPrizeScore == 0 {
		n.MinPrizeScore = DefaultMinPrizeScore
	}
	if n.Prediction.Truth == "" {
		n.Prediction.Truth = TruthEntries
	}
	return n
}

// OnePrize reports whether a person may win at most one prize across the contest's
// rounds (the default when OnePrizePerPerson is unset).
func (c Config) OnePrize() bool {
	return c.OnePrizePerPerson == nil || *c.OnePrizePerPerson
}

// RequiresVerifiedPhone reports whether entrants must verify their phone by SMS before
// they start: as configured, else when the contest has prizes.
func (c Config) RequiresVerifiedPhone() bool {
	if c.VerifyPhone != nil {
		return *c.VerifyPhone
	}
	return len(c.Prizes) > 0
}

// Validate checks the configuration with its defaults applied (see Normalized): 1 to 52
// rounds with unique ids, each closing after it opens, none overlapping another (a round
// may open the instant the previous one closes) and each closing within 3 years of now
// (a guard against mistyped years; rounds in the past are allowed so a finished contest
// stays valid); 1 to 20 attempts per round; 1 to 4 known ranking criteria without
// duplicates; prize tiers with unique non-empty names, 1 to 10000 places and amounts ≥ 0;
// a prize cap of 0 to 100 %; a known prediction truth and a prediction question text;
// collective weights ≥ 0, not both 0, and a count ≥ 0; round names of at most 100
// characters; a minimum score for a prize of 1 to 1000; a contest with prizes verifies
// phones unless the organiser confirmed otherwise (AllowUnverified).
func (c Config) Validate(now time.Time) error {
	n := c.Normalized()
	if err := n.validateRounds(now); err != nil {
		return err
	}
	if n.AttemptsPerRound < 1 || n.AttemptsPerRound > MaxAttemptsPerRound {
		return invalid("Số lần dự thi mỗi đợt (attemptsPerRound) phải từ 1 đến %d", MaxAttemptsPerRound)
	}
	if err := validateRanking(n.Ranking); err != nil {
		return err
	}
	if err := validatePrizes(n.Prizes); err != nil {
		return err
	}
	if len(n.Prizes) > 0 && !n.RequiresVerifiedPhone() && !n.AllowUnverified {
		return invalid("Hội thi có giải thưởng nhưng không xác minh số điện thoại: giải có thể về tay người khai số giả. " +
			"Hãy bật xác minh số điện thoại (verifyPhone), hoặc xác nhận không xác minh (allowUnverified)")
	}
	if n.PrizeCapPercent < 0 || n.PrizeCapPercent > 100 {
		return invalid("Tỷ lệ giải tối đa (prizeCapPercent) phải từ 0 đến 100")
	}
	switch n.Prediction.Truth {
	case TruthEntries, TruthParticipants, TruthPerfectEntries:
	default:
		return invalid("Đáp án câu hỏi dự đoán (prediction.truth) phải là %s, %s hoặc %s",
			TruthEntries, TruthParticipants, TruthPerfectEntries)
	}
	text := strings.TrimSpace(n.Prediction.Text)
	if text == "" || len([]rune(text)) > MaxPredictionText {
		return invalid("Cần nhập câu hỏi dự đoán (prediction.text), tối đa %d ký tự", MaxPredictionText)
	}
	w := n.Collective
	if w.ParticipationWeight < 0 || w.EntrantsWeight < 0 {
		return invalid("Trọng số giải tập thể không được âm")
	}
	if w.ParticipationWeight == 0 && w.EntrantsWeight == 0 {
		return invalid("Trọng số giải tập thể không được cùng bằng 0")
	}
	if w.Count < 0 || w.Count > MaxCollectiveCount {
		return invalid("Số giải tập thể (collective.count) phải từ 0 đến %d", MaxCollectiveCount)
	}
	if n.FastSecondsPerQuestion < 1 || n.FastSecondsPerQuestion > MaxFastSeconds {
		return invalid("Ngưỡng làm bài quá nhanh (fastSecondsPerQuestion) phải từ 1 đến %d giây", MaxFastSeconds)
	}
	if n.KeepPersonalDataDays < 1 || n.KeepPersonalDataDays > MaxKeepPersonalDataDays {
		return invalid("Thời gian giữ dữ liệu cá nhân (keepPersonalDataDays) phải từ 1 đến %d ngày", MaxKeepPersonalDataDays)
	}
	if n.MinPrizeScore < 1 || n.MinPrizeScore > MaxMinPrizeScore {
		return invalid("Điểm tối thiểu để nhận giải (minPrizeScore) phải từ 1 đến %d", MaxMinPrizeScore)
	}
	if n.TopN < 1 || n.TopN > MaxTopN {
		return invalid("Số người hiển thị trên bảng kết quả (topN) phải từ 1 đến %d", MaxTopN)
	}
	return nil
}

// validateRounds expects rounds sorted by OpensAt.
func (c Config) validateRounds(now time.Time) error {
	if len(c.Rounds) < 1 || len(c.Rounds) > MaxRounds {
		return invalid("Cuộc thi cần từ 1 đến %d đợt thi (rounds)", MaxRounds)
	}
	horizon := now.AddDate(MaxRoundHorizonYears, 0, 0)
	seen := make(map[string]bool, len(c.Rounds))
	for i, r := range c.Rounds {
		switch {
		case !roundIDPattern.MatchString(r.ID):
			return invalid("Mã đợt thi %q không hợp lệ: dùng 1 đến 20 chữ cái không dấu, chữ số, - hoặc _", r.ID)
		case seen[r.ID]:
			return invalid("Mã đợt thi %q bị trùng", r.ID)
		case r.OpensAt.IsZero() || r.ClosesAt.IsZero():
			return invalid("Đợt thi %s cần thời gian mở (opensAt) và đóng (closesAt)", r.ID)
		case !r.ClosesAt.After(r.OpensAt):
			return invalid("Đợt thi %s: thời gian đóng phải sau thời gian mở", r.ID)
		case r.ClosesAt.After(horizon):
			return invalid("Đợt thi %s: thời gian đóng quá xa (quá %d năm kể từ nay), kiểm tra lại năm", r.ID, MaxRoundHorizonYears)
		case len([]rune(r.Name)) > MaxRoundName:
			return invalid("Tên đợt thi %s dài quá %d ký tự", r.ID, MaxRoundName)
		case i > 0 && r.OpensAt.Before(c.Rounds[i-1].ClosesAt):
			return invalid("Đợt thi %s trùng thời gian với đợt thi %s", r.ID, c.Rounds[i-1].ID)
		}
		seen[r.ID] = true
	}
	return nil
}

func validateRanking(criteria []string) error {
	if len(criteria) < 1 || len(criteria) > len(DefaultRanking) {
		return invalid("Tiêu chí xếp hạng (ranking) cần từ 1 đến %d tiêu chí", len(DefaultRanking))
	}
	seen := make(map[string]bool, len(criteria))
	for _, k := range criteria {
		if !slices.Contains(DefaultRanking, k) {
			return invalid("Tiêu chí xếp hạng %q không hợp lệ: dùng %s", k, strings.Join(DefaultRanking, ", "))
		}
		if seen[k] {
			return invalid("Tiêu chí xếp hạng %q bị lặp lại", k)
		}
		seen[k] = true
	}
	return nil
}

func validatePrizes(prizes []Prize) error {
	if len(prizes) > MaxPrizeTiers {
		return invalid("Tối đa %d hạng giải", MaxPrizeTiers)
	}
	seen := make(map[string]bool, len(prizes))
	for i, p := range prizes {
		name := strings.TrimSpace(p.Tier)
		switch {
		case name == "":
			return invalid("Hạng giải thứ %d cần có tên", i+1)
		case seen[name]:
			return invalid("Hạng giải %q bị trùng tên", name)
		case p.Count < 1 || p.Count > MaxPrizeCount:
			return invalid("Giải %s: số lượng phải từ 1 đến %d", name, MaxPrizeCount)
		case p.Amount < 0:
			return invalid("Giải %s: giá trị giải không được âm", name)
		}
		seen[name] = true
	}
	return nil
}

// RoundAt returns the round open at t: OpensAt ≤ t < ClosesAt.
func (c Config) RoundAt(t time.Time) (Round, bool) {
	for _, r := range c.Rounds {
		if !t.Before(r.OpensAt) && t.Before(r.ClosesAt) {
			return r, true
		}
	}
	return Round{}, false
}

// Round returns the round with the given id.
func (c Config) Round(id string) (Round, bool) {
	i := slices.IndexFunc(c.Rounds, func(r Round) bool { return r.ID == id })
	if i < 0 {
		return Round{}, false
	}
	return c.Rounds[i], true
}

func invalid(format string, args ...any) error {
	return apperr.Errorf(apperr.Validation, format, args...)
}
