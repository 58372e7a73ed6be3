// Package awstest is an in-process fake of the AWS APIs the whyk8s collector reads. It
// serves an inventory.Estate over the services' real wire protocols — Query/XML for Auto
// Scaling, Elastic Load Balancing (classic and v2) and STS, EC2's own Query dialect, and
// JSON 1.1 for Organizations — so that tests go through the real SDK: its serialisers,
// signing, pagination, retries and deserialisers.
//
// Requests are routed by the SigV4 credential scope (region and signing name) in the
// Authorization header; the two ELB APIs, which share a signing name, are told apart by
// their Version parameter. The account is the caller's unless the request carries a
// session token from AssumeRole, which names the account it was issued for.
//
// The response shapes follow the SDK's generated deserialisers, which are generated from
// the services' published models, and the AWS API references.
package awstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"golang.org/x/time/rate"

	"whyk8s/inventory"
)

// DefaultCaller is the account of requests signed with the base (non-assumed) credentials.
const DefaultCaller = "111111111111"

// Server is a running fake AWS endpoint. Point the SDK at URL (BaseEndpoint) with any
// static credentials.
type Server struct {
	URL string

	hs  *httptest.Server
	cfg config
	ix  *index

	calls   atomic.Int64
	reqID   atomic.Int64
	session atomic.Int64

	mu      sync.Mutex
	ops     map[string]int
	rng     *rand.Rand
	buckets map[string]*rate.Limiter
}

// FaultKind is what an injected fault does to a matching request.
type FaultKind int

const (
	// FaultAccessDenied answers with the service's access-denied error
	// (AccessDenied, UnauthorizedOperation, AccessDeniedException).
	FaultAccessDenied FaultKind = iota + 1
	// FaultThrottle answers with the service's throttling error (Throttling,
	// RequestLimitExceeded, TooManyRequestsException).
	FaultThrottle
	// FaultServerError answers 500 InternalFailure (InternalError for EC2).
	FaultServerError
	// FaultRegionDisabled answers the way AWS answers in a region the account has not
	// enabled: the regional STS token is not valid there (InvalidClientTokenId, AuthFailure).
	FaultRegionDisabled
	// FaultDelay adds Delay before the response and then answers normally.
	FaultDelay
)

// Fault injects an error or a delay into matching requests. Empty fields match anything.
type Fault struct {
	Account string // for sts:AssumeRole, the account whose role is assumed
	Region  string
	// Operation is an IAM-style name, "autoscaling:DescribeLifecycleHooks"; a service
	// prefix alone ("ec2:") matches all of that service's operations.
	Operation string
	Kind      FaultKind
	// Rate is the share of matching requests that fail, in (0, 1]; 0 means all.
	Rate  float64
	Delay time.Duration
}

func (f Fault) matches(account, region, op string) bool {
	if f.Account != "" && f.Account != account {
		return false
	}
	if f.Region != "" && f.Region != region {
		return false
	}
	if f.Operation != "" {
		if strings.HasSuffix(f.Operation, ":") {
			return strings.HasPrefix(op, f.Operation)
		}
		return f.Operation == op
	}
	return true
}

// OrgAccount is one account of the fake organisation.
type OrgAccount struct {
	ID, Name string
	// State is ACTIVE, SUSPENDED, PENDING_CLOSURE…; empty means ACTIVE.
	State string
	// Parent is the id of the OU the account is in; empty means the root.
	Parent string
}

// OU is one organisational unit; Parent empty means the root.
type OU struct{ ID, Parent string }

// Organization is the fake organisation ListAccounts and friends serve.
type Organization struct {
	Accounts []OrgAccount
	OUs      []OU
}

// RootID is the id of the fake organisation's root.
const RootID = "r-awst"

// Request describes one request the server received, for observers.
type Request struct {
	Account, Region string
	Operation       string // IAM-style, "ec2:DescribeImages"
}

type config struct {
	pageSize    int
	latency     time.Duration
	caller      string
	faults      []Fault
	rps         float64
	burst       int
	org         *Organization
	externalIDs map[string]string
	seed        uint64
	observe     func(Request)
	missing     map[string]bool
}

// Option configures a Server.
type Option func(*config)

// WithPageSize caps every page at n items (the client's own page size still applies when
// smaller), so that small estates exercise pagination.
func WithPageSize(n int) Option { return func(c *config) { c.pageSize = n } }

// WithLatency adds d before every response.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithCaller sets the account of the base credentials (default DefaultCaller).
func WithCaller(account string) Option { return func(c *config) { c.caller = account } }

