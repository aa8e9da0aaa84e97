package dynamo

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/contest"
)

// Access patterns and the keys that serve them (one table, pk + sk):
//
//	list the unit tree                      Query   pk=UNITS
//	list quizzes / get one quiz             Query   pk=QUIZZES            / GetItem sk=QUIZ#<quizId>
//	submit (store once), read an attempt    PutItem (cond.) / GetItem pk=ATTEMPT#<attemptId> sk=A  (nothing at the start: the page holds a sealed start token)
//	regrade, disqualify, purge an attempt   Update (condition)    pk=ATTEMPT#<attemptId> sk=A
//	count an attempt once, claim a          Get / Update (cond.   pk=FIRST#<quizId>#<shard 0..15: FNV-1a of identity> sk=<identity>
//	  participant's first attempt (ledger)    on version v)         (one entry a_<attemptId>_<gv> per counted grade)
//	read a village's counters               Query                 pk=CTR#<quizId>#<unitId> sk=M#<YYYY-MM>
//	add a stream batch to a counter once    Update ADD (cond. on  pk=CTR#<quizId>#<unitId> sk=M#<YYYY-MM>
//	                                          ck_<lane> < first seq) (per-lane checkpoints, pruned after 24 h)
//	log / list a unit's activities by date  Put / Query BETWEEN   pk=ACT#<unitId> sk=<YYYY-MM-DD>#<activityId>
//	take one of a person's round entries    Update (condition)    pk=ENTRY#<quizId>#<roundId>#<person> sk=E
//	tie a citizen id to one person          Transact Put (cond.)  pk=CCCD#<quizId>#<cccdKey> sk=C
//	  and that person to one citizen id       (same transaction)  pk=PCCCD#<quizId>#<person> sk=C
//	is this phone a staff account's         GetItem               pk=STAFF#<person> sk=S
//	count a phone's codes sent in a window  Update (condition)    pk=VRATE#<key> sk=W#<window start, unix s>
//	  (key: <person>.src.<source> per 15 min,                     (attempts.Service.phoneSlots)
//	  <…>.day per day, <person>.day per day)
//	send, try, confirm a phone code         Put / Update (cond.)  pk=VERIFY#<verificationId> sk=V
//	check a phone token at a start          GetItem               pk=VERIFY#<verificationId> sk=V
//	a round's entries, best score first     Query index ByRound   rk=ROUND#<quizId>#<roundId>#<shard 0..15>
//	                                                              rs=<0 ranked|1 not>#<999999−score‰>#<prediction>#<attemptId>
//	                                                              (prediction: 16 hex digits of int64 offset binary)
//	a score group, nearest the truth first  Query ByRound, per    rs BETWEEN <group>#<truth> AND <group>#~ (forward)
//	  (close, ranking: prediction distance)   shard, both ways    rs BETWEEN <group># AND <group>#<truth> (backward)
//	the next score group of a shard         Query ByRound Limit 1 rs BETWEEN <group>$ AND 0#~ ($ follows #)
//	a round's statistics (summed on read)   BatchGet / Update     pk=RSTAT#<quizId>#<roundId>#<shard> sk=S
//	count an entry in its round once        Put / Update (cond.)  pk=RAPPLIED#<attemptId> sk=A
//	count a person in a round once          Put (condition)       pk=RFIRST#<quizId>#<roundId>#<person> sk=F
//	a round's flag evidence: add a batch's  Update ADD (String    pk=RFEV#<quizId>#<roundId>#<P person|D device|B answers hash@10-min slot>#<group> sk=V
//	  members to a group, read it back        Set, cond. not full)  (members m until contest.EvidenceCap, then only a count c; flags.go)
//	a round's answer counts (identical-     Update ADD per batch  pk=RFCNT#<quizId>#<roundId>#<shard 0..15> sk=C  (n, a:<answer key>)
//	  answers rule), summed on read           / BatchGet          (a batch adds to its first entry's shard; flagcounts.go)
//	a round's entries per 10-min slot of    Update ADD per batch  pk=RFWIN#<quizId>#<roundId>#<UTC day since epoch>#<shard 0..15> sk=W
//	  a day, summed on read                   / BatchGet          (s<slot of the day 0..143>; read only when a burst can flag)
//	a round's flags (every entry)           BatchWrite / Query    pk=RFLAG#<quizId>#<roundId>#<shard 0..15> sk=<attemptId>#<kind>
//	a round's frozen results                Put / Get / Update    pk=RESULT#<quizId>#<roundId> sk=R
//	a contest's disqualifications           Put / Query           pk=DECISION#<quizId> sk=<time>#<attemptId>
//	count starts / codes per source, window Update ADD            pk=RL#<src|vfy>#<keyed hash>#<window start, unix s> sk=R  (TTL; a client's count rides in its sealed client token)
//	the deployment's SMS in an hour (budget) Update ADD           pk=RL#sms#all#<hour start, unix s> sk=R  (TTL; one item an hour for the whole deployment)
//	the attempts of a quiz (regrade, purge, Query per shard       pk=FIRST#<quizId>#<shard 0..15>: the ledgers list every
//	  rebuild), then BatchGet by key          (consistent)          aggregated attempt and grade version (no write of its own;
//	                                                                an attempt not yet aggregated is not there yet)
//	the phone verifications of a quiz       Query index ByQuiz    qk=QVER#<quizId>#<shard 0..15> qs=<createdAt ms>#<verificationId>
//	a quiz's counters and ledgers (rebuild) Query per village     pk=CTR#<quizId>#<unitId>; each ledger of its attempts put whole
//	a regrade job and its checkpoints       Put / Get / Update    pk=RJOB#<quizId> sk=<jobId>
//	open regrade jobs (maintenance picks)   Query / Delete        pk=RJOBS sk=<quizId>#<jobId>  (a handful at most)
//	verifications without qk                Scan, filter e=…      (BackfillQuizIndex: once, infra/rebuild -backfill-index)
//	every attempt, counter or ledger        Scan, filter e=…      (SubmittedAttempts / ReplaceCounters in counters.go:
//	                                                              tests and the whole-table repair rebuild only)
//	a print of paper sheets and its codes   Put (cond.) / GetItem pk=PRINT#<printId> sk=P
//	a paper sheet by its short code         Put (cond.) / GetItem pk=SHEET#<code> sk=S
//	enter a sheet once                      Transact: Update SHEET#<code> (cond. not entered)
//	                                          + Put ATTEMPT#paper-<code> (cond. absent)
//	                                          + Update ADD ACT#<unitId> sk=<date>#sheets-<channel>-<user> (entry session)
//	correct an entered sheet                Transact: Update SHEET#<code> (cond. hash as read, history appended)
//	                                          + Put ATTEMPT#paper-<code> (cond. gv as read)
//	a random sample (samples.go)            Transact Put (cond.   pk=SAMPLE#<sampleId> sk=S
//	  and its entry in the quiz's list        absent) / Get / Upd.  + pk=QSAMPLES#<quizId> sk=<sampleId>
//	a quiz's samples (list, purge)          Query                 pk=QSAMPLES#<quizId>
//	  its frame, per village in chunks      BatchWrite / Query     pk=SAMPLE#<sampleId> sk=F#<frame sha256>#<unitId>#<chunk 0000>
//	    (a new frame goes under its own hash, so a draw never reads a half-written one)
//	  its drawn codes, outcome or response  BatchWrite / Update    pk=SAMPLE#<sampleId> sk=C#<code>
//	    (cond. drawn, and no response; a response: no outcome nor response) / Query begins_with C#
//
// Hot writes go to partitions keyed by attempt, identity or village, never to one
// partition per quiz, so a province-wide contest spreads over thousands of partitions.
// A flag evidence group of a popular wrong answer sequence and a round's flag counts are
// the shared items: the aggregator writes each once per stream batch, not once per
// entry, and the counts in the shard of the batch's first entry.
// Small read-mostly lists (units, quizzes) share a partition and are cached in Lambda.

