#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Routed forwarding cost with 1 route vs 100,000 routes (run as root in the
# VM: selftests/vm-run -- bench/route.sh).
#
# pktgen (netif_receive) injects 64-byte UDP packets into tap1, bound to a
# port of switch sw1; router lr0 routes them to switch sw2, whose port p2
# is bound to tap2, and they are counted arriving at tap2's peer in netns
# vm2 (dropped there by tc).  The next hop is a static neighbour, so no
# resolution is measured, only the pipeline: switch, router (TTL, LPM,
# neighbour), switch.  Then 100,000 random IPv4 routes (prefixes /16../32
# outside 10/8, so the destination's route stays the connected /24) are
# added with one `lsdp -b` and the same traffic is measured again: the
# difference is what the larger trie costs per packet.  Finally the trie's
# own lookup cost at 1 and 100,000 routes, IPv4 and IPv6, from
# selftests/lpm (the same lpm.c, compiled for userspace) run in this VM.
#
#   N=packets per run (200000)  RUNS=runs per case (5)  ROUTES=(100000)
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/pktgen.sh
L=userspace/lsdp
N=${N:-200000}
RUNS=${RUNS:-5}
ROUTES=${ROUTES:-100000}
KO=build/$(uname -r)/kmod/lsdp.ko

modprobe -a veth geneve pktgen sch_ingress cls_matchall act_gact || exit 1
lsmod | grep -q '^lsdp ' || insmod "$KO" || exit 1

M1=02:00:00:00:00:01 M2=02:00:00:00:00:02
R1=02:00:00:00:ff:01 R2=02:00:00:00:ff:02
ip netns add src; ip netns add vm2
ip link add tap1 type veth peer name eth0 netns src
ip link add tap2 type veth peer name eth0 netns vm2
ip link set tap1 up; ip link set tap2 up
ip -n src link set eth0 up
ip -n vm2 link set eth0 address $M2 up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in src vm2; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip netns exec vm2 tc qdisc add dev eth0 clsact
ip netns exec vm2 tc filter add dev eth0 ingress matchall action drop

$L switch add sw1 key 1
$L switch add sw2 key 2
$L router add lr0 key 10
$L port add sw1 p1 key 1 mac $M1 dev tap1
$L port add lr0 lrp1 key 1 mac $R1 net 10.0.0.254/24
$L port add sw1 sw1-lr0 key 2 type router peer lrp1
$L port add lr0 lrp2 key 2 mac $R2 net 10.1.0.254/24
$L port add sw2 sw2-lr0 key 1 type router peer lrp2
$L port add sw2 p2 key 2 mac $M2 dev tap2
$L neigh add lrp2 10.1.0.2 mac $M2

res() { # NAME: run RUNS times, print median min max of delivered pps
	local name=$1 i out vals=() sent
	for i in $(seq 1 "$RUNS"); do
		out=$(pg_run 0 vm2 eth0 tap1) || return 1
		sent=${out% *}
		[ "$sent" -eq "$N" ] || echo "# $name run $i: delivered $sent of $N" >&2
		vals+=("${out#* }")
	done
	mapfile -t vals < <(printf '%s\n' "${vals[@]}" | sort -n)
	echo "$name ${vals[$((RUNS / 2))]} ${vals[0]} ${vals[$((RUNS - 1))]}"
}

pg_setup 0 "" tap1 $R1 10.1.0.2 $M1 10.0.0.1 64 "$N" || exit 1
one=$(res "routed,2-connected-routes") || exit 1
echo "$one"

python3 - "$ROUTES" >/tmp/routes.batch <<'PY'
import random, sys
random.seed(1)
n, seen = int(sys.argv[1]), set()
while len(seen) < n:
    plen = random.randint(16, 32)
    a = random.randint(11 << 24, (223 << 24) - 1)
    a &= (0xffffffff << (32 - plen)) & 0xffffffff
    seen.add((a, plen))
for a, plen in seen:
    print(f"route add lr0 {a >> 24}.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255}/{plen} via 10.1.0.2 port lrp2")
PY
t0=$(date +%s%N)
$L -b /tmp/routes.batch || exit 1
t1=$(date +%s%N)
echo "# $ROUTES routes programmed with one lsdp -b in $(( (t1 - t0) / 1000000 )) ms"
echo "# routes now: $($L -j route show lr0 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
many=$(res "routed,$ROUTES-routes") || exit 1
echo "$many"

python3 - "$one" "$many" <<'PY'
import sys
a, b = (float(x.split()[1]) for x in sys.argv[1:])
print(f"# routed 64B: {a:.0f} pps with the connected routes only, {b:.0f} pps with "
      f"100k more: ratio {b/a:.3f}; per packet {1e9/a:.0f} ns vs {1e9/b:.0f} ns "
      f"({1e9/b - 1e9/a:+.0f} ns)")
PY
$L stats show lrp1; $L stats show lrp2

echo "# trie lookup cost in this VM (selftests/lpm, userspace build of kmod/lpm.c)"
# The guest's root is read-only: the test is built on the host (make check).
if [ -x selftests/lpm/lpm_test ]; then
	selftests/lpm/lpm_test | grep 'ns/lookup'
else
	echo "# selftests/lpm/lpm_test not built (make -C selftests/lpm on the host)"
fi
rmmod lsdp
