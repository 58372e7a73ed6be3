package report

import (
	"context"
	"io"

	"whyk8s/assess"
)

// jsonWriter writes the whole assessment. It is the contract history and diff read back,
// so it is the assessment exactly as given.
type jsonWriter struct{}

func (jsonWriter) write(_ context.Context, w io.Writer, a *assess.Assessment) error {
	return WriteJSON(w, a)
}
