#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# All benchmarks of `make bench`, in one VM run (bench/bench.sh boots the VM:
# selftests/vm-run -- bench/vm-bench.sh).  Runs as root in the guest, prints
# its figures as "@@BENCH {json}" lines (bench/lib.sh) and its narration as
# "# ..." lines.  bench/README describes every topology and baseline.
#
# Each system of a scenario (lsdp, Linux bridge, Linux routing, OVS) gets
# the same topology in network namespaces of its own, named after it:
#
#	S        the hypervisor: tap1 (VM1's port, where pktgen injects),
#	         tap2 (VM2's port) and the datapath under test; the router
#	         itself for Linux routing
#	S-src    VM1 (tap1's peer)
#	S-vm2    VM2 (tap2's peer, 02:00:00:00:00:02): the sink
#	S-ch2    the second chassis of the Geneve scenario
#
# so that all systems exist at once and their runs can be interleaved
# (bench/lib.sh compare).  Every scenario starts from nothing (no lsdp
# module, no OVS, no netns) and tears everything down again.
#
#   LSDP_BENCH_ONLY    scenarios to run, space separated (default: all, in
#                      the order of SCENARIOS below)
#   LSDP_BENCH_SIZES   frame sizes (default "64 1500")
#   LSDP_BENCH_MACS    L2 scale: MAC entries in the big case (200000: a
#                      million took lsdp 230 s to program here, and the
#                      bridge's million fdb entries did not finish in 9
#                      minutes; see bench/README)
#   LSDP_BENCH_ROUTES  routing scale: routes in the big case (100000)
#   LSDP_BENCH_PORTS   control plane: ports, neighbours, fdb entries (100000)
#   LSDP_BENCH_CP_MACS control plane: MAC entries programmed in one batch,
#                      lsdp remote ports against bridge static fdb
#                      entries (0: none; 1000000 for issue 17's million)
#   LSDP_BENCH_MEM_N   memory per object: objects of each kind (30000; at
#                      most 32765, one switch's keys)
#   LSDP_BENCH_HOLD_ROUNDS  bench/hold.sh rounds per burst size (30)
#   LSDP_BENCH_ACL_RULES  ACL scenario: security-group rules per case
#                      ("1 100 10000")
#   LSDP_BENCH_ACL_MODES  ACL scenario: "stateless stateful"
#   LSDP_BENCH_ACL_NOCACHE  ACL scenario: 1 (default) also measures lsdp
#                         with its exact-match cache off (",nocache")
#   LSDP_BENCH_ACL_NFT_MAX  ACL scenario: the nftables rule chain (linear:
#                         2.5 million instructions a packet at 10,000
#                         rules) only up to this many rules (1000)
#   LSDP_BENCH_ACL_FLOWS  ACL scenario: at the largest rule count, the
#                         traffic as this many UDP flows too (",flows=N";
#                         1000; 0: not)
#   LSDP_BENCH_GENEVE  Geneve variants ("encap encap+decap"; encap+decap
#                      alone sets up the encap side without measuring it)
#   LSDP_BENCH_PROFILE auto (profile every case where lsdp is not ahead),
#                      all, none, or only (profile every case, measure
#                      nothing: bench/profile.sh); see autoprofile below
#   LSDP_BENCH_DROP_EACH  1: the ceiling case in every comparison (the
#                      default under the wall clock, where the ceiling of
#                      the same moments matters; under icount the ceiling
#                      scenario's figure is the same figure)
#   and LSDP_BENCH_RUNS / MAX_RUNS / SPREAD / SECS (bench/lib.sh)
set -u
# Most functions here are called by name (scn_$scenario), which shellcheck
# cannot follow.
# shellcheck disable=SC2317
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=bench/ovs.sh
. bench/ovs.sh

L=$PWD/userspace/lsdp
KO=$PWD/build/$(uname -r)/kmod/lsdp.ko
GEN=$PWD/bench/gen.py
SIZES=${LSDP_BENCH_SIZES:-64 1500}
MACS=${LSDP_BENCH_MACS:-200000}
ROUTES=${LSDP_BENCH_ROUTES:-100000}
PORTS=${LSDP_BENCH_PORTS:-100000}
MEM_N=${LSDP_BENCH_MEM_N:-30000}
CP_MACS=${LSDP_BENCH_CP_MACS:-0}
HOLD_ROUNDS=${LSDP_BENCH_HOLD_ROUNDS:-30}
GENEVE=${LSDP_BENCH_GENEVE:-encap encap+decap}
ACL_RULES=${LSDP_BENCH_ACL_RULES:-1 100 10000}
ACL_MODES=${LSDP_BENCH_ACL_MODES:-stateless stateful}
ACL_NOCACHE=${LSDP_BENCH_ACL_NOCACHE:-1}
ACL_NFT_MAX=${LSDP_BENCH_ACL_NFT_MAX:-1000}
ACL_FLOWS=${LSDP_BENCH_ACL_FLOWS:-1000}
SCENARIOS="ceiling l2 routed trunk localnet nat geneve route_scale acl control hold mem ovn live"

# The benchmark's addresses: VM1 behind tap1, VM2 behind tap2, router
# ports R1/R2, underlay 192.0.2.0/24.
M1=02:00:00:00:00:01 M2=02:00:00:00:00:02
# A trunk child (trunk scenario), a host on the provider network (localnet).
MC=02:00:00:00:00:03 MX=02:00:00:00:00:0e
R1=02:00:00:00:ff:01 R2=02:00:00:00:ff:02
U1=192.0.2.1 U2=192.0.2.2
# L2 keys of a switch are 15 bits (OVN's port key space).
KEY_MAX=32767

# ---------------------------------------------------------------- helpers

# nsadd NAME [v6]: a netns with IPv6 off unless asked for, so that no
# router solicitation or MLD report lands on a sink during a run.
nsadd() {
	ip netns add "$1" || return 1
	ip -n "$1" link set lo up
	if [ "${2:-}" != v6 ]; then
		ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	fi
}

# sink NETNS DEV: the sink drops what it receives once the device counted
# it (tc ingress drop), so no stack processing is added to the path.
sink() {
	ip netns exec "$1" tc qdisc add dev "$2" clsact &&
		ip netns exec "$1" tc filter add dev "$2" ingress matchall action drop
}

unsink() {
	ip netns exec "$1" tc qdisc del dev "$2" clsact
}

# vms S [v6]: netns S (IPv6 on with v6: the Linux router) with tap1 (peer
# eth0 in S-src, VM1) and tap2 (peer eth0 in S-vm2, VM2, the sink).
vms() {
	local s=$1
	nsadd "$s" "${2:-}" && nsadd "$s-src" && nsadd "$s-vm2" &&
		ip -n "$s" link add tap1 type veth peer name eth0 netns "$s-src" &&
		ip -n "$s" link add tap2 type veth peer name eth0 netns "$s-vm2" &&
		ip -n "$s" link set tap1 up && ip -n "$s" link set tap2 up &&
		ip -n "$s-src" link set eth0 address $M1 up &&
		ip -n "$s-vm2" link set eth0 address $M2 up &&
		sink "$s-vm2" eth0
}

# underlay S: a second chassis in netns S-ch2, reached over u1 (in S) --
# u2 (in S-ch2), MTU 9000 so that a 1500-byte frame fits encapsulated (as
# on a real underlay with jumbo frames), static neighbours; tap2 moves to
# S-ch2.  Until the second chassis decapsulates, u2 is the sink.
underlay() {
	local s=$1 c=$1-ch2
	nsadd "$c" &&
		ip -n "$s" link add u1 mtu 9000 type veth peer name u2 mtu 9000 netns "$c" &&
		ip -n "$s" addr add $U1/24 dev u1 && ip -n "$s" link set u1 up &&
		ip -n "$c" addr add $U2/24 dev u2 && ip -n "$c" link set u2 up &&
		ip -n "$s" neigh replace $U2 dev u1 nud permanent \
			lladdr "$(ip -n "$c" -br link show u2 | awk '{print $3}')" &&
		ip -n "$c" neigh replace $U1 dev u2 nud permanent \
			lladdr "$(ip -n "$s" -br link show u1 | awk '{print $3}')" &&
		ip -n "$s" link set tap2 netns "$c" && ip -n "$c" link set tap2 up &&
		sink "$c" u2
}

lsdp_load() {
	local deps
	lsmod | grep -q '^lsdp ' && return 0
	# insmod resolves no dependency (conntrack, NAT, UDP tunnels): the
	# modules the .ko names first.
	deps=$(modinfo -F depends "$KO" | tr ',' ' ')
	# shellcheck disable=SC2086 # a word per module
	[ -z "$deps" ] || modprobe -a $deps || return 1
	insmod "$KO"
}

