#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lsdp demo, run inside a VM by `make demo`
# (selftests/vm-run -- scripts/demo.sh): seed 000 replayed.  OVN's logical
# router dropped the packet that made it resolve a neighbour, so the first
# ping from PC1 to a never-seen PC-EXT was lost ("9 received").  lsdp holds
# such packets until the neighbour answers.  The demo builds seed 000's
# topology (PC1 on sw1, router lr0, sw-ext with a localnet port to PC-EXT),
# pings 10 times with holding off and then on, and shows the neighbours,
# the hold queue (with its release latency) and the routes.  Every command
# is printed before it runs.  Exits non-zero when the "on" run loses a ping.
#
# Then part 2: an lsdp hypervisor as a chassis of a real OVN (Debian's
# ovn-central, ovn-host, openvswitch-switch): worker1 is ovn-controller with
# OVS, worker2 is lsdp with lsdp-agent, and the logical network is made
# only with ovn-nbctl; VMs on the two chassis ping each other.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
LSDP=$root/userspace/lsdp
KO=$root/build/$(uname -r)/kmod/lsdp.ko
[ -f "$KO" ] || KO=$root/kmod/lsdp.ko
EXT=192.168.123.10

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
quiet() { "$@" >/dev/null 2>&1; }
cleanup() {
	ovn_cleanup
	ip netns del pc1 2>/dev/null
	ip netns del ext 2>/dev/null
	[ -d /sys/module/lsdp ] && rmmod lsdp 2>/dev/null
	rm -f /tmp/lsdp-demo-off /tmp/lsdp-demo-on
}
ovn_cleanup() {
	[ -n "${OVN_UP:-}" ] || return 0
	OVN_UP=
	stop_all
	for ns in ovn-w1 ovn-w2 ovn-vm1 ovn-vm2; do ip netns del $ns 2>/dev/null; done
	rm -rf "$BASE"
}
trap cleanup EXIT

# Forget every binding: the router's, PC1's and PC-EXT's, as if they had
# never talked (PC1 re-learns its gateway, holding its own first packet).
forget() {
	# The hosts first: a host whose entry for its gateway is in DELAY
	# would otherwise probe it (unicast ARP) and re-teach the router.
	printf '$ ip -n pc1 neigh flush all; ip -n ext neigh flush all; lsdp neigh flush\n'
	ip -n pc1 neigh flush all
	ip -n ext neigh flush all
	"$LSDP" neigh flush || exit 1
}

# pings FILE: seed 000's 10 pings from PC1 to PC-EXT, shown and kept.
pings() {
	printf '$ ip netns exec pc1 ping -n -c 10 -i 0.2 -W 2 %s\n' $EXT
	ip netns exec pc1 ping -n -c 10 -i 0.2 -W 2 $EXT >"$1" 2>&1
	cat "$1"
}
received() { sed -n 's/.* \([0-9]\+\) received.*/\1/p' "$1"; }
first() { grep 'bytes from' "$1" | grep -q 'icmp_seq=1 ' && echo answered || echo lost; }

echo "lsdp demo: seed 000, the first ping to an unresolved neighbour (kernel $(uname -r))"

step "Load the module (and what it needs: geneve for tunnels)"
deps=$(modinfo -F depends "$KO" 2>/dev/null | tr ',' ' ')
# shellcheck disable=SC2086
[ -n "$deps" ] && run modprobe -a $deps
run modprobe veth
run insmod "$KO"

