package manifests

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// labelName is the label every object carries and every selector matches.
const labelName = "app.kubernetes.io/name"

func intOrInt(n int) intstr.IntOrString { return intstr.FromInt32(int32(n)) }

func ptr[T any](v T) *T { return &v }

// bundle is what one workload's folder holds, before rendering.
type bundle struct {
	w       *workload
	plan    plan
	app     string
	objects []*object
	// notes for the README: what could not be carried over, in words.
	gaps []string
}

func (b *bundle) meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Labels: map[string]string{labelName: b.app}}
}

func (b *bundle) add(o *object) *object {
	b.objects = append(b.objects, o)
	return o
}

// build writes the objects the plan calls for.
func build(w *workload, p plan, opts Options) *bundle {
	b := &bundle{w: w, plan: p, app: dnsLabel(w.g.Name)}
	t := trafficOf(w)
	b.gaps = append(b.gaps, t.gaps...)
	var pr *probe
	if p.Controller == kindDeployment || p.Controller == kindStatefulSet {
		var gaps []string
		pr, gaps = probeOf(w)
		b.gaps = append(b.gaps, gaps...)
	}
	cfg := configOf(w, b.app)
	sa := b.serviceAccount()
	pod, podNotes := b.podSpec(t, pr, cfg, sa != nil)

	switch p.Controller {
	case kindDeployment:
		b.deployment(pod, podNotes)
	case kindStatefulSet:
		b.statefulSet(pod, podNotes, len(t.service) > 0)
	case kindJob:
		b.job(pod, podNotes)
	case kindCronJob:
		b.cronJob(pod, podNotes)
	}
	if p.Controller == kindDeployment || p.Controller == kindStatefulSet {
		b.services(t)
		b.route(t, opts)
		b.scaler()
		b.pdb()
	}
	if sa != nil {
		b.add(sa)
	}
	b.configObjects(cfg)
	sort.SliceStable(b.objects, func(i, j int) bool { return b.objects[i].File < b.objects[j].File })
	return b
}

