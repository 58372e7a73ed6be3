package assess

import (
	"slices"
	"testing"
)

func TestCrosswalk(t *testing.T) {
	tests := []struct {
		name           string
		category, kind string
		role           string
		want           Crosswalk
	}{
		{"excellent, no blocker", CategoryExcellent, RecommendContainerise, "", Crosswalk{MCExcellent, AKSReady, KonveyorGreen, StrategyReplatform}},
		{"good with a blocker", CategoryGood, RecommendAfterBlockers, "", Crosswalk{MCGood, AKSWithConditions, KonveyorYellow, StrategyReplatform}},
		{"minor work", CategoryMinorWork, RecommendContainerise, "", Crosswalk{MCMinorWork, AKSWithConditions, KonveyorYellow, StrategyReplatform}},
		{"major work means changing the application", CategoryMajorWork, RecommendAfterBlockers, "", Crosswalk{MCMajorWork, AKSWithConditions, KonveyorRed, StrategyRefactor}},
		{"poor fit is Google's No fit", CategoryPoor, RecommendKeep, "", Crosswalk{MCNoFit, AKSNotReady, KonveyorRed, StrategyRetain}},
		{"kept whatever the score (Windows)", CategoryGood, RecommendKeep, "", Crosswalk{MCGood, AKSNotReady, KonveyorRed, StrategyRetain}},
		{"insufficient data is unknown everywhere", CategoryInsufficient, RecommendInsufficient, "", Crosswalk{MCInsufficient, AKSUnknown, KonveyorUnknown, StrategyUnknown}},
		{"an unknown category is not guessed", "Something new", "something-new", "", Crosswalk{MCInsufficient, AKSUnknown, KonveyorUnknown, StrategyUnknown}},
		{"orchestrator nodes are retired", CategoryExcellent, RecommendContainerise, "orchestrator-node", Crosswalk{MCExcellent, AKSReady, KonveyorGreen, StrategyRetire}},
		{"a bastion stays", CategoryGood, RecommendContainerise, "bastion", Crosswalk{MCGood, AKSReady, KonveyorGreen, StrategyRetain}},
		{"a database moves to a managed service", CategoryMajorWork, RecommendAfterBlockers, "database", Crosswalk{MCMajorWork, AKSWithConditions, KonveyorRed, StrategyReplatform}},
		{"a role with no override follows the fit", CategoryGood, RecommendContainerise, "web-service", Crosswalk{MCGood, AKSReady, KonveyorGreen, StrategyReplatform}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CrosswalkOf(tt.category, tt.kind, tt.role); got != tt.want {
				t.Errorf("CrosswalkOf(%q, %q, %q) = %+v, want %+v", tt.category, tt.kind, tt.role, got, tt.want)
			}
		})
	}
}

// Every value the table can give is one of the rubric's own words: a client compares them
// with the tool they know, so a typo would be a value that tool never shows.
func TestCrosswalkVocabularies(t *testing.T) {
	mc := []string{MCExcellent, MCGood, MCMinorWork, MCMajorWork, MCNoFit, MCInsufficient}
	aks := []string{AKSReady, AKSWithConditions, AKSNotReady, AKSUnknown}
	konveyor := []string{KonveyorGreen, KonveyorYellow, KonveyorRed, KonveyorUnknown}
	rs := []string{StrategyRehost, StrategyReplatform, StrategyRefactor, StrategyRepurchase, StrategyRelocate, StrategyRetain, StrategyRetire, StrategyUnknown}
	table := Crosswalks()
	seen := map[string]bool{}
	for _, l := range table.FitLevels {
		seen[l.Category] = true
		if !slices.Contains(mc, l.MigrationCenter) {
			t.Errorf("fit level %q is not Migration Center's", l.MigrationCenter)
		}
	}
	for _, c := range Categories {
		if !seen[c] {
			t.Errorf("category %q has no Migration Center fit level", c)
		}
	}
	for _, r := range table.Rows {
		if !slices.Contains(aks, r.AzureAKS) || !slices.Contains(konveyor, r.Konveyor) || !slices.Contains(rs, r.Strategy) || r.Why == "" {
			t.Errorf("row %+v has a value outside its rubric or no reason", r)
		}
	}
	for _, r := range table.Roles {
		if !slices.Contains(rs, r.Strategy) || r.Why == "" {
			t.Errorf("role row %+v has a strategy outside the 7 Rs or no reason", r)
		}
	}
	// The last row matches anything, so that no workload is left without a value.
	if last := table.Rows[len(table.Rows)-1]; last.Category != "" || last.Kind != "" {
		t.Errorf("the last row %+v is not a catch-all", last)
	}
}

func TestDemoCarriesTheCrosswalk(t *testing.T) {
	a := demoAssessment(t)
	if len(a.Methodology.Crosswalk.Rows) == 0 {
		t.Fatal("the methodology has no crosswalk table")
	}
	for _, w := range a.Workloads {
		if w.Crosswalk != CrosswalkOf(w.Fit.Category, w.Recommendation.Kind, "") {
			t.Errorf("%s: crosswalk %+v is not the table's", w.Name, w.Crosswalk)
		}
	}
}
