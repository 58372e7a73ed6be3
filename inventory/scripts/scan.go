// Package scripts reads the provisioning scripts behind an AWS estate — Packer templates,
// Ansible playbooks and roles, shell and PowerShell user data, cloud-config — and records
// what they show about each host as facts with evidence (file, line, excerpt). It records;
// it does not judge: package assess turns the facts into scores.
//
// Every text is redacted before any reader sees it, so a secret's value cannot reach a
// fact, an excerpt or any other string of a Result.
package scripts

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

// Root is one tree of scripts: a folder on disk or an fs.FS (the embedded demo).
type Root struct {
	// Name prefixes every script path when several roots are scanned.
	Name string
	dir  string
	fsys fs.FS
}

// Dir is a folder on disk. Symbolic links are followed while they stay inside the folder;
// a link that loops back on an ancestor is reported, not followed.
func Dir(p string) Root {
	clean := filepath.Clean(p)
	name := filepath.Base(clean)
	if abs, err := filepath.Abs(clean); err == nil {
		name = filepath.Base(abs)
	}
	return Root{Name: filepath.ToSlash(name), dir: clean}
}

// FS is a tree of scripts in an fs.FS.
func FS(name string, fsys fs.FS) Root { return Root{Name: name, fsys: fsys} }

// Options tune a scan; the zero value is usable.
type Options struct {
	// MaxFileSize is the largest file read; larger script files become coverage gaps.
	// Default 10 MiB.
	MaxFileSize int64
	// Workers is how many files are read at once. Default GOMAXPROCS.
	Workers int
}

// Result is what a scan found.
type Result struct {
	Scripts  []inventory.Script
	Coverage []inventory.CoverageGap
	Stats    inventory.ScriptStats
}

// skipDirs are trees that never hold a client's provisioning scripts.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".terraform": true, ".hg": true, ".svn": true, ".venv": true, "__pycache__": true}

// job is one file to read.
type job struct {
	root   int
	disp   string // the script path
	osPath string // for disk roots
	rel    string // for fs.FS roots
	size   int64
	force  string // read as this kind (a file another script names)
	// roleRoot is the folder of the Ansible role the file is in when the role is not under
	// a roles/ folder (a role kept as its own repository), with a trailing slash.
	roleRoot string
	// installAs is where a playbook puts the file on the host (see fileResult.installAs).
	installAs string
}

// outcome is what reading one file gave.
type outcome struct {
	res     *fileResult // nil when skipped or failed
	gaps    []inventory.CoverageGap
	skipped bool
	failed  bool
	bytes   int64
	job     job
	// roleSearch is what an ansible.cfg says (the file is no script: it is skipped).
	roleSearch []roleSearch
}

type scanner struct {
	roots []Root
	opts  Options
	multi bool
	// allIx indexes the scripts read by the tails of their paths, once they are all read
	// (resolve): a reference matched by its whole path is one look-up.
	allIx tailIndex

	mu       sync.Mutex
	results  map[string]*fileResult
	skipped  map[string]job // files read and not recognised, for a second look when named
	coverage []inventory.CoverageGap
	stats    inventory.ScriptStats
	// roleSearch are the roles paths set by ansible.cfg files and by the scripts.
	roleSearch []roleSearch
	// jobs are the files read, for a second reading once another script says more about
	// one (where a task installs it).
	jobs map[string]job
}

// Scan reads every root. It fails only when ctx is cancelled or no root can be read;
// anything wrong with a file or folder becomes a coverage gap and the scan goes on.
func Scan(ctx context.Context, roots []Root, opts Options) (*Result, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 10 << 20
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	s := &scanner{roots: roots, opts: opts, multi: len(roots) > 1, results: map[string]*fileResult{}, skipped: map[string]job{}}
	jobs := make(chan job, opts.Workers*4)
	outs := make(chan outcome, opts.Workers*4)

	var wg sync.WaitGroup
	for i := 0; i < opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				outs <- s.process(ctx, j)
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		for o := range outs {
			s.collect(o)
		}
		close(done)
	}()

	readable := 0
	for i, r := range roots {
		if s.walkRoot(ctx, i, r, jobs) {
			readable++
		}
	}
	close(jobs)
	wg.Wait()
	close(outs)
	<-done
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scan scripts: %w", err)
	}
	if readable == 0 {
		if len(roots) == 0 {
			return nil, errors.New("scan scripts: no folder given")
		}
		msgs := make([]string, 0, len(s.coverage))
		for _, g := range s.coverage {
			msgs = append(msgs, g.Path+": "+g.Message)
		}
		return nil, fmt.Errorf("scan scripts: no folder could be read: %s", strings.Join(msgs, "; "))
	}
	if err := s.resolve(ctx); err != nil {
		return nil, err
	}
	return s.result(), nil
}

