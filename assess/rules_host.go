package assess

import (
	"strings"

	"whyk8s/inventory"
)

func registerHostRules(c *Catalogue) {
	c.Register(Rule{
		ID: "FIT-WINDOWS", Title: "Windows AMI or Windows-only provisioning",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 15, Blocker: EffortXL, Cap: 34, Keep: true,
		Facts:       []string{inventory.FactWindows},
		Rationale:   "Linux workloads run on any Kubernetes node. Windows containers need Windows node groups, large images, and usually a port away from .NET Framework and IIS configuration; the gain rarely pays for that. The workload is kept on ASG + ELB unless it is ported, and its score cannot exceed 34 while it runs on Windows.",
		Remediation: "Keep it on ASG + ELB, or port it to .NET on Linux first and re-assess.",
		Kubernetes:  "Windows node group (rarely worth it)",
		check:       checkWindows,
	})
	c.Register(Rule{
		ID: "FIT-KERNEL-TUNING", Title: "Sysctl tuning on the host",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []string{inventory.FactKernelTuning},
		Rationale:   "Pods share the node's kernel. Namespaced sysctls can be set per pod, others become node configuration every pod on the node inherits. A hardening baseline alone (redirects, address randomisation, swappiness) is the node image's business and does not count against the workload.",
		Remediation: "List each setting: move namespaced sysctls (net.*) to the pod security context and the rest to the node group's configuration.",
		Kubernetes:  "Pod securityContext.sysctls, or node group configuration",
		check:       checkSysctl,
	})
	c.Register(Rule{
		ID: "FIT-NODE-KERNEL", Title: "Kernel modules or node-level kernel settings (hugepages, vm.max_map_count, limits)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 6, Blocker: EffortM,
		Facts:       []string{inventory.FactKernelTuning},
		Rationale:   "Kernel modules, hugepages, vm.max_map_count and process limits cannot be set from an ordinary pod: the workload needs a node group of its own or a privileged init container, which the platform team must own.",
		Remediation: "Decide with the platform team: a dedicated node group whose launch template sets these, or a privileged init container (for vm.max_map_count); load modules on the node, never from the pod.",
		Kubernetes:  "Dedicated node group with taints, or a privileged initContainer",
		check:       checkNodeKernel,
	})
	c.Register(Rule{
		ID: "FIT-DEDICATED-TENANCY", Title: "Dedicated tenancy",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 5, Blocker: EffortM,
		Rationale:   "Dedicated instances are chosen for compliance or licensing; a shared cluster defeats the purpose unless the workload gets its own dedicated node group.",
		Remediation: "Confirm why tenancy is dedicated; if it still holds, plan a dedicated node group (launch template with dedicated tenancy) and taints for this workload.",
		Kubernetes:  "Dedicated node group with taints and tolerations",
		check:       checkTenancy(func(t string) bool { return t == "dedicated" || t == "host" }),
	})
	c.Register(Rule{
		ID: "FIT-HOST-LICENSING", Title: "Dedicated Hosts (host-bound licensing)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 5, Blocker: EffortXL, Cap: 34, Keep: true,
		Rationale:   "Host tenancy means licences counted per physical socket or core (Windows Server, SQL Server, Oracle). Packing such software into pods on shared nodes breaks the licence terms; the score cannot exceed 34 while it runs on Dedicated Hosts.",
		Remediation: "Keep it on its Dedicated Hosts, or renegotiate the licence (licence-included or per-container) first.",
		check:       checkTenancy(func(t string) bool { return t == "host" }),
	})
	c.Register(Rule{
		ID: "FIT-HOST-FIREWALL", Title: "Host firewall rules (iptables, ufw, firewalld)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []string{inventory.FactFirewall},
		Rationale:   "Rules written into the host firewall do not follow a pod; network policy has to say the same thing in the cluster's terms. It is translation work for the platform, not a blocker for the workload.",
		Remediation: "Translate each rule into a NetworkPolicy (or security groups for pods) and drop the host rules.",
		Kubernetes:  "NetworkPolicy, or security groups for pods",
		check:       hurtsByFacts("configured", inventory.FactFirewall),
	})
	c.Register(Rule{
		ID: "FIT-LOCAL-USERS", Title: "Local users or SSH keys managed on the host",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []string{inventory.FactLocalUser},
		Rationale:   "Managed local accounts and SSH keys mean people log in to fix things. Nobody logs in to a pod; debugging moves to logs, metrics and ephemeral debug containers.",
		Remediation: "Make sure logs and metrics answer the questions people log in for, and plan kubectl debug access through RBAC instead of SSH keys.",
		Kubernetes:  "RBAC and kubectl debug instead of SSH",
		check:       hurtsByFacts("managed", inventory.FactLocalUser),
	})
}

