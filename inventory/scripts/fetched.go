package scripts

import (
	"fmt"
	"path"
	"strings"

	"whyk8s/inventory"
)

// Code fetched at boot and run from the disk: aws s3 cp s3://b/bootstrap.sh /opt/ then
// /opt/bootstrap.sh, wget URL then ./install, git clone URL /opt/x then /opt/x/setup.sh.
// It is curl | bash written in two steps. When the file it runs is not in the folders read
// (the scan resolves the run as it does any script named, by the end of its path), what
// the host runs is in a file nobody gave us: a gap that names where it comes from, and a
// fact that says so (ClassFetchedScript). A fetch the vocabulary knows by its address (the
// CodeDeploy agent's installer, get.docker.com) says what it installs already, and is not
// tracked.

// fetchedPath is a file or folder put on the host from source, by via. base is local's
// last element, kept because every command a script runs is matched against it.
type fetchedPath struct {
	local, base, source, via string
	dir                      bool
}

// appendFetch returns list with f added as the latest fetch, its path cleaned.
func appendFetch(list []fetchedPath, f fetchedPath) []fetchedPath {
	f.local = path.Clean(f.local)
	f.base = path.Base(f.local)
	return append(list, f)
}

// fetch records a file (or, with dir, a folder) the script fetched from source.
func (r *shellReader) fetch(local, source, via string, dir bool) {
	local = strings.TrimSpace(local)
	if local == "" || local == "-" || strings.HasPrefix(local, "/dev/") {
		return
	}
	if _, known := classifyKeyword(source); known {
		return
	}
	r.fetched = appendFetch(r.fetched, fetchedPath{local: local, source: sourceText(source), via: via, dir: dir})
}

// fetchedFrom is where the file the script runs at p came from, when the script fetched
// it: the same path, a path under a fetched folder, or, when either is relative (the
// script's working folder is not known), the same file name.
func (r *shellReader) fetchedFrom(p string) (fetchedPath, bool) {
	if len(r.fetched) == 0 || strings.TrimSpace(p) == "" {
		return fetchedPath{}, false
	}
	c := path.Clean(p)
	cBase, cAbs := path.Base(c), path.IsAbs(c)
	for i := len(r.fetched) - 1; i >= 0; i-- { // the latest fetch to a place wins
		f := &r.fetched[i]
		relative := !cAbs || !path.IsAbs(f.local)
		switch {
		case f.dir && (strings.HasPrefix(c, f.local+"/") || relative && strings.Contains("/"+c, "/"+f.base+"/")):
			return *f, true
		case !f.dir && (c == f.local || relative && cBase == f.base):
			return *f, true
		}
	}
	return fetchedPath{}, false
}

// runsFetchedScript reports a run of fetched code that is a script whose content says what the
// host runs: one named as a script, or a file fetched on its own with no extension
// (./install). A program unpacked from an archive (/usr/bin/consul from a release's zip) or
// fetched under the name of one the vocabulary knows is that program, not a script.
func runsFetchedScript(p string, f fetchedPath) bool {
	switch ext := strings.ToLower(path.Ext(p)); ext {
	case ".sh", ".bash", ".ps1", ".bat", ".cmd":
		return true
	case "":
		if f.dir {
			return false
		}
		_, known := classifyName(path.Base(p), ctxService)
		return !known
	}
	return false
}

// runsFetchedByPath reports a command that runs, by its path, a script the script fetched.
// The path test comes first: most commands are run by name (apt-get, systemctl) and need
// not be matched against every fetch.
func (r *shellReader) runsFetchedByPath(cmd string) bool {
	if !strings.Contains(cmd, "/") {
		return false
	}
	f, ok := r.fetchedFrom(cmd)
	return ok && runsFetchedScript(cmd, f)
}

// refRun refers to a script the host runs; one it fetched at boot carries where from.
func (r *shellReader) refRun(target, how, kind string, line int) {
	n := len(r.d.res.refs)
	r.d.ref(target, how, refSuffix, kind, line)
	if len(r.d.res.refs) > n {
		if f, ok := r.fetchedFrom(target); ok && runsFetchedScript(target, f) {
			r.d.res.refs[n].fetched, r.d.res.refs[n].fetchedVia = f.source, f.via
		}
	}
}

// sourceText is where a file came from as a report may show it: without credentials, a
// query (a presigned URL's signature) or a fragment.
func sourceText(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if scheme, rest, ok := strings.Cut(u, "://"); ok {
		host, p, slash := strings.Cut(rest, "/")
		at := strings.LastIndexByte(host, '@')
		if at < 0 && (p != "" || !slash) {
			return u // nothing to take out: the text as written, not a copy
		}
		u = scheme + "://" + host[at+1:]
		if p != "" {
			u += "/" + p
		}
	}
	return u
}

// fetchedNotRead records, for a run of fetched code that no folder read holds, what it
// says about the host (a fact at the run) and returns the gap that names where it came from.
func fetchedNotRead(res *fileResult, r refIntent) inventory.CoverageGap {
	f := inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassFetchedScript, Via: r.fetchedVia,
		FactParams: &inventory.FactParams{Path: r.target, Address: r.fetched}}
	newDoc(res, res.script.Path, "").addAt(f, r.file, r.line, r.excerpt)
	return inventory.CoverageGap{Path: r.file, Line: r.line, Kind: inventory.GapNotFound,
		Message: fmt.Sprintf("runs %q, fetched at boot from %s, which is not under the scanned folders: what it does is not read", r.target, r.fetched)}
}