func (s *scanner) display(root int, rel string) string {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if s.multi {
		rel = path.Join(s.roots[root].Name, rel)
	}
	// A secret in a file's name is reported by place, never echoed.
	return RedactPath(rel)
}

func (s *scanner) addGap(g inventory.CoverageGap) {
	s.mu.Lock()
	s.coverage = append(s.coverage, g)
	s.mu.Unlock()
}

// walkRoot sends every file of a root; it reports whether the root could be read at all.
func (s *scanner) walkRoot(ctx context.Context, ri int, r Root, jobs chan<- job) bool {
	if r.fsys != nil {
		ok := true
		roles := map[string]string{} // folder → role root, see job.roleRoot
		err := fs.WalkDir(r.fsys, ".", func(p string, e fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if p == "." {
					ok = false
				}
				s.addGap(inventory.CoverageGap{Path: s.display(ri, p), Kind: inventory.GapUnreadable, Message: "cannot read: " + unwrapPathErr(err)})
				if e != nil && e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if e.IsDir() {
				if p != "." && skipDirs[e.Name()] {
					return fs.SkipDir
				}
				rr := roles[path.Dir(p)]
				if p == "." {
					rr = ""
				}
				if rr == "" {
					if entries, err := fs.ReadDir(r.fsys, p); err == nil && isRoleFolder(entries) {
						rr = strings.TrimPrefix(s.display(ri, p), ".") + "/"
					}
				}
				roles[p] = rr
				return nil
			}
			if !e.Type().IsRegular() {
				return nil
			}
			var size int64
			if info, err := e.Info(); err == nil {
				size = info.Size()
			}
			select {
			case jobs <- job{root: ri, disp: s.display(ri, p), rel: p, size: size, roleRoot: roles[path.Dir(p)]}:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
		return ok && (err == nil || !errors.Is(err, fs.ErrNotExist))
	}
	real, err := filepath.EvalSymlinks(r.dir)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(real); err == nil && !fi.IsDir() {
			err = errors.New("not a folder")
		}
	}
	if err != nil {
		s.addGap(inventory.CoverageGap{Path: r.dir, Kind: inventory.GapUnreadable, Message: "cannot read scripts folder: " + unwrapPathErr(err)})
		return false
	}
	s.walkDir(ctx, ri, real, real, "", "", []string{real}, jobs)
	return true
}

func unwrapPathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// walkDir walks one folder of a disk root. ancestors are the real paths of the folders
// above, to tell a symbolic link loop.
func (s *scanner) walkDir(ctx context.Context, ri int, rootReal, dir, rel, roleRoot string, ancestors []string, jobs chan<- job) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		s.addGap(inventory.CoverageGap{Path: s.display(ri, rel), Kind: inventory.GapUnreadable, Message: "cannot read folder: " + unwrapPathErr(err)})
		if len(entries) == 0 {
			return
		}
	}
	if roleRoot == "" && isRoleFolder(entries) {
		roleRoot = s.display(ri, rel) + "/" // "/" when the scanned folder is the role
	}
	for _, e := range entries {
		if ctx.Err() != nil {
			return
		}
		name := e.Name()
		childRel := path.Join(rel, name)
		child := filepath.Join(dir, name)
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(child)
			if err != nil {
				kind, msg := inventory.GapNotFound, "broken symbolic link: "+unwrapPathErr(err)
				if errors.Is(err, syscall.ELOOP) || strings.Contains(err.Error(), "too many links") {
					kind, msg = inventory.GapSymlinkLoop, "symbolic link loop"
				}
				s.addGap(inventory.CoverageGap{Path: s.display(ri, childRel), Kind: kind, Message: msg})
				continue
			}
			if target != rootReal && !strings.HasPrefix(target, rootReal+string(filepath.Separator)) {
				s.addGap(inventory.CoverageGap{Path: s.display(ri, childRel), Kind: inventory.GapUnreadable,
					Message: "symbolic link to " + target + ", outside the scanned folder: not followed (scan that folder too to include it)"})
				continue
			}
			fi, err := os.Stat(target)
			if err != nil {
				s.addGap(inventory.CoverageGap{Path: s.display(ri, childRel), Kind: inventory.GapUnreadable, Message: "cannot read: " + unwrapPathErr(err)})
				continue
			}
			if fi.IsDir() {
				loop := false
				for _, a := range ancestors {
					if a == target {
						loop = true
					}
				}
				if loop {
					s.addGap(inventory.CoverageGap{Path: s.display(ri, childRel), Kind: inventory.GapSymlinkLoop, Message: "symbolic link loop: points back to an enclosing folder"})
					continue
				}
				if !skipDirs[name] {
					s.walkDir(ctx, ri, rootReal, target, childRel, roleRoot, append(ancestors[:len(ancestors):len(ancestors)], target), jobs)
				}
				continue
			}
			if !fi.Mode().IsRegular() {
				s.notRegular(ri, childRel, roleRoot, fi.Mode())
				continue
			}
			s.send(ctx, jobs, job{root: ri, disp: s.display(ri, childRel), osPath: target, size: fi.Size(), roleRoot: roleRoot})
			continue
		}
		if e.IsDir() {
			if skipDirs[name] {
				continue
			}
			s.walkDir(ctx, ri, rootReal, child, childRel, roleRoot, append(ancestors[:len(ancestors):len(ancestors)], child), jobs)
			continue
		}
		if !e.Type().IsRegular() {
			s.notRegular(ri, childRel, roleRoot, e.Type())
			continue
		}
		var size int64
		if info, err := e.Info(); err == nil {
			size = info.Size()
		}
		s.send(ctx, jobs, job{root: ri, disp: s.display(ri, childRel), osPath: child, size: size, roleRoot: roleRoot})
	}
}

