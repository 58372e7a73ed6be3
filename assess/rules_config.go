package assess

import "whyk8s/inventory"

// The configuration dimension's rule ids, for code elsewhere that names one of these rules.
const (
	RuleConfigStore     = "FIT-CONFIG-STORE"
	RuleEnvConfig       = "FIT-ENV-CONFIG"
	RuleHardcodedIP     = "FIT-HARDCODED-IP"
	RulePlaintextSecret = "FIT-PLAINTEXT-SECRET"
)

func registerConfigRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleConfigStore, Title: "Configuration read from SSM Parameter Store or Secrets Manager",
		Dimension: DimConfig, Direction: DirHelps, Weight: 6,
		Facts:       []inventory.FactKind{inventory.FactConfigStore},
		Rationale:   "Configuration fetched at start from a store is already separate from the image, which is what a container needs; the same parameters can be synced into the cluster unchanged.",
		Remediation: "Keep the parameters where they are and sync them into the cluster with the External Secrets Operator or the Secrets Store CSI driver.",
		Kubernetes:  "External Secrets Operator or Secrets Store CSI driver feeding Secrets and ConfigMaps",
		check:       helpsByFacts("read from a store"),
	})
	c.Register(Rule{
		ID: RuleEnvConfig, Title: "Configuration passed as environment variables",
		Dimension: DimConfig, Direction: DirBonus, Weight: 3,
		Facts:       []inventory.FactKind{inventory.FactEnvConfig},
		Rationale:   "Software that takes its settings from the environment moves into a pod spec without code change.",
		Remediation: "Carry the variables over into the Deployment's env or a ConfigMap.",
		Kubernetes:  "env and envFrom a ConfigMap",
		check:       bonusByFacts("environment variables"),
	})
	c.Register(Rule{
		ID: RuleHardcodedIP, Title: "Hard-coded IP addresses",
		Dimension: DimConfig, Direction: DirHurts, Weight: 8, Blocker: EffortS,
		Facts:       []inventory.FactKind{inventory.FactHardcodedIP},
		Rationale:   "A literal address ties the software to today's network. Pod addresses change at every restart; peers must be found by name.",
		Remediation: "Replace each address with a DNS name (a Service, a Route 53 record, an endpoint) held in configuration.",
		Kubernetes:  "Service DNS names; ExternalName Services for things outside the cluster",
		check:       hurtsByFacts("found"),
	})
	c.Register(Rule{
		ID: RulePlaintextSecret, Title: "Secret written in plain text in provisioning",
		Dimension: DimConfig, Direction: DirHurts, Weight: 8, Blocker: EffortS,
		Facts:       []inventory.FactKind{inventory.FactSecret},
		Rationale:   "A secret in a script or user data is baked into images and copied into every launch; in a container build it would end up in image layers. It must come from a secret store at run time. (The value is never shown; the finding names its kind and place.)",
		Remediation: "Rotate the secret, store it in Secrets Manager or Parameter Store, read it at start, and remove it from the script and its history.",
		Kubernetes:  "Secret synced from Secrets Manager (External Secrets Operator)",
		check:       hurtsByFacts("kinds"),
	})
}
