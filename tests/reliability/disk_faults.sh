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
# Read-only store. (1) The tmpfs remounted read-only (EROFS, which binds
# root too): queries, status, log and check work and print what they did
# before; sync fails clearly with exit 2. (2) When setpriv is present, kgsh
# run as nobody on a store it may not write (file 0644 owned by root, in a
# 0555 folder): the same. Afterwards the store is intact.
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
if [ "$mounted" = 1 ]; then
    check "full disk: the message says why" \
        grep -qiE 'full|no space|too large|file size' "$T/out"
else # EFBIG comes back from SQLite as a plain I/O error
    known FULL-MSG "full disk: the message says why" \
        grep -qiE 'full|no space|too large|file size' "$T/out"
fi
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
    # SQLite reports ENOSPC while it creates the file as SQLITE_IOERR, which
    # the store words as "I/O error (disk I/O error)"; sqlite3_system_errno
    # would tell ENOSPC apart
    known FULL-MSG "full disk, first sync: the message says why" \
        grep -qiE 'full|no space' "$T/out"
    rm -f "$MNT/filler"
    "$KGSH" --db "$MNT/new.db" --dataset "$REPO" sync --ref A >"$T/out" 2>&1
    check "full disk, first sync: with space again it succeeds ($(head -c 200 "$T/out"))" \
        [ $? = 0 ]
    check "full disk, first sync: ... with the whole graph" \
        [ "$(graph_hash "$MNT/new.db")" = "$old_hash" ]
    rm -f "$MNT/new.db" "$MNT/new.db-wal" "$MNT/new.db-shm"
fi
# back to the old state for the read-only part: a store of version 1 only
rm -f "$DB" "$DB-wal" "$DB-shm"
"$KGSH" --db "$DB" --dataset "$REPO" sync --ref A >/dev/null 2>&1

ro_checks() { # LABEL RUNNER...: kgsh through RUNNER on a store it cannot write
    label=$1
    shift
    got=$("$@" "$KGSH" --db "$DB" -c 'MATCH (n) RETURN count(n)' 2>&1)
    rc=$?
    note "$label: query exit $rc: $(printf '%s' "$got" | head -c 200)"
    # SQLite cannot read a WAL store whose folder it may not write (no -shm
    # can be made) unless the store opens it immutable or keeps its WAL
    known RO-READ "$label: a query answers on a read-only store" \
        [ "$got" = "$old_count" ]
    answered=0
    if [ "$got" = "$old_count" ] || [ "$rc" = 2 ]; then answered=1; fi
    check "$label: a query answers, or exits 2 with a message" \
        [ "$answered" = 1 ]
    for sub in status log check; do
        "$@" "$KGSH" --db "$DB" "$sub" >"$T/out" 2>&1
        rc=$?
        known RO-READ "$label: '$sub' works on a read-only store (exit $rc)" \
            [ "$rc" = 0 ]
    done
    "$@" "$KGSH" --db "$DB" sync --ref B >"$T/out" 2>&1
    rc=$?
    note "$label: sync exit $rc: $(head -c 300 "$T/out")"
    check "$label: sync on a read-only store exits 2, not $rc" [ "$rc" = 2 ]
    check "$label: no crash report" \
        sh -c "! grep -qiE 'sanitizer|segmentation|abort' '$T/out'"
    case $label in
    *"file system"*)
        known RO-MSG "$label: the message says read-only" \
            grep -qiE 'read-only|readonly|permission|not writable' "$T/out" ;;
    *)
        check "$label: the message says read-only" \
            grep -qiE 'read-only|readonly|permission|not writable' "$T/out" ;;
    esac
    check "$label: the message names the store" grep -qF "$DB" "$T/out"
}

# ---- read-only file system ----
if [ "$mounted" = 1 ]; then
    mount -o remount,ro "$MNT" || fail "remount read-only"
    ro_checks "read-only file system"
    mount -o remount,rw "$MNT"
    store_intact "read-only file system"
else
    note "no tmpfs: the read-only file system case is skipped"
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
    ro_checks "store not writable by its user" \
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$T/home"
    chmod 0755 "$RO"
    store_intact "store not writable by its user"
else
    note "not root or no setpriv: the unwritable-store case is skipped"
fi
finish
