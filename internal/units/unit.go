package units

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/usertext"
)

// Unit is a node of the administrative tree (province → commune → village; depth not fixed).
// Participants live in leaves.
type Unit struct {
	ID         string `json:"id"`
	ParentID   string `json:"parentId"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Population int    `json:"population"` // residents aged 15+, for leaves
	Households int    `json:"households"`
}

// IDPattern is what a unit id may be (ValidID); the description's UnitId says the same.
const IDPattern = `^[A-Za-z0-9_-]{1,64}$`

var unitIDPattern = regexp.MustCompile(IDPattern)

// ValidID tells whether id may name a unit: 1 to 64 ASCII letters, digits, - or _
// (it goes into keys, URLs and QR codes as is).
func ValidID(id string) bool { return unitIDPattern.MatchString(id) }

// Validate checks one unit's own fields.
func (u Unit) Validate() error {
	switch {
	case u.ID == "":
		return apperr.Errorf(apperr.Validation, "unit id is required")
	case u.Name == "":
		return apperr.Errorf(apperr.Validation, "unit %s: name is required", u.ID)
	case usertext.Check("Tên đơn vị "+u.ID, u.Name, false) != nil:
		return usertext.Check("Tên đơn vị "+u.ID, u.Name, false)
	case u.Kind == "":
		return apperr.Errorf(apperr.Validation, "unit %s: kind is required", u.ID)
	case u.Population < 0 || u.Households < 0:
		return apperr.Errorf(apperr.Validation, "unit %s: population and households must not be negative", u.ID)
	case u.ParentID == u.ID:
		return apperr.Errorf(apperr.Validation, "unit %s: a unit cannot be its own parent", u.ID)
	}
	return nil
}

// Tree indexes units by id and knows which are leaves.
type Tree struct {
	byID     map[string]Unit
	children map[string]int
	order    []Unit
}

// NewTree builds a tree and checks that ids are unique, parents exist and there are no cycles.
func NewTree(units []Unit) (*Tree, error) {
	t := &Tree{byID: make(map[string]Unit, len(units)), children: map[string]int{}, order: units}
	for _, u := range units {
		if err := u.Validate(); err != nil {
			return nil, err
		}
		if _, dup := t.byID[u.ID]; dup {
			return nil, apperr.Errorf(apperr.Validation, "unit %s appears twice", u.ID)
		}
		t.byID[u.ID] = u
	}
	for _, u := range units {
		if u.ParentID == "" {
			continue
		}
		if _, ok := t.byID[u.ParentID]; !ok {
			return nil, apperr.Errorf(apperr.Validation, "unit %s: parent %s does not exist", u.ID, u.ParentID)
		}
		t.children[u.ParentID]++
	}
	for _, u := range units {
		seen := map[string]bool{}
		for id := u.ID; id != ""; id = t.byID[id].ParentID {
			if seen[id] {
				return nil, apperr.Errorf(apperr.Validation, "unit %s: the tree has a cycle", u.ID)
			}
			seen[id] = true
		}
	}
	return t, nil
}

// Units returns every unit in the order they were given.
func (t *Tree) Units() []Unit { return slices.Clone(t.order) }

// Get returns the unit with the given id.
func (t *Tree) Get(id string) (Unit, bool) {
	u, ok := t.byID[id]
	return u, ok
}

// IsLeaf reports whether id names a unit with no children (a village, where people live).
func (t *Tree) IsLeaf(id string) bool {
	_, ok := t.byID[id]
	return ok && t.children[id] == 0
}

// Within reports whether unit id is ancestor itself or lies under it.
func (t *Tree) Within(id, ancestor string) bool {
	if _, ok := t.byID[id]; !ok {
		return false
	}
	for cur := id; cur != ""; cur = t.byID[cur].ParentID {
		if cur == ancestor {
			return true
		}
	}
	return false
}

// Leaves returns the ids of the leaves (villages) at or under id, in tree order.
func (t *Tree) Leaves(id string) []string {
	var out []string
	for _, u := range t.Subtree(id) {
		if t.IsLeaf(u.ID) {
			out = append(out, u.ID)
		}
	}
	return out
}

// Subtree returns id's unit and every unit under it, parents before children, siblings
// in the order they were given.
func (t *Tree) Subtree(id string) []Unit {
	root, ok := t.byID[id]
	if !ok {
		return nil
	}
	kids := map[string][]Unit{}
	for _, u := range t.order {
		kids[u.ParentID] = append(kids[u.ParentID], u)
	}
	out := []Unit{root}
	for i := 0; i < len(out); i++ {
		out = append(out, kids[out[i].ID]...)
	}
	return out
}

// Ancestors returns the chain from id's parent up to the root.
func (t *Tree) Ancestors(id string) []Unit {
	var out []Unit
	for cur := t.byID[id].ParentID; cur != ""; cur = t.byID[cur].ParentID {
		out = append(out, t.byID[cur])
	}
	return out
}

// Lister lists the stored units (storage).
type Lister interface {
	ListUnits(ctx context.Context) ([]Unit, error)
}

// LoadTree reads every unit and builds the tree: the one way services get it.
func LoadTree(ctx context.Context, store Lister) (*Tree, error) {
	units, err := store.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := NewTree(units)
	if err != nil {
		return nil, fmt.Errorf("stored unit tree: %w", err)
	}
	return tree, nil
}
