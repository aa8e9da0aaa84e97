// Package sheets is the paper-sheet service: printing sheets for a village, entering them
// by hand or in a bulk upload, and the running count per village.
package sheets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/activity"
	"github.com/nq58/tracker/internal/aggregate"
	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/groups"
	"github.com/nq58/tracker/internal/paper"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
	"github.com/nq58/tracker/internal/usertext"
)

// Store is the storage the paper service needs.
type Store interface {
	units.Lister
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	CreatePrint(ctx context.Context, p paper.Print) error
	GetPrint(ctx context.Context, id string) (paper.Print, error)
	GetSheet(ctx context.Context, code string) (paper.Sheet, error)
	// EnterSheet writes the sheet's attempt, marks the sheet entered and adds one to the
	// entry session in the activity log, all or nothing; a sheet entered before is a
	// Conflict.
	EnterSheet(ctx context.Context, s paper.Sheet, e paper.Entry, a quiz.Attempt, session activity.Activity) error
	Counters(ctx context.Context, quizID string, unitIDs []string) ([]aggregate.Counter, error)
	GetAttempt(ctx context.Context, id string) (quiz.Attempt, error)
	// CorrectSheet replaces an entered sheet's attempt (whose grade version was prevGV)
	// and appends the correction to its history; a concurrent change is a Conflict.
	CorrectSheet(ctx context.Context, s paper.Sheet, e paper.Entry, a quiz.Attempt, prevGV int, c paper.Correction) error
}

// Service prints, enters and counts paper sheets.
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

// PrintRequest is the body of POST /v1/paper/prints.
type PrintRequest struct {
	QuizID  string `json:"quizId"`
	UnitID  string `json:"unitId"`
	Count   int    `json:"count" jsonschema:"required,minimum=1,maximum=300"`
	Variant string `json:"variant"`
	// SiteURL is the resident site's address (the staff page's origin), for the QR code.
	SiteURL string `json:"siteUrl"`
}

// PrintView is what the print page and the entry page show.
type PrintView struct {
	paper.Print
	QuizTitle string                  `json:"quizTitle"`
	UnitName  string                  `json:"unitName"`
	Date      string                  `json:"date"` // dd/mm/yyyy, Vietnam time
	Link      string                  `json:"link,omitempty"`
	QRSVG     string                  `json:"qrSvg,omitempty"`
	Questions []paper.PrintedQuestion `json:"questions"`
}

// SheetView answers GET /v1/paper/sheets/{code}: the sheet's print (its questions and
// codes, so the entry page can work offline on the whole print) and its entry.
type SheetView struct {
	Code        string             `json:"code"`
	Print       PrintView          `json:"print"`
	Entry       *paper.Entry       `json:"entry,omitempty"`
	Corrections []paper.Correction `json:"corrections,omitempty"`
}

// sheetQuiz loads the quiz for paper use: paper counts only in awareness, so contests
// (prizes, rankings) are refused.
func (s *Service) sheetQuiz(ctx context.Context, id string) (quiz.Quiz, error) {
	q, err := s.store.GetQuiz(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return quiz.Quiz{}, auth.OutOfScope()
	}
	if err != nil {
		return quiz.Quiz{}, err
	}
	if q.Kind == quiz.KindContest {
		return quiz.Quiz{}, apperr.Errorf(apperr.Validation, "Hội thi không nhận phiếu giấy: phiếu giấy chỉ dùng cho bài tìm hiểu và khảo sát")
	}
	return q, nil
}

// checkNotClosed refuses new sheets of a closed quiz (409 quiz_closed): its figures are
// final. An entered sheet stays correctable (Correct), with a reason on record.
func (s *Service) checkNotClosed(q quiz.Quiz) error {
	if !q.HasClosed(s.now()) {
		return nil
	}
	closed := "đã đóng"
	if !q.ClosesAt.IsZero() && !s.now().Before(q.ClosesAt) {
		closed = "đã đóng lúc " + q.ClosesAt.In(quiz.VietnamTime).Format("15:04 02/01/2006")
	}
	return apperr.Errorf(apperr.QuizClosed, "Bài %q %s: không nhận thêm phiếu. Phiếu đã nhập vẫn có thể được cán bộ sửa, kèm lý do.", q.Title, closed)
}

