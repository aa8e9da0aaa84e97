package apiclient

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The committed client is what the pinned generator makes of api/openapi.yaml now: a
// change of the description without `go generate ./internal/apiclient` fails here, so the
// description and the client cannot drift apart.
func TestTheClientIsWhatTheGeneratorMakesNow(t *testing.T) {
	cfg, err := os.ReadFile("oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "client.gen.go")
	// The generator writes where its configuration says (its -o flag does not override it).
	tmpCfg := strings.Replace(string(cfg), "output: client.gen.go", "output: "+out, 1)
	if tmpCfg == string(cfg) {
		t.Fatal("oapi-codegen.yaml has no line `output: client.gen.go` to redirect")
	}
	cfgPath := filepath.Join(dir, "oapi-codegen.yaml")
	if err := os.WriteFile(cfgPath, []byte(tmpCfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// The test reads the description itself (rather than letting the generator open it) so
	// go test's cache knows the result depends on it.
	desc, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	descPath := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(descPath, desc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", cfgPath, descPath)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool oapi-codegen: %v\n%s", err, msg)
	}
	got, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("client.gen.go (%d bytes) differs from what the generator makes of api/openapi.yaml now (%d bytes): run `go generate ./internal/apiclient` and commit", len(got), len(want))
	}
}
