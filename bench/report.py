#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the records of `make bench` into results.json, results.md and the
gnuplot input of the ratio chart (ratios.dat, ratios.gp).

  report.py OUTDIR RAW.jsonl...

Each RAW file holds the "@@BENCH" records of one VM run (one kernel, one
clock: the instruction-counting "icount" or the "wall" clock), as
bench/lib.sh and bench/vm-bench.sh emit them.  Every number printed here is
computed from those records: the ratios compare figures of the same VM.

A ratio a/b of two cases comes with its uncertainty, propagated from the
runs' extremes: [min(a)/max(b), max(a)/min(b)], the range the ratio of any
run of a to any run of b falls in (bench/README).
"""
import datetime
import json
import os
import platform
import statistics
import sys

# Scenario tables: key, title, systems (lsdp first, then its baselines).
# "drop" (the ceiling, a port that only drops) is measured in the same
# interleaved runs where it is listed: a reference, not a baseline.
SCENARIOS = [
    ("ceiling", "Ceiling: pktgen into a port that only drops (tc ingress drop)", ["drop"]),
    ("l2", "L2, VIF to VIF", ["lsdp", "bridge", "ovs", "drop"]),
    ("routed", "Routed, VIF -> router -> VIF (IPv4, connected route)", ["lsdp", "linux", "ovs", "drop"]),
    ("trunk", "Trunk child: child-in (tagged into the parent's port, out of a plain port untagged), "
     "child-out (the reverse, tag pushed); bridge: VLAN filtering", ["lsdp", "bridge", "ovs", "drop"]),
    ("localnet", "Localnet with VLAN 100: out (VIF -> provider network, tagged), in (provider -> VIF); "
     "bridge: VLAN filtering", ["lsdp", "bridge", "ovs", "drop"]),
    ("nat_snat", "NAT, SNAT: VIF -> router (snat) -> VIF, one established UDP flow "
     "(linux: nftables NAT; ovs: ct(nat) flows as OVN's)", ["lsdp", "linux", "ovs", "drop"]),
    ("nat_fip", "NAT, floating IP: VIF -> dnat_and_snat address -> VIF, one established UDP flow "
     "(linux: nftables NAT; ovs: ct(nat) flows as OVN's)", ["lsdp", "linux", "ovs", "drop"]),
    ("geneve", "Geneve: encap (counted on the underlay) and encap+decap (counted at the remote VM)",
     ["lsdp", "bridge", "ovs", "drop"]),
    ("l2_scale", "Scale, L2: many MAC entries (compare with the L2 table, 2 entries)",
     ["lsdp", "bridge", "drop"]),
    ("route_scale", "Scale, routing: traffic to a static route, alone or among many", ["lsdp", "linux"]),
    ("acl", "ACLs: VM1 -> VM2 through N security-group rules on VM2's port (to-lport), stateless "
     "or stateful", ["lsdp", "ovs", "nft", "nftset", "drop"]),
    ("live", "Live trace matching nothing (lsdp alone, L2): off, then one live trace on the ingress port",
     ["lsdp"]),
]


def baselines(systems):
    return [s for s in systems[1:] if s != "drop"] if systems[0] == "lsdp" else []
NAMES = {
    "lsdp": "lsdp",
    "bridge": "Linux bridge",
    "linux": "Linux routing",
    "ovs": "OVS kernel dp",
    "drop": "tc drop",
    "nft": "nftables rules",
    "nftset": "nftables set",
}
CONTROL = [
    ("ports", "ports (lsdp: port with MAC + IPv4; bridge: static fdb entry)", "bridge"),
    ("macs", "L2 scale MAC entries (lsdp: remote ports; bridge: static fdb entries)", "bridge"),
    ("macs-cp", "MAC entries, control scenario (lsdp: remote ports; bridge: static fdb entries)",
     "bridge"),
    ("routes-v4", "IPv4 routes (lsdp -b vs ip -batch)", "linux"),
    ("routes-v6", "IPv6 routes (lsdp -b vs ip -batch)", "linux"),
    ("neighbours", "neighbours (lsdp static neigh vs ip neigh permanent)", "linux"),
]


def load(path):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    recs.append(json.loads(line))
                except json.JSONDecodeError as e:
                    print(f"report: {path}: bad record {line[:80]!r}: {e}", file=sys.stderr)
    return recs


def host_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# Issue 17's targets for lsdp's rate against each baseline.
TARGETS = {"bridge": 1.2, "linux": 1.2, "ovs": 1.5}


def spread(r):
    """(max - min) / median of a case's runs, in percent."""
    if "spread_pct" in r:
        return r["spread_pct"]
    return 100 * (r["max"] - r["min"]) / r["median"] if r.get("median") else 0


def kpps(r):
    if r is None:
        return "-"
    if "error" in r:
        return "FAILED"
    s = f"{r['median'] / 1e3:.1f} [{r['min'] / 1e3:.1f}-{r['max'] / 1e3:.1f}] {spread(r):.2f}%"
    if r.get("lost"):
        s += "*"
    return s


