#!/usr/bin/env python3
"""bench_query.py - helpers of bench_query.sh and of the peers' differential
test (tests/peers/): the Neptune conversion and the comparison table.

usage:
  bench_query.py neptune DATADIR REPO
      gen_graph.py's nodes.csv/edges.csv as Neptune openCypher CSV in REPO:
      nodes.csv and edges-NNN.csv of at most 200,000 rows each (kgsh skips
      a file over 64 MiB).
  bench_query.py table KGSH.out [--kuzu KUZU.out] [--sqlite SQLITE.out]
                 --queries QUERIES.cypher [--sync SYNC.time] [--check]
      One row per kgsh query: kgsh median, Kùzu median (and net of Kùzu's
      fixed per-query cost, its @@CALIBRATE), the ratios, and whether the
      answers agree. With --check: exit 1 when an answer differs for a
      reason not listed below, or a query failed, or has no counterpart.

Agreement: a query whose text has ORDER BY must give the same rows in the
same order (every query in queries.cypher orders totally); one without
must give the same rows as a multiset.

Known, explained differences (never hidden: the verdict names them):
- walk vs trail: Kùzu's patterns repeat edges (walks) unless asked for
  "* TRAIL"; openCypher never uses one relationship twice in a MATCH
  pattern. TRAIL_TWIN maps a kgsh query to the Kùzu (or SQL) query asking the
  same question under trails; the difference counts as explained only when
  the twin's answer equals kgsh's.
- LIKE: the SQL side of q21 uses LIKE, which is ASCII case-insensitive.
"""
import argparse
import csv
import json
import math
import os
import re
import sys

# kgsh name -> the peer's name for the same question under trail semantics
TRAIL_TWIN = {
    "kuzu": {"q04_2hop_undirected_fixed": "q05_2hop_undirected_trail",
             "q10_varlen_1_3_anytype_undirected_reach":
                 "q10t_varlen_1_3_anytype_undirected_trail_reach"},
    "sqlite": {"q04_2hop_undirected_fixed": "q05_2hop_undirected_trail",
               "q10_varlen_1_3_anytype_undirected_reach":
                   "q10t_varlen_1_3_anytype_undirected_trail_reach"},
}
# kgsh name -> the peer's name when the names differ but the question is the same
ALIAS = {"sqlite": {"q04w_2hop_undirected_fixed_walk": "q04_2hop_undirected_fixed"}}
# (peer, kgsh name) -> why the answers are expected to differ
EXPECTED = {("sqlite", "q21_starts_with_lowercase_vs_like"):
            "LIKE is case-insensitive, STARTS WITH is not"}
ISSUE = [  # the issue's question list -> queries
    ("1-hop neighbours by key", ["q01_1hop_any", "q01b_1hop_any_labeled_start", "q02_1hop_out_typed"]),
    ("2-hop with a type filter", ["q03_2hop_typed", "q04_2hop_undirected_fixed", "q05_2hop_undirected_trail"]),
    ("a *1..3 count", ["q07_varlen_1_3_out_trail", "q09_varlen_1_3_undirected_trail",
                       "q10_varlen_1_3_anytype_undirected_reach"]),
    ("a shortest path", ["q11_shortest_undirected", "q12_shortest_directed_dep"]),
    ("count by label", ["q13_count_by_kind", "q14_count_by_type"]),
    ("the top 10 by degree", ["q15_top10_degree"]),
    ("a property filter with CONTAINS", ["q17_starts_with_or_contains", "q18_contains_scan_all_labels"]),
    ("ORDER BY with LIMIT", ["q19_orderby_limit_agg", "q20_orderby_prop_limit"]),
]
ONE_HOP_TARGET_MS = 0.1


def neptune(datadir, repo, chunk=200000):
    os.makedirs(repo, exist_ok=True)
    with open(os.path.join(datadir, "nodes.csv")) as f, \
            open(os.path.join(repo, "nodes.csv"), "w", newline="") as g:
        r = csv.reader(f)
        if next(r) != ["id", "kind", "name", "status", "created", "score", "tags"]:
            sys.exit("neptune: unexpected nodes.csv header")
        w = csv.writer(g, lineterminator="\n")
        w.writerow([":ID", ":LABEL", "name:String", "status:String", "created:String",
                    "score:Int", "tags:String"])
        w.writerows(r)
    with open(os.path.join(datadir, "edges.csv")) as f:
        r = csv.reader(f)
        if next(r) != ["src", "dst", "type", "weight", "since"]:
            sys.exit("neptune: unexpected edges.csv header")
        g, part, n = None, 0, 0
        for row in r:
            if g is None or n == chunk:
                if g:
                    g.close()
                g = open(os.path.join(repo, "edges-%03d.csv" % part), "w", newline="")
                w = csv.writer(g, lineterminator="\n")
                w.writerow([":START_ID", ":END_ID", ":TYPE", "weight:Int", "since:Int"])
                part, n = part + 1, 0
            w.writerow(row)
            n += 1
        if g:
            g.close()


