#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw generic netlink request and report the kernel's answer the
way the lsdp CLI does: exit 0 on success, else "Error: <extack message>" (or
the errno text) on stderr and exit 1.

The selftests use it for requests the CLI would never build (missing or
stray attributes), and to create Open vSwitch ports without ovs-vswitchd.

  genl.py [--family lsdp] [--version N] [--hdr-u32 N] [--dump]
          [--stats NAME] [--dump-intr] [--mid-dump SHELL-CMD] CMD [ATTR...]
  genl.py [--family lsdp] [--group events] --listen SECONDS

CMD is a name from enum lsdp_cmd without the prefix (dp_new, port_set, ...)
or a number.  ATTR is NAME=VALUE for an lsdp attribute (dp_name=sw1,
dp_key=1, port_mac=02:00:00:00:00:01, port_security=1, ...; types follow
include/uapi/linux/lsdp.h), or TYPE:KIND=VALUE for any attribute number with
KIND one of str, u8, u16, u32, u64, flag, hex, mac.
Numbers are read from include/uapi/linux/lsdp.h, so they follow it.

--stats NAME prints, for each message of the answer, the counters of its
nest attribute NAME (an lsdp attribute such as hold_stats or port_stats):

  rx_packets=3 rx_bytes=294 tx_packets=3 tx_bytes=294

--dump-intr prints "dump-intr" if any message of a dump carried
NLM_F_DUMP_INTR (the dump was not consistent), else "dump-consistent".

--mid-dump SHELL-CMD runs SHELL-CMD once the first part of a dump has
been read, before asking for the rest: a change made then is one the
dump must survive (and flag).

--listen SECONDS joins the family's multicast group (default "events") in
the current netns, prints "listening" on stderr once it has joined, then one
line per message received until SECONDS have passed:

  hold_event hold_event=1 port_name=lr0-ext hold_packets=1 neigh_addr=1.2.3.4

