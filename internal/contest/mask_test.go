package contest

import "testing"

func TestMaskName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a three-word name keeps the family name", "Nguyễn Văn Tùng", "Nguyễn V. T."},
		{"initials keep Vietnamese letters", "Đỗ Thị Ánh", "Đỗ T. Á."},
		{"a name starting with Đ keeps it as an initial", "Lê Đức Ước", "Lê Đ. Ư."},
		{"a four-word name gives three initials", "Trần Thị Ngọc Ẩn", "Trần T. N. Ẩ."},
		{"a two-word name gives one initial", "Hà Ơn", "Hà Ơ."},
		{"a one-word name gives its initial", "Ánh", "Á."},
		{"lower-case initials are upper-cased", "Phạm thị ánh", "Phạm T. Á."},
		{"extra spaces are dropped", "  Bùi   Xuân  Phái ", "Bùi X. P."},
		{"combining accents stay on the initial", "Vũ A\u0301nh", "Vũ A\u0301."},
		{"an empty name gives nothing", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a normalised mobile shows 0, its first digit and the last three", "+84912345123", "09x xxx x123"},
		{"a Viettel 03x number", "+84388123456", "03x xxx x456"},
		{"a number not normalised shows only its last three", "0912345123", "xxxxxxx123"},
		{"a short string is fully hidden", "12", "xx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskCCCD(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a CCCD shows its last three digits", "038095001234", "xxxxxxxxx234"},
		{"spaces are ignored", "038 095 001 234", "xxxxxxxxx234"},
		{"a too short value is fully hidden", "123", "xxxxxxxxxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskCCCD(tt.in); got != tt.want {
				t.Errorf("MaskCCCD(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
