package assess

// Factor roles: a capability factor says whether teams can take on the change and counts
// towards the readiness score; a benefit factor says how much the organisation stands to
// gain and counts towards the benefit figure the verdict weighs.
const (
	RoleCapability = "capability"
	RoleBenefit    = "benefit"
)

// FactorInfo is one readiness factor of DESIGN §4 as data: what the questionnaire asks, what
// each level means, and how it counts.
type FactorInfo struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Question string    `json:"question"`
	Levels   [5]string `json:"levels"` // meaning of answers 0–4
	Weight   float64   `json:"weight"` // default weight within its role
	Role     string    `json:"role"`
	// Inverted marks a benefit factor whose high answer means less to gain (a short lead
	// time, a healthy status quo).
	Inverted bool `json:"inverted,omitempty"`
}

// Factors returns the readiness factors in questionnaire order.
func Factors() []FactorInfo { return append([]FactorInfo(nil), factors...) }

// Factor ids.
const (
	FactorLeadTime      = "ORG-LEADTIME"
	FactorDevOps        = "ORG-DEVOPS"
	FactorCICD          = "ORG-CICD"
	FactorOps           = "ORG-OPS"
	FactorPlatform      = "ORG-PLATFORM"
	FactorWorkloads     = "ORG-WORKLOADS"
	FactorPortability   = "ORG-PORTABILITY"
	FactorObservability = "ORG-OBSERVABILITY"
	FactorChurn         = "ORG-CHURN"
	FactorScale         = "ORG-SCALE"
	FactorExperiment    = "ORG-EXPERIMENT"
	FactorStatusQuo     = "ORG-STATUSQUO"
)

