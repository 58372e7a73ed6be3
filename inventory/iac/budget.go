package iac

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// Evaluation budgets (issue 12). Code chooses what the evaluator builds: a 1.7 KB file of
// locals that each concatenate the previous one twice asks for 2^64 bytes, a for
// expression over a range inside another asks for a hundred million elements, an alias of
// an alias of a list in a template asks for a billion nodes. Every evaluation — a root
// module with the modules it calls, the Terragrunt files of a read, a CloudFormation stack
// with its nested stacks — runs on a meter: what it builds is counted as it is built
// (template parts, iterations and results of for expressions, function results, before
// the call for functions whose result can be far larger than their arguments), no value
// may grow past maxValue, references are followed no deeper than the depth bound, and
// the clock and the context are looked at as it goes. Over budget, what is being
// evaluated is unknown, with the limit as its reason, the rest of the file is still read,
// and one gap of kind "limit" says where it stopped.

// maxValue is the most units (bytes of text, elements) one value may hold, shared
// structure counted as often as it is shared: a value is walked whole by cty as it is
// compared, converted or unmarked, and a list of a list of a list shared twice at each
// level is small in memory and endless to walk.
const maxValue = 1 << 20

// meter is the budget of one evaluation, with where it first ran out.
type meter struct {
	budget *limits.Budget
	// hits are where each limit was first crossed (by the limit's name), with the error
	// that said so: the budget running out (units, time) ends the evaluation; references
	// too deep, a value too large, a decoded text too deep or aliased leave that one
	// expression unknown and the evaluation goes on.
	hits  map[string]limitHit
	hooks map[string]function.Function
}

// limitHit is where a limit was first crossed.
type limitHit struct {
	at  place
	err error
}

// units is what one evaluation may build unless Options say otherwise: a quarter of
// limits.DefaultBounds. A root of twenty-five module instances spends under a million
// units; an evaluation that spends units as fast as hclsyntax can iterate (a for inside a
// for inside a for) reaches sixteen million in about two seconds, well before the time
// bound, which is final for everything, literals included.
const units = 16 << 20

func newMeter(ctx context.Context, b limits.Bounds) *meter {
	if b.Units <= 0 {
		b.Units = units
	}
	mt := &meter{budget: limits.NewBudget(ctx, b)}
	mt.hooks = mt.hookFuncs()
	return mt
}

// spend takes n units; the error ends the evaluation.
func (mt *meter) spend(n int64) error { return mt.budget.Spend(n) }

// enter starts a level of evaluation at a place; leave must follow when it returns nil.
func (mt *meter) enter(at func() place) error {
	err := mt.budget.Enter()
	if err != nil {
		mt.notice(err, at)
	}
	return err
}

func (mt *meter) leave() { mt.budget.Leave() }

// notice records where an error of a limit happened, the first time each limit is
// crossed.
func (mt *meter) notice(err error, at func() place) {
	var le *limits.Error
	if !errors.As(err, &le) {
		return
	}
	if _, seen := mt.hits[le.Limit]; seen {
		return
	}
	if mt.hits == nil {
		mt.hits = map[string]limitHit{}
	}
	mt.hits[le.Limit] = limitHit{at: at(), err: err}
}

// noticeDiags notices the errors of the budget that function calls (the library's and
// the hooks) failed with, each where it was called.
func (mt *meter) noticeDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		x, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok || x.FunctionCallError() == nil {
			continue
		}
		r := d.Subject
		if d.Expression != nil {
			rr := d.Expression.Range()
			r = &rr
		}
		if r == nil {
			continue
		}
		mt.notice(x.FunctionCallError(), func() place { return rangePlace(*r) })
	}
}

// check notices a budget that has run out while something at a place was evaluated.
func (mt *meter) check(at func() place) {
	if err := mt.budget.Err(); err != nil {
		mt.notice(err, at)
	}
}

// cancelled is the context's error when that is what ended the evaluation.
func (mt *meter) cancelled() error {
	if err := mt.budget.Err(); err != nil && !limits.IsLimit(err) {
		return err
	}
	return nil
}

