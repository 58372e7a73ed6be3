package scripts

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"whyk8s/internal/limits"
	"whyk8s/inventory"
)

const maxExcerpt = 160

// fileResult accumulates what the readers find in one file (or one user data).
type fileResult struct {
	script inventory.Script
	// packed are the facts the file's readers found, once detached; script.Facts then
	// holds only facts added later (by the post-pass). facts() gives them all.
	packed   packedFacts
	roleRoot string // see job.roleRoot
	refs     []refIntent
	lookups  []varLookup
	vars     map[string][]varItem // Ansible vars files and Packer variables, for the post-pass
	gaps     []inventory.CoverageGap
	// manifestOutputs are the paths a Packer template's manifest post-processor writes.
	manifestOutputs []string
	// buildNames are the Packer source and build names, to tie a manifest to its template.
	buildNames []string
	// roleSearch are the folders Ansible looks for roles in, as a file sets them (an
	// ansible.cfg's roles_path, ANSIBLE_ROLES_PATH given to a Packer provisioner).
	roleSearch []roleSearch
	// installAs is where a task that copies this file puts it on the host, when that
	// says how to read it (/etc/fstab, a sysctl file, a unit): see scanner.installed.
	installAs string
	// tasks are the units this file writes with Type=oneshot: they run to completion at
	// start or stop and leave no process, so enabling one starts no service.
	tasks map[string]bool
	// budget is the time the readers may spend on the file, ended early by a cancelled
	// scan (nil: no limit); see stopped.
	budget *limits.Budget
	// chunks hold the params and Mounts of the file's facts while its readers run (see
	// keep); nil once the result is detached. They are behind a pointer, in the worker's
	// scratch, so that a result stays within 512 bytes: the collector scans an object of
	// that size or less with the others of its span, a larger one on its own, and a scan
	// holds every file's result until it ends.
	chunks *factChunks
}

// refIntent is a reference as the script wrote it, resolved to a script path once every
// file has been read.
type refIntent struct {
	target  string // as written, variables substituted where known
	how     string
	mode    string // refRelative, refSuffix, refRole, refDir
	kind    string // the kind to read the target as if the scan skipped it
	line    int
	from    string // the referencing script's path
	file    string // evidence file
	excerpt string
	dest    string   // where a template or copy task puts the file on the host
	alts    []string // candidate paths in Path form, tried in order before target
	also    []string // other targets, as written, tried after target (refRelative)
	// instance is the path on the instance a script was run from, when target is the file
	// it was uploaded from; quiet says the upload is a guess, so a miss is no gap.
	instance string
	quiet    bool
	// fetched is where the file a script runs came from, when the script fetched it at
	// boot (fetched.go), and fetchedVia what fetched it: not found in the folders, it is a
	// gap and a fact of its own.
	fetched, fetchedVia string
	// wanted says a path matched by its end (refSuffix) is a gap when no file ends so: a
	// recipe a Chef run list names is in the repository or not read, never the host's own.
	wanted bool
	// class is the Puppet class a reference is to: not found, what its module is named for
	// is a fact, as a role's name is.
	class string
	// lang is the language of a script the host runs that no reader reads (Python, a
	// batch file): found or not, the run is a gap, since what it does is not known.
	lang string
	// parts narrow a role reference to the files include_role names: tasks_from,
	// vars_from, defaults_from, handlers_from, by the role's sub-folder.
	parts map[string]string
}

const (
	refRelative = "relative" // a path relative to the script's folder (or the root)
	refSuffix   = "suffix"   // a path on the instance; matched by its trailing components
	refRole     = "role"     // an Ansible role name
	refDir      = "dir"      // every script under a folder
	refGlob     = "glob"     // a path pattern (a templated include)
)

// varItem is one value of a variable as a vars file writes it.
type varItem struct {
	value   string
	line    int
	excerpt string
	field   map[string]string // for a list of mappings: its scalar fields
}

// varLookup is an Ansible module argument naming a variable that is not defined in the
// same file: resolved in the post-pass against role defaults/vars and group_vars.
type varLookup struct {
	name    string
	field   string // item.<field>
	use     string // what the values are: useApt, usePip, useService…
	via     string // the module that reads them
	line    int
	excerpt string
	from    string
	roleDir string // "…/roles/<name>/" when the file is in a role
}

