#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Convergence of an OVN chassis (issue 14, item 9), lsdp-agent against
# ovn-controller on the same southbound database in the same VM run (run
# as root in the VM: VM_RUN_CLOCK=icount selftests/vm-run -- bench/ovn_converge.sh).
#
# For each chassis kind alone (the other is not registered, so
# `--wait=hv` waits for that one only): a fresh central, the chassis with
# one VIF plugged per switch (100 netdevs named by iface-id before the
# logical ports exist), then ONE ovn-nbctl --wait=hv transaction that
# creates N logical ports over the switches (N = 1: one switch; N = 1000:
# 100 switches of 10).  Measured: the time that ovn-nbctl takes (northd's
# work, identical for both, plus the chassis's until it echoes nb_cfg: the
# "hv ms" column, the one to compare), the chassis's RSS and CPU time
# spent on it (ovn-controller: itself plus ovs-vswitchd, which holds its
# flows), and the slab growth (lsdp's kernel tables).  "sb ms" is the same
# transaction made once before with --wait=sb: the first, on cold caches,
# it is no baseline to subtract (the "chassis" column goes negative).
# "ping ms": from the same start until traffic flows through the new
# ports: switch s1 gets, in the same transaction, one more port, s1-q, and
# a ping from it to s1-p1 (both VM netns behind veths on the chassis,
# neighbours static so that every probe is one echo, 20 a second) is
# started before the transaction; the time is when its first reply came.
# RSS, CPU and slab are read once both are done.  One run per case.
#
#   SIZES or LSDP_BENCH_OVN_SIZES ("1 1000 10000")   port counts
#   LSDP_BENCH_OVN_SB (1)   0: no --wait=sb run first ("sb ms" 0)
set -u
cd "$(dirname "$0")/.." || exit 1
LSDP=$PWD/userspace/lsdp
AGENT=$PWD/userspace/agent/lsdp-agent
OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
KO=build/$(uname -r)/kmod/lsdp.ko
SIZES=${SIZES:-${LSDP_BENCH_OVN_SIZES:-1 1000 10000}}
SWITCHES=100
# shellcheck source=selftests/ovn_lib.sh
. selftests/ovn_lib.sh

# shellcheck disable=SC2046 # a word per module; insmod resolves none
modprobe -a veth geneve openvswitch $(modinfo -F depends "$KO" | tr ',' ' ') || exit 1
lsmod | grep -q '^lsdp ' || insmod "$KO" || exit 1

now_ms() { date +%s%3N; }
# cpu_ms PID: user + system CPU time of PID, ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
# cpu_snap FILE: every process's CPU ticks and the machine's, to say after
# a case where its time went (cpu_where FILE0 FILE1, on stderr).
cpu_snap() {
	{ head -n1 /proc/stat
	  cat /proc/[0-9]*/stat 2>/dev/null | awk '{ print $1, $2, $14 + $15 }'; } >"$1"
}
cpu_where() {
	awk 'NR == FNR { if (FNR == 1) { for (i = 2; i <= NF; i++) c0[i] = $i } else a[$1] = $3; next }
	     FNR == 1 { printf "# cpu (ticks) user %d nice %d system %d idle %d iowait %d irq %d softirq %d\n",
			$2 - c0[2], $3 - c0[3], $4 - c0[4], $5 - c0[5], $6 - c0[6], $7 - c0[7], $8 - c0[8]; next }
	     { d = $3 - a[$1]; if (d > 0) printf "# cpu ticks %d %s\n", d, $2 }' "$1" "$2" |
		sort -k4,4nr | head -n 8 >&2
}

central() {
	stop_all
	rm -rf "$BASE"
	mkdir -p "$W2" && start_central >/dev/null
}

# The two VMs of the ping: s1-p1 (MAC and IP as nbtxn gives them) and
# the probe s1-q, each a netns behind a veth.
P1_MAC=0a:00:01:00:00:01 P1_IP=10.0.1.1
PQ_MAC=0a:00:01:00:00:fe PQ_IP=10.0.1.254

