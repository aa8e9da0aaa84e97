// Package attempts is the resident service: the public catalogue of units and quizzes,
// starting an attempt (participant checks, start limits, a sealed start token instead of
// a stored item), submitting it once, and the result or contest receipt a resident sees.
// The rules it applies (drawing, grading, key secrecy) live in package quiz.
package attempts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/groups"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/throttle"
	"github.com/nq58/tracker/internal/units"
	"github.com/nq58/tracker/internal/usertext"
)

const (
	// UntimedAttemptLife is how long an attempt without a time limit stays open.
	UntimedAttemptLife = 24 * time.Hour
	maxNameLength      = 100
	maxFieldLength     = 100
	maxClientID        = 100
)

// Service runs the resident journey.
type Service struct {
	store Store
	now   func() time.Time
	// phones proves the phone of an entrant to a contest that requires it (nil: no
	// phone token is accepted, so such contests cannot be entered).
	phones PhoneVerifier
	// keys turns phones, CCCDs and device ids into keyed hashes (the deployment's secret).
	keys pseudonym.Keyer
	// throttleKey keys the limiter's source and client hashes: derived from keys once,
	// not on every start.
	throttleKey []byte
	// tokens seals the start tokens that carry unsubmitted attempts (a subkey of keys).
	tokens tokenSealer

	mu        sync.Mutex
	units     []units.Unit
	tree      *units.Tree
	unitsAt   time.Time
	quizzes   map[string]quiz.Quiz
	quizzesAt time.Time

	// Start limits per source and per client; off when counter is nil.
	counter throttle.Counter
	limits  throttle.Limits
	secret  []byte
}

// PhoneVerifier proves the phone a phone token stands for (phoneverify.Service): the
// resident service consumes it at the start of a contest that requires verified phones.
type PhoneVerifier interface {
	// VerifiedPhone returns the phone the token proves for quiz q at now, or an
	// apperr.PhoneUnverified error.
	VerifiedPhone(ctx context.Context, q quiz.Quiz, token string, now time.Time) (string, error)
}

// WithPhoneVerifier sets the checker of phone tokens and returns the service.
func (s *Service) WithPhoneVerifier(v PhoneVerifier) *Service {
	s.phones = v
	return s
}

// WithThrottle turns on the start limits, counted by counter; sources and clients are
// keyed with a subkey of the service's keyer.
func (s *Service) WithThrottle(counter throttle.Counter, limits throttle.Limits) *Service {
	s.counter, s.limits = counter, limits
	return s
}

// clientKey is a device id's keyed hash ("" for none).
func (s *Service) clientKey(clientID string) string {
	if c := strings.TrimSpace(clientID); c != "" {
		return s.keys.Of("client", c)
	}
	return ""
}

// WithPseudonyms sets the keyer of personal identifiers: the deployment's secret. Every
// service of a deployment must use the same one, or one person counts as two.
func (s *Service) WithPseudonyms(k pseudonym.Keyer) *Service {
	s.keys, s.throttleKey, s.tokens = k, k.Subkey("throttle"), newTokenSealer(k.Subkey("attempt-token"))
	return s
}

// NewService wires a service to its store; now is the clock (time.Now in production).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	// Until WithPseudonyms sets the deployment's keyer, a random one: hashes then match
	// only within this process, but can never be reversed.
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return (&Service{store: store, now: now}).WithPseudonyms(pseudonym.MustNew(secret))
}

// UnitsResponse is GET /v1/units.
type UnitsResponse struct {
	Units []units.Unit `json:"units"`
}

// QuizSummary is one quiz of GET /v1/quizzes. A time the quiz does not have (a
// contest's times are its rounds') is left out (omitzero), never sent as year 1.
type QuizSummary struct {
	ID            string      `json:"id"`
	Kind          quiz.Kind   `json:"kind"`
	Title         string      `json:"title"`
	Description   string      `json:"description"`
	OpensAt       time.Time   `json:"opensAt,omitzero"`
	ClosesAt      time.Time   `json:"closesAt,omitzero"`
	QuestionCount int         `json:"questionCount"`
	TimeLimitSec  int         `json:"timeLimitSec"`
	Status        quiz.Status `json:"status"`
	ScopeUnitID   string      `json:"scopeUnitId,omitempty"`
	// VerifyPhone says, on every contest (true or false) and on nothing else, whether
	// its entrants verify their phone by SMS first: a prize contest that does not is
	// visible as such to residents.
	VerifyPhone *bool `json:"verifyPhone,omitempty"`
	// Rounds of a contest, with the names people read and when results come.
	Rounds []quiz.RoundSummary `json:"rounds,omitempty"`
	// Phase is open, upcoming or ended at the server's time of the answer (see quiz.PhaseAt).
	Phase quiz.Phase `json:"phase"`
}

