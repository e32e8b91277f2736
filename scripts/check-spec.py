#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/netlink/lsdp.yaml describes include/uapi/linux/lsdp.h.

The YNL spec is the one description of the family; the policies and ops
are generated from it, the header is hand-written.  This script catches
drift between header and spec, in both directions:

  * every #define and enum of the header has its counterpart in the spec
    (family name and version, multicast group, constants, enums, attribute
    sets, commands), with the same C names, values and order, including the
    __FOO_MAX / FOO_MAX pairs, using YNL's naming rules;
  * where the header documents an attribute's type in its comment ("u32",
    "string", "binary, 6 bytes" for an exact length, "nest of
    LSDP_ADDR_A_*", "u8, enum X", "u8 0/1",
    "LSDP_DP_KEY_MIN..LSDP_DP_KEY_MAX"), the spec agrees;
  * the spec is consistent with itself (attribute sets, nests, enums and
    constants it refers to exist; names and values unique; changing commands
    carry uns-admin-perm, get/dump are open);
  * the spec is valid against the YNL schema (genetlink-legacy.yaml beside
    it) when python3-jsonschema is installed (required with --require-schema);
  * when kmod/genl_gen.c exists (--kmod; generated from the spec by
    scripts/genl-gen.py), its genl_ops and nla_policy tables agree with the
    spec: one op per command, doit/dumpit as the spec's do/dump, permission
    flags, and each policy accepts exactly the request attributes of its op
    (do and dump together: policies are per op), with the spec's types,
    nested policies included; and no other file of kmod/ defines a policy
    or an ops table by hand.  `genl-gen.py --check` says whether the
    generated file is what the spec gives today.

Needs python3 and python3-yaml (and python3-jsonschema for the schema).
Exit status: 0 when everything matches, 1 on any mismatch, 2 on usage errors.
"""

import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.stderr.write("check-spec: python3-yaml is not installed (run 'make deps')\n")
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPE_WORDS = {"string", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
              "binary", "nest", "flag"}


class Checker:
    def __init__(self, verbose=False):
        self.errors = []
        self.checks = 0
        self.verbose = verbose

    def ok(self, cond, msg):
        self.checks += 1
        if not cond:
            self.errors.append(msg)
        return cond

    def note(self, msg):
        if self.verbose:
            print("check-spec: " + msg)


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


# ---------------------------------------------------------------- header --

def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def eval_c_expr(expr, names):
    """Evaluate a small integer C expression (literals, names, + - * << | ())."""
    expr = expr.strip()

    def sub(m):
        word = m.group(0)
        if re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+[uUlL]*", word):
            return str(int(word.rstrip("uUlL"), 0))
        if word in names and isinstance(names[word], int):
            return str(names[word])
        raise ValueError("unknown name '%s'" % word)

    py = re.sub(r"\b\w+\b", sub, expr)
    if not re.fullmatch(r"[\d\s+\-*()<>|&]+", py):
        raise ValueError("cannot evaluate '%s'" % expr)
    return int(eval(py, {"__builtins__": {}}, {}))  # digits and operators only


def parse_header(path):
    """Return (defines, enums): defines name -> int or str (with quotes
    removed); enums name -> list of (entry, value, comment)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    names = {}
    defines = {}
    for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]*(.*)$", text, flags=re.M):
        name, val = m.group(1), strip_comments(m.group(2)).strip()
        if not val:
            defines[name] = None
        elif val.startswith('"'):
            defines[name] = val.strip('"')
        else:
            try:
                defines[name] = eval_c_expr(val, defines)
            except ValueError:
                defines[name] = val
    names.update({k: v for k, v in defines.items() if isinstance(v, int)})

    enums = {}
    for m in re.finditer(r"\benum[ \t]+(\w+)[ \t]*\{(.*?)\}[ \t]*;", text, flags=re.S):
        ename, body = m.group(1), m.group(2)
        # An entry's comment starts on its line and may span several.
        comments = {}
        for lm in re.finditer(r"^[ \t]*(\w+)[^\n/]*/\*(.*?)\*/", body, flags=re.M | re.S):
            text = re.sub(r"\n\s*\*?", " ", lm.group(2))
            comments[lm.group(1)] = " ".join(text.split())
        entries = []
        value = -1
        for item in strip_comments(body).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                n, expr = item.split("=", 1)
                n = n.strip()
                value = eval_c_expr(expr, names)
            else:
                n = item
                value += 1
            names[n] = value
            entries.append((n, value, comments.get(n, "")))
        enums[ename] = entries
    return defines, enums


