#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Logical routers, neighbours and the hold queue (DESIGN.md 2, 4 and 8):
# seed 000's topology, where OVN lost the first ping to a neighbour it had
# not resolved yet, and lsdp must not.
#
#   pc1 (eth0 00:00:01:00:00:01 1.1.0.1/16 fd00:1::10/64, gw .254.254/::1)
#    |  veth pc1
#   sw1 (key 1) sw1-port1 key 1 --- sw1-portr0 key 2 (router, peer lrp1)
#    |
#   lr0 (key 10) lrp1 key 1 00:00:01:ff:00:01 1.1.254.254/16 fd00:1::1/64
#                lr0-ext key 3 02:0a:7f:00:01:29 192.168.123.254/24 fd00:123::1/64
#    |
#   sw-ext (key 3) ext-lr0 key 1 (router, peer lr0-ext) --- ext-localnet key 2
#    |  (localnet, unknown, dev ext0)
#   ext (eth0 02:00:00:7b:00:0a 192.168.123.10/24 fd00:123::10/64,
#        routes back to 1.1.0.0/16 and fd00:1::/64 via the router)
#
# Every test starts from this topology (rebuilt when a test unloaded the
# module) with the default hold limits; test 8 builds its own two chassis
# (netns ch1, ch2, programmed with `lsdp -n`), test 7 its own netns.
. "$(dirname "$0")/lib.sh"

lsdp_require
"$LSDP" router help >/dev/null 2>&1 ||
	ksft_abort "the CLI has no 'router' object ($LSDP router help failed)"
for obj in route neigh hold; do
	"$LSDP" $obj help >/dev/null 2>&1 ||
		ksft_abort "the CLI has no '$obj' object ($LSDP $obj help failed)"
done
modprobe -a geneve 2>/dev/null

PC1_MAC=00:00:01:00:00:01
LRP1_MAC=00:00:01:ff:00:01
EXT_RP_MAC=02:0a:7f:00:01:29
EXT_MAC=02:00:00:7b:00:0a
H2_MAC=00:00:01:00:00:02
PC1=1.1.0.1 PC1_6=fd00:1::10
GW=1.1.254.254 GW6=fd00:1::1
EXT_GW=192.168.123.254 EXT_GW6=fd00:123::1
EXT=192.168.123.10 EXT6=fd00:123::10
DEAD=192.168.123.99 DEAD6=fd00:123::99

# Defaults of the hold queue, read once from a freshly loaded module.
DEF_DEST_BYTES='' DEF_TOTAL_BYTES=''
DEF_RETRIES=3 DEF_INTERVAL=1000 DEF_UNBOUND=10000
BG_PIDS=()
TOPO=

L() { # NS ARGS...: the CLI in netns NS
	local ns=$1
	shift
	"$LSDP" -n "$ns" "$@"
}

# --- the JSON of hold/neigh show: every key name in one place ---------------

hold_json() { lsdp_json "$@" hold show; }

# hold_limit [-n NS] KEY: one limit of `lsdp -j hold show` (JSON names:
# dest_bytes, total_bytes, retries, interval_ms, unbound_time_ms ...).
hold_limit() {
	local nso=()
	[ "$1" = -n ] && { nso=(-n "$2"); shift 2; }
	hold_json "${nso[@]}" | jq -r --arg k "$1" '.limits[$k] // empty'
}

# hold_drop [-n NS] REASON: netns-wide hold/neighbour drop counter.
hold_drop() {
	local nso=()
	[ "$1" = -n ] && { nso=(-n "$2"); shift 2; }
	hold_json "${nso[@]}" | jq -r --arg r "$1" '.counters.drops[$r] // 0'
}

# hold_pending_pkts [-n NS] ADDR|PORT: packets held for a destination
# address (any port), or for a port with no address (unbound port).
hold_pending_pkts() {
	local nso=()
	[ "$1" = -n ] && { nso=(-n "$2"); shift 2; }
	hold_json "${nso[@]}" | jq -r --arg a "$1" '
		[.pending[]? | select(.address == $a or (.address == null and .port == $a))
		 | .packets] | add // 0'
}

hold_pending_bytes() { # ADDR
	hold_json | jq -r --arg a "$1" '[.pending[]? | select(.address == $a) | .bytes] | add // 0'
}

hold_pending_n() { # number of pending entries
	hold_json | jq -r '.pending // [] | length'
}

# Conditions for wait_until.
held_is() { [ "$(hold_pending_pkts "$1")" = "$2" ]; }		# DST N
held_ge() { [ "$(hold_pending_pkts "$1")" -ge "$2" ] 2>/dev/null; }	# DST N
pending_ge() { [ "$(hold_pending_pkts -n "$1" "$2")" -ge "$3" ] 2>/dev/null; } # NS DST N
nothing_held() { [ "$(hold_pending_n)" = 0 ]; }
counter_ge() { [ "$(counter "$1" "$2")" -ge "$3" ] 2>/dev/null; }	# PORT NAME MIN
counter_ge_ns() { # NS PORT DROP-REASON MIN
	local v
	v=$(L "$1" -j stats show "$2" |
		jq -r --arg p "$2" --arg n "$3" '(map(select(.port == $p)) | first).drops[$n] // 0')
	[ "${v:-x}" -ge "$4" ] 2>/dev/null
}

hold_lat() { hold_json | jq -r --arg k "$1" '.latency[$k] // empty'; }

# neigh_field PORT ADDR FIELD (state, mac): one binding of `neigh show`.
neigh_field() {
	lsdp_json neigh show "$1" | jq -r --arg a "$2" --arg f "$3" \
		'map(select(.address == $a)) | first | .[$f] // empty'
}

# hold_set ARGS...: change hold limits (fails the test when refused).
hold_set() { check_ok "lsdp hold set $*" "$LSDP" hold set "$@"; }

hold_defaults() {
	"$LSDP" hold set dest-bytes "$DEF_DEST_BYTES" total-bytes "$DEF_TOTAL_BYTES" \
		retries $DEF_RETRIES interval $DEF_INTERVAL unbound-time $DEF_UNBOUND
}

# --- helpers -------------------------------------------------------------------

# wait_until SECS CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
	local n=$(($1 * 10))
	shift
	for _ in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# PING NS ARGS...: ping -n in NS; output in PING_OUT.
PING_OUT=''
PING() {
	local ns=$1
	shift
	PING_OUT=$(ip netns exec "$ns" ping -n "$@" 2>&1)
}

# received [OUTPUT]: the "N received" figure of a ping output.
received() {
	printf '%s\n' "${1:-$PING_OUT}" | sed -n 's/.* \([0-9]\+\) received.*/\1/p'
}

# seqs [OUTPUT]: icmp_seq of the echo replies, space separated, in order.
seqs() {
	printf '%s\n' "${1:-$PING_OUT}" | grep 'bytes from' |
		sed -n 's/.*icmp_seq=\([0-9]\+\) .*/\1/p' | tr '\n' ' ' | sed 's/ $//'
}

# has_reply SEQ [OUTPUT]: an echo reply for icmp_seq SEQ is in the output.
has_reply() {
	printf '%s\n' "${2:-$PING_OUT}" | grep 'bytes from' | grep -q "icmp_seq=$1 "
}

# cap_seqs: "seq N" of the ICMP echo requests in the last capture.
cap_seqs() {
	printf '%s\n' "$CAP_LAST" | grep 'echo request' |
		sed -n 's/.* seq \([0-9]\+\),.*/\1/p' | tr '\n' ' ' | sed 's/ $//'
}

bg_pid=''
# ping_bg NS FILE ARGS...: ping in the background; output in FILE.
ping_bg() {
	local ns=$1 f=$2
	shift 2
	ip netns exec "$ns" ping -n "$@" >"$f" 2>&1 &
	bg_pid=$!
	BG_PIDS+=("$bg_pid")
}