// podSpec is the pod template every controller shares, with its notes (paths relative to
// the pod spec).
func (b *bundle) podSpec(t traffic, pr *probe, cfg config, withSA bool) (corev1.PodSpec, []note) {
	w, g := b.w, b.w.g
	var notes []note
	from := func(path, rule, text string, ev ...inventory.Evidence) {
		notes = append(notes, note{Path: path, Rule: rule, Evidence: ev, Text: text})
	}
	fill := func(path, text string, ev ...inventory.Evidence) {
		notes = append(notes, note{Path: path, Evidence: ev, Text: text, Fill: true})
	}
	c := corev1.Container{Name: b.app, Image: b.app}
	const cp = "containers[0]"

	imageText := "the container image, set in kustomization.yaml (images:). "
	imageEv := []inventory.Evidence{}
	if id := g.Launch.ImageID; id != "" {
		imageText += "Today the instances boot " + id
		imageEv = append(imageEv, w.launchEv("ImageId", "ImageId", id))
	}
	if docker := w.factsOf(inventory.FactDocker); len(docker) > 0 {
		// The images the scripts run, as written: the application's is the place to start.
		var images []string
		var imageFacts []inventory.Fact
		// An image from a registry of the client's own (an ECR repository) before one from
		// Docker Hub's library, which is more often a base or a check (nvidia/cuda).
		ordered := slices.Clone(docker)
		slices.SortStableFunc(ordered, func(a, b inventory.Fact) int { return cmpBool(ownRegistry(b.Image()), ownRegistry(a.Image())) })
		for _, f := range ordered {
			if im := f.Image(); im != "" && !slices.Contains(images, im) && len(images) < 3 {
				images, imageFacts = append(images, im), append(imageFacts, f)
			}
		}
		if len(images) > 0 {
			imageText += "; they already run containers (" + strings.Join(images, ", ") + "): the application's image is the place to start"
			imageEv = append(imageEv, factEvidence(imageFacts, 3)...)
		} else {
			imageText += "; they already run containers: the image they pull is the place to start"
			imageEv = append(imageEv, factEvidence(docker, 3)...)
		}
	} else if builds := w.factsOf(inventory.FactImageBuild); len(builds) > 0 {
		imageText += "; the image build's provisioning steps become the Dockerfile's"
		imageEv = append(imageEv, factEvidence(builds, 3)...)
	}
	fill(cp+".image", imageText, imageEv...)

	cmdText := "nothing: the image's entrypoint runs. Set command and args if it is not what the instances run today"
	var services []string
	var svcEv []inventory.Evidence
	seen := map[string]bool{}
	for _, f := range w.factsOf(inventory.FactService, inventory.FactWebServer) {
		if !seen[f.Detail()] && len(services) < 6 {
			seen[f.Detail()] = true
			services = append(services, f.Detail())
			svcEv = append(svcEv, f.Evidence.Evidence())
		}
	}
	if len(services) > 0 {
		cmdText += " (the scripts start: " + strings.Join(services, ", ") + ")"
	}
	fill(cp+".name", "command: "+cmdText, svcEv...)

	for i, p := range t.container {
		c.Ports = append(c.Ports, corev1.ContainerPort{Name: p.name, ContainerPort: p.port, Protocol: p.proto})
		from(fmt.Sprintf("%s.ports[%d]", cp, i), "", "the port the load balancer sends traffic to", p.ev...)
	}

	if pr != nil {
		rp := &corev1.Probe{ProbeHandler: pr.handler, PeriodSeconds: int32(pr.period), TimeoutSeconds: int32(pr.timeout),
			SuccessThreshold: int32(pr.healthy), FailureThreshold: int32(pr.failure)}
		text := "the health check of " + pr.source + ": same path, port, interval, timeout and thresholds"
		if pr.matcher != "" && !within200to399(pr.matcher) {
			text += "; the load balancer accepted HTTP " + pr.matcher + ", Kubernetes accepts 200–399 only"
		}
		ev := append(append([]inventory.Evidence{}, pr.ev...), probeTimingEv(w, pr)...)
		c.ReadinessProbe = rp
		rule := ""
		if pr.path != "" {
			rule = assess.RuleHTTPHealthCheck
		}
		from(cp+".readinessProbe", rule, text, ev...)
		if gp := g.HealthCheckGracePeriod; gp > 0 && g.Known("HealthCheckGracePeriod") && pr.period > 0 {
			sp := &corev1.Probe{ProbeHandler: pr.handler, PeriodSeconds: int32(pr.period), TimeoutSeconds: int32(pr.timeout),
				FailureThreshold: int32((gp + pr.period - 1) / pr.period)}
			c.StartupProbe = sp
			from(cp+".startupProbe", "", fmt.Sprintf("the group's grace period: failureThreshold × periodSeconds ≥ %d s before the first check counts", gp),
				w.groupEv("HealthCheckGracePeriod", strconv.Itoa(gp)))
		}
		if strings.EqualFold(g.HealthCheckType, "ELB") && g.Known("HealthCheckType") {
			from(cp+".readinessProbe", assess.RuleELBHealthCheck,
				"the group replaced instances the load balancer found unhealthy: a livenessProbe, looser than this one, restarts a hung container (not written: how loose is your call)",
				w.groupEv("HealthCheckType", g.HealthCheckType))
		}
	}

	// What the estate cannot say about resources is said in a comment; a Quantity cannot
	// hold a placeholder.
	resText := "requests and limits (cpu, memory) from measured use; nothing in the estate says how much the process needs"
	var resEv []inventory.Evidence
	if ts := w.instanceTypes(); len(ts) > 0 {
		resText += ". The instances are " + strings.Join(ts, ", ") + ": a pod must fit well inside one"
		resEv = append(resEv, w.launchEv("InstanceType", "InstanceType", strings.Join(ts, ",")))
		for _, it := range ts {
			if accelerated(it) {
				resText += ". " + it + " has accelerators: add limits nvidia.com/gpu (or the accelerator's resource) with the count the process uses"
				break
			}
		}
	}
	fill(cp+".resources", resText, resEv...)

	c.EnvFrom = append(c.EnvFrom, cfg.envFrom()...)
	if len(c.EnvFrom) > 0 {
		from(cp+".envFrom", assess.RuleEnvConfig, "environment and secrets the scripts set, by name; their values are in the ConfigMap and ExternalSecret files", cfg.envEv()...)
	}

	spec := corev1.PodSpec{Containers: []corev1.Container{c}}
	if withSA {
		spec.ServiceAccountName = b.app
		from("serviceAccountName", "", "the instances had an IAM instance profile: the pod gets the role through this service account",
			w.launchEv("IamInstanceProfile.Arn", "IamInstanceProfile", g.Launch.IAMInstanceProfile))
	}

	// Volumes: in a StatefulSet the data volumes become claims (see statefulSet); here the
	// rest become scratch space of the same size.
	if b.plan.Controller != kindStatefulSet {
		for i, d := range w.dataVolumes() {
			name := volumeName(d.DeviceName)
			ed := &corev1.EmptyDirVolumeSource{}
			text := "scratch space: the group deletes this volume when an instance terminates"
			if d.VolumeSize > 0 {
				size := resource.MustParse(strconv.Itoa(d.VolumeSize) + "Gi")
				ed.SizeLimit = &size
			} else {
				text += "; its size is not known, so no sizeLimit"
			}
			spec.Volumes = append(spec.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: ed}})
			from(fmt.Sprintf("volumes[%d]", i), assess.RuleDataVolume, text, volumeEv(w, d))
		}
		spec.Containers[0].VolumeMounts, notes = b.volumeMounts(spec.Containers[0].VolumeMounts, notes)
	} else {
		spec.Containers[0].VolumeMounts, notes = b.volumeMounts(spec.Containers[0].VolumeMounts, notes)
	}

	if b.plan.Controller == kindDeployment || b.plan.Controller == kindStatefulSet {
		if grace, ev, text := shutdownOf(w); grace > 0 {
			spec.TerminationGracePeriodSeconds = ptr(int64(grace))
			from("terminationGracePeriodSeconds", assess.RuleGracefulShutdown, text, ev...)
		}
		for _, h := range g.LifecycleHooks {
			if strings.HasSuffix(h.Transition, "EC2_INSTANCE_TERMINATING") {
				spec.Containers[0].Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{Placeholder}}}}
				fill(cp+".lifecycle.preStop.exec.command",
					fmt.Sprintf("the command that does what the terminating lifecycle hook %s waited for (up to %d s), or remove the hook if the process finishes its work on SIGTERM", h.Name, h.HeartbeatTimeout),
					w.groupEv("LifecycleHooks."+h.Name+".HeartbeatTimeout", strconv.Itoa(h.HeartbeatTimeout)))
				break
			}
		}
		if zones := sortedUnique(g.AvailabilityZones); len(zones) > 1 && g.Known("AvailabilityZones") {
			spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "topology.kubernetes.io/zone",
				WhenUnsatisfiable: corev1.ScheduleAnyway, LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{labelName: b.app}}}}
			from("topologySpreadConstraints[0]", "", "the group spread instances over "+strconv.Itoa(len(zones))+" zones; pods spread the same way",
				w.groupEv("AvailabilityZones", strings.Join(zones, ",")))
		}
	} else {
		spec.RestartPolicy = corev1.RestartPolicyOnFailure
	}

	if ok, ev := w.spot(); ok {
		spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{
			Weight: 100, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{
				Key: "karpenter.sh/capacity-type", Operator: corev1.NodeSelectorOpIn, Values: []string{"spot"}}}}}}}}
		from("affinity", assess.RuleSpotTolerant, "the group already runs on spot capacity: prefer spot nodes (Karpenter's label; a managed node group labels eks.amazonaws.com/capacityType=SPOT)", ev)
	}
	for _, it := range w.instanceTypes() {
		if accelerated(it) {
			spec.Tolerations = []corev1.Toleration{{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
			from("tolerations[0]", assess.RuleBatchML, it+" has accelerators: GPU node pools are usually tainted nvidia.com/gpu",
				w.launchEv("InstanceType", "InstanceType", it))
			break
		}
	}
	return spec, notes
}

// volumeMounts mounts the data volumes where the scripts mount them, when the scripts say
// so for a single volume; otherwise the mount path is a placeholder.
func (b *bundle) volumeMounts(mounts []corev1.VolumeMount, notes []note) ([]corev1.VolumeMount, []note) {
	var vols []inventory.BlockDevice
	for _, d := range b.w.dataVolumes() {
		// A claim needs a size: a volume of unknown size gets none (see statefulSet).
		if b.plan.Controller != kindStatefulSet || d.VolumeSize > 0 {
			vols = append(vols, d)
		}
	}
	var paths []inventory.Fact
	for _, f := range b.w.factsOf(inventory.FactDataVolume) {
		if p := mountPathOf(f); p != "" {
			paths = append(paths, f)
		}
	}
	for _, d := range vols {
		m := corev1.VolumeMount{Name: volumeName(d.DeviceName), MountPath: "/" + Placeholder}
		path := fmt.Sprintf("containers[0].volumeMounts[%d].mountPath", len(mounts))
		if len(vols) == 1 && len(paths) >= 1 && sameMount(paths) {
			m.MountPath = mountPathOf(paths[0])
			notes = append(notes, note{Path: path, Rule: assess.RuleDataVolume, Text: "where the scripts mount the volume", Evidence: []inventory.Evidence{paths[0].Evidence.Evidence()}})
		} else {
			ev := []inventory.Evidence{}
			for _, p := range paths {
				ev = append(ev, p.Evidence.Evidence())
			}
			notes = append(notes, note{Path: path, Fill: true, Evidence: ev,
				Text: fmt.Sprintf("where volume %s is mounted; the scripts do not say which mount is which", d.DeviceName)})
		}
		mounts = append(mounts, m)
	}
	return mounts, notes
}

// mountPathOf is the mount point a data-volume fact names, when it is a literal absolute
// path.
func mountPathOf(f inventory.Fact) string {
	p := f.MountOf().Target
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "/dev/") || strings.ContainsAny(p, "${}") {
		return ""
	}
	return p
}