# ------------------------------------------------------------------ spec --

def enum_entries(defn):
    """(name, value, doc) of a definitions[] enum."""
    out = []
    value = defn.get("value-start", 0)
    first = True
    for e in defn.get("entries", []):
        if isinstance(e, str):
            e = {"name": e}
        if "value" in e:
            value = e["value"]
        elif not first:
            value += 1
        first = False
        out.append((e["name"], value, e))
    return out


def set_attrs(aset):
    """(name, value, attr) of an attribute set; YNL starts at 1."""
    out = []
    value = 1
    for a in aset.get("attributes", []):
        if "value" in a:
            value = a["value"]
        out.append((a["name"], value, a))
        value += 1
    return out


def check_spec_self(spec, ck):
    """Internal consistency of the spec."""
    defs = {d["name"]: d for d in spec.get("definitions", [])}
    sets = {s["name"]: s for s in spec.get("attribute-sets", [])}
    ck.ok(len(defs) == len(spec.get("definitions", [])), "spec: duplicate definition names")
    ck.ok(len(sets) == len(spec.get("attribute-sets", [])), "spec: duplicate attribute-set names")

    def limit_ok(v):
        if isinstance(v, int):
            return True
        if re.fullmatch(r"[su](8|16|32|64)-(min|max)", v):
            return True
        return v in defs and defs[v]["type"] == "const"

    for s in spec.get("attribute-sets", []):
        attrs = set_attrs(s)
        names = [a[0] for a in attrs]
        vals = [a[1] for a in attrs]
        ck.ok(len(set(names)) == len(names), "spec: set '%s': duplicate attribute names" % s["name"])
        ck.ok(len(set(vals)) == len(vals), "spec: set '%s': duplicate attribute values" % s["name"])
        for n, _, a in attrs:
            where = "spec: %s.%s" % (s["name"], n)
            if "nested-attributes" in a:
                ck.ok(a["nested-attributes"] in sets,
                      "%s: nested-attributes '%s' is no attribute set" % (where, a["nested-attributes"]))
            if a.get("type") == "nest":
                ck.ok("nested-attributes" in a, "%s: nest without nested-attributes" % where)
            if "enum" in a:
                ck.ok(a["enum"] in defs and defs[a["enum"]]["type"] in ("enum", "flags"),
                      "%s: enum '%s' is not defined" % (where, a["enum"]))
            for key in ("min", "max"):
                if key in a.get("checks", {}):
                    ck.ok(limit_ok(a["checks"][key]),
                          "%s: checks.%s '%s' is no constant" % (where, key, a["checks"][key]))

    mcgrps = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
    ops = spec["operations"]["list"]
    opnames = [o["name"] for o in ops]
    ck.ok(len(set(opnames)) == len(opnames), "spec: duplicate operation names")
    for o in ops:
        where = "spec: operation %s" % o["name"]
        aset = sets.get(o.get("attribute-set"))
        if not ck.ok(aset is not None, "%s: attribute-set '%s' unknown" % (where, o.get("attribute-set"))):
            continue
        known = {a["name"] for a in aset["attributes"]}
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                for attr in o.get(mode, {}).get(part, {}).get("attributes", []):
                    ck.ok(attr in known, "%s: %s %s attribute '%s' not in set '%s'"
                          % (where, mode, part, attr, aset["name"]))
        if "mcgrp" in o:
            ck.ok(o["mcgrp"] in mcgrps, "%s: mcgrp '%s' unknown" % (where, o["mcgrp"]))
        # Permissions: reads are open, every change needs CAP_NET_ADMIN over
        # the netns (GENL_UNS_ADMIN_PERM).
        flags = o.get("flags", [])
        is_read = "dump" in o or o["name"].endswith("-get")
        if "event" in o and "do" not in o and "dump" not in o:
            # Notification only: there is no request to permit.
            ck.ok(not flags, "%s: a notification takes no flags, has %s" % (where, flags))
        elif is_read:
            ck.ok(not flags, "%s: get/dump must be open to all, has flags %s" % (where, flags))
        else:
            ck.ok(flags == ["uns-admin-perm"],
                  "%s: changes state, needs flags [ uns-admin-perm ], has %s" % (where, flags))
    return defs, sets


