package scripts

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"

	"whyk8s/inventory"
)

const maxDepth = 4

// shellParsers are reused: a new parser allocates sizeable buffers, and a Packer template
// or cloud-config can hold hundreds of one-line commands.
var shellParsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}

// shellReader walks one shell text's syntax tree. base is the file line of the text's first
// line; flat says every line of the text maps to base (a command folded from YAML).
type shellReader struct {
	d     *doc
	base  int
	flat  bool
	lines []int // when set, the file line of each line of the text
	vars  map[string]shellVar
	// noIP are the words skipIPs marked: the first few in noIPFew, which costs no
	// allocation, any more in the map.
	noIPFew [8]*syntax.Word
	nNoIP   int
	noIP    map[*syntax.Word]bool
	// fetched are the files and folders the script fetched at boot (fetched.go).
	fetched []fetchedPath
}

// shellVar is an assignment seen earlier in the script (PKGS="nginx redis"): the words of
// a literal value, and any value as written, expansions kept as text ("${EFS}:/ /mnt nfs4").
type shellVar struct {
	words []string
	text  string
	line  int
	exact bool // the value is literal: words are what the shell would give
}

// shellError is a shell text that does not parse, with the file line it failed on.
type shellError struct {
	line int
	msg  string
}

func (e *shellError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// readShell parses src as bash and records what it does. A parse error is returned with
// the file line; nothing is guessed from a text that does not parse.
func (d *doc) readShell(src string, base int, flat bool) error {
	return d.readShellMapped(src, base, flat, nil)
}

// commandList is one-line commands that run as one script — Packer inline commands,
// cloud-init runcmd entries — each with its file line.
type commandList struct {
	text  strings.Builder
	lines []int
}

func (c *commandList) add(cmd string, line int) {
	if c.text.Len() > 0 {
		c.text.WriteByte('\n')
	}
	c.text.WriteString(cmd)
	for n := strings.Count(cmd, "\n"); n >= 0; n-- {
		c.lines = append(c.lines, line)
	}
}

// grow makes room for n more commands of about size bytes in all.
func (c *commandList) grow(n, size int) {
	c.text.Grow(size + n)
	c.lines = slices.Grow(c.lines, n)
}

// snippets reads a command list with one parse: the tools that run such lists write them
// into one script, and one parse costs far less than one per command.
func (d *doc) snippets(c *commandList, what string) {
	if len(c.lines) == 0 {
		return
	}
	if err := d.readShellMapped(c.text.String(), c.lines[0], false, c.lines); err != nil {
		d.shellGap(err, c.lines[0], what)
	}
}

func (d *doc) readShellMapped(src string, base int, flat bool, lines []int) error {
	if d.depth > maxDepth {
		return nil
	}
	src = hclInterpolations(src)
	if err := checkShell(src); err != nil {
		mapper := &shellReader{base: base, flat: flat, lines: lines}
		return atFileLine(err, func(l int) int { return mapper.line(syntax.NewPos(0, uint(l), 1)) })
	}
	p := shellParsers.Get().(*syntax.Parser)
	// The tree is walked before the parser goes back to the pool: a parser reuses its
	// buffers on the next parse.
	defer shellParsers.Put(p)
	f, err := p.Parse(strings.NewReader(src), "")
	if err != nil {
		mapper := &shellReader{base: base, flat: flat, lines: lines}
		var pe syntax.ParseError
		if errors.As(err, &pe) {
			return &shellError{line: mapper.line(pe.Pos), msg: pe.Text}
		}
		var le syntax.LangError
		if errors.As(err, &le) {
			return &shellError{line: mapper.line(le.Pos), msg: le.Error()}
		}
		return &shellError{line: base, msg: err.Error()}
	}
	r := &shellReader{d: d, base: base, flat: flat, lines: lines, fetched: d.fetched[:len(d.fetched):len(d.fetched)]}
	r.walk(f)
	return nil
}

// hclInterpolations rewrites what Terraform or Packer left in a script they render —
// ${var.port}, ${aws_lb.web.dns_name}, ${upper(x)}: an identifier then "." or "(", never
// valid shell — into a shell parameter named for it, on the same line. User data read from
// infrastructure code keeps the values the code does not know this way. CloudFormation's
// pseudo parameters that Fn::Sub leaves (${AWS::Region}) become ${AWS_Region}, the name the
// template reader gives them, so that both readings of one line say the same.
func hclInterpolations(src string) string {
	i := strings.Index(src, "${")
	if i < 0 {
		return src
	}
	var b strings.Builder
	last := 0
	for ; i >= 0 && i < len(src); i = indexFrom(src, "${", i+2) {
		j := i + 2
		for j < len(src) && (src[j] == '_' || src[j] == '-' || 'a' <= src[j] && src[j] <= 'z' || 'A' <= src[j] && src[j] <= 'Z' || j > i+2 && '0' <= src[j] && src[j] <= '9') {
			j++
		}
		pseudo := src[i+2:j] == "AWS" && strings.HasPrefix(src[j:], "::")
		if j == i+2 || j >= len(src) || (src[j] != '.' && src[j] != '(' && !pseudo) {
			continue
		}
		end := strings.IndexByte(src[j:], '}')
		if end < 0 || strings.ContainsAny(src[j:j+end], "\n{") {
			continue
		}
		end += j
		if b.Len() == 0 && last == 0 {
			b.Grow(len(src))
		}
		b.WriteString(src[last:i])
		expr := src[i+2 : end]
		if pseudo {
			expr = strings.ReplaceAll(expr, "::", "_")
		}
		b.WriteString("${" + shellParam(expr) + "}")
		last = end + 1
		i = end - 1
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

// shellParam is a shell parameter name standing for an expression another tool would have
// filled in: every character a name cannot hold becomes "_" ("var.port" → "var_port").
func shellParam(expr string) string {
	b := []byte(expr)
	for i, c := range b {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

func indexFrom(s, sub string, from int) int {
	if from >= len(s) {
		return -1
	}
	if k := strings.Index(s[from:], sub); k >= 0 {
		return from + k
	}
	return -1
}

// snippet reads a shell command embedded in another file (an Ansible shell task, a
// cloud-config runcmd entry, a Packer inline command); a parse error becomes a gap.
func (d *doc) snippet(src string, base int, flat bool, what string) {
	if err := d.readShell(src, base, flat); err != nil {
		d.shellGap(err, base, what)
	}
}

// setVar and skipIPs make the reader's maps when first needed: most snippets need neither.
func (r *shellReader) setVar(name string, v shellVar) {
	if r.vars == nil {
		r.vars = map[string]shellVar{}
	}
	r.vars[name] = v
}

// skipIPs marks a word (a version, a package name) whose dotted numbers are not addresses.
// Most readers mark a few words, the packages of an install or two: those are kept in an
// array, and a map is made only for more.
func (r *shellReader) skipIPs(w *syntax.Word) {
	if r.nNoIP < len(r.noIPFew) {
		r.noIPFew[r.nNoIP] = w
		r.nNoIP++
		return
	}
	if r.noIP == nil {
		r.noIP = map[*syntax.Word]bool{}
	}
	r.noIP[w] = true
}

// ipsSkipped reports a word skipIPs marked.
func (r *shellReader) ipsSkipped(w *syntax.Word) bool {
	for _, x := range r.noIPFew[:r.nNoIP] {
		if x == w {
			return true
		}
	}
	return r.noIP[w]
}

func (r *shellReader) line(p syntax.Pos) int {
	if r.lines != nil && p.IsValid() {
		if i := int(p.Line()) - 1; i >= 0 && i < len(r.lines) {
			return r.lines[i]
		}
	}
	if r.flat || !p.IsValid() {
		return r.base
	}
	return r.base + int(p.Line()) - 1
}

func (r *shellReader) walk(n syntax.Node) {
	walkTree(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			// The budget is looked at once per statement, not at every node: a statement's
			// own nodes are few and cheap to read, and every statement the walk reaches,
			// however nested, comes here first.
			if r.d.res.stopped() {
				return false // out of time: the walk unwinds without reading further
			}
			r.stmt(n)
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				r.pipe(n)
			}
		case *syntax.DeclClause:
			r.decl(n)
		case *syntax.Word:
			// Most words hold no address and are let go before the words marked not to be
			// read are searched.
			if s := wordText(n); mayHoldAddress(s) && !r.ipsSkipped(n) {
				r.d.scanIPs(s, r.line(n.Pos()), r.flat)
			}
		}
		return true
	})
}

// wordText renders a word: literals as written, expansions as $NAME, $(…).
func wordText(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	if len(w.Parts) == 1 {
		switch p := w.Parts[0].(type) {
		case *syntax.Lit:
			return p.Value
		case *syntax.SglQuoted:
			return p.Value
		case *syntax.DblQuoted:
			if len(p.Parts) == 1 {
				if l, ok := p.Parts[0].(*syntax.Lit); ok {
					return l.Value
				}
			}
		}
	}
	var b strings.Builder
	for _, p := range w.Parts {
		partText(&b, p)
	}
	return b.String()
}

func partText(b *strings.Builder, p syntax.WordPart) {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(p.Value)
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			partText(b, q)
		}
	case *syntax.ParamExp:
		if p.Param != nil {
			b.WriteString("${" + p.Param.Value + "}")
		} else {
			b.WriteString("${}")
		}
	case *syntax.CmdSubst:
		b.WriteString("$(…)")
	case *syntax.ArithmExp:
		b.WriteString("$((…))")
	case *syntax.ProcSubst:
		b.WriteString("<(…)")
	default:
		b.WriteString("…")
	}
}

