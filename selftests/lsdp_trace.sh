#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where did my packet go?  `lsdp trace` (a frame walked through the real
# packet path without side effects), the lsdp:drop tracepoint and
# `lsdp monitor` (issue 16).
#
# Each drop test traces a frame, checks the predicted fate (the port
# charged and the reason), then sends the very same bytes for real from
# the host and checks that exactly that counter moved by exactly one.
#
# Every drop reason of include/uapi/linux/lsdp.h, and the test that shows
# a trace predicting it and a real packet confirming it (counter +1).
# Here unless marked live (lsdp_trace_live.sh):
#
#   malformed              test_malformed (bad IPv4 checksum, from hex)
#   vlan                   test_l2_drops
#   src-mcast              test_port_security
#   port-security-mac      test_port_security
#   port-security-ip       test_port_security
#   port-security-arp      test_port_security
#   port-security-nd       test_ps_nd (an NS from hex)
#   port-security-egress   test_port_security
#   no-dest                test_l2_drops
#   hairpin                test_l2_drops
#   unbound                test_l2_drops
#   dev-down               test_l2_drops
#   mtu                    test_more_drops
#   nomem                  NONE: only an allocation failing (an skb clone,
#                          a port's per-CPU counter block, skb_vlan_untag(),
#                          all GFP_ATOMIC) counts it.  Nothing a test does
#                          makes one fail on purpose: both Debian kernels
#                          have CONFIG_FAULT_INJECTION and
#                          CONFIG_FUNCTION_ERROR_INJECTION off (no failslab,
#                          no fail_page_alloc, no bpf_override_return), as
#                          has the debug kernel (scripts/debug-kernel.sh's
#                          fragment leaves FAULT_INJECTION unset)
#   tx-error               live test_live_tx_error: the device refuses at
#                          transmit, which a simulated trace cannot know
#                          (it says "delivered"); the live walk shows it
#   tun-no-encap           test_tunnel_drops
#   tun-unknown-vni        live test_trace_from_tunnel (trace from-tunnel
#                          on the receiver, then the same Geneve bytes)
#   tun-unknown-port       live test_trace_from_tunnel, and live walks in
#                          test_live_tunnel_rx_drops
#   tun-remote-port        live: as tun-unknown-port
#   tun-bad-option         live test_trace_from_tunnel (no option,
#                          truncated, wrong length)
#   tun-crit-option        live test_trace_from_tunnel
#   tun-frag-needed        test_tunnel_drops (with the ICMP too big)
#   tun-no-route           test_tunnel_drops
#   ttl                    test_router_drops
#   no-route               test_router_drops
#   router-local           test_router_drops
#   router-l2              test_router_drops
#   no-peer                test_more_drops
#   loop                   test_more_drops
#   hold-off               test_hold_off
#   hold-dest-full         test_hold_caps
#   hold-total-full        test_hold_caps
#   hold-failed            test_hold_timed (traced "held, probe sent"; the
#                          real one fails after one 50 ms probe)
#   hold-timeout           test_hold_timed (unbound port, 100 ms)
#   hold-flush             test_hold_timed (held, then its neighbour deleted)
#   neigh-full             test_hold_caps
#   localnet-remote        test_more_drops
#   unclassified           NONE: counted only when a drop's per-reason
#                          block (alloc_percpu_gfp(GFP_ATOMIC)) cannot be
#                          allocated; no fault injection either, as nomem
#   tun-mc-group           live test_trace_from_tunnel, test_live_tunnel_rx_drops
#   acl-drop               test_more_drops
#   acl-reject             test_more_drops
#   ct-invalid             live test_live_ct_invalid: live walk only, as a
#                          simulated trace does not run conntrack
#   nat-exhausted          test_nat_exhausted (an snat with one id, taken)
#   nat-fragment           test_nat_fragment
#   nat-failed             test_nat_failed (nf_conntrack_max 1, the one
#                          entry an assured TCP connection)
#
#   ns1 vm1 00:00:00:00:01:01 10.0.1.11 fd00:1::11 (security)   ns2 vm2 ..:01:02 10.0.1.12 (security)
#        \ tap1                                          / tap2
#         sw1 (key 1)  vm3 key 3 (vif, bound nowhere)  vmr key 5 (on chassis ch2)
#                      vmr3 key 6 (on chassis ch3, no underlay route)
#          | sw1-lr0 (router, peer lrp1)
#         lr0 (key 10) lrp1 00:00:00:00:ff:01 10.0.1.1/24
#                      lrp2 00:00:00:00:ff:02 10.0.2.1/24   lr0-lr1 ..:ff:03 10.0.9.1/24
#          | sw2 (key 2): sw2-lr0, vm4 key 1 ..:02:04 10.0.2.14 (tap4, ns4)
#          | swt (key 4): t-lr0, t-lr1 (transit between the two routers)
#         lr1 (key 11) lr1-lr0 ..:ff:13 10.0.9.2/24, lr1-sw3 ..:ff:14 10.0.3.1/24
#          | sw3 (key 5): sw3-lr1, vm5 key 1 ..:03:05 10.0.3.15 (tap5, ns5)
#         swu (key 6): u1 ..:06:01 (tapu1, nsu), u3 ..:06:03 (bound nowhere)
#         swd (key 7): d1 ..:07:01 (tapd1, nsd), d2 ..:07:02 (tapd2, down)
. "$(dirname "$0")/lib.sh"

