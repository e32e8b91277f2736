#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the time goes, for any scenario: the perf profile that `make bench`
# takes of the Geneve case (bench/vm-bench.sh scn_profile), here for the
# L2 and routed topologies too.  Not part of `make bench`; run it in a VM
# to explain a ratio:
#
#   VM_RUN_SMP=1 selftests/vm-run -m 2G -- bench/profile.sh
#
#   LSDP_PROFILE   scenarios (default "l2 routed geneve")
#   LSDP_BENCH_PROFILE_PACKETS  packets per profiled run (30000)
# The sourced file returns early (source only), which reads as unreachable code.
# shellcheck disable=SC2317
set -u
cd "$(dirname "$0")/.." || exit 1
# The topologies and helpers of the benchmark, without running it.
# shellcheck source=bench/vm-bench.sh
LSDP_BENCH_SOURCE_ONLY=1 . bench/vm-bench.sh

modprobe -a veth geneve pktgen sch_ingress cls_matchall act_gact openvswitch bridge || exit 1
sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
rc=0
for c in ${LSDP_PROFILE:-l2 routed geneve}; do
	teardown
	case $c in
	l2)
		(lsdp_load && vms lsdp && lsdp_l2 lsdp && vms bridge && bridge_l2 bridge &&
			vms ovs && ovs_l2 ovs &&
			for s in lsdp bridge ovs; do
				profile l2 "" "$(l2case "$s" "$s")" || exit 1
			done) || rc=1 ;;
	routed)
		(lsdp_load && vms lsdp && lsdp_router lsdp && linux_router linux &&
			vms ovs && ovs_router ovs &&
			for s in lsdp linux ovs; do
				profile routed "" "$(rtcase "$s" "$s" 10.1.0.2 10.0.0.1)" || exit 1
			done) || rc=1 ;;
	geneve)
		(scn_profile) || rc=1 ;;
	*)
		echo "profile: unknown scenario $c" >&2
		rc=1 ;;
	esac
done
teardown
exit "$rc"
