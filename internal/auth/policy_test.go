package auth_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/auth"
	"github.com/nq58/tracker/internal/contest"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/units"
)

// tree: province th → communes xa-a, xa-b → villages.
func policyTree(t *testing.T) *units.Tree {
	t.Helper()
	tree, err := units.NewTree([]units.Unit{
		{ID: "th", Name: "Tỉnh Thanh Hóa", Kind: "province"},
		{ID: "xa-a", ParentID: "th", Name: "Xã A", Kind: "commune"},
		{ID: "xa-a-t01", ParentID: "xa-a", Name: "Thôn 1", Kind: "village"},
		{ID: "xa-b", ParentID: "th", Name: "Xã B", Kind: "commune"},
		{ID: "xa-b-t01", ParentID: "xa-b", Name: "Thôn 1", Kind: "village"},
	})
	if err != nil {
		t.Fatalf("NewTree error = %v", err)
	}
	return tree
}

// outcome of Authorize: allowed, forbidden (403) or hidden (404).
type outcome string

const (
	allowed   outcome = "allowed"
	forbidden outcome = "forbidden"
	hidden    outcome = "hidden"
)

func outcomeOf(err error) outcome {
	if err == nil {
		return allowed
	}
	switch apperr.CodeOf(err) {
	case apperr.Forbidden:
		return forbidden
	case apperr.NotFound:
		return hidden
	}
	return outcome("unexpected: " + fmt.Sprint(err))
}

