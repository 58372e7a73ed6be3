package iac

import (
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"whyk8s/inventory"
)

// imageLookup is an image the code names by how to find it rather than by its id: a
// Terraform data "aws_ami" (owners and a name filter), or a public SSM parameter that AWS
// keeps pointed at the latest image of a distribution. The AMI id is chosen when Terraform
// runs or the stack is deployed, but what the lookup filters on is evidence of what the
// image is: Canonical's ubuntu/images/… is stock Ubuntu, self's acme-storefront-* is the
// team's own.
//
// The value of a lookup is unknown and carries the lookup as a mark, beside the reason, so
// that a launch template whose image_id comes from it — directly, through a module input or
// a CloudFormation parameter — is known to run that image.
type imageLookup struct {
	id     string          // evidence identifier: the ImageID of the launch data that uses it
	image  inventory.Image // owner, name and platform; ID, account and region are set on use
	family string          // distribution family when the lookup says it (see imageFamily)
	why    string          // the reason the value carries
}

// value is the lookup's value: unknown, with why and the lookup itself as marks.
func (lk *imageLookup) value() cty.Value {
	return unknownBecause(lk.why).Mark(lk)
}

// lookupOf returns the image lookup a value is, or nil. The value must be unknown because
// of one lookup and nothing else: coalesce(var.ami, data.aws_ami.x.id) with var.ami null
// is the lookup; with var.ami unknown it might be either, and is not claimed.
func lookupOf(v cty.Value) *imageLookup {
	if isKnown(v) {
		return nil
	}
	_, marks := v.UnmarkDeep()
	var found *imageLookup
	for m := range marks {
		lk, ok := m.(*imageLookup)
		if !ok {
			continue
		}
		if found != nil && found.id != lk.id {
			return nil
		}
		found = lk
	}
	if found == nil {
		return nil
	}
	for _, r := range reasonsOf(v) {
		if r != found.why {
			return nil
		}
	}
	return found
}

// imageID reads a launch template or configuration's image: the AMI id when the code gives
// it, the lookup's identifier when the image comes from a lookup (the gap that the AMI id
// is unknown is recorded either way), and "" when nothing says what the image is.
func imageID(mp mapper, p props, name string) (string, *imageLookup) {
	if id := mp.str(p, name); id != "" {
		return id, nil
	}
	v, at, ok := p.get(name)
	if !ok {
		return "", nil
	}
	if lk := lookupOf(v); lk != nil {
		return lk.id, lk
	}
	if s, known := asString(v); known && isKnown(v) && strings.TrimSpace(s) == "" {
		// "" is how much code says "the image is chosen elsewhere" (a placeholder filled
		// in at publish time, a variable's empty default): no image, and not a fact.
		*mp.gaps = append(*mp.gaps, inventory.CoverageGap{Path: at.path, Line: at.line, Kind: inventory.GapUnresolved,
			Message: p.label() + " " + name + " = " + orDefault(at.text, `""`) + `: the image id is empty, so the image is not known from the code`})
	}
	return "", nil
}

// Distribution families the code can name, for the platform and the root device.
const (
	familyUbuntu       = "ubuntu"
	familyDebian       = "debian"
	familyAmazonLinux  = "amazon-linux"
	familyBottlerocket = "bottlerocket"
	familyRHEL         = "rhel"
	familySUSE         = "suse"
	familyCentOS       = "centos"
	familyRocky        = "rocky"
	familyWindows      = "windows"
)

// publisherFamilies are the accounts that publish one distribution only.
var publisherFamilies = map[string]string{
	"099720109477": familyUbuntu,
	"136693071363": familyDebian,
	"137112412989": familyAmazonLinux,
	"801119661308": familyWindows,
	"309956199498": familyRHEL,
	"013907871322": familySUSE,
	"125523088429": familyCentOS,
	"792107900819": familyRocky,
}

