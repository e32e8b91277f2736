#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink bad input: every rejection exits 1 with "Error: <why>", through the
# CLI and, for requests the CLI cannot build (missing or stray attributes),
# through raw generic netlink (genl.py).  Also the JSON shapes of show.
. "$(dirname "$0")/lib.sh"

lsdp_require

GENL="$PYTHON $SELFTESTS/genl.py"
NAME63=$(printf 'n%.0s' $(seq 63))
NAME64=$(printf 'n%.0s' $(seq 64))

setup() {
	local i
	for i in 1 2 3 4 5; do
		ip link del nl$i 2>/dev/null
		ip link add nl$i type veth peer name nl${i}p || return 1
		LINK_LIST+=(nl$i)
	done
	"$LSDP" switch add sw1 key 1 && "$LSDP" switch add sw2 key 2
}

# Ranges are the policies' (generated from the spec): the kernel's message
# names no attribute, the CLI and genl.py add which one and its limits from
# the error's offset and the policy the kernel sends back.
test_dp_keys() {
	local t="integer out of range: dp-key must be 1..16777215"
	check_err "$t" "$LSDP" switch add bad key 0
	check_err "$t" "$LSDP" switch add bad key 16777216
	check_err "$t" "$LSDP" router add bad key 0
	check_err "$t" "$LSDP" router add bad key 16777216
	check_err "$t" $GENL dp_new dp_name=bad dp_key=0 dp_kind=1
	check_err "$t" $GENL dp_new dp_name=bad dp_key=16777216 dp_kind=1
	check_err "integer out of range: dp-kind must be 1..2" \
		$GENL dp_new dp_name=bad dp_key=9 dp_kind=3
	check_ok "switch add key 16777215" "$LSDP" switch add kmax key 16777215
	check_eq "key of kmax" 16777215 "$("$LSDP" -j switch show kmax | jq -r '.[0].key')"
	check_ok "switch del kmax" "$LSDP" switch del kmax
}

test_port_keys() {
	local t="integer out of range: port-key must be 1..32767"
	check_err "$t" "$LSDP" port add sw1 bad key 0
	check_err "$t" "$LSDP" port add sw1 bad key 32768
	check_err "$t" $GENL port_new dp_name=sw1 port_name=bad port_key=0
	check_err "$t" $GENL port_new dp_name=sw1 port_name=bad port_key=32768
	check_err "integer out of range: port-unknown must be 0..1" \
		$GENL port_new dp_name=sw1 port_name=bad port_key=9 port_unknown=2
	check_err "integer out of range: hold-retries must be 1..10" "$LSDP" hold set retries 11
	check_err "integer out of range: hold-interval-ms must be 10..60000" \
		"$LSDP" hold set interval 5
	check_fails "bad p must not exist" "$LSDP" port show bad
	check_ok "port add key 32767" "$LSDP" port add sw1 pmax key 32767
	check_eq "key of pmax" 32767 "$(port_field pmax .key)"
	check_ok "port del pmax" "$LSDP" port del pmax
}

test_names() {
	local t="name must be 1..63 printable characters"
	check_err "$t" "$LSDP" switch add "" key 9
	check_err "$t" "$LSDP" switch add "$NAME64" key 9
	check_err "$t" "$LSDP" switch add $'bad\tname' key 9
	check_err "$t" "$LSDP" switch add $'bad\001' key 9
	check_err "$t" "$LSDP" port add sw1 "" key 9
	check_err "$t" "$LSDP" port add sw1 "$NAME64" key 9
	check_err "$t" "$LSDP" port add sw1 $'p\x7f' key 9
	check_err "$t" $GENL dp_new dp_name= dp_key=9 dp_kind=1
	check_err "$t" $GENL dp_new dp_name="$NAME64" dp_key=9 dp_kind=1
	check_err "$t" $GENL dp_new dp_name=$'x\033' dp_key=9 dp_kind=1
	check_err "$t" $GENL port_new dp_name=sw1 port_name="$NAME64" port_key=9
	# A name attribute without its NUL, and 63 bytes + NUL that is fine.
	check_fails "unterminated name rejected" $GENL dp_new 2:hex=6e6f6e756c dp_key=9 dp_kind=1
	check_ok "63-byte switch name" "$LSDP" switch add "$NAME63" key 9
	check_ok "63-byte port name" "$LSDP" port add sw1 "$NAME63" key 9
	check_eq "63-byte port name shown" "$NAME63" "$(port_field "$NAME63" .name)"
	check_ok "del 63-byte port" "$LSDP" port del "$NAME63"
	check_ok "del 63-byte switch" "$LSDP" switch del "$NAME63"
}

