#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port security.  With `security`, a port's frames must come from its MAC,
# its IPv4/IPv6 addresses (plus DHCP discover, IPv6 DAD and its EUI-64
# link-local), ARP and ND must claim only what is its own; everything else is
# dropped and counted under its reason, while legitimate traffic passes.  On
# egress a secured port only gets frames for its MAC and addresses (or
# broadcast/multicast).
#
#   h1 -- p1: security, M1, 10.0.1.1 2001:db8::1
#   h2 -- p2: security, M2, 10.0.1.2 2001:db8::2
#   h3 -- p3: no security, M3, 10.0.1.3 2001:db8::3, unknown
#   h4 -- p4: security, M4, no addresses (MAC only)
#   h5 -- p5: security, M5, 10.0.1.5 only (IPv6 is not its family)
. "$(dirname "$0")/lib.sh"

lsdp_require

M1=02:00:00:00:01:01 M2=02:00:00:00:01:02 M3=02:00:00:00:01:03
M4=02:00:00:00:01:04 M5=02:00:00:00:01:05
BAD=02:00:00:00:01:66
HOSTS="h1 h2 h3 h4 h5"
LL1=$(eui64_ll $M1)
LL5=$(eui64_ll $M5)

setup() {
	ns_create $HOSTS || return 1
	host_add h1 tap1 $M1 10.0.1.1/24 2001:db8::1/64 || return 1
	host_add h2 tap2 $M2 10.0.1.2/24 2001:db8::2/64 || return 1
	host_add h3 tap3 $M3 10.0.1.3/24 2001:db8::3/64 || return 1
	host_add h4 tap4 $M4 10.0.1.4/24 || return 1
	host_add h5 tap5 $M5 10.0.1.5/24 2001:db8::5/64 || return 1
	"$LSDP" switch add sw1 key 1 &&
	"$LSDP" port add sw1 p1 key 1 mac $M1 ip 10.0.1.1 ip 2001:db8::1 security dev tap1 &&
	"$LSDP" port add sw1 p2 key 2 mac $M2 ip 10.0.1.2 ip 2001:db8::2 security dev tap2 &&
	"$LSDP" port add sw1 p3 key 3 mac $M3 ip 10.0.1.3 ip 2001:db8::3 unknown dev tap3 &&
	"$LSDP" port add sw1 p4 key 4 mac $M4 security dev tap4 &&
	"$LSDP" port add sw1 p5 key 5 mac $M5 ip 10.0.1.5 security dev tap5
}

U2="udp port 40000"

test_legit() {
	check_ok "ping h1 -> h2 (ARP + ICMP, both secured)" ping_ok h1 10.0.1.2 3
	check_ok "ping h2 -> h1" ping_ok h2 10.0.1.1 2
	check_ok "ping -6 h1 -> h2 (ND + ICMPv6)" ping_ok h1 2001:db8::2 3
	check_ok "ping -6 h1 -> h2 link-local (EUI-64 source)" \
		ping_ok h1 "$(eui64_ll $M2)%eth0" 2
	check_ok "ping h4 (MAC-only security) -> h3" ping_ok h4 10.0.1.3 2
	check_ok "ping h5 (IPv4-only) -> h1" ping_ok h5 10.0.1.1 2
	local mac
	for mac in security; do
		check_eq "p1 security flag in JSON" true "$(port_field p1 .$mac)"
	done
	check_eq "p1 drops port-security-mac after legit traffic" 0 "$(counter p1 port-security-mac)"
	check_eq "p1 drops port-security-ip after legit traffic" 0 "$(counter p1 port-security-ip)"
	check_eq "p1 drops port-security-arp after legit traffic" 0 "$(counter p1 port-security-arp)"
	check_eq "p1 drops port-security-nd after legit traffic" 0 "$(counter p1 port-security-nd)"
}

