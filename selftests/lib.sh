# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the lsdp selftests, kselftest style.  Source it from a test
# script that runs as root inside the VM (selftests/vm-run):
#
#	. "$(dirname "$0")/lib.sh"
#	cleanup() { lsdp_cleanup; }	# optional: lib.sh installs a default
#	test_foo() { ...; check_ok "what" cmd...; ... }
#	run_test "foo does bar" test_foo
#	ksft_exit
#
# TAP 13 output: "TAP version 13", one "ok N name" / "not ok N name" /
# "ok N name # SKIP reason" per test, diagnostics as "# ..." lines, and the
# plan "1..N" at the end.  Exit code: 0 all passed, 1 something failed, 4 all
# skipped (kselftest's KSFT_PASS/KSFT_FAIL/KSFT_SKIP).
#
# Inside a test function, every check_* helper records a failure (RET=1) and
# prints why; the function's own return code counts too.  `skip REASON`
# marks the current test skipped.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$SELFTESTS/.." && pwd)
LSDP=${LSDP:-$TOP/userspace/lsdp}
PYTHON=${PYTHON:-/usr/bin/python3}
PKT="$PYTHON $SELFTESTS/pkt.py"
TEST_NAME=$(basename "$0" .sh)

ksft_n=0
ksft_pass=0
ksft_fail=0
ksft_skip=0
RET=0
SKIP_REASON=

echo "TAP version 13"

# --- reporting -------------------------------------------------------------

diag() { printf '# %s\n' "$*"; }

# Print the indented output of a failed command as diagnostics.
diag_output() { [ -n "$1" ] && printf '%s\n' "$1" | sed 's/^/#   /'; }

fail() {
	RET=1
	diag "FAIL: $*"
	return 1
}

skip() {
	SKIP_REASON=${1:-skipped}
	return 0
}

ksft_ok() { ksft_n=$((ksft_n + 1)); ksft_pass=$((ksft_pass + 1)); echo "ok $ksft_n $1"; }
# ksft_not_ok NAME [DETAIL...]: a failed test; each DETAIL as diagnostics.
ksft_not_ok() {
	local l
	ksft_n=$((ksft_n + 1)); ksft_fail=$((ksft_fail + 1)); echo "not ok $ksft_n $1"
	shift
	for l in "$@"; do diag_output "$l"; done
	return 0
}
ksft_skipped() {
	ksft_n=$((ksft_n + 1)); ksft_skip=$((ksft_skip + 1))
	echo "ok $ksft_n $1 # SKIP $2"
}

# run_test NAME FUNC [ARGS...]: run one test function in this shell and
# report it.  The test fails when it returns non-zero or any check failed.
run_test() {
	local name=$1 rc
	shift
	# LSDP_TESTS=REGEX runs only the tests whose name matches.
	if [ -n "${LSDP_TESTS:-}" ] && ! [[ $name =~ $LSDP_TESTS ]]; then
		return 0
	fi
	RET=0
	SKIP_REASON=
	dmesg_mark "$name"
	"$@"
	rc=$?
	if ! dmesg_check "$name"; then
		RET=1
	fi
	if [ -n "$SKIP_REASON" ] && [ "$RET" -eq 0 ] && [ "$rc" -eq 0 ]; then
		ksft_skipped "$name" "$SKIP_REASON"
	elif [ "$RET" -eq 0 ] && [ "$rc" -eq 0 ]; then
		ksft_ok "$name"
	else
		[ "$rc" -ne 0 ] && [ "$RET" -eq 0 ] && diag "FAIL: test function returned $rc"
		ksft_not_ok "$name"
	fi
}

# Print the plan and exit with the kselftest code.
ksft_exit() {
	echo "1..$ksft_n"
	diag "$TEST_NAME: $ksft_pass passed, $ksft_fail failed, $ksft_skip skipped"
	if [ "$ksft_fail" -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ "$ksft_n" -gt 0 ] && [ "$ksft_skip" -eq "$ksft_n" ]; then
		exit $KSFT_SKIP
	elif [ "$ksft_n" -eq 0 ]; then
		diag "no test ran"
		exit $KSFT_FAIL
	fi
	exit $KSFT_PASS
}

# Skip the whole script (before any test ran, or after some did).
ksft_skip_all() {
	ksft_skipped "$TEST_NAME" "$1"
	ksft_exit
}

