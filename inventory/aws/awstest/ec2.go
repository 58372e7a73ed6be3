package awstest

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// EC2 limits from the API reference: DescribeLaunchTemplateVersions pages hold at most 200
// versions; DescribeImages pages 5-1000 images and refuses MaxResults with ImageIds.
const (
	ltvMaxPage          = 200
	imagesMaxPage       = 1000
	ec2MaxFilterValues  = 200
	ec2ImagesMinResults = 5
)

func (s *Server) describeLaunchTemplateVersions(c *call, rd *regionData) *apiError {
	id, name := c.form.get("LaunchTemplateId"), c.form.get("LaunchTemplateName")
	versions := c.form.list("LaunchTemplateVersion")
	max, err := c.form.intParam("MaxResults")
	if err != nil {
		return validation(c, err.Error())
	}
	var items []templateItem
	switch {
	case id != "" && name != "":
		return &apiError{http.StatusBadRequest, "InvalidParameterCombination", "LaunchTemplateId and LaunchTemplateName cannot both be specified"}
	case id == "" && name == "":
		// The account-wide form: the latest and/or default version of every template.
		latest, def := false, false
		for _, v := range versions {
			switch v {
			case "$Latest":
				latest = true
			case "$Default":
				def = true
			default:
				return validation(c, "Only $Latest and $Default can be described without a launch template ID or name")
			}
		}
		if !latest && !def {
			return &apiError{http.StatusBadRequest, "MissingParameter", "A launch template ID or name, or the $Latest or $Default version, must be specified"}
		}
		items = rd.templateItems(latest, def)
	default:
		var t *launchTemplate
		if id != "" {
			t = rd.templates[id]
			if t == nil {
				return &apiError{http.StatusBadRequest, "InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID " + id + ", does not exist."}
			}
		} else {
			t = rd.templateByName(name)
			if t == nil {
				return &apiError{http.StatusBadRequest, "InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name " + name + ", does not exist."}
			}
		}
		seen := map[int64]bool{}
		add := func(v int64) {
			if !seen[v] {
				seen[v] = true
				items = append(items, templateItem{t, v})
			}
		}
		if len(versions) == 0 {
			for v := range t.versions {
				add(v)
			}
		}
		for _, v := range versions {
			switch v {
			case "$Latest":
				add(t.latest())
			case "$Default":
				add(t.defaultVers)
			default:
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return validation(c, "Invalid launch template version "+v)
				}
				if _, ok := t.versions[n]; !ok {
					return &apiError{http.StatusBadRequest, "InvalidLaunchTemplateId.VersionNotFound", "Could not find launch template version " + v + " for launch template with ID " + t.id + "."}
				}
				add(n)
			}
		}
		sort.Slice(items, func(i, j int) bool { return items[i].v > items[j].v })
	}
	lo, hi, next, e := s.paginate(c, len(items), max, ltvMaxPage, ltvMaxPage, c.form.get("NextToken"), id+name+strings.Join(versions, ","))
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("launchTemplateVersionSet", "item", hi-lo, func(i int) {
			it := items[lo+i]
			x.str("launchTemplateId", it.t.id)
			x.str("launchTemplateName", it.t.name)
			x.str("versionNumber", itoa64(it.v))
			x.str("createTime", "2024-01-01T00:00:00.000Z")
			x.str("createdBy", "arn:aws:iam::"+c.account+":role/provisioner")
			x.bool("defaultVersion", it.v == it.t.defaultVers)
			x.el("launchTemplateData", func() { writeTemplateData(x, it.t.versions[it.v]) })
		})
		x.str("nextToken", next)
	})
	return nil
}

