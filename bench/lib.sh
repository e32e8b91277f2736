# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Measuring helpers of `make bench` (sourced by bench/vm-bench.sh, in the VM,
# as root).  Every figure leaves the VM as one line on stdout:
#
#	@@BENCH {"kind": ..., ...}
#
# which bench/bench.sh collects from the console and bench/report.py turns
# into the tables.  Nothing here knows a number in advance: packet counts
# are calibrated from a first run, and every result is a measurement.
#
# Settings (vm-run passes LSDP_* and VM_RUN_* variables into the guest):
#   VM_RUN_CLOCK      "icount" when the VM runs on qemu's instruction-
#                     counting clock (selftests/vm-run), else wall clock
#   LSDP_BENCH_RUNS   least measured runs per case (icount 3, wall 5)
#   LSDP_BENCH_MAX_RUNS  most runs per case (icount 10, wall 5): a case
#                     runs again until the spread of its last RUNS rates,
#                     (max - min) / median, is below LSDP_BENCH_SPREAD
#                     percent (1), or it has run this often
#   LSDP_BENCH_SECS   target length of one run in guest seconds (icount
#                     0.1, wall 2; decimals allowed); the packet count of
#                     a case is its calibrated rate times this, at least
#                     MIN_COUNT (icount 10,000, wall 20,000)
#
# Under icount guest time is instructions (1 ns each, idle time skipped):
# a rate is packets per 10^9 instructions of the whole path, generator
# included, and repeats to a fraction of a percent whatever else loads
# the host, so a short run and few runs suffice.

