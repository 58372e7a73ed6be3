package iac

import (
	"fmt"
	"strings"
	"testing"
)

// hostileSeeds adds to a fuzz target's corpus the shapes of the hostile-input suite
// (hostile/) at sizes the reader gets through today, for the fuzzer to mutate and grow:
// deep nesting, locals that double, a module that calls itself, YAML aliases. The
// full-size cases join when the depth guards and evaluation budgets land (issue 12, later
// round): seeds run with every go test, and today those exhaust the stack or the memory.
func hostileSeeds(f *testing.F, syntax string) {
	f.Helper()
	const depth = 500
	nest := func(open, inner, close string) string {
		return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
	}
	switch syntax {
	case "terraform":
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
		f.Add([]byte("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  X: " + nest("[", "", "]") + "\nResources: {}\n"))
		f.Add([]byte("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  a0: &a0 [\"lol\"]\n  a1: &a1 [*a0, *a0, *a0, *a0]\n  a2: &a2 [*a1, *a1, *a1, *a1]\n" +
			"Resources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: \"1\"\n      MaxSize: \"1\"\n      Tags:\n        - Key: k\n          PropagateAtLaunch: true\n          Value: !Join [\"\", *a2]\n"))
	}
}
