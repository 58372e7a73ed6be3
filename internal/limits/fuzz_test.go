package limits_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	yaml "go.yaml.in/yaml/v3"

	"whyk8s/internal/limits"
)

// FuzzHCL: whatever limits.HCL lets through, hclsyntax parses and evaluates without
// overflowing the stack (a stack overflow kills the fuzzer's worker, and is reported as a
// crash). Seeded with the shapes of the hostile suite, at sizes on both sides of the limit.
func FuzzHCL(f *testing.F) {
	f.Add([]byte(realTF))
	for _, n := range []int{limits.Depth / 2, 70000} {
		f.Add([]byte("x = " + nest("[", "", "]", n) + "\n"))
		f.Add([]byte("x = " + nest("{a=", "1", "}", n) + "\n"))
		f.Add([]byte("x = " + nest("(", "1", ")", n) + "\n"))
		f.Add([]byte("x = " + nest(`"${`, "1", `}"`, n) + "\n"))
		f.Add([]byte("x = <<EOT\n" + nest("%{ if true }", "x", "%{ endif }", n) + "\nEOT\n"))
		f.Add([]byte("x = " + strings.Repeat("!", n) + "true\n"))
		f.Add([]byte("x = " + strings.Repeat("true ? 1 : ", n) + "0\n"))
		f.Add([]byte("x = a" + strings.Repeat("[0]", n) + "\n"))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if limits.HCL(src, "f.tf", limits.Depth, limits.Tokens) != nil {
			return
		}
		file, diags := hclsyntax.ParseConfig(src, "f.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		attrs, _ := file.Body.JustAttributes()
		for _, a := range attrs {
			a.Expr.Value(&hcl.EvalContext{})
		}
	})
}

// FuzzYAML: whatever limits.YAML lets through decodes, aliases expanded, within the node
// bound: never an endless or exponential expansion.
func FuzzYAML(f *testing.F) {
	f.Add([]byte("a: &a [1, 2]\nb: [*a, *a]\n"))
	f.Add([]byte("loop: &loop [*loop]\n"))
	f.Add([]byte(aliasBomb(9, 9)))
	f.Add([]byte(aliasBomb(3, 3)))
	f.Add([]byte("x: " + nest("[", "", "]", limits.Depth/2) + "\n"))
	f.Add([]byte("x: " + nest("[", "", "]", 5000) + "\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var doc yaml.Node
		if yaml.Unmarshal(src, &doc) != nil {
			return
		}
		if limits.YAML(&doc, limits.Depth, limits.Nodes) != nil {
			return
		}
		var v any
		if doc.Decode(&v) != nil {
			return
		}
		// Encoding walks the expanded value: bounded by the node count, or this times out.
		if _, err := json.Marshal(v); err != nil {
			return
		}
	})
}
