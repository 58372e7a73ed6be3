package inventory

import (
	"sort"
	"strconv"
)

// Script is one provisioning file read by whyk8s — a Packer template, an Ansible playbook or
// role file, a shell user-data script, a cloud-config — or the user data of a launch
// template or configuration, with the facts found in it and the workloads it is linked to.
type Script struct {
	// Path identifies the script: relative to its scan root with forward slashes (prefixed
	// by the root when several roots are scanned), or "userdata:<source>" for user data
	// collected from AWS.
	Path string `json:"path"`
	// Kind is what the reader recognised; see the Script* constants.
	Kind  string `json:"kind"`
	Bytes int64  `json:"bytes"`
	// Name is a human name for linking: the Packer build or source name, the playbook's
	// play name, the AMI name pattern…
	Name string `json:"name,omitempty"`
	// AMINamePatterns are the ami_name values a Packer template builds (variables left as
	// written, e.g. "orders-api-{{timestamp}}"), used to link by image name.
	AMINamePatterns []string `json:"amiNamePatterns,omitempty"`
	// Artifacts are AMIs a Packer manifest.json says the template built.
	Artifacts []Artifact `json:"artifacts,omitempty"`
	// References are other scripts this one pulls in, as resolved paths in the same Path
	// form: a playbook named by a Packer provisioner, a role, an included task file, a
	// shell script file. The linker propagates links along them.
	References []Reference `json:"references,omitempty"`
	// ContentHash identifies the script's text (secrets redacted, line endings and trailing
	// blanks normalised), so that a file in the repository holding exactly a group's user
	// data is recognised as that group's whatever it is called.
	ContentHash string `json:"contentHash,omitempty"`
	Facts       []Fact `json:"facts,omitempty"`
	Links       []Link `json:"links,omitempty"`
	// ImageBuilders are the instances a CloudFormation template configures to make the
	// image its launch configurations or templates launch: the facts on their lines are
	// work done when the image is made, not at boot.
	ImageBuilders []ImageBuilder `json:"imageBuilders,omitempty"`
	// Hosts are the parts of the script that apply to different kinds of host: the node
	// definitions of a Puppet site manifest, the targets of a Salt top file. What is
	// written outside every part applies to all of them.
	Hosts []HostSection `json:"hosts,omitempty"`
}

// HostSection is a part of a script that applies to one kind of host.
type HostSection struct {
	// Name is how the script names the hosts: a node definition's names or pattern
	// (/^web\d+/, 'db01', default), a top file's target ('web*').
	Name string `json:"name"`
	// FromLine and ToLine are the lines of the script the part is written on.
	FromLine int `json:"fromLine"`
	ToLine   int `json:"toLine"`
}

// Holds reports whether line is inside the part.
func (h HostSection) Holds(line int) bool { return h.FromLine <= line && line <= h.ToLine }

// ImageBuilder is an instance configured (by its user data and cfn-init) to make an image
// of: an AMI made from it (a Custom::CreateAMI, a nested stack given its id) is the one a
// launch configuration or template launches.
type ImageBuilder struct {
	// Name is the instance's logical id.
	Name string `json:"name"`
	// FromLine and ToLine are the lines of the script the instance is written on.
	FromLine int `json:"fromLine"`
	ToLine   int `json:"toLine"`
	// Image is the resource that makes the image of it.
	Image string `json:"image"`
	// ImageIDLines are the lines where a launch configuration or template takes its
	// ImageId from that resource.
	ImageIDLines []int `json:"imageIdLines,omitempty"`
	// Evidence is where that resource names the instance.
	Evidence Evidence `json:"evidence"`
}

