package quiz

import "github.com/google/uuid"

// ParseID reads an id a client sends back (an attempt's, a contest entry's, a regrade
// job's) and accepts it only in its canonical spelling, the lower-case dashed UUID the
// server made it in (uuid.NewString). uuid.Parse alone also takes upper case, braces,
// "urn:uuid:" and the 32 digits without dashes: each would be another key in the table,
// so one start token could store one submission per spelling. Another spelling is
// therefore not found, never a new item. Verification ids (32 lower-case hex digits,
// verify.go) and sheet codes (normalised to their one spelling before any read or write,
// internal/sheets) have their own single forms.
func ParseID(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	if err != nil || id.String() != s {
		return uuid.UUID{}, false
	}
	return id, true
}
