#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Virtual ports (issue 18 item 3), seed 003's three-parent lab on lsdp:
#
#   n1 fr1p key 1   n2 fr2p key 2   n3 fr3p key 3   n4 fr4p key 5 (no parent)
#        \_____________ fnet (key 1) _______|______________/
#          frv key 6: type virtual vip 192.168.0.5 parents fr1p,fr2p,fr3p
#                            | lrp-1-attach (router, peer lrp-1)
#                 lerouter (key 10): lrp-1 192.168.0.1/28
#                                    lrp-ext 10.224.122.100/24
#                            | lrp-ext-attach (router, peer lrp-ext)
#                 public (key 2) --- provnet (localnet, dev ext0)
#                                        |
#                                   ext 10.224.122.1 (the provider network)
#
#   dnat_and_snat 10.224.122.105 192.168.0.5 port frv mac 00:11:22:33:00:00
#
# The VM holding the VIP announces it with a gratuitous ARP (seed 003's
# garp.py); that binds frv to its port, and a distributed floating IP
# whose logical port is frv lives where frv is bound.
. "$(dirname "$0")/lib.sh"

lsdp_require

VIP=192.168.0.5
VMAC=fa:16:00:00:00:05
EXT=10.224.122.1
EXT_MAC=02:00:00:00:0e:01
FIP=10.224.122.105
FIP_MAC=00:11:22:33:00:00
HOSTS="n1 n2 n3 n4"
GENL="$PYTHON $SELFTESTS/genl.py"

setup() {
	ns_create n1 n2 n3 n4 ext || return 1
	host_add n1 p1 fa:16:00:00:00:11 192.168.0.11/28 || return 1
	host_add n2 p2 fa:16:00:00:00:12 192.168.0.12/28 || return 1
	host_add n3 p3 fa:16:00:00:00:13 192.168.0.13/28 || return 1
	host_add n4 p4 fa:16:00:00:00:14 192.168.0.14/28 || return 1
	host_add ext ext0 $EXT_MAC $EXT/24 || return 1
	for ns in n1 n2 n3 n4; do
		ip -n $ns route add default via 192.168.0.1 || return 1
	done

	"$LSDP" switch add fnet key 1 || return 1
	"$LSDP" port add fnet fr1p key 1 mac fa:16:00:00:00:11 ip 192.168.0.11 dev p1 || return 1
	"$LSDP" port add fnet fr2p key 2 mac fa:16:00:00:00:12 ip 192.168.0.12 dev p2 || return 1
	"$LSDP" port add fnet fr3p key 3 mac fa:16:00:00:00:13 ip 192.168.0.13 dev p3 || return 1
	"$LSDP" port add fnet fr4p key 5 mac fa:16:00:00:00:14 ip 192.168.0.14 dev p4 || return 1
	"$LSDP" port add fnet frv key 6 type virtual mac $VMAC ip $VIP \
		vip $VIP parents fr1p,fr2p,fr3p || return 1
	"$LSDP" router add lerouter key 10 || return 1
	"$LSDP" port add lerouter lrp-1 key 1 mac fa:16:00:00:00:01 net 192.168.0.1/28 || return 1
	"$LSDP" port add fnet lrp-1-attach key 4 type router peer lrp-1 || return 1
	"$LSDP" port add lerouter lrp-ext key 2 mac fa:16:ff:ff:ff:ff net 10.224.122.100/24 || return 1
	"$LSDP" switch add public key 2 || return 1
	"$LSDP" port add public lrp-ext-attach key 1 type router peer lrp-ext || return 1
	"$LSDP" port add public provnet key 2 type localnet unknown dev ext0 || return 1
	"$LSDP" route add lerouter default via $EXT port lrp-ext || return 1
	"$LSDP" nat add lerouter dnat_and_snat $FIP $VIP port frv mac $FIP_MAC || return 1
}

# bound [PORT]: the parent virtual port PORT (frv) is bound to, or "-".
bound() { port_field "${1:-frv}" '.virtual_parent // "-"'; }