// gaps are the limit gaps of the evaluation of what, once it is done: one for each limit
// crossed, where it was first crossed, in the order of the limits' names.
func (mt *meter) gaps(what string) []inventory.CoverageGap {
	names := make([]string, 0, len(mt.hits))
	for n := range mt.hits {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []inventory.CoverageGap
	for _, n := range names {
		h := mt.hits[n]
		then := "not evaluated further, and what depends on it is unknown"
		switch n {
		case "evaluation budget", "time budget":
			then = "stopped here, and what depends on it is unknown"
		case "value size":
			then = "that value is unknown"
		}
		out = append(out, inventory.CoverageGap{Path: h.at.path, Line: h.at.line, Kind: inventory.GapLimit,
			Message: "evaluation of " + what + ": " + h.err.Error() + "; " + then})
	}
	return out
}

// overValue is the error for a value past maxValue.
func overValue() error {
	return &limits.Error{Limit: "value size", Max: maxValue,
		Detail: "a value of more than " + strconv.Itoa(maxValue) + " units (bytes of text and elements, shared parts counted each time)"}
}

// hugeNumber is the error for a number computed past what can be written out as text in
// bounded time (limits.NumberRenderable): 1e-300 squared ten times is 614,400 digits, and
// a template that shows it would take minutes.
func hugeNumber() error {
	return &limits.Error{Limit: "number size", Max: 2 * limits.NumberSize,
		Detail: "a number computed past 10^±" + strconv.Itoa(2*limits.NumberSize)}
}

// deepValue is the error for a value nested deeper than limits.Depth: cty recurses
// once per level wherever it walks one.
func deepValue() error {
	return &limits.Error{Limit: "value size", Max: limits.Depth,
		Detail: "a value nested deeper than " + strconv.Itoa(limits.Depth) + " levels"}
}

// valueSize is how many units v holds, shared parts counted each time. It stops as soon
// as the count passes limit (over is then true, and n is past limit) or v nests deeper
// than limits.Depth (err), so it costs at most limit steps.
func valueSize(v cty.Value, limit int64) (n int64, over bool, err error) {
	type item struct {
		v     cty.Value
		depth int
	}
	stack := []item{{v, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > limits.Depth {
			return n, false, deepValue()
		}
		u := it.v
		if u.IsMarked() {
			u, _ = u.Unmark()
		}
		n++
		if u.IsNull() || !u.IsKnown() {
			continue
		}
		// Whole collections at once: iterating element by element makes a key value for
		// each, and costs ten times as much.
		ty := u.Type()
		switch {
		case ty == cty.Number:
			if err := renderable(u); err != nil {
				return n, false, err
			}
		case ty == cty.String:
			n += int64(len(u.AsString()))
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
			for _, e := range u.AsValueSlice() {
				stack = append(stack, item{e, it.depth + 1})
			}
		case ty.IsObjectType():
			// In name order, as maps below: where a walk stops must not depend on Go's
			// map order, or the same input would be reported two ways.
			names := make([]string, 0, len(ty.AttributeTypes()))
			for k := range ty.AttributeTypes() {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				n += int64(len(k))
				stack = append(stack, item{u.GetAttr(k), it.depth + 1})
			}
		case ty.IsMapType():
			for iter := u.ElementIterator(); iter.Next(); {
				k, e := iter.Element()
				n += int64(len(k.AsString()))
				stack = append(stack, item{e, it.depth + 1})
			}
		}
		if n > limit {
			return n, true, nil
		}
	}
	return n, false, nil
}

// sizeWithin is v's size when it is no more than maxValue; the error says why not.
func sizeWithin(v cty.Value) (int64, error) {
	n, over, err := valueSize(v, maxValue)
	if err != nil {
		return 0, err
	}
	if over {
		return 0, overValue()
	}
	return n, nil
}

// fit is v when it is no larger than maxValue and not too deep, else an unknown saying
// why, with the error.
func fit(v cty.Value) (cty.Value, error) {
	if _, err := sizeWithin(v); err != nil {
		return unknownBecause(err.Error()), err
	}
	return v, nil
}

// cost is what building v costs the meter: its size, when it is within maxValue and the
// budget; past the budget the spend that follows fails.
func (mt *meter) cost(v cty.Value) (int64, error) {
	left := mt.budget.Left() + 1
	n, over, err := valueSize(v, min(int64(maxValue), left))
	switch {
	case err != nil:
		return 0, err
	case over && left > maxValue:
		return 0, overValue()
	}
	return n, nil
}

// Hooks the evaluator puts into the syntax trees it evaluates (see hookExpr): function
// calls around the parts of for expressions and templates that build, so that the meter
// counts what hclsyntax builds without calling anything else of ours.
const (
	hookEach = "__whyk8s_each" // a for expression's collection: its length, the iterations to come
	hookItem = "__whyk8s_item" // a for expression's key or value: its size, once per iteration
	hookPart = "__whyk8s_part" // a template's interpolated part: its length, before it is joined
)

// passHook is a hook function: it passes its argument through once check, when there is
// one, accepts it.
func passHook(check func(v cty.Value) error) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if check != nil {
				if err := check(args[0]); err != nil {
					return cty.NilVal, err
				}
			}
			return args[0], nil
		},
	})
}

