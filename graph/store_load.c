/* store_load.c - building the in-memory graph of one version, and the
 * diagnostics that only exist once the graph does (unresolved links,
 * ambiguous names, duplicate keys).
 *
 * Loading is one sequential scan of nodes and one of edges, each filtered by
 * the version range, inside one read transaction so the two scans see the
 * same snapshot while a writer commits. Rows are put in (path, position)
 * order before they reach the graph: node ids, and which of two nodes
 * declaring the same key wins ("first wins"), then depend only on the data,
 * not on the order in which syncs happened to write rows. All rows of a
 * path valid at one version come from a single put_doc, whose rows have
 * increasing rowids in document order, so a stable counting sort on the
 * path's rank gives that order in O(rows).
 *
 * Edge targets are the link text as written; they resolve here, by key,
 * then name, then alias (kg_graph_node_resolve), after every node is in.
 * Edges whose ends do not resolve are left out of the graph and reported by
 * kg_store_diags, which re-derives them from the rows and the graph rather
 * than keeping state between calls.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#include "store_int.h"

/* ---- paths ---- */

void kg_store__paths_free(kg_store_paths *p)
{
    kg_free(p->rank);
    kg_free((void *)p->name);
    kg_arena_free(p->arena);
    memset(p, 0, sizeof *p);
}

int kg_store__paths(kg_store *st, kg_store_paths *p, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int64_t max = 0;
    uint32_t r = 0;
    int rc, error;

    memset(p, 0, sizeof *p);
    error = kg_store__prepare(st, &s, "SELECT max(id) FROM paths", err);
    if (error < 0) return error;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) max = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) return kg_store__fail(st, err, rc, "reading paths");
    if (max < 0 || max >= (int64_t)UINT32_MAX)
        return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                            "the store file is corrupt (path id %lld)",
                            (long long)max);
    p->n = (size_t)max + 1;
    p->rank = kg_calloc(p->n, sizeof *p->rank);
    p->name = kg_calloc(p->n, sizeof *p->name);
    p->arena = kg_arena_new();
    if (p->rank == NULL || p->name == NULL || p->arena == NULL) {
        kg_store__paths_free(p);
        KG_CHECK_ALLOC(NULL, err);
    }
    error = kg_store__prepare(st, &s,
                              "SELECT id, path FROM paths"
                              " ORDER BY path",
                              err);
    if (error < 0) goto done;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *t = (const char *)sqlite3_column_text(s, 1);
        if (id <= 0 || id > max || t == NULL) continue;
        p->rank[id] = r++;
        p->name[id] =
            kg_arena_strndup(p->arena, t, (size_t)sqlite3_column_bytes(s, 1));
        if (p->name[id] == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    if (rc != SQLITE_DONE) error = kg_store__fail(st, err, rc, "reading paths");
    sqlite3_finalize(s);
done:
    if (error < 0) kg_store__paths_free(p);
    return error;
}

/* A permutation of 0..n-1 ordering items by rank[pid[i]], stable. */
static uint32_t *order_by_path(const kg_store_paths *p, const uint32_t *pid,
                               size_t n)
{
    uint32_t *count = kg_calloc(p->n + 1, sizeof *count);
    uint32_t *order = kg_malloc((n ? n : 1) * sizeof *order);
    size_t i;

    if (count == NULL || order == NULL) {
        kg_free(count);
        kg_free(order);
        return NULL;
    }
    for (i = 0; i < n; i++)
        count[p->rank[pid[i]] + 1]++;
    for (i = 1; i <= p->n; i++)
        count[i] += count[i - 1];
    for (i = 0; i < n; i++)
        order[count[p->rank[pid[i]]]++] = (uint32_t)i;
    kg_free(count);
    return order;
}

/* ---- the state of one load ---- */

/* What repeats from row to row is looked up once: the path atom of each
 * path id, the atoms of the last label set (most nodes of a dataset share
 * a few), the node of the last edge source (a document's edges are
 * consecutive and share their source). */
#define LOADER_LABELS 8

