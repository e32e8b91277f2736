#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Geneve tunnels between chassis, with OVN's metadata (DESIGN.md 2 and 3).
#
# Two chassis, each a netns with its own lsdp instance, joined by an
# underlay veth; one logical switch sw1 (key 1) spread over both:
#
#   vm1 (eth0 M1 10.0.0.1 fd00::1) -- tap1 [ch1] u1 192.0.2.1 2001:db8::1
#                                              |
#   vm2 (eth0 M2 10.0.0.2 fd00::2) -- tap2 [ch2] u2 192.0.2.2 2001:db8::2
#   vm3 (eth0 M3 10.0.0.3, unknown) -- tap3 [ch2]
#
#   ch1: vm1 key 1 local (tap1); vm2 key 2, vm3 key 3 on chassis ch2
#   ch2: vm2 key 2, vm3 key 3 local (tap2, tap3); vm1 key 1 on chassis ch1
#
# Unicast, floods (ARP/ND, unknown unicast, never re-tunnelled), the exact
# tcpdump decode of seed 002, malformed Geneve injected from the underlay,
# path MTU (ICMP frag-needed / packet-too-big, TCP, rate limit), endpoint
# and route missing, ACLs across chassis, an operator's Geneve device,
# chassis deleted and ports moved (and migrated) while traffic flows, bad
# input, the IPv6 underlay, and rmmod under traffic.  Each chassis is programmed with `lsdp -n CH`.
#
# Extra scratch namespaces: ch3 (no endpoint, no route), ch4 (gnv9, an
# operator's Geneve device), vm2b (vm2 migrated to ch1).
. "$(dirname "$0")/lib.sh"

lsdp_require
"$LSDP" chassis help >/dev/null 2>&1 ||
	ksft_abort "the CLI has no 'chassis' object ($LSDP chassis help failed)"
command -v iperf3 >/dev/null || ksft_abort "missing tool iperf3 (run 'make deps')"
modprobe -a geneve dummy 2>/dev/null

M1=02:00:00:00:00:01 M2=02:00:00:00:00:02 M3=02:00:00:00:00:03
UNKNOWN_MAC=02:00:00:00:00:99
HOSTS="vm1 vm2 vm3"
INJECT="$PYTHON $SELFTESTS/geneve_inject.py"
# The OVN option as tcpdump decodes it, without its data.
OVN_OPT="class Open Virtual Networking (OVN) (0x102) type 0x80(C) len 8 data"

# Send COUNT 1500-byte IPv4/UDP packets with DF from IFACE (SRC-MAC
# 10.0.0.1 -> DST-MAC 10.0.0.2), evenly over SECS seconds; print how many
# milliseconds the sending took.
BIG_DF_PY='
import socket, struct, sys, time
ifc, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
n, secs = int(sys.argv[4]), float(sys.argv[5])
mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
udp = struct.pack("!HHHH", 40001, 40001, 1480, 0) + bytes(1472)
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 1, 0x4000, 64, 17, 0,
                 socket.inet_aton("10.0.0.1"), socket.inet_aton("10.0.0.2"))
s = sum(struct.unpack("!10H", ip))
s = (s & 0xffff) + (s >> 16)
s = (s & 0xffff) + (s >> 16)
ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
frame = mac(dst) + mac(src) + b"\x08\x00" + ip + udp
sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sk.bind((ifc, 0))
t0 = time.monotonic()
for i in range(n):
    delay = t0 + i * secs / n - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    sk.send(frame)
print(int((time.monotonic() - t0) * 1000))
'

UNDERLAY=		# v4 or v6: what the chassis are configured with
BG_PIDS=()

# --- helpers: one lsdp instance per chassis netns ------------------------------

# L NS ARGS...: the CLI in chassis NS.
L() {
	local ns=$1
	shift
	"$LSDP" -n "$ns" "$@"
}

