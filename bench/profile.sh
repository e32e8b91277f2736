#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the time goes: a perf profile (cpu-clock sampling, which works in a
# TCG guest without a PMU) of the one vCPU while pktgen pushes 64-byte
# frames through one system of the benchmarks at a time, same topologies as
# bench/vm-bench.sh.  Not part of `make bench`; run it to explain a ratio:
#
#   VM_RUN_SMP=1 selftests/vm-run -m 2G -- bench/profile.sh
#
#   LSDP_PROFILE   cases (default "lsdp-l2 bridge-l2 ovs-l2 lsdp-routed
#                  linux-routed")
#   LSDP_PROFILE_PACKETS  packets per profiled run (200000)
set -u
cd "$(dirname "$0")/.." || exit 1
# The topologies and helpers of the benchmark, without running it.
# shellcheck source=bench/vm-bench.sh
LSDP_BENCH_SOURCE_ONLY=1 . bench/vm-bench.sh
PKTS=${LSDP_PROFILE_PACKETS:-200000}
PERF=$(command -v perf) || { echo "profile: perf not installed (linux-perf)" >&2; exit 4; }

modprobe -a veth geneve pktgen sch_ingress cls_matchall act_gact openvswitch bridge || exit 1
sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1

# profile NAME CASE: one run of CASE (bench/lib.sh's case string) under
# perf record, then the flat profile: symbols with their share of samples.
profile() {
	local name=$1 out
	# shellcheck disable=SC2086 # a case is its words
	set -- $2
	inns "$2" pg_setup 0 "" "$3" "$4" "$5" "$6" "$7" 64 2000 &&
		inns "$2" pg_run 0 "$8" "$9" "$3" >/dev/null &&
		inns "$2" pg_setup 0 "" "$3" "$4" "$5" "$6" "$7" 64 "$PKTS" || return 1
	out=$("$PERF" record -q -a -e cpu-clock -F 2000 -o /tmp/perf.data -- \
		bash -c '. bench/lib.sh && inns "$@"' _ "$2" pg_run 0 "$8" "$9" "$3" 2>/dev/null)
	echo "## $name: delivered, pps: $out"
	"$PERF" report -i /tmp/perf.data --no-children --sort sym --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 40
	"$PERF" report -i /tmp/perf.data --no-children --sort dso --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 8
}

for c in ${LSDP_PROFILE:-lsdp-l2 bridge-l2 ovs-l2 lsdp-routed linux-routed}; do
	teardown
	case $c in
	lsdp-l2) lsdp_load && vms lsdp && lsdp_l2 lsdp && profile "$c" "$(l2case lsdp lsdp)" ;;
	bridge-l2) vms bridge && bridge_l2 bridge && profile "$c" "$(l2case bridge bridge)" ;;
	ovs-l2) vms ovs && ovs_l2 ovs && profile "$c" "$(l2case ovs ovs)" ;;
	lsdp-routed) lsdp_load && vms lsdp && lsdp_router lsdp &&
		profile "$c" "$(rtcase lsdp lsdp 10.1.0.2 10.0.0.1)" ;;
	linux-routed) linux_router linux && profile "$c" "$(rtcase linux linux 10.1.0.2 10.0.0.1)" ;;
	*) echo "profile: unknown case $c" >&2 ;;
	esac
done
teardown
