package scripts

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"whyk8s/inventory"
)

// Kind hints decided by name alone, before the content is seen.
const (
	hintNone = ""
	hintYAML = "yaml"
	hintJSON = "json"
	hintText = "text" // user data often hides in .txt, .tpl, .cfg or no extension at all
	// hintTerraform is Terraform's or OpenTofu's own configuration: read for the literal
	// credentials written in it (hclConfig), never taken for a script by its content — a
	// heredoc of user data inside is the infrastructure reader's to render.
	hintTerraform = "terraform"
)

// skipExts are files that are never provisioning scripts; they are counted and skipped
// without being read.
var skipExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".svg": true, ".webp": true, ".bmp": true,
	".zip": true, ".tar": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true, ".jar": true, ".war": true,
	".rpm": true, ".deb": true, ".iso": true, ".img": true, ".qcow2": true, ".vmdk": true, ".ova": true,
	".exe": true, ".dll": true, ".so": true, ".dylib": true, ".a": true, ".o": true, ".class": true, ".pyc": true,
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true, ".mp3": true, ".mp4": true,
	".md": true, ".rst": true, ".adoc": true, ".html": true, ".htm": true, ".css": true, ".scss": true,
	".go": true, ".java": true, ".py": true, ".rb": true, ".js": true, ".ts": true, ".tsx": true, ".jsx": true,
	".c": true, ".h": true, ".cc": true, ".cpp": true, ".cs": true, ".rs": true, ".php": true, ".swift": true, ".kt": true,
	".lock": true, ".sum": true, ".mod": true, ".csv": true, ".tsv": true, ".log": true, ".pem": true, ".crt": true,
	".der": true, ".p12": true, ".pfx": true, ".key": true, ".pub": true, ".gpg": true, ".asc": true, ".sig": true,
	".tfstate": true, ".xml": true, ".toml": true, ".ini": true, ".properties": true,
	".gitignore": true, ".gitattributes": true, ".editorconfig": true, ".dockerignore": true, ".license": true,
}

// nameHint says, from the file name alone, whether a file is a script candidate: a
// candidate that turns out broken or binary is a coverage gap; anything else that does not
// look like a script is skipped quietly.
func nameHint(p, roleRoot string) (hint string, candidate bool) {
	base := strings.ToLower(path.Base(p))
	switch {
	case strings.HasSuffix(base, ".pkr.hcl"), strings.HasSuffix(base, ".pkrvars.hcl"):
		return inventory.ScriptPackerHCL, true
	case strings.HasSuffix(base, ".pkr.json"), strings.HasSuffix(base, ".pkrvars.json"):
		return inventory.ScriptPackerHCL, true
	case strings.HasSuffix(base, ".tf"), strings.HasSuffix(base, ".tofu"), strings.HasSuffix(base, ".tfvars"),
		strings.HasSuffix(base, ".tf.json"), strings.HasSuffix(base, ".tofu.json"), strings.HasSuffix(base, ".tfvars.json"):
		return hintTerraform, false
	case strings.HasSuffix(base, ".json"):
		return hintJSON, false
	case strings.HasSuffix(base, ".yml"), strings.HasSuffix(base, ".yaml"):
		return hintYAML, ansiblePath(p, roleRoot)
	case strings.HasSuffix(base, ".sh"), strings.HasSuffix(base, ".bash"):
		return inventory.ScriptShell, true
	case strings.HasSuffix(base, ".ps1"):
		return inventory.ScriptPowerShell, true
	case strings.HasSuffix(base, ".rb") && strings.Contains("/"+p, "/recipes/"):
		return inventory.ScriptChefRecipe, true
	case strings.HasSuffix(base, ".rb") && path.Base(path.Dir(p)) == "roles":
		// A Chef role in Ruby: Ansible's roles are folders, never files of roles/.
		return inventory.ScriptChefRunList, true
	case strings.HasSuffix(base, ".pp"):
		return inventory.ScriptPuppetManifest, true
	case strings.HasSuffix(base, ".sls"):
		return inventory.ScriptSaltState, true
	case strings.HasSuffix(base, ".j2"), strings.Contains("/"+p, "/templates/") && roleDirFor(p, roleRoot) != "",
		installedAs(p) != "":
		return inventory.ScriptTemplate, true
	}
	if ext := path.Ext(base); skipExts[ext] {
		return "skip", false
	}
	return hintText, false
}

