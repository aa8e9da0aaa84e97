package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Targets from the issues (12: all-in units, API requests, cost).
const (
	maxAllInUnitsPerAttempt  = 3.5
	maxAPIRequestsPerAttempt = 2.0
	maxCostPer100k           = 0.60
	minRatio                 = 0.8 // issue 12: the resident path at least 0.8 of raw PutItem in the same run
	maxBootstrapMB           = 15.0
)

// report holds the figures; its JSON form is what -json writes.
type report struct {
	Workers     int     `json:"workers"`
	DurationSec float64 `json:"durationSec"`
	WarmupSec   float64 `json:"warmupSec"`
	SliceSec    float64 `json:"sliceSec"`
	Raw         struct {
		stats
		ItemBytes    int     `json:"itemBytes"`
		UnitsPerPut  float64 `json:"writeUnitsPerPut"`
		WritesPerSec float64 `json:"writeUnitsPerSec"`
	} `json:"rawPutItem"`
	Resident struct {
		stats
		WriteUnits      float64 `json:"writeUnits"`
		UnitsPerAttempt float64 `json:"writeUnitsPerAttempt"`
		WritesPerSec    float64 `json:"writeUnitsPerSec"`
	} `json:"residentAttempt"`
	// PerAttempt is per completed attempt, resident path and aggregation together.
	PerAttempt struct {
		AggregationWriteUnits float64 `json:"aggregationWriteUnits"`
		AllInWriteUnits       float64 `json:"allInWriteUnits"`
		ReadUnits             float64 `json:"readUnits"`
		AggregationReadUnits  float64 `json:"aggregationReadUnits"`
		APIRequests           float64 `json:"apiRequests"`
		StreamInvocations     float64 `json:"streamInvocations"`
		LambdaInvocations     float64 `json:"lambdaInvocations"`
		APIMsPerRequest       float64 `json:"apiMsPerRequest"`
		AggMsPerInvocation    float64 `json:"aggregatorMsPerInvocation"`
	} `json:"perAttempt"`
	Costs       []costLine `json:"costPer100k"`
	CostPer100k float64    `json:"costPer100kDollars"`
	// Ratio is (attempts/s × write units per attempt) ÷ raw write units/s: the share of
	// the store's write throughput the resident path turns into useful writes.
	Ratio      float64         `json:"ratio"`
	Bootstraps []bootstrapJSON `json:"bootstraps"`
	Targets    []target        `json:"targets"`

	samples map[string][]string // error samples by phase, printed only
}

// stats are the common figures of a phase.
type stats struct {
	Completed int     `json:"completed"`
	PerSec    float64 `json:"perSec"`
	P50Ms     float64 `json:"p50Ms"`
	P99Ms     float64 `json:"p99Ms"`
	Errors    int     `json:"errors"`
}

type bootstrapJSON struct {
	Function string  `json:"function"`
	Bytes    int64   `json:"bytes"`
	MB       float64 `json:"mb"` // 2^20 bytes
}

type target struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Op    string  `json:"op"` // "<=" or ">="
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit,omitempty"`
	Pass  bool    `json:"pass"`
}

func statsOf(p phase) stats {
	return stats{Completed: p.Completed, PerSec: round(p.PerSec(), 1), P50Ms: ms(p.Percentile(0.50)),
		P99Ms: ms(p.Percentile(0.99)), Errors: p.Errors}
}

