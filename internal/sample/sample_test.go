package sample

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/apperr/apperrtest"
	"github.com/nq58/tracker/internal/units"
)

func testTree(t *testing.T) *units.Tree {
	t.Helper()
	tree, err := units.NewTree([]units.Unit{
		{ID: "p", Name: "Tỉnh", Kind: "province"},
		{ID: "c1", ParentID: "p", Name: "Xã Một", Kind: "commune"},
		{ID: "v1", ParentID: "c1", Name: "Thôn Một", Kind: "village"},
		{ID: "v2", ParentID: "c1", Name: "Thôn Hai", Kind: "village"},
		{ID: "c2", ParentID: "p", Name: "Xã Hai", Kind: "commune"},
		{ID: "v3", ParentID: "c2", Name: "Thôn Ba", Kind: "village"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func csvRows(s string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		rows = append(rows, strings.Split(l, ","))
	}
	return rows
}

func TestValidate(t *testing.T) {
	ok := Sample{ID: "s1", QuizID: "q1", UnitID: "c1", PerVillage: 10}
	tests := []struct {
		name   string
		change func(*Sample)
		want   apperr.Code
	}{
		{"a sample with a size per village is valid", func(*Sample) {}, ""},
		{"a sample with a margin of error is valid", func(s *Sample) { s.PerVillage, s.MarginOfError = 0, 5 }, ""},
		{"a sample with both a size and a margin is refused", func(s *Sample) { s.MarginOfError = 5 }, apperr.Validation},
		{"a sample with neither is refused", func(s *Sample) { s.PerVillage = 0 }, apperr.Validation},
		{"a negative size is refused", func(s *Sample) { s.PerVillage = -1 }, apperr.Validation},
		{"a size above the bound is refused", func(s *Sample) { s.PerVillage = MaxPerVillage + 1 }, apperr.Validation},
		{"a margin above 50 points is refused", func(s *Sample) { s.PerVillage, s.MarginOfError = 0, 51 }, apperr.Validation},
		{"a sample without a quiz is refused", func(s *Sample) { s.QuizID = "" }, apperr.Validation},
		{"a bad unit id is refused", func(s *Sample) { s.UnitID = "x y" }, apperr.Validation},
		{"a seed with spaces is refused", func(s *Sample) { s.Seed = "a b" }, apperr.Validation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			err := s.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			apperrtest.WantCode(t, err, tt.want, "Validate")
		})
	}
}

func TestParseFrame(t *testing.T) {
	tree := testTree(t)
	tests := []struct {
		name     string
		file     string
		unit     string
		wantRows []int // rows with errors; nil: the frame is read
		wantLen  int
	}{
		{"a frame of villages under the sample's unit is read", "unitId,code\nv1,H001\nv1,H002\nv2,H003\n", "c1", nil, 3},
		{"headers are matched without case or underscores", "Unit_ID, CODE \nv1,H001\n", "c1", nil, 1},
		{"blank rows are skipped", "unitId,code\nv1,H001\n,\nv2,H002\n", "c1", nil, 2},
		{"a missing header column is an error of row 1", "unitId\nv1\n", "c1", []int{1}, 0},
		{"a name column is refused", "unitId,code,name\nv1,H001,Nguyễn Văn A\n", "c1", []int{1}, 0},
		{"a commune is not a village", "unitId,code\nc1,H001\n", "c1", []int{2}, 0},
		{"a village of another commune is refused", "unitId,code\nv3,H001\n", "c1", []int{2}, 0},
		{"an unknown village is refused", "unitId,code\nzz,H001\n", "c1", []int{2}, 0},
		{"a code with spaces (a name) is refused", "unitId,code\nv1,Nguyen Van A\n", "c1", []int{2}, 0},
		{"a code over the length bound is refused", "unitId,code\nv1," + strings.Repeat("9", MaxCodeLen+1) + "\n", "c1", []int{2}, 0},
		{"a repeated code is refused on its second row", "unitId,code\nv1,H001\nv2,H001\n", "c1", []int{3}, 0},
		{"every bad row is reported", "unitId,code\nv1,\nv3,H002\nv1,H003\n", "c1", []int{2, 3}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frame, errs := ParseFrame(csvRows(tt.file), tree, tt.unit)
			var gotRows []int
			for _, e := range errs {
				if e.Message == "" {
					t.Errorf("row %d: empty message", e.Row)
				}
				if !slices.Contains(gotRows, e.Row) {
					gotRows = append(gotRows, e.Row)
				}
			}
			if !slices.Equal(gotRows, tt.wantRows) {
				t.Fatalf("error rows: got %v, want %v (%v)", gotRows, tt.wantRows, errs)
			}
			if len(frame) != tt.wantLen {
				t.Errorf("frame: got %d entries, want %d", len(frame), tt.wantLen)
			}
		})
	}
}

func TestParseFrameRefusesMoreThanTheBound(t *testing.T) {
	rows := [][]string{{"unitId", "code"}}
	for i := range MaxFrameRows + 1 {
		rows = append(rows, []string{"v1", fmt.Sprintf("H%d", i)})
	}
	_, errs := ParseFrame(rows, testTree(t), "c1")
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "quá nhiều dòng") {
		t.Fatalf("got %v, want one error about too many rows", errs)
	}
}

