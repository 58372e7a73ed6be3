// Package gather is the one way facts enter whyk8s. It takes the sources a run names — live
// AWS, a snapshot, Terraform and CloudFormation folders, script folders, the embedded demo —
// and returns one estate: collected, redacted once, scripts read, each user data text read
// once, scripts linked to workloads, sorted, and with what could not be read said.
//
// Commands call Estate and nothing else; tests that need an estate the way a run sees it call
// it too, so the order of the steps lives here only.
package gather

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"whyk8s/fixtures"
	"whyk8s/inventory"
	awsinv "whyk8s/inventory/aws"
	"whyk8s/inventory/iac"
	"whyk8s/inventory/scripts"
)

// ErrUsage is wrapped by every error that is the caller's input's fault: two sources of AWS
// facts, a folder that does not exist, a snapshot that is not one. Commands answer it with
// the "bad input" exit code.
var ErrUsage = errors.New("bad sources")

// Sources says where the facts of a run come from. At most one source of AWS facts (Demo,
// Snapshot, AWS, IaC) may be set; Scripts add provisioning code to any of them, or stand
// alone.
type Sources struct {
	// Demo is the embedded demo estate with its provisioning repository.
	Demo bool
	// Estate is an estate already loaded, as a decoded snapshot is. The pipeline works on it
	// in place.
	Estate *inventory.Estate
	// Snapshot is a file written by `whyk8s inventory`.
	Snapshot string
	// AWS collects live when set. Its UserData decoder is set here: every source reads user
	// data through the same one.
	AWS *awsinv.Options
	// IaC are folders of Terraform and CloudFormation, read as a source of AWS facts.
	IaC        []string
	IaCOptions iac.Options
	// Scripts are folders of provisioning code (Packer, Ansible, shell, cloud-init…).
	Scripts []string
	// ScriptFS are trees of provisioning code that are not folders on disk (tests).
	ScriptFS []scripts.Root

	// Client, when set, names the client in place of what the source says.
	Client string
	// LinkTags are the group tags whose values may name a script (scripts.LinkOptions).
	LinkTags []string
	// Now is the time of the run: estates read from code are facts as of now.
	Now time.Time
}

// sourcesOfAWSFacts counts the sources of AWS facts set.
func (s Sources) sourcesOfAWSFacts() int {
	n := 0
	for _, on := range []bool{s.Demo, s.Estate != nil, s.Snapshot != "", s.AWS != nil, len(s.IaC) > 0} {
		if on {
			n++
		}
	}
	return n
}

// HasAWSFacts reports whether a source of AWS facts (demo, snapshot, AWS or IaC) is set.
func (s Sources) HasAWSFacts() bool { return s.sourcesOfAWSFacts() > 0 }

// Result is a gathered estate and what of its source could not be read.
type Result struct {
	Estate *inventory.Estate
	// Partial says, in words, what part of the source of AWS facts could not be read — regions
	// and accounts, or files of infrastructure code — or is empty when all of it was read. A
	// missing group must never be mistaken for no workload, so either makes a run partial;
	// a script that cannot be read does not (it is a coverage gap of its own).
	Partial string
}

