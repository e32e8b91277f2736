#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# OVN's ACLs, port groups and address sets on an lsdp chassis (issue 15
# item 6): lsdp-agent reads them from the northbound database
# (--ovn-nb-remote) and makes them the kernel's, incrementally.
#
# Real Debian OVN on the guest's tmpfs (selftests/ovn_lib.sh): NB and SB
# ovsdb-servers and ovn-northd in this netns; worker2 (netns ovn-w2) is
# lsdp programmed by lsdp-agent.  Switch fnet as in seed 003:
#
#   h1 (netns ovn-h1) -- tap1 -- fr1p  fa:16:00:00:00:11  192.168.0.11
#   h2 (netns ovn-h2) -- tap2 -- fr2p  fa:16:00:00:00:12  192.168.0.12
#   h3 (netns ovn-h3) -- tap3 -- fr3p  fa:16:00:00:00:13  192.168.0.13
#
# Everything is configured with ovn-nbctl only; each change is followed by
# `ovn-nbctl --wait=hv sync`, which returns once the agent holds NB's
# state (it echoes nb_cfg only when its NB snapshot has reached it).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/ovn_lib.sh"
ovn_require

. "$(dirname "$0")/acl_lib.sh"

cleanup() {
	local p
	for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null; done
	stop_all
	lsdp_cleanup
	rm -rf "$BASE"
}

status() { ovs-appctl -t "$W2/lsdp-agent.ctl" status 2>&1; }
status_field() { status | sed -n "s/^$1: //p"; }
kacls() { w2lsdp -j acl show "$@"; }
# sync: NB's state is the kernel's once this returns.
sync_hv() { nbctl --timeout=60 --wait=hv sync; }

setup() {
	local i
	rm -rf "$BASE"
	mkdir -p "$W2" || return 1
	ns_create ovn-w2 ovn-h1 ovn-h2 ovn-h3 || return 1
	start_central || { diag "central failed"; return 1; }
	# The tunnel endpoint's address (no other chassis here).
	ip -n ovn-w2 link add ul2 type dummy && ip -n ovn-w2 addr add $W2_IP/24 dev ul2 &&
		ip -n ovn-w2 link set ul2 up || return 1
	nbctl ls-add fnet || return 1
	for i in 1 2 3; do
		ip -n ovn-w2 link add tap$i type veth peer name eth0 netns ovn-h$i || return 1
		ip netns exec ovn-w2 sysctl -qw net.ipv6.conf.tap$i.disable_ipv6=1
		ip -n ovn-w2 link set tap$i alias iface-id=fr${i}p up || return 1
		vm_setup ovn-h$i fa:16:00:00:00:1$i 192.168.0.1$i/24 || return 1
		nbctl lsp-add fnet fr${i}p -- \
			lsp-set-addresses fr${i}p "fa:16:00:00:00:1$i 192.168.0.1$i" || return 1
	done
	agent_start --ovn-nb-remote="$NB" || { diag "lsdp-agent did not start"; return 1; }
	for i in 1 2 3; do
		wait_for 30 pb_up fr${i}p || { diag "fr${i}p not up"; agent_log_diag; return 1; }
	done
	sync_hv || return 1
	for i in 1 2 3; do
		srv_start ovn-h$i tcp:5000 udp:5000 || return 1
	done
	diag "setup took ${SECONDS}s"
}

test_no_acl() {
	check_ok "ping h1 -> fr3p without ACLs" ping_ok ovn-h1 192.168.0.13 2
	conn_is "TCP h1 -> fr3p without ACLs" 0 ovn-h1 tcp 192.168.0.13 5000
	check_eq "no ACLs in the kernel" "[]" "$(kacls)"
	check_eq "status: nb connected" connected "$(status_field "nb state")"
	check_eq "status: no ACLs" 0 "$(status_field acls)"
}

