#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lsdp_cli.sh: the lsdp command line, as a user sees it.
#
#   selftests/lsdp_cli.sh
#
# Always (no module needed): help at every level (exit 0, stdout, no netlink
# socket), -V, argument errors (exact "Error: ..." text, exit 1, nothing on
# stdout), batch parsing (comments, quotes, "(line N)", -f, stdin), the
# JSON writer and netlink transport unit tests (userspace/tests/*), -n.
#
# Without the lsdp module: every command prints "Error: lsdp module not
# loaded" and exits 1.
#
# Then, as root, when an lsdp.ko built for the running kernel exists
# (build/$(uname -r)/kmod/lsdp.ko, or kmod/lsdp.ko with a matching
# vermagic, or $LSDP_KO), the script loads it (and unloads it at the end)
# unless LSDP_CLI_NO_LOAD=1, and runs the full flow in a fresh network
# namespace: switches and routers, vif ports on veths, show tables and JSON,
# set, del, stats with a counted drop, kernel errors, a batch of 200 ports,
# permissions.  Without such a module (on a build host) that part is skipped.
#
# Environment: LSDP (the binary to test), LSDP_WRAP (a command to run it
# under, e.g. "valgrind -q --error-exitcode=99"), LSDP_KO, LSDP_CLI_NO_LOAD.
#
# Output is TAP 13 (ok N / not ok N / # SKIP), the plan "1..N" at the end
# and a summary comment, from lib.sh like every script here.  Exit 0 when
# nothing failed, 1 otherwise.
# Conditions are checked by "bash -c '...' ARGS": single quotes on purpose.
# shellcheck disable=SC2016
set -u

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
TESTS_BIN=$TOP/userspace/tests

# capture() leaves a command's output in $tmp/out and $tmp/err.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lsdp_cli.XXXXXX")
CAPTURE_DIR=$tmp
NS=
loaded_by_us=

# shellcheck disable=SC2317 # called by lib.sh's EXIT trap
cleanup() {
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	[ -n "$loaded_by_us" ] && rmmod lsdp 2>/dev/null
	rm -rf "$tmp"
}

# run ARGS...: runs lsdp (under $LSDP_WRAP, e.g. "valgrind -q
# --error-exitcode=99 --leak-check=full", when set); sets rc, out, err.
run() {
	# shellcheck disable=SC2086 # LSDP_WRAP is a command line
	capture ${LSDP_WRAP:-} "$LSDP" "$@"
}


detail() {
	printf 'rc=%s\nstdout: %s\nstderr: %s' "$rc" "$out" "$err"
}

# expect_help NAME ARGS...: exit 0, usage on stdout, nothing on stderr.
expect_help() {
	local name=$1
	shift
	run "$@"
	if [ "$rc" -eq 0 ] && [[ $out == Usage:* ]] && [ -z "$err" ]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "$(detail)"
	fi
}

# expect_fail NAME MESSAGE ARGS...: exit 1, first stderr line is MESSAGE,
# nothing on stdout.
expect_fail() {
	local name=$1 msg=$2
	shift 2
	run "$@"
	if [ "$rc" -eq 1 ] && [ "${err%%$'\n'*}" = "$msg" ] &&
	   [ -z "$out" ]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "want: $msg" "$(detail)"
	fi
}

# expect_fail_re NAME REGEX ARGS...: exit 1, first stderr line matches.
expect_fail_re() {
	local name=$1 re=$2
	shift 2
	run "$@"
	if [ "$rc" -eq 1 ] && [[ ${err%%$'\n'*} =~ $re ]]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "want: /$re/" "$(detail)"
	fi
}

# expect_ok NAME ARGS...: exit 0, nothing on stderr.
expect_ok() {
	local name=$1
	shift
	run "$@"
	if [ "$rc" -eq 0 ] && [ -z "$err" ]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "$(detail)"
	fi
}

# expect_out NAME EXPECTED ARGS...: exit 0 and stdout exactly EXPECTED.
expect_out() {
	local name=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" -eq 0 ] && [ "$out" = "$want" ] && [ -z "$err" ]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "want: $want" "$(detail)"
	fi
}

# cell TABLE ROW COLUMN: the cell in the row whose first cell is ROW, under
# the header COLUMN (cells of lsdp tables contain no blanks).
cell() {
	awk -v row="$2" -v col="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		$1 == row && c { print $c; exit }' <<<"$1"
}

# expect_cells NAME ROW COLUMN=VALUE...: checks cells of the last $out.
expect_cells() {
	local name=$1 row=$2 kv bad=
	shift 2
	for kv in "$@"; do
		[ "$(cell "$out" "$row" "${kv%%=*}")" = "${kv#*=}" ] ||
			bad="$bad ${kv%%=*}=$(cell "$out" "$row" "${kv%%=*}")"
	done
	if [ "$rc" -eq 0 ] && [ -z "$bad" ]; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "wrong:$bad" "$(detail)"
	fi
}

# expect_json NAME EXPECTED: the last $out is a JSON array of as many
# objects as EXPECTED (JSON), each with at least EXPECTED's members.
expect_json() {
	local name=$1 want=$2
	if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
got, want = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert len(got) == len(want), "length"
for g, w in zip(got, want):
    for k, v in w.items():
        assert k in g and g[k] == v, "%s: %r != %r" % (k, g.get(k), v)
' "$out" "$want" 2>"$tmp/py"; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "want: $want" "$(cat "$tmp/py")" "$(detail)"
	fi
}

# check NAME CONDITION-COMMAND...: ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then
		ksft_ok "$name"
	else
		ksft_not_ok "$name" "$(detail)"
	fi
}

