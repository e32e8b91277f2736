#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/debug-kernel.sh: build the debug kernel of `make check-debug` once
# and print the directory that holds it:
#
#	DIR/bzImage                   the kernel selftests/vm-run -K DIR boots
#	DIR/lib/modules/RELEASE/      its modules (modules_install), the
#	                              guest's /lib/modules/RELEASE
#	DIR/src/                      the build tree (scripts/build-kver.sh
#	                              builds lsdp against it with M=)
#	DIR/release                   RELEASE (`uname -r` in the guest)
#
# The source is Debian's linux-source-6.1 package (the tarball in
# /usr/src), configured as allnoconfig + scripts/debug-kernel.config.
# DIR is $LSDP_DEBUG_KERNEL_CACHE (default /var/cache/lsdp/debug-kernel)
# /<package version>-<hash of the fragment>: outside the tree, shared by
# every checkout, and rebuilt only when the package or the fragment
# changes.  An interrupted build resumes where it stopped.
#
#   LSDP_DEBUG_KERNEL_JOBS  make -j (default: the number of CPUs)
#
# Everything but the directory goes to stderr.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
frag=$root/scripts/debug-kernel.config
pkg=linux-source-6.1
log() { echo "debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

tarball=$(ls /usr/src/$pkg.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || die "no /usr/src/$pkg.tar.* (run 'make deps': it installs linux-source)"
srcver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	srcver=$(stat -c %s-%Y "$tarball")
# The key: the fragment's settings, not its comments.
settings() { grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$1"; }
hash=$(settings "$frag" | sha256sum | cut -c1-12)
base=${LSDP_DEBUG_KERNEL_CACHE:-/var/cache/lsdp/debug-kernel}
dir=$base/$srcver-$hash
jobs=${LSDP_DEBUG_KERNEL_JOBS:-$(nproc)}

if [ -f "$dir/done" ]; then
	log "cached: $dir ($(cat "$dir/release"))"
	echo "$dir"
	exit 0
fi

mkdir -p "$dir" || die "cannot create $dir"
src=$dir/src
if [ ! -f "$dir/unpacked" ]; then
	log "unpacking $tarball ($pkg $srcver) into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	touch "$dir/unpacked"
fi

km() { nice -n 10 make -s -C "$src" "$@"; }

if [ ! -f "$dir/configured" ] || [ "$(settings "$frag")" != "$(settings "$dir/fragment")" ]; then
	log "configuring: allnoconfig + $frag"
	KCONFIG_ALLCONFIG=$frag km allnoconfig >&2
	km olddefconfig >&2
	# Every option the fragment sets must have survived: one whose
	# dependencies are missing is dropped silently, and we would find out
	# only after the long build, in a guest that does not boot.
	bad=0
	while read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$src/.config" || {
				log "fragment line '$line' not in .config (now: $(grep -E "^(# )?${line%%=*}[= ]" "$src/.config" || echo absent))"
				bad=1
			} ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			! grep -qE "^$opt=" "$src/.config" || {
				log "fragment wants $opt off, .config has $(grep -E "^$opt=" "$src/.config")"
				bad=1
			} ;;
		esac
	done <"$frag"
	[ "$bad" -eq 0 ] || die "the configuration does not hold the fragment (see above)"
	cp "$frag" "$dir/fragment"
	touch "$dir/configured"
fi

release=$(km kernelrelease)
log "building $release with -j$jobs in $src (log: $dir/build.log)"
start=$(date +%s)
if ! km -j"$jobs" bzImage modules >"$dir/build.log" 2>&1; then
	tail -n 40 "$dir/build.log" >&2
	die "the kernel build failed (full log: $dir/build.log)"
fi
rm -rf "${dir:?}/lib"
km INSTALL_MOD_PATH="$dir" modules_install >>"$dir/build.log" 2>&1 ||
	die "modules_install failed (see $dir/build.log)"
cp "$src/arch/x86/boot/bzImage" "$dir/bzImage"
echo "$release" >"$dir/release"
secs=$(( $(date +%s) - start ))
echo "$secs" >>"$dir/build-seconds"
touch "$dir/done"
log "built $release in ${secs}s: $dir"
echo "$dir"
