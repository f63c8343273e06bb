#!/bin/sh
# valgrind.sh - kgsh's commands under valgrind: no invalid access, no leak.
#
# Each command runs under `valgrind --leak-check=full --error-exitcode=99`
# on a small repository with links, a table, a note with errors and
# control characters: sync (first and incremental), queries that succeed,
# fail to parse, fail at run time, write in memory; status, log, check,
# show, search, every export format, dot-commands. A valgrind error or a
# definite or possible leak fails the test (exit 99 from valgrind, told
# apart from kgsh's own exit codes). Label "valgrind": it takes a minute.
. "$(dirname "$0")/lib.sh"
need valgrind git
if grep -q __asan_init "$KGSH"; then
    echo "SKIP: kgsh is built with a sanitizer; valgrind needs a plain build"
    exit 0
fi

REPO=$T/repo
git init -q -b main "$REPO" || exit 2
mkdir -p "$REPO/notes" "$REPO/tables"
printf -- '---\nkind: [Service, Managed]\naliases: [SM]\nlaunched: 2017-11-29\nlinks:\n  in_layer: ml\n---\nSageMaker [[Studio]] and [[nowhere]].\n' >"$REPO/notes/SageMaker.md"
printf -- '---\nid: studio\nname: Studio\nkind: Service\nlinks:\n  part_of: SageMaker\n---\nA web IDE \033[2J.\n' >"$REPO/notes/Studio.md"
printf -- '---\nkind: Layer\nname: ML\n---\n' >"$REPO/notes/ml.md"
printf -- '---\nkind: [Broken\n---\nbad front matter\n' >"$REPO/notes/broken.md"
printf ':ID,:LABEL,name:String,score:Int\nt1,Table,One,1\nt2,Table,Two,x\n' >"$REPO/tables/t.csv"
git -C "$REPO" add -A && git -C "$REPO" commit -qm one || exit 2
DB=$T/v.db
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=99 --track-fds=no"
runs=0

vg() { # WHAT ARGS...: kgsh under valgrind; 99 is valgrind's verdict
    what=$1
    shift
    $VG "$KGSH" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    runs=$((runs + 1))
    if [ "$rc" = 99 ] || grep -q '^==[0-9]*==' "$T/err"; then
        fail "$what: valgrind reports:"
        grep '^==' "$T/err" | head -40
    else
        ok
    fi
    [ "$rc" -lt 128 ] || fail "$what: killed by a signal (exit $rc)"
}

vg "first sync" --db "$DB" --dataset "$REPO" sync
printf -- '---\nkind: Layer\nname: ML layer\n---\nedited\n' >"$REPO/notes/ml.md"
git -C "$REPO" commit -qam two
vg "incremental sync" --db "$DB" sync
vg "sync, nothing to do" --db "$DB" sync
vg "query" --db "$DB" -c 'MATCH (a)-[r]->(b) RETURN a, r, b ORDER BY a.name;'
vg "aggregate and varlen" --db "$DB" --mode json -c \
    'MATCH p=(a)-[*1..3]-(b) RETURN a.name, count(DISTINCT b) AS n, collect(length(p))[0..3] ORDER BY n DESC;'
vg "syntax error" --db "$DB" -c 'MATCH (n RETURN n;'
vg "runtime error" --db "$DB" -c 'RETURN [1, 2, 4.x];'
vg "writes in memory" --db "$DB" -c "CREATE (a:X {s: 'q'})-[:R]->(b:Y) SET b.t = 1 WITH a MATCH (a)-->(c) DETACH DELETE c RETURN count(*);"
vg "USE an older version" --db "$DB" -c "USE '#1' MATCH (n:Layer) RETURN n.name;"
vg "status" --db "$DB" status
vg "log" --db "$DB" log
vg "check" --db "$DB" check
vg "show" --db "$DB" show studio
vg "search" --db "$DB" search IDE
for f in dot graphml json cypher; do
    vg "export $f" --db "$DB" export --format "$f" 'MATCH (a)-[r]->(b) RETURN a, r, b'
done
vg "export csv" --db "$DB" export --format csv -o "$T/csvout"
vg "dot-commands" --db "$DB" -c '.mode json
.param x 42
.param s '"'"'it'"'"''"'"'s'"'"'
MATCH (n) WHERE n.name <> $s RETURN n.name LIMIT $x;
.last
.explain MATCH (n) RETURN n
.schema
.diff #1 #2
.history studio
.at #1
MATCH (n) RETURN count(n);
.nosuch
.help export'
vg "usage error" --db "$DB" --mode nosuch -c 'RETURN 1;'
figure "valgrind" "$runs kgsh runs under valgrind --leak-check=full, $FAILS with errors"
finish
