/* store_write.c - recording a version: begin, remove_doc, commit,
 * rollback, and the per-path bookkeeping put_doc (store_put.c) shares.
 *
 * A version is one SQLite write transaction (BEGIN IMMEDIATE, so a second
 * writer is refused up front rather than failing at its first write).
 *
 * Writing a path twice in one version first undoes the version's earlier
 * write of it, so the result is as if it had been written once. A draft
 * version (work-tree edits) is thrown away by the next kg_store_begin: its
 * rows are the rowid range above its marks, and what it ended is reopened.
 * Change counts are kept as the rows are written and stored at commit; the
 * full-text index is filled in batches, not per row (store_fts.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

static const char *const rt_name[KG_RT__COUNT] = {
    "docs", "nodes", "diags" /* ORDER RECTABLE */
};
/* What reopening a row of each table resets besides v_to. */
static const char *const rt_reopen[KG_RT__COUNT] = {
    ", e_gone=0", ", gone=0", "" /* ORDER RECTABLE */
};

/* Step a write statement to completion and release its bindings at once, so
 * SQLITE_STATIC buffers may be reused afterwards. */
int kg_store__step_done(kg_store *st, sqlite3_stmt *s, const char *what,
                        kg_error *err)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return kg_store__fail(st, err, rc, what);
    return KG_OK;
}

int kg_store__need_version(kg_store *st, kg_error *err)
{
    if (st->writing) return KG_OK;
    return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                        "no version is open (call kg_store_begin first)");
}

/* ---- begin ---- */

static int query_i64(kg_store *st, const char *sql, int64_t *out, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = kg_store__prepare(st, &s, sql, err);

    if (error < 0) return error;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        error = kg_store__fail(st, err, rc, "reading the store");
    sqlite3_finalize(s);
    return error;
}

/* If the newest version is a draft, delete it: reopen the rows it ended,
 * drop its rows from the full-text index, delete its rows (the rowid range
 * above its marks) and its version row. */
static int drop_draft(kg_store *st, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int64_t vid, mark[KG_RT__COUNT];
    char sql[200];
    int rc, i, error;

    error = kg_store__prepare(st, &s,
                              "SELECT id, draft, mark_docs, mark_nodes,"
                              " mark_diags FROM versions"
                              " ORDER BY id DESC LIMIT 1",
                              err);
    if (error < 0) return error;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW || sqlite3_column_int(s, 1) == 0) {
        error = rc == SQLITE_ROW || rc == SQLITE_DONE
                    ? KG_OK
                    : kg_store__fail(st, err, rc, "reading versions");
        sqlite3_finalize(s);
        return error;
    }
    vid = sqlite3_column_int64(s, 0);
    for (i = 0; i < KG_RT__COUNT; i++)
        mark[i] = sqlite3_column_int64(s, 2 + i);
    sqlite3_finalize(s);

    for (i = 0; i < KG_RT__COUNT && error == KG_OK; i++) {
        snprintf(sql, sizeof sql, "UPDATE %s SET v_to=NULL%s WHERE v_to=%lld",
                 rt_name[i], rt_reopen[i], (long long)vid);
        error = kg_store__exec(st, sql, "replacing the draft version", err);
    }
    if (error < 0) return error;
    error = kg_store__fts_forget(st, mark[KG_RT_NODES], err);
    for (i = 0; i < KG_RT__COUNT && error == KG_OK; i++) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id > %lld", rt_name[i],
                 (long long)mark[i]);
        error = kg_store__exec(st, sql, "replacing the draft version", err);
    }
    if (error < 0) return error;
    snprintf(sql, sizeof sql, "DELETE FROM versions WHERE id=%lld",
             (long long)vid);
    return kg_store__exec(st, sql, "replacing the draft version", err);
}

