// Package inventory holds the estate model — the facts whyk8s gathers about a client's AWS
// estate and provisioning scripts — and the code that loads and saves it as a snapshot.
//
// Everything here records what is there, with evidence; nothing here judges it. Judgement
// lives in package assess. The model is plain structs with JSON tags so that a snapshot is
// simply the JSON encoding of an Estate, and no AWS SDK type leaks into it.
package inventory

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// SchemaVersion is the version of the snapshot format written by this build. Version 2
// gave facts typed fields; a version-1 snapshot is still read, its facts upgraded (see
// UpgradeFact). Load refuses any other version rather than guess at a shape it does not
// know.
const SchemaVersion = 2

// Estate is everything whyk8s knows about one client: AWS resources from one or more
// accounts and regions, the provisioning scripts behind them, and what could not be read.
//
// Resources are kept in flat lists, each carrying its account and region, so that merging
// snapshots and sorting for deterministic output need no tree walking.
type Estate struct {
	SchemaVersion int       `json:"schemaVersion"`
	Client        string    `json:"client,omitempty"`
	CollectedAt   time.Time `json:"collectedAt"`
	// Source says where the AWS facts came from: one of the Source* constants.
	Source string `json:"source"`

	Accounts             []Account             `json:"accounts"`
	Groups               []AutoScalingGroup    `json:"autoScalingGroups"`
	ClassicLoadBalancers []ClassicLoadBalancer `json:"classicLoadBalancers"`
	LoadBalancers        []LoadBalancer        `json:"loadBalancers"`
	TargetGroups         []TargetGroup         `json:"targetGroups"`
	Images               []Image               `json:"images"`

	// ScriptRoots are the folders the scripts were read from, as given by the user.
	ScriptRoots []string     `json:"scriptRoots,omitempty"`
	Scripts     []Script     `json:"scripts"`
	ScriptStats *ScriptStats `json:"scriptStats,omitempty"`

	// Coverage lists every place that could not be read: a region with AccessDenied, a
	// broken YAML file. An empty list means everything in scope was read.
	Coverage []CoverageGap `json:"coverage"`
}

// Where an estate's AWS facts came from.
const (
	SourceAWS  = "aws"  // collected live
	SourceDemo = "demo" // the embedded demo
	SourceIaC  = "iac"  // Terraform and CloudFormation
	// SourceCode is provisioning code alone (Packer, Ansible, user data): no AWS facts,
	// only what the code shows.
	SourceCode = "code"
)

// UnknownScope is the account or region of resources whose code does not say where they
// deploy (a Terraform provider without them, any CloudFormation template) and no option
// gave: a value of its own, so that it is never counted as an account or a region.
const UnknownScope = "unknown"

// KnownScopes counts the accounts or regions ids names and says whether any is unknown
// (UnknownScope, or not given).
func KnownScopes(ids []string) (known int, unknown bool) {
	for _, id := range ids {
		if id == UnknownScope || id == "" {
			unknown = true
		} else {
			known++
		}
	}
	return known, unknown
}

// Account is one AWS account in scope and the regions that were read in it.
type Account struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Regions []string `json:"regions"`
}

// WorkloadID is the stable identity of an Auto Scaling group across runs: account, region
// and group name. The ARN is not used because it embeds a UUID that changes when a group is
// recreated with the same name.
func WorkloadID(account, region, name string) string {
	return account + "/" + region + "/" + name
}

