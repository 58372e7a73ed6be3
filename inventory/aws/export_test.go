package aws

// DefaultRate exposes the default per account, region and service rate limits to the
// benchmark, which computes the bound they set on wall time.
func DefaultRate(serviceID string) (rps float64, burst int) {
	r, ok := serviceRates[serviceID]
	if !ok {
		r = serviceRates[""]
	}
	return r.rps, r.burst
}
