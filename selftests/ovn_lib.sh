# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # variables are for the sourcing script
#
# A real OVN deployment in the test VM, for selftests/lsdp_ovn.sh and the
# demo (scripts/demo.sh): Debian's ovsdb-server, ovn-northd, ovs-vswitchd
# and ovn-controller on tmpfs, each chassis in its own netns (DESIGN.md 11).
# Sourced; the caller sets LSDP (the CLI) and AGENT (lsdp-agent).

BASE=/tmp/lsdp-ovn
D=$BASE/central
W1=$BASE/worker1
W2=$BASE/worker2
W3=$BASE/worker3
NB="unix:$D/nb.sock"
SB="unix:$D/sb.sock"
W1_IP=192.168.50.100
W2_IP=192.168.50.101	# ovn-encap-ip of workerN: 192.168.50.(99 + N)
M1=0a:00:00:00:00:01 M2=0a:00:00:00:00:02 M3=0a:00:00:00:00:03 M4=0a:00:00:00:00:04

# ovn_require [TOOL...]: the module, lsdp-agent (AGENT, LSDP_AGENT to
# override) and the OVN tools every such test runs, plus TOOL..., or the
# script aborts saying what is missing.
ovn_require() {
	local t
	lsdp_require
	AGENT=${LSDP_AGENT:-$TOP/userspace/agent/lsdp-agent}
	[ -x "$AGENT" ] || ksft_abort "no agent at $AGENT (run 'make')"
	for t in ovsdb-server ovsdb-tool ovn-northd ovn-nbctl ovn-sbctl ovs-appctl "$@"; do
		command -v "$t" >/dev/null || ksft_abort "missing tool $t (run 'make deps')"
	done
}

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

# agent_run N [ARGS]: lsdp-agent of chassis workerN (N = 2 or 3), in
# netns ovn-wN, its files in $BASE/workerN.
agent_run() {
	local n=$1 dir=$BASE/worker$1
	shift
	mkdir -p "$dir"
	OVS_RUNDIR=$dir "$AGENT" --system-id=worker$n --ovn-remote="$SB" \
		--ovn-encap-ip=192.168.50.$((99 + n)) --netns=ovn-w$n \
		--ovn-bridge-mappings=physnet1:ulp$n "$@" \
		--pidfile="$dir/lsdp-agent.pid" -vconsole:off \
		--log-file="$dir/lsdp-agent.log" --unixctl="$dir/lsdp-agent.ctl" \
		--detach --no-chdir
}
agent_start() { agent_run 2 "$@"; }
agent_pid() { cat "${1:-$W2}/lsdp-agent.pid" 2>/dev/null; }
# agent_stop [SIGNAL [DIR]]: signal the agent and wait until it is gone.
agent_stop() {
	local pid
	pid=$(agent_pid "${2:-}") || return 0
	[ -n "$pid" ] || return 0
	kill -"${1:-TERM}" "$pid" 2>/dev/null
	wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
}
agent_log_diag() {
	local d
	for d in "$W2" "$W3"; do
		[ -f "$d/lsdp-agent.log" ] &&
			diag_output "$(tail -n 30 "$d/lsdp-agent.log" | sed "s|^|${d##*/}: |")"
	done
}

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
	agent_stop TERM "$W3"
	for p in "$W1/ovn-controller.pid" "$W1/ovs-vswitchd.pid" "$W1/ovsdb-server.pid" \
		 "$D/northd.pid" "$D/sb.pid" "$D/nb.pid" "$BASE"/raft/s*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	sleep 0.5
	ip netns exec ovn-w1 ovs-dpctl del-dp ovs-system 2>/dev/null
}

# net_attach PREFIX [SUBNET]: bridge PREFIX in netns ovn-net and a port of
# it, PREFIX1..3, in each chassis's netns (with SUBNET.100..102/24).
net_attach() {
	local n
	ip -n ovn-net link add br-$1 type bridge || return 1
	ip -n ovn-net link set br-$1 up || return 1
	for n in 1 2 3; do
		ip link add $1$n netns ovn-w$n type veth peer name $1-$n netns ovn-net || return 1
		ip netns exec ovn-w$n sysctl -qw net.ipv6.conf.$1$n.disable_ipv6=1
		ip -n ovn-net link set $1-$n master br-$1 up || return 1
		[ -z "$2" ] || ip -n ovn-w$n addr add "$2.$((99 + n))/24" dev $1$n || return 1
		ip -n ovn-w$n link set $1$n up || return 1
	done
}

# vm_setup NS MAC ADDR/PLEN: eth0 of a VM netns.
vm_setup() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n "$1" link set eth0 address "$2" || return 1
	ip -n "$1" addr add "$3" dev eth0 || return 1
	ip -n "$1" link set eth0 up
}
