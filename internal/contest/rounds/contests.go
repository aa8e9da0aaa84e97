// Package rounds runs a contest's rounds for organisers: closing a round into a frozen,
// digested results snapshot, the public masked results, winners and entries exports,
// integrity flags and disqualifications. The rules themselves live in package contest.
package rounds

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
	"github.com/nq58/tracker/internal/usertext"
)

// Store is what contests need from storage.
type Store interface {
	ListUnits(ctx context.Context) ([]units.Unit, error)
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
	GetAttempt(ctx context.Context, id string) (quiz.Attempt, error)
	// TopEntries reads a round's ranked entries best score first until it has `persons`
	// distinct persons and then to the end of that score group (persons ≤ 0: all).
	TopEntries(ctx context.Context, quizID, roundID string, persons int) ([]quiz.Attempt, error)
	// TopEntriesNearTruth reads a round's ranked entries by score, then prediction
	// distance to truth, until it has `persons` distinct persons and then to the end of
	// that (score, distance) group (persons ≤ 0: all).
	TopEntriesNearTruth(ctx context.Context, quizID, roundID string, truth int64, persons int) ([]quiz.Attempt, error)
	// RoundPage returns a page of every entry of a round and the next cursor ("" at the end).
	RoundPage(ctx context.Context, quizID, roundID, cursor string, limit int) ([]quiz.Attempt, string, error)
	RoundStats(ctx context.Context, quizID, roundID string) (contest.RoundStats, error)
	// PutResults stores a round's results once; a second close is a conflict.
	PutResults(ctx context.Context, r contest.Results) error
	// GetResults returns a round's results, or a NotFound error before it closes.
	GetResults(ctx context.Context, quizID, roundID string) (contest.Results, error)
	// PurgeResults removes personal details from a round's frozen results (the digest
	// does not cover them).
	PurgeResults(ctx context.Context, r contest.Results) error
	// Disqualify takes an entry out of the ranking and records the decision.
	Disqualify(ctx context.Context, a quiz.Attempt, d contest.Decision) error
	// Keep records that a flagged entry stays in the ranking.
	Keep(ctx context.Context, d contest.Decision) error
	ListDecisions(ctx context.Context, quizID string) ([]contest.Decision, error)
	// RoundFlags reads every flag the aggregator wrote for a round's entries.
	RoundFlags(ctx context.Context, quizID, roundID string) ([]contest.EntryFlag, error)
	// GetAttempts reads attempts by id; ids not found are left out.
	GetAttempts(ctx context.Context, ids []string) ([]quiz.Attempt, error)
}

// Service runs contest rounds.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the rounds service; now is the clock (time.Now in production).
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// contestInScope loads a contest on which the access policy allows act.
func (s *Service) contestInScope(ctx context.Context, staff auth.Staff, quizID string, act auth.Action) (quiz.Quiz, *units.Tree, error) {
	q, tree, err := auth.LoadQuiz(ctx, s.store, staff, act, quizID)
	if err != nil {
		return quiz.Quiz{}, nil, err
	}
	if q.Kind != quiz.KindContest || q.Contest == nil {
		return quiz.Quiz{}, nil, auth.OutOfScope()
	}
	return q, tree, nil
}

func rootOf(tree *units.Tree, id string) string {
	anc := tree.Ancestors(id)
	if len(anc) == 0 {
		return id
	}
	return anc[len(anc)-1].ID
}

// CloseResult answers a close.
type CloseResult struct {
	Digest  string `json:"digest"`
	Entries int64  `json:"entries"`
	Truth   int64  `json:"truth"`
}

