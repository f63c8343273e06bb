#!/bin/sh
# export_kuzu.sh - kgsh's openCypher CSV export loaded into Kùzu answers
# the questions of export_kuzu.queries as kgsh does (export_kuzu.js loads
# and compares). Three graphs: the bundled dataset, the peers' generated
# graph (gen_graph.py, when python3 and ../shared/peers are there), and a
# small one made here with what the format must carry: several labels, a
# label holding ';', one property with an Int, a String and a list value,
# the empty string beside an absent property, list items with ';' and '\'.
#
# Each export is also committed to a new git repository and synced by kgsh:
# the store must have the fingerprint of the one exported (the round trip).
#
# usage: export_kuzu.sh KGSH PEERS_SCRIPTS WORKDIR kuzu|roundtrip
#   roundtrip  only the round trip (needs git, not Kùzu)
# env:   KG_PEERS_DIR (node_modules with kuzu; default /tmp/peers)
# Exit 77 (CTest: skipped) with the reason when, for `kuzu`, node or the
# kuzu module is missing; 1 when an answer or a fingerprint differs.
set -eu
kgsh=$1 peers=$2 work=$3 mode=$4
here="$(cd "$(dirname "$0")" && pwd)"
pdir="${KG_PEERS_DIR:-/tmp/peers}"

skip() { echo "SKIP: $*"; exit 77; }
[ "$mode" = roundtrip ] || [ "$mode" = kuzu ] || { echo "usage: export_kuzu.sh KGSH PEERS WORK kuzu|roundtrip" >&2; exit 2; }
[ "$mode" = roundtrip ] || command -v node > /dev/null || skip "node is not installed"
[ "$mode" = roundtrip ] || NODE_PATH="$pdir/node_modules" node -e "const k=require('kuzu');new k.Connection(new k.Database(':memory:')).query('RETURN 1 AS x').then(r=>r.getAll()).then(()=>process.stdout.write('ok'))" 2> /dev/null | grep -qx ok ||
    skip "the kuzu module does not load from $pdir/node_modules (install it with tests/peers/setup_kuzu.sh, or set KG_PEERS_DIR)"

rm -rf "$work"
mkdir -p "$work"
fail=0
# compare NAME STORE: export STORE as openCypher CSV; sync the export back
# (same fingerprint); load it into Kùzu and ask.
compare() {
    "$kgsh" export --db "$2" --format csv -o "$work/$1-csv"
    mkdir -p "$work/$1-rt"
    cp "$work/$1-csv/nodes.csv" "$work/$1-csv/edges.csv" "$work/$1-rt/"
    commit "$work/$1-rt"
    sync "$1-rt" "$work/$1-rt"
    a="$("$kgsh" status --db "$2" | grep '^fingerprint,')"
    b="$("$kgsh" status --db "$work/$1-rt.db" --dataset "$work/$1-rt" | grep '^fingerprint,')"
    if [ "$a" = "$b" ]; then
        echo "$1 round trip: same $a"
    else
        echo "$1 round trip: $a, after the CSV export and sync $b"
        fail=1
    fi
    [ "$mode" = kuzu ] || return 0
    NODE_PATH="$pdir/node_modules" node "$here/export_kuzu.js" "$kgsh" "$2" \
        "$work/$1-csv" "$here/export_kuzu.queries" "$1" || fail=1
}
# sync NAME REPO: a store of REPO's HEAD.
sync() {
    "$kgsh" sync --db "$work/$1.db" ${2:+--dataset "$2"} > "$work/$1.sync.log" 2>&1 ||
        { cat "$work/$1.sync.log"; exit 1; }
}
commit() {
    git -C "$1" init -q
    git -C "$1" add .
    git -C "$1" -c user.name=peers -c user.email=peers@localhost commit -qm data
}

sync bundled ""
compare bundled "$work/bundled.db"

if command -v python3 > /dev/null && [ -f "$peers/gen_graph.py" ]; then
    python3 "$peers/gen_graph.py" 400 2000 "$work/gen" --seed 11 > /dev/null
    python3 "$here/../bench/bench_query.py" neptune "$work/gen" "$work/gen-repo"
    commit "$work/gen-repo"
    sync generated "$work/gen-repo"
    compare generated "$work/generated.db"
else
    echo "generated: python3 or $peers/gen_graph.py missing; graph not checked"
fi

m="$work/mixed-repo"
mkdir -p "$m"
cat > "$m/svc-a.md" << 'NOTE'
---
kind: [Service, Managed]
weight: 3
note: ""
tags: ["a;b", 'back\slash\', c]
links:
  uses: [svc-b, svc-c]
---
Uses [[odd]].
NOTE
cat > "$m/svc-b.md" << 'NOTE'
---
kind: Service
weight: heavy
tags: ['\;', 'x\\y']
---
NOTE
cat > "$m/svc-c.md" << 'NOTE'
---
kind: [Managed, Tool]
weight: [1, 2]
note: "n"
links:
  uses: svc-a
---
NOTE
cat > "$m/odd.md" << 'NOTE'
---
kind: ["A;B", 'C\']
---
NOTE
printf 'No front matter; see [[svc-a]].\n' > "$m/plain.md"
commit "$m"
sync mixed "$m"
compare mixed "$work/mixed.db"
exit $fail