# Fail the whole script: a prerequisite every test needs is missing.
ksft_abort() {
	diag "FAIL: $*"
	ksft_not_ok "$TEST_NAME setup"
	ksft_exit
}

# --- checks ----------------------------------------------------------------

# check_exit WHAT ok|fails CMD...: CMD must exit 0 (ok) or non-zero (fails);
# otherwise its output is shown.
check_exit() {
	local what=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$want" = ok ] && [ $rc -ne 0 ]; then
		fail "$what: '$*' exited $rc"
	elif [ "$want" = fails ] && [ $rc -eq 0 ]; then
		fail "$what: '$*' succeeded but must fail"
	else
		return 0
	fi
	diag_output "$out"
	return 1
}

# check_ok WHAT CMD...: CMD must exit 0.
check_ok() { check_exit "$1" ok "${@:2}"; }

# check_fails WHAT CMD...: CMD must exit non-zero.
check_fails() { check_exit "$1" fails "${@:2}"; }

# check_err TEXT CMD...: CMD must exit 1 and print "Error: ...TEXT..." on
# stderr (TEXT is matched as a fixed substring of the Error: line).
check_err() {
	local text=$1 err rc
	shift
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "'$*' exited $rc, expected 1 with 'Error: $text'"
		diag_output "$err"
		return 1
	fi
	if ! printf '%s\n' "$err" | grep '^Error: ' | grep -qF -- "$text"; then
		fail "'$*': stderr lacks 'Error: ...$text...'"
		diag_output "$err"
		return 1
	fi
	return 0
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
		return 1
	fi
	return 0
}

# check_ge WHAT MIN ACTUAL (integers)
check_ge() {
	if ! [ "${3:-x}" -ge "$2" ] 2>/dev/null; then
		fail "$1: expected >= $2, got '$3'"
		return 1
	fi
	return 0
}

# check_le WHAT MAX ACTUAL (integers)
check_le() {
	if ! [ "${3:-x}" -le "$2" ] 2>/dev/null; then
		fail "$1: expected <= $2, got '$3'"
		return 1
	fi
	return 0
}

# --- the kernel log ----------------------------------------------------------

DMESG_BAD='BUG|WARNING|Oops|Call Trace'

# dmesg_mark TAG: write a marker into the kernel log.
dmesg_mark() {
	echo "lsdp-selftest: begin ${TEST_NAME}: $1" >/dev/kmsg 2>/dev/null
}

# dmesg_check [TAG]: fail when the kernel log since the last marker for TAG
# (or since boot without TAG) shows BUG/WARNING/Oops/Call Trace.
dmesg_check() {
	local since=${1:+lsdp-selftest: begin ${TEST_NAME}: $1} bad
	if [ -n "$since" ]; then
		bad=$(dmesg | "$SELFTESTS/dmesg-filter" | awk -v m="$since" 'index($0, m) { buf = ""; on = 1; next } on { buf = buf $0 "\n" } END { printf "%s", buf }' |
			grep -E "$DMESG_BAD")
	else
		bad=$(dmesg | "$SELFTESTS/dmesg-filter" | grep -E "$DMESG_BAD")
	fi
	if [ -n "$bad" ]; then
		fail "kernel log shows BUG/WARNING/Oops/Call Trace:"
		diag_output "$bad"
		return 1
	fi
	return 0
}

# --- the module and the CLI ----------------------------------------------------

# The module for the running kernel: $LSDP_KO, the one make matrix built
# for it, or kmod/lsdp.ko; the first that exists and was built for it.
lsdp_ko() {
	local ko
	for ko in ${LSDP_KO:-} "$TOP/build/$(uname -r)/kmod/lsdp.ko" "$TOP/kmod/lsdp.ko"; do
		[ -f "$ko" ] || continue
		[ "$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" = "$(uname -r)" ] || continue
		echo "$ko"
		return 0
	done
	return 1
}

lsdp_loaded() { [ -d /sys/module/lsdp ]; }

# lsdp_load: insmod the module (once); non-zero with a diagnostic on failure.
lsdp_load() {
	local ko out deps
	lsdp_loaded && return 0
	ko=$(lsdp_ko) || { diag "no lsdp.ko for $(uname -r) (run 'make matrix')"; return 1; }
	# insmod does not resolve dependencies: load them from /lib/modules.
	deps=$(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' ')
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086
		out=$(modprobe -a $deps 2>&1) || { diag "modprobe $deps: $out"; return 1; }
	fi
	out=$(insmod "$ko" 2>&1) || { diag "insmod $ko: $out"; return 1; }
	return 0
}

