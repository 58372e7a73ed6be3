package assess

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// The state dimension's rule ids, for code elsewhere that names one of these rules.
const (
	RuleStickySessions = "FIT-STICKY-SESSIONS"
	RuleLocalDatabase  = "FIT-LOCAL-DATABASE"
	RuleDataVolume     = "FIT-DATA-VOLUME"
	RuleNFSMount       = "FIT-NFS-MOUNT"
	RuleS3FSMount      = "FIT-S3FS-MOUNT"
	RuleInstanceStore  = "FIT-INSTANCE-STORE"
)

func registerStateRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleStickySessions, Title: "Sticky sessions on the load balancer",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortM,
		Rationale:   "Stickiness pins a user to one instance because session state lives in its memory or disk. Pods are replaced and rescheduled freely, so state held in one of them is lost at every rollout and scale-in.",
		Remediation: "Move session state to a shared store (ElastiCache for Redis or DynamoDB) or into signed tokens, then turn stickiness off and confirm that users keep their sessions across instance replacement.",
		Kubernetes:  "External session store; ingress cookie affinity only as a stopgap",
		resources:   resourceReader{targetGroup: stickyTargetGroup, classic: stickyClassic},
		check:       checkSticky,
	})
	c.Register(Rule{
		ID: RuleLocalDatabase, Title: "Database or stateful server installed on the instance",
		Dimension: DimState, Direction: DirHurts, Weight: 15, Blocker: EffortL, Cap: 49,
		Facts:       []inventory.FactKind{inventory.FactDatabase},
		Rationale:   "A database, queue or search engine on the instance keeps data that must outlive the instance. It has to move to a managed service or a StatefulSet with persistent volumes, backups and failover before the rest can be containerised; the score cannot exceed 49 while it is there.",
		Remediation: "Move the data to a managed service (RDS, ElastiCache, OpenSearch, Amazon MQ) and point the application at it; if it must stay self-managed, plan it as a separate StatefulSet with its own storage and backup design.",
		Kubernetes:  "Managed service outside the cluster, or a StatefulSet with PersistentVolumeClaims",
		selects:     func(f *inventory.Fact, _ stage) bool { return !isCache(f) },
		check:       checkLocalDatabase,
	})
	c.Register(Rule{
		ID: RuleDataVolume, Title: "Extra data volumes, filesystems created or mounted",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortM,
		Facts:       []inventory.FactKind{inventory.FactDataVolume},
		Rationale:   "Extra EBS volumes, mkfs and mount at boot mean the instance writes data it expects to find again. A pod's filesystem is thrown away with the pod; durable data needs a claimed volume bound to one zone, or a service.",
		Remediation: "Find what is written to the volume. Move durable data to S3, EFS or a database; keep scratch space as ephemeral storage; where a block volume is truly needed, design a StatefulSet with a PersistentVolumeClaim.",
		Kubernetes:  "PersistentVolumeClaim (EBS CSI driver) in a StatefulSet, or emptyDir for scratch",
		resources:   resourceReader{group: dataVolumes},
		check:       checkDataVolume,
	})
	c.Register(Rule{
		ID: RuleNFSMount, Title: "NFS or EFS mount",
		Dimension: DimState, Direction: DirHurts, Weight: 5, Blocker: EffortS, Reshapes: true,
		Facts:       []inventory.FactKind{inventory.FactNFSMount},
		Rationale:   "A shared NFS or EFS mount is state outside the instance, which is good, but it must be declared as a volume rather than mounted by a boot script. The workload then needs a PersistentVolume beside its Deployment: small work, but it does not move as it is, so it is at best Needs minor work.",
		Remediation: "Declare the file system as a PersistentVolume with the EFS CSI driver (ReadWriteMany) and remove the mount from the boot scripts.",
		Kubernetes:  "PersistentVolume through the EFS CSI driver, ReadWriteMany",
		check:       hurtsByFacts("mounted"),
	})
	c.Register(Rule{
		ID: RuleS3FSMount, Title: "S3 bucket mounted as a filesystem (s3fs, goofys, mountpoint-s3)",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortL, Cap: 49,
		Facts:       []inventory.FactKind{inventory.FactS3Mount},
		Rationale:   "A FUSE mount of an object store pretends S3 is a disk: no locking, partial writes, surprising latency and failure modes that an operations team cannot support in production, on a host or in a pod. It is a red flag on its own; the score cannot exceed 49 while it is there.",
		Remediation: "Change the application to read and write objects through the S3 API (SDK) with the pod's IAM role, and remove the FUSE mount.",
		Kubernetes:  "S3 API calls with IRSA or EKS Pod Identity; no FUSE mount",
		check:       hurtsByFacts("mounted"),
	})
	c.Register(Rule{
		ID: RuleInstanceStore, Title: "Instance-store (ephemeral) volumes mapped",
		Dimension: DimState, Direction: DirHurts, Weight: 3,
		Rationale:   "Instance-store disks are fast local scratch tied to one host. Pods can have local scratch too, but it must be requested and sized; it is not a blocker.",
		Remediation: "Size the scratch space and request it as ephemeral storage, or use a node group with local NVMe and a local-storage class.",
		Kubernetes:  "emptyDir with an ephemeral-storage request, or local PersistentVolumes",
		resources:   resourceReader{group: instanceStores},
		check:       checkInstanceStore,
	})
}

