//go:build linux

package hostile_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// gapWant says whether a bad file must be reported as one that could not be read.
type gapWant int

const (
	gapNo     gapWant = iota // read, or skipped as not a script: nothing to report
	gapYes                   // reported by name, and the run is partial where the README says so
	gapEither                // either is honest (a file the readers may yet learn to read)
	gapNote                  // reported by name, but nothing that exists was missed: not partial
	gapDecode                // read (what it defines is in the output) or reported: never dropped silently
)

// variant is one bad thing put into a folder whyk8s is given, beside a good input.
type variant struct {
	name   string
	make   func(e *caseEnv)
	gap    gapWant
	says   []string // with a gap: the file's name and the problem
	raw    []string // must not reach the terminal, Markdown or CSV unescaped
	asRoot string
}

// scriptVariants go into a folder of provisioning scripts.
var scriptVariants = []variant{
	// Nesting: recursion in the parsers.
	{name: "deep-shell-subst-200k", gap: gapYes, says: []string{"deep.sh"},
		make: func(e *caseEnv) { e.write("deep.sh", "#!/bin/bash\necho "+nest("$(", "true", ")", 200000)+"\n") }},
	{name: "deep-shell-subst-20k", gap: gapEither, says: []string{"deep.sh"},
		make: func(e *caseEnv) { e.write("deep.sh", "#!/bin/bash\necho "+nest("$(", "true", ")", 20000)+"\n") }},
	{name: "deep-shell-groups-200k", gap: gapYes, says: []string{"groups.sh"},
		make: func(e *caseEnv) { e.write("groups.sh", "#!/bin/bash\n"+nest("{ ", "true", "; }", 200000)+"\n") }},
	{name: "deep-shell-arith-100k", gap: gapYes, says: []string{"arith.sh"},
		make: func(e *caseEnv) { e.write("arith.sh", "#!/bin/bash\necho $(("+nest("(", "1", ")", 100000)+"))\n") }},
	{name: "deep-shell-if-50k", gap: gapEither, says: []string{"ifs.sh"},
		make: func(e *caseEnv) {
			e.write("ifs.sh", "#!/bin/bash\n"+nest("if true; then ", "true", "; fi", 50000)+"\n")
		}},
	// YAML's "\0" decodes to a NUL byte, which the shell parser reads past ("$\0{" is an
	// expansion): this peaked at 615 MB. A command holding one is reported, not parsed.
	{name: "deep-shell-nul-split-200k", gap: gapYes, says: []string{"user-data.yaml"},
		make: func(e *caseEnv) {
			e.write("user-data.yaml", "#cloud-config\nruncmd:\n  - \"echo "+nest(`$\0{x:-`, "", "}", 200000)+"\"\n")
		}},
	// A template fragment without #! is parsed to tell whether it is shell; that parse was
	// not guarded (786 MB and 83 s before).
	{name: "deep-shell-template-fragment-300k", gap: gapYes, says: []string{"boot.tpl"},
		make: func(e *caseEnv) {
			e.write("boot.tpl", "echo start\nmkdir -p /opt/app\nyum install -y httpd\necho "+nest("$(", "x", ")", 300000)+"\n")
		}},
	// A # right after $( … ) goes on with the word; the nesting scan took it for a comment
	// and skipped the line (602 MB and 21 s before).
	{name: "deep-shell-after-hash-200k", gap: gapYes, says: []string{"hash.sh"},
		make: func(e *caseEnv) { e.write("hash.sh", "#!/bin/bash\necho $()#"+nest("$(", "x", ")", 200000)+"\n") }},
	// A comment in backquotes ends at the backquote; the nesting scan skipped the rest of
	// the line (602 MB and 27 s before).
	{name: "deep-shell-after-backquoted-comment-200k", gap: gapYes, says: []string{"bq.sh"},
		make: func(e *caseEnv) { e.write("bq.sh", "#!/bin/bash\necho ` #` "+nest("$(", "x", ")", 200000)+"\n") }},
	// A backslash left before a backquote escapes nothing in a comment: ` #\\` ends there,
	// where the nesting scan read an escaped backquote and skipped the rest of the line
	// (26 s, 610 MB and a time-budget gap before; a nesting gap in 0.02 s now).
	{name: "deep-shell-after-backquoted-comment-ending-in-backslash-200k", gap: gapYes, says: []string{"bqbs.sh"},
		make: func(e *caseEnv) { e.write("bqbs.sh", "#!/bin/bash\necho ` #\\\\` "+nest("$(", "x", ")", 200000)+"\n") }},
	// In backquotes \\ is one backslash, so \\& escapes the & and the # after it is a
	// letter; the nesting scan took it for a comment to the closing backquote (8.8 s and
	// 612 MB, read without a gap, before).
	{name: "deep-shell-after-escaped-byte-in-backquotes-200k", gap: gapYes, says: []string{"bqesc.sh"},
		make: func(e *caseEnv) { e.write("bqesc.sh", "#!/bin/bash\necho `\\\\&#"+nest("$(", "x", ")", 200000)+"`\n") }},
	// \\` in backquotes is an escaped backquote, a letter: the # after it is one too (5.0 s
	// and 618 MB, read without a gap, before).
	{name: "deep-shell-after-escaped-backquote-in-backquotes-200k", gap: gapYes, says: []string{"bqbq.sh"},
		make: func(e *caseEnv) { e.write("bqbq.sh", "#!/bin/bash\necho `\\\\`#"+nest("$(", "x", ")", 200000)+"`\n") }},
	// An extended glob is text to its ): a quote in it made the nesting scan skip the rest
	// of the file (602 MB and 23 s before).
	{name: "deep-shell-after-extglob-quote-200k", gap: gapYes, says: []string{"glob.sh"},
		make: func(e *caseEnv) { e.write("glob.sh", "#!/bin/bash\nls !(')"+nest("$(", "x", ")", 200000)+"\n") }},
	// ${ cmd; } is commands in braces (bash 5.3); the nesting scan took it for a parameter
	// expansion and missed the groups inside (690 MB before, and no gap).
	{name: "deep-shell-brace-substitution-200k", gap: gapYes, says: []string{"funsub.sh"},
		make: func(e *caseEnv) { e.write("funsub.sh", "#!/bin/bash\nx=${ "+nest("{ ", "true; ", "}; ", 200000)+"}\n") }},
	// In backquotes inside double quotes \" is a quote: the nesting scan skipped it as an
	// escaped byte and read the ' after as a quote to skip to (605 MB and 16 s before).
	{name: "deep-shell-after-dquoted-backquote-200k", gap: gapYes, says: []string{"dq.sh"},
		make: func(e *caseEnv) {
			e.write("dq.sh", "#!/bin/bash\necho \"`\\\"'\"` "+nest("$(", "x", ")", 200000)+"\"\n")
		}},
	// time, coproc (with a name, quoted or not) and a function declaration each take a
	// statement, which the parser nests in theirs; the nesting scan counted none of them
	// (670, 700 and 590 MB and about 3 s each before, and no gap).
	{name: "deep-shell-time-200k", gap: gapYes, says: []string{"timed.sh"},
		make: func(e *caseEnv) { e.write("timed.sh", "#!/bin/bash\n"+strings.Repeat("time -p ", 200000)+"x\n") }},
	{name: "deep-shell-coproc-200k", gap: gapYes, says: []string{"coproc.sh"},
		make: func(e *caseEnv) { e.write("coproc.sh", "#!/bin/bash\n"+strings.Repeat("coproc \"a\" ", 200000)+"x\n") }},
	{name: "deep-shell-function-declarations-150k", gap: gapYes, says: []string{"funcs.sh"},
		make: func(e *caseEnv) { e.write("funcs.sh", "#!/bin/bash\n"+strings.Repeat("a() ", 150000)+"x\n") }},
	// A function's body may start lines below its name: the level must not end there.
	{name: "deep-shell-function-declarations-over-lines-150k", gap: gapYes, says: []string{"funcs.sh"},
		make: func(e *caseEnv) { e.write("funcs.sh", "#!/bin/bash\n"+strings.Repeat("a()\n", 150000)+"x\n") }},
	// A chain of left-associative arithmetic operators (1/1/1…, 1,1,1…) is built in a loop
	// but walked by recursion, as deep as it is long: in $(( )), an assignment's index and
	// let's words, a million of them overflowed the stack and killed the run (exit 2, a
	// runtime dump, 960 MB).
	{name: "deep-shell-arithmetic-chain-1m", gap: gapYes, says: []string{"arith.sh"},
		make: func(e *caseEnv) { e.write("arith.sh", "#!/bin/bash\necho $((1"+strings.Repeat("/1", 1000000)+"))\n") }},
	{name: "deep-shell-index-chain-1m", gap: gapYes, says: []string{"index.sh"},
		make: func(e *caseEnv) { e.write("index.sh", "#!/bin/bash\na[1"+strings.Repeat(",1", 1000000)+"]=x\n") }},
	{name: "deep-shell-let-chain-1m", gap: gapYes, says: []string{"let.sh"},
		make: func(e *caseEnv) { e.write("let.sh", "#!/bin/bash\nlet x=1"+strings.Repeat("&1", 1000000)+"\n") }},
	// ( … ) in a test was read as a subshell, where ! is no level: negations in a group
	// of a test went uncounted (400 MB and 1.8 s for 200,000 before, and no gap).
	{name: "deep-shell-test-group-negations-300k", gap: gapYes, says: []string{"test.sh"},
		make: func(e *caseEnv) { e.write("test.sh", "#!/bin/bash\n[[ ( "+strings.Repeat("! ", 300000)+"a ) ]]\n") }},
	// The & of a redirection (>&2) was read as a statement's end, which restarted the
	// count of a list's operators: the parser recurses on each && (764 MB before, no gap).
	{name: "deep-shell-and-list-with-redirections-200k", gap: gapYes, says: []string{"list.sh"},
		make: func(e *caseEnv) { e.write("list.sh", "#!/bin/bash\n"+strings.Repeat("a >&2 && ", 200000)+"x\n") }},
	// A list goes on past a newline after &&, || or |: the count of its operators restarted
	// at each line (740 MB and 4 s before, and no gap).
	{name: "deep-shell-list-over-lines-200k", gap: gapYes, says: []string{"lines.sh"},
		make: func(e *caseEnv) { e.write("lines.sh", "#!/bin/bash\n"+strings.Repeat("a &&\n", 200000)+"x\n") }},
	// for NAME do …: do may follow the loop's name directly, and the nesting scan did not
	// take it for a keyword there, nor what came after it (607 MB and 3 s before, no gap).
	{name: "deep-shell-for-name-do-150k", gap: gapYes, says: []string{"loops.sh"},
		make: func(e *caseEnv) {
			e.write("loops.sh", "#!/bin/bash\n"+strings.Repeat("for i do ", 150000)+"x"+strings.Repeat("; done", 150000)+"\n")
		}},
	// In let's parentheses blanks do not end the expression: & and < there are operators,
	// which the nesting scan took for a statement's end and a redirection (a stack
	// overflow, exit 2, before).
	{name: "deep-shell-let-group-chain-1m", gap: gapYes, says: []string{"letgroup.sh"},
		make: func(e *caseEnv) {
			e.write("letgroup.sh", "#!/bin/bash\nlet x=(1"+strings.Repeat(" & 1", 1000000)+")\n")
		}},
	// A substitution among let's words holds commands of its own, not let's arithmetic.
	{name: "deep-shell-let-substitution-groups-150k", gap: gapYes, says: []string{"letsub.sh"},
		make: func(e *caseEnv) {
			e.write("letsub.sh", "#!/bin/bash\nlet x=$( ( "+strings.Repeat("{ ", 150000)+"x; "+strings.Repeat("}; ", 150000)+") )\n")
		}},
	// In backquotes the parser drops a backslash before $, ` and \ first: \\' there is an
	// escaped quote, which the nesting scan took for a quote and skipped the file after it
	// (606 MB and 16 s before); \$ is an expansion, which it took for an escaped $ (617 MB).
	{name: "deep-shell-after-backquoted-backslash-200k", gap: gapYes, says: []string{"bq.sh"},
		make: func(e *caseEnv) {
			e.write("bq.sh", "#!/bin/bash\necho `\\\\'`\necho "+nest("$(", "x", ")", 200000)+"\n")
		}},
	{name: "deep-shell-backquoted-expansions-200k", gap: gapYes, says: []string{"bqexp.sh"},
		make: func(e *caseEnv) {
			e.write("bqexp.sh", "#!/bin/bash\necho `echo "+nest("\\${a:-", "x", "}", 200000)+"`\n")
		}},
	// In backquotes in double quotes \\" is an escaped quote to the parser: the nesting
	// scan took it for a quote and read the groups after it as text (595 MB before).
	{name: "deep-shell-dquoted-backquote-backslashes-150k", gap: gapYes, says: []string{"dqbq.sh"},
		make: func(e *caseEnv) {
			e.write("dqbq.sh", "#!/bin/bash\necho \"`echo \\\\\"; "+nest("( ", "x", " )", 150000)+"; echo \\\\\"`\"\n")
		}},
	// A quoted here-document no line closes, the text ending in its delimiter: the parser
	// expands it, the nesting scan skipped it (611 MB and 28 s before).
	{name: "deep-shell-unclosed-quoted-heredoc-200k", gap: gapYes, says: []string{"hd.sh"},
		make: func(e *caseEnv) { e.write("hd.sh", "#!/bin/bash\ncat <<''E\n"+nest("$(", "x", ")", 200000)+"E") }},
	// An escaped blank goes on a word of let: the & after it is an operator (807 MB before).
	{name: "deep-shell-let-escaped-blanks-500k", gap: gapYes, says: []string{"letesc.sh"},
		make: func(e *caseEnv) { e.write("letesc.sh", "#!/bin/bash\nlet x"+strings.Repeat("\\ &1", 500000)+"\n") }},
	// 0=() is a function named 0=, not an empty array: its body nests (591 MB before).
	{name: "deep-shell-functions-named-like-assignments-150k", gap: gapYes, says: []string{"fn.sh"},
		make: func(e *caseEnv) { e.write("fn.sh", "#!/bin/bash\n"+strings.Repeat("0=() ", 150000)+"x\n") }},
	// A # after an escaped blank goes on the word: the nesting scan took it for a comment
	// and skipped the line (611 MB and 16 s before).
	{name: "deep-shell-hash-after-escaped-blank-200k", gap: gapYes, says: []string{"esc.sh"},
		make: func(e *caseEnv) { e.write("esc.sh", "#!/bin/bash\necho a\\ #"+nest("$(", "x", ")", 200000)+"\n") }},
	// A command named in, in a case item, switched the scan to reading patterns, so the
	// case after it was never counted (692 MB for 100,000 before).
	{name: "deep-shell-case-behind-commands-named-in-100k", gap: gapYes, says: []string{"case.sh"},
		make: func(e *caseEnv) {
			e.write("case.sh", "#!/bin/bash\n"+nest("case x in a) in & ", "true", ";; esac ", 100000)+"\n")
		}},
	// A # after an escaped operator goes on the word: the nesting scan took it for a comment
	// and skipped the line (609 MB and 21 s, cut short by the time budget, before).
	{name: "deep-shell-hash-after-escaped-operator-200k", gap: gapYes, says: []string{"esc.sh"},
		make: func(e *caseEnv) { e.write("esc.sh", "#!/bin/bash\necho a\\&#"+nest("$(", "x", ")", 200000)+"\n") }},
	// The parser expands a here-document whose word ends in letters after a quote (<<""E):
	// the nesting scan skipped its body as quoted (601 MB and 17 s before).
	{name: "deep-shell-heredoc-word-ending-in-letters-200k", gap: gapYes, says: []string{"hd.sh"},
		make: func(e *caseEnv) { e.write("hd.sh", "#!/bin/bash\ncat <<''E\n"+nest("$(", "x", ")", 200000)+"\nE\n") }},
	// An index after an assignment (A= B[1/1/…]=x) was not read as arithmetic: the tree the
	// parser built was walked by recursion, and the run died of a stack overflow (956 MB).
	{name: "deep-shell-index-after-assignment-1m", gap: gapYes, says: []string{"idx.sh"},
		make: func(e *caseEnv) { e.write("idx.sh", "#!/bin/bash\nA= B[1"+strings.Repeat("/1", 1000000)+"]=x\n") }},
	// The same after a word the parser takes for an assignment though it names nothing (0=[).
	{name: "deep-shell-index-after-zero-assignment-1m", gap: gapYes, says: []string{"idx.sh"},
		make: func(e *caseEnv) { e.write("idx.sh", "#!/bin/bash\n0=[ B[1"+strings.Repeat("/1", 1000000)+"]=x\n") }},
	// An assignment's value read on ("$HOME") keeps the place of a command's name.
	{name: "deep-shell-index-after-assignment-of-expansion-1m", gap: gapYes, says: []string{"assign.sh"},
		make: func(e *caseEnv) {
			e.write("assign.sh", "#!/bin/bash\nA=\"$HOME\" B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	// The same after a word the parser takes for an assignment though it names nothing.
	{name: "deep-shell-index-after-zero-assignment-of-expansion-1m", gap: gapYes, says: []string{"zero.sh"},
		make: func(e *caseEnv) {
			e.write("zero.sh", "#!/bin/bash\n0=[$x B[1"+strings.Repeat("/1", 1000000)+"]=y\n")
		}},
	// Scripts in a language no reader reads, run by their paths on the host: each is looked
	// for among the files of the folders by the end of its path. Looked for one file at a
	// time, 40,000 runs over 3,000 files took 8.6 s; by an index, 0.3 s.
	{name: "python-runs-40k-over-3000-files", gap: gapNote, says: []string{"runs.sh"},
		make: func(e *caseEnv) {
			var b strings.Builder
			b.WriteString("#!/bin/bash\n")
			for i := range 40000 {
				fmt.Fprintf(&b, "python3 /opt/app/mod%d/tool%d.py\n", i%500, i)
			}
			e.write("runs.sh", b.String())
			for i := range 3000 {
				e.write(fmt.Sprintf("app/mod%d/tool%d.py", i%500, i), "print(1)\n")
			}
		}},
	// An indexed assignment's value read on (a lone $, quotes) keeps the place of a
	// command's name: an index may follow it. Read without a gap in 0.5 s and 258 MB before.
	{name: "deep-shell-index-after-indexed-assignment-of-dollar-1m", gap: gapYes, says: []string{"idx.sh"},
		make: func(e *caseEnv) {
			e.write("idx.sh", "#!/bin/bash\nA[0]=$ B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	// What an index reads ($) does not take the assignment's place: an index may follow.
	{name: "deep-shell-index-after-assignment-whose-index-reads-dollar-1m", gap: gapYes, says: []string{"idx.sh"},
		make: func(e *caseEnv) {
			e.write("idx.sh", "#!/bin/bash\nA[$]= B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	// The parser takes a word begun where a command starts, escapes and all, for an
	// assignment when it holds an = and a [ follows (\0=[): an index may follow it. Read
	// without a gap in 0.59 s and 240 MB before (a stack overflow before walkTree).
	{name: "deep-shell-index-after-escaped-assignment-1m", gap: gapYes, says: []string{"esc.sh"},
		make: func(e *caseEnv) {
			e.write("esc.sh", "#!/bin/bash\n\\0=[ B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	// Puppet and Chef are read without recursion: nesting costs a counter.
	{name: "deep-puppet-hash-200k", gap: gapEither, says: []string{"deep.pp"},
		make: func(e *caseEnv) {
			e.write("deep.pp", "class { 'a': x => "+strings.Repeat("{ 'k' => ", 200000)+"1"+strings.Repeat(" }", 200000)+" }\n")
		}},
	{name: "chef-recipe-unclosed-blocks-100k", gap: gapEither, says: []string{"default.rb"},
		make: func(e *caseEnv) {
			e.write("cookbooks/a/recipes/default.rb", strings.Repeat("bash 'x' do\n  code <<-EOH\n", 100000))
		}},
	// A site manifest's node definitions are each a kind of host (assess.hostParts): 50,000
	// that differ stay one workload, 50,000 left open end where the file does, both
	// without a scan per definition.
	{name: "puppet-site-50k-node-definitions", gap: gapNo,
		make: func(e *caseEnv) {
			var b strings.Builder
			for i := range 50000 {
				fmt.Fprintf(&b, "node 'h%d' { package { 'p%d': ensure => installed } }\n", i, i)
			}
			e.write("manifests/site.pp", b.String())
		}},
	{name: "puppet-site-50k-unclosed-node-definitions", gap: gapNo,
		make: func(e *caseEnv) { e.write("manifests/site.pp", strings.Repeat("node 'h' {\n", 50000)) }},
	// Scripts a boot script runs by their host paths, and recipes a run list names, are each
	// found among the folders' files by the end of their paths: 30,000 of either over 3,000
	// files took 6.3 s and 7.0 s matched one file at a time; by the index, 0.2 s and 0.3 s.
	{name: "shell-runs-30k-over-3000-scripts", gap: gapNo,
		make: func(e *caseEnv) {
			var b strings.Builder
			b.WriteString("#!/bin/bash\n")
			for i := range 30000 {
				fmt.Fprintf(&b, "bash /opt/app/m%d/s%d.sh\n", i%300, i)
			}
			e.write("ops/boot.sh", b.String())
			for i := range 3000 {
				e.write(fmt.Sprintf("app/m%d/s%d.sh", i%300, i), "#!/bin/bash\necho hi\n")
			}
		}},
	{name: "chef-run-list-30k-over-3000-recipes", gap: gapNote, says: []string{"node.json"},
		make: func(e *caseEnv) {
			var b strings.Builder
			b.WriteString("{\"run_list\": [")
			for i := range 30000 {
				fmt.Fprintf(&b, "\"recipe[cb%d::r%d]\",", i%300, i)
			}
			b.WriteString("\"recipe[last]\"]}\n")
			e.write("chef/node.json", b.String())
			for i := range 3000 {
				e.write(fmt.Sprintf("cookbooks/cb%d/recipes/r%d.rb", i%300, i), "package 'git'\n")
			}
		}},
	// A coprocess named } closes nothing: groups in such coprocesses nest.
	{name: "deep-shell-coproc-named-brace-100k", gap: gapYes, says: []string{"coproc.sh"},
		make: func(e *caseEnv) {
			e.write("coproc.sh", "#!/bin/bash\n"+strings.Repeat("{ coproc } { ", 100000)+"x"+strings.Repeat("; } }", 100000)+"\n")
		}},
	// In a test a # after ( or && is a word, not a comment: the chain after it nests (599 MB before).
	{name: "deep-shell-test-chain-after-hash-300k", gap: gapYes, says: []string{"hash.sh"},
		make: func(e *caseEnv) { e.write("hash.sh", "#!/bin/bash\n[[ (#"+strings.Repeat("&&0", 300000)+") ]]\n") }},
	{name: "deep-shell-index-after-redirection-to-expansion-1m", gap: gapYes, says: []string{"redir.sh"},
		make: func(e *caseEnv) {
			e.write("redir.sh", "#!/bin/bash\n>\"$LOG\" B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	{name: "deep-shell-index-after-redirection-1m", gap: gapYes, says: []string{"redir.sh"},
		make: func(e *caseEnv) {
			e.write("redir.sh", "#!/bin/bash\n>/dev/null B[1"+strings.Repeat("/1", 1000000)+"]=x\n")
		}},
	{name: "packer-hcl-heredoc-90k-lines", gap: gapYes, says: []string{"build.pkr.hcl"},
		make: func(e *caseEnv) {
			e.write("build.pkr.hcl", "build {\n  provisioner \"shell\" {\n    inline = [<<-EOT\n"+numbered("echo %d", 90000)+"EOT\n    ]\n  }\n}\n")
		}},
	{name: "deep-packer-hcl-brackets-70k", gap: gapYes, says: []string{"build.pkr.hcl"},
		make: func(e *caseEnv) { e.write("build.pkr.hcl", "locals {\n  x = "+nest("[", "", "]", 70000)+"\n}\n") }},
	{name: "deep-packer-hcl-objects-50k", gap: gapYes, says: []string{"build.pkr.hcl"},
		make: func(e *caseEnv) { e.write("build.pkr.hcl", "locals {\n  x = "+nest("{a=", "1", "}", 50000)+"\n}\n") }},
	{name: "deep-packer-hcl-parens-70k", gap: gapYes, says: []string{"build.pkr.hcl"},
		make: func(e *caseEnv) { e.write("build.pkr.hcl", "locals {\n  x = "+nest("(", "1", ")", 70000)+"\n}\n") }},
	// Numbers that take seconds each to write out as text (1e-100000 is 100,000 digits).
	{name: "huge-numbers-packer-hcl", gap: gapYes, says: []string{"nums.pkr.hcl", "number size"},
		make: func(e *caseEnv) {
			e.write("nums.pkr.hcl", "build {\n  provisioner \"shell\" {\n    inline = [\n"+strings.Repeat("      \"echo ${1e-100000}\",\n", 40)+"    ]\n  }\n}\n")
		}},
	{name: "huge-numbers-packer-json", gap: gapYes, says: []string{"nums.json", "number size"},
		make: func(e *caseEnv) {
			e.write("nums.json", `{"builders": [{"type": "amazon-ebs", "ami_name": 1e-100000}]}`+"\n")
		}},
	{name: "deep-packer-json-100k", gap: gapEither, says: []string{"packer.json"},
		make: func(e *caseEnv) {
			e.write("packer.json", `{"builders":[{"type":"amazon-ebs"}],"variables":{"x":`+nest("[", "", "]", 100000)+"}}\n")
		}},
	{name: "deep-ansible-flow-100k", gap: gapYes, says: []string{"site.yml"},
		make: func(e *caseEnv) {
			e.write("site.yml", "- hosts: all\n  vars:\n    x: "+nest("[", "", "]", 100000)+"\n  tasks:\n    - apt: name=nginx\n")
		}},
	{name: "deep-ansible-block-2k", gap: gapEither, says: []string{"site.yml"},
		make: func(e *caseEnv) {
			var b strings.Builder
			b.WriteString("- hosts: all\n  vars:\n")
			for i := 0; i < 2000; i++ {
				b.WriteString(strings.Repeat(" ", 4+i) + "k:\n")
			}
			b.WriteString(strings.Repeat(" ", 4+2000) + "v\n")
			e.write("site.yml", b.String())
		}},
	{name: "deep-cloud-config-100k", gap: gapYes, says: []string{"user-data.yaml"},
		make: func(e *caseEnv) {
			e.write("user-data.yaml", "#cloud-config\nwrite_files: "+nest("[", "", "]", 100000)+"\n")
		}},
	{name: "deep-powershell-100k", gap: gapEither, says: []string{"setup.ps1"},
		make: func(e *caseEnv) {
			e.write("setup.ps1", "$x = "+nest("(", "1", ")", 100000)+"\nInstall-WindowsFeature Web-Server\n")
		}},

	// Expansion: YAML aliases.
	{name: "alias-bomb-ansible-blocks", gap: gapYes, says: []string{"site.yml"},
		make: func(e *caseEnv) { e.write("site.yml", ansibleBlockBomb(40)) }},
	{name: "alias-bomb-compose", gap: gapYes, says: []string{"docker-compose.yml"},
		make: func(e *caseEnv) {
			e.write("deploy/docker-compose.yml", yamlAliasBomb(9, 9)+"services:\n  web:\n    image: acme/web:1\n    environment: *a9\n")
		}},
	{name: "alias-bomb-appspec", gap: gapYes, says: []string{"appspec.yml"},
		make: func(e *caseEnv) {
			e.write("app/appspec.yml", yamlAliasBomb(9, 9)+"version: 0.0\nos: linux\nhooks:\n  ApplicationStart: *a9\n")
		}},
	{name: "alias-bomb-salt-state", gap: gapEither, says: []string{"init.sls"},
		make: func(e *caseEnv) {
			e.write("salt/app/init.sls", yamlAliasBomb(9, 9)+"nginx:\n  pkg.installed:\n    - pkgs: *a9\n")
		}},
	{name: "alias-bomb-chef-run-list", gap: gapEither, says: []string{"node.json"},
		make: func(e *caseEnv) {
			e.write("chef/node.json", "{\"run_list\": ["+strings.Repeat("\"recipe[a]\",", 200000)+"\"recipe[b]\"]}\n")
		}},
	{name: "alias-bomb-group-vars", gap: gapEither, says: []string{"all.yml"},
		make: func(e *caseEnv) { e.write("group_vars/all.yml", yamlAliasBomb(9, 9)) }},
	{name: "alias-bomb-cloud-config", gap: gapEither, says: []string{"user-data.yaml"},
		make: func(e *caseEnv) {
			e.write("user-data.yaml", "#cloud-config\n"+yamlAliasBomb(9, 9)+"write_files:\n  - path: /x\n    content: *a9\n")
		}},

	// Size.
	{name: "huge-script-over-limit", gap: gapYes, says: []string{"huge.sh", "limit"},
		make: func(e *caseEnv) {
			e.write("huge.sh", "#!/bin/bash\n"+strings.Repeat("echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 10<<20/60+1000))
		}},
	{name: "huge-script-one-line", gap: gapEither, says: []string{"line.sh"},
		make: func(e *caseEnv) { e.write("line.sh", "#!/bin/bash\necho "+strings.Repeat("a", 9<<20)+"\n") }},
	{name: "huge-playbook-many-tasks", gap: gapNo,
		make: func(e *caseEnv) {
			e.write("site.yml", "- hosts: all\n  tasks:\n"+strings.Repeat("    - name: install\n      apt: name=nginx state=present\n", 60000))
		}},
	{name: "many-small-scripts", gap: gapNo,
		make: func(e *caseEnv) {
			for i := 0; i < 3000; i++ {
				e.write(filepath.Join("many", strings.Repeat("d", i%7+1), "s"+itoa(i)+".sh"), "#!/bin/bash\nsystemctl enable nginx\n")
			}
		}},
	{name: "deep-folders-200", gap: gapNo,
		make: func(e *caseEnv) {
			e.write(strings.Repeat("d/", 200)+"bottom.sh", "#!/bin/bash\nmount -t nfs 10.0.0.7:/deep /deep\n")
		}},
	{name: "long-file-name", gap: gapNo,
		make: func(e *caseEnv) { e.write(strings.Repeat("n", 250)+".sh", "#!/bin/bash\nsystemctl enable nginx\n") }},

	// Not text.
	{name: "binary-random", gap: gapYes, says: []string{"noise.sh", "binary"},
		make: func(e *caseEnv) { e.putBytes(e.in, "noise.sh", randomBytes(64<<10, 1)) }},
	{name: "binary-elf", gap: gapYes, says: []string{"tool.sh", "binary"},
		make: func(e *caseEnv) {
			e.putBytes(e.in, "tool.sh", append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), randomBytes(4096, 2)...))
		}},
	{name: "nul-in-script", gap: gapYes, says: []string{"nul.sh"},
		make: func(e *caseEnv) { e.write("nul.sh", "#!/bin/bash\necho a\x00b\nmount -t nfs 10.0.0.8:/n /n\n") }},
	{name: "latin1-script", gap: gapDecode, says: []string{"latin1.sh"},
		make: func(e *caseEnv) { e.write("latin1.sh", "#!/bin/bash\n# r\xe9sum\xe9\nmount -t nfs 10.0.0.9:/l /l\n") }},
	{name: "utf16-script", gap: gapDecode, says: []string{"utf16.sh"},
		make: func(e *caseEnv) {
			e.putBytes(e.in, "utf16.sh", utf16Text("#!/bin/bash\nmount -t nfs 10.0.0.9:/u /u\n", false))
		}},
	{name: "empty-script", gap: gapNo, make: func(e *caseEnv) { e.write("empty.sh", "") }},
	{name: "empty-playbook", gap: gapNo, make: func(e *caseEnv) { e.write("site.yml", "") }},
	{name: "blank-playbook", gap: gapNo, make: func(e *caseEnv) { e.write("site.yml", "   \n\n\t\n") }},
	{name: "crlf-bom-script", gap: gapNo,
		make: func(e *caseEnv) { e.write("crlf.sh", "\ufeff#!/bin/bash\r\nmount -t nfs 10.0.0.9:/c /c\r\n") }},

	// Not a regular file.
	{name: "fifo-script", gap: gapYes, says: []string{"pipe.sh"},
		make: func(e *caseEnv) { e.fifo(e.in, "pipe.sh") }},
	{name: "fifo-role-tasks", gap: gapYes, says: []string{"tasks/main.yml"},
		make: func(e *caseEnv) {
			e.write("roles/web/meta/main.yml", "dependencies: []\n")
			e.fifo(e.in, "roles/web/tasks/main.yml")
		}},
	{name: "socket-script", gap: gapYes, says: []string{"sock.sh"},
		make: func(e *caseEnv) { unixSocket(e, filepath.Join(e.in, "sock.sh")) }},
	{name: "link-to-dev-zero", gap: gapYes, says: []string{"zero.sh"},
		make: func(e *caseEnv) { e.link(e.in, "zero.sh", "/dev/zero") }},
	{name: "link-to-fifo-inside", gap: gapYes, says: []string{"p.sh"},
		make: func(e *caseEnv) {
			e.fifo(e.in, "pipes/real")
			e.link(e.in, "p.sh", "pipes/real")
		}},

	// Out of the folder.
	{name: "link-file-outside", gap: gapYes, says: []string{"out.sh"},
		make: func(e *caseEnv) { e.link(e.in, "out.sh", "../outside/outside.sh") }},
	{name: "link-dir-outside", gap: gapYes, says: []string{"ext"},
		make: func(e *caseEnv) { e.link(e.in, "ext", "../outside/dir") }},
	{name: "link-abs-outside", gap: gapYes, says: []string{"abs.yml"},
		make: func(e *caseEnv) { e.link(e.in, "abs.yml", filepath.Join(e.outside, "outside.yml")) }},
	{name: "link-loop-self", gap: gapYes, says: []string{"loop.sh"},
		make: func(e *caseEnv) { e.link(e.in, "loop.sh", "loop.sh") }},
	{name: "link-loop-dir", gap: gapYes, says: []string{"sub/up"},
		make: func(e *caseEnv) { e.link(e.in, "sub/up", "..") }},
	{name: "link-dangling", gap: gapNote, says: []string{"gone.sh"},
		make: func(e *caseEnv) { e.link(e.in, "gone.sh", "nowhere/gone.sh") }},
	{name: "playbook-imports-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("site.yml", "- import_playbook: ../outside/outside.yml\n- import_playbook: "+filepath.Join(e.outside, "outside.yml")+"\n")
		}},
	{name: "tasks-include-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("roles/web/meta/main.yml", "dependencies: []\n")
			e.write("roles/web/tasks/main.yml", "- include_tasks: ../../../../outside/outside.yml\n- include_vars: "+filepath.Join(e.outside, "outside.yml")+"\n")
		}},
	{name: "shell-sources-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("boot.sh", "#!/bin/bash\nsource ../outside/outside.sh\n. "+filepath.Join(e.outside, "outside.sh")+"\n")
		}},
	{name: "packer-script-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("packer.json", `{"builders":[{"type":"amazon-ebs","ami_name":"web"}],"provisioners":[{"type":"shell","script":"../outside/outside.sh"},{"type":"shell","scripts":["`+filepath.Join(e.outside, "outside.sh")+`"]}]}`+"\n")
		}},
	{name: "appspec-hook-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("app/appspec.yml", "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: ../../outside/outside.sh\n    - location: "+
				filepath.Join(e.outside, "outside.sh")+"\n    - location: ..\\..\\outside\\outside.sh\n")
		}},

	// Names.
	{name: "name-escape-sequence", gap: gapNo, raw: []string{"\x1b[31m"},
		make: func(e *caseEnv) { e.write("evil\x1b[31mred.sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/e /e\n") }},
	{name: "name-clear-screen", gap: gapNo, raw: []string{"\x1b[2J"},
		make: func(e *caseEnv) { e.write("x\x1b[2J\x1b[H.sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/e /e\n") }},
	{name: "name-newline", gap: gapNo, raw: []string{"new\nline"},
		make: func(e *caseEnv) { e.write("new\nline.sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/n /n\n") }},
	{name: "name-carriage-return", gap: gapNo, raw: []string{"over\rwrite"},
		make: func(e *caseEnv) { e.write("over\rwrite.sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/r /r\n") }},
	{name: "name-with-secret", gap: gapNo, says: []string{"db_password="},
		make: func(e *caseEnv) {
			e.write("db_password="+secretCanary+".sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/s /s\n")
		}},
	{name: "name-with-secret-in-folder", gap: gapNo, says: []string{"token="},
		make: func(e *caseEnv) {
			e.write("token="+secretCanary+"/boot.sh", "#!/bin/bash\nmount -t nfs 10.0.0.6:/s /s\n")
		}},
	{name: "folder-named-like-script", gap: gapNo,
		make: func(e *caseEnv) { e.write("tasks.sh/inner.sh", "#!/bin/bash\nsystemctl enable nginx\n") }},

	// Permissions.
	{name: "unreadable-file", gap: gapYes, says: []string{"locked.sh", "permission"}, asRoot: "root reads a file without read permission",
		make: func(e *caseEnv) { os.Chmod(e.write("locked.sh", "#!/bin/bash\n"), 0) }},
	{name: "unreadable-folder", gap: gapYes, says: []string{"locked", "permission"}, asRoot: "root lists a folder without read permission",
		make: func(e *caseEnv) {
			e.write("locked/a.sh", "#!/bin/bash\n")
			os.Chmod(filepath.Join(e.in, "locked"), 0)
		}},

	// Encoded content.
	{name: "gzip-user-data-bomb", gap: gapEither,
		make: func(e *caseEnv) { e.putBytes(e.in, "user-data", gzipOf(strings.Repeat("echo a\n", 100<<20/7))) }},
	{name: "mime-many-parts", gap: gapEither,
		make: func(e *caseEnv) {
			var b strings.Builder
			b.WriteString("Content-Type: multipart/mixed; boundary=\"B\"\nMIME-Version: 1.0\n\n")
			for i := 0; i < 50000; i++ {
				b.WriteString("--B\nContent-Type: text/x-shellscript\n\n#!/bin/bash\necho " + itoa(i) + "\n")
			}
			b.WriteString("--B--\n")
			e.write("user-data.txt", b.String())
		}},
	{name: "many-yaml-documents", gap: gapEither,
		make: func(e *caseEnv) { e.write("site.yml", strings.Repeat("---\n- hosts: all\n  tasks: []\n", 100000)) }},
	{name: "json-huge-number", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("packer.json", `{"builders":[{"type":"amazon-ebs","ami_name":"x","volume_size":1`+strings.Repeat("0", 1<<20)+`}]}`)
		}},
}

// iacVariants go into a folder of Terraform and CloudFormation.
var iacVariants = []variant{
	{name: "deep-tf-brackets-70k", gap: gapYes, says: []string{"deep.tf"},
		make: func(e *caseEnv) { e.write("deep.tf", "locals {\n  x = "+nest("[", "", "]", 70000)+"\n}\n") }},
	{name: "deep-tf-objects-50k", gap: gapYes, says: []string{"deep.tf"},
		make: func(e *caseEnv) { e.write("deep.tf", "locals {\n  x = "+nest("{a=", "1", "}", 50000)+"\n}\n") }},
	{name: "deep-tf-parens-70k", gap: gapYes, says: []string{"deep.tf"},
		make: func(e *caseEnv) { e.write("deep.tf", "locals {\n  x = "+nest("(", "1", ")", 70000)+"\n}\n") }},
	{name: "deep-tf-template-directives-30k", gap: gapEither, says: []string{"deep.tf"},
		make: func(e *caseEnv) {
			e.write("deep.tf", "locals {\n  x = <<EOT\n"+nest("%{ if true }", "x", "%{ endif }", 30000)+"\nEOT\n}\n")
		}},
	// hclsyntax joins a heredoc's lines one pair at a time, each join copying all before it:
	// 90,000 lines took 21 s in one call (limits.TemplateLines).
	{name: "tf-heredoc-90k-lines", gap: gapYes, says: []string{"boot.tf"},
		make: func(e *caseEnv) {
			e.write("boot.tf", "resource \"aws_launch_template\" \"web\" {\n  user_data = base64encode(<<-EOT\n"+numbered("echo %d", 90000)+"EOT\n  )\n}\n")
		}},
	{name: "tf-templatefile-90k-lines", gap: gapYes, says: []string{"boot.tftpl"},
		make: func(e *caseEnv) {
			e.write("main.tf", "resource \"aws_launch_template\" \"web\" {\n  user_data = base64encode(templatefile(\"${path.module}/boot.tftpl\", {}))\n}\n")
			e.write("boot.tftpl", "#!/bin/bash\n"+numbered("echo %d", 90000))
		}},
	{name: "deep-tf-json-100k", gap: gapYes, says: []string{"deep.tf.json"},
		make: func(e *caseEnv) { e.write("deep.tf.json", `{"locals":{"x":`+nest("[", "", "]", 100000)+"}}\n") }},
	{name: "deep-tfvars-70k", gap: gapYes, says: []string{"terraform.tfvars"},
		make: func(e *caseEnv) { e.write("terraform.tfvars", "x = "+nest("[", "", "]", 70000)+"\n") }},
	{name: "deep-cfn-yaml-100k", gap: gapYes, says: []string{"stack.yaml"},
		make: func(e *caseEnv) {
			e.write("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  X: "+nest("[", "", "]", 100000)+"\n"+strings.SplitN(cfnGroup("Deep", "deep"), "\n", 2)[1])
		}},
	{name: "deep-cfn-json-100k", gap: gapYes, says: []string{"stack.json"},
		make: func(e *caseEnv) {
			e.write("stack.json", `{"AWSTemplateFormatVersion":"2010-09-09","Metadata":{"X":`+nest("[", "", "]", 100000)+`},"Resources":{}}`)
		}},
	{name: "deep-cfn-intrinsics-20k", gap: gapYes, says: []string{"stack.yaml"},
		make: func(e *caseEnv) {
			e.write("stack.yaml", cfnGroup("Intr", "intr")+"      Tags:\n        - Key: Deep\n          PropagateAtLaunch: true\n          Value: "+nest("{\"Fn::Join\": [\"\", [", "x", "]]}", 20000)+"\n")
		}},
	{name: "alias-bomb-cfn-yaml", gap: gapEither, says: []string{"stack.yaml"},
		make: func(e *caseEnv) {
			e.write("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n"+indent(yamlAliasBomb(9, 9), "  ")+strings.SplitN(cfnGroup("Bomb", "bomb"), "\n", 2)[1]+
				"      Tags:\n        - Key: Blob\n          PropagateAtLaunch: true\n          Value: !Join [\"\", *a9]\n")
		}},
	{name: "alias-bomb-cfn-yaml-unused", gap: gapEither, says: []string{"stack.yaml"},
		make: func(e *caseEnv) {
			e.write("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n"+indent(yamlAliasBomb(9, 9), "  ")+strings.SplitN(cfnGroup("Bomb", "bomb"), "\n", 2)[1])
		}},
	{name: "huge-numbers-terraform", gap: gapYes, says: []string{"nums.tf", "number size"},
		make: func(e *caseEnv) {
			e.write("nums.tf", "locals {\n"+strings.Repeat("  n = \"id-${1e-100000}\"\n", 40)+"}\n")
		}},
	// Squared ten times, 1e-300 is 614,400 digits: minutes to show in the user data.
	{name: "huge-numbers-terraform-computed", gap: gapYes, says: []string{"nums.tf", "number size"},
		make: func(e *caseEnv) {
			src := "locals {\n  a = 1e-300 * 1e-300\n"
			for c := 'b'; c <= 'k'; c++ {
				src += fmt.Sprintf("  %c = local.%c * local.%c\n", c, c-1, c-1)
			}
			e.write("nums.tf", src+"}\n"+
				"resource \"aws_launch_template\" \"nums\" {\n  user_data = base64encode(\"#!/bin/bash\\necho ${local.k}\\n\")\n}\n"+
				"resource \"aws_autoscaling_group\" \"nums\" {\n  name = \"nums\"\n  launch_template {\n    id = aws_launch_template.nums.id\n  }\n}\n")
		}},
	{name: "locals-doubling", gap: gapYes, says: []string{"double.tf"},
		make: func(e *caseEnv) { e.write("double.tf", localsDoubling(64)) }},
	{name: "locals-cycle", gap: gapEither, says: []string{"cycle.tf"},
		make: func(e *caseEnv) {
			e.write("cycle.tf", "locals {\n  a = local.b\n  b = local.a\n}\n"+tfGroupWith("cyc", "cyc", "  max_instance_lifetime = local.a\n"))
		}},
	// A cycle of modules or includes is code Terraform and Terragrunt refuse: every file of
	// it is read, nothing that exists is missed, so it is noted, not partial (as
	// modules-call-each-other below).
	{name: "module-calls-itself", gap: gapNote, says: []string{"self"},
		make: func(e *caseEnv) { e.write("self.tf", "module \"self\" {\n  source = \"./\"\n}\n") }},
	{name: "modules-call-each-other", gap: gapNote, says: []string{"modules/a|modules/b"},
		make: func(e *caseEnv) {
			e.write("root.tf", "module \"a\" {\n  source = \"./modules/a\"\n}\n")
			e.write("modules/a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n")
			e.write("modules/b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n")
		}},
	{name: "module-chain-300", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("chain.tf", "module \"m0\" {\n  source = \"./m/0\"\n}\n")
			for i := 0; i < 300; i++ {
				e.write("m/"+itoa(i)+"/main.tf", "module \"next\" {\n  source = \"../"+itoa(i+1)+"\"\n}\n")
			}
			e.write("m/300/main.tf", tfGroupWith("bottom", "bottom", ""))
		}},
	{name: "terragrunt-include-cycle", gap: gapNote, says: []string{"terragrunt.hcl"},
		make: func(e *caseEnv) {
			e.write("live/a/terragrunt.hcl", "include {\n  path = \"../b/terragrunt.hcl\"\n}\n")
			e.write("live/b/terragrunt.hcl", "include {\n  path = \"../a/terragrunt.hcl\"\n}\n")
		}},
	{name: "terragrunt-includes-itself", gap: gapNote, says: []string{"terragrunt.hcl"},
		make: func(e *caseEnv) {
			e.write("live/a/terragrunt.hcl", "include \"root\" {\n  path = \"terragrunt.hcl\"\n}\nterraform {\n  source = \"../../mod\"\n}\n")
			e.write("mod/main.tf", tfGroupWith("tg", "tg", ""))
		}},
	{name: "terragrunt-include-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("live/a/terragrunt.hcl", "include {\n  path = \"../../../outside/terragrunt.hcl\"\n}\nterraform {\n  source = \"../../mod\"\n}\ninputs = {\n  group_name = \"tg-out\"\n}\n")
			e.write("mod/main.tf", "variable \"name\" {\n  default = \"x\"\n}\n"+tfGroupWith("tg", "tg-${var.name}", ""))
		}},
	{name: "fn-sub-over-huge-parameter", gap: gapYes, says: []string{"stack.yaml"},
		make: func(e *caseEnv) {
			e.write("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Big:\n    Type: String\n    Default: "+strings.Repeat("x", 1<<20)+"\n"+
				strings.SplitN(cfnGroup("Sub", "sub"), "\n", 2)[1]+"      Tags:\n        - Key: Blob\n          PropagateAtLaunch: true\n          Value: !Sub \""+strings.Repeat("${Big}", 2000)+"\"\n")
		}},
	{name: "count-huge", gap: gapNote, says: []string{"count.tf"},
		make: func(e *caseEnv) {
			e.write("count.tf", tfGroupWith("many", "many-${count.index}", "  count = 100000000\n"))
		}},
	{name: "for-each-huge", gap: gapEither, says: []string{"each.tf"},
		make: func(e *caseEnv) {
			e.write("each.tf", tfGroupWith("each", "each-${each.key}", "  for_each = toset([for i in range(10000000) : tostring(i)])\n"))
		}},
	{name: "string-build-huge", gap: gapEither, says: []string{"big.tf"},
		make: func(e *caseEnv) {
			e.write("big.tf", tfGroupWith("big", "big", "  tag {\n    key = \"Blob\"\n    value = join(\"\", [for i in range(1000000) : \"xxxxxxxxxxxxxxxx\"])\n    propagate_at_launch = true\n  }\n"))
		}},
	{name: "huge-tf-over-limit", gap: gapYes, says: []string{"huge.tf", "limit"},
		make: func(e *caseEnv) {
			e.write("huge.tf", strings.Repeat("# padding padding padding padding padding padding padding\n", 10<<20/58+1000))
		}},
	{name: "many-tf-files", gap: gapNo,
		make: func(e *caseEnv) {
			for i := 0; i < 1000; i++ {
				e.write("many/f"+itoa(i)+".tf", "locals {\n  v"+itoa(i)+" = "+itoa(i)+"\n}\n")
			}
		}},
	{name: "binary-tf", gap: gapYes, says: []string{"noise.tf"},
		make: func(e *caseEnv) { e.putBytes(e.in, "noise.tf", randomBytes(32<<10, 3)) }},
	{name: "nul-in-tf", gap: gapYes, says: []string{"nul.tf"},
		make: func(e *caseEnv) { e.write("nul.tf", "# a\x00b\n"+tfGroupWith("nul", "nul-asg", "")) }},
	{name: "latin1-tf-comment", gap: gapDecode, says: []string{"latin1.tf|latin1-asg"},
		make: func(e *caseEnv) { e.write("latin1.tf", "# r\xe9sum\xe9\n"+tfGroupWith("latin", "latin1-asg", "")) }},
	{name: "latin1-tf-string", gap: gapDecode, says: []string{"latin1.tf|café-asg"},
		make: func(e *caseEnv) { e.write("latin1.tf", tfGroupWith("latin", "caf\xe9-asg", "")) }},
	{name: "utf16le-tf", gap: gapDecode, says: []string{"utf16.tf|utf16-asg"},
		make: func(e *caseEnv) { e.putBytes(e.in, "utf16.tf", utf16Text(tfGroupWith("u16", "utf16-asg", ""), false)) }},
	{name: "utf16be-tf", gap: gapDecode, says: []string{"utf16.tf|utf16-asg"},
		make: func(e *caseEnv) { e.putBytes(e.in, "utf16.tf", utf16Text(tfGroupWith("u16", "utf16-asg", ""), true)) }},
	{name: "empty-tf", gap: gapNo, make: func(e *caseEnv) { e.write("empty.tf", "") }},
	{name: "empty-cfn-yaml", gap: gapNo, make: func(e *caseEnv) { e.write("stack.yaml", "") }},
	{name: "syntax-error-tf", gap: gapYes, says: []string{"broken.tf"},
		make: func(e *caseEnv) { e.write("broken.tf", "resource \"aws_autoscaling_group\" \"x\" {\n  name = \n") }},
	{name: "fifo-tf", gap: gapYes, says: []string{"pipe.tf"},
		make: func(e *caseEnv) { e.fifo(e.in, "pipe.tf") }},
	{name: "fifo-cfn", gap: gapYes, says: []string{"stack.yaml"},
		make: func(e *caseEnv) { e.fifo(e.in, "stack.yaml") }},
	{name: "socket-tf", gap: gapYes, says: []string{"sock.tf"},
		make: func(e *caseEnv) { unixSocket(e, filepath.Join(e.in, "sock.tf")) }},
	{name: "link-tf-outside", gap: gapYes, says: []string{"outside.tf"},
		make: func(e *caseEnv) { e.link(e.in, "outside.tf", "../outside/outside.tf") }},
	{name: "link-cfn-outside", gap: gapYes, says: []string{"stack.yaml"},
		make: func(e *caseEnv) { e.link(e.in, "stack.yaml", filepath.Join(e.outside, "stack.yaml")) }},
	{name: "link-tf-dev-zero", gap: gapYes, says: []string{"zero.tf"},
		make: func(e *caseEnv) { e.link(e.in, "zero.tf", "/dev/zero") }},
	{name: "link-dir-outside-iac", gap: gapYes, says: []string{"envs"},
		make: func(e *caseEnv) { e.link(e.in, "envs", "../outside/mod") }},
	{name: "file-relative-outside", gap: gapEither, says: []string{"secret.txt"},
		make: func(e *caseEnv) { e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\"../outside/secret.txt\")"))) }},
	{name: "file-absolute-outside", gap: gapEither, says: []string{"secret.txt"},
		make: func(e *caseEnv) {
			e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\""+filepath.Join(e.outside, "secret.txt")+"\")")))
		}},
	{name: "file-link-outside", gap: gapEither, says: []string{"notes.txt"},
		make: func(e *caseEnv) {
			e.link(e.in, "notes.txt", "../outside/secret.txt")
			e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\"notes.txt\")")))
		}},
	{name: "templatefile-outside", gap: gapEither, says: []string{"secret.txt"},
		make: func(e *caseEnv) {
			e.write("file.tf", tfGroupWith("f", "f", tagOf("templatefile(\"../outside/secret.txt\", {})")))
		}},
	{name: "templatefile-link-outside", gap: gapEither, says: []string{"boot.tpl"},
		make: func(e *caseEnv) {
			e.link(e.in, "boot.tpl", "../outside/secret.txt")
			e.write("file.tf", tfGroupWith("f", "f", tagOf("templatefile(\"boot.tpl\", {})")))
		}},
	{name: "file-fifo", gap: gapYes, says: []string{"pipe.txt"},
		make: func(e *caseEnv) {
			e.fifo(e.in, "pipe.txt")
			e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\"pipe.txt\")")))
		}},
	{name: "file-dev-zero", gap: gapYes, says: []string{"zero.txt"},
		make: func(e *caseEnv) {
			e.link(e.in, "zero.txt", "/dev/zero")
			e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\"zero.txt\")")))
		}},
	{name: "file-huge", gap: gapEither, says: []string{"big.txt"},
		make: func(e *caseEnv) {
			e.sparse(e.in, "big.txt", 64<<20)
			e.write("file.tf", tfGroupWith("f", "f", tagOf("file(\"big.txt\")")))
		}},
	{name: "module-source-outside", gap: gapEither, says: []string{"outside/mod"},
		make: func(e *caseEnv) { e.write("mod.tf", "module \"out\" {\n  source = \"../outside/mod\"\n}\n") }},
	{name: "cfn-nested-stack-outside", gap: gapEither,
		make: func(e *caseEnv) {
			e.write("parent.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../outside/stack.yaml\n")
		}},
	{name: "group-name-escape", gap: gapNo, raw: []string{"\x1b[31m"},
		make: func(e *caseEnv) { e.write("evil.tf", tfGroupWith("evil", `evil\u001b[31mred`, "")) }},
	{name: "group-name-newline", gap: gapNo, raw: []string{"two\nlines"},
		make: func(e *caseEnv) { e.write("evil.tf", tfGroupWith("evil", `two\nlines`, "")) }},
	{name: "tf-file-name-escape", gap: gapYes, says: []string{"evil"}, raw: []string{"\x1b[31m"},
		make: func(e *caseEnv) { e.write("evil\x1b[31m.tf", "resource \"x\" {\n  broken = \n") }},
	{name: "tf-file-name-secret", gap: gapYes, says: []string{"db_password="},
		make: func(e *caseEnv) { e.write("db_password="+secretCanary+".tf", "resource \"x\" {\n  broken = \n") }},
	{name: "tag-secret-keys", gap: gapNo,
		make: func(e *caseEnv) {
			e.write("tags.tf", tfGroupWith("tags", "tags", tagKV("DbPassword", secretCanary)+tagKV("AccessKey", secretCanary+"A")+tagKV("Token", secretCanary+"T")))
		}},
	{name: "cfn-parameter-default-into-tag", gap: gapNo,
		make: func(e *caseEnv) {
			e.write("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n    Default: "+secretCanary+"\n"+
				strings.SplitN(cfnGroup("Tagged", "tagged"), "\n", 2)[1]+"      Tags:\n        - Key: Owner\n          PropagateAtLaunch: true\n          Value: !Ref DbPassword\n")
		}},
	{name: "tf-variable-default-into-tag", gap: gapNo,
		make: func(e *caseEnv) {
			e.write("var.tf", "variable \"db_password\" {\n  default = \""+secretCanary+"\"\n}\n"+tfGroupWith("v", "v", tagKV("Owner", "${var.db_password}")))
		}},
	{name: "unreadable-tf", gap: gapYes, says: []string{"locked.tf", "permission"}, asRoot: "root reads a file without read permission",
		make: func(e *caseEnv) { os.Chmod(e.write("locked.tf", tfGroupWith("l", "l", "")), 0) }},
}

