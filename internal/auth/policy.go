package auth

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// Action is something a staff member asks to do.
type Action string

// The actions of the staff API. Who may do each is decided only by Authorize.
const (
	ReadReports  Action = "read-reports"   // awareness, topics, questions, survey, trend, annual, activity list
	LogActivity  Action = "log-activity"   // record an informing activity
	ImportUnits  Action = "import-units"   // replace or extend the unit tree
	ViewQuiz     Action = "view-quiz"      // read a quiz as authored, list quizzes
	Author       Action = "author"         // create, edit, publish, close, import questions, correct a key, purge
	ViewContest  Action = "view-contest"   // a round's ranking and winners (officers see them masked)
	RunContest   Action = "run-contest"    // close a round, entries, flags, keep or disqualify
	SeeContestPD Action = "see-contest-pd" // a contest's winners with full personal details
	// SeeContestKey: a quiz's answer key (correct options, key corrections) while it is
	// secret, that is a contest's before its last round closes.
	SeeContestKey Action = "see-contest-key"
	// ManageStaff: list, invite and disable staff accounts scoped to the target unit.
	ManageStaff Action = "manage-staff"
	// CollectSheets: print paper quiz sheets for a village, enter them (by hand or in a
	// bulk upload) and follow the village's running count.
	CollectSheets Action = "collect-sheets"
	// RunSamples: create a random-sample survey of a unit, upload its frame, draw it,
	// record outcomes and responses, read its figures.
	RunSamples Action = "run-samples"
)

// Target is what an action is on: a quiz (its kind and scope unit, "" for the whole
// province) or a unit of the tree.
type Target struct {
	Quiz bool
	Kind quiz.Kind
	Unit string
}

// QuizTarget is a quiz as the target of an action.
func QuizTarget(q quiz.Quiz) Target { return Target{Quiz: true, Kind: q.Kind, Unit: q.ScopeUnitID} }

// KindTarget is a quiz not yet stored: its kind and the unit it will be scoped to.
func KindTarget(kind quiz.Kind, unit string) Target {
	return Target{Quiz: true, Kind: kind, Unit: unit}
}

// UnitTarget is a unit of the tree as the target of an action.
func UnitTarget(id string) Target { return Target{Unit: id} }

// reach says how far from the staff member's scope an action reaches.
type reach int

const (
	// manage: the target lies in the staff member's subtree; a province-wide quiz only
	// for staff scoped to a root unit.
	manage reach = iota
	// see: as manage, or a quiz scoped to an ancestor of the staff member's unit
	// (a province-wide quiz is seen by everyone).
	see
)

type rule struct {
	roles func(quiz.Kind) []Role
	reach reach
}

func roles(rs ...Role) func(quiz.Kind) []Role { return func(quiz.Kind) []Role { return rs } }

// authors: contests belong to organisers, quizzes and surveys to officers.
func authors(k quiz.Kind) []Role {
	if k == quiz.KindContest {
		return []Role{Admin, Organizer}
	}
	return []Role{Admin, Officer}
}

// policy is the one table of who may do what.
var policy = map[Action]rule{
	ReadReports:  {roles(Admin, Officer), see},
	LogActivity:  {roles(Admin, Officer), manage},
	ImportUnits:  {roles(Admin, Officer), manage},
	ViewQuiz:     {roles(Admin, Officer, Organizer), see},
	Author:       {authors, manage},
	ViewContest:  {roles(Admin, Organizer, Officer), manage},
	RunContest:   {roles(Admin, Organizer), manage},
	SeeContestPD: {roles(Admin, Organizer), manage},
	// A contest's key is its authors'; a quiz's or survey's, anyone's who may view it.
	SeeContestKey: {keyHolders, see},
	// Admins manage accounts in their own subtree: no scope above or beside their own.
	ManageStaff: {roles(Admin), manage},
	// Paper sheets are entered where the collector works: a village or commune in scope.
	CollectSheets: {roles(Admin, Officer, Collector), manage},
	// A sample is its unit's own evaluation: its admins and officers run it.
	RunSamples: {roles(Admin, Officer), manage},
}

