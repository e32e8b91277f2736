#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Trunk ports, localnet ports with VLANs, and announcements (issue 5; seeds
# 003 and 004).
#
# Two chassis w1 and w2 (netns, each its own lsdp instance) joined by an
# underlay veth u1--u2, as in seed 004:
#
#   network1 (key 1): vm1 key 1 (on w1, tap1), vm2 key 2 (on w2, tap2)
#   network2 (key 2): child1 key 1 (parent vm1, tag 30)
#                     child2 key 2 (parent vm2, tag 50)
#                     vm3 key 3 (on w1, tap3, a plain port)
#
# vm1 and vm2 are netns whose eth0 carries the parent's traffic untagged and
# a VLAN sub-interface child1@eth0 (id 30) / child2@eth0 (id 50) the
# container's.
#
# A provider network "phys": a netns with a Linux bridge br0 whose ports
# pv0a and pv0b are the wire to w1's pv1 and w2's pv2, and br0.100 the
# provider's own host (10.100.0.1) on VLAN 100:
#
#   pub (key 10): provnet key 1 localnet vlan 100 (dev pv1 on w1, pv2 on w2)
#                 vm4 key 2 (on w1, tap4), vm5 key 4 (on w2, tap5)
#                 pub-lr1 key 3 (patch to router lr1 on w1, for the GARPs)
. "$(dirname "$0")/lib.sh"

lsdp_require
command -v tcpdump >/dev/null || ksft_abort "missing tool tcpdump (run 'make deps')"
modprobe -a geneve 8021q bridge 2>/dev/null

M1=40:44:00:00:00:01 M2=40:44:00:00:00:02 MC1=40:44:00:00:00:03
MC2=40:44:00:00:00:04 M3=40:44:00:00:00:05 M4=40:44:00:00:00:06
M5=40:44:00:00:00:07 MR=02:00:00:00:fe:01

L() {
	local ns=$1
	shift
	"$LSDP" -n "$ns" "$@"
}

# nfield NS PORT JQ: a field of `port show PORT` in NS.
nfield() {
	"$LSDP" -n "$1" -j port show "$2" | jq -r --arg p "$2" "map(select(.name == \$p)) | first | $3"
}

# Captures: pcap_start NS IF DIR FILTER... (DIR in/out/inout), pcap_stop
# (of the last one started, PCAP_KEY) leaves PCAP with one line per frame,
# epoch timestamps first.
PCAP_KEY='' PCAP=''
pcap_start() {
	local dir=$3
	PCAP_KEY="$1/$2"
	cap_start -o "-Q $dir -tt -vv -nn -e" "$1" "$2" "${@:4}"
}
pcap_stop() {
	PCAP=
	cap_stop "${PCAP_KEY%%/*}" "${PCAP_KEY#*/}" || return 1
	PCAP=$CAP_FRAMES
}
# pcap_count FIXED-STRING...: captured frames containing every string.
pcap_count() {
	local lines=$PCAP s
	for s in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -F -- "$s")
	done
	[ -n "$lines" ] && printf '%s\n' "$lines" | wc -l || echo 0
}

# The OVN configuration of both chassis; each binds its own ports and says
# where the other's live.
config() {
	local me=$1 other=$2 myip=$3 otherip=$4
	L "$me" encap set local "$myip" &&
	L "$me" chassis add "$other" ip "$otherip" &&
	L "$me" switch add network1 key 1 &&
	L "$me" switch add network2 key 2 &&
	L "$me" switch add pub key 10 || return 1
}

