package assess

import (
	"fmt"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Normalised environments. A tag value that is none of these is kept as written (lower
// case) and treated like production, the careful assumption.
const (
	EnvProduction  = "production"
	EnvStaging     = "staging"
	EnvTest        = "test"
	EnvDevelopment = "development"
	EnvUnknown     = "unknown"
)

var envAliases = map[string]string{
	"prod": EnvProduction, "production": EnvProduction, "prd": EnvProduction, "live": EnvProduction,
	"staging": EnvStaging, "stage": EnvStaging, "stg": EnvStaging, "preprod": EnvStaging,
	"pre-prod": EnvStaging, "pre-production": EnvStaging, "preproduction": EnvStaging, "uat": EnvStaging,
	"test": EnvTest, "testing": EnvTest, "qa": EnvTest, "tst": EnvTest, "int": EnvTest, "integration": EnvTest, "sit": EnvTest,
	"dev": EnvDevelopment, "development": EnvDevelopment, "develop": EnvDevelopment, "sandbox": EnvDevelopment, "sbx": EnvDevelopment,
}

// normaliseEnvironment maps a tag value to an environment name.
func normaliseEnvironment(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return EnvUnknown
	}
	if e, ok := envAliases[v]; ok {
		return e
	}
	return v
}

// environmentOf reads the workload's environment from the first configured tag key present,
// matching the key exactly first and then ignoring case. It returns the evidence too.
func environmentOf(g *inventory.AutoScalingGroup, keys []string) (string, *inventory.Evidence) {
	var sortedKeys []string
	for _, key := range keys {
		v, ok := g.Tags[key]
		if !ok {
			if sortedKeys == nil {
				for k := range g.Tags {
					sortedKeys = append(sortedKeys, k)
				}
				sort.Strings(sortedKeys)
			}
			for _, k := range sortedKeys {
				if strings.EqualFold(k, key) {
					v, ok = g.Tags[k], true
					key = k
					break
				}
			}
		}
		if ok && strings.TrimSpace(v) != "" {
			ev := inventory.Evidence{ARN: g.ARN, Field: "AutoScalingGroup.Tags[" + key + "]", Value: v}
			return normaliseEnvironment(v), &ev
		}
	}
	return EnvUnknown, nil
}

// isNonProduction reports whether an environment is development, test or pre-production.
func isNonProduction(env string) bool {
	return env == EnvDevelopment || env == EnvTest || env == EnvStaging
}

// isProductionLike: production, and anything we cannot show is not production.
func isProductionLike(env string) bool { return !isNonProduction(env) }

// Wave numbers. They are fixed so that a workload's wave means the same from one run to
// the next; waves with no workload are left out of the plan.
const (
	// WaveOutside is no wave: a workload that is not a migration candidate (a data store
	// moving to a managed service, a bastion, a network appliance, a control plane) sits
	// outside the plan, and its recommendation says why.
	WaveOutside      = 0
	WaveNonProdGood  = 1
	WaveProdGood     = 2
	WaveNeedsWork    = 3
	WaveMoreEvidence = 4
	WaveKeep         = 5
)

// waveOf places a workload in the migration plan.
func waveOf(w *Workload) int {
	switch {
	case !migrationCandidate(w.Recommendation.Kind):
		return WaveOutside
	case w.Recommendation.Kind == RecommendInsufficient:
		return WaveMoreEvidence
	case w.Recommendation.Kind == RecommendKeep:
		return WaveKeep
	case goodFit(w.Fit.Category):
		if isNonProduction(w.Environment) {
			return WaveNonProdGood
		}
		return WaveProdGood
	}
	return WaveNeedsWork
}

// goodFit reports the categories the plan moves first: excellent and good fits, and fleets
// of container hosts the cluster replaces.
func goodFit(category string) bool {
	return category == CategoryExcellent || category == CategoryGood || category == CategoryReplacedByCluster
}

// outsideWaves lists the workloads that are in no wave and why, in workload order.
func outsideWaves(ws []Workload) []OutsideWave {
	var out []OutsideWave
	for _, w := range ws {
		if w.Wave == WaveOutside {
			out = append(out, OutsideWave{Workload: w.ID, Role: w.Role.Name, Category: w.Fit.Category, Reason: w.Recommendation.Text})
		}
	}
	return out
}

// planWaves lists the non-empty waves, each with its workloads (non-production first, then
// by score, then by id) and why they are together.
func planWaves(ws []Workload) []Wave {
	byWave := map[int][]*Workload{}
	for i := range ws {
		byWave[ws[i].Wave] = append(byWave[ws[i].Wave], &ws[i])
	}
	var out []Wave
	for n := WaveNonProdGood; n <= WaveKeep; n++ {
		members := byWave[n]
		if len(members) == 0 {
			continue
		}
		sort.SliceStable(members, func(i, j int) bool {
			a, b := members[i], members[j]
			if na, nb := isNonProduction(a.Environment), isNonProduction(b.Environment); na != nb {
				return na
			}
			if a.Fit.Score != b.Fit.Score {
				return a.Fit.Score > b.Fit.Score
			}
			return a.ID < b.ID
		})
		w := Wave{Number: n, Workloads: make([]string, 0, len(members))}
		for _, m := range members {
			w.Workloads = append(w.Workloads, m.ID)
		}
		w.Name, w.Rationale = waveText(n, members)
		out = append(out, w)
	}
	return out
}

func waveText(n int, members []*Workload) (string, string) {
	count := plural(len(members), "workload")
	switch n {
	case WaveNonProdGood:
		return "Non-production, good fit", fmt.Sprintf("%s in development, test or pre-production with a good or excellent fit. "+
			"This is where teams gain self-service environments soonest and an outage costs least; the build, deploy and run path is proven here before production depends on it.", count)
	case WaveProdGood:
		unknownEnv := 0
		for _, m := range members {
			if m.Environment == EnvUnknown {
				unknownEnv++
			}
		}
		s := fmt.Sprintf("%s in production with a good or excellent fit, moved once wave 1 has proven the path.", count)
		if unknownEnv > 0 {
			s += fmt.Sprintf(" Workloads without an environment tag (%d here) are treated as production.", unknownEnv)
		}
		return "Production, good fit", s
	case WaveNeedsWork:
		return "Needs work first", fmt.Sprintf("%s that %s minor or major work. Each moves when its blockers are fixed, non-production first; the blockers and their remediation are listed per workload.", count, agree(len(members), "needs", "need"))
	case WaveMoreEvidence:
		return "Collect evidence first", fmt.Sprintf("%s without enough evidence to judge. Link the provisioning scripts (or complete the inventory) and re-assess before planning %s.", count, agree(len(members), "it", "them"))
	}
	return "Keep on ASG + ELB", fmt.Sprintf("%s that %s on Auto Scaling groups and load balancers, for the reason given in %s recommendation; revisit if that reason goes away.", count, agree(len(members), "stays", "stay"), agree(len(members), "its", "each"))
}
