package report

// ManifestLink is one workload's starter Kubernetes manifests as the Markdown report links
// them: written by 'whyk8s manifests' (package manifests), handed over by the caller so the
// report renders them without computing anything.
type ManifestLink struct {
	// Workload is the workload's ID (account/region/group).
	Workload string
	Name     string
	// README is the folder's README, relative to the report and slash-separated; empty when
	// no manifests were written for the workload.
	README string
	// Shape names the objects ("Deployment + HorizontalPodAutoscaler"); Why says why this
	// shape, or why none.
	Shape string
	Why   string
}

// ManifestsView is the report's section on starter manifests: the index and one link per
// workload, in the caller's order.
type ManifestsView struct {
	// Index is the index README, relative to the report.
	Index string
	Links []ManifestLink
}

func manifestsView(o Options) *ManifestsView {
	if len(o.Manifests) == 0 {
		return nil
	}
	return &ManifestsView{Index: o.ManifestsIndex, Links: o.Manifests}
}
