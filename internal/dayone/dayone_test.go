package dayone_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/report"
	"github.com/nq58/tracker/internal/testenv"
	"github.com/nq58/tracker/internal/units"
)

// docPath is the operator's first-deploy steps, the list this rehearsal follows.
const docPath = "../../docs/first-deploy.md"

// rehearsal is the day-one run, one function per step of docs/first-deploy.md, in its
// order. The doc's numbered list must name exactly these steps, in this order.
var rehearsal = []struct {
	title string
	run   func(*day, docStep)
}{
	{"Deploy", (*day).deploy},
	{"Create the first admin", (*day).firstAdmin},
	{"Sign in", (*day).signInAsAdmin},
	{"Import the unit tree", (*day).importTree},
	{"Invite officers", (*day).inviteOfficer},
	{"Import and publish a quiz", (*day).publishQuiz},
	{"Check with one attempt", (*day).answerAsResident},
	{"See it in the officer's report", (*day).officerReport},
}

// TestDayOne brings an empty deployment to a counted attempt over HTTP, as a new
// operator would, following docs/first-deploy.md step by step.
func TestDayOne(t *testing.T) {
	steps := readSteps(t)
	var doc, ours []string
	for _, s := range steps {
		doc = append(doc, s.title)
	}
	for _, r := range rehearsal {
		ours = append(ours, r.title)
	}
	if !slices.Equal(doc, ours) {
		t.Fatalf("docs/first-deploy.md's steps and the rehearsal's differ:\n doc %q\nours %q", doc, ours)
	}
	d := newDay(t)
	for i, r := range rehearsal {
		if !t.Run(r.title, func(t *testing.T) { d.t = t; r.run(d, steps[i]) }) {
			t.Fatalf("step %q failed: the later steps need it", r.title)
		}
	}
}

// ---- the doc

type fence struct{ lang, body string }

// docStep is one numbered step of the doc: its bold title, its text and fenced blocks.
type docStep struct {
	title  string
	text   string
	blocks []fence
}

func (s docStep) block(t *testing.T, lang, containing string) string {
	t.Helper()
	for _, b := range s.blocks {
		if b.lang == lang && strings.Contains(b.body, containing) {
			return b.body
		}
	}
	t.Fatalf("step %q of %s has no %s block with %q", s.title, docPath, lang, containing)
	return ""
}

var stepLine = regexp.MustCompile(`^\d+\. \*\*(.+?)\.?\*\*`)

// readSteps reads the numbered list of the doc's "## Steps" section.
func readSteps(t *testing.T) []docStep {
	t.Helper()
	raw, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	var steps []docStep
	in, inFence := false, false
	var cur *fence
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case !inFence && strings.HasPrefix(line, "## "):
			in = line == "## Steps"
		case !in:
		case strings.HasPrefix(trimmed, "```"):
			if inFence {
				steps[len(steps)-1].blocks = append(steps[len(steps)-1].blocks, *cur)
				inFence = false
			} else if len(steps) > 0 {
				cur, inFence = &fence{lang: strings.TrimPrefix(trimmed, "```")}, true
			}
		case inFence:
			cur.body += trimmed + "\n"
		case stepLine.MatchString(line):
			steps = append(steps, docStep{title: stepLine.FindStringSubmatch(line)[1], text: line})
		case len(steps) > 0:
			steps[len(steps)-1].text += "\n" + trimmed
		}
	}
	if len(steps) == 0 {
		t.Fatalf("%s has no numbered steps under ## Steps", docPath)
	}
	return steps
}

// makeArgs reads a `make <target> VAR=value …` line (values may be double-quoted).
func makeArgs(t *testing.T, line, target string) map[string]string {
	t.Helper()
	var words []string
	var w strings.Builder
	quoted, started := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, started = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if started {
				words = append(words, w.String())
				w.Reset()
				started = false
			}
		default:
			w.WriteRune(r)
			started = true
		}
	}
	if started {
		words = append(words, w.String())
	}
	if len(words) < 2 || words[0] != "make" || words[1] != target {
		t.Fatalf("%q is not a `make %s` line", line, target)
	}
	args := map[string]string{}
	for _, a := range words[2:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			t.Fatalf("%q: argument %q is not VAR=value", line, a)
		}
		args[k] = v
	}
	return args
}

