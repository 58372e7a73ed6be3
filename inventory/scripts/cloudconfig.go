package scripts

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"

	"whyk8s/inventory"
)

// bootKind is the kind of a file whose name leaves it open (YAML, JSON, a .template or no
// extension) when its text is a CloudFormation template or a cloud-config written without
// its #cloud-config line (a template a tool renders into user data, the header added
// there). Ansible's own files are left to Ansible: its variables can be called mounts or
// packages too.
func bootKind(hint, disp, roleRoot, text string) string {
	if hint != hintYAML && hint != hintJSON && hint != hintText {
		return ""
	}
	switch {
	case looksCloudFormation(text):
		return inventory.ScriptCloudFormation
	case hint != hintJSON && !ansiblePath(disp, roleRoot) && looksCloudConfig(text):
		return inventory.ScriptCloudConfig
	case hint == hintText && templateName(disp) && sniff(text) == "" && looksShell(text):
		// A fragment of user data kept as a template, with no #! line of its own: the
		// code that renders it puts it into a script.
		return inventory.ScriptShell
	}
	return ""
}

// hclConfig is an HCL configuration file other than Packer's, read for the literal
// credentials written in it: Terragrunt's terragrunt.hcl and terragrunt.stack.hcl, the
// root.hcl or env.hcl they include, and Terraform's and OpenTofu's own files (.tf, .tofu,
// .tfvars, in HCL or JSON syntax) — password = "…" on a database or a module's input is the
// commonest credential a repository holds. What they deploy is the infrastructure reader's.
func hclConfig(disp string) bool {
	base := strings.ToLower(path.Base(disp))
	switch {
	case strings.HasSuffix(base, ".pkr.hcl"), strings.HasSuffix(base, ".pkrvars.hcl"):
		return false
	case strings.HasSuffix(base, ".hcl"), strings.HasSuffix(base, ".tf"), strings.HasSuffix(base, ".tofu"),
		strings.HasSuffix(base, ".tfvars"), strings.HasSuffix(base, ".tf.json"), strings.HasSuffix(base, ".tofu.json"),
		strings.HasSuffix(base, ".tfvars.json"):
		return true
	}
	return false
}

// quotedHits keeps the secrets written as quoted strings: in HCL a value written bare
// (dependency.db.outputs.password, local.pw, get_env("PW")) is an expression, not a literal.
func quotedHits(text string, hits []secretHit) []secretHit {
	var out []secretHit
	for _, h := range hits {
		if h.start > 0 && h.start <= len(text) && (text[h.start-1] == '"' || text[h.start-1] == '\'') {
			out = append(out, h)
		}
	}
	return out
}

// templateName is a file named as a template a tool renders (.tpl, .tftpl).
func templateName(disp string) bool {
	base := strings.ToLower(path.Base(disp))
	return strings.HasSuffix(base, ".tpl") || strings.HasSuffix(base, ".tftpl")
}

// reShellLine is a line only shell is written in: an assignment, a test, a loop, the
// commands user data is made of.
var reShellLine = regexp.MustCompile(`(?m)^[ \t]*(?:[A-Za-z_][A-Za-z0-9_]*=\S|if !? ?\[|for [A-Za-z_]+ in |while |export [A-Za-z_]|echo |set -[euxo]|mkdir |cat [<>]|apt-get |yum |dnf |systemctl |curl |wget |chmod |chown |sed -|sudo |fi$|done$)`)

// looksShell reports text most of whose lines only shell is written in, and that parses
// as shell.
func looksShell(text string) bool {
	code := 0
	for _, l := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			code++
		}
	}
	n := len(reShellLine.FindAllStringIndex(text, -1))
	if n < 3 || n*3 < code {
		return false
	}
	text = hclInterpolations(text)
	if checkShell(text) != nil {
		// Not to be parsed (too deep, or a NUL byte): the lines say shell, and the shell
		// reader reports why with its line.
		return true
	}
	p := shellParsers.Get().(*syntax.Parser)
	defer shellParsers.Put(p)
	_, err := p.Parse(strings.NewReader(text), "")
	return err == nil
}

