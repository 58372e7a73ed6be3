package assess

import (
	"strings"

	"whyk8s/inventory"
)

// The host-coupling dimension's rule ids, for code elsewhere that names one of these rules.
const (
	RuleWindows          = "FIT-WINDOWS"
	RuleKernelTuning     = "FIT-KERNEL-TUNING"
	RuleNodeKernel       = "FIT-NODE-KERNEL"
	RuleDedicatedTenancy = "FIT-DEDICATED-TENANCY"
	RuleHostLicensing    = "FIT-HOST-LICENSING"
	RuleHostFirewall     = "FIT-HOST-FIREWALL"
	RuleLocalUsers       = "FIT-LOCAL-USERS"
)

func registerHostRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleWindows, Title: "Windows AMI or Windows-only provisioning",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 15, Blocker: EffortXL, Cap: 34, Keep: true,
		Facts:       []inventory.FactKind{inventory.FactWindows},
		Rationale:   "Linux workloads run on any Kubernetes node. Windows containers need Windows node groups, large images, and usually a port away from .NET Framework and IIS configuration; the gain rarely pays for that. The workload is kept on ASG + ELB unless it is ported, and its score cannot exceed 34 while it runs on Windows.",
		Remediation: "Keep it on ASG + ELB, or port it to .NET on Linux first and re-assess.",
		Kubernetes:  "Windows node group (rarely worth it)",
		resources:   resourceReader{image: windowsImage},
		check:       checkWindows,
	})
	c.Register(Rule{
		ID: RuleKernelTuning, Title: "Sysctl tuning on the host",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []inventory.FactKind{inventory.FactKernelTuning},
		Rationale:   "Pods share the node's kernel. Namespaced sysctls can be set per pod, others become node configuration every pod on the node inherits. A hardening baseline alone (redirects, address randomisation, swappiness) is the node image's business and does not count against the workload.",
		Remediation: "List each setting: move namespaced sysctls (net.*) to the pod security context and the rest to the node group's configuration.",
		Kubernetes:  "Pod securityContext.sysctls, or node group configuration",
		selects:     func(f *inventory.Fact, _ stage) bool { return !isNodeKernel(f) },
		check:       checkSysctl,
	})
	c.Register(Rule{
		ID: RuleNodeKernel, Title: "Kernel modules or node-level kernel settings (hugepages, vm.max_map_count, limits)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 6, Blocker: EffortM,
		Facts:       []inventory.FactKind{inventory.FactKernelTuning},
		Rationale:   "Kernel modules, hugepages, vm.max_map_count, process limits and every sysctl the kernel does not keep per namespace (fs.file-max, fs.aio-max-nr, kernel.pid_max) cannot be set from an ordinary pod: the workload needs a node group of its own or a privileged init container, which the platform team must own.",
		Remediation: "Decide with the platform team: a dedicated node group whose launch template sets these, or a privileged init container (for vm.max_map_count); load modules on the node, never from the pod.",
		Kubernetes:  "Dedicated node group with taints, or a privileged initContainer",
		selects:     func(f *inventory.Fact, _ stage) bool { return isNodeKernel(f) },
		check:       checkNodeKernel,
	})
	c.Register(Rule{
		ID: RuleDedicatedTenancy, Title: "Dedicated tenancy",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 5, Blocker: EffortM,
		Rationale:   "Dedicated instances are chosen for compliance or licensing; a shared cluster defeats the purpose unless the workload gets its own dedicated node group.",
		Remediation: "Confirm why tenancy is dedicated; if it still holds, plan a dedicated node group (launch template with dedicated tenancy) and taints for this workload.",
		Kubernetes:  "Dedicated node group with taints and tolerations",
		resources:   resourceReader{group: tenancyOf(func(t string) bool { return t == "dedicated" || t == "host" })},
		check:       checkTenancy,
	})
	c.Register(Rule{
		ID: RuleHostLicensing, Title: "Dedicated Hosts (host-bound licensing)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 5, Blocker: EffortXL, Cap: 34, Keep: true,
		Rationale:   "Host tenancy means licences counted per physical socket or core (Windows Server, SQL Server, Oracle). Packing such software into pods on shared nodes breaks the licence terms; the score cannot exceed 34 while it runs on Dedicated Hosts.",
		Remediation: "Keep it on its Dedicated Hosts, or renegotiate the licence (licence-included or per-container) first.",
		resources:   resourceReader{group: tenancyOf(func(t string) bool { return t == "host" })},
		check:       checkTenancy,
	})
	c.Register(Rule{
		ID: RuleHostFirewall, Title: "Host firewall rules (iptables, ufw, firewalld)",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []inventory.FactKind{inventory.FactFirewall},
		Rationale:   "Rules written into the host firewall do not follow a pod; network policy has to say the same thing in the cluster's terms. It is translation work for the platform, not a blocker for the workload.",
		Remediation: "Translate each rule into a NetworkPolicy (or security groups for pods) and drop the host rules.",
		Kubernetes:  "NetworkPolicy, or security groups for pods",
		check:       hurtsByFacts("configured"),
	})
	c.Register(Rule{
		ID: RuleLocalUsers, Title: "Local users or SSH keys managed on the host",
		Dimension: DimHostCoupling, Direction: DirHurts, Weight: 3,
		Facts:       []inventory.FactKind{inventory.FactLocalUser},
		Rationale:   "Managed local accounts and SSH keys mean people log in to fix things. Nobody logs in to a pod; debugging moves to logs, metrics and ephemeral debug containers.",
		Remediation: "Make sure logs and metrics answer the questions people log in for, and plan kubectl debug access through RBAC instead of SSH keys.",
		Kubernetes:  "RBAC and kubectl debug instead of SSH",
		check:       hurtsByFacts("managed"),
	})
}

