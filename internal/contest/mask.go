package contest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskName shortens a full name for public pages and officers' lists: the family name
// (the first word) is kept and every other word becomes its initial and a dot, so
// "Nguyễn Văn Tùng" gives "Nguyễn V. T." and "Đỗ Thị Ánh" gives "Đỗ T. Á.". A name of one
// word gives its initial and a dot. Initials are upper-cased and keep their accents, also
// when written with combining marks. Extra spaces are dropped; an empty name gives "".
func MaskName(full string) string {
	words := strings.Fields(full)
	if len(words) == 0 {
		return ""
	}
	if len(words) == 1 {
		return initial(words[0]) + "."
	}
	var b strings.Builder
	b.WriteString(words[0])
	for _, w := range words[1:] {
		b.WriteString(" ")
		b.WriteString(initial(w))
		b.WriteString(".")
	}
	return b.String()
}

// initial returns the first letter of w, upper-cased, with the combining marks that
// follow it (for names not in composed form).
func initial(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	var b strings.Builder
	b.WriteRune(unicode.ToUpper(r))
	for _, m := range w[size:] {
		if !unicode.Is(unicode.Mn, m) {
			break
		}
		b.WriteRune(m)
	}
	return b.String()
}

// MaskPhone shows a normalised phone (+84xxxxxxxxx) in the national form with all but
// the first digit after the country code and the last three hidden: "+84912345123" gives
// "09x xxx x123". Anything else is hidden but for its last three characters.
func MaskPhone(normalized string) string {
	d, ok := strings.CutPrefix(normalized, "+84")
	if !ok || len(d) != 9 || !allDigits(d) {
		return maskAllButLast3(normalized)
	}
	return "0" + d[:1] + "x xxx x" + d[6:]
}

// MaskCCCD hides a citizen ID number but for its last three digits: nine "x" and the
// last three, so "038095001234" gives "xxxxxxxxx234". Spaces are ignored.
func MaskCCCD(s string) string {
	d := []rune(strings.ReplaceAll(s, " ", ""))
	if len(d) < 4 {
		return strings.Repeat("x", 12)
	}
	return strings.Repeat("x", 9) + string(d[len(d)-3:])
}

func maskAllButLast3(s string) string {
	r := []rune(s)
	if len(r) <= 3 {
		return strings.Repeat("x", len(r))
	}
	return strings.Repeat("x", len(r)-3) + string(r[len(r)-3:])
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