# teardown: back to nothing, whatever the scenario left.
teardown() {
	local d
	for d in /tmp/ovs/*/; do
		[ -d "$d" ] && ovs_stop "$(basename "$d")"
	done
	ip -all netns delete 2>/dev/null
	lsmod | grep -q '^lsdp ' && rmmod lsdp
	return 0
}

# l2case SYSTEM S [SINK_NS SINK_DEV]: VM1 -> VM2 traffic of system S.
l2case() {
	echo "$1 $2 tap1 $M2 10.0.0.2 $M1 10.0.0.1 ${3:-$2-vm2} ${4:-eth0}"
}

# rtcase SYSTEM S DST SRC: VM1 -> router -> DST traffic of system S.
rtcase() {
	echo "$1 $2 tap1 $R1 $3 $M1 $4 $2-vm2 eth0"
}

# each SCENARIO VARIANT CASE...: compare at every frame size.
each() {
	local scen=$1 var=$2 s
	shift 2
	for s in $SIZES; do
		compare "$scen" "$var" "$s" "$@"
	done
}

# ovs_bridge INSTANCE: br-int as a logical switch uses it: only our flows
# (fail_mode secure: no NORMAL fallback), no in-band control flows.  The
# kernel flows neither idle out nor get revalidated during a comparison
# (max-idle, max-revalidator: 10 minutes): on a real host those threads run
# on other cores, while on the one vCPU here their periodic passes were
# counted into whichever run they fell in (icount showed OVS's runs in two
# groups 5% apart; every other system's within 0.3%).
ovs_bridge() {
	ovs "$1" ovs-vsctl add-br br-int -- set bridge br-int fail_mode=secure \
		other_config:disable-in-band=true -- set open_vswitch . \
		other_config:max-idle=600000 other_config:max-revalidator=600000 &&
		ovs "$1" ovs-ofctl del-flows br-int
}

# ovs_port INSTANCE DEV OFPORT [ovs-vsctl "set interface" args]
ovs_port() {
	local i=$1 dev=$2 of=$3
	shift 3
	ovs "$i" ovs-vsctl add-port br-int "$dev" -- set interface "$dev" \
		ofport_request="$of" "$@"
}

# ovs_flows INSTANCE < FLOWS
ovs_flows() {
	cat >"/tmp/flows-$1.list" && ovs "$1" ovs-ofctl add-flows br-int "/tmp/flows-$1.list" &&
		ovs "$1" ovs-ofctl dump-flows br-int --no-stats | sed "s/^/# ovs $1 flow: /" >&2
}

# ovs_dpflows INSTANCE: what the kernel datapath cached (for the log).
ovs_dpflows() {
	ovs "$1" ovs-dpctl dump-flows | sed "s/^/# ovs $1 datapath flow: /" >&2
}

# ovs_tlv INSTANCE: OVN's Geneve option (class 0x102, type 0x80, 4 bytes:
# ingress and egress port keys) as tun_metadata0, as ovn-controller maps it.
ovs_tlv() {
	ovs "$1" ovs-ofctl add-tlv-map br-int "{class=0x102,type=0x80,len=4}->tun_metadata0"
}

# ---------------------------------------------------------------- topologies

# lsdp_l2 S: switch sw1, a port per VM.
lsdp_l2() {
	$L -n "$1" switch add sw1 key 1 &&
		$L -n "$1" port add sw1 p1 key 1 mac $M1 dev tap1 &&
		$L -n "$1" port add sw1 p2 key 2 mac $M2 dev tap2
}

# bridge_l2 S: br0 with the VM ports, VM2's MAC static (as a hypervisor
# agent programs it), learning left on as shipped.
bridge_l2() {
	ip -n "$1" link add br0 type bridge && ip -n "$1" link set br0 up &&
		ip -n "$1" link set tap1 master br0 && ip -n "$1" link set tap2 master br0 &&
		bridge -n "$1" fdb add $M2 dev tap2 master static
}

# ovs_l2 S: the OpenFlow a logical switch without ACLs needs: one flow per
# port's MAC to that port, broadcast/multicast to all, else drop.
ovs_l2() {
	ovs_start "$1" "$1" && ovs_bridge "$1" && ovs_port "$1" tap1 1 &&
		ovs_port "$1" tap2 2 || return 1
	ovs_flows "$1" <<-EOF
	table=0,priority=100,dl_dst=$M1,actions=output:1
	table=0,priority=100,dl_dst=$M2,actions=output:2
	table=0,priority=90,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=ALL
	table=0,priority=0,actions=drop
	EOF
}

# lsdp_router S: VM1 on sw1, VM2 on sw2, lr0 between them (IPv4 and IPv6);
# VM2 a static neighbour, so no resolution is measured.
lsdp_router() {
	local l=("$L" -n "$1")
	"${l[@]}" switch add sw1 key 1 &&
		"${l[@]}" switch add sw2 key 2 &&
		"${l[@]}" router add lr0 key 10 &&
		"${l[@]}" port add sw1 p1 key 1 mac $M1 dev tap1 &&
		"${l[@]}" port add lr0 lrp1 key 1 mac $R1 net 10.0.0.254/24 net fd00::fe/64 &&
		"${l[@]}" port add sw1 sw1-lr0 key 2 type router peer lrp1 &&
		"${l[@]}" port add lr0 lrp2 key 2 mac $R2 net 10.1.0.254/24 net fd01::fe/64 &&
		"${l[@]}" port add sw2 sw2-lr0 key 1 type router peer lrp2 &&
		"${l[@]}" port add sw2 p2 key 2 mac $M2 dev tap2 &&
		"${l[@]}" neigh add lrp2 10.1.0.2 mac $M2 &&
		"${l[@]}" neigh add lrp2 fd01::2 mac $M2
}

# linux_router S: netns S forwards between tap1 and tap2 (IPv4 and IPv6),
# VM2 a permanent neighbour.
linux_router() {
	local s=$1
	vms "$s" v6 || return 1
	ip netns exec "$s" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.forwarding=1 &&
		ip -n "$s" link set tap1 address $R1 && ip -n "$s" link set tap2 address $R2 &&
		ip -n "$s" addr add 10.0.0.254/24 dev tap1 &&
		ip -n "$s" addr add 10.1.0.254/24 dev tap2 &&
		ip -n "$s" addr add fd00::fe/64 dev tap1 nodad &&
		ip -n "$s" addr add fd01::fe/64 dev tap2 nodad &&
		ip -n "$s" neigh replace 10.1.0.2 lladdr $M2 dev tap2 nud permanent &&
		ip -n "$s" neigh replace fd01::2 lladdr $M2 dev tap2 nud permanent
}

# ovs_router S: the router as OpenFlow, in OVN's stages: the switch sends
# frames for a router MAC to the routing table (priority by prefix length),
# which decrements the TTL, keeps the next hop in reg0 and sets the source
# MAC; a neighbour table sets the next hop's MAC and outputs.
ovs_router() {
	ovs_start "$1" "$1" && ovs_bridge "$1" && ovs_port "$1" tap1 1 &&
		ovs_port "$1" tap2 2 || return 1
	ovs_flows "$1" <<-EOF
	table=0,priority=100,ip,dl_dst=$R1,actions=resubmit(,10)
	table=0,priority=100,ip,dl_dst=$R2,actions=resubmit(,10)
	table=0,priority=0,actions=drop
	table=10,priority=24,ip,nw_dst=10.1.0.0/24,actions=dec_ttl,move:NXM_OF_IP_DST[]->NXM_NX_REG0[],mod_dl_src:$R2,resubmit(,11)
	table=10,priority=24,ip,nw_dst=10.0.0.0/24,actions=dec_ttl,move:NXM_OF_IP_DST[]->NXM_NX_REG0[],mod_dl_src:$R1,resubmit(,11)
	table=11,priority=100,reg0=0x0a010002,actions=mod_dl_dst:$M2,output:2
	table=11,priority=100,reg0=0x0a000001,actions=mod_dl_dst:$M1,output:1
	EOF
}

# The trunk scenario (issue 5's trunk ports against what Linux and OVS
# do for a VLAN-aware VM): VM1's port tap1 is a trunk, its VLAN 30 is a
# child port c1 (MAC MC) on the same logical switch as VM2's plain port
# tap2.  child-in: tagged 30 into tap1, out of tap2 untagged; child-out:
# untagged into tap2 to c1's MAC, out of tap1 tagged 30 (counted at VM1).
lsdp_trunk() {
	lsdp_l2 "$1" && $L -n "$1" port add sw1 c1 key 3 mac $MC parent p1 tag 30
}

# bridge_trunk S: a VLAN-filtering bridge, VLAN 30 tagged on tap1 and
# untagged (PVID) on tap2, both MACs static in VLAN 30.
bridge_trunk() {
	local s=$1
	ip -n "$s" link add br0 type bridge vlan_filtering 1 && ip -n "$s" link set br0 up &&
		ip -n "$s" link set tap1 master br0 && ip -n "$s" link set tap2 master br0 &&
		bridge -n "$s" vlan add dev tap1 vid 30 &&
		bridge -n "$s" vlan add dev tap2 vid 30 pvid untagged &&
		bridge -n "$s" fdb add $M2 dev tap2 vlan 30 master static &&
		bridge -n "$s" fdb add $MC dev tap1 vlan 30 master static
}

# ovs_trunk S: as ovn-controller does for a child port (parent_port +
# tag): table 0 takes the tag off the parent's frames (into the child's
# logical port) and the output to the child pushes it.
ovs_trunk() {
	ovs_start "$1" "$1" && ovs_bridge "$1" && ovs_port "$1" tap1 1 &&
		ovs_port "$1" tap2 2 || return 1
	ovs_flows "$1" <<-EOF
	table=0,priority=150,in_port=1,dl_vlan=30,actions=strip_vlan,resubmit(,1)
	table=0,priority=100,in_port=2,vlan_tci=0x0000/0x1000,actions=resubmit(,1)
	table=0,priority=0,actions=drop
	table=1,priority=100,dl_dst=$M2,actions=output:2
	table=1,priority=100,dl_dst=$MC,actions=mod_vlan_vid:30,output:1
	table=1,priority=0,actions=drop
	EOF
}

# The localnet scenario: VM1's port and a localnet port on tap2, the
# provider network on VLAN 100 (a host MX there).  out: VM1 -> MX, out of
# tap2 tagged 100; in: MX -> VM1, tagged 100 into tap2, out of tap1.
lsdp_localnet() {
	$L -n "$1" switch add sw1 key 1 &&
		$L -n "$1" port add sw1 p1 key 1 mac $M1 dev tap1 &&
		$L -n "$1" port add sw1 ln key 2 type localnet unknown dev tap2 vlan 100
}

# bridge_localnet S: VLAN 100 untagged on tap1, tagged on tap2 (the
# provider uplink), both MACs static.
bridge_localnet() {
	local s=$1
	ip -n "$s" link add br0 type bridge vlan_filtering 1 && ip -n "$s" link set br0 up &&
		ip -n "$s" link set tap1 master br0 && ip -n "$s" link set tap2 master br0 &&
		bridge -n "$s" vlan add dev tap1 vid 100 pvid untagged &&
		bridge -n "$s" vlan add dev tap2 vid 100 &&
		bridge -n "$s" fdb add $MX dev tap2 vlan 100 master static &&
		bridge -n "$s" fdb add $M1 dev tap1 vlan 100 master static
}

# ovs_localnet S: ovn-controller's localnet with a tag (br-int patched to
# the provider bridge; the patch is gone by the time the kernel flow is
# made, so one bridge here): unknown destinations to the provider port
# tagged, the provider's tagged frames for VM1 untagged to it.
ovs_localnet() {
	ovs_start "$1" "$1" && ovs_bridge "$1" && ovs_port "$1" tap1 1 &&
		ovs_port "$1" tap2 2 || return 1
	ovs_flows "$1" <<-EOF
	table=0,priority=150,in_port=2,dl_vlan=100,actions=strip_vlan,resubmit(,1)
	table=0,priority=100,in_port=1,vlan_tci=0x0000/0x1000,actions=resubmit(,1)
	table=0,priority=0,actions=drop
	table=1,priority=100,dl_dst=$M1,actions=output:1
	table=1,priority=0,actions=mod_vlan_vid:100,output:2
	EOF
}

# drop: netns drop with tap1 (peer in drop-src) that only drops what it
# receives (tc ingress matchall drop, counted by that rule): the ceiling.
drop_port() {
	nsadd drop && nsadd drop-src &&
		ip -n drop link add tap1 type veth peer name eth0 netns drop-src &&
		ip -n drop link set tap1 up && ip -n drop-src link set eth0 up &&
		sink drop tap1
}

# The ceiling as one more case of a comparison: its runs interleave with
# the others', so "time above the ceiling" compares figures of the same
# moments (bench/report.py).  Under icount the ceiling does not move with
# the moment, so the ceiling scenario's figure serves every comparison and
# DROPS is empty unless LSDP_BENCH_DROP_EACH=1.
DROPCASE="drop drop tap1 $M2 10.0.0.2 $M1 10.0.0.1 @tc tap1"
DROPS=()
[ "${LSDP_BENCH_DROP_EACH:-$([ "$CLOCK" = wall ] && echo 1)}" = 1 ] && DROPS=("$DROPCASE")

# drops: the drop port, when the comparisons include the ceiling.
drops() {
	[ ${#DROPS[@]} -eq 0 ] || drop_port
}

# ---------------------------------------------------------------- scenarios

# Ceiling: a port that only drops (tc ingress matchall drop on the
# injection port, counted by that rule): receiving a packet at all.
scn_ceiling() {
	drop_port || return 1
	each ceiling "" "$DROPCASE"
}

# L2 scale for lsdp: VM2's switch gets every port key (ports on a remote
# chassis, nothing bound), and the MAC entries beyond one switch's key
# space go to further switches of the same module.
lsdp_l2_scale() {
	local s=$1 n=$((MACS - 2)) before after ms sw held
	[ $n -gt 0 ] || return 0
	$L -n "$s" chassis add ch2 ip $U2 || return 1
	sw=$(python3 "$GEN" l2scale $n $KEY_MAX 2>&1 >/tmp/ports.batch) || return 1
	before=$(memsnap)
	timed_batch ms $L -n "$s" -b /tmp/ports.batch || return 1
	after=$(memsnap)
	control macs lsdp "$n" "$ms" "$before" "$after"
	held=$((n + 2 < KEY_MAX ? n + 2 : KEY_MAX))
	emit "\"kind\": \"note\", \"scenario\": \"l2_scale\", \"system\": \"lsdp\", \"text\": $(jstr "L2 scale, lsdp: $MACS MAC entries in the module; the traffic's switch holds $held (a switch's port keys are 15 bits, as in OVN), the other $((MACS - held)) are in $((sw - 1)) more switches")"
	lsdp_caches
}

bridge_l2_scale() {
	local s=$1 n=$((MACS - 1)) before after ms
	python3 "$GEN" macs $n | sed 's/.*/fdb add & dev tap2 master static/' >/tmp/fdb.batch &&
		before=$(memsnap) && timed_batch ms bridge -n "$s" -batch /tmp/fdb.batch &&
		after=$(memsnap) || return 1
	control macs bridge "$n" "$ms" "$before" "$after"
	echo "# bridge: $(bridge -n "$s" fdb show br br0 | wc -l) fdb entries" >&2
}