// keyHolders: only a contest's authors hold its key; any viewer holds a quiz's.
func keyHolders(k quiz.Kind) []Role {
	if k == quiz.KindContest {
		return authors(k)
	}
	return []Role{Admin, Officer, Organizer}
}

// Authorize decides whether staff may do act on t. It answers nil; a Forbidden error
// when no role of theirs allows the action (on that kind of quiz); or a NotFound error
// when the target lies outside their scope, so that its existence is not revealed.
func Authorize(s Staff, act Action, t Target, tree *units.Tree) error {
	r, ok := policy[act]
	if !ok {
		return fmt.Errorf("authorize: unknown action %q", act)
	}
	if err := s.Require(r.roles(t.Kind)...); err != nil {
		return err
	}
	if !inReach(s, r.reach, t, tree) {
		return OutOfScope()
	}
	return nil
}

// Abilities lists the actions some role of s allows, sorted, so that pages
// show what a staff member may do without a second copy of the policy. Where the roles
// depend on the quiz kind (authoring, seeing a key), it answers for quizzes and surveys;
// the scope is still checked on every request.
func Abilities(s Staff) []Action {
	out := []Action{}
	for _, act := range Actions() {
		if s.Has(policy[act].roles(quiz.KindQuiz)...) {
			out = append(out, act)
		}
	}
	return out
}

// May reports whether Authorize allows the action.
func May(s Staff, act Action, t Target, tree *units.Tree) bool {
	return Authorize(s, act, t, tree) == nil
}

func inReach(s Staff, r reach, t Target, tree *units.Tree) bool {
	if s.ScopeUnitID == "" {
		return false
	}
	if !t.Quiz {
		return tree.Within(t.Unit, s.ScopeUnitID)
	}
	if t.Unit == "" { // province-wide
		if r == see {
			return true
		}
		u, ok := tree.Get(s.ScopeUnitID)
		return ok && u.ParentID == ""
	}
	if tree.Within(t.Unit, s.ScopeUnitID) {
		return true
	}
	return r == see && tree.Within(s.ScopeUnitID, t.Unit)
}

// SeesKey decides whether s may, at now, see q's answer key and every figure graded with
// it: an entry's score or rank, a question's facility or discrimination, an option's
// share, a mean score or pass rate, a topic's correct rate. Anyone who may read q does
// once the key is no longer secret (quiz.KeySecret: a contest's, until its last round's
// results time); before, only those the policy lets see the key (SeeContestKey: the
// contest's authors). Every route that shows a key or a graded figure asks this, so
// that no route is an oracle for the key while entries can still be made.
func SeesKey(s Staff, q quiz.Quiz, tree *units.Tree, now time.Time) bool {
	return !quiz.KeySecret(q, now) || May(s, SeeContestKey, QuizTarget(q), tree)
}

// Quizzes reads quizzes and the unit tree (storage).
type Quizzes interface {
	units.Lister
	GetQuiz(ctx context.Context, id string) (quiz.Quiz, error)
}

// LoadQuiz reads a quiz and the unit tree and authorizes act on the quiz; an unknown
// quiz answers as one out of scope does.
func LoadQuiz(ctx context.Context, store Quizzes, s Staff, act Action, quizID string) (quiz.Quiz, *units.Tree, error) {
	q, err := store.GetQuiz(ctx, quizID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return quiz.Quiz{}, nil, OutOfScope()
	}
	if err != nil {
		return quiz.Quiz{}, nil, err
	}
	tree, err := units.LoadTree(ctx, store)
	if err != nil {
		return quiz.Quiz{}, nil, err
	}
	if err := Authorize(s, act, QuizTarget(q), tree); err != nil {
		return quiz.Quiz{}, nil, err
	}
	return q, tree, nil
}

// Actions lists every action the policy knows, in a stable order.
func Actions() []Action {
	return slices.Sorted(maps.Keys(policy))
}
