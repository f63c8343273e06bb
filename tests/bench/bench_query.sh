#!/bin/bash
# bench_query.sh NODES EDGES [REPEATS] - query speed beside Kùzu, same graph, same run.
#
# Generates the peers' synthetic graph (../shared/peers/gen_graph.py), writes
# it as Neptune openCypher CSV into a git repository, syncs it into a fresh
# kgsh store (time and peak memory), times every question in process
# (bench_query: graph build time and memory, medians, a 1-hop-by-key sweep
# over 200 keys), runs Kùzu on the same CSVs when it is installed (see
# ../peers/setup_kuzu.sh), and prints compare.py's answer check and
# bench_query.py's table: medians, kgsh/Kùzu ratio, agreement per query.
#   e.g. BUILD=/work/build-peers tests/bench/bench_query.sh 100000 1000000 5
#
# bench_query.sh profile QUERY [NODES EDGES [SECONDS]] - perf profile of one
# query over the store a previous run left in WORK: bench_query runs it in a
# loop (--spin-ms) and `perf record -g -p` samples it for SECONDS (default
# 10); prints the flat (self) and the inclusive profile. Frame-pointer builds
# give whole call chains: cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo
# -DCMAKE_C_FLAGS=-fno-omit-frame-pointer, then BUILD=that-dir.
#
# Environment:
#   BUILD         the build directory (default ROOT/build)
#   KG_PEERS_DIR  where kuzu is installed under node_modules (default /tmp/peers)
#   PEERS         the peers' scripts (default ROOT/../shared/peers)
#   WORK          the work directory (default $TMPDIR/kgsh-bench-query-N-E); the
#                 generated graph and repository are kept there and reused
#                 (gen_graph.py is deterministic); FRESH=1 starts over
#   SQLITE=1      also run the sqlite3 CLI peer (slow at 1M edges: minutes)
#   KUZU=0        skip Kùzu
#   SWEEP         sweep spec for bench_query (default q01_1hop_any:A:200 and q02)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="${PEERS:-$root/../shared/peers}"
mode=bench
if [ "${1:-}" = profile ]; then
    mode=profile
    pq=${2:?usage: bench_query.sh profile QUERY [NODES EDGES [SECONDS]]}
    shift 2
    secs=${3:-10}
fi
N=${1:-100000} E=${2:-1000000} R=${3:-5}
build="${BUILD:-$root/build}"
kgsh="$build/shell/kgsh"
bq="$build/tests/bench/bench_query"
pdir="${KG_PEERS_DIR:-/tmp/peers}"
work="${WORK:-${TMPDIR:-/tmp}/kgsh-bench-query-$N-$E}"
sweep=${SWEEP:-"--sweep q01_1hop_any:A:200 --sweep q02_1hop_out_typed:A:200"}
need=("$bq"); [ "$mode" = bench ] && need+=("$kgsh")
for f in "${need[@]}"; do
    [ -x "$f" ] || { echo "bench_query.sh: $f missing: build first (BUILD=$build)" >&2; exit 2; }
done
if [ "$mode" = profile ]; then
    [ -f "$work/kg.db" ] || { echo "bench_query.sh: no store in $work: run the benchmark first" >&2; exit 2; }
    command -v perf > /dev/null || { echo "bench_query.sh: perf is not installed" >&2; exit 2; }
    out="$work/profile-$pq"
    rm -f "$out.txt"
    "$bq" "$work/kg.db" "$here/queries.cypher" "$work/data/params.json" 5 --only "$pq" \
        --budget-ms 0 --spin-ms $(( (secs + 60) * 1000 )) --quiet > "$out.txt" &
    pid=$!
    # the graph loads first (seconds at 1M edges): sample only the query
    while ! grep -q '^@@\(QUERY\|ERROR\)' "$out.txt" 2> /dev/null; do
        kill -0 $pid 2> /dev/null || { cat "$out.txt"; exit 1; }
        sleep 0.2
    done
    grep '^@@' "$out.txt"
    perf record -F 1999 -g -p $pid -o "$out.data" -- sleep "$secs" > /dev/null 2>&1
    kill $pid 2> /dev/null; wait $pid 2> /dev/null || true
    echo "== self"
    perf report -i "$out.data" --no-children -g none --percent-limit 1.5 --stdio 2> /dev/null | grep -v '^#' | grep -v '^$'
    echo "== inclusive"
    perf report -i "$out.data" --children -g none --percent-limit 5 --stdio 2> /dev/null | grep -v '^#' | grep -v '^$'
    echo "(perf data: $out.data)"
    exit 0
