/* store_write.c - recording a version: begin, put_doc, remove_doc, commit,
 * rollback.
 *
 * A version is one SQLite write transaction (BEGIN IMMEDIATE, so a second
 * writer is refused up front rather than failing at its first write).
 * put_doc replaces the records of one path: it reads the rows of that path
 * still valid (through the partial index on path_id WHERE v_to IS NULL),
 * ends them at the open version and inserts the new ones, marking each new
 * row added / changed / unchanged against the old row of the same node key
 * or edge (src, type, dst). The cost is O(records of that path) whatever the
 * size of the store.
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
    "docs", "nodes", "edges", "diags" /* ORDER RECTABLE */
};

/* Step a write statement to completion and release its bindings at once, so
 * SQLITE_STATIC buffers may be reused afterwards. */
static int step_done(kg_store *st, sqlite3_stmt *s, const char *what,
                     kg_error *err)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return kg_store__fail(st, err, rc, what);
    return KG_OK;
}

static int need_version(kg_store *st, kg_error *err)
{
    if (st->writing) return KG_OK;
    return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                        "no version is open (call kg_store_begin first)");
}

/* ---- begin ---- */

static int query_i64(kg_store *st, const char *sql, int64_t *out,
                     kg_error *err)
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
                              " mark_edges, mark_diags FROM versions"
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
    for (i = 0; i < KG_RT__COUNT; i++) mark[i] = sqlite3_column_int64(s, 2 + i);
    sqlite3_finalize(s);

    for (i = 0; i < KG_RT__COUNT && error == KG_OK; i++) {
        snprintf(sql, sizeof sql, "UPDATE %s SET v_to=NULL%s WHERE v_to=%lld",
                 rt_name[i],
                 i == KG_RT_NODES || i == KG_RT_EDGES ? ", gone=0" : "",
                 (long long)vid);
        error = kg_store__exec(st, sql, "replacing the draft version", err);
    }
    if (error < 0) return error;
    error = kg_store__fts_forget(st, mark[KG_RT_NODES], err);
    for (i = 0; i < KG_RT__COUNT && error == KG_OK; i++) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id > %lld",
                 rt_name[i], (long long)mark[i]);
        error = kg_store__exec(st, sql, "replacing the draft version", err);
    }
    if (error < 0) return error;
    snprintf(sql, sizeof sql, "DELETE FROM versions WHERE id=%lld",
             (long long)vid);
    return kg_store__exec(st, sql, "replacing the draft version", err);
}

static int add_version(kg_store *st, const kg_version_info *meta,
                       kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, i, error;

    error = kg_store__prepare(
        st, &s,
        "INSERT INTO versions(commit_id, source, ref, author, message, time,"
        " synced_at, draft, mark_docs, mark_nodes, mark_edges, mark_diags)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
        err);
    if (error < 0) return error;
    kg_store__bind_text(s, 1, meta ? meta->commit : "");
    kg_store__bind_text(s, 2, meta ? meta->source : NULL);
    kg_store__bind_text(s, 3, meta ? meta->ref : NULL);
    kg_store__bind_text(s, 4, meta ? meta->author : NULL);
    kg_store__bind_text(s, 5, meta ? meta->message : NULL);
    sqlite3_bind_int64(s, 6, meta ? meta->time : 0);
    sqlite3_bind_int64(s, 7, meta && meta->synced_at ? meta->synced_at
                                                     : (int64_t)time(NULL));
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

int kg_store_begin(kg_store *st, const kg_version_info *meta, int64_t *vid,
                   kg_error *err)
{
    char sql[64];
    int64_t live = 0;
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
    sqlite3_busy_timeout(st->db, KG_STORE_WRITER_WAIT_MS);
    rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
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
    if (error == KG_OK)
        error = query_i64(st,
                          "SELECT EXISTS(SELECT 1 FROM docs"
                          " WHERE v_to IS NULL)",
                          &live, err);
    st->bulk = live == 0;
    if (error == KG_OK) error = add_version(st, meta, err);
    if (error < 0) {
        kg_store_rollback(st);
        return error;
    }
    if (vid) *vid = st->cur;
    return KG_OK;
}

/* ---- the path being written ---- */

/* The id of path, adding it when new and add is set (*fresh = 1: no
 * records can exist). Inserting first makes the common case of a first
 * import one statement per path. */
static int path_id(kg_store *st, const char *path, int64_t *id, int *fresh,
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
        if ((rc = step_done(st, s, "adding a path", err)) < 0) return rc;
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

/* The live doc row of the path: *doc = 0 when none, *from its v_from. */
static int live_doc(kg_store *st, int64_t pid, int64_t *doc, int64_t *from,
                    kg_error *err)
{
    sqlite3_stmt *s = kg_store__sq(st, KG_SQ_DOC_LIVE, err);
    int rc;

    *doc = 0;
    *from = 0;
    if (s == NULL) return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, pid);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *doc = sqlite3_column_int64(s, 0);
        *from = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "looking up a document");
    return KG_OK;
}

