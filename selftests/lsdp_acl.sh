#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ACLs with OVN's semantics (issue 15): seed 003's three ACLs verbatim,
# stateful (nf_conntrack, a zone per port) TCP and UDP both ways, reject
# (TCP RST, ICMP port unreachable), a port group of 3 ports and an address
# set of 1000 addresses changed under traffic, bad input for every new
# command, and unloading with conntrack entries alive.  The hosts: see
# acl_lib.sh.  Conntrack across ACL changes, the reject rate limit and
# zone flushes: lsdp_acl_ct.sh.
. "$(dirname "$0")/lib.sh"
# shellcheck source=selftests/acl_lib.sh
. "$(dirname "$0")/acl_lib.sh"

lsdp_require

test_no_acl() {
	check_ok "ping h1 -> h3 without ACLs" ping_ok h1 192.168.0.13 2
	conn_is "TCP h1 -> h3 without ACLs" 0 h1 tcp 192.168.0.13 5000
	check_eq "no ACLs listed" "[]" "$("$LSDP" -j acl show)"
}

# Seed 003, verbatim: fr3p may start anything, receive only ICMP.
test_seed003() {
	local d
	check_ok "acl 1" acl add fnet dir from-lport prio 1002 match '(inport == "fr3p" && ip)' action allow-related
	check_ok "acl 2" acl add fnet dir to-lport prio 1002 match '(outport == "fr3p" && ip && icmp)' action allow-related
	check_ok "acl 3" acl add fnet dir to-lport prio 1001 match '(outport == "fr3p" && ip)' action drop
	check_ok "ICMP to fr3p passes" ping_ok h1 192.168.0.13 3
	check_ok "ICMPv6 (and ND) to fr3p passes" ping_ok h1 fd00::13 2
	d=$(counter fr3p acl-drop)
	conn_is "TCP h1 -> fr3p dropped" 1 h1 tcp 192.168.0.13 5000
	conn_is "UDP h1 -> fr3p dropped" 1 h1 udp 192.168.0.13 5000
	conn_is "TCP over IPv6 h1 -> fr3p dropped" 1 h1 tcp fd00::13 5000
	check_ge "fr3p counts acl-drop" $((d + 3)) "$(counter fr3p acl-drop)"
	check_ge "the drop ACL counted its hits" 3 "$(acl_hits to-lport 1001)"
	check_ge "the ICMP ACL counted its hits" 3 "$(acl_hits to-lport 1002)"
	conn_is "fr3p's own TCP connection: replies pass" 0 h3 tcp 192.168.0.11 5000
	conn_is "fr3p's own UDP exchange: replies pass" 0 h3 udp 192.168.0.11 5000
	conn_is "fr3p's own TCP over IPv6: replies pass" 0 h3 tcp fd00::12 5000
	conn_is "other ports unaffected (TCP h1 -> h2)" 0 h1 tcp 192.168.0.12 5000
	check_ge "from-lport ACL counted fr3p's connections" 3 "$(acl_hits from-lport 1002)"
	check_eq "nothing ct-invalid" 0 "$(counter fr3p ct-invalid)"
	"$LSDP" acl show fnet | grep -q 'outport == "fr3p" && eth.type == {0x0800, 0x86dd} && ip.proto == {1, 58}' ||
		fail "acl show lacks the compiled match: $("$LSDP" acl show fnet)"
	check_ok "acl del fnet (all)" acl del fnet
	conn_is "TCP h1 -> fr3p passes again" 0 h1 tcp 192.168.0.13 5000
}

# allow-related into fr2p on port 5000 only; fr2p may start nothing.
test_stateful() {
	local p
	check_ok "allow-related" acl add fnet dir to-lport prio 1001 \
		match 'outport == "fr2p" && ip && ip.proto == {6, 17} && l4.dst == 5000' action allow-related
	check_ok "to-lport drop" acl add fnet dir to-lport prio 1000 match 'outport == "fr2p" && ip' action drop
	check_ok "from-lport drop" acl add fnet dir from-lport prio 1000 match 'inport == "fr2p" && ip' action drop name fr2p-out
	for p in tcp udp; do
		conn_is "$p h1 -> fr2p:5000 allowed, reply passes fr2p's from-lport drop" 0 h1 $p 192.168.0.12 5000
		conn_is "$p over IPv6 h1 -> fr2p:5000" 0 h1 $p fd00::12 5000
		conn_is "$p fr2p -> h1 dropped (fr2p starts nothing)" 1 h2 $p 192.168.0.11 5000
	done
	conn_is "TCP h1 -> fr2p:6000 dropped" 1 h1 tcp 192.168.0.12 6000
	check_ge "fr2p counts acl-drop" 3 "$(counter fr2p acl-drop)"
	check_eq "named ACL listed" fr2p-out \
		"$("$LSDP" -j acl show fnet | jq -r 'map(select(.dir == "from-lport")) | first | .name')"
	check_ok "acl del by name" acl del fnet name fr2p-out
	conn_is "fr2p -> h1 passes once its drop is gone" 0 h2 tcp 192.168.0.11 5000
	check_ok "acl del by direction and priority" acl del fnet dir to-lport prio 1000
	conn_is "h1 -> fr2p:6000 passes once the drop is gone" 0 h1 tcp 192.168.0.12 6000
	check_ok "acl del fnet" acl del fnet
}

