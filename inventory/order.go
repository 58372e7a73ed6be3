package inventory

import (
	"cmp"
	"strings"
)

// The one order of evidence and facts: by place — file, then line as a number (line 9
// before line 10), then ARN and field — then by what they say. Everything that sorts
// evidence or facts (the estate, a scan, the assessment, a diff) sorts with these, so the
// same facts always come out in the same order wherever they are listed.

// CompareEvidence orders evidence by file, line, ARN, field, value and excerpt.
func CompareEvidence(a, b Evidence) int {
	if c := ComparePlace(a, b); c != 0 {
		return c
	}
	if c := strings.Compare(a.Value, b.Value); c != 0 {
		return c
	}
	return strings.Compare(a.Excerpt, b.Excerpt)
}

// ComparePlace orders evidence by where it points: file, line, ARN, field.
func ComparePlace(a, b Evidence) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := strings.Compare(a.ARN, b.ARN); c != 0 {
		return c
	}
	return strings.Compare(a.Field, b.Field)
}

// CompareFacts orders facts by place (file and line), then kind, then detail, then every
// other field, so that only identical facts compare equal.
func CompareFacts(a, b *Fact) int {
	// A fact's evidence is a file and line, with no ARN or field: ComparePlace on it is
	// file, then line as a number.
	if c := strings.Compare(a.Evidence.File, b.Evidence.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Evidence.Line, b.Evidence.Line); c != 0 {
		return c
	}
	// Kinds are ordered by name, as when they were strings: the order is part of the output.
	if c := strings.Compare(a.Kind.String(), b.Kind.String()); c != 0 {
		return c
	}
	// Facts of one kind on one line are rare enough that deriving their details here
	// costs nothing a scan would notice.
	if c := strings.Compare(a.Detail(), b.Detail()); c != 0 {
		return c
	}
	am, bm := a.MountOf(), b.MountOf()
	for _, p := range [...][2]string{
		{a.Name, b.Name}, {a.Service, b.Service}, {a.Class.String(), b.Class.String()}, {a.Scope.String(), b.Scope.String()}, {a.Via, b.Via},
		{a.Command(), b.Command()}, {a.Image(), b.Image()}, {a.Path(), b.Path()}, {a.Device(), b.Device()},
		{am.Source, bm.Source}, {am.Target, bm.Target}, {am.FSType, bm.FSType},
		{a.Address(), b.Address()}, {a.Key(), b.Key()}, {a.Value(), b.Value()}, {a.Schedule(), b.Schedule()},
	} {
		if c := strings.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	return strings.Compare(a.Evidence.Excerpt, b.Evidence.Excerpt) // CompareEvidence, with no value
}

// CompareGaps orders coverage gaps by account, region, service, operation, path, line (as
// a number), kind and message.
func CompareGaps(a, b CoverageGap) int {
	for _, p := range [...][2]string{{a.Account, b.Account}, {a.Region, b.Region}, {a.Service, b.Service}, {a.Operation, b.Operation}, {a.Path, b.Path}} {
		if c := strings.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}
