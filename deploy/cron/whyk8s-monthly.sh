#!/bin/sh
# whyk8s-monthly: one unattended re-assessment, for cron (see whyk8s.cron).
#
# Each run stores its assessment in the history folder, compares it with the previous run
# and writes the report to a folder of its own (reports/<UTC time>, with reports/latest
# pointing at the newest). It prints nothing when all is well, one line when whyk8s found a
# regression (exit 3) or failed, and exits with whyk8s's own code so that cron, a monitor
# or a CI job can tell the cases apart.
#
# Settings, from the environment:
#   WHYK8S_BIN     the whyk8s binary            (default /usr/local/bin/whyk8s)
#   WHYK8S_HOME    history, reports and logs    (default /var/lib/whyk8s)
#   WHYK8S_CONFIG  whyk8s.yaml                  (default /etc/whyk8s/whyk8s.yaml)
set -eu

bin=${WHYK8S_BIN:-/usr/local/bin/whyk8s}
home=${WHYK8S_HOME:-/var/lib/whyk8s}
config=${WHYK8S_CONFIG:-/etc/whyk8s/whyk8s.yaml}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$home/reports/$stamp
log=$home/logs/$stamp.log
mkdir -p "$home/history" "$home/reports" "$home/logs"

# Two runs at once would race for the history; the second one stands down. flock (from
# util-linux) releases the lock when the process ends, however it ends.
exec 9>>"$home/.lock"
if ! flock -n 9; then
	echo "whyk8s-monthly: another run holds $home/.lock; not starting" >&2
	exit 75 # EX_TEMPFAIL
fi

status=0
"$bin" assess --aws --regions all \
	--config "$config" \
	--history "$home/history" \
	--out "$out" \
	--fail-on-regression \
	--log-format json \
	--quiet 2>>"$log" || status=$?

if [ -d "$out" ]; then
	ln -sfn "$stamp" "$home/reports/latest"
fi
case $status in
0) ;;
3) echo "whyk8s-monthly: worse than last month, or part of the estate could not be read (exit 3): see $out/report.md and $log" >&2 ;;
*) echo "whyk8s-monthly: whyk8s failed (exit $status): see $log" >&2 ;;
esac
exit "$status"
