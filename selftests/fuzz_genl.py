#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded generic netlink fuzzer for the lsdp family (run as root, in the VM).

  fuzz_genl.py [--seed S] [--n N] [--dev IFNAME]... [--mac MAC]...
               [--timeout SECS] [--progress N] [--show I]

Sends N requests to the lsdp family of the current network namespace.
Most are well formed, over small pools of names (4 switches, 2 routers, 12
ports, 3 chassis), keys, MACs, addresses, netdevs (--dev; --mac adds MACs
of hosts that send traffic, so that bound ports forward it) and values,
so that datapaths, ports, chassis, routes and neighbours are created,
bound, rebound, unbound and deleted in random orders by every command of
the family; dumps of every kind are interleaved, and now and then a dump
is abandoned half read.  About one request in six is mutated: unknown or
wrong-typed attributes, truncated or overlong payloads, huge values,
garbage in nests, bad attribute lengths, unknown commands, stray flags,
a short or dirty genl header.

Every reply must be an acknowledgement or an error, and every error of a
request that reached an lsdp handler must carry an extack message (or a
missing-attribute report); errors are counted by errno.  Replies and the
"events" multicast group (read by a listener socket throughout) must be
well formed.  Each request has a timeout: a request the kernel does not
answer fails the run instead of hanging it.

The sequence of requests is a function of the seed alone (never of the
replies): --show I prints request I of the sequence, so that a failure
reported as "input I" can be replayed with --seed S --n I+1.

