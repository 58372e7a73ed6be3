package main

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"whyk8s/report"
)

// addPrintFormatFlag adds --format to a command that prints a result; the formats and the
// default come from package report.
func addPrintFormatFlag(cmd *cobra.Command) {
	formats := report.PrintFormats()
	cmd.Flags().String("format", formats[0], "output format: "+strings.Join(formats, ", "))
}

func checkPrintFormat(f string) error {
	if err := report.CheckPrintFormat(f); err != nil {
		return usageError(err)
	}
	return nil
}

// writeJSON prints v as every JSON whyk8s prints is written (report.WriteJSON), for the
// commands whose output is not one of report's.
func writeJSON(w io.Writer, v any) error { return report.WriteJSON(w, v) }
