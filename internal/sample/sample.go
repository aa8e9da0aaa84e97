// Package sample is a random-sample survey: a sample of a quiz in a unit, its frame (the
// household or person codes of the commune's register, per village, no names), the draw
// (simple random sampling without replacement per village, reproducible from a seed and
// the frame), the outcomes of the codes that gave no answer, and the response rate.
package sample

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/units"
)

// Bounds of a sample and its frame.
const (
	// MaxFrameRows bounds a frame: a commune's register has a few thousand households, a
	// district's tens of thousands.
	MaxFrameRows = 50000
	// MaxCodeLen bounds a code: register codes are short; a longer cell is most likely a
	// name or an address, which a frame must not carry.
	MaxCodeLen = 32
	// MaxPerVillage bounds perVillage (a village has at most a few thousand residents).
	MaxPerVillage = 5000
	// MaxSeedLen bounds a seed given by the officer.
	MaxSeedLen = 64
)

// Sample is a random-sample survey of a quiz in a unit.
type Sample struct {
	ID     string `json:"sampleId"`
	QuizID string `json:"quizId"`
	// UnitID is the unit surveyed (a commune, or a single village); its villages are the
	// strata.
	UnitID string `json:"unitId"`
	// PerVillage is the number drawn per village, or 0 when MarginOfError sets it.
	PerVillage int `json:"perVillage,omitempty"`
	// MarginOfError, in percentage points at 95 %, sets each village's size from its frame
	// size (report.SampleSize) when PerVillage is 0.
	MarginOfError float64   `json:"marginOfError,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	CreatedBy     string    `json:"-"`
	// FrameSHA256 is FrameHash of the frame; empty before a frame is uploaded.
	FrameSHA256 string `json:"frameSha256,omitempty"`
	// FrameSizes is the frame size per village (N_h).
	FrameSizes map[string]int `json:"frameSizes,omitempty"`
	// Seed and DrawnAt are set by the draw, once.
	Seed    string     `json:"seed,omitempty"`
	DrawnAt *time.Time `json:"drawnAt,omitempty"`
	DrawnBy string     `json:"-"`
	// DrawnTotal is the number of codes the draw took, over every village.
	DrawnTotal int `json:"drawnTotal,omitempty"`
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Validate checks a sample's own fields.
func (s Sample) Validate() error {
	switch {
	case !idPattern.MatchString(s.ID):
		return apperr.Errorf(apperr.Validation, "Mã mẫu %q không hợp lệ", s.ID)
	case s.QuizID == "":
		return apperr.Errorf(apperr.Validation, "Thiếu bài (quizId)")
	case !units.ValidID(s.UnitID):
		return apperr.Errorf(apperr.Validation, "Mã đơn vị %q không hợp lệ", s.UnitID)
	case s.PerVillage != 0 && s.MarginOfError != 0:
		return apperr.Errorf(apperr.Validation, "Chỉ ghi một trong hai: số người mỗi thôn (perVillage) hoặc sai số (marginOfError)")
	case s.PerVillage == 0 && s.MarginOfError == 0:
		return apperr.Errorf(apperr.Validation, "Cần số người mỗi thôn (perVillage) hoặc sai số (marginOfError)")
	case s.PerVillage < 0 || s.PerVillage > MaxPerVillage:
		return apperr.Errorf(apperr.Validation, "Số người mỗi thôn phải từ 1 đến %d", MaxPerVillage)
	case s.MarginOfError != 0 && !(s.MarginOfError >= 1 && s.MarginOfError <= 50):
		return apperr.Errorf(apperr.Validation, "Sai số phải từ 1 đến 50 điểm phần trăm")
	case s.Seed != "" && !ValidSeed(s.Seed):
		return apperr.Errorf(apperr.Validation, "Hạt giống %q không hợp lệ", s.Seed)
	}
	return nil
}

// Drawn reports whether the sample's draw has been made.
func (s Sample) Drawn() bool { return s.DrawnAt != nil }

var seedPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidSeed tells whether a seed may be used: 1 to 64 ASCII letters, digits, - or _
// (so that it is read aloud, printed and retyped without doubt).
func ValidSeed(seed string) bool { return seedPattern.MatchString(seed) }

// ---- the frame

// Unit is a frame's entry: a village and a register code in it.
type Unit struct {
	UnitID string
	Code   string
}

// RowError is an error of one row of an upload, as the other imports report them.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9_./-]+$`)

// ValidCode tells whether a frame code is acceptable: 1 to MaxCodeLen ASCII letters,
// digits, - _ . or /. Register codes look so; a cell with spaces or diacritics is most
// likely a name, which a frame must never carry.
func ValidCode(code string) bool {
	return len(code) >= 1 && len(code) <= MaxCodeLen && codePattern.MatchString(code)
}

// headerName is how a column header is matched: trimmed, without a BOM, lower case,
// spaces and underscores dropped (as authoring.HeaderName).
func headerName(h string) string {
	h = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "\ufeff"))
	return strings.NewReplacer(" ", "", "_", "", "\u00a0", "").Replace(h)
}