lsdp_require
"$LSDP" trace help >/dev/null 2>&1 || ksft_abort "the CLI has no 'trace' object"
modprobe -a dummy 2>/dev/null

VM1_MAC=00:00:00:00:01:01 VM2_MAC=00:00:00:00:01:02
VM4_MAC=00:00:00:00:02:04 VM5_MAC=00:00:00:00:03:05
LRP1_MAC=00:00:00:00:ff:01 LR1_MAC=00:00:00:00:ff:13
U1_MAC=00:00:00:00:06:01 D1_MAC=00:00:00:00:07:01 D2_MAC=00:00:00:00:07:02

setup() {
	ns_create ns1 ns2 ns4 ns5 nsu nsd nsd2 || return 1
	host_add ns1 tap1 $VM1_MAC 10.0.1.11/24 &&
	host_add ns2 tap2 $VM2_MAC 10.0.1.12/24 &&
	host_add ns4 tap4 $VM4_MAC 10.0.2.14/24 &&
	host_add ns5 tap5 $VM5_MAC 10.0.3.15/24 &&
	host_add nsu tapu1 $U1_MAC &&
	host_add nsd tapd1 $D1_MAC &&
	host_add nsd2 tapd2 $D2_MAC || return 1
	ip link set tapd2 down
	ip link add dum0 type dummy && LINK_LIST+=(dum0)
	ip addr add 10.99.0.1/24 dev dum0 && ip link set dum0 up
	"$LSDP" -b - <<-EOF
	switch add sw1 key 1
	port add sw1 vm1 key 1 mac $VM1_MAC ip 10.0.1.11 ip fd00:1::11 security dev tap1
	port add sw1 vm2 key 2 mac $VM2_MAC ip 10.0.1.12 security dev tap2
	port add sw1 vm3 key 3 mac 00:00:00:00:01:03 ip 10.0.1.13
	chassis add ch2 ip 10.99.0.2
	chassis add ch3 ip 10.98.0.2
	port add sw1 vmr key 5 type remote mac 00:00:00:00:01:05 chassis ch2
	port add sw1 vmr3 key 6 type remote mac 00:00:00:00:01:06 chassis ch3
	router add lr0 key 10
	port add lr0 lrp1 key 1 mac $LRP1_MAC net 10.0.1.1/24
	port add lr0 lrp2 key 2 mac 00:00:00:00:ff:02 net 10.0.2.1/24
	port add lr0 lr0-lr1 key 3 mac 00:00:00:00:ff:03 net 10.0.9.1/24
	port add sw1 sw1-lr0 key 4 type router peer lrp1
	switch add sw2 key 2
	port add sw2 sw2-lr0 key 2 type router peer lrp2
	port add sw2 vm4 key 1 mac $VM4_MAC ip 10.0.2.14 dev tap4
	router add lr1 key 11
	port add lr1 lr1-lr0 key 1 mac $LR1_MAC net 10.0.9.2/24
	port add lr1 lr1-sw3 key 2 mac 00:00:00:00:ff:14 net 10.0.3.1/24
	switch add swt key 4
	port add swt t-lr0 key 1 type router peer lr0-lr1
	port add swt t-lr1 key 2 type router peer lr1-lr0
	switch add sw3 key 5
	port add sw3 sw3-lr1 key 1 type router peer lr1-sw3
	port add sw3 vm5 key 2 mac $VM5_MAC ip 10.0.3.15 dev tap5
	route add lr0 10.0.3.0/24 via 10.0.9.2 port lr0-lr1
	neigh add lr0-lr1 10.0.9.2 mac $LR1_MAC
	switch add swu key 6
	port add swu u1 key 1 mac $U1_MAC dev tapu1
	port add swu u3 key 3 mac 00:00:00:00:06:03
	switch add swd key 7
	port add swd d1 key 1 mac $D1_MAC dev tapd1
	port add swd d2 key 2 mac $D2_MAC dev tapd2
	EOF
}

# send NS HEX: the frame, byte for byte, out of NS's eth0.
send() {
	ip netns exec "$1" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(bytes.fromhex(sys.argv[1]))' "$2"
}

# trace_json ARGS...: `lsdp -j trace ARGS` into $T, the frame traced in
# $FRAME, the outcomes in $OUTCOMES ("kind port reason", ';'-separated).
trace_json() {
	T=$("$LSDP" -j trace "$@") || { fail "lsdp -j trace $* failed"; return 1; }
	trace_outcomes "$T"
}

# The outcomes of the last trace.
outcomes() { echo "$OUTCOMES"; }

# has TEXT: the last trace's JSON holds TEXT (a step's detail, say).
has() { [[ $T == *"$1"* ]]; }

