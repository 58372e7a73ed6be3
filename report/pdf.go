package report

import (
	"context"
	"errors"
	"io"

	"whyk8s/assess"
)

type pdfWriter struct{}

func newPDFWriter(logo string) (writer, error) { return pdfWriter{}, nil }
func (pdfWriter) file() string                 { return "report.pdf" }
func (pdfWriter) write(ctx context.Context, w io.Writer, a *assess.Assessment) error {
	return errors.New("PDF report: not implemented yet")
}
