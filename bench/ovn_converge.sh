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
# One run per case.
#
#   SIZES ("1 1000")   port counts
set -u
cd "$(dirname "$0")/.." || exit 1
LSDP=$PWD/userspace/lsdp
AGENT=$PWD/userspace/agent/lsdp-agent
OVS_VSWITCHD=/usr/lib/openvswitch-switch/ovs-vswitchd
KO=build/$(uname -r)/kmod/lsdp.ko
SIZES=${SIZES:-1 1000}
SWITCHES=100
# shellcheck source=selftests/ovn_lib.sh
. selftests/ovn_lib.sh

modprobe -a veth geneve openvswitch || exit 1
lsmod | grep -q '^lsdp ' || insmod "$KO" || exit 1

now_ms() { date +%s%3N; }
# cpu_ms PID: user + system CPU time of PID, ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

central() {
	stop_all
	rm -rf "$BASE"
	mkdir -p "$W2" && start_central >/dev/null
}

# plug KIND: one netdev per switch, named by the logical port it will be.
plug() {
	local i
	for i in $(seq 1 $SWITCHES); do
		if [ "$1" = lsdp ]; then
			ip -n ovn-w2 link add "t$i" type dummy &&
				ip -n ovn-w2 link set "t$i" alias "iface-id=s$i-p1" up
		else
			w1 ovs-vsctl --db="unix:$W1/db.sock" add-port br-int "t$i" -- \
				set Interface "t$i" type=internal external_ids:iface-id="s$i-p1"
		fi || return 1
	done
}

# nbtxn N: the ovn-nbctl arguments of one transaction making N ports.
nbtxn() {
	local n=$1 per s p args=()
	per=$(( n < SWITCHES ? 1 : n / SWITCHES ))
	for s in $(seq 1 $(( n < SWITCHES ? n : SWITCHES ))); do
		args+=(-- ls-add "s$s")
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
	local kind=$1 n=$2 pid pid2 t0 t1 hv sb c0 c1 s0 s1 rss s args del
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
	# northd alone: the transaction with --wait=sb, then undone.
	t0=$(now_ms)
	nbctl --timeout=600 --wait=sb "${args[@]}" >/dev/null || return 1
	t1=$(now_ms)
	sb=$((t1 - t0))
	nbctl --timeout=600 --wait=hv sync || return 1
	del=()
	for s in $(seq 1 $(( n < SWITCHES ? n : SWITCHES ))); do del+=(-- ls-del "s$s"); done
	nbctl --timeout=600 --wait=hv "${del[@]:1}" >/dev/null || return 1
	c0=$(cpu_ms "$pid")
	[ -z "$pid2" ] || c0=$((c0 + $(cpu_ms "$pid2")))
	s0=$(slab_kb)
	t0=$(now_ms)
	nbctl --timeout=600 --wait=hv "${args[@]}" >/dev/null || return 1
	t1=$(now_ms)
	hv=$((t1 - t0))
	c1=$(cpu_ms "$pid")
	[ -z "$pid2" ] || c1=$((c1 + $(cpu_ms "$pid2")))
	s1=$(slab_kb)
	rss=$(rss_kb "$pid")
	[ -z "$pid2" ] || rss=$((rss + $(rss_kb "$pid2")))
	printf '| %-14s | %5d | %8d | %8d | %8d | %8d | %8d | %8d |\n' "$kind" "$n" "$hv" "$sb" \
		$((hv - sb)) "$rss" $((c1 - c0)) $((s1 - s0))
}

echo "lsdp-agent vs ovn-controller convergence, kernel $(uname -r), $(nproc) vCPU," \
	"clock ${VM_RUN_CLOCK:-wall}, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| chassis        | ports | hv ms    | sb ms    | chassis  | RSS kB   | CPU ms   | slab kB  |"
echo "|----------------|-------|----------|----------|----------|----------|----------|----------|"
rc=0
for n in $SIZES; do
	for kind in lsdp-agent ovn-controller; do
		run "${kind%-agent}" "$n" || { echo "| $kind | $n | FAILED |"; rc=1; }
	done
done
stop_all
ip netns del ovn-w1 2>/dev/null; ip netns del ovn-w2 2>/dev/null
rmmod lsdp 2>/dev/null
exit $rc