step "PC1 and PC-EXT: network namespaces pc1 and ext; their veth peers pc1 and ext0 stay on the hypervisor"
run ip netns add pc1
run ip netns add ext
run ip link add pc1 type veth peer name eth0 netns pc1
run ip link add ext0 type veth peer name eth0 netns ext
# IPv4-only hosts: no IPv6 chatter in the counters.
quiet ip netns exec pc1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
quiet ip netns exec ext sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
quiet sysctl -qw net.ipv6.conf.pc1.disable_ipv6=1 net.ipv6.conf.ext0.disable_ipv6=1
run ip link set pc1 up
run ip link set ext0 up
run ip -n pc1 link set eth0 address 00:00:01:00:00:01 up
run ip -n pc1 addr add 1.1.0.1/16 dev eth0
run ip -n pc1 route add default via 1.1.254.254
run ip -n ext link set eth0 address 02:00:00:7b:00:0a up
run ip -n ext addr add $EXT/24 dev eth0
run ip -n ext route add 1.1.0.0/16 via 192.168.123.254

step "Seed 000's logical network: sw1 (PC1) -- lr0 -- sw-ext (localnet to PC-EXT)"
lsdp switch add sw1 key 1
lsdp port add sw1 sw1-port1 key 1 mac 00:00:01:00:00:01 ip 1.1.0.1 dev pc1
lsdp router add lr0 key 10
lsdp port add lr0 lrp1 key 1 mac 00:00:01:ff:00:01 net 1.1.254.254/16
lsdp port add sw1 sw1-portr0 key 2 type router peer lrp1
lsdp switch add sw-ext key 3
lsdp port add lr0 lr0-ext key 3 mac 02:0a:7f:00:01:29 net 192.168.123.254/24
lsdp port add sw-ext ext-lr0 key 1 type router peer lr0-ext
lsdp port add sw-ext ext-localnet key 2 type localnet unknown dev ext0

step "The hold queue's defaults"
lsdp hold show
dest=$("$LSDP" -j hold show | jq -r '.limits.dest_bytes')

step "Holding OFF (as OVN before buffering): the packet that triggers ARP is dropped"
lsdp hold set dest-bytes 0
forget
pings /tmp/lsdp-demo-off

step "Holding ON (lsdp's default, dest-bytes $dest): the packet waits for the ARP reply"
lsdp hold set dest-bytes "$dest"
forget
pings /tmp/lsdp-demo-on

step "Side by side"
# reply FILE SEQ: the reply line for icmp_seq SEQ, without its time.
reply() {
	grep 'bytes from' "$1" | grep "icmp_seq=$2 " | sed 's/ time=.*//' | head -n1
}
printf '%-48s | %s\n' "holding off" "holding on"
for i in $(seq 1 10); do
	printf '%-48s | %s\n' "$(reply /tmp/lsdp-demo-off "$i" | grep . || echo "icmp_seq=$i: no reply")" \
		"$(reply /tmp/lsdp-demo-on "$i" | grep . || echo "icmp_seq=$i: no reply")"
done
printf '%-48s | %s\n' "$(grep -o '[0-9]* packets transmitted, [0-9]* received' /tmp/lsdp-demo-off)" \
	"$(grep -o '[0-9]* packets transmitted, [0-9]* received' /tmp/lsdp-demo-on)"
off=$(received /tmp/lsdp-demo-off) on=$(received /tmp/lsdp-demo-on)
echo
printf 'holding off: %s/10 (first %s) | holding on: %s/10 (first %s)\n' \
	"${off:-0}" "$(first /tmp/lsdp-demo-off)" "${on:-0}" "$(first /tmp/lsdp-demo-on)"

step "The router's neighbours: learned from the ARP replies"
lsdp neigh show

step "The hold queue: packets held and released, drops by reason, release latency"
lsdp hold show

step "The routes: connected, from the router ports' networks"
lsdp route show

step "Where the first ping went with holding off"
lsdp stats show lr0-ext