// WithFault adds an injected fault; faults are checked in the order given.
func WithFault(f Fault) Option { return func(c *config) { c.faults = append(c.faults, f) } }

// WithThrottling makes the server throttle like AWS does: a token bucket per account,
// region and API (EC2, Auto Scaling, classic ELB, ELB v2…) refilling at rps with the
// given burst — AWS buckets read-only calls per service, not per operation.
func WithThrottling(rps float64, burst int) Option {
	return func(c *config) { c.rps, c.burst = rps, burst }
}

// WithOrganization sets the organisation served to Organizations calls. By default it is
// every account of the estate, all ACTIVE, under the root.
func WithOrganization(o Organization) Option { return func(c *config) { c.org = &o } }

// WithExternalID makes AssumeRole of the given role require this external id, as a role
// set up for a third party does.
func WithExternalID(roleARN, id string) Option {
	return func(c *config) {
		if c.externalIDs == nil {
			c.externalIDs = map[string]string{}
		}
		c.externalIDs[roleARN] = id
	}
}

// WithSeed seeds the random choice of which requests a Rate fault hits.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithMissing hides resources the estate's groups reference, as if they had been deleted
// since: launch templates by id ("lt-0abc"), single template versions ("lt-0abc:3"),
// launch configurations by name and AMIs by id.
func WithMissing(ids ...string) Option {
	return func(c *config) {
		if c.missing == nil {
			c.missing = map[string]bool{}
		}
		for _, id := range ids {
			c.missing[id] = true
		}
	}
}

// WithObserver calls fn for every request received, before faults and latency.
func WithObserver(fn func(Request)) Option { return func(c *config) { c.observe = fn } }

// New starts a server serving the estate. Close it when done.
func New(estate *inventory.Estate, opts ...Option) *Server {
	cfg := config{caller: DefaultCaller, seed: 1}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:     cfg,
		ix:      newIndex(estate, cfg.missing),
		ops:     map[string]int{},
		rng:     rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
		buckets: map[string]*rate.Limiter{},
	}
	if s.cfg.org == nil {
		s.cfg.org = defaultOrg(s.ix, cfg.caller)
	}
	s.hs = httptest.NewServer(s)
	s.URL = s.hs.URL
	return s
}

func defaultOrg(ix *index, caller string) *Organization {
	ids := []string{caller}
	for id := range ix.accounts {
		if id != caller {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	o := &Organization{}
	for _, id := range ids {
		name := ""
		if ad, ok := ix.accounts[id]; ok {
			name = ad.name
		}
		o.Accounts = append(o.Accounts, OrgAccount{ID: id, Name: name})
	}
	return o
}

// Close shuts the server down.
func (s *Server) Close() { s.hs.Close() }

// Client returns an HTTP client for the server (plain HTTP; no TLS involved).
func (s *Server) Client() *http.Client { return s.hs.Client() }

// Calls returns the number of requests received, including failed and retried ones.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Operations returns the sorted set of IAM-style operations received, e.g.
// "autoscaling:DescribeAutoScalingGroups".
func (s *Server) Operations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.ops))
	for op := range s.ops {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// CallsByOperation returns how many requests each operation received.
func (s *Server) CallsByOperation() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.ops))
	for k, v := range s.ops {
		out[k] = v
	}
	return out
}

// ResetCounts forgets the calls and operations recorded so far.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = map[string]int{}
	s.calls.Store(0)
}

// protocol is how a service frames its requests and responses.
type protocol int

const (
	protoQuery protocol = iota // autoscaling, elb, elbv2, sts
	protoEC2
	protoJSON // organizations, codedeploy, ssm
)

// call is one decoded request.
type call struct {
	api      string // autoscaling, ec2, elb, elbv2, sts, organizations, codedeploy, ssm
	proto    protocol
	action   string
	op       string // IAM-style name
	account  string
	region   string
	form     form           // Query and EC2
	json     map[string]any // JSON
	xmlns    string
	w        http.ResponseWriter
	reqID    string
	roleName string // for assumed-role identities
}