// literal reports whether a word has no expansions.
func literal(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if _, ok := q.(*syntax.Lit); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// echoed is what echo or printf writes: a word that is only $VAR of an assignment seen
// earlier is that assignment's value as written (LINE="$EFS:/ /mnt nfs4 …"; echo "$LINE").
func (r *shellReader) echoed(args []string, words []*syntax.Word) string {
	out := make([]string, len(args))
	copy(out, args)
	for i := 1; i < len(out) && i < len(words); i++ {
		if name := onlyParam(words[i]); name != "" {
			if v, ok := r.vars[name]; ok {
				out[i] = v.text
			}
		}
	}
	return echoContent(out)
}

func onlyParam(w *syntax.Word) string {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return ""
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Excl || pe.Length || pe.Slice != nil || pe.Repl != nil || pe.Exp != nil {
		return ""
	}
	return pe.Param.Value
}

// command strips wrappers (sudo, env, nohup…) and returns the command's words with their
// syntax words alongside.
func command(words []*syntax.Word) ([]string, []*syntax.Word) {
	args := make([]string, len(words))
	for i, w := range words {
		args[i] = wordText(w)
	}
	i := 0
	for i < len(args) {
		switch path.Base(args[i]) {
		case "sudo", "doas":
			i++
			for i < len(args) && strings.HasPrefix(args[i], "-") {
				if opt := args[i]; (opt == "-u" || opt == "-g" || opt == "-C" || opt == "-D" || opt == "-p" || opt == "-U" || opt == "-r" || opt == "-t" || opt == "-h") && i+1 < len(args) {
					i++
				}
				i++
			}
		case "env":
			i++
			for i < len(args) && (strings.HasPrefix(args[i], "-") || strings.Contains(args[i], "=")) {
				if (args[i] == "-u" || args[i] == "-C" || args[i] == "-S") && i+1 < len(args) {
					i++
				}
				i++
			}
		case "nohup", "exec", "time", "command", "setsid", "chronic", "builtin":
			i++
		case "cloud-init-per": // cloud-init-per <frequency> <name> <command…>
			i += 3
		case "nice", "ionice", "stdbuf", "timeout":
			i++
			for i < len(args) && strings.HasPrefix(args[i], "-") {
				if (args[i] == "-n" || args[i] == "-c") && i+1 < len(args) {
					i++
				}
				i++
			}
			if path.Base(args[i-1]) == "timeout" || (i < len(args) && looksLikeDuration(args[i])) {
				i++
			}
		default:
			return args[i:], words[i:]
		}
	}
	return nil, nil
}

func looksLikeDuration(s string) bool {
	if s == "" {
		return false
	}
	return s[0] >= '0' && s[0] <= '9'
}

// positional returns the arguments that are not options; opts lists options that take a
// value.
func positional(args []string, opts ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			for _, o := range opts {
				if a == o {
					i++
					break
				}
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

func (r *shellReader) decl(dc *syntax.DeclClause) {
	export := dc.Variant != nil && dc.Variant.Value == "export"
	for _, a := range dc.Args {
		if a.Name == nil {
			continue
		}
		r.assign(a)
		if export && !a.Naked && !systemEnv(a.Name.Value) {
			r.d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Name: a.Name.Value, Via: "export"}, r.line(a.Pos()))
		}
	}
}

func (r *shellReader) assign(a *syntax.Assign) {
	if a.Name == nil {
		return
	}
	name := a.Name.Value
	up := strings.ToUpper(name)
	switch {
	case a.Array != nil:
		var ws []string
		ok := true
		for _, e := range a.Array.Elems {
			if e.Value == nil || !literal(e.Value) {
				ok = false
				break
			}
			ws = append(ws, wordText(e.Value))
		}
		if ok {
			r.setVar(name, shellVar{words: ws, text: strings.Join(ws, " "), line: r.line(a.Pos()), exact: true})
		}
	case a.Value != nil && literal(a.Value):
		t := wordText(a.Value)
		r.setVar(name, shellVar{words: strings.Fields(t), text: t, line: r.line(a.Pos()), exact: true})
	case a.Value != nil:
		r.setVar(name, shellVar{text: wordText(a.Value), line: r.line(a.Pos())})
	default:
		delete(r.vars, name)
	}
	if a.Value != nil && (strings.Contains(up, "VERSION") || strings.HasSuffix(up, "_VER") || strings.Contains(up, "RELEASE")) {
		r.skipIPs(a.Value)
	}
}

// systemEnv are variables every shell or toolchain sets; exporting them is not the
// application's configuration.
func systemEnv(name string) bool {
	switch strings.ToUpper(name) {
	case "PATH", "HOME", "USER", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ", "PWD", "OLDPWD", "HOSTNAME",
		"PS1", "IFS", "TMPDIR", "DEBIAN_FRONTEND", "DEBIAN_PRIORITY", "NEEDRESTART_MODE", "NEEDRESTART_SUSPEND",
		"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "GOPATH", "GOROOT", "GOBIN", "JAVA_HOME", "PYTHONPATH",
		"LD_LIBRARY_PATH", "MANPATH", "EDITOR", "PAGER", "SYSTEMD_PAGER", "ACCEPT_EULA", "PIP_NO_CACHE_DIR",
		"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "CFLAGS", "LDFLAGS", "CC", "CXX", "MAKEFLAGS", "AWS_DEFAULT_REGION", "AWS_REGION":
		return true
	}
	return strings.HasPrefix(strings.ToUpper(name), "LC_")
}

func (r *shellReader) stmt(s *syntax.Stmt) {
	call, _ := s.Cmd.(*syntax.CallExpr)
	if call != nil && len(call.Args) == 0 {
		for _, a := range call.Assigns {
			r.assign(a)
		}
		return
	}
	var args []string
	var words []*syntax.Word
	if call != nil {
		args, words = command(call.Args)
	}
	// Writes: > file, >> file, with a heredoc or echo/printf as the content.
	var hdoc *syntax.Redirect
	for _, rd := range s.Redirs {
		if (rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc) && rd.Hdoc != nil {
			hdoc = rd
		}
	}
	for _, rd := range s.Redirs {
		switch rd.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
		default:
			continue
		}
		target := wordText(rd.Word)
		if strings.HasPrefix(target, "/dev/") || target == "" || strings.HasPrefix(target, "&") {
			continue
		}
		w := fileWrite{target: target, line: r.line(rd.OpPos)}
		switch {
		case hdoc != nil:
			w.content, w.cline, w.flat, w.known = wordText(hdoc.Hdoc), r.line(hdoc.Hdoc.Pos()), r.flat, true
		case len(args) > 0 && (args[0] == "echo" || args[0] == "printf"):
			w.content, w.cline, w.flat, w.known = r.echoed(args, words), r.line(s.Pos()), true, true
		}
		r.d.write(w)
	}
	if call == nil || len(args) == 0 {
		return
	}
	if s.Background {
		r.d.add(inventory.Fact{Kind: inventory.FactService, Via: inventory.ViaBackground, Name: path.Base(args[0])}, r.line(s.Pos()))
	}
	if hdoc != nil && len(args) > 0 {
		switch path.Base(args[0]) {
		case "bash", "sh", "zsh", "dash", "ksh":
			if len(positional(args[1:])) == 0 {
				r.nested(wordText(hdoc.Hdoc), r.line(hdoc.Hdoc.Pos()), "heredoc")
			}
		}
	}
	r.call(args, words, r.line(s.Pos()))
}

