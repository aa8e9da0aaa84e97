package contest

import (
	"testing"
	"time"
)

func TestDigest(t *testing.T) {
	type frozen struct {
		RoundID string         `json:"roundId"`
		Truth   int64          `json:"truth"`
		Ranked  []Ranked       `json:"ranked"`
		Units   map[string]int `json:"units"`
	}
	sample := func() frozen {
		at := time.Date(2025, 9, 3, 2, 0, 0, 0, time.UTC)
		return frozen{
			RoundID: "tuan-1",
			Truth:   1234,
			Ranked: []Ranked{
				{Entry: Entry{AttemptID: "a1", Person: "p1", Score: 10, SubmittedAt: at}, Rank: 1, Tier: "Nhất", Amount: 2_000_000},
				{Entry: Entry{AttemptID: "a2", Person: "p2", Score: 9, SubmittedAt: at}, Rank: 2},
			},
			Units: map[string]int{"thon-1": 3, "thon-2": 5, "thon-3": 1},
		}
	}
	digest := func(t *testing.T, v any) string {
		t.Helper()
		d, err := Digest(v)
		if err != nil {
			t.Fatalf("Digest() = %v", err)
		}
		return d
	}
	t.Run("equal values give the same digest", func(t *testing.T) {
		if a, b := digest(t, sample()), digest(t, sample()); a != b {
			t.Errorf("Digest() = %q then %q, want equal", a, b)
		}
	})
	t.Run("maps filled in another order give the same digest", func(t *testing.T) {
		other := sample()
		other.Units = map[string]int{}
		for _, k := range []string{"thon-3", "thon-1", "thon-2"} {
			other.Units[k] = sample().Units[k]
		}
		if a, b := digest(t, sample()), digest(t, other); a != b {
			t.Errorf("Digest() = %q and %q, want equal", a, b)
		}
	})
	t.Run("any change to the results changes the digest", func(t *testing.T) {
		base := digest(t, sample())
		changes := []struct {
			name   string
			change func(f *frozen)
		}{
			{"the truth", func(f *frozen) { f.Truth++ }},
			{"a tier", func(f *frozen) { f.Ranked[1].Tier = "Nhì" }},
			{"a submission time by a nanosecond", func(f *frozen) { f.Ranked[0].SubmittedAt = f.Ranked[0].SubmittedAt.Add(time.Nanosecond) }},
			{"a map value", func(f *frozen) { f.Units["thon-2"] = 6 }},
			{"the order of the ranking", func(f *frozen) { f.Ranked[0], f.Ranked[1] = f.Ranked[1], f.Ranked[0] }},
			{"a person", func(f *frozen) { f.Ranked[0].Person = "p3" }},
		}
		for _, tt := range changes {
			t.Run("changing "+tt.name+" changes the digest", func(t *testing.T) {
				f := sample()
				tt.change(&f)
				if got := digest(t, f); got == base {
					t.Errorf("Digest() = %q, unchanged", got)
				}
			})
		}
	})
	t.Run("the digest is the hex SHA-256 of the JSON encoding", func(t *testing.T) {
		const want = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" // sha256("{}")
		if got := digest(t, struct{}{}); got != want {
			t.Errorf("Digest(struct{}{}) = %q, want %q", got, want)
		}
	})
	t.Run("a value JSON cannot encode gives an error", func(t *testing.T) {
		if _, err := Digest(make(chan int)); err == nil {
			t.Error("Digest(chan) = nil error, want one")
		}
	})
}