// namePrefixes are the image name prefixes of each distribution's published images.
var namePrefixes = []struct{ prefix, family string }{
	{"ubuntu/images/", familyUbuntu}, {"ubuntu-pro-server/", familyUbuntu}, {"ubuntu-minimal/", familyUbuntu},
	{"debian-", familyDebian},
	{"al2023-ami-", familyAmazonLinux}, {"amzn2-ami-", familyAmazonLinux}, {"amzn-ami-", familyAmazonLinux},
	{"bottlerocket-", familyBottlerocket},
	{"RHEL-", familyRHEL}, {"suse-sles-", familySUSE}, {"CentOS", familyCentOS}, {"Rocky-", familyRocky},
	{"Windows_Server-", familyWindows},
}

// imageFamily names the distribution a lookup finds, or "" when neither the name patterns
// nor the owners say. Windows anywhere in the name, or a platform filter for it, is Windows.
// Name patterns decide when they all name the same distribution; otherwise owners that all
// publish the same single distribution do (Canonical publishes only Ubuntu).
func imageFamily(owners, names []string, windowsFilter bool) string {
	if windowsFilter {
		return familyWindows
	}
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "windows") {
			return familyWindows
		}
	}
	byName := func(n string) string {
		for _, np := range namePrefixes {
			if strings.HasPrefix(strings.TrimPrefix(n, "^"), np.prefix) {
				return np.family
			}
		}
		return ""
	}
	if f := same(names, byName); f != "" {
		return f
	}
	return same(owners, func(o string) string { return publisherFamilies[o] })
}

// same is the family every item has, or "" when one has none or they differ.
func same(items []string, family func(string) string) string {
	fam := ""
	for _, it := range items {
		f := family(it)
		if f == "" || (fam != "" && f != fam) {
			return ""
		}
		fam = f
	}
	return fam
}

// platformOf sets the image's platform as DescribeImages would report it, when known.
func platformOf(im *inventory.Image, family string) {
	switch family {
	case familyWindows:
		im.Platform, im.PlatformDetails = "windows", "Windows"
	case familyRHEL:
		im.PlatformDetails = "Red Hat Enterprise Linux"
	case familySUSE:
		im.PlatformDetails = "SUSE Linux"
	case "":
		// The lookup does not say: a self-owned image may be anything.
	default:
		im.PlatformDetails = "Linux/UNIX"
	}
}

// rootDeviceOf is the root device name of a family's published images, for a launch
// configuration's root_block_device, which Terraform maps without a device name. Ubuntu
// and Windows images boot from /dev/sda1; Amazon Linux, Bottlerocket and Debian's own
// images from /dev/xvda. Others keep rootDevice.
func rootDeviceOf(lk *imageLookup) string {
	if lk == nil {
		return rootDevice
	}
	switch lk.family {
	case familyUbuntu, familyWindows:
		return "/dev/sda1"
	}
	return rootDevice
}

// ssmPublishers are the namespaces of AWS's public SSM parameters that hold AMI ids, with
// their publisher and, where the namespace has one, the distribution.
var ssmPublishers = []struct{ prefix, owner, family string }{
	{"/aws/service/ami-amazon-linux-latest/", "amazon", familyAmazonLinux},
	{"/aws/service/ami-windows-latest/", "amazon", familyWindows},
	{"/aws/service/ecs/optimized-ami/", "amazon", ""},
	{"/aws/service/eks/optimized-ami/", "amazon", ""},
	{"/aws/service/bottlerocket/", "amazon", familyBottlerocket},
	{"/aws/service/canonical/", "099720109477", familyUbuntu},
	{"/aws/service/debian/", "136693071363", familyDebian},
	{"/aws/service/suse/", "013907871322", familySUSE},
}

