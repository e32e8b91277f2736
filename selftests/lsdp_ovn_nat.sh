#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# OVN's NAT rules on an lsdp chassis (issue 18 items 4 and 5): lsdp-agent
# reads NB's Logical_Router.nat (--ovn-nb-remote) and makes the rules the
# kernel's, incrementally; the chassis announces the NAT addresses it owns
# (GARP on the provider network) when a rule is added and when a floating
# IP's port moves here.
#
# Real Debian OVN on the guest's tmpfs (selftests/ovn_lib.sh): NB and SB
# ovsdb-servers and ovn-northd in this netns; worker2 (netns ovn-w2) is lsdp
# programmed by lsdp-agent; worker9 is a chassis that exists only in SB.
# Seed 003's addresses:
#
#   h1 (ovn-h1) -- tap1 -- fr1p 192.168.0.11 \
#   h2 (ovn-h2) -- tap2 -- fr2p 192.168.0.12 -- fnet -- lr0 -- pub -- ln-pub
#                                   192.168.0.1/24 lr0-fnet        |
#                                   172.24.0.1/24  lr0-pub     ulp2 (physnet1)
#                                                                  |
#                                        ext (ovn-ext) 172.24.0.50 eth0
#
# Everything is configured with ovn-nbctl; each change is followed by
# `ovn-nbctl --wait=hv sync`, which returns once the agent holds NB's state.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/ovn_lib.sh"
ovn_require

EXT=172.24.0.50
SNAT_IP=172.24.0.100
FIP=172.24.0.105
FIP_HEX=0xac180069	# $FIP in a tcpdump arp[] comparison
FIP_MAC=00:11:22:33:00:00
LRP_PUB_MAC=00:00:00:00:ff:02

cleanup() {
	stop_all
	lsdp_cleanup
	rm -rf "$BASE"
}

status() { ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1; }
status_field() { status | sed -n "s/^$1: //p"; }
knat() { w2lsdp -j nat show "$@"; }
# nat_field EXTERNAL JQ: a field of the kernel's rule for EXTERNAL.
nat_field() { knat | jq -r --arg e "$1" "map(select(.external_ip == \$e)) | first | $2"; }
sync_hv() { nbctl --timeout=60 --wait=hv sync; }
# kernel NAT requests the agent logged so far.
nat_requests() { grep -c 'kernel: nat ' "$W2/lsdp-agent.log"; }
# GARP for the floating IP (sender and target both $FIP) arriving at ext.
garp_start() { cap_start ovn-ext eth0 "arp and arp[14:4] = $FIP_HEX and arp[24:4] = $FIP_HEX"; }

setup() {
	local i
	rm -rf "$BASE"
	mkdir -p "$W2" || return 1
	ns_create ovn-w2 ovn-h1 ovn-h2 ovn-ext || return 1
	start_central || { diag "central failed"; return 1; }
	ip -n ovn-w2 link add ul2 type dummy && ip -n ovn-w2 addr add $W2_IP/24 dev ul2 &&
		ip -n ovn-w2 link set ul2 up || return 1
	# The provider network: lsdp's ulp2 and the external host.
	ip -n ovn-w2 link add ulp2 type veth peer name eth0 netns ovn-ext || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.ulp2.disable_ipv6=1
	ip -n ovn-w2 link set ulp2 up || return 1
	vm_setup ovn-ext 0a:00:00:00:00:50 $EXT/24 || return 1
	for i in 1 2; do
		ip -n ovn-w2 link add tap$i type veth peer name eth0 netns ovn-h$i || return 1
		ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap$i.disable_ipv6=1
		ip -n ovn-w2 link set tap$i up || return 1
		vm_setup ovn-h$i fa:16:00:00:00:1$i 192.168.0.1$i/24 || return 1
		ip -n ovn-h$i route add default via 192.168.0.1 || return 1
	done
	# fr2p starts on worker9, a chassis only SB knows: tap2 names no port yet.
	ip -n ovn-w2 link set tap1 alias iface-id=fr1p || return 1
	sbctl chassis-add worker9 geneve 192.168.50.109 || return 1
	nbctl ls-add fnet -- \
		lsp-add fnet fr1p -- lsp-set-addresses fr1p "fa:16:00:00:00:11 192.168.0.11" -- \
		lsp-add fnet fr2p -- lsp-set-addresses fr2p "fa:16:00:00:00:12 192.168.0.12" -- \
		lr-add lr0 -- \
		lrp-add lr0 lr0-fnet 00:00:00:00:ff:01 192.168.0.1/24 -- \
		lrp-add lr0 lr0-pub $LRP_PUB_MAC 172.24.0.1/24 -- \
		lsp-add fnet fnet-lr0 -- lsp-set-type fnet-lr0 router -- \
		lsp-set-addresses fnet-lr0 router -- lsp-set-options fnet-lr0 router-port=lr0-fnet -- \
		ls-add pub -- \
		lsp-add pub ln-pub -- lsp-set-type ln-pub localnet -- \
		lsp-set-addresses ln-pub unknown -- lsp-set-options ln-pub network_name=physnet1 -- \
		lsp-add pub pub-lr0 -- lsp-set-type pub-lr0 router -- \
		lsp-set-addresses pub-lr0 router -- \
		lsp-set-options pub-lr0 router-port=lr0-pub nat-addresses=router || return 1
	nbctl --wait=sb sync || return 1
	sbctl lsp-bind fr2p worker9 || return 1
	agent_start --ovn-nb-remote="$NB" || { diag "lsdp-agent did not start"; return 1; }
	wait_for 30 pb_up fr1p || { diag "fr1p not up"; agent_log_diag; return 1; }
	sync_hv || return 1
	diag "setup took ${SECONDS}s"
}

