package scripts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"whyk8s/internal/limits"
)

// TestJSONAgreesWithHCL checks the jsontext reader against hcl's JSON parser, which
// read legacy templates before: the same values, strings and lines, and hcl's error for
// text that is not JSON.
func TestJSONAgreesWithHCL(t *testing.T) {
	texts := map[string]string{
		"spread": "{\n  \"builders\": [\n    {\n      \"type\": \"amazon-ebs\",\n\n      \"ami_name\": \"a-{{timestamp}}\"\n    }\n  ],\n" +
			"  \"provisioners\": [{\"type\": \"shell\",\n    \"inline\": [\"a\",\n\t\t\"b \\\"q\\\" \\u00e9\"]}],\r\n  \"n\": [1, -2.5e3, true, false, null, {}, []]\n}\n",
		"duplicate keys": `{"a": "1", "a": "2"}`,
		"scalar":         `"just a string"`,
		"not NFC":        `{"k": "Cafe\u0301"}`,
		"not UTF-8":      "{\"k\": \"a\xffb\"}",
		"lone surrogate": `{"k": "\ud800x"}`,
		"escapes":        `{"k": "\ud83d\ude00 \/ \u0000"}`,
		"numbers":        `[-0, 1E+2, 0.5e-1]`,
	}
	filepath.WalkDir("testdata/repo", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".json") {
			b, _ := os.ReadFile(p)
			texts[p] = string(b)
		}
		return nil
	})
	for name, text := range texts {
		got, err := parseJSON([]byte(text), "t.json")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, diags := hcljson.ParseExpression([]byte(text), "t.json")
		if diags.HasErrors() {
			t.Fatalf("%s: hcl: %v", name, diags)
		}
		compareJSON(t, name, got, want)
	}
	for _, bad := range []string{"", "{\n  \"a\": 1,\n}", "{\"a\" = 1}", "[1]\n[2]", "{\n\n\"a\": \"x\n\"}",
		"\ufeff{}", "[01]", "{\"k\": \"a\tb\"}", "[1,]", "\xff", `"\x"`} {
		_, err := parseJSON([]byte(bad), "t.json")
		_, diags := hcljson.ParseExpression([]byte(bad), "t.json")
		if err == nil || err.Error() != diagError(diags).Error() || errLine(err, 1) != errLine(diagError(diags), 1) {
			t.Errorf("%q: error %v, hcl says %v", bad, err, diagError(diags))
		}
	}
}

func compareJSON(t *testing.T, at string, got *jsonVal, want hcl.Expression) {
	t.Helper()
	if g, w := got.str(), strOf(want, nil); g != w {
		t.Errorf("%s: %+v, hcl gives %+v", at, g, w)
	}
	if items, diags := hcl.ExprList(want); !diags.HasErrors() {
		if len(items) != len(got.items()) || got.items() == nil {
			t.Fatalf("%s: %d items, hcl has %d", at, len(got.items()), len(items))
		}
		for i, it := range items {
			compareJSON(t, at+"[]", got.items()[i], it)
		}
	}
	if kvs, diags := hcl.ExprMap(want); !diags.HasErrors() {
		if len(kvs) != len(got.keys) {
			t.Fatalf("%s: %d keys, hcl has %d", at, len(got.keys), len(kvs))
		}
		for i, kv := range kvs {
			k, _ := kv.Key.Value(nil)
			if k.AsString() != got.keys[i] {
				t.Errorf("%s: key %q, hcl has %q", at, got.keys[i], k.AsString())
			}
			compareJSON(t, at+"."+got.keys[i], got.elems[i], kv.Value)
		}
	}
}

// TestJSONLimitsWhileParsing checks that the nesting counted while parsing reports what
// limits.JSON reports over the whole file, before any parse error: the same limit at the
// same line, and a parse error only where the check finds nothing.
func TestJSONLimitsWhileParsing(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, tc := range []struct {
		name, text string
		limit      bool
	}{
		{"at the limit", deep(limits.Depth), false},
		{"one past the limit", deep(limits.Depth + 1), true},
		{"past the limit on line 3", "{\"a\":\n\n" + deep(limits.Depth) + "}", true},
		{"objects past the limit", strings.Repeat(`{"k":`, limits.Depth+1) + "1" + strings.Repeat("}", limits.Depth+1), true},
		{"deep after a syntax error", `{"a" ` + deep(2*limits.Depth) + "}", false},
		{"deep in data after the value", "{}\n" + deep(2*limits.Depth), true},
		{"deep after a number hcl refuses", `[1e999999999999, ` + deep(2*limits.Depth) + "]", true},
		{"a number hcl refuses, past the size limit", `{"a": 1e999999999999}`, true},
		{"a number past the size limit", "{\"a\": 1,\n\"b\": 2.5e-100000}", true},
		{"a number at the size limit", `[1e400, -1e-400]`, false},
		{"unclosed", strings.Repeat("[", 2*limits.Depth), true},
		{"shallow", `{"builders": [{"type": "amazon-ebs"}]}`, false},
	} {
		_, err := parseJSON([]byte(tc.text), "t.json")
		want := limits.JSON([]byte(tc.text), limits.Depth, limits.Tokens)
		if (want != nil) != tc.limit {
			t.Fatalf("%s: the case is wrong: limits.JSON says %v", tc.name, want)
		}
		var le *limitError
		switch {
		case tc.limit && !errors.As(err, &le):
			t.Errorf("%s: %v, want the limit %v", tc.name, err, want)
		case tc.limit && (le.err.Error() != want.Error() || le.line != want.(*limits.Error).Line):
			t.Errorf("%s: limit %v (line %d), want %v", tc.name, le.err, le.line, want)
		case !tc.limit && errors.As(err, &le):
			t.Errorf("%s: limit %v, want none", tc.name, err)
		}
	}
}

// FuzzJSONAgreesWithHCL checks the reader against hcl's JSON parser on any text: the two
// accept the same texts, within the limits, and read the same values.
func FuzzJSONAgreesWithHCL(f *testing.F) {
	for _, s := range []string{`{"a": ["b", 1, true, null, {}]}`, `"x"`, `[1e400]`, "{\"k\": \"\xff\\ud800\"}", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if limits.JSON(data, limits.Depth, limits.Tokens) != nil {
			return // refused for its size or depth, before either parser reads it
		}
		got, err := parseJSON(data, "t.json")
		want, diags := hcljson.ParseExpression(data, "t.json")
		if (err == nil) != !diags.HasErrors() {
			t.Fatalf("%q: the reader says %v, hcl says %v", data, err, diags)
		}
		if err == nil {
			compareJSON(t, string(data), got, want)
		}
	})
}