# vm NS MAC IP PEER_MAC PEER_IP: a VM's side of the veth, neighbour static.
vm() {
	ip -n "$1" link set eth0 address "$2" && ip -n "$1" addr add "$3/16" dev eth0 &&
		ip -n "$1" link set eth0 up &&
		ip -n "$1" neigh replace "$5" lladdr "$4" dev eth0 nud permanent
}

# plug KIND: one netdev per switch, named by the logical port it will be;
# s1-p1's and the probe's are veths to VM netns cv1 and cvq.
plug() {
	local ns i dev
	ns=$([ "$1" = lsdp ] && echo ovn-w2 || echo ovn-w1)
	ip netns del cv1 2>/dev/null; ip netns del cvq 2>/dev/null
	ip netns add cv1 && ip netns add cvq || return 1
	ip -n "$ns" link add t1 type veth peer name eth0 netns cv1 &&
		ip -n "$ns" link add tq type veth peer name eth0 netns cvq &&
		vm cv1 $P1_MAC $P1_IP $PQ_MAC $PQ_IP && vm cvq $PQ_MAC $PQ_IP $P1_MAC $P1_IP || return 1
	# OVS: one ovs-vsctl transaction (each call waits for ovs-vswitchd).
	local ovs=()
	for i in q $(seq 1 $SWITCHES); do
		dev=t$i
		[ "$i" = q ] && i=s1-q || i=s$i-p1
		if [ "$1" = lsdp ]; then
			{ [ "$dev" = t1 ] || [ "$dev" = tq ] ||
				ip -n ovn-w2 link add "$dev" type dummy; } &&
				ip -n ovn-w2 link set "$dev" alias "iface-id=$i" up || return 1
		elif [ "$dev" = t1 ] || [ "$dev" = tq ]; then
			ip -n ovn-w1 link set "$dev" up || return 1
			ovs+=(-- add-port br-int "$dev" -- set Interface "$dev" external_ids:iface-id="$i")
		else
			ovs+=(-- add-port br-int "$dev" -- set Interface "$dev" type=internal
			      external_ids:iface-id="$i")
		fi
	done
	[ "$1" = lsdp ] || w1 ovs-vsctl --db="unix:$W1/db.sock" --timeout=600 "${ovs[@]:1}"
}

# nbtxn N: the ovn-nbctl arguments of one transaction making N ports
# (and the probe's).
nbtxn() {
	local n=$1 per s p args=()
	per=$(( n < SWITCHES ? 1 : n / SWITCHES ))
	for s in $(seq 1 $(( n < SWITCHES ? n : SWITCHES ))); do
		args+=(-- ls-add "s$s")
		[ "$s" != 1 ] || args+=(-- lsp-add s1 s1-q -- lsp-set-addresses s1-q "$PQ_MAC $PQ_IP")
		for p in $(seq 1 "$per"); do
			args+=(-- lsp-add "s$s" "s$s-p$p" -- lsp-set-addresses "s$s-p$p"
			       "$(printf '0a:%02x:%02x:00:00:%02x 10.%d.%d.%d' $((s / 256)) $((s % 256)) "$p" \
					$((s / 256)) $((s % 256)) "$p")")
		done
	done
	printf '%s\n' "${args[@]:1}"
}