static int add_version(kg_store *st, const kg_version_info *meta, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, i, error;

    error = kg_store__prepare(
        st, &s,
        "INSERT INTO versions(commit_id, source, ref, author, message, time,"
        " synced_at, draft, mark_docs, mark_nodes, mark_diags)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
        err);
    if (error < 0) return error;
    kg_store__bind_text(s, 1, meta ? meta->commit : "");
    kg_store__bind_text(s, 2, meta ? meta->source : NULL);
    kg_store__bind_text(s, 3, meta ? meta->ref : NULL);
    kg_store__bind_text(s, 4, meta ? meta->author : NULL);
    kg_store__bind_text(s, 5, meta ? meta->message : NULL);
    sqlite3_bind_int64(s, 6, meta ? meta->time : 0);
    sqlite3_bind_int64(
        s, 7, meta && meta->synced_at ? meta->synced_at : (int64_t)time(NULL));
    sqlite3_bind_int(s, 8, meta ? meta->draft != 0 : 0);
    for (i = 0; i < KG_RT__COUNT; i++)
        sqlite3_bind_int64(s, 9 + i, st->mark[i]);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "recording the version");
    st->cur = sqlite3_last_insert_rowid(st->db);
    return KG_OK;
}

/* ---- the journal of a first import ----
 *
 * In WAL mode every page of a version is written twice: to the WAL at
 * commit, then into the database by the checkpoint. For the first version
 * of an empty store (a first import: 200 MB for 100k notes) that second
 * write is most of the commit, and a rollback journal has nothing to save
 * for an empty file, so the version is written in rollback-journal mode
 * and WAL is turned back on when it ends. SQLite refuses to leave WAL
 * while any other connection has the file open, so this only happens when
 * nobody can be reading; a reader that opens the store meanwhile finds it
 * empty, and at worst waits (busy timeout) while the commit writes. If WAL
 * cannot be turned back on at once (a reader in a transaction), the store
 * stays correct in rollback mode and the next kg_store_open for writing
 * turns WAL on again. */

/* The journal mode after running sql ("PRAGMA journal_mode=..."), waiting
 * at most wait_ms for locks; "" when SQLite refused. */
static void set_journal(kg_store *st, const char *sql, int wait_ms,
                        char out[16])
{
    sqlite3_stmt *s = NULL;

    out[0] = '\0';
    sqlite3_busy_timeout(st->db, wait_ms);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
        snprintf(out, 16, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
}

static void first_import_journal(kg_store *st)
{
    char mode[16];
    int64_t versions = 1;

    if (query_i64(st, "SELECT EXISTS (SELECT 1 FROM versions)", &versions,
                  NULL) < 0 ||
        versions != 0)
        return;
    set_journal(st, "PRAGMA journal_mode=DELETE", 0, mode);
    st->unwal = strcmp(mode, "delete") == 0;
}

static void restore_wal(kg_store *st)
{
    char mode[16];

    if (!st->unwal) return;
    st->unwal = 0;
    set_journal(st, "PRAGMA journal_mode=WAL", KG_STORE_WRITER_WAIT_MS, mode);
}

int kg_store_begin(kg_store *st, const kg_version_info *meta, int64_t *vid,
                   kg_error *err)
{
    char sql[64];
    int rc, i, error;

    if (st->readonly)
        return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                            "cannot record a version: the store is "
                            "read-only");
    if (st->writing)
        return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                            "a version is already open on this handle");
    /* A second writer waits only briefly: a sync holds the lock for as long
     * as it parses, so waiting for it would look like a hang. */
    first_import_journal(st);
    sqlite3_busy_timeout(st->db, KG_STORE_WRITER_WAIT_MS);
    rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
    if (rc != SQLITE_OK) restore_wal(st);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return kg_error_set(err, KG_EBUSY, st->path, (kg_span){0, 0},
                            "another sync is running (the store is locked "
                            "for writing); try again when it has finished");
    if (rc != SQLITE_OK)
        return kg_store__fail(st, err, rc, "starting a version");
    st->writing = 1;
    memset(st->cnt, 0, sizeof st->cnt);
    error = drop_draft(st, err);
    for (i = 0; i < KG_RT__COUNT && error == KG_OK; i++) {
        snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s",
                 rt_name[i]);
        error = query_i64(st, sql, &st->mark[i], err);
    }
    if (error == KG_OK) error = add_version(st, meta, err);
    if (error < 0) {
        kg_store_rollback(st);
        return error;
    }
    if (vid) *vid = st->cur;
    return KG_OK;
}

