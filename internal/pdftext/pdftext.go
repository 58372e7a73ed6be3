// Package pdftext extracts the text of a PDF, page by page, for the tests that check what a
// report says (or must never say): the streams are compressed and font-encoded, so the raw
// bytes alone would hide a leak. Only tests import it.
package pdftext

import (
	"bytes"
	"fmt"

	"github.com/ledongthuc/pdf"
)

// Pages returns the plain text of each page of the PDF in raw; a page without content
// gives no entry.
func Pages(raw []byte) ([]string, error) {
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("parse PDF: %w", err)
	}
	var out []string
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		s, err := p.GetPlainText(nil)
		if err != nil {
			return nil, fmt.Errorf("PDF page %d: %w", i, err)
		}
		out = append(out, s)
	}
	return out, nil
}