// doc is the reader's view of one text: where facts go, how evidence is named, and the
// redacted lines excerpts are cut from.
type doc struct {
	res   *fileResult
	file  string
	lines []string
	depth int
	// text and src: the file's text and, when the parsers may read it in place, the same
	// text as bytes (the read buffer, valid until the file's result is detached).
	text string
	src  []byte
	// at, when set, says where each line of the text read is written: line k of the text
	// is at[k-1]. A text rendered from pieces of a file (user data joined from a
	// CloudFormation list, a template's lines) is read as one text and its facts cited
	// where each piece is written. outer is the doc of the file the pieces are in, for
	// excerpts.
	at    []srcLine
	outer *doc
	// onHost marks text that lives on the host, not in the repository (a playbook written
	// at boot): the files it names relative to itself are found by the end of their path.
	onHost bool
	// fetched are files and folders put on the host from outside before the text read
	// runs (cfn-init's sources and files with a source, before its commands): the shell
	// reader starts from them (fetched.go).
	fetched []fetchedPath
}

// srcLine is a line of a file.
type srcLine struct {
	file string
	line int
}

// mapped returns a doc over text, a text rendered from pieces of d's file or others, whose
// line k is written at at[k-1]; it feeds the same result.
func (d *doc) mapped(text string, at []srcLine) *doc {
	nd := newDoc(d.res, d.file, text)
	nd.depth = d.depth + 1
	nd.at, nd.outer = at, d
	if d.at != nil {
		// A rendered text inside a rendered text: place through both.
		for i, p := range at {
			if p.file == d.file {
				nd.at[i].file, nd.at[i].line, _ = d.place(d.file, p.line, "")
			}
		}
		nd.outer = d.outer
	}
	return nd
}

// place is where a line of the doc's text is written, and its excerpt: itself, or, for a
// mapped doc, the line of the file its text was rendered from.
func (d *doc) place(file string, line int, excerpt string) (string, int, string) {
	if d.at == nil || file != d.file || line < 1 || line > len(d.at) || d.at[line-1].line < 1 {
		return file, line, excerpt
	}
	p := d.at[line-1]
	if d.outer != nil && p.file == d.outer.file {
		if ex := d.outer.excerpt(p.line); ex != "" {
			excerpt = ex
		}
	}
	return p.file, p.line, excerpt
}

func newDoc(res *fileResult, file, text string) *doc {
	return &doc{res: res, file: file, lines: strings.Split(text, "\n")}
}

// scratch is a worker's reusable memory for one file: the facts as the readers add them
// (kept facts are copied out, deduplicated, by detach) and the text's lines.
type scratch struct {
	facts  []inventory.Fact
	lines  []string
	chunks factChunks
}

// factChunks are where the facts of a file keep their params and Mounts (see keep).
type factChunks struct {
	params []inventory.FactParams
	mounts []inventory.Mount
}

// factChunks returns the result's chunks, made when the result has none (a doc not over
// a scratch).
func (res *fileResult) factChunks() *factChunks {
	if res.chunks == nil {
		res.chunks = new(factChunks)
	}
	return res.chunks
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// maxScratch is the most facts or lines a pooled scratch keeps room for.
const maxScratch = 1 << 14

// newFileDoc is newDoc for a whole file, over a pooled scratch; release returns the
// scratch once the result is detached.
func newFileDoc(res *fileResult, file, text string) (*doc, *scratch) {
	sc := scratches.Get().(*scratch)
	lines := sc.lines[:0]
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			break
		}
		lines = append(lines, text[:i])
		text = text[i+1:]
	}
	lines = append(lines, text)
	sc.lines = lines
	res.script.Facts, res.chunks = sc.facts[:0], &sc.chunks
	return &doc{res: res, file: file, lines: lines}, sc
}

// release clears a scratch (so it pins no text) and pools it. facts is the slice the
// readers appended to, which may have outgrown the scratch's. The scratch's chunks are
// cleared, and res keeps none: detach has copied what the facts said.
func (sc *scratch) release(facts []inventory.Fact, res *fileResult) {
	clear(facts)
	clear(sc.lines)
	if cap(facts) > cap(sc.facts) {
		sc.facts = facts
	}
	res.chunks = nil
	// Only the chunks' used slots were written: a chunk is cleared here or made new, and
	// keep only appends.
	c := &sc.chunks
	clear(c.params)
	clear(c.mounts)
	if cap(sc.facts) > maxScratch || cap(sc.lines) > maxScratch {
		return
	}
	sc.facts, sc.lines, c.params, c.mounts = sc.facts[:0], sc.lines[:0], c.params[:0], c.mounts[:0]
	scratches.Put(sc)
}

