package assess

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"whyk8s/inventory"
)

// state is what one rule concluded about one workload.
type state int

const (
	// unknown: the evidence that would decide the rule is missing; lowers confidence.
	unknown state = iota
	// notApplicable: the rule does not apply (no load balancer to be sticky, a bonus that is
	// absent); neither scores nor lowers confidence.
	notApplicable
	// pass: the favourable side of the rule holds, with evidence.
	pass
	// fail: the unfavourable side holds, with evidence.
	fail
)

func (s state) String() string {
	return [...]string{"unknown", "n/a", "pass", "fail"}[s]
}

// result is a rule's conclusion on one workload, with the evidence behind it.
type result struct {
	State    state
	Detail   string
	Evidence []inventory.Evidence
	// Effort, when set, is the blocker's effort as this finding shows it, in place of the
	// rule's own (Rule.Blocker): configuration applied at boot from a template we read is
	// less work to move than an agent converging from a server.
	Effort string
}

// subject is one workload with everything a rule may look at, resolved once: the group, its
// image, load balancers, target groups and linked scripts. Rules read it and nothing else.
type subject struct {
	g       *inventory.AutoScalingGroup
	image   *inventory.Image
	classic []*inventory.ClassicLoadBalancer
	tgs     []*inventory.TargetGroup
	// albs are the elbv2 load balancers in front of the target groups.
	albs    []*inventory.LoadBalancer
	scripts []linkedScript
	// cited are files linked only because a linked script's facts cite them: listed with
	// the workload, their own facts not read (inventory.LinkEvidence).
	cited []linkedScript
	now   time.Time
	// stages says when each script of the estate runs, from the scripts alone (scriptStages).
	stages stages
	// notRead are the files scripts run or pull in that are not in the folders read, by the
	// path of the script that names them (estateIndex.notRead).
	notRead map[string][]inventory.CoverageGap
	// factsOf keeps what stagedFacts returned for each list of kinds: the rules ask for
	// the same kinds again and again.
	factsOf map[string]factSet
	// fromCode is set on a provisional workload made from provisioning code alone, before
	// any AWS facts (see provisional.go): the group is a stand-in that knows nothing.
	fromCode *CodeOrigin
	// hostsUnknown says why what the instances run is in part unknown: which part of a
	// site manifest or top file applies to them could not be told (narrowToHosts).
	hostsUnknown string
}

// linkedScript is a script linked to the subject's workload and the link that ties them.
type linkedScript struct {
	s    *inventory.Script
	link inventory.Link
}

// provisioningKinds are script kinds whose content says what an instance runs; a workload
// linked to one of them has visible provisioning, so the absence of a fact in them is
// evidence. Variables files and manifests describe nothing that runs.
var provisioningKinds = map[string]bool{
	inventory.ScriptPackerJSON: true, inventory.ScriptPackerHCL: true,
	inventory.ScriptAnsiblePlay: true, inventory.ScriptAnsibleTasks: true,
	inventory.ScriptTemplate: true, inventory.ScriptShell: true, inventory.ScriptCloudConfig: true, inventory.ScriptIgnition: true,
	inventory.ScriptPowerShell: true, inventory.ScriptMIME: true, inventory.ScriptUserData: true,
	inventory.ScriptCloudFormation: true, inventory.ScriptTerraform: true, inventory.ScriptImageBuilder: true,
	inventory.ScriptCompose: true, inventory.ScriptAppSpec: true, inventory.ScriptChefRecipe: true, inventory.ScriptPuppetManifest: true,
	inventory.ScriptSaltState: true,
}

func isPacker(kind string) bool {
	return kind == inventory.ScriptPackerJSON || kind == inventory.ScriptPackerHCL || kind == inventory.ScriptPackerManifest
}

// buildsImage reports the kinds of script that make an image: Packer's, and an instance
// CloudFormation configures to make an AMI of.
func buildsImage(kind string) bool {
	return isPacker(kind) || kind == inventory.ScriptImageBuilder
}

// provisioned reports whether the workload's provisioning is visible in linked scripts.
func (s *subject) provisioned() bool {
	for _, ls := range s.scripts {
		if provisioningKinds[ls.s.Kind] {
			return true
		}
	}
	return false
}