def parse(path):
    """Runner output -> (header lines by tag, {name: result}, [names in order])."""
    head, res, order, cur = {}, {}, [], None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("@@QUERY"):
            parts = line.split()
            cur = parts[1]
            kv = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
            res[cur] = {"kv": kv, "rows": [], "error": None}
            order.append(cur)
        elif line.startswith("@@ERROR"):
            p = line.split(None, 2)
            if p[1] not in res:
                res[p[1]] = {"kv": {}, "rows": [], "error": None}
            res[p[1]]["error"] = p[2] if len(p) > 2 else "?"
        elif line.startswith("@@"):
            tag = line.split()[0][2:]
            head.setdefault(tag, []).append(line[len(tag) + 3:])
        elif cur is not None and line:
            res[cur]["rows"].append(norm(json.loads(line)))
    return head, res, order


def norm(v):
    """Floats to 9 significant digits, so 0.1+0.2 style noise is not a DIFF."""
    if isinstance(v, float):
        return float("%.9g" % v) if math.isfinite(v) else v
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v


def ordered_queries(path):
    """name -> True when the query text has ORDER BY (row order matters)."""
    out = {}
    for line in open(path):
        m = re.match(r"\s*\[([^\]]+)\]\s*(.*)", line)
        if m:
            out[m.group(1)] = re.search(r"\bORDER\s+BY\b", m.group(2), re.I) is not None
    return out


def agree(a, b, ordered):
    if a["error"] or b["error"]:
        return None
    if a["rows"] == b["rows"]:
        return "SAME"
    if sorted(map(json.dumps, a["rows"])) == sorted(map(json.dumps, b["rows"])):
        return "SAME-SET" if not ordered else "ORDER-DIFF"
    return "DIFF"


def verdict(peer, name, k, p, ordered):
    """(text, ok) for kgsh's k against the peer's results p."""
    pname = ALIAS.get(peer, {}).get(name, name)
    if pname not in p:
        return "no %s query %s" % (peer, pname), False
    a, b = k[name], p[pname]
    if a["error"] or b["error"]:
        return "ERROR kgsh=%s %s=%s" % (a["error"], peer, b["error"]), False
    v = agree(a, b, ordered)
    if v in ("SAME", "SAME-SET"):
        return v + ("" if pname == name else " (as %s)" % pname), True
    first = next((i for i, (x, y) in enumerate(zip(a["rows"] + [None] * len(b["rows"]),
                                                    b["rows"] + [None] * len(a["rows"])))
                  if x != y), 0)
    detail = "first@%d kgsh=%s %s=%s" % (
        first, json.dumps(a["rows"][first] if first < len(a["rows"]) else None),
        peer, json.dumps(b["rows"][first] if first < len(b["rows"]) else None))
    twin = TRAIL_TWIN.get(peer, {}).get(name)
    if twin and twin in p and agree(a, p[twin], ordered) in ("SAME", "SAME-SET"):
        return "walk vs trail only: %s; kgsh = %s %s" % (detail, peer, twin), True
    if (peer, name) in EXPECTED:
        return "expected %s (%s): %s" % (v, EXPECTED[(peer, name)], detail), True
    return "%s %s" % (v, detail), False


