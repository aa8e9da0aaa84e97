package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/contest/rounds"
)

// tamper changes one character in the middle of a cursor.
func tamper(c string) string {
	b := []byte(c)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestPagedListsHaveOpaqueValidatedCursors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.Stack.Handler())
	t.Cleanup(srv.Close)
	now := e.Clock.Now()
	ct := e.newContest(t, "hoi-thi-trang", "xa-a", now.Add(-time.Hour), now.Add(time.Hour))
	for i := range 5 {
		e.enter(t, ct.ID, entrant(fmt.Sprintf("0955%06d", i), "Người Thi", village, ""), 5-i, 1, time.Minute)
	}
	if err := e.Stack.DrainStreams(ctx); err != nil {
		t.Fatal(err)
	}
	organizer := signIn(t, srv.URL, "btc")
	round := "/v1/admin/contests/" + ct.ID + "/rounds/r1"
	get := func(t *testing.T, path string) (int, []byte) {
		t.Helper()
		status, raw, _ := staffRequest(t, srv.URL, organizer, "GET", path, nil)
		return status, raw
	}

	var firstCursor string
	t.Run("the ranking pages two at a time through every entrant with a next cursor while more are left", func(t *testing.T) {
		seen, cursor, pages := map[string]bool{}, "", 0
		for {
			path := round + "/ranking?limit=2"
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			status, raw := get(t, path)
			var page rounds.RankingPage
			if status != 200 || json.Unmarshal(raw, &page) != nil {
				t.Fatalf("ranking = %d %s", status, raw)
			}
			pages++
			for _, l := range page.Lines {
				seen[l.Phone] = true // masked, but distinct: the phones end 000 to 004
			}
			if pages == 1 {
				firstCursor = page.NextCursor
			}
			if page.NextCursor == "" {
				break
			}
			if len(page.Lines) != 2 || pages > 5 {
				t.Fatalf("page %d has %d lines and a next cursor", pages, len(page.Lines))
			}
			cursor = page.NextCursor
		}
		if got, want := len(seen), 5; got != want || pages != 3 {
			t.Errorf("pages = %d holding %d entrants, want 3 pages holding %d", pages, got, want)
		}
	})

	bad := []struct{ name, cursor string }{
		{"a bare number", "2"},
		{"a number too large for an int", "99999999999999999999"},
		{"characters outside base64url", "abc!*"},
		{"base64url of plain JSON", "eyJvIjoyfQ"},
		{"a changed character", tamper(firstCursor)},
		{"a well-formed cursor far past the end", contest.EncodeCursor(map[string]int64{"o": 1 << 62})},
		{"a well-formed cursor with a negative offset", contest.EncodeCursor(map[string]int64{"o": -2})},
		{"a well-formed cursor with an unknown field", contest.EncodeCursor(map[string]any{"o": 2, "x": 1})},
	}
	for _, b := range bad {
		t.Run("a ranking cursor that is "+b.name+" is a 422", func(t *testing.T) {
			status, raw := get(t, round+"/ranking?limit=2&cursor="+url.QueryEscape(b.cursor))
			if status != 422 || apperrCode(t, raw) != string(apperr.Validation) {
				t.Errorf("ranking with cursor %q = %d %s, want 422 validation", b.cursor, status, raw)
			}
		})
	}

	t.Run("the entries pages two at a time through every entry", func(t *testing.T) {
		seen, cursor := 0, ""
		for range 10 {
			list, next, err := e.Stack.Store.RoundPage(ctx, ct.ID, "r1", cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			seen += len(list)
			if next == "" {
				break
			}
			firstCursor, cursor = next, next
		}
		if seen != 5 {
			t.Errorf("entries pages held %d entries, want 5", seen)
		}
	})

	entriesBad := append(bad[:5:5],
		struct{ name, cursor string }{"a shard out of range", contest.EncodeCursor(map[string]any{"s": 99})},
		struct{ name, cursor string }{"a key of another round", contest.EncodeCursor(map[string]any{"s": 0,
			"l": map[string]string{"pk": "ATTEMPT#x", "sk": "A", "rk": "ROUND#other#r1#0", "rs": "0#000000#x"}})},
		struct{ name, cursor string }{"a key with a foreign attribute", contest.EncodeCursor(map[string]any{"s": 0,
			"l": map[string]string{"pk": "ATTEMPT#x", "sk": "A", "zz": "1"}})},
	)
	for _, b := range entriesBad {
		for _, format := range []string{"csv", "json"} {
			t.Run("an entries cursor that is "+b.name+" is a 422 in "+format, func(t *testing.T) {
				status, raw := get(t, round+"/entries?format="+format+"&cursor="+url.QueryEscape(b.cursor))
				if status != 422 || apperrCode(t, raw) != string(apperr.Validation) {
					t.Errorf("entries with cursor %q = %d %s, want 422 validation", b.cursor, status, raw)
				}
			})
		}
	}
}

// apperrCode reads the code of an error body.
func apperrCode(t *testing.T, raw []byte) string {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("error body %s: %v", raw, err)
	}
	if body.Error.Message != "Con trỏ trang (cursor) không hợp lệ" {
		t.Errorf("message = %q, want the Vietnamese cursor message", body.Error.Message)
	}
	return body.Error.Code
}
