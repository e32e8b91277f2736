#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing (issue 13, item 4): a generic netlink fuzzer and a frame fuzzer
# against the real module, with traffic flowing, then: no splat, the
# module still forwards, dumps answer, every object deletes, rmmod is
# clean and slab is back to its baseline.
#
#   LSDP_FUZZ_N       inputs of each fuzzer (default 10000; make fuzz: 1000000)
#   LSDP_FUZZ_NL_N    ... of the netlink fuzzer only (default LSDP_FUZZ_N)
#   LSDP_FUZZ_FRAMES_N ... of the frame fuzzer only (default LSDP_FUZZ_N)
#   LSDP_FUZZ_SEED    seed of both (default: random, printed); the inputs
#                     are a function of the seed alone (fuzz_genl.py and
#                     fuzz_frames.py --show I print input I)
#
# 1. Netlink (selftests/fuzz_genl.py) in netns nlf: mostly well-formed
#    requests over small pools, so that datapaths, ports, chassis, routes
#    and neighbours are created, bound to the netns' veths and dummies,
#    rebound and deleted in random orders, plus mutated ones; meanwhile
#    two hosts (nfa, nfb) behind veths nfa-tap/nfb-tap ping each other and
#    a router address from the fuzzer's pools, so bound ports carry
#    traffic.  Every error must carry extack, no request may go
#    unanswered.
# 2. Frames (selftests/fuzz_frames.py) into a fixed topology on chassis
#    ffh1, with chassis ffh2 on the other end of the underlay u1--u2:
#
#      sw1 (1):  vm1 (ffv1, tap1, port security)  vm2 (ffv2, tap2, security)
#                vm3 (on ffh2: ffv3, tap3)  vmt (ffvt, tapt: trunk parent)
#                sw1-lr (router, lr-sw1)
#      sw2 (2):  c1 (vmt tag 30)  c2 (vmt tag 31, security)  sw2-lr
#      pub (20): provnet (localnet, vlan 100, dev pv1 to ffp's pv0)  pub-lr
#      lr (10):  lr-sw1 10.0.1.254/24 fd00:1::fe/64, lr-sw2 10.0.2.254/24
#                fd00:2::fe/64, lr-pub 10.100.0.254/24; 10.200.0.0/16
#                via the provider host 10.100.0.1
#
#    Frames come from vm1 (port security), from the trunk (tags 30 and
#    31, untagged, stray tags), from the provider network (vlan 100 and
#    others) and as Geneve datagrams from ffh2's side of the underlay,
#    while vm1 pings vm2 (L2), vm3 (Geneve) and the provider host
#    (router, localnet) and vm2 pings c1 (router, trunk child).
. "$(dirname "$0")/lib.sh"

lsdp_require
modprobe -a geneve dummy 8021q 2>/dev/null

N=${LSDP_FUZZ_N:-10000}
NL_N=${LSDP_FUZZ_NL_N:-$N}
FR_N=${LSDP_FUZZ_FRAMES_N:-$N}
SEED=${LSDP_FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) ))}
PROGRESS=$(( N >= 100000 ? 50000 : 0 ))
# Growth of kmalloc + per-CPU memory from before the module was loaded to
# after it was unloaded, everything it was given deleted.  What the kernel
# itself keeps from a dozen network namespaces and a few hundred processes
# is well below this; a leak of one small object per fuzz input is far
# above it at the default count.
SLAB_SLACK=${LSDP_FUZZ_SLAB_SLACK:-1048576}

diag "seed $SEED (LSDP_FUZZ_SEED=$SEED replays it): $NL_N netlink inputs, $FR_N frames"

L() { # NS ARGS...: the CLI in netns NS
	local ns=$1
	shift
	"$LSDP" -n "$ns" "$@"
}

BG_PIDS=()
bg_ping() { # NS DST FILE
	ip netns exec "$1" ping -n -i 0.05 -W 1 -w 86400 "$2" >"$3" 2>&1 &
	BG_PIDS+=("$!")
}
bg_stop_all() {
	local p
	for p in "${BG_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	BG_PIDS=()
}
# ping_stats FILE: "received/transmitted" of a finished ping.
ping_stats() {
	sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2\/\1/p' "$1"
}

