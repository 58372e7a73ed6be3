package scripts

import (
	"path"
	"strings"

	"whyk8s/inventory"
)

// fileWrite is content a script puts into a file on the instance: a heredoc to
// /etc/fstab, an Ansible template to /etc/sysctl.d, a cloud-config write_files entry.
type fileWrite struct {
	target  string
	line    int    // where the write is written
	content string // what is written, when known
	cline   int    // the file line of content's first line
	flat    bool   // every content line maps to cline
	known   bool
	// at, when set, is the file line of each content line: content rendered from pieces
	// written on lines of their own (a CloudFormation Fn::Join).
	at []int
}

func (w fileWrite) lineOf(i int) int {
	if i < len(w.at) {
		return w.at[i]
	}
	if w.flat {
		return w.cline
	}
	return w.cline + i
}

// write records what writing a file says about the host, by the target's path and, when
// known, the content.
func (d *doc) write(w fileWrite) {
	t := strings.Trim(strings.TrimSpace(w.target), `"'`)
	// What goes to /tmp is scratch, except a script put there to be run (cfn-init and
	// user data often write /tmp/setup.sh, then run it).
	if t == "" || strings.HasPrefix(t, "/dev/") || strings.HasPrefix(t, "/tmp/") && !isScriptWrite(t, w) && !cronNamed(t) {
		return
	}
	lines := []string{}
	if w.known {
		lines = strings.Split(w.content, "\n")
	}
	each := func(fn func(l string, line int)) {
		for i, l := range lines {
			s := strings.TrimSpace(l)
			if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, ";") {
				continue
			}
			fn(s, w.lineOf(i))
		}
	}
	base := path.Base(t)
	switch {
	case d.clusterConfig(w, lines):
		// An ECS, Nomad, Consul or Vault agent's configuration: the cluster the host joins.
	case t == "/etc/fstab":
		each(func(l string, line int) {
			f := strings.Fields(l)
			if len(f) >= 3 {
				opts := ""
				if len(f) >= 4 {
					opts = f[3]
				}
				d.mountFact(f[0], f[1], f[2], opts, "fstab", line)
			}
		})
	case t == "/etc/sysctl.conf" || strings.HasPrefix(t, "/etc/sysctl.d/"):
		n := 0
		each(func(l string, line int) {
			if k, v, ok := strings.Cut(l, "="); ok {
				f := sysctlFact(k, v, viaFileWrite)
				f.SetParams(func(p *inventory.FactParams) { p.Path = t })
				d.add(f, line)
				n++
			}
		})
		if n == 0 {
			d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
		}
	case strings.HasPrefix(t, "/proc/sys/"):
		f := sysctlFact(strings.ReplaceAll(strings.TrimPrefix(t, "/proc/sys/"), "/", "."), firstLine(w), viaFileWrite)
		f.SetParams(func(p *inventory.FactParams) { p.Path = t })
		d.add(f, w.line)
	case strings.HasPrefix(t, "/sys/kernel/") || strings.HasPrefix(t, "/sys/block/") || strings.HasPrefix(t, "/sys/module/"):
		class := inventory.ClassSysfs
		if strings.Contains(t, "hugepage") {
			class = inventory.ClassHugepage
		}
		d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: class, Via: viaFileWrite, FactParams: &inventory.FactParams{Key: strings.TrimPrefix(t, "/sys/"), Value: firstLine(w), Path: t}}, w.line)
	case t == "/etc/modules" || strings.HasPrefix(t, "/etc/modules-load.d/") || strings.HasPrefix(t, "/etc/modprobe.d/"):
		n := 0
		each(func(l string, line int) {
			f := strings.Fields(l)
			m := f[0]
			if (m == "options" || m == "blacklist" || m == "install") && len(f) > 1 {
				m = f[1]
			}
			d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Via: viaFileWrite, Name: m, FactParams: &inventory.FactParams{Path: t}}, line)
			n++
		})
		if n == 0 {
			d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
		}
	case t == "/etc/security/limits.conf" || strings.HasPrefix(t, "/etc/security/limits.d/"):
		d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassLimits, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case t == "/etc/crontab" || strings.HasPrefix(t, "/etc/cron.") || strings.HasPrefix(t, "/var/spool/cron"):
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case isUnitPath(t):
		d.unitFile(t, w, lines)
	case composeName(t):
		// A Compose file the boot code writes (cat > /opt/app/docker-compose.yml <<EOF,
		// write_files): Docker is used, and its services are the containers the host runs.
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
		if docs, err := parseYAML(w.content); w.known && err == nil && looksCompose(docs) {
			d.composeServices(docs, func(l int) int { return w.lineOf(l - 1) })
		}
	case strings.HasPrefix(t, "/etc/supervisor") || strings.HasPrefix(t, "/etc/supervisord"):
		each(func(l string, line int) {
			if strings.HasPrefix(l, "[program:") {
				d.add(inventory.Fact{Kind: inventory.FactService, Via: inventory.ViaSupervisor, Name: strings.TrimSuffix(strings.TrimPrefix(l, "[program:"), "]")}, line)
			}
			if v, ok := strings.CutPrefix(l, "command="); ok {
				d.snippet(v, line, true, "supervisor command")
			}
		})
	case t == "/etc/sysconfig/iptables" || t == "/etc/sysconfig/ip6tables" || strings.HasPrefix(t, "/etc/iptables/") || t == "/etc/nftables.conf":
		d.add(inventory.Fact{Kind: inventory.FactFirewall, Via: inventory.ViaRulesFile, Name: "iptables", FactParams: &inventory.FactParams{Path: t}}, w.line)
	case t == "/etc/default/grub" || strings.HasPrefix(t, "/etc/default/grub.d/"):
		// The kernel's boot parameters: node tuning, not the application's environment.
		n := 0
		each(func(l string, line int) {
			if k, v, ok := strings.Cut(l, "="); ok && strings.HasPrefix(strings.TrimSpace(k), "GRUB_CMDLINE_LINUX") {
				d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassCmdline, Via: viaFileWrite, FactParams: &inventory.FactParams{Key: strings.TrimSpace(k), Value: strings.Trim(strings.TrimSpace(v), `"'`), Path: t}}, line)
				n++
			}
		})
		if n == 0 {
			d.add(inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassCmdline, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
		}
	case t == "/etc/environment" || strings.HasPrefix(t, "/etc/default/") || strings.HasPrefix(t, "/etc/sysconfig/") && !strings.Contains(t, "network-scripts") ||
		strings.HasSuffix(t, ".env") || base == ".env" || strings.HasPrefix(t, "/etc/profile.d/"):
		n := 0
		each(func(l string, line int) {
			l = strings.TrimPrefix(l, "export ")
			if k, _, ok := strings.Cut(l, "="); ok && isEnvName(strings.TrimSpace(k)) && !systemEnv(k) {
				d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: viaFileWrite, Name: k, FactParams: &inventory.FactParams{Path: t}}, line)
				n++
			}
		})
		if n == 0 && !strings.HasPrefix(t, "/etc/profile.d/") {
			d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaEnvFile, FactParams: &inventory.FactParams{Path: t}}, w.line)
		}
	case t == "/etc/exports":
		d.add(inventory.Fact{Kind: inventory.FactDatabase, Name: "nfs-server", Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case strings.Contains(t, "/.ssh/authorized_keys"):
		d.add(inventory.Fact{Kind: inventory.FactLocalUser, Via: inventory.ViaAuthorizedKeys, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case strings.HasPrefix(t, "/etc/duo/") || base == "login_duo.conf" || base == "pam_duo.conf":
		// Duo Unix's configuration: people log in to this host over SSH, with a second
		// factor. Who may log in is managed on the host, like its users and keys.
		d.add(inventory.Fact{Kind: inventory.FactLocalUser, Via: viaFileWrite, Name: "Duo two-factor SSH login", FactParams: &inventory.FactParams{Path: t}}, w.line)
	case strings.HasPrefix(t, "/etc/docker/"):
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case strings.HasPrefix(t, "/etc/ecs/"):
		// The ECS agent's configuration: the host runs containers the ECS way.
		d.add(inventory.Fact{Kind: inventory.FactDocker, Via: viaFileWrite, FactParams: &inventory.FactParams{Path: t}}, w.line)
	case w.known && (strings.HasSuffix(t, ".yml") || strings.HasSuffix(t, ".yaml")) && d.depth < maxDepth && d.writtenPlaybook(w):
		// A playbook written at boot (cfn-init files, write_files, a heredoc), run by an
		// ansible-playbook command after it: read as the playbook it is.
	case isScriptWrite(t, w):
		if w.known && (!w.flat || w.at != nil) && d.depth < maxDepth {
			nd := *d
			nd.depth++
			if err := nd.readShellMapped(w.content, w.cline, false, w.at); err != nil {
				// A written script that does not parse is still written; say so once.
				d.gap(inventory.GapParse, w.cline, "script written to "+t+" is not valid shell: "+err.Error())
			}
		}
	case cronNamed(t) && w.known:
		// A crontab prepared in a file (cat > ~/mycron <<EOF … crontab ~/mycron): each
		// entry is a scheduled job.
		each(func(l string, line int) {
			if sched, cmd := cronEntry(l); sched != "" {
				d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab, FactParams: &inventory.FactParams{Schedule: sched, Command: cmd, Path: t}}, line)
			}
		})
	default:
		if f, ok := classifyKeyword(t); ok {
			f.Via = viaFileWrite
			d.add(f, w.line)
		}
	}
	if w.known {
		// Config written on the host often pins addresses (an upstream, a DNS server).
		d.scanContentIPs(w)
	}
}