var factors = []FactorInfo{
	{
		ID: FactorLeadTime, Title: "Environment lead time", Role: RoleBenefit, Inverted: true, Weight: 3,
		Question: "When a team needs a new isolated environment (its own subdomain, a database schema it controls for a while, access to the support systems it uses), how long until it can work in it? A long lead time is the strongest reason to adopt.",
		Levels: [5]string{
			"More than a month; several teams and tickets are involved.",
			"Two to four weeks.",
			"About a week.",
			"A few days.",
			"The same day, self-service.",
		},
	},
	{
		ID: FactorDevOps, Title: "Developer operational ownership", Role: RoleCapability, Weight: 2,
		Question: "Do developers deploy and run their own software in production, with training and support planned?",
		Levels: [5]string{
			"No: developers hand over artefacts; operations deploys and runs everything.",
			"Developers join incidents but have no production access.",
			"Some senior developers deploy and are on call for their services.",
			"Most teams deploy and run their services; training is planned.",
			"Teams own their services end to end, with training and platform support in place.",
		},
	},
	{
		ID: FactorCICD, Title: "Pipeline self-service", Role: RoleCapability, Weight: 1.5,
		Question: "Can a team change its own build and deployment pipeline without a ticket?",
		Levels: [5]string{
			"There is no pipeline; builds and deployments are manual.",
			"Pipelines exist; every change is a ticket to another team.",
			"Teams can change some steps; new pipelines need a ticket.",
			"Teams change their pipelines themselves within shared templates.",
			"Teams create and change pipelines freely, with guardrails written as code.",
		},
	},
	{
		ID: FactorOps, Title: "Operations readiness", Role: RoleCapability, Weight: 2,
		Question: "Is operations willing and staffed to revisit what it has built (AMIs, Packer templates, Ansible roles, runbooks)?",
		Levels: [5]string{
			"No capacity: the team is fully occupied keeping things running.",
			"Willing, but no time can be freed this year.",
			"Some capacity: one or two engineers could learn containers.",
			"A group is assigned and has started learning.",
			"Staffed and already experienced with containers and Kubernetes.",
		},
	},
	{
		ID: FactorPlatform, Title: "Platform mandate", Role: RoleCapability, Weight: 1.5,
		Question: "Does leadership fund operations as a platform that creates value, or manage it as a cost centre?",
		Levels: [5]string{
			"A cost centre, measured on cost alone.",
			"Mostly a cost centre; every improvement needs its own business case.",
			"Some investment in shared tooling.",
			"A platform team exists, with a roadmap.",
			"The platform is a funded product with internal customers and goals.",
		},
	},
	{
		ID: FactorWorkloads, Title: "Workload mix", Role: RoleBenefit, Weight: 1.5,
		Question: "What share of the portfolio is batch, data or machine-learning work, rather than classic n-tier web applications on a relational database (where Helm versus Packer and Ansible is mostly a matter of taste)?",
		Levels: [5]string{
			"None: all n-tier web applications.",
			"Under 10%.",
			"10 to 25%.",
			"25 to 50%.",
			"Over half, or ML is a strategic priority.",
		},
	},
	{
		ID: FactorPortability, Title: "Portability need", Role: RoleBenefit, Weight: 1,
		Question: "Does the business need to run on more than one provider, on premises, or move to whichever is cheapest?",
		Levels: [5]string{
			"No: committed to AWS.",
			"Possible one day; there is no plan.",
			"A stated aim, not funded.",
			"A second environment (another cloud or on premises) is planned.",
			"Required now: multi-cloud, customer-hosted or sovereign deployments.",
		},
	},
	{
		ID: FactorObservability, Title: "Observability", Role: RoleCapability, Weight: 1,
		Question: "Are metrics and tracing in place or planned (Prometheus, Grafana, OpenTelemetry or equivalent)?",
		Levels: [5]string{
			"Host checks and logs on disk only.",
			"CloudWatch metrics and alarms; logs shipped centrally.",
			"Application metrics for some services.",
			"Metrics and dashboards for most services; tracing has started.",
			"Metrics, logs and traces for every service, with service-level objectives.",
		},
	},
	{
		ID: FactorChurn, Title: "Appetite for change", Role: RoleCapability, Weight: 1,
		Question: "Can teams keep up with a fast-moving ecosystem: upgrades every few months, tools replaced within a couple of years?",
		Levels: [5]string{
			"Changes are rare and feared; upgrades slip for years.",
			"Upgrades happen, late and painfully.",
			"Upgrades happen yearly, with planning.",
			"Regular upgrades are routine.",
			"Teams follow upstream releases and adopt changes continuously.",
		},
	},
	{
		ID: FactorScale, Title: "Organisational complexity", Role: RoleBenefit, Weight: 2,
		Question: "How many teams and services are there, and is the contract that operations runs what development writes straining (tickets operations cannot support)?",
		Levels: [5]string{
			"One or two teams; the contract works.",
			"A few teams; occasional friction.",
			"Several teams; regular waits on operations.",
			"Many teams; operations is a bottleneck.",
			"Many teams and services; operations cannot support what is being built.",
		},
	},
	{
		ID: FactorExperiment, Title: "Room to experiment", Role: RoleCapability, Weight: 1,
		Question: "May small teams try new tools in sandboxes?",
		Levels: [5]string{
			"No: every change goes through central approval.",
			"Rarely, by exception.",
			"Sandboxes exist, on request.",
			"Teams have sandbox accounts and time to use them.",
			"Experiments are encouraged, funded and shared.",
		},
	},
	{
		ID: FactorStatusQuo, Title: "Current platform health", Role: RoleBenefit, Inverted: true, Weight: 2.5,
		Question: "Does today's ASG + ELB platform meet the needs of the business? This is the counterweight: Kubernetes is not necessary for everyone.",
		Levels: [5]string{
			"No: frequent incidents, slow changes, unhappy teams.",
			"It often falls short.",
			"Adequate, with known pain points.",
			"It works well; the pain is minor.",
			"It meets every need; nobody is asking for change.",
		},
	},
}

func factorInfo(id string) (FactorInfo, bool) {
	for _, f := range factors {
		if f.ID == id {
			return f, true
		}
	}
	return FactorInfo{}, false
}