func echoContent(args []string) string {
	var parts []string
	for _, a := range args[1:] {
		if args[0] == "echo" && (a == "-e" || a == "-n" || a == "-ne" || a == "-en") && len(parts) == 0 {
			continue
		}
		parts = append(parts, a)
	}
	s := strings.Join(parts, " ")
	if args[0] == "printf" || strings.Contains(s, `\n`) {
		s = strings.ReplaceAll(s, `\n`, "\n")
	}
	return s
}

// nested reads a shell text carried by a command (bash -c "…", a heredoc fed to bash).
func (r *shellReader) nested(src string, line int, what string) {
	r.d.nestedShell(src, line, r.flat || what != "heredoc", what)
}

// nestedShell reads shell held in what d reads (a -c string, a recipe's execute, a state's
// cmd.run) a level deeper, starting at line; one that does not parse is a gap naming what
// held it.
func (d *doc) nestedShell(src string, line int, flat bool, what string) {
	nd := *d
	nd.depth++
	if err := nd.readShell(src, line, flat); err != nil {
		d.shellGap(err, line, what)
	}
}

// pipe handles what only a pipeline shows: curl | bash, … | tee file, … | crontab -.
func (r *shellReader) pipe(b *syntax.BinaryCmd) {
	left, right := lastStmt(b.X), firstStmt(b.Y)
	if left == nil || right == nil {
		return
	}
	lcall, _ := left.Cmd.(*syntax.CallExpr)
	rcall, _ := right.Cmd.(*syntax.CallExpr)
	if rcall == nil {
		return
	}
	rargs, _ := command(rcall.Args)
	if len(rargs) == 0 {
		return
	}
	var largs []string
	var lwords []*syntax.Word
	if lcall != nil {
		largs, lwords = command(lcall.Args)
	}
	line := r.line(right.Pos())
	switch path.Base(rargs[0]) {
	case "bash", "sh", "zsh", "dash", "python", "python3", "perl":
		if len(largs) > 0 && (path.Base(largs[0]) == "curl" || path.Base(largs[0]) == "wget") {
			u := firstURL(largs)
			r.d.add(pipeToShell(path.Base(largs[0]), path.Base(rargs[0]), u), line)
			if f, ok := installerCluster(hostOf(u), rcall.Assigns); ok {
				r.d.add(f, line)
			} else if f, ok := classifyKeyword(u); ok {
				f.Via = path.Base(largs[0])
				r.d.add(f, line)
			}
		}
	case "tee":
		content, cline, flat, known := "", line, true, false
		if len(largs) > 0 && (largs[0] == "echo" || largs[0] == "printf") {
			content, known = r.echoed(largs, lwords), true
		}
		for _, rd := range left.Redirs {
			if (rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc) && rd.Hdoc != nil {
				content, cline, flat, known = wordText(rd.Hdoc), r.line(rd.Hdoc.Pos()), r.flat, true
			}
		}
		for _, t := range positional(rargs[1:]) {
			r.d.write(fileWrite{target: t, line: line, content: content, cline: cline, flat: flat, known: known})
		}
	case "crontab":
		f := inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab}
		if len(largs) > 0 && largs[0] == "echo" {
			sched, cmd := cronEntry(echoContent(largs))
			f.SetParams(func(p *inventory.FactParams) { p.Schedule, p.Command = sched, cmd })
		}
		r.d.add(f, line)
	case "docker":
		if len(largs) > 1 && largs[0] == "aws" && largs[1] == "ecr" {
			r.d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaECR, FactParams: &inventory.FactParams{Command: "docker login"}}, line)
		}
	}
}

func lastStmt(s *syntax.Stmt) *syntax.Stmt {
	for s != nil {
		b, ok := s.Cmd.(*syntax.BinaryCmd)
		if !ok {
			return s
		}
		s = b.Y
	}
	return nil
}

func firstStmt(s *syntax.Stmt) *syntax.Stmt {
	for s != nil {
		b, ok := s.Cmd.(*syntax.BinaryCmd)
		if !ok {
			return s
		}
		s = b.X
	}
	return nil
}

// fetchedScript reports a word that runs a downloaded script: "$(curl -L https://…)" or
// <(curl …), as in bash -c "$(curl …)".
func fetchedScript(w *syntax.Word) (string, bool) {
	var stmts []*syntax.Stmt
	var visit func(p syntax.WordPart)
	visit = func(p syntax.WordPart) {
		switch p := p.(type) {
		case *syntax.CmdSubst:
			stmts = append(stmts, p.Stmts...)
		case *syntax.ProcSubst:
			stmts = append(stmts, p.Stmts...)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				visit(q)
			}
		}
	}
	for _, p := range w.Parts {
		visit(p)
	}
	for _, st := range stmts {
		if c, ok := st.Cmd.(*syntax.CallExpr); ok {
			args, _ := command(c.Args)
			if len(args) > 0 && (path.Base(args[0]) == "curl" || path.Base(args[0]) == "wget") {
				return firstURL(args), true
			}
		}
	}
	return "", false
}

func firstURL(args []string) string {
	for _, a := range args {
		if strings.Contains(a, "://") {
			return a
		}
	}
	return ""
}

// hostOf is the host (and port) a URL names, without credentials; empty when
// the text is not a URL.
func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest
}

var archiveExts = []string{".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar", ".zip", ".jar", ".war", ".rpm", ".deb", ".bin", ".run", ".iso", ".whl", ".msi", ".img", ".gz"}