def expected_items(spec, ck):
    """What the spec says the header holds: (defines, enums, attrinfo)."""
    fam = spec["name"]
    defines = {}
    enums = {}
    attrinfo = {}     # C enum entry name -> (spec attr dict, set name)

    defines[c_upper(spec.get("c-family-name", fam + "-family-name"))] = fam
    defines[c_upper(spec.get("c-version-name", fam + "-family-version"))] = spec.get("version", 1)
    for g in spec.get("mcast-groups", {}).get("list", []):
        defines[c_upper(g.get("c-define-name", "%s-mcgrp-%s" % (fam, g["name"])))] = g["name"]

    def_cnames = {}
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            cname = c_upper(d.get("name-prefix", fam + "-") + d["name"])
            defines[cname] = d["value"]
            def_cnames[d["name"]] = cname
        elif d["type"] == "enum":
            if not ck.ok(d.get("enum-name", "") is not None,
                         "spec: enum '%s': anonymous enums cannot be matched" % d["name"]):
                continue
            ename = c_lower(d.get("enum-name") or "%s-%s" % (fam, d["name"]))
            pfx = d.get("name-prefix", "%s-%s-" % (fam, d["name"]))
            items = [(c_upper(pfx + n), v) for n, v, _ in enum_entries(d)]
            if d.get("render-max"):
                cnt = c_upper(d.get("enum-cnt-name", "--" + pfx + "max"))
                items.append((cnt, items[-1][1] + 1))
                items.append((c_upper(pfx + "max"), items[-1][1] - 1))
            enums[ename] = items
            def_cnames[d["name"]] = ename
        else:
            ck.ok(False, "spec: definition '%s' of type %s is not supported here"
                  % (d["name"], d["type"]))

    for s in spec.get("attribute-sets", []):
        if not ck.ok(s.get("enum-name"), "spec: attribute set '%s' needs an enum-name" % s["name"]):
            continue
        ename = c_lower(s["enum-name"])
        pfx = s.get("name-prefix", "%s-%s-a-" % (fam, s["name"]))
        items = []
        for n, v, a in set_attrs(s):
            items.append((c_upper(pfx + n), v))
            attrinfo[c_upper(pfx + n)] = (a, s["name"])
        cnt = c_upper(s.get("attr-cnt-name", "--" + pfx + "max"))
        items.append((cnt, items[-1][1] + 1))
        items.append((c_upper(s.get("attr-max-name", pfx + "max")), items[-1][1] - 1))
        enums[ename] = items

    ops = spec["operations"]
    ename = c_lower(ops.get("enum-name") or fam + "-commands")
    pfx = ops.get("name-prefix", fam + "-cmd-")
    items = []
    value = 1
    for o in ops["list"]:
        if "value" in o:
            value = o["value"]
        items.append((c_upper(pfx + o["name"]), value))
        value += 1
    if items and items[0][1] != 0:
        # Generic netlink command 0 is reserved; the header names it UNSPEC.
        items.insert(0, (c_upper(pfx + "unspec"), 0))
    cnt = c_upper(spec.get("cmd-cnt-name", "--" + pfx + "max"))
    items.append((cnt, items[-1][1] + 1))
    items.append((c_upper(spec.get("cmd-max-name", pfx + "max")), items[-1][1] - 1))
    enums[ename] = items
    return defines, enums, attrinfo, def_cnames