// bytesOf returns text as bytes for a parser that takes bytes: the read buffer when text
// is the file's whole text, else a copy.
func (d *doc) bytesOf(text string) []byte {
	if d.src != nil && len(text) == len(d.src) && text == d.text {
		return d.src
	}
	return []byte(text)
}

// sub returns a doc over another text (a decoded MIME part) feeding the same result.
func (d *doc) sub(file, text string) *doc {
	nd := newDoc(d.res, file, text)
	nd.depth = d.depth + 1
	return nd
}

func (d *doc) excerpt(line int) string {
	if line < 1 || line > len(d.lines) {
		return ""
	}
	return trimExcerpt(d.lines[line-1])
}

func trimExcerpt(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(s, "\r"))
	if len(s) <= maxExcerpt {
		return s
	}
	cut := maxExcerpt - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:inventory.MarkerSafeCut(s, cut)] + "…"
}

// add records a fact at a line of the doc. The reader sets the fields it saw; each is
// cleaned (one line, at most 120 bytes) and the vocabulary fills the rest (class, service,
// scope). Repeats are dropped once, by dedupeFacts: a service or a Windows marker once per
// script, anything else once per place.
func (d *doc) add(f inventory.Fact, line int) {
	d.addAt(f, d.file, line, d.excerpt(line))
}

// addMount adds a fact that mounts m. Its params are built on the stack and kept once, by
// keepFact, with the others.
func (d *doc) addMount(f inventory.Fact, m inventory.Mount, line int) {
	var p inventory.FactParams
	if f.FactParams != nil {
		p = *f.FactParams
	}
	p.Mount = keep(&d.res.factChunks().mounts, m)
	d.keepFact(f, &p, d.file, line, d.excerpt(line))
}

// keep keeps v in *chunk and returns where. A chunk is never grown, so a pointer stays
// where it was: a full one is left to what it holds and a new one, twice as large up to
// 1,024 values, takes its place. The facts of a file keep their params and mounts this
// way, in chunks pooled with the file's scratch (release), and a JSON parse its values:
// one allocation for many instead of one each.
func keep[T any](chunk *[]T, v T) *T {
	if len(*chunk) == cap(*chunk) {
		*chunk = make([]T, 0, min(max(16, 2*cap(*chunk)), 1024))
	}
	*chunk = append(*chunk, v)
	return &(*chunk)[len(*chunk)-1]
}

// addAt is add at a place the caller gives: another file, line and excerpt.
func (d *doc) addAt(f inventory.Fact, file string, line int, excerpt string) {
	d.keepFact(f, f.FactParams, file, line, excerpt)
}

// keepFact keeps f, with params p in place of its own (nil: none). The fact is cleaned and
// classified where it is kept: every fact of a scan passes here. p is copied into the
// file's pooled chunks (keep): the fact owns the copy, so cleaning it in place below cannot
// write to params a reader shares between facts (a template fact's, copied for each
// match). p is only read, so a caller's params on its stack stay there.
func (d *doc) keepFact(f inventory.Fact, p *inventory.FactParams, file string, line int, excerpt string) {
	facts := append(d.res.script.Facts, inventory.Fact{Kind: f.Kind, Name: f.Name, Service: f.Service,
		Class: f.Class, Scope: f.Scope, Via: f.Via})
	kept := &facts[len(facts)-1]
	if p != nil && *p != (inventory.FactParams{}) {
		kept.FactParams = keep(&d.res.factChunks().params, *p)
	}
	var none factParts
	for _, p := range factStrings(none.of(kept)) {
		if *p != "" {
			*p = inventory.CleanText(*p)
		}
	}
	if p := kept.FactParams; p != nil {
		if p.Mount.IsZero() {
			p.Mount = nil
		}
		if *p == (inventory.FactParams{}) {
			kept.FactParams = nil
		}
	}
	inventory.Classify(kept)
	file, line, excerpt = d.place(file, line, excerpt)
	kept.Evidence = inventory.FactEvidence{File: file, Line: line, Excerpt: excerpt}
	d.res.script.Facts = facts
}

// nFactStrings is the number of strings in a fact; factStrings lists them. Kind, Class
// and Scope are bytes, not strings: packing keeps them in packedFact.
const nFactStrings = 16

// A packed fact marks its strings in 32 bits.
var _ [32 - nFactStrings]struct{}

// mountStrings are the bits of the mount's strings in factStrings' order: the last three.
const mountStrings = 0b111 << (nFactStrings - 3)

