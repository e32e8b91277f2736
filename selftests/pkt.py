#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made Ethernet frames out of an interface (AF_PACKET).

Used by the lsdp selftests for frames the normal stack would not send:
spoofed sources, DHCP discover, IPv6 DAD and Neighbour Discovery, VLAN tags.

  pkt.py IFACE [--src MAC] [--dst MAC] [--vlan VID] [--count N] KIND [opts]

KIND:
  raw   --type ETHERTYPE [--len N]
  arp   --op 1|2 --sha MAC --spa IP --tha MAC --tpa IP
  udp4  --sip IP --dip IP [--sport N] [--dport N]
  udp6  --sip IP6 --dip IP6 [--sport N] [--dport N]
  ns    --sip IP6 --dip IP6 --target IP6 [--sll MAC]
  na    --sip IP6 --dip IP6 --target IP6 [--tll MAC] [--solicited]
  echo6 --sip IP6 --dip IP6

--src defaults to the interface's MAC, --dst to ff:ff:ff:ff:ff:ff.
--print writes the frame in hex instead of sending it (IFACE is then not
used and --src is required).
"""
import argparse
import ipaddress
import socket
import struct
import sys


def mac(s):
    b = bytes(int(x, 16) for x in s.split(":"))
    if len(b) != 6:
        raise argparse.ArgumentTypeError("bad MAC " + s)
    return b


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src, dst, proto, payload):
    s = ipaddress.IPv4Address(src).packed
    d = ipaddress.IPv4Address(dst).packed
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                      proto, 0, s, d)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ip6(src, dst, nh, payload, hlim=64):
    s = ipaddress.IPv6Address(src).packed
    d = ipaddress.IPv6Address(dst).packed
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, hlim, s, d) + payload


def l4csum6(src, dst, nh, l4):
    ph = (ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed
          + struct.pack("!IxxxB", len(l4), nh))
    return csum(ph + l4)


def udp4(a):
    payload = b"lsdp-selftest".ljust(32, b"\0")
    u = struct.pack("!HHHH", a.sport, a.dport, 8 + len(payload), 0) + payload
    return 0x0800, ip4(a.sip, a.dip, 17, u)


def udp6(a):
    payload = b"lsdp-selftest".ljust(32, b"\0")
    u = struct.pack("!HHHH", a.sport, a.dport, 8 + len(payload), 0) + payload
    c = l4csum6(a.sip, a.dip, 17, u)
    u = u[:6] + struct.pack("!H", c or 0xFFFF) + u[8:]
    return 0x86DD, ip6(a.sip, a.dip, 17, u)


def icmp6(a, typ, code, body):
    m = struct.pack("!BBH", typ, code, 0) + body
    c = l4csum6(a.sip, a.dip, 58, m)
    m = m[:2] + struct.pack("!H", c) + m[4:]
    return 0x86DD, ip6(a.sip, a.dip, 58, m, hlim=255)


def ns(a):
    body = b"\0\0\0\0" + ipaddress.IPv6Address(a.target).packed
    if a.sll:
        body += struct.pack("!BB", 1, 1) + a.sll
    return icmp6(a, 135, 0, body)


def na(a):
    flags = 0x20000000  # override
    if a.solicited:
        flags |= 0x40000000
    body = struct.pack("!I", flags) + ipaddress.IPv6Address(a.target).packed
    if a.tll:
        body += struct.pack("!BB", 2, 1) + a.tll
    return icmp6(a, 136, 0, body)


def echo6(a):
    return icmp6(a, 128, 0, struct.pack("!HH", 0x4C53, 1) + b"lsdp" * 8)


def arp(a):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, a.op, a.sha,
                       ipaddress.IPv4Address(a.spa).packed, a.tha,
                       ipaddress.IPv4Address(a.tpa).packed)
    return 0x0806, body


def raw(a):
    return int(a.type, 0), b"lsdp-selftest".ljust(a.len, b"\0")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("iface")
    p.add_argument("--src", type=mac)
    p.add_argument("--dst", type=mac, default=b"\xff" * 6)
    p.add_argument("--vlan", type=int)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--print", action="store_true")
    sub = p.add_subparsers(dest="kind", required=True)

    s = sub.add_parser("raw")
    s.add_argument("--type", default="0x88b5")
    s.add_argument("--len", type=int, default=46)
    s.set_defaults(fn=raw)

    s = sub.add_parser("arp")
    s.add_argument("--op", type=int, default=1)
    s.add_argument("--sha", type=mac, required=True)
    s.add_argument("--spa", required=True)
    s.add_argument("--tha", type=mac, default=b"\0" * 6)
    s.add_argument("--tpa", required=True)
    s.set_defaults(fn=arp)

    for name, fn in (("udp4", udp4), ("udp6", udp6)):
        s = sub.add_parser(name)
        s.add_argument("--sip", required=True)
        s.add_argument("--dip", required=True)
        s.add_argument("--sport", type=int, default=40000)
        s.add_argument("--dport", type=int, default=40000)
        s.set_defaults(fn=fn)

    # ns carries the source's link-layer address, na the target's.
    for name, fn, lladdr in (("ns", ns, "--sll"), ("na", na, "--tll")):
        s = sub.add_parser(name)
        s.add_argument("--sip", required=True)
        s.add_argument("--dip", required=True)
        s.add_argument("--target", required=True)
        s.add_argument(lladdr, type=mac)
        s.set_defaults(fn=fn)
    s.add_argument("--solicited", action="store_true")

    s = sub.add_parser("echo6")
    s.add_argument("--sip", required=True)
    s.add_argument("--dip", required=True)
    s.set_defaults(fn=echo6)

    a = p.parse_args()
    etype, payload = a.fn(a)

    if a.print:
        sk, src = None, a.src
    else:
        sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sk.bind((a.iface, 0))
        src = a.src or sk.getsockname()[4][:6]
    frame = a.dst + src
    if a.vlan is not None:
        frame += struct.pack("!HH", 0x8100, a.vlan & 0xFFF)
    frame += struct.pack("!H", etype) + payload
    if len(frame) < 60:
        frame += b"\0" * (60 - len(frame))
    if a.print:
        print(frame.hex())
        return 0
    for _ in range(a.count):
        sk.send(frame)
    return 0


if __name__ == "__main__":
    sys.exit(main())
