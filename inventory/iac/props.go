package iac

import (
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"whyk8s/inventory"
)

// place is where a value was written: file, line and a short excerpt of the expression,
// for the message of a gap.
type place struct {
	path string
	line int
	text string
}

// props is the arguments of one resource or nested block, whatever syntax they came from:
// a Terraform block, a CloudFormation Properties map, a module input object. The mappers in
// terraform_map.go, registry.go and cloudformation_map.go read AWS facts through it, so the
// rules about unknown values live in one place.
type props interface {
	// get returns the named argument's value and where it was written; ok is false when
	// the code does not set it.
	get(name string) (v cty.Value, at place, ok bool)
	// subs returns the nested blocks or objects of that name, in written order.
	subs(name string) []props
	// label names the block in messages: "aws_autoscaling_group.web launch_template".
	label() string
	// where is the block's own place.
	where() place
}

// valueProps reads an evaluated object (a module input, a CloudFormation property that an
// intrinsic function produced) as props; every value has the place of the whole object.
type valueProps struct {
	v    cty.Value
	at   place
	name string
}

func (p valueProps) get(name string) (cty.Value, place, bool) {
	a := attr(p.v, name)
	if plain(a).IsNull() {
		return a, p.at, false
	}
	return a, p.at, true
}

func (p valueProps) subs(name string) []props {
	a, _, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []props
	for _, e := range elements(a) {
		out = append(out, valueProps{v: e, at: p.at, name: p.name + " " + name})
	}
	return out
}

func (p valueProps) label() string { return p.name }
func (p valueProps) where() place  { return p.at }

// mapper turns props into Go values, recording a gap for every value the code sets but
// that cannot be known: an unknown value must never become a zero judged as a fact.
type mapper struct {
	gaps *[]inventory.CoverageGap
}

func (m mapper) unresolved(p props, name string, at place, v cty.Value) {
	why := strings.Join(reasonsOf(v), "; ")
	if why == "" {
		why = "not known until the infrastructure is applied"
	}
	msg := p.label() + " " + name
	if at.text != "" {
		msg += " = " + at.text
	}
	*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved, Message: msg + ": " + why})
}

// value returns the named value when it is set and known; otherwise records the gap.
func (m mapper) value(p props, name string) (cty.Value, bool) {
	v, at, ok := p.get(name)
	if !ok {
		return v, false
	}
	if !isKnown(v) {
		m.unresolved(p, name, at, v)
		return v, false
	}
	return v, true
}

func (m mapper) str(p props, name string) string {
	s, _ := m.strOK(p, name)
	return s
}

func (m mapper) strOK(p props, name string) (string, bool) {
	v, ok := m.value(p, name)
	if !ok {
		return "", false
	}
	return asString(v)
}

func (m mapper) intOK(p props, name string) (int, bool) {
	v, ok := m.value(p, name)
	if !ok {
		return 0, false
	}
	return asInt(v)
}

// intOr is the value, or def when the code does not set it (the provider's default).
// An unknown value gives def too, but with a gap that says so.
func (m mapper) intOr(p props, name string, def int) int {
	if i, ok := m.intOK(p, name); ok {
		return i
	}
	return def
}

func (m mapper) intPtr(p props, name string) *int {
	if i, ok := m.intOK(p, name); ok {
		return &i
	}
	return nil
}

func (m mapper) floatPtr(p props, name string) *float64 {
	v, ok := m.value(p, name)
	if !ok {
		return nil
	}
	if f, ok := asFloat(v); ok {
		return &f
	}
	return nil
}

func (m mapper) boolOr(p props, name string, def bool) bool {
	v, ok := m.value(p, name)
	if !ok {
		return def
	}
	if b, ok := asBool(v); ok {
		return b
	}
	return def
}

func (m mapper) boolPtr(p props, name string) *bool {
	v, ok := m.value(p, name)
	if !ok {
		return nil
	}
	if b, ok := asBool(v); ok {
		return &b
	}
	return nil
}

// strs reads a list of strings; unknown elements are left out with a gap each, so a list
// with one unresolved target group still joins the others.
func (m mapper) strs(p props, name string) []string {
	v, at, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range elements(v) {
		if !isKnown(e) {
			m.unresolved(p, name, at, e)
			continue
		}
		if s, ok := asString(e); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// strMap reads a map of strings (tags); unknown values are left out with a gap.
func (m mapper) strMap(p props, name string) map[string]string {
	v, at, ok := p.get(name)
	if !ok {
		return nil
	}
	if !isKnown(v) && plain(v).Type() == cty.DynamicPseudoType {
		m.unresolved(p, name, at, v)
		return nil
	}
	keys, vals := keyed(v)
	out := map[string]string{}
	for _, k := range keys {
		e := vals[k]
		if !isKnown(e) {
			m.unresolved(p, name+"."+k, at, e)
			continue
		}
		if s, ok := asString(e); ok {
			out[k] = s
		}
	}
	return out
}

// userData reads user data as text. The expression is never quoted in a gap: user data
// is where secrets live. A value rendered only in part (a template placeholder that cannot
// be known is kept literally) is used, with a gap naming what was kept.
func (m mapper) userData(p props, name string) string {
	v, at, ok := p.get(name)
	if !ok {
		return ""
	}
	at.text = ""
	if !isKnown(v) {
		m.unresolved(p, name, at, v)
		return ""
	}
	s, ok := asString(v)
	if !ok {
		return ""
	}
	if rs := reasonsOf(v); len(rs) > 0 {
		*m.gaps = append(*m.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
			Message: p.label() + " " + name + " rendered in part, placeholders kept literally: " + strings.Join(rs, "; ")})
	}
	return userDataText(s)
}

// tagList reads tags written as a list of {key, value} objects or blocks (Terraform's tag
// blocks and the old tags list, CloudFormation's Tags).
func (m mapper) tagList(blocks []props, key, value string, into map[string]string) {
	for _, b := range blocks {
		k, ok := m.strOK(b, key)
		if !ok || k == "" {
			continue
		}
		if v, ok := m.strOK(b, value); ok {
			into[k] = v
		}
	}
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sortedUnique(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