func TestTheAccessPolicy(t *testing.T) {
	tree := policyTree(t)
	officerA := auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
	organizerA := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
	adminTh := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	adminA := auth.Staff{Username: "admin-a", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "xa-a"}
	noRole := auth.Staff{Username: "khach", ScopeUnitID: "xa-a"}
	collectorT01 := auth.Staff{Username: "nhapphieu", Roles: []auth.Role{auth.Collector}, ScopeUnitID: "xa-a-t01"}
	collectorA := auth.Staff{Username: "nhapphieu-xa", Roles: []auth.Role{auth.Collector}, ScopeUnitID: "xa-a"}

	quizA := auth.KindTarget(quiz.KindQuiz, "xa-a")
	quizB := auth.KindTarget(quiz.KindQuiz, "xa-b")
	surveyA := auth.KindTarget(quiz.KindSurvey, "xa-a-t01")
	contestA := auth.KindTarget(quiz.KindContest, "xa-a")
	contestB := auth.KindTarget(quiz.KindContest, "xa-b")
	provinceQuiz := auth.KindTarget(quiz.KindQuiz, "")
	provinceContest := auth.KindTarget(quiz.KindContest, "")

	tests := []struct {
		name   string
		staff  auth.Staff
		action auth.Action
		target auth.Target
		want   outcome
	}{
		// Reports and the activity log: officers and admins, in their subtree.
		{"an officer reads the reports of a village in their commune", officerA, auth.ReadReports, auth.UnitTarget("xa-a-t01"), allowed},
		{"an officer cannot tell that another commune exists", officerA, auth.ReadReports, auth.UnitTarget("xa-b"), hidden},
		{"an officer cannot read the province above them", officerA, auth.ReadReports, auth.UnitTarget("th"), hidden},
		{"an officer reads reports of a province-wide quiz", officerA, auth.ReadReports, provinceQuiz, allowed},
		{"an officer reads reports of their commune's quiz", officerA, auth.ReadReports, quizA, allowed},
		{"an officer does not see another commune's quiz", officerA, auth.ReadReports, quizB, hidden},
		{"an organiser may not read awareness reports", organizerA, auth.ReadReports, auth.UnitTarget("xa-a"), forbidden},
		{"a user with no role may do nothing", noRole, auth.ReadReports, auth.UnitTarget("xa-a"), forbidden},
		{"a provincial admin reads any commune", adminTh, auth.ReadReports, auth.UnitTarget("xa-b-t01"), allowed},
		{"an officer logs an activity in a village of theirs", officerA, auth.LogActivity, auth.UnitTarget("xa-a-t01"), allowed},
		{"an officer cannot log an activity elsewhere", officerA, auth.LogActivity, auth.UnitTarget("xa-b-t01"), hidden},
		{"an organiser may not log activities", organizerA, auth.LogActivity, auth.UnitTarget("xa-a"), forbidden},
		{"an officer imports units under their commune", officerA, auth.ImportUnits, auth.UnitTarget("xa-a"), allowed},
		{"an organiser may not import units", organizerA, auth.ImportUnits, auth.UnitTarget("xa-a"), forbidden},

		// Reading quizzes: every staff role, in the subtree or above it.
		{"an organiser reads a quiz of their commune", organizerA, auth.ViewQuiz, quizA, allowed},
		{"an officer reads a quiz of a village of theirs", officerA, auth.ViewQuiz, surveyA, allowed},
		{"an officer reads a province-wide quiz", officerA, auth.ViewQuiz, provinceQuiz, allowed},
		{"an officer does not see another commune's quiz at all", officerA, auth.ViewQuiz, quizB, hidden},
		{"a commune admin reads a quiz of the province", adminA, auth.ViewQuiz, auth.KindTarget(quiz.KindQuiz, "th"), allowed},

		// Authoring: the role follows the kind, the reach is the subtree.
		{"an officer authors a quiz of their commune", officerA, auth.Author, quizA, allowed},
		{"an officer authors a survey of a village of theirs", officerA, auth.Author, surveyA, allowed},
		{"an officer may not author a contest", officerA, auth.Author, contestA, forbidden},
		{"an organiser authors a contest of their commune", organizerA, auth.Author, contestA, allowed},
		{"an organiser may not author a quiz", organizerA, auth.Author, quizA, forbidden},
		{"an organiser cannot reach another commune's contest", organizerA, auth.Author, contestB, hidden},
		{"an officer cannot reach another commune's quiz", officerA, auth.Author, quizB, hidden},
		{"a commune officer may not change a province-wide quiz", officerA, auth.Author, provinceQuiz, hidden},
		{"a commune admin may not change a province-wide contest", adminA, auth.Author, provinceContest, hidden},
		{"a provincial admin changes a province-wide contest", adminTh, auth.Author, provinceContest, allowed},
		{"a commune admin may not change a quiz scoped to the province unit", adminA, auth.Author, auth.KindTarget(quiz.KindQuiz, "th"), hidden},

		// Contests: organisers run them, officers only look.
		{"an officer views a contest of their commune", officerA, auth.ViewContest, contestA, allowed},
		{"an officer does not see another commune's contest", officerA, auth.ViewContest, contestB, hidden},
		{"an officer may not run a contest", officerA, auth.RunContest, contestA, forbidden},
		{"an officer out of scope is refused before the contest is looked at", officerA, auth.RunContest, contestB, forbidden},
		{"an organiser runs a contest of their commune", organizerA, auth.RunContest, contestA, allowed},
		{"an organiser cannot reach another commune's contest round", organizerA, auth.RunContest, contestB, hidden},
		{"an organiser sees the winners' personal details", organizerA, auth.SeeContestPD, contestA, allowed},
		{"an officer does not see the winners' personal details", officerA, auth.SeeContestPD, contestA, forbidden},
		{"a provincial admin sees any commune's winners", adminTh, auth.SeeContestPD, contestB, allowed},

		// A contest's key while it runs: its authors only; a quiz's key: anyone who views it.
		{"an organiser sees the key of a contest of their commune", organizerA, auth.SeeContestKey, contestA, allowed},
		{"an organiser sees the key of a province-wide contest", organizerA, auth.SeeContestKey, provinceContest, allowed},
		{"an officer does not see a contest's key", officerA, auth.SeeContestKey, contestA, forbidden},
		{"an officer does not see a province-wide contest's key", officerA, auth.SeeContestKey, provinceContest, forbidden},
		{"an organiser cannot reach another commune's contest key", organizerA, auth.SeeContestKey, contestB, hidden},
		{"a commune admin sees the key of their commune's contest", adminA, auth.SeeContestKey, contestA, allowed},
		{"a provincial admin sees any contest's key", adminTh, auth.SeeContestKey, contestB, allowed},
		{"an officer sees a quiz's key", officerA, auth.SeeContestKey, quizA, allowed},
		{"an organiser sees a quiz's key as a viewer of it", organizerA, auth.SeeContestKey, quizA, allowed},
		{"a user with no role sees no key", noRole, auth.SeeContestKey, quizA, forbidden},

		// Staff accounts: admins, for scopes in their own subtree only.
		{"a provincial admin grants a commune scope", adminTh, auth.ManageStaff, auth.UnitTarget("xa-a"), allowed},
		{"a provincial admin grants the province scope", adminTh, auth.ManageStaff, auth.UnitTarget("th"), allowed},
		{"a commune admin grants a village of their commune", adminA, auth.ManageStaff, auth.UnitTarget("xa-a-t01"), allowed},
		{"a commune admin cannot grant another commune", adminA, auth.ManageStaff, auth.UnitTarget("xa-b"), hidden},
		{"a commune admin cannot grant the province above them", adminA, auth.ManageStaff, auth.UnitTarget("th"), hidden},
		{"an officer may not manage staff", officerA, auth.ManageStaff, auth.UnitTarget("xa-a"), forbidden},
		{"an organiser may not manage staff", organizerA, auth.ManageStaff, auth.UnitTarget("xa-a"), forbidden},

		// Paper sheets: collectors (and officers, admins) in their village or commune.
		{"a village collector enters sheets of their village", collectorT01, auth.CollectSheets, auth.UnitTarget("xa-a-t01"), allowed},
		{"a village collector cannot reach the commune above", collectorT01, auth.CollectSheets, auth.UnitTarget("xa-a"), hidden},
		{"a commune collector enters sheets of a village of theirs", collectorA, auth.CollectSheets, auth.UnitTarget("xa-a-t01"), allowed},
		{"a commune collector cannot reach another commune's village", collectorA, auth.CollectSheets, auth.UnitTarget("xa-b-t01"), hidden},
		{"an officer enters sheets in their commune", officerA, auth.CollectSheets, auth.UnitTarget("xa-a-t01"), allowed},
		{"an organiser may not enter sheets", organizerA, auth.CollectSheets, auth.UnitTarget("xa-a-t01"), forbidden},
		{"a collector may not read the reports", collectorA, auth.ReadReports, auth.UnitTarget("xa-a-t01"), forbidden},
		{"a collector may not author a quiz", collectorA, auth.Author, quizA, forbidden},
		{"a collector may not manage staff", collectorA, auth.ManageStaff, auth.UnitTarget("xa-a-t01"), forbidden},

		// Random samples: the unit's admins and officers.
		{"an officer runs a sample of their commune", officerA, auth.RunSamples, auth.UnitTarget("xa-a"), allowed},
		{"an officer cannot reach another commune's sample", officerA, auth.RunSamples, auth.UnitTarget("xa-b"), hidden},
		{"a commune admin runs a sample of a village of theirs", adminA, auth.RunSamples, auth.UnitTarget("xa-a-t01"), allowed},
		{"a collector may not run a sample", collectorA, auth.RunSamples, auth.UnitTarget("xa-a"), forbidden},
		{"an organiser may not run a sample", organizerA, auth.RunSamples, auth.UnitTarget("xa-a"), forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := outcomeOf(auth.Authorize(tt.staff, tt.action, tt.target, tree))
			if got != tt.want {
				t.Errorf("Authorize(%s, %s, %+v) = %s, want %s", tt.staff.Username, tt.action, tt.target, got, tt.want)
			}
			if may := auth.May(tt.staff, tt.action, tt.target, tree); may != (tt.want == allowed) {
				t.Errorf("May = %v, want %v", may, tt.want == allowed)
			}
		})
	}
}