func sameMount(fs []inventory.Fact) bool {
	for _, f := range fs {
		if mountPathOf(f) != mountPathOf(fs[0]) {
			return false
		}
	}
	return true
}

// volumeName names a volume after its device: /dev/sdf → data-sdf.
func volumeName(device string) string {
	d := device
	if i := strings.LastIndex(d, "/"); i >= 0 {
		d = d[i+1:]
	}
	return dnsLabel("data-" + d)
}

// shutdownOf is the time an instance was given to stop: the longest of the target groups'
// deregistration delays, the classic load balancers' connection draining and the
// terminating lifecycle hooks' heartbeat.
func shutdownOf(w *workload) (int, []inventory.Evidence, string) {
	best, text := 0, ""
	var ev []inventory.Evidence
	consider := func(n int, e inventory.Evidence, why string) {
		if n > best {
			best, ev, text = n, []inventory.Evidence{e}, why
		}
	}
	for _, tg := range w.tgs {
		if v, ok := tg.Attributes["deregistration_delay.timeout_seconds"]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				consider(n, tgEv(tg, "Attributes.deregistration_delay.timeout_seconds", v), "the target group drained connections this long before an instance stopped")
			}
		}
	}
	for _, lb := range w.classic {
		if lb.ConnectionDraining && lb.ConnectionDrainingTimeout > 0 {
			consider(lb.ConnectionDrainingTimeout, clbEv(lb, "ConnectionDraining.Timeout", strconv.Itoa(lb.ConnectionDrainingTimeout)),
				"the load balancer drained connections this long before an instance stopped")
		}
	}
	for _, h := range w.g.LifecycleHooks {
		if strings.HasSuffix(h.Transition, "EC2_INSTANCE_TERMINATING") && h.HeartbeatTimeout > 0 {
			consider(h.HeartbeatTimeout, w.groupEv("LifecycleHooks."+h.Name+".HeartbeatTimeout", strconv.Itoa(h.HeartbeatTimeout)),
				"the terminating lifecycle hook gave an instance this long to finish its work")
		}
	}
	return best, ev, text
}