// ParseFrame reads a frame's rows (the first is the header, with the columns unitId and
// code; other columns are refused, so that no name travels with the codes) for a sample
// of unitID. Each unit must be a village at or under unitID, each code valid and not
// repeated in the file. It answers the frame or every row error.
func ParseFrame(rows [][]string, tree *units.Tree, unitID string) ([]Unit, []RowError) {
	if len(rows) == 0 {
		return nil, []RowError{{Row: 1, Message: "Tệp không có dòng tiêu đề"}}
	}
	col := map[string]int{}
	var errs []RowError
	for i, h := range rows[0] {
		name := headerName(h)
		switch name {
		case "":
			continue
		case "unitid", "code":
			if _, dup := col[name]; dup {
				errs = append(errs, RowError{Row: 1, Column: name, Message: fmt.Sprintf("Cột %q xuất hiện hai lần", name)})
				continue
			}
			col[name] = i
		default:
			errs = append(errs, RowError{Row: 1, Column: h, Message: fmt.Sprintf("Cột %q không được nhận: khung mẫu chỉ có hai cột unitId và code (không ghi tên người)", h)})
		}
	}
	for _, c := range []string{"unitid", "code"} {
		if _, ok := col[c]; !ok {
			errs = append(errs, RowError{Row: 1, Column: columnName(c), Message: fmt.Sprintf("Thiếu cột %q", columnName(c))})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	get := func(r []string, c string) string {
		if i := col[c]; i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var out []Unit
	seen := map[string]int{}
	data := 0
	for i := 1; i < len(rows); i++ {
		r := rows[i]
		if blank(r) {
			continue
		}
		data++
		if data > MaxFrameRows {
			return nil, []RowError{{Row: i + 1, Message: fmt.Sprintf("Khung mẫu có quá nhiều dòng: tối đa %d", MaxFrameRows)}}
		}
		n := i + 1
		fail := func(c, format string, args ...any) {
			errs = append(errs, RowError{Row: n, Column: columnName(c), Message: fmt.Sprintf(format, args...)})
		}
		u := Unit{UnitID: get(r, "unitid"), Code: get(r, "code")}
		switch {
		case u.UnitID == "":
			fail("unitid", "Thiếu mã thôn")
		case !tree.IsLeaf(u.UnitID):
			fail("unitid", "%q không phải là mã một thôn", u.UnitID)
		case !tree.Within(u.UnitID, unitID):
			fail("unitid", "Thôn %q không thuộc đơn vị của mẫu (%s)", u.UnitID, unitID)
		}
		switch {
		case u.Code == "":
			fail("code", "Thiếu mã hộ hoặc mã người")
		case !ValidCode(u.Code):
			fail("code", "Mã %q không hợp lệ: dùng 1 đến %d chữ cái không dấu, chữ số, - _ . hoặc / (không ghi tên người)", u.Code, MaxCodeLen)
		case seen[u.Code] > 0:
			fail("code", "Mã %q trùng với dòng %d", u.Code, seen[u.Code])
		default:
			seen[u.Code] = n
		}
		out = append(out, u)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, []RowError{{Row: 2, Message: "Khung mẫu không có dòng dữ liệu nào"}}
	}
	return out, nil
}

func columnName(c string) string {
	if c == "unitid" {
		return "unitId"
	}
	return c
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// FrameHash is the SHA-256, in lower-case hex, of the frame's canonical form: one line
// "<unitId>,<code>\n" per entry, the lines sorted by their bytes (as LC_ALL=C sort
// does), concatenated. Anyone with the frame file recomputes it with
//
//	tail -n +2 frame.csv | tr -d '\r' | LC_ALL=C sort | sha256sum
//
// for a file whose two columns are unitId then code, unquoted.
func FrameHash(frame []Unit) string {
	lines := make([]string, len(frame))
	for i, u := range frame {
		lines[i] = u.UnitID + "," + u.Code + "\n"
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ByVillage groups a frame's codes by village, each village's codes sorted by their
// bytes (the order the draw starts from).
func ByVillage(frame []Unit) map[string][]string {
	out := map[string][]string{}
	for _, u := range frame {
		out[u.UnitID] = append(out[u.UnitID], u.Code)
	}
	for _, codes := range out {
		slices.Sort(codes)
	}
	return out
}

// Sizes is the frame size per village.
func Sizes(frame []Unit) map[string]int {
	out := map[string]int{}
	for _, u := range frame {
		out[u.UnitID]++
	}
	return out
}

// ---- the draw

// DrawVillage draws n codes from one village's frame by simple random sampling without
// replacement, reproducibly from the seed (n at most the frame size). The procedure,
// fixed so that anyone can redo a draw from the seed and the frame:
//
//  1. The village's codes are sorted by their bytes: c[0] … c[N−1].
//  2. A ChaCha8 generator (math/rand/v2's ChaCha8, the C2SP chacha8rand generator,
//     https://c2sp.org/chacha8rand, whose output stream Go keeps fixed) is keyed with
//     SHA-256("nq58-sample-draw\x00" + seed + "\x00" + unitId): the village's stream
//     depends on the seed and the village only.
//  3. A partial Fisher–Yates shuffle: for i = 0 … n−1, j = i + U(N − i), swap c[i] and c[j],
//     where U(m) draws x = Uint64() until x ≥ 2⁶⁴ mod m and answers x mod m (rejection,
//     so every j is equally likely; math/rand/v2's IntN is not used because its mapping
//     from the stream is not promised to stay the same across Go releases).
//  4. The drawn codes are c[0] … c[n−1], in that order.
func DrawVillage(seed, unitID string, sortedCodes []string, n int) []string {
	codes := slices.Clone(sortedCodes)
	n = max(0, min(n, len(codes)))
	rng := rand.New(rand.NewChaCha8(drawKey(seed, unitID)))
	for i := range n {
		j := i + int(uniform(rng, uint64(len(codes)-i)))
		codes[i], codes[j] = codes[j], codes[i]
	}
	return codes[:n:n]
}

func drawKey(seed, unitID string) [32]byte {
	return sha256.Sum256([]byte("nq58-sample-draw\x00" + seed + "\x00" + unitID))
}

// uniform answers a uniform integer in [0, m) by rejection (m > 0).
func uniform(rng *rand.Rand, m uint64) uint64 {
	t := -m % m // 2⁶⁴ mod m
	for {
		if x := rng.Uint64(); x >= t {
			return x % m
		}
	}
}

// Draw draws each village of the frame: size(N) of its N codes (at most N), with
// DrawVillage. It answers the drawn codes per village.
func Draw(seed string, frame []Unit, size func(frameSize int) int) map[string][]string {
	out := map[string][]string{}
	for unitID, codes := range ByVillage(frame) {
		out[unitID] = DrawVillage(seed, unitID, codes, min(size(len(codes)), len(codes)))
	}
	return out
}

// NewSeed makes a seed from 8 random bytes, as 16 lower-case hex digits.
func NewSeed(random [8]byte) string {
	return fmt.Sprintf("%016x", binary.BigEndian.Uint64(random[:]))
}

// ---- outcomes and the response rate

// Outcome is why a drawn code gave no answer.
type Outcome string

// The outcomes of a drawn code without a response (AAPOR final disposition codes, in
// short: absent is a non-contact, refused a refusal, moved an ineligible unit, other any
// other non-response).
const (
	Absent  Outcome = "absent"
	Refused Outcome = "refused"
	Moved   Outcome = "moved"
	Other   Outcome = "other"
)

// Outcomes lists the outcomes in their order.
var Outcomes = []Outcome{Absent, Refused, Moved, Other}

// OutcomeLabels are the outcomes in Vietnamese, for pages and exports.
var OutcomeLabels = map[Outcome]string{
	Absent:  "vắng nhà",
	Refused: "từ chối",
	Moved:   "đã chuyển đi (không thuộc diện)",
	Other:   "lý do khác",
}

// ParseOutcome reads an outcome.
func ParseOutcome(s string) (Outcome, error) {
	if o := Outcome(s); slices.Contains(Outcomes, o) {
		return o, nil
	}
	return "", apperr.Errorf(apperr.Validation, "Kết quả %q không hợp lệ: dùng absent, refused, moved hoặc other", s)
}

// ResponseRate is AAPOR's Response Rate 1: responses ÷ (drawn − ineligible), in percent,
// where only moved codes are ineligible (absent, refused and other stay in the base:
// RR1 counts every eligible unit that did not answer against the rate). ok is false when
// no drawn code is eligible. (AAPOR, Standard Definitions, 10th ed., 2023, RR1 = I /
// ((I + P) + (R + NC + O) + (UH + UO)).)
func ResponseRate(drawn, responded, moved int) (rate float64, ok bool) {
	eligible := drawn - moved
	if eligible <= 0 {
		return 0, false
	}
	return 100 * float64(responded) / float64(eligible), true
}

// ---- drawn codes

// Code is a drawn code and what became of it: an outcome when it gave no answer, or its
// response (never both).
type Code struct {
	Code   string `json:"code"`
	UnitID string `json:"unitId"`
	// Order is the code's place in its village's draw (0 first): visits follow it.
	Order    int       `json:"order"`
	Outcome  Outcome   `json:"outcome,omitempty"`
	Response *Response `json:"response,omitempty"`
}

// Response is a drawn code's answered sheet, as the sample's figures need it.
type Response struct {
	// Scored is false for an answer without a score (a survey).
	Scored bool `json:"scored"`
	// Score is in percent (0–100).
	Score     float64   `json:"score"`
	Passed    bool      `json:"passed"`
	EnteredAt time.Time `json:"enteredAt"`
}

// DrawCodes lists a draw's codes, villages in id order, each in draw order.
func DrawCodes(drawn map[string][]string) []Code {
	var out []Code
	for _, unitID := range slices.Sorted(maps.Keys(drawn)) {
		for i, c := range drawn[unitID] {
			out = append(out, Code{Code: c, UnitID: unitID, Order: i})
		}
	}
	return out
}