def good(r):
    return bool(r) and "error" not in r and r.get("median")


def ratio(a, b):
    if not good(a) or not good(b):
        return None
    return a["median"] / b["median"]


def ratio_range(a, b):
    """The ratio of medians and its range from the runs' extremes."""
    if not good(a) or not good(b) or not b["min"]:
        return None
    return (a["median"] / b["median"], a["min"] / b["max"], a["max"] / b["min"])


def fmt_ratio(x):
    if x is None:
        return "-"
    if isinstance(x, tuple):
        r, lo, hi = x
        return f"{r:.3f} ({lo:.3f}-{hi:.3f})"
    return f"{x:.2f}"


class Kernel:
    def __init__(self, recs):
        self.recs = recs
        self.meta = next((r for r in recs if r.get("kind") == "meta"), {})
        self.vm = next((r for r in recs if r.get("kind") == "vm"), {})
        self.kernel = self.meta.get("kernel") or self.vm.get("kernel", "?")
        self.clock = self.meta.get("clock") or self.vm.get("clock") or "wall"
        self.name = f"{self.kernel}, {self.clock} clock"
        self.pps = [r for r in recs if r.get("kind") == "pps"]
        self.control = [r for r in recs if r.get("kind") == "control"]
        self.hold = [r for r in recs if r.get("kind") == "hold"]
        self.ovn = [r for r in recs if r.get("kind") == "ovn"]
        self.mem = [r for r in recs if r.get("kind") == "mem"]
        self.notes = [r for r in recs if r.get("kind") == "note"]
        self.errors = [r for r in recs if r.get("kind") == "error"]
        self.times = [r for r in recs if r.get("kind") == "time"]
        self.wall = [r for r in recs if r.get("kind") == "wall"]
        self.profiles = [r for r in recs if r.get("kind") == "profile"]

    def find(self, scen, sys_, var, size):
        for r in self.pps:
            if (r["scenario"], r["system"], r["variant"], r["size"]) == (scen, sys_, var, size):
                return r
        return None

    def rows(self, scen):
        seen = []
        for r in self.pps:
            if r["scenario"] == scen and (r["variant"], r["size"]) not in seen:
                seen.append((r["variant"], r["size"]))
        return seen

    def small(self, scen, sys_, var, size):
        """The small-table reference of a scale figure."""
        if scen == "l2_scale":
            return self.find("l2", sys_, "", size)
        if scen == "route_scale":
            fam = var.split(",")[0]
            return self.find(scen, sys_, f"{fam},routes=1", size)
        if scen == "acl":
            # The same variant at 1 rule (",nocache" against ",nocache"),
            # else the mode's 1-rule figure (",flows=N" has none).
            parts = var.split(",")
            one = ",".join("rules=1" if p.startswith("rules=") else p for p in parts)
            return (self.find(scen, sys_, one, size) or
                    self.find(scen, sys_, f"{parts[0]},rules=1", size))
        return None

    def ratios(self):
        """Every lsdp figure against each baseline of the same table row."""
        out = []
        for scen, _, systems in SCENARIOS:
            if systems[0] != "lsdp":
                continue
            for var, size in self.rows(scen):
                me = self.find(scen, "lsdp", var, size)
                for b in baselines(systems):
                    x = ratio_range(me, self.find(scen, b, var, size))
                    if x is not None:
                        out.append({"what": "pps", "scenario": scen, "variant": var, "size": size,
                                    "baseline": b, "ratio": x[0], "ratio_lo": x[1], "ratio_hi": x[2],
                                    "clock": self.clock})
        for item, _, base in CONTROL:
            me, other = self.ctl(item, "lsdp"), self.ctl(item, base)
            if me and other and me["ms"] and other["ms"]:
                # entries per second, lsdp over the baseline: >1 = lsdp faster
                x = (other["ms"] / other["n"]) / (me["ms"] / me["n"])
                out.append({"what": "program", "scenario": item, "variant": "", "size": 0,
                            "baseline": base, "ratio": x, "ratio_lo": x, "ratio_hi": x,
                            "clock": self.clock})
        return out

    def ctl(self, item, sys_):
        for r in self.control:
            if r["item"] == item and r["system"] == sys_:
                return r
        return None


def per_entry(r):
    return (r["slab_kb"] + r["percpu_kb"] + r["vmalloc_kb"]) * 1024 / r["n"]


def label(scen, var, size, base):
    v = f" {var}" if var else ""
    return f"{scen}{v} {size}B vs {NAMES.get(base, base)}"


