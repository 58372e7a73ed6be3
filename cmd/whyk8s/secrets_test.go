package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"whyk8s/fixtures"
	"whyk8s/internal/pdftext"
)

// endToEndCanaries are secret values planted in the provisioning scripts and in the user
// data of a snapshot. The consultant hands the report to a board: not one of them may reach
// a report file, the snapshot, the terminal or the logs.
var endToEndCanaries = []string{
	"AKIAQCANARYE2E7K3M9P",                      // access key id in user data
	"e2eCanarySecretKey/0123456789abcdefABCDEF", // its 40-character secret key
	"E2eCanaryDbPw-9931",                        // DB_PASSWORD in user data
	"E2eCanaryVaultPw-4410",                     // a password in Ansible vars
	"E2eCanaryUrlPw-7720",                       // a password in a connection string
	"E2eCanaryKeyBodyMIIEpAIBAAKCAQEA7",         // the body of a private key block
	"E2eCanaryCloudInitTok-1207",                // a token in cloud-init write_files
}

func TestNoSecretReachesAnyOutput(t *testing.T) {
	dir := t.TempDir()
	scriptsDir := filepath.Join(dir, "infra")
	files := map[string]string{
		"userdata/web.sh": "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAQCANARYE2E7K3M9P\nexport AWS_SECRET_ACCESS_KEY=e2eCanarySecretKey/0123456789abcdefABCDEF\n" +
			"DB_PASSWORD=E2eCanaryDbPw-9931\nexport DATABASE_URL=postgres://app:E2eCanaryUrlPw-7720@10.1.2.3:5432/app\napt-get install -y nginx\n",
		"ansible/group_vars/all.yml": "---\napp_db_password: E2eCanaryVaultPw-4410\ntls_key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  E2eCanaryKeyBodyMIIEpAIBAAKCAQEA7\n  Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5\n  -----END RSA PRIVATE KEY-----\n",
		"ansible/site.yml":           "- hosts: all\n  become: true\n  tasks:\n    - name: db\n      ansible.builtin.apt:\n        name: postgresql\n",
		"userdata/init.yaml":         "#cloud-config\nwrite_files:\n  - path: /etc/app/token\n    content: |\n      API_TOKEN=E2eCanaryCloudInitTok-1207\n",
	}
	for name, content := range files {
		p := filepath.Join(scriptsDir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A snapshot whose user data still holds the raw secrets, as a snapshot written by an
	// older tool or by hand might.
	est, err := fixtures.DemoEstate()
	if err != nil {
		t.Fatal(err)
	}
	est.Groups[0].Launch.UserData = files["userdata/web.sh"]
	raw, _ := json.Marshal(est)
	rawSnap := filepath.Join(dir, "raw-estate.json")
	os.WriteFile(rawSnap, raw, 0o644)

	out := filepath.Join(dir, "report")
	snap := filepath.Join(dir, "estate.json")
	var terminal bytes.Buffer
	for _, args := range [][]string{
		{"inventory", "--snapshot", rawSnap, "--scripts", scriptsDir, "--out", snap},
		{"assess", "--snapshot", rawSnap, "--scripts", scriptsDir, "--out", out, "--log-level", "debug"},
		{"scan", scriptsDir},
		{"scan", scriptsDir, "--format", "json"},
		{"scan", scriptsDir, "--format", "md"},
	} {
		code, stdout, stderr := runIn(t, "", args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
		terminal.WriteString(stdout + stderr)
	}

	outputs := map[string][]byte{"terminal": terminal.Bytes()}
	outputs["estate.json"], _ = os.ReadFile(snap)
	for name, data := range readDir(t, out) {
		outputs[name] = data
	}
	if len(outputs) != 2+len(reportFiles(t)) {
		t.Fatalf("expected the snapshot, the terminal and every report file, got %v", names(outputs))
	}
	// The PDF's text is in compressed, font-encoded streams: extract it to search it.
	outputs["report.pdf (text)"] = []byte(pdfText(t, outputs["report.pdf"]))

	// The findings must still be there — kind and place — or the test proves nothing.
	if !bytes.Contains(outputs["report.md"], []byte("userdata/web.sh")) || !bytes.Contains(outputs["assessment.json"], []byte("ansible/group_vars/all.yml")) {
		t.Errorf("the secrets are not reported by place at all")
	}
	for name, data := range outputs {
		for _, c := range endToEndCanaries {
			for _, form := range []string{c, base64.StdEncoding.EncodeToString([]byte(c))} {
				if bytes.Contains(data, []byte(form)) {
					t.Errorf("%s contains the planted secret %q", name, c)
				}
			}
		}
	}
}

func pdfText(t *testing.T, raw []byte) string {
	t.Helper()
	pages, err := pdftext.Pages(raw)
	if err != nil {
		t.Fatalf("report.pdf: %v", err)
	}
	var b strings.Builder
	for _, p := range pages {
		b.WriteString(p)
	}
	if !strings.Contains(b.String(), "Brightwater") {
		t.Fatalf("could not extract the PDF's text (no client name in it)")
	}
	return b.String()
}
