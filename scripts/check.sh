#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check.sh KVER...: run the whole selftest suite in one VM per
# kernel (selftests/vm-run -- selftests/run.sh), label each line with its
# kernel, and end with the single line
#
#	N passed, N failed, N skipped
#
# summed over all kernels.  A VM that failed to boot, timed out, printed no
# summary or whose kernel log showed BUG/WARNING/Oops/Call Trace counts as a
# failure.  Exit code 1 when anything failed.
#
#   CHECK_TIMEOUT  seconds one VM may run (default 4200)
#   VM_RUN_SMP     vCPUs per VM (default 1)
#
# The guests boot with slab_nomerge: the module's own slab caches then stay
# separate, so an object leaked from them is reported at rmmod ("Objects
# remaining", a BUG line) and fails the run.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

if [ $# -eq 0 ] || [ -z "${1:-}" ]; then
	echo "usage: scripts/check.sh KVER... (e.g. the 6.1 and 6.12 kernels in /lib/modules)" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

pass=0 fail=0 skip=0
mkdir -p build

# unit NAME LOG CMD...: one host-side test: CMD's output goes to LOG, shown
# (its last 40 lines) when CMD fails.
unit() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		echo "==== unit: $name: ok"
		pass=$((pass + 1))
	else
		echo "==== unit: $name: FAIL"
		sed 's/^/    /' "$log" | tail -n 40
		fail=$((fail + 1))
	fi
}

# Host-side unit tests first (no module, no VM): the CLI and library
# against fake kernel replies, and the routing trie against a brute-force
# longest match, also under ASan/UBSan.  Each counts as one test.
for t in "userspace check" "selftests/lpm run" "selftests/lpm asan"; do
	read -r dir target <<<"$t"
	unit "make -C $dir $target" "build/unit-${dir//\//-}-$target.log" \
		make -s -C "$dir" "$target"
done

# Every shell script parses and has no error shellcheck can see: the
# bench scripts and helpers run in no test, so a broken merge there would
# otherwise show only when someone runs `make bench`.  One test.
shells=(bench/*.sh selftests/*.sh scripts/*.sh selftests/vm-run .ci/run)
shell_check() {
	local f
	for f in "${shells[@]}"; do
		bash -n "$f" || return 1
	done
	shellcheck -S error -x "${shells[@]}"
}
unit "shell scripts (bash -n, shellcheck -S error)" build/unit-shell.log shell_check

# The netlink spec: the uAPI header, the generated policies and ops
# (scripts/genl-gen.py) and the spec agree.  One test.
spec_check() {
	/usr/bin/python3 scripts/check-spec.py --require-schema &&
		/usr/bin/python3 scripts/genl-gen.py --check
}
unit "netlink spec (check-spec.py, genl-gen.py --check)" build/unit-spec.log spec_check

# The kernels run at the same time, one VM each with one vCPU: the machine
# has two cores and TCG runs each vCPU on one host thread, so this halves
# the wall time of the suite (CI has 90 minutes).  One vCPU also means no
# other vCPU can run kernel text half way through a static-key patch, which
# multi-threaded TCG does not always make atomic.  Each VM's output goes to
# its own log, printed (labelled) when it ends.
declare -A pid start
for k in "$@"; do
	echo "==== [$k] selftests/vm-run -k $k -- selftests/run.sh (log: build/check-$k.log)"
	start[$k]=$(date +%s)
	VM_RUN_SMP=${VM_RUN_SMP:-1} selftests/vm-run -k "$k" -t "${CHECK_TIMEOUT:-4200}" \
		-a slab_nomerge -- selftests/run.sh >"build/check-$k.log" 2>&1 &
	pid[$k]=$!
done
for k in "$@"; do
	log=build/check-$k.log
	wait "${pid[$k]}"
	rc=$?
	secs=$(( $(date +%s) - start[$k] ))
	sed "s/^/[$k] /" "$log"
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1)
	if [ -z "$sum" ]; then
		echo "==== [$k] FAIL: no summary line from the VM (exit code $rc), counted as 1 failure"
		fail=$((fail + 1))
		continue
	fi
	read -r p _ f _ s _ <<<"$sum"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "==== [$k] FAIL: the VM run exited $rc (see above), counted as 1 failure"
		f=1
	fi
	echo "==== [$k] $p passed, $f failed, $s skipped (${secs}s, exit code $rc)"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
# CI keeps only the end of this output: repeat every failing test, with
# the diagnostics printed just before it, so that the end says which test
# of which script failed and why.
if [ "$fail" -ne 0 ]; then
	echo "==== failures (repeated from above)"
	for k in "$@"; do
		grep -n -B 12 -E '^# (# )?not ok |^not ok |^==== FAIL|BUG|WARNING|Oops|Call Trace' \
			"build/check-$k.log" 2>/dev/null | sed "s/^/[$k] /" | tail -n 150
	done
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
