package scripts

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"whyk8s/inventory"
)

// Butane (variant: fcos, flatcar, openshift…) and the Ignition JSON it is transpiled to
// configure a Fedora CoreOS or Flatcar host at its first boot: systemd units enabled and
// written, files written, file systems made. That is declarative configuration applied at
// first boot, like cloud-config: not configuration management converging the host (the
// rule about that does not read it, as it does not read cloud-config), but the work it
// describes is read as it is: a unit whose ExecStart runs podman or docker runs a
// container.

// looksIgnition reports a parsed YAML or JSON document that is a Butane or Ignition config:
// Butane's variant and version, or Ignition's ignition.version, beside the sections they
// configure.
func looksIgnition(docs []*yaml.Node) bool {
	for _, root := range docs {
		n := resolve(root)
		if n == nil || n.Kind != yaml.MappingNode {
			continue
		}
		if mapGet(n, "variant") != nil && mapGet(n, "version") != nil {
			return true
		}
		if ig := mapGet(n, "ignition"); ig != nil && mapGet(resolve(ig), "version") != nil {
			return true
		}
	}
	return false
}

const viaIgnition = "ignition"

// readIgnition reads a Butane or Ignition config whose first line is file line base.
func (d *doc) readIgnition(text string, base int) error {
	docs, err := parseYAML(text)
	if err != nil {
		return err
	}
	a := newAnsibleReader(d, base)
	for _, root := range docs {
		n := resolve(root)
		key := mapGet(n, "variant")
		if key == nil {
			key = mapGet(n, "ignition")
		}
		if key == nil {
			continue
		}
		a.ignitionUnits(resolve(mapGet(n, "systemd")))
		a.ignitionStorage(resolve(mapGet(n, "storage")))
		a.scanValues(root)
	}
	return nil
}

// ignitionUnits reads systemd.units: each unit enabled, and each unit or drop-in written.
func (a *ansibleReader) ignitionUnits(sd *yaml.Node) {
	d := a.d
	for _, u := range items(mapGet(sd, "units")) {
		u = resolve(u)
		nameNode := mapGet(u, "name")
		name, _ := scalar(nameNode)
		if name == "" {
			continue
		}
		at := a.ln(u)
		if nameNode != nil {
			at = a.ln(nameNode)
		}
		if truthy(mapGet(u, "enabled")) && !truthy(mapGet(u, "mask")) {
			d.serviceFact(name, viaIgnition, at)
		}
		if c := mapGet(u, "contents"); c != nil {
			a.ignitionWrite("/etc/systemd/system/"+name, at, c)
		}
		for _, dr := range items(mapGet(u, "dropins")) {
			dr = resolve(dr)
			dn, _ := scalar(mapGet(dr, "name"))
			if c := mapGet(dr, "contents"); c != nil && dn != "" {
				a.ignitionWrite("/etc/systemd/system/"+name+".d/"+dn, a.ln(dr), c)
			}
		}
	}
}

// ignitionStorage reads storage: files written inline, file systems made on devices.
func (a *ansibleReader) ignitionStorage(st *yaml.Node) {
	d := a.d
	for _, f := range items(mapGet(st, "files")) {
		f = resolve(f)
		pn := mapGet(f, "path")
		p, _ := scalar(pn)
		if p == "" {
			continue
		}
		c := resolve(mapGet(f, "contents"))
		if in := mapGet(c, "inline"); in != nil {
			a.ignitionWrite(p, a.ln(pn), in)
			continue
		}
		d.write(fileWrite{target: p, line: a.ln(pn)})
	}
	for _, fs := range items(mapGet(st, "filesystems")) {
		fs = resolve(fs)
		dev, _ := scalar(mapGet(fs, "device"))
		format, _ := scalar(mapGet(fs, "format"))
		where, _ := scalar(mapGet(fs, "path"))
		if dev == "" || format == "" {
			continue
		}
		if where != "" && truthy(mapGet(fs, "with_mount_unit")) {
			d.mountFact(dev, where, format, "", viaIgnition, a.ln(fs))
			continue
		}
		d.add(inventory.Fact{Kind: inventory.FactDataVolume, Via: viaIgnition, FactParams: &inventory.FactParams{Command: "mkfs." + strings.ToLower(format), Device: dev}}, a.ln(fs))
	}
}

// ignitionWrite records a file the config writes, its content read when written inline.
func (a *ansibleReader) ignitionWrite(target string, line int, c *yaml.Node) {
	c = resolve(c)
	w := fileWrite{target: target, line: line}
	if c != nil && c.Kind == yaml.ScalarNode {
		a.shell[c] = true
		w.content, w.known = c.Value, true
		w.cline, w.flat = blockText(c, a.base)
	}
	a.d.write(w)
}
