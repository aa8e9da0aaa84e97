// Package samples is the random-sample survey service: create a sample of a quiz in a
// unit, upload its frame, draw it once, record what became of each drawn code, and
// compute the sample's own figures (never mixed into the open quiz's).
package samples

import (
	"context"
	"crypto/rand"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/authoring"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/sample"
	"github.com/nq58/tracker/internal/units"
)

// Store is the storage the sample service needs.
type Store interface {
	units.Lister
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	CreateSample(ctx context.Context, s sample.Sample) error
	GetSample(ctx context.Context, id string) (sample.Sample, error)
	// PutSampleFrame stores a frame under its hash and points the sample at it; a drawn
	// sample is a Conflict.
	PutSampleFrame(ctx context.Context, id, hash string, frame []sample.Unit) error
	SampleFrame(ctx context.Context, id, hash string) ([]sample.Unit, error)
	// ClaimSampleDraw records the draw on the sample once; a second draw, or a frame
	// changed since it was read, is a Conflict.
	ClaimSampleDraw(ctx context.Context, s sample.Sample) error
	PutSampleCodes(ctx context.Context, id string, codes []sample.Code) error
	// AddSampleCodes writes codes not stored yet, leaving any stored meanwhile.
	AddSampleCodes(ctx context.Context, id string, codes []sample.Code) error
	SampleCodes(ctx context.Context, id string) ([]sample.Code, error)
	SetSampleOutcome(ctx context.Context, id, code string, o sample.Outcome) error
	SetSampleResponse(ctx context.Context, id, code string, r sample.Response) error
	ListSamples(ctx context.Context, quizID string) ([]sample.Sample, error)
}

// Service runs random-sample surveys.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service; now is the clock (nil: time.Now).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// CreateRequest is the body of POST /v1/admin/samples: perVillage, or marginOfError
// (percentage points at 95 %) from which each village's size follows.
type CreateRequest struct {
	QuizID        string  `json:"quizId" jsonschema:"required"`
	UnitID        string  `json:"unitId" jsonschema:"required"`
	PerVillage    int     `json:"perVillage,omitempty"`
	MarginOfError float64 `json:"marginOfError,omitempty"`
}

// Village is one village of a sample: its frame size, the size to draw, and once drawn
// its codes.
type Village struct {
	UnitID    string        `json:"unitId"`
	Name      string        `json:"name"`
	FrameSize int           `json:"frameSize"`
	Size      int           `json:"size"`
	Codes     []sample.Code `json:"codes,omitempty"`
}

// View is a sample as the routes answer it.
type View struct {
	sample.Sample
	QuizTitle string `json:"quizTitle"`
	UnitName  string `json:"unitName"`
	// Label says what kind of figures these are, on every page and export.
	Label    string    `json:"label"`
	Villages []Village `json:"villages"`
}

// FrameResult answers PUT /v1/admin/samples/{sampleId}/frame: the frame's size per
// village and its hash, or every row error.
type FrameResult struct {
	FrameSHA256 string            `json:"frameSha256,omitempty"`
	Total       int               `json:"total"`
	Villages    []Village         `json:"villages,omitempty"`
	Errors      []sample.RowError `json:"errors,omitempty"`
}

// DrawRequest is the body of POST /v1/admin/samples/{sampleId}/draw.
type DrawRequest struct {
	// Seed is optional: one is made when absent.
	Seed string `json:"seed,omitempty"`
}

// OutcomeRequest is the body of POST /v1/admin/samples/{sampleId}/outcomes.
type OutcomeRequest struct {
	Code    string `json:"code" jsonschema:"required"`
	Outcome string `json:"outcome" jsonschema:"required"`
}

// Label is the figures' label: a random sample, against the open quiz's "tự nguyện".
const Label = "mẫu ngẫu nhiên"

