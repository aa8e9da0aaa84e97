package aggregate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
)

func vn(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, quiz.VietnamTime)
}

// testKeys stands for the deployment's secret.
var testKeys = pseudonym.MustNew([]byte("a test secret of thirty-two bytes!"))

// submitted returns a submitted attempt of quiz "qz" (pass mark 50) with the given score out of 10.
func submitted(id, phone, client, unit string, at time.Time, score int, topics map[string]quiz.TopicTally) quiz.Attempt {
	return quiz.Attempt{
		ID: id, QuizID: "qz", QuizKind: quiz.KindQuiz, ClientID: client, Identity: quiz.IdentityOf(testKeys, phone, client),
		Participant: quiz.Participant{Phone: phone, UnitID: unit},
		Status:      quiz.Submitted, SubmittedAt: at,
		Score: score, MaxScore: 10, PassPercent: 50, Topics: topics,
	}
}

// unknownGroups is what a participant who gave no organisation, birth year or gender
// adds to the report groups.
func unknownGroups(g GroupTally) map[string]GroupTally {
	return map[string]GroupTally{"org:none": g, "age:unknown": g, "gender:unknown": g}
}

func ids(as []quiz.Attempt) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func TestMonthOf(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"the evening of 31 January UTC is already February in Vietnam", time.Date(2026, 1, 31, 18, 0, 0, 0, time.UTC), "2026-02"},
		{"midnight in Vietnam starts the new month", time.Date(2026, 1, 31, 17, 0, 0, 0, time.UTC), "2026-02"},
		{"one second before midnight in Vietnam is the old month", time.Date(2026, 1, 31, 16, 59, 59, 0, time.UTC), "2026-01"},
		{"new year's eve in UTC is the new year in Vietnam", time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), "2026-01"},
		{"a time given in Vietnam time keeps its month", vn(2026, 3, 1, 0), "2026-03"},
		{"a time in another zone is converted to Vietnam time", time.Date(2026, 4, 30, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2026-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MonthOf(tt.in); got != tt.want {
				t.Errorf("MonthOf(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEventOf(t *testing.T) {
	topics := map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 2}}
	tests := []struct {
		name       string
		score, max int
		pass       int
		scored     bool
		milli      int64
		passed     bool
	}{
		{"7 of 10 is 70000 milli-percent and passes 50", 7, 10, 50, true, 70000, true},
		{"7 of 10 fails a pass mark of 80", 7, 10, 80, true, 70000, false},
		{"2 of 3 rounds to 66667 milli-percent", 2, 3, 50, true, 66667, true},
		{"1 of 3 rounds to 33333 milli-percent", 1, 3, 50, true, 33333, false},
		{"0 of 10 is scored with 0 milli-percent", 0, 10, 50, true, 0, false},
		{"a survey (max score 0) is not scored", 0, 0, 50, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := submitted("att-1", "+84912345678", "client-1", "v1", time.Date(2026, 1, 31, 18, 0, 0, 0, time.UTC), tt.score, topics)
			a.MaxScore, a.PassPercent = tt.max, tt.pass
			got := EventOf(a)
			want := Event{
				AttemptID:   "att-1",
				Identity:    a.IdentityKey(),
				SubmittedAt: a.SubmittedAt,
				Key:         Key{QuizID: "qz", UnitID: "v1", Month: "2026-02"},
				Scored:      tt.scored,
				ScoreMilli:  tt.milli,
				Passed:      tt.passed,
				Topics:      topics,
				Groups:      []string{"org:none", "age:unknown", "gender:unknown"},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("EventOf(%d/%d, pass %d) =\n%+v\nwant\n%+v", tt.score, tt.max, tt.pass, got, want)
			}
		})
	}
}