test_spoof_mac() {
	local d
	deliver "eth.src spoofed (to M2)" "$U2" h1 "--src $BAD --dst $M2 udp4 --sip 10.0.1.1 --dip 10.0.1.2"
	deliver "eth.src spoofed (broadcast)" "$U2" h1 "--src $BAD udp4 --sip 10.0.1.1 --dip 10.0.1.255"
	d=$(send_delta p1 port-security-mac h1 "--src $BAD --dst $M2 --count 3 udp4 --sip 10.0.1.1 --dip 10.0.1.2")
	check_eq "p1 drops port-security-mac after 3 spoofed frames" 3 "$d"
	d=$(send_delta p4 port-security-mac h4 "--src $BAD --dst $M3 --count 2 udp4 --sip 10.0.1.4 --dip 10.0.1.3")
	check_eq "p4 (no addresses) drops port-security-mac" 2 "$d"
	# The same through the stack: h1 changes its MAC, ping fails.
	ip -n h1 link set eth0 address $BAD
	check_ok "ping from h1 with a changed MAC fails" ping_fails h1 10.0.1.2
	ip -n h1 link set eth0 address $M1
	ip -n h1 neigh flush dev eth0; ip -n h2 neigh flush dev eth0
	check_ok "ping from h1 works again with its own MAC" ping_ok h1 10.0.1.2 2
}

test_spoof_ip() {
	local d
	deliver "IPv4 source spoofed" "$U2" h1 "--dst $M2 udp4 --sip 10.0.1.66 --dip 10.0.1.2"
	d=$(send_delta p1 port-security-ip h1 "--dst $M2 --count 3 udp4 --sip 10.0.1.66 --dip 10.0.1.2")
	check_eq "p1 drops port-security-ip after 3 IPv4-spoofed frames" 3 "$d"
	d=$(send_delta p1 port-security-ip h1 "--dst $M2 udp4 --sip 10.0.1.2 --dip 10.0.1.2")
	check_eq "p1 drops port-security-ip for another port's IPv4" 1 "$d"
	d=$(send_delta p1 port-security-ip h1 "--dst $M2 udp4 --sip 0.0.0.0 --dip 10.0.1.2")
	check_eq "p1 drops 0.0.0.0 unicast (not DHCP)" 1 "$d"
	d=$(send_delta p1 port-security-ip h1 "udp4 --sip 0.0.0.0 --dip 255.255.255.255 --sport 1234 --dport 67")
	check_eq "p1 drops 0.0.0.0 broadcast from a non-DHCP port" 1 "$d"
	deliver "IPv6 source spoofed" "ip6 and $U2" h1 "--dst $M2 udp6 --sip 2001:db8::66 --dip 2001:db8::2"
	d=$(send_delta p1 port-security-ip h1 "--dst $M2 --count 2 udp6 --sip 2001:db8::66 --dip 2001:db8::2")
	check_eq "p1 drops port-security-ip after 2 IPv6-spoofed frames" 2 "$d"
	d=$(send_delta p1 port-security-ip h1 "--dst 33:33:00:00:00:01 echo6 --sip fe80::1234 --dip ff02::1")
	check_eq "p1 drops a link-local source that is not its EUI-64" 1 "$d"
	# Through the stack: an extra address on h1, ping from it fails.
	ip -n h1 addr add 10.0.1.66/24 dev eth0
	neigh_add h1 10.0.1.2 $M2
	check_ok "ping -I 10.0.1.66 from h1 fails" ping_fails h1 "-I 10.0.1.66 10.0.1.2"
	ip -n h1 addr del 10.0.1.66/24 dev eth0
	ip -n h1 neigh del 10.0.1.2 dev eth0
	# Port with security but no addresses checks only the MAC.
	deliver "p4 (no addresses): any IPv4 source passes" "$U2" h4 "--dst $M3 udp4 --sip 10.9.9.9 --dip 10.0.1.3" h3=1
}

test_spoof_arp() {
	local d
	deliver "ARP with a foreign sha" "arp" h1 "arp --sha $BAD --spa 10.0.1.1 --tpa 10.0.1.2"
	d=$(send_delta p1 port-security-arp h1 "arp --sha $BAD --spa 10.0.1.1 --tpa 10.0.1.2")
	check_eq "p1 drops port-security-arp (sha)" 1 "$d"
	deliver "ARP with a foreign spa" "arp" h1 "arp --sha $M1 --spa 10.0.1.66 --tpa 10.0.1.2"
	d=$(send_delta p1 port-security-arp h1 "arp --sha $M1 --spa 10.0.1.2 --tpa 10.0.1.3")
	check_eq "p1 drops port-security-arp (spa of another port)" 1 "$d"
	d=$(send_delta p1 port-security-arp h1 "--dst $M2 arp --op 2 --sha $M1 --spa 10.0.1.3 --tha $M2 --tpa 10.0.1.2")
	check_eq "p1 drops port-security-arp (gratuitous reply for another IP)" 1 "$d"
	deliver "ARP probe (spa 0.0.0.0)" "arp" h1 "arp --sha $M1 --spa 0.0.0.0 --tpa 10.0.1.1" h2=1 h3=1 h4=1 h5=1
	deliver "gratuitous ARP for its own address" "arp" h1 "arp --sha $M1 --spa 10.0.1.1 --tpa 10.0.1.1" h2=1 h3=1 h4=1 h5=1
}

