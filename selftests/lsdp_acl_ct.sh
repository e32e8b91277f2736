#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ACLs and conntrack (issue 15), beside lsdp_acl.sh on the same hosts
# (acl_lib.sh): established connections across ACL changes as OVN handles
# them (ct_mark.blocked), the reject rate limit, and a deleted port's zone
# flushed.
. "$(dirname "$0")/lib.sh"
# shellcheck source=selftests/acl_lib.sh
. "$(dirname "$0")/acl_lib.sh"

lsdp_require

# ct_blocked PROTO: conntrack entries of h1's connections to port 5000
# whose mark has OVN's "blocked" bit (ct_mark bit 0) set.
ct_blocked() {
	awk -v p="$1" '$3 == p && /src=192\.168\.0\.11 / && / dport=5000 / &&
		match($0, / mark=[0-9]+/) && substr($0, RSTART + 6, RLENGTH - 6) % 2 == 1' \
		/proc/net/nf_conntrack | wc -l
}

# OVN applies ACL changes to established connections (since OVS 2.6's
# "ovn: Apply ACL changes to existing connections"): packets of the
# original direction still go through the ACLs; one that now hits a drop
# marks its connection blocked (ct_mark.blocked), so its replies are
# dropped too; allowed again (an allow ACL, or no ACL matching), it is
# committed unblocked and resumes without a reset.  An ACL replaced by
# one that still allows the connection changes nothing for it.
test_ct_survives_change() {
	local d
	if [ ! -r /proc/net/nf_conntrack ]; then
		fail "no /proc/net/nf_conntrack: conntrack marks cannot be read"
		return 1
	fi
	check_ok "allow-related TCP/UDP 5000 to fr2p" acl add fnet dir to-lport prio 1001 \
		match 'outport == "fr2p" && ip4 && ip.proto == {6, 17} && l4.dst == 5000' \
		action allow-related name keep
	check_ok "drop the rest to fr2p" acl add fnet dir to-lport prio 1000 match 'outport == "fr2p" && ip' action drop
	# Keeps the switch stateful when no allow-related of fr2p is left.
	check_ok "an allow-related elsewhere" acl add fnet dir from-lport prio 1000 \
		match 'inport == "fr3p" && ip' action allow-related
	agent_is "TCP connection h1 -> fr2p:5000 opens" 0 h1 open c1 tcp 192.168.0.12 5000 2
	agent_is "UDP flow h1 -> fr2p:5000 starts" 0 h1 open u1 udp 192.168.0.12 5000 2
	check_eq "nothing blocked yet" 00 "$(ct_blocked tcp)$(ct_blocked udp)" || return 1

	# Replaced by an ACL that allows the TCP connection but not UDP.
	check_ok "a replacement ACL for TCP" acl add fnet dir to-lport prio 1002 \
		match 'outport == "fr2p" && ip4.src == 192.168.0.0/24 && tcp.dst == 5000' \
		action allow-related name keep2
	check_ok "the original ACL deleted" acl del fnet name keep
	d=$(counter fr2p acl-drop)
	agent_is "the TCP connection survives the replacement" 0 h1 send c1 5
	agent_is "the UDP flow, now matching the drop, is dropped" 1 h1 send u1 2
	check_ge "fr2p counted the UDP drop" $((d + 1)) "$(counter fr2p acl-drop)"
	check_eq "the UDP connection is marked blocked" 1 "$(ct_blocked udp)"
	check_eq "the TCP connection is not" 0 "$(ct_blocked tcp)"

	check_ok "the TCP ACL deleted too" acl del fnet name keep2
	agent_is "the established TCP connection is now dropped" 1 h1 send c1 2
	check_eq "and marked blocked" 1 "$(ct_blocked tcp)"
	conn_is "a new TCP connection is dropped" 1 h1 tcp 192.168.0.12 5000

	# Allowed again: both resume where they were (TCP retransmits).
	check_ok "allow-related again" acl add fnet dir to-lport prio 1001 \
		match 'outport == "fr2p" && ip4 && ip.proto == {6, 17} && l4.dst == 5000' action allow-related
	agent_is "the blocked TCP connection resumes" 0 h1 send c1 30
	agent_is "the blocked UDP flow resumes" 0 h1 send u1 2
	check_eq "nothing blocked any more" 00 "$(ct_blocked tcp)$(ct_blocked udp)"
	check_ok "acl del fnet" acl del fnet
	agent_is "no ACLs: the TCP connection goes on" 0 h1 send c1 5
	agent h1 close c1
	agent h1 close u1
	return 0
}

