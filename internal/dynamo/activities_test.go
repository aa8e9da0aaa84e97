package dynamo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/activity"
)

func TestActivitiesAreListedByUnitAndInclusiveDateRange(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	created := time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC)
	acts := []activity.Activity{
		{ID: "a1", UnitID: "v1", Type: "loudspeaker", Date: "2026-10-01", Topics: []string{"a", "d"}, Audience: 0,
			Note: "Phát thanh buổi sáng", CreatedBy: "canbo", CreatedAt: created},
		{ID: "a2", UnitID: "v1", Type: "conference", Date: "2026-10-15", Topics: []string{"b"}, Audience: 120,
			Note: "Hội nghị thôn Phong Ý", CreatedBy: "canbo", CreatedAt: created},
		{ID: "a3", UnitID: "v2", Type: "contest", Date: "2026-10-15", Audience: 300, CreatedBy: "admin", CreatedAt: created},
	}
	for _, a := range acts {
		if err := s.PutActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name     string
		units    []string
		from, to string
		want     []string
	}{
		{"one unit without bounds lists all of its activities", []string{"v1"}, "", "", []string{"a1", "a2"}},
		{"two units are merged by date then unit", []string{"v2", "v1"}, "", "", []string{"a1", "a2", "a3"}},
		{"both bounds are inclusive", []string{"v1", "v2"}, "2026-10-01", "2026-10-15", []string{"a1", "a2", "a3"}},
		{"a single day includes that whole day", []string{"v1", "v2"}, "2026-10-15", "2026-10-15", []string{"a2", "a3"}},
		{"an open start ends at the to date", []string{"v1", "v2"}, "", "2026-10-01", []string{"a1"}},
		{"an open end starts at the from date", []string{"v1"}, "2026-10-02", "", []string{"a2"}},
		{"a day outside every activity lists nothing", []string{"v1", "v2"}, "2026-10-02", "2026-10-14", nil},
		{"a reversed range lists nothing", []string{"v1"}, "2026-10-15", "2026-10-01", nil},
		{"a unit without activities lists nothing", []string{"v3"}, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListActivities(ctx, tc.units, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("ListActivities(%v, %q, %q) = %v, want %v", tc.units, tc.from, tc.to, ids, tc.want)
			}
		})
	}

	t.Run("an activity is read back whole", func(t *testing.T) {
		got, err := s.ListActivities(ctx, []string{"v1"}, "2026-10-15", "2026-10-15")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d activities, want 1", len(got))
		}
		want := acts[1]
		g := got[0]
		if g.ID != want.ID || g.UnitID != want.UnitID || g.Type != want.Type || g.Date != want.Date ||
			!slices.Equal(g.Topics, want.Topics) || g.Audience != want.Audience || g.Note != want.Note ||
			g.CreatedBy != want.CreatedBy || !g.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("read back %+v, want %+v", g, want)
		}
	})
}
