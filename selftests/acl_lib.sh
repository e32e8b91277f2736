# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TCP/UDP echo exchanges for the ACL selftests (lsdp_acl.sh,
# lsdp_ovn_acl.sh), through selftests/acl_conn.py.  Sourced after lib.sh;
# the caller kills "${SERVERS[@]}" in its cleanup.

CONN="$PYTHON $SELFTESTS/acl_conn.py"
SERVERS=()

# srv_start NS PROTO:PORT...: NS's agent: echo servers, and the client
# conn talks to.
declare -A AGENT_IN AGENT_OUT
srv_start() {
	local ns=$1 f n fi fo
	shift
	f=$(mktemp /tmp/lsdp-srv.XXXXXX)
	fi=$f.in fo=$f.out
	mkfifo "$fi" "$fo" || return 1
	ip netns exec "$ns" $CONN agent "$@" <"$fi" >"$fo" 2>"$f" &
	SERVERS+=($!)
	exec {n}>"$fi"
	AGENT_IN[$ns]=$n
	exec {n}<"$fo"
	AGENT_OUT[$ns]=$n
	rm -f "$fi" "$fo"
	for _ in $(seq 1 100); do
		[ "$(grep -c listening "$f")" -eq $# ] && { rm -f "$f"; return 0; }
		sleep 0.1
	done
	diag "servers $* in $ns did not start: $(cat "$f")"
	rm -f "$f"
	return 1
}

# conn NS PROTO IP PORT [TIMEOUT]: the status of one echo exchange (0
# echoed, 1 dropped, 2 refused), through NS's agent.
conn() {
	local r
	echo "$2 $3 $4 ${5:-1}" >&"${AGENT_IN[$1]}"
	read -r -t 30 r <&"${AGENT_OUT[$1]}" || return 3
	return "$r"
}

# conn_is WHAT EXPECTED NS PROTO IP PORT
conn_is() {
	local what=$1 want=$2 got
	shift 2
	conn "$@"
	got=$?
	check_eq "$what" "$want" "$got"
}

