package assess

import (
	"strings"
	"testing"

	"whyk8s/inventory"
)

// ruleCase is one row: a workload built from options, and what the rule must conclude.
type ruleCase struct {
	rule string
	name string
	opts []opt
	want state
}

func rc(rule, name string, want state, opts ...opt) ruleCase {
	return ruleCase{rule: rule, name: name, opts: opts, want: want}
}

var (
	sticky = func(tg *inventory.TargetGroup) {
		tg.Attributes["stickiness.enabled"] = "true"
		tg.Attributes["stickiness.type"] = "lb_cookie"
	}
	tcpHealth = func(tg *inventory.TargetGroup) {
		tg.HealthCheck.Protocol, tg.HealthCheck.Path = "TCP", ""
	}
	withLC = group(func(g *inventory.AutoScalingGroup) {
		g.LaunchTemplate = nil
		g.LaunchConfiguration = "web-lc-2019"
		g.Launch.Source = "arn:aws:autoscaling:eu-west-1:111122223333:launchConfiguration:uuid:launchConfigurationName/web-lc-2019"
	})
	tenancy  = func(t string) opt { return group(func(g *inventory.AutoScalingGroup) { g.Launch.Tenancy = t }) }
	blockDev = func(bd inventory.BlockDevice) opt {
		return group(func(g *inventory.AutoScalingGroup) { g.Launch.BlockDevices = append(g.Launch.BlockDevices, bd) })
	}
	packer = func(e *inventory.Estate) {
		script("packer/"+e.Groups[0].Name+".pkr.hcl", inventory.ScriptPackerHCL, inventory.LinkManifestAMI)(e)
	}
	association = func(doc string) opt {
		return func(e *inventory.Estate) {
			e.Groups[0].Deployments = append(e.Groups[0].Deployments, inventory.Deployment{Service: inventory.DeploySSM, Application: doc,
				DeploymentGroup: "web-config", Target: "tag:Role=web", Source: "iac:ssm.tf:3:aws_ssm_association.web", Places: inventory.Places{"": {File: "ssm.tf", Line: 3}}})
		}
	}
	shellCommands = func(e *inventory.Estate) {
		d := &e.Groups[0].Deployments[len(e.Groups[0].Deployments)-1]
		d.Commands = "yum install -y something"
	}
	hookNotRead = func(e *inventory.Estate) {
		e.Coverage = append(e.Coverage, inventory.CoverageGap{Path: "orders/appspec.yml", Line: 7, Kind: inventory.GapNotRead,
			Message: `codedeploy hook AfterInstall runs "orders/bin/migrate.py", which is a Python script: whyk8s does not read it, so what it does is not known`})
	}
	evenLink = group(func(g *inventory.AutoScalingGroup) {
		g.TargetGroupARNs = []string{"arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/gone/1"}
	})
)

