#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-made Geneve packet to a chassis (UDP port 6081).

Used by the lsdp Geneve selftest to inject well-formed and malformed
tunnel traffic from the underlay.  Geneve is a UDP payload, so a plain UDP
socket is enough: the header, options and inner frame are built here.

  geneve_inject.py DST_IP CASE [--vni N] [--in-key N] [--out-key N]
                   [--src MAC] [--dst MAC] [--sip IP] [--dip IP] [--print]
  geneve_inject.py DST_IP raw --payload HEX

--print writes the UDP payload in hex instead of sending it (what
`lsdp trace from-tunnel` takes); raw sends such a payload as it is.

CASE:
  ok           OVN option (class 0x0102 type 0x80 len 1), C bit set
  no-opt       no options at all
  truncated    header says 8 bytes of options, the option claims 12
  bad-len      the OVN option with 8 data bytes instead of 4
  crit         an unknown critical option before the OVN option
  noncrit      an unknown non-critical option before the OVN option

The inner frame is an ICMP echo request from --sip/--src to --dip/--dst.
"""
import argparse
import ipaddress
import socket
import struct

from pkt import csum  # the Internet checksum, shared with pkt.py


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def inner_frame(a):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + b"lsdp-geneve-test"
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    sip = ipaddress.IPv4Address(a.sip).packed
    dip = ipaddress.IPv4Address(a.dip).packed
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0x4000,
                     64, 1, 0, sip, dip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return mac(a.dst) + mac(a.src) + b"\x08\x00" + ip + icmp


def option(cls, typ, data):
    assert len(data) % 4 == 0
    return struct.pack("!HBB", cls, typ, len(data) // 4) + data


def geneve(a):
    keys = struct.pack("!I", (a.in_key & 0x7FFF) << 16 | (a.out_key & 0xFFFF))
    ovn = option(0x0102, 0x80, keys)
    crit = True
    if a.case == "ok":
        opts = ovn
    elif a.case == "no-opt":
        opts, crit = b"", False
    elif a.case == "truncated":
        # The option header claims 2 words of data (12 bytes in all) but
        # the Geneve header carries only 8 bytes of options.
        opts = struct.pack("!HBB", 0x0102, 0x80, 2) + keys
    elif a.case == "bad-len":
        opts = option(0x0102, 0x80, keys + b"\0\0\0\0")
    elif a.case == "crit":
        opts = option(0xFFF0, 0x81, b"\0\0\0\0") + ovn
    elif a.case == "noncrit":
        opts = option(0xFFF0, 0x01, b"\0\0\0\0") + ovn
    else:
        raise SystemExit("unknown case " + a.case)
    ver_optlen = len(opts) // 4            # version 0
    flags = 0x40 if crit else 0            # C bit
    vni = struct.pack("!I", a.vni << 8)    # 24-bit VNI, 8 reserved bits
    return struct.pack("!BBH", ver_optlen, flags, 0x6558) + vni + opts


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dst_ip")
    p.add_argument("case")
    p.add_argument("--vni", type=int, default=1)
    p.add_argument("--in-key", type=int, default=1)
    p.add_argument("--out-key", type=int, default=2)
    p.add_argument("--src", default="02:00:00:00:00:01")
    p.add_argument("--dst", default="02:00:00:00:00:02")
    p.add_argument("--sip", default="10.0.0.1")
    p.add_argument("--dip", default="10.0.0.2")
    p.add_argument("--print", action="store_true")
    p.add_argument("--payload")
    a = p.parse_args()
    if a.case == "raw":
        data = bytes.fromhex(a.payload)
    else:
        data = geneve(a) + inner_frame(a)
    if a.print:
        print(data.hex())
        return
    fam = socket.AF_INET6 if ":" in a.dst_ip else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.sendto(data, (a.dst_ip, 6081))


if __name__ == "__main__":
    main()
