#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the lsdp selftests (inside the VM, as root): every selftests/lsdp_*.sh,
# or the scripts named on the command line.  Shows each script's TAP output
# (indented with "# ", kselftest runner style), then one line per script,
# and ends with the single plain line
#
#	N passed, N failed, N skipped
#
# counting the individual tests of all scripts.  Exits 1 when anything
# failed: a "not ok" test, or a script that crashed, timed out or exited
# non-zero without reporting a failing test.
#
#   KSFT_TIMEOUT  seconds one script may take (default 1200)
cd "$(dirname "$0")" || exit 1
timeout=${KSFT_TIMEOUT:-1200}

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=(lsdp_*.sh)
fi

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	n=$((n + 1))
	out=$(mktemp /tmp/lsdp-run.XXXXXX)
	echo "# selftests: lsdp: $t"
	start=$(date +%s)
	timeout -k 10 "$timeout" bash "./$(basename "$t")" </dev/null 2>&1 | tee "$out" | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	p=$(grep -cE '^ok [0-9]+' "$out" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$out" | tr -d ' ')
	p=$((p - s))
	rm -f "$out"
	note=
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		note=" (timeout after ${timeout}s)"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		note=" (exit code $rc without a failing test)"
		f=$((f + 1))
	elif [ "$rc" -eq 0 ] && [ "$f" -gt 0 ]; then
		note=" (exit code 0 despite failing tests)"
	elif [ $((p + s + f)) -eq 0 ]; then
		note=" (no test reported)"
		f=$((f + 1))
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "not ok $n selftests: lsdp: $t # exit=$rc, ${secs}s$note"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $n selftests: lsdp: $t # SKIP ${secs}s"
	else
		echo "ok $n selftests: lsdp: $t # ${secs}s"
	fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