# Seed 003's three ACLs, the commands verbatim.
test_seed003() {
	local n
	check_ok "acl 1" ovn-nbctl --db="$NB" acl-add fnet from-lport 1002 '(inport == "fr3p" && ip)' allow-related
	check_ok "acl 2" ovn-nbctl --db="$NB" acl-add fnet to-lport 1002 '(outport == "fr3p" && ip && icmp)' allow-related
	check_ok "acl 3" ovn-nbctl --db="$NB" acl-add fnet to-lport 1001 '(outport == "fr3p" && ip)' drop
	check_ok "--wait=hv" sync_hv
	n=$(kacls fnet | jq length)
	check_eq "three ACLs on lsdp's fnet" 3 "$n"
	kacls fnet | jq -e 'map(select(.dir == "to-lport" and .priority == 1001 and .action == "drop")) | length == 1' >/dev/null ||
		{ fail "no to-lport 1001 drop ACL"; diag_output "$(w2lsdp acl show fnet)"; }
	check_ok "ICMP to fr3p passes" ping_ok ovn-h1 192.168.0.13 3
	conn_is "TCP h1 -> fr3p dropped" 1 ovn-h1 tcp 192.168.0.13 5000
	conn_is "UDP h1 -> fr3p dropped" 1 ovn-h1 udp 192.168.0.13 5000
	conn_is "fr3p's own TCP connection: replies pass" 0 ovn-h3 tcp 192.168.0.11 5000
	conn_is "fr3p's own UDP exchange: replies pass" 0 ovn-h3 udp 192.168.0.11 5000
	check_ge "fr3p counts acl-drop" 2 "$(ncounter ovn-w2 fr3p acl-drop)"
	check_eq "status: 3 ACLs" 3 "$(status_field acls)"
}

# A change touches only what it changes: the other ACLs keep their ids.
test_acl_del() {
	local before after
	before=$(kacls fnet | jq -c '[.[] | select(.priority == 1002) | .id] | sort')
	check_ok "acl-del the drop" ovn-nbctl --db="$NB" acl-del fnet to-lport 1001 '(outport == "fr3p" && ip)'
	check_ok "--wait=hv" sync_hv
	check_eq "two ACLs left" 2 "$(kacls fnet | jq length)"
	after=$(kacls fnet | jq -c '[.[] | select(.priority == 1002) | .id] | sort')
	check_eq "the two others untouched (same kernel ids)" "$before" "$after"
	conn_is "TCP h1 -> fr3p passes again" 0 ovn-h1 tcp 192.168.0.13 5000
	check_ok "acl-del fnet" ovn-nbctl --db="$NB" acl-del fnet
	check_ok "--wait=hv" sync_hv
	check_eq "no ACLs left" "[]" "$(kacls)"
}

# A port group's ACL naming an address set; each changed in place.
test_pg_as() {
	check_ok "address set" ovn-nbctl --db="$NB" create Address_Set name=blocked 'addresses="192.168.0.11"'
	check_ok "port group" ovn-nbctl --db="$NB" pg-add pgw fr2p
	check_ok "acl on the group" ovn-nbctl --db="$NB" acl-add pgw to-lport 1000 \
		'outport == @pgw && ip4.src == $blocked && icmp4' drop
	check_ok "--wait=hv" sync_hv
	check_eq "the group's ACL in the kernel" 1 "$(kacls @pgw | jq length)"
	check_eq "the kernel's group" '["fr2p"]' "$(w2lsdp -j pg show pgw | jq -c '.[0].ports')"
	check_eq "pgw_ip4, derived from the group" 1 "$(w2lsdp -j as show pgw_ip4 | jq '.[0].count')"
	check_ok "h1 -> fr2p dropped" ping_fails ovn-h1 192.168.0.12
	check_ok "h1 -> fr3p passes (not in the group)" ping_ok ovn-h1 192.168.0.13 2
	# The group grows: fr3p is now behind the ACL too.
	check_ok "pg-set-ports" ovn-nbctl --db="$NB" pg-set-ports pgw fr2p fr3p
	check_ok "--wait=hv" sync_hv
	check_ok "h1 -> fr3p dropped" ping_fails ovn-h1 192.168.0.13
	check_ok "h2 -> fr3p passes (not in the set)" ping_ok ovn-h2 192.168.0.13 2
	# The set changes: h1 out, h2 in.
	check_ok "set addresses" ovn-nbctl --db="$NB" set Address_Set blocked 'addresses="192.168.0.12"'
	check_ok "--wait=hv" sync_hv
	check_eq "the kernel's set" '["192.168.0.12"]' "$(w2lsdp -j as show blocked | jq -c '.[0].members | map(sub("/32$"; ""))')"
	check_ok "h1 -> fr3p passes" ping_ok ovn-h1 192.168.0.13 2
	check_ok "h2 -> fr3p dropped" ping_fails ovn-h2 192.168.0.13
	check_ok "pg-del" ovn-nbctl --db="$NB" pg-del pgw
	check_ok "destroy the set" ovn-nbctl --db="$NB" destroy Address_Set blocked
	check_ok "--wait=hv" sync_hv
	check_eq "no port group left" "[]" "$(w2lsdp -j pg show)"
	check_eq "no address set left" "[]" "$(w2lsdp -j as show)"
	check_ok "h2 -> fr3p passes" ping_ok ovn-h2 192.168.0.13 2
}

