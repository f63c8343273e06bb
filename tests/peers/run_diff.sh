#!/bin/sh
# run_diff.sh - the peers' differential test: the same generated graph in
# kgsh and in a real peer engine (Kùzu and/or the sqlite3 CLI), every
# question of tests/bench/queries.cypher asked of both, answers compared
# (tests/bench/bench_query.py table --check: same rows, in the same order
# when the query has ORDER BY; walk-vs-trail differences pass only when the
# peer's trail twin gives kgsh's answer).
#
# usage: run_diff.sh KGSH BENCH_QUERY PEERS_SCRIPTS WORKDIR kuzu|sqlite|both
# env:   KG_PEERS_DIR (node_modules with kuzu; default /tmp/peers),
#        PEERS_NODES / PEERS_EDGES / PEERS_SEED (default 2000 / 10000 / 42)
set -eu
kgsh=$1 bq=$2 peers=$3 work=$4 which=$5
here="$(cd "$(dirname "$0")" && pwd)"
bench="$here/../bench"
pdir="${KG_PEERS_DIR:-/tmp/peers}"
n=${PEERS_NODES:-2000} e=${PEERS_EDGES:-10000} seed=${PEERS_SEED:-42}

rm -rf "$work"
mkdir -p "$work/repo"
python3 "$peers/gen_graph.py" "$n" "$e" "$work/data" --seed "$seed" > /dev/null
python3 "$bench/bench_query.py" neptune "$work/data" "$work/repo"
git -C "$work/repo" init -q
git -C "$work/repo" add .
git -C "$work/repo" -c user.name=peers -c user.email=peers@localhost commit -qm "generated graph"
"$kgsh" sync --db "$work/kg.db" --dataset "$work/repo" > "$work/sync.log" 2>&1 ||
    { cat "$work/sync.log"; exit 1; }
# The store must hold the whole graph: a file skipped at sync would make
# every answer differ for a reason that is not the query engine's.
"$kgsh" status --db "$work/kg.db" --dataset "$work/repo" > "$work/status.csv"
grep -qx "nodes,$n" "$work/status.csv" && grep -qx "edges,$e" "$work/status.csv" ||
    { echo "run_diff: the store does not hold $n nodes and $e edges:"; cat "$work/status.csv"; exit 1; }

# The benchmark's questions, then extra.cypher's. One timed run per query:
# this is about answers, not speed.
cat "$bench/queries.cypher" "$here/extra.cypher" > "$work/kgsh.cypher"
"$bq" "$work/kg.db" "$work/kgsh.cypher" "$work/data/params.json" 1 --budget-ms 0 > "$work/kgsh.out"
set -- "$work/kgsh.out"
if [ "$which" = kuzu ] || [ "$which" = both ]; then
    cat "$peers/queries.cypher" "$bench/bench_query.kuzu.cypher" "$here/extra.kuzu.cypher" > "$work/kuzu.cypher"
    NODE_PATH="$pdir/node_modules" node "$peers/kuzu_run.js" "$work/data" "$work/kuzu.cypher" 1 60000 > "$work/kuzu.out"
    set -- "$@" --kuzu "$work/kuzu.out"
fi
if [ "$which" = sqlite ] || [ "$which" = both ]; then
    cat "$peers/queries.sql" "$bench/bench_query.sqlite.sql" "$here/extra.sql" > "$work/sqlite.sql"
    python3 "$peers/sqlite_run.py" "$work/data" "$work/sqlite.sql" 1 --timeout-s 60 > "$work/sqlite.out"
    set -- "$@" --sqlite "$work/sqlite.out"
fi
python3 "$bench/bench_query.py" table "$@" --queries "$work/kgsh.cypher" --check
