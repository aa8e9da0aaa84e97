package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/nq58/tracker/internal/demo"
	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/quiz/attempts"
	"github.com/nq58/tracker/internal/tables"
	"github.com/nq58/tracker/internal/throttle"
)

const demoQuiz = "demo-nq58-quiz"

// residentResult is phase (b) with what the product consumed: the resident path's
// store and gateway, and the aggregator's.
type residentResult struct {
	phase
	WriteUnits float64       // stack.Store.WriteUnits() over the measured run
	ReadUnits  float64       // stack.Store.ReadUnits() (GetItem) over the measured run
	Requests   int64         // API requests that reached the gateway (each one a Lambda invocation)
	APIBusy    time.Duration // time spent answering them, a stand-in for the Lambda's billed duration
	Agg        aggSnapshot   // the aggregator's units, invocations and time for the same attempts
}

// UnitsPerAttempt is the write units per completed attempt. Writes of failed attempts
// count too: they are paid for all the same.
func (r residentResult) UnitsPerAttempt() float64 {
	if r.Completed == 0 {
		return 0
	}
	return r.WriteUnits / float64(r.Completed)
}

// resident plays residents against the gateway over real HTTP.
type resident struct {
	base     string // http://127.0.0.1:<port>
	client   *http.Client
	store    *dynamo.Store // meters the write units
	quiz     quiz.Quiz     // the demo quiz with its answer key
	villages []string
	next     atomic.Uint64 // rotates over the villages
	requests atomic.Int64  // API requests served by the gateway
	busy     atomic.Int64  // nanoseconds spent serving them
}

// benchStack is the product as localgw.NewStack wires it, on the benchmark's table with
// the demo data loaded.
type benchStack struct {
	*localgw.Stack
	quiz     quiz.Quiz // the demo quiz with its answer key
	villages []string
}

// newStack creates the table from the template and loads the demo data. The stack's own
// pollers are not started: the benchmark runs the aggregator itself (see aggregator.go),
// on a store of its own, to tell its write units apart.
func newStack(ctx context.Context, cfg config, table string) (*benchStack, error) {
	q, villages, err := demoData()
	if err != nil {
		return nil, err
	}
	progress("each resident comes from its own address in 100.64.0.0/16 (carrier-grade NAT space), set as CloudFront's viewer address: the per-source start limits keep their defaults")
	stack, err := localgw.NewStack(ctx, localgw.StackOptions{
		Endpoint: cfg.endpoint, Table: table, Now: serviceClock(q), Log: cappedLog(10),
		KeepViewerAddress: true, // each resident's own address, set by post
	})
	if err != nil {
		return nil, err
	}
	s := &benchStack{Stack: stack, quiz: q, villages: villages}
	if _, err := demo.Load(ctx, stack.Store); err != nil {
		s.drop(ctx)
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	return s, nil
}

// drop deletes the table, even after Ctrl-C.
func (s *benchStack) drop(ctx context.Context) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = tables.DeleteTable(dctx, s.DB, s.Table)
}

// startResident serves the stack's gateway with net/http on a free loopback port and
// returns residents that play against it over real HTTP; stop closes the server.
func startResident(cfg config, stack *benchStack) (r *resident, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
	if err != nil {
		return nil, nil, err
	}
	r = &resident{}
	counted := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		t0 := time.Now()
		stack.Gateway.ServeHTTP(w, req)
		r.busy.Add(int64(time.Since(t0)))
		r.requests.Add(1)
	})
	srv := &http.Server{Handler: counted, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // straight to loopback, whatever HTTP_PROXY says
	// One kept-alive connection per worker: with the default of 2 idle connections per
	// host most requests would open a new TCP connection.
	tr.MaxIdleConns = max(100, 2*cfg.workers)
	tr.MaxIdleConnsPerHost = max(64, cfg.workers)
	r.base = "http://" + ln.Addr().String()
	r.client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	r.store, r.quiz, r.villages = stack.Store, stack.quiz, stack.villages
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		tr.CloseIdleConnections()
	}
	return r, stop, nil
}

// residentMeter holds the meters at the start of phase (b).
type residentMeter struct {
	w0, r0 float64
	n0, b0 int64
	a0     aggSnapshot
}

// begin notes the meters and starts the aggregator beside the load, as Lambda would.
// The aggregator has drained the stream before.
func (r *resident) begin(ctx context.Context, agg *aggregator) residentMeter {
	m := residentMeter{w0: r.store.WriteUnits(), r0: r.store.ReadUnits(), n0: r.requests.Load(), b0: r.busy.Load(), a0: agg.snapshot()}
	agg.start(ctx)
	return m
}

// end lets the aggregator finish the stream, so every attempt of the measured slices p
// (merged) is counted with its aggregation, and returns phase (b).
func (r *resident) end(ctx context.Context, m residentMeter, agg *aggregator, p phase) (residentResult, error) {
	if err := agg.finish(ctx); err != nil {
		return residentResult{}, fmt.Errorf("aggregator: %w", err)
	}
	return residentResult{phase: p, WriteUnits: r.store.WriteUnits() - m.w0, ReadUnits: r.store.ReadUnits() - m.r0,
		Requests: r.requests.Load() - m.n0, APIBusy: time.Duration(r.busy.Load() - m.b0), Agg: agg.snapshot().sub(m.a0)}, nil
}

