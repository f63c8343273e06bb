#!/bin/sh
# crash_sync.sh - SIGKILL `kgsh sync` at random moments; nothing is lost.
#
# A repository has two versions far apart (gen_repo.py versions: B edits
# every note of A, removes a tenth, adds a tenth), so that syncing B over A
# rewrites most of the store and takes a while. The store synced to A is
# the "old" state; the same store synced on to B, without interruption, is
# the "new" one; both are summed up by the md5 of their full JSON export
# (sorted, so equal graphs give equal bytes) and by their fingerprint.
#
# Each trial copies the old store, starts `kgsh sync --ref B` on the copy
# and kills it with SIGKILL after a random delay between 0 and 1.2 times
# the time an uninterrupted sync took (measured first, so the spread fits
# the machine's speed and load). Then the store must:
#   - pass `PRAGMA integrity_check` (the sqlite3 CLI);
#   - open in kgsh: `status` exits 0;
#   - hold exactly the old or the new version: newest version 1 with the
#     old graph and fingerprint, or 2 with the new ones, never a mix;
#   - and, every third trial, take the interrupted sync again to exactly
#     the new graph.
# A few trials kill the very first sync into an empty store instead: then
# the store holds no version or version 1 with A's graph. Last, searches
# are killed while they build the full-text index a big first import left
# for later: the graph stays, and the next search gives the same hits.
#
# Environment: KG_SLOW=1 runs 200 kills over 6000 notes (default 16 kills
# over 2000 notes); KG_CRASH_KILLS and KG_CRASH_NOTES override.
. "$(dirname "$0")/lib.sh"
need sqlite3 git python3 awk md5sum

if [ "$SLOW" = 1 ]; then kills=200 notes=6000; else kills=16 notes=2000; fi
kills=${KG_CRASH_KILLS:-$kills}
notes=${KG_CRASH_NOTES:-$notes}
REPO=$T/repo.git

$GEN versions "$REPO" "$notes" || exit 2

copy_store() { # SRC DST: the database and any WAL / shared-memory file
    rm -f "$2" "$2-wal" "$2-shm"
    for s in "" -wal -shm; do
        [ -f "$1$s" ] && cp "$1$s" "$2$s"
    done
    return 0
}
fingerprint() {
    "$KGSH" --db "$1" --mode csv status 2>/dev/null | sed -n 's/^fingerprint,//p'
}
rand_ms() { # SEED MAX
    awk -v s="$1" -v m="$2" 'BEGIN { srand(s); printf "%d\n", rand() * m }'
}

# ---- the two known states ----
"$KGSH" --db "$T/old.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "sync of A"; finish; }
old_hash=$(graph_hash "$T/old.db")
old_fp=$(fingerprint "$T/old.db")
copy_store "$T/old.db" "$T/new.db"
t0=$(now_ms)
"$KGSH" --db "$T/new.db" sync --ref B >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "sync of B"; finish; }
sync_ms=$(( $(now_ms) - t0 ))
new_hash=$(graph_hash "$T/new.db")
new_fp=$(fingerprint "$T/new.db")
[ "$old_hash" != "$new_hash" ] && [ -n "$old_fp" ] && [ "$old_fp" != "$new_fp" ] ||
    { fail "the two versions must differ ($old_hash $new_hash $old_fp $new_fp)"; finish; }
note "$notes notes; an uninterrupted sync A -> B takes $sync_ms ms"
# the first sync, into an empty store, for the kills of that one
t0=$(now_ms)
"$KGSH" --db "$T/first.db" --dataset "$REPO" sync --ref A >/dev/null 2>&1
first_ms=$(( $(now_ms) - t0 ))
rm -f "$T/first.db"*