typedef struct {
    kg_store *st;
    kg_graph *g;
    const kg_store_paths *p;
    kg_atom *patom; /* by path id, KG_NONE until first used */
    char *labjson;  /* last label set parsed (kg_malloc'd)    */
    kg_atom lab[LOADER_LABELS];
    uint32_t nlab;
    kg_buf srcbuf; /* last edge source text and its node     */
    kg_id src_id;
    const char *type_text; /* last edge type and its atom            */
    kg_atom type;
} loader;

static int loader_init(loader *L, kg_store *st, kg_graph *g,
                       const kg_store_paths *p)
{
    size_t i;

    memset(L, 0, sizeof *L);
    L->st = st;
    L->g = g;
    L->p = p;
    L->src_id = KG_NONE;
    if ((L->patom = kg_malloc(p->n * sizeof *L->patom)) == NULL)
        return KG_ENOMEM;
    for (i = 0; i < p->n; i++)
        L->patom[i] = KG_NONE;
    return KG_OK;
}

static void loader_free(loader *L)
{
    kg_free(L->patom);
    kg_free(L->labjson);
    kg_buf_free(&L->srcbuf);
}

static kg_atom path_atom(loader *L, uint32_t pid)
{
    const char *name = L->p->name[pid];

    if (L->patom[pid] == KG_NONE && name != NULL)
        L->patom[pid] = kg_graph_atom(L->g, name, strlen(name));
    return L->patom[pid];
}

/* ---- applying stored JSON ---- */

static int corrupt(kg_store *st, kg_error *err, const char *file, uint32_t line,
                   const char *what, const char *why)
{
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "the store file is corrupt: %s of the record at "
                        "%s:%u cannot be read (%s)",
                        what, file ? file : "?", (unsigned)line, why);
}

static int add_labels(loader *L, kg_id id)
{
    uint32_t i;

    for (i = 0; i < L->nlab; i++)
        if (kg_graph_label_add(L->g, id, L->lab[i]) < 0) return KG_ENOMEM;
    return KG_OK;
}

static int apply_labels(loader *L, kg_id id, const char *json, const char *file,
                        uint32_t line, kg_error *err)
{
    kg_value v;
    kg_error e;
    uint32_t i;
    int error = KG_OK;

    if (json == NULL) return KG_OK;
    if (L->labjson != NULL && strcmp(L->labjson, json) == 0) {
        if (add_labels(L, id) < 0) KG_CHECK_ALLOC(NULL, err);
        return KG_OK;
    }
    kg_free(L->labjson);
    L->labjson = NULL;
    L->nlab = 0;
    kg_error_clear(&e);
    if (kg_json_parse(&v, json, strlen(json), 1, &e) < 0)
        return e.code == KG_ENOMEM
                   ? kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                  "out of memory")
                   : corrupt(L->st, err, file, line, "labels", e.msg);
    if (v.type != KG_VLIST) {
        kg_value_release(&v);
        return corrupt(L->st, err, file, line, "labels", "not a list");
    }
    for (i = 0; i < v.u.list->len && error == KG_OK; i++) {
        const kg_value *l = &v.u.list->items[i];
        kg_atom a;
        if (l->type != KG_VSTRING) {
            error = corrupt(L->st, err, file, line, "labels", "not a string");
            break;
        }
        a = kg_graph_atom(L->g, l->u.str->s, l->u.str->len);
        if (a == KG_NONE || kg_graph_label_add(L->g, id, a) < 0)
            error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                 "out of memory");
        else if (i < LOADER_LABELS)
            L->lab[i] = a;
    }
    /* Cache the set for the next node unless it was too long to keep. */
    if (error == KG_OK && v.u.list->len <= LOADER_LABELS &&
        (L->labjson = kg_strdup(json)) != NULL)
        L->nlab = v.u.list->len;
    kg_value_release(&v);
    return error;
}

