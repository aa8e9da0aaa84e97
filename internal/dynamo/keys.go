package dynamo

// Access patterns and the keys that serve them (one table, pk + sk):
//
//	list the unit tree                      Query   pk=UNITS
//	list quizzes / get one quiz             Query   pk=QUIZZES            / GetItem sk=QUIZ#<quizId>
//	start, submit, read an attempt          PutItem / UpdateItem / GetItem pk=ATTEMPT#<attemptId> sk=A
//	apply an attempt to counters once       Put (condition)       pk=APPLIED#<attemptId> sk=A
//	claim a participant's first attempt     Put (condition)       pk=FIRST#<quizId>#<identity> sk=F
//	read/update a village's counters        Query / Update        pk=CTR#<quizId>#<unitId> sk=M#<YYYY-MM>
//
// Hot writes go to partitions keyed by attempt, identity or village, never to one
// partition per quiz, so a province-wide contest spreads over thousands of partitions.
// Small read-mostly lists (units, quizzes) share a partition and are cached in Lambda.

const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrEntity = "e"
	attrTTL    = "ttl"

	entityUnit    = "unit"
	entityQuiz    = "quiz"
	entityAttempt = "attempt"
	entityApplied = "applied"
	entityFirst   = "first"
	entityCounter = "counter"

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