var ruleCases = []ruleCase{
	rc("FIT-STICKY-SESSIONS", "target group stickiness on", fail, targetGroup(sticky)),
	rc("FIT-STICKY-SESSIONS", "classic cookie policy on a listener", fail, classicLB(func(lb *inventory.ClassicLoadBalancer) {
		lb.Policies = []inventory.ClassicPolicy{{Name: "sticky-web", Type: "LBCookieStickinessPolicyType"}}
		lb.Listeners[0].PolicyNames = []string{"sticky-web"}
	})),
	rc("FIT-STICKY-SESSIONS", "classic policy defined but on no listener", pass, classicLB(func(lb *inventory.ClassicLoadBalancer) {
		lb.Policies = []inventory.ClassicPolicy{{Name: "sticky-web", Type: "LBCookieStickinessPolicyType"}}
	})),
	rc("FIT-STICKY-SESSIONS", "target group stickiness off", pass, targetGroup(nil)),
	rc("FIT-STICKY-SESSIONS", "no load balancer", notApplicable),
	rc("FIT-STICKY-SESSIONS", "target group not read", unknown, evenLink),

	rc("FIT-LOCAL-DATABASE", "postgresql installed", fail, userdata(fact(inventory.FactDatabase, "postgresql"))),
	rc("FIT-LOCAL-DATABASE", "scripts without a database", pass, scripts()),
	rc("FIT-LOCAL-DATABASE", "memcached is a cache, not state", pass, userdata(fact(inventory.FactDatabase, "memcached"))),
	rc("FIT-LOCAL-DATABASE", "redis may persist", fail, userdata(fact(inventory.FactDatabase, "redis-server"), fact(inventory.FactDatabase, "memcached"))),
	rc("FIT-LOCAL-DATABASE", "no script linked", unknown),
	rc("FIT-LOCAL-DATABASE", "custom image, user data only: the image may hold anything", unknown, customImage(), scripts()),
	// User data that readies the host for CodeDeploy and runs nothing of its own: the
	// application, and whatever it keeps, comes with a revision that is not read.
	rc("FIT-LOCAL-DATABASE", "an application CodeDeploy deploys", unknown,
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent"), fact(inventory.FactObservability, "cloudwatch agent"))),
	rc("FIT-LOCAL-DATABASE", "a service of its own beside the CodeDeploy agent", pass,
		userdata(fact(inventory.FactService, "codedeploy-agent"), fact(inventory.FactService, "orders-api"))),
	// A deployment group names the group, its agent baked into the image: the same.
	rc("FIT-LOCAL-DATABASE", "a group a CodeDeploy deployment group deploys to", unknown,
		userdata(fact(inventory.FactPackage, "jq")), func(e *inventory.Estate) {
			e.Groups[0].Deployments = []inventory.Deployment{{Service: inventory.DeployCodeDeploy, Application: "orders", DeploymentGroup: "orders-prod",
				Source: "iac:deploy.tf:3:aws_codedeploy_deployment_group.orders", Places: inventory.Places{"": {File: "deploy.tf", Line: 3}}}}
		}),
	// A Systems Manager association that applies a playbook (or a recipe, a script) to the
	// group's instances by tag configures them after boot: the same. One that patches
	// does not.
	rc("FIT-LOCAL-DATABASE", "a group an SSM association configures", unknown,
		userdata(fact(inventory.FactService, "amazon-ssm-agent")), association("AWS-ApplyAnsiblePlaybooks")),
	rc("FIT-LOCAL-DATABASE", "a group an SSM association only patches", pass,
		userdata(fact(inventory.FactService, "amazon-ssm-agent"), fact(inventory.FactPackage, "jq")), association("AWS-RunPatchBaseline")),
	rc("FIT-LOCAL-DATABASE", "an SSM association beside a service of its own", pass,
		userdata(fact(inventory.FactService, "orders-api")), association("Acme-ConfigureOrders")),
	// One that runs shell commands the code holds has them read (scripts.ReadAssociations):
	// judged on them, a database installed or none.
	rc("FIT-LOCAL-DATABASE", "an SSM association's shell commands, read, installing PostgreSQL", fail,
		userdata(fact(inventory.FactService, "amazon-ssm-agent")), association("AWS-RunShellScript"), shellCommands,
		script("ssm:iac:ssm.tf:3:aws_ssm_association.web", inventory.ScriptShell, inventory.LinkSSM, fact(inventory.FactDatabase, "postgresql"))),
	rc("FIT-LOCAL-DATABASE", "an SSM association's playbook, in the folders, installing a tool", pass,
		userdata(fact(inventory.FactService, "amazon-ssm-agent")), association("AWS-ApplyAnsiblePlaybooks"), func(e *inventory.Estate) {
			d := &e.Groups[0].Deployments[len(e.Groups[0].Deployments)-1]
			d.Playbook = "site.yml"
			e.Scripts = append(e.Scripts, inventory.Script{Path: d.ScriptPath(), Kind: inventory.ScriptShell,
				References: []inventory.Reference{{Path: "ansible/site.yml", How: "ssm AWS-ApplyAnsiblePlaybooks"}},
				Links:      []inventory.Link{{Workload: e.Groups[0].ID(), Reason: inventory.LinkSSM, Confidence: inventory.ConfidenceHigh}}})
		}, script("ansible/site.yml", inventory.ScriptAnsiblePlay, inventory.LinkReference, fact(inventory.FactPackage, "jq"))),
	rc("FIT-LOCAL-DATABASE", "an SSM association's shell commands, read, installing a tool", pass,
		userdata(fact(inventory.FactService, "amazon-ssm-agent")), association("AWS-RunShellScript"), shellCommands,
		script("ssm:iac:ssm.tf:3:aws_ssm_association.web", inventory.ScriptShell, inventory.LinkSSM, fact(inventory.FactPackage, "jq"))),
	rc("FIT-LOCAL-DATABASE", "a group a CodeDeploy deployment group deploys to, its revision read", pass,
		userdata(fact(inventory.FactPackage, "jq")), func(e *inventory.Estate) {
			e.Groups[0].Deployments = []inventory.Deployment{{Service: inventory.DeployCodeDeploy, Application: "orders", Source: "iac:deploy.tf:3:aws_codedeploy_deployment_group.orders"}}
		}, script("orders/appspec.yml", inventory.ScriptAppSpec, inventory.LinkCodeDeploy), script("orders/bin/start", inventory.ScriptShell, inventory.LinkReference, fact(inventory.FactService, "orders"))),
	// The revision is in the folders: its AppSpec file and hooks say what the agent runs,
	// what they install is read, and what they do not show is absent.
	rc("FIT-LOCAL-DATABASE", "the CodeDeploy revision read, its hooks install no database", pass,
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent")),
		script("orders/appspec.yml", inventory.ScriptAppSpec, inventory.LinkNameMatch), script("orders/bin/start", inventory.ScriptShell, inventory.LinkReference, fact(inventory.FactPackage, "openjdk-17-jre-headless"))),
	rc("FIT-LOCAL-DATABASE", "the CodeDeploy revision read, its hooks install PostgreSQL", fail,
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent")),
		script("orders/appspec.yml", inventory.ScriptAppSpec, inventory.LinkNameMatch), script("orders/bin/deps", inventory.ScriptShell, inventory.LinkReference, fact(inventory.FactDatabase, "postgresql"))),
	// A hook the readers do not read (Python, a batch file, or one not in the folders) may
	// be where the application is installed: the hooks read do not show all it runs.
	rc("FIT-LOCAL-DATABASE", "the CodeDeploy revision read, a hook in Python not read", unknown,
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent")),
		script("orders/appspec.yml", inventory.ScriptAppSpec, inventory.LinkNameMatch), script("orders/bin/deps", inventory.ScriptShell, inventory.LinkReference, fact(inventory.FactPackage, "openjdk-17-jre-headless")),
		hookNotRead),
	rc("FIT-LOCAL-DATABASE", "the CodeDeploy revision read, a hook in Python not read, a service of its own", pass,
		userdata(fact(inventory.FactPackage, "ruby"), fact(inventory.FactService, "codedeploy-agent")),
		script("orders/appspec.yml", inventory.ScriptAppSpec, inventory.LinkNameMatch), script("orders/bin/start", inventory.ScriptShell, inventory.LinkReference, fact(inventory.FactService, "orders")),
		hookNotRead),
	// The same for a script in the folders, in a language no reader reads, that the boot
	// script runs; a playbook named and not found is a caveat only (rows above).
	rc("FIT-LOCAL-DATABASE", "user data that runs a Python script in the folders", unknown,
		userdata(fact(inventory.FactWebServer, "nginx")), func(e *inventory.Estate) {
			e.Coverage = append(e.Coverage, inventory.CoverageGap{Path: "userdata/" + e.Groups[0].Name + ".sh", Line: 3, Kind: inventory.GapNotRead,
				Message: `the script runs "app/warm_cache.py", which is a Python script: whyk8s does not read it, so what it does is not known`})
		}),
	rc("FIT-LOCAL-DATABASE", "user data that names a file not in the folders", pass,
		userdata(fact(inventory.FactWebServer, "nginx")), func(e *inventory.Estate) {
			e.Coverage = append(e.Coverage, inventory.CoverageGap{Path: "userdata/" + e.Groups[0].Name + ".sh", Line: 3, Kind: inventory.GapNotFound,
				Message: `ansible-playbook names "site.yml", which is not under the scanned folders: not read`})
		}),
	// Configuration management that converges from a server or a pulled repository brings
	// what the host runs; a playbook on the host's own disk is a file not read, and the
	// judgement stands with its caveat.
	rc("FIT-LOCAL-DATABASE", "a host handed to a Chef server", unknown,
		userdata(fact(inventory.FactPackage, "curl"), fact(inventory.FactConfigMgmt, "chef-client"), fact(inventory.FactService, "chef-client"))),
	rc("FIT-LOCAL-DATABASE", "a host handed to a Puppet server", unknown,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet agent"}})),
	rc("FIT-LOCAL-DATABASE", "ansible-pull from a repository not read", unknown,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "ansible-pull", Via: inventory.ViaPullURL, FactParams: &inventory.FactParams{Address: "git.example.com"}})),
	rc("FIT-LOCAL-DATABASE", "ansible-pull whose playbook is read", pass,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "ansible-pull", Via: inventory.ViaPullURL, FactParams: &inventory.FactParams{Address: "git.example.com"}}),
		script("site.yml", inventory.ScriptAnsiblePlay, inventory.LinkUserDataNames, fact(inventory.FactWebServer, "nginx"))),
	// Manifests, cookbooks and states on the host's own disk are not read either: what they
	// install is not known, wherever they came from.
	rc("FIT-LOCAL-DATABASE", "puppet apply of manifests on the host", unknown,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}})),
	rc("FIT-LOCAL-DATABASE", "chef-solo with cookbooks on the host", unknown,
		userdata(fact(inventory.FactPackage, "awscli"), fact(inventory.FactConfigMgmt, "chef-solo"))),
	// A local Chef run whose run list was followed to recipes read is judged on them.
	rc("FIT-LOCAL-DATABASE", "chef-solo whose recipes are read", pass,
		userdata(fact(inventory.FactPackage, "awscli"), fact(inventory.FactConfigMgmt, "chef-solo")),
		script("chef/cookbooks/base/recipes/default.rb", inventory.ScriptChefRecipe, inventory.LinkReference, fact(inventory.FactPackage, "chrony"))),
	rc("FIT-LOCAL-DATABASE", "chef-solo whose recipe installs PostgreSQL", fail,
		userdata(fact(inventory.FactConfigMgmt, "chef-solo")),
		script("chef/cookbooks/db/recipes/default.rb", inventory.ScriptChefRecipe, inventory.LinkReference, fact(inventory.FactDatabase, "postgresql-server"))),
	rc("FIT-LOCAL-DATABASE", "a Chef server's run list, a recipe read beside it", unknown,
		userdata(fact(inventory.FactConfigMgmt, "chef-client")),
		script("chef/cookbooks/base/recipes/default.rb", inventory.ScriptChefRecipe, inventory.LinkReference, fact(inventory.FactPackage, "chrony"))),
	rc("FIT-LOCAL-DATABASE", "puppet apply whose manifest is read", pass,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}}),
		script("puppet/manifests/site.pp", inventory.ScriptPuppetManifest, inventory.LinkReference, fact(inventory.FactPackage, "chrony"))),
	rc("FIT-LOCAL-DATABASE", "a Puppet agent, a manifest read beside it", unknown,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet agent"}}),
		script("puppet/manifests/site.pp", inventory.ScriptPuppetManifest, inventory.LinkReference, fact(inventory.FactPackage, "chrony"))),
	rc("FIT-LOCAL-DATABASE", "a masterless Salt run whose states are read", pass,
		userdata(fact(inventory.FactConfigMgmt, "salt-masterless")),
		script("salt/common.sls", inventory.ScriptSaltState, inventory.LinkReference, fact(inventory.FactPackage, "chrony"))),
	rc("FIT-LOCAL-DATABASE", "a masterless Salt run at image build", unknown,
		userdata(fact(inventory.FactConfigMgmt, "salt-masterless"))),
	rc("FIT-LOCAL-DATABASE", "puppet apply beside a service of its own", pass,
		userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}}, fact(inventory.FactService, "storefront"))),
	rc("FIT-LOCAL-DATABASE", "cfn-init, whose metadata is read", pass,
		userdata(fact(inventory.FactConfigMgmt, "cfn-init"), fact(inventory.FactWebServer, "httpd"))),
	rc("FIT-LOCAL-DATABASE", "a playbook on the host's disk", pass, userdata(fact(inventory.FactConfigMgmt, "ansible-playbook"))),
	// A script fetched at boot and run, not in the folders: what the host runs is in it.
	rc("FIT-LOCAL-DATABASE", "user data that runs a script it fetched", unknown,
		userdata(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassFetchedScript, Via: "aws s3",
			FactParams: &inventory.FactParams{Path: "/opt/bootstrap.sh", Address: "s3://acme-artifacts/bootstrap.sh"}})),
	rc("FIT-LOCAL-DATABASE", "curl | bash of an address the vocabulary does not know", unknown,
		userdata(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, Via: "curl",
			FactParams: &inventory.FactParams{Command: "bash", Address: "bootstrap.internal.example.com"}})),
	rc("FIT-LOCAL-DATABASE", "curl | sh of an installer the vocabulary knows (what it installs at the same line)", pass,
		func(e *inventory.Estate) {
			pipe := inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, Via: "curl",
				FactParams: &inventory.FactParams{Command: "sh", Address: "get.k3s.io"}}
			pipe.Evidence.Line = 2
			node := fact(inventory.FactClusterNode, "kubernetes")
			node.Evidence.Line = 2
			userdata(fact(inventory.FactPackage, "curl"), pipe, node)(e)
		}),
	rc("FIT-LOCAL-DATABASE", "a script fetched beside a service of its own", pass,
		userdata(inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassFetchedScript, Via: "aws s3",
			FactParams: &inventory.FactParams{Path: "/opt/tune.sh", Address: "s3://acme-artifacts/tune.sh"}}, fact(inventory.FactService, "pricing-api"))),
	rc("FIT-LOCAL-DATABASE", "a service of its own beside a Chef run", pass,
		userdata(fact(inventory.FactConfigMgmt, "chef-client"), fact(inventory.FactService, "storefront"))),
	rc("FIT-LOCAL-DATABASE", "custom image built by a linked template", pass, customImage(), packer),

	rc("FIT-DATA-VOLUME", "extra EBS volume", fail, blockDev(inventory.BlockDevice{DeviceName: "/dev/xvdf", VolumeSize: 500, VolumeType: "gp3"})),
	rc("FIT-DATA-VOLUME", "mkfs in user data", fail, userdata(fact(inventory.FactDataVolume, "mkfs.xfs /dev/nvme1n1"))),
	rc("FIT-DATA-VOLUME", "scratch volume deleted on termination, scripts without volumes", pass, scripts(), blockDev(inventory.BlockDevice{DeviceName: "/dev/xvdf", VolumeSize: 100, DeleteOnTermination: ptr(true)})),
	rc("FIT-DATA-VOLUME", "volume kept on termination", fail, scripts(), blockDev(inventory.BlockDevice{DeviceName: "/dev/xvdf", VolumeSize: 100, DeleteOnTermination: ptr(false)})),
	rc("FIT-DATA-VOLUME", "root volume only", pass, blockDev(inventory.BlockDevice{DeviceName: "/dev/xvda", VolumeSize: 20})),
	rc("FIT-DATA-VOLUME", "scripts without volumes", pass, scripts()),
	rc("FIT-DATA-VOLUME", "nothing to tell", unknown),

	rc("FIT-NFS-MOUNT", "efs mount", fail, userdata(fact(inventory.FactNFSMount, "fs-0abc:/ /mnt/shared"))),
	rc("FIT-NFS-MOUNT", "no mount", pass, scripts()),

	rc("FIT-S3FS-MOUNT", "s3fs mount", fail, userdata(fact(inventory.FactS3Mount, "s3fs reports-bucket /mnt/reports"))),
	rc("FIT-S3FS-MOUNT", "no mount", pass, scripts()),
	rc("FIT-S3FS-MOUNT", "no script", unknown),

	rc("FIT-INSTANCE-STORE", "ephemeral0 mapped", fail, blockDev(inventory.BlockDevice{DeviceName: "/dev/sdb", VirtualName: "ephemeral0"})),
	rc("FIT-INSTANCE-STORE", "no instance store", notApplicable, blockDev(inventory.BlockDevice{DeviceName: "/dev/xvda"})),

	rc("FIT-WINDOWS", "windows platform", fail, image(func(im *inventory.Image) { im.Platform, im.PlatformDetails = "windows", "Windows" })),
	rc("FIT-WINDOWS", "windows platform details only", fail, image(func(im *inventory.Image) { im.PlatformDetails = "Windows with SQL Server Standard" })),
	rc("FIT-WINDOWS", "powershell in user data, image unknown", fail, noImage(), userdata(fact(inventory.FactWindows, "<powershell>"))),
	rc("FIT-WINDOWS", "linux image", pass),
	rc("FIT-WINDOWS", "no image, no script", unknown, noImage()),
	rc("FIT-WINDOWS", "an image known from a lookup in the code that names no platform", unknown, customImage(), codeImage()),
	rc("FIT-WINDOWS", "a lookup in the code naming a Windows image", fail, codeImage(), image(func(im *inventory.Image) { im.Platform = "windows" })),

	rc("FIT-KERNEL-TUNING", "somaxconn", fail, userdata(sysctl("net.core.somaxconn"))),
	rc("FIT-KERNEL-TUNING", "templated name: value unknown", fail, userdata(sysctl("{{ item.key }}"))),
	rc("FIT-KERNEL-TUNING", "hardening baseline only", pass, userdata(sysctl("net.ipv4.conf.all.send_redirects"), sysctl("kernel.randomize_va_space"))),
	rc("FIT-KERNEL-TUNING", "node-level settings are another rule's", pass, userdata(sysctl("vm.max_map_count"))),
	rc("FIT-KERNEL-TUNING", "none", pass, scripts()),

	rc("FIT-NODE-KERNEL", "vm.max_map_count", fail, userdata(sysctl("vm.max_map_count"))),
	rc("FIT-NODE-KERNEL", "kernel module", fail, userdata(kernelModule("br_netfilter"))),
	rc("FIT-NODE-KERNEL", "nouveau blacklisted for NVIDIA drivers", pass, userdata(kernelModule("nouveau"))),
	rc("FIT-NODE-KERNEL", "namespaced sysctl", pass, userdata(sysctl("net.core.somaxconn"))),
	rc("FIT-NODE-KERNEL", "fs.aio-max-nr is the node's, not the pod's", fail, userdata(sysctl("fs.aio-max-nr"))),
	rc("FIT-NODE-KERNEL", "kernel.pid_max is the node's", fail, userdata(sysctl("kernel.pid_max"))),
	rc("FIT-NODE-KERNEL", "IPC sysctls are the pod's", pass, userdata(sysctl("kernel.msgmax"), sysctl("fs.mqueue.msg_max"))),
	rc("FIT-NODE-KERNEL", "the hardening baseline is the node image's", pass, userdata(sysctl("kernel.randomize_va_space"), sysctl("vm.swappiness"))),
	rc("FIT-NODE-KERNEL", "a templated key is not shown to be node-level", pass, userdata(sysctl("{{ item.key }}"))),
	rc("FIT-NODE-KERNEL", "a baseline key with a shell quote left on it", pass, userdata(sysctl(`\'vm.swappiness`))),
	rc("FIT-KERNEL-TUNING", "a node-level sysctl is the other rule's", pass, userdata(sysctl("fs.aio-max-nr"))),
	rc("FIT-NODE-KERNEL", "no script", unknown),

	rc("FIT-DEDICATED-TENANCY", "dedicated", fail, tenancy("dedicated")),
	rc("FIT-DEDICATED-TENANCY", "host", fail, tenancy("host")),
	rc("FIT-DEDICATED-TENANCY", "default", pass),

	rc("FIT-HOST-LICENSING", "host tenancy", fail, tenancy("host")),
	rc("FIT-HOST-LICENSING", "dedicated tenancy", pass, tenancy("dedicated")),

	rc("FIT-HOST-FIREWALL", "iptables", fail, userdata(fact(inventory.FactFirewall, "iptables -A INPUT"))),
	rc("FIT-HOST-FIREWALL", "none", pass, scripts()),

	rc("FIT-LOCAL-USERS", "authorized_keys", fail, userdata(fact(inventory.FactLocalUser, "deploy"))),
	rc("FIT-LOCAL-USERS", "none", pass, scripts()),

	rc("FIT-CONFIG-STORE", "ssm get-parameter", pass, userdata(fact(inventory.FactConfigStore, "ssm get-parameter"))),
	rc("FIT-CONFIG-STORE", "scripts, no store", fail, scripts()),
	rc("FIT-CONFIG-STORE", "no script", unknown),

	rc("FIT-ENV-CONFIG", "environment file", pass, userdata(fact(inventory.FactEnvConfig, "EnvironmentFile=/etc/web.env"))),
	rc("FIT-ENV-CONFIG", "none", notApplicable, scripts()),

	rc("FIT-HARDCODED-IP", "literal address", fail, userdata(fact(inventory.FactHardcodedIP, "10.0.3.17"))),
	rc("FIT-HARDCODED-IP", "none", pass, scripts()),

	rc("FIT-PLAINTEXT-SECRET", "password in user data", fail, userdata(fact(inventory.FactSecret, "password"))),
	rc("FIT-PLAINTEXT-SECRET", "none", pass, scripts()),
	// A value substituted into rendered user data is named where it is written, but the
	// workload's user data holds it all the same.
	rc("FIT-PLAINTEXT-SECRET", "password substituted into rendered user data", fail, userdata(substituted(fact(inventory.FactSecret, "default-password")))),

	rc("FIT-IMMUTABLE-IMAGE", "packer template linked by manifest", pass, packer),
	rc("FIT-IMMUTABLE-IMAGE", "image-build fact", pass, script("build/ami.json", inventory.ScriptShell, inventory.LinkTag, fact(inventory.FactImageBuild, "amazon-ebs"))),
	rc("FIT-IMMUTABLE-IMAGE", "image made of an instance the template configures", pass, imageBuilder(fact(inventory.FactConfigMgmt, "cfn-init"))),
	rc("FIT-IMMUTABLE-IMAGE", "stock image provisioned at boot", fail, scripts()),
	rc("FIT-IMMUTABLE-IMAGE", "custom image of unknown origin", unknown, customImage(), scripts()),
	rc("FIT-IMMUTABLE-IMAGE", "custom image, no script", unknown, customImage()),
	rc("FIT-IMMUTABLE-IMAGE", "image AWS publishes (a Deep Learning AMI), provisioned at boot", fail, scripts(), image(func(im *inventory.Image) {
		im.OwnerID, im.OwnerAlias, im.Name = "898082745236", "amazon", "Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.3"
	})),
	rc("FIT-IMMUTABLE-IMAGE", "an image-based OS AWS publishes (Bottlerocket): replaced, never changed", pass, scripts(), image(func(im *inventory.Image) {
		im.OwnerID, im.OwnerAlias, im.Name = "092701018921", "amazon", "bottlerocket-aws-k8s-1.29-x86_64-v1.19.2-29cc92cc"
	})),
	rc("FIT-IMMUTABLE-IMAGE", "an image-based OS found by its description (Fedora CoreOS)", pass, customImage(), image(func(im *inventory.Image) {
		im.OwnerID, im.Name, im.Description = "125523088429", "", "Fedora CoreOS stable 40.20240616.3.0 (HVM)"
	})),
	rc("FIT-IMMUTABLE-IMAGE", "vendor's Marketplace image", unknown, scripts(), image(func(im *inventory.Image) {
		im.OwnerID, im.OwnerAlias, im.Name = "679593333241", "aws-marketplace", "vendor-appliance-7.2"
	})),
	rc("FIT-LOCAL-DATABASE", "scripts without a database on a Marketplace image", unknown, scripts(), image(func(im *inventory.Image) {
		im.OwnerID, im.OwnerAlias, im.Name = "679593333241", "aws-marketplace", "vendor-appliance-7.2"
	})),

	rc("FIT-BOOT-CONFIG-MGMT", "ansible-pull at boot", fail, userdata(fact(inventory.FactConfigMgmt, "ansible-pull"))),
	rc("FIT-BOOT-CONFIG-MGMT", "none", pass, scripts()),
	rc("FIT-BOOT-CONFIG-MGMT", "cfn-init on the instance the image is made of", pass, imageBuilder(fact(inventory.FactConfigMgmt, "cfn-init"))),

	rc("FIT-HEAVY-BOOT", "yum update at boot", fail, userdata(fact(inventory.FactBootWork, "yum -y update"))),
	rc("FIT-HEAVY-BOOT", "upgrade during the image build is not boot work", pass, script("packer/web.pkr.hcl", inventory.ScriptPackerHCL, inventory.LinkManifestAMI, fact(inventory.FactBootWork, "apt-get upgrade"))),
	rc("FIT-HEAVY-BOOT", "yum update by a Systems Manager association, which each new instance waits for", fail,
		scripts(), association("AWS-RunShellScript"), shellCommands,
		script("ssm:iac:ssm.tf:3:aws_ssm_association.web", inventory.ScriptShell, inventory.LinkSSM, fact(inventory.FactBootWork, "yum -y update"))),
	rc("FIT-HEAVY-BOOT", "light user data", pass, scripts()),
	rc("FIT-HEAVY-BOOT", "user data present but not read as a script", unknown, group(func(g *inventory.AutoScalingGroup) { g.Launch.UserData = "#!/bin/sh\n/opt/start" })),

	rc("FIT-DOCKER-PRESENT", "docker run", pass, userdata(fact(inventory.FactDocker, "docker run"))),
	rc("FIT-DOCKER-PRESENT", "no docker", notApplicable, scripts()),

	rc("FIT-LAUNCH-CONFIGURATION", "launch configuration", fail, withLC),
	rc("FIT-LAUNCH-CONFIGURATION", "launch template", pass),

	rc("FIT-STALE-IMAGE", "image from 2025-01", fail, image(func(im *inventory.Image) { im.CreationDate = "2025-01-10T08:00:00.000Z" })),
	rc("FIT-STALE-IMAGE", "image from last month", pass),
	rc("FIT-STALE-IMAGE", "image unknown", unknown, noImage()),

	rc("FIT-HTTP-HEALTH-CHECK", "target group HTTP /health", pass, targetGroup(nil)),
	rc("FIT-HTTP-HEALTH-CHECK", "target group TCP", fail, targetGroup(tcpHealth)),
	rc("FIT-HTTP-HEALTH-CHECK", "classic HTTP:8080/status", pass, classicLB(nil)),
	rc("FIT-HTTP-HEALTH-CHECK", "classic TCP:22", fail, classicLB(func(lb *inventory.ClassicLoadBalancer) { lb.HealthCheck.Target = "TCP:22" })),
	rc("FIT-HTTP-HEALTH-CHECK", "no load balancer", notApplicable),

	rc("FIT-ELB-HEALTH-CHECK", "EC2 behind a load balancer", fail, targetGroup(nil), group(func(g *inventory.AutoScalingGroup) { g.HealthCheckType = "EC2" })),
	rc("FIT-ELB-HEALTH-CHECK", "type not known from the code", unknown, targetGroup(nil), group(func(g *inventory.AutoScalingGroup) { g.HealthCheckType, g.Unknown = "EC2", []string{"HealthCheckType"} })),
	rc("FIT-ELB-HEALTH-CHECK", "ELB", pass, targetGroup(nil)),
	rc("FIT-ELB-HEALTH-CHECK", "no load balancer", notApplicable),

	rc("FIT-TARGET-TRACKING", "cpu 50", pass, targetTracking("ASGAverageCPUUtilization", 50)),
	rc("FIT-TARGET-TRACKING", "no policy", fail),
	rc("FIT-TARGET-TRACKING", "disabled policy", fail, targetTracking("ASGAverageCPUUtilization", 50), group(func(g *inventory.AutoScalingGroup) { g.ScalingPolicies[0].Enabled = false })),
	rc("FIT-TARGET-TRACKING", "policies added by code not read", unknown, group(func(g *inventory.AutoScalingGroup) { g.Unknown = []string{"ScalingPolicies"} })),
	rc("FIT-TARGET-TRACKING", "tracking found beside policies not read", pass, targetTracking("ASGAverageCPUUtilization", 50), group(func(g *inventory.AutoScalingGroup) { g.Unknown = []string{"ScalingPolicies"} })),

	rc("FIT-STEP-SCALING", "step policy", pass, group(func(g *inventory.AutoScalingGroup) {
		g.ScalingPolicies = []inventory.ScalingPolicy{{Name: "up", Type: "StepScaling", Enabled: true}}
	})),
	rc("FIT-STEP-SCALING", "none", notApplicable),

	rc("FIT-SPOT-TOLERANT", "mixed, all spot above base", pass, group(func(g *inventory.AutoScalingGroup) {
		g.MixedInstances = &inventory.MixedInstancesPolicy{InstanceTypes: []string{"m5.large", "m5a.large"}, OnDemandPercentageAboveBaseCapacity: 0}
	})),
	rc("FIT-SPOT-TOLERANT", "spot price on the launch configuration", pass, withLC, group(func(g *inventory.AutoScalingGroup) { g.Launch.SpotPrice = "0.05" })),
	rc("FIT-SPOT-TOLERANT", "on-demand", notApplicable),
	rc("FIT-SPOT-TOLERANT", "the on-demand share from a variable without a value", unknown, group(func(g *inventory.AutoScalingGroup) {
		g.MixedInstances = &inventory.MixedInstancesPolicy{InstanceTypes: []string{"m5.large"}, OnDemandPercentageAboveBaseCapacity: 100}
		g.Unknown = []string{"MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity"}
	})),
	rc("FIT-SPOT-TOLERANT", "a mixed instances policy the code may or may not write", unknown, group(func(g *inventory.AutoScalingGroup) {
		g.Unknown = []string{"MixedInstancesPolicy"}
	})),
	rc("FIT-SPOT-TOLERANT", "market options the code may or may not write", unknown, group(func(g *inventory.AutoScalingGroup) {
		g.Launch.Unknown = []string{"InstanceMarketOptions"}
	})),
	rc("FIT-SPOT-TOLERANT", "market options not known beside a spot price", pass, withLC, group(func(g *inventory.AutoScalingGroup) {
		g.Launch.SpotPrice = "0.04"
		g.Launch.Unknown = []string{"InstanceMarketOptions"}
	})),

	rc("FIT-LONG-BOOT", "15 minute grace", fail, group(func(g *inventory.AutoScalingGroup) { g.HealthCheckGracePeriod = 900 })),
	rc("FIT-LONG-BOOT", "2 minute grace", pass, group(func(g *inventory.AutoScalingGroup) { g.HealthCheckGracePeriod = 120 })),
	rc("FIT-LONG-BOOT", "no grace period", notApplicable),

	rc("FIT-GRACEFUL-SHUTDOWN", "terminating hook", pass, group(func(g *inventory.AutoScalingGroup) {
		g.LifecycleHooks = []inventory.LifecycleHook{{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 300}}
	})),
	rc("FIT-GRACEFUL-SHUTDOWN", "classic connection draining", pass, classicLB(func(lb *inventory.ClassicLoadBalancer) {
		lb.ConnectionDraining, lb.ConnectionDrainingTimeout = true, 120
	})),
	rc("FIT-GRACEFUL-SHUTDOWN", "none", notApplicable),

	rc("FIT-SCHEDULED-SCALING", "office hours", pass, group(func(g *inventory.AutoScalingGroup) {
		g.ScheduledActions = []inventory.ScheduledAction{{Name: "morning", Recurrence: "0 7 * * 1-5", DesiredCapacity: ptr(4)}}
	})),
	rc("FIT-SCHEDULED-SCALING", "none", notApplicable),

	rc("FIT-MULTI-SERVICE", "app, nginx and redis", fail, userdata(
		fact(inventory.FactService, "orders-api.service"), fact(inventory.FactWebServer, "nginx"), fact(inventory.FactDatabase, "redis"))),
	rc("FIT-MULTI-SERVICE", "app and nginx, agents not counted, names folded", pass, userdata(
		fact(inventory.FactService, "orders-api"), fact(inventory.FactWebServer, "nginx"), fact(inventory.FactService, "nginx.service"),
		fact(inventory.FactService, "node_exporter"), fact(inventory.FactService, "amazon-cloudwatch-agent"))),
	rc("FIT-MULTI-SERVICE", "package and unit names fold (mysql-server is mysql)", pass, userdata(
		fact(inventory.FactDatabase, "mysql-server"), fact(inventory.FactService, "mysql"), fact(inventory.FactWebServer, "nginx"))),
	rc("FIT-MULTI-SERVICE", "no script", unknown),
	// Containers are split already: a Compose stack of three services is not three services
	// on the box to split.
	rc("FIT-MULTI-SERVICE", "services each in a container of their own", pass, userdata(
		withVia(fact(inventory.FactService, "web"), inventory.ViaCompose), withVia(fact(inventory.FactService, "worker"), inventory.ViaCompose),
		withVia(fact(inventory.FactDatabase, "postgres"), inventory.ViaContainer))),

	rc("FIT-HOST-CRON", "crontab", fail, userdata(fact(inventory.FactCron, "0 2 * * * /opt/report.sh"))),
	rc("FIT-HOST-CRON", "none", pass, scripts()),

	rc("FIT-SINGLETON", "max size 1", fail, group(func(g *inventory.AutoScalingGroup) { g.MinSize, g.DesiredCapacity, g.MaxSize = 1, 1, 1 })),
	rc("FIT-SINGLETON", "max size 6", pass),
	rc("FIT-SINGLETON", "max size not known from the code", unknown, group(func(g *inventory.AutoScalingGroup) { g.MaxSize, g.Unknown = 0, []string{"MaxSize"} })),

	rc("FIT-BATCH-ML", "g5 instances", pass, group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "g5.2xlarge" })),
	rc("FIT-BATCH-ML", "pytorch installed", pass, userdata(fact(inventory.FactBatchML, "pytorch"))),
	rc("FIT-BATCH-ML", "web instance", notApplicable, scripts()),
	// Celery workers are a web application's background work, judged as workers.
	rc("FIT-BATCH-ML", "celery task queue workers", notApplicable, userdata(fact(inventory.FactBatchML, "celery"))),
	rc("FIT-BATCH-ML", "airflow with celery workers", pass, userdata(fact(inventory.FactBatchML, "celery"), fact(inventory.FactBatchML, "airflow"))),
	rc("FIT-BATCH-ML", "nvidia runtime in a shared base image, no GPU instance", notApplicable, userdata(fact(inventory.FactGPU, "nvidia-container-toolkit"))),
	rc("FIT-BATCH-ML", "nvidia drivers on a GPU instance", pass, userdata(fact(inventory.FactGPU, "nvidia-driver-535")), group(func(g *inventory.AutoScalingGroup) { g.Launch.InstanceType = "g4dn.xlarge" })),
}

