#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-debug.sh [SCRIPT...]: `make check-debug`.  Runs the selftest
# suite (or the selftests/lsdp_*.sh scripts named) on the debug kernel:
#
#  1. scripts/debug-kernel.sh builds the kernel (once; cached outside the
#     tree: lockdep, RCU lockdep, KASAN, UBSAN, kmemleak, DEBUG_ATOMIC_SLEEP,
#     DEBUG_PREEMPT, DEBUG_OBJECTS, netdev reference tracking);
#  2. scripts/build-kver.sh builds lsdp against it into build/RELEASE/;
#  3. selftests/vm-run -K boots it (2G for KASAN) and runs this script's
#     guest half: selftests/run.sh, then two kmemleak scans.  vm-run fails
#     the run on any BUG/WARNING/Oops/Call Trace/UBSAN/RCU stall in the
#     guest's kernel log (build/vm-run/dmesg-RELEASE.log).
#
# Ends with the single line "N passed, N failed, N skipped", kmemleak counted
# as one more test (failed when a leak's allocation backtrace names lsdp or
# a module no longer loaded), and exits 1 when anything failed.  The guest's
# whole kmemleak report is kept in build/check-debug-kmemleak.log.
#
#   CHECK_DEBUG_TIMEOUT  seconds the VM may run (default 14400)
#   KSFT_TIMEOUT         seconds one script may run (default 3600: the
#                        debug kernel is several times slower)
#   VM_RUN_SMP           vCPUs (default 2)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

# --- the guest half (inside the VM) ----------------------------------------
if [ "${1:-}" = --guest ]; then
	shift
	selftests/run.sh "$@"
	rc=$?
	kml=/sys/kernel/debug/kmemleak
	echo "==== kmemleak"
	if [ ! -e "$kml" ]; then
		echo "kmemleak: FAIL: no $kml (not this kernel's?)"
		exit 1
	fi
	# An object only becomes a suspect once it has not been referenced
	# for a while and was found unreferenced by a scan: scan twice, as the
	# kmemleak documentation says, then read.
	if ! { echo scan >"$kml" && sleep 5 && echo scan >"$kml"; }; then
		echo "kmemleak: FAIL: scan failed (disabled after an error? see dmesg)"
		exit 1
	fi
	out=/tmp/kmemleak
	cat "$kml" >"$out"
	# A leak is lsdp's when a frame of its allocation backtrace is in lsdp
	# or, lsdp having been unloaded, in no loaded module (kallsyms then
	# prints a bare 0xffffffff... address).
	awk '
		/^unreferenced object/ { n++; bad = 0 }
		/\[lsdp\]$/ || /\] 0xffffffff[0-9a-f]+$/ { if (!bad) { ours++; bad = 1 } }
		END { printf "kmemleak: %d suspected leaks, %d of them lsdp'\''s or an unloaded module'\''s\n", n, ours
		      exit ours > 0 }' "$out"
	krc=$?
	# The guest cannot write to the checkout (read-only over 9p): the
	# report goes to the console, the host keeps it.
	echo "==== kmemleak report ($(wc -l <"$out") lines)"
	head -n 2000 "$out"
	echo "==== end of kmemleak report"
	if [ "$krc" -ne 0 ]; then
		echo "kmemleak: FAIL"
		[ "$rc" -ne 0 ] || rc=1
	else
		echo "kmemleak: ok"
	fi
	exit "$rc"
fi

# --- the host half ------------------------------------------------------------
t0=$(date +%s)
kdir=$(scripts/debug-kernel.sh) || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
rel=$(cat "$kdir/release")
t1=$(date +%s)
scripts/build-kver.sh "$rel" "$kdir/src" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
mkdir -p build
log=build/check-debug.log
echo "==== [$rel] selftests/vm-run -K $kdir -- selftests/run.sh $* (log: $log)"
export KSFT_TIMEOUT=${KSFT_TIMEOUT:-3600}
t2=$(date +%s)
VM_RUN_SMP=${VM_RUN_SMP:-2} selftests/vm-run -K "$kdir" -m 2G -t "${CHECK_DEBUG_TIMEOUT:-14400}" \
	-a slab_nomerge -- scripts/check-debug.sh --guest "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
t3=$(date +%s)
sed -n '/^==== kmemleak report/,/^==== end of kmemleak report/p' "$log" >build/check-debug-kmemleak.log

sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1)
if [ -z "$sum" ]; then
	echo "==== [$rel] FAIL: no summary line from the VM (exit code $rc)"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
read -r p _ f _ s _ <<<"$sum"
if grep -qx 'kmemleak: ok' "$log"; then
	p=$((p + 1))
else
	f=$((f + 1))
fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "==== [$rel] FAIL: the VM run exited $rc (see above), counted as 1 failure"
	f=1
fi
echo "==== [$rel] kernel ready in $((t1 - t0))s, suite and kmemleak in $((t3 - t2))s (exit code $rc)"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
