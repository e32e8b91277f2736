#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hold queue release latency (run as root in the VM: selftests/vm-run --
# bench/hold.sh).  Seed 000's topology; ROUNDS times the router forgets
# PC-EXT and PC1 sends BURST pings at once, which wait for the ARP reply.
# The module samples, for every released packet, the time from the ARP
# reply's arrival in the router to the packet being handed on (in FIFO
# order, so later packets of a burst include the earlier ones' sending;
# for the bursts PC-EXT answers 20 ms late so that all of them are held);
# `lsdp hold show` gives median, p99 and max of the last 1024 samples.
#
#   ROUNDS (100)  BURST packets per round (1 and 10 are both run)
set -u
cd "$(dirname "$0")/.." || exit 1
L=userspace/lsdp
ROUNDS=${ROUNDS:-100}
KO=build/$(uname -r)/kmod/lsdp.ko

modprobe -a veth geneve || exit 1
ip netns add pc1; ip netns add ext
ip link add pc1 type veth peer name eth0 netns pc1
ip link add ext0 type veth peer name eth0 netns ext
ip link set pc1 up; ip link set ext0 up
ip -n pc1 link set eth0 address 00:00:01:00:00:01 up
ip -n pc1 addr add 1.1.0.1/16 dev eth0
ip -n pc1 route add default via 1.1.254.254
ip -n ext link set eth0 up
ip -n ext addr add 192.168.123.10/24 dev eth0
ip -n ext route add default via 192.168.123.254

# Seed 000's logical network, on a freshly loaded module.
topo() {
	lsmod | grep -q '^lsdp ' && rmmod lsdp
	# shellcheck disable=SC2046 # a word per module; insmod resolves none
	modprobe -a $(modinfo -F depends "$KO" | tr ',' ' ') && insmod "$KO" || exit 1
	$L switch add sw1 key 1 &&
	$L port add sw1 sw1-port1 key 1 mac 00:00:01:00:00:01 ip 1.1.0.1 dev pc1 &&
	$L router add lr0 key 10 &&
	$L port add lr0 lrp1 key 1 mac 00:00:01:ff:00:01 net 1.1.254.254/16 &&
	$L port add sw1 sw1-portr0 key 2 type router peer lrp1 &&
	$L switch add sw-ext key 3 &&
	$L port add lr0 lr0-ext key 3 mac 02:0a:7f:00:01:29 net 192.168.123.254/24 &&
	$L port add sw-ext ext-lr0 key 1 type router peer lr0-ext &&
	$L port add sw-ext ext-localnet key 2 type localnet unknown dev ext0 || exit 1
}

run() { # BURST
	local burst=$1 i lost=0 out
	# A fresh module per burst size: only its own samples count.
	topo
	for i in $(seq 1 "$ROUNDS"); do
		$L neigh del lr0-ext 192.168.123.10 2>/dev/null
		out=$(ip netns exec pc1 ping -n -q -c "$burst" -l "$burst" -W 3 192.168.123.10)
		case $out in
		*" $burst received"*) ;;
		*) lost=$((lost + 1)) ;;
		esac
	done
	echo "# burst $burst x $ROUNDS rounds, rounds with a loss: $lost"
	$L -j hold show | python3 -c '
import json, sys
h = json.load(sys.stdin)
lat, cnt = h["latency"], h["counters"]
us = {k: lat[k] / 1e3 for k in ("p50_ns", "p99_ns", "max_ns")}
print("burst %s: held %d released %d, release latency over %d samples: "
      "median %.1f us, p99 %.1f us, max %.1f us"
      % (sys.argv[1], cnt["held"], cnt["released"], lat["samples"],
         us["p50_ns"], us["p99_ns"], us["max_ns"]))' "$burst"
}

run 1
# PC-EXT answers 20 ms late, so that all ten pings (sent at once) are held
# and leave together when the ARP reply comes.
modprobe sch_netem && ip netns exec ext tc qdisc add dev eth0 root netem delay 20ms
run 10
rmmod lsdp
