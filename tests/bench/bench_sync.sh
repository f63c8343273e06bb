#!/bin/sh
# bench_sync.sh - sync benchmarks for kgsh; prints figures, asserts nothing.
#
# Usage: tests/bench/bench_sync.sh BUILD_DIR [WORK_DIR]
#
# Environment (defaults in brackets):
#   N_LARGE [100000]  notes in the large repository
#   N_SMALL [1000]    notes in the small repository
#   EDGES   [1000000] rows of the edge table
#   RUNS    [5]       runs per figure; the median is printed
#   KGSH    []        a kgsh binary: time `kgsh sync --db F --dataset R --ref X`
#                     instead of BUILD_DIR/tests/bench/bench_sync
#   PARTS   [full incremental import]  which figures to measure
#
# Figures:
#   full sync of N_LARGE notes into a new store (target < 5 s);
#   incremental sync after one note changed, at N_SMALL and N_LARGE notes
#     (target < 50 ms each): the store alternates between tags c1 and c2,
#     which differ in one note;
#   import of an EDGES-row Neptune CSV table, against the sqlite3 CLI in the
#     same run: `.import` of the same rows (1) into a plain table with no
#     index: the store keeps a document's edges in one blob (schema 2), so
#     it has no per-edge index either, and this is the issue's yardstick;
#     (2) into a staging table then INSERT ... SELECT into a one-row-per-edge
#     table with provenance columns and two indexes, WAL and
#     synchronous=FULL (the layout of store schema 1), for scale;
#   peak resident memory of each kind of sync (/usr/bin/time -v when
#     present, else the driver's own getrusage);
#   store size per node and per edge.
# Wall times include opening and closing the store, as a command-line sync
# pays them. Repositories are generated once into WORK_DIR and reused.
set -eu

B=${1:?usage: bench_sync.sh BUILD_DIR [WORK_DIR]}
W=${2:-$B/bench-sync}
N_LARGE=${N_LARGE:-100000}
N_SMALL=${N_SMALL:-1000}
EDGES=${EDGES:-1000000}
RUNS=${RUNS:-5}
KGSH=${KGSH:-}
PARTS=${PARTS:-full incremental import}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$B/tests/bench/bench_sync
TIMEV=
[ -x /usr/bin/time ] && TIMEV=/usr/bin/time

[ -n "$KGSH" ] || [ -x "$BENCH" ] || {
    echo "build bench_sync first: cmake --build $B --target bench_sync" >&2
    exit 2
}
mkdir -p "$W"

gen() { # kind count name
    [ -d "$W/$3" ] && return 0
    echo "generating $3 ($2 $1)..." >&2
    python3 "$HERE/gen_notes.py" "$1" "$2" "$W/$3"
}

