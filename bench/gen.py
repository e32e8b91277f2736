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
  gen.py acl N DIR           N security-group rules (to-lport allows for
                             VM2's port, the one the traffic matches last,
                             and a default drop) as DIR/lsdp-MODE.batch,
                             DIR/ovs-MODE.flows, DIR/nft-MODE.nft and
                             DIR/nftset-MODE.nft, MODE stateless and
                             stateful

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


def acl_rules(n):
    """N distinct security-group rules (proto, cidr, lo, hi), the last
    the one the benchmark's traffic (UDP 10.0.0.1 -> 10.0.0.2:9) matches.
    The others are shaped as OpenStack security groups and network
    policies are: a remote CIDR (mostly /32 and /24, some /16 and /8,
    never in 10/8, so they never match) and a TCP or UDP destination port,
    a quarter of them a range of 10, 100 or 1000 ports."""
    rnd = random.Random(15)
    seen, out = set(), []
    while len(out) < n - 1:
        proto = rnd.choice(("tcp", "udp"))
        plen = rnd.choices((32, 24, 16, 8), (40, 30, 20, 10))[0]
        a = rnd.randint(11 << 24, (224 << 24) - 1) & ~((1 << (32 - plen)) - 1)
        lo = rnd.randint(1, 65535)
        hi = lo
        if rnd.random() < 0.25:
            hi = min(65535, lo + rnd.choice((10, 100, 1000)) - 1)
        r = (proto, f"{ipaddress.ip_address(a)}/{plen}", lo, hi)
        if r not in seen:
            seen.add(r)
            out.append(r)
    out.append(("udp", "10.0.0.0/24", 9, 9))
    return out


def port_prefixes(lo, hi):
    """[lo, hi] as (value, mask) prefixes, as ovn-controller expands a
    port range into OpenFlow matches."""
    out = []
    while lo <= hi:
        size = lo & -lo if lo else 1 << 16
        while lo + size - 1 > hi:
            size >>= 1
        out.append((lo, ~(size - 1) & 0xffff))
        lo += size
    return out


def acl_prios(rules):
    """The ACL priority of each rule: the others at 1003..1012 (groups and
    policies at several priorities), the one the traffic matches at 1002,
    below all of them, so that a classifier that visits rules or masks by
    priority has to look past every other one before it finds it."""
    rnd = random.Random(1015)
    return [rnd.randint(1003, 1012) for _ in rules[:-1]] + [1002]


def disjoint(rules):
    """The same set of packets as RULES' union, as disjoint (proto, cidr,
    lo, hi) boxes: an nftables set of concatenated ranges (pipapo) refuses
    an element that overlaps one already in it ("Could not process rule:
    File exists"), and security-group rules overlap (a /32 inside another
    rule's /16 with a port inside its range).  All the rules allow, so the
    union is the policy.  Prefixes nest or are disjoint: taken widest
    first, each rule keeps the ports that no rule on the same protocol
    with an equal or wider prefix containing its own already covers."""
    lens = sorted({int(c.split("/")[1]) for _, c, _, _ in rules})
    have, out = {}, []
    for proto, cidr, lo, hi in sorted(rules, key=lambda r: int(r[1].split("/")[1])):
        net = ipaddress.ip_network(cidr)
        left = [(lo, hi)]
        for ln in lens:
            if ln > net.prefixlen:
                break
            for clo, chi in have.get((proto, net.supernet(new_prefix=ln)), ()):
                left = [piece for a, b in left for piece in
                        ((a, min(b, clo - 1)), (max(a, chi + 1), b)) if piece[0] <= piece[1]]
        have.setdefault((proto, net), []).extend(left)
        out += [(proto, cidr, a, b) for a, b in left]
    return out


