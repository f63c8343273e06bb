/* store_load.c - building the in-memory graph of one version, and the
 * diagnostics that only exist once the graph does (unresolved links,
 * ambiguous names, duplicate keys).
 *
 * Loading is one sequential scan of nodes and one of docs (whose rows hold
 * the edges, store_codec.c), each filtered by the version range, inside
 * one read transaction so the two scans see the same snapshot while a
 * writer commits. Rows are put in (path, position) order before they reach
 * the graph: node ids, and which of two nodes declaring the same key wins
 * ("first wins"), then depend only on the data, not on the order in which
 * syncs happened to write rows. All rows of a path valid at one version
 * come from a single put_doc, whose rows have increasing rowids in
 * document order, so a stable counting sort on the path's rank gives that
 * order in O(rows).
 *
 * Edge targets are the link text as written; they resolve here, by key,
 * then name, then alias, after every node is in: by exact key first,
 * through the hash computed while decoding, and through
 * kg_graph_node_resolve only when that misses. Edges whose ends do not
 * resolve are left out of the graph and reported by kg_store_diags, which
 * re-derives them from the rows and the graph rather than keeping state
 * between calls.
 *
 * What it costs (100k notes, 500k edges, 2-core machine under load):
 * about 0.5-0.65 s CPU. Most of what is left is SQLite reading 100 MB of
 * note bodies, copying them into the graph, and cache misses on the key
 * table and target nodes, which the edge batches below overlap.
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
uint32_t *kg_store__order_by_path(const kg_store_paths *p, const uint32_t *pid,
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

static int loader_init(kg_loader *L, kg_store *st, kg_graph *g,
                       const kg_store_paths *p)
{
    size_t i;

    memset(L, 0, sizeof *L);
    L->st = st;
    L->g = g;
    L->p = p;
    L->src_id = KG_NONE;
    L->type = KG_NONE;
    if ((L->patom = kg_malloc(p->n * sizeof *L->patom)) == NULL)
        return KG_ENOMEM;
    for (i = 0; i < p->n; i++)
        L->patom[i] = KG_NONE;
    return KG_OK;
}

static void loader_free(kg_loader *L)
{
    kg_free(L->patom);
    kg_buf_free(&L->labenc);
}

kg_atom kg_store__path_atom(kg_loader *L, uint32_t pid)
{
    const char *name = L->p->name[pid];

    if (L->patom[pid] == KG_NONE && name != NULL)
        L->patom[pid] = kg_graph_atom(L->g, name, strlen(name));
    return L->patom[pid];
}

/* ---- applying stored encodings ---- */

int kg_store__corrupt(kg_store *st, kg_error *err, const char *file,
                      uint32_t line, const char *what, const char *why)
{
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "the store file is corrupt: %s of the record at "
                        "%s:%u cannot be read (%s)",
                        what, file ? file : "?", (unsigned)line, why);
}

int kg_store__oom(kg_error *err)
{
    return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0}, "out of memory");
}

/* Decode a label encoding into atoms, added to node id as they come. */
static int decode_labels(kg_loader *L, kg_id id, kg_blob b, const char *file,
                         uint32_t line, kg_error *err)
{
    kg_rd r = {b.p, b.p + b.n};
    uint64_t n, i;

    L->nlab = 0;
    L->labok = 0;
    if (kg_store__dec_u(&r, &n) < 0)
        return kg_store__corrupt(L->st, err, file, line, "the labels",
                                 "truncated");
    for (i = 0; i < n; i++) {
        const char *s;
        size_t len;
        kg_atom a;
        if (kg_store__dec_bytes(&r, &s, &len) < 0)
            return kg_store__corrupt(L->st, err, file, line, "the labels",
                                     "truncated");
        a = kg_graph_atom(L->g, s, len);
        if (a == KG_NONE || kg_graph_label_add(L->g, id, a) < 0)
            return kg_store__oom(err);
        if (i < KG_LOADER_LABELS) L->lab[i] = a;
    }
    if (r.p != r.end)
        return kg_store__corrupt(L->st, err, file, line, "the labels",
                                 "trailing bytes");
    /* Keep the set for the next node unless it was too long to keep. */
    if (n <= KG_LOADER_LABELS) {
        kg_buf_reset(&L->labenc);
        if (kg_buf_put(&L->labenc, b.p, b.n) == KG_OK) {
            L->nlab = (uint32_t)n;
            L->labok = 1;
        }
    }
    return KG_OK;
}

