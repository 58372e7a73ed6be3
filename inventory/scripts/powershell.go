package scripts

import (
	"regexp"
	"strings"

	"whyk8s/inventory"
)

// PowerShell has no maintained Go parser, so this reader is deliberately shallow: the file
// is Windows (that is the fact that matters most), and a handful of cmdlets whose meaning
// does not depend on parsing are recognised line by line, with comments skipped.

var psRules = []struct {
	re     *regexp.Regexp
	kind   string
	detail string // "$1" takes the first group
}{
	{regexp.MustCompile(`(?i)\b(?:install|add)-windowsfeature\b.*\b(web-server|web-webserver|iis-webserverrole)\b`), inventory.FactWebServer, "iis"},
	{regexp.MustCompile(`(?i)\b(?:install|add)-windowsfeature\b.*\bcontainers\b`), inventory.FactDocker, "windows containers"},
	{regexp.MustCompile(`(?i)\benable-windowsoptionalfeature\b.*\biis-`), inventory.FactWebServer, "iis"},
	{regexp.MustCompile(`(?i)\bstart-service\s+(?:-name\s+)?["']?([\w.$-]+)`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\bset-service\s+(?:-name\s+)?["']?([\w.$-]+)["']?.*-startuptype\s+["']?automatic`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\bnew-service\s+(?:-name\s+)?["']?([\w.$-]+)`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\b(?:register-scheduledtask|schtasks(?:\.exe)?\s+/create)\b`), inventory.FactCron, "scheduled task"},
	{regexp.MustCompile(`(?i)\b(?:get-ssmparameter(?:value|list)?|aws\s+ssm\s+get-parameters?)\b`), inventory.FactConfigStore, "ssm"},
	{regexp.MustCompile(`(?i)\b(?:get-secsecretvalue|aws\s+secretsmanager\s+get-secret-value)\b`), inventory.FactConfigStore, "secretsmanager"},
	{regexp.MustCompile(`(?i)\b(?:iex|invoke-expression)\b.*\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b|\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b.*\|\s*(?:iex|invoke-expression)\b`), inventory.FactBootWork, "download | iex"},
	{regexp.MustCompile(`(?i)\b(?:initialize-disk|new-partition|format-volume)\b`), inventory.FactDataVolume, "disk initialised"},
	{regexp.MustCompile(`(?i)\b(?:new-smbmapping|new-psdrive\b.*-persist|net\s+use\s+\w:)`), inventory.FactNFSMount, "smb share"},
	{regexp.MustCompile(`(?i)\bdocker(?:\.exe)?\s+(run|pull|build|compose)\b`), inventory.FactDocker, "docker $1"},
	{regexp.MustCompile(`(?i)\b(?:new-localuser|net\s+user\s+\S+\s+\S+\s+/add)\b`), inventory.FactLocalUser, "local user"},
	{regexp.MustCompile(`(?i)\b(?:new-netfirewallrule|netsh\s+(?:advfirewall|firewall))\b`), inventory.FactFirewall, "windows firewall"},
	{regexp.MustCompile(`(?i)\bMicrosoft\.SqlServer\.Management\.Smo\.Database\b|\binvoke-sqlcmd\b.*\bcreate\s+database\b`), inventory.FactDatabase, "sql-server database created"},
	{regexp.MustCompile(`(?i)\[(?:system\.)?environment\]::setenvironmentvariable\(\s*["']([\w.-]+)["']`), inventory.FactEnvConfig, "$1"},
	{regexp.MustCompile(`(?i)\bchoco(?:\.exe)?\s+install\s+(?:-y\s+)?([\w.-]+)`), inventory.FactPackage, "$1"},
	{regexp.MustCompile(`(?i)\bamazon-cloudwatch-agent-ctl`), inventory.FactObservability, "cloudwatch agent"},
	{regexp.MustCompile(`(?i)\bdatadog-agent|ddagent`), inventory.FactObservability, "datadog agent"},
}

// readPowerShellLines reads PowerShell text starting at file line base.
func (d *doc) readPowerShellLines(text string, base int) {
	inBlock := false
	for i, l := range strings.Split(text, "\n") {
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
			detail := r.detail
			if len(m) > 1 {
				detail = strings.ReplaceAll(detail, "$1", m[1])
			}
			switch r.kind {
			case inventory.FactService:
				d.serviceFact(detail, line)
			case inventory.FactPackage:
				d.packageFact(detail, ctxSystem, line)
			default:
				d.add(r.kind, detail, line)
			}
		}
		if sqlServerSetup(t) {
			d.add(inventory.FactDatabase, "sql-server", line)
		}
		d.scanIPs(t, line, true)
	}
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
	d.add(inventory.FactWindows, "powershell", first)
	d.readPowerShellLines(text, base)
}