test_duplicates() {
	check_err "datapath name already exists" "$LSDP" switch add sw1 key 30
	check_err "datapath name already exists" "$LSDP" router add sw1 key 30
	check_err "datapath key already exists" "$LSDP" switch add sw3 key 1
	check_err "datapath key already exists" "$LSDP" router add lr3 key 2
	check_ok "port add sw1 p1 key 1" "$LSDP" port add sw1 p1 key 1
	check_err "port name already exists" "$LSDP" port add sw1 p1 key 2
	check_err "port name already exists" "$LSDP" port add sw2 p1 key 2
	check_err "port key already exists in this datapath" "$LSDP" port add sw1 p2 key 1
	check_ok "same port key in another datapath" "$LSDP" port add sw2 q1 key 1
	check_ok "port add with MAC" "$LSDP" port add sw1 pm1 key 11 mac 02:00:00:00:02:01
	check_err "MAC address already used by another port of this switch" \
		"$LSDP" port add sw1 pm2 key 12 mac 02:00:00:00:02:01
	check_ok "port add pm3" "$LSDP" port add sw1 pm3 key 13 mac 02:00:00:00:02:03
	check_err "MAC address already used by another port of this switch" \
		"$LSDP" port set pm3 mac 02:00:00:00:02:01
	check_ok "same MAC in another switch" "$LSDP" port add sw2 qm1 key 11 mac 02:00:00:00:02:01
	check_err "invalid MAC address" "$LSDP" port add sw1 pm4 key 14 mac 01:00:5e:00:00:01
	check_err "invalid MAC address" "$LSDP" port add sw1 pm4 key 14 mac 00:00:00:00:00:00
	check_err "invalid MAC address" "$LSDP" port add sw1 pm4 key 14 mac ff:ff:ff:ff:ff:ff
	check_err "invalid MAC address" $GENL port_new dp_name=sw1 port_name=pm4 port_key=14 port_mac=01:00:5e:00:00:01
	check_err "binary attribute size out of range: port-mac must be 6 bytes" \
		$GENL port_new dp_name=sw1 port_name=pm4 port_key=14 9:hex=0200000000
	check_fails "CLI rejects a malformed MAC" "$LSDP" port add sw1 pm4 key 14 mac 02:00:zz:00:00:01
	check_fails "pm4 must not exist" "$LSDP" port show pm4
	local n
	n=$("$LSDP" -j port show sw1 | jq 'length')
	check_eq "ports in sw1 after the rejections (p1 pm1 pm3)" 3 "$n"
	"$LSDP" port del p1; "$LSDP" port del q1; "$LSDP" port del pm1
	"$LSDP" port del pm3; "$LSDP" port del qm1
}

test_unknown_objects() {
	check_err "no such datapath" "$LSDP" port add nosuch p9 key 1
	check_err "no such datapath" "$LSDP" switch del nosuch
	check_err "no such datapath" "$LSDP" router del nosuch
	check_err "no such datapath" "$LSDP" switch show nosuch
	check_err "no such port" "$LSDP" port del nosuch
	check_err "no such port" "$LSDP" port set nosuch unknown
	# show takes a port or a datapath name: the CLI says so.
	check_err 'no port or datapath "nosuch"' "$LSDP" port show nosuch
	check_err 'no port or datapath "nosuch"' "$LSDP" stats show nosuch
	check_err "no such device" "$LSDP" port add sw1 p9 key 9 dev nosuchdev
	check_err "no such device" $GENL port_new dp_name=sw1 port_name=p9 port_key=9 port_ifindex=999999
	check_fails "p9 must not exist" "$LSDP" port show p9
	check_ok "port add p9" "$LSDP" port add sw1 p9 key 9
	check_err "no such device" "$LSDP" port set p9 dev nosuchdev
	check_err "no such device" $GENL port_set port_name=p9 port_ifindex=999999
	check_ok "port del p9" "$LSDP" port del p9
}