// AutoScalingGroup is one workload: the group and everything that shapes it.
type AutoScalingGroup struct {
	ARN     string `json:"arn"`
	Name    string `json:"name"`
	Account string `json:"account"`
	Region  string `json:"region"`

	// Exactly one of LaunchTemplate, LaunchConfiguration (or MixedInstances.LaunchTemplate)
	// is set; Launch holds the resolved launch data whichever one it came from.
	LaunchTemplate      *LaunchTemplateRef    `json:"launchTemplate,omitempty"`
	LaunchConfiguration string                `json:"launchConfiguration,omitempty"`
	MixedInstances      *MixedInstancesPolicy `json:"mixedInstances,omitempty"`
	Launch              LaunchSpec            `json:"launch"`

	MinSize                int      `json:"minSize"`
	MaxSize                int      `json:"maxSize"`
	DesiredCapacity        int      `json:"desiredCapacity"`
	HealthCheckType        string   `json:"healthCheckType"` // "EC2" or "ELB"
	HealthCheckGracePeriod int      `json:"healthCheckGracePeriod"`
	AvailabilityZones      []string `json:"availabilityZones,omitempty"`
	Subnets                []string `json:"subnets,omitempty"`
	CreatedTime            string   `json:"createdTime,omitempty"`

	LoadBalancerNames []string `json:"loadBalancerNames,omitempty"`
	TargetGroupARNs   []string `json:"targetGroupArns,omitempty"`

	Tags             map[string]string `json:"tags,omitempty"`
	ScalingPolicies  []ScalingPolicy   `json:"scalingPolicies,omitempty"`
	ScheduledActions []ScheduledAction `json:"scheduledActions,omitempty"`
	LifecycleHooks   []LifecycleHook   `json:"lifecycleHooks,omitempty"`
	// Deployments are the deployment services that name the group: what they deploy is
	// put on its instances after they boot, from revisions kept outside their code.
	Deployments []Deployment `json:"deployments,omitempty"`

	// Unknown lists the fields, by their API names (MinSize, MaxSize, DesiredCapacity,
	// HealthCheckType, …), whose value the source could not know: infrastructure code that
	// takes them from a variable without a value. Their value above is a placeholder, not a
	// fact. Lists name themselves when some of their entries could not be known, or could
	// be added by code that was not read: "ScalingPolicies", "ScheduledActions",
	// "TargetGroupARNs", "LoadBalancerNames", "LifecycleHooks" — an empty list there is
	// not "none". Always empty for groups collected from AWS.
	Unknown []string `json:"unknown,omitempty"`

	// Places says where infrastructure code writes each field (see Places); nil for
	// groups collected from AWS.
	Places Places `json:"places,omitempty"`
}

// Place is where infrastructure code writes a value: the file and line of the argument,
// key or block itself. When the argument takes its value from elsewhere — a variable's
// default or tfvars entry, a module's argument, a Terragrunt input, a CloudFormation
// parameter's Default or the parent stack's Parameters — ValueFile and ValueLine are where
// that value is written, for this instance of the resource, and ValueFrom says how it
// gets there: "default", "tfvars", "input" (Terragrunt), "argument" (a module call's or a
// parent stack's) or "local".
type Place struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	ValueFile string `json:"valueFile,omitempty"`
	ValueLine int    `json:"valueLine,omitempty"`
	ValueFrom string `json:"valueFrom,omitempty"`
}

// Value sources of a Place.
const (
	ValueFromDefault  = "default"
	ValueFromTFVars   = "tfvars"
	ValueFromInput    = "input"
	ValueFromArgument = "argument"
	ValueFromLocal    = "local"
)

// Cited is the file and line evidence should cite: where this instance's value is set
// when a caller sets it (a module argument, a parent stack's parameter, a Terragrunt input,
// tfvars), else the argument itself, which a default or a local of its own module only
// completes.
func (p Place) Cited() (string, int) {
	switch p.ValueFrom {
	case ValueFromArgument, ValueFromInput, ValueFromTFVars:
		if p.ValueFile != "" {
			return p.ValueFile, p.ValueLine
		}
	}
	return p.File, p.Line
}

// Places maps a record's fields, by their API names relative to the record
// ("HealthCheckType", "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity",
// "Attributes[stickiness.enabled]", "BlockDeviceMappings[/dev/sdf]"), to where the code
// writes them. The empty name is the resource's own definition. A field the code does not
// write (AWS's default applies) has no entry.
type Places map[string]Place

