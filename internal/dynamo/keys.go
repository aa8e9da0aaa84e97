package dynamo

import (
	"fmt"
	"strconv"
)

// Access patterns and the keys that serve them (one table, pk + sk):
//
//	list the unit tree                      Query   pk=UNITS
//	list quizzes / get one quiz             Query   pk=QUIZZES            / GetItem sk=QUIZ#<quizId>
//	start, submit, read an attempt          PutItem / UpdateItem / GetItem pk=ATTEMPT#<attemptId> sk=A
//	apply an attempt to counters once       Put (condition)       pk=APPLIED#<attemptId> sk=A
//	claim a participant's first attempt     Put (condition)       pk=FIRST#<quizId>#<identity> sk=F
//	read/update a village's counters        Query / Update        pk=CTR#<quizId>#<unitId> sk=M#<YYYY-MM>
//	log / list a unit's activities by date  Put / Query BETWEEN   pk=ACT#<unitId> sk=<YYYY-MM-DD>#<activityId>
//	take one of a person's round entries    Update (condition)    pk=ENTRY#<quizId>#<roundId>#<person> sk=E
//	tie a citizen id to one person          Put (condition)       pk=CCCD#<quizId>#<cccdKey> sk=C
//	is this phone a staff account's         GetItem               pk=STAFF#<person> sk=S
//	a round's entries, best score first     Query index ByRound   rk=ROUND#<quizId>#<roundId>#<shard 0..15>
//	                                                              rs=<0 ranked|1 not>#<999999−score‰>#<attemptId>
//	a round's statistics (summed on read)   BatchGet / Update     pk=RSTAT#<quizId>#<roundId>#<shard> sk=S
//	count an entry in its round once        Put (condition)       pk=RAPPLIED#<attemptId> sk=A
//	count a person in a round once          Put (condition)       pk=RFIRST#<quizId>#<roundId>#<person> sk=F
//	a round's frozen results                Put (condition) / Get pk=RESULT#<quizId>#<roundId> sk=R
//	a contest's disqualifications           Put / Query           pk=DECISION#<quizId> sk=<time>#<attemptId>
//
// Hot writes go to partitions keyed by attempt, identity or village, never to one
// partition per quiz, so a province-wide contest spreads over thousands of partitions.
// Small read-mostly lists (units, quizzes) share a partition and are cached in Lambda.

const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrEntity = "e"
	attrTTL    = "ttl"

	entityUnit     = "unit"
	entityQuiz     = "quiz"
	entityAttempt  = "attempt"
	entityApplied  = "applied"
	entityFirst    = "first"
	entityCounter  = "counter"
	entityActivity = "activity"

	unitsPK   = "UNITS"
	quizzesPK = "QUIZZES"
	singleSK  = "A"
)

// RoundShards spreads a round's entries over this many index partitions; readers merge
// them. 16 partitions take ~16,000 writes/s, far above a province's peak.
const RoundShards = 16

// IndexByRound is the name of the contest entries index in template.yaml.
const IndexByRound = "ByRound"

func entryKey(quizID, roundID, person string) (pk, sk string) {
	return "ENTRY#" + quizID + "#" + roundID + "#" + person, "E"
}
func cccdKey(quizID, key string) (pk, sk string) { return "CCCD#" + quizID + "#" + key, "C" }
func staffKey(person string) (pk, sk string)     { return "STAFF#" + person, "S" }

// roundShard picks the index partition of an attempt from its random id.
func roundShard(attemptID string) int {
	h := 0
	for i := 0; i < len(attemptID); i++ {
		h = h*31 + int(attemptID[i])
	}
	if h < 0 {
		h = -h
	}
	return h % RoundShards
}

func roundPK(quizID, roundID string, shard int) string {
	return "ROUND#" + quizID + "#" + roundID + "#" + strconv.Itoa(shard)
}

// roundSK orders a round's entries: ranked first, then by score (per mille of the
// maximum, high first), then by id.
func roundSK(ranked bool, scorePermille int, attemptID string) string {
	prefix := "1#"
	if ranked {
		prefix = "0#"
	}
	return fmt.Sprintf("%s%06d#%s", prefix, 999999-scorePermille, attemptID)
}

func roundStatKey(quizID, roundID string, shard int) (pk, sk string) {
	return "RSTAT#" + quizID + "#" + roundID + "#" + strconv.Itoa(shard), "S"
}
func roundAppliedKey(attemptID string) (pk, sk string) { return "RAPPLIED#" + attemptID, singleSK }
func roundFirstKey(quizID, roundID, person string) (pk, sk string) {
	return "RFIRST#" + quizID + "#" + roundID + "#" + person, "F"
}
func resultKey(quizID, roundID string) (pk, sk string) {
	return "RESULT#" + quizID + "#" + roundID, "R"
}
func decisionPK(quizID string) string { return "DECISION#" + quizID }
func decisionKey(quizID, at, attemptID string) (pk, sk string) {
	return decisionPK(quizID), at + "#" + attemptID
}

func unitKey(id string) (pk, sk string)    { return unitsPK, "UNIT#" + id }
func quizKey(id string) (pk, sk string)    { return quizzesPK, "QUIZ#" + id }
func attemptKey(id string) (pk, sk string) { return "ATTEMPT#" + id, singleSK }
func appliedKey(attemptID string) (pk, sk string) {
	return "APPLIED#" + attemptID, singleSK
}
func firstKey(quizID, identity string) (pk, sk string) {
	return "FIRST#" + quizID + "#" + identity, "F"
}
func counterPK(quizID, unitID string) string { return "CTR#" + quizID + "#" + unitID }
func counterKey(quizID, unitID, month string) (pk, sk string) {
	return counterPK(quizID, unitID), "M#" + month
}

func activityPK(unitID string) string { return "ACT#" + unitID }
func activityKey(unitID, date, id string) (pk, sk string) {
	return activityPK(unitID), date + "#" + id
}

// activityRange returns the sort-key bounds of the activities dated from..to inclusive:
// "~" sorts after "#" and every id character, so the whole last day is included, and an
// empty to gives "~", after every date. An empty lo means no lower bound; the query then
// drops it, since DynamoDB refuses an empty string in a key condition.
func activityRange(from, to string) (lo, hi string) {
	return from, to + "~"
}