diag "lsdp_cli.sh: $LSDP"
[ -x "$LSDP" ] || ksft_abort "$LSDP not built (make -C userspace)"

# Loads the module (and what it depends on) when it is not loaded yet.
load_module() {
	[ -n "${LSDP_CLI_NO_LOAD:-}" ] && return 1
	[ "$(id -u)" -eq 0 ] || return 1
	lsdp_load || return 1
	loaded_by_us=1
	diag "loaded $(lsdp_ko)"
}


# ---------------------------------------------------------------------------
# Help, version
# ---------------------------------------------------------------------------

expect_help "help: lsdp help" help
expect_help "help: lsdp -h" -h
expect_help "help: lsdp --help" --help
for obj in switch router port route nat neigh hold stats; do
	expect_help "help: lsdp $obj help" "$obj" help
done
for c in "switch add" "switch del" "switch show" "router add" "router del" \
	 "router show" "port add" "port set" "port del" "port show" "stats show" \
	 "route add" "route del" "route show" "nat add" "nat del" "nat show" \
	 "neigh add" "neigh del" "neigh show" \
	 "neigh flush" "hold show" "hold set"; do
	# shellcheck disable=SC2086 # word splitting is the point
	expect_help "help: lsdp $c help" $c help
done
expect_help "help: after arguments (port add sw1 p1 key 1 help)" \
	port add sw1 p1 key 1 help
expect_help "help: as a name (switch del help)" switch del help
expect_help "help: with -j -n (no netns needed)" -j -n lsdp-no-such-ns port help

run port add help
check "help: port add usage names every keyword" \
	bash -c 'for k in DATAPATH NAME key type mac ip unknown security dev net peer; do
		grep -qw -- "$k" "$1" || exit 1; done' _ "$tmp/out"
run port set help
check "help: port set usage names every keyword" \
	bash -c 'for k in dev nodev mac ip noip net nonet unknown nounknown security nosecurity; do
		grep -qw -- "$k" "$1" || exit 1; done' _ "$tmp/out"
run hold set help
check "help: hold set usage names every limit" \
	bash -c 'for k in dest-bytes total-bytes retries interval unbound-time neigh-max reachable stale; do
		grep -qw -- "$k" "$1" || exit 1; done' _ "$tmp/out"

if command -v strace >/dev/null 2>&1; then
	nosock=1
	for c in "help" "port help" "port add help" "stats show help" "switch add help" \
		 "route add help" "neigh help" "hold set help"; do
		# shellcheck disable=SC2086
		strace -f -qq -e trace=socket -o "$tmp/strace" "$LSDP" $c >/dev/null 2>&1
		grep -q AF_NETLINK "$tmp/strace" && nosock=
	done
	strace -f -qq -e trace=socket -o "$tmp/strace" "$LSDP" switch show >/dev/null 2>&1
	if [ -n "$nosock" ] && grep -q AF_NETLINK "$tmp/strace"; then
		ksft_ok "help: opens no netlink socket (a real command does)"
	else
		ksft_not_ok "help: opens no netlink socket (a real command does)" \
			"$(cat "$tmp/strace")"
	fi
else
	ksft_skipped "help: opens no netlink socket" "no strace"
fi

run -V
check "version: -V prints lsdp X.Y.Z" \
	bash -c '[ "$0" -eq 0 ] && [[ $1 =~ ^lsdp\ [0-9]+\.[0-9]+\.[0-9]+ ]]' "$rc" "$out"
run -Version
check "version: -Version too" \
	bash -c '[ "$0" -eq 0 ] && [[ $1 =~ ^lsdp\ [0-9]+\.[0-9]+\.[0-9]+ ]]' "$rc" "$out"

# ---------------------------------------------------------------------------
# Bad command lines: exact message, exit 1, usage hint on stderr only
# ---------------------------------------------------------------------------

expect_fail "args: no object" 'Error: missing OBJECT'
expect_fail "args: unknown object" 'Error: unknown object "frob"' frob
expect_fail "args: unknown command" 'Error: unknown command "frob"' switch frob
expect_fail "args: unknown port command" 'Error: unknown command "frob"' port frob
expect_fail "args: unknown option" 'Error: unknown option "-x"' -x switch show
expect_fail "args: -n without value" 'Error: "-n" requires a value' -n
expect_fail "args: -b without value" 'Error: "-b" requires a value' -b
expect_fail "args: switch add without name" 'Error: missing NAME' switch add
expect_fail "args: switch add without key" 'Error: "key" is required' switch add sw1
expect_fail "args: key without value" 'Error: "key" requires a value' switch add sw1 key
expect_fail "args: non-numeric key" 'Error: invalid key "abc"' switch add sw1 key abc
expect_fail "args: negative key" 'Error: invalid key "-1"' router add lr0 key -1
expect_fail "args: key beyond u32" 'Error: invalid key "4294967296"' switch add sw1 key 4294967296
expect_fail "args: key given twice" 'Error: duplicate "key"' switch add sw1 key 1 key 2
expect_fail "args: unknown keyword" 'Error: unknown argument "foo"' switch add sw1 key 1 foo
expect_fail "args: switch del extra argument" 'Error: unexpected argument "b"' switch del a b
expect_fail "args: switch show extra argument" 'Error: unexpected argument "b"' switch show a b
expect_fail "args: port add without datapath" 'Error: missing DATAPATH' port add
expect_fail "args: port add without name" 'Error: missing port NAME' port add sw1
expect_fail "args: port add without key" 'Error: "key" is required' port add sw1 p1
expect_fail "args: invalid MAC" 'Error: invalid MAC address "zz"' port add sw1 p1 key 1 mac zz
expect_fail "args: MAC too long" 'Error: invalid MAC address "00:00:00:00:00:00:01"' \
	port add sw1 p1 key 1 mac 00:00:00:00:00:00:01