# ping_wait PID SECS: wait for a background ping to end (kill it after SECS).
ping_wait() {
	for _ in $(seq 1 $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

seq_list() { seq -s ' ' "$1" "$2"; }

# Flush every neighbour binding on all sides: pc1, ext and lsdp's router,
# the hosts first.  A host's entry for its gateway that was last used a
# few seconds ago is in DELAY: its kernel sends a unicast ARP request / NS
# to the router when the delay runs out, and the router learns the host
# from it.  Flushed after the router, such a probe could re-teach the
# router what the test just made it forget.
flush_all_neigh() {
	ip -n pc1 -4 neigh flush all
	ip -n pc1 -6 neigh flush all
	ip -n ext -4 neigh flush all
	ip -n ext -6 neigh flush all
	"$LSDP" neigh flush || fail "lsdp neigh flush"
}

# forget_ext: lr0-ext forgets PC-EXT, and PC-EXT its gateway first (see
# flush_all_neigh).
forget_ext() {
	ip -n ext -4 neigh flush all
	ip -n ext -6 neigh flush all
	"$LSDP" neigh flush lr0-ext || fail "lsdp neigh flush lr0-ext"
}

# Diagnostics: the router's view.
router_diag() {
	diag "neigh: $("$LSDP" -j neigh show 2>&1 | jq -c '.' 2>/dev/null)"
	diag "hold: $("$LSDP" -j hold show 2>&1 | jq -c '.' 2>/dev/null)"
	diag "drops: $("$LSDP" -j stats show 2>&1 |
		jq -c '[.[] | select((.drops // {}) != {}) | {port, drops}]' 2>/dev/null)"
}

# --- topology (seed 000) -------------------------------------------------------

topo_build() {
	ns_create pc1 ext || return 1
	host_add pc1 pc1 $PC1_MAC $PC1/16 $PC1_6/64 || return 1
	host_add ext ext0 $EXT_MAC $EXT/24 $EXT6/64 || return 1
	ip -n pc1 route add default via $GW &&
	ip -n pc1 -6 route add default via $GW6 &&
	ip -n ext route add 1.1.0.0/16 via $EXT_GW &&
	ip -n ext -6 route add fd00:1::/64 via $EXT_GW6 || return 1
	"$LSDP" switch add sw1 key 1 &&
	"$LSDP" port add sw1 sw1-port1 key 1 mac $PC1_MAC ip $PC1 ip $PC1_6 dev pc1 &&
	"$LSDP" router add lr0 key 10 &&
	"$LSDP" port add lr0 lrp1 key 1 mac $LRP1_MAC net $GW/16 net $GW6/64 &&
	"$LSDP" port add sw1 sw1-portr0 key 2 type router peer lrp1 &&
	"$LSDP" switch add sw-ext key 3 &&
	"$LSDP" port add lr0 lr0-ext key 3 mac $EXT_RP_MAC net $EXT_GW/24 net $EXT_GW6/64 &&
	"$LSDP" port add sw-ext ext-lr0 key 1 type router peer lr0-ext &&
	"$LSDP" port add sw-ext ext-localnet key 2 type localnet unknown dev ext0 || return 1
	# Let the hosts' own IPv6 chatter (MLD) die down.
	sleep 1
}

# Load the module if a test unloaded it, read the defaults of a fresh
# module once, build the topology when it is gone.
topo_up() {
	local fresh=
	lsdp_loaded || { lsdp_load || return 1; fresh=1; TOPO=; }
	if [ -n "$fresh" ] || [ -z "$DEF_DEST_BYTES" ]; then
		DEF_DEST_BYTES=$(hold_limit dest_bytes)
		DEF_TOTAL_BYTES=$(hold_limit total_bytes)
		[ -n "$DEF_DEST_BYTES" ] && [ -n "$DEF_TOTAL_BYTES" ] || {
			diag "cannot read the hold limits: $("$LSDP" -j hold show 2>&1)"
			return 1
		}
	fi
	if [ -z "$TOPO" ]; then
		topo_build || { diag "building seed 000's topology failed"; return 1; }
		TOPO=1
	fi
	hold_defaults || { diag "cannot restore the default hold limits"; return 1; }
	ip -n ext link set dev eth0 arp on
}

# --- 1, 2: seed 000 ------------------------------------------------------------

# seed000 FAMILY DST: 10 pings to a never-seen PC-EXT, all answered; then,
# with holding off, the first is lost (9 received) and counted hold-off.
seed000() {
	local fam=$1 dst=$2 a d
	topo_up || return 1
	flush_all_neigh
	check_eq "default retries" $DEF_RETRIES "$(hold_limit retries)"
	check_eq "default interval" $DEF_INTERVAL "$(hold_limit interval_ms)"
	check_ge "default dest-bytes (holds 10 pings at least)" 980 "$DEF_DEST_BYTES"
	a=$(counter lr0-ext hold-off)
	PING pc1 "$fam" -c 10 -i 0.2 -W 2 "$dst"
	diag "holding on: $(printf '%s\n' "$PING_OUT" | grep 'packets transmitted')"
	if ! has_reply 1 || [ "$(received)" != 10 ]; then
		fail "holding on: 10 pings to a never-seen $dst must all be answered, icmp_seq=1 included"
		diag_output "$PING_OUT"
		router_diag
	fi
	check_eq "holding on: replies in order" "$(seq_list 1 10)" "$(seqs)"
	printf '%s\n' "$PING_OUT" | grep 'bytes from' | grep -qv 'ttl=63' &&
		fail "holding on: a reply without ttl=63 (one router hop each way)"
	check_eq "holding on: lr0-ext hold-off" 0 $(($(counter lr0-ext hold-off) - a))
	check_eq "binding of $dst on lr0-ext: mac" $EXT_MAC "$(neigh_field lr0-ext "$dst" mac)"
	check_eq "binding of $dst on lr0-ext: state" reachable "$(neigh_field lr0-ext "$dst" state)"

	hold_set dest-bytes 0
	check_eq "dest-bytes after 'hold set dest-bytes 0'" 0 "$(hold_limit dest_bytes)"
	flush_all_neigh
	a=$(counter lr0-ext hold-off)
	PING pc1 "$fam" -c 10 -i 0.2 -W 2 "$dst"
	d=$(($(counter lr0-ext hold-off) - a))
	diag "holding off: $(printf '%s\n' "$PING_OUT" | grep 'packets transmitted')"
	if has_reply 1 || [ "$(received)" != 9 ]; then
		fail "holding off: exactly 9 of 10 answered and icmp_seq=1 lost (seed 000)"
		diag_output "$PING_OUT"
		router_diag
	fi
	check_eq "holding off: replies" "$(seq_list 2 10)" "$(seqs)"
	check_eq "holding off: lr0-ext hold-off" 1 "$d"
	check_ok "restore the default hold limits" hold_defaults
	check_eq "dest-bytes restored" "$DEF_DEST_BYTES" "$(hold_limit dest_bytes)"
}

test_seed000() { seed000 -4 $EXT; }
test_seed000_v6() { seed000 -6 $EXT6; }

# --- 3: the router's own answers -------------------------------------------------

test_router_answers() {
	local a out
	topo_up || return 1
	flush_all_neigh
	check_ok "ping pc1 -> $GW (ARP + echo by the router)" ping_ok pc1 $GW 3
	check_ok "ping pc1 -> $EXT_GW (another router port's address)" ping_ok pc1 $EXT_GW 3
	check_ok "ping -6 pc1 -> $GW6 (NS/NA + echo by the router)" ping_ok pc1 $GW6 3
	check_ok "ping -6 pc1 -> $EXT_GW6" ping_ok pc1 $EXT_GW6 3
	check_ok "ping ext -> $EXT_GW (through the localnet port)" ping_ok ext $EXT_GW 3
	check_ok "ping -6 ext -> $EXT_GW6" ping_ok ext $EXT_GW6 3
	out=$(ip -n pc1 -4 neigh show $GW)
	printf '%s\n' "$out" | grep -q "lladdr $LRP1_MAC" ||
		{ fail "pc1 learned no $LRP1_MAC for $GW"; diag_output "$out"; }
	out=$(ip -n pc1 -6 neigh show $GW6)
	printf '%s\n' "$out" | grep -q "lladdr $LRP1_MAC" ||
		{ fail "pc1 learned no $LRP1_MAC for $GW6"; diag_output "$out"; }
	out=$(ip -n ext -4 neigh show $EXT_GW)
	printf '%s\n' "$out" | grep -q "lladdr $EXT_RP_MAC" ||
		{ fail "ext learned no $EXT_RP_MAC for $EXT_GW"; diag_output "$out"; }
	# The router learned pc1 from its ARP request.
	check_eq "lrp1 binding of $PC1 (learned from pc1's ARP request)" $PC1_MAC \
		"$(neigh_field lrp1 $PC1 mac)"

	# TTL / hop limit expiry: answered from the ingress router port.
	a=$(counter lrp1 ttl)
	PING pc1 -c 1 -t 1 -W 2 $EXT
	printf '%s\n' "$PING_OUT" | grep -q "From $GW icmp_seq=1 Time to live exceeded" ||
		{ fail "ping -t 1 $EXT: no 'From $GW icmp_seq=1 Time to live exceeded'"; diag_output "$PING_OUT"; }
	PING pc1 -6 -c 1 -t 1 -W 2 $EXT6
	printf '%s\n' "$PING_OUT" | grep -q "From $GW6 icmp_seq=1 Time exceeded: Hop limit" ||
		{ fail "ping -6 -t 1 $EXT6: no 'From $GW6 icmp_seq=1 Time exceeded: Hop limit'"; diag_output "$PING_OUT"; }
	check_eq "lrp1 ttl drops after two expiries" 2 $(($(counter lrp1 ttl) - a))
	# TTL 2 is enough for one hop.
	check_ok "ping -t 2 $EXT (one router hop)" ping_ok pc1 $EXT 2 -t 2

	# No route: ICMP net unreachable / ICMPv6 no route.
	a=$(counter lrp1 no-route)
	PING pc1 -c 1 -W 2 10.99.0.1
	printf '%s\n' "$PING_OUT" | grep -q "From $GW icmp_seq=1 Destination Net Unreachable" ||
		{ fail "ping 10.99.0.1: no 'From $GW icmp_seq=1 Destination Net Unreachable'"; diag_output "$PING_OUT"; }
	PING pc1 -6 -c 1 -W 2 fd00:99::1
	printf '%s\n' "$PING_OUT" | grep -q "From $GW6 icmp_seq=1 Destination unreachable: No route" ||
		{ fail "ping -6 fd00:99::1: no 'From $GW6 icmp_seq=1 Destination unreachable: No route'"; diag_output "$PING_OUT"; }
	check_eq "lrp1 no-route drops after two" 2 $(($(counter lrp1 no-route) - a))

	# MAC rewrite: ext sees the echo from lr0-ext's MAC to its own.
	cap_start ext eth0 "icmp and icmp[icmptype] = icmp-echo" || return 1
	check_ok "ping pc1 -> $EXT" ping_ok pc1 $EXT 2
	cap_stop ext eth0
	check_eq "echo requests at ext" 2 "$CAP_COUNT"
	printf '%s\n' "$CAP_LAST" | grep 'echo request' | grep -qv "$EXT_RP_MAC > $EXT_MAC" &&
		{ fail "an echo request at ext not rewritten to $EXT_RP_MAC > $EXT_MAC"; diag_output "$CAP_LAST"; }
	return 0
}

# --- 4: a next hop that never answers --------------------------------------------

test_unresolvable() {
	local a t0 t1 ms n out
	topo_up || return 1
	"$LSDP" neigh flush lr0-ext
	a=$(counter lr0-ext hold-failed)
	cap_start ext eth0 "arp and arp[6:2] = 1 and arp[24:4] = 0xc0a87b63" || return 1
	t0=$(date +%s%N)
	# Three pings within the first probe interval: all three held.
	PING pc1 -c 3 -i 0.2 -W 8 $DEAD
	t1=$(date +%s%N)
	cap_stop ext eth0
	ms=$(((t1 - t0) / 1000000))
	diag "ping $DEAD: failure reported after ${ms} ms (retries $DEF_RETRIES x interval $DEF_INTERVAL ms)"
	n=$(printf '%s\n' "$PING_OUT" | grep -c "From $EXT_GW icmp_seq=[123] Destination Host Unreachable")
	check_eq "'From $EXT_GW icmp_seq=N Destination Host Unreachable' lines" 3 "$n" ||
		{ diag_output "$PING_OUT"; router_diag; }
	check_eq "ARP requests for $DEAD seen by ext (retries)" $DEF_RETRIES "$CAP_COUNT" ||
		diag_output "$CAP_LAST"
	# Not before the probes ran out (the first answer comes after
	# (retries - 1) intervals at the earliest).
	check_ge "ms until the unreachable answer" $(((DEF_RETRIES - 1) * DEF_INTERVAL)) "$ms"
	check_eq "lr0-ext hold-failed (one per held packet)" 3 $(($(counter lr0-ext hold-failed) - a))
	check_eq "pending entries after the failure" 0 "$(hold_pending_n)" || router_diag
	check_eq "binding of $DEAD: state" failed "$(neigh_field lr0-ext $DEAD state)"

	a=$(counter lr0-ext hold-failed)
	PING pc1 -6 -c 2 -i 0.2 -W 8 $DEAD6
	n=$(printf '%s\n' "$PING_OUT" | grep -c "From $EXT_GW6 icmp_seq=[12] Destination unreachable: Address unreachable")
	check_eq "'From $EXT_GW6 icmp_seq=N Destination unreachable: Address unreachable' lines" 2 "$n" ||
		{ diag_output "$PING_OUT"; router_diag; }
	check_eq "lr0-ext hold-failed (IPv6)" 2 $(($(counter lr0-ext hold-failed) - a))
	check_eq "pending entries after the IPv6 failure" 0 "$(hold_pending_n)"
	check_eq "binding of $DEAD6: state" failed "$(neigh_field lr0-ext $DEAD6 state)"
	out=$("$LSDP" neigh show lr0-ext 2>&1)
	printf '%s\n' "$out" | grep "$DEAD " | grep -q failed ||
		{ fail "'lsdp neigh show lr0-ext' does not show $DEAD failed"; diag_output "$out"; }
}

# --- 5: a burst released in order -------------------------------------------------


test_burst_in_order() {
	local f pid a b
	topo_up || return 1
	# Probes for 30 s: under TCG the checks below take seconds, and ping
	# waits 20 s for the late replies.
	hold_set retries 10 interval 3000
	# ext ignores ARP for now: the router must hold the whole burst.
	# Off before the router forgets ext, so that no ARP probe of ext's
	# re-teaches it (see flush_all_neigh).
	ip -n ext link set dev eth0 arp off
	"$LSDP" neigh flush lr0-ext
	# ARP too, for the diagnostics.
	cap_start ext eth0 "arp or (icmp and icmp[icmptype] = icmp-echo)" || return 1
	a=$(hold_json | jq -r '.counters.held // 0')
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	ping_bg pc1 "$f" -i 0.01 -c 20 -W 20 $EXT
	pid=$bg_pid
	wait_until 10 held_is $EXT 20 || { fail "20 packets not held for $EXT"; router_diag; }
	# Bytes: frame length with the 14-byte Ethernet header (14+20+8+56).
	check_eq "bytes held for $EXT (20 x 98)" 1960 "$(hold_pending_bytes $EXT)"
	check_eq "state of $EXT while held" incomplete "$(neigh_field lr0-ext $EXT state)"
	b=$(hold_json | jq -r '.counters.held // 0')
	check_eq "hold counters: held grew by" 20 $((b - a))
	ip -n ext link set dev eth0 arp on
	ping_wait "$pid" 30
	cap_stop ext eth0
	check_eq "echo requests at ext, in order" "$(seq_list 1 20)" "$(cap_seqs)" ||
		{ diag_output "$CAP_LAST"; diag_output "$(ip -n ext -d link show eth0; ip -n ext neigh)"; router_diag; }
	check_eq "replies received by pc1" 20 "$(received "$(cat "$f")")" || diag_output "$(cat "$f")"
	check_eq "pending entries after the release" 0 "$(hold_pending_n)"
	check_eq "binding of $EXT after the release" reachable "$(neigh_field lr0-ext $EXT state)"
	rm -f "$f"
	hold_defaults
}

# --- 6: overflow of the caps -------------------------------------------------------

test_overflow() {
	local f pid a t d out
	topo_up || return 1
	# ping -s 100: 14 + 20 + 8 + 100 = 142 bytes a frame; 5 fit.
	hold_set dest-bytes 710 retries 10 interval 3000
	ip -n ext link set dev eth0 arp off
	"$LSDP" neigh flush lr0-ext
	a=$(counter lr0-ext hold-dest-full)
	cap_start ext eth0 "icmp and icmp[icmptype] = icmp-echo" || return 1
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	ping_bg pc1 "$f" -s 100 -i 0.01 -c 20 -W 20 $EXT
	pid=$bg_pid
	wait_until 10 counter_ge lr0-ext hold-dest-full $((a + 15)) ||
		{ fail "15 oldest packets not dropped (hold-dest-full)"; router_diag; }
	sleep 0.3
	check_eq "packets held for $EXT at dest-bytes 710" 5 "$(hold_pending_pkts $EXT)"
	check_eq "bytes held for $EXT" 710 "$(hold_pending_bytes $EXT)"
	ip -n ext link set dev eth0 arp on
	ping_wait "$pid" 30
	cap_stop ext eth0
	out=$(cat "$f")
	check_eq "lr0-ext hold-dest-full" 15 $(($(counter lr0-ext hold-dest-full) - a))
	check_eq "echo requests at ext (the newest 5)" "$(seq_list 16 20)" "$(cap_seqs)" ||
		diag_output "$CAP_LAST"
	check_eq "replies received by pc1" 5 "$(received "$out")" || diag_output "$out"
	check_eq "replies" "$(seq_list 16 20)" "$(seqs "$out")"

	# total-bytes: A fills the netns cap exactly; a second destination
	# B gets nothing held.
	hold_set dest-bytes 710 total-bytes 710 retries 10 interval 3000
	ip -n ext link set dev eth0 arp off
	"$LSDP" neigh flush lr0-ext
	a=$(counter lr0-ext hold-total-full)
	d=$(counter lr0-ext hold-dest-full)
	ping_bg pc1 "$f" -s 100 -i 0.05 -c 5 -W 20 $EXT
	pid=$bg_pid
	wait_until 10 held_is $EXT 5 || { fail "5 packets not held for $EXT"; router_diag; }
	PING pc1 -s 100 -c 3 -i 0.05 -W 1 $DEAD
	check_eq "lr0-ext hold-total-full (3 packets to $DEAD, cap full)" 3 \
		$(($(counter lr0-ext hold-total-full) - a)) || router_diag
	check_eq "packets held for $DEAD" 0 "$(hold_pending_pkts $DEAD)"
	check_eq "packets held for $EXT still" 5 "$(hold_pending_pkts $EXT)"
	check_eq "lr0-ext hold-dest-full meanwhile" 0 $(($(counter lr0-ext hold-dest-full) - d))
	ip -n ext link set dev eth0 arp on
	ping_wait "$pid" 30
	out=$(cat "$f")
	check_eq "replies received for the 5 held at the cap" 5 "$(received "$out")" || diag_output "$out"
	rm -f "$f"
	t=$(hold_json | jq -r '[.pending[]?.bytes] | add // 0')
	check_eq "bytes held in the netns at the end" 0 "$t"
	hold_defaults
}

# --- 7: nothing held outlives its neighbour, port, module or netns -----------------

test_lifetimes() {
	local f pid out a
	topo_up || return 1
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	# a. Timeout: held for a dead host, freed when it fails.  Three
	# retries 2 s apart: the 4 packets must be seen held before the
	# failure frees them, and one look at the hold table (lsdp and two
	# jq) can take over a second under TCG.
	hold_set retries 3 interval 2000
	"$LSDP" neigh flush lr0-ext
	ping_bg pc1 "$f" -c 4 -i 0.1 -W 10 $DEAD
	pid=$bg_pid
	wait_until 8 held_is $DEAD 4 || { fail "4 packets not held for $DEAD"; router_diag; }
	ping_wait "$pid" 15
	check_eq "pending after the failure" 0 "$(hold_pending_n)" || router_diag
	check_eq "bytes held after the failure" 0 "$(hold_json | jq -r '[.pending[]?.bytes] | add // 0')"

	# b. rmmod with packets held (and retries high: nothing would end
	# them for 100 s).
	hold_set retries 10 interval 10000
	"$LSDP" neigh flush lr0-ext
	ping_bg pc1 "$f" -c 3 -i 0.1 -W 30 $DEAD
	pid=$bg_pid
	wait_until 5 held_is $DEAD 3 || { fail "3 packets not held for $DEAD before rmmod"; router_diag; }
	out=$(timeout 60 rmmod lsdp 2>&1)
	check_eq "rmmod lsdp with packets held: exit code" 0 $? || diag_output "$out"
	lsdp_loaded && fail "the module is still loaded"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	TOPO=
	sleep 1
	check_ok "reload the module" lsdp_load
	topo_up || return 1

	# c. A netns with routers, bindings and packets held is deleted.
	for _ in 1 2; do
		ns_create hns hpc || return 1
		ip link add htap type veth peer name eth0 netns hpc &&
		ip link set htap netns hns &&
		ip -n hns link set htap up &&
		ip netns exec hpc sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 &&
		ip -n hpc link set eth0 address 02:00:00:00:07:01 up &&
		ip -n hpc addr add 10.7.0.1/24 dev eth0 &&
		ip -n hpc route add default via 10.7.0.254 || { fail "netns setup"; return 1; }
		check_ok "configure lsdp in hns" sh -c "
			'$LSDP' -n hns switch add s1 key 1 &&
			'$LSDP' -n hns port add s1 s1p1 key 1 mac 02:00:00:00:07:01 ip 10.7.0.1 dev htap &&
			'$LSDP' -n hns router add r1 key 10 &&
			'$LSDP' -n hns port add r1 r1p1 key 1 mac 02:00:00:00:07:fe net 10.7.0.254/24 &&
			'$LSDP' -n hns port add s1 s1pr key 2 type router peer r1p1 &&
			'$LSDP' -n hns switch add s2 key 2 &&
			'$LSDP' -n hns port add r1 r1p2 key 2 mac 02:00:00:00:08:fe net 10.8.0.254/24 &&
			'$LSDP' -n hns port add s2 s2pr key 1 type router peer r1p2 &&
			'$LSDP' -n hns port add s2 s2p2 key 2 mac 02:00:00:00:08:02 ip 10.8.0.2 &&
			'$LSDP' -n hns neigh add r1p2 10.8.0.2 mac 02:00:00:00:08:02 &&
			'$LSDP' -n hns hold set retries 10 interval 5000"
		# Held for an unresolved next hop and for an unbound port.
		ping_bg hpc "$f" -c 1000 -i 0.1 -W 1 10.8.0.5
		pid=$bg_pid
		ip netns exec hpc ping -n -c 1000 -i 0.1 -W 1 10.8.0.2 >/dev/null 2>&1 &
		BG_PIDS+=("$!")
		local pid2=$!
		wait_until 5 pending_ge hns 10.8.0.5 3 ||
			fail "nothing held for 10.8.0.5 in hns ($(L hns -j hold show 2>&1))"
		wait_until 5 pending_ge hns s2p2 3 ||
			fail "nothing held for unbound s2p2 in hns ($(L hns -j hold show 2>&1))"
		ip netns del hns
		kill "$pid" "$pid2" 2>/dev/null
		wait "$pid" "$pid2" 2>/dev/null
		ip netns del hpc
		sleep 1
	done
	# A held skb keeping a netdev of hns alive shows up as
	# "unregister_netdevice: waiting for htap to become free".
	for _ in $(seq 1 12); do
		dmesg | grep -q 'unregister_netdevice: waiting for' && break
		sleep 1
	done
	out=$(dmesg | grep 'unregister_netdevice: waiting for')
	[ -z "$out" ] || { fail "a netdev of a deleted netns stays referenced"; diag_output "$out"; }
	check_eq "init netns routers unaffected" lr0 "$("$LSDP" -j router show | jq -r 'map(.name) | join(",")')"
	check_ok "ping pc1 -> ext after the netns deletions" ping_ok pc1 $EXT 2
	# slab_nomerge: an lsdp object left behind BUGs at rmmod.
	out=$(timeout 60 rmmod lsdp 2>&1)
	check_eq "rmmod after the netns deletions: exit code" 0 $? || diag_output "$out"
	TOPO=
	a=$(grep -ci lsdp /proc/slabinfo)
	check_eq "lsdp slab caches after rmmod" 0 "$a"
	rm -f "$f"
	topo_up
}

# --- 8: routing to a port on another chassis ---------------------------------------

CH_UCAP_PID='' CH_UCAP_FILE=''
ch_vm_add() { # VM CHASSIS TAP MAC ADDR GW
	ip link del "$3" 2>/dev/null
	ip link add "$3" type veth peer name eth0 netns "$1" || return 1
	ip link set "$3" netns "$2" || return 1
	ip netns exec "$2" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
	ip -n "$2" link set "$3" up || return 1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n "$1" link set eth0 address "$4" up &&
	ip -n "$1" addr add "$5" dev eth0 &&
	ip -n "$1" route add default via "$6"
}

# chassis_cfg CH OTHER OTHER-IP LOCAL-IP: the same router and switches on
# both chassis; rpc1's port lives on ch1, rpc2's on ch2.
chassis_cfg() {
	local ch=$1 other=$2 oip=$3 lip=$4 b1 b2
	if [ "$ch" = ch1 ]; then b1=(dev tap1) b2=(chassis ch2); else b1=(chassis ch1) b2=(dev tap2); fi
	L "$ch" encap set local "$lip" &&
	L "$ch" chassis add "$other" ip "$oip" &&
	L "$ch" switch add sw1 key 1 &&
	L "$ch" port add sw1 sw1-port1 key 1 mac $PC1_MAC ip $PC1 "${b1[@]}" &&
	L "$ch" router add lr0 key 10 &&
	L "$ch" port add lr0 lrp1 key 1 mac $LRP1_MAC net $GW/16 &&
	L "$ch" port add sw1 sw1-portr0 key 2 type router peer lrp1 &&
	L "$ch" switch add sw2 key 2 &&
	L "$ch" port add lr0 lrp2 key 2 mac 00:00:02:ff:00:02 net 1.2.254.254/16 &&
	L "$ch" port add sw2 sw2-portr0 key 2 type router peer lrp2 &&
	L "$ch" port add sw2 sw2-port2 key 1 mac 00:00:02:00:00:02 ip 1.2.0.2 "${b2[@]}"
}

test_remote_chassis() {
	local out n rec
	topo_up || return 1
	ns_create ch1 ch2 rpc1 rpc2 || return 1
	ip link del ru1 2>/dev/null
	ip link add ru1 type veth peer name ru2 &&
	ip link set ru1 netns ch1 && ip link set ru2 netns ch2 &&
	ip -n ch1 addr add 192.0.2.1/24 dev ru1 && ip -n ch2 addr add 192.0.2.2/24 dev ru2 &&
	ip -n ch1 link set ru1 up && ip -n ch2 link set ru2 up || { fail "underlay"; return 1; }
	ch_vm_add rpc1 ch1 tap1 $PC1_MAC $PC1/16 $GW &&
	ch_vm_add rpc2 ch2 tap2 00:00:02:00:00:02 1.2.0.2/16 1.2.254.254 || { fail "hosts"; return 1; }
	check_ok "configure ch1" chassis_cfg ch1 ch2 192.0.2.2 192.0.2.1 || return 1
	check_ok "configure ch2" chassis_cfg ch2 ch1 192.0.2.1 192.0.2.2 || return 1

	CH_UCAP_FILE=$(mktemp /tmp/lsdp-ucap.XXXXXX)
	ip netns exec ch2 tcpdump -i ru2 -Q in -vvvnne -l -p -U --immediate-mode \
		udp port 6081 >"$CH_UCAP_FILE" 2>"$CH_UCAP_FILE.err" &
	CH_UCAP_PID=$!
	wait_until 5 grep -q 'listening on' "$CH_UCAP_FILE.err" ||
		{ fail "tcpdump on ch2/ru2 did not start"; return 1; }
	PING rpc1 -c 10 -i 0.2 -W 2 1.2.0.2
	sleep 0.3
	kill "$CH_UCAP_PID" 2>/dev/null
	wait "$CH_UCAP_PID" 2>/dev/null
	CH_UCAP_PID=
	if ! has_reply 1 || [ "$(received)" != 10 ]; then
		fail "ping rpc1 (ch1) -> rpc2 (ch2): 10 of 10 answered, icmp_seq=1 included"
		diag_output "$PING_OUT"
		diag "ch1 neigh: $(L ch1 -j neigh show 2>&1 | jq -c . 2>/dev/null)"
		diag "ch2 neigh: $(L ch2 -j neigh show 2>&1 | jq -c . 2>/dev/null)"
		diag "ch1 hold: $(L ch1 -j hold show 2>&1 | jq -c . 2>/dev/null)"
		diag "ch2 hold: $(L ch2 -j hold show 2>&1 | jq -c . 2>/dev/null)"
	fi
	# One line per captured frame (tcpdump -v spreads one over several).
	out=$(awk '/^[0-9][0-9]:[0-9][0-9]:/ { if (rec != "") print rec; rec = $0; next }
		{ rec = rec " " $0 } END { if (rec != "") print rec }' "$CH_UCAP_FILE")
	rm -f "$CH_UCAP_FILE" "$CH_UCAP_FILE.err"
	# rpc2's address is configuration (its port's `ip`): ch1's router
	# resolves it from the port, as OVN does, with no ARP at all - the
	# first packet needs no hold and no chassis has to learn anything.
	check_eq "ARP requests for 1.2.0.2 over the underlay" 0 \
		"$(printf '%s\n' "$out" | grep -c 'who-has 1.2.0.2')"
	check_eq "ch1 bindings for 1.2.0.2 (resolved from the port)" 0 \
		"$(L ch1 -j neigh show | jq '[.[] | select(.address == "1.2.0.2")] | length')"
	rec=$(printf '%s\n' "$out" | grep 'ICMP echo request' | head -n1)
	case $rec in
	*"vni 0x2,"* | *"vni 0x2 "*) ;;
	*) fail "the routed echo request is not in sw2's VNI (0x2)"; diag_output "$rec" ;;
	esac
	n=$(printf '%s\n' "$out" | grep -c 'ICMP echo request')
	check_eq "echo requests tunnelled to ch2" 10 "$n"
	check_ok "ping rpc2 (ch2) -> rpc1 (ch1)" ping_ok rpc2 $PC1 3 ||
		diag "ch2 neigh: $(L ch2 -j neigh show 2>&1 | jq -c . 2>/dev/null)"
	ip netns del rpc1
	ip netns del rpc2
	ip netns del ch1
	ip netns del ch2
}

