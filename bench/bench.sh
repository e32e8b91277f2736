#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/bench.sh KVER...: `make bench`.  Boots one VM per kernel, one after
# the other (selftests/vm-run -- bench/vm-bench.sh), collects the figures it
# prints, and writes under bench/results/:
#
#	results.json   every record of every kernel, with host and run data
#	results.md     the tables, every lsdp figure also as a ratio against
#	               its baselines of the same run
#	ratios.png     the ratios as a chart (gnuplot)
#	KVER.log       the VM's whole output (narration, OVS flows, stats)
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

if [ $# -eq 0 ] || [ -z "${1:-}" ]; then
	echo "usage: bench/bench.sh KVER... (the 6.1 and 6.12 kernels in /lib/modules)" >&2
	exit 1
fi

out=bench/results
mkdir -p "$out" build || exit 1
rc=0
raws=()
for k in "$@"; do
	log=$out/$k.log
	echo "==== [$k] selftests/vm-run -k $k -- bench/vm-bench.sh (log: $log)"
	start=$(date +%s)
	# slab_nomerge: lsdp's slab caches stay separate, so the memory
	# figures can be broken down by cache (bench/lib.sh lsdp_caches).
	VM_RUN_SMP=1 selftests/vm-run -k "$k" -m "${BENCH_MEM:-3G}" \
		-t "${BENCH_TIMEOUT:-5400}" -a slab_nomerge -- bench/vm-bench.sh 2>&1 |
		tee "$log" | grep --line-buffered -v -e '^@@BENCH ' -e '^# ovs'
	vrc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	echo "==== [$k] VM exit code $vrc after ${secs}s"
	[ "$vrc" -eq 0 ] || rc=1
	raw=build/bench-$k.jsonl
	sed -n 's/^@@BENCH //p' "$log" >"$raw"
	printf '{"kind": "vm", "kernel": "%s", "exit": %d, "secs": %d}\n' "$k" "$vrc" "$secs" >>"$raw"
	raws+=("$raw")
done

python3 bench/report.py "$out" "${raws[@]}" || rc=1
if command -v gnuplot >/dev/null; then
	gnuplot "$out/ratios.gp" || rc=1
else
	echo "bench: gnuplot not found (make deps installs gnuplot-nox): no chart" >&2
	rc=1
fi
echo "==== results: $out/results.md, $out/results.json, $out/ratios.png"
cat "$out/results.md"
exit $rc