func newReport(cfg config, raw rawResult, res residentResult, boots []bootstrap) *report {
	r := &report{Workers: cfg.workers, DurationSec: cfg.duration.Seconds(), WarmupSec: cfg.warmup.Seconds(),
		SliceSec: cfg.slice.Seconds(), samples: map[string][]string{"a": raw.Samples, "b": res.Samples}}
	r.Raw.stats = statsOf(raw.phase)
	r.Raw.ItemBytes = raw.ItemBytes
	r.Raw.UnitsPerPut = round(raw.UnitsPerPut(), 3)
	r.Raw.WritesPerSec = round(raw.WritesPerSec(), 1)
	r.Resident.stats = statsOf(res.phase)
	r.Resident.WriteUnits = round(res.WriteUnits, 3)
	r.Resident.UnitsPerAttempt = round(res.UnitsPerAttempt(), 3)
	r.Resident.WritesPerSec = round(res.PerSec()*res.UnitsPerAttempt(), 1)
	if w := raw.WritesPerSec(); w > 0 {
		r.Ratio = round(res.PerSec()*res.UnitsPerAttempt()/w, 3)
	}
	var f figures
	if n := float64(res.Completed); n > 0 {
		f = figures{WriteUnits: (res.WriteUnits + res.Agg.writeUnits) / n, ReadUnits: (res.ReadUnits + res.Agg.readUnits) / n,
			APIRequests: float64(res.Requests) / n, StreamInvocations: float64(res.Agg.invocations) / n,
			APIBusy: time.Duration(float64(res.APIBusy) / n), AggBusy: time.Duration(float64(res.Agg.busy) / n)}
	}
	pa := &r.PerAttempt
	pa.AggregationWriteUnits = round(f.WriteUnits-res.UnitsPerAttempt(), 3)
	pa.AllInWriteUnits = round(f.WriteUnits, 3)
	pa.ReadUnits = round(f.ReadUnits, 3)
	if res.Completed > 0 {
		pa.AggregationReadUnits = round(res.Agg.readUnits/float64(res.Completed), 3)
	}
	pa.APIRequests = round(f.APIRequests, 3)
	pa.StreamInvocations = round(f.StreamInvocations, 3)
	pa.LambdaInvocations = round(f.APIRequests+f.StreamInvocations, 3)
	if res.Requests > 0 {
		pa.APIMsPerRequest = ms(res.APIBusy / time.Duration(res.Requests))
	}
	if res.Agg.invocations > 0 {
		pa.AggMsPerInvocation = ms(res.Agg.busy / time.Duration(res.Agg.invocations))
	}
	r.Costs = costs(f)
	r.CostPer100k = total(r.Costs)

	r.Targets = append(r.Targets,
		target{Name: "all-in write units per completed attempt", Value: pa.AllInWriteUnits, Op: "<=", Limit: maxAllInUnitsPerAttempt,
			Pass: res.Completed > 0 && f.WriteUnits <= maxAllInUnitsPerAttempt},
		target{Name: "API requests per attempt", Value: pa.APIRequests, Op: "<=", Limit: maxAPIRequestsPerAttempt,
			Pass: res.Completed > 0 && f.APIRequests <= maxAPIRequestsPerAttempt},
		target{Name: "cost per 100,000 attempts", Value: r.CostPer100k, Op: "<=", Limit: maxCostPer100k, Unit: "$",
			Pass: res.Completed > 0 && r.CostPer100k <= maxCostPer100k},
		target{Name: "ratio", Value: r.Ratio, Op: ">=", Limit: minRatio, Pass: r.Ratio >= minRatio})
	for _, b := range boots {
		r.Bootstraps = append(r.Bootstraps, bootstrapJSON{Function: b.Function, Bytes: b.Bytes, MB: round(b.MB(), 2)})
		r.Targets = append(r.Targets, target{Name: "bootstrap " + b.Function, Value: round(b.MB(), 2), Op: "<=",
			Limit: maxBootstrapMB, Unit: "MB", Pass: b.MB() <= maxBootstrapMB})
	}
	return r
}

func (r *report) target(name string) target {
	for _, t := range r.Targets {
		if t.Name == name {
			return t
		}
	}
	return target{}
}

