package scripts

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"math/bits"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"whyk8s/inventory"
)

// Secrets are found and replaced in the raw text before any reader sees it, so that no
// reader, Detail or Excerpt can ever carry a value: readers only ever parse redacted text.
// A replacement keeps every newline of what it replaces, so line numbers stay true.

const (
	markerPrefix = inventory.RedactedPrefix
	markerSuffix = inventory.RedactedSuffix
)

func marker(kind string) string { return markerPrefix + kind + markerSuffix }

// Secret kinds, used as Fact.Detail and in redaction markers.
const (
	SecretAWSKeyID       = "aws-access-key-id"
	SecretAWSSecretKey   = "aws-secret-key"
	SecretAWSSession     = "aws-session-token"
	SecretPrivateKey     = "private-key"
	SecretPassword       = "password"
	SecretPasswordHash   = "password-hash"
	SecretPasswordInURL  = "password-in-url"
	SecretToken          = "token"
	SecretAPIKey         = "api-key"
	SecretCredential     = "credential"
	SecretLicenseKey     = "license-key"
	SecretGeneric        = "secret"
	SecretEncodedContent = "encoded-secret"
)

// secretHit is one secret in a text: the byte span of its value. A hit with start == end
// is a redaction marker already in place (text redacted earlier, e.g. by the collector).
type secretHit struct {
	start, end int
	kind       string
	repl       string // replacement text; empty means the marker for kind
	line       int
}

// redact returns text with every secret value replaced by a marker, and the secrets found
// (kind and line only). Redacting redacted text changes nothing and finds the same secrets.
func redact(text string) (string, []secretHit) {
	hits := findSecrets(text, 0)
	if len(hits) == 0 {
		return text, nil
	}
	line, lineAt := 1, 0
	for i := range hits {
		line += strings.Count(text[lineAt:hits[i].start], "\n")
		lineAt = hits[i].start
		hits[i].line = line
	}
	return redactWith(text, hits)
}

// redactString is redact without the hits.
func redactString(s string) string {
	out, _ := redact(s)
	return out
}

// needles are lower-case fragments one of which every detectable secret's line holds; a
// line without any is skipped without running the detectors.
var needles = []string{
	"pass", "pw", "secret", "token", "key", "cred", "auth", "://", markerPrefix,
	"akia", "asia", "ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xox", "sk_live_",
	"rk_live_", "aiza", "hooks.slack.com", "npm_", "net user", "license",
	"eyj", "sg.", "curl", "login", // JWTs, SendGrid keys, curl -u user:pw, docker login -p pw
	"identified", // SQL: IDENTIFIED BY '…'
}

// needleFirst and needleSecond hold, for each byte in either case, a bit for each needle
// it is the first (second) byte of: a line is searched for needles in one pass, without
// lower-casing it.
var needleFirst, needleSecond = func() (f, s [256]uint32) {
	if len(needles) > 32 {
		panic("scripts: more needles than bits")
	}
	for k, n := range needles {
		for _, c := range []byte{n[0], upperByte(n[0])} {
			f[c] |= 1 << k
		}
		for _, c := range []byte{n[1], upperByte(n[1])} {
			s[c] |= 1 << k
		}
	}
	return f, s
}()

// lowerByte lower-cases an ASCII letter and leaves every other byte as it is.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// hasNeedle reports whether line holds a needle, ignoring ASCII case.
func hasNeedle(line string) bool {
	if len(line) < 2 {
		return false
	}
	first := needleFirst[line[0]]
	for i := 1; i < len(line); i++ {
		c := line[i]
		for hit := first & needleSecond[c]; hit != 0; hit &= hit - 1 {
			if hasPrefixFold(line[i-1:], needles[bits.TrailingZeros32(hit)]) {
				return true
			}
		}
		first = needleFirst[c]
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, a lower-case string, ignoring ASCII
// case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func findSecrets(text string, depth int) []secretHit {
	var hits []secretHit
	hits = privateKeyBlocks(text, hits)
	hits = encodedBlobs(text, hits, depth)

	// Candidate lines: those holding a needle. Only they are lower-cased.
	for ls := 0; ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		if hasNeedle(text[ls:le]) {
			hits = lineSecrets(text, asciiLower(text[ls:le]), ls, le, hits)
		}
		ls = le + 1
	}
	hits = blockScalarSecrets(text, hits)
	hits = hclVariableDefaults(text, hits)
	hits = cfnParameterDefaults(text, hits)
	hits = chpasswdLists(text, hits)
	return settle(hits)
}