// QuizzesResponse is GET /v1/quizzes.
type QuizzesResponse struct {
	Quizzes []QuizSummary `json:"quizzes"`
}

// StartRequest is the body of POST /v1/quizzes/{quizId}/attempts.
type StartRequest struct {
	Participant struct {
		Name         string `json:"name" jsonschema:"maxLength=100"`
		Phone        string `json:"phone"`
		UnitID       string `json:"unitId" jsonschema:"required"`
		BirthYear    int    `json:"birthYear"`
		Gender       string `json:"gender" jsonschema:"enum=,enum=male,enum=female,enum=other"`
		Organization string `json:"organization" jsonschema:"maxLength=100"`
		CCCD         string `json:"cccd"`
		// PhoneToken proves the phone in contests that require it; the start then uses
		// the verified phone, whatever phone is typed.
		PhoneToken string `json:"phoneToken"`
	} `json:"participant" jsonschema:"required"`
	Consent  bool   `json:"consent"`
	ClientID string `json:"clientId" jsonschema:"required,maxLength=100"`
	// ClientToken is the clientToken of the device's previous start, if any: it marks
	// the device as returning in the client window (see package throttle).
	ClientToken string `json:"clientToken"`
	// Source is the viewer's address, set by the adapter from the request (never from
	// the body); used only for the start limits, stored only as a keyed hash.
	Source string `json:"-"`
}

// PublicOption and PublicQuestion are what a resident sees: no key, no points.
type PublicOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type PublicQuestion struct {
	ID      string            `json:"id"`
	Kind    quiz.QuestionKind `json:"kind"`
	Text    string            `json:"text"`
	Topic   string            `json:"topic"`
	Options []PublicOption    `json:"options"`
}

// StartResponse answers a started attempt.
type StartResponse struct {
	AttemptID    string `json:"attemptId"`
	AttemptToken string `json:"attemptToken"`
	// ClientToken is for the device's next start (absent when starts are not limited).
	ClientToken string           `json:"clientToken,omitempty"`
	StartedAt   time.Time        `json:"startedAt"`
	ExpiresAt   time.Time        `json:"expiresAt"`
	Questions   []PublicQuestion `json:"questions"`
}

// SubmitRequest is the body of POST /v1/attempts/{attemptId}/submit.
type SubmitRequest struct {
	AttemptToken string        `json:"attemptToken" jsonschema:"required"`
	Answers      []quiz.Answer `json:"answers" jsonschema:"required"`
	// Prediction answers a contest's tie-break question (required in contests).
	Prediction *int64 `json:"prediction,omitempty"`
}

// ReviewItem tells the resident whether a question was right and what was right.
type ReviewItem struct {
	QuestionID       string   `json:"questionId"`
	Correct          bool     `json:"correct"`
	CorrectOptionIDs []string `json:"correctOptionIds"`
}

// Result is a submitted attempt's outcome.
type Result struct {
	AttemptID     string       `json:"attemptId"`
	Score         int          `json:"score"`
	MaxScore      int          `json:"maxScore"`
	CorrectCount  int          `json:"correctCount"`
	QuestionCount int          `json:"questionCount"`
	DurationMs    int64        `json:"durationMs"`
	SubmittedAt   time.Time    `json:"submittedAt"`
	Review        []ReviewItem `json:"review"`
	// PassPercent is the quiz's pass mark (percent of the maximum score) and Passed
	// whether this attempt reached it; both absent for unscored attempts.
	PassPercent int   `json:"passPercent,omitempty"`
	Passed      *bool `json:"passed,omitempty"`
	// Contests: the round, the prediction and whether the entry is ranked (a late
	// entry is kept but not ranked).
	RoundID    string `json:"roundId,omitempty"`
	RoundName  string `json:"roundName,omitempty"`
	Prediction *int64 `json:"prediction,omitempty"`
	Ranked     *bool  `json:"ranked,omitempty"`
	// Receipt is a contest entry's short code, the same for every answer about it.
	Receipt string `json:"receipt,omitempty"`
	// ResultsAfter is when an open round's results may come: its closing time plus
	// quiz.SubmitGrace (see quiz.ResultsAfter), the earliest an organiser can close it.
	ResultsAfter *time.Time `json:"resultsAfter,omitempty"`
	// Sealed marks a contest entry whose round's results are not frozen yet: it is
	// answered with the receipt only, nothing that depends on grading (the score of
	// entries answering one question each would reveal the key).
	Sealed bool `json:"-"`
}