setup() {
	ns_create w1 w2 vm1 vm2 vm3 vm4 vm5 phys || return 1
	ip link add u1 type veth peer name u2 || return 1
	ip link set u1 netns w1 && ip link set u2 netns w2 || return 1
	ip -n w1 addr add 192.0.2.1/24 dev u1 && ip -n w2 addr add 192.0.2.2/24 dev u2 &&
	ip -n w1 link set u1 up && ip -n w2 link set u2 up || return 1

	vm_add vm1 w1 tap1 $M1 192.168.0.11/24 || return 1
	vm_add vm2 w2 tap2 $M2 192.168.0.12/24 || return 1
	child_add vm1 child1 30 $MC1 192.168.1.13/24 || return 1
	child_add vm2 child2 50 $MC2 192.168.1.14/24 || return 1
	vm_add vm3 w1 tap3 $M3 192.168.1.15/24 || return 1
	vm_add vm4 w1 tap4 $M4 10.100.0.4/24 fd00:100::4/64 || return 1
	vm_add vm5 w2 tap5 $M5 10.100.0.5/24 || return 1
	# vm5 shares VLAN 100 with the provider: no IPv6 chatter from it.
	ip netns exec vm5 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1

	# The provider network: a plain Linux bridge carrying VLAN 100 tagged.
	ip -n phys link add br0 type bridge || return 1
	ip link add pv1 type veth peer name pv0a netns phys || return 1
	ip link add pv2 type veth peer name pv0b netns phys || return 1
	ip link set pv1 netns w1 && ip link set pv2 netns w2 || return 1
	ip -n w1 link set pv1 up && ip -n w2 link set pv2 up || return 1
	ip netns exec w1 sysctl -qw net.ipv6.conf.pv1.disable_ipv6=1
	ip netns exec w2 sysctl -qw net.ipv6.conf.pv2.disable_ipv6=1
	# No IPv6 chatter (MLD, DAD) from the provider's own VLAN devices
	# either: they are made below, and take the default.
	ip netns exec phys sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n phys link set pv0a master br0 && ip -n phys link set pv0b master br0 &&
	ip -n phys link set pv0a up && ip -n phys link set pv0b up &&
	ip -n phys link set br0 up || return 1
	ip -n phys link add link br0 name br0.100 type vlan id 100 &&
	ip -n phys addr add 10.100.0.1/24 dev br0.100 &&
	ip -n phys link set br0.100 up || return 1
	# Other VLANs and untagged traffic on the same wire: not lsdp's.
	ip -n phys addr add 10.101.0.1/24 dev br0 &&
	ip -n phys link add link br0 name br0.200 type vlan id 200 &&
	ip -n phys addr add 10.102.0.1/24 dev br0.200 &&
	ip -n phys link set br0.200 up || return 1

	config w1 w2 192.0.2.1 192.0.2.2 || return 1
	config w2 w1 192.0.2.2 192.0.2.1 || return 1

	L w1 port add network1 vm1 key 1 mac $M1 ip 192.168.0.11 dev tap1 &&
	L w1 port add network1 vm2 key 2 mac $M2 ip 192.168.0.12 chassis w2 &&
	L w1 port add network2 child1 key 1 mac $MC1 ip 192.168.1.13 parent vm1 tag 30 &&
	L w1 port add network2 child2 key 2 mac $MC2 ip 192.168.1.14 parent vm2 tag 50 &&
	L w1 port add network2 vm3 key 3 mac $M3 ip 192.168.1.15 dev tap3 || return 1

	L w2 port add network1 vm2 key 2 mac $M2 ip 192.168.0.12 dev tap2 &&
	L w2 port add network1 vm1 key 1 mac $M1 ip 192.168.0.11 chassis w1 &&
	L w2 port add network2 child2 key 2 mac $MC2 ip 192.168.1.14 parent vm2 tag 50 &&
	L w2 port add network2 child1 key 1 mac $MC1 ip 192.168.1.13 parent vm1 tag 30 &&
	L w2 port add network2 vm3 key 3 mac $M3 ip 192.168.1.15 chassis w1 || return 1

	L w1 port add pub provnet key 1 type localnet unknown dev pv1 vlan 100 &&
	L w1 port add pub vm4 key 2 mac $M4 ip 10.100.0.4 ip fd00:100::4 dev tap4 &&
	L w1 port add pub vm5 key 4 mac $M5 ip 10.100.0.5 chassis w2 || return 1
	L w2 port add pub provnet key 1 type localnet unknown dev pv2 vlan 100 &&
	L w2 port add pub vm5 key 4 mac $M5 ip 10.100.0.5 dev tap5 &&
	L w2 port add pub vm4 key 2 mac $M4 ip 10.100.0.4 ip fd00:100::4 chassis w1 || return 1

	L w1 router add lr1 key 20 &&
	L w1 port add lr1 lr1-pub key 1 mac $MR net 10.100.0.254/24 net fd00:100::fe/64 ||
		return 1
	# Let the hosts' own IPv6 chatter pass.
	sleep 3
	SETUP_END=$(date +%s)
}

