package assess

import (
	"fmt"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Dimension ids. Fit rules belong to exactly one; finding rules belong to none.
const (
	DimState        = "state"
	DimHostCoupling = "host-coupling"
	DimConfig       = "configuration"
	DimBuild        = "build-delivery"
	DimElasticity   = "elasticity-health"
	DimProcess      = "process-model"
)

// DimensionInfo is a scoring dimension as data: id, name and default weight.
type DimensionInfo struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	DefaultWeight float64 `json:"defaultWeight"`
}

// dimensions lists the scoring dimensions in report order (DESIGN §3).
var dimensions = []DimensionInfo{
	{DimState, "State", 25},
	{DimHostCoupling, "Host coupling", 20},
	{DimConfig, "Configuration", 15},
	{DimBuild, "Build and delivery", 15},
	{DimElasticity, "Elasticity and health", 15},
	{DimProcess, "Process model", 10},
}

// Dimensions returns the scoring dimensions in report order.
func Dimensions() []DimensionInfo { return append([]DimensionInfo(nil), dimensions...) }

// Directions: how a fit rule moves the score.
const (
	// DirHelps: present gains its points; absent (where the evidence would show it) loses them.
	DirHelps = "helps"
	// DirHurts: present loses its points; absent (where the evidence would show it) gains them.
	DirHurts = "hurts"
	// DirBonus: present gains its points; absent is not held against the workload.
	DirBonus = "bonus"
	// DirFinding: not scored; raises a finding a person must act on.
	DirFinding = "finding"
)

// Effort sizes, smallest first.
const (
	EffortS  = "S"
	EffortM  = "M"
	EffortL  = "L"
	EffortXL = "XL"
)

var effortOrder = []string{EffortS, EffortM, EffortL, EffortXL}

// Rule is one catalogue entry: the data the report prints and the check the code runs, kept
// side by side so the two cannot drift.
type Rule struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Dimension string `json:"dimension,omitempty"` // empty for finding rules
	Direction string `json:"direction"`           // DirHelps, DirHurts, DirBonus or DirFinding
	// Weight is the rule's default weight within its dimension; 0 for finding rules.
	Weight      float64 `json:"weight"`
	Rationale   string  `json:"rationale"`
	Remediation string  `json:"remediation,omitempty"`
	Kubernetes  string  `json:"kubernetes,omitempty"`
	// Facts are the script fact kinds the rule reads (inventory.Fact*). With selects and
	// resources they say everything the rule reads, so that `whyk8s scan` names the rule
	// behind each fact and construct it prints.
	Facts []inventory.FactKind `json:"facts,omitempty"`
	// Blocker is the effort to fix the problem when the rule fails, if it must be fixed
	// before the workload moves; empty when a failure is not a blocker.
	Blocker string `json:"blocker,omitempty"`
	// Cap is the highest score a workload can have while this rule fails (0 = no cap). Used
	// for the few problems no amount of good elsewhere makes up for.
	Cap int `json:"cap,omitempty"`
	// Keep means a failure of this rule is a reason to keep the workload on ASG + ELB.
	Keep bool `json:"keep,omitempty"`
	// Reshapes means a failure changes what the workload becomes on Kubernetes: beside its
	// Deployment it needs another object (a PersistentVolume, a CronJob). However small the
	// fix, the workload does not move as it is, so it is at best "Needs minor work".
	Reshapes bool `json:"reshapes,omitempty"`
	// NotFor are the roles (Role* constants) the rule says nothing about: a batch job is not
	// expected to scale on CPU. For a workload whose role is read firmly, the rule does not
	// apply.
	NotFor []string `json:"notFor,omitempty"`
	// Severity is set on finding rules: critical, high, medium, low.
	Severity string `json:"severity,omitempty"`

	// selects keeps, of the facts of the kinds in Facts, those the rule reads, given the
	// stage their script runs at; nil keeps them all.
	selects func(f *inventory.Fact, at stage) bool
	// together, on a rule that concludes from a count (several services), says whether
	// the facts it selects in one script are enough to conclude on their own; scan names
	// the rule only then, so that one service is not reported as "several services". Nil:
	// every selected fact is a finding by itself.
	together func(selected []*inventory.Fact) bool
	// resources reads the constructs the rule looks at in the estate's resources.
	resources resourceReader
	// check concludes on one workload from what selects and resources found in it (and
	// from the subject, for what is absent or unknown). A fit rule has one.
	check func(s *subject, in seen) result
	// find raises a finding rule's findings over the whole estate, from what the rule's
	// predicates select and what else it needs; without it, a finding rule raises one
	// finding per fact and construct its predicates select (findSelected).
	find func(r *Rule, v *estateView) []Finding
}