expect_fail "args: MAC too short" 'Error: invalid MAC address "00:00:00:00:01"' \
	port add sw1 p1 key 1 mac 00:00:00:00:01
expect_fail "args: address with prefix" 'Error: invalid address "10.0.0.1/24"' \
	port add sw1 p1 key 1 ip 10.0.0.1/24
expect_fail "args: bad address" 'Error: invalid address "10.0.0.256"' \
	port add sw1 p1 key 1 ip 10.0.0.256
expect_fail "args: ip without value" 'Error: "ip" requires a value' port add sw1 p1 key 1 ip
expect_fail "args: bad port type" 'Error: invalid port type "foo"' port add sw1 p1 key 1 type foo
expect_fail "args: no such device" 'Error: no such device "lsdpnodev0"' \
	port add sw1 p1 key 1 dev lsdpnodev0
expect_fail "args: device name too long" \
	'Error: no such device "a-very-long-device-name"' port set p1 dev a-very-long-device-name
expect_fail "args: nodev on port add" 'Error: unknown argument "nodev"' port add sw1 p1 key 1 nodev
expect_fail "args: port set without name" 'Error: missing port NAME' port set
expect_fail "args: port set with nothing to change" 'Error: nothing to change' port set p1
expect_fail "args: ip and noip" 'Error: "noip" conflicts with "ip"' port set p1 ip 10.0.0.1 noip
expect_fail "args: noip and ip" 'Error: "ip" conflicts with "noip"' port set p1 noip ip 10.0.0.1
expect_fail "args: dev and nodev" 'Error: duplicate "dev"' port set p1 dev lo nodev
expect_fail "args: unknown and nounknown" 'Error: duplicate "unknown"' port set p1 unknown nounknown
expect_fail "args: security and nosecurity" 'Error: duplicate "security"' port set p1 nosecurity security
expect_fail "args: key on port set" 'Error: unknown argument "key"' port set p1 key 2
expect_fail "args: port del extra" 'Error: unexpected argument "x"' port del p1 x
expect_fail "args: stats show extra" 'Error: unexpected argument "x"' stats show p1 x
expect_fail "args: unknown stats command" 'Error: unknown command "clear"' stats clear
expect_fail "args: bad VLAN ID" 'Error: invalid VLAN ID "4096"' port add sw1 p1 key 1 vlan 4096
expect_fail "args: parent without tag" 'Error: "parent" requires "tag"' port add sw1 p1 key 1 parent vm1
expect_fail "args: tag without parent" 'Error: "tag" requires "parent"' port add sw1 p1 key 1 tag 10
expect_fail "args: bad network" 'Error: invalid network "10.0.0.1/33"' port add lr0 p1 key 1 net 10.0.0.1/33
expect_fail "args: network without prefix" 'Error: net needs ADDR/PREFIXLEN' port add lr0 p1 key 1 net 10.0.0.1
expect_fail "args: bad IPv6 network" 'Error: invalid network "2001:db8::1/129"' port add lr0 p1 key 1 net 2001:db8::1/129
expect_fail "args: peer without type router" 'Error: "peer" requires "type router"' port add sw1 p1 key 1 peer lrp1
expect_fail "args: router-port is not a type to ask for" 'Error: invalid port type "router-port"' \
	port add lr0 p1 key 1 type router-port
expect_fail "args: net and nonet" 'Error: "nonet" conflicts with "net"' port set p1 net 10.0.0.1/8 nonet
expect_fail "args: nonet on port add" 'Error: unknown argument "nonet"' port add lr0 p1 key 1 nonet
# route, neigh, hold: checked before anything is sent
expect_fail "args: route add without router" 'Error: missing ROUTER' route add
expect_fail "args: route add without prefix" 'Error: missing PREFIX' route add lr0
expect_fail "args: route add without port" 'Error: "port" is required' route add lr0 10.0.0.0/8 via 10.0.0.1
expect_fail "args: route prefix with host bits" \
	'Error: prefix "10.0.0.1/8" has host bits set (network 10.0.0.0/8)' route add lr0 10.0.0.1/8 port p1
expect_fail "args: route prefix length 33" 'Error: invalid prefix length in "10.0.0.0/33"' \
	route add lr0 10.0.0.0/33 port p1
expect_fail "args: route prefix length 129" 'Error: invalid prefix length in "fd00::/129"' \
	route add lr0 fd00::/129 port p1
expect_fail "args: route bad prefix" 'Error: invalid prefix "10.0.0/8"' route add lr0 10.0.0/8 port p1
expect_fail "args: route via of the other family" \
	'Error: "via fd00::1" is not of the family of the prefix' route add lr0 10.0.0.0/8 via fd00::1 port p1
expect_fail "args: route add unknown keyword" 'Error: unknown argument "metric"' \
	route add lr0 10.0.0.0/8 port p1 metric 1
expect_fail "args: route del extra" 'Error: unexpected argument "port"' route del lr0 10.0.0.0/8 port p1
expect_fail "args: neigh add without mac" 'Error: "mac" is required' neigh add lrp1 1.1.0.1
expect_fail "args: neigh add bad MAC" 'Error: invalid MAC address "00:00:01:00:00"' \
	neigh add lrp1 1.1.0.1 mac 00:00:01:00:00
expect_fail "args: neigh add bad address" 'Error: invalid address "1.1.0.1/32"' \
	neigh add lrp1 1.1.0.1/32 mac 00:00:01:00:00:01
