package localgw

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	tracker "github.com/nq58/tracker"
	"github.com/nq58/tracker/internal/app/aggregator"
	"github.com/nq58/tracker/internal/app/maintenance"
	"github.com/nq58/tracker/internal/app/public"
	"github.com/nq58/tracker/internal/app/staff"
	"github.com/nq58/tracker/internal/app/staffadmin"
	"github.com/nq58/tracker/internal/contract"
	"github.com/nq58/tracker/internal/deadletter"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localauth"
	"github.com/nq58/tracker/internal/pseudonym"
	"github.com/nq58/tracker/internal/samtemplate"
	"github.com/nq58/tracker/internal/tables"
)

// Stack is the whole product wired as in AWS, against a DynamoDB Local endpoint.
type Stack struct {
	Gateway *Gateway
	Pollers []*Poller
	// Keys makes the keyed hashes the public function makes (for demo data and tests).
	Keys pseudonym.Keyer
	// DeadLetters holds what the pollers could not deliver; infra/replay re-applies it.
	DeadLetters deadletter.Dir
	// Schedules are the template's Schedule events, run at their rate by RunSchedules.
	Schedules []*Scheduled
	Store     *dynamo.Store
	DB        *dynamodb.Client
	Table     string
	// Issuer signs development tokens (tests sign tokens for any user with it).
	Issuer *localauth.Issuer
	// OAuth is the issuer's authorization code + PKCE flow (Cognito's managed login locally).
	OAuth *localauth.OAuth
	// Outbox holds the SMS the public function sent (Amazon SNS in AWS).
	Outbox *Outbox
	// StreamARN, Sources and StreamFunctions let tests build pollers of their own.
	StreamARN       string
	Sources         []samtemplate.StreamSource
	StreamFunctions map[string]StreamHandler
	// Contract is the gateway's contract check (nil unless StackOptions.Contract).
	Contract *contract.Checker
	// edgeHeaders are the distribution's response headers (template.yaml's policy).
	edgeHeaders []samtemplate.Header
}

// StackOptions configure a stack.
type StackOptions struct {
	Endpoint string           // DynamoDB Local
	Table    string           // created from template.yaml when missing
	Now      func() time.Time // the service clock; nil: time.Now
	Log      *slog.Logger
	Web      fs.FS            // the pages; nil: tracker.Web()
	Users    []localauth.User // development staff accounts (seed)
	// UsersFile keeps the accounts staff management invites or disables (git-ignored,
	// under .data/); empty: in memory only.
	UsersFile string
	// DeadLetterDir keeps the stream batches that failed every retry (the template's
	// OnFailure destination); empty: a folder per table under the system's temp folder.
	DeadLetterDir string
	// Secret keys the hashes of phones, CCCDs, devices and sources (the template's
	// DeploymentSecret); empty: a random one for this stack.
	Secret []byte
	// OriginSecret is what the gateway sends in X-Origin-Verify, as CloudFront sends the
	// template's OriginSecret, and what the public function expects there (pass the
	// same as ORIGIN_SECRET to bootstraps run by an Invoker); empty: a random one.
	OriginSecret []byte
	// KeepViewerAddress keeps a CloudFront-Viewer-Address the client sent (tests and
	// benchmarks that act as many sources); else the gateway sets it from the
	// connection, as CloudFront does.
	KeepViewerAddress bool
	// Invoker, when set, runs every function out of process (their real bootstraps
	// under the emulator) instead of calling the handlers in-process.
	Invoker Invoker
	// Contract validates every request and answer under /v1/ against api/openapi.yaml
	// (Stack.Contract keeps the findings): on in every test stack (internal/testenv),
	// off in `make run` unless CONTRACT=1.
	Contract bool
}

// Local development tokens: the issuer and audience the local authorizer accepts in
// place of the template's Cognito user pool and client.
const (
	LocalIssuer   = "https://localgw.invalid/local"
	LocalAudience = "local-staff-client"
)