# lsdp_unload: rmmod the module if loaded.
lsdp_unload() {
	local out
	lsdp_loaded || return 0
	out=$(rmmod lsdp 2>&1) || { diag "rmmod lsdp: $out"; return 1; }
	return 0
}

# Hold the kernel's netstamp static key on for the whole script: every
# tcpdump start/stop would otherwise flip it, and each flip patches kernel
# text.  Under multi-threaded TCG a 6.12 guest once took an "Oops: int3" in
# __netif_receive_skb_core right at such a patch site (another vCPU ran the
# half-patched code); with the key held the tests flip it no more.
TS_HOLDER=
ts_hold() {
	"$PYTHON" -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)  # SO_TIMESTAMP
time.sleep(1e6)' &
	TS_HOLDER=$!
}

# Every script needs the module, the CLI and the tools; abort (fail) early.
lsdp_require() {
	[ -n "$TS_HOLDER" ] || ts_hold
	[ "$(id -u)" -eq 0 ] || ksft_skip_all "must run as root (inside selftests/vm-run)"
	local t
	for t in ip jq tcpdump ping "$PYTHON"; do
		command -v "$t" >/dev/null || ksft_abort "missing tool $t (run 'make deps')"
	done
	[ -x "$LSDP" ] || ksft_abort "no CLI at $LSDP (run 'make')"
	modprobe -a veth 2>/dev/null
	lsdp_load || ksft_abort "cannot load the lsdp module"
}

# lsdp_json ARGS...: `lsdp -j ARGS`, output validated as JSON.
lsdp_json() {
	local out
	out=$("$LSDP" -j "$@") || return 1
	printf '%s' "$out" | jq -e . >/dev/null 2>&1 || { diag "not JSON from 'lsdp -j $*': $out"; return 1; }
	printf '%s\n' "$out"
}

# ncounter NS PORT NAME: a counter of one port of netns NS ("": this one),
# 0 when absent.  NAME is one of rx_packets rx_bytes tx_packets tx_bytes,
# or a drop reason (e.g. port-security-mac).  Prints nothing and returns 1
# when the CLI fails.
ncounter() {
	local json ns=()
	[ -n "$1" ] && ns=(-n "$1")
	json=$("$LSDP" "${ns[@]}" -j stats show "$2") || return 1
	printf '%s' "$json" | jq -r --arg p "$2" --arg n "$3" '
		(map(select(.port == $p)) | first) as $s
		| if $s == null then error("no port " + $p)
		  elif ($n | test("^(rx|tx)_")) then ($s[$n] // 0)
		  else ($s.drops[$n] // 0) end'
}

# counter PORT NAME: ncounter in this network namespace.
counter() { ncounter "" "$@"; }

# port_field PORT JQ-FIELD: one field of `lsdp -j port show PORT`.
port_field() {
	"$LSDP" -j port show "$1" | jq -r --arg p "$1" "map(select(.name == \$p)) | first | $2"
}

# --- capturing what a command prints -------------------------------------------

# slurp VAR FILE: VAR=$(cat FILE), trailing newlines cut, without forking
# (the VMs run TCG: every fork costs).
slurp() {
	local -n _v=$1
	IFS= read -r -d '' _v <"$2"
	while [[ $_v == *$'\n' ]]; do
		_v=${_v%$'\n'}
	done
}

# capture CMD...: runs CMD in this shell, stdin from $CAPTURE_IN (default
# /dev/null), and sets rc, out and err to its exit code, stdout and stderr
# (trailing newlines cut); the files stay as $CAPTURE_DIR/out and /err.
CAPTURE_DIR=
capture() {
	if [ -z "$CAPTURE_DIR" ]; then
		CAPTURE_DIR=$(mktemp -d /tmp/lsdp-capture.XXXXXX) || return 1
	fi
	"$@" >"$CAPTURE_DIR/out" 2>"$CAPTURE_DIR/err" <"${CAPTURE_IN:-/dev/null}"
	rc=$?
	slurp out "$CAPTURE_DIR/out"
	slurp err "$CAPTURE_DIR/err"
}

# --- hosts: network namespaces and veth pairs ----------------------------------

NETNS_LIST=()
LINK_LIST=()

# ns_create NAME...: new netns with lo up, removed by lsdp_cleanup.
ns_create() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		NETNS_LIST+=("$ns")
		ip -n "$ns" link set lo up
	done
}

# host_add NS HOSTIF MAC [ADDR/PLEN]... : a "VM" in netns NS: a veth pair
# whose eth0 end is in NS with MAC and the addresses, and whose HOSTIF end
# (the "tap") stays in this namespace, up, with IPv6 off so that it sends
# nothing of its own.  IPv6 addresses (with a ':') keep IPv6 on in NS, with
# DAD off so that they are usable at once; without any, IPv6 is off in NS.
host_add() {
	local ns=$1 hif=$2 mac=$3 a v6=
	shift 3
	ip link del "$hif" 2>/dev/null
	ip link add "$hif" type veth peer name eth0 netns "$ns" || return 1
	LINK_LIST+=("$hif")
	sysctl -qw "net.ipv6.conf.$hif.disable_ipv6=1"
	ip link set "$hif" up || return 1
	for a in "$@"; do case $a in *:*) v6=1 ;; esac; done
	if [ -n "$v6" ]; then
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
	else
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	fi
	ip -n "$ns" link set eth0 address "$mac" || return 1
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev eth0 nodad 2>/dev/null ||
			ip -n "$ns" addr add "$a" dev eth0 || return 1
	done
	ip -n "$ns" link set eth0 up
}