// checkVillage authorises the staff on the village and checks that the quiz covers it.
func checkVillage(staff auth.Staff, tree *units.Tree, q quiz.Quiz, unitID string) error {
	if err := auth.Authorize(staff, auth.CollectSheets, auth.UnitTarget(unitID), tree); err != nil {
		return err
	}
	if !tree.IsLeaf(unitID) {
		return apperr.Errorf(apperr.Validation, "Phiếu giấy in cho một thôn: hãy chọn thôn")
	}
	if q.ScopeUnitID != "" && !tree.Within(unitID, q.ScopeUnitID) {
		return auth.OutOfScope()
	}
	return nil
}

// Print creates a print run of sheets with fresh codes and one fixed draw.
func (s *Service) Print(ctx context.Context, staff auth.Staff, in PrintRequest) (PrintView, error) {
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return PrintView{}, err
	}
	if err := auth.Authorize(staff, auth.CollectSheets, auth.UnitTarget(in.UnitID), tree); err != nil {
		return PrintView{}, err
	}
	q, err := s.sheetQuiz(ctx, in.QuizID)
	if err != nil {
		return PrintView{}, err
	}
	if err := checkVillage(staff, tree, q, in.UnitID); err != nil {
		return PrintView{}, err
	}
	if q.Status != quiz.Published {
		return PrintView{}, apperr.Errorf(apperr.Validation, "Chỉ in phiếu cho bài đã công bố")
	}
	if in.Variant == "" {
		in.Variant = paper.VariantFull
	}
	if !slices.Contains(paper.Variants, in.Variant) {
		return PrintView{}, apperr.Errorf(apperr.Validation, "Mẫu phiếu %q không hợp lệ: dùng full hoặc answers", in.Variant)
	}
	if in.Count < 1 || in.Count > paper.MaxSheetsPerPrint {
		return PrintView{}, apperr.Errorf(apperr.Validation, "Số phiếu phải từ 1 đến %d", paper.MaxSheetsPerPrint)
	}
	seedCode, err := paper.NewCode() // a random seed, from the same source as the codes
	if err != nil {
		return PrintView{}, err
	}
	seed := sha256.Sum256([]byte(seedCode + uuid.NewString()))
	p := paper.Print{ID: uuid.NewString(), QuizID: q.ID, UnitID: in.UnitID, Variant: in.Variant, PrintedBy: staff.Username,
		PrintedAt: s.now().UTC()}
	for i := 0; i < 8; i++ {
		p.Seed = p.Seed<<8 | uint64(seed[i])
	}
	for _, qu := range quiz.Draw(q, p.Seed) {
		p.QuestionIDs = append(p.QuestionIDs, qu.ID)
	}
	seen := map[string]bool{}
	for len(p.Codes) < in.Count {
		c, err := paper.NewCode()
		if err != nil {
			return PrintView{}, err
		}
		if !seen[c] {
			seen[c] = true
			p.Codes = append(p.Codes, c)
		}
	}
	if err := s.store.CreatePrint(ctx, p); err != nil {
		return PrintView{}, err
	}
	return s.view(tree, q, p, in.SiteURL)
}