func TestRules(t *testing.T) {
	c := NewCatalogue()
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			r, ok := c.Rule(tc.rule)
			if !ok {
				t.Fatalf("rule %s is not registered", tc.rule)
			}
			got := r.conclude(subjectOf(build("web", tc.opts...)))
			if got.State != tc.want {
				t.Fatalf("%s: got %s (%s), want %s", tc.rule, got.State, got.Detail, tc.want)
			}
			if got.State == pass || got.State == fail {
				if len(got.Evidence) == 0 {
					t.Fatalf("%s concluded %s without evidence", tc.rule, got.State)
				}
				for _, ev := range got.Evidence {
					if ev.String() == "" {
						t.Errorf("%s: evidence %+v names no place", tc.rule, ev)
					}
				}
			}
		})
	}
}

// TestEveryRuleHasBothRows fails when a rule is added without a row that triggers it and a
// row that must not.
func TestEveryRuleHasBothRows(t *testing.T) {
	fires := map[string]bool{}
	quiet := map[string]bool{}
	c := NewCatalogue()
	for _, tc := range ruleCases {
		r, _ := c.Rule(tc.rule)
		trig := fail
		if r.Direction != DirHurts {
			trig = pass
		}
		if tc.want == trig {
			fires[tc.rule] = true
		} else {
			quiet[tc.rule] = true
		}
	}
	for _, r := range c.Rules() {
		if r.Direction == DirFinding {
			continue
		}
		if !fires[r.ID] || !quiet[r.ID] {
			t.Errorf("rule %s needs a row that triggers it (%v) and one that must not (%v)", r.ID, fires[r.ID], quiet[r.ID])
		}
	}
}