static int apply_labels(kg_loader *L, kg_id id, kg_blob b, const char *file,
                        uint32_t line, kg_error *err)
{
    uint32_t i;

    if (b.n == 0) return KG_OK;
    if (L->labok && L->labenc.len == b.n &&
        memcmp(L->labenc.data, b.p, b.n) == 0) {
        for (i = 0; i < L->nlab; i++)
            if (kg_graph_label_add(L->g, id, L->lab[i]) < 0)
                return kg_store__oom(err);
        return KG_OK;
    }
    return decode_labels(L, id, b, file, line, err);
}

/* The atom of the i-th property key k[0..klen). */
static kg_atom key_atom(kg_loader *L, uint64_t i, const char *k, size_t klen)
{
    kg_atom a;

    if (i < KG_LOADER_KEYS && klen > 0 && klen == L->keys[i].len &&
        memcmp(L->keys[i].text, k, klen) == 0)
        return L->keys[i].atom;
    a = kg_graph_atom(L->g, k, klen);
    if (i < KG_LOADER_KEYS && klen > 0 && klen <= KG_LOADER_KEYLEN &&
        a != KG_NONE) {
        memcpy(L->keys[i].text, k, klen);
        L->keys[i].len = (uint8_t)klen;
        L->keys[i].atom = a;
    }
    return a;
}

int kg_store__apply_props(kg_loader *L, kg_elem kind, kg_id id, kg_blob b,
                          const char *file, uint32_t line, kg_error *err)
{
    kg_store *st = L->st;
    kg_graph *g = L->g;
    kg_rd r = {b.p, b.p + b.n};
    uint64_t n, i;
    int rc;

    if (b.n == 0) return KG_OK;
    if (kg_store__dec_u(&r, &n) < 0)
        return kg_store__corrupt(st, err, file, line, "the properties",
                                 "truncated");
    for (i = 0; i < n; i++) {
        const char *k;
        size_t klen;
        kg_value v;
        kg_atom a;
        if ((rc = kg_store__dec_prop(&r, &k, &klen, &v)) < 0)
            return rc == KG_ENOMEM
                       ? kg_store__oom(err)
                       : kg_store__corrupt(st, err, file, line,
                                           "the properties", "malformed");
        a = key_atom(L, i, k, klen);
        rc = a == KG_NONE ? KG_ENOMEM : kg_graph_prop_set(g, kind, id, a, &v);
        kg_value_release(&v);
        if (rc < 0) return kg_store__oom(err);
    }
    if (r.p != r.end)
        return kg_store__corrupt(st, err, file, line, "the properties",
                                 "trailing bytes");
    return KG_OK;
}

/* ---- nodes ---- */

typedef struct {
    const char *key; /* in the load arena */
    kg_blob labels, props;
    char *text; /* kg_malloc'd; moves into the graph */
    uint32_t line;
} nrow;

kg_blob kg_store__col_blob(kg_arena *a, sqlite3_stmt *s, int i, int *oom_)
{
    kg_blob b = {NULL, (size_t)sqlite3_column_bytes(s, i)};
    const void *t = sqlite3_column_blob(s, i);

    if (t == NULL || b.n == 0) {
        b.n = 0;
        return b;
    }
    if ((b.p = (const unsigned char *)kg_arena_strndup(a, t, b.n)) == NULL)
        *oom_ = 1;
    return b;
}

