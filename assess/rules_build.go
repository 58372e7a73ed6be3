package assess

import (
	"strconv"
	"time"

	"whyk8s/inventory"
)

// staleImageDays is the AMI age past which images are no longer being rebuilt as a habit.
const staleImageDays = 180

// The build-and-delivery dimension's rule ids, for code elsewhere that names one of these
// rules.
const (
	RuleImmutableImage      = "FIT-IMMUTABLE-IMAGE"
	RuleBootConfigMgmt      = "FIT-BOOT-CONFIG-MGMT"
	RuleHeavyBoot           = "FIT-HEAVY-BOOT"
	RuleDockerPresent       = "FIT-DOCKER-PRESENT"
	RuleLaunchConfiguration = "FIT-LAUNCH-CONFIGURATION"
	RuleStaleImage          = "FIT-STALE-IMAGE"
)

func registerBuildRules(c *Catalogue) {
	c.Register(Rule{
		ID: RuleImmutableImage, Title: "Built as an immutable image (Packer)",
		Dimension: DimBuild, Direction: DirHelps, Weight: 10,
		Facts:       []inventory.FactKind{inventory.FactImageBuild, inventory.FactAnsibleProvisioner},
		Rationale:   "A team that bakes everything into an image and replaces instances rather than changing them already works the way containers need: a build produces an artefact, a deployment swaps it. An image-based operating system made to run containers (Fedora CoreOS, Flatcar, Bottlerocket) is such an image: its hosts are replaced, never changed in place.",
		Remediation: "Put the image build under version control (Packer or EC2 Image Builder) before moving; the same pipeline later builds the container image.",
		Kubernetes:  "Container image built in CI from a Dockerfile, deployed by a Deployment rollout",
		resources:   resourceReader{image: imageBasedOS},
		check:       checkImmutable,
	})
	c.Register(Rule{
		ID: RuleBootConfigMgmt, Title: "Configuration management run at boot (ansible-pull, chef-client, puppet)",
		Dimension: DimBuild, Direction: DirHurts, Weight: 6, Blocker: EffortM,
		Facts:       []inventory.FactKind{inventory.FactConfigMgmt},
		Rationale:   "Converging the instance at boot means two instances started an hour apart may differ, and startup depends on the config server. A container image must be complete when it is built. Configuration the code in scope holds (cfn-init metadata, a playbook we read) is a small blocker, the image build's steps written down; an agent of a server, or a repository pulled at boot, is the larger one.",
		Remediation: "Run the playbook or recipe in the image build instead of at boot; keep only per-environment settings for start time.",
		Kubernetes:  "Everything in the image; per-environment settings in ConfigMaps",
		// Configuration applied while an image is made (a Packer provisioner, an instance
		// CloudFormation configures to make the AMI of) is the practice this rule asks for.
		selects: func(_ *inventory.Fact, at stage) bool { return at != stageBuild },
		check:   checkBootConfigMgmt,
	})
	c.Register(Rule{
		ID: RuleHeavyBoot, Title: "Heavy work at boot (upgrades, compiles, downloads, curl | bash)",
		Dimension: DimBuild, Direction: DirHurts, Weight: 5, Blocker: EffortS,
		Facts:       []inventory.FactKind{inventory.FactBootWork},
		Rationale:   "Work done in user data slows every scale-out and makes each instance depend on package mirrors and download sites being up. In containers that work belongs in the image build.",
		Remediation: "Move upgrades, installs and downloads into the image build; leave user data with configuration only.",
		Kubernetes:  "Dockerfile build steps; initContainers only for per-start work",
		// Work a script does while the image is built is where it belongs.
		selects: func(_ *inventory.Fact, at stage) bool { return at != stageBuild },
		check:   checkHeavyBoot,
	})
	c.Register(Rule{
		ID: RuleDockerPresent, Title: "Docker already used on the instance",
		Dimension: DimBuild, Direction: DirBonus, Weight: 5,
		Facts:       []inventory.FactKind{inventory.FactDocker},
		Rationale:   "Software already shipped as a container image needs a manifest, not a rewrite; the team knows images and registries.",
		Remediation: "Reuse the image; write the Deployment from the docker run flags (ports, env, volumes).",
		Kubernetes:  "Deployment using the existing image",
		check:       bonusByFacts("docker"),
	})
	c.Register(Rule{
		ID: RuleLaunchConfiguration, Title: "Launch configuration instead of a launch template",
		Dimension: DimBuild, Direction: DirHurts, Weight: 2,
		Rationale:   "Launch configurations are unversioned and deprecated by AWS; changes are made by copying and swapping, which hints at manual delivery. Launch template versions are closer to declarative, versioned releases.",
		Remediation: "Migrate to a launch template (AWS provides a one-click copy) and deliver changes as new versions.",
		resources:   resourceReader{group: launchConfigurationUsed},
		check:       checkLaunchConfiguration,
	})
	c.Register(Rule{
		ID: RuleStaleImage, Title: "Image not rebuilt for more than " + strconv.Itoa(staleImageDays) + " days",
		Dimension: DimBuild, Direction: DirHurts, Weight: 3,
		Rationale:   "An AMI that has not been rebuilt in months means the build is not exercised; whoever makes the first container image will rediscover how the software is put together.",
		Remediation: "Rebuild the image from its scripts and deploy it once before the migration, to prove the build still works.",
		check:       checkStaleImage,
	})
}