// cloudConfigKeys are the top-level keys of cloud-config; true marks those no other YAML
// file is likely to have at its top level.
var cloudConfigKeys = map[string]bool{
	"runcmd": true, "bootcmd": true, "write_files": true, "mounts": true, "mount_default_fields": true,
	"package_update": true, "package_upgrade": true, "package_reboot_if_required": true,
	"package_update_upgrade_install": true, "apt_update": true, "apt_upgrade": true, "yum_repos": true,
	"ssh_authorized_keys": true, "ssh_pwauth": true, "ssh_keys": true, "ssh_deletekeys": true, "chpasswd": true,
	"disk_setup": true, "fs_setup": true, "growpart": true, "resize_rootfs": true, "power_state": true,
	"final_message": true, "phone_home": true, "manage_etc_hosts": true, "preserve_hostname": true,
	"cloud_init_modules": true, "cloud_config_modules": true, "cloud_final_modules": true, "snap": true,
	"ca_certs": true, "ca-certs": true, "disable_root": true, "rh_subscription": true, "salt_minion": true,
	"packages": false, "users": false, "groups": false, "hostname": false, "fqdn": false, "timezone": false,
	"locale": false, "ntp": false, "apt": false, "swap": false, "output": false, "merge_how": false,
	"system_info": false, "puppet": false, "chef": false, "ansible": false, "lxd": false, "random_seed": false,
	"keyboard": false, "ssh": false, "seed_random": false, "drivers": false, "wireguard": false,
}

// looksCloudConfig reports YAML whose every top-level key is cloud-config's, one of them
// a key only cloud-config has. A top-level key is a line that starts with a name
// ([A-Za-z_][A-Za-z0-9_-]*) followed, after spaces or tabs, by a colon. Every YAML, JSON
// and plain-text file is asked this, so the lines are read by hand, once, and the first
// key cloud-config does not have ends the search (a regular expression anchored at
// every line start costs more than reading the file).
func looksCloudConfig(text string) bool {
	own := false
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		key, ok := topKey(line)
		if !ok {
			continue
		}
		mine, ok := cloudConfigKeys[key]
		if !ok {
			return false
		}
		own = own || mine
	}
	return own
}

// topKey is the name a line starts with when a colon follows it, after spaces or tabs.
func topKey(line string) (string, bool) {
	if line == "" || !(isLetter(line[0]) || line[0] == '_') {
		return "", false
	}
	n := 1
	for n < len(line) && (isLetter(line[n]) || line[n] >= '0' && line[n] <= '9' || line[n] == '_' || line[n] == '-') {
		n++
	}
	i := n
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return line[:n], i < len(line) && line[i] == ':'
}

// readCloudConfig reads a #cloud-config document whose first line is file line base.
func (d *doc) readCloudConfig(text string, base int) error {
	docs, err := parseYAML(text)
	if err != nil {
		return err
	}
	a := newAnsibleReader(d, base) // for line mapping and the value scan
	for _, root := range docs {
		n := resolve(root)
		for _, kv := range pairs(n) {
			key, v := kv[0].Value, resolve(kv[1])
			line := a.ln(kv[0])
			switch key {
			case "packages":
				for _, it := range items(v) {
					it = resolve(it)
					if s, ok := scalar(it); ok {
						d.packageFact(s, ctxSystem, inventory.ViaCloudInit, a.ln(it))
					} else if l := items(it); len(l) > 0 {
						if s, ok := scalar(l[0]); ok {
							d.packageFact(s, ctxSystem, inventory.ViaCloudInit, a.ln(it))
						}
					}
				}
			case "package_upgrade", "package_update_upgrade_install", "apt_upgrade":
				if truthy(v) {
					d.add(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPackageUpgrade, Via: inventory.ViaCloudInit, FactParams: &inventory.FactParams{Key: key}}, line)
				}
			case "runcmd", "bootcmd":
				// cloud-init writes the entries into one script; read them as one.
				var cl commandList
				for _, it := range items(v) {
					it = resolve(it)
					switch it.Kind {
					case yaml.ScalarNode:
						a.shell[it] = true
						b, flat := blockText(it, base)
						if flat {
							cl.add(strings.ReplaceAll(it.Value, "\n", " "), b)
						} else {
							for i, l := range strings.Split(it.Value, "\n") {
								cl.add(l, b+i)
							}
						}
					case yaml.SequenceNode:
						var parts []string
						for _, w := range it.Content {
							if s, ok := scalar(w); ok {
								parts = append(parts, shellQuote(s))
								a.shell[resolve(w)] = true
							}
						}
						cl.add(strings.Join(parts, " "), a.ln(it))
					}
				}
				d.snippets(&cl, key)
			case "mounts":
				for _, it := range items(v) {
					var f []string
					for _, w := range items(it) {
						s, _ := scalar(w)
						f = append(f, s)
					}
					for len(f) < 4 {
						f = append(f, "")
					}
					if strings.HasPrefix(f[0], "ephemeral") {
						continue // instance store: judged from the block device mapping
					}
					if reBareDevice.MatchString(f[0]) {
						f[0] = "/dev/" + f[0] // cloud-init lets "/dev/" be left out
					}
					d.mountFact(f[0], f[1], f[2], f[3], inventory.ViaCloudInit, a.ln(it))
				}
			case "fs_setup":
				for _, it := range items(v) {
					fs, _ := scalar(mapGet(it, "filesystem"))
					dev, _ := scalar(mapGet(it, "device"))
					d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaCloudInit, FactParams: &inventory.FactParams{Command: "mkfs." + fs, Device: dev}}, a.ln(it))
				}
			case "disk_setup":
				for _, p := range pairs(v) {
					d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: inventory.ViaCloudInit, FactParams: &inventory.FactParams{Command: key, Device: p[0].Value}}, a.ln(p[0]))
				}
			case "write_files":
				for _, it := range items(v) {
					a.writeFile(it)
				}
			case "users":
				for _, it := range items(v) {
					it = resolve(it)
					name, ok := scalar(it)
					if !ok {
						name, _ = scalar(mapGet(it, "name"))
					}
					if name == "" || name == "default" {
						continue
					}
					d.add(inventory.Fact{Kind: inventory.FactLocalUser, Name: name, Via: inventory.ViaCloudInit}, a.ln(it))
					groups := mapGet(it, "groups")
					gs, _ := scalar(groups)
					for _, g := range items(groups) {
						s, _ := scalar(g)
						gs += "," + s
					}
					for _, g := range strings.Split(gs, ",") {
						if strings.TrimSpace(g) == "docker" {
							d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaDockerGroup, Name: name}, a.ln(it))
						}
					}
				}
			case "ssh_authorized_keys":
				d.add(inventory.Fact{Kind: inventory.FactLocalUser, Via: inventory.ViaAuthorizedKeys}, line)
			case "ansible", "chef", "puppet", "salt_minion":
				// cloud-init's own modules for configuration management at boot.
				name := map[string]string{"ansible": "ansible-pull", "chef": "chef-client", "puppet": "puppet", "salt_minion": "salt-minion"}[key]
				cmd := ""
				if key == "puppet" {
					cmd = "puppet agent"
				}
				if key != "ansible" || mapGet(v, "pull") != nil {
					d.add(inventory.Fact{Kind: inventory.FactConfigMgmt, Via: inventory.ViaCloudInit, FactParams: &inventory.FactParams{Key: key, Command: cmd}, Name: name}, line)
				}
			case "snap":
				if cmds := mapGet(v, "commands"); cmds != nil {
					for _, it := range items(cmds) {
						if s, ok := scalar(it); ok {
							a.shell[resolve(it)] = true
							d.snippet(s, a.ln(it), true, "snap command")
						}
					}
				}
			}
		}
		a.scanValues(root)
	}
	return nil
}