// ansiblePath reports a path Ansible gives meaning to.
func ansiblePath(p, roleRoot string) bool {
	if roleDirFor(p, roleRoot) != "" {
		return true
	}
	q := "/" + p
	for _, dir := range []string{"/roles/", "/playbooks/", "/group_vars/", "/host_vars/", "/tasks/", "/handlers/", "/ansible/"} {
		if strings.Contains(q, dir) {
			return true
		}
	}
	return false
}

// ansibleKindByPath names the kind of a file inside a role or a vars folder.
func ansibleKindByPath(p, roleRoot string) string {
	if rd := roleDirFor(p, roleRoot); rd != "" {
		sub := strings.SplitN(strings.TrimPrefix(p, rd), "/", 2)[0]
		switch sub {
		case "tasks", "handlers":
			return inventory.ScriptAnsibleTasks
		case "defaults", "vars", "meta":
			return inventory.ScriptAnsibleVars
		case "templates":
			return inventory.ScriptTemplate
		}
	}
	q := "/" + p
	if strings.Contains(q, "/group_vars/") || strings.Contains(q, "/host_vars/") {
		return inventory.ScriptAnsibleVars
	}
	return ""
}

// sniff names the kind of user-data-like text by its first line or markers.
func sniff(text string) string {
	t := strings.TrimLeft(text, " \t\r\n")
	first := t
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		first = t[:i]
	}
	first = strings.TrimSpace(first)
	lf := strings.ToLower(first)
	switch {
	case strings.HasPrefix(lf, "## template: jinja"):
		return sniff(t[len(first):])
	case strings.HasPrefix(lf, "#cloud-config"):
		return inventory.ScriptCloudConfig
	case strings.HasPrefix(lf, "#cloud-boothook"):
		return inventory.ScriptShell
	case strings.HasPrefix(lf, "#!powershell"), strings.HasPrefix(lf, "#ps1"), strings.HasPrefix(lf, "<powershell>"), strings.HasPrefix(lf, "<script>"):
		return inventory.ScriptPowerShell
	case strings.HasPrefix(lf, "#!"):
		interp := strings.Fields(strings.TrimPrefix(lf, "#!"))
		if len(interp) == 0 {
			return ""
		}
		prog := path.Base(interp[0])
		if prog == "env" && len(interp) > 1 {
			prog = interp[1]
		}
		switch prog {
		case "bash", "sh", "dash", "ksh", "zsh", "ash":
			return inventory.ScriptShell
		case "pwsh", "powershell":
			return inventory.ScriptPowerShell
		}
		return ""
	case strings.HasPrefix(lf, "content-type: multipart/"), strings.HasPrefix(lf, "mime-version:"):
		return inventory.ScriptMIME
	}
	if hasPowerShellTag(t) {
		return inventory.ScriptPowerShell
	}
	if strings.HasPrefix(lf, "version:") {
		if low := strings.ToLower(t); strings.Contains(low, "\ntasks:") && strings.Contains(low, "- task:") {
			return inventory.ScriptPowerShell // EC2Launch v2 user data
		}
	}
	if ignitionText(t) {
		return inventory.ScriptIgnition
	}
	return ""
}

// ignitionText reports user data that is an Ignition config (JSON with an ignition key) or
// the Butane it is transpiled from (top-level variant and version keys): Fedora CoreOS and
// Flatcar hosts take nothing else, and carry no #! or #cloud-config line to say so.
func ignitionText(t string) bool {
	if strings.HasPrefix(t, "{") {
		return strings.Contains(t, `"ignition"`)
	}
	// sniff runs on every file the scan classifies: look for the two keys at a line's start
	// without splitting the text.
	topKey := func(k string) bool { return strings.HasPrefix(t, k) || strings.Contains(t, "\n"+k) }
	return topKey("variant:") && topKey("version:")
}

