package iac

import (
	"fmt"
	"strings"
	"testing"
)

// hostileSeeds adds to a fuzz target's corpus the shapes of the hostile-input suite
// (hostile/), for the fuzzer to mutate and grow: deep nesting, locals that double, a
// module that calls itself, YAML aliases and alias cycles, Fn::Sub over a large parameter
// — each at a small size and at the full size the guards stop (issue 12): seeds run with
// every go test, so these stay in CI as regression cases.
func hostileSeeds(f *testing.F, syntax string) {
	f.Helper()
	const depth = 500
	nest := func(open, inner, close string) string {
		return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
	}
	deep := func(open, inner, close string, n int) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	switch syntax {
	case "terraform":
		f.Add([]byte("locals {\n  x = " + deep("[", "", "]", 70000) + "\n}\n"))
		f.Add([]byte("locals {\n  x = " + deep("(", "1", ")", 70000) + "\n}\n"))
		f.Add([]byte("locals {\n  x = " + strings.Repeat("!", 100000) + "true\n}\n"))
		f.Add([]byte("locals {\n  x = " + deep(`"${`, "1", `}"`, 30000) + "\n}\n"))
		var d strings.Builder
		d.WriteString("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
		for i := 1; i <= 64; i++ {
			fmt.Fprintf(&d, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
		}
		d.WriteString("}\nresource \"aws_autoscaling_group\" \"d\" {\n  name = local.l64\n  min_size = 1\n  max_size = 1\n}\n")
		f.Add([]byte(d.String()))
		f.Add([]byte("locals {\n  r = range(1000)\n  x = [for a in local.r : [for b in local.r : [for c in local.r : c]]]\n}\n" +
			"resource \"aws_autoscaling_group\" \"f\" {\n  name = \"f-${length(local.x)}\"\n  min_size = 1\n  max_size = 1\n}\n"))
		f.Add([]byte("locals {\n  x = " + nest("[", "", "]") + "\n}\n"))
		f.Add([]byte("locals {\n  x = " + nest("{a=", "1", "}") + "\n}\n"))
		f.Add([]byte("locals {\n  x = <<EOT\n" + nest("%{ if true }", "x", "%{ endif }") + "\nEOT\n}\n"))
		var b strings.Builder
		b.WriteString("locals {\n  l0 = \"xx\"\n")
		for i := 1; i <= 12; i++ {
			fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
		}
		b.WriteString("}\nresource \"aws_autoscaling_group\" \"d\" {\n  name = local.l12\n  min_size = 1\n  max_size = 1\n}\n")
		f.Add([]byte(b.String()))
		f.Add([]byte("module \"self\" {\n  source = \"./\"\n}\n"))
	case "cloudformation":
		f.Add([]byte("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  X: " + deep("[", "", "]", 100000) + "\nResources: {}\n"))
		f.Add([]byte(`{"AWSTemplateFormatVersion":"2010-09-09","Metadata":{"X":` + deep("[", "", "]", 100000) + `},"Resources":{}}`))
		f.Add([]byte("Metadata:\n  Loop: &loop [*loop]\nResources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      Tags:\n        - Key: k\n          Value: !Join [\"\", *loop]\n"))
		var bomb strings.Builder
		bomb.WriteString("Metadata:\n  a0: &a0 [\"lol\"]\n")
		for i := 1; i <= 9; i++ {
			fmt.Fprintf(&bomb, "  a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", "))
		}
		bomb.WriteString("Resources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      Tags:\n        - Key: k\n          Value: !Join [\"\", *a9]\n")
		f.Add([]byte(bomb.String()))
		f.Add([]byte("Parameters:\n  Big:\n    Type: String\n    Default: " + strings.Repeat("x", 900<<10) + "\nResources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n" +
			"      Tags:\n        - Key: k\n          Value: !Sub \"" + strings.Repeat("${Big}", 2000) + "\"\n"))
		f.Add([]byte("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  X: " + nest("[", "", "]") + "\nResources: {}\n"))
		f.Add([]byte("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  a0: &a0 [\"lol\"]\n  a1: &a1 [*a0, *a0, *a0, *a0]\n  a2: &a2 [*a1, *a1, *a1, *a1]\n" +
			"Resources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: \"1\"\n      MaxSize: \"1\"\n      Tags:\n        - Key: k\n          PropagateAtLaunch: true\n          Value: !Join [\"\", *a2]\n"))
	}
}