/* Take back the counts the open version's earlier write of pid added:
 * rows it inserted (added / changed) and rows it ended without successor. */
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
        " (SELECT count(*) FROM edges WHERE path_id=?1 AND v_to IS NULL"
        "  AND v_from=?2 AND chg=1),"
        " (SELECT count(*) FROM edges WHERE path_id=?1 AND v_to IS NULL"
        "  AND v_from=?2 AND chg=2),"
        " (SELECT count(*) FROM edges WHERE v_to=?2 AND path_id=?1"
        "  AND gone=1)",
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
        KG_SQ_DOC_UNDO,    KG_SQ_NODE_UNDO,   KG_SQ_EDGE_UNDO,
        KG_SQ_DIAG_UNDO,   KG_SQ_DOC_REOPEN,  KG_SQ_NODE_REOPEN,
        KG_SQ_EDGE_REOPEN, KG_SQ_DIAG_REOPEN,
    };
    size_t i;
    int error;

    if ((error = uncount_path(st, pid, err)) < 0) return error;
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *s = kg_store__sq(st, steps[i], err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        error = step_done(st, s, "rewriting a document", err);
        if (error < 0) return error;
    }
    return KG_OK;
}

/* Find the live doc row of pid, first undoing what the open version already
 * did to this path, if anything. */
static int prepare_path(kg_store *st, int64_t pid, int64_t *doc,
                        kg_error *err)
{
    sqlite3_stmt *s;
    int64_t from;
    int rc, touched, error;

    if ((error = live_doc(st, pid, doc, &from, err)) < 0) return error;
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
    return live_doc(st, pid, doc, &from, err);
}