// provisioningEvidence names the linked provisioning scripts: the places where a fact was
// looked for and not found.
func (s *subject) provisioningEvidence() []inventory.Evidence {
	var ev []inventory.Evidence
	for _, ls := range s.scripts {
		if provisioningKinds[ls.s.Kind] {
			ev = append(ev, inventory.Evidence{File: ls.s.Path})
		}
	}
	return ev
}

func (s *subject) provisioningCount() int { return len(s.provisioningEvidence()) }

// facts returns the linked scripts' facts of the given kinds, in script then line order.
// The slice is shared by every caller that asks for the same kinds: read it, never change
// it.
func (s *subject) facts(kinds ...inventory.FactKind) []inventory.Fact {
	fs, _ := s.stagedFacts(kinds...)
	return fs
}

// stagedFacts is facts and, index for index, the stage each fact's script runs at for this
// workload. Both slices are shared like facts'.
func (s *subject) stagedFacts(kinds ...inventory.FactKind) ([]inventory.Fact, []stage) {
	// The kinds, a byte each, key the memo: a hit is looked up without an allocation.
	var buf [16]byte
	kb := buf[:0]
	for _, k := range kinds {
		kb = append(kb, byte(k))
	}
	if set, ok := s.factsOf[string(kb)]; ok {
		return set.facts, set.at
	}
	key := string(kb)
	// Counted first, so that the two lists are allocated once each: the rules ask for
	// facts of every workload, and facts are large.
	n := 0
	for _, ls := range s.scripts {
		for i := range ls.s.Facts {
			if slices.Contains(kinds, ls.s.Facts[i].Kind) {
				n++
			}
		}
	}
	if n == 0 {
		s.remember(key, factSet{})
		return nil, nil
	}
	out := make([]inventory.Fact, 0, n)
	at := make([]stage, 0, n)
	// The same fact can reach a workload through two scripts: a role's package list is a
	// fact of its defaults file and of the task that installs it, both placed on the line
	// that names the package. It is one piece of evidence.
	type place struct {
		kind         inventory.FactKind
		detail, file string
		line         int
	}
	seen := map[place]bool{}
	for _, ls := range s.scripts {
		st := linkStage(ls, s.stages)
		for _, f := range ls.s.Facts {
			if !slices.Contains(kinds, f.Kind) {
				continue
			}
			f = ls.s.Placed(f)
			key := place{f.Kind, f.Detail(), f.Evidence.File, f.Evidence.Line}
			if !seen[key] {
				seen[key] = true
				out = append(out, f)
				at = append(at, s.stages.of(ls.s, &f, st))
			}
		}
	}
	out, at = slices.Clip(out), slices.Clip(at)
	s.remember(key, factSet{out, at})
	return out, at
}

// factSet is what stagedFacts found for one list of kinds.
type factSet struct {
	facts []inventory.Fact
	at    []stage
}

func (s *subject) remember(key string, set factSet) {
	if s.factsOf == nil {
		s.factsOf = map[string]factSet{}
	}
	s.factsOf[key] = set
}

func factEvidence(fs []inventory.Fact) []inventory.Evidence {
	ev := make([]inventory.Evidence, 0, len(fs))
	for _, f := range fs {
		ev = append(ev, f.Evidence.Evidence())
	}
	return ev
}

// factDetails lists the distinct details of the facts, sorted, for a signal's detail line.
func factDetails(fs []inventory.Fact) string {
	seen := map[string]bool{}
	var ds []string
	for _, f := range fs {
		d := f.Detail()
		if d == "" {
			d = f.Kind.String()
		}
		if !seen[d] {
			seen[d] = true
			ds = append(ds, d)
		}
	}
	sort.Strings(ds)
	return strings.Join(ds, ", ")
}

// hurtsByFacts is the check of a rule that fails when linked scripts show one of the facts
// it reads, passes when scripts are linked and none shows it, and is unknown without
// scripts.
func hurtsByFacts(found string) func(*subject, seen) result {
	return func(s *subject, in seen) result {
		if fs := in.facts; len(fs) > 0 {
			return result{State: fail, Detail: found + ": " + factDetails(fs), Evidence: factEvidence(fs)}
		}
		return absentInScripts(s, pass)
	}
}

