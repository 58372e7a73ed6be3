package iac_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"whyk8s/inventory"
	"whyk8s/inventory/iac"
)

// Hostile infrastructure code (issue 12): every input below is generated here, as data,
// into a temporary folder beside a good Terraform group; nothing is ever executed. Each
// case must leave the reader alive and within its time, with the good group read, the
// bad file reported by name with the limit or problem it hit, and nothing from outside
// the folder in the estate. The names follow the hostile-input suite's iac cases where
// they are the same input (hostile/cases_test.go on branch ci-hostile).

// hostileOut, when set, writes every case's folder under it instead of reading it, so
// that the built binary can be measured on them (/usr/bin/time -v whyk8s inventory --iac).
var hostileOut = flag.String("hostile-out", "", "write the hostile cases' folders under this folder and stop")

// outsideCanary is in every file of the folder beside the one read.
const outsideCanary = "OUTSIDE-CANARY-7f3a"

// goodGroup is the group every case's folder defines in good.tf.
const goodGroup = "good-web"

// hostileEnv is one case's folders: in is read, outside is its sibling and never given.
type hostileEnv struct {
	t           *testing.T
	in, outside string
}

func (e hostileEnv) write(rel, content string) string {
	return e.put(e.in, rel, []byte(content))
}

func (e hostileEnv) put(dir, rel string, content []byte) string {
	e.t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(full, content, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return full
}

func (e hostileEnv) link(rel, target string) {
	e.t.Helper()
	full := filepath.Join(e.in, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Symlink(target, full); err != nil {
		e.t.Fatal(err)
	}
}

func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// tfGroupWith is an Auto Scaling group named name, with extra arguments.
func tfGroupWith(label, name, extra string) string {
	return fmt.Sprintf(`resource "aws_autoscaling_group" %q {
  name                 = %q
  min_size             = 1
  max_size             = 2
  launch_configuration = "lc-%s"
%s}
`, label, name, label, extra)
}

func tagOf(key, expr string) string {
	return "  tag {\n    key                 = \"" + key + "\"\n    value               = " + expr + "\n    propagate_at_launch = true\n  }\n"
}

// cfnGroupTemplate is a CloudFormation template with one group and extra lines at the
// end of its properties.
func cfnGroupTemplate(head, logical, name, extra string) string {
	return "AWSTemplateFormatVersion: \"2010-09-09\"\n" + head + "Resources:\n  " + logical + ":\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n" +
		"      AutoScalingGroupName: " + name + "\n      MinSize: \"1\"\n      MaxSize: \"2\"\n      LaunchConfigurationName: lc\n" + extra
}

func localsDoubling(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n")
	return b.String() + tfGroupWith("doubled", "doubled", tagOf("Blob", fmt.Sprintf("local.l%d", n)))
}

func yamlAliasBomb(levels, fanout int) string {
	var b strings.Builder
	b.WriteString("  a0: &a0 [\"lol\"]\n")
	for i := 1; i <= levels; i++ {
		refs := make([]string, fanout)
		for j := range refs {
			refs[j] = fmt.Sprintf("*a%d", i-1)
		}
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, strings.Join(refs, ", "))
	}
	return b.String()
}

func utf16Text(s string, big bool) []byte {
	var buf bytes.Buffer
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	binary.Write(&buf, order, uint16(0xfeff))
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&buf, order, u)
	}
	return buf.Bytes()
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// bigLocal is a local of about 1 MB built by the code itself, within every budget
// (range stops at 1024 elements, in Terraform as here).
var bigLocal = "locals {\n  big = join(\"\", [for i in range(1000) : \"" + strings.Repeat("x", 1000) + "\"])\n}\n"

// wantGap is a gap a case must have: at a path ending in path, of one of kinds, whose
// message holds every one of says.
type wantGap struct {
	path  string
	kinds []string
	says  []string
}

// hostileCase is one bad input put beside good.tf.
type hostileCase struct {
	name string
	make func(e hostileEnv)
	gap  *wantGap
	// groups must be read besides the good one (the bad file's own, when it is decoded).
	groups []string
	// partial is whether the run must be partial (some gap of a kind that says a file
	// could not be read), as gather decides it.
	partial bool
	// noPartial says the run must not be partial: nothing that exists was missed.
	noPartial bool
	special   bool // needs a FIFO, a socket or a device: Linux and macOS only
}

