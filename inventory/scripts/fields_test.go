package scripts

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"whyk8s/inventory"
)

// factStrings must point at every string of a fact, each once: a field it missed would be
// dropped when facts are packed, and would pin a file's text when they are copied out.
func TestFactStrings(t *testing.T) {
	f := inventory.Fact{FactParams: &inventory.FactParams{Mount: new(inventory.Mount)}}
	ptrs := factStrings(&f, f.FactParams, f.FactParams.Mount)
	for i, p := range ptrs {
		*p = string(rune('A' + i))
	}
	var walk func(v reflect.Value, path string)
	n := 0
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			n++
			if v.String() == "" {
				t.Errorf("factStrings misses %s", path)
			}
		case reflect.Pointer:
			walk(v.Elem(), path)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	}
	walk(reflect.ValueOf(f), "Fact")
	if n != nFactStrings {
		t.Errorf("inventory.Fact holds %d strings, factStrings %d", n, nFactStrings)
	}
	// Unpacking gives a fact a Mount when the bits of mountStrings are set: they must be
	// the mount's strings and only those.
	for k, p := range ptrs {
		inMount := p == &f.FactParams.Mount.Source || p == &f.FactParams.Mount.Target || p == &f.FactParams.Mount.FSType
		if inMount != (mountStrings&(1<<k) != 0) {
			t.Errorf("string %d (%s): in the mount %v, but mountStrings says %v", k, *p, inMount, !inMount)
		}
	}
	// Likewise params when the bits of paramStrings are set: the params' strings, the
	// mount's with them, and only those.
	params := reflect.ValueOf(f.FactParams).Pointer()
	end := params + reflect.TypeOf(*f.FactParams).Size()
	for k, p := range ptrs {
		at := reflect.ValueOf(p).Pointer()
		inParams := at >= params && at < end || mountStrings&(1<<k) != 0
		if inParams != (paramStrings&(1<<k) != 0) {
			t.Errorf("string %d (%s): in the params %v, but paramStrings says %v", k, *p, inParams, !inParams)
		}
	}
	seen := map[*string]bool{}
	for _, p := range ptrs {
		if seen[p] {
			t.Errorf("factStrings names a field twice")
		}
		seen[p] = true
	}
	// Unpacking writes string k with setFactString: the same field, and only it.
	for k := 0; k < nFactStrings; k++ {
		f := inventory.Fact{FactParams: &inventory.FactParams{Mount: new(inventory.Mount)}}
		setFactString(&f, f.FactParams, f.FactParams.Mount, k, "x")
		for j, p := range factStrings(&f, f.FactParams, f.FactParams.Mount) {
			if (*p == "x") != (j == k) {
				t.Errorf("setFactString(%d) sets string %d of factStrings to %q", k, j, *p)
			}
		}
	}
}

// readShellScript reads a shell text as a script file would be read, facts deduplicated.
func readShellScript(t *testing.T, src string) []inventory.Fact {
	t.Helper()
	res := &fileResult{}
	res.script.Path = "boot.sh"
	red, hits := redact(src)
	d := newDoc(res, "boot.sh", red)
	d.secrets(hits, 0)
	if err := d.readShell(red, 1, false); err != nil {
		t.Fatalf("parse: %v", err)
	}
	dedupeFacts(&res.script)
	return res.script.Facts
}

