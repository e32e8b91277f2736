#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lsdp-agent in a real OVN deployment (issue 14; DESIGN.md 11).
#
# Everything is Debian's real OVN and OVS, on the guest's tmpfs:
#
#   central (this netns): NB and SB ovsdb-servers, ovn-northd
#   worker1 (netns ovn-w1): ovsdb-server + ovs-vswitchd (OVS kernel
#       datapath) + ovn-controller, underlay ul1 192.168.50.100
#   worker2 (netns ovn-w2): lsdp, programmed by lsdp-agent (which runs in
#       this netns, --netns ovn-w2), underlay ul2 192.168.50.101
#
#   worker3 (netns ovn-w3): a second lsdp chassis, for port moves
#       (seed 003's failover), underlay ul3 192.168.50.102
#   the underlay and the provider network (physnet1) are bridges in netns
#       ovn-net, so that all three chassis share them
#
#   vm1 (netns ovn-vm1, 10.0.0.11) -- tap1 on worker1's br-int, iface-id=vm1
#   vm2 (netns ovn-vm2, 10.0.0.12) -- tap2 in ovn-w2, alias iface-id=vm2
#
# The logical network is configured only with ovn-nbctl; every key comes
# from ovn-northd.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/ovn_lib.sh"
ovn_require ovn-controller ovs-vsctl
OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
[ -x "$OVS_VSWITCHD" ] || ksft_abort "missing $OVS_VSWITCHD (run 'make deps')"
modprobe -a openvswitch geneve || ksft_abort "cannot load openvswitch, geneve"

cleanup() {
	stop_all
	lsdp_cleanup
	rm -rf "$BASE"
}

setup() {
	rm -rf "$BASE"
	mkdir -p "$W2" || return 1
	ns_create ovn-net ovn-w1 ovn-w2 ovn-w3 ovn-vm1 ovn-vm2 ovn-vm3 ovn-vm4 \
		ovn-vm5 ovn-vm6 ovn-vm7 || return 1
	net_attach ul 192.168.50 || return 1
	start_central || { diag "central failed"; return 1; }
	start_worker1 || { diag "worker1 failed"; diag_output "$(tail -n 20 "$W1/ovn-controller.log")"; return 1; }

	# vm1 behind tap1 on worker1's br-int.
	ip -n ovn-w1 link add tap1 type veth peer name eth0 netns ovn-vm1 || return 1
	ip -n ovn-w1 link set tap1 up
	w1 ovs-vsctl --db="unix:$W1/db.sock" add-port br-int tap1 -- \
		set Interface tap1 external_ids:iface-id=vm1 || return 1
	vm_setup ovn-vm1 $M1 10.0.0.11/24 || return 1
	# vm2 behind tap2 in worker2's netns; bound later by the agent.
	ip -n ovn-w2 link add tap2 type veth peer name eth0 netns ovn-vm2 || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap2.disable_ipv6=1
	ip -n ovn-w2 link set tap2 up
	vm_setup ovn-vm2 $M2 10.0.0.12/24 || return 1

	nbctl ls-add sw0 || return 1
	nbctl lsp-add sw0 vm1 -- lsp-set-addresses vm1 "$M1 10.0.0.11" || return 1
	nbctl lsp-add sw0 vm2 -- lsp-set-addresses vm2 "$M2 10.0.0.12" || return 1
	nbctl --wait=sb sync
	diag "setup took ${SECONDS}s"
}


test_bad_config() {
	local out rc
	out=$("$AGENT" --system-id=worker2 --ovn-remote="$SB" --ovn-encap-ip=10.0.0.300 2>&1)
	rc=$?
	check_eq "exit status of a bad ovn-encap-ip" 1 "$rc"
	check_eq "one line of error" 1 "$(printf '%s\n' "$out" | wc -l)"
	printf '%s' "$out" | grep -q 'ovn-encap-ip' || fail "error does not name ovn-encap-ip: $out"
	out=$("$AGENT" --system-id=worker2 --ovn-remote="$SB" --ovn-encap-ip=$W2_IP \
		--ovn-encap-type=vxlan 2>&1)
	rc=$?
	check_eq "exit status of ovn-encap-type vxlan" 1 "$rc"
	printf '%s' "$out" | grep -q 'geneve only' || fail "vxlan refusal: $out"
	out=$("$AGENT" --system-id=worker2 --ovn-remote="tcp:nowhere" --ovn-encap-ip=$W2_IP 2>&1)
	check_eq "exit status of an ovn-remote without a port" 1 "$?"
	out=$("$AGENT" --system-id=worker2 --ovn-remote="http:x" --ovn-encap-ip=$W2_IP 2>&1)
	check_eq "exit status of an ovn-remote of another kind" 1 "$?"
	out=$("$AGENT" --system-id=worker2 --ovn-remote="$SB" --ovn-encap-ip=$W2_IP \
		--netns=no-such-ns 2>&1)
	check_eq "exit status of a missing netns" 1 "$?"
	# Nothing was registered by any of them.
	sbctl --bare --columns=name list Chassis | grep -qx worker2 &&
		fail "a refused agent registered worker2"
	return 0
}

test_register() {
	local show
	agent_start || { fail "lsdp-agent did not start"; agent_log_diag; return 1; }
	wait_for 20 bash -c "ovn-sbctl --db=$SB --bare --columns=name list Chassis_Private | grep -qx worker2" ||
		{ fail "no Chassis_Private worker2"; agent_log_diag; }
	show=$(sbctl show)
	printf '%s\n' "$show" | awk '/^Chassis /{c=$2} c=="worker2"' >"$BASE/w2.show"
	grep -q 'Encap geneve' "$BASE/w2.show" || fail "worker2 has no geneve Encap"
	grep -q "ip: \"$W2_IP\"" "$BASE/w2.show" || fail "worker2's Encap ip is not $W2_IP"
	grep -q 'csum="true"' "$BASE/w2.show" || fail "worker2's Encap lacks csum=true"
	[ "$RET" -eq 0 ] || diag_output "$show"
	# The agent programmed the kernel from SB: sw0 with northd's key, both
	# ports, worker1 as a chassis, our tunnel endpoint.
	local key
	key=$(sbctl --bare --columns=tunnel_key find Datapath_Binding external_ids:name=sw0)
	wait_for 10 bash -c "$LSDP -n ovn-w2 -j switch show sw0 | jq -en 'input | .[0].key == $key'" ||
		{ fail "lsdp has no switch sw0 with key $key"; diag_output "$(w2lsdp switch show 2>&1)"; }
	wait_for 10 bash -c "$LSDP -n ovn-w2 -j chassis show | jq -en 'input | .[] | select(.name == \"worker1\" and .ip == \"$W1_IP\")'" ||
		{ fail "lsdp has no chassis worker1 $W1_IP"; diag_output "$(w2lsdp chassis show 2>&1)"; }
	check_eq "vm1's kernel port is on worker1" worker1 "$(port_field_ns vm1 .chassis)"
	check_eq "vm1's kernel key is northd's" "$(pb_field vm1 tunnel_key)" "$(port_field_ns vm1 .key)"
}

status() { ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1; }
# status_has LINE: the agent's status has LINE.
status_has() { status | grep -qxF -- "$1"; }

port_field_ns() {
	w2lsdp -j port show "$1" 2>/dev/null | jq -r --arg p "$1" "map(select(.name == \$p)) | first | $2"
}

test_bind() {
	# Bind vm1 on worker1 first (ovn-controller), then plug vm2 here the
	# way a VM manager does: one ip command naming the logical port.
	wait_for 30 pb_on vm1 worker1 || fail "ovn-controller did not claim vm1"
	ip -n ovn-w2 link set dev tap2 alias iface-id=vm2 || return 1
	wait_for 20 pb_on vm2 worker2 || { fail "the agent did not claim vm2"; agent_log_diag; }
	wait_for 20 pb_up vm2 || { fail "Port_Binding vm2 up is not true: '$(pb_field vm2 up)'"; agent_log_diag; }
	check_eq "vm2's kernel port is bound to tap2" tap2 "$(port_field_ns vm2 .dev)"
	sbctl show | awk '/^Chassis /{c=$2} c=="worker2"' | grep -q 'Port_Binding vm2' ||
		fail "ovn-sbctl show does not list vm2 under worker2"
	wait_for 20 bash -c "[ \"\$(ovn-nbctl --db=$NB get Logical_Switch_Port vm2 up)\" = true ]" ||
		fail "NB Logical_Switch_Port vm2 is not up"
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
}

test_ping() {
	ping_ok ovn-vm2 10.0.0.11 5 || fail "vm2 (lsdp) -> vm1 (OVS) ping"
	ping_ok ovn-vm1 10.0.0.12 5 || fail "vm1 (OVS) -> vm2 (lsdp) ping"
	if [ "$RET" -ne 0 ]; then
		diag_output "$(w2lsdp port show 2>&1)"
		diag_output "$(w2lsdp stats show 2>&1)"
		diag_output "$(w2lsdp encap show 2>&1)"
	fi
}

test_status() {
	local out
	out=$(ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1) || { fail "status: $out"; return 1; }
	printf '%s\n' "$out" | grep -qx 'chassis: worker2' || fail "status lacks the chassis name"
	printf '%s\n' "$out" | grep -qx 'sb state: connected' || fail "status is not connected"
	printf '%s\n' "$out" | grep -qx 'claimed ports: 1' || fail "status does not count 1 claimed port"
	printf '%s\n' "$out" | grep -qx "nb_cfg: $(sbctl get SB_Global . nb_cfg)" ||
		fail "status does not show SB's nb_cfg"
	printf '%s\n' "$out" | grep -qE '^rss: [1-9][0-9]* kB$' || fail "status lacks the agent's RSS"
	[ "$RET" -eq 0 ] || diag_output "$out"
	diag "agent: $(printf '%s\n' "$out" | grep -E '^(rss|cpu):' | tr '\n' ' ')"
	diag "ovn-controller beside it: rss: $(ps -o rss= -p "$(cat "$W1/ovn-controller.pid")" | tr -d ' ') kB" \
		"cpu: $(ps -o cputime= -p "$(cat "$W1/ovn-controller.pid")" | tr -d ' ')"
}

# A router between sw0 and sw1: vm3 on worker1, vm4 here, plugged (its
# ifalias set) before the logical port exists anywhere.
test_router() {
	local key n
	ip -n ovn-w1 link add tap3 type veth peer name eth0 netns ovn-vm3 || return 1
	ip -n ovn-w1 link set tap3 up
	w1 ovs-vsctl --db="unix:$W1/db.sock" add-port br-int tap3 -- \
		set Interface tap3 external_ids:iface-id=vm3 || return 1
	vm_setup ovn-vm3 $M3 10.0.1.13/24 || return 1
	ip -n ovn-w2 link add tap4 type veth peer name eth0 netns ovn-vm4 || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap4.disable_ipv6=1
	ip -n ovn-w2 link set tap4 alias iface-id=vm4 || return 1
	ip -n ovn-w2 link set tap4 up
	vm_setup ovn-vm4 $M4 10.0.1.14/24 || return 1
	for n in 1 2; do ip -n ovn-vm$n route add default via 10.0.0.1 || return 1; done
	for n in 3 4; do ip -n ovn-vm$n route add default via 10.0.1.1 || return 1; done

	nbctl lr-add lr0 -- \
		lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 -- \
		lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- \
		lsp-set-addresses sw0-lr0 router -- \
		lsp-set-options sw0-lr0 router-port=lr0-sw0 -- \
		ls-add sw1 -- \
		lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 -- \
		lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- \
		lsp-set-addresses sw1-lr0 router -- \
		lsp-set-options sw1-lr0 router-port=lr0-sw1 -- \
		lsp-add sw1 vm3 -- lsp-set-addresses vm3 "$M3 10.0.1.13" -- \
		lsp-add sw1 vm4 -- lsp-set-addresses vm4 "$M4 10.0.1.14" || return 1
	wait_for 30 pb_on vm3 worker1 || fail "ovn-controller did not claim vm3"
	wait_for 30 pb_on vm4 worker2 || { fail "the agent did not claim vm4 (plugged first)"; agent_log_diag; }
	wait_for 20 pb_up vm4 || fail "Port_Binding vm4 is not up"
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync

	key=$(sbctl --bare --columns=tunnel_key find Datapath_Binding external_ids:name=lr0)
	check_eq "lsdp router lr0 has northd's key" "$key" \
		"$(w2lsdp -j router show lr0 2>/dev/null | jq -r '.[0].key')"
	check_eq "router port lr0-sw1's network" '["10.0.1.1/24"]' \
		"$(port_field_ns lr0-sw1 '.nets' | jq -c .)"
	check_eq "sw1-lr0 patched to lr0-sw1" lr0-sw1 "$(port_field_ns sw1-lr0 .peer)"
	check_eq "vm3's address is a static neighbour of lr0-sw1" "$M3 static" \
		"$(w2lsdp -j neigh show lr0-sw1 | jq -r '.[] | select(.address == "10.0.1.13") | "\(.mac) \(.state)"')"
	check_eq "vm4's kernel port is bound to tap4" tap4 "$(port_field_ns vm4 .dev)"

	ping_ok ovn-vm2 10.0.1.13 5 || fail "vm2 (lsdp, sw0) -> vm3 (OVS, sw1) routed ping"
	ping_ok ovn-vm3 10.0.0.12 5 || fail "vm3 (OVS, sw1) -> vm2 (lsdp, sw0) routed ping"
	ping_ok ovn-vm4 10.0.0.11 5 || fail "vm4 (lsdp, sw1) -> vm1 (OVS, sw0) routed ping"
	ping_ok ovn-vm1 10.0.1.14 5 || fail "vm1 (OVS, sw0) -> vm4 (lsdp, sw1) routed ping"
	ping_ok ovn-vm2 10.0.1.14 3 || fail "vm2 -> vm4, both on lsdp, routed ping"
	if [ "$RET" -ne 0 ]; then
		diag_output "$(w2lsdp port show 2>&1)"
		diag_output "$(w2lsdp neigh show 2>&1)"
		diag_output "$(w2lsdp stats show 2>&1)"
		agent_log_diag
	fi
}