test_dev_owned() {
	# By a bridge.
	ip link add lsdpbr0 type bridge && LINK_LIST+=(lsdpbr0)
	ip link set nl1 master lsdpbr0
	check_err "device is a bridge port" "$LSDP" port add sw1 pb key 20 dev nl1
	check_fails "pb must not exist" "$LSDP" port show pb
	check_ok "port add pb without dev" "$LSDP" port add sw1 pb key 20
	check_err "device is a bridge port" "$LSDP" port set pb dev nl1
	check_eq "pb still unbound" null "$(port_field pb .dev)"
	ip link set nl1 nomaster
	check_ok "bind pb once the bridge let go" "$LSDP" port set pb dev nl1
	check_eq "pb dev" nl1 "$(port_field pb .dev)"
	check_eq "pb ifindex" "$(cat /sys/class/net/nl1/ifindex)" "$(port_field pb .ifindex)"
	# ...and the bridge cannot take it now.
	check_fails "bridge cannot enslave a bound device" ip link set nl1 master lsdpbr0
	# By another lsdp port.
	check_err "device is bound to another lsdp port" "$LSDP" port add sw1 pc key 21 dev nl1
	check_err "device is bound to another lsdp port" "$LSDP" port add sw2 pc key 21 dev nl1
	check_ok "port add pc on nl2" "$LSDP" port add sw1 pc key 21 dev nl2
	check_err "device is bound to another lsdp port" "$LSDP" port set pc dev nl1
	check_eq "pc still on nl2" nl2 "$(port_field pc .dev)"
	check_ok "port set pc nodev" "$LSDP" port set pc nodev
	check_eq "pc unbound" null "$(port_field pc .dev)"
	check_ok "nl2 free again: bind pb2" "$LSDP" port add sw1 pb2 key 22 dev nl2
	# By Open vSwitch (a datapath with nl3 as a netdev vport, made over
	# the ovs genl families: no ovs-vswitchd needed).
	if modprobe openvswitch 2>/dev/null &&
	   $GENL --family ovs_datapath --version 2 --hdr-u32 0 1 1:str=lsdpovs 2:u32=0 >/dev/null 2>&1; then
		local dpif
		dpif=$(cat /sys/class/net/lsdpovs/ifindex)
		if $GENL --family ovs_vport --hdr-u32 "$dpif" 1 2:u32=1 3:str=nl3 5:u32=0; then
			check_err "device is an Open vSwitch port" "$LSDP" port add sw1 po key 23 dev nl3
			check_fails "po must not exist" "$LSDP" port show po
		else
			fail "could not add nl3 to the OVS datapath"
		fi
		$GENL --family ovs_datapath --version 2 --hdr-u32 0 2 1:str=lsdpovs >/dev/null 2>&1
	else
		fail "could not create an OVS datapath to test with"
	fi
	"$LSDP" port del pb; "$LSDP" port del pc; "$LSDP" port del pb2
}

test_missing_attrs() {
	check_err "missing datapath name" $GENL dp_new dp_key=40 dp_kind=1
	check_err "missing datapath key" $GENL dp_new dp_name=m40 dp_kind=1
	check_err "missing datapath name" $GENL dp_del
	check_err "missing datapath name" $GENL port_new port_name=m1 port_key=1
	check_err "missing port name" $GENL port_new dp_name=sw1 port_key=1
	check_err "missing port key" $GENL port_new dp_name=sw1 port_name=m1
	check_err "missing port name" $GENL port_set port_unknown=1
	check_err "missing port name" $GENL port_del
	check_fails "m40 must not exist" "$LSDP" switch show m40
	check_fails "m1 must not exist" "$LSDP" port show m1
	# The CLI refuses incomplete commands too.
	check_fails "CLI: switch add without key" "$LSDP" switch add m41
	check_fails "CLI: port add without key" "$LSDP" port add sw1 m1
	check_fails "CLI: port add without name" "$LSDP" port add sw1
}