func TestDelta(t *testing.T) {
	key := Key{QuizID: "qz", UnitID: "v1", Month: "2026-02"}
	topics := map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 2}, "b": {Answered: 1, Correct: 0}}
	tests := []struct {
		name  string
		score int
		max   int
		first bool
		want  Counter
	}{
		{"a first attempt of 7 of 10 adds a participant, a score and a pass", 7, 10, true, Counter{
			Key: key, Submissions: 1, Participants: 1, Scored: 1,
			ScoreSum: 70000, ScoreSqSum: 4900000000, Passes: 1, Topics: topics,
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 70000, ScoreSqSum: 4900000000, Passes: 1}),
		}},
		{"a first attempt of 4 of 10 adds a participant and a score but no pass", 4, 10, true, Counter{
			Key: key, Submissions: 1, Participants: 1, Scored: 1,
			ScoreSum: 40000, ScoreSqSum: 1600000000, Passes: 0, Topics: topics,
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000}),
		}},
		{"a first attempt of 10 of 10 adds the full score and its square", 10, 10, true, Counter{
			Key: key, Submissions: 1, Participants: 1, Scored: 1,
			ScoreSum: 100000, ScoreSqSum: 10000000000, Passes: 1, Topics: topics,
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 100000, ScoreSqSum: 10000000000, Passes: 1}),
		}},
		{"a later attempt only adds a submission", 9, 10, false, Counter{Key: key, Submissions: 1}},
		{"a first survey attempt adds a participant but no score", 0, 0, true, Counter{Key: key, Submissions: 1, Participants: 1,
			Groups: unknownGroups(GroupTally{Participants: 1})}},
		{"a later survey attempt only adds a submission", 0, 0, false, Counter{Key: key, Submissions: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := submitted("att-1", "", "client-1", "v1", time.Date(2026, 2, 3, 4, 0, 0, 0, time.UTC), tt.score, topics)
			a.MaxScore = tt.max
			got := Delta(EventOf(a), tt.first)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Delta(%d/%d, first=%v) =\n%+v\nwant\n%+v", tt.score, tt.max, tt.first, got, tt.want)
			}
		})
	}
	t.Run("the delta's topics are a copy of the event's", func(t *testing.T) {
		e := Event{Key: key, Scored: true, ScoreMilli: 50000, Topics: map[string]quiz.TopicTally{"a": {Answered: 1, Correct: 1}}}
		d := Delta(e, true)
		e.Topics["a"] = quiz.TopicTally{Answered: 9, Correct: 9}
		if got, want := d.Topics["a"], (quiz.TopicTally{Answered: 1, Correct: 1}); got != want {
			t.Errorf("Delta topics after changing the event = %+v, want %+v", got, want)
		}
	})
}

func TestCounterAdd(t *testing.T) {
	key := Key{QuizID: "qz", UnitID: "v1", Month: "2026-02"}
	c := Counter{Key: key}
	c.Add(Counter{Key: key, Submissions: 1})
	c.Add(Counter{Key: key, Submissions: 1, Participants: 1, Scored: 1, ScoreSum: 70000, ScoreSqSum: 4900000000, Passes: 1,
		Topics: map[string]quiz.TopicTally{"a": {Answered: 2, Correct: 1}}})
	c.Add(Counter{Key: key, Submissions: 1, Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000,
		Topics: map[string]quiz.TopicTally{"a": {Answered: 2, Correct: 2}, "g": {Answered: 1, Correct: 0}}})
	want := Counter{Key: key, Submissions: 3, Participants: 2, Scored: 2, ScoreSum: 110000, ScoreSqSum: 6500000000, Passes: 1,
		Topics: map[string]quiz.TopicTally{"a": {Answered: 4, Correct: 3}, "g": {Answered: 1, Correct: 0}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("after three Adds, counter =\n%+v\nwant\n%+v", c, want)
	}
}

// rebuildFixture is a month of attempts whose counters are worked out by hand in
// TestRebuild. Quiz "qz" is out of 10 with pass mark 50; "sv" is a survey.
func rebuildFixture() []quiz.Attempt {
	const p1, p2 = "+84912345678", "+84987654321"
	survey := submitted("att-sv", p1, "client-1", "v1", vn(2026, 2, 10, 9), 0, nil)
	survey.QuizID, survey.QuizKind, survey.MaxScore = "sv", quiz.KindSurvey, 0
	unsubmitted := quiz.Attempt{
		ID: "att-0", QuizID: "qz", QuizKind: quiz.KindQuiz, ClientID: "client-3",
		Participant: quiz.Participant{UnitID: "v2"}, Status: quiz.Started, StartedAt: vn(2026, 1, 1, 8),
		MaxScore: 10, PassPercent: 50,
	}
	return []quiz.Attempt{
		// Participant 1 (by phone): the later attempt, with another client id and a better
		// score, has the lower id; it counts only as a submission.
		submitted("att-1", p1, "client-9", "v1", vn(2026, 2, 5, 10), 9, map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 3}}),
		submitted("att-9", p1, "client-1", "v1", vn(2026, 1, 10, 10), 6, map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 2}, "b": {Answered: 2, Correct: 1}}),
		// Participant 2 (by phone), in the other village, fails.
		submitted("att-5", p2, "client-2", "v2", vn(2026, 1, 20, 15), 4, map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 1}}),
		// Participant 3 (by client id), 18:00 UTC on 31 January, which is February in Vietnam.
		submitted("att-7", "", "client-3", "v1", time.Date(2026, 1, 31, 18, 0, 0, 0, time.UTC), 10, map[string]quiz.TopicTally{"b": {Answered: 2, Correct: 2}}),
		// Participant 3 started an earlier attempt but never submitted it: ignored.
		unsubmitted,
		// Participant 1's survey: a participant, not scored.
		survey,
	}
}

