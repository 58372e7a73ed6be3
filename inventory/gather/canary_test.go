package gather_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/inventory/scripts"
)

// canaries are secret values planted in scripts and user data. None may appear anywhere in
// what whyk8s produces — not in a fact, an excerpt, a detail, a link or the user data
// kept in the estate — not even base64-encoded.
var canaries = []string{
	"CanaryShellPw7731",
	"CanaryYamlPw8842",
	"CanaryJsonSecretKey0wJalrXUtnFEMI/K7MDENG/bPxRf",
	"AKIACANARY00000KEY1", // not a valid key id shape: caught by the variable name
	"AKIACANARY0000KEY123",
	"CanaryHclDefault5531",
	"CanaryUrlPw4419",
	"CanaryB64Token2291",
	"CanaryChpasswd6610",
	"CanaryKeyBody9Qx7MIIEowIBAAKCAQEA",
	"CanaryMimePw3377",
	"CanaryPsPw1188",
	"CanaryUserDataPw5522",
	"CanaryGzipUdPw6633",
	"CanaryTokenLine0099",
	"CanaryVarsFilePw4040",
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func canaryTree(t *testing.T) string {
	return writeTree(t, map[string]string{
		"scripts/deploy.sh": "#!/bin/bash\nexport DB_PASSWORD=CanaryShellPw7731\ncurl -H \"Authorization: Bearer CanaryTokenLine0099\" https://api.example.com\n" +
			"psql postgres://app:CanaryUrlPw4419@10.0.0.9/app -c 'select 1'\n",
		"ansible/group_vars/all.yml": "db_password: CanaryYamlPw8842\nssl_key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  CanaryKeyBody9Qx7MIIEowIBAAKCAQEA\n  abcdefghijklmnopqrstuvwxyz012345\n  -----END RSA PRIVATE KEY-----\n",
		"ansible/vars/secrets.yml":   "app_secret_password: \"CanaryVarsFilePw4040\"\n",
		"ansible/site.yml":           "- hosts: all\n  vars_files: [vars/secrets.yml]\n  tasks:\n    - shell: echo CanaryShellPw7731 | passwd --stdin app\n",
		"packer/app.json": "{\n  \"variables\": {\"aws_secret_key\": \"CanaryJsonSecretKey0wJalrXUtnFEMI/K7MDENG/bPxRf\", \"aws_access_key\": \"AKIACANARY00000KEY1\"},\n" +
			"  \"description\": \"built with AKIACANARY0000KEY123\",\n" +
			"  \"builders\": [{\"type\": \"amazon-ebs\", \"ami_name\": \"app-{{timestamp}}\"}]\n}\n",
		"packer/variables.pkr.hcl": "variable \"admin_password\" {\n  type = string\n  default = \"CanaryHclDefault5531\"\n}\n",
		"userdata/cloud.yaml": "#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    encoding: b64\n    content: " + b64("API_TOKEN=CanaryB64Token2291\n") + "\n" +
			"chpasswd:\n  list: |\n    root:CanaryChpasswd6610\n  expire: false\n",
		"userdata/mime.txt": "Content-Type: multipart/mixed; boundary=\"XX\"\nMIME-Version: 1.0\n\n--XX\nContent-Type: text/x-shellscript\nContent-Transfer-Encoding: base64\n\n" +
			b64("#!/bin/bash\nexport MYSQL_PWD=CanaryMimePw3377\nsystemctl enable mysqld\n") + "\n--XX--\n",
		"userdata/win.ps1": "$secure = ConvertTo-SecureString \"CanaryPsPw1188\" -AsPlainText -Force\n",
	})
}

func gz(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestCanarySecretsNeverLeak(t *testing.T) {
	// User data as the collector hands it over (UserDataText) and as a raw snapshot might
	// hold it (RedactEstate must catch it).
	fromAPI, err := scripts.UserDataText(gz("#!/bin/bash\nexport ADMIN_PASSWORD=CanaryGzipUdPw6633\nansible-pull -U https://git.example.com/x.git ansible/site.yml\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion, CollectedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Groups: []inventory.AutoScalingGroup{
			{Name: "web", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-1", Source: "lt-1 v1", UserData: fromAPI}},
			{Name: "raw", Account: "111111111111", Region: "eu-west-1", Launch: inventory.LaunchSpec{ImageID: "ami-2", Source: "lt-2 v1",
				UserData: "#!/bin/bash\necho 'root:CanaryUserDataPw5522' | chpasswd\nexport TOKEN=CanaryUserDataPw5522\n"}},
		},
	}
	res, err := gather.Estate(context.Background(), gather.Sources{Estate: e, Scripts: []string{canaryTree(t)}})
	if err != nil {
		t.Fatal(err)
	}
	e = res.Estate
	out, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	assertNoCanary(t, out)

	// Every planted secret is reported, by kind and place.
	secrets := 0
	for _, s := range e.Scripts {
		for _, f := range s.Facts {
			if f.Kind == inventory.FactSecret {
				secrets++
				if f.Detail() == "" || f.Evidence.Line == 0 {
					t.Errorf("secret fact without kind or line: %+v", f)
				}
			}
		}
	}
	if secrets < 14 {
		t.Errorf("%d secret facts, want at least 14 (one per planted secret)", secrets)
	}
}

var reB64 = regexp.MustCompile(`[A-Za-z0-9+/]{16,}={0,2}`)

func assertNoCanary(t *testing.T, out []byte) {
	t.Helper()
	check := func(b []byte, where string) {
		for _, c := range canaries {
			if bytes.Contains(b, []byte(c)) {
				t.Errorf("canary %q found in %s", c, where)
			}
		}
	}
	check(out, "the JSON output")
	// Decode anything base64-looking (and gunzip it) and look again.
	for _, m := range reB64.FindAll(out, -1) {
		raw, err := base64.StdEncoding.DecodeString(string(m))
		if err != nil {
			continue
		}
		if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
			if b, err := io.ReadAll(zr); err == nil {
				raw = b
			}
		}
		check(raw, "base64 in the output")
	}
	if strings.Contains(string(out), "BEGIN RSA PRIVATE KEY-----\\n  abcdef") {
		t.Error("private key body in the output")
	}
}
