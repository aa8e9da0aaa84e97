package quiz

import "github.com/google/uuid"

// ParseID reads an id a client sends back to bind or store something under it (an
// attempt's, at its submit and result; a regrade job's) and accepts it only in its
// canonical spelling, the lower-case dashed UUID the server made it in
// (uuid.NewString). uuid.Parse alone also takes upper case, braces, "urn:uuid:" and the
// 32 digits without dashes: each would be another key in the table, so one start token
// could store one submission per spelling. Another spelling is therefore not found,
// never a new item. Routes that only read an item by its exact key (a contest entry's
// disqualification) find nothing under another spelling either, and stay open to stored
// ids that are not UUIDs (paper attempts, test fixtures). Verification ids (32
// lower-case hex digits, internal/phoneverify) and sheet codes (normalised to their one spelling
// before any read or write, internal/paper/sheets) have their own single forms.
func ParseID(s string) (uuid.UUID, bool) {
	id, err := uuid.Parse(s)
	if err != nil || id.String() != s {
		return uuid.UUID{}, false
	}
	return id, true
}