test_strict() {
	# An attribute the command does not take is rejected, not ignored.
	check_fails "dp_new with a port attribute" $GENL dp_new dp_name=s50 dp_key=50 dp_kind=1 port_key=1
	check_fails "dp_new with an unknown attribute type" $GENL dp_new dp_name=s50 dp_key=50 dp_kind=1 200:u32=1
	check_fails "dp_new with a bad kind" $GENL dp_new dp_name=s50 dp_key=50 dp_kind=9
	check_fails "port_new with a bad type" $GENL port_new dp_name=sw1 port_name=s50 port_key=50 port_type=99
	check_fails "port_new with a read-only attribute" $GENL port_new dp_name=sw1 port_name=s50 port_key=50 port_ifname=eth0
	check_fails "s50 switch must not exist" "$LSDP" switch show s50
	check_fails "s50 port must not exist" "$LSDP" port show s50
	check_fails "CLI: unknown keyword" "$LSDP" port add sw1 s51 key 51 frobnicate
	check_fails "CLI: bad key" "$LSDP" switch add s52 key abc
	check_fails "CLI: bad address" "$LSDP" port add sw1 s53 key 53 ip 10.0.0.300
}

test_json() {
	local j
	"$LSDP" port add sw1 pj key 60 mac 02:00:00:00:02:60 ip 10.0.2.60 ip 2001:db8::60 unknown security dev nl4 >/dev/null
	j=$(lsdp_json switch show sw1) || fail "switch show -j"
	check_eq "switch JSON" '{"name":"sw1","key":1,"kind":"switch","ports":1}' \
		"$(printf '%s' "$j" | jq -c '.[0] | {name, key, kind, ports}')"
	j=$(lsdp_json port show pj) || fail "port show -j"
	check_eq "port JSON" \
		'{"name":"pj","datapath":"sw1","key":60,"type":"vif","mac":"02:00:00:00:02:60","addresses":["10.0.2.60","2001:db8::60"],"unknown":true,"security":true,"dev":"nl4"}' \
		"$(printf '%s' "$j" | jq -c '.[0] | {name, datapath, key, type, mac, addresses, unknown, security, dev}')"
	check_eq "port JSON ifindex" "$(cat /sys/class/net/nl4/ifindex)" "$(printf '%s' "$j" | jq '.[0].ifindex')"
	j=$(lsdp_json stats show pj) || fail "stats show -j"
	check_eq "stats JSON keys" '["datapath","drops","port","rx_bytes","rx_packets","tx_bytes","tx_packets"]' \
		"$(printf '%s' "$j" | jq -c '.[0] | keys')"
	check_eq "stats JSON drops is an object" object "$(printf '%s' "$j" | jq -r '.[0].drops | type')"
	j=$(lsdp_json stats show sw1) || fail "stats show sw1 -j"
	check_eq "stats show sw1 lists its ports" '["pj"]' "$(printf '%s' "$j" | jq -c 'map(.port)')"
	check_ok "port set noip" "$LSDP" port set pj noip
	check_eq "addresses after noip" '[]' "$(port_field pj '.addresses' | jq -c .)"
	check_ok "plain port show" "$LSDP" port show
	check_ok "plain stats show" "$LSDP" stats show
	check_ok "pretty JSON" "$LSDP" -j -p port show pj
	"$LSDP" port del pj
}

test_del_cascade() {
	check_ok "switch add swd" "$LSDP" switch add swd key 70
	check_ok "port add swd d1" "$LSDP" port add swd d1 key 1 dev nl5
	check_ok "port add swd d2" "$LSDP" port add swd d2 key 2
	check_ok "switch del swd (with ports)" "$LSDP" switch del swd
	check_fails "d1 gone with its switch" "$LSDP" port show d1
	check_ok "nl5 free after the switch is gone" "$LSDP" port add sw1 d1 key 71 dev nl5
	"$LSDP" port del d1
}

# check_dump DESC WANT [--mid-dump CMD] GENL-ARGS...: a dump through
# genl.py answers WANT, "N message(s) dump-consistent" (or dump-intr).
check_dump() {
	local desc=$1 want=$2 out
	shift 2
	out=$($GENL --dump --dump-intr "$@")
	check_eq "$desc" "$want" "$(echo $out)"
}

