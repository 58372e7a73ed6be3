//go:build linux

package hostile_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"whyk8s/internal/pdftext"
)

// secretForm is one way a secret gets written where whyk8s reads, with a value of its own.
type secretForm struct {
	name   string
	canary string             // the secret's value: no output may ever hold it
	plant  func(m *canaryEnv) // writes it into the scripts folder, the snapshot or the code
	// seen proves the form was read: a file whose FIND-SECRET finding 'scan' must list,
	// or, for forms outside the scripts, text an output must hold.
	seenFile string
	seenText string
}

// canaryEnv is the folder of the matrix run.
type canaryEnv struct {
	t       *testing.T
	root    string
	scripts string         // the scripts folder
	iac     string         // a Terraform and CloudFormation folder
	tags    map[string]any // tags of the snapshot's first group
	udata   []string       // lines of its user data
}

func (m *canaryEnv) script(name, content string) {
	m.t.Helper()
	p := filepath.Join(m.scripts, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *canaryEnv) code(name, content string) {
	m.t.Helper()
	if err := os.WriteFile(filepath.Join(m.iac, name), []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

// pad makes s exactly n characters long with letters, for formats of fixed length.
func pad(s string, n int) string {
	for len(s) < n {
		s += "q"
	}
	return s[:n]
}

var (
	jwtCanary      = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDYW5hcnlNdHgzNCJ9.Q2FuYXJ5TXR4MzRzaWduYXR1cmU"
	sendgridCanary = "SG.CanaryMtx35abcdefghij.CanaryMtx35ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg"
	awsSecret      = pad("CanaryMtx02/SecretAccessKey", 40)
	githubToken    = "ghp_" + pad("CanaryMtx09", 36)
	googleKey      = "AIza" + pad("CanaryMtx13", 35)
	npmToken       = "npm_" + pad("CanaryMtx14", 36)
	b64Secret      = base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\nexport DB_PASSWORD=CanaryMtx31b64\n"))
)

// secretForms is every form the redactor knows. Adding a form is adding a line.
var secretForms = []secretForm{
	{name: "aws-access-key-id", canary: "AKIACANARYMTX0000001", seenFile: "aws-key.sh",
		plant: func(m *canaryEnv) {
			m.script("aws-key.sh", "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIACANARYMTX0000001\n")
		}},
	{name: "aws-secret-key", canary: awsSecret, seenFile: "aws-secret.sh",
		plant: func(m *canaryEnv) {
			m.script("aws-secret.sh", "#!/bin/bash\nexport AWS_SECRET_ACCESS_KEY="+awsSecret+"\n")
		}},
	{name: "aws-session-token", canary: "CanaryMtx03SessionTokenValue", seenFile: "aws-session.sh",
		plant: func(m *canaryEnv) {
			m.script("aws-session.sh", "#!/bin/bash\nexport AWS_SESSION_TOKEN=CanaryMtx03SessionTokenValue\n")
		}},
	{name: "private-key", canary: "CanaryMtx04KeyBodyMIIEpAIBAAKCAQEA", seenFile: "tls.yml",
		plant: func(m *canaryEnv) {
			m.script("group_vars/tls.yml", "tls_key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  CanaryMtx04KeyBodyMIIEpAIBAAKCAQEA\n  -----END RSA PRIVATE KEY-----\n")
		}},
	{name: "password-env", canary: "CanaryMtx05pw", seenFile: "env.sh",
		plant: func(m *canaryEnv) { m.script("env.sh", "#!/bin/bash\nDB_PASSWORD=CanaryMtx05pw\n") }},
	{name: "password-yaml", canary: "CanaryMtx06pw", seenFile: "all.yml",
		plant: func(m *canaryEnv) { m.script("group_vars/all.yml", "app_db_password: CanaryMtx06pw\n") }},
	{name: "password-hash", canary: "CanaryMtx07salt", seenFile: "users.yaml",
		plant: func(m *canaryEnv) {
			m.script("users.yaml", "#cloud-config\nusers:\n  - name: ops\n    passwd: $6$rounds=4096$CanaryMtx07salt$Zm9vYmFyYmF6cXV4\n")
		}},
	{name: "password-in-url", canary: "CanaryMtx08pw", seenFile: "url.sh",
		plant: func(m *canaryEnv) {
			m.script("url.sh", "#!/bin/bash\nexport DATABASE_URL=postgres://app:CanaryMtx08pw@db.internal:5432/app\n")
		}},
	{name: "github-token", canary: githubToken, seenFile: "gh.sh",
		plant: func(m *canaryEnv) {
			m.script("gh.sh", "#!/bin/bash\ngit clone https://"+githubToken+"@github.com/acme/app\n")
		}},
	{name: "gitlab-token", canary: "glpat-CanaryMtx10xxxxxxxxxx", seenFile: "gl.sh",
		plant: func(m *canaryEnv) { m.script("gl.sh", "#!/bin/bash\necho glpat-CanaryMtx10xxxxxxxxxx > /etc/gl\n") }},
	{name: "slack-token", canary: "xoxb-CanaryMtx11-1234567890", seenFile: "slack.sh",
		plant: func(m *canaryEnv) { m.script("slack.sh", "#!/bin/bash\nnotify --with xoxb-CanaryMtx11-1234567890\n") }},
	{name: "stripe-key", canary: "sk_live_CanaryMtx12abcdefgh", seenFile: "stripe.sh",
		plant: func(m *canaryEnv) { m.script("stripe.sh", "#!/bin/bash\nconfigure sk_live_CanaryMtx12abcdefgh\n") }},
	{name: "google-api-key", canary: googleKey, seenFile: "maps.sh",
		plant: func(m *canaryEnv) { m.script("maps.sh", "#!/bin/bash\necho "+googleKey+" > /etc/maps\n") }},
	{name: "npm-token", canary: npmToken, seenFile: "npm.sh",
		plant: func(m *canaryEnv) {
			m.script("npm.sh", "#!/bin/bash\necho //registry.npmjs.org/:_authToken="+npmToken+" > ~/.npmrc\n")
		}},
	{name: "authorization-header", canary: "CanaryMtx15tok", seenFile: "header.sh",
		plant: func(m *canaryEnv) {
			m.script("header.sh", "#!/bin/bash\ncurl -H \"Authorization: Bearer CanaryMtx15tok\" https://api.example.org/\n")
		}},
	{name: "slack-webhook", canary: "CanaryMtx16hook", seenFile: "hook.sh",
		plant: func(m *canaryEnv) {
			m.script("hook.sh", "#!/bin/bash\ncurl -X POST https://hooks.slack.com/services/T0000/B0000/CanaryMtx16hook\n")
		}},
	{name: "mysql-p", canary: "CanaryMtx17pw", seenFile: "mysql.sh",
		plant: func(m *canaryEnv) { m.script("mysql.sh", "#!/bin/bash\nmysql -uroot -pCanaryMtx17pw -e 'select 1'\n") }},
	{name: "sshpass", canary: "CanaryMtx18pw", seenFile: "sshpass.sh",
		plant: func(m *canaryEnv) {
			m.script("sshpass.sh", "#!/bin/bash\nsshpass -p CanaryMtx18pw ssh ops@10.0.0.4 uptime\n")
		}},
	{name: "net-user", canary: "CanaryMtx19pw", seenFile: "users.ps1",
		plant: func(m *canaryEnv) {
			m.script("users.ps1", "net user deploy CanaryMtx19pw /add\nInstall-WindowsFeature Web-Server\n")
		}},
	{name: "chpasswd-echo", canary: "CanaryMtx20pw", seenFile: "chpasswd.sh",
		plant: func(m *canaryEnv) { m.script("chpasswd.sh", "#!/bin/bash\necho \"deploy:CanaryMtx20pw\" | chpasswd\n") }},
	{name: "passwd-stdin", canary: "CanaryMtx21pw", seenFile: "passwd.sh",
		plant: func(m *canaryEnv) { m.script("passwd.sh", "#!/bin/bash\necho CanaryMtx21pw | passwd --stdin deploy\n") }},
	{name: "securestring", canary: "CanaryMtx22pw", seenFile: "secure.ps1",
		plant: func(m *canaryEnv) {
			m.script("secure.ps1", "$pw = ConvertTo-SecureString \"CanaryMtx22pw\" -AsPlainText -Force\nInstall-WindowsFeature Web-Server\n")
		}},
	{name: "htpasswd", canary: "CanaryMtx23pw", seenFile: "htpasswd.sh",
		plant: func(m *canaryEnv) {
			m.script("htpasswd.sh", "#!/bin/bash\nhtpasswd -bc /etc/nginx/.htpasswd admin CanaryMtx23pw\n")
		}},
	{name: "api-key", canary: "CanaryMtx24apikey", seenFile: "dd.sh",
		plant: func(m *canaryEnv) {
			m.script("dd.sh", "#!/bin/bash\nDD_API_KEY=CanaryMtx24apikey bash -c \"$(curl -L https://dd.example.org/i.sh)\"\n")
		}},
	{name: "license-key", canary: "CanaryMtx25lic", seenFile: "nr.sh",
		plant: func(m *canaryEnv) { m.script("nr.sh", "#!/bin/bash\nexport NEW_RELIC_LICENSE_KEY=CanaryMtx25lic\n") }},
	{name: "credential", canary: "CanaryMtx26cred", seenFile: "cred.yml",
		plant: func(m *canaryEnv) { m.script("group_vars/cred.yml", "smtp_credentials: CanaryMtx26cred\n") }},
	{name: "generic-secret", canary: "CanaryMtx27sec", seenFile: "oidc.yml",
		plant: func(m *canaryEnv) { m.script("group_vars/oidc.yml", "oidc_client_secret: CanaryMtx27sec\n") }},
	{name: "block-scalar", canary: "CanaryMtx28block", seenFile: "block.yml",
		plant: func(m *canaryEnv) { m.script("group_vars/block.yml", "db_password: |\n  CanaryMtx28block\n") }},
	{name: "hcl-variable-default", canary: "CanaryMtx29hcl", seenFile: "web.pkr.hcl",
		plant: func(m *canaryEnv) {
			m.script("web.pkr.hcl", "variable \"db_password\" {\n  type    = string\n  default = \"CanaryMtx29hcl\"\n}\nsource \"amazon-ebs\" \"web\" {\n  ami_name = \"web\"\n}\nbuild {\n  sources = [\"source.amazon-ebs.web\"]\n}\n")
		}},
	{name: "chpasswd-list", canary: "CanaryMtx30list", seenFile: "chpasswd.yaml",
		plant: func(m *canaryEnv) {
			m.script("chpasswd.yaml", "#cloud-config\nchpasswd:\n  list: |\n    root:CanaryMtx30list\n  expire: false\n")
		}},
	{name: "base64-encoded", canary: "CanaryMtx31b64", seenFile: "files.yaml",
		plant: func(m *canaryEnv) {
			m.script("files.yaml", "#cloud-config\nwrite_files:\n  - path: /etc/app.sh\n    encoding: b64\n    content: "+b64Secret+"\n")
		}},
	{name: "docker-login-p", canary: "CanaryMtx32pw", seenFile: "docker.sh",
		plant: func(m *canaryEnv) {
			m.script("docker.sh", "#!/bin/bash\ndocker login -u admin -p CanaryMtx32pw registry.example.org\n")
		}},
	{name: "curl-u", canary: "CanaryMtx33pw", seenFile: "fetch.sh",
		plant: func(m *canaryEnv) {
			m.script("fetch.sh", "#!/bin/bash\ncurl -fsSL -u deploy:CanaryMtx33pw https://artifacts.example.org/app.tgz -o /tmp/app.tgz\n")
		}},
	{name: "jwt", canary: jwtCanary, seenFile: "jwt.sh",
		plant: func(m *canaryEnv) { m.script("jwt.sh", "#!/bin/bash\nexport SESSION="+jwtCanary+"\n") }},
	{name: "sendgrid-key", canary: sendgridCanary, seenFile: "mail.sh",
		plant: func(m *canaryEnv) { m.script("mail.sh", "#!/bin/bash\nexport MAILER="+sendgridCanary+"\n") }},
	{name: "secret-in-file-name", canary: "CanaryMtx36name", seenFile: "db_password=",
		plant: func(m *canaryEnv) {
			m.script("db_password=CanaryMtx36name.sh", "#!/bin/bash\nDB_PASSWORD=CanaryMtx36pw\n")
		}},
	{name: "tag-db-password", canary: "CanaryMtx37tag", seenText: "DbPassword",
		plant: func(m *canaryEnv) { m.tags["DbPassword"] = "CanaryMtx37tag" }},
	{name: "tag-access-key", canary: "CanaryMtx38tag", seenText: "AccessKey",
		plant: func(m *canaryEnv) { m.tags["AccessKey"] = "CanaryMtx38tag" }},
	{name: "tag-token", canary: "CanaryMtx39tag", seenText: "\"Token\"",
		plant: func(m *canaryEnv) { m.tags["Token"] = "CanaryMtx39tag" }},
	{name: "user-data-password", canary: "CanaryMtx40ud", seenText: "userdata:",
		plant: func(m *canaryEnv) { m.udata = append(m.udata, "export DB_PASSWORD=CanaryMtx40ud") }},
	{name: "cfn-parameter-default-into-tag", canary: "CanaryMtx41cfn", seenText: "cfn-tagged",
		plant: func(m *canaryEnv) {
			m.code("stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n    Default: CanaryMtx41cfn\n"+
				strings.SplitN(cfnGroup("Tagged", "cfn-tagged"), "\n", 2)[1]+"      Tags:\n        - Key: Owner\n          PropagateAtLaunch: true\n          Value: !Ref DbPassword\n")
		}},
	{name: "tf-variable-default-into-tag", canary: "CanaryMtx42tf", seenText: "tf-tagged",
		plant: func(m *canaryEnv) {
			m.code("var.tf", "variable \"db_password\" {\n  default = \"CanaryMtx42tf\"\n}\n"+tfGroupWith("tagged", "tf-tagged", tagKV("Owner", "${var.db_password}")))
		}},
	{name: "tf-tag-secret-key", canary: "CanaryMtx43tftag", seenText: "tf-keyed",
		plant: func(m *canaryEnv) {
			m.code("keyed.tf", tfGroupWith("keyed", "tf-keyed", tagKV("ApiToken", "CanaryMtx43tftag")))
		}},
}

// canaryRuns are what the matrix reads: every command that writes something a person or
// a program reads, over every source at once.
type canaryRuns struct {
	streams map[string][]byte // "scan text", "stdout", "stderr (debug)" …
	files   map[string][]byte // report.md, assessment.json … (both runs' copies joined)
}

// canaryOutputs is every output whyk8s writes. Adding an output is adding a line.
var canaryOutputs = []struct {
	name string
	get  func(r *canaryRuns) []byte
}{
	{"scan text", func(r *canaryRuns) []byte { return r.streams["scan text"] }},
	{"scan json", func(r *canaryRuns) []byte { return r.streams["scan json"] }},
	{"scan md", func(r *canaryRuns) []byte { return r.streams["scan md"] }},
	{"snapshot", func(r *canaryRuns) []byte { return r.files["estate.json"] }},
	{"report.md", func(r *canaryRuns) []byte { return r.files["report.md"] }},
	{"report.pdf", func(r *canaryRuns) []byte { return r.files["report.pdf"] }},
	{"report.pdf text", func(r *canaryRuns) []byte { return r.files["report.pdf text"] }},
	{"assessment.json", func(r *canaryRuns) []byte { return r.files["assessment.json"] }},
	{"workloads.csv", func(r *canaryRuns) []byte { return r.files["workloads.csv"] }},
	{"history", func(r *canaryRuns) []byte { return r.files["history"] }},
	{"stdout", func(r *canaryRuns) []byte { return r.streams["stdout"] }},
	{"stderr at debug level", func(r *canaryRuns) []byte { return r.streams["stderr (debug)"] }},
}

// TestSecretCanaries plants every secret form the redactor knows in the scripts, the
// snapshot and the infrastructure code, runs every command that writes an output, and
// checks every output for every form's value.
func TestSecretCanaries(t *testing.T) {
	whyk8s(t)
	m := &canaryEnv{t: t, root: t.TempDir(), tags: map[string]any{}}
	m.scripts = filepath.Join(m.root, "infra")
	m.iac = filepath.Join(m.root, "iac")
	os.MkdirAll(m.scripts, 0o755)
	os.MkdirAll(m.iac, 0o755)
	for _, f := range secretForms {
		f.plant(m)
	}
	m.code("main.tf", tfGroup("iacweb", "iac-web-asg"))
	snap := editedSnapshot(&caseEnv{t: t, root: m.root}, "raw-estate.json", func(doc, g map[string]any) {
		tags, _ := g["tags"].(map[string]any)
		if tags == nil {
			tags = map[string]any{}
		}
		for k, v := range m.tags {
			tags[k] = v
		}
		tags["app"] = "web"
		g["tags"] = tags
		launch, _ := g["launch"].(map[string]any)
		if launch == nil {
			launch = map[string]any{}
			g["launch"] = launch
		}
		launch["userData"] = "#!/bin/bash\n" + strings.Join(m.udata, "\n") + "\napt-get install -y nginx\n"
	})

	runs := &canaryRuns{streams: map[string][]byte{}, files: map[string][]byte{}}
	env := childEnv(m.root)
	for _, c := range []struct {
		stream string
		args   []string
	}{
		{"scan text", []string{"scan", "infra"}},
		{"scan json", []string{"scan", "infra", "--format", "json", "--all"}},
		{"scan md", []string{"scan", "infra", "--format", "md"}},
		{"", []string{"inventory", "--snapshot", snap, "--scripts", "infra", "--out", "snap/estate.json", "--log-level", "debug"}},
		{"", []string{"inventory", "--iac", "iac", "--iac-account", account, "--scripts", "infra", "--out", "snap-iac/estate.json", "--log-level", "debug"}},
		{"", []string{"assess", "--snapshot", snap, "--scripts", "infra", "--out", "out", "--history", "hist", "--log-level", "debug"}},
		{"", []string{"assess", "--iac", "iac", "--iac-account", account, "--scripts", "infra", "--out", "out-iac", "--history", "hist-iac", "--log-level", "debug"}},
	} {
		r := runWhyk8s(t, m.root, caseTimeout, env, c.args...)
		if r.timedOut || (r.code != 0 && r.code != 3) {
			t.Fatalf("%s", r)
		}
		if c.stream != "" {
			runs.streams[c.stream] = r.stdout
		}
		runs.streams["stdout"] = append(runs.streams["stdout"], r.stdout...)
		runs.streams["stderr (debug)"] = append(runs.streams["stderr (debug)"], r.stderr...)
	}
	for _, dir := range []string{"snap", "snap-iac", "out", "out-iac"} {
		for name, data := range readFiles(t, filepath.Join(m.root, dir)) {
			runs.files[name] = append(runs.files[name], data...)
		}
	}
	for _, dir := range []string{"hist", "hist-iac"} {
		for _, data := range readFiles(t, filepath.Join(m.root, dir)) {
			runs.files["history"] = append(runs.files["history"], data...)
		}
	}
	for _, pdfData := range [][]byte{readFiles(t, filepath.Join(m.root, "out"))["report.pdf"], readFiles(t, filepath.Join(m.root, "out-iac"))["report.pdf"]} {
		runs.files["report.pdf text"] = append(runs.files["report.pdf text"], pdfText(t, pdfData)...)
	}
	for _, o := range canaryOutputs {
		if len(o.get(runs)) == 0 {
			t.Errorf("output %q is empty: the matrix would prove nothing about it", o.name)
		}
	}

	// Each form was read: its place is reported, or what carries it is in the output.
	var scan struct {
		Findings []struct{ Rule, File string } `json:"findings"`
	}
	if err := json.Unmarshal(runs.streams["scan json"], &scan); err != nil {
		t.Fatalf("scan --format json: %v", err)
	}
	everything := bytes.Join([][]byte{runs.files["estate.json"], runs.files["assessment.json"]}, nil)
	for _, f := range secretForms {
		switch {
		case f.seenFile != "":
			found := false
			for _, fd := range scan.Findings {
				found = found || (fd.Rule == "FIND-SECRET" && strings.Contains(fd.File, f.seenFile))
			}
			if !found {
				t.Errorf("form %s: scan reports no FIND-SECRET in %s; the form is not read, so the matrix proves nothing about it", f.name, f.seenFile)
			}
		case !bytes.Contains(everything, []byte(f.seenText)):
			t.Errorf("form %s: no %q in the snapshot or the assessment; the form is not read, so the matrix proves nothing about it", f.name, f.seenText)
		}
	}

	for _, f := range secretForms {
		known := knownFailures["canary/"+f.name]
		leaked := false
		for _, o := range canaryOutputs {
			t.Run(f.name+"/"+o.name, func(t *testing.T) {
				data := o.get(runs)
				for _, form := range []string{f.canary, base64.StdEncoding.EncodeToString([]byte(f.canary))} {
					i := bytes.Index(data, []byte(form))
					switch {
					case i < 0:
					case known != "":
						leaked = true
						t.Logf("known failure (%s): %s holds the %s secret", known, o.name, f.name)
					default:
						t.Errorf("%s holds the %s secret %q: …%s…", o.name, f.name, f.canary, around(data, i))
					}
				}
			})
		}
		if known != "" && !leaked {
			t.Errorf("canary/%s is listed as a known failure (%s) but no output holds it now: delete its line from knownFailures in known_test.go", f.name, known)
		}
	}
	for name := range knownFailures {
		if form, ok := strings.CutPrefix(name, "canary/"); ok && !slices.ContainsFunc(secretForms, func(f secretForm) bool { return f.name == form }) {
			t.Errorf("knownFailures lists %q, which is not a secret form", name)
		}
	}
}

// readFiles reads every regular file under dir, by base name.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if data, err := os.ReadFile(p); err == nil {
				files[filepath.Base(p)] = data
			}
		}
		return nil
	})
	return files
}

// pdfText is the text of a PDF: a leak in its compressed, font-encoded streams shows only
// there.
func pdfText(t *testing.T, raw []byte) []byte {
	t.Helper()
	pages, err := pdftext.Pages(raw)
	if err != nil {
		t.Fatalf("report.pdf: %v", err)
	}
	return []byte(strings.Join(pages, ""))
}

func around(data []byte, i int) string {
	lo, hi := max(0, i-60), min(len(data), i+80)
	return strings.ToValidUTF8(string(data[lo:hi]), "?")
}