scn_l2() {
	lsdp_load && vms lsdp && lsdp_l2 lsdp || return 1
	vms bridge && bridge_l2 bridge || return 1
	vms ovs && ovs_l2 ovs && drops || return 1
	each l2 "" "$(l2case lsdp lsdp)" "$(l2case bridge bridge)" "$(l2case ovs ovs)" "${DROPS[@]}"
	ovs_dpflows ovs
	[ "$MACS" -gt 2 ] || return 0
	# Scale: lsdp and the bridge, each with MACS entries.
	ovs_stop ovs
	lsdp_l2_scale lsdp && bridge_l2_scale bridge || return 1
	each l2_scale "macs=$MACS" "$(l2case lsdp lsdp)" "$(l2case bridge bridge)" "${DROPS[@]}"
	$L -n lsdp stats show p1 >&2
	$L -n lsdp stats show p2 >&2
}

scn_routed() {
	lsdp_load && vms lsdp && lsdp_router lsdp || return 1
	linux_router linux || return 1
	vms ovs && ovs_router ovs && drops || return 1
	each routed "" "$(rtcase lsdp lsdp 10.1.0.2 10.0.0.1)" \
		"$(rtcase linux linux 10.1.0.2 10.0.0.1)" "$(rtcase ovs ovs 10.1.0.2 10.0.0.1)" \
		"${DROPS[@]}"
	$L -n lsdp stats show lr0 >&2
	ovs_dpflows ovs
}

