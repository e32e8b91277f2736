#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT on a logical router (issue 18), in the shape of seed 003's lab:
#
#   n1 (192.168.0.11 + VIP 192.168.0.5)  n2 (192.168.0.12)  n3 (192.168.0.13)
#      fr1p key 1                          fr2p key 2          fr3p key 3
#        \_______________ fnet (key 1) _______|___________________/
#                            | lrp-1-attach (router, peer lrp-1)
#                 lerouter (key 10): lrp-1 192.168.0.1/28
#                                    lrp-ext 10.224.122.100/24
#                            | lrp-ext-attach (router, peer lrp-ext)
#                 public (key 2) --- provnet (localnet, dev ext0)
#                                        |
#                                   ext 10.224.122.1 (the provider network)
#
#   snat          10.224.122.100  192.168.0.0/28
#   dnat_and_snat 10.224.122.105  192.168.0.5   port fr1p mac 00:11:22:33:00:00
#   dnat_and_snat 10.224.122.106  192.168.0.12  (centralized)
. "$(dirname "$0")/lib.sh"

lsdp_require

EXT=10.224.122.1
EXT_MAC=02:00:00:00:0e:01
SNAT_IP=10.224.122.100
FIP1=10.224.122.105
FIP1_MAC=00:11:22:33:00:00
FIP2=10.224.122.106
LRP_EXT_MAC=fa:16:ff:ff:ff:ff

nat_hits() { # ROUTER TYPE EXTERNAL: hits of that rule
	"$LSDP" -j nat show "$1" | jq -r --arg t "$2" --arg e "$3" \
		'map(select(.type == $t and .external_ip == $e)) | first | .hits'
}

setup() {
	ns_create n1 n2 n3 ext || return 1
	host_add n1 p1 fa:16:00:00:00:11 192.168.0.11/28 || return 1
	ip -n n1 addr add 192.168.0.5/32 dev eth0 || return 1
	host_add n2 p2 fa:16:00:00:00:12 192.168.0.12/28 || return 1
	host_add n3 p3 fa:16:00:00:00:13 192.168.0.13/28 || return 1
	host_add ext ext0 $EXT_MAC $EXT/24 || return 1
	for ns in n1 n2 n3; do
		ip -n $ns route add default via 192.168.0.1 || return 1
	done

	"$LSDP" switch add fnet key 1 || return 1
	"$LSDP" port add fnet fr1p key 1 mac fa:16:00:00:00:11 ip 192.168.0.11 ip 192.168.0.5 dev p1 || return 1
	"$LSDP" port add fnet fr2p key 2 mac fa:16:00:00:00:12 ip 192.168.0.12 dev p2 || return 1
	"$LSDP" port add fnet fr3p key 3 mac fa:16:00:00:00:13 ip 192.168.0.13 dev p3 || return 1
	"$LSDP" router add lerouter key 10 || return 1
	"$LSDP" port add lerouter lrp-1 key 1 mac fa:16:00:00:00:01 net 192.168.0.1/28 || return 1
	"$LSDP" port add fnet lrp-1-attach key 4 type router peer lrp-1 || return 1
	"$LSDP" port add lerouter lrp-ext key 2 mac $LRP_EXT_MAC net $SNAT_IP/24 || return 1
	"$LSDP" switch add public key 2 || return 1
	"$LSDP" port add public lrp-ext-attach key 1 type router peer lrp-ext || return 1
	"$LSDP" port add public provnet key 2 type localnet unknown dev ext0 || return 1
	"$LSDP" route add lerouter default via $EXT port lrp-ext || return 1

	"$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.0/28 || return 1
	"$LSDP" nat add lerouter dnat_and_snat $FIP1 192.168.0.5 port fr1p mac $FIP1_MAC || return 1
	"$LSDP" nat add lerouter dnat_and_snat $FIP2 192.168.0.12 || return 1
}

# The source ext sees for a ping from NS (ping's own args after NS).
seen_source() {
	local ns=$1 src
	shift
	cap_start ext eth0 icmp and dst host $EXT || return 1
	ip netns exec "$ns" ping -n -q -c 2 -i 0.2 -W 2 "$@" $EXT >/dev/null 2>&1
	local rc=$?
	cap_stop ext eth0
	src=$(printf '%s\n' "$CAP_LAST" | grep -oE "[0-9]+(\.[0-9]+){3} > $EXT: ICMP echo request" | head -1)
	printf '%s\n' "${src%% *}"
	return $rc
}