// Attribute names used in key conditions, filters and updates; item structs name the rest.
const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrEntity = "e"
	attrTTL    = "ttl"
	attrGV     = "gv"
	attrRK     = "rk"
	attrRS     = "rs"
	attrQK     = "qk"
	attrQS     = "qs"
)

// Entity names, stored in attribute "e": scans filter on them and AttemptFromItem
// recognises attempts in stream records by them.
const (
	entityUnit         = "unit"
	entityQuiz         = "quiz"
	entityAttempt      = "attempt"
	entityApplied      = "applied" // both the counter and the round markers
	entityFirst        = "first"
	entityCounter      = "counter"
	entityActivity     = "activity"
	entityEntry        = "entry"
	entityCCCD         = "cccd"
	entityPersonCCCD   = "personcccd"
	entityStaff        = "staff"
	entityResults      = "results"
	entityDecision     = "decision"
	entityRoundStat    = "roundstat"
	entityRoundFirst   = "roundfirst"
	entityVRate        = "verifyrate"
	entityVerify       = "verification"
	entityRegradeJob   = "regradejob"
	entityOpenJob      = "openjob"
	entityPrint        = "print"
	entitySheet        = "sheet"
	entityFlag         = "flag"
	entityFlagEvidence = "flagevidence"
	entityFlagCount    = "flagcount"
	entityFlagSlots    = "flagslots"
	entitySample       = "sample"
	entitySampleFrame  = "sampleframe"
	entitySampleCode   = "samplecode"
	entitySampleRef    = "sampleref"
)