def check_against_header(spec, defs, sets, hdr_defines, hdr_enums, ck):
    exp_defines, exp_enums, attrinfo, def_cnames = expected_items(spec, ck)

    # Defines, both ways (the include guard is not part of the interface).
    for name, val in exp_defines.items():
        if ck.ok(name in hdr_defines, "header lacks #define %s (spec: %r)" % (name, val)):
            ck.ok(hdr_defines[name] == val, "#define %s: header %r, spec %r"
                  % (name, hdr_defines[name], val))
    for name in hdr_defines:
        if name.startswith("_UAPI_"):
            continue
        ck.ok(name in exp_defines, "header #define %s is not described in the spec" % name)

    # Enums, both ways, entry by entry.
    for ename, items in exp_enums.items():
        if not ck.ok(ename in hdr_enums, "header lacks enum %s" % ename):
            continue
        hdr = [(n, v) for n, v, _ in hdr_enums[ename]]
        if hdr != items:
            for i in range(max(len(hdr), len(items))):
                h = hdr[i] if i < len(hdr) else None
                e = items[i] if i < len(items) else None
                if h != e:
                    ck.ok(False, "enum %s, position %d: header %s, spec %s"
                          % (ename, i, "%s = %d" % h if h else "(nothing)",
                             "%s = %d" % e if e else "(nothing)"))
                    break
        else:
            ck.ok(True, "")
    for ename in hdr_enums:
        ck.ok(ename in exp_enums, "header enum %s is not described in the spec" % ename)

    # Types, where the header's comment states them.
    set_prefix = {}
    set_enum = {}
    for s in spec.get("attribute-sets", []):
        set_prefix[s["name"]] = c_upper(s.get("name-prefix", "%s-%s-a-" % (spec["name"], s["name"])))
        set_enum[s["name"]] = c_lower(s.get("enum-name") or "")

    for ename, entries in hdr_enums.items():
        for cname, _, comment in entries:
            if cname not in attrinfo or not comment:
                continue
            attr, sname = attrinfo[cname]
            where = "%s (%s.%s)" % (cname, sname, attr["name"])
            words = re.findall(r"[\w.]+", comment)
            first = words[0] if words else ""
            if first not in TYPE_WORDS:
                continue
            ck.ok(attr.get("type") == first, "%s: header says %s, spec type %s"
                  % (where, first, attr.get("type")))
            m = re.match(r"binary, (\d+) bytes\b", comment)
            if m:
                ck.ok(attr.get("checks", {}).get("exact-len") == int(m.group(1)),
                      "%s: header says %s bytes, spec exact-len %s"
                      % (where, m.group(1), attr.get("checks", {}).get("exact-len")))
            m = re.search(r"\benum (\w+)", comment)
            if m and first != "nest":
                en = attr.get("enum")
                ck.ok(en is not None and def_cnames.get(en) == m.group(1),
                      "%s: header says enum %s, spec enum %s" % (where, m.group(1), en))
            if first == "nest":
                nested = attr.get("nested-attributes")
                m = re.search(r"\b(\w+)_\*", comment)
                if m:
                    ck.ok(set_prefix.get(nested, "").rstrip("_") == m.group(1).rstrip("_"),
                          "%s: header nests %s_*, spec nests set '%s'" % (where, m.group(1), nested))
                m = re.search(r"\benum (\w+)", comment)
                if m:
                    ck.ok(set_enum.get(nested) == m.group(1),
                          "%s: header nests enum %s, spec nests set '%s'" % (where, m.group(1), nested))
            if re.search(r"\b0/1\b", comment):
                ck.ok(attr.get("checks", {}).get("max") == 1,
                      "%s: header says 0/1, spec checks.max is %s"
                      % (where, attr.get("checks", {}).get("max")))
            m = re.search(r"\b(\w+)\.\.(\w+)\b", comment)
            if m:
                chk = attr.get("checks", {})
                for key, want in (("min", m.group(1)), ("max", m.group(2))):
                    have = chk.get(key)
                    if isinstance(have, str):
                        same = def_cnames.get(have) == want
                    else:
                        same = have is not None and (
                            hdr_defines.get(want) == have or
                            (want.isdigit() and int(want) == have))
                    ck.ok(same, "%s: header range %s..%s, spec checks.%s is %s"
                          % (where, m.group(1), m.group(2), key, have))

    # Named string limits: names are LSDP_NAME_SIZE - 1 bytes at most.
    size_c = def_cnames.get("name-size")
    if size_c and size_c in hdr_defines:
        for s in spec.get("attribute-sets", []):
            for a in s["attributes"]:
                if a.get("type") == "string" and a["name"].endswith("-name"):
                    ck.ok(a.get("checks", {}).get("max-len") == hdr_defines[size_c] - 1,
                          "%s.%s: max-len should be %s - 1 = %d"
                          % (s["name"], a["name"], size_c, hdr_defines[size_c] - 1))


