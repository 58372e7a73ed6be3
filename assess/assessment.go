// Package assess turns an inventory.Estate into an Assessment: container fit per workload,
// organisational readiness, a verdict, migration waves — every number traceable to a rule
// and the evidence behind it.
//
// The Assessment is the one value every report writer renders; writers compute nothing.
package assess

import (
	"time"

	"whyk8s/inventory"
)

// SchemaVersion is the version of assessment.json. History and diff read it; bump it when a
// field changes meaning or disappears (adding a field does not need a bump).
const SchemaVersion = 1

// Assessment is the judgement on one estate.
type Assessment struct {
	SchemaVersion int       `json:"schemaVersion"`
	GeneratedAt   time.Time `json:"generatedAt"`
	ToolVersion   string    `json:"toolVersion"`
	Client        string    `json:"client"`
	Scope         Scope     `json:"scope"`

	Verdict   Verdict    `json:"verdict"`
	Readiness Readiness  `json:"readiness"`
	Summary   Summary    `json:"summary"`
	Workloads []Workload `json:"workloads"`
	Waves     []Wave     `json:"waves"`
	// OutsideWaves are the workloads no wave holds because they are not migration
	// candidates — data stores, bastions, network appliances, control planes — with why.
	// Absent when every workload is planned.
	OutsideWaves []OutsideWave `json:"outsideWaves,omitempty"`
	Findings     []Finding     `json:"findings"`
	// WaivedFindings are findings every workload of which a waiver in force covers: shown
	// with the waiver, not counted among the findings to act on. Waivers lists every waiver
	// given, in file order, with where it applied. Both are absent when no waiver was given.
	WaivedFindings []Finding      `json:"waivedFindings,omitempty"`
	Waivers        []WaiverStatus `json:"waivers,omitempty"`

	Coverage        []inventory.CoverageGap `json:"coverage"`
	UnlinkedScripts []string                `json:"unlinkedScripts"`
	Inventory       InventoryTables         `json:"inventory"`
	Methodology     Methodology             `json:"methodology"`

	// Changes compares this assessment with the previous one in the history folder; nil on
	// a first run. Trend holds one point per run in the history, oldest first.
	Changes *Changes     `json:"changes,omitempty"`
	Trend   []TrendPoint `json:"trend,omitempty"`
}

// Scope is what the assessment covered.
type Scope struct {
	Source      string   `json:"source"` // demo, aws, snapshot, iac
	Accounts    []string `json:"accounts"`
	Regions     []string `json:"regions"`
	ScriptRoots []string `json:"scriptRoots"`
	Scripts     int      `json:"scripts"`
	// NotRead names what whyk8s does not look at in this kind of source (standalone
	// instances, listener rules…): outside the assessment by design, not a gap.
	NotRead []string `json:"notRead"`
}

// Verdict is the one answer for the organisation.
type Verdict struct {
	// Decision is one of the Decision* constants.
	Decision string `json:"decision"`
	// Title is the decision in words: "Start with dev, test and pre-production".
	Title string `json:"title"`
	// Rationale is three to five sentences a CIO can repeat, citing the numbers behind it.
	Rationale []string `json:"rationale"`
}

// Decisions.
const (
	DecisionAdoptNow     = "adopt-now"
	DecisionStartNonProd = "start-non-production"
	DecisionPilotBatchML = "pilot-batch-ml"
	DecisionNotYet       = "not-yet"
	DecisionStay         = "stay-on-asg"
)

// Readiness is the organisational half of the answer, from the questionnaire.
type Readiness struct {
	// Assessed is false when no answers were given; Score and Level are then empty and the
	// report says readiness was not assessed.
	Assessed   bool     `json:"assessed"`
	Score      int      `json:"score"` // 0–100
	Level      string   `json:"level"` // e.g. "Ready", "Partly ready", "Not ready"
	Confidence int      `json:"confidence"`
	Factors    []Factor `json:"factors"`
	// Benefit (0–100) is how much the organisation stands to gain, from the benefit factors
	// (lead time and platform health counted inverted); BenefitConfidence is the share of
	// their weight answered. Both are 0 when not assessed.
	Benefit           int `json:"benefit"`
	BenefitConfidence int `json:"benefitConfidence"`
	// Source is the answers file.
	Source string `json:"source,omitempty"`
	// KeyFactors are the answered factors that weigh most on the answer, strongest first
	// (at most three); none when readiness was not assessed.
	KeyFactors []KeyFactor `json:"keyFactors,omitempty"`
}