# NAT (issue 18), on the routed topology: nat_snat sends VM1 (10.0.0.1) ->
# VM2 (10.1.0.2), source-NATed to 10.1.0.100 leaving towards VM2's net;
# nat_fip sends VM1 -> the floating IP 10.0.0.50, destination-NATed to
# VM2.  pktgen's one UDP flow: after its first packet (the connection's
# setup) every packet finds its connection and translation in conntrack,
# so the figure is the established-flow cost.  Each system gets a netns
# per rule set (S: snat, Sf: floating IP), as pktgen is per netns.
lsdp_nat() { # S snat|fip
	lsdp_router "$1" || return 1
	if [ "$2" = snat ]; then
		$L -n "$1" nat add lr0 snat 10.1.0.100 10.0.0.0/24
	else
		$L -n "$1" nat add lr0 dnat_and_snat 10.0.0.50 10.1.0.2
	fi
}

# linux_nat S snat|fip: Linux routing with nftables NAT, the same rules.
linux_nat() {
	linux_router "$1" || return 1
	if [ "$2" = snat ]; then
		ip netns exec "$1" nft -f - <<-EOF
		table ip nat {
			chain post { type nat hook postrouting priority srcnat; oifname "tap2" ip saddr 10.0.0.0/24 snat to 10.1.0.100; }
		}
		EOF
	else
		ip netns exec "$1" nft -f - <<-EOF
		table ip nat {
			chain pre { type nat hook prerouting priority dstnat; ip daddr 10.0.0.50 dnat to 10.1.0.2; }
			chain post { type nat hook postrouting priority srcnat; ip saddr 10.1.0.2 snat to 10.0.0.50; }
		}
		EOF
	fi
}

# ovs_nat S snat|fip: OVS with ct(nat) as ovn-controller's flows do it:
# ct(nat) in the router's zone first (un-NAT, existing bindings), then for
# a connection in the original direction a commit with the rule's NAT
# (OVN's ct_snat/ct_dnat, run for every such packet), then routing.
ovs_nat() {
	local act
	ovs_start "$1" "$1" && ovs_bridge "$1" && ovs_port "$1" tap1 1 &&
		ovs_port "$1" tap2 2 || return 1
	if [ "$2" = snat ]; then
		act="ip,ct_state=+trk+new,nw_src=10.0.0.0/24,actions=ct(commit,zone=1,nat(src=10.1.0.100),table=11)"
	else
		act="ip,ct_state=+trk+new,nw_dst=10.0.0.50,actions=ct(commit,zone=1,nat(dst=10.1.0.2),table=11)"
	fi
	ovs_flows "$1" <<-EOF
	table=0,priority=100,ip,dl_dst=$R1,actions=ct(zone=1,nat,table=10)
	table=0,priority=0,actions=drop
	table=10,priority=100,$act
	table=10,priority=90,ip,ct_state=+trk,actions=resubmit(,11)
	table=11,priority=100,ip,nw_dst=10.1.0.2,actions=dec_ttl,mod_dl_src:$R2,mod_dl_dst:$M2,output:2
	EOF
}

# trunkcase SYSTEM S VARIANT: the trunk scenario's traffic (see lsdp_trunk).
trunkcase() {
	case $3 in
	child-in) echo "$1 $2 tap1 $M2 10.0.0.2 $MC 10.0.0.3 $2-vm2 eth0" ;;
	child-out) echo "$1 $2 tap2 $MC 10.0.0.3 $M2 10.0.0.2 $2-src eth0" ;;
	esac
}

# lnetcase SYSTEM S VARIANT: the localnet scenario's traffic.
lnetcase() {
	case $3 in
	out) echo "$1 $2 tap1 $MX 10.0.0.14 $M1 10.0.0.1 $2-vm2 eth0" ;;
	in) echo "$1 $2 tap2 $M1 10.0.0.1 $MX 10.0.0.14 $2-src eth0" ;;
	esac
}

# vlancmp SCENARIO CASEFN "VARIANTS" VLAN: both directions of a VLAN
# scenario for lsdp, the bridge and OVS; VM1 (S-src) is a sink too.  The
# first variant is the direction whose frames arrive tagged: pktgen sends
# them with VLAN.
vlancmp() {
	local scen=$1 fn=$2 var s
	for s in lsdp bridge ovs; do
		sink "$s-src" eth0 || return 1
	done
	for var in $3; do
		if [ "$var" = "${3%% *}" ]; then
			export LSDP_PG_VLAN=$4
		else
			unset LSDP_PG_VLAN
		fi
		each "$scen" "$var" "$($fn lsdp lsdp "$var")" "$($fn bridge bridge "$var")" \
			"$($fn ovs ovs "$var")" "${DROPS[@]}"
	done
	unset LSDP_PG_VLAN
	ovs_dpflows ovs
}

# Trunk child in and out (issue 17 item 2): see lsdp_trunk.
scn_trunk() {
	lsdp_load && vms lsdp && lsdp_trunk lsdp || return 1
	vms bridge && bridge_trunk bridge || return 1
	vms ovs && ovs_trunk ovs && drops || return 1
	vlancmp trunk trunkcase "child-in child-out" 30
	$L -n lsdp stats show c1 >&2
}

# Localnet out and in (issue 17 item 2): see lsdp_localnet.
scn_localnet() {
	lsdp_load && vms lsdp && lsdp_localnet lsdp || return 1
	vms bridge && bridge_localnet bridge || return 1
	vms ovs && ovs_localnet ovs && drops || return 1
	vlancmp localnet lnetcase "in out" 100
	$L -n lsdp stats show ln >&2
}

scn_nat() {
	local k
	lsdp_load || return 1
	for k in snat fip; do
		vms lsdp$k && lsdp_nat lsdp$k $k || return 1
		linux_nat linux$k $k || return 1
		vms ovs$k && ovs_nat ovs$k $k || return 1
	done
	drops || return 1
	each nat_snat "" "$(rtcase lsdp lsdpsnat 10.1.0.2 10.0.0.1)" \
		"$(rtcase linux linuxsnat 10.1.0.2 10.0.0.1)" \
		"$(rtcase ovs ovssnat 10.1.0.2 10.0.0.1)" "${DROPS[@]}"
	each nat_fip "" "$(rtcase lsdp lsdpfip 10.0.0.50 10.0.0.1)" \
		"$(rtcase linux linuxfip 10.0.0.50 10.0.0.1)" \
		"$(rtcase ovs ovsfip 10.0.0.50 10.0.0.1)" "${DROPS[@]}"
	$L -n lsdpsnat nat show >&2
	$L -n lsdpfip nat show >&2
	$L -n lsdpsnat stats show lr0 >&2
	ovs_dpflows ovssnat
	ovs_dpflows ovsfip
}

# Live tracing (issue 16): lsdp alone, L2 VIF to VIF, first with no live
# trace ("off": the check is a patched-out branch), then with one on the
# traffic's ingress port that matches nothing ("on": its inport is the
# traffic's and its destination address no packet has, so every packet
# pays the list walk and the masked compare of 34 bytes).  The two cannot
# interleave: the static key is global.  Under icount, one after the
# other is the same instrument.
#
# LSDP_BENCH_PREV="NAME=TREE ...": first the same L2 case with the module
# and CLI of each other checkout TREE (its build/KVER/kmod/lsdp.ko and
# userspace/lsdp built, e.g. the release before tracing), as variant NAME:
# what tracing compiled in but off costs against that release.
scn_live() {
	local pid p
	for p in ${LSDP_BENCH_PREV:-}; do
		live_prev "${p%%=*}" "${p#*=}" || return 1
	done
	lsdp_load && vms lsdp && lsdp_l2 lsdp || return 1
	each live off "$(l2case lsdp lsdp)"
	$L -n lsdp trace live 'inport == "p1" && ip4.dst == 192.0.2.99' >/dev/null &
	pid=$!
	sleep 2
	kill -0 $pid || return 1
	each live on "$(l2case lsdp lsdp)"
	kill $pid
	wait $pid 2>/dev/null
	$L -n lsdp stats show p1 >&2
}

# live_prev NAME TREE: the live scenario's L2 case on TREE's module and
# CLI (their uAPI may differ from this tree's), as variant NAME; leaves no
# module and no netns behind.
live_prev() {
	local L=$2/userspace/lsdp ko=$2/build/$(uname -r)/kmod/lsdp.ko rc=0
	echo "# live: variant $1 is $ko" >&2
	lsmod | grep -q '^lsdp ' && rmmod lsdp
	insmod "$ko" && vms lsdp && lsdp_l2 lsdp || rc=1
	[ $rc = 1 ] || each live "$1" "$(l2case lsdp lsdp)"
	ip -all netns delete
	rmmod lsdp
	return $rc
}