# A real chassis's router resolves an address on sw0 that no port has:
# its ARP request leaves worker1 as _MC_flood_l2 (egress key 32772, read
# from SB), and lsdp gives it to its VIFs on sw0 (vm2) and to nothing else:
# not its router (a flood from a tunnel is never routed), not a tunnel.
encap_tx() { w2lsdp -j encap show | jq -r '.stats.tx_packets // .tx_packets // 0'; }
lr0_packets() { w2lsdp -j stats show lr0 | jq '[.[] | .rx_packets + .tx_packets] | add'; }
test_flood_l2() {
	local key tx0 tx1 rtx0 rtx1
	key=$(sbctl --bare --columns=tunnel_key find Multicast_Group name=_MC_flood_l2 \
		datapath="$(sbctl --bare --columns=_uuid find Datapath_Binding external_ids:name=sw0)")
	diag "SB Multicast_Group keys: $(sbctl --bare --columns=name,tunnel_key list Multicast_Group |
		paste -sd' ' | tr -s ' ')"
	check_eq "_MC_flood_l2's key in SB" 32772 "$key"
	tx0=$(encap_tx)
	rtx0=$(lr0_packets)
	cap_start -o "-nn -e" ovn-w2 ul2 "udp dst port 6081 and udp[22:2] = $key" || return 1
	cap_start ovn-vm2 eth0 "arp and arp[6:2] = 1 and arp[24:4] = 0x0a00004d" || return 1
	# 10.0.0.77 is on sw0's subnet and nobody's: lr0 on worker1 asks.
	ip netns exec ovn-vm3 ping -n -q -c 3 -i 0.5 -W 1 10.0.0.77 >/dev/null 2>&1
	sleep 0.5
	cap_stop ovn-vm2 eth0
	check_ge "lr0's ARP request for 10.0.0.77 reached vm2 (lsdp)" 1 "$CAP_COUNT"
	printf '%s\n' "$CAP_LAST" | grep -q '00:00:00:00:ff:01 > ff:ff:ff:ff:ff:ff' ||
		fail "the ARP request vm2 got is not from lr0-sw0's MAC: $CAP_LAST"
	cap_stop ovn-w2 ul2
	check_ge "Geneve with egress key $key received from worker1" 1 "$CAP_COUNT"
	tx1=$(encap_tx)
	check_eq "nothing tunnelled back by worker2" "$tx0" "$tx1"
	rtx1=$(lr0_packets)
	check_eq "nothing of it routed by lsdp's lr0" "$rtx0" "$rtx1"
	[ "$RET" -eq 0 ] || diag_output "$(w2lsdp -j encap show 2>&1)"
}

# MAC_Binding export: vm2 (lsdp) answers for 10.0.0.77 too.  lr0's ARP
# request from worker1 crosses as above; vm2's reply is to the router MAC,
# so it enters lr0 at worker2, the only chassis that hears it.  lsdp learns
# it, the agent writes it to SB as ovn-controller would, and worker1's
# router then reaches 10.0.0.77.
test_mac_binding() {
	local lr0 out
	ip -n ovn-vm2 addr add 10.0.0.77/24 dev eth0 || return 1
	ip netns exec ovn-vm3 ping -n -q -c 2 -i 0.5 -W 1 10.0.0.77 >/dev/null 2>&1
	wait_for 20 bash -c "[ \"\$(ovn-sbctl --db=$SB --bare --columns=mac find MAC_Binding logical_port=lr0-sw0 ip=10.0.0.77)\" = $M2 ]" ||
		fail "no MAC_Binding lr0-sw0 10.0.0.77 $M2 in SB"
	lr0=$(sbctl --bare --columns=_uuid find Datapath_Binding external_ids:name=lr0)
	check_eq "its datapath is lr0" "$lr0" \
		"$(sbctl --bare --columns=datapath find MAC_Binding logical_port=lr0-sw0 ip=10.0.0.77)"
	out=$(sbctl --bare --columns=timestamp find MAC_Binding logical_port=lr0-sw0 ip=10.0.0.77)
	check_ge "its timestamp is set" 1 "${out:-0}"
	ping_ok ovn-vm3 10.0.0.77 3 || fail "vm3 (OVS) -> 10.0.0.77 (vm2, lsdp) through the exported binding"
	status | grep -qE "^mac bindings exported: [1-9]" || fail "status does not count the exported binding"
	check_eq "10.0.0.77 is a static neighbour of lr0-sw0 on worker2 now" "$M2 static" \
		"$(w2lsdp -j neigh show lr0-sw0 | jq -r '.[] | select(.address == "10.0.0.77") | "\(.mac) \(.state)"')"
	if [ "$RET" -ne 0 ]; then
		diag_output "$(sbctl list MAC_Binding)"
		diag_output "$(w2lsdp neigh show 2>&1)"
		agent_log_diag
	fi
	ip -n ovn-vm2 addr del 10.0.0.77/24 dev eth0
	sbctl destroy MAC_Binding "$(sbctl --bare --columns=_uuid find MAC_Binding ip=10.0.0.77)"
}