// Factor is one readiness factor with its answer and the hint the evidence gives.
type Factor struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Role      string  `json:"role"` // capability or benefit (see RoleCapability, RoleBenefit)
	Weight    float64 `json:"weight"`
	Answer    *int    `json:"answer"` // 0–4; nil when unanswered (unknown)
	Notes     string  `json:"notes,omitempty"`
	Hint      string  `json:"hint,omitempty"` // what the evidence suggests, in words
	HintLevel *int    `json:"hintLevel,omitempty"`
	// Contradiction explains where the answer and the evidence disagree; empty if they do not.
	Contradiction string `json:"contradiction,omitempty"`
}

// Summary holds estate-wide counts the executive summary shows.
type Summary struct {
	Workloads     int             `json:"workloads"`
	ByCategory    []CategoryCount `json:"byCategory"` // in category order, zero counts included
	TopBlockers   []BlockerCount  `json:"topBlockers"`
	AverageScore  int             `json:"averageScore"`
	NonProduction int             `json:"nonProduction"`
	// TeamChanges says what changes for development and for operations teams.
	TeamChanges []string `json:"teamChanges,omitempty"`
}

// CategoryCount is the number of workloads in one fit category.
type CategoryCount struct {
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// BlockerCount is a blocker and how many workloads it blocks.
type BlockerCount struct {
	Rule      string   `json:"rule"`
	Title     string   `json:"title"`
	Workloads []string `json:"workloads"`
}

// Workload is the judgement on one Auto Scaling group.
type Workload struct {
	ID          string `json:"id"` // inventory.WorkloadID
	Name        string `json:"name"`
	Account     string `json:"account"`
	Region      string `json:"region"`
	Environment string `json:"environment"` // from tags; "unknown" when no tag says
	// EnvironmentTag is the tag the environment was read from, as "key=value"; empty when
	// no tag says.
	EnvironmentTag string `json:"environmentTag,omitempty"`

	Fit            Fit            `json:"fit"`
	Recommendation Recommendation `json:"recommendation"`
	Effort         string         `json:"effort"` // S, M, L, XL
	Wave           int            `json:"wave"`
	Signals        []Signal       `json:"signals"`
	Blockers       []Blocker      `json:"blockers"`
	// WaivedBlockers are the blockers a waiver in force lifts: shown with the waiver, they
	// neither block nor cap. Absent when there are none.
	WaivedBlockers []Blocker      `json:"waivedBlockers,omitempty"`
	Mapping        []Mapping      `json:"mapping"`
	Scripts        []LinkedScript `json:"scripts"`
	// Crosswalk restates the judgement in the vocabularies of other assessment tools
	// (Methodology.Crosswalk is the table it comes from).
	Crosswalk Crosswalk `json:"crosswalk"`
	// Unknowns are the rules that could not be decided for lack of evidence, and what was
	// missing: the reason the confidence is below 100.
	Unknowns []Unknown `json:"unknowns,omitempty"`

	// Role is what the workload is — a web service, a worker, a database, an orchestrator
	// node… — with the clues behind it. It decides the advice.
	Role Role `json:"role,omitzero"`
	// FromCode is set on a provisional workload assessed from provisioning code alone,
	// before the AWS facts arrive: what the code builds or configures, and where.
	FromCode *CodeOrigin `json:"fromCode,omitempty"`

	// A few facts the overview shows without digging.
	InstanceTypes []string `json:"instanceTypes,omitempty"`
	ImageID       string   `json:"imageId,omitempty"`
	Platform      string   `json:"platform,omitempty"`
	LoadBalancers []string `json:"loadBalancers,omitempty"`
}

// CodeOrigin is what a provisional workload was made from: one image build (a Packer
// template), one playbook's hosts, or one user-data or boot script tied to no group.
type CodeOrigin struct {
	// Kind is one of the Origin* constants.
	Kind string `json:"kind"`
	// Path is the script that builds or configures the workload.
	Path string `json:"path"`
	// Builds names what it builds: the Packer builds, the playbook's host pattern.
	Builds []string `json:"builds,omitempty"`
	// Hosts is the kind of host a part of Path applies to, when the workload is one part:
	// a Puppet node definition's names, a Salt top file's target.
	Hosts string `json:"hosts,omitempty"`
}

// What a provisional workload was made from.
const (
	OriginImageBuild = "image-build"   // a Packer template and what its provisioners run
	OriginPlaybook   = "playbook"      // an Ansible playbook (or a role) and what it includes
	OriginBootScript = "boot-script"   // user data, cloud-config or a boot script tied to no group
	OriginIaCNoGroup = "launch-config" // infrastructure code's user data with no group
	// OriginRevision is a CodeDeploy revision: its AppSpec file and the hooks it runs.
	OriginRevision = "codedeploy-revision"
	// OriginConfigRun is what configuration management applies to one kind of host: a
	// Chef role's or node's run list, a Puppet site manifest, a Salt top file, and what
	// they apply.
	OriginConfigRun = "config-run"
)

// Fit is a workload's container-fit score.
type Fit struct {
	Score      int         `json:"score"`      // 0–100
	Category   string      `json:"category"`   // one of the Category* constants
	Confidence int         `json:"confidence"` // 0–100: share of dimension weight backed by evidence
	Dimensions []Dimension `json:"dimensions"`
}

// Fit categories, in report order.
const (
	CategoryExcellent    = "Excellent fit"
	CategoryGood         = "Good fit"
	CategoryMinorWork    = "Needs minor work"
	CategoryMajorWork    = "Needs major work"
	CategoryPoor         = "Poor fit"
	CategoryInsufficient = "Insufficient data"
)

// Categories lists the fit categories in report order.
var Categories = []string{CategoryExcellent, CategoryGood, CategoryMinorWork, CategoryMajorWork, CategoryPoor, CategoryInsufficient}

// Dimension is one scoring dimension of a workload.
type Dimension struct {
	ID     string  `json:"id"` // state, host-coupling, configuration, build-delivery, elasticity-health, process-model
	Name   string  `json:"name"`
	Weight float64 `json:"weight"` // configured weight
	// Known is false when no rule of the dimension found evidence either way; its weight
	// is then redistributed over the known dimensions.
	Known bool `json:"known"`
	Score int  `json:"score"` // 0–100 within the dimension; 0 when unknown
}

// Signal is one rule that fired for a workload, with the points it moved and its evidence.
type Signal struct {
	Rule      string               `json:"rule"`
	Title     string               `json:"title"`
	Dimension string               `json:"dimension"`
	Points    float64              `json:"points"` // positive helps, negative hurts
	Detail    string               `json:"detail,omitempty"`
	Evidence  []inventory.Evidence `json:"evidence"`
	// Waiver is the waiver naming this failing signal on this workload: in force, the signal
	// blocks, caps and keeps nothing back (its points still count); expired, it counts again.
	Waiver *Waiver `json:"waiver,omitempty"`
}

// Unknown is a rule that could not be decided for a workload, and why.
type Unknown struct {
	Rule      string `json:"rule"`
	Title     string `json:"title"`
	Dimension string `json:"dimension"`
	Reason    string `json:"reason"`
}

// Blocker is a signal that must be fixed before the workload moves.
type Blocker struct {
	Rule        string               `json:"rule"`
	Title       string               `json:"title"`
	Remediation string               `json:"remediation"`
	Effort      string               `json:"effort"` // S, M, L, XL
	Evidence    []inventory.Evidence `json:"evidence"`
	// Waiver is set on a waived blocker (in WaivedBlockers) and on a blocker whose waiver
	// has expired (in Blockers: it counts again).
	Waiver *Waiver `json:"waiver,omitempty"`
}

// Recommendation is what to do with the workload.
type Recommendation struct {
	// Kind is one of the Recommend* constants.
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Recommendation kinds.
const (
	RecommendContainerise  = "containerise"
	RecommendAfterBlockers = "containerise-after-blockers"
	RecommendKeep          = "keep-on-asg"
	RecommendInsufficient  = "insufficient-data"
)

// Mapping is how one part of today's setup maps to Kubernetes.
type Mapping struct {
	From string `json:"from"` // "Target tracking on ASGAverageCPUUtilization = 50"
	To   string `json:"to"`   // "HorizontalPodAutoscaler (cpu 50%, min 2, max 10)"
	Note string `json:"note,omitempty"`
}

// LinkedScript is a script linked to the workload and why.
type LinkedScript struct {
	Path       string `json:"path"`
	Kind       string `json:"kind"`
	Reason     string `json:"reason"`
	Detail     string `json:"detail,omitempty"`
	Confidence string `json:"confidence"`
}

// Wave is one step of the migration plan.
type Wave struct {
	Number    int      `json:"number"`
	Name      string   `json:"name"`
	Rationale string   `json:"rationale"`
	Workloads []string `json:"workloads"` // workload IDs
}

// OutsideWave is a workload the migration plan leaves out, and why.
type OutsideWave struct {
	Workload string `json:"workload"` // workload ID
	Role     string `json:"role"`
	Category string `json:"category"`
	Reason   string `json:"reason"`
}

// Finding is something a person must act on, separate from fit: a secret in user data, an
// s3fs mount in production.
type Finding struct {
	Rule      string             `json:"rule"`
	Severity  string             `json:"severity"` // critical, high, medium, low
	Title     string             `json:"title"`
	Detail    string             `json:"detail,omitempty"` // the kind of secret, never its value
	Workloads []string           `json:"workloads,omitempty"`
	Evidence  inventory.Evidence `json:"evidence"`
	// Waiver is set on a waived finding (in WaivedFindings) and on a finding whose waiver
	// has expired (in Findings: it counts again).
	Waiver *Waiver `json:"waiver,omitempty"`
}

// InventoryTables are the inventory as the appendix shows it.
type InventoryTables struct {
	Groups        []GroupRow        `json:"groups"`
	LoadBalancers []LoadBalancerRow `json:"loadBalancers"`
	TargetGroups  []TargetGroupRow  `json:"targetGroups"`
	Scripts       []ScriptRow       `json:"scripts"`
}

// GroupRow is one Auto Scaling group in the appendix.
type GroupRow struct {
	Workload      string `json:"workload"`
	Name          string `json:"name"`
	Account       string `json:"account"`
	Region        string `json:"region"`
	Launch        string `json:"launch"` // "lt-0abc v3" or "lc: name"
	ImageID       string `json:"imageId"`
	InstanceTypes string `json:"instanceTypes"`
	Capacity      string `json:"capacity"` // "min/desired/max"
	HealthCheck   string `json:"healthCheck"`
	Policies      int    `json:"policies"`
}

// LoadBalancerRow is one load balancer (classic or v2) in the appendix.
type LoadBalancerRow struct {
	Name      string `json:"name"`
	Type      string `json:"type"` // classic, application, network, gateway
	Account   string `json:"account"`
	Region    string `json:"region"`
	Scheme    string `json:"scheme"`
	Listeners string `json:"listeners"`
	Sticky    bool   `json:"sticky"`
}

// TargetGroupRow is one target group in the appendix.
type TargetGroupRow struct {
	Name                string `json:"name"`
	Account             string `json:"account"`
	Region              string `json:"region"`
	Protocol            string `json:"protocol"`
	HealthCheck         string `json:"healthCheck"`
	Sticky              bool   `json:"sticky"`
	DeregistrationDelay string `json:"deregistrationDelay"`
}

// ScriptRow is one script in the appendix.
type ScriptRow struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Facts int    `json:"facts"`
	Links int    `json:"links"`
}

// Methodology is how the numbers were made: the rules and weights in force.
type Methodology struct {
	Dimensions []DimensionWeight `json:"dimensions"`
	Rules      []RuleInForce     `json:"rules"`
	Thresholds Thresholds        `json:"thresholds"`
	// Overrides lists every weight or threshold changed from its default, in words.
	Overrides []string `json:"overrides"`
	// Method states how scores, confidence, caps, categories and waves are made, in
	// sentences the report prints as they are.
	Method []string `json:"method"`
	// Crosswalk is the table that maps each workload's judgement to other tools'
	// vocabularies (Workload.Crosswalk).
	Crosswalk CrosswalkTable `json:"crosswalk"`
}

// DimensionWeight is a dimension and its weight in force.
type DimensionWeight struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Weight        float64 `json:"weight"`
	DefaultWeight float64 `json:"defaultWeight"`
}

