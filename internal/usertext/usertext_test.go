package usertext_test

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/usertext"
)

func TestCheckRefusesControlCharacters(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		multiline bool
		ok        bool
	}{
		{"a Vietnamese name passes", "Nguyễn Thị Hoa", false, true},
		{"an empty text passes", "", false, true},
		{"a NUL byte is refused", "Nguyễn\x00Hoa", false, false},
		{"a line feed in a one-line name is refused", "Nguyễn\nHoa", false, false},
		{"a line feed in a multi-line note passes", "Dòng 1\nDòng 2\r\n\tDòng 3", true, true},
		{"a bell in a multi-line note is refused", "Ghi chú\a", true, false},
		{"DEL is refused", "abc\x7f", true, false},
		{"a C1 control is refused", "abc\u0085", true, false},
		{"a line separator is refused", "abc\u2028def", true, false},
		{"a paragraph separator is refused", "abc\u2029def", false, false},
		{"invalid UTF-8 is refused", "abc\xff", false, false},
		{"a right-to-left override is refused", "Nguyễn \u202eaoH", false, false},
		{"a left-to-right embedding is refused", "abc\u202adef", true, false},
		{"a first-strong isolate is refused", "abc\u2068def\u2069", false, false},
		{"a right-to-left mark is refused", "abc\u200fdef", false, false},
		{"a zero-width space is refused", "Nguyễn\u200bHoa", false, false},
		{"a zero-width joiner is refused", "Nguyễn\u200dHoa", false, false},
		{"a word joiner is refused", "Nguyễn\u2060Hoa", false, false},
		{"a byte-order mark is refused", "\ufeffNguyễn", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := usertext.Check("Họ tên", tt.text, tt.multiline)
			if got := err == nil; got != tt.ok {
				t.Fatalf("Check(%q) = %v, want ok %v", tt.text, err, tt.ok)
			}
			if err != nil && apperr.CodeOf(err) != apperr.Validation {
				t.Errorf("code = %q, want validation", apperr.CodeOf(err))
			}
		})
	}
}

func TestCleanGivesNFC(t *testing.T) {
	got, err := usertext.Clean("Họ tên", "Nguye\u0302\u0303n Thi\u0323 Hoa", false)
	if want := "Nguyễn Thị Hoa"; err != nil || got != want {
		t.Errorf("Clean = %+q, %v; want %+q", got, err, want)
	}
}
