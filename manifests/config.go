package manifests

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// config is the environment and the secrets the scripts give the process, by name.
type config struct {
	app string
	// env are the non-secret variables: a ConfigMap with a placeholder per value.
	env []setting
	// secrets are values to sync from Secrets Manager: plain-text secrets found in the
	// scripts (to rotate and store first), and secrets the scripts already read from it.
	secrets []setting
	// parameters are SSM parameters the scripts read.
	parameters []setting
	// dropped names variables not carried over, with why.
	dropped []string
}

// setting is one key of a ConfigMap or ExternalSecret and where the scripts set it.
type setting struct {
	key string
	// remote is the name in the store, when the scripts name it literally.
	remote string
	ev     []inventory.Evidence
	// excerpt is the line that sets a non-secret variable, as the scripts write it.
	excerpt string
	text    string
}

// secretName matches variable names that hold credentials; their values go through the
// ExternalSecret, never a ConfigMap.
var secretName = regexp.MustCompile(`(?i)(password|passwd|_pass$|^pass$|secret|token|credential|private|api_?key|_key$|^key$)`)

// awsCredentials are replaced by the pod's IAM role, not carried over.
var awsCredentials = map[string]bool{"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true}

var keyChars = regexp.MustCompile(`[^-._a-zA-Z0-9]+`)

func configOf(w *workload, app string) config {
	c := config{app: app}
	add := func(list *[]setting, s setting) {
		for i := range *list {
			if (*list)[i].key == s.key {
				(*list)[i].ev = append((*list)[i].ev, s.ev...)
				if (*list)[i].remote == "" {
					(*list)[i].remote = s.remote
				}
				return
			}
		}
		*list = append(*list, s)
	}
	// A secret on a line that sets a variable is that variable's value.
	secretAt := map[string]bool{}
	for _, f := range w.factsOf(inventory.FactSecret) {
		secretAt[f.Evidence.String()] = true
	}
	envAt := map[string]string{}
	envFiles := map[string][]string{}
	for _, f := range w.factsOf(inventory.FactEnvConfig) {
		if f.Via == inventory.ViaEnvFile {
			envFiles[f.Path()] = append(envFiles[f.Path()], f.Evidence.String())
			continue
		}
		name := f.Name
		if !validEnvName(name) {
			continue // a name the scripts build at run time
		}
		envAt[f.Evidence.String()] = name
		switch {
		case awsCredentials[name]:
			c.dropped = append(c.dropped, name+" ("+f.Evidence.String()+"): the pod's IAM role replaces static AWS keys")
		case secretAt[f.Evidence.String()] || secretName.MatchString(name):
			add(&c.secrets, setting{key: name, ev: []inventory.Evidence{f.Evidence.Evidence()}, text: "a credential the scripts set"})
		default:
			add(&c.env, setting{key: name, ev: []inventory.Evidence{f.Evidence.Evidence()}, excerpt: f.Evidence.Excerpt})
		}
	}
	for _, file := range sortedKeys(envFiles) {
		c.dropped = append(c.dropped, "the scripts load the env file "+file+" ("+strings.Join(envFiles[file], ", ")+"): its variables belong in the ConfigMap or the ExternalSecret")
	}
	n := 0
	for _, f := range w.factsOf(inventory.FactSecret) {
		if name, ok := envAt[f.Evidence.String()]; ok {
			if awsCredentials[name] {
				continue
			}
			add(&c.secrets, setting{key: name, ev: []inventory.Evidence{f.Evidence.Evidence()}, text: "a " + f.Detail() + " in plain text: rotate it, store the new one in Secrets Manager"})
			continue
		}
		n++
		add(&c.secrets, setting{key: keyOf(f.Name, n), ev: []inventory.Evidence{f.Evidence.Evidence()}, text: "a " + f.Detail() + " in plain text: rotate it, store the new one in Secrets Manager"})
	}
	for _, f := range w.factsOf(inventory.FactConfigStore) {
		store, name := storeOf(f)
		key := envAt[f.Evidence.String()]
		if name == "" || strings.ContainsAny(name, "${}") {
			name = ""
		}
		if key == "" && name != "" {
			key = keyOf(name[strings.LastIndex(name, "/")+1:], 0)
		}
		if key == "" {
			what := storeWords(store)
			if f.Name != "" {
				what += " as " + f.Name
			}
			c.dropped = append(c.dropped, fmt.Sprintf("a value read from %s (%s): its name is built at run time; add it to the ExternalSecret by hand", what, f.Evidence.String()))
			continue
		}
		s := setting{key: key, remote: name, ev: []inventory.Evidence{f.Evidence.Evidence()}, text: "read from " + storeWords(store) + " at boot"}
		if store == "ssm" {
			add(&c.parameters, s)
		} else {
			add(&c.secrets, s)
		}
	}
	// A variable both set and read from a store is the store's.
	var env []setting
	for _, s := range c.env {
		if !hasKey(c.secrets, s.key) && !hasKey(c.parameters, s.key) {
			env = append(env, s)
		}
	}
	c.env = env
	for _, l := range [][]setting{c.env, c.secrets, c.parameters} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].key < l[j].key })
	}
	return c
}

