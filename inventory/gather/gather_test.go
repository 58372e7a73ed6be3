package gather_test

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/inventory/iac"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSourcesThatAreTheCallersFault(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "estate.json")
	if err := os.WriteFile(file, []byte("{ not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		src  gather.Sources
		want string
	}{
		{"two sources of AWS facts", gather.Sources{Demo: true, IaC: []string{dir}}, "one source of AWS facts"},
		{"nothing at all", gather.Sources{}, "nothing to read"},
		{"a scripts folder that does not exist", gather.Sources{Scripts: []string{filepath.Join(dir, "nope")}}, "scripts folder"},
		{"a file given as an IaC folder", gather.Sources{IaC: []string{file}}, "not a directory"},
		{"a snapshot that is not one", gather.Sources{Snapshot: file}, "estate.json"},
		{"a snapshot that does not exist", gather.Sources{Snapshot: filepath.Join(dir, "missing.json")}, "missing.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gather.Estate(context.Background(), tc.src)
			if !errors.Is(err, gather.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a usage error saying %q", err, tc.want)
			}
		})
	}
}

// The demo gathered is what every command sees: scripts read, user data read once, links
// made, everything sorted.
func TestDemo(t *testing.T) {
	res, err := gather.Estate(context.Background(), gather.Sources{Demo: true, Client: "Renamed Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Estate
	if res.Partial != "" || e.Client != "Renamed Ltd" || len(e.Groups) == 0 || e.ScriptStats == nil || e.ScriptStats.FilesRead == 0 {
		t.Fatalf("partial %q, client %q, %d groups, stats %+v", res.Partial, e.Client, len(e.Groups), e.ScriptStats)
	}
	userData, linked := 0, 0
	for _, s := range e.Scripts {
		if s.Kind == inventory.ScriptUserData {
			userData++
		}
		if len(s.Links) > 0 {
			linked++
		}
	}
	if userData == 0 || linked == 0 {
		t.Errorf("%d user data scripts, %d linked scripts; want both", userData, linked)
	}
	// Gathering twice gives the same estate: user data and links are derived, not added.
	again, err := gather.Estate(context.Background(), gather.Sources{Estate: e})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := inventory.Encode(e)
	b, _ := inventory.Encode(again.Estate)
	if string(a) != string(b) {
		t.Errorf("gathering a gathered estate again changed it")
	}
}

// Code alone gives an estate that says so, dated by the run.
func TestScriptsAlone(t *testing.T) {
	dir := writeTree(t, map[string]string{"boot.sh": "#!/bin/bash\nyum install -y postgresql-server\n"})
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	res, err := gather.Estate(context.Background(), gather.Sources{Scripts: []string{dir}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Estate
	if e.Source != inventory.SourceCode || !e.CollectedAt.Equal(now) || len(e.Scripts) != 1 || len(e.Scripts[0].Facts) == 0 {
		t.Errorf("source %q at %v, scripts %+v", e.Source, e.CollectedAt, e.Scripts)
	}
}

// Infrastructure code that cannot be read makes the run partial; user data that is not
// text becomes a gap at its line, read through the same decoder as AWS's, never kept raw.
func TestInfrastructureCode(t *testing.T) {
	binary := base64.StdEncoding.EncodeToString([]byte("\x00\x01\x02binary\xff\xfe"))
	dir := writeTree(t, map[string]string{
		"main.tf": `resource "aws_launch_template" "web" {
  image_id  = "ami-0123456789abcdef0"
  user_data = "` + binary + `"
}

resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = 2
  launch_template {
    id = aws_launch_template.web.id
  }
}
`,
		"broken.tf": "resource \"aws_autoscaling_group\" \"x\" {\n",
	})
	res, err := gather.Estate(context.Background(), gather.Sources{IaC: []string{dir}, IaCOptions: iacRegion()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Partial, "infrastructure code could not be read") {
		t.Errorf("partial %q, want the broken file counted", res.Partial)
	}
	var gap *inventory.CoverageGap
	for i, g := range res.Estate.Coverage {
		if g.Path == "main.tf" && g.Kind == inventory.GapEncoding {
			gap = &res.Estate.Coverage[i]
		}
	}
	if gap == nil || gap.Line != 3 || !strings.Contains(gap.Message, "binary") {
		t.Errorf("gap %+v, want an encoding gap at main.tf:3 saying the user data is binary (coverage %+v)", gap, res.Estate.Coverage)
	}
	for _, g := range res.Estate.Groups {
		if g.Launch.UserData != "" {
			t.Errorf("group %s keeps user data %q that could not be decoded", g.Name, g.Launch.UserData)
		}
	}
}

func iacRegion() iac.Options {
	return iac.Options{DefaultRegion: "eu-west-1", DefaultAccount: "111122223333"}
}

// A template that makes its groups' image of an instance it configures: the instance's work
// is one derived script of kind image-builder, holding the facts on its lines only and
// linked to the group whose launch configuration takes that image; read twice, the estate
// does not get it twice.
func TestImageBuilderOfATemplate(t *testing.T) {
	dir := writeTree(t, map[string]string{"cfn/shop.yaml": `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ShopBuilder:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          packages:
            yum:
              php-fpm: []
    Properties:
      ImageId: ami-0123456789abcdef0
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource ShopBuilder
  MakeShopAMI:
    Type: Custom::CreateAMI
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:111122223333:function:make-ami
      InstanceId: !Ref ShopBuilder
  ShopLC:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: !GetAtt MakeShopAMI.ImageId
      InstanceType: t3.small
  ShopGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: shop
      LaunchConfigurationName: !Ref ShopLC
      MinSize: '2'
      MaxSize: '4'
  Other:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          packages:
            yum:
              postgresql-server: []
    Properties:
      ImageId: ami-0123456789abcdef0
`})
	src := gather.Sources{IaC: []string{dir}, IaCOptions: iacRegion(), Scripts: []string{dir}}
	res, err := gather.Estate(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var builders []inventory.Script
	for _, s := range res.Estate.Scripts {
		if s.Kind == inventory.ScriptImageBuilder {
			builders = append(builders, s)
		}
	}
	if len(builders) != 1 {
		t.Fatalf("image builder scripts %+v, want one", builders)
	}
	b := builders[0]
	if len(b.Links) != 1 || b.Links[0].Reason != inventory.LinkImageBuilder || !strings.HasSuffix(b.Links[0].Workload, "/shop") {
		t.Errorf("links %+v, want the shop group's, as its image's builder", b.Links)
	}
	var names []string
	for _, f := range b.Facts {
		names = append(names, f.Detail())
		if f.Evidence.File != "cfn/shop.yaml" || f.Evidence.Line < 3 || f.Evidence.Line > 16 {
			t.Errorf("fact %+v is not on the builder's lines", f)
		}
	}
	if !strings.Contains(strings.Join(names, ","), "php-fpm") || strings.Contains(strings.Join(names, ","), "postgresql") {
		t.Errorf("builder facts %q: want php-fpm, never the other instance's postgresql", names)
	}
}