# A static route (ovn-nbctl lr-route-add) to a network behind vm3 on the
# OVS chassis: lsdp routes it on worker2, where vm2 and vm4 live.
test_route() {
	ip -n ovn-vm3 addr add 192.168.100.1/32 dev lo || return 1
	nbctl lr-route-add lr0 192.168.100.0/24 10.0.1.13 || return 1
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	check_eq "kernel: lr0's static route" "192.168.100.0/24 10.0.1.13 lr0-sw1" \
		"$(w2lsdp -j route show lr0 | jq -r '.[] | select(.connected | not) | "\(.prefix) \(.via) \(.port)"')"
	ping_ok ovn-vm2 192.168.100.1 5 || fail "vm2 (lsdp, sw0) -> 192.168.100.1 via vm3"
	ping_ok ovn-vm4 192.168.100.1 3 || fail "vm4 (lsdp, sw1) -> 192.168.100.1 via vm3"
	nbctl lr-route-del lr0 192.168.100.0/24 || return 1
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	check_eq "kernel: the route is gone with lr-route-del" "" \
		"$(w2lsdp -j route show lr0 | jq -r '.[] | select(.connected | not) | .prefix')"
	ping_fails ovn-vm2 192.168.100.1 || fail "192.168.100.1 still reachable without the route"
	if [ "$RET" -ne 0 ]; then
		diag_output "$(w2lsdp route show 2>&1)"
		diag_output "$(sbctl lflow-list lr0 2>/dev/null | grep lr_in_ip_routing)"
		agent_log_diag
	fi
}

# A localnet port with VLAN 100 on physnet1, the provider network
# ulp1 (worker1's br-phys) -- ulp2 (lsdp's, by --ovn-bridge-mappings):
# vm5 (worker1) and vm6 (lsdp) on switch pub talk over it, tagged, not
# through the tunnel.
test_localnet() {
	local M5=0a:00:00:00:00:15 M6=0a:00:00:00:00:16 tx0 tx1
	net_attach ulp || return 1
	w1 ovs-vsctl --db="unix:$W1/db.sock" add-br br-phys -- add-port br-phys ulp1 -- \
		set open . external_ids:ovn-bridge-mappings=physnet1:br-phys || return 1
	ip -n ovn-w1 link add tap5 type veth peer name eth0 netns ovn-vm5 || return 1
	ip -n ovn-w1 link set tap5 up
	w1 ovs-vsctl --db="unix:$W1/db.sock" add-port br-int tap5 -- \
		set Interface tap5 external_ids:iface-id=vm5 || return 1
	vm_setup ovn-vm5 $M5 172.16.0.5/24 || return 1
	ip -n ovn-w2 link add tap6 type veth peer name eth0 netns ovn-vm6 || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap6.disable_ipv6=1
	ip -n ovn-w2 link set tap6 alias iface-id=vm6 up || return 1
	vm_setup ovn-vm6 $M6 172.16.0.6/24 || return 1

	nbctl ls-add pub -- \
		lsp-add pub ln-pub -- lsp-set-type ln-pub localnet -- \
		lsp-set-addresses ln-pub unknown -- \
		lsp-set-options ln-pub network_name=physnet1 -- \
		set Logical_Switch_Port ln-pub tag_request=100 -- \
		lsp-add pub vm5 -- lsp-set-addresses vm5 "$M5 172.16.0.5" -- \
		lsp-add pub vm6 -- lsp-set-addresses vm6 "$M6 172.16.0.6" || return 1
	wait_for 30 pb_on vm5 worker1 || fail "ovn-controller did not claim vm5"
	wait_for 30 pb_up vm6 || { fail "vm6 is not up"; agent_log_diag; }
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	check_eq "kernel: ln-pub is localnet on ulp2, VLAN 100" "localnet ulp2 100" \
		"$(port_field_ns ln-pub '"\(.type) \(.dev) \(.vlan)"')"

	tx0=$(w2lsdp -j encap show | jq -r '.stats.tx_packets // .tx_packets // 0')
	cap_start ovn-w2 ulp2 "vlan 100 and icmp" || return 1
	ping_ok ovn-vm6 172.16.0.5 5 || fail "vm6 (lsdp) -> vm5 (OVS) over physnet1"
	ping_ok ovn-vm5 172.16.0.6 5 || fail "vm5 (OVS) -> vm6 (lsdp) over physnet1"
	cap_stop ovn-w2 ulp2
	check_ge "ICMP tagged 100 received on the provider netdev" 10 "$CAP_COUNT"
	tx1=$(w2lsdp -j encap show | jq -r '.stats.tx_packets // .tx_packets // 0')
	check_eq "nothing of it went through the tunnel" "$tx0" "$tx1"
	if [ "$RET" -ne 0 ]; then
		diag_output "$(w2lsdp port show 2>&1)"
		diag_output "$(w2lsdp stats show 2>&1)"
		agent_log_diag
	fi
}