func (r *report) print(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	verdict := func(t target) string {
		op := map[string]string{"<=": "≤", ">=": "≥"}[t.Op]
		v := "MISS"
		if t.Pass {
			v = "PASS"
		}
		if t.Unit == "$" {
			return fmt.Sprintf("target %s $%.2f  %s", op, t.Limit, v)
		}
		return strings.TrimSpace(fmt.Sprintf("target %s %g %s", op, t.Limit, t.Unit)) + "  " + v
	}

	p("")
	p("%d workers, %gs per phase in alternating %gs slices (a b b a …), after a %gs warm-up of each workload (not counted)",
		r.Workers, r.DurationSec, r.SliceSec, r.WarmupSec)
	p("")
	p("(a) raw PutItem, %d-byte items, distinct random keys, straight to DynamoDB Local", r.Raw.ItemBytes)
	p("    completed  %d puts   %.1f/s   p50 %.2f ms   p99 %.2f ms   errors %d",
		r.Raw.Completed, r.Raw.PerSec, r.Raw.P50Ms, r.Raw.P99Ms, r.Raw.Errors)
	p("    write units  %.3f per PutItem  →  %.1f writes/s", r.Raw.UnitsPerPut, r.Raw.WritesPerSec)
	r.printSamples(w, "a")
	p("")
	p("(b) resident attempt over HTTP through the local gateway (start + submit), the stream aggregator on")
	p("    completed  %d attempts   %.1f/s   p50 %.2f ms   p99 %.2f ms   errors %d",
		r.Resident.Completed, r.Resident.PerSec, r.Resident.P50Ms, r.Resident.P99Ms, r.Resident.Errors)
	p("    write units  %.3f per completed attempt on the resident path (%.1f in all)", r.Resident.UnitsPerAttempt, r.Resident.WriteUnits)
	r.printSamples(w, "b")
	pa := r.PerAttempt
	p("")
	p("raw PutItem rate  %.1f/s", r.Raw.PerSec)
	p("resident attempts/s  %.1f", r.Resident.PerSec)
	p("all-in write units per completed attempt  %.2f   (resident path %.2f + aggregation %.2f)   %s",
		pa.AllInWriteUnits, r.Resident.UnitsPerAttempt, pa.AggregationWriteUnits, verdict(r.target("all-in write units per completed attempt")))
	p("read units per completed attempt  %.2f   (strongly consistent GetItem: resident path %.2f + aggregation %.2f)",
		pa.ReadUnits, pa.ReadUnits-pa.AggregationReadUnits, pa.AggregationReadUnits)
	p("API requests per attempt  %.2f   %s", pa.APIRequests, verdict(r.target("API requests per attempt")))
	p("Lambda invocations per attempt  %.3f   (API %.2f + stream batches %.3f)", pa.LambdaInvocations, pa.APIRequests, pa.StreamInvocations)
	p("Lambda time  %.2f ms per API request, %.2f ms per stream batch (local wall time, billed as Lambda duration)",
		pa.APIMsPerRequest, pa.AggMsPerInvocation)
	p("cost per 100,000 attempts  $%.2f   %s", r.CostPer100k, verdict(r.target("cost per 100,000 attempts")))
	p("    us-east-1 list prices (infra/bench/cost.go); CloudFront and free tiers left out")
	for _, c := range r.Costs {
		p("    %-46s %14.1f %-11s $%.4f", c.Item, c.Quantity, c.Unit, c.Dollars)
	}
	p("")
	p("ratio  (%.1f attempts/s × %.3f units) ÷ %.1f raw writes/s = %.3f   %s",
		r.Resident.PerSec, r.Resident.UnitsPerAttempt, r.Raw.WritesPerSec, r.Ratio, verdict(r.target("ratio")))
	if r.Raw.PerSec > 0 {
		p("    (for comparison, no target: %.1f attempts/s ÷ %.1f puts/s = %.3f; an attempt is two API requests and %.0f writes, a put one write)",
			r.Resident.PerSec, r.Raw.PerSec, r.Resident.PerSec/r.Raw.PerSec, r.Resident.UnitsPerAttempt)
	}
	p("")
	p("Lambda bootstraps (GOOS=linux GOARCH=arm64 CGO_ENABLED=0, -tags lambda.norpc -trimpath -ldflags='-s -w'; MB = 2^20 bytes)")
	for _, b := range r.Bootstraps {
		p("    %-12s %10d bytes  %6.2f MB   %s", b.Function, b.Bytes, b.MB, verdict(r.target("bootstrap "+b.Function)))
	}
}

func (r *report) printSamples(w io.Writer, phase string) {
	for _, s := range r.samples[phase] {
		fmt.Fprintf(w, "    error: %s\n", s)
	}
}

func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 2) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
