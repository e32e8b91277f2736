#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lsdp demo, run inside a VM by `make demo`
# (selftests/vm-run -- scripts/demo.sh): two "VMs" (network namespaces vm1
# and vm2) plugged into one logical switch, a ping across it, and what lsdp
# shows about it.  Every command is printed before it runs, as a walkthrough.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
LSDP=$root/userspace/lsdp
KO=$root/build/$(uname -r)/kmod/lsdp.ko
[ -f "$KO" ] || KO=$root/kmod/lsdp.ko

step() { printf '\n== %s\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "demo: '$*' failed (exit $rc)" >&2
		exit 1
	fi
}
# Show a command with the short name users type.
lsdp() {
	printf '$ lsdp %s\n' "$*"
	"$LSDP" "$@"
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "demo: 'lsdp $*' failed (exit $rc)" >&2
		exit 1
	fi
}
cleanup() {
	ip netns del vm1 2>/dev/null
	ip netns del vm2 2>/dev/null
	[ -d /sys/module/lsdp ] && rmmod lsdp 2>/dev/null
}
trap cleanup EXIT

echo "lsdp demo: two VMs on one logical switch (kernel $(uname -r))"

step "Load the module (and what it needs: geneve for tunnels)"
deps=$(modinfo -F depends "$KO" 2>/dev/null | tr ',' ' ')
# shellcheck disable=SC2086
[ -n "$deps" ] && run modprobe -a $deps
run modprobe veth
run insmod "$KO"

step "Two VMs: network namespaces vm1 and vm2, each with an eth0 whose veth peer (tap1, tap2) stays on the hypervisor"
run ip netns add vm1
run ip netns add vm2
run ip link add tap1 type veth peer name eth0 netns vm1
run ip link add tap2 type veth peer name eth0 netns vm2
# IPv4-only VMs: their ports have IPv4 addresses only, so port security
# would (rightly) drop their IPv6 chatter and clutter the counters.
run ip netns exec vm1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
run ip netns exec vm2 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
run ip link set tap1 up
run ip link set tap2 up
run ip -n vm1 link set eth0 address 00:00:00:00:00:01 up
run ip -n vm2 link set eth0 address 00:00:00:00:00:02 up
run ip -n vm1 addr add 10.0.0.1/24 dev eth0
run ip -n vm2 addr add 10.0.0.2/24 dev eth0

step "A logical switch, tunnel key (VNI) 1"
lsdp switch add sw1 key 1

step "One logical port per VM, bound to its tap, with port security on its MAC and IP"
lsdp port add sw1 sw1-vm1 key 1 mac 00:00:00:00:00:01 ip 10.0.0.1 security dev tap1
lsdp port add sw1 sw1-vm2 key 2 mac 00:00:00:00:00:02 ip 10.0.0.2 security dev tap2

step "vm1 pings vm2 across the logical switch"
run ip netns exec vm1 ping -c 3 -i 0.3 10.0.0.2

step "The ports"
lsdp port show

step "Their counters: rx/tx and drops by reason"
lsdp stats show

step "vm1 forges its source address: port security drops it"
run ip -n vm1 addr add 10.0.0.66/24 dev eth0
printf '$ ip netns exec vm1 ping -c 2 -I 10.0.0.66 10.0.0.2\n'
if ip netns exec vm1 ping -c 2 -i 0.3 -W 1 -I 10.0.0.66 10.0.0.2; then
	echo "demo: the forged ping got through" >&2
	exit 1
fi
lsdp stats show sw1-vm1

step "The same as JSON, for scripts"
lsdp -j -p port show sw1-vm1

step "Unload"
run rmmod lsdp
echo
echo "demo: done"
