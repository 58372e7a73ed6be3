// Package report renders an assess.Assessment as files: a Markdown report, a PDF for the
// board (report.pdf, at most twelve pages), a PDF with a page per workload for the
// consultant (workloads.pdf), the assessment as JSON (the contract for history and diff),
// a CSV of workloads and a workbook (workloads.xlsx) to work from.
// It also renders what commands print on a stream — the scan of a folder of scripts, the
// rule catalogue, the changes between two assessments — as text, JSON or Markdown.
//
// Each report format is a writer and a line in formats (report.go); each print format is a
// file of writers and a line in printFormats (print.go). A run's report files are put in
// place together (internal/atomicfile.Set): a folder never holds files of two runs.
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
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

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
	// Formats is a subset of Formats(); empty means all of them. Files of the formats not
	// asked for are removed from the folder, so that it never holds reports of two runs.
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

// writer renders one format.
type writer interface {
	// write renders a to w. It returns an error rather than a partial rendering.
	write(ctx context.Context, w io.Writer, a *assess.Assessment) error
}

// format is one kind of report file.
type format struct {
	name string // as given to --format
	file string // the file it is written to, before the Name prefix
	// open builds the writer, reading now what the format needs (the template, the logo)
	// so that Check can report a bad one before a long run. A writer can come back
	// together with an error that does not stop it: a logo that cannot be read gives a PDF
	// without a logo.
	open func(Options) (writer, error)
}

// formats is the registry of report formats, in the order they are documented. Adding a
// format is adding a file with its writer and a line here: it is then offered by --format,
// written by default, and replaced with the rest of a run's files.
var formats = []format{
	{name: "md", file: "report.md", open: newMarkdownWriter},
	{name: "pdf", file: "report.pdf", open: newPDFWriter},
	{name: "workloads-pdf", file: "workloads.pdf", open: always(workloadsPDFWriter{})},
	{name: "json", file: "assessment.json", open: always(jsonWriter{})},
	{name: "csv", file: "workloads.csv", open: always(csvWriter{})},
	{name: "xlsx", file: "workloads.xlsx", open: always(xlsxWriter{})},
}

// always opens a writer that needs nothing from the options.
func always(w writer) func(Options) (writer, error) {
	return func(Options) (writer, error) { return w, nil }
}

// Formats returns the valid format names, in documented order. A run writes all of them
// unless told otherwise.
func Formats() []string {
	out := make([]string, 0, len(formats))
	for _, f := range formats {
		out = append(out, f.name)
	}
	return out
}

func unknownFormat(name string) error {
	return fmt.Errorf("%w: unknown format %q (valid formats: %s)", ErrBadOption, name, strings.Join(Formats(), ", "))
}

// formats returns the requested formats, normalised, de-duplicated and in documented order.
func (o Options) formats() ([]format, error) {
	if len(o.Formats) == 0 {
		return formats, nil
	}
	want := map[string]bool{}
	for _, name := range o.Formats {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.ContainsFunc(formats, func(f format) bool { return f.name == name }) {
			return nil, unknownFormat(name)
		}
		want[name] = true
	}
	var out []format
	for _, f := range formats {
		if want[f.name] {
			out = append(out, f)
		}
	}
	return out, nil
}

// fileName is the name format f is written to with the options' prefix.
func (o Options) fileName(f format) string {
	if o.Name != "" {
		return o.Name + "-" + f.file
	}
	return f.file
}

// Files returns the names of the files a run with these options writes, in documented
// order: with no Formats, one per registered format.
func (o Options) Files() ([]string, error) {
	fs, err := o.formats()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, o.fileName(f))
	}
	return out, nil
}

// Check validates the options without writing anything: format names, the file-name
// prefix, and that the logo and template can be read and parsed. The command line can call
// it before a long collection so that a typo does not cost the run.
func (o Options) Check() error {
	_, problems, err := o.plan()
	return errors.Join(err, problems)
}

type namedWriter struct {
	file string
	w    writer
}