func checkImmutable(s *subject, in seen) result {
	var ev []inventory.Evidence
	var how []string
	for _, ls := range s.scripts {
		switch {
		case ls.s.Kind == inventory.ScriptImageBuilder && len(ls.s.ImageBuilders) > 0:
			// Cited where the template makes the image of the instance.
			b := ls.s.ImageBuilders[0]
			ev = append(ev, b.Evidence)
			how = append(how, "instance "+b.Name+", made into an image by "+b.Image+" ("+b.Evidence.String()+")")
		case buildsImage(ls.s.Kind):
			ev = append(ev, inventory.Evidence{File: ls.s.Path})
			how = append(how, ls.s.Path+" ("+ls.link.Reason+")")
		}
	}
	for _, f := range in.facts {
		if !containsFile(ev, f.Evidence.File) {
			ev = append(ev, f.Evidence.Evidence())
			how = append(how, f.Evidence.String())
		}
	}
	if len(ev) > 0 {
		return result{State: pass, Detail: "image built by " + joinMax(how, 3), Evidence: ev}
	}
	// An operating system made to be replaced rather than changed, that runs its software
	// as containers, is the practice the rule looks for, whoever builds the image.
	if len(in.found) > 0 {
		c := in.found[0]
		return result{State: pass, Detail: "image-based operating system " + c.Detail + ": hosts are replaced, never changed in place, and run their software as containers", Evidence: c.Evidence}
	}
	// A stock image is the opposite of a baked one: everything the workload needs is put on
	// at boot. A custom image of unknown origin may well be baked by scripts we were not given.
	if s.stockImage() {
		return result{State: fail, Detail: "stock image " + s.image.Name + ", provisioned at boot",
			Evidence: []inventory.Evidence{s.imageEv("Name", s.image.Name)}}
	}
	if s.marketplaceImage() {
		return result{State: unknown, Detail: "Marketplace image " + s.image.Name + ": the vendor's product is baked in; whether the workload's own software is, is not known",
			Evidence: []inventory.Evidence{s.imageEv("ImageOwnerAlias", s.image.OwnerAlias)}}
	}
	if !s.provisioned() {
		return result{State: unknown, Detail: "no provisioning script is linked to this workload"}
	}
	return result{State: unknown, Detail: "no linked script builds " + orDefault(s.g.Launch.ImageID, "the image") + "; it may be baked by scripts not in scope"}
}

// checkBootConfigMgmt fails on configuration management run at boot. Its blocker is the
// rule's (M: the work must move into the image before the workload can) when anything
// converges from outside the code in scope — an agent of a Chef, Puppet or Salt server, a
// playbook pulled from a repository — and S when every run applies what the code itself
// holds (cfn-init's metadata in the template, a local playbook): that is provisioning
// written down, and becomes the Dockerfile's steps.
func checkBootConfigMgmt(s *subject, in seen) result {
	r := hurtsByFacts("run at boot")(s, in)
	if r.State != fail {
		return r
	}
	playbookRead := false
	for _, ls := range s.scripts {
		playbookRead = playbookRead || ls.s.Kind == inventory.ScriptAnsiblePlay
	}
	for _, f := range in.facts {
		if convergesFromServer(f, playbookRead) {
			return r
		}
	}
	r.Effort = EffortS
	return r
}

// convergesFromServer reports configuration management whose content is decided outside
// the code read: an agent of a configuration server, a repository pulled at boot, a
// playbook run at boot that no linked script is (fetched from a bucket, say). A tool named
// only through a variable (${puppet_cmd}) is not known to be local.
func convergesFromServer(f inventory.Fact, playbookRead bool) bool {
	if f.Via == inventory.ViaPullURL {
		return true
	}
	switch f.Name {
	case "cfn-init", "chef-solo", "chef-zero", "puppet-masterless", "salt-masterless", "powershell-dsc":
		return false
	case "ansible-playbook":
		return !playbookRead
	case "puppet":
		return f.Command() != "puppet apply"
	}
	return true
}

// configShown says which configuration the linked scripts read: a playbook, a Chef recipe,
// a Puppet manifest, a Salt state file.
type configShown struct{ playbook, recipe, manifest, states bool }