func isArchive(u string) bool {
	l := strings.ToLower(u)
	if i := strings.IndexAny(l, "?#"); i >= 0 {
		l = l[:i]
	}
	for _, e := range archiveExts {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

// interpreted refers to the script an interpreter runs (python3 /opt/app/setup.py), a file
// in a language no reader reads.
func (r *shellReader) interpreted(name string, rest []string, line int) {
	if script, lang := interpreterScript(name, rest); script != "" && script != "-" {
		r.refRunLang(script, lang, line)
	}
}

// call looks at one simple command.
func (r *shellReader) call(args []string, words []*syntax.Word, line int) {
	name := path.Base(args[0])
	rest := args[1:]
	d := r.d
	if r.runsFetchedByPath(args[0]) {
		// ./install, /opt/app/setup.sh: a script the script fetched, run by its path. Read on
		// as any command (a name may still say what it is), but install is also coreutils'.
		if lang := scriptLanguage(name); lang != "" {
			r.refRunLang(args[0], lang, line) // ./bootstrap.py, by its shebang
		} else if !strings.HasSuffix(name, ".sh") && !strings.HasSuffix(name, ".bash") {
			r.refRun(args[0], "runs-script", inventory.ScriptShell, line)
		}
		if name == "install" {
			return
		}
	}
	if f, ok := clusterCommand(args[0], rest); ok {
		d.add(f, line)
	}
	if tool := toolVariable(args[0]); tool != "" {
		// A command the caller supplies, named for what it runs: ${puppet_cmd} in a
		// user-data template, $CHEF_CLIENT_CMD in a script.
		d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: tool, FactParams: &inventory.FactParams{Command: args[0]}}, line)
	}
	switch name {
	case "bash", "sh", "zsh", "dash", "ksh", "su", "runuser":
		for _, w := range words[1:] {
			if u, ok := fetchedScript(w); ok {
				d.add(pipeToShell("curl", name, u), line)
			}
		}
		for i, a := range rest {
			if a == "-c" && i+1 < len(rest) {
				r.nested(rest[i+1], r.line(words[i+2].Pos()), name+" -c")
				return
			}
		}
		if name == "su" || name == "runuser" {
			return
		}
		if p := positional(rest, "-o", "-O", "--rcfile", "--init-file"); len(p) > 0 {
			r.refRun(p[0], "runs-script", inventory.ScriptShell, line)
		}
	case "source", ".":
		if len(rest) > 0 {
			r.refRun(rest[0], "sources-script", inventory.ScriptShell, line)
		}
	case "eval":
		r.nested(strings.Join(rest, " "), line, "eval")
	case "apt-get", "apt", "aptitude":
		r.packages(name, rest, []string{"install"}, []string{"upgrade", "dist-upgrade", "full-upgrade"}, ctxSystem, words[1:], line)
	case "yum", "dnf", "microdnf", "tdnf", "zypper":
		r.packages(name, rest, []string{"install", "in", "groupinstall", "localinstall", "reinstall"}, []string{"upgrade", "update", "up", "dist-upgrade", "dup", "distro-sync"}, ctxSystem, words[1:], line)
	case "apk":
		r.packages(name, rest, []string{"add"}, []string{"upgrade"}, ctxSystem, words[1:], line)
	case "snap":
		r.packages(name, rest, []string{"install"}, []string{"refresh"}, ctxSystem, words[1:], line)
	case "amazon-linux-extras":
		r.packages(name, rest, []string{"install", "enable"}, nil, ctxSystem, words[1:], line)
	case "choco", "winget":
		r.packages(name, rest, []string{"install"}, []string{"upgrade"}, ctxSystem, words[1:], line)
	case "pip", "pip3", "pipx", "conda", "mamba", "gem":
		r.packages(name, rest, []string{"install"}, nil, ctxLibrary, words[1:], line)
	case "python", "python3":
		if len(rest) > 2 && rest[0] == "-m" && strings.HasPrefix(rest[1], "pip") {
			r.packages(rest[1], rest[2:], []string{"install"}, nil, ctxLibrary, words[3:], line)
		}
		r.interpreted(name, rest, line)
	case "python2", "ruby", "perl", "node", "nodejs", "php":
		r.interpreted(name, rest, line)
	case "npm", "yarn":
		if len(rest) > 0 && rest[0] == "run" && len(rest) > 1 && strings.Contains(rest[1], "build") {
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassCompile, Via: name, FactParams: &inventory.FactParams{Command: name + " run build"}}, line)
		}
	case "rpm", "dpkg":
		install := false
		for _, a := range rest {
			if strings.HasPrefix(a, "-i") || strings.HasPrefix(a, "-U") || a == "--install" {
				install = true
			}
		}
		if install {
			for i, a := range rest {
				if !strings.HasPrefix(a, "-") {
					r.skipIPs(words[i+1])
					d.packageFact(a, ctxSystem, name, line)
					r.fetchedPackage(name, a, line)
				}
			}
		}
	case "systemctl":
		r.systemctl(rest, line)
	case "service":
		if len(rest) >= 2 && (rest[1] == "start" || rest[1] == "restart") {
			d.serviceFact(rest[0], name, line)
		}
	case "chkconfig":
		if len(rest) >= 2 && rest[len(rest)-1] == "on" {
			d.serviceFact(rest[len(rest)-2], name, line)
		}
	case "update-rc.d":
		if len(rest) >= 2 && (rest[1] == "defaults" || rest[1] == "enable") {
			d.serviceFact(rest[0], name, line)
		}
	case "rc-update":
		if len(rest) >= 2 && rest[0] == "add" {
			d.serviceFact(rest[1], name, line)
		}
	case "supervisorctl", "pm2":
		if len(rest) >= 2 && rest[0] == "start" {
			d.add(inventory.Fact{Kind: inventory.FactService, Via: name, Name: rest[1]}, line)
		}
	case "mount":
		r.mount(rest, line)
	case "mount.nfs", "mount.nfs4", "mount.efs", "mount.cifs", "mount.smb3", "mount.glusterfs", "mount.lustre", "mount.ceph":
		// The file system's own mount helper: mount.efs fs-1:/ /mnt/efs -o tls.
		if p := positional(rest, "-o"); len(p) >= 2 {
			d.mountFact(p[0], p[1], strings.TrimPrefix(name, "mount."), "", name, line)
		}
	case "s3fs", "goofys", "mount-s3":
		p := positional(rest, "-o", "--region", "--profile", "--endpoint", "--prefix", "--cache", "--uid", "--gid", "--file-mode", "--dir-mode")
		m := inventory.Mount{FSType: name}
		if len(p) >= 2 {
			m.Target = p[1]
		}
		if len(p) >= 1 {
			m.Source = p[0]
		}
		d.addMount(inventory.Fact{Kind: inventory.FactS3Mount, Via: name}, m, line)
	case "rclone":
		if len(rest) > 0 && rest[0] == "mount" {
			p := positional(rest[1:])
			if len(p) >= 2 {
				d.addMount(inventory.Fact{Kind: inventory.FactS3Mount, Via: name}, inventory.Mount{Source: p[0], Target: p[1], FSType: "rclone"}, line)
			}
		}
	case "mkfs", "mke2fs", "mkfs.ext4", "mkfs.ext3", "mkfs.ext2", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat", "mkfs.fat":
		p := positional(rest, "-t", "-L", "-b", "-i", "-m", "-N", "-O", "-E", "-T")
		f := inventory.Fact{Kind: inventory.FactDataVolume, Via: name, FactParams: &inventory.FactParams{Command: name}}
		if len(p) > 0 {
			f.FactParams.Device = p[len(p)-1]
		}
		d.add(f, line)
	case "pvcreate", "vgcreate", "lvcreate", "mdadm":
		d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: name, FactParams: &inventory.FactParams{Command: name}}, line)
	case "sysctl":
		for _, a := range rest {
			switch {
			case a == "-p" || a == "--system" || strings.HasPrefix(a, "-p"):
				d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, Via: name, FactParams: &inventory.FactParams{Command: "sysctl " + a}}, line)
			case strings.Contains(a, "="):
				k, v, _ := strings.Cut(a, "=")
				d.add(sysctlFact(k, v, name), line)
			}
		}
	case "grubby":
		// grubby --update-kernel=ALL --args="…": the kernel's boot parameters.
		for i, a := range rest {
			v, ok := strings.CutPrefix(a, "--args=")
			if !ok && a == "--args" && i+1 < len(rest) {
				v, ok = rest[i+1], true
			}
			if ok {
				d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassCmdline, Via: name, FactParams: &inventory.FactParams{Command: "grubby --args", Value: v}}, line)
			}
		}
	case "modprobe", "insmod":
		if p := positional(rest); len(p) > 0 && !contains(rest, "-r") {
			d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Via: name, Name: path.Base(p[0])}, line)
		}
	case "dkms":
		// DKMS builds a kernel module out of the kernel's tree and loads it into the host's
		// kernel: a node-level module, whatever the module is.
		if len(rest) > 0 && (rest[0] == "install" || rest[0] == "autoinstall") {
			f := inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Via: name}
			for i, a := range rest[1:] {
				if a == "-m" && i+2 < len(rest) {
					f.Name = rest[i+2]
				}
			}
			if p := positional(rest[1:], "-m", "-v", "-k", "--kernelsourcedir"); f.Name == "" && len(p) > 0 {
				f.Name = path.Base(p[0])
			}
			d.add(f, line)
		}
	case "crontab":
		if !(len(rest) == 1 && (rest[0] == "-l" || rest[0] == "-r")) && len(rest) > 0 && !contains(rest, "-l") {
			d.add(crontabFact(rest), line)
		}
	case "docker", "podman", "nerdctl", "docker-compose":
		r.docker(name, rest, line)
	case "aws":
		r.aws(rest, words[1:], line)
	case "vault":
		if len(rest) > 1 && (rest[0] == "read" || (rest[0] == "kv" && rest[1] == "get")) {
			f := inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaVault}
			if p := positional(rest[1:], "-field", "-format", "-mount"); len(p) > 0 {
				f.Name = p[len(p)-1]
			}
			d.add(f, line)
		}
	case "consul":
		if len(rest) > 2 && rest[0] == "kv" && rest[1] == "get" {
			d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaConsul, Name: rest[2]}, line)
		}
	case "chamber":
		if len(rest) > 1 && (rest[0] == "exec" || rest[0] == "export" || rest[0] == "read" || rest[0] == "env") {
			d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaChamber, Name: rest[1]}, line)
		}
	case "curl", "wget":
		r.download(args, words, line)
	case "git":
		if len(rest) > 0 && rest[0] == "clone" {
			p := positional(rest[1:], "-b", "--branch", "--depth", "-c", "--config", "-o", "--origin")
			u := ""
			if len(p) > 0 {
				u = p[0]
			}
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassGitClone, Via: name, FactParams: &inventory.FactParams{Address: hostOf(u)}}, line)
			switch {
			case len(p) > 1:
				r.fetch(p[1], u, "git clone", true)
			case u != "":
				r.fetch(strings.TrimSuffix(path.Base(u), ".git"), u, "git clone", true)
			}
		}
	case "make":
		if p := positional(rest, "-C", "-f", "-j"); !contains(rest, "-v") && !contains(rest, "--version") && !(len(p) > 0 && (p[0] == "help" || p[0] == "clean")) {
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassCompile, Via: name, FactParams: &inventory.FactParams{Command: name}}, line)
		}
	case "configure", "cmake", "gcc", "g++", "cc", "clang", "mvn", "gradle", "gradlew", "cargo", "go", "scons", "ninja":
		switch {
		case name == "go" && !(len(rest) > 0 && (rest[0] == "build" || rest[0] == "install")):
		case name == "cargo" && !(len(rest) > 0 && (rest[0] == "build" || rest[0] == "install")):
		case (name == "mvn" || name == "gradle" || name == "gradlew") && len(rest) == 0:
		case contains(rest, "--version") || contains(rest, "-v"):
		default:
			d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassCompile, Via: name, FactParams: &inventory.FactParams{Command: name}}, line)
		}
	case "ansible-pull", "ansible-playbook":
		d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: name}, line)
		p := positional(rest, "-i", "--inventory", "-U", "--url", "-C", "--checkout", "-d", "--directory", "-e", "--extra-vars", "-l", "--limit", "-t", "--tags", "--skip-tags", "-u", "--user", "--vault-password-file", "--private-key", "-c", "--connection", "-f", "--forks", "-m", "--module-name", "--accept-host-key", "--sleep")
		for _, pb := range p {
			if strings.HasSuffix(pb, ".yml") || strings.HasSuffix(pb, ".yaml") || name == "ansible-playbook" {
				d.ref(pb, "userdata-playbook", refSuffix, inventory.ScriptAnsiblePlay, line)
			}
		}
		for i, a := range rest {
			if (a == "-U" || a == "--url") && i+1 < len(rest) {
				d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Via: inventory.ViaPullURL, Name: name, FactParams: &inventory.FactParams{Address: hostOf(rest[i+1])}}, line)
			}
		}
	case "chef-client", "chef-solo", "cinc-client", "salt-call", "cfn-init", "knife":
		// Local mode applies what is on the host, not what a server hands out.
		switch {
		case (name == "chef-client" || name == "cinc-client") && (contains(rest, "-z") || contains(rest, "--local-mode")):
			name = "chef-zero"
		case name == "salt-call" && contains(rest, "--local"):
			name = "salt-masterless"
		}
		d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: name}, line)
		if name == "salt-masterless" {
			// state.apply NAME[,NAME] applies those states; state.apply alone, or
			// state.highstate, what the top file names.
			for i, a := range rest {
				if a != "state.apply" && a != "state.sls" && a != "state.highstate" {
					continue
				}
				var named []string
				if i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "-") && !strings.Contains(rest[i+1], "=") && a != "state.highstate" {
					named = strings.Split(rest[i+1], ",")
				}
				for _, st := range named {
					d.saltState(st, line, "salt-call "+a)
				}
				if len(named) == 0 {
					d.saltState("top", line, "salt-call "+a)
				}
				break
			}
		}
		if name == "chef-solo" || name == "chef-zero" {
			// The run list it applies: given on the command line, or in the node's JSON.
			for i, a := range rest {
				if i+1 >= len(rest) {
					break
				}
				switch a {
				case "-o", "--override-runlist", "-r", "--runlist":
					d.chefRunList(rest[i+1], line, name+" "+a)
				case "-j", "--json-attributes":
					d.ref(rest[i+1], name+" "+a, refSuffix, inventory.ScriptChefRunList, line)
				}
			}
		}
		if name == "cfn-init" {
			// User data rendered from a template runs the template's own
			// AWS::CloudFormation::Init: what cfn-init does there is this host's work.
			if file, _, _ := d.place(d.file, line, ""); file != d.file {
				d.ref(file, "cfn-init", refSuffix, inventory.ScriptCloudFormation, line)
			}
		}
	case "puppet":
		if len(rest) > 0 && (rest[0] == "agent" || rest[0] == "apply") {
			d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: name, FactParams: &inventory.FactParams{Command: name + " " + rest[0]}}, line)
		}
		if len(rest) > 0 && rest[0] == "apply" {
			// The manifest it applies, by its path on the host; -e's code is not followed.
			for _, m := range positional(rest[1:], "--modulepath", "--hiera_config", "--environment", "--logdest", "-l", "--execute", "-e", "--catalog") {
				if strings.HasSuffix(m, ".pp") {
					n := len(d.res.refs)
					d.ref(m, "puppet apply", refSuffix, inventory.ScriptPuppetManifest, line)
					if len(d.res.refs) > n {
						d.res.refs[n].wanted = true
					}
				}
			}
		}
	case "iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "iptables-restore":
		if !contains(rest, "-L") && !contains(rest, "-S") && !contains(rest, "status") && !contains(rest, "--list-all") && !contains(rest, "--state") {
			f := inventory.Fact{Kind: inventory.FactFirewall, Name: name}
			if table, target := natRule(rest); table == "nat" && (name == "iptables" || name == "ip6tables") {
				f.SetParams(func(p *inventory.FactParams) { p.Key, p.Value = table, target }) // address translation: what a NAT instance does
			}
			d.add(f, line)
		}
	case "useradd", "adduser":
		// A system account, or one without a login shell, runs a daemon; it is not a
		// person's login.
		system := contains(rest, "-r") || contains(rest, "--system")
		for i, a := range rest {
			if (a == "-s" || a == "--shell") && i+1 < len(rest) && (strings.HasSuffix(rest[i+1], "nologin") || strings.HasSuffix(rest[i+1], "/false")) {
				system = true
			}
		}
		if p := positional(rest, "-m", "-d", "-s", "-g", "-G", "-u", "-c", "-k", "-e", "-p", "--home", "--shell", "--uid", "--gid", "--groups", "--comment", "--gecos", "--ingroup"); len(p) > 0 && !system {
			d.add(inventory.Fact{Kind: inventory.FactLocalUser, Via: name, Name: p[len(p)-1]}, line)
		}
		if groupsHaveDocker(rest) {
			d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaDockerGroup}, line)
		}
	case "usermod", "gpasswd":
		if groupsHaveDocker(rest) || (name == "gpasswd" && contains(rest, "docker")) {
			d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaDockerGroup}, line)
		}
	case "tee":
		// the content comes from the pipe; see pipe.
	case "cp", "install", "mv", "ln", "rsync":
		if p := positional(rest, "-m", "-o", "-g", "-t", "--mode", "--owner", "--group", "-e"); len(p) >= 2 {
			r.d.write(fileWrite{target: p[len(p)-1], line: line})
		}
	case "sed":
		if contains(rest, "-i") || hasPrefixArg(rest, "-i") {
			p := positional(rest, "-e", "-f")
			if len(p) >= 2 {
				r.d.write(fileWrite{target: p[len(p)-1], line: line})
			}
		}
	case "systemd-run":
		for _, a := range rest {
			if strings.HasPrefix(a, "--on-calendar") {
				d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaSystemdRun, FactParams: &inventory.FactParams{Schedule: onCalendar(rest)}}, line)
			}
		}
	case "at":
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaAt}, line)
	case "nvidia-smi", "nvidia-ctk":
		d.add(inventory.Fact{Kind: inventory.FactGPU, Name: name}, line)
	case "spark-submit", "airflow", "celery":
		d.add(inventory.Fact{Kind: inventory.FactBatchML, Name: strings.TrimSuffix(name, "-submit"), FactParams: &inventory.FactParams{Command: name}}, line)
	case "amazon-cloudwatch-agent-ctl":
		d.add(inventory.Fact{Kind: inventory.FactObservability, Name: "cloudwatch agent", FactParams: &inventory.FactParams{Command: name}}, line)
		for _, a := range rest {
			if p, ok := strings.CutPrefix(a, "ssm:"); ok {
				d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM, Name: p}, line) // -c ssm:/agent/config
			}
		}
	default:
		if rePackageWrapper.MatchString(name) {
			// A script's own wrapper around the package manager (pkg_install docker):
			// its arguments are packages.
			for _, a := range positional(rest) {
				d.packageFact(a, ctxSystem, name, line)
			}
			return
		}
		if strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash") {
			r.refRun(args[0], "runs-script", inventory.ScriptShell, line)
		}
		if f, ok := launchedServer(name); ok {
			f.Via = name
			f.SetParams(func(p *inventory.FactParams) { p.Command = name })
			d.add(f, line)
			return
		}
		if f, ok := classifyName(name, ctxService); ok && f.Kind != inventory.FactDatabase && f.Kind != inventory.FactWebServer {
			f.Via = name
			d.add(f, line)
		} else if f, ok := classifyKeyword(name); ok {
			f.Via = name
			d.add(f, line)
		}
	}
}