func TestFindingRules(t *testing.T) {
	secretScript := func(e *inventory.Estate) {
		e.Scripts = append(e.Scripts, inventory.Script{Path: "legacy/deploy.sh", Kind: inventory.ScriptShell, Facts: []inventory.Fact{{
			Kind: inventory.FactSecret, Name: "aws-access-key",
			Evidence: inventory.FactEvidence{File: "legacy/deploy.sh", Line: 12, Excerpt: "AWS_SECRET_ACCESS_KEY=CANARYwJalrXUtnFEMI"},
		}}})
	}
	cases := []struct {
		rule string
		name string
		opts []opt
		want int
	}{
		{"FIND-SECRET", "secret in an unlinked script", []opt{secretScript}, 1},
		{"FIND-SECRET", "no secret", []opt{scripts()}, 0},
		{"FIND-SECRET", "a value substituted into user data, found where it is written", []opt{userdata(substituted(fact(inventory.FactSecret, "default-password")))}, 0},
		{"FIND-S3FS", "s3fs mount", []opt{userdata(fact(inventory.FactS3Mount, "s3fs"))}, 1},
		{"FIND-S3FS", "no mount", []opt{scripts()}, 0},
		{"FIND-IMDSV1", "tokens optional", []opt{group(func(g *inventory.AutoScalingGroup) { g.Launch.MetadataHTTPTokens = "optional" })}, 1},
		{"FIND-IMDSV1", "tokens required", []opt{group(func(g *inventory.AutoScalingGroup) { g.Launch.MetadataHTTPTokens = "required" })}, 0},
		{"FIND-LAUNCH-CONFIGURATION", "launch configuration", []opt{withLC}, 1},
		{"FIND-LAUNCH-CONFIGURATION", "launch template", nil, 0},
		{"FIND-SINGLE-AZ", "production in one zone", []opt{tags("Environment", "prod"), group(func(g *inventory.AutoScalingGroup) { g.AvailabilityZones = []string{"eu-west-1a"} })}, 1},
		{"FIND-SINGLE-AZ", "untagged counts as production", []opt{group(func(g *inventory.AutoScalingGroup) { g.AvailabilityZones = []string{"eu-west-1a"} })}, 1},
		{"FIND-SINGLE-AZ", "dev in one zone", []opt{tags("Environment", "dev"), group(func(g *inventory.AutoScalingGroup) { g.AvailabilityZones = []string{"eu-west-1a"} })}, 0},
		{"FIND-SINGLE-AZ", "production in three zones", []opt{tags("Environment", "prod"), group(func(g *inventory.AutoScalingGroup) {
			g.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
		})}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			a := mustAssess(t, build("web", tc.opts...), nil, nil)
			var got []Finding
			for _, f := range a.Findings {
				if f.Rule == tc.rule {
					got = append(got, f)
				}
			}
			if len(got) != tc.want {
				t.Fatalf("%s: %d findings, want %d: %+v", tc.rule, len(got), tc.want, got)
			}
			for _, f := range got {
				if f.Evidence.String() == "" {
					t.Errorf("finding without a place: %+v", f)
				}
				if strings.Contains(f.Evidence.Excerpt, "CANARY") || strings.Contains(f.Detail, "CANARY") {
					t.Errorf("finding carries the secret's value: %+v", f)
				}
			}
		})
	}
}