# Geneve: VM1 on chassis 1 (netns S), VM2 on chassis 2 (S-ch2).  "encap":
# counted at chassis 2's underlay port, dropped there; "encap+decap":
# chassis 2 decapsulates and delivers to VM2.
lsdp_gnv_encap() {
	local l=("$L" -n "$1")
	"${l[@]}" encap set local $U1 csum off &&
		"${l[@]}" chassis add ch2 ip $U2 &&
		"${l[@]}" switch add sw1 key 1 &&
		"${l[@]}" port add sw1 p1 key 1 mac $M1 dev tap1 &&
		"${l[@]}" port add sw1 p2 key 2 mac $M2 type remote chassis ch2
}

lsdp_gnv_decap() {
	local l=("$L" -n "$1-ch2")
	unsink "$1-ch2" u2
	"${l[@]}" encap set local $U2 csum off &&
		"${l[@]}" chassis add ch1 ip $U1 &&
		"${l[@]}" switch add sw1 key 1 &&
		"${l[@]}" port add sw1 p2 key 2 mac $M2 dev tap2 &&
		"${l[@]}" port add sw1 p1 key 1 mac $M1 type remote chassis ch1
}

# The bridge: a plain (not collect_md) Geneve device per chassis, VNI 1, no
# options, UDP checksum off and DF set as lsdp and OVS send, MTU 1500 so a
# VM's full frame passes; static fdb entries.
bridge_gnv() { # NETNS REMOTE VIF
	ip -n "$1" link add gnv0 type geneve id 1 remote "$2" noudpcsum df set &&
		ip -n "$1" link set gnv0 mtu 1500 up &&
		ip -n "$1" link add br0 type bridge && ip -n "$1" link set br0 up &&
		ip -n "$1" link set "$3" master br0 && ip -n "$1" link set gnv0 master br0
}

bridge_gnv_encap() {
	bridge_gnv "$1" $U2 tap1 && bridge -n "$1" fdb add $M2 dev gnv0 master static
}

bridge_gnv_decap() {
	unsink "$1-ch2" u2
	bridge_gnv "$1-ch2" $U1 tap2 && bridge -n "$1-ch2" fdb add $M2 dev tap2 master static
}

# OVS: one ovs-vswitchd per chassis, a geneve port each (key=flow,
# remote_ip fixed, csum off), OVN's option as tun_metadata0, flows as
# ovn-controller writes them: set VNI and (ingress, egress) keys and output
# to the tunnel; on the other side match them and output to the VIF.
ovs_gnv() { # INSTANCE NETNS REMOTE VIF OFPORT
	ovs_start "$1" "$2" && ovs_bridge "$1" && ovs_tlv "$1" && ovs_port "$1" "$4" "$5" &&
		ovs_port "$1" gnv 3 type=geneve options:remote_ip="$3" options:key=flow \
			options:csum=false
}

ovs_gnv_encap() {
	ovs_gnv "$1" "$1" $U2 tap1 1 || return 1
	ovs_flows "$1" <<-EOF
	table=0,priority=100,in_port=1,dl_dst=$M2,actions=set_field:0x1->tun_id,set_field:0x10002->tun_metadata0,output:3
	table=0,priority=0,actions=drop
	EOF
}

ovs_gnv_decap() {
	unsink "$1-ch2" u2
	ovs_gnv "$1-ch2" "$1-ch2" $U1 tap2 2 || return 1
	ovs_flows "$1-ch2" <<-EOF
	table=0,priority=100,in_port=3,tun_id=0x1,tun_metadata0=0x10002,actions=output:2
	table=0,priority=0,actions=drop
	EOF
}

scn_geneve() {
	local s
	lsdp_load || return 1
	for s in lsdp bridge ovs; do
		vms $s && underlay $s && ${s}_gnv_encap $s || return 1
	done
	drops || return 1
	if [[ " $GENEVE " == *" encap "* ]]; then
		each geneve encap "$(l2case lsdp lsdp lsdp-ch2 u2)" \
			"$(l2case bridge bridge bridge-ch2 u2)" "$(l2case ovs ovs ovs-ch2 u2)" \
			"${DROPS[@]}"
	fi
	[[ " $GENEVE " == *" encap+decap "* ]] || return 0
	for s in lsdp bridge ovs; do
		${s}_gnv_decap $s || return 1
	done
	each geneve encap+decap "$(l2case lsdp lsdp)" "$(l2case bridge bridge)" "$(l2case ovs ovs)" \
		"${DROPS[@]}"
	$L -n lsdp encap show >&2
	$L -n lsdp-ch2 encap show >&2
	ovs_dpflows ovs
	ovs_dpflows ovs-ch2
}

# Routing scale, IPv4 then IPv6, each on fresh topologies: traffic to an
# address in a static route (via VM2), first with that route alone, then
# among ROUTES routes (the same one among them).  The route batches are
# timed and their memory counted: the control-plane figures for routes.
route_scale() { # 4|6
	local fam=$1 nh=10.1.0.2 src=10.0.0.1 first dst before after ms
	[ "$fam" = 6 ] && nh=fd01::2 src=fd00::1
	lsdp_load && vms lsdp && lsdp_router lsdp && linux_router linux || return 1
	python3 "$GEN" prefixes "$fam" "$ROUTES" >/tmp/prefixes.list || return 1
	dst=$(python3 "$GEN" dst /tmp/prefixes.list) && first=$(head -n1 /tmp/prefixes.list)
	$L -n lsdp route add lr0 "$first" via $nh port lrp2 &&
		ip -n linux -"$fam" route add "$first" via $nh || return 1
	each route_scale "v$fam,routes=1" "$(rtcase lsdp lsdp "$dst" $src)" \
		"$(rtcase linux linux "$dst" $src)"
	# The batches hold every route, the traffic's too.
	$L -n lsdp route del lr0 "$first" && ip -n linux -"$fam" route del "$first" || return 1
	sed "s|.*|route add lr0 & via $nh port lrp2|" /tmp/prefixes.list >/tmp/routes.batch
	before=$(memsnap)
	timed_batch ms $L -n lsdp -b /tmp/routes.batch || return 1
	after=$(memsnap)
	control "routes-v$fam" lsdp "$ROUTES" "$ms" "$before" "$after"
	lsdp_caches
	sed "s|.*|route add & via $nh|" /tmp/prefixes.list >/tmp/routes.batch
	before=$(memsnap)
	timed_batch ms ip -n linux -"$fam" -batch /tmp/routes.batch || return 1
	after=$(memsnap)
	control "routes-v$fam" linux "$ROUTES" "$ms" "$before" "$after"
	each route_scale "v$fam,routes=$ROUTES" "$(rtcase lsdp lsdp "$dst" $src)" \
		"$(rtcase linux linux "$dst" $src)"
	$L -n lsdp stats show lr0 >&2
}

scn_route_scale() {
	route_scale 4 || return 1
	teardown
	route_scale 6
}

# ACLs (issue 15): VM1 -> VM2 as in the L2 scenario, VM2's port behind
# N security-group rules (bench/gen.py acl: distinct remote CIDRs and TCP
# or UDP ports and port ranges, the rule the traffic matches last, and a
# default drop), stateless (allow-stateless) or stateful (allow-related:
# conntrack in VM2's zone, the connection committed).  The traffic is one
# UDP flow in one direction, so every packet is checked against the
# rules: a connection with no reply stays "new" in conntrack for OVS,
# nftables and lsdp alike (OVN checks the original direction of an
# established connection against its ACLs too).
#   lsdp:   the rules as lsdp ACLs on sw1 (`lsdp -b`), timed.
#   ovs:    br-int with the L2 flows and a to-lport ACL table as
#           ovn-controller writes it: ct(zone=2,table=44), ct_state
#           matches, ct(commit,exec(set_field:0/0x1->ct_mark)), port
#           ranges expanded into masked tp_dst matches.
#   nft:    a Linux bridge (as in L2) and an nftables bridge-family
#           forward chain: ct state established,related accept, invalid
#           drop (stateful), then a jump to VM2's chain of one rule per
#           security-group rule and a final drop (as firewall drivers
#           write them).
#           Linear in the rules: up to ACL_NFT_MAX rules only.
#   nftset: the same, VM2's rules one lookup in an interval set of
#           (address . protocol . port): nftables' fastest form, loaded
#           in one `nft -f` transaction.  The set's elements are the
#           rules made disjoint (bench/gen.py disjoint: a concatenated
#           interval set refuses overlapping elements).
acl_systems() {
	lsdp_load && vms lsdp && lsdp_l2 lsdp || return 1
	# OpenFlow 1.4 for the flows' bundle (ovn-controller speaks 1.5).
	vms ovs && ovs_start ovs ovs && ovs_bridge ovs &&
		ovs ovs ovs-vsctl set bridge br-int protocols=OpenFlow10,OpenFlow14,OpenFlow15 &&
		ovs_port ovs tap1 1 && ovs_port ovs tap2 2 || return 1
	vms nft && bridge_l2 nft && vms nftset && bridge_l2 nftset
}

