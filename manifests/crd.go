package manifests

// The KEDA, External Secrets and Kustomize objects are small local structs that mirror the
// fields of their published schemas we write (keda.sh/v1alpha1 ScaledObject,
// external-secrets.io/v1 ExternalSecret, kustomize.config.k8s.io/v1beta1 Kustomization),
// with the JSON names those schemas use. Their Go modules would each bring a controller's
// dependency tree (controller-runtime, cloud SDKs, kyaml) into a tool that only writes a few
// fields of each; the strict-decoding tests hold these structs to the published field names.

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// scaledObject is a KEDA ScaledObject (keda.sh/v1alpha1).
type scaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              scaledObjectSpec `json:"spec"`
}

type scaledObjectSpec struct {
	ScaleTargetRef  scaleTarget `json:"scaleTargetRef"`
	MinReplicaCount *int32      `json:"minReplicaCount,omitempty"`
	MaxReplicaCount *int32      `json:"maxReplicaCount,omitempty"`
	Triggers        []trigger   `json:"triggers"`
}

type scaleTarget struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name"`
}

// trigger is one KEDA scaler. Metadata values are strings in KEDA's schema, numbers
// included.
type trigger struct {
	Type       string            `json:"type"`
	Name       string            `json:"name,omitempty"`
	MetricType string            `json:"metricType,omitempty"`
	Metadata   map[string]string `json:"metadata"`
}

// externalSecret is an External Secrets Operator ExternalSecret (external-secrets.io/v1).
type externalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              externalSecretSpec `json:"spec"`
}

type externalSecretSpec struct {
	SecretStoreRef secretStoreRef       `json:"secretStoreRef"`
	Target         externalSecretTarget `json:"target"`
	Data           []externalSecretData `json:"data"`
}

type secretStoreRef struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

type externalSecretTarget struct {
	Name string `json:"name,omitempty"`
}

type externalSecretData struct {
	SecretKey string    `json:"secretKey"`
	RemoteRef remoteRef `json:"remoteRef"`
}

type remoteRef struct {
	Key string `json:"key"`
}

// kustomization is a kustomize Kustomization (kustomize.config.k8s.io/v1beta1).
type kustomization struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Resources  []string         `json:"resources"`
	Images     []kustomizeImage `json:"images,omitempty"`
}

type kustomizeImage struct {
	Name    string `json:"name"`
	NewName string `json:"newName,omitempty"`
	NewTag  string `json:"newTag,omitempty"`
}