func lineWith(t *testing.T, block, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(block, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("no line starting %q in\n%s", prefix, block)
	return ""
}

// ---- the deployment

// day is the empty deployment, served over HTTP as `make run DEMO=0` serves it, and
// what the steps learn on the way.
type day struct {
	t      *testing.T
	stack  *localgw.Stack
	clock  *testenv.Clock
	url    string
	client *http.Client // follows no redirects: the sign-in reads them

	rootID, adminUser, adminPassword, adminToken string
	communeID, officerToken                      string
	quizID                                       string
	village                                      string
	score, maxScore                              int
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newDay(t *testing.T) *day {
	t.Helper()
	endpoint, table := testenv.Table(t)
	clock := testenv.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime))
	// As infra/serve with -demo=false: no demo data and no accounts.
	stack, err := localgw.NewStack(context.Background(), localgw.StackOptions{Endpoint: endpoint, Table: table, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(testLog{t}, nil)), DeadLetterDir: t.TempDir(), Contract: true})
	if err != nil {
		t.Fatal(err)
	}
	testenv.CheckContract(t, stack)
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	return &day{t: t, stack: stack, clock: clock, url: srv.URL,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// call sends a request (with a bearer token unless token is "") and returns the status
// and the body.
func (d *day) call(token, method, path, contentType string, body []byte) (int, []byte) {
	d.t.Helper()
	req, err := http.NewRequest(method, d.url+path, bytes.NewReader(body))
	if err != nil {
		d.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		d.t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// must sends a JSON request (body nil: none) and decodes the answer into out, failing
// unless the status is want.
func (d *day) must(token, method, path string, body any, want int, out any) {
	d.t.Helper()
	var raw []byte
	ct := ""
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			d.t.Fatal(err)
		}
		ct = "application/json"
	}
	got, answer := d.call(token, method, path, ct, raw)
	if got != want {
		d.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, answer)
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			d.t.Fatalf("%s %s: decode %s: %v", method, path, answer, err)
		}
	}
}

var loginID = regexp.MustCompile(`name="login_id" value="([^"]+)"`)

