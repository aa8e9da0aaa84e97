package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// Targets from the issue.
const (
	maxUnitsPerAttempt = 4.0
	minRatio           = 0.7
	maxBootstrapMB     = 15.0
)

// report holds the figures; its JSON form is what -json writes.
type report struct {
	Workers     int     `json:"workers"`
	DurationSec float64 `json:"durationSec"`
	WarmupSec   float64 `json:"warmupSec"`
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
		samples: map[string][]string{"a": raw.Samples, "b": res.Samples}}
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

	r.Targets = append(r.Targets,
		target{Name: "write units per completed attempt", Value: r.Resident.UnitsPerAttempt, Op: "<=", Limit: maxUnitsPerAttempt,
			Pass: res.Completed > 0 && res.UnitsPerAttempt() <= maxUnitsPerAttempt},
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
		return strings.TrimSpace(fmt.Sprintf("target %s %g %s", op, t.Limit, t.Unit)) + "  " + v
	}

	p("")
	p("%d workers, %gs per phase, after a %gs warm-up of each workload (not counted)", r.Workers, r.DurationSec, r.WarmupSec)
	p("")
	p("(a) raw PutItem, %d-byte items, distinct random keys, straight to DynamoDB Local", r.Raw.ItemBytes)
	p("    completed  %d puts   %.1f/s   p50 %.2f ms   p99 %.2f ms   errors %d",
		r.Raw.Completed, r.Raw.PerSec, r.Raw.P50Ms, r.Raw.P99Ms, r.Raw.Errors)
	p("    write units  %.3f per PutItem  →  %.1f writes/s", r.Raw.UnitsPerPut, r.Raw.WritesPerSec)
	r.printSamples(w, "a")
	p("")
	p("(b) resident attempt over HTTP through the local gateway (start + submit, aggregator off)")
	p("    completed  %d attempts   %.1f/s   p50 %.2f ms   p99 %.2f ms   errors %d",
		r.Resident.Completed, r.Resident.PerSec, r.Resident.P50Ms, r.Resident.P99Ms, r.Resident.Errors)
	p("    write units  %.3f per completed attempt (%.1f in all)   %s",
		r.Resident.UnitsPerAttempt, r.Resident.WriteUnits, verdict(r.target("write units per completed attempt")))
	r.printSamples(w, "b")
	p("")
	p("ratio  (%.1f attempts/s × %.3f units) ÷ %.1f raw writes/s = %.3f   %s",
		r.Resident.PerSec, r.Resident.UnitsPerAttempt, r.Raw.WritesPerSec, r.Ratio, verdict(r.target("ratio")))
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
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 2) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
