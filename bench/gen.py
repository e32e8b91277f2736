#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the large tables of the lsdp benchmarks (runs in the VM).

  gen.py prefixes 4|6 N      N distinct random prefixes, one a line; the
                             first is the one the traffic uses (a /24 or a
                             /48), the others are spread over the unicast
                             space so the trie is as deep as a real one
  gen.py dst FILE            the address the traffic goes to: inside the
                             first prefix of FILE
  gen.py macs N              N distinct locally administered MACs that are
                             none of the benchmark's own (02:00:00:...)
  gen.py l2scale N KEYMAX    `lsdp -b` lines: N remote ports with those MACs,
                             first in sw1 from key 3 (1 and 2 are the VMs)
                             up to KEYMAX, then in new switches sw2, sw3...
  gen.py ports N PER         `lsdp -b` lines: N ports (MAC and IPv4 address
                             each), PER to a switch
  gen.py neigh N PORT        `lsdp -b` lines: N static neighbours on PORT,
                             addresses in 10.128.0.0/9

Writing these lines here rather than in a shell loop matters: a million
iterations of a bash loop take minutes under TCG.

Seeded, so every run and every kernel programs the same tables.  The
formats for lsdp and iproute2 are made from these lists with sed, so both
get exactly the same entries.
"""
import ipaddress
import random
import sys


def prefixes(fam, n):
    rnd = random.Random(4 if fam == 4 else 6)
    bits = 32 if fam == 4 else 128
    seen = []
    have = set()

    def add(a, plen):
        a &= ((1 << bits) - 1) ^ ((1 << (bits - plen)) - 1)
        if (a, plen) not in have:
            have.add((a, plen))
            seen.append((a, plen))

    if fam == 4:
        # Outside 10/8 (the benchmark's own subnets) and below 224/8.
        lo, hi, plens = 11 << 24, (224 << 24) - 1, (16, 32)
        add(rnd.randint(lo, hi), 24)
    else:
        # Global unicast 2000::/3, as an IPv6 routing table holds.
        lo, hi, plens = 0x2 << 124, (0x4 << 124) - 1, (32, 64)
        add(rnd.randint(lo, hi), 48)
    while len(seen) < n:
        add(rnd.randint(lo, hi), rnd.randint(*plens))
    for a, plen in seen:
        net = ipaddress.ip_network((a, plen))
        print(net.with_prefixlen)


def dst(path):
    with open(path) as f:
        net = ipaddress.ip_network(f.readline().strip())
    print(net.network_address + 1)


def mac(i, last=1):
    # 06:xx:... : locally administered, never equal to 02:00:00:00:..
    return "06:%02x:%02x:%02x:%02x:%02x" % (i >> 24 & 255, i >> 16 & 255,
                                           i >> 8 & 255, i & 255, last)


def macs(n):
    sys.stdout.writelines(mac(i) + "\n" for i in range(n))


def l2scale(n, keymax):
    out, sw, key = [], 1, 3
    for i in range(n):
        if key > keymax:
            sw, key = sw + 1, 1
            out.append(f"switch add sw{sw} key {sw}\n")
        out.append(f"port add sw{sw} r{i} key {key} type remote mac {mac(i)} chassis ch2\n")
        key += 1
    sys.stdout.writelines(out)
    print(f"{sw}", file=sys.stderr)


def ports(n, per):
    out = []
    for i in range(n):
        if i % per == 0:
            out.append(f"switch add sw{i // per + 1} key {i // per + 1}\n")
        out.append(f"port add sw{i // per + 1} p{i} key {i % per + 1} mac {mac(i)} "
                   f"ip 10.{(i + 1) >> 16 & 255}.{(i + 1) >> 8 & 255}.{(i + 1) & 255}\n")
    sys.stdout.writelines(out)


def neigh(n, port):
    sys.stdout.writelines(
        f"neigh add {port} 10.{128 + (i >> 16 & 127)}.{i >> 8 & 255}.{i & 255} mac {mac(i, 2)}\n"
        for i in range(n))


def main():
    cmd = sys.argv[1]
    if cmd == "prefixes":
        prefixes(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "dst":
        dst(sys.argv[2])
    elif cmd == "macs":
        macs(int(sys.argv[2]))
    elif cmd == "l2scale":
        l2scale(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "ports":
        ports(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "neigh":
        neigh(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(f"gen.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