# A match the parser cannot take: a drop fails closed (its supported
# conjuncts), an allow is left out; both counted in the status.
test_unsupported() {
	check_ok "unsupported drop" ovn-nbctl --db="$NB" acl-add fnet to-lport 900 \
		'outport == "fr1p" && ip4 && ip.ttl == 5' drop
	check_ok "unsupported allow" ovn-nbctl --db="$NB" acl-add fnet to-lport 901 \
		'outport == "fr1p" && ip.ttl == 64' allow
	check_ok "--wait=hv" sync_hv
	check_eq "status: 2 unsupported ACLs" 2 "$(status_field "unsupported acls")"
	status | grep -q 'installed as "(outport == "fr1p") && (ip4)" (fails closed)' ||
		{ fail "the drop is not installed as its supported part"; diag_output "$(status)"; }
	check_eq "one ACL in the kernel (the widened drop)" 1 "$(kacls fnet | jq length)"
	check_ok "IPv4 to fr1p dropped (closed)" ping_fails ovn-h2 192.168.0.11
	check_ok "acl-del fnet" ovn-nbctl --db="$NB" acl-del fnet
	check_ok "--wait=hv" sync_hv
	check_eq "status: none unsupported" 0 "$(status_field "unsupported acls")"
	check_ok "IPv4 to fr1p passes" ping_ok ovn-h2 192.168.0.11 2
}

# An agent restart finds its ACLs in the kernel and changes nothing.
test_restart() {
	local before after
	check_ok "acl" ovn-nbctl --db="$NB" --wait=hv acl-add fnet to-lport 1001 '(outport == "fr3p" && ip)' drop
	before=$(kacls fnet | jq -c '[.[].id]')
	agent_stop TERM
	agent_start --ovn-nb-remote="$NB" || { fail "restart"; return 1; }
	wait_for 20 bash -c "ovs-appctl -t $W2/lsdp-agent.ctl status | grep -qx 'acls: 1'" ||
		{ fail "restarted agent does not hold the ACL"; diag_output "$(status)"; }
	check_ok "--wait=hv" sync_hv
	after=$(kacls fnet | jq -c '[.[].id]')
	check_eq "the same kernel ACL (id) after the restart" "$before" "$after"
	conn_is "TCP h1 -> fr3p still dropped" 1 ovn-h1 tcp 192.168.0.13 5000
}

trap cleanup EXIT
if ! setup; then
	agent_log_diag
	ksft_abort "setup failed"
fi
run_test "ovn acl: fnet without ACLs" test_no_acl
run_test "ovn acl: seed 003's three ACLs with ovn-nbctl acl-add" test_seed003
run_test "ovn acl: acl-del takes effect, touching nothing else" test_acl_del
run_test "ovn acl: a port group and an address set, changed in place" test_pg_as
run_test "ovn acl: unsupported matches fail closed, counted" test_unsupported
run_test "ovn acl: agent restart keeps the kernel's ACLs" test_restart
ksft_exit