def acl_goal(k):
    """Issue 15's goal: at 10,000 rules lsdp's per-packet cost within 1.3x
    of its 1-rule cost and below both baselines'.  Cost is taken two ways:
    the whole path (1/rate, the generator included) and the time above
    the ceiling (what the datapath adds); both are reported."""
    md = []
    ceil = k.find("ceiling", "drop", "", 64)
    rows = [(v, s) for v, s in k.rows("acl")]
    if not rows:
        return md
    systems = ["lsdp", "ovs", "nft", "nftset"]
    unit = "ns" if k.clock == "wall" else "instructions"
    md.append("\n### ACLs: cost per packet against the number of rules (issue 15)\n")
    md.append(f"Per-packet cost in {unit}: the whole path (1/rate, pktgen included) and, in "
              "brackets, above the ceiling (1/rate - 1/rate(ceiling): what the datapath with its "
              "ACLs adds). \"xN\" is that case's cost above the ceiling over the same system's "
              "1-rule cost above the ceiling. Goal: lsdp at 10,000 rules within 1.3x of its 1-rule "
              "cost, and cheaper than OVS and nftables.\n")
    md.append("| variant | size | " + " | ".join(NAMES[s] for s in systems) + " | lsdp cheapest? |")
    md.append("|" + "---|" * (3 + len(systems)))
    for var, size in rows:
        cells = [var, str(size)]
        cost = {}
        for s in systems:
            r, small = k.find("acl", s, var, size), k.small("acl", s, var, size)
            if not good(r):
                cells.append("-")
                continue
            whole = 1e9 / r["median"]
            above = whole - 1e9 / ceil["median"] if good(ceil) else None
            cost[s] = above if above is not None else whole
            c = f"{whole:.0f}"
            if above is not None:
                c += f" ({above:.0f}"
                if good(small):
                    base = 1e9 / small["median"] - 1e9 / ceil["median"]
                    if base > 0:
                        c += f", x{above / base:.2f}"
                c += ")"
            cells.append(c)
        if "lsdp" in cost and len(cost) > 1:
            cells.append("yes" if all(cost["lsdp"] < v for s, v in cost.items() if s != "lsdp")
                         else "no")
        else:
            cells.append("-")
        md.append("| " + " | ".join(cells) + " |")
    prog = [r for r in k.control if r["item"].startswith("acl-")]
    if prog:
        md.append("\nProgramming the rules (one batch: `lsdp -b`, `ovs-ofctl add-flows`, `nft -f`), "
                  "ms:\n")
        md.append("| rules | " + " | ".join(NAMES[s] for s in systems) + " |")
        md.append("|" + "---|" * (1 + len(systems)))
        for item in dict.fromkeys(r["item"] for r in prog):
            by = {r["system"]: r for r in prog if r["item"] == item}
            md.append(f"| {item[4:]} | " + " | ".join(str(by[s]["ms"]) if s in by else "-"
                                                  for s in systems) + " |")
    return md


def above_ceiling(k):
    """Per-packet time above the ceiling: 1/rate - 1/rate(ceiling), the
    time the datapath under test adds to receiving a packet at all (the
    generator's own cost, in every figure, drops out)."""
    md = []
    rows = []
    for scen, title, systems in SCENARIOS:
        if systems[0] != "lsdp":
            continue
        for var, size in k.rows(scen):
            # The ceiling of the same interleaved runs when there is one,
            # else the ceiling scenario's (measured minutes apart: noisier).
            ceil, where = k.find(scen, "drop", var, size), "same runs"
            if not ceil or "error" in ceil:
                ceil, where = k.find("ceiling", "drop", "", size), "ceiling scenario"
            if not ceil or "error" in ceil:
                continue
            cost = {}
            for s in ["lsdp"] + baselines(systems):
                r = k.find(scen, s, var, size)
                if r and "error" not in r and r["median"]:
                    cost[s] = 1e9 / r["median"] - 1e9 / ceil["median"]
            if "lsdp" in cost:
                rows.append((scen, var, size, ["lsdp"] + baselines(systems), cost, where))
    if not rows:
        return md
    md.append("\n### Per-packet time above the ceiling\n")
    unit = "ns" if k.clock == "wall" else "instructions"
    md.append("1/rate - 1/rate(ceiling, same size), from the medians: what the datapath adds to receiving "
              "a packet at all, without the generator's own cost. Ratios are lsdp's time over the "
              "baseline's: below 1 lsdp is cheaper. (IPv6 frames of \"64\" are 78 bytes.)"
              + (" Under the icount clock a guest ns is one instruction, so these are instructions "
                 "per packet." if k.clock == "icount" else "") + "\n")
    md.append(f"| scenario | variant | size | ceiling from | lsdp {unit} | baseline {unit} | lsdp/baseline |")
    md.append("|---|---|---|---|---|---|---|")
    for scen, var, size, systems, cost, where in rows:
        base = "; ".join(f"{NAMES[s]} {cost[s]:.0f}" for s in systems[1:] if s in cost) or "-"
        rat = "; ".join(f"{NAMES[s]} {cost['lsdp'] / cost[s]:.2f}" for s in systems[1:]
                        if s in cost and cost[s] > 0 and cost["lsdp"] > 0) or "-"
        md.append(f"| {scen} | {var or '-'} | {size} | {where} | {cost['lsdp']:.0f} | {base} | {rat} |")
    return md