// storeOf is the store a configuration fact reads from ("ssm", "secretsmanager", "vault",
// "consul") and the name it reads, when the scripts write a name (an Ansible lookup names
// its plugin, not the parameter).
func storeOf(f inventory.Fact) (store, name string) {
	switch f.Via {
	case inventory.ViaChamber:
		return inventory.ViaSSM, f.Name
	case inventory.ViaAnsibleLookup:
		if strings.Contains(f.Name, "ssm") {
			return inventory.ViaSSM, ""
		}
		return inventory.ViaSecretsManager, ""
	}
	return f.Via, f.Name
}

func storeWords(store string) string {
	switch store {
	case inventory.ViaSSM:
		return "SSM Parameter Store"
	case inventory.ViaVault:
		return "Vault"
	case inventory.ViaConsul:
		return "Consul KV"
	}
	return "Secrets Manager"
}

func hasKey(list []setting, key string) bool {
	for _, s := range list {
		if s.key == key {
			return true
		}
	}
	return false
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func validEnvName(s string) bool { return envNameRE.MatchString(s) }

// keyOf makes a Secret data key from a secret's kind or a parameter's last path segment.
func keyOf(s string, n int) string {
	k := strings.Trim(keyChars.ReplaceAllString(s, "-"), "-.")
	if k == "" {
		k = "secret"
	}
	if n > 1 {
		k = fmt.Sprintf("%s-%d", k, n)
	}
	return k
}

func (c config) envFrom() []corev1.EnvFromSource {
	var out []corev1.EnvFromSource
	if len(c.env) > 0 {
		out = append(out, corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: c.app + "-env"}}})
	}
	if len(c.secrets) > 0 {
		out = append(out, corev1.EnvFromSource{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: c.app + "-secrets"}}})
	}
	if len(c.parameters) > 0 {
		out = append(out, corev1.EnvFromSource{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: c.app + "-parameters"}}})
	}
	return out
}

func (c config) envEv() []inventory.Evidence {
	var ev []inventory.Evidence
	for _, l := range [][]setting{c.env, c.secrets, c.parameters} {
		for _, s := range l {
			ev = append(ev, s.ev...)
		}
	}
	return ev
}

func (b *bundle) configObjects(c config) {
	if len(c.env) > 0 {
		o := &object{File: "configmap.yaml", Kind: "ConfigMap", Name: c.app + "-env"}
		cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: b.meta(c.app + "-env"), Data: map[string]string{}}
		for _, s := range c.env {
			cm.Data[s.key] = Placeholder
			text := "the value for this environment"
			if s.excerpt != "" {
				text += "; the scripts set: " + s.excerpt
			}
			o.note(note{Path: "data[" + s.key + "]", Rule: assess.RuleEnvConfig, Evidence: s.ev, Text: text, Fill: true})
		}
		o.Obj = cm
		b.add(o)
	}
	b.externalSecret(c, "externalsecret.yaml", c.app+"-secrets", c.secrets, "the ClusterSecretStore for AWS Secrets Manager")
	b.externalSecret(c, "externalsecret-parameters.yaml", c.app+"-parameters", c.parameters, "the ClusterSecretStore for SSM Parameter Store")
}

func (b *bundle) externalSecret(c config, file, name string, list []setting, store string) {
	if len(list) == 0 {
		return
	}
	o := &object{File: file, Kind: "ExternalSecret", Name: name}
	es := &externalSecret{TypeMeta: metav1.TypeMeta{APIVersion: "external-secrets.io/v1", Kind: "ExternalSecret"}, ObjectMeta: b.meta(name),
		Spec: externalSecretSpec{SecretStoreRef: secretStoreRef{Name: Placeholder, Kind: "ClusterSecretStore"}, Target: externalSecretTarget{Name: name}}}
	o.fill("spec.secretStoreRef.name", store)
	for i, s := range list {
		remote := s.remote
		path := fmt.Sprintf("spec.data[%d]", i)
		if remote == "" {
			remote = Placeholder
			o.note(note{Path: path + ".remoteRef.key", Rule: assess.RulePlaintextSecret, Evidence: s.ev, Fill: true, Text: "the name of " + s.key + " in the store; " + s.text})
		} else {
			o.note(note{Path: path, Rule: assess.RuleConfigStore, Evidence: s.ev, Text: "the name the scripts read, " + s.text})
		}
		es.Spec.Data = append(es.Spec.Data, externalSecretData{SecretKey: s.key, RemoteRef: remoteRef{Key: remote}})
	}
	o.Obj = es
	b.add(o)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
