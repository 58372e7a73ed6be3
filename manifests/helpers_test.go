package manifests

import (
	"context"
	"fmt"
	"os"
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
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/structured-merge-diff/v6/typed"
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

// The schemas are the structural schemas of Kubernetes 1.37 (as client-go v0.37 embeds them
// for server-side apply) and of the Gateway API v1.6 types, cut to the types the generated
// kinds reach: a field the schema does not declare, or a value of the wrong type, fails
// there as it would at the API server. They are kept as data in testdata/schema, written
// by gen.go there, so that the test build does not compile client-go's apply
// configurations (minutes on a cold cache).
//
//go:generate go run testdata/schema/gen.go

const (
	kubeSchemaFile    = "testdata/schema/kubernetes.yaml"
	gatewaySchemaFile = "testdata/schema/gateway-api.yaml"
)

var (
	kubeSchema    = sync.OnceValues(func() (*typed.Parser, error) { return parseSchema(kubeSchemaFile) })
	gatewaySchema = sync.OnceValues(func() (*typed.Parser, error) { return parseSchema(gatewaySchemaFile) })
)

func parseSchema(path string) (*typed.Parser, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := typed.NewParser(typed.YAMLObject(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// schemaType names a kind's type in one of the schemas.
type schemaType struct {
	schema func() (*typed.Parser, error)
	name   string
}

func kubeType(name string) *schemaType    { return &schemaType{kubeSchema, name} }
func gatewayType(name string) *schemaType { return &schemaType{gatewaySchema, name} }

// check validates an object, as decoded from YAML, against the type.
func (st *schemaType) check(obj map[string]any) error {
	p, err := st.schema()
	if err != nil {
		return err
	}
	// A name the schema lacks would fail below too, but with a message about resolving
	// a reference; say plainly that the schema file is short of a kind.
	if _, ok := p.Schema.FindNamedType(st.name); !ok {
		return fmt.Errorf("no type %s in the schema: add it to the roots in testdata/schema/gen.go and run go generate", st.name)
	}
	_, err = p.Type(st.name).FromUnstructured(obj)
	return err
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
		schema     *schemaType // nil for CRDs and kustomize: strict decoding only
	}{
		"Deployment":              {"apps/v1", &appsv1.Deployment{}, kubeType("io.k8s.api.apps.v1.Deployment")},
		"StatefulSet":             {"apps/v1", &appsv1.StatefulSet{}, kubeType("io.k8s.api.apps.v1.StatefulSet")},
		"Job":                     {"batch/v1", &batchv1.Job{}, kubeType("io.k8s.api.batch.v1.Job")},
		"CronJob":                 {"batch/v1", &batchv1.CronJob{}, kubeType("io.k8s.api.batch.v1.CronJob")},
		"Service":                 {"v1", &corev1.Service{}, kubeType("io.k8s.api.core.v1.Service")},
		"ServiceAccount":          {"v1", &corev1.ServiceAccount{}, kubeType("io.k8s.api.core.v1.ServiceAccount")},
		"ConfigMap":               {"v1", &corev1.ConfigMap{}, kubeType("io.k8s.api.core.v1.ConfigMap")},
		"PodDisruptionBudget":     {"policy/v1", &policyv1.PodDisruptionBudget{}, kubeType("io.k8s.api.policy.v1.PodDisruptionBudget")},
		"HorizontalPodAutoscaler": {"autoscaling/v2", &autoscalingv2.HorizontalPodAutoscaler{}, kubeType("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler")},
		"Ingress":                 {"networking.k8s.io/v1", &networkingv1.Ingress{}, kubeType("io.k8s.api.networking.v1.Ingress")},
		"HTTPRoute":               {"gateway.networking.k8s.io/v1", &gatewayv1.HTTPRoute{}, gatewayType("io.k8s.sigs.gateway-api.apis.v1.HTTPRoute")},
		"ScaledObject":            {"keda.sh/v1alpha1", &scaledObject{}, nil},
		"ExternalSecret":          {"external-secrets.io/v1", &externalSecret{}, nil},
		"Kustomization":           {"kustomize.config.k8s.io/v1beta1", &kustomization{}, nil},
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
	if want.schema != nil {
		var obj map[string]any
		if err := sigsyaml.Unmarshal(data, &obj); err != nil {
			return decoded{}, fmt.Errorf("%s: %w", path, err)
		}
		if err := want.schema.check(obj); err != nil {
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
