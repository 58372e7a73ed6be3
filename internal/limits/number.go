package limits

import (
	"math/big"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// NumberSize is the largest number a file may write, as its decimal exponent either way
// (1e400, 1e-400) or as digits written out. A number read where a string is expected is
// rendered back as decimal text, every digit of it, and the time that takes grows faster
// than the digits: 1e-100000, eight characters, is 100,000 digits and took 3.4 s, so a
// Packer template of forty such strings held a scan for two minutes. No configuration
// needs a number beyond float64's range (1e308); the bound leaves room above it.
const NumberSize = 400

// NumberTooLarge reports whether lit, a number literal as HCL or JSON writes it, is over
// NumberSize: more than NumberSize characters, or an exponent past it.
func NumberTooLarge(lit []byte) bool {
	if len(lit) > NumberSize {
		return true
	}
	for i, c := range lit {
		if c != 'e' && c != 'E' {
			continue
		}
		exp := lit[i+1:]
		if len(exp) > 0 && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		for len(exp) > 1 && exp[0] == '0' {
			exp = exp[1:]
		}
		n := 0
		for _, d := range exp {
			if d < '0' || d > '9' {
				return false // not a number's exponent: the parser refuses the literal
			}
			if n = n*10 + int(d-'0'); n > NumberSize {
				return true
			}
		}
		return false
	}
	return false
}

// NumberRenderable reports whether f is small enough, either way, to be rendered as
// decimal text in bounded time: within about 10^±(2 × NumberSize), which every literal
// NumberTooLarge lets through is (NumberSize characters with an exponent of at most
// NumberSize), or zero or infinite. Numbers a configuration computes (pow, products of
// products) are not bounded by the literals it writes.
func NumberRenderable(f *big.Float) bool {
	if f == nil || f.IsInf() || f.Sign() == 0 {
		return true
	}
	// |f| = mant × 2^exp with 0.5 ≤ mant < 1, and 10^n is about 2^(n × 3.322).
	exp := f.MantExp(nil)
	const bits = 2 * NumberSize * 3322 / 1000
	return exp >= -bits-1 && exp <= bits+1
}

// MayHoldLargeNumber reports whether src may write a number NumberTooLarge refuses: a run
// of more than NumberSize digits and dots, or an exponent marker after a digit or a dot
// followed by three digits or more (an exponent of 100 or more; lexing tells the rest).
// A text without either holds no such number, whatever its syntax, and need not be lexed
// to know it.
func MayHoldLargeNumber(src []byte) bool {
	for i := 0; i < len(src); {
		// Only digits and dots make a number's run; an exponent marker counts after one.
		for i < len(src) && !numberByte[src[i]] {
			i++
		}
		start := i
		for i < len(src) && numberByte[src[i]] {
			i++
		}
		if i-start > NumberSize {
			return true
		}
		if i < len(src) && i > start && (src[i] == 'e' || src[i] == 'E') {
			j := i + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			k := j
			for k < len(src) && src[k] >= '0' && src[k] <= '9' {
				k++
			}
			if k-j >= 3 {
				return true
			}
			i++
		}
	}
	return false
}

// numberByte marks the digits and the dot: a byte scan over a whole file asks of each.
var numberByte = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true,
	'7': true, '8': true, '9': true, '.': true}

func largeNumberError(line int) *Error {
	return &Error{Limit: "number size", Max: NumberSize, Line: line,
		Detail: "a number larger than 10^" + itoa(NumberSize) + " or smaller than 10^-" + itoa(NumberSize)}
}

// largeNumberIn returns the line of the first number literal among toks that is over
// NumberSize, or 0.
func largeNumberIn(toks hclsyntax.Tokens) int {
	for _, t := range toks {
		if t.Type == hclsyntax.TokenNumberLit && NumberTooLarge(t.Bytes) {
			return t.Range.Start.Line
		}
	}
	return 0
}