// launchedServer reads a launcher named for the data store it starts, as module authors
// name them (run-influxdb, run-kafka, start-elasticsearch): the server runs on this host.
// A program named for a database alone (mysql, redis-cli) may be its client and is not
// read here.
func launchedServer(name string) (inventory.Fact, bool) {
	for _, p := range []string{"run-", "start-"} {
		if rest, ok := strings.CutPrefix(name, p); ok && !strings.Contains(rest, ".") {
			if f, ok := classifyName(rest, ctxService); ok && f.Kind == inventory.FactDatabase {
				return f, true
			}
		}
	}
	return inventory.Fact{}, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasPrefixArg(list []string, p string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, p) {
			return true
		}
	}
	return false
}

func groupsHaveDocker(args []string) bool {
	for i, a := range args {
		if (a == "-G" || a == "-aG" || a == "--groups" || a == "-a" && i+2 < len(args) && args[i+1] == "-G") && i+1 < len(args) {
			for _, g := range strings.Split(args[i+1], ",") {
				if g == "docker" {
					return true
				}
			}
		}
		if strings.HasPrefix(a, "-aG") && i+1 < len(args) && args[i+1] == "docker" {
			return true
		}
	}
	return false
}

// packages records a package manager's install (each package) or upgrade. A package list
// taken from an earlier literal assignment ($PKGS) gets its evidence where it is written.
func (r *shellReader) packages(via string, rest, install, upgrade []string, ctx string, words []*syntax.Word, line int) {
	sub := -1
	for i, a := range rest {
		if !strings.HasPrefix(a, "-") {
			sub = i
			break
		}
	}
	if sub < 0 {
		return
	}
	verb := rest[sub]
	isInstall, isUpgrade := contains(install, verb), contains(upgrade, verb)
	if !isInstall && !isUpgrade {
		return
	}
	type pkg struct {
		name string
		line int
	}
	var pkgs []pkg
	skip := false
	for i := sub + 1; i < len(rest) && i < len(words); i++ {
		r.skipIPs(words[i])
		a := rest[i]
		switch {
		case skip:
			skip = false
		case a == "-r" || a == "--requirement" || a == "-c" || a == "--constraint" || a == "-t" || a == "--target" || a == "--index-url" || a == "-i" || a == "--extra-index-url" || a == "--enablerepo" || a == "--disablerepo" || a == "-o" || a == "--exclude" || a == "-x" || a == "--channel" || a == "--source" || a == "--version":
			skip = true
		case strings.HasPrefix(a, "-"):
		default:
			if name := onlyParam(words[i]); name != "" {
				if v, ok := r.vars[name]; ok && v.exact {
					for _, w := range v.words {
						pkgs = append(pkgs, pkg{w, v.line})
					}
				}
				continue
			}
			pkgs = append(pkgs, pkg{a, line})
		}
	}
	if isUpgrade && len(pkgs) == 0 {
		// "yum update" with no names upgrades the whole system.
		r.d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Via: via}, line)
		return
	}
	for _, p := range pkgs {
		r.d.packageFact(p.name, ctx, via, p.line)
		r.fetchedPackage(via, p.name, p.line)
	}
}