# acl_program MODE N: every system gets MODE's rules for N (in /tmp/acl):
# lsdp and nftables in one batch each, OVS in one bundle (one atomic
# transaction, as ovn-controller installs a big change).  The nftables
# rule chain is left empty above ACL_NFT_MAX rules (not measured).
acl_program() {
	local mode=$1 n=$2 ms s before after
	[ "$($L -n lsdp -j acl show sw1 | jq length)" = 0 ] ||
		$L -n lsdp acl del sw1 || return 1
	before=$(memsnap)
	timed_batch ms $L -n lsdp -b "/tmp/acl/lsdp-$mode.batch" || return 1
	after=$(memsnap)
	control "acl-$mode-$n" lsdp "$((n + 1))" "$ms" "$before" "$after"
	ovs ovs ovs-ofctl del-flows br-int &&
		timed_batch ms ovs ovs ovs-ofctl --bundle add-flows br-int "/tmp/acl/ovs-$mode.flows" || return 1
	control "acl-$mode-$n" ovs "$((n + 1))" "$ms" "0 0 0" "0 0 0"
	echo "# ovs: $(ovs ovs ovs-ofctl dump-flows br-int | grep -c table=) OpenFlow flows for $n rules" >&2
	for s in nft nftset; do
		ip netns exec $s nft flush ruleset || return 1
		[ $s = nft ] && [ "$n" -gt "$ACL_NFT_MAX" ] && continue
		echo "# $s: $(grep -c -e accept -e ' \. [tu][cd]p \. ' "/tmp/acl/$s-$mode.nft") rule or set element lines" >&2
		timed_batch ms ip netns exec $s nft -f "/tmp/acl/$s-$mode.nft" || return 1
		control "acl-$mode-$n" $s "$((n + 1))" "$ms" "0 0 0" "0 0 0"
	done
	# The previous case's conntrack entry of the flow (unreplied, so
	# "new") may still be there: it is for every system alike, and the
	# calibration run creates it anyway.
	return 0
}

# acl_hits: what decided the traffic in each system: lsdp's ACL hit
# counters, OVS's ACL-stage flows that saw packets, nftables' chain.
acl_hits() {
	local s
	ovs_dpflows ovs
	ovs ovs ovs-ofctl dump-flows br-int table=44 | grep 'n_packets=[1-9]' |
		sed 's/^/# ovs table 44 hit: /' >&2
	$L -n lsdp -j acl show sw1 | jq -c '[.[] | select(.hits > 0) |
		{priority, match, hits}]' | sed 's/^/# lsdp ACLs hit: /' >&2
	$L -n lsdp stats show p2 >&2
	for s in nft nftset; do
		ip netns exec $s nft list chain bridge sgtab tap2in 2>/dev/null | grep -c . |
			sed "s/^/# $s: chain tap2in lines: /" >&2
	done
}

scn_acl() {
	local mode n s sys last
	modprobe -a nf_conntrack nf_conntrack_bridge nf_tables || return 1
	acl_systems && drops || return 1
	mkdir -p /tmp/acl
	for n in $ACL_RULES; do
		last=$n
	done
	for mode in $ACL_MODES; do
		for n in $ACL_RULES; do
			python3 "$GEN" acl "$n" /tmp/acl && acl_program "$mode" "$n" || return 1
			sys=("$(l2case lsdp lsdp)" "$(l2case ovs ovs)")
			[ "$n" -gt "$ACL_NFT_MAX" ] || sys+=("$(l2case nft nft)")
			sys+=("$(l2case nftset nftset)")
			for s in $SIZES; do
				compare acl "$mode,rules=$n" "$s" "${sys[@]}" "${DROPS[@]}"
			done
			# Many flows (the largest rule count): lsdp's verdict
			# cache holds 256 and sees ACL_FLOWS keys in turn;
			# conntrack (stateful) an entry per flow in every system.
			if [ "$n" = "$last" ] && [ "$ACL_FLOWS" -gt 0 ]; then
				export LSDP_PG_FLOWS=$ACL_FLOWS
				for s in $SIZES; do
					compare acl "$mode,rules=$n,flows=$ACL_FLOWS" "$s" \
						"${sys[@]}" "${DROPS[@]}"
				done
				unset LSDP_PG_FLOWS
			fi
			# lsdp's classifier alone: its exact-match cache off
			# (variant ",nocache"; lsdp only).
			if [ "$ACL_NOCACHE" = 1 ]; then
				echo 0 >/sys/module/lsdp/parameters/acl_cache || return 1
				for s in $SIZES; do
					compare acl "$mode,rules=$n,nocache" "$s" \
						"$(l2case lsdp lsdp)" "${DROPS[@]}"
				done
				echo 1 >/sys/module/lsdp/parameters/acl_cache
			fi
			acl_hits
		done
	done
}

# Control plane: PORTS ports (MAC + IPv4 each, 25,000 to a switch) and
# PORTS neighbours in one `lsdp -b` each, on a fresh module; the Linux
# counterparts in one `bridge -batch` / `ip -batch` each (fdb entries and
# permanent neighbours).  Routes are measured in route_scale.
scn_control() {
	local before after ms
	lsdp_load && nsadd lsdp || return 1
	python3 "$GEN" macs "$PORTS" >/tmp/macs.list &&
		python3 "$GEN" ports "$PORTS" 25000 >/tmp/ports.batch &&
		python3 "$GEN" neigh "$PORTS" lrp1 >/tmp/neigh.batch || return 1
	before=$(memsnap)
	timed_batch ms $L -n lsdp -b /tmp/ports.batch || return 1
	after=$(memsnap)
	control ports lsdp "$PORTS" "$ms" "$before" "$after"
	lsdp_caches
	# lsdp's neighbour table is bounded (neigh-max); raised as Linux's
	# gc_thresh is below, as anyone with that many neighbours must.
	$L -n lsdp router add lr0 key 100000 &&
		$L -n lsdp port add lr0 lrp1 key 1 mac $R1 net 10.128.0.0/9 &&
		$L -n lsdp hold set neigh-max $((PORTS * 2)) || return 1
	before=$(memsnap)
	timed_batch ms $L -n lsdp -b /tmp/neigh.batch || return 1
	after=$(memsnap)
	control neighbours lsdp "$PORTS" "$ms" "$before" "$after"
	lsdp_caches

	# Linux: fdb entries on a bridge port, permanent neighbours on a
	# device (gc_thresh raised, as anyone with that many neighbours must:
	# permanent entries count against it; the ARP table's thresholds are
	# global, set in the init netns).
	nsadd lx || return 1
	ip -n lx link add br0 type bridge && ip -n lx link add d0 type veth peer name d1 &&
		ip -n lx link set d0 master br0 && ip -n lx link set d0 up &&
		ip -n lx link set d1 up && ip -n lx addr add 10.128.0.1/9 dev d1 &&
		sysctl -qw net.ipv4.neigh.default.gc_thresh3=$((PORTS * 2)) \
			net.ipv4.neigh.default.gc_thresh2=$((PORTS * 2)) || return 1
	sed 's/.*/fdb add & dev d0 master static/' /tmp/macs.list >/tmp/fdb.batch
	before=$(memsnap)
	timed_batch ms bridge -n lx -batch /tmp/fdb.batch || return 1
	after=$(memsnap)
	control ports bridge "$PORTS" "$ms" "$before" "$after"
	sed -e 's/^neigh add lrp1 \([^ ]*\) mac \(.*\)/neigh add \1 lladdr \2 dev d1 nud permanent/' \
		/tmp/neigh.batch >/tmp/ipneigh.batch
	before=$(memsnap)
	timed_batch ms ip -n lx -batch /tmp/ipneigh.batch || return 1
	after=$(memsnap)
	control neighbours linux "$PORTS" "$ms" "$before" "$after"
	[ "$CP_MACS" -gt 0 ] || return 0

	# CP_MACS MAC entries: lsdp remote ports (32,765 to a switch, as in
	# the L2 scale case) against static fdb entries of one bridge, each
	# in one batch on a fresh netns.
	teardown
	lsdp_load && nsadd lsdp && nsadd lx || return 1
	$L -n lsdp chassis add ch2 ip $U2 && $L -n lsdp switch add sw1 key 1 || return 1
	python3 "$GEN" l2scale "$CP_MACS" $KEY_MAX >/tmp/ports.batch 2>/dev/null &&
		python3 "$GEN" macs "$CP_MACS" | sed 's/.*/fdb add & dev d0 master static/' \
			>/tmp/fdb.batch || return 1
	before=$(memsnap)
	timed_batch ms $L -n lsdp -b /tmp/ports.batch || return 1
	after=$(memsnap)
	control "macs-cp" lsdp "$CP_MACS" "$ms" "$before" "$after"
	lsdp_caches
	rm -f /tmp/ports.batch
	ip -n lx link add br0 type bridge && ip -n lx link add d0 type veth peer name d1 &&
		ip -n lx link set d0 master br0 && ip -n lx link set d0 up || return 1
	before=$(memsnap)
	timed_batch ms bridge -n lx -batch /tmp/fdb.batch || return 1
	after=$(memsnap)
	control "macs-cp" bridge "$CP_MACS" "$ms" "$before" "$after"
}

