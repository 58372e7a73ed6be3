package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"whyk8s/assess"
	"whyk8s/internal/inputfile"
	awsinv "whyk8s/inventory/aws"
	"whyk8s/inventory/scripts"
	"whyk8s/manifests"
	"whyk8s/report"
)

// Config is the whole configuration of a run, from defaults, whyk8s.yaml, WHYK8S_*
// environment variables and flags (in rising precedence). It is the only place viper's
// values are read; every package receives the part it needs as plain values.
type Config struct {
	Client           string          `mapstructure:"client" yaml:"client"`
	Demo             bool            `mapstructure:"demo" yaml:"demo"`
	Snapshot         string          `mapstructure:"snapshot" yaml:"snapshot"`
	Scripts          []string        `mapstructure:"scripts" yaml:"scripts"`
	IaC              IaCConfig       `mapstructure:"iac" yaml:"iac"`
	Answers          string          `mapstructure:"answers" yaml:"answers"`
	Out              string          `mapstructure:"out" yaml:"out"`
	Quiet            bool            `mapstructure:"quiet" yaml:"quiet"`
	FailOnRegression bool            `mapstructure:"fail_on_regression" yaml:"fail_on_regression"`
	AWS              AWSConfig       `mapstructure:"aws" yaml:"aws"`
	Report           ReportConfig    `mapstructure:"report" yaml:"report"`
	Scoring          ScoringConfig   `mapstructure:"scoring" yaml:"scoring"`
	Links            LinkConfig      `mapstructure:"links" yaml:"links"`
	History          HistoryConfig   `mapstructure:"history" yaml:"history"`
	Manifests        ManifestsConfig `mapstructure:"manifests" yaml:"manifests"`
	Log              LogConfig       `mapstructure:"log" yaml:"log"`
	// WaiversFile (--waivers) names a waivers file; when set it replaces the waivers written
	// in whyk8s.yaml.
	WaiversFile string `mapstructure:"waivers_file" yaml:"waivers_file"`
	// Waivers holds whyk8s.yaml's waivers: list as viper decoded it. It is accepted here and
	// read again from the file by loadWaivers, which keeps the line of each entry for its
	// errors and its evidence.
	Waivers any `mapstructure:"waivers" yaml:"waivers,omitempty"`

	// file is the configuration file read, empty when none was.
	file string
}

// AWSConfig says which accounts and regions to collect and how.
type AWSConfig struct {
	Enabled         bool          `mapstructure:"enabled" yaml:"enabled"`
	Regions         []string      `mapstructure:"regions" yaml:"regions"`
	Profile         string        `mapstructure:"profile" yaml:"profile"`
	RoleARN         string        `mapstructure:"role_arn" yaml:"role_arn"`
	ExternalID      string        `mapstructure:"external_id" yaml:"external_id"`
	SessionName     string        `mapstructure:"session_name" yaml:"session_name"`
	OrgAccounts     bool          `mapstructure:"org_accounts" yaml:"org_accounts"`
	RoleName        string        `mapstructure:"role_name" yaml:"role_name"`
	Accounts        []string      `mapstructure:"accounts" yaml:"accounts"`
	IncludeAccounts []string      `mapstructure:"include_accounts" yaml:"include_accounts"`
	ExcludeAccounts []string      `mapstructure:"exclude_accounts" yaml:"exclude_accounts"`
	OU              string        `mapstructure:"ou" yaml:"ou"`
	Concurrency     int           `mapstructure:"concurrency" yaml:"concurrency"`
	Endpoint        string        `mapstructure:"endpoint" yaml:"endpoint"`
	CallTimeout     time.Duration `mapstructure:"call_timeout" yaml:"call_timeout"`
	MaxAttempts     int           `mapstructure:"max_attempts" yaml:"max_attempts"`
}

// IaCConfig names Terraform and CloudFormation folders to read AWS facts from, when the
// accounts themselves cannot be reached, and what to assume where the code does not say.
type IaCConfig struct {
	Dirs    []string `mapstructure:"dirs" yaml:"dirs"`
	Region  string   `mapstructure:"region" yaml:"region"`
	Account string   `mapstructure:"account" yaml:"account"`
	// Workspace is the Terraform workspace the code is read for; empty leaves
	// terraform.workspace unknown.
	Workspace string `mapstructure:"workspace" yaml:"workspace"`
}

// ReportConfig says which files to write and how they look.
type ReportConfig struct {
	Formats  []string `mapstructure:"formats" yaml:"formats"`
	Name     string   `mapstructure:"name" yaml:"name"`
	Logo     string   `mapstructure:"logo" yaml:"logo"`
	Template string   `mapstructure:"template" yaml:"template"`
}

// ScoringConfig overrides the catalogue's weights and thresholds.
type ScoringConfig struct {
	Weights         map[string]float64 `mapstructure:"weights" yaml:"weights"`
	Dimensions      map[string]float64 `mapstructure:"dimensions" yaml:"dimensions"`
	Thresholds      map[string]int     `mapstructure:"thresholds" yaml:"thresholds"`
	FactorWeights   map[string]float64 `mapstructure:"factor_weights" yaml:"factor_weights"`
	EnvironmentTags []string           `mapstructure:"environment_tags" yaml:"environment_tags"`
}

// LinkConfig tunes how scripts are linked to workloads.
type LinkConfig struct {
	Tags []string `mapstructure:"tags" yaml:"tags"`
}

// HistoryConfig is where past assessments are kept for re-assessment.
type HistoryConfig struct {
	Dir string `mapstructure:"dir" yaml:"dir"`
}

