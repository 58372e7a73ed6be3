package awstest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// CodeDeploy, from the groups' Deployments: the applications and deployment groups that
// deploy to the region's groups. Lists are paged two at a time (the service pages at 100)
// so that a collector's paging is exercised by small estates too.
const cdPage = 2

// cdGroups are the region's deployment groups by application, then name, each with the
// groups it deploys to.
func cdGroups(rd *regionData) map[string]map[string][]*inventory.AutoScalingGroup {
	out := map[string]map[string][]*inventory.AutoScalingGroup{}
	if rd == nil {
		return out
	}
	for _, g := range rd.groups {
		for _, d := range g.Deployments {
			if d.Service != inventory.DeployCodeDeploy || d.Application == "" {
				continue
			}
			if out[d.Application] == nil {
				out[d.Application] = map[string][]*inventory.AutoScalingGroup{}
			}
			out[d.Application][d.DeploymentGroup] = append(out[d.Application][d.DeploymentGroup], g)
		}
	}
	return out
}

// cdSlice pages names by nextToken, an index.
func cdSlice(c *call, names []string) ([]string, string, *apiError) {
	sort.Strings(names)
	t, _ := c.json["nextToken"].(string)
	lo, hi, next, ok := pageBounds(t, len(names), cdPage)
	if !ok {
		return nil, "", &apiError{http.StatusBadRequest, "InvalidNextTokenException", "The next token was specified in an invalid format."}
	}
	return names[lo:hi], next, nil
}

// pageBounds is the page of n items of the given size that a token (an index, "" for the
// first page) starts, and the token of the next page ("" for the last); ok is false for a
// token the fake did not give.
func pageBounds(token string, n, size int) (lo, hi int, next string, ok bool) {
	if token != "" {
		i, err := strconv.Atoi(token)
		if err != nil || i < 0 || i > n {
			return 0, 0, "", false
		}
		lo = i
	}
	hi = min(lo+size, n)
	if hi < n {
		next = strconv.Itoa(hi)
	}
	return lo, hi, next, true
}

func (s *Server) listApplications(c *call, rd *regionData) *apiError {
	var apps []string
	for a := range cdGroups(rd) {
		apps = append(apps, a)
	}
	page, next, e := cdSlice(c, apps)
	if e != nil {
		return e
	}
	s.okJSON(c, struct {
		Applications []string `json:"applications"`
		NextToken    string   `json:"nextToken,omitempty"`
	}{append([]string{}, page...), next})
	return nil
}

func (s *Server) listDeploymentGroups(c *call, rd *regionData) *apiError {
	app, _ := c.json["applicationName"].(string)
	dgs, ok := cdGroups(rd)[app]
	if !ok {
		return &apiError{http.StatusBadRequest, "ApplicationDoesNotExistException", "No application found for name: " + app}
	}
	var names []string
	for n := range dgs {
		names = append(names, n)
	}
	page, next, e := cdSlice(c, names)
	if e != nil {
		return e
	}
	s.okJSON(c, struct {
		ApplicationName  string   `json:"applicationName"`
		DeploymentGroups []string `json:"deploymentGroups"`
		NextToken        string   `json:"nextToken,omitempty"`
	}{app, append([]string{}, page...), next})
	return nil
}

type cdGroupInfo struct {
	ApplicationName     string            `json:"applicationName"`
	DeploymentGroupName string            `json:"deploymentGroupName"`
	ComputePlatform     string            `json:"computePlatform"`
	AutoScalingGroups   []cdASG           `json:"autoScalingGroups"`
	TargetRevision      *cdRevision       `json:"targetRevision,omitempty"`
	DeploymentStyle     map[string]string `json:"deploymentStyle"`
}

type cdASG struct {
	Name string `json:"name"`
	Hook string `json:"hook"`
}

type cdRevision struct {
	RevisionType   string            `json:"revisionType"`
	S3Location     map[string]string `json:"s3Location,omitempty"`
	GitHubLocation map[string]string `json:"gitHubLocation,omitempty"`
}

func (s *Server) getDeploymentGroup(c *call, rd *regionData) *apiError {
	app, _ := c.json["applicationName"].(string)
	name, _ := c.json["deploymentGroupName"].(string)
	dgs, ok := cdGroups(rd)[app]
	if !ok {
		return &apiError{http.StatusBadRequest, "ApplicationDoesNotExistException", "No application found for name: " + app}
	}
	groups, ok := dgs[name]
	if !ok {
		return &apiError{http.StatusBadRequest, "DeploymentGroupDoesNotExistException", "No Deployment Group found for name: " + name}
	}
	info := cdGroupInfo{ApplicationName: app, DeploymentGroupName: name, ComputePlatform: "Server",
		DeploymentStyle: map[string]string{"deploymentType": "IN_PLACE", "deploymentOption": "WITHOUT_TRAFFIC_CONTROL"}}
	for _, g := range groups {
		info.AutoScalingGroups = append(info.AutoScalingGroups, cdASG{Name: g.Name, Hook: "CodeDeploy-managed-automatic-launch-deployment-hook-" + name})
		for _, d := range g.Deployments {
			if d.Service == inventory.DeployCodeDeploy && d.Application == app && d.DeploymentGroup == name && d.Revision != "" && info.TargetRevision == nil {
				info.TargetRevision = cdRevisionOf(d.Revision)
			}
		}
	}
	s.okJSON(c, struct {
		DeploymentGroupInfo cdGroupInfo `json:"deploymentGroupInfo"`
	}{info})
	return nil
}

// cdRevisionOf writes a Deployment's revision (s3://bucket/key, github:owner/repo) as the
// API does.
func cdRevisionOf(rev string) *cdRevision {
	if rest, ok := strings.CutPrefix(rev, "s3://"); ok {
		bucket, key, _ := strings.Cut(rest, "/")
		return &cdRevision{RevisionType: "S3", S3Location: map[string]string{"bucket": bucket, "key": key, "bundleType": "zip"}}
	}
	repo := strings.TrimPrefix(rev, "github:")
	return &cdRevision{RevisionType: "GitHub", GitHubLocation: map[string]string{"repository": repo, "commitId": "0123456789abcdef0123456789abcdef01234567"}}
}