func writeTemplateData(x *xmlw, sp inventory.LaunchSpec) {
	x.str("imageId", sp.ImageID)
	x.str("instanceType", sp.InstanceType)
	x.str("keyName", sp.KeyName)
	if p := sp.IAMInstanceProfile; p != "" {
		x.el("iamInstanceProfile", func() {
			if strings.HasPrefix(p, "arn:") {
				x.str("arn", p)
			} else {
				x.str("name", p)
			}
		})
	}
	var ids, names []string
	for _, g := range sp.SecurityGroups {
		if strings.HasPrefix(g, "sg-") {
			ids = append(ids, g)
		} else {
			names = append(names, g)
		}
	}
	x.strs("securityGroupIdSet", "item", ids)
	x.strs("securityGroupSet", "item", names)
	x.list("blockDeviceMappingSet", "item", len(sp.BlockDevices), func(i int) {
		b := sp.BlockDevices[i]
		x.str("deviceName", b.DeviceName)
		x.str("virtualName", b.VirtualName)
		if b.NoDevice {
			// The launch template form of NoDevice is a string that suppresses the device
			// when present, even empty.
			x.WriteString("<noDevice></noDevice>")
		}
		if b.SnapshotID != "" || b.VolumeSize > 0 || b.VolumeType != "" || b.DeleteOnTermination != nil || b.Encrypted || b.IOPS > 0 {
			x.el("ebs", func() {
				x.str("snapshotId", b.SnapshotID)
				if b.VolumeSize > 0 {
					x.int("volumeSize", b.VolumeSize)
				}
				x.str("volumeType", b.VolumeType)
				if b.DeleteOnTermination != nil {
					x.bool("deleteOnTermination", *b.DeleteOnTermination)
				}
				if b.IOPS > 0 {
					x.int("iops", b.IOPS)
				}
				if b.Encrypted {
					x.bool("encrypted", true)
				}
			})
		}
	})
	if sp.Tenancy != "" {
		x.el("placement", func() { x.str("tenancy", sp.Tenancy) })
	}
	if sp.MarketType != "" {
		x.el("instanceMarketOptions", func() { x.str("marketType", sp.MarketType) })
	}
	if sp.DetailedMonitoring {
		x.el("monitoring", func() { x.bool("enabled", true) })
	}
	if sp.MetadataHTTPTokens != "" {
		x.el("metadataOptions", func() { x.str("httpTokens", sp.MetadataHTTPTokens) })
	}
	x.str("userData", base64.StdEncoding.EncodeToString([]byte(sp.UserData)))
}

func (s *Server) describeImages(c *call, rd *regionData) *apiError {
	ids := c.form.list("ImageId")
	filters := c.form.ec2Filters()
	max, err := c.form.intParam("MaxResults")
	if err != nil {
		return validation(c, err.Error())
	}
	if max > 0 && len(ids) > 0 {
		return &apiError{http.StatusBadRequest, "InvalidParameterCombination", "The parameter ImageIds cannot be used with the parameter MaxResults"}
	}
	if max > 0 && max < ec2ImagesMinResults {
		return validation(c, "MaxResults must be between 5 and 1000")
	}
	for name, vs := range filters {
		if len(vs) > ec2MaxFilterValues {
			return &apiError{http.StatusBadRequest, "FilterLimitExceeded", "The maximum number of filter values specified on a single call is 200"}
		}
		if name != "image-id" {
			return validation(c, "awstest supports only the image-id filter, not "+name)
		}
	}
	var images []*inventory.Image
	switch {
	case len(ids) > 0:
		for _, id := range ids {
			im, ok := rd.images[id]
			if !ok {
				return &apiError{http.StatusBadRequest, "InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist"}
			}
			images = append(images, im)
		}
	case filters["image-id"] != nil:
		want := set(filters["image-id"])
		for _, id := range rd.imageOrder {
			if want[id] {
				images = append(images, rd.images[id])
			}
		}
	default:
		for _, id := range rd.imageOrder {
			images = append(images, rd.images[id])
		}
	}
	scope := strings.Join(ids, ",") + "|" + strings.Join(filters["image-id"], ",")
	lo, hi, next, e := s.paginate(c, len(images), max, imagesMaxPage, imagesMaxPage, c.form.get("NextToken"), scope)
	if e != nil {
		return e
	}
	s.ok(c, func(x *xmlw) {
		x.list("imagesSet", "item", hi-lo, func(i int) {
			im := images[lo+i]
			x.str("imageId", im.ID)
			x.str("imageLocation", im.OwnerID+"/"+im.Name)
			x.str("imageState", "available")
			x.str("imageOwnerId", im.OwnerID)
			if im.OwnerAlias != "" {
				x.str("imageOwnerAlias", im.OwnerAlias)
			}
			x.str("creationDate", im.CreationDate)
			x.bool("isPublic", false)
			x.str("architecture", im.Architecture)
			x.str("imageType", "machine")
			x.str("platform", im.Platform)
			x.str("platformDetails", im.PlatformDetails)
			x.str("name", im.Name)
			x.str("description", im.Description)
			x.str("rootDeviceType", "ebs")
			keys := sortedKeys(im.Tags)
			x.list("tagSet", "item", len(keys), func(i int) {
				x.str("key", keys[i])
				x.str("value", im.Tags[keys[i]])
			})
		})
		x.str("nextToken", next)
	})
	return nil
}

func (s *Server) describeRegions(c *call) *apiError {
	var regions []string
	if ad, ok := s.ix.accounts[c.account]; ok {
		regions = ad.regions
	}
	if len(regions) == 0 {
		regions = []string{c.region}
	}
	s.ok(c, func(x *xmlw) {
		x.list("regionInfo", "item", len(regions), func(i int) {
			x.str("regionName", regions[i])
			x.str("regionEndpoint", "ec2."+regions[i]+".amazonaws.com")
			x.str("optInStatus", "opt-in-not-required")
		})
	})
	return nil
}