# live FILE: a fuzzer's output into FILE; its progress lines (long runs)
# also on stdout at once, as TAP diagnostics.
PROGRESS_RE='^fuzz_[a-z]*: [0-9]* inputs, '
live() {
	tee "$1" | grep --line-buffered -e "$PROGRESS_RE" | sed -u 's/^/# progress: /'
}

cleanup() {
	bg_stop_all
	lsdp_cleanup
}

# --- memory ------------------------------------------------------------------

kmalloc_bytes() { # active kmalloc objects + per-CPU allocations
	awk '$1 ~ /^kmalloc-/ { s += $2 * $4 } END { printf "%d\n", s }' /proc/slabinfo |
		{ read -r k; echo $(( k + $(awk '/^Percpu:/ { print $2 * 1024 }' /proc/meminfo) )); }
}
# kmalloc_caches: "name active_objs objsize" of every kmalloc cache.
kmalloc_caches() { awk '$1 ~ /^kmalloc-/ { print $1, $2, $4 }' /proc/slabinfo; }
# (ports come from one cache per name size; L2 entries are in kmalloc-32,
# which kmalloc_bytes covers)
lsdp_objs() { # active objects in lsdp's own caches
	local c n=0
	for c in lsdp_port lsdp_port_n40 lsdp_port_n64; do
		echo 1 >"/sys/kernel/slab/$c/shrink" 2>/dev/null
		n=$((n + $(slab_cache_objs $c)))
	done
	echo "$n"
}
# lsdp_objs_zero: wait (up to 10 s: frees wait for RCU grace periods) until
# lsdp's caches hold no object; print the count.
lsdp_objs_zero() {
	local i n
	for i in $(seq 1 20); do
		n=$(lsdp_objs)
		[ "$n" -eq 0 ] && break
		sleep 0.5
	done
	echo "$n"
}
# Deleted network namespaces are freed by a workqueue: wait until as many
# are left as at the baseline.
wait_netns_freed() {
	local i
	for i in $(seq 1 20); do
		echo 1 >/sys/kernel/slab/net_namespace/shrink 2>/dev/null
		[ "$(slab_cache_objs net_namespace)" -le "$1" ] && return 0
		sleep 1
	done
	return 1
}

# --- 1. the netlink fuzzer -----------------------------------------------------

HA=02:00:00:00:00:0a HB=02:00:00:00:00:0b

# nsb NS: run the ip commands on stdin in netns NS (one process).
nsb() { ip -n "$1" -batch -; }

# vnic NS MAC ADDR GW [IP=MAC...]: eth0 of NS (a VM's vNIC) given MAC and
# ADDR and up, a default route via GW ("-": none), and each IP a permanent
# neighbour at MAC.
vnic() {
	local ns=$1 mac=$2 addr=$3 gw=$4 n

	shift 4
	{
		echo "link set eth0 address $mac"
		echo "addr add $addr dev eth0"
		echo "link set eth0 up"
		[ "$gw" = - ] || echo "route add default via $gw"
		for n in "$@"; do
			echo "neigh replace ${n%%=*} lladdr ${n#*=} dev eth0 nud permanent"
		done
	} | nsb "$ns"
}

nl_setup() {
	ns_create nlf nfa nfb || return 1
	ip -batch - <<-EOF || return 1
		link add nfa-tap netns nlf type veth peer name eth0 netns nfa
		link add nfb-tap netns nlf type veth peer name eth0 netns nfb
	EOF
	ip netns exec nlf sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	nsb nlf <<-EOF || return 1
		link add fd0 type dummy
		link add fd1 type dummy
		link set nfa-tap up
		link set nfb-tap up
		link set fd0 up
		link set fd1 up
		addr add 192.0.2.1/24 dev fd0
	EOF
	# Static neighbours: the hosts send unicast at the ping rate whether
	# or not the fuzzer's ports answer ARP (02:00:00:00:00:0c is in the
	# fuzzer's MAC pool, for router ports too).
	vnic nfa "$HA" 10.0.0.1/24 - 10.0.0.2="$HB" || return 1
	vnic nfb "$HB" 10.0.0.2/24 10.0.0.254 10.0.0.1="$HA" \
		10.0.0.254=02:00:00:00:00:0c || return 1
}