// writeFile reads one write_files entry; encoded content is decoded (and redacted) first.
func (a *ansibleReader) writeFile(it *yaml.Node) {
	d := a.d
	target, _ := scalar(mapGet(it, "path"))
	w := fileWrite{target: target, line: a.ln(resolve(it))}
	if pn := mapGet(it, "path"); pn != nil {
		w.line = a.ln(pn) // the file is named on its path line, wherever the entry starts
	}
	c := mapGet(it, "content")
	if c == nil || c.Kind != yaml.ScalarNode {
		d.write(w)
		return
	}
	a.shell[c] = true
	enc, _ := scalar(mapGet(it, "encoding"))
	text := c.Value
	w.cline, w.flat = blockText(c, a.base)
	switch strings.ToLower(enc) {
	case "b64", "base64", "gz+b64", "gzip+base64", "gz+base64", "gzip+b64":
		raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
		if err != nil {
			// Content a template fills in (${base64encode(x)}) is unknown, not broken:
			// the path still says what the file is.
			if !strings.Contains(text, "${") && !strings.Contains(text, "{{") {
				d.gap(inventory.GapParse, w.cline, "write_files "+target+": content is not valid base64")
			}
			d.write(fileWrite{target: target, line: w.line})
			return
		}
		if strings.HasPrefix(strings.ToLower(enc), "gz") {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				d.gap(inventory.GapParse, w.cline, "write_files "+target+": content is not valid gzip")
				return
			}
			raw, err = io.ReadAll(io.LimitReader(zr, 1<<20))
			if err != nil {
				d.gap(inventory.GapParse, w.cline, "write_files "+target+": content is not valid gzip")
				return
			}
		}
		if !utf8.Valid(raw) {
			d.write(w)
			return
		}
		red, hits := redact(string(raw))
		for _, h := range hits {
			d.add(inventory.Fact{Kind: inventory.FactSecret, Name: h.kind}, w.cline)
		}
		text, w.flat = red, true
	case "gz", "gzip":
		d.write(w)
		return
	}
	w.content, w.known = text, true
	d.write(w)
}

// reBareDevice is a block device named without /dev/, as cloud-init's mounts allow.
var reBareDevice = regexp.MustCompile(`^(?:sd|xvd|hd|vd)[a-z]+[0-9]*$|^nvme[0-9]+n[0-9]+(?:p[0-9]+)?$`)