# Dumps of a few thousand objects come in several parts.  A part resumes
# after the last object sent, found by its key: deleting an object already
# sent neither skips nor repeats one (an index would skip one), and the
# parts after the change carry NLM_F_DUMP_INTR.
test_dump_cursor() {
	local b
	b=$(mktemp /tmp/lsdp-batch.XXXXXX)
	{
		echo "router add rdump key 900"
		echo "port add rdump rdp key 1 mac 02:00:00:00:90:01 net 10.200.0.1/16"
		awk 'BEGIN { for (i = 0; i < 2000; i++)
			printf "neigh add rdp 10.200.%d.%d mac 02:00:00:%02x:%02x:02\n",
				int(i / 250), i % 250 + 2, int(i / 256), i % 256 }'
		echo "switch add sdump key 901"
		awk 'BEGIN { for (i = 1; i <= 400; i++)
			printf "port add sdump sdp%d key %d mac 02:00:01:00:%02x:%02x\n",
				i, i, int(i / 256), i % 256 }'
	} >"$b"
	check_ok "lsdp -b: a router port, 2000 neighbours, 400 ports" "$LSDP" -b "$b" || return 1
	rm -f "$b"

	check_dump "neighbour dump, nothing changing" "2000 message(s) dump-consistent" \
		neigh_get port_name=rdp
	# 10.200.0.5 is in the first part; deleted, it must not shift the rest.
	check_dump "neighbour dump, one already sent deleted mid-dump" "2000 message(s) dump-intr" \
		--mid-dump "'$LSDP' neigh del rdp 10.200.0.5" neigh_get port_name=rdp
	# The last one is not sent yet: it is not in the dump.
	check_dump "neighbour dump, one not yet sent deleted mid-dump" "1998 message(s) dump-intr" \
		--mid-dump "'$LSDP' neigh del rdp 10.200.7.251" neigh_get port_name=rdp
	check_eq "neighbours left" 1998 "$("$LSDP" -j neigh show rdp | jq length)"

	check_dump "port dump, nothing changing" "400 message(s) dump-consistent" \
		port_get dp_name=sdump
	check_dump "port dump, one already sent deleted mid-dump" "400 message(s) dump-intr" \
		--mid-dump "'$LSDP' port del sdp3" port_get dp_name=sdump
	check_dump "port dump, one added mid-dump (last in creation order: sent)" "400 message(s) dump-intr" \
		--mid-dump "'$LSDP' port add sdump sdp401 key 401" port_get dp_name=sdump
	check_ok "router del rdump" "$LSDP" router del rdump
	check_ok "switch del sdump" "$LSDP" switch del sdump
}

# dump_changes GET DP N ALL DEL-SENT DEL-LAST ADD DEL-SENT-ALL: the dump of
# DP's N objects (ALL: every router's) by GET is flagged but counts each
# object once when, between its parts, lsdp commands delete one already
# sent (DEL-SENT), the last one, not yet sent (DEL-LAST), or add one (ADD);
# then the dump of every router, with another one already sent deleted.
dump_changes() {
	local get=$1 dp=$2 n=$3 all=$4 what=${1%_get}

	check_dump "$what dump, nothing changing" "$n message(s) dump-consistent" \
		"$get" dp_name="$dp"
	check_dump "$what dump of every router" "$all message(s) dump-consistent" "$get"
	check_dump "$what dump, one already sent deleted mid-dump" \
		"$n message(s) dump-intr" --mid-dump "'$LSDP' $5" "$get" dp_name="$dp"
	check_dump "$what dump, one not yet sent deleted mid-dump" \
		"$((n - 2)) message(s) dump-intr" --mid-dump "'$LSDP' $6" "$get" dp_name="$dp"
	check_dump "$what dump, one added mid-dump (last in creation order: sent)" \
		"$((n - 1)) message(s) dump-intr" --mid-dump "'$LSDP' $7" "$get" dp_name="$dp"
	check_dump "$what dump of every router, one already sent deleted mid-dump" \
		"$((all - 1)) message(s) dump-intr" --mid-dump "'$LSDP' $8" "$get"
	check_eq "${what}s of $dp left" $((n - 2)) "$("$LSDP" -j "$what" show "$dp" | jq length)"
}

