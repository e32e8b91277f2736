#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `lsdp trace live` (issue 16): real packets that match are followed
# through the real path, forwarded as usual, and their walks streamed to
# the CLI; across a Geneve tunnel the receiving chassis continues the walk.
# Also the drops only a real packet can show (tx-error, ct-invalid): the
# live walk names the drop and the counter moves by one; and the tunnel
# receive drops, predicted by `lsdp trace from-tunnel` on the receiving
# chassis from the bytes the sender would send, then confirmed by them.
#
# Two chassis w1 and w2 (netns, each its own lsdp) joined by an underlay
# veth u1--u2 (192.0.2.1 -- 192.0.2.2), seed 004's topology:
#
#   network1 (key 1): vm1 key 1 (on w1, tap1), vm2 key 2 (on w2, tap2)
#   network2 (key 2): child1 key 1 (parent vm1, tag 30)
#                     child2 key 2 (parent vm2, tag 50)
#                     vm3 key 3 (on w1, tap3, a plain port)
#                     vm6 key 6 (on w2, tap6, a plain port)
#
# vm1 and vm2 are netns whose eth0 is the parent's vNIC and a VLAN device
# child1@eth0 (id 30) / child2@eth0 (id 50) the container's.
. "$(dirname "$0")/lib.sh"

lsdp_require
"$LSDP" trace help 2>&1 | grep -q 'trace.*live' || ksft_abort "the CLI has no 'trace live'"
modprobe -a 8021q sch_ingress cls_u32 act_gact 2>/dev/null

M1=40:44:00:00:00:01 M2=40:44:00:00:00:02 MC1=40:44:00:00:00:03
MC2=40:44:00:00:00:04 M3=40:44:00:00:00:05 M6=40:44:00:00:00:06
INJECT="$PYTHON $(dirname "$0")/geneve_inject.py"
OUT=/tmp/lsdp-live.$$

L() {
	local ns=$1
	shift
	"$LSDP" -n "$ns" "$@"
}

# vm_add VM CHASSIS TAP MAC ADDR: netns VM (IPv4 only), eth0 with MAC and
# ADDR; its veth peer TAP up in CHASSIS.
vm_add() {
	ip link add "$3" type veth peer name eth0 netns "$1" || return 1
	ip link set "$3" netns "$2" || return 1
	ip netns exec "$2" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$2" link set "$3" up &&
	ip -n "$1" link set eth0 address "$4" &&
	ip -n "$1" addr add "$5" dev eth0 &&
	ip -n "$1" link set eth0 up
}

# live_batch CHASSIS: the batch that programs chassis w1 or w2 with the
# topology above: each port bound to its tap on the chassis it lives on,
# to that chassis elsewhere; trunk children follow their parent.
live_batch() {
	local me=$1 other=w1 ip=192.0.2.2 peer_ip=192.0.2.1
	local net port key mac addr at

	if [ "$me" = w1 ]; then
		other=w2 ip=192.0.2.1 peer_ip=192.0.2.2
	fi
	printf '%s\n' "encap set local $ip" "chassis add $other ip $peer_ip" \
		"switch add network1 key 1" "switch add network2 key 2"
	while read -r net port key mac addr at; do
		case $at in
		"$me":*) at="dev ${at#*:}" ;;
		w[12]:*) at="chassis ${at%%:*}" ;;
		esac
		echo "port add $net $port key $key mac $mac ip $addr $at"
	done <<-EOF
	network1 vm1 1 $M1 192.168.0.11 w1:tap1
	network1 vm2 2 $M2 192.168.0.12 w2:tap2
	network2 child1 1 $MC1 192.168.1.13 parent vm1 tag 30
	network2 child2 2 $MC2 192.168.1.14 parent vm2 tag 50
	network2 vm3 3 $M3 192.168.1.15 w1:tap3
	network2 vm6 6 $M6 192.168.1.16 w2:tap6
	EOF
}