// hasPowerShellTag reports "<powershell>" in any case, as strings.ToLower and Contains
// would (no other character lower-cases to one of the tag's), without copying the text.
func hasPowerShellTag(t string) bool {
	for i := strings.IndexByte(t, '<'); i >= 0; {
		if hasPrefixFold(t[i:], "<powershell>") {
			return true
		}
		j := strings.IndexByte(t[i+1:], '<')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

// ansibleModules are module names (short form) used to recognise a task list by content.
var ansibleModules = map[string]bool{
	"service": true, "systemd": true, "systemd_service": true, "copy": true, "template": true, "file": true,
	"lineinfile": true, "blockinfile": true, "shell": true, "command": true, "raw": true, "script": true,
	"user": true, "group": true, "mount": true, "cron": true, "sysctl": true, "get_url": true, "unarchive": true,
	"debug": true, "set_fact": true, "include_tasks": true, "import_tasks": true, "include_role": true,
	"import_role": true, "include_vars": true, "block": true, "docker_container": true, "docker_image": true,
	"git": true, "uri": true, "stat": true, "wait_for": true, "apt_key": true, "apt_repository": true,
	"yum_repository": true, "assert": true, "fail": true, "pause": true, "replace": true, "modprobe": true,
	"filesystem": true, "authorized_key": true, "ufw": true, "firewalld": true, "iptables": true, "pam_limits": true,
	"meta": true, "setup": true, "include": true, "reboot": true, "win_shell": true, "win_feature": true,
}

// ansibleKindByContent recognises a playbook or a task list by its shape.
func ansibleKindByContent(docs []*yaml.Node) string {
	for _, root := range docs {
		n := resolve(root)
		tasks := 0
		for _, it := range items(n) {
			for _, kv := range pairs(it) {
				k := kv[0].Value
				switch {
				case k == "hosts" || k == "import_playbook" || k == "ansible.builtin.import_playbook":
					return inventory.ScriptAnsiblePlay
				case packageModules[shortModule(k)] != "" || ansibleModules[shortModule(k)] && (!strings.Contains(k, ".") || strings.HasPrefix(k, "ansible.") || strings.HasPrefix(k, "community.") || strings.HasPrefix(k, "amazon.")):
					tasks++
				}
			}
		}
		if tasks > 0 {
			return inventory.ScriptAnsibleTasks
		}
	}
	return ""
}

// decodeText turns file bytes into text: gzip undone, UTF-16 with a byte-order mark
// decoded (PowerShell files often are), a UTF-8 mark dropped.
func decodeText(data []byte, limit int64) ([]byte, error) {
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		if int64(len(out)) > limit {
			return nil, errTooLarge
		}
		data = out
	}
	if len(data) >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)) {
		out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), data)
		if err != nil {
			return nil, fmt.Errorf("utf-16: %w", err)
		}
		data = out
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// A lone CR (old Mac line ends) is a line break to YAML and HCL; make it one for
	// every reader so that line numbers agree.
	if i := bytes.IndexByte(data, '\r'); i >= 0 && (i+1 == len(data) || data[i+1] != '\n' || bytes.Contains(data[i+1:], []byte("\r"))) {
		var out []byte
		for j := 0; j < len(data); j++ {
			if data[j] == '\r' && (j+1 == len(data) || data[j+1] != '\n') {
				out = append(out, '\n')
				continue
			}
			out = append(out, data[j])
		}
		data = out
	}
	return data, nil
}

var errTooLarge = errors.New("too large")

// readKind reads a text of a known kind, whose first line is file line base. A text that
// does not parse is returned as an error naming the line.
func (d *doc) readKind(kind, text string, base int) error {
	switch kind {
	case inventory.ScriptShell:
		if t := installedAs(d.file); t != "" && d.depth == 0 && strings.HasPrefix(t, "/etc/cron") {
			// A cron script kept where the host gets it: the job is the fact.
			d.write(fileWrite{target: t, line: base})
		}
		return d.readShell(text, base, false)
	case inventory.ScriptCloudConfig:
		return d.readCloudConfig(text, base)
	case inventory.ScriptIgnition:
		return d.readIgnition(text, base)
	case inventory.ScriptCompose:
		docs, err := parseYAML(text)
		if err != nil {
			return err
		}
		d.readCompose(docs, base)
	case inventory.ScriptPowerShell:
		d.readPowerShell(text, base)
	case inventory.ScriptChefRecipe:
		d.readChefRecipe(text, base)
	case inventory.ScriptPuppetManifest:
		d.readPuppetManifest(text, base)
	case inventory.ScriptSaltState:
		return d.readSaltStates(text, base)
	case inventory.ScriptChefRunList:
		if strings.HasSuffix(d.file, ".rb") {
			d.readChefRoleRuby(text, base)
			return nil
		}
		return d.readChefRunList(d.bytesOf(text), d.file)
	case inventory.ScriptMIME:
		return d.readMIME(text, base)
	case inventory.ScriptTemplate:
		d.readTemplate(text, base)
		t := installedAs(d.file)
		if d.res.installAs != "" {
			t = d.res.installAs // where a playbook's template or copy task puts it
		}
		if t != "" {
			// A unit or sysctl file kept in the repository is what the host gets.
			d.write(fileWrite{target: t, line: base, content: jinjaShell(text), cline: base, known: true})
		}
	case inventory.ScriptAnsiblePlay, inventory.ScriptAnsibleTasks, inventory.ScriptAnsibleVars:
		docs, err := parseYAML(text)
		if err != nil {
			return err
		}
		d.readAnsible(kind, docs, base)
	case inventory.ScriptPackerHCL, inventory.ScriptPackerVars:
		return d.readPackerHCL(d.bytesOf(text), d.file, strings.HasSuffix(d.file, ".json"))
	case inventory.ScriptPackerJSON:
		if l := strings.ToLower(d.file); strings.HasSuffix(l, ".yml") || strings.HasSuffix(l, ".yaml") {
			return d.readPackerYAML(text, base)
		}
		return d.readPackerJSON(d.bytesOf(text), d.file)
	case inventory.ScriptPackerManifest:
		return d.readManifest(d.bytesOf(text), d.file)
	case inventory.ScriptCloudFormation:
		return d.readCloudFormation(text)
	case inventory.ScriptUserData:
		k := sniff(text)
		if k == "" {
			return nil
		}
		return d.readKind(k, text, base)
	}
	return nil
}