# --- 9: a port bound after traffic for it started -----------------------------------

test_late_bind() {
	local f pid a u out snap
	topo_up || return 1
	ns_create h2 || return 1
	host_add h2 tap_h2 $H2_MAC 1.1.0.2/16 || return 1
	neigh_add pc1 1.1.0.2 $H2_MAC
	neigh_add h2 $PC1 $PC1_MAC
	check_ok "port add sw1 sw1-port2 (defined, bound nowhere)" \
		"$LSDP" port add sw1 sw1-port2 key 3 mac $H2_MAC ip 1.1.0.2 || return 1
	check_eq "sw1-port2 dev" null "$(port_field sw1-port2 .dev)"
	u=$(counter sw1-port2 unbound)
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	ping_bg pc1 "$f" -c 10 -i 0.3 -W 20 1.1.0.2
	pid=$bg_pid
	# Bind once a few echo requests wait.  Starting a process takes long
	# and varying time under TCG (a check of the hold table, three of
	# them, can take over a second), so this polls instead of sleeping,
	# binds right after one snapshot of the table, checks the snapshot
	# afterwards, and ping waits up to 20 s for its replies.
	wait_until 10 held_ge sw1-port2 3
	snap=$(hold_json)
	check_ok "port set sw1-port2 dev tap_h2" "$LSDP" port set sw1-port2 dev tap_h2
	out=$(printf '%s\n' "$snap" | jq -c '.pending[]? | select(.port == "sw1-port2")')
	diag "held for sw1-port2 before binding: $out"
	check_eq "the pending entry of sw1-port2 has no address" null \
		"$(printf '%s\n' "$out" | jq -r '.address' | head -n1)"
	check_ge "packets held for unbound sw1-port2" 3 \
		"$(printf '%s\n' "$out" | jq -r '.packets' | head -n1)"
	ping_wait "$pid" 30
	out=$(cat "$f")
	if ! has_reply 1 "$out" || [ "$(received "$out")" != 10 ]; then
		fail "10 pings to a port bound while they were held: all answered, icmp_seq=1 included"
		diag_output "$out"
	fi
	check_eq "replies in order" "$(seq_list 1 10)" "$(seqs "$out")"
	check_eq "sw1-port2 unbound drops (held, not dropped)" 0 $(($(counter sw1-port2 unbound) - u))
	check_eq "pending after the binding" 0 "$(hold_pending_n)"

	# Unbound too long: freed after unbound-time, counted hold-timeout.
	check_ok "port set sw1-port2 nodev" "$LSDP" port set sw1-port2 nodev
	hold_set unbound-time 500
	a=$(counter sw1-port2 hold-timeout)
	PING pc1 -c 3 -i 0.1 -W 1 1.1.0.2
	check_eq "replies while unbound past unbound-time" 0 "$(received)"
	wait_until 5 nothing_held
	check_eq "sw1-port2 hold-timeout" 3 $(($(counter sw1-port2 hold-timeout) - a))
	check_eq "pending after the timeout" 0 "$(hold_pending_n)"

	# Port deleted with packets held: freed, counted hold-flush.
	hold_set unbound-time 10000
	a=$(hold_drop hold-flush)
	PING pc1 -c 2 -i 0.1 -W 1 1.1.0.2
	check_eq "packets held for sw1-port2" 2 "$(hold_pending_pkts sw1-port2)"
	check_ok "port del sw1-port2 with packets held" "$LSDP" port del sw1-port2
	check_eq "pending after port del" 0 "$(hold_pending_n)"
	check_eq "hold-flush (netns) after port del" 2 $(($(hold_drop hold-flush) - a))
	rm -f "$f"
	ip netns del h2
	ip link del tap_h2 2>/dev/null
	hold_defaults
}

