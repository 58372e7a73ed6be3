package deploy_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the CronJob's timeZone must resolve on any test machine

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
)

// The manifests are checked against typed structs of the Kubernetes fields they use,
// decoded with KnownFields: a misspelt key (securityContex, claimname) fails here instead of
// being dropped silently by the API server's pruning — or rejected only at apply time.

type objectMeta struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type typeMeta struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
}

type serviceAccount struct {
	typeMeta                     `yaml:",inline"`
	AutomountServiceAccountToken *bool `yaml:"automountServiceAccountToken"`
}

type configMap struct {
	typeMeta `yaml:",inline"`
	Data     map[string]string `yaml:"data"`
}

type persistentVolumeClaim struct {
	typeMeta `yaml:",inline"`
	Spec     struct {
		AccessModes      []string             `yaml:"accessModes"`
		StorageClassName *string              `yaml:"storageClassName"`
		Resources        resourceRequirements `yaml:"resources"`
	} `yaml:"spec"`
}

type resourceRequirements struct {
	Requests map[string]string `yaml:"requests"`
	Limits   map[string]string `yaml:"limits"`
}

type cronJob struct {
	typeMeta `yaml:",inline"`
	Spec     struct {
		Schedule                   string `yaml:"schedule"`
		TimeZone                   string `yaml:"timeZone"`
		ConcurrencyPolicy          string `yaml:"concurrencyPolicy"`
		StartingDeadlineSeconds    *int   `yaml:"startingDeadlineSeconds"`
		SuccessfulJobsHistoryLimit *int   `yaml:"successfulJobsHistoryLimit"`
		FailedJobsHistoryLimit     *int   `yaml:"failedJobsHistoryLimit"`
		Suspend                    *bool  `yaml:"suspend"`
		JobTemplate                struct {
			Metadata objectMeta `yaml:"metadata"`
			Spec     jobSpec    `yaml:"spec"`
		} `yaml:"jobTemplate"`
	} `yaml:"spec"`
}

type jobSpec struct {
	ActiveDeadlineSeconds   *int `yaml:"activeDeadlineSeconds"`
	TTLSecondsAfterFinished *int `yaml:"ttlSecondsAfterFinished"`
	BackoffLimit            *int `yaml:"backoffLimit"`
	PodFailurePolicy        *struct {
		Rules []struct {
			Action      string `yaml:"action"`
			OnExitCodes *struct {
				ContainerName string `yaml:"containerName"`
				Operator      string `yaml:"operator"`
				Values        []int  `yaml:"values"`
			} `yaml:"onExitCodes"`
		} `yaml:"rules"`
	} `yaml:"podFailurePolicy"`
	Template struct {
		Metadata objectMeta `yaml:"metadata"`
		Spec     podSpec    `yaml:"spec"`
	} `yaml:"template"`
}

