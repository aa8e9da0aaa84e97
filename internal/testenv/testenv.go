// Package testenv gives tests a fresh table in the DynamoDB Local that `make test`
// starts. Without it tests fail, never skip: storage code is only tested for real.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/contract"
	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/samtemplate"
	"github.com/nq58/tracker/internal/tables"
)

// Endpoint returns the DynamoDB Local endpoint or fails the test.
func Endpoint(t testing.TB) string {
	t.Helper()
	e := os.Getenv(dynamolocal.EndpointEnv)
	if e == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, which starts DynamoDB Local", dynamolocal.EndpointEnv)
	}
	return e
}

var unsafe = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// TableName returns a name unique to this test run.
func TableName(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := unsafe.ReplaceAllString(t.Name(), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	return name + "-" + hex.EncodeToString(b)
}

// Stack returns the whole product wired to a new table, removed when the test ends.
func Stack(t testing.TB, now func() time.Time) *localgw.Stack {
	t.Helper()
	return StackWith(t, now, nil)
}

// StackWith is Stack with its options changed by edit (nil: none), e.g. KeepViewerAddress
// for tests that act as many sources. The gateway checks every request and answer under
// /v1/ against api/openapi.yaml (StackOptions.Contract, on unless edit turns it off): when
// the test ends, what its traffic broke fails it.
func StackWith(t testing.TB, now func() time.Time, edit func(*localgw.StackOptions)) *localgw.Stack {
	t.Helper()
	endpoint := Endpoint(t)
	table := TableName(t)
	ctx := context.Background()
	users, err := demo.Users()
	if err != nil {
		t.Fatal(err)
	}
	o := localgw.StackOptions{Endpoint: endpoint, Table: table, Now: now, Users: users,
		Log: slog.New(slog.NewTextHandler(testWriter{t}, nil)), Contract: true}
	if edit != nil {
		edit(&o)
	}
	s, err := localgw.NewStack(ctx, o)
	if err != nil {
		t.Fatalf("new stack: %v", err)
	}
	t.Cleanup(func() { dropTable(t, s.DB, table) })
	CheckContract(t, s)
	return s
}

// CheckContract fails t, when it ends, with what the exchanges of s broke in
// api/openapi.yaml (nothing when s has no contract check). StackWith calls it; a test
// that builds its stack with localgw.NewStack sets StackOptions.Contract and calls it
// right after, before it starts its servers: cleanups run last in, first out, so the
// check runs once they are closed and every exchange is in.
func CheckContract(t testing.TB, s *localgw.Stack) {
	t.Helper()
	if s.Contract != nil {
		t.Cleanup(func() { reportContract(t, s.Contract) })
	}
}

func reportContract(t testing.TB, c *contract.Checker) {
	t.Helper()
	v := c.Violations()
	t.Logf("contract: %d exchanges checked against api/openapi.yaml, %d violations", c.Checked(), len(v))
	if len(v) > 0 {
		t.Errorf("contract: %d of %d exchanges break api/openapi.yaml:\n  %s", len(v), c.Checked(), strings.Join(v, "\n  "))
	}
}

func dropTable(t testing.TB, db *dynamodb.Client, table string) {
	t.Helper()
	if err := tables.DeleteTable(context.Background(), db, table); err != nil {
		t.Errorf("delete table %s: %v", table, err)
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// Clock is a settable clock for tests.
type Clock struct{ now atomicTime }

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { c := &Clock{}; c.now.Store(t); return c }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.now.Load() }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.now.Store(c.now.Load().Add(d)) }

// Table creates a table from template.yaml, removed when the test ends, and returns
// the endpoint and its name.
func Table(t testing.TB) (endpoint, table string) {
	t.Helper()
	endpoint, table = Endpoint(t), TableName(t)
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := tpl.Table()
	if err != nil {
		t.Fatal(err)
	}
	db := dynamolocal.Client(endpoint)
	if _, err := tables.EnsureTable(context.Background(), db, table, spec); err != nil {
		t.Fatalf("create table: %v", err)
	}
	t.Cleanup(func() { dropTable(t, db, table) })
	return endpoint, table
}