// settle sorts hits and drops any overlapping an earlier one.
func settle(hits []secretHit) []secretHit {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return hits[i].end > hits[j].end
	})
	out := hits[:0]
	end := -1
	for _, h := range hits {
		if h.start < end || (h.start == end && h.start == h.end && len(out) > 0 && out[len(out)-1].start == h.start) {
			continue
		}
		out = append(out, h)
		if h.end > end {
			end = h.end
		}
	}
	return out
}

// asciiLower lower-cases ASCII letters; a string without upper-case letters is returned as
// it is, without a copy.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		b.WriteByte(lowerByte(s[i]))
	}
	return b.String()
}

var (
	reKeyBegin   = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
	reKeyEnd     = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----`)
	reAWSKeyID   = regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b`)
	reMarker     = regexp.MustCompile(`«redacted:([a-z0-9-]+)»`)
	reURLCreds   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'"<>]+:([^\s@/'"<>]+)@`)
	reAuthHeader = regexp.MustCompile(`(?i)authorization\s*[:=]\s*["']?(?:bearer|basic|token)\s+([^\s'"]+)`)
	reTokens     = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64})\b`)
	reSlackHook  = regexp.MustCompile(`hooks\.slack\.com/services/([A-Za-z0-9/]+)`)
	reMySQLPass  = regexp.MustCompile(`\b(?:mysql|mysqladmin|mysqldump|mariadb)\b[^\n|;&]*?\s-p((?:'[^'\n]*')|(?:"[^"\n]*")|[^\s'"-][^\s'"]*)`)
	reSSHPass    = regexp.MustCompile(`\bsshpass\s+-p\s*((?:'[^'\n]*')|(?:"[^"\n]*")|[^\s'"]+)`)
	reNetUser    = regexp.MustCompile(`(?i)\bnet\s+user\s+\S+\s+([^\s/*]\S*)\s+/add`)
	reChpasswd   = regexp.MustCompile(`(?i)echo\s+(?:-e\s+)?["']?[\w.@-]+:([^\s"':]+)["']?\s*\|\s*(?:sudo\s+)?chpasswd`)
	rePasswdIn   = regexp.MustCompile(`(?i)echo\s+(?:-e\s+)?["']?([^\s"'|]+)["']?\s*\|\s*(?:sudo\s+)?passwd\s+--stdin`)
	reSecureStr  = regexp.MustCompile(`(?i)convertto-securestring\s+(?:-string\s+)?(?:"([^"\n]+)"|'([^'\n]+)')`)
	reHtpasswd   = regexp.MustCompile(`\bhtpasswd\s+-[a-zA-Z]*b[a-zA-Z]*\s+\S+\s+\S+\s+((?:'[^'\n]*')|(?:"[^"\n]*")|[^\s'"]+)`)
	// docker login -p pw (also podman, buildah, skopeo, nerdctl, helm registry, oras); the
	// --password form is a key-value secret already.
	reRegistryLogin = regexp.MustCompile(`\b(?:docker|podman|buildah|skopeo|nerdctl|helm|oras)\b[^\n|;&]*?\blogin\b[^\n|;&]*?\s-p(?:=|\s+)?((?:'[^'\n]*')|(?:"[^"\n]*")|[^\s'"-][^\s'"]*)`)
	// curl -u user:pw, --user user:pw, --proxy-user user:pw, -U user:pw
	reCurlUser = regexp.MustCompile(`\bcurl\b[^\n|;&]*?\s(?:-u|-U|--user|--proxy-user)(?:=|\s*)['"]?[^\s:'"]*:([^\s'"@]+)`)
	reCrypt    = regexp.MustCompile(`^\$(?:1|2[abxy]?|5|6|7|y|gy)\$[./A-Za-z0-9$=,]+$`)
)

