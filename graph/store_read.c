/* store_read.c - reading what the store knows beyond the graph itself:
 * versions, documents and their hashes, diagnostics, the history of one
 * node, and cached fingerprints. (Search is in store_fts.c.)
 *
 * Each call that runs more than one query does so inside one read
 * transaction, so a writer committing meanwhile cannot make it see half of
 * a version. Calls take vid 0 to mean the newest version.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- versions ---- */

void kg_version_info_clear(kg_version_info *v)
{
    if (v == NULL) return;
    kg_free(v->source);
    kg_free(v->ref);
    kg_free(v->author);
    kg_free(v->message);
    memset(v, 0, sizeof *v);
}

#define VERSION_COLS                                                           \
    "SELECT id, commit_id, source, ref, author, message, time, synced_at,"     \
    " draft, nodes_added, nodes_removed, nodes_changed, edges_added,"          \
    " edges_removed, edges_changed, fingerprint FROM versions"

static char *col_strdup(sqlite3_stmt *s, int i, int *oom)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    char *d;

    if (t == NULL) return NULL;
    if ((d = kg_strdup(t)) == NULL) *oom = 1;
    return d;
}

/* Fill v from a VERSION_COLS row; KG_ENOMEM leaves v cleared. */
static int version_row(sqlite3_stmt *s, kg_version_info *v)
{
    const char *c;
    int oom = 0;

    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(s, 0);
    c = (const char *)sqlite3_column_text(s, 1);
    if (c) snprintf(v->commit, sizeof v->commit, "%s", c);
    v->source = col_strdup(s, 2, &oom);
    v->ref = col_strdup(s, 3, &oom);
    v->author = col_strdup(s, 4, &oom);
    v->message = col_strdup(s, 5, &oom);
    v->time = sqlite3_column_int64(s, 6);
    v->synced_at = sqlite3_column_int64(s, 7);
    v->draft = sqlite3_column_int(s, 8);
    v->nodes_added = sqlite3_column_int64(s, 9);
    v->nodes_removed = sqlite3_column_int64(s, 10);
    v->nodes_changed = sqlite3_column_int64(s, 11);
    v->edges_added = sqlite3_column_int64(s, 12);
    v->edges_removed = sqlite3_column_int64(s, 13);
    v->edges_changed = sqlite3_column_int64(s, 14);
    v->fingerprint = (uint64_t)sqlite3_column_int64(s, 15);
    if (oom) {
        kg_version_info_clear(v);
        return KG_ENOMEM;
    }
    return KG_OK;
}

int64_t kg_store_latest(kg_store *st)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;

    if (kg_store__prepare(st, &s, "SELECT max(id) FROM versions", NULL) < 0)
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int kg_store_version(kg_store *st, int64_t vid, kg_version_info *out,
                     kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    memset(out, 0, sizeof *out);
    error = kg_store__prepare(st, &s, VERSION_COLS " WHERE id=?1", err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, vid);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (version_row(s, out) < 0)
            error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                 "out of memory");
    } else if (rc == SQLITE_DONE) {
        error = kg_error_set(err, KG_ENOTFOUND, st->path, (kg_span){0, 0},
                             "no version %lld in this store", (long long)vid);
    } else {
        error = kg_store__fail(st, err, rc, "reading versions");
    }
    sqlite3_finalize(s);
    return error;
}

int kg_store_versions(kg_store *st, kg_version_cb cb, void *payload,
                      kg_error *err)
{
    sqlite3_stmt *s = NULL;
    kg_version_info v;
    int rc, error;

    error = kg_store__prepare(st, &s, VERSION_COLS " ORDER BY id DESC", err);
    if (error < 0) return error;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (version_row(s, &v) < 0) {
            error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                 "out of memory");
            break;
        }
        error = cb(&v, payload);
        kg_version_info_clear(&v);
        if (error != 0) break;
    }
    if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "reading versions");
    sqlite3_finalize(s);
    return error;
}

