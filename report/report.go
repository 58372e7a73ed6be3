// Package report renders an assess.Assessment as files: a Markdown report, a PDF for the
// board, the assessment as JSON (the contract for history and diff) and a CSV of workloads.
//
// Writers render the assessment as given. They sort nothing that carries meaning and compute
// no scores: every number they print was put there by package assess.
package report

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"whyk8s/assess"
	"whyk8s/internal/atomicfile"
)

// ErrBadOption is wrapped by every error that is the caller's input's fault (an unknown
// format, an unreadable logo or template), so the command line can answer it with the
// "bad input" exit code.
var ErrBadOption = errors.New("bad report options")

// DefaultDir is the folder reports are written to when none is named.
const DefaultDir = "whyk8s-report"

// Options says which reports to write and where.
type Options struct {
	// Dir is the output folder; it is created if missing. Empty means the current folder.
	Dir string
	// Name prefixes every file name: "" gives report.md, report.pdf, assessment.json and
	// workloads.csv; "acme" gives acme-report.md and so on.
	Name string
	// Formats is a subset of Formats(); empty means all of them.
	Formats []string
	// Logo is an optional PNG or JPEG shown on the PDF's first page.
	Logo string
	// Template is an optional text/template file that replaces the embedded Markdown one.
	Template string
	// Manifests, when set, are the starter manifests written beside the report, and
	// ManifestsIndex their index README; the Markdown report links each workload to its
	// folder.
	Manifests      []ManifestLink
	ManifestsIndex string
}

// writer renders one format. Adding a format is adding a writer and a line to newWriter.
type writer interface {
	// file is the file name the format is written to, before the Name prefix.
	file() string
	// write renders a to w. It returns an error rather than a partial rendering.
	write(ctx context.Context, w io.Writer, a *assess.Assessment) error
}

// formatNames are the valid formats in the order they are documented.
var formatNames = []string{"md", "pdf", "json", "csv"}

// Formats returns the valid format names.
func Formats() []string { return append([]string(nil), formatNames...) }

// newWriter is the one place a format name becomes a writer. It reads what the format
// needs (the template, the logo) now, so that Check can report a bad one before a long run.
// A writer can come back together with an error that does not stop it: a logo that cannot
// be read gives a PDF without a logo.
func newWriter(format string, opts Options) (writer, error) {
	switch format {
	case "md":
		w, err := newMarkdownWriter(opts.Template)
		if mw, ok := w.(markdownWriter); ok {
			mw.manifests = manifestsView(opts)
			w = mw
		}
		return w, err
	case "pdf":
		return newPDFWriter(opts.Logo)
	case "json":
		return jsonWriter{}, nil
	case "csv":
		return csvWriter{}, nil
	}
	return nil, fmt.Errorf("%w: unknown format %q (valid formats: %s)", ErrBadOption, format, strings.Join(formatNames, ", "))
}

// formats returns the requested formats, normalised, de-duplicated and in documented order.
func (o Options) formats() ([]string, error) {
	if len(o.Formats) == 0 {
		return Formats(), nil
	}
	want := map[string]bool{}
	for _, f := range o.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if !contains(formatNames, f) {
			return nil, fmt.Errorf("%w: unknown format %q (valid formats: %s)", ErrBadOption, f, strings.Join(formatNames, ", "))
		}
		want[f] = true
	}
	var out []string
	for _, f := range formatNames {
		if want[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Check validates the options without writing anything: format names, the file-name
// prefix, and that the logo and template can be read and parsed. The command line can call
// it before a long collection so that a typo does not cost the run.
func (o Options) Check() error {
	_, problems, err := o.plan()
	return errors.Join(err, problems)
}

type namedWriter struct {
	path string
	w    writer
}

// plan turns the options into writers. err means nothing can be written (an unknown
// format, a name that is a path); problems are bad inputs of single formats, which are
// reported while the other formats are still written.
func (o Options) plan() (ws []namedWriter, problems, err error) {
	if strings.ContainsAny(o.Name, `/\`) || o.Name == "." || o.Name == ".." {
		return nil, nil, fmt.Errorf("%w: report name %q must be a file-name prefix, not a path", ErrBadOption, o.Name)
	}
	formats, err := o.formats()
	if err != nil {
		return nil, nil, err
	}
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	var errs []error
	for _, f := range formats {
		w, err := newWriter(f, o)
		if err != nil {
			errs = append(errs, err)
		}
		if w == nil {
			continue
		}
		name := w.file()
		if o.Name != "" {
			name = o.Name + "-" + name
		}
		ws = append(ws, namedWriter{path: filepath.Join(dir, name), w: w})
	}
	return ws, errors.Join(errs...), nil
}

// Write renders a in every requested format into opts.Dir and returns the paths written,
// sorted.
//
// An unknown format or a name that is a path fails before anything is written. Otherwise
// each format is written on its own and one that fails does not stop the others: a
// template that does not parse costs the Markdown report only, a logo that cannot be read
// leaves the PDF without a logo. The error then names every problem; those that are the
// caller's input wrap ErrBadOption.
//
// Every file is written to a temporary name and renamed when complete, so a failed or
// interrupted run never leaves a truncated report, and an existing report is only ever
// replaced by a complete one.
func Write(ctx context.Context, a *assess.Assessment, opts Options) ([]string, error) {
	if a == nil {
		return nil, errors.New("write report: no assessment")
	}
	writers, problems, err := opts.plan()
	if err != nil {
		return nil, err
	}
	errs := []error{problems}
	if opts.Dir != "" && len(writers) > 0 {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, errors.Join(problems, fmt.Errorf("create report folder: %w", err))
		}
	}
	var paths []string
	for _, nw := range writers {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", nw.path, err))
			break
		}
		if err := writeFile(ctx, nw.path, nw.w, a); err != nil {
			errs = append(errs, err)
			continue
		}
		paths = append(paths, nw.path)
	}
	sort.Strings(paths)
	return paths, errors.Join(errs...)
}

// writeFile renders one format to path atomically.
func writeFile(ctx context.Context, path string, w writer, a *assess.Assessment) error {
	return atomicfile.Write(path, 0o644, func(f io.Writer) error {
		bw := bufio.NewWriterSize(f, 64<<10)
		if err := w.write(ctx, bw, a); err != nil {
			return err
		}
		return bw.Flush()
	})
}