# --- trunk ports ------------------------------------------------------------------

test_show() {
	check_eq "child1: parent" vm1 "$(nfield w1 child1 .parent)"
	check_eq "child1: tag" 30 "$(nfield w1 child1 .tag)"
	check_eq "child1: bound through vm1's tap" tap1 "$(nfield w1 child1 .dev)"
	check_eq "child2 on w1: on vm2's chassis" w2 "$(nfield w1 child2 .chassis)"
	check_eq "provnet: vlan" 100 "$(nfield w1 provnet .vlan)"
	check_ok "port show table has the VLAN column" \
		bash -c '"$0" -n w1 port show child1 | grep -q "30@vm1"' "$LSDP"
}

# Seed 004: child1 (VLAN 30 in vm1, on w1) pings child2 (VLAN 50 in vm2, on
# w2).  On vm2's tap the frame carries vlan 50; on the underlay network2's
# VNI and an untagged inner frame; the parents keep talking untagged.
test_seed004() {
	local n
	ip -n vm1 neigh replace 192.168.1.14 lladdr $MC2 dev child1 nud permanent
	ip -n vm2 neigh replace 192.168.1.13 lladdr $MC1 dev child2 nud permanent
	pcap_start w2 tap2 out icmp or vlan || return 1
	check_ok "child1 pings child2 across chassis" ping_ok vm1 192.168.1.14 3
	pcap_stop
	n=$(pcap_count "$MC1 > $MC2" "vlan 50," "ethertype IPv4" "192.168.1.13 > 192.168.1.14: ICMP echo request")
	check_ge "on vm2's tap: echo requests tagged vlan 50" 3 "$n" || diag_output "$PCAP"

	pcap_start w2 u2 in udp port 6081 || return 1
	check_ok "child1 pings child2 (underlay capture)" ping_ok vm1 192.168.1.14 2
	pcap_stop
	n=$(pcap_count "vni 0x2," "$MC1 > $MC2, ethertype IPv4 (0x0800)" "ICMP echo request")
	check_ge "underlay: network2's VNI, inner frame untagged" 2 "$n" || diag_output "$PCAP"
	check_eq "underlay: no inner 802.1Q" 0 "$(pcap_count "ethertype 802.1Q")"

	pcap_start w1 tap1 out icmp or vlan || return 1
	check_ok "vm1 pings vm2 untagged (parents)" ping_ok vm1 192.168.0.12 2
	pcap_stop
	n=$(pcap_count "$M2 > $M1, ethertype IPv4" "192.168.0.12 > 192.168.0.11: ICMP echo reply")
	check_ge "on vm1's tap: the parent's replies untagged" 2 "$n" || diag_output "$PCAP"
	check_ge "child1 rx counted on child1" 5 "$(ncounter w1 child1 rx_packets)"
	check_ge "child2 tx counted on w2's child2" 5 "$(ncounter w2 child2 tx_packets)"
	check_eq "no vlan drops on vm1" 0 "$(ncounter w1 vm1 vlan)"
}

# A child and a plain port of the same switch on one chassis.
test_local() {
	ip -n vm1 neigh replace 192.168.1.15 lladdr $M3 dev child1 nud permanent
	ip -n vm3 neigh replace 192.168.1.13 lladdr $MC1 dev eth0 nud permanent
	pcap_start w1 tap1 out icmp or vlan || return 1
	check_ok "child1 pings vm3 (same chassis)" ping_ok vm1 192.168.1.15 3
	pcap_stop
	check_ge "replies reach vm1 tagged vlan 30" 3 \
		"$(pcap_count "$M3 > $MC1" "vlan 30," "ICMP echo reply")" || diag_output "$PCAP"
	# ARP from the container: a broadcast into network2 only.
	ip -n vm1 neigh flush dev child1
	check_ok "child1 resolves vm3 by ARP" ping_ok vm1 192.168.1.15 2
}