var (
	limitKinds  = []string{inventory.GapLimit}
	unreadKinds = []string{inventory.GapUnreadable}
)

func hostileCases() []hostileCase {
	return []hostileCase{
		// Nesting: recursion in the parsers, stopped by a pre-scan before parsing.
		{name: "deep-tf-brackets-70k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf", "locals {\n  x = "+nest("[", "", "]", 70000)+"\n}\n") },
			gap:  &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-objects-50k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf", "locals {\n  x = "+nest("{a=", "1", "}", 50000)+"\n}\n") },
			gap:  &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-parens-70k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf", "locals {\n  x = "+nest("(", "1", ")", 70000)+"\n}\n") },
			gap:  &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-template-directives-30k", partial: true,
			make: func(e hostileEnv) {
				e.write("deep.tf", "locals {\n  x = <<EOT\n"+nest("%{ if true }", "x", "%{ endif }", 30000)+"\nEOT\n}\n")
			},
			gap: &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-interpolations-30k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf", "locals {\n  x = "+nest(`"${`, "1", `}"`, 30000)+"\n}\n") },
			gap:  &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		// Numbers rendered as text: 1e-100000 is 100,000 digits, seconds of work each.
		{name: "tf-number-too-large", partial: true,
			make: func(e hostileEnv) {
				e.write("nums.tf", "locals {\n"+strings.Repeat("  n = \"id-${1e-100000}\"\n", 40)+"}\n")
			},
			gap: &wantGap{"nums.tf", limitKinds, []string{"number size"}}},
		{name: "tf-json-number-too-large", partial: true,
			make: func(e hostileEnv) { e.write("nums.tf.json", `{"locals": {"n": "id-${1e-100000}", "m": 1e-100000}}`) },
			gap:  &wantGap{"nums.tf.json", limitKinds, []string{"number size"}}},
		// Numbers computed past what can be written out: 1e-300 squared ten times is 614,400
		// digits, minutes to render in the user data that shows it.
		{name: "tf-number-computed-too-large", partial: true,
			make: func(e hostileEnv) {
				src := "locals {\n  a = 1e-300 * 1e-300\n"
				for c := 'b'; c <= 'k'; c++ {
					src += fmt.Sprintf("  %c = local.%c * local.%c\n", c, c-1, c-1)
				}
				src += "}\nvariable \"v\" {\n  default = \"x-${1e-400 * 1e-400 * 1e-400}\"\n}\n"
				src += "resource \"aws_launch_template\" \"nums\" {\n  name = \"lt-nums\"\n  user_data = base64encode(\"#!/bin/bash\\necho ${local.k} ${var.v}\\n\")\n}\n"
				src += "resource \"aws_autoscaling_group\" \"nums\" {\n  name = \"nums\"\n  min_size = 1\n  max_size = 2\n  launch_template {\n    id = aws_launch_template.nums.id\n  }\n}\n"
				e.write("nums.tf", src)
			},
			groups: []string{"nums"},
			gap:    &wantGap{"nums.tf", limitKinds, []string{"number computed past"}}},
		{name: "deep-tf-unary-100k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf", "locals {\n  x = "+strings.Repeat("!", 100000)+"true\n}\n") },
			gap:  &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-conditionals-30k", partial: true,
			make: func(e hostileEnv) {
				e.write("deep.tf", "locals {\n  x = "+strings.Repeat("true ? 1 : ", 30000)+"0\n}\n")
			},
			gap: &wantGap{"deep.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-json-100k", partial: true,
			make: func(e hostileEnv) { e.write("deep.tf.json", `{"locals":{"x":`+nest("[", "", "]", 100000)+"}}\n") },
			gap:  &wantGap{"deep.tf.json", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tf-json-template-70k", partial: true,
			make: func(e hostileEnv) {
				e.write("deep.tf.json", `{"locals":{"x":"${`+nest("(", "1", ")", 70000)+`}"}}`+"\n")
			},
			gap: &wantGap{"deep.tf.json", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-tfvars-70k", partial: true,
			make: func(e hostileEnv) { e.write("terraform.tfvars", "x = "+nest("[", "", "]", 70000)+"\n") },
			gap:  &wantGap{"terraform.tfvars", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-terragrunt-70k", partial: true,
			make: func(e hostileEnv) {
				e.write("live/terragrunt.hcl", "locals {\n  x = "+nest("[", "", "]", 70000)+"\n}\n")
			},
			gap: &wantGap{"live/terragrunt.hcl", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-templatefile-70k", partial: true,
			make: func(e hostileEnv) {
				e.write("boot.tpl", "#!/bin/bash\necho ${"+nest("(", "1", ")", 70000)+"}\n")
				e.write("tpl.tf", tfGroupWith("tpl", "tpl", tagOf("Boot", `templatefile("boot.tpl", {})`)))
			},
			groups: []string{"tpl"},
			gap:    &wantGap{"boot.tpl", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-cfn-yaml-100k", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Metadata:\n  X: "+nest("[", "", "]", 100000)+"\n", "DeepGroup", "deep", ""))
			},
			gap: &wantGap{"stack.yaml", []string{inventory.GapParse, inventory.GapLimit}, []string{"depth"}}},
		{name: "deep-cfn-yaml-5k", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Metadata:\n  X: "+nest("[", "", "]", 5000)+"\n", "DeepGroup", "deep", ""))
			},
			gap: &wantGap{"stack.yaml", limitKinds, []string{"nested deeper than"}}},
		{name: "deep-cfn-json-100k", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.json", `{"AWSTemplateFormatVersion":"2010-09-09","Metadata":{"X":`+nest("[", "", "]", 100000)+`},"Resources":{}}`)
			},
			gap: &wantGap{"stack.json", []string{inventory.GapParse, inventory.GapLimit}, []string{"depth"}}},
		{name: "deep-cfn-intrinsics-3k", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("", "IntrGroup", "intr",
					"      Tags:\n        - Key: Deep\n          PropagateAtLaunch: true\n          Value: "+nest("{\"Fn::Join\": [\"\", [", "x", "]]}", 3000)+"\n"))
			},
			gap: &wantGap{"stack.yaml", limitKinds, []string{"nested deeper than"}}},
		{name: "yaml-alias-cycle-cfn", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Metadata:\n  Loop: &loop [*loop]\n", "LoopGroup", "loop",
					"      Tags:\n        - Key: Loop\n          PropagateAtLaunch: true\n          Value: !Join [\"\", *loop]\n"))
			},
			gap: &wantGap{"stack.yaml", limitKinds, []string{"a YAML alias refers to a node that holds it"}}},

		// Evaluation: references followed deeper than the evaluator goes.
		{name: "locals-chain-50k", partial: true,
			make: func(e hostileEnv) {
				var b strings.Builder
				b.WriteString("locals {\n  l0 = \"end\"\n")
				for i := 1; i <= 50000; i++ {
					fmt.Fprintf(&b, "  l%d = local.l%d\n", i, i-1)
				}
				b.WriteString("}\n")
				e.write("chain.tf", b.String()+tfGroupWith("chain", "chain", tagOf("End", "local.l50000")))
			},
			groups: []string{"chain"},
			gap:    &wantGap{"chain.tf", limitKinds, []string{"references followed deeper than"}}},
		{name: "cfn-condition-chain-20k", partial: true,
			make: func(e hostileEnv) {
				var b strings.Builder
				b.WriteString("Conditions:\n  C0: !Equals [a, a]\n")
				for i := 1; i <= 20000; i++ {
					fmt.Fprintf(&b, "  C%d: !Condition C%d\n", i, i-1)
				}
				e.write("stack.yaml", cfnGroupTemplate(b.String(), "CondGroup", "cond",
					"      Tags:\n        - Key: C\n          PropagateAtLaunch: true\n          Value: !If [C20000, yes, no]\n"))
			},
			groups: []string{"cond"},
			gap:    &wantGap{"stack.yaml", limitKinds, []string{"references followed deeper than"}}},

		// Expansion: what a small file asks the evaluator to build.
		{name: "locals-doubling", partial: true,
			make:   func(e hostileEnv) { e.write("double.tf", localsDoubling(64)) },
			groups: []string{"doubled"},
			gap:    &wantGap{"double.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "locals-tuple-doubling", partial: true,
			make: func(e hostileEnv) {
				var b strings.Builder
				b.WriteString("locals {\n  l0 = [\"xxxxxxxx\"]\n")
				for i := 1; i <= 64; i++ {
					fmt.Fprintf(&b, "  l%d = [local.l%d, local.l%d]\n", i, i-1, i-1)
				}
				b.WriteString("}\n")
				e.write("double.tf", b.String()+tfGroupWith("tuples", "tuples", tagOf("Blob", "jsonencode(local.l64)")))
			},
			groups: []string{"tuples"},
			gap:    &wantGap{"double.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "nested-for-1k-cubed", partial: true,
			make: func(e hostileEnv) {
				e.write("for.tf", "locals {\n  r = range(1000)\n  x = [for a in local.r : [for b in local.r : [for c in local.r : c]]]\n}\n"+
					tfGroupWith("for", "for", tagOf("N", "length(local.x)")))
			},
			groups: []string{"for"},
			gap:    &wantGap{"for.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "template-for-over-big-local", partial: true,
			make: func(e hostileEnv) {
				e.write("big.tf", bigLocal+"locals {\n  many = \"%{for i in range(1000)}${local.big}%{endfor}\"\n}\n"+
					tfGroupWith("big", "big", tagOf("N", "length(local.many)")))
			},
			groups: []string{"big"},
			gap:    &wantGap{"big.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "template-parts-over-big-local", partial: true,
			make: func(e hostileEnv) {
				e.write("big.tf", bigLocal+"locals {\n  many = \""+strings.Repeat("${local.big}", 2000)+"\"\n}\n"+
					tfGroupWith("big", "big", tagOf("N", "length(local.many)")))
			},
			groups: []string{"big"},
			gap:    &wantGap{"big.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "replace-amplifies", partial: true,
			make: func(e hostileEnv) {
				e.write("big.tf", bigLocal+tfGroupWith("big", "big", tagOf("N", `length(replace(local.big, "x", local.big))`)))
			},
			groups: []string{"big"},
			gap:    &wantGap{"big.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "format-width", partial: true,
			make: func(e hostileEnv) {
				e.write("fmt.tf", tfGroupWith("fmt", "fmt", tagOf("N", `length(format("%999999999d", 1))`)))
			},
			groups: []string{"fmt"},
			gap:    &wantGap{"fmt.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "indent-amplifies", partial: true,
			make: func(e hostileEnv) {
				e.write("ind.tf", bigLocal+tfGroupWith("ind", "ind", tagOf("N", `length(indent(100000, replace(substr(local.big, 0, 20000), "x", "\n")))`)))
			},
			groups: []string{"ind"},
			gap:    &wantGap{"ind.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "setproduct-huge", partial: true,
			make: func(e hostileEnv) {
				e.write("prod.tf", tfGroupWith("prod", "prod", tagOf("N", `length(setproduct(range(1000), range(1000), range(1000)))`)))
			},
			groups: []string{"prod"},
			gap:    &wantGap{"prod.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "yamldecode-alias-bomb", partial: true,
			make: func(e hostileEnv) {
				e.write("bomb.yaml", yamlAliasBomb(9, 9))
				e.write("yaml.tf", tfGroupWith("yaml", "yaml", tagOf("N", `jsonencode(yamldecode(file("bomb.yaml")))`)))
			},
			groups: []string{"yaml"},
			gap:    &wantGap{"yaml.tf", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "jsondecode-deep", partial: true,
			make: func(e hostileEnv) {
				e.write("deep.json", nest("[", "", "]", 100000))
				e.write("json.tf", tfGroupWith("json", "json", tagOf("N", `length(jsondecode(file("deep.json")))`)))
			},
			groups: []string{"json"},
			gap:    &wantGap{"json.tf", limitKinds, []string{"nested deeper than"}}},
		{name: "templatefile-calls-itself",
			make: func(e hostileEnv) {
				e.write("self.tpl", "x${templatefile(\"self.tpl\", {})}\n")
				e.write("tpl.tf", tfGroupWith("tpl", "tpl", tagOf("Self", `templatefile("self.tpl", {})`)))
			},
			groups: []string{"tpl"},
			gap:    &wantGap{"tpl.tf", []string{inventory.GapUnresolved}, []string{"templatefile"}}},
		{name: "fn-sub-over-huge-parameter", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Parameters:\n  Big:\n    Type: String\n    Default: "+strings.Repeat("x", 900<<10)+"\n", "SubGroup", "sub",
					"      Tags:\n        - Key: Blob\n          PropagateAtLaunch: true\n          Value: !Sub \""+strings.Repeat("${Big}", 2000)+"\"\n"))
			},
			groups: []string{"sub"},
			gap:    &wantGap{"stack.yaml", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "fn-join-over-huge-parameter", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Parameters:\n  Big:\n    Type: String\n    Default: "+strings.Repeat("x", 900<<10)+"\n", "JoinGroup", "join",
					"      Tags:\n        - Key: Blob\n          PropagateAtLaunch: true\n          Value: !Join [\"\", ["+strings.Repeat("!Ref Big, ", 2000)+"x]]\n"))
			},
			groups: []string{"join"},
			gap:    &wantGap{"stack.yaml", limitKinds, []string{"evaluation of", "limit"}}},
		{name: "alias-bomb-cfn-yaml", partial: true,
			make: func(e hostileEnv) {
				e.write("stack.yaml", cfnGroupTemplate("Metadata:\n"+yamlAliasBomb(9, 9), "BombGroup", "bomb",
					"      Tags:\n        - Key: Blob\n          PropagateAtLaunch: true\n          Value: !Join [\"\", *a9]\n"))
			},
			gap: &wantGap{"stack.yaml", limitKinds, []string{"YAML aliases expand to more than"}}},
		{name: "count-huge",
			make: func(e hostileEnv) {
				e.write("count.tf", tfGroupWith("many", "many-${count.index}", "  count = 100000000\n"))
			},
			gap: &wantGap{"count.tf", []string{inventory.GapUnresolved}, []string{"count = 100000000"}}},
		{name: "for-each-huge",
			make: func(e hostileEnv) {
				e.write("each.tf", tfGroupWith("each", "each-${each.key}", "  for_each = toset([for i in range(10000000) : tostring(i)])\n"))
			},
			gap: &wantGap{"each.tf", []string{inventory.GapUnresolved}, []string{"range of more than"}}},

		// Recursion through modules, includes and nested stacks.
		{name: "module-calls-itself", noPartial: true,
			make: func(e hostileEnv) { e.write("self.tf", "module \"self\" {\n  source = \"./\"\n}\n") },
			gap:  &wantGap{"self.tf", []string{inventory.GapUnresolved}, []string{"module.self", "calls itself"}}},
		{name: "modules-call-each-other", noPartial: true,
			make: func(e hostileEnv) {
				e.write("root.tf", "module \"a\" {\n  source = \"./modules/a\"\n}\n")
				e.write("modules/a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n")
				e.write("modules/b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n")
			},
			gap: &wantGap{"modules/b/main.tf", []string{inventory.GapUnresolved}, []string{"module.a", "calls itself"}}},
		{name: "module-chain-300", partial: true,
			make: func(e hostileEnv) {
				e.write("chain.tf", "module \"m0\" {\n  source = \"./m/0\"\n}\n")
				for i := 0; i < 300; i++ {
					e.write(fmt.Sprintf("m/%d/main.tf", i), fmt.Sprintf("module \"next\" {\n  source = \"../%d\"\n}\n", i+1))
				}
				e.write("m/300/main.tf", tfGroupWith("bottom", "bottom", ""))
			},
			gap: &wantGap{"main.tf", limitKinds, []string{"modules nested deeper than"}}},
		{name: "terragrunt-include-cycle",
			make: func(e hostileEnv) {
				e.write("live/a/terragrunt.hcl", "include {\n  path = \"../b/terragrunt.hcl\"\n}\n")
				e.write("live/b/terragrunt.hcl", "include {\n  path = \"../a/terragrunt.hcl\"\n}\n")
			},
			gap: &wantGap{"terragrunt.hcl", []string{inventory.GapUnresolved, inventory.GapNotFound}, []string{"include"}}},
		{name: "terragrunt-includes-itself",
			make: func(e hostileEnv) {
				e.write("live/a/terragrunt.hcl", "include \"root\" {\n  path = \"terragrunt.hcl\"\n}\nterraform {\n  source = \"../../mod\"\n}\n")
				e.write("mod/main.tf", tfGroupWith("tg", "tg", ""))
			},
			groups: []string{"tg"},
			gap:    &wantGap{"live/a/terragrunt.hcl", []string{inventory.GapUnresolved, inventory.GapNotFound}, []string{"include"}}},
		{name: "terragrunt-read-config-cycle",
			make: func(e hostileEnv) {
				e.write("live/a/terragrunt.hcl", "locals {\n  b = read_terragrunt_config(\"../b/terragrunt.hcl\")\n}\ninputs = {\n  x = local.b\n}\n")
				e.write("live/b/terragrunt.hcl", "locals {\n  a = read_terragrunt_config(\"../a/terragrunt.hcl\")\n}\ninputs = {\n  x = local.a\n}\n")
			}},

		// Only what it was given: links and paths out of the folder are refused.
		{name: "link-tf-outside", partial: true,
			make: func(e hostileEnv) { e.link("outside.tf", "../outside/outside.tf") },
			gap:  &wantGap{"outside.tf", unreadKinds, []string{"outside the folders given"}}},
		{name: "link-cfn-outside", partial: true,
			make: func(e hostileEnv) { e.link("stack.yaml", filepath.Join(e.outside, "stack.yaml")) },
			gap:  &wantGap{"stack.yaml", unreadKinds, []string{"outside the folders given"}}},
		{name: "link-dir-outside-iac", partial: true,
			make: func(e hostileEnv) { e.link("envs", "../outside/mod") },
			gap:  &wantGap{"envs", unreadKinds, []string{"outside the folders given"}}},
		{name: "link-tf-inside",
			make: func(e hostileEnv) {
				e.write("real/inside.tf", tfGroupWith("inside", "inside", ""))
				e.link("alias.tf", "real/inside.tf")
			},
			// The link is a file of the root module, and real/ a module of its own.
			groups: []string{"inside (root module)", "inside (real)"}},
		{name: "file-relative-outside",
			make: func(e hostileEnv) {
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("../outside/secret.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders"}}},
		{name: "file-absolute-outside",
			make: func(e hostileEnv) {
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("`+filepath.ToSlash(filepath.Join(e.outside, "secret.txt"))+`")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"absolute paths are not read"}}},
		{name: "file-link-outside",
			make: func(e hostileEnv) {
				e.link("notes.txt", "../outside/secret.txt")
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("notes.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders given"}}},
		{name: "templatefile-link-outside",
			make: func(e hostileEnv) {
				e.link("boot.tpl", "../outside/secret.txt")
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `templatefile("boot.tpl", {})`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders given"}}},
		{name: "filebase64-link-outside",
			make: func(e hostileEnv) {
				e.link("blob.bin", "../outside/secret.txt")
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `base64decode(filebase64("blob.bin"))`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders given"}}},
		{name: "file-folder-link-outside",
			make: func(e hostileEnv) {
				e.link("conf", "../outside")
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("conf/secret.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders given"}}},
		{name: "terragrunt-include-outside",
			make: func(e hostileEnv) {
				e.write("live/a/terragrunt.hcl", "include {\n  path = \"../../../outside/terragrunt.hcl\"\n}\nterraform {\n  source = \"../../mod\"\n}\n")
				e.write("mod/main.tf", tfGroupWith("tg", "tg", ""))
			},
			groups: []string{"tg"},
			gap:    &wantGap{"live/a/terragrunt.hcl", []string{inventory.GapNotFound}, []string{"not in the folders read"}}},
		{name: "terragrunt-read-config-link-outside",
			make: func(e hostileEnv) {
				e.link("live/common.hcl", "../../outside/terragrunt.hcl")
				e.write("live/a/terragrunt.hcl", "locals {\n  common = read_terragrunt_config(find_in_parent_folders(\"common.hcl\"))\n}\n"+
					"terraform {\n  source = \"../../mod\"\n}\ninputs = {\n  name = local.common.inputs.name\n}\n")
				e.write("mod/main.tf", "variable \"name\" {\n  default = \"x\"\n}\n"+tfGroupWith("tg", "tg-${var.name}", ""))
			},
			gap: &wantGap{"live/common.hcl", unreadKinds, []string{"outside the folders given"}}},
		{name: "terragrunt-file-link-outside",
			make: func(e hostileEnv) {
				e.link("live/a/notes.txt", "../../../outside/secret.txt")
				e.write("live/a/terragrunt.hcl", "terraform {\n  source = \"../../mod\"\n}\ninputs = {\n  name = file(\"notes.txt\")\n}\n")
				e.write("mod/main.tf", "variable \"name\" {\n  default = \"x\"\n}\n"+tfGroupWith("tg", "tg", tagOf("Note", "var.name")))
			},
			groups: []string{"tg"}},
		{name: "cfn-nested-stack-outside",
			make: func(e hostileEnv) {
				e.write("parent.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../outside/stack.yaml\n")
			},
			gap: &wantGap{"parent.yaml", []string{inventory.GapUnresolved}, []string{"Child"}}},
		{name: "cfn-nested-stack-link-outside", partial: true,
			make: func(e hostileEnv) {
				e.link("child/stack.yaml", filepath.Join(e.outside, "stack.yaml"))
				e.write("parent.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://s3.amazonaws.com/b/child/stack.yaml\n")
			},
			gap: &wantGap{"child/stack.yaml", unreadKinds, []string{"outside the folders given"}}},
		{name: "module-source-outside",
			make: func(e hostileEnv) { e.write("mod.tf", "module \"out\" {\n  source = \"../outside/mod\"\n}\n") },
			gap:  &wantGap{"mod.tf", []string{inventory.GapNotFound}, []string{"outside/mod"}}},

		// Only regular files are opened.
		{name: "fifo-tf", partial: true, special: true,
			make: func(e hostileEnv) { mkfifo(e.t, filepath.Join(e.in, "pipe.tf")) },
			gap:  &wantGap{"pipe.tf", unreadKinds, []string{"not a regular file"}}},
		{name: "fifo-cfn", partial: true, special: true,
			make: func(e hostileEnv) { mkfifo(e.t, filepath.Join(e.in, "stack.yaml")) },
			gap:  &wantGap{"stack.yaml", unreadKinds, []string{"not a regular file"}}},
		{name: "socket-tf", partial: true, special: true,
			make: func(e hostileEnv) { mksocket(e.t, filepath.Join(e.in, "sock.tf")) },
			gap:  &wantGap{"sock.tf", unreadKinds, []string{"not a regular file"}}},
		{name: "link-tf-dev-zero", partial: true, special: true,
			make: func(e hostileEnv) { e.link("zero.tf", "/dev/zero") },
			gap:  &wantGap{"zero.tf", unreadKinds, []string{"outside the folders given"}}},
		{name: "file-fifo", special: true,
			make: func(e hostileEnv) {
				mkfifo(e.t, filepath.Join(e.in, "pipe.txt"))
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("pipe.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"not a regular file"}}},
		{name: "file-dev-zero", special: true,
			make: func(e hostileEnv) {
				e.link("zero.txt", "/dev/zero")
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("zero.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"outside the folders given"}}},
		{name: "file-huge",
			make: func(e hostileEnv) {
				f, err := os.Create(filepath.Join(e.in, "big.txt"))
				if err != nil {
					e.t.Fatal(err)
				}
				f.Truncate(64 << 20)
				f.Close()
				e.write("file.tf", tfGroupWith("f", "f", tagOf("Note", `file("big.txt")`)))
			},
			gap: &wantGap{"file.tf", []string{inventory.GapUnresolved}, []string{"over"}}},
		{name: "huge-tf-over-limit", partial: true,
			make: func(e hostileEnv) {
				e.write("huge.tf", strings.Repeat("# padding padding padding padding padding padding padding\n", 10<<20/58+1000))
			},
			gap: &wantGap{"huge.tf", []string{inventory.GapTooLarge}, []string{"limit"}}},

		// Not UTF-8: decoded, or reported, never dropped without a word.
		{name: "binary-tf", partial: true,
			make: func(e hostileEnv) { e.put(e.in, "noise.tf", randomBytes(32<<10, 3)) },
			gap:  &wantGap{"noise.tf", []string{inventory.GapBinary}, []string{"not text"}}},
		{name: "nul-in-tf", partial: true,
			make: func(e hostileEnv) { e.write("nul.tf", "# a\x00b\n"+tfGroupWith("nul", "nul-asg", "")) },
			gap:  &wantGap{"nul.tf", []string{inventory.GapBinary}, []string{"NUL"}}},
		{name: "latin1-tf-comment", partial: true,
			make:   func(e hostileEnv) { e.write("latin1.tf", "# r\xe9sum\xe9\n"+tfGroupWith("latin", "latin1-asg", "")) },
			groups: []string{"latin1-asg"},
			gap:    &wantGap{"latin1.tf", []string{inventory.GapEncoding}, []string{"Windows-1252"}}},
		{name: "latin1-tf-string", partial: true,
			make: func(e hostileEnv) {
				// %q would escape the byte; the file must hold it raw, as a Windows editor saves it.
				e.write("latin1.tf", strings.Replace(tfGroupWith("latin", "cafE9-asg", ""), "cafE9", "caf\xe9", 1))
			},
			groups: []string{"café-asg"},
			gap:    &wantGap{"latin1.tf", []string{inventory.GapEncoding}, []string{"line 2"}}},
		{name: "utf16le-tf", noPartial: true,
			make:   func(e hostileEnv) { e.put(e.in, "utf16.tf", utf16Text(tfGroupWith("u16", "utf16-asg", ""), false)) },
			groups: []string{"utf16-asg"}},
		{name: "utf16be-tf", noPartial: true,
			make:   func(e hostileEnv) { e.put(e.in, "utf16.tf", utf16Text(tfGroupWith("u16", "utf16-asg", ""), true)) },
			groups: []string{"utf16-asg"}},
		{name: "utf8-bom-tf", noPartial: true,
			make:   func(e hostileEnv) { e.write("bom.tf", "\ufeff"+tfGroupWith("bom", "bom-asg", "")) },
			groups: []string{"bom-asg"}},
		{name: "utf16le-cfn", noPartial: true,
			make: func(e hostileEnv) {
				e.put(e.in, "stack.yaml", utf16Text(cfnGroupTemplate("", "U16Group", "utf16-cfn", ""), false))
			},
			groups: []string{"utf16-cfn"}},
		{name: "binary-yaml-not-cfn", noPartial: true,
			make: func(e hostileEnv) { e.put(e.in, "logo.yaml", randomBytes(4096, 5)) }},
	}
}

func TestHostileInput(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.special && !specialFiles {
				t.Skip("FIFOs and sockets are made only on Unix")
			}
			root := t.TempDir()
			if *hostileOut != "" {
				root = filepath.Join(*hostileOut, tc.name)
				if err := os.MkdirAll(root, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			e := hostileEnv{t: t, in: filepath.Join(root, "in"), outside: filepath.Join(root, "outside")}
			e.put(e.outside, "secret.txt", []byte(outsideCanary+"\n"))
			e.put(e.outside, "outside.tf", []byte(tfGroupWith("outside", outsideCanary, "")))
			e.put(e.outside, "mod/main.tf", []byte(tfGroupWith("outsidemod", outsideCanary+"-mod", "")))
			e.put(e.outside, "stack.yaml", []byte(cfnGroupTemplate("", "OutsideGroup", outsideCanary, "")))
			e.put(e.outside, "terragrunt.hcl", []byte("inputs = {\n  name = \""+outsideCanary+"\"\n}\n"))
			e.write("good.tf", tfGroupWith("good", goodGroup, ""))
			tc.make(e)
			if *hostileOut != "" {
				return
			}

			// Generous: a case that hangs fails here rather than holding the test run.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			est, err := iac.Read(ctx, []string{e.in}, withDecoder(iac.Options{}))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, name := range append([]string{goodGroup}, tc.groups...) {
				if !hasGroup(est, name) {
					t.Errorf("no group %q; gaps:\n%s", name, gapList(est))
				}
			}
			data, err := json.Marshal(est)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(outsideCanary)) {
				t.Errorf("text from outside the folder read is in the estate")
			}
			if g := tc.gap; g != nil && !hasGapLike(est, *g) {
				t.Errorf("no %v gap at %s saying %q; gaps:\n%s", g.kinds, g.path, g.says, gapList(est))
			}
			partial := false
			for _, g := range est.Coverage {
				// As gather decides it: a gap that is not a value left unknown.
				if g.Kind != inventory.GapUnresolved && g.Kind != inventory.GapNotFound {
					partial = true
				}
			}
			if tc.partial && !partial {
				t.Errorf("the run is not partial; gaps:\n%s", gapList(est))
			}
			if tc.noPartial && partial {
				t.Errorf("the run is partial, but nothing that exists was missed; gaps:\n%s", gapList(est))
			}
		})
	}
}

func hasGapLike(est *inventory.Estate, w wantGap) bool {
	for _, g := range est.Coverage {
		if !strings.HasSuffix(g.Path, w.path) {
			continue
		}
		kindOK := false
		for _, k := range w.kinds {
			kindOK = kindOK || g.Kind == k
		}
		says := true
		for _, s := range w.says {
			says = says && strings.Contains(g.Message, s)
		}
		if kindOK && says {
			return true
		}
	}
	return false
}

func gapList(est *inventory.Estate) string {
	var b strings.Builder
	for _, g := range est.Coverage {
		msg := g.Message
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		fmt.Fprintf(&b, "  %s:%d %s: %s\n", g.Path, g.Line, g.Kind, msg)
	}
	return b.String()
}

func hasGroup(est *inventory.Estate, name string) bool {
	for _, g := range est.Groups {
		if g.Name == name {
			return true
		}
	}
	return false
}