// plan turns the options into writers. err means nothing can be written (an unknown
// format, a name that is a path); problems are bad inputs of single formats, which are
// reported while the other formats are still written.
func (o Options) plan() (ws []namedWriter, problems, err error) {
	if strings.ContainsAny(o.Name, `/\`) || o.Name == "." || o.Name == ".." {
		return nil, nil, fmt.Errorf("%w: report name %q must be a file-name prefix, not a path", ErrBadOption, o.Name)
	}
	fs, err := o.formats()
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, f := range fs {
		w, err := f.open(o)
		if err != nil {
			errs = append(errs, err)
		}
		if w == nil {
			continue
		}
		ws = append(ws, namedWriter{file: o.fileName(f), w: w})
	}
	return ws, errors.Join(errs...), nil
}

// Pending is one run's reports, rendered into a staging folder inside the report folder and
// not yet in place. Publish puts them in place together; Discard drops them.
type Pending struct {
	set *atomicfile.Set
}

// Prepare renders a in every requested format into a staging folder inside opts.Dir
// (created if missing). Nothing in the report folder changes until Publish, so that the
// caller can store the run's history first. Only one run at a time may write to a folder;
// the next one tidies what a killed run left there.
//
// An unknown format, a name that is a path, a renderer that fails or a cancelled ctx give
// no Pending and an error. A bad logo or template gives a Pending of the formats that could
// be rendered (a PDF without the logo, no Markdown) together with an error wrapping
// ErrBadOption: the caller decides whether to publish them.
func Prepare(ctx context.Context, a *assess.Assessment, opts Options) (*Pending, error) {
	if a == nil {
		return nil, errors.New("write report: no assessment")
	}
	writers, problems, err := opts.plan()
	if err != nil {
		return nil, err
	}
	if len(writers) == 0 {
		return nil, problems
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	// The set is every file a run with this prefix may write, so that publishing replaces
	// a format written last time and not this time rather than leaving it beside the rest.
	var names []string
	for _, f := range formats {
		names = append(names, opts.fileName(f))
	}
	set, err := atomicfile.NewSet(dir, names)
	if err != nil {
		return nil, errors.Join(problems, fmt.Errorf("report folder: %w", err))
	}
	if err := writeAll(ctx, set, dir, writers, a); err != nil {
		set.Discard()
		return nil, errors.Join(problems, err)
	}
	return &Pending{set: set}, problems
}

// renderers is how many formats are rendered at once: the two PDFs and the workbook take
// most of a large estate's time, each on one core, and two at a time keep the peak memory
// of 2,000 workloads within what one format at a time needed plus the largest other.
const renderers = 2

// writeAll renders every writer's file into the set, renderers at a time, in the order
// given; the first error (a renderer that fails, a cancelled ctx) stops the ones not yet
// started and is returned, naming its file.
func writeAll(ctx context.Context, set *atomicfile.Set, dir string, writers []namedWriter, a *assess.Assessment) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan namedWriter)
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	for range min(renderers, len(writers)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for nw := range next {
				if err := ctx.Err(); err != nil {
					fail(fmt.Errorf("write %s: %w", filepath.Join(dir, nw.file), err))
					continue
				}
				if err := set.Write(nw.file, 0o644, func(f io.Writer) error {
					bw := bufio.NewWriterSize(f, 64<<10)
					if err := nw.w.write(ctx, bw, a); err != nil {
						return err
					}
					return bw.Flush()
				}); err != nil {
					fail(err)
				}
			}
		}()
	}
	for _, nw := range writers {
		next <- nw
	}
	close(next)
	wg.Wait()
	return first
}

// Publish puts the run's reports in place, replacing the previous run's, and returns their
// paths, sorted. A report of a format this run did not write is removed rather than left
// from an earlier run. If Publish fails, the previous reports are kept.
func (p *Pending) Publish() ([]string, error) {
	if err := p.set.Publish(); err != nil {
		return nil, err
	}
	paths := p.set.Paths()
	sort.Strings(paths)
	return paths, nil
}

// Discard drops the reports if they were not published; it may be deferred.
func (p *Pending) Discard() { p.set.Discard() }

// Write renders a in every requested format into opts.Dir and puts the files in place
// together (Prepare, then Publish), returning the paths written, sorted.
//
// A run's files are either all from it or all from the previous run, whenever the run is
// stopped: a renderer that fails, a cancelled ctx or a killed process leave the previous
// reports as they were. A bad logo or template costs only what it must (the PDF is written
// without the logo, the Markdown report is not written) and the error, wrapping
// ErrBadOption, says so.
func Write(ctx context.Context, a *assess.Assessment, opts Options) ([]string, error) {
	p, problems := Prepare(ctx, a, opts)
	if p == nil {
		return nil, problems
	}
	defer p.Discard()
	paths, err := p.Publish()
	return paths, errors.Join(problems, err)
}
