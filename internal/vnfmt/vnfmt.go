// Package vnfmt is the one Vietnamese number style of everything a person reads outside
// the pages (CSV, XLSX, the printable annual page): decimal comma, thousands dot,
// percentages as "62,1 %", durations as mm:ss, phones as "0912 345 678", days as
// 15/10/2026 and moments in Vietnam's time as 15/10/2026 14:03:05 (day first, as a
// spreadsheet's date-time cell reads). The pages follow the same rules in
// web/lib/format.js, but put a moment's time before its day, as a sentence does.
//
// Report tables mark a cell's meaning with the types below (Percent, Duration, Phone,
// Date, Moment) so
// that each output can keep numbers numeric (XLSX) or write them as text (CSV, HTML).
package vnfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Percent is a percentage in percentage points: 62.1 is 62,1 %.
type Percent float64

// Duration is a time taken (an attempt's duration), shown as mm:ss.
type Duration time.Duration

// Phone is a phone number as stored (+84xxxxxxxxx), shown as 0912 345 678.
type Phone string

// Date is a calendar day as stored ("2026-10-15"), shown as 15/10/2026, or a report
// period: a month ("2026-11", shown 11/2026), a quarter ("2026-Q4", shown Quý 4/2026)
// or a year ("2026").
type Date string

// Moment is an instant, shown in Vietnam's time as 15/10/2026 14:03:05; the zero time
// is an empty cell.
type Moment time.Time

// Vietnam is the time zone people read moments in: UTC+7. Vietnam has no daylight
// saving time, so a fixed zone avoids shipping tzdata to Lambda.
var Vietnam = time.FixedZone("ICT", 7*60*60)

// DateLayout is how a Date is stored.
const DateLayout = time.DateOnly

// Period layouts of a Date that is a month or a year, and how each is shown.
const (
	MonthLayout = "2006-01"
	YearLayout  = "2006"
)

// DateLayouts are the stored forms of a Date that are dates, with the Go layout each is
// shown with: a day, a month, a year (a quarter has no layout; DateText writes it).
var DateLayouts = [][2]string{{DateLayout, "02/01/2006"}, {MonthLayout, "01/2006"}, {YearLayout, "2006"}}

// ParseDate reads a stored day, month or year; layout is the one it matched.
func ParseDate(d string) (t time.Time, layout string, ok bool) {
	for _, l := range DateLayouts {
		if len(d) != len(l[0]) {
			continue
		}
		if t, err := time.Parse(l[0], d); err == nil {
			return t, l[0], true
		}
	}
	return time.Time{}, "", false
}

// DateText writes a stored day as 15/10/2026, a month as 11/2026, a quarter as
// Quý 4/2026 and a year as 2026; other text is kept as it is rather than lost.
func DateText(d string) string {
	if t, layout, ok := ParseDate(d); ok {
		for _, l := range DateLayouts {
			if l[0] == layout {
				return t.Format(l[1])
			}
		}
	}
	if y, q, ok := strings.Cut(d, "-Q"); ok && len(y) == 4 && len(q) == 1 && q >= "1" && q <= "4" {
		return "Quý " + q + "/" + y
	}
	return d
}

// MomentText writes an instant in Vietnam's time as 15/10/2026 14:03:05; the zero time
// is "".
func MomentText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("02/01/2006 15:04:05")
}

// Int writes a whole number with a thousands dot: 1234567 → "1.234.567".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Float writes a number with a decimal comma and a thousands dot, with the shortest
// decimals that read back as the same number (reports round before): 72.5 → "72,5",
// 1234.25 → "1.234,25", 80 → "80". NaN and infinities have no form: "".
func Float(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	return group(s)
}

// Fixed writes a number with exactly d decimals: Fixed(62.14, 1) → "62,1".
func Fixed(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return group(strconv.FormatFloat(v, 'f', d, 64))
}

// group turns Go's "-1234.5" into "-1.234,5".
func group(s string) string {
	whole, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	n, err := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 64)
	if err != nil { // beyond int64: keep the digits ungrouped
		return strings.Replace(s, ".", ",", 1)
	}
	out := Int(n)
	if neg && (n != 0 || (hasFrac && strings.Trim(frac, "0") != "")) {
		out = "-" + out
	}
	if hasFrac {
		out += "," + frac
	}
	return out
}

// PercentText writes a percentage with one decimal and a spaced sign: "62,1 %".
func PercentText(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return ""
	}
	return Fixed(p, 1) + " %"
}

// DurationText writes a duration as mm:ss (rounded to the second; minutes go past 59
// rather than wrapping): 125 s → "02:05", 75 minutes → "75:00".
func DurationText(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// PhoneText writes a stored +84 phone as a Vietnamese reads it: "+84912345678" →
// "0912 345 678". A masked phone ("09x xxx x001") is kept as it is; any other number is
// written as its digits, never with a leading "+", so no spreadsheet reads a formula.
func PhoneText(p string) string {
	if strings.ContainsFunc(p, func(r rune) bool { return !strings.ContainsRune("0123456789+ .-()", r) }) {
		return strings.TrimLeft(strings.TrimSpace(p), "+=-@")
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	switch {
	case strings.HasPrefix(strings.TrimSpace(p), "+84") || (strings.HasPrefix(digits, "84") && len(digits) == 11):
		digits = "0" + digits[2:]
	case strings.HasPrefix(strings.TrimSpace(p), "+"):
		digits = "00" + digits // the international prefix written without "+"
	}
	if len(digits) == 10 && digits[0] == '0' {
		return digits[:4] + " " + digits[4:7] + " " + digits[7:]
	}
	return digits
}

// Text writes one table cell as a person reads it; nil is "". Other types are refused:
// failing beats printing a Go value into a report someone will sign.
func Text(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case int:
		return Int(int64(x)), nil
	case int64:
		return Int(x), nil
	case float64:
		return Float(x), nil
	case *float64:
		if x == nil {
			return "", nil
		}
		return Float(*x), nil
	case *int64:
		if x == nil {
			return "", nil
		}
		return Int(*x), nil
	case Percent:
		return PercentText(float64(x)), nil
	case *Percent:
		if x == nil {
			return "", nil
		}
		return PercentText(float64(*x)), nil
	case Duration:
		return DurationText(time.Duration(x)), nil
	case Phone:
		return PhoneText(string(x)), nil
	case Date:
		return DateText(string(x)), nil
	case Moment:
		return MomentText(time.Time(x)), nil
	}
	return "", fmt.Errorf("unsupported cell type %T", v)
}
