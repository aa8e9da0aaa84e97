package sample

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTheFrameHashIsWhatTheDocumentedShellRecipeGives runs the recipe of FrameHash's
// comment and docs/data.md on a frame file with CRLF line ends and codes whose byte
// order differs from their numeric order.
func TestTheFrameHashIsWhatTheDocumentedShellRecipeGives(t *testing.T) {
	file := "unitId,code\r\nxa-a-t02,B9\r\nxa-a-t01,A10\r\nxa-a-t01,A9\r\n"
	cmd := exec.Command("sh", "-c", "tail -n +2 | tr -d '\\r' | LC_ALL=C sort | sha256sum")
	cmd.Stdin = strings.NewReader(file)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))[0]
	want := FrameHash([]Unit{{"xa-a-t02", "B9"}, {"xa-a-t01", "A10"}, {"xa-a-t01", "A9"}})
	if got != want {
		t.Errorf("the recipe gives %s, FrameHash %s", got, want)
	}
}