expect_fail "args: neigh del extra" 'Error: unexpected argument "mac"' neigh del lrp1 1.1.0.1 mac 00:00:01:00:00:01
expect_fail "args: neigh flush extra" 'Error: unexpected argument "b"' neigh flush a b
expect_fail "args: hold set nothing" 'Error: nothing to change' hold set
expect_fail "args: hold set bad number" 'Error: invalid retries "-1"' hold set retries -1
expect_fail "args: hold set twice" 'Error: duplicate "stale"' hold set stale 1000 stale 2000
expect_fail "args: hold set unknown limit" 'Error: unknown argument "queue"' hold set queue 4
expect_fail "args: hold show extra" 'Error: unexpected argument "x"' hold show x
expect_fail "args: vlan on a trunk child" 'Error: "vlan" is a localnet port'"'"'s; a trunk child has "tag"' \
	port add sw1 child key 5 parent vm1 tag 10 vlan 3
expect_fail "args: novlan is for set" 'Error: unknown argument "novlan"' port add sw-ext ln key 2 novlan
expect_fail "args: port announce extra" 'Error: unexpected argument "x"' port announce p1 x
expect_fail "args: port announce without a name" 'Error: missing port NAME' port announce

run switch frob
check "args: usage hint goes to stderr" \
	bash -c '[ -z "$0" ] && grep -q "^Usage: lsdp switch" <<<"$1"' "$out" "$err"

# ---------------------------------------------------------------------------
# Batch parsing (needs no module: help lines and bad lines)
# ---------------------------------------------------------------------------

cat >"$tmp/good.batch" <<'EOF'
# a comment line

   # an indented comment
switch help    # a trailing comment
"port" 'help'
EOF
run -b "$tmp/good.batch"
check "batch: comments, blank lines, quotes" \
	bash -c '[ "$0" -eq 0 ] && [ -z "$2" ] && [ "$(grep -c "^Usage:" <<<"$1")" -eq 2 ]' \
	"$rc" "$out" "$err"

cat >"$tmp/bad.batch" <<'EOF'
switch help
# comment
frob
router help
EOF
run -b "$tmp/bad.batch"
check "batch: stops at the first bad line with (line N)" \
	bash -c '[ "$0" -eq 1 ] && [ "$2" = "Error: unknown object \"frob\" (line 3)" ] &&
		grep -q "lsdp switch" <<<"$1" && ! grep -q "lsdp router" <<<"$1"' \
	"$rc" "$out" "$err"
run -f -b "$tmp/bad.batch"
check "batch: -f goes on and still exits 1" \
	bash -c '[ "$0" -eq 1 ] && [ "$2" = "Error: unknown object \"frob\" (line 3)" ] &&
		grep -q "lsdp router" <<<"$1"' "$rc" "$out" "$err"

printf 'switch add sw1 key x\nport add sw1 p1 key 1 mac zz\nport set p1\nswitch add "unterminated key 1\n-j switch show\n' >"$tmp/bad2.batch"
run -f -b "$tmp/bad2.batch"
want=$(printf '%s\n' \
	'Error: invalid key "x" (line 1)' \
	'Error: invalid MAC address "zz" (line 2)' \
	'Error: nothing to change (line 3)' \
	'Error: unterminated quote (line 4)' \
	'Error: options are not allowed in a batch line: "-j" (line 5)')
if [ "$rc" -eq 1 ] && [ "$err" = "$want" ] && [ -z "$out" ]; then
	ksft_ok "batch: every bad line reported with its number, no usage noise"
else
	ksft_not_ok "batch: every bad line reported with its number, no usage noise" \
		"want: $want" "$(detail)"
fi

printf 'stats help\nport help\n' >"$tmp/stdin.batch"
CAPTURE_IN=$tmp/stdin.batch run -b -
check "batch: - reads stdin" \
	bash -c '[ "$0" -eq 0 ] && [ "$(grep -c "^Usage:" <<<"$1")" -eq 2 ]' "$rc" "$out"
expect_fail "batch: missing file" \
	"Error: cannot open \"$tmp/nonexistent\": No such file or directory" \
	-b "$tmp/nonexistent"
expect_fail "batch: no OBJECT with -b" 'Error: unexpected argument "switch" with -b' \
	-b "$tmp/good.batch" switch show
expect_ok "batch: empty file" -b /dev/null

# ---------------------------------------------------------------------------
# The man page renders without groff warnings
# ---------------------------------------------------------------------------

if command -v groff >/dev/null 2>&1; then
	page=$TOP/Documentation/lsdp.8
	if [ -f "$page" ] && groff -man -ww -z "$page" 2>"$tmp/groff" &&
	   [ ! -s "$tmp/groff" ]; then
		ksft_ok "man: lsdp.8 renders without warnings"
	else
		ksft_not_ok "man: lsdp.8 renders without warnings" "$(cat "$tmp/groff" 2>/dev/null)"
	fi
else
	ksft_skipped "man: lsdp.8 renders" "no groff"
fi

# ---------------------------------------------------------------------------
# Unit tests of the library (built by make -C userspace)
# ---------------------------------------------------------------------------

for t in json_test obj_test nl_test cli_test; do
	if [ -x "$TESTS_BIN/$t" ]; then
		if "$TESTS_BIN/$t" >"$tmp/unit" 2>&1; then
			ksft_ok "unit: $t ($(grep -c '^ok' "$tmp/unit") cases)"
		else
			ksft_not_ok "unit: $t" "$(grep -v '^ok' "$tmp/unit")"
		fi
	else
		ksft_skipped "unit: $t" "not built"
	fi