func TestEveryActionHasARule(t *testing.T) {
	tree := policyTree(t)
	admin := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	for _, act := range auth.Actions() {
		t.Run(string(act)+" is allowed to a provincial admin", func(t *testing.T) {
			if err := auth.Authorize(admin, act, auth.KindTarget(quiz.KindQuiz, "xa-a"), tree); err != nil {
				t.Errorf("Authorize(admin, %s) = %v, want nil", act, err)
			}
		})
	}
	t.Run("an unknown action is an error, not a permission", func(t *testing.T) {
		if err := auth.Authorize(admin, auth.Action("launch-rockets"), auth.UnitTarget("th"), tree); err == nil {
			t.Error("Authorize(unknown action) = nil, want an error")
		}
	})
}

func TestSeesKeyHidesAContestsKeyFromAllButItsAuthorsUntilItsLastRoundsResultsTime(t *testing.T) {
	tree := policyTree(t)
	officerA := auth.Staff{Username: "canbo", Roles: []auth.Role{auth.Officer}, ScopeUnitID: "xa-a"}
	organizerA := auth.Staff{Username: "btc", Roles: []auth.Role{auth.Organizer}, ScopeUnitID: "xa-a"}
	adminTh := auth.Staff{Username: "admin", Roles: []auth.Role{auth.Admin}, ScopeUnitID: "th"}
	opens := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	r1 := contest.Round{ID: "r1", OpensAt: opens, ClosesAt: opens.Add(time.Hour)}
	r2 := contest.Round{ID: "r2", OpensAt: opens.Add(24 * time.Hour), ClosesAt: opens.Add(25 * time.Hour)}
	ct := quiz.Quiz{ID: "ct", Kind: quiz.KindContest, ScopeUnitID: "xa-a", Contest: &contest.Config{Rounds: []contest.Round{r2, r1}}}
	qz := quiz.Quiz{ID: "qz", Kind: quiz.KindQuiz, ScopeUnitID: "xa-a"}
	lastResults := r2.ClosesAt.Add(quiz.SubmitGrace)
	tests := []struct {
		name  string
		staff auth.Staff
		q     quiz.Quiz
		at    time.Time
		want  bool
	}{
		{"an officer does not see a contest's key while its first round is open", officerA, ct, opens.Add(time.Minute), false},
		{"an officer does not see it between rounds, the next one not yet open", officerA, ct, r1.ClosesAt.Add(time.Hour), false},
		{"an officer does not see it at the last round's results time", officerA, ct, lastResults, false},
		{"an officer sees it just after the last round's results time", officerA, ct, lastResults.Add(time.Second), true},
		{"the organiser, an author, sees it while a round is open", organizerA, ct, opens.Add(time.Minute), true},
		{"an admin, an author, sees it while a round is open", adminTh, ct, opens.Add(time.Minute), true},
		{"an officer sees a quiz's key at any time: it is never secret", officerA, qz, opens, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.SeesKey(tt.staff, tt.q, tree, tt.at); got != tt.want {
				t.Errorf("SeesKey = %v, want %v", got, tt.want)
			}
		})
	}
	if got := quiz.KeySecretUntil(ct); !got.Equal(lastResults) {
		t.Errorf("KeySecretUntil = %v, want the last round's results time %v", got, lastResults)
	}
}