# --- 10: bad input ---------------------------------------------------------------

# check_error CMD...: exits 1 with an "Error: " line; the text is printed
# so that the kernel's messages can be reviewed.
check_error() {
	local err rc
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 1 ] || ! printf '%s\n' "$err" | grep -q '^Error: '; then
		fail "'$*' exited $rc, expected 1 with 'Error: ...'"
		diag_output "$err"
		return 1
	fi
	diag "$(printf '%s\n' "$err" | grep '^Error: ' | head -n1)  <- lsdp ${*:2}"
}

test_bad_input() {
	local routes
	topo_up || return 1
	check_ok "router add lr1 key 11" "$LSDP" router add lr1 key 11
	check_ok "port add lr1 lr1p key 1" "$LSDP" port add lr1 lr1p key 1 mac 02:00:00:00:11:01 net 10.11.0.1/24
	routes=$("$LSDP" -j route show lr0 | jq -c .)
	check_err "not a router" "$LSDP" route add sw1 10.0.0.0/8 port lrp1
	check_error "$LSDP" route add lr0 10.0.0.0/8 port lr1p
	check_error "$LSDP" route add lr0 10.0.0.0/8 port sw1-port1
	check_ok "route add lr0 10.50.0.0/16 via $EXT port lr0-ext" \
		"$LSDP" route add lr0 10.50.0.0/16 via $EXT port lr0-ext
	check_err "route already exists" "$LSDP" route add lr0 10.50.0.0/16 via $EXT port lr0-ext
	check_error "$LSDP" route del lr0 10.51.0.0/16
	check_ok "route del lr0 10.50.0.0/16" "$LSDP" route del lr0 10.50.0.0/16
	check_error "$LSDP" neigh add sw1-port1 1.1.0.9 mac 02:00:00:00:00:09
	check_error "$LSDP" hold set retries 0
	check_error "$LSDP" port add sw1 px key 9 type router peer nosuch
	check_error "$LSDP" port add sw1 px key 9 type router
	check_error "$LSDP" port add sw1 px key 9 type router peer lrp1
	check_eq "lr0's routes unchanged by the failures" "$routes" "$("$LSDP" -j route show lr0 | jq -c .)"
	check_eq "retries unchanged" $DEF_RETRIES "$(hold_limit retries)"
	check_eq "no port px" 0 "$("$LSDP" -j port show | jq '[.[] | select(.name == "px")] | length')"
	check_ok "router del lr1" "$LSDP" router del lr1
	check_ok "ping pc1 -> ext after the failures" ping_ok pc1 $EXT 2
}

