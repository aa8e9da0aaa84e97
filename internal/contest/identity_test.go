package contest

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/pseudonym"
)

func TestValidateCCCD(t *testing.T) {
	good := []struct {
		name, in, want string
	}{
		{"a Thanh Hóa number (038) passes", "038095001234", "038095001234"},
		{"spaces are removed", "038 095 001 234", "038095001234"},
		{"the lowest province code 001 passes", "001200000001", "001200000001"},
		{"the highest province code 096 passes", "096399999999", "096399999999"},
		{"a century digit of 9 passes", "038900000000", "038900000000"},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateCCCD(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ValidateCCCD(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"an empty number fails", ""},
		{"11 digits fail", "03809500123"},
		{"13 digits fail", "0380950012345"},
		{"a letter fails", "03809500123A"},
		{"dots fail", "038.095.001.234"},
		{"the old 9-digit ID card fails", "172345678"},
		{"province code 000 fails", "000095001234"},
		{"province code 097 fails", "097095001234"},
		{"province code 999 fails", "999095001234"},
		{"Arabic-Indic digits fail", "٠٣٨٠٩٥٠٠١٢٣٤"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateCCCD(tt.in)
			apperrtest.WantCode(t, err, apperr.Validation, "ValidateCCCD("+tt.in+")")
			if got != "" {
				t.Errorf("ValidateCCCD(%q) = %q, want \"\" with the error", tt.in, got)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	keys := pseudonym.MustNew([]byte("a test secret of thirty-two bytes!"))
	t.Run("a person key is 32 hex characters and stable", func(t *testing.T) {
		k := PersonKey(keys, "+84912345123")
		if len(k) != 32 || k != PersonKey(keys, "+84912345123") {
			t.Errorf("PersonKey(keys, ) = %q, want 32 stable hex characters", k)
		}
	})
	t.Run("different phones give different keys", func(t *testing.T) {
		if PersonKey(keys, "+84912345123") == PersonKey(keys, "+84912345124") {
			t.Error("PersonKey(keys, ) gave the same key for two phones")
		}
	})
	t.Run("a CCCD key differs from a phone key of the same digits", func(t *testing.T) {
		if CCCDKey(keys, "038095001234") == PersonKey(keys, "038095001234") {
			t.Error("CCCDKey(keys, ) and PersonKey(keys, ) agree; the prefixes should keep them apart")
		}
		if got := CCCDKey(keys, "038095001234"); len(got) != 32 {
			t.Errorf("CCCDKey(keys, ) = %q, want 32 hex characters", got)
		}
	})
}
