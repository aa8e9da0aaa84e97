package rounds_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/contest/rounds"
	"github.com/nq58/tracker/internal/quiz"
)

func TestTheCollectivePrizeSheetNamesEachVillageBesideItsCode(t *testing.T) {
	ctx := context.Background()
	f := newCloseFixture(t)
	rng := mrand.New(mrand.NewPCG(3, 25))
	var entries []quiz.Attempt
	for i := range 12 {
		entries = append(entries, f.entry(i, "r1", fmt.Sprintf("p%02d", i), rng.IntN(3), 12, rng))
	}
	f.enter(t, entries)
	svc := rounds.NewService(f.store, func() time.Time { return f.end.Add(time.Hour) })
	if _, err := svc.CloseRound(ctx, admin, f.q.ID, "r1"); err != nil {
		t.Fatal(err)
	}
	w, err := svc.Winners(ctx, admin, f.q.ID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	tabs := w.Tables()
	collective := tabs[len(tabs)-1]
	if len(collective.Rows) != 2 {
		t.Fatalf("collective sheet has %d rows, want the 2 villages", len(collective.Rows))
	}
	code, name := slices.Index(collective.Header, "Mã thôn"), slices.Index(collective.Header, "Thôn")
	if code < 0 || name < 0 {
		t.Fatalf("collective header %q: want “Thôn” and “Mã thôn”", collective.Header)
	}
	want := map[string]string{"v1": "Thôn Một", "v2": "Thôn Hai"}
	for _, r := range collective.Rows {
		t.Run(fmt.Sprintf("village %v is named", r[code]), func(t *testing.T) {
			if got := r[name]; got != want[fmt.Sprint(r[code])] {
				t.Errorf("name = %v, want %q", got, want[fmt.Sprint(r[code])])
			}
		})
	}
}
