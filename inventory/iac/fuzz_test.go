package iac

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"whyk8s/internal/limits"
)

// fuzzOptions bound each input's evaluation well under the fuzzer's ten seconds for an
// input before it calls the worker hung: a for inside a for inside a for stops on the
// clock, as it would on a slow machine.
var fuzzOptions = Options{Bounds: limits.Bounds{Units: 4 << 20, Time: 2 * time.Second}}

// seeds adds every fixture file matching the patterns to the corpus.
func seeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		matches, _ := filepath.Glob(filepath.Join("testdata", p))
		for _, m := range matches {
			if src, err := os.ReadFile(m); err == nil {
				f.Add(src)
			}
		}
	}
}

// FuzzTerraform: any bytes as a .tf file give an estate or gaps, never a panic or a hang.
func FuzzTerraform(f *testing.F) {
	seeds(f, "envs/prod/*.tf", "modules/web-asg/*.tf")
	hostileSeeds(f, "terraform")
	// ct_config and the IP network functions, with a function whyk8s does not compute.
	f.Add([]byte(`data "ct_config" "n" {
  content = "variant: fcos\nversion: 1.5.0\n# ${cidrhost("10.3.0.0/16", -2)} ${cidrsubnet("fd00::/48", 16, 3)} ${md5("x")}\n"
}
resource "aws_launch_template" "lt" {
  image_id  = "ami-0123456789abcdef0"
  user_data = base64encode(data.ct_config.n.rendered)
}
resource "aws_autoscaling_group" "g" {
  name     = "g"
  min_size = length(cidrnetmask("10.0.0.0/20"))
  max_size = 2
  launch_template { id = aws_launch_template.lt.id }
}
`))
	f.Fuzz(func(t *testing.T, src []byte) {
		b := &builder{}
		dir := t.TempDir()
		files := []*sourceFile{{rel: "main.tf", dir: ".", disk: filepath.Join(dir, "main.tf"), kind: kindTF, src: src}}
		if err := readTerraform(context.Background(), files, newTree([]string{dir}), fuzzOptions, b); err != nil {
			t.Fatal(err)
		}
		est := newEstate()
		b.estate(est)
		if _, err := json.Marshal(est); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzCloudFormation: any bytes as a template give an estate or gaps, never a panic or a hang.
func FuzzCloudFormation(f *testing.F) {
	seeds(f, "cfn/*")
	hostileSeeds(f, "cloudformation")
	f.Fuzz(func(t *testing.T, src []byte) {
		b := &builder{}
		files := []*sourceFile{{rel: "t.yaml", dir: ".", kind: kindCFN, src: src}}
		if err := readCloudFormation(context.Background(), files, fuzzOptions, b); err != nil {
			t.Fatal(err)
		}
		est := newEstate()
		b.estate(est)
		if _, err := json.Marshal(est); err != nil {
			t.Fatal(err)
		}
	})
}