def fnum(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return float("nan")


def calib(head):
    for line in head.get("CALIBRATE", []):
        m = re.search(r"median_ms=([\d.]+)", line)
        if m:
            return float(m.group(1))
    return 0.0


def table(a):
    kh, k, korder = parse(a.kgsh)
    ordered = ordered_queries(a.queries)
    peers = {}
    if a.kuzu:
        peers["kuzu"] = parse(a.kuzu)
    if a.sqlite:
        peers["sqlite"] = parse(a.sqlite)
    bad = []

    print("load:")
    if a.sync and os.path.exists(a.sync):
        line = open(a.sync).read().strip().splitlines()[-1]
        m = re.search(r"sync_peak_rss_kb=(\d+)", line)
        if m:
            line = line.replace(m.group(0), "sync_peak_rss_mb=%.1f" % (int(m.group(1)) / 1024))
        print("  kgsh sync (git -> store, process): %s" % line)
    for line in kh.get("LOAD", []):
        print("  kgsh graph build (store -> memory): %s" % line)
    for peer, (ph, _, _) in peers.items():
        for line in ph.get("LOAD", []):
            print("  %s: %s" % (peer, line))
        if peer == "kuzu" and a.kuzu_time and os.path.exists(a.kuzu_time):
            line = open(a.kuzu_time).read().strip().splitlines()[-1]
            m = re.search(r"kuzu_peak_rss_kb=(\d+)", line)
            if m:
                line = line.replace(m.group(0), "kuzu_peak_rss_mb=%.1f" % (int(m.group(1)) / 1024))
            print("  kuzu process (node, load + every query): %s" % line)
        print("  %s fixed per-query cost (calibrate): %.3f ms" % (peer, calib(ph)))
    print()

    kz = peers.get("kuzu", ({}, {}, []))
    kcal = calib(kz[0])
    stats = {}
    if "kuzu" in peers or not peers:
        hdr = "%-42s %10s %9s %5s %10s %10s %8s %8s %6s %9s  %s" % (
            "query", "kgsh_ms", "kgsh_cpu", "runs", "kuzu_ms", "kuzu_net", "ratio", "r_net",
            "faster", "rows", "answers vs Kùzu")
        print(hdr)
        print("-" * len(hdr))
    for q in korder:
        r = k[q]
        km = fnum(r["kv"].get("median_ms"))
        zr = kz[1].get(q)
        zm = fnum(zr["kv"].get("median_ms")) if zr else float("nan")
        net = max(zm - kcal, 0.001) if zm == zm else float("nan")
        ratio, rnet = km / zm if zm else float("nan"), km / net if net == net else float("nan")
        faster = "-" if rnet != rnet else ("yes" if rnet < 1 else "NO")
        stats[q] = (km, zm, ratio, rnet, faster)
        rows = "%d/%s" % (len(r["rows"]), len(zr["rows"]) if zr else "-")
        if "kuzu" in peers:
            v, ok = verdict("kuzu", q, k, kz[1], ordered.get(q, True))
            if not ok:
                bad.append((q, "kuzu", v))
        else:
            v = "-"
        if r["error"]:
            v, ok = "kgsh ERROR %s" % r["error"], False
            bad.append((q, "kgsh", v))
        if "kuzu" in peers or not peers:
            print("%-42s %10.4f %9.4f %5s %10.3f %10.3f %8.3f %8.3f %6s %9s  %s" % (
                q, km, fnum(r["kv"].get("cpu_ms")), r["kv"].get("runs", "-"), zm, net, ratio,
                rnet, faster, rows, v))
    if "sqlite" in peers:
        sh, s, _ = peers["sqlite"]
        if "kuzu" in peers:
            print()
        print("%-42s %10s %10s %9s  %s" % ("query", "kgsh_ms", "sqlite_ms", "rows", "answers vs sqlite3"))
        for q in korder:
            sq = ALIAS["sqlite"].get(q, q)
            v, ok = verdict("sqlite", q, k, s, ordered.get(q, True))
            if not ok:
                bad.append((q, "sqlite", v))
            sm = fnum(s[sq]["kv"].get("median_ms")) if sq in s else float("nan")
            print("%-42s %10.4f %10.3f %9s  %s" % (
                q, fnum(k[q]["kv"].get("median_ms")), sm,
                "%d/%s" % (len(k[q]["rows"]), len(s[sq]["rows"]) if sq in s else "-"), v))

    if kh.get("SWEEP"):
        print()
        for line in kh["SWEEP"]:
            m = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
            med, p99 = fnum(m.get("median_ms")), fnum(m.get("p99_ms"))
            print("1-hop sweep %s over %s keys: median %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us (%s, %s rows max)"
                  " -> target < %.0f us: %s" % (
                      line.split()[0], m.get("keys"), med * 1e3, fnum(m.get("p90_ms")) * 1e3,
                      p99 * 1e3, fnum(m.get("max_ms")) * 1e3, m.get("max_key"), m.get("rows_max"),
                      ONE_HOP_TARGET_MS * 1e3,
                      "met (median and p99)" if p99 < ONE_HOP_TARGET_MS else
                      "met at the median, not at p99" if med < ONE_HOP_TARGET_MS else "NOT met"))
    if "kuzu" in peers:
        print()
        print("the issue's questions (target: faster than Kùzu on every one, judged on r_net):")
        for what, qs in ISSUE:
            got = [(q, stats[q]) for q in qs if q in stats]
            if not got:
                continue
            slow = [q for q, s in got if s[4] != "yes"]
            print("  %-34s %s  %s" % (what, "faster" if got and not slow else "NOT faster: " + ", ".join(slow),
                                      " ".join("%s=%.3g" % (q.split("_")[0], s[3]) for q, s in got)))
    print()
    if bad:
        print("unexplained differences or errors: %d" % len(bad))
        for q, peer, v in bad:
            print("  %s vs %s: %s" % (q, peer, v))
    else:
        print("answers: every query agrees, or differs for an explained reason only")
    return 1 if (a.check and bad) else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("neptune")
    n.add_argument("datadir")
    n.add_argument("repo")
    t = sub.add_parser("table")
    t.add_argument("kgsh")
    t.add_argument("--kuzu")
    t.add_argument("--sqlite")
    t.add_argument("--queries", required=True)
    t.add_argument("--sync")
    t.add_argument("--kuzu-time")
    t.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if a.cmd == "neptune":
        neptune(a.datadir, a.repo)
        return 0
    return table(a)


if __name__ == "__main__":
    sys.exit(main())