now_ns() { date +%s%N; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan";
    else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# sync DB REPO REF -> prints "wall_ms maxrss_kb cpu_ms". cpu = user + sys:
# the driver's own getrusage figure (0.1 ms resolution) with bench_sync,
# else /usr/bin/time's (10 ms), else the wall time. On a shared machine the
# CPU time is the steadier figure; both are printed.
sync_once() {
    db=$1 repo=$2 ref=$3
    if [ -n "$KGSH" ]; then
        set -- "$KGSH" sync --db "$db" --dataset "$repo" --ref "$ref"
    else
        set -- "$BENCH" "$db" "$repo" "$ref"
    fi
    t0=$(now_ns)
    if [ -n "$TIMEV" ]; then
        $TIMEV -v "$@" >"$W/out.txt" 2>"$W/time.txt" || {
            cat "$W/out.txt" "$W/time.txt" >&2; exit 1; }
        rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$W/time.txt")
        cpu=$(awk -F': ' '/User time|System time/ {s += $2}
                          END {printf "%.0f", s * 1000}' "$W/time.txt")
    else
        "$@" >"$W/out.txt" || { cat "$W/out.txt" >&2; exit 1; }
        rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$W/out.txt")
        cpu=
    fi
    t1=$(now_ns)
    own=$(sed -n 's/.*cpu_ms=\([0-9.]*\).*/\1/p' "$W/out.txt")
    [ -n "$own" ] && cpu=$own
    echo "$(( (t1 - t0) / 1000 ))" "${rss:-0}" "${cpu:-}" |
        awk '{printf "%.1f %d %s\n", $1 / 1000, $2, $3 == "" ? $1 / 1000 : $3}'
}

fresh() { rm -f "$1" "$1-wal" "$1-shm"; }
# keep NAME: append the last run's wall, rss and cpu to NAME.{ms,rss,cpu}
keep() {
    awk '{print $1}' "$W/r.txt" >>"$W/$1.ms"
    awk '{print $2}' "$W/r.txt" >>"$W/$1.rss"
    awk '{print $3}' "$W/r.txt" >>"$W/$1.cpu"
}
new_runs() { : >"$W/$1.ms"; : >"$W/$1.rss"; : >"$W/$1.cpu"; }
size_of() { du -b "$1" "$1-wal" 2>/dev/null | awk '{s+=$1} END {print s+0}'; }

gen notes "$N_SMALL" small.git
gen notes "$N_LARGE" large.git
gen edges "$EDGES" edges.git

echo "kgsh sync benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
     "load $(cut -d" " -f1-3 /proc/loadavg), runs=$RUNS," \
     "driver=${KGSH:-bench_sync}"

# ---- full sync ----
if want full; then
new_runs full
i=0
while [ $i -lt "$RUNS" ]; do
    fresh "$W/full.db"
    sync_once "$W/full.db" "$W/large.git" c1 >"$W/r.txt"
    keep full
    i=$((i + 1))
done
full_ms=$(median <"$W/full.ms")
full_rss=$(median <"$W/full.rss")
counts=$("$B/tests/bench/bench_sync" "$W/full.db" "$W/large.git" c1 --count)
nodes=$(echo "$counts" | sed -n 's/.*nodes=\([0-9]*\).*/\1/p')
edges=$(echo "$counts" | sed -n 's/.*edges=\([0-9]*\).*/\1/p')
full_size=$(size_of "$W/full.db")
echo "full sync, $N_LARGE notes:      median $full_ms ms wall," \
     "$(median <"$W/full.cpu") ms CPU (target < 5000), peak RSS ${full_rss} KB"
echo "  store: $full_size bytes, $nodes nodes, $edges edges:" \
     "$(awk -v s="$full_size" -v n="$nodes" 'BEGIN{printf "%.0f", s/n}') B/node," \
     "$(awk -v s="$full_size" -v e="$edges" 'BEGIN{printf "%.0f", s/e}') B/edge" \
     "(whole file over each)"
fi

# ---- incremental sync ----
incremental() { # name notes
    db=$W/inc-$1.db
    fresh "$db"
    sync_once "$db" "$W/$1.git" c1 >/dev/null
    new_runs inc
    i=0 ref=c2
    while [ $i -lt "$RUNS" ]; do
        sync_once "$db" "$W/$1.git" $ref >"$W/r.txt"
        grep -q 'parsed=1 ' "$W/out.txt" 2>/dev/null || [ -n "$KGSH" ] || {
            echo "incremental sync parsed more than one file:" >&2
            cat "$W/out.txt" >&2; exit 1; }
        keep inc
        [ $ref = c2 ] && ref=c1 || ref=c2
        i=$((i + 1))
    done
    echo "incremental sync, $2 notes:  median $(median <"$W/inc.ms") ms" \
         "wall, $(median <"$W/inc.cpu") ms CPU (target < 50)," \
         "peak RSS $(median <"$W/inc.rss") KB"
}
if want incremental; then
    incremental small "$N_SMALL"
    incremental large "$N_LARGE"
fi

# ---- table import vs sqlite3 ----
want import || exit 0
new_runs imp; new_runs sq1; new_runs sq2
cat >"$W/plain.sql" <<EOF
CREATE TABLE edges(src TEXT, dst TEXT, type TEXT, weight INTEGER);
.import --csv --skip 1 $W/edges.git.csv edges
EOF
cat >"$W/indexed.sql" <<EOF
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE edges(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,
 src TEXT NOT NULL, type TEXT NOT NULL, dst TEXT NOT NULL, props TEXT,
 line INTEGER NOT NULL, col INTEGER NOT NULL, v_from INTEGER NOT NULL,
 v_to INTEGER);
CREATE INDEX edges_live ON edges(path_id) WHERE v_to IS NULL;
CREATE INDEX edges_ended ON edges(v_to) WHERE v_to IS NOT NULL;
CREATE TEMP TABLE stage(s TEXT, d TEXT, t TEXT, w TEXT);
.import --csv --skip 1 $W/edges.git.csv stage
BEGIN;
INSERT INTO edges(path_id, src, type, dst, props, line, col, v_from)
 SELECT 1, s, t, d, json_object('weight', CAST(w AS INTEGER)), rowid + 1, 1, 1
 FROM stage;
COMMIT;
EOF
i=0
while [ $i -lt "$RUNS" ]; do
    fresh "$W/imp.db"
    sync_once "$W/imp.db" "$W/edges.git" main >"$W/r.txt"
    keep imp
    for v in plain indexed; do
        fresh "$W/sq.db"
        [ $v = plain ] && f=sq1 || f=sq2
        if [ -n "$TIMEV" ]; then
            t0=$(now_ns)
            $TIMEV -v sqlite3 "$W/sq.db" <"$W/$v.sql" >/dev/null 2>"$W/time.txt"
            t1=$(now_ns)
            awk -F': ' '/User time|System time/ {s += $2}
                        END {printf "%.0f\n", s * 1000}' "$W/time.txt" \
                >>"$W/$f.cpu"
            awk -F': ' '/Maximum resident/ {print $2}' "$W/time.txt" \
                >>"$W/$f.rss"
        else
            t0=$(now_ns)
            sqlite3 "$W/sq.db" <"$W/$v.sql" >/dev/null
            t1=$(now_ns)
            echo "$(( (t1 - t0) / 1000000 ))" >>"$W/$f.cpu"
        fi
        echo "$(( (t1 - t0) / 1000000 ))" >>"$W/$f.ms"
    done
    i=$((i + 1))
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
imp=$(median <"$W/imp.ms"); impc=$(median <"$W/imp.cpu")
sq1=$(median <"$W/sq1.ms"); sq1c=$(median <"$W/sq1.cpu")
sq2=$(median <"$W/sq2.ms"); sq2c=$(median <"$W/sq2.cpu")
imp_size=$(size_of "$W/imp.db")
echo "import, $EDGES-edge CSV:    median $imp ms wall, $impc ms CPU," \
     "peak RSS $(median <"$W/imp.rss") KB, store" \
     "$(awk -v s="$imp_size" -v e="$EDGES" 'BEGIN{printf "%.0f", s/e}') B/edge"
echo "  sqlite3 .import, plain table:    median $sq1 ms wall, $sq1c ms CPU," \
     "peak RSS $(median <"$W/sq1.rss") KB" \
     "(kgsh/sqlite3: wall $(ratio "$imp" "$sq1"), CPU $(ratio "$impc" "$sq1c"))"
echo "  sqlite3 .import + row-per-edge table, 2 indexes: median $sq2 ms wall, $sq2c ms CPU" \
     "(kgsh/sqlite3: wall $(ratio "$imp" "$sq2"), CPU $(ratio "$impc" "$sq2c"))"
