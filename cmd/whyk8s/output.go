package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// printFormats are the --format values of commands that print a result.
var printFormats = []string{"text", "json", "md"}

func checkPrintFormat(f string) error {
	for _, ok := range printFormats {
		if f == ok {
			return nil
		}
	}
	return usageError(fmt.Errorf("--format %q: want one of %s", f, strings.Join(printFormats, ", ")))
}

// writeJSON writes v as indented JSON, the stable machine-readable shape of a command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table prints aligned text columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) { fmt.Fprintln(t.tw, strings.Join(cells, "\t")) }
func (t *table) flush() error        { return t.tw.Flush() }
