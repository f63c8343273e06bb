#!/bin/sh
# disk_faults.sh - a full disk and a read-only store: a clear error, and
# nothing lost.
#
# Full disk. The store lives on a small tmpfs (mounted here when the test
# runs as root and the kernel allows it); a filler file takes all but a
# little of the space, and a sync that rewrites every note must then fail
# with a message that says the disk is full, exit 2, and leave the store
# as it was: integrity_check passes, queries and status still work, the
# graph is the old one. With the filler gone, the same sync succeeds.
# Without tmpfs the limit is RLIMIT_FSIZE (prlimit --fsize, SIGXFSZ
# ignored so the write fails with EFBIG instead of killing kgsh).
#
# The message must say "no space left on device while writing STORE" (SQLite
# says only "disk I/O error" for EFBIG and for ENOSPC met while creating a
# file; the store tells them apart by the system errno).
#
# Read-only store. (1) The tmpfs remounted read-only (EROFS, which binds
# root too): queries, the shell, status, log, check and export work and
# print what they did before (SQLite cannot make the -shm file a WAL store
# needs, so the store opens the file immutable); sync fails with one line
# that says the store is read-only and names it, exit 2. A store whose -wal
# still holds changes (and has no -shm) is refused with a message, not read
# stale. (2) When setpriv is present, kgsh run as nobody on a store it may
# not write (file 0644 owned by root, in a 0555 folder): the same, and a
# session that reads on after root synced into the store is told the store
# changed instead of reading a file that changed under it. Afterwards the
# store is intact. (chmod alone does not stop root, hence the mount and
# setpriv; without either, those parts are skipped and say so.)
# KG_NO_TMPFS=1 takes the RLIMIT_FSIZE path even as root.
. "$(dirname "$0")/lib.sh"
need sqlite3 git python3 md5sum