int kg_store_remove_doc(kg_store *st, const char *path, kg_error *err)
{
    static const kg_store_sq ends[] = {
        KG_SQ_NODE_END_ALL, KG_SQ_EDGE_END_ALL, KG_SQ_DIAG_END
    };
    sqlite3_stmt *s;
    int64_t pid, doc;
    size_t i;
    int fresh, error;

    if ((error = need_version(st, err)) < 0) return error;
    if ((error = path_id(st, path, &pid, &fresh, 0, err)) < 0) return error;
    if (pid == 0) return KG_OK; /* never stored: nothing to end */
    if ((error = prepare_path(st, pid, &doc, err)) < 0) return error;
    if (doc == 0) return KG_OK;
    for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        if ((s = kg_store__sq(st, ends[i], err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        if ((error = step_done(st, s, "removing a document", err)) < 0)
            return error;
        if (i < 2)
            st->cnt[i == 0 ? KG_CNT_NODES_REMOVED : KG_CNT_EDGES_REMOVED] +=
                sqlite3_changes(st->db);
    }
    if ((s = kg_store__sq(st, KG_SQ_DOC_END, err)) == NULL)
        return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, doc);
    sqlite3_bind_int64(s, 2, st->cur);
    return step_done(st, s, "removing a document", err);
}

/* ---- encoding records ---- */

/* A JSON string for a key or label. Plain ASCII is written as is (the
 * common case, and cheap); anything else goes through kg_json_write so the
 * loader's kg_json_parse reads back exactly what that writer produces. */
static void put_jstr(kg_buf *b, const char *k)
{
    const unsigned char *p;
    kg_value v;

    for (p = (const unsigned char *)k; *p; p++)
        if (*p < 0x20 || *p >= 0x80 || *p == '"' || *p == '\\') break;
    if (*p == '\0') {
        kg_buf_putc(b, '"');
        kg_buf_put(b, k, (size_t)((const char *)p - k));
        kg_buf_putc(b, '"');
        return;
    }
    v = kg_value_string(k, strlen(k));
    if (v.type != KG_VSTRING) {
        b->oom = 1;
        return;
    }
    kg_json_write(b, &v, 1);
    kg_value_release(&v);
}

/* Labels as a JSON array in the order declared; NULL when there are none
 * or on OOM (b->oom tells). */
static const char *enc_labels(kg_buf *b, const kg_node_rec *n)
{
    uint32_t i;

    kg_buf_reset(b);
    if (n->nlabels == 0) return NULL;
    kg_buf_putc(b, '[');
    for (i = 0; i < n->nlabels; i++) {
        if (i) kg_buf_putc(b, ',');
        put_jstr(b, n->labels[i]);
    }
    kg_buf_putc(b, ']');
    return b->oom ? NULL : b->data;
}

/* A property by key, then by position, so the sort is stable and the last
 * of equal keys can be picked. */
typedef struct {
    const char *key;
    uint32_t i;
} pref;

static int cmp_pref(const void *pa, const void *pb)
{
    const pref *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);

    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int is_marker(const char *k)
{
    return strcmp(k, "$date") == 0 || strcmp(k, "$float") == 0 ||
           strcmp(k, "$map") == 0;
}

/* Properties as one typed JSON object with sorted keys, the encoding
 * kg_json_write gives a kg_value map, so the same properties always give
 * the same bytes and comparing encodings finds changes. A key given twice
 * keeps the last value. *out is NULL when there are no properties. */
static int enc_props(const char *src, kg_buf *b, const kg_prop *props,
                     uint32_t n, const char **out, kg_error *err)
{
    pref small[16], *idx = small;
    uint32_t i, kept = 0;
    int wrap, rc = KG_OK;

    kg_buf_reset(b);
    *out = NULL;
    if (n == 0) return KG_OK;
    if (n > 16 && (idx = kg_malloc(n * sizeof *idx)) == NULL)
        KG_CHECK_ALLOC(NULL, err);
    for (i = 0; i < n; i++) {
        idx[i].key = props[i].key;
        idx[i].i = i;
    }
    if (n > 1) qsort(idx, n, sizeof *idx, cmp_pref);
    for (i = 0; i < n; i++) /* keep the last of each run of equal keys */
        if (i + 1 == n || strcmp(idx[i].key, idx[i + 1].key) != 0)
            idx[kept++] = idx[i];
    /* A lone marker key would read back as a typed value: wrap it, as
     * kg_json_write does. */
    wrap = kept == 1 && is_marker(idx[0].key);
    kg_buf_puts(b, wrap ? "{\"$map\":{" : "{");
    for (i = 0; i < kept && rc == KG_OK; i++) {
        const kg_prop *p = &props[idx[i].i];
        if (i) kg_buf_putc(b, ',');
        put_jstr(b, p->key);
        kg_buf_putc(b, ':');
        rc = kg_json_write(b, &p->val, 1);
        if (rc == KG_ETYPE)
            rc = kg_error_set(err, KG_ETYPE, src, (kg_span){0, 0},
                              "property '%s' cannot be stored (a %s)",
                              p->key, kg_value_type_name(p->val.type));
    }
    kg_buf_puts(b, wrap ? "}}" : "}");
    if (idx != small) kg_free(idx);
    if (rc == KG_OK && b->oom) KG_CHECK_ALLOC(NULL, err);
    if (rc < 0) return rc == KG_ENOMEM ? kg_error_set(err, KG_ENOMEM, NULL,
                                                      (kg_span){0, 0},
                                                      "out of memory")
                                       : rc;
    *out = b->data;
    return KG_OK;
}

/* The match key of an edge: src, type and dst separated by NUL bytes. */
static int edge_key(kg_buf *b, const char *src, const char *type,
                    const char *dst)
{
    kg_buf_reset(b);
    kg_buf_put(b, src, strlen(src) + 1);
    kg_buf_put(b, type, strlen(type) + 1);
    kg_buf_puts(b, dst);
    return b->oom ? KG_ENOMEM : KG_OK;
}

/* ---- the old records of a path ---- */

typedef struct {
    int64_t id;
    const char *k; /* node key, or edge_key */
    size_t klen;
    const char *a, *b, *c; /* node: labels, props, text; edge: props */
    int used;
} old_rec;

typedef struct {
    kg_arena *arena;
    old_rec *v;
    size_t n, cap;
} old_set;

static void old_free(old_set *o)
{
    kg_arena_free(o->arena);
    kg_free(o->v);
    memset(o, 0, sizeof *o);
}

static const char *col_dup(old_set *o, sqlite3_stmt *s, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);

    if (len) *len = n;
    if (t == NULL) return NULL;
    return kg_arena_strndup(o->arena, t, n);
}