// apiError is an error response: the code and message the service would send.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	region, signing, ok := credentialScope(r.Header.Get("Authorization"))
	c := &call{w: w, reqID: fmt.Sprintf("awstest-%08d", s.reqID.Add(1))}
	if !ok {
		c.proto = protoQuery
		s.fail(c, &apiError{http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token"})
		return
	}
	c.region = region
	c.account, c.roleName = s.identity(r.Header.Get("X-Amz-Security-Token"))
	if signing == "organizations" || signing == "codedeploy" || signing == "ssm" {
		// JSON 1.1: the operation is the target after its service's version prefix
		// (AWSOrganizationsV20161128., CodeDeploy_20141006., AmazonSSM.).
		c.api, c.proto = signing, protoJSON
		target := r.Header.Get("X-Amz-Target")
		c.action = target[strings.LastIndexByte(target, '.')+1:]
		c.json = map[string]any{}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &c.json); err != nil {
				s.fail(c, &apiError{http.StatusBadRequest, "SerializationException", err.Error()})
				return
			}
		}
	} else {
		values, err := url.ParseQuery(string(body))
		if err != nil {
			c.proto = protoQuery
			s.fail(c, &apiError{http.StatusBadRequest, "MalformedQueryString", err.Error()})
			return
		}
		c.form = form(values)
		c.action = c.form.get("Action")
		switch signing {
		case "autoscaling":
			c.api, c.xmlns = "autoscaling", "http://autoscaling.amazonaws.com/doc/2011-01-01/"
		case "ec2":
			c.api, c.proto, c.xmlns = "ec2", protoEC2, "http://ec2.amazonaws.com/doc/2016-11-15/"
		case "sts":
			c.api, c.xmlns = "sts", "https://sts.amazonaws.com/doc/2011-06-15/"
		case "elasticloadbalancing":
			if c.form.get("Version") == "2015-12-01" {
				c.api, c.xmlns = "elbv2", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
			} else {
				c.api, c.xmlns = "elb", "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
			}
		default:
			s.fail(c, &apiError{http.StatusBadRequest, "UnknownService", "awstest does not serve " + signing})
			return
		}
	}
	c.op = iamPrefix(c.api) + ":" + c.action
	s.mu.Lock()
	s.ops[c.op]++
	s.mu.Unlock()

	faultAccount := c.account
	if c.op == "sts:AssumeRole" {
		faultAccount, _ = roleAccount(c.form.get("RoleArn"))
	}
	if s.cfg.observe != nil {
		s.cfg.observe(Request{Account: faultAccount, Region: c.region, Operation: c.op})
	}
	delay := s.cfg.latency
	fault := s.fault(faultAccount, c.region, c.op, &delay)
	if !sleep(r.Context(), delay) {
		return // the client went away; nobody reads the answer
	}
	if fault != nil {
		s.fail(c, fault)
		return
	}
	if s.throttled(faultAccount, c.region, c.api) {
		s.fail(c, throttleError(c.api))
		return
	}
	if err := s.dispatch(c); err != nil {
		s.fail(c, err)
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// credentialScope reads region and signing name from a SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/autoscaling/aws4_request, …".
func credentialScope(auth string) (region, service string, ok bool) {
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return "", "", false
	}
	cred := auth[i+len("Credential="):]
	if j := strings.IndexAny(cred, ", "); j >= 0 {
		cred = cred[:j]
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "", "", false
	}
	return parts[2], parts[3], true
}

// identity returns the account (and role) a session token was issued for, or the caller.
func (s *Server) identity(token string) (account, role string) {
	parts := strings.Split(token, "/")
	if len(parts) >= 3 && parts[0] == "awstest" {
		return parts[1], parts[2]
	}
	return s.cfg.caller, ""
}

func iamPrefix(api string) string {
	if api == "elb" || api == "elbv2" {
		return "elasticloadbalancing"
	}
	return api
}