// NewStack creates the table from the template if needed and wires every function of
// the template to its handler, exactly as functions/*/main.go do in Lambda.
func NewStack(ctx context.Context, o StackOptions) (*Stack, error) {
	tpl, err := samtemplate.Parse(tracker.TemplateYAML)
	if err != nil {
		return nil, err
	}
	spec, err := tpl.Table()
	if err != nil {
		return nil, err
	}
	db := dynamolocal.Client(o.Endpoint)
	arn, err := tables.EnsureTable(ctx, db, o.Table, spec)
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Web == nil {
		o.Web = tracker.Web()
	}
	store := dynamo.New(db, o.Table)
	outbox := NewOutbox(o.Now)

	if len(o.Secret) == 0 {
		o.Secret = make([]byte, 32)
		if _, err := rand.Read(o.Secret); err != nil {
			return nil, err
		}
	}
	keys, err := pseudonym.New(o.Secret)
	if err != nil {
		return nil, err
	}
	if len(o.OriginSecret) == 0 {
		o.OriginSecret = []byte(rand.Text())
	}
	streamFunctions := map[string]StreamHandler{
		"AggregatorFunction": aggregator.New(store, o.Log).Handle,
	}
	issuer, err := localauth.NewIssuer(o.Users, LocalIssuer, LocalAudience, o.Now)
	if err != nil {
		return nil, err
	}
	if o.UsersFile != "" {
		if err := issuer.Users().PersistTo(o.UsersFile); err != nil {
			return nil, fmt.Errorf("users file: %w", err)
		}
	}
	// The functions of template.yaml, by logical id, wired as functions/*/main.go wire them.
	httpFunctions := map[string]HTTPHandler{
		"PublicApiFunction":  public.New(store, o.Now, o.Log, outbox, keys, o.OriginSecret).Handle,
		"StaffApiFunction":   staff.New(store, o.Now, o.Log).Handle,
		"StaffAdminFunction": staffadmin.New(store, o.Log, localauth.Directory{Users: issuer.Users()}).Handle,
	}
	scheduledFunctions := map[string]ScheduledHandler{
		"MaintenanceFunction": ScheduledHandler(maintenance.New(store, o.Now, o.Log)),
	}
	if o.Invoker != nil { // the built bootstraps under the emulator instead of in-process
		for id := range httpFunctions {
			httpFunctions[id] = remoteHTTP(o.Invoker, id)
		}
		for id := range scheduledFunctions {
			scheduledFunctions[id] = remoteScheduled(o.Invoker, id)
		}
		for id := range streamFunctions {
			streamFunctions[id] = remoteStream(o.Invoker, id)
		}
	}
	verifier, err := localauth.NewVerifier(issuer.JWKS(), LocalIssuer, LocalAudience, o.Now)
	if err != nil {
		return nil, err
	}
	// The template's authorizers, by name.
	authorizers := map[string]Authorizer{"StaffJwt": verifier}

	routes, err := tpl.Routes()
	if err != nil {
		return nil, err
	}
	gw, err := New(routes, httpFunctions, authorizers, o.Web, o.Log)
	if err != nil {
		return nil, err
	}
	gw.OriginSecret, gw.KeepViewerAddress = string(o.OriginSecret), o.KeepViewerAddress
	if o.Contract {
		if gw.Contract, err = contract.New(); err != nil {
			return nil, err
		}
		gw.Contract.Log = o.Log
	}
	sources, err := tpl.StreamSources()
	if err != nil {
		return nil, err
	}
	schedules, err := tpl.Schedules()
	if err != nil {
		return nil, err
	}
	edgeHeaders, err := tpl.SecurityHeaders()
	if err != nil {
		return nil, err
	}
	if o.DeadLetterDir == "" {
		o.DeadLetterDir = filepath.Join(os.TempDir(), "nq58-dead-letters", o.Table)
	}
	s := &Stack{Keys: keys, DeadLetters: deadletter.Dir{Path: o.DeadLetterDir}, Gateway: gw, Store: store, DB: db, Table: o.Table, StreamARN: arn, Sources: sources,
		StreamFunctions: streamFunctions, Issuer: issuer, Outbox: outbox, edgeHeaders: edgeHeaders, Contract: gw.Contract,
		OAuth: &localauth.OAuth{Issuer: issuer, ClientID: LocalAudience, RedirectPaths: StaffPages}}
	for _, sc := range schedules {
		h, ok := scheduledFunctions[sc.Function]
		if !ok {
			return nil, fmt.Errorf("schedule %s of %s: no handler", sc.Event, sc.Function)
		}
		s.Schedules = append(s.Schedules, &Scheduled{Schedule: sc, handler: h, log: o.Log})
	}
	streams := dynamolocal.StreamsClient(o.Endpoint)
	for _, src := range sources {
		h, ok := streamFunctions[src.Function]
		if !ok {
			return nil, fmt.Errorf("stream source of %s: no handler", src.Function)
		}
		if src.Table != spec.LogicalID || arn == "" {
			return nil, fmt.Errorf("stream source of %s: table %s has no stream", src.Function, src.Table)
		}
		p := NewPoller(streams, arn, src, h, o.Log)
		p.DeadLetters = s.DeadLetters
		s.Pollers = append(s.Pollers, p)
	}
	return s, nil
}