// At is the place of a field, or of the nearest enclosing part the code writes: a field
// not written itself is looked for as its parent ("A.B.C", then "A.B", then "A"; "A[k]",
// then "A"), then as the resource. ok is false when nothing is recorded at all.
func (ps Places) At(field string) (Place, bool) {
	if len(ps) == 0 {
		return Place{}, false
	}
	for f := field; ; {
		if p, ok := ps[f]; ok {
			return p, true
		}
		if f == "" {
			return Place{}, false
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			f = ""
		} else {
			f = f[:i]
		}
	}
}

// Known reports whether the group's field (by its API name, "MaxSize") holds a fact rather
// than a placeholder for a value the source could not know.
func (g *AutoScalingGroup) Known(field string) bool {
	for _, u := range g.Unknown {
		if u == field {
			return false
		}
	}
	return true
}

// ID returns the group's stable workload identity.
func (g *AutoScalingGroup) ID() string { return WorkloadID(g.Account, g.Region, g.Name) }

// LaunchTemplateRef is the launch template a group references and the version it resolved to.
type LaunchTemplateRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Version is as the group states it: a number, "$Default" or "$Latest".
	Version string `json:"version"`
	// ResolvedVersion is the version number Version pointed at when collected.
	ResolvedVersion int64 `json:"resolvedVersion,omitempty"`
}

// MixedInstancesPolicy is a group's mix of instance types and purchase options.
type MixedInstancesPolicy struct {
	LaunchTemplate                      *LaunchTemplateRef `json:"launchTemplate,omitempty"`
	InstanceTypes                       []string           `json:"instanceTypes,omitempty"`
	OnDemandBaseCapacity                int                `json:"onDemandBaseCapacity"`
	OnDemandPercentageAboveBaseCapacity int                `json:"onDemandPercentageAboveBaseCapacity"`
	SpotAllocationStrategy              string             `json:"spotAllocationStrategy,omitempty"`
}

// LaunchSpec is the resolved launch data of a group, from its launch template version or
// launch configuration.
type LaunchSpec struct {
	ImageID            string        `json:"imageId"`
	InstanceType       string        `json:"instanceType,omitempty"`
	KeyName            string        `json:"keyName,omitempty"`
	IAMInstanceProfile string        `json:"iamInstanceProfile,omitempty"`
	SecurityGroups     []string      `json:"securityGroups,omitempty"`
	BlockDevices       []BlockDevice `json:"blockDevices,omitempty"`
	// Tenancy is "default", "dedicated" or "host"; empty means default.
	Tenancy string `json:"tenancy,omitempty"`
	// SpotPrice (launch configurations) or MarketType "spot" (launch templates) mean the
	// instances are bought on the spot market.
	SpotPrice          string `json:"spotPrice,omitempty"`
	MarketType         string `json:"marketType,omitempty"`
	DetailedMonitoring bool   `json:"detailedMonitoring,omitempty"`
	MetadataHTTPTokens string `json:"metadataHttpTokens,omitempty"`

	// UserData is the decoded user data (base64, gzip and MIME multipart undone) with every
	// secret value already replaced by a redaction marker. The raw value is never stored.
	UserData string `json:"userData,omitempty"`
	// UserDataLines says, for user data read from infrastructure code, where each line of
	// UserData is written in the repository: runs of lines of a .tf or template file, a
	// CloudFormation template, a file read with file() or templatefile(). Lines not covered
	// have no known place. Nil for AWS.
	UserDataLines []TextSpan `json:"userDataLines,omitempty"`
	// Source names where this spec came from, for evidence: a launch template version ARN
	// or "launch-template lt-0abc v3", or a launch configuration ARN.
	Source string `json:"source,omitempty"`

	// Unknown lists the fields, by their launch template API names ("UserData",
	// "ImageId", "InstanceType", "BlockDeviceMappings", "InstanceMarketOptions.MarketType",
	// "Placement.Tenancy", "MetadataOptions.HttpTokens"…), whose value infrastructure code
	// sets but that cannot be known from it: the value above is a placeholder, not a fact
	// ("" is not "no user data"). Always empty for AWS.
	Unknown []string `json:"unknown,omitempty"`
	// Places says where the code writes each field, by its launch template API name.
	Places Places `json:"places,omitempty"`
}