done

# ---------------------------------------------------------------------------
# -n NETNS
# ---------------------------------------------------------------------------

expect_fail "netns: missing namespace" \
	'Error: cannot open network namespace "lsdp-no-such-ns": No such file or directory' \
	-n lsdp-no-such-ns switch show

have_netns=
if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1; then
	NS=lsdpcli$$
	if ip netns add "$NS" 2>/dev/null; then
		have_netns=1
		ip -n "$NS" link set lo up
	else
		NS=
	fi
fi
# A device of this namespace that the new one does not have.
hostdev=
for d in /sys/class/net/*; do
	d=${d##*/}
	[ "$d" != lo ] && [ "$d" != "*" ] && { hostdev=$d; break; }
done

# ---------------------------------------------------------------------------
# Without the module
# ---------------------------------------------------------------------------

if ! lsdp_loaded; then
	msg='Error: lsdp module not loaded'
	expect_fail "no module: switch add" "$msg" switch add sw1 key 1
	expect_fail "no module: switch del" "$msg" switch del sw1
	expect_fail "no module: switch show" "$msg" switch show
	expect_fail "no module: switch show NAME" "$msg" switch show sw1
	expect_fail "no module: switch (default show)" "$msg" switch
	expect_fail "no module: router add" "$msg" router add lr0 key 10
	expect_fail "no module: router del" "$msg" router del lr0
	expect_fail "no module: router show" "$msg" router show
	expect_fail "no module: port add" "$msg" \
		port add sw1 p1 key 1 mac 00:00:01:00:00:01 ip 1.1.0.1 ip fd00::1 unknown security dev lo
	expect_fail "no module: port set" "$msg" port set p1 nodev noip nounknown nosecurity
	expect_fail "no module: port set ip" "$msg" port set p1 ip 10.0.0.1 ip 10.0.0.2 mac 02:00:00:00:00:01
	expect_fail "no module: port del" "$msg" port del p1
	expect_fail "no module: port show" "$msg" port show
	expect_fail "no module: port show NAME" "$msg" port show p1
	expect_fail "no module: stats show" "$msg" stats show
	expect_fail "no module: stats show NAME" "$msg" stats show sw1
	expect_fail "no module: -j -p port show" "$msg" -j -p port show
	expect_fail "no module: router port add" "$msg" \
		port add lr0 lrp1 key 1 mac 00:00:01:ff:00:01 net 1.1.254.254/16 net 2001:db8::1/64
	expect_fail "no module: router patch port add" "$msg" port add sw1 sw1-portr0 key 2 type router peer lrp1
	expect_fail "no module: route add" "$msg" route add lr0 default via 192.168.123.1 port lr0-ext
	expect_fail "no module: route del" "$msg" route del lr0 ::/0
	expect_fail "no module: route show" "$msg" route show
	expect_fail "no module: neigh add" "$msg" neigh add lrp1 1.1.0.1 mac 00:00:01:00:00:01
	expect_fail "no module: neigh show" "$msg" neigh show
	expect_fail "no module: neigh flush" "$msg" neigh flush lrp1
	expect_fail "no module: hold show" "$msg" hold show
	expect_fail "no module: hold set" "$msg" hold set retries 3 interval 1000ms
	printf 'switch add sw1 key 1\nport add sw1 p1 key 1\n' >"$tmp/nomod.batch"
	expect_fail "no module: batch stops at line 1" "$msg (line 1)" -b "$tmp/nomod.batch"
	run -f -b "$tmp/nomod.batch"
	check "no module: batch -f reports every line" \
		bash -c '[ "$0" -eq 1 ] && [ "$1" = "$2 (line 1)
$2 (line 2)" ]' "$rc" "$err" "$msg"
	if [ -n "$have_netns" ]; then
		expect_fail "no module: -n NETNS resolves dev inside it" "$msg" \
			-n "$NS" port add sw1 p1 key 1 dev lo
		if [ -n "$hostdev" ]; then
			expect_fail "no module: -n NETNS does not see this namespace's $hostdev" \
				"Error: no such device \"$hostdev\"" \
				-n "$NS" port add sw1 p1 key 1 dev "$hostdev"
		else
			ksft_skipped "no module: -n NETNS hides devices" "no device besides lo"
		fi
		expect_fail "no module: -n /run/netns/NETNS path" "$msg" \
			-n "/run/netns/$NS" switch show
	else
		ksft_skipped "no module: -n NETNS" "needs root and ip"
	fi
fi

# ---------------------------------------------------------------------------
# With the module: the full flow, in a fresh network namespace
# ---------------------------------------------------------------------------