# Rejects are answered at most 100 times a second per netns (the
# datapath's ICMP error budget, which TCP RSTs share), and each rejected
# packet is counted whether answered or not.
icmp_unreach_in() { # NS: IcmpInDestUnreachs of NS
	ip netns exec "$1" awk '/^Icmp:/ { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["InDestUnreachs"] }' /proc/net/snmp
}

test_reject_rate() {
	local r u secs got n=1000
	check_ok "reject UDP 6001" acl add fnet dir to-lport prio 1000 match 'outport == "fr2p" && udp.dst == 6001' action reject
	check_ok "h1 knows fr2p's MAC" ping_ok h1 192.168.0.12 1
	r=$(counter fr2p acl-reject)
	u=$(icmp_unreach_in h1)
	secs=$(ip netns exec h1 $CONN burst udp 192.168.0.12 6001 $n) || return 1
	sleep 1
	got=$(($(icmp_unreach_in h1) - u))
	diag "$n datagrams in ${secs}s: $got port unreachables came back"
	check_eq "every datagram counted as acl-reject" $((r + n)) "$(counter fr2p acl-reject)"
	check_ge "rejects are answered" 1 "$got"
	check_le "at most 100 answers a second (burst of ${secs}s)" $((100 * (${secs%.*} + 2))) "$got"
	check_ok "acl del fnet" acl del fnet
}

# ct_count REGEX: conntrack entries (all zones) whose line matches REGEX.
ct_count() {
	grep -cE -- "$1" /proc/net/nf_conntrack
}

# A port's zone is flushed when the port goes (its number may be given to
# the next port), and no other zone is touched.
test_zone_flush() {
	local to2='^ipv4 +2 udp .* src=192\.168\.0\.13 dst=192\.168\.0\.12 sport=[0-9]+ dport=5000 '
	local to4='^ipv4 +2 udp .* src=192\.168\.0\.11 dst=192\.168\.0\.14 sport=[0-9]+ dport=5000 '

	if [ ! -r /proc/net/nf_conntrack ]; then
		fail "no /proc/net/nf_conntrack: conntrack entries cannot be counted"
		return 1
	fi
	check_ok "a stateful switch" acl add fnet dir from-lport prio 1000 \
		match 'inport == "fr3p" && ip' action allow-related
	conn_is "UDP h3 -> fr2p" 0 h3 udp 192.168.0.12 5000
	conn_is "UDP h1 -> fr4p" 0 h1 udp 192.168.0.14 5000
	check_eq "h3 -> fr2p: an entry in fr3p's zone and one in fr2p's" 2 "$(ct_count "$to2")"
	check_eq "h1 -> fr4p: an entry in fr1p's zone and one in fr4p's" 2 "$(ct_count "$to4")"
	check_ok "port del fr2p" "$LSDP" port del fr2p
	check_eq "fr2p's zone flushed, fr3p's entry left" 1 "$(ct_count "$to2")"
	check_eq "other zones untouched" 2 "$(ct_count "$to4")"
	check_ok "port add fr2p again" "$LSDP" port add fnet fr2p key 2 mac fa:16:00:00:00:12 \
		ip 192.168.0.12 ip fd00::12 dev tap2
	conn_is "UDP h3 -> fr2p again" 0 h3 udp 192.168.0.12 5000
	check_ok "acl del fnet" acl del fnet
}

trap cleanup EXIT
if ! setup; then
	ksft_abort "setup failed"
fi
run_test "acl ct: established connections across ACL changes, as OVN's" test_ct_survives_change
run_test "acl ct: reject answers are rate limited" test_reject_rate
run_test "acl ct: a deleted port's conntrack zone is flushed" test_zone_flush
ksft_exit
