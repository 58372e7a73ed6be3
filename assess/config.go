package assess

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// ErrBadConfig is wrapped by every configuration error, so the command line can answer it
// with the "bad input" exit code.
var ErrBadConfig = errors.New("bad scoring configuration")

// Config is the scoring configuration: every weight and threshold can be overridden. Map keys
// are matched case-insensitively and ignoring '-', '_' and spaces, because viper lower-cases
// map keys and people write minorWork, minor_work and minor-work alike.
type Config struct {
	Weights         map[string]float64 // rule id → weight
	Dimensions      map[string]float64 // dimension id → weight
	Thresholds      map[string]int     // excellent, good, minorWork, majorWork, minConfidence
	EnvironmentTags []string           // tag keys read for the environment, first match wins
	FactorWeights   map[string]float64 // readiness factor id → weight
	// Waivers are the team's accepted signals (whyk8s.yaml's waivers: or --waivers FILE, read
	// with ParseWaivers); Assess checks each against the catalogue and the estate.
	Waivers []Waiver
}

// DefaultEnvironmentTags are the tag keys read for a workload's environment.
var DefaultEnvironmentTags = []string{"Environment", "environment", "env", "Env", "Stage", "stage"}

// DefaultConfig returns the configuration in force when nothing is overridden, with every
// key spelled out so that it can be printed or used as viper defaults.
func DefaultConfig() Config {
	c := NewCatalogue()
	cfg := Config{
		Weights:         map[string]float64{},
		Dimensions:      map[string]float64{},
		Thresholds:      map[string]int{},
		EnvironmentTags: append([]string(nil), DefaultEnvironmentTags...),
		FactorWeights:   map[string]float64{},
	}
	for _, r := range c.Rules() {
		if r.Direction != DirFinding {
			cfg.Weights[r.ID] = r.Weight
		}
	}
	for _, d := range dimensions {
		cfg.Dimensions[d.ID] = d.DefaultWeight
	}
	for _, t := range thresholdNames {
		cfg.Thresholds[t.name] = *t.field(&DefaultThresholds)
	}
	for _, f := range factors {
		cfg.FactorWeights[f.ID] = f.Weight
	}
	return cfg
}

// settings is a Config resolved against the catalogue: canonical ids, validated values,
// and the overrides in words.
type settings struct {
	weights       weights
	thresholds    Thresholds
	envTags       []string
	factorWeights map[string]float64
	overrides     []string
	waivers       *waiverSet // nil when no waiver was given
}

var thresholdNames = []struct {
	name  string
	field func(*Thresholds) *int
}{
	{"excellent", func(t *Thresholds) *int { return &t.Excellent }},
	{"good", func(t *Thresholds) *int { return &t.Good }},
	{"minorWork", func(t *Thresholds) *int { return &t.MinorWork }},
	{"majorWork", func(t *Thresholds) *int { return &t.MajorWork }},
	{"minConfidence", func(t *Thresholds) *int { return &t.MinConfidence }},
}

// normKey folds a configuration key for matching.
func normKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ' ', '.':
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// matchKeys maps each configured key to a canonical id. Keys are visited in sorted order so
// that the first error reported does not depend on map order.
func matchKeys[V comparable](what, noun string, in map[string]V, canonical []string, check func(id string, v V) error) (map[string]V, error) {
	byNorm := map[string]string{}
	for _, id := range canonical {
		byNorm[normKey(id)] = id
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]V{}
	from := map[string]string{}
	var errs []error
	for _, k := range keys {
		id, ok := byNorm[normKey(k)]
		if !ok {
			errs = append(errs, fmt.Errorf("%w: %s: unknown %s %q (known: %s)", ErrBadConfig, what, noun, k, strings.Join(canonical, ", ")))
			continue
		}
		v := in[k]
		if prev, dup := out[id]; dup && prev != v {
			errs = append(errs, fmt.Errorf("%w: %s: %q and %q both set %s, to different values", ErrBadConfig, what, from[id], k, id))
			continue
		}
		if err := check(id, v); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s.%s: %v", ErrBadConfig, what, id, err))
			continue
		}
		out[id], from[id] = v, k
	}
	return out, errors.Join(errs...)
}

func checkWeight(_ string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("weight %v must be a number of 0 or more", v)
	}
	return nil
}