def profiles(k):
    """Where the time of each profiled case goes: perf's share of every
    object and the hottest symbols, per system, grouped by case, so that
    the systems of one case can be read against each other."""
    md = []
    if not k.profiles:
        return md
    first = k.profiles[0]
    freq = first.get("freq", 1000)
    md.append("\n### Where the time goes (perf profiles)\n")
    md.append("Every system of a case where lsdp is not ahead of a baseline (and lsdp itself) ran that "
              "case once more under `perf record -a -e cpu-clock` (a TCG guest has no PMU, so the "
              "sampling clock is a timer"
              + (f"; under the icount clock that timer counts guest instructions, so a sample is every "
                 f"{1e9 / freq:,.0f} instructions and the profile is an instruction profile"
                 if k.clock == "icount" else f", {freq} Hz") +
              "). Shares are of the samples "
              f"taken in the threads that carry the packets ({first.get('comms', '?')}: pktgen's "
              "thread runs the whole path in netif_receive mode, softirqs deferred by a backlog run "
              "in ksoftirqd), pktgen building its packets included; the shells that start and read "
              "a run, and idle time, are left out. Symbols of a module are listed under the module "
              "(lsdp's own functions under `lsdp`), from the guest's /proc/kallsyms.\n")
    groups = []
    for p in k.profiles:
        key = (p["scenario"], p["variant"], p["size"])
        if key not in groups:
            groups.append(key)
    for scen, var, size in groups:
        md.append(f"#### {scen}{' ' + var if var else ''}, {size} B\n")
        for p in k.profiles:
            if (p["scenario"], p["variant"], p["size"]) != (scen, var, size):
                continue
            f = p.get("freq", 1000)
            unit = "instructions" if p.get("clock") == "icount" else "ns of CPU"
            per = (f", {p['samples'] * 1e9 / f / p['packets']:,.0f} {unit} per packet in those threads"
                   if p["packets"] else "")
            md.append(f"**{NAMES[p['system']]}**: {p['packets']} packets delivered at "
                      f"{p['pps'] / 1000:.1f} kpps, {p['samples']} samples{per}; by object: "
                      + ", ".join(f"{d['dso']} {d['pct']:.1f}%" for d in p["dsos"]) + "\n")
            md.append("| share | samples | object | symbol |")
            md.append("|---|---|---|---|")
            for e in p["syms"]:
                sym = e.get("sym", "")
                if sym[:4] in ("[k] ", "[.] "):
                    sym = sym[4:]
                md.append(f"| {e['pct']:.1f}% | {e['samples']} | {e['dso']} | `{sym}` |")
            md.append("")
    return md


def targets(kernels):
    """Issue 17's targets: every lsdp/baseline rate ratio against 1.2 (bridge,
    Linux routing) or 1.5 (OVS), met only when the whole range is above."""
    md = []
    rows = [(k, r) for k in kernels for r in k.ratios() if r["what"] == "pps"]
    if not rows:
        return md
    md.append("\n## Against issue 17's targets\n")
    md.append("lsdp's rate over each baseline's (ratio of medians, range from the runs' extremes), "
              "against the target: 1.2x the Linux bridge and Linux routing, 1.5x OVS. \"met\" when the "
              "whole range is at or above the target, \"short\" when it is below, \"edge\" otherwise.\n")
    md.append("| kernel, clock | scenario | variant | size | baseline | lsdp/baseline | target | |")
    md.append("|---|---|---|---|---|---|---|---|")
    for k, r in rows:
        t = TARGETS.get(r["baseline"])
        if r["scenario"] == "acl":
            continue  # issue 15's goal, in its own table (acl_goal)
        if t is None:
            continue
        st = "met" if r["ratio_lo"] >= t else "short" if r["ratio_hi"] < t else "edge"
        md.append(f"| {k.name} | {r['scenario']} | {r['variant'] or '-'} | {r['size']} | "
                  f"{NAMES[r['baseline']]} | "
                  f"{fmt_ratio((r['ratio'], r['ratio_lo'], r['ratio_hi']))} | {t} | {st} |")
    return md


def beside(kernels):
    """The same kernel's ratios under both clocks, side by side."""
    md = []
    by = {}
    for k in kernels:
        by.setdefault(k.kernel, {})[k.clock] = k
    pairs = [(kv, d["icount"], d["wall"]) for kv, d in by.items() if "icount" in d and "wall" in d]
    pairs = [(kv, i, w) for kv, i, w in pairs if i.pps and w.pps]
    if not pairs:
        return md
    md.append("\n## Both clocks, side by side\n")
    md.append("lsdp/baseline rate ratios of the same scenarios, measured once on the instruction-counting "
              "clock (path length, deterministic) and once on the wall clock (TCG's host time, with "
              "whatever else loaded the host's cores).\n")
    md.append("| kernel | scenario | variant | size | baseline | icount | wall |")
    md.append("|---|---|---|---|---|---|---|")
    for kv, i, w in pairs:
        wr = {(r["scenario"], r["variant"], r["size"], r["baseline"]): r for r in w.ratios()
              if r["what"] == "pps"}
        for r in i.ratios():
            if r["what"] != "pps":
                continue
            o = wr.get((r["scenario"], r["variant"], r["size"], r["baseline"]))
            md.append(f"| {kv} | {r['scenario']} | {r['variant'] or '-'} | {r['size']} | "
                      f"{NAMES[r['baseline']]} | {fmt_ratio((r['ratio'], r['ratio_lo'], r['ratio_hi']))} | "
                      + (fmt_ratio((o['ratio'], o['ratio_lo'], o['ratio_hi'])) if o else "-") + " |")
    return md


