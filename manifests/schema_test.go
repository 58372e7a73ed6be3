package manifests

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	sigsyaml "sigs.k8s.io/yaml"
)

// TestSchemaRejects holds the schema check on its own, without the strict decoding that
// validate does first: each mutation of a valid object fails with the path of the field,
// as the API server would refuse it. The duplicate keys pass strict decoding into the Go
// types; only the schema's list keys catch them.
func TestSchemaRejects(t *testing.T) {
	const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: registry.example/web:1
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet: {path: /health, port: 8080}
`
	const service = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
    protocol: TCP
`
	const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
`
	const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
`
	const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data:
  LOG_LEVEL: info
`
	const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs:
  - name: shared
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
    backendRefs:
    - name: web
      port: 80
`
	deploy := kubeType("io.k8s.api.apps.v1.Deployment")
	for _, tc := range []struct {
		name     string
		typ      *schemaType
		doc      string
		old, new string
		path     string // in the error
	}{
		{"undeclared field", deploy, deployment, "  replicas: 2", "  replicaz: 2", ".spec.replicaz"},
		{"string for an integer", deploy, deployment, "replicas: 2", `replicas: "two"`, ".spec.replicas"},
		{"object for a string", deploy, deployment, "image: registry.example/web:1", "image: {name: web}", ".image"},
		{"container port by name", deploy, deployment, "containerPort: 8080", "containerPort: http", ".containerPort"},
		{"undeclared probe field", deploy, deployment, "httpGet: {path: /health, port: 8080}", "httpGet: {path: /health, port: 8080, scheme: HTTP, host_header: x}", ".host_header"},
		{"duplicate container name", deploy, deployment, "      containers:\n", "      containers:\n      - {name: app, image: x}\n", ".spec.template.spec.containers"},
		{"duplicate port and protocol", kubeType("io.k8s.api.core.v1.Service"), service, "    protocol: TCP\n", "    protocol: TCP\n  - {name: other, port: 80, protocol: TCP}\n", ".spec.ports"},
		{"percentage for a utilisation", kubeType("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"), hpa, "averageUtilization: 60", `averageUtilization: "60%"`, ".averageUtilization"},
		{"service port as a list", kubeType("io.k8s.api.networking.v1.Ingress"), ingress, "port: {number: 80}", "port: [80]", ".port"},
		{"structured config value", kubeType("io.k8s.api.core.v1.ConfigMap"), configMap, "LOG_LEVEL: info", "LOG_LEVEL: {level: info}", ".data.LOG_LEVEL"},
		{"gateway field misspelt", gatewayType("io.k8s.sigs.gateway-api.apis.v1.HTTPRoute"), route, "parentRefs:", "parentRef:", ".spec.parentRef"},
		{"gateway port as a list", gatewayType("io.k8s.sigs.gateway-api.apis.v1.HTTPRoute"), route, "port: 80", "port: [80]", ".port"},
		{"gateway match undeclared", gatewayType("io.k8s.sigs.gateway-api.apis.v1.HTTPRoute"), route, "value: /api}", "value: /api, caseSensitive: true}", ".caseSensitive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.typ.check(fromYAML(t, tc.doc)); err != nil {
				t.Fatalf("the valid object is rejected: %v", err)
			}
			bad := strings.Replace(tc.doc, tc.old, tc.new, 1)
			if bad == tc.doc {
				t.Fatalf("%q is not in the document", tc.old)
			}
			err := tc.typ.check(fromYAML(t, bad))
			if err == nil {
				t.Fatalf("accepted:\n%s", bad)
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("the error does not name %s: %v", tc.path, err)
			}
			t.Log(err)
		})
	}
}

func fromYAML(t *testing.T, doc string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := sigsyaml.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestSchemaVersions: the schema files were cut from the versions of the types this
// package builds, so that a bump of k8s.io/api or the Gateway API in go.mod without a
// `go generate` fails here rather than validating against an older API. client-go is
// released with k8s.io/api under the same version.
func TestSchemaVersions(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	required := map[string]string{}
	for _, r := range mod.Require {
		required[r.Mod.Path] = r.Mod.Version
	}
	for _, tc := range []struct{ file, from, module string }{
		{kubeSchemaFile, "k8s.io/api", "k8s.io/client-go"},
		{gatewaySchemaFile, "sigs.k8s.io/gateway-api", "sigs.k8s.io/gateway-api"},
	} {
		want := tc.module + "@" + required[tc.from]
		if required[tc.from] == "" {
			t.Errorf("go.mod does not require %s", tc.from)
			continue
		}
		if got := schemaModule(t, tc.file); got != want {
			t.Errorf("%s was cut from %s, go.mod wants %s: run go generate ./manifests", tc.file, got, want)
		}
	}
}

// schemaModule reads the `# module: path@version sum` line gen.go writes in the header.
func schemaModule(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "# module: "); ok {
			return strings.Fields(rest)[0]
		}
	}
	t.Fatalf("%s: no module line", path)
	return ""
}