# ---- part 2: a real OVN chassis and an lsdp chassis ----
ovn_demo() {
	AGENT=$root/userspace/agent/lsdp-agent
	OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
	# shellcheck source=selftests/ovn_lib.sh
	. "$root/selftests/ovn_lib.sh"
	OVN_UP=1

	step "Part 2: OVN 23.03's central (NB, SB, ovn-northd) on tmpfs"
	rm -rf "$BASE"
	run mkdir -p "$W2"
	run start_central

	step "worker1: ovn-controller + OVS (netns ovn-w1); worker2: lsdp + lsdp-agent (netns ovn-w2)"
	run modprobe openvswitch
	for ns in ovn-w1 ovn-w2 ovn-vm1 ovn-vm2; do
		run ip netns add $ns
		quiet ip -n $ns link set lo up
	done
	run ip link add ul1 netns ovn-w1 type veth peer name ul2 netns ovn-w2
	run ip -n ovn-w1 addr add $W1_IP/24 dev ul1
	run ip -n ovn-w2 addr add $W2_IP/24 dev ul2
	run ip -n ovn-w1 link set ul1 up
	run ip -n ovn-w2 link set ul2 up
	run start_worker1
	printf '$ lsdp-agent --system-id=worker2 --ovn-remote=%s --ovn-encap-ip=%s --netns=ovn-w2 --detach ...\n' \
		"$SB" $W2_IP
	agent_start || { echo "demo: lsdp-agent did not start" >&2; exit 1; }

	step "The VMs: vm1 on worker1's br-int (iface-id), vm2 on worker2 (its tap's alias)"
	run ip -n ovn-w1 link add tap1 type veth peer name eth0 netns ovn-vm1
	run ip -n ovn-w1 link set tap1 up
	run w1 ovs-vsctl --db="unix:$W1/db.sock" add-port br-int tap1 -- \
		set Interface tap1 external_ids:iface-id=vm1
	run vm_setup ovn-vm1 $M1 10.0.0.11/24
	run ip -n ovn-w2 link add tap2 type veth peer name eth0 netns ovn-vm2
	quiet ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap2.disable_ipv6=1
	run ip -n ovn-w2 link set tap2 alias iface-id=vm2 up
	run vm_setup ovn-vm2 $M2 10.0.0.12/24

	step "The logical network, with ovn-nbctl only"
	run ovn-nbctl --db="$NB" ls-add sw0 -- \
		lsp-add sw0 vm1 -- lsp-set-addresses vm1 "$M1 10.0.0.11" -- \
		lsp-add sw0 vm2 -- lsp-set-addresses vm2 "$M2 10.0.0.12"
	quiet wait_for 30 pb_on vm1 worker1
	quiet wait_for 30 pb_up vm2
	run ovn-nbctl --db="$NB" --timeout=30 --wait=hv sync

	step "ovn-sbctl show: both chassis, each with its port"
	run ovn-sbctl --db="$SB" show

	step "What lsdp-agent wrote into lsdp on worker2: northd's keys"
	lsdp -n ovn-w2 switch show
	lsdp -n ovn-w2 port show
	lsdp -n ovn-w2 chassis show

	step "Ping: vm1 (OVS chassis) -> vm2 (lsdp chassis), and back"
	run ip netns exec ovn-vm1 ping -n -c 3 -i 0.3 -W 2 10.0.0.12
	run ip netns exec ovn-vm2 ping -n -c 3 -i 0.3 -W 2 10.0.0.11

	step "The agent's status"
	run ovs-appctl -t "$W2/lsdp-agent.ctl" status

	step "Stop OVN; the agent removes its chassis on exit"
	ovn_cleanup
}
if command -v ovn-northd >/dev/null && [ -x "$root/userspace/agent/lsdp-agent" ]; then
	ovn_demo
else
	echo "demo: part 2 needs OVN (make deps) and lsdp-agent (make)" >&2
	exit 1
fi

step "Unload"
run rmmod lsdp
echo
if [ "${on:-0}" != 10 ] || [ "$(first /tmp/lsdp-demo-on)" != answered ]; then
	echo "demo: FAILED: with holding on, ${on:-0}/10 answered (first $(first /tmp/lsdp-demo-on))" >&2
	exit 1
fi
echo "demo: done"