test_netlink() {
	local out rc
	nl_setup || { fail "netlink fuzzer setup"; return 1; }
	bg_ping nfa 10.0.0.2 /tmp/fuzz-ping-nfa
	bg_ping nfb 10.0.0.254 /tmp/fuzz-ping-nfb
	ip netns exec nlf "$PYTHON" "$SELFTESTS/fuzz_genl.py" --seed "$SEED" --n "$NL_N" \
		--dev nfa-tap --dev nfb-tap --dev fd0 --dev fd1 --mac $HA --mac $HB \
		--home nfa-tap,$HA,10.0.0.1 --home nfb-tap,$HB,10.0.0.2 \
		--progress "$PROGRESS" --top "${LSDP_FUZZ_TOP:-12}" 2>&1 | live /tmp/fuzz-genl.out
	rc=${PIPESTATUS[0]}
	out=$(grep -v "$PROGRESS_RE" /tmp/fuzz-genl.out)
	bg_stop_all
	diag_output "$out"
	diag "pings while fuzzing: nfa->nfb $(ping_stats /tmp/fuzz-ping-nfa), nfb->10.0.0.254 $(ping_stats /tmp/fuzz-ping-nfb)"
	[ $rc -eq 0 ] || fail "fuzz_genl.py exited $rc (seed $SEED)"
	printf '%s\n' "$out" | grep -q "^fuzz_genl: seed $SEED: $NL_N inputs" ||
		fail "fuzz_genl.py did not run all $NL_N inputs"
}

test_netlink_after() {
	local out
	out=$(ip netns exec nlf "$PYTHON" "$SELFTESTS/fuzz_genl.py" --cleanup 2>&1) ||
		fail "dumps and deletion after the fuzzer"
	diag_output "$out"
	check_eq "'port show' empty after deleting everything" "[]" "$(L nlf -j port show)"
	# A known configuration on the same netdevs still forwards.
	L nlf -b - <<-EOF || fail "configuring the fuzzed instance"
		switch add t key 100
		port add t ta key 1 mac $HA ip 10.0.0.1 security dev nfa-tap
		port add t tb key 2 mac $HB ip 10.0.0.2 security dev nfb-tap
	EOF
	check_ok "nfa pings nfb through the fuzzed instance" ping_ok nfa 10.0.0.2 3
	check_ok "switch del" L nlf switch del t
	check_eq "objects in lsdp's caches after deleting everything" 0 "$(lsdp_objs_zero)"
	ip netns del nfa; ip netns del nfb; ip netns del nlf
}

# --- 2. the frame fuzzer ---------------------------------------------------------

M1=02:00:00:00:01:01 M2=02:00:00:00:01:02 M3=02:00:00:00:01:03 MT=02:00:00:00:01:05
MC1=02:00:00:00:02:01 MC2=02:00:00:00:02:02 MP=02:00:00:00:64:01
R1=02:00:00:00:fe:01 R2=02:00:00:00:fe:02 R3=02:00:00:00:fe:03
CONFIG=/tmp/lsdp-fuzz-frames.json

