package contest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/nq58/tracker/internal/apperr"
)

// Province codes of the citizen ID (CCCD): the first three digits, 001 to 096.
const (
	minProvinceCode = 1
	maxProvinceCode = 96
)

// ValidateCCCD checks a Vietnamese citizen ID number (căn cước công dân) and returns its
// 12 digits. Spaces are ignored; the first three digits must be a province code from 001
// to 096 and the fourth, the century and gender digit, may be any digit 0–9.
func ValidateCCCD(s string) (string, error) {
	d := strings.ReplaceAll(s, " ", "")
	if len(d) != 12 || strings.IndexFunc(d, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", apperr.Errorf(apperr.Validation, "Số CCCD không hợp lệ: cần đúng 12 chữ số")
	}
	province := int(d[0]-'0')*100 + int(d[1]-'0')*10 + int(d[2]-'0')
	if province < minProvinceCode || province > maxProvinceCode {
		return "", apperr.Errorf(apperr.Validation, "Số CCCD không hợp lệ: mã tỉnh %s không tồn tại", d[:3])
	}
	return d, nil
}

// PersonKey identifies a person by their normalised phone (+84xxxxxxxxx): the first 16
// bytes, in hex (32 characters), of SHA-256("phone:"+phone). It is the same key as
// quiz.Attempt.IdentityKey gives for an attempt with that phone, so contest counters and
// quiz counters agree, and neither holds a phone number.
func PersonKey(normalizedPhone string) string {
	return hashKey("phone:" + normalizedPhone)
}

// CCCDKey identifies a person by their citizen ID (the 12 digits ValidateCCCD returns),
// hashed like PersonKey with the prefix "cccd:".
func CCCDKey(cccd string) string {
	return hashKey("cccd:" + cccd)
}

func hashKey(src string) string {
	sum := sha256.Sum256([]byte(src))
	return hex.EncodeToString(sum[:16])
}