# kill -9: nothing is cleaned up, the kernel forwards on, and the agent
# started again finds everything in place.
test_kill9() {
	local out sent recv status ping
	ip netns exec ovn-vm1 ping -n -q -i 0.2 -c 40 -W 2 10.0.0.12 >"$BASE/ping9.out" 2>&1 &
	ping=$!
	sleep 1
	agent_stop KILL || fail "the agent did not die on SIGKILL"
	sbctl --bare --columns=name list Chassis | grep -qx worker2 ||
		fail "the chassis went away with kill -9"
	check_eq "vm2 still claimed by worker2" 0 "$(pb_on vm2 worker2; echo $?)"
	agent_start || { fail "lsdp-agent did not start after kill -9"; agent_log_diag; return 1; }
	wait_for 20 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -qx 'sb state: connected'" ||
		fail "the agent did not connect after kill -9"
	check_ok "ovn-nbctl --wait=hv sync after kill -9" nbctl --timeout=30 --wait=hv sync
	wait "$ping"
	out=$(cat "$BASE/ping9.out")
	sent=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
	recv=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	check_ge "ping vm1 -> vm2 across kill -9: packets sent" 30 "$sent"
	check_eq "ping vm1 -> vm2 across kill -9: packets answered" "$sent" "$recv" ||
		diag_output "$out"
	status=$(ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1)
	printf '%s\n' "$status" | grep -qx 'kernel changes sent: 0' ||
		{ fail "the agent changed the kernel after kill -9"; diag_output "$status"; agent_log_diag; }
}

# A trunk child (seed 004): container c1 on VLAN 10 inside vm2, on sw1.
# Its Port_Binding is claimed with its parent's; OVS on worker1 reaches it
# through the tunnel, lsdp tags it onto tap2.
test_trunk() {
	local M5=0a:00:00:00:00:05
	ip -n ovn-vm2 link add link eth0 name c1 type vlan id 10 || return 1
	ip netns exec ovn-vm2 sysctl -qw net.ipv6.conf.c1.disable_ipv6=1
	ip -n ovn-vm2 link set c1 address $M5 || return 1
	ip -n ovn-vm2 addr add 10.0.1.20/24 dev c1 || return 1
	ip -n ovn-vm2 link set c1 up
	nbctl lsp-add sw1 c1 vm2 10 -- lsp-set-addresses c1 "$M5 10.0.1.20" || return 1
	wait_for 20 pb_on c1 worker2 || { fail "c1 not claimed with its parent vm2"; agent_log_diag; }
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	check_eq "kernel: c1 is vm2's child, tag 10" "vm2 10" \
		"$(port_field_ns c1 '"\(.parent) \(.tag)"')"
	ping_ok ovn-vm3 10.0.1.20 5 || fail "vm3 (OVS, sw1) -> c1 (VLAN 10 in vm2 on lsdp)"
	ip netns exec ovn-vm2 ping -n -q -c 3 -i 0.2 -W 2 -I c1 10.0.1.13 >/dev/null 2>&1 ||
		fail "c1 -> vm3"
	[ "$RET" -eq 0 ] || diag_output "$(w2lsdp port show 2>&1)"
}

# Rows the agent does not handle yet are logged once, shown by status,
# and block nothing.
test_unsupported() {
	local out
	nbctl lsp-add sw0 lp0 -- lsp-set-type lp0 localport -- \
		lsp-set-addresses lp0 "0a:00:00:00:00:10 10.0.0.100" || return 1
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	out=$(ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1)
	printf '%s\n' "$out" | grep -qx '  lp0 (localport)' ||
		{ fail "status does not list lp0 (localport)"; diag_output "$out"; }
	check_eq "lp0 logged once" 1 "$(grep -c 'lp0 (localport): not supported' "$W2/lsdp-agent.log")"
	ping_ok ovn-vm2 10.0.0.11 3 || fail "vm2 -> vm1 with an unsupported row in SB"
	nbctl lsp-del lp0
}

# Seed 003's failover between two lsdp chassis: vm7 (on pub, the provider
# network's switch) moves from worker2 to worker3.  The VM manager unplugs
# it on one and plugs it on the other; the agents release and claim it,
# worker3 announces it (GARP out of its localnet port, VLAN 100) so that
# the provider network's bridge learns where it is now, and traffic from
# both the OVS chassis and the old lsdp chassis follows.
test_move() {
	local M7=0a:00:00:00:00:17 ch
	agent_run 3 || { fail "lsdp-agent of worker3 did not start"; return 1; }
	wait_for 20 bash -c "ovn-sbctl --db=$SB --bare --columns=name list Chassis_Private | grep -qx worker3" ||
		{ fail "no Chassis_Private worker3"; agent_log_diag; return 1; }
	ip -n ovn-w2 link add tap7 type veth peer name eth0 netns ovn-vm7 || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap7.disable_ipv6=1
	ip -n ovn-w2 link set tap7 alias iface-id=vm7 up || return 1
	vm_setup ovn-vm7 $M7 172.16.0.7/24 || return 1
	nbctl lsp-add pub vm7 -- lsp-set-addresses vm7 "$M7 172.16.0.7" || return 1
	wait_for 30 pb_on vm7 worker2 || { fail "worker2 did not claim vm7"; agent_log_diag; }
	wait_for 20 pb_up vm7 || fail "vm7 is not up on worker2"
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	ping_ok ovn-vm5 172.16.0.7 3 || fail "vm5 (OVS) -> vm7 on worker2"

	# What worker3 puts on the provider network: its port of the bridge.
	cap_start ovn-net ulp-3 "vlan 100 and arp and arp[14:4] = 0xac100007 and arp[24:4] = 0xac100007" ||
		return 1
	ip -n ovn-w2 link set tap7 netns ovn-w3 || return 1
	ip -n ovn-w3 link set tap7 alias iface-id=vm7 up || return 1
	wait_for 30 pb_on vm7 worker3 || { fail "worker3 did not claim vm7"; agent_log_diag; }
	wait_for 20 pb_up vm7 || fail "vm7 is not up on worker3"
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	sbctl show | awk '/^Chassis /{c=$2} c=="worker3"' | grep -q 'Port_Binding vm7' ||
		fail "ovn-sbctl show does not list vm7 under worker3"
	check_eq "worker3's kernel binds vm7 to tap7" tap7 \
		"$("$LSDP" -n ovn-w3 -j port show vm7 | jq -r '.[0].dev')"
	ch=$(port_field_ns vm7 .chassis)
	check_eq "worker2's kernel sends vm7's traffic to worker3" worker3 "$ch"
	sleep 1
	cap_stop ovn-net ulp-3
	check_ge "GARPs for 172.16.0.7 from worker3 on VLAN 100" 1 "$CAP_COUNT"
	# worker2 released vm7 without undoing worker3's claim (a flap).
	check_eq "worker3 claimed vm7 once" 1 "$(grep -c 'claiming vm7' "$W3/lsdp-agent.log")"
	ping_ok ovn-vm5 172.16.0.7 5 || fail "vm5 (OVS) -> vm7 after the move"
	ping_ok ovn-vm6 172.16.0.7 5 || fail "vm6 (lsdp worker2) -> vm7 (lsdp worker3)"
	if [ "$RET" -ne 0 ]; then
		diag_output "$("$LSDP" -n ovn-w3 port show 2>&1)"
		diag_output "$(w2lsdp port show vm7 2>&1)"
		agent_log_diag
	fi
	# worker3 leaves; vm7 with it.
	agent_stop TERM "$W3" || fail "worker3's agent did not exit"
	wait_for 10 bash -c "! ovn-sbctl --db=$SB --bare --columns=name list Chassis | grep -qx worker3" ||
		fail "Chassis worker3 still in SB after its clean exit"
	nbctl lsp-del vm7
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
}