// CloseRound freezes a round after its closing time: the prediction's true value, the
// ranking read from the top of the index only as far as the prizes need, the prizes
// (with the cap and one prize per person across rounds), the collective prizes, and a
// SHA-256 digest of all of it.
func (s *Service) CloseRound(ctx context.Context, staff auth.Staff, quizID, roundID string) (CloseResult, error) {
	q, tree, err := s.contestInScope(ctx, staff, quizID, auth.RunContest)
	if err != nil {
		return CloseResult{}, err
	}
	cfg := q.Contest.Normalized()
	round, ok := cfg.Round(roundID)
	if !ok {
		return CloseResult{}, auth.OutOfScope()
	}
	now := s.now().UTC()
	if allowed := quiz.ResultsAfter(round); now.Before(allowed) {
		// The grace lets entries in flight at the end arrive; say when closing is allowed.
		return CloseResult{}, apperr.Errorf(apperr.Conflict, "Vòng thi chưa kết thúc (đóng lúc %s); chốt được kết quả từ %s",
			round.ClosesAt.In(quiz.VietnamTime).Format("15:04 02/01/2006"), allowed.In(quiz.VietnamTime).Format("15:04:05 02/01/2006"))
	}
	if _, err := s.store.GetResults(ctx, quizID, roundID); err == nil {
		return CloseResult{}, apperr.Errorf(apperr.Conflict, "Vòng thi đã được đóng và công bố")
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return CloseResult{}, err
	}
	stats, err := s.store.RoundStats(ctx, quizID, roundID)
	if err != nil {
		return CloseResult{}, err
	}
	truth := contest.Truth(cfg.Prediction.Truth, stats.Entries, stats.Persons, stats.Perfect)

	won := map[string]bool{}
	if cfg.OnePrize() {
		for _, other := range cfg.Rounds {
			if other.ID == roundID {
				continue
			}
			prev, err := s.store.GetResults(ctx, quizID, other.ID)
			if apperr.CodeOf(err) == apperr.NotFound {
				continue
			}
			if err != nil {
				return CloseResult{}, err
			}
			for _, l := range prev.Lines {
				if l.Tier != "" {
					won[l.Person] = true
				}
			}
		}
	}
	places := cfg.TopN
	for _, p := range cfg.Prizes {
		places += p.Count
	}
	attempts, err := s.topEntries(ctx, cfg, quizID, roundID, truth, places+len(won))
	if err != nil {
		return CloseResult{}, err
	}
	byID := make(map[string]quiz.Attempt, len(attempts))
	entries := make([]contest.Entry, 0, len(attempts))
	for _, a := range attempts {
		byID[a.ID] = a
		entries = append(entries, entryOf(a))
	}
	ranked := contest.Rank(entries, truth, cfg.Ranking)
	var alreadyWon map[string]bool
	if cfg.OnePrize() {
		alreadyWon = won
	}
	ranked = contest.AwardPrizes(ranked, cfg.Prizes, cfg.PrizeCapPercent, int(stats.Persons), alreadyWon, cfg.MinPrizeScore)
	r := contest.Results{QuizID: quizID, RoundID: roundID, ClosedAt: now, ClosedBy: staff.Username, Truth: truth,
		Entries: stats.Entries, Participants: stats.Persons, PerfectEntries: stats.Perfect}
	for i, rk := range ranked {
		if i >= cfg.TopN && rk.Tier == "" {
			continue
		}
		a := byID[rk.AttemptID]
		r.Lines = append(r.Lines, contest.Line{Ranked: rk, Name: a.Participant.Name, Phone: a.Participant.Phone,
			CCCD: a.Participant.CCCD, Organization: a.Participant.Organization})
	}
	scope := q.ScopeUnitID
	if scope == "" {
		scope = rootOf(tree, staff.ScopeUnitID)
	}
	population := map[string]int64{}
	for _, id := range tree.Leaves(scope) {
		u, _ := tree.Get(id)
		population[id] = int64(u.Population)
	}
	r.Collective = contest.RankUnits(stats.PersonsByUnit, population, cfg.Collective)
	for id, n := range stats.PersonsByUnit {
		u, _ := tree.Get(id)
		r.ByUnit = append(r.ByUnit, contest.UnitCount{UnitID: id, Label: u.Name, Entrants: n})
	}
	slices.SortFunc(r.ByUnit, func(a, b contest.UnitCount) int {
		if a.Entrants != b.Entrants {
			return int(b.Entrants - a.Entrants)
		}
		return strings.Compare(a.UnitID, b.UnitID)
	})
	if r.Digest, err = digestOf(r); err != nil {
		return CloseResult{}, err
	}
	if err := s.store.PutResults(ctx, r); err != nil {
		return CloseResult{}, err
	}
	return CloseResult{Digest: r.Digest, Entries: r.Entries, Truth: truth}, nil
}