// sealedResult is all a sealed contest entry's answer holds.
type sealedResult struct {
	AttemptID    string     `json:"attemptId"`
	SubmittedAt  time.Time  `json:"submittedAt"`
	Receipt      string     `json:"receipt"`
	RoundID      string     `json:"roundId,omitempty"`
	RoundName    string     `json:"roundName,omitempty"`
	ResultsAfter *time.Time `json:"resultsAfter,omitempty"`
	// The entrant's own prediction, and whether the entry was in time: neither depends
	// on grading.
	Prediction *int64 `json:"prediction,omitempty"`
	Ranked     *bool  `json:"ranked,omitempty"`
}

// MarshalJSON writes a sealed result as its receipt only.
func (r Result) MarshalJSON() ([]byte, error) {
	if r.Sealed {
		return json.Marshal(sealedResult{AttemptID: r.AttemptID, SubmittedAt: r.SubmittedAt, Receipt: r.Receipt,
			RoundID: r.RoundID, RoundName: r.RoundName, ResultsAfter: r.ResultsAfter, Prediction: r.Prediction, Ranked: r.Ranked})
	}
	type plain Result // no methods: no recursion
	return json.Marshal(plain(r))
}

func (s *Service) catalogUnits(ctx context.Context) ([]units.Unit, *units.Tree, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tree != nil && s.now().Sub(s.unitsAt) < quiz.CatalogTTL {
		return s.units, s.tree, nil
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return nil, nil, err
	}
	s.units, s.tree, s.unitsAt = tree.Units(), tree, s.now()
	return s.units, tree, nil
}

func (s *Service) catalogQuizzes(ctx context.Context) (map[string]quiz.Quiz, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quizzes != nil && s.now().Sub(s.quizzesAt) < quiz.CatalogTTL {
		return s.quizzes, nil
	}
	list, err := s.store.ListQuizzes(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]quiz.Quiz, len(list))
	for _, q := range list {
		m[q.ID] = q
	}
	s.quizzes, s.quizzesAt = m, s.now()
	return m, nil
}

// Quiz returns a quiz from the service's catalogue (the store when it is not cached:
// new, or not published).
func (s *Service) Quiz(ctx context.Context, id string) (quiz.Quiz, error) {
	all, err := s.catalogQuizzes(ctx)
	if err != nil {
		return quiz.Quiz{}, err
	}
	if q, ok := all[id]; ok {
		return q, nil
	}
	// Not in the cached catalogue (new, or not published): ask the store.
	return s.store.GetQuiz(ctx, id)
}

// ListUnits returns the whole unit tree.
func (s *Service) ListUnits(ctx context.Context) (UnitsResponse, error) {
	units, _, err := s.catalogUnits(ctx)
	if err != nil {
		return UnitsResponse{}, err
	}
	return UnitsResponse{Units: units}, nil
}