func TestDuplicateRulePanics(t *testing.T) {
	c := NewCatalogue()
	r, _ := c.Rule("FIT-STICKY-SESSIONS")
	defer func() {
		if recover() == nil {
			t.Fatal("registering FIT-STICKY-SESSIONS twice did not panic")
		}
	}()
	c.Register(r)
}

func TestMalformedRulePanics(t *testing.T) {
	cases := map[string]Rule{
		"lower-case id":     {ID: "fit-x", Dimension: DimState, Direction: DirHurts, Weight: 1, check: checkSingleton},
		"unknown dimension": {ID: "FIT-X", Dimension: "vibes", Direction: DirHurts, Weight: 1, check: checkSingleton},
		"no check":          {ID: "FIT-X", Dimension: DimState, Direction: DirHurts, Weight: 1},
		"finding w/o sev":   {ID: "FIND-X", Direction: DirFinding, find: findSingleAZ},
		"bad effort":        {ID: "FIT-X", Dimension: DimState, Direction: DirHurts, Weight: 1, Blocker: "XXL", check: checkSingleton},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("%s did not panic", name)
				}
			}()
			(&Catalogue{}).Register(r)
		})
	}
}

func TestCatalogueShape(t *testing.T) {
	rules := NewCatalogue().Rules()
	fit := 0
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("Rules() not sorted by id at %s", r.ID)
		}
		if r.Title == "" || r.Rationale == "" {
			t.Errorf("%s lacks a title or rationale", r.ID)
		}
		if (r.Blocker != "" || r.Keep) && r.Remediation == "" {
			t.Errorf("%s blocks but says nothing about remediation", r.ID)
		}
		if r.Direction != DirFinding {
			fit++
		}
	}
	if fit < 25 {
		t.Errorf("%d fit rules, the catalogue promises at least 25", fit)
	}
	for _, d := range dimensions {
		n := 0
		for _, r := range rules {
			if r.Dimension == d.ID {
				n++
			}
		}
		if n < 2 {
			t.Errorf("dimension %s has %d rules", d.ID, n)
		}
	}
}

