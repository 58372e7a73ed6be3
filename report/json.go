package report

import (
	"context"
	"encoding/json"
	"io"

	"whyk8s/assess"
)

// jsonWriter writes the whole assessment. It is the contract history and diff read back,
// so it is the assessment exactly as given: indented for humans and diffs, with '<', '>'
// and '&' left readable, and a trailing newline.
type jsonWriter struct{}

func (jsonWriter) file() string { return "assessment.json" }

func (jsonWriter) write(_ context.Context, w io.Writer, a *assess.Assessment) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(a)
}