test_dhcp() {
	deliver "DHCP discover 0.0.0.0:68 -> 255.255.255.255:67" "udp port 67" h1 \
		"udp4 --sip 0.0.0.0 --dip 255.255.255.255 --sport 68 --dport 67" h2=1 h3=1 h4=1 h5=1
	local d
	d=$(send_delta p1 port-security-ip h1 "udp4 --sip 0.0.0.0 --dip 255.255.255.255 --sport 68 --dport 67")
	check_eq "p1 drops port-security-ip for a DHCP discover" 0 "$d"
}

# An NA whose IPv6 source is 2001:db8::1 (bytes 8-9 and 22-23 of the header).
NA_FROM_1="icmp6 and ip6[40] == 136 and ip6[8:2] == 0x2001 and ip6[22:2] == 1"
# An NS for a 2001:db8:: target (bytes 48-49): the injected ones; the hosts'
# own neighbour unreachability probes ask for link-local targets.
NS_2001="icmp6 and ip6[40] == 135 and ip6[48:2] == 0x2001"

test_ipv6_nd() {
	local d
	# DAD: NS from :: to the solicited-node group of the tentative address.
	deliver "DAD NS from :: for 2001:db8::1" "$NS_2001" h1 \
		"--dst 33:33:ff:00:00:01 ns --sip :: --dip ff02::1:ff00:1 --target 2001:db8::1" h2=1 h3=1 h4=1
	deliver "NS from the EUI-64 link-local with sll M1" "$NS_2001" h1 \
		"--dst 33:33:ff:00:00:02 ns --sip $LL1 --dip ff02::1:ff00:2 --target 2001:db8::2 --sll $M1" h2=1 h3=1 h4=1
	# The NA filters match only the injected frames (source 2001:db8::1,
	# the target's last bytes): the hosts' kernels send real NAs of their
	# own (e.g. h2's for its link-local) that may land in the window.
	deliver "NA for its own address with tll M1" "$NA_FROM_1 and ip6[62:2] == 1" h1 \
		"--dst $M2 na --sip 2001:db8::1 --dip 2001:db8::2 --target 2001:db8::1 --tll $M1 --solicited" h2=1
	deliver "echo from the EUI-64 link-local" "icmp6 and ip6[40] == 128" h1 \
		"--dst 33:33:00:00:00:01 echo6 --sip $LL1 --dip ff02::1" h2=1 h3=1 h4=1
	deliver "NS with a foreign sll" "$NS_2001" h1 \
		"--dst 33:33:ff:00:00:02 ns --sip 2001:db8::1 --dip ff02::1:ff00:2 --target 2001:db8::2 --sll $BAD"
	d=$(send_delta p1 port-security-nd h1 "--dst 33:33:ff:00:00:02 ns --sip 2001:db8::1 --dip ff02::1:ff00:2 --target 2001:db8::2 --sll $BAD")
	check_eq "p1 drops port-security-nd (NS sll)" 1 "$d"
	deliver "NA for another port's address" "$NA_FROM_1 and ip6[62:2] == 2" h1 \
		"--dst 33:33:00:00:00:01 na --sip 2001:db8::1 --dip ff02::1 --target 2001:db8::2 --tll $M1"
	d=$(send_delta p1 port-security-nd h1 "--dst 33:33:00:00:00:01 na --sip 2001:db8::1 --dip ff02::1 --target 2001:db8::2 --tll $M1")
	check_eq "p1 drops port-security-nd (NA target)" 1 "$d"
	d=$(send_delta p1 port-security-nd h1 "--dst $M2 na --sip 2001:db8::1 --dip 2001:db8::2 --target 2001:db8::1 --tll $BAD --solicited")
	check_eq "p1 drops port-security-nd (NA tll)" 1 "$d"
	# IPv4-only secured port: no IPv6 at all (OVN semantics).
	deliver "IPv6 from a port with IPv4 addresses only" "ip6" h5 \
		"--dst 33:33:00:00:00:01 echo6 --sip $LL5 --dip ff02::1"
	d=$(send_delta p5 port-security-ip h5 "--dst 33:33:00:00:00:01 echo6 --sip $LL5 --dip ff02::1")
	check_eq "p5 drops port-security-ip for IPv6" 1 "$d"
	check_ok "ping -6 from h5 fails" ping_fails h5 2001:db8::3
	check_ok "ping (IPv4) from h5 still works" ping_ok h5 10.0.1.3 2
}