/* ---- the path being written ---- */

/* Inserting first makes the common case of a first import one statement
 * per path. */
int kg_store__path_id(kg_store *st, const char *path, int64_t *id, int *fresh,
                      int add, kg_error *err)
{
    sqlite3_stmt *s;
    int rc;

    *fresh = 0;
    *id = 0;
    if (add) {
        if ((s = kg_store__sq(st, KG_SQ_PATH_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        kg_store__bind_text(s, 1, path);
        if ((rc = kg_store__step_done(st, s, "adding a path", err)) < 0)
            return rc;
        if (sqlite3_changes(st->db) == 1) {
            *id = sqlite3_last_insert_rowid(st->db);
            *fresh = 1;
            return KG_OK;
        }
    }
    if ((s = kg_store__sq(st, KG_SQ_PATH_FIND, err)) == NULL)
        return err ? err->code : KG_ESTORE;
    kg_store__bind_text(s, 1, path);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "looking up a path");
    return KG_OK;
}

/* The live doc row of the path: *doc = 0 when none, *from its v_from,
 * *nedges its edge count. */
static int live_doc(kg_store *st, int64_t pid, int64_t *doc, int64_t *from,
                    int64_t *nedges, kg_error *err)
{
    sqlite3_stmt *s = kg_store__sq(st, KG_SQ_DOC_LIVE, err);
    int rc;

    *doc = 0;
    *from = 0;
    *nedges = 0;
    if (s == NULL) return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, pid);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *doc = sqlite3_column_int64(s, 0);
        *from = sqlite3_column_int64(s, 1);
        *nedges = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "looking up a document");
    return KG_OK;
}

/* Take back the counts the open version's earlier write of pid added:
 * rows it inserted (added / changed) and rows it ended without successor;
 * for edges, the counts kept on the doc rows it inserted and ended. */
static int uncount_path(kg_store *st, int64_t pid, kg_error *err)
{
    static const int which[KG_CNT__COUNT] = {
        KG_CNT_NODES_ADDED, KG_CNT_NODES_CHANGED, KG_CNT_NODES_REMOVED,
        KG_CNT_EDGES_ADDED, KG_CNT_EDGES_CHANGED, KG_CNT_EDGES_REMOVED};
    sqlite3_stmt *s = NULL;
    int i, rc, error;

    error = kg_store__prepare(
        st, &s,
        "SELECT"
        " (SELECT count(*) FROM nodes WHERE path_id=?1 AND v_to IS NULL"
        "  AND v_from=?2 AND chg=1),"
        " (SELECT count(*) FROM nodes WHERE path_id=?1 AND v_to IS NULL"
        "  AND v_from=?2 AND chg=2),"
        " (SELECT count(*) FROM nodes WHERE v_to=?2 AND path_id=?1"
        "  AND gone=1),"
        " (SELECT coalesce(sum(e_added), 0) FROM docs WHERE path_id=?1"
        "  AND v_to IS NULL AND v_from=?2),"
        " (SELECT coalesce(sum(e_changed), 0) FROM docs WHERE path_id=?1"
        "  AND v_to IS NULL AND v_from=?2),"
        " (SELECT coalesce(sum(e_gone), 0) FROM docs WHERE v_to=?2"
        "  AND path_id=?1)",
        err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, st->cur);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        for (i = 0; i < KG_CNT__COUNT; i++)
            st->cnt[which[i]] -= sqlite3_column_int64(s, i);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return kg_store__fail(st, err, rc, "rewriting a document");
    return KG_OK;
}

int kg_store__undo_path(kg_store *st, int64_t pid, kg_error *err)
{
    static const kg_store_sq steps[] = {
        KG_SQ_DOC_UNDO,   KG_SQ_NODE_UNDO,   KG_SQ_DIAG_UNDO,
        KG_SQ_DOC_REOPEN, KG_SQ_NODE_REOPEN, KG_SQ_DIAG_REOPEN,
    };
    size_t i;
    int error;

    if ((error = uncount_path(st, pid, err)) < 0) return error;
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *s = kg_store__sq(st, steps[i], err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        error = kg_store__step_done(st, s, "rewriting a document", err);
        if (error < 0) return error;
    }
    return KG_OK;
}