// Kinds of script.
const (
	ScriptPackerJSON     = "packer-json"
	ScriptPackerHCL      = "packer-hcl"
	ScriptPackerVars     = "packer-vars"
	ScriptPackerManifest = "packer-manifest"
	ScriptAnsiblePlay    = "ansible-playbook"
	ScriptAnsibleTasks   = "ansible-tasks" // role tasks/handlers, included task files
	ScriptAnsibleVars    = "ansible-vars"  // role defaults/vars, group_vars, host_vars
	ScriptTemplate       = "template"      // Jinja templates used by Ansible
	ScriptShell          = "shell"
	ScriptCloudConfig    = "cloud-config"
	ScriptIgnition       = "ignition" // a Butane or Ignition config (Fedora CoreOS, Flatcar)
	ScriptCompose        = "compose"  // a Docker Compose file: the containers a host runs
	// ScriptAppSpec is a CodeDeploy AppSpec file: the hook scripts the agent runs to install
	// and start a revision (References), the revision's folder its Name.
	ScriptAppSpec = "codedeploy-appspec"
	// ScriptChefRecipe is a Chef recipe (a cookbook's recipes/*.rb): the packages, services,
	// containers, mounts and commands it declares, and the recipes it includes.
	ScriptChefRecipe = "chef-recipe"
	// ScriptChefRunList is a Chef node's or role's JSON, or a role written in Ruby
	// (roles/*.rb): the recipes and roles its run lists apply (References).
	ScriptChefRunList = "chef-run-list"
	// ScriptPuppetManifest is a Puppet manifest (.pp): the resources it declares and the
	// classes it includes (References).
	ScriptPuppetManifest = "puppet-manifest"
	// ScriptSaltState is a Salt state file (.sls): the states it applies and the state
	// files it includes; a top.sls names the states each minion applies (References).
	ScriptSaltState  = "salt-state"
	ScriptPowerShell = "powershell"
	ScriptMIME       = "mime-multipart"
	ScriptUserData   = "userdata" // user data collected from AWS; parts parsed by content
	// ScriptImageBuilder is an instance a CloudFormation template configures to make an image
	// of (Script.ImageBuilders): its facts, run when the image is made.
	ScriptImageBuilder   = "image-builder"
	ScriptCloudFormation = "cloudformation"
	ScriptTerraform      = "terraform"
)