# vm_add VM CHASSIS TAP MAC ADDR...: a "VM" netns VM whose eth0 has MAC and
# the addresses (IPv6 ones without DAD); its veth peer TAP lives, up and
# without IPv6, in netns CHASSIS.  No DAD and no router solicitations in VM,
# for eth0 and for devices made later (child_add): they send nothing the
# tests did not ask for.
vm_add() {
	local vm=$1 ch=$2 tap=$3 mac=$4 a
	shift 4
	ip link del "$tap" 2>/dev/null
	ip link add "$tap" type veth peer name eth0 netns "$vm" || return 1
	ip link set "$tap" netns "$ch" || return 1
	ip netns exec "$ch" sysctl -qw "net.ipv6.conf.$tap.disable_ipv6=1"
	ip -n "$ch" link set "$tap" up || return 1
	for a in all default eth0; do
		ip netns exec "$vm" sysctl -qw "net.ipv6.conf.$a.accept_dad=0" \
			"net.ipv6.conf.$a.router_solicitations=0"
	done
	ip -n "$vm" link set eth0 address "$mac" || return 1
	for a in "$@"; do
		case $a in
		*:*) ip -n "$vm" addr add "$a" dev eth0 nodad || return 1 ;;
		*) ip -n "$vm" addr add "$a" dev eth0 || return 1 ;;
		esac
	done
	ip -n "$vm" link set eth0 up
}

# child_add VM NAME VID MAC ADDR: a container: a VLAN device on VM's eth0.
child_add() {
	ip -n "$1" link add link eth0 name "$2" type vlan id "$3" &&
	ip -n "$1" link set "$2" address "$4" &&
	ip -n "$1" addr add "$5" dev "$2" &&
	ip -n "$1" link set "$2" up
}

# Static neighbour entry in NS so that traffic needs no ARP/ND.
neigh_add() { # NS ADDR MAC
	ip -n "$1" neigh replace "$2" lladdr "$3" dev eth0 nud permanent
}

# A port's EUI-64 link-local address from its MAC (as the kernel derives it).
eui64_ll() {
	local IFS=: m
	read -ra m <<<"$1"
	printf 'fe80::%x:%x:%x:%x\n' $(( (0x${m[0]} ^ 2) << 8 | 0x${m[1]} )) \
		$(( 0x${m[2]} << 8 | 0xff )) $(( 0xfe << 8 | 0x${m[3]} )) \
		$(( 0x${m[4]} << 8 | 0x${m[5]} ))
}

# ping_ok NS DST [COUNT]: a few pings from NS must all get answers.
ping_ok() {
	local out
	out=$(ip netns exec "$1" ping -n -q -c "${3:-3}" -i 0.2 -W 2 "$2" 2>&1) && return 0
	diag_output "$out"
	return 1
}

