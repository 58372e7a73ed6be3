package report

import (
	"fmt"
	"time"

	"whyk8s/assess"
	"whyk8s/inventory"
)

// This file builds the assessments the tests render. It lives in package report and
// exports its builders so that the black-box tests in report_test can use them too.

// SampleSecret is a value that must never reach any output. The sample puts it where a
// careless writer would print it: the excerpt of a secret finding's evidence.
const SampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func ip(n int) *int { return &n }

// Sample is a hand-built assessment of a small estate that exercises every part of the
// report: all six fit categories, a secret and an s3fs finding, AWS and script coverage
// gaps, readiness with answers, unanswered factors, hints and a contradiction, three
// waves, changes since the last run and a three-point trend. One workload has a
// non-ASCII name.
func Sample() *assess.Assessment {
	const (
		prod  = "111111111111"
		nonp  = "222222222222"
		euw1  = "eu-west-1"
		euc1  = "eu-central-1"
		tgARN = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/orders-api/6d0ecf831eec9f09"
	)
	id := inventory.WorkloadID
	ordersID := id(prod, euw1, "orders-api")
	ordersDevID := id(nonp, euw1, "orders-api-dev")
	mlID := id(nonp, euw1, "ml-training")
	checkoutID := id(nonp, euw1, "checkout-web-staging")
	zurichID := id(prod, euc1, "Zürich-Ölhafen")
	billingID := id(prod, euw1, "legacy-billing")
	searchID := id(prod, euw1, "search-indexer")

	dims := func(state, host, conf, build, elast, proc int, unknown ...string) []assess.Dimension {
		d := []assess.Dimension{
			{ID: "state", Name: "State", Weight: 25, Known: true, Score: state},
			{ID: "host-coupling", Name: "Host coupling", Weight: 20, Known: true, Score: host},
			{ID: "configuration", Name: "Configuration", Weight: 15, Known: true, Score: conf},
			{ID: "build-delivery", Name: "Build and delivery", Weight: 15, Known: true, Score: build},
			{ID: "elasticity-health", Name: "Elasticity and health", Weight: 15, Known: true, Score: elast},
			{ID: "process-model", Name: "Process model", Weight: 10, Known: true, Score: proc},
		}
		for _, u := range unknown {
			for i := range d {
				if d[i].ID == u {
					d[i].Known, d[i].Score = false, 0
				}
			}
		}
		return d
	}
	packer := func(path string, line int) assess.Signal {
		return assess.Signal{Rule: "FIT-PACKER-IMAGE", Title: "Baked immutable image (Packer)", Dimension: "build-delivery", Points: 8,
			Evidence: []inventory.Evidence{{File: path, Line: line, Excerpt: `ami_name = "orders-api-{{timestamp}}"`}}}
	}
	httpCheck := assess.Signal{Rule: "FIT-HTTP-HEALTHCHECK", Title: "HTTP health check", Dimension: "elasticity-health", Points: 5,
		Detail: "GET /health expecting 200", Evidence: []inventory.Evidence{{ARN: tgARN, Field: "HealthCheckPath", Value: "/health"}}}
	targetTracking := assess.Signal{Rule: "FIT-TARGET-TRACKING", Title: "Target-tracking scaling", Dimension: "elasticity-health", Points: 6,
		Detail: "ASGAverageCPUUtilization = 50", Evidence: []inventory.Evidence{{ARN: "arn:aws:autoscaling:eu-west-1:111111111111:scalingPolicy:0b1c:autoScalingGroupName/orders-api:policyName/cpu50", Field: "PolicyType", Value: "TargetTrackingScaling"}}}
	sticky := assess.Signal{Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions", Dimension: "state", Points: -10,
		Evidence: []inventory.Evidence{{ARN: tgARN, Field: "stickiness.enabled", Value: "true"}}}
	ssm := assess.Signal{Rule: "FIT-CONFIG-STORE", Title: "Configuration from SSM Parameter Store", Dimension: "configuration", Points: 5,
		Evidence: []inventory.Evidence{{File: "ansible/roles/orders/tasks/main.yml", Line: 31, Excerpt: "aws ssm get-parameters-by-path --path /orders/ | tee /etc/orders.env"}}}

	workloads := []assess.Workload{
		{
			ID: ordersID, Name: "orders-api", Account: prod, Region: euw1, Environment: "production",
			Fit:            assess.Fit{Score: 72, Category: assess.CategoryGood, Confidence: 90, Dimensions: dims(55, 90, 85, 100, 95, 70)},
			Recommendation: assess.Recommendation{Kind: assess.RecommendAfterBlockers, Text: "Containerise after moving session state out of the instances."},
			Effort:         "M", Wave: 2,
			Signals: []assess.Signal{packer("packer/orders.pkr.hcl", 12), httpCheck, targetTracking, ssm, sticky},
			Blockers: []assess.Blocker{{Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions", Effort: "M",
				Remediation: "Keep session state in a shared store (ElastiCache, DynamoDB) so any replica can serve any request; then turn stickiness off on the target group.",
				Evidence:    []inventory.Evidence{{ARN: tgARN, Field: "stickiness.enabled", Value: "true"}}}},
			Mapping: []assess.Mapping{
				{From: "Launch template lt-0a1b2c3d v7 (ami-0orders)", To: "Deployment with the image built by the same pipeline"},
				{From: "Target tracking on ASGAverageCPUUtilization = 50", To: "HorizontalPodAutoscaler (cpu 50%, min 3, max 12)"},
				{From: "ALB target group orders-api, health check /health", To: "Service + Ingress; readinessProbe GET /health", Note: "Stickiness has no equivalent until sessions move out."},
			},
			Scripts: []assess.LinkedScript{
				{Path: "packer/orders.pkr.hcl", Kind: inventory.ScriptPackerHCL, Reason: inventory.LinkManifestAMI, Detail: "manifest.json: eu-west-1:ami-0orders", Confidence: inventory.ConfidenceHigh},
				{Path: "ansible/roles/orders/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks, Reason: inventory.LinkReference, Detail: "via packer/orders.pkr.hcl", Confidence: inventory.ConfidenceHigh},
			},
			InstanceTypes: []string{"m6i.large", "m5.large"}, ImageID: "ami-0orders", Platform: "Linux/UNIX", LoadBalancers: []string{"orders-alb"},
		},
		{
			ID: ordersDevID, Name: "orders-api-dev", Account: nonp, Region: euw1, Environment: "dev",
			Fit:            assess.Fit{Score: 86, Category: assess.CategoryExcellent, Confidence: 95, Dimensions: dims(95, 90, 85, 100, 80, 70)},
			Recommendation: assess.Recommendation{Kind: assess.RecommendContainerise, Text: "Containerise on Kubernetes in the first wave."},
			Effort:         "S", Wave: 1,
			Signals:       []assess.Signal{packer("packer/orders.pkr.hcl", 12), ssm, {Rule: "FIT-SPOT", Title: "Spot or mixed instances", Dimension: "elasticity-health", Points: 4, Evidence: []inventory.Evidence{{ARN: "arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:9f:autoScalingGroupName/orders-api-dev", Field: "MixedInstancesPolicy.OnDemandPercentageAboveBaseCapacity", Value: "0"}}}},
			Mapping:       []assess.Mapping{{From: "Spot instances, capacity-optimized", To: "Spot node group; PodDisruptionBudget minAvailable 1"}},
			Scripts:       []assess.LinkedScript{{Path: "packer/orders.pkr.hcl", Kind: inventory.ScriptPackerHCL, Reason: inventory.LinkAMIName, Detail: "ami_name orders-api-{{timestamp}}", Confidence: inventory.ConfidenceMedium}},
			InstanceTypes: []string{"t3.medium"}, ImageID: "ami-0orders", Platform: "Linux/UNIX",
		},
		{
			ID: mlID, Name: "ml-training", Account: nonp, Region: euw1, Environment: "pre-production",
			Fit:            assess.Fit{Score: 68, Category: assess.CategoryGood, Confidence: 75, Dimensions: dims(60, 55, 70, 85, 80, 70, "process-model")},
			Recommendation: assess.Recommendation{Kind: assess.RecommendContainerise, Text: "Containerise; a natural pilot for batch and ML on Kubernetes."},
			Effort:         "M", Wave: 1,
			Signals: []assess.Signal{
				{Rule: "FIT-GPU-BATCH", Title: "GPU or ML batch workload", Dimension: "elasticity-health", Points: 6, Detail: "pytorch, nvidia-driver-535", Evidence: []inventory.Evidence{{File: "ansible/roles/ml/tasks/main.yml", Line: 8}, {File: "ansible/roles/ml/tasks/main.yml", Line: 19}}},
				{Rule: "FIT-DATA-VOLUME", Title: "Extra EBS data volume", Dimension: "state", Points: -6, Detail: "/dev/xvdf 500 GiB gp3", Evidence: []inventory.Evidence{{ARN: "launch-template lt-0ml v4", Field: "BlockDeviceMappings[1].Ebs.VolumeSize", Value: "500"}}},
			},
			Mapping:       []assess.Mapping{{From: "g5.xlarge instances with NVIDIA drivers", To: "GPU node pool with the NVIDIA device plugin; Job or Kubeflow TrainJob"}},
			Scripts:       []assess.LinkedScript{{Path: "ansible/roles/ml/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks, Reason: inventory.LinkTag, Detail: "tag app=ml-training", Confidence: inventory.ConfidenceMedium}},
			InstanceTypes: []string{"g5.xlarge"}, ImageID: "ami-0ml", Platform: "Linux/UNIX",
		},
		{
			ID: checkoutID, Name: "checkout-web-staging", Account: nonp, Region: euw1, Environment: "staging",
			Fit:            assess.Fit{Score: 58, Category: assess.CategoryMinorWork, Confidence: 80, Dimensions: dims(70, 40, 50, 60, 75, 60)},
			Recommendation: assess.Recommendation{Kind: assess.RecommendAfterBlockers, Text: "Containerise after replacing hard-coded addresses with DNS names."},
			Effort:         "S", Wave: 2,
			Signals: []assess.Signal{
				{Rule: "FIT-HARDCODED-IP", Title: "Hard-coded IP address", Dimension: "host-coupling", Points: -8, Detail: "10.20.4.17 (payments gateway)", Evidence: []inventory.Evidence{{File: "userdata:launch-template lt-0checkout v12", Line: 9, Excerpt: "echo 'PAYMENTS_HOST=10.20.4.17' >> /etc/checkout.env"}}},
				{Rule: "FIT-ENV-CONFIG", Title: "Configuration through environment variables", Dimension: "configuration", Points: 3, Evidence: []inventory.Evidence{{File: "userdata:launch-template lt-0checkout v12", Line: 9}}},
			},
			Blockers: []assess.Blocker{{Rule: "FIT-HARDCODED-IP", Title: "Hard-coded IP address", Effort: "S",
				Remediation: "Address the payments gateway by a DNS name (Route 53 private zone or a Kubernetes ExternalName Service).",
				Evidence:    []inventory.Evidence{{File: "userdata:launch-template lt-0checkout v12", Line: 9}}}},
			Scripts:       []assess.LinkedScript{{Path: "userdata:launch-template lt-0checkout v12", Kind: inventory.ScriptUserData, Reason: inventory.LinkUserData, Confidence: inventory.ConfidenceHigh}},
			InstanceTypes: []string{"c6i.large"}, ImageID: "ami-0checkout", Platform: "Linux/UNIX", LoadBalancers: []string{"checkout-staging"},
		},
		{
			ID: zurichID, Name: "Zürich-Ölhafen", Account: prod, Region: euc1, Environment: "production",
			Fit:            assess.Fit{Score: 41, Category: assess.CategoryMajorWork, Confidence: 85, Dimensions: dims(15, 35, 60, 40, 70, 50)},
			Recommendation: assess.Recommendation{Kind: assess.RecommendAfterBlockers, Text: "Containerise only after the s3fs mount and the local data volume are gone."},
			Effort:         "L", Wave: 3,
			Signals: []assess.Signal{
				{Rule: "FIT-S3FS-MOUNT", Title: "s3fs mount", Dimension: "state", Points: -15, Detail: "s3fs media-archive /mnt/media", Evidence: []inventory.Evidence{{File: "ansible/roles/media/tasks/main.yml", Line: 23, Excerpt: "mount -t fuse.s3fs media-archive /mnt/media"}}},
				{Rule: "FIT-DATA-VOLUME", Title: "Extra EBS data volume", Dimension: "state", Points: -6, Detail: "mkfs.xfs /dev/nvme1n1", Evidence: []inventory.Evidence{{File: "ansible/roles/media/tasks/main.yml", Line: 14}}},
				{Rule: "FIT-CRON", Title: "Host cron job", Dimension: "process-model", Points: -4, Detail: "nightly thumbnail purge | logrotate", Evidence: []inventory.Evidence{{File: "ansible/roles/media/tasks/main.yml", Line: 40}}},
			},
			Blockers: []assess.Blocker{
				{Rule: "FIT-S3FS-MOUNT", Title: "s3fs mount", Effort: "L", Remediation: "Read and write objects through the S3 API (or the Mountpoint for S3 CSI driver for read-mostly data); s3fs cannot be supported in production.", Evidence: []inventory.Evidence{{File: "ansible/roles/media/tasks/main.yml", Line: 23}}},
				{Rule: "FIT-DATA-VOLUME", Title: "Extra EBS data volume", Effort: "M", Remediation: "Move the data to a managed store, or to a PersistentVolumeClaim on a StatefulSet.", Evidence: []inventory.Evidence{{File: "ansible/roles/media/tasks/main.yml", Line: 14}}},
			},
			Mapping:       []assess.Mapping{{From: "Host cron job", To: "CronJob"}},
			Scripts:       []assess.LinkedScript{{Path: "ansible/roles/media/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks, Reason: inventory.LinkNameMatch, Detail: "role media ~ group Zürich-Ölhafen media tier", Confidence: inventory.ConfidenceLow}},
			InstanceTypes: []string{"r6i.xlarge"}, ImageID: "ami-0media", Platform: "Linux/UNIX",
		},
		{
			ID: billingID, Name: "legacy-billing", Account: prod, Region: euw1, Environment: "production",
			Fit:            assess.Fit{Score: 22, Category: assess.CategoryPoor, Confidence: 90, Dimensions: dims(20, 10, 40, 20, 30, 30)},
			Recommendation: assess.Recommendation{Kind: assess.RecommendKeep, Text: "Keep on ASG + ELB: a Windows licence-bound server on dedicated hosts gains nothing from Kubernetes today."},
			Effort:         "XL",
			Signals: []assess.Signal{
				{Rule: "FIT-WINDOWS", Title: "Windows AMI", Dimension: "host-coupling", Points: -15, Evidence: []inventory.Evidence{{ARN: "arn:aws:ec2:eu-west-1::image/ami-0win2019", Field: "Platform", Value: "windows"}}},
				{Rule: "FIT-DEDICATED-TENANCY", Title: "Dedicated tenancy or licensing", Dimension: "host-coupling", Points: -10, Evidence: []inventory.Evidence{{ARN: "launch-template lt-0billing v2", Field: "Placement.Tenancy", Value: "host"}}},
			},
			Blockers:      []assess.Blocker{{Rule: "FIT-WINDOWS", Title: "Windows AMI", Effort: "XL", Remediation: "Port to .NET on Linux, or run Windows nodes — only if the licence allows it.", Evidence: []inventory.Evidence{{ARN: "arn:aws:ec2:eu-west-1::image/ami-0win2019", Field: "Platform", Value: "windows"}}}},
			InstanceTypes: []string{"m5.2xlarge"}, ImageID: "ami-0win2019", Platform: "Windows",
		},
		{
			ID: searchID, Name: "search-indexer", Account: prod, Region: euw1, Environment: "unknown",
			Fit:            assess.Fit{Score: 0, Category: assess.CategoryInsufficient, Confidence: 30, Dimensions: dims(0, 0, 0, 0, 60, 0, "state", "host-coupling", "configuration", "build-delivery", "process-model")},
			Recommendation: assess.Recommendation{Kind: assess.RecommendInsufficient, Text: "Find the scripts that build this group before judging it."},
			Signals:        []assess.Signal{{Rule: "FIT-EC2-HEALTHCHECK", Title: "EC2 health check only", Dimension: "elasticity-health", Points: -2, Evidence: []inventory.Evidence{{ARN: "arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:77:autoScalingGroupName/search-indexer", Field: "HealthCheckType", Value: "EC2"}}}},
			InstanceTypes:  []string{"i3.large"}, ImageID: "ami-0search", Platform: "Linux/UNIX",
		},
	}
	for i := range workloads {
		w := &workloads[i]
		w.Crosswalk = assess.CrosswalkOf(w.Fit.Category, w.Recommendation.Kind, "")
	}

	return &assess.Assessment{
		SchemaVersion: assess.SchemaVersion,
		GeneratedAt:   time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC),
		ToolVersion:   "0.4.0",
		Client:        "Acme Logistics",
		Scope: assess.Scope{Source: "aws", Accounts: []string{prod, nonp}, Regions: []string{euc1, euw1},
			ScriptRoots: []string{"infra/packer", "infra/ansible"}, Scripts: 23},
		Verdict: assess.Verdict{
			Decision: assess.DecisionStartNonProd,
			Title:    "Start with dev, test and pre-production",
			Rationale: []string{
				"Three of seven workloads could run on Kubernetes within a quarter; two of them are non-production.",
				"New environments take three weeks to provision today, the strongest reason in this estate to adopt.",
				"Operations is staffed to learn the platform but has not yet been funded to run it as a product.",
				"Start where the gain is largest and the risk smallest: dev, test and pre-production, then production web services once sessions move out.",
			},
		},
		Readiness: assess.Readiness{
			Assessed: true, Score: 58, Level: "Partly ready", Confidence: 83,
			KeyFactors: []assess.KeyFactor{
				{ID: "ORG-LEADTIME", Title: "Environment lead time", Effect: assess.EffectBenefit, Why: "Answered 1 of 4 (three weeks or more), weight 2: this is where Kubernetes pays off."},
				{ID: "ORG-DEVOPS", Title: "Developer operational ownership", Effect: assess.EffectHoldsBack, Why: "Answered 1 of 4, weight 3: a capability to build before teams run on Kubernetes."},
			},
			Factors: []assess.Factor{
				{ID: "ORG-LEADTIME", Title: "Environment lead time", Weight: 2, Answer: ip(1), Notes: "New environment: ~3 weeks, four tickets.", Hint: "Long lead time raises the benefit of adopting."},
				{ID: "ORG-DEVOPS", Title: "Developer operational ownership", Weight: 1.5, Answer: ip(3), Notes: "Senior developers are on call for their services."},
				{ID: "ORG-CICD", Title: "Pipeline self-service", Weight: 1, Answer: ip(2)},
				{ID: "ORG-OPS", Title: "Operations readiness", Weight: 1.5, Answer: ip(3), Hint: "5 of 7 workloads are built as Packer images.", HintLevel: ip(3)},
				{ID: "ORG-PLATFORM", Title: "Platform mandate", Weight: 1.5, Answer: ip(1), Notes: "Ops budget is reviewed as a cost centre."},
				{ID: "ORG-WORKLOADS", Title: "Workload mix", Weight: 1, Answer: ip(2), Hint: "1 of 7 workloads is GPU or ML batch.", HintLevel: ip(1)},
				{ID: "ORG-PORTABILITY", Title: "Portability need", Weight: 0.5},
				{ID: "ORG-OBSERVABILITY", Title: "Observability", Weight: 1, Answer: ip(3), Notes: "Grafana dashboards for the web tier.", Hint: "No metrics agent or OpenTelemetry collector found in any script.", HintLevel: ip(0),
					Contradiction: "Answered 3/4, but no script installs a metrics agent or collector (evidence suggests 0/4)."},
				{ID: "ORG-CHURN", Title: "Appetite for change", Weight: 1, Answer: ip(2)},
				{ID: "ORG-SCALE", Title: "Organisational complexity", Weight: 1, Answer: ip(3), Notes: "14 teams, one ops group."},
				{ID: "ORG-EXPERIMENT", Title: "Room to experiment", Weight: 0.5, Answer: ip(4)},
				{ID: "ORG-STATUSQUO", Title: "Current platform health", Weight: 1, Answer: ip(2), Notes: "Deploys are reliable but slow."},
			},
		},
		Summary: assess.Summary{
			Workloads: 7,
			ByCategory: []assess.CategoryCount{
				{Category: assess.CategoryExcellent, Count: 1}, {Category: assess.CategoryGood, Count: 2},
				{Category: assess.CategoryMinorWork, Count: 1}, {Category: assess.CategoryMajorWork, Count: 1},
				{Category: assess.CategoryPoor, Count: 1}, {Category: assess.CategoryInsufficient, Count: 1},
			},
			TopBlockers: []assess.BlockerCount{
				{Rule: "FIT-STICKY-SESSIONS", Title: "Sticky sessions", Workloads: []string{ordersID}},
				{Rule: "FIT-HARDCODED-IP", Title: "Hard-coded IP address", Workloads: []string{checkoutID}},
				{Rule: "FIT-S3FS-MOUNT", Title: "s3fs mount", Workloads: []string{zurichID}},
				{Rule: "FIT-DATA-VOLUME", Title: "Extra EBS data volume", Workloads: []string{zurichID}},
				{Rule: "FIT-WINDOWS", Title: "Windows AMI", Workloads: []string{billingID}},
			},
			AverageScore:  50,
			NonProduction: 3,
			TeamChanges: []string{
				"Development teams write a Dockerfile and a Helm chart per service and own its health checks and resource requests.",
				"Development teams get a namespace per environment on request, in minutes, instead of a ticket to operations.",
				"Operations teams run the cluster as a product: upgrades, node pools, policies and the shared pipeline templates.",
				"Packer and Ansible stay for the nodes and for the workloads that remain on Auto Scaling groups.",
			},
		},
		Workloads: workloads,
		Waves: []assess.Wave{
			{Number: 1, Name: "Non-production, high fit", Rationale: "Dev and pre-production workloads with the best fit: the largest gain in environment lead time for the least risk.", Workloads: []string{ordersDevID, mlID}},
			{Number: 2, Name: "Web services after small fixes", Rationale: "Production and staging web services once sessions and hard-coded addresses are gone.", Workloads: []string{ordersID, checkoutID}},
			{Number: 3, Name: "Stateful after remediation", Rationale: "Workloads that keep data on the host move last, after their state has a managed home.", Workloads: []string{zurichID}},
		},
		Findings: []assess.Finding{
			{Rule: "SEC-SECRET-USERDATA", Severity: "critical", Title: "Secret in user data", Detail: "AWS secret access key",
				Workloads: []string{checkoutID}, Evidence: inventory.Evidence{File: "userdata:launch-template lt-0checkout v12", Line: 14, Excerpt: "export AWS_SECRET_ACCESS_KEY=" + SampleSecret}},
			{Rule: "FIT-S3FS-MOUNT", Severity: "high", Title: "s3fs mount in production", Detail: "s3fs is unsupportable in production: no POSIX semantics, silent data loss on network errors.",
				Workloads: []string{zurichID}, Evidence: inventory.Evidence{File: "ansible/roles/media/tasks/main.yml", Line: 23}},
			{Rule: "SEC-SECRET-SCRIPT", Severity: "high", Title: "Secret in a provisioning script", Detail: "database password",
				Evidence: inventory.Evidence{File: "ansible/group_vars/all.yml", Line: 4}},
		},
		Coverage: []inventory.CoverageGap{
			{Account: nonp, Region: "ap-southeast-2", Service: "autoscaling", Operation: "DescribeAutoScalingGroups", Kind: inventory.GapAccessDenied, Message: "User is not authorized to perform autoscaling:DescribeAutoScalingGroups"},
			{Account: nonp, Region: "me-south-1", Service: "sts", Operation: "GetCallerIdentity", Kind: inventory.GapOptIn, Message: "region is not enabled for this account"},
			{Account: prod, Region: euw1, Service: "elasticloadbalancing", Operation: "DescribeTargetGroupAttributes", Kind: inventory.GapThrottled, Message: "Rate exceeded after 5 retries"},
			{Account: "333333333333", Service: "sts", Operation: "AssumeRole", Kind: inventory.GapAssumeRole, Message: "role OrganizationAccountAccessRole | could not be assumed"},
			{Path: "infra/ansible/site.yml", Line: 7, Kind: inventory.GapParse, Message: "yaml: line 7: mapping values are not allowed in this context"},
		},
		UnlinkedScripts: []string{"infra/ansible/roles/legacy-ftp/tasks/main.yml", "infra/packer/bastion.pkr.hcl"},
		Inventory: assess.InventoryTables{
			Groups: []assess.GroupRow{
				{Workload: ordersID, Name: "orders-api", Account: prod, Region: euw1, Launch: "lt-0a1b2c3d v7", ImageID: "ami-0orders", InstanceTypes: "m6i.large, m5.large", Capacity: "3/4/12", HealthCheck: "ELB, 300 s", Policies: 1},
				{Workload: ordersDevID, Name: "orders-api-dev", Account: nonp, Region: euw1, Launch: "lt-0dev v3", ImageID: "ami-0orders", InstanceTypes: "t3.medium", Capacity: "1/1/2", HealthCheck: "EC2, 300 s", Policies: 0},
				{Workload: zurichID, Name: "Zürich-Ölhafen", Account: prod, Region: euc1, Launch: "lc: media-2023-11", ImageID: "ami-0media", InstanceTypes: "r6i.xlarge", Capacity: "2/2/2", HealthCheck: "EC2, 900 s", Policies: 0},
			},
			LoadBalancers: []assess.LoadBalancerRow{
				{Name: "orders-alb", Type: "application", Account: prod, Region: euw1, Scheme: "internet-facing", Listeners: "HTTPS:443, HTTP:80", Sticky: true},
				{Name: "checkout-staging", Type: "classic", Account: nonp, Region: euw1, Scheme: "internal", Listeners: "HTTP:80 → 8080"},
			},
			TargetGroups: []assess.TargetGroupRow{{Name: "orders-api", Account: prod, Region: euw1, Protocol: "HTTP:8080", HealthCheck: "HTTP /health 200", Sticky: true, DeregistrationDelay: "300 s"}},
			Scripts: []assess.ScriptRow{
				{Path: "packer/orders.pkr.hcl", Kind: inventory.ScriptPackerHCL, Facts: 3, Links: 2},
				{Path: "ansible/roles/media/tasks/main.yml", Kind: inventory.ScriptAnsibleTasks, Facts: 4, Links: 1},
			},
		},
		Methodology: assess.Methodology{
			Dimensions: []assess.DimensionWeight{
				{ID: "state", Name: "State", Weight: 25, DefaultWeight: 25},
				{ID: "host-coupling", Name: "Host coupling", Weight: 20, DefaultWeight: 20},
				{ID: "configuration", Name: "Configuration", Weight: 15, DefaultWeight: 15},
				{ID: "build-delivery", Name: "Build and delivery", Weight: 15, DefaultWeight: 15},
				{ID: "elasticity-health", Name: "Elasticity and health", Weight: 15, DefaultWeight: 15},
				{ID: "process-model", Name: "Process model", Weight: 10, DefaultWeight: 10},
			},
			Rules: []assess.RuleInForce{
				{ID: "FIT-PACKER-IMAGE", Title: "Baked immutable image (Packer)", Dimension: "build-delivery", Weight: 8, DefaultWeight: 8, Rationale: "A team that bakes images already builds immutable artefacts; a container image is the same idea, smaller.", Kubernetes: "Container image from the same pipeline"},
				{ID: "FIT-STICKY-SESSIONS", Title: "Sticky sessions", Dimension: "state", Weight: 12, DefaultWeight: 10, Rationale: "Pods come and go; sessions pinned to one of them are lost with it.", Remediation: "Move session state to a shared store.", Kubernetes: "No equivalent; sessionAffinity is best effort"},
				{ID: "FIT-S3FS-MOUNT", Title: "s3fs mount", Dimension: "state", Weight: 15, DefaultWeight: 15, Rationale: "s3fs gives a filesystem without filesystem semantics; no operator can support it in production.", Remediation: "Use the S3 API."},
			},
			Thresholds: assess.DefaultThresholds,
			Crosswalk:  assess.Crosswalks(),
			Overrides:  []string{"Rule FIT-STICKY-SESSIONS weight 12 (default 10), set in whyk8s.yaml."},
			Method: []string{
				"Within a dimension, the score is the weight of the rules that passed over the weight of the rules that passed or failed.",
				"A dimension with no evidence either way is unknown: its weight is shared among the known dimensions.",
				"Below 50% confidence the category is Insufficient data, whatever the score.",
			},
		},
		Changes: &assess.Changes{
			Since:            time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC),
			WorkloadsAdded:   []string{checkoutID},
			WorkloadsRemoved: []string{id(prod, euw1, "old-cron-runner")},
			Scores:           []assess.ScoreChange{{Workload: ordersID, ScoreFrom: 61, ScoreTo: 72, CategoryFrom: assess.CategoryMinorWork, CategoryTo: assess.CategoryGood, Rules: []string{"FIT-TARGET-TRACKING", "FIT-CONFIG-STORE"}}},
			BlockersFixed:    []assess.WorkloadRule{{Workload: ordersID, Rule: "FIT-HARDCODED-IP", Title: "Hard-coded IP address"}},
			BlockersNew:      []assess.WorkloadRule{{Workload: checkoutID, Rule: "FIT-HARDCODED-IP", Title: "Hard-coded IP address"}},
			FindingsResolved: []assess.Finding{{Rule: "SEC-SECRET-USERDATA", Severity: "critical", Title: "Secret in user data", Detail: "database password", Workloads: []string{ordersID}, Evidence: inventory.Evidence{File: "userdata:launch-template lt-0a1b2c3d v6", Line: 3}}},
			FindingsNew:      []assess.Finding{{Rule: "SEC-SECRET-USERDATA", Severity: "critical", Title: "Secret in user data", Detail: "AWS secret access key", Workloads: []string{checkoutID}, Evidence: inventory.Evidence{File: "userdata:launch-template lt-0checkout v12", Line: 14}}},
			Factors:          []assess.FactorChange{{ID: "ORG-CICD", From: ip(1), To: ip(2)}, {ID: "ORG-PORTABILITY", From: ip(2), To: nil}},
			VerdictFrom:      assess.DecisionNotYet,
			VerdictTo:        assess.DecisionStartNonProd,
			ReadinessFrom:    49,
			ReadinessTo:      58,
		},
		Trend: []assess.TrendPoint{
			{GeneratedAt: time.Date(2025, 1, 14, 9, 0, 0, 0, time.UTC), Readiness: 41, Assessed: true, ByCategory: []assess.CategoryCount{{Category: assess.CategoryExcellent, Count: 0}, {Category: assess.CategoryGood, Count: 1}, {Category: assess.CategoryMinorWork, Count: 2}, {Category: assess.CategoryMajorWork, Count: 1}, {Category: assess.CategoryPoor, Count: 1}, {Category: assess.CategoryInsufficient, Count: 1}}},
			{GeneratedAt: time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC), Readiness: 49, Assessed: true, ByCategory: []assess.CategoryCount{{Category: assess.CategoryExcellent, Count: 1}, {Category: assess.CategoryGood, Count: 1}, {Category: assess.CategoryMinorWork, Count: 1}, {Category: assess.CategoryMajorWork, Count: 1}, {Category: assess.CategoryPoor, Count: 1}, {Category: assess.CategoryInsufficient, Count: 1}}},
			{GeneratedAt: time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC), Readiness: 58, Assessed: true, ByCategory: []assess.CategoryCount{{Category: assess.CategoryExcellent, Count: 1}, {Category: assess.CategoryGood, Count: 2}, {Category: assess.CategoryMinorWork, Count: 1}, {Category: assess.CategoryMajorWork, Count: 1}, {Category: assess.CategoryPoor, Count: 1}, {Category: assess.CategoryInsufficient, Count: 1}}},
		},
	}
}

// Synthetic returns an assessment of n generated workloads spread over every category,
// for benchmarks and scale tests. It is built from Sample's shapes so that each workload
// carries realistic signals, blockers, mappings and scripts.
func Synthetic(n int) *assess.Assessment {
	a := Sample()
	shapes := a.Workloads
	a.Workloads = make([]assess.Workload, 0, n)
	a.Inventory.Groups = nil
	counts := map[string]int{}
	envs := []string{"production", "dev", "test", "staging", "pre-production"}
	waves := make([][]string, 4)
	for i := 0; i < n; i++ {
		wl := shapes[i%len(shapes)]
		account := fmt.Sprintf("%012d", 100000000000+i%7)
		region := []string{"eu-west-1", "eu-central-1", "us-east-1"}[i%3]
		wl.Name = fmt.Sprintf("%s-%04d", wl.Name, i)
		wl.Account, wl.Region = account, region
		wl.ID = inventory.WorkloadID(account, region, wl.Name)
		wl.Environment = envs[i%len(envs)]
		counts[wl.Fit.Category]++
		if wl.Wave > 0 {
			waves[wl.Wave] = append(waves[wl.Wave], wl.ID)
		}
		a.Workloads = append(a.Workloads, wl)
		a.Inventory.Groups = append(a.Inventory.Groups, assess.GroupRow{Workload: wl.ID, Name: wl.Name, Account: account, Region: region,
			Launch: "lt-0synthetic v1", ImageID: wl.ImageID, InstanceTypes: "m6i.large", Capacity: "2/2/6", HealthCheck: "ELB, 300 s", Policies: 1})
	}
	a.Summary.Workloads = n
	for i := range a.Summary.ByCategory {
		a.Summary.ByCategory[i].Count = counts[a.Summary.ByCategory[i].Category]
	}
	for i := range a.Waves {
		a.Waves[i].Workloads = waves[a.Waves[i].Number]
	}
	for i := range a.Summary.TopBlockers {
		var ids []string
		for _, wl := range a.Workloads {
			for _, b := range wl.Blockers {
				if b.Rule == a.Summary.TopBlockers[i].Rule {
					ids = append(ids, wl.ID)
				}
			}
		}
		a.Summary.TopBlockers[i].Workloads = ids
	}
	return a
}
