package dynamo

// Access patterns and the keys that serve them (one table, pk + sk):
//
//	list the unit tree                      Query   pk=UNITS
//	list quizzes / get one quiz             Query   pk=QUIZZES            / GetItem sk=QUIZ#<quizId>
//	start, submit, read an attempt          PutItem / UpdateItem / GetItem pk=ATTEMPT#<attemptId> sk=A
//	apply an attempt to counters once       Put (condition)       pk=APPLIED#<attemptId> sk=A
//	claim a participant's first attempt     Put (condition)       pk=FIRST#<quizId>#<identity> sk=F
//	read/update a village's counters        Query / Update        pk=CTR#<quizId>#<unitId> sk=M#<YYYY-MM>
//	log / list a unit's activities by date  Put / Query BETWEEN   pk=ACT#<unitId> sk=<YYYY-MM-DD>#<activityId>
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