func (s *Service) view(tree *units.Tree, q quiz.Quiz, p paper.Print, siteURL string) (PrintView, error) {
	u, _ := tree.Get(p.UnitID)
	v := PrintView{Print: p, QuizTitle: q.Title, UnitName: u.Name,
		Date: p.PrintedAt.In(quiz.VietnamTime).Format("02/01/2006")}
	if siteURL != "" {
		base, err := url.Parse(siteURL)
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
			return PrintView{}, apperr.Errorf(apperr.Validation, "Địa chỉ trang (siteUrl) không hợp lệ")
		}
		v.Link = base.Scheme + "://" + base.Host + "/?" + url.Values{"unit": {p.UnitID}, "quiz": {q.ID}}.Encode()
		svg, err := paper.QRSVG(v.Link)
		if err != nil {
			return PrintView{}, err
		}
		v.QRSVG = svg
	}
	v.Questions = paper.Printed(paper.PrintedQuestions(q, p))
	return v, nil
}

// normCode puts a typed code in canonical form (upper case, no spaces or dashes).
func normCode(c string) string {
	c = strings.ToUpper(strings.Join(strings.FieldsFunc(c, func(r rune) bool { return r == ' ' || r == '-' }), ""))
	if len(c) != paper.CodeLength || strings.Trim(c, paper.CodeAlphabet) != "" {
		return ""
	}
	return c
}

// loadSheet reads a sheet, its print and quiz, and authorises the staff on its village;
// an unknown code answers as one out of scope.
func (s *Service) loadSheet(ctx context.Context, staff auth.Staff, code string) (paper.Sheet, paper.Print, quiz.Quiz, *units.Tree, error) {
	code = normCode(code)
	if code == "" {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, apperr.Errorf(apperr.Validation, "Mã phiếu gồm %d ký tự trong %s", paper.CodeLength, paper.CodeAlphabet)
	}
	sh, err := s.store.GetSheet(ctx, code)
	if err != nil {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, err
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, err
	}
	if err := auth.Authorize(staff, auth.CollectSheets, auth.UnitTarget(sh.UnitID), tree); err != nil {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, err
	}
	p, err := s.store.GetPrint(ctx, sh.PrintID)
	if err != nil {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, err
	}
	q, err := s.sheetQuiz(ctx, sh.QuizID)
	if err != nil {
		return paper.Sheet{}, paper.Print{}, quiz.Quiz{}, nil, err
	}
	return sh, p, q, tree, nil
}

// GetSheet returns a sheet with its print and its entry, if entered.
func (s *Service) GetSheet(ctx context.Context, staff auth.Staff, code string) (SheetView, error) {
	sh, p, q, tree, err := s.loadSheet(ctx, staff, code)
	if err != nil {
		return SheetView{}, err
	}
	v, err := s.view(tree, q, p, "")
	if err != nil {
		return SheetView{}, err
	}
	return SheetView{Code: sh.Code, Print: v, Entry: sh.Entry, Corrections: sh.Corrections}, nil
}

// EntryRequest is the body of PUT /v1/paper/sheets/{code}: what the resident ticked and
// the optional, anonymous details of the sheet's header.
type EntryRequest struct {
	Channel      string        `json:"channel" jsonschema:"required"`
	BirthYear    int           `json:"birthYear,omitempty"`
	Gender       string        `json:"gender,omitempty"`
	Organization string        `json:"organization,omitempty"`
	Answers      []quiz.Answer `json:"answers"`
}

// EntryResult answers an entry.
type EntryResult struct {
	Code         string `json:"code"`
	AttemptID    string `json:"attemptId"`
	UnitID       string `json:"unitId"`
	Score        int    `json:"score"`
	MaxScore     int    `json:"maxScore"`
	CorrectCount int    `json:"correctCount"`
	// Created is false when the same content had been entered before (a resend).
	Created bool         `json:"created"`
	Entry   *paper.Entry `json:"entry"`
}