fr_setup() {
	ns_create ffh1 ffh2 ffv1 ffv2 ffv3 ffvt ffp || return 1
	ip -batch - <<-EOF || return 1
		link add u1 netns ffh1 type veth peer name u2 netns ffh2
		link add tap1 netns ffh1 type veth peer name eth0 netns ffv1
		link add tap2 netns ffh1 type veth peer name eth0 netns ffv2
		link add tap3 netns ffh2 type veth peer name eth0 netns ffv3
		link add tapt netns ffh1 type veth peer name eth0 netns ffvt
		link add pv1 netns ffh1 type veth peer name pv0 netns ffp
	EOF
	# IPv6 only in vm1; no chatter from the chassis' own ends.
	for ns in ffh1 ffh2 ffv2 ffv3 ffvt ffp; do
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	ip netns exec ffv1 sysctl -qw net.ipv6.conf.eth0.accept_dad=0 \
		net.ipv6.conf.eth0.router_solicitations=0
	# Static neighbours, so that no fuzzed ARP can mislead the hosts
	# whose pings are checked.
	nsb ffh1 <<-EOF || return 1
		addr add 192.0.2.1/24 dev u1
		link set u1 up
		link set tap1 up
		link set tap2 up
		link set tapt up
		link set pv1 up
	EOF
	nsb ffh2 <<-EOF || return 1
		addr add 192.0.2.2/24 dev u2
		link set u2 up
		link set tap3 up
	EOF
	vnic ffv1 "$M1" 10.0.1.1/24 10.0.1.254 10.0.1.2="$M2" 10.0.1.3="$M3" \
		10.0.1.254="$R1" || return 1
	ip -n ffv1 addr add fd00:1::1/64 dev eth0 nodad || return 1
	vnic ffv2 "$M2" 10.0.1.2/24 10.0.1.254 10.0.1.1="$M1" 10.0.1.254="$R1" || return 1
	vnic ffv3 "$M3" 10.0.1.3/24 - 10.0.1.1="$M1" || return 1
	vnic ffvt "$MT" 10.0.1.5/24 - || return 1
	nsb ffvt <<-EOF || return 1
		link add link eth0 name eth0.30 type vlan id 30
		link set eth0.30 address $MC1
		addr add 10.0.2.1/24 dev eth0.30
		link set eth0.30 up
		route add default via 10.0.2.254
		neigh replace 10.0.2.254 lladdr $R2 dev eth0.30 nud permanent
	EOF
	nsb ffp <<-EOF || return 1
		link set pv0 up
		link add link pv0 name pv0.100 type vlan id 100
		link set pv0.100 address $MP
		addr add 10.100.0.1/24 dev pv0.100
		link set pv0.100 up
		route add 10.0.0.0/8 via 10.100.0.254
		neigh replace 10.100.0.254 lladdr $R3 dev pv0.100 nud permanent
	EOF

	L ffh1 -b - <<-EOF || return 1
		encap set local 192.0.2.1
		chassis add ffh2 ip 192.0.2.2
		switch add sw1 key 1
		switch add sw2 key 2
		switch add pub key 20
		router add lr key 10
		port add sw1 vm1 key 1 mac $M1 ip 10.0.1.1 ip fd00:1::1 security dev tap1
		port add sw1 vm2 key 2 mac $M2 ip 10.0.1.2 security dev tap2
		port add sw1 vm3 key 3 mac $M3 ip 10.0.1.3 chassis ffh2
		port add sw1 vmt key 5 mac $MT ip 10.0.1.5 dev tapt
		port add lr lr-sw1 key 1 mac $R1 net 10.0.1.254/24 net fd00:1::fe/64
		port add lr lr-sw2 key 2 mac $R2 net 10.0.2.254/24 net fd00:2::fe/64
		port add lr lr-pub key 3 mac $R3 net 10.100.0.254/24
		port add sw1 sw1-lr key 4 type router peer lr-sw1
		port add sw2 c1 key 1 mac $MC1 ip 10.0.2.1 parent vmt tag 30
		port add sw2 c2 key 2 mac $MC2 ip 10.0.2.2 security parent vmt tag 31
		port add sw2 sw2-lr key 3 type router peer lr-sw2
		port add pub pub-lr key 1 type router peer lr-pub
		port add pub provnet key 2 type localnet unknown dev pv1 vlan 100
		route add lr 10.200.0.0/16 via 10.100.0.1 port lr-pub
	EOF
	L ffh2 -b - <<-EOF || return 1
		encap set local 192.0.2.2
		chassis add ffh1 ip 192.0.2.1
		switch add sw1 key 1
		port add sw1 vm3 key 3 mac $M3 ip 10.0.1.3 security dev tap3
		port add sw1 vm1 key 1 mac $M1 ip 10.0.1.1 ip fd00:1::1 chassis ffh1
		port add sw1 vm2 key 2 mac $M2 ip 10.0.1.2 chassis ffh1
	EOF

	local u1mac u2mac
	u1mac=$(ip -n ffh1 -j link show u1 | jq -r '.[0].address')
	u2mac=$(ip -n ffh2 -j link show u2 | jq -r '.[0].address')
	# Spoofed sources on ports without port security stay off the
	# addresses of the hosts whose traffic is checked (.1-.9).
	cat >"$CONFIG" <<-EOF
	{"sources": [
	 {"name": "vif", "kind": "l2", "netns": "ffv1", "dev": "eth0", "weight": 30,
	  "segments": [{"vlan": null, "src_macs": ["$M1"], "src4": ["10.0.1.1"],
	    "src6": ["fd00:1::1", "fe80::1"], "dst_macs": ["$M2", "$M3", "$MT"],
	    "router_mac": "$R1", "router4": "10.0.1.254", "router6": "fd00:1::fe",
	    "near4": ["10.0.1.2", "10.0.1.3", "10.0.1.50", "10.0.1.51"],
	    "near6": ["fd00:1::2", "fd00:1::50"],
	    "far4": ["10.0.2.1", "10.0.2.2", "10.0.2.60", "10.0.2.61", "10.100.0.1",
	             "10.100.0.70", "10.200.1.1", "8.8.8.8"],
	    "far6": ["fd00:2::60", "fd00:2::61", "2001:db8:99::1"]}]},
	 {"name": "trunk", "kind": "l2", "netns": "ffvt", "dev": "eth0", "weight": 25,
	  "segments": [
	   {"vlan": 30, "src_macs": ["$MC1", "02:00:00:00:02:31"],
	    "src4": ["10.0.2.30", "10.0.2.31", "10.0.2.60"], "src6": ["fd00:2::30", "fe80::230"],
	    "dst_macs": ["$MC2"], "router_mac": "$R2", "router4": "10.0.2.254",
	    "router6": "fd00:2::fe", "near4": ["10.0.2.2", "10.0.2.61"],
	    "near6": ["fd00:2::61"], "far4": ["10.0.1.1", "10.0.1.52", "10.100.0.1", "10.200.2.2"],
	    "far6": ["fd00:1::1", "fd00:1::52"]},
	   {"vlan": 31, "src_macs": ["$MC2"], "src4": ["10.0.2.2"], "src6": ["fe80::2"],
	    "dst_macs": ["$MC1"], "router_mac": "$R2", "router4": "10.0.2.254",
	    "router6": "fd00:2::fe", "near4": ["10.0.2.62"], "far4": ["10.0.1.1", "10.0.1.53"]},
	   {"vlan": null, "src_macs": ["$MT"], "src4": ["10.0.1.5", "10.0.1.40", "10.0.1.41"],
	    "src6": ["fd00:1::40"], "dst_macs": ["$M1", "$M2", "$M3"], "router_mac": "$R1",
	    "router4": "10.0.1.254", "router6": "fd00:1::fe", "near4": ["10.0.1.54"],
	    "far4": ["10.0.2.63", "10.100.0.1"]},
	   {"vlan": 99, "src_macs": ["$MT"], "src4": ["10.0.1.5"], "dst_macs": ["$M1"],
	    "router_mac": "$R2", "router4": "10.0.2.254"}]},
	 {"name": "localnet", "kind": "l2", "netns": "ffp", "dev": "pv0", "weight": 20,
	  "segments": [
	   {"vlan": 100, "src_macs": ["02:00:00:00:64:10", "02:00:00:00:64:11", "$M2"],
	    "src4": ["10.100.0.10", "10.100.0.11", "10.100.0.70"], "src6": ["fe80::6410"],
	    "dst_macs": ["$M1", "$MP"], "router_mac": "$R3", "router4": "10.100.0.254",
	    "near4": ["10.100.0.71", "10.100.0.1"],
	    "far4": ["10.0.1.1", "10.0.2.1", "10.0.2.64", "10.200.3.3"]},
	   {"vlan": null, "src_macs": ["02:00:00:00:64:12"], "src4": ["10.100.0.12"],
	    "dst_macs": ["$M1"], "router_mac": "$R3", "router4": "10.100.0.254"},
	   {"vlan": 200, "src_macs": ["02:00:00:00:64:13"], "src4": ["10.100.0.13"],
	    "router_mac": "$R3", "router4": "10.100.0.254"}]},
	 {"name": "geneve", "kind": "geneve", "netns": "ffh2", "dev": "u2", "weight": 25,
	  "outer": {"src_mac": "$u2mac", "dst_mac": "$u1mac", "sip": "192.0.2.2", "dip": "192.0.2.1"},
	  "vnis": [1, 1, 1, 2, 10, 20, 7], "keys": [1, 2, 3, 4, 5, 32768, 32769, 0, 6, 100],
	  "segments": [{"vlan": null, "src_macs": ["$M3", "02:00:00:00:01:60"],
	    "src4": ["10.0.1.60", "10.0.1.61"], "src6": ["fd00:1::60"],
	    "dst_macs": ["$M1", "$M2", "$MT", "$MC1"], "router_mac": "$R1",
	    "router4": "10.0.1.254", "router6": "fd00:1::fe", "near4": ["10.0.1.1", "10.0.1.55"],
	    "far4": ["10.0.2.1", "10.0.2.65"]}]}
	]}
	EOF
}