// topEntries reads the fewest entries from which contest.Rank gives exactly the first
// `persons` places of the whole round's ranking by cfg's criteria: outwards from the
// truth when the prediction distance follows the score, else whole score groups from
// the top while the score leads, else every entry.
func (s *Service) topEntries(ctx context.Context, cfg contest.Config, quizID, roundID string, truth int64, persons int) ([]quiz.Attempt, error) {
	switch {
	case contest.ScoreThenDistance(cfg.Ranking):
		return s.store.TopEntriesNearTruth(ctx, quizID, roundID, truth, persons)
	case len(cfg.Ranking) > 0 && cfg.Ranking[0] == contest.ByScore:
		return s.store.TopEntries(ctx, quizID, roundID, persons)
	default:
		return s.store.TopEntries(ctx, quizID, roundID, 0) // any entry may rank high
	}
}

// digestOf is the SHA-256 of a round's results without the digest itself and without
// personal details (names, phones, CCCD, organisations), which are purged after the
// contest: the digest must outlive them.
func digestOf(r contest.Results) (string, error) {
	r.Digest = ""
	lines := make([]contest.Line, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = contest.Line{Ranked: l.Ranked}
	}
	r.Lines = lines
	return contest.Digest(r)
}

// VerifyDigest recomputes a stored result's digest: a changed snapshot no longer matches.
func VerifyDigest(r contest.Results) (bool, error) {
	got, err := digestOf(r)
	return got == r.Digest, err
}

// PublicLine is an entry on the public results page: masked details only.
type PublicLine struct {
	Rank       int    `json:"rank"`
	Tier       string `json:"tier,omitempty"`
	Name       string `json:"name"`
	Unit       string `json:"unit"`
	Phone      string `json:"phone"`
	Score      int    `json:"score"`
	MaxScore   int    `json:"maxScore"`
	Prediction int64  `json:"prediction"`
	DurationMs int64  `json:"durationMs"`
}

// PublicResults is GET /v1/contests/{quizId}/rounds/{roundId}/results.
type PublicResults struct {
	QuizID     string               `json:"quizId"`
	RoundID    string               `json:"roundId"`
	RoundName  string               `json:"roundName"`
	Digest     string               `json:"digest"`
	Truth      int64                `json:"truth"`
	Entries    int64                `json:"entries"`
	Top        []PublicLine         `json:"top"`
	ByUnit     []contest.UnitCount  `json:"byUnit"`
	Collective []contest.UnitResult `json:"collective"`
}

// Public returns a closed round's results for everyone, masked.
func (s *Service) Public(ctx context.Context, quizID, roundID string) (PublicResults, error) {
	r, err := s.store.GetResults(ctx, quizID, roundID)
	if err != nil {
		return PublicResults{}, err
	}
	tree, err := units.LoadTree(ctx, s.store)
	if err != nil {
		return PublicResults{}, err
	}
	out := PublicResults{QuizID: quizID, RoundID: roundID, RoundName: roundID, Digest: r.Digest, Truth: r.Truth, Entries: r.Entries,
		ByUnit: r.ByUnit, Collective: r.Collective, Top: []PublicLine{}}
	if q, err := s.store.GetQuiz(ctx, quizID); err != nil {
		return PublicResults{}, err
	} else if q.Contest != nil {
		out.RoundName = roundName(*q.Contest, roundID)
	}
	for _, l := range r.Lines {
		out.Top = append(out.Top, masked(l, tree))
	}
	return out, nil
}

func masked(l contest.Line, tree *units.Tree) PublicLine {
	u, _ := tree.Get(l.UnitID)
	return PublicLine{Rank: l.Rank, Tier: l.Tier, Name: contest.MaskName(l.Name), Unit: u.Name, Phone: contest.MaskPhone(l.Phone),
		Score: l.Score, MaxScore: l.MaxScore, Prediction: l.Prediction, DurationMs: l.DurationMs}
}

// roundName is the name people read for a round of the contest (its id when unknown).
func roundName(c contest.Config, roundID string) string {
	if r, ok := c.Normalized().Round(roundID); ok {
		return r.Name
	}
	return roundID
}

