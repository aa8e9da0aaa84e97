package quiz

import (
	"unicode/utf8"

	"github.com/nq58/tracker/internal/apperr"
)

// CheckText refuses text a person cannot have meant to type: invalid UTF-8, control
// characters (U+0000–U+001F, U+007F–U+009F) and the line and paragraph separators
// U+2028/U+2029, which break CSV files, logs and scripts. Multi-line text may hold tab,
// line feed and carriage return. label names the field in the Vietnamese message.
// It is the one check of names and free text; every service calls it.
func CheckText(label, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return apperr.Errorf(apperr.Validation, "%s có ký tự không hợp lệ", label)
	}
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029' {
			return apperr.Errorf(apperr.Validation, "%s có ký tự điều khiển không được phép (U+%04X)", label, r)
		}
	}
	return nil
}
