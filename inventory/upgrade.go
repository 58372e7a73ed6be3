package inventory

import "strings"

// Version 1 of the snapshot kept a fact as a kind and a line of text ("detail"); version 2
// keeps typed fields. A version-1 snapshot is read into the shapes below and its facts
// upgraded, here and nowhere else: this is the only code that takes a detail apart.

// estateV1 is a version-1 snapshot: an estate whose scripts hold version-1 facts. The
// outer Scripts field hides the embedded one when decoding.
type estateV1 struct {
	Estate
	Scripts []scriptV1 `json:"scripts"`
}

type scriptV1 struct {
	Script
	Facts []factV1 `json:"facts,omitempty"`
}

type factV1 struct {
	Kind     FactKind `json:"kind"`
	Detail   string   `json:"detail,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// upgrade returns the version-2 estate of a version-1 snapshot.
func (v *estateV1) upgrade() *Estate {
	e := v.Estate
	e.SchemaVersion = SchemaVersion
	e.Scripts = make([]Script, len(v.Scripts))
	for i, s := range v.Scripts {
		e.Scripts[i] = s.Script
		e.Scripts[i].Facts = nil
		for _, f := range s.Facts {
			nf := UpgradeFact(f.Kind, f.Detail)
			nf.Evidence = FactEvidence{File: f.Evidence.File, Line: f.Evidence.Line, Excerpt: f.Evidence.Excerpt}
			e.Scripts[i].Facts = append(e.Scripts[i].Facts, nf)
		}
	}
	return &e
}

// UpgradeFact turns a version-1 fact, a kind and the detail whyk8s wrote for it, into a
// typed fact whose Detail reads the same; the vocabulary fills class, service and scope as
// it does for a fresh scan. What the text does not say (the package manager, a value
// behind a key) stays unknown.
func UpgradeFact(kind FactKind, detail string) Fact {
	// The fact is the upgrade's own: its params are set in place, and dropped below when
	// the detail sets none.
	f := Fact{Kind: kind, FactParams: &FactParams{}}
	d := detail
	if n, image, ok := containerDetail(kind, d); ok {
		// What a container's image is named for: "postgres (container postgres:15)".
		f.Name, f.Via, f.FactParams.Image = n, ViaContainer, image
		Classify(&f)
		return f
	}
	switch kind {
	case FactDatabase:
		if n, ok := strings.CutSuffix(d, " database created"); ok {
			f.Name, f.Via = n, ViaCreateDatabase
		} else {
			f.Name = d
		}
	case FactService:
		switch {
		case strings.HasSuffix(d, " (background process)"):
			f.Name, f.Via = strings.TrimSuffix(d, " (background process)"), ViaBackground
		case strings.HasSuffix(d, " (supervisor)"):
			f.Name, f.Via = strings.TrimSuffix(d, " (supervisor)"), ViaSupervisor
		case strings.HasSuffix(d, " (compose service)"):
			f.Name, f.Via = strings.TrimSuffix(d, " (compose service)"), ViaCompose
		case strings.HasPrefix(d, "supervisorctl "):
			f.Name, f.Via = strings.TrimPrefix(d, "supervisorctl "), ViaSupervisorctl
		case strings.HasPrefix(d, "pm2 "):
			f.Name, f.Via = strings.TrimPrefix(d, "pm2 "), ViaPM2
		default:
			f.Name = d
		}
	case FactDataVolume, FactNFSMount, FactS3Mount:
		upgradeStorage(&f, d)
	case FactWindows:
		switch {
		case strings.HasPrefix(d, "ansible ") && strings.HasSuffix(d, " connection"):
			f.Via, f.Name = ViaAnsibleConnection, strings.TrimSuffix(strings.TrimPrefix(d, "ansible "), " connection")
		case strings.HasPrefix(d, "ansible "):
			f.Via, f.Name = ViaAnsible, strings.TrimPrefix(d, "ansible ")
		case strings.HasSuffix(d, " user data"):
			f.Via, f.Name = ViaUserData, strings.TrimSuffix(d, " user data")
		case strings.HasSuffix(d, " communicator"):
			f.Via, f.Name = ViaPackerCommunicator, strings.TrimSuffix(d, " communicator")
		case strings.HasSuffix(d, " provisioner"):
			f.Via, f.Name = ViaPackerProvisioner, strings.TrimSuffix(d, " provisioner")
		case strings.HasPrefix(d, "source image "):
			f.Via, f.FactParams.Image = ViaPackerSource, strings.TrimPrefix(d, "source image ")
		default:
			f.Name = d
		}
	case FactKernelTuning:
		upgradeKernel(&f, d)
	case FactHardcodedIP:
		f.FactParams.Address = d
	case FactCron:
		upgradeCron(&f, d)
	case FactDocker:
		upgradeDocker(&f, d)
	case FactConfigStore:
		switch {
		case strings.HasPrefix(d, "ssm via chamber "):
			f.Via, f.Name = ViaChamber, strings.TrimPrefix(d, "ssm via chamber ")
		case strings.HasPrefix(d, "consul kv "):
			f.Via, f.Name = ViaConsul, strings.TrimPrefix(d, "consul kv ")
		case strings.HasPrefix(d, "ansible lookup "):
			f.Via, f.Name = ViaAnsibleLookup, strings.TrimPrefix(d, "ansible lookup ")
		default:
			first, rest, _ := strings.Cut(d, " ")
			switch first {
			case ViaSSM, ViaSecretsManager, ViaVault:
				f.Via, f.Name = first, rest
			default:
				f.Name = d
			}
		}
	case FactEnvConfig:
		if p, ok := strings.CutPrefix(d, "env file "); ok {
			f.Via, f.FactParams.Path = ViaEnvFile, p
		} else {
			f.Name = d
		}
	case FactBootWork:
		upgradeBootWork(&f, d)
	case FactConfigMgmt:
		upgradeConfigMgmt(&f, d)
	case FactImageBuild:
		f.Name, f.FactParams.Image = cutParen(d)
	case FactGPU:
		switch {
		case d == "container with GPU":
			f.Via = ViaContainer
		case strings.HasPrefix(d, "source image "):
			f.Via, f.FactParams.Image = ViaPackerSource, strings.TrimPrefix(d, "source image ")
		case strings.HasPrefix(d, "image built on ") && strings.HasSuffix(d, " (a GPU or accelerator instance)"):
			f.Via, f.Name = ViaPackerBuilder, strings.TrimSuffix(strings.TrimPrefix(d, "image built on "), " (a GPU or accelerator instance)")
		default:
			f.Name = d
		}
	case FactAnsibleProvisioner:
		f.Via, f.Name = ViaPackerProvisioner, strings.TrimSuffix(d, " provisioner (image configured by Ansible at build time)")
	case FactSpot:
		if s, ok := strings.CutPrefix(d, "spot build instance"); ok {
			f.Via = ViaPackerBuilder
			_, setting := cutParen(strings.TrimSuffix(s, ", at image build only"))
			f.FactParams.Key, f.FactParams.Value, _ = strings.Cut(setting, " ")
		} else {
			f.Name = d
		}
	case FactFirewall:
		switch {
		case d == "iptables rules" || strings.HasPrefix(d, "iptables rules "):
			f.Via, f.Name, f.FactParams.Path = ViaRulesFile, "iptables", strings.TrimSpace(strings.TrimPrefix(d, "iptables rules"))
		case d == "windows firewall":
			f.Via = ViaPowerShell
		default:
			f.Name = d
		}
	case FactLocalUser:
		switch {
		case d == "authorized_keys" || strings.HasPrefix(d, "authorized_keys "):
			f.Via = ViaAuthorizedKeys
			rest := strings.TrimSpace(strings.TrimPrefix(d, "authorized_keys"))
			if strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, "~") {
				f.FactParams.Path = rest
			} else {
				f.Name = rest
			}
		case d == "local user":
			f.Via = ViaPowerShell
		default:
			f.Name = d
		}
	default:
		f.Name = d
	}
	if *f.FactParams == (FactParams{}) {
		f.FactParams = nil
	}
	Classify(&f)
	return f
}

// cutParen splits "name (inner)" into name and inner; text without a parenthesis at its
// end is all name.
func cutParen(d string) (name, inner string) {
	if !strings.HasSuffix(d, ")") {
		return d, ""
	}
	if strings.HasPrefix(d, "(") {
		return "", d[1 : len(d)-1]
	}
	i := strings.Index(d, " (")
	if i < 0 {
		return d, ""
	}
	return d[:i], d[i+2 : len(d)-1]
}

func upgradeStorage(f *Fact, d string) {
	switch {
	case f.Kind == FactDataVolume && d == "disk initialised", f.Kind == FactNFSMount && d == "smb share":
		f.Via = ViaPowerShell
	case strings.HasPrefix(d, "image block device "):
		f.Via, f.FactParams.Device = ViaPackerSource, strings.TrimPrefix(d, "image block device ")
	case strings.HasPrefix(d, "aws "):
		f.Via, f.FactParams.Command = ViaAWS, d
	case f.Kind == FactNFSMount && strings.HasSuffix(d, " (network file system client)"):
		f.Name = strings.TrimSuffix(d, " (network file system client)")
	case strings.HasSuffix(d, ")") && strings.Contains(d, "("):
		target, inner := cutParen(d)
		m := Mount{Target: target}
		if f.Kind == FactDataVolume {
			m.Source = inner
		} else {
			m.FSType, m.Source, _ = strings.Cut(inner, " ")
		}
		f.FactParams.Mount = &m
	case f.Kind == FactDataVolume:
		f.FactParams.Command, f.FactParams.Device, _ = strings.Cut(d, " ")
	default:
		f.Name = d
	}
}

func upgradeKernel(f *Fact, d string) {
	switch {
	case strings.HasPrefix(d, "module "):
		f.Class, f.Name = ClassModule, strings.TrimPrefix(d, "module ")
	case d == "limits" || strings.HasPrefix(d, "limits "):
		f.Class, f.FactParams.Path = ClassLimits, strings.TrimSpace(strings.TrimPrefix(d, "limits"))
	case strings.HasPrefix(d, "sysctl "):
		f.Class, f.FactParams.Command = ClassSysctl, d
	case strings.HasPrefix(d, "/"):
		f.FactParams.Path, f.Class = d, ClassSysctl
		if strings.Contains(d, "/modules") || strings.Contains(d, "/modprobe") {
			f.Class = ClassModule
		}
	case strings.HasPrefix(d, "kernel/") || strings.HasPrefix(d, "block/") || strings.HasPrefix(d, "module/"):
		f.FactParams.Key, f.FactParams.Path, f.Class = d, "/sys/"+d, ClassSysfs
		if strings.Contains(d, "hugepage") {
			f.Class = ClassHugepage
		}
	default:
		f.FactParams.Key, f.Class = d, ClassSysctl
	}
}

func upgradeCron(f *Fact, d string) {
	switch {
	case d == "cron" || strings.HasPrefix(d, "cron "):
		f.Via, f.Name = ViaCronModule, strings.TrimSpace(strings.TrimPrefix(d, "cron"))
	case d == "scheduled task" || strings.HasPrefix(d, "scheduled task "):
		f.Via, f.Name = ViaScheduledTask, strings.TrimSpace(strings.TrimPrefix(d, "scheduled task"))
	case strings.HasPrefix(d, "systemd timer "):
		f.Via, f.Name = ViaSystemdTimer, strings.TrimPrefix(d, "systemd timer ")
	case d == "systemd-run --on-calendar":
		f.Via = ViaSystemdRun
	case d == "at":
		f.Via = ViaAt
	case strings.HasPrefix(d, "crontab: "):
		// Where the schedule ends is not marked: the entry is kept whole as the command.
		f.Via, f.FactParams.Command = ViaCrontab, strings.TrimPrefix(d, "crontab: ")
	case d == "crontab" || strings.HasPrefix(d, "crontab "):
		f.Via = ViaCrontab
		args := strings.Fields(strings.TrimPrefix(d, "crontab"))
		for i := 0; i < len(args); i++ {
			if args[i] == "-u" && i+1 < len(args) {
				f.Name = args[i+1]
				i++
			} else {
				f.FactParams.Path = strings.TrimSpace(f.FactParams.Path + " " + args[i])
			}
		}
		if f.text() != d {
			// Options other than -u: kept as written.
			f.Name, f.FactParams.Path = "", strings.TrimSpace(strings.TrimPrefix(d, "crontab"))
		}
	default:
		f.FactParams.Path = d
	}
}

// dockerTools are the container tools whose commands the readers record.
var dockerTools = map[string]bool{"docker": true, "podman": true, "nerdctl": true, "docker-compose": true}

// containerDetail reads the detail of a fact a container's image says: "NAME (container
// IMAGE)", for the kinds an image is read as.
func containerDetail(kind FactKind, d string) (name, image string, ok bool) {
	if kind != FactDatabase && kind != FactWebServer && kind != FactObservability && kind != FactBatchML {
		return "", "", false
	}
	n, rest, found := strings.Cut(d, " (container ")
	if !found || !strings.HasSuffix(rest, ")") {
		return "", "", false
	}
	return n, strings.TrimSuffix(rest, ")"), true
}

func upgradeDocker(f *Fact, d string) {
	switch {
	case strings.HasPrefix(d, "compose service "):
		n, image, _ := strings.Cut(strings.TrimPrefix(d, "compose service "), " (")
		f.Via, f.Name, f.FactParams.Image = ViaCompose, n, strings.TrimSuffix(image, ")")
	case d == "user in docker group":
		f.Via = ViaDockerGroup
	case strings.HasPrefix(d, "packer ") && strings.HasSuffix(d, " builder"):
		f.Via, f.Name = ViaPackerBuilder, strings.TrimSuffix(strings.TrimPrefix(d, "packer "), " builder")
	case strings.HasPrefix(d, "packer "):
		f.Via, f.Name = ViaPackerPost, strings.TrimPrefix(d, "packer ")
	case strings.HasSuffix(d, " (ecr)"):
		f.Via, f.FactParams.Command = ViaECR, strings.TrimSuffix(d, " (ecr)")
	case strings.HasPrefix(d, "/"):
		f.FactParams.Path = d
	default:
		w := strings.Fields(d)
		switch {
		case len(w) > 1 && dockerTools[w[0]]:
			f.Via, f.FactParams.Command = w[0], w[0]+" "+w[1]
			rest := strings.Join(w[2:], " ")
			switch w[1] {
			case "run", "create", "pull", "load":
				f.FactParams.Image = rest
			default:
				f.Name = rest
			}
		case len(w) > 0 && strings.HasPrefix(w[0], "docker_"):
			f.Via, f.FactParams.Command, f.Name = ViaAnsible, w[0], strings.Join(w[1:], " ")
		default:
			f.Name = d
		}
	}
}

func upgradeBootWork(f *Fact, d string) {
	switch {
	case d == "package upgrade":
		f.Class = ClassPackageUpgrade
	case d == "download | iex":
		f.Class, f.Via, f.FactParams.Command = ClassPipeToShell, ViaPowerShell, "iex"
	case strings.HasPrefix(d, "curl | "):
		f.Class = ClassPipeToShell
		f.FactParams.Command, f.FactParams.Address = cutParen(strings.TrimPrefix(d, "curl | "))
	case strings.HasPrefix(d, "compile (") && strings.HasSuffix(d, ")"):
		f.Class, f.FactParams.Command = ClassCompile, strings.TrimSuffix(strings.TrimPrefix(d, "compile ("), ")")
	case d == "git clone" || strings.HasPrefix(d, "git clone ("):
		f.Class = ClassGitClone
		_, f.FactParams.Address = cutParen(d)
	case strings.HasPrefix(d, "download "):
		f.Class, f.Name = ClassDownload, strings.TrimPrefix(d, "download ")
	default:
		f.Name = d
	}
}

func upgradeConfigMgmt(f *Fact, d string) {
	run := d
	switch {
	case strings.HasSuffix(d, " provisioner (at image build)"):
		f.Via, run = ViaPackerProvisioner, strings.TrimSuffix(d, " provisioner (at image build)")
	case strings.HasSuffix(d, " module)") && strings.Contains(d, " (cloud-init "):
		var inner string
		run, inner = cutParen(d)
		f.Via, f.FactParams.Key = ViaCloudInit, strings.TrimSuffix(strings.TrimPrefix(inner, "cloud-init "), " module")
	case strings.Contains(d, " from"):
		i := strings.Index(d, " from")
		run = d[:i]
		f.Via = ViaPullURL
		_, f.FactParams.Address = cutParen(d)
	}
	f.Name, _, _ = strings.Cut(run, " ")
	if f.Name != run {
		f.FactParams.Command = run
	}
}