// demoData returns the demo quiz with its key and the ids of the demo villages.
func demoData() (quiz.Quiz, []string, error) {
	qs, err := demo.Quizzes()
	if err != nil {
		return quiz.Quiz{}, nil, err
	}
	var q quiz.Quiz
	for _, x := range qs {
		if x.ID == demoQuiz {
			q = x
		}
	}
	if q.ID == "" {
		return q, nil, fmt.Errorf("demo quiz %s not found", demoQuiz)
	}
	units, err := demo.Units()
	if err != nil {
		return q, nil, err
	}
	var villages []string
	for _, u := range units {
		if u.Kind == "village" {
			villages = append(villages, u.ID)
		}
	}
	if len(villages) == 0 {
		return q, nil, errors.New("the demo has no villages")
	}
	return q, villages, nil
}

// serviceClock is the wall clock, shifted into the quiz's window when the quiz is not
// open today, so the benchmark keeps working after the demo quiz closes.
func serviceClock(q quiz.Quiz) func() time.Time {
	if q.IsOpen(time.Now()) {
		return time.Now
	}
	shift := time.Until(q.OpensAt.Add(time.Hour))
	return func() time.Time { return time.Now().Add(shift) }
}

// attempt is one resident: start an attempt as an anonymous resident of a demo village
// (random clientId, no phone), then submit an answer to every question drawn, about two
// in three correct. It fails unless both requests answer 2xx.
func (r *resident) attempt(ctx context.Context, _, iter int) error {
	var start attempts.StartRequest
	start.Participant.UnitID = r.villages[r.next.Add(1)%uint64(len(r.villages))]
	start.ClientID = fmt.Sprintf("bench-%016x", rand.Uint64())
	// What CloudFront would send for a resident on a mobile network: 65,536 addresses,
	// so no address comes near the per-source limits over a run.
	viewer := fmt.Sprintf("100.64.%d.%d:%d", rand.IntN(256), rand.IntN(256), 1024+rand.IntN(60000))
	var started attempts.StartResponse
	if err := r.post(ctx, viewer, "start", "/v1/quizzes/"+demoQuiz+"/attempts", start, &started); err != nil {
		return err
	}
	if started.AttemptID == "" || len(started.Questions) == 0 {
		return errors.New("start: no attempt id or no questions in the answer")
	}

	sub := attempts.SubmitRequest{AttemptToken: started.AttemptToken}
	for i, pq := range started.Questions {
		q, ok := r.quiz.Question(pq.ID)
		if !ok {
			return fmt.Errorf("start: question %s is not in the demo quiz", pq.ID)
		}
		sub.Answers = append(sub.Answers, answer(q, (iter+i)%3 != 0))
	}
	var res attempts.Result
	if err := r.post(ctx, viewer, "submit", "/v1/attempts/"+started.AttemptID+"/submit", sub, &res); err != nil {
		return err
	}
	if res.AttemptID != started.AttemptID || res.QuestionCount != len(started.Questions) {
		return fmt.Errorf("submit: result for %s with %d questions, want %s with %d",
			res.AttemptID, res.QuestionCount, started.AttemptID, len(started.Questions))
	}
	return nil
}

// answer answers q correctly when right is true, else with an option outside the key.
func answer(q quiz.Question, right bool) quiz.Answer {
	a := quiz.Answer{QuestionID: q.ID}
	switch q.Kind.Answer() {
	case quiz.AnswerValue:
		a.Value = 4
	case quiz.AnswerText:
		a.Text = "Tăng thời lượng phát thanh ở thôn"
	default:
		if right && len(q.CorrectOptionIDs) > 0 {
			a.OptionIDs = q.CorrectOptionIDs
			break
		}
		a.OptionIDs = []string{q.Options[0].ID}
		for _, o := range q.Options {
			if !slices.Contains(q.CorrectOptionIDs, o.ID) {
				a.OptionIDs = []string{o.ID}
				break
			}
		}
	}
	return a
}

// post sends body as JSON from the viewer address ("host:port") and decodes a 2xx answer into out. Errors name the step, not
// the path, so that the same failure on many attempts reads as one sample.
func (r *resident) post(ctx context.Context, viewer, step, path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(throttle.ViewerAddressHeader, viewer)
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	defer resp.Body.Close()
	// Read to the end so the connection goes back to the pool.
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", step, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: status %d: %.200s", step, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: decode answer: %w", step, err)
	}
	return nil
}

// cappedLog is the product's logger for the run: it prints the first n records (a
// handler failing under load says why) and drops the rest, which the error count and
// samples already cover.
func cappedLog(n int64) *slog.Logger {
	h := &cappedHandler{Handler: slog.NewTextHandler(os.Stderr, nil), left: new(atomic.Int64)}
	h.left.Store(n)
	return slog.New(h)
}

type cappedHandler struct {
	slog.Handler
	left *atomic.Int64
}

func (h *cappedHandler) Handle(ctx context.Context, rec slog.Record) error {
	if h.left.Add(-1) < 0 {
		return nil
	}
	return h.Handler.Handle(ctx, rec)
}

func (h *cappedHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &cappedHandler{Handler: h.Handler.WithAttrs(attrs), left: h.left}
}

func (h *cappedHandler) WithGroup(name string) slog.Handler {
	return &cappedHandler{Handler: h.Handler.WithGroup(name), left: h.left}
}
