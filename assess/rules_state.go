package assess

import (
	"strconv"
	"strings"

	"whyk8s/inventory"
)

func registerStateRules(c *Catalogue) {
	c.Register(Rule{
		ID: "FIT-STICKY-SESSIONS", Title: "Sticky sessions on the load balancer",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortM,
		Rationale:   "Stickiness pins a user to one instance because session state lives in its memory or disk. Pods are replaced and rescheduled freely, so state held in one of them is lost at every rollout and scale-in.",
		Remediation: "Move session state to a shared store (ElastiCache for Redis or DynamoDB) or into signed tokens, then turn stickiness off and confirm that users keep their sessions across instance replacement.",
		Kubernetes:  "External session store; ingress cookie affinity only as a stopgap",
		check:       checkSticky,
	})
	c.Register(Rule{
		ID: "FIT-LOCAL-DATABASE", Title: "Database or stateful server installed on the instance",
		Dimension: DimState, Direction: DirHurts, Weight: 15, Blocker: EffortL, Cap: 49,
		Facts:       []string{inventory.FactDatabase},
		Rationale:   "A database, queue or search engine on the instance keeps data that must outlive the instance. It has to move to a managed service or a StatefulSet with persistent volumes, backups and failover before the rest can be containerised; the score cannot exceed 49 while it is there.",
		Remediation: "Move the data to a managed service (RDS, ElastiCache, OpenSearch, Amazon MQ) and point the application at it; if it must stay self-managed, plan it as a separate StatefulSet with its own storage and backup design.",
		Kubernetes:  "Managed service outside the cluster, or a StatefulSet with PersistentVolumeClaims",
		check:       checkLocalDatabase,
	})
	c.Register(Rule{
		ID: "FIT-DATA-VOLUME", Title: "Extra data volumes, filesystems created or mounted",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortM,
		Facts:       []string{inventory.FactDataVolume},
		Rationale:   "Extra EBS volumes, mkfs and mount at boot mean the instance writes data it expects to find again. A pod's filesystem is thrown away with the pod; durable data needs a claimed volume bound to one zone, or a service.",
		Remediation: "Find what is written to the volume. Move durable data to S3, EFS or a database; keep scratch space as ephemeral storage; where a block volume is truly needed, design a StatefulSet with a PersistentVolumeClaim.",
		Kubernetes:  "PersistentVolumeClaim (EBS CSI driver) in a StatefulSet, or emptyDir for scratch",
		check:       checkDataVolume,
	})
	c.Register(Rule{
		ID: "FIT-NFS-MOUNT", Title: "NFS or EFS mount",
		Dimension: DimState, Direction: DirHurts, Weight: 5, Blocker: EffortS,
		Facts:       []string{inventory.FactNFSMount},
		Rationale:   "A shared NFS or EFS mount is state outside the instance, which is good, but it must be declared as a volume rather than mounted by a boot script.",
		Remediation: "Declare the file system as a PersistentVolume with the EFS CSI driver (ReadWriteMany) and remove the mount from the boot scripts.",
		Kubernetes:  "PersistentVolume through the EFS CSI driver, ReadWriteMany",
		check:       hurtsByFacts("mounted", inventory.FactNFSMount),
	})
	c.Register(Rule{
		ID: "FIT-S3FS-MOUNT", Title: "S3 bucket mounted as a filesystem (s3fs, goofys, mountpoint-s3)",
		Dimension: DimState, Direction: DirHurts, Weight: 10, Blocker: EffortL, Cap: 49,
		Facts:       []string{inventory.FactS3Mount},
		Rationale:   "A FUSE mount of an object store pretends S3 is a disk: no locking, partial writes, surprising latency and failure modes that an operations team cannot support in production, on a host or in a pod. It is a red flag on its own; the score cannot exceed 49 while it is there.",
		Remediation: "Change the application to read and write objects through the S3 API (SDK) with the pod's IAM role, and remove the FUSE mount.",
		Kubernetes:  "S3 API calls with IRSA or EKS Pod Identity; no FUSE mount",
		check:       hurtsByFacts("mounted", inventory.FactS3Mount),
	})
	c.Register(Rule{
		ID: "FIT-INSTANCE-STORE", Title: "Instance-store (ephemeral) volumes mapped",
		Dimension: DimState, Direction: DirHurts, Weight: 3,
		Rationale:   "Instance-store disks are fast local scratch tied to one host. Pods can have local scratch too, but it must be requested and sized; it is not a blocker.",
		Remediation: "Size the scratch space and request it as ephemeral storage, or use a node group with local NVMe and a local-storage class.",
		Kubernetes:  "emptyDir with an ephemeral-storage request, or local PersistentVolumes",
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

func checkSticky(s *subject) result {
	if st, why := s.lbState(); st != pass {
		return result{State: st, Detail: why}
	}
	var bad, good []inventory.Evidence
	known := false
	for _, tg := range s.tgs {
		v, ok := tg.Attributes["stickiness.enabled"]
		if !ok {
			continue
		}
		known = true
		if v == "true" {
			kind := tg.Attributes["stickiness.type"]
			bad = append(bad, tgEv(tg, "Attributes[stickiness.enabled]", "true"))
			if kind != "" {
				bad = append(bad, tgEv(tg, "Attributes[stickiness.type]", kind))
			}
		} else {
			good = append(good, tgEv(tg, "Attributes[stickiness.enabled]", v))
		}
	}
	for _, lb := range s.classic {
		known = true
		sticky := false
		for _, l := range lb.Listeners {
			for _, pn := range l.PolicyNames {
				if t := classicPolicyType(lb, pn); t == "LBCookieStickinessPolicyType" || t == "AppCookieStickinessPolicyType" {
					sticky = true
					bad = append(bad, clbEv(lb, "ListenerDescriptions["+strconv.Itoa(l.Port)+"].PolicyNames", pn+" ("+t+")"))
				}
			}
		}
		if !sticky {
			good = append(good, clbEv(lb, "ListenerDescriptions.PolicyNames", "no stickiness policy"))
		}
	}
	switch {
	case len(bad) > 0:
		return result{State: fail, Detail: "stickiness is enabled", Evidence: bad}
	case known:
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

func checkDataVolume(s *subject) result {
	var bad []inventory.Evidence
	var details []string
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
		bad = append(bad, s.launchEv(field, field, v))
		details = append(details, bd.DeviceName+" ("+v+")")
	}
	fs := s.facts(inventory.FactDataVolume)
	bad = append(bad, factEvidence(fs)...)
	if len(fs) > 0 {
		details = append(details, factDetails(fs))
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

func checkInstanceStore(s *subject) result {
	var ev []inventory.Evidence
	var names []string
	for _, bd := range s.g.Launch.BlockDevices {
		if strings.HasPrefix(bd.VirtualName, "ephemeral") && !bd.NoDevice {
			field := "BlockDeviceMappings[" + bd.DeviceName + "].VirtualName"
			ev = append(ev, s.launchEv(field, field, bd.VirtualName))
			names = append(names, bd.VirtualName+" at "+bd.DeviceName)
		}
	}
	if len(ev) == 0 {
		// Only an explicit mapping says the software relies on local disks; its absence
		// says nothing either way.
		return result{State: notApplicable}
	}
	return result{State: fail, Detail: strings.Join(names, ", "), Evidence: ev}
}

// isCache reports an in-memory cache: it holds nothing that must outlive the instance, so
// it counts as another service on the box (FIT-MULTI-SERVICE), not as state.
func isCache(f *inventory.Fact) bool { return f.Class == inventory.ClassCache }

func checkLocalDatabase(s *subject) result {
	var stores, caches []inventory.Fact
	for _, f := range s.facts(inventory.FactDatabase) {
		if isCache(&f) {
			caches = append(caches, f)
		} else {
			stores = append(stores, f)
		}
	}
	if len(stores) > 0 {
		return result{State: fail, Detail: "installed: " + factDetails(stores), Evidence: factEvidence(stores)}
	}
	r := absentInScripts(s, pass)
	if r.State == pass && len(caches) > 0 {
		r.Detail = "only an in-memory cache (" + factDetails(caches) + "), which keeps nothing that must outlive the instance"
		r.Evidence = factEvidence(caches)
	}
	return r
}