// resolve validates cfg against the catalogue and the readiness factors.
func (c *Catalogue) resolve(cfg Config) (settings, error) {
	var st settings
	var errs []error

	var ruleIDs, findingIDs []string
	defaults := map[string]float64{}
	for _, r := range c.Rules() {
		if r.Direction == DirFinding {
			findingIDs = append(findingIDs, r.ID)
			continue
		}
		ruleIDs = append(ruleIDs, r.ID)
		defaults[r.ID] = r.Weight
	}
	isFinding := map[string]bool{}
	for _, id := range findingIDs {
		isFinding[id] = true
	}
	ruleW, err := matchKeys("weights", "rule", cfg.Weights, append(append([]string(nil), ruleIDs...), findingIDs...), func(id string, v float64) error {
		if isFinding[id] {
			return errors.New("finding rules are not weighted")
		}
		return checkWeight(id, v)
	})
	errs = append(errs, err)
	st.weights.Rules = map[string]float64{}
	for _, id := range ruleIDs {
		w, set := ruleW[id]
		if !set {
			w = defaults[id]
		}
		st.weights.Rules[id] = w
	}

	var dimIDs []string
	for _, d := range dimensions {
		dimIDs = append(dimIDs, d.ID)
	}
	dimW, err := matchKeys("dimensions", "dimension", cfg.Dimensions, dimIDs, checkWeight)
	errs = append(errs, err)
	st.weights.Dimensions = map[string]float64{}
	total := 0.0
	for _, d := range dimensions {
		w, set := dimW[d.ID]
		if !set {
			w = d.DefaultWeight
		}
		st.weights.Dimensions[d.ID] = w
		total += w
		if w != d.DefaultWeight {
			st.overrides = append(st.overrides, fmt.Sprintf("Dimension %s (%s) weight %s instead of %s", d.ID, d.Name, formatNumber(w), formatNumber(d.DefaultWeight)))
		}
	}
	if total <= 0 && err == nil {
		errs = append(errs, fmt.Errorf("%w: dimensions: every dimension weight is 0; nothing could be scored", ErrBadConfig))
	}
	for _, id := range ruleIDs {
		if w := st.weights.Rules[id]; w != defaults[id] {
			s := fmt.Sprintf("Rule %s weight %s instead of %s", id, formatNumber(w), formatNumber(defaults[id]))
			if w == 0 {
				s += ": the rule is switched off"
			}
			st.overrides = append(st.overrides, s)
		}
	}

	var tNames []string
	for _, t := range thresholdNames {
		tNames = append(tNames, t.name)
	}
	tv, err := matchKeys("thresholds", "threshold", cfg.Thresholds, tNames, func(_ string, v int) error {
		if v < 0 || v > 100 {
			return fmt.Errorf("%d is outside 0–100", v)
		}
		return nil
	})
	errs = append(errs, err)
	st.thresholds = DefaultThresholds
	for _, t := range thresholdNames {
		if v, set := tv[t.name]; set {
			*t.field(&st.thresholds) = v
		}
		if v, d := *t.field(&st.thresholds), *t.field(&DefaultThresholds); v != d {
			st.overrides = append(st.overrides, fmt.Sprintf("Threshold %s %d instead of %d", t.name, v, d))
		}
	}
	if th := st.thresholds; !(th.Excellent > th.Good && th.Good > th.MinorWork && th.MinorWork > th.MajorWork) {
		errs = append(errs, fmt.Errorf("%w: thresholds: excellent (%d) > good (%d) > minorWork (%d) > majorWork (%d) must hold",
			ErrBadConfig, th.Excellent, th.Good, th.MinorWork, th.MajorWork))
	}

	st.envTags = DefaultEnvironmentTags
	if len(cfg.EnvironmentTags) > 0 {
		st.envTags = nil
		for _, k := range cfg.EnvironmentTags {
			if k = strings.TrimSpace(k); k != "" {
				st.envTags = append(st.envTags, k)
			}
		}
		if strings.Join(st.envTags, "\x00") != strings.Join(DefaultEnvironmentTags, "\x00") {
			st.overrides = append(st.overrides, fmt.Sprintf("Environment read from tags %s instead of %s",
				strings.Join(st.envTags, ", "), strings.Join(DefaultEnvironmentTags, ", ")))
		}
	}

	var factorIDs []string
	for _, f := range factors {
		factorIDs = append(factorIDs, f.ID)
	}
	fw, err := matchKeys("factorWeights", "readiness factor", cfg.FactorWeights, factorIDs, checkWeight)
	errs = append(errs, err)
	st.factorWeights = map[string]float64{}
	for _, f := range factors {
		w, set := fw[f.ID]
		if !set {
			w = f.Weight
		}
		st.factorWeights[f.ID] = w
		if w != f.Weight {
			st.overrides = append(st.overrides, fmt.Sprintf("Readiness factor %s weight %s instead of %s", f.ID, formatNumber(w), formatNumber(f.Weight)))
		}
	}
	return st, errors.Join(errs...)
}