# Memory per object: MEM_N objects of one kind in one batch, each cache's
# growth divided by MEM_N (bench/memobj.py: the slab caches one by one,
# per-CPU and vmalloc memory), after the batch's deferred frees ran.
#   remote-mac  lsdp: a remote port with a MAC (a MAC entry of a switch)
#   vif         lsdp: a VIF port with one MAC and one IPv4 address
#   fdb         bridge: a static fdb entry, the Linux counterpart of both
#   remote-mac-uuid, vif-uuid  the same with names of OVN's shape, 36-
#               character UUIDs (the batches' are "r123"; kmod/port.c keeps
#               a name in one of three sizes)
memobj() { # OBJECT SYSTEM CMD...
	local obj=$1 sys=$2
	shift 2
	sync && echo 3 >/proc/sys/vm/drop_caches && python3 bench/memobj.py snap /tmp/mem0 &&
		"$@" >/dev/null && sleep 2 && sync && echo 3 >/proc/sys/vm/drop_caches &&
		python3 bench/memobj.py snap /tmp/mem1 &&
		python3 bench/memobj.py diff "$obj" "$sys" "$MEM_N" /tmp/mem0 /tmp/mem1
}

# uuidnames BATCH: the batch with every port named by a UUID-shaped string.
uuidnames() {
	awk '$1 == "port" && $2 == "add" { $4 = sprintf("%08x-0000-4000-8000-%012x", NR, NR) } 1' "$1"
}

scn_mem() {
	lsdp_load && nsadd lsdp && nsadd lsdp2 && nsadd lx || return 1
	$L -n lsdp chassis add ch2 ip $U2 && $L -n lsdp switch add sw1 key 1 &&
		$L -n lsdp2 switch add sw0 key 1000 || return 1
	python3 "$GEN" l2scale "$MEM_N" $KEY_MAX >/tmp/remote.batch 2>/dev/null &&
		python3 "$GEN" ports "$MEM_N" $KEY_MAX >/tmp/vif.batch &&
		python3 "$GEN" macs "$MEM_N" | sed 's/.*/fdb add & dev d0 master static/' \
			>/tmp/fdb.batch || return 1
	memobj remote-mac lsdp $L -n lsdp -b /tmp/remote.batch || return 1
	memobj vif lsdp $L -n lsdp2 -b /tmp/vif.batch || return 1
	nsadd lsdp3 && nsadd lsdp4 && $L -n lsdp3 chassis add ch2 ip $U2 &&
		$L -n lsdp3 switch add sw1 key 1 && $L -n lsdp4 switch add sw0 key 1000 || return 1
	uuidnames /tmp/remote.batch >/tmp/remote-uuid.batch &&
		uuidnames /tmp/vif.batch >/tmp/vif-uuid.batch || return 1
	memobj remote-mac-uuid lsdp $L -n lsdp3 -b /tmp/remote-uuid.batch || return 1
	memobj vif-uuid lsdp $L -n lsdp4 -b /tmp/vif-uuid.batch || return 1
	ip -n lx link add br0 type bridge && ip -n lx link add d0 type veth peer name d1 &&
		ip -n lx link set d0 master br0 && ip -n lx link set d0 up || return 1
	memobj fdb bridge bridge -n lx -batch /tmp/fdb.batch || return 1
	lsdp_caches
}

# Hold queue release latency: bench/hold.sh (the router issue's
# benchmark, HOLD_ROUNDS rounds per burst size), its summary lines turned
# into records.
scn_hold() {
	local line
	ROUNDS=$HOLD_ROUNDS bash bench/hold.sh 2>&1 | while IFS= read -r line; do
		echo "# hold: $line" >&2
		if [[ $line =~ ^burst\ ([0-9]+):.*samples:\ median\ ([0-9.]+)\ us,\ p99\ ([0-9.]+)\ us,\ max\ ([0-9.]+)\ us ]]; then
			emit "\"kind\": \"hold\", \"burst\": ${BASH_REMATCH[1]}, \"p50_us\": ${BASH_REMATCH[2]}, \"p99_us\": ${BASH_REMATCH[3]}, \"max_us\": ${BASH_REMATCH[4]}, \"rounds\": $HOLD_ROUNDS, \"text\": $(jstr "$line")"
		fi
	done
}

