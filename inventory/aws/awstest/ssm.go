package awstest

import (
	"net/http"
	"sort"
	"strings"

	"whyk8s/inventory"
)

// Systems Manager, from the groups' Deployments: the associations that target the region's
// groups by tag, each listed once whatever the number of groups it targets. Paged two at a
// time (the service pages at 50).
const ssmPage = 2

type ssmTarget struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type ssmAssociation struct {
	AssociationID   string      `json:"AssociationId"`
	AssociationName string      `json:"AssociationName,omitempty"`
	Name            string      `json:"Name"`
	Targets         []ssmTarget `json:"Targets"`
}

// ssmAssociations are the region's associations, by id.
func ssmAssociations(rd *regionData) []ssmAssociation {
	byID := map[string]ssmAssociation{}
	if rd != nil {
		for _, g := range rd.groups {
			for _, d := range g.Deployments {
				if d.Service != inventory.DeploySSM {
					continue
				}
				_, id, _ := strings.Cut(d.Source, ":association/")
				a := ssmAssociation{AssociationID: id, Name: d.Application}
				if d.DeploymentGroup != id {
					a.AssociationName = d.DeploymentGroup
				}
				// Target is written as the reader shows it: tag:Role=a,b tag-key=k InstanceIds=*.
				for _, t := range strings.Fields(d.Target) {
					k, v, _ := strings.Cut(t, "=")
					a.Targets = append(a.Targets, ssmTarget{Key: k, Values: strings.Split(v, ",")})
				}
				byID[id] = a
			}
		}
	}
	out := make([]ssmAssociation, 0, len(byID))
	for _, a := range byID {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AssociationID < out[j].AssociationID })
	return out
}

func (s *Server) listAssociations(c *call, rd *regionData) *apiError {
	all := ssmAssociations(rd)
	t, _ := c.json["NextToken"].(string)
	lo, hi, next, ok := pageBounds(t, len(all), ssmPage)
	if !ok {
		return &apiError{http.StatusBadRequest, "InvalidNextToken", "The specified token is not valid."}
	}
	s.okJSON(c, struct {
		Associations []ssmAssociation `json:"Associations"`
		NextToken    string           `json:"NextToken,omitempty"`
	}{append([]ssmAssociation{}, all[lo:hi]...), next})
	return nil
}

// describeAssociation gives one association's parameters: an AWS-RunShellScript
// association's commands, a line each, from the deployment's Commands.
func (s *Server) describeAssociation(c *call, rd *regionData) *apiError {
	id, _ := c.json["AssociationId"].(string)
	if rd != nil {
		for _, g := range rd.groups {
			for _, d := range g.Deployments {
				if d.Service != inventory.DeploySSM || !strings.HasSuffix(d.Source, ":association/"+id) || id == "" {
					continue
				}
				params := map[string][]string{}
				if d.Commands != "" {
					params["commands"] = strings.Split(d.Commands, "\n")
				}
				if d.Playbook != "" {
					params["PlaybookFile"] = []string{d.Playbook}
				}
				if d.RunList != "" {
					params["RunList"] = []string{d.RunList}
				}
				s.okJSON(c, struct {
					AssociationDescription struct {
						AssociationID string              `json:"AssociationId"`
						Name          string              `json:"Name"`
						Parameters    map[string][]string `json:"Parameters,omitempty"`
					} `json:"AssociationDescription"`
				}{AssociationDescription: struct {
					AssociationID string              `json:"AssociationId"`
					Name          string              `json:"Name"`
					Parameters    map[string][]string `json:"Parameters,omitempty"`
				}{id, d.Application, params}})
				return nil
			}
		}
	}
	return &apiError{http.StatusBadRequest, "AssociationDoesNotExist", "The specified association does not exist."}
}