fi
[ "${FRESH:-0}" = 1 ] && rm -rf "$work"
mkdir -p "$work"

if [ ! -f "$work/data/params.json" ]; then
    echo "== generating $N nodes, $E edges"
    python3 "$peers/gen_graph.py" "$N" "$E" "$work/data" > /dev/null
fi
if [ ! -d "$work/repo/.git" ]; then
    rm -rf "$work/repo"; mkdir -p "$work/repo"
    # kgsh skips a file over 64 MiB (KG_NOTE_MAX_BYTES): edges go in files of
    # 200,000 rows (~15 MB), as Neptune bulk loads are usually split.
    python3 "$here/bench_query.py" neptune "$work/data" "$work/repo"
    git -C "$work/repo" init -q
    git -C "$work/repo" add .
    git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -qm "generated graph"
fi

echo "== kgsh sync of $N nodes, $E edges (fresh store)"
rm -f "$work/kg.db" "$work/kg.db-wal" "$work/kg.db-shm"
/usr/bin/time -f "sync_wall_s=%e sync_peak_rss_kb=%M" -o "$work/sync.time" \
    "$kgsh" sync --db "$work/kg.db" --dataset "$work/repo" > "$work/sync.log" 2>&1 ||
    { cat "$work/sync.log" >&2; exit 1; }
tail -1 "$work/sync.time"
"$kgsh" status --db "$work/kg.db" --dataset "$work/repo" | grep -E '^(nodes|edges|diagnostics),'

echo "== kgsh queries (in process, bench_query)"
# shellcheck disable=SC2086
"$bq" "$work/kg.db" "$here/queries.cypher" "$work/data/params.json" "$R" $sweep > "$work/kgsh.out"
grep -E '^@@(LOAD|CALIBRATE|SWEEP|ERROR)' "$work/kgsh.out"

args=("$work/kgsh.out")
if [ "${KUZU:-1}" != 0 ] && [ -d "$pdir/node_modules/kuzu" ] && command -v node > /dev/null; then
    echo "== Kùzu (kuzu_run.js, $R timed runs per query)"
    cat "$peers/queries.cypher" "$here/bench_query.kuzu.cypher" > "$work/kuzu.cypher"
    NODE_PATH="$pdir/node_modules" /usr/bin/time -f "kuzu_process_wall_s=%e kuzu_peak_rss_kb=%M" \
        -o "$work/kuzu.time" node "$peers/kuzu_run.js" "$work/data" \
        "$work/kuzu.cypher" "$R" 120000 > "$work/kuzu.out"
    grep -E '^@@(ENGINE|LOAD|CALIBRATE)' "$work/kuzu.out"
    tail -1 "$work/kuzu.time"
    echo "== compare.py kgsh vs Kùzu (its columns: first file = kgsh, second = Kùzu)"
    python3 "$peers/compare.py" "$work/kgsh.out" "$work/kuzu.out" |
        sed 's/^kuzu  :/kgsh  :/; s/^sqlite:/kuzu  :/; s/ kuzu_ms    sqlite_ms/ kgsh_ms      kuzu_ms/' || true
    args+=(--kuzu "$work/kuzu.out" --kuzu-time "$work/kuzu.time")
else
    echo "(Kùzu not installed under $pdir: run tests/peers/setup_kuzu.sh; kgsh figures only)"
fi
if [ "${SQLITE:-0}" = 1 ]; then
    echo "== sqlite3 CLI (sqlite_run.py)"
    cat "$peers/queries.sql" "$here/bench_query.sqlite.sql" > "$work/sqlite.sql"
    python3 "$peers/sqlite_run.py" "$work/data" "$work/sqlite.sql" "$R" --timeout-s 120 > "$work/sqlite.out"
    grep -E '^@@(ENGINE|LOAD)' "$work/sqlite.out"
    args+=(--sqlite "$work/sqlite.out")
fi
echo "== summary"
python3 "$here/bench_query.py" table "${args[@]}" --queries "$here/queries.cypher" \
    --sync "$work/sync.time"
echo "(outputs in $work)"