// Estate gathers the estate the sources name.
func Estate(ctx context.Context, src Sources) (*Result, error) {
	if src.sourcesOfAWSFacts() > 1 {
		return nil, fmt.Errorf("%w: give one source of AWS facts: --demo, --snapshot FILE, --aws or --iac DIR", ErrUsage)
	}
	if !src.HasAWSFacts() && len(src.Scripts) == 0 && len(src.ScriptFS) == 0 {
		return nil, fmt.Errorf("%w: nothing to read: give --demo, --snapshot FILE, --aws, --iac DIR or --scripts DIR", ErrUsage)
	}
	for _, dir := range src.IaC {
		if err := checkDir("infrastructure-as-code folder", dir); err != nil {
			return nil, err
		}
	}
	for _, dir := range src.Scripts {
		if err := checkDir("scripts folder", dir); err != nil {
			return nil, err
		}
	}

	est, roots, partial, err := collect(ctx, src)
	if err != nil {
		return nil, err
	}
	if src.Client != "" {
		est.Client = src.Client
	}
	// Snapshots and fixtures may hold raw user data: nothing downstream may see a secret.
	// Text that came through the decoder is already redacted; redacting is idempotent.
	scripts.RedactEstate(est)

	for _, dir := range src.Scripts {
		roots = append(roots, scripts.Dir(dir))
	}
	if len(roots) > 0 {
		res, err := scripts.Scan(ctx, roots, scripts.Options{})
		if err != nil {
			return nil, fmt.Errorf("read scripts: %w", err)
		}
		est.Scripts = append(est.Scripts, res.Scripts...)
		est.Coverage = append(est.Coverage, res.Coverage...)
		stats := res.Stats
		est.ScriptStats = &stats
		for _, r := range roots {
			est.ScriptRoots = append(est.ScriptRoots, r.Name)
		}
	}

	// Both rebuild what they derive, so a snapshot that already holds user data scripts and
	// links does not get them twice.
	scripts.ReadUserData(est)
	scripts.ReadAssociations(est)
	scripts.ReadImageBuilders(est)
	scripts.Link(est, scripts.LinkOptions{TagKeys: src.LinkTags})
	est.Sort()
	return &Result{Estate: est, Partial: partial}, nil
}

// collect reads the source of AWS facts, or starts an empty estate when there is none, and
// says what of it could not be read.
func collect(ctx context.Context, src Sources) (*inventory.Estate, []scripts.Root, string, error) {
	switch {
	case src.Demo:
		est, err := fixtures.DemoEstate()
		if err != nil {
			return nil, nil, "", fmt.Errorf("demo estate: %w", err)
		}
		return est, []scripts.Root{scripts.FS("demo", fixtures.DemoScripts())}, awsPartial(est), nil
	case src.Estate != nil:
		return src.Estate, nil, awsPartial(src.Estate), nil
	case src.Snapshot != "":
		est, err := inventory.LoadFile(src.Snapshot)
		if err != nil {
			if errors.Is(err, inventory.ErrBadSnapshot) || errors.Is(err, fs.ErrNotExist) {
				return nil, nil, "", fmt.Errorf("%w: %w", ErrUsage, err)
			}
			return nil, nil, "", err
		}
		return est, nil, awsPartial(est), nil
	case src.AWS != nil:
		opts := *src.AWS
		opts.UserData = scripts.UserDataText
		est, err := awsinv.Collect(ctx, opts)
		if errors.Is(err, awsinv.ErrOptions) {
			return nil, nil, "", fmt.Errorf("%w: %w", ErrUsage, err)
		}
		if err != nil {
			return nil, nil, "", fmt.Errorf("collect AWS inventory: %w", err)
		}
		return est, nil, awsPartial(est), nil
	case len(src.IaC) > 0:
		opts := src.IaCOptions
		opts.UserData = scripts.UserDataText
		est, err := iac.Read(ctx, src.IaC, opts)
		if err != nil {
			return nil, nil, "", fmt.Errorf("read infrastructure-as-code: %w", err)
		}
		// The facts are as of now, as for a live collection.
		est.CollectedAt = src.Now
		unread := 0
		for _, g := range est.Coverage {
			if g.Missing() {
				unread++
			}
		}
		partial := ""
		if unread > 0 {
			partial = fmt.Sprintf("%d file(s) of infrastructure code could not be read", unread)
		}
		return est, nil, partial, nil
	}
	// Provisioning code alone: no AWS facts, only what the code says.
	return &inventory.Estate{
		SchemaVersion: inventory.SchemaVersion,
		Source:        inventory.SourceCode,
		CollectedAt:   src.Now,
		Accounts:      []inventory.Account{},
	}, nil, "", nil
}

// awsPartial says how many parts of the AWS estate could not be read: the coverage gaps a
// collector recorded (they name a service), as opposed to scripts'.
func awsPartial(e *inventory.Estate) string {
	n := 0
	for _, g := range e.Coverage {
		if g.Service != "" {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d part(s) of the AWS estate could not be read", n)
}

// checkDir is a usage error unless dir is a folder that exists.
func checkDir(what, dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUsage, what, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s %s: not a directory", ErrUsage, what, strings.TrimSpace(dir))
	}
	return nil
}