// ManifestsConfig says where starter Kubernetes manifests are written and how HTTP
// traffic is routed in them.
type ManifestsConfig struct {
	// Dir is the folder 'manifests --out' and 'assess --manifests' write to; empty means
	// assess writes none.
	Dir string `mapstructure:"dir" yaml:"dir"`
	// Route is gateway (Gateway API HTTPRoute) or ingress.
	Route string `mapstructure:"route" yaml:"route"`
}

// LogConfig is how diagnostics are written to stderr.
type LogConfig struct {
	Format string `mapstructure:"format" yaml:"format"` // text or json
	Level  string `mapstructure:"level" yaml:"level"`   // debug, info, warn, error
}

// defaultConfig is the configuration in force when nothing is set. Each default comes from
// the package that owns the setting; viper's defaults and the flags' defaults (what --help
// shows) are both read from here, so no default is written twice.
func defaultConfig() Config {
	return Config{
		Scripts: []string{},
		IaC:     IaCConfig{Dirs: []string{}},
		Out:     report.DefaultDir,
		AWS: AWSConfig{
			Regions:         []string{},
			SessionName:     awsinv.DefaultSessionName,
			Accounts:        []string{},
			IncludeAccounts: []string{},
			ExcludeAccounts: []string{},
			Concurrency:     awsinv.DefaultConcurrency,
			CallTimeout:     awsinv.DefaultCallTimeout,
			MaxAttempts:     awsinv.DefaultMaxAttempts,
		},
		Report: ReportConfig{Formats: report.Formats()},
		Scoring: ScoringConfig{
			Weights:         map[string]float64{},
			Dimensions:      map[string]float64{},
			Thresholds:      map[string]int{},
			FactorWeights:   map[string]float64{},
			EnvironmentTags: append([]string(nil), assess.DefaultEnvironmentTags...),
		},
		Links: LinkConfig{Tags: append([]string(nil), scripts.DefaultLinkTags...)},
		// Manifests: no folder unless asked; HTTP listeners become Gateway API routes.
		Manifests: ManifestsConfig{Route: manifests.RouteGateway},
		Log:       LogConfig{Format: "text", Level: "info"},
	}
}

// defaults registers every key of Config with viper, with its value in defaultConfig.
// Registering is also what makes WHYK8S_* variables visible to Unmarshal: viper only
// consults the environment for keys it knows.
func defaults(v *viper.Viper) {
	var walk func(prefix string, rv reflect.Value)
	walk = func(prefix string, rv reflect.Value) {
		for i := 0; i < rv.NumField(); i++ {
			if !rv.Type().Field(i).IsExported() {
				continue // not configuration: what loadConfig records about the run
			}
			key := prefix + rv.Type().Field(i).Tag.Get("mapstructure")
			if f := rv.Field(i); f.Kind() == reflect.Struct {
				walk(key+".", f)
			} else {
				v.SetDefault(key, f.Interface())
			}
		}
	}
	walk("", reflect.ValueOf(defaultConfig()))
}

// configKey is the flag annotation naming the configuration key a flag sets.
const configKey = "whyk8s-config-key"

// bind marks flag name of fs as setting configuration key. Binding happens only for the
// command that runs (see loadConfig), so two commands may share a flag name without their
// values leaking into each other.
func bind(fs *pflag.FlagSet, name, key string) {
	if err := fs.SetAnnotation(name, configKey, []string{key}); err != nil {
		panic(fmt.Sprintf("bind flag %s: %v", name, err)) // a programming error: the flag does not exist
	}
}

// loadConfig builds the Config for cmd from defaults, the config file, the environment and
// cmd's flags.
func loadConfig(cmd *cobra.Command, configFile string) (*Config, error) {
	v := viper.New()
	defaults(v)

	v.SetEnvPrefix("WHYK8S")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	if configFile == "" {
		if _, err := os.Lstat("whyk8s.yaml"); err == nil {
			configFile = "whyk8s.yaml"
		}
	}
	if configFile != "" {
		if err := readConfigFile(v, configFile); err != nil {
			return nil, usageError(err)
		}
	}

	var bindErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if keys := f.Annotations[configKey]; len(keys) == 1 && bindErr == nil {
			bindErr = v.BindPFlag(keys[0], f)
		}
	})
	if bindErr != nil {
		return nil, bindErr
	}

	var cfg Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		return nil, usageError(fmt.Errorf("configuration: %w", err))
	}
	if err := cfg.validate(); err != nil {
		return nil, usageError(err)
	}
	cfg.file = configFile
	cfg.Waivers = datesAsWritten(cfg.Waivers)
	return &cfg, nil
}

// readConfigFile reads a configuration file into v. It is read like every named input
// (only a regular file, up to a limit): every command loads it, and a named pipe called
// whyk8s.yaml must not make even 'whyk8s version' wait forever.
func readConfigFile(v *viper.Viper, path string) error {
	typ := strings.TrimPrefix(filepath.Ext(path), ".")
	switch {
	case typ == "":
		typ = "yaml"
	case !slices.Contains(viper.SupportedExts, typ):
		return fmt.Errorf("config file %s: unsupported type %q (want one of %s)", path, typ, strings.Join(viper.SupportedExts, ", "))
	}
	data, err := inputfile.Read(path, inputfile.MaxConfig)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	v.SetConfigType(typ)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

func (c *Config) validate() error {
	var errs []error
	switch c.Log.Format {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log.format %q: want text or json", c.Log.Format))
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level %q: want debug, info, warn or error", c.Log.Level))
	}
	switch c.Manifests.Route {
	case "gateway", "ingress":
	default:
		errs = append(errs, fmt.Errorf("manifests.route %q: want gateway or ingress", c.Manifests.Route))
	}
	if c.AWS.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("aws.concurrency %d: want at least 1", c.AWS.Concurrency))
	}
	return errors.Join(errs...)
}
