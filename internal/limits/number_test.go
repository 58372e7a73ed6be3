package limits_test

import (
	"math/big"
	"strings"
	"testing"

	"whyk8s/internal/limits"
)

// TestLargeNumbers: a number that would take seconds to write out as text (1e-100000 is
// 100,000 digits) is refused, with its line, in every syntax a file may write it; numbers
// real code writes, and digits that are no number (an AMI id), pass.
func TestLargeNumbers(t *testing.T) {
	for _, tc := range []struct {
		name, syntax, src string
		line              int // 0: passes
	}{
		{"float64's largest", "hcl", "a = 1.7976931348623157e308\nb = -1e-300\n", 0},
		{"at the bound", "hcl", "a = 1e400\nb = 1E-0400\n", 0},
		{"past the bound", "hcl", "a = 1\nb = 1e401\n", 2},
		{"tiny", "hcl", "a = 2.5e-100000\n", 1},
		{"in an interpolation", "hcl", "a = 1\nb = \"app-${1e-100000}\"\n", 2},
		{"in a heredoc", "hcl", "a = <<EOF\n  echo ${1e9999}\nEOF\n", 2},
		{"digits written out", "hcl", "a = 1" + strings.Repeat("0", 500) + "\n", 1},
		{"an AMI id, quoted", "hcl", "ami = \"ami-0e12345678901234\"\n", 0},
		{"a hash in a comment", "hcl", "# 9e123456789\na = 1\n", 0},
		{"a JSON number", "json", "{\"a\": 1,\n \"b\": 1e-100000}", 2},
		{"a JSON exponent with zeros", "json", "[1e0000000000000000000005]", 0},
		{"a JSON string", "json", "{\"a\": \"1e-100000\"}", 0},
		{"an interpolation in HCL's JSON", "hcljson", "{\"a\": \"x\",\n\"b\": \"${1e-100000}\"}", 2},
		{"a literal string in HCL's JSON", "hcljson", "{\"a\": \"sha 9e99999\"}", 0},
	} {
		var err error
		switch tc.syntax {
		case "hcl":
			err = limits.HCL([]byte(tc.src), "t.hcl", limits.Depth, limits.Tokens)
		case "json":
			err = limits.JSON([]byte(tc.src), limits.Depth, limits.Tokens)
		default:
			err = limits.HCLJSON([]byte(tc.src), "t.tf.json", limits.Depth, limits.Tokens)
		}
		le, _ := err.(*limits.Error)
		switch {
		case tc.line == 0 && err != nil:
			t.Errorf("%s: %v, want it read", tc.name, err)
		case tc.line != 0 && (le == nil || le.Limit != "number size" || le.Line != tc.line):
			t.Errorf("%s: %v, want the number size limit at line %d", tc.name, err, tc.line)
		}
		if tc.line != 0 && !limits.MayHoldLargeNumber([]byte(tc.src)) {
			t.Errorf("%s: the byte scan misses the number", tc.name)
		}
	}
}

// TestNumberRenderable: a number computed rather than written is rendered only within the
// same bound.
func TestNumberRenderable(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{{"0", true}, {"1e308", true}, {"-1e-400", true}, {"2e400", true}, {"9" + strings.Repeat("0", 395) + "e400", true}, {"0." + strings.Repeat("0", 395) + "1e-400", true}, {"1e802", false}, {"1e-802", false}, {"1e100000", false}} {
		f, _, err := big.ParseFloat(tc.s, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		if got := limits.NumberRenderable(f); got != tc.want {
			t.Errorf("%s: renderable %v, want %v", tc.s, got, tc.want)
		}
	}
	if !limits.NumberRenderable(new(big.Float).SetInf(false)) {
		t.Error("infinity: not renderable")
	}
}
