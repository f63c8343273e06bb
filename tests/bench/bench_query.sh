#!/bin/bash
# bench_query.sh NODES EDGES [REPEATS] - query speed beside Kùzu, same graph, same run.
#
# Generates the peers' synthetic graph (../shared/peers/gen_graph.py), writes
# it as Neptune openCypher CSV into a git repository, syncs it into a kgsh
# store, times every question in process (bench_query), runs Kùzu on the
# same CSVs when it is installed under /tmp/peers (see ../shared/peers/README.md),
# and prints medians, answers agreement and the kgsh/Kùzu ratio per query.
#   e.g. tests/bench/bench_query.sh 100000 1000000 5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="$root/../shared/peers"
N=${1:-100000} E=${2:-1000000} R=${3:-5}
build="${BUILD:-$root/build}"
kgsh="$build/shell/kgsh"
bq="$build/tests/bench/bench_query"
work="${TMPDIR:-/tmp}/kgsh-bench-query-$N-$E"
rm -rf "$work"; mkdir -p "$work/repo"

python3 "$peers/gen_graph.py" "$N" "$E" "$work/data" > /dev/null
python3 - "$work/data" "$work/repo" <<'PY'
import csv, sys, os
src, dst = sys.argv[1], sys.argv[2]
with open(os.path.join(src, "nodes.csv")) as f, open(os.path.join(dst, "nodes.csv"), "w", newline="") as g:
    r = csv.reader(f); next(r); w = csv.writer(g, lineterminator="\n")
    w.writerow([":ID", ":LABEL", "name:String", "status:String", "created:String", "score:Int", "tags:String"])
    for row in r: w.writerow(row)
with open(os.path.join(src, "edges.csv")) as f, open(os.path.join(dst, "edges.csv"), "w", newline="") as g:
    r = csv.reader(f); next(r); w = csv.writer(g, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE", "weight:Int", "since:Int"])
    for row in r: w.writerow(row)
PY
git -C "$work/repo" init -q
git -C "$work/repo" add .
git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -qm "generated graph"

echo "== kgsh sync of $N nodes, $E edges"
t0=$(date +%s%N)
"$kgsh" sync --db "$work/kg.db" --dataset "$work/repo" > /dev/null
echo "sync_ms=$(( ($(date +%s%N) - t0) / 1000000 ))"
"$bq" "$work/kg.db" "$here/queries.cypher" "$work/data/params.json" "$R" > "$work/kgsh.out"
grep '^@@LOAD' "$work/kgsh.out"

if [ -d /tmp/peers/node_modules/kuzu ]; then
    NODE_PATH=/tmp/peers/node_modules node "$peers/kuzu_run.js" "$work/data" \
        "$peers/queries.cypher" "$R" 120000 > "$work/kuzu.out"
    python3 "$peers/compare.py" "$work/kgsh.out" "$work/kuzu.out" | sed 's/^kuzu  :/kgsh  :/; s/^sqlite:/kuzu  :/; s/kuzu_ms   sqlite_ms/kgsh_ms     kuzu_ms/' || true
    python3 - "$work/kgsh.out" "$work/kuzu.out" <<'PY'
import sys, re
def med(p):
    d = {}
    for l in open(p):
        m = re.match(r"@@QUERY (\S+) median_ms=([\d.]+)", l)
        if m: d[m.group(1)] = float(m.group(2))
    return d
a, b = med(sys.argv[1]), med(sys.argv[2])
print("%-44s %10s %10s %8s" % ("query", "kgsh_ms", "kuzu_ms", "ratio"))
for q in a:
    if q in b:
        print("%-44s %10.4f %10.4f %8.3f" % (q, a[q], b[q], a[q] / b[q] if b[q] else float("nan")))
PY
else
    echo "(Kùzu not installed under /tmp/peers: kgsh figures only)"
    grep '^@@' "$work/kgsh.out"
fi
