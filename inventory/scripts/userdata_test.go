package scripts_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

func TestUserDataText(t *testing.T) {
	mime := "Content-Type: multipart/mixed; boundary=\"b\"\nMIME-Version: 1.0\n\n--b\nContent-Type: text/x-shellscript\n\n#!/bin/bash\nexport API_KEY=s3cretvalue99\n--b--\n"
	tests := []struct {
		name    string
		raw     []byte
		want    string
		wantErr bool
	}{
		{"shell", []byte("#!/bin/bash\nexport DB_PASSWORD=hunter2hunter2\n"), "#!/bin/bash\nexport DB_PASSWORD=«redacted:password»\n", false},
		{"gzip", []byte(gzipped("#cloud-config\npackages: [nginx]\n")), "#cloud-config\npackages: [nginx]\n", false},
		{"mime kept as text", []byte(mime), strings.Replace(mime, "s3cretvalue99", "«redacted:api-key»", 1), false},
		{"empty", nil, "", false},
		{"binary", []byte{0x7f, 'E', 'L', 'F', 0, 1, 2}, "", true},
		{"latin-1", []byte("#!/bin/sh\necho caf\xe9\n"), "", true},
		{"broken gzip", []byte{0x1f, 0x8b, 8, 0, 1, 2, 3}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scripts.UserDataText(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadUserData(t *testing.T) {
	shared := "#!/bin/bash\nexport API_TOKEN=«redacted:token»\nyum install -y nginx\nsystemctl enable nginx\nansible-pull -U https://git.example.com/ops.git ansible/orders-api.yml\n"
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{
			{Name: "web-b", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-0b v2", UserData: shared}},
			{Name: "web-a", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-0a v7", UserData: shared}},
			{Name: "win", Account: "1", Region: "eu-west-1", LaunchConfiguration: "win-lc", Launch: inventory.LaunchSpec{UserData: "<powershell>\nStart-Service W3SVC\n</powershell>\n"}},
			{Name: "broken", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-bad v1", UserData: "#!/bin/bash\nif true; then\n"}},
			{Name: "none", Account: "1", Region: "eu-west-1"},
		},
		Scripts: []inventory.Script{{Path: "ansible/orders-api.yml", Kind: inventory.ScriptAnsiblePlay}},
	}
	scripts.ReadUserData(e)
	scripts.ReadUserData(e) // a second call replaces, it does not add
	byPath := map[string]inventory.Script{}
	for _, s := range e.Scripts {
		byPath[s.Path] = s
	}
	if len(e.Scripts) != 4 {
		t.Fatalf("%d scripts, want 4: %v", len(e.Scripts), byPath)
	}
	web := byPath["userdata:lt-0a v7"]
	if web.Kind != inventory.ScriptUserData || len(web.Links) != 2 || web.Links[0].Workload != "1/eu-west-1/web-a" || web.Links[0].Reason != inventory.LinkUserData || web.Links[0].Confidence != inventory.ConfidenceHigh {
		t.Errorf("shared user data: %+v", web)
	}
	got := strings.Join(rows(web.Facts), "\n")
	for _, w := range []string{"2 secret token", "3 web-server nginx", "4 service nginx", "5 config-mgmt ansible-pull"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if len(web.References) != 1 || web.References[0].Path != "ansible/orders-api.yml" {
		t.Errorf("references %+v", web.References)
	}
	win := byPath["userdata:launch-configuration win-lc"]
	if len(rows(win.Facts)) == 0 || win.Facts[0].Kind != inventory.FactWindows {
		t.Errorf("windows user data: %+v", win.Facts)
	}
	if len(e.Coverage) != 1 || e.Coverage[0].Path != "userdata:lt-bad v1" || e.Coverage[0].Line != 2 {
		t.Errorf("coverage %+v", e.Coverage)
	}
}

func rows(facts []inventory.Fact) []string {
	var out []string
	for _, f := range facts {
		out = append(out, itoa(f.Evidence.Line)+" "+f.Kind.String()+" "+f.Detail())
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// User data is cited where it is written: at the lines of the code it was rendered from,
// or in the one scanned file that holds the same text. A secret in both the file and the
// launch template's user data is then one finding, at the file's line.
func TestReadUserDataCitesWhereWritten(t *testing.T) {
	rendered := "#!/bin/bash\nexport DB_PASSWORD=«redacted:password»\nyum install -y redis\n"
	file := "#!/bin/bash\nmkfs.xfs /dev/nvme1n1\nexport API_TOKEN=«redacted:token»\n"
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{
			{Name: "tf", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "lt-tf v1", UserData: rendered,
				// lines 1-2 in a heredoc of main.tf from line 40; line 3 from a template file
				UserDataLines: []inventory.TextSpan{{Line: 1, Lines: 2, File: "main.tf", FileLine: 40}, {Line: 3, Lines: 1, File: "tpl/extra.sh", FileLine: 7}}}},
			{Name: "api", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "lt-api v3", UserData: file}},
		},
	}
	// The scan read the repository's copy of the second text.
	copyRes, err := scripts.Scan(t.Context(), []scripts.Root{scripts.FS("repo", fstest.MapFS{"boot/api.sh": {Data: []byte(file)}})}, scripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.Scripts = copyRes.Scripts
	scripts.ReadUserData(e)
	byPath := map[string]inventory.Script{}
	for _, s := range e.Scripts {
		byPath[s.Path] = s
	}
	places := func(s inventory.Script) []string {
		var out []string
		for _, f := range s.Facts {
			out = append(out, f.Evidence.File+":"+itoa(f.Evidence.Line)+" "+f.Kind.String())
		}
		return out
	}
	if got, want := places(byPath["userdata:lt-tf v1"]), []string{"main.tf:41 secret", "main.tf:41 env-config", "tpl/extra.sh:7 database"}; !sameSet(got, want) {
		t.Errorf("rendered user data cited at %v, want %v", got, want)
	}
	ud, repo := places(byPath["userdata:lt-api v3"]), places(byPath["boot/api.sh"])
	if !sameSet(ud, repo) || len(ud) == 0 {
		t.Errorf("user data cited at %v, its copy in the repository at %v: want the same places", ud, repo)
	}
}

// User data rendered from a CloudFormation template that runs cfn-init refers to the
// template, whose AWS::CloudFormation::Init is the work cfn-init does on the host.
func TestReadUserDataRefersToCFNInit(t *testing.T) {
	ud := "#!/bin/bash\n/opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource LC\n"
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{{Name: "g", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "lc", UserData: ud,
			UserDataLines: []inventory.TextSpan{{Line: 1, Lines: 2, File: "stacks/web.yaml", FileLine: 88}}}}},
		Scripts: []inventory.Script{{Path: "stacks/web.yaml", Kind: inventory.ScriptCloudFormation}},
	}
	scripts.ReadUserData(e)
	for _, s := range e.Scripts {
		if s.Kind != inventory.ScriptUserData {
			continue
		}
		if len(s.References) != 1 || s.References[0].Path != "stacks/web.yaml" || s.References[0].How != "cfn-init" || s.References[0].Evidence.Line != 89 {
			t.Errorf("references %+v, want the template by cfn-init at line 89", s.References)
		}
		return
	}
	t.Fatal("no user data script")
}

// Nested stacks often carry word for word the same cfn-init user data; each runs its own
// template's metadata, so each group refers to its own template, never to the first one's.
// The same text written once and used by two groups (a module's instances) stays one.
func TestReadUserDataSameTextTwoTemplates(t *testing.T) {
	ud := "#!/bin/bash -xe\n/opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource LaunchConfiguration\n"
	span := func(file string) []inventory.TextSpan {
		return []inventory.TextSpan{{Line: 1, Lines: 2, File: file, FileLine: 40}}
	}
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{
			{Name: "api", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "api-lc", UserData: ud, UserDataLines: span("stacks/api.yaml")}},
			{Name: "jobs", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "jobs-lc", UserData: ud, UserDataLines: span("stacks/jobs.yaml")}},
			{Name: "jobs-b", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "jobs-b-lc", UserData: ud, UserDataLines: span("stacks/jobs.yaml")}},
		},
		Scripts: []inventory.Script{{Path: "stacks/api.yaml", Kind: inventory.ScriptCloudFormation}, {Path: "stacks/jobs.yaml", Kind: inventory.ScriptCloudFormation}},
	}
	scripts.ReadUserData(e)
	got := map[string]string{} // group → template its user data runs
	n := 0
	for _, s := range e.Scripts {
		if s.Kind != inventory.ScriptUserData {
			continue
		}
		n++
		if len(s.References) != 1 {
			t.Fatalf("%s refers to %+v, want one template", s.Path, s.References)
		}
		for _, l := range s.Links {
			got[strings.SplitN(l.Workload, "/", 3)[2]] = s.References[0].Path
		}
	}
	want := map[string]string{"api": "stacks/api.yaml", "jobs": "stacks/jobs.yaml", "jobs-b": "stacks/jobs.yaml"}
	if n != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("%d user data scripts; groups run %v, want 2 and %v", n, got, want)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// User data scripts are derived from the groups: reading again replaces them all, and one
// whose group has left the estate (a snapshot edited or merged) does not linger.
func TestReadUserDataReplacesDerivedScripts(t *testing.T) {
	e := &inventory.Estate{Groups: []inventory.AutoScalingGroup{
		{Name: "a", Account: "1", Region: "r", Launch: inventory.LaunchSpec{UserData: "#!/bin/bash\nsystemctl enable nginx\n", Source: "lt-a v1"}},
		{Name: "b", Account: "1", Region: "r", Launch: inventory.LaunchSpec{UserData: "#!/bin/bash\nsystemctl enable redis\n", Source: "lt-b v1"}},
	}}
	scripts.ReadUserData(e)
	scripts.ReadUserData(e)
	if len(e.Scripts) != 2 {
		t.Fatalf("two reads of two user data gave %d scripts", len(e.Scripts))
	}
	e.Groups = e.Groups[:1]
	scripts.ReadUserData(e)
	if len(e.Scripts) != 1 || !strings.Contains(e.Scripts[0].Path, "lt-a") {
		t.Errorf("after group b left, scripts are %+v", e.Scripts)
	}
}

// Fedora CoreOS and Flatcar hosts take an Ignition config, or the Butane it is made from, as
// user data, with no #! or #cloud-config line: it is read for the units it runs.
func TestReadUserDataIgnition(t *testing.T) {
	for name, ud := range map[string]string{
		"butane":   "variant: flatcar\nversion: 1.0.0\nsystemd:\n  units:\n    - name: kubelet.service\n      enabled: true\n",
		"ignition": `{"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"kubelet.service","enabled":true}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			e := &inventory.Estate{Groups: []inventory.AutoScalingGroup{{Name: "nodes", Account: "1", Region: "r", Launch: inventory.LaunchSpec{Source: "lt-1 v1", UserData: ud}}}}
			scripts.ReadUserData(e)
			var services []string
			for _, s := range e.Scripts {
				for _, f := range s.Facts {
					if f.Kind == inventory.FactService {
						services = append(services, f.Name)
					}
				}
			}
			if !reflect.DeepEqual(services, []string{"kubelet"}) {
				t.Errorf("services %v, want the kubelet the config enables", services)
			}
			for _, g := range e.Coverage {
				t.Errorf("gap %+v", g)
			}
		})
	}
}