// Known reports whether a launch field (by its launch template API name) holds a fact.
func (l *LaunchSpec) Known(field string) bool { return !contains(l.Unknown, field) }

// TextSpan is a run of lines of a text rendered from code and where it is written: lines
// Line to Line+Lines-1 of the text are lines FileLine onwards of File.
type TextSpan struct {
	Line     int    `json:"line"`
	Lines    int    `json:"lines"`
	File     string `json:"file"`
	FileLine int    `json:"fileLine"`
}

// SourceLine is where line n (1-based) of a text rendered from code is written, from its
// spans; ok is false when no span covers it.
func SourceLine(spans []TextSpan, n int) (file string, line int, ok bool) {
	for _, s := range spans {
		if n >= s.Line && n < s.Line+s.Lines {
			return s.File, s.FileLine + n - s.Line, true
		}
	}
	return "", 0, false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// BlockDevice is one entry of a block device mapping.
type BlockDevice struct {
	DeviceName  string `json:"deviceName"`
	VirtualName string `json:"virtualName,omitempty"` // ephemeralN for instance store
	NoDevice    bool   `json:"noDevice,omitempty"`
	SnapshotID  string `json:"snapshotId,omitempty"`
	VolumeSize  int    `json:"volumeSize,omitempty"` // GiB
	VolumeType  string `json:"volumeType,omitempty"`
	IOPS        int    `json:"iops,omitempty"`
	Encrypted   bool   `json:"encrypted,omitempty"`
	// DeleteOnTermination nil means the source does not say: AWS deletes the volumes of
	// a launch template or configuration with the instance unless told otherwise.
	DeleteOnTermination *bool `json:"deleteOnTermination,omitempty"`
}

// ScalingPolicy is one Auto Scaling policy.
type ScalingPolicy struct {
	Name string `json:"name"`
	ARN  string `json:"arn,omitempty"`
	// Type is TargetTrackingScaling, StepScaling, SimpleScaling or PredictiveScaling.
	Type string `json:"type"`
	// Metric is the predefined metric type (ASGAverageCPUUtilization, ALBRequestCountPerTarget…)
	// or "Namespace/MetricName" for a customised metric.
	Metric            string   `json:"metric,omitempty"`
	TargetValue       *float64 `json:"targetValue,omitempty"`
	DisableScaleIn    bool     `json:"disableScaleIn,omitempty"`
	AdjustmentType    string   `json:"adjustmentType,omitempty"`
	ScalingAdjustment *int     `json:"scalingAdjustment,omitempty"`
	Cooldown          *int     `json:"cooldown,omitempty"`
	Enabled           bool     `json:"enabled"`
	// Unknown and Places: as on AutoScalingGroup, for a policy read from code
	// ("PolicyType", "Enabled", "TargetTrackingConfiguration…").
	Unknown []string `json:"unknown,omitempty"`
	Places  Places   `json:"places,omitempty"`
}

// ScheduledAction is one scheduled scaling action.
type ScheduledAction struct {
	Name            string `json:"name"`
	Recurrence      string `json:"recurrence,omitempty"` // cron expression
	StartTime       string `json:"startTime,omitempty"`
	EndTime         string `json:"endTime,omitempty"`
	TimeZone        string `json:"timeZone,omitempty"`
	MinSize         *int   `json:"minSize,omitempty"`
	MaxSize         *int   `json:"maxSize,omitempty"`
	DesiredCapacity *int   `json:"desiredCapacity,omitempty"`
	Places          Places `json:"places,omitempty"`
}

// LifecycleHook is one lifecycle hook of a group.
type LifecycleHook struct {
	Name string `json:"name"`
	// Transition is autoscaling:EC2_INSTANCE_LAUNCHING or autoscaling:EC2_INSTANCE_TERMINATING.
	Transition       string `json:"transition"`
	HeartbeatTimeout int    `json:"heartbeatTimeout,omitempty"`
	DefaultResult    string `json:"defaultResult,omitempty"`
	Places           Places `json:"places,omitempty"`
}

// Deployment is a deployment service's hold on a group: a CodeDeploy deployment group
// that deploys an application's revisions to the group's instances, or a Systems Manager
// association whose document runs on them after they boot, chosen by a tag.
type Deployment struct {
	Service string `json:"service"` // DeployCodeDeploy, DeploySSM
	// Application is the CodeDeploy application's name, or the SSM document an association
	// runs (AWS-ApplyAnsiblePlaybooks); empty when the source does not know it (a stack's
	// name, a variable without a value).
	Application string `json:"application,omitempty"`
	// DeploymentGroup is the CodeDeploy deployment group's name, or the association's.
	DeploymentGroup string `json:"deploymentGroup,omitempty"`
	// Revision is where the revisions come from, when the source says: s3://bucket/key or
	// github:owner/repo; for an association, where its document takes what it applies.
	Revision string `json:"revision,omitempty"`
	// Target is how an association chooses the group's instances: tag:Role=web, or
	// InstanceIds=* for every managed instance.
	Target string `json:"target,omitempty"`
	// Commands are the commands an AWS-RunShellScript or AWS-RunPowerShellScript association
	// runs, as the code writes them (one a line, secrets redacted): read as a script of their
	// own (scripts.ReadAssociations, CommandsKind). Empty for every other document.
	Commands string `json:"commands,omitempty"`
	// Playbook is the playbook an AWS-ApplyAnsiblePlaybooks association runs (its
	// PlaybookFile, relative to the bundle it fetches), followed in the folders read like a
	// playbook user data runs (scripts.ReadAssociations). Empty for every other document.
	Playbook string `json:"playbook,omitempty"`
	// RunList is the run list an AWS-ApplyChefRecipes association applies (recipe[app::web],
	// role[base]), followed in the folders like a local Chef run's. Empty for every other
	// document.
	RunList string `json:"runList,omitempty"`
	// Source identifies the deployment group: its ARN, or its place in the code (iac:…).
	Source string `json:"source"`
	Places Places `json:"places,omitempty"`
}

// The deployment services a Deployment names: AWS CodeDeploy, and AWS Systems Manager
// State Manager associations.
const (
	DeployCodeDeploy = "codedeploy"
	DeploySSM        = "ssm-association"
)

// ssmHousekeeping are AWS documents an association runs that keep a host patched,
// inventoried or its agents current: they do not put the application on it.
var ssmHousekeeping = map[string]bool{
	"AWS-RunPatchBaseline": true, "AWS-RunPatchBaselineWithHooks": true, "AWS-RunPatchBaselineAssociation": true,
	"AWS-GatherSoftwareInventory": true, "AWS-UpdateSSMAgent": true, "AWS-RefreshAssociation": true,
	"AWS-ConfigureAWSPackage": true, "AWS-ConfigureCloudWatch": true, "AmazonCloudWatch-ManageAgent": true,
	"AWS-UpdateEC2Config": true, "AWSEC2-ConfigureSTIG": true, "AWS-InstallWindowsUpdates": true,
	"AWS-ConfigureWindowsUpdate": true, "AWS-RunInspecChecks": true, "AWS-EnableExplorer": true,
}

// The Systems Manager documents whose parameters say what they run on the instances, and
// so are read (the commands, the playbook, the run list).
const (
	DocRunShellScript      = "AWS-RunShellScript"
	DocRunPowerShellScript = "AWS-RunPowerShellScript"
	DocApplyAnsible        = "AWS-ApplyAnsiblePlaybooks"
	DocApplyChef           = "AWS-ApplyChefRecipes"
)

// CommandsKind is the kind of script the commands of an association running document are:
// shell for AWS-RunShellScript, PowerShell for AWS-RunPowerShellScript, "" for any other.
func CommandsKind(document string) string {
	switch document {
	case DocRunShellScript:
		return ScriptShell
	case DocRunPowerShellScript:
		return ScriptPowerShell
	}
	return ""
}

// ScriptPath is the path of the script an association's commands or playbook make
// (scripts.ReadAssociations): "ssm:" and the association's source.
func (d Deployment) ScriptPath() string { return "ssm:" + d.Source }

// Configures reports a deployment that puts what the group runs on its instances: every
// CodeDeploy deployment group, and an association whose document is not housekeeping (a
// playbook, a recipe, a script, a document of the client's own).
func (d Deployment) Configures() bool {
	return d.Service != DeploySSM || !ssmHousekeeping[d.Application]
}

// ClassicLoadBalancer is an Elastic Load Balancing (classic) load balancer.
type ClassicLoadBalancer struct {
	Name        string              `json:"name"`
	Account     string              `json:"account"`
	Region      string              `json:"region"`
	DNSName     string              `json:"dnsName,omitempty"`
	Scheme      string              `json:"scheme,omitempty"`
	Listeners   []ClassicListener   `json:"listeners,omitempty"`
	HealthCheck *ClassicHealthCheck `json:"healthCheck,omitempty"`
	// Policies are the load balancer's policies; stickiness shows up as
	// LBCookieStickinessPolicyType or AppCookieStickinessPolicyType.
	Policies                  []ClassicPolicy   `json:"policies,omitempty"`
	ConnectionDraining        bool              `json:"connectionDraining,omitempty"`
	ConnectionDrainingTimeout int               `json:"connectionDrainingTimeout,omitempty"`
	CrossZone                 bool              `json:"crossZone,omitempty"`
	IdleTimeout               int               `json:"idleTimeout,omitempty"`
	Tags                      map[string]string `json:"tags,omitempty"`
	// Source is where infrastructure code defines the load balancer ("iac:…"); empty when
	// it was collected from AWS.
	Source string `json:"source,omitempty"`
	// Unknown and Places: as on AutoScalingGroup, by DescribeLoadBalancers' field names
	// ("HealthCheck.Target", "ListenerDescriptions[443].PolicyNames", "Policies").
	Unknown []string `json:"unknown,omitempty"`
	Places  Places   `json:"places,omitempty"`
}

// ARN returns the classic load balancer's ARN, which the API does not return but IAM and
// the tagging API use; for one read from code, the place that defines it.
func (lb *ClassicLoadBalancer) ARN() string {
	if lb.Source != "" {
		return lb.Source
	}
	return "arn:aws:elasticloadbalancing:" + lb.Region + ":" + lb.Account + ":loadbalancer/" + lb.Name
}

// ClassicListener is one listener of a classic load balancer.
type ClassicListener struct {
	Protocol         string   `json:"protocol"`
	Port             int      `json:"port"`
	InstanceProtocol string   `json:"instanceProtocol"`
	InstancePort     int      `json:"instancePort"`
	SSLCertificateID string   `json:"sslCertificateId,omitempty"`
	PolicyNames      []string `json:"policyNames,omitempty"`
}

// ClassicHealthCheck is a classic load balancer's health check.
type ClassicHealthCheck struct {
	Target             string `json:"target"` // e.g. HTTP:80/health or TCP:22
	Interval           int    `json:"interval"`
	Timeout            int    `json:"timeout"`
	HealthyThreshold   int    `json:"healthyThreshold"`
	UnhealthyThreshold int    `json:"unhealthyThreshold"`
}

// ClassicPolicy is one policy of a classic load balancer.
type ClassicPolicy struct {
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// LoadBalancer is an Application, Network or Gateway Load Balancer (elbv2).
type LoadBalancer struct {
	ARN       string            `json:"arn"`
	Name      string            `json:"name"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Type      string            `json:"type"` // application, network, gateway
	Scheme    string            `json:"scheme,omitempty"`
	DNSName   string            `json:"dnsName,omitempty"`
	Listeners []Listener        `json:"listeners,omitempty"`
	Tags      map[string]string `json:"tags,omitempty"`
	Places    Places            `json:"places,omitempty"`
}

// Listener is one listener of an elbv2 load balancer.
type Listener struct {
	ARN      string `json:"arn"`
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
	// TargetGroupARNs are the target groups of the default actions (forward).
	TargetGroupARNs []string `json:"targetGroupArns,omitempty"`
	SSLPolicy       string   `json:"sslPolicy,omitempty"`
	Places          Places   `json:"places,omitempty"`
}

// TargetGroup is an elbv2 target group with its health check and attributes.
type TargetGroup struct {
	ARN              string            `json:"arn"`
	Name             string            `json:"name"`
	Account          string            `json:"account"`
	Region           string            `json:"region"`
	Protocol         string            `json:"protocol,omitempty"`
	Port             int               `json:"port,omitempty"`
	TargetType       string            `json:"targetType,omitempty"`
	LoadBalancerARNs []string          `json:"loadBalancerArns,omitempty"`
	HealthCheck      TargetHealthCheck `json:"healthCheck"`
	// Attributes are the target group's attributes as the API returns them, e.g.
	// stickiness.enabled, stickiness.type, deregistration_delay.timeout_seconds.
	Attributes map[string]string `json:"attributes,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	// Unknown and Places: as on AutoScalingGroup, by the API's names ("HealthCheckPath",
	// "Attributes[stickiness.enabled]"). An attribute the code sets to a value it cannot
	// know is left out of Attributes and listed here.
	Unknown []string `json:"unknown,omitempty"`
	Places  Places   `json:"places,omitempty"`
}

// Known reports whether a target group field (by its API name, "HealthCheckPath") holds a
// fact rather than a placeholder for a value the source could not know.
func (tg *TargetGroup) Known(field string) bool { return !contains(tg.Unknown, field) }

// StickinessEnabled reports whether the target group's stickiness.enabled attribute is true.
func (tg *TargetGroup) StickinessEnabled() bool { return tg.Attributes["stickiness.enabled"] == "true" }

// TargetHealthCheck is a target group's health check.
type TargetHealthCheck struct {
	Enabled            bool   `json:"enabled"`
	Protocol           string `json:"protocol,omitempty"`
	Port               string `json:"port,omitempty"`
	Path               string `json:"path,omitempty"`
	Matcher            string `json:"matcher,omitempty"`
	Interval           int    `json:"interval,omitempty"`
	Timeout            int    `json:"timeout,omitempty"`
	HealthyThreshold   int    `json:"healthyThreshold,omitempty"`
	UnhealthyThreshold int    `json:"unhealthyThreshold,omitempty"`
}

// FromCode reports an identifier that names a place in infrastructure code (Terraform,
// CloudFormation) rather than a resource AWS returned: "iac:envs/prod/main.tf:12:…".
func FromCode(id string) bool { return strings.HasPrefix(id, "iac:") }

// Image is an AMI in use by a group.
type Image struct {
	ID      string `json:"id"`
	Account string `json:"account"` // the account the group that uses it is in
	Region  string `json:"region"`
	OwnerID string `json:"ownerId,omitempty"`
	// OwnerAlias is who publishes the image when it is not a private one: "amazon" for
	// images AWS publishes (distributions, but also the Deep Learning and ECS-optimised
	// AMIs), "aws-marketplace" for a vendor's product. DescribeImages' ImageOwnerAlias.
	OwnerAlias string `json:"ownerAlias,omitempty"`
	Name       string `json:"name,omitempty"`
	// Platform is "windows" for Windows AMIs and empty otherwise (the API's own convention).
	Platform        string            `json:"platform,omitempty"`
	PlatformDetails string            `json:"platformDetails,omitempty"` // "Linux/UNIX", "Windows", "Red Hat Enterprise Linux"…
	Architecture    string            `json:"architecture,omitempty"`
	CreationDate    string            `json:"creationDate,omitempty"`
	Description     string            `json:"description,omitempty"`
	Tags            map[string]string `json:"tags,omitempty"`
	// Places: for an image infrastructure code looks up (data "aws_ami", a public SSM
	// parameter), where the lookup says each thing it is known by ("OwnerId", "Name",
	// "Platform"). Nil for AWS.
	Places Places `json:"places,omitempty"`
}

// CoverageGap is one thing that could not be read, and why. AWS gaps carry account, region,
// service and operation; script gaps carry path and, where known, line.
type CoverageGap struct {
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Service   string `json:"service,omitempty"`
	Operation string `json:"operation,omitempty"`
	Path      string `json:"path,omitempty"`
	Line      int    `json:"line,omitempty"`
	// Kind classifies the gap; see the Gap* constants.
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Kinds of coverage gap.
const (
	GapAccessDenied = "access-denied"
	GapOptIn        = "region-not-enabled"
	GapThrottled    = "throttled"
	GapNotFound     = "not-found"
	GapTimeout      = "timeout"
	GapAssumeRole   = "assume-role-failed"
	GapError        = "error"
	GapParse        = "parse-error"
	GapUnreadable   = "unreadable"
	GapTooLarge     = "too-large"
	GapBinary       = "binary"
	GapSymlinkLoop  = "symlink-loop"
	GapEncoding     = "encoding"
	// GapLimit is a file or an evaluation over one of the readers' limits — nesting depth,
	// evaluation budget, recursion — stopped there so that hostile input cannot crash or
	// exhaust the run: what lies beyond the limit is not read.
	GapLimit = "limit"
	// GapUnresolved is a value the infrastructure code sets but that cannot be known from
	// the code alone: a variable without a default, a data source, another stack's output.
	GapUnresolved = "unresolved"
	// GapNotRead is a file in the folders that the code runs but that is written in a
	// language whyk8s does not read (a CodeDeploy hook in Python or batch): what it does
	// is not known.
	GapNotRead = "not-read"
)

// Missing reports a gap that leaves out something the readers would have read: a file
// that failed, a region denied. A reference that leads nowhere, a value the code leaves
// open and a script in a language no reader reads miss nothing that was in reach, and do
// not make a run partial.
func (g CoverageGap) Missing() bool {
	return g.Kind != GapNotFound && g.Kind != GapUnresolved && g.Kind != GapNotRead
}

// Sort puts every list of the estate in a canonical order so that the same facts always
// encode to the same bytes, whatever order the APIs or the file walk returned them in.
func (e *Estate) Sort() {
	sort.Slice(e.Accounts, func(i, j int) bool { return e.Accounts[i].ID < e.Accounts[j].ID })
	for i := range e.Accounts {
		sort.Strings(e.Accounts[i].Regions)
	}
	sort.Slice(e.Groups, func(i, j int) bool { return e.Groups[i].ID() < e.Groups[j].ID() })
	for i := range e.Groups {
		ds := e.Groups[i].Deployments
		sort.Slice(ds, func(a, b int) bool {
			if ds[a].Source != ds[b].Source {
				return ds[a].Source < ds[b].Source
			}
			return ds[a].Application < ds[b].Application
		})
	}
	sort.Slice(e.ClassicLoadBalancers, func(i, j int) bool {
		a, b := e.ClassicLoadBalancers[i], e.ClassicLoadBalancers[j]
		return WorkloadID(a.Account, a.Region, a.Name) < WorkloadID(b.Account, b.Region, b.Name)
	})
	sort.Slice(e.LoadBalancers, func(i, j int) bool { return e.LoadBalancers[i].ARN < e.LoadBalancers[j].ARN })
	sort.Slice(e.TargetGroups, func(i, j int) bool { return e.TargetGroups[i].ARN < e.TargetGroups[j].ARN })
	sort.Slice(e.Images, func(i, j int) bool {
		a, b := e.Images[i], e.Images[j]
		return a.Account+a.Region+a.ID < b.Account+b.Region+b.ID
	})
	sort.Slice(e.Scripts, func(i, j int) bool { return e.Scripts[i].Path < e.Scripts[j].Path })
	for i := range e.Scripts {
		e.Scripts[i].Sort()
	}
	slices.SortStableFunc(e.Coverage, CompareGaps)
}

// Group returns the group with the given workload ID, or nil.
func (e *Estate) Group(id string) *AutoScalingGroup {
	for i := range e.Groups {
		if e.Groups[i].ID() == id {
			return &e.Groups[i]
		}
	}
	return nil
}
