package contest

import (
	"strings"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/pseudonym"
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

// PersonKey identifies a person by their normalised phone (+84xxxxxxxxx): its keyed hash
// under the deployment's secret. It is the identity quiz.IdentityOf gives an attempt with
// that phone, so contest counters and quiz counters agree, and neither holds a phone.
func PersonKey(k pseudonym.Keyer, normalizedPhone string) string {
	return k.Of("phone", normalizedPhone)
}

// CCCDKey identifies a person by their citizen ID (the 12 digits ValidateCCCD returns),
// keyed like PersonKey.
func CCCDKey(k pseudonym.Keyer, cccd string) string {
	return k.Of("cccd", cccd)
}
