#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# L2 forwarding on a logical switch: known unicast goes to its port only,
# broadcast/multicast to every port but the ingress, unknown unicast to the
# `unknown` ports only (else dropped, no-dest); hairpin, unbound, dev-down,
# VLAN-tagged and multicast-source frames are dropped and counted.
#
# Four "VMs" h1..h4 (netns), each an eth0 whose veth peer tap1..tap4 is bound
# to port p1..p4 of switch sw1; p3 takes unknown unicast.
. "$(dirname "$0")/lib.sh"

lsdp_require

M1=02:00:00:00:00:01 M2=02:00:00:00:00:02 M3=02:00:00:00:00:03 M4=02:00:00:00:00:04
M5=02:00:00:00:00:05
UNKNOWN_MAC=02:00:00:00:00:99
HOSTS="h1 h2 h3 h4"

setup() {
	ns_create h1 h2 h3 h4 || return 1
	host_add h1 tap1 $M1 10.0.0.1/24 || return 1
	host_add h2 tap2 $M2 10.0.0.2/24 || return 1
	host_add h3 tap3 $M3 10.0.0.3/24 || return 1
	host_add h4 tap4 $M4 10.0.0.4/24 || return 1
	local h i
	for h in $HOSTS; do
		ip netns exec $h sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
		# Static neighbours: no ARP of their own to disturb the counts.
		for i in 1 2 3 4; do
			[ $h = h$i ] || neigh_add $h 10.0.0.$i 02:00:00:00:00:0$i
		done
	done
	"$LSDP" switch add sw1 key 1 &&
	"$LSDP" port add sw1 p1 key 1 mac $M1 ip 10.0.0.1 dev tap1 &&
	"$LSDP" port add sw1 p2 key 2 mac $M2 ip 10.0.0.2 dev tap2 &&
	"$LSDP" port add sw1 p3 key 3 mac $M3 ip 10.0.0.3 unknown dev tap3 &&
	"$LSDP" port add sw1 p4 key 4 mac $M4 ip 10.0.0.4 dev tap4
}

test_ping() {
	check_ok "ping h1 -> h2 across sw1" ping_ok h1 10.0.0.2 3
	check_ok "ping h4 -> h3 across sw1" ping_ok h4 10.0.0.3 3
}