# --- 11: release latency -----------------------------------------------------------

test_latency() {
	local n p50 p99
	topo_up || return 1
	flush_all_neigh
	check_ok "ping a never-seen ext (a release)" ping_ok pc1 $EXT 3
	n=$(hold_lat samples)
	p50=$(hold_lat p50_ns)
	p99=$(hold_lat p99_ns)
	diag "release latency: samples $n, p50 ${p50} ns, p99 ${p99} ns, max $(hold_lat max_ns) ns"
	check_ge "latency samples after a release" 1 "$n" || router_diag
	check_ge "p50 > 0" 1 "$p50"
	check_le "p50 <= p99" "${p99:-x}" "$p50"
}

# --- 12: static routes via a next hop ------------------------------------------------

test_static_route() {
	local out
	topo_up || return 1
	ip -n ext addr add 10.50.0.1/32 dev lo
	ip -n ext addr add fd00:50::1/128 dev lo
	check_ok "route add lr0 10.50.0.0/16 via $EXT port lr0-ext" \
		"$LSDP" route add lr0 10.50.0.0/16 via $EXT port lr0-ext
	check_ok "route add lr0 fd00:50::/64 via $EXT6 port lr0-ext" \
		"$LSDP" route add lr0 fd00:50::/64 via $EXT6 port lr0-ext
	flush_all_neigh
	PING pc1 -c 5 -i 0.2 -W 2 10.50.0.1
	if ! has_reply 1 || [ "$(received)" != 5 ]; then
		fail "ping 10.50.0.1 via the static route: 5 of 5, icmp_seq=1 included"
		diag_output "$PING_OUT"; router_diag
	fi
	PING pc1 -6 -c 5 -i 0.2 -W 2 fd00:50::1
	if ! has_reply 1 || [ "$(received)" != 5 ]; then
		fail "ping -6 fd00:50::1 via the static route: 5 of 5, icmp_seq=1 included"
		diag_output "$PING_OUT"; router_diag
	fi
	# The next hop was resolved, not the destination.
	check_eq "binding of the next hop $EXT" $EXT_MAC "$(neigh_field lr0-ext $EXT mac)"
	check_eq "no binding for 10.50.0.1" "" "$(neigh_field lr0-ext 10.50.0.1 mac)"
	out=$("$LSDP" -j route show lr0)
	check_eq "static routes in route show" 2 \
		"$(printf '%s\n' "$out" | jq '[.[] | select(.connected != true)] | length')" || diag_output "$out"
	check_eq "connected routes in route show" 4 \
		"$(printf '%s\n' "$out" | jq '[.[] | select(.connected == true)] | length')" || diag_output "$out"
	check_ok "route del lr0 10.50.0.0/16" "$LSDP" route del lr0 10.50.0.0/16
	check_ok "route del lr0 fd00:50::/64" "$LSDP" route del lr0 fd00:50::/64
	PING pc1 -c 1 -W 2 10.50.0.1
	printf '%s\n' "$PING_OUT" | grep -q "From $GW icmp_seq=1 Destination Net Unreachable" ||
		{ fail "after route del: no 'Destination Net Unreachable'"; diag_output "$PING_OUT"; }
	ip -n ext addr del 10.50.0.1/32 dev lo
	ip -n ext addr del fd00:50::1/128 dev lo
}