Exit status 0 when everything held, 1 otherwise; a summary (counts,
inputs/second) is printed in both cases.
"""
import argparse
import collections
import errno
import ipaddress
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl as G  # noqa: E402  (selftests/genl.py: constants, nla())

TEXT = open(G.UAPI).read()
CMD = G.enum_values(TEXT, "lsdp_cmd", "LSDP_CMD_")
A = G.enum_values(TEXT, "lsdp_attr", "LSDP_A_")
AA = G.enum_values(TEXT, "lsdp_addr_attr", "LSDP_ADDR_A_")
PT = G.enum_values(TEXT, "lsdp_port_type", "LSDP_PORT_TYPE_")
MA = G.enum_values(TEXT, "lsdp_match_attr", "LSDP_MATCH_A_")
TA = G.enum_values(TEXT, "lsdp_test_attr", "LSDP_TEST_A_")
FIELD = G.enum_values(TEXT, "lsdp_match_field", "LSDP_FIELD_")
STATS_RX_PACKETS = G.enum_values(TEXT, "lsdp_stats_attr", "LSDP_STATS_A_")["rx_packets"]
CMD_NAME = {v: k for k, v in CMD.items()}
A_MAX = max(A.values())

NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN = 2, 3, 4
NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO = 1, 4, 8
NLM_F_ROOT, NLM_F_MATCH = 0x100, 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
EXT_MSG, EXT_OFFS, EXT_MISS_TYPE, EXT_MISS_NEST = 1, 2, 5, 6

# Which commands have a doit and which a dumpit (the family's ops table).
DOIT = {"dp_new", "dp_del", "dp_get", "port_new", "port_set", "port_del",
        "port_get", "chassis_new", "chassis_del", "chassis_get", "encap_set",
        "encap_get", "route_new", "route_del", "neigh_new", "neigh_del",
        "neigh_flush", "hold_set", "hold_get", "port_announce",
        "as_new", "as_set", "as_del", "as_get", "pg_new", "pg_set", "pg_del",
        "pg_get", "acl_new", "acl_del", "nat_new", "nat_del"}
DUMPIT = {"dp_get", "port_get", "chassis_get", "route_get", "neigh_get",
          "hold_get", "as_get", "pg_get", "acl_get", "nat_get"}

SWITCHES = ["sw0", "sw1", "sw2", "sw3"]
ROUTERS = ["lr0", "lr1"]
DPS = SWITCHES + ROUTERS
PORTS = ["p%d" % i for i in range(12)]
CHASSIS = ["ch0", "ch1", "ch2"]
V4 = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.1.1", "10.0.1.2"]
V6 = ["fd00::1", "fd00::2", "fd00:1::1", "fe80::1"]
NETS4 = [("10.0.0.254", 24), ("10.0.1.254", 24), ("10.0.0.254", 16),
         ("192.168.9.1", 30)]
NETS6 = [("fd00::fe", 64), ("fd00:1::fe", 64)]
NEXTHOPS = ["10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.1.1", "fd00::1",
            "fd00::9", "fe80::1"]
PREFIXES = [("10.9.0.0", 16), ("10.9.1.0", 24), ("0.0.0.0", 0),
            ("10.0.0.0", 8), ("fd09::", 32), ("::", 0)]
UNDERLAY = ["192.0.2.10", "192.0.2.11", "192.0.2.12", "2001:db8::10"]
LOCAL = ["192.0.2.1", "2001:db8::1"]
BAD_IPS = ["0.0.0.0", "224.0.0.1", "255.255.255.255", "127.0.0.1", "::",
           "ff02::1", "::1"]
MACS = ["02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c",
        "02:00:00:00:00:0d"]
BAD_MACS = ["00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01",
            "33:33:00:00:00:01"]
ASETS = ["as0", "as1", "as2"]
PGS = ["pg0", "pg1", "pg2"]
TAGS = [10, 20, 30]
BAD_TAGS = [0, 4095, 4096, 65535]


def u8(v):
    return struct.pack("=B", v & 0xFF)


def u16(v):
    return struct.pack("=H", v & 0xFFFF)


def u32(v):
    return struct.pack("=I", v & 0xFFFFFFFF)


def ip(s):
    return ipaddress.ip_address(s).packed


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


class Gen:
    """Builds request I of the sequence of a seed: (kind, cmd, flags,
    version, reserved, attrs bytes, mutated)."""

    def __init__(self, seed, ifindexes, macs, homes=()):
        self.seed = seed
        self.ifindexes = ifindexes
        self.macs = MACS + macs
        # Ports p0, p1 belong to the first host, p2, p3 to the second...:
        # half the time they get its netdev, MAC and address, so that
        # bound ports carry the hosts' traffic.
        self.homes = list(homes)
        self.port = None

    def home(self):
        if self.port is None or not self.homes or self.r.random() < 0.5:
            return None
        i = self.port // 2
        return self.homes[i] if i < len(self.homes) else None

    # --- values -------------------------------------------------------
    def name(self, pool):
        r = self.r
        if r.random() < 0.96:
            n = r.choice(pool)
            if pool is PORTS:
                self.port = PORTS.index(n)
            return n.encode() + b"\0"
        return r.choice([b"\0", b"x" * 63 + b"\0", b"x" * 64 + b"\0",
                         b"bad name\0", b"\x01\x02\0", b"p1",
                         r.randbytes(r.randint(1, 80)),
                         "n\u00e9".encode() + b"\0", b"x" * 300 + b"\0"])

    def dp_key(self):
        r = self.r
        if r.random() < 0.95:
            return u32(r.randint(1, 16))
        return u32(r.choice([0, 0xFFFFFF, 0x1000000, 0xFFFFFFFF]))

    def port_key(self):
        r = self.r
        if r.random() < 0.95:
            return u32(r.randint(1, 6))
        return u32(r.choice([0, 32767, 32768, 32769, 65535, 0xFFFFFFFF]))

    def mac(self):
        r = self.r
        h = self.home()
        if h:
            return mac(h[1])
        if r.random() < 0.93:
            return mac(r.choice(self.macs))
        return r.choice([mac(r.choice(BAD_MACS)), b"\x02\0\0\0\0",
                         b"\x02\0\0\0\0\x0a\0", b""])

    def ifindex(self):
        r = self.r
        h = self.home()
        if h:
            return u32(h[0])
        if self.ifindexes and r.random() < 0.85:
            return u32(r.choice(self.ifindexes))
        return u32(r.choice([0, 0, 1, 99999, 0xFFFFFFFF]))

    def addr(self, v6=None, bad=0.04):
        r = self.r
        if r.random() < bad:
            return r.choice([ip(r.choice(BAD_IPS)), b"\x0a\0\0", b"\x0a\0\0\x01\0",
                             b"", bytes(15)])
        if v6 is None:
            v6 = r.random() < 0.3
        return ip(r.choice(V6 if v6 else V4))

    def underlay(self):
        r = self.r
        if r.random() < 0.9:
            return ip(r.choice(UNDERLAY))
        return r.choice([ip(r.choice(BAD_IPS)), b"\xc0\0\x02", bytes(17)])

    def addrs(self, nets):
        r = self.r
        out = b""
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            if nets:
                if r.random() < 0.7:
                    a, p = r.choice(NETS4)
                    t, data = AA["ipv4_net"], ip(a) + u8(p)
                else:
                    a, p = r.choice(NETS6)
                    t, data = AA["ipv6_net"], ip(a) + u8(p)
                if r.random() < 0.05:
                    data = data[:-1] + u8(r.choice([0, 31, 33, 128, 129, 255]))
            else:
                if r.random() < 0.7:
                    t, data = AA["ipv4"], ip(r.choice(V4))
                else:
                    t, data = AA["ipv6"], ip(r.choice(V6))
                h = self.home()
                if h:
                    t, data = AA["ipv4"], ip(h[2])
            if r.random() < 0.03:
                t = r.choice([0, AA["ipv4"], AA["ipv6"], AA["ipv4_net"],
                              AA["ipv6_net"], 5, 200])
            out += G.nla(t, data)
        return out

    def vparents(self):
        """A virtual port's parents: port-name attributes, from the pool."""
        return b"".join(G.nla(A["port_name"], self.name(PORTS))
                        for _ in range(self.r.choice([0, 1, 2, 3])))

    def pick(self, *pairs):
        """Attributes each present with its probability."""
        return [(t, f()) for t, p, f in pairs if self.r.random() < p]

    # --- well-formed requests, per command ------------------------------
    def req(self, cmd):
        r = self.r
        N = A
        if cmd == "dp_new":
            sw = r.random() < 0.65
            name = r.choice(SWITCHES if sw else ROUTERS).encode() + b"\0"
            if r.random() < 0.05:
                name = self.name(DPS)
            kind = 1 if sw else 2
            if r.random() < 0.05:
                kind = r.choice([0, 3, 255])
            return self.pick((N["dp_name"], 0.99, lambda: name),
                             (N["dp_key"], 0.97, self.dp_key),
                             (N["dp_kind"], 0.9 if sw else 0.99, lambda: u8(kind)))
        if cmd in ("dp_del", "dp_get"):
            return self.pick((N["dp_name"], 0.97, lambda: self.name(DPS)))
        if cmd == "port_new":
            return self.port_new()
        if cmd == "port_set":
            return self.pick(
                (N["port_name"], 0.98, lambda: self.name(PORTS)),
                (N["port_mac"], 0.25, self.mac),
                (N["port_addrs"], 0.2, lambda: self.addrs(r.random() < 0.3)),
                (N["port_unknown"], 0.15, lambda: u8(r.choice([0, 1, 1, 2]))),
                (N["port_security"], 0.15, lambda: u8(r.choice([0, 1, 1, 7]))),
                (N["port_ifindex"], 0.4, self.ifindex),
                (N["port_chassis"], 0.2,
                 lambda: r.choice([b"\0", self.name(CHASSIS)])),
                (N["port_tag"], 0.08,
                 lambda: u16(r.choice(TAGS + [0] + BAD_TAGS[1:2]))))
        if cmd in ("port_del", "port_announce", "neigh_flush"):
            p = 0.5 if cmd == "neigh_flush" else 0.98
            return self.pick((N["port_name"], p, lambda: self.name(PORTS)))
        if cmd == "port_get":
            return self.pick((N["port_name"], 0.97, lambda: self.name(PORTS)))
        if cmd == "chassis_new":
            return self.pick((N["chassis_name"], 0.98, lambda: self.name(CHASSIS)),
                             (N["chassis_ip"], 0.97, self.underlay))
        if cmd in ("chassis_del", "chassis_get"):
            return self.pick((N["chassis_name"], 0.98, lambda: self.name(CHASSIS)))
        if cmd == "encap_set":
            return self.pick(
                (N["encap_local_ip"], 0.97,
                 lambda: ip(r.choice(LOCAL)) if r.random() < 0.92 else self.underlay()),
                (N["encap_ifindex"], 0.15, self.ifindex),
                (N["encap_csum"], 0.3, lambda: u8(r.choice([0, 1, 2]))),
                (N["encap_df"], 0.3, lambda: u8(r.choice([0, 1, 9]))))
        if cmd in ("encap_get", "hold_get"):
            return []
        if cmd in ("route_new", "route_del"):
            pfx, plen = r.choice(PREFIXES)
            if r.random() < 0.05:
                plen = r.choice([1, 33, 64, 129, 255])
            v6 = ":" in pfx
            out = self.pick(
                (N["dp_name"], 0.97,
                 lambda: self.name(ROUTERS if r.random() < 0.9 else DPS)),
                (N["route_prefix"], 0.97,
                 lambda: ip(pfx) if r.random() < 0.95 else self.addr(not v6)),
                (N["route_plen"], 0.97, lambda: u8(plen)))
            if cmd == "route_new":
                out += self.pick(
                    (N["route_via"], 0.6, lambda: ip(r.choice(
                        [h for h in NEXTHOPS if (":" in h) == v6]))),
                    (N["port_name"], 0.95, lambda: self.name(PORTS)))
            return out
        if cmd == "route_get":
            return self.pick((N["dp_name"], 0.3, lambda: self.name(DPS)))
        if cmd in ("nat_new", "nat_del"):
            # Few addresses, so that duplicates and overlaps happen.
            ext = r.choice(["10.9.0.1", "10.9.0.2", "10.9.0.3", "2001:db8::9"])
            lip, lplen = r.choice([("10.0.0.5", 32), ("10.0.0.6", 32),
                                   ("10.0.0.0", 24), ("10.0.0.1", 24),
                                   ("0.0.0.0", 0)])
            out = self.pick(
                (N["dp_name"], 0.97,
                 lambda: self.name(ROUTERS if r.random() < 0.9 else DPS)),
                (N["nat_type"], 0.97, lambda: u8(r.choice([1, 2, 3, 3, 0, 4]))),
                (N["nat_external_ip"], 0.97, lambda: ip(ext)),
                (N["nat_logical_ip"], 0.9 if cmd == "nat_new" else 0.4,
                 lambda: ip(lip)),
                (N["nat_logical_plen"], 0.5, lambda: u8(lplen)))
            if cmd == "nat_new":
                out += self.pick(
                    (N["nat_logical_port"], 0.3, lambda: self.name(PORTS)),
                    (N["nat_external_mac"], 0.3, self.mac),
                    (N["nat_port_min"], 0.2, lambda: u16(r.choice([0, 1, 1000]))),
                    (N["nat_port_max"], 0.2, lambda: u16(r.choice([0, 1000, 65535]))))
            return out
        if cmd == "nat_get":
            return self.pick((N["dp_name"], 0.3, lambda: self.name(DPS)))
        if cmd in ("neigh_new", "neigh_del"):
            out = self.pick((N["port_name"], 0.97, lambda: self.name(PORTS)),
                            (N["neigh_addr"], 0.97, lambda: self.addr(
                                None, 0.05) if r.random() < 0.5 else
                                ip(r.choice(NEXTHOPS))))
            if cmd == "neigh_new":
                out += self.pick((N["neigh_mac"], 0.95, self.mac))
            return out
        if cmd == "neigh_get":
            return self.pick((N["port_name"], 0.4, lambda: self.name(PORTS)))
        if cmd in ("as_new", "as_set"):
            return self.pick(
                (N["as_name"], 0.98, lambda: self.name(ASETS)),
                (N["as_addrs"], 0.8, lambda: self.addrs(r.random() < 0.3)),
                (N["as_del_addrs"], 0.3 if cmd == "as_set" else 0.02,
                 lambda: self.addrs(r.random() < 0.3)))
        if cmd in ("as_del", "as_get"):
            return self.pick((N["as_name"], 0.97, lambda: self.name(ASETS)))
        if cmd in ("pg_new", "pg_set"):
            return self.pick(
                (N["pg_name"], 0.98, lambda: self.name(PGS)),
                (N["pg_ports"], 0.9, lambda: b"".join(
                    G.nla(N["port_name"], self.name(PORTS))
                    for _ in range(r.choice([0, 1, 2, 3, 5])))))
        if cmd in ("pg_del", "pg_get"):
            return self.pick((N["pg_name"], 0.97, lambda: self.name(PGS)))
        if cmd in ("acl_new", "acl_del"):
            pg = r.random() < 0.3
            out = self.pick(
                (N["pg_name"] if pg else N["dp_name"], 0.97,
                 lambda: self.name(PGS if pg else SWITCHES)),
                (N["dp_name"], 0.02, lambda: self.name(DPS)),
                (N["acl_dir"], 0.97 if cmd == "acl_new" else 0.3,
                 lambda: u8(r.choice([1, 2, 1, 2, 0, 3]))),
                (N["acl_priority"], 0.97 if cmd == "acl_new" else 0.3,
                 lambda: u16(r.choice([0, 1, 100, 1000, 32767, 32768, 65535]))),
                (N["acl_match"], 0.97 if cmd == "acl_new" else 0.2, self.match),
                (N["acl_name"], 0.2, lambda: r.choice([b"web\0", b"db\0", b"\0"])))
            if cmd == "acl_new":
                out += self.pick((N["acl_action"], 0.97,
                                  lambda: u8(r.choice([1, 2, 3, 4, 5, 6, 0, 7]))))
            else:
                out += self.pick((N["acl_id"], 0.1, lambda: u32(r.randint(0, 50))))
            return out
        if cmd == "hold_set":
            def v(lo, hi):
                return lambda: u32(r.randint(lo, hi) if r.random() < 0.9 else
                                   r.choice([0, lo - 1, hi + 1, 0xFFFFFFFF]))
            return self.pick(
                (N["hold_dest_bytes"], 0.3, v(0, 1 << 20)),
                (N["hold_total_bytes"], 0.3, v(0, 8 << 20)),
                (N["hold_retries"], 0.3, v(1, 10)),
                (N["hold_interval_ms"], 0.3, v(10, 2000)),
                (N["hold_unbound_ms"], 0.3, v(10, 5000)),
                (N["neigh_max"], 0.2, v(1, 4096)),
                (N["neigh_reachable_ms"], 0.2, v(1000, 60000)),
                (N["neigh_stale_ms"], 0.2, v(1000, 60000)))
        raise KeyError(cmd)

    def match(self):
        """An ACL match: a few tests, mostly well formed."""
        r = self.r
        F = FIELD
        out = b""
        for _ in range(r.choice([0, 1, 2, 2, 3, 4])):
            f = r.choice(list(F.values()) + [0, 99])
            body = G.nla(TA["field"], u8(f))
            if r.random() < 0.2:
                body += G.nla(TA["neg"], b"")
            for _ in range(r.choice([1, 1, 2, 3, 0])):
                if f in (F["inport"], F["outport"]):
                    body += (G.nla(TA["port"], self.name(PORTS))
                             if r.random() < 0.6 else
                             G.nla(TA["port_group"], self.name(PGS)))
                elif f == F["eth_type"]:
                    body += G.nla(TA["value"], r.choice([b"\x08\x00", b"\x86\xdd", b"\x08"]))
                elif f == F["ip_proto"]:
                    body += G.nla(TA["value"], u8(r.choice([1, 6, 17, 58, 132])))
                elif f in (F["ip4_src"], F["ip4_dst"]):
                    body += r.choice([
                        G.nla(TA["value"], ip(r.choice(V4))),
                        G.nla(TA["masked"], ip(r.choice(V4)) + b"\xff\xff\xff\x00"),
                        G.nla(TA["addr_set"], self.name(ASETS))])
                elif f in (F["ip6_src"], F["ip6_dst"]):
                    body += r.choice([G.nla(TA["value"], ip(r.choice(V6))),
                                      G.nla(TA["addr_set"], self.name(ASETS))])
                elif f in (F["l4_src"], F["l4_dst"]):
                    lo = r.randint(0, 65535)
                    body += r.choice([
                        G.nla(TA["value"], struct.pack("!H", lo)),
                        G.nla(TA["range"], struct.pack("!HH", lo, r.randint(0, 65535)))])
                else:
                    body += G.nla(TA["value"], u8(r.randint(0, 255)))
            out += G.nla(MA["test"] | NLA_F_NESTED, body)
        return out

    def port_new(self):
        r = self.r
        N = A
        dp = r.choice(DPS) if r.random() < 0.97 else None
        out = []
        if dp is not None:
            out.append((N["dp_name"], dp.encode() + b"\0"))
        elif r.random() < 0.5:
            out.append((N["dp_name"], self.name(DPS)))
        out += self.pick((N["port_name"], 0.98, lambda: self.name(PORTS)),
                         (N["port_key"], 0.97, self.port_key))
        if dp in ROUTERS and r.random() < 0.9:
            out += self.pick((N["port_type"], 0.2, lambda: u8(5)),
                             (N["port_mac"], 0.95, self.mac),
                             (N["port_addrs"], 0.9, lambda: self.addrs(True)))
            return out
        kind = r.choices(["vif", "router", "localnet", "remote", "child",
                          "virtual", "junk"],
                         [50, 10, 10, 12, 15, 8, 3])[0]
        if kind == "vif":
            out += self.pick((N["port_type"], 0.5, lambda: u8(1)),
                             (N["port_mac"], 0.85, self.mac),
                             (N["port_addrs"], 0.6, lambda: self.addrs(False)),
                             (N["port_unknown"], 0.15, lambda: u8(1)),
                             (N["port_security"], 0.4, lambda: u8(1)),
                             (N["port_ifindex"], 0.5, self.ifindex),
                             (N["port_chassis"], 0.15, lambda: self.name(CHASSIS)))
        elif kind == "router":
            out += self.pick((N["port_type"], 0.97, lambda: u8(2)),
                             (N["port_peer"], 0.95, lambda: self.name(PORTS)))
        elif kind == "localnet":
            out += self.pick((N["port_type"], 0.97, lambda: u8(3)),
                             (N["port_unknown"], 0.5, lambda: u8(1)),
                             (N["port_mac"], 0.1, self.mac),
                             (N["port_ifindex"], 0.7, self.ifindex),
                             (N["port_tag"], 0.4, lambda: u16(r.choice(TAGS + BAD_TAGS[:1]))))
        elif kind == "remote":
            out += self.pick((N["port_type"], 0.97, lambda: u8(4)),
                             (N["port_mac"], 0.9, self.mac),
                             (N["port_addrs"], 0.5, lambda: self.addrs(False)),
                             (N["port_chassis"], 0.9, lambda: self.name(CHASSIS)))
        elif kind == "virtual":
            out += self.pick((N["port_type"], 0.97, lambda: u8(PT["virtual"])),
                             (N["port_mac"], 0.7, self.mac),
                             (N["port_virtual_ip"], 0.95, self.addr),
                             (N["port_virtual_parents"], 0.95, self.vparents),
                             (N["port_ifindex"], 0.03, self.ifindex))
        elif kind == "child":
            out += self.pick((N["port_mac"], 0.9, self.mac),
                             (N["port_addrs"], 0.5, lambda: self.addrs(False)),
                             (N["port_security"], 0.3, lambda: u8(1)),
                             (N["port_parent"], 0.97, lambda: self.name(PORTS)),
                             (N["port_tag"], 0.95,
                              lambda: u16(r.choice(TAGS if r.random() < 0.95 else BAD_TAGS))),
                             (N["port_ifindex"], 0.03, self.ifindex))
        else:
            out += self.pick((N["port_type"], 1, lambda: u8(r.choice([0, 5, 6, 255]))),
                             (N["port_mac"], 0.5, self.mac))
        return out

    # --- mutations ----------------------------------------------------
    def garbage(self, n=None):
        r = self.r
        return r.randbytes(n if n is not None else r.randint(0, 24))

    def nested_garbage(self, depth=0):
        r = self.r
        out = b""
        for _ in range(r.randint(0, 4)):
            t = r.randint(0, 8)
            if depth < 3 and r.random() < 0.3:
                out += G.nla(t | NLA_F_NESTED, self.nested_garbage(depth + 1))
            else:
                out += G.nla(t | (NLA_F_NESTED if r.random() < 0.1 else 0),
                             self.garbage(r.choice([0, 1, 4, 5, 16, 17, 40])))
        return out

    def mutate(self, attrs):
        """Mutate the attribute list in place: 1..3 operations."""
        r = self.r
        for _ in range(r.randint(1, 3)):
            op = r.randrange(9)
            if op == 0 or not attrs:          # a random attribute, any type
                attrs.append((r.randint(0, A_MAX + 3),
                              self.garbage(r.choice([0, 1, 2, 4, 8, 16, 64]))))
            elif op == 1:                      # wrong length for its type
                i = r.randrange(len(attrs))
                t, d = attrs[i]
                attrs[i] = (t, d[:r.randint(0, max(0, len(d) - 1))] if d and
                            r.random() < 0.5 else d + self.garbage(r.randint(1, 9)))
            elif op == 2:                      # huge / extreme values
                i = r.randrange(len(attrs))
                t, d = attrs[i]
                attrs[i] = (t, r.choice([b"\xff" * max(1, len(d)), b"\0" * len(d),
                                         b"\xff" * 8, b"\x7f\xff\xff\xff"]))
            elif op == 3:                      # a real attribute, wrong payload
                t = r.choice(list(A.values()))
                attrs.append((t, r.choice([b"", b"\0", b"x", u32(r.getrandbits(32)),
                                           b"\xff" * 16, b"abc", self.garbage(70)])))
            elif op == 4:                      # garbage inside the address nest
                attrs.append((A["port_addrs"] | (NLA_F_NESTED if r.random() < 0.5 else 0),
                              self.nested_garbage()))
            elif op == 5:                      # flag bits in the type
                i = r.randrange(len(attrs))
                t, d = attrs[i]
                attrs[i] = (t | r.choice([NLA_F_NESTED, NLA_F_NET_BYTEORDER,
                                          NLA_F_NESTED | NLA_F_NET_BYTEORDER]), d)
            elif op == 6:                      # duplicate an attribute
                attrs.append(r.choice(attrs))
            elif op == 7:                      # drop one
                attrs.pop(r.randrange(len(attrs)))
            else:                              # reorder
                r.shuffle(attrs)

    NESTS = {A["port_addrs"], A["as_addrs"], A["as_del_addrs"], A["pg_ports"],
             A["acl_match"], A["port_virtual_parents"]}

    def encode(self, attrs):
        return b"".join(G.nla(t | NLA_F_NESTED if t in self.NESTS else t, d)
                        for t, d in attrs)

    WEIGHTS = [("dp_new", 6), ("dp_del", 1), ("dp_get", 2), ("port_new", 16),
               ("port_set", 14), ("port_del", 5), ("port_get", 2),
               ("chassis_new", 3), ("chassis_del", 1), ("chassis_get", 1),
               ("encap_set", 2), ("encap_get", 1), ("route_new", 5),
               ("route_del", 2), ("neigh_new", 5), ("neigh_del", 2),
               ("neigh_flush", 1), ("hold_set", 2), ("hold_get", 1),
               ("port_announce", 2), ("as_new", 2), ("as_set", 2),
               ("as_del", 1), ("as_get", 1), ("pg_new", 2), ("pg_set", 2),
               ("pg_del", 1), ("pg_get", 1), ("acl_new", 6), ("acl_del", 2),
               ("nat_new", 4), ("nat_del", 2)]
    DUMPS = ["dp_get", "port_get", "chassis_get", "route_get", "neigh_get",
             "hold_get", "as_get", "pg_get", "acl_get", "nat_get"]

    def input(self, i):
        """Request i: dict(kind=req|dump|abandon, cmd, flags, ver, rsv,
        body (attributes, possibly with a byte-level mutation), mutated,
        hdrlen (genl header bytes sent, 4 unless truncated))."""
        self.r = r = random.Random("%d:%d" % (self.seed, i))
        self.port = None
        x = r.random()
        m = {"kind": "req", "flags": NLM_F_REQUEST | NLM_F_ACK, "ver": 1,
             "rsv": 0, "mutated": False, "hdrlen": 4}
        if x < 0.01:
            m["kind"] = "abandon"
            m["cmd"] = r.choice(["port_get", "dp_get", "neigh_get", "route_get"])
            m["flags"] |= NLM_F_DUMP
            attrs = []
        elif x < 0.13:
            m["kind"] = "dump"
            m["cmd"] = r.choice(self.DUMPS)
            m["flags"] |= NLM_F_DUMP
            attrs = []
            if m["cmd"] == "port_get" and r.random() < 0.3:
                attrs = [(A["dp_name"], self.name(DPS))]
            elif m["cmd"] in ("route_get", "neigh_get", "nat_get"):
                attrs = self.req(m["cmd"])
            elif m["cmd"] == "acl_get" and r.random() < 0.3:
                attrs = [(A["dp_name"], self.name(SWITCHES))]
        else:
            names, weights = zip(*self.WEIGHTS)
            m["cmd"] = r.choices(names, weights)[0]
            attrs = self.req(m["cmd"])
        m["cmdno"] = CMD[m["cmd"]]
        if m["kind"] != "abandon" and r.random() < 0.16:
            m["mutated"] = True
            self.mutate(attrs)
            y = r.random()
            if y < 0.06:                       # unknown or event-only command
                m["cmdno"] = r.choice([0, CMD["hold_event"], max(CMD.values()) + 1,
                                       r.randint(max(CMD.values()) + 1, 255)])
            elif y < 0.10:                     # stray netlink flags
                m["flags"] |= r.choice([NLM_F_DUMP, NLM_F_ECHO, 0x400, 0x800,
                                        0x1000, 0x10])
            elif y < 0.13:                     # genl header: version, reserved
                m["ver"] = r.choice([0, 2, 255])
                if r.random() < 0.5:
                    m["rsv"] = r.randint(1, 0xFFFF)
            elif y < 0.15:                     # genl header cut short
                m["hdrlen"] = r.randint(0, 3)
                attrs = []
        body = self.encode(attrs)
        if m["mutated"] and r.random() < 0.12 and body:
            # Byte level: a bad nla_len, or trailing bytes.
            b = bytearray(body)
            if r.random() < 0.6:
                off = 0
                starts = []
                while off + 4 <= len(b):
                    starts.append(off)
                    ln = struct.unpack_from("=H", b, off)[0]
                    off += max(4, (ln + 3) & ~3)
                o = r.choice(starts)
                struct.pack_into("=H", b, o, r.choice([0, 1, 3, 5, len(b) + 4, 0xFFFF]))
            else:
                b += self.garbage(r.randint(1, 7))
            body = bytes(b)
        m["body"] = body
        return m