// reTFDirective is a line holding only a Terraform template directive: %{ if x }, %{~ else ~},
// %{ endfor }.
var reTFDirective = regexp.MustCompile(`(?m)^[ \t]*%\{~?[ \t]*(?:if|else|endif|for|endfor)\b[^}\n]*\}[ \t]*\r?$`)

// tfTemplate renders what Terraform's templatefile() would change in a user-data template
// before the script runs: directive lines go (their lines stay, empty), and the escapes
// $${ and %%{ become ${ and %{. A .tpl whose MIME parts are wrapped in %{ if } lines, or
// whose shell writes $${#ARR[@]}, is otherwise unreadable. Only a file named as a template
// (.tpl, .tftpl) or holding such directives is touched.
func tfTemplate(disp, text string) string {
	if !strings.Contains(text, "%{") && !strings.Contains(text, "$${") {
		return text
	}
	base := strings.ToLower(path.Base(disp))
	named := strings.HasSuffix(base, ".tpl") || strings.HasSuffix(base, ".tftpl") || strings.Contains(base, ".tpl.") || strings.Contains(base, ".tftpl.")
	if !named && !reTFDirective.MatchString(text) {
		return text
	}
	if strings.Contains(strings.ToLower(text), "multipart/") {
		text = mimeDirectives(text)
	}
	text = reTFDirective.ReplaceAllString(text, "")
	return strings.NewReplacer("$${", "${", "%%{", "%{").Replace(text)
}

// mimeDirectives turns the directive lines among a MIME part's headers (right after its
// boundary line, where templates put them) into a header no reader uses: an empty line
// there would end the headers and leave the part without its Content-Type.
func mimeDirectives(text string) string {
	lines := strings.Split(text, "\n")
	inHeaders := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "--") && len(t) > 2 && !strings.ContainsAny(t, " \t"):
			inHeaders = true
		case inHeaders && reTFDirective.MatchString(l):
			// Before another boundary the part is empty, as Terraform renders it; before
			// headers the line must read as one.
			if i+1 < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), "--") {
				lines[i] = "X-Template-Directive: " + strings.Trim(t, "%{}~ ")
			}
		case t == "":
			inHeaders = false
		}
	}
	return strings.Join(lines, "\n")
}