// lbState says whether load-balancer rules can be judged: not applicable without load
// balancers, unknown when the group names load balancers we could not read.
func (s *subject) lbState() (state, string) {
	refs := len(s.g.LoadBalancerNames) + len(s.g.TargetGroupARNs)
	switch {
	case refs == 0 && s.g.Known("TargetGroupARNs") && s.g.Known("LoadBalancerNames"):
		return notApplicable, "the group is not attached to a load balancer"
	case !s.hasLoadBalancer():
		return unknown, "the group's load balancers or target groups were not read"
	}
	return pass, ""
}

// stickyTargetGroup reads a target group with stickiness turned on.
func stickyTargetGroup(tg *inventory.TargetGroup) []construct {
	if !tg.StickinessEnabled() {
		return nil
	}
	ev := []inventory.Evidence{tgEv(tg, "Attributes[stickiness.enabled]", "true")}
	detail := "target group " + tg.Name
	if t := tg.Attributes["stickiness.type"]; t != "" {
		ev = append(ev, tgEv(tg, "Attributes[stickiness.type]", t))
		detail += ", " + t
	}
	return []construct{{Kind: "target-group-stickiness", Title: "Sticky sessions on a target group", Detail: detail, Evidence: ev}}
}

// stickyClassic reads the listeners of a classic load balancer that take a cookie
// stickiness policy.
func stickyClassic(lb *inventory.ClassicLoadBalancer) []construct {
	var out []construct
	for _, l := range lb.Listeners {
		for _, pn := range l.PolicyNames {
			t := classicPolicyType(lb, pn)
			if !isStickinessPolicy(t) {
				continue
			}
			port := strconv.Itoa(l.Port)
			out = append(out, construct{
				Kind: "load-balancer-stickiness", Title: "Sticky sessions on a classic load balancer",
				Detail:   lb.Name + " port " + port + ": " + pn + " (" + t + ")",
				Evidence: []inventory.Evidence{clbEv(lb, "ListenerDescriptions["+port+"].PolicyNames", pn+" ("+t+")")},
			})
		}
	}
	return out
}

// isStickinessPolicy reports a classic load balancer policy type that makes sessions sticky,
// however its type is capitalised.
func isStickinessPolicy(t string) bool {
	return strings.EqualFold(t, "LBCookieStickinessPolicyType") || strings.EqualFold(t, "AppCookieStickinessPolicyType")
}

func checkSticky(s *subject, in seen) result {
	if st, why := s.lbState(); st != pass {
		return result{State: st, Detail: why}
	}
	if len(in.found) > 0 {
		return result{State: fail, Detail: "stickiness is enabled", Evidence: in.evidence()}
	}
	var good []inventory.Evidence
	for _, tg := range s.tgs {
		if v, ok := tg.Attributes["stickiness.enabled"]; ok {
			good = append(good, tgEv(tg, "Attributes[stickiness.enabled]", v))
		}
	}
	for _, lb := range s.classic {
		good = append(good, clbEv(lb, "ListenerDescriptions.PolicyNames", "no stickiness policy"))
	}
	if len(good) > 0 {
		return result{State: pass, Detail: "no stickiness on any load balancer or target group", Evidence: good}
	}
	return result{State: unknown, Detail: "target group attributes were not read"}
}

func classicPolicyType(lb *inventory.ClassicLoadBalancer, name string) string {
	for _, p := range lb.Policies {
		if p.Name == name {
			return p.Type
		}
	}
	return ""
}

// isRootDevice reports whether a block device name is one of the root device names AMIs
// use; the model does not carry the image's RootDeviceName.
func isRootDevice(name string) bool {
	switch name {
	case "/dev/xvda", "/dev/sda1", "/dev/sda", "/dev/nvme0n1", "xvda":
		return true
	}
	return false
}