# (No dirname: each program started in the VM costs time under TCG.)
case ${BASH_SOURCE[0]} in */*) BENCH_DIR=${BASH_SOURCE[0]%/*} ;; *) BENCH_DIR=. ;; esac
[[ $BENCH_DIR == /* ]] || BENCH_DIR=$PWD/$BENCH_DIR
# shellcheck source=bench/pktgen.sh
. "$BENCH_DIR/pktgen.sh"

CLOCK=wall
[ "${VM_RUN_CLOCK:-}" = icount ] && CLOCK=icount
if [ $CLOCK = icount ]; then
	RUNS=${LSDP_BENCH_RUNS:-3} MAX_RUNS=${LSDP_BENCH_MAX_RUNS:-10} SECS=${LSDP_BENCH_SECS:-0.1}
	CAL_COUNT=10000 MIN_COUNT=10000
else
	RUNS=${LSDP_BENCH_RUNS:-5} MAX_RUNS=${LSDP_BENCH_MAX_RUNS:-5} SECS=${LSDP_BENCH_SECS:-2}
	CAL_COUNT=20000 MIN_COUNT=20000
fi
[ "$MAX_RUNS" -ge "$RUNS" ] || MAX_RUNS=$RUNS
SPREAD=${LSDP_BENCH_SPREAD:-1}
# Calibration: the first packets of a case install OVS's kernel flow and
# warm every cache; the second, longer run (CAL_COUNT packets) gives the
# rate that sets the measured runs' packet count.
WARM_COUNT=2000
MAX_COUNT=50000000
# The medians of this VM's cases, by "SCENARIO/SYSTEM/VARIANT/SIZE"
# (bench/vm-bench.sh autoprofile reads them).
declare -A BENCH_MEDIAN=()

emit() { # JSON object body (without braces)
	echo "@@BENCH {$1}"
}

# jstr STRING: STRING as a JSON string (the names used here need no
# escaping beyond quotes and backslashes).
jstr() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}

# A case is one system's traffic, as one string of nine words:
#
#	"SYSTEM NETNS DEV DMAC DIP SMAC SIP SINK_NS SINK_DEV"
#
# pktgen (netif_receive) on DEV in NETNS, frames from SMAC/SIP to DMAC/DIP
# (IPv6 when DIP has a colon), counted at SINK_DEV in SINK_NS (see
# sink_count in bench/pktgen.sh; "@tc" counts DEV's own drop rule).
# pktgen is per network namespace, so every system of a comparison has its
# own topology in its own netns, and all of them exist at the same time.
#
# compare SCENARIO VARIANT SIZE CASE...
#
# Calibrates every case (a warm-up, then a run whose rate sets the case's
# packet count), then runs rounds, each running every unfinished case once,
# in an order that rotates from round to round.  Interleaving matters on a
# shared host under the wall clock: a load change during the comparison
# hits every system alike instead of whichever ran last.  A case is
# finished once its last RUNS runs agree, the spread of their rates,
# (max - min) / median, below SPREAD percent, or after MAX_RUNS runs
# whatever the spread.  (Under icount an odd run can fall 1% below the
# rest, when the kernel's deferred work of some kind lands in it; the
# window lets a case finish after it, and the reported min, max and spread
# are still those of all its runs.)  Emits one "pps" record per case: the delivered rates of its
# runs, median, min, max and spread.  Then profiles the cases where lsdp is
# not ahead (autoprofile, bench/vm-bench.sh), when that is defined.
compare() {
	local scen=$1 var=$2 size=$3 c i r n out left
	shift 3
	local cases=("$@") counts=() vals=() dels=() lost=() failed=() fin=()
	n=${#cases[@]}
	for i in "${!cases[@]}"; do
		# shellcheck disable=SC2086 # a case is its words
		set -- ${cases[$i]}
		vals[i]='' dels[i]='' lost[i]=0 failed[i]='' counts[i]=0 fin[i]=''
		if [ "${LSDP_BENCH_PROFILE:-}" = only ]; then
			fin[i]=1
			continue
		fi
		out=$(inns "$2" calibrate "$3" "$4" "$5" "$6" "$7" "$size" "$8" "$9") ||
			failed[i]=${out:-pktgen calibration failed}
		counts[i]=$out
	done
	for ((r = 0; r < MAX_RUNS; r++)); do
		left=0
		for ((c = 0; c < n; c++)); do
			i=$(((c + r) % n))
			[ -z "${failed[i]}" ] && [ -z "${fin[i]}" ] || continue
			# shellcheck disable=SC2086
			set -- ${cases[$i]}
			if ! out=$(inns "$2" pg_run 0 "$8" "$9" "$3"); then
				failed[i]="pktgen run $((r + 1)) failed"
				continue
			fi
			vals[i]+=" ${out#* }"
			dels[i]+=" ${out% *}"
			[ "${out% *}" -ge "${counts[i]}" ] || lost[i]=$((lost[i] + counts[i] - ${out% *}))
			if [ $((r + 1)) -ge "$RUNS" ]; then
				# shellcheck disable=SC2086
				set -- ${vals[i]}
				shift $(($# - RUNS))
				read -r _ _ _ out <<<"$(stats "$@")"
				[ "$(milli "$out")" -ge "$(milli "$SPREAD")" ] || fin[i]=1
			fi
			[ -n "${fin[i]}" ] || left=$((left + 1))
		done
		[ $left -gt 0 ] || break
	done
	[ "${LSDP_BENCH_PROFILE:-}" = only ] || for i in "${!cases[@]}"; do
		# shellcheck disable=SC2086
		set -- ${cases[$i]}
		result "$scen" "$1" "$var" "$size" "${failed[i]}" "${counts[i]}" "${lost[i]}" \
			"${vals[i]}" "${dels[i]}"
	done
	if declare -F autoprofile >/dev/null; then
		autoprofile "$scen" "$var" "$size" "${cases[@]}"
	fi
}

# stats RATE...: "median min max spread", the spread (max - min) / median
# in percent; the median of an even number of runs is the mean of the
# middle two.
# (Plain bash, here and in milli: no program to start for it.)
stats() {
	local v=() x i n m t
	for x; do
		i=${#v[@]}
		while [ "$i" -gt 0 ] && [ "${v[i - 1]}" -gt "$x" ]; do
			v[i]=${v[i - 1]}
			i=$((i - 1))
		done
		v[i]=$x
	done
	n=${#v[@]}
	if ((n % 2)); then
		m=${v[n / 2]}
	else
		m=$(((v[n / 2 - 1] + v[n / 2] + 1) / 2))
	fi
	# thousandths of a percent
	t=$((m ? 100000 * (v[n - 1] - v[0]) / m : 0))
	printf '%d %d %d %d.%03d\n' "$m" "${v[0]}" "${v[n - 1]}" $((t / 1000)) $((t % 1000))
}

# milli DECIMAL: DECIMAL (e.g. 0.1, 2, 1.25) times 1000, as an integer.
milli() {
	local a=${1%%.*} b=
	[[ $1 == *.* ]] && b=${1#*.}
	b=${b}000
	echo $((10#${a:-0} * 1000 + 10#${b:0:3}))
}

# calibrate DEV DMAC DIP SMAC SIP SIZE SINK_NS SINK_DEV (in the case's
# netns): warm-up, calibration run, and pktgen left set up for the measured
# runs; prints their packet count, or why it failed.  One call, because
# every process started in the VM costs a noticeable time under TCG.
#
# Under icount the calibration run is the warm-up too: its first packets'
# extra cost (OVS's upcall, cold caches) only makes the packet count of the
# runs a little smaller, and every process a run starts costs the host
# seconds of TCG under load.
calibrate() {
	local out rate count
	if [ "$CLOCK" != icount ]; then
		pg_setup 0 "" "$1" "$2" "$3" "$4" "$5" "$6" $WARM_COUNT &&
			pg_run 0 "$7" "$8" "$1" >/dev/null || { echo "pktgen warm-up failed"; return 1; }
	fi
	pg_setup 0 "" "$1" "$2" "$3" "$4" "$5" "$6" $CAL_COUNT &&
		out=$(pg_run 0 "$7" "$8" "$1") || { echo "pktgen calibration failed"; return 1; }
	[ "${out% *}" -gt 0 ] || { echo "nothing reached the sink"; return 1; }
	rate=${out#* }
	count=$((rate * $(milli "$SECS") / 1000))
	[ $count -ge $MIN_COUNT ] || count=$MIN_COUNT
	[ $count -le $MAX_COUNT ] || count=$MAX_COUNT
	pg_setup 0 "" "$1" "$2" "$3" "$4" "$5" "$6" $count || { echo "pktgen setup failed"; return 1; }
	echo $count
}

# result SCENARIO SYSTEM VARIANT SIZE ERROR COUNT LOST "RATES" "DELIVERED"
result() {
	local tag="$1/$2/$3/$4" med min max spread v d n
	if [ -n "$5" ]; then
		echo "# $tag: FAILED: $5" >&2
		emit "\"kind\": \"pps\", \"clock\": \"$CLOCK\", \"scenario\": $(jstr "$1"), \"system\": $(jstr "$2"), \"variant\": $(jstr "$3"), \"size\": $4, \"error\": $(jstr "$5")"
		return
	fi
	# shellcheck disable=SC2086 # the runs are words
	read -r med min max spread <<<"$(stats $8)"
	# shellcheck disable=SC2086 # the runs are words
	v=$(printf '%s,' $8) d=$(printf '%s,' $9)
	v=${v%,} d=${d%,}
	# shellcheck disable=SC2086
	n=$(set -- $8 && echo $#)
	# shellcheck disable=SC2034 # read by bench/vm-bench.sh autoprofile
	BENCH_MEDIAN[$1/$2/$3/$4]=$med
	echo "# $tag: median $med pps (min $min, max $max, spread $spread% over $n runs, $CLOCK clock), $6 packets a run, $7 not delivered" >&2
	emit "\"kind\": \"pps\", \"clock\": \"$CLOCK\", \"scenario\": $(jstr "$1"), \"system\": $(jstr "$2"), \"variant\": $(jstr "$3"), \"size\": $4, \"median\": $med, \"min\": $min, \"max\": $max, \"spread_pct\": $spread, \"spread_target_pct\": $SPREAD, \"runs\": [$v], \"delivered\": [$d], \"count\": $6, \"lost\": $7"
}

# inns NETNS FUNCTION ARGS...: runs a helper of this file (or of
# bench/pktgen.sh) in NETNS, where /proc/net/pktgen is that netns's pktgen.
inns() {
	local ns=$1
	shift
	LSDP_BENCH_RUNS=$RUNS LSDP_BENCH_SECS=$SECS LSDP_BENCH_MAX_RUNS=$MAX_RUNS \
		ip netns exec "$ns" bash -c '. "$0"/lib.sh && "$@"' "$BENCH_DIR" "$@"
}

# Kernel memory in kB that slab accounting sees: slab caches, per-CPU
# areas and vmalloc (rhashtable bucket arrays of big tables live there).
memsnap() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { s = $2 } /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
	     END { print s, p, v }' /proc/meminfo
}

# timed_batch VAR_MS CMD...: runs CMD (one batch of programming), stores
# its wall time in ms in VAR_MS.  Fails when CMD fails.
timed_batch() {
	local -n _ms=$1
	local t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >/dev/null || { echo "# FAILED: $*" >&2; return 1; }
	t1=$(date +%s%N)
	# shellcheck disable=SC2034 # the caller's variable, by name
	_ms=$(((t1 - t0) / 1000000))
}

# control ITEM SYSTEM N MS "SLAB PERCPU VMALLOC before" "... after"
# Emits one control-plane record: the time N entries took to program and
# what kernel memory they took.
control() {
	local item=$1 sys=$2 n=$3 ms=$4 s0 p0 v0 s1 p1 v1
	read -r s0 p0 v0 <<<"$5"
	read -r s1 p1 v1 <<<"$6"
	echo "# control $item/$sys: $n in $ms ms; slab ${s0}->${s1} kB, percpu ${p0}->${p1} kB, vmalloc ${v0}->${v1} kB" >&2
	emit "\"kind\": \"control\", \"item\": $(jstr "$item"), \"system\": $(jstr "$sys"), \"n\": $n, \"ms\": $ms, \"slab_kb\": $((s1 - s0)), \"percpu_kb\": $((p1 - p0)), \"vmalloc_kb\": $((v1 - v0))"
}

# lsdp_caches: this module's slab caches with object counts and sizes (the
# VM boots with slab_nomerge, so they are not merged into kmalloc caches).
lsdp_caches() {
	awk '/^lsdp/ { printf "# slab %s: %d objects of %d bytes\n", $1, $2, $4 }' /proc/slabinfo >&2
}
