package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/phoneverify"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/units"
)

// ContestID is the demo contest.
const ContestID = "demo-hoi-thi-58"

// demoContestUnit is the commune the demo contest is for: the demo organiser (btc) and
// officer (canbo) work there.
const demoContestUnit = "xa-a"

// LoadContest stores the demo contest, a weekly "Hội thi" of the commune xa-a: round r1
// ended a week ago and r2 is open now for six more days. It records the demo staff's
// phones (staff may not enter), plays about 25 entrants through the real resident service
// in r1, lets the aggregator count them (drain delivers the table's stream; pass the
// local stack's DrainStreams, before its pollers run), closes r1 as the demo admin, so
// it has its ranking, winners and digest, and plays a few entries in r2. It does nothing
// when the contest already exists.
func LoadContest(ctx context.Context, store *dynamo.Store, keys pseudonym.Keyer, contestSvc *rounds.Service, now time.Time, drain func(context.Context) error) error {
	if _, err := store.GetQuiz(ctx, ContestID); err == nil {
		return nil
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	if err := putStaffPhones(ctx, store, keys); err != nil {
		return err
	}
	c, err := demoContest(now)
	if err != nil {
		return err
	}
	if err := store.PutQuiz(ctx, c); err != nil {
		return fmt.Errorf("demo contest: %w", err)
	}
	all, err := Units()
	if err != nil {
		return err
	}
	tree, err := units.NewTree(all)
	if err != nil {
		return err
	}
	villages := tree.Leaves(demoContestUnit)
	r1, _ := c.Contest.Round("r1")
	r2, _ := c.Contest.Round("r2")

	var clock time.Time
	sms := &lastSMS{}
	clockNow := func() time.Time { return clock }
	svc := attempts.NewService(store, clockNow).WithPseudonyms(keys)
	phones := phoneverify.NewService(store, svc, clockNow).WithPseudonyms(keys).WithSMS(sms)
	svc.WithPhoneVerifier(phones)
	rng := rand.New(rand.NewPCG(58, 2026)) // the same demo every time
	p := player{svc: svc, phones: phones, quiz: c, clock: &clock, rng: rng, sms: sms}

	// Round 1: 25 entrants over the week, a few of them twice; 28 entries in all, so
	// predictions are spread around 28.
	people := demoPeople(0, 25, villages, rng)
	last := r1.ClosesAt.Add(-time.Hour) // the last start, so every entry is in time
	for i, who := range people {
		at := r1.OpensAt.Add(time.Duration(rng.Int64N(int64(last.Sub(r1.OpensAt)))))
		if err := p.play(ctx, who, at, 28); err != nil {
			return err
		}
		if i%8 == 3 { // a second try, later in the week
			later := at.Add(time.Hour)
			if later.Before(last) {
				later = later.Add(time.Duration(rng.Int64N(int64(last.Sub(later)))))
			}
			if err := p.play(ctx, who, later, 28); err != nil {
				return err
			}
		}
	}
	if err := drain(ctx); err != nil {
		return fmt.Errorf("demo contest: count the entries: %w", err)
	}
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	if _, err := contestSvc.CloseRound(ctx, admin, ContestID, "r1"); err != nil {
		return fmt.Errorf("demo contest: close r1: %w", err)
	}

	// Round 2, open now: a few entries so far, two by round 1 entrants.
	second := append(demoPeople(len(people), 4, villages, rng), people[0], people[5])
	for i, who := range second {
		at := r2.OpensAt.Add(time.Duration(i+1) * time.Duration(now.Sub(r2.OpensAt)) / time.Duration(len(second)+1))
		if err := p.play(ctx, who, at, 10); err != nil {
			return err
		}
	}
	return nil
}

// putStaffPhones records the demo staff's phones, so staff cannot enter rounds.
func putStaffPhones(ctx context.Context, store *dynamo.Store, keys pseudonym.Keyer) error {
	users, err := Users()
	if err != nil {
		return err
	}
	var persons []string
	for _, u := range users {
		if u.Phone == "" {
			continue
		}
		phone, err := quiz.NormalizePhone(u.Phone)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		persons = append(persons, contest.PersonKey(keys, phone))
	}
	if len(persons) == 0 {
		return nil
	}
	return store.PutStaffPhones(ctx, persons)
}

// demoContest builds the contest: 10 single-choice questions of the demo quiz, two
// weekly rounds, prizes in VND and three collective prizes.
func demoContest(now time.Time) (quiz.Quiz, error) {
	qs, err := Quizzes()
	if err != nil {
		return quiz.Quiz{}, err
	}
	var questions []quiz.Question
	for _, q := range qs {
		if q.Kind != quiz.KindQuiz {
			continue
		}
		for _, qu := range q.Questions {
			if qu.Kind == quiz.Single && len(questions) < 10 {
				questions = append(questions, qu)
			}
		}
	}
	hour := now.Truncate(time.Hour)
	week := 7 * 24 * time.Hour
	r1Closes := hour.Add(-week)
	r2Opens := hour.Add(-24 * time.Hour)
	c := &contest.Config{
		Rounds: []contest.Round{
			{ID: "r1", OpensAt: r1Closes.Add(-week), ClosesAt: r1Closes},
			{ID: "r2", OpensAt: r2Opens, ClosesAt: r2Opens.Add(week)},
		},
		AttemptsPerRound: 2,
		Prizes: []contest.Prize{
			{Tier: "Nhất", Count: 1, Amount: 3_000_000},
			{Tier: "Nhì", Count: 2, Amount: 2_000_000},
			{Tier: "Ba", Count: 3, Amount: 1_000_000},
			{Tier: "Khuyến khích", Count: 5, Amount: 500_000},
		},
		Collective: contest.Collective{Count: 3},
	}
	c.Prediction.Text = "Có bao nhiêu bài dự thi trong tuần này?"
	c.Prediction.Truth = contest.TruthEntries
	return quiz.Quiz{
		ID: ContestID, Kind: quiz.KindContest, Title: "Hội thi trực tuyến tìm hiểu Nghị quyết 58 (demo)",
		Description: "Nội dung minh họa (demo). Hội thi hằng tuần tìm hiểu Nghị quyết số 58-NQ/TW của Bộ Chính trị " +
			"về xây dựng và phát triển tỉnh Thanh Hóa đến năm 2030, tầm nhìn đến năm 2045: 10 câu hỏi, làm trong 15 phút, " +
			"và một câu hỏi dự đoán số bài dự thi trong tuần.",
		Status: quiz.Published, ScopeUnitID: demoContestUnit, TimeLimitSec: 900, Shuffle: true,
		Questions: questions, Contest: c,
	}, nil
}

// demoPerson is an invented entrant.
type demoPerson struct {
	name, phone, unit, organization, cccd string
	birthYear                             int
	gender                                string
	level                                 float64 // chance of a right answer
}

var (
	familyNames  = []string{"Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi", "Mai", "Hà", "Lò", "Cầm", "Trịnh", "Lường"}
	maleMiddle   = []string{"Văn", "Đình", "Xuân", "Minh", "Ngọc"}
	femaleMiddle = []string{"Thị", "Thu", "Ngọc", "Thanh", "Hồng"}
	maleNames    = []string{"An", "Bình", "Cường", "Dũng", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Sơn", "Tùng", "Vinh"}
	femaleNames  = []string{"Anh", "Dung", "Giang", "Hằng", "Hoa", "Lan", "Mai", "Nga", "Oanh", "Quế", "Tâm", "Vân"}
	demoOrgs     = []string{"Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh", "", ""}
)

// demoPeople invents n entrants in the villages, numbered from first: their phones
// (0915 58x xxx) and citizen IDs are unique by number, and not the staff's phones
// (0900 000 00x).
func demoPeople(first, n int, villages []string, rng *rand.Rand) []demoPerson {
	out := make([]demoPerson, n)
	for i := range out {
		number := first + i
		female := rng.IntN(2) == 0
		var name string
		if female {
			name = familyNames[rng.IntN(len(familyNames))] + " " + femaleMiddle[rng.IntN(len(femaleMiddle))] + " " + femaleNames[rng.IntN(len(femaleNames))]
		} else {
			name = familyNames[rng.IntN(len(familyNames))] + " " + maleMiddle[rng.IntN(len(maleMiddle))] + " " + maleNames[rng.IntN(len(maleNames))]
		}
		p := demoPerson{name: name, phone: fmt.Sprintf("091558%04d", 100+number*37), unit: villages[rng.IntN(len(villages))],
			organization: demoOrgs[rng.IntN(len(demoOrgs))], birthYear: 1955 + rng.IntN(50), gender: "male",
			level: 0.3 + 0.6*rng.Float64()}
		if female {
			p.gender = "female"
		}
		if rng.IntN(3) == 0 {
			// Some give their citizen ID: Thanh Hóa's code 038, the century and gender
			// digit, the year of birth, then a serial.
			century := 0
			if p.birthYear >= 2000 {
				century = 2
			}
			if female {
				century++
			}
			p.cccd = fmt.Sprintf("038%d%02d%06d", century, p.birthYear%100, 1000+number*7919%1000000)
		}
		out[i] = p
	}
	return out
}

// player starts and submits entries through the resident service at chosen times.
type player struct {
	svc    *attempts.Service
	phones *phoneverify.Service
	quiz   quiz.Quiz
	clock  *time.Time
	rng    *rand.Rand
	sms    *lastSMS
}

// lastSMS keeps the code last sent, so demo entrants verify their phones as residents do.
type lastSMS struct{ code string }

func (l *lastSMS) Send(_ context.Context, m phoneverify.SMS) error {
	l.code = m.Code
	return nil
}

// verify verifies who's phone for the contest at the clock's time, as the page does.
func (p player) verify(ctx context.Context, who demoPerson) (string, error) {
	v, err := p.phones.RequestVerification(ctx, phoneverify.VerificationRequest{Phone: who.phone, QuizID: p.quiz.ID})
	if err != nil {
		return "", fmt.Errorf("demo contest verification of %s: %w", who.name, err)
	}
	c, err := p.phones.ConfirmVerification(ctx, v.VerificationID, phoneverify.ConfirmRequest{Code: p.sms.code})
	if err != nil {
		return "", fmt.Errorf("demo contest confirmation of %s: %w", who.name, err)
	}
	return c.PhoneToken, nil
}

// play enters `who` at `at`: answers right with their level of knowledge, a prediction
// near `expected` and 2 to 12 minutes of work.
func (p player) play(ctx context.Context, who demoPerson, at time.Time, expected int) error {
	var req attempts.StartRequest
	req.Participant.Name, req.Participant.Phone, req.Participant.UnitID = who.name, who.phone, who.unit
	req.Participant.BirthYear, req.Participant.Gender, req.Participant.Organization = who.birthYear, who.gender, who.organization
	req.Participant.CCCD = who.cccd
	req.Consent, req.ClientID = true, "demo-device-"+who.phone
	*p.clock = at
	if p.quiz.Contest.RequiresVerifiedPhone() {
		token, err := p.verify(ctx, who)
		if err != nil {
			return err
		}
		req.Participant.PhoneToken = token
	}
	started, err := p.svc.StartAttempt(ctx, p.quiz.ID, req)
	if err != nil {
		return fmt.Errorf("demo contest entry of %s: %w", who.name, err)
	}
	var answers []quiz.Answer
	for _, pq := range started.Questions {
		bank, _ := p.quiz.Question(pq.ID)
		ids := bank.CorrectOptionIDs
		if p.rng.Float64() > who.level {
			ids = []string{pq.Options[p.rng.IntN(len(pq.Options))].ID}
		}
		answers = append(answers, quiz.Answer{QuestionID: pq.ID, OptionIDs: ids})
	}
	prediction := int64(expected - 8 + p.rng.IntN(17))
	*p.clock = at.Add(2*time.Minute + time.Duration(p.rng.IntN(600))*time.Second)
	if _, err := p.svc.Submit(ctx, started.AttemptID, attempts.SubmitRequest{AttemptToken: started.AttemptToken,
		Answers: answers, Prediction: &prediction}); err != nil {
		return fmt.Errorf("demo contest submit of %s: %w", who.name, err)
	}
	return nil
}