/* A full or abbreviated (4+ digits) hex id, any case. When a commit was
 * synced more than once the newest committed (non-draft) version wins.
 * KG_ENOTFOUND when nothing matches; KG_ERROR when the prefix matches
 * several commits. */
int kg_store_version_by_commit(kg_store *st, const char *hex, int64_t *vid,
                               kg_error *err)
{
    sqlite3_stmt *s = NULL;
    char want[41], first[41] = "";
    size_t i, len = hex ? strlen(hex) : 0;
    kg_span none = {0, 0};
    int rc, error;

    *vid = 0;
    if (len < 4 || len > 40)
        return kg_error_set(err, KG_ENOTFOUND, st->path, none,
                            "'%s' is not a commit id (4 to 40 hex digits)",
                            hex ? hex : "");
    for (i = 0; i < len; i++) {
        char c = hex[i];
        if (c >= 'A' && c <= 'F') c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return kg_error_set(err, KG_ENOTFOUND, st->path, none,
                                "'%s' is not a commit id (4 to 40 hex "
                                "digits)",
                                hex);
        want[i] = c;
    }
    want[len] = '\0';
    error = kg_store__prepare(st, &s,
                              "SELECT id, commit_id FROM versions"
                              " WHERE substr(commit_id, 1, ?2) = ?1"
                              " ORDER BY draft, id DESC",
                              err);
    if (error < 0) return error;
    kg_store__bind_text(s, 1, want);
    sqlite3_bind_int(s, 2, (int)len);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(s, 1);
        if (*vid == 0) {
            *vid = sqlite3_column_int64(s, 0);
            snprintf(first, sizeof first, "%s", c ? c : "");
        } else if (c && strcmp(c, first) != 0) {
            error = kg_error_set(err, KG_ERROR, st->path, none,
                                 "commit prefix '%s' is ambiguous: it "
                                 "matches %.12s and %.12s",
                                 hex, first, c);
            *vid = 0;
            break;
        }
    }
    if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "reading versions");
    sqlite3_finalize(s);
    if (error == KG_OK && *vid == 0)
        error = kg_error_set(err, KG_ENOTFOUND, st->path, none,
                             "no version was synced from commit %s", hex);
    return error;
}

int kg_store_set_fingerprint(kg_store *st, int64_t vid, uint64_t fp,
                             kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    if (st->readonly)
        return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                            "cannot record a fingerprint: the store is "
                            "read-only");
    error = kg_store__prepare(st, &s,
                              "UPDATE versions SET fingerprint=?2"
                              " WHERE id=?1",
                              err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, vid);
    sqlite3_bind_int64(s, 2, (int64_t)fp);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "recording a fingerprint");
    if (sqlite3_changes(st->db) == 0)
        return kg_error_set(err, KG_ENOTFOUND, st->path, (kg_span){0, 0},
                            "no version %lld in this store", (long long)vid);
    return KG_OK;
}

/* ---- documents ---- */

uint64_t kg_store_doc_hash(kg_store *st, const char *path)
{
    sqlite3_stmt *s = NULL;
    uint64_t h = 0;

    if (kg_store__prepare(st, &s,
                          "SELECT d.hash FROM paths p JOIN docs d"
                          " ON d.path_id = p.id AND d.v_to IS NULL"
                          " WHERE p.path = ?1",
                          NULL) < 0)
        return 0;
    kg_store__bind_text(s, 1, path);
    if (sqlite3_step(s) == SQLITE_ROW) h = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return h;
}

/* Paths in byte order with their content hashes, as of vid. */
int kg_store_docs(kg_store *st, int64_t vid, kg_path_cb cb, void *payload,
                  kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int started, rc = SQLITE_DONE, error;

    if ((error = kg_store__read_begin(st, &started, err)) < 0) return error;
    if ((error = kg_store__resolve_vid(st, &vid, err)) < 0) goto done;
    error = kg_store__prepare(st, &s,
                              "SELECT p.path, d.hash FROM docs d"
                              " JOIN paths p ON p.id = d.path_id"
                              " WHERE" KG_STORE_VALID_AT "ORDER BY p.path",
                              err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        error = cb((const char *)sqlite3_column_text(s, 0),
                   (uint64_t)sqlite3_column_int64(s, 1), payload);
        if (error != 0) break;
    }
    if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "reading documents");