// privateKeyBlocks redacts the body of every private key block, from the BEGIN line to the
// END line (or, when there is no END, the base64 lines that follow).
func privateKeyBlocks(text string, hits []secretHit) []secretHit {
	// Both expressions below need the words in capitals.
	if !strings.Contains(text, "PRIVATE KEY") {
		return hits
	}
	for _, m := range reKeyBegin.FindAllStringIndex(text, -1) {
		start := m[1]
		if e := reKeyEnd.FindStringIndex(text[start:]); e != nil {
			end := start + e[0]
			// Keep the END line's indentation: inside a YAML block it is structure.
			for end > start && (text[end-1] == ' ' || text[end-1] == '\t') {
				end--
			}
			hits = append(hits, secretHit{start: start, end: end, kind: SecretPrivateKey})
			continue
		}
		end := start
		rest := text[start:]
		for len(rest) > 0 {
			nl := strings.IndexByte(rest, '\n')
			line := rest
			if nl >= 0 {
				line = rest[:nl+1]
			}
			t := strings.Trim(line, " \t\r\n\"',")
			if t != "" && !isBase64Line(t) && end > start {
				break
			}
			end += len(line)
			rest = rest[len(line):]
		}
		if end > start && text[end-1] == '\n' {
			end-- // keep the newline that ends the last key line
		}
		hits = append(hits, secretHit{start: start, end: end, kind: SecretPrivateKey})
	}
	return hits
}

// keywordPatterns are the single-line detectors whose first capturing group is the secret;
// each runs only on a line holding one of its words (most lines hold none) and, where flag
// is set, the flag its pattern needs, lower-cased: most lines that run curl or mysql pass
// no password, and a pattern that finds none tries every place the command could start.
var keywordPatterns = []struct {
	words []string
	flag  string
	re    *regexp.Regexp
	kind  string
}{
	{[]string{"authorization"}, "", reAuthHeader, SecretToken},
	{[]string{"hooks.slack.com"}, "", reSlackHook, SecretToken},
	{[]string{"mysql", "mariadb"}, "-p", reMySQLPass, SecretPassword},
	{[]string{"sshpass"}, "-p", reSSHPass, SecretPassword},
	{[]string{"net user"}, "", reNetUser, SecretPassword},
	{[]string{"chpasswd"}, "", reChpasswd, SecretPassword},
	{[]string{"--stdin"}, "", rePasswdIn, SecretPassword},
	{[]string{"securestring"}, "", reSecureStr, SecretPassword},
	{[]string{"htpasswd"}, "", reHtpasswd, SecretPassword},
	{[]string{"login"}, "-p", reRegistryLogin, SecretPassword},
	{[]string{"curl"}, "-u", reCurlUser, SecretPassword},
}

// lineSecrets runs the single-line detectors over text[ls:le]; low is that line
// lower-cased.
func lineSecrets(text, low string, ls, le int, hits []secretHit) []secretHit {
	line := text[ls:le]
	group := func(re *regexp.Regexp, kind string) {
		for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
			for g := 2; g+1 < len(m); g += 2 {
				if m[g] < 0 {
					continue
				}
				s, e := unquoteSpan(line, m[g], m[g+1])
				if k, ok := secretValue(line, line[s:e], kind); e > s && ok {
					hits = append(hits, secretHit{start: ls + s, end: ls + e, kind: k})
				}
				break
			}
		}
	}
	if strings.Contains(line, markerPrefix) {
		for _, m := range reMarker.FindAllStringSubmatchIndex(line, -1) {
			hits = append(hits, secretHit{start: ls + m[0], end: ls + m[0], kind: line[m[2]:m[3]]})
		}
	}
	if strings.Contains(line, "A") {
		for _, m := range reAWSKeyID.FindAllStringIndex(line, -1) {
			hits = append(hits, secretHit{start: ls + m[0], end: ls + m[1], kind: SecretAWSKeyID})
		}
	}
	has := func(subs ...string) bool {
		for _, x := range subs {
			if strings.Contains(low, x) {
				return true
			}
		}
		return false
	}
	// Each pattern runs only on a line holding its keyword: most lines hold none.
	if has("://") && strings.Contains(line, "@") {
		group(reURLCreds, SecretPasswordInURL)
	}
	if has("ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "glpat-", "xox", "sk_live_", "rk_live_", "aiza", "npm_", "eyj", "sg.") {
		for _, m := range reTokens.FindAllStringIndex(line, -1) {
			hits = append(hits, secretHit{start: ls + m[0], end: ls + m[1], kind: SecretToken})
		}
	}
	for _, kp := range keywordPatterns {
		if has(kp.words...) && strings.Contains(low, kp.flag) {
			group(kp.re, kp.kind)
		}
	}
	hits = sqlSecrets(line, low, ls, hits)
	return keyValueSecrets(line, low, ls, hits)
}

// unquoteSpan narrows a span to the inside of its quotes, if it is quoted.
func unquoteSpan(s string, a, b int) (int, int) {
	if b-a >= 2 && (s[a] == '"' || s[a] == '\'') && s[b-1] == s[a] {
		return a + 1, b - 1
	}
	return a, b
}