# --- 13: hold queue events ----------------------------------------------------------

EV_PID='' EV_FILE=''
# ev_start SECS: genl.py --listen SECS on the lsdp "events" group in the
# background (output in EV_FILE); returns once it has joined the group.
ev_start() {
	EV_FILE=$(mktemp /tmp/lsdp-events.XXXXXX)
	"$PYTHON" "$SELFTESTS/genl.py" --listen "$1" >"$EV_FILE" 2>"$EV_FILE.err" &
	EV_PID=$!
	BG_PIDS+=("$EV_PID")
	wait_until 20 grep -qx listening "$EV_FILE.err" || {
		fail "genl.py --listen did not start listening"
		diag_output "$(cat "$EV_FILE.err")"
		return 1
	}
}

ev_stop() {
	if [ -n "$EV_PID" ]; then
		kill "$EV_PID" 2>/dev/null
		wait "$EV_PID" 2>/dev/null
	fi
	EV_PID=
	[ -n "$EV_FILE" ] && rm -f "$EV_FILE" "$EV_FILE.err"
	EV_FILE=
}

ev_lines() { wc -l <"$EV_FILE"; }

# ev_hold FROM ADDR [EVENT]: the hold_event lines for ADDR (of kind EVENT)
# the listener printed after its first FROM lines.
ev_hold() {
	tail -n +$(($1 + 1)) "$EV_FILE" | grep '^hold_event ' |
		grep -E " neigh_addr=$2( |\$)" | grep -E " hold_event=${3:-[0-9]+}( |\$)"
}

