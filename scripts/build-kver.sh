#!/bin/bash
# scripts/build-kver.sh KVER [KDIR]
# Build kmod/ for one installed kernel into build/<KVER>/kmod/lsdp.ko, or,
# given KDIR, against that kernel build tree (the debug kernel of
# scripts/debug-kernel.sh, whose release KVER is).
# kbuild writes its objects next to the sources, so each kernel gets its own
# tree of links to the sources: builds for 6.1 and 6.12 never share objects.
set -euo pipefail
kver=$1
root=$(cd "$(dirname "$0")/.." && pwd)
kdir=${2:-/lib/modules/$kver/build}
[ -d "$kdir" ] || { echo "Error: no kernel build tree $kdir for $kver (run 'make deps')" >&2; exit 1; }
out=$root/build/$kver
mkdir -p "$out/kmod"
ln -sfn "$root/include" "$out/include"
for f in "$root"/kmod/*.[ch] "$root"/kmod/Kbuild; do
	ln -sfn "$f" "$out/kmod/$(basename "$f")"
done
# Drop links to sources that no longer exist.
find "$out/kmod" -maxdepth 1 -xtype l -delete
make -s -C "$kdir" M="$out/kmod" modules
echo "built $out/kmod/lsdp.ko"
