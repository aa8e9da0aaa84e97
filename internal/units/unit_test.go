package units

// Tests of the unit tree (unit.go).

import (
	"slices"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
)

func demoTree() []Unit {
	return []Unit{
		{ID: "p", Name: "Province", Kind: "province"},
		{ID: "c1", ParentID: "p", Name: "Commune 1", Kind: "commune"},
		{ID: "c2", ParentID: "p", Name: "Commune 2", Kind: "commune"},
		{ID: "v1", ParentID: "c1", Name: "Village 1", Kind: "village", Population: 100, Households: 30},
		{ID: "v2", ParentID: "c1", Name: "Village 2", Kind: "village", Population: 200, Households: 60},
	}
}

func TestNewTree(t *testing.T) {
	tree, err := NewTree(demoTree())
	if err != nil {
		t.Fatalf("NewTree(valid units) error = %v", err)
	}
	t.Run("only units without children are leaves", func(t *testing.T) {
		for id, want := range map[string]bool{"p": false, "c1": false, "c2": true, "v1": true, "v2": true, "unknown": false, "": false} {
			if got := tree.IsLeaf(id); got != want {
				t.Errorf("IsLeaf(%q) = %v, want %v", id, got, want)
			}
		}
	})
	t.Run("Get finds units by id", func(t *testing.T) {
		u, ok := tree.Get("v2")
		if !ok || u.Name != "Village 2" || u.Population != 200 {
			t.Errorf("Get(\"v2\") = %+v, %v, want Village 2 with population 200", u, ok)
		}
		if _, ok := tree.Get("nope"); ok {
			t.Errorf("Get(\"nope\") found a unit, want none")
		}
	})
	t.Run("units may come in any order", func(t *testing.T) {
		units := demoTree()
		slices.Reverse(units)
		if _, err := NewTree(units); err != nil {
			t.Errorf("NewTree(children before parents) error = %v, want nil", err)
		}
	})
}

func TestNewTreeRejects(t *testing.T) {
	tests := []struct {
		name   string
		modify func(us []Unit) []Unit
	}{
		{"a duplicate id is rejected", func(us []Unit) []Unit {
			return append(us, Unit{ID: "v1", ParentID: "c2", Name: "Again", Kind: "village"})
		}},
		{"a missing parent is rejected", func(us []Unit) []Unit { us[4].ParentID = "c9"; return us }},
		{"a cycle is rejected", func(us []Unit) []Unit {
			return append(us, Unit{ID: "x", ParentID: "y", Name: "X", Kind: "k"}, Unit{ID: "y", ParentID: "x", Name: "Y", Kind: "k"})
		}},
		{"a longer cycle is rejected", func(us []Unit) []Unit { us[0].ParentID = "v1"; return us }},
		{"a unit that is its own parent is rejected", func(us []Unit) []Unit { us[3].ParentID = "v1"; return us }},
		{"a unit without id is rejected", func(us []Unit) []Unit { us[3].ID = ""; return us }},
		{"a unit without name is rejected", func(us []Unit) []Unit { us[3].Name = ""; return us }},
		{"a unit without kind is rejected", func(us []Unit) []Unit { us[3].Kind = ""; return us }},
		{"a negative population is rejected", func(us []Unit) []Unit { us[3].Population = -1; return us }},
		{"negative households are rejected", func(us []Unit) []Unit { us[3].Households = -1; return us }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := NewTree(tt.modify(demoTree()))
			if tree != nil {
				t.Errorf("NewTree returned a tree, want nil")
			}
			apperrtest.WantCode(t, err, apperr.Validation, "NewTree")
		})
	}
}
