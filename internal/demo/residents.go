package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/units"
)

// LoadResidents plays a year of demo residents through the real resident service: attempts
// on the demo quiz and survey in every village, spread over the months up to now, each
// village and topic with its own level of knowledge, so the officer's dashboard has
// something to show. The aggregator counts them from the table's stream like any other.
// It returns how many attempts it submitted.
func LoadResidents(ctx context.Context, store attempts.Store, keys pseudonym.Keyer, now time.Time) (int, error) {
	all, err := Units()
	if err != nil {
		return 0, err
	}
	qs, err := Quizzes()
	if err != nil {
		return 0, err
	}
	tree, err := units.NewTree(all)
	if err != nil {
		return 0, err
	}
	var clock time.Time
	svc := attempts.NewService(store, func() time.Time { return clock }).WithPseudonyms(keys)
	rng := rand.New(rand.NewPCG(58, 2020)) // the same demo every time
	start := time.Date(now.Year(), 1, 5, 8, 0, 0, 0, quiz.VietnamTime)
	orgs := []string{"Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Nông dân", "Hội Cựu chiến binh", ""}
	genders := []string{"male", "female", ""}
	submitted := 0
	for vi, village := range tree.Leaves("th") {
		// Villages differ in how well they know the resolution, topics too.
		level := 0.35 + 0.5*float64((vi*7)%11)/10
		residents := 4 + (vi*5)%9
		for r := 0; r < residents; r++ {
			at := start.Add(time.Duration(rng.Int64N(int64(now.Sub(start)))))
			if at.After(now) {
				continue
			}
			for _, q := range qs {
				if q.Kind == quiz.KindSurvey && r%2 == 1 {
					continue // half the residents also answer the survey
				}
				clock = at
				var req attempts.StartRequest
				req.Participant.UnitID = village
				req.Participant.BirthYear = 1950 + rng.IntN(55)
				req.Participant.Gender = genders[rng.IntN(len(genders))]
				req.Participant.Organization = orgs[rng.IntN(len(orgs))]
				req.ClientID = fmt.Sprintf("demo-%s-%d", village, r)
				req.Consent = true // the demo residents agree to give their birth year and gender
				started, err := svc.StartAttempt(ctx, q.ID, req)
				if err != nil {
					return submitted, fmt.Errorf("demo attempt: %w", err)
				}
				clock = at.Add(time.Duration(2+rng.IntN(8)) * time.Minute)
				if _, err := svc.Submit(ctx, started.AttemptID, attempts.SubmitRequest{AttemptToken: started.AttemptToken,
					Answers: demoAnswers(q, started.Questions, level, rng)}); err != nil {
					return submitted, fmt.Errorf("demo submit: %w", err)
				}
				submitted++
			}
		}
	}
	return submitted, nil
}

func demoAnswers(q quiz.Quiz, asked []attempts.PublicQuestion, level float64, rng *rand.Rand) []quiz.Answer {
	var out []quiz.Answer
	for _, pq := range asked {
		bank, _ := q.Question(pq.ID)
		switch bank.Kind.Answer() {
		case quiz.AnswerValue:
			out = append(out, quiz.Answer{QuestionID: pq.ID, Value: 2 + rng.IntN(4)})
		case quiz.AnswerText:
			if rng.IntN(3) == 0 {
				out = append(out, quiz.Answer{QuestionID: pq.ID, Text: "Nên phát thanh vào buổi tối để bà con nghe được nhiều hơn."})
			}
		default:
			// Topic d (the largest section) is the least known; topic a the best known.
			p := level
			switch bank.Topic {
			case "a":
				p += 0.15
			case "d":
				p -= 0.15
			}
			ids := bank.CorrectOptionIDs
			if len(ids) == 0 || rng.Float64() > p {
				ids = []string{pq.Options[rng.IntN(len(pq.Options))].ID}
			}
			out = append(out, quiz.Answer{QuestionID: pq.ID, OptionIDs: ids})
		}
	}
	return out
}
