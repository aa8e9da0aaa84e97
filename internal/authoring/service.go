package authoring

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Service authors quizzes, surveys and contest drafts and imports question banks and units.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a service on store; now defaults to time.Now.
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

var questionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,20}$`)

const quizIDAttempts = 5

// Create stores a new draft written by staff, in their scope unless it names a unit under it.
func (s *Service) Create(ctx context.Context, staff auth.Staff, in QuizInput) (quiz.Quiz, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return quiz.Quiz{}, err
	}
	unit := in.ScopeUnitID
	if unit == "" {
		unit = staff.ScopeUnitID
	}
	if err := auth.Authorize(staff, auth.Author, auth.KindTarget(quiz.Kind(in.Kind), unit), tree); err != nil {
		return quiz.Quiz{}, err
	}
	questions, err := buildQuestions(in.Questions, false, nil)
	if err != nil {
		return quiz.Quiz{}, err
	}
	id, err := s.newQuizID(ctx)
	if err != nil {
		return quiz.Quiz{}, err
	}
	q := fromInput(in)
	q.ID, q.ScopeUnitID, q.Questions = id, unit, questions
	q.Status, q.CreatedBy, q.UpdatedAt = quiz.Draft, staff.Username, s.now().UTC()
	return s.put(ctx, q)
}

// Get returns a quiz the staff user may see: one in their subtree, or one scoped to an
// ancestor of their unit (read-only for them), or a province-wide one.
func (s *Service) Get(ctx context.Context, staff auth.Staff, id string) (quiz.Quiz, error) {
	q, tree, err := auth.LoadQuiz(ctx, s.store, staff, auth.ViewQuiz, id)
	if err != nil {
		return quiz.Quiz{}, err
	}
	return s.keyFor(staff, q, tree), nil
}

// keyFor returns q as staff may see it: without its answer key (correct options and
// key corrections) while the key is secret and the policy does not let them see it.
func (s *Service) keyFor(staff auth.Staff, q quiz.Quiz, tree *units.Tree) quiz.Quiz {
	if auth.SeesKey(staff, q, tree, s.now()) {
		return q
	}
	qs := make([]quiz.Question, len(q.Questions))
	for i, qu := range q.Questions {
		qu.CorrectOptionIDs = nil
		qs[i] = qu
	}
	q.Questions, q.Corrections = qs, nil
	return q
}

// List returns every quiz the staff user may see, most recently changed first.
func (s *Service) List(ctx context.Context, staff auth.Staff) ([]quiz.Quiz, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if err := auth.Authorize(staff, auth.ViewQuiz, auth.UnitTarget(staff.ScopeUnitID), tree); err != nil {
		return nil, err
	}
	all, err := s.store.ListQuizzes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]quiz.Quiz, 0, len(all))
	for _, q := range all {
		if auth.May(staff, auth.ViewQuiz, auth.QuizTarget(q), tree) {
			out = append(out, s.keyFor(staff, q, tree))
		}
	}
	slices.SortFunc(out, func(a, b quiz.Quiz) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Update replaces the content of a draft in the staff user's subtree. Questions keep
// the ids they were read back with; new ones get the next free ids.
func (s *Service) Update(ctx context.Context, staff auth.Staff, id string, in QuizInput) (quiz.Quiz, error) {
	q, tree, err := s.editable(ctx, staff, id)
	if err != nil {
		return quiz.Quiz{}, err
	}
	unit := q.ScopeUnitID
	if in.ScopeUnitID != "" {
		unit = in.ScopeUnitID
	}
	// The quiz as it will be (its kind and unit) must be the staff member's to write too.
	if err := auth.Authorize(staff, auth.Author, auth.KindTarget(quiz.Kind(in.Kind), unit), tree); err != nil {
		return quiz.Quiz{}, err
	}
	if q.Status != quiz.Draft {
		return quiz.Quiz{}, apperr.Errorf(apperr.Conflict, "Bài đã công bố: chỉ sửa qua đính chính")
	}
	questions, err := buildQuestions(in.Questions, true, nil)
	if err != nil {
		return quiz.Quiz{}, err
	}
	next := fromInput(in)
	next.ID, next.ScopeUnitID, next.Questions = q.ID, unit, questions
	next.Status, next.CreatedBy, next.UpdatedAt, next.Version = quiz.Draft, q.CreatedBy, s.now().UTC(), q.Version
	return s.put(ctx, next)
}

// Publish opens a complete draft to residents (from its opensAt).
func (s *Service) Publish(ctx context.Context, staff auth.Staff, id string) (quiz.Quiz, error) {
	return s.transition(ctx, staff, id, quiz.Draft, quiz.Published,
		"Chỉ công bố được bài đang soạn thảo (bài này đang ở trạng thái %s)")
}

// Close ends a published quiz: residents can no longer start it.
func (s *Service) Close(ctx context.Context, staff auth.Staff, id string) (quiz.Quiz, error) {
	return s.transition(ctx, staff, id, quiz.Published, quiz.Closed,
		"Chỉ đóng được bài đã công bố (bài này đang ở trạng thái %s)")
}

func (s *Service) transition(ctx context.Context, staff auth.Staff, id string, from, to quiz.Status, conflict string) (quiz.Quiz, error) {
	q, _, err := s.editable(ctx, staff, id)
	if err != nil {
		return quiz.Quiz{}, err
	}
	if q.Status != from {
		return quiz.Quiz{}, apperr.Errorf(apperr.Conflict, conflict, statusName(q.Status))
	}
	q.Status, q.UpdatedAt = to, s.now().UTC()
	return s.put(ctx, q)
}

// editable loads a quiz the staff user may change: in their subtree and of a kind their
// role authors.
func (s *Service) editable(ctx context.Context, staff auth.Staff, id string) (quiz.Quiz, *units.Tree, error) {
	return auth.LoadQuiz(ctx, s.store, staff, auth.Author, id)
}

// put stores q (conditional on the version it was read at) and returns it as stored.
func (s *Service) put(ctx context.Context, q quiz.Quiz) (quiz.Quiz, error) {
	q = q.InNFC()
	if err := q.Validate(); err != nil {
		return quiz.Quiz{}, err
	}
	if err := s.store.PutQuiz(ctx, q); err != nil {
		return quiz.Quiz{}, err
	}
	q.Version++
	return q, nil
}

// newQuizID returns a short, URL-safe id not used yet.
func (s *Service) newQuizID(ctx context.Context) (string, error) {
	for range quizIDAttempts {
		id := "q-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:10]
		_, err := s.store.GetQuiz(ctx, id)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			return id, nil
		case err != nil:
			return "", err
		}
	}
	return "", fmt.Errorf("no free quiz id after %d attempts", quizIDAttempts)
}

func statusName(st quiz.Status) string {
	switch st {
	case quiz.Draft:
		return "đang soạn thảo"
	case quiz.Published:
		return "đã công bố"
	case quiz.Closed:
		return "đã đóng"
	}
	return string(st)
}

func fromInput(in QuizInput) quiz.Quiz {
	return quiz.Quiz{
		Kind:         quiz.Kind(in.Kind),
		Title:        strings.TrimSpace(in.Title),
		Description:  strings.TrimSpace(in.Description),
		OpensAt:      in.OpensAt,
		ClosesAt:     in.ClosesAt,
		TimeLimitSec: in.TimeLimitSec,
		DrawCount:    in.DrawCount,
		Shuffle:      in.Shuffle,
		PassPercent:  in.PassPercent,
		Contest:      in.Contest,
	}
}

// idAllocator hands out "q01", "q02"… skipping ids already taken.
type idAllocator struct {
	used map[string]bool
	next int
}

func newIDAllocator(taken []string) *idAllocator {
	a := &idAllocator{used: map[string]bool{}, next: 1}
	for _, id := range taken {
		a.used[id] = true
	}
	return a
}

func (a *idAllocator) take() string {
	for {
		id := fmt.Sprintf("q%02d", a.next)
		a.next++
		if !a.used[id] {
			a.used[id] = true
			return id
		}
	}
}

// buildQuestions turns input into questions with server-assigned ids. With keepIDs
// (editing), a question keeps a well-formed id it was read back with; taken holds ids
// that new questions must not reuse (those already in the bank when appending).
func buildQuestions(in []QuestionInput, keepIDs bool, taken []string) ([]quiz.Question, error) {
	ids := make([]string, len(in))
	kept := slices.Clone(taken)
	if keepIDs {
		seen := map[string]bool{}
		for _, id := range taken {
			seen[id] = true
		}
		for i, qi := range in {
			if questionIDPattern.MatchString(qi.ID) && !seen[qi.ID] {
				seen[qi.ID] = true
				ids[i] = qi.ID
				kept = append(kept, qi.ID)
			}
		}
	}
	alloc := newIDAllocator(kept)
	out := make([]quiz.Question, len(in))
	for i, qi := range in {
		if ids[i] == "" {
			ids[i] = alloc.take()
		}
		q, err := buildQuestion(qi, ids[i], i+1)
		if err != nil {
			return nil, err
		}
		out[i] = q
	}
	return out, nil
}

// buildQuestion assigns option ids (the kind's OptionID; its DefaultOptions when none
// are given) and maps the correct options to them. n is the question's 1-based position, for messages.
func buildQuestion(in QuestionInput, id string, n int) (quiz.Question, error) {
	kind := quiz.QuestionKind(in.Kind)
	q := quiz.Question{ID: id, Kind: kind, Text: strings.TrimSpace(in.Text), Topic: strings.TrimSpace(in.Topic), Points: in.Points}
	texts := make([]string, len(in.Options))
	for i, o := range in.Options {
		texts[i] = strings.TrimSpace(o.Text)
	}
	q.Options = kind.DefaultOptions()
	if len(texts) > 0 || q.Options == nil {
		q.Options = make([]quiz.Option, len(texts))
		for i, t := range texts {
			q.Options[i] = quiz.Option{ID: kind.OptionID(i, len(texts)), Text: t}
		}
	}
	if len(in.CorrectOptionIndexes) == 0 && len(in.CorrectOptionIDs) == 0 {
		return q, nil
	}
	if !q.Scored() {
		return q, apperr.Errorf(apperr.Validation, "Câu %d: câu thang đo hoặc tự luận không có đáp án đúng", n)
	}
	add := func(optID string) {
		if !slices.Contains(q.CorrectOptionIDs, optID) {
			q.CorrectOptionIDs = append(q.CorrectOptionIDs, optID)
		}
	}
	for _, x := range in.CorrectOptionIndexes {
		if x < 0 || x >= len(q.Options) {
			return q, apperr.Errorf(apperr.Validation, "Câu %d: đáp án đúng số %d không có trong các lựa chọn", n, x+1)
		}
		add(q.Options[x].ID)
	}
	for _, optID := range in.CorrectOptionIDs {
		if !slices.ContainsFunc(q.Options, func(o quiz.Option) bool { return o.ID == optID }) {
			return q, apperr.Errorf(apperr.Validation, "Câu %d: đáp án đúng %q không phải là một lựa chọn của câu", n, optID)
		}
		add(optID)
	}
	return q, nil
}
