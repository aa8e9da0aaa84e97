package testenv

import (
	"sync"
	"time"
)

type atomicTime struct {
	mu sync.Mutex
	t  time.Time
}

func (a *atomicTime) Load() time.Time   { a.mu.Lock(); defer a.mu.Unlock(); return a.t }
func (a *atomicTime) Store(t time.Time) { a.mu.Lock(); defer a.mu.Unlock(); a.t = t }