# An ACL that now drops an established connection blocks its replies too.
test_ct_acl_change() {
	check_ok "allow-related from h1" acl add fnet dir from-lport prio 1000 match 'inport == "fr1p" && ip4' action allow-related
	conn_is "UDP h1 -> h2 allowed" 0 h1 udp 192.168.0.12 5000
	check_ok "allow-stateless to h4" acl add fnet dir to-lport prio 1100 match 'outport == "fr4p" && ip4' action allow-stateless
	conn_is "UDP h1 -> h4 through allow-stateless" 0 h1 udp 192.168.0.14 5000
	check_ok "acl del fnet" acl del fnet
}

test_reject() {
	local d
	check_ok "reject TCP 6000" acl add fnet dir to-lport prio 1000 match 'outport == "fr2p" && tcp.dst == 6000' action reject
	check_ok "reject UDP 6001" acl add fnet dir to-lport prio 1000 match 'outport == "fr2p" && udp.dst == 6001' action reject
	check_ok "reject from h4" acl add fnet dir from-lport prio 1000 match 'inport == "fr4p" && tcp' action reject
	d=$(counter fr2p acl-reject)
	conn_is "TCP to a rejected port: RST (refused)" 2 h1 tcp 192.168.0.12 6000
	conn_is "TCP over IPv6 to a rejected port: RST" 2 h1 tcp fd00::12 6000
	conn_is "UDP to a rejected port: ICMP port unreachable" 2 h1 udp 192.168.0.12 6001
	conn_is "UDP over IPv6: ICMPv6 port unreachable" 2 h1 udp fd00::12 6001
	conn_is "from-lport reject: RST back to h4" 2 h4 tcp 192.168.0.11 5000
	check_eq "fr2p counts acl-reject" $((d + 4)) "$(counter fr2p acl-reject)"
	check_ge "fr4p counts acl-reject" 1 "$(counter fr4p acl-reject)"
	conn_is "TCP 5000 to fr2p unaffected" 0 h1 tcp 192.168.0.12 5000
	check_ok "acl del fnet" acl del fnet
}

test_port_group() {
	local n
	check_ok "pg add pg1 of 3 ports" "$LSDP" pg add pg1 fr1p fr2p fr4p
	check_eq "pg show lists 3 ports" 3 "$("$LSDP" -j pg show pg1 | jq '.[0].ports | length')"
	check_ok "ACL on @pg1" acl add @pg1 dir to-lport prio 1000 match 'outport == @pg1 && icmp4 && icmp4.type == 8' action drop
	for n in 11 12 14; do
		check_ok "echo request to pg member .$n dropped" ping_fails h3 192.168.0.$n
	done
	check_ok "member pings non-member (h1 -> h3)" ping_ok h1 192.168.0.13 2
	# h1 -> h3 is not the group's business: it flows on while it changes.
	bg_ping h1 192.168.0.13
	check_ok "pg set pg1 fr1p fr2p" "$LSDP" pg set pg1 fr1p fr2p
	check_ok "fr4p left the group: ping passes" ping_ok h3 192.168.0.14 2
	check_ok "fr1p still a member: dropped" ping_fails h3 192.168.0.11
	check_ok "pg set pg1 fr1p fr2p fr4p" "$LSDP" pg set pg1 fr1p fr2p fr4p
	check_ok "fr4p back in the group: dropped" ping_fails h3 192.168.0.14
	check_ok "pg set pg1 fr1p fr2p" "$LSDP" pg set pg1 fr1p fr2p
	bg_ping_lost "h1 -> h3 while pg1 changed"
	check_eq "acl show @pg1" 1 "$("$LSDP" -j acl show @pg1 | jq length)"
	check_ok "pg del pg1 (its ACL goes too)" "$LSDP" pg del pg1
	check_eq "no ACL left" "[]" "$("$LSDP" -j acl show)"
	check_ok "ping fr1p passes again" ping_ok h3 192.168.0.11 2
}

