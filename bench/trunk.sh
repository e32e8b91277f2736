#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a trunk child costs per packet against a plain port (issue 5), run
# as root in the VM: selftests/vm-run -- bench/trunk.sh
#
# One switch sw1.  p1 is bound to tap1, p2 to tap2; c1 is a trunk child of
# p1 with tag 30.  pktgen (netif_receive) injects 64-byte UDP frames, and
# what arrives at the sink (the far end of the output tap, in a netns that
# drops it with tc) is counted:
#
#   plain      untagged into tap1, as p1's, out of tap2 (p1 -> p2)
#   child-in   tagged 30 into tap1, as c1's: the tag looked up in p1's
#              table and removed, out of tap2 untagged (c1 -> p2)
#   child-out  untagged into tap2, to c1's MAC: out of tap1 with tag 30
#              pushed (p2 -> c1)
#
# and, for reference, plain in the other direction (p2 -> p1).  Medians of
# RUNS runs of N packets each, with min and max, the cases taking turns;
# the cost per packet is 1e9 / pps.
#
#   N=packets per run (200000)  RUNS=runs per case (5)  SIZE=(64)
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/pktgen.sh
L=userspace/lsdp
N=${N:-200000}
RUNS=${RUNS:-5}
SIZE=${SIZE:-64}
KO=build/$(uname -r)/kmod/lsdp.ko

modprobe -a veth geneve pktgen 8021q sch_ingress cls_matchall act_gact || exit 1
# insmod resolves no dependency: the modules the .ko names first.
# shellcheck disable=SC2046 # a word per module
modprobe -a $(modinfo -F depends "$KO" | tr ',' ' ') || exit 1
lsmod | grep -q '^lsdp ' || insmod "$KO" || exit 1

M1=02:00:00:00:00:01 M2=02:00:00:00:00:02 MC=02:00:00:00:00:03
ip netns add vm1; ip netns add vm2
ip link add tap1 type veth peer name eth0 netns vm1
ip link add tap2 type veth peer name eth0 netns vm2
ip link set tap1 up; ip link set tap2 up
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for n in vm1 vm2; do
	ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n $n link set eth0 up
	# The sinks count at the veth and drop before any protocol runs.
	ip netns exec $n tc qdisc add dev eth0 clsact
	ip netns exec $n tc filter add dev eth0 ingress matchall action drop
done

$L switch add sw1 key 1
$L port add sw1 p1 key 1 mac $M1 dev tap1
$L port add sw1 p2 key 2 mac $M2 dev tap2
$L port add sw1 c1 key 3 mac $MC parent p1 tag 30

# setup CASE: pktgen configured for CASE; prints "SINK-NS INJECT-DEV".
setup() {
	case $1 in
	plain) pg_setup 0 "" tap1 $M2 10.0.0.2 $M1 10.0.0.1 "$SIZE" "$N" && echo "vm2 tap1" ;;
	child-in) pg_setup 0 "" tap1 $M2 10.0.0.2 $MC 10.0.0.3 "$SIZE" "$N" &&
		pg_write tap1 "vlan_id 30" && echo "vm2 tap1" ;;
	plain-reverse) pg_setup 0 "" tap2 $M1 10.0.0.1 $M2 10.0.0.2 "$SIZE" "$N" && echo "vm1 tap2" ;;
	child-out) pg_setup 0 "" tap2 $MC 10.0.0.3 $M2 10.0.0.2 "$SIZE" "$N" && echo "vm1 tap2" ;;
	esac
}

# The cases take turns, run by run, so that a change in the machine's load
# (TCG, other guests) weighs on all of them alike.
CASES="plain child-in plain-reverse child-out"
declare -A vals
for i in $(seq 1 "$RUNS"); do
	for c in $CASES; do
		read -r sns dev < <(setup "$c") || exit 1
		[ -n "$dev" ] || exit 1
		out=$(pg_run 0 "$sns" eth0 "$dev") || exit 1
		sent=${out% *}
		[ "$sent" -eq "$N" ] || echo "# $c run $i: delivered $sent of $N" >&2
		vals[$c]="${vals[$c]:-} ${out#* }"
	done
done
results=()
for c in $CASES; do
	# shellcheck disable=SC2086 # the values, one a word
	mapfile -t v < <(printf '%s\n' ${vals[$c]} | sort -n)
	results+=("$c ${v[$((RUNS / 2))]} ${v[0]} ${v[$((RUNS - 1))]}")
done
printf '%s\n' "${results[@]}"
$L stats show sw1

python3 - "${results[@]}" <<'PY'
import sys
r = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in sys.argv[1:]}
print(f"# case          median pps    min      max    ns/packet")
for k, (med, lo, hi) in r.items():
    print(f"# {k:<13} {med:>9.0f} {lo:>8.0f} {hi:>8.0f} {1e9 / med:>9.0f}")
for child, plain in (("child-in", "plain"), ("child-out", "plain-reverse")):
    a, b = r[plain][0], r[child][0]
    print(f"# {child} vs {plain}: ratio {b / a:.3f}, "
          f"{1e9 / b - 1e9 / a:+.0f} ns per packet")
PY
ip netns del vm1; ip netns del vm2
rmmod lsdp