setup() {
	ns_create w1 w2 vm1 vm2 vm3 vm6 || return 1
	ip link add u1 type veth peer name u2 || return 1
	ip link set u1 netns w1 && ip link set u2 netns w2 || return 1
	ip -n w1 addr add 192.0.2.1/24 dev u1 && ip -n w2 addr add 192.0.2.2/24 dev u2 &&
	ip -n w1 link set u1 up && ip -n w2 link set u2 up || return 1
	vm_add vm1 w1 tap1 $M1 192.168.0.11/24 &&
	vm_add vm2 w2 tap2 $M2 192.168.0.12/24 &&
	child_add vm1 child1 30 $MC1 192.168.1.13/24 &&
	child_add vm2 child2 50 $MC2 192.168.1.14/24 &&
	vm_add vm3 w1 tap3 $M3 192.168.1.15/24 &&
	vm_add vm6 w2 tap6 $M6 192.168.1.16/24 || return 1
	live_batch w1 | L w1 -b - || return 1
	live_batch w2 | L w2 -b - || return 1
	# ARP settled once, so that the pings below are one echo each way.
	ip netns exec vm1 ping -c 1 -W 5 -I child1 192.168.1.14 >/dev/null 2>&1
	ip netns exec vm3 ping -c 1 -W 5 192.168.1.16 >/dev/null 2>&1
	return 0
}

# live_start NS TAG ARGS...: `lsdp -n NS trace ARGS` in the background,
# its output in $OUT.TAG, its pid in LIVE_PID[TAG]; returns once the
# kernel took the trace (the CLI says so).
declare -A LIVE_PID
live_start() {
	local ns=$1 tag=$2 i
	shift 2
	"$LSDP" -n "$ns" trace "$@" >"$OUT.$tag" 2>"$OUT.$tag.err" &
	LIVE_PID[$tag]=$!
	for i in $(seq 1 100); do
		grep -q 'waiting for packets' "$OUT.$tag" 2>/dev/null && return 0
		kill -0 "${LIVE_PID[$tag]}" 2>/dev/null || break
		sleep 0.05
	done
	fail "live trace $tag did not start: $(cat "$OUT.$tag" "$OUT.$tag.err")"
	return 1
}

# reap PID: PID is gone within 5 s (the kernel's release of its socket
# done); else where it is stuck, and a failure.
reap() {
	local i
	for i in $(seq 1 50); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
		sleep 0.1
	done
	fail "pid $1 does not go away: $(cat /proc/"$1"/wchan 2>/dev/null) $(grep -E 'State|SigIgn|SigBlk|SigPnd|ShdPnd' /proc/"$1"/status | tr '\n' ' ') $(tr '\0' ' ' </proc/"$1"/cmdline)"
	diag_output "$(cat /proc/"$1"/stack 2>/dev/null)"
	return 1
}

# live_stop TAG [SIG]: kill the CLI (SIGTERM by default) and reap it.
live_stop() {
	kill "-${2:-TERM}" "${LIVE_PID[$1]}" 2>/dev/null
	reap "${LIVE_PID[$1]}"
}

# live_wait TAG: the CLI exits by itself within 5 s (its count reached);
# else it is killed and that is a failure.
live_wait() {
	local pid=${LIVE_PID[$1]} i
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid"; return; }
		sleep 0.1
	done
	live_stop "$1"
	fail "live trace $1 did not end by itself: $(cat "$OUT.$1")"
	return 1
}

# has_line TAG TEXT: the live trace's output has TEXT.
has_line() {
	grep -qF -- "$2" "$OUT.$1" || { fail "live trace $1: no '$2'"; diag_output "$(cat "$OUT.$1")"; return 1; }
}