// cronNamed reports a file named for the crontab it holds (mycron, crontab.txt, jobs.cron).
func cronNamed(t string) bool {
	return strings.Contains(strings.ToLower(path.Base(t)), "cron")
}

// isScriptWrite reports a shell script written to a file: by its name or its first line.
func isScriptWrite(t string, w fileWrite) bool {
	c := strings.TrimSpace(w.content)
	return t == "/etc/rc.local" || strings.HasSuffix(t, ".sh") || strings.HasPrefix(c, "#!/bin/") || strings.HasPrefix(c, "#!/usr/bin/env bash") || strings.HasPrefix(c, "#!/usr/bin/env sh")
}

// viaFileWrite is the mechanism of what a file written on the host says.
const viaFileWrite = "file"

// firstLine is the first line of what a write puts in a file, when known: the value
// written to /proc/sys or /sys.
func firstLine(w fileWrite) string {
	if !w.known {
		return ""
	}
	l, _, _ := strings.Cut(strings.TrimSpace(w.content), "\n")
	return strings.TrimSpace(l)
}

func isEnvName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || (i > 0 && '0' <= c && c <= '9')) {
			return false
		}
	}
	return true
}

func isUnitPath(t string) bool {
	for _, dir := range []string{"/etc/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/", "/etc/systemd/user/"} {
		if strings.HasPrefix(t, dir) {
			return true
		}
	}
	return false
}