func (s *Server) fault(account, region, op string, delay *time.Duration) *apiError {
	for _, f := range s.cfg.faults {
		if !f.matches(account, region, op) {
			continue
		}
		if f.Rate > 0 && f.Rate < 1 {
			s.mu.Lock()
			hit := s.rng.Float64() < f.Rate
			s.mu.Unlock()
			if !hit {
				continue
			}
		}
		api := apiOf(op)
		switch f.Kind {
		case FaultDelay:
			*delay += f.Delay
			continue
		case FaultAccessDenied:
			return accessDenied(api, account, op)
		case FaultThrottle:
			return throttleError(api)
		case FaultServerError:
			if api == "ec2" {
				return &apiError{http.StatusInternalServerError, "InternalError", "An internal error has occurred"}
			}
			return &apiError{http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."}
		case FaultRegionDisabled:
			if api == "ec2" {
				return &apiError{http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials"}
			}
			return &apiError{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}
		}
	}
	return nil
}

func apiOf(op string) string {
	api, _, _ := strings.Cut(op, ":")
	return api
}

func accessDenied(api, account, op string) *apiError {
	who := "arn:aws:sts::" + account + ":assumed-role/whyk8s-reader/awstest"
	switch api {
	case "ec2":
		return &apiError{http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. User: " + who + " is not authorized to perform: " + op}
	case "organizations":
		return &apiError{http.StatusBadRequest, "AccessDeniedException", "You don't have permissions to access this resource."}
	case "codedeploy", "ssm":
		return &apiError{http.StatusBadRequest, "AccessDeniedException", "User: " + who + " is not authorized to perform: " + op}
	}
	return &apiError{http.StatusForbidden, "AccessDenied", "User: " + who + " is not authorized to perform: " + op + " because no identity-based policy allows the " + op + " action"}
}

func throttleError(api string) *apiError {
	switch api {
	case "ec2":
		return &apiError{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded."}
	case "organizations":
		return &apiError{http.StatusBadRequest, "TooManyRequestsException", "You have sent too many requests in too short a period of time."}
	case "codedeploy", "ssm":
		return &apiError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"}
	}
	return &apiError{http.StatusBadRequest, "Throttling", "Rate exceeded"}
}

func (s *Server) throttled(account, region, api string) bool {
	if s.cfg.rps <= 0 {
		return false
	}
	key := account + "|" + region + "|" + api
	s.mu.Lock()
	l, ok := s.buckets[key]
	if !ok {
		l = rate.NewLimiter(rate.Limit(s.cfg.rps), s.cfg.burst)
		s.buckets[key] = l
	}
	s.mu.Unlock()
	return !l.Allow()
}

func (s *Server) fail(c *call, e *apiError) {
	w := c.w
	switch c.proto {
	case protoJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", e.code)
		w.Header().Set("X-Amzn-RequestId", c.reqID)
		w.WriteHeader(e.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.message})
	case protoEC2:
		var x xmlw
		x.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
		x.el("Response", func() {
			x.el("Errors", func() {
				x.el("Error", func() { x.str("Code", e.code); x.str("Message", e.message) })
			})
			x.str("RequestID", c.reqID)
		})
		writeXML(w, e.status, &x)
	default:
		var x xmlw
		x.WriteString(`<ErrorResponse xmlns="` + c.xmlns + `">`)
		x.el("Error", func() {
			typ := "Sender"
			if e.status >= 500 {
				typ = "Receiver"
			}
			x.str("Type", typ)
			x.str("Code", e.code)
			x.str("Message", e.message)
		})
		x.str("RequestId", c.reqID)
		x.close("ErrorResponse")
		writeXML(w, e.status, &x)
	}
}

func writeXML(w http.ResponseWriter, status int, x *xmlw) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(x.Bytes())
}

// ok writes a successful response: <ActionResponse><ActionResult>…</ActionResult>
// <ResponseMetadata/></ActionResponse> for Query services, and EC2's flatter
// <ActionResponse><requestId/>…</ActionResponse>.
func (s *Server) ok(c *call, fill func(x *xmlw)) {
	var x xmlw
	x.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	x.WriteString("<" + c.action + `Response xmlns="` + c.xmlns + `">`)
	if c.proto == protoEC2 {
		x.str("requestId", c.reqID)
		fill(&x)
	} else {
		x.el(c.action+"Result", func() { fill(&x) })
		x.el("ResponseMetadata", func() { x.str("RequestId", c.reqID) })
	}
	x.close(c.action + "Response")
	writeXML(c.w, http.StatusOK, &x)
}

func (s *Server) okJSON(c *call, v any) {
	c.w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	c.w.Header().Set("X-Amzn-RequestId", c.reqID)
	c.w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(c.w).Encode(v)
}

func (s *Server) dispatch(c *call) *apiError {
	rd := s.ix.lookup(c.account, c.region)
	switch c.op {
	case "autoscaling:DescribeAutoScalingGroups":
		return s.describeAutoScalingGroups(c, rd)
	case "autoscaling:DescribeLaunchConfigurations":
		return s.describeLaunchConfigurations(c, rd)
	case "autoscaling:DescribePolicies":
		return s.describePolicies(c, rd)
	case "autoscaling:DescribeScheduledActions":
		return s.describeScheduledActions(c, rd)
	case "autoscaling:DescribeLifecycleHooks":
		return s.describeLifecycleHooks(c, rd)
	case "ec2:DescribeLaunchTemplateVersions":
		return s.describeLaunchTemplateVersions(c, rd)
	case "ec2:DescribeImages":
		return s.describeImages(c, rd)
	case "ec2:DescribeRegions":
		return s.describeRegions(c)
	case "sts:GetCallerIdentity":
		return s.getCallerIdentity(c)
	case "sts:AssumeRole":
		return s.assumeRole(c)
	case "organizations:ListAccounts":
		return s.listAccounts(c, "")
	case "organizations:ListAccountsForParent":
		parent, _ := c.json["ParentId"].(string)
		if parent == "" {
			return &apiError{http.StatusBadRequest, "InvalidInputException", "ParentId is required"}
		}
		return s.listAccounts(c, parent)
	case "organizations:ListChildren":
		return s.listChildren(c)
	case "codedeploy:ListApplications":
		return s.listApplications(c, rd)
	case "codedeploy:ListDeploymentGroups":
		return s.listDeploymentGroups(c, rd)
	case "codedeploy:GetDeploymentGroup":
		return s.getDeploymentGroup(c, rd)
	case "ssm:ListAssociations":
		return s.listAssociations(c, rd)
	case "ssm:DescribeAssociation":
		return s.describeAssociation(c, rd)
	}
	switch c.api {
	case "elb":
		return s.elb(c, rd)
	case "elbv2":
		return s.elbv2(c, rd)
	}
	return &apiError{http.StatusBadRequest, "InvalidAction", "awstest does not implement " + c.op}
}

// paginate picks the page of n items a request asks for. max is the API's largest page
// (a larger requested page is a validation error, as in AWS), def its default page.
// formPage paginates a Query-protocol listing: its page size and token come from the form
// parameters the API names (MaxRecords and NextToken for Auto Scaling, PageSize and Marker
// for Elastic Load Balancing).
func (s *Server) formPage(c *call, n int, sizeParam, tokenParam string, def, max int, scope string) (lo, hi int, next string, e *apiError) {
	size, err := c.form.intParam(sizeParam)
	if err != nil {
		return 0, 0, "", validation(c, err.Error())
	}
	return s.paginate(c, n, size, def, max, c.form.get(tokenParam), scope)
}

func (s *Server) paginate(c *call, n int, requested, def, max int, token, scope string) (lo, hi int, next string, e *apiError) {
	if requested < 0 || requested > max {
		return 0, 0, "", validation(c, fmt.Sprintf("page size %d is outside the range 1-%d", requested, max))
	}
	size := def
	if requested > 0 {
		size = requested
	}
	if s.cfg.pageSize > 0 && s.cfg.pageSize < size {
		size = s.cfg.pageSize
	}
	if token != "" {
		off, ok := parseToken(c.op, scope, token)
		if !ok || off > n {
			code := "InvalidNextToken"
			if c.api == "elb" || c.api == "elbv2" {
				code = "ValidationError"
			}
			return 0, 0, "", &apiError{http.StatusBadRequest, code, "The token '" + token + "' is invalid."}
		}
		lo = off
	}
	hi = lo + size
	if hi >= n {
		return lo, n, "", nil
	}
	return lo, hi, pageToken(c.op, scope, hi), nil
}

func validation(c *call, msg string) *apiError {
	if c.proto == protoEC2 {
		return &apiError{http.StatusBadRequest, "InvalidParameterValue", msg}
	}
	return &apiError{http.StatusBadRequest, "ValidationError", msg}
}

// Config returns an SDK configuration that sends every client to the server with static
// credentials of the caller account. The collector takes it through Options.Config.
func (s *Server) Config(region string) awssdk.Config {
	// Every service shares one host here, unlike AWS: keep enough idle connections that
	// concurrent calls do not open a new one each time.
	transport := s.hs.Client().Transport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 256, 256
	return awssdk.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDAWSTEST", "awstest-secret", ""),
		HTTPClient:   &http.Client{Transport: detachedBody{transport}},
		BaseEndpoint: awssdk.String(s.URL),
	}
}

// detachedBody hands the transport a copy of the request body. The SDK closes its body
// as soon as the response arrives, and net/http may still be reading it to check for
// extra bytes; it then closes the connection under the response being read ("use of
// closed network connection", aws/aws-sdk-go-v2#2737). Against AWS the network makes
// that rare; against a server that answers in microseconds it is not, and the retries it
// causes would blur the call counts tests assert.
type detachedBody struct{ next http.RoundTripper }

func (d detachedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return d.next.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(data))
	c.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	c.ContentLength = int64(len(data))
	return d.next.RoundTrip(c)
}