// Key prefixes and fixed sort keys.
const (
	unitsPK   = "UNITS"
	quizzesPK = "QUIZZES"
	singleSK  = "A"

	prefixUnit       = "UNIT#"
	prefixQuiz       = "QUIZ#"
	prefixAttempt    = "ATTEMPT#"
	prefixApplied    = "APPLIED#"
	prefixFirst      = "FIRST#"
	prefixCounter    = "CTR#"
	prefixMonth      = "M#"
	prefixActivity   = "ACT#"
	prefixEntry      = "ENTRY#"
	prefixCCCD       = "CCCD#"
	prefixPersonCCCD = "PCCCD#"
	prefixStaff      = "STAFF#"
	prefixRound      = "ROUND#"
	prefixRoundStat  = "RSTAT#"
	prefixRoundApply = "RAPPLIED#"
	prefixRoundFirst = "RFIRST#"
	prefixResult     = "RESULT#"
	prefixDecision   = "DECISION#"
	prefixRateLimit  = "RL#"
	prefixVRate      = "VRATE#"
	prefixVerify     = "VERIFY#"
	prefixQuizVer    = "QVER#"
	prefixRegradeJob = "RJOB#"
	openJobsPK       = "RJOBS"
	prefixPrint      = "PRINT#"
	prefixSheet      = "SHEET#"
	prefixFlag       = "RFLAG#"
	prefixEvidence   = "RFEV#"
	evidenceSK       = "V"
	prefixFlagCount  = "RFCNT#"
	prefixFlagSlots  = "RFWIN#"
	prefixSample     = "SAMPLE#"
	prefixQuizSample = "QSAMPLES#"
	flagCountSK      = "C"
	flagSlotsSK      = "W"

	firstSK   = "F"
	entrySK   = "E"
	cccdSK    = "C"
	staffSK   = "S"
	roundStSK = "S"
	resultSK  = "R"
	rateSK    = "R"
	verifySK  = "V"
	windowSK  = "W#"

	// Sort-key prefixes of a round's index entries: ranked sort before unranked.
	rankedPrefix   = "0#"
	unrankedPrefix = "1#"
)

// RoundShards spreads a round's entries over this many index partitions; readers merge
// them. 16 partitions take ~16,000 writes/s, far above a province's peak.
const RoundShards = 16

// IndexByRound is the name of the contest entries index in template.yaml.
const IndexByRound = "ByRound"

// QuizShards spreads a quiz's phone verifications over this many ByQuiz index
// partitions. Readers walk the shards one after another.
const QuizShards = 16

// LedgerShards spreads a quiz's participant ledgers (FIRST#) over this many partitions,
// by a hash of the identity: a 3,000 submits/s surge writes ~190 ledgers/s on each
// (one write per submitted attempt, a regrade one more), a fifth of the 1,000
// writes/s a partition takes, and a walk of a quiz's attempts reads 16 partitions.
const LedgerShards = 16

// IndexByQuiz is the name of the per-quiz attempts and verifications index.
const IndexByQuiz = "ByQuiz"

// shardOf hashes a random id onto 0..n-1.
func shardOf(id string, n int) int {
	h := 0
	for i := 0; i < len(id); i++ {
		h = h*31 + int(id[i])
	}
	if h < 0 {
		h = -h
	}
	return h % n
}

func quizVerifyPK(quizID string, shard int) string {
	return prefixQuizVer + quizID + "#" + strconv.Itoa(shard)
}
func regradeJobKey(quizID, jobID string) (pk, sk string) { return prefixRegradeJob + quizID, jobID }
func openJobKey(quizID, jobID string) (pk, sk string)    { return openJobsPK, quizID + "#" + jobID }