func tagOf(expr string) string {
	return "  tag {\n    key = \"Note\"\n    value = " + expr + "\n    propagate_at_launch = true\n  }\n"
}

func tagKV(key, value string) string {
	return "  tag {\n    key = \"" + key + "\"\n    value = \"" + value + "\"\n    propagate_at_launch = true\n  }\n"
}

func indent(s, by string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "")
}

func itoa(i int) string { return strconv.Itoa(i) }

// unixSocket leaves a socket file at path (closed, not unlinked).
func unixSocket(e *caseEnv, path string) {
	e.t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		e.t.Skipf("cannot make a socket here: %v", err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

var (
	baseOnce sync.Once
	basePath string
	baseErr  string
)

// baseSnapshot is a small valid snapshot, written by the binary itself from one Terraform
// group, for the runs that need AWS facts from somewhere.
func baseSnapshot(t *testing.T) string {
	t.Helper()
	bin := whyk8s(t)
	baseOnce.Do(func() {
		dir := filepath.Join(filepath.Dir(bin), "base")
		os.MkdirAll(filepath.Join(dir, "tf"), 0o755)
		os.WriteFile(filepath.Join(dir, "tf", "main.tf"), []byte(tfGroup("base", "base-asg")), 0o644)
		basePath = filepath.Join(dir, "estate.json")
		r := runWhyk8s(t, dir, caseTimeout, childEnv(dir), "inventory", "--iac", "tf", "--iac-account", "111122223333", "--out", basePath)
		if r.code != 0 {
			baseErr = r.String()
		}
	})
	if baseErr != "" {
		t.Fatalf("writing the base snapshot failed:\n%s", baseErr)
	}
	return basePath
}

// numbered is n lines of format, each given its number.
func numbered(format string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, format+"\n", i)
	}
	return b.String()
}