// checkDetails validates the sheet's header fields and puts them in canonical form: an
// organisation is stored as its label only, never as free text.
func (s *Service) checkDetails(in *EntryRequest) error {
	switch in.Channel {
	case quiz.ChannelPaper, quiz.ChannelAssisted:
	default:
		return apperr.Errorf(apperr.Validation, "Kênh nhập phải là paper (phiếu giấy) hoặc assisted (nhập cùng người dân)")
	}
	year := s.now().In(quiz.VietnamTime).Year()
	if in.BirthYear != 0 && (in.BirthYear < 1900 || in.BirthYear > year-10) {
		return apperr.Errorf(apperr.Validation, "Năm sinh %d không hợp lệ", in.BirthYear)
	}
	if g := genderCode(in.Gender); g == "?" {
		return apperr.Errorf(apperr.Validation, "Giới tính %q không hợp lệ: nam, nữ hoặc khác", in.Gender)
	} else {
		in.Gender = g
	}
	if in.Organization != "" {
		in.Organization = groups.OrganisationLabel(organisationCode(in.Organization))
	}
	return nil
}

// genderCode maps a gender as typed (English codes or Vietnamese words) to a report
// code; "" stays unknown, "?" is invalid.
func genderCode(g string) string {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "":
		return ""
	case "male", "nam":
		return "male"
	case "female", "nữ", "nu":
		return "female"
	case "other", "khác", "khac":
		return "other"
	}
	return "?"
}

// organisationCode takes an organisation code or name.
func organisationCode(o string) string {
	for _, x := range groups.Organisations {
		if strings.EqualFold(o, x.Code) {
			return x.Code
		}
	}
	return groups.OrganisationCode(o)
}

// entryHash digests what an entry says, to tell a resend from different content.
func entryHash(in EntryRequest, answersHash string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{in.Channel, strconv.Itoa(in.BirthYear), in.Gender, in.Organization, answersHash}, "\x00")))
	return hex.EncodeToString(h[:])
}

// prepared is a checked entry ready to write.
type prepared struct {
	sheet   paper.Sheet
	entry   paper.Entry
	attempt quiz.Attempt
	same    bool // entered before with the same content
}

// prepare checks an entry of a loaded sheet and grades it, writing nothing.
func (s *Service) prepare(staff auth.Staff, sh paper.Sheet, p paper.Print, q quiz.Quiz, in EntryRequest) (prepared, error) {
	if err := s.checkDetails(&in); err != nil {
		return prepared{}, err
	}
	now := s.now().UTC()
	a := quiz.Attempt{ID: paper.AttemptID(sh.Code), QuizID: q.ID, QuizKind: q.Kind, Seed: p.Seed, QuestionIDs: p.QuestionIDs,
		Channel: in.Channel, Participant: quiz.Participant{UnitID: sh.UnitID, BirthYear: in.BirthYear, Gender: in.Gender,
			Organization: in.Organization}}
	if err := paper.Complete(&a, q, in.Answers, now); err != nil {
		return prepared{}, err
	}
	e := paper.Entry{AttemptID: a.ID, Channel: in.Channel, EnteredBy: staff.Username, EnteredAt: now, Hash: entryHash(in, a.AnswersHash)}
	if sh.Entry != nil {
		if sh.Entry.Hash != e.Hash {
			return prepared{}, apperr.Errorf(apperr.Conflict, "Phiếu %s đã được nhập với nội dung khác (bởi %s)", sh.Code, sh.Entry.EnteredBy)
		}
		return prepared{sheet: sh, entry: *sh.Entry, attempt: a, same: true}, nil
	}
	return prepared{sheet: sh, entry: e, attempt: a}, nil
}

// session is the activity-log record of a staff member's entries in a village on a day.
func session(staff auth.Staff, unitID, channel string, now time.Time) activity.Activity {
	label := "phiếu giấy"
	if channel == quiz.ChannelAssisted {
		label = "nhập cùng người dân"
	}
	return activity.Activity{ID: "sheets-" + channel + "-" + staff.Username, UnitID: unitID, Type: activity.TypePaper,
		Date: now.In(quiz.VietnamTime).Format(activity.DateLayout), Topics: []string{},
		Note: fmt.Sprintf("Phiên nhập phiếu (%s) của %s", label, staff.Username), CreatedBy: staff.Username, CreatedAt: now.UTC()}
}