func probeTimingEv(w *workload, pr *probe) []inventory.Evidence {
	for _, tg := range w.tgs {
		if "target group "+tg.Name == pr.source {
			hc := tg.HealthCheck
			return []inventory.Evidence{tgEv(tg, "HealthCheckIntervalSeconds", strconv.Itoa(hc.Interval)),
				tgEv(tg, "HealthCheckTimeoutSeconds", strconv.Itoa(hc.Timeout)),
				tgEv(tg, "HealthyThresholdCount", strconv.Itoa(hc.HealthyThreshold)),
				tgEv(tg, "UnhealthyThresholdCount", strconv.Itoa(hc.UnhealthyThreshold))}
		}
	}
	return nil
}

// within200to399 reports whether every code of an ALB matcher ("200", "200-399",
// "200,302") is one Kubernetes counts as success.
func within200to399(m string) bool {
	for _, part := range strings.Split(m, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(lo)
		z, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a < 200 || z > 399 {
			return false
		}
	}
	return true
}

// ownRegistry reports an image named with a registry host (123.dkr.ecr…/app,
// registry.example.com:5000/app): not one of Docker Hub's.
func ownRegistry(image string) bool {
	host, _, ok := strings.Cut(image, "/")
	return ok && (strings.ContainsAny(host, ".:") || host == "localhost")
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func factEvidence(fs []inventory.Fact, max int) []inventory.Evidence {
	var ev []inventory.Evidence
	for i, f := range fs {
		if i == max {
			break
		}
		ev = append(ev, f.Evidence.Evidence())
	}
	return ev
}

// prefixed returns the pod-spec notes with their paths under the controller's pod template.
func prefixed(prefix string, notes []note) []note {
	out := make([]note, len(notes))
	for i, n := range notes {
		n.Path = prefix + "." + n.Path
		out[i] = n
	}
	return out
}

func (b *bundle) selector() *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{labelName: b.app}}
}