// paramStrings are the bits of the params' strings in factStrings' order, the mount's
// included: a packed fact with any of them set is given params when it is unpacked.
const paramStrings = 0b11111111<<3 | mountStrings

// factStrings points at every string of a fact, in a fixed order, for cleaning, packing
// and copying; the params' strings are p's and the mount's m's, which are the fact's own
// or, for a fact that has none, the caller's (factParts.of). TestFactStrings fails when a
// field is added to inventory.Fact and not here.
func factStrings(f *inventory.Fact, p *inventory.FactParams, m *inventory.Mount) [nFactStrings]*string {
	return [nFactStrings]*string{
		&f.Name, &f.Service, &f.Via, &p.Command, &p.Image, &p.Path, &p.Device,
		&p.Address, &p.Key, &p.Value, &p.Schedule, &f.Evidence.File, &f.Evidence.Excerpt,
		&m.Source, &m.Target, &m.FSType,
	}
}

// setFactString sets string k of factStrings' list to s. Unpacking sets every string of
// every fact of a scan: a switch costs less than building factStrings' list for each
// fact and writing through it. TestFactStrings holds the two to the same order.
func setFactString(f *inventory.Fact, p *inventory.FactParams, m *inventory.Mount, k int, s string) {
	switch k {
	case 0:
		f.Name = s
	case 1:
		f.Service = s
	case 2:
		f.Via = s
	case 3:
		p.Command = s
	case 4:
		p.Image = s
	case 5:
		p.Path = s
	case 6:
		p.Device = s
	case 7:
		p.Address = s
	case 8:
		p.Key = s
	case 9:
		p.Value = s
	case 10:
		p.Schedule = s
	case 11:
		f.Evidence.File = s
	case 12:
		f.Evidence.Excerpt = s
	case 13:
		m.Source = s
	case 14:
		m.Target = s
	case 15:
		m.FSType = s
	}
}

// factParts stand for the params and mount of a fact that has none: empty, and left so
// by every caller of factStrings (cleaning and copying an empty string changes nothing).
type factParts struct {
	params inventory.FactParams
	mount  inventory.Mount
}

// of is f with its params and mount, or these for what it has not.
func (none *factParts) of(f *inventory.Fact) (*inventory.Fact, *inventory.FactParams, *inventory.Mount) {
	p, m := f.FactParams, &none.mount
	if p == nil {
		p = &none.params
	}
	if p.Mount != nil {
		m = p.Mount
	}
	return f, p, m
}

func (d *doc) ref(target, how, mode, kind string, line int) {
	if strings.TrimSpace(target) == "" {
		return
	}
	file, line, excerpt := d.place(d.file, line, d.excerpt(line))
	d.res.refs = append(d.res.refs, refIntent{
		target: target, how: how, mode: mode, kind: kind, line: line,
		from: d.res.script.Path, file: file, excerpt: excerpt,
	})
}

func (d *doc) gap(kind string, line int, msg string) {
	file, line, _ := d.place(d.file, line, "")
	d.res.gaps = append(d.res.gaps, inventory.CoverageGap{Path: file, Line: line, Kind: kind, Message: msg})
}

// secrets records a FactSecret for each secret redaction found; line offsets map a
// sub-text's lines onto the doc's.
func (d *doc) secrets(hits []secretHit, base int) {
	for _, h := range hits {
		line := h.line
		if base > 0 {
			line = base + h.line - 1
		}
		d.add(inventory.Fact{Kind: inventory.FactSecret, Name: h.kind}, line)
	}
}

// facts returns a result's facts: those detach packed, then any added since, in canonical
// order without repeats.
func (res *fileResult) facts() []inventory.Fact {
	facts := res.packed.unpack()
	if len(res.script.Facts) == 0 {
		return facts
	}
	s := inventory.Script{Facts: append(facts, res.script.Facts...)}
	dedupeFacts(&s)
	return s.Facts
}