test_snat() {
	local h0 h1 src
	h0=$(nat_hits lerouter snat $SNAT_IP)
	check_ok "ping n3 -> ext through snat" ping_ok n3 $EXT 3
	src=$(seen_source n3)
	check_eq "source ext sees for n3" "$SNAT_IP" "$src"
	h1=$(nat_hits lerouter snat $SNAT_IP)
	# 3 + 2 requests and as many replies went through the rule.
	check_ge "snat hits grew" $((h0 + 10)) "$h1"
}

test_fip_inbound() {
	local got
	cap_start n1 eth0 icmp and dst host 192.168.0.5 and src host $EXT || return 1
	check_ok "ping ext -> FIP $FIP1 (reaches 192.168.0.5 in n1)" ping_ok ext $FIP1 3
	cap_stop n1 eth0
	diag "n1 saw (ext -> $FIP1, translated):"
	diag_output "$(printf '%s\n' "$CAP_LAST" | head -2)"
	check_ge "echo requests n1 got for 192.168.0.5 from $EXT" 3 "$CAP_COUNT"
	got=$(seen_source n1 -I 192.168.0.5)
	check_eq "source ext sees for n1's 192.168.0.5" "$FIP1" "$got"
	# n1's own address is only under the snat rule.
	got=$(seen_source n1 -I 192.168.0.11)
	check_eq "source ext sees for n1's 192.168.0.11" "$SNAT_IP" "$got"
}

# The MAC ext has for ADDR after talking to it.
ext_mac_of() {
	ip -n ext neigh flush dev eth0 >/dev/null 2>&1
	ip netns exec ext ping -n -q -c 1 -W 2 "$1" >/dev/null 2>&1
	ip -n ext neigh show "$1" dev eth0 | awk '{ for (i = 1; i <= NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

test_distributed() {
	local where
	where=$("$LSDP" -j nat show lerouter | jq -r --arg e $FIP1 'map(select(.external_ip == $e)) | first | .where')
	check_eq "FIP1's rule is translated here" distributed-here "$where"
	check_eq "ARP for distributed $FIP1 answered with" $FIP1_MAC "$(ext_mac_of $FIP1)"
	check_eq "ARP for centralized $FIP2 answered with" $LRP_EXT_MAC "$(ext_mac_of $FIP2)"
	check_eq "ARP for the snat address answered with" $LRP_EXT_MAC "$(ext_mac_of $SNAT_IP)"
	ip netns exec ext ping -n -q -c 1 -W 2 $FIP1 >/dev/null 2>&1
	ip netns exec ext ping -n -q -c 1 -W 2 $FIP2 >/dev/null 2>&1
	diag "ext's neighbours (seed 003's 'ip neigh show to 10.224.122.105'):"
	diag_output "$(ip -n ext neigh show dev eth0)"
	# Frames from the FIP leave from its own MAC.
	cap_start ext eth0 icmp and src host $FIP1 || return 1
	ip netns exec n1 ping -n -q -c 1 -W 2 -I 192.168.0.5 $EXT >/dev/null 2>&1
	cap_stop ext eth0
	if ! printf '%s\n' "$CAP_LAST" | grep -q "^.*$FIP1_MAC > "; then
		fail "frame from $FIP1 not sent from $FIP1_MAC"
		diag_output "$CAP_LAST"
	fi
	# Seed 003: from distributed to centralized and back.
	check_ok "nat del distributed" "$LSDP" nat del lerouter dnat_and_snat $FIP1
	check_ok "nat add centralized" "$LSDP" nat add lerouter dnat_and_snat $FIP1 192.168.0.5
	check_eq "ARP for centralized $FIP1 answered with" $LRP_EXT_MAC "$(ext_mac_of $FIP1)"
	check_ok "ping ext -> centralized FIP" ping_ok ext $FIP1 2
	check_ok "nat del centralized" "$LSDP" nat del lerouter dnat_and_snat $FIP1 192.168.0.5
	check_ok "nat add distributed again" "$LSDP" nat add lerouter dnat_and_snat $FIP1 192.168.0.5 port fr1p mac $FIP1_MAC
	# Its port bound elsewhere: this chassis no longer answers for it.
	check_ok "unbind fr1p" "$LSDP" port set fr1p nodev
	where=$("$LSDP" -j nat show lerouter | jq -r --arg e $FIP1 'map(select(.external_ip == $e)) | first | .where')
	check_eq "FIP1's rule with fr1p unbound" distributed-elsewhere "$where"
	check_eq "no ARP answer for $FIP1 with fr1p not here" "" "$(ext_mac_of $FIP1)"
	check_ok "bind fr1p" "$LSDP" port set fr1p dev p1
	# ext's entry for FIP1 may still be spending the probes that went
	# unanswered above (a busy VM): resolve afresh, then ping.
	check_eq "ARP for $FIP1 answered again with fr1p here" $FIP1_MAC "$(ext_mac_of $FIP1)"
	check_ok "ping ext -> distributed FIP" ping_ok ext $FIP1 2
}

test_hairpin() {
	local h0 h1
	h0=$(nat_hits lerouter dnat_and_snat $FIP2)
	cap_start n2 eth0 icmp and dst host 192.168.0.12 || return 1
	check_ok "ping FIP1 -> FIP2 (n1 192.168.0.5 -> $FIP2)" \
		ip netns exec n1 ping -n -q -c 3 -i 0.2 -W 2 -I 192.168.0.5 $FIP2
	cap_stop n2 eth0
	if ! printf '%s\n' "$CAP_LAST" | grep -q "$FIP1 > 192.168.0.12"; then
		fail "n2 did not see the hairpin from $FIP1"
		diag_output "$CAP_LAST"
	fi
	h1=$(nat_hits lerouter dnat_and_snat $FIP2)
	check_ge "FIP2 hits grew by requests and replies" $((h0 + 6)) "$h1"
}

# udp_to_closed NS [SRC]: what a UDP socket in NS (bound to SRC) learns
# after sending to a closed port on ext: "refused" only if the port
# unreachable came back to its own address and port, i.e. the error's
# outer and inner headers were both translated back.
udp_to_closed() {
	ip netns exec "$1" "$PYTHON" - "$EXT" "${2:-0.0.0.0}" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0))
