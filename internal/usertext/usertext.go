// Package usertext holds the one rule for text a person sends (Clean): every domain
// package that stores a name, an answer, a note or quiz content checks it here, so the
// rule sits below all of them and none needs another's package to apply it.
package usertext

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/nq58/tracker/internal/apperr"
)

// Clean is the one rule for text a person sends (names, e-mails, notes, answers, quiz
// content, unit names, from a route or an import): it refuses what nobody means to type
// and returns the text in Unicode NFC, so one name has one spelling whatever the
// keyboard (some systems send Vietnamese with combining marks). Refused: invalid UTF-8
// (never silently replaced); control characters (C0 U+0000–U+001F, DEL, C1
// U+0080–U+009F) and the separators U+2028/U+2029, which break CSV files, logs and
// scripts; bidirectional overrides, embeddings, isolates and marks (U+202A–U+202E,
// U+2066–U+2069, U+200E/U+200F, U+061C), which make a name display reversed; and
// zero-width characters (U+200B–U+200D, U+2060, U+FEFF), which make two names look
// alike. Multi-line text may hold tab, line feed and carriage return. label names the
// field in the Vietnamese message.
func Clean(label, s string, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", apperr.Errorf(apperr.Validation, "%s có ký tự không hợp lệ (không phải UTF-8)", label)
	}
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		switch {
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029':
			return "", apperr.Errorf(apperr.Validation, "%s có ký tự điều khiển không được phép (U+%04X)", label, r)
		case (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c':
			return "", apperr.Errorf(apperr.Validation, "%s có ký tự đổi chiều văn bản không được phép (U+%04X)", label, r)
		case (r >= '\u200b' && r <= '\u200d') || r == '\u2060' || r == '\ufeff':
			return "", apperr.Errorf(apperr.Validation, "%s có ký tự vô hình không được phép (U+%04X)", label, r)
		}
	}
	return norm.NFC.String(s), nil
}

// Check is Clean for a caller that checks text already normalised, or whose
// normalised form it does not keep.
func Check(label, s string, multiline bool) error {
	_, err := Clean(label, s, multiline)
	return err
}
