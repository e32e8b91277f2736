#!/bin/bash
# Install the Debian 12 packages that building, testing and benchmarking lsdp
# need.  Idempotent: only missing packages are installed, so `make demo` and
# `make check` can call it unconditionally on a fresh machine or on CI.
set -euo pipefail

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

updated=
apt_update() {
	[ -n "$updated" ] && return 0
	$SUDO apt-get update -qq
	updated=1
}

# The newest 6.12 kernel for which Debian 12 ships both the unsigned image and
# its headers.  The version moves with every point release, so resolve it here
# rather than pinning it.
resolve_612() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\) .*/\1/p' |
		sort -V | while read -r v; do
			if apt-cache show "linux-image-$v-unsigned" >/dev/null 2>&1; then
				echo "$v"
			fi
		done | tail -n1
}

pkgs=(build-essential make gcc libc6-dev pkg-config kmod
      libnl-3-dev libnl-genl-3-dev
      linux-image-amd64 linux-headers-amd64 linux-source
      qemu-system-x86 busybox-static cpio xz-utils zstd
      sparse iproute2 iputils-ping tcpdump iperf3 ethtool
      python3 python3-yaml python3-jsonschema jq dkms bash-completion procps
      strace groff-base
      openvswitch-switch gnuplot-nox linux-perf
      flex bison bc libelf-dev
      ovn-central ovn-host openvswitch-source libssl-dev
      nftables shellcheck)
# openvswitch-switch: ovs-vswitchd and ovsdb-server, the OVS baseline of
# `make bench` (run inside the VM only); gnuplot-nox draws its chart;
# linux-perf profiles its Geneve case in the VM.  flex, bison, bc,
# libelf-dev (and libssl-dev) build the debug kernel of `make check-debug`
# from linux-source.
# ovn-central, ovn-host: a real OVN (NB/SB ovsdb-servers, ovn-northd,
# ovn-controller) for selftests/lsdp_ovn.sh, run inside the VM only.
# openvswitch-source, libssl-dev: OVS's library (the OVSDB IDL) that
# lsdp-agent links, built by scripts/build-ovs.sh.
# nftables: the nftables-on-a-bridge baseline of the ACL benchmark (nft,
# run inside the VM only; its service is not enabled by the package).
# The shellcheck package: make check parses every shell script of the
# tree (a script that does not parse, a bench one say, fails no VM test).

# A fresh machine may not have package lists yet; without them apt-cache
# resolves nothing.
if ! apt-cache show linux-headers-amd64 >/dev/null 2>&1; then
	apt_update
fi
v612=$(resolve_612)
if [ -z "$v612" ]; then
	apt_update
	v612=$(resolve_612)
fi
if [ -n "$v612" ]; then
	pkgs+=("linux-image-$v612-unsigned" "linux-headers-$v612")
else
	echo "deps: no 6.12 kernel found in the Debian archive" >&2
	exit 1
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	apt_update
	# The benchmarks and the OVN tests run OVS and OVN inside the VM
	# only.  Installing openvswitch-switch would start its service here,
	# which loads the openvswitch module into this machine, and ovn-central
	# and ovn-host would start ovsdb-servers, ovn-northd and ovn-controller:
	# a policy-rc.d that refuses service starts (Debian's mechanism for
	# that) is in place during the install, unless the machine already has
	# one.
	policy=
	if [[ " ${missing[*]} " =~ \ (openvswitch-switch|ovn-central|ovn-host|ovn-common)\  ]] &&
	   [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\n# lsdp scripts/deps.sh: no service starts during its install\nexit 101\n' |
			$SUDO tee "$policy" >/dev/null
		$SUDO chmod 755 "$policy"
		trap '$SUDO rm -f "$policy"' EXIT
	fi
	# --no-install-recommends keeps initramfs-tools/grub hooks of kernel images
	# from doing more than unpacking: we only boot them under qemu.
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
	if [ -n "$policy" ]; then
		$SUDO rm -f "$policy"
		trap - EXIT
	fi
fi

# checkpatch.pl ships inside the linux-source tarball; unpack only the files
# it needs, once.
cp_dir=/usr/local/share/lsdp/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.* 2>/dev/null | sort -V | tail -n1)
	if [ -n "$tarball" ]; then
		$SUDO mkdir -p "$cp_dir"
		top=$(basename "$tarball" | sed 's/\.tar\..*//')
		$SUDO tar -xf "$tarball" -C "$cp_dir" --strip-components=1 \
			"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
			"$top/scripts/const_structs.checkpatch"
	fi
fi
echo "deps: ok (6.12 kernel: ${v612})"