// ssmLookup describes the image a public SSM parameter points at, or returns nil for a
// parameter that is not one of AWS's image parameters (the team's own /golden/ami holds
// an id nobody can read from the code).
func ssmLookup(id, path string) *imageLookup {
	for _, p := range ssmPublishers {
		if !strings.HasPrefix(path, p.prefix) {
			continue
		}
		fam := p.family
		if fam == "" {
			// ECS- and EKS-optimised images exist for Amazon Linux and Windows.
			fam = familyAmazonLinux
			if strings.Contains(strings.ToLower(path), "windows") {
				fam = familyWindows
			}
		}
		lk := &imageLookup{id: id, family: fam, image: inventory.Image{ID: id, OwnerID: p.owner, Name: path,
			Description: "the image the public SSM parameter " + path + " points at when the stack is deployed; the AMI id is not in the code"}}
		platformOf(&lk.image, fam)
		return lk
	}
	return nil
}

// ssmReference matches a CloudFormation dynamic reference to a plain SSM parameter that
// makes up a whole value: {{resolve:ssm:/aws/service/…}}, with an optional version.
var ssmReference = regexp.MustCompile(`^\{\{resolve:ssm:([^:}]+)(?::\d+)?\}\}$`)

// addImage records the image a group runs, in the group's account and region.
func (b *builder) addImage(account, region string, lk *imageLookup) {
	if b.images == nil {
		b.images = map[string]inventory.Image{}
	}
	im := lk.image
	im.ID, im.Account, im.Region = lk.id, account, region
	key := scoped(account, region, im.ID)
	if _, dup := b.images[key]; !dup {
		b.images[key] = im
	}
}

// describeLookup is a short account of what a lookup filters on, for messages.
func describeLookup(owners, names []string) string {
	var parts []string
	if len(owners) > 0 {
		parts = append(parts, "owners "+strings.Join(owners, ", "))
	}
	if len(names) > 0 {
		parts = append(parts, "name "+strings.Join(names, ", "))
	}
	return strings.Join(parts, "; ")
}

var amiDataSchema = &schema{attrs: []string{"owners", "name_regex", "most_recent"},
	blocks: map[string]*schema{"filter": {attrs: []string{"name", "values"}}}}

var ssmDataSchema = &schema{attrs: []string{"name"}}