// helpsByFacts passes when a fact shows the favourable practice and fails when scripts are
// linked and none shows it.
func helpsByFacts(found string) func(*subject, seen) result {
	return func(s *subject, in seen) result {
		if fs := in.facts; len(fs) > 0 {
			return result{State: pass, Detail: found + ": " + factDetails(fs), Evidence: factEvidence(fs)}
		}
		return absentInScripts(s, fail)
	}
}

// bonusByFacts passes when a fact shows the practice and does not apply otherwise.
func bonusByFacts(found string) func(*subject, seen) result {
	return func(s *subject, in seen) result {
		if fs := in.facts; len(fs) > 0 {
			return result{State: pass, Detail: found + ": " + factDetails(fs), Evidence: factEvidence(fs)}
		}
		return result{State: notApplicable}
	}
}

// absentInScripts is the conclusion when a fact was looked for and not found: st when what
// the instance runs is visible in linked scripts, unknown otherwise.
func absentInScripts(s *subject, st state) result {
	if ok, why := s.contentsVisible(); !ok {
		return result{State: unknown, Detail: why}
	}
	n := s.provisioningCount()
	return result{State: st, Detail: "not found in the " + plural(n, "linked provisioning script") + s.notReadCaveat(), Evidence: s.provisioningEvidence()}
}

// notReadCaveat says, for a judgement made on what the linked scripts do not show, which
// file they run or pull in was not in the folders read: a playbook an image build runs
// may install what no script read shows. Empty when everything they name was read.
func (s *subject) notReadCaveat() string {
	var missing, unread []string
	for _, ls := range s.scripts {
		// The first of each kind a script names: where to look, not a list.
		if gap := firstGap(s.notRead[ls.s.Path], inventory.GapNotFound); gap != nil {
			missing = append(missing, inventory.Evidence{File: gap.Path, Line: gap.Line}.String())
		}
		if gap := firstGap(s.notRead[ls.s.Path], inventory.GapNotRead); gap != nil {
			unread = append(unread, inventory.Evidence{File: gap.Path, Line: gap.Line}.String())
		}
	}
	var says []string
	if len(missing) > 0 {
		says = append(says, "what "+joinMax(missing, 2)+" runs or includes is not all in the folders read")
	}
	if len(unread) > 0 {
		says = append(says, "what "+joinMax(unread, 2)+" runs is in part in a language whyk8s does not read")
	}
	if len(says) == 0 {
		return ""
	}
	return " (" + strings.Join(says, "; ") + ")"
}

// contentsVisible reports whether the linked scripts show everything the instance runs: they
// must include provisioning, and the image must be either built by a linked script or a stock
// distribution image (so that whatever is on it was put there by the scripts we read). A
// custom AMI of unknown origin may hold anything; the absence of a fact from its user data
// then proves nothing.
func (s *subject) contentsVisible() (bool, string) {
	if env, ok := s.g.Tags[beanstalkTag]; ok {
		// Elastic Beanstalk makes the group and its user data; its platform installs the
		// application bundle, which no script read holds.
		return false, "the group is Elastic Beanstalk's (environment " + env + "): its platform deploys the application bundle, which is not read"
	}
	if !s.provisioned() {
		return false, "no provisioning script is linked to this workload"
	}
	if s.imageBuilt() || s.stockImage() || s.builtAtBoot() || s.provisional() && s.showsSoftware() {
		// A host whose software is installed at boot runs what its boot code installs, and
		// a provisional workload is what its code builds: what the code shows is what runs.
		// Unless the code only readies the host for a deployment agent that brings the
		// application later: what it deploys is the workload, and it is not read.
		if why, ok := s.handedOver(); ok {
			return false, why
		}
		return true, ""
	}
	if s.provisional() {
		return false, "the code read shows no software it installs or runs, so what would run is not visible"
	}
	id := s.g.Launch.ImageID
	if id == "" {
		id = "the image"
	}
	if s.marketplaceImage() {
		return false, id + " is a Marketplace image (" + s.image.Name + "): what its vendor installed is not read"
	}
	return false, id + " is neither built by a linked script nor a stock image, so what it holds is not visible"
}