def markdown(kernels, host):
    md = []
    clocks = sorted({k.clock for k in kernels if k.pps})
    md.append("# lsdp benchmark results\n")
    md.append(f"Generated {host['date']} by `{host['by']}` on {host['cpu']} ({host['cores']} host cores, "
              f"load average {host['loadavg']} when the report was written); rate scenarios measured on "
              f"the {' and the '.join(clocks) or '?'} clock.\n")
    md.append("Every figure is a measurement of this run. Rates are packets per second **delivered at "
              "the egress sink** (pktgen `netif_receive` injection at the ingress port, one vCPU), in "
              "kpps: median [min-max] of the runs and their spread, (max - min) / median; `*` marks a "
              "case where some packets were not delivered. Ratios are lsdp's median over the baseline's "
              "median in the same row of the same VM, above 1 lsdp is faster, with their range in "
              "parentheses: (min(lsdp)/max(baseline) - max(lsdp)/min(baseline)). The VM is qemu TCG (no "
              "KVM): absolute rates are far below hardware and only the ratios mean something.\n")
    if "icount" in clocks:
        md.append("**icount clock** (the default): the VM runs on qemu's instruction-counting clock "
                  "(`-accel tcg,thread=single -icount shift=0,sleep=off`, one vCPU), where a guest "
                  "nanosecond is one instruction and idle time is skipped. A rate is packets per 10^9 "
                  "guest instructions of the whole path, pktgen's packet building included: it measures "
                  "path length, not cache misses or branch prediction, and repeats to a fraction of a "
                  "percent however loaded the host is. Each case runs until the spread of its runs is "
                  "below the target (1%), within a least and a most number of runs.\n")
    if "wall" in clocks:
        md.append("**wall clock**: the guest's time is the host's; other VMs and builds shared the "
                  "host's two cores, so expect noise of several percent, up to +-20% on a busy host.\n")
    md.extend(targets(kernels))
    md.extend(beside(kernels))
    for k in kernels:
        m = k.meta
        md.append(f"\n## Kernel {k.kernel}, {k.clock} clock\n")
        md.append(f"- guest CPU: {m.get('guest_cpu', '?')}, {m.get('vcpus', '?')} vCPU, "
                  f"{m.get('mem_kb', 0) // 1024} MiB; date {m.get('date', '?')}")
        counts = [r["count"] for r in k.pps if "count" in r]
        nruns = [len(r["runs"]) for r in k.pps if "runs" in r]
        if counts:
            md.append(f"- {min(nruns)} to {max(nruns)} runs per case (least {m.get('runs', '?')}, most "
                      f"{m.get('max_runs', m.get('runs', '?'))}, until "
                      + (f"the last {m['spread_window']}" if m.get("spread_window") else "all")
                      + f" agree within {m.get('spread_target_pct', '-')}%) of about {m.get('secs', '?')} guest s each: "
                      f"{min(counts)} to {max(counts)} packets per run, set per case from a calibration run")
            wide = [r for r in k.pps if good(r) and "runs" in r and spread(r) >= m.get("spread_target_pct", 1)]
            if wide and m.get("spread_target_pct") is not None:
                md.append(f"- spread of all runs at or above {m['spread_target_pct']}%: "
                          + ", ".join(f"{r['scenario']}/{r['system']}/{r['variant'] or '-'}/{r['size']} "
                                      f"{spread(r):.2f}%" for r in wide))
        md.append(f"- {m.get('ovs', 'OVS ?')}; kernel command line `{m.get('cmdline', '')}`")
        if k.vm:
            unit = "guest s" if k.clock == "icount" else "s"
            md.append(f"- VM exit code {k.vm.get('exit')}, {k.vm.get('secs')} s wall time in all (boot "
                      f"included); per scenario, wall s: "
                      + (", ".join(f"{t['scenario']} {t['secs']}" for t in k.wall) or "-")
                      + f"; guest time ({unit}): "
                      + ", ".join(f"{t['scenario']} {t['secs']}" for t in k.times))
        for e in k.errors:
            md.append(f"- **scenario {e['scenario']} failed** (see the log {k.kernel}-{k.clock}.log)")
        for n in k.notes:
            md.append(f"- {n['text']}")
        for scen, title, systems in SCENARIOS:
            rows = k.rows(scen)
            if not rows:
                continue
            md.append(f"\n### {title}\n")
            bases = baselines(systems)
            head = ["variant", "size"] + [NAMES[s] for s in systems]
            head += [f"lsdp/{NAMES[b]} (range)" for b in bases]
            scale = scen in ("l2_scale", "route_scale", "acl")
            if scale:
                head += [f"{NAMES[s]} vs small" for s in systems]
            if systems[0] != "lsdp":
                head += ["ns/packet" if k.clock == "wall" else "instructions/packet"]
            md.append("| " + " | ".join(head) + " |")
            md.append("|" + "---|" * len(head))
            for var, size in rows:
                rs = [k.find(scen, s, var, size) for s in systems]
                cells = [var or "-", f"{size}"] + [kpps(r) for r in rs]
                cells += [fmt_ratio(ratio_range(rs[0], k.find(scen, b, var, size))) for b in bases]
                if scale:
                    cells += [fmt_ratio(ratio(r, k.small(scen, s, var, size)))
                              for s, r in zip(systems, rs)]
                if systems[0] != "lsdp":
                    cells += [f"{1e9 / rs[0]['median']:.0f}" if good(rs[0]) else "-"]
                md.append("| " + " | ".join(cells) + " |")
            if scen == "geneve" and {v for v, _ in rows} >= {"encap", "encap+decap"}:
                # Decapsulation alone: the extra time per packet of
                # encap+decap over encap, from the medians.
                md.append("\nDecapsulation cost per packet (1/rate(encap+decap) - 1/rate(encap), medians):\n")
                dsys = ["lsdp"] + bases
                md.append("| size | " + " | ".join(NAMES[s] for s in dsys) + " | "
                          + " | ".join(f"lsdp/{NAMES[b]}" for b in bases) + " |")
                md.append("|" + "---|" * (1 + len(dsys) + len(bases)))
                for size in sorted({s for _, s in rows}):
                    ns = []
                    for s in dsys:
                        e, d = k.find(scen, s, "encap", size), k.find(scen, s, "encap+decap", size)
                        ok = e and d and "error" not in e and "error" not in d
                        ns.append(1e9 / d["median"] - 1e9 / e["median"] if ok else None)
                    unit = "ns" if k.clock == "wall" else "instructions"
                    cells = [str(size)] + ["-" if x is None else f"{x:.0f} {unit}" for x in ns]
                    # Noise can make a difference negative: no ratio then.
                    cells += [f"{ns[0] / x:.2f} (cost)" if ns[0] is not None and x and x > 0 and ns[0] > 0
                              else "-" for x in ns[1:]]
                    md.append("| " + " | ".join(cells) + " |")
            if scen == "live" and {v for v, _ in rows} >= {"off", "on"}:
                md.append("\nCost of a live trace matching nothing, per packet (1/rate(on) - 1/rate(off), medians):\n")
                md.append("| size | off kpps | on kpps | on/off | cost per packet |")
                md.append("|---|---|---|---|---|")
                for size in sorted({s for _, s in rows}):
                    a, b = k.find(scen, "lsdp", "off", size), k.find(scen, "lsdp", "on", size)
                    if not (a and b and good(a) and good(b)):
                        continue
                    unit = "ns" if k.clock == "wall" else "instructions"
                    md.append(f"| {size} | {kpps(a)} | {kpps(b)} | {b['median'] / a['median']:.3f} | "
                              f"{1e9 / b['median'] - 1e9 / a['median']:.0f} {unit} |")
                # LSDP_BENCH_PREV: this tree with tracing off against
                # other builds (the release before tracing).
                prev = sorted({v for v, _ in rows} - {"off", "on"})
                if prev:
                    md.append("\nThis tree, live tracing off (and on, matching nothing), against other builds "
                              "(LSDP_BENCH_PREV), per packet (1/rate - 1/rate(build), medians):\n")
                    md.append("| size | build | build kpps | off/build | off cost | on/build | on cost |")
                    md.append("|---|---|---|---|---|---|---|")
                    unit = "ns" if k.clock == "wall" else "instructions"
                    for size in sorted({s for _, s in rows}):
                        a, b = k.find(scen, "lsdp", "off", size), k.find(scen, "lsdp", "on", size)
                        for v in prev:
                            p = k.find(scen, "lsdp", v, size)
                            if not (p and good(p)):
                                continue
                            cells = [str(size), v, kpps(p)]
                            for x in (a, b):
                                if x and good(x):
                                    cells += [fmt_ratio(ratio_range(x, p)),
                                              f"{1e9 / x['median'] - 1e9 / p['median']:.0f} {unit}"]
                                else:
                                    cells += ["-", "-"]
                            md.append("| " + " | ".join(cells) + " |")
        md.extend(above_ceiling(k))
        md.extend(acl_goal(k))
        if any(r["item"] in {c[0] for c in CONTROL} for r in k.control):
            md.append("\n### Control plane: programming time and kernel memory per entry\n")
            if k.clock == "icount":
                md.append("(Measured in the icount VM: the times are guest time, i.e. instructions "
                          "executed, plus the guest's idle waits skipped to their timers.)\n")
            md.append("One batch per line (`lsdp -b`, `ip -batch`, `bridge -batch`); memory is the growth of "
                      "Slab + Percpu + VmallocUsed in /proc/meminfo over the batch (after dropping caches), "
                      "divided by the entries. Ratios are lsdp over the baseline (time and memory: below 1 "
                      "lsdp is cheaper).\n")
            md.append("| entries | n | lsdp ms | baseline | baseline ms | time lsdp/baseline | "
                      "lsdp bytes/entry | baseline bytes/entry | memory lsdp/baseline |")
            md.append("|---|---|---|---|---|---|---|---|---|")
            for item, title, base in CONTROL:
                me, other = k.ctl(item, "lsdp"), k.ctl(item, base)
                if not me and not other:
                    continue
                cells = [title, str((me or other)["n"]) if not (me and other) or me["n"] == other["n"]
                         else f"{me['n']} / {other['n']}"]
                cells += [str(me["ms"]) if me else "-", NAMES[base], str(other["ms"]) if other else "-"]
                cells += [f"{(me['ms'] / me['n']) / (other['ms'] / other['n']):.2f}"
                          if me and other and other["ms"] else "-"]
                cells += [f"{per_entry(me):.0f}" if me else "-", f"{per_entry(other):.0f}" if other else "-"]
                cells += [f"{per_entry(me) / per_entry(other):.2f}"
                          if me and other and per_entry(other) > 0 else "-"]
                md.append("| " + " | ".join(cells) + " |")
            md.append("\nMemory breakdown (kB: slab / percpu / vmalloc):\n")
            for r in k.control:
                md.append(f"- {r['item']} {NAMES[r['system']]}: {r['n']} entries, {r['slab_kb']} / "
                          f"{r['percpu_kb']} / {r['vmalloc_kb']} kB")
        md.extend(mem_table(k))
        md.extend(profiles(k))
        if k.hold:
            md.append("\n### Hold queue release latency (bench/hold.sh)\n")
            md.append("| burst | median us | p99 us | max us |")
            md.append("|---|---|---|---|")
            for h in k.hold:
                md.append(f"| {h['burst']} | {h['p50_us']} | {h['p99_us']} | {h['max_us']} |")
        md.extend(ovn_table(k))
    return "\n".join(md) + "\n"