// configRead reports configuration management whose configuration whyk8s reads, or names
// where it is not in the folders: cfn-init's metadata in the template, a playbook, a DSC
// configuration in PowerShell, the recipes of a local Chef run or the manifest puppet apply
// applies, the states a masterless Salt run applies, when followed to files read. A Chef
// server's run list, a Puppet server's catalog and a Salt master's states are never read:
// what they install is not known.
func configRead(f inventory.Fact, read configShown) bool {
	switch f.Name {
	case "cfn-init", "powershell-dsc", "ansible-playbook":
		return true
	case "ansible-pull":
		return read.playbook // what it applies, wherever it was pulled from
	case "chef-solo", "chef-zero":
		return read.recipe
	case "puppet-masterless":
		return read.manifest
	case "salt-masterless":
		return read.states
	case "puppet":
		return f.Command() == "puppet apply" && read.manifest
	}
	return false
}

func containsFile(ev []inventory.Evidence, file string) bool {
	for _, e := range ev {
		if e.File == file {
			return true
		}
	}
	return false
}

func checkHeavyBoot(s *subject, in seen) result {
	var boot []inventory.Evidence
	for _, ls := range s.scripts {
		if linkStage(ls, s.stages) == stageBoot {
			boot = append(boot, inventory.Evidence{File: ls.s.Path})
		}
	}
	switch {
	case len(in.facts) > 0:
		return result{State: fail, Detail: "at boot: " + factDetails(in.facts), Evidence: factEvidence(in.facts)}
	case len(boot) > 0:
		return result{State: pass, Detail: "no heavy work in the " + plural(len(boot), "boot script"), Evidence: boot}
	case s.launchKnown() && s.g.Launch.UserData == "" && s.g.Launch.Known("UserData"):
		return result{State: pass, Detail: "no user data", Evidence: []inventory.Evidence{s.launchEv("UserData", "UserData", "empty")}}
	}
	return result{State: unknown, Detail: "the user data was not read"}
}

// launchConfigurationUsed reads a group launched from a launch configuration.
func launchConfigurationUsed(s *subject) []construct {
	lc := s.g.LaunchConfiguration
	if lc == "" {
		return nil
	}
	return []construct{{Kind: "launch-configuration", Title: "Launch configuration (deprecated by AWS) instead of a launch template",
		Detail: lc, Evidence: []inventory.Evidence{s.groupEv("LaunchConfigurationName", lc)}}}
}

func checkLaunchConfiguration(s *subject, in seen) result {
	switch {
	case len(in.found) > 0:
		return result{State: fail, Detail: "launch configuration " + in.found[0].Detail, Evidence: in.evidence()}
	case s.g.LaunchTemplate != nil:
		return result{State: pass, Detail: "launch template " + ltLabel(s.g.LaunchTemplate),
			Evidence: []inventory.Evidence{s.groupEv("LaunchTemplate.LaunchTemplateId", s.g.LaunchTemplate.ID)}}
	case s.g.MixedInstances != nil && s.g.MixedInstances.LaunchTemplate != nil:
		return result{State: pass, Detail: "launch template " + ltLabel(s.g.MixedInstances.LaunchTemplate),
			Evidence: []inventory.Evidence{s.groupEv("MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", s.g.MixedInstances.LaunchTemplate.ID)}}
	}
	return result{State: unknown, Detail: "the group names neither a launch template nor a launch configuration"}
}

func ltLabel(lt *inventory.LaunchTemplateRef) string {
	name := lt.ID
	if lt.Name != "" {
		name = lt.Name
	}
	v := lt.Version
	if lt.ResolvedVersion > 0 {
		v = strconv.FormatInt(lt.ResolvedVersion, 10)
	}
	if v == "" {
		return name
	}
	return name + " v" + v
}

// imageCreated parses the image's creation date as the EC2 API writes it.
func imageCreated(im *inventory.Image) (time.Time, bool) {
	if im == nil || im.CreationDate == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, im.CreationDate); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func checkStaleImage(s *subject, _ seen) result {
	created, ok := imageCreated(s.image)
	if !ok || s.now.IsZero() {
		return result{State: unknown, Detail: "the image's creation date is not known"}
	}
	days := int(s.now.Sub(created).Hours() / 24)
	ev := []inventory.Evidence{s.imageEv("CreationDate", s.image.CreationDate)}
	detail := strconv.Itoa(days) + " days old"
	if days > staleImageDays {
		return result{State: fail, Detail: detail, Evidence: ev}
	}
	return result{State: pass, Detail: detail, Evidence: ev}
}

// imageBasedOS reads an image of an operating system made to run containers and to be
// replaced, never changed in place (Fedora CoreOS, Flatcar, Bottlerocket, Talos): its
// system is read-only, its updates atomic, its configuration declared at first boot.
func imageBasedOS(im *inventory.Image) []construct {
	os, field, v := containerOS(im)
	if os == "" {
		return nil
	}
	return []construct{{Kind: "image-based-os", Title: "Image-based operating system (replaced, never changed in place)", Detail: os,
		Evidence: []inventory.Evidence{imageEv(im, field, v)}, Favourable: true}}
}
