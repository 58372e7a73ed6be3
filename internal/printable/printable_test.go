package printable_test

import (
	"testing"

	"whyk8s/internal/printable"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain/path/web.sh", "plain/path/web.sh"},
		{"Société Générale – Ünïcode «ok»", "Société Générale – Ünïcode «ok»"},
		{"red\x1b[31m.sh", `red\x1b[31m.sh`},
		{"\x1b]0;title\x07", `\x1b]0;title\a`},
		{"two\nlines\r", `two\nlines\r`},
		{"tab\there", `tab\there`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"c1\u009bcsi", `c1\u009bcsi`},
		{"line\u2028sep", `line\u2028sep`},
		{`quotes "and" back\slash`, `quotes "and" back\slash`},
	} {
		if got := printable.Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestLines(t *testing.T) {
	in := "config file: evil\x1b[2J.yaml: not a regular file\nlog.level \"loud\": want debug"
	want := "config file: evil\\x1b[2J.yaml: not a regular file\nlog.level \"loud\": want debug"
	if got := printable.Lines(in); got != want {
		t.Errorf("Lines = %q; want %q", got, want)
	}
}
