package scripts

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"whyk8s/inventory"
)

// What makes a host a node of a cluster: the command that joins it, the configuration
// written for its agent. A host that joins an ECS or Kubernetes cluster runs containers the
// cluster places on it; a Nomad, Consul or Vault server holds a cluster's state. These are
// facts about the host; assess decides what they make the workload.

// clusterCommand reads a command that joins the host to a cluster: EKS's bootstrap.sh or
// nodeadm, kubeadm join, docker swarm join, k3s or RKE2 agents, and the Nomad, Consul and
// Vault agents started in server mode.
func clusterCommand(prog string, rest []string) (inventory.Fact, bool) {
	name := path.Base(prog)
	f := inventory.Fact{Kind: inventory.FactClusterNode}
	var cmd string // every command passes here: params are made only for one that joins
	switch {
	case name == "bootstrap.sh" && strings.Contains(prog, "/eks/"):
		f.Name, cmd = "eks", prog
	case name == "nodeadm" && len(rest) > 0 && rest[0] == "init":
		f.Name, cmd = "eks", "nodeadm init"
	case name == "kubeadm" && len(rest) > 0 && (rest[0] == "join" || rest[0] == "init"):
		f.Name, cmd = "kubernetes", "kubeadm "+rest[0]
		if rest[0] == "init" || contains(rest, "--control-plane") {
			f.Class = inventory.ClassClusterServer
		}
	case (name == "docker" || name == "podman") && len(rest) > 1 && rest[0] == "swarm" && (rest[1] == "join" || rest[1] == "init"):
		f.Name, cmd = "swarm", "docker swarm "+rest[1]
		if rest[1] == "init" {
			f.Class = inventory.ClassClusterServer
		}
	case (name == "k3s" || name == "rke2") && len(rest) > 0 && (rest[0] == "agent" || rest[0] == "server"):
		f.Name, cmd = "kubernetes", name+" "+rest[0]
		if rest[0] == "server" {
			f.Class = inventory.ClassClusterServer
		}
	case (name == "nomad" || name == "consul") && len(rest) > 0 && rest[0] == "agent":
		f.Name, cmd = name, name+" agent"
		if contains(rest, "-server") || contains(rest, "--server") || hasPrefixArg(rest, "-bootstrap-expect") {
			f.Class = inventory.ClassClusterServer
			cmd += " -server"
		}
	case name == "vault" && len(rest) > 0 && rest[0] == "server":
		f.Name, cmd, f.Class = "vault", "vault server", inventory.ClassClusterServer
	default:
		return inventory.Fact{}, false
	}
	f.FactParams = &inventory.FactParams{Command: cmd}
	return f, true
}

// installerCluster reads the installers k3s and RKE2 are set up with (curl -sfL
// https://get.k3s.io | K3S_URL=… sh -): the host joins a Kubernetes cluster as an agent when
// the installer is told of a server or asked for an agent, and is a server otherwise.
func installerCluster(host string, env []*syntax.Assign) (inventory.Fact, bool) {
	var name, urlVar, execVar string
	switch host {
	case "get.k3s.io":
		name, urlVar, execVar = "k3s", "K3S_URL", "INSTALL_K3S_EXEC"
	case "get.rke2.io":
		name, urlVar, execVar = "rke2", "RKE2_URL", "INSTALL_RKE2_TYPE"
	default:
		return inventory.Fact{}, false
	}
	agent := false
	for _, a := range env {
		if a.Name == nil {
			continue
		}
		v := wordText(a.Value)
		if a.Name.Value == urlVar || a.Name.Value == execVar && strings.Contains(v, "agent") {
			agent = true
		}
	}
	f := inventory.Fact{Kind: inventory.FactClusterNode, Name: "kubernetes", FactParams: &inventory.FactParams{Command: name + " agent"}}
	if !agent {
		f.Class, f.FactParams.Command = inventory.ClassClusterServer, name+" server"
	}
	return f, true
}

// clusterConfigDirs are where the Nomad, Consul and Vault agents read their configuration.
var clusterConfigDirs = []struct{ prefix, name string }{
	{"/etc/nomad.d/", "nomad"}, {"/etc/nomad/", "nomad"}, {"/opt/nomad/config/", "nomad"},
	{"/etc/consul.d/", "consul"}, {"/etc/consul/", "consul"}, {"/opt/consul/config/", "consul"},
	{"/etc/vault.d/", "vault"}, {"/etc/vault/", "vault"}, {"/opt/vault/config/", "vault"},
}

// clusterConfig reads an agent configuration written on the host, by the file it is
// written to: an ECS agent's ecs.config (the cluster it joins), a Nomad, Consul or Vault
// configuration (server mode when it says so). ok is false for any other file.
func (d *doc) clusterConfig(w fileWrite, lines []string) bool {
	t := strings.Trim(strings.TrimSpace(w.target), `"'`)
	if t == "/etc/ecs/ecs.config" {
		found := false
		for i, l := range lines {
			k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export ")), "=")
			if !ok || !isEnvName(strings.TrimSpace(k)) {
				continue
			}
			d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: viaFileWrite, Name: strings.TrimSpace(k), FactParams: &inventory.FactParams{Path: t}}, w.lineOf(i))
			if strings.TrimSpace(k) == "ECS_CLUSTER" {
				d.add(inventory.Fact{Kind: inventory.FactClusterNode, Name: "ecs", FactParams: &inventory.FactParams{Key: "ECS_CLUSTER", Value: strings.Trim(strings.TrimSpace(v), `"'`), Path: t}}, w.lineOf(i))
				found = true
			}
		}
		if !found {
			d.add(inventory.Fact{Kind: inventory.FactClusterNode, Name: "ecs", FactParams: &inventory.FactParams{Path: t}}, w.line)
		}
		return true
	}
	for _, c := range clusterConfigDirs {
		if !strings.HasPrefix(t, c.prefix) {
			continue
		}
		f := inventory.Fact{Kind: inventory.FactClusterNode, Name: c.name, FactParams: &inventory.FactParams{Path: t}}
		line := w.line
		for i, l := range lines {
			if serverSetting(c.name, l) {
				f.Class = inventory.ClassClusterServer
				line = w.lineOf(i)
				break
			}
		}
		d.add(f, line)
		return true
	}
	return false
}

// serverSetting reports a configuration line that puts an agent in server mode: Consul's
// and Nomad's "server": true (JSON) or server = true (HCL), a Nomad server block turned on,
// bootstrap_expect; any Vault configuration holding a storage or listener stanza is a
// server's.
func serverSetting(agent, line string) bool {
	l := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer(`"`, "", ",", " ").Replace(line)), " "))
	if strings.HasPrefix(l, "bootstrap_expect") {
		return true
	}
	switch agent {
	case "vault":
		return strings.HasPrefix(l, "storage ") || strings.HasPrefix(l, "listener ") || strings.HasPrefix(l, "storage:") || strings.HasPrefix(l, "listener:")
	}
	return l == "server: true" || l == "server = true" || l == "server=true" || l == "server:true"
}

// natRule reads an iptables rule's table and target: "-t nat … -j MASQUERADE".
func natRule(rest []string) (table, target string) {
	table = "filter"
	for i := 0; i < len(rest)-1; i++ {
		switch rest[i] {
		case "-t", "--table":
			table = rest[i+1]
		case "-j", "--jump":
			target = rest[i+1]
		}
	}
	if target == "" {
		return "", ""
	}
	return table, target
}
