package scripts

import (
	"fmt"
	"path"
	"slices"
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
	r.fetched = appendFetch(r.fetched, fetchedPath{local: local, source: inventory.SourceURL(source), via: via, dir: dir})
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
	if scriptLanguage(p) != "" {
		return true // Python, Ruby…: a script, whoever runs it
	}
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

// refRunLang refers to a script the host runs in a language no reader reads (python3
// setup.py): never read, it is a gap when the folders hold it, and code fetched at boot when
// the script fetched it.
func (r *shellReader) refRunLang(target, lang string, line int) {
	n := len(r.d.res.refs)
	r.d.ref(target, "the script", refSuffix, "", line) // "the script runs …" in its gap
	if len(r.d.res.refs) > n {
		ref := &r.d.res.refs[n]
		ref.lang = lang
		if f, ok := r.fetchedFrom(target); ok && runsFetchedScript(target, f) {
			ref.fetched, ref.fetchedVia = f.source, f.via
		}
	}
}

// interpreters are the commands that run a script in a language no reader reads, by the
// language; inline is the option that gives code rather than a file, and valued the options
// that take the next word as their value.
var interpreters = map[string]struct {
	lang           string
	inline, valued []string
}{
	"python":  {"Python", []string{"-c", "-m"}, []string{"-W", "-X", "--check-hash-based-pycs"}},
	"python2": {"Python", []string{"-c", "-m"}, []string{"-W", "-X"}},
	"python3": {"Python", []string{"-c", "-m"}, []string{"-W", "-X", "--check-hash-based-pycs"}},
	"ruby":    {"Ruby", []string{"-e"}, []string{"-I", "-r", "-C", "-E"}},
	"perl":    {"Perl", []string{"-e", "-E"}, []string{"-I", "-M", "-m"}},
	"node":    {"JavaScript", []string{"-e", "--eval", "-p", "--print"}, []string{"-r", "--require", "--import"}},
	"nodejs":  {"JavaScript", []string{"-e", "--eval", "-p", "--print"}, []string{"-r", "--require", "--import"}},
	"php":     {"PHP", []string{"-r"}, []string{"-c", "-d", "-z"}},
}

// interpreterScript is the script file an interpreter's arguments run, when they run one:
// python3 -u /opt/app/setup.py --env prod runs /opt/app/setup.py; python3 -m pip and
// ruby -e '…' run none.
func interpreterScript(name string, args []string) (script, lang string) {
	in, ok := interpreters[name]
	if !ok && strings.HasPrefix(name, "python3.") {
		in, ok = interpreters["python3"] // python3.11
	}
	if !ok {
		return "", ""
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case slices.Contains(in.inline, a):
			return "", ""
		case slices.Contains(in.valued, a):
			i++
		case a == "--":
			if i+1 < len(args) {
				return args[i+1], in.lang
			}
			return "", ""
		case strings.HasPrefix(a, "-"):
		default:
			return a, in.lang
		}
	}
	return "", ""
}

// scriptLanguage names the language of a script no reader reads, by its extension: "" for
// a shell script, PowerShell, or a file that is no script.
func scriptLanguage(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".py":
		return "Python"
	case ".rb":
		return "Ruby"
	case ".pl":
		return "Perl"
	case ".js", ".mjs", ".cjs":
		return "JavaScript"
	case ".php":
		return "PHP"
	}
	return ""
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