// RuleInForce is a catalogue rule as applied in this assessment.
type RuleInForce struct {
	ID            string  `json:"id"`
	Title         string  `json:"title"`
	Dimension     string  `json:"dimension"`
	Weight        float64 `json:"weight"`
	DefaultWeight float64 `json:"defaultWeight"`
	Rationale     string  `json:"rationale"`
	Remediation   string  `json:"remediation,omitempty"`
	Kubernetes    string  `json:"kubernetes,omitempty"`
}

// Thresholds are the category boundaries and the confidence floor.
type Thresholds struct {
	Excellent     int `json:"excellent" mapstructure:"excellent"`
	Good          int `json:"good" mapstructure:"good"`
	MinorWork     int `json:"minorWork" mapstructure:"minorWork"`
	MajorWork     int `json:"majorWork" mapstructure:"majorWork"`
	MinConfidence int `json:"minConfidence" mapstructure:"minConfidence"`
}

// DefaultThresholds are the category boundaries of DESIGN §3.
var DefaultThresholds = Thresholds{Excellent: 80, Good: 65, MinorWork: 50, MajorWork: 35, MinConfidence: 50}

// Changes is what moved since the previous assessment.
type Changes struct {
	Since            time.Time      `json:"since"`
	WorkloadsAdded   []string       `json:"workloadsAdded"`
	WorkloadsRemoved []string       `json:"workloadsRemoved"`
	Scores           []ScoreChange  `json:"scores"`
	BlockersFixed    []WorkloadRule `json:"blockersFixed"`
	BlockersNew      []WorkloadRule `json:"blockersNew"`
	FindingsResolved []Finding      `json:"findingsResolved"`
	FindingsNew      []Finding      `json:"findingsNew"`
	Factors          []FactorChange `json:"factors"`
	VerdictFrom      string         `json:"verdictFrom,omitempty"` // set when the decision changed
	VerdictTo        string         `json:"verdictTo,omitempty"`
	ReadinessFrom    int            `json:"readinessFrom"`
	ReadinessTo      int            `json:"readinessTo"`
	// Until is when the newer assessment was made; Since and Until frame what moved.
	Until time.Time `json:"until"`
	// ReadinessAssessedFrom and ReadinessAssessedTo say whether each run had questionnaire
	// answers: a score of 0 from an unassessed run is unknown, not zero.
	ReadinessAssessedFrom bool `json:"readinessAssessedFrom"`
	ReadinessAssessedTo   bool `json:"readinessAssessedTo"`
	// VerdictTitleFrom and VerdictTitleTo are the verdicts in words, set with VerdictFrom/To.
	VerdictTitleFrom string `json:"verdictTitleFrom,omitempty"`
	VerdictTitleTo   string `json:"verdictTitleTo,omitempty"`

	// A blocker or finding a waiver lifted is accepted, not fixed: it is never listed as
	// fixed or resolved. BlockersWaived and FindingsWaived are those a waiver in force covers
	// now and did not before; BlockersUnwaived and FindingsUnwaived are those a waiver covered
	// before that count again, their waiver expired (Waiver is then the expired waiver) or
	// removed (Waiver nil). All four are absent when empty.
	BlockersWaived   []WorkloadRule `json:"blockersWaived,omitempty"`
	BlockersUnwaived []WorkloadRule `json:"blockersUnwaived,omitempty"`
	FindingsWaived   []Finding      `json:"findingsWaived,omitempty"`
	FindingsUnwaived []Finding      `json:"findingsUnwaived,omitempty"`
}