func entryKey(quizID, roundID, person string) (pk, sk string) {
	return prefixEntry + quizID + "#" + roundID + "#" + person, entrySK
}
func cccdKey(quizID, key string) (pk, sk string) { return prefixCCCD + quizID + "#" + key, cccdSK }
func staffKey(person string) (pk, sk string)     { return prefixStaff + person, staffSK }
func verifyKey(id string) (pk, sk string)        { return prefixVerify + id, verifySK }
func verifyRateKey(key string, window time.Time) (pk, sk string) {
	return prefixVRate + key, windowSK + strconv.FormatInt(window.Unix(), 10)
}

func personCCCDKey(quizID, person string) (pk, sk string) {
	return prefixPersonCCCD + quizID + "#" + person, cccdSK
}

// roundShard picks the index partition of an attempt from its random id.
func roundShard(attemptID string) int { return shardOf(attemptID, RoundShards) }

func roundPK(quizID, roundID string, shard int) string {
	return prefixRound + quizID + "#" + roundID + "#" + strconv.Itoa(shard)
}

// roundSK orders a round's entries: ranked first, then by score (per mille of the
// maximum, high first), then by prediction (low first), then by id. The prediction is in
// the key so that the close can read a score group outwards from the truth, known only
// then, instead of reading the whole group.
func roundSK(ranked bool, scorePermille int, prediction int64, attemptID string) string {
	return roundScoreGroup(ranked, 999999-scorePermille) + "#" + predictionKey(prediction) + "#" + attemptID
}

// roundScoreGroup is the sort-key prefix every entry of one score shares; inverted is
// 999999 − score‰, so better scores sort first.
func roundScoreGroup(ranked bool, inverted int) string {
	prefix := unrankedPrefix
	if ranked {
		prefix = rankedPrefix
	}
	return fmt.Sprintf("%s%06d", prefix, inverted)
}

// scoreGroupLen is the length of roundScoreGroup's strings ("0#" and six digits).
const scoreGroupLen = 8

// predictionKey writes a prediction so that string order is numeric order, negative
// numbers included: offset binary (the sign bit flipped), 16 lower-case hex digits.
func predictionKey(p int64) string {
	return fmt.Sprintf("%016x", uint64(p)^(1<<63))
}

// predictionOfRoundSK reads the prediction back from a round sort key; a key of the
// short form <group>#<attemptId> (no prediction) is refused, whatever the id looks like.
func predictionOfRoundSK(rs string) (int64, bool) {
	const from = scoreGroupLen + 1
	if len(rs) < from+17 || rs[scoreGroupLen] != '#' || rs[from+16] != '#' {
		return 0, false
	}
	u, err := strconv.ParseUint(rs[from:from+16], 16, 64)
	if err != nil {
		return 0, false
	}
	return int64(u ^ (1 << 63)), true
}

func roundStatKey(quizID, roundID string, shard int) (pk, sk string) {
	return prefixRoundStat + quizID + "#" + roundID + "#" + strconv.Itoa(shard), roundStSK
}
func roundAppliedKey(attemptID string) (pk, sk string) { return prefixRoundApply + attemptID, singleSK }
func roundFirstKey(quizID, roundID, person string) (pk, sk string) {
	return prefixRoundFirst + quizID + "#" + roundID + "#" + person, firstSK
}
func resultKey(quizID, roundID string) (pk, sk string) {
	return prefixResult + quizID + "#" + roundID, resultSK
}
func decisionPK(quizID string) string { return prefixDecision + quizID }
func decisionKey(quizID, at, attemptID string) (pk, sk string) {
	return decisionPK(quizID), at + "#" + attemptID
}

// rateKey is one source's start (src) or code (vfy) counter in one window: a partition per key
// per window, so no partition is hot. key is a keyed hash, never a raw address or id.
func rateKey(scope, key string, windowStart int64) (pk, sk string) {
	return prefixRateLimit + scope + "#" + key + "#" + strconv.FormatInt(windowStart, 10), rateSK
}

// rateDayKey is one source's start counter in one day (Vietnam time), its windows inside
// (CountStartDay): "D" keeps it apart from a window's item that starts at the same second.
func rateDayKey(scope, key string, dayStart int64) (pk, sk string) {
	return prefixRateLimit + scope + "#" + key + "#D" + strconv.FormatInt(dayStart, 10), rateSK
}

func unitKey(id string) (pk, sk string)    { return unitsPK, prefixUnit + id }
func quizKey(id string) (pk, sk string)    { return quizzesPK, prefixQuiz + id }
func attemptKey(id string) (pk, sk string) { return prefixAttempt + id, singleSK }