NLA_TYPES = {"NLA_U8": "u8", "NLA_U16": "u16", "NLA_U32": "u32", "NLA_U64": "u64",
             "NLA_S8": "s8", "NLA_S16": "s16", "NLA_S32": "s32", "NLA_S64": "s64",
             "NLA_UINT": "uint", "NLA_SINT": "sint", "NLA_STRING": "string",
             "NLA_NUL_STRING": "string", "NLA_BINARY": "binary", "NLA_FLAG": "flag",
             "NLA_NESTED": "nest", "NLA_BITFIELD32": "bitfield32"}


def policy_entry(value, macros):
    """(spec type, nested policy name or None) of one nla_policy initializer."""
    value = value.strip().rstrip(",").strip()
    for _ in range(4):
        if value in macros:
            value = macros[value]
    m = re.match(r"NLA_POLICY_NESTED(?:_ARRAY)?\(\s*(\w+)", value)
    if m:
        return "nest", m.group(1)
    if re.match(r"NLA_POLICY_(EXACT_LEN|MIN_LEN|ETH_ADDR)", value):
        return "binary", None
    m = re.search(r"\b(NLA_[A-Z0-9_]+)\b(?!\s*\()", value)
    while m and m.group(1).startswith("NLA_POLICY"):
        m = re.search(r"\b(NLA_[A-Z0-9_]+)\b(?!\s*\()", value[m.end():])
    return (NLA_TYPES.get(m.group(1), m.group(1)) if m else "?"), None


def parse_kmod(path):
    with open(path, encoding="utf-8") as f:
        text = strip_comments(f.read())
    text = re.sub(r"\\\n", " ", text)
    macros = {}
    for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+)$", text, flags=re.M):
        macros[m.group(1)] = m.group(2).strip()
    policies = {}
    for m in re.finditer(r"struct nla_policy\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\s*\}\s*;",
                         text, flags=re.S):
        entries = {}
        for em in re.finditer(r"^\s*\[(\w+)\]\s*=\s*(.+?)\s*$", m.group(2), flags=re.M):
            entries[em.group(1)] = policy_entry(em.group(2), macros)
        policies[m.group(1)] = entries
    ops = []
    m = re.search(r"struct genl_(?:small_)?ops\s+\w+\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\}\s*;",
                  text, flags=re.S)
    if m:
        for blk in re.finditer(r"\{([^{}]*)\}", m.group(1)):
            fields = dict(re.findall(r"\.(\w+)\s*=\s*([^,]+?)\s*,?\s*(?=\.\w+\s*=|$)",
                                     " ".join(blk.group(1).split())))
            ops.append(fields)
    return policies, ops