// ScoreChange is one workload whose score or category moved.
type ScoreChange struct {
	Workload     string   `json:"workload"`
	ScoreFrom    int      `json:"scoreFrom"`
	ScoreTo      int      `json:"scoreTo"`
	CategoryFrom string   `json:"categoryFrom"`
	CategoryTo   string   `json:"categoryTo"`
	Rules        []string `json:"rules"` // the rules whose points changed
	// Name is the group name, so a report need not split the ID.
	Name string `json:"name"`
	// ConfidenceFrom and ConfidenceTo explain a move to or from Insufficient data.
	ConfidenceFrom int `json:"confidenceFrom"`
	ConfidenceTo   int `json:"confidenceTo"`
	// Moves are the points each rule in Rules gave before and after, in Rules order.
	Moves []RuleMove `json:"moves"`
}

// WorkloadRule names a rule on a workload.
type WorkloadRule struct {
	Workload string `json:"workload"`
	Rule     string `json:"rule"`
	Title    string `json:"title"`
	// Waiver is the waiver behind a waived blocker, or the expired one behind a blocker that
	// counts again.
	Waiver *Waiver `json:"waiver,omitempty"`
}

// FactorChange is one readiness factor whose answer changed.
type FactorChange struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	From  *int   `json:"from"`
	To    *int   `json:"to"`
}

// TrendPoint is one run in the history.
type TrendPoint struct {
	GeneratedAt time.Time       `json:"generatedAt"`
	Readiness   int             `json:"readiness"`
	Assessed    bool            `json:"assessed"`
	ByCategory  []CategoryCount `json:"byCategory"`
}