test_egress() {
	local d
	# h3 (not secured) sends to p1's MAC with an IP that is not p1's.
	deliver "to M1 with a foreign IPv4 destination" "$U2" h3 "--dst $M1 udp4 --sip 10.0.1.3 --dip 10.0.1.99"
	d=$(send_delta p1 port-security-egress h3 "--dst $M1 --count 2 udp4 --sip 10.0.1.3 --dip 10.0.1.99")
	check_eq "p1 drops port-security-egress (IPv4 dst)" 2 "$d"
	d=$(send_delta p1 port-security-egress h3 "--dst $M1 udp6 --sip 2001:db8::3 --dip 2001:db8::99")
	check_eq "p1 drops port-security-egress (IPv6 dst)" 1 "$d"
	deliver "to M1 with its IPv4" "$U2" h3 "--dst $M1 udp4 --sip 10.0.1.3 --dip 10.0.1.1" h1=1
	# Limited broadcast passes egress security; a subnet broadcast does
	# not (the ports' addresses carry no prefix, as OVN with /32s).
	deliver "broadcast 255.255.255.255 to all" "$U2" h3 "udp4 --sip 10.0.1.3 --dip 255.255.255.255" h1=1 h2=1 h4=1 h5=1
	deliver "multicast to all" "$U2" h3 "--dst 01:00:5e:00:00:fb udp4 --sip 10.0.1.3 --dip 224.0.0.251" h1=1 h2=1 h4=1 h5=1
	# Unknown unicast to a secured unknown port: its MAC is not eth.dst.
	check_ok "port set p2 unknown" "$LSDP" port set p2 unknown
	deliver "unknown unicast to secured unknown p2" "$U2" h1 "--dst $BAD udp4 --sip 10.0.1.1 --dip 10.0.1.2" h3=1
	d=$(send_delta p2 port-security-egress h1 "--dst $BAD udp4 --sip 10.0.1.1 --dip 10.0.1.2")
	check_eq "p2 drops port-security-egress (unknown unicast, eth.dst not its MAC)" 1 "$d"
	check_ok "port set p2 nounknown" "$LSDP" port set p2 nounknown
}

test_nosecurity() {
	check_ok "port set p1 nosecurity" "$LSDP" port set p1 nosecurity
	check_eq "p1 security flag in JSON" false "$(port_field p1 .security)"
	deliver "spoofed MAC and IP pass without security" "$U2" h1 "--src $BAD --dst $M3 udp4 --sip 10.0.1.66 --dip 10.0.1.3" h3=1
	check_ok "port set p1 security" "$LSDP" port set p1 security
	deliver "spoofed MAC dropped again with security" "$U2" h1 "--src $BAD --dst $M3 udp4 --sip 10.0.1.1 --dip 10.0.1.3"
	# Changing the addresses changes what passes.
	check_ok "port set p1 ip 10.0.1.66" "$LSDP" port set p1 ip 10.0.1.66
	deliver "new address passes" "$U2" h1 "--dst $M3 udp4 --sip 10.0.1.66 --dip 10.0.1.3" h3=1
	deliver "old address dropped" "$U2" h1 "--dst $M3 udp4 --sip 10.0.1.1 --dip 10.0.1.3"
	check_ok "port set p1 back" "$LSDP" port set p1 ip 10.0.1.1 ip 2001:db8::1
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "port-security: legitimate traffic passes (ARP, ICMP, ND, link-local)" test_legit
run_test "port-security: spoofed MAC dropped, counted port-security-mac" test_spoof_mac
run_test "port-security: spoofed IPv4/IPv6 dropped, counted port-security-ip" test_spoof_ip
run_test "port-security: spoofed ARP dropped, probes pass" test_spoof_arp
run_test "port-security: DHCP discover passes" test_dhcp
run_test "port-security: IPv6 DAD/ND pass, forged ND dropped" test_ipv6_nd
run_test "port-security: egress checks destination" test_egress
run_test "port-security: nosecurity and address changes apply" test_nosecurity
ksft_exit