// imageData is the value of a data "aws_ami", or of a data "aws_ssm_parameter" that reads
// one of AWS's image parameters: an image lookup when its filters say what it finds, an
// unknown value otherwise.
func (m *tfModule) imageData(def *tfResourceDef) cty.Value {
	key := "data." + def.key()
	return m.memo.get(key, func() cty.Value {
		at := place{path: def.block.DefRange.Filename, line: def.block.DefRange.Start.Line}
		addr := joinAddr(m.addr, key)
		id := m.evidence(at, addr)
		extra := m.repeatExtra(def.count, def.forEach, nil)
		why := key + " is looked up when Terraform runs"
		var unknown []string
		// texts reads a string or a list of strings; false, with the reason kept, when the
		// code sets it but it cannot be known.
		texts := func(p props, name string) ([]string, bool) {
			v, _, ok := p.get(name)
			if !ok {
				return nil, true
			}
			if !isKnown(v) || len(reasonsOf(v)) > 0 {
				unknown = append(unknown, reasonsOf(v)...)
				return nil, false
			}
			var out []string
			for _, e := range elements(v) {
				if s, ok := asString(e); ok && s != "" {
					out = append(out, s)
				}
			}
			return out, true
		}

		if def.typ == "aws_ssm_parameter" {
			p := m.decode(def.block.Body, ssmDataSchema, extra, addr, at)
			names, _ := texts(p, "name")
			if len(names) != 1 {
				return unknownBecause(why)
			}
			lk := ssmLookup(id, names[0])
			if lk == nil {
				return unknownBecause(why)
			}
			lk.image.Places = newPlaces(at)
			setPlace(lk.image.Places, "Name", p, "name")
			lk.why = why + ": the AMI id is unknown, the image is known only by the public parameter " + names[0]
			return lk.value()
		}

		p := m.decode(def.block.Body, amiDataSchema, extra, addr, at)
		places := newPlaces(at)
		setPlace(places, "OwnerId", p, "owners")
		owners, ownersKnown := texts(p, "owners")
		var names, filterOwners, descriptions []string
		namesKnown, windows := true, false
		var platformDetails []string
		for _, f := range p.subs("filter") {
			fn, ok := texts(f, "name")
			if !ok || len(fn) != 1 {
				continue
			}
			values, ok := texts(f, "values")
			switch fn[0] {
			case "name":
				names = append(names, values...)
				namesKnown = namesKnown && ok
				setPlace(places, "Name", f, "values")
			case "description":
				// What the image says it is ("Fedora CoreOS stable *"): evidence of its kind.
				if ok {
					descriptions = append(descriptions, values...)
					setPlace(places, "Description", f, "values")
				}
			case "owner-alias", "owner-id":
				filterOwners = append(filterOwners, values...)
				ownersKnown = ownersKnown && ok
				if _, set := places["OwnerId"]; !set {
					setPlace(places, "OwnerId", f, "values")
				}
			case "platform":
				for _, v := range values {
					windows = windows || strings.EqualFold(v, "windows")
				}
				setPlace(places, "Platform", f, "values")
			case "platform-details":
				platformDetails = append(platformDetails, values...)
				for _, v := range values {
					windows = windows || strings.Contains(strings.ToLower(v), "windows")
				}
				setPlace(places, "PlatformDetails", f, "values")
			}
		}
		if _, set := places["Name"]; !set {
			setPlace(places, "Name", p, "name_regex")
		}
		if len(owners) == 0 {
			owners = filterOwners
		}
		if len(names) == 0 && namesKnown {
			regex, ok := texts(p, "name_regex")
			names, namesKnown = regex, ok
		}
		if !ownersKnown {
			owners = nil
		}
		if !namesKnown {
			names = nil
		}
		if len(owners) == 0 && len(names) == 0 {
			// Nothing says which image this is.
			if len(unknown) > 0 {
				why += "; its filters are not known either (" + strings.Join(sortedUnique(unknown), "; ") + ")"
			}
			return unknownBecause(why)
		}
		desc := describeLookup(owners, names)
		if len(descriptions) > 0 {
			desc += "; description " + strings.Join(descriptions, ", ")
		}
		// With the names unknown, an owner that publishes one distribution still says which.
		fam := imageFamily(owners, names, windows)
		// Several owners or name patterns are kept as written, comma-separated: no one of
		// them is the image's.
		lk := &imageLookup{id: id, family: fam, image: inventory.Image{ID: id, OwnerID: strings.Join(owners, ","),
			Name: strings.Join(names, ",")}}
		lk.image.Description = "the image " + key + " finds (" + desc + ") when Terraform runs; the AMI id is not in the code"
		lk.image.Places = places
		for _, f := range []string{"Platform", "PlatformDetails"} {
			// The platform follows from the name or owner when no filter says it.
			if _, set := places[f]; !set {
				if n, ok := places["Name"]; ok {
					places[f] = n
				} else if o, ok := places["OwnerId"]; ok {
					places[f] = o
				}
			}
		}
		platformOf(&lk.image, fam)
		if lk.image.PlatformDetails == "" && len(platformDetails) == 1 && !strings.ContainsAny(platformDetails[0], "*?") {
			lk.image.PlatformDetails = platformDetails[0]
		}
		if lk.image.PlatformDetails == "" && !windows && amazonOwned(owners) {
			// Amazon's own images (Deep Learning, ECS- and EKS-optimised, Amazon Linux) are
			// Linux unless they are its Windows images, whose names say Windows.
			lk.image.PlatformDetails = "Linux/UNIX"
		}
		lk.why = why + ": the AMI id is unknown, the image is known only by its lookup (" + desc + ")"
		if len(unknown) > 0 {
			lk.why += "; some of its filters are not known (" + strings.Join(sortedUnique(unknown), "; ") + ")"
		}
		return lk.value()
	})
}

// amazonOwned reports whether every owner is Amazon itself, by alias or account.
func amazonOwned(owners []string) bool {
	for _, o := range owners {
		if o != "amazon" && o != "137112412989" {
			return false
		}
	}
	return len(owners) > 0
}