// keyRoots are the fragments a secret-bearing key contains; keyValueSecrets checks the
// whole key word by word before treating its value as a secret.
var keyRoots = []string{"pass", "pwd", "pw", "secret", "token", "key", "cred", "license"}

func isKeyChar(c byte) bool {
	return c == '_' || c == '-' || c == '.' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// keyValueSecrets finds `key = value` forms whose key names a secret: shell and env
// assignments, YAML and JSON keys, HCL attributes, INI lines, command-line flags
// (--password x), XML elements and PowerShell variables.
func keyValueSecrets(line, lower string, ls int, hits []secretHit) []secretHit {
	done := -1
	for _, root := range keyRoots {
		for off := 0; ; {
			i := strings.Index(lower[off:], root)
			if i < 0 {
				break
			}
			i += off
			// Expand to the whole key token; the search goes on after it.
			ks := i
			for ks > 0 && isKeyChar(line[ks-1]) {
				ks--
			}
			ke := i + len(root)
			for ke < len(line) && isKeyChar(line[ke]) {
				ke++
			}
			off = ke
			if ks <= done {
				continue
			}
			key := line[ks:ke]
			kind := secretKeyKind(key)
			if kind == "" {
				continue
			}
			vs, ve, ok := valueAfterKey(line, ks, ke)
			if !ok {
				continue
			}
			v := line[vs:ve]
			if reCrypt.MatchString(v) {
				kind = SecretPasswordHash
			} else if k, ok := secretValue(line, v, kind); ok {
				kind = k
			} else {
				continue
			}
			if kind == SecretGeneric && strings.Contains(strings.ToLower(key), "aws") && len(v) == 40 {
				kind = SecretAWSSecretKey
			}
			hits = append(hits, secretHit{start: ls + vs, end: ls + ve, kind: kind})
			done = ke
		}
	}
	return hits
}

// valueAfterKey finds the value that follows a key token at line[ks:ke]: the separator
// (=, :, :=, =>, whitespace after a --flag, > after an XML tag) then a quoted or bare value.
func valueAfterKey(line string, ks, ke int) (int, int, bool) {
	i := ke
	// A quoted key: "password": "x"
	if ks > 0 && (line[ks-1] == '"' || line[ks-1] == '\'') && i < len(line) && line[i] == line[ks-1] {
		i++
	}
	skip := func() {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
	}
	skip()
	sep := ""
	switch {
	case strings.HasPrefix(line[i:], ":="), strings.HasPrefix(line[i:], "=>"):
		sep, i = "=", i+2
	case i < len(line) && line[i] == '=':
		sep, i = "=", i+1
	case i < len(line) && line[i] == ':':
		sep, i = ":", i+1
		if i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '"' && line[i] != '\'' {
			return 0, 0, false // "key:x" is a URL, a mapping of ports, a user:group
		}
	case ks > 0 && line[ks-1] == '<' && i < len(line) && line[i] == '>':
		sep, i = ">", i+1
		if i < len(line) && line[i] == '=' {
			// "<__LICENSE_KEY__>=$license_key": a placeholder token set to a value, not an
			// XML element.
			sep, i = "=", i+1
		}
	case strings.HasPrefix(line[ks:], "-") && i > ke:
		sep = " "
	case i > ke && strings.Contains(strings.ToLower(line[:ks]), "configure set"):
		sep = " "
	default:
		return 0, 0, false
	}
	skip()
	if i >= len(line) {
		return 0, 0, false
	}
	switch q := line[i]; q {
	case '"', '\'':
		j := i + 1
		for j < len(line) && line[j] != q {
			if line[j] == '\\' {
				j++
			}
			j++
		}
		if j > len(line) {
			j = len(line)
		}
		return i + 1, j, j > i+1
	}
	j := i
	// A key inside a quoted string ("X-Api-Key: v", 'password=v'): the value ends where
	// that string does, so redaction never eats the closing quote.
	if q := enclosingQuote(line[:ks]); q != 0 {
		for j < len(line) && line[j] != q {
			if line[j] == '\\' {
				j++
			}
			j++
		}
		if j > len(line) {
			j = len(line)
		}
		for j > i && line[j-1] == ' ' {
			j--
		}
		return i, j, j > i
	}
	switch sep {
	case ">":
		for j < len(line) && line[j] != '<' {
			j++
		}
	case ":":
		flow := strings.ContainsAny(line[:i], "{[")
		for j < len(line) {
			c := line[j]
			if c == '#' && j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
				break
			}
			if flow && (c == ',' || c == '}' || c == ']') {
				break
			}
			j++
		}
		for j > i && (line[j-1] == ' ' || line[j-1] == '\t' || line[j-1] == '\r' || line[j-1] == ',') {
			j--
		}
	default:
		for j < len(line) && !strings.ContainsRune(" \t\r;&|,)}]\"'`", rune(line[j])) {
			j++
		}
		// "x = value more words" is an expression (PowerShell, a program), not an INI
		// setting or a shell assignment.
		if sep == "=" && line[i-1] == ' ' {
			rest := strings.TrimSpace(line[j:])
			if rest != "" && !strings.HasPrefix(rest, "#") && !strings.HasPrefix(rest, ";") {
				return 0, 0, false
			}
		}
	}
	return i, j, j > i
}

