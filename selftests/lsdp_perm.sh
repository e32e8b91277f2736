#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Permissions: changing state needs CAP_NET_ADMIN over the netns
# (GENL_UNS_ADMIN_PERM), showing is open to everyone.  A non-root user gets
# EPERM; root of a user namespace configures the netns it owns, and only it.
. "$(dirname "$0")/lib.sh"

lsdp_require

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

setup() {
	ip link del pm1 2>/dev/null
	ip link add pm1 type veth peer name pm1p && LINK_LIST+=(pm1) &&
	"$LSDP" switch add sw1 key 1 &&
	"$LSDP" port add sw1 p1 key 1 mac 02:00:00:00:03:01 ip 10.0.3.1 dev pm1
}

test_nonroot_changes() {
	local t="Operation not permitted"
	check_err "$t" $NOBODY "$LSDP" switch add sw2 key 2
	check_err "$t" $NOBODY "$LSDP" router add lr2 key 3
	check_err "$t" $NOBODY "$LSDP" switch del sw1
	check_err "$t" $NOBODY "$LSDP" port add sw1 p2 key 2
	check_err "$t" $NOBODY "$LSDP" port set p1 nosecurity unknown
	check_err "$t" $NOBODY "$LSDP" port set p1 nodev
	check_err "$t" $NOBODY "$LSDP" port del p1
	check_fails "sw2 must not exist" "$LSDP" switch show sw2
	check_eq "p1 still bound" pm1 "$(port_field p1 .dev)"
	check_eq "p1 still known-only" false "$(port_field p1 .unknown)"
}

test_nonroot_show() {
	local out
	out=$($NOBODY "$LSDP" -j switch show 2>&1)
	check_eq "non-root switch show" sw1 "$(printf '%s' "$out" | jq -r '.[0].name' 2>/dev/null)" || diag_output "$out"
	out=$($NOBODY "$LSDP" -j port show p1 2>&1)
	check_eq "non-root port show" pm1 "$(printf '%s' "$out" | jq -r '.[0].dev' 2>/dev/null)" || diag_output "$out"
	check_ok "non-root stats show" $NOBODY "$LSDP" stats show
	check_ok "non-root plain port show" $NOBODY "$LSDP" port show
}

# Commands run as root of a new user namespace owned by nobody.
in_userns() { # [unshare options...] -- script
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	$NOBODY unshare -U -r "${opts[@]}" bash -c "$1"
}

test_userns_own_netns() {
	local out
	out=$(in_userns -n -- "
		set -e
		ip link set lo up
		ip link add u1 type veth peer name u1p
		'$LSDP' switch add usw key 1
		'$LSDP' port add usw up1 key 1 mac 02:00:00:00:03:11 ip 10.0.3.11 security dev u1
		'$LSDP' port set up1 unknown
		'$LSDP' -j port show up1
		'$LSDP' port del up1
		'$LSDP' switch del usw
		'$LSDP' switch add usw2 key 1
		'$LSDP' -j switch show" 2>&1)
	local rc=$?
	if [ $rc -ne 0 ]; then
		fail "userns root could not configure its own netns (exit $rc)"
		diag_output "$out"
		return 1
	fi
	check_eq "port seen in the userns netns" u1 \
		"$(printf '%s\n' "$out" | grep up1 | jq -r '.[0].dev' 2>/dev/null)"
	check_eq "only its own switch in the userns netns" usw2 \
		"$(printf '%s\n' "$out" | grep usw2 | jq -r 'map(.name) | join(",")' 2>/dev/null)"
	check_fails "userns objects not in the init netns" "$LSDP" switch show usw2
	check_eq "init netns keeps only sw1" sw1 "$("$LSDP" -j switch show | jq -r 'map(.name) | join(",")')"
}

test_userns_not_init_netns() {
	local t="Operation not permitted"
	# Root of a user namespace but still in the init netns.
	check_err "$t" in_userns -- "'$LSDP' switch add ux key 9"
	check_err "$t" in_userns -- "'$LSDP' port set p1 nodev"
	check_err "$t" in_userns -- "'$LSDP' port del p1"
	check_ok "userns root may show the init netns" in_userns -- "'$LSDP' switch show"
	check_fails "ux must not exist" "$LSDP" switch show ux
	check_eq "p1 still bound" pm1 "$(port_field p1 .dev)"
	# Real root can configure another netns by name (-n).
	ns_create permns
	check_ok "lsdp -n permns switch add" "$LSDP" -n permns switch add nsw key 1
	check_eq "switch in permns" nsw "$("$LSDP" -n permns -j switch show | jq -r '.[0].name')"
	check_fails "nsw not in the init netns" "$LSDP" switch show nsw
	check_fails "non-root cannot use -n to change permns" $NOBODY "$LSDP" -n permns switch del nsw
	check_eq "nsw still in permns" nsw "$("$LSDP" -n permns -j switch show | jq -r ".[0].name")"
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "perm: non-root user gets EPERM on every change" test_nonroot_changes
run_test "perm: non-root user can show" test_nonroot_show
run_test "perm: userns root configures its own netns" test_userns_own_netns
run_test "perm: userns root cannot change the init netns" test_userns_not_init_netns
ksft_exit
