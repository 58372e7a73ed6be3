package report

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"whyk8s/assess"
)

// TestMarkdownLinksResolve checks that every in-document link of the Markdown report points
// at a heading, computing anchors the way GitHub does: a broken contents entry or workload
// link is what a reader clicks first.
func TestMarkdownLinksResolve(t *testing.T) {
	tests := []struct {
		name string
		a    func() *assess.Assessment
	}{
		{"sample", Sample},
		{"condensed", func() *assess.Assessment { return Synthetic(60) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := newMarkdownWriter(Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w.write(context.Background(), &buf, tt.a()); err != nil {
				t.Fatal(err)
			}
			anchors := map[string]bool{}
			seen := map[string]int{}
			inFence := false
			for _, line := range strings.Split(buf.String(), "\n") {
				if strings.HasPrefix(line, "```") {
					inFence = !inFence
				}
				if inFence || !strings.HasPrefix(line, "#") {
					continue
				}
				text := strings.TrimSpace(strings.TrimLeft(line, "#"))
				// GitHub builds the anchor from the rendered text: drop Markdown escapes.
				text = regexp.MustCompile(`\\(.)`).ReplaceAllString(text, "$1")
				anchors[uniqueSlug(seen, text)] = true
			}
			links := regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(buf.String(), -1)
			if len(links) < 10 {
				t.Fatalf("only %d in-document links; the contents alone has more", len(links))
			}
			for _, l := range links {
				if !anchors[l[1]] {
					t.Errorf("link #%s points at no heading", l[1])
				}
			}
		})
	}
}