def check_against_kmod(spec, sets, path, ck):
    policies, kops = parse_kmod(path)
    rel = os.path.relpath(path)
    if not ck.ok(kops, "%s: no genl_ops array found" % rel):
        return
    _, exp_enums, attrinfo, _ = expected_items(spec, Checker())
    ops = spec["operations"]
    pfx = ops.get("name-prefix", spec["name"] + "-cmd-")
    by_cmd = {c_upper(pfx + o["name"]): o for o in ops["list"]}
    seen = set()
    set_pfx = {n: c_upper(s.get("name-prefix", "%s-%s-a-" % (spec["name"], n)))
               for n, s in sets.items()}

    def check_policy(where, pname, want, aset):
        """want: spec attr name -> attr dict expected in policy pname."""
        pol = policies.get(pname)
        if not ck.ok(pol is not None, "%s: policy %s not found in %s" % (where, pname, rel)):
            return
        have = {}
        for cname, (typ, nested) in pol.items():
            info = attrinfo.get(cname)
            if not ck.ok(info is not None and info[1] == aset,
                         "%s: policy %s accepts %s, not an attribute of set '%s'"
                         % (where, pname, cname, aset)):
                continue
            have[info[0]["name"]] = (typ, nested, cname)
        for n in sorted(set(want) - set(have)):
            ck.ok(False, "%s: spec request has %s, policy %s does not accept it"
                  % (where, n, pname))
        for n in sorted(set(have) - set(want)):
            ck.ok(False, "%s: policy %s accepts %s, the spec request does not list it"
                  % (where, pname, have[n][2]))
        for n in sorted(set(have) & set(want)):
            typ, nested, cname = have[n]
            ck.ok(typ == want[n]["type"], "%s: %s is %s in policy %s, %s in the spec"
                  % (where, cname, typ, pname, want[n]["type"]))
            if nested and want[n].get("nested-attributes") in sets:
                nset = sets[want[n]["nested-attributes"]]
                inner = {a["name"]: a for a in nset["attributes"]
                         if a["type"] not in ("unused", "pad")}
                check_policy("%s (nest %s)" % (where, n), nested, inner, nset["name"])

    for k in kops:
        cmd = k.get("cmd", "?")
        where = "%s: genl op %s" % (rel, cmd)
        o = by_cmd.get(cmd)
        if not ck.ok(o is not None, "%s: not in the spec" % where):
            continue
        seen.add(cmd)
        ck.ok(("doit" in k) == ("do" in o), "%s: doit %s, spec %s do"
              % (where, "present" if "doit" in k else "absent", "has" if "do" in o else "has no"))
        ck.ok(("dumpit" in k) == ("dump" in o), "%s: dumpit %s, spec %s dump"
              % (where, "present" if "dumpit" in k else "absent", "has" if "dump" in o else "has no"))
        kflags = set(re.findall(r"GENL_(\w*ADMIN_PERM)", k.get("flags", "")))
        kflags = {f.lower().replace("_", "-") for f in kflags}
        ck.ok(kflags == set(o.get("flags", [])), "%s: flags %s, spec %s"
              % (where, sorted(kflags) or "none", o.get("flags", "none")))
        aset = o.get("attribute-set")
        want = {}
        for mode in ("do", "dump"):
            for n in o.get(mode, {}).get("request", {}).get("attributes", []):
                for a in sets[aset]["attributes"]:
                    if a["name"] == n:
                        want[n] = a
        if "policy" in k:
            check_policy(where, k["policy"], want, aset)
        else:
            ck.ok(not want, "%s: no policy, but the spec request lists %s" % (where, sorted(want)))
    for cmd, o in by_cmd.items():
        if "event" in o and "do" not in o and "dump" not in o:
            ck.ok(cmd not in seen, "%s: notification %s must not be a genl op" % (rel, cmd))
            continue
        ck.ok(cmd in seen, "%s: spec operation %s has no genl op" % (rel, cmd))
    ck.note("cross-checked %d genl ops and %d policies of %s" % (len(kops), len(policies), rel))

    # Everything the module accepts comes from the spec: no hand-written
    # policy or ops table beside the generated ones.
    for name in sorted(os.listdir(os.path.dirname(path))):
        other = os.path.join(os.path.dirname(path), name)
        if not name.endswith(".c") or os.path.samefile(other, path):
            continue
        with open(other, encoding="utf-8") as f:
            text = strip_comments(f.read())
        for m in re.finditer(r"struct (nla_policy|genl_(?:small_)?ops)\s+(\w+)\s*\[", text):
            ck.ok(False, "%s: hand-written %s %s; describe it in the spec and run "
                  "'make genl'" % (os.path.relpath(other), m.group(1), m.group(2)))