func TestRebuild(t *testing.T) {
	want := []Counter{
		{Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-01"}, // att-9, first of participant 1
			Submissions: 1, Participants: 1, Scored: 1, ScoreSum: 60000, ScoreSqSum: 3600000000, Passes: 1,
			Topics: map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 2}, "b": {Answered: 2, Correct: 1}},
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 60000, ScoreSqSum: 3600000000, Passes: 1})},
		{Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-02"}, // att-1 (later, submission only) and att-7 (first)
			Submissions: 2, Participants: 1, Scored: 1, ScoreSum: 100000, ScoreSqSum: 10000000000, Passes: 1,
			Topics: map[string]quiz.TopicTally{"b": {Answered: 2, Correct: 2}},
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 100000, ScoreSqSum: 10000000000, Passes: 1})},
		{Key: Key{QuizID: "qz", UnitID: "v2", Month: "2026-01"}, // att-5, first of participant 2, failed
			Submissions: 1, Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000, Passes: 0,
			Topics: map[string]quiz.TopicTally{"a": {Answered: 3, Correct: 1}},
			Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000})},
		{Key: Key{QuizID: "sv", UnitID: "v1", Month: "2026-02"}, // att-sv, a survey
			Submissions: 1, Participants: 1, Groups: unknownGroups(GroupTally{Participants: 1})},
	}
	t.Run("the counters are those worked out by hand", func(t *testing.T) {
		got := Rebuild(rebuildFixture())
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Rebuild =\n%s\nwant\n%s", dump(got), dump(want))
		}
	})
	t.Run("the order of the attempts does not change the counters", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 20 {
			in := rebuildFixture()
			rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			if got := Rebuild(in); !reflect.DeepEqual(got, want) {
				t.Errorf("Rebuild(shuffle %d: %v) =\n%s\nwant\n%s", i, ids(in), dump(got), dump(want))
			}
		}
	})
	t.Run("no attempts give no counters", func(t *testing.T) {
		if got := Rebuild(nil); len(got) != 0 {
			t.Errorf("Rebuild(nil) = %v, want none", got)
		}
	})
}

func dump(cs []Counter) string {
	var s string
	for _, c := range cs {
		s += fmt.Sprintf("  %+v\n", c)
	}
	return s
}