done:
    sqlite3_finalize(s);
    kg_store__read_end(st, started);
    return error;
}

/* ---- history ---- */

typedef struct {
    int64_t version;
    int what; /* 0 removed, 1 added, 2 changed: removals sort first */
    char *path;
    uint32_t line;
} hist;

static int cmp_hist(const void *pa, const void *pb)
{
    const hist *a = pa, *b = pb;
    int c;

    if (a->version != b->version) return a->version < b->version ? -1 : 1;
    if (a->what != b->what) return a->what - b->what;
    if ((c = strcmp(a->path, b->path)) != 0) return c;
    return (a->line > b->line) - (a->line < b->line);
}

/* An added or changed row gives an event at its v_from, a row ended with no
 * successor one at its v_to; rows merely rewritten unchanged give none.
 * KG_ENOTFOUND when no version ever held the key. */
int kg_store_history(kg_store *st, const char *key, kg_history_cb cb,
                     void *payload, kg_error *err)
{
    static const char *const what[] = {"removed", "added", "changed"};
    sqlite3_stmt *s = NULL;
    hist *h = NULL;
    size_t n = 0, cap = 0, i;
    int rc, rows = 0, oom = 0, error;

    error = kg_store__prepare(st, &s,
                              "SELECT n.v_from, n.chg, n.v_to, n.gone,"
                              " p.path, n.line FROM nodes n"
                              " JOIN paths p ON p.id = n.path_id"
                              " WHERE n.key = ?1",
                              err);
    if (error < 0) return error;
    kg_store__bind_text(s, 1, key);
    while (!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int chg = sqlite3_column_int(s, 1);
        int gone = sqlite3_column_int(s, 3);
        const char *path = (const char *)sqlite3_column_text(s, 4);
        int k;
        rows++;
        for (k = 0; k < 2; k++) {
            hist *e;
            if (k == 0 ? (chg != 1 && chg != 2) : !gone) continue;
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 8;
                hist *nh = kg_realloc(h, ncap * sizeof *nh);
                if (nh == NULL) {
                    oom = 1;
                    break;
                }
                h = nh;
                cap = ncap;
            }
            e = &h[n];
            e->version = sqlite3_column_int64(s, k == 0 ? 0 : 2);
            e->what = k == 0 ? chg : 0;
            e->line = (uint32_t)sqlite3_column_int64(s, 5);
            if ((e->path = kg_strdup(path ? path : "")) == NULL) {
                oom = 1;
                break;
            }
            n++;
        }
    }
    sqlite3_finalize(s);
    if (oom)
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
    else if (rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "reading history");
    else if (rows == 0)
        error = kg_error_set(err, KG_ENOTFOUND, st->path, (kg_span){0, 0},
                             "no node with key '%s' in any version", key);
    if (error == KG_OK) {
        if (n > 1) qsort(h, n, sizeof *h, cmp_hist);
        for (i = 0; i < n && error == KG_OK; i++) {
            kg_history_item it;
            it.version = h[i].version;
            it.what = what[h[i].what];
            it.path = h[i].path;
            it.line = h[i].line;
            error = cb(&it, payload);
        }
    }
    for (i = 0; i < n; i++)
        kg_free(h[i].path);
    kg_free(h);
    return error;
}

/* ---- diagnostics ---- */

typedef struct {
    uint32_t rank, line, col, seq;
    int severity;
    const char *path; /* borrowed from the kg_store_paths */
    char *msg;
} ditem;

typedef struct {
    ditem *v;
    size_t n, cap;
    int oom;
    const kg_store_paths *paths;
    kg_buf b;
} dlist;

