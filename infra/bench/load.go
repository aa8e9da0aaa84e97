package main

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// op is one measured operation. It must not be cancelled by the phase deadline: an
// operation that started before the deadline runs to its end, so the deadline never
// turns into a burst of errors. worker and iter let it vary its input.
type op func(ctx context.Context, worker, iter int) error

// phase is what one closed-loop run measured.
type phase struct {
	Completed int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration // of completed operations, sorted
	Samples   []string        // a few distinct error messages, to say what broke
}

const maxSamples = 5

// drive runs f in `workers` closed loops (each starts its next operation as soon as the
// previous one ends) until d has passed or ctx ends. Every loop checks the deadline
// before each operation, so the phase ends by itself.
func drive(ctx context.Context, workers int, d time.Duration, f op) phase {
	type tally struct {
		lat     []time.Duration
		errors  int
		samples []string
	}
	tallies := make([]tally, workers)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			t := &tallies[w]
			// Preallocated so appending does not reallocate (and pause) mid-run.
			t.lat = make([]time.Duration, 0, 4096)
			for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
				t0 := time.Now()
				err := f(ctx, w, i)
				dt := time.Since(t0)
				if err != nil {
					t.errors++
					if len(t.samples) < maxSamples {
						t.samples = append(t.samples, err.Error())
					}
					continue
				}
				t.lat = append(t.lat, dt)
			}
		})
	}
	wg.Wait()
	// Elapsed runs to the end of the last operation, not to the deadline: the rate is
	// the work done over the time it really took.
	p := phase{Elapsed: time.Since(start)}
	for _, t := range tallies {
		p.Latencies = append(p.Latencies, t.lat...)
		p.Errors += t.errors
		for _, s := range t.samples {
			if len(p.Samples) < maxSamples && !slices.Contains(p.Samples, s) {
				p.Samples = append(p.Samples, s)
			}
		}
	}
	slices.Sort(p.Latencies)
	p.Completed = len(p.Latencies)
	return p
}

// merge adds another run of the same workload to p: the counts, the time and the
// latencies add up, so the rate is the work of all runs over their summed time.
func (p *phase) merge(q phase) {
	p.Completed += q.Completed
	p.Errors += q.Errors
	p.Elapsed += q.Elapsed
	p.Latencies = append(p.Latencies, q.Latencies...)
	slices.Sort(p.Latencies)
	for _, s := range q.Samples {
		if len(p.Samples) < maxSamples && !slices.Contains(p.Samples, s) {
			p.Samples = append(p.Samples, s)
		}
	}
}

// PerSec is completed operations per second.
func (p phase) PerSec() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Completed) / p.Elapsed.Seconds()
}

// Percentile returns the nearest-rank percentile (0 < q ≤ 1) of the latencies.
func (p phase) Percentile(q float64) time.Duration {
	n := len(p.Latencies)
	if n == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(n))) - 1
	return p.Latencies[min(max(i, 0), n-1)]
}

// ErrorShare is errors over all finished operations.
func (p phase) ErrorShare() float64 {
	total := p.Completed + p.Errors
	if total == 0 {
		return 0
	}
	return float64(p.Errors) / float64(total)
}
