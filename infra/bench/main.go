// Command bench measures, in one run, at the same concurrency and in alternating short
// slices, (a) raw PutItem of 1 KB items straight to DynamoDB Local, the store's limit on
// this machine, and (b) the whole resident path (start + submit an attempt) over HTTP
// through the local gateway with the stream aggregator on, with the write units, API
// requests and Lambda invocations each attempt costs and the cost per 100,000 attempts
// at list prices (cost.go); it also builds every Lambda bootstrap and reports its size.
// Run it with `make bench` (BENCH_ARGS="-c 4 -d 5s" to change it): the Makefile starts
// an in-memory DynamoDB Local and sets DYNAMODB_ENDPOINT.
//
// It is a measurement, not a test: a missed target is printed as MISS and the exit
// status stays 0; it exits non-zero only when the run itself broke.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/nq58/tracker/internal/dynamolocal"
)

// maxErrorShare is the share of failed operations beyond which the figures mean nothing.
const maxErrorShare = 0.01

type config struct {
	endpoint   string
	workers    int
	duration   time.Duration
	warmup     time.Duration
	slice      time.Duration
	jsonPath   string
	cpuProfile string
}

func main() {
	var cfg config
	flag.IntVar(&cfg.workers, "c", 16, "concurrent workers in each phase")
	// 40 s: runs of 20 s per phase put the ratio anywhere from 0.76 to 0.90 on this
	// machine; runs of 40 and 60 s stayed within 0.84–0.85 (docs/speed.md).
	flag.DurationVar(&cfg.duration, "d", 40*time.Second, "measured duration of each phase")
	flag.DurationVar(&cfg.slice, "slice", time.Second, "length of one measured slice; the phases alternate slice by slice")
	flag.DurationVar(&cfg.warmup, "warmup", 5*time.Second, "unmeasured warm-up of each workload before measuring")
	flag.StringVar(&cfg.jsonPath, "json", "", "also write the figures as JSON to this file")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if cfg.workers < 1 || cfg.duration <= 0 || cfg.warmup < 0 || cfg.slice <= 0 {
		return errors.New("need -c ≥ 1, -d > 0, -slice > 0 and -warmup ≥ 0")
	}
	cfg.endpoint = os.Getenv(dynamolocal.EndpointEnv)
	if cfg.endpoint == "" {
		return fmt.Errorf("%s is not set: run `make bench` (it starts DynamoDB Local and sets it)", dynamolocal.EndpointEnv)
	}
	if err := checkLoopback(cfg.endpoint); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	// Builds first, so the compiler does not compete with the load for the CPU.
	progress("building the Lambda bootstraps (linux/arm64)")
	boots, err := buildBootstraps(ctx)
	if err != nil {
		return err
	}

	// One fresh table (random name: nothing already in DynamoDB Local is touched) serves
	// both phases. Separate tables would skew the comparison: DynamoDB Local makes writes
	// to a table with a stream far slower (here 2 s instead of 20 ms per attempt) once
	// another table's stream holds tens of thousands of records, which phase (a) leaves
	// behind; the table's own records do not slow it down.
	stack, err := newStack(ctx, cfg, fmt.Sprintf("bench-%08x", rand.Uint32()))
	if err != nil {
		return err
	}
	defer stack.drop(ctx)

	raw := newRawLoad(cfg, stack.Table)
	agg := newAggregator(cfg, stack)
	res, stopServer, err := startResident(cfg, stack)
	if err != nil {
		return err
	}
	defer stopServer()

	// Warm both workloads before measuring either: DynamoDB Local's JIT needs over ten
	// seconds of load to reach its pace, and the service fills its caches. Raw puts warm
	// last, right before they are measured.
	if cfg.warmup > 0 {
		progress("warm-up: %s of each workload, not counted", cfg.warmup)
		drive(ctx, cfg.workers, cfg.warmup, res.attempt)
		drive(ctx, cfg.workers, cfg.warmup, raw.put)
	}
	// Everything written so far (warm-up attempts, raw items) goes through the
	// aggregator now, so that phase (b) pays only for its own attempts.
	progress("aggregating the warm-up and passing the raw items (filtered out)")
	if err := agg.finish(ctx); err != nil {
		return fmt.Errorf("aggregator: %w", err)
	}
	progress("(a) raw PutItem and (b) the resident path over HTTP, interleaved in %s slices (a b b a …) with the aggregator on throughout: %d workers, %s each",
		cfg.slice, cfg.workers, cfg.duration)
	a, b, err := interleave(ctx, cfg, raw, res, agg)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errors.New("interrupted: no figures")
	}

	rep := newReport(cfg, a, b, boots)
	rep.print(os.Stdout)
	if cfg.jsonPath != "" {
		if err := rep.writeJSON(cfg.jsonPath); err != nil {
			return err
		}
	}
	return broken(a.phase, b.phase)
}

// interleave measures phases (a) and (b) in alternating slices of cfg.slice, in the
// order a b b a a b …, until each has had cfg.duration: this machine's pace drifts
// (DynamoDB Local's JIT and garbage collector, other processes), and slices that
// alternate share the drift, so the ratio between the phases stays fair. The
// aggregator runs through both phases' slices, as it would beside the load in AWS, and
// finishes the stream at the end, so every attempt is paid with its aggregation; the
// raw items it is handed are filtered out.
func interleave(ctx context.Context, cfg config, raw *rawLoad, res *resident, agg *aggregator) (rawResult, residentResult, error) {
	var pa, pb phase
	raw.begin()
	meter := res.begin(ctx, agg)
	rounds := int((cfg.duration + cfg.slice - 1) / cfg.slice)
	for i := 0; i < rounds && ctx.Err() == nil; i++ {
		runA := func() { pa.merge(drive(ctx, cfg.workers, cfg.slice, raw.put)) }
		runB := func() { pb.merge(drive(ctx, cfg.workers, cfg.slice, res.attempt)) }
		if i%2 == 0 {
			runA()
			runB()
		} else {
			runB()
			runA()
		}
	}
	b, err := res.end(ctx, meter, agg, pb)
	return raw.end(pa), b, err
}

// broken says whether a phase failed too often (or never succeeded) for its figures to
// mean anything; missed targets are not breakage.
func broken(a, b phase) error {
	check := func(name string, p phase) error {
		switch {
		case p.Completed == 0:
			return fmt.Errorf("%s: nothing completed", name)
		case p.ErrorShare() > maxErrorShare:
			return fmt.Errorf("%s: %.1f%% of operations failed (limit %.0f%%)", name, 100*p.ErrorShare(), 100*maxErrorShare)
		}
		return nil
	}
	return errors.Join(check("(a) raw PutItem", a), check("(b) resident path", b))
}

// checkLoopback refuses any DynamoDB endpoint off this machine: the benchmark floods
// its target and is meant only for DynamoDB Local.
func checkLoopback(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("%s=%q: %w", dynamolocal.EndpointEnv, endpoint, err)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s=%q is not a loopback address: the benchmark only runs against DynamoDB Local on this machine", dynamolocal.EndpointEnv, endpoint)
	}
	return nil
}

// progress tells the waiting user what is running; the figures go to stdout.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