test_none() {
	check_eq "no NAT rules in the kernel" "[]" "$(knat)"
	check_eq "status: no NAT rules" 0 "$(status_field nats)"
	check_eq "kernel: fr2p lives on worker9" worker9 "$(w2lsdp -j port show fr2p | jq -r '.[0].chassis')"
	check_ok "h1 -> lr0's external address" ping_ok ovn-h1 172.24.0.1 2
}

# lr-nat-add snat: h1's traffic to ext leaves from the external address.
test_snat() {
	check_ok "lr-nat-add snat" nbctl lr-nat-add lr0 snat $SNAT_IP 192.168.0.0/24
	check_ok "--wait=hv" sync_hv
	check_eq "kernel: the snat rule" "snat $SNAT_IP 192.168.0.0/24 centralized" \
		"$(nat_field $SNAT_IP '"\(.type) \(.external_ip) \(.logical_ip) \(.where)"')"
	cap_start ovn-ext eth0 "icmp and src host $SNAT_IP" || return 1
	check_ok "h1 -> ext through snat" ping_ok ovn-h1 $EXT 2
	cap_stop ovn-ext eth0
	check_ge "ext sees h1's pings from $SNAT_IP" 2 "$CAP_COUNT"
	check_ge "snat hits counted" 4 "$(nat_field $SNAT_IP .hits)"
	check_eq "status: 1 NAT rule" 1 "$(status_field nats)"
	[ "$RET" -eq 0 ] || { diag_output "$(w2lsdp nat show 2>&1)"; agent_log_diag; }
}

# A floating IP for fr2p while fr2p lives on worker9: the rule is in the
# kernel but translated (and announced) there, not here.
test_fip_elsewhere() {
	garp_start || return 1
	check_ok "lr-nat-add dnat_and_snat (distributed)" \
		nbctl lr-nat-add lr0 dnat_and_snat $FIP 192.168.0.12 fr2p $FIP_MAC
	check_ok "--wait=hv" sync_hv
	sleep 0.5
	cap_stop ovn-ext eth0
	check_eq "kernel: the floating IP, distributed elsewhere" \
		"dnat_and_snat 192.168.0.12 fr2p $FIP_MAC distributed-elsewhere" \
		"$(nat_field $FIP '"\(.type) \(.logical_ip) \(.logical_port) \(.external_mac) \(.where)"')"
	check_eq "no GARP for $FIP from this chassis" 0 "$CAP_COUNT"
	[ "$CAP_COUNT" -eq 0 ] || diag_output "$CAP_LAST"
}

# fr2p moves here (the VM manager names it on tap2): worker2 claims it and
# announces the floating IP with its external MAC; ext reaches it.
test_fip_move() {
	garp_start || return 1
	ip -n ovn-w2 link set tap2 alias iface-id=fr2p || return 1
	wait_for 30 pb_on fr2p worker2 || { fail "worker2 did not claim fr2p"; agent_log_diag; }
	wait_for 20 pb_up fr2p || fail "fr2p is not up"
	check_ok "--wait=hv" sync_hv
	sleep 0.5
	cap_stop ovn-ext eth0
	check_eq "kernel: the floating IP is here now" distributed-here "$(nat_field $FIP .where)"
	check_ge "GARP for $FIP after the move" 1 "$CAP_COUNT"
	grep -q "^[0-9:.]* $FIP_MAC >" <<<"$CAP_LAST" ||
		{ fail "the GARP does not carry the external MAC"; diag_output "$CAP_LAST"; }
	[ "$RET" -eq 0 ] && diag "$(head -n 1 <<<"$CAP_LAST")"
	check_ok "ext -> floating IP" ping_ok ovn-ext $FIP 2
	check_eq "ext resolved the floating IP to its external MAC" $FIP_MAC \
		"$(ip -n ovn-ext neigh show $FIP | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
	cap_start ovn-ext eth0 "icmp and src host $FIP" || return 1
	check_ok "h2 -> ext" ping_ok ovn-h2 $EXT 2
	cap_stop ovn-ext eth0
	check_ge "h2's pings leave from the floating IP" 2 "$CAP_COUNT"
	check_ge "floating IP hits counted" 8 "$(nat_field $FIP .hits)"
	[ "$RET" -eq 0 ] || { diag_output "$(w2lsdp nat show 2>&1)"; agent_log_diag; }
}

