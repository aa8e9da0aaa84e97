// Package phoneverify proves that a contest entrant holds a phone: a 6-digit code goes
// by SMS, the person confirms it and gets a phone token the resident service accepts at
// the start (attempts.PhoneVerifier). It exists apart from the quiz domain because it has
// its own store items, limits (per source, per phone, the deployment's SMS budget) and
// sender; it reads quizzes, and the quiz package never imports it.
package phoneverify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/throttle"
	"github.com/nq58/tracker/internal/vnfmt"
)

// Phone verification for contests that require it (contest.Config.VerifyPhone): a
// 6-digit code goes by SMS to the phone, the person confirms it and gets a phoneToken
// that lets them start the contest's entries as that phone until it expires. Whether a
// phone belongs to staff or has used its entries is checked only at the start, after a
// valid token, so the verification routes answer every well-formed phone the same way.
const (
	// CodeLife is how long a sent code can be confirmed.
	CodeLife = 10 * time.Minute
	// MaxCodeTries is how many codes may be tried on one verification; the next is locked.
	MaxCodeTries = 5
	// ResendWindow and ResendLimit bound the verifications (SMS) of one phone asked from
	// one source: a person who did not get the code asks again, twice. Counting them per
	// (phone, source) and not per phone keeps a stranger who types the victim's phone
	// from locking the owner out: the stranger's requests use the stranger's share.
	ResendWindow = 15 * time.Minute
	ResendLimit  = 3
	// PairDayLimit bounds the codes of one phone asked from one source in a day, and
	// PhoneDayLimit those of one phone from all sources (SMS-bombing a victim). With 3
	// per 15 minutes alone one source could reach PhoneDayLimit within an hour and lock
	// the owner out for the day; at PairDayLimit = PhoneDayLimit/2 it takes two sources
	// (two /64s or IPv4 addresses, each also under its own code limit) to use up a
	// phone's day, and the owner asking from a third still gets one. 10 a day is as
	// many texts as a victim can be sent by strangers, and more than a person who gets
	// one code per contest ever needs: the phone token lasts the contest.
	PairDayLimit  = 5
	PhoneDayLimit = 10
	// PhoneTokenLife is how long a confirmed phone may start entries (at most until the
	// contest's last round closes): one SMS per person per contest, not per entry.
	PhoneTokenLife = 7 * 24 * time.Hour
)

// SMS is one text message with a verification code. Text is what the phone receives;
// Code is kept apart so a local outbox can show it (a real sender sends only Text).
type SMS struct {
	Phone string // normalised, +84…
	Code  string
	Text  string
}

// SMSSender sends text messages: Amazon SNS in AWS, an outbox in the local gateway.
type SMSSender interface {
	Send(ctx context.Context, m SMS) error
}

// Verification is a sent code and, once confirmed, the phone token it gave.
type Verification struct {
	ID        string
	QuizID    string
	Phone     string // normalised
	CodeHash  string // SHA-256 of the id and the code; the code itself is never stored
	CreatedAt time.Time
	ExpiresAt time.Time // the code's
	Tries     int       // codes tried so far
	Confirmed bool
	TokenHash string // SHA-256 of the phone token
	// TokenExpiresAt is when the phone token stops starting entries.
	TokenExpiresAt time.Time
}

// Store keeps verifications and the per-phone resend counters.
type Store interface {
	// TakeVerificationSlot counts one verification under key (built from the hashed
	// phone, see phoneSlots) in the window starting at windowStart; an apperr.Conflict
	// error when `limit` are taken, and then it counts nothing.
	TakeVerificationSlot(ctx context.Context, key string, windowStart, windowEnd time.Time, limit int) error
	// CreateVerification stores a new verification.
	CreateVerification(ctx context.Context, v Verification) error
	// GetVerification returns a verification (strongly consistent); apperr.NotFound when none.
	GetVerification(ctx context.Context, id string) (Verification, error)
	// TryVerificationCode counts one try on an unconfirmed verification with fewer than
	// maxTries tries and returns it as updated; an apperr.Conflict error otherwise
	// (missing, confirmed or out of tries).
	TryVerificationCode(ctx context.Context, id string, maxTries int) (Verification, error)
	// ConfirmVerification records the phone token of an unconfirmed verification; an
	// apperr.Conflict error when it was confirmed already.
	ConfirmVerification(ctx context.Context, id, tokenHash string, tokenExpiresAt time.Time) error
}

