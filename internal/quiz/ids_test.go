package quiz

import (
	"strings"
	"testing"
)

func TestAClientIDIsTakenOnlyInItsCanonicalSpelling(t *testing.T) {
	const id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"the lower-case dashed form is taken", id, true},
		{"upper case is refused", strings.ToUpper(id), false},
		{"braces are refused", "{" + id + "}", false},
		{"a urn:uuid: prefix is refused", "urn:uuid:" + id, false},
		{"the form without dashes is refused", strings.ReplaceAll(id, "-", ""), false},
		{"a trailing space is refused", id + " ", false},
		{"something else is refused", "paper-ABCDEFG", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ParseID(c.in)
			if ok != c.ok {
				t.Fatalf("ParseID(%q) ok = %v, want %v", c.in, ok, c.ok)
			}
			if ok && got.String() != id {
				t.Errorf("ParseID(%q) = %s, want %s", c.in, got, id)
			}
		})
	}
}