// installedAs is where a file kept in the repository goes on the host when its name says
// so: a systemd unit (kafka.service, kafka.service.j2), a sysctl file (sysctl.d/99-net.conf),
// a cron file in an etc/ tree (etc/cron.d/cleanup, etc/crontab).
func installedAs(p string) string {
	base := strings.TrimSuffix(path.Base(p), ".j2")
	switch {
	case strings.HasSuffix(base, ".service") || strings.HasSuffix(base, ".timer"):
		return "/etc/systemd/system/" + base
	case base == "sysctl.conf" || strings.HasSuffix(base, ".conf") && path.Base(path.Dir(p)) == "sysctl.d":
		return "/etc/sysctl.d/" + base
	case base == "fstab":
		return "/etc/fstab"
	}
	// A folder that mirrors the host's (root/etc/cron.hourly/logrotate, files/etc/fstab),
	// uploaded or copied as it is: the file's place there is where it goes.
	if i := strings.Index("/"+p, "/etc/"); i >= 0 {
		if t := strings.TrimSuffix(("/" + p)[i:], ".j2"); installTarget(t) {
			return t
		}
	}
	// A file kept in a root-file-system overlay (packer/root/etc/cron.hourly/logrotate)
	// lands where its path says.
	dir := path.Dir(p)
	if path.Base(path.Dir(dir)) == "etc" {
		switch d := path.Base(dir); d {
		case "cron.d", "cron.hourly", "cron.daily", "cron.weekly", "cron.monthly":
			return "/etc/" + d + "/" + base
		}
	}
	if base == "crontab" && path.Base(dir) == "etc" {
		return "/etc/crontab"
	}
	return ""
}

// readTemplate reads a Jinja template line by line: it is rendered config, so only what a
// line alone shows — addresses, lookups into a config store — is recorded.
func (d *doc) readTemplate(text string, base int) {
	rules := false
	for i, l := range strings.Split(text, "\n") {
		if d.res.stopped() {
			return
		}
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "{#") || strings.HasPrefix(t, ";") || strings.HasPrefix(t, "//") {
			continue
		}
		if m := storeRef(t); m != nil {
			d.add(inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaAnsibleLookup, Name: shortModule(m[1])}, base+i)
		}
		if !rules && reIptablesRule.MatchString(t) {
			rules = true // the first rule stands for the file
			d.add(inventory.Fact{Kind: inventory.FactFirewall, Via: inventory.ViaRulesFile, Name: "iptables"}, base+i)
		}
		d.scanIPs(t, base+i, true)
	}
}

// reIptablesRule is a rule line of an iptables-save file, the form firewall templates
// (iptables.j2, /etc/sysconfig/iptables) are written in.
var reIptablesRule = regexp.MustCompile(`^-A (?:INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING)\b`)

// readMIME reads multipart user data. Parts are found by mime/multipart; their lines are
// placed by the boundary lines of the text. A base64 or quoted-printable part is decoded
// and read as its own text, named "<file>#part-N".
func (d *doc) readMIME(text string, base int) error {
	tr := textproto.NewReader(bufio.NewReader(strings.NewReader(text)))
	hdr, err := tr.ReadMIMEHeader()
	if err != nil && len(hdr) == 0 {
		return &hclError{line: base, msg: "MIME headers: " + err.Error()}
	}
	mt, params, err := mime.ParseMediaType(hdr.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return &hclError{line: base, msg: "not a multipart message: Content-Type " + hdr.Get("Content-Type")}
	}
	boundary := params["boundary"]
	lines := strings.Split(text, "\n")
	var bodyStarts []int // 0-based line of each part's first body line
	// lib is the text mime/multipart reads. cloud-init (Python's email parser) takes the
	// first line that is not a header as the start of the body even without the blank
	// line before it; Go's reader does not, so such a part gets its blank line here. Lines
	// are still placed from the text as written.
	lib := make([]string, 0, len(lines)+4)
	for i := 0; i < len(lines); i++ {
		lib = append(lib, lines[i])
		if strings.TrimRight(lines[i], " \t\r") != "--"+boundary {
			continue
		}
		j := i + 1
		for j < len(lines) && isHeaderLine(lines[j]) {
			lib = append(lib, lines[j])
			j++
		}
		switch {
		case j < len(lines) && strings.TrimSpace(lines[j]) == "":
			lib = append(lib, lines[j])
			bodyStarts = append(bodyStarts, j+1)
		case j < len(lines) && strings.TrimRight(lines[j], " \t\r") == "--"+boundary:
			lib = append(lib, "")
			bodyStarts = append(bodyStarts, j)
			i = j - 1
			continue
		default:
			lib = append(lib, "")
			bodyStarts = append(bodyStarts, j)
			i = j - 1
			continue
		}
		i = j
	}
	body := strings.Join(lib, "\n")
	if !strings.Contains(text, "--"+boundary+"--") {
		// cloud-init reads a message whose last part runs to the end without the closing
		// boundary; so does this reader. The appended line is past every real line.
		body += "\n--" + boundary + "--\n"
	}
	mr := multipart.NewReader(strings.NewReader(body), boundary)
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			line := base
			if n < len(bodyStarts) {
				line = base + bodyStarts[n] - 2
			}
			return &hclError{line: line, msg: "MIME part " + fmt.Sprint(n+1) + ": " + err.Error()}
		}
		body, err := io.ReadAll(io.LimitReader(p, 16<<20))
		if err != nil {
			return &hclError{line: base, msg: "MIME part " + fmt.Sprint(n+1) + ": " + err.Error()}
		}
		start := base
		if n < len(bodyStarts) {
			start = base + bodyStarts[n]
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ct == "application/node.eks.aws" {
			// nodeadm's NodeConfig, the way EKS nodes on Amazon Linux 2023 join their cluster.
			d.add(inventory.Fact{Kind: inventory.FactClusterNode, Name: "eks", FactParams: &inventory.FactParams{Command: "nodeadm"}}, start)
			continue
		}
		kind := partKind(ct, string(body))
		if kind == "" {
			continue
		}
		sub := d
		partText := string(body)
		switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
		case "base64":
			raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(partText), ""))
			if err != nil {
				d.gap(inventory.GapParse, start, fmt.Sprintf("MIME part %d: not valid base64", n+1))
				continue
			}
			if raw, err = decodeText(raw, 16<<20); err != nil || !utf8.Valid(raw) {
				d.gap(inventory.GapEncoding, start, fmt.Sprintf("MIME part %d: not UTF-8 text", n+1))
				continue
			}
			partText = string(raw)
			kind = partKind(ct, partText)
			if kind == "" {
				continue
			}
			sub, start = d.decodedPart(n, partText)
			partText = strings.Join(sub.lines, "\n")
		case "quoted-printable":
			raw, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(partText)))
			if err != nil {
				d.gap(inventory.GapParse, start, fmt.Sprintf("MIME part %d: not valid quoted-printable", n+1))
				continue
			}
			sub, start = d.decodedPart(n, string(raw))
			partText = strings.Join(sub.lines, "\n")
		}
		if err := sub.readKind(kind, partText, start); err != nil {
			sub.gap(gapKind(err), errLine(err, start), fmt.Sprintf("MIME part %d (%s): %s", n+1, ct, errMsg(err)))
		}
	}
}