def msg_bytes(fid, m, seq):
    genl = struct.pack("=BBH", m["cmdno"], m["ver"], m["rsv"])[:m["hdrlen"]]
    payload = genl + m["body"]
    return struct.pack("=IHHII", 16 + len(payload), fid, m["flags"], seq, 0) + payload


def walk_attrs(buf):
    """True when buf is a well-formed attribute stream."""
    off = 0
    while off < len(buf):
        if off + 4 > len(buf):
            return False
        ln, _ = struct.unpack_from("=HH", buf, off)
        if ln < 4 or off + ln > len(buf):
            return False
        off += (ln + 3) & ~3
    return True


class Fuzz:
    def __init__(self, a):
        self.a = a
        g = G.Genl()
        self.fid, groups = g.family_info("lsdp")
        g.sk.close()
        if self.fid is None:
            raise SystemExit("fuzz_genl: no lsdp family (is the module loaded?)")
        self.sk = self.sock()
        self.ev = self.sock()
        self.ev.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)
        self.ev.setsockopt(G.SOL_NETLINK, G.NETLINK_ADD_MEMBERSHIP, groups["events"])
        self.ev.setblocking(False)
        self.seq = 1000
        self.count = collections.Counter()
        self.errnos = collections.Counter()
        self.by_cmd = collections.Counter()
        self.silent = collections.Counter()
        self.msgs = collections.Counter()
        self.max_rx = 0
        self.failures = []
        self.recent = collections.deque(maxlen=8)

    def sock(self):
        sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, G.NETLINK_GENERIC)
        sk.setsockopt(G.SOL_NETLINK, G.NETLINK_EXT_ACK, 1)
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sk.bind((0, 0))
        return sk

    def fail(self, i, m, why):
        self.failures.append((i, m, why))

    def recv_until(self, sk, seq, deadline):
        """Messages for seq until ERROR or DONE: (error, ext attrs, replies),
        or None on timeout."""
        replies = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if not select.select([sk], [], [], left)[0]:
                return None
            data = sk.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, s, _ = struct.unpack_from("=IHHII", data, off)
                if ln < 16:
                    return ("badlen", {}, replies)
                msg = data[off:off + ln]
                off += (ln + 3) & ~3
                if s != seq:
                    continue
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg, 16)[0]
                    ext = {}
                    if fl & NLM_F_ACK_TLVS:
                        olen = 16 if fl & NLM_F_CAPPED else struct.unpack_from("=I", msg, 20)[0]
                        tl = msg[20 + ((olen + 3) & ~3):]
                        if not walk_attrs(tl):
                            return ("badext", {}, replies)
                        ext = G.attrs_of(tl)
                    return (err, ext, replies)
                if typ == NLMSG_DONE:
                    err = struct.unpack_from("=i", msg, 16)[0] if ln >= 20 else 0
                    ext = G.attrs_of(msg[20:]) if fl & NLM_F_ACK_TLVS else {}
                    return (err, ext, replies)
                replies.append(msg)

    def drain_events(self):
        while True:
            try:
                data = self.ev.recv(1 << 20)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    self.count["event_overruns"] += 1
                    continue
                raise
            off = 0
            while off + 16 <= len(data):
                ln, typ, _, _, _ = struct.unpack_from("=IHHII", data, off)
                if ln < 20 or off + ln > len(data):
                    self.count["bad_events"] += 1
                    break
                if typ == self.fid:
                    self.count["events"] += 1
                    if not walk_attrs(data[off + 20:off + ln]):
                        self.count["bad_events"] += 1
                off += (ln + 3) & ~3

    def one(self, i, m):
        self.seq += 1
        seq = self.seq
        wire = msg_bytes(self.fid, m, seq)
        self.recent.append((i, m, wire))
        if m["kind"] == "abandon":
            sk = self.sock()
            sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sk.send(wire)
            if select.select([sk], [], [], self.a.timeout)[0]:
                sk.recv(512)
            sk.close()
            self.count["abandoned"] += 1
            return
        self.sk.send(wire)
        res = self.recv_until(self.sk, seq, time.monotonic() + self.a.timeout)
        if res is None:
            self.fail(i, m, "no answer within %gs (hang?)" % self.a.timeout)
            return "hang"
        err, ext, replies = res
        if err in ("badlen", "badext"):
            self.fail(i, m, "malformed reply (%s)" % err)
            return
        for rep in replies:
            if len(rep) < 20 or not walk_attrs(rep[20:]):
                self.fail(i, m, "malformed reply message")
                return
        self.count["replies"] += len(replies)
        if m["kind"] == "dump" and m["cmd"] == "port_get" and err == 0:
            rx = 0
            for rep in replies:
                st = G.attrs_of(rep[20:]).get(A["port_stats"])
                if st:
                    v = G.attrs_of(st).get(STATS_RX_PACKETS)
                    if v and len(v) == 8:
                        rx += struct.unpack("=Q", v)[0]
            self.max_rx = max(self.max_rx, rx)
        key = m["cmd"] if m["cmdno"] == CMD[m["cmd"]] else "cmd%d" % m["cmdno"]
        if err == 0:
            self.count["ok"] += 1
            self.by_cmd[key + ":ok"] += 1
            return
        if err > 0:
            self.fail(i, m, "positive error %d" % err)
            return
        self.count["err"] += 1
        name = errno.errorcode.get(-err, str(-err))
        self.errnos[name] += 1
        self.by_cmd[key + ":" + name] += 1
        has_ext = EXT_MSG in ext or EXT_MISS_TYPE in ext or EXT_MISS_NEST in ext
        if not m["mutated"]:
            self.msgs["%s: %s" % (key, ext.get(EXT_MSG, b"(missing attribute)").rstrip(
                b"\0").decode(errors="replace"))] += 1
        if has_ext:
            return
        # Errors the generic netlink core returns before any lsdp code
        # runs carry no extack: an unknown command, the wrong op kind, a
        # short genl header.  Every other error must say why.
        dump = (m["flags"] & NLM_F_DUMP) == NLM_F_DUMP
        core = (m["cmdno"] not in CMD_NAME or m["hdrlen"] < 4 or
                (dump and CMD_NAME[m["cmdno"]] not in DUMPIT) or
                (not dump and CMD_NAME[m["cmdno"]] not in DOIT))
        if core:
            self.count["core_errors"] += 1
            return
        self.silent["%s %s%s" % (key, name, " (mutated)" if m["mutated"] else "")] += 1
        if len([f for f in self.failures if "no extack" in f[2]]) < 5:
            self.fail(i, m, "error %s without an extack message" % name)

    def run(self):
        a = self.a
        gen = Gen(a.seed, a.ifindexes, a.mac, a.homes)
        t0 = time.monotonic()
        n = 0
        hang = False
        for i in range(a.n):
            m = gen.input(i)
            self.count["inputs"] += 1
            self.count[m["kind"]] += 1
            if m["mutated"]:
                self.count["mutated"] += 1
            if self.one(i, m) == "hang":
                hang = True
                n = i + 1
                break
            self.drain_events()
            n = i + 1
            if a.progress and n % a.progress == 0:
                dt = time.monotonic() - t0
                print("fuzz_genl: %d inputs, %.1f s, %.0f/s, %d ok, %d errors"
                      % (n, dt, n / dt, self.count["ok"], self.count["err"]), flush=True)
        dt = time.monotonic() - t0
        time.sleep(0.2)
        self.drain_events()
        c = self.count
        print("fuzz_genl: seed %d: %d inputs in %.1f s (%.0f inputs/s): %d requests "
              "(%d mutated), %d dumps, %d dumps abandoned"
              % (a.seed, n, dt, n / dt if dt else 0, c["req"], c["mutated"],
                 c["dump"], c["abandoned"]))
        print("fuzz_genl: %d acknowledged, %d errors, %d of them from the genl core "
              "(no extack expected); %d reply messages; %d events, %d event overruns"
              % (c["ok"], c["err"], c["core_errors"], c["replies"], c["events"],
                 c["event_overruns"]))
        print("fuzz_genl: traffic: up to %d packets received by the ports of one port dump"
              % self.max_rx)
        print("fuzz_genl: errors by errno: " +
              " ".join("%s:%d" % kv for kv in self.errnos.most_common()))
        oks = sorted((k[:-3], v) for k, v in self.by_cmd.items() if k.endswith(":ok"))
        print("fuzz_genl: successes by command: " + " ".join("%s:%d" % kv for kv in oks))
        print("fuzz_genl: most frequent refusals of well-formed requests: " +
              "; ".join("%s x%d" % kv for kv in self.msgs.most_common(a.top)))
        if self.silent:
            print("fuzz_genl: errors without extack: " +
                  ", ".join("%s x%d" % kv for kv in self.silent.most_common()))
        if c["bad_events"]:
            self.failures.append((n, None, "%d malformed event messages" % c["bad_events"]))
        for i, m, why in self.failures[:10]:
            if m is None:
                print("fuzz_genl: FAIL: %s" % why)
                continue
            print("fuzz_genl: FAIL: input %d (seed %d): %s: %s cmd %d%s flags 0x%x: %s"
                  % (i, a.seed, why, m["kind"], m["cmdno"],
                     " (mutated)" if m["mutated"] else "", m["flags"],
                     msg_bytes(self.fid, m, 0).hex()))
        if hang:
            print("fuzz_genl: the last inputs before the hang:")
            for i, m, wire in self.recent:
                print("fuzz_genl:   input %d: %s" % (i, wire.hex()))
        return 1 if self.failures else 0