func TestFirsts(t *testing.T) {
	t.Run("the earliest submitted attempt per quiz and participant is first", func(t *testing.T) {
		got := ids(Firsts(rebuildFixture()))
		slices.Sort(got)
		if want := []string{"att-5", "att-7", "att-9", "att-sv"}; !slices.Equal(got, want) {
			t.Errorf("Firsts ids = %v, want %v", got, want)
		}
	})
	t.Run("the input order does not change the firsts", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		want := ids(Firsts(rebuildFixture()))
		slices.Sort(want)
		for range 20 {
			in := rebuildFixture()
			rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			got := ids(Firsts(in))
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("Firsts(%v) ids = %v, want %v", ids(in), got, want)
			}
		}
	})
	t.Run("a tie on submission time goes to the lower id", func(t *testing.T) {
		at := vn(2026, 3, 1, 9)
		for _, order := range [][]string{{"b", "a"}, {"a", "b"}} {
			var in []quiz.Attempt
			for _, id := range order {
				in = append(in, submitted(id, "+84912345678", "client-"+id, "v1", at, 5, nil))
			}
			if got, want := ids(Firsts(in)), []string{"a"}; !slices.Equal(got, want) {
				t.Errorf("Firsts(%v submitted at the same time) = %v, want %v", order, got, want)
			}
		}
	})
	t.Run("the same participant has one first per quiz", func(t *testing.T) {
		a := submitted("a", "+84912345678", "c", "v1", vn(2026, 3, 1, 9), 5, nil)
		b := submitted("b", "+84912345678", "c", "v1", vn(2026, 3, 2, 9), 5, nil)
		b.QuizID = "other"
		got := ids(Firsts([]quiz.Attempt{b, a}))
		slices.Sort(got)
		if want := []string{"a", "b"}; !slices.Equal(got, want) {
			t.Errorf("Firsts(two quizzes) = %v, want %v", got, want)
		}
	})
	t.Run("unsubmitted attempts are never first", func(t *testing.T) {
		a := submitted("a", "", "c", "v1", time.Time{}, 0, nil)
		a.Status = quiz.Started
		if got := Firsts([]quiz.Attempt{a}); len(got) != 0 {
			t.Errorf("Firsts(one unsubmitted attempt) = %v, want none", ids(got))
		}
	})
}

func TestSortCounters(t *testing.T) {
	cs := []Counter{
		{Key: Key{QuizID: "b", UnitID: "v1", Month: "2026-01"}},
		{Key: Key{QuizID: "a", UnitID: "v2", Month: "2026-01"}},
		{Key: Key{QuizID: "a", UnitID: "v1", Month: "2026-02"}},
		{Key: Key{QuizID: "a", UnitID: "v1", Month: "2026-01"}},
	}
	SortCounters(cs)
	var got []string
	for _, c := range cs {
		got = append(got, c.QuizID+"/"+c.UnitID+"/"+c.Month)
	}
	want := []string{"a/v1/2026-01", "a/v1/2026-02", "a/v2/2026-01", "b/v1/2026-01"}
	if !slices.Equal(got, want) {
		t.Errorf("SortCounters order = %v, want %v", got, want)
	}
}

func TestDeltaCountsGroupsQuestionsAndOptions(t *testing.T) {
	a := submitted("att-1", "", "client-1", "v1", vn(2026, 3, 10, 9), 6, nil)
	a.Participant.BirthYear, a.Participant.Gender, a.Participant.Organization = 1990, "female", "Hội Phụ nữ xã"
	a.Correct = map[string]bool{"q01": true, "q02": false}
	a.Answers = []quiz.Answer{{QuestionID: "q01", OptionIDs: []string{"b"}}, {QuestionID: "q02", OptionIDs: []string{"a", "c"}}, {QuestionID: "q03", Value: 4}}
	got := Delta(EventOf(a), true)

	t.Run("the participant counts in their organisation, age band and gender", func(t *testing.T) {
		g := GroupTally{Participants: 1, Scored: 1, ScoreSum: 60000, ScoreSqSum: 3600000000, Passes: 1}
		want := map[string]GroupTally{"org:hpn": g, "age:35-44": g, "gender:female": g}
		if !reflect.DeepEqual(got.Groups, want) {
			t.Errorf("groups = %+v, want %+v", got.Groups, want)
		}
	})
	t.Run("each scored question gets the attempt's score and its rest score, split by correctness", func(t *testing.T) {
		// q01 right, q02 wrong: q01's rest (the other questions right) is 0, q02's is 1.
		want := map[string]QuestionTally{
			"q01": {N: 1, Correct: 1, ScoreSum: 60000, ScoreSqSum: 3600000000, CorrectScoreSum: 60000},
			"q02": {N: 1, ScoreSum: 60000, ScoreSqSum: 3600000000, RestSum: 1, RestSqSum: 1},
		}
		if !reflect.DeepEqual(got.Questions, want) {
			t.Errorf("questions = %+v, want %+v", got.Questions, want)
		}
	})
	t.Run("every chosen option and likert value is counted", func(t *testing.T) {
		want := map[string]int64{"q01:b": 1, "q02:a": 1, "q02:c": 1, "q03:4": 1}
		if !reflect.DeepEqual(got.Options, want) {
			t.Errorf("options = %+v, want %+v", got.Options, want)
		}
	})
	t.Run("moving the first-attempt count away cancels everything but the submission", func(t *testing.T) {
		sum := Delta(EventOf(a), true)
		sum.Add(FirstOnly(EventOf(a)).Negate())
		if sum.Submissions != 1 || sum.Participants != 0 || sum.Groups["org:hpn"] != (GroupTally{}) ||
			sum.Questions["q01"] != (QuestionTally{}) || sum.Options["q03:4"] != 0 {
			t.Errorf("delta minus its first-only part = %+v, want only one submission left", sum)
		}
	})
}

