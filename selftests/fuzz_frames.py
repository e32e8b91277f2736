#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded frame fuzzer for the lsdp datapath (run as root, in the VM).

  fuzz_frames.py --config FILE [--seed S] [--n N] [--progress N] [--show I]

Injects N frames, valid and mutated, with AF_PACKET sockets on the veth
ends the config names (each in its own network namespace), while the
test script keeps other traffic flowing.  The config (JSON) lists sources:

  {"sources": [
    {"name": "vif", "kind": "l2", "netns": "ffv1", "dev": "eth0",
     "weight": 30, "segments": [SEGMENT, ...]},
    {"name": "geneve", "kind": "geneve", "netns": "ffh2", "dev": "u2",
     "weight": 25, "outer": {"src_mac": M, "dst_mac": M, "sip": IP, "dip": IP},
     "vnis": [1, 2], "keys": [1, 2, 32768], "segments": [SEGMENT, ...]}]}

A SEGMENT is one L2 context a frame is made for: "vlan" (null: untagged),
"src_macs", "src4", "src6" (what the sender may use), "dst_macs" (other
hosts), "router_mac", "router4", "router6", "near4"/"near6" (unknown
hosts on the subnet: ARP/ND, hold queue), "far4"/"far6" (destinations
behind the router or unroutable).

Valid frames: ARP requests, replies and gratuitous ARP; IPv4 ICMP echo,
UDP (DHCP too), TCP SYN, fragments, options, TTL 1/2; IPv6 echo, UDP, NS
(DAD too), NA, RS, MLD, hop limit 1; unknown ethertypes; tagged frames;
each to a host, the router, broadcast, multicast or an unknown MAC.
Geneve: outer Ethernet/IPv4/UDP 6081 with the OVN option (VNI and port
keys from the pools).  About one frame in three is then mutated: bytes
flipped, header fields overwritten, truncated, extended, tags added,
ethertype changed; Geneve headers additionally get wrong option lengths,
unknown critical options, no OVN option, a bad version, protocol or VNI,
keys out of range, or a truncated inner frame.