static void dl_add(dlist *l, uint32_t pid, uint32_t line, uint32_t col,
                   int severity)
{
    ditem *d;

    if (l->b.oom) l->oom = 1;
    if (l->oom) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        ditem *v = kg_realloc(l->v, cap * sizeof *v);
        if (v == NULL) {
            l->oom = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    d = &l->v[l->n];
    d->rank = l->paths->rank[pid];
    d->path = l->paths->name[pid];
    d->line = line;
    d->col = col;
    d->seq = (uint32_t)l->n;
    d->severity = severity;
    if ((d->msg = kg_strndup(l->b.data ? l->b.data : "", l->b.len)) == NULL) {
        l->oom = 1;
        return;
    }
    l->n++;
}

static int cmp_ditem(const void *pa, const void *pb)
{
    const ditem *a = pa, *b = pb;

    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int valid_pid(const kg_store_paths *p, int64_t pid)
{
    return pid > 0 && (size_t)pid < p->n && p->name[pid] != NULL;
}

/* Nodes whose key another declaration took first. */
static void node_diags(sqlite3_stmt *s, kg_graph *g, dlist *l)
{
    int64_t pid = sqlite3_column_int64(s, 0);
    const char *key = (const char *)sqlite3_column_text(s, 1);
    uint32_t line = (uint32_t)sqlite3_column_int64(s, 2), wline = 0;
    const char *won;
    kg_id id;

    if (!valid_pid(l->paths, pid) || key == NULL) return;
    if ((id = kg_graph_node_find(g, key)) == KG_NONE) return;
    won = kg_graph_origin(g, KG_NODE, id, &wline);
    if (won == NULL || (strcmp(won, l->paths->name[pid]) == 0 && wline == line))
        return;
    kg_buf_reset(&l->b);
    kg_buf_printf(&l->b,
                  "duplicate node key '%s': first declared at %s:%u; this "
                  "declaration is ignored",
                  key, won, (unsigned)wline);
    dl_add(l, (uint32_t)pid, line, 1, KG_SEV_ERROR);
}

static void edge_end_diag(dlist *l, kg_graph *g, int64_t pid, uint32_t line,
                          uint32_t col, const char *type, const char *end,
                          const char *other, int is_src)
{
    int amb = 0;
    kg_id id = kg_graph_node_resolve(g, end, &amb);

    kg_buf_reset(&l->b);
    if (id == KG_NONE) {
        if (is_src)
            kg_buf_printf(&l->b, "unresolved edge source '%s' (%s to '%s')",
                          end, type, other);
        else
            kg_buf_printf(&l->b, "unresolved link target '%s' (%s from '%s')",
                          end, type, other);
        dl_add(l, (uint32_t)pid, line, col, KG_SEV_ERROR);
    } else if (amb) {
        kg_buf_printf(&l->b,
                      "ambiguous link %s '%s': several nodes share this name "
                      "or alias; it resolves to '%s'",
                      is_src ? "source" : "target", end,
                      kg_graph_node_key(g, id));
        dl_add(l, (uint32_t)pid, line, col, KG_SEV_WARNING);
    }
}

/* The edges of one doc row: KG_ESTORE when its encoding is malformed. */
static int edge_diags(sqlite3_stmt *s, kg_graph *g, dlist *l)
{
    int64_t pid = sqlite3_column_int64(s, 0);
    const void *blob = sqlite3_column_blob(s, 1);
    kg_edge_iter it;
    int rc;

    if (!valid_pid(l->paths, pid)) return KG_OK;
    if (kg_store__edges_open(&it, blob, (size_t)sqlite3_column_bytes(s, 1)) <
        0)
        return KG_ESTORE;
    while ((rc = kg_store__edges_next(&it)) == 1) {
        const kg_edge_view *e = &it.cur;
        edge_end_diag(l, g, pid, e->line, e->col, e->type, e->src, e->dst, 1);
        edge_end_diag(l, g, pid, e->line, e->col, e->type, e->dst, e->src, 0);
    }
    return rc < 0 ? KG_ESTORE : KG_OK;
}

/* Run one diagnostics query over the rows valid at vid. kind: 0 parse
 * diagnostics, 1 nodes, 2 edges. */
static int diag_scan(kg_store *st, int64_t vid, int kind, kg_graph *g, dlist *l,
                     kg_error *err)
{
    static const char *const sql[] = {
        "SELECT path_id, line, col, severity, msg FROM diags "
        "WHERE" KG_STORE_VALID_AT,
        "SELECT path_id, key, line FROM nodes WHERE" KG_STORE_VALID_AT,
        "SELECT path_id, edges FROM docs WHERE" KG_STORE_VALID_AT
        "AND edges IS NOT NULL",
    };
    sqlite3_stmt *s = NULL;
    int rc, error = kg_store__prepare(st, &s, sql[kind], err);

    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, vid);
    while (!l->oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(s, 0);
        const char *msg;
        if (kind == 1) {
            node_diags(s, g, l);
            continue;
        }
        if (kind == 2) {
            if (edge_diags(s, g, l) == KG_OK) continue;
            sqlite3_finalize(s);
            return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                                "the store file is corrupt: the stored "
                                "edges of '%s' cannot be read",
                                valid_pid(l->paths, pid)
                                    ? l->paths->name[pid]
                                    : "?");
        }
        msg = (const char *)sqlite3_column_text(s, 4);
        if (!valid_pid(l->paths, pid)) continue;
        kg_buf_reset(&l->b);
        kg_buf_puts(&l->b, msg ? msg : "");
        dl_add(l, (uint32_t)pid, (uint32_t)sqlite3_column_int64(s, 1),
               (uint32_t)sqlite3_column_int64(s, 2), sqlite3_column_int(s, 3));
    }
    sqlite3_finalize(s);
    if (l->oom) KG_CHECK_ALLOC(NULL, err);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading diagnostics");
    return KG_OK;
}

