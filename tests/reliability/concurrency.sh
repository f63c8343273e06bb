#!/bin/sh
# concurrency.sh - readers while syncs run, and two syncs at once.
#
# Readers. The store starts at version A of a generated repository; one
# process syncs it to B, back to A, to B ... (each sync a new version
# whose graph alternates between the two), while three reader loops run
# `kgsh -c` on the same file. Every reader run must exit 0 and see one
# whole version: its answer (node count, weight sum and edge count, read
# in one statement) must be exactly A's or exactly B's, and `status`, run
# by one of the loops, must never fail on a lock. The store is read by
# kgsh as a user would: no retries here.
#
# Writers. Two `kgsh sync --ref B` started together on a store at A: one
# makes version 2; the other either finds nothing left to do once the
# first is done (exit 0, "Already up to date") or says that another sync
# is running (exit 2 and that message). Never two new versions, never a
# failure without that message, and the store ends at B.
#
# Environment: KG_SLOW=1 for 20 syncs and 20 sync pairs (default 6 and 4).
. "$(dirname "$0")/lib.sh"
need sqlite3 git python3 md5sum

if [ "$SLOW" = 1 ]; then nsync=20 npairs=20 notes=3000; else nsync=6 npairs=4 notes=1500; fi
REPO=$T/repo.git
$GEN versions "$REPO" "$notes" || exit 2
DB=$T/store.db
Q='MATCH (n) WITH count(n) AS c, sum(n.weight) AS w MATCH ()-[r]->() RETURN c, w, count(r)'

"$KGSH" --db "$DB" --dataset "$REPO" sync --ref A >/dev/null 2>&1 || { fail "sync A"; finish; }
ans_a=$("$KGSH" --db "$DB" --no-headers -c "$Q" 2>&1)
cp "$DB" "$T/b.db"
"$KGSH" --db "$T/b.db" sync --ref B >/dev/null 2>&1 || { fail "sync B"; finish; }
ans_b=$("$KGSH" --db "$T/b.db" --no-headers -c "$Q" 2>&1)
[ "$ans_a" != "$ans_b" ] || { fail "A and B must answer differently"; finish; }
note "A: $ans_a   B: $ans_b"

# ---- readers during syncs ----
reader() { # ID: loop until the stop file appears; print "runs bad"
    runs=0 bad=0
    while [ ! -f "$T/stop" ]; do
        runs=$((runs + 1))
        if [ "$1" = 3 ] && [ $((runs % 4)) = 0 ]; then
            "$KGSH" --db "$DB" status >"$T/r$1.out" 2>&1 ||
                { bad=$((bad + 1)); echo "reader $1: status failed: $(cat "$T/r$1.out")" >&2; }
            continue
        fi
        got=$("$KGSH" --db "$DB" --no-headers -c "$Q" 2>&1)
        rc=$?
        if [ "$rc" != 0 ] || { [ "$got" != "$ans_a" ] && [ "$got" != "$ans_b" ]; }; then
            bad=$((bad + 1))
            echo "reader $1: exit $rc, saw '$got'" >&2
        fi
    done
    echo "$runs $bad" >"$T/reader$1"
}
rm -f "$T/stop"
for r in 1 2 3; do reader "$r" & done
sync_fail=0 i=0
while [ "$i" -lt "$nsync" ]; do
    i=$((i + 1))
    ref=B
    [ $((i % 2)) = 0 ] && ref=A
    "$KGSH" --db "$DB" sync --ref "$ref" >"$T/sync.out" 2>&1 ||
        { sync_fail=$((sync_fail + 1)); echo "sync $i: $(cat "$T/sync.out")"; }
done
touch "$T/stop"
wait
runs=0 bad=0
for r in 1 2 3; do
    set -- $(cat "$T/reader$r")
    runs=$((runs + $1))
    bad=$((bad + $2))
done
check "every sync succeeds while readers run ($sync_fail failed)" [ "$sync_fail" = 0 ]
check "every reader run succeeds and sees a whole version ($bad of $runs bad)" \
    [ "$bad" = 0 ]
check "readers ran while the syncs ran ($runs runs)" [ "$runs" -ge 3 ]
check "each sync made a version" [ "$(latest_version "$DB")" = $((nsync + 1)) ]
ic=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
check "integrity_check after the syncs: $ic" [ "$ic" = ok ]
note "$nsync syncs with 3 readers: $runs reader runs, $bad bad"

# ---- two syncs at once ----
"$KGSH" --db "$T/old.db" --dataset "$REPO" sync --ref A >/dev/null 2>&1
waited=0 refused=0 pairs_bad=0 p=0
while [ "$p" -lt "$npairs" ]; do
    p=$((p + 1))
    rm -f "$T/two.db" "$T/two.db-wal" "$T/two.db-shm"
    cp "$T/old.db" "$T/two.db"
    "$KGSH" --db "$T/two.db" sync --ref B >"$T/s1" 2>&1 &
    p1=$!
    # together, or the second once the first is into its transaction
    [ $((p % 2)) = 0 ] && sleep 0.4
    "$KGSH" --db "$T/two.db" sync --ref B >"$T/s2" 2>&1 &
    p2=$!
    wait "$p1"; rc1=$?
    wait "$p2"; rc2=$?
    v=$(latest_version "$T/two.db")
    for k in 1 2; do
        eval rc=\$rc$k
        if [ "$rc" = 0 ]; then
            grep -q '^Already up to date' "$T/s$k" && waited=$((waited + 1))
        elif [ "$rc" = 2 ] && grep -q 'another sync is running' "$T/s$k"; then
            refused=$((refused + 1))
        else
            pairs_bad=$((pairs_bad + 1))
            echo "pair $p, sync $k: exit $rc: $(cat "$T/s$k")"
        fi
    done
    check "pair $p: one new version, not $((v - 1))" [ "$v" = 2 ]
    check "pair $p: the store ends at B" \
        [ "$("$KGSH" --db "$T/two.db" --no-headers -c "$Q" 2>&1)" = "$ans_b" ]
done
check "two syncs at once: every outcome is success or 'another sync is running'" \
    [ "$pairs_bad" = 0 ]
note "$npairs pairs of syncs: $refused refused with 'another sync is running', $waited found the work done"
figure "concurrency" "$nsync syncs under 3 readers ($runs reader runs, $bad bad); $npairs sync pairs ($refused refused, $waited up to date, $pairs_bad bad)"
finish
