package manifests

import (
	"strings"
	"testing"

	"whyk8s/assess"
)

// TestShape: what each kind of workload becomes. The role rows hold the table that issue 14's
// roles will feed; the rest are the stand-ins used until then.
func TestShape(t *testing.T) {
	web := shapeInput{Recommendation: assess.RecommendContainerise, LoadBalanced: true}
	with := func(in shapeInput, f func(*shapeInput)) shapeInput { f(&in); return in }
	for _, tc := range []struct {
		name       string
		in         shapeInput
		controller string
		scaler     string
		why        string
	}{
		{"web service, no scaling", web, kindDeployment, scaleNone, "long-running service"},
		{"web service on CPU", with(web, func(in *shapeInput) { in.TargetMetrics = []string{metricCPU} }), kindDeployment, scaleHPA, ""},
		{"web service on request count", with(web, func(in *shapeInput) { in.TargetMetrics = []string{"ALBRequestCountPerTarget"} }), kindDeployment, scaleKEDA, ""},
		{"CPU with a minimum of zero", with(web, func(in *shapeInput) { in.TargetMetrics = []string{metricCPU}; in.MinZero = true }), kindDeployment, scaleKEDA, ""},
		{"office hours", with(web, func(in *shapeInput) { in.Scheduled = true; in.ScheduledWindow = true; in.MinZero = true }), kindDeployment, scaleKEDA, ""},
		{"queue worker", shapeInput{Recommendation: assess.RecommendContainerise, TargetMetrics: []string{"Shop/Orders/Backlog"}}, kindDeployment, scaleKEDA, "worker"},
		{"process with no load balancer", shapeInput{Recommendation: assess.RecommendContainerise}, kindDeployment, scaleNone, "no load balancer"},
		{"kept volume", with(web, func(in *shapeInput) { in.PersistentState = "volume /dev/sdf is kept" }), kindStatefulSet, scaleNone, "outlive a pod"},
		{"started by something else", shapeInput{Recommendation: assess.RecommendAfterBlockers, ZeroAtRest: true, MinZero: true}, kindJob, scaleNone, "batch"},
		{"nightly window", shapeInput{Recommendation: assess.RecommendContainerise, ZeroAtRest: true, MinZero: true, Scheduled: true, ScheduledWindow: true}, kindCronJob, scaleNone, "schedule"},
		{"zero at rest behind a load balancer is a service", with(web, func(in *shapeInput) { in.ZeroAtRest, in.MinZero = true, true }), kindDeployment, scaleNone, ""},
		{"kept on ASG", shapeInput{Recommendation: assess.RecommendKeep, RecommendationText: "Windows"}, kindNone, scaleNone, "Windows"},
		{"insufficient data", shapeInput{Recommendation: assess.RecommendInsufficient, LoadBalanced: true}, kindNone, scaleNone, "too little"},
		{"a data store on its port", with(web, func(in *shapeInput) { in.DataStore = "postgresql on port 5432" }), kindNone, scaleNone, "data store"},
		{"SSH only", with(web, func(in *shapeInput) { in.SSHOnly = true }), kindNone, scaleNone, "SSH"},

		{"role web-service", with(web, func(in *shapeInput) { in.Role = "web-service" }), kindDeployment, scaleNone, ""},
		{"role worker", shapeInput{Role: "worker", Recommendation: assess.RecommendContainerise, TargetMetrics: []string{metricCPU}}, kindDeployment, scaleHPA, "worker"},
		{"role batch-job behind nothing", shapeInput{Role: "batch-job", Recommendation: assess.RecommendContainerise}, kindJob, scaleNone, ""},
		{"role batch-job on a schedule", shapeInput{Role: "batch-job", Recommendation: assess.RecommendContainerise, ScheduledWindow: true}, kindCronJob, scaleNone, ""},
		{"role gpu-ml", shapeInput{Role: "gpu-ml", Recommendation: assess.RecommendContainerise}, kindJob, scaleNone, ""},
		{"role database", with(web, func(in *shapeInput) { in.Role = "database" }), kindNone, scaleNone, "data store"},
		{"role cache", with(web, func(in *shapeInput) { in.Role = "cache" }), kindNone, scaleNone, "data store"},
		{"role search", with(web, func(in *shapeInput) { in.Role = "search" }), kindNone, scaleNone, "data store"},
		{"role message-broker", with(web, func(in *shapeInput) { in.Role = "message-broker" }), kindNone, scaleNone, "data store"},
		{"role orchestrator-node", with(web, func(in *shapeInput) { in.Role = "orchestrator-node" }), kindNone, scaleNone, "cluster replaces"},
		{"role bastion", with(web, func(in *shapeInput) { in.Role = "bastion" }), kindNone, scaleNone, "bastion"},
		{"role network-appliance", with(web, func(in *shapeInput) { in.Role = "network-appliance" }), kindNone, scaleNone, "appliance"},
		{"role ci-runner", with(web, func(in *shapeInput) { in.Role = "ci-runner" }), kindNone, scaleNone, "executor"},
		{"role windows-app", with(web, func(in *shapeInput) { in.Role = "windows-app" }), kindNone, scaleNone, "Windows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := shape(tc.in)
			if p.Controller != tc.controller || p.Scaler != tc.scaler {
				t.Errorf("shape = %q + %q, want %q + %q", p.Controller, p.Scaler, tc.controller, tc.scaler)
			}
			if !strings.Contains(p.Why, tc.why) {
				t.Errorf("why = %q, want it to say %q", p.Why, tc.why)
			}
			if p.Why == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestWindowSeconds: a scheduled window's length comes from its two recurrences.
func TestWindowSeconds(t *testing.T) {
	for _, tc := range []struct {
		start, end string
		want       int
	}{
		{"0 1 * * *", "30 5 * * *", 4*3600 + 30*60},
		{"0 22 * * *", "0 2 * * *", 4 * 3600}, // across midnight
		{"0 7 * * MON-FRI", "0 19 * * MON-FRI", 12 * 3600},
		{"not cron", "0 1 * * *", 0},
	} {
		if got := windowSeconds(tc.start, tc.end); got != tc.want {
			t.Errorf("windowSeconds(%q, %q) = %d, want %d", tc.start, tc.end, got, tc.want)
		}
	}
}