// signIn signs in as the staff page does: authorization code + PKCE (S256) against the
// endpoints /config.json names, the login form in between.
func (d *day) signIn(username, password string) string {
	d.t.Helper()
	var cfg struct {
		Auth struct {
			AuthorizeURL string `json:"authorizeUrl"`
			TokenURL     string `json:"tokenUrl"`
			ClientID     string `json:"clientId"`
		} `json:"auth"`
	}
	d.must("", "GET", "/config.json", nil, http.StatusOK, &cfg)
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	verifier := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	redirect := d.url + "/staff/"
	q := url.Values{"response_type": {"code"}, "client_id": {cfg.Auth.ClientID}, "redirect_uri": {redirect},
		"state": {"day-one"}, "scope": {"openid email profile"}, "code_challenge_method": {"S256"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}}
	status, page := d.call("", "GET", strings.TrimPrefix(cfg.Auth.AuthorizeURL, d.url)+"?"+q.Encode(), "", nil)
	m := loginID.FindSubmatch(page)
	if status != http.StatusOK || m == nil {
		d.t.Fatalf("authorize: status %d, no login form: %s", status, page)
	}
	form := url.Values{"login_id": {string(m[1])}, "username": {username}, "password": {password}}
	req, _ := http.NewRequest("POST", d.url+"/local/oauth2/authorize", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := d.client.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || back.Query().Get("code") == "" || back.Query().Get("state") != "day-one" {
		d.t.Fatalf("sign in as %s: status %d, location %q", username, resp.StatusCode, resp.Header.Get("Location"))
	}
	tok := url.Values{"grant_type": {"authorization_code"}, "client_id": {cfg.Auth.ClientID}, "redirect_uri": {redirect},
		"code": {back.Query().Get("code")}, "code_verifier": {verifier}}
	status, raw := d.call("", "POST", strings.TrimPrefix(cfg.Auth.TokenURL, d.url), "application/x-www-form-urlencoded", []byte(tok.Encode()))
	var out struct {
		IDToken string `json:"id_token"`
	}
	if status != http.StatusOK || json.Unmarshal(raw, &out) != nil || out.IDToken == "" {
		d.t.Fatalf("token: status %d: %s", status, raw)
	}
	return out.IDToken
}

// waitForLists lets the public lists catch up with a change: a warm function keeps the
// units and quizzes for quiz.CatalogTTL (and browsers and CloudFront for as long), so an
// operator sees a new unit or quiz on the site within a minute, not at once.
func (d *day) waitForLists() { d.clock.Advance(quiz.CatalogTTL + time.Second) }

// ---- the steps

// deploy checks what a fresh deployment is: no units, no quizzes, no accounts.
func (d *day) deploy(s docStep) {
	lineWith(d.t, s.block(d.t, "sh", "make deploy"), "make deploy ENV=prod")
	var listed struct{ Units []units.Unit }
	d.must("", "GET", "/v1/units", nil, http.StatusOK, &listed)
	var quizzes struct{ Quizzes []json.RawMessage }
	d.must("", "GET", "/v1/quizzes", nil, http.StatusOK, &quizzes)
	if len(listed.Units) != 0 || len(quizzes.Quizzes) != 0 {
		d.t.Fatalf("a fresh deployment has %d units and %d quizzes, want none", len(listed.Units), len(quizzes.Quizzes))
	}
	if got := d.stack.Issuer.Users().List(); len(got) != 0 {
		d.t.Fatalf("a fresh deployment has %d accounts, want none", len(got))
	}
}

// firstAdmin runs the doc's `make first-admin` line as `make first-admin ENV=local` does
// (the same request to POST /local/first-admin), without PASSWORD as in AWS.
func (d *day) firstAdmin(s docStep) {
	args := makeArgs(d.t, lineWith(d.t, s.block(d.t, "sh", "make first-admin"), "make first-admin"), "first-admin")
	for k := range args {
		if !slices.Contains([]string{"ENV", "EMAIL", "UNIT_ID", "UNIT_NAME"}, k) {
			d.t.Errorf("the doc's make first-admin has %s: the operator's line takes ENV, EMAIL, UNIT_ID and UNIT_NAME", k)
		}
	}
	if args["ENV"] != "prod" {
		d.t.Errorf("the doc's make first-admin has ENV=%q, want prod", args["ENV"])
	}
	in := localgw.FirstAdminRequest{}
	in.Email, in.UnitID, in.UnitName = args["EMAIL"], args["UNIT_ID"], args["UNIT_NAME"]
	ctx := context.Background()
	out, err := localgw.RequestFirstAdmin(ctx, http.DefaultClient, d.url, in)
	if err != nil {
		d.t.Fatalf("first admin: %v", err)
	}
	if want := strings.ToLower(in.Email); out.Username != want || !out.RootCreated || out.RootID != in.UnitID || out.TemporaryPassword == "" {
		d.t.Fatalf("first admin = %+v, want username %s, root %s written, a temporary password", out, want, in.UnitID)
	}
	if !strings.Contains(s.text, "username: "+out.Username) {
		d.t.Errorf("the doc does not show what the command prints (username: %s)", out.Username)
	}
	d.rootID, d.adminUser, d.adminPassword = out.RootID, out.Username, out.TemporaryPassword

	// Run again, the root is only checked; the username is taken. Another root is refused.
	again := []struct {
		name string
		in   func(*localgw.FirstAdminRequest)
		code string
	}{
		{"the same line again finds the root and a taken username", func(*localgw.FirstAdminRequest) {}, "conflict"},
		{"another root next to the tree is refused", func(r *localgw.FirstAdminRequest) { r.UnitID, r.Email = "hn", "b@x.vn" }, "conflict"},
	}
	for _, tt := range again {
		r := in
		tt.in(&r)
		if _, err := localgw.RequestFirstAdmin(ctx, http.DefaultClient, d.url, r); err == nil || !strings.Contains(err.Error(), tt.code) {
			d.t.Errorf("%s: error %v, want %s", tt.name, err, tt.code)
		}
	}
	d.waitForLists()
	var listed struct{ Units []units.Unit }
	d.must("", "GET", "/v1/units", nil, http.StatusOK, &listed)
	if len(listed.Units) != 1 || listed.Units[0].ID != in.UnitID || listed.Units[0].ParentID != "" || listed.Units[0].Name != in.UnitName {
		d.t.Fatalf("units after the first admin = %+v, want only the root %s", listed.Units, in.UnitID)
	}
}

// signInAsAdmin signs in with the temporary password, then opens the dashboard of an
// empty deployment: every call the staff page makes answers, none with a 500.
func (d *day) signInAsAdmin(docStep) {
	d.adminToken = d.signIn(d.adminUser, d.adminPassword)
	var me struct {
		Username    string   `json:"username"`
		Roles       []string `json:"roles"`
		ScopeUnitID string   `json:"scopeUnitId"`
	}
	d.must(d.adminToken, "GET", "/v1/admin/me", nil, http.StatusOK, &me)
	if me.Username != d.adminUser || !slices.Contains(me.Roles, "admin") || me.ScopeUnitID != d.rootID {
		d.t.Errorf("me = %+v, want %s, admin, scoped to %s", me, d.adminUser, d.rootID)
	}
	empty := []struct {
		name, path string
		status     int
	}{
		{"the unit list holds the root", "/v1/units", 200},
		{"the published quiz list is empty", "/v1/quizzes", 200},
		{"the staff quiz list is empty", "/v1/admin/quizzes", 200},
		{"the staff list answers", "/v1/admin/staff", 200},
		{"the activity log is empty", "/v1/activities", 200},
		{"the annual report of this year answers with nothing", "/v1/reports/annual?year=2026", 200},
		{"the awareness report without a quiz asks for one", "/v1/reports/awareness", 422},
		{"the topic report without a quiz asks for one", "/v1/reports/topics", 422},
		{"the trend report without a quiz asks for one", "/v1/reports/trend", 422},
		{"the awareness report of an unknown quiz is not found", "/v1/reports/awareness?quizId=nothing", 404},
		{"the sample sizes of a tree without villages answer", "/v1/reports/sample-size", 200},
		{"the methods note answers", "/v1/reports/methods", 200},
	}
	for _, tt := range empty {
		if status, raw := d.call(d.adminToken, "GET", tt.path, "", nil); status != tt.status {
			d.t.Errorf("on an empty deployment, %s: GET %s = %d %s, want %d", tt.name, tt.path, status, raw, tt.status)
		}
	}
}

// importTree uploads the doc's unit CSV as the root's admin: one file, parents first.
func (d *day) importTree(s docStep) {
	csv := s.block(d.t, "csv", "parentId")
	var res struct{ Imported int }
	status, raw := d.call(d.adminToken, "POST", "/v1/admin/imports/units", "text/csv", []byte(csv))
	if status != http.StatusOK || json.Unmarshal(raw, &res) != nil {
		d.t.Fatalf("import units: status %d: %s", status, raw)
	}
	rows := strings.Count(strings.TrimSpace(csv), "\n")
	if res.Imported != rows {
		d.t.Errorf("imported %d units, want the file's %d", res.Imported, rows)
	}
	d.waitForLists()
	var listed struct{ Units []units.Unit }
	d.must("", "GET", "/v1/units", nil, http.StatusOK, &listed)
	tree, err := units.NewTree(listed.Units)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, u := range listed.Units {
		if u.Kind == "commune" && u.ParentID == d.rootID {
			d.communeID = u.ID
		}
	}
	if d.communeID == "" || len(tree.Leaves(d.communeID)) == 0 {
		d.t.Fatalf("after the import, no commune with villages under %s: %+v", d.rootID, listed.Units)
	}
}

// inviteOfficer invites the commune's officer and signs in as them.
func (d *day) inviteOfficer(docStep) {
	var m struct {
		Username          string `json:"username"`
		TemporaryPassword string `json:"temporaryPassword"`
	}
	d.must(d.adminToken, "POST", "/v1/admin/staff", map[string]any{"username": "canbo-camthuy", "email": "canbo@camthuy.gov.vn",
		"role": "officer", "scopeUnitId": d.communeID}, http.StatusCreated, &m)
	if m.TemporaryPassword == "" {
		d.t.Fatalf("the local directory gave no temporary password: %+v", m)
	}
	d.officerToken = d.signIn(m.Username, m.TemporaryPassword)
	var me struct {
		ScopeUnitID string `json:"scopeUnitId"`
	}
	d.must(d.officerToken, "GET", "/v1/admin/me", nil, http.StatusOK, &me)
	if me.ScopeUnitID != d.communeID {
		d.t.Errorf("the officer's scope = %q, want %s", me.ScopeUnitID, d.communeID)
	}
}

// publishQuiz creates a draft for the province, imports the doc's question CSV and
// publishes it.
func (d *day) publishQuiz(s docStep) {
	now := d.clock.Now()
	var created struct{ ID string }
	d.must(d.adminToken, "POST", "/v1/admin/quizzes", map[string]any{"kind": "quiz", "title": "Tìm hiểu Nghị quyết 58",
		"opensAt": now.Add(-time.Hour), "closesAt": now.AddDate(0, 1, 0), "timeLimitSec": 900, "scopeUnitId": d.rootID},
		http.StatusCreated, &created)
	d.quizID = created.ID
	csv := s.block(d.t, "csv", "kind,text")
	var res struct{ Imported int }
	status, raw := d.call(d.adminToken, "POST", "/v1/admin/imports/questions?quizId="+url.QueryEscape(d.quizID), "text/csv", []byte(csv))
	if status != http.StatusOK || json.Unmarshal(raw, &res) != nil || res.Imported != strings.Count(strings.TrimSpace(csv), "\n") {
		d.t.Fatalf("import questions: status %d: %s", status, raw)
	}
	var pub struct{ Status string }
	d.must(d.adminToken, "POST", "/v1/admin/quizzes/"+d.quizID+"/publish", nil, http.StatusOK, &pub)
	d.waitForLists()
	var list struct{ Quizzes []struct{ ID string } }
	d.must("", "GET", "/v1/quizzes", nil, http.StatusOK, &list)
	if pub.Status != "published" || len(list.Quizzes) != 1 || list.Quizzes[0].ID != d.quizID {
		d.t.Fatalf("after publishing: status %q, public list %+v, want %s", pub.Status, list.Quizzes, d.quizID)
	}
}

var unitParam = regexp.MustCompile(`\?unit=([A-Za-z0-9_-]+)`)

// answerAsResident answers the quiz correctly in the village the doc's link names.
func (d *day) answerAsResident(s docStep) {
	m := unitParam.FindStringSubmatch(s.text)
	if m == nil {
		d.t.Fatalf("step %q names no village link (?unit=…)", s.title)
	}
	d.village = m[1]
	var keyed quiz.Quiz // the author's view, with the key
	d.must(d.adminToken, "GET", "/v1/admin/quizzes/"+d.quizID, nil, http.StatusOK, &keyed)
	var started attempts.StartResponse
	d.must("", "POST", "/v1/quizzes/"+d.quizID+"/attempts", map[string]any{"participant": map[string]any{"unitId": d.village},
		"consent": false, "clientId": "day-one-phone"}, http.StatusCreated, &started)
	var answers []map[string]any
	for _, pq := range started.Questions {
		q, ok := keyed.Question(pq.ID)
		if !ok {
			d.t.Fatalf("question %s is not in the quiz", pq.ID)
		}
		answers = append(answers, map[string]any{"questionId": q.ID, "optionIds": q.CorrectOptionIDs})
	}
	var result struct{ Score, MaxScore int }
	d.must("", "POST", "/v1/attempts/"+started.AttemptID+"/submit", map[string]any{"attemptToken": started.AttemptToken, "answers": answers},
		http.StatusOK, &result)
	if result.MaxScore == 0 || result.Score != result.MaxScore {
		d.t.Fatalf("score %d of %d, want every point", result.Score, result.MaxScore)
	}
	d.score, d.maxScore = result.Score, result.MaxScore
}

// officerReport lets the stream aggregator count the attempt, then reads the officer's
// awareness report of their commune.
func (d *day) officerReport(docStep) {
	if err := d.stack.DrainStreams(context.Background()); err != nil {
		d.t.Fatal(err)
	}
	var r report.Awareness
	d.must(d.officerToken, "GET", "/v1/reports/awareness?quizId="+url.QueryEscape(d.quizID), nil, http.StatusOK, &r)
	if r.UnitID != d.communeID || r.Total.Participants != 1 {
		d.t.Fatalf("the officer's report of %s counts %d participants, want 1", r.UnitID, r.Total.Participants)
	}
	for _, row := range r.Rows {
		want := int64(0)
		if row.Key == d.village {
			want = 1
		}
		if row.Participants != want {
			d.t.Errorf("village %s counts %d participants, want %d", row.Key, row.Participants, want)
		}
	}
}