// Create makes a sample of a quiz (not a contest) in a unit of the staff member's.
func (s *Service) Create(ctx context.Context, staff auth.Staff, in CreateRequest) (View, error) {
	q, tree, err := auth.LoadQuiz(ctx, s.store, staff, auth.ViewQuiz, in.QuizID)
	if err != nil {
		return View{}, err
	}
	if q.Kind == quiz.KindContest {
		return View{}, apperr.Errorf(apperr.Validation, "Hội thi không khảo sát theo mẫu: chọn một bài tìm hiểu hoặc khảo sát")
	}
	if _, ok := tree.Get(in.UnitID); !ok {
		return View{}, auth.OutOfScope()
	}
	if err := auth.Authorize(staff, auth.RunSamples, auth.UnitTarget(in.UnitID), tree); err != nil {
		return View{}, err
	}
	sm := sample.Sample{ID: uuid.NewString(), QuizID: q.ID, UnitID: in.UnitID, PerVillage: in.PerVillage,
		MarginOfError: in.MarginOfError, CreatedAt: s.now().UTC(), CreatedBy: staff.Username}
	if err := sm.Validate(); err != nil {
		return View{}, err
	}
	if err := s.store.CreateSample(ctx, sm); err != nil {
		return View{}, err
	}
	return s.view(tree, q, sm, nil), nil
}

// List answers GET /v1/admin/samples: a quiz's samples.
type List struct {
	Samples []Listed `json:"samples"`
}

// Listed is a sample in a quiz's list.
type Listed struct {
	ID        string    `json:"sampleId"`
	UnitID    string    `json:"unitId"`
	UnitName  string    `json:"unitName"`
	CreatedAt time.Time `json:"createdAt"`
}

// List lists a quiz's samples of units the staff member may run samples in.
func (s *Service) List(ctx context.Context, staff auth.Staff, quizID string) ([]Listed, error) {
	if quizID == "" {
		return nil, apperr.Errorf(apperr.Validation, "Thiếu mã bài (quizId)")
	}
	_, tree, err := auth.LoadQuiz(ctx, s.store, staff, auth.ViewQuiz, quizID)
	if err != nil {
		return nil, err
	}
	sms, err := s.store.ListSamples(ctx, quizID)
	if err != nil {
		return nil, err
	}
	out := []Listed{}
	for _, sm := range sms {
		if auth.May(staff, auth.RunSamples, auth.UnitTarget(sm.UnitID), tree) {
			u, _ := tree.Get(sm.UnitID)
			out = append(out, Listed{ID: sm.ID, UnitID: sm.UnitID, UnitName: u.Name, CreatedAt: sm.CreatedAt})
		}
	}
	return out, nil
}

// load reads a sample, its quiz and the tree, and authorizes the staff member on the
// sample's unit; an unknown sample answers as one out of scope.
func (s *Service) load(ctx context.Context, staff auth.Staff, id string) (sample.Sample, quiz.Quiz, *units.Tree, error) {
	sm, err := s.store.GetSample(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return sample.Sample{}, quiz.Quiz{}, nil, auth.OutOfScope()
	}
	if err != nil {
		return sample.Sample{}, quiz.Quiz{}, nil, err
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return sample.Sample{}, quiz.Quiz{}, nil, err
	}
	if err := auth.Authorize(staff, auth.RunSamples, auth.UnitTarget(sm.UnitID), tree); err != nil {
		return sample.Sample{}, quiz.Quiz{}, nil, err
	}
	q, err := s.store.GetQuiz(ctx, sm.QuizID)
	if err != nil {
		return sample.Sample{}, quiz.Quiz{}, nil, err
	}
	return sm, q, tree, nil
}

// Size is how many to draw in a village of frameSize: the sample's perVillage, or
// Cochran's size for its margin of error with the finite-population correction
// (report.SampleSize); never more than the frame.
func Size(sm sample.Sample, frameSize int) int {
	if sm.PerVillage > 0 {
		return min(sm.PerVillage, frameSize)
	}
	n, ok := report.SampleSize(sm.MarginOfError, int64(frameSize))
	if !ok {
		return 0
	}
	return int(min(n, int64(frameSize)))
}

