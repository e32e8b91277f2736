# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# pktgen helpers for the lsdp benchmarks (sourced; run as root in the VM).
#
# pktgen in netif_receive mode hands each packet to the receive path of the
# device it is bound to, as if it had arrived there: the datapath under test
# runs on the pktgen thread's CPU.  What counts is what arrives at the sink
# (DESIGN.md section 10): pktgen's own rate is misleading when a backlog
# overflows, so the rate reported here is packets delivered at the sink
# divided by the time until the sink stopped receiving.

PG=/proc/net/pktgen

pg_write() { # FILE CMD
	echo "$2" >"$PG/$1" || { echo "pktgen: '$2' > $1 failed" >&2; return 1; }
}

# pg_setup CPU NETNS DEV DST_MAC DST_IP SRC_MAC SRC_IP SIZE COUNT
# (LSDP_PG_VLAN=VID in the environment: frames tagged with VID;
# LSDP_PG_FLOWS=N: N UDP flows, source ports 1024..1023+N in turn)
pg_setup() {
	local cpu=$1 ns=$2 dev=$3 dmac=$4 dip=$5 smac=$6 sip=$7 size=$8 count=$9
	local th=kpktgend_$cpu
	[ -d $PG ] || modprobe pktgen || return 1
	pg_write $th "rem_device_all"
	# pktgen finds the device in its own (init) netns only: move the
	# device's view by binding in the netns through "ip netns exec" is not
	# possible, so benchmarks keep the injection device in the init netns.
	pg_write $th "add_device $dev" || return 1
	pg_write "$dev" "xmit_mode netif_receive"
	pg_write "$dev" "count $count"
	pg_write "$dev" "pkt_size $size"
	pg_write "$dev" "dst_mac $dmac"
	pg_write "$dev" "src_mac $smac"
	case $dip in
	*:*)	# IPv6: pktgen pads a frame to at least its own 16-byte
		# header after IPv6 + UDP, i.e. 78 bytes for "64".
		pg_write "$dev" "dst6 $dip"
		pg_write "$dev" "src6 $sip" ;;
	*)	pg_write "$dev" "dst $dip"
		pg_write "$dev" "src_min $sip"
		pg_write "$dev" "src_max $sip" ;;
	esac
	# A tagged frame, as a trunk parent or a provider network sends it
	# (the trunk and localnet scenarios set LSDP_PG_VLAN for a comparison).
	if [ -n "${LSDP_PG_VLAN:-}" ]; then
		pg_write "$dev" "vlan_id $LSDP_PG_VLAN" || return 1
	fi
	# Many flows: a per-flow cache (lsdp's ACL verdicts) sees N keys in
	# turn; conntrack gets N entries.
	if [ -n "${LSDP_PG_FLOWS:-}" ]; then
		pg_write "$dev" "udp_src_min 1024" &&
			pg_write "$dev" "udp_src_max $((1023 + LSDP_PG_FLOWS))" || return 1
	fi
	pg_write "$dev" "udp_dst_min 9"
	pg_write "$dev" "udp_dst_max 9"
	pg_write "$dev" "burst 1"
	pg_write "$dev" "delay 0"
	: "$ns"
}

# sink_count NETNS DEV: rx packets of DEV in NETNS ("" = this netns), or
# with NETNS "@tc" the packets DEV's ingress matchall filter dropped (for
# a port that only drops, where no device counts anything).
#
# One program per count, parsed here: under TCG every program started
# costs the host a noticeable time, and a run reads the count three times.
sink_count() {
	local out re
	if [ "$1" = @tc ]; then
		# The first "Sent N bytes M pkt" is the drop action's.
		out=$(tc -s filter show dev "$2" ingress) || return 1
		re='Sent [0-9]+ bytes ([0-9]+) pkt'
	else
		# "RX:  bytes packets errors ..." and below it the figures.
		out=$(ip ${1:+-n "$1"} -s link show dev "$2") || return 1
		re=$'RX:[^\n]*\n *[0-9]+ +([0-9]+)'
	fi
	[[ $out =~ $re ]] || { echo "sink_count: no packet count for $2" >&2; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# pg_run CPU SINK_NS SINK_DEV DEV: runs the configured pktgen thread and
# prints "delivered pps": packets that reached the sink, and that count
# divided by pktgen's own run time.  In netif_receive mode everything up to
# the sink's backlog runs synchronously on the pktgen CPU and at most one
# backlog (netdev_max_backlog packets) drains after pktgen stops, so this
# is the rate of the path under test as the sink saw it.
pg_run() {
	local cpu=$1 sns=$2 sdev=$3 dev=$4 before after last usec
	before=$(sink_count "$sns" "$sdev")
	pg_write pgctrl "start" || return 1
	# "start" returns when pktgen is done; what is still in a backlog
	# drains right after.  Read until two reads agree.
	last=-1
	after=$(sink_count "$sns" "$sdev")
	while [ "$after" != "$last" ]; do
		last=$after
		sleep 0.05
		after=$(sink_count "$sns" "$sdev")
	done
	usec=$(<"$PG/$dev")
	[[ $usec =~ Result:\ OK:\ ([0-9]+)\(c ]] && usec=${BASH_REMATCH[1]} || usec=
	[ -n "$usec" ] && [ "$usec" -gt 0 ] || { echo "pktgen: no result" >&2; return 1; }
	echo "$((after - before)) $(( (after - before) * 1000000 / usec ))"
}
