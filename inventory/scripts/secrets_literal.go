package scripts

import (
	"regexp"
	"strings"
)

// What makes a value a secret, beyond the key it is assigned to: a literal is one wherever
// it is written, a reference or a placeholder never is, and a well-known default is one
// named as such — the keystore password every JDK ships with is still a password, and the
// finding says which.

// Kinds of well-known default credentials.
const (
	SecretKeystoreDefault = "keystore-default-password" // changeit, the JDK's cacerts password
	SecretDefaultPassword = "default-password"          // secret, password, admin, guest…
)

// knownDefaults are passwords products ship with or people type first; the value in a
// file is still a credential in use.
var knownDefaults = map[string]string{
	"changeit": SecretKeystoreDefault,
	"secret":   SecretDefaultPassword, "password": SecretDefaultPassword, "passwd": SecretDefaultPassword,
	"pass": SecretDefaultPassword, "admin": SecretDefaultPassword, "guest": SecretDefaultPassword,
	"root": SecretDefaultPassword, "default": SecretDefaultPassword, "letmein": SecretDefaultPassword,
	"welcome": SecretDefaultPassword, "qwerty": SecretDefaultPassword, "postgres": SecretDefaultPassword,
	"mysql": SecretDefaultPassword, "admin123": SecretDefaultPassword, "password1": SecretDefaultPassword,
}

// knownDefault names the default credential a value is, or "".
func knownDefault(v string) string {
	v = strings.ToLower(strings.TrimRight(strings.TrimSpace(v), ")}]'\";,"))
	return knownDefaults[strings.Trim(v, `"'`)]
}

// secretValue decides what a value assigned to a secret-bearing key or flag is: the kind
// of secret it is (kind, or the default it is), or nothing for a reference, a placeholder
// or a setting. A default value in a comment is an example of how to write the setting,
// not a credential in use.
func secretValue(line, v, kind string) (string, bool) {
	if d := knownDefault(v); d != "" {
		if commentLine(line) {
			return "", false
		}
		return d, true
	}
	if notASecret(v) || tokenPlaceholder(v) {
		return "", false
	}
	return kind, true
}

// commentLine reports a line that is a comment in the languages secrets are found in.
func commentLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, ";") ||
		strings.HasPrefix(t, "<!--") || hasPrefixFold(t, "rem ")
}

// tokenPlaceholder reports the markers deployment tools replace with the real value:
// @@DB_PASSWORD@@, @db_password@, __DB_PASSWORD__.
func tokenPlaceholder(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if len(v) < 3 {
		return false
	}
	for _, m := range []string{"@@", "@", "__"} {
		if strings.HasPrefix(v, m) && strings.HasSuffix(v, m) && len(v) > 2*len(m) && !strings.ContainsAny(v[len(m):len(v)-len(m)], " \t") {
			return true
		}
	}
	return false
}

// SQL that sets a password inline: CREATE USER … IDENTIFIED BY '…' (MySQL, Oracle),
// CREATE ROLE … PASSWORD '…' and ALTER USER … WITH ENCRYPTED PASSWORD '…' (PostgreSQL).
var (
	reSQLIdentifiedBy = regexp.MustCompile(`(?i)\bidentified\s+(?:with\s+\S+\s+)?by\s+(?:password\s+)?('[^'\n]*'|"[^"\n]*"|\\?'[^'\n]*\\?')`)
	reSQLPassword     = regexp.MustCompile(`(?i)\b(?:user|role|login)\b[^\n;]*?\bpassword\s+('[^'\n]*'|"[^"\n]*")`)
)

// sqlSecrets finds passwords set by SQL written into a script.
func sqlSecrets(line, low string, ls int, hits []secretHit) []secretHit {
	if !strings.Contains(low, "identified") && !strings.Contains(low, "password '") && !strings.Contains(low, "password \"") {
		return hits
	}
	for _, re := range []*regexp.Regexp{reSQLIdentifiedBy, reSQLPassword} {
		for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
			s, e := m[2], m[3]
			for s < e && (line[s] == '\\' || line[s] == '\'' || line[s] == '"') {
				s++
			}
			for e > s && (line[e-1] == '\\' || line[e-1] == '\'' || line[e-1] == '"') {
				e--
			}
			if e <= s {
				continue
			}
			if kind, ok := secretValue(line, line[s:e], SecretPassword); ok {
				hits = append(hits, secretHit{start: ls + s, end: ls + e, kind: kind})
			}
		}
	}
	return hits
}