ev_hold_n() { ev_hold "$@" | wc -l; }
ev_hold_ge() { [ "$(ev_hold_n "$1" "$2" "$3")" -ge "$4" ]; }	# FROM ADDR EVENT MIN

# ev_attr LINE NAME: the value of NAME=VALUE in one listener line.
ev_attr() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1
}

ev_diag() {
	diag "events received (genl.py --listen):"
	diag_output "$(cat "$EV_FILE")"
	[ -s "$EV_FILE.err" ] && diag_output "$(cat "$EV_FILE.err")"
}

# hold_event_num NAME: the value of LSDP_HOLD_EVENT_NAME in the uAPI header.
hold_event_num() {
	awk -v n="LSDP_HOLD_EVENT_$1" '$1 == n "," { print i + 0 } /LSDP_HOLD_EVENT_/ && $1 ~ /,$/ { i++ }' \
		"$TOP/include/uapi/linux/lsdp.h"
}

hold_events_body() {
	local from line a held n f ev_res ev_fail ev_ovf fail0 ok=0
	ev_res=$(hold_event_num RESOLVED) ev_fail=$(hold_event_num FAILED)
	ev_ovf=$(hold_event_num OVERFLOW)
	check_eq "enum lsdp_hold_event: RESOLVED FAILED OVERFLOW" "1 2 3" "$ev_res $ev_fail $ev_ovf" ||
		return 1
	ev_start 300 || return 1

	# Resolution: one ping to a forgotten PC-EXT is held, then released.
	forget_ext
	from=$(ev_lines)
	PING pc1 -c 1 -W 5 $EXT
	check_eq "ping $EXT after neigh flush: replies" 1 "$(received)" || diag_output "$PING_OUT"
	wait_until 5 ev_hold_ge "$from" $EXT "" 1
	check_eq "resolution: hold_event lines for $EXT" 1 "$(ev_hold_n "$from" $EXT)" || ok=1
	line=$(ev_hold "$from" $EXT | head -n1)
	check_eq "resolution: hold_event" "$ev_res" "$(ev_attr "$line" hold_event)" || ok=1
	check_eq "resolution: port_name" lr0-ext "$(ev_attr "$line" port_name)" || ok=1
	check_eq "resolution: neigh_addr" $EXT "$(ev_attr "$line" neigh_addr)" || ok=1
	check_eq "resolution: hold_packets" 1 "$(ev_attr "$line" hold_packets)" || ok=1

	# Failure: three pings held for a host nobody has, failed after the
	# retries (default 3 x 1000 ms) in one event.
	"$LSDP" neigh flush lr0-ext
	from=$(ev_lines)
	a=$(counter lr0-ext hold-failed)
	PING pc1 -c 3 -i 0.2 -W 8 $DEAD
	held=$(($(counter lr0-ext hold-failed) - a))
	n=$(printf '%s\n' "$PING_OUT" | grep -c "Destination Host Unreachable")
	check_eq "failure: pings answered unreachable" 3 "$n" || { diag_output "$PING_OUT"; ok=1; }
	check_eq "failure: lr0-ext hold-failed" 3 "$held" || ok=1
	wait_until 5 ev_hold_ge "$from" $DEAD "" 1
	check_eq "failure: hold_event lines for $DEAD" 1 "$(ev_hold_n "$from" $DEAD)" || ok=1
	line=$(ev_hold "$from" $DEAD | head -n1)
	check_eq "failure: hold_event" "$ev_fail" "$(ev_attr "$line" hold_event)" || ok=1
	check_eq "failure: port_name" lr0-ext "$(ev_attr "$line" port_name)" || ok=1
	check_eq "failure: neigh_addr" $DEAD "$(ev_attr "$line" neigh_addr)" || ok=1
	check_eq "failure: hold_packets (pings held)" "$held" "$(ev_attr "$line" hold_packets)" || ok=1

	# Overflow: ping -s 100 is 142 bytes a frame, 5 fit in 710; 10 sent
	# quickly to a PC-EXT that ignores ARP drop the 5 oldest, with one
	# overflow event (at the first drop) for the round, which ends when
	# the 5 left fail.
	hold_set dest-bytes 710
	ip -n ext link set dev eth0 arp off
	"$LSDP" neigh flush lr0-ext
	from=$(ev_lines)
	a=$(counter lr0-ext hold-dest-full)
	f=$(counter lr0-ext hold-failed)
	PING pc1 -s 100 -c 10 -i 0.01 -W 1 $EXT
	wait_until 10 ev_hold_ge "$from" $EXT "$ev_fail" 1 ||
		{ fail "overflow: no failure event for $EXT after the retries"; ok=1; }
	diag "overflow: lr0-ext hold-dest-full +$(($(counter lr0-ext hold-dest-full) - a)), hold-failed +$(($(counter lr0-ext hold-failed) - f))"
	check_eq "overflow: lr0-ext hold-dest-full (10 sent, 5 fit)" 5 \
		$(($(counter lr0-ext hold-dest-full) - a)) || ok=1
	check_eq "overflow: hold_event=$ev_ovf lines for $EXT in the round" 1 \
		"$(ev_hold_n "$from" $EXT "$ev_ovf")" || ok=1
	line=$(ev_hold "$from" $EXT "$ev_ovf" | head -n1)
	check_eq "overflow: port_name" lr0-ext "$(ev_attr "$line" port_name)" || ok=1
	check_eq "overflow: neigh_addr" $EXT "$(ev_attr "$line" neigh_addr)" || ok=1
	line=$(ev_hold "$from" $EXT "$ev_fail" | head -n1)
	check_eq "overflow: the 5 left fail, hold_packets" 5 "$(ev_attr "$line" hold_packets)" || ok=1
	check_eq "overflow: hold_event lines for $EXT in the round (overflow, failure)" 2 \
		"$(ev_hold_n "$from" $EXT)" || ok=1
	ip -n ext link set dev eth0 arp on
	check_ok "restore the default hold limits" hold_defaults || ok=1
	check_eq "dest-bytes restored" "$DEF_DEST_BYTES" "$(hold_limit dest_bytes)" || ok=1
	"$LSDP" neigh flush lr0-ext
	[ "$ok" = 0 ] || { ev_diag; router_diag; }
	return 0
}