// detach copies every string a result keeps out of the file's text. Facts cut from the
// text would otherwise pin the whole file in memory for as long as the result lives.
func detach(res *fileResult) {
	c := strings.Clone
	s := &res.script
	s.Name = c(s.Name)
	for i := range s.AMINamePatterns {
		s.AMINamePatterns[i] = c(s.AMINamePatterns[i])
	}
	for i := range s.Hosts {
		s.Hosts[i].Name = c(s.Hosts[i].Name)
	}
	s.SortLists()
	if p, ok := packFacts(s.Facts); ok {
		res.packed, s.Facts = p, nil
	} else {
		// The readers' slice is reused: the facts get one of their own.
		dedupeFacts(s)
		s.Facts = slices.Clone(s.Facts)
		for i := range s.Facts {
			f := &s.Facts[i]
			if f.FactParams != nil {
				// The copies of the params and the mount are the fact's own.
				p := *f.FactParams
				if p.Mount != nil {
					m := *p.Mount
					p.Mount = &m
				}
				f.FactParams = &p
			}
			var none factParts
			for _, p := range factStrings(none.of(f)) {
				*p = c(*p)
			}
		}
	}
	for i := range s.Artifacts {
		a := &s.Artifacts[i]
		a.Region, a.ImageID, a.BuildName, a.Evidence.Excerpt = c(a.Region), c(a.ImageID), c(a.BuildName), c(a.Evidence.Excerpt)
	}
	for i := range res.refs {
		r := &res.refs[i]
		r.target, r.excerpt, r.instance, r.dest = c(r.target), c(r.excerpt), c(r.instance), c(r.dest)
		for j := range r.alts {
			r.alts[j] = c(r.alts[j])
		}
		for j := range r.also {
			r.also[j] = c(r.also[j])
		}
		if r.parts != nil {
			parts := make(map[string]string, len(r.parts))
			for k, v := range r.parts {
				parts[c(k)] = c(v)
			}
			r.parts = parts
		}
	}
	for i := range res.lookups {
		l := &res.lookups[i]
		l.name, l.field, l.excerpt = c(l.name), c(l.field), c(l.excerpt)
	}
	vars := make(map[string][]varItem, len(res.vars))
	for k, vs := range res.vars {
		out := make([]varItem, len(vs))
		for i, v := range vs {
			out[i] = varItem{value: c(v.value), line: v.line, excerpt: c(v.excerpt)}
			if v.field != nil {
				out[i].field = make(map[string]string, len(v.field))
				for fk, fv := range v.field {
					out[i].field[c(fk)] = c(fv)
				}
			}
		}
		vars[c(k)] = out
	}
	res.vars = vars
	for i := range res.buildNames {
		res.buildNames[i] = c(res.buildNames[i])
	}
	for i := range res.manifestOutputs {
		res.manifestOutputs[i] = c(res.manifestOutputs[i])
	}
	for i := range res.gaps {
		res.gaps[i].Message = c(res.gaps[i].Message)
	}
	for i := range res.roleSearch {
		rs := &res.roleSearch[i]
		rs.scope, rs.base, rs.from = c(rs.scope), c(rs.base), c(rs.from)
		dirs := make([]string, len(rs.dirs))
		for j, x := range rs.dirs {
			dirs[j] = c(x)
		}
		rs.dirs = dirs
	}
}

// packedFacts are a file's facts while a scan runs: their strings one after another in
// one string, and the rest in slices without pointers. A large scan holds hundreds of
// thousands of facts; as Facts, every collection would trace their strings each. A fact
// sets few of its fields, so only the strings it sets are kept, as spans of text.
type packedFacts struct {
	text  string
	spans []span32 // the non-empty strings of each fact in turn, in factStrings order
	facts []packedFact
}

type packedFact struct {
	set   uint32 // bit k: string k of factStrings is not empty
	at    uint32 // index in spans of the fact's first string
	line  int
	kind  inventory.FactKind
	class inventory.FactClass
	scope inventory.FactScope
}

type span32 struct{ from, to uint32 }

// packFacts is dedupeFacts into packed form: facts are sorted by index (moving an index is
// cheaper than moving a fact), and each string is copied once for a run of facts that
// share it (the facts of one line share their excerpt). ok is false for facts whose text
// would not fit 32-bit offsets.
func packFacts(in []inventory.Fact) (packedFacts, bool) {
	if len(in) == 0 {
		return packedFacts{}, true
	}
	order := make([]int32, len(in))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return inventory.CompareFacts(&in[a], &in[b]) })
	var once map[onceKey]bool
	kept := order[:0]
	for i, x := range order {
		var prev *inventory.Fact
		if i > 0 {
			prev = &in[order[i-1]]
		}
		if !repeats(&in[x], prev, &once) {
			kept = append(kept, x)
		}
	}
	size, nspans := 0, 0
	var prev [nFactStrings]*string
	var none factParts // the params and mount strings of a fact without them: read, never written
	for i, x := range kept {
		cur := factStrings(none.of(&in[x]))
		for k, p := range cur {
			if *p == "" {
				continue
			}
			nspans++
			if i == 0 || *p != *prev[k] {
				size += len(*p)
			}
		}
		prev = cur
	}
	if size > math.MaxUint32 || nspans > math.MaxUint32 {
		return packedFacts{}, false
	}
	var b strings.Builder
	b.Grow(size)
	out := packedFacts{spans: make([]span32, 0, nspans), facts: make([]packedFact, len(kept))}
	var last [nFactStrings]span32 // where each string of the previous fact was written
	for i, x := range kept {
		cur := factStrings(none.of(&in[x]))
		pf := &out.facts[i]
		pf.at, pf.line = uint32(len(out.spans)), in[x].Evidence.Line
		pf.kind, pf.class, pf.scope = in[x].Kind, in[x].Class, in[x].Scope
		for k, p := range cur {
			if *p == "" {
				continue
			}
			pf.set |= 1 << k
			if i == 0 || *p != *prev[k] {
				last[k] = span32{uint32(b.Len()), uint32(b.Len() + len(*p))}
				b.WriteString(*p)
			}
			out.spans = append(out.spans, last[k])
		}
		prev = cur
	}
	out.text = b.String()
	return out, true
}