s.settimeout(3)
s.connect((sys.argv[1], 9))
s.send(b"x")
try:
    s.recv(100)
    print("data")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
EOF
}

test_icmp_error() {
	check_eq "n3's UDP to a closed port on ext (through snat)" refused \
		"$(udp_to_closed n3)"
	check_eq "n1's UDP from the FIP's address to a closed port" refused \
		"$(udp_to_closed n1 192.168.0.5)"
}

test_exhaustion() {
	local d0 d1
	check_ok "nat del snat" "$LSDP" nat del lerouter snat $SNAT_IP
	check_ok "snat with one external id" \
		"$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.0/28 ports 1000-1000
	d0=$(counter lrp-1 nat-exhausted)
	# ICMP echo ids: the first ping takes 1000, the next (another id
	# of another ping process) finds none left while the first lives.
	check_ok "first ping gets the one id" ping_ok n3 $EXT 1
	check_ok "second ping finds none" ping_fails n3 $EXT
	d1=$(counter lrp-1 nat-exhausted)
	check_ge "nat-exhausted drops counted" $((d0 + 1)) "$d1"
	check_ok "nat del snat (one id)" "$LSDP" nat del lerouter snat $SNAT_IP 192.168.0.0/28
	check_ok "snat again" "$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.0/28
	check_ok "ping after the range is gone" ping_ok n3 $EXT 1
}

