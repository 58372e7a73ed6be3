package limits

import (
	"context"
	"strconv"
	"time"
)

// Bounds are what one evaluation may spend.
type Bounds struct {
	// Units is how much it may build: bytes of text, elements of collections and
	// iterations of loops, counted together.
	Units int64
	// Depth is how deeply it may recurse: references followed through references.
	Depth int
	// Time is how long it may run.
	Time time.Duration
}

// Defaults for one evaluation: one root module with the modules it calls, one
// CloudFormation stack with its nested stacks. A root of twenty-five module instances
// spends under a million units and a few milliseconds.
var DefaultBounds = Bounds{Units: 64 << 20, Depth: 200, Time: 10 * time.Second}

// Budget is what an evaluation has left. It is not safe for concurrent use: an
// evaluation runs on one goroutine.
//
// Running out of units is final for building: every later Spend fails with the same
// error, so whatever needs something built is unknown from then on, while what is
// written out or refers to what was built still evaluates (a group's literal name in the
// same folder as a file of locals that double is still read). Running out of time is
// final for everything, and so is a cancelled context, with its own error. Depth is per
// chain: a reference chain too deep to follow is unknown, and the evaluation goes on
// with the next one.
type Budget struct {
	ctx      context.Context
	bounds   Bounds
	deadline time.Time
	used     int64
	depth    int
	ticks    int
	over     error // out of units
	err      error // out of time, or cancelled
}

// NewBudget starts a budget of b (DefaultBounds for a zero field) that also ends when ctx
// is done.
func NewBudget(ctx context.Context, b Bounds) *Budget {
	if b.Units <= 0 {
		b.Units = DefaultBounds.Units
	}
	if b.Depth <= 0 {
		b.Depth = DefaultBounds.Depth
	}
	if b.Time <= 0 {
		b.Time = DefaultBounds.Time
	}
	return &Budget{ctx: ctx, bounds: b, deadline: time.Now().Add(b.Time)}
}

// Bounds are the budget's bounds, defaults filled in.
func (b *Budget) Bounds() Bounds { return b.bounds }

// Spend takes n units from the budget, and notices the clock and the context now and
// then; it returns the error that ends the evaluation, if it has ended.
func (b *Budget) Spend(n int64) error {
	if b.err != nil {
		return b.err
	}
	if b.over != nil {
		return b.over
	}
	if n > 0 {
		b.used += n
		if b.used > b.bounds.Units {
			b.over = &Error{Limit: "evaluation budget", Max: b.bounds.Units,
				Detail: "builds more than " + strconv.FormatInt(b.bounds.Units, 10) + " units (bytes of text, elements and iterations)"}
			return b.over
		}
	}
	return b.Tick()
}

// Left is how many units are left.
func (b *Budget) Left() int64 {
	if b.err != nil || b.over != nil {
		return 0
	}
	return b.bounds.Units - b.used
}

// Used is how many units were spent.
func (b *Budget) Used() int64 { return b.used }

// Tick notices the clock and the context, every so often: often enough that a long loop
// stops within a few milliseconds of the deadline, rarely enough to cost nothing.
func (b *Budget) Tick() error {
	if b.err != nil {
		return b.err
	}
	if b.ticks++; b.ticks%256 != 0 {
		return nil
	}
	return b.Check()
}

// Check looks at the clock and the context now.
func (b *Budget) Check() error {
	if b.err != nil {
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		b.err = err
		return err
	}
	if time.Now().After(b.deadline) {
		b.err = &Error{Limit: "time budget", Max: int64(b.bounds.Time / time.Second),
			Detail: "still evaluating after " + b.bounds.Time.String()}
		return b.err
	}
	return nil
}

// Enter starts a level of recursion; Leave must follow when Enter returns nil. Enter
// fails past the depth bound (the budget goes on), or when the budget has ended.
func (b *Budget) Enter() error {
	if err := b.Tick(); err != nil {
		return err
	}
	if b.depth >= b.bounds.Depth {
		return &Error{Limit: "reference depth", Max: int64(b.bounds.Depth),
			Detail: "references followed deeper than " + strconv.Itoa(b.bounds.Depth) + " levels"}
	}
	b.depth++
	return nil
}

// Leave ends the level Enter started.
func (b *Budget) Leave() {
	if b.depth > 0 {
		b.depth--
	}
}

// Err is the error that ended the evaluation (time, the context), else the one that
// ended building (units), or nil.
func (b *Budget) Err() error {
	if b.err != nil {
		return b.err
	}
	return b.over
}