// TestBootConfigEffort: configuration applied at boot from code in scope is provisioning
// written down (a small blocker, the Dockerfile's steps to be); an agent converging from a
// server, a repository pulled at boot, or a playbook nobody gave us is the M blocker that
// keeps a workload below Good fit.
func TestBootConfigEffort(t *testing.T) {
	playbook := script("ansible/site.yml", inventory.ScriptAnsiblePlay, inventory.LinkReference)
	cases := []struct {
		name string
		opts []opt
		want string
	}{
		{"cfn-init applies the template's metadata", []opt{userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "cfn-init", Via: "cfn-init"})}, EffortS},
		{"ansible-pull from a repository", []opt{userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "ansible-pull", Via: inventory.ViaPullURL, FactParams: &inventory.FactParams{Address: "git.example.com"}})}, EffortM},
		{"a Puppet agent", []opt{userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet agent"}})}, EffortM},
		{"puppet apply of a local manifest", []opt{userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}})}, EffortS},
		{"chef-client", []opt{userdata(fact(inventory.FactConfigMgmt, "chef-client"))}, EffortM},
		{"PowerShell DSC applying the configuration it is given", []opt{userdata(fact(inventory.FactConfigMgmt, "powershell-dsc"))}, EffortS},
		{"a playbook run at boot that is not in scope", []opt{userdata(fact(inventory.FactConfigMgmt, "ansible-playbook"))}, EffortM},
		{"a playbook run at boot that we read", []opt{userdata(fact(inventory.FactConfigMgmt, "ansible-playbook")), playbook}, EffortS},
		{"cfn-init beside a Chef agent", []opt{userdata(inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "cfn-init", Via: "cfn-init"}, fact(inventory.FactConfigMgmt, "chef-client"))}, EffortM},
	}
	r, _ := NewCatalogue().Rule(RuleBootConfigMgmt)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := r.conclude(subjectOf(build("web", c.opts...)))
			if res.State != fail {
				t.Fatalf("state %s (%s), want fail", res.State, res.Detail)
			}
			if got := blockerEffort(r, res); got != c.want {
				t.Errorf("blocker effort %s, want %s", got, c.want)
			}
			wantCap := DefaultThresholds.Excellent - 1
			if c.want == EffortM {
				wantCap = DefaultThresholds.Good - 1
			}
			if got := effectiveCap(r, res, DefaultThresholds); got != wantCap {
				t.Errorf("caps the score at %d, want %d", got, wantCap)
			}
		})
	}
}

