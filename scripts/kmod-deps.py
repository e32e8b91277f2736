#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kmod-deps.py [OBJDIR]: which file of kmod/ calls which.

Reads the symbol tables of the module's object files (nm): a file that
leaves a symbol undefined that another of the module's files defines
depends on that file.  Prints, for each file, the files it calls and the
files that call it, then the groups of files that call each other in a
cycle (strongly connected components of more than one file), then a
one-line summary.  OBJDIR defaults to build/<newest 6.1 kernel>/kmod
(`make matrix` builds it).

The picture is of calls between files, which is what "arrows point one
way" means in Documentation/design.rst: netlink code calls objects, the
packet path calls tables, and nothing calls back up.
"""
import glob
import os
import subprocess
import sys


def objdir_default(root):
    dirs = sorted(glob.glob(os.path.join(root, "build", "6.1.*", "kmod")))
    if not dirs:
        sys.exit("kmod-deps: no build/6.1.*/kmod (run 'make matrix')")
    return dirs[-1]


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
    return defined, undefined


def sccs(nodes, edges):
    """Tarjan's algorithm, iterative enough for a few dozen files."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    objdir = sys.argv[1] if len(sys.argv) > 1 else objdir_default(root)
    objs = sorted(o for o in glob.glob(os.path.join(objdir, "*.o"))
                  if not o.endswith(".mod.o") and
                  os.path.basename(o) not in ("lsdp.o",))
    if not objs:
        sys.exit("kmod-deps: no object files in %s" % objdir)
    owner, undef = {}, {}
    for o in objs:
        name = os.path.basename(o)[:-2] + ".c"
        d, u = symbols(o)
        for s in d:
            owner[s] = name
        undef[name] = u
    edges = {f: set() for f in undef}
    for f, u in undef.items():
        for s in u:
            g = owner.get(s)
            if g and g != f:
                edges[f].add(g)
    callers = {f: set() for f in edges}
    for f, gs in edges.items():
        for g in gs:
            callers[g].add(f)
    for f in sorted(edges):
        print("%-12s calls %-2d: %s" % (f, len(edges[f]),
                                        " ".join(sorted(edges[f])) or "-"))
        print("%-12s called by %d: %s" % ("", len(callers[f]),
                                         " ".join(sorted(callers[f])) or "-"))
    cycles = [c for c in sccs(edges.keys(), edges) if len(c) > 1]
    print()
    for c in cycles:
        print("cycle of %d files: %s" % (len(c), " ".join(c)))
    n_edges = sum(len(v) for v in edges.values())
    in_cycles = sum(len(c) for c in cycles)
    print("%d files, %d calls between files, %d files in cycles (largest %d)"
          % (len(edges), n_edges, in_cycles,
             max((len(c) for c in cycles), default=0)))


if __name__ == "__main__":
    main()