# A tag no child has is dropped on the parent and counted.
test_unknown_tag() {
	local a
	ip -n vm1 link add link eth0 name v99 type vlan id 99
	ip -n vm1 addr add 192.168.99.1/24 dev v99
	ip -n vm1 link set v99 up
	# A known neighbour: each ping is one tagged frame, not ARP retries.
	ip -n vm1 neigh replace 192.168.99.2 lladdr 40:44:00:00:00:63 dev v99 nud permanent
	a=$(ncounter w1 vm1 vlan)
	ip netns exec vm1 ping -c 3 -i 0.2 -W 1 192.168.99.2 >/dev/null 2>&1
	check_ge "tag 99 dropped, counted 'vlan' on vm1" $((a + 3)) "$(ncounter w1 vm1 vlan)"
	ip -n vm1 link del v99
}

# The parent unbound, rebound and moved: its children follow; deleted: they go.
test_parent_moves() {
	check_ok "unbind vm1" L w1 port set vm1 nodev
	check_eq "child1 unbound with it" null "$(nfield w1 child1 .dev)"
	check_ok "bind vm1 again" L w1 port set vm1 dev tap1
	check_eq "child1 bound with it" tap1 "$(nfield w1 child1 .dev)"
	check_ok "child1 -> child2 after the rebind" ping_ok vm1 192.168.1.14 2
	# vm2 moves from w2 to w1 in w1's view: its child follows.
	check_ok "vm2 unbound in w1's view (nochassis)" L w1 port set vm2 nochassis
	check_eq "child2 unbound with its parent" null "$(nfield w1 child2 .chassis)"
	check_ok "vm2 back on w2" L w1 port set vm2 chassis w2
	check_eq "child2 follows to w2" w2 "$(nfield w1 child2 .chassis)"
	check_ok "child1 -> child2 again" ping_ok vm1 192.168.1.14 2
	# The netdev disappears: children unbound, as the parent.
	ip -n w1 link add tapx type veth peer name tapy
	ip -n w1 link set tapx up
	check_ok "vm1 to tapx" L w1 port set vm1 dev tapx
	check_eq "child1 on tapx" tapx "$(nfield w1 child1 .dev)"
	ip -n w1 link del tapx
	check_eq "child1 unbound when tapx goes" null "$(nfield w1 child1 .dev)"
	check_ok "vm1 back to tap1" L w1 port set vm1 dev tap1
	check_eq "child1 back on tap1" tap1 "$(nfield w1 child1 .dev)"
	# Deleting a parent takes its children.
	check_ok "add a second child under vm3" \
		L w1 port add network1 c3 key 9 mac 40:44:00:00:00:99 parent vm3 tag 7
	check_ok "delete vm3" L w1 port del vm3
	check_err 'no port or datapath "c3"' L w1 port show c3
	check_ok "re-add vm3" L w1 port add network2 vm3 key 3 mac $M3 ip 192.168.1.15 dev tap3
	check_ok "switch delete with a parent and children (order)" \
		bash -c '"$0" -n w1 switch add tmp key 30 &&
			"$0" -n w1 port add tmp pa key 1 &&
			"$0" -n w1 port add tmp pc key 2 parent pa tag 5 &&
			"$0" -n w1 port add tmp pd key 3 parent pa tag 6 &&
			"$0" -n w1 switch del tmp' "$LSDP"
}