func TestRebuildCountsSuspectsApart(t *testing.T) {
	suspect := func(a quiz.Attempt) quiz.Attempt { a.Suspect = true; return a }
	at := vn(2026, 3, 2, 9)
	tests := []struct {
		name     string
		attempts []quiz.Attempt
		want     []Counter
	}{
		{"a suspect attempt counts only as a suspect submission",
			[]quiz.Attempt{suspect(submitted("s1", "", "bot-1", "v1", at, 10, nil))},
			[]Counter{{Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-03"}, SuspectSubmissions: 1}}},
		{"a participant's earlier suspect attempt leaves the first attempt to the later normal one",
			[]quiz.Attempt{suspect(submitted("s1", "", "dev-1", "v1", at, 10, nil)), submitted("n1", "", "dev-1", "v1", at.Add(time.Hour), 4, nil)},
			[]Counter{{Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-03"}, SuspectSubmissions: 1,
				Submissions: 1, Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000,
				Groups: unknownGroups(GroupTally{Participants: 1, Scored: 1, ScoreSum: 40000, ScoreSqSum: 1600000000})}}},
		{"suspects from many fresh clients add no participants",
			[]quiz.Attempt{suspect(submitted("s1", "", "bot-1", "v1", at, 10, nil)), suspect(submitted("s2", "", "bot-2", "v1", at, 10, nil)),
				suspect(submitted("s3", "", "bot-3", "v1", at, 10, nil))},
			[]Counter{{Key: Key{QuizID: "qz", UnitID: "v1", Month: "2026-03"}, SuspectSubmissions: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rebuild(tt.attempts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Rebuild =\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
			for _, f := range Firsts(tt.attempts) {
				if f.Suspect {
					t.Errorf("Firsts includes the suspect attempt %s", f.ID)
				}
			}
		})
	}
}

func TestASharedSourcesAttemptCountsItsParticipantUnderTheSource(t *testing.T) {
	at := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		tag       string
		suspect   bool
		wantGroup bool
	}{
		{"an attempt from a shared source adds its participant to the source's group", "a1b2c3d4", false, true},
		{"an attempt from a household carries no source group", "", false, false},
		{"a suspect attempt from a shared source adds nothing but the suspect tally", "a1b2c3d4", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := quiz.Attempt{ID: "x", QuizID: "q", Status: quiz.Submitted, SubmittedAt: at, SourceTag: tt.tag, Suspect: tt.suspect,
				Participant: quiz.Participant{UnitID: "v1"}}
			d := Delta(EventOf(a), true)
			g, ok := d.Groups[SourceGroupPrefix+tt.tag]
			if got := ok && g.Participants == 1; got != tt.wantGroup {
				t.Errorf("source group %v (%+v), want %v", ok, g, tt.wantGroup)
			}
		})
	}
}
