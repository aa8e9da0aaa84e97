package sheets

import "testing"

func TestSheetCodesAreReadAsTyped(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"mkzb9q3", "MKZB9Q3"},
		{"MKZ-B9Q 3", "MKZB9Q3"},
		{"MKZB9Q", ""},   // too short
		{"MKZB9Q0", ""},  // 0 is not in the alphabet (read as O)
		{"MKZB9QI", ""},  // nor I
		{"MKZB9Q33", ""}, // too long
	}
	for _, tt := range tests {
		t.Run("the code typed as "+tt.typed, func(t *testing.T) {
			if got := normCode(tt.typed); got != tt.want {
				t.Errorf("normCode(%q) = %q, want %q", tt.typed, got, tt.want)
			}
		})
	}
}
