#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP/UDP connections for the ACL selftests (lsdp_acl.sh).

  acl_conn.py serve PROTO:PORT...     echo servers (until killed)
  acl_conn.py connect tcp|udp IP PORT [--timeout S]
  acl_conn.py agent [PROTO:PORT...]   servers, and connects as stdin says

connect sends a line and waits for its echo.  Exit status: 0 the echo came
back, 1 timeout (dropped), 2 refused (TCP RST, or ICMP unreachable for
UDP), 3 another error.  The agent reads "PROTO IP PORT TIMEOUT" lines and
answers each with that status on a line of its own: one Python per host
instead of one per connection (the VMs run TCG, where starting Python
costs seconds).
"""
import socket
import sys
import threading


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
            c.settimeout(5)
            try:
                data = c.recv(100)
                c.sendall(data)
            except OSError:
                pass
            c.close()
    else:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::", port))
        print("listening %s:%d" % (proto, port), file=sys.stderr, flush=True)
        while True:
            data, peer = s.recvfrom(100)
            s.sendto(data, peer)


def connect(proto, ip, port, timeout):
    fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
    typ = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(fam, typ)
    s.settimeout(timeout)
    try:
        s.connect((ip, port))
        s.send(b"hello\n")
        data = s.recv(100)
        return 0 if data == b"hello\n" else 3
    except socket.timeout:
        return 1
    except ConnectionRefusedError:
        return 2
    except OSError as e:
        print(e, file=sys.stderr)
        return 3


def agent():
    for line in sys.stdin:
        w = line.split()
        if len(w) != 4:
            print(3, flush=True)
            continue
        print(connect(w[0], w[1], int(w[2]), float(w[3])), flush=True)


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
    elif len(a) >= 4 and a[0] == "connect":
        t = float(a[5]) if len(a) == 6 and a[4] == "--timeout" else 2.0
        sys.exit(connect(a[1], a[2], int(a[3]), t))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(3)


main()