func checkWindows(s *subject) result {
	var bad []inventory.Evidence
	if im := s.image; im != nil {
		switch {
		case strings.EqualFold(im.Platform, "windows"):
			bad = append(bad, s.imageEv("Platform", im.Platform))
		case strings.Contains(strings.ToLower(im.PlatformDetails), "windows"):
			bad = append(bad, s.imageEv("PlatformDetails", im.PlatformDetails))
		}
	}
	fs := s.facts(inventory.FactWindows)
	bad = append(bad, factEvidence(fs)...)
	if len(bad) > 0 {
		return result{State: fail, Detail: "Windows", Evidence: bad}
	}
	if im := s.image; im != nil {
		if im.PlatformDetails != "" {
			return result{State: pass, Detail: "Linux: " + im.PlatformDetails, Evidence: []inventory.Evidence{s.imageEv("PlatformDetails", im.PlatformDetails)}}
		}
		// The API leaves Platform empty for every non-Windows image; an image known only
		// from a lookup in the code says nothing by leaving it empty.
		if !inventory.FromCode(im.ID) {
			return result{State: pass, Detail: "Linux (the image's platform is not Windows)", Evidence: []inventory.Evidence{s.imageEv("Platform", "")}}
		}
	}
	return absentInScripts(s, pass)
}

// launchKnown reports whether the group's launch data was resolved at all.
func (s *subject) launchKnown() bool {
	l := s.g.Launch
	return l.ImageID != "" || l.Source != "" || l.InstanceType != ""
}

func checkTenancy(bad func(tenancy string) bool) func(*subject) result {
	return func(s *subject) result {
		if !s.launchKnown() || !s.g.Launch.Known("Placement.Tenancy") {
			return result{State: unknown, Detail: "the launch template or configuration was not read"}
		}
		t := s.g.Launch.Tenancy
		if t == "" {
			t = "default"
		}
		ev := []inventory.Evidence{s.launchEv("Placement.Tenancy", "PlacementTenancy", t)}
		if bad(t) {
			return result{State: fail, Detail: "tenancy " + t, Evidence: ev}
		}
		return result{State: pass, Detail: "tenancy " + t, Evidence: ev}
	}
}

// hardeningSysctls are the settings of a host hardening baseline (CIS and the like) and
// generic host defaults: on Kubernetes they belong to the node image, not to the workload.
var hardeningSysctls = []string{
	"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.icmp_", "net.ipv4.tcp_syncookies", "net.ipv4.ip_forward",
	"kernel.randomize_va_space", "kernel.kptr_restrict", "kernel.dmesg_restrict", "kernel.yama.",
	"fs.suid_dumpable", "fs.protected_", "vm.swappiness",
}

// isHardening reports a sysctl of the hardening baseline.
func isHardening(f *inventory.Fact) bool {
	for _, p := range hardeningSysctls {
		if strings.HasPrefix(f.Key, p) {
			return true
		}
	}
	return false
}

// gpuDriverWords mark kernel settings that come with NVIDIA drivers (blacklisting nouveau,
// loading nvidia modules): a GPU node pool's image does that for every GPU workload.
var gpuDriverWords = []string{"nouveau", "nvidia"}

// isNodeKernel reports kernel tuning only the node can make (the vocabulary's scope),
// other than what GPU drivers bring.
func isNodeKernel(f *inventory.Fact) bool {
	return f.Scope == inventory.ScopeNode && !isGPUDriver(f)
}

// checkSysctl fails on sysctl tuning beyond a hardening baseline (a templated name counts:
// its value cannot be read, so it cannot be shown to be baseline).
func checkSysctl(s *subject) result {
	var bad, baseline []inventory.Fact
	for _, f := range s.facts(inventory.FactKernelTuning) {
		switch {
		case isNodeKernel(&f):
			// FIT-NODE-KERNEL's business.
		case isHardening(&f) || isGPUDriver(&f):
			baseline = append(baseline, f)
		default:
			bad = append(bad, f)
		}
	}
	switch {
	case len(bad) > 0:
		return result{State: fail, Detail: "tuned: " + factDetails(bad), Evidence: factEvidence(bad)}
	case len(baseline) > 0:
		return result{State: pass, Detail: "node baseline only (hardening, GPU drivers): " + factDetails(baseline), Evidence: factEvidence(baseline)}
	}
	return absentInScripts(s, pass)
}

// isGPUDriver reports kernel tuning for GPU drivers: the module, setting, command or
// file it names is NVIDIA's or nouveau's.
func isGPUDriver(f *inventory.Fact) bool {
	for _, s := range []string{f.Name, f.Key, f.Command, f.Path} {
		s = strings.ToLower(s)
		for _, w := range gpuDriverWords {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

func checkNodeKernel(s *subject) result {
	var bad []inventory.Fact
	for _, f := range s.facts(inventory.FactKernelTuning) {
		if isNodeKernel(&f) {
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return result{State: fail, Detail: "node-level: " + factDetails(bad), Evidence: factEvidence(bad)}
	}
	return absentInScripts(s, pass)
}