// enclosingQuote returns the quote character left open at the end of s, or 0.
func enclosingQuote(s string) byte {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && q == '"':
			i++
		case q == 0 && (c == '"' || c == '\''):
			q = c
		case c == q:
			q = 0
		}
	}
	return q
}

// secretKeyKind says which kind of secret a key names, or "" when it names none.
// SecretName reports whether a name (a variable, a parameter, a key) is named for a
// secret: db_password, ApiToken, aws_secret_access_key.
func SecretName(name string) bool { return secretKeyKind(name) != "" }

func secretKeyKind(key string) string {
	words := keyWords(key)
	if len(words) == 0 {
		return ""
	}
	if n := len(words); n >= 3 && words[0] == "aws" && words[1] == "access" && words[2] == "key" && (n == 3 || n == 4 && words[3] == "id") {
		return SecretAWSKeyID
	}
	switch words[len(words)-1] {
	case "file", "files", "path", "dir", "directory", "name", "names", "id", "ids", "arn", "url", "uri",
		"endpoint", "length", "len", "min", "max", "minimum", "maximum", "policy", "prompt", "cmd",
		"command", "env", "var", "vars", "variable", "param", "parameter", "ref", "type", "enabled",
		"enable", "disabled", "required", "expire", "expires", "expiry", "expiration", "ttl", "age",
		"rotation", "store", "manager", "method", "mode", "header", "field", "format", "location",
		"backend", "provider", "version", "count", "size", "source", "from", "regex", "pattern",
		"auth", "authentication", "stdin", "change", "reset", "list", "keys", "pairs", "location_id",
		"server", "host", "port", "user", "username", "salt", "hash", "algorithm", "id_env", "lookup",
		"option", "options", "flag", "flags", "features", "feature", "providers", "label", "prefix", "suffix", "template", "tpl", "j2", "key_name",
		"fingerprint", "dest", "destination", "src", "owner", "group", "permissions", "mode_octal",
		"seconds", "secs", "timeout", "minutes", "hours", "days", "interval", "retries", "limit", "duration":
		return ""
	}
	has := map[string]bool{}
	for _, w := range words {
		has[w] = true
	}
	switch {
	case has["aws"] && has["session"] && has["token"]:
		return SecretAWSSession
	case has["aws"] && has["secret"], has["secret"] && has["access"] && has["key"], has["secretaccesskey"]:
		return SecretAWSSecretKey
	case has["private"] && has["key"], has["privatekey"]:
		return SecretPrivateKey
	case has["api"] && has["key"], has["apikey"], has["app"] && has["key"] && has["dd"]:
		return SecretAPIKey
	case has["license"] && has["key"], has["licensekey"]:
		return SecretLicenseKey
	case has["token"], has["auth"] && has["key"]:
		return SecretToken
	case has["password"], has["passwd"], has["pass"], has["pwd"], has["pw"], has["passphrase"], has["passwords"], passwordWord(words):
		return SecretPassword
	case has["credential"], has["credentials"]:
		return SecretCredential
	case has["secret"], has["secretkey"], has["secrets"] && len(words) > 1:
		return SecretGeneric
	}
	return ""
}

// passwordWord reports a key word that names a password on its own: one ending in
// "password" or "passwd" (PGPASSWORD, dbpassword) or keytool's -storepass and -keypass
// flags in their forms. A word that says there is none (sudoers' NOPASSWD tag,
// nopassword) is a flag, not a password.
func passwordWord(words []string) bool {
	for _, w := range words {
		switch {
		case w == "nopasswd" || w == "nopassword" || w == "nopass":
		case strings.HasSuffix(w, "password") || strings.HasSuffix(w, "passwd"):
			return true
		case w == "storepass" || w == "keypass" || w == "srcstorepass" || w == "deststorepass" || w == "srckeypass" ||
			w == "destkeypass" || w == "keystorepass" || w == "truststorepass" || w == "storepasswd":
			return true
		}
	}
	return false
}