// The readers record what they see in fields, and the vocabulary says what it is: the
// rules read those, never the words shown.
func TestReadersSetFields(t *testing.T) {
	facts := readShellScript(t, `#!/bin/bash
sysctl -w vm.max_map_count=262144
modprobe br_netfilter
echo "fs-1.efs.eu-west-1.amazonaws.com:/ /mnt/data nfs4 defaults 0 0" >> /etc/fstab
apt-get install -y memcached redis-server
systemctl enable --now NGINX.service sshd
aws ssm get-parameter --name /app/db --with-decryption
echo "0 3 * * * /opt/purge.sh" | crontab -
docker run -d --name web nginx:1.25
curl -fsSL https://get.docker.com | sh
`)
	for _, tt := range []struct {
		line int
		want inventory.Fact
	}{
		{2, inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassSysctl, Scope: inventory.ScopeNode, Via: "sysctl", FactParams: &inventory.FactParams{Key: "vm.max_map_count", Value: "262144"}}},
		{3, inventory.Fact{Kind: inventory.FactKernelTuning, Class: inventory.ClassModule, Scope: inventory.ScopeNode, Via: "modprobe", Name: "br_netfilter"}},
		{4, inventory.Fact{Kind: inventory.FactNFSMount, Via: "fstab", FactParams: &inventory.FactParams{Mount: &inventory.Mount{Source: "fs-1.efs.eu-west-1.amazonaws.com:/", Target: "/mnt/data", FSType: "nfs4"}}}},
		{5, inventory.Fact{Kind: inventory.FactDatabase, Name: "memcached", Service: "memcached", Class: inventory.ClassCache, Via: "apt-get"}},
		{5, inventory.Fact{Kind: inventory.FactDatabase, Name: "redis-server", Service: "redis", Class: inventory.ClassDatabase, Via: "apt-get"}},
		{6, inventory.Fact{Kind: inventory.FactService, Name: "NGINX", Service: "nginx", Class: inventory.ClassApplication, Via: "systemctl"}},
		{6, inventory.Fact{Kind: inventory.FactService, Name: "sshd", Service: "sshd", Class: inventory.ClassAgent, Via: "systemctl"}},
		{7, inventory.Fact{Kind: inventory.FactConfigStore, Via: inventory.ViaSSM, Name: "/app/db"}},
		{8, inventory.Fact{Kind: inventory.FactCron, Via: inventory.ViaCrontab, FactParams: &inventory.FactParams{Schedule: "0 3 * * *", Command: "/opt/purge.sh"}}},
		{9, inventory.Fact{Kind: inventory.FactDocker, Via: "docker", FactParams: &inventory.FactParams{Command: "docker run", Image: "nginx:1.25"}}},
		{10, inventory.Fact{Kind: inventory.FactBootWork, Class: inventory.ClassPipeToShell, Via: "curl", FactParams: &inventory.FactParams{Command: "sh", Address: "get.docker.com"}}},
	} {
		found := false
		for _, f := range facts {
			got := f
			got.Evidence = inventory.FactEvidence{}
			if f.Evidence.Line == tt.line && reflect.DeepEqual(got, tt.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("line %d: no fact %+v", tt.line, tt.want)
			for _, f := range facts {
				if f.Evidence.Line == tt.line {
					t.Logf("  have %+v", f)
				}
			}
		}
	}
}

// Packing sorts and drops repeats as dedupeFacts does (inventory.CompareFacts, then
// repeats), though it sorts indices and writes strings shared by neighbours once: the
// same facts, in the same order, from facts in any order.
func TestPackSortsAndDedupesAsDedupeFacts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	kinds := []inventory.FactKind{inventory.FactService, inventory.FactPackage, inventory.FactCron, inventory.FactNFSMount, inventory.FactHardcodedIP}
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	for round := 0; round < 200; round++ {
		var in []inventory.Fact
		for n := rng.IntN(40); n > 0; n-- {
			f := inventory.Fact{
				Kind:     kinds[rng.IntN(len(kinds))],
				Name:     pick("nginx", "redis", "nginx  ", "", "cron.daily"),
				Via:      pick("apt-get", "systemctl", "", inventory.ViaBackground),
				Evidence: inventory.FactEvidence{File: pick("a.sh", "b/user-data", "a.sh"), Line: 9 + rng.IntN(3), Excerpt: pick("x", "y")},
			}
			switch rng.IntN(3) {
			case 1:
				f.FactParams = &inventory.FactParams{Command: pick("a", "b"), Schedule: pick("", "@daily")}
			case 2:
				f.FactParams = &inventory.FactParams{Mount: &inventory.Mount{Source: pick("fs:/", "fs:/x"), Target: "/data"}}
			}
			in = append(in, f)
		}
		want := inventory.Script{Facts: slices.Clone(in)}
		dedupeFacts(&want)
		p, ok := packFacts(in)
		if !ok {
			t.Fatal("packFacts refused")
		}
		if got := p.unpack(); !reflect.DeepEqual(got, want.Facts) && !(len(got) == 0 && len(want.Facts) == 0) {
			t.Fatalf("round %d: packed\n%v\nwant\n%v", round, details(got), details(want.Facts))
		}
	}
}

func details(fs []inventory.Fact) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d %s %q %q", f.Evidence.File, f.Evidence.Line, f.Kind, f.Detail(), f.Evidence.Excerpt))
	}
	return out
}
