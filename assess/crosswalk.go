package assess

// The crosswalk restates each workload's judgement in the vocabularies clients already
// know from other assessment tools: Google Migration Center's fit levels, Azure Migrate's
// AKS readiness, Konveyor's risk and the "7 Rs" migration strategies. It is a documented
// table, not a second judgement: every value follows from the workload's fit category, its
// recommendation and (once it is assessed) its role, and the methodology prints the table
// so that a reader can check any row. The tables are data; crosswalkOf only looks them up.

// Crosswalk is one workload's judgement in other tools' vocabularies.
type Crosswalk struct {
	// MigrationCenter is Google Migration Center's fit level: Excellent fit, Good fit,
	// Needs minor work, Needs major work, No fit or Insufficient data.
	MigrationCenter string `json:"migrationCenter"`
	// AzureAKS is Azure Migrate's readiness for AKS: Ready, Ready with conditions, Not
	// ready or Unknown.
	AzureAKS string `json:"azureAks"`
	// Konveyor is Konveyor's application risk: green, yellow, red or unknown.
	Konveyor string `json:"konveyor"`
	// Strategy is one of the 7 Rs (Rehost, Replatform, Refactor, Repurchase, Relocate,
	// Retain, Retire), or Unknown when the evidence supports none yet.
	Strategy string `json:"strategy"`
}

// Values of the crosswalk's vocabularies.
const (
	MCExcellent    = "Excellent fit"
	MCGood         = "Good fit"
	MCMinorWork    = "Needs minor work"
	MCMajorWork    = "Needs major work"
	MCNoFit        = "No fit"
	MCInsufficient = "Insufficient data"

	AKSReady           = "Ready"
	AKSWithConditions  = "Ready with conditions"
	AKSNotReady        = "Not ready"
	AKSUnknown         = "Unknown"
	KonveyorGreen      = "green"
	KonveyorYellow     = "yellow"
	KonveyorRed        = "red"
	KonveyorUnknown    = "unknown"
	StrategyRehost     = "Rehost"
	StrategyReplatform = "Replatform"
	StrategyRefactor   = "Refactor"
	StrategyRepurchase = "Repurchase"
	StrategyRelocate   = "Relocate"
	StrategyRetain     = "Retain"
	StrategyRetire     = "Retire"
	StrategyUnknown    = "Unknown"
)

// CrosswalkFitLevel maps one fit category to Google Migration Center's fit level. Our
// categories are Migration Center's own scale, except that its lowest level is "No fit".
type CrosswalkFitLevel struct {
	Category        string `json:"category"`
	MigrationCenter string `json:"migrationCenter"`
}

// CrosswalkRow is one row of the crosswalk table: workloads of Category (empty: any) with a
// recommendation of Kind (empty: any) get these values. The first matching row wins.
type CrosswalkRow struct {
	Category string `json:"category,omitempty"`
	Kind     string `json:"kind,omitempty"`
	AzureAKS string `json:"azureAks"`
	Konveyor string `json:"konveyor"`
	Strategy string `json:"strategy"`
	// Why says in words why the row maps as it does; the methodology prints it.
	Why string `json:"why"`
}

// CrosswalkRole overrides the strategy for workloads of a role: what a workload is decides
// what happens to it more than how well it would fit in a container.
type CrosswalkRole struct {
	Roles    []string `json:"roles"`
	Strategy string   `json:"strategy"`
	Why      string   `json:"why"`
}

// CrosswalkTable is the whole mapping, as the methodology prints it.
type CrosswalkTable struct {
	FitLevels []CrosswalkFitLevel `json:"fitLevels"`
	Rows      []CrosswalkRow      `json:"rows"`
	Roles     []CrosswalkRole     `json:"roles"`
	// Never lists the 7 Rs that whyk8s never derives from an estate, and why.
	Never []string `json:"never"`
}

var crosswalkFitLevels = []CrosswalkFitLevel{
	{CategoryExcellent, MCExcellent},
	{CategoryGood, MCGood},
	{CategoryMinorWork, MCMinorWork},
	{CategoryMajorWork, MCMajorWork},
	{CategoryPoor, MCNoFit},
	{CategoryInsufficient, MCInsufficient},
	// The categories roles decide: container hosts move easily, what is not a candidate
	// has no fit as a container workload.
	{CategoryReplacedByCluster, MCGood},
	{CategoryDataStore, MCNoFit},
	{CategoryControlPlane, MCNoFit},
	{CategoryBastion, MCNoFit},
	{CategoryNetwork, MCNoFit},
}

