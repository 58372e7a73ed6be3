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
	{regexp.MustCompile(`(?i)\bstart-service\s+(?:-name\s+)?["']?([\w.-]+)`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\bset-service\s+(?:-name\s+)?["']?([\w.-]+)["']?.*-startuptype\s+["']?automatic`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\bnew-service\s+(?:-name\s+)?["']?([\w.-]+)`), inventory.FactService, "$1"},
	{regexp.MustCompile(`(?i)\b(?:register-scheduledtask|schtasks(?:\.exe)?\s+/create)\b`), inventory.FactCron, "scheduled task"},
	{regexp.MustCompile(`(?i)\b(?:get-ssmparameter(?:value|list)?|aws\s+ssm\s+get-parameters?)\b`), inventory.FactConfigStore, "ssm"},
	{regexp.MustCompile(`(?i)\b(?:get-secsecretvalue|aws\s+secretsmanager\s+get-secret-value)\b`), inventory.FactConfigStore, "secretsmanager"},
	{regexp.MustCompile(`(?i)\b(?:iex|invoke-expression)\b.*\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b|\b(?:downloadstring|invoke-webrequest|iwr|invoke-restmethod|irm)\b.*\|\s*(?:iex|invoke-expression)\b`), inventory.FactBootWork, "download | iex"},
	{regexp.MustCompile(`(?i)\b(?:initialize-disk|new-partition|format-volume)\b`), inventory.FactDataVolume, "disk initialised"},
	{regexp.MustCompile(`(?i)\b(?:new-smbmapping|new-psdrive\b.*-persist|net\s+use\s+\w:)`), inventory.FactNFSMount, "smb share"},
	{regexp.MustCompile(`(?i)\bdocker(?:\.exe)?\s+(run|pull|build|compose)\b`), inventory.FactDocker, "docker $1"},
	{regexp.MustCompile(`(?i)\b(?:new-localuser|net\s+user\s+\S+\s+\S+\s+/add)\b`), inventory.FactLocalUser, "local user"},
	{regexp.MustCompile(`(?i)\b(?:new-netfirewallrule|netsh\s+advfirewall)\b`), inventory.FactFirewall, "windows firewall"},
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
		d.scanIPs(t, line, true)
	}
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
