#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/bench.sh [OPTIONS] KVER...: `make bench` and `make bench-quick`.
# Boots VMs per kernel, one after the other (selftests/vm-run --
# bench/vm-bench.sh), collects the figures they print, and writes under the
# output directory (bench/results, or build/bench-quick for --quick):
#
#	results.json   every record of every VM, with host and run data
#	results.md     the tables, every lsdp figure also as a ratio (with
#	               its uncertainty) against its baselines of the same VM
#	ratios.png     the ratios as a chart (gnuplot)
#	KVER-CLOCK.log the VM's whole output (narration, OVS flows, stats,
#	               profiles)
#
# The clock: the rate scenarios (ceiling l2 routed geneve route_scale) run
# by default in a VM on qemu's instruction-counting clock (VM_RUN_CLOCK=
# icount in selftests/vm-run: one vCPU, guest time = instructions), whose
# figures repeat to a fraction of a percent however loaded the host is;
# the scenarios that time the control plane and the hold queue (control
# hold) run in a second VM on the wall clock, as every scenario did before.
#
#   --clock icount|wall|both|icount-all  (or LSDP_BENCH_CLOCK) icount: as
#              above (the default); wall: every scenario in one wall-clock
#              VM; both: the rate scenarios in both, reported side by side;
#              icount-all: every scenario on the instruction clock, the
#              control plane's batches too (their times are then
#              instructions, which a loaded host does not move)
#   --only "SCENARIO..."  (or LSDP_BENCH_ONLY) run only these, e.g.
#              --only geneve to measure one change; see bench/README
#   --sizes "64 1500"     (or LSDP_BENCH_SIZES) frame sizes
#   --out DIR  (or BENCH_OUT) where the results go (bench/results; with
#              --only or --sizes build/bench)
#   --quick    L2, routed and Geneve encap+decap at 64 B with the
#              ceiling, no scale case, no profiles (LSDP_BENCH_PROFILE=auto
#              adds them), icount, results in build/bench-quick (make
#              bench-quick)
#
# The VMs get one vCPU, so "one CPU" is literal: pktgen, the datapath under
# test and the sink all run on it.  They run one at a time, so the kernels
# do not compete with each other for the host's cores.
#
#   BENCH_TIMEOUT  seconds one VM may run (default 5400)
#   BENCH_MEM      guest memory (default 3G: a million lsdp ports or
#                  bridge fdb entries need it)
#   LSDP_BENCH_*   passed to the VM (see bench/vm-bench.sh, bench/lib.sh)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

RATE="ceiling l2 routed trunk localnet nat geneve route_scale acl live"
# ovn: lsdp-agent vs ovn-controller convergence (on the wall clock: see
# bench/README, "OVN convergence").
ALL="$RATE control hold mem ovn"
ICOUNT="$RATE"
usage() {
	echo "usage: bench/bench.sh [--quick] [--clock icount|wall|both|icount-all] [--only \"SCENARIO...\"] [--sizes \"SIZE...\"] [--out DIR] KVER..." >&2
	echo "       scenarios: $ALL; kernels: the 6.1 and 6.12 ones in /lib/modules" >&2
	exit 1
}

clock=${LSDP_BENCH_CLOCK:-icount}
only=${LSDP_BENCH_ONLY:-}
out=${BENCH_OUT:-}
quick=
# A partial run (--only, --sizes) writes to build/bench unless told where,
# so that bench/results keeps the last full run.
part=${LSDP_BENCH_ONLY:+1}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--clock) clock=${2:-}; shift ;;
	--only) only=${2:-}; part=1; shift ;;
	--sizes) export LSDP_BENCH_SIZES=${2:-}; part=1; shift ;;
	--out) out=${2:-}; shift ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] && [ -n "${1:-}" ] || usage
case $clock in icount | wall | both | icount-all) ;; *) usage ;; esac
if [ -n "$quick" ]; then
	only=${only:-ceiling l2 routed geneve}
	export LSDP_BENCH_SIZES=${LSDP_BENCH_SIZES:-64} LSDP_BENCH_MACS=${LSDP_BENCH_MACS:-0} \
		LSDP_BENCH_GENEVE=${LSDP_BENCH_GENEVE:-encap+decap} \
		LSDP_BENCH_PROFILE=${LSDP_BENCH_PROFILE:-none}
	out=${out:-build/bench-quick}
fi
only=${only:-$ALL}
[ -z "$part" ] || out=${out:-build/bench}
out=${out:-bench/results}
for s in $only; do
	[[ " $ALL " == *" $s "* ]] || { echo "bench: unknown scenario '$s'" >&2; usage; }