test_unicast() {
	local rx tx
	deliver "known unicast to M2" "udp port 40000" h1 \
		"--dst $M2 udp4 --sip 10.0.0.1 --dip 10.0.0.2" h2=1
	rx=$(delta p1 rx_packets ip netns exec h1 $PKT eth0 --dst $M2 --count 5 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p1 rx_packets after 5 frames into p1" 5 "$rx"
	tx=$(delta p2 tx_packets ip netns exec h1 $PKT eth0 --dst $M2 --count 5 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p2 tx_packets after 5 frames to M2" 5 "$tx"
	tx=$(delta p4 tx_packets ip netns exec h1 $PKT eth0 --dst $M2 --count 5 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p4 tx_packets after 5 frames to M2" 0 "$tx"
	local b
	b=$(delta p1 rx_bytes ip netns exec h1 $PKT eth0 --dst $M2 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_ge "p1 rx_bytes after a 60-byte frame" 60 "$b"
}

test_broadcast() {
	deliver "ARP request to ff:ff:ff:ff:ff:ff" "arp and arp[24:4] = 0x0a000002" h1 \
		"arp --op 1 --sha $M1 --spa 10.0.0.1 --tpa 10.0.0.2" h2=1 h3=1 h4=1
	deliver "UDP to ff:ff:ff:ff:ff:ff" "udp port 40000" h1 \
		"udp4 --sip 10.0.0.1 --dip 10.0.0.255" h2=1 h3=1 h4=1
	local out n
	out=$(ip netns exec h1 ping -n -b -c 2 -i 0.3 -W 2 10.0.0.255 2>&1)
	n=$(printf '%s\n' "$out" | grep -c 'bytes from 10.0.0.[234]')
	check_ge "ping -b 10.0.0.255 from h1: replies from h2..h4" 3 "$n" || diag_output "$out"
}

test_multicast() {
	deliver "IPv4 multicast 224.0.0.251" "udp port 40000" h1 \
		"--dst 01:00:5e:00:00:fb udp4 --sip 10.0.0.1 --dip 224.0.0.251" h2=1 h3=1 h4=1
	deliver "IPv6 multicast 33:33:00:00:00:01" "ether proto 0x88b5" h1 \
		"--dst 33:33:00:00:00:01 raw --type 0x88b5" h2=1 h3=1 h4=1
}

test_unknown() {
	local d
	deliver "unknown unicast with p3 unknown" "udp port 40000" h1 \
		"--dst $UNKNOWN_MAC udp4 --sip 10.0.0.1 --dip 10.0.0.99" h3=1
	# From the unknown port itself: nowhere (not back to p3).
	for h in $HOSTS; do cap_start $h eth0 "udp port 40000" || return 1; done
	ip netns exec h3 $PKT eth0 --dst $UNKNOWN_MAC udp4 --sip 10.0.0.3 --dip 10.0.0.99
	for h in $HOSTS; do
		cap_stop $h eth0
		check_eq "unknown unicast from p3: frames at $h" 0 "$CAP_COUNT"
	done
	check_ok "port set p3 nounknown" "$LSDP" port set p3 nounknown
	check_eq "p3 unknown flag in JSON" false "$(port_field p3 .unknown)"
	deliver "unknown unicast without unknown ports" "udp port 40000" h1 \
		"--dst $UNKNOWN_MAC udp4 --sip 10.0.0.1 --dip 10.0.0.99"
	d=$(delta p1 no-dest ip netns exec h1 $PKT eth0 --dst $UNKNOWN_MAC --count 3 udp4 --sip 10.0.0.1 --dip 10.0.0.99)
	check_eq "p1 drops no-dest after 3 unknown-unicast frames" 3 "$d"
	# Two unknown ports: both get it, the others do not.
	check_ok "port set p2 unknown" "$LSDP" port set p2 unknown
	check_ok "port set p3 unknown" "$LSDP" port set p3 unknown
	deliver "unknown unicast with p2, p3 unknown" "udp port 40000" h1 \
		"--dst $UNKNOWN_MAC udp4 --sip 10.0.0.1 --dip 10.0.0.99" h2=1 h3=1
	"$LSDP" port set p2 nounknown
}

test_hairpin() {
	local d
	deliver "frame to the ingress port's own MAC" "udp port 40000" h1 \
		"--dst $M1 udp4 --sip 10.0.0.1 --dip 10.0.0.1"
	d=$(delta p1 hairpin ip netns exec h1 $PKT eth0 --dst $M1 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.1)
	check_eq "p1 drops hairpin" 2 "$d"
}

test_unbound() {
	local d
	check_ok "port add p5 without dev" "$LSDP" port add sw1 p5 key 5 mac $M5 ip 10.0.0.5
	check_eq "p5 dev in JSON" null "$(port_field p5 .dev)"
	# Flood copies for a port bound nowhere are dropped and counted...
	d=$(delta p5 unbound ip netns exec h1 $PKT eth0 --dst ff:ff:ff:ff:ff:ff --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.255)
	check_eq "p5 drops unbound (broadcast copies)" 2 "$d"
	# ...unicast to it waits for its binding (the hold queue).
	ip netns exec h1 $PKT eth0 --dst $M5 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.5 >/dev/null 2>&1
	check_eq "frames to p5's MAC held for it" 2 \
		"$("$LSDP" -j hold show | jq '[.pending[] | select(.port == "p5") | .packets] | add')"
	# A broadcast still reaches the bound ports.
	deliver "broadcast with an unbound port" "udp port 40000" h1 \
		"udp4 --sip 10.0.0.1 --dip 10.0.0.255" h2=1 h3=1 h4=1
	check_ok "port del p5" "$LSDP" port del p5
	check_eq "nothing held once p5 is deleted" 0 "$("$LSDP" -j hold show | jq '.pending | length')"
}

test_dev_down() {
	local d
	ip link set tap2 down
	d=$(delta p2 dev-down ip netns exec h1 $PKT eth0 --dst $M2 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p2 drops dev-down while tap2 is down" 2 "$d"
	ip link set tap2 up
	sleep 0.5
	check_ok "ping h1 -> h2 after tap2 is up again" ping_ok h1 10.0.0.2 2
}

test_vlan_mcast_src() {
	local d
	deliver "VLAN-tagged frame" "vlan or udp port 40000" h1 \
		"--dst $M2 --vlan 10 udp4 --sip 10.0.0.1 --dip 10.0.0.2"
	d=$(delta p1 vlan ip netns exec h1 $PKT eth0 --dst $M2 --vlan 10 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p1 drops vlan" 2 "$d"
	deliver "multicast source MAC" "udp port 40000" h1 \
		"--src 01:00:5e:00:00:01 --dst $M2 udp4 --sip 10.0.0.1 --dip 10.0.0.2"
	d=$(delta p1 src-mcast ip netns exec h1 $PKT eth0 --src 01:00:5e:00:00:01 --dst $M2 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "p1 drops src-mcast" 2 "$d"
}

# A change refused at its binding (after its MAC and address were read)
# leaves the port exactly as it was and tells listeners nothing.
test_set_refused() {
	local before after ev pid out
	before=$("$LSDP" -j port show p1 | jq -c 'map(del(.stats))')
	ev=$(mktemp /tmp/lsdp-events.XXXXXX)
	"$PYTHON" "$SELFTESTS/genl.py" --listen 300 >"$ev" 2>"$ev.err" &
	pid=$!
	for _ in $(seq 1 100); do grep -qx listening "$ev.err" && break; sleep 0.1; done
	grep -qx listening "$ev.err" || fail "genl.py --listen did not start"
	check_err "device is bound to another lsdp port" \
		"$LSDP" port set p1 dev tap2 mac $M5 ip 10.0.0.5
	check_err "cannot bind the loopback device" \
		"$LSDP" port set p1 dev lo mac $M5 ip 10.0.0.5 unknown
	after=$("$LSDP" -j port show p1 | jq -c 'map(del(.stats))')
	check_eq "p1 after two refused changes" "$before" "$after"
	check_ok "ping h1 -> h2 still (p1 on tap1 with $M1)" ping_ok h1 10.0.0.2 2
	deliver "unicast to M1 still reaches p1 only" "udp port 40000" h2 \
		"--dst $M1 udp4 --sip 10.0.0.2 --dip 10.0.0.1" h1=1
	# A change that works is seen: the listener is alive.
	check_ok "port set p2 security" "$LSDP" port set p2 security
	for _ in $(seq 1 250); do grep -q '^port_set .*port_name=p2' "$ev" && break; sleep 0.1; done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	out=$(cat "$ev")
	check_eq "port_set events for p1" 0 "$(printf '%s\n' "$out" | grep -c '^port_set .*port_name=p1 ')"
	check_eq "port_set events for p2" 1 "$(printf '%s\n' "$out" | grep -c '^port_set .*port_name=p2 ')" ||
		diag_output "$out"
	"$LSDP" port set p2 nosecurity
	rm -f "$ev" "$ev.err"
}

test_two_switches() {
	# A second switch is its own broadcast domain.
	check_ok "switch add sw2" "$LSDP" switch add sw2 key 2
	check_ok "move p4 to sw2" "$LSDP" port del p4
	check_ok "port add sw2 q4" "$LSDP" port add sw2 q4 key 1 mac $M4 ip 10.0.0.4 dev tap4
	deliver "broadcast on sw1 with h4 on sw2" "udp port 40000" h1 \
		"udp4 --sip 10.0.0.1 --dip 10.0.0.255" h2=1 h3=1
	deliver "unicast to M4 (on sw2) from sw1" "udp port 40000" h1 \
		"--dst $M4 udp4 --sip 10.0.0.1 --dip 10.0.0.4" h3=1
	check_ok "ping h1 -> h4 fails across switches" ping_fails h1 10.0.0.4
}

# A port's name is stored in one of three sizes (15, 39 or 63 characters
# and the NUL; kmod/port.c) and hashed as a string: every length must
# come back whole, be found, and not be found by a prefix of itself.
test_name_sizes() {
	local len name i=0 cache sw_mac
	for len in 1 15 16 39 40 63; do
		i=$((i + 1))
		name=$(printf "n%02d%0$((len - 1))d" "$len" 0 | cut -c1-"$len")
		sw_mac=02:00:00:00:01:0$i
		check_ok "port add, $len-character name" \
			"$LSDP" port add sw1 "$name" key $((100 + i)) mac $sw_mac || continue
		check_eq "$len-character name shown whole" "$name" \
			"$("$LSDP" -j port show "$name" | jq -r '.[0].name')"
		check_ok "port set by its $len-character name" \
			"$LSDP" port set "$name" mac 02:00:00:00:02:0$i
		[ "$len" -gt 1 ] && check_err "no such port" \
			"$LSDP" port set "${name%?}" mac 02:00:00:00:03:0$i
		case $len in 1 | 15) cache=lsdp_port ;; 16 | 39) cache=lsdp_port_n40 ;; *) cache=lsdp_port_n64 ;; esac
		check_ge "objects in $cache with a $len-character name" 1 "$(slab_cache_objs $cache)"
		check_ok "port del, $len-character name" "$LSDP" port del "$name"
	done
	# Traffic through a port whose name takes all 63 characters.
	name=$(printf 'q%062d' 2)
	check_ok "port del p2" "$LSDP" port del p2
	check_ok "p2 again with a 63-character name" \
		"$LSDP" port add sw1 "$name" key 2 mac $M2 ip 10.0.0.2 dev tap2
	check_ok "ping h1 -> h2 through it" ping_ok h1 10.0.0.2
	check_ok "port del, 63-character name" "$LSDP" port del "$name"
	check_ok "p2 back" "$LSDP" port add sw1 p2 key 2 mac $M2 ip 10.0.0.2 dev tap2
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "l2: ping across the switch" test_ping
run_test "l2: known unicast to its port only, counted" test_unicast
run_test "l2: broadcast (ARP, UDP, ping -b) to every other port" test_broadcast
run_test "l2: multicast to every other port" test_multicast
run_test "l2: unknown unicast to unknown ports only, else no-dest" test_unknown
run_test "l2: hairpin dropped and counted" test_hairpin
run_test "l2: unbound output port: floods dropped and counted, unicast held" test_unbound
run_test "l2: output netdev down dropped and counted" test_dev_down
run_test "l2: VLAN-tagged and multicast-source frames dropped" test_vlan_mcast_src
run_test "l2: switches are separate broadcast domains" test_two_switches
run_test "l2: port set refused at the binding changes nothing, sends no event" test_set_refused
run_test "l2: port names of every size: whole, found, not by a prefix" test_name_sizes
ksft_exit