// keyWords splits a key into lower-case words: at _ - . and at camelCase humps.
func keyWords(key string) []string {
	key = strings.TrimLeft(key, "-$@")
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == ':':
			flush()
		case 'A' <= c && c <= 'Z' && i > 0 && 'a' <= key[i-1] && key[i-1] <= 'z':
			flush()
			cur = append(cur, c)
		default:
			cur = append(cur, c)
		}
	}
	flush()
	return words
}

// notASecret reports values that are references, placeholders or plain settings rather
// than a secret written in the file.
func notASecret(v string) bool {
	// The end of an enclosing expression is not part of the value: {Token: true}').
	v = strings.TrimRight(strings.TrimSpace(v), ")}]'\";,")
	if len(v) < 3 {
		return true
	}
	lv := strings.ToLower(v)
	if placeholder(lv) {
		return true
	}
	for _, p := range []string{"#", "$", "{{", "{%", "%{", "<%", "((", "#{", "!vault", "!ref", "!sub",
		"!getatt", "!import", "lookup(", "var.", "local.", "data.", "module.", "each.", markerPrefix,
		"env:", "process.env", "os.environ", "getenv", "env[", "`", "vault:", "ssm:", "arn:", "/",
		"./", "../", "~/", "file:", "http://", "https://", "s3://", "<", "resolve:", "{", "[",
		"%", "+", "*"} {
		if strings.HasPrefix(lv, p) {
			return true
		}
	}
	if strings.Contains(v, "{{") || strings.Contains(v, "${") || strings.Contains(v, "$(") || strings.ContainsAny(v, "«»") {
		return true
	}
	// "@secrets.txt", "@/run/pw": a file the tool reads the value from; "@ns1bl3" is a
	// password that happens to start with @.
	if strings.HasPrefix(v, "@") && (strings.ContainsAny(v, "/\\") || path.Ext(v) != "") {
		return true
	}
	switch lv {
	case "true", "false", "yes", "no", "on", "off", "null", "none", "nil", "~", "required",
		"optional", "string", "random", "prompt", "sensitive", "changed", "omit", "undef", "empty",
		"disabled", "enabled", "never", "always", "bool", "boolean", "number", "any", "text":
		return true
	}
	allSame, digits, upperIdent := true, true, true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != v[0] {
			allSame = false
		}
		if c < '0' || c > '9' {
			digits = false
		}
		if !(('A' <= c && c <= 'Z') || c == '_' || ('0' <= c && c <= '9')) {
			upperIdent = false
		}
	}
	if allSame || digits || (upperIdent && strings.Contains(v, "_")) || prose(v) {
		return true
	}
	// A call or an expression: getpass(), os.getenv("X"), !Ref X
	return strings.HasSuffix(v, ")") && strings.Contains(v, "(")
}

// prose reports a value that is a few lower-case words — token="not needed", password="not
// set yet" — a note in place of the secret, not a credential. A passphrase of plain words
// reads the same and is missed: scripts rarely hold one, and flagging every sentence
// assigned to a token variable would bury the real ones.
func prose(v string) bool {
	words := strings.Split(v, " ")
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		if w == "" {
			return false
		}
		for i := 0; i < len(w); i++ {
			if w[i] < 'a' || w[i] > 'z' {
				return false
			}
		}
	}
	return true
}

// placeholder reports the values examples and commented-out defaults use in place of a
// secret: "your_password", "changeme", "secret", "example".
func placeholder(lv string) bool {
	switch lv {
	case "changeme", "change_me", "example", "placeholder",
		"dummy", "redacted", "xxx", "xxxx", "xxxxxx", "todo", "tbd", "fixme", "foo", "foobar", "test", "notset":
		return true
	}
	for _, p := range []string{"your_", "your-", "yourpass", "<your", "example_", "example-", "changeme"} {
		if strings.HasPrefix(lv, p) {
			return true
		}
	}
	return strings.Contains(lv, "placeholder") || strings.Contains(lv, "example.com")
}