static int apply_props(kg_store *st, kg_graph *g, kg_elem kind, kg_id id,
                       const char *json, const char *file, uint32_t line,
                       kg_error *err)
{
    kg_value v;
    kg_error e;
    uint32_t i;
    int error = KG_OK;

    if (json == NULL) return KG_OK;
    kg_error_clear(&e);
    if (kg_json_parse(&v, json, strlen(json), 1, &e) < 0)
        return e.code == KG_ENOMEM
                   ? kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                  "out of memory")
                   : corrupt(st, err, file, line, "properties", e.msg);
    if (v.type != KG_VMAP) {
        kg_value_release(&v);
        return corrupt(st, err, file, line, "properties", "not a map");
    }
    for (i = 0; i < v.u.map->len && error == KG_OK; i++) {
        const kg_vstr *k = v.u.map->keys[i];
        kg_atom a = kg_graph_atom(g, k->s, k->len);
        if (a == KG_NONE ||
            kg_graph_prop_set(g, kind, id, a, &v.u.map->vals[i]) < 0)
            error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                 "out of memory");
    }
    kg_value_release(&v);
    return error;
}

/* ---- nodes ---- */

typedef struct {
    const char *key, *labels, *props; /* in the load arena */
    char *text;                       /* kg_malloc'd; moves into the graph */
    uint32_t line;
} nrow;

static const char *arena_col(kg_arena *a, sqlite3_stmt *s, int i, int *oom)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    char *d;

    if (t == NULL) return NULL;
    d = kg_arena_strndup(a, t, (size_t)sqlite3_column_bytes(s, i));
    if (d == NULL) *oom = 1;
    return d;
}

static int add_node(loader *L, nrow *r, uint32_t pid, kg_error *err)
{
    const char *file = L->p->name[pid];
    kg_gnode *x;
    kg_error e;
    kg_id id;
    int error;

    kg_error_clear(&e);
    id = kg_graph_node_add(L->g, r->key, &e);
    if (id == KG_NONE) /* a duplicate key: the first one wins */
        return e.code == KG_EEXISTS
                   ? KG_OK
                   : kg_error_set(err, e.code, NULL, (kg_span){0, 0}, "%s",
                                  e.msg);
    if ((error = apply_labels(L, id, r->labels, file, r->line, err)) < 0 ||
        (error = apply_props(L->st, L->g, KG_NODE, id, r->props, file, r->line,
                             err)) < 0)
        return error;
    x = kg_graph__node(L->g, id);
    if (r->text != NULL && r->text[0] != '\0') {
        /* Hand the body over rather than copy 1 KB per node once more. */
        kg_free(x->text);
        x->text = r->text;
        r->text = NULL;
    }
    /* As kg_graph_origin_set, with the path interned once per path. */
    if ((x->origin = path_atom(L, pid)) == KG_NONE) KG_CHECK_ALLOC(NULL, err);
    x->line = r->line;
    return KG_OK;
}

static int load_nodes(loader *L, int64_t vid, kg_error *err)
{
    kg_store *st = L->st;
    const kg_store_paths *p = L->p;
    sqlite3_stmt *s = NULL;
    kg_arena *a = kg_arena_new();
    nrow *rows = NULL;
    uint32_t *pid = NULL, *order = NULL;
    size_t n = 0, cap = 0, i;
    int rc, oom = 0, error;

    KG_CHECK_ALLOC(a, err);
    error = kg_store__prepare(st, &s,
                              "SELECT path_id, key, labels, props, text, line"
                              " FROM nodes WHERE" KG_STORE_VALID_AT,
                              err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while (!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        nrow *r;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            nrow *nr = kg_realloc(rows, ncap * sizeof *nr);
            uint32_t *np = kg_realloc(pid, ncap * sizeof *np);
            if (nr) rows = nr;
            if (np) pid = np;
            if (!nr || !np) {
                oom = 1;
                break;
            }
            cap = ncap;
        }
        if (id <= 0 || (size_t)id >= p->n) {
            error = corrupt(st, err, "?", 0, "the path", "unknown path id");
            goto done;
        }
        r = &rows[n];
        pid[n++] = (uint32_t)id;
        r->key = arena_col(a, s, 1, &oom);
        r->labels = arena_col(a, s, 2, &oom);
        r->props = arena_col(a, s, 3, &oom);
        r->text = NULL;
        if (sqlite3_column_type(s, 4) != SQLITE_NULL &&
            (r->text = kg_strndup((const char *)sqlite3_column_text(s, 4),
                                  (size_t)sqlite3_column_bytes(s, 4))) == NULL)
            oom = 1;
        r->line = (uint32_t)sqlite3_column_int64(s, 5);
        if (r->key == NULL) oom = 1;
    }
    if (oom) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading nodes");
        goto done;
    }
    if ((order = order_by_path(p, pid, n)) == NULL ||
        kg_graph__reserve(L->g, n, 0) < 0) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    for (i = 0; i < n && error == KG_OK; i++)
        error = add_node(L, &rows[order[i]], pid[order[i]], err);