// fetchedPackage records a package installed from a URL (rpm -i https://…, yum install
// https://…/x.rpm): a download at boot, whatever the package is.
func (r *shellReader) fetchedPackage(via, pkg string, line int) {
	if !strings.Contains(pkg, "://") {
		return
	}
	r.d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: via, Name: path.Base(cutQuery(pkg)), FactParams: &inventory.FactParams{Address: hostOf(pkg)}}, line)
}

func (r *shellReader) systemctl(rest []string, line int) {
	p := positional(rest, "-H", "--host", "-M", "--machine", "-t", "--type", "--state", "-p", "--property")
	if len(p) < 2 {
		return
	}
	switch p[0] {
	case "enable", "start", "restart", "reenable", "reload-or-restart", "try-restart":
		for _, u := range p[1:] {
			r.d.serviceFact(u, "systemctl", line)
		}
	}
}

func (r *shellReader) mount(rest []string, line int) {
	typ, opts := "", ""
	for i := 0; i < len(rest); i++ {
		switch a := rest[i]; {
		case a == "-t" && i+1 < len(rest):
			typ = rest[i+1]
			i++
		case a == "-o" && i+1 < len(rest):
			opts = rest[i+1]
			i++
		case strings.HasPrefix(a, "--types="):
			typ = strings.TrimPrefix(a, "--types=")
		}
	}
	p := positional(rest, "-t", "-o", "-L", "-U", "-O", "--source", "--target")
	if contains(rest, "-a") || contains(rest, "--all") || len(p) < 2 {
		return
	}
	r.d.mountFact(p[0], p[1], typ, opts, "mount", line)
}