done

# The scenarios of each VM: the rate scenarios on the instruction clock,
# the rest (and with "both" the rate scenarios once more) on the wall clock.
pick() { # "LIST" in|out: the scenarios of $only in (or not in) LIST
	local s r=
	for s in $only; do
		if [[ " $1 " == *" $s "* ]]; then [ "$2" = in ] && r+=" $s"
		else [ "$2" = out ] && r+=" $s"; fi
	done
	echo "${r# }"
}
icount_scn='' wall_scn=''
case $clock in
icount) icount_scn=$(pick "$ICOUNT" in) wall_scn=$(pick "$ICOUNT" out) ;;
wall) wall_scn=$only ;;
both) icount_scn=$(pick "$ICOUNT" in) wall_scn=$only ;;
icount-all) icount_scn=$only ;;
esac

mkdir -p "$out" build || exit 1
rc=0
raws=()
# narrate STAMPS: the console without the records, the OVS flows and the
# profiles' symbol lines (all in the log); the host's clock at the start
# of each scenario ("# ==== SCENARIO") goes to STAMPS.
narrate() {
	local l
	while IFS= read -r l; do
		if [[ $l =~ ^#\ ====\ ([a-z_0-9]+)$ ]]; then
			printf '%(%s)T %s\n' -1 "${BASH_REMATCH[1]}" >>"$1"
		fi
		[[ $l == '@@BENCH '* || $l == '# ovs'* || $l =~ ^#\ profile\ [^/\ ]*:\  ]] ||
			printf '%s\n' "$l"
	done
}
# vm KVER CLOCK "SCENARIOS": one VM, its log and its records.
vm() {
	local k=$1 c=$2 log=$out/$1-$2.log raw=build/bench-$1-$2.jsonl start secs vrc t s prev=''
	local stamps=build/bench-$1-$2.stamps
	: >"$stamps"
	echo "==== [$k, $c clock] selftests/vm-run -k $k -- bench/vm-bench.sh: $3 (log: $log)"
	start=$(date +%s)
	# slab_nomerge: lsdp's slab caches stay separate, so the memory
	# figures can be broken down by cache (bench/lib.sh lsdp_caches).
	VM_RUN_SMP=1 VM_RUN_CLOCK=$([ "$c" = icount ] && echo icount) LSDP_BENCH_ONLY=$3 \
		selftests/vm-run -k "$k" -m "${BENCH_MEM:-3G}" \
		-t "${BENCH_TIMEOUT:-5400}" -a slab_nomerge -- bench/vm-bench.sh 2>&1 |
		tee "$log" | narrate "$stamps"
	vrc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	# Each scenario's wall time: from its start to the next one's (the
	# last one's to the VM's end: its teardown and the power-off too).
	echo "$(date +%s) end" >>"$stamps"
	while read -r t s; do
		[ -z "$prev" ] || printf '{"kind": "wall", "scenario": "%s", "secs": %d}\n' "${prev#* }" \
			$((t - ${prev%% *}))
		prev="$t $s"
	done <"$stamps" >"$raw"
	echo "==== [$k, $c clock] VM exit code $vrc after ${secs}s wall time"
	[ "$vrc" -eq 0 ] || rc=1
	sed -n 's/^@@BENCH //p' "$log" >>"$raw"
	printf '{"kind": "vm", "kernel": "%s", "clock": "%s", "scenarios": "%s", "exit": %d, "secs": %d}\n' \
		"$k" "$c" "$3" "$vrc" "$secs" >>"$raw"
	raws+=("$raw")
}
t0=$(date +%s)
for k in "$@"; do
	[ -z "$icount_scn" ] || vm "$k" icount "$icount_scn"
	[ -z "$wall_scn" ] || vm "$k" wall "$wall_scn"
done

python3 bench/report.py "$out" "${raws[@]}" || rc=1
if [ "$(wc -l <"$out/ratios.dat" 2>/dev/null || echo 0)" -le 1 ]; then
	: # nothing to chart (e.g. --only mem)
elif command -v gnuplot >/dev/null; then
	gnuplot "$out/ratios.gp" || rc=1
else
	echo "bench: gnuplot not found (make deps installs gnuplot-nox): no chart" >&2
	rc=1
fi
echo "==== results: $out/results.md, $out/results.json, $out/ratios.png ($(($(date +%s) - t0)) s wall time)"
cat "$out/results.md"
exit $rc