// unpack returns the facts (nil when there are none); their strings share one string.
// The facts, their params and their Mounts are allocated once each, as long as they
// need; the facts' capacity is their length.
func (p packedFacts) unpack() []inventory.Fact {
	if len(p.facts) == 0 {
		return nil
	}
	var params, mounts int
	for i := range p.facts {
		if p.facts[i].set&paramStrings != 0 {
			params++
		}
		if p.facts[i].set&mountStrings != 0 {
			mounts++
		}
	}
	facts := make([]inventory.Fact, len(p.facts))
	p.unpackInto(facts, make([]inventory.FactParams, params), make([]inventory.Mount, mounts))
	return facts
}

// unpackInto writes the facts into out, zeroed and len(p.facts) long, their params into
// params and their Mounts into mounts, zeroed and as long as unpack counts them.
func (p packedFacts) unpackInto(out []inventory.Fact, params []inventory.FactParams, mounts []inventory.Mount) {
	var none factParts // stands for the params and mount of a fact without them: never written
	for i := range p.facts {
		f := &p.facts[i]
		fp, m := &none.params, &none.mount
		if f.set&paramStrings != 0 {
			fp, params = &params[0], params[1:]
			out[i].FactParams = fp
			if f.set&mountStrings != 0 {
				m, mounts = &mounts[0], mounts[1:]
				fp.Mount = m
			}
		}
		spans := p.spans[f.at:]
		for set := f.set; set != 0; set &= set - 1 {
			sp := spans[0]
			setFactString(&out[i], fp, m, bits.TrailingZeros32(set), p.text[sp.from:sp.to])
			spans = spans[1:]
		}
		out[i].Evidence.Line = f.line
		out[i].Kind, out[i].Class, out[i].Scope = f.kind, f.class, f.scope
	}
}

// onePerScript are fact kinds recorded once per script (at their first place): a unit
// enabled in three places is still one service.
func onePerScript(kind inventory.FactKind) bool {
	return kind == inventory.FactService || kind == inventory.FactWindows || kind == inventory.FactImageBuild
}

// dedupeFacts sorts a script's facts and drops repeats: the same fact at the same place,
// or a one-per-script fact seen earlier.
func dedupeFacts(s *inventory.Script) {
	s.Sort()
	var once map[onceKey]bool
	out := s.Facts[:0]
	for i := range s.Facts {
		var prev *inventory.Fact
		if i > 0 {
			prev = &s.Facts[i-1]
		}
		if !repeats(&s.Facts[i], prev, &once) {
			out = append(out, s.Facts[i])
		}
	}
	s.Facts = out
}

type onceKey struct {
	kind   inventory.FactKind
	detail string
}

// repeats reports whether f, coming after prev in canonical order, says again what is
// already recorded: a one-per-script fact whose detail was seen (once records them), or
// what prev says at the same place. Two facts that read the same are one fact, whichever
// mechanism each came through.
func repeats(f, prev *inventory.Fact, once *map[onceKey]bool) bool {
	if onePerScript(f.Kind) {
		k := onceKey{f.Kind, f.Detail()}
		if (*once)[k] {
			return true
		}
		if *once == nil {
			*once = map[onceKey]bool{}
		}
		(*once)[k] = true
		return false
	}
	return prev != nil && prev.Kind == f.Kind && prev.Evidence.File == f.Evidence.File && prev.Evidence.Line == f.Evidence.Line && prev.Detail() == f.Detail()
}