# tcounter NS NAME: a tunnel counter of NS from `encap show`: rx_/tx_ or a
# drop reason; "drops" is the sum of all drop reasons.
tcounter() {
	local json
	json=$("$LSDP" -n "$1" -j encap show) || return 1
	printf '%s' "$json" | jq -r --arg n "$2" '
		if ($n | test("^(rx|tx)_")) then (.[$n] // 0)
		elif $n == "drops" then ([(.drops // {})[]] | add // 0)
		else ((.drops // {})[$n] // 0) end'
}

# nport_field NS PORT JQ-FIELD
nport_field() {
	"$LSDP" -n "$1" -j port show "$2" |
		jq -r --arg p "$2" "map(select(.name == \$p)) | first | $3"
}

# encap_field NS JQ-FIELD
encap_field() { "$LSDP" -n "$1" -j encap show | jq -r "$2"; }

# ping_all NS DST COUNT [PING-OPTS...]: every one of COUNT pings answered.
ping_all() {
	local ns=$1 dst=$2 n=$3 out
	shift 3
	out=$(ip netns exec "$ns" ping -n -q -c "$n" -i 0.2 -W 2 "$@" "$dst" 2>&1)
	printf '%s\n' "$out" | grep -q ", $n received," && return 0
	diag_output "$out"
	return 1
}

# bg_ping NS DST FILE [PING-OPTS...]: ping in the background (until killed
# or 15 min), output in FILE; the pid goes to BG_PIDS and BG_PID.
bg_ping() {
	local ns=$1 dst=$2 f=$3
	shift 3
	ip netns exec "$ns" ping -n -i 0.05 -W 1 -w 900 "$@" "$dst" >"$f" 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

bg_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# replies FILE: echo replies in a ping output so far.
replies() { grep -c 'bytes from' "$1"; }

# wait_replies FILE N [SECS]: wait (up to SECS, default 5) until a
# background ping has N replies in all.
wait_replies() {
	local i
	for i in $(seq 1 $((${3:-5} * 10))); do
		[ "$(replies "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# Static neighbours between vm1 and vm2: traffic keeps flowing as unicast
# through an outage instead of stalling in ARP retries.
static_neigh() {
	neigh_add vm1 10.0.0.2 $M2
	neigh_add vm2 10.0.0.1 $M1
}
static_neigh_del() {
	ip -n vm1 neigh del 10.0.0.2 dev eth0 2>/dev/null
	ip -n vm2 neigh del 10.0.0.1 dev eth0 2>/dev/null
}

# bg_diag FILE: why a background ping got no replies.
bg_diag() {
	diag "background ping (last lines):"
	diag_output "$(tail -n 6 "$1")"
	diag_output "$(ps -o pid,stat,cmd -C ping 2>&1)"
	diag_output "vm1 neigh: $(ip -n vm1 neigh show dev eth0 | tr '\n' ';')"
	diag_output "ch1 stats: $(L ch1 -j stats show | jq -c '.[] | {port, rx_packets, tx_packets, drops}')"
	diag_output "ch1 encap: $(L ch1 -j encap show | jq -c '{rx_packets, tx_packets, drops}')"
	diag_output "ch2 stats: $(L ch2 -j stats show | jq -c '.[] | {port, rx_packets, tx_packets, drops}')"
	diag_output "ch2 encap: $(L ch2 -j encap show | jq -c '{rx_packets, tx_packets, drops}')"
}

# Underlay capture, both directions, full decode (-vvvnnexx) like seed 002:
# ucap_start NS IF FILTER...; ucap_stop leaves in UCAP_OUT one line per
# frame: its decode (lines joined), then "|", then its bytes in hex.
UCAP_KEY='' UCAP_OUT=''
ucap_start() {
	UCAP_KEY="$1/$2"
	cap_start -o -vvvnnexx "$@"
}

ucap_stop() {
	UCAP_OUT=
	cap_stop "${UCAP_KEY%%/*}" "${UCAP_KEY#*/}" || return 1
	UCAP_OUT=$CAP_FRAMES
}

# check_geneve WHAT MATCH DATA OFFSET STRINGS...: the first captured frame
# whose decode contains MATCH (a fixed string) shows vni 0x1, Flags [C], the
# OVN option with DATA (8 hex digits) and every one of STRINGS, and its bytes
# from OFFSET (the Geneve header) are exactly those of seed 002.
check_geneve() {
	local what=$1 match=$2 data=$3 off=$4 rec dec hex s exp ok=0
	shift 4
	rec=$(printf '%s\n' "$UCAP_OUT" | grep -F -- "$match" | head -n1)
	if [ -z "$rec" ]; then
		fail "$what: no captured frame with '$match'"
		diag_output "$(printf '%s\n' "$UCAP_OUT" | cut -d'|' -f1)"
		return 1
	fi
	dec=${rec%|*}
	hex=${rec##*|}
	for s in "vni 0x1" "Flags [C]" "$OVN_OPT $data" "$@"; do
		case $dec in
		*"$s"*) ;;
		*) fail "$what: decode lacks '$s'"; ok=1 ;;
		esac
	done
	# ver 0, opt len 2 (words), C bit, TEB, VNI 1, class 0x0102, type 0x80,
	# len 1, then the keys.
	exp=024065580000010001028001$data
	check_eq "$what: Geneve header bytes at offset $off" "$exp" "${hex:$((off * 2)):32}" || ok=1
	[ $ok -eq 0 ] || diag_output "$dec"
	return $ok
}

# --- topology -------------------------------------------------------------------

setup() {
	ns_create ch1 ch2 vm1 vm2 vm3 || return 1
	ip link del u1 2>/dev/null
	ip link add u1 type veth peer name u2 || return 1
	ip link set u1 netns ch1 && ip link set u2 netns ch2 || return 1
	ip -n ch1 addr add 192.0.2.1/24 dev u1 &&
	ip -n ch1 addr add 2001:db8::1/64 dev u1 nodad &&
	ip -n ch2 addr add 192.0.2.2/24 dev u2 &&
	ip -n ch2 addr add 2001:db8::2/64 dev u2 nodad || return 1
	ip -n ch1 link set u1 up && ip -n ch2 link set u2 up || return 1
	vm_add vm1 ch1 tap1 $M1 10.0.0.1/24 fd00::1/64 || return 1
	vm_add vm2 ch2 tap2 $M2 10.0.0.2/24 fd00::2/64 || return 1
	vm_add vm3 ch2 tap3 $M3 10.0.0.3/24 fd00::3/64 || return 1

	L ch1 encap set local 192.0.2.1 &&
	L ch1 chassis add ch2 ip 192.0.2.2 &&
	L ch1 switch add sw1 key 1 &&
	L ch1 port add sw1 vm1 key 1 mac $M1 ip 10.0.0.1 dev tap1 &&
	L ch1 port add sw1 vm2 key 2 mac $M2 ip 10.0.0.2 chassis ch2 &&
	L ch1 port add sw1 vm3 key 3 mac $M3 ip 10.0.0.3 unknown chassis ch2 || return 1

	L ch2 encap set local 192.0.2.2 &&
	L ch2 chassis add ch1 ip 192.0.2.1 &&
	L ch2 switch add sw1 key 1 &&
	L ch2 port add sw1 vm2 key 2 mac $M2 ip 10.0.0.2 dev tap2 &&
	L ch2 port add sw1 vm3 key 3 mac $M3 ip 10.0.0.3 unknown dev tap3 &&
	L ch2 port add sw1 vm1 key 1 mac $M1 ip 10.0.0.1 chassis ch1 || return 1
	UNDERLAY=v4
	# Let the VMs' own IPv6 chatter (MLD reports) die down.
	sleep 2
}

# set_underlay v4|v6: re-point both chassis at each other over the IPv4 or
# the IPv6 underlay (chassis deleted, endpoint changed, chassis re-added,
# remote ports re-bound).
set_underlay() {
	local a1 a2
	[ "$UNDERLAY" = "$1" ] && return 0
	if [ "$1" = v6 ]; then a1=2001:db8::1 a2=2001:db8::2; else a1=192.0.2.1 a2=192.0.2.2; fi
	L ch1 chassis del ch2 2>/dev/null
	L ch2 chassis del ch1 2>/dev/null
	L ch1 encap set local $a1 &&
	L ch1 chassis add ch2 ip $a2 &&
	L ch1 port set vm2 chassis ch2 &&
	L ch1 port set vm3 chassis ch2 &&
	L ch2 encap set local $a2 &&
	L ch2 chassis add ch1 ip $a1 &&
	L ch2 port set vm1 chassis ch1 || { UNDERLAY=; return 1; }
	UNDERLAY=$1
}

# --- tests ------------------------------------------------------------------

test_config() {
	check_eq "ch1 encap local" 192.0.2.1 "$(encap_field ch1 .local)"
	# No Geneve netdev: lsdp receives and sends on its own UDP 6081
	# sockets (IPv4 and IPv6), which it owns.
	check_eq "ch1 encap dev (none: lsdp's own socket)" null "$(encap_field ch1 .dev)"
	check_eq "ch1 encap owned" true "$(encap_field ch1 .owned)"
	check_eq "ch1 encap csum (default off)" false "$(encap_field ch1 .csum)"
	check_eq "ch1 encap df (default on)" true "$(encap_field ch1 .df)"
	check_eq "ch1 encap ifindex (no netdev)" 0 "$(encap_field ch1 .ifindex)"
	check_eq "ch2 encap local" 192.0.2.2 "$(encap_field ch2 .local)"
	local d
	d=$(ip -n ch1 -d link show type geneve 2>&1)
	[ -z "$d" ] || { fail "a Geneve netdev exists in ch1"; diag_output "$d"; }
	d=$(ip netns exec ch1 ss -Hlun 'sport = :6081' 2>&1)
	check_eq "UDP 6081 sockets in ch1 (IPv4 and IPv6)" 2 "$(printf '%s\n' "$d" | grep -c ':6081')" ||
		diag_output "$d"
	check_eq "chassis show in ch1" '[{"name":"ch2","ip":"192.0.2.2","ports":2}]' \
		"$(L ch1 -j chassis show | jq -c '[.[] | {name, ip, ports}]')"
	check_eq "chassis show ch1 in ch2" '[{"name":"ch1","ip":"192.0.2.1","ports":1}]' \
		"$(L ch2 -j chassis show ch1 | jq -c '[.[] | {name, ip, ports}]')"
	check_eq "ch1 port vm2 chassis" ch2 "$(nport_field ch1 vm2 .chassis)"
	check_eq "ch1 port vm2 dev" null "$(nport_field ch1 vm2 .dev)"
	check_eq "ch1 port vm1 chassis" null "$(nport_field ch1 vm1 .chassis)"
	check_eq "ch1 port vm1 dev" tap1 "$(nport_field ch1 vm1 .dev)"
	check_eq "ch2 port vm1 chassis" ch1 "$(nport_field ch2 vm1 .chassis)"
}

test_unicast() {
	set_underlay v4 || return 1
	local tx2 rx1 ttx1 trx2 v
	tx2=$(ncounter ch2 vm2 tx_packets)
	rx1=$(ncounter ch1 vm1 rx_packets)
	ttx1=$(tcounter ch1 tx_packets)
	trx2=$(tcounter ch2 rx_packets)
	check_ok "ping vm1 -> vm2 across chassis (all answered)" ping_all vm1 10.0.0.2 3
	check_ok "ping vm2 -> vm1 across chassis (all answered)" ping_all vm2 10.0.0.1 3
	check_ok "ping vm3 -> vm1 across chassis (all answered)" ping_all vm3 10.0.0.1 2
	# 3 requests from vm1 and 3 replies to vm2's pings at least.
	v=$(ncounter ch2 vm2 tx_packets)
	check_ge "ch2 vm2 tx_packets growth" 6 $((v - tx2))
	v=$(ncounter ch1 vm1 rx_packets)
	check_ge "ch1 vm1 rx_packets growth" 6 $((v - rx1))
	v=$(tcounter ch1 tx_packets)
	check_ge "ch1 tunnel tx_packets growth" 6 $((v - ttx1))
	v=$(tcounter ch2 rx_packets)
	check_ge "ch2 tunnel rx_packets growth" 6 $((v - trx2))
	# Known unicast across the tunnel goes to its port only.
	deliver "frame to M2 from vm1" "udp port 40000" vm1 \
		"--dst $M2 udp4 --sip 10.0.0.1 --dip 10.0.0.2" vm2=1
	v=$(tcounter ch2 drops)
	check_eq "ch2 tunnel drops after legit traffic" 0 "$v"
}

# ACLs across chassis, as in OVN: the receiving chassis runs the to-lport
# ACLs, with the sender's inport from the Geneve option.
test_acl() {
	set_underlay v4 || return 1
	local d
	check_ok "ch2: drop ICMP to vm2" L ch2 acl add sw1 dir to-lport prio 100 \
		match 'outport == "vm2" && icmp4' action drop
	d=$(ncounter ch2 vm2 acl-drop)
	check_ok "ping vm1 -> vm2 dropped on the receiving chassis" ping_fails vm1 10.0.0.2
	check_ge "ch2 vm2 acl-drop" $((d + 2)) "$(ncounter ch2 vm2 acl-drop)"
	check_ok "ping vm3 -> vm1 still passes" ping_all vm3 10.0.0.1 2
	check_ok "ch2: acl del sw1" L ch2 acl del sw1
	# Stateful; only the remote vm1 may open connections to vm2.
	check_ok "ch2: allow-related from inport vm1" L ch2 acl add sw1 dir to-lport prio 100 \
		match 'outport == "vm2" && inport == "vm1" && ip4' action allow-related
	check_ok "ch2: drop the rest to vm2" L ch2 acl add sw1 dir to-lport prio 90 \
		match 'outport == "vm2" && ip4' action drop
	check_ok "ping vm1 (remote) -> vm2 allowed by its inport" ping_all vm1 10.0.0.2 3
	check_ok "ping vm3 (local) -> vm2 dropped" ping_fails vm3 10.0.0.2
	check_ok "ping vm2 -> vm3: the replies of vm2's own connection pass" ping_all vm2 10.0.0.3 2
	check_ok "ch2: acl del sw1" L ch2 acl del sw1
	check_ok "ping vm3 -> vm2 passes again" ping_all vm3 10.0.0.2 2
}

test_flood() {
	set_underlay v4 || return 1
	local n h exp
	# ARP through the kernel: flush and ping both ways.
	ip -n vm1 neigh flush dev eth0
	ip -n vm2 neigh flush dev eth0
	cap_start vm2 eth0 "arp and arp[6:2] = 1 and arp[24:4] = 0x0a000002" || return 1
	check_ok "ping vm1 -> vm2 after a neighbour flush (ARP across chassis)" ping_all vm1 10.0.0.2 2
	cap_stop vm2 eth0
	check_ge "ARP requests for 10.0.0.2 received by vm2" 1 "$CAP_COUNT"
	# One crafted ARP request: once over the underlay, group key 32768,
	# to both local members of ch2.
	ucap_start ch2 u2 -Q in udp port 6081 || return 1
	deliver "ARP request broadcast from vm1" "arp and arp[24:4] = 0x0a0000fe" vm1 \
		"arp --op 1 --sha $M1 --spa 10.0.0.1 --tpa 10.0.0.254" vm2=1 vm3=1
	ucap_stop
	n=$(printf '%s\n' "$UCAP_OUT" | grep -F 'who-has 10.0.0.254' | grep -cF "$OVN_OPT 00018000")
	check_eq "ARP broadcast over the underlay with egress key 32768 (data 00018000)" 1 "$n" ||
		diag_output "$(printf '%s\n' "$UCAP_OUT" | cut -d'|' -f1)"
	# ND: neighbour solicitation to a solicited-node multicast group.
	ip -n vm1 -6 neigh flush dev eth0
	ip -n vm2 -6 neigh flush dev eth0
	cap_start vm2 eth0 "icmp6 and ip6[40] = 135" || return 1
	check_ok "ping -6 vm1 -> vm2 after a neighbour flush (ND across chassis)" ping_all vm1 fd00::2 2
	cap_stop vm2 eth0
	check_ge "neighbour solicitations received by vm2" 1 "$CAP_COUNT"
	# Unknown unicast: once over the underlay with key 32769, to the
	# unknown port vm3 only.
	ucap_start ch2 u2 -Q in udp port 6081 || return 1
	deliver "unknown unicast from vm1" "udp port 40000" vm1 \
		"--dst $UNKNOWN_MAC udp4 --sip 10.0.0.1 --dip 10.0.0.99" vm3=1
	ucap_stop
	n=$(printf '%s\n' "$UCAP_OUT" | grep -F '10.0.0.1.40000 > 10.0.0.99.40000' | grep -cF "$OVN_OPT 00018001")
	check_eq "unknown unicast over the underlay with egress key 32769 (data 00018001)" 1 "$n" ||
		diag_output "$(printf '%s\n' "$UCAP_OUT" | cut -d'|' -f1)"
	# Floods that arrive from a tunnel go to local members, never back
	# into a tunnel (ch2 hosts vm1 as remote on ch1).
	cap_start ch1 u1 "udp port 6081 and geneve and icmp and icmp[4:2] = 0x4242" || return 1
	for h in $HOSTS; do cap_start $h eth0 "icmp and icmp[4:2] = 0x4242" || return 1; done
	ip netns exec ch1 $INJECT 192.0.2.2 ok --out-key 32768 --dst ff:ff:ff:ff:ff:ff --dip 10.0.0.255 ||
		fail "geneve_inject.py flood failed"
	ip netns exec ch1 $INJECT 192.0.2.2 ok --out-key 32769 --dst $UNKNOWN_MAC --dip 10.0.0.99 ||
		fail "geneve_inject.py unknown failed"
	# _MC_flood_l2: what a real chassis sends for router-originated ARP/NS.
	ip netns exec ch1 $INJECT 192.0.2.2 ok --out-key 32772 --dst ff:ff:ff:ff:ff:ff --dip 10.0.0.255 ||
		fail "geneve_inject.py flood_l2 failed"
	for h in $HOSTS; do
		cap_stop $h eth0
		case $h in vm1) exp=0 ;; vm2) exp=2 ;; vm3) exp=3 ;; esac
		check_eq "tunnel flood (32768) + unknown (32769) + flood_l2 (32772): frames at $h" $exp "$CAP_COUNT" ||
			diag_output "$CAP_LAST"
	done
	cap_stop ch1 u1
	check_eq "injected floods tunnelled back to ch1" 0 "$CAP_COUNT" || diag_output "$CAP_LAST"
}

test_decode() {
	set_underlay v4 || return 1
	neigh_add vm1 10.0.0.2 $M2
	neigh_add vm2 10.0.0.1 $M1
	ucap_start ch2 u2 udp port 6081 || return 1
	check_ok "ping vm1 -> vm2" ping_all vm1 10.0.0.2 1
	ucap_stop
	check_geneve "request vm1 (key 1) -> vm2 (key 2)" \
		"10.0.0.1 > 10.0.0.2: ICMP echo request" 00010002 42 \
		"192.0.2.1." "> 192.0.2.2.6081: [no cksum] Geneve" \
		"ethertype IPv4 (0x0800), length 156: (tos 0x0, ttl 64," \
		"flags [DF], proto UDP (17), length 142)" \
		"proto TEB (0x6558), options [$OVN_OPT 00010002]" \
		"$M1 > $M2, ethertype IPv4 (0x0800), length 98"
	check_geneve "reply vm2 (key 2) -> vm1 (key 1)" \
		"10.0.0.2 > 10.0.0.1: ICMP echo reply" 00020001 42 \
		"192.0.2.2." "> 192.0.2.1.6081: [no cksum] Geneve" \
		"flags [DF], proto UDP (17), length 142)" \
		"proto TEB (0x6558), options [$OVN_OPT 00020001]" \
		"$M2 > $M1, ethertype IPv4 (0x0800), length 98"
	# csum on / df off show on the wire, and back.  Without checksum
	# offload on the underlay the captured checksum is the final one.
	ip netns exec ch1 ethtool -K u1 tx off >/dev/null 2>&1
	check_ok "encap set csum on df off" L ch1 encap set local 192.0.2.1 csum on df off
	check_eq "ch1 encap csum" true "$(encap_field ch1 .csum)"
	check_eq "ch1 encap df" false "$(encap_field ch1 .df)"
	check_eq "ch1 encap still on its socket" null "$(encap_field ch1 .dev)"
	ucap_start ch2 u2 -Q in udp port 6081 || return 1
	check_ok "ping vm1 -> vm2 with csum on, df off" ping_all vm1 10.0.0.2 1
	ucap_stop
	check_geneve "request with csum on, df off" \
		"10.0.0.1 > 10.0.0.2: ICMP echo request" 00010002 42 \
		"> 192.0.2.2.6081: [udp sum ok] Geneve" \
		"flags [none], proto UDP (17), length 142)"
	ip netns exec ch1 ethtool -K u1 tx on >/dev/null 2>&1
	check_ok "encap set csum off df on" L ch1 encap set local 192.0.2.1 csum off df on
	check_eq "ch1 encap csum" false "$(encap_field ch1 .csum)"
	check_eq "ch1 encap df" true "$(encap_field ch1 .df)"
	ip -n vm1 neigh del 10.0.0.2 dev eth0
	ip -n vm2 neigh del 10.0.0.1 dev eth0
}

# inject_drop WHAT REASON INJECT-ARGS...: a Geneve packet from ch1's underlay
# to ch2 is dropped, counted once under REASON in ch2's `encap show` and
# nowhere else, and vm2 gets nothing.
inject_drop() {
	local what=$1 reason=$2 a b ta tb
	shift 2
	a=$(tcounter ch2 "$reason")
	ta=$(tcounter ch2 drops)
	cap_start vm2 eth0 "icmp and icmp[4:2] = 0x4242" || return 1
	ip netns exec ch1 $INJECT 192.0.2.2 "$@" || fail "$what: geneve_inject.py $* failed"
	sleep 0.2
	cap_stop vm2 eth0
	b=$(tcounter ch2 "$reason")
	tb=$(tcounter ch2 drops)
	check_eq "$what: frames at vm2" 0 "$CAP_COUNT"
	check_eq "$what: ch2 tunnel drops $reason growth" 1 $((b - a))
	check_eq "$what: ch2 tunnel drops (all reasons) growth" 1 $((tb - ta)) ||
		diag_output "$(L ch2 -j encap show)"
}

# inject_ok WHAT INJECT-ARGS...: delivered to vm2 exactly once, no drop.
inject_ok() {
	local what=$1 ta tb tx tx2
	shift
	ta=$(tcounter ch2 drops)
	tx=$(ncounter ch2 vm2 tx_packets)
	cap_start vm2 eth0 "icmp and icmp[icmptype] = icmp-echo and icmp[4:2] = 0x4242" || return 1
	ip netns exec ch1 $INJECT 192.0.2.2 "$@" || fail "$what: geneve_inject.py $* failed"
	sleep 0.2
	cap_stop vm2 eth0
	tb=$(tcounter ch2 drops)
	tx2=$(ncounter ch2 vm2 tx_packets)
	check_eq "$what: echo requests at vm2" 1 "$CAP_COUNT"
	check_ge "$what: ch2 vm2 tx_packets growth" 1 $((tx2 - tx))
	check_eq "$what: ch2 tunnel drops growth" 0 $((tb - ta)) ||
		diag_output "$(L ch2 -j encap show)"
}

test_inject() {
	set_underlay v4 || return 1
	inject_drop "truncated option" tun-bad-option truncated
	inject_drop "OVN option of the wrong length" tun-bad-option bad-len
	inject_drop "unknown critical option" tun-crit-option crit
	inject_drop "no option" tun-bad-option no-opt
	inject_drop "unknown VNI 99" tun-unknown-vni ok --vni 99
	inject_drop "unknown egress key 77" tun-unknown-port ok --out-key 77
	inject_drop "egress key 1 (vm1, remote on ch2)" tun-remote-port ok --out-key 1
	# OVN's IGMP-snooping groups: lsdp has no members of them.
	inject_drop "egress key 32770 (_MC_mrouter_flood)" tun-mc-group ok --out-key 32770
	inject_drop "egress key 32771 (_MC_static)" tun-mc-group ok --out-key 32771
	inject_drop "egress key 32773 (an IP multicast group)" tun-mc-group ok --out-key 32773
	inject_ok "unknown non-critical option" noncrit
	inject_ok "well-formed OVN packet" ok
	local rx
	rx=$(tcounter ch2 rx_packets)
	ip netns exec ch1 $INJECT 192.0.2.2 crit
	sleep 0.2
	check_eq "ch2 tunnel rx_packets counts a dropped packet" 1 $(($(tcounter ch2 rx_packets) - rx))
}

test_mtu4() {
	set_underlay v4 || return 1
	local out d a n
	ip -n vm1 route flush cache
	out=$(ip -n vm1 route get 10.0.0.2)
	case $out in *"mtu "*) fail "route cache of vm1 not flushed: $out" ;; esac
	a=$(ncounter ch1 vm2 tun-frag-needed)
	out=$(ip netns exec vm1 ping -n -M do -s 1472 -c 1 -W 2 10.0.0.2 2>&1)
	printf '%s\n' "$out" | grep -qF 'Frag needed and DF set (mtu = 1442)' ||
		{ fail "1500-byte DF ping: no 'Frag needed and DF set (mtu = 1442)'"; diag_output "$out"; }
	printf '%s\n' "$out" | grep -qF 'From 10.0.0.2 ' ||
		{ fail "frag-needed does not come from 10.0.0.2 (the original destination)"; diag_output "$out"; }
	d=$(($(ncounter ch1 vm2 tun-frag-needed) - a))
	check_eq "ch1 vm2 tun-frag-needed growth after one 1500-byte DF ping" 1 "$d"
	out=$(ip -n vm1 route get 10.0.0.2)
	printf '%s\n' "$out" | grep -qw 'mtu 1442' ||
		{ fail "vm1's route to 10.0.0.2 has no 'mtu 1442'"; diag_output "$out"; }
	check_ok "ping -M do -s 1414 (1442 bytes) vm1 -> vm2" ping_all vm1 10.0.0.2 2 -M do -s 1414
	check_ok "ping -M do -s 1414 (1442 bytes) vm2 -> vm1" ping_all vm2 10.0.0.1 2 -M do -s 1414

	# TCP with GSO from a sender that has not learnt the path MTU yet.
	ip -n vm1 route flush cache
	a=$(ncounter ch1 vm2 tun-frag-needed)
	ip netns exec vm2 iperf3 -s -1 -B 10.0.0.2 >/dev/null 2>&1 &
	local srv=$! i json bytes
	BG_PIDS+=("$srv")
	for i in $(seq 1 50); do
		ip netns exec vm2 ss -ltn 2>/dev/null | grep -q ':5201 ' && break
		sleep 0.1
	done
	json=$(ip netns exec vm1 timeout 60 iperf3 -c 10.0.0.2 -t 3 -J 2>&1)
	check_eq "iperf3 -c exit code" 0 $?
	bytes=$(printf '%s' "$json" | jq -r '.end.sum_received.bytes // 0' 2>/dev/null)
	check_ge "iperf3 bytes received by vm2" 1 "${bytes:-0}" ||
		diag_output "$(printf '%s\n' "$json" | tail -n 20)"
	diag "iperf3 vm1 -> vm2: ${bytes:-0} bytes in 3 s"
	bg_stop "$srv"
	d=$(($(ncounter ch1 vm2 tun-frag-needed) - a))
	check_ge "ch1 vm2 tun-frag-needed growth during iperf3" 1 "$d"

	# Rate limit: 100 ICMP errors per second per netns.  Raw frames (the
	# stack would not send DF packets above the learnt path MTU), 300 in
	# 1.5 s: about 200/s.  The ICMP errors are what lsdp sends to vm1.
	local ms tx
	a=$(ncounter ch1 vm2 tun-frag-needed)
	tx=$(ncounter ch1 vm1 tx_packets)
	ms=$(ip netns exec vm1 $PYTHON -c "$BIG_DF_PY" eth0 $M1 $M2 300 1.5) ||
		fail "sending 300 oversized DF frames failed"
	sleep 0.5
	d=$(($(ncounter ch1 vm2 tun-frag-needed) - a))
	check_eq "ch1 vm2 tun-frag-needed growth after 300 oversized DF frames" 300 "$d"
	n=$(($(ncounter ch1 vm1 tx_packets) - tx))
	diag "rate limit: 300 oversized frames in ${ms:-?} ms, $n ICMP errors to vm1"
	check_ge "ICMP frag-needed sent to vm1" 100 "$n"
	check_le "ICMP frag-needed sent to vm1 for 300 frames in ${ms:-?} ms (100/s)" \
		$(( (${ms:-0} / 1000 + 2) * 100 )) "$n"
	if [ "${ms:-9999}" -lt 2000 ]; then
		check_le "ICMP frag-needed to vm1 for 300 frames in under 2 s" 299 "$n"
	fi
	ip -n vm1 route flush cache
}

test_no_encap() {
	# A chassis netns ch3 without a tunnel endpoint, then with one that has
	# no route to the chassis.  t3a is bound to port p1, t3b sends.
	ns_create ch3 || return 1
	ip -n ch3 link add t3a type veth peer name t3b &&
	ip -n ch3 link set t3a up && ip -n ch3 link set t3b up || return 1
	ip netns exec ch3 sysctl -qw net.ipv6.conf.t3a.disable_ipv6=1 net.ipv6.conf.t3b.disable_ipv6=1
	check_ok "ch3 chassis add" L ch3 chassis add far ip 203.0.113.9 || return 1
	check_ok "ch3 switch add" L ch3 switch add sw1 key 1 || return 1
	check_ok "ch3 port add p1" L ch3 port add sw1 p1 key 1 mac $M1 dev t3a || return 1
	check_ok "ch3 port add p2 on chassis far" L ch3 port add sw1 p2 key 2 mac $M2 chassis far || return 1
	check_eq "ch3 encap local before encap set" null "$(encap_field ch3 .local)"
	local d
	d=$(delta_ns ch3 p2 tun-no-encap ip netns exec ch3 $PKT t3b --src $M1 --dst $M2 --count 3 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "ch3 p2 tun-no-encap after 3 frames without an endpoint" 3 "$d"
	ip -n ch3 link add d3 type dummy && ip -n ch3 addr add 198.51.100.1/32 dev d3 &&
		ip -n ch3 link set d3 up
	check_ok "ch3 encap set local 198.51.100.1" L ch3 encap set local 198.51.100.1
	d=$(delta_ns ch3 p2 tun-no-route ip netns exec ch3 $PKT t3b --src $M1 --dst $M2 --count 2 udp4 --sip 10.0.0.1 --dip 10.0.0.2)
	check_eq "ch3 p2 tun-no-route after 2 frames without an underlay route" 2 "$d"
	# A netns where lsdp holds UDP 6081 is deleted cleanly.
	ip netns del ch3
	sleep 3
}

# The endpoint on a Geneve device the operator made: used as is, never
# deleted by lsdp (ch4 stays for the rmmod test).
test_user_dev() {
	ns_create ch4 || return 1
	ip -n ch4 link add gnv9 type geneve external || return 1
	ip -n ch4 link set gnv9 up
	# gnv9 holds UDP 6081: lsdp cannot open its own socket beside it.
	check_err "UDP port 6081 is taken" L ch4 encap set local 198.51.100.4
	check_eq "ch4 encap local after the refusal" null "$(encap_field ch4 .local)"
	check_ok "ch4 encap set local 198.51.100.4 dev gnv9" L ch4 encap set local 198.51.100.4 dev gnv9
	check_eq "ch4 encap dev" gnv9 "$(encap_field ch4 .dev)"
	check_eq "ch4 encap owned" false "$(encap_field ch4 .owned)"
	check_ok "ch4 encap set local 198.51.100.5 (no dev: keeps gnv9)" L ch4 encap set local 198.51.100.5
	check_eq "ch4 encap dev after a change of address" gnv9 "$(encap_field ch4 .dev)"
	check_eq "ch4 encap local after a change of address" 198.51.100.5 "$(encap_field ch4 .local)"
	ip -n ch4 -d link show type geneve | grep -q '^[0-9]*: gnv9' ||
		fail "ch4 has no gnv9 any more"
	# The operator deletes it: lsdp lets go.
	check_ok "ip link del gnv9 while lsdp uses it" ip -n ch4 link del gnv9
	local dev
	dev=$(encap_field ch4 .dev)
	[ "$dev" != gnv9 ] || fail "ch4 encap still names the deleted gnv9"
	# Again, for the rmmod test.
	ip -n ch4 link add gnv9 type geneve external && ip -n ch4 link set gnv9 up
	check_ok "ch4 encap set local 198.51.100.4 dev gnv9 (again)" L ch4 encap set local 198.51.100.4 dev gnv9
}

# delta_ns NS PORT COUNTER CMD...: how much a port counter grew over CMD.
delta_ns() {
	local ns=$1 p=$2 c=$3 a b
	shift 3
	a=$(ncounter "$ns" "$p" "$c") || { echo counter-error; return 1; }
	"$@" >/dev/null 2>&1
	sleep 0.2
	b=$(ncounter "$ns" "$p" "$c") || { echo counter-error; return 1; }
	echo $((b - a))
}

test_chassis_del() {
	set_underlay v4 || return 1
	local f n0 i u
	static_neigh
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	bg_ping vm1 10.0.0.2 "$f"
	wait_replies "$f" 5 || { fail "no traffic flowing before chassis del"; bg_diag "$f"; }
	for i in 1 2 3; do
		u=$(L ch1 -j hold show | jq .counters.held)
		check_ok "ch1 chassis del ch2 under traffic ($i)" L ch1 chassis del ch2
		check_eq "ch1 vm2 chassis after chassis del" null "$(nport_field ch1 vm2 .chassis)"
		check_eq "ch1 vm3 chassis after chassis del" null "$(nport_field ch1 vm3 .chassis)"
		check_eq "ch1 chassis list after chassis del" 0 "$(L ch1 -j chassis show | jq length)"
		sleep 0.5
		# Unicast for a port bound nowhere waits for its binding.
		check_ge "ch1 holds packets for vm2 while it is bound nowhere" 1 \
			$(($(L ch1 -j hold show | jq .counters.held) - u)) || bg_diag "$f"
		check_ok "ch1 chassis add ch2 again" L ch1 chassis add ch2 ip 192.0.2.2
		check_ok "ch1 port set vm2 chassis ch2" L ch1 port set vm2 chassis ch2
		check_ok "ch1 port set vm3 chassis ch2" L ch1 port set vm3 chassis ch2
		check_eq "ch1 chassis ch2 ports after re-binding" 2 \
			"$(L ch1 -j chassis show ch2 | jq '.[0].ports')"
		n0=$(replies "$f")
		wait_replies "$f" $((n0 + 5)) 3 ||
			{ fail "fewer than 5 replies within 3 s of re-binding ($i)"; bg_diag "$f"; }
	done
	# The receiving side loses its chassis too (vm1 bound nowhere on ch2).
	check_ok "ch2 chassis del ch1 under traffic" L ch2 chassis del ch1
	check_eq "ch2 vm1 chassis after chassis del" null "$(nport_field ch2 vm1 .chassis)"
	sleep 0.5
	check_ok "ch2 chassis add ch1 again" L ch2 chassis add ch1 ip 192.0.2.1
	check_ok "ch2 port set vm1 chassis ch1" L ch2 port set vm1 chassis ch1
	n0=$(replies "$f")
	wait_replies "$f" $((n0 + 5)) 3 ||
		{ fail "fewer than 5 replies within 3 s of re-binding vm1 on ch2"; bg_diag "$f"; }
	bg_stop "$BG_PID"
	rm -f "$f"
	static_neigh_del
	check_ok "ping vm1 -> vm2 afterwards" ping_all vm1 10.0.0.2 3
}

test_port_move() {
	set_underlay v4 || return 1
	local f n0 r u
	static_neigh
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	bg_ping vm1 10.0.0.2 "$f"
	wait_replies "$f" 5 || { fail "no traffic flowing before moving vm2"; bg_diag "$f"; }

	# Local -> remote in one step on ch2 (vm2 now "lives" on ch1).
	r=$(tcounter ch2 tun-remote-port)
	check_ok "ch2 port set vm2 chassis ch1 (local -> remote)" L ch2 port set vm2 chassis ch1
	check_eq "ch2 vm2 dev after moving to ch1" null "$(nport_field ch2 vm2 .dev)"
	check_eq "ch2 vm2 chassis after moving to ch1" ch1 "$(nport_field ch2 vm2 .chassis)"
	sleep 0.5
	check_ge "ch2 tun-remote-port drops while vm2 is remote on ch2" 1 $(($(tcounter ch2 tun-remote-port) - r))
	# Remote -> local in one step.
	check_ok "ch2 port set vm2 dev tap2 (remote -> local)" L ch2 port set vm2 dev tap2
	check_eq "ch2 vm2 dev after moving back" tap2 "$(nport_field ch2 vm2 .dev)"
	check_eq "ch2 vm2 chassis after moving back" null "$(nport_field ch2 vm2 .chassis)"
	n0=$(replies "$f")
	wait_replies "$f" $((n0 + 5)) 3 ||
		{ fail "fewer than 5 replies within 3 s of moving vm2 back"; bg_diag "$f"; }

	# Step by step: nodev, chassis, nochassis, dev.
	u=$(L ch2 -j hold show | jq .counters.held)
	check_ok "ch2 port set vm2 nodev" L ch2 port set vm2 nodev
	check_eq "ch2 vm2 dev after nodev" null "$(nport_field ch2 vm2 .dev)"
	sleep 0.5
	check_ge "ch2 holds packets for vm2 while it is bound nowhere" 1 \
		$(($(L ch2 -j hold show | jq .counters.held) - u))
	check_ok "ch2 port set vm2 chassis ch1" L ch2 port set vm2 chassis ch1
	check_eq "ch2 vm2 chassis" ch1 "$(nport_field ch2 vm2 .chassis)"
	check_eq "ch2 chassis ch1 ports with vm1 and vm2" 2 "$(L ch2 -j chassis show ch1 | jq '.[0].ports')"
	check_ok "ch2 port set vm2 nochassis" L ch2 port set vm2 nochassis
	check_eq "ch2 vm2 chassis after nochassis" null "$(nport_field ch2 vm2 .chassis)"
	check_eq "ch2 chassis ch1 ports with vm1 only" 1 "$(L ch2 -j chassis show ch1 | jq '.[0].ports')"
	check_ok "ch2 port set vm2 dev tap2" L ch2 port set vm2 dev tap2
	n0=$(replies "$f")
	wait_replies "$f" $((n0 + 5)) 3 ||
		{ fail "fewer than 5 replies within 3 s of re-binding vm2 to tap2"; bg_diag "$f"; }

	# The sending side: vm2 local on ch1 (unbound there: dev-less), then remote again.
	check_ok "ch1 port set vm2 nochassis" L ch1 port set vm2 nochassis
	check_eq "ch1 vm2 chassis after nochassis" null "$(nport_field ch1 vm2 .chassis)"
	sleep 0.3
	check_ok "ch1 port set vm2 chassis ch2" L ch1 port set vm2 chassis ch2
	n0=$(replies "$f")
	wait_replies "$f" $((n0 + 5)) 3 ||
		{ fail "fewer than 5 replies within 3 s of re-binding vm2 to ch2 on ch1"; bg_diag "$f"; }
	bg_stop "$BG_PID"
	rm -f "$f"
	static_neigh_del
	check_ok "ping vm1 -> vm2 in the final state" ping_all vm1 10.0.0.2 3
	check_ok "ping vm2 -> vm1 in the final state" ping_all vm2 10.0.0.1 3
}

# A live migration: vm2 moves to ch1 (a copy of it, vm2b, behind tap2b in
# ch1 takes over) and back, while vm1 (on ch1) and vm3 (on ch2) ping it.
test_migrate() {
	set_underlay v4 || return 1
	local f g n0 m0 tx
	ns_create vm2b || return 1
	vm_add vm2b ch1 tap2b $M2 10.0.0.2/24 || return 1
	neigh_add vm1 10.0.0.2 $M2
	neigh_add vm3 10.0.0.2 $M2
	neigh_add vm2 10.0.0.1 $M1
	neigh_add vm2 10.0.0.3 $M3
	neigh_add vm2b 10.0.0.1 $M1
	neigh_add vm2b 10.0.0.3 $M3
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	g=$(mktemp /tmp/lsdp-ping.XXXXXX)
	bg_ping vm1 10.0.0.2 "$f"
	local p1=$BG_PID
	bg_ping vm3 10.0.0.2 "$g"
	local p3=$BG_PID
	wait_replies "$f" 5 && wait_replies "$g" 5 ||
		{ fail "no traffic flowing before the migration"; bg_diag "$f"; bg_diag "$g"; }

	# To ch1: the destination binds first, then the source lets go.
	check_ok "ch1 port set vm2 dev tap2b (remote -> local)" L ch1 port set vm2 dev tap2b
	check_ok "ch2 port set vm2 chassis ch1 (local -> remote)" L ch2 port set vm2 chassis ch1
	check_eq "ch1 vm2 dev" tap2b "$(nport_field ch1 vm2 .dev)"
	check_eq "ch1 vm2 chassis" null "$(nport_field ch1 vm2 .chassis)"
	check_eq "ch2 vm2 chassis" ch1 "$(nport_field ch2 vm2 .chassis)"
	check_eq "ch1 chassis ch2 ports (vm3 only)" 1 "$(L ch1 -j chassis show ch2 | jq '.[0].ports')"
	sleep 0.3
	tx=$(ncounter ch1 vm2 tx_packets)
	cap_start vm2 eth0 "icmp and icmp[icmptype] = icmp-echo" || return 1
	n0=$(replies "$f") m0=$(replies "$g")
	wait_replies "$f" $((n0 + 10)) 3 ||
		{ fail "vm1 -> vm2 on ch1: fewer than 10 replies within 3 s"; bg_diag "$f"; }
	wait_replies "$g" $((m0 + 10)) 3 ||
		{ fail "vm3 (ch2) -> vm2 on ch1: fewer than 10 replies within 3 s"; bg_diag "$g"; }
	cap_stop vm2 eth0
	check_eq "echo requests at the old vm2 (ch2) after the migration" 0 "$CAP_COUNT"
	check_ge "ch1 vm2 tx_packets (now local on ch1)" 20 $(($(ncounter ch1 vm2 tx_packets) - tx))

	# And back to ch2.
	check_ok "ch2 port set vm2 dev tap2 (remote -> local)" L ch2 port set vm2 dev tap2
	check_ok "ch1 port set vm2 chassis ch2 (local -> remote)" L ch1 port set vm2 chassis ch2
	check_eq "ch1 vm2 dev after moving back" null "$(nport_field ch1 vm2 .dev)"
	check_eq "ch2 vm2 dev after moving back" tap2 "$(nport_field ch2 vm2 .dev)"
	sleep 0.3
	cap_start vm2b eth0 "icmp and icmp[icmptype] = icmp-echo" || return 1
	n0=$(replies "$f") m0=$(replies "$g")
	wait_replies "$f" $((n0 + 10)) 3 ||
		{ fail "vm1 -> vm2 back on ch2: fewer than 10 replies within 3 s"; bg_diag "$f"; }
	wait_replies "$g" $((m0 + 10)) 3 ||
		{ fail "vm3 -> vm2 back on ch2: fewer than 10 replies within 3 s"; bg_diag "$g"; }
	cap_stop vm2b eth0
	check_eq "echo requests at vm2b (ch1) after moving back" 0 "$CAP_COUNT"
	bg_stop "$p1"
	bg_stop "$p3"
	rm -f "$f" "$g"
	ip netns del vm2b
	ip -n vm1 neigh del 10.0.0.2 dev eth0
	ip -n vm3 neigh del 10.0.0.2 dev eth0
	ip -n vm2 neigh del 10.0.0.1 dev eth0
	ip -n vm2 neigh del 10.0.0.3 dev eth0
	check_ok "ping vm1 -> vm2 afterwards" ping_all vm1 10.0.0.2 2
}

test_bad_input() {
	set_underlay v4 || return 1
	ip -n ch1 link del vxa 2>/dev/null
	ip -n ch1 link add vxa type veth peer name vxb || return 1
	check_err "invalid underlay address" L ch1 chassis add bad ip 0.0.0.0
	check_err "invalid underlay address" L ch1 chassis add bad ip 224.0.0.1
	check_err "invalid underlay address" L ch1 chassis add bad ip ::
	check_err "invalid underlay address" L ch1 encap set local 0.0.0.0
	check_err "chassis name already exists" L ch1 chassis add ch2 ip 192.0.2.9
	check_err "chassis address already used by another chassis" L ch1 chassis add ch9 ip 192.0.2.2
	check_err "a port is bound to a device or to a chassis, not both" \
		L ch1 port add sw1 px key 9 mac 02:00:00:00:00:09 dev vxa chassis ch2
	check_err "no such chassis" L ch1 port add sw1 px key 9 chassis nosuch
	check_err "no such chassis" L ch1 port set vm2 chassis nosuch
	check_err "device is not a Geneve device" L ch1 encap set local 192.0.2.1 dev vxa
	check_err "no such chassis" L ch1 chassis del nosuch
	# Nothing changed.
	check_eq "ch1 chassis after the failures" '[{"name":"ch2","ip":"192.0.2.2","ports":2}]' \
		"$(L ch1 -j chassis show | jq -c '[.[] | {name, ip, ports}]')"
	check_eq "ch1 port px absent" 0 "$(L ch1 -j port show | jq '[.[] | select(.name == "px")] | length')"
	check_eq "ch1 encap dev after the failure" null "$(encap_field ch1 .dev)"
	check_eq "ch1 vm2 chassis after the failure" ch2 "$(nport_field ch1 vm2 .chassis)"
	ip -n ch1 link del vxa
	check_ok "ping vm1 -> vm2 after the failures" ping_all vm1 10.0.0.2 2
}

test_ipv6_underlay() {
	check_ok "switch both chassis to the IPv6 underlay" set_underlay v6 || return 1
	check_eq "ch1 encap local" 2001:db8::1 "$(encap_field ch1 .local)"
	check_eq "ch1 chassis ch2 ip" 2001:db8::2 "$(L ch1 -j chassis show ch2 | jq -r '.[0].ip')"
	check_eq "ch1 encap dev" null "$(encap_field ch1 .dev)"
	neigh_add vm1 10.0.0.2 $M2
	neigh_add vm2 10.0.0.1 $M1
	# A zero UDP checksum is refused by IPv6 receivers that did not opt in
	# (Geneve's collect_md device among them): the outer checksum must be
	# there and right.  Without offload the capture shows the final one.
	ip netns exec ch1 ethtool -K u1 tx off >/dev/null 2>&1
	ip netns exec ch2 ethtool -K u2 tx off >/dev/null 2>&1
	ucap_start ch2 u2 udp port 6081 || return 1
	check_ok "ping vm1 -> vm2 over the IPv6 underlay" ping_all vm1 10.0.0.2 3
	ucap_stop
	ip netns exec ch1 ethtool -K u1 tx on >/dev/null 2>&1
	ip netns exec ch2 ethtool -K u2 tx on >/dev/null 2>&1
	check_geneve "IPv6 underlay: request vm1 -> vm2" \
		"10.0.0.1 > 10.0.0.2: ICMP echo request" 00010002 62 \
		"ethertype IPv6 (0x86dd), length 176:" "2001:db8::1." \
		"> 2001:db8::2.6081: [udp sum ok] Geneve" \
		"hlim 64, next-header UDP (17) payload length: 122)" \
		"proto TEB (0x6558), options [$OVN_OPT 00010002]"
	check_geneve "IPv6 underlay: reply vm2 -> vm1" \
		"10.0.0.2 > 10.0.0.1: ICMP echo reply" 00020001 62 \
		"ethertype IPv6 (0x86dd)" "2001:db8::2." "> 2001:db8::1.6081: [udp sum ok] Geneve" \
		"proto TEB (0x6558), options [$OVN_OPT 00020001]"
	ip -n vm1 neigh del 10.0.0.2 dev eth0
	ip -n vm2 neigh del 10.0.0.1 dev eth0
	check_ok "ping -6 vm1 -> vm2 over the IPv6 underlay" ping_all vm1 fd00::2 3
	check_ok "ping vm3 -> vm1 over the IPv6 underlay" ping_all vm3 10.0.0.1 2
	local a
	a=$(tcounter ch2 tun-crit-option)
	ip netns exec ch1 $INJECT 2001:db8::2 crit
	sleep 0.2
	check_eq "IPv6 underlay: injected critical option counted" 1 $(($(tcounter ch2 tun-crit-option) - a))
}

test_mtu6() {
	set_underlay v6 || return 1
	local out a d
	ip -n vm1 -6 route flush cache
	ip -n vm1 route flush cache
	a=$(ncounter ch1 vm2 tun-frag-needed)
	out=$(ip netns exec vm1 ping -6 -n -M do -s 1452 -c 1 -W 2 fd00::2 2>&1)
	printf '%s\n' "$out" | grep -qF 'Packet too big: mtu=1422' ||
		{ fail "1500-byte IPv6 ping: no 'Packet too big: mtu=1422'"; diag_output "$out"; }
	out=$(ip -n vm1 -6 route get fd00::2)
	printf '%s\n' "$out" | grep -qw 'mtu 1422' ||
		{ fail "vm1's route to fd00::2 has no 'mtu 1422'"; diag_output "$out"; }
	check_ok "ping -6 -M do -s 1374 (1422 bytes)" ping_all vm1 fd00::2 2 -6 -M do -s 1374
	out=$(ip netns exec vm1 ping -n -M do -s 1472 -c 1 -W 2 10.0.0.2 2>&1)
	printf '%s\n' "$out" | grep -qF 'Frag needed and DF set (mtu = 1422)' ||
		{ fail "1500-byte IPv4 DF ping, IPv6 underlay: no 'Frag needed and DF set (mtu = 1422)'"; diag_output "$out"; }
	check_ok "ping -M do -s 1394 (1422 bytes), IPv6 underlay" ping_all vm1 10.0.0.2 2 -M do -s 1394
	d=$(($(ncounter ch1 vm2 tun-frag-needed) - a))
	check_eq "ch1 vm2 tun-frag-needed growth (one IPv6, one IPv4)" 2 "$d"
	ip -n vm1 -6 route flush cache
	ip -n vm1 route flush cache
}

test_rmmod() {
	local p1 p2 out
	set_underlay v4 || return 1
	ip netns exec vm1 ping -n -q -f -w 4 10.0.0.2 >/dev/null 2>&1 &
	p1=$!
	ip netns exec vm2 ping -n -q -f -w 4 10.0.0.1 >/dev/null 2>&1 &
	p2=$!
	BG_PIDS+=("$p1" "$p2")
	local t0
	t0=$(tcounter ch1 tx_packets)
	sleep 1.5
	check_ge "ch1 tunnel tx_packets during the flood, before rmmod" 10 $(($(tcounter ch1 tx_packets) - t0))
	out=$(rmmod lsdp 2>&1)
	check_eq "rmmod lsdp under tunnel traffic: exit code" 0 $? || diag_output "$out"
	wait "$p1" "$p2" 2>/dev/null
	lsdp_loaded && fail "the lsdp module is still loaded"
	ip netns exec ch1 ss -Hlun 'sport = :6081' | grep -q . && fail "UDP 6081 still bound in ch1"
	ip netns exec ch2 ss -Hlun 'sport = :6081' | grep -q . && fail "UDP 6081 still bound in ch2"
	if ip netns list | grep -qw ch4; then
		ip -n ch4 link show gnv9 >/dev/null 2>&1 ||
			fail "rmmod deleted gnv9 in ch4, which lsdp did not create"
	fi
	check_ok "reload the module" lsdp_load
	check_eq "ch1 has no switch after reload" 0 "$(L ch1 -j switch show | jq length)"
	UNDERLAY=
	# The chassis namespaces go away cleanly too.
	ip netns del ch1
	ip netns del ch2
	ip netns del ch4 2>/dev/null
	sleep 3
}

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del ch3 2>/dev/null
	ip netns del ch4 2>/dev/null
	lsdp_cleanup
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "geneve: encap, chassis and ports show the configuration" test_config
run_test "geneve: unicast across chassis, counted" test_unicast
run_test "geneve: ACLs across chassis (to-lport on the receiving one)" test_acl
run_test "geneve: ARP/ND broadcast and unknown unicast across chassis, no re-tunnel" test_flood
run_test "geneve: tcpdump decode matches OVN (vni, C, option data)" test_decode
run_test "geneve: malformed Geneve from the underlay dropped and counted" test_inject
run_test "geneve: path MTU over IPv4 (frag needed 1442, TCP, rate limit)" test_mtu4
run_test "geneve: no endpoint / no underlay route dropped and counted" test_no_encap
run_test "geneve: endpoint on an operator's Geneve device (not owned)" test_user_dev
run_test "geneve: chassis deleted and re-added while traffic flows" test_chassis_del
run_test "geneve: port moved local <-> remote while traffic flows" test_port_move
run_test "geneve: port migrates to the other chassis and back while traffic flows" test_migrate
run_test "geneve: bad input rejected with its error" test_bad_input
run_test "geneve: IPv6 underlay (unicast, decode)" test_ipv6_underlay
run_test "geneve: path MTU over IPv6 (packet too big 1422)" test_mtu6
run_test "geneve: rmmod under tunnel traffic" test_rmmod
ksft_exit
