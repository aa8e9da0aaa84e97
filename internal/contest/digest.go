package contest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest returns the hex SHA-256 of v's JSON encoding, used to freeze a round's results:
// the same results give the same digest, and any change to them a different one.
//
// The encoding is canonical because encoding/json writes struct fields in declaration
// order and map keys sorted, and formats numbers and times the same way every time.
// Times are written with their zone offset, so callers pass them in UTC. Callers pass
// structs (or slices of them) with a fixed field order; a change to those
// types changes the digests of results frozen before.
func Digest(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