// Winner is a line of the winners export.
type Winner struct {
	Rank         int       `json:"rank"`
	Tier         string    `json:"tier"`
	Amount       int64     `json:"amount"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	CCCD         string    `json:"cccd"`
	UnitID       string    `json:"unitId"`
	Unit         string    `json:"unit"`
	Organization string    `json:"organization"`
	Score        int       `json:"score"`
	Prediction   int64     `json:"prediction"`
	DurationMs   int64     `json:"durationMs"`
	SubmittedAt  time.Time `json:"submittedAt"`
}

// WinnersReport is the winners export.
type WinnersReport struct {
	QuizID     string               `json:"quizId"`
	RoundID    string               `json:"roundId"`
	RoundName  string               `json:"roundName"`
	Digest     string               `json:"digest"`
	Truth      int64                `json:"truth"`
	Masked     bool                 `json:"masked"`
	Winners    []Winner             `json:"winners"`
	Collective []contest.UnitResult `json:"collective"`

	// unitNames names the collective prize's villages in the export, beside their codes.
	unitNames map[string]string
}

// Winners returns a closed round's winners: full details for organisers and admins in
// scope, masked for officers.
func (s *Service) Winners(ctx context.Context, staff auth.Staff, quizID, roundID string) (WinnersReport, error) {
	q, tree, err := s.contestInScope(ctx, staff, quizID, auth.ViewContest)
	if err != nil {
		return WinnersReport{}, err
	}
	r, err := s.store.GetResults(ctx, quizID, roundID)
	if err != nil {
		return WinnersReport{}, err
	}
	full := auth.May(staff, auth.SeeContestPD, auth.QuizTarget(q), tree)
	out := WinnersReport{QuizID: quizID, RoundID: roundID, RoundName: roundName(*q.Contest, roundID), Digest: r.Digest, Truth: r.Truth, Masked: !full,
		Winners: []Winner{}, Collective: r.Collective, unitNames: map[string]string{}}
	for _, u := range r.Collective {
		if n, ok := tree.Get(u.UnitID); ok {
			out.unitNames[u.UnitID] = n.Name
		}
	}
	for _, l := range r.Lines {
		if l.Tier == "" {
			continue
		}
		u, _ := tree.Get(l.UnitID)
		w := Winner{Rank: l.Rank, Tier: l.Tier, Amount: l.Amount, Name: l.Name, Phone: l.Phone, CCCD: l.CCCD, UnitID: l.UnitID,
			Unit: u.Name, Organization: l.Organization, Score: l.Score, Prediction: l.Prediction, DurationMs: l.DurationMs, SubmittedAt: l.SubmittedAt}
		if !full {
			w.Name, w.Phone, w.CCCD = contest.MaskName(w.Name), contest.MaskPhone(w.Phone), contest.MaskCCCD(w.CCCD)
		}
		out.Winners = append(out.Winners, w)
	}
	return out, nil
}

// RankingPage is a page of a round's ranking, with the round's name and times so the
// organiser's page, which polls it, knows when closing becomes allowed.
type RankingPage struct {
	// Seal marks a provisional ranking shown without scores, ranks and tiers: to a reader
	// who may not see the contest's key while it is secret.
	quiz.Seal
	// Entries counts the round's entries (a count reveals no key).
	Entries    int64        `json:"entries,omitempty"`
	Final      bool         `json:"final"` // from the frozen results, else provisional
	Lines      []PublicLine `json:"lines"`
	NextCursor string       `json:"nextCursor,omitempty"`
	RoundName  string       `json:"roundName"`
	ClosesAt   time.Time    `json:"closesAt"`
	// CloseAllowedAt is the end plus the submit grace: the close is refused before.
	CloseAllowedAt time.Time `json:"closeAllowedAt"`
	// Now is the server's clock, so a page counts down from it, not from the device's.
	Now time.Time `json:"now"`
}

// Ranking returns the ranking of a round: the frozen one after close, else a provisional
// one (score, then the other criteria with the prediction truth so far).
func (s *Service) Ranking(ctx context.Context, staff auth.Staff, quizID, roundID string, limit int, cursor string) (RankingPage, error) {
	q, tree, err := s.contestInScope(ctx, staff, quizID, auth.ViewContest)
	if err != nil {
		return RankingPage{}, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset := 0
	if cursor != "" {
		var c rankingCursor
		if err := contest.DecodeCursor(cursor, &c); err != nil {
			return RankingPage{}, err
		}
		if c.Offset <= 0 || c.Offset > maxRankingOffset {
			return RankingPage{}, apperr.Errorf(apperr.Validation, "Con trỏ trang (cursor) không hợp lệ")
		}
		offset = c.Offset
	}
	var lines []contest.Line
	var seal quiz.Seal
	final, count := false, int64(0)
	if r, err := s.store.GetResults(ctx, quizID, roundID); err == nil {
		lines, final, count = r.Lines, true, r.Entries
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return RankingPage{}, err
	} else {
		cfg := q.Contest.Normalized()
		stats, err := s.store.RoundStats(ctx, quizID, roundID)
		if err != nil {
			return RankingPage{}, err
		}
		count = stats.Entries
		// While the key is secret, a reader who may not see it gets the count and no line:
		// a score, a rank or even a line's place is an oracle for the key when each entry
		// answers one question (issue 22), and the round's only index of entries is
		// ordered by score, so no page of lines can be cut from it without that order
		// showing through.
		if !auth.SeesKey(staff, q, tree, s.now()) {
			seal = quiz.SealOf(q)
		} else {
			truth := contest.Truth(cfg.Prediction.Truth, stats.Entries, stats.Persons, stats.Perfect)
			// One more person than the page tells whether a next page exists.
			attempts, err := s.topEntries(ctx, cfg, quizID, roundID, truth, offset+limit+1)
			if err != nil {
				return RankingPage{}, err
			}
			byID := map[string]quiz.Attempt{}
			var entries []contest.Entry
			for _, a := range attempts {
				byID[a.ID] = a
				entries = append(entries, entryOf(a))
			}
			for _, rk := range contest.Rank(entries, truth, cfg.Ranking) {
				a := byID[rk.AttemptID]
				lines = append(lines, contest.Line{Ranked: rk, Name: a.Participant.Name, Phone: a.Participant.Phone})
			}
		}
	}
	page := RankingPage{Seal: seal, Entries: count, Final: final, Lines: []PublicLine{}, RoundName: roundID, Now: s.now().UTC()}
	if round, ok := q.Contest.Normalized().Round(roundID); ok {
		page.RoundName, page.ClosesAt, page.CloseAllowedAt = round.Name, round.ClosesAt, quiz.ResultsAfter(round)
	}
	for i := offset; i < len(lines) && i < offset+limit; i++ {
		page.Lines = append(page.Lines, masked(lines[i], tree))
	}
	if offset+limit < len(lines) {
		page.NextCursor = contest.EncodeCursor(rankingCursor{Offset: offset + limit})
	}
	return page, nil
}

// rankingCursor is the position of a ranking page: the lines before it.
type rankingCursor struct {
	Offset int `json:"o"`
}

// maxRankingOffset bounds a ranking cursor far above any round's entrants, so no
// offset arithmetic can overflow.
const maxRankingOffset = 10_000_000

// EntriesPage is a page of the audit export of every entry of a round.
type EntriesPage struct {
	Entries    []quiz.Attempt
	NextCursor string
	RoundName  string            // what a person reads in the export's "Vòng" column
	UnitNames  map[string]string // the entries' villages by code, named beside the code
}

// EntriesPageSize keeps a CSV page near 1 MB, well under Lambda's 6 MB response limit.
const EntriesPageSize = 5000

// Entries returns a page of every entry of a round, for organisers and admins.
func (s *Service) Entries(ctx context.Context, staff auth.Staff, quizID, roundID, cursor string) (EntriesPage, error) {
	q, tree, err := s.contestInScope(ctx, staff, quizID, auth.RunContest)
	if err != nil {
		return EntriesPage{}, err
	}
	round, ok := q.Contest.Normalized().Round(roundID)
	if !ok {
		return EntriesPage{}, auth.OutOfScope()
	}
	list, next, err := s.store.RoundPage(ctx, quizID, roundID, cursor, EntriesPageSize)
	names := map[string]string{}
	for _, a := range list {
		if u, ok := tree.Get(a.Participant.UnitID); ok {
			names[u.ID] = u.Name
		}
	}
	return EntriesPage{Entries: list, NextCursor: next, RoundName: round.Name, UnitNames: names}, err
}

// Flag is an entry an organiser should look at before publishing.
type Flag struct {
	AttemptID string `json:"attemptId"`
	Kind      string `json:"kind"` // fast, identicalBurst, sharedDevice, manyAttempts
	Detail    string `json:"detail"`
	Name      string `json:"name"` // masked
	Score     int    `json:"score"`
	Rank      int    `json:"rank"`
	// Kept is the organiser's latest decision to keep the entry, if any: the flag is
	// reviewed, no longer pending.
	Kept *Kept `json:"kept,omitempty"`
}

// Kept is who kept a flagged entry, when and why.
type Kept struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// FreshPlaces is how many places of the provisional ranking the flags judge again at
// each read, from the entries themselves: the organiser page's first ranking page. The
// stream aggregator gathers entries for up to 20 s before it writes their flags
// (template.yaml, MaximumBatchingWindowInSeconds), longer than the page's 15 s refresh,
// so without this an entry could show in the ranking a refresh before its flag.
const FreshPlaces = 50

// Flags lists the ranked entries of a round flagged for review: implausibly fast,
// identical wrong answer sequences within ten minutes, several persons on one device,
// persons with many attempts. The stream aggregator decides them over every entry as
// it arrives (package contest's rules, internal/dynamo flags.go), so this reads the
// flags and their entries: its reads grow with the flags, not with the round. The rule
// that needs only the entry (fast) is also applied to the top FreshPlaces of the
// ranking as read now, so what the ranking shows is judged as fresh as it is shown.
// Entries no longer ranked (disqualified, late) are left out; kept ones say so.
func (s *Service) Flags(ctx context.Context, staff auth.Staff, quizID, roundID string) ([]Flag, error) {
	q, _, err := s.contestInScope(ctx, staff, quizID, auth.RunContest)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.RoundFlags(ctx, quizID, roundID)
	if err != nil {
		return nil, err
	}
	top, err := s.freshTop(ctx, q.Contest.Normalized(), quizID, roundID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]quiz.Attempt, len(top))
	seen := map[string]bool{}
	for _, f := range stored {
		seen[f.AttemptID+" "+f.Kind] = true
	}
	cfg := q.Contest.Normalized()
	for _, a := range top {
		byID[a.ID] = a
		f, ok := contest.FastFlag(cfg, contest.FlagEntry{AttemptID: a.ID, DurationMs: a.DurationMs, Questions: len(a.QuestionIDs)})
		if ok && !seen[f.AttemptID+" "+f.Kind] {
			stored = append(stored, f)
			seen[f.AttemptID+" "+f.Kind] = true
		}
	}
	var ids []string
	for _, f := range stored {
		if _, ok := byID[f.AttemptID]; !ok {
			ids = append(ids, f.AttemptID)
		}
	}
	slices.Sort(ids)
	attempts, err := s.store.GetAttempts(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	for _, a := range attempts {
		byID[a.ID] = a
	}
	kept := map[string]*Kept{}
	if len(stored) > 0 {
		decisions, err := s.store.ListDecisions(ctx, quizID)
		if err != nil {
			return nil, err
		}
		for _, d := range decisions { // oldest first: the latest keep wins
			if d.Keeps() && d.RoundID == roundID {
				kept[d.AttemptID] = &Kept{By: d.By, At: d.At, Reason: d.Reason}
			}
		}
	}
	flags := []Flag{}
	for _, f := range stored {
		a, ok := byID[f.AttemptID]
		if !ok || a.QuizID != quizID || a.RoundID != roundID || !a.Ranked {
			continue
		}
		flags = append(flags, Flag{AttemptID: a.ID, Kind: f.Kind, Detail: f.Detail, Name: contest.MaskName(a.Participant.Name), Score: a.Score,
			Kept: kept[a.ID]})
	}
	kinds := []string{contest.FlagFast, contest.FlagIdenticalBurst, contest.FlagSharedDevice, contest.FlagManyAttempts}
	slices.SortFunc(flags, func(a, b Flag) int {
		if a.Score != b.Score {
			return b.Score - a.Score // the entries nearest a prize first
		}
		if c := strings.Compare(a.AttemptID, b.AttemptID); c != 0 {
			return c
		}
		return slices.Index(kinds, a.Kind) - slices.Index(kinds, b.Kind)
	})
	return flags, nil
}

// freshTop reads the top FreshPlaces of a round's provisional ranking as Ranking reads
// them (none once the round is closed: the flags no longer change anything).
func (s *Service) freshTop(ctx context.Context, cfg contest.Config, quizID, roundID string) ([]quiz.Attempt, error) {
	if _, err := s.store.GetResults(ctx, quizID, roundID); err == nil {
		return nil, nil
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	stats, err := s.store.RoundStats(ctx, quizID, roundID)
	if err != nil {
		return nil, err
	}
	truth := contest.Truth(cfg.Prediction.Truth, stats.Entries, stats.Persons, stats.Perfect)
	return s.topEntries(ctx, cfg, quizID, roundID, truth, FreshPlaces)
}

// Disqualify takes an entry out of its round's ranking, before the round is closed,
// and records who decided, when and why.
func (s *Service) Disqualify(ctx context.Context, staff auth.Staff, quizID, attemptID, reason string) (contest.Decision, error) {
	a, d, err := s.decide(ctx, staff, quizID, attemptID, reason, contest.DecisionDisqualify)
	if err != nil {
		return contest.Decision{}, err
	}
	return d, s.store.Disqualify(ctx, a, d)
}

// Keep records that an organiser keeps a flagged entry in its round's ranking, before
// the round is closed: who decided, when and why. The flags panel then shows its flags
// as kept and the close no longer counts them as needing review.
func (s *Service) Keep(ctx context.Context, staff auth.Staff, quizID, attemptID, reason string) (contest.Decision, error) {
	a, d, err := s.decide(ctx, staff, quizID, attemptID, reason, contest.DecisionKeep)
	if err != nil {
		return contest.Decision{}, err
	}
	if !a.Ranked {
		return contest.Decision{}, apperr.Errorf(apperr.Conflict, "Bài dự thi đã bị loại hoặc nộp muộn nên không thể giữ")
	}
	return d, s.store.Keep(ctx, d)
}

// decide checks an organiser's decision on an entry (the access policy, the reason, a
// submitted entry of an open round) and returns the entry and the decision to store.
func (s *Service) decide(ctx context.Context, staff auth.Staff, quizID, attemptID, reason, kind string) (quiz.Attempt, contest.Decision, error) {
	if _, _, err := s.contestInScope(ctx, staff, quizID, auth.RunContest); err != nil {
		return quiz.Attempt{}, contest.Decision{}, err
	}
	if err := usertext.Check("Lý do", reason, true); err != nil {
		return quiz.Attempt{}, contest.Decision{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		what := "loại"
		if kind == contest.DecisionKeep {
			what = "giữ"
		}
		return quiz.Attempt{}, contest.Decision{}, apperr.Errorf(apperr.Validation, "Cần ghi lý do %s bài (tối đa 500 ký tự)", what)
	}
	// Read by its exact key: an entry id in another spelling than the stored one is not
	// found (and answers as out of scope); nothing is created from it.
	a, err := s.store.GetAttempt(ctx, attemptID)
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && a.QuizID != quizID) {
		return quiz.Attempt{}, contest.Decision{}, auth.OutOfScope()
	}
	if err != nil {
		return quiz.Attempt{}, contest.Decision{}, err
	}
	if a.Status != quiz.Submitted || a.RoundID == "" {
		return quiz.Attempt{}, contest.Decision{}, apperr.Errorf(apperr.Conflict, "Bài dự thi chưa được nộp")
	}
	if _, err := s.store.GetResults(ctx, quizID, a.RoundID); err == nil {
		return quiz.Attempt{}, contest.Decision{}, apperr.Errorf(apperr.Conflict, "Vòng thi đã đóng: kết quả đã công bố không thể thay đổi")
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return quiz.Attempt{}, contest.Decision{}, err
	}
	d := contest.Decision{QuizID: quizID, AttemptID: attemptID, RoundID: a.RoundID, Reason: reason, By: staff.Username, At: s.now().UTC(), Kind: kind}
	return a, d, nil
}

// entryOf is what the ranking rules see of a submitted attempt.
func entryOf(a quiz.Attempt) contest.Entry {
	e := contest.Entry{AttemptID: a.ID, Person: a.IdentityKey(), UnitID: a.Participant.UnitID, Score: a.Score,
		MaxScore: a.MaxScore, DurationMs: a.DurationMs, SubmittedAt: a.SubmittedAt}
	if a.Prediction != nil {
		e.Prediction = *a.Prediction
	}
	return e
}