static int add_node(kg_loader *L, nrow *r, uint32_t pid, kg_error *err)
{
    const char *file = L->p->name[pid];
    kg_gnode *x;
    kg_error e;
    kg_id id;
    int error;

    /* e is only read when the add fails, which sets it (clearing its
     * 300 bytes for each of 100k nodes showed in profiles). */
    e.code = KG_OK;
    id = kg_graph_node_add(L->g, r->key, &e);
    if (id == KG_NONE) /* a duplicate key: the first one wins */
        return e.code == KG_EEXISTS
                   ? KG_OK
                   : kg_error_set(err, e.code, NULL, (kg_span){0, 0}, "%s",
                                  e.msg);
    if ((error = apply_labels(L, id, r->labels, file, r->line, err)) < 0 ||
        (error = kg_store__apply_props(L, KG_NODE, id, r->props, file, r->line,
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
    if ((x->origin = kg_store__path_atom(L, pid)) == KG_NONE)
        return kg_store__oom(err);
    x->line = r->line;
    return KG_OK;
}

/* Grow rows (elem bytes each) and pid together to hold one more. */
int kg_store__grow_rows(void **rows, uint32_t **pid, size_t n, size_t *cap,
                        size_t elem)
{
    size_t ncap;
    void *nr;
    uint32_t *np;

    if (n < *cap) return KG_OK;
    ncap = *cap ? 2 * *cap : 1024;
    nr = kg_realloc(*rows, ncap * elem);
    if (nr) *rows = nr;
    np = kg_realloc(*pid, ncap * sizeof *np);
    if (np) *pid = np;
    if (!nr || !np) return KG_ENOMEM;
    *cap = ncap;
    return KG_OK;
}

static int load_nodes(kg_loader *L, int64_t vid, kg_error *err)
{
    kg_store *st = L->st;
    const kg_store_paths *p = L->p;
    sqlite3_stmt *s = NULL;
    kg_arena *a = kg_arena_new();
    nrow *rows = NULL;
    uint32_t *pid = NULL, *order = NULL;
    size_t n = 0, cap = 0, i;
    int rc, nomem = 0, error;

    KG_CHECK_ALLOC(a, err);
    error = kg_store__prepare(st, &s,
                              "SELECT path_id, key, labels, props, text, line"
                              " FROM nodes WHERE" KG_STORE_VALID_AT,
                              err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while (!nomem && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *t;
        nrow *r;
        if (kg_store__grow_rows((void **)&rows, &pid, n, &cap, sizeof *rows) <
            0) {
            nomem = 1;
            break;
        }
        if (id <= 0 || (size_t)id >= p->n) {
            error = kg_store__corrupt(st, err, "?", 0, "the path",
                                      "unknown path id");
            goto done;
        }
        r = &rows[n];
        pid[n++] = (uint32_t)id;
        t = (const char *)sqlite3_column_text(s, 1);
        r->key = t ? kg_arena_strndup(a, t, (size_t)sqlite3_column_bytes(s, 1))
                   : NULL;
        r->labels = kg_store__col_blob(a, s, 2, &nomem);
        r->props = kg_store__col_blob(a, s, 3, &nomem);
        r->text = NULL;
        if ((t = (const char *)sqlite3_column_text(s, 4)) != NULL &&
            (r->text = kg_strndup(t, (size_t)sqlite3_column_bytes(s, 4))) ==
                NULL)
            nomem = 1;
        r->line = (uint32_t)sqlite3_column_int64(s, 5);
        if (r->key == NULL) nomem = 1;
    }
    if (nomem) {
        error = kg_store__oom(err);
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading nodes");
        goto done;
    }
    if ((order = kg_store__order_by_path(p, pid, n)) == NULL ||
        kg_graph__reserve(L->g, n, 0) < 0) {
        error = kg_store__oom(err);
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
    kg_loader L;
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
        error = kg_store__oom(err);
        goto done;
    }
    if (vid == 0) goto done;
    if ((error = kg_store__paths(st, &p, err)) < 0) goto done;
    if (loader_init(&L, st, g, &p) < 0) {
        error = kg_store__oom(err);
        goto done;
    }
    if ((error = load_nodes(&L, vid, err)) < 0 ||
        (error = kg_store__load_edges(&L, vid, err)) < 0 ||
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
