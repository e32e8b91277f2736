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
#   vm1 (netns ovn-vm1, 10.0.0.11) -- tap1 on worker1's br-int, iface-id=vm1
#   vm2 (netns ovn-vm2, 10.0.0.12) -- tap2 in ovn-w2, alias iface-id=vm2
#
# The logical network is configured only with ovn-nbctl; every key comes
# from ovn-northd.
. "$(dirname "$0")/lib.sh"

lsdp_require
AGENT=${LSDP_AGENT:-$TOP/userspace/agent/lsdp-agent}
[ -x "$AGENT" ] || ksft_abort "no agent at $AGENT (run 'make')"
for t in ovsdb-server ovsdb-tool ovn-northd ovn-controller ovn-nbctl ovn-sbctl \
	 ovs-vsctl ovs-appctl; do
	command -v "$t" >/dev/null || ksft_abort "missing tool $t (run 'make deps')"
done
OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
[ -x "$OVS_VSWITCHD" ] || ksft_abort "missing $OVS_VSWITCHD (run 'make deps')"
modprobe -a openvswitch geneve || ksft_abort "cannot load openvswitch, geneve"

BASE=/tmp/lsdp-ovn
D=$BASE/central
W1=$BASE/worker1
W2=$BASE/worker2
NB="unix:$D/nb.sock"
SB="unix:$D/sb.sock"
W1_IP=192.168.50.100
W2_IP=192.168.50.101
M1=0a:00:00:00:00:01 M2=0a:00:00:00:00:02 M3=0a:00:00:00:00:03 M4=0a:00:00:00:00:04

nbctl() { ovn-nbctl --db="$NB" --timeout=20 "$@"; }
sbctl() { ovn-sbctl --db="$SB" --timeout=20 "$@"; }
# worker1's OVS and ovn-controller: own run/db/log dirs, own netns.
w1() {
	OVS_RUNDIR=$W1 OVS_DBDIR=$W1 OVS_LOGDIR=$W1 OVS_SYSCONFDIR=$W1 \
	OVN_RUNDIR=$W1 OVN_DBDIR=$W1 OVN_LOGDIR=$W1 OVN_SYSCONFDIR=$W1 \
		ip netns exec ovn-w1 "$@"
}
w2lsdp() { "$LSDP" -n ovn-w2 "$@"; }

