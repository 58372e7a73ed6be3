package scripts

import (
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// Containers a host runs: docker run, Ansible's docker_container and Docker Compose files.
// A container's image says what it is as a package's name does: postgres:15 is a
// PostgreSQL server, and its data lives on the host like an installed one's.

// imageNames are container images whose name is not the vocabulary's name for what they
// run, by the image's last path element.
var imageNames = map[string]string{
	"mongo": "mongodb", "rabbitmq": "rabbitmq-server", "cp-kafka": "kafka", "cp-zookeeper": "zookeeper",
	"postgis": "postgresql", "timescaledb": "postgresql", "redis-stack-server": "redis",
}

// containerFact says what a container image is named for: a database, a web server, an
// agent… ok is false for an image the vocabulary does not know (the application's own).
// registry.example.com:5000/team/postgres:15@sha256:… is postgres.
func containerFact(image string) (inventory.Fact, bool) {
	n := strings.ToLower(strings.Trim(strings.TrimSpace(image), `"'`))
	if i := strings.IndexByte(n, '@'); i >= 0 {
		n = n[:i]
	}
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		if strings.HasSuffix(n[:i], "mssql") && strings.HasPrefix(n[i+1:], "server") {
			return inventory.Fact{Kind: inventory.FactDatabase, Name: "sql-server"}, true
		}
		n = n[i+1:]
	}
	if i := strings.IndexByte(n, ':'); i >= 0 {
		n = n[:i]
	}
	if n == "" || strings.ContainsAny(n, "${}") {
		return inventory.Fact{}, false
	}
	if alias, ok := imageNames[n]; ok {
		n = alias
	}
	for _, ctx := range []string{ctxService, ctxSystem} {
		if f, ok := classifyName(n, ctx); ok && containerKinds[f.Kind] {
			return f, true
		}
	}
	return inventory.Fact{}, false
}

// containerKinds are what an image's name may say a container is: a server of its own. A
// GPU toolkit's image (nvidia/cuda) is a base other images start from, or a check run once;
// --gpus says a container uses the GPU.
var containerKinds = map[inventory.FactKind]bool{
	inventory.FactDatabase: true, inventory.FactWebServer: true, inventory.FactObservability: true, inventory.FactBatchML: true,
}

// containerIs records what a container's image is named for, with the image, at line.
func (d *doc) containerIs(image string, line int) {
	if f, ok := containerFact(image); ok {
		f.Via = inventory.ViaContainer
		f.FactParams = &inventory.FactParams{Image: strings.Trim(strings.TrimSpace(image), `"'`)}
		d.add(f, line)
	}
}

// looksCompose reports a Docker Compose file: a mapping whose services each run an image
// or build one.
func looksCompose(docs []*yaml.Node) bool {
	if len(docs) == 0 {
		return false
	}
	root := resolve(docs[0])
	svcs := mapGet(root, "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode || len(svcs.Content) == 0 {
		return false
	}
	for _, p := range pairs(svcs) {
		if mapGet(p[1], "image") == nil && mapGet(p[1], "build") == nil {
			return false
		}
	}
	return true
}

// composeName is a file named as Compose files are: docker-compose.yml, compose.yaml,
// docker-compose.prod.yml, app.compose.yml.
func composeName(p string) bool {
	base := strings.ToLower(path.Base(p))
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	return strings.HasPrefix(stem, "docker-compose") || stem == "compose" || strings.HasSuffix(stem, ".compose")
}

// composeTemplate reads a template that renders a Compose file (a role's
// templates/docker-compose.yml.j2): its Jinja as placeholders, lines kept. ok is false for
// any other template, or one whose Jinja leaves no Compose file to read.
func composeTemplate(disp, text string) ([]*yaml.Node, bool) {
	if !composeName(strings.TrimSuffix(disp, ".j2")) {
		return nil, false
	}
	docs, err := parseYAML(jinjaYAML(text))
	if err != nil || !looksCompose(docs) {
		return nil, false
	}
	return docs, true
}

// jinjaYAML is a template's text with Jinja made YAML: an expression becomes a ${name}
// placeholder, a statement or a comment nothing, with its lines kept.
func jinjaYAML(text string) string {
	return jinjaReplaced(text, func(name string) string { return "${" + name + "}" })
}

// readCompose reads a Docker Compose file whose first line is file line base, and its
// values as any YAML's (addresses, lookups into a store).
func (d *doc) readCompose(docs []*yaml.Node, base int) {
	d.composeServices(docs, func(l int) int { return base + l - 1 })
	a := newAnsibleReader(d, base)
	for _, root := range docs {
		a.scanValues(root)
	}
}

// composeServices reads a Compose file's services: each is a container the host runs (a
// service of its own, or what its image is named for), with its environment. lineOf places
// a line of the file's text.
func (d *doc) composeServices(docs []*yaml.Node, lineOf func(int) int) {
	for _, root := range docs {
		for _, p := range pairs(mapGet(resolve(root), "services")) {
			name, svc := p[0].Value, p[1]
			line := lineOf(p[0].Line)
			image, _ := scalar(mapGet(svc, "image"))
			f := inventory.Fact{Kind: inventory.FactDocker, Via: inventory.ViaCompose, Name: name}
			if image != "" {
				f.FactParams = &inventory.FactParams{Image: image}
			}
			d.add(f, line)
			// A service whose image says what it is (postgres:15) is that; any other is a
			// service of its own, named as the file names it.
			if _, known := containerFact(image); known {
				d.containerIs(image, lineOf(mapGet(svc, "image").Line))
			} else {
				d.add(inventory.Fact{Kind: inventory.FactService, Via: inventory.ViaCompose, Name: name}, line)
			}
			env := mapGet(svc, "environment")
			switch {
			case env != nil && env.Kind == yaml.MappingNode:
				for _, kv := range pairs(env) {
					d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaCompose, Name: kv[0].Value}, lineOf(kv[0].Line))
				}
			case env != nil && env.Kind == yaml.SequenceNode:
				for _, it := range env.Content {
					if k, _, _ := strings.Cut(it.Value, "="); k != "" && it.Kind == yaml.ScalarNode {
						d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaCompose, Name: k}, lineOf(it.Line))
					}
				}
			}
			ef := mapGet(svc, "env_file")
			for _, n := range append(items(ef), ef) {
				if s, ok := scalar(n); ok && s != "" {
					d.add(inventory.Fact{Kind: inventory.FactEnvConfig, Via: inventory.ViaEnvFile, FactParams: &inventory.FactParams{Path: s}}, lineOf(n.Line))
				}
			}
		}
	}
}