/* Parse diagnostics stored with the documents, plus, when g (loaded at vid)
 * is given, duplicate keys (error), unresolved link ends (error) and
 * ambiguous ones (warning). All in path order, then line and column. A
 * non-zero return of cb stops the walk and is returned. */
int kg_store_diags(kg_store *st, int64_t vid, kg_graph *g, kg_diag_cb cb,
                   void *payload, kg_error *err)
{
    kg_store_paths p;
    dlist l;
    size_t i;
    int started, error;

    memset(&p, 0, sizeof p);
    memset(&l, 0, sizeof l);
    if ((error = kg_store__read_begin(st, &started, err)) < 0) return error;
    if ((error = kg_store__resolve_vid(st, &vid, err)) < 0 || vid == 0 ||
        (error = kg_store__paths(st, &p, err)) < 0)
        goto done;
    l.paths = &p;
    if ((error = diag_scan(st, vid, 0, g, &l, err)) < 0) goto done;
    if (g != NULL && ((error = diag_scan(st, vid, 1, g, &l, err)) < 0 ||
                      (error = diag_scan(st, vid, 2, g, &l, err)) < 0))
        goto done;
    kg_store__read_end(st, started);
    started = 0;
    if (l.n > 1) qsort(l.v, l.n, sizeof *l.v, cmp_ditem);
    for (i = 0; i < l.n && error == KG_OK; i++) {
        kg_diag d;
        d.line = l.v[i].line;
        d.col = l.v[i].col;
        d.severity = l.v[i].severity;
        d.msg = l.v[i].msg;
        error = cb(l.v[i].path, &d, payload);
    }
done:
    kg_store__read_end(st, started);
    for (i = 0; i < l.n; i++)
        kg_free(l.v[i].msg);
    kg_free(l.v);
    kg_buf_free(&l.b);
    kg_store__paths_free(&p);
    return error;
}
