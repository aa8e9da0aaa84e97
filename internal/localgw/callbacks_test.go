package localgw_test

import (
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/localgw"
)

// evalCFN evaluates the few intrinsics the user pool client's URL lists use (!If, !Split,
// !Sub, !Ref) with the given parameter values and condition results; nil stands for
// AWS::NoValue.
func evalCFN(t *testing.T, n *yaml.Node, params map[string]string, conds map[string]bool) any {
	t.Helper()
	sub := func(s string) string {
		return regexp.MustCompile(`\$\{([^}]+)\}`).ReplaceAllStringFunc(s, func(m string) string {
			name := m[2 : len(m)-1]
			v, ok := params[name]
			if !ok {
				t.Fatalf("!Sub names %s, which the test does not set", name)
			}
			return v
		})
	}
	switch n.Tag {
	case "!If":
		cond, ok := conds[n.Content[0].Value]
		if !ok {
			t.Fatalf("!If on condition %s, which the test does not set", n.Content[0].Value)
		}
		if cond {
			return evalCFN(t, n.Content[1], params, conds)
		}
		return evalCFN(t, n.Content[2], params, conds)
	case "!Split":
		sep := n.Content[0].Value
		s, _ := evalCFN(t, n.Content[1], params, conds).(string)
		return strings.Split(s, sep)
	case "!Sub":
		return sub(n.Value)
	case "!Ref":
		if n.Value == "AWS::NoValue" {
			return nil
		}
		v, ok := params[n.Value]
		if !ok {
			t.Fatalf("!Ref %s, which the test does not set", n.Value)
		}
		return v
	}
	switch n.Kind {
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			s, _ := evalCFN(t, c, params, conds).(string)
			out = append(out, s)
		}
		return out
	case yaml.ScalarNode:
		return n.Value
	}
	t.Fatalf("cannot evaluate %v", n.Tag)
	return nil
}

func TestEveryStaffPageIsACallbackAndLogoutURL(t *testing.T) {
	var doc struct {
		Resources struct {
			UserPoolClient struct {
				Properties map[string]yaml.Node `yaml:"Properties"`
			} `yaml:"UserPoolClient"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(tracker.TemplateYAML, &doc); err != nil {
		t.Fatal(err)
	}
	const site = "tracker.example.vn"
	var want []string
	for _, p := range localgw.StaffPages {
		want = append(want, "https://"+site+p)
	}

	for _, prop := range []string{"CallbackURLs", "LogoutURLs"} {
		node, ok := doc.Resources.UserPoolClient.Properties[prop]
		if !ok {
			t.Fatalf("UserPoolClient has no %s", prop)
		}
		t.Run(prop+" with SiteDomain set are the staff pages of the local gateway", func(t *testing.T) {
			got := evalCFN(t, &node, map[string]string{"SiteDomain": site, "ExtraCallbackUrls": ""},
				map[string]bool{"HasSiteDomain": true, "HasExtraCallbacks": false})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %v, want %v", prop, got, want)
			}
		})
		t.Run(prop+" with extra URLs keep the pages and add the extras", func(t *testing.T) {
			extra := "http://127.0.0.1:8080/staff/"
			got := evalCFN(t, &node, map[string]string{"SiteDomain": site, "ExtraCallbackUrls": extra},
				map[string]bool{"HasSiteDomain": true, "HasExtraCallbacks": true})
			if !reflect.DeepEqual(got, append(slices.Clone(want), extra)) {
				t.Errorf("%s = %v, want %v and %s", prop, got, want, extra)
			}
		})
	}

	t.Run("the pages sign in and out from their own address, origin and path", func(t *testing.T) {
		src, err := fs.ReadFile(tracker.Web(), "lib/session.js")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`function pageURI\(\) \{ return location\.origin \+ location\.pathname; \}`).Match(src) {
			t.Fatalf("web/lib/session.js pageURI() is no longer origin + path; recheck the URL lists")
		}
		for _, use := range []string{"redirect_uri: pageURI()", "logout_uri: pageURI()"} {
			if !strings.Contains(string(src), use) {
				t.Errorf("web/lib/session.js does not send %q", use)
			}
		}
	})

	t.Run("the staff pages are exactly the staff HTML pages, each at the path its browser shows", func(t *testing.T) {
		pages, err := fs.Glob(tracker.Web(), "staff/*.html")
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, p := range pages {
			// The folder's index.html is served at the folder's URL, so pageURI() ends in /staff/.
			paths = append(paths, "/"+strings.TrimSuffix(p, "index.html"))
		}
		slices.Sort(paths)
		got := slices.Sorted(slices.Values(localgw.StaffPages))
		if !reflect.DeepEqual(got, paths) {
			t.Errorf("StaffPages = %v, want the staff pages %v", got, paths)
		}
	})
}