// villages lists the sample's villages in tree order: those of its frame, or before a
// frame every village of its unit.
func villages(tree *units.Tree, sm sample.Sample, codes []sample.Code) []Village {
	byUnit := map[string][]sample.Code{}
	for _, c := range codes {
		byUnit[c.UnitID] = append(byUnit[c.UnitID], c)
	}
	var out []Village
	for _, id := range tree.Leaves(sm.UnitID) {
		n, inFrame := sm.FrameSizes[id]
		if len(sm.FrameSizes) > 0 && !inFrame {
			continue
		}
		u, _ := tree.Get(id)
		cs := byUnit[id]
		slices.SortFunc(cs, func(a, b sample.Code) int { return a.Order - b.Order })
		out = append(out, Village{UnitID: id, Name: u.Name, FrameSize: n, Size: Size(sm, n), Codes: cs})
	}
	return out
}

func (s *Service) view(tree *units.Tree, q quiz.Quiz, sm sample.Sample, codes []sample.Code) View {
	u, _ := tree.Get(sm.UnitID)
	return View{Sample: sm, QuizTitle: q.Title, UnitName: u.Name, Label: Label, Villages: villages(tree, sm, codes)}
}

// Get reads a sample with its villages and, once drawn, its codes with their outcomes.
func (s *Service) Get(ctx context.Context, staff auth.Staff, id string) (View, error) {
	sm, q, tree, err := s.load(ctx, staff, id)
	if err != nil {
		return View{}, err
	}
	var codes []sample.Code
	if sm.Drawn() {
		if codes, err = s.store.SampleCodes(ctx, id); err != nil {
			return View{}, err
		}
	}
	return s.view(tree, q, sm, codes), nil
}

// PutFrame replaces a sample's frame with a CSV or XLSX file of unitId,code rows, until
// the sample is drawn. If any row has an error, nothing is stored and the result lists
// every error.
func (s *Service) PutFrame(ctx context.Context, staff auth.Staff, id, contentType string, body []byte) (FrameResult, error) {
	sm, _, tree, err := s.load(ctx, staff, id)
	if err != nil {
		return FrameResult{}, err
	}
	if sm.Drawn() {
		return FrameResult{}, apperr.Errorf(apperr.Conflict, "Mẫu đã rút thăm: không đổi được khung mẫu")
	}
	// Two columns are read; a few more are allowed so that their row errors name them.
	rows, err := authoring.ReadTable(contentType, body, authoring.TableLimits{Rows: sample.MaxFrameRows, Columns: 8})
	if err != nil {
		return FrameResult{}, err
	}
	frame, rowErrs := sample.ParseFrame(rows, tree, sm.UnitID)
	if len(rowErrs) > 0 {
		return FrameResult{Errors: rowErrs}, apperr.Errorf(apperr.Validation, "%d dòng có lỗi", countRows(rowErrs))
	}
	hash := sample.FrameHash(frame)
	if err := s.store.PutSampleFrame(ctx, id, hash, frame); err != nil {
		return FrameResult{}, err
	}
	sm.FrameSHA256, sm.FrameSizes = hash, sample.Sizes(frame)
	return FrameResult{FrameSHA256: hash, Total: len(frame), Villages: villages(tree, sm, nil)}, nil
}

func countRows(errs []sample.RowError) int {
	rows := map[int]bool{}
	for _, e := range errs {
		rows[e.Row] = true
	}
	return len(rows)
}