// revisionRead reports a CodeDeploy revision linked to the workload: its AppSpec file says
// what the agent installs and runs, and its hooks are read as the workload's scripts.
func (s *subject) revisionRead() bool {
	for _, ls := range s.scripts {
		if ls.s.Kind == inventory.ScriptAppSpec {
			return true
		}
	}
	return false
}

// unreadRun is the first script the linked scripts run that is not read: one in a language
// no reader reads (python3 setup.py, a CodeDeploy hook in Python), or a hook of a linked
// CodeDeploy revision that is not in the folders. The hooks are where the agent installs
// and starts the application, so the ones read do not show all it runs. A file another
// script names and the folders do not hold (a playbook, a role) is a caveat, not this.
func (s *subject) unreadRun() *inventory.CoverageGap {
	for _, ls := range s.scripts {
		if gap := firstGap(s.notRead[ls.s.Path], inventory.GapNotRead); gap != nil {
			return gap
		}
		if ls.s.Kind == inventory.ScriptAppSpec {
			if gap := firstGap(s.notRead[ls.s.Path], inventory.GapNotFound); gap != nil {
				return gap
			}
		}
	}
	return nil
}

// firstGap is the first gap of the kind given, or nil.
func firstGap(gaps []inventory.CoverageGap, kind string) *inventory.CoverageGap {
	for i := range gaps {
		if gaps[i].Kind == kind {
			return &gaps[i]
		}
	}
	return nil
}

// beanstalkTag is the tag Elastic Beanstalk puts on the groups of its environments.
const beanstalkTag = "elasticbeanstalk:environment-name"

// deployAgents are the services that install the application on an instance after it
// boots, from revisions kept outside the instance's own code.
var deployAgents = map[string]bool{"codedeploy-agent": true}

// handedOver reports, with the reason, linked scripts that only ready the host for
// something that brings what it runs from outside the folders read, and show no application
// of their own (no service but agents, no container, data store or batch framework): a
// deployment agent (deployAgents), or a CodeDeploy deployment group naming the group, whose
// revision is not linked, configuration management
// that converges from a server or a repository pulled at boot (chef-client, a Puppet or Salt
// agent, ansible-pull), or a script fetched at boot and run that no folder read holds. What such a host runs is not in its boot code, so the absence of a
// database or a volume from it proves nothing. A playbook run from the host's own disk is
// not handed over: it is a file the code names, reported as not read where it is not.
func (s *subject) handedOver() (string, bool) {
	var agent, cm, fetched *inventory.Fact
	fs := s.facts(inventory.FactService, inventory.FactDocker, inventory.FactDatabase, inventory.FactBatchML, inventory.FactConfigMgmt, inventory.FactBootWork)
	var read configShown
	for _, ls := range s.scripts {
		read.playbook = read.playbook || ls.s.Kind == inventory.ScriptAnsiblePlay
		read.recipe = read.recipe || ls.s.Kind == inventory.ScriptChefRecipe
		read.manifest = read.manifest || ls.s.Kind == inventory.ScriptPuppetManifest
		read.states = read.states || ls.s.Kind == inventory.ScriptSaltState
	}
	playbookRead := read.playbook
	for i := range fs {
		switch f := &fs[i]; {
		case f.Kind == inventory.FactBootWork:
			if fetched == nil && (f.Class == inventory.ClassFetchedScript || f.Class == inventory.ClassPipeToShell && !s.saysWhatItInstalls(f)) {
				fetched = f
			}
		case f.Kind == inventory.FactConfigMgmt:
			if cm == nil && !configRead(*f, read) {
				cm = f
			}
		case f.Kind == inventory.FactService && deployAgents[f.Name]:
			if agent == nil {
				agent = f
			}
		case f.Kind != inventory.FactService || !isAgent(f):
			return "", false // an application of its own
		}
	}
	switch {
	case s.hostsUnknown != "":
		return s.hostsUnknown, true
	case s.deployedFromOutside() != nil:
		d := s.deployedFromOutside()
		if d.Service == inventory.DeploySSM {
			return "its instances are configured after boot by a Systems Manager association (" + associationText(*d) + "), whose document's content is not read", true
		}
		return "its application is deployed by AWS CodeDeploy (" + deploymentText(*d) + "), whose revisions are not in the folders read", true
	case agent != nil && !s.revisionRead():
		return "its application is deployed by AWS CodeDeploy (" + agent.Evidence.String() + "), whose revisions are not in the folders read", true
	case s.unreadRun() != nil:
		gap := s.unreadRun()
		return "what it runs is in part in code that is not read (" + inventory.Evidence{File: gap.Path, Line: gap.Line}.String() + ": " + gap.Message + ")", true
	case cm != nil && convergesFromServer(*cm, playbookRead):
		return "what it runs is configured by " + cm.Name + " (" + cm.Evidence.String() + ") from " + convergeSource(*cm) + ", which is not in the folders read", true
	case cm != nil:
		return "what it runs is configured by " + cm.Name + " (" + cm.Evidence.String() + ") from " + localConfig(*cm) + ", which whyk8s does not read", true
	case fetched != nil && fetched.Class == inventory.ClassPipeToShell:
		return "what it runs is installed by a script fetched at boot from " + orDefault(fetched.Address(), "a URL") + " and run straight away (" + fetched.Evidence.String() + "), which is not in the folders read", true
	case fetched != nil:
		return "what it runs is installed by " + fetched.Path() + " (" + fetched.Evidence.String() + "), fetched at boot from " + fetched.Address() + ", which is not in the folders read", true
	}
	return "", false
}