int kg_store__prepare_path(kg_store *st, int64_t pid, int64_t *doc,
                           int64_t *nedges, kg_error *err)
{
    sqlite3_stmt *s;
    int64_t from;
    int rc, touched, error;

    if ((error = live_doc(st, pid, doc, &from, nedges, err)) < 0)
        return error;
    touched = *doc != 0 && from == st->cur;
    if (*doc == 0) {
        s = kg_store__sq(st, KG_SQ_DOC_ENDED_NOW, err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return kg_store__fail(st, err, rc, "looking up a document");
        touched = rc == SQLITE_ROW;
    }
    if (!touched) return KG_OK;
    if ((error = kg_store__undo_path(st, pid, err)) < 0) return error;
    return live_doc(st, pid, doc, &from, nedges, err);
}

int kg_store_remove_doc(kg_store *st, const char *path, kg_error *err)
{
    static const kg_store_sq ends[] = {KG_SQ_NODE_END_ALL, KG_SQ_DIAG_END};
    sqlite3_stmt *s;
    int64_t pid, doc, nedges;
    size_t i;
    int fresh, error;

    if ((error = kg_store__need_version(st, err)) < 0) return error;
    if ((error = kg_store__path_id(st, path, &pid, &fresh, 0, err)) < 0)
        return error;
    if (pid == 0) return KG_OK; /* never stored: nothing to end */
    if ((error = kg_store__prepare_path(st, pid, &doc, &nedges, err)) < 0)
        return error;
    if (doc == 0) return KG_OK;
    for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        if ((s = kg_store__sq(st, ends[i], err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        error = kg_store__step_done(st, s, "removing a document", err);
        if (error < 0) return error;
        if (ends[i] == KG_SQ_NODE_END_ALL)
            st->cnt[KG_CNT_NODES_REMOVED] += sqlite3_changes(st->db);
    }
    /* Every edge of the document goes with its row. */
    if ((s = kg_store__sq(st, KG_SQ_DOC_END, err)) == NULL)
        return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, doc);
    sqlite3_bind_int64(s, 2, st->cur);
    sqlite3_bind_int64(s, 3, nedges);
    if ((error = kg_store__step_done(st, s, "removing a document", err)) < 0)
        return error;
    st->cnt[KG_CNT_EDGES_REMOVED] += nedges;
    return KG_OK;
}

/* ---- commit / rollback ---- */

/* Record the version's change counts, and index its text if it is small
 * (store_fts.c). */
static int finish_version(kg_store *st, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int i, rc, error;

    if ((error = kg_store__fts_commit(st, err)) < 0) return error;
    error = kg_store__prepare(
        st, &s,
        "UPDATE versions SET nodes_added=?2, nodes_removed=?3,"
        " nodes_changed=?4, edges_added=?5, edges_removed=?6,"
        " edges_changed=?7 WHERE id=?1", /* ORDER COUNTS */
        err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, st->cur);
    for (i = 0; i < KG_CNT__COUNT; i++)
        sqlite3_bind_int64(s, 2 + i, st->cnt[i]);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "counting changes");
    return KG_OK;
}

/* On failure the version is rolled back: the store is as it was before
 * kg_store_begin. */
int kg_store_commit(kg_store *st, kg_error *err)
{
    int error;

    if ((error = kg_store__need_version(st, err)) < 0) return error;
    error = finish_version(st, err);
    if (error == KG_OK)
        error = kg_store__exec(st, "COMMIT", "committing the version", err);
    if (error < 0) {
        kg_store_rollback(st);
        return error;
    }
    st->writing = 0;
    restore_wal(st);
    return KG_OK;
}

void kg_store_rollback(kg_store *st)
{
    size_t i;

    if (st == NULL) return;
    for (i = 0; i < KG_SQ__COUNT; i++)
        if (st->sq[i]) sqlite3_reset(st->sq[i]);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->writing = 0;
    st->cur = 0;
    restore_wal(st);
}