test_frames() {
	local out rc
	fr_setup || { fail "frame fuzzer setup"; return 1; }
	check_ok "before: vm1 pings vm2" ping_ok ffv1 10.0.1.2 2
	check_ok "before: vm1 pings vm3 over Geneve" ping_ok ffv1 10.0.1.3 2
	check_ok "before: vm2 pings c1 through the router" ping_ok ffv2 10.0.2.1 2
	check_ok "before: vm1 pings the provider host" ping_ok ffv1 10.100.0.1 2
	bg_ping ffv1 10.0.1.2 /tmp/fuzz-ping-l2
	bg_ping ffv1 10.0.1.3 /tmp/fuzz-ping-gnv
	bg_ping ffv2 10.0.2.1 /tmp/fuzz-ping-trunk
	bg_ping ffv1 10.100.0.1 /tmp/fuzz-ping-ln
	"$PYTHON" "$SELFTESTS/fuzz_frames.py" --config "$CONFIG" --seed "$SEED" \
		--n "$FR_N" --progress "$PROGRESS" 2>&1 | live /tmp/fuzz-frames.out
	rc=${PIPESTATUS[0]}
	out=$(grep -v "$PROGRESS_RE" /tmp/fuzz-frames.out)
	bg_stop_all
	diag_output "$out"
	[ $rc -eq 0 ] || fail "fuzz_frames.py exited $rc (seed $SEED)"
	printf '%s\n' "$out" | grep -q "^fuzz_frames: seed $SEED: $FR_N inputs" ||
		fail "fuzz_frames.py did not run all $FR_N inputs"
	diag "pings while fuzzing (received/sent): vm1->vm2 $(ping_stats /tmp/fuzz-ping-l2)," \
		"vm1->vm3 $(ping_stats /tmp/fuzz-ping-gnv), vm2->c1 $(ping_stats /tmp/fuzz-ping-trunk)," \
		"vm1->provider $(ping_stats /tmp/fuzz-ping-ln)"
	# The fuzzer cannot mislead these two paths (port security, static
	# neighbours, no learning on a switch): they must have kept working.
	check_ge "replies vm1->vm2 while fuzzing" 1 "$(ping_stats /tmp/fuzz-ping-l2 | cut -d/ -f1)"
	check_ge "replies vm1->vm3 while fuzzing" 1 "$(ping_stats /tmp/fuzz-ping-gnv | cut -d/ -f1)"
}

