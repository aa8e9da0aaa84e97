package webtest

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/auth"
)

// TestNoPageDecidesByRoleName keeps the access policy in one place (internal/auth): the
// pages read what a staff member may do from GET /v1/admin/me's `can` list, so a role
// name appears in a page module only where it is shown (labels.js names the roles).
func TestNoPageDecidesByRoleName(t *testing.T) {
	var names []string
	for _, r := range []auth.Role{auth.Admin, auth.Officer, auth.Organizer, auth.Collector} {
		names = append(names, regexp.QuoteMeta(string(r)))
	}
	roleLiteral := regexp.MustCompile(`['"](` + strings.Join(names, "|") + `)['"]`)
	web := tracker.Web()
	checked := 0
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || vendored(p) || p == "lib/labels.js" {
			return err
		}
		if _, ok := bundledFrom(t, web, p); ok { // its modules are checked one by one
			return nil
		}
		raw, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if m := roleLiteral.FindString(line); m != "" {
				t.Errorf("%s:%d decides by the role name %s: ask can(me, action) instead", p, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked %d modules, want every page module", checked)
	}
}
