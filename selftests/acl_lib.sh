# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The ACL selftests' hosts and helpers (sourced by lsdp_acl.sh and
# lsdp_acl_ct.sh, after lib.sh):
#
#   h1 -- tap1 -- fr1p  fa:16:00:00:00:11  192.168.0.11  fd00::11
#   h2 -- tap2 -- fr2p  fa:16:00:00:00:12  192.168.0.12  fd00::12
#   h3 -- tap3 -- fr3p  fa:16:00:00:00:13  192.168.0.13  fd00::13
#   h4 -- tap4 -- fr4p  fa:16:00:00:00:14  192.168.0.14  fd00::14
#   all on switch fnet (key 1); every host runs TCP and UDP echo servers
#   on port 5000 (h2 also TCP 6000 and UDP 6001) and an agent
#   (acl_conn.py) that makes connections as the tests say.

CONN="$PYTHON $SELFTESTS/acl_conn.py"
HOSTS="h1 h2 h3 h4"
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

# agent NS WORDS...: one line to NS's agent (acl_conn.py); its status (0
# echoed, 1 dropped, 2 refused, 3 another error).
agent() {
	local ns=$1 r
	shift
	echo "$*" >&"${AGENT_IN[$ns]}"
	read -r -t 60 r <&"${AGENT_OUT[$ns]}" || return 3
	return "$r"
}

# conn NS PROTO IP PORT [TIMEOUT]: the status of one echo exchange on a
# new connection.
conn() {
	agent "$1" "$2 $3 $4 ${5:-1}"
}

# status_is WHAT EXPECTED CMD ARGS...: CMD's exit status must be EXPECTED.
status_is() {
	local what=$1 want=$2 got
	shift 2
	"$@"
	got=$?
	check_eq "$what" "$want" "$got"
}

# agent_is WHAT EXPECTED NS WORDS...: agent's status must be EXPECTED.
agent_is() { status_is "$1" "$2" agent "${@:3}"; }

# conn_is WHAT EXPECTED NS PROTO IP PORT
conn_is() { status_is "$1" "$2" conn "${@:3}"; }

# acl_hits DIR PRIO: hits of the ACL of fnet with that direction and priority.
acl_hits() {
	"$LSDP" -j acl show fnet | jq -r --arg d "$1" --argjson p "$2" \
		'map(select(.dir == $d and .priority == $p)) | first | .hits'
}

cleanup() {
	local p
	for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null; done
	lsdp_cleanup
}

setup() {
	local i
	ns_create $HOSTS || return 1
	"$LSDP" switch add fnet key 1 || return 1
	for i in 1 2 3 4; do
		host_add h$i tap$i fa:16:00:00:00:1$i 192.168.0.1$i/24 fd00::1$i/64 || return 1
		"$LSDP" port add fnet fr${i}p key $i mac fa:16:00:00:00:1$i \
			ip 192.168.0.1$i ip fd00::1$i dev tap$i || return 1
	done
	for i in 1 3 4; do
		srv_start h$i tcp:5000 udp:5000 || return 1
	done
	srv_start h2 tcp:5000 udp:5000 tcp:6000 udp:6001
}

acl() { "$LSDP" acl "$@"; }
# bg_ping NS DST: pings DST from NS in the background, 20 a second, until
# bg_ping_lost stops it.
bg_ping() {
	BG_FILE=$(mktemp /tmp/lsdp-ping.XXXXXX)
	ip netns exec "$1" ping -n -q -i 0.05 "$2" >"$BG_FILE" 2>&1 &
	BG_PID=$!
	sleep 1
}

# bg_ping_lost WHAT: stops bg_ping; at most the echo in flight when it
# stopped may be missing.
bg_ping_lost() {
	local tx rx
	kill -INT "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$BG_FILE")
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$BG_FILE")
	rm -f "$BG_FILE"
	diag "$1: $tx echo requests, $rx answered"
	check_ge "$1: pings under the change" 20 "${tx:-0}" &&
		check_le "$1: no echo lost" 1 $((${tx:-0} - ${rx:-0}))
}