// Artifact is one AMI recorded in a Packer manifest.json.
type Artifact struct {
	Region    string `json:"region"`
	ImageID   string `json:"imageId"`
	BuildName string `json:"buildName,omitempty"`
	// Template is the Packer template the build came from, when the manifest or its
	// location says so.
	Template string   `json:"template,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// Reference is one script pulling in another.
type Reference struct {
	Path string `json:"path"`
	// How: "ansible-provisioner", "shell-provisioner", "role", "include_tasks",
	// "import_playbook", "userdata-playbook"…
	How      string   `json:"how"`
	Evidence Evidence `json:"evidence"`
}

// Evidence is where a fact was seen: a file and line, or an ARN and API field.
type Evidence struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Excerpt is the line or expression as written, trimmed and with secrets redacted.
	Excerpt string `json:"excerpt,omitempty"`
	ARN     string `json:"arn,omitempty"`
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
}

// FactEvidence is a fact's evidence: the file and line it was read at, and the line as
// written (trimmed, secrets redacted). A fact is always read from a file, never from an
// AWS API field, so it keeps no ARN, field or value: a scan holds every fact at once, and
// those three strings would be 48 empty bytes on each. It marshals as Evidence does, and
// Evidence() gives it to a judgement that cites it.
type FactEvidence struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Excerpt string `json:"excerpt,omitempty"`
}

// Evidence is the fact's evidence as an Evidence, for a judgement that cites it.
func (p FactEvidence) Evidence() Evidence {
	return Evidence{File: p.File, Line: p.Line, Excerpt: p.Excerpt}
}

// String renders the place: "path:line" or "path".
func (p FactEvidence) String() string { return p.Evidence().String() }

// String renders the place of the evidence: "path:line", "path", or "arn field=value".
func (e Evidence) String() string {
	switch {
	case e.File != "" && e.Line > 0:
		return e.File + ":" + strconv.Itoa(e.Line)
	case e.File != "":
		return e.File
	}
	s := e.ARN
	if e.Field != "" {
		if s != "" {
			s += " "
		}
		s += e.Field
		if e.Value != "" {
			s += "=" + e.Value
		}
	}
	return s
}

// Link ties a script to a workload, with the reason and how sure we are.
type Link struct {
	Workload string `json:"workload"` // WorkloadID of the group
	// Reason is one of the Link* constants.
	Reason string `json:"reason"`
	// Detail explains the reason in words: "manifest.json: eu-west-1:ami-0abc",
	// "tag app=orders", "via packer/orders.pkr.hcl".
	Detail     string `json:"detail,omitempty"`
	Confidence string `json:"confidence"` // high, medium, low
}

// Link reasons.
const (
	LinkUserData      = "userdata"          // the script is the group's own user data
	LinkSameText      = "same-text"         // the file holds exactly the text of the group's user data
	LinkManifestAMI   = "manifest-ami"      // a Packer manifest built the group's AMI
	LinkAMIName       = "ami-name"          // the group's AMI name matches a template's ami_name
	LinkUserDataNames = "named-in-userdata" // the group's user data names the script (playbook, script file)
	LinkReference     = "referenced"        // pulled in by a linked script (provisioner, role, include)
	LinkTag           = "tag"               // a group tag (app, Name, packer_template…) names it
	LinkNameMatch     = "name-match"        // the group's name and the script's name match
	LinkImageBuilder  = "image-builder"     // the group's image is made from an instance the script configures
	LinkCodeDeploy    = "codedeploy"        // a deployment group deploys the application whose revision the AppSpec file is
	LinkSSM           = "ssm-association"   // a Systems Manager association runs the commands on the group's instances
	// LinkEvidence ties a file whose lines are cited for a linked script's facts (the role
	// defaults naming what a task installs, the template holding the user data): it shapes
	// the workload and is never unlinked, but its own other facts are not the workload's.
	LinkEvidence = "evidence"
)

// Link confidences.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// ScriptStats counts what a scan saw, so a report can say "412 files read, 37 skipped".
type ScriptStats struct {
	FilesSeen    int   `json:"filesSeen"`
	FilesRead    int   `json:"filesRead"`
	FilesSkipped int   `json:"filesSkipped"` // not a provisioning script; counted, not reported
	FilesFailed  int   `json:"filesFailed"`  // listed in coverage
	Bytes        int64 `json:"bytes"`
}

// Sort puts every list of the script in the canonical order: facts by CompareFacts,
// references by path then place, artifacts by region and image, links by workload.
func (s *Script) Sort() {
	sort.SliceStable(s.Facts, func(i, j int) bool { return CompareFacts(&s.Facts[i], &s.Facts[j]) < 0 })
	s.SortLists()
}

// SortLists is Sort for every list but the facts, for a caller that orders those itself.
func (s *Script) SortLists() {
	sort.SliceStable(s.References, func(i, j int) bool {
		a, b := &s.References[i], &s.References[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if c := CompareEvidence(a.Evidence, b.Evidence); c != 0 {
			return c < 0
		}
		return a.How < b.How
	})
	sort.SliceStable(s.Artifacts, func(i, j int) bool {
		return s.Artifacts[i].Region+s.Artifacts[i].ImageID < s.Artifacts[j].Region+s.Artifacts[j].ImageID
	})
	sort.Strings(s.AMINamePatterns)
	sort.SliceStable(s.Links, func(i, j int) bool {
		a, b := &s.Links[i], &s.Links[j]
		if a.Workload != b.Workload {
			return a.Workload < b.Workload
		}
		return a.Reason+a.Detail < b.Reason+b.Detail
	})
}

// FileOf is the file a fact of the script is written in: its evidence's (a role's file, the
// template a line of user data comes from), else the script's own.
func (s *Script) FileOf(f *Fact) string {
	if f.Evidence.File != "" {
		return f.Evidence.File
	}
	return s.Path
}

// Placed is a fact of the script as a judgement cites it: its evidence names its file, and a
// secret's excerpt is dropped — the scanner redacts values, but a finding about a secret names
// the kind and the place only, whatever the excerpt holds.
func (s *Script) Placed(f Fact) Fact {
	f.Evidence.File = s.FileOf(&f)
	if f.Kind == FactSecret {
		f.Evidence.Excerpt = ""
	}
	return f
}