// saysWhatItInstalls reports a script fetched and piped to a shell (curl | bash) whose
// address the vocabulary knows: the reader then put what it installs (docker, k3s, an
// agent) beside it, at the same line.
func (s *subject) saysWhatItInstalls(pipe *inventory.Fact) bool {
	for _, ls := range s.scripts {
		for i := range ls.s.Facts {
			f := &ls.s.Facts[i]
			if f.Kind != inventory.FactBootWork && f.Evidence.File == pipe.Evidence.File && f.Evidence.Line == pipe.Evidence.Line {
				return true
			}
		}
	}
	return false
}

// deployedFromOutside is the first deployment that puts what the group runs on its
// instances from outside its code: a CodeDeploy deployment group whose revision is not
// linked, or an association whose document configures (not one that patches or
// inventories).
func (s *subject) deployedFromOutside() *inventory.Deployment {
	for i := range s.g.Deployments {
		d := &s.g.Deployments[i]
		// An association whose commands or playbook are read brings nothing from outside:
		// they are a linked script (scripts.ReadAssociations).
		if d.Configures() && (d.Service == inventory.DeploySSM && !s.associationRead(d) || d.Service != inventory.DeploySSM && !s.revisionRead()) {
			return d
		}
	}
	return nil
}

// associationRead reports an association whose content is read: the script of its commands,
// or of the playbook it applies found in the folders, is linked to the group.
func (s *subject) associationRead(d *inventory.Deployment) bool {
	for _, ls := range s.scripts {
		if ls.s.Path == d.ScriptPath() && (len(ls.s.Facts) > 0 || len(ls.s.References) > 0 || d.Commands != "") {
			return true
		}
	}
	return false
}

// associationText names an association for a reason: its name, document, source and
// target as far as known, and where it is defined.
func associationText(d inventory.Deployment) string {
	t := "association " + orDefault(d.DeploymentGroup, "not named in the code") + " running " + orDefault(d.Application, "a document not named in the code")
	if d.Revision != "" {
		t += " from " + d.Revision
	}
	if d.Target != "" {
		t += ", targeting " + d.Target
	}
	return t + ", " + deploymentPlace(d)
}

// deploymentText names a deployment group for a reason: its name, application and
// revision as far as known, and where it is defined.
func deploymentText(d inventory.Deployment) string {
	t := "deployment group " + orDefault(d.DeploymentGroup, "not named in the code")
	if d.Application != "" {
		t += " of application " + d.Application
	}
	if d.Revision != "" {
		t += ", revisions from " + d.Revision
	}
	return t + ", " + deploymentPlace(d)
}

// deploymentPlace is where a deployment is defined: its file and line in the code, or its
// ARN when it was collected from AWS.
func deploymentPlace(d inventory.Deployment) string {
	if at, ok := d.Places[""]; ok && at.File != "" {
		return inventory.Evidence{File: at.File, Line: at.Line}.String()
	}
	return d.Source
}

