package dynamo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
)

// The private documents encode exactly as the domain structs do when marshalled
// directly, the form of stored items, so that those read back the same.
func TestStoredDocumentsKeepTheFormatWrittenBefore(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 30, 0, 123, time.UTC)
	event := aggregate.Event{AttemptID: "a1", Identity: "id", SubmittedAt: at, Key: aggregate.Key{QuizID: "q", UnitID: "v", Month: "2026-05"},
		Scored: true, ScoreMilli: 75000, Passed: true, Topics: map[string]quiz.TopicTally{"t": {Answered: 2, Correct: 1}},
		Groups: []string{"org:none"}, Correct: map[string]bool{"q1": true}, Options: []string{"q1:a"}, GradeVersion: 2, RoundID: "r1", Perfect: true}
	results := contest.Results{QuizID: "q", RoundID: "r1", ClosedAt: at, ClosedBy: "staff", Truth: 42, Entries: 3, Participants: 2, PerfectEntries: 1,
		Lines: []contest.Line{{Ranked: contest.Ranked{Entry: contest.Entry{AttemptID: "a1", Person: "p", UnitID: "v", Score: 9, MaxScore: 10,
			Prediction: 40, DurationMs: 1000, SubmittedAt: at}, Rank: 1, Distance: 2, Tier: "first", Amount: 500000},
			Name: "An", Phone: "09", CCCD: "0123", Organization: "hpn"}, {Name: "Bình"}},
		Collective: []contest.UnitResult{{UnitID: "v", Entrants: 2, Population: 100, ParticipationRate: 2, EntrantsShare: 100, Points: 1.5, Rank: 1, Prize: true}},
		ByUnit:     []contest.UnitCount{{UnitID: "v", Label: "Thôn 1", Entrants: 2}}, Digest: "abc"}
	decision := contest.Decision{QuizID: "q", AttemptID: "a1", RoundID: "r1", Reason: "staff", By: "admin", At: at}

	same := func(t *testing.T, domain any, doc string, decode func(string) (any, error)) {
		t.Helper()
		before, err := json.Marshal(domain)
		if err != nil {
			t.Fatal(err)
		}
		if doc != string(before) {
			t.Errorf("stored as\n%s\nwritten before as\n%s", doc, before)
		}
		back, err := decode(string(before))
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := json.Marshal(back); string(again) != string(before) {
			t.Errorf("an item written before reads back as\n%s\nwant\n%s", again, before)
		}
	}
	tests := []struct {
		name   string
		domain any
		doc    func() (string, error)
		decode func(string) (any, error)
	}{
		{"an applied or claimed event", event, func() (string, error) { return encodeEvent(event) },
			func(s string) (any, error) { return decodeEvent(s) }},
		{"a round's results", results, func() (string, error) { b, err := json.Marshal(toResultsDoc(results)); return string(b), err },
			func(s string) (any, error) {
				var d resultsDoc
				err := json.Unmarshal([]byte(s), &d)
				return d.toDomain(), err
			}},
		{"a disqualification", decision, func() (string, error) { b, err := json.Marshal(decisionDoc(decision)); return string(b), err },
			func(s string) (any, error) {
				var d decisionDoc
				err := json.Unmarshal([]byte(s), &d)
				return contest.Decision(d), err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" keeps its JSON", func(t *testing.T) {
			doc, err := tt.doc()
			if err != nil {
				t.Fatal(err)
			}
			same(t, tt.domain, doc, tt.decode)
		})
	}
}