func TestFrameHashIsTheSHA256OfTheSortedLines(t *testing.T) {
	frame := []Unit{{"v2", "B"}, {"v1", "Z"}, {"v1", "A"}}
	want := sha256.Sum256([]byte("v1,A\nv1,Z\nv2,B\n"))
	if got := FrameHash(frame); got != hex.EncodeToString(want[:]) {
		t.Fatalf("got %s, want %x", got, want)
	}
	reordered := []Unit{{"v1", "A"}, {"v2", "B"}, {"v1", "Z"}}
	if FrameHash(reordered) != FrameHash(frame) {
		t.Error("the hash depends on the file's order")
	}
}

func frameOf(unitID string, n int) []Unit {
	out := make([]Unit, n)
	for i := range n {
		out[i] = Unit{UnitID: unitID, Code: fmt.Sprintf("H%03d", i)}
	}
	return out
}

func TestDraw(t *testing.T) {
	frame := append(frameOf("v1", 30), frameOf("v2", 4)...)
	size := func(int) int { return 10 }
	a := Draw("seed-1", frame, size)

	t.Run("the same seed and frame give the same codes", func(t *testing.T) {
		shuffled := slices.Clone(frame)
		slices.Reverse(shuffled)
		b := Draw("seed-1", shuffled, size)
		for v := range a {
			if !slices.Equal(a[v], b[v]) {
				t.Errorf("%s: got %v then %v", v, a[v], b[v])
			}
		}
	})
	t.Run("another seed gives other codes", func(t *testing.T) {
		if b := Draw("seed-2", frame, size); slices.Equal(a["v1"], b["v1"]) {
			t.Errorf("seed-1 and seed-2 drew the same %v", a["v1"])
		}
	})
	t.Run("each village draws its size, at most its frame", func(t *testing.T) {
		if got, want := len(a["v1"]), 10; got != want {
			t.Errorf("v1: got %d, want %d", got, want)
		}
		if got, want := len(a["v2"]), 4; got != want {
			t.Errorf("v2: got %d, want %d", got, want)
		}
	})
	t.Run("the drawn codes are distinct codes of the village's frame", func(t *testing.T) {
		for v, codes := range a {
			in := ByVillage(frame)[v]
			seen := map[string]bool{}
			for _, c := range codes {
				if !slices.Contains(in, c) || seen[c] {
					t.Errorf("%s: %s not in the frame or drawn twice", v, c)
				}
				seen[c] = true
			}
		}
	})
	t.Run("a draw is fixed by the documented procedure", func(t *testing.T) {
		// Recorded once; a change here means old draws can no longer be redone.
		got := DrawVillage("demo", "v1", ByVillage(frameOf("v1", 10))["v1"], 3)
		want := goldenDraw
		if !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

var goldenDraw = []string{"H008", "H003", "H002"}

// chiSquare19At999 is the 0.999 quantile of the chi-square distribution with 19 degrees
// of freedom (NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.4, "Critical
// Values of the Chi-Square Distribution", upper-tail 0.001, ν = 19: 43.820).
const chiSquare19At999 = 43.820

func TestDrawIsUniformOverSeeds(t *testing.T) {
	const seeds, frameSize, n = 2000, 20, 5
	codes := ByVillage(frameOf("v1", frameSize))["v1"]
	counts := map[string]int{}
	first := map[string]int{} // the first code drawn: uniform too if the shuffle is
	for i := range seeds {
		drawn := DrawVillage(fmt.Sprintf("seed-%d", i), "v1", codes, n)
		for _, c := range drawn {
			counts[c]++
		}
		first[drawn[0]]++
	}
	chi := func(counts map[string]int, expected float64) float64 {
		x := 0.0
		for _, c := range codes {
			d := float64(counts[c]) - expected
			x += d * d / expected
		}
		return x
	}
	tests := []struct {
		name     string
		counts   map[string]int
		expected float64
	}{
		{"every code is drawn about as often (500 of 2,000 draws of 5 from 20)", counts, seeds * n / frameSize},
		{"every code comes first about as often (100 of 2,000)", first, seeds / frameSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chi(tt.counts, tt.expected); got >= chiSquare19At999 || math.IsNaN(got) {
				t.Errorf("χ² = %.2f with 19 df, want under %.3f (counts %v)", got, chiSquare19At999, tt.counts)
			} else {
				t.Logf("χ² = %.2f with 19 df (critical %.3f)", got, chiSquare19At999)
			}
		})
	}
}

func TestResponseRate(t *testing.T) {
	tests := []struct {
		name                    string
		drawn, responded, moved int
		want                    float64
		wantOK                  bool
	}{
		{"moved codes leave the base", 20, 12, 4, 75, true},
		{"every code answered is 100", 10, 10, 0, 100, true},
		{"a village where everyone moved has no rate", 5, 0, 5, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ResponseRate(tt.drawn, tt.responded, tt.moved)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %v %v, want %v %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseOutcome(t *testing.T) {
	for _, o := range Outcomes {
		t.Run(string(o)+" is an outcome with a label", func(t *testing.T) {
			got, err := ParseOutcome(string(o))
			if err != nil || got != o || OutcomeLabels[o] == "" {
				t.Errorf("got %q %v, label %q", got, err, OutcomeLabels[o])
			}
		})
	}
	t.Run("anything else is refused", func(t *testing.T) {
		_, err := ParseOutcome("responded")
		apperrtest.WantCode(t, err, apperr.Validation, "ParseOutcome")
	})
}