# ping_fails NS DST: no answer to a couple of pings.
ping_fails() {
	! ip netns exec "$1" ping -n -q -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

# --- capturing what arrives --------------------------------------------------

# cap_start [-o OPTS] NS IF FILTER...: capture in the background what IF in
# NS receives (inbound only) and matches the tcpdump FILTER; cap_stop then
# tells how many such frames arrived.  With -o, tcpdump prints as OPTS say
# instead of "-Q in -nn -e" (e.g. "-Q inout -tt -vv -nn -e", or "-vvvnnexx"
# for decodes with the frames' bytes).  One capture per NS/IF at a time.
declare -A CAP_PID CAP_FILE
cap_start() {
	cap_launch "$@" && cap_ready "$CAP_KEY"
}

# cap_launch [-o OPTS] NS IF FILTER...: cap_start without waiting for
# tcpdump to listen; CAP_KEY names the capture for cap_ready.  Several
# captures launched first and then waited for start in the time of the
# slowest, not of all of them in turn (deliver).
CAP_KEY=
cap_launch() {
	local opts="-Q in -nn -e" ns ifc f
	if [ "$1" = -o ]; then
		opts=$2
		shift 2
	fi
	ns=$1 ifc=$2 CAP_KEY="$1/$2"
	shift 2
	f=$(mktemp /tmp/lsdp-cap.XXXXXX)
	CAP_FILE[$CAP_KEY]=$f
	# shellcheck disable=SC2086 # OPTS are words
	ip netns exec "$ns" tcpdump -i "$ifc" $opts -l -p -U --immediate-mode \
		"$@" >"$f" 2>"$f.err" &
	CAP_PID[$CAP_KEY]=$!
}

# cap_ready NS/IF: wait until that capture's tcpdump listens.
cap_ready() {
	local key=$1 f=${CAP_FILE[$1]} i
	for i in $(seq 1 100); do
		grep -q 'listening on' "$f.err" 2>/dev/null && return 0
		kill -0 "${CAP_PID[$key]}" 2>/dev/null || break
		sleep 0.05
	done
	diag "tcpdump on $key did not start: $(cat "$f.err")"
	return 1
}

# cap_stop NS IF: stop the capture; CAP_COUNT is how many frames it saw,
# CAP_LAST their decode (for diagnostics) and CAP_FRAMES one line per frame:
# its decode, continuation lines joined, then (with -x) "|" and its bytes
# in hex.
CAP_LAST=
CAP_COUNT=0
CAP_FRAMES=
cap_stop() {
	local key="$1/$2" pid f
	pid=${CAP_PID[$key]:-}
	f=${CAP_FILE[$key]:-}
	CAP_COUNT=0
	CAP_LAST=
	CAP_FRAMES=
	[ -n "$pid" ] || return 1
	# What is still on its way gets there.  CAP_SETTLED=1: the caller
	# already waited, once for all its captures (deliver).
	[ -n "${CAP_SETTLED:-}" ] || sleep 0.3
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	CAP_LAST=$(cat "$f")
	CAP_COUNT=$(grep -cE '^[0-9]{2}:[0-9]{2}:' "$f")
	# shellcheck disable=SC2034 # for the scripts (ucap_stop, pcap_stop)
	CAP_FRAMES=$(awk '
		function frame() { if (rec != "") print rec (hex != "" ? "|" hex : "") }
		/^[^ \t]/ { frame(); rec = $0; hex = ""; next }
		/^[ \t]+0x[0-9a-f]+:/ { l = $0; sub(/^[ \t]+0x[0-9a-f]+:[ ]+/, "", l); gsub(/ /, "", l); hex = hex l; next }
		{ rec = rec " " $0 }
		END { frame() }' "$f")
	rm -f "$f" "$f.err"
	unset "CAP_PID[$key]" "CAP_FILE[$key]"
}

# deliver WHAT FILTER SENDER "PKT-ARGS" [HOST=N]...: capture FILTER on eth0
# of every host in $HOSTS, send a frame with pkt.py from SENDER's eth0, and
# check how many frames each host received (0 for hosts not listed).
deliver() {
	local what=$1 filter=$2 sender=$3 send=$4 h e exp got ok=0
	shift 4
	for h in $HOSTS; do cap_launch "$h" eth0 "$filter"; done
	for h in $HOSTS; do cap_ready "$h/eth0" || return 1; done
	# shellcheck disable=SC2086
	ip netns exec "$sender" $PKT eth0 $send || fail "$what: sending from $sender failed"
	sleep 0.3
	for h in $HOSTS; do
		CAP_SETTLED=1 cap_stop "$h" eth0
		got=$CAP_COUNT
		exp=0
		for e in "$@"; do [ "${e%%=*}" = "$h" ] && exp=${e#*=}; done
		if [ "$got" != "$exp" ]; then
			fail "$what: $h received $got frame(s), expected $exp"
			diag_output "$CAP_LAST"
			ok=1
		fi
	done
	return $ok
}

# delta PORT COUNTER CMD...: run CMD, print how much the port's counter grew.
delta() {
	local p=$1 c=$2 a b
	shift 2
	a=$(counter "$p" "$c") || { echo "counter-error"; return 1; }
	"$@" >/dev/null 2>&1
	sleep 0.2
	b=$(counter "$p" "$c") || { echo "counter-error"; return 1; }
	echo $((b - a))
}

# send_delta PORT COUNTER SENDER "PKT-ARGS": send with pkt.py from SENDER's
# eth0 and print how much the port's counter grew.
send_delta() {
	# shellcheck disable=SC2086
	delta "$1" "$2" ip netns exec "$3" $PKT eth0 $4
}

# trace_outcomes JSON: the outcomes of `lsdp -j trace` into $OUTCOMES ("kind
# port reason", - when absent, ';'-separated) and its frame into $FRAME.
# jq costs over a second a run in a TCG guest: bash patterns read the
# CLI's compact JSON instead (its strings hold no braces or quotes).
trace_outcomes() {
	local rest obj k p r
	FRAME=
	[[ $1 =~ \"frame\":\"([0-9a-f]+)\" ]] && FRAME=${BASH_REMATCH[1]}
	rest=${1#*\"outcomes\":\[}
	OUTCOMES=
	while [[ $rest =~ ^[^]{]*(\{[^}]*\})(.*)$ ]]; do
		obj=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]}
		k=- p=- r=-
		[[ $obj =~ \"kind\":\"([^\"]*)\" ]] && k=${BASH_REMATCH[1]}
		[[ $obj =~ \"port\":\"([^\"]*)\" ]] && p=${BASH_REMATCH[1]}
		[[ $obj =~ \"reason\":\"([^\"]*)\" ]] && r=${BASH_REMATCH[1]}
		OUTCOMES+=${OUTCOMES:+;}"$k $p $r"
	done
}

# --- memory --------------------------------------------------------------------

# slab_bytes: bytes in active slab objects, all caches (from /proc/slabinfo).
slab_bytes() {
	awk 'NR > 2 { s += $2 * $4 } END { printf "%d\n", s }' /proc/slabinfo
}

# slab_unreclaim_kb: SUnreclaim from /proc/meminfo.
slab_unreclaim_kb() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

# slab_cache_objs NAME: active objects of one cache (0 if it does not exist).
slab_cache_objs() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}

# Settle the allocator before a measurement: RCU callbacks, per-CPU caches.
slab_settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	[ -w /sys/kernel/slab/kmalloc-64/shrink ] &&
		for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null; done
	sleep 1
}

# --- cleanup -------------------------------------------------------------------

# Default cleanup: kill captures, remove what ns_create/host_add made, delete
# every datapath, and leave the module unloaded.
lsdp_cleanup() {
	local p ns l
	[ -n "$TS_HOLDER" ] && kill "$TS_HOLDER" 2>/dev/null
	for p in "${CAP_PID[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${CAP_FILE[@]}"; do rm -f "$p" "$p.err"; done
	if lsdp_loaded && [ -x "$LSDP" ]; then
		for p in $("$LSDP" -j switch show 2>/dev/null | jq -r '.[].name' 2>/dev/null); do
			"$LSDP" switch del "$p" 2>/dev/null
		done
		for p in $("$LSDP" -j router show 2>/dev/null | jq -r '.[].name' 2>/dev/null); do
			"$LSDP" router del "$p" 2>/dev/null
		done
	fi
	for l in "${LINK_LIST[@]}"; do ip link del "$l" 2>/dev/null; done
	for ns in "${NETNS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "$CAPTURE_DIR" ] && rm -rf "$CAPTURE_DIR"
	lsdp_unload >/dev/null
}

cleanup() { lsdp_cleanup; }
trap 'cleanup' EXIT
