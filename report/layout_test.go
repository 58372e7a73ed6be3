package report

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// runes measures one unit per character, so widths in these tests are character counts.
func runes(s string) float64 { return float64(utf8.RuneCountInString(s)) }

func TestWrapText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits", "orders api", 20, []string{"orders api"}},
		{"words", "keep session state in a shared store", 12, []string{"keep session", "state in a", "shared store"}},
		{"newlines kept", "first line\nsecond", 20, []string{"first line", "second"}},
		{"empty", "", 10, []string{""}},
		{"ARN breaks after a separator", "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/orders", 20,
			[]string{"arn:aws:", "elasticloadbalancing", ":eu-west-1:", "111111111111:", "targetgroup/orders"}},
		{"no separator: break between characters", "Zürich-Ölhafen-Hauptbahnhof", 8, []string{"Zürich-", "Ölhafen-", "Hauptbah", "nhof"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapText(tt.in, tt.width, runes)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrapText(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
			for _, l := range got {
				if runes(l) > tt.width {
					t.Errorf("line %q is wider than %v", l, tt.width)
				}
			}
			if strings.Join(strings.Fields(strings.Join(got, " ")), "") != strings.Join(strings.Fields(tt.in), "") {
				t.Errorf("wrapping lost or added text: %q", got)
			}
		})
	}
}

func TestFitWidths(t *testing.T) {
	tests := []struct {
		name         string
		widths, mins []float64
		want         []float64
	}{
		{"all fit", []float64{50, 50}, []float64{10, 10}, []float64{50, 50}},
		{"narrow column takes from the others in proportion to their room", []float64{14, 50, 36}, []float64{20, 10, 16}, []float64{20, 46, 34}},
		{"impossible: unchanged", []float64{10, 10}, []float64{15, 15}, []float64{10, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]float64(nil), tt.widths...)
			fitWidths(got, tt.mins)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fitWidths(%v, %v) = %v, want %v", tt.widths, tt.mins, got, tt.want)
			}
		})
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 1: 1, 3: 5, 7: 10, 12: 20, 450: 500, 2000: 2000} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Executive summary", "executive-summary"},
		{"Changes since 14 February 2025", "changes-since-14-february-2025"},
		{"Appendix: inventory", "appendix-inventory"},
		{"Zürich-Ölhafen (111111111111/eu-central-1)", "zürich-ölhafen-111111111111eu-central-1"},
		{"snake_case · name", "snake_case--name"},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	seen := map[string]int{}
	if a, b := uniqueSlug(seen, "Overview"), uniqueSlug(seen, "Overview"); a != "overview" || b != "overview-1" {
		t.Errorf("duplicate headings got anchors %q and %q, want overview and overview-1", a, b)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		fn       func(string) string
		name, in string
		want     string
	}{
		{mdText, "text", "a*b [c] <d> e|f", `a\*b \[c\] &lt;d&gt; e\|f`},
		{mdText, "snake_case kept", "orders_api _x_", `orders_api \_x\_`},
		{mdCell, "cell newlines", "one\ntwo | three", `one<br>two \| three`},
		{mdCode, "code", "a|b", "`a\\|b`"},
		{mdCode, "code with backtick", "echo `id`", "`` echo `id` ``"},
		{mermaidLabel, "mermaid", `Zürich: "Ölhafen" [x]`, "Zürich Ölhafen x"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: %q → %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestTextBar(t *testing.T) {
	for in, want := range map[int]string{0: "░░░░░░░░░░", 55: "██████░░░░", 100: "██████████", 140: "██████████", -5: "░░░░░░░░░░"} {
		if got := textBar(in); got != want {
			t.Errorf("textBar(%d) = %s, want %s", in, got, want)
		}
	}
}
