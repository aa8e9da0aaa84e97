package staffdir_test

import (
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/staffdir"
	"github.com/nq58/tracker/internal/units"
)

func TestFirstAdminRequestsAreCheckedBeforeAnythingIsWritten(t *testing.T) {
	tests := []struct {
		name      string
		in        staffdir.FirstAdmin
		wantEmail string
		wantCode  apperr.Code // "" for a good request
	}{
		{"an e-mail is trimmed and lower-cased", staffdir.FirstAdmin{Email: " QuanTri@ThanhHoa.gov.vn ", UnitID: "th"}, "quantri@thanhhoa.gov.vn", ""},
		{"a missing e-mail is refused", staffdir.FirstAdmin{UnitID: "th"}, "", apperr.Validation},
		{"an e-mail without a domain is refused", staffdir.FirstAdmin{Email: "quantri@localhost", UnitID: "th"}, "", apperr.Validation},
		{"a display name instead of an address is refused", staffdir.FirstAdmin{Email: "Quản trị <a@b.vn>", UnitID: "th"}, "", apperr.Validation},
		{"a missing unit id is refused", staffdir.FirstAdmin{Email: "a@b.vn"}, "", apperr.Validation},
		{"a unit id with a space is refused", staffdir.FirstAdmin{Email: "a@b.vn", UnitID: "thanh hoa"}, "", apperr.Validation},
		{"a unit id with Vietnamese letters is refused", staffdir.FirstAdmin{Email: "a@b.vn", UnitID: "thanh-hóa"}, "", apperr.Validation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Normalized()
			if gotCode := codeOf(err); gotCode != tt.wantCode {
				t.Fatalf("Normalized() error = %v, want code %q", err, tt.wantCode)
			}
			if err == nil && got.Email != tt.wantEmail {
				t.Errorf("Normalized().Email = %q, want %q", got.Email, tt.wantEmail)
			}
		})
	}
}

func TestTheFirstAdminsRootIsWrittenOnlyIntoAnEmptyTree(t *testing.T) {
	root := units.Unit{ID: "th", Name: "Tỉnh Thanh Hóa", Kind: "province"}
	tree := []units.Unit{root, {ID: "cam-thuy", ParentID: "th", Name: "Xã Cẩm Thủy", Kind: "commune"}}
	tests := []struct {
		name      string
		units     []units.Unit
		in        staffdir.FirstAdmin
		wantRoot  units.Unit
		wantWrite bool
		wantCode  apperr.Code
	}{
		{"an empty tree gets the root as a province", nil, staffdir.FirstAdmin{UnitID: "th", UnitName: "Tỉnh Thanh Hóa"}, root, true, ""},
		{"an empty tree needs the root's name", nil, staffdir.FirstAdmin{UnitID: "th"}, units.Unit{}, false, apperr.Validation},
		{"a stored root is taken as it is, its name not needed", tree, staffdir.FirstAdmin{UnitID: "th"}, root, false, ""},
		{"a stored root is not renamed by another name", tree, staffdir.FirstAdmin{UnitID: "th", UnitName: "Thanh Hóa"}, root, false, ""},
		{"a stored unit that has a parent is refused", tree, staffdir.FirstAdmin{UnitID: "cam-thuy"}, units.Unit{}, false, apperr.Validation},
		{"a new root beside a stored tree is refused", tree, staffdir.FirstAdmin{UnitID: "hn", UnitName: "Hà Nội"}, units.Unit{}, false, apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, write, err := staffdir.FirstRoot(tt.units, tt.in)
			if gotCode := codeOf(err); gotCode != tt.wantCode {
				t.Fatalf("FirstRoot() error = %v, want code %q", err, tt.wantCode)
			}
			if got != tt.wantRoot || write != tt.wantWrite {
				t.Errorf("FirstRoot() = %+v, write %v; want %+v, write %v", got, write, tt.wantRoot, tt.wantWrite)
			}
		})
	}
}

// codeOf is the error's code, "" for no error.
func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}