test_hold_events() {
	local rc
	topo_up || return 1
	hold_events_body
	rc=$?
	[ "$rc" != 0 ] && [ -n "$EV_FILE" ] && ev_diag
	ev_stop
	ip -n ext link set dev eth0 arp on
	hold_defaults
	return $rc
}

# --- 14: what is held and what left add up; deletion and flush count ------------

# hold_io: "HELD_BYTES RELEASED_BYTES HELD_PKTS RELEASED_PKTS", the netns's
# hold counters as the kernel reports them (rx = held, tx = released).
hold_io() {
	"$PYTHON" "$SELFTESTS/genl.py" --stats hold_stats hold_get |
		sed -n 's/^rx_packets=\([0-9]*\) rx_bytes=\([0-9]*\) tx_packets=\([0-9]*\) tx_bytes=\([0-9]*\)$/\2 \4 \1 \3/p'
}

test_hold_accounting() {
	local f pid a b d p
	topo_up || return 1
	a=($(hold_io))
	[ ${#a[@]} = 4 ] || { fail "cannot read the hold counters (genl.py --stats hold_stats hold_get)"; return 1; }
	# Five pings held while ext ignores ARP, released when it answers.
	hold_set retries 10 interval 2000
	ip -n ext link set dev eth0 arp off
	"$LSDP" neigh flush lr0-ext
	f=$(mktemp /tmp/lsdp-ping.XXXXXX)
	ping_bg pc1 "$f" -i 0.05 -c 5 -W 20 $EXT
	pid=$bg_pid
	wait_until 10 held_is $EXT 5 || { fail "5 packets not held for $EXT"; router_diag; }
	ip -n ext link set dev eth0 arp on
	ping_wait "$pid" 30
	check_eq "replies received by pc1" 5 "$(received "$(cat "$f")")" || diag_output "$(cat "$f")"
	b=($(hold_io))
	check_eq "packets held, released" "5 5" "$((b[2] - a[2])) $((b[3] - a[3]))"
	# Frame bytes, the Ethernet header included, both ways (14+20+8+56).
	check_eq "bytes held (5 x 98)" 490 $((b[0] - a[0]))
	check_eq "bytes released (5 x 98, as held)" 490 $((b[1] - a[1]))

	# Held packets of a neighbour deleted, then flushed, while traffic
	# flows through the router: each one counted hold-flush.
	ping_bg pc1 /dev/null -i 0.05 -c 100000 -W 1 $EXT
	p=$bg_pid
	hold_set retries 10 interval 10000
	for how in del flush; do
		a=$(hold_drop hold-flush)
		d=$(counter lr0-ext hold-flush)
		PING pc1 -c 3 -i 0.05 -W 1 $DEAD
		check_eq "$how: packets held for $DEAD" 3 "$(hold_pending_pkts $DEAD)" || router_diag
		if [ $how = del ]; then
			check_ok "neigh del lr0-ext $DEAD" "$LSDP" neigh del lr0-ext $DEAD
			check_eq "$how: lr0-ext hold-flush" 3 $(($(counter lr0-ext hold-flush) - d))
		else
			check_ok "neigh flush lr0-ext" "$LSDP" neigh flush lr0-ext
		fi
		check_eq "$how: packets held for $DEAD after" 0 "$(hold_pending_pkts $DEAD)"
		check_eq "$how: hold-flush (netns)" 3 $(($(hold_drop hold-flush) - a))
	done
	check_ok "traffic to $EXT still flows" ping_ok pc1 $EXT 2
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$f"
	hold_defaults
}

# --- 15: the unbound-port hold timer against netns deletion -----------------------

# A port hold's timer fires (unbound-time 10 ms) while packets keep coming
# for the unbound port and the netns is deleted: the timer must be done
# with the netns's counters before they are freed.  Checked by the kernel
# log (KASAN on a debug kernel) and a clean unload at the end.
test_hold_timer_netns() {
	local i out
	topo_up || return 1
	for i in 1 2 3 4 5; do
		ns_create tns tpc || return 1
		ip link add ttap type veth peer name eth0 netns tpc &&
		ip link set ttap netns tns &&
		ip -n tns link set ttap up &&
		ip netns exec tpc sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 &&
		ip -n tpc link set eth0 address 02:00:00:00:09:01 up &&
		ip -n tpc addr add 10.9.0.1/24 dev eth0 &&
		ip -n tpc neigh add 10.9.0.2 lladdr 02:00:00:00:09:02 dev eth0 ||
			{ fail "netns setup"; return 1; }
		check_ok "configure lsdp in tns" sh -c "
			'$LSDP' -n tns switch add s1 key 1 &&
			'$LSDP' -n tns port add s1 p1 key 1 mac 02:00:00:00:09:01 dev ttap &&
			'$LSDP' -n tns port add s1 p2 key 2 mac 02:00:00:00:09:02 &&
			'$LSDP' -n tns hold set unbound-time 10" || return 1
		ip netns exec tpc ping -n -f -W 1 10.9.0.2 >/dev/null 2>&1 &
		BG_PIDS+=("$!")
		wait_until 5 counter_ge_ns tns p2 hold-timeout 1 ||
			fail "round $i: no hold-timeout on unbound p2 ($(L tns -j stats show p2 2>&1))"
		ip netns del tns
		kill "${BG_PIDS[-1]}" 2>/dev/null
		wait "${BG_PIDS[-1]}" 2>/dev/null
		ip netns del tpc
	done
	sleep 1
	out=$(timeout 60 rmmod lsdp 2>&1)
	check_eq "rmmod after the netns deletions: exit code" 0 $? || diag_output "$out"
	TOPO=
	check_eq "lsdp slab caches after rmmod" 0 "$(grep -ci lsdp /proc/slabinfo)"
	topo_up
}

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "$CH_UCAP_PID" ] && kill "$CH_UCAP_PID" 2>/dev/null
	[ -n "$CH_UCAP_FILE" ] && rm -f "$CH_UCAP_FILE" "$CH_UCAP_FILE.err"
	for p in hns hpc ch1 ch2 rpc1 rpc2 h2; do ip netns del $p 2>/dev/null; done
	lsdp_cleanup
}

topo_up || ksft_abort "setup failed"
run_test "router: seed 000, first ping answered; holding off loses it" test_seed000
run_test "router: seed 000 over IPv6" test_seed000_v6
run_test "router: ARP/ND/echo answers, TTL expiry, no route, MAC rewrite" test_router_answers
run_test "router: unresolvable next hop answered unreachable after the retries" test_unresolvable
run_test "router: burst of 20 held and released in order" test_burst_in_order
run_test "router: dest-bytes and total-bytes overflow" test_overflow
run_test "router: held packets freed by failure, rmmod and netns deletion" test_lifetimes
run_test "router: destination port on another chassis" test_remote_chassis
run_test "router: port bound after traffic for it started" test_late_bind
run_test "router: bad input rejected with its error" test_bad_input
run_test "router: release latency reported" test_latency
run_test "router: static routes via a next hop" test_static_route
run_test "router: hold queue events (resolved, failed, overflow)" test_hold_events
run_test "router: held and released bytes agree; neigh del/flush count hold-flush" test_hold_accounting
run_test "router: unbound-port hold timer firing as its netns is deleted" test_hold_timer_netns
ksft_exit