done:
    sqlite3_finalize(s);
    for (i = 0; i < n; i++)
        kg_free(rows[i].text);
    kg_free(rows);
    kg_free(pid);
    kg_free(order);
    kg_arena_free(a);
    return error;
}

/* ---- edges ---- */

/* An edge row, its ends already resolved: the link text is only needed
 * while the row is current, so nothing of it is copied. */
typedef struct {
    kg_id src, dst;
    kg_atom type;
    uint32_t line;
    const char *props; /* in the load arena; NULL for most edges */
} erow;

static int add_edge(loader *L, const erow *r, uint32_t pid, kg_error *err)
{
    kg_gedge *x;
    kg_id e;
    kg_error ee;

    kg_error_clear(&ee);
    e = kg_graph_edge_add(L->g, r->src, r->dst, r->type, &ee);
    if (e == KG_NONE)
        return kg_error_set(err, ee.code, NULL, (kg_span){0, 0}, "%s", ee.msg);
    if (apply_props(L->st, L->g, KG_EDGE, e, r->props, L->p->name[pid], r->line,
                    err) < 0)
        return err ? err->code : KG_ESTORE;
    x = kg_graph__edge(L->g, e);
    if ((x->origin = path_atom(L, pid)) == KG_NONE) KG_CHECK_ALLOC(NULL, err);
    x->line = r->line;
    return KG_OK;
}

/* Read the current row into r, resolving its ends now that every node is
 * in the graph. Returns 1 when an end does not resolve (the row is skipped
 * and kg_store_diags reports it), KG_ESTORE for a row missing a column. */
static int scan_edge(loader *L, kg_arena *a, sqlite3_stmt *s, erow *r)
{
    const char *src = (const char *)sqlite3_column_text(s, 1);
    const char *type = (const char *)sqlite3_column_text(s, 2);
    size_t lt = (size_t)sqlite3_column_bytes(s, 2);
    const char *dst = (const char *)sqlite3_column_text(s, 3);
    const char *props = (const char *)sqlite3_column_text(s, 4);

    if (src == NULL || type == NULL || dst == NULL) return KG_ESTORE;
    /* A document's edges are consecutive and share their source. */
    if (L->srcbuf.data == NULL || strcmp(L->srcbuf.data, src) != 0) {
        kg_buf_reset(&L->srcbuf);
        if (kg_buf_puts(&L->srcbuf, src) < 0) return KG_ENOMEM;
        L->src_id = kg_graph_node_resolve(L->g, src, NULL);
    }
    r->src = L->src_id;
    r->dst = kg_graph_node_resolve(L->g, dst, NULL);
    if (r->src == KG_NONE || r->dst == KG_NONE) return 1;
    /* Edge types repeat: intern only when the type text changes. */
    if (L->type_text == NULL || strcmp(L->type_text, type) != 0) {
        L->type = kg_graph_atom(L->g, type, lt);
        if (L->type == KG_NONE) return KG_ENOMEM;
        L->type_text = kg_graph_atom_str(L->g, L->type);
    }
    r->type = L->type;
    r->line = (uint32_t)sqlite3_column_int64(s, 5);
    r->props = NULL;
    if (props != NULL &&
        (r->props = kg_arena_strndup(
             a, props, (size_t)sqlite3_column_bytes(s, 4))) == NULL)
        return KG_ENOMEM;
    return KG_OK;
}

