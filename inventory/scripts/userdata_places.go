package scripts

import "whyk8s/inventory"

// User data read from Terraform or CloudFormation keeps, line by line, where it is written
// in the repository (LaunchSpec.UserDataLines: a heredoc, a file read with file() or
// templatefile(), a Fn::Sub block). A fact found in it is cited there — the line a person
// opens — rather than at a line of the rendered text under "userdata:<launch source>".

// userDataSpans is where the lines of the user data of the launch source are written: the
// spans of the first group, in workload order, whose launch data comes from source.
func userDataSpans(e *inventory.Estate, source string) []inventory.TextSpan {
	var best *inventory.AutoScalingGroup
	for i := range e.Groups {
		g := &e.Groups[i]
		if len(g.Launch.UserDataLines) > 0 && launchSource(g) == source && (best == nil || g.ID() < best.ID()) {
			best = g
		}
	}
	if best == nil {
		return nil
	}
	return best.Launch.UserDataLines
}

// placeUserData moves the places of what was read in the user data script sc — facts,
// references, coverage gaps — from the rendered text to the repository, where spans say
// where a line is written. Lines no span covers keep their place in the text.
func placeUserData(sc *inventory.Script, gaps []inventory.CoverageGap, spans []inventory.TextSpan) {
	if len(spans) == 0 {
		return
	}
	move := func(file *string, line *int) {
		if *file != sc.Path || *line < 1 {
			return
		}
		if f, l, ok := inventory.SourceLine(spans, *line); ok {
			*file, *line = f, l
		}
	}
	for i := range sc.Facts {
		move(&sc.Facts[i].Evidence.File, &sc.Facts[i].Evidence.Line)
	}
	for i := range sc.References {
		move(&sc.References[i].Evidence.File, &sc.References[i].Evidence.Line)
	}
	for i := range gaps {
		move(&gaps[i].Path, &gaps[i].Line)
	}
}
