package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"whyk8s/report"
)

// runIn runs the command line in dir and returns exit code, stdout and stderr.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func effectiveConfig(t *testing.T, dir string, args ...string) Config {
	t.Helper()
	code, out, errs := runIn(t, dir, append([]string{"config"}, args...)...)
	if code != exitOK {
		t.Fatalf("whyk8s config %v: exit %d: %s", args, code, errs)
	}
	var c Config
	if err := yaml.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("config output is not YAML: %v\n%s", err, out)
	}
	return c
}

// The documented precedence is flags > WHYK8S_* environment > whyk8s.yaml > defaults; a
// consultant's scheduled job depends on a flag overriding what the file says.
func TestConfigPrecedence(t *testing.T) {
	file := "out: from-file\nclient: File Client\naws:\n  regions: [eu-west-1]\n  concurrency: 4\nreport:\n  name: filename\nscoring:\n  weights:\n    FIT-STICKY-SESSIONS: 0\n"
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, c Config)
	}{
		{"defaults without a file", nil, nil, func(t *testing.T, c Config) {
			// no file in this case: see below
		}},
		{"file over defaults", nil, nil, func(t *testing.T, c Config) {
			if c.Out != "from-file" || c.AWS.Concurrency != 4 || c.Client != "File Client" {
				t.Errorf("file values not applied: out=%q concurrency=%d client=%q", c.Out, c.AWS.Concurrency, c.Client)
			}
			if c.Log.Format != "text" {
				t.Errorf("default log.format lost: %q", c.Log.Format)
			}
			if w, ok := c.Scoring.Weights["fit-sticky-sessions"]; !ok || w != 0 {
				t.Errorf("scoring.weights from file: %v", c.Scoring.Weights)
			}
		}},
		{"env over file", map[string]string{"WHYK8S_OUT": "from-env", "WHYK8S_AWS_CONCURRENCY": "7", "WHYK8S_AWS_REGIONS": "us-east-1,us-west-2"}, nil, func(t *testing.T, c Config) {
			if c.Out != "from-env" || c.AWS.Concurrency != 7 {
				t.Errorf("env not applied over file: out=%q concurrency=%d", c.Out, c.AWS.Concurrency)
			}
			if len(c.AWS.Regions) != 2 || c.AWS.Regions[1] != "us-west-2" {
				t.Errorf("WHYK8S_AWS_REGIONS as a list: %v", c.AWS.Regions)
			}
			if c.Client != "File Client" {
				t.Errorf("file value lost where env is silent: %q", c.Client)
			}
		}},
		{"flags over env", map[string]string{"WHYK8S_OUT": "from-env", "WHYK8S_AWS_CONCURRENCY": "7"}, []string{"--out", "from-flag", "--regions", "ap-south-1", "--concurrency", "2"}, func(t *testing.T, c Config) {
			if c.Out != "from-flag" || c.AWS.Concurrency != 2 {
				t.Errorf("flags not applied over env: out=%q concurrency=%d", c.Out, c.AWS.Concurrency)
			}
			if len(c.AWS.Regions) != 1 || c.AWS.Regions[0] != "ap-south-1" {
				t.Errorf("--regions over file: %v", c.AWS.Regions)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if i > 0 {
				if err := os.WriteFile(filepath.Join(dir, "whyk8s.yaml"), []byte(file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c := effectiveConfig(t, dir, tt.args...)
			if i == 0 {
				if c.Out != "whyk8s-report" || c.AWS.Concurrency != 32 || !reflect.DeepEqual(c.Report.Formats, report.Formats()) {
					t.Errorf("defaults: out=%q concurrency=%d formats=%v", c.Out, c.AWS.Concurrency, c.Report.Formats)
				}
			}
			tt.check(t, c)
		})
	}
}

func TestConfigFileFlagAndErrors(t *testing.T) {
	dir := t.TempDir()
	custom := filepath.Join(dir, "client-a.yaml")
	if err := os.WriteFile(custom, []byte("out: custom-out\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := effectiveConfig(t, dir, "--config", custom); c.Out != "custom-out" {
		t.Errorf("--config FILE not read: out=%q", c.Out)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("out: [unclosed\n"), 0o644)
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("aws:\n  regoins: [eu-west-1]\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"config", "--config", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"config", "--config", bad}, "bad.yaml"},
		{[]string{"config", "--config", typo}, "regoins"},
		{[]string{"config", "--log-format", "xml"}, "log.format"},
	} {
		code, _, errs := runIn(t, "", tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (usage/bad input)", tc.args, code, exitUsage)
		}
		if !bytes.Contains([]byte(errs), []byte(tc.want)) {
			t.Errorf("%v: stderr %q does not name %q", tc.args, errs, tc.want)
		}
	}
}
