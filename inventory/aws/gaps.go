package aws

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"whyk8s/inventory"
)

// Error codes by the kind of gap they mean. Codes differ between services (EC2 says
// UnauthorizedOperation where the Query services say AccessDenied) and between the SDK's
// modelled and generic errors, so the code is the only reliable key.
var (
	deniedCodes = set("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
		"UnauthorizedAccess", "AuthorizationError", "NotAuthorized", "Forbidden")
	// A region the account has not enabled rejects the regional STS token: the Query
	// services answer InvalidClientTokenId, EC2 AuthFailure. The credentials themselves
	// were already proven good by GetCallerIdentity, so here these mean "not enabled".
	optInCodes = set("OptInRequired", "InvalidClientTokenId", "AuthFailure",
		"UnrecognizedClientException", "SubscriptionRequiredException")
	throttleCodes = func() map[string]bool {
		m := map[string]bool{}
		for c := range retry.DefaultThrottleErrorCodes {
			m[c] = true
		}
		return m
	}()
)

// classify returns the coverage-gap kind of an error and a message that names the error
// code and AWS's own words, without request ids (which would make output differ run to
// run) and without anything the request carried.
func classify(parent context.Context, err error) (kind, message string) {
	attempts := ""
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		attempts = fmt.Sprintf(" (after %d attempts)", maxErr.Attempt)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		code := api.ErrorCode()
		msg := code
		if m := api.ErrorMessage(); m != "" && m != code {
			msg += ": " + m
		}
		msg += attempts
		switch {
		case deniedCodes[code]:
			return inventory.GapAccessDenied, msg
		case optInCodes[code]:
			return inventory.GapOptIn, msg
		case throttleCodes[code]:
			return inventory.GapThrottled, msg
		case strings.Contains(code, "NotFound"):
			return inventory.GapNotFound, msg
		}
		return inventory.GapError, msg
	}
	var ne net.Error
	if parent.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()) {
		return inventory.GapTimeout, "no answer within the per-call timeout" + attempts
	}
	return inventory.GapError, err.Error()
}

// gapSet gathers coverage gaps. Per-resource calls that fail the same way (one
// DescribeTargetGroupAttributes per target group, all denied) are folded into one gap
// that says how many calls it stands for.
type gapSet struct {
	mu    sync.Mutex
	gaps  map[gapKey]*gapEntry
	order []gapKey
}

type gapKey struct{ account, region, service, operation, kind string }

type gapEntry struct {
	message string
	count   int
}

func (s *gapSet) add(g inventory.CoverageGap) {
	slog.Debug("aws inventory gap", "account", g.Account, "region", g.Region, "service", g.Service, "operation", g.Operation, "kind", g.Kind, "message", g.Message)
	k := gapKey{g.Account, g.Region, g.Service, g.Operation, g.Kind}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gaps == nil {
		s.gaps = map[gapKey]*gapEntry{}
	}
	if e, ok := s.gaps[k]; ok {
		e.count++
		// Keep the smallest message so that which goroutine failed first does not
		// change the output.
		if g.Message < e.message {
			e.message = g.Message
		}
		return
	}
	s.gaps[k] = &gapEntry{message: g.Message, count: 1}
	s.order = append(s.order, k)
}

func (s *gapSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.gaps)
}

func (s *gapSet) list() []inventory.CoverageGap {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]inventory.CoverageGap, 0, len(s.gaps))
	for _, k := range s.order {
		e := s.gaps[k]
		msg := e.message
		if e.count > 1 {
			msg += fmt.Sprintf(" (%d calls)", e.count)
		}
		out = append(out, inventory.CoverageGap{Account: k.account, Region: k.region, Service: k.service, Operation: k.operation, Kind: k.kind, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Account+"\x00"+a.Region+"\x00"+a.Service+"\x00"+a.Operation+"\x00"+a.Kind < b.Account+"\x00"+b.Region+"\x00"+b.Service+"\x00"+b.Operation+"\x00"+b.Kind
	})
	return out
}

func set(vs ...string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}