// convergeSource says where configuration management that converges from outside the code
// gets what it applies.
func convergeSource(f inventory.Fact) string {
	switch {
	case f.Via == inventory.ViaPullURL && f.Address() != "":
		return "the repository it pulls (" + f.Address() + ")"
	case f.Name == "ansible-pull":
		return "the repository it pulls"
	case strings.HasPrefix(f.Name, "chef") || strings.HasPrefix(f.Name, "cinc") || f.Name == "knife":
		return "a Chef server's run list"
	case f.Name == "puppet":
		return "a Puppet server's catalog"
	case strings.HasPrefix(f.Name, "salt"):
		return "a Salt master's states"
	}
	return "a configuration server"
}

// localConfig names what configuration management applies from the host's own disk:
// cookbooks for chef-solo, manifests for puppet apply, states for a masterless Salt.
func localConfig(f inventory.Fact) string {
	switch {
	case strings.HasPrefix(f.Name, "chef") || strings.HasPrefix(f.Name, "cinc") || f.Name == "converge":
		return "Chef cookbooks on the host"
	case strings.HasPrefix(f.Name, "puppet"):
		return "Puppet manifests on the host"
	case strings.HasPrefix(f.Name, "salt"):
		return "Salt states on the host"
	}
	return "configuration on the host"
}

// marketplaceImage reports whether the workload runs a vendor's AWS Marketplace image: its
// origin is known, but not what the vendor put on it.
func (s *subject) marketplaceImage() bool {
	return s.image != nil && s.image.OwnerAlias == "aws-marketplace"
}

// imageBuilt reports whether a linked script builds the workload's image.
func (s *subject) imageBuilt() bool {
	for _, ls := range s.scripts {
		if buildsImage(ls.s.Kind) {
			return true
		}
	}
	return len(s.facts(inventory.FactImageBuild)) > 0
}

// stockOwners are the AWS account ids that publish distribution images.
var stockOwners = map[string]bool{
	"137112412989": true, // Amazon Linux
	"801119661308": true, // Amazon Windows
	"099720109477": true, // Canonical (Ubuntu)
	"136693071363": true, // Debian
	"309956199498": true, // Red Hat
	"013907871322": true, // SUSE
	"125523088429": true, // CentOS
	"792107900819": true, // Rocky Linux
	"amazon":       true, // the alias DescribeImages reports for Amazon-owned images
}

// stockNamePrefixes are the name prefixes of distribution images, for images whose owner
// was not recorded.
var stockNamePrefixes = []string{
	"ubuntu/images/", "ubuntu-pro-server/", "amzn2-ami-", "amzn-ami-", "al2023-ami-", "debian-",
	"RHEL-", "Windows_Server-", "suse-sles-", "CentOS", "Rocky-",
}

// stockImage reports whether the workload runs a distribution image as published, or
// another image AWS publishes (a Deep Learning or ECS-optimised AMI): what those hold is
// documented by AWS, and nothing of the client's is on them.
func (s *subject) stockImage() bool {
	im := s.image
	if im == nil {
		return false
	}
	if stockOwners[im.OwnerID] || im.OwnerAlias == "amazon" {
		return true
	}
	for _, p := range stockNamePrefixes {
		if strings.HasPrefix(im.Name, p) {
			return true
		}
	}
	return false
}

// Evidence from AWS: the resource's ARN and the API field, as the API names it. For a
// resource read from infrastructure code, the file and line too: where the code writes
// the field (or, when a caller sets its value, where the caller does), else the nearest
// part that it does write, else the resource itself.

// withPlace completes evidence with the place of field among places, when it is known.
func withPlace(ev inventory.Evidence, places inventory.Places, field string) inventory.Evidence {
	if p, ok := places.At(field); ok && ev.File == "" {
		ev.File, ev.Line = p.Cited()
	}
	return ev
}

func (s *subject) groupEv(field, value string) inventory.Evidence {
	arn := s.g.ARN
	if arn == "" {
		arn = s.g.ID()
	}
	places, sub := s.groupPlaces(field)
	return withPlace(inventory.Evidence{ARN: arn, Field: "AutoScalingGroup." + field, Value: value}, places, sub)
}