// blockScalarSecrets handles a secret key whose YAML value is a block scalar (key: | or
// key: >-): every more-indented line after it is the value.
func blockScalarSecrets(text string, hits []secretHit) []secretHit {
	if !strings.Contains(text, ": |") && !strings.Contains(text, ": >") {
		return hits
	}
	off := 0
	for off < len(text) {
		// Only a line with a | or > can end in a block indicator: the lines between are
		// passed over at once.
		b := strings.IndexAny(text[off:], "|>")
		if b < 0 {
			break
		}
		off += strings.LastIndexByte(text[off:off+b], '\n') + 1
		le := strings.IndexByte(text[off:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += off
		}
		line := text[off:le]
		t := strings.TrimRight(line, " \t\r")
		if c := strings.LastIndex(t, ": "); c > 0 && isBlockIndicator(strings.TrimSpace(t[c+2:])) {
			key := strings.Trim(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t[:c]), "- ")), `"'`)
			if kind := secretKeyKind(key); kind != "" && !strings.ContainsAny(key, " \t") {
				indent := len(line) - len(strings.TrimLeft(line, " "))
				s, e := le+1, le+1
				for p := le + 1; p < len(text); {
					ne := strings.IndexByte(text[p:], '\n')
					if ne < 0 {
						ne = len(text)
					} else {
						ne += p
					}
					l := text[p:ne]
					if strings.TrimSpace(l) != "" && len(l)-len(strings.TrimLeft(l, " ")) <= indent {
						break
					}
					if strings.TrimSpace(l) != "" {
						e = ne
					}
					p = ne + 1
				}
				if e > s {
					v := strings.TrimSpace(text[s:e])
					if k, ok := secretValue(line, v, kind); ok && !strings.HasPrefix(v, "$ANSIBLE_VAULT") && !strings.HasPrefix(v, "-----BEGIN") {
						// keep the indentation of the first line so the YAML stays valid
						ind := text[s : s+len(text[s:e])-len(strings.TrimLeft(text[s:e], " "))]
						hits = append(hits, secretHit{start: s + len(ind), end: e, kind: k})
					}
				}
			}
		}
		off = le + 1
	}
	return hits
}

func isBlockIndicator(s string) bool {
	switch s {
	case "|", "|-", "|+", ">", ">-", ">+":
		return true
	}
	return false
}

var (
	reHCLVariable = regexp.MustCompile(`^\s*variable\s+"([^"]+)"\s*\{`)
	reHCLDefault  = regexp.MustCompile(`^\s*default\s*=\s*"([^"\n]*)"`)
)

// hclVariableDefaults finds `variable "db_password" { default = "…" }`: the key that names
// the secret is the block label, not the attribute.
func hclVariableDefaults(text string, hits []secretHit) []secretHit {
	if !strings.Contains(text, "variable") {
		return hits
	}
	kind, depth := "", 0
	off := 0
	for off < len(text) {
		le := strings.IndexByte(text[off:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += off
		}
		line := text[off:le]
		if m := reHCLVariable.FindStringSubmatch(line); m != nil {
			kind, depth = secretKeyKind(m[1]), 0
		}
		if kind != "" {
			if m := reHCLDefault.FindStringSubmatchIndex(line); m != nil {
				if k, ok := secretValue(line, line[m[2]:m[3]], kind); ok {
					hits = append(hits, secretHit{start: off + m[2], end: off + m[3], kind: k})
				}
			}
			depth += strings.Count(line, "{") - strings.Count(line, "}")
			if depth <= 0 {
				kind = ""
			}
		}
		off = le + 1
	}
	return hits
}

var reChpasswdEntry = regexp.MustCompile(`^\s*(?:-\s*)?["']?[\w.@-]+:([^\s"']+)["']?\s*$`)

// chpasswdLists finds the user:password lines of a cloud-config chpasswd list.
func chpasswdLists(text string, hits []secretHit) []secretHit {
	ci := strings.Index(text, "chpasswd:")
	if ci < 0 {
		return hits
	}
	off := ci
	inList, listIndent := false, 0
	for off < len(text) {
		le := strings.IndexByte(text[off:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += off
		}
		line := text[off:le]
		indent := len(line) - len(strings.TrimLeft(line, " "))
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "list:"):
			inList, listIndent = true, indent
		case inList && t != "" && indent <= listIndent:
			inList = false
		case inList:
			if m := reChpasswdEntry.FindStringSubmatchIndex(line); m != nil {
				v := line[m[2]:m[3]]
				kind := SecretPassword
				if reCrypt.MatchString(v) {
					kind = SecretPasswordHash
				}
				if v != "RANDOM" && v != "R" {
					hits = append(hits, secretHit{start: off + m[2], end: off + m[3], kind: kind})
				}
			}
		}
		off = le + 1
	}
	return hits
}

