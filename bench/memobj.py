#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Kernel memory per object, by slab cache (runs in the VM, as root).

  memobj.py snap FILE
      every slab cache's objects and the bytes of its slabs
      (/proc/slabinfo), and Percpu and VmallocUsed (/proc/meminfo), into
      FILE; the caller drops caches first
  memobj.py diff OBJECT SYSTEM N BEFORE AFTER
      what N objects added between the two snapshots cost, per object:
      one table on stderr (the log) and one "@@BENCH" record on stdout

The VM boots with slab_nomerge, so every kmalloc size class and every
module's cache is a line of its own: the growth of kmalloc-64 is the
64-byte allocations, of lsdp_port lsdp's ports.  A cache's cost is the
growth of its slabs' pages (what the Slab line of /proc/meminfo counts:
objects, their padding and the tail of each slab page no object fits in),
next to the objects it gained and their size.  Per-CPU memory grows with
the number of possible CPUs (the VM has one).  Not in these rows: the
bucket arrays of large hash tables, kmalloc'd above 8 kB straight from
the page allocator (meminfo's Slab counts them, slabinfo does not).  An
rhashtable keeps its 8-byte buckets 37.5 to 75% full: 11 to 21 bytes
per object and table (17.5 at 30,000 objects), for lsdp and the bridge
alike; MemFree, which would show them, moved by hundreds of kB between
two snapshots here (per-CPU page lists).
"""
import json
import sys


def snap(path):
    out = {}
    with open("/proc/slabinfo") as f:
        for line in f:
            w = line.split()
            if not w or w[0].startswith(("slabinfo", "#")):
                continue
            # name active_objs num_objs objsize objperslab pagesperslab
            # : tunables l b s : slabdata active_slabs num_slabs avail
            out[w[0]] = [int(w[1]), int(w[3]), int(w[14]) * int(w[5]) * 4096]
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            if k in ("Percpu", "VmallocUsed"):
                out["@" + k.lower()] = [0, 0, int(v.split()[0]) * 1024]
    with open(path, "w") as f:
        json.dump(out, f)


def diff(obj, system, n, before, after):
    with open(before) as f:
        b = json.load(f)
    with open(after) as f:
        a = json.load(f)
    n = int(n)
    rows = []
    for name, (objs, size, byts) in a.items():
        objs0, _, byts0 = b.get(name, [0, size, 0])
        dobj, dbytes = objs - objs0, byts - byts0
        # What the batch allocated, not the noise of the rest of the
        # system (a few pages here and there while it ran).
        if abs(dbytes) < n and abs(dobj) * 50 < n:
            continue
        rows.append({"cache": name, "objs_per": dobj / n, "objsize": size,
                     "bytes_per": dbytes / n})
    rows.sort(key=lambda r: -r["bytes_per"])
    total = sum(r["bytes_per"] for r in rows)
    print(f"# mem {obj}/{system}: {n} objects, {total:.0f} bytes each", file=sys.stderr)
    print("#   cache                      objects/obj  objsize  bytes/obj", file=sys.stderr)
    for r in rows:
        size = str(r["objsize"]) if r["objsize"] else "-"
        print(f"#   {r['cache']:<26} {r['objs_per']:11.2f} {size:>8} {r['bytes_per']:10.1f}",
              file=sys.stderr)
    print("@@BENCH " + json.dumps({"kind": "mem", "object": obj, "system": system, "n": n,
                                   "bytes": round(total, 1), "caches": rows}))


def main():
    if sys.argv[1] == "snap":
        snap(sys.argv[2])
    elif sys.argv[1] == "diff":
        diff(*sys.argv[2:7])
    else:
        sys.exit(f"memobj.py: unknown command {sys.argv[1]}")


if __name__ == "__main__":
    main()