// isRoleFolder reports a folder laid out as an Ansible role: tasks/ beside meta/,
// defaults/, handlers/, vars/ or templates/. Roles kept as their own repository (the
// Galaxy layout) have no roles/ folder above them to say so. A playbook folder with tasks/
// and templates/ passes too, which is harmless: its files are read as the same kinds.
func isRoleFolder(entries []fs.DirEntry) bool {
	tasks, other := false, false
	for _, e := range entries {
		if !e.IsDir() && e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		switch e.Name() {
		case "tasks":
			tasks = true
		case "meta", "defaults", "handlers", "vars", "templates":
			other = true
		}
	}
	return tasks && other
}

func (s *scanner) send(ctx context.Context, jobs chan<- job, j job) {
	select {
	case jobs <- j:
	case <-ctx.Done():
	}
}

// read reads a file of a root, at most limit+1 bytes, into buf (reused when it is big
// enough; the walk's size sets how much to expect).
func (s *scanner) read(j job, limit int64, buf []byte) ([]byte, error) {
	var f io.ReadCloser
	var err error
	if j.osPath != "" {
		f, err = openRegular(j.osPath)
	} else {
		f, err = s.roots[j.root].fsys.Open(j.rel)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAtMost(f, limit+1, j.size, buf)
}

// readAtMost reads r to its end or to limit bytes. The buffer starts at the expected size
// plus one byte, so a file whose size is known is read without growing it.
func readAtMost(r io.Reader, limit, expect int64, buf []byte) ([]byte, error) {
	want := min(max(expect+1, 512), limit)
	if int64(cap(buf)) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readBufs are file buffers, reused across files: nothing a reader keeps points into them
// (detach copies what a result keeps).
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuf is the largest buffer kept for reuse, so a few large files do not pin
// their size in every worker.
const maxPooledBuf = 1 << 20

// process reads one file: by name, then by content.
func (s *scanner) process(ctx context.Context, j job) (o outcome) {
	// A reader's mistake on one file is that file's gap, not the end of the run: the rest
	// is read, and the report says which file was not.
	defer func() {
		if r := recover(); r != nil {
			o = outcome{job: j, failed: true, gaps: []inventory.CoverageGap{{Path: j.disp, Kind: inventory.GapError,
				Message: fmt.Sprintf("not read: the reader failed on this file (%v)", r)}}}
		}
	}()
	o = outcome{job: j}
	hint, candidate := nameHint(j.disp, j.roleRoot)
	if j.force != "" {
		candidate = true
	}
	if path.Base(j.disp) == "ansible.cfg" && j.size <= maxAnsibleCfg {
		// Not a script, but it says where the playbooks beside it find their roles.
		o.skipped = true
		if data, err := s.read(j, maxAnsibleCfg, nil); err == nil {
			if dirs := rolesPath(string(data)); len(dirs) > 0 {
				dir := path.Dir(j.disp)
				o.roleSearch = []roleSearch{{scope: dir, dirs: dirs, base: dir, from: j.disp}}
			}
		}
		return o
	}
	if hint == "skip" && j.force == "" {
		o.skipped = true
		return o
	}
	gap := func(kind string, line int, msg string) outcome {
		o.failed = true
		o.gaps = append(o.gaps, inventory.CoverageGap{Path: j.disp, Line: line, Kind: kind, Message: msg})
		return o
	}
	max := s.opts.MaxFileSize
	if j.size > max {
		if !candidate {
			// A big file with no script name: look at its head before calling it a gap.
			head, err := s.read(j, 512, nil)
			if err != nil || sniff(string(head)) == "" && !bytes.Contains(head, []byte(`"builders"`)) {
				o.skipped = true
				return o
			}
		}
		return gap(inventory.GapTooLarge, 0, fmt.Sprintf("%d bytes, over the %d-byte limit: not read", j.size, max))
	}
	bp := readBufs.Get().(*[]byte)
	data, err := s.read(j, max, *bp)
	defer func() {
		if cap(data) <= maxPooledBuf {
			*bp = data[:0]
			readBufs.Put(bp)
		}
	}()
	if err != nil {
		return gap(inventory.GapUnreadable, 0, "cannot read: "+unwrapPathErr(err))
	}
	o.bytes = int64(len(data))
	if int64(len(data)) > max {
		return gap(inventory.GapTooLarge, 0, fmt.Sprintf("over the %d-byte limit: not read", max))
	}
	res, gaps, verdict := readFilePacked(ctx, j.disp, j.roleRoot, j.installAs, data, max, j.force, candidate)
	if res != nil && res.script.Kind == inventory.ScriptAppSpec && res.script.Name == "" {
		// An AppSpec file at the top of the folder scanned: the folder is the revision.
		res.script.Name = s.roots[j.root].Name
	}
	switch verdict {
	case verdictSkip:
		o.skipped = true
	case verdictFailed:
		o.failed = true
	}
	o.res, o.gaps = res, gaps
	return o
}

const (
	verdictRead = iota
	verdictSkip
	verdictFailed
)

// readFile reads one file's bytes as a script. candidate says the name promised a script,
// so that binary or broken content is a gap rather than a quiet skip.
func readFile(disp string, data []byte, max int64, force string, candidate bool) (*fileResult, []inventory.CoverageGap, int) {
	res, gaps, verdict := readFilePacked(context.Background(), disp, "", "", data, max, force, candidate)
	if res != nil {
		res.script.Facts, res.packed = res.facts(), packedFacts{}
	}
	return res, gaps, verdict
}

// readFilePacked is readFile with the result's facts left packed, as a scan keeps them
// until it returns. The readers stop when ctx is done or the file's time budget is spent.
func readFilePacked(ctx context.Context, disp, roleRoot, installAs string, data []byte, max int64, force string, candidate bool) (*fileResult, []inventory.CoverageGap, int) {
	fail := func(kind string, line int, msg string) (*fileResult, []inventory.CoverageGap, int) {
		return nil, []inventory.CoverageGap{{Path: disp, Line: line, Kind: kind, Message: msg}}, verdictFailed
	}
	size := int64(len(data))
	gz := len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b
	text, err := decodeText(data, max)
	if err != nil {
		if !candidate && !gz {
			return nil, nil, verdictSkip
		}
		if errors.Is(err, errTooLarge) {
			return fail(inventory.GapTooLarge, 0, fmt.Sprintf("decompresses to over the %d-byte limit: not read", max))
		}
		if !candidate && gz {
			return nil, nil, verdictSkip
		}
		return fail(inventory.GapParse, 0, err.Error())
	}
	if gz && !candidate && sniff(string(text[:min(len(text), 4096)])) == "" {
		return nil, nil, verdictSkip
	}
	if i := bytes.IndexByte(text, 0); i >= 0 {
		if candidate || sniff(string(text[:min(len(text), 4096)])) != "" {
			return fail(inventory.GapBinary, 0, "binary content (NUL byte), not a text script")
		}
		return nil, nil, verdictSkip
	}
	if !utf8.Valid(text) {
		if candidate || sniff(string(text[:min(len(text), 4096)])) != "" {
			line := 1 + bytes.Count(text[:invalidAt(text)], []byte("\n"))
			return fail(inventory.GapEncoding, line, "not UTF-8 text (re-save the file as UTF-8)")
		}
		return nil, nil, verdictSkip
	}
	str := string(text)
	red, hits := redact(str)
	// What the parsers see: a Terraform template's own directives and escapes rendered
	// away, every line where it was (excerpts come from red).
	parse := tfTemplate(disp, red)
	kind, docs, perr := classify(disp, roleRoot, parse, force)
	if kind == "" && perr == nil {
		if hclConfig(disp) {
			hits = quotedHits(str, hits)
		}
		if len(hits) == 0 || !hclConfig(disp) {
			return nil, nil, verdictSkip
		}
		// Terragrunt configuration (a unit's inputs, a stack's locals and values) is
		// read by the infrastructure reader for what it deploys; a literal credential
		// written there is a secret in the repository all the same, named where it is
		// written rather than where the value ends up.
		kind = inventory.ScriptTerraform
	}
	res := &fileResult{script: inventory.Script{Path: disp, Kind: kind, Bytes: size, ContentHash: contentHash(red)}, roleRoot: roleRoot, installAs: installAs,
		budget: limits.NewBudget(ctx, limits.Bounds{Time: fileTime})}
	d, sc := newFileDoc(res, disp, red)
	if red == str {
		d.text, d.src = red, text
	}
	d.secrets(hits, 0)
	if perr == nil {
		if docs != nil && kind == inventory.ScriptCompose {
			d.readCompose(docs, 1)
		} else if docs != nil && kind == inventory.ScriptAppSpec {
			d.readAppSpec(docs, 1)
		} else if docs != nil {
			d.readAnsible(kind, docs, 1)
		} else if kind == inventory.ScriptShell && strings.HasSuffix(disp, ".j2") {
			perr = d.readKind(kind, jinjaShell(parse), 1)
		} else {
			nf, nr, ng := len(res.script.Facts), len(res.refs), len(res.gaps)
			perr = d.readKind(kind, parse, 1)
			if perr != nil && jinjaTemplated(kind, parse) {
				// A template Ansible renders before the host sees it (a role's
				// templates/, user data a playbook passes on): read with its Jinja as
				// placeholders, never reported as broken for being Jinja.
				res.script.Facts, res.refs, res.gaps = res.script.Facts[:nf], res.refs[:nr], res.gaps[:ng]
				first := perr
				if perr = d.readKind(kind, jinjaShell(parse), 1); perr != nil {
					res.script.Facts, res.refs, res.gaps = res.script.Facts[:nf], res.refs[:nr], res.gaps[:ng]
					perr = first
					if hint, _ := nameHint(disp, roleRoot); hint == inventory.ScriptTemplate || strings.Contains(parse, "{%") {
						// Jinja's control flow can leave text no parser takes: what each
						// line shows is still read.
						res.script.Kind, perr = inventory.ScriptTemplate, nil
						d.readTemplate(parse, 1)
					}
				}
			}
		}
	}
	if perr == nil && res.script.Kind != inventory.ScriptTemplate {
		// A script installed where the host runs it on a schedule (a cron.daily script)
		// is read as a script and is a scheduled job too.
		if t := cmp.Or(installAs, installedAs(disp)); strings.HasPrefix(t, "/etc/cron.") {
			d.write(fileWrite{target: t, line: 1})
		}
	}
	read := res.script.Facts
	if perr != nil {
		// Nothing is guessed from a file that does not parse; its secrets are still
		// findings, so they are kept.
		secrets := res.script.Facts[:0]
		for _, f := range res.script.Facts {
			if f.Kind == inventory.FactSecret {
				secrets = append(secrets, f)
			}
		}
		res.script.Facts = secrets
		if kind == "" {
			res.script.Kind = inventory.ScriptAnsibleTasks
		}
		gaps := []inventory.CoverageGap{{Path: disp, Line: errLine(perr, 1), Kind: gapKind(perr), Message: strings.Clone(parseMessage(res.script.Kind, perr))}}
		detach(res)
		sc.release(read, res)
		if len(secrets) == 0 {
			return nil, gaps, verdictFailed
		}
		return res, gaps, verdictFailed
	}
	spent := res.budget.Err()
	res.budget = nil // the post-pass reads the result later, on a clock of its own
	if le := (*limits.Error)(nil); errors.As(spent, &le) {
		// Out of time: what was read stands, the rest of the file is a gap.
		res.gaps = append(res.gaps, inventory.CoverageGap{Path: disp, Kind: inventory.GapLimit,
			Message: limitText(le) + "; the rest of the file was not read"})
		detach(res)
		sc.release(read, res)
		return res, res.gaps, verdictFailed
	}
	detach(res)
	sc.release(read, res)
	return res, res.gaps, verdictRead
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func parseMessage(kind string, err error) string {
	what := map[string]string{
		inventory.ScriptShell: "shell", inventory.ScriptCloudConfig: "cloud-config YAML",
		inventory.ScriptAnsiblePlay: "Ansible YAML", inventory.ScriptAnsibleTasks: "Ansible YAML",
		inventory.ScriptAnsibleVars: "Ansible YAML", inventory.ScriptPackerHCL: "Packer HCL",
		inventory.ScriptPackerVars: "Packer HCL", inventory.ScriptPackerJSON: "Packer JSON",
		inventory.ScriptPackerManifest: "Packer manifest JSON", inventory.ScriptMIME: "MIME multipart",
		inventory.ScriptCompose: "Docker Compose YAML", inventory.ScriptAppSpec: "CodeDeploy AppSpec YAML",
		inventory.ScriptSaltState: "Salt state YAML", inventory.ScriptChefRunList: "Chef run list JSON",
	}[kind]
	if what == "" {
		what = kind
	}
	if limits.IsLimit(err) {
		return what + " not read: " + errMsg(err)
	}
	return "not valid " + what + ": " + errMsg(err)
}

// classify decides a file's kind from its name and content. For YAML it returns the parsed
// documents too, so that they are parsed once. A YAML file that does not parse is an error
// only where Ansible or cloud-init would read it.
func classify(disp, roleRoot, text, force string) (string, []*yaml.Node, error) {
	hint, _ := nameHint(disp, roleRoot)
	switch force {
	case inventory.ScriptShell, inventory.ScriptPowerShell, inventory.ScriptTemplate:
		if k := sniff(text); k != "" {
			return k, nil, nil
		}
		return force, nil, nil
	case inventory.ScriptCompose:
		// The file a docker compose -f names, whatever its name.
		docs, err := parseYAML(text)
		if err != nil {
			return force, nil, err
		}
		if looksCompose(docs) {
			return force, docs, nil
		}
		return "", nil, nil
	case inventory.ScriptAnsiblePlay, inventory.ScriptAnsibleTasks, inventory.ScriptAnsibleVars:
		docs, err := parseYAML(text)
		if err != nil {
			return force, nil, err
		}
		if k := ansibleKindByContent(docs); k != "" {
			return k, docs, nil
		}
		return force, docs, nil
	}
	if hint == hintTerraform {
		// Read for its literal credentials only (readFilePacked): a heredoc of user data
		// (<powershell>, #cloud-config) is the infrastructure reader's to render and read.
		return "", nil, nil
	}
	if k := bootKind(hint, disp, roleRoot, text); k != "" {
		return k, nil, nil
	}
	switch hint {
	case inventory.ScriptChefRecipe, inventory.ScriptPuppetManifest, inventory.ScriptSaltState, inventory.ScriptChefRunList:
		return hint, nil, nil
	case inventory.ScriptPackerHCL:
		if strings.Contains(disp, ".pkrvars.") {
			return inventory.ScriptPackerVars, nil, nil
		}
		return inventory.ScriptPackerHCL, nil, nil
	case inventory.ScriptShell, inventory.ScriptPowerShell:
		if k := sniff(text); k == inventory.ScriptCloudConfig || k == inventory.ScriptMIME || k == inventory.ScriptPowerShell {
			return k, nil, nil
		}
		return hint, nil, nil
	case inventory.ScriptTemplate:
		// A template of a script (firewall.bash.j2, userdata.txt.j2) is read as the script.
		if k := sniff(text); k == inventory.ScriptShell || k == inventory.ScriptPowerShell {
			return k, nil, nil
		}
		if docs, ok := composeTemplate(disp, text); ok {
			return inventory.ScriptCompose, docs, nil
		}
		return hint, nil, nil
	case hintJSON:
		t := strings.TrimSpace(text)
		if !strings.HasPrefix(t, "{") {
			return "", nil, nil
		}
		switch {
		case strings.Contains(t, `"builders"`):
			return inventory.ScriptPackerJSON, nil, nil
		case strings.Contains(t, `"builds"`) && (strings.Contains(t, `"artifact_id"`) || strings.Contains(t, `"last_run_uuid"`)):
			return inventory.ScriptPackerManifest, nil, nil
		case strings.Contains(t, `"run_list"`):
			return inventory.ScriptChefRunList, nil, nil
		case strings.Contains(t, `"ignition"`):
			if docs, err := parseYAML(t); err == nil && looksIgnition(docs) {
				return inventory.ScriptIgnition, nil, nil
			}
		}
		return "", nil, nil
	case hintYAML:
		// <powershell> inside a YAML file is usually user data a playbook or template
		// passes on, not the file itself being PowerShell.
		if k := sniff(text); k != "" && !(k == inventory.ScriptPowerShell && looksAnsible(text)) {
			return k, nil, nil
		}
		byPath := ansibleKindByPath(disp, roleRoot)
		if byPath == inventory.ScriptTemplate {
			if docs, ok := composeTemplate(disp, text); ok {
				return inventory.ScriptCompose, docs, nil
			}
			return byPath, nil, nil
		}
		if byPath == "" && strings.Contains(text, "{") {
			// A Compose file with Jinja is a template Ansible renders, wherever it is kept.
			if docs, ok := composeTemplate(disp, text); ok {
				return inventory.ScriptCompose, docs, nil
			}
		}
		docs, err := parseYAML(text)
		if appSpecName(disp) {
			if err == nil && looksAppSpec(docs) {
				return inventory.ScriptAppSpec, docs, nil
			}
			if b := strings.ToLower(path.Base(disp)); err != nil && (b == "appspec.yml" || b == "appspec.yaml") {
				// CodeDeploy's by its name: one that does not parse is a gap.
				return inventory.ScriptAppSpec, nil, err
			}
		}
		if err != nil {
			if byPath != "" || ansiblePath(disp, roleRoot) || looksAnsible(text) {
				return byPath, nil, err
			}
			if composeName(disp) {
				// docker-compose.yml is a Compose file by its name: one that does not parse
				// (or is over a limit) is a gap, not a file to skip.
				return inventory.ScriptCompose, nil, err
			}
			return "", nil, nil
		}
		if byPath != "" {
			return byPath, docs, nil
		}
		if looksCompose(docs) {
			return inventory.ScriptCompose, docs, nil
		}
		if k := ansibleKindByContent(docs); k != "" {
			return k, docs, nil
		}
		if looksIgnition(docs) {
			return inventory.ScriptIgnition, nil, nil
		}
		if looksPackerYAML(disp, docs) {
			// A wrapper turns it into the JSON template Packer builds from.
			return inventory.ScriptPackerJSON, nil, nil
		}
		return "", nil, nil
	}
	if hint == hintText {
		switch k := ansibleKindByPath(disp, roleRoot); k {
		case inventory.ScriptTemplate:
			return k, nil, nil
		case "":
			// A playbook named without an extension (install-ansible-on-launch).
			t := strings.TrimLeft(text, " \t\r\n")
			if strings.HasPrefix(t, "---") || strings.HasPrefix(t, "- hosts:") || strings.HasPrefix(t, "- name:") {
				if docs, err := parseYAML(text); err == nil {
					if k := ansibleKindByContent(docs); k == inventory.ScriptAnsiblePlay {
						return k, docs, nil
					}
				}
			}
		case inventory.ScriptAnsibleVars:
			// group_vars/all, host_vars/web1: Ansible's own names carry no extension.
			if docs, err := parseYAML(text); err == nil && len(docs) > 0 && docs[0].Kind == yaml.DocumentNode && len(docs[0].Content) > 0 && docs[0].Content[0].Kind == yaml.MappingNode {
				return k, docs, nil
			}
		}
	}
	return sniff(text), nil, nil
}

// looksAnsible reports YAML written for Ansible, by the keys only Ansible gives meaning to:
// a file like this that does not parse is a problem to report, not a file to skip.
func looksAnsible(text string) bool {
	for _, k := range ansibleWords {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

var ansibleWords = []string{"hosts:", "tasks:", "- name:", "import_playbook:", "include_tasks:", "import_tasks:",
	"include_role:", "import_role:", "ansible.builtin.", "become:", "gather_facts:", "pre_tasks:", "post_tasks:", "handlers:"}

// collect takes one outcome into the scan's state.
func (s *scanner) collect(o outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.FilesSeen++
	if s.jobs == nil {
		s.jobs = map[string]job{}
	}
	s.jobs[o.job.disp] = o.job
	s.coverage = append(s.coverage, o.gaps...)
	s.roleSearch = append(s.roleSearch, o.roleSearch...)
	switch {
	case o.failed:
		s.stats.FilesFailed++
		if o.res != nil {
			s.results[o.res.script.Path] = o.res
		}
	case o.skipped:
		s.stats.FilesSkipped++
		s.skipped[o.job.disp] = o.job
	case o.res != nil:
		s.stats.FilesRead++
		s.stats.Bytes += o.res.script.Bytes
		s.results[o.res.script.Path] = o.res
	}
}

func (s *scanner) result() *Result {
	r := &Result{Stats: s.stats}
	paths := make([]string, 0, len(s.results))
	for p := range s.results {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if len(paths) > 0 {
		r.Scripts = make([]inventory.Script, len(paths))
	}
	// Each script's facts are unpacked into an allocation of their own, with their params
	// and Mounts, by the worker that fills it. Measured on the benchmark's 735,000 facts,
	// allocations of one script each (a few KiB, from the size classes, in pages the
	// scan's garbage left) cost half the CPU of chunks of 4,096 facts (0.6–0.9 s against
	// 1.25–1.7 s in four scans, `go tool pprof -focus unpackAll`).
	unpackAll(len(paths), func(i int) {
		res := s.results[paths[i]]
		sc := res.script
		sc.Facts = res.facts()
		// The packed form is dropped once unpacked: after the next collection its pages hold
		// facts unpacked later, which would otherwise take fresh pages from the system (page
		// faults per scan, perf stat -e page-faults: 61,000 before, 52,000 after).
		res.packed = packedFacts{}
		sc.SortLists()
		r.Scripts[i] = sc
	})
	r.Coverage = sortGaps(s.coverage)
	if r.Coverage == nil {
		r.Coverage = []inventory.CoverageGap{}
	}
	if slog.Default().Enabled(context.Background(), slog.LevelDebug) {
		// Skipped files are counted, not reported; at debug level they are named, so a
		// user can check what was taken for something other than a script.
		var skipped []string
		for p := range s.skipped {
			if _, read := s.results[p]; !read {
				skipped = append(skipped, p)
			}
		}
		sort.Strings(skipped)
		for _, p := range skipped {
			slog.Debug("skipped: not a provisioning script", "path", p)
		}
	}
	slog.Debug("scripts scanned", "read", s.stats.FilesRead, "skipped", s.stats.FilesSkipped, "failed", s.stats.FilesFailed)
	return r
}

// unpackAll runs fn for each of n scripts, on every processor: unpacking the facts of a
// large scan is most of what is left to do once every file is read.
func unpackAll(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

func sortGaps(gs []inventory.CoverageGap) []inventory.CoverageGap {
	sort.SliceStable(gs, func(i, j int) bool {
		a, b := gs[i], gs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Message < b.Message
	})
	// The same gap reported twice (a file named by two scripts) is one gap.
	out := gs[:0]
	for i, g := range gs {
		if i > 0 && g == gs[i-1] {
			continue
		}
		out = append(out, g)
	}
	return out
}

// maxAnsibleCfg is the largest ansible.cfg read for its roles_path.
const maxAnsibleCfg = 1 << 20

// rolesPath is the roles_path an ansible.cfg sets in [defaults]: folders separated by ':'
// (Ansible's own configparser file; a key may be written "roles_path = a:b" or
// "roles_path: a:b", and ';' or '#' start a comment line).
func rolesPath(cfg string) []string {
	section := ""
	for _, l := range strings.Split(cfg, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";"):
			continue
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
			section = strings.ToLower(strings.TrimSpace(t[1 : len(t)-1]))
			continue
		}
		if section != "defaults" {
			continue
		}
		i := strings.IndexAny(t, "=:")
		if i < 0 || strings.ToLower(strings.TrimSpace(t[:i])) != "roles_path" {
			continue
		}
		var out []string
		for _, d := range strings.Split(strings.TrimSpace(t[i+1:]), ":") {
			if d = strings.TrimSpace(d); d != "" {
				out = append(out, d)
			}
		}
		return out
	}
	return nil
}

// jinjaTemplated reports a shell script or cloud-config holding Jinja: expressions,
// statements or comments that Ansible renders away.
func jinjaTemplated(kind, text string) bool {
	if kind != inventory.ScriptShell && kind != inventory.ScriptCloudConfig {
		return false
	}
	return strings.Contains(text, "{{") && strings.Contains(text, "}}") || strings.Contains(text, "{%") || strings.Contains(text, "{#")
}