type podSpec struct {
	ServiceAccountName           string `yaml:"serviceAccountName"`
	AutomountServiceAccountToken *bool  `yaml:"automountServiceAccountToken"`
	RestartPolicy                string `yaml:"restartPolicy"`
	SecurityContext              struct {
		RunAsNonRoot   *bool  `yaml:"runAsNonRoot"`
		RunAsUser      *int64 `yaml:"runAsUser"`
		RunAsGroup     *int64 `yaml:"runAsGroup"`
		FSGroup        *int64 `yaml:"fsGroup"`
		SeccompProfile *struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []volume    `yaml:"volumes"`
}

type container struct {
	Name            string   `yaml:"name"`
	Image           string   `yaml:"image"`
	ImagePullPolicy string   `yaml:"imagePullPolicy"`
	Command         []string `yaml:"command"`
	Args            []string `yaml:"args"`
	Env             []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Resources       resourceRequirements `yaml:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
		RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
		Capabilities             struct {
			Add  []string `yaml:"add"`
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
		SubPath   string `yaml:"subPath"`
	} `yaml:"volumeMounts"`
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name string `yaml:"name"`
	} `yaml:"configMap"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"persistentVolumeClaim"`
	EmptyDir *struct {
		Medium    string `yaml:"medium"`
		SizeLimit string `yaml:"sizeLimit"`
	} `yaml:"emptyDir"`
}

// apiVersions are the kinds this folder may hold and their stable API group versions.
var apiVersions = map[string]string{
	"ServiceAccount":        "v1",
	"ConfigMap":             "v1",
	"PersistentVolumeClaim": "v1",
	"CronJob":               "batch/v1",
}

// manifests is every object of deploy/kubernetes, by kind and name.
type manifests struct {
	serviceAccounts map[string]serviceAccount
	configMaps      map[string]configMap
	claims          map[string]persistentVolumeClaim
	cronJobs        map[string]cronJob
}

func loadManifests(t *testing.T) manifests {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("kubernetes", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/kubernetes: %v", err)
	}
	m := manifests{map[string]serviceAccount{}, map[string]configMap{}, map[string]persistentVolumeClaim{}, map[string]cronJob{}}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// First pass: what each document is. Second pass: decode each strictly into its
		// kind's struct, with the same decoder over the whole file so errors carry the
		// file's own line numbers.
		var heads []typeMeta
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for doc := 1; ; doc++ {
			var node yaml.Node
			err := dec.Decode(&node)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: document %d: %v", file, doc, err)
			}
			var head typeMeta
			if err := node.Decode(&head); err != nil {
				t.Fatalf("%s:%d: %v", file, node.Line, err)
			}
			heads = append(heads, head)
		}
		strict := yaml.NewDecoder(bytes.NewReader(data))
		strict.KnownFields(true)
		for i, head := range heads {
			where := fmt.Sprintf("%s document %d (%s %s)", file, i+1, head.Kind, head.Metadata.Name)
			if head.APIVersion == "" || head.Kind == "" || head.Metadata.Name == "" {
				t.Errorf("%s: want apiVersion, kind and metadata.name; got %q %q %q", where, head.APIVersion, head.Kind, head.Metadata.Name)
			}
			want, known := apiVersions[head.Kind]
			if !known {
				t.Errorf("%s: kind %q has no schema in this test; add one", where, head.Kind)
			} else if head.APIVersion != want {
				t.Errorf("%s: apiVersion %s; want %s", where, head.APIVersion, want)
			}
			switch head.Kind {
			case "ServiceAccount":
				m.serviceAccounts[head.Metadata.Name] = strictDecode[serviceAccount](t, where, strict)
			case "ConfigMap":
				m.configMaps[head.Metadata.Name] = strictDecode[configMap](t, where, strict)
			case "PersistentVolumeClaim":
				m.claims[head.Metadata.Name] = strictDecode[persistentVolumeClaim](t, where, strict)
			case "CronJob":
				m.cronJobs[head.Metadata.Name] = strictDecode[cronJob](t, where, strict)
			default:
				var skip yaml.Node
				_ = strict.Decode(&skip)
			}
		}
	}
	return m
}

// strictDecode decodes the decoder's next document into T, refusing fields T does not know.
func strictDecode[T any](t *testing.T, where string, dec *yaml.Decoder) T {
	t.Helper()
	var v T
	if err := dec.Decode(&v); err != nil {
		t.Errorf("%s: %v", where, err)
	}
	return v
}

func TestManifestsParse(t *testing.T) {
	m := loadManifests(t)
	if len(m.cronJobs) != 1 || len(m.serviceAccounts) != 1 || len(m.configMaps) != 1 || len(m.claims) != 2 {
		t.Errorf("deploy/kubernetes holds %d CronJob, %d ServiceAccount, %d ConfigMap, %d PersistentVolumeClaim; want 1, 1, 1, 2",
			len(m.cronJobs), len(m.serviceAccounts), len(m.configMaps), len(m.claims))
	}
	for name, pvc := range m.claims {
		if len(pvc.Spec.AccessModes) == 0 || pvc.Spec.Resources.Requests["storage"] == "" {
			t.Errorf("PersistentVolumeClaim %s: want accessModes and a storage request", name)
		}
	}
	for name, cm := range m.configMaps {
		for key, value := range cm.Data {
			if strings.HasSuffix(key, ".yaml") {
				var doc map[string]any
				if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
					t.Errorf("ConfigMap %s key %s is not valid YAML: %v", name, key, err)
				}
			}
		}
	}
}

func TestCronJobSchedule(t *testing.T) {
	for name, cj := range loadManifests(t).cronJobs {
		s := cj.Spec.Schedule
		// The same parser and options the Kubernetes API server validates schedules with.
		sched, err := cron.ParseStandard(s)
		if err != nil {
			t.Errorf("CronJob %s: schedule %q: %v", name, s, err)
			continue
		}
		if len(strings.Fields(s)) != 5 || strings.Contains(s, "TZ") {
			t.Errorf("CronJob %s: schedule %q: want five fields, time zone in spec.timeZone", name, s)
		}
		loc := time.UTC
		if cj.Spec.TimeZone != "" {
			if loc, err = time.LoadLocation(cj.Spec.TimeZone); err != nil {
				t.Errorf("CronJob %s: timeZone %q: %v", name, cj.Spec.TimeZone, err)
				continue
			}
		}
		// Monthly: a year of runs, each 28 to 31 days after the one before.
		at := sched.Next(time.Date(2025, 1, 15, 0, 0, 0, 0, loc))
		for range 12 {
			next := sched.Next(at)
			if gap := next.Sub(at); gap < 28*24*time.Hour || gap > 31*24*time.Hour+time.Hour {
				t.Errorf("CronJob %s: schedule %q runs at %s then %s; want once a month", name, s, at, next)
				break
			}
			at = next
		}
		if cj.Spec.ConcurrencyPolicy != "Forbid" {
			t.Errorf("CronJob %s: concurrencyPolicy %q; want Forbid (two runs would race for the history)", name, cj.Spec.ConcurrencyPolicy)
		}
	}
}

// TestCronJobPod checks that the pod can start and do its work: every reference resolves,
// and it runs unprivileged with its writes going to volumes.
func TestCronJobPod(t *testing.T) {
	m := loadManifests(t)
	for name, cj := range m.cronJobs {
		job := cj.Spec.JobTemplate.Spec
		pod := job.Template.Spec
		if pod.RestartPolicy != "Never" {
			t.Errorf("CronJob %s: restartPolicy %q; want Never (required by podFailurePolicy; a restart in place would re-run a finished assessment)", name, pod.RestartPolicy)
		}
		// Exit 3 (regression) must not be retried: the retry would compare the run with itself.
		failsOn3 := false
		if job.PodFailurePolicy != nil {
			for _, r := range job.PodFailurePolicy.Rules {
				if r.Action == "FailJob" && r.OnExitCodes != nil && r.OnExitCodes.Operator == "In" && slices.Contains(r.OnExitCodes.Values, 3) {
					failsOn3 = true
				}
			}
		}
		if !failsOn3 && (job.BackoffLimit == nil || *job.BackoffLimit != 0) {
			t.Errorf("CronJob %s: exit code 3 would be retried; want backoffLimit 0 or a podFailurePolicy FailJob on 3", name)
		}

		sa, ok := m.serviceAccounts[pod.ServiceAccountName]
		if !ok {
			t.Errorf("CronJob %s: serviceAccountName %q is not defined in deploy/kubernetes", name, pod.ServiceAccountName)
		}
		if arn := sa.Metadata.Annotations["eks.amazonaws.com/role-arn"]; !regexp.MustCompile(`^arn:aws:iam::[^:]+:role/.+`).MatchString(arn) {
			t.Errorf("ServiceAccount %s: eks.amazonaws.com/role-arn annotation %q; want an IAM role ARN placeholder for IRSA", sa.Metadata.Name, arn)
		}
		if sc := pod.SecurityContext; sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 || sc.FSGroup == nil {
			t.Errorf("CronJob %s: pod securityContext must set runAsNonRoot, a non-zero runAsUser, and fsGroup (so the volumes are writable)", name)
		}

		volumes := map[string]volume{}
		for _, v := range pod.Volumes {
			volumes[v.Name] = v
			switch {
			case v.ConfigMap != nil:
				if _, ok := m.configMaps[v.ConfigMap.Name]; !ok {
					t.Errorf("CronJob %s: volume %s uses ConfigMap %q, not defined in deploy/kubernetes", name, v.Name, v.ConfigMap.Name)
				}
			case v.PersistentVolumeClaim != nil:
				if _, ok := m.claims[v.PersistentVolumeClaim.ClaimName]; !ok {
					t.Errorf("CronJob %s: volume %s uses claim %q, not defined in deploy/kubernetes", name, v.Name, v.PersistentVolumeClaim.ClaimName)
				}
			case v.EmptyDir != nil:
			default:
				t.Errorf("CronJob %s: volume %s has no source this test knows", name, v.Name)
			}
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("CronJob %s: %d containers; want 1", name, len(pod.Containers))
		}
		c := pod.Containers[0]
		sc := c.SecurityContext
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
			sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || !slices.Contains(sc.Capabilities.Drop, "ALL") {
			t.Errorf("container %s: securityContext must set readOnlyRootFilesystem, runAsNonRoot, allowPrivilegeEscalation: false and drop ALL capabilities", c.Name)
		}
		for _, r := range []string{"cpu", "memory"} {
			if c.Resources.Requests[r] == "" {
				t.Errorf("container %s: no %s request", c.Name, r)
			}
		}
		if c.Resources.Limits["memory"] == "" {
			t.Errorf("container %s: no memory limit", c.Name)
		}

		// Where each mounted path comes from, to check the paths whyk8s is told to use.
		mounts := map[string]volume{}
		for _, vm := range c.VolumeMounts {
			v, ok := volumes[vm.Name]
			if !ok {
				t.Errorf("container %s: volumeMount %s names no volume", c.Name, vm.Name)
				continue
			}
			mounts[vm.MountPath] = v
		}
		args := flagValues(c.Args)
		if len(c.Args) == 0 || c.Args[0] != "assess" {
			t.Errorf("container %s: args %q; want the assess command", c.Name, c.Args)
		}
		for _, flag := range []string{"--history", "--out"} {
			if v, ok := mounts[args[flag]]; !ok || v.PersistentVolumeClaim == nil {
				t.Errorf("container %s: %s %q is not a mounted PersistentVolumeClaim; its files would vanish with the pod", c.Name, flag, args[flag])
			}
		}
		if _, ok := args["--fail-on-regression"]; !ok {
			t.Errorf("container %s: no --fail-on-regression: a worse month would pass unnoticed", c.Name)
		}
		cfgDir, cfgKey := filepath.Split(args["--config"])
		v, ok := mounts[filepath.Clean(cfgDir)]
		if !ok || v.ConfigMap == nil {
			t.Errorf("container %s: --config %q is not in a mounted ConfigMap", c.Name, args["--config"])
		} else if _, ok := m.configMaps[v.ConfigMap.Name].Data[cfgKey]; !ok {
			t.Errorf("container %s: --config %q: ConfigMap %s has no key %s", c.Name, args["--config"], v.ConfigMap.Name, cfgKey)
		}
	}
}

// TestCronJobArgsAreAcceptedByWhyk8s runs the built binary's `config` command — which takes
// the flags of assess and prints the configuration in force — with the CronJob's arguments
// and the ConfigMap's whyk8s.yaml. It fails if a flag or a configuration key does not exist.
func TestCronJobArgsAreAcceptedByWhyk8s(t *testing.T) {
	bin := buildBinary(t)
	m := loadManifests(t)
	for name, cj := range m.cronJobs {
		c := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
		configFile := filepath.Join(t.TempDir(), "whyk8s.yaml")
		for _, cm := range m.configMaps {
			if data, ok := cm.Data["whyk8s.yaml"]; ok {
				if err := os.WriteFile(configFile, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		args := append([]string{"config"}, c.Args[1:]...)
		for i := range args {
			if i > 0 && args[i-1] == "--config" {
				args[i] = configFile
			}
		}
		out := runConfig(t, bin, args)
		for _, want := range []string{"dir: /var/lib/whyk8s/history", "fail_on_regression: true", "format: json", "enabled: true"} {
			if !strings.Contains(out, want) {
				t.Errorf("CronJob %s: configuration in force lacks %q:\n%s", name, want, out)
			}
		}
	}
}

func runConfig(t *testing.T, bin string, args []string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir() // no stray whyk8s.yaml picked up
	cmd.Env = []string{"HOME=" + cmd.Dir}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("whyk8s %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// flagValues maps each --flag to the argument after it (or "" for a flag followed by
// another flag or nothing).
func flagValues(args []string) map[string]string {
	m := map[string]string{}
	for i, a := range args {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		if name, value, ok := strings.Cut(a, "="); ok {
			m[name] = value
			continue
		}
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
			m[a] = args[i+1]
		} else {
			m[a] = ""
		}
	}
	return m
}
