package scripts

import (
	"regexp"
	"strings"

	"whyk8s/inventory"
)

// PowerShell has no maintained Go parser, so this reader is deliberately shallow: the file
// is Windows (that is the fact that matters most), and a handful of cmdlets whose meaning
// does not depend on parsing are recognised line by line, with comments skipped.

// psRules are the cmdlets recognised, each with the fact it shows. The first group of the
// expression, when there is one, fills the field named by group.
var psRules = []struct {
	re    *regexp.Regexp
	fact  inventory.Fact
	group string // "name", or "command" (prefixed to what the fact's Command holds)
}{
	{regexp.MustCompile(`(?i)\b(?:install|add)-windowsfeature\b.*\b(web-server|web-webserver|iis-webserverrole)\b`), inventory.Fact{Kind: inventory.FactWebServer, Name: "iis", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\b(?:install|add)-windowsfeature\b.*\bcontainers\b`), inventory.Fact{Kind: inventory.FactDocker, Name: "windows containers", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\benable-windowsoptionalfeature\b.*\biis-`), inventory.Fact{Kind: inventory.FactWebServer, Name: "iis", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bstart-service\s+(?:-name\s+)?["']?([\w.$-]+)`), inventory.Fact{Kind: inventory.FactService, Via: viaPS}, "name"},
	{regexp.MustCompile(`(?i)\bset-service\s+(?:-name\s+)?["']?([\w.$-]+)["']?.*-startuptype\s+["']?automatic`), inventory.Fact{Kind: inventory.FactService, Via: viaPS}, "name"},
	{regexp.MustCompile(`(?i)\bnew-service\s+(?:-name\s+)?["']?([\w.$-]+)`), inventory.Fact{Kind: inventory.FactService, Via: viaPS}, "name"},
	{regexp.MustCompile(`(?i)\b(?:register-scheduledtask|schtasks(?:\.exe)?\s+/create)\b`), inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaScheduledTask}, ""},
	{regexp.MustCompile(`(?i)\b(?:get-ssmparameter(?:value|list)?|aws\s+ssm\s+get-parameters?)\b`), inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM}, ""},
	{regexp.MustCompile(`(?i)\b(?:get-secsecretvalue|aws\s+secretsmanager\s+get-secret-value)\b`), inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSecretsManager}, ""},
	{regexp.MustCompile(`(?i)\b(?:iex|invoke-expression)\b.*\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b|\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b.*\|\s*(?:iex|invoke-expression)\b`), inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, FactParams: &inventory.FactParams{Command: "iex"}, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\b(?:initialize-disk|new-partition|format-volume)\b`), inventory.Fact{Kind: inventory.FactDataVolume, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\b(?:new-smbmapping|new-psdrive\b.*-persist|net\s+use\s+\w:)`), inventory.Fact{Kind: inventory.FactNFSMount, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bdocker(?:\.exe)?\s+(run|pull|build|compose)\b`), inventory.Fact{Kind: inventory.FactDocker, FactParams: &inventory.FactParams{Command: "docker"}, Via: viaPS}, "command"},
	{regexp.MustCompile(`(?i)\b(?:new-localuser|net\s+user\s+\S+\s+\S+\s+/add)\b`), inventory.Fact{Kind: inventory.FactLocalUser, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\b(?:new-netfirewallrule|netsh\s+(?:advfirewall|firewall))\b`), inventory.Fact{Kind: inventory.FactFirewall, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bMicrosoft\.SqlServer\.Management\.Smo\.Database\b|\binvoke-sqlcmd\b.*\bcreate\s+database\b`), inventory.Fact{Kind: inventory.FactDatabase, Name: "sql-server", Via: inventory.ViaCreateDatabase}, ""},
	{regexp.MustCompile(`(?i)\[(?:system\.)?environment\]::setenvironmentvariable\(\s*["']([\w.-]+)["']`), inventory.Fact{Kind: inventory.FactEnvConfig, Via: viaPS}, "name"},
	{regexp.MustCompile(`(?i)\bchoco(?:\.exe)?\s+install\s+(?:-y\s+)?([\w.-]+)`), inventory.Fact{Kind: inventory.FactPackage, Via: "choco"}, "name"},
	{regexp.MustCompile(`(?i)\bamazon-cloudwatch-agent-ctl`), inventory.Fact{Kind: inventory.FactObservability, Name: "cloudwatch agent", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bamazon-cloudwatch-agent-ctl\S*\s.*-c\s+["']?ssm:([^\s"']+)`), inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM}, "name"},
	// Configuration management run at boot: PowerShell DSC applying a configuration, and
	// the Windows agents of Chef and Puppet.
	{regexp.MustCompile(`(?i)\bstart-dscconfiguration\b`), inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "powershell-dsc", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bchef-client(?:\.bat)?\b`), inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "chef-client", Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bpuppet(?:\.bat)?\s+agent\b`), inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet agent"}, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bpuppet(?:\.bat)?\s+apply\b`), inventory.Fact{Kind: inventory.FactConfigMgmt, Name: "puppet", FactParams: &inventory.FactParams{Command: "puppet apply"}, Via: viaPS}, ""},
	{regexp.MustCompile(`(?i)\bdatadog-agent|ddagent`), inventory.Fact{Kind: inventory.FactObservability, Name: "datadog agent", Via: viaPS}, ""},
}

const viaPS = inventory.ViaPowerShell

// Scheduled task triggers: a task run at startup or logon is boot work, not a schedule.
var (
	rePSBootTrigger       = regexp.MustCompile(`(?i)new-scheduledtasktrigger\b[^\n]*-at(?:startup|logon)\b`)
	rePSPeriodicTrigger   = regexp.MustCompile(`(?i)new-scheduledtasktrigger\b[^\n]*-(?:daily|weekly|once|repetitioninterval)\b`)
	reSchtasksBoot        = regexp.MustCompile(`(?i)/sc\s+on(?:start|logon|idle|event)\b`)
	reSchtasksScheduleArg = regexp.MustCompile(`(?i)/sc\s`)
)

// bootTask reports a scheduled task registered on line t that only runs at startup or
// logon: by its own /sc (schtasks), or by the triggers the script builds with
// New-ScheduledTaskTrigger when none of them is periodic. A task whose trigger the script
// does not show is taken as scheduled.
func bootTask(t, text string) bool {
	if reSchtasksScheduleArg.MatchString(t) {
		return reSchtasksBoot.MatchString(t)
	}
	return rePSBootTrigger.MatchString(text) && !rePSPeriodicTrigger.MatchString(text)
}

// readPowerShellLines reads PowerShell text starting at file line base.
func (d *doc) readPowerShellLines(text string, base int) {
	inBlock := false
	fetched := map[string]fetchedPath{} // downloaded scripts by file name, lower-case
	for _, f := range d.fetched {
		if !f.dir {
			fetched[strings.ToLower(winBase(f.local))] = f
		}
	}
	for i, l := range strings.Split(text, "\n") {
		if d.res.stopped() {
			return
		}
		line := base + i
		t := strings.TrimSpace(l)
		if inBlock {
			if strings.Contains(t, "#>") {
				inBlock = false
			}
			continue
		}
		if strings.HasPrefix(t, "<#") {
			inBlock = !strings.Contains(t, "#>")
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		for _, r := range psRules {
			m := r.re.FindStringSubmatch(t)
			if m == nil {
				continue
			}
			f := r.fact
			if len(m) > 1 {
				switch r.group {
				case "name":
					f.Name = m[1]
				case "command":
					arg := m[1]
					f.SetParams(func(p *inventory.FactParams) { p.Command += " " + arg })
				}
			}
			switch {
			case f.Kind == inventory.FactCron && bootTask(t, text):
			case f.Kind == inventory.FactService:
				d.serviceFact(f.Name, f.Via, line)
			case f.Kind == inventory.FactPackage:
				d.packageFact(f.Name, ctxSystem, f.Via, line)
			default:
				d.add(f, line)
			}
		}
		if f, ok := psDownload(t); ok {
			d.add(f, line)
			if src := psSource(t); src != "" && f.Name != "" {
				if _, known := classifyKeyword(src); !known {
					fetched[strings.ToLower(f.Name)] = fetchedPath{source: inventory.SourceURL(src), via: f.Command()}
				}
			}
		} else if m := psRun(t); m != nil && len(fetched) > 0 {
			// A script downloaded above, run: what it does is in it (fetched.go).
			run := m[1] + m[2] + m[3]
			if f, ok := fetched[strings.ToLower(winBase(run))]; ok {
				n := len(d.res.refs)
				d.ref(strings.ReplaceAll(run, `\`, "/"), "runs-script", refSuffix, inventory.ScriptPowerShell, line)
				if len(d.res.refs) > n {
					d.res.refs[n].fetched, d.res.refs[n].fetchedVia = f.source, f.via
				}
			}
		}
		if sqlServerSetup(t) {
			d.add(inventory.Fact{Kind: inventory.FactDatabase, Name: "sql-server", Via: "setup"}, line)
		}
		d.scanIPs(t, line, true)
	}
}

// Downloads to a file at boot: Invoke-WebRequest -OutFile, Read-S3Object -File,
// Copy-S3Object -LocalFile, Start-BitsTransfer -Destination, WebClient.DownloadFile.
var (
	rePSDownloadCmd = regexp.MustCompile(`(?i)(?:^|[\s;|(=])(invoke-webrequest|iwr|read-s3object|copy-s3object|start-bitstransfer)\b`)
	rePSOutFile     = regexp.MustCompile(`(?i)\s-(?:outfile|file|localfile|destination|folder)\s*[:]?\s*(?:"([^"]+)"|'([^']+)'|(\S+))`)
	rePSURL         = regexp.MustCompile(`(?i)(https?://[^\s"'()]+)`)
	rePSDownloadAPI = regexp.MustCompile(`(?i)\.downloadfile\(\s*(?:"[^"]*"|'[^']*'|[^,]+)\s*,\s*(?:"([^"]+)"|'([^']+)'|([^)\s]+))`)
)

// psDownload reads a line that downloads a file to disk; a request whose answer is read,
// not saved, is not one.
func psDownload(t string) (inventory.Fact, bool) {
	var file string
	var cmd string
	if m := rePSDownloadCmd.FindStringSubmatch(t); m != nil {
		o := rePSOutFile.FindStringSubmatch(t)
		if o == nil {
			return inventory.Fact{}, false
		}
		cmd, file = strings.ToLower(m[1]), o[1]+o[2]+o[3]
	} else if m := rePSDownloadAPI.FindStringSubmatch(t); m != nil {
		cmd, file = "downloadfile", m[1]+m[2]+m[3]
	} else {
		return inventory.Fact{}, false
	}
	f := inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassDownload, Via: viaPS, FactParams: &inventory.FactParams{Command: cmd}, Name: winBase(file)}
	if u := rePSURL.FindString(t); u != "" {
		f.FactParams.Address = hostOf(u)
	}
	return f, true
}

// rePSRun is a script run by its path: & "C:\x.ps1", . .\x.ps1, powershell -File x.ps1,
// Start-Process -FilePath x.bat, cmd /c x.cmd.
var rePSRun = regexp.MustCompile(`(?i)(?:^|[\s;|(])(?:&|\.|(?:powershell|pwsh)(?:\.exe)?\s+(?:-\w+\s+(?:\w+\s+)?)*-file|start-process\s+(?:-filepath\s+)?|cmd(?:\.exe)?\s+/c)\s*(?:"([^"]+\.(?:ps1|bat|cmd))"|'([^']+\.(?:ps1|bat|cmd))'|([^\s"';|]+\.(?:ps1|bat|cmd)))`)

// rePSRunBare is a script run by its path at the start of a line: C:\bootstrap\run.ps1.
var rePSRunBare = regexp.MustCompile(`(?i)^(?:"([^"]+\.(?:ps1|bat|cmd))"|'([^']+\.(?:ps1|bat|cmd))'|([^\s"';|&.][^\s"';|]*\.(?:ps1|bat|cmd)))(?:\s|$)`)

// psRun is the match of a line that runs a script by its path; the path is the first
// non-empty of its three groups.
func psRun(t string) []string {
	if m := rePSRun.FindStringSubmatch(t); m != nil {
		return m
	}
	return rePSRunBare.FindStringSubmatch(t)
}

var (
	rePSBucket = regexp.MustCompile(`(?i)-bucketname\s+(?:"([^"]+)"|'([^']+)'|(\S+))`)
	rePSKey    = regexp.MustCompile(`(?i)-key\s+(?:"([^"]+)"|'([^']+)'|(\S+))`)
)

// psSource is where a download line fetches from: its URL, or the S3 object Read-S3Object
// and Copy-S3Object name.
func psSource(t string) string {
	if u := rePSURL.FindString(t); u != "" {
		return u
	}
	b, k := rePSBucket.FindStringSubmatch(t), rePSKey.FindStringSubmatch(t)
	if b == nil || k == nil {
		return ""
	}
	return "s3://" + b[1] + b[2] + b[3] + "/" + strings.TrimLeft(k[1]+k[2]+k[3], "/")
}

// winBase is the last part of a Windows or POSIX path.
func winBase(p string) string {
	p = strings.TrimRight(strings.Trim(p, `"'`), `\/`)
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		p = p[i+1:]
	}
	return p
}

// sqlServerSetup reports a SQL Server setup command line that installs the database
// engine: /FEATURES naming SQLENGINE (or SQL, the older group holding it), or, where the
// features are not on the line (a configuration file holds them), /ACTION=Install with an
// /INSTANCENAME. Features without the engine (Analysis Services, the tools) and actions
// other than installing one are not the engine.
func sqlServerSetup(line string) bool {
	features, hasFeatures := setupParam(line, "/features=")
	action, hasAction := setupParam(line, "/action=")
	if hasAction {
		switch strings.ToLower(action) {
		case "install", "installfailovercluster", "completeimage", "completefailovercluster", "upgrade":
		default:
			return false
		}
	}
	if hasFeatures {
		for _, f := range strings.Split(features, ",") {
			if f = strings.TrimSpace(f); strings.EqualFold(f, "sqlengine") || strings.EqualFold(f, "sql") {
				return true
			}
		}
		return false
	}
	_, hasInstance := setupParam(line, "/instancename=")
	return hasAction && hasInstance
}

// setupParam returns the value of a /NAME= parameter of a setup command line (name given in
// lower case, with its "="), unquoted.
func setupParam(line, name string) (string, bool) {
	i := indexFold(line, name)
	if i < 0 {
		return "", false
	}
	v := line[i+len(name):]
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		q := v[0]
		v = v[1:]
		if j := strings.IndexByte(v, q); j >= 0 {
			v = v[:j]
		}
		return v, true
	}
	if j := strings.IndexAny(v, " \t\"'`"); j >= 0 {
		v = v[:j]
	}
	return v, true
}

// indexFold is strings.Index ignoring ASCII case; sub is lower-case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

// readPowerShell reads a whole PowerShell script or the <powershell> blocks of Windows
// user data.
func (d *doc) readPowerShell(text string, base int) {
	first := base
	if i := strings.Index(strings.ToLower(text), "<powershell>"); i >= 0 {
		first = base + strings.Count(text[:i], "\n")
	}
	d.add(inventory.Fact{Kind: inventory.FactWindows, Name: "powershell", Via: viaPS}, first)
	d.readPowerShellLines(text, base)
}