# wait_bound PARENT [PORT]: the kernel binds in process context, just
# after the claim: give it a moment.
wait_bound() {
	local i
	for i in $(seq 1 40); do
		[ "$(bound "$2")" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# garp NS MAC [ADDR]: seed 003's garp.py, an ARP request spa == tpa == ADDR.
garp() {
	ip netns exec "$1" $PKT eth0 arp --op 1 --sha "$2" --spa "${3:-$VIP}" \
		--tha 00:00:00:00:00:00 --tpa "${3:-$VIP}"
}

# move_vip FROM TO: the VIP leaves FROM's VM for TO's (keepalived's move).
move_vip() {
	[ -n "$1" ] && ip -n "$1" addr del $VIP/32 dev eth0 2>/dev/null
	ip -n "$2" addr add $VIP/32 dev eth0
}

# to_vmac WHAT N...: a frame to frv's MAC from n4 reaches the VM behind
# the parent it is bound to, and no other (deliver's HOST=N list).
to_vmac() {
	deliver "$1" "ether dst $VMAC and udp port 5555" n4 \
		"--dst $VMAC udp4 --sip 192.168.0.14 --dip $VIP --dport 5555" "${@:2}"
}

# The MAC ext has for ADDR after talking to it ("" when nobody answers).
ext_mac_of() {
	ip -n ext neigh flush dev eth0 >/dev/null 2>&1
	ip netns exec ext ping -n -q -c 1 -W 2 "$1" >/dev/null 2>&1
	ip -n ext neigh show "$1" dev eth0 | awk '{ for (i = 1; i <= NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

fip_where() {
	"$LSDP" -j nat show lerouter | jq -r --arg e $FIP 'map(select(.external_ip == $e)) | first | .where'
}

test_unbound() {
	check_eq "frv starts unbound" - "$(bound)"
	check_eq "frv's FIP is nowhere" distributed-elsewhere "$(fip_where)"
	check_eq "no ARP answer for $FIP while frv is unbound" "" "$(ext_mac_of $FIP)"
	to_vmac "frame to frv's MAC, frv unbound"
	check_ge "counted as unbound on frv" 1 "$(counter frv unbound)"
}

test_bind() {
	local out
	move_vip "" n1
	check_ok "GARP from n1 (fr1p)" garp n1 fa:16:00:00:00:11
	check_ok "frv bound to fr1p" wait_bound fr1p
	out=$("$LSDP" port show fnet)
	diag "lsdp port show fnet:"
	diag_output "$out"
	printf '%s\n' "$out" | grep -qE "^frv .*virtual .*$VIP@fr1p +fr1p,fr2p,fr3p" ||
		fail "table does not show frv's VIP bound to fr1p and its parents"
	to_vmac "frame to frv's MAC, bound to fr1p" n1=1
	check_ok "ping VIP from n4 (n1 answers)" ping_ok n4 $VIP 2
}

test_fip() {
	local got
	check_eq "frv's FIP is here" distributed-here "$(fip_where)"
	check_eq "ARP for $FIP answered with" $FIP_MAC "$(ext_mac_of $FIP)"
	cap_start n1 eth0 icmp and dst host $VIP and src host $EXT || return 1
	check_ok "ping ext -> FIP $FIP (n1 holds the VIP)" ping_ok ext $FIP 3
	cap_stop n1 eth0
	check_ge "echo requests n1 got for $VIP" 3 "$CAP_COUNT"
}

test_move() {
	local out
	move_vip n1 n2
	cap_start -o "-Q in -nn -e" ext eth0 arp and src host $FIP || return 1
	check_ok "GARP from n2 (fr2p)" garp n2 fa:16:00:00:00:12
	check_ok "frv moved to fr2p" wait_bound fr2p
	to_vmac "frame to frv's MAC, bound to fr2p" n2=1
	# The router learned the VIP's new MAC from the same GARP.
	cap_start n2 eth0 icmp and dst host $VIP and src host $EXT || return 1
	check_ok "ping ext -> FIP $FIP (n2 holds the VIP now)" ping_ok ext $FIP 3
	cap_stop n2 eth0
	check_ge "echo requests n2 got for $VIP" 3 "$CAP_COUNT"
	# The move restarts the router port's announcements, FIP included.
	sleep 1.5
	cap_stop ext eth0
	diag "GARPs for $FIP on the provider network after the move:"
	diag_output "$(printf '%s\n' "$CAP_LAST" | head -3)"
	check_ge "GARPs for $FIP seen by ext after the move" 1 "$CAP_COUNT"
	printf '%s\n' "$CAP_LAST" | grep -q "^.*$FIP_MAC > ff:ff:ff:ff:ff:ff.*Request who-has $FIP tell $FIP" ||
		fail "no GARP for $FIP from $FIP_MAC"
	out=$("$LSDP" -j port show frv)
	check_eq "JSON parents" '["fr1p","fr2p","fr3p"]' \
		"$(printf '%s' "$out" | jq -c '.[0].parents')"
	check_eq "JSON vip" $VIP "$(printf '%s' "$out" | jq -r '.[0].vip')"
}

test_not_parent() {
	local i0 i1
	i0=$(port_field frv .virtual_ignored)
	check_ok "GARP for the VIP from n4 (fr4p, no parent)" garp n4 fa:16:00:00:00:14
	sleep 0.5
	check_eq "frv still bound to fr2p" fr2p "$(bound)"
	i1=$(port_field frv .virtual_ignored)
	check_eq "claim from a non-parent counted" $((i0 + 1)) "$i1"
	# A parent's GARP for another address binds nothing either.
	check_ok "GARP from n3 for its own address" garp n3 fa:16:00:00:00:13 192.168.0.13
	sleep 0.5
	check_eq "frv still bound to fr2p after n3's own GARP" fr2p "$(bound)"
	# An ARP reply claims too (OVN: arp.op == 2 && arp.spa == VIP).
	check_ok "ARP reply for the VIP from n3" \
		ip netns exec n3 $PKT eth0 --dst fa:16:00:00:00:01 arp --op 2 \
		--sha fa:16:00:00:00:13 --spa $VIP --tha fa:16:00:00:00:01 --tpa 192.168.0.1
	check_ok "frv moved to fr3p by an ARP reply" wait_bound fr3p
	to_vmac "frame to frv's MAC, bound to fr3p" n3=1
	check_ok "GARP from n2 again" garp n2 fa:16:00:00:00:12
	check_ok "frv back on fr2p" wait_bound fr2p
}

test_events() {
	local f pid
	f=$(mktemp /tmp/lsdp-virt-mon.XXXXXX)
	"$LSDP" monitor >"$f" 2>&1 &
	pid=$!
	sleep 0.5
	garp n1 fa:16:00:00:00:11
	wait_bound fr1p
	sleep 0.3
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	diag "lsdp monitor during a move:"
	diag_output "$(grep frv "$f")"
	grep -q 'frv' "$f" || fail "no event for frv's move"
	rm -f "$f"
}

# raw_vport VIP-HEX PARENT...: GENL arguments of a port_new of type
# virtual with those raw bytes as its VIP and those parents, the numbers
# read from the header (never hard-coded: the coordinator re-sequences).
raw_vport() {
	"$PYTHON" -c '
import struct, sys
sys.path.insert(0, sys.argv[1])
import genl
text = open(genl.UAPI).read()
a = genl.enum_values(text, "lsdp_attr", "LSDP_A_")
t = genl.enum_values(text, "lsdp_port_type", "LSDP_PORT_TYPE_")
nest = b"".join(genl.nla(a["port_name"], n.encode() + b"\0") for n in sys.argv[3:])
print("port_type=%d %d:hex=%s %d:hex=%s" % (t["virtual"], a["port_virtual_ip"],
      sys.argv[2], a["port_virtual_parents"] | 0x8000, nest.hex()))
' "$SELFTESTS" "$@"
}

test_bad_input() {
	check_err "virtual parent: no such port" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents fr1p,nope
	check_err "not a port of this switch" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents provnet
	check_err "a virtual port cannot be a virtual parent" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents frv
	check_err "virtual parents must be vif ports" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents lrp-1-attach
	check_err "invalid virtual IP" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0 parents fr1p
	check_err "virtual IP must be a unicast address" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 224.0.0.5 parents fr1p
	check_err "a virtual port needs a virtual IP" \
		"$LSDP" port add fnet v2 key 7 type virtual
	check_err "\"vip\" requires \"parents\"" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6
	check_err "require \"type virtual\"" \
		"$LSDP" port add fnet v2 key 7 vip 192.168.0.6 parents fr1p
	check_err "invalid parents" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents fr1p,,fr2p
	check_err "virtual parent listed twice" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents fr1p,fr1p
	check_err "not to a device, chassis or trunk" \
		"$LSDP" port add fnet v2 key 7 type virtual vip 192.168.0.6 parents fr1p dev p1
	check_err "not to a device or chassis" "$LSDP" port set frv dev p1
	check_err "a router has router ports only" \
		"$LSDP" port add lerouter v2 key 7 type virtual vip 192.168.0.6 parents fr1p
	# The kernel's own checks, past the CLI's.
	# shellcheck disable=SC2046 # raw_vport prints several arguments
	check_err "virtual IP must be an IPv4 (4 bytes) or IPv6 (16 bytes) address" \
		$GENL port_new dp_name=fnet port_name=v2 port_key=7 $(raw_vport 0a0000 fr1p)
	# shellcheck disable=SC2046
	check_err "a virtual port takes 1..16 parents" \
		$GENL port_new dp_name=fnet port_name=v2 port_key=7 $(raw_vport c0a80006)
	# shellcheck disable=SC2046
	check_err "virtual IP must be a unicast address" \
		$GENL port_new dp_name=fnet port_name=v2 port_key=7 $(raw_vport 00000000 fr1p)
	# shellcheck disable=SC2046
	check_err "only virtual ports take a virtual IP and parents" \
		$GENL port_new dp_name=fnet port_name=v2 port_key=7 \
		$(raw_vport c0a80006 fr1p | sed 's/^port_type=[0-9]* //')
	check_fails "nothing was created" "$LSDP" port show v2
}

test_ipv6() {
	local sn=ff02::1:ff00:5
	check_ok "virtual port with an IPv6 VIP" \
		"$LSDP" port add fnet frv6 key 8 type virtual vip fd00::5 parents fr3p,fr4p
	check_ok "unsolicited NA for fd00::5 from n3" \
		ip netns exec n3 $PKT eth0 --dst 33:33:00:00:00:01 na --sip fd00::13 \
		--dip ff02::1 --target fd00::5 --tll fa:16:00:00:00:13
	check_ok "frv6 bound to fr3p by the NA" wait_bound fr3p frv6
	check_ok "NS for fd00::5 to its solicited-node group from n4" \
		ip netns exec n4 $PKT eth0 --dst 33:33:ff:00:00:05 ns --sip fd00::14 \
		--dip $sn --target fd00::5 --sll fa:16:00:00:00:14
	check_ok "frv6 moved to fr4p by the NS" wait_bound fr4p frv6
	check_eq "frv (IPv4) did not move" fr1p "$(bound)"
	check_ok "delete frv6" "$LSDP" port del frv6
}

test_parent_deleted() {
	check_eq "frv bound to fr1p before" fr1p "$(bound)"
	check_ok "delete fr1p" "$LSDP" port del fr1p
	check_eq "frv unbound with fr1p gone" - "$(bound)"
	check_eq "its FIP is nowhere again" distributed-elsewhere "$(fip_where)"
	# The parent made again under its name is a parent again.
	check_ok "fr1p again" "$LSDP" port add fnet fr1p key 1 mac fa:16:00:00:00:11 ip 192.168.0.11 dev p1
	check_ok "GARP from n1" garp n1 fa:16:00:00:00:11
	check_ok "frv bound to the new fr1p" wait_bound fr1p
	check_ok "delete frv" "$LSDP" port del frv
	check_ok "delete the rest" "$LSDP" switch del fnet
}

setup || ksft_abort "setup failed"
run_test "virtual: unbound at first, its traffic dropped as unbound" test_unbound
run_test "virtual: a parent's GARP binds it, traffic to it reaches the parent" test_bind
run_test "virtual: its distributed floating IP answered and translated here" test_fip
run_test "virtual: another parent's GARP moves it, the floating IP follows" test_move
run_test "virtual: claims from non-parents ignored and counted, ARP replies bind" test_not_parent
run_test "virtual: bind and move events" test_events
run_test "virtual: bad input for every new option" test_bad_input
run_test "virtual: an IPv6 VIP, bound by NA and NS" test_ipv6
run_test "virtual: deleting the bound parent unbinds it" test_parent_deleted
ksft_exit