// mountFact records a mount, made through via (mount, fstab, an Ansible module…): network
// file systems, S3 through FUSE, or a block device.
func (d *doc) mountFact(dev, mp, typ, opts, via string, line int) {
	t := strings.ToLower(typ)
	ld := strings.ToLower(dev)
	m := inventory.Mount{Source: dev, Target: mp, FSType: t}
	t = strings.TrimPrefix(t, "fuse.")
	m.FSType = t
	switch {
	case t == "nfs" || t == "nfs4" || t == "efs" || strings.Contains(ld, ".efs.") || strings.HasPrefix(ld, "fs-") && strings.Contains(ld, ":"),
		t == "" && remoteSource(dev):
		if t == "" {
			m.FSType = "nfs" // host:/export with no type is mounted as NFS
		}
		d.addMount(inventory.Fact{Kind: inventory.FactNFSMount, Via: via}, m, line)
	case t == "cifs" || t == "smb3" || t == "smbfs" || t == "glusterfs" || t == "lustre" || t == "cephfs" || t == "ceph" || t == "9p",
		t == "" && strings.HasPrefix(dev, "//"):
		if t == "" {
			m.FSType = "cifs"
		}
		d.addMount(inventory.Fact{Kind: inventory.FactNFSMount, Via: via}, m, line)
	case strings.Contains(t, "s3fs") || strings.Contains(t, "goofys") || strings.Contains(t, "mountpoint-s3") || strings.HasPrefix(ld, "s3fs#") || strings.Contains(t, "rclone"):
		m.Source = strings.TrimPrefix(dev, "s3fs#")
		d.addMount(inventory.Fact{Kind: inventory.FactS3Mount, Via: via}, m, line)
	case t == "tmpfs" || t == "proc" || t == "sysfs" || t == "swap" || t == "none" || t == "devpts" || strings.Contains(opts, "bind") || mp == "/" || mp == "none" || mp == "swap" || strings.HasPrefix(mp, "/boot"):
	case strings.HasPrefix(dev, "/dev/") || strings.HasPrefix(dev, "UUID=") || strings.HasPrefix(dev, "LABEL=") || strings.HasPrefix(dev, "PARTUUID="):
		d.addMount(inventory.Fact{Kind: inventory.FactDataVolume, Via: via}, m, line)
	}
}

// rePackageWrapper is a function or helper scripts name for installing OS packages.
var rePackageWrapper = regexp.MustCompile(`(?i)^(?:(?:pkg|pkgs|package|packages|os|sys|apt|yum|dnf|apk|zypper)[-_]?install(?:[-_]?(?:pkg|pkgs|package|packages))?|install[-_](?:pkg|pkgs|package|packages|os[-_]packages))$`)

// remoteSource reports a mount source on another host: host:/export.
func remoteSource(dev string) bool {
	i := strings.Index(dev, ":/")
	return i > 0 && !strings.HasPrefix(dev, "/") && !strings.ContainsAny(dev[:i], "=#@") && !strings.Contains(dev, "://")
}

// pipeToShell is a script fetched by fetcher (curl, wget) from url and run straight away
// by interpreter.
func pipeToShell(fetcher, interpreter, url string) inventory.Fact {
	return inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, Via: fetcher, FactParams: &inventory.FactParams{Command: interpreter, Address: hostOf(url)}}
}

// cronEntry splits a crontab line into its schedule (five fields, or an @keyword) and its
// command; a line that does not start with a schedule is all command.
func cronEntry(line string) (schedule, command string) {
	f := strings.Fields(line)
	switch {
	case len(f) > 1 && strings.HasPrefix(f[0], "@"):
		return f[0], strings.Join(f[1:], " ")
	case len(f) > 5 && cronFields(f[:5]):
		return strings.Join(f[:5], " "), strings.Join(f[5:], " ")
	}
	return "", strings.Join(f, " ")
}

// cronFields reports whether every field is a cron time field: digits, *, and , - /.
func cronFields(fs []string) bool {
	for _, f := range fs {
		for i := 0; i < len(f); i++ {
			if c := f[i]; !isDigit(c) && !strings.ContainsRune("*,-/", rune(c)) {
				return false
			}
		}
	}
	return true
}

// crontabFact is a crontab installed with the crontab command: whose (-u), from which
// file ("-" for standard input).
func crontabFact(args []string) inventory.Fact {
	f := inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-u" && i+1 < len(args):
			f.Name = args[i+1]
			i++
		case a == "-" || !strings.HasPrefix(a, "-"):
			f.SetParams(func(p *inventory.FactParams) { p.Path = a })
		}
	}
	return f
}

// onCalendar is the schedule systemd-run --on-calendar is given.
func onCalendar(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--on-calendar="); ok {
			return v
		}
		if a == "--on-calendar" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func (r *shellReader) docker(name string, rest []string, line int) {
	if len(rest) == 0 {
		return
	}
	sub := rest[0]
	args := rest[1:] // what follows the subcommand
	if c := rest; name == "docker-compose" || sub == "compose" && len(rest) > 1 {
		// Compose's own options come before its subcommand: docker compose -f x.yml up.
		if name == "docker" {
			c = rest[1:]
		}
		i := 0
		for i < len(c) && strings.HasPrefix(c[i], "-") {
			if composeValueFlags[c[i]] {
				i++
			}
			i++
		}
		sub, args = "compose", nil
		if i < len(c) {
			sub, args = "compose "+c[i], c[i+1:]
		}
	}
	switch {
	case sub == "run" || sub == "create":
		p := positional(rest[1:], "-e", "--env", "-p", "--publish", "-v", "--volume", "--name", "-l", "--label",
			"--network", "--net", "--restart", "--log-driver", "--log-opt", "--mount", "-w", "--workdir", "-u", "--user",
			"--entrypoint", "--env-file", "-h", "--hostname", "--memory", "-m", "--cpus", "--ulimit", "--device",
			"--cap-add", "--cap-drop", "--add-host", "--dns", "--gpus", "--runtime", "--pid", "--ipc", "--shm-size", "--security-opt", "--platform", "--pull")
		f := inventory.Fact{Kind: inventory.FactDocker, Via: name, FactParams: &inventory.FactParams{Command: name + " " + sub}}
		if len(p) > 0 {
			f.FactParams.Image = p[0]
			r.d.containerIs(p[0], line)
		}
		r.d.add(f, line)
		for i, a := range rest {
			switch {
			case (a == "-e" || a == "--env") && i+1 < len(rest):
				k, _, _ := strings.Cut(rest[i+1], "=")
				r.d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: name, Name: k}, line)
			case a == "--env-file" && i+1 < len(rest):
				r.d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaEnvFile, FactParams: &inventory.FactParams{Path: rest[i+1]}}, line)
			case a == "--gpus" || a == "--runtime=nvidia" || (a == "--runtime" && i+1 < len(rest) && rest[i+1] == "nvidia"):
				r.d.add(inventory.Fact{Kind: inventory.FactGPU, Via: inventory.ViaContainer, FactParams: &inventory.FactParams{Command: name + " " + sub}}, line)
			}
		}
	case sub == "pull" || sub == "build" || sub == "login" || sub == "load" || sub == "start" || sub == "swarm" || sub == "service" || sub == "stack" || strings.HasPrefix(sub, "compose"),
		// The daemon queried or its containers managed: Docker is there and in use.
		sub == "version" || sub == "info" || sub == "ps" || sub == "exec" || sub == "images" || sub == "inspect" || sub == "network" || sub == "volume" || sub == "system":
		p := positional(args, "-f", "--file", "-t", "--tag", "-u", "--username", "--password-stdin", "-p", "--project-name")
		if strings.HasPrefix(sub, "compose") {
			// The Compose files it runs: their services are the containers the host runs.
			for i, a := range rest {
				if (a == "-f" || a == "--file") && i+1 < len(rest) {
					r.d.ref(rest[i+1], "compose-file", refSuffix, inventory.ScriptCompose, line)
				} else if v, ok := strings.CutPrefix(a, "--file="); ok {
					r.d.ref(v, "compose-file", refSuffix, inventory.ScriptCompose, line)
				}
			}
		}
		cmd := name + " " + sub
		if name == "docker-compose" {
			cmd = "docker-compose " + strings.TrimPrefix(sub, "compose ") // not docker-compose compose up
		}
		f := inventory.Fact{Kind: inventory.FactDocker, Via: name, FactParams: &inventory.FactParams{Command: cmd}}
		switch {
		case len(p) == 0 || sub == "login":
		case sub == "pull" || sub == "load":
			f.FactParams.Image = p[0]
		default:
			f.Name = p[0]
		}
		r.d.add(f, line)
	}
}