REPO=$T/repo.git
$GEN versions "$REPO" 400 || exit 2
MNT=$T/mnt
mkdir -p "$MNT"
mounted=0
if [ "${KG_NO_TMPFS:-0}" != 1 ] && [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8m,mode=0755 kgsh-rel "$MNT" 2>/dev/null
then
    mounted=1
    CLEANUP_EXTRA="umount '$MNT' 2>/dev/null"
fi
DB=$MNT/store.db
"$KGSH" --db "$DB" --dataset "$REPO" sync --ref A >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "the first sync"; finish; }
old_hash=$(graph_hash "$DB")
old_count=$("$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' 2>&1)

store_intact() { # WHAT
    ic=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
    check "$1: integrity_check says '$ic'" [ "$ic" = ok ]
    check "$1: the store still holds version 1" [ "$(latest_version "$DB")" = 1 ]
    check "$1: the graph is unchanged" [ "$(graph_hash "$DB")" = "$old_hash" ]
}

# ---- full disk ----
if [ "$mounted" = 1 ]; then
    # leave 64 KB: enough to open, far from enough for the new version
    avail=$(df -k --output=avail "$MNT" | tail -1)
    dd if=/dev/zero of="$MNT/filler" bs=1024 count=$((avail - 64)) 2>/dev/null
    "$KGSH" --db "$DB" sync --ref B >"$T/out" 2>&1
    rc=$?
    how="tmpfs of 8 MB, 64 KB free"
else
    need prlimit
    size=$(stat -c %s "$DB")
    (trap '' XFSZ; exec prlimit --fsize=$((size + 65536)) \
        "$KGSH" --db "$DB" sync --ref B) >"$T/out" 2>&1
    rc=$?
    how="RLIMIT_FSIZE"
fi
note "full disk ($how): sync exit $rc: $(head -c 300 "$T/out")"
check "full disk: sync exits 2 (system failure), not $rc" [ "$rc" = 2 ]
check "full disk: the message says 'no space left on device while writing $DB'" \
    grep -qF "no space left on device while writing $DB" "$T/out"
check "full disk: the message is one line" [ "$(grep -c '' "$T/out")" = 1 ]
check "full disk: no crash report" sh -c "! grep -qiE 'sanitizer|segmentation|abort' '$T/out'"
got=$("$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' 2>&1)
check "full disk: a query still answers ($got)" [ "$got" = "$old_count" ]
"$KGSH" --db "$DB" status >"$T/out" 2>&1
check "full disk: status still works" [ $? -eq 0 ]
store_intact "full disk"
rm -f "$MNT/filler"
"$KGSH" --db "$DB" sync --ref B >"$T/out" 2>&1
check "full disk: with space again, the sync succeeds" [ $? -eq 0 ]
new_hash=$(graph_hash "$DB")
check "full disk: ... and gives a new graph" [ "$new_hash" != "$old_hash" ]
# a first sync into a new store on a full disk: an error, and with space
# again a whole first version
if [ "$mounted" = 1 ]; then
    avail=$(df -k --output=avail "$MNT" | tail -1)
    dd if=/dev/zero of="$MNT/filler" bs=1024 count=$((avail - 16)) 2>/dev/null
    "$KGSH" --db "$MNT/new.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1
    rc=$?
    note "full disk, first sync: exit $rc: $(head -c 200 "$T/out")"
    check "full disk, first sync: exit 2, not $rc" [ "$rc" = 2 ]
    check "full disk, first sync: the message says 'no space left on device'" \
        grep -qF "no space left on device while writing $MNT/new.db" "$T/out"
    rm -f "$MNT/filler"
    "$KGSH" --db "$MNT/new.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1
    check "full disk, first sync: with space again it succeeds ($(head -c 200 "$T/out"))" \
        [ $? = 0 ]
    check "full disk, first sync: ... with the whole graph" \
        [ "$(graph_hash "$MNT/new.db")" = "$old_hash" ]
    rm -f "$MNT/new.db" "$MNT/new.db-wal" "$MNT/new.db-shm"
fi
# A file size limit on a first sync: SQLite's "disk I/O error" with errno
# EFBIG must read as no space too (this runs with or without tmpfs).
if command -v prlimit >/dev/null 2>&1; then
    (trap '' XFSZ; exec prlimit --fsize=65536 \
        "$KGSH" --db "$T/fsz.db" --dataset "$REPO" sync --ref A) >"$T/out" 2>&1
    rc=$?
    note "file size limit, first sync: exit $rc: $(head -c 300 "$T/out")"
    check "file size limit, first sync: exit 2, not $rc" [ "$rc" = 2 ]
    check "file size limit, first sync: 'no space left on device while writing $T/fsz.db'" \
        grep -qF "no space left on device while writing $T/fsz.db" "$T/out"
    check "file size limit, first sync: no 'disk I/O error'" \
        sh -c "! grep -q 'disk I/O error' '$T/out'"
    "$KGSH" --db "$T/fsz.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1
    check "file size limit, first sync: without the limit it succeeds ($(head -c 200 "$T/out"))" \
        [ $? = 0 ]
else
    note "no prlimit: the file size limit case is skipped"
fi

# back to the old state for the read-only part: a store of version 1 only
rm -f "$DB" "$DB-wal" "$DB-shm"
"$KGSH" --db "$DB" --dataset "$REPO" sync --ref A >/dev/null 2>&1
# what the read commands print on the writable store, to compare
for sub in log check; do
    "$KGSH" --db "$DB" "$sub" >"$T/want.$sub" 2>&1
done

ro_checks() { # LABEL RUNNER...: kgsh through RUNNER on a store it cannot write
    label=$1
    shift
    got=$("$@" "$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' 2>&1)
    rc=$?
    note "$label: query exit $rc: $(printf '%s' "$got" | tr '\n' ' ' | head -c 200)"
    check "$label: a query answers as before (exit $rc)" \
        [ "$got" = "$old_count" ]
    got=$(echo 'MATCH (n) RETURN count(n);' | "$@" "$KGSH" --db "$DB" shell 2>&1)
    check "$label: the shell answers as before ($(printf '%s' "$got" | head -c 100))" \
        [ "$got" = "$old_count" ]
    "$@" "$KGSH" --db "$DB" status >"$T/out" 2>&1
    rc=$?
    check "$label: 'status' works (exit $rc: $(head -c 200 "$T/out"))" [ "$rc" = 0 ]
    for sub in log check; do
        "$@" "$KGSH" --db "$DB" "$sub" >"$T/out" 2>&1
        rc=$?
        check "$label: '$sub' works (exit $rc)" [ "$rc" = 0 ]
        check "$label: '$sub' prints what it did on the writable store" \
            cmp -s "$T/out" "$T/want.$sub"
    done
    h=$("$@" "$KGSH" --db "$DB" export --format json 2>/dev/null | md5sum | cut -c1-32)
    check "$label: export gives the same graph" [ "$h" = "$old_hash" ]
    "$@" "$KGSH" --db "$DB" sync --ref B >"$T/out" 2>&1
    rc=$?
    note "$label: sync exit $rc: $(head -c 300 "$T/out")"
    check "$label: sync on a read-only store exits 2, not $rc" [ "$rc" = 2 ]
    check "$label: no crash report" \
        sh -c "! grep -qiE 'sanitizer|segmentation|abort' '$T/out'"
    check "$label: the message says read-only" grep -qF 'is read-only' "$T/out"
    check "$label: the message names the store" grep -qF "$DB:" "$T/out"
    check "$label: the message is one line" [ "$(grep -c '' "$T/out")" = 1 ]
}

# ---- read-only file system ----
if [ "$mounted" = 1 ]; then
    mount -o remount,ro "$MNT" || fail "remount read-only"
    ro_checks "read-only file system"
    # a new store there: the folder is named as the reason
    "$KGSH" --db "$MNT/other.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1
    rc=$?
    check "new store on a read-only mount: exit 2, not $rc" [ "$rc" = 2 ]
    check "new store on a read-only mount: says the folder cannot be written ($(head -c 200 "$T/out"))" \
        grep -qF "its folder $MNT cannot be written (Read-only file system)" "$T/out"
    mount -o remount,rw "$MNT"
    store_intact "read-only file system"

    # A -wal that still holds a version (its writer died before the last
    # close checkpointed it) and no -shm: the main file alone is an older
    # store, so reading it immutable would hide a version. Refused.
    python3 - "$DB" <<'PY' || fail "python could not leave a -wal behind"
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA wal_autocheckpoint=0")
con.execute("INSERT OR REPLACE INTO meta(key, val) VALUES('wal-test', 'x')")
con.commit()
os._exit(0)  # no close: no checkpoint, the -wal stays
PY
    check "a -wal with frames is left behind" [ -s "$DB-wal" ]
    cp "$DB" "$DB-wal" "$DB-shm" "$T/" # to put back the -shm below
    rm -f "$DB-shm"
    mount -o remount,ro "$MNT" || fail "remount read-only"
    "$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' >"$T/out" 2>&1
    rc=$?
    note "unfinished -wal, no -shm, read-only: exit $rc: $(head -c 300 "$T/out")"
    check "unfinished -wal on a read-only mount: exit 2, not $rc" [ "$rc" = 2 ]
    check "unfinished -wal on a read-only mount: the message names the -wal" \
        grep -qF "$DB-wal" "$T/out"
    mount -o remount,rw "$MNT"
    cp "$T/store.db-shm" "$MNT/"
    mount -o remount,ro "$MNT" || fail "remount read-only"
    # with its -shm, SQLite reads the -wal itself (read-only shm)
    got=$("$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' 2>&1)
    check "unfinished -wal with its -shm on a read-only mount: the query answers ($got)" \
        [ "$got" = "$old_count" ]
    mount -o remount,rw "$MNT"
    # a writable open finishes the -wal: back to a clean store
    "$KGSH" --db "$DB" status >/dev/null 2>&1
    rm -f "$T/store.db" "$T/store.db-wal" "$T/store.db-shm"
else
    note "no tmpfs: the read-only file system cases are skipped"
fi

# ---- a store this user may not write ----
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    RO=$T/ro
    mkdir -p "$RO"
    cp "$DB" "$RO/store.db"
    chmod 0644 "$RO/store.db"
    chmod 0555 "$RO"
    chmod 0755 "$T" "$T/home"
    DB=$RO/store.db
    AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=$T/home"
    ro_checks "store not writable by its user" $AS_NOBODY
    store_intact "store not writable by its user"

    # A session reading the store immutable while its owner (root) syncs
    # into it: the next read says the store changed, and reads nothing
    # from a file that changed under it.
    rm -f "$T/go" "$T/synced"
    { echo '.check'; touch "$T/go"
      i=0; while [ ! -f "$T/synced" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
      echo '.check'; } |
        $AS_NOBODY "$KGSH" --db "$DB" shell >"$T/repl" 2>&1 &
    i=0; while [ ! -f "$T/go" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
    "$KGSH" --db "$DB" sync --ref B >"$T/out" 2>&1 || fail "root's sync: $(cat "$T/out")"
    touch "$T/synced"
    wait
    note "session during the owner's sync: $(tail -1 "$T/repl" | head -c 300)"
    check "a read-only session is told the store changed under it" \
        grep -qF 'was written by another process since it was opened read-only' "$T/repl"
    chmod 0755 "$RO"
else
    note "not root or no setpriv: the unwritable-store cases are skipped"
fi
finish