test_address_set() {
	local i args=()
	for i in $(seq 0 999); do args+=("10.1.$((i / 250)).$((i % 250 + 1))"); done
	check_ok "as add as1 with 1000 addresses" "$LSDP" as add as1 "${args[@]}"
	check_eq "as1 has 1000 members" 1000 "$("$LSDP" -j as show as1 | jq '.[0].count')"
	check_eq "as show as1 lists them" 1000 "$("$LSDP" -j as show as1 | jq '.[0].members | length')"
	check_ok "ACL with \$as1" acl add fnet dir to-lport prio 1000 match 'outport == "fr1p" && ip4.src == $as1' action drop
	check_ok "h3 not in the set: passes" ping_ok h3 192.168.0.11 2
	# Under traffic: h4 (never in the set) pings fr1p all along while
	# the set changes, and must lose nothing.
	bg_ping h4 192.168.0.11
	check_ok "as member add as1 192.168.0.13" "$LSDP" as member add as1 192.168.0.13
	check_ok "h3 in the set: dropped" ping_fails h3 192.168.0.11
	check_ok "as member del as1 192.168.0.13" "$LSDP" as member del as1 192.168.0.13
	check_ok "h3 out of the set: passes" ping_ok h3 192.168.0.11 2
	# .12/31 holds h3 (.13) but not h4 (.14), whose pings go on.
	check_ok "as member add as1 192.168.0.12/31 (a CIDR)" "$LSDP" as member add as1 192.168.0.12/31
	check_ok "h3 in the CIDR: dropped" ping_fails h3 192.168.0.11
	check_ok "as member del as1 192.168.0.12/31" "$LSDP" as member del as1 192.168.0.12/31
	check_ok "passes again" ping_ok h3 192.168.0.11 2
	bg_ping_lost "h4 -> fr1p while as1 changed"
	check_eq "as1 back to 1000" 1000 "$("$LSDP" -j as show | jq '.[] | select(.name == "as1") | .count')"
	check_ge "fr1p counted acl-drop" 1 "$(counter fr1p acl-drop)"
	check_ok "acl del fnet" acl del fnet
	check_ok "as del as1" "$LSDP" as del as1
}

