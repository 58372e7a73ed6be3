package iac

import (
	"math/big"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestAsStringBoundsNumbers: a number the code computes (pow(10, 100000)) is not written out
// as text, which would take seconds; it is unknown, as a value the code does not give.
// Numbers real code holds are written out whole.
func TestAsStringBoundsNumbers(t *testing.T) {
	huge, _, err := big.ParseFloat("1e100000", 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		v    cty.Value
		want string
		ok   bool
	}{
		{cty.NumberIntVal(42), "42", true},
		{cty.MustParseNumberVal("1.5"), "1.5", true},
		{cty.MustParseNumberVal("1e100"), "1" + strings.Repeat("0", 100), true},
		{cty.NumberVal(huge), "", false},
		{cty.NumberVal(new(big.Float).Neg(huge)), "", false},
	} {
		if got, ok := asString(tc.v); got != tc.want || ok != tc.ok {
			t.Errorf("%#v: %q %v, want %q %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}