// dataVolumes reads the EBS volumes the launch data maps besides the root volume.
func dataVolumes(s *subject) []construct {
	var out []construct
	for _, bd := range s.g.Launch.BlockDevices {
		if bd.NoDevice || strings.HasPrefix(bd.VirtualName, "ephemeral") || isRootDevice(bd.DeviceName) {
			continue
		}
		field := "BlockDeviceMappings[" + bd.DeviceName + "]"
		v := "EBS"
		if bd.VolumeSize > 0 {
			v = strconv.Itoa(bd.VolumeSize) + " GiB"
		}
		if bd.VolumeType != "" {
			v += " " + bd.VolumeType
		}
		if bd.DeleteOnTermination != nil && !*bd.DeleteOnTermination {
			v += ", kept on termination"
		}
		// A volume the code says is deleted with the instance is scratch space: nothing
		// on it outlives the instance, so it is no state to carry over (an emptyDir, or
		// a generic ephemeral volume). Without the field the default depends on how the
		// volume was mapped, so it stays a data volume.
		if bd.DeleteOnTermination != nil && *bd.DeleteOnTermination {
			f := field + ".Ebs.DeleteOnTermination"
			out = append(out, construct{
				Kind: "block-device", Title: "Scratch EBS volume, deleted on termination", Detail: bd.DeviceName + " (" + v + ", deleted on termination)",
				Favourable: true, Evidence: []inventory.Evidence{s.launchEv(f, f, "true")},
			})
			continue
		}
		out = append(out, construct{
			Kind: "block-device", Title: "Extra EBS volume mapped", Detail: bd.DeviceName + " (" + v + ")",
			Evidence: []inventory.Evidence{s.launchEv(field, field, v)},
		})
	}
	return out
}

func checkDataVolume(s *subject, in seen) result {
	_, volumes := in.split()
	var bad []inventory.Evidence
	var details []string
	for _, c := range volumes {
		bad = append(bad, c.Evidence...)
		details = append(details, c.Detail)
	}
	bad = append(bad, factEvidence(in.facts)...)
	if len(in.facts) > 0 {
		details = append(details, factDetails(in.facts))
	}
	if len(bad) > 0 {
		return result{State: fail, Detail: "data volumes: " + strings.Join(details, "; "), Evidence: bad}
	}
	if r := absentInScripts(s, pass); r.State == pass {
		return r
	}
	if len(s.g.Launch.BlockDevices) > 0 && s.g.Launch.Known("BlockDeviceMappings") {
		return result{State: pass, Detail: "only the root volume is mapped", Evidence: []inventory.Evidence{s.launchEv("BlockDeviceMappings", "BlockDeviceMappings", "root only")}}
	}
	return result{State: unknown, Detail: "no block device mapping and no provisioning script to show how disks are used"}
}

// instanceStores reads the instance-store volumes the launch data maps.
func instanceStores(s *subject) []construct {
	var out []construct
	for _, bd := range s.g.Launch.BlockDevices {
		if strings.HasPrefix(bd.VirtualName, "ephemeral") && !bd.NoDevice {
			field := "BlockDeviceMappings[" + bd.DeviceName + "].VirtualName"
			out = append(out, construct{
				Kind: "block-device", Title: "Instance-store volume mapped", Detail: bd.VirtualName + " at " + bd.DeviceName,
				Evidence: []inventory.Evidence{s.launchEv(field, field, bd.VirtualName)},
			})
		}
	}
	return out
}

func checkInstanceStore(_ *subject, in seen) result {
	if len(in.found) == 0 {
		// Only an explicit mapping says the software relies on local disks; its absence
		// says nothing either way.
		return result{State: notApplicable}
	}
	var names []string
	for _, c := range in.found {
		names = append(names, c.Detail)
	}
	return result{State: fail, Detail: strings.Join(names, ", "), Evidence: in.evidence()}
}

// isCache reports an in-memory cache: it holds nothing that must outlive the instance, so
// it counts as another service on the box (FIT-MULTI-SERVICE), not as state.
func isCache(f *inventory.Fact) bool { return f.Class == inventory.ClassCache }

// checkLocalDatabase fails on a state store installed on the instance. Caches are not
// selected (they are FIT-MULTI-SERVICE's business), but a pass says when there is one.
func checkLocalDatabase(s *subject, in seen) result {
	if len(in.facts) > 0 {
		return result{State: fail, Detail: "installed: " + factDetails(in.facts), Evidence: factEvidence(in.facts)}
	}
	r := absentInScripts(s, pass)
	if caches := s.facts(inventory.FactDatabase); r.State == pass && len(caches) > 0 {
		r.Detail = "only an in-memory cache (" + factDetails(caches) + "), which keeps nothing that must outlive the instance"
	}
	return r
}
