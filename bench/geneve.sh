#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-packet cost of Geneve encapsulation and decapsulation relative to
# local switching, in one VM run (issue 3's closing figure).  Runs inside
# the VM (selftests/vm-run) as root.
#
#   local : pktgen -> tap1 -> lsdp switch -> tap2 -> sink (vm2 eth0)
#   encap : pktgen -> tap1 -> lsdp switch -> Geneve -> u1 -> sink (u2, no decap)
#   e+d   : as encap, then u2 -> Geneve -> lsdp (chassis 2) -> tap2 -> sink
#
# Chassis 1 is the init netns (pktgen binds devices there only); chassis 2 is
# netns ch2.  Five runs each; prints medians with min and max.
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/pktgen.sh
L=userspace/lsdp
N=${N:-200000}
SIZE=${SIZE:-64}
RUNS=${RUNS:-5}
KO=build/$(uname -r)/kmod/lsdp.ko

modprobe -a veth geneve pktgen sch_ingress cls_matchall act_gact || exit 1
lsmod | grep -q '^lsdp ' || insmod "$KO" || exit 1

M1=02:00:00:00:00:01 M2=02:00:00:00:00:02
ip netns add vm2; ip netns add ch2; ip netns add sinkns
ip link add tap1 type veth peer name eth0 netns sinkns
ip link add tap2 type veth peer name eth0 netns vm2
ip link set tap1 up; ip link set tap2 up
ip -n vm2 link set eth0 address $M2 up
ip -n sinkns link set eth0 up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in vm2 ch2 sinkns; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
# The sink drops what it gets after counting it (no stack processing).
for n in vm2; do
	ip netns exec $n tc qdisc add dev eth0 clsact
	ip netns exec $n tc filter add dev eth0 ingress matchall action drop
done

$L switch add sw1 key 1
$L port add sw1 p1 key 1 mac $M1 dev tap1
$L port add sw1 p2 key 2 mac $M2 dev tap2

res() { # NAME: run RUNS times, print median min max of delivered pps
	local name=$1 i out vals=() sent
	for i in $(seq 1 "$RUNS"); do
		out=$(pg_run 0 "$SINK_NS" "$SINK_DEV" tap1) || return 1
		sent=${out% *}
		[ "$sent" -eq "$N" ] || echo "# $name run $i: delivered $sent of $N" >&2
		vals+=("${out#* }")
	done
	mapfile -t vals < <(printf '%s\n' "${vals[@]}" | sort -n)
	echo "$name ${vals[$((RUNS / 2))]} ${vals[0]} ${vals[$((RUNS - 1))]}"
}

# 1. local switching
pg_setup 0 "" tap1 $M2 10.0.0.2 $M1 10.0.0.1 "$SIZE" "$N" || exit 1
SINK_NS=vm2 SINK_DEV=eth0
local_r=$(res local) || exit 1
echo "$local_r"

# 2. encapsulation: p2 moves to chassis 2 (netns ch2 across u1/u2).
ip link add u1 type veth peer name u2 netns ch2
ip addr add 192.0.2.1/24 dev u1; ip link set u1 up
ip -n ch2 addr add 192.0.2.2/24 dev u2; ip -n ch2 link set u2 up
ip -n ch2 link set lo up
ip neigh replace 192.0.2.2 lladdr "$(ip -n ch2 -br link show u2 | awk '{print $3}')" dev u1 nud permanent
$L encap set local 192.0.2.1
$L chassis add ch2 ip 192.0.2.2
$L port set p2 chassis ch2
ip netns exec ch2 tc qdisc add dev u2 clsact
ip netns exec ch2 tc filter add dev u2 ingress matchall action drop
SINK_NS=ch2 SINK_DEV=u2
encap_r=$(res encap) || exit 1
echo "$encap_r"

# 3. encapsulation + decapsulation: chassis 2 runs lsdp and delivers to vm2.
ip netns exec ch2 tc qdisc del dev u2 clsact
ip link set tap2 netns ch2; ip -n ch2 link set tap2 up
$L -n ch2 encap set local 192.0.2.2
$L -n ch2 chassis add ch1 ip 192.0.2.1
$L -n ch2 switch add sw1 key 1
$L -n ch2 port add sw1 p2 key 2 mac $M2 dev tap2
$L -n ch2 port add sw1 p1 key 1 mac $M1 chassis ch1
SINK_NS=vm2 SINK_DEV=eth0
ed_r=$(res encap+decap) || exit 1
echo "$ed_r"

python3 - "$local_r" "$encap_r" "$ed_r" <<'PY'
import sys
l, e, d = (float(a.split()[1]) for a in sys.argv[1:])
ns = lambda pps: 1e9 / pps
print(f"# size {__import__('os').environ.get('SIZE','64')}B: local {l:.0f} pps, encap {e:.0f} pps, encap+decap {d:.0f} pps (medians)")
print(f"# encap/local pps ratio {e/l:.2f}; encap+decap/local {d/l:.2f}")
print(f"# per packet: local {ns(l):.0f} ns, encap {ns(e):.0f} ns, "
      f"decap (encap+decap minus encap) {ns(d)-ns(e):.0f} ns")
PY
$L stats show; $L encap show; $L -n ch2 encap show