# requested-chassis: a port requested for another chassis is not claimed
# here, and is once it names this one.
test_requested() {
	ip -n ovn-w2 link add tap8 type veth peer name tap8p || return 1
	ip -n ovn-w2 link set tap8 alias iface-id=vm8 up || return 1
	nbctl lsp-add sw0 vm8 -- lsp-set-addresses vm8 "0a:00:00:00:00:08 10.0.0.18" -- \
		lsp-set-options vm8 requested-chassis=worker1 || return 1
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	wait_for 10 grep -q 'not claiming vm8' "$W2/lsdp-agent.log" ||
		fail "no log line for vm8 requested by worker1"
	check_eq "vm8 (requested-chassis=worker1) not claimed by worker2" "" "$(pb_field vm8 chassis)"
	nbctl lsp-set-options vm8 requested-chassis=worker2 || return 1
	wait_for 20 pb_on vm8 worker2 || { fail "vm8 not claimed once requested here"; agent_log_diag; }
	wait_for 20 pb_up vm8 || fail "vm8 is not up"
	nbctl lsp-del vm8
	ip -n ovn-w2 link del tap8
}

# Port_Binding types lsdp-agent does not support, as northd makes them
# from NB: each logged once, listed by status, nothing else disturbed.
test_unsupported_types() {
	local out r
	nbctl lsp-add sw0 ext0 -- lsp-set-type ext0 external -- \
		lsp-set-addresses ext0 "0a:00:00:00:00:e0 10.0.0.200" -- \
		lsp-add sw0 virt0 -- lsp-set-type virt0 virtual -- \
		lsp-set-options virt0 virtual-ip=10.0.0.201 virtual-parents=vm1,vm2 -- \
		lsp-add sw0 vtep0 -- lsp-set-type vtep0 vtep -- \
		lsp-set-options vtep0 vtep-physical-switch=ps0 vtep-logical-switch=ls0 -- \
		lr-add gw0 -- set Logical_Router gw0 options:chassis=worker1 -- \
		lrp-add gw0 gw0-p 00:00:00:00:ee:01 10.9.0.1/24 -- ls-add sw9 -- \
		lsp-add sw9 sw9-gw0 -- lsp-set-type sw9-gw0 router -- \
		lsp-set-addresses sw9-gw0 router -- lsp-set-options sw9-gw0 router-port=gw0-p -- \
		lr-add lr9 -- lrp-add lr9 lr9-p 00:00:00:00:ee:02 10.8.0.1/24 -- \
		lrp-set-gateway-chassis lr9-p worker1 || return 1
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	check_ok "ovn-nbctl --wait=hv sync returns again" nbctl --timeout=30 --wait=hv sync
	out=$(status)
	for r in "ext0 (external)" "virt0 (virtual)" "vtep0 (vtep)" "gw0-p (l3gateway)" \
		 "sw9-gw0 (l3gateway)" "cr-lr9-p (chassisredirect)"; do
		printf '%s\n' "$out" | grep -qxF "  $r" || fail "status does not list $r"
		check_eq "$r logged once" 1 "$(grep -cF "$r: not supported" "$W2/lsdp-agent.log")"
	done
	printf '%s\n' "$out" | grep -qx 'kernel refusals in the last pass: 0' ||
		fail "the kernel refused something"
	[ "$RET" -eq 0 ] || diag_output "$out"
	ping_ok ovn-vm2 10.0.0.11 3 || fail "vm2 -> vm1 with unsupported rows in SB"
	nbctl lsp-del ext0 -- lsp-del virt0 -- lsp-del vtep0 -- lr-del gw0 -- ls-del sw9 -- lr-del lr9
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	status_has "unsupported: 0" || { fail "rows still listed once gone"; diag_output "$(status)"; }
}