test_bad_input() {
	check_err "VLAN ID must be 1..4094" L w1 port add network2 c key 20 parent vm1 tag 0
	check_err "VLAN ID must be 1..4094" L w1 port add network2 c key 20 parent vm1 tag 4095
	check_err "tag already used by another child of this parent" \
		L w1 port add network2 c key 20 parent vm1 tag 30
	check_err "no such parent port" L w1 port add network2 c key 20 parent nosuch tag 31
	check_err "the parent is itself a trunk child" \
		L w1 port add network2 c key 20 parent child1 tag 31
	check_err "a trunk parent must be a vif port" \
		L w1 port add network2 c key 20 parent provnet tag 31
	check_err "a localnet port needs dev" L w1 port add network2 ln key 20 type localnet
	check_err "a trunk child is bound through its parent" \
		L w1 port add network2 c key 20 parent vm1 tag 31 dev tap3
	check_err "a trunk child is bound through its parent" L w1 port set child1 dev tap3
	check_err "a trunk child's tag cannot be changed" L w1 port set child1 vlan 31
	check_err "only localnet ports take a VLAN tag" L w1 port set vm3 vlan 31
	check_err "only trunk children (with a parent) and localnet ports take a VLAN tag" \
		L w1 port add network2 c key 20 vlan 31
	check_err "VLAN ID must be 1..4094" L w1 port set provnet vlan 4095
	ip -n w1 link add lnx type veth peer name lny
	check_err "this switch already has a localnet port" \
		L w1 port add pub ln2 key 20 type localnet dev lnx
	ip -n w1 link del lnx
	check_err "nothing to announce: the port lives on another chassis" \
		L w1 port announce vm5
	check_err "nothing to announce: the switch has no localnet port" \
		L w1 port announce vm1
	check_err "no such port" L w1 port announce nosuch
	check_err 'no port or datapath "c"' L w1 port show c
}

# --- localnet ---------------------------------------------------------------------

# vm4 (w1) and the provider's host 10.100.0.1 on VLAN 100, both ways, with
# the tag on the wire; broadcast reaches the provider side; other VLANs
# and untagged frames on the wire are not the switch's.
test_localnet() {
	local a b
	pcap_start phys pv0a in vlan || return 1
	ip -n vm4 neigh flush dev eth0
	check_ok "vm4 pings the provider host" ping_ok vm4 10.100.0.1 3
	pcap_stop
	check_ge "ARP broadcast from vm4 on the wire, vlan 100" 1 \
		"$(pcap_count "$M4 > ff:ff:ff:ff:ff:ff" "vlan 100," "Request who-has 10.100.0.1 tell 10.100.0.4")" ||
		diag_output "$PCAP"
	check_ge "echo requests on the wire, vlan 100" 3 \
		"$(pcap_count "$M4 >" "vlan 100," "10.100.0.4 > 10.100.0.1: ICMP echo request")"
	check_ok "the provider host pings vm4" ping_ok phys 10.100.0.4 3
	# Untagged and VLAN 200 frames: the host's, not the switch's.  The
	# two hosts of VLAN 100 must not re-probe each other meanwhile.
	ip -n phys neigh replace 10.100.0.4 lladdr $M4 dev br0.100 nud permanent
	ip -n vm4 neigh replace 10.100.0.1 lladdr "$(ip -n phys -br link show br0.100 | awk '{ print $3 }')" \
		dev eth0 nud permanent
	a=$(ncounter w1 provnet rx_packets)
	pcap_start vm4 eth0 in arp || return 1
	ip netns exec phys ping -c 2 -i 0.2 -W 1 10.101.0.4 >/dev/null 2>&1
	ip netns exec phys ping -c 2 -i 0.2 -W 1 10.102.0.4 >/dev/null 2>&1
	pcap_stop
	b=$(ncounter w1 provnet rx_packets)
	check_eq "untagged / vlan 200 frames do not enter the switch" "$a" "$b"
	check_eq "vm4 heard no ARP of other VLANs" 0 \
		"$(( $(pcap_count "who-has 10.101.0.4") + $(pcap_count "who-has 10.102.0.4") ))"
	ip -n phys neigh del 10.100.0.4 dev br0.100
	ip -n vm4 neigh del 10.100.0.1 dev eth0
	# Changing the VLAN: now 200 is ours.
	check_ok "provnet to vlan 200" L w1 port set provnet vlan 200
	ip -n vm4 addr add 10.102.0.4/24 dev eth0
	pcap_start phys pv0a in vlan || return 1
	check_ok "vm4 reaches the provider's VLAN 200 host" ping_ok vm4 10.102.0.1 2
	pcap_stop
	check_ge "on the wire: vlan 200" 2 \
		"$(pcap_count "$M4 >" "vlan 200," "10.102.0.4 > 10.102.0.1: ICMP echo request")" ||
		diag_output "$PCAP"
	check_eq "... and nothing on vlan 100" 0 "$(pcap_count "vlan 100,")"
	ip -n vm4 addr del 10.102.0.4/24 dev eth0
	check_ok "provnet back to vlan 100" L w1 port set provnet vlan 100
}

