package scripts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/internal/limits"
)

// hclShallowHolds checks the one property the fast path rests on: where hclShallow gives
// a bound, limits.HCL's own measure is within it.
func hclShallowHolds(t *testing.T, name string, src []byte) bool {
	t.Helper()
	bound, ok := hclShallow(src, limits.Depth)
	if !ok || limits.MayHoldLargeNumber(src) {
		// checkPackerHCL lexes such a file: the byte scan for numbers too large to write
		// out covers what hclShallow does not measure.
		return false
	}
	if err := limits.HCL(src, name, max(bound, 1), limits.Tokens); err != nil {
		t.Errorf("%s: bound %d, but limits.HCL says %v", name, bound, err)
	}
	return true
}

var hclDepthCases = map[string]string{
	"packer": "source \"amazon-ebs\" \"app\" {\n  ami_name = \"app-${local.ts}\"\n  tags = { Name = \"x\" }\n}\n" +
		"build {\n  sources = [\"source.amazon-ebs.app\"]\n  provisioner \"shell\" {\n    inline = [\n" +
		"      \"sudo apt-get install -y nginx\", # a comment with \" and ] in it\n" +
		"      \"echo \\\"${var.a[0]}\\\" > /etc/x\", // another }\n    ]\n  }\n}\n",
	"operators":                        "a = 1 + 2 * 3 - -4 / 5 % 6\nb = x.y.z[0][1][2]\nc = p ? q : r ? s : t\nd = !!!e && f || g\n",
	"nested brackets":                  "a = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
	"objects in interpolations":        "a = \"${ {k = \"v\"}.k }\"\n",
	"calls":                            "a = max(1, min(2, 3), length([for x in y : x]))\n",
	"deep brackets":                    "a = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n",
	"deep chain":                       "a = x" + strings.Repeat(".y", 300) + "\n",
	"deep interpolations":              "a = " + strings.Repeat("\"${", 150) + "x" + strings.Repeat("}\"", 150) + "\n",
	"mismatched":                       "a = [ ( ] )\n",
	"interpolation ended by a bracket": "a = \"${ ] }\"\n",
	"heredoc":                          "a = <<EOT\n${ [ }\nEOT\n",
	"comment in a string":              "a = \"# not a comment ]\"\n",
	"escapes":                          "a = \"\\\\\" \nb = \"\\\"]]]\"\n",
	"odd escape":                       "a = \"\\$${x}\"\n",
}

// TestHCLShallowBoundsTheMeasure checks the bound against limits.HCL on hand-written
// cases, the repository's HCL and the corpus's: wherever the scan gives a bound, the
// lexer's measure is within it; the deep cases are never called shallow.
func TestHCLShallowBoundsTheMeasure(t *testing.T) {
	for name, src := range hclDepthCases {
		hclShallowHolds(t, name, []byte(src))
	}
	for _, name := range []string{"deep brackets", "deep chain", "deep interpolations", "mismatched", "interpolation ended by a bracket", "heredoc"} {
		if _, ok := hclShallow([]byte(hclDepthCases[name]), limits.Depth); ok {
			t.Errorf("%s: called shallow", name)
		}
	}
	if !hclShallowHolds(t, "packer", []byte(hclDepthCases["packer"])) {
		t.Error("a plain Packer template is not proved shallow: the fast path never runs")
	}
	read, proved := 0, 0
	for _, root := range []string{"testdata", "../iac/testdata", "../../../shared/corpus"} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".hcl") || strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars")) {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			read++
			if hclShallowHolds(t, p, src) {
				proved++
			}
			return nil
		})
	}
	t.Logf("%d of %d HCL files proved shallow without lexing", proved, read)
}

func FuzzHCLShallow(f *testing.F) {
	for _, src := range hclDepthCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		hclShallowHolds(t, "fuzz.hcl", []byte(src))
	})
}
