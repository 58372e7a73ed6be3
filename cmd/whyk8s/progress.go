package main

import (
	"fmt"
	"io"

	awsinv "whyk8s/inventory/aws"
)

// newProgress returns a collector progress callback that redraws one status line on a
// terminal. It is only installed when stderr is a terminal and --quiet is off, so logs
// and pipelines never see carriage returns.
func newProgress(w io.Writer) func(awsinv.Progress) {
	return func(p awsinv.Progress) {
		fmt.Fprintf(w, "\r\033[Kaccounts %d/%d · regions %d/%d · %d groups, %d load balancers, %d target groups · %d calls",
			p.AccountsDone, p.AccountsTotal, p.RegionsDone, p.RegionsTotal,
			p.Groups, p.ClassicLoadBalancers+p.LoadBalancers, p.TargetGroups, p.Calls)
		if p.Gaps > 0 {
			fmt.Fprintf(w, " · %d gaps", p.Gaps)
		}
		if p.RegionsTotal > 0 && p.RegionsDone == p.RegionsTotal {
			fmt.Fprintln(w)
		}
	}
}