func (b *bundle) template(pod corev1.PodSpec) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{labelName: b.app}}, Spec: pod}
}

// replicas sets the replica count from the group's desired capacity, unless a scaler
// owns it.
func (b *bundle) replicas(o *object) *int32 {
	g := b.w.g
	if b.plan.Scaler != scaleNone {
		o.from("spec.selector", "", fmt.Sprintf("replicas: not set, the %s owns them (between the group's minimum %d and maximum %d)", b.plan.Scaler, g.MinSize, g.MaxSize),
			b.w.groupEv("MinSize", strconv.Itoa(g.MinSize)), b.w.groupEv("MaxSize", strconv.Itoa(g.MaxSize)))
		return nil
	}
	if !g.Known("DesiredCapacity") {
		o.fill("spec.selector", "replicas: how many pods to run; the group's desired capacity is not known from the code")
		return nil
	}
	o.from("spec.replicas", "", "the group's desired capacity", b.w.groupEv("DesiredCapacity", strconv.Itoa(g.DesiredCapacity)))
	return ptr(int32(g.DesiredCapacity))
}

func (b *bundle) deployment(pod corev1.PodSpec, podNotes []note) {
	o := &object{File: "deployment.yaml", Kind: "Deployment", Name: b.app}
	d := &appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}, ObjectMeta: b.meta(b.app),
		Spec: appsv1.DeploymentSpec{Selector: b.selector(), Template: b.template(pod)}}
	d.Spec.Replicas = b.replicas(o)
	if g := b.w.g; g.MaxSize == 1 && g.Known("MaxSize") {
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
		o.from("spec.strategy", assess.RuleSingleton, "the group never ran two instances at once: the old pod stops before the new one starts",
			b.w.groupEv("MaxSize", "1"))
	}
	o.Obj = d
	o.Notes = append(o.Notes, prefixed("spec.template.spec", podNotes)...)
	b.add(o)
}

