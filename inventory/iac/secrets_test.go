package iac_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/inventory/iac"
)

// A secret's value never leaves the code it is declared in: a variable or parameter named
// for a secret, marked sensitive or NoEcho, is not read, so its default cannot flow into a
// tag, a name or user data and on into a snapshot or report. The group is still read.
func TestSecretValuesAreNotRead(t *testing.T) {
	const canary = "Hunter2-NotForReports"
	for _, tc := range []struct {
		name, file, src string
	}{
		{"terraform variable named for a secret", "main.tf", `variable "db_password" {
  default = "` + canary + `"
}
resource "aws_autoscaling_group" "app" {
  name = "app"
  min_size = 1
  max_size = 2
  launch_configuration = "lc-app"
  tag {
    key                 = "Owner"
    value               = "team-${var.db_password}"
    propagate_at_launch = true
  }
}
`},
		{"terraform variable marked sensitive", "main.tf", `variable "conn" {
  type      = string
  sensitive = true
  default   = "` + canary + `"
}
resource "aws_autoscaling_group" "app" {
  name = "app"
  min_size = 1
  max_size = 2
  launch_configuration = "lc-app"
  tag {
    key                 = "Conn"
    value               = var.conn
    propagate_at_launch = true
  }
}
`},
		{"cloudformation parameter marked NoEcho", "stack.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Blob:
    Type: String
    NoEcho: true
    Default: ` + canary + `
Resources:
  App:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: app
      MinSize: "1"
      MaxSize: "2"
      LaunchConfigurationName: lc-app
      Tags:
        - Key: Owner
          PropagateAtLaunch: true
          Value: !Ref Blob
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			est := gatherIaC(t, []string{dir}, iac.Options{DefaultAccount: "111122223333", DefaultRegion: "eu-west-1"})
			groupNamed(t, est, "app")
			out, err := json.Marshal(est)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), canary) {
				t.Errorf("the secret's value is in the estate:\n%s", out)
			}
		})
	}
}