// RunPollers feeds the stream to its handlers until ctx ends.
func (s *Stack) RunPollers(ctx context.Context) {
	for _, p := range s.Pollers {
		go p.Run(ctx)
	}
}

// DrainStreams delivers every record written so far.
func (s *Stack) DrainStreams(ctx context.Context) error {
	for _, p := range s.Pollers {
		if err := p.Drain(ctx); err != nil {
			return err
		}
	}
	return nil
}

func samtemplateParse() (*samtemplate.Template, error) {
	return samtemplate.Parse(tracker.TemplateYAML)
}

// StaffPages are the staff pages the sign-in may return to (the user pool client's
// callback and logout URLs in AWS).
var StaffPages = []string{"/staff/", "/staff/contest.html", "/staff/paper.html", "/staff/sample.html"}

// Handler serves the gateway plus the local-only parts: the pages' /config.json, the
// issuer's OAuth endpoints (authorization code + PKCE, as Cognito's managed login:
// GET and POST /local/oauth2/authorize, POST /local/oauth2/token, GET /local/logout),
// the JWKS, the development sign-in for scripts and tests (POST /local/signin
// {"username","password"} → {"token","expiresAt"}) and the SMS outbox:
// GET /local/sms → {"messages":[{"phone","code","sentAt"}]}.
// Every answer passes the distribution's part (withEdge): its security headers, and
// gzip on /v1/*.
func (s *Stack) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_ = json.NewEncoder(w).Encode(map[string]any{"auth": s.OAuth.Endpoints(r)})
	})
	mux.HandleFunc("GET /local/oauth2/authorize", s.OAuth.Authorize)
	mux.HandleFunc("POST /local/oauth2/authorize", s.OAuth.Login)
	mux.HandleFunc("POST /local/oauth2/token", s.OAuth.Token)
	mux.HandleFunc("POST /local/oauth2/revoke", s.OAuth.Revoke)
	mux.HandleFunc("GET /local/logout", s.OAuth.Logout)
	mux.HandleFunc("POST /local/signin", s.signIn)
	mux.HandleFunc("POST /local/first-admin", s.firstAdmin)
	mux.HandleFunc("GET /local/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.Issuer.JWKS())
	})
	mux.Handle("GET /local/sms", s.Outbox)
	mux.Handle("/", s.Gateway)
	return withEdge(mux, s.edgeHeaders)
}

func (s *Stack) signIn(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"code":"invalid","message":"JSON không hợp lệ"}}`)
		return
	}
	token, exp, err := s.Issuer.SignIn(in.Username, in.Password)
	if err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":{"code":"unauthorized","message":"Sai tên đăng nhập hoặc mật khẩu"}}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"token": token, "expiresAt": exp.UTC().Format(time.RFC3339)})
}