def times(other, lsdp):
    """How many times faster lsdp is."""
    return f"{other / lsdp:.2f}" if lsdp > 0 else "-"


def ovn_table(k):
    """lsdp-agent vs ovn-controller convergence (bench/ovn_converge.sh)."""
    if not k.ovn:
        return []
    md = ["\n### OVN chassis convergence: lsdp-agent vs ovn-controller (bench/ovn_converge.sh)\n",
          "One `ovn-nbctl --wait=hv` transaction creating N logical ports over 100 switches, one "
          "chassis registered: until it returns (hv) and until a ping through a new port answers "
          "(ping); the chassis's RSS, CPU time and slab growth (ovn-controller: + ovs-vswitchd). "
          "One run per case.\n",
          "| ports | lsdp hv ms | ovn hv ms | hv x | lsdp ping ms | ovn ping ms | ping x | "
          "lsdp RSS kB | ovn RSS kB | lsdp CPU ms | ovn CPU ms | lsdp slab kB |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n in sorted({r["ports"] for r in k.ovn}):
        a = next((r for r in k.ovn if r["ports"] == n and r["chassis"] == "lsdp"), None)
        b = next((r for r in k.ovn if r["ports"] == n and r["chassis"] == "ovn-controller"), None)
        if not a or not b:
            continue
        md.append(f"| {n} | {a['hv_ms']} | {b['hv_ms']} | {times(b['hv_ms'], a['hv_ms'])} | "
                  f"{a['ping_ms']} | {b['ping_ms']} | {times(b['ping_ms'], a['ping_ms'])} | "
                  f"{a['rss_kb']} | {b['rss_kb']} | {a['cpu_ms']} | {b['cpu_ms']} | {a['slab_kb']} |")
    return md


MEM = [
    ("remote-mac", "lsdp: a MAC entry on a remote port", 128),
    ("vif", "lsdp: a VIF port with one MAC and one IPv4 address", 256),
    ("remote-mac-uuid", "lsdp: the same, 36-character names (OVN's UUIDs)", 128),
    ("vif-uuid", "lsdp: a VIF port as above, 36-character names", 256),
    ("fdb", "Linux bridge: a static fdb entry", None),
]


def mem_table(k):
    """Kernel memory per object (bench/memobj.py), cache by cache."""
    if not k.mem:
        return []
    md = ["\n### Kernel memory per object, by slab cache\n",
          "N objects of a kind in one batch; each slab cache's growth in pages, per-CPU and "
          "vmalloc memory, divided by N (slab_nomerge: every kmalloc size class is its own "
          "cache).  Targets are issue 17's.\n",
          "| object | n | bytes/object | target | breakdown (cache: objects x size = bytes) |",
          "|---|---|---|---|---|"]
    for obj, title, target in MEM:
        for r in k.mem:
            if r["object"] != obj:
                continue
            parts = [f"{c['cache']}: {c['objs_per']:.2f} x {c['objsize']} = {c['bytes_per']:.0f}"
                     if c["objsize"] else f"{c['cache'][1:]}: {c['bytes_per']:.0f}"
                     for c in r["caches"]]
            md.append(f"| {title} | {r['n']} | {r['bytes']:.0f} | "
                      f"{'-' if target is None else ('met' if r['bytes'] <= target else f'{target} (not met)')} | "
                      f"{'; '.join(parts)} |")
    return md


def chart(outdir, kernels):
    """ratios.dat (one row per comparison; per VM three columns: the ratio
    and its range) and ratios.gp, which draws it as clustered bars with
    error bars on a log scale."""
    labels = []
    table = {}
    vms = [k for k in kernels if k.ratios()]
    for i, k in enumerate(vms):
        for r in k.ratios():
            lab = (label(r["scenario"], r["variant"], r["size"], r["baseline"])
                   if r["what"] == "pps" else f"program {r['scenario']} vs {NAMES[r['baseline']]}")
            if lab not in table:
                labels.append(lab)
                table[lab] = [None] * len(vms)
            table[lab][i] = (r["ratio"], r["ratio_lo"], r["ratio_hi"])
    with open(os.path.join(outdir, "ratios.dat"), "w") as f:
        f.write("label " + " ".join(f'"{k.kernel} ({k.clock})" lo hi' for k in vms) + "\n")
        for lab in labels:
            vals = " ".join("NaN NaN NaN" if v is None else " ".join(f"{x:.4f}" for x in v)
                            for v in table[lab])
            f.write(f'"{lab}" {vals}\n')
    n = max(len(labels), 1)
    dat = os.path.join(outdir, "ratios.dat")
    # A range that shows a few percent: icount's ratios are that precise.
    xs = [x for v in table.values() for t in v if t for x in t]
    ylo = min([0.5] + [x * 0.8 for x in xs])
    yhi = max([2.0] + [x * 1.25 for x in xs])
    gp = f"""# generated by bench/report.py
set terminal pngcairo noenhanced size 1400,{400 + 22 * n} font ",10"
set output "{os.path.join(outdir, 'ratios.png')}"
set title "lsdp against its baselines (ratio of medians, bars: range from the runs' extremes; log scale; above 1: lsdp faster)\\npackets/s for the datapaths, entries/s for programming; same-VM figures, qemu TCG, 1 vCPU"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set logscale y 2
set ytics (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.5, 2, 3, 4, 8, 16)
set yrange [{ylo:.3f}:{yhi:.3f}]
set grid ytics
set xtics rotate by -60 font ",8" nomirror
set bmargin 22
set key top right
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black" front
set arrow from graph 0, first 1.2 to graph 1, first 1.2 nohead lw 1 dt 3 lc rgb "dark-green" front
set arrow from graph 0, first 1.5 to graph 1, first 1.5 nohead lw 1 dt 3 lc rgb "blue" front
set label "issue 17: 1.2x bridge/Linux routing" at graph 0.01, first 1.22 font ",8" tc rgb "dark-green" front
set label "1.5x OVS" at graph 0.01, first 1.53 font ",8" tc rgb "blue" front
set ylabel "lsdp / baseline"
plot for [i=0:{max(len(vms) - 1, 0)}] "{dat}" using (column(2+3*i)):(column(3+3*i)):(column(4+3*i)):xtic(1) title columnheader(2+3*i)
"""
    with open(os.path.join(outdir, "ratios.gp"), "w") as f:
        f.write(gp)


def main():
    outdir, raws = sys.argv[1], sys.argv[2:]
    kernels = [Kernel(load(p)) for p in raws]
    host = {
        "cpu": host_cpu(),
        "cores": os.cpu_count(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "loadavg": " ".join(open("/proc/loadavg").read().split()[:3]),
        "accel": "qemu TCG (no KVM), 1 vCPU per VM",
        "by": os.environ.get("BENCH_BY", "make bench"),
    }
    res = {"host": host, "kernels": []}
    for k in kernels:
        res["kernels"].append({"kernel": k.kernel, "clock": k.clock, "meta": k.meta, "vm": k.vm,
                               "pps": k.pps, "control": k.control, "mem": k.mem, "hold": k.hold, "ovn": k.ovn, "notes": k.notes,
                               "errors": k.errors, "times": k.times, "wall": k.wall,
                               "profiles": k.profiles,
                               "ratios": k.ratios()})
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write(markdown(kernels, host))
    chart(outdir, kernels)
    # Fail when a VM that ran a rate scenario produced no rate at all.
    rate = {s for s, _, _ in SCENARIOS} | {"ceiling", "l2", "routed", "geneve", "route_scale"}
    bad = [k for k in kernels if not k.pps and (set(k.meta.get("scenarios", "l2").split()) & rate)]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