// VerificationRequest is the body of POST /v1/verifications.
type VerificationRequest struct {
	Phone  string `json:"phone" jsonschema:"required"`
	QuizID string `json:"quizId" jsonschema:"required"`
	// Source is the viewer's address, set by the adapter as for a start (never from the
	// body); each code asked from it counts against the source's code limit.
	Source string `json:"-"`
}

// VerificationResponse answers a requested verification (202, whatever the phone).
type VerificationResponse struct {
	VerificationID string    `json:"verificationId"`
	ExpiresAt      time.Time `json:"expiresAt"`
	// SMSBudgetUsedPercent is the hour's SMS, this one included, as a percentage of the
	// hourly SMS budget (0 when the service has no limits), for the adapter's metric;
	// never sent to the client.
	SMSBudgetUsedPercent float64 `json:"-"`
}

// ConfirmRequest is the body of POST /v1/verifications/{verificationId}/confirm.
type ConfirmRequest struct {
	Code string `json:"code" jsonschema:"required"`
}

// ConfirmResponse carries the phone token for participant.phoneToken.
type ConfirmResponse struct {
	PhoneToken string    `json:"phoneToken"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// VerificationIDPattern is what a verification id is; the description's VerificationId
// says the same.
const VerificationIDPattern = `^[0-9a-f]{32}$`

var (
	verificationIDPattern = regexp.MustCompile(VerificationIDPattern)
	codePattern           = regexp.MustCompile(`^[0-9]{6}$`)
)

// Quizzes finds a quiz by id: the resident service's catalogue (attempts.Service.Quiz).
type Quizzes interface {
	Quiz(ctx context.Context, id string) (quiz.Quiz, error)
}

// Service requests and confirms verifications and checks phone tokens.
type Service struct {
	store   Store
	quizzes Quizzes
	now     func() time.Time
	sms     SMSSender // verification codes (nil: none can be sent)
	// keys turns phones into keyed hashes (the deployment's secret), the same keyer as
	// the resident service's, so a phone's slots and its entries share one person key.
	keys pseudonym.Keyer
	// throttleKey keys the limiter's source hashes (the resident service's subkey).
	throttleKey []byte
	// Limits per source and the hourly SMS budget; off when counter is nil.
	counter throttle.Counter
	limits  throttle.Limits
}

// NewService wires a service to its store and the quizzes it verifies for; now is the
// clock (time.Now when nil).
func NewService(store Store, quizzes Quizzes, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	// Until WithPseudonyms sets the deployment's keyer, a random one: hashes then match
	// only within this process, but can never be reversed.
	return (&Service{store: store, quizzes: quizzes, now: now}).WithPseudonyms(pseudonym.MustNew(randomBytes(32)))
}

// WithPseudonyms sets the keyer of phones and sources: the deployment's secret, the
// same as the resident service's.
func (s *Service) WithPseudonyms(k pseudonym.Keyer) *Service {
	s.keys, s.throttleKey = k, k.Subkey("throttle")
	return s
}

// WithThrottle turns on the limits per source and the hourly SMS budget, counted by
// counter (limits.Verify, limits.VerifyDay and limits.SMS).
func (s *Service) WithThrottle(counter throttle.Counter, limits throttle.Limits) *Service {
	s.counter, s.limits = counter, limits
	return s
}

// WithSMS sets the sender of verification codes and returns the service.
func (s *Service) WithSMS(sender SMSSender) *Service {
	s.sms = sender
	return s
}

// RequestVerification sends a code to a phone for a contest that requires verified
// phones. Every well-formed phone gets the same answer: staff phones and phones that
// have used their entries are refused only at the start, after the code.
func (s *Service) RequestVerification(ctx context.Context, req VerificationRequest) (VerificationResponse, error) {
	phone, err := quiz.NormalizePhone(req.Phone)
	if err != nil {
		return VerificationResponse{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	q, err := s.verifiableContest(ctx, strings.TrimSpace(req.QuizID), now)
	if err != nil {
		return VerificationResponse{}, err
	}
	// The checks run from the narrowest key to the widest, and each counts only requests
	// that passed the ones before it, so a request refused for its source or its phone
	// never uses up the deployment's SMS budget (else one bot, refused at its address,
	// would spend the commune's hour), and a stranger refused for the victim's phone at
	// the stranger's source never uses up the phone's day:
	//  1. per source, in the hour and in the day: a bot rotating phone numbers from one
	//     address would otherwise make us pay an SMS for each;
	//  2. per phone and source (ResendLimit in ResendWindow, PairDayLimit in the day),
	//     then per phone (PhoneDayLimit in the day), see phoneSlots;
	//  3. the hourly SMS budget, one counter for the whole deployment.
	// A request the budget refuses has taken its phone's slots, which costs the person
	// little: ResendWindow divides an hour, so that slot's window ends no later than the
	// budget's hour, before which no code could be sent anyway; the day's slots are
	// sized for that. It writes no verification and sends no SMS. Each check is one
	// write (about 0.63 USD per million on demand, the price in docs/reference.md's cost
	// table) against an SMS of about 0.08 USD.
	if err := s.throttleVerification(ctx, req.Source, now); err != nil {
		return VerificationResponse{}, err
	}
	if err := s.takePhoneSlots(ctx, phone, req.Source, now); err != nil {
		return VerificationResponse{}, err
	}
	if s.sms == nil {
		return VerificationResponse{}, errors.New("request verification: no SMS sender configured")
	}
	used, err := s.takeSMSBudget(ctx, now)
	if err != nil {
		return VerificationResponse{}, err
	}
	id, code := randomHex(16), randomCode()
	v := Verification{ID: id, QuizID: q.ID, Phone: phone, CodeHash: codeHash(id, code), CreatedAt: now, ExpiresAt: now.Add(CodeLife)}
	if err := s.store.CreateVerification(ctx, v); err != nil {
		return VerificationResponse{}, err
	}
	text := fmt.Sprintf("Mã xác minh dự thi: %s (dùng trong %d phút). Không đưa mã cho ai.", code, int(CodeLife/time.Minute))
	if err := s.sms.Send(ctx, SMS{Phone: phone, Code: code, Text: text}); err != nil {
		return VerificationResponse{}, fmt.Errorf("send verification code: %w", err)
	}
	return VerificationResponse{VerificationID: id, ExpiresAt: v.ExpiresAt, SMSBudgetUsedPercent: used}, nil
}

// verifiableContest returns a published contest that requires verified phones and has
// a round open at now.
func (s *Service) verifiableContest(ctx context.Context, quizID string, now time.Time) (quiz.Quiz, error) {
	if quizID == "" {
		return quiz.Quiz{}, apperr.Errorf(apperr.Validation, "Thiếu mã cuộc thi (quizId)")
	}
	q, err := s.quizzes.Quiz(ctx, quizID)
	if err != nil {
		return quiz.Quiz{}, err
	}
	if q.Status != quiz.Published {
		return quiz.Quiz{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy bài thi")
	}
	if q.Kind != quiz.KindContest || q.Contest == nil || !q.Contest.RequiresVerifiedPhone() {
		return quiz.Quiz{}, apperr.Errorf(apperr.Validation, "Bài này không cần xác minh số điện thoại")
	}
	if _, ok := q.Contest.RoundAt(now); !ok || !q.IsOpen(now) {
		return quiz.Quiz{}, apperr.Errorf(apperr.NotOpen, "Hiện không có vòng thi nào đang mở")
	}
	return q, nil
}

// ConfirmVerification checks a code and answers the phone token. Each try counts; after
// MaxCodeTries wrong codes the verification is locked and a new code must be requested.
func (s *Service) ConfirmVerification(ctx context.Context, id string, req ConfirmRequest) (ConfirmResponse, error) {
	if !verificationIDPattern.MatchString(id) {
		return ConfirmResponse{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy yêu cầu xác minh")
	}
	code := strings.TrimSpace(req.Code)
	if !codePattern.MatchString(code) {
		return ConfirmResponse{}, apperr.Errorf(apperr.Validation, "Mã xác minh gồm 6 chữ số")
	}
	v, err := s.store.TryVerificationCode(ctx, id, MaxCodeTries)
	if err != nil {
		if apperr.CodeOf(err) != apperr.Conflict {
			return ConfirmResponse{}, err
		}
		return ConfirmResponse{}, s.whyNoTry(ctx, id)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if now.After(v.ExpiresAt) {
		return ConfirmResponse{}, apperr.Errorf(apperr.Expired, "Mã xác minh đã hết hạn. Hãy bấm “Gửi mã” để nhận mã mới.")
	}
	if subtle.ConstantTimeCompare([]byte(codeHash(id, code)), []byte(v.CodeHash)) != 1 {
		if left := MaxCodeTries - v.Tries; left > 0 {
			return ConfirmResponse{}, apperr.Errorf(apperr.Validation, "Mã xác minh không đúng. Bạn còn %d lần thử.", left)
		}
		return ConfirmResponse{}, lockedError()
	}
	q, err := s.quizzes.Quiz(ctx, v.QuizID)
	if err != nil {
		return ConfirmResponse{}, err
	}
	expires := now.Add(PhoneTokenLife)
	if end, ok := contestEnd(q); ok && end.Before(expires) {
		expires = end
	}
	token := v.ID + "." + base64.RawURLEncoding.EncodeToString(randomBytes(32))
	if err := s.store.ConfirmVerification(ctx, id, hashToken(token), expires); err != nil {
		if apperr.CodeOf(err) == apperr.Conflict {
			return ConfirmResponse{}, usedError()
		}
		return ConfirmResponse{}, err
	}
	return ConfirmResponse{PhoneToken: token, ExpiresAt: expires}, nil
}

// whyNoTry tells why a verification took no more tries: unknown, used or locked.
func (s *Service) whyNoTry(ctx context.Context, id string) error {
	v, err := s.store.GetVerification(ctx, id)
	switch {
	case err != nil:
		return err
	case v.Confirmed:
		return usedError()
	default:
		return lockedError()
	}
}

func lockedError() error {
	return apperr.Errorf(apperr.Locked, "Bạn đã nhập sai mã %d lần nên mã này bị khóa. Hãy bấm “Gửi mã” để nhận mã mới.", MaxCodeTries)
}

func usedError() error {
	return apperr.Errorf(apperr.Conflict, "Mã xác minh này đã được dùng. Hãy bấm “Gửi mã” để nhận mã mới.")
}

// VerifiedPhone returns the phone a phone token proves for quiz q at now, or a
// phone_unverified error when the token is missing, unknown, expired or for another quiz.
func (s *Service) VerifiedPhone(ctx context.Context, q quiz.Quiz, token string, now time.Time) (string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", apperr.Errorf(apperr.PhoneUnverified, "Cuộc thi này cần xác minh số điện thoại: hãy bấm “Gửi mã” và nhập mã nhận được qua tin nhắn.")
	}
	invalid := apperr.Errorf(apperr.PhoneUnverified, "Xác minh số điện thoại không hợp lệ hoặc đã hết hạn. Hãy xác minh lại.")
	id, _, ok := strings.Cut(token, ".")
	if !ok || !verificationIDPattern.MatchString(id) {
		return "", invalid
	}
	v, err := s.store.GetVerification(ctx, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return "", invalid
	}
	if err != nil {
		return "", err
	}
	if !v.Confirmed || subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(v.TokenHash)) != 1 ||
		v.QuizID != q.ID || now.After(v.TokenExpiresAt) {
		return "", invalid
	}
	return v.Phone, nil
}

// contestEnd is when a contest's last round closes.
func contestEnd(q quiz.Quiz) (time.Time, bool) {
	if q.Contest == nil || len(q.Contest.Rounds) == 0 {
		return time.Time{}, false
	}
	var end time.Time
	for _, r := range q.Contest.Rounds {
		if r.ClosesAt.After(end) {
			end = r.ClosesAt
		}
	}
	return end, true
}

// codeHash salts the code with the verification's random id, so equal codes of two
// verifications hash differently.
func codeHash(id, code string) string {
	sum := sha256.Sum256([]byte("code\x00" + id + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

// randomCode returns 6 uniformly random digits from crypto/rand.
func randomCode() string {
	const space = 1_000_000
	const limit = (1 << 32) / space * space // reject the top to avoid modulo bias
	for {
		n := binary.BigEndian.Uint32(randomBytes(4))
		if n < limit {
			return fmt.Sprintf("%06d", n%space)
		}
	}
}

// throttleVerification counts a code asked from source in the source's hour and then
// in its day, counter items of their own (the same limiter as the starts', other
// budgets): past either limit, 429 rate_limited with Retry-After and no SMS. A request
// the hour refuses is not counted in the day.
func (s *Service) throttleVerification(ctx context.Context, source string, now time.Time) error {
	if s.counter == nil {
		return nil
	}
	for _, c := range []struct {
		scope string
		rule  throttle.Rule
	}{{throttle.ScopeVerify, s.limits.Verify}, {throttle.ScopeVerifyDay, s.limits.VerifyDay}} {
		if c.rule.Hard <= 0 {
			continue
		}
		n, err := s.counter.CountStart(ctx, c.scope, throttle.KeyOf(s.throttleKey, c.scope, source), c.rule.WindowStart(now), c.rule.Window)
		if err != nil {
			return err
		}
		if v := throttle.Decide(c.rule, n, now); !v.Allowed {
			secs := throttle.RetryAfterSeconds(v.RetryAfter)
			return apperr.Throttled(apperr.RateLimited, time.Duration(secs)*time.Second,
				"Có quá nhiều yêu cầu gửi mã từ cùng một nơi. Vui lòng thử lại sau %s.", untilText(now, now.Add(time.Duration(secs)*time.Second)))
		}
	}
	return nil
}

// phoneSlot is one per-phone limit: limit codes under key in the fixed window
// [start, end), and the message of a refusal.
type phoneSlot struct {
	key        string
	start, end time.Time
	limit      int
	refusal    string // format with the limit and the time the window ends
}

// phoneSlots are the limits of the codes of phone (normalised) asked from source at
// now, narrowest first. Their keys are the phone's keyed hash (as for entries), with
// the source's keyed hash for the pair and a suffix per kind, so no two windows of
// different kinds share an item. The day is Vietnam's, as the person reads it.
func (s *Service) phoneSlots(phone, source string, now time.Time) []phoneSlot {
	person := contest.PersonKey(s.keys, phone)
	pair := person + ".src." + throttle.KeyOf(s.throttleKey, throttle.ScopeVerify, source)
	start := now.Truncate(ResendWindow)
	y, m, d := now.In(vnfmt.Vietnam).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, vnfmt.Vietnam).UTC()
	return []phoneSlot{
		{pair, start, start.Add(ResendWindow), ResendLimit,
			"Bạn đã yêu cầu gửi mã %d lần trong " + fmt.Sprint(int(ResendWindow/time.Minute)) + " phút. Hãy thử lại sau %s."},
		{pair + ".day", day, day.AddDate(0, 0, 1), PairDayLimit,
			"Bạn đã yêu cầu gửi mã cho số điện thoại này %d lần trong ngày. Hãy thử lại sau %s."},
		{person + ".day", day, day.AddDate(0, 0, 1), PhoneDayLimit,
			"Số điện thoại này đã nhận đủ %d mã xác minh cho phép trong ngày. Hãy thử lại sau %s."},
	}
}

// takePhoneSlots takes a slot of each of phoneSlots in turn; the first that is full
// refuses the request with 429 rate_limited and Retry-After until its window ends.
func (s *Service) takePhoneSlots(ctx context.Context, phone, source string, now time.Time) error {
	for _, slot := range s.phoneSlots(phone, source, now) {
		err := s.store.TakeVerificationSlot(ctx, slot.key, slot.start, slot.end, slot.limit)
		if apperr.CodeOf(err) == apperr.Conflict {
			return apperr.Throttled(apperr.RateLimited, slot.end.Sub(now), slot.refusal, slot.limit, untilText(now, slot.end))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// untilText is when a wait ends, as a person in Vietnam reads it: "15:04", or
// "07:00 ngày 21/11" when that is not today.
func untilText(now, end time.Time) string {
	local, today := end.In(vnfmt.Vietnam), now.In(vnfmt.Vietnam)
	if local.YearDay() == today.YearDay() && local.Year() == today.Year() {
		return local.Format("15:04")
	}
	return local.Format("15:04 ngày 02/01")
}

// takeSMSBudget counts one SMS in the hour's budget (one counter item per hour for the
// whole deployment, the limiter's plain ADD) and returns the hour's SMS, this one
// included, as a percentage of the budget. Past the budget: 429 sms_budget with
// Retry-After until the hour ends. An SMS that then fails to go out stays counted: the
// budget errs on the side of spending less.
func (s *Service) takeSMSBudget(ctx context.Context, now time.Time) (float64, error) {
	r := s.limits.SMS
	if s.counter == nil || r.Hard <= 0 {
		return 0, nil
	}
	n, err := s.counter.CountStart(ctx, throttle.ScopeSMS, throttle.SMSBudgetKey, r.WindowStart(now), r.Window)
	if err != nil {
		return 0, err
	}
	if v := throttle.Decide(r, n, now); !v.Allowed {
		secs := throttle.RetryAfterSeconds(v.RetryAfter)
		return 0, apperr.Throttled(apperr.SMSBudget, time.Duration(secs)*time.Second,
			"Hệ thống đã gửi hết số tin nhắn mã xác minh cho phép trong giờ này. Vui lòng thử lại sau %s.",
			r.WindowStart(now).Add(r.Window).In(vnfmt.Vietnam).Format("15:04"))
	}
	return float64(n) * 100 / float64(r.Hard), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