// ledgerKey is a participant's ledger on a quiz: a partition per quiz shard and an item
// per identity, so that the quiz's ledgers, read shard by shard, list its attempts.
func ledgerKey(quizID, identity string) (pk, sk string) {
	return ledgerPK(quizID, ledgerShard(identity)), identity
}

// ledgerShard hashes an identity with FNV-1a: unlike shardOf's multiplier 31 (-1 modulo
// 16), every byte moves every bit, so identities that differ in a digit or two (legacy
// "attempt:<id>" keys, a benchmark's "p<n>") spread evenly too.
func ledgerShard(identity string) int {
	h := fnv.New32a()
	h.Write([]byte(identity))
	return int(h.Sum32() % LedgerShards)
}
func ledgerPK(quizID string, shard int) string {
	return prefixFirst + quizID + "#" + strconv.Itoa(shard)
}
func counterPK(quizID, unitID string) string { return prefixCounter + quizID + "#" + unitID }
func counterKey(quizID, unitID, month string) (pk, sk string) {
	return counterPK(quizID, unitID), prefixMonth + month
}

// flagPK is a shard of a round's flags; an entry's flags go to its round shard.
func flagPK(quizID, roundID string, shard int) string {
	return prefixFlag + quizID + "#" + roundID + "#" + strconv.Itoa(shard)
}
func flagKey(quizID, roundID, attemptID, kind string) (pk, sk string) {
	return flagPK(quizID, roundID, roundShard(attemptID)), attemptID + "#" + kind
}

// evidenceCodes shorten the rule in an evidence group's key.
var evidenceCodes = map[string]string{contest.FlagManyAttempts: "P", contest.FlagSharedDevice: "D", contest.FlagIdenticalBurst: "B"}

// flagEvidencePK is one evidence group of a round: a person, a device, or an answer
// sequence in one window; each is its own partition, written once per stream batch.
func flagEvidencePK(quizID, roundID, kind, group string) string {
	return prefixEvidence + quizID + "#" + roundID + "#" + evidenceCodes[kind] + "#" + group
}

// flagCountKey is one shard of a round's answer counts (flagcounts.go); a batch adds to
// the shard of its first entry.
func flagCountKey(quizID, roundID string, shard int) (pk, sk string) {
	return prefixFlagCount + quizID + "#" + roundID + "#" + strconv.Itoa(shard), flagCountSK
}

// flagSlotsKey is one shard of a round's entries per 10-minute slot of one UTC day (days
// since the epoch).
func flagSlotsKey(quizID, roundID string, day int64, shard int) (pk, sk string) {
	return prefixFlagSlots + quizID + "#" + roundID + "#" + strconv.FormatInt(day, 10) + "#" + strconv.Itoa(shard), flagSlotsSK
}

// dayOfSlotsPK reads the day back from a flagSlotsKey partition key; ok is false for any
// other key.
func dayOfSlotsPK(pk string) (day int64, ok bool) {
	rest, ok := strings.CutPrefix(pk, prefixFlagSlots)
	if !ok {
		return 0, false
	}
	rest = rest[:max(strings.LastIndexByte(rest, '#'), 0)] // drop the shard
	day, err := strconv.ParseInt(rest[strings.LastIndexByte(rest, '#')+1:], 10, 64)
	return day, err == nil
}

func printKey(id string) (pk, sk string)   { return prefixPrint + id, "P" }
func sheetKey(code string) (pk, sk string) { return prefixSheet + code, "S" }

// Keys of a random sample's items: all in the sample's partition (a sample is a few
// thousand codes at most), so one query reads it and one purge removes it.
const (
	sampleSK          = "S"
	sampleFramePrefix = "F#"
	sampleCodePrefix  = "C#"
)

func sampleRefKey(quizID, id string) (pk, sk string) { return prefixQuizSample + quizID, id }
func samplePK(id string) string                      { return prefixSample + id }
func sampleKey(id string) (pk, sk string)            { return samplePK(id), sampleSK }
func sampleCodeKey(id, code string) (pk, sk string)  { return samplePK(id), sampleCodePrefix + code }
func sampleFramePrefixOf(hash string) string         { return sampleFramePrefix + hash + "#" }
func sampleFrameSK(hash, unitID string, chunk int) string {
	return fmt.Sprintf("%s%s#%04d", sampleFramePrefixOf(hash), unitID, chunk)
}

func activityPK(unitID string) string { return prefixActivity + unitID }
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