test_bad_input() {
	check_err "no such datapath" "$LSDP" nat add nope snat $SNAT_IP 192.168.0.0/28
	check_err "not a router" "$LSDP" nat add fnet snat $SNAT_IP 192.168.0.0/28
	check_err "invalid NAT type" "$LSDP" nat add lerouter masquerade $SNAT_IP 192.168.0.0/28
	check_err "host bits set" "$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.1/28
	check_err "invalid logical address" "$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.300
	check_err "invalid external address" "$LSDP" nat add lerouter snat 10.224.122 192.168.0.0/28
	check_err "IPv6 NAT is not supported" "$LSDP" nat add lerouter dnat_and_snat 2001:db8::1 192.168.0.7
	check_err "external MAC and logical port go together" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 mac 00:11:22:33:00:07
	check_err "external MAC and logical port go together" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 port fr3p
	check_err "only dnat_and_snat takes a logical port" \
		"$LSDP" nat add lerouter dnat 10.224.122.107 192.168.0.7 port fr3p mac 00:11:22:33:00:07
	check_err "no such port" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 port nope mac 00:11:22:33:00:07
	check_err "must be a VM's port on a switch" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 port lrp-1 mac 00:11:22:33:00:07
	check_err "6-byte unicast" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 port fr3p mac 01:00:5e:00:00:01
	check_err "invalid MAC" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.7 port fr3p mac zz
	check_err "NAT rule already exists" "$LSDP" nat add lerouter snat $SNAT_IP 192.168.0.0/28
	check_err "logical network already has an snat rule" \
		"$LSDP" nat add lerouter snat 10.224.122.101 192.168.0.0/28
	check_err "already translated by another dnat" \
		"$LSDP" nat add lerouter dnat $FIP2 192.168.0.13
	check_err "logical address already has a dnat_and_snat rule" \
		"$LSDP" nat add lerouter dnat_and_snat 10.224.122.107 192.168.0.12
	check_err "not a network" "$LSDP" nat add lerouter dnat 10.224.122.107 192.168.0.0/28
	check_err "port range must be 1 <= MIN <= MAX" \
		"$LSDP" nat add lerouter snat 10.224.122.101 192.168.1.0/24 ports 2000-1000
	check_err "invalid port range" \
		"$LSDP" nat add lerouter snat 10.224.122.101 192.168.1.0/24 ports 0-10
	check_err "only snat and dnat_and_snat take a port range" \
		"$LSDP" nat add lerouter dnat 10.224.122.107 192.168.0.7 ports 1-10
	check_err "external address must be unicast" \
		"$LSDP" nat add lerouter dnat 224.0.0.1 192.168.0.7
	check_err "missing INTERNAL" "$LSDP" nat add lerouter snat $SNAT_IP
	check_err "no such NAT rule" "$LSDP" nat del lerouter dnat 10.224.122.107
	check_err "no such NAT rule" "$LSDP" nat del lerouter snat $SNAT_IP 192.168.1.0/24
	check_err "no such datapath" "$LSDP" nat del nope snat $SNAT_IP
	check_err "no such datapath" "$LSDP" nat show nope
	check_err "unexpected argument" "$LSDP" nat del lerouter snat $SNAT_IP 192.168.0.0/28 extra
	# Nothing above changed the rules.
	check_eq "rules after bad input" 3 "$("$LSDP" -j nat show lerouter | jq length)"
}

test_show() {
	local out
	out=$("$LSDP" nat show lerouter)
	diag_output "$out"
	printf '%s\n' "$out" | grep -q "^lerouter  *snat  *$SNAT_IP  *192.168.0.0/28" ||
		fail "table lacks the snat rule"
	check_ok "JSON" lsdp_json nat show
	check_eq "zone is the router's, one for all rules" 1 \
		"$("$LSDP" -j nat show | jq '[.[].ct_zone] | unique | length')"
}

test_unload() {
	local before after
	check_ok "ping keeps a NAT connection alive" ping_ok n3 $EXT 1
	before=$(cat /proc/sys/net/netfilter/nf_conntrack_count)
	check_ge "conntrack entries before unload" 1 "$before"
	# Topology and all: the module's exit takes the router and its zone.
	check_ok "rmmod with NAT connections alive" lsdp_unload
	sleep 0.5
	after=$(cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo 0)
	check_eq "router zone's connections flushed" 0 "$after"
}

setup || ksft_abort "setup failed"
run_test "nat: snat from the tenant net to the provider network" test_snat
run_test "nat: floating IP from outside, both directions" test_fip_inbound
run_test "nat: distributed vs centralized dnat_and_snat (ARP, MAC)" test_distributed
run_test "nat: hairpin between two floating IPs" test_hairpin
run_test "nat: ICMP errors translated back to the inside host" test_icmp_error
run_test "nat: port exhaustion counted (nat-exhausted)" test_exhaustion
run_test "nat: bad input for every command" test_bad_input
run_test "nat: show, hit counts, JSON" test_show
run_test "nat: rmmod with NAT conntrack entries alive" test_unload
ksft_exit
