package api_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/api"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/samtemplate"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	return doc
}

func TestTheDescriptionIsValidOpenAPI31(t *testing.T) {
	doc := load(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("validate: %v", err)
	}
}

func TestTheJSONFormIsTheSameDocument(t *testing.T) {
	raw, err := api.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", got["openapi"])
	}
	if len(got["paths"].(map[string]any)) != load(t).Paths.Len() {
		t.Errorf("the JSON has %d paths, the YAML %d", len(got["paths"].(map[string]any)), load(t).Paths.Len())
	}
}

// TestEveryTemplateRouteIsDescribed compares the routes of template.yaml with the paths
// and methods of the description, both ways: a route added to the template without a
// description fails, and so does a description of a route the template does not have.
func TestEveryTemplateRouteIsDescribed(t *testing.T) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.Routes()
	if err != nil {
		t.Fatal(err)
	}
	inTemplate := map[string]bool{}
	for _, r := range routes {
		inTemplate[r.RouteKey()] = true
	}
	described := map[string]bool{}
	for path, item := range load(t).Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+path] = true
		}
	}
	tests := []struct {
		name       string
		have, want map[string]bool
		missing    string
	}{
		{"every route of the template is described", inTemplate, described, "not described in api/openapi.yaml"},
		{"every described route is in the template", described, inTemplate, "not a route of template.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for k := range tt.have {
				if !tt.want[k] {
					got = append(got, k)
				}
			}
			sort.Strings(got)
			if len(got) > 0 {
				t.Errorf("%s: %s", tt.missing, strings.Join(got, ", "))
			}
		})
	}
	if len(routes) < 30 {
		t.Errorf("the template has %d routes, want the whole API (≥ 30)", len(routes))
	}
}

// The description lists the abilities /v1/admin/me can carry; they are the policy's
// actions, so a new action is described as soon as it exists.
func TestTheMeAnswerListsThePolicysActions(t *testing.T) {
	items := load(t).Components.Schemas["Me"].Value.Properties["can"].Value.Items.Value
	var got []string
	for _, v := range items.Enum {
		got = append(got, v.(string))
	}
	sort.Strings(got)
	var want []string
	for _, a := range auth.Actions() {
		want = append(want, string(a))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Me.can enum = %v, want the policy's actions %v", got, want)
	}
}