# wait_for SECONDS CMD...: until CMD succeeds; non-zero on timeout.
wait_for() {
	local t=$1 i
	shift
	for i in $(seq 1 $((t * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# pb_field PORT COLUMN: a Port_Binding column, bare.
pb_field() { sbctl --bare --columns="$2" find Port_Binding "logical_port=$1"; }
pb_up() { [ "$(pb_field "$1" up)" = true ]; }
pb_on() { [ "$(pb_field "$1" chassis)" = "$(sbctl --bare --columns=_uuid find Chassis "name=$2")" ]; }

agent_start() {
	OVS_RUNDIR=$W2 "$AGENT" --system-id=worker2 --ovn-remote="$SB" \
		--ovn-encap-ip=$W2_IP --netns=ovn-w2 \
		--ovn-bridge-mappings=physnet1:ulp2 "$@" \
		--pidfile="$W2/lsdp-agent.pid" -vconsole:off \
		--log-file="$W2/lsdp-agent.log" --unixctl="$W2/lsdp-agent.ctl" \
		--detach --no-chdir
}
agent_pid() { cat "$W2/lsdp-agent.pid" 2>/dev/null; }
# agent_stop [SIGNAL]: signal the agent and wait until it is gone.
agent_stop() {
	local pid
	pid=$(agent_pid) || return 0
	[ -n "$pid" ] || return 0
	kill -"${1:-TERM}" "$pid" 2>/dev/null
	wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
}
agent_log_diag() { [ -f "$W2/lsdp-agent.log" ] && diag_output "$(tail -n 30 "$W2/lsdp-agent.log")"; }

start_central() {
	mkdir -p "$D" || return 1
	ovsdb-tool create "$D/nb.db" /usr/share/ovn/ovn-nb.ovsschema || return 1
	ovsdb-tool create "$D/sb.db" /usr/share/ovn/ovn-sb.ovsschema || return 1
	OVS_RUNDIR=$D ovsdb-server "$D/nb.db" --remote="punix:$D/nb.sock" \
		--unixctl="$D/nb.ctl" --pidfile="$D/nb.pid" \
		-vconsole:off --log-file="$D/nb.log" --detach --no-chdir || return 1
	OVS_RUNDIR=$D ovsdb-server "$D/sb.db" --remote="punix:$D/sb.sock" \
		--unixctl="$D/sb.ctl" --pidfile="$D/sb.pid" \
		-vconsole:off --log-file="$D/sb.log" --detach --no-chdir || return 1
	OVN_RUNDIR=$D ovn-northd --ovnnb-db="$NB" --ovnsb-db="$SB" \
		--unixctl="$D/northd.ctl" --pidfile="$D/northd.pid" \
		-vconsole:off --log-file="$D/northd.log" --detach --no-chdir || return 1
	nbctl --wait=sb sync
}

start_worker1() {
	mkdir -p "$W1" || return 1
	ovsdb-tool create "$W1/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
	w1 ovsdb-server "$W1/conf.db" --remote="punix:$W1/db.sock" \
		--pidfile="$W1/ovsdb-server.pid" -vconsole:off \
		--log-file="$W1/ovsdb-server.log" --detach --no-chdir || return 1
	w1 ovs-vsctl --db="unix:$W1/db.sock" --no-wait init || return 1
	w1 "$OVS_VSWITCHD" "unix:$W1/db.sock" --pidfile="$W1/ovs-vswitchd.pid" \
		-vconsole:off --log-file="$W1/ovs-vswitchd.log" --detach --no-chdir || return 1
	w1 ovs-vsctl --db="unix:$W1/db.sock" set open . \
		external_ids:system-id=worker1 external_ids:ovn-remote="$SB" \
		external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip=$W1_IP || return 1
	w1 ovn-controller "unix:$W1/db.sock" --pidfile="$W1/ovn-controller.pid" \
		-vconsole:off --log-file="$W1/ovn-controller.log" --detach --no-chdir || return 1
	wait_for 30 w1 ovs-vsctl --db="unix:$W1/db.sock" br-exists br-int
}

stop_all() {
	local p
	agent_stop TERM
	for p in "$W1/ovn-controller.pid" "$W1/ovs-vswitchd.pid" "$W1/ovsdb-server.pid" \
		 "$D/northd.pid" "$D/sb.pid" "$D/nb.pid"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	sleep 0.5
	ip netns exec ovn-w1 ovs-dpctl del-dp ovs-system 2>/dev/null
}

cleanup() {
	stop_all
	lsdp_cleanup
	rm -rf "$BASE"
}

setup() {
	rm -rf "$BASE"
	mkdir -p "$W2" || return 1
	ns_create ovn-w1 ovn-w2 ovn-vm1 ovn-vm2 ovn-vm3 ovn-vm4 ovn-vm5 ovn-vm6 || return 1
	ip link add ul1 netns ovn-w1 type veth peer name ul2 netns ovn-w2 || return 1
	ip -n ovn-w1 addr add $W1_IP/24 dev ul1 || return 1
	ip -n ovn-w2 addr add $W2_IP/24 dev ul2 || return 1
	ip -n ovn-w1 link set ul1 up || return 1
	ip -n ovn-w2 link set ul2 up || return 1
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

# vm_setup NS MAC ADDR/PLEN: eth0 of a VM netns.
vm_setup() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n "$1" link set eth0 address "$2" || return 1
	ip -n "$1" addr add "$3" dev eth0 || return 1
	ip -n "$1" link set eth0 up
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
	wait_for 10 bash -c "$LSDP -n ovn-w2 -j switch show sw0 | jq -e '.[0].key == $key'" ||
		{ fail "lsdp has no switch sw0 with key $key"; diag_output "$(w2lsdp switch show 2>&1)"; }
	wait_for 10 bash -c "$LSDP -n ovn-w2 -j chassis show | jq -e '.[] | select(.name == \"worker1\" and .ip == \"$W1_IP\")'" ||
		{ fail "lsdp has no chassis worker1 $W1_IP"; diag_output "$(w2lsdp chassis show 2>&1)"; }
	check_eq "vm1's kernel port is on worker1" worker1 "$(port_field_ns vm1 .chassis)"
	check_eq "vm1's kernel key is northd's" "$(pb_field vm1 tunnel_key)" "$(port_field_ns vm1 .key)"
}

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
	ip link add ulp1 netns ovn-w1 type veth peer name ulp2 netns ovn-w2 || return 1
	ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.ulp2.disable_ipv6=1
	ip -n ovn-w1 link set ulp1 up
	ip -n ovn-w2 link set ulp2 up
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

setup || { stop_all; ksft_abort "OVN setup failed"; }
run_test "ovn: bad configuration refused with one line, exit 1" test_bad_config
run_test "ovn: agent registers Chassis, Encap, Chassis_Private; kernel follows SB" test_register
run_test "ovn: VM manager binds a netdev; agent claims, up=true, --wait=hv" test_bind
run_test "ovn: ping lsdp chassis <-> ovn-controller chassis, both ways" test_ping
run_test "ovn: agent status over its control socket" test_status
run_test "ovn: router between chassis, routed ping both ways; port plugged before SB" test_router
run_test "ovn: static route from lr-route-add, routed ping through it" test_route
run_test "ovn: localnet port with a VLAN: provider network, not the tunnel" test_localnet
run_test "ovn: trunk child claimed with its parent, ping through the VLAN" test_trunk
run_test "ovn: unsupported row type logged once, listed, blocks nothing" test_unsupported
run_test "ovn: SB ovsdb-server restart: forwarding goes on, agent reconnects" test_sb_restart
run_test "ovn: agent restart under a ping: no loss, kernel untouched" test_restart
run_test "ovn: kill -9 of the agent under a ping: no loss, nothing to redo" test_kill9
run_test "ovn: clean exit removes the chassis, kernel keeps forwarding state" test_exit
ksft_exit
