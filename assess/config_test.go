package assess

import (
	"errors"
	"strings"
	"testing"
)

func hasSignal(w Workload, rule string) bool {
	for _, s := range w.Signals {
		if s.Rule == rule {
			return true
		}
	}
	return false
}

func TestDefaultConfigHasNoOverrides(t *testing.T) {
	a := mustAssess(t, build("web"), nil, nil)
	if len(a.Methodology.Overrides) != 0 {
		t.Fatalf("default configuration reports overrides: %v", a.Methodology.Overrides)
	}
	if a.Methodology.Thresholds != DefaultThresholds {
		t.Fatalf("thresholds in force %+v, want defaults", a.Methodology.Thresholds)
	}
	// An empty Config means the same as the spelled-out defaults.
	b := mustAssess(t, build("web"), nil, &Config{})
	if len(b.Methodology.Overrides) != 0 || b.Workloads[0].Fit.Score != a.Workloads[0].Fit.Score || b.Workloads[0].Fit.Confidence != a.Workloads[0].Fit.Confidence {
		t.Fatalf("empty config differs from DefaultConfig: %v", b.Methodology.Overrides)
	}
}

func TestOverridesShowInMethodology(t *testing.T) {
	e := build("web", targetGroup(sticky), tags("Tier", "dev"))
	cfg := DefaultConfig()
	// viper hands map keys over lower-cased.
	delete(cfg.Weights, "FIT-STICKY-SESSIONS")
	cfg.Weights["fit-sticky-sessions"] = 0
	cfg.Weights["FIT-WINDOWS"] = 30
	cfg.Dimensions = map[string]float64{"hostcoupling": 40}
	cfg.Thresholds = map[string]int{"good": 70, "min_confidence": 40}
	cfg.EnvironmentTags = []string{"Tier"}
	cfg.FactorWeights = map[string]float64{"org-leadtime": 5}
	a := mustAssess(t, e, nil, &cfg)

	want := []string{
		"Dimension host-coupling (Host coupling) weight 40 instead of 20",
		"Rule FIT-STICKY-SESSIONS weight 0 instead of 10: the rule is switched off",
		"Rule FIT-WINDOWS weight 30 instead of 15",
		"Threshold good 70 instead of 65",
		"Threshold minConfidence 40 instead of 50",
		"Environment read from tags Tier instead of Environment, environment, env, Env, Stage, stage",
		"Readiness factor ORG-LEADTIME weight 5 instead of 3",
	}
	if got := strings.Join(a.Methodology.Overrides, "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("overrides:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if a.Methodology.Thresholds.Good != 70 || a.Methodology.Thresholds.MinConfidence != 40 {
		t.Errorf("thresholds in force %+v", a.Methodology.Thresholds)
	}
	for _, r := range a.Methodology.Rules {
		if r.ID == "FIT-STICKY-SESSIONS" && (r.Weight != 0 || r.DefaultWeight != 10) {
			t.Errorf("methodology shows FIT-STICKY-SESSIONS at %v (default %v)", r.Weight, r.DefaultWeight)
		}
	}
	for _, d := range a.Methodology.Dimensions {
		if d.ID == DimHostCoupling && d.Weight != 40 {
			t.Errorf("methodology shows host coupling at %v", d.Weight)
		}
	}
	w := a.Workloads[0]
	if hasSignal(w, "FIT-STICKY-SESSIONS") {
		t.Error("a switched-off rule still shows as a signal")
	}
	for _, b := range w.Blockers {
		if b.Rule == "FIT-STICKY-SESSIONS" {
			t.Error("a switched-off rule still blocks")
		}
	}
	if w.Environment != EnvDevelopment || w.EnvironmentTag != "Tier=dev" {
		t.Errorf("environment %q from %q, want development from Tier=dev", w.Environment, w.EnvironmentTag)
	}
	for _, f := range a.Readiness.Factors {
		if f.ID == FactorLeadTime && f.Weight != 5 {
			t.Errorf("ORG-LEADTIME weight %v, want 5", f.Weight)
		}
	}
}

func TestThresholdOverrideMovesCategory(t *testing.T) {
	e := build("web", targetGroup(nil), targetTracking("ASGAverageCPUUtilization", 50), packer,
		scripts())
	base := mustAssess(t, e, nil, nil).Workloads[0].Fit
	cfg := DefaultConfig()
	cfg.Thresholds = map[string]int{"excellent": base.Score + 1, "good": base.Score}
	got := mustAssess(t, e, nil, &cfg).Workloads[0].Fit
	if base.Category != CategoryExcellent || got.Category != CategoryGood {
		t.Fatalf("score %d: default %q, with excellent at %d %q; want Excellent then Good", base.Score, base.Category, base.Score+1, got.Category)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"unknown rule", Config{Weights: map[string]float64{"FIT-STIKY": 2}}, []string{`weights: unknown rule "FIT-STIKY"`}},
		{"finding rule", Config{Weights: map[string]float64{"find-secret": 2}}, []string{"weights.FIND-SECRET: finding rules are not weighted"}},
		{"negative weight", Config{Weights: map[string]float64{"FIT-WINDOWS": -1}}, []string{"weights.FIT-WINDOWS: weight -1"}},
		{"unknown dimension", Config{Dimensions: map[string]float64{"vibes": 2}}, []string{`dimensions: unknown dimension "vibes"`}},
		{"all dimensions zero", Config{Dimensions: map[string]float64{"state": 0, "host-coupling": 0, "configuration": 0, "build-delivery": 0, "elasticity-health": 0, "process-model": 0}}, []string{"every dimension weight is 0"}},
		{"threshold out of range", Config{Thresholds: map[string]int{"excellent": 120}}, []string{"thresholds.excellent: 120 is outside 0–100"}},
		{"thresholds out of order", Config{Thresholds: map[string]int{"good": 85}}, []string{"excellent (80) > good (85)"}},
		{"unknown threshold", Config{Thresholds: map[string]int{"great": 90}}, []string{`thresholds: unknown threshold "great"`}},
		{"unknown factor", Config{FactorWeights: map[string]float64{"ORG-VIBES": 1}}, []string{`unknown readiness factor "ORG-VIBES"`}},
		{"same key twice, different values", Config{Weights: map[string]float64{"FIT-WINDOWS": 1, "fit-windows": 2}}, []string{`"FIT-WINDOWS" and "fit-windows" both set FIT-WINDOWS`}},
		{"several problems at once", Config{Weights: map[string]float64{"A": 1}, Dimensions: map[string]float64{"B": 1}}, []string{`unknown rule "A"`, `unknown dimension "B"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Assess(build("web"), nil, tc.cfg, Meta{Now: testNow})
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrBadConfig) {
				t.Errorf("error does not wrap ErrBadConfig: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// The same key spelled twice with the same value is harmless.
	if _, err := Assess(build("web"), nil, Config{Weights: map[string]float64{"FIT-WINDOWS": 2, "fit-windows": 2}}, Meta{Now: testNow}); err != nil {
		t.Errorf("same value twice: %v", err)
	}
}