# OVN chassis convergence, lsdp-agent vs ovn-controller (issue 14 item 9):
# bench/ovn_converge.sh (LSDP_BENCH_OVN_SIZES port counts, default 1 1000
# 10000), its table's rows turned into records.
scn_ovn() {
	local line rc
	SIZES=${LSDP_BENCH_OVN_SIZES:-1 1000 10000} bash bench/ovn_converge.sh 2>&1 |
		while IFS= read -r line; do
			echo "# ovn: $line" >&2
			if [[ $line =~ ^\|\ (lsdp|ovn-controller)\ +\|\ +([0-9]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \|\ +([0-9-]+)\ \| ]]; then
				emit "\"kind\": \"ovn\", \"chassis\": \"${BASH_REMATCH[1]}\", \"ports\": ${BASH_REMATCH[2]}, \"hv_ms\": ${BASH_REMATCH[3]}, \"ping_ms\": ${BASH_REMATCH[4]}, \"sb_ms\": ${BASH_REMATCH[5]}, \"rss_kb\": ${BASH_REMATCH[7]}, \"cpu_ms\": ${BASH_REMATCH[8]}, \"slab_kb\": ${BASH_REMATCH[9]}"
			fi
		done
	rc=${PIPESTATUS[0]}
	return "$rc"
}

# Where the time goes: perf profiles of the cases where lsdp is not ahead
# (autoprofile, called by compare in bench/lib.sh after every comparison).
# perf samples cpu-clock, a timer, because a TCG guest has no PMU; under
# icount that timer runs on guest time, i.e. instructions, so a profile is
# a deterministic instruction profile: a sample every PERF_FREQ-th of a
# guest second (10,000 Hz under icount: every 100,000 instructions; 1,000
# Hz under the wall clock).  With one vCPU and "-a" every sample is of the
# path under test, pktgen or idle.  Only the samples of the threads that
# carry the packets count (PERF_COMMS: pktgen's kernel thread, where
# netif_receive runs the whole path, and ksoftirqd for what a backlog
# defers): the shells and tools that start and read a run would otherwise
# outweigh it, and so would idle time.  Emits one "profile" record per
# system: those samples, the share of each object (kernel, lsdp, geneve,
# openvswitch) and the hottest symbols, lsdp's functions named as such.
#
#   LSDP_BENCH_PROFILE          auto (default), all, none, only
#   LSDP_BENCH_PROFILE_BELOW    auto profiles a case when lsdp's median is
#                               below this times a baseline's (1: lsdp not
#                               ahead; 1.5 for every row below issue 17's
#                               OVS target), with lsdp and that baseline
#   LSDP_BENCH_PROFILE_PACKETS  packets per profiled run (icount 10000,
#                               wall 30000)
PROFILE_PKTS=${LSDP_BENCH_PROFILE_PACKETS:-$([ "$CLOCK" = icount ] && echo 10000 || echo 30000)}
PERF_COMMS=kpktgend_0,ksoftirqd/0
PERF_FREQ=1000
[ "$CLOCK" = icount ] && PERF_FREQ=10000
declare -A PROFILED=()

# perf_agg FILE dso|sym N: the samples of PERF_COMMS in FILE, perf's
# report (perf report --sort comm,dso,sym, made once per profile: a perf
# report costs the guest seconds), summed by object (dso) or by object and
# symbol (sym), the N largest as "SAMPLES|PCT|DSO[|SYM]" lines.  perf's own
# --comms filter loses entries when the sort keys leave out the comm, so
# the report is sorted by comm too and filtered and summed here.
perf_agg() {
	awk -F'|' -v comms="$PERF_COMMS" -v key="$2" '
		function trim(x) { gsub(/^[ \t]+|[ \t]+$/, "", x); gsub(/"/, "", x); return x }
		# Where perf resolved nothing (Debian 12 perf, 6.1, on the 6.12
		# guest prints bare addresses), the text symbol at or below the
		# address in kallsyms, sorted: 16 hex digits compare as strings.
		function resolve(h,   lo, hi, mid) {
			h = tolower(substr(h, 3)); while (length(h) < 16) h = "0" h
			lo = 1; hi = na
			if (!na || h < A[1]) return 0
			while (lo < hi) {
				mid = int((lo + hi + 1) / 2)
				if (A[mid] <= h) lo = mid; else hi = mid - 1
			}
			return lo
		}
		BEGIN {
			n = split(comms, c, ","); for (i = 1; i <= n; i++) want[c[i]] = 1
			# perf finds no .ko for insmod-ed or 9p modules and puts
			# their symbols under the kernel; kallsyms says whose.
			while (("sort /proc/kallsyms" | getline l) > 0) {
				if (split(l, f, /[ \t]+/) < 3 || f[2] !~ /^[tTwW]$/) continue
				A[++na] = f[1] ""; S[na] = f[3]; M[na] = (4 in f) ? f[4] : ""
				if (M[na] != "") mod[f[3]] = f[4]
			}
		}
		$1 ~ /%/ && (trim($3) in want) {
			y = trim($5); sub(/^\[[.k]\] /, "", y)
			k = trim($4)
			if (y ~ /^0x[0-9a-fA-F]+$/ && (i = resolve(y))) {
				y = S[i]
				if (M[i] != "") k = M[i]
			}
			if (k == "[kernel.kallsyms]")
				k = (y in mod) ? mod[y] : "[kernel]"
			if (key == "sym")
				k = k "|" y
			s[k] += trim($2); t += trim($2)
		}
		END { for (k in s) printf "%d|%.2f|%s\n", s[k], 100 * s[k] / t, k }' "$1" |
		sort -t'|' -k1,1nr | head -n "$3"
}

# perf_json FILE dso|sym N: perf_agg's lines as JSON objects
# {"pct", "samples", "dso"[, "sym"]}, comma separated.
perf_json() {
	perf_agg "$@" | awk -F'|' '{
		o = sprintf("{\"pct\": %s, \"samples\": %d, \"dso\": \"%s\"", $2, $1, $3)
		if (NF >= 4)
			o = o sprintf(", \"sym\": \"%s\"", $4)
		printf "%s%s}", (NR > 1 ? ", " : ""), o
	}'
}

# profile SCENARIO VARIANT SIZE CASE: one run of CASE (PROFILE_PKTS frames
# of SIZE, after a warm-up) under perf record.
profile() {
	local scen=$1 var=$2 size=$3 out total
	command -v perf >/dev/null || { echo "# profile: perf not found (linux-perf)" >&2; return 1; }
	# shellcheck disable=SC2086 # a case is its words
	set -- $4
	inns "$2" pg_setup 0 "" "$3" "$4" "$5" "$6" "$7" "$size" $WARM_COUNT &&
		inns "$2" pg_run 0 "$8" "$9" "$3" >/dev/null &&
		inns "$2" pg_setup 0 "" "$3" "$4" "$5" "$6" "$7" "$size" "$PROFILE_PKTS" || return 1
	# -N: no build-id cache (the root file system is read-only); -B: no
	# build-id pass over the samples after the run (a minute of TCG).
	out=$(HOME=/tmp perf record -q -N -B -a -e cpu-clock -F $PERF_FREQ -o /tmp/perf.data -- \
		bash -c '. bench/lib.sh && inns "$@"' _ "$2" pg_run 0 "$8" "$9" "$3") || return 1
	perf report -i /tmp/perf.data --stdio -q -n --no-children --sort comm,dso,sym -t '|' \
		>/tmp/perf.txt 2>/dev/null
	total=$(perf_agg /tmp/perf.txt dso 100 | awk -F'|' '{ t += $1 } END { print t + 0 }')
	echo "# profile $scen/$1/$var/$size: $out (delivered, pps), $total samples at $PERF_FREQ Hz ($CLOCK clock) in $PERF_COMMS" >&2
	perf_agg /tmp/perf.txt sym 25 | sed "s/^/# profile $1: /" >&2
	emit "\"kind\": \"profile\", \"clock\": \"$CLOCK\", \"freq\": $PERF_FREQ, \"scenario\": $(jstr "$scen"), \"system\": $(jstr "$1"), \"variant\": $(jstr "$var"), \"size\": $size, \"packets\": ${out% *}, \"pps\": ${out#* }, \"samples\": $total, \"comms\": $(jstr "$PERF_COMMS"), \"dsos\": [$(perf_json /tmp/perf.txt dso 6)], \"syms\": [$(perf_json /tmp/perf.txt sym 15)]"
	rm -f /tmp/perf.data /tmp/perf.txt
}

# autoprofile SCENARIO VARIANT SIZE CASE...: after a comparison, profile
# lsdp's case and every baseline's that lsdp is not ahead of (the medians
# compare's records left in BENCH_MEDIAN), each system once per
# scenario/variant/size; with LSDP_BENCH_PROFILE=all or only, every case.
autoprofile() {
	local scen=$1 var=$2 size=$3 c sys want=() me mine='' b below=${LSDP_BENCH_PROFILE_BELOW:-1}
	shift 3
	case ${LSDP_BENCH_PROFILE:-auto} in
	none) return 0 ;;
	all | only)
		for c in "$@"; do
			[ "${c%% *}" = drop ] || want+=("$c")
		done ;;
	*)
		me=${BENCH_MEDIAN[$scen/lsdp/$var/$size]:-}
		[ -n "$me" ] || return 0
		for c in "$@"; do
			sys=${c%% *}
			[ "$sys" = lsdp ] && mine=$c
			[ "$sys" = lsdp ] || [ "$sys" = drop ] && continue
			b=${BENCH_MEDIAN[$scen/$sys/$var/$size]:-}
			[ -n "$b" ] || continue
			awk -v a="$me" -v b="$b" -v t="$below" 'BEGIN { exit !(a < t * b) }' &&
				want+=("$c")
		done
		[ ${#want[@]} -gt 0 ] && want=("$mine" "${want[@]}") ;;
	esac
	[ ${#want[@]} -gt 0 ] || return 0
	sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1 \
		kernel.perf_cpu_time_max_percent=0
	for c in "${want[@]}"; do
		sys=${c%% *}
		[ -z "${PROFILED[$scen/$sys/$var/$size]:-}" ] || continue
		PROFILED[$scen/$sys/$var/$size]=1
		profile "$scen" "$var" "$size" "$c" ||
			echo "# profile $scen/$sys/$var/$size: FAILED" >&2
	done
}

# ---------------------------------------------------------------- main

# bench/profile.sh reuses the topologies above without running anything.
[ -n "${LSDP_BENCH_SOURCE_ONLY:-}" ] && return 0

modprobe -a veth geneve pktgen sch_ingress cls_matchall act_gact openvswitch bridge || exit 1
teardown

emit "\"kind\": \"meta\", \"clock\": \"$CLOCK\", \"max_runs\": $MAX_RUNS, \"spread_window\": $RUNS, \"spread_target_pct\": $SPREAD, \"scenarios\": $(jstr "${LSDP_BENCH_ONLY:-$SCENARIOS}"), \"kernel\": $(jstr "$(uname -r)"), \"guest_cpu\": $(jstr "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"), \"vcpus\": $(nproc), \"mem_kb\": $(awk '/^MemTotal:/ {print $2}' /proc/meminfo), \"date\": $(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)"), \"runs\": $RUNS, \"secs\": $SECS, \"macs\": $MACS, \"routes\": $ROUTES, \"ports\": $PORTS, \"ovs\": $(jstr "$(ovs-vswitchd --version 2>/dev/null | head -n1)"), \"cmdline\": $(jstr "$(cat /proc/cmdline)")"

rc=0
for scn in ${LSDP_BENCH_ONLY:-$SCENARIOS}; do
	t0=$(date +%s)
	echo "# ==== $scn" >&2
	(
		# A subshell: a scenario that fails half way leaves nothing
		# behind that teardown does not remove.
		"scn_$scn"
	) || {
		echo "# ==== $scn: FAILED" >&2
		emit "\"kind\": \"error\", \"scenario\": $(jstr "$scn")"
		rc=1
	}
	teardown
	rm -f /tmp/*.batch /tmp/*.list
	emit "\"kind\": \"time\", \"clock\": \"$CLOCK\", \"scenario\": $(jstr "$scn"), \"secs\": $(($(date +%s) - t0))"
done
exit $rc
