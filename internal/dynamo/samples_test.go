package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/sample"
)

func testSample(id string) sample.Sample {
	return sample.Sample{ID: id, QuizID: "q1", UnitID: "c1", PerVillage: 3, CreatedBy: "officer",
		CreatedAt: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)}
}

func wantCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil && want != "" || err != nil && got != want {
		t.Fatalf("got %v (%s), want %q", err, got, want)
	}
}

func TestASampleIsCreatedOnceAndReadBack(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	want := testSample("s1")
	if err := s.CreateSample(ctx, want); err != nil {
		t.Fatal(err)
	}
	t.Run("the same id again is a conflict", func(t *testing.T) {
		wantCode(t, s.CreateSample(ctx, want), apperr.Conflict)
	})
	t.Run("the sample reads back as stored", func(t *testing.T) {
		got, err := s.GetSample(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.QuizID != want.QuizID || got.UnitID != want.UnitID || got.PerVillage != 3 ||
			!got.CreatedAt.Equal(want.CreatedAt) || got.CreatedBy != "officer" || got.Drawn() {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
	t.Run("the quiz lists its samples", func(t *testing.T) {
		if err := s.CreateSample(ctx, testSample("s2")); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListSamples(ctx, "q1")
		if err != nil || len(got) != 2 || got[0].ID != "s1" || got[1].UnitID != "c1" {
			t.Errorf("got %+v (%v), want s1 and s2", got, err)
		}
	})
	t.Run("an unknown sample is not found", func(t *testing.T) {
		_, err := s.GetSample(ctx, "nope")
		wantCode(t, err, apperr.NotFound)
	})
}

func bigFrame(villages, per int) []sample.Unit {
	var out []sample.Unit
	for v := range villages {
		for i := range per {
			out = append(out, sample.Unit{UnitID: fmt.Sprintf("v%d", v+1), Code: fmt.Sprintf("H%d-%05d", v+1, i)})
		}
	}
	return out
}

func TestASampleFrameIsReplacedUntilTheDraw(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.CreateSample(ctx, testSample("s1")); err != nil {
		t.Fatal(err)
	}
	// Over one chunk in a village, so that chunks join back.
	first := bigFrame(2, 5001)
	second := bigFrame(1, 4)
	put := func(t *testing.T, frame []sample.Unit) string {
		t.Helper()
		h := sample.FrameHash(frame)
		if err := s.PutSampleFrame(ctx, "s1", h, frame); err != nil {
			t.Fatal(err)
		}
		return h
	}
	h1 := put(t, first)
	t.Run("a frame of more than one chunk reads back whole", func(t *testing.T) {
		got, err := s.SampleFrame(ctx, "s1", h1)
		if err != nil {
			t.Fatal(err)
		}
		if sample.FrameHash(got) != h1 || len(got) != len(first) {
			t.Errorf("got %d entries, want %d with the same hash", len(got), len(first))
		}
		sm, _ := s.GetSample(ctx, "s1")
		if sm.FrameSHA256 != h1 || sm.FrameSizes["v1"] != 5001 || sm.FrameSizes["v2"] != 5001 {
			t.Errorf("sample: got hash %s sizes %v", sm.FrameSHA256, sm.FrameSizes)
		}
	})
	h2 := put(t, second)
	t.Run("a new frame replaces the old one, whose chunks are removed", func(t *testing.T) {
		old, err := s.SampleFrame(ctx, "s1", h1)
		if err != nil || len(old) != 0 {
			t.Errorf("old frame: got %d entries (%v), want none", len(old), err)
		}
		sm, _ := s.GetSample(ctx, "s1")
		if sm.FrameSHA256 != h2 || len(sm.FrameSizes) != 1 || sm.FrameSizes["v1"] != 4 {
			t.Errorf("sample: got hash %s sizes %v", sm.FrameSHA256, sm.FrameSizes)
		}
	})
	drawn := testSample("s1")
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	drawn.FrameSHA256, drawn.Seed, drawn.DrawnAt, drawn.DrawnBy, drawn.DrawnTotal = h2, "abc", &at, "officer", 3
	t.Run("a draw on another frame than the sample's is a conflict", func(t *testing.T) {
		stale := drawn
		stale.FrameSHA256 = h1
		wantCode(t, s.ClaimSampleDraw(ctx, stale), apperr.Conflict)
	})
	t.Run("the first draw is taken and read back", func(t *testing.T) {
		wantCode(t, s.ClaimSampleDraw(ctx, drawn), "")
		sm, _ := s.GetSample(ctx, "s1")
		if !sm.Drawn() || !sm.DrawnAt.Equal(at) || sm.Seed != "abc" || sm.DrawnTotal != 3 || sm.DrawnBy != "officer" {
			t.Errorf("got %+v", sm)
		}
	})
	t.Run("a second draw is a conflict", func(t *testing.T) {
		wantCode(t, s.ClaimSampleDraw(ctx, drawn), apperr.Conflict)
	})
	t.Run("a frame after the draw is a conflict and leaves the drawn frame", func(t *testing.T) {
		other := bigFrame(1, 6)
		wantCode(t, s.PutSampleFrame(ctx, "s1", sample.FrameHash(other), other), apperr.Conflict)
		got, _ := s.SampleFrame(ctx, "s1", h2)
		if sample.FrameHash(got) != h2 {
			t.Errorf("the drawn frame changed: %v", got)
		}
		if left, _ := s.SampleFrame(ctx, "s1", sample.FrameHash(other)); len(left) != 0 {
			t.Errorf("the refused frame left %d entries", len(left))
		}
	})
}

func TestSampleCodesTakeAnOutcomeOrOneResponse(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.CreateSample(ctx, testSample("s1")); err != nil {
		t.Fatal(err)
	}
	codes := []sample.Code{{Code: "A1", UnitID: "v1", Order: 0}, {Code: "A2", UnitID: "v1", Order: 1}, {Code: "B1", UnitID: "v2", Order: 0}}
	if err := s.PutSampleCodes(ctx, "s1", codes); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
	resp := sample.Response{Scored: true, Score: 80, Passed: true, EnteredAt: at}
	steps := []struct {
		name string
		do   func() error
		want apperr.Code
	}{
		{"an outcome of a drawn code is recorded", func() error { return s.SetSampleOutcome(ctx, "s1", "A1", sample.Absent) }, ""},
		{"an outcome is replaced by a later visit's", func() error { return s.SetSampleOutcome(ctx, "s1", "A1", sample.Refused) }, ""},
		{"a code that was not drawn takes no outcome", func() error { return s.SetSampleOutcome(ctx, "s1", "Z9", sample.Absent) }, apperr.NotFound},
		{"a response of a drawn code is recorded", func() error { return s.SetSampleResponse(ctx, "s1", "A2", resp) }, ""},
		{"a second response of the code is a conflict", func() error { return s.SetSampleResponse(ctx, "s1", "A2", resp) }, apperr.Conflict},
		{"a code with a response takes no outcome", func() error { return s.SetSampleOutcome(ctx, "s1", "A2", sample.Moved) }, apperr.Conflict},
		{"a code with an outcome takes no response", func() error { return s.SetSampleResponse(ctx, "s1", "A1", resp) }, apperr.Conflict},
		{"a code that was not drawn takes no response", func() error { return s.SetSampleResponse(ctx, "s1", "Z9", resp) }, apperr.NotFound},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) { wantCode(t, st.do(), st.want) })
	}
	t.Run("the codes read back with their outcome and response", func(t *testing.T) {
		got, err := s.SampleCodes(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		want := []sample.Code{{Code: "A1", UnitID: "v1", Order: 0, Outcome: sample.Refused}, {Code: "A2", UnitID: "v1", Order: 1, Response: &resp},
			{Code: "B1", UnitID: "v2", Order: 0}}
		if !slices.EqualFunc(got, want, func(a, b sample.Code) bool {
			return a.Code == b.Code && a.UnitID == b.UnitID && a.Order == b.Order && a.Outcome == b.Outcome &&
				(a.Response == nil) == (b.Response == nil) && (a.Response == nil || *a.Response == *b.Response)
		}) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
	t.Run("adding codes leaves the stored ones and their outcome as they are", func(t *testing.T) {
		more := []sample.Code{{Code: "A1", UnitID: "v1", Order: 0}, {Code: "B2", UnitID: "v2", Order: 1}}
		if err := s.AddSampleCodes(ctx, "s1", more); err != nil {
			t.Fatal(err)
		}
		got, err := s.SampleCodes(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[0].Code != "A1" || got[0].Outcome != sample.Refused {
			t.Errorf("got %+v, want 4 codes with A1 still refused", got)
		}
	})
	t.Run("deleting the sample removes every item of it", func(t *testing.T) {
		if err := s.DeleteSample(ctx, "q1", "s1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetSample(ctx, "s1"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("sample: got %v, want not found", err)
		}
		if got, _ := s.SampleCodes(ctx, "s1"); len(got) != 0 {
			t.Errorf("codes: got %d, want none", len(got))
		}
		if got, _ := s.ListSamples(ctx, "q1"); len(got) != 0 {
			t.Errorf("the quiz's list: got %v, want none", got)
		}
	})
}