func (mt *meter) hookFuncs() map[string]function.Function {
	pass := func(cost func(v cty.Value) (int64, error)) function.Function {
		return passHook(func(v cty.Value) error {
			n, err := cost(v)
			if err != nil {
				return err
			}
			return mt.spend(n)
		})
	}
	return map[string]function.Function{
		hookEach: pass(func(v cty.Value) (int64, error) {
			u, _ := v.Unmark()
			if u.IsNull() || !u.IsKnown() || !u.CanIterateElements() {
				return 0, nil
			}
			return int64(u.LengthInt()), nil
		}),
		hookItem: pass(mt.cost),
		hookPart: pass(func(v cty.Value) (int64, error) {
			if err := renderable(v); err != nil {
				return 0, err // joining it to the template would write it out
			}
			u, _ := v.Unmark()
			if u.IsKnown() && !u.IsNull() && u.Type() == cty.String {
				return int64(len(u.AsString())), nil
			}
			return 1, nil
		}),
	}
}

// metered wraps a function of the library so that the meter sees each call: its
// arguments no larger than maxValue (cty walks them whole before the function runs), what
// it is about to build when that can be far more than its arguments (est), and what it
// built. The wrapper takes any value, so that cty does no walking of its own before it.
func (mt *meter) metered(name string, f function.Function, est estimator) function.Function {
	anything := func(p *function.Parameter) function.Parameter {
		return function.Parameter{Name: p.Name, Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}
	}
	params := f.Params()
	wp := make([]function.Parameter, len(params))
	for i := range params {
		wp[i] = anything(&params[i])
	}
	var vp *function.Parameter
	if v := f.VarParam(); v != nil {
		p := anything(v)
		vp = &p
	}
	return function.New(&function.Spec{
		Params: wp, VarParam: vp,
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			sizes := make([]int64, len(args))
			for i, a := range args {
				n, err := sizeWithin(a)
				if err != nil {
					return cty.NilVal, fmt.Errorf("%s(): %w", name, err)
				}
				sizes[i] = n
			}
			if est != nil {
				n, err := est(args, sizes)
				if err == nil {
					err = mt.spend(n)
				}
				if err != nil {
					return cty.NilVal, fmt.Errorf("%s(): %w", name, err)
				}
			} else if err := mt.budget.Tick(); err != nil {
				return cty.NilVal, err
			}
			// As hclsyntax does before a call: each argument converted to its parameter's
			// type, so that a tuple written out is the list the function takes.
			for i, a := range args {
				p := f.VarParam()
				if i < len(params) {
					p = &params[i]
				}
				if p == nil || p.Type == cty.DynamicPseudoType {
					continue
				}
				c, err := convert.Convert(a, p.Type)
				if err != nil {
					return cty.NilVal, function.NewArgError(i, err)
				}
				args[i] = c
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if est == nil {
				n, err := mt.cost(v)
				if err == nil {
					err = mt.spend(n)
				}
				if err != nil {
					return cty.NilVal, fmt.Errorf("%s(): %w", name, err)
				}
			}
			return v, nil
		},
	})
}

// estimator is what a call is about to build, from its arguments and their sizes; an
// error refuses the call.
type estimator func(args []cty.Value, sizes []int64) (int64, error)

func sum(sizes []int64) int64 {
	var n int64
	for _, s := range sizes {
		n += s
	}
	return n
}

// knownString is v as a string when it is one and known.
func knownString(v cty.Value) (string, bool) {
	u, _ := v.UnmarkDeep()
	if u.IsNull() || !u.IsKnown() || u.Type() != cty.String {
		return "", false
	}
	return u.AsString(), true
}

func lengthOf(v cty.Value) int64 {
	u, _ := v.Unmark()
	if u.IsNull() || !u.IsKnown() || !u.CanIterateElements() {
		return 1
	}
	return int64(u.LengthInt())
}

// saturating multiplication: past maxInt64/2 is as good as infinite here.
func mul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (1<<62)/b {
		return 1 << 62
	}
	return a * b
}

// formatWidth finds the widths and precisions of a format string's verbs: "%999999999d"
// pads to a gigabyte.
var formatWidth = regexp.MustCompile(`%[-+# 0]*([0-9]*)(?:\.([0-9]*))?`)

func formatPadding(f string) int64 {
	var n int64
	for _, m := range formatWidth.FindAllStringSubmatch(f, -1) {
		for _, d := range m[1:] {
			if d == "" {
				continue
			}
			w, err := strconv.ParseInt(d, 10, 64)
			if err != nil {
				return 1 << 62
			}
			n += w
		}
	}
	return n
}

