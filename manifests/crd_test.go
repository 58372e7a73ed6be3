package manifests

import (
	"strings"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"whyk8s/inventory"
)

// TestCRDStructsReadPublishedShapes: the local KEDA, External Secrets and Kustomize structs
// strictly decode objects written the way those projects document them (the fields we
// write, with their published names), and reject a misspelt field. A struct whose JSON name
// drifted from the published schema fails here.
func TestCRDStructsReadPublishedShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		into any
	}{
		{"ScaledObject with cron and cloudwatch triggers", `
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: orders
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: orders
  minReplicaCount: 0
  maxReplicaCount: 12
  triggers:
    - type: cron
      metadata:
        timezone: Europe/Paris
        start: 0 8 * * 1-5
        end: 0 18 * * 1-5
        desiredReplicas: "3"
    - type: aws-cloudwatch
      metadata:
        namespace: Shop/Orders
        metricName: Backlog
        targetMetricValue: "50"
        awsRegion: eu-west-3
    - type: cpu
      metricType: Utilization
      metadata:
        value: "60"
`, &scaledObject{}},
		{"ExternalSecret", `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: orders-secrets
spec:
  secretStoreRef:
    name: aws-secrets-manager
    kind: ClusterSecretStore
  target:
    name: orders-secrets
  data:
    - secretKey: DB_PASSWORD
      remoteRef:
        key: prod/orders/db
`, &externalSecret{}},
		{"Kustomization", `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: orders
    newName: 123456789012.dkr.ecr.eu-west-3.amazonaws.com/orders
    newTag: "1.4.2"
`, &kustomization{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := sigsyaml.UnmarshalStrict([]byte(tc.doc), tc.into); err != nil {
				t.Errorf("published shape rejected: %v", err)
			}
			bad := strings.Replace(tc.doc, "name:", "nmae:", 1)
			if err := sigsyaml.UnmarshalStrict([]byte(bad), tc.into); err == nil {
				t.Error("a misspelt field was accepted")
			}
		})
	}
}

// TestValidateRejects: the validation the tests rely on fails on what the API server would
// refuse or silently drop.
func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		{"unknown field", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicaz: 2\n  selector: {}\n  template: {}\n"},
		{"duplicate field", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  type: ClusterIP\n  type: LoadBalancer\n"},
		{"wrong apiVersion", "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n"},
		{"gateway field misspelt", "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec:\n  parentRef: []\n"},
		{"wrong type in a gateway route", "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: x}\nspec:\n  rules:\n  - backendRefs:\n    - {name: web, port: [80]}\n"},
		// Strict decoding into the Go types lets this through; the schema's list keys do not.
		{"two containers of one name", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {}\n  template:\n    spec:\n      containers:\n      - {name: app, image: a}\n      - {name: app, image: b}\n"},
		{"two Service ports on one port", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n  - {name: a, port: 80, protocol: TCP}\n  - {name: b, port: 80, protocol: TCP}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := validate(tc.name, []byte(tc.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			t.Log(err)
		})
	}
}

func TestDNSLabel(t *testing.T) {
	for in, want := range map[string]string{
		"prod-tracking-api":     "prod-tracking-api",
		"ASG_Web.Prod":          "asg-web-prod",
		"123-legacy":            "w-123-legacy",
		"example…":              "example",
		"--x--":                 "x",
		strings.Repeat("a", 80): strings.Repeat("a", 50),
	} {
		if got := dnsLabel(in); got != want {
			t.Errorf("dnsLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithin200to399(t *testing.T) {
	for m, want := range map[string]bool{"200": true, "200-399": true, "200,302": true, "200-499": false, "404": false, "": false} {
		if got := within200to399(m); got != want {
			t.Errorf("within200to399(%q) = %v, want %v", m, got, want)
		}
	}
}

// TestCommentsFollowTheirField: a comment set for a path lands on that field whatever the
// key order, and on a list item's dash when it names the item's first field.
func TestCommentsFollowTheirField(t *testing.T) {
	o := &object{File: "x.yaml", Obj: map[string]any{"spec": map[string]any{"b": 1, "a": 2, "list": []any{map[string]any{"k": "v", "z": 1}}}}}
	o.from("spec.b", "", "b's", inventoryEv("b.tf", 3))
	o.fill("spec.list[0].k", "first key")
	o.fill("spec.list[0].z", "second key")
	data, err := render(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `spec:
  a: 2
  # from: b.tf:3
  # b's
  b: 1
  list:
    # FILL IN: first key
    - k: v
      # FILL IN: second key
      z: 1
`
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	if _, err := render(&object{File: "y.yaml", Obj: map[string]any{"a": 1}, Notes: []note{{Path: "b", Text: "x"}}}); err == nil {
		t.Error("a comment for a field that is not there was accepted")
	}
}

func inventoryEv(file string, line int) inventory.Evidence {
	return inventory.Evidence{File: file, Line: line}
}