static int cmp_old(const void *pa, const void *pb)
{
    const old_rec *a = pa, *b = pb;
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(a->k, b->k, n);

    if (c) return c;
    if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Read the live rows of pid from nodes (edges = 0) or edges, sorted by
 * match key. */
static int old_load(kg_store *st, int edges, int64_t pid, old_set *o,
                    kg_error *err)
{
    sqlite3_stmt *s = kg_store__sq(st, edges ? KG_SQ_EDGE_OLD : KG_SQ_NODE_OLD,
                                   err);
    int rc, error = KG_OK;

    if (s == NULL) return err ? err->code : KG_ESTORE;
    if (o->arena == NULL && (o->arena = kg_arena_new()) == NULL)
        KG_CHECK_ALLOC(NULL, err);
    sqlite3_bind_int64(s, 1, pid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        old_rec *r;
        if (o->n == o->cap) {
            size_t cap = o->cap ? 2 * o->cap : 16;
            old_rec *v = kg_realloc(o->v, cap * sizeof *v);
            if (v == NULL) { error = KG_ENOMEM; break; }
            o->v = v;
            o->cap = cap;
        }
        r = &o->v[o->n++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(s, 0);
        if (!edges) {
            r->k = col_dup(o, s, 1, &r->klen);
            r->a = col_dup(o, s, 2, NULL);
            r->b = col_dup(o, s, 3, NULL);
            r->c = col_dup(o, s, 4, NULL);
        } else {
            kg_buf *kb = &st->enc[2];
            const char *src = (const char *)sqlite3_column_text(s, 1);
            const char *type = (const char *)sqlite3_column_text(s, 2);
            const char *dst = (const char *)sqlite3_column_text(s, 3);
            if (edge_key(kb, src ? src : "", type ? type : "",
                         dst ? dst : "") < 0) {
                error = KG_ENOMEM;
                break;
            }
            r->klen = kb->len;
            r->k = kg_arena_strndup(o->arena, kb->data, kb->len);
            r->a = col_dup(o, s, 4, NULL);
        }
        if (r->k == NULL) { error = KG_ENOMEM; break; }
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (error == KG_ENOMEM) KG_CHECK_ALLOC(NULL, err);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading a document's records");
    qsort(o->v, o->n, sizeof *o->v, cmp_old);
    return KG_OK;
}

/* The first unused old record with this match key, or NULL. */
static old_rec *old_match(old_set *o, const char *k, size_t klen)
{
    old_rec key;
    size_t lo = 0, hi = o->n;

    memset(&key, 0, sizeof key);
    key.k = k;
    key.klen = klen;
    key.id = INT64_MIN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_old(&o->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < o->n; lo++) {
        old_rec *r = &o->v[lo];
        if (r->klen != klen || memcmp(r->k, k, klen) != 0) return NULL;
        if (!r->used) return r;
    }
    return NULL;
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* End the old rows at the open version; gone = 1 for those no new record
 * replaced. */
static int old_end(kg_store *st, int edges, old_set *o, kg_error *err)
{
    size_t i;
    int error;

    for (i = 0; i < o->n; i++) {
        sqlite3_stmt *s = kg_store__sq(st, edges ? KG_SQ_EDGE_END
                                                 : KG_SQ_NODE_END, err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, o->v[i].id);
        sqlite3_bind_int64(s, 2, st->cur);
        sqlite3_bind_int(s, 3, !o->v[i].used);
        if ((error = step_done(st, s, "ending a record", err)) < 0)
            return error;
        if (!o->v[i].used)
            st->cnt[edges ? KG_CNT_EDGES_REMOVED : KG_CNT_NODES_REMOVED]++;
    }
    return KG_OK;
}

/* ---- put_doc ---- */

static const char *node_name(const kg_node_rec *n)
{
    uint32_t i;

    for (i = 0; i < n->nprops; i++)
        if (strcmp(n->props[i].key, "name") == 0 &&
            n->props[i].val.type == KG_VSTRING)
            return n->props[i].val.u.str->s;
    return n->key;
}

static int put_nodes(kg_store *st, const kg_doc *doc, int64_t pid,
                     old_set *o, kg_error *err)
{
    uint32_t i;
    int error;

    for (i = 0; i < doc->nnodes; i++) {
        const kg_node_rec *n = &doc->nodes[i];
        const char *labels, *props;
        old_rec *r;
        sqlite3_stmt *s;
        int chg = 1;

        if (n->key == NULL || n->key[0] == '\0')
            return kg_error_set(err, KG_ETYPE, doc->path, (kg_span){0, 0},
                                "line %u: node record without a key",
                                (unsigned)n->line);
        labels = enc_labels(&st->enc[0], n);
        if (st->enc[0].oom) KG_CHECK_ALLOC(NULL, err);
        error = enc_props(doc->path, &st->enc[1], n->props, n->nprops, &props,
                          err);
        if (error < 0) return error;
        r = old_match(o, n->key, strlen(n->key));
        if (r != NULL) {
            r->used = 1;
            chg = same(r->a, labels) && same(r->b, props) &&
                          same(r->c, n->text)
                      ? 0
                      : 2;
        }
        if ((s = kg_store__sq(st, KG_SQ_NODE_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        kg_store__bind_text(s, 2, n->key);
        kg_store__bind_text(s, 3, node_name(n));
        kg_store__bind_text(s, 4, labels);
        kg_store__bind_text(s, 5, props);
        kg_store__bind_text(s, 6, n->text);
        sqlite3_bind_int64(s, 7, n->line);
        sqlite3_bind_int64(s, 8, st->cur);
        sqlite3_bind_int(s, 9, chg);
        if ((error = step_done(st, s, "storing a node", err)) < 0)
            return error;
        if (chg != 0)
            st->cnt[chg == 1 ? KG_CNT_NODES_ADDED : KG_CNT_NODES_CHANGED]++;
    }
    return KG_OK;
}

static int put_edges(kg_store *st, const kg_doc *doc, int64_t pid,
                     old_set *o, kg_error *err)
{
    uint32_t i;
    int error;

    for (i = 0; i < doc->nedges; i++) {
        const kg_edge_rec *e = &doc->edges[i];
        const char *props;
        old_rec *r;
        sqlite3_stmt *s;
        int chg = 1;

        if (e->src == NULL || e->type == NULL || e->dst == NULL ||
            e->type[0] == '\0')
            return kg_error_set(err, KG_ETYPE, doc->path, (kg_span){0, 0},
                                "line %u: edge record without a source, "
                                "type or target",
                                (unsigned)e->line);
        error = enc_props(doc->path, &st->enc[1], e->props, e->nprops, &props,
                          err);
        if (error < 0) return error;
        if (o->n > 0) {
            if (edge_key(&st->enc[2], e->src, e->type, e->dst) < 0)
                KG_CHECK_ALLOC(NULL, err);
            r = old_match(o, st->enc[2].data, st->enc[2].len);
            if (r != NULL) {
                r->used = 1;
                chg = same(r->a, props) ? 0 : 2;
            }
        }
        if ((s = kg_store__sq(st, KG_SQ_EDGE_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        kg_store__bind_text(s, 2, e->src);
        kg_store__bind_text(s, 3, e->type);
        kg_store__bind_text(s, 4, e->dst);
        kg_store__bind_text(s, 5, props);
        sqlite3_bind_int64(s, 6, e->line);
        sqlite3_bind_int64(s, 7, e->col);
        sqlite3_bind_int64(s, 8, st->cur);
        sqlite3_bind_int(s, 9, chg);
        if ((error = step_done(st, s, "storing an edge", err)) < 0)
            return error;
        if (chg != 0)
            st->cnt[chg == 1 ? KG_CNT_EDGES_ADDED : KG_CNT_EDGES_CHANGED]++;
    }
    return KG_OK;
}

static int put_diags(kg_store *st, const kg_doc *doc, int64_t pid,
                     int had_doc, kg_error *err)
{
    sqlite3_stmt *s;
    uint32_t i;
    int error;

    if (had_doc) {
        if ((s = kg_store__sq(st, KG_SQ_DIAG_END, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        if ((error = step_done(st, s, "ending diagnostics", err)) < 0)
            return error;
    }
    for (i = 0; i < doc->ndiags; i++) {
        const kg_diag *d = &doc->diags[i];
        if ((s = kg_store__sq(st, KG_SQ_DIAG_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, d->line);
        sqlite3_bind_int64(s, 3, d->col);
        sqlite3_bind_int(s, 4, d->severity);
        kg_store__bind_text(s, 5, d->msg ? d->msg : "");
        sqlite3_bind_int64(s, 6, st->cur);
        if ((error = step_done(st, s, "storing a diagnostic", err)) < 0)
            return error;
    }
    return KG_OK;
}

/* On failure the version stays open but this path may be half written:
 * the caller is expected to roll back (sync does on any store error). */
int kg_store_put_doc(kg_store *st, const kg_doc *doc, uint64_t content_hash,
                     kg_error *err)
{
    old_set onodes = {0}, oedges = {0};
    sqlite3_stmt *s;
    int64_t pid, doc_row = 0;
    int fresh, error;

    if ((error = need_version(st, err)) < 0) return error;
    if (doc == NULL || doc->path == NULL)
        return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                            "document without a path");
    error = path_id(st, doc->path, &pid, &fresh, 1, err);
    if (error == KG_OK && !fresh) error = prepare_path(st, pid, &doc_row, err);
    if (error == KG_OK && doc_row != 0) {
        if ((error = old_load(st, 0, pid, &onodes, err)) == KG_OK)
            error = old_load(st, 1, pid, &oedges, err);
        if (error == KG_OK && (s = kg_store__sq(st, KG_SQ_DOC_END, err))) {
            sqlite3_bind_int64(s, 1, doc_row);
            sqlite3_bind_int64(s, 2, st->cur);
            error = step_done(st, s, "ending a document", err);
        } else if (error == KG_OK) {
            error = err ? err->code : KG_ESTORE;
        }
    }
    if (error < 0) goto done;
    if ((s = kg_store__sq(st, KG_SQ_DOC_ADD, err)) == NULL) {
        error = err ? err->code : KG_ESTORE;
        goto done;
    }
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, (int64_t)content_hash);
    sqlite3_bind_int64(s, 3, st->cur);
    if ((error = step_done(st, s, "storing a document", err)) < 0 ||
        (error = put_nodes(st, doc, pid, &onodes, err)) < 0 ||
        (error = put_edges(st, doc, pid, &oedges, err)) < 0 ||
        (error = old_end(st, 0, &onodes, err)) < 0 ||
        (error = old_end(st, 1, &oedges, err)) < 0)
        goto done;
    error = put_diags(st, doc, pid, doc_row != 0, err);
done:
    old_free(&onodes);
    old_free(&oedges);
    return error;
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

    if ((error = need_version(st, err)) < 0) return error;
    error = finish_version(st, err);
    if (error == KG_OK)
        error = kg_store__exec(st, "COMMIT", "committing the version", err);
    if (error < 0) {
        kg_store_rollback(st);
        return error;
    }
    st->writing = 0;
    st->bulk = 0;
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
    st->bulk = 0;
    st->cur = 0;
}
