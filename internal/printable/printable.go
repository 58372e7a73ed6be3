// Package printable escapes text from a client's estate — file names, client and workload
// names, messages quoting them — before it reaches a terminal or a file read in one
// (Markdown, CSV): an escape sequence in a file name must not clear the screen, recolour
// the output or forge a line, and a newline must not forge a row. Characters are escaped as
// %q escapes them; other text, accents and all, is left as it is.
package printable

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with control characters (newlines and tabs included), the Unicode line
// and paragraph separators and invalid UTF-8 escaped as %q does (\x1b, \n, \u2028, \xff);
// everything else is kept. Text that needs nothing is returned as it is.
func Escape(s string) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(s[i])&15, 16))
		case unsafe(r):
			b.WriteString(Rune(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Lines is Escape for each line of a message that may span several (errors joined with
// errors.Join): the lines stay lines, anything else is escaped.
func Lines(s string) string {
	if Clean(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}

// Clean reports whether s needs no escaping.
func Clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafe(r) {
			return false
		}
		i += size
	}
	return true
}

// Rune is the %q escape of one rune, without quotes: \x1b, \n, \u0085.
func Rune(r rune) string {
	q := strconv.QuoteRune(r)
	return q[1 : len(q)-1]
}

// unsafe reports the runes a terminal acts on: C0 and C1 controls, DEL, and the Unicode
// line and paragraph separators.
func unsafe(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
}