# Rows ovn-northd would never write, put into SB with ovn-sbctl while
# northd is paused: a malformed mac column, and a port on a datapath
# northd has not finished (no logical-switch yet), which then appears.
# Keys out of range cannot be written at all: SB's schema bounds them.
test_bad_rows() {
	local sw0 dp out
	ovn-appctl -t "$D/northd.ctl" pause || return 1
	sw0=$(sbctl --bare --columns=_uuid find Datapath_Binding external_ids:name=sw0)
	sbctl create Port_Binding logical_port=bad-mac datapath="$sw0" tunnel_key=3000 \
		'mac=["zz:00 10.0.0.5", "0a:00:00:00:00:99 10.0.0.99 not-an-ip", "0a:00:00:00:00:99 10.0.0.98", "0a:00:00:00:00:9a 10.0.0.97"]' \
		>/dev/null || fail "ovn-sbctl create bad-mac"
	check_fails "SB refuses a port key of 40000" \
		sbctl create Port_Binding logical_port=big-key datapath="$sw0" tunnel_key=40000
	dp=$(sbctl create Datapath_Binding tunnel_key=4000 external_ids:name=late) ||
		fail "ovn-sbctl create Datapath_Binding"
	sbctl create Port_Binding logical_port=late-p datapath="$dp" tunnel_key=1 \
		'mac=["0a:00:00:00:00:98 10.9.9.9"]' >/dev/null || fail "ovn-sbctl create late-p"
	wait_for 20 bash -c "$LSDP -n ovn-w2 -j port show bad-mac | jq -en 'input | .[0]'" ||
		fail "bad-mac's good entries did not reach the kernel"
	check_eq "bad-mac: the MAC of its first good entry" 0a:00:00:00:00:99 "$(port_field_ns bad-mac .mac)"
	check_eq "bad-mac: its good addresses" '["10.0.0.98","10.0.0.99"]' \
		"$(port_field_ns bad-mac '.addresses | sort' | jq -c .)"
	out=$(status)
	for r in "bad-mac (malformed mac entry)" "bad-mac (malformed address in its mac column)" \
		 "bad-mac (a second MAC)"; do
		printf '%s\n' "$out" | grep -qxF "  $r" || fail "status does not list $r"
	done
	grep -q 'port late-p: its datapath is not known (yet), skipped' "$W2/lsdp-agent.log" ||
		fail "late-p not logged as waiting for its datapath"
	check_eq "late-p not in the kernel yet" "" "$(port_field_ns late-p .name)"
	sbctl set Datapath_Binding "$dp" external_ids:logical-switch="$(cat /proc/sys/kernel/random/uuid)" ||
		fail "ovn-sbctl set logical-switch"
	wait_for 20 bash -c "$LSDP -n ovn-w2 -j port show late-p | jq -en 'input | .[0].key == 1'" ||
		fail "late-p did not reach the kernel once its datapath did"
	check_eq "switch late has SB's key" 4000 "$(w2lsdp -j switch show late | jq -r '.[0].key')"
	printf '%s\n' "$(status)" | grep -qx 'kernel refusals in the last pass: 0' ||
		fail "the kernel refused something"
	ping_ok ovn-vm2 10.0.0.11 3 || fail "vm2 -> vm1 with bad rows in SB"
	[ "$RET" -eq 0 ] || { diag_output "$(status)"; agent_log_diag; }
	sbctl destroy Port_Binding "$(sbctl --bare --columns=_uuid find Port_Binding logical_port=bad-mac)"
	sbctl destroy Port_Binding "$(sbctl --bare --columns=_uuid find Port_Binding logical_port=late-p)"
	sbctl destroy Datapath_Binding "$dp"
	ovn-appctl -t "$D/northd.ctl" resume || fail "northd did not resume"
	check_ok "ovn-nbctl --wait=hv sync returns" nbctl --timeout=30 --wait=hv sync
	wait_for 10 bash -c "! $LSDP -n ovn-w2 switch show late >/dev/null 2>&1" ||
		fail "switch late still in the kernel once gone from SB"
}

# The southbound ovsdb-server goes away and comes back: the kernel
# forwards on meanwhile, the agent reconnects and catches up.
test_sb_restart() {
	local ping
	ip netns exec ovn-vm2 ping -n -q -i 0.2 -c 40 -W 2 10.0.0.11 >"$BASE/ping-sb.out" 2>&1 &
	ping=$!
	kill "$(cat "$D/sb.pid")" || return 1
	wait_for 10 bash -c "! [ -e $D/sb.pid ]"
	wait_for 20 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -q '^sb state: reconnecting'" ||
		fail "the agent does not report the lost connection"
	OVS_RUNDIR=$D ovsdb-server "$D/sb.db" --remote="punix:$D/sb.sock" \
		--unixctl="$D/sb.ctl" --pidfile="$D/sb.pid" -vconsole:off \
		--log-file="$D/sb.log" --detach --no-chdir || return 1
	wait_for 30 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -qx 'sb state: connected'" ||
		fail "the agent did not reconnect"
	nbctl lsp-add sw0 vm9 -- lsp-set-addresses vm9 "0a:00:00:00:00:09 10.0.0.99" || return 1
	check_ok "ovn-nbctl --wait=hv sync after the SB restart" nbctl --timeout=60 --wait=hv sync
	check_eq "a port added after the SB restart reached the kernel" \
		"0a:00:00:00:00:09" "$(port_field_ns vm9 .mac)"
	wait "$ping"
	grep -q ' 0% packet loss' "$BASE/ping-sb.out" ||
		{ fail "vm2 -> vm1 lost packets while SB was away"; diag_output "$(cat "$BASE/ping-sb.out")"; }
	nbctl lsp-del vm9
}

# The agent restarts (keeping its chassis, as ovn-controller's restart
# does) while vm1 pings vm2: the kernel forwards on, and the new agent,
# diffing against what the kernel has, changes nothing.
test_restart() {
	local out sent recv status
	ip netns exec ovn-vm1 ping -n -q -i 0.2 -c 50 -W 2 10.0.0.12 >"$BASE/ping.out" 2>&1 &
	local ping=$!
	sleep 2
	ovs-appctl -t "$W2/lsdp-agent.ctl" exit --keep-chassis >/dev/null 2>&1 ||
		fail "ovs-appctl exit --keep-chassis"
	agent_stop TERM
	sbctl --bare --columns=name list Chassis | grep -qx worker2 ||
		fail "the chassis went away on exit --keep-chassis"
	agent_start || { fail "lsdp-agent did not start again"; return 1; }
	wait_for 20 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -qx 'sb state: connected'" ||
		fail "the restarted agent did not connect"
	check_ok "ovn-nbctl --wait=hv sync after the restart" nbctl --timeout=30 --wait=hv sync
	wait "$ping"
	out=$(cat "$BASE/ping.out")
	sent=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
	recv=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	check_ge "ping vm1 -> vm2 across the agent restart: packets sent" 40 "$sent"
	check_eq "ping vm1 -> vm2 across the agent restart: packets answered" "$sent" "$recv" ||
		diag_output "$out"
	status=$(ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1)
	printf '%s\n' "$status" | grep -qx 'kernel changes sent: 0' ||
		{ fail "the restarted agent changed the kernel"; diag_output "$status"; agent_log_diag; }
	pb_up vm2 || fail "vm2 is not up after the restart"
}