// groupPlaces finds the places a group field is recorded in: a policy's, schedule's or
// hook's own for "ScalingPolicies[name].Field" and the like, else the group's.
func (s *subject) groupPlaces(field string) (inventory.Places, string) {
	list, rest, ok := strings.Cut(field, "[")
	if !ok {
		return s.g.Places, field
	}
	name, sub, _ := strings.Cut(rest, "]")
	sub = strings.TrimPrefix(sub, ".")
	switch list {
	case "ScalingPolicies":
		for _, p := range s.g.ScalingPolicies {
			if p.Name == name && p.Places != nil {
				return p.Places, sub
			}
		}
	case "ScheduledActions":
		for _, a := range s.g.ScheduledActions {
			if a.Name == name && a.Places != nil {
				return a.Places, sub
			}
		}
	case "LifecycleHooks":
		for _, h := range s.g.LifecycleHooks {
			if h.Name == name && h.Places != nil {
				return h.Places, sub
			}
		}
	}
	return s.g.Places, field
}

// launchEv names a launch data field as the launch template or configuration API spells it.
func (s *subject) launchEv(ltField, lcField, value string) inventory.Evidence {
	src := s.g.Launch.Source
	field := "LaunchTemplateData." + ltField
	if s.g.LaunchConfiguration != "" {
		field = "LaunchConfiguration." + lcField
		if src == "" {
			src = "launch-configuration " + s.g.LaunchConfiguration
		}
	} else if src == "" {
		src = s.g.ID()
	}
	// Code keeps a launch configuration's places under the launch template's names too.
	return withPlace(inventory.Evidence{ARN: src, Field: field, Value: value}, s.g.Launch.Places, ltField)
}

func imageARN(im *inventory.Image) string {
	if inventory.FromCode(im.ID) {
		return im.ID // an image known from Terraform or CloudFormation: its place in the code
	}
	return "arn:aws:ec2:" + im.Region + "::image/" + im.ID
}

func (s *subject) imageEv(field, value string) inventory.Evidence {
	return imageEv(s.image, field, value)
}

func imageEv(im *inventory.Image, field, value string) inventory.Evidence {
	return withPlace(inventory.Evidence{ARN: imageARN(im), Field: "Image." + field, Value: value}, im.Places, field)
}

func tgEv(tg *inventory.TargetGroup, field, value string) inventory.Evidence {
	return withPlace(inventory.Evidence{ARN: tg.ARN, Field: "TargetGroup." + field, Value: value}, tg.Places, field)
}

func clbEv(lb *inventory.ClassicLoadBalancer, field, value string) inventory.Evidence {
	return withPlace(inventory.Evidence{ARN: lb.ARN(), Field: "LoadBalancerDescription." + field, Value: value}, lb.Places, field)
}

// hasLoadBalancer reports whether the group receives traffic through a load balancer we know.
func (s *subject) hasLoadBalancer() bool { return len(s.classic)+len(s.tgs) > 0 }

// instanceTypes lists the group's instance types: the launch spec's and the mixed policy's.
func (s *subject) instanceTypes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	add(s.g.Launch.InstanceType)
	if s.g.MixedInstances != nil {
		for _, t := range s.g.MixedInstances.InstanceTypes {
			add(t)
		}
	}
	sort.Strings(out)
	return out
}

// isAcceleratorType reports whether an instance type has GPUs or ML accelerators: the
// p and g families, and inf, trn and dl.
func isAcceleratorType(t string) bool {
	family, _, _ := strings.Cut(strings.ToLower(t), ".")
	for _, p := range []string{"inf", "trn", "dl", "gr"} {
		if strings.HasPrefix(family, p) && len(family) > len(p) && isDigit(family[len(p)]) {
			return true
		}
	}
	return len(family) >= 2 && (family[0] == 'p' || family[0] == 'g') && isDigit(family[1])
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// joinMax joins up to max items and says how many more there are.
func joinMax(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + " and " + strconv.Itoa(len(items)-max) + " more"
}

// agree picks the verb form for a count: agree(1, "needs", "need").
func agree(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
