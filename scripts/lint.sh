#!/bin/bash
# make lint: sparse (C=2: check every file) and W=1 over the module for each
# kernel of the matrix, checkpatch --strict over kmod/ and include/.  Any
# warning fails: the tree stays clean.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail=0

checkpatch=/usr/local/share/lsdp/checkpatch/scripts/checkpatch.pl
kvers=("$@")
if [ ${#kvers[@]} -eq 0 ]; then
	mapfile -t kvers < <(ls -d /lib/modules/6.1.*-amd64/build /lib/modules/6.12.*-amd64/build 2>/dev/null |
		sed 's,/lib/modules/,,;s,/build,,')
fi

for k in "${kvers[@]}"; do
	echo "== sparse + W=1 on $k"
	scripts/build-kver.sh "$k" >/dev/null || { fail=1; continue; }
	out=$(make -s -C "/lib/modules/$k/build" M="$root/build/$k/kmod" \
		C=2 CHECK="sparse -Wno-unknown-attribute" W=1 modules 2>&1 |
		grep -v '^  ' | grep -E 'warning|error' |
		grep -v -E '^(/usr/src|\./)' )
	if [ -n "$out" ]; then
		echo "$out"
		fail=1
	else
		echo "clean"
	fi
done

echo "== checkpatch --strict"
if [ ! -x "$checkpatch" ]; then
	echo "checkpatch.pl not found (run 'make deps')" >&2
	exit 1
fi
# --no-tree: an out-of-tree module.  FILE_PATH_CHANGES/SPDX checks are about
# patches to the kernel tree, not files of ours.
files=$(ls kmod/*.c kmod/*.h include/uapi/linux/*.h)
if ! "$checkpatch" --strict --no-tree --quiet --show-types \
	--ignore FILE_PATH_CHANGES \
	--file $files; then
	fail=1
else
	echo "clean"
fi

echo "== netlink spec (Documentation/netlink/lsdp.yaml) against the uAPI and policies"
if ! /usr/bin/python3 scripts/check-spec.py --require-schema; then
	fail=1
fi
if ! /usr/bin/python3 scripts/genl-gen.py --check; then
	fail=1
fi

if [ "$fail" -ne 0 ]; then
	echo "lint: FAILED"
	exit 1
fi
echo "lint: clean"