test_exit() {
	local pid
	pid=$(agent_pid)
	agent_stop TERM || fail "the agent did not exit on SIGTERM"
	wait_for 10 bash -c "! ovn-sbctl --db=$SB --bare --columns=name list Chassis | grep -qx worker2" ||
		fail "Chassis worker2 still in SB after a clean exit"
	sbctl --bare --columns=name list Chassis_Private | grep -qx worker2 &&
		fail "Chassis_Private worker2 still in SB after a clean exit"
	check_eq "vm2 released" "" "$(pb_field vm2 chassis)"
	check_eq "vm4 released" "" "$(pb_field vm4 chassis)"
	# The kernel keeps what it has: the agent is not the datapath.
	check_eq "vm2 still bound in the kernel" tap2 "$(port_field_ns vm2 .dev)"
	[ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || fail "agent $pid still runs"
}

# A 3-member raft cluster as SB (its own, beside the central's): the
# agent of worker3 is given all three remotes; the leader is killed; the
# agent goes on reading (a new row reaches the kernel) and writing (its
# nb_cfg echo goes through the new leader).
raft_ctl() { ovs-appctl -t "$BASE/raft/s$1.ctl" "${@:2}"; }
raft_leader() {
	local i
	for i in 1 2 3; do
		raft_ctl $i cluster/status OVN_Southbound 2>/dev/null | grep -q '^Role: leader' &&
			{ echo $i; return 0; }
	done
	return 1
}
test_raft() {
	local R=$BASE/raft i remotes leader dp
	mkdir -p "$R"
	ovsdb-tool create-cluster "$R/s1.db" /usr/share/ovn/ovn-sb.ovsschema "unix:$R/s1.raft" || return 1
	for i in 2 3; do
		ovsdb-tool join-cluster "$R/s$i.db" OVN_Southbound "unix:$R/s$i.raft" "unix:$R/s1.raft" ||
			return 1
	done
	for i in 1 2 3; do
		OVS_RUNDIR=$R ovsdb-server "$R/s$i.db" --remote="punix:$R/s$i.sock" \
			--unixctl="$R/s$i.ctl" --pidfile="$R/s$i.pid" -vconsole:off \
			--log-file="$R/s$i.log" --detach --no-chdir || return 1
		remotes=${remotes:+$remotes,}unix:$R/s$i.sock
	done
	rsb() { ovn-sbctl --db="$remotes" --timeout=20 "$@"; }
	wait_for 30 rsb init || { fail "the cluster did not form"; return 1; }
	dp=$(rsb create Datapath_Binding tunnel_key=7 external_ids:name=rsw \
		external_ids:logical-switch="$(cat /proc/sys/kernel/random/uuid)") || return 1
	agent_run 3 --ovn-remote="$remotes" || { fail "agent of worker3 did not start"; return 1; }
	wait_for 30 bash -c "$LSDP -n ovn-w3 -j switch show rsw | jq -en 'input | .[0].key == 7'" ||
		{ fail "worker3's kernel has no switch rsw from the cluster"; agent_log_diag; }
	leader=$(raft_leader) || { fail "no raft leader"; return 1; }
	kill "$(cat "$R/s$leader.pid")" || return 1
	wait_for 30 raft_leader || fail "no new leader after killing s$leader"
	diag "killed leader s$leader; new leader s$(raft_leader)"
	rsb create Port_Binding logical_port=rp1 datapath="$dp" tunnel_key=5 \
		'mac=["0a:00:00:00:00:71 10.7.0.1"]' >/dev/null || fail "ovn-sbctl create rp1 after the leader change"
	wait_for 30 bash -c "$LSDP -n ovn-w3 -j port show rp1 | jq -en 'input | .[0].key == 5'" ||
		{ fail "a row written after the leader change did not reach the kernel"; agent_log_diag; }
	rsb set SB_Global . nb_cfg=42 || fail "ovn-sbctl set nb_cfg"
	wait_for 30 bash -c "[ \"\$(ovn-sbctl --db=$remotes --bare --columns=nb_cfg find Chassis_Private name=worker3)\" = 42 ]" ||
		{ fail "the agent's nb_cfg echo did not reach the new leader"; agent_log_diag; }
	ovs-appctl -t "$W3/lsdp-agent.ctl" status | grep -qx 'sb state: connected' ||
		fail "worker3's agent is not connected"
	agent_stop TERM "$W3"
	for i in 1 2 3; do [ -f "$R/s$i.pid" ] && kill "$(cat "$R/s$i.pid")" 2>/dev/null; done
	return 0
}

setup || { stop_all; ksft_abort "OVN setup failed"; }
run_test "ovn: bad configuration refused with one line, exit 1" test_bad_config
run_test "ovn: agent registers Chassis, Encap, Chassis_Private; kernel follows SB" test_register
run_test "ovn: VM manager binds a netdev; agent claims, up=true, --wait=hv" test_bind
run_test "ovn: ping lsdp chassis <-> ovn-controller chassis, both ways" test_ping
run_test "ovn: agent status over its control socket" test_status
run_test "ovn: router between chassis, routed ping both ways; port plugged before SB" test_router
run_test "ovn: _MC_flood_l2 (32772) from a real chassis reaches lsdp's VIFs only" test_flood_l2
run_test "ovn: what lsdp learns is exported to SB's MAC_Binding; OVS chassis uses it" test_mac_binding
run_test "ovn: static route from lr-route-add, routed ping through it" test_route
run_test "ovn: localnet port with a VLAN: provider network, not the tunnel" test_localnet
run_test "ovn: trunk child claimed with its parent, ping through the VLAN" test_trunk
run_test "ovn: unsupported row type logged once, listed, blocks nothing" test_unsupported
run_test "ovn: port moved between two lsdp chassis: released, claimed, GARP, traffic follows" test_move
run_test "ovn: requested-chassis honoured" test_requested
run_test "ovn: unsupported Port_Binding types logged once, listed, block nothing" test_unsupported_types
run_test "ovn: malformed rows and a port before its datapath: skipped, then caught up" test_bad_rows
run_test "ovn: SB ovsdb-server restart: forwarding goes on, agent reconnects" test_sb_restart
run_test "ovn: agent restart under a ping: no loss, kernel untouched" test_restart
run_test "ovn: kill -9 of the agent under a ping: no loss, nothing to redo" test_kill9
run_test "ovn: clean exit removes the chassis, kernel keeps forwarding state" test_exit
run_test "ovn: SB raft cluster of 3, leader killed: agent reads and writes on" test_raft
ksft_exit