the command (enum lsdp_cmd, lower case, no prefix), then NAME=VALUE for each
top-level attribute: strings, u8/u16/u32/u64 as numbers, addresses as text,
MACs as xx:xx:xx:xx:xx:xx, nests as NAME=<nest>, anything else in hex.
Every line is flushed as it is printed.
"""
import argparse
import errno
import ipaddress
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
NLA_F_NESTED = 0x8000
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_MCAST_GROUPS = 1, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLM_F_DUMP_INTR = 0x10
STATS_NAMES = {2: "rx_packets", 3: "rx_bytes", 4: "tx_packets", 5: "tx_bytes"}
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
NLMSGERR_ATTR_POLICY = 4
# enum netlink_policy_type_attr: what a policy allows
NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_MAX_VALUE_U = 4, 5
NL_POLICY_TYPE_ATTR_MIN_LENGTH, NL_POLICY_TYPE_ATTR_MAX_LENGTH = 6, 7

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.path.join(HERE, "..", "include", "uapi", "linux", "lsdp.h")

# Value kinds of the lsdp attributes (from the comments in the header).
KINDS = {
    "dp_name": "str", "dp_key": "u32", "dp_kind": "u8", "dp_nports": "u32",
    "port_name": "str", "port_key": "u32", "port_type": "u8",
    "port_mac": "mac", "port_unknown": "u8", "port_security": "u8",
    "port_ifindex": "u32", "port_ifname": "str",
}


def enum_values(text, name, prefix):
    m = re.search(r"enum\s+%s\s*\{(.*?)\};" % name, text, re.S)
    vals, n = {}, 0
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    for item in body.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            k, v = (x.strip() for x in item.split("=", 1))
            if v in vals.values() or not re.match(r"^-?\d+$|^0x", v):
                continue  # FOO_MAX = __FOO_MAX - 1
            n = int(v, 0)
        else:
            k = item
        if k.startswith(prefix):
            vals[k[len(prefix):].lower()] = n
        n += 1
    return vals


def attr_kinds(text):
    """Value kind of each lsdp attribute from its comment in the header:
    str, u8, u16, u32, u64, mac, addr, nest (None when not said)."""
    m = re.search(r"enum\s+lsdp_attr\s*\{(.*?)\};", text, re.S)
    kinds, pending, last = {}, "", None
    # Each enumerator with its trailing comment, or the comment block
    # just before it.
    for tok in re.finditer(r"/\*(.*?)\*/|(\bLSDP_A_\w+)", m.group(1), re.S):
        if tok.group(1) is not None:
            comment = tok.group(1)
            line_start = m.group(1).rfind("\n", 0, tok.start()) + 1
            before = m.group(1)[line_start:tok.start()]
            if "LSDP_A_" in before and last:
                kinds[last] = kind_of(comment, last)
                pending = ""
            else:
                pending = comment
            continue
        last = tok.group(2)[len("LSDP_A_"):].lower()
        kinds[last] = kind_of(pending, last) if pending else None
        pending = ""
    return kinds


def kind_of(comment, name):
    c = " ".join(comment.replace("*", " ").split()).lower()
    if c.startswith("string"):
        return "str"
    for k in ("u8", "u16", "u32", "u64"):
        if c.startswith(k):
            return k
    if c.startswith("nest"):
        return "nest"
    if c.startswith("binary, 6 bytes"):
        return "mac"
    if c.startswith("binary, 4"):
        return "addr"
    if name.endswith(("_addr", "_ip")) or name in ("route_prefix", "route_via"):
        return "addr"
    return None


def decode(kind, data):
    """NAME=VALUE text of one attribute's payload, None when it does not fit
    its kind (then shown in hex)."""
    sizes = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
    if kind in sizes:
        if len(data) != struct.calcsize(sizes[kind]):
            return None
        return str(struct.unpack(sizes[kind], data)[0])
    if kind == "str":
        if not data.endswith(b"\0"):
            return None
        return data[:-1].decode(errors="backslashreplace")
    if kind == "addr":
        if len(data) == 4:
            return str(ipaddress.IPv4Address(data))
        if len(data) == 16:
            return str(ipaddress.IPv6Address(data))
        return None
    if kind == "mac":
        if len(data) != 6:
            return None
        return ":".join("%02x" % b for b in data)
    if kind == "nest":
        return "<nest>"
    return None


def nla(typ, data):
    hdr = struct.pack("=HH", 4 + len(data), typ)
    return hdr + data + b"\0" * (-len(data) % 4)


def encode(kind, val):
    if kind == "str":
        return val.encode() + b"\0"
    if kind == "u8":
        return struct.pack("=B", int(val, 0))
    if kind == "u16":
        return struct.pack("=H", int(val, 0))
    if kind == "u32":
        return struct.pack("=I", int(val, 0))
    if kind == "u64":
        return struct.pack("=Q", int(val, 0))
    if kind == "flag":
        return b""
    if kind == "hex":
        return bytes.fromhex(val)
    if kind == "mac":
        return bytes(int(x, 16) for x in val.split(":"))
    raise SystemExit("genl.py: unknown kind " + kind)


def policy_explain(ext, payload, off0, anames):
    """The limits of the policy that rejected the attribute at the error's
    offset, the way liblsdp adds them: ": dp-key must be 1..16777215"."""
    if NLMSGERR_ATTR_POLICY not in ext or NLMSGERR_ATTR_OFFS not in ext:
        return ""
    off = struct.unpack("=I", ext[NLMSGERR_ATTR_OFFS][:4])[0] - off0
    pol = attrs_of(ext[NLMSGERR_ATTR_POLICY])
    pos, name = 0, None
    while pos + 4 <= len(payload) and pos <= off:
        ln, typ = struct.unpack_from("=HH", payload, pos)
        if ln < 4:
            break
        if off < pos + ln:
            c = {v: k for k, v in anames.items()}.get(typ & 0x3FFF, str(typ & 0x3FFF))
            name = c.replace("_", "-") + ("" if off == pos else " entry")
            break
        pos += (ln + 3) & ~3
    if name is None:
        return ""

    def u(t, fmt):
        return struct.unpack(fmt, pol[t][:struct.calcsize(fmt)])[0]
    if NL_POLICY_TYPE_ATTR_MIN_VALUE_U in pol and NL_POLICY_TYPE_ATTR_MAX_VALUE_U in pol:
        return ": %s must be %d..%d" % (name, u(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, "=Q"),
                                         u(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, "=Q"))
    if NL_POLICY_TYPE_ATTR_MIN_LENGTH in pol and NL_POLICY_TYPE_ATTR_MAX_LENGTH in pol:
        lo = u(NL_POLICY_TYPE_ATTR_MIN_LENGTH, "=I")
        hi = u(NL_POLICY_TYPE_ATTR_MAX_LENGTH, "=I")
        if lo == hi:
            return ": %s must be %d bytes" % (name, lo)
        return ": %s must be %d..%d bytes" % (name, lo, hi)
    return ""


def attrs_of(buf):
    out = {}
    while len(buf) >= 4:
        ln, typ = struct.unpack_from("=HH", buf)
        if ln < 4:
            break
        out[typ & 0x3FFF] = buf[4:ln]
        buf = buf[(ln + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 1
        self.intr = False

    def request(self, ftype, cmd, version, payload, dump=False, mid=None):
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), ftype, flags, self.seq, 0) + body
        self.sk.send(msg)
        replies = []
        while True:
            data = self.sk.recv(1 << 20)
            if mid:
                subprocess.run(mid, shell=True, check=False)
                mid = None
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, seq, _ = struct.unpack_from("=IHHII", data, off)
                m = data[off:off + ln]
                off += (ln + 3) & ~3
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", m, 16)[0]
                    ext = {}
                    if fl & NLM_F_ACK_TLVS:
                        olen = 16 if fl & NLM_F_CAPPED else struct.unpack_from("=I", m, 20)[0]
                        ext = attrs_of(m[20 + ((olen + 3) & ~3):])
                    return err, ext, replies
                if fl & NLM_F_DUMP_INTR:
                    self.intr = True
                if typ == NLMSG_DONE:
                    if not dump:
                        continue
                    return 0, {}, replies
                replies.append(m[20:])

    def family_info(self, name):
        """(family id, {multicast group name: id}), or (None, {})."""
        err, ext, rep = self.request(0x10, 3, 1, nla(2, name.encode() + b"\0"))
        if err or not rep:
            return None, {}
        at = attrs_of(rep[0])
        groups = {}
        for grp in attrs_of(at.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            g = attrs_of(grp)
            if CTRL_ATTR_MCAST_GRP_NAME in g and CTRL_ATTR_MCAST_GRP_ID in g:
                gname = g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                groups[gname] = struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
        return struct.unpack("=H", at[CTRL_ATTR_FAMILY_ID][:2])[0], groups

    def family(self, name):
        return self.family_info(name)[0]


def listen(a, text):
    """--listen: print the family's multicast messages for a.listen seconds."""
    cmds = {v: k for k, v in enum_values(text, "lsdp_cmd", "LSDP_CMD_").items()}
    anames = {v: k for k, v in enum_values(text, "lsdp_attr", "LSDP_A_").items()}
    kinds = attr_kinds(text)
    g = Genl()
    fid, groups = g.family_info(a.family)
    if fid is None:
        print("Error: generic netlink family %s not found" % a.family, file=sys.stderr)
        return 1
    if a.group not in groups:
        print("Error: family %s has no multicast group %s (has: %s)" %
              (a.family, a.group, " ".join(sorted(groups)) or "none"), file=sys.stderr)
        return 1
    sk = g.sk
    try:
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    except OSError:
        pass
    sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups[a.group])
    print("listening", file=sys.stderr, flush=True)
    deadline = time.monotonic() + a.listen
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if not select.select([sk], [], [], left)[0]:
            continue
        try:
            data = sk.recv(1 << 20)
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                print("Error: events lost (ENOBUFS)", file=sys.stderr, flush=True)
                continue
            raise
        off = 0
        while off + 16 <= len(data):
            ln, typ, _, _, _ = struct.unpack_from("=IHHII", data, off)
            if ln < 16:
                break
            m = data[off:off + ln]
            off += (ln + 3) & ~3
            if typ != fid or len(m) < 20:
                continue
            cmd = m[16]
            words = [cmds.get(cmd, "cmd_%d" % cmd)]
            body = m[20:]
            while len(body) >= 4:
                alen, atyp = struct.unpack_from("=HH", body)
                if alen < 4:
                    break
                t = atyp & 0x3FFF
                payload = body[4:alen]
                body = body[(alen + 3) & ~3:]
                name = anames.get(t, "attr_%d" % t)
                kind = "nest" if atyp & NLA_F_NESTED else kinds.get(name)
                val = decode(kind, payload)
                if val is None:
                    val = "0x" + payload.hex() if payload else ""
                words.append("%s=%s" % (name, val))
            print(" ".join(words), flush=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", default="lsdp")
    p.add_argument("--version", type=int, default=1)
    p.add_argument("--hdr-u32", type=lambda s: int(s, 0),
                   help="a 4-byte user header after the genl header (ovs_header)")
    p.add_argument("--dump", action="store_true")
    p.add_argument("--stats", metavar="NAME",
                   help="print the counters of nest NAME of each answer")
    p.add_argument("--mid-dump", metavar="SHELL-CMD",
                   help="run SHELL-CMD after the first part of the dump")
    p.add_argument("--dump-intr", action="store_true",
                   help="say whether the dump was flagged NLM_F_DUMP_INTR")
    p.add_argument("--listen", type=float, metavar="SECONDS",
                   help="print the multicast group's messages for SECONDS")
    p.add_argument("--group", default="events",
                   help="the multicast group --listen joins")
    p.add_argument("cmd", nargs="?")
    p.add_argument("attrs", nargs="*")
    a = p.parse_args()

    text = open(UAPI).read()
    if a.listen is not None:
        if a.cmd is not None:
            p.error("--listen takes no CMD")
        return listen(a, text)
    if a.cmd is None:
        p.error("the following arguments are required: cmd")
    cmds = enum_values(text, "lsdp_cmd", "LSDP_CMD_")
    anames = enum_values(text, "lsdp_attr", "LSDP_A_")

    cmd = int(a.cmd, 0) if re.match(r"^\d", a.cmd) else cmds[a.cmd.lower()]
    payload = b""
    if a.hdr_u32 is not None:
        payload += struct.pack("=i", a.hdr_u32)
    for at in a.attrs:
        k, _, v = at.partition("=")
        if ":" in k:
            t, kind = k.split(":", 1)
            payload += nla(int(t, 0), encode(kind, v))
        else:
            payload += nla(anames[k.lower()], encode(KINDS[k.lower()], v))

    g = Genl()
    fid = g.family(a.family)
    if fid is None:
        print("Error: generic netlink family %s not found" % a.family, file=sys.stderr)
        return 1
    err, ext, rep = g.request(fid, cmd, a.version, payload, dump=a.dump,
                              mid=a.mid_dump)
    if err:
        msg = ext.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode(errors="replace")
        if not msg:
            msg = os.strerror(-err)
        # nlmsghdr, genlmsghdr, then the optional header u32
        extra = policy_explain(ext, payload[4:] if a.hdr_u32 is not None else payload,
                               16 + 4 + (4 if a.hdr_u32 is not None else 0), anames)
        if NLMSGERR_ATTR_MISS_TYPE in ext:
            extra += " (missing attribute %d)" % struct.unpack("=I", ext[NLMSGERR_ATTR_MISS_TYPE][:4])[0]
        if NLMSGERR_ATTR_OFFS in ext:
            extra += " (at offset %d)" % struct.unpack("=I", ext[NLMSGERR_ATTR_OFFS][:4])[0]
        print("Error: %s%s" % (msg, extra), file=sys.stderr)
        print("errno: %d %s" % (-err, errno.errorcode.get(-err, "?")), file=sys.stderr)
        return 1
    if a.stats:
        for body in rep:
            nest = attrs_of(body).get(anames[a.stats.lower()])
            if nest is None:
                continue
            st = attrs_of(nest)
            print(" ".join("%s=%d" % (n, struct.unpack("=Q", st[t][:8])[0])
                           for t, n in sorted(STATS_NAMES.items()) if t in st))
    elif a.dump or rep:
        print("%d message(s)" % len(rep))
    if a.dump_intr:
        print("dump-intr" if g.intr else "dump-consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