# run KIND N
run() {
	local kind=$1 n=$2 pid pid2 t0 t1 hv sb c0 c1 s0 s1 rss s args del pp tp
	central
	ip netns del ovn-w1 2>/dev/null; ip netns del ovn-w2 2>/dev/null
	ip netns add ovn-w1 && ip netns add ovn-w2 || return 1
	if [ "$kind" = lsdp ]; then
		agent_start || return 1
		wait_for 60 bash -c "ovn-sbctl --db=$SB --bare --columns=name list Chassis_Private | grep -q worker2" ||
			return 1
		pid=$(agent_pid)
		pid2=
	else
		start_worker1 >/dev/null || return 1
		pid=$(cat "$W1/ovn-controller.pid")
		pid2=$(cat "$W1/ovs-vswitchd.pid")
	fi
	plug "$kind" || return 1
	nbctl --timeout=600 --wait=hv sync || return 1
	mapfile -t args < <(nbtxn "$n")
	# northd alone: the transaction with --wait=sb, then undone
	# (LSDP_BENCH_OVN_SB=0 skips it: it doubles northd's work).
	sb=0
	if [ "${LSDP_BENCH_OVN_SB:-1}" != 0 ]; then
		t0=$(now_ms)
		nbctl --timeout=900 --wait=sb "${args[@]}" >/dev/null || return 1
		t1=$(now_ms)
		sb=$((t1 - t0))
		nbctl --timeout=900 --wait=hv sync || return 1
		del=()
		for s in $(seq 1 $(( n < SWITCHES ? n : SWITCHES ))); do del+=(-- ls-del "s$s"); done
		nbctl --timeout=900 --wait=hv "${del[@]:1}" >/dev/null || return 1
	fi
	c0=$(cpu_ms "$pid")
	[ -z "$pid2" ] || c0=$((c0 + $(cpu_ms "$pid2")))
	rm -f /tmp/ovn-converge.ping
	ip netns exec cvq ping -q -c1 -i0.05 -w1200 $P1_IP >/dev/null &&
		now_ms >/tmp/ovn-converge.ping &
	pp=$!
	# Until the ping sends (starting a program takes a while under TCG):
	# its start must not count.
	wait_for 20 pgrep -x -P "$pp" ping
	sleep 0.5
	s0=$(slab_kb)
	cpu_snap /tmp/ovn-converge.cpu0
	t0=$(now_ms)
	nbctl --timeout=900 --wait=hv "${args[@]}" >/dev/null || { kill $pp $(pgrep -P $pp); return 1; }
	t1=$(now_ms)
	hv=$((t1 - t0))
	# Traffic may follow --wait=hv; 120 s more at most.
	wait_for 120 test -s /tmp/ovn-converge.ping
	kill $pp $(pgrep -P $pp) 2>/dev/null
	cpu_snap /tmp/ovn-converge.cpu1
	echo "# $kind $n: where the CPU went from the transaction to the ping's reply" >&2
	cpu_where /tmp/ovn-converge.cpu0 /tmp/ovn-converge.cpu1
	[ "$kind" != lsdp ] || tail -n 5 "$W2/lsdp-agent.log" | sed 's/^/# agent: /' >&2
	tp=$(cat /tmp/ovn-converge.ping 2>/dev/null) || { echo "# $kind $n: no ping reply" >&2; return 1; }
	c1=$(cpu_ms "$pid")
	[ -z "$pid2" ] || c1=$((c1 + $(cpu_ms "$pid2")))
	s1=$(slab_kb)
	rss=$(rss_kb "$pid")
	[ -z "$pid2" ] || rss=$((rss + $(rss_kb "$pid2")))
	printf '| %-14s | %5d | %8d | %8d | %8d | %8d | %8d | %8d | %8d |\n' "$kind" "$n" "$hv" \
		$((tp - t0)) "$sb" $((hv - sb)) "$rss" $((c1 - c0)) $((s1 - s0))
}

echo "lsdp-agent vs ovn-controller convergence, kernel $(uname -r), $(nproc) vCPU," \
	"clock ${VM_RUN_CLOCK:-wall}, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| chassis        | ports | hv ms    | ping ms  | sb ms    | chassis  | RSS kB   | CPU ms   | slab kB  |"
echo "|----------------|-------|----------|----------|----------|----------|----------|----------|----------|"
rc=0
for n in $SIZES; do
	for kind in lsdp-agent ovn-controller; do
		run "${kind%-agent}" "$n" || { echo "| $kind | $n | FAILED |"; rc=1; }
	done
done
stop_all
ip netns del ovn-w1 2>/dev/null; ip netns del ovn-w2 2>/dev/null
ip netns del cv1 2>/dev/null; ip netns del cvq 2>/dev/null
rmmod lsdp 2>/dev/null
exit $rc
