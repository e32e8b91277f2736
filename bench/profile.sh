#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the time goes, for any scenario of `make bench`: every system's
# case of each comparison run once under perf record (bench/vm-bench.sh
# autoprofile), without the measured runs.  `make bench` itself profiles
# the cases where lsdp is not ahead; this profiles them all, to explain a
# ratio or to check a change:
#
#   VM_RUN_CLOCK=icount selftests/vm-run -m 2G -- bench/profile.sh
#
# (VM_RUN_CLOCK=icount: the deterministic instruction profile; without it
# give VM_RUN_SMP=1.)  The profiles are in the "# profile" lines and the
# "@@BENCH" profile records, which bench/report.py tabulates.
#
#   LSDP_PROFILE   scenarios (default "l2 routed geneve"; any of
#                  bench/vm-bench.sh's rate scenarios)
#   LSDP_BENCH_SIZES  frame sizes (default 64)
#   LSDP_BENCH_MACS   L2 scale entries (default 0: no scale case)
#   LSDP_BENCH_PROFILE_PACKETS  packets per profiled run (30000)
set -u
cd "$(dirname "$0")/.." || exit 1
LSDP_BENCH_PROFILE=only LSDP_BENCH_ONLY=${LSDP_PROFILE:-l2 routed geneve} \
	LSDP_BENCH_SIZES=${LSDP_BENCH_SIZES:-64} LSDP_BENCH_MACS=${LSDP_BENCH_MACS:-0} \
	exec bench/vm-bench.sh