# ---- the trials ----
killed=0 finished=0 saw_old=0 saw_new=0 resumed=0
i=0
while [ "$i" -lt "$kills" ]; do
    i=$((i + 1))
    db=$T/trial.db
    first=0
    if [ $((i % 8)) -eq 0 ]; then first=1; fi
    if [ "$first" = 1 ]; then
        rm -f "$db" "$db-wal" "$db-shm"
        delay=$(rand_ms "$i" $((first_ms * 12 / 10 + 1)))
        "$KGSH" --db "$db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1 &
    else
        copy_store "$T/old.db" "$db"
        delay=$(rand_ms "$i" $((sync_ms * 12 / 10 + 1)))
        "$KGSH" --db "$db" sync --ref B >"$T/out" 2>&1 &
    fi
    pid=$!
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    if [ "$rc" -eq 137 ]; then killed=$((killed + 1))
    elif [ "$rc" -eq 0 ]; then finished=$((finished + 1))
    else fail "trial $i: sync exited $rc before the kill"; cat "$T/out"
    fi

    # nothing but a real store survives, whole
    [ -f "$db" ] || { [ "$first" = 1 ] && continue; fail "trial $i: store gone"; continue; }
    ic=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
    check "trial $i (kill after $delay ms): integrity_check says '$ic'" \
        [ "$ic" = ok ]
    v=$(latest_version "$db")
    if [ "$first" = 1 ] && [ "${v:-0}" = 0 ]; then
        # no version yet: the next sync must do the whole job
        "$KGSH" --db "$db" --dataset "$REPO" sync --ref A >/dev/null 2>&1
        check "trial $i: sync after a killed first sync" \
            [ "$(graph_hash "$db")" = "$old_hash" ]
        saw_old=$((saw_old + 1))
        continue
    fi
    "$KGSH" --db "$db" status >"$T/status" 2>&1
    check "trial $i: status after the kill exits 0" [ $? -eq 0 ]
    h=$(graph_hash "$db")
    fp=$(fingerprint "$db")
    want_v=2 want_h=$new_hash want_fp=$new_fp
    if [ "$first" = 1 ] || [ "$v" = 1 ]; then
        want_v=1 want_h=$old_hash want_fp=$old_fp
        saw_old=$((saw_old + 1))
    else
        saw_new=$((saw_new + 1))
    fi
    check "trial $i: newest version $v, expected $want_v" [ "$v" = "$want_v" ]
    check "trial $i: version $v holds a graph that is neither the old nor the new one" \
        [ "$h" = "$want_h" ]
    check "trial $i: fingerprint $fp, expected $want_fp" [ "$fp" = "$want_fp" ]
    if [ "$first" = 0 ] && [ $((i % 3)) -eq 0 ]; then
        "$KGSH" --db "$db" sync --ref B >"$T/out" 2>&1
        check "trial $i: the sync taken again exits 0" [ $? -eq 0 ]
        check "trial $i: the sync taken again gives the new graph" \
            [ "$(graph_hash "$db")" = "$new_hash" ]
        resumed=$((resumed + 1))
    fi
done

# ---- kills while a search builds the deferred full-text index ----
# A first import of many notes leaves its rows out of the FTS index; the
# first search indexes them in a write transaction of its own. Killed in
# there, the store must keep its graph and later searches their answers.
nsearch=6
[ "$SLOW" = 1 ] && nsearch=40
copy_store "$T/old.db" "$T/s.db"
t0=$(now_ms)
"$KGSH" --db "$T/s.db" search --limit 100000 model >"$T/want" 2>&1
search_ms=$(( $(now_ms) - t0 ))
skilled=0 j=0
while [ "$j" -lt "$nsearch" ]; do
    j=$((j + 1))
    copy_store "$T/old.db" "$T/s.db"
    delay=$(rand_ms "$((1000 + j))" $((search_ms * 12 / 10 + 1)))
    "$KGSH" --db "$T/s.db" search --limit 100000 model >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ $? = 137 ] && skilled=$((skilled + 1))
    ic=$(sqlite3 "$T/s.db" 'PRAGMA integrity_check' 2>&1)
    check "search kill $j: integrity_check says '$ic'" [ "$ic" = ok ]
    "$KGSH" --db "$T/s.db" search --limit 100000 model >"$T/got" 2>&1
    check "search kill $j: the next search gives the same hits" cmp -s "$T/want" "$T/got"
    check "search kill $j: the graph is unchanged" \
        [ "$(graph_hash "$T/s.db")" = "$old_hash" ]
done
note "$skilled of $nsearch searches killed while indexing ($search_ms ms uninterrupted)"

note "$killed syncs killed mid-way, $finished had finished before the kill"
note "after the kill: $saw_old stores held the old version, $saw_new the new"
figure "crash_sync kills" "$killed syncs killed + $finished finished of $kills trials, $resumed resumed; $skilled of $nsearch searches killed; $FAILS lost or damaged"
finish