def cleanup():
    """--cleanup: every dump must answer; delete every datapath and chassis
    and flush the neighbours; then the dumps must be empty."""
    g = G.Genl()
    fid = g.family("lsdp")
    if fid is None:
        print("fuzz_genl: no lsdp family")
        return 1
    bad = []

    def dump(cmd, what):
        err, ext, rep = g.request(fid, CMD[cmd], 1, b"", dump=True)
        if err:
            bad.append("%s dump failed: %d" % (cmd, err))
            return []
        names = []
        for m in rep:
            at = G.attrs_of(m)
            if what in at:
                names.append(at[what])
        return rep if what is None else names

    counts = {}
    for cmd in ("dp_get", "port_get", "chassis_get", "route_get", "neigh_get", "hold_get"):
        counts[cmd] = len(dump(cmd, None))
    print("fuzz_genl: left: %d datapaths, %d ports, %d chassis, %d routes, "
          "%d neighbours, %d held destinations" % tuple(counts[c] for c in (
              "dp_get", "port_get", "chassis_get", "route_get", "neigh_get", "hold_get")))
    # Each object dumped, then deleted by name, in this order: ACLs of
    # switches went with them; port groups may name each other.
    for get, attr, cmd, what in (("dp_get", "dp_name", "dp_del", "dp_del %r"),
                                 ("chassis_get", "chassis_name", "chassis_del", "chassis_del %r"),
                                 ("pg_get", "pg_name", "acl_del", "acl_del @%r"),
                                 ("pg_get", "pg_name", "pg_del", "pg_del %r"),
                                 ("as_get", "as_name", "as_del", "as_del %r")):
        for name in dump(get, A[attr]):
            err, ext, _ = g.request(fid, CMD[cmd], 1, G.nla(A[attr], name))
            if err:
                bad.append((what + ": %d %s") % (name, err, ext.get(EXT_MSG, b"")))
    err, ext, _ = g.request(fid, CMD["neigh_flush"], 1, b"")
    if err:
        bad.append("neigh_flush: %d" % err)
    for cmd in ("dp_get", "port_get", "chassis_get", "route_get", "neigh_get",
                "as_get", "pg_get", "acl_get"):
        n = len(dump(cmd, None))
        if n:
            bad.append("%s: %d left after deleting everything" % (cmd, n))
    for b in bad:
        print("fuzz_genl: FAIL: " + b)
    if not bad:
        print("fuzz_genl: every dump answered; everything deleted; dumps empty")
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--dev", action="append", default=[],
                   help="a netdev of this netns the ports may bind to")
    p.add_argument("--mac", action="append", default=[],
                   help="a MAC for the pool (hosts sending traffic)")
    p.add_argument("--home", action="append", default=[], metavar="IFNAME,MAC,IPV4",
                   help="a host's netdev, MAC and address: ports p0-p1 get the "
                   "first one's half the time, p2-p3 the second's, ...")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds a request may take before the run fails")
    p.add_argument("--progress", type=int, default=0,
                   help="print a progress line every N inputs")
    p.add_argument("--top", type=int, default=12,
                   help="how many of the most frequent refusals to print")
    p.add_argument("--show", type=int, default=None, metavar="I",
                   help="print request I of the seed's sequence and exit")
    p.add_argument("--cleanup", action="store_true",
                   help="dump everything, delete every datapath and chassis, "
                   "check that the dumps are then empty, and exit")
    a = p.parse_args()
    if a.cleanup:
        return cleanup()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 31)
    a.ifindexes = [socket.if_nametoindex(d) for d in a.dev]
    a.homes = []
    for h in a.home:
        dev, hmac, hip = h.split(",")
        a.homes.append((socket.if_nametoindex(dev), hmac, hip))
    if a.show is not None:
        m = Gen(a.seed, a.ifindexes, a.mac, a.homes).input(a.show)
        print("input %d: %s cmd %d (%s)%s flags 0x%x: %s" % (
            a.show, m["kind"], m["cmdno"], m["cmd"],
            " mutated" if m["mutated"] else "", m["flags"], msg_bytes(0, m, 0).hex()))
        return 0
    print("fuzz_genl: seed %d, %d inputs" % (a.seed, a.n), flush=True)
    return Fuzz(a).run()


if __name__ == "__main__":
    sys.exit(main())