func (b *bundle) statefulSet(pod corev1.PodSpec, podNotes []note, hasService bool) {
	o := &object{File: "statefulset.yaml", Kind: "StatefulSet", Name: b.app}
	s := &appsv1.StatefulSet{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}, ObjectMeta: b.meta(b.app),
		Spec: appsv1.StatefulSetSpec{Selector: b.selector(), Template: b.template(pod), ServiceName: b.app}}
	s.Spec.Replicas = b.replicas(o)
	if hasService {
		o.from("spec.serviceName", "", "the Service in service.yaml; make it headless (clusterIP: None) if the pods must be reached one by one")
	} else {
		o.fill("spec.serviceName", "a headless Service of this name gives the pods stable names; none is written because no port is known")
	}
	for _, d := range b.w.dataVolumes() {
		if d.VolumeSize <= 0 {
			b.gaps = append(b.gaps, "volume "+d.DeviceName+": its size is not known, so no claim is written for it; add a volumeClaimTemplate named "+volumeName(d.DeviceName)+" (the container mounts it)")
			continue
		}
		i := len(s.Spec.VolumeClaimTemplates)
		size := resource.MustParse(strconv.Itoa(d.VolumeSize) + "Gi")
		s.Spec.VolumeClaimTemplates = append(s.Spec.VolumeClaimTemplates, corev1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Name: volumeName(d.DeviceName)},
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}}}})
		text := "a claim of the same size per pod"
		if d.VolumeType != "" {
			text += "; the volume is " + d.VolumeType
			if d.IOPS > 0 {
				text += fmt.Sprintf(" with %d IOPS", d.IOPS)
			}
			text += ": name a StorageClass that gives the same (storageClassName), or the cluster's default is used"
		}
		o.from(fmt.Sprintf("spec.volumeClaimTemplates[%d]", i), assess.RuleDataVolume, text,
			volumeEv(b.w, d))
	}
	o.Obj = s
	o.Notes = append(o.Notes, prefixed("spec.template.spec", podNotes)...)
	b.add(o)
}

func (b *bundle) job(pod corev1.PodSpec, podNotes []note) {
	g := b.w.g
	o := &object{File: "job.yaml", Kind: "Job", Name: b.app}
	j := &batchv1.Job{TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}, ObjectMeta: b.meta(b.app),
		Spec: batchv1.JobSpec{Template: b.template(pod)}}
	o.fill("spec.template.spec.restartPolicy", fmt.Sprintf("what to do when the work fails (OnFailure retries in place, Never starts a new pod). Nothing starts this Job: today something raises the group's desired capacity (up to %d instances at once)", g.MaxSize),
		b.w.groupEv("DesiredCapacity", strconv.Itoa(g.DesiredCapacity)), b.w.groupEv("MaxSize", strconv.Itoa(g.MaxSize)))
	o.Obj = j
	o.Notes = append(o.Notes, prefixed("spec.template.spec", podNotes)...)
	b.add(o)
}

