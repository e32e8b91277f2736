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
# headers: include/, lib/, config.h), DIR/idl/ovn-sb-idl.{c,h} and
# DIR/idl/ovn-nb-idl.{c,h} (the northbound IDL: the agent's optional
# connection for ACLs, port groups and address sets).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build/ovs}
tarball=${OVS_TARBALL:-/usr/src/openvswitch/openvswitch.tar.gz}
schema=${OVN_SB_SCHEMA:-/usr/share/ovn/ovn-sb.ovsschema}
nb_schema=${OVN_NB_SCHEMA:-/usr/share/ovn/ovn-nb.ovsschema}

for f in "$tarball" "$schema" "$nb_schema"; do
	if [ ! -r "$f" ]; then
		echo "build-ovs: $f missing (run 'make deps': openvswitch-source, ovn-common)" >&2
		exit 1
	fi
done

idlc() { PYTHONPATH="$dir/openvswitch/python" python3 "$dir/openvswitch/ovsdb/ovsdb-idlc" "$@"; }
# gen_idl NAME PREFIX SCHEMA: DIR/idl/NAME-idl.{c,h} by ovsdb-idlc, with
# prefix PREFIX (as OVN's own: sbrec_, nbrec_) and header name ours.
gen_idl() {
	printf 's["idlPrefix"] = "%s"\ns["idlHeader"] = "\\"%s-idl.h\\""\n' "$2" "$1" \
		>"$dir/idl/$1.ann"
	idlc annotate "$3" "$dir/idl/$1.ann" >"$dir/idl/$1.ovsidl" &&
		idlc c-idl-header "$dir/idl/$1.ovsidl" >"$dir/idl/$1-idl.h" &&
		idlc c-idl-source "$dir/idl/$1.ovsidl" >"$dir/idl/$1-idl.c"
}

# What the cached build was made from (the NB IDL has its own stamp: a
# build made before the agent read NB gets it without a rebuild of OVS).
want="$(md5sum "$tarball" | cut -d' ' -f1) $(md5sum "$schema" | cut -d' ' -f1)"
nb_want=$(md5sum "$nb_schema" | cut -d' ' -f1)
stamp=$dir/stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$dir/openvswitch/lib/.libs/libopenvswitch.a" ] &&
   [ -f "$dir/idl/ovn-sb-idl.c" ]; then
	if [ "$(cat "$dir/idl/ovn-nb.stamp" 2>/dev/null)" != "$nb_want" ] ||
	   [ ! -f "$dir/idl/ovn-nb-idl.c" ]; then
		gen_idl ovn-nb nbrec_ "$nb_schema" && echo "$nb_want" >"$dir/idl/ovn-nb.stamp"
	fi
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

# The southbound and northbound IDLs.
gen_idl ovn-sb sbrec_ "$schema"
gen_idl ovn-nb nbrec_ "$nb_schema"
echo "$nb_want" >"$dir/idl/ovn-nb.stamp"

echo "$want" >"$stamp"
echo "build-ovs: done in $(( $(date +%s) - start )) s"
