package manifests

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/managedfields"
	"k8s.io/client-go/applyconfigurations"
	"k8s.io/client-go/kubernetes/scheme"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	gatewayac "sigs.k8s.io/gateway-api/applyconfiguration"
	sigsyaml "sigs.k8s.io/yaml"

	"whyk8s/assess"
	"whyk8s/fixtures"
	"whyk8s/inventory"
	"whyk8s/inventory/gather"
	"whyk8s/inventory/iac"
)

// demoInputs gathers the demo estate the way `whyk8s manifests --demo` does, and assesses it.
func demoInputs(t testing.TB) (*assess.Assessment, *inventory.Estate) {
	t.Helper()
	return assessed(t, gather.Sources{Demo: true, Now: fixtures.DemoTime})
}

// estateInputs reads a folder of infrastructure code and scripts as `--iac DIR --scripts
// DIR --iac-region us-east-1` does.
func estateInputs(t testing.TB, dir string) (*assess.Assessment, *inventory.Estate) {
	t.Helper()
	return assessed(t, gather.Sources{IaC: []string{dir}, IaCOptions: iac.Options{DefaultRegion: "us-east-1"}, Scripts: []string{dir}, Now: fixtures.DemoTime})
}

func assessed(t testing.TB, src gather.Sources) (*assess.Assessment, *inventory.Estate) {
	t.Helper()
	res, err := gather.Estate(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Estate
	a, err := assess.Assess(e, nil, assess.DefaultConfig(), assess.Meta{Now: fixtures.DemoTime, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a, e
}

func generate(t testing.TB, a *assess.Assessment, e *inventory.Estate, opts Options) *Result {
	t.Helper()
	r, err := Generate(a, e, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The type converters hold the structural schemas of Kubernetes 1.37 (as client-go v0.37
// embeds them for server-side apply) and of the Gateway API v1.6 types: a field the schema
// does not declare, or a value of the wrong type, fails there as it would at the API server.
var (
	convertersOnce sync.Once
	coreConverter  managedfields.TypeConverter
	gwConverter    managedfields.TypeConverter
)

func converters() (managedfields.TypeConverter, managedfields.TypeConverter) {
	convertersOnce.Do(func() {
		coreConverter = applyconfigurations.NewTypeConverter(scheme.Scheme)
		s := runtime.NewScheme()
		if err := gatewayv1.Install(s); err != nil {
			panic(err)
		}
		gwConverter = gatewayac.NewTypeConverter(s)
	})
	return coreConverter, gwConverter
}

// decoded is a validated file: its kind, name and the typed object.
type decoded struct {
	kind string
	obj  any
}

// validate decodes one generated file strictly into its type (an unknown or duplicated
// field fails) and, for Kubernetes and Gateway API kinds, checks it against the schema.
func validate(path string, data []byte) (decoded, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := sigsyaml.Unmarshal(data, &head); err != nil {
		return decoded{}, fmt.Errorf("%s: %w", path, err)
	}
	want := map[string]struct {
		apiVersion string
		obj        any
		schema     int // 0 none (CRD or kustomize), 1 core, 2 gateway
	}{
		"Deployment":              {"apps/v1", &appsv1.Deployment{}, 1},
		"StatefulSet":             {"apps/v1", &appsv1.StatefulSet{}, 1},
		"Job":                     {"batch/v1", &batchv1.Job{}, 1},
		"CronJob":                 {"batch/v1", &batchv1.CronJob{}, 1},
		"Service":                 {"v1", &corev1.Service{}, 1},
		"ServiceAccount":          {"v1", &corev1.ServiceAccount{}, 1},
		"ConfigMap":               {"v1", &corev1.ConfigMap{}, 1},
		"PodDisruptionBudget":     {"policy/v1", &policyv1.PodDisruptionBudget{}, 1},
		"HorizontalPodAutoscaler": {"autoscaling/v2", &autoscalingv2.HorizontalPodAutoscaler{}, 1},
		"Ingress":                 {"networking.k8s.io/v1", &networkingv1.Ingress{}, 1},
		"HTTPRoute":               {"gateway.networking.k8s.io/v1", &gatewayv1.HTTPRoute{}, 2},
		"ScaledObject":            {"keda.sh/v1alpha1", &scaledObject{}, 0},
		"ExternalSecret":          {"external-secrets.io/v1", &externalSecret{}, 0},
		"Kustomization":           {"kustomize.config.k8s.io/v1beta1", &kustomization{}, 0},
	}[head.Kind]
	if want.obj == nil {
		return decoded{}, fmt.Errorf("%s: unexpected kind %q", path, head.Kind)
	}
	if head.APIVersion != want.apiVersion {
		return decoded{}, fmt.Errorf("%s: %s has apiVersion %q, want %q", path, head.Kind, head.APIVersion, want.apiVersion)
	}
	if err := sigsyaml.UnmarshalStrict(data, want.obj); err != nil {
		return decoded{}, fmt.Errorf("%s: strict decoding: %w", path, err)
	}
	if want.schema > 0 {
		var u unstructured.Unstructured
		if err := sigsyaml.Unmarshal(data, &u.Object); err != nil {
			return decoded{}, fmt.Errorf("%s: %w", path, err)
		}
		core, gw := converters()
		tc := core
		if want.schema == 2 {
			tc = gw
		}
		if _, err := tc.ObjectToTyped(&u); err != nil {
			return decoded{}, fmt.Errorf("%s: schema: %w", path, err)
		}
	}
	return decoded{kind: head.Kind, obj: want.obj}, nil
}

// folderObjects validates every YAML file of a result and groups the objects by folder.
func folderObjects(t *testing.T, r *Result) map[string][]decoded {
	t.Helper()
	out := map[string][]decoded{}
	for _, f := range r.Files {
		if !strings.HasSuffix(f.Path, ".yaml") {
			continue
		}
		d, err := validate(f.Path, f.Data)
		if err != nil {
			t.Error(err)
			continue
		}
		folder := f.Path[:strings.LastIndex(f.Path, "/")]
		out[folder] = append(out[folder], d)
	}
	return out
}

// checkMeasured holds what issue 16 measures over one estate's manifests: scalers carry the
// group's sizes and targets, readiness probes the health check's path and port, ports come
// from the estate and are not repeated, and shapes that are not long-running services get
// no Deployment. It returns counts for the log.
func checkMeasured(t *testing.T, e *inventory.Estate, r *Result) (scalers, probes int) {
	t.Helper()
	objs := folderObjects(t, r)
	for _, out := range r.Workloads {
		g := e.Group(out.Workload)
		if g == nil {
			t.Errorf("%s: no such group", out.Workload)
			continue
		}
		list := objs[out.Folder]
		if out.Folder == "" {
			continue
		}
		var pod *corev1.PodSpec
		controllers := 0
		for _, d := range list {
			switch o := d.obj.(type) {
			case *appsv1.Deployment:
				pod, controllers = &o.Spec.Template.Spec, controllers+1
			case *appsv1.StatefulSet:
				pod, controllers = &o.Spec.Template.Spec, controllers+1
			case *batchv1.Job:
				controllers++
			case *batchv1.CronJob:
				controllers++
			}
		}
		if controllers != 1 {
			t.Errorf("%s: %d workload controllers, want 1", out.Folder, controllers)
		}
		if batchShape(out) && pod != nil {
			t.Errorf("%s: shape %q, but a Deployment or StatefulSet was written", out.Folder, out.Shape)
		}
		scalers += checkScaler(t, g, out, list)
		if pod != nil {
			probes += checkProbe(t, e, g, out, pod)
			checkPorts(t, e, g, out, pod, list)
		}
	}
	return scalers, probes
}

func batchShape(o Outcome) bool {
	return strings.HasPrefix(o.Shape, kindJob) || strings.HasPrefix(o.Shape, kindCronJob)
}

func targetTracking(g *inventory.AutoScalingGroup) []inventory.ScalingPolicy {
	var out []inventory.ScalingPolicy
	for _, p := range g.ScalingPolicies {
		if p.Type == "TargetTrackingScaling" && p.Enabled && p.Metric != "" && p.TargetValue != nil {
			out = append(out, p)
		}
	}
	return out
}

func checkScaler(t *testing.T, g *inventory.AutoScalingGroup, out Outcome, list []decoded) int {
	t.Helper()
	n := 0
	for _, d := range list {
		switch o := d.obj.(type) {
		case *autoscalingv2.HorizontalPodAutoscaler:
			n++
			if o.Spec.MinReplicas == nil || int(*o.Spec.MinReplicas) != g.MinSize || int(o.Spec.MaxReplicas) != g.MaxSize {
				t.Errorf("%s: HPA min/max %v/%d, group %d/%d", out.Folder, o.Spec.MinReplicas, o.Spec.MaxReplicas, g.MinSize, g.MaxSize)
			}
			for _, p := range targetTracking(g) {
				found := false
				for _, m := range o.Spec.Metrics {
					if m.Resource != nil && m.Resource.Target.AverageUtilization != nil && float64(*m.Resource.Target.AverageUtilization) == *p.TargetValue {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: HPA has no metric with the target %v of policy %s", out.Folder, *p.TargetValue, p.Name)
				}
			}
		case *scaledObject:
			n++
			if o.Spec.MinReplicaCount == nil || o.Spec.MaxReplicaCount == nil || int(*o.Spec.MinReplicaCount) != g.MinSize || int(*o.Spec.MaxReplicaCount) != g.MaxSize {
				t.Errorf("%s: ScaledObject min/max differ from the group's %d/%d", out.Folder, g.MinSize, g.MaxSize)
			}
			for _, p := range targetTracking(g) {
				want := strconv.FormatFloat(*p.TargetValue, 'f', -1, 64)
				found := false
				for _, tr := range o.Spec.Triggers {
					if tr.Metadata["value"] == want || tr.Metadata["targetMetricValue"] == want {
						found = true
					}
				}
				if !found && (p.Metric == metricCPU || p.Metric == "ALBRequestCountPerTarget" || strings.Contains(p.Metric, "/")) {
					t.Errorf("%s: ScaledObject has no trigger with the target %s of policy %s", out.Folder, want, p.Name)
				}
			}
		}
	}
	if n == 0 && len(targetTracking(g)) > 0 && strings.Contains(out.Shape, kindDeployment) && g.Known("MinSize") && g.Known("MaxSize") {
		t.Errorf("%s: the group tracks a target but no scaler was written", out.Folder)
	}
	return n
}

func checkProbe(t *testing.T, e *inventory.Estate, g *inventory.AutoScalingGroup, out Outcome, pod *corev1.PodSpec) int {
	t.Helper()
	type check struct {
		path string
		port int
	}
	var http []check
	for _, arn := range g.TargetGroupARNs {
		for _, tg := range e.TargetGroups {
			hc := tg.HealthCheck
			if tg.ARN != arn || !hc.Enabled || !httpProto(hc.Protocol) || hc.Path == "" {
				continue
			}
			port := tg.Port
			if hc.Port != "traffic-port" {
				port, _ = strconv.Atoi(hc.Port)
			}
			if port > 0 {
				http = append(http, check{hc.Path, port})
			}
		}
	}
	if len(http) == 0 {
		return 0
	}
	rp := pod.Containers[0].ReadinessProbe
	if rp == nil || rp.HTTPGet == nil {
		t.Errorf("%s: behind an HTTP target group, but no httpGet readinessProbe", out.Folder)
		return 0
	}
	for _, c := range http {
		if rp.HTTPGet.Path == c.path && rp.HTTPGet.Port.IntValue() == c.port {
			return 1
		}
	}
	t.Errorf("%s: readinessProbe %s on %s is none of the health checks %v", out.Folder, rp.HTTPGet.Path, rp.HTTPGet.Port.String(), http)
	return 0
}

// checkPorts: every container port is a target group's port, its health check's or a
// classic listener's instance port; every Service port a listener's or a target group's;
// none repeated.
func checkPorts(t *testing.T, e *inventory.Estate, g *inventory.AutoScalingGroup, out Outcome, pod *corev1.PodSpec, list []decoded) {
	t.Helper()
	instance, front := map[int]bool{}, map[int]bool{}
	for _, arn := range g.TargetGroupARNs {
		for _, tg := range e.TargetGroups {
			if tg.ARN != arn {
				continue
			}
			instance[tg.Port], front[tg.Port] = true, true
			if n, err := strconv.Atoi(tg.HealthCheck.Port); err == nil {
				instance[n] = true
			}
			for _, lb := range e.LoadBalancers {
				for _, l := range lb.Listeners {
					front[l.Port] = true
				}
			}
		}
	}
	for _, name := range g.LoadBalancerNames {
		for _, lb := range e.ClassicLoadBalancers {
			if lb.Name == name && lb.Account == g.Account && lb.Region == g.Region {
				for _, l := range lb.Listeners {
					instance[l.InstancePort], front[l.Port] = true, true
				}
			}
		}
	}
	seen := map[int32]bool{}
	for _, p := range pod.Containers[0].Ports {
		if !instance[int(p.ContainerPort)] {
			t.Errorf("%s: container port %d is not a port of the estate", out.Folder, p.ContainerPort)
		}
		if seen[p.ContainerPort] {
			t.Errorf("%s: container port %d repeated", out.Folder, p.ContainerPort)
		}
		seen[p.ContainerPort] = true
	}
	for _, d := range list {
		s, ok := d.obj.(*corev1.Service)
		if !ok {
			continue
		}
		seen := map[int32]bool{}
		for _, p := range s.Spec.Ports {
			if !front[int(p.Port)] {
				t.Errorf("%s: Service port %d is not a listener's or target group's", out.Folder, p.Port)
			}
			if seen[p.Port] {
				t.Errorf("%s: Service %s repeats port %d", out.Folder, s.Name, p.Port)
			}
			seen[p.Port] = true
		}
	}
}
