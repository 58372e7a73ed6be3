package awstest

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
)

var roleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$`)

func roleAccount(arn string) (account, role string) {
	m := roleARN.FindStringSubmatch(arn)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

func (s *Server) getCallerIdentity(c *call) *apiError {
	arn := "arn:aws:iam::" + c.account + ":user/awstest"
	if c.roleName != "" {
		arn = "arn:aws:sts::" + c.account + ":assumed-role/" + c.roleName + "/awstest"
	}
	s.ok(c, func(x *xmlw) {
		x.str("Arn", arn)
		x.str("UserId", "AIDAAWSTEST")
		x.str("Account", c.account)
	})
	return nil
}

func (s *Server) knownAccount(id string) bool {
	if id == s.cfg.caller {
		return true
	}
	if _, ok := s.ix.accounts[id]; ok {
		return true
	}
	for _, a := range s.cfg.org.Accounts {
		if a.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) assumeRole(c *call) *apiError {
	arn := c.form.get("RoleArn")
	session := c.form.get("RoleSessionName")
	if arn == "" || session == "" {
		return validation(c, "RoleArn and RoleSessionName are required")
	}
	account, role := roleAccount(arn)
	denied := &apiError{http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::" + c.account + ":user/awstest is not authorized to perform: sts:AssumeRole on resource: " + arn}
	if account == "" || !s.knownAccount(account) {
		return denied
	}
	if want, ok := s.cfg.externalIDs[arn]; ok && c.form.get("ExternalId") != want {
		return denied
	}
	n := s.session.Add(1)
	s.ok(c, func(x *xmlw) {
		x.el("Credentials", func() {
			x.str("AccessKeyId", fmt.Sprintf("ASIAAWSTEST%09d", n))
			x.str("SecretAccessKey", "awstest-secret")
			x.str("SessionToken", fmt.Sprintf("awstest/%s/%s/%d", account, role, n))
			// Far in the future, so that no test depends on the clock.
			x.str("Expiration", "2100-01-01T00:00:00Z")
		})
		x.el("AssumedRoleUser", func() {
			x.str("AssumedRoleId", "AROAAWSTEST:"+session)
			x.str("Arn", "arn:aws:sts::"+account+":assumed-role/"+role+"/"+session)
		})
	})
	return nil
}

// Organizations pages hold at most 20 accounts or children.
const orgMaxPage = 20

type orgAccountJSON struct {
	ID              string  `json:"Id"`
	Arn             string  `json:"Arn"`
	Email           string  `json:"Email"`
	Name            string  `json:"Name"`
	Status          string  `json:"Status"`
	State           string  `json:"State"`
	JoinedMethod    string  `json:"JoinedMethod"`
	JoinedTimestamp float64 `json:"JoinedTimestamp"`
}

func (s *Server) orgPage(c *call, n int, scope string) (lo, hi int, next string, e *apiError) {
	max := 0
	if v, ok := c.json["MaxResults"].(float64); ok {
		max = int(v)
	}
	token, _ := c.json["NextToken"].(string)
	lo, hi, next, e = s.paginate(c, n, max, orgMaxPage, orgMaxPage, token, scope)
	if e != nil && e.code == "ValidationError" {
		e.code = "InvalidInputException"
	}
	return lo, hi, next, e
}

// listAccounts serves ListAccounts (parent empty) and ListAccountsForParent.
func (s *Server) listAccounts(c *call, parent string) *apiError {
	var accts []OrgAccount
	for _, a := range s.cfg.org.Accounts {
		p := a.Parent
		if p == "" {
			p = RootID
		}
		if parent == "" || parent == p {
			accts = append(accts, a)
		}
	}
	sort.Slice(accts, func(i, j int) bool { return accts[i].ID < accts[j].ID })
	lo, hi, next, e := s.orgPage(c, len(accts), parent)
	if e != nil {
		return e
	}
	out := struct {
		Accounts  []orgAccountJSON `json:"Accounts"`
		NextToken string           `json:"NextToken,omitempty"`
	}{Accounts: []orgAccountJSON{}, NextToken: next}
	for _, a := range accts[lo:hi] {
		state := a.State
		if state == "" {
			state = "ACTIVE"
		}
		// Status is the retired field: SUSPENDED for anything not active.
		status := "ACTIVE"
		if state != "ACTIVE" {
			status = "SUSPENDED"
		}
		out.Accounts = append(out.Accounts, orgAccountJSON{
			ID: a.ID, Arn: "arn:aws:organizations::" + s.cfg.caller + ":account/o-awstest/" + a.ID,
			Email: a.ID + "@example.com", Name: a.Name, Status: status, State: state,
			JoinedMethod: "CREATED", JoinedTimestamp: 1704067200,
		})
	}
	s.okJSON(c, out)
	return nil
}

func (s *Server) listChildren(c *call) *apiError {
	parent, _ := c.json["ParentId"].(string)
	typ, _ := c.json["ChildType"].(string)
	if parent == "" || (typ != "ACCOUNT" && typ != "ORGANIZATIONAL_UNIT") {
		return &apiError{http.StatusBadRequest, "InvalidInputException", "ParentId and ChildType are required"}
	}
	var ids []string
	if typ == "ACCOUNT" {
		for _, a := range s.cfg.org.Accounts {
			p := a.Parent
			if p == "" {
				p = RootID
			}
			if p == parent {
				ids = append(ids, a.ID)
			}
		}
	} else {
		for _, ou := range s.cfg.org.OUs {
			p := ou.Parent
			if p == "" {
				p = RootID
			}
			if p == parent {
				ids = append(ids, ou.ID)
			}
		}
	}
	sort.Strings(ids)
	lo, hi, next, e := s.orgPage(c, len(ids), parent+"|"+typ)
	if e != nil {
		return e
	}
	type child struct {
		ID   string `json:"Id"`
		Type string `json:"Type"`
	}
	out := struct {
		Children  []child `json:"Children"`
		NextToken string  `json:"NextToken,omitempty"`
	}{Children: []child{}, NextToken: next}
	for _, id := range ids[lo:hi] {
		out.Children = append(out.Children, child{id, typ})
	}
	s.okJSON(c, out)
	return nil
}