def check_schema(spec, spec_path, schema_path, require, ck):
    if schema_path is None:
        proto = spec.get("protocol", "genetlink")
        schema_path = os.path.join(os.path.dirname(os.path.abspath(spec_path)), proto + ".yaml")
    if not os.path.exists(schema_path):
        ck.ok(not require, "schema %s not found" % schema_path)
        print("check-spec: SKIP schema validation: %s not found" % schema_path)
        return
    try:
        import jsonschema
    except ImportError:
        ck.ok(not require, "python3-jsonschema is not installed (run 'make deps')")
        print("check-spec: SKIP schema validation: python3-jsonschema not installed")
        return
    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    validator = jsonschema.Draft7Validator(schema)
    errs = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
    for e in errs:
        ck.ok(False, "schema %s: at /%s: %s" % (os.path.basename(schema_path),
                                               "/".join(str(p) for p in e.path), e.message))
    if not errs:
        ck.ok(True, "")
        ck.note("valid against %s" % schema_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=os.path.join(ROOT, "Documentation/netlink/lsdp.yaml"))
    ap.add_argument("--header", default=os.path.join(ROOT, "include/uapi/linux/lsdp.h"))
    ap.add_argument("--schema", default=None,
                    help="YNL schema (default: <protocol>.yaml beside the spec)")
    ap.add_argument("--require-schema", action="store_true",
                    help="fail instead of skipping when the schema cannot be checked")
    ap.add_argument("--kmod", default=os.path.join(ROOT, "kmod/genl_gen.c"),
                    help="module source with the genl_ops and policies (checked if it exists)")
    ap.add_argument("--no-kmod", action="store_true", help="skip the module source check")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    ck = Checker(args.verbose)
    try:
        with open(args.spec, encoding="utf-8") as f:
            first = f.readline()
            f.seek(0)
            spec = yaml.safe_load(f)
        hdr_defines, hdr_enums = parse_header(args.header)
    except (OSError, yaml.YAMLError, ValueError) as e:
        print("check-spec: error: %s" % e, file=sys.stderr)
        return 2

    ck.ok(first.startswith("# SPDX-License-Identifier: "),
          "spec: first line must be an SPDX-License-Identifier (YNL requires it)")
    check_schema(spec, args.spec, args.schema, args.require_schema, ck)
    try:
        defs, sets = check_spec_self(spec, ck)
        check_against_header(spec, defs, sets, hdr_defines, hdr_enums, ck)
        if not args.no_kmod and os.path.exists(args.kmod):
            check_against_kmod(spec, sets, args.kmod, ck)
    except (KeyError, TypeError) as e:
        ck.ok(False, "spec: malformed (%s: %s)" % (type(e).__name__, e))

    spec_rel = os.path.relpath(args.spec)
    hdr_rel = os.path.relpath(args.header)
    if ck.errors:
        for e in ck.errors:
            print("check-spec: error: %s" % e, file=sys.stderr)
        print("check-spec: FAIL: %s does not match %s (%d of %d checks failed)"
              % (spec_rel, hdr_rel, len(ck.errors), ck.checks), file=sys.stderr)
        return 1
    print("check-spec: OK: %s matches %s (%d checks)" % (spec_rel, hdr_rel, ck.checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