// Draw draws the sample once, from its frame, with the given seed or a new one. The seed
// and the frame's SHA-256 are stored and shown, so anyone can redo the draw; a second
// draw is a Conflict (nobody redraws until they like the result). A draw whose codes
// were not all written (a failure after the draw was recorded) is completed by the same
// call, from the stored seed.
func (s *Service) Draw(ctx context.Context, staff auth.Staff, id string, in DrawRequest) (View, error) {
	sm, q, tree, err := s.load(ctx, staff, id)
	if err != nil {
		return View{}, err
	}
	if sm.FrameSHA256 == "" {
		return View{}, apperr.Errorf(apperr.Validation, "Chưa có khung mẫu: hãy tải lên danh sách mã hộ trước khi rút thăm")
	}
	// written are the codes of an interrupted draw already stored: the completion leaves
	// them, and the outcomes and responses recorded on them since, as they are.
	written := map[string]bool{}
	if sm.Drawn() {
		codes, err := s.store.SampleCodes(ctx, id)
		if err != nil {
			return View{}, err
		}
		if len(codes) >= sm.DrawnTotal {
			return View{}, apperr.Errorf(apperr.Conflict, "Mẫu đã được rút thăm: mỗi mẫu chỉ rút một lần")
		}
		for _, c := range codes {
			written[c.Code] = true
		}
		in.Seed = sm.Seed
	}
	seed := in.Seed
	if seed == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return View{}, err
		}
		seed = sample.NewSeed(b)
	}
	if !sample.ValidSeed(seed) {
		return View{}, apperr.Errorf(apperr.Validation, "Hạt giống %q không hợp lệ: dùng 1 đến %d chữ cái không dấu, chữ số, - hoặc _", seed, sample.MaxSeedLen)
	}
	frame, err := s.store.SampleFrame(ctx, id, sm.FrameSHA256)
	if err != nil {
		return View{}, err
	}
	if sample.FrameHash(frame) != sm.FrameSHA256 {
		return View{}, apperr.Errorf(apperr.Conflict, "Khung mẫu đang được thay: hãy thử lại")
	}
	codes := sample.DrawCodes(sample.Draw(seed, frame, func(n int) int { return Size(sm, n) }))
	if !sm.Drawn() {
		at := s.now().UTC()
		sm.Seed, sm.DrawnAt, sm.DrawnBy, sm.DrawnTotal = seed, &at, staff.Username, len(codes)
		if err := s.store.ClaimSampleDraw(ctx, sm); err != nil {
			return View{}, err
		}
	}
	if !sm.Drawn() {
		// Nothing can be recorded on a code before it is written: one batch write is safe.
		if err := s.store.PutSampleCodes(ctx, id, codes); err != nil {
			return View{}, err
		}
	} else {
		// Completing: only the missing codes, each on the condition that it is still
		// absent (another completion may be writing them).
		missing := slices.DeleteFunc(slices.Clone(codes), func(c sample.Code) bool { return written[c.Code] })
		if err := s.store.AddSampleCodes(ctx, id, missing); err != nil {
			return View{}, err
		}
		if codes, err = s.store.SampleCodes(ctx, id); err != nil {
			return View{}, err
		}
	}
	return s.view(tree, q, sm, codes), nil
}

// SetOutcome records why a drawn code gave no answer (a later visit's outcome replaces
// an earlier one); a code with a response takes none.
func (s *Service) SetOutcome(ctx context.Context, staff auth.Staff, id string, in OutcomeRequest) (sample.Code, error) {
	sm, _, _, err := s.load(ctx, staff, id)
	if err != nil {
		return sample.Code{}, err
	}
	if !sm.Drawn() {
		return sample.Code{}, apperr.Errorf(apperr.Validation, "Mẫu chưa rút thăm")
	}
	o, err := sample.ParseOutcome(in.Outcome)
	if err != nil {
		return sample.Code{}, err
	}
	if !sample.ValidCode(in.Code) {
		return sample.Code{}, apperr.Errorf(apperr.Validation, "Mã %q không hợp lệ", in.Code)
	}
	if err := s.store.SetSampleOutcome(ctx, id, in.Code, o); err != nil {
		return sample.Code{}, err
	}
	return sample.Code{Code: in.Code, Outcome: o}, nil
}