The sequence of frames is a function of the seed alone: --show I prints
frame I in hex.  Prints a summary (frames per source, mutated, send
errors by errno, inputs/second); exit status 0 unless the run itself broke.
"""
import argparse
import collections
import ctypes
import errno
import json
import os
import random
import socket
import struct
import sys
import time

from pkt import csum  # the Internet checksum, shared with pkt.py

CLONE_NEWNET = 0x40000000


def mac(s, _cache={}):
    b = _cache.get(s)
    if b is None:
        b = _cache[s] = bytes(int(x, 16) for x in s.split(":"))
    return b


def ip4(s):
    return socket.inet_aton(s)


def ip6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def ipv4(src, dst, proto, payload, ttl=64, frag=0x4000, opts=b"", ident=1):
    ihl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident,
                    frag, ttl, proto, 0, ip4(src), ip4(dst)) + opts
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, hlim,
                       ip6(src), ip6(dst)) + payload


def l4sum6(src, dst, nh, l4):
    ph = ip6(src) + ip6(dst) + struct.pack("!IxxxB", len(l4), nh)
    return csum(ph + l4)


def icmp6(src, dst, typ, code, body, hlim=255):
    m = struct.pack("!BBH", typ, code, 0) + body
    c = l4sum6(src, dst, 58, m)
    return ipv6(src, dst, 58, m[:2] + struct.pack("!H", c) + m[4:], hlim)


def snm(addr):
    """Solicited-node multicast address and MAC of an IPv6 address."""
    b = ip6(addr)
    a = b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + b[13:]
    return socket.inet_ntop(socket.AF_INET6, a), b"\x33\x33" + a[12:]


class Frames:
    def __init__(self, cfg, seed):
        self.cfg = cfg
        self.seed = seed
        self.sources = cfg["sources"]
        self.weights = [s.get("weight", 1) for s in self.sources]

    # --- pools --------------------------------------------------------
    def src_mac(self, seg):
        r = self.r
        if r.random() < 0.85:
            return mac(r.choice(seg["src_macs"]))
        return bytes([r.choice([0x02, 0x0a, 0x01, 0x00]), 0, 0,
                      r.getrandbits(8), r.getrandbits(8), r.getrandbits(8)])

    def src_ip(self, seg, pool, odd):
        """Mostly one of the segment's @pool, else one of odd() (drawn then)."""
        r = self.r
        if seg.get(pool) and r.random() < 0.85:
            return r.choice(seg[pool])
        return r.choice(odd())

    def src4(self, seg):
        r = self.r
        return self.src_ip(seg, "src4", lambda: [
            "0.0.0.0", "10.0.9.9", "192.0.2.77",
            "10.0.%d.%d" % (r.randint(0, 3), r.randint(10, 99))])

    def src6(self, seg):
        r = self.r
        return self.src_ip(seg, "src6", lambda: [
            "::", "fe80::99", "fd00:9::9",
            "fd00:%d::%x" % (r.randint(0, 3), r.randint(0x10, 0x99))])

    def dst4(self, seg):
        r = self.r
        pools = [p for p in ("router4", "near4", "far4", "dst4") if seg.get(p)]
        p = seg[r.choice(pools)]
        return p if isinstance(p, str) else r.choice(p)

    def dst6(self, seg):
        r = self.r
        pools = [p for p in ("router6", "near6", "far6", "dst6") if seg.get(p)]
        if not pools:
            return "fd00:9::1"
        p = seg[r.choice(pools)]
        return p if isinstance(p, str) else r.choice(p)

    def dst_mac(self, seg):
        r = self.r
        x = r.random()
        if x < 0.45 and seg.get("router_mac"):
            return mac(seg["router_mac"])
        if x < 0.75 and seg.get("dst_macs"):
            return mac(r.choice(seg["dst_macs"]))
        if x < 0.85:
            return b"\xff" * 6
        if x < 0.9:
            return r.choice([b"\x01\x00\x5e\x00\x00\x01", b"\x33\x33\x00\x00\x00\x01",
                             b"\x01\x80\xc2\x00\x00\x0e"])
        return bytes([0x02, 0, 0, 0x99, r.getrandbits(8), r.getrandbits(8)])

    # --- valid frames: (dst, src, ethertype, payload) ------------------
    def l3(self, seg):
        r = self.r
        k = r.choices(["arp", "icmp4", "udp4", "tcp4", "frag4", "opt4", "icmp6",
                       "udp6", "ns", "na", "rs", "mld", "raw"],
                      [18, 16, 8, 5, 3, 2, 9, 4, 8, 6, 2, 2, 3])[0]
        src = self.src_mac(seg)
        dst = self.dst_mac(seg)
        ttl = r.choice([64, 64, 64, 1, 2, 0, 255])
        if k == "arp":
            op = r.choice([1, 1, 2, 2, 3])
            sip = self.src4(seg)
            tip = self.dst4(seg)
            if r.random() < 0.15:
                tip = sip                       # gratuitous
            if op == 1 and r.random() < 0.7:
                dst = b"\xff" * 6
            sha = src if r.random() < 0.9 else self.src_mac(seg)
            tha = dst if op == 2 else b"\0" * 6
            body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, ip4(sip),
                               tha, ip4(tip))
            return dst, src, 0x0806, body
        if k in ("icmp4", "udp4", "tcp4", "frag4", "opt4"):
            sip, dip = self.src4(seg), self.dst4(seg)
            if k == "udp4":
                if r.random() < 0.2:            # DHCP discover
                    sip, dip, dst = "0.0.0.0", "255.255.255.255", b"\xff" * 6
                    l4 = struct.pack("!HHHH", 68, 67, 8 + 240, 0) + bytes(240)
                else:
                    pl = bytes(r.choice([0, 18, 64, 1000]))
                    l4 = struct.pack("!HHHH", r.randint(1024, 65535),
                                     r.choice([53, 6081, 4789, 40000]), 8 + len(pl), 0) + pl
                return dst, src, 0x0800, ipv4(sip, dip, 17, l4, ttl)
            if k == "tcp4":
                t = struct.pack("!HHIIBBHHH", r.randint(1024, 65535), r.choice([22, 80]),
                                r.getrandbits(32), 0, 0x50, 0x02, 65535, 0, 0)
                return dst, src, 0x0800, ipv4(sip, dip, 6, t, ttl)
            echo = struct.pack("!BBHHH", 8, 0, 0, 0x4c53, r.getrandbits(16)) + \
                bytes(r.choice([8, 56, 56, 1200]))
            echo = echo[:2] + struct.pack("!H", csum(echo)) + echo[4:]
            if k == "frag4":
                return dst, src, 0x0800, ipv4(sip, dip, 1, echo, ttl,
                                              frag=r.choice([0x2000, 0x0001, 0x2010]))
            if k == "opt4":
                return dst, src, 0x0800, ipv4(sip, dip, 1, echo, ttl,
                                              opts=r.choice([b"\x94\x04\0\0",
                                                             b"\x01\x01\x01\x00",
                                                             b"\x07\x07\x04" + bytes(5)]))
            return dst, src, 0x0800, ipv4(sip, dip, 1, echo, ttl)
        if k in ("icmp6", "udp6", "ns", "na", "rs", "mld"):
            sip, dip = self.src6(seg), self.dst6(seg)
            hl = r.choice([64, 64, 1, 255])
            if k == "icmp6":
                body = struct.pack("!HH", 0x4c53, r.getrandbits(16)) + bytes(r.choice([8, 56]))
                return dst, src, 0x86DD, icmp6(sip, dip, 128, 0, body, hl)
            if k == "udp6":
                pl = bytes(r.choice([0, 20, 500]))
                u = struct.pack("!HHHH", 40000, r.choice([547, 40000]), 8 + len(pl), 0) + pl
                c = l4sum6(sip, dip, 17, u) or 0xFFFF
                return dst, src, 0x86DD, ipv6(sip, dip, 17, u[:6] + struct.pack("!H", c) + u[8:], hl)
            if k == "ns":
                target = self.dst6(seg)
                if r.random() < 0.15:
                    sip = "::"                  # DAD
                dip, dmac = snm(target)
                if r.random() < 0.3:
                    dip, dmac = target, dst
                body = b"\0\0\0\0" + ip6(target)
                if sip != "::" and r.random() < 0.8:
                    body += struct.pack("!BB", 1, 1) + src
                return dmac, src, 0x86DD, icmp6(sip, dip, 135, 0, body,
                                                255 if r.random() < 0.9 else hl)
            if k == "na":
                target = sip if r.random() < 0.7 else self.src6(seg)
                flags = r.choice([0x20000000, 0x60000000, 0xa0000000])
                body = struct.pack("!I", flags) + ip6(target)
                if r.random() < 0.8:
                    body += struct.pack("!BB", 2, 1) + src
                if r.random() < 0.5:
                    dip = "ff02::1"
                    dst = b"\x33\x33\0\0\0\x01"
                return dst, src, 0x86DD, icmp6(sip, dip, 136, 0, body, 255)
            if k == "rs":
                body = b"\0\0\0\0" + struct.pack("!BB", 1, 1) + src
                return b"\x33\x33\0\0\0\x02", src, 0x86DD, icmp6(sip, "ff02::2", 133, 0, body)
            # MLDv2 report, hop-by-hop router alert
            rec = struct.pack("!BBH16s", 4, 0, 0, ip6("ff02::1:ff00:1"))
            m = struct.pack("!BBHHH", 143, 0, 0, 0, 1) + rec
            c = l4sum6(sip, "ff02::16", 58, m)
            m = m[:2] + struct.pack("!H", c) + m[4:]
            hbh = struct.pack("!BB", 58, 0) + b"\x05\x02\0\0\x01\x00"
            return (b"\x33\x33\0\0\0\x16", src, 0x86DD,
                    ipv6(sip, "ff02::16", 0, hbh + m, 1))
        return dst, src, r.choice([0x88b5, 0x88cc, 0x8035, 0x0842, 0x9000]), \
            bytes(r.choice([46, 100]))

    def ether(self, dst, src, etype, payload, vlan):
        f = dst + src
        if vlan is not None:
            f += struct.pack("!HH", 0x8100, vlan)
        f += struct.pack("!H", etype) + payload
        return f + bytes(max(0, 60 - len(f)))

    # --- mutations ----------------------------------------------------
    def mutate(self, f, hdr_end=14):
        r = self.r
        f = bytearray(f)
        for _ in range(r.randint(1, 3)):
            op = r.randrange(7)
            if op == 0 and len(f) > 0:           # flip bytes
                for _ in range(r.randint(1, 4)):
                    i = r.randrange(len(f))
                    f[i] ^= 1 << r.randrange(8) if r.random() < 0.5 else r.getrandbits(8)
            elif op == 1 and len(f) > hdr_end:   # a header field
                i = r.randrange(hdr_end, min(len(f), hdr_end + 64))
                f[i] = r.choice([0, 0xFF, 0x7F, 0x80, r.getrandbits(8)])
            elif op == 2:                        # truncate
                f = f[:r.randint(min(len(f), 14), len(f))]
            elif op == 3:                        # extend
                f += r.randbytes(r.randint(1, 64))
            elif op == 4 and len(f) >= 14:       # another tag (QinQ, priority)
                tpid = r.choice([0x8100, 0x88a8, 0x8100])
                f[12:12] = struct.pack("!HH", tpid, r.choice([0, 30, 31, 100, 4095,
                                                              r.getrandbits(16)]))
            elif op == 5 and len(f) >= 14:       # ethertype
                f[12:14] = struct.pack("!H", r.choice([0x0800, 0x86DD, 0x0806, 0x8100,
                                                       0x88a8, 0x6558, r.getrandbits(16)]))
            elif op == 6 and len(f) >= 12:       # addresses
                i = r.choice([0, 6])
                f[i:i + 6] = r.choice([b"\xff" * 6, b"\0" * 6, b"\x01\0\x5e\0\0\x01",
                                       r.randbytes(6)])
        return bytes(f)

    # --- Geneve ---------------------------------------------------------
    def geneve(self, src):
        r = self.r
        seg = r.choice(src["segments"])
        dst, smac, et, pl = self.l3(seg)
        inner = self.ether(dst, smac, et, pl, None)
        mutated = False
        if r.random() < 0.2:
            inner = self.mutate(inner)
            mutated = True
        vni = r.choice(src["vnis"])
        ink, outk = r.choice(src["keys"]), r.choice(src["keys"])
        crit, oam, ver, proto = True, False, 0, 0x6558
        ovn = struct.pack("!HBBI", 0x0102, 0x80, 1, (ink & 0x7FFF) << 16 | (outk & 0xFFFF))
        opts = ovn
        optlen = None
        if r.random() < 0.3:
            mutated = True
            k = r.randrange(13)
            if k == 0:
                opts, crit = b"", False
            elif k == 1:     # the option claims more than the header carries
                opts = struct.pack("!HBB", 0x0102, 0x80, r.choice([2, 3, 31])) + ovn[4:]
            elif k == 2:     # the OVN option with the wrong length
                opts = struct.pack("!HBB", 0x0102, 0x80, r.choice([0, 2])) + ovn[4:] + \
                    (b"\0" * 4 if r.random() < 0.5 else b"")
            elif k == 3:     # unknown critical option
                o = struct.pack("!HBBI", r.choice([0xFFF0, 0x0102, 0x0101]), 0x81, 1, 0)
                opts = o + ovn if r.random() < 0.5 else ovn + o
            elif k == 4:     # unknown non-critical option
                opts = struct.pack("!HBBI", 0xFFF0, 0x01, 1, 0) + ovn
            elif k == 5:     # header option length wrong
                optlen = r.choice([0, 1, 3, 63])
            elif k == 6:
                ver = r.randint(1, 3)
            elif k == 7:
                proto = r.choice([0x0800, 0x86DD, 0x8100, r.getrandbits(16)])
            elif k == 8:
                vni = r.choice([0, 99, 0xFFFFFF, r.getrandbits(24)])
            elif k == 9:     # keys out of range
                opts = struct.pack("!HBBI", 0x0102, 0x80, 1, r.getrandbits(32))
            elif k == 10:    # truncated inner frame
                inner = inner[:r.randint(0, 20)]
            elif k == 11:    # C clear, O set
                crit, oam = r.random() < 0.5, True
            else:            # two OVN options
                opts = ovn + ovn
        if optlen is None:
            optlen = len(opts) // 4
        gh = struct.pack("!BBHI", (ver << 6) | (optlen & 0x3F),
                         (0x80 if oam else 0) | (0x40 if crit else 0), proto,
                         (vni & 0xFFFFFF) << 8) + opts
        payload = gh + inner
        if r.random() < 0.03:
            payload = payload[:r.randint(0, 12)]
            mutated = True
        o = src["outer"]
        udp = struct.pack("!HHHH", r.randint(32768, 60999), 6081, 8 + len(payload), 0) + payload
        if r.random() < 0.02:
            udp = udp[:4] + struct.pack("!H", r.choice([0, 7, len(udp) + 9])) + udp[6:]
            mutated = True
        pkt = ipv4(o["sip"], o["dip"], 17, udp, 64, 0x4000)
        return self.ether(mac(o["dst_mac"]), mac(o["src_mac"]), 0x0800, pkt, None), mutated

    # --- one input ------------------------------------------------------
    def input(self, i):
        """(source index, frame bytes, mutated)."""
        self.r = r = random.Random("%d:%d" % (self.seed, i))
        si = r.choices(range(len(self.sources)), self.weights)[0]
        src = self.sources[si]
        if src["kind"] == "geneve":
            f, mutated = self.geneve(src)
            return si, f, mutated
        seg = r.choice(src["segments"])
        dst, smac, et, pl = self.l3(seg)
        vlan = seg.get("vlan")
        if r.random() < 0.05:
            vlan = r.choice([None, 0, 1, 30, 31, 99, 100, 4094])
        f = self.ether(dst, smac, et, pl, vlan)
        mutated = r.random() < 0.33
        if mutated:
            f = self.mutate(f, 18 if vlan is not None else 14)
        return si, f, mutated