# cnt PORT REASON: the port's drop counter for REASON (0 if none yet).
cnt() {
	local j
	j=$("$LSDP" -j stats show "$1") || { echo error; return 1; }
	[[ $j =~ \"$2\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

# predict NS MICROFLOW PORT REASON: the trace of MICROFLOW must end in one
# drop at PORT for REASON; then the same frame, sent from NS, must move
# PORT's REASON counter by exactly one.
predict() {
	local ns=$1 flow=$2
	shift 2
	trace_json "$flow" || return 1
	confirm "$ns" "$1" "$2" "dropped $1 $2" "$flow"
}

# predict_hex NS INPORT HEX PORT REASON: as predict, for a frame in hex.
predict_hex() {
	trace_json "$2" from-hex "$3" || return 1
	confirm "$1" "$4" "$5" "dropped $4 $5" "$2 from-hex ..."
}

# confirm NS PORT REASON OUTCOMES WHAT: the last trace (of WHAT) had
# OUTCOMES; its frame, sent from NS, moves PORT's REASON counter by one.
confirm() {
	local ns=$1 port=$2 reason=$3 got a b
	# A flood's outcomes come in the order of its ports.
	got=$(outcomes | tr ';' '\n' | sort | paste -sd';')
	if [ "$got" != "$(tr ';' '\n' <<<"$4" | sort | paste -sd';')" ]; then
		fail "trace of '$5': '$got', expected '$4'"
		diag_output "$T"
		return 1
	fi
	a=$(cnt "$port" "$reason")
	send "$ns" "$FRAME" || { fail "sending the frame from $ns"; return 1; }
	sleep 0.3
	b=$(cnt "$port" "$reason")
	check_eq "$reason: $port's counter after the real frame" $((a + 1)) "$b"
}

F1="inport == \"vm1\" && eth.src == $VM1_MAC"

test_port_security() {
	predict ns1 "$F1 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.99 && ip4.dst == 10.0.1.12 && icmp4" \
		vm1 port-security-ip
	predict ns1 "inport == \"vm1\" && eth.src == 02:00:00:00:00:99 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.12 && icmp4" \
		vm1 port-security-mac
	predict ns1 "$F1 && arp.op == 1 && arp.spa == 10.0.1.77 && arp.tpa == 10.0.1.12" \
		vm1 port-security-arp
	predict ns1 "$F1 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.99 && udp" \
		vm2 port-security-egress
	predict ns1 "inport == \"vm1\" && eth.src == 01:00:5e:00:00:01 && eth.dst == $VM2_MAC && ip4" \
		vm1 src-mcast
}

# An NS whose source link-layer option is not vm1's MAC (the microflow
# syntax has no ND fields: pkt.py builds it).
test_ps_nd() {
	local hex
	hex=$("$PYTHON" "$SELFTESTS/pkt.py" - --src $VM1_MAC --dst 33:33:ff:00:00:12 --print \
		ns --sip fd00:1::11 --dip ff02::1:ff00:12 --target fd00:1::12 \
		--sll 02:00:00:00:00:99) || { fail "pkt.py --print"; return 1; }
	predict_hex ns1 vm1 "$hex" vm1 port-security-nd
}

test_l2_drops() {
	# sw2: no port takes unknown addresses, no other chassis.
	predict ns4 "inport == \"vm4\" && eth.dst == 00:00:00:00:02:99 && ip4.dst == 10.0.2.15 && icmp4" \
		vm4 no-dest
	predict ns1 "$F1 && eth.dst == $VM1_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.12 && icmp4" \
		vm1 hairpin
	predict ns1 "$F1 && vlan.vid == 5 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.12 && icmp4" \
		vm1 vlan
	# A flood's copy for a port bound nowhere (unicast to it is held).
	predict nsu "inport == \"u1\" && eth.dst == ff:ff:ff:ff:ff:ff && eth.type == 0x88b5" u3 unbound
	predict nsd "inport == \"d1\" && eth.dst == $D2_MAC && eth.type == 0x88b5" d2 dev-down
}

# vm1 -> router: the frame's destination MAC is the router's.
R1="$F1 && eth.dst == $LRP1_MAC && ip4.src == 10.0.1.11"

test_router_drops() {
	predict ns1 "$R1 && ip4.dst == 10.0.50.1 && icmp4" lrp1 no-route
	has "would send ICMP type 3 code 0 to the sender" || fail "no-route: no ICMP unreachable predicted"
	predict ns1 "$R1 && ip4.dst == 10.0.2.14 && ip.ttl == 1 && icmp4" lrp1 ttl
	has "would send ICMP type 11 code 0 to the sender" || fail "ttl: no ICMP time exceeded predicted"
	predict ns1 "$R1 && ip4.dst == 10.0.1.1 && udp" lrp1 router-local
	predict ns1 "$F1 && eth.dst == $LRP1_MAC && eth.type == 0x88b5" lrp1 router-l2
}

test_hold_off() {
	check_ok "hold set dest-bytes 0" "$LSDP" hold set dest-bytes 0 || return 1
	predict ns1 "$R1 && ip4.dst == 10.0.2.77 && icmp4" lrp2 hold-off
	has "would send ARP request: who has 10.0.2.77? tell 10.0.2.1" || fail "hold-off: no probe predicted"
	"$LSDP" hold set dest-bytes 212992
}

test_tunnel_drops() {
	predict ns1 "$F1 && eth.dst == 00:00:00:00:01:05 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.15 && icmp4" \
		vmr tun-no-encap
	check_ok "encap set local 10.99.0.1" "$LSDP" encap set local 10.99.0.1 || return 1
	predict ns1 "$F1 && eth.dst == 00:00:00:00:01:06 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.16 && icmp4" \
		vmr3 tun-no-route
	# 1500 bytes of IPv4 with DF for ch2, over dum0's MTU of 1500 less
	# the encapsulation's 58: the sender is told the MTU that fits.
	predict_hex ns1 vm1 "$(big_frame 00:00:00:00:01:05 $VM1_MAC 10.0.1.11 10.0.1.15 1500)" \
		vmr tun-frag-needed
	has "would send ICMP too big (MTU 1442) to the sender" || fail "tun-frag-needed: no ICMP predicted"
	# A tunnel the packet would take: the bytes of the OVN option.
	trace_json "$F1 && eth.dst == 00:00:00:00:01:05 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.15 && icmp4" || return 1
	check_eq "tunnelled to ch2" "tunnelled vmr -" "$(outcomes)"
	has 'tunnelled to ch2 (10.99.0.2) vni 1 option class 0x0102 type 0x80 len 4 data 00010005' ||
		fail "tunnel step: $T"
}

# big_frame DST SRC SIP DIP LEN [FRAG]: in hex, a UDP datagram of LEN
# bytes of IPv4 (the microflow syntax has no length), its flags and
# fragment offset FRAG (default 0x4000: DF).
big_frame() {
	"$PYTHON" - "$SELFTESTS" "$@" <<-'PY'
	import ipaddress, struct, sys
	sys.path.insert(0, sys.argv[1])
	from pkt import csum, mac
	d, s, sip, dip, n = sys.argv[2:7]
	n = int(n)
	frag = int(sys.argv[7], 0) if len(sys.argv) > 7 else 0x4000
	udp = struct.pack("!HHHH", 40000, 9, n - 20, 0) + bytes(n - 28)
	ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, n, 1, frag, 64, 17, 0,
	                 ipaddress.IPv4Address(sip).packed, ipaddress.IPv4Address(dip).packed)
	ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
	print((mac(d) + mac(s) + b"\x08\x00" + ip + udp).hex())
	PY
}

test_malformed() {
	local hex
	trace_json "$R1 && ip4.dst == 10.0.2.14 && icmp4" || return 1
	# The same frame with its IPv4 header checksum broken.
	hex=$FRAME
	hex=${hex:0:48}$(printf '%04x' $(( (0x${hex:48:4} + 1) & 0xffff )))${hex:52}
	trace_json vm1 from-hex "$hex" || return 1
	check_eq "bad checksum: the trace" "dropped lrp1 malformed" "$(outcomes)"
	local a b
	a=$(cnt lrp1 malformed)
	send ns1 "$hex"
	sleep 0.3
	b=$(cnt lrp1 malformed)
	check_eq "malformed: lrp1's counter after the real frame" $((a + 1)) "$b"
}

# Everything `lsdp` can show, as JSON.
dump_all() {
	local o
	for o in "switch show" "router show" "port show" "stats show" "route show" \
		 "neigh show" "hold show" "encap show" "chassis show"; do
		# shellcheck disable=SC2086
		"$LSDP" -j $o
		echo
	done | sed -E 's/"age_ms":[0-9]+//g'
}

# Seed 000: the first packet to a next hop nobody resolved yet is held and
# the next hop asked; in a trace nothing is held, asked or learned.
test_seed000_held() {
	local before after
	"$LSDP" neigh flush lrp2	# what earlier tests left probing
	before=$(dump_all)
	trace_json "$R1 && ip4.dst == 10.0.2.55 && icmp4" || return 1
	check_eq "held" "held lrp2 -" "$(outcomes)"
	has "would send ARP request: who has 10.0.2.55? tell 10.0.2.1" || fail "no probe predicted"
	has "route 10.0.2.0/24 (connected) next hop 10.0.2.55; ttl 64 -> 63" || fail "no route step"
	has "next hop 10.0.2.55 is unknown" || fail "no neighbour step"
	after=$(dump_all)
	[ "$before" = "$after" ] || { fail "the trace changed state"; diag_output "$(diff <(echo "$before") <(echo "$after"))"; }
	[[ $("$LSDP" neigh show) == *10.0.2.55* ]] && fail "a neighbour 10.0.2.55 appeared"
	diag_output "$("$LSDP" trace "$R1 && ip4.dst == 10.0.2.55 && icmp4")"
}

# Through two routers: lr0 routes by a static route, lr1 by a connected one.
test_two_routers() {
	trace_json "$R1 && ip4.dst == 10.0.3.15 && icmp4" || return 1
	check_eq "delivered to vm5" "delivered vm5 -" "$(outcomes)"
	check_eq "ingress order" "sw1 lr0 swt lr1 sw3" \
		"$(jq -r '[.steps[] | select(.kind == "ingress") | .datapath] | join(" ")' <<<"$T")"
	has '"kind":"route","datapath":"lr0","dp_key":10,"port":"lr0-lr1","port_key":3,"detail":"ip4.dst 10.0.3.15: route 10.0.3.0/24 (static) next hop 10.0.9.2; ttl 64 -> 63"' ||
		fail "lr0's route step"
	has '"kind":"route","datapath":"lr1","dp_key":11,"port":"lr1-sw3","port_key":2,"detail":"ip4.dst 10.0.3.15: route 10.0.3.0/24 (connected) next hop 10.0.3.15; ttl 63 -> 62"' ||
		fail "lr1's route step"
	# ... and the real packet goes there.
	cap_start ns5 eth0 icmp || return 1
	send ns1 "$FRAME"
	cap_stop ns5 eth0
	check_eq "the real frame reached vm5" 1 "$CAP_COUNT"
	diag_output "$("$LSDP" trace "$R1 && ip4.dst == 10.0.3.15 && icmp4")"
}

# Traces of every kind leave every counter and table as they were.
test_no_side_effects() {
	local before after f
	"$LSDP" neigh flush lrp2
	before=$(dump_all)
	for f in "$F1 && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.spa == 10.0.1.11 && arp.tpa == 10.0.1.1" \
		 "$R1 && ip4.dst == 10.0.1.1 && icmp4" \
		 "$R1 && ip4.dst == 10.0.3.15 && icmp4" \
		 "$R1 && ip4.dst == 10.0.2.66 && icmp4" \
		 "$F1 && eth.dst == 00:00:00:00:01:03 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.13 && icmp4" \
		 "$F1 && eth.dst == 00:00:00:00:01:05 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.15 && icmp4" \
		 "$F1 && eth.dst == 00:00:00:00:01:99 && ip4.src == 10.0.1.99 && icmp4"; do
		"$LSDP" trace "$f" >/dev/null || fail "trace '$f'"
	done
	after=$(dump_all)
	[ "$before" = "$after" ] || { fail "traces changed state"; diag_output "$(diff <(echo "$before") <(echo "$after"))"; }
	# What they predicted: the ARP request answered, the ping answered,
	# the unbound port holding.
	trace_json "$F1 && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.spa == 10.0.1.11 && arp.tpa == 10.0.1.1"
	has "would send ARP reply: 10.0.1.1 is at $LRP1_MAC, to 10.0.1.11" || fail "ARP reply not predicted"
	has "would learn 10.0.1.11 is at $VM1_MAC" || fail "learning not predicted"
	trace_json "$F1 && eth.dst == 00:00:00:00:01:03 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.13 && icmp4"
	check_eq "unbound vm3 holds" "held vm3 -" "$(outcomes)"
}

# trace_refused WHAT MESSAGE ARGS...: "lsdp ARGS" exits 1 with MESSAGE on
# stderr, or with any "Error: ..." when MESSAGE is empty.
trace_refused() {
	local what=$1 msg=$2

	shift 2
	capture "$LSDP" "$@"
	check_eq "$what: exit" 1 "$rc"
	if [ -n "$msg" ]; then
		check_eq "$what: message" "$msg" "$err"
	else
		[[ $err == Error:* ]] || fail "$what: '$err'"
	fi
}

test_bad_input() {
	trace_refused "unknown port" "Error: port not found" \
		trace nosuch from-hex 000000000002000000000001080045
	trace_refused "unparsable" "" \
		trace "inport == \"vm1\" && eth.src == $VM1_MAC && ip4.dst === 1"
	trace_refused "bad hex" "" trace vm1 from-hex 0000zz
	trace_refused "router port" "Error: a trace starts on a switch port" \
		trace lrp1 from-hex 0000000000020000000000010800
	trace_refused "unknown port in a microflow" "" \
		trace "inport == \"nosuch\" && ip4.dst == 1.2.3.4"
}

# Seed 004: containers on VLANs of their VM's vNIC.  child1 (tag 30 on
# vm1t, here) pings child2 (tag 50 on vm2t, on chassis ch2): the tag is
# popped on ingress, and the frame is tunnelled untagged with network2's
# VNI and the children's keys; to child3 (tag 40, also on vm1t) it is
# delivered on vm1t's tap with tag 40 pushed.
setup_seed004() {
	ns_create nst || return 1
	host_add nst tapt1 40:44:00:00:00:01 || return 1
	"$LSDP" -b - <<-EOF2
	switch add network1 key 21
	port add network1 vm1t key 1 mac 40:44:00:00:00:01 ip 192.168.0.11 dev tapt1
	port add network1 vm2t key 2 mac 40:44:00:00:00:02 ip 192.168.0.12 chassis ch2
	switch add network2 key 22
	port add network2 child1 key 1 mac 40:44:00:00:00:03 ip 192.168.1.13 parent vm1t tag 30
	port add network2 child2 key 2 mac 40:44:00:00:00:04 ip 192.168.1.14 parent vm2t tag 50
	port add network2 child3 key 3 mac 40:44:00:00:00:05 ip 192.168.1.15 parent vm1t tag 40
	EOF2
}

C1="inport == \"vm1t\" && vlan.vid == 30 && eth.src == 40:44:00:00:00:03 && ip4.src == 192.168.1.13 && icmp4"

test_seed004() {
	local a b
	setup_seed004 || { fail "seed 004 topology"; return 1; }
	trace_json "$C1 && eth.dst == 40:44:00:00:00:04 && ip4.dst == 192.168.1.14" || return 1
	check_eq "child1 -> child2: tunnelled" "tunnelled child2 -" "$(outcomes)"
	has '"kind":"vlan","datapath":"network2","dp_key":22,"port":"child1","port_key":1,"detail":"VLAN tag 30 popped"' ||
		fail "no tag popped step"
	has 'tunnelled to ch2 (10.99.0.2) vni 22 option class 0x0102 type 0x80 len 4 data 00010002' ||
		fail "tunnel step: $T"
	[[ $("$LSDP" -j stats show child2) =~ \"tx_packets\":([0-9]+) ]] && a=${BASH_REMATCH[1]}
	send nst "$FRAME"
	sleep 0.3
	[[ $("$LSDP" -j stats show child2) =~ \"tx_packets\":([0-9]+) ]] && b=${BASH_REMATCH[1]}
	check_eq "the real frame went into the tunnel for child2" $((a + 1)) "$b"
	diag_output "$("$LSDP" trace "$C1 && eth.dst == 40:44:00:00:00:04 && ip4.dst == 192.168.1.14")"
	trace_json "$C1 && eth.dst == 40:44:00:00:00:05 && ip4.dst == 192.168.1.15" || return 1
	check_eq "child1 -> child3: delivered" "delivered child3 -" "$(outcomes)"
	has 'delivered on tapt1, VLAN tag 40 pushed' || fail "no tag pushed: $T"
}

TRACEFS=/sys/kernel/tracing
test_tracepoint() {
	local ev=$TRACEFS/events/lsdp/drop a
	[ -d "$ev" ] || { fail "no $ev"; return 1; }
	echo 0 >$TRACEFS/tracing_on
	echo >$TRACEFS/trace
	echo 1 >"$ev/enable"
	echo 1 >$TRACEFS/tracing_on
	trace_json "inport == \"vm1\" && eth.src == 02:00:00:00:00:99 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.12 && icmp4" || return 1
	send ns1 "$FRAME"
	sleep 0.3
	echo 0 >"$ev/enable"
	a=$(grep ' drop: dp=' $TRACEFS/trace)
	echo >$TRACEFS/trace
	check_eq "one lsdp:drop event (the trace fired none)" 1 "$(grep -c . <<<"$a")"
	[[ $a == *"dp=1 port=vm1 port_key=1 reason=port-security-mac"* ]] || fail "event: $a"
	[[ $a == *"eth_src=02:00:00:00:00:99 eth_dst=$VM2_MAC eth_type=0x0800 ipver=4 src=::ffff:10.0.1.11 dst=::ffff:10.0.1.12 proto=1"* ]] ||
		fail "header summary: $a"
	diag_output "$a"
}

# wait_bg PID TENTHS: whether PID exited within TENTHS of a second.
wait_bg() {
	local i
	for i in $(seq 1 "$2"); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

test_monitor() {
	local f=/tmp/lsdp-mon.$$ pid i hex
	trace_json "inport == \"vm1\" && eth.src == 02:00:00:00:00:99 && eth.dst == $VM2_MAC && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.12 && icmp4" || return 1
	hex=$FRAME
	"$LSDP" -j monitor drops count 1 >"$f" &
	pid=$!
	# Until it listens: a drop a few times a second.
	for i in $(seq 1 30); do
		send ns1 "$hex"
		wait_bg "$pid" 3 && break
		kill -0 "$pid" 2>/dev/null || break
	done
	kill "$pid" 2>/dev/null && fail "monitor drops heard no drop"
	wait "$pid" 2>/dev/null
	check_eq "drop event (JSON)" "drop vm1 port-security-mac 02:00:00:00:00:99 10.0.1.11 10.0.1.12 1" \
		"$(jq -r '[.type, .port, .reason, .eth_src, .ip_src, .ip_dst, .ip_proto] | map(tostring) | join(" ")' "$f")"
	"$LSDP" monitor events count 1 >"$f" &
	pid=$!
	for i in $(seq 1 10); do
		sleep 0.5
		"$LSDP" port add sw1 mon$i key $((100 + i))
		wait_bg "$pid" 10 && break
	done
	kill "$pid" 2>/dev/null && fail "monitor events heard nothing"
	wait "$pid" 2>/dev/null
	[[ $(cat "$f") == "port-new datapath sw1 port mon"*" key 10"* ]] || fail "port event: $(cat "$f")"
	rm -f "$f"
}

# The drops left: a patch without a peer, a routing loop, the MTU, the hold
# caps and a full neighbour table, a provider frame for a port on another
# chassis, ACL drop and reject.
#   swm (key 8): m1 ..:08:01 (tapm1, nsm1), m2 ..:08:02 (tapm2, MTU 500),
#                mp key 3 (switch side of a patch whose router port went)
#   swl (key 9): lnet (localnet, tapl, nsl), rl ..:09:02 (remote, on ch2)
#   lr0 and lr1 send 10.0.77.0/24 to each other.
M1_MAC=00:00:00:00:08:01 M2_MAC=00:00:00:00:08:02 L1_MAC=00:00:00:00:09:01
setup_more() {
	ns_create nsm1 nsm2 nsl || return 1
	host_add nsm1 tapm1 $M1_MAC && host_add nsm2 tapm2 $M2_MAC &&
	host_add nsl tapl $L1_MAC || return 1
	ip link set tapm2 mtu 500
	"$LSDP" -b - <<-EOF
	switch add swm key 8
	port add swm m1 key 1 mac $M1_MAC dev tapm1
	port add swm m2 key 2 mac $M2_MAC dev tapm2
	router add lrx key 12
	port add lrx lrxp key 1 mac 00:00:00:00:ff:21 net 10.0.88.1/24
	port add swm mp key 3 type router peer lrxp
	port del lrxp
	switch add swl key 9
	port add swl lnet key 1 type localnet unknown dev tapl
	port add swl rl key 2 type remote mac 00:00:00:00:09:02 chassis ch2
	route add lr0 10.0.77.0/24 via 10.0.9.2 port lr0-lr1
	route add lr1 10.0.77.0/24 via 10.0.9.1 port lr1-lr0
	neigh add lr1-lr0 10.0.9.1 mac 00:00:00:00:ff:03
	EOF
}

FM="inport == \"m1\" && eth.src == $M1_MAC"

test_more_drops() {
	local hex
	setup_more || { fail "setup of swm, swl"; return 1; }
	# A flood: m2 gets its copy, the patch without a peer drops its own.
	trace_json "$FM && eth.dst == ff:ff:ff:ff:ff:ff && eth.type == 0x88b5" || return 1
	confirm nsm1 mp no-peer "delivered m2 -;dropped mp no-peer" "flood from m1"
	# 600 bytes for m2, whose netdev takes 500.
	hex=$(printf '%s' "${M2_MAC//:/}${M1_MAC//:/}88b5"; printf '00%.0s' $(seq 600))
	predict_hex nsm1 m1 "$hex" m2 mtu
	# Nine patches deep: lr0 and lr1 pass 10.0.77.1 back and forth.
	predict ns1 "$R1 && ip4.dst == 10.0.77.1 && icmp4" t-lr0 loop
	predict nsl "inport == \"lnet\" && eth.src == $L1_MAC && eth.dst == 00:00:00:00:09:02 && eth.type == 0x88b5" \
		lnet localnet-remote
	check_ok "acl drop" "$LSDP" acl add swm dir from-lport prio 100 \
		match 'inport == "m1" && udp.dst == 7' action drop &&
	check_ok "acl reject" "$LSDP" acl add swm dir from-lport prio 100 \
		match 'inport == "m1" && tcp.dst == 7' action reject || return 1
	predict nsm1 "$FM && eth.dst == $M2_MAC && ip4.src == 10.0.8.1 && ip4.dst == 10.0.8.2 && udp.dst == 7" \
		m1 acl-drop
	predict nsm1 "$FM && eth.dst == $M2_MAC && ip4.src == 10.0.8.1 && ip4.dst == 10.0.8.2 && tcp.dst == 7" \
		m1 acl-reject
	has "would answer with a TCP RST or ICMP unreachable" || fail "acl-reject: no answer predicted"
	"$LSDP" acl del swm
}

test_hold_caps() {
	local max
	"$LSDP" neigh flush lrp2
	# A held packet costs its length with the Ethernet header: 98 bytes.
	check_ok "dest-bytes 50" "$LSDP" hold set dest-bytes 50 || return 1
	predict ns1 "$R1 && ip4.dst == 10.0.2.78 && icmp4" lrp2 hold-dest-full
	check_ok "total-bytes 50" "$LSDP" hold set dest-bytes 212992 total-bytes 50 || return 1
	predict ns1 "$R1 && ip4.dst == 10.0.2.79 && icmp4" lrp2 hold-total-full
	"$LSDP" hold set total-bytes 8388608
	# As many neighbours as there are now: a new next hop has no room.
	max=$("$LSDP" -j neigh show | jq length)
	check_ok "neigh-max $max" "$LSDP" hold set neigh-max "$max" || return 1
	predict ns1 "$R1 && ip4.dst == 10.0.2.80 && icmp4" lrp2 neigh-full
	"$LSDP" hold set neigh-max 16384
}

# A router with NAT takes no fragments (nf_nat needs whole packets): the
# first fragment of a datagram through lr0, once lr0 has an snat rule.
test_nat_fragment() {
	check_ok "snat on lr0" "$LSDP" nat add lr0 snat 10.0.2.1 10.0.1.0/24 || return 1
	predict_hex ns1 vm1 "$(big_frame $LRP1_MAC $VM1_MAC 10.0.1.11 10.0.2.14 200 0x2000)" \
		lrp1 nat-fragment
	"$LSDP" nat del lr0 snat 10.0.2.1
}

# nat-exhausted: an snat rule with one external id (for ICMP the echo
# id), which a first ping's connection holds.  A simulated trace confirms
# no connection; it asks whether confirming would clash (nat.c,
# lsdp_nat_confirm()), so it predicts the drop of a second echo.
test_nat_exhausted() {
	ip -n ns1 route add 10.0.2.0/24 via 10.0.1.1 || return 1
	check_ok "snat with one external id" \
		"$LSDP" nat add lr0 snat 10.0.2.1 10.0.1.0/24 ports 1000-1000 || return 1
	check_ok "a first ping takes the one id" \
		ip netns exec ns1 ping -n -q -c 1 -W 5 10.0.2.14
	predict ns1 "$R1 && ip4.dst == 10.0.2.14 && icmp4" lrp1 nat-exhausted
	"$LSDP" nat del lr0 snat 10.0.2.1 10.0.1.0/24
	ip -n ns1 route del 10.0.2.0/24
}

# nat-failed: conntrack refusing a packet lsdp hands it.  Its table full
# (net.netfilter.nf_conntrack_max 1) of a connection it may not evict (an
# established TCP connection through lr0 is assured), a new connection
# finds no room: the trace's allocation fails as the real packet's will.
test_nat_failed() {
	local f=/tmp/lsdp-tcp.$$ max srv cli i ok=
	max=$(sysctl -n net.netfilter.nf_conntrack_max) || return 1
	ip -n ns1 route add 10.0.2.0/24 via 10.0.1.1 || return 1
	check_ok "snat on lr0" "$LSDP" nat add lr0 snat 10.0.2.1 10.0.1.0/24 || return 1
	ip netns exec ns4 "$PYTHON" -c '
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.2.14", 7000))
s.listen(1)
c, _ = s.accept()
time.sleep(60)' &
	srv=$!
	ip netns exec ns1 "$PYTHON" -c '
import socket, sys, time
for i in range(100):
    try:
        c = socket.create_connection(("10.0.2.14", 7000), timeout=5)
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit(1)
print("connected", flush=True)
c.recv(1)' >"$f" &
	cli=$!
	for i in $(seq 1 150); do
		grep -q connected "$f" 2>/dev/null && { ok=1; break; }
		sleep 0.2
	done
	if [ -z "$ok" ]; then
		fail "no TCP connection through lr0"
	else
		# The handshake's last ACK made the connection assured.
		sleep 0.5
		diag "conntrack entries: $(sysctl -n net.netfilter.nf_conntrack_count)"
		sysctl -qw net.netfilter.nf_conntrack_max=1
		predict ns1 "$R1 && ip4.dst == 10.0.2.14 && icmp4" lrp1 nat-failed
		sysctl -qw net.netfilter.nf_conntrack_max="$max"
	fi
	kill "$cli" "$srv" 2>/dev/null
	wait "$cli" "$srv" 2>/dev/null
	rm -f "$f"
	"$LSDP" nat del lr0 snat 10.0.2.1 10.0.1.0/24
	ip -n ns1 route del 10.0.2.0/24
}

# The hold queue's timed drops: the trace says "held" and names the probe;
# the real packet is held, then dropped when its time is up (short timers
# here), or when its next hop is deleted.
test_hold_timed() {
	"$LSDP" neigh flush lrp2
	check_ok "retries 1, interval 50 ms" "$LSDP" hold set retries 1 interval 50 || return 1
	trace_json "$R1 && ip4.dst == 10.0.2.81 && icmp4" || return 1
	confirm_later ns1 lrp2 hold-failed "held lrp2 -" "to 10.0.2.81, unanswered" 1
	has "would send ARP request: who has 10.0.2.81? tell 10.0.2.1" || fail "hold-failed: no probe predicted"
	"$LSDP" hold set retries 3 interval 1000

	check_ok "unbound-time 100 ms" "$LSDP" hold set unbound-time 100 || return 1
	trace_json "$F1 && eth.dst == 00:00:00:00:01:03 && ip4.src == 10.0.1.11 && ip4.dst == 10.0.1.13 && icmp4" || return 1
	has "held until the port is bound (at most 100 ms)" || fail "hold-timeout: no hold predicted"
	confirm_later ns1 vm3 hold-timeout "held vm3 -" "to vm3, bound nowhere" 1
	"$LSDP" hold set unbound-time 10000

	# Long probes: a loaded TCG guest can take seconds to send a frame,
	# and the frame must still be held when its neighbour goes.
	check_ok "retries 10, interval 5 s" "$LSDP" hold set retries 10 interval 5000 || return 1
	trace_json "$R1 && ip4.dst == 10.0.2.82 && icmp4" || return 1
	confirm_later ns1 lrp2 hold-flush "held lrp2 -" "to 10.0.2.82, its neighbour deleted" \
		"$LSDP neigh del lrp2 10.0.2.82"
	"$LSDP" hold set retries 3 interval 1000
}

# confirm_later NS PORT REASON OUTCOMES WHAT THEN: as confirm, for a drop
# that comes later: after the frame, THEN (seconds to wait, or a command
# to run, before which the frame must still be held) before the counter
# is read.
confirm_later() {
	local a b
	check_eq "trace of a frame $5" "$4" "$(outcomes)" || { diag_output "$T"; return 1; }
	a=$(cnt "$2" "$3")
	send "$1" "$FRAME" || { fail "sending the frame from $1"; return 1; }
	case $6 in
	[0-9]*) sleep "$6" ;;
	*)	sleep 0.3
		check_eq "$3: not before '$6'" "$a" "$(cnt "$2" "$3")"
		$6 || fail "$6" ;;
	esac
	sleep 0.3
	b=$(cnt "$2" "$3")
	check_eq "$3: $2's counter after the real frame" $((a + 1)) "$b" ||
		diag_output "$("$LSDP" hold show; "$LSDP" stats show "$2")"
}

setup || ksft_abort "setup failed"
run_test "trace: port security drops predicted and confirmed" test_port_security
run_test "trace: port-security-nd (an NS from hex)" test_ps_nd
run_test "trace: L2 drops (no-dest, hairpin, vlan, unbound, dev-down)" test_l2_drops
run_test "trace: router drops (no-route, ttl, router-local, router-l2)" test_router_drops
run_test "trace: malformed (bad IPv4 checksum) from hex" test_malformed
run_test "trace: hold-off predicted with its probe" test_hold_off
run_test "trace: hold caps and a full neighbour table" test_hold_caps
run_test "trace: held, then hold-failed, hold-timeout, hold-flush" test_hold_timed
run_test "trace: nat-fragment (a fragment through a router with NAT)" test_nat_fragment
run_test "trace: nat-failed (conntrack's table full) predicted and confirmed" test_nat_failed
run_test "trace: nat-exhausted (an snat's one id taken) predicted and confirmed" test_nat_exhausted
run_test "trace: seed 000's first packet: held, probe sent, nothing changed" test_seed000_held
run_test "trace: routed through two routers, and the real packet follows" test_two_routers
run_test "trace: tunnel (no encap, no route, frag needed, the option bytes)" test_tunnel_drops
run_test "trace: seed 004's trunk walk (tag popped, tunnelled; tag pushed)" test_seed004
run_test "trace: no counter or table changes" test_no_side_effects
run_test "trace: no-peer, mtu, loop, localnet-remote, acl-drop, acl-reject" test_more_drops
run_test "trace: bad input is an error" test_bad_input
run_test "lsdp:drop tracepoint" test_tracepoint
run_test "lsdp monitor: drops and events" test_monitor
ksft_exit