// windowsImage reads an image whose platform is Windows.
func windowsImage(im *inventory.Image) []construct {
	var ev inventory.Evidence
	switch {
	case strings.EqualFold(im.Platform, "windows"):
		ev = imageEv(im, "Platform", im.Platform)
	case strings.Contains(strings.ToLower(im.PlatformDetails), "windows"):
		ev = imageEv(im, "PlatformDetails", im.PlatformDetails)
	default:
		return nil
	}
	detail := im.Name
	if detail == "" {
		detail = im.ID
	}
	return []construct{{Kind: "image-platform", Title: "Windows image", Detail: detail, Evidence: []inventory.Evidence{ev}}}
}

func checkWindows(s *subject, in seen) result {
	bad := in.evidence()
	bad = append(bad, factEvidence(in.facts)...)
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

// tenancyOf reads launch data whose tenancy is one bad says is bad.
func tenancyOf(bad func(tenancy string) bool) func(*subject) []construct {
	return func(s *subject) []construct {
		t := s.g.Launch.Tenancy
		if !s.launchKnown() || !s.g.Launch.Known("Placement.Tenancy") || !bad(t) {
			return nil
		}
		title := "Dedicated tenancy"
		if t == "host" {
			title = "Dedicated Hosts"
		}
		return []construct{{Kind: "tenancy", Title: title, Detail: "tenancy " + t,
			Evidence: []inventory.Evidence{s.launchEv("Placement.Tenancy", "PlacementTenancy", t)}}}
	}
}

func checkTenancy(s *subject, in seen) result {
	if !s.launchKnown() || !s.g.Launch.Known("Placement.Tenancy") {
		return result{State: unknown, Detail: "the launch template or configuration was not read"}
	}
	if len(in.found) > 0 {
		return result{State: fail, Detail: in.found[0].Detail, Evidence: in.evidence()}
	}
	t := s.g.Launch.Tenancy
	if t == "" {
		t = "default"
	}
	return result{State: pass, Detail: "tenancy " + t, Evidence: []inventory.Evidence{s.launchEv("Placement.Tenancy", "PlacementTenancy", t)}}
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
		if strings.HasPrefix(sysctlKey(f), p) {
			return true
		}
	}
	return false
}

// gpuDriverWords mark kernel settings that come with NVIDIA drivers (blacklisting nouveau,
// loading nvidia modules): a GPU node pool's image does that for every GPU workload.
var gpuDriverWords = []string{"nouveau", "nvidia"}

// isNodeKernel reports kernel tuning only the node can make (the vocabulary's scope, or a
// sysctl the kernel does not namespace), other than what GPU drivers bring and the
// hardening baseline the node image sets anyway.
func isNodeKernel(f *inventory.Fact) bool {
	if isGPUDriver(f) {
		return false
	}
	return f.Scope == inventory.ScopeNode || f.Class == inventory.ClassSysctl && nodeLevelSysctl(sysctlKey(f)) && !isHardening(f)
}

// sysctlKey is a sysctl's key without the quotes and escapes a shell line may leave on
// it (sh -c "echo 'vm.swappiness=10' > …").
func sysctlKey(f *inventory.Fact) string { return strings.Trim(f.Key(), `\'" `) }

// podSysctls are the prefixes of the sysctls the kernel keeps per network or IPC
// namespace, which a pod's securityContext can set: every other sysctl (fs.file-max,
// fs.aio-max-nr, vm.*, kernel.pid_max) is the node's, shared by every pod on it.
var podSysctls = []string{"net.", "kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue."}

// nodeLevelSysctl reports a sysctl key, written out, that no pod can set. A key a
// template fills in is not known, so it is not shown to be node-level.
func nodeLevelSysctl(key string) bool {
	if key == "" || strings.ContainsAny(key, "{}$%") || !strings.Contains(key, ".") {
		return false
	}
	for _, p := range podSysctls {
		if strings.HasPrefix(key, p) {
			return false
		}
	}
	return true
}

// checkSysctl fails on sysctl tuning beyond a hardening baseline (a templated name counts:
// its value cannot be read, so it cannot be shown to be baseline).
func checkSysctl(s *subject, in seen) result {
	var bad, baseline []inventory.Fact
	for _, f := range in.facts {
		if isHardening(&f) || isGPUDriver(&f) {
			baseline = append(baseline, f)
		} else {
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
	for _, s := range []string{f.Name, f.Key(), f.Command(), f.Path()} {
		s = strings.ToLower(s)
		for _, w := range gpuDriverWords {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

func checkNodeKernel(s *subject, in seen) result {
	if len(in.facts) > 0 {
		return result{State: fail, Detail: "node-level: " + factDetails(in.facts), Evidence: factEvidence(in.facts)}
	}
	return absentInScripts(s, pass)
}