# lr-nat-del takes it out of the kernel; lr-nat-add while the port is here
# announces it at once.
test_fip_del_add() {
	check_ok "lr-nat-del the floating IP" nbctl lr-nat-del lr0 dnat_and_snat $FIP
	check_ok "--wait=hv" sync_hv
	check_eq "kernel: only the snat rule left" "snat" "$(knat | jq -r 'map(.type) | join(",")')"
	ip -n ovn-ext neigh flush dev eth0
	check_ok "ext -> floating IP fails once deleted" ping_fails ovn-ext $FIP
	garp_start || return 1
	check_ok "lr-nat-add it again" \
		nbctl lr-nat-add lr0 dnat_and_snat $FIP 192.168.0.12 fr2p $FIP_MAC
	check_ok "--wait=hv" sync_hv
	sleep 0.5
	cap_stop ovn-ext eth0
	check_ge "GARP for $FIP when added here" 1 "$CAP_COUNT"
	check_ok "ext -> floating IP again" ping_ok ovn-ext $FIP 2
}

# IPv6 NAT: the kernel has none; the agent leaves the row out, counted,
# and nothing is refused.
test_ipv6() {
	check_ok "lr-nat-add an IPv6 dnat_and_snat" \
		nbctl lr-nat-add lr0 dnat_and_snat fd00:24::105 fd00::12
	check_ok "--wait=hv" sync_hv
	check_eq "status: 1 unsupported NAT row" 1 "$(status_field "unsupported nats")"
	status | grep -q 'IPv6 NAT is not supported by the lsdp kernel: left out' ||
		{ fail "status does not say why"; diag_output "$(status)"; }
	check_eq "status: no refusal" 0 "$(status_field "kernel refusals of nat rules in the last pass")"
	check_eq "kernel: still two rules" 2 "$(knat | jq length)"
	check_ok "lr-nat-del it" nbctl lr-nat-del lr0 dnat_and_snat fd00:24::105
	check_ok "--wait=hv" sync_hv
	check_eq "status: none unsupported" 0 "$(status_field "unsupported nats")"
}

# An agent restart finds the rules in the kernel and sends nothing: the
# rules keep their hit counters (a rule made again would start at 0).
test_restart() {
	local before after n0
	before=$(knat | jq -c 'sort_by(.external_ip)')
	n0=$(nat_requests)
	agent_stop TERM
	agent_start --ovn-nb-remote="$NB" || { fail "restart"; return 1; }
	wait_for 20 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -qx 'nats: 2'" ||
		{ fail "restarted agent does not hold the rules"; diag_output "$(status)"; }
	check_ok "--wait=hv" sync_hv
	after=$(knat | jq -c 'sort_by(.external_ip)')
	check_eq "the kernel's rules, hits included, unchanged" "$before" "$after"
	check_eq "no NAT request sent by the restarted agent" "$n0" "$(nat_requests)"
	check_ok "ext -> floating IP after the restart" ping_ok ovn-ext $FIP 2
	# The agent owns the rules: one made behind its back goes.
	check_ok "a rule made with the CLI" w2lsdp nat add lr0 dnat 172.24.0.77 192.168.0.11
	check_ok "nbctl sync" nbctl --timeout=60 --wait=hv sync
	check_eq "kernel: the CLI's rule deleted by the agent" "dnat_and_snat,snat" \
		"$(knat | jq -r 'map(.type) | sort | join(",")')"
	check_ok "lr-nat-del the rest" nbctl lr-nat-del lr0
	check_ok "--wait=hv" sync_hv
	check_eq "no NAT rules left in the kernel" "[]" "$(knat)"
}

trap cleanup EXIT
if ! setup; then
	agent_log_diag
	ksft_abort "setup failed"
fi
run_test "ovn nat: lr0 without NAT rules" test_none
run_test "ovn nat: lr-nat-add snat, h1 reaches ext from the external address" test_snat
run_test "ovn nat: a floating IP whose port is on another chassis is not announced here" test_fip_elsewhere
run_test "ovn nat: the port moves here: GARP, reached from outside" test_fip_move
run_test "ovn nat: lr-nat-del removes it; lr-nat-add announces it" test_fip_del_add
run_test "ovn nat: IPv6 NAT left out, counted" test_ipv6
run_test "ovn nat: agent restart keeps the kernel's rules" test_restart
ksft_exit