var crosswalkRows = []CrosswalkRow{
	{Category: CategoryInsufficient, AzureAKS: AKSUnknown, Konveyor: KonveyorUnknown, Strategy: StrategyUnknown,
		Why: "Too little evidence to judge: every rubric says so rather than guess."},
	{Kind: RecommendInsufficient, AzureAKS: AKSUnknown, Konveyor: KonveyorUnknown, Strategy: StrategyUnknown,
		Why: "Too little evidence to judge: every rubric says so rather than guess."},
	{Kind: RecommendManagedService, AzureAKS: AKSNotReady, Konveyor: KonveyorRed, Strategy: StrategyReplatform,
		Why: "A data store is not containerised as it stands: it moves to a managed service or an operator-run StatefulSet, the data move planned on its own."},
	{Kind: RecommendNotCandidate, AzureAKS: AKSNotReady, Konveyor: KonveyorRed, Strategy: StrategyRetire,
		Why: "A bastion, a network appliance or another orchestrator's control plane is replaced by a managed service, not migrated."},
	{Kind: RecommendReplaceByCluster, AzureAKS: AKSReady, Konveyor: KonveyorGreen, Strategy: StrategyRetire,
		Why: "Container hosts become cluster capacity; what runs on them moves as its own workloads."},
	{Kind: RecommendKeep, AzureAKS: AKSNotReady, Konveyor: KonveyorRed, Strategy: StrategyRetain,
		Why: "Kept on ASG + ELB (Windows, host-bound licensing, or a poor fit): not a candidate as it stands."},
	{Category: CategoryExcellent, Kind: RecommendContainerise, AzureAKS: AKSReady, Konveyor: KonveyorGreen, Strategy: StrategyReplatform,
		Why: "Moves as it is: a new package (an image) and a new platform, the application unchanged."},
	{Category: CategoryGood, Kind: RecommendContainerise, AzureAKS: AKSReady, Konveyor: KonveyorGreen, Strategy: StrategyReplatform,
		Why: "Moves as it is: a new package (an image) and a new platform, the application unchanged."},
	{Category: CategoryExcellent, AzureAKS: AKSWithConditions, Konveyor: KonveyorYellow, Strategy: StrategyReplatform,
		Why: "Fits well, but a named blocker must be fixed first."},
	{Category: CategoryGood, AzureAKS: AKSWithConditions, Konveyor: KonveyorYellow, Strategy: StrategyReplatform,
		Why: "Fits well, but a named blocker must be fixed first."},
	{Category: CategoryMinorWork, AzureAKS: AKSWithConditions, Konveyor: KonveyorYellow, Strategy: StrategyReplatform,
		Why: "Moves after small changes to how it is configured, built or run; the code stays."},
	{Category: CategoryMajorWork, AzureAKS: AKSWithConditions, Konveyor: KonveyorRed, Strategy: StrategyRefactor,
		Why: "State, host coupling or the process model must change in the application before it moves."},
	{Category: CategoryPoor, AzureAKS: AKSNotReady, Konveyor: KonveyorRed, Strategy: StrategyRetain,
		Why: "Moving it would cost more than it gains."},
	{AzureAKS: AKSUnknown, Konveyor: KonveyorUnknown, Strategy: StrategyUnknown,
		Why: "A category or recommendation this table does not know: unknown rather than a guess."},
}

// The role names are those of the roles assessment (issue 14); a workload whose role is
// not assessed, or is none of these, takes its strategy from the rows above.
var crosswalkRoles = []CrosswalkRole{
	{Roles: []string{"orchestrator-node"}, Strategy: StrategyRetire,
		Why: "Nomad, Consul, ECS or Kubernetes hosts are the platform, not a workload: the cluster replaces them, and what runs on them moves on its own."},
	{Roles: []string{"bastion", "network-appliance"}, Strategy: StrategyRetain,
		Why: "Not a migration candidate: access and routing move to managed services (Session Manager, NAT gateway) on their own schedule."},
	{Roles: []string{"database", "cache", "search", "message-broker"}, Strategy: StrategyReplatform,
		Why: "A data store moves to a managed service or an operator-run StatefulSet, with the data move as the work."},
}

var crosswalkNever = []string{
	StrategyRehost + ": moving the instances unchanged to other VMs is not a move to Kubernetes.",
	StrategyRelocate + ": a hypervisor-level move (VMware Cloud on AWS) says nothing about containers.",
	StrategyRepurchase + ": replacing the software with a SaaS product is a business decision no estate shows.",
}

// Crosswalks returns the crosswalk table in force, for the methodology.
func Crosswalks() CrosswalkTable {
	t := CrosswalkTable{
		FitLevels: append([]CrosswalkFitLevel(nil), crosswalkFitLevels...),
		Rows:      append([]CrosswalkRow(nil), crosswalkRows...),
		Never:     append([]string(nil), crosswalkNever...),
	}
	for _, r := range crosswalkRoles {
		r.Roles = append([]string(nil), r.Roles...)
		t.Roles = append(t.Roles, r)
	}
	return t
}

// CrosswalkOf looks a workload up in the crosswalk table. role is the workload's assessed
// role; empty when it was not assessed.
func CrosswalkOf(category, kind, role string) Crosswalk {
	c := Crosswalk{MigrationCenter: MCInsufficient}
	for _, l := range crosswalkFitLevels {
		if l.Category == category {
			c.MigrationCenter = l.MigrationCenter
		}
	}
	for _, r := range crosswalkRows {
		if (r.Category == "" || r.Category == category) && (r.Kind == "" || r.Kind == kind) {
			c.AzureAKS, c.Konveyor, c.Strategy = r.AzureAKS, r.Konveyor, r.Strategy
			break
		}
	}
	for _, r := range crosswalkRoles {
		for _, name := range r.Roles {
			if role != "" && name == role {
				c.Strategy = r.Strategy
			}
		}
	}
	return c
}
