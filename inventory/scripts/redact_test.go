package scripts

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// The forms the hostile-input review found reaching reports (issue 12), each with the
// lookalikes that must stay as they are.
func TestRedactLoginsTokensAndHeaders(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"docker login -p", "docker login -u admin -p Dk8rPw-1a2b registry.example.org", "docker login -u admin -p «redacted:password» registry.example.org"},
		{"docker login -p quoted", `docker login -u ci -p "Dk8rPw 2" r.example.org`, `docker login -u ci -p "«redacted:password»" r.example.org`},
		{"podman login -p attached", "podman login -uadmin -pS3cr3tP0d-3c4d quay.io", "podman login -uadmin -p«redacted:password» quay.io"},
		{"helm registry login", "helm registry login r.example.org --username u -p HelmPw-5e6f", "helm registry login r.example.org --username u -p «redacted:password»"},
		{"docker login from stdin is no secret", `echo "$PW" | docker login -u admin --password-stdin r.example.org`, `echo "$PW" | docker login -u admin --password-stdin r.example.org`},
		{"docker login -p a variable is no secret", "docker login -u admin -p $REGISTRY_PASSWORD r.example.org", "docker login -u admin -p $REGISTRY_PASSWORD r.example.org"},
		{"docker run -p is a port", "docker run -p 8080:80 nginx", "docker run -p 8080:80 nginx"},
		{"curl -u", "curl -u deploy:CurlPw-7a8b https://artifacts.example.org/x.tgz -o x.tgz", "curl -u deploy:«redacted:password» https://artifacts.example.org/x.tgz -o x.tgz"},
		{"curl --user quoted", `curl -fsSL --user "deploy:CurlPw-9c0d" https://a.example.org/y`, `curl -fsSL --user "deploy:«redacted:password»" https://a.example.org/y`},
		{"curl -u with variables is no secret", `curl -u "$USER:$PASS" https://a.example.org/`, `curl -u "$USER:$PASS" https://a.example.org/`},
		{"curl -u user alone is no secret", "curl -u deploy https://a.example.org/", "curl -u deploy https://a.example.org/"},
		{"curl -U, upper case, for a proxy", "curl -sS -U ops:PrxPw-3e4f -x http://proxy.corp:3128 https://a.example.org/", "curl -sS -U ops:«redacted:password» -x http://proxy.corp:3128 https://a.example.org/"},
		{"sshpass -p", "sshpass -p 'SshPw-5g6h' ssh deploy@10.0.0.5 uptime", "sshpass -p '«redacted:password»' ssh deploy@10.0.0.5 uptime"},
		{"mariadb -p after another command", "MARIADB_PWD_FLAG=1; mariadb -u root -pMdbPw-7i8j", "MARIADB_PWD_FLAG=1; mariadb -u root -p«redacted:password»"},
		{"JWT", "export SESSION=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3ZWIifQ.c2lnbmF0dXJlc2lnbmF0dXJl", "export SESSION=«redacted:token»"},
		{"SendGrid key", "SMTP_KEY_X=SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq", "SMTP_KEY_X=«redacted:token»"},
		{"a SendGrid-like host name is no secret", "relay=smtp.sendgrid.net", "relay=smtp.sendgrid.net"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactString(tt.in); got != tt.want {
				t.Errorf("redact:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRedactEstateTags(t *testing.T) {
	e := &inventory.Estate{
		Groups: []inventory.AutoScalingGroup{{Name: "web", Tags: map[string]string{
			"DbPassword":  "TagPw-1234",
			"AccessKey":   "TagAccessKey-5678",
			"Token":       "TagToken-9012",
			"api_key":     "TagApiKey-3456",
			"Name":        "web",
			"app":         "orders",
			"DatabaseURL": "postgres://app:TagUrlPw-7890@db:5432/app",
			"SecretArn":   "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db",
			"TokenTTL":    "3600",
		}}},
		LoadBalancers: []inventory.LoadBalancer{{Name: "lb", Tags: map[string]string{"AdminPassword": "LbPw-1111"}}},
		TargetGroups:  []inventory.TargetGroup{{Name: "tg", Tags: map[string]string{"auth_token": "TgTok-2222"}}},
	}
	RedactEstate(e)
	tags := e.Groups[0].Tags
	for key, want := range map[string]string{
		"DbPassword": "«redacted:password»", "AccessKey": "«redacted:credential»", "Token": "«redacted:token»",
		"api_key": "«redacted:api-key»", "Name": "web", "app": "orders",
		"DatabaseURL": "postgres://app:«redacted:password-in-url»@db:5432/app",
		"SecretArn":   "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db", "TokenTTL": "3600",
	} {
		if tags[key] != want {
			t.Errorf("tag %s = %q; want %q", key, tags[key], want)
		}
	}
	for _, v := range []string{e.LoadBalancers[0].Tags["AdminPassword"], e.TargetGroups[0].Tags["auth_token"]} {
		if !strings.HasPrefix(v, markerPrefix) {
			t.Errorf("a load balancer or target group tag kept its secret: %q", v)
		}
	}
}

func TestRedactPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"roles/web/tasks/main.yml", "roles/web/tasks/main.yml"},
		{"passwords/rotate.sh", "passwords/rotate.sh"},
		{"db_password=Hunter2Name.sh", "db_password=«redacted:password».sh"},
		{"token=Tok3nF0lder/boot.sh", "token=«redacted:token»/boot.sh"},
		{"keys/AKIAIOSFODNN7EXAMPLE.txt", "keys/«redacted:aws-access-key-id».txt"},
	} {
		if got := RedactPath(tt.in); got != tt.want {
			t.Errorf("RedactPath(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// A CloudFormation parameter named for a secret, or marked NoEcho, has its Default
// redacted: the value flows wherever the template refers to the parameter.
func TestRedactCloudFormationParameterDefaults(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"YAML, named for a secret",
			"Parameters:\n  DbPassword:\n    Type: String\n    Default: Sup3rSecret-1\n  InstanceType:\n    Type: String\n    Default: t3.small\n",
			"Parameters:\n  DbPassword:\n    Type: String\n    Default: «redacted:password»\n  InstanceType:\n    Type: String\n    Default: t3.small\n"},
		{"YAML, NoEcho after the default",
			"Parameters:\n  Owner:\n    Type: String\n    Default: \"Quiet-Value-2\"\n    NoEcho: true\nResources: {}\n",
			"Parameters:\n  Owner:\n    Type: String\n    Default: \"«redacted:secret»\"\n    NoEcho: true\nResources: {}\n"},
		{"YAML, a secret's name with an empty or referenced default is left",
			"Parameters:\n  ApiToken:\n    Type: String\n    Default: \"\"\n  DbPasswordSsm:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /prod/db/password\n",
			"Parameters:\n  ApiToken:\n    Type: String\n    Default: \"\"\n  DbPasswordSsm:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /prod/db/password\n"},
		{"JSON",
			`{"Parameters": {"DbPassword": {"Type": "String", "Default": "Sup3rSecret-3"}, "Size": {"Type": "String", "Default": "t3.small"}, "Hidden": {"Type": "String", "NoEcho": "true", "Default": "Quiet-Value-4"}}}`,
			`{"Parameters": {"DbPassword": {"Type": "String", "Default": "«redacted:password»"}, "Size": {"Type": "String", "Default": "t3.small"}, "Hidden": {"Type": "String", "NoEcho": "true", "Default": "«redacted:secret»"}}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactString(tt.in); got != tt.want {
				t.Errorf("redact:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