# txp NS PORT: the port's tx_packets in NS.
txp() {
	[[ $(L "$1" -j stats show "$2") =~ \"tx_packets\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

# dcnt NS PORT REASON: PORT's drop counter for REASON in NS (- for the
# netns-wide tunnel counters of `encap show`).
dcnt() {
	local j
	if [ "$2" = - ]; then j=$(L "$1" -j encap show); else j=$(L "$1" -j stats show "$2"); fi
	[[ $j =~ \"$3\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

C1="inport == \"vm1\" && vlan.vid == 30 && eth.src == $MC1 && ip4.src == 192.168.1.13 && icmp4"

# Seed 004 across two chassis: child1 (VLAN 30 in vm1, on w1) pings
# child2 (VLAN 50 in vm2, on w2).  w1's simulated trace predicts the tunnel
# and its option bytes, w2's of that Geneve payload (`trace from-tunnel`)
# the delivery with tag 50 pushed; then the same live trace on both chassis follows
# the real echo request: w1 pops tag 30 and tunnels it, w2 takes it from
# the tunnel (same VNI and option) and delivers it with tag 50 pushed.
test_seed004_two_chassis() {
	local sim hex a b
	sim=$(L w1 trace "$C1 && eth.dst == $MC2 && ip4.dst == 192.168.1.14") ||
		{ fail "simulated trace on w1"; return 1; }
	[[ $sim == *"tunnelled to w2 (192.0.2.2) vni 2 option class 0x0102 type 0x80 len 4 data 00010002"* ]] ||
		{ fail "w1's simulated trace: no tunnel step"; diag_output "$sim"; }
	diag "w1, simulated:"
	diag_output "$sim"
	# w2's side of the same walk, simulated: the Geneve payload w1 would
	# send (VNI 2, OVN's option: inport child1 1, outport child2 2).
	hex=$($INJECT 192.0.2.2 ok --vni 2 --in-key 1 --out-key 2 --src $MC1 --dst $MC2 \
		--sip 192.168.1.13 --dip 192.168.1.14 --print) ||
		{ fail "geneve_inject.py --print"; return 1; }
	sim=$(L w2 trace from-tunnel "$hex") || { fail "simulated trace from-tunnel on w2"; return 1; }
	[[ $sim == *"from-tunnel: received from a tunnel: vni 2 option data 00010002 (inport 1, outport 2)"* &&
	   $sim == *"=> delivered [child2]: delivered on tap2, VLAN tag 50 pushed"* ]] ||
		{ fail "w2's simulated trace from the tunnel"; diag_output "$sim"; }
	diag "w2, simulated from the tunnel:"
	diag_output "$sim"
	live_start w1 s1 live "inport == \"child1\" && icmp4.type == 8 && ip4.dst == 192.168.1.14" count 1 || return 1
	live_start w2 s2 live "inport == \"child1\" && icmp4.type == 8 && ip4.dst == 192.168.1.14" count 1 || return 1
	a=$(txp w2 child2)
	ip netns exec vm1 ping -c 1 -W 5 -I child1 192.168.1.14 >/dev/null ||
		fail "child1 cannot ping child2 while traced"
	live_wait s1
	live_wait s2
	b=$(txp w2 child2)
	# At least: the host may have sent an ARP probe of its own meanwhile.
	check_ge "live: child2's tx counter moved (real packets are forwarded)" $((a + 1)) "$b"
	has_line s1 'vlan [child1]: received on vm1 with VLAN tag 30, tag popped' &&
	has_line s1 'ingress(dp="network2", inport="child1")' &&
	has_line s1 'l2-lookup: eth.dst 40:44:00:00:00:04: port child2' &&
	has_line s1 '=> tunnelled [child2]: tunnelled to w2 (192.0.2.2) vni 2 option class 0x0102 type 0x80 len 4 data 00010002'
	has_line s2 'ingress(dp="network2", inport="child1")' &&
	has_line s2 'from-tunnel: received from a tunnel: vni 2 option data 00010002 (inport 1, outport 2)' &&
	has_line s2 '=> delivered [child2]: delivered on tap2, VLAN tag 50 pushed'
	diag "w1, live:"
	diag_output "$(cat "$OUT.s1")"
	diag "w2, live:"
	diag_output "$(cat "$OUT.s2")"
}

# A live trace across the tunnel between plain ports, in JSON; and one
# that matches nothing sees nothing while traffic flows.
test_live_tunnel() {
	local a b
	live_start w2 t2 live "inport == \"vm3\" && ip4.src == 192.168.1.15 && icmp4.type == 8" count 2 || return 1
	live_start w1 none live "inport == \"vm3\" && ip4.dst == 192.168.1.99" || return 1
	a=$(txp w2 vm6)
	ip netns exec vm3 ping -c 2 -i 0.3 -W 5 192.168.1.16 >/dev/null ||
		fail "vm3 cannot ping vm6 while traced"
	live_wait t2
	b=$(txp w2 vm6)
	check_ge "vm6's tx counter moved by the two echo requests" $((a + 2)) "$b"
	check_eq "two walks on w2" 2 "$(grep -c '^packet ' "$OUT.t2")"
	has_line t2 'packet 2:' &&
	has_line t2 'from-tunnel: received from a tunnel: vni 2 option data 00030006 (inport 3, outport 6)' &&
	has_line t2 '=> delivered [vm6]: delivered on tap6'
	live_stop none
	check_eq "a live trace matching nothing printed no walk" 0 "$(grep -c '^packet ' "$OUT.none")"
}

# count N ends the CLI after N walks; a killed CLI's traces are gone
# (the kernel has room for 4 again); a fifth is refused.
test_live_count_and_release() {
	local i
	live_start w1 c live "inport == \"vm3\" && icmp4" count 3 || return 1
	timeout 20 ip netns exec vm3 ping -c 5 -i 0.2 -W 5 192.168.1.16 >/dev/null
	live_wait c
	check_eq "count 3: three walks, then the CLI ended" 3 "$(grep -c '^packet ' "$OUT.c")" ||
		diag_output "$(cat "$OUT.c" "$OUT.c.err")"
	for i in 1 2 3 4; do live_start w1 k$i live "inport == \"vm3\" && udp" || return 1; done
	capture timeout 10 "$LSDP" -n w1 trace live "inport == \"vm3\" && udp"
	check_eq "a fifth live trace: exit" 1 "$rc"
	check_eq "a fifth live trace: message" "Error: at most 4 live traces per network namespace" "$err"
	for i in 1 2 3 4; do live_stop k$i KILL || return 1; done
	for i in 1 2 3 4; do live_start w1 k$i live "inport == \"vm3\" && udp" || return 1; done
	# SIGTERM (Ctrl-C's SIGINT kills the CLI the same way, but a script's
	# background jobs ignore SIGINT): gone too, so one more fits.
	for i in 1 2 3 4; do live_stop k$i TERM || return 1; done
	live_start w1 k5 live "inport == \"vm3\" && udp" count 1 || return 1
	live_stop k5
}

test_live_bad_input() {
	capture "$LSDP" -n w1 trace live "inport == \"nosuch\" && icmp4"
	check_eq "unknown port: exit" 1 "$rc"
	check_eq "unknown port: message" "Error: port not found" "$err"
	capture "$LSDP" -n w1 trace live "inport == \"vm3\" && ip4.dst === 1"
	check_eq "unparsable: exit" 1 "$rc"
	[[ $err == Error:* ]] || fail "unparsable: '$err'"
	capture "$LSDP" -n w1 trace live "inport == \"vm3\" && icmp4" count 0
	check_eq "count 0: exit" 1 "$rc"
	[[ $err == "Error: invalid count \"0\""* ]] || fail "count 0: '$err'"
	capture "$LSDP" -n w1 trace live "ip4.dst == 1.2.3.4"
	check_eq "no inport: exit" 1 "$rc"
	[[ $err == Error:* ]] || fail "no inport: '$err'"
	capture "$LSDP" -n w1 trace live "$C1"
	check_eq "vlan.vid: exit" 1 "$rc"
	[[ $err == "Error: a live trace matches where the tag is gone"* ]] || fail "vlan.vid: '$err'"
}

# A frame the device refuses at transmit: a simulated trace can only say
# "delivered on tap6" (the device decides when it is handed the frame);
# the live walk shows the drop, and tx-error moves by one.
test_live_tx_error() {
	local a b
	# Only that datagram: vm3 knows vm6's MAC, and nothing else is refused.
	ip -n vm3 neigh replace 192.168.1.16 lladdr $M6 dev eth0 nud permanent
	tc -n w2 qdisc add dev tap6 clsact &&
	tc -n w2 filter add dev tap6 egress protocol ip u32 \
		match ip protocol 17 0xff match ip dport 9 0xffff action drop ||
		{ skip "tx-error: no tc u32/gact in this kernel"; return; }
	a=$(dcnt w2 vm6 tx-error)
	live_start w2 tx live "inport == \"vm3\" && udp.dst == 9" count 1 || return 1
	ip netns exec vm3 "$PYTHON" -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.168.1.16", 9))'
	live_wait tx
	b=$(dcnt w2 vm6 tx-error)
	tc -n w2 qdisc del dev tap6 clsact
	check_eq "tx-error: vm6's counter after the real packet" $((a + 1)) "$b"
	has_line tx 'delivered [vm6]: delivered on tap6' &&
	has_line tx '=> dropped [vm6]: tx-error'
}

# Tunnel receive drops, on w2, of hand-made Geneve packets from w1 with
# vm3 (key 3) as their inport: the live walk on w2 names the drop, the
# netns-wide tunnel counter moves by one.  The VNI and option checks run
# before any inport is known (unknown VNI, bad or critical options): no
# live trace can follow those packets.
inject_live() {
	local what=$1 reason=$2 a b
	shift 2
	a=$(dcnt w2 - "$reason")
	live_start w2 rx live "inport == \"vm3\"" count 1 || return 1
	ip netns exec w1 $INJECT 192.0.2.2 ok --vni 2 --in-key 3 --src $M3 --dst $M6 \
		--sip 192.168.1.15 --dip 192.168.1.16 "$@" || fail "$what: inject failed"
	live_wait rx
	b=$(dcnt w2 - "$reason")
	check_eq "$what: $reason after the real packet" $((a + 1)) "$b"
	has_line rx "=> dropped: $reason"
}

test_live_tunnel_rx_drops() {
	inject_live "OVN group 32770" tun-mc-group --out-key 32770
	inject_live "egress key 99" tun-unknown-port --out-key 99
	inject_live "egress key of a port on w1" tun-remote-port --out-key 3
}

# tunnel_predict OUTCOMES REASON CASE [INJECT-ARGS...]: w2's trace of the
# Geneve payload geneve_inject.py builds (`lsdp trace from-tunnel`, as if
# w1 had sent it; from vm3 to vm6 unless INJECT-ARGS say otherwise) has
# OUTCOMES and changes no counter; then w1 sends the same bytes for real
# and w2's netns-wide REASON counter moves by one (REASON -: vm6's
# tx_packets move instead).
tunnel_predict() {
	local want=$1 reason=$2 case=$3 hex t before a b
	shift 3
	hex=$($INJECT 192.0.2.2 "$case" --vni 2 --in-key 3 --src $M3 --dst $M6 \
		--sip 192.168.1.15 --dip 192.168.1.16 "$@" --print) ||
		{ fail "geneve_inject.py $case $* --print"; return 1; }
	before=$(L w2 -j encap show)
	t=$(L w2 -j trace from-tunnel "$hex") || { fail "trace from-tunnel ($case $*)"; return 1; }
	trace_outcomes "$t"
	check_eq "from-tunnel $case $*: the trace" "$want" "$OUTCOMES" || diag_output "$t"
	check_eq "from-tunnel $case $*: the trace counted nothing" "$before" "$(L w2 -j encap show)"
	if [ "$reason" = - ]; then a=$(txp w2 vm6); else a=$(dcnt w2 - "$reason"); fi
	ip netns exec w1 $INJECT 192.0.2.2 raw --payload "$hex" || fail "sending the payload"
	sleep 0.3
	if [ "$reason" = - ]; then b=$(txp w2 vm6); else b=$(dcnt w2 - "$reason"); fi
	if [ "$reason" = - ]; then
		# At least: vm6 may have been sent something else meanwhile.
		check_ge "from-tunnel $case $*: vm6's tx after the real packet" $((a + 1)) "$b"
	else
		check_eq "from-tunnel $case $*: $reason after the real packet" $((a + 1)) "$b"
	fi
}

# Every receive-side drop, predicted on w2 from the bytes w1 would send,
# then confirmed by those bytes sent: those before any inport is known
# too, which no live trace can follow.
test_trace_from_tunnel() {
	local t
	tunnel_predict "delivered vm6 -" - ok --out-key 6
	t=$(L w2 trace from-tunnel "$($INJECT 192.0.2.2 ok --vni 2 --in-key 3 --out-key 6 --src $M3 \
		--dst $M6 --sip 192.168.1.15 --dip 192.168.1.16 --print)")
	[[ $t == *'from-tunnel: received from a tunnel: vni 2 option data 00030006 (inport 3, outport 6)'* ]] ||
		fail "no from-tunnel step: $t"
	diag_output "$t"
	tunnel_predict "dropped - tun-unknown-vni" tun-unknown-vni ok --out-key 6 --vni 99
	tunnel_predict "dropped - tun-bad-option" tun-bad-option no-opt
	tunnel_predict "dropped - tun-bad-option" tun-bad-option truncated
	tunnel_predict "dropped - tun-bad-option" tun-bad-option bad-len
	tunnel_predict "dropped - tun-crit-option" tun-crit-option crit
	tunnel_predict "delivered vm6 -" - noncrit --out-key 6
	tunnel_predict "dropped - tun-unknown-port" tun-unknown-port ok --out-key 99
	tunnel_predict "dropped - tun-remote-port" tun-remote-port ok --out-key 3
	tunnel_predict "dropped - tun-mc-group" tun-mc-group ok --out-key 32770
	capture "$LSDP" -n w2 trace from-tunnel 0440
	check_eq "a short payload: exit" 1 "$rc"
	[[ $err == Error:* ]] || fail "a short payload: '$err'"
	capture "$LSDP" -n w2 trace from-tunnel
	check_eq "no payload: exit" 1 "$rc"
	[[ $err == Error:* ]] || fail "no payload: '$err'"
}

# ct-invalid: on a stateful switch, a TCP segment with SYN and FIN both
# set (and no checksum) is invalid to conntrack.  A simulated trace
# cannot say so (conntrack is not run without side effects); the live
# walk of the real segment shows the drop, and the counter moves by one.
test_live_ct_invalid() {
	local a b sim
	check_ok "a stateful ACL on network2" "$LSDP" -n w1 acl add network2 dir from-lport \
		prio 100 match 'inport == "vm3" && tcp.dst == 8' action allow-related || return 1
	sim=$(L w1 trace "inport == \"vm3\" && eth.dst == $M6 && ip4.dst == 192.168.1.16 && tcp.dst == 8")
	diag "simulated, for comparison:"
	diag_output "$sim"
	a=$(dcnt w1 vm3 ct-invalid)
	live_start w1 ct live "inport == \"vm3\" && tcp.dst == 8" count 1 || return 1
	ip netns exec vm3 "$PYTHON" - "$SELFTESTS" $M3 $M6 <<-'PY'
	import socket, struct, sys
	sys.path.insert(0, sys.argv[1])
	from pkt import ip4, mac
	tcp = struct.pack("!HHIIBBHHH", 40000, 8, 1, 0, 5 << 4, 0x03, 1024, 0, 0)
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
	s.bind(("eth0", 0))
	s.send(mac(sys.argv[3]) + mac(sys.argv[2]) + b"\x08\x00" +
	       ip4("192.168.1.15", "192.168.1.16", 6, tcp))
	PY
	live_wait ct
	b=$(dcnt w1 vm3 ct-invalid)
	L w1 acl del network2
	check_eq "ct-invalid: vm3's counter after the real segment" $((a + 1)) "$b"
	has_line ct '=> dropped: ct-invalid'
}

trap 'rm -f "$OUT".*; lsdp_cleanup' EXIT
setup || ksft_abort "setup failed"
if [ -n "${LSDP_LIVE_TESTS:-}" ]; then
	for t in $LSDP_LIVE_TESTS; do run_test "$t" "$t"; done
	ksft_exit
fi
run_test "live: bad input is an error" test_live_bad_input
run_test "live: seed 004's trunk walk across two chassis" test_seed004_two_chassis
run_test "live: across a tunnel, and a trace matching nothing" test_live_tunnel
run_test "live: count N ends; a killed CLI leaves no trace behind" test_live_count_and_release
run_test "live: tx-error shown by the walk, counted once" test_live_tx_error
run_test "live: tunnel receive drops (mc group, unknown and remote port)" test_live_tunnel_rx_drops
run_test "trace from-tunnel: every receive drop predicted, then confirmed" test_trace_from_tunnel
run_test "live: ct-invalid shown by the walk, counted once" test_live_ct_invalid
ksft_exit
