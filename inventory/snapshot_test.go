package inventory_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
)

func sampleEstate() *inventory.Estate {
	return &inventory.Estate{
		Client:      "Example Ltd",
		CollectedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Source:      "aws",
		Accounts:    []inventory.Account{{ID: "222222222222", Regions: []string{"eu-west-1"}}, {ID: "111111111111", Regions: []string{"us-east-1", "eu-west-1"}}},
		Groups: []inventory.AutoScalingGroup{
			{Name: "web", Account: "222222222222", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-1"}, Tags: map[string]string{"b": "2", "a": "1"}},
			{Name: "api", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-2"}},
		},
		Coverage: []inventory.CoverageGap{{Account: "111111111111", Region: "us-east-1", Service: "autoscaling", Operation: "DescribeAutoScalingGroups", Kind: inventory.GapAccessDenied, Message: "denied"}},
	}
}

// A snapshot written and read back is the same estate, and encoding is canonical: the
// order the APIs returned things in does not change a byte.
func TestSnapshotRoundTripAndCanonicalOrder(t *testing.T) {
	a, b := sampleEstate(), sampleEstate()
	b.Groups[0], b.Groups[1] = b.Groups[1], b.Groups[0]
	b.Accounts[0], b.Accounts[1] = b.Accounts[1], b.Accounts[0]
	da, err := inventory.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := inventory.Encode(b)
	if !bytes.Equal(da, db) {
		t.Fatalf("same estate in another order encodes differently:\n%s\n---\n%s", da, db)
	}
	if !bytes.Contains(da, []byte(`"schemaVersion": 2`)) {
		t.Errorf("snapshot lacks \"schemaVersion\": 2:\n%s", da)
	}
	back, err := inventory.Decode("estate.json", da)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := inventory.Encode(back)
	if !bytes.Equal(da, again) {
		t.Errorf("decode+encode changed the snapshot:\n%s\n---\n%s", da, again)
	}
}

func TestSnapshotErrorsNameFileAndProblem(t *testing.T) {
	valid, _ := inventory.Encode(sampleEstate())
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", ``, []string{"estate.json", "malformed JSON"}},
		{"truncated", string(valid[:len(valid)/2]), []string{"estate.json", "malformed JSON"}},
		{"syntax error with line", "{\n  \"schemaVersion\": 1,\n  \"client\": oops\n}", []string{"estate.json:3", "malformed JSON"}},
		{"not a snapshot", `{"hello": "world"}`, []string{"estate.json", `"schemaVersion"`}},
		{"future version", `{"schemaVersion": 9, "collectedAt": "2026-01-01T00:00:00Z"}`, []string{"schemaVersion 9 is not supported", "versions 1 to 2"}},
		{"a version-2 fact written as version 1", `{"schemaVersion": 2, "collectedAt": "2026-01-01T00:00:00Z", "scripts": [{"path": "a.sh", "kind": "shell", "bytes": 1, "facts": [{"kind": "database", "detail": "mysql", "evidence": {}}]}]}`, []string{`"detail"`}},
		{"a version-1 fact written as version 2", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "scripts": [{"path": "a.sh", "kind": "shell", "bytes": 1, "facts": [{"kind": "database", "name": "mysql", "evidence": {}}]}]}`, []string{`"name"`}},
		{"missing collectedAt", `{"schemaVersion": 1, "source": "aws"}`, []string{`"collectedAt"`}},
		{"group without name", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "autoScalingGroups": [{"account": "1", "region": "r"}]}`, []string{"autoScalingGroups[0]", `"name"`}},
		{"group without region", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "autoScalingGroups": [{"name": "web", "account": "1"}]}`, []string{"(web)", `"region"`}},
		{"wrong type", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "autoScalingGroups": [{"name": "web", "minSize": "two"}]}`, []string{"minSize", "int"}},
		{"unknown field", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "autoScalingGroup": []}`, []string{"autoScalingGroup"}},
		{"duplicate group", `{"schemaVersion": 1, "collectedAt": "2026-01-01T00:00:00Z", "autoScalingGroups": [{"name": "w", "account": "1", "region": "r"}, {"name": "w", "account": "1", "region": "r"}]}`, []string{"duplicate group 1/r/w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inventory.Decode("estate.json", []byte(tt.data))
			if err == nil {
				t.Fatal("bad snapshot accepted")
			}
			if !errors.Is(err, inventory.ErrBadSnapshot) {
				t.Errorf("error %v is not ErrBadSnapshot (the CLI maps that to exit 2)", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := inventory.LoadFile(filepath.Join(t.TempDir(), "nope.json"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestEvidenceString(t *testing.T) {
	for _, tt := range []struct {
		e    inventory.Evidence
		want string
	}{
		{inventory.Evidence{File: "ansible/site.yml", Line: 12}, "ansible/site.yml:12"},
		{inventory.Evidence{File: "packer/manifest.json"}, "packer/manifest.json"},
		{inventory.Evidence{ARN: "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:x", Field: "HealthCheckType", Value: "EC2"}, "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:x HealthCheckType=EC2"},
		{inventory.Evidence{Field: "TargetGroup.Attributes[stickiness.enabled]", Value: "true"}, "TargetGroup.Attributes[stickiness.enabled]=true"},
	} {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
	}
}