// isHeaderLine is a MIME header ("Content-Type: text/x-shellscript") or its folded
// continuation.
func isHeaderLine(l string) bool {
	if l == "" {
		return false
	}
	if l[0] == ' ' || l[0] == '\t' {
		return strings.TrimSpace(l) != ""
	}
	i := strings.IndexByte(l, ':')
	if i <= 0 {
		return false
	}
	for _, c := range l[:i] {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// decodedPart makes a doc over a decoded MIME part, redacting it first; only secrets the
// outer redaction could not see (it already re-encoded the ones it found) are recorded.
func (d *doc) decodedPart(n int, text string) (*doc, int) {
	red, hits := redact(text)
	sub := d.sub(fmt.Sprintf("%s#part-%d", d.file, n+1), red)
	for _, h := range hits {
		if h.start != h.end {
			sub.add(inventory.Fact{Kind: inventory.FactSecret, Name: h.kind}, h.line)
		}
	}
	return sub, 1
}

func partKind(ct, body string) string {
	switch {
	case strings.HasPrefix(ct, "text/x-shellscript"), ct == "text/cloud-boothook":
		if k := sniff(body); k == inventory.ScriptPowerShell {
			return k
		}
		return inventory.ScriptShell
	case ct == "text/cloud-config", ct == "text/cloud-config-archive":
		return inventory.ScriptCloudConfig
	case ct == "text/x-include-url", ct == "text/x-include-once-url", ct == "text/part-handler", ct == "text/cloud-config-jsonp":
		return ""
	}
	return sniff(body)
}

// errLine and errMsg read the line and message of any reader's error.
func errLine(err error, def int) int {
	var se *shellError
	var ye *yamlError
	var he *hclError
	var le *limitError
	switch {
	case errors.As(err, &le):
		return le.line
	case errors.As(err, &se):
		return se.line
	case errors.As(err, &ye):
		if ye.line > 0 {
			return def + ye.line - 1
		}
	case errors.As(err, &he):
		if he.line > 0 {
			return he.line
		}
	}
	return 0
}

func errMsg(err error) string {
	var se *shellError
	if errors.As(err, &se) {
		return se.msg
	}
	return err.Error()
}
