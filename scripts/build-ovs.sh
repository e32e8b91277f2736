#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
#
# Build the part of Open vSwitch that lsdp-agent links against: OVS's own
# library (lib/libopenvswitch.a: the OVSDB IDL, JSON-RPC sessions with
# reconnection across a raft cluster's remotes, SSL streams, daemon, vlog,
# unixctl), and from ovsdb-idlc a C IDL for OVN's southbound schema, the
# same pair ovn-controller is built on.
#
# Debian packages no OVSDB C library; openvswitch-source ships the source
# tarball (/usr/src/openvswitch/openvswitch.tar.gz, Apache-2.0), which this
# unpacks under build/ (outside git) and builds once: the result is cached
# and rebuilt only when the tarball or the schema changes.
#
#   scripts/build-ovs.sh [DIR]     DIR defaults to build/ovs of the checkout
#
# Result: DIR/openvswitch/lib/.libs/libopenvswitch.a, DIR/openvswitch (the
# headers: include/, lib/, config.h) and DIR/idl/ovn-sb-idl.{c,h}.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build/ovs}
tarball=${OVS_TARBALL:-/usr/src/openvswitch/openvswitch.tar.gz}
schema=${OVN_SB_SCHEMA:-/usr/share/ovn/ovn-sb.ovsschema}

for f in "$tarball" "$schema"; do
	if [ ! -r "$f" ]; then
		echo "build-ovs: $f missing (run 'make deps': openvswitch-source, ovn-common)" >&2
		exit 1
	fi
done

# What the cached build was made from.
want="$(md5sum "$tarball" | cut -d' ' -f1) $(md5sum "$schema" | cut -d' ' -f1)"
stamp=$dir/stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$dir/openvswitch/lib/.libs/libopenvswitch.a" ] &&
   [ -f "$dir/idl/ovn-sb-idl.c" ]; then
	exit 0
fi

start=$(date +%s)
echo "build-ovs: building OVS's library from $tarball into $dir (once; a few minutes)"
rm -rf "$dir"
mkdir -p "$dir/idl"
tar -xzf "$tarball" -C "$dir"
src=$dir/openvswitch
cd "$src"
jobs=$(nproc 2>/dev/null || echo 1)
# SSL for ssl: remotes; no libcap-ng (the agent drops no capabilities yet).
./configure --enable-ssl --disable-libcapng >"$dir/configure.log" 2>&1 ||
	{ tail -n 20 "$dir/configure.log" >&2; exit 1; }
# The generated headers the library's sources include (BUILT_SOURCES), then
# the library and the IDL compiler; nothing else of OVS.
make -j"$jobs" ofproto/ipfix-entities.def include/odp-netlink.h \
	include/odp-netlink-macros.h lib/vswitch-idl.c lib/vswitch-idl.h \
	lib/ovsdb-server-idl.c lib/ovsdb-server-idl.h >"$dir/make.log" 2>&1 &&
make -j"$jobs" lib/libopenvswitch.la ovsdb/ovsdb-idlc >>"$dir/make.log" 2>&1 ||
	{ tail -n 20 "$dir/make.log" >&2; exit 1; }

# The southbound IDL: prefix sbrec_, as ovn-controller's, header name ours.
cat >"$dir/idl/ovn-sb.ann" <<'EOF'
s["idlPrefix"] = "sbrec_"
s["idlHeader"] = "\"ovn-sb-idl.h\""
EOF
idlc() { PYTHONPATH="$src/python" python3 "$src/ovsdb/ovsdb-idlc" "$@"; }
idlc annotate "$schema" "$dir/idl/ovn-sb.ann" >"$dir/idl/ovn-sb.ovsidl"
idlc c-idl-header "$dir/idl/ovn-sb.ovsidl" >"$dir/idl/ovn-sb-idl.h"
idlc c-idl-source "$dir/idl/ovn-sb.ovsidl" >"$dir/idl/ovn-sb-idl.c"

echo "$want" >"$stamp"
echo "build-ovs: done in $(( $(date +%s) - start )) s"