# Between two ports of a localnet switch on different chassis: the provider
# network, not a tunnel; each chassis uses its own binding (pv1, pv2).
test_localnet_chassis() {
	local under
	pcap_start w1 u1 inout udp port 6081 || return 1
	# Two captures at once: pcap_stop stops the last one started.
	under=$PCAP_KEY
	pcap_start phys pv0b in vlan || return 1
	ip -n vm4 neigh flush dev eth0
	check_ok "vm4 (w1) pings vm5 (w2)" ping_ok vm4 10.100.0.5 3
	pcap_stop
	check_ge "vm5's replies cross the wire from w2, vlan 100" 3 \
		"$(pcap_count "$M5 > $M4" "vlan 100," "ICMP echo reply")" || diag_output "$PCAP"
	PCAP_KEY=$under
	pcap_stop
	check_eq "no Geneve frame of pub (VNI 10) on the underlay" 0 "$(pcap_count "vni 0xa,")" ||
		diag_output "$PCAP"
}

# --- announcements ----------------------------------------------------------------

# On demand, once; a router port joined to the switch; a VM bound here
# again (its MAC moves to this chassis): five rounds, 1, 2, 4, 8 s apart.
test_announce() {
	local n ts gaps a
	# The series the setup started (vm4 bound, provnet bound) last 15 s.
	n=$((SETUP_END + 16 - $(date +%s)))
	[ "$n" -gt 0 ] && sleep "$n"
	a=$(nfield w1 vm4 .announced)
	pcap_start phys pv0a in vlan || return 1
	check_ok "announce vm4" L w1 port announce vm4
	sleep 0.5
	pcap_stop
	check_eq "vm4 announced one GARP and one NA more" $((a + 2)) "$(nfield w1 vm4 .announced)"
	check_eq "one GARP for vm4, vlan 100" 1 \
		"$(pcap_count "$M4 > ff:ff:ff:ff:ff:ff" "vlan 100," "Request who-has 10.100.0.4 tell 10.100.0.4")" ||
		diag_output "$PCAP"
	check_eq "one unsolicited NA for vm4" 1 \
		"$(pcap_count "$M4 > 33:33:00:00:00:01" "neighbor advertisement, length 32, tgt is fd00:100::4" "override")"

	pcap_start phys pv0a in vlan || return 1
	check_ok "join lr1 to pub" L w1 port add pub pub-lr1 key 3 type router peer lr1-pub
	sleep 2.5
	pcap_stop
	n=$(pcap_count "$MR > ff:ff:ff:ff:ff:ff" "vlan 100," "Request who-has 10.100.0.254 tell 10.100.0.254")
	check_ge "router port's GARPs in the first 2.5 s (t=0, 1 s)" 2 "$n" || diag_output "$PCAP"
	check_le "... and no more" 3 "$n"
	check_ge "router port's NA with the router flag" 2 \
		"$(pcap_count "$MR > 33:33:00:00:00:01" "tgt is fd00:100::fe" "router, override")"

	pcap_start phys pv0a in vlan and arp || return 1
	check_ok "vm4 unbound" L w1 port set vm4 nodev
	check_ok "vm4 bound here again" L w1 port set vm4 dev tap4
	sleep 17
	pcap_stop
	n=$(pcap_count "$M4 >" "tell 10.100.0.4")
	check_eq "five GARPs for vm4 after the bind" 5 "$n" || diag_output "$PCAP"
	ts=$(printf '%s\n' "$PCAP" | grep -F "tell 10.100.0.4" | cut -d' ' -f1)
	gaps=$(printf '%s\n' "$ts" | awk 'NR > 1 { printf "%.1f ", $1 - p } { p = $1 }')
	diag "gaps between vm4's GARPs: $gaps"
	check_ok "gaps of about 1, 2, 4, 8 s" awk -v g="$gaps" 'BEGIN {
		n = split(g, a, " "); if (n != 4) exit 1
		for (i = 1; i <= 4; i++) { e = 2 ^ (i - 1); if (a[i] < e * 0.8 || a[i] > e * 1.25 + 0.3) exit 1 }
	}'
	pcap_start phys pv0a in vlan and arp || return 1
	check_ok "announce everything behind provnet" L w1 port announce provnet
	sleep 0.5
	pcap_stop
	check_eq "one round: vm4 and the router port" "1 1" \
		"$(pcap_count "tell 10.100.0.4") $(pcap_count "tell 10.100.0.254")" || diag_output "$PCAP"
	check_ge "announced counted on provnet" 2 "$(nfield w1 provnet .announced)"
	check_ok "remove the patch" L w1 port del pub-lr1
}