// ListQuizzes returns the published quizzes, soonest closing first.
func (s *Service) ListQuizzes(ctx context.Context) (QuizzesResponse, error) {
	all, err := s.catalogQuizzes(ctx)
	if err != nil {
		return QuizzesResponse{}, err
	}
	out := QuizzesResponse{Quizzes: []QuizSummary{}}
	now := s.now()
	for _, q := range all {
		if q.Status != quiz.Published {
			continue
		}
		sum := QuizSummary{
			ID: q.ID, Kind: q.Kind, Title: q.Title, Description: q.Description,
			OpensAt: q.OpensAt, ClosesAt: q.ClosesAt, QuestionCount: q.QuestionCount(),
			TimeLimitSec: q.TimeLimitSec, Status: q.Status, ScopeUnitID: q.ScopeUnitID,
			Rounds: quiz.RoundSummaries(q), Phase: q.PhaseAt(now),
		}
		if q.Kind == quiz.KindContest {
			verifies := q.Contest != nil && q.Contest.RequiresVerifiedPhone()
			sum.VerifyPhone = &verifies
		}
		out.Quizzes = append(out.Quizzes, sum)
	}
	slices.SortFunc(out.Quizzes, func(a, b QuizSummary) int {
		if c := a.ClosesAt.Compare(b.ClosesAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// StartAttempt validates the participant, counts the start against the limits, draws the
// questions and seals the attempt into its start token: nothing else is stored until the
// submit (a contest start also takes its entry).
func (s *Service) StartAttempt(ctx context.Context, quizID string, req StartRequest) (StartResponse, error) {
	q, err := s.Quiz(ctx, quizID)
	if err != nil {
		return StartResponse{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if q.Status != quiz.Published {
		return StartResponse{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy bài thi")
	}
	if !q.IsOpen(now) {
		return StartResponse{}, apperr.Errorf(apperr.NotOpen, "Bài này hiện không mở (mở từ %s đến %s)",
			q.OpensAt.In(quiz.VietnamTime).Format("02/01/2006 15:04"), q.ClosesAt.In(quiz.VietnamTime).Format("02/01/2006 15:04"))
	}
	if q.Kind == quiz.KindContest && q.Contest != nil && q.Contest.RequiresVerifiedPhone() {
		if s.phones == nil {
			return StartResponse{}, errors.New("start attempt: no phone verifier configured")
		}
		phone, err := s.phones.VerifiedPhone(ctx, q, req.Participant.PhoneToken, now)
		if err != nil {
			return StartResponse{}, err
		}
		req.Participant.Phone = phone
	}
	p, err := s.checkParticipant(ctx, req, now)
	if err != nil {
		return StartResponse{}, err
	}
	if q.ScopeUnitID != "" {
		if _, tree, err := s.catalogUnits(ctx); err != nil {
			return StartResponse{}, err
		} else if !tree.Within(p.UnitID, q.ScopeUnitID) {
			return StartResponse{}, apperr.Errorf(apperr.Validation, "Bài này không dành cho thôn đã chọn")
		}
	}
	suspect, clientToken, sourceTag, err := s.throttle(ctx, req, now)
	if err != nil {
		return StartResponse{}, err
	}
	var roundID string
	if q.Kind == quiz.KindContest {
		if roundID, err = s.enterContest(ctx, q, &p, req.Participant.CCCD, now); err != nil {
			return StartResponse{}, err
		}
	}
	a := quiz.Attempt{
		ID: uuid.NewString(), QuizID: q.ID, QuizKind: q.Kind, Participant: p,
		// The device id is kept only as a keyed hash: flags compare it, nothing reads it back.
		Consent: req.Consent, ClientID: s.clientKey(req.ClientID),
		Identity: quiz.IdentityOf(s.keys, p.Phone, strings.TrimSpace(req.ClientID)),
		Seed:     newSeed(), StartedAt: now, ExpiresAt: expiry(q, now), Status: quiz.Started, RoundID: roundID,
		Suspect: suspect, SourceTag: sourceTag,
	}
	if !req.Consent { // personal data travel only with consent, as they are stored
		a.Participant.Name, a.Participant.Phone, a.Participant.CCCD = "", "", ""
	}
	questions := quiz.Draw(q, a.Seed)
	for _, qu := range questions {
		a.QuestionIDs = append(a.QuestionIDs, qu.ID)
	}
	// Nothing is stored: the page holds the attempt in its token until the submit.
	token, err := s.tokens.seal(a)
	if err != nil {
		return StartResponse{}, err
	}
	resp := StartResponse{AttemptID: a.ID, AttemptToken: token, ClientToken: clientToken, StartedAt: a.StartedAt, ExpiresAt: a.ExpiresAt,
		Questions: make([]PublicQuestion, len(questions))}
	for i, qu := range questions {
		pq := PublicQuestion{ID: qu.ID, Kind: qu.Kind, Text: qu.Text, Topic: qu.Topic, Options: make([]PublicOption, len(qu.Options))}
		for j, o := range qu.Options {
			pq.Options[j] = PublicOption{ID: o.ID, Text: o.Text}
		}
		resp.Questions[i] = pq
	}
	return resp, nil
}

// throttle counts a start against its client's and its source's limits: it refuses one
// past a hard limit (429 with Retry-After) and reports whether it is past a soft one,
// with the client token the device sends with its next start. The source's count is a
// counter item; the client's is one only for the starts that bring back the mark of an
// earlier start in the window (see package throttle): a replayed token counts on, and
// a device's first start writes nothing for the client. The source is not counted
// when the client is refused already. A start from a shared source
// (throttle.SharedSourceStarts today) gets the source's tag, which the figures count
// per village.
func (s *Service) throttle(ctx context.Context, req StartRequest, now time.Time) (suspect bool, clientToken, sourceTag string, err error) {
	if s.counter == nil {
		return false, "", "", nil
	}
	var verdicts []throttle.Verdict
	if id := strings.TrimSpace(req.ClientID); id != "" {
		r, key := s.limits.Client, throttle.KeyOf(s.throttleKey, throttle.ScopeClient, id)
		n := int64(1)
		if mark, ok := s.tokens.openClient(req.ClientToken); ok && mark.Returning(r, key, now) {
			stored, err := s.counter.CountStart(ctx, throttle.ScopeClient, key, r.WindowStart(now), r.Window)
			if err != nil {
				return false, "", "", err
			}
			n = stored + 1 // the window's first start, which stored nothing
		}
		v := throttle.Decide(r, n, now)
		if !v.Allowed {
			return false, "", "", startsRefused(v)
		}
		verdicts, clientToken = append(verdicts, v), s.tokens.sealClient(throttle.MarkOf(r, key, now))
	}
	r := s.limits.Source
	key := throttle.KeyOf(s.throttleKey, throttle.ScopeSource, req.Source)
	n, inDay, err := s.counter.CountStartDay(ctx, throttle.ScopeSource, key, throttle.DayStart(now), r.WindowStart(now), r.Window)
	if err != nil {
		return false, "", "", err
	}
	v := throttle.Combine(append(verdicts, throttle.Decide(r, n, now), throttle.DecideDay(s.limits, inDay))...)
	if !v.Allowed {
		return false, "", "", startsRefused(v)
	}
	if inDay >= throttle.SharedSourceStarts {
		sourceTag = throttle.SourceTag(key)
	}
	return v.Suspect, clientToken, sourceTag, nil
}

func startsRefused(v throttle.Verdict) error {
	secs := throttle.RetryAfterSeconds(v.RetryAfter)
	return apperr.Throttled(apperr.RateLimited, time.Duration(secs)*time.Second,
		"Có quá nhiều lượt bắt đầu từ cùng một nơi hoặc một thiết bị. Vui lòng thử lại sau %d giây.", secs)
}

func (s *Service) checkParticipant(ctx context.Context, req StartRequest, now time.Time) (quiz.Participant, error) {
	in := req.Participant
	for _, f := range []struct {
		label string
		text  *string
	}{{"Họ tên", &in.Name}, {"Tên tổ chức", &in.Organization}, {"Số CCCD", &in.CCCD}, {"Mã thiết bị", &req.ClientID}} {
		t, err := usertext.Clean(f.label, *f.text, false)
		if err != nil {
			return quiz.Participant{}, err
		}
		*f.text = t
	}
	p := quiz.Participant{
		Name: strings.Join(strings.Fields(in.Name), " "), UnitID: strings.TrimSpace(in.UnitID),
		BirthYear: in.BirthYear, Gender: in.Gender, Organization: strings.TrimSpace(in.Organization),
	}
	if p.UnitID == "" {
		return p, apperr.Errorf(apperr.Validation, "Hãy chọn thôn (bản, tổ dân phố) nơi bạn sinh sống")
	}
	_, tree, err := s.catalogUnits(ctx)
	if err != nil {
		return p, err
	}
	if _, ok := tree.Get(p.UnitID); !ok {
		return p, apperr.Errorf(apperr.Validation, "Không có đơn vị %q", p.UnitID)
	}
	if !tree.IsLeaf(p.UnitID) {
		return p, apperr.Errorf(apperr.Validation, "Hãy chọn một thôn (bản, tổ dân phố), không phải xã hay tỉnh")
	}
	if in.Phone != "" {
		phone, err := quiz.NormalizePhone(in.Phone)
		if err != nil {
			return p, err
		}
		p.Phone = phone
	}
	if (p.Phone != "" || p.Name != "") && !req.Consent {
		return p, apperr.Errorf(apperr.Validation, "Cần đồng ý cho phép sử dụng họ tên và số điện thoại trước khi gửi")
	}
	// Consent field by field: without it only the unit, a mass organisation's category and
	// the anonymous answers are kept. Birth year and gender are refused rather than
	// dropped, so the resident knows; an organisation is kept only as its category, so
	// free text typed there (a name, a phone) is never stored.
	if !req.Consent {
		if p.BirthYear != 0 || p.Gender != "" || strings.TrimSpace(in.CCCD) != "" {
			return p, apperr.Errorf(apperr.Validation, "Năm sinh, giới tính và số CCCD chỉ được gửi khi bạn đồng ý cho phép sử dụng thông tin cá nhân; nếu không, hãy để trống")
		}
		if p.Organization != "" {
			p.Organization = groups.OrganisationLabel(groups.OrganisationCode(p.Organization))
		}
	}
	if p.Phone == "" && strings.TrimSpace(req.ClientID) == "" {
		return p, apperr.Errorf(apperr.Validation, "Thiếu mã thiết bị (clientId)")
	}
	switch {
	case len([]rune(p.Name)) > maxNameLength:
		return p, apperr.Errorf(apperr.Validation, "Họ tên dài quá %d ký tự", maxNameLength)
	case len([]rune(p.Organization)) > maxFieldLength:
		return p, apperr.Errorf(apperr.Validation, "Tên tổ chức dài quá %d ký tự", maxFieldLength)
	case len(req.ClientID) > maxClientID:
		return p, apperr.Errorf(apperr.Validation, "Mã thiết bị dài quá %d ký tự", maxClientID)
	case p.BirthYear != 0 && (p.BirthYear < 1900 || p.BirthYear > now.Year()):
		return p, apperr.Errorf(apperr.Validation, "Năm sinh không hợp lệ")
	case p.Gender != "" && p.Gender != "male" && p.Gender != "female" && p.Gender != "other":
		return p, apperr.Errorf(apperr.Validation, "Giới tính phải là male, female hoặc other")
	}
	return p, nil
}

// Submit grades the attempt its start token carries and stores it, once. Resending the
// same answers returns the first result; different answers after a submit are a
// conflict. The common case costs one conditional PutItem and no read.
func (s *Service) Submit(ctx context.Context, attemptID string, req SubmitRequest) (Result, error) {
	c, err := s.tokens.open(attemptID, req.AttemptToken)
	if err != nil {
		return Result{}, err
	}
	q, err := s.Quiz(ctx, c.Quiz)
	if err != nil {
		return Result{}, err
	}
	a := c.attempt(attemptID, q.Kind)
	questions := quiz.AttemptQuestions(q, a)
	answers, err := quiz.CheckAnswers(questions, req.Answers)
	if err != nil {
		return Result{}, err
	}
	if q.Kind == quiz.KindContest && req.Prediction == nil {
		return Result{}, apperr.Errorf(apperr.Validation, "Cần trả lời câu hỏi dự đoán (prediction, một số nguyên)")
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	// A late contest entry is kept but not ranked (up to AbandonedAttemptLife past its
	// deadline); a late quiz or survey is refused. A resend of a submit that
	// landed in time still gets its result.
	late := !quiz.InTime(q, a, now)
	if late && (q.Kind != quiz.KindContest || now.After(a.ExpiresAt.Add(AbandonedAttemptLife))) {
		stored, err := s.store.GetAttempt(ctx, attemptID)
		if apperr.CodeOf(err) == apperr.NotFound {
			return Result{}, apperr.Errorf(apperr.Expired, "Đã hết giờ làm bài")
		} else if err != nil {
			return Result{}, err
		}
		return s.resubmitted(ctx, q, stored, answers)
	}
	quiz.Complete(&a, q, questions, answers, now, req.Prediction)
	if err := s.store.PutAttempt(ctx, a); err != nil {
		if apperr.CodeOf(err) != apperr.Conflict {
			return Result{}, err
		}
		// Submitted before (a resend, or a concurrent request won): the same answers get
		// the stored result, others a conflict.
		stored, gerr := s.store.GetAttempt(ctx, attemptID)
		if gerr != nil {
			return Result{}, gerr
		}
		return s.resubmitted(ctx, q, stored, answers)
	}
	return s.answer(ctx, q, a)
}

// expiry is when an attempt started at t must be submitted (before the grace).
func expiry(q quiz.Quiz, t time.Time) time.Time {
	if q.TimeLimitSec > 0 {
		return t.Add(time.Duration(q.TimeLimitSec) * time.Second)
	}
	return t.Add(UntimedAttemptLife)
}

func (s *Service) resubmitted(ctx context.Context, q quiz.Quiz, stored quiz.Attempt, answers []quiz.Answer) (Result, error) {
	if stored.Status != quiz.Submitted || !quiz.SameAnswers(stored, answers) {
		return Result{}, apperr.Errorf(apperr.AlreadySubmitted, "Bài này đã được nộp với câu trả lời khác")
	}
	return s.answer(ctx, q, stored)
}

// answer is what a resident is told about a submitted attempt: a quiz's or survey's
// result; a contest entry's receipt until its round's results are frozen and no round
// of the contest keeps the key secret, then its score and review.
func (s *Service) answer(ctx context.Context, q quiz.Quiz, a quiz.Attempt) (Result, error) {
	r := ResultOf(q, a)
	if q.Kind != quiz.KindContest {
		return r, nil
	}
	r.Receipt = Receipt(a)
	frozen := false
	round, ok := contest.Round{}, false
	if q.Contest != nil {
		round, ok = q.Contest.Normalized().Round(a.RoundID) // normalised: the round's name
	}
	r.RoundName = round.Name
	// A round cannot be closed before its end plus the grace, so no read is needed before.
	if ok && s.now().After(round.ClosesAt.Add(quiz.SubmitGrace)) {
		var err error
		if frozen, err = s.store.ResultsFrozen(ctx, q.ID, a.RoundID); err != nil {
			return Result{}, err
		}
	}
	// Rounds share the question set, so a frozen round's scores and review would give a
	// later open round's key away: they wait until the contest's key is no longer secret.
	if frozen && !quiz.KeySecret(q, s.now()) {
		return withReview(r, q, a), nil
	}
	sealed := Result{AttemptID: r.AttemptID, SubmittedAt: r.SubmittedAt, Receipt: r.Receipt, RoundID: r.RoundID,
		RoundName: r.RoundName, Prediction: r.Prediction, Ranked: r.Ranked, Sealed: true}
	if frozen {
		after := quiz.KeySecretUntil(q)
		sealed.ResultsAfter = &after
	} else if ok {
		after := quiz.ResultsAfter(round)
		sealed.ResultsAfter = &after
	}
	return sealed, nil
}

// receiptAlphabet has no 0/O, 1/I/L or U: a code read aloud or copied by hand survives.
const receiptAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// Receipt is a contest entry's 8-character code, derived from the attempt, its answers
// and its submission time, so every answer about one entry gives the same code, and
// nothing in it depends on grading.
func Receipt(a quiz.Attempt) string {
	sum := sha256.Sum256([]byte("receipt\x00" + a.ID + "\x00" + a.AnswersHash + "\x00" + strconv.FormatInt(a.SubmittedAt.UnixMilli(), 10)))
	v := binary.BigEndian.Uint64(sum[:8])
	b := make([]byte, 8)
	for i := range b {
		b[i] = receiptAlphabet[v%uint64(len(receiptAlphabet))]
		v /= uint64(len(receiptAlphabet))
	}
	return string(b)
}

// GetResult returns a submitted attempt's result again, to the holder of its token.
func (s *Service) GetResult(ctx context.Context, attemptID, token string) (Result, error) {
	if _, err := s.tokens.open(attemptID, token); err != nil {
		return Result{}, err
	}
	a, err := s.store.GetAttempt(ctx, attemptID)
	if apperr.CodeOf(err) == apperr.NotFound {
		// Before the submit the attempt lives only in the page.
		return Result{}, apperr.Errorf(apperr.NotFound, "Bài làm chưa được nộp")
	} else if err != nil {
		return Result{}, err
	}
	q, err := s.Quiz(ctx, a.QuizID)
	if err != nil {
		return Result{}, err
	}
	// A contest's score and key stay on the server until the entry's round is frozen.
	return s.answer(ctx, q, a)
}

// ResultOf builds the result of a submitted attempt from what was stored, so every
// response about one attempt is the same.
func ResultOf(q quiz.Quiz, a quiz.Attempt) Result {
	r := Result{
		AttemptID: a.ID, Score: a.Score, MaxScore: a.MaxScore, CorrectCount: a.CorrectCount,
		QuestionCount: len(a.QuestionIDs), DurationMs: a.DurationMs, SubmittedAt: a.SubmittedAt,
		Review: []ReviewItem{},
	}
	if a.MaxScore > 0 && a.PassPercent > 0 {
		passed := a.Passed()
		r.PassPercent, r.Passed = a.PassPercent, &passed
	}
	if q.Kind == quiz.KindContest {
		ranked := a.Ranked
		r.RoundID, r.Prediction, r.Ranked = a.RoundID, a.Prediction, &ranked
	}
	if q.Kind != quiz.KindQuiz {
		return r // surveys have nothing to review; contests keep the key until the round closes
	}
	return withReview(r, q, a)
}

// withReview adds each scored question's correctness and key to a result.
func withReview(r Result, q quiz.Quiz, a quiz.Attempt) Result {
	g := quiz.Grade(quiz.AttemptQuestions(q, a), a.Answers)
	for _, qr := range g.Questions {
		if qr.Scored {
			r.Review = append(r.Review, ReviewItem{QuestionID: qr.QuestionID, Correct: qr.Correct, CorrectOptionIDs: qr.CorrectOptionIDs})
		}
	}
	return r
}

// enterContest applies a contest's entry rules: full name and phone, an open round, no
// staff accounts, one person per citizen id, and the attempts allowed per round. The
// entry is taken last, so a refused start does not use one up.
func (s *Service) enterContest(ctx context.Context, q quiz.Quiz, p *quiz.Participant, cccd string, now time.Time) (string, error) {
	if q.Contest == nil {
		return "", apperr.Errorf(apperr.NotOpen, "Cuộc thi chưa được cấu hình")
	}
	cfg := q.Contest.Normalized()
	if p.Name == "" || p.Phone == "" {
		return "", apperr.Errorf(apperr.Validation, "Cuộc thi cần họ tên và số điện thoại của người dự thi")
	}
	round, ok := cfg.RoundAt(now)
	if !ok {
		return "", apperr.Errorf(apperr.NotOpen, "Hiện không có vòng thi nào đang mở")
	}
	person := contest.PersonKey(s.keys, p.Phone)
	staff, err := s.store.IsStaffPhone(ctx, person)
	if err != nil {
		return "", err
	}
	if staff {
		return "", apperr.Errorf(apperr.Forbidden, "Tài khoản cán bộ, ban tổ chức không được dự thi")
	}
	if strings.TrimSpace(cccd) != "" {
		id, err := contest.ValidateCCCD(cccd)
		if err != nil {
			return "", err
		}
		if err := s.store.ClaimCCCD(ctx, q.ID, contest.CCCDKey(s.keys, id), person); err != nil {
			if apperr.CodeOf(err) == apperr.Conflict {
				// One citizen id per phone and one phone per citizen id; which of the two
				// was taken is not said, nor by whom.
				return "", apperr.Errorf(apperr.Conflict, "Số CCCD và số điện thoại này không khớp với đăng ký dự thi trước đó: mỗi số CCCD chỉ đi với một số điện thoại, mỗi số điện thoại chỉ đi với một số CCCD")
			}
			return "", err
		}
		p.CCCD = id
	}
	if err := s.store.ClaimEntry(ctx, q.ID, round.ID, person, cfg.AttemptsPerRound); err != nil {
		if apperr.CodeOf(err) == apperr.Conflict {
			return "", apperr.Errorf(apperr.Conflict, "Bạn đã dùng hết %d lượt thi của vòng này", cfg.AttemptsPerRound)
		}
		return "", err
	}
	return round.ID, nil
}

// Store is what the resident service needs from storage.
type Store interface {
	ListUnits(ctx context.Context) ([]units.Unit, error)
	ListQuizzes(ctx context.Context) ([]quiz.Quiz, error)
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	// PutAttempt stores a submitted attempt, once: an apperr.Conflict error when an
	// attempt with its id is stored already (attempts are written only at the submit).
	PutAttempt(ctx context.Context, a quiz.Attempt) error
	// GetAttempt returns the attempt as last written (strongly consistent); an
	// apperr.NotFound error when it is not stored (never submitted).
	GetAttempt(ctx context.Context, id string) (quiz.Attempt, error)
	// ClaimEntry takes one of a person's `limit` entries in a contest round, atomically;
	// an apperr.Conflict error when none is left.
	ClaimEntry(ctx context.Context, quizID, roundID, person string, limit int) error
	// ClaimCCCD ties a citizen id and a person to each other, one to one, in a contest;
	// an apperr.Conflict error when another person holds the citizen id or the person
	// holds another citizen id.
	ClaimCCCD(ctx context.Context, quizID, cccdKey, person string) error
	// IsStaffPhone reports whether a person key (hashed phone) belongs to a staff account.
	IsStaffPhone(ctx context.Context, person string) (bool, error)
	// ResultsFrozen reports whether a contest round's results have been frozen (closed).
	ResultsFrozen(ctx context.Context, quizID, roundID string) (bool, error)
}