func TestAbilitiesAreWhatThePolicyAllowsEachRole(t *testing.T) {
	cases := []struct {
		name  string
		roles []auth.Role
		want  []auth.Action
	}{
		{"an admin may do everything", []auth.Role{auth.Admin}, auth.Actions()},
		{"an officer reports, logs, imports units, authors quizzes and surveys, collects sheets, runs samples and sees contests",
			[]auth.Role{auth.Officer},
			[]auth.Action{auth.Author, auth.CollectSheets, auth.ImportUnits, auth.LogActivity, auth.ReadReports, auth.RunSamples, auth.SeeContestKey, auth.ViewContest, auth.ViewQuiz}},
		{"an organiser runs contests and sees their entrants but authors no quiz",
			[]auth.Role{auth.Organizer},
			[]auth.Action{auth.RunContest, auth.SeeContestKey, auth.SeeContestPD, auth.ViewContest, auth.ViewQuiz}},
		{"a collector only collects sheets", []auth.Role{auth.Collector}, []auth.Action{auth.CollectSheets}},
		{"a token without a known role may do nothing", nil, []auth.Action{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := auth.Abilities(auth.Staff{Username: "u", Roles: c.roles, ScopeUnitID: "th"})
			if !slices.Equal(got, c.want) {
				t.Errorf("Abilities(%v) = %v, want %v", c.roles, got, c.want)
			}
		})
	}
}