// unitFile reads a systemd unit being written: what it runs, its environment, its timer
// or mount.
func (d *doc) unitFile(t string, w fileWrite, lines []string) {
	name := path.Base(t)
	if strings.HasSuffix(name, ".timer") {
		d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaSystemdTimer, Name: name}, w.line)
	}
	if strings.HasSuffix(path.Dir(t), ".d") {
		// A drop-in (override.conf): still read its settings.
		name = path.Base(path.Dir(t))
	}
	var what, where, typ, opts string
	mline := w.line
	for i := 0; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i])
		// systemd joins a line ending in a backslash with the next (a long ExecStart
		// written over several lines); the setting is cited at its first line.
		first := i
		for strings.HasSuffix(s, `\`) && i+1 < len(lines) {
			i++
			s = strings.TrimSuffix(s, `\`) + " " + strings.TrimSpace(lines[i])
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		line := w.lineOf(first)
		switch strings.TrimSpace(k) {
		case "ExecStart", "ExecStartPre", "ExecStartPost":
			v = strings.TrimLeft(strings.TrimSpace(v), "-@+!:")
			if v != "" {
				d.snippet(v, line, true, "systemd "+k)
			}
		case "Environment":
			for _, kv := range strings.Fields(v) {
				kv = strings.Trim(kv, `"'`)
				if k2, _, ok := strings.Cut(kv, "="); ok && isEnvName(k2) {
					d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: "systemd", Name: k2}, line)
				}
			}
		case "EnvironmentFile":
			d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaEnvFile, FactParams: &inventory.FactParams{Path: strings.TrimLeft(strings.TrimSpace(v), "-")}}, line)
		case "OnCalendar", "OnUnitActiveSec", "OnBootSec":
			d.add(inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaSystemdTimer, Name: name, FactParams: &inventory.FactParams{Schedule: strings.TrimSpace(v)}}, line)
		case "What":
			what, mline = strings.TrimSpace(v), line
		case "Where":
			where = strings.TrimSpace(v)
		case "Type":
			typ = strings.TrimSpace(v)
		case "Options":
			opts = strings.TrimSpace(v)
		}
	}
	if strings.HasSuffix(name, ".mount") && what != "" {
		d.mountFact(what, where, typ, opts, "systemd", mline)
	}
	if strings.HasSuffix(name, ".service") && typ == "oneshot" {
		if d.res.tasks == nil {
			d.res.tasks = map[string]bool{}
		}
		d.res.tasks[strings.TrimSuffix(name, ".service")] = true
	}
}

// writtenPlaybook reads a file's content as an Ansible playbook when it is one, and reports
// whether it was. The playbook sits in a folder on the host, not in the repository, so what
// it imports (import_playbook: site.yml, usually synced beside it from a bucket) is found by
// the end of its path, as the files user data names are.
func (d *doc) writtenPlaybook(w fileWrite) bool {
	docs, err := parseYAML(w.content)
	if err != nil || ansibleKindByContent(docs) != inventory.ScriptAnsiblePlay {
		return false
	}
	nd := *d
	nd.depth++
	nd.onHost = true
	nd.readAnsible(inventory.ScriptAnsiblePlay, docs, w.cline)
	return true
}