# --- lifecycle ---------------------------------------------------------------------

# A chassis deleted under a trunk parent bound to it: parent and children
# are left bound nowhere (the children follow their parent, which needs
# RTNL: a chassis deletion without it shows as a WARNING in the log).
test_chassis_del() {
	check_ok "w1: chassis w3, switch tmpc, parent and two children on w3" \
		bash -c '"$0" -n w1 chassis add w3 ip 192.0.2.99 &&
			"$0" -n w1 switch add tmpc key 31 &&
			"$0" -n w1 port add tmpc pp key 1 mac 40:44:00:00:01:01 chassis w3 &&
			"$0" -n w1 port add tmpc pk1 key 2 mac 40:44:00:00:01:02 parent pp tag 5 &&
			"$0" -n w1 port add tmpc pk2 key 3 mac 40:44:00:00:01:03 parent pp tag 6' "$LSDP" ||
		return 1
	check_eq "pk1 on its parent's chassis" w3 "$(nfield w1 pk1 .chassis)"
	check_eq "pk2 on its parent's chassis" w3 "$(nfield w1 pk2 .chassis)"
	check_ok "chassis del w3" L w1 chassis del w3
	check_eq "pp bound nowhere" null "$(nfield w1 pp .chassis)"
	check_eq "pk1 bound nowhere" null "$(nfield w1 pk1 .chassis)"
	check_eq "pk2 bound nowhere" null "$(nfield w1 pk2 .chassis)"
	check_eq "chassis left on w1" w2 "$(L w1 -j chassis show | jq -r 'map(.name) | join(",")')"
	check_ok "switch del tmpc" L w1 switch del tmpc
}

test_teardown() {
	dmesg_mark teardown
	check_ok "delete network2 on w1 (children before parents' switch)" L w1 switch del network2
	check_ok "delete network1 on w1" L w1 switch del network1
	check_ok "w2: delete network1 first (parents), then network2" \
		bash -c '"$0" -n w2 switch del network1 && "$0" -n w2 switch del network2' "$LSDP"
	ip netns del w1
	ip netns del w2
	sleep 2
	check_ok "unload" lsdp_unload
	dmesg_check teardown
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "trunk: show parent, tag, binding and VLAN" test_show
run_test "trunk: seed 004, child1 -> child2 across chassis (vlan 50, untagged inner)" test_seed004
run_test "trunk: child and plain port on one chassis" test_local
run_test "trunk: unknown tag dropped on the parent" test_unknown_tag
run_test "trunk: children follow parent unbind/rebind/move/delete" test_parent_moves
run_test "trunk: bad input rejected with messages" test_bad_input
run_test "localnet: GARP / unsolicited NA on demand, on join, on bind with backoff" test_announce
run_test "localnet: VLAN 100 provider network, both ways, tags on the wire" test_localnet
run_test "localnet: across chassis over the provider network, not a tunnel" test_localnet_chassis
run_test "trunk: chassis deleted under a parent and its children" test_chassis_del
run_test "trunk: teardown with parents and children, unload" test_teardown
ksft_exit