functional() {
	local N=(-n "$NS") idx want i

	expect_out "flow: switch show in a new netns is empty" "" "${N[@]}" switch show
	expect_out "flow: -j switch show is []" "[]" "${N[@]}" -j switch show
	expect_ok "flow: switch add sw1 key 1" "${N[@]}" switch add sw1 key 1
	expect_ok "flow: router add lr0 key 10" "${N[@]}" router add lr0 key 10
	expect_out "flow: switch show table" \
		"$(printf 'NAME  KEY  KIND    PORTS\nsw1     1  switch      0')" \
		"${N[@]}" switch show
	expect_out "flow: -j switch show" \
		'[{"name":"sw1","key":1,"kind":"switch","ports":0}]' "${N[@]}" -j switch show
	expect_out "flow: -j router show" \
		'[{"name":"lr0","key":10,"kind":"router","ports":0}]' "${N[@]}" -j router show
	expect_out "flow: -j switch show NAME" \
		'[{"name":"sw1","key":1,"kind":"switch","ports":0}]' "${N[@]}" -j switch show sw1
	expect_fail "flow: switch show of a router" 'Error: "lr0" is not a switch' \
		"${N[@]}" switch show lr0
	expect_fail "flow: switch del of a router" 'Error: "lr0" is not a switch' \
		"${N[@]}" switch del lr0
	expect_fail "flow: router del of a switch" 'Error: "sw1" is not a router' \
		"${N[@]}" router del sw1
	expect_fail_re "flow: switch del of nothing: kernel text" '^Error: .*datapath' \
		"${N[@]}" switch del nosuch
	expect_fail_re "flow: duplicate datapath key" '^Error: .*' \
		"${N[@]}" switch add sw9 key 1
	expect_fail_re "flow: duplicate datapath name" '^Error: .*' \
		"${N[@]}" switch add sw1 key 9
	expect_fail_re "flow: datapath key 0: kernel range text" '^Error: .*range' \
		"${N[@]}" switch add bad key 0
	expect_fail_re "flow: datapath key 2^24: kernel range text" '^Error: .*range' \
		"${N[@]}" switch add bad key 16777216
	expect_fail_re "flow: name with a space: kernel text" '^Error: .*name' \
		"${N[@]}" switch add "a b" key 20

	modprobe veth 2>/dev/null
	if ! { ip -n "$NS" link add v1 type veth peer name v1p &&
		ip -n "$NS" link add v2 type veth peer name v2p &&
		ip -n "$NS" link set v1 up && ip -n "$NS" link set v1p up &&
		ip -n "$NS" link set v2 up && ip -n "$NS" link set v2p up; }; then
		ksft_not_ok "flow: veth pairs for the ports"
		return
	fi
	idx=$(ip netns exec "$NS" cat /sys/class/net/v1/ifindex)

	expect_ok "flow: port add (mac, ip v4+v6, unknown, security, dev)" "${N[@]}" \
		port add sw1 p1 key 1 mac 02:00:00:00:00:01 ip 10.0.0.1 ip fd00::1 \
		unknown security dev v1
	expect_ok "flow: port add unbound" "${N[@]}" \
		port add sw1 p2 key 2 mac 02:00:00:00:00:02 ip 10.0.0.2
	run "${N[@]}" -j port show p1
	expect_json "flow: -j port show NAME" \
		"[{\"name\":\"p1\",\"datapath\":\"sw1\",\"key\":1,\"type\":\"vif\",\"mac\":\"02:00:00:00:00:01\",\"addresses\":[\"10.0.0.1\",\"fd00::1\"],\"unknown\":true,\"security\":true,\"dev\":\"v1\",\"ifindex\":$idx}]"
	check "flow: -j is compact (one line, no blanks)" \
		bash -c '[ "$(wc -l <<<"$0")" -eq 1 ] && [[ $0 != *" "* ]]' "$out"
	run "${N[@]}" port show sw1
	expect_cells "flow: port show DATAPATH: the bound port's row" p1 \
		NAME=p1 DATAPATH=sw1 KEY=1 TYPE=vif MAC=02:00:00:00:00:01 \
		ADDRESSES=10.0.0.1,fd00::1 FLAGS=unknown,security DEV=v1
	expect_cells "flow: port show DATAPATH: the unbound port's row" p2 \
		NAME=p2 KEY=2 MAC=02:00:00:00:00:02 ADDRESSES=10.0.0.2 FLAGS=- DEV=-
	check "flow: port show DATAPATH: header and 2 rows" \
		bash -c '[ "$(wc -l <<<"$0")" -eq 3 ] &&
			[[ $(head -n1 <<<"$0") =~ ^NAME\ +DATAPATH\ +KEY\ +TYPE\ +MAC\ +ADDRESSES\ +FLAGS\ +DEV ]]' "$out"
	want=$out
	expect_out "flow: port show (all) is the same here" "$want" "${N[@]}" port show
	expect_out "flow: switch show counts ports" \
		'[{"name":"sw1","key":1,"kind":"switch","ports":2}]' "${N[@]}" -j switch show
	expect_out "flow: port show of a datapath without ports" "" "${N[@]}" port show lr0
	# A failed show must say why, not just exit 1.
	expect_fail "flow: chassis show of nothing" 'Error: no such chassis' \
		"${N[@]}" chassis show nosuch
	expect_fail "flow: port show of nothing" 'Error: no port or datapath "nosuch"' \
		"${N[@]}" port show nosuch
	run "${N[@]}" -j -p port show
	if command -v python3 >/dev/null 2>&1; then
		check "flow: -j -p port show is valid JSON with 2 ports" \
			python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==2 and d[1]["dev"] is None and d[1]["ifindex"]==0' "$tmp/out"
	else
		ksft_skipped "flow: -j -p port show is valid JSON" "no python3"
	fi

	expect_ok "flow: port set nodev" "${N[@]}" port set p1 nodev
	run "${N[@]}" -j port show p1
	expect_json "flow: unbound port shows dev null, ifindex 0" \
		'[{"name":"p1","addresses":["10.0.0.1","fd00::1"],"unknown":true,"security":true,"dev":null,"ifindex":0}]'
	expect_ok "flow: port set dev (rebind)" "${N[@]}" port set p1 dev v1
	expect_ok "flow: port set noip nounknown" "${N[@]}" port set p1 noip nounknown
	run "${N[@]}" -j port show p1
	expect_json "flow: noip empties the list" \
		"[{\"name\":\"p1\",\"addresses\":[],\"unknown\":false,\"security\":true,\"dev\":\"v1\",\"ifindex\":$idx}]"
	expect_ok "flow: port set ip replaces the list" "${N[@]}" port set p1 ip 10.0.0.11 ip 10.0.0.12
	run "${N[@]}" -j port show p1
	expect_json "flow: ... to exactly the new addresses" \
		'[{"name":"p1","addresses":["10.0.0.11","10.0.0.12"]}]'
	expect_fail_re "flow: device bound to another port: kernel text" '^Error: .*bound' \
		"${N[@]}" port add sw1 p3 key 3 dev v1
	expect_fail_re "flow: duplicate port key: kernel text" '^Error: .*key' \
		"${N[@]}" port add sw1 p3 key 1
	expect_fail_re "flow: port key 0: kernel range text" '^Error: .*range' \
		"${N[@]}" port add sw1 p3 key 0
	expect_fail_re "flow: port key 32768: kernel range text" '^Error: .*range' \
		"${N[@]}" port add sw1 p3 key 32768
	expect_fail_re "flow: multicast MAC: kernel text" '^Error: .*MAC' \
		"${N[@]}" port add sw1 p3 key 3 mac 01:00:5e:00:00:01
	expect_fail_re "flow: port on a missing datapath: kernel text" '^Error: .*datapath' \
		"${N[@]}" port add nosuch p3 key 3
	expect_fail_re "flow: port set of a missing port: kernel text" '^Error: .*port' \
		"${N[@]}" port set nosuch unknown
	expect_fail_re "flow: loopback cannot be bound: kernel text" '^Error: .*loopback' \
		"${N[@]}" port add sw1 p3 key 3 dev lo

	# A spoofed source MAC into p1 (port security on) is dropped and counted.
	ip -n "$NS" link set v1p address 02:00:00:00:00:99
	ip -n "$NS" addr add 10.0.0.50/24 dev v1p
	ip netns exec "$NS" ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null 2>&1
	run "${N[@]}" stats show p1
	check "flow: stats show: header and a port-security-mac drop" \
		bash -c 'head -n1 <<<"$0" | grep -q "^PORT *DATAPATH *RX_PACKETS *RX_BYTES *TX_PACKETS *TX_BYTES *DROPS *DROP_REASONS$" &&
			grep -q "^p1 .*port-security-mac:[1-9]" <<<"$0"' "$out"
	run "${N[@]}" -j stats show p1
	check "flow: -j stats show: every drop reason named, a count > 0" \
		python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert len(d)==1 and d[0]["port"]=="p1" and d[0]["datapath"]=="sw1"
names={"malformed","vlan","src-mcast","port-security-mac","port-security-ip","port-security-arp","port-security-nd","port-security-egress","no-dest","hairpin","unbound","dev-down","mtu","nomem","tx-error"}
assert names <= set(d[0]["drops"]), d[0]["drops"]
assert d[0]["drops"]["port-security-mac"] > 0
for k in ("rx_packets","rx_bytes","tx_packets","tx_bytes"): assert isinstance(d[0][k], int)' "$tmp/out"
	run "${N[@]}" stats show sw1
	check "flow: stats show DATAPATH: its ports and a total line" \
		bash -c '[ "$(wc -l <<<"$0")" -eq 4 ] && grep -q "^p2 " <<<"$0" &&
			grep -q "^(total) *sw1 .*port-security-mac:[1-9]" <<<"$0"' "$out"
	run "${N[@]}" -j stats show
	check "flow: -j stats show (all) lists 2 ports" \
		python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1])))==2' "$tmp/out"

	# Batch: 200 ports on one socket, then a failing line.
	for i in $(seq 1 200); do
		echo "port add sw1 bp$i key $((100 + i)) mac 02:00:00:01:$(printf '%02x:%02x' $((i / 256)) $((i % 256))) ip 10.1.$((i / 256)).$((i % 256))"
	done >"$tmp/ports.batch"
	expect_ok "flow: batch of 200 port adds" "${N[@]}" -b "$tmp/ports.batch"
	run "${N[@]}" -j port show sw1
	check "flow: ... all 200 are there" \
		python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1])))==202' "$tmp/out"
	printf 'port add sw1 b1 key 1001\n# dup key next\nport add sw1 b2 key 1001\nport add sw1 b3 key 1003\n' \
		>"$tmp/dup.batch"
	run "${N[@]}" -b "$tmp/dup.batch"
	check "flow: batch stops at a kernel error, with (line 3)" \
		bash -c '[ "$0" -eq 1 ] && [[ $1 =~ ^Error:\ .*\(line\ 3\)$ ]]' "$rc" "$err"
	expect_fail_re "flow: ... and did not run line 4" '^Error: no port or datapath' \
		"${N[@]}" port show b3
	expect_ok "flow: batch cleanup" "${N[@]}" port del b1
	run "${N[@]}" -f -b "$tmp/dup.batch"
	check "flow: batch -f runs line 4 and exits 1" \
		bash -c '[ "$0" -eq 1 ]' "$rc"
	expect_ok "flow: ... line 4 ran" "${N[@]}" port show b3

	# ---- Routers (kernel side of route/neigh/hold). ----
	# These need the router implementation of the module; while the kernel
	# answers EOPNOTSUPP for these commands they fail, by design.  Only the
	# kernel's documented extack texts are asserted.
	expect_ok "router: router port with networks" "${N[@]}" \
		port add lr0 lrp1 key 1 mac 00:00:01:ff:00:01 net 1.1.254.254/16 net 2001:db8::1/64
	expect_ok "router: switch-router patch" "${N[@]}" \
		port add sw1 sw1-portr0 key 900 type router peer lrp1
	run "${N[@]}" -j port show lrp1
	expect_json "router: -j port show: router-port, nets, peer" \
		'[{"name":"lrp1","datapath":"lr0","type":"router-port","mac":"00:00:01:ff:00:01","nets":["1.1.254.254/16","2001:db8::1/64"],"peer":"sw1-portr0"}]'
	run "${N[@]}" -j port show sw1-portr0
	expect_json "router: the switch side names its peer" \
		'[{"name":"sw1-portr0","type":"router","peer":"lrp1"}]'
	expect_fail_re "router: route add on a switch" '^Error: .*not a router' \
		"${N[@]}" route add sw1 10.9.0.0/16 port lrp1
	expect_fail_re "router: route add on no datapath" '^Error: .*no such datapath' \
		"${N[@]}" route add nosuch 10.9.0.0/16 port lrp1
	expect_fail_re "router: route add via no port" '^Error: .*no such port' \
		"${N[@]}" route add lr0 10.9.0.0/16 port nosuch
	expect_ok "router: route add" "${N[@]}" route add lr0 10.9.0.0/16 via 1.1.0.9 port lrp1
	expect_fail_re "router: duplicate route" '^Error: .*route already exists' \
		"${N[@]}" route add lr0 10.9.0.0/16 via 1.1.0.10 port lrp1
	expect_fail_re "router: connected route cannot be deleted" '^Error: connected route' \
		"${N[@]}" route del lr0 1.1.0.0/16
	run "${N[@]}" route show lr0
	check "router: route show: static and connected rows" \
		bash -c 'grep -q "^lr0 *10\.9\.0\.0/16 *1\.1\.0\.9 *lrp1 *static$" <<<"$0" &&
			grep -q "^lr0 *1\.1\.0\.0/16 *- *lrp1 *connected$" <<<"$0"' "$out"
	expect_fail_re "router: neigh add on a switch port" '^Error: .*not a router port' \
		"${N[@]}" neigh add p2 10.0.0.9 mac 02:00:00:00:00:09
	expect_ok "router: static neighbour" "${N[@]}" neigh add lrp1 1.1.0.9 mac 02:00:00:00:09:09
	run "${N[@]}" -j neigh show lrp1
	expect_json "router: -j neigh show: static binding" \
		'[{"port":"lrp1","address":"1.1.0.9","mac":"02:00:00:00:09:09","state":"static"}]'
	expect_ok "router: neigh flush" "${N[@]}" neigh flush lrp1
	expect_out "router: nothing left after the flush" "[]" "${N[@]}" -j neigh show lrp1
	expect_ok "router: hold set" "${N[@]}" hold set retries 2 interval 200
	run "${N[@]}" -j hold show
	check "router: -j hold show: the limits set, and the four parts" \
		python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["limits"]["retries"]==2 and d["limits"]["interval_ms"]==200, d["limits"]