// composeValueFlags are the options of docker compose, before its subcommand, that take a
// value.
var composeValueFlags = map[string]bool{"-f": true, "--file": true, "-p": true, "--project-name": true,
	"--project-directory": true, "--env-file": true, "--profile": true, "--ansi": true, "--progress": true, "--parallel": true}

func (r *shellReader) aws(rest []string, words []*syntax.Word, line int) {
	p := positional(rest, "--region", "--profile", "--output", "--query", "--endpoint-url", "--name", "--names", "--path", "--secret-id", "--with-decryption", "--version-stage", "--instance-id", "--volume-id", "--device")
	if len(p) < 2 {
		return
	}
	svc, op := p[0], p[1]
	arg := func(flag string) string {
		for i, a := range rest {
			if a == flag && i+1 < len(rest) {
				return rest[i+1]
			}
			if strings.HasPrefix(a, flag+"=") {
				return strings.TrimPrefix(a, flag+"=")
			}
		}
		return ""
	}
	switch {
	case svc == "ssm" && strings.HasPrefix(op, "get-parameter"):
		name := arg("--name")
		if name == "" {
			name = arg("--path")
		}
		if name == "" {
			name = arg("--names")
		}
		r.d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM, Name: name}, line)
	case svc == "secretsmanager" && op == "get-secret-value":
		r.d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSecretsManager, Name: arg("--secret-id")}, line)
	case svc == "s3" && (op == "cp" || op == "sync"):
		if len(p) >= 3 && strings.HasPrefix(p[2], "s3://") {
			if len(p) >= 4 {
				r.fetch(p[3], p[2], "aws s3", op == "sync" || contains(rest, "--recursive"))
				if op == "cp" && path.Base(p[3]) != path.Base(p[2]) {
					r.fetch(path.Join(p[3], path.Base(p[2])), p[2], "aws s3", false) // cp into a folder
				}
			}
			if op == "sync" || isArchive(p[2]) {
				r.d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: "aws s3", Name: p[2]}, line)
			}
			if f, ok := classifyKeyword(p[2]); ok && f.Kind != inventory.FactS3Mount {
				f.Via = "aws s3"
				r.d.add(f, line)
			}
		}
	case svc == "ec2" && (op == "attach-volume" || op == "create-volume"):
		r.d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaAWS, FactParams: &inventory.FactParams{Command: "aws ec2 " + op}}, line)
	case svc == "efs":
		r.d.add(inventory.Fact{Kind: inventory.FactNFSMount, Via: inventory.ViaAWS, FactParams: &inventory.FactParams{Command: "aws efs " + op}}, line)
	}
}

func (r *shellReader) download(args []string, words []*syntax.Word, line int) {
	u := firstURL(args)
	if u == "" {
		return
	}
	if f, ok := classifyKeyword(u); ok {
		f.Via = path.Base(args[0])
		r.d.add(f, line)
	}
	base := path.Base(strings.SplitN(u, "?", 2)[0])
	if out := outputFile(args); out != "" && !isArchive(u) {
		base = path.Base(out) // curl URL/gpg -o docker.asc saves a key
	}
	switch out := outputFile(args); {
	case out != "":
		r.fetch(out, u, path.Base(args[0]), false)
	case path.Base(args[0]) == "wget" || contains(args, "-O") || contains(args, "--remote-name"):
		r.fetch(path.Base(strings.SplitN(u, "?", 2)[0]), u, path.Base(args[0]), false)
	}
	if isArchive(u) || savesToFile(args) && isProgram(base) && !localHost(u) {
		r.d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: path.Base(args[0]), Name: base, FactParams: &inventory.FactParams{Address: hostOf(u)}}, line)
	}
	if isArchive(u) {
		r.d.archiveFact(u, path.Base(args[0]), line)
	}
}

// configMgmtWords are the configuration management tools a variable holding a command
// may be named for.
var configMgmtWords = []string{"puppet", "chef", "salt", "ansible"}

// toolVariable names the configuration management tool a command word that is only a
// variable (${puppet_cmd}, $CHEF_RUN) is named for, or "".
func toolVariable(arg string) string {
	if !strings.HasPrefix(arg, "${") || !strings.HasSuffix(arg, "}") || strings.Count(arg, "$") != 1 {
		return ""
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(arg[2:len(arg)-1]), func(r rune) bool { return r == '_' || r == '-' }) {
		for _, t := range configMgmtWords {
			if w == t {
				return t
			}
		}
	}
	return ""
}

// archiveFact records what a release archive installs, by the name it is released under:
// opensearch-2.2.1-linux-x64.tar.gz is OpenSearch, kafka_2.13-3.5.0.tgz is Kafka. Only a
// name the vocabulary knows as a server, an agent or a tool it names is recorded.
func (d *doc) archiveFact(u, via string, line int) {
	name := strings.ToLower(path.Base(cutQuery(u)))
	for _, e := range archiveExts {
		name = strings.TrimSuffix(name, e)
	}
	// The name ends where the version, a placeholder for it or the platform begins:
	// NVIDIA-Linux-x86_64-${V}.run is NVIDIA's, cuda-keyring_1.1-1_all.deb is cuda-keyring.
	for i := 1; i < len(name); i++ {
		if c := name[i-1]; c == '-' || c == '_' || c == '.' {
			if rest := name[i:]; isDigit(rest[0]) || rest[0] == '$' || rest[0] == '{' || platformWord(rest) {
				name = name[:i-1]
				break
			}
		}
	}
	if name == "" {
		return
	}
	if f, ok := classifyName(name, ctxSystem); ok && f.Kind != inventory.FactPackage {
		f.Via = via
		d.add(f, line)
	}
}

// platformWords name the platform a release is built for, in archive names.
var platformWords = []string{"linux", "windows", "win64", "win32", "darwin", "macos", "x86", "x64", "amd64", "arm64", "aarch64", "i386", "i686", "noarch", "all"}

// platformWord reports a name part that begins with a platform word, whole.
func platformWord(rest string) bool {
	for _, w := range platformWords {
		if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isLetter(rest[len(w)])) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// savesToFile reports a curl or wget that writes what it fetches to a file (curl -o/-O,
// wget without -O -), as opposed to reading it into a pipe or a variable.
func savesToFile(args []string) bool {
	if len(args) == 0 || contains(args, "/dev/null") {
		return false // a probe: curl -s -o /dev/null -w '%{http_code}'
	}
	if path.Base(args[0]) == "wget" {
		for i, a := range args {
			if a == "-O-" || a == "-qO-" || (a == "-O" || a == "-qO" || a == "--output-document") && i+1 < len(args) && args[i+1] == "-" {
				return false
			}
		}
		return true
	}
	for _, a := range args[1:] {
		if a == "--output" || a == "--remote-name" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsAny(a, "oO") {
			return true
		}
	}
	return false
}

// outputFile is the file curl -o or wget -O writes, when named.
func outputFile(args []string) string {
	for i := 1; i+1 < len(args); i++ {
		a := args[i]
		if a == "--output" || a == "--output-document" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && (strings.HasSuffix(a, "o") || path.Base(args[0]) == "wget" && strings.HasSuffix(a, "O")) {
			return args[i+1]
		}
	}
	return ""
}

// isProgram is a downloaded file name that is run or installed rather than read as
// configuration: a script, an installer, a package, a binary without an extension.
func isProgram(base string) bool {
	switch ext := strings.ToLower(path.Ext(base)); ext {
	case ".sh", ".run", ".bin", ".rpm", ".deb", ".jar", ".war", ".msi", ".exe", ".py", ".pl", "":
		return base != "" && base != "/" && base != "."
	}
	return false
}

func localHost(u string) bool {
	h := hostOf(u)
	return strings.Contains(h, "169.254.") || strings.Contains(h, "localhost") || strings.Contains(h, "127.0.0.1") || strings.Contains(h, "fd00:ec2")
}
