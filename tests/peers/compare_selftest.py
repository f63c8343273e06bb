#!/usr/bin/env python3
"""compare_selftest.py BENCH_QUERY_PY - the differential test's own check:
bench_query.py table --check must fail on every kind of disagreement, and
pass a walk-vs-trail difference only when the peer's trail twin agrees.
Without this, a comparison that always passed would go unnoticed.
"""
import os
import subprocess
import sys
import tempfile

QUERIES = """\
[q01_1hop_any] MATCH (a)-[r]-(b) RETURN type(r) AS type, b.id AS id ORDER BY type, id
[q04_2hop_undirected_fixed] MATCH (a)-[]-(b)-[]-(c) RETURN count(*) AS walks
[q13_unordered] MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS n
"""
KGSH = {
    "q01_1hop_any": ['["A", "x"]', '["B", "y"]'],
    "q04_2hop_undirected_fixed": ["[61]"],
    "q13_unordered": ['["Concept", 2]', '["Service", 3]'],
}


def out(results, extra=None, errors=()):
    lines = ["@@ENGINE test", "@@CALIBRATE return1_roundtrip_median_ms=0.5"]
    for name, rows in list(results.items()) + list((extra or {}).items()):
        lines.append("@@QUERY %s median_ms=1.0 runs=1 rows=%d" % (name, len(rows)))
        if name in errors:
            lines.append("@@ERROR %s boom" % name)
        else:
            lines += rows
    return "\n".join(lines) + "\n"


def check(tmp, label, kuzu, want, kgsh=None):
    k = os.path.join(tmp, "kgsh.out")
    z = os.path.join(tmp, "kuzu.out")
    q = os.path.join(tmp, "queries.cypher")
    open(k, "w").write(kgsh or out(KGSH))
    open(z, "w").write(kuzu)
    open(q, "w").write(QUERIES)
    p = subprocess.run([sys.executable, sys.argv[1], "table", k, "--kuzu", z, "--queries", q, "--check"],
                       capture_output=True, text=True)
    ok = p.returncode == want
    print("%-4s %s (exit %d, want %d)" % ("ok" if ok else "FAIL", label, p.returncode, want))
    if not ok:
        print(p.stdout, p.stderr)
    return ok


def main():
    twin = {"q05_2hop_undirected_trail": ["[61]"]}
    walk = dict(KGSH, q04_2hop_undirected_fixed=["[69]"])
    with tempfile.TemporaryDirectory() as tmp:
        results = [
            check(tmp, "identical answers pass", out(KGSH, twin), 0),
            check(tmp, "rows swapped under ORDER BY fail",
                  out(dict(KGSH, q01_1hop_any=KGSH["q01_1hop_any"][::-1]), twin), 1),
            check(tmp, "rows swapped without ORDER BY pass",
                  out(dict(KGSH, q13_unordered=KGSH["q13_unordered"][::-1]), twin), 0),
            check(tmp, "a different value fails",
                  out(dict(KGSH, q13_unordered=['["Concept", 2]', '["Service", 4]']), twin), 1),
            check(tmp, "a missing row fails", out(dict(KGSH, q01_1hop_any=['["A", "x"]']), twin), 1),
            check(tmp, "walk vs trail passes when the trail twin agrees", out(walk, twin), 0),
            check(tmp, "walk vs trail fails when the trail twin differs",
                  out(walk, {"q05_2hop_undirected_trail": ["[60]"]}), 1),
            check(tmp, "walk vs trail fails without a trail twin", out(walk), 1),
            check(tmp, "a peer error fails", out(KGSH, twin, errors={"q13_unordered"}), 1),
            check(tmp, "a kgsh error fails", out(KGSH, twin), 1,
                  kgsh=out(KGSH, errors={"q01_1hop_any"})),
            check(tmp, "a query the peer lacks fails",
                  out({k: v for k, v in KGSH.items() if k != "q13_unordered"}, twin), 1),
        ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
