package scripts

import (
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// Salt states (.sls) are YAML rendered from Jinja: each top-level key is a state's ID, and
// its value calls state functions (pkg.installed, service.running, or the older form
// pkg: [installed, …]) with a list of arguments. The Jinja is read as placeholders, its
// statements dropped with their lines kept (a loop's body is read once), and the states
// whose meaning does not depend on rendering are read: packages, services running or
// enabled, mounts, cron jobs, sysctl settings, commands (read as shell), containers, and
// the states a file includes. A top file (top.sls) names the states each minion applies.

// readSaltStates reads a state file starting at file line base.
func (d *doc) readSaltStates(text string, base int) error {
	docs, err := parseYAML(jinjaYAML(text))
	if err != nil {
		return err
	}
	line := func(n *yaml.Node) int { return base + n.Line - 1 }
	for _, root := range docs {
		root = resolve(root)
		if strings.EqualFold(path.Base(d.file), "top.sls") {
			// base: {'*': [web, app.db]}: every state a target applies.
			for _, env := range pairs(root) {
				for _, target := range pairs(env[1]) {
					last := line(target[0])
					for _, st := range items(target[1]) {
						if s, ok := scalar(st); ok {
							d.saltState(s, line(st), "top.sls")
						}
						last = max(last, line(st))
					}
					if t := target[0].Value; t != "*" && t != "" {
						// A target of some minions is a kind of host; '*' is every minion,
						// what all the others get too.
						d.res.script.Hosts = append(d.res.script.Hosts, inventory.HostSection{Name: "'" + t + "'", FromLine: line(target[0]), ToLine: last})
					}
				}
			}
			continue
		}
		for _, p := range pairs(root) {
			id := p[0].Value
			if id == "include" {
				for _, st := range items(p[1]) {
					if s, ok := scalar(st); ok {
						d.saltState(s, line(st), "include")
					}
				}
				continue
			}
			for _, call := range pairs(p[1]) {
				fn, args := call[0].Value, call[1]
				if !strings.Contains(fn, ".") {
					// pkg: [installed, {name: x}]: the function is the list's first word.
					for _, a := range items(args) {
						if s, ok := scalar(a); ok && !strings.Contains(s, " ") {
							fn = fn + "." + s
							break
						}
					}
				}
				d.saltCall(id, fn, args, line(call[0]), line)
			}
		}
	}
	return nil
}

// saltArgs are a state call's arguments: - name: x, - pkgs: [a, b], as key to node.
func saltArgs(args *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, a := range items(args) {
		for _, kv := range pairs(a) {
			if _, seen := out[kv[0].Value]; !seen {
				out[kv[0].Value] = kv[1]
			}
		}
	}
	return out
}

// saltCall records what one state function call says about the host.
func (d *doc) saltCall(id, fn string, args *yaml.Node, line int, lineOf func(*yaml.Node) int) {
	a := saltArgs(args)
	str := func(k string) string {
		s, _ := scalar(a[k])
		return s
	}
	name := str("name")
	if name == "" {
		name = id
	}
	switch fn {
	case "pkg.installed", "pkg.latest", "pip.installed":
		ctx := ctxSystem
		if fn == "pip.installed" {
			ctx = ctxLibrary
		}
		names := []string{name}
		if pk := a["pkgs"]; pk != nil {
			names = nil
			for _, it := range items(pk) {
				if s, ok := scalar(it); ok {
					names = append(names, s)
				} else {
					for _, kv := range pairs(it) { // - nginx: 1.24.0
						names = append(names, kv[0].Value)
					}
				}
			}
		}
		for _, n := range names {
			d.packageFact(n, ctx, inventory.ViaSalt, line)
		}
	case "service.running", "service.enabled":
		d.serviceFact(name, inventory.ViaSalt, line)
	case "mount.mounted":
		d.mountFact(str("device"), name, str("fstype"), str("opts"), inventory.ViaSalt, line)
	case "cron.present", "cron.file":
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCronModule, Name: id}, line)
	case "sysctl.present":
		d.add(sysctlFact(name, str("value"), inventory.ViaSalt), line)
	case "cmd.run", "cmd.wait", "cmd.script":
		if fn == "cmd.script" {
			// The script it runs from the file server: salt://app/setup.sh.
			if src := strings.TrimPrefix(str("source"), "salt://"); src != "" && src != str("source") {
				d.ref(src, "cmd.script", refSuffix, inventory.ScriptShell, line)
			}
			return
		}
		d.nestedShell(name, line, true, "salt "+fn)
	case "docker_container.running":
		image := str("image")
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaSalt, Name: image, FactParams: &inventory.FactParams{Command: fn}}, line)
		if image != "" {
			d.containerIs(image, line)
		}
	case "file.managed":
		// A file put on the host: what its place says, and its content when the state holds
		// it (contents) or the file server does (source: salt://app/files/x).
		w := fileWrite{target: name, line: line}
		if c, ok := scalar(a["contents"]); ok && c != "" {
			w.content, w.cline, w.known = c, lineOf(a["contents"]), true
			if a["contents"].Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				w.cline++ // a block scalar starts on the line after its indicator
			} else {
				w.flat = true
			}
		}
		d.write(w)
		if src := strings.TrimPrefix(str("source"), "salt://"); src != "" && src != str("source") && !strings.ContainsAny(src, "${}") {
			n := len(d.res.refs)
			d.ref(src, "salt file", refSuffix, inventory.ScriptTemplate, line)
			if len(d.res.refs) > n {
				d.res.refs[n].dest = name
				d.res.refs[n].wanted = true
			}
		}
	case "docker_image.present":
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaSalt, Name: name, FactParams: &inventory.FactParams{Command: fn}}, line)
	}
}

// saltState refers to a state file by the name Salt gives it: app.db is app/db.sls, or
// app/db/init.sls. One the folders do not hold is a gap.
func (d *doc) saltState(name string, line int, how string) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, "${}/ ") {
		return
	}
	p := strings.ReplaceAll(strings.TrimPrefix(name, "."), ".", "/")
	n := len(d.res.refs)
	d.ref(p+".sls", how, refSuffix, inventory.ScriptSaltState, line)
	if len(d.res.refs) > n {
		d.res.refs[n].wanted = true
		d.res.refs[n].also = []string{p + "/init.sls"}
	}
}