for k in ("counters","latency","pending"): assert k in d, k' "$tmp/out"
	for i in $(seq 0 999); do
		echo "route add lr0 10.$((100 + i / 250)).$((i % 250)).0/24 port lrp1"
	done >"$tmp/routes.batch"
	expect_ok "router: batch of 1000 route adds" "${N[@]}" -b "$tmp/routes.batch"
	run "${N[@]}" -j route show lr0
	check "router: ... all 1000 are there (and the connected ones)" \
		python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1])))>=1002' "$tmp/out"
	expect_ok "router: port del of the patch" "${N[@]}" port del sw1-portr0
	expect_ok "router: port del of the router port" "${N[@]}" port del lrp1

	# Permissions: showing is open to all, changing needs CAP_NET_ADMIN.
	if command -v setpriv >/dev/null 2>&1; then
		capture ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$LSDP" switch add unpriv key 77
		check "flow: unprivileged change: Operation not permitted" \
			bash -c '[ "$0" -eq 1 ] && [ "$1" = "Error: Operation not permitted" ]' "$rc" "$err"
		capture ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$LSDP" switch show
		check "flow: unprivileged show works" \
			bash -c '[ "$0" -eq 0 ] && grep -q "^sw1 " <<<"$1"' "$rc" "$out"
	else
		ksft_skipped "flow: permissions" "no setpriv"
	fi

	# The bound netdev goes away: the port stays, unbound.
	ip -n "$NS" link del v1
	run "${N[@]}" -j port show p1
	expect_json "flow: netdev deleted while bound: port stays, unbound" \
		'[{"name":"p1","dev":null,"ifindex":0}]'
	expect_ok "flow: port del" "${N[@]}" port del p1
	expect_fail "flow: port show of the deleted port" 'Error: no port or datapath "p1"' \
		"${N[@]}" port show p1
	expect_fail_re "flow: port del again: kernel text" '^Error: .*port' \
		"${N[@]}" port del p1
	expect_ok "flow: switch del removes its ports" "${N[@]}" switch del sw1
	expect_out "flow: no ports left" "" "${N[@]}" port show
	expect_ok "flow: router del" "${N[@]}" router del lr0
	expect_out "flow: nothing left" "[]" "${N[@]}" -j switch show
}

lsdp_loaded || load_module
if lsdp_loaded; then
	if [ -n "$have_netns" ]; then
		functional
		ip netns del "$NS"
		NS=
		if [ -n "$loaded_by_us" ]; then
			if rmmod lsdp; then
				ksft_ok "flow: module unloads after the flow"
			else
				ksft_not_ok "flow: module unloads after the flow"
			fi
			loaded_by_us=
		fi
	else
		ksft_skipped "flow" "needs root and ip netns"
	fi
else
	ksft_skipped "flow: configuration with the module" "lsdp module not loaded (no lsdp.ko for $(uname -r))"
fi

ksft_exit