// write stores a prepared entry; a concurrent entry of the same sheet is re-read and
// compared, so two identical entries racing both succeed with one attempt.
func (s *Service) write(ctx context.Context, staff auth.Staff, pr prepared) (EntryResult, error) {
	res := EntryResult{Code: pr.sheet.Code, AttemptID: pr.attempt.ID, UnitID: pr.sheet.UnitID, Score: pr.attempt.Score,
		MaxScore: pr.attempt.MaxScore, CorrectCount: pr.attempt.CorrectCount}
	if pr.same {
		e := pr.entry
		res.Entry = &e
		return res, nil
	}
	err := s.store.EnterSheet(ctx, pr.sheet, pr.entry, pr.attempt, session(staff, pr.sheet.UnitID, pr.entry.Channel, pr.entry.EnteredAt))
	if apperr.CodeOf(err) == apperr.Conflict {
		now, rerr := s.store.GetSheet(ctx, pr.sheet.Code)
		if rerr != nil {
			return EntryResult{}, rerr
		}
		if now.Entry != nil && now.Entry.Hash == pr.entry.Hash {
			res.Entry = now.Entry
			return res, nil
		}
		return EntryResult{}, apperr.Errorf(apperr.Conflict, "Phiếu %s đã được nhập với nội dung khác", pr.sheet.Code)
	}
	if err != nil {
		return EntryResult{}, err
	}
	e := pr.entry
	res.Entry, res.Created = &e, true
	return res, nil
}

// Enter enters one sheet: once per code; the same content again is answered as before,
// other content is a conflict.
func (s *Service) Enter(ctx context.Context, staff auth.Staff, code string, in EntryRequest) (EntryResult, error) {
	sh, p, q, _, err := s.loadSheet(ctx, staff, code)
	if err != nil {
		return EntryResult{}, err
	}
	if err := s.checkNotClosed(q); err != nil {
		return EntryResult{}, err
	}
	pr, err := s.prepare(staff, sh, p, q, in)
	if err != nil {
		return EntryResult{}, err
	}
	return s.write(ctx, staff, pr)
}

// VillageProgress is one village's running count.
type VillageProgress struct {
	UnitID       string `json:"unitId"`
	Name         string `json:"name"`
	Participants int64  `json:"participants"`
	Paper        int64  `json:"paper"`
	Assisted     int64  `json:"assisted"`
}

// Progress is the running count of a quiz's participants per village of a unit, from the
// aggregator's counters (what the reports will show), with the staff channels apart.
type Progress struct {
	QuizID   string            `json:"quizId"`
	UnitID   string            `json:"unitId"`
	Villages []VillageProgress `json:"villages"`
}

// Progress reads the running counts of the villages under unitID (the staff scope when
// empty).
func (s *Service) Progress(ctx context.Context, staff auth.Staff, quizID, unitID string) (Progress, error) {
	if unitID == "" {
		unitID = staff.ScopeUnitID
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return Progress{}, err
	}
	if err := auth.Authorize(staff, auth.CollectSheets, auth.UnitTarget(unitID), tree); err != nil {
		return Progress{}, err
	}
	q, err := s.sheetQuiz(ctx, quizID)
	if err != nil {
		return Progress{}, err
	}
	if q.ScopeUnitID != "" && !tree.Within(unitID, q.ScopeUnitID) && !tree.Within(q.ScopeUnitID, unitID) {
		return Progress{}, auth.OutOfScope()
	}
	villages := tree.Leaves(unitID)
	counters, err := s.store.Counters(ctx, q.ID, villages)
	if err != nil {
		return Progress{}, err
	}
	by := map[string]*VillageProgress{}
	out := Progress{QuizID: q.ID, UnitID: unitID, Villages: []VillageProgress{}}
	for _, v := range villages {
		u, _ := tree.Get(v)
		out.Villages = append(out.Villages, VillageProgress{UnitID: v, Name: u.Name})
	}
	for i := range out.Villages {
		by[out.Villages[i].UnitID] = &out.Villages[i]
	}
	for _, c := range counters {
		v, ok := by[c.UnitID]
		if !ok {
			continue
		}
		v.Participants += c.Participants
		v.Paper += c.Groups["channel:"+quiz.ChannelPaper].Participants
		v.Assisted += c.Groups["channel:"+quiz.ChannelAssisted].Participants
	}
	slices.SortStableFunc(out.Villages, func(a, b VillageProgress) int { return strings.Compare(a.UnitID, b.UnitID) })
	return out, nil
}