test_bad_input() {
	local L=$LSDP
	"$L" pg add pgref fr1p && "$L" as add asref 10.9.9.9 || return 1
	"$L" acl add fnet dir to-lport prio 5 match 'outport == @pgref && ip4.src == $asref' action drop || return 1
	check_err "no such switch" "$L" acl add nosuch dir from-lport prio 1 match ip action drop
	check_err "no such port group" "$L" acl add @nosuch dir from-lport prio 1 match ip action drop
	check_err "invalid direction \"sideways\"" "$L" acl add fnet dir sideways prio 1 match ip action drop
	check_err "invalid priority \"40000\"" "$L" acl add fnet dir to-lport prio 40000 match ip action drop
	check_err "invalid action \"jump\"" "$L" acl add fnet dir to-lport prio 1 match ip action jump
	check_err '"action" is required' "$L" acl add fnet dir to-lport prio 1 match ip
	check_err '"match" is required' "$L" acl add fnet dir to-lport prio 1 action drop
	check_err "match: expected an IPv4 address or CIDR, at position 12 ('1.2.3')" \
		"$L" acl add fnet dir to-lport prio 1 match 'ip4.src == 1.2.3' action drop
	check_err "match: unknown field or macro, at position 8 ('ip5')" \
		"$L" acl add fnet dir to-lport prio 1 match 'ip4 && ip5' action drop
	check_err "match: || joins only tests of one field" \
		"$L" acl add fnet dir to-lport prio 1 match 'tcp.dst == 1 || ip4.src == 1.1.1.1' action drop
	check_err "no such address set" "$L" acl add fnet dir to-lport prio 1 match 'ip4.src == $nosuch' action drop
	check_err "no such port group" "$L" acl add fnet dir to-lport prio 1 match 'inport == @nosuch' action drop
	check_err "duplicate \"prio\"" "$L" acl add fnet dir to-lport prio 1 prio 2 match ip action drop
	check_err "no such ACL" "$L" acl del fnet prio 4242
	check_err "unexpected argument \"frob\"" "$L" acl show fnet frob
	check_err "no such switch" "$L" acl show nosuch
	check_err "no such switch port" "$L" pg add pgx nosuchport
	check_err "port group already exists" "$L" pg add pgref
	check_err "no such port group" "$L" pg set nosuch fr1p
	check_err "missing PORT" "$L" pg set pgref
	check_err "no such port group" "$L" pg del nosuch
	check_err "port group is used in an ACL's match" "$L" pg del pgref
	check_err "no such port group" "$L" pg show nosuch
	check_err "address set already exists" "$L" as add asref
	check_err "invalid address or CIDR \"1.2.3.4.5\"" "$L" as add asx 1.2.3.4.5
	check_err "address is not in the set" "$L" as member del asref 9.9.9.9
	check_err "expected add or del" "$L" as member frob asref 1.1.1.1
	check_err "missing ADDR" "$L" as member add asref
	check_err "no such address set" "$L" as member add nosuch 1.1.1.1
	check_err "address set is used by an ACL" "$L" as del asref
	check_err "no such address set" "$L" as show nosuch
	check_err "address set name must be 1..63 printable characters" "$L" as add "bad name"
	check_ok "as add asempty (no members)" "$L" as add asempty
	check_eq "an empty set shows 0 members" 0 "$("$L" -j as show asempty | jq '.[0].count')"
	check_ok "as del asempty" "$L" as del asempty
	# Nothing half-done: the set and the group are as they were.
	check_eq "asref still has 1 member" 1 "$("$L" -j as show asref | jq '.[0].count')"
	check_eq "pgref still has fr1p" fr1p "$("$L" -j pg show pgref | jq -r '.[0].ports[0]')"
	check_ok "acl del fnet" "$L" acl del fnet
	check_ok "pg del pgref" "$L" pg del pgref
	check_ok "as del asref" "$L" as del asref
}

# Deleting a port named by a group and an ACL, and the switch with ACLs.
test_lifecycle() {
	check_ok "pg add pgl" "$LSDP" pg add pgl fr4p
	check_ok "ACL on @pgl" acl add @pgl dir to-lport prio 10 match 'outport == @pgl && ip' action drop
	check_ok "ACL naming fr4p" acl add fnet dir from-lport prio 10 match 'inport == "fr4p" && ip' action allow-related
	check_ok "port del fr4p" "$LSDP" port del fr4p
	check_eq "fr4p left pgl" 0 "$("$LSDP" -j pg show pgl | jq '.[0].ports | length')"
	check_ok "port add fr4p again" "$LSDP" port add fnet fr4p key 4 mac fa:16:00:00:00:14 ip 192.168.0.14 dev tap4
	check_ok "fr4p not in pgl any more: ping passes" ping_ok h1 192.168.0.14 2
	check_ok "pg del pgl" "$LSDP" pg del pgl
	check_ok "acl del fnet" acl del fnet
}

# Conntrack entries in lsdp's zones outlive the module.
test_unload_ct() {
	local n
	check_ok "allow-related" acl add fnet dir from-lport prio 10 match 'inport == "fr1p" && ip' action allow-related
	conn_is "TCP h1 -> h2" 0 h1 tcp 192.168.0.12 5000
	conn_is "UDP h1 -> h2" 0 h1 udp 192.168.0.12 5000
	if [ -r /proc/net/nf_conntrack ]; then
		n=$(grep -c 'zone=' /proc/net/nf_conntrack)
		check_ge "conntrack entries in lsdp's zones" 2 "$n"
	else
		diag "no /proc/net/nf_conntrack: entries not counted"
	fi
	check_ok "rmmod lsdp with conntrack entries alive" lsdp_unload
	check_ok "insmod lsdp again" lsdp_load
	check_ok "and rmmod again" lsdp_unload
}

