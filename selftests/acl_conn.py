#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP/UDP connections for the ACL selftests (lsdp_acl.sh).

  acl_conn.py serve PROTO:PORT...     echo servers (until killed)
  acl_conn.py connect tcp|udp IP PORT [--timeout S]
  acl_conn.py agent [PROTO:PORT...]   servers, and connects as stdin says
  acl_conn.py burst udp IP PORT N     N datagrams as fast as possible;
                                      prints the seconds it took

connect sends a line and waits for its echo.  Exit status: 0 the echo came
back, 1 timeout (dropped), 2 refused (TCP RST, or ICMP unreachable for
UDP), 3 another error.  The agent reads "PROTO IP PORT TIMEOUT" lines and
answers each with that status on a line of its own: one Python per host
instead of one per connection (the VMs run TCG, where starting Python
costs seconds).  It also keeps connections open across lines:
"open NAME PROTO IP PORT TIMEOUT" connects and exchanges a line,
"send NAME TIMEOUT" exchanges one more on that connection, "close NAME"
closes it; each answers with a status as above.  The servers echo every
line of a TCP connection until the client closes it.
"""
import socket
import sys
import threading
import time


def serve(proto, port):
    fam = socket.AF_INET6
    if proto == "tcp":
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::", port))
        s.listen(16)
        print("listening %s:%d" % (proto, port), file=sys.stderr, flush=True)
        while True:
            c, _ = s.accept()
            threading.Thread(target=echo, args=(c,), daemon=True).start()
    else:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::", port))
        print("listening %s:%d" % (proto, port), file=sys.stderr, flush=True)
        while True:
            data, peer = s.recvfrom(100)
            s.sendto(data, peer)


def echo(c):
    # A connection kept open by the agent may stay idle while the test
    # changes ACLs (seconds under TCG), or be blocked for a while.
    c.settimeout(300)
    try:
        while True:
            data = c.recv(100)
            if not data:
                break
            c.sendall(data)
    except OSError:
        pass
    c.close()


def exchange(s, token, timeout):
    """Sends TOKEN on connected socket S and waits for its echo (earlier
    echoes that arrive late, e.g. a TCP retransmission's, are skipped)."""
    s.settimeout(timeout)
    end = time.monotonic() + timeout
    try:
        s.send(token)
        got = b""
        while token not in got:
            left = end - time.monotonic()
            if left <= 0:
                return 1
            s.settimeout(left)
            data = s.recv(100)
            if not data:
                return 3
            got = (got + data)[-200:] if s.type == socket.SOCK_STREAM else data
        return 0
    except socket.timeout:
        return 1
    except ConnectionRefusedError:
        return 2
    except OSError as e:
        print(e, file=sys.stderr)
        return 3


def open_conn(proto, ip, port, timeout):
    fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
    typ = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(fam, typ)
    s.settimeout(timeout)
    try:
        s.connect((ip, port))
    except socket.timeout:
        return s, 1
    except ConnectionRefusedError:
        return s, 2
    except OSError as e:
        print(e, file=sys.stderr)
        return s, 3
    return s, exchange(s, b"hello\n", timeout)


def connect(proto, ip, port, timeout):
    s, r = open_conn(proto, ip, port, timeout)
    s.close()
    return r


def agent():
    conns = {}
    seq = 0
    for line in sys.stdin:
        w = line.split()
        r = 3
        if len(w) == 4:
            r = connect(w[0], w[1], int(w[2]), float(w[3]))
        elif len(w) == 6 and w[0] == "open":
            conns[w[1]], r = open_conn(w[2], w[3], int(w[4]), float(w[5]))
        elif len(w) == 3 and w[0] == "send" and w[1] in conns:
            seq += 1
            r = exchange(conns[w[1]], b"line %d\n" % seq, float(w[2]))
        elif len(w) == 2 and w[0] == "close" and w[1] in conns:
            conns.pop(w[1]).close()
            r = 0
        print(r, flush=True)


def burst(ip, port, n):
    fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    t0 = time.monotonic()
    for _ in range(n):
        # Not connected: an ICMP error would otherwise fail a later send.
        s.sendto(b"x", (ip, port))
    print("%.3f" % (time.monotonic() - t0))


def servers(specs):
    threads = []
    for spec in specs:
        proto, port = spec.split(":")
        t = threading.Thread(target=serve, args=(proto, int(port)),
                             daemon=True)
        t.start()
        threads.append(t)
    return threads


def main():
    a = sys.argv[1:]
    if len(a) >= 2 and a[0] == "serve":
        for t in servers(a[1:]):
            t.join()
    elif a and a[0] == "agent":
        servers(a[1:])
        agent()
    elif len(a) == 5 and a[0] == "burst" and a[1] == "udp":
        burst(a[2], int(a[3]), int(a[4]))
    elif len(a) >= 4 and a[0] == "connect":
        t = float(a[5]) if len(a) == 6 and a[4] == "--timeout" else 2.0
        sys.exit(connect(a[1], a[2], int(a[3]), t))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(3)


main()