def open_in_netns(netns, dev):
    """An AF_PACKET socket bound to dev in netns (ip netns naming)."""
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + netns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + netns)
        sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sk.bind((dev, 0))
    finally:
        libc.setns(own, CLONE_NEWNET)
        os.close(fd)
        os.close(own)
    return sk


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--progress", type=int, default=0)
    p.add_argument("--show", type=int, default=None, metavar="I")
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 31)
    gen = Frames(cfg, a.seed)
    if a.show is not None:
        si, f, mutated = gen.input(a.show)
        print("frame %d: source %s%s: %s" % (a.show, cfg["sources"][si]["name"],
                                             " mutated" if mutated else "", f.hex()))
        return 0
    socks = [open_in_netns(s["netns"], s["dev"]) for s in cfg["sources"]]
    print("fuzz_frames: seed %d, %d inputs" % (a.seed, a.n), flush=True)
    sent = collections.Counter()
    muts = collections.Counter()
    errs = collections.Counter()
    t0 = time.monotonic()
    for i in range(a.n):
        si, f, mutated = gen.input(i)
        name = cfg["sources"][si]["name"]
        try:
            socks[si].send(f)
            sent[name] += 1
        except OSError as e:
            errs[errno.errorcode.get(e.errno, str(e.errno))] += 1
        if mutated:
            muts[name] += 1
        if a.progress and (i + 1) % a.progress == 0:
            dt = time.monotonic() - t0
            print("fuzz_frames: %d inputs, %.1f s, %.0f/s" % (i + 1, dt, (i + 1) / dt),
                  flush=True)
    dt = time.monotonic() - t0
    print("fuzz_frames: seed %d: %d inputs in %.1f s (%.0f inputs/s), %d mutated"
          % (a.seed, a.n, dt, a.n / dt if dt else 0, sum(muts.values())))
    print("fuzz_frames: sent by source: " + " ".join(
        "%s:%d(%d mutated)" % (s["name"], sent[s["name"]], muts[s["name"]])
        for s in cfg["sources"]))
    if errs:
        print("fuzz_frames: refused by the sending socket: " +
              " ".join("%s:%d" % kv for kv in errs.most_common()))
    # The sockets must have sent nearly everything: a run where most
    # frames never left is not a fuzz run.
    total = sum(sent.values())
    if total < a.n * 0.9:
        print("fuzz_frames: FAIL: only %d of %d frames sent" % (total, a.n))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
