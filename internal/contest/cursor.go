package contest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"github.com/nq58/tracker/internal/apperr"
)

// A page cursor is opaque to clients: base64url of a version byte, the page position as
// JSON and a 4-byte check of both. Decoding refuses anything else with a validation
// error, so a hand-made or damaged cursor is a 422, never a query that fails in storage.
// The check is not a signature: the position is validated again by whoever reads it.
const cursorVersion = 1

// MaxCursorLength bounds a cursor a client sends back; CursorPattern is its alphabet
// (base64url without padding). The description's Cursor says the same.
const (
	MaxCursorLength = 2048
	CursorPattern   = `^[A-Za-z0-9_-]*$`
)

// EncodeCursor makes an opaque cursor of a page position.
func EncodeCursor(v any) string {
	body, err := json.Marshal(v)
	if err != nil {
		panic("contest: cursor position does not marshal: " + err.Error()) // a programming error
	}
	raw := append([]byte{cursorVersion}, body...)
	sum := cursorCheck(raw)
	return base64.RawURLEncoding.EncodeToString(append(raw, sum[:]...))
}

// DecodeCursor reads a cursor EncodeCursor made into v, whose fields must be exactly the
// ones encoded; anything malformed is an apperr.Validation error.
func DecodeCursor(s string, v any) error {
	bad := apperr.Errorf(apperr.Validation, "Con trỏ trang (cursor) không hợp lệ")
	if len(s) > MaxCursorLength {
		return bad
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) < 1+2+4 || raw[0] != cursorVersion {
		return bad
	}
	data, check := raw[:len(raw)-4], raw[len(raw)-4:]
	if sum := cursorCheck(data); !bytes.Equal(sum[:], check) {
		return bad
	}
	dec := json.NewDecoder(bytes.NewReader(data[1:]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil || dec.More() {
		return bad
	}
	return nil
}

func cursorCheck(b []byte) [4]byte {
	sum := sha256.Sum256(append([]byte("nq58-cursor\x00"), b...))
	return [4]byte(sum[:4])
}
