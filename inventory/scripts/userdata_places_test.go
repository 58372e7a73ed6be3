package scripts_test

import (
	"strings"
	"testing"

	"whyk8s/inventory"
	"whyk8s/inventory/scripts"
)

// User data read from code is cited where the repository writes each line — a heredoc in a
// .tf file, a template file read by templatefile() — and a line no span covers (one the code
// generates) keeps its place in the rendered text; so does user data from AWS.
func TestReadUserDataCitesTheRepository(t *testing.T) {
	text := "#!/bin/bash\nyum install -y postgresql-server\nsystemctl enable postgresql\nmount -t nfs4 fs-01.efs.eu-west-1.amazonaws.com:/ /srv\n"
	tests := []struct {
		name  string
		spans []inventory.TextSpan
		want  []string // fact: file:line kind; the broken text's gap: file:line gap
	}{
		{
			name:  "a template file read whole",
			spans: []inventory.TextSpan{{Line: 1, Lines: 5, File: "templates/user-data.sh.tpl", FileLine: 1}},
			want: []string{"templates/user-data.sh.tpl:2 database", "templates/user-data.sh.tpl:3 service",
				"templates/user-data.sh.tpl:4 nfs-mount", "templates/user-data.sh.tpl:2 gap"},
		},
		{
			name:  "a heredoc after two lines the code generates",
			spans: []inventory.TextSpan{{Line: 3, Lines: 3, File: "envs/prod/asg.tf", FileLine: 41}},
			want:  []string{"userdata:lt-0a v7:2 database", "envs/prod/asg.tf:41 service", "envs/prod/asg.tf:42 nfs-mount", "userdata:lt-0b v1:2 gap"},
		},
		{
			name: "collected from AWS: no spans",
			want: []string{"userdata:lt-0a v7:2 database", "userdata:lt-0a v7:3 service", "userdata:lt-0a v7:4 nfs-mount", "userdata:lt-0b v1:2 gap"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &inventory.Estate{Groups: []inventory.AutoScalingGroup{
				{Name: "db", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-0a v7", UserData: text, UserDataLines: tt.spans}},
				// The same spans on a text that does not parse: its gap moves like a fact.
				{Name: "broken", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-0b v1", UserData: "#!/bin/bash\nif true; then\n", UserDataLines: tt.spans}},
			}}
			scripts.ReadUserData(e)
			var got []string
			for _, sc := range e.Scripts {
				for _, f := range sc.Facts {
					got = append(got, f.Evidence.File+":"+itoa(f.Evidence.Line)+" "+f.Kind.String())
				}
			}
			for _, g := range e.Coverage {
				got = append(got, g.Path+":"+itoa(g.Line)+" gap")
			}
			for _, w := range tt.want {
				if !strings.Contains("\n"+strings.Join(got, "\n")+"\n", "\n"+w+"\n") {
					t.Errorf("want %q among\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}

// A secret rendered into user data on a template line that holds only a placeholder there
// (DB_PASSWORD=${db_password}) came from the value substituted into it: its finding is named
// where that value is written, so the user data's fact is marked substituted rather than
// made a second finding on the template's line; the workload keeps it, a secret in its
// user data all the same. A literal the template writes itself stays a secret of its own.
func TestReadUserDataSecretFromASubstitutedValue(t *testing.T) {
	text := "#!/bin/bash\nDB_PASSWORD=Hunter2xyz9\nAPI_TOKEN=Zq8rT2pLw9x\n"
	for _, tc := range []struct {
		name    string
		scanned []inventory.Fact // the template's own facts, as its scan found them
		want    []string         // the user data's secrets: template line and how each came
	}{
		{"both values substituted", nil, []string{"2 substituted", "3 substituted"}},
		{"the token written in the template", []inventory.Fact{{Kind: inventory.FactSecret, Name: "token", Evidence: inventory.FactEvidence{File: "scripts/ud.sh.tpl", Line: 3}}}, []string{"2 substituted", "3 "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &inventory.Estate{
				Groups: []inventory.AutoScalingGroup{{Name: "app", Account: "1", Region: "eu-west-1", Launch: inventory.LaunchSpec{Source: "lt-0a v1", UserData: text,
					UserDataLines: []inventory.TextSpan{{Line: 1, Lines: 3, File: "scripts/ud.sh.tpl", FileLine: 1}}}}},
				Scripts: []inventory.Script{{Path: "scripts/ud.sh.tpl", Kind: inventory.ScriptShell, Facts: tc.scanned}},
			}
			scripts.ReadUserData(e)
			var got []string
			for _, sc := range e.Scripts {
				if !strings.HasPrefix(sc.Path, "userdata:") {
					continue
				}
				for _, f := range sc.Facts {
					if f.Kind == inventory.FactSecret {
						got = append(got, itoa(f.Evidence.Line)+" "+f.Via)
					}
				}
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("user data secrets %q, want %q", got, tc.want)
			}
		})
	}
}