static int load_edges(loader *L, int64_t vid, kg_error *err)
{
    kg_store *st = L->st;
    const kg_store_paths *p = L->p;
    sqlite3_stmt *s = NULL;
    kg_arena *a = kg_arena_new();
    erow *rows = NULL;
    uint32_t *pid = NULL, *order = NULL;
    size_t n = 0, cap = 0, i;
    int rc = SQLITE_DONE, error;

    KG_CHECK_ALLOC(a, err);
    error = kg_store__prepare(st, &s,
                              "SELECT path_id, src, type, dst, props, line"
                              " FROM edges WHERE" KG_STORE_VALID_AT,
                              err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            erow *nr = kg_realloc(rows, ncap * sizeof *nr);
            uint32_t *np = kg_realloc(pid, ncap * sizeof *np);
            if (nr) rows = nr;
            if (np) pid = np;
            if (!nr || !np) {
                error = KG_ENOMEM;
                break;
            }
            cap = ncap;
        }
        if (id <= 0 || (size_t)id >= p->n) {
            error = corrupt(st, err, "?", 0, "the path", "unknown path id");
            goto done;
        }
        error = scan_edge(L, a, s, &rows[n]);
        if (error == 1) { /* unresolved: left out */
            error = KG_OK;
            continue;
        }
        if (error == KG_ESTORE) {
            error = corrupt(st, err, p->name[id],
                            (uint32_t)sqlite3_column_int64(s, 5), "an edge",
                            "missing source, type or target");
            goto done;
        }
        if (error < 0) break;
        pid[n++] = (uint32_t)id;
    }
    if (error == KG_ENOMEM) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading edges");
        goto done;
    }
    if ((order = order_by_path(p, pid, n)) == NULL ||
        kg_graph__reserve(L->g, 0, n) < 0) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    for (i = 0; i < n && error == KG_OK; i++)
        error = add_edge(L, &rows[order[i]], pid[order[i]], err);
done:
    sqlite3_finalize(s);
    kg_free(rows);
    kg_free(pid);
    kg_free(order);
    kg_arena_free(a);
    return error;
}

/* ---- load ---- */

/* The fingerprint is a cache filled by the first load of a version. It is
 * written only when that costs no waiting: inside this handle's own open
 * version (for an older version), or when the write lock is free at once;
 * a read-only store or a busy one simply computes it again next time. */
static void cache_fingerprint(kg_store *st, int64_t vid, const kg_graph *g)
{
    uint64_t fp;

    if (st->readonly) return;
    fp = kg_graph_fingerprint(g);
    if (!st->writing) sqlite3_busy_timeout(st->db, 0);
    kg_store_set_fingerprint(st, vid, fp, NULL);
    if (!st->writing) sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
}

static int stored_fingerprint(kg_store *st, int64_t vid, uint64_t *fp,
                              kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    *fp = 0;
    error = kg_store__prepare(st, &s,
                              "SELECT fingerprint FROM versions"
                              " WHERE id=?1",
                              err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, vid);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) *fp = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading versions");
    return KG_OK;
}

/* vid 0 means the newest version (an empty graph for an empty store). On
 * failure *out is NULL and nothing is left allocated. */
int kg_store_load(kg_store *st, int64_t vid, kg_graph **out, kg_error *err)
{
    kg_store_paths p;
    loader L;
    kg_graph *g = NULL;
    uint64_t fp = 1;
    int started = 0, error;

    *out = NULL;
    memset(&p, 0, sizeof p);
    memset(&L, 0, sizeof L);
    if ((error = kg_store__read_begin(st, &started, err)) < 0) return error;
    if ((error = kg_store__resolve_vid(st, &vid, err)) < 0) goto done;
    g = kg_graph_new();
    if (g == NULL) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    if (vid == 0) goto done;
    if ((error = kg_store__paths(st, &p, err)) < 0) goto done;
    if (loader_init(&L, st, g, &p) < 0) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    if ((error = load_nodes(&L, vid, err)) < 0 ||
        (error = load_edges(&L, vid, err)) < 0 ||
        (error = stored_fingerprint(st, vid, &fp, err)) < 0)
        goto done;
done:
    loader_free(&L);
    kg_store__read_end(st, started);
    kg_store__paths_free(&p);
    if (error < 0) {
        kg_graph_free(g);
        return error;
    }
    /* The open version may still change: its fingerprint would go stale. */
    if (fp == 0 && vid != 0 && !(st->writing && vid == st->cur))
        cache_fingerprint(st, vid, g);
    *out = g;
    return KG_OK;
}