func (b *bundle) cronJob(pod corev1.PodSpec, podNotes []note) {
	g := b.w.g
	up, down := scheduleWindow(g.ScheduledActions)
	o := &object{File: "cronjob.yaml", Kind: "CronJob", Name: b.app}
	j := &batchv1.CronJob{TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"}, ObjectMeta: b.meta(b.app),
		Spec: batchv1.CronJobSpec{Schedule: up.Recurrence, ConcurrencyPolicy: batchv1.ForbidConcurrent,
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: b.template(pod)}}}}
	schedEv := b.w.groupEv("ScheduledActions."+up.Name+".Recurrence", up.Recurrence)
	o.from("spec.schedule", assess.RuleScheduledScaling, "scheduled action "+up.Name+" starts the group", schedEv)
	if up.TimeZone != "" {
		j.Spec.TimeZone = ptr(up.TimeZone)
		o.from("spec.timeZone", "", "the scheduled action's time zone", b.w.groupEv("ScheduledActions."+up.Name+".TimeZone", up.TimeZone))
	}
	o.from("spec.concurrencyPolicy", "", "one window at a time, as the group ran: a run still going when the next is due is not doubled")
	if n := capacityOf(*up); n > 1 {
		j.Spec.JobTemplate.Spec.Parallelism = ptr(int32(n))
		o.from("spec.jobTemplate.spec.parallelism", "", "the instances the scheduled action started at once",
			b.w.groupEv("ScheduledActions."+up.Name+".DesiredCapacity", strconv.Itoa(n)))
	}
	if secs := windowSeconds(up.Recurrence, down.Recurrence); secs > 0 {
		j.Spec.JobTemplate.Spec.ActiveDeadlineSeconds = ptr(int64(secs))
		o.from("spec.jobTemplate.spec.activeDeadlineSeconds", "", "scheduled action "+down.Name+" stopped the instances this long after the start",
			schedEv, b.w.groupEv("ScheduledActions."+down.Name+".Recurrence", down.Recurrence))
	}
	o.fill("spec.jobTemplate.spec.template.spec.restartPolicy", "what to do when the work fails (OnFailure retries in place, Never starts a new pod)")
	o.Obj = j
	o.Notes = append(o.Notes, prefixed("spec.jobTemplate.spec.template.spec", podNotes)...)
	b.add(o)
}

// pdb keeps pods available through node drains, for groups that always run two or more.
func (b *bundle) pdb() {
	g := b.w.g
	if g.MinSize < 2 || !g.Known("MinSize") {
		return
	}
	o := &object{File: "pdb.yaml", Kind: "PodDisruptionBudget", Name: b.app}
	o.Obj = &policyv1.PodDisruptionBudget{TypeMeta: metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"}, ObjectMeta: b.meta(b.app),
		Spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: ptr(intstr.FromInt32(1)), Selector: b.selector()}}
	o.from("spec.maxUnavailable", "", "the group always ran at least "+strconv.Itoa(g.MinSize)+" instances, so it is not meant to stop all at once; one pod at a time is a starting point, not a fact",
		b.w.groupEv("MinSize", strconv.Itoa(g.MinSize)))
	b.add(o)
}

// serviceAccount carries the IAM role the instance profile gave the instances.
func (b *bundle) serviceAccount() *object {
	w := b.w
	prof := w.g.Launch.IAMInstanceProfile
	if prof == "" {
		return nil
	}
	o := &object{File: "serviceaccount.yaml", Kind: "ServiceAccount", Name: b.app}
	m := b.meta(b.app)
	m.Annotations = map[string]string{"eks.amazonaws.com/role-arn": Placeholder}
	o.Obj = &corev1.ServiceAccount{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"}, ObjectMeta: m}
	o.fill("metadata.annotations[eks.amazonaws.com/role-arn]",
		"the ARN of the IAM role the instance profile holds, trusted by the cluster's OIDC provider (IRSA); with EKS Pod Identity, delete this annotation and associate the role with this service account instead",
		w.launchEv("IamInstanceProfile.Arn", "IamInstanceProfile", prof))
	return o
}

func volumeEv(w *workload, d inventory.BlockDevice) inventory.Evidence {
	f := "BlockDeviceMappings[" + d.DeviceName + "].Ebs.VolumeSize"
	return w.launchEv(f, f, strconv.Itoa(d.VolumeSize))
}