# Routes and NAT rules are dumped router by router by one walker with the
# same cursor: the last object sent, by its creation serial (a route found
# again by its prefix).  1500 routes on one router and 1000 NAT rules on
# another take several parts of up to 32 KiB (the kernel fills the next
# part as the first is read, so the change below comes after two); a
# change mid-dump neither skips nor repeats one.
test_router_dump_cursor() {
	local b n_rt n_nat
	n_rt=$($GENL --dump route_get | awk '{ print $1 }')
	n_nat=$($GENL --dump nat_get | awk '{ print $1 }')
	b=$(mktemp /tmp/lsdp-batch.XXXXXX)
	# router_batch R ROUTES NATS
	router_batch() {
		echo "router add rdc$1 key 91$1"
		echo "port add rdc$1 rdc$1p key 1 mac 02:00:00:00:91:0$1 net 10.21$1.0.1/16"
		awk -v r="$1" -v nrt="$2" -v nnat="$3" 'BEGIN {
			for (i = 0; i < nrt; i++)
				printf "route add rdc%d 10.1%d%d.%d.0/24 via 10.21%d.0.254 port rdc%dp\n",
					r, r, int(i / 250), i % 250, r, r
			for (i = 0; i < nnat; i++)
				printf "nat add rdc%d dnat_and_snat 172.1%d.%d.%d 10.21%d.%d.%d\n",
					r, r, int(i / 250), i % 250 + 1, r, int(i / 250) + 1, i % 250 + 1 }'
	}
	{ router_batch 1 1500 5; router_batch 2 5 1000; } >"$b"
	check_ok "lsdp -b: 1500 routes on one router, 1000 NAT rules on another" "$LSDP" -b "$b" || return 1
	rm -f "$b"

	# 1500 static routes and the port's connected one.
	dump_changes route_get rdc1 1501 $((n_rt + 1507)) "route del rdc1 10.110.0.0/24" \
		"route del rdc1 10.115.249.0/24" "route add rdc1 10.116.0.0/24 port rdc1p" \
		"route del rdc1 10.110.1.0/24"
	dump_changes nat_get rdc2 1000 $((n_nat + 1005)) "nat del rdc2 dnat_and_snat 172.12.0.1" \
		"nat del rdc2 dnat_and_snat 172.12.3.250" \
		"nat add rdc2 dnat_and_snat 172.12.4.1 10.212.5.1" \
		"nat del rdc2 dnat_and_snat 172.12.0.2"
	check_ok "router del rdc1" "$LSDP" router del rdc1
	check_ok "router del rdc2" "$LSDP" router del rdc2
}

test_no_module() {
	cleanup_dps
	lsdp_unload || { fail "rmmod"; return 1; }
	check_err "lsdp module not loaded" "$LSDP" switch show
	check_err "lsdp module not loaded" "$LSDP" switch add x key 1
	check_ok "help works without the module" "$LSDP" help
	check_ok "port help works without the module" "$LSDP" port help
	lsdp_load || fail "reload"
}

cleanup_dps() {
	local d
	for d in $("$LSDP" -j switch show | jq -r '.[].name'); do "$LSDP" switch del "$d"; done
	for d in $("$LSDP" -j router show | jq -r '.[].name'); do "$LSDP" router del "$d"; done
}

if ! setup; then
	ksft_abort "setup failed"
fi
run_test "netlink: datapath keys 0 and 16777216 rejected" test_dp_keys
run_test "netlink: port keys 0 and 32768 rejected" test_port_keys
run_test "netlink: names empty, 64 bytes, non-printable rejected" test_names
run_test "netlink: duplicate names, keys, MACs rejected" test_duplicates
run_test "netlink: unknown datapath, port, device rejected" test_unknown_objects
run_test "netlink: devices owned by a bridge, OVS, another port rejected" test_dev_owned
run_test "netlink: missing required attributes rejected" test_missing_attrs
run_test "netlink: strict validation of attributes and CLI input" test_strict
run_test "netlink: JSON output of show" test_json
run_test "netlink: deleting a datapath deletes its ports" test_del_cascade
run_test "netlink: dumps resume by key; a change mid-dump is flagged" test_dump_cursor
run_test "netlink: route and NAT dumps resume by serial across routers" test_router_dump_cursor
run_test "netlink: CLI without the module" test_no_module
ksft_exit