// estimators are the functions whose result can be far larger than their arguments, or
// that walk their input in ways a size check does not cover.
var estimators = map[string]estimator{
	"replace": func(args []cty.Value, sizes []int64) (int64, error) {
		s, ok1 := knownString(args[0])
		sub, ok2 := knownString(args[1])
		if !ok1 || !ok2 {
			return sum(sizes), nil
		}
		count := int64(len(s) + 1) // a regular expression, or an empty string, may match anywhere
		if !(len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/")) && sub != "" {
			count = int64(strings.Count(s, sub))
		}
		return sizes[0] + mul(count, sizes[2]), nil
	},
	"format": func(args []cty.Value, sizes []int64) (int64, error) {
		f, _ := knownString(args[0])
		return sum(sizes) + formatPadding(f), nil
	},
	"formatlist": func(args []cty.Value, sizes []int64) (int64, error) {
		f, _ := knownString(args[0])
		n := int64(1)
		for _, a := range args[1:] {
			n = max(n, lengthOf(a))
		}
		return sum(sizes) + mul(n, int64(len(f))+formatPadding(f)), nil
	},
	"indent": func(args []cty.Value, sizes []int64) (int64, error) {
		u, _ := args[0].Unmark()
		spaces := int64(0)
		if u.IsKnown() && !u.IsNull() && u.Type() == cty.Number {
			if i, acc := u.AsBigFloat().Int64(); acc == 0 && i > 0 {
				spaces = i
			} else if acc != 0 {
				spaces = 1 << 62
			}
		}
		s, _ := knownString(args[1])
		return sizes[1] + mul(spaces, int64(strings.Count(s, "\n")+1)), nil
	},
	"setproduct": func(args []cty.Value, sizes []int64) (int64, error) {
		n := int64(1)
		for _, a := range args {
			n = mul(n, lengthOf(a))
		}
		return mul(n, int64(len(args))+1) + sum(sizes), nil
	},
	"join": func(args []cty.Value, sizes []int64) (int64, error) { return 2 * sum(sizes), nil },
	"jsonencode": func(args []cty.Value, sizes []int64) (int64, error) {
		return 6*sum(sizes) + 16, nil // every byte may take \u00XX
	},
	"yamlencode": func(args []cty.Value, sizes []int64) (int64, error) {
		return 8*sum(sizes) + 16, nil
	},
	"jsondecode": func(args []cty.Value, sizes []int64) (int64, error) {
		if s, ok := knownString(args[0]); ok {
			if err := limits.JSON([]byte(s), limits.Depth, limits.Tokens); err != nil {
				return 0, err
			}
		}
		return 4 * sum(sizes), nil
	},
	"yamldecode": func(args []cty.Value, sizes []int64) (int64, error) {
		if s, ok := knownString(args[0]); ok {
			if err := checkYAMLText([]byte(s)); err != nil {
				return 0, err
			}
		}
		return 4 * sum(sizes), nil
	},
	"csvdecode": func(args []cty.Value, sizes []int64) (int64, error) { return 4 * sum(sizes), nil },
	"range": func(args []cty.Value, sizes []int64) (int64, error) {
		var f [3]float64
		for i, a := range args {
			u, _ := a.Unmark()
			if i < 3 && u.IsKnown() && !u.IsNull() && u.Type() == cty.Number {
				f[i], _ = u.AsBigFloat().Float64()
			}
		}
		n := f[0]
		switch len(args) {
		case 2:
			n = f[1] - f[0]
		case 3:
			if f[2] != 0 {
				n = (f[1] - f[0]) / f[2]
			}
		}
		if n < 0 {
			n = -n
		}
		if n > maxRange {
			return 0, fmt.Errorf("range of more than %d elements", maxRange)
		}
		return int64(n) + 1, nil
	},
}

// checkYAMLText is the check yamldecode's input passes: not too large, deep or aliased.
func checkYAMLText(src []byte) error {
	if limits.OverTokens(src, limits.Tokens) {
		return &limits.Error{Limit: "size", Max: limits.Tokens, Detail: "more than " + strconv.Itoa(limits.Tokens) + " tokens"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil // the decoder says what is wrong with it
	}
	return limits.YAML(&doc, limits.Depth, limits.Nodes)
}

// unmetered are the functions left as they are: try and can take their arguments as
// expressions, not values, and must see them so.
var unmetered = map[string]bool{"try": true, "can": true}

// meterFunctions wraps a function table for mt, with the hooks.
func (mt *meter) meterFunctions(fns map[string]function.Function) map[string]function.Function {
	out := make(map[string]function.Function, len(fns)+len(mt.hooks))
	for n, f := range fns {
		if unmetered[n] {
			out[n] = f
			continue
		}
		out[n] = mt.metered(n, f, estimators[n])
	}
	for n, f := range mt.hooks {
		out[n] = f
	}
	return out
}

// renderable is hugeNumber for a known number past what can be written out, else nil.
func renderable(v cty.Value) error {
	v, _ = v.Unmark()
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.Number && !limits.NumberRenderable(v.AsBigFloat()) {
		return hugeNumber()
	}
	return nil
}