// Catalogue is the set of rules in force, built by explicit registration.
type Catalogue struct {
	rules []Rule
	byID  map[string]int
}

// NewCatalogue returns the catalogue with every rule of whyk8s registered. Each dimension
// registers its rules in its own file; adding a rule touches that file only.
func NewCatalogue() *Catalogue {
	c := &Catalogue{byID: map[string]int{}}
	for _, register := range []func(*Catalogue){
		registerStateRules,
		registerHostRules,
		registerConfigRules,
		registerBuildRules,
		registerElasticityRules,
		registerProcessRules,
		registerFindingRules,
	} {
		register(c)
	}
	return c
}

// Register adds a rule. It panics on a duplicate or malformed rule: a catalogue mistake is a
// programming error that must fail the first test that builds the catalogue.
func (c *Catalogue) Register(r Rule) {
	if c.byID == nil {
		c.byID = map[string]int{}
	}
	if r.ID == "" || r.ID != strings.ToUpper(r.ID) {
		panic(fmt.Sprintf("assess: rule id %q must be non-empty and upper case", r.ID))
	}
	if _, dup := c.byID[r.ID]; dup {
		panic(fmt.Sprintf("assess: rule %s registered twice", r.ID))
	}
	reads := len(r.Facts) > 0 || r.resources.any()
	if r.selects != nil && len(r.Facts) == 0 {
		panic(fmt.Sprintf("assess: rule %s selects facts but names no fact kind", r.ID))
	}
	switch r.Direction {
	case DirFinding:
		if (r.find == nil && !reads) || r.check != nil || r.Severity == "" || r.Dimension != "" {
			panic(fmt.Sprintf("assess: finding rule %s needs something to read or a find function, a severity, no check and no dimension", r.ID))
		}
	case DirHelps, DirHurts, DirBonus:
		if r.check == nil || r.find != nil || dimensionIndex(r.Dimension) < 0 || r.Weight <= 0 {
			panic(fmt.Sprintf("assess: fit rule %s needs a check, a known dimension and a positive weight", r.ID))
		}
	default:
		panic(fmt.Sprintf("assess: rule %s has unknown direction %q", r.ID, r.Direction))
	}
	if r.Blocker != "" && effortRank(r.Blocker) < 0 {
		panic(fmt.Sprintf("assess: rule %s has unknown blocker effort %q", r.ID, r.Blocker))
	}
	c.byID[r.ID] = len(c.rules)
	c.rules = append(c.rules, r)
}

// Rules returns the catalogue sorted by id.
func (c *Catalogue) Rules() []Rule {
	out := append([]Rule(nil), c.rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Rule returns the rule with the given id (case-insensitive).
func (c *Catalogue) Rule(id string) (Rule, bool) {
	i, ok := c.byID[strings.ToUpper(id)]
	if !ok {
		return Rule{}, false
	}
	return c.rules[i], true
}

func dimensionIndex(id string) int {
	for i, d := range dimensions {
		if d.ID == id {
			return i
		}
	}
	return -1
}

func effortRank(e string) int {
	for i, x := range effortOrder {
		if x == e {
			return i
		}
	}
	return -1
}
