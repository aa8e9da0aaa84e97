package attempts

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/throttle"
)

// A start token is the whole unsubmitted attempt, held by the resident's page instead of
// the table: nothing is written at the start but the rate-limit count, and the submit
// writes the attempt once. It is sealed with AES-256-GCM under a subkey of the
// deployment's secret: the GCM tag authenticates it like an HMAC (a changed byte, another
// quiz's token or a forged start time is refused), and the encryption keeps the
// participant's name and phone, the seed and the identity hash unreadable, since the
// token also travels in the query string of GET /v1/attempts/{attemptId} and may reach
// access logs.
//
// Layout: base64url(version byte ‖ 12-byte nonce ‖ GCM(JSON claims, additional data =
// version ‖ attempt id bytes)).
const tokenVersion = 1

// AbandonedAttemptLife is how long after its deadline a start token can still be
// submitted (a late contest entry is kept, unranked): seven days, the same bound as
// the TTL the store gives an attempt item that is not submitted.
const AbandonedAttemptLife = 7 * 24 * time.Hour

// startClaims is what a start token carries, with short names to keep it compact.
type startClaims struct {
	Quiz     string `json:"q"`
	Seed     uint64 `json:"s,string"`
	QIDs     string `json:"n"` // drawn question ids in the order asked, comma-joined
	Start    int64  `json:"t"` // unix ms, the server's clock
	Exp      int64  `json:"x"` // unix ms: the deadline before the grace
	Round    string `json:"r,omitempty"`
	Unit     string `json:"u"`
	Identity string `json:"i"`
	Client   string `json:"c,omitempty"` // keyed hash of the device id
	Suspect  bool   `json:"z,omitempty"`
	Source   string `json:"sr,omitempty"` // the shared source's tag
	Consent  bool   `json:"k,omitempty"`
	// Personal data, only what the start accepted (with consent where required).
	Name   string `json:"nm,omitempty"`
	Phone  string `json:"ph,omitempty"`
	Birth  int    `json:"by,omitempty"`
	Gender string `json:"g,omitempty"`
	Org    string `json:"o,omitempty"`
	CCCD   string `json:"id,omitempty"`
}

// tokenSealer seals and opens start tokens under one key.
type tokenSealer struct{ aead cipher.AEAD }

func newTokenSealer(key []byte) tokenSealer {
	block, err := aes.NewCipher(key[:32])
	if err != nil {
		panic("quiz: token key: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("quiz: token AEAD: " + err.Error())
	}
	return tokenSealer{aead: aead}
}

// claimsOf is the unsubmitted attempt a start token carries.
func claimsOf(a quiz.Attempt) startClaims {
	p := a.Participant
	return startClaims{Quiz: a.QuizID, Seed: a.Seed, QIDs: strings.Join(a.QuestionIDs, ","),
		Start: a.StartedAt.UnixMilli(), Exp: a.ExpiresAt.UnixMilli(), Round: a.RoundID, Unit: p.UnitID,
		Identity: a.Identity, Client: a.ClientID, Suspect: a.Suspect, Source: a.SourceTag, Consent: a.Consent,
		Name: p.Name, Phone: p.Phone, Birth: p.BirthYear, Gender: p.Gender, Org: p.Organization, CCCD: p.CCCD}
}

// attempt rebuilds the unsubmitted attempt id from the claims.
func (c startClaims) attempt(id string, kind quiz.Kind) quiz.Attempt {
	a := quiz.Attempt{ID: id, QuizID: c.Quiz, QuizKind: kind, Seed: c.Seed,
		StartedAt: time.UnixMilli(c.Start).UTC(), ExpiresAt: time.UnixMilli(c.Exp).UTC(), Status: quiz.Started,
		RoundID: c.Round, Identity: c.Identity, ClientID: c.Client, Suspect: c.Suspect, SourceTag: c.Source, Consent: c.Consent,
		Participant: quiz.Participant{Name: c.Name, Phone: c.Phone, UnitID: c.Unit, BirthYear: c.Birth,
			Gender: c.Gender, Organization: c.Org, CCCD: c.CCCD}}
	if c.QIDs != "" {
		a.QuestionIDs = strings.Split(c.QIDs, ",")
	}
	return a
}

func tokenAD(id uuid.UUID) []byte { return append([]byte{tokenVersion}, id[:]...) }

// sealBytes encrypts and authenticates plain, bound to ad (never sent), into a token.
func (t tokenSealer) sealBytes(ad, plain []byte) string {
	out := make([]byte, 1+t.aead.NonceSize(), 1+t.aead.NonceSize()+len(plain)+t.aead.Overhead())
	out[0] = tokenVersion
	_, _ = rand.Read(out[1:]) // crypto/rand.Read never fails on supported platforms
	out = t.aead.Seal(out, out[1:], plain, ad)
	return base64.RawURLEncoding.EncodeToString(out)
}

// openBytes is sealBytes undone; ok is false for anything not sealed by us with ad.
func (t tokenSealer) openBytes(ad []byte, token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token) // Strict: one spelling per token
	if err != nil || len(raw) < 1+t.aead.NonceSize()+t.aead.Overhead() || raw[0] != tokenVersion {
		return nil, false
	}
	n := 1 + t.aead.NonceSize()
	plain, err := t.aead.Open(nil, raw[1:n], raw[n:], ad)
	return plain, err == nil
}

// seal makes the start token of an unsubmitted attempt.
func (t tokenSealer) seal(a quiz.Attempt) (string, error) {
	id, err := uuid.Parse(a.ID)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(claimsOf(a))
	if err != nil {
		return "", err
	}
	return t.sealBytes(tokenAD(id), plain), nil
}

// open checks a start token against the attempt id of the request and returns the
// attempt it carries. Any tampering, a token of another attempt or a malformed one is
// the same 403, so a probe learns nothing about which check failed.
func (t tokenSealer) open(attemptID, token string) (startClaims, error) {
	if token == "" {
		return startClaims{}, apperr.Errorf(apperr.Unauthorized, "Thiếu mã bài làm (attemptToken)")
	}
	id, ok := quiz.ParseID(attemptID)
	if !ok {
		return startClaims{}, apperr.Errorf(apperr.NotFound, "Không tìm thấy bài làm")
	}
	bad := apperr.Errorf(apperr.Forbidden, "Mã bài làm không đúng")
	plain, ok := t.openBytes(tokenAD(id), token)
	if !ok {
		return startClaims{}, bad
	}
	var c startClaims
	if err := json.Unmarshal(plain, &c); err != nil || c.Quiz == "" {
		return startClaims{}, bad
	}
	return c, nil
}

// clientTokenAD keeps a client token from ever opening as a start token and back.
var clientTokenAD = []byte("client-count")

// sealClient makes the token a device sends with its next start: the mark of its start
// in the client window (see Service.throttle).
func (t tokenSealer) sealClient(m throttle.ClientMark) string {
	plain, _ := json.Marshal(m) // two plain fields: cannot fail
	return t.sealBytes(clientTokenAD, plain)
}

// openClient reads a client token; ok is false for a missing or forged one.
func (t tokenSealer) openClient(token string) (throttle.ClientMark, bool) {
	var m throttle.ClientMark
	plain, ok := t.openBytes(clientTokenAD, token)
	if !ok || json.Unmarshal(plain, &m) != nil {
		return throttle.ClientMark{}, false
	}
	return m, true
}

// newSeed is a fresh draw-and-shuffle seed.
func newSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}