// TestAbsenceSaysWhatWasNotRead: a judgement made on what the linked scripts do not show
// names the file a linked script runs that was not in the folders read, or that is in a
// language no reader reads.
func TestAbsenceSaysWhatWasNotRead(t *testing.T) {
	missing := func(e *inventory.Estate) {
		e.Coverage = append(e.Coverage, inventory.CoverageGap{Path: "packer/orders.pkr.hcl", Line: 31, Kind: inventory.GapNotFound,
			Message: `ansible-provisioner names "../ansible/orders.yml", which is not under the scanned folders: not read`})
	}
	python := func(e *inventory.Estate) {
		e.Coverage = append(e.Coverage, inventory.CoverageGap{Path: "userdata/orders.sh", Line: 3, Kind: inventory.GapNotRead,
			Message: `the script runs "app/warm_cache.py", which is a Python script: whyk8s does not read it, so what it does is not known`})
	}
	for _, tc := range []struct {
		name   string
		opts   []opt
		caveat string
	}{
		{"the image build's playbook is not in scope", []opt{customImage(), packer, missing}, " (what packer/orders.pkr.hcl:31 runs or includes is not all in the folders read)"},
		{"everything the image build runs was read", []opt{customImage(), packer}, ""},
		{"a Python script beside a service of its own", []opt{userdata(fact(inventory.FactService, "orders")), python},
			" (what userdata/orders.sh:3 runs is in part in a language whyk8s does not read)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := mustAssess(t, build("orders", tc.opts...), nil, nil).Workloads[0]
			var detail string
			for _, s := range w.Signals {
				if s.Rule == RuleLocalDatabase {
					detail = s.Detail
				}
			}
			if tc.caveat == "" && strings.Contains(detail, "(what ") || tc.caveat != "" && !strings.HasSuffix(detail, tc.caveat) {
				t.Errorf("FIT-LOCAL-DATABASE detail %q, want the caveat %q", detail, tc.caveat)
			}
		})
	}
}
