package assess

// provisional reports a workload made from provisioning code alone.
func (s *subject) provisional() bool { return s.fromCode != nil }