test_frames_after() {
	local stats encap v
	for o in switch router port chassis route neigh hold; do
		lsdp_json -n ffh1 $o show >/dev/null || fail "dump '$o show' after the fuzzer"
	done
	stats=$(lsdp_json -n ffh1 stats show) || fail "dump 'stats show' after the fuzzer"
	encap=$(lsdp_json -n ffh1 encap show) || fail "dump 'encap show' after the fuzzer"
	diag_output "$(L ffh1 stats show)"
	diag_output "$(L ffh1 encap show)"
	# The fuzzed frames reached lsdp on every path.
	read -r -a v <<<"$(jq -n -r --argjson s "$stats" --argjson e "$encap" '
		def port($p): ($s | map(select(.port == $p)) | first);
		[ (port("vm1").drops | [.[]] | add // 0),
		  (port("c1").rx_packets // 0),
		  (port("provnet").rx_packets // 0),
		  ($e.rx_packets // 0),
		  ($e.drops // {} | [.[]] | add // 0) ] | @tsv')"
	check_ge "vm1 (port security): drops" 1 "${v[0]}"
	check_ge "c1 (trunk child): frames received" 1 "${v[1]}"
	check_ge "provnet (localnet): frames received" 1 "${v[2]}"
	check_ge "tunnel: frames received" 1 "${v[3]}"
	check_ge "tunnel: drops of malformed Geneve" 1 "${v[4]}"
	# Forget what the fuzzer taught the router, then every path forwards.
	check_ok "neigh flush" L ffh1 neigh flush
	check_ok "after: vm1 pings vm2" ping_ok ffv1 10.0.1.2 3
	check_ok "after: vm1 pings vm3 over Geneve" ping_ok ffv1 10.0.1.3 3
	check_ok "after: vm2 pings c1 through the router" ping_ok ffv2 10.0.2.1 3
	check_ok "after: vm1 pings the provider host" ping_ok ffv1 10.100.0.1 3
}

# --- 3. teardown ---------------------------------------------------------------

test_teardown() {
	local ns out after
	for ns in ffh1 ffh2; do
		out=$(ip netns exec $ns "$PYTHON" "$SELFTESTS/fuzz_genl.py" --cleanup 2>&1) ||
			fail "dumps and deletion in $ns"
		diag_output "$out"
	done
	check_eq "objects in lsdp's caches after deleting everything" 0 "$(lsdp_objs_zero)"
	for ns in "${NETNS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null; done
	NETNS_LIST=()
	check_ok "rmmod lsdp" lsdp_unload
	check_eq "no lsdp slab cache left" "" "$(ls /sys/kernel/slab 2>/dev/null | grep -i lsdp)"
	# Deleted namespaces are freed by a workqueue, after RCU grace
	# periods: wait for them before measuring.
	wait_netns_freed "$BASE_NETNS" ||
		diag "network namespaces: $BASE_NETNS at the baseline, $(slab_cache_objs net_namespace) now"
	slab_settle
	after=$(kmalloc_bytes)
	diag "kmalloc+percpu: $BASE_KMALLOC bytes before lsdp was loaded, $after after rmmod" \
		"(delta $((after - BASE_KMALLOC)), allowed $SLAB_SLACK)"
	if ! check_le "kmalloc+percpu growth over the run (bytes)" "$SLAB_SLACK" $((after - BASE_KMALLOC)); then
		diag "kmalloc caches that grew (name objects-before objects-after):"
		diag_output "$(join <(sort <<<"$BASE_CACHES") <(kmalloc_caches | sort) |
			awk '$4 > $2 { print $1, $2, $4 }')"
	fi
}

# Baseline: the module unloaded, its dependencies loaded, allocator settled.
lsdp_unload || ksft_abort "cannot unload lsdp for the baseline"
slab_settle
BASE_KMALLOC=$(kmalloc_bytes)
BASE_CACHES=$(kmalloc_caches)
BASE_NETNS=$(slab_cache_objs net_namespace)
lsdp_load || ksft_abort "cannot load the lsdp module"

T0=0
took() { diag "($1: $((SECONDS - T0)) s since the start)"; }
took baseline
run_test "fuzz: generic netlink, $NL_N inputs, traffic flowing (seed $SEED)" test_netlink
took test_netlink
run_test "fuzz: after netlink: dumps answer, everything deletes, still forwards" test_netlink_after
took test_netlink_after
run_test "fuzz: $FR_N frames from a VIF, a trunk, a localnet and the underlay (seed $SEED)" test_frames
took test_frames
run_test "fuzz: after frames: counters, dumps, every path forwards" test_frames_after
took test_frames_after
run_test "fuzz: everything deleted, rmmod clean, slab at baseline" test_teardown
took teardown
ksft_exit
