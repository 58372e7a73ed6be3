package scripts

import (
	"path"
	"strings"

	"whyk8s/inventory"
)

// Redact returns s with every secret value the redactor knows replaced by a marker such as
// «redacted:password». It is for text that reaches a person without passing through a
// reader: a file name, a tag value, an error message.
func Redact(s string) string { return redactString(s) }

// redactTags replaces, in place, the value of every tag whose key names a secret (DbPassword,
// ApiToken, AccessKey) with a marker of its kind, and every secret inside other values
// (a connection string with its password). Tags are copied into snapshots, reports and
// history as they are; whoever put a password in one did not mean it to be printed.
func redactTags(tags map[string]string) {
	for k, v := range tags {
		kind := tagSecretKind(k)
		switch {
		case kind != "" && !notASecret(v):
			tags[k] = marker(kind)
		default:
			tags[k] = redactString(v)
		}
	}
}

// tagSecretKind is secretKeyKind for a tag key, which also counts an access key: in a
// script "access_key" is often a setting's name, in a tag it can only be the key itself.
func tagSecretKind(key string) string {
	if kind := secretKeyKind(key); kind != "" {
		return kind
	}
	words := keyWords(key)
	if n := len(words); n >= 2 && words[n-1] == "key" && words[n-2] == "access" {
		return SecretCredential
	}
	if len(words) == 1 && words[0] == "accesskey" {
		return SecretCredential
	}
	return ""
}

// redactEstateTags redacts the client's name and the tags of every resource of e.
func redactEstateTags(e *inventory.Estate) {
	e.Client = redactString(e.Client)
	for i := range e.Groups {
		redactTags(e.Groups[i].Tags)
	}
	for i := range e.ClassicLoadBalancers {
		redactTags(e.ClassicLoadBalancers[i].Tags)
	}
	for i := range e.LoadBalancers {
		redactTags(e.LoadBalancers[i].Tags)
	}
	for i := range e.TargetGroups {
		redactTags(e.TargetGroups[i].Tags)
	}
	for i := range e.Images {
		redactTags(e.Images[i].Tags)
	}
}

// RedactPath redacts a secret written into a file or folder name (a "db_password=…"
// folder, a key as a file name) segment by segment, keeping each segment's extension so
// the file is still recognised by name and still reported by place.
func RedactPath(p string) string {
	if !hasNeedle(p) {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		r := redactString(seg)
		if r == seg {
			continue
		}
		if ext := path.Ext(seg); ext != "" && !strings.HasSuffix(r, ext) && !strings.Contains(ext, markerPrefix) {
			r += ext
		}
		segs[i] = r
	}
	return strings.Join(segs, "/")
}
