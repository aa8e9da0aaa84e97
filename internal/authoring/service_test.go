package authoring_test

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr/apperrtest"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

var (
	admin     = auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	officerA  = auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
	officerB  = auth.Staff{Username: "canbo2", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-b"}
	organizer = auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
)

var start = time.Date(2026, 3, 2, 8, 0, 0, 0, quiz.VietnamTime)

// env is a service on a fresh DynamoDB Local table holding the demo unit tree.
type env struct {
	svc   *authoring.Service
	store *dynamo.Store
	clock *testenv.Clock
}

func newEnv(t *testing.T) env {
	t.Helper()
	endpoint, table := testenv.Table(t)
	store := dynamo.New(dynamolocal.Client(endpoint), table)
	b, err := os.ReadFile("../../internal/demo/units.csv")
	if err != nil {
		t.Fatal(err)
	}
	units, err := units.ParseCSV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutUnits(context.Background(), units); err != nil {
		t.Fatal(err)
	}
	clock := testenv.NewClock(start)
	return env{svc: authoring.NewService(store, clock.Now), store: store, clock: clock}
}

// create stores a quiz or fails the test.
func (e env) create(t *testing.T, staff auth.Staff, in authoring.QuizInput) quiz.Quiz {
	t.Helper()
	q, err := e.svc.Create(context.Background(), staff, in)
	if err != nil {
		t.Fatalf("Create by %s: %v", staff.Username, err)
	}
	return q
}

func options(texts ...string) []authoring.OptionInput {
	out := make([]authoring.OptionInput, len(texts))
	for i, s := range texts {
		out[i] = authoring.OptionInput{Text: s}
	}
	return out
}

// sampleInput is a quiz with a single, a multiple and a default true/false question.
func sampleInput() authoring.QuizInput {
	return authoring.QuizInput{
		Kind:         "quiz",
		Title:        "Tìm hiểu Nghị quyết 58",
		Description:  "Bài tập dượt",
		OpensAt:      time.Date(2026, 3, 1, 0, 0, 0, 0, quiz.VietnamTime),
		ClosesAt:     time.Date(2026, 12, 31, 0, 0, 0, 0, quiz.VietnamTime),
		TimeLimitSec: 600,
		PassPercent:  60,
		Questions: []authoring.QuestionInput{
			{Kind: "single", Text: "Nghị quyết 58 do cơ quan nào ban hành?", Topic: "a", Points: 1,
				Options: options("Quốc hội", "Chính phủ", "Bộ Chính trị"), CorrectOptionIndexes: []int{2}},
			{Kind: "multiple", Text: "Di tích nào ở Thanh Hóa?", Topic: "g", Points: 2,
				Options: options("Thành Nhà Hồ", "Văn Miếu", "Lam Kinh"), CorrectOptionIndexes: []int{0, 2}},
			{Kind: "truefalse", Text: "Nghị quyết 58 ban hành năm 2020.", Topic: "a", Points: 1, CorrectOptionIndexes: []int{0}},
		},
	}
}

// sameQuiz compares quizzes, their times by instant (a stored time comes back in
// another *time.Location).
func sameQuiz(t *testing.T, got, want quiz.Quiz) {
	t.Helper()
	for _, p := range []struct {
		name      string
		got, want *time.Time
	}{{"OpensAt", &got.OpensAt, &want.OpensAt}, {"ClosesAt", &got.ClosesAt, &want.ClosesAt}, {"UpdatedAt", &got.UpdatedAt, &want.UpdatedAt}} {
		if !p.got.Equal(*p.want) {
			t.Errorf("quiz %s: %s = %v, want %v", want.ID, p.name, *p.got, *p.want)
		}
		*p.got, *p.want = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("quiz:\n got %+v\nwant %+v", got, want)
	}
}

var quizIDShape = regexp.MustCompile(`^q-[0-9a-f]{10}$`)

func TestCreateAssignsIDsAndMapsCorrectIndexesToOptionIDs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	created := e.create(t, officerA, sampleInput())
	if !quizIDShape.MatchString(created.ID) {
		t.Errorf("quiz id = %q, want q- and 10 hex digits", created.ID)
	}
	got, err := e.svc.Get(ctx, officerA, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput()
	want := quiz.Quiz{
		ID: created.ID, Kind: quiz.KindQuiz, Title: in.Title, Description: in.Description,
		OpensAt: in.OpensAt, ClosesAt: in.ClosesAt, TimeLimitSec: 600, PassPercent: 60,
		Status: quiz.Draft, ScopeUnitID: "xa-a", CreatedBy: "canbo", UpdatedAt: start, Version: 1,
		Questions: []quiz.Question{
			{ID: "q01", Kind: quiz.Single, Text: in.Questions[0].Text, Topic: "a", Points: 1,
				Options:          []quiz.Option{{ID: "a", Text: "Quốc hội"}, {ID: "b", Text: "Chính phủ"}, {ID: "c", Text: "Bộ Chính trị"}},
				CorrectOptionIDs: []string{"c"}},
			{ID: "q02", Kind: quiz.Multiple, Text: in.Questions[1].Text, Topic: "g", Points: 2,
				Options:          []quiz.Option{{ID: "a", Text: "Thành Nhà Hồ"}, {ID: "b", Text: "Văn Miếu"}, {ID: "c", Text: "Lam Kinh"}},
				CorrectOptionIDs: []string{"a", "c"}},
			{ID: "q03", Kind: quiz.TrueFalse, Text: in.Questions[2].Text, Topic: "a", Points: 1,
				Options:          []quiz.Option{{ID: "t", Text: "Đúng"}, {ID: "f", Text: "Sai"}},
				CorrectOptionIDs: []string{"t"}},
		},
	}
	sameQuiz(t, got, want)
}

func TestCreateGivesASurveyLikertDefaults(t *testing.T) {
	e := newEnv(t)
	in := authoring.QuizInput{Kind: "survey", Title: "Khảo sát", Questions: []authoring.QuestionInput{
		{Kind: "likert", Text: "Tôi hiểu Nghị quyết 58."},
		{Kind: "single", Text: "Bạn nghe tin qua đâu?", Options: options("Loa", "Cổng thông tin")},
		{Kind: "text", Text: "Góp ý"},
	}}
	got := e.create(t, officerA, in).Questions
	want := []quiz.Question{
		{ID: "q01", Kind: quiz.Likert, Text: "Tôi hiểu Nghị quyết 58.", Options: []quiz.Option{
			{ID: "1", Text: "Rất không đồng ý"}, {ID: "2", Text: "Không đồng ý"}, {ID: "3", Text: "Phân vân"},
			{ID: "4", Text: "Đồng ý"}, {ID: "5", Text: "Rất đồng ý"}}},
		{ID: "q02", Kind: quiz.Single, Text: "Bạn nghe tin qua đâu?", Options: []quiz.Option{{ID: "a", Text: "Loa"}, {ID: "b", Text: "Cổng thông tin"}}},
		{ID: "q03", Kind: quiz.Text, Text: "Góp ý", Options: []quiz.Option{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("questions:\n got %+v\nwant %+v", got, want)
	}
}

func TestCreateChecksRoleScopeAndContent(t *testing.T) {
	e := newEnv(t)
	with := func(change func(*authoring.QuizInput)) authoring.QuizInput {
		in := sampleInput()
		change(&in)
		return in
	}
	tests := []struct {
		name  string
		staff auth.Staff
		in    authoring.QuizInput
		want  apperr.Code // "" for success
	}{
		{"an organizer cannot create a quiz", organizer, sampleInput(), apperr.Forbidden},
		{"an organizer may draft a contest", organizer, with(func(in *authoring.QuizInput) { in.Kind, in.Contest = "contest", sampleContest() }), ""},
		{"a contest without its contest block is refused", organizer, with(func(in *authoring.QuizInput) { in.Kind = "contest" }), apperr.Validation},
		{"an officer cannot create a contest", officerA, with(func(in *authoring.QuizInput) { in.Kind = "contest" }), apperr.Forbidden},
		{"an officer may scope a quiz to a village of their commune", officerA, with(func(in *authoring.QuizInput) { in.ScopeUnitID = "xa-a-t03" }), ""},
		{"an officer cannot scope a quiz to another commune", officerB, with(func(in *authoring.QuizInput) { in.ScopeUnitID = "xa-a" }), apperr.NotFound},
		{"an officer cannot scope a quiz to the province", officerA, with(func(in *authoring.QuizInput) { in.ScopeUnitID = "th" }), apperr.NotFound},
		{"a correct index outside the options is refused", officerA, with(func(in *authoring.QuizInput) { in.Questions[0].CorrectOptionIndexes = []int{3} }), apperr.Validation},
		{"a correct id naming no option is refused", officerA, with(func(in *authoring.QuizInput) {
			in.Questions[0].CorrectOptionIndexes, in.Questions[0].CorrectOptionIDs = nil, []string{"z"}
		}), apperr.Validation},
		{"a correct id naming an option is taken", officerA, with(func(in *authoring.QuizInput) {
			in.Questions[0].CorrectOptionIndexes, in.Questions[0].CorrectOptionIDs = nil, []string{"b"}
		}), ""},
		{"a likert question needs five options", officerA, with(func(in *authoring.QuizInput) {
			in.Questions = append(in.Questions, authoring.QuestionInput{Kind: "likert", Text: "Mức độ", Options: options("1", "2", "3", "4")})
		}), apperr.Validation},
		{"a likert question has no correct answer", officerA, with(func(in *authoring.QuizInput) {
			in.Questions = append(in.Questions, authoring.QuestionInput{Kind: "likert", Text: "Mức độ", CorrectOptionIndexes: []int{4}})
		}), apperr.Validation},
		{"a scored question needs a topic", officerA, with(func(in *authoring.QuizInput) { in.Questions[0].Topic = "f" }), apperr.Validation},
		{"a draft may start without questions (they come by import)", officerA, with(func(in *authoring.QuizInput) { in.Questions = nil }), ""},
		{"a survey question has no correct answer", officerA, with(func(in *authoring.QuizInput) { in.Kind = "survey" }), apperr.Validation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.svc.Create(context.Background(), tt.staff, tt.in)
			if tt.want != "" {
				apperrtest.WantCode(t, err, tt.want, "Create")
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if got.Status != quiz.Draft || got.CreatedBy != tt.staff.Username {
				t.Errorf("Create: status %q, createdBy %q; want draft by %s", got.Status, got.CreatedBy, tt.staff.Username)
			}
		})
	}
}

func TestADraftIsUpdatedThenPublishedThenClosed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	created := e.create(t, officerA, sampleInput())

	e.clock.Advance(time.Hour)
	edit := sampleInput()
	edit.Title = "Tìm hiểu Nghị quyết 58 (sửa)"
	edit.Questions[1].ID, edit.Questions[2].ID = "q02", "q03"
	edit.Questions[2].CorrectOptionIndexes, edit.Questions[2].CorrectOptionIDs = nil, []string{"f"}
	edit.Questions = append(edit.Questions[1:], authoring.QuestionInput{ID: "q02", Kind: "single", Text: "Câu mới", Topic: "b", Points: 1,
		Options: options("Có", "Không"), CorrectOptionIndexes: []int{0}})
	updated, err := e.svc.Update(ctx, officerA, created.ID, edit)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	got, err := e.svc.Get(ctx, officerA, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameQuiz(t, got, updated)
	if got.ID != created.ID || got.CreatedBy != "canbo" || got.Title != edit.Title || got.Status != quiz.Draft {
		t.Errorf("after Update: id %q, createdBy %q, title %q, status %q", got.ID, got.CreatedBy, got.Title, got.Status)
	}
	if want := start.Add(time.Hour); !updated.UpdatedAt.Equal(want) {
		t.Errorf("UpdatedAt = %v, want %v", updated.UpdatedAt, want)
	}
	var ids []string
	for _, q := range got.Questions {
		ids = append(ids, q.ID)
	}
	// A repeated id is not kept: the new question gets the first free one.
	if want := []string{"q02", "q03", "q01"}; !slices.Equal(ids, want) {
		t.Errorf("question ids = %v, want %v", ids, want)
	}
	if got, want := got.Questions[1].CorrectOptionIDs, []string{"f"}; !slices.Equal(got, want) {
		t.Errorf("true/false correct ids = %v, want %v", got, want)
	}

	steps := []struct {
		name       string
		do         func() (quiz.Quiz, error)
		wantStatus quiz.Status
		wantErr    apperr.Code
	}{
		{"publishing a draft publishes it", func() (quiz.Quiz, error) { return e.svc.Publish(ctx, officerA, created.ID) }, quiz.Published, ""},
		{"updating a published quiz conflicts", func() (quiz.Quiz, error) { return e.svc.Update(ctx, officerA, created.ID, edit) }, "", apperr.Conflict},
		{"publishing twice conflicts", func() (quiz.Quiz, error) { return e.svc.Publish(ctx, officerA, created.ID) }, "", apperr.Conflict},
		{"another commune's officer cannot close it", func() (quiz.Quiz, error) { return e.svc.Close(ctx, officerB, created.ID) }, "", apperr.NotFound},
		{"closing a published quiz closes it", func() (quiz.Quiz, error) { return e.svc.Close(ctx, officerA, created.ID) }, quiz.Closed, ""},
		{"closing twice conflicts", func() (quiz.Quiz, error) { return e.svc.Close(ctx, officerA, created.ID) }, "", apperr.Conflict},
		{"updating a closed quiz conflicts", func() (quiz.Quiz, error) { return e.svc.Update(ctx, officerA, created.ID, edit) }, "", apperr.Conflict},
	}
	for _, st := range steps {
		q, err := st.do()
		if st.wantErr != "" {
			apperrtest.WantCode(t, err, st.wantErr, st.name)
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		stored, err := e.svc.Get(ctx, officerA, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.Status != st.wantStatus || stored.Status != st.wantStatus {
			t.Errorf("%s: status %q, stored %q; want %q", st.name, q.Status, stored.Status, st.wantStatus)
		}
	}
	_, err = e.svc.Update(ctx, officerA, created.ID, edit)
	if got, want := apperr.MessageOf(err), "Bài đã công bố: chỉ sửa qua đính chính"; got != want {
		t.Errorf("Update after publishing: message %q, want %q", got, want)
	}
}

func TestStaffSeeQuizzesOfTheirSubtreeAndAncestorsOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inA := e.create(t, officerA, sampleInput())
	e.clock.Advance(time.Minute)
	province := e.create(t, admin, sampleInput())
	e.clock.Advance(time.Minute)
	inB := e.create(t, officerB, sampleInput())
	wide := province
	wide.ID, wide.ScopeUnitID, wide.Status, wide.UpdatedAt, wide.Version = "demo-wide", "", quiz.Published, start.Add(-time.Hour), 0
	if err := e.store.PutQuiz(ctx, wide); err != nil {
		t.Fatal(err)
	}
	if province.ScopeUnitID != "th" {
		t.Errorf("admin's quiz scope = %q, want th", province.ScopeUnitID)
	}

	tests := []struct {
		name  string
		staff auth.Staff
		op    func(auth.Staff, string) error
		id    string
		want  apperr.Code
	}{
		{"an officer cannot get another commune's quiz", officerB, get(e), inA.ID, apperr.NotFound},
		{"an officer cannot update another commune's quiz", officerB, update(e), inA.ID, apperr.NotFound},
		{"an officer cannot publish another commune's quiz", officerB, publish(e), inA.ID, apperr.NotFound},
		{"an officer can read a province quiz", officerB, get(e), province.ID, ""},
		{"an officer can read a province-wide quiz", officerB, get(e), wide.ID, ""},
		{"an officer cannot update a province quiz", officerB, update(e), province.ID, apperr.NotFound},
		{"an officer cannot publish a province quiz", officerB, publish(e), province.ID, apperr.NotFound},
		{"an organizer can read a commune quiz", organizer, get(e), inA.ID, ""},
		{"an organizer cannot publish a quiz", organizer, publish(e), inA.ID, apperr.Forbidden},
		{"an admin can update a commune quiz", admin, update(e), inA.ID, ""},
		{"a missing quiz is not found", admin, get(e), "q-missing", apperr.NotFound},
		{"staff without a role cannot read", auth.Staff{Username: "x", ScopeUnitID: "th"}, get(e), wide.ID, apperr.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op(tt.staff, tt.id)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			apperrtest.WantCode(t, err, tt.want, tt.name)
		})
	}

	t.Run("a list holds what the officer may see, newest first", func(t *testing.T) {
		for _, tt := range []struct {
			staff auth.Staff
			want  []string
		}{
			{officerB, []string{inB.ID, province.ID, wide.ID}},
			// Updated by the admin above: newest.
			{officerA, []string{inA.ID, province.ID, wide.ID}},
			{admin, []string{inA.ID, inB.ID, province.ID, wide.ID}},
		} {
			list, err := e.svc.List(ctx, tt.staff)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range list {
				got = append(got, q.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("List(%s) = %v, want %v", tt.staff.Username, got, tt.want)
			}
		}
	})
}

func get(e env) func(auth.Staff, string) error {
	return func(s auth.Staff, id string) error {
		_, err := e.svc.Get(context.Background(), s, id)
		return err
	}
}

func update(e env) func(auth.Staff, string) error {
	return func(s auth.Staff, id string) error {
		e.clock.Advance(time.Minute)
		_, err := e.svc.Update(context.Background(), s, id, sampleInput())
		return err
	}
}

func publish(e env) func(auth.Staff, string) error {
	return func(s auth.Staff, id string) error {
		_, err := e.svc.Publish(context.Background(), s, id)
		return err
	}
}

// sampleContest is a one-round contest block.
func sampleContest() *contest.Config {
	c := &contest.Config{Rounds: []contest.Round{{ID: "r1", OpensAt: start, ClosesAt: start.Add(7 * 24 * time.Hour)}},
		Prizes: []contest.Prize{{Tier: "Nhất", Count: 1, Amount: 1000000}}}
	c.Prediction.Text = "Có bao nhiêu lượt dự thi trong tuần này?"
	return c
}

// hasKey reports whether any question of q carries its correct options.
func hasKey(q quiz.Quiz) bool {
	for _, qu := range q.Questions {
		if len(qu.CorrectOptionIDs) > 0 {
			return true
		}
	}
	return false
}

func TestAContestKeyIsSeenOnlyByOrganisersAndAdminsUntilItsLastRoundCloses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	in := sampleInput()
	in.Kind, in.Contest = "contest", sampleContest()
	ct := e.create(t, organizer, in)
	quizA := e.create(t, officerA, sampleInput())

	read := func(t *testing.T, staff auth.Staff, id string) (got, listed bool) {
		t.Helper()
		q, err := e.svc.Get(ctx, staff, id)
		if err != nil {
			t.Fatalf("Get by %s: %v", staff.Username, err)
		}
		list, err := e.svc.List(ctx, staff)
		if err != nil {
			t.Fatalf("List by %s: %v", staff.Username, err)
		}
		listed = true
		for _, l := range list {
			if l.ID == id {
				listed = hasKey(l)
			}
		}
		if len(q.Questions) != len(in.Questions) {
			t.Errorf("Get by %s: %d questions, want %d", staff.Username, len(q.Questions), len(in.Questions))
		}
		return hasKey(q), listed
	}
	tests := []struct {
		name    string
		staff   auth.Staff
		id      string
		advance time.Duration
		want    bool
	}{
		{"the organiser sees the key of an open contest", organizer, ct.ID, 0, true},
		{"an admin sees the key of an open contest", admin, ct.ID, 0, true},
		{"an officer gets an open contest's questions without the key", officerA, ct.ID, 0, false},
		{"an officer still sees a quiz's key", officerA, quizA.ID, 0, true},
		{"an officer sees the key once the last round has closed", officerA, ct.ID, 8 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Advance(tt.advance)
			got, listed := read(t, tt.staff, tt.id)
			if got != tt.want || listed != tt.want {
				t.Errorf("key in Get = %v, in List = %v, want %v", got, listed, tt.want)
			}
		})
	}
	t.Run("hiding the key leaves the stored contest as it was", func(t *testing.T) {
		stored, err := e.store.GetQuiz(ctx, ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !hasKey(stored) {
			t.Errorf("the stored contest lost its key")
		}
	})
}
