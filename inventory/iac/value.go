package iac

import (
	"encoding/base64"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"whyk8s/internal/limits"
)

// reason is a cty mark carried by every value that is not fully known, saying why: "var.max
// has no default or tfvars value". Marks travel through HCL expressions and function calls,
// so the gap for max_size = var.max * 2 names the variable, not just the attribute.
type reason string

// unknownBecause is a value that cannot be known from the code, marked with why.
func unknownBecause(why string) cty.Value {
	return cty.DynamicVal.Mark(reason(why))
}

// reasonsOf lists the reasons marked anywhere in v, sorted.
func reasonsOf(v cty.Value) []string {
	_, marks := v.UnmarkDeep()
	var out []string
	for m := range marks {
		if r, ok := m.(reason); ok {
			out = append(out, string(r))
		}
	}
	sort.Strings(out)
	return out
}

// plain is v without marks.
func plain(v cty.Value) cty.Value {
	u, _ := v.UnmarkDeep()
	return u
}

// isKnown reports whether v is wholly known (marks aside).
func isKnown(v cty.Value) bool {
	return plain(v).IsWhollyKnown()
}

// asString converts a known primitive to its string form; ok is false for anything else.
func asString(v cty.Value) (string, bool) {
	v = plain(v)
	if v.IsNull() || !v.IsKnown() {
		return "", false
	}
	if v.Type() == cty.Number {
		bf := v.AsBigFloat()
		if !limits.NumberRenderable(bf) {
			return "", false // computed past what can be written out in bounded time: unknown
		}
		if bf.IsInt() {
			i, _ := bf.Int(nil)
			return i.String(), true
		}
		return bf.Text('g', -1), true
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

// asInt converts a known number or numeric string to an int.
func asInt(v cty.Value) (int, bool) {
	s, ok := asString(v)
	if !ok {
		return 0, false
	}
	if i, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return i, true
	}
	f, _, err := big.ParseFloat(strings.TrimSpace(s), 10, 64, big.ToNearestEven)
	if err != nil || !f.IsInt() {
		return 0, false
	}
	i, _ := f.Int64()
	return int(i), true
}

// asFloat converts a known number or numeric string to a float64.
func asFloat(v cty.Value) (float64, bool) {
	s, ok := asString(v)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// asBool converts a known bool or "true"/"false" string.
func asBool(v cty.Value) (bool, bool) {
	s, ok := asString(v)
	if !ok {
		return false, false
	}
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s)))
	return b, err == nil
}

// elements returns the elements of a list, tuple or set (one element for a lone primitive,
// which real code sometimes passes where a list is expected). Null gives none.
func elements(v cty.Value) []cty.Value {
	u, marks := v.Unmark()
	if u.IsNull() {
		return nil
	}
	if !u.IsKnown() {
		return []cty.Value{u.WithMarks(marks)}
	}
	t := u.Type()
	if t.IsListType() || t.IsTupleType() || t.IsSetType() {
		var out []cty.Value
		for it := u.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, e.WithMarks(marks))
		}
		return out
	}
	return []cty.Value{v}
}

// attr returns an object's or map's attribute, null when absent.
func attr(v cty.Value, name string) cty.Value {
	u, marks := v.Unmark()
	if u.IsNull() {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if !u.IsKnown() {
		return u.WithMarks(marks)
	}
	t := u.Type()
	switch {
	case t.IsObjectType():
		if t.HasAttribute(name) {
			return u.GetAttr(name).WithMarks(marks)
		}
	case t.IsMapType():
		if u.HasIndex(cty.StringVal(name)).True() {
			return u.Index(cty.StringVal(name)).WithMarks(marks)
		}
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// keyed returns the entries of a known map or object, sorted by key.
func keyed(v cty.Value) ([]string, map[string]cty.Value) {
	u, marks := v.Unmark()
	if u.IsNull() || !u.IsKnown() {
		return nil, nil
	}
	t := u.Type()
	if !t.IsMapType() && !t.IsObjectType() {
		return nil, nil
	}
	out := map[string]cty.Value{}
	var keys []string
	for it := u.ElementIterator(); it.Next(); {
		k, e := it.Element()
		ks, _ := asString(k)
		out[ks] = e.WithMarks(marks)
		keys = append(keys, ks)
	}
	sort.Strings(keys)
	return keys, out
}

// decodeUserData turns user data as the code gives it into redacted text through the one
// user-data decoder. A value that is wholly base64 (launch templates and CloudFormation
// want it encoded, and code sometimes holds it so) is decoded first; the decoder undoes gzip
// and UTF-16 and refuses binary. Without a decoder, user data is dropped.
func (m mapper) decodeUserData(s string) (string, error) {
	if m.decode == nil {
		return "", nil
	}
	raw := []byte(s)
	if t := strings.TrimSpace(s); t != "" && len(t)%4 == 0 && !strings.ContainsAny(t, " \t\n#!") {
		if b, err := base64.StdEncoding.DecodeString(t); err == nil {
			raw = b
		}
	}
	return m.decode(raw)
}

// identity is a cty mark on a string that stands for what AWS or Terraform assigns when a
// resource is created: an ARN, an id, a generated name. The string is the resource's
// evidence identifier, so that references join the records they name; it is never text a
// human reads, so names, tags and user data show a placeholder in its place (humanText).
type identity struct {
	id   string // the evidence identifier the string holds
	addr string // what the code calls it: "aws_security_group.web.id", "WebServerGroup"
}

// identityVal is the value of a reference to something known only once created.
func identityVal(id, addr string) cty.Value {
	return cty.StringVal(id).Mark(identity{id: id, addr: addr})
}

// identitiesOf lists the identities marked anywhere in v, longest identifier first (so one
// that contains another is replaced whole).
func identitiesOf(v cty.Value) []identity {
	_, marks := v.UnmarkDeep()
	var out []identity
	for m := range marks {
		if id, ok := m.(identity); ok {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].id) != len(out[j].id) {
			return len(out[i].id) > len(out[j].id)
		}
		return out[i].id < out[j].id
	})
	return out
}

// humanText is s, a string rendered from v, with each identifier v stands in for replaced
// by placeholder(addr); why says, for each one replaced, that it is known only once created.
func humanText(s string, v cty.Value, placeholder func(addr string) string) (string, []string) {
	var why []string
	for _, id := range identitiesOf(v) {
		if !strings.Contains(s, id.id) {
			continue
		}
		s = strings.ReplaceAll(s, id.id, placeholder(id.addr))
		why = append(why, id.addr+" is known only once it is created")
	}
	return s, why
}

// ellipsis marks where a name stops being known: "example-asg-…".
const ellipsis = "…"

// knownPrefix cuts a name at its first unknown part: "example-asg-" + ellipsis. It is
// false when nothing before the unknown part is known.
func knownPrefix(s string, cut int) (string, bool) {
	if cut < 0 {
		return s, true
	}
	if cut == 0 {
		return "", false
	}
	return s[:cut] + ellipsis, true
}
