package scripts

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // redacted text
		kind []string
		line []int
	}{
		{"shell export", "#!/bin/bash\nexport DB_PASSWORD=hunter2xyz\n", "#!/bin/bash\nexport DB_PASSWORD=«redacted:password»\n", []string{"password"}, []int{2}},
		{"quoted env", `MYSQL_ROOT_PW="s3cr3t!!"`, `MYSQL_ROOT_PW="«redacted:password»"`, []string{"password"}, []int{1}},
		{"yaml", "vars:\n  db_password: Tr0ub4dor&3  # prod\n", "vars:\n  db_password: «redacted:password»  # prod\n", []string{"password"}, []int{2}},
		{"yaml jinja is a reference", "db_password: \"{{ vault_db_password }}\"\n", "db_password: \"{{ vault_db_password }}\"\n", nil, nil},
		{"json", `{"aws_secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_access_key": "AKIAIOSFODNN7EXAMPLE"}`,
			`{"aws_secret_key": "«redacted:aws-secret-key»", "aws_access_key": "«redacted:aws-access-key-id»"}`, []string{"aws-secret-key", "aws-access-key-id"}, []int{1, 1}},
		{"url", "DATABASE_URL=postgres://orders:pa55word@db.internal:5432/orders", "DATABASE_URL=postgres://orders:«redacted:password-in-url»@db.internal:5432/orders", []string{"password-in-url"}, []int{1}},
		{"flag", "mysql -uroot -pRootPass1 -e 'select 1'", "mysql -uroot -p«redacted:password» -e 'select 1'", []string{"password"}, []int{1}},
		{"long flag", "vault login --password hunter22", "vault login --password «redacted:password»", []string{"password"}, []int{1}},
		{"hcl variable", "variable \"db_password\" {\n  type = string\n  default = \"hunter2hunter2\"\n}\n", "variable \"db_password\" {\n  type = string\n  default = \"«redacted:password»\"\n}\n", []string{"password"}, []int{3}},
		{"private key keeps lines", "key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  abcd\n  -----END RSA PRIVATE KEY-----\nnext: 1\n",
			"key: |\n  -----BEGIN RSA PRIVATE KEY-----«redacted:private-key»\n\n\n  -----END RSA PRIVATE KEY-----\nnext: 1\n", []string{"private-key"}, []int{2}},
		{"marker is recognised", "export API_TOKEN=«redacted:token»", "export API_TOKEN=«redacted:token»", []string{"token"}, []int{1}},
		{"paths and names are not secrets", "password_file: /etc/app/pw\nsecret_name: prod/db\ntoken_url: https://x/y\nssh_pwauth: true\n", "password_file: /etc/app/pw\nsecret_name: prod/db\ntoken_url: https://x/y\nssh_pwauth: true\n", nil, nil},
		{"sudoers NOPASSWD is a tag, not a password", "    line: \"%ops ALL=(ALL) NOPASSWD: ALL\"\ndeploy ALL=(ALL:ALL) NOPASSWD: /usr/bin/systemctl\nnopassword: true\n",
			"    line: \"%ops ALL=(ALL) NOPASSWD: ALL\"\ndeploy ALL=(ALL:ALL) NOPASSWD: /usr/bin/systemctl\nnopassword: true\n", nil, nil},
		{"a password beside NOPASSWD is still one", "ADMIN_PASSWD: Gr8pl4ce!\n", "ADMIN_PASSWD: «redacted:password»\n", []string{"password"}, []int{1}},
		{"passenger is not pass", "passenger_ruby: /usr/bin/ruby\nbypass_cache: yes\n", "passenger_ruby: /usr/bin/ruby\nbypass_cache: yes\n", nil, nil},
		{"chpasswd", "#cloud-config\nchpasswd:\n  list: |\n    root:Sup3rSecret\n    ubuntu:RANDOM\n  expire: false\n", "#cloud-config\nchpasswd:\n  list: |\n    root:«redacted:password»\n    ubuntu:RANDOM\n  expire: false\n", []string{"password"}, []int{4}},
		{"github token", "git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/x", "git clone https://«redacted:token»@github.com/acme/x", []string{"token"}, []int{1}},
		{"powershell", `$pw = ConvertTo-SecureString "P@ssw0rd123" -AsPlainText -Force`, `$pw = ConvertTo-SecureString "«redacted:password»" -AsPlainText -Force`, []string{"password"}, []int{1}},
		{"crypt hash", "passwd: $6$rounds=4096$abc$xyz\n", "passwd: «redacted:password-hash»\n", []string{"password-hash"}, []int{1}},
		{"datadog key", "DD_API_KEY=0123456789abcdef0123456789abcdef bash -c x", "DD_API_KEY=«redacted:api-key» bash -c x", []string{"api-key"}, []int{1}},
		{"redaction keeps the quotes", `TOKEN=$(curl -H "X-Api-Key: abcdef123456" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")`, `TOKEN=$(curl -H "X-Api-Key: «redacted:api-key»" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")`, []string{"api-key"}, []int{1}},
		{"placeholders in examples are not secrets", "#password = your_password\n#   - { name: example, password: secret }\n#   login_password: # defaults to not set\n", "#password = your_password\n#   - { name: example, password: secret }\n#   login_password: # defaults to not set\n", nil, nil},
		{"a commented-out real password is still one", "# db_password: Tr0ub4dor&3\n", "# db_password: «redacted:password»\n", []string{"password"}, []int{1}},
		{"settings named for credentials are not secrets", "IMAGE_CREDENTIAL_PROVIDER_FLAGS='--image-credential-provider-config /etc/eks/x'\nX=$(jq '.featureGates += {CSIServiceAccountToken: true}')\n", "IMAGE_CREDENTIAL_PROVIDER_FLAGS='--image-credential-provider-config /etc/eks/x'\nX=$(jq '.featureGates += {CSIServiceAccountToken: true}')\n", nil, nil},
		{"a password starting with @ is one, a file reference is not", "password: \"@ns1bl3\"\ndb_password: \"@/run/secrets/db.txt\"\n", "password: \"«redacted:password»\"\ndb_password: \"@/run/secrets/db.txt\"\n", []string{"password"}, []int{1}},
		{"sha is not a secret", "echo 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 > /tmp/sum", "echo 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 > /tmp/sum", nil, nil},

		{"a placeholder token set from a variable is not a secret", "run --auto-fill \"<__LICENSE_KEY__>=$license_key\" --auto-fill '<__SHARED_SECRET__>=******'\n", "run --auto-fill \"<__LICENSE_KEY__>=$license_key\" --auto-fill '<__SHARED_SECRET__>=******'\n", nil, nil},
		{"a placeholder token set to a literal is one", "run --auto-fill '<__SHARED_SECRET__>=Zq8rT2pLw9'\n", "run --auto-fill '<__SHARED_SECRET__>=«redacted:secret»'\n", []string{"secret"}, []int{1}},
		{"an XML element is still read", "<password>Hunt3r2xyz</password>\n", "<password>«redacted:password»</password>\n", []string{"password"}, []int{1}},
		// A literal is a secret wherever it is assigned.
		{"local readonly", `local readonly pw="Kx9#mQ2vLp"`, `local readonly pw="«redacted:password»"`, []string{"password"}, []int{1}},
		{"aws configure set", "aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzzzzzz --profile ci",
			"aws configure set aws_secret_access_key «redacted:aws-secret-key» --profile ci", []string{"aws-secret-key"}, []int{1}},
		{"SQL IDENTIFIED BY", `mysql -e "CREATE USER 'app'@'%' IDENTIFIED BY 'Orders2024!';"`, `mysql -e "CREATE USER 'app'@'%' IDENTIFIED BY '«redacted:password»';"`, []string{"password"}, []int{1}},
		{"SQL PASSWORD", `psql -c "ALTER USER postgres WITH ENCRYPTED PASSWORD 'Orders2024!'"`, `psql -c "ALTER USER postgres WITH ENCRYPTED PASSWORD '«redacted:password»'"`, []string{"password"}, []int{1}},
		{"a password variable glued to its name", "PGPASSWORD=Orders2024 psql -h db", "PGPASSWORD=«redacted:password» psql -h db", []string{"password"}, []int{1}},
		{"connection strings", "jdbc:postgresql://db:5432/app?user=app&password=Orders2024\nServer=db;User Id=sa;Password=Orders2024!;\n",
			"jdbc:postgresql://db:5432/app?user=app&password=«redacted:password»\nServer=db;User Id=sa;Password=«redacted:password»;\n", []string{"password", "password"}, []int{1, 2}},
		// A well-known default is a credential in use, named as the default it is.
		{"the JDK keystore default", "keytool -importkeystore -srcstorepass changeit -deststorepass Orders2024 -destkeystore x.p12",
			"keytool -importkeystore -srcstorepass «redacted:keystore-default-password» -deststorepass «redacted:password» -destkeystore x.p12",
			[]string{"keystore-default-password", "password"}, []int{1, 1}},
		{"keytool flags reading elsewhere are not values", "keytool -list -storepass:env STOREPASS -keystore x.jks", "keytool -list -storepass:env STOREPASS -keystore x.jks", nil, nil},
		{"default credentials", "[options]\njwt_secret = secret\nRABBITMQ_DEFAULT_PASS: guest\n", "[options]\njwt_secret = «redacted:default-password»\nRABBITMQ_DEFAULT_PASS: «redacted:default-password»\n",
			[]string{"default-password", "default-password"}, []int{2, 3}},
		// References and placeholders are not secrets.
		{"references", "DB_PASSWORD=$(cat /run/secrets/db_password)\nMasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\nDbPassword: !Ref DbPassword\npassword = \"${var.db_password}\"\nadmin_pw: \"%{ if x }y%{ endif }\"\n",
			"DB_PASSWORD=$(cat /run/secrets/db_password)\nMasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\nDbPassword: !Ref DbPassword\npassword = \"${var.db_password}\"\nadmin_pw: \"%{ if x }y%{ endif }\"\n", nil, nil},
		{"a note in place of the value", "    token=\"not needed\"\nAPI_TOKEN='not set yet'\n", "    token=\"not needed\"\nAPI_TOKEN='not set yet'\n", nil, nil},
		{"a word with a digit or a capital is no note", "token=\"s3cret sauce\"\n", "token=\"«redacted:token»\"\n", []string{"token"}, []int{1}},
		{"token placeholders", "ADMIN_PASSWORD=__ADMIN_PASSWORD__\npassword: \"@@DB_PASSWORD@@\"\nredis_password: <REDIS_PASSWORD>\nsql: \"CREATE USER x IDENTIFIED BY '${DB_PW}'\"\n",
			"ADMIN_PASSWORD=__ADMIN_PASSWORD__\npassword: \"@@DB_PASSWORD@@\"\nredis_password: <REDIS_PASSWORD>\nsql: \"CREATE USER x IDENTIFIED BY '${DB_PW}'\"\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, hits := redact(tt.in)
			if got != tt.want {
				t.Errorf("redact:\n got %q\nwant %q", got, tt.want)
			}
			var kinds []string
			var lines []int
			for _, h := range hits {
				kinds = append(kinds, h.kind)
				lines = append(lines, h.line)
			}
			if strings.Join(kinds, ",") != strings.Join(tt.kind, ",") || len(lines) != len(tt.line) {
				t.Fatalf("kinds %v lines %v, want %v %v", kinds, lines, tt.kind, tt.line)
			}
			for i := range lines {
				if lines[i] != tt.line[i] {
					t.Errorf("line %d, want %d", lines[i], tt.line[i])
				}
			}
			if strings.Count(got, "\n") != strings.Count(tt.in, "\n") {
				t.Errorf("line count changed")
			}
			again, hits2 := redact(got)
			if again != got || len(hits2) != len(hits) {
				t.Errorf("not idempotent: %q (%d hits, first pass %d)", again, len(hits2), len(hits))
			}
		})
	}
}

func TestRedactEncodedBlob(t *testing.T) {
	secret := "export DB_PASSWORD=CanaryBlob1234\n"
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(secret))
	zw.Close()
	for name, blob := range map[string]string{
		"b64":    base64.StdEncoding.EncodeToString([]byte(secret)),
		"gz+b64": base64.StdEncoding.EncodeToString(zb.Bytes()),
	} {
		in := "write_files:\n- path: /etc/app.env\n  encoding: b64\n  content: " + blob + "\n"
		got, hits := redact(in)
		if len(hits) != 1 || hits[0].kind != SecretPassword || hits[0].line != 4 {
			t.Fatalf("%s: hits %+v", name, hits)
		}
		enc := strings.TrimSpace(got[strings.Index(got, "content: ")+9:])
		raw, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			t.Fatalf("%s: redacted blob does not decode: %v", name, err)
		}
		if name == "gz+b64" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(zr)
			raw = b.Bytes()
		}
		if string(raw) != "export DB_PASSWORD=«redacted:password»\n" {
			t.Errorf("%s: decoded %q", name, raw)
		}
	}
}