def acl(n, d):
    rules = acl_rules(n)
    prios = acl_prios(rules)
    m2 = "02:00:00:00:00:02"
    for mode in ("stateless", "stateful"):
        act = "allow-related" if mode == "stateful" else "allow-stateless"
        with open(f"{d}/lsdp-{mode}.batch", "w") as f:
            for (proto, cidr, lo, hi), prio in zip(rules, prios):
                ports = (f"{proto}.dst == {lo}" if lo == hi else
                         f"{proto}.dst >= {lo} && {proto}.dst <= {hi}")
                f.write(f"acl add sw1 dir to-lport prio {prio} match 'outport == \"p2\" && "
                        f"ip4 && ip4.src == {cidr} && {ports}' action {act}\n")
            f.write("acl add sw1 dir to-lport prio 1001 match 'outport == \"p2\" && ip' "
                    "action drop\n")
        # OVS: the logical switch's L2 flows, IP to VM2 through the
        # to-lport ACL stage (table 44), as ovn-controller's flows do it:
        # stateful, ct() in VM2's zone, replies and related passing unless
        # blocked (ct_mark bit 0), new connections committed by the
        # allow-related flows, established ones of the original direction
        # still checked against the ACLs.
        with open(f"{d}/ovs-{mode}.flows", "w") as f:
            f.write("table=0,priority=100,dl_dst=02:00:00:00:00:01,actions=output:1\n")
            if mode == "stateful":
                f.write(f"table=0,priority=100,ip,dl_dst={m2},actions=ct(zone=2,table=44)\n")
                f.write("table=44,priority=65535,ct_state=+inv+trk,actions=drop\n")
                f.write("table=44,priority=65535,ct_state=-new+est-rel+rpl-inv+trk,"
                        "ct_mark=0/0x1,actions=output:2\n")
                f.write("table=44,priority=65535,ct_state=-new-est+rel-inv+trk,"
                        "ct_mark=0/0x1,actions=output:2\n")
            else:
                f.write(f"table=0,priority=100,ip,dl_dst={m2},actions=resubmit(,44)\n")
            f.write(f"table=0,priority=90,dl_dst={m2},actions=output:2\n")
            f.write("table=0,priority=0,actions=drop\n")
            for (proto, cidr, lo, hi), prio in zip(rules, prios):
                for v, m in port_prefixes(lo, hi):
                    tp = f"{proto},nw_src={cidr},tp_dst=0x{v:x}/0x{m:x}"
                    # ovn-northd: ACL priority + 1000.
                    fp = f"table=44,priority={prio + 1000}"
                    if mode == "stateful":
                        f.write(f"{fp},ct_state=+new-est+trk,{tp},actions="
                                "ct(commit,zone=2,exec(set_field:0/0x1->ct_mark)),output:2\n")
                        f.write(f"{fp},ct_state=-new+est-rpl+trk,"
                                f"ct_mark=0/0x1,{tp},actions=output:2\n")
                    else:
                        f.write(f"{fp},{tp},actions=output:2\n")
            f.write("table=44,priority=2001,ip,actions=drop\n")
        # nftables on the bridge: VM2's rules in a chain of their own, one
        # rule per security-group rule (as firewall drivers write them) or
        # one lookup in an interval set of (address, protocol, port).
        pre = ["table bridge sgtab {", "\tchain vmfw {",
               "\t\ttype filter hook forward priority 0; policy accept;"]
        if mode == "stateful":
            pre += ["\t\tct state established,related accept",
                    "\t\tct state invalid drop"]
        pre += ['\t\toifname "tap2" jump tap2in', "\t}"]
        with open(f"{d}/nft-{mode}.nft", "w") as f:
            f.write("\n".join(pre + ["\tchain tap2in {"]) + "\n")
            for proto, cidr, lo, hi in rules:
                ports = str(lo) if lo == hi else f"{lo}-{hi}"
                f.write(f"\t\tip saddr {cidr} {proto} dport {ports} accept\n")
            f.write("\t\tether type ip drop\n\t}\n}\n")
        with open(f"{d}/nftset-{mode}.nft", "w") as f:
            f.write("\n".join(pre) + "\n")
            f.write("\tset sg {\n\t\ttype ipv4_addr . inet_proto . inet_service\n"
                    "\t\tflags interval\n\t\telements = {\n")
            f.write(",\n".join(f"\t\t\t{cidr} . {proto} . "
                               f"{lo if lo == hi else f'{lo}-{hi}'}"
                               for proto, cidr, lo, hi in disjoint(rules)))
            f.write("\n\t\t}\n\t}\n\tchain tap2in {\n"
                    "\t\tip saddr . meta l4proto . th dport @sg accept\n"
                    "\t\tether type ip drop\n\t}\n}\n")


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
    elif cmd == "acl":
        acl(int(sys.argv[2]), sys.argv[3])
    elif cmd == "neigh":
        neigh(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(f"gen.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