func isBase64Char(c byte) bool { return base64Chars[c] }

var base64Chars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '+' || c == '/' || c == '='
	}
	return t
}()

func isBase64Line(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBase64Char(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// encodedBlobs finds base64 text (one long token, or a run of base64 lines) that decodes
// — possibly through gzip — to text holding a secret, and replaces it with the base64 of
// the redacted text, so the blob still decodes (a MIME part, a write_files entry) but
// without the value.
func encodedBlobs(text string, hits []secretHit, depth int) []secretHit {
	if depth > 1 {
		return hits
	}
	for i := 0; i < len(text); {
		if !isBase64Char(text[i]) || (i > 0 && (isBase64Char(text[i-1]) || text[i-1] == '_' || text[i-1] == '-' || text[i-1] == '.')) {
			i++
			continue
		}
		// Extend over base64 characters and, for a multi-line run, over newline+indent
		// followed by more base64.
		j, lines := i, 1
		for {
			for j < len(text) && isBase64Char(text[j]) {
				j++
			}
			k := j
			if k < len(text) && text[k] == '\r' {
				k++
			}
			if k < len(text) && text[k] == '\n' && j-i >= 40 {
				m := k + 1
				for m < len(text) && (text[m] == ' ' || text[m] == '\t') {
					m++
				}
				n := m
				for n < len(text) && isBase64Char(text[n]) {
					n++
				}
				if n-m >= 4 && (n == len(text) || text[n] == '\n' || text[n] == '\r' || text[n] == '"') {
					j, lines = m, lines+1
					continue
				}
			}
			break
		}
		if j-i >= 20 && (j == len(text) || !isKeyChar(text[j]) || text[j] == '.') {
			if h, ok := blobHit(text[i:j], lines, depth); ok {
				h.start += i
				h.end += i
				hits = append(hits, h)
			}
		}
		i = j + 1
	}
	return hits
}

func blobHit(blob string, lines, depth int) (secretHit, bool) {
	compact := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, blob)
	if !strings.ContainsAny(compact, "0123456789+=ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return secretHit{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(compact, "=")); err != nil {
			return secretHit{}, false
		}
	}
	gz := len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return secretHit{}, false
		}
		raw, err = io.ReadAll(io.LimitReader(zr, 1<<20))
		if err != nil {
			return secretHit{}, false
		}
	}
	if !utf8.Valid(raw) || bytes.IndexByte(raw, 0) >= 0 {
		return secretHit{}, false
	}
	inner := findSecrets(string(raw), depth+1)
	if len(inner) == 0 {
		return secretHit{}, false
	}
	// Re-encode the redacted text the way it came, spread over as many lines.
	red, _ := redactWith(string(raw), inner)
	out := []byte(red)
	if gz {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(out)
		zw.Close()
		out = zb.Bytes()
	}
	enc := base64.StdEncoding.EncodeToString(out)
	repl := enc
	if lines > 1 {
		first := blob[:strings.IndexByte(blob, '\n')+1]
		indentLine := blob[len(first):]
		indent := indentLine[:len(indentLine)-len(strings.TrimLeft(indentLine, " \t"))]
		width := (len(enc) + lines - 1) / lines
		var b strings.Builder
		for n := 0; n < lines; n++ {
			a, z := n*width, (n+1)*width
			if a > len(enc) {
				a = len(enc)
			}
			if z > len(enc) {
				z = len(enc)
			}
			if n > 0 {
				b.WriteString("\n" + indent)
			}
			b.WriteString(enc[a:z])
		}
		repl = b.String()
	}
	kind := SecretEncodedContent
	if len(inner) > 0 {
		kind = inner[0].kind
	}
	return secretHit{start: 0, end: len(blob), kind: kind, repl: repl}, true
}

// redactWith applies already-found hits to text.
func redactWith(text string, hits []secretHit) (string, []secretHit) {
	var b strings.Builder
	last := 0
	for _, h := range hits {
		if h.start == h.end {
			continue
		}
		b.WriteString(text[last:h.start])
		repl := h.repl
		if repl == "" {
			repl = marker(h.kind)
		}
		b.WriteString(repl)
		if n := strings.Count(text[h.start:h.end], "\n") - strings.Count(repl, "\n"); n > 0 {
			b.WriteString(strings.Repeat("\n", n))
		}
		last = h.end
	}
	b.WriteString(text[last:])
	return b.String(), hits
}