// CorrectionRequest is the body of POST /v1/paper/sheets/{code}/correction: the whole
// sheet as it should have been entered, and why.
type CorrectionRequest struct {
	EntryRequest
	Reason string `json:"reason" jsonschema:"required,minLength=1,maxLength=300"`
}

// CorrectionResult answers a correction with the sheet's new grade and its history.
type CorrectionResult struct {
	Code         string             `json:"code"`
	AttemptID    string             `json:"attemptId"`
	Score        int                `json:"score"`
	MaxScore     int                `json:"maxScore"`
	CorrectCount int                `json:"correctCount"`
	Corrections  []paper.Correction `json:"corrections"`
}

// maxReason bounds a correction's reason (a short note, never personal data).
const maxReason = 300

// Correct replaces an entered sheet's answers and details, with a reason, recorded with
// who and when. The corrected attempt is graded with the quiz's current key and a higher
// grade version, so the aggregator moves the counts from the old entry to the new one.
func (s *Service) Correct(ctx context.Context, staff auth.Staff, code string, in CorrectionRequest) (CorrectionResult, error) {
	sh, p, q, _, err := s.loadSheet(ctx, staff, code)
	if err != nil {
		return CorrectionResult{}, err
	}
	if sh.Entry == nil {
		return CorrectionResult{}, apperr.Errorf(apperr.Validation, "Phiếu %s chưa được nhập: hãy nhập phiếu thay vì sửa", sh.Code)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > maxReason {
		return CorrectionResult{}, apperr.Errorf(apperr.Validation, "Cần ghi lý do sửa phiếu (tối đa %d ký tự, không ghi thông tin cá nhân)", maxReason)
	}
	if err := usertext.Check("Lý do sửa phiếu", in.Reason, false); err != nil {
		return CorrectionResult{}, err
	}
	stored, err := s.store.GetAttempt(ctx, sh.Entry.AttemptID)
	if err != nil {
		return CorrectionResult{}, err
	}
	pr, err := s.prepare(staff, paper.Sheet{Code: sh.Code, PrintID: sh.PrintID, QuizID: sh.QuizID, UnitID: sh.UnitID}, p, q, in.EntryRequest)
	if err != nil {
		return CorrectionResult{}, err
	}
	a := pr.attempt
	a.StartedAt, a.ExpiresAt, a.SubmittedAt, a.DurationMs = stored.StartedAt, stored.ExpiresAt, stored.SubmittedAt, stored.DurationMs
	a.GradeVersion = max(stored.GradeVersion, q.GradeVersion()) + 1
	res := CorrectionResult{Code: sh.Code, AttemptID: a.ID, Score: a.Score, MaxScore: a.MaxScore, CorrectCount: a.CorrectCount,
		Corrections: append([]paper.Correction{}, sh.Corrections...)}
	if pr.entry.Hash == sh.Entry.Hash {
		return res, nil // nothing to correct
	}
	c := paper.Correction{By: staff.Username, At: s.now().UTC(), Reason: in.Reason, FromHash: sh.Entry.Hash}
	if err := s.store.CorrectSheet(ctx, sh, pr.entry, a, stored.GradeVersion, c); err != nil {
		return CorrectionResult{}, err
	}
	res.Corrections = append(res.Corrections, c)
	return res, nil
}
