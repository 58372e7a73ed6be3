package scripts

import (
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// CodeDeploy's AppSpec file (appspec.yml at the top of a revision) says what the agent on
// an EC2 instance does with each revision: which files it copies where, and which hook
// scripts it runs at each step of a deployment. The hooks are where the application is
// installed, configured and started, so they are read as the instance's own scripts; the
// folder the file is in is the revision, and names the application.

// appSpecName reports a file named as an AppSpec file: appspec.yml, appspec.yaml, and the
// variants teams keep one per environment (appspec-staging.yml, appspec.prod.yml).
func appSpecName(p string) bool {
	base := strings.ToLower(path.Base(p))
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	return stem == "appspec" || strings.HasPrefix(stem, "appspec-") || strings.HasPrefix(stem, "appspec.") || strings.HasPrefix(stem, "appspec_")
}

// looksAppSpec reports an AppSpec file for EC2 and on-premises instances: a version or an
// os beside hooks or files. An AppSpec file for ECS or Lambda names Resources instead, and
// its hooks are Lambda functions, not scripts on a host.
func looksAppSpec(docs []*yaml.Node) bool {
	if len(docs) != 1 {
		return false
	}
	root := resolve(docs[0])
	if root == nil || root.Kind != yaml.MappingNode || mapGet(root, "Resources") != nil || mapGet(root, "resources") != nil {
		return false
	}
	return (mapGet(root, "version") != nil || mapGet(root, "os") != nil) &&
		(mapGet(root, "hooks") != nil || mapGet(root, "files") != nil)
}

// readAppSpec reads an AppSpec file: os: windows is a Windows host, and each hook's script
// is a reference, relative to the revision's top (the file's folder), read as a script of
// the host when the scan did not take it for one by its name (hooks are often named
// without an extension).
func (d *doc) readAppSpec(docs []*yaml.Node, base int) {
	root := resolve(docs[0])
	windows := false
	if n := mapGet(root, "os"); n != nil {
		if v, _ := scalar(n); strings.EqualFold(strings.TrimSpace(v), "windows") {
			windows = true
			d.add(inventory.Fact{Kind: inventory.FactWindows, Name: "CodeDeploy os: windows"}, base+n.Line-1)
		}
	}
	for _, ev := range pairs(mapGet(root, "hooks")) {
		for _, h := range items(ev[1]) {
			loc := mapGet(h, "location")
			target, ok := scalar(loc)
			// Relative to the revision's top, not the host's root; a Windows revision writes
			// its paths with backslashes (\scripts\configure.ps1).
			target = strings.TrimLeft(strings.ReplaceAll(strings.TrimSpace(target), `\`, "/"), "/")
			if !ok || target == "" {
				continue
			}
			kind := hookKind(target, windows)
			d.ref(target, "codedeploy hook "+ev[0].Value, refRelative, kind, base+loc.Line-1)
			if kind == "" {
				// A hook in another language is where the application may be installed or
				// started: not read, it is a gap, so that the revision is not judged on the
				// hooks that are read as if they were all.
				d.res.refs[len(d.res.refs)-1].lang = hookLanguage(target)
			}
		}
	}
	if d.res.script.Name == "" {
		// The revision is the folder the file is in: its name is the application's.
		if dir := path.Base(path.Dir(d.file)); dir != "." && dir != "/" {
			d.res.script.Name = dir
		}
	}
}

// hookKind is the kind a hook script is read as when the scan skipped it: PowerShell on a
// Windows host or by its extension, shell otherwise. A hook in another language (a .py,
// a .bat) is not read; "" says so, and hookLanguage names the language for its gap.
func hookKind(target string, windows bool) string {
	switch ext := strings.ToLower(path.Ext(target)); {
	case ext == ".ps1":
		return inventory.ScriptPowerShell
	case ext == ".sh" || ext == ".bash":
		return inventory.ScriptShell
	case ext != "" && !strings.ContainsAny(ext, "${}"):
		return ""
	case windows:
		return inventory.ScriptPowerShell
	}
	return inventory.ScriptShell
}

// hookLanguage names the language of a hook script no reader reads, by its extension.
func hookLanguage(target string) string {
	if lang := scriptLanguage(target); lang != "" {
		return lang
	}
	switch ext := strings.ToLower(path.Ext(target)); ext {
	case ".bat", ".cmd":
		return "a batch file"
	case ".vbs":
		return "VBScript"
	case ".jar":
		return "a Java archive"
	default:
		return "a " + ext + " file"
	}
}