# ACLs go into and out of the published classifier in place: priority
# order holds whatever the order of adds and deletes, across masks and
# within one (the same masked value), cached verdicts never outlive a
# change, and 1001 ACLs of one mask (its buckets grow by copies) install
# and delete one by one.
test_incremental() {
	local f i
	check_ok "low allow" acl add fnet dir to-lport prio 100 \
		match 'outport == "fr3p" && ip4 && tcp.dst == 5000' action allow name inc-lo
	conn_is "TCP h1 -> fr3p:5000 allowed" 0 h1 tcp 192.168.0.13 5000
	check_ok "a higher drop, another mask" acl add fnet dir to-lport prio 200 \
		match 'outport == "fr3p" && ip4.src == 192.168.0.11' action drop name inc-hi
	conn_is "the higher drop wins" 1 h1 tcp 192.168.0.13 5000
	check_ok "the highest allow, the low allow's match" acl add fnet dir to-lport prio 300 \
		match 'outport == "fr3p" && ip4 && tcp.dst == 5000' action allow name inc-top
	conn_is "the highest allow wins" 0 h1 tcp 192.168.0.13 5000
	check_ok "acl del the highest" acl del fnet name inc-top
	conn_is "the drop again" 1 h1 tcp 192.168.0.13 5000
	check_ok "acl del the drop" acl del fnet name inc-hi
	conn_is "the low allow again" 0 h1 tcp 192.168.0.13 5000
	f=$(mktemp /tmp/lsdp-inc.XXXXXX)
	for i in $(seq 1 1000); do
		echo "acl add fnet dir to-lport prio 150 match 'outport == \"fr3p\" && ip4.src == 10.$((i / 250)).$((i % 250)).7 && tcp.dst == 5000' action drop"
	done >"$f"
	echo "acl add fnet dir to-lport prio 150 match 'outport == \"fr3p\" && ip4.src == 192.168.0.11 && tcp.dst == 5000' action drop name inc-mid" >>"$f"
	check_ok "1001 ACLs of one mask in one batch" "$LSDP" -b "$f"
	check_eq "all listed" 1002 "$("$LSDP" -j acl show fnet | jq length)"
	conn_is "h1's among them: dropped" 1 h1 tcp 192.168.0.13 5000
	conn_is "h2 still allowed" 0 h2 tcp 192.168.0.13 5000
	check_ok "acl del h1's" acl del fnet name inc-mid
	conn_is "h1 allowed once it went" 0 h1 tcp 192.168.0.13 5000
	check_ok "acl del fnet (all)" acl del fnet
	check_eq "none left" "[]" "$("$LSDP" -j acl show fnet)"
	conn_is "TCP to fr3p without ACLs" 0 h1 tcp 192.168.0.13 5000
	rm -f "$f"
}

# Dumps larger than one message resume after the last object sent.
test_big_dumps() {
	local f i
	f=$(mktemp /tmp/lsdp-dumps.XXXXXX)
	for i in $(seq 1 400); do
		echo "as add dumpas$i 10.$((i / 250)).$((i % 250)).1" >>"$f"
		echo "acl add fnet dir to-lport prio $i match 'ip4.src == 10.9.$((i / 250)).$((i % 250))' action allow name dumpacl$i" >>"$f"
	done
	check_ok "400 address sets and 400 ACLs in one batch" "$LSDP" -b "$f"
	check_eq "the set dump lists each once" 400 \
		"$("$LSDP" -j as show | jq '[.[] | select(.name | startswith("dumpas"))] | unique_by(.name) | length')"
	check_eq "the ACL dump lists each once" 400 \
		"$("$LSDP" -j acl show fnet | jq '[.[] | select(.name // "" | startswith("dumpacl"))] | unique_by(.name) | length')"
	check_ok "acl del fnet" "$LSDP" acl del fnet
	: >"$f"
	for i in $(seq 1 400); do echo "as del dumpas$i" >>"$f"; done
	check_ok "the sets deleted" "$LSDP" -b "$f"
	rm -f "$f"
}

trap cleanup EXIT
if ! setup; then
	ksft_abort "setup failed"
fi
run_test "acl: a switch without ACLs forwards as before" test_no_acl
run_test "acl: seed 003's three ACLs verbatim" test_seed003
run_test "acl: allow-related TCP and UDP, replies pass both ways" test_stateful
run_test "acl: allow-related and allow-stateless side by side" test_ct_acl_change
run_test "acl: reject answers TCP RST / ICMP port unreachable" test_reject
run_test "acl: a port group of 3 ports, members changed" test_port_group
run_test "acl: an address set of 1000 addresses changed under traffic" test_address_set
run_test "acl: bad input for every new command" test_bad_input
run_test "acl: deleting and re-adding a port named by ACLs and a group" test_lifecycle
run_test "acl: ACLs added and deleted in place keep priority order" test_incremental
run_test "acl: dumps of 400 sets and ACLs resume where they stopped" test_big_dumps
run_test "acl: rmmod with conntrack entries alive" test_unload_ct
ksft_exit
