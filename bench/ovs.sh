# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Open vSwitch in the benchmark VM (sourced; run as root in the VM).
#
# The guest's root is the host's, read-only, so Debian's openvswitch-switch
# service cannot run there: its database, sockets, pid files and logs must
# live on the guest's tmpfs.  ovs_start creates one independent instance
# (ovsdb-server + ovs-vswitchd) per directory under /tmp/ovs/NAME, optionally
# inside a network namespace: the kernel datapath of ovs-vswitchd lives in
# the netns it runs in, which is how the Geneve benchmarks get a second
# chassis.  Every OVS command of that instance then runs through ovs NAME.

OVS_BASE=/tmp/ovs
OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd

declare -A OVS_NS

# ovs NAME CMD...: runs CMD with the environment (and netns) of instance NAME.
ovs() {
	local name=$1 d=$OVS_BASE/$1
	shift
	if [ -n "${OVS_NS[$name]:-}" ]; then
		OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d \
			ip netns exec "${OVS_NS[$name]}" "$@"
	else
		OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d "$@"
	fi
}

# ovs_start NAME [NETNS]
ovs_start() {
	local name=$1 ns=${2:-} d=$OVS_BASE/$1
	OVS_NS[$name]=$ns
	mkdir -p "$d" || return 1
	modprobe openvswitch || return 1
	ovsdb-tool create "$d/conf.db" "$OVS_SCHEMA" || return 1
	ovs "$name" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
		--pidfile="$d/ovsdb-server.pid" \
		--log-file="$d/ovsdb-server.log" --detach --no-chdir || return 1
	ovs "$name" ovs-vsctl --no-wait init || return 1
	ovs "$name" "$OVS_VSWITCHD" "unix:$d/db.sock" \
		--pidfile="$d/ovs-vswitchd.pid" \
		--log-file="$d/ovs-vswitchd.log" --detach --no-chdir || return 1
}

# ovs_stop NAME: stops the daemons of instance NAME (its bridges and their
# datapath are deleted first, so the kernel module can be unloaded).
ovs_stop() {
	local name=$1 d=$OVS_BASE/$1 br p
	for br in $(ovs "$name" ovs-vsctl list-br 2>/dev/null); do
		ovs "$name" ovs-vsctl del-br "$br"
	done
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$d/$p.pid" ] && kill "$(cat "$d/$p.pid")" 2>/dev/null
	done
	sleep 0.5
	ovs "$name" ovs-dpctl del-dp ovs-system 2>/dev/null
	rm -rf "$d"
}
