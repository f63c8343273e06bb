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
 * consecutive and share their source), the last edge type. */
#define LOADER_LABELS 8
#define KEY_CACHE 16
#define KEY_CACHE_LEN 24

typedef struct {
    kg_store *st;
    kg_graph *g;
    const kg_store_paths *p;
    kg_atom *patom; /* by path id, KG_NONE until first used */
    kg_buf labenc;  /* last label encoding decoded           */
    kg_atom lab[LOADER_LABELS];
    uint32_t nlab;
    int labok;      /* lab[] holds labenc's atoms            */
    /* Property keys by position: most records of a dataset list the same
     * keys in the same (sorted) order, so the i-th key is usually the
     * previous record's i-th and needs no interning. */
    struct {
        char text[KEY_CACHE_LEN];
        uint8_t len; /* 0: empty slot (keys this short are not cached) */
        kg_atom atom;
    } keys[KEY_CACHE];
    const char *src_text; /* last edge source, in a loaded blob */
    kg_id src_id;
    kg_atom type;   /* last edge type's atom, KG_NONE = none */
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
    L->type = KG_NONE;
    if ((L->patom = kg_malloc(p->n * sizeof *L->patom)) == NULL)
        return KG_ENOMEM;
    for (i = 0; i < p->n; i++)
        L->patom[i] = KG_NONE;
    return KG_OK;
}

static void loader_free(loader *L)
{
    kg_free(L->patom);
    kg_buf_free(&L->labenc);
}

static kg_atom path_atom(loader *L, uint32_t pid)
{
    const char *name = L->p->name[pid];

    if (L->patom[pid] == KG_NONE && name != NULL)
        L->patom[pid] = kg_graph_atom(L->g, name, strlen(name));
    return L->patom[pid];
}

/* ---- applying stored encodings ---- */

typedef struct {
    const unsigned char *p;
    size_t n;
} blob; /* n == 0: none */

static int corrupt(kg_store *st, kg_error *err, const char *file, uint32_t line,
                   const char *what, const char *why)
{
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "the store file is corrupt: %s of the record at "
                        "%s:%u cannot be read (%s)",
                        what, file ? file : "?", (unsigned)line, why);
}

static int oom(kg_error *err)
{
    return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                        "out of memory");
}

/* Decode a label encoding into atoms, added to node id as they come. */
static int decode_labels(loader *L, kg_id id, blob b, const char *file,
                         uint32_t line, kg_error *err)
{
    kg_rd r = {b.p, b.p + b.n};
    uint64_t n, i;

    L->nlab = 0;
    L->labok = 0;
    if (kg_store__dec_u(&r, &n) < 0)
        return corrupt(L->st, err, file, line, "the labels", "truncated");
    for (i = 0; i < n; i++) {
        const char *s;
        size_t len;
        kg_atom a;
        if (kg_store__dec_bytes(&r, &s, &len) < 0)
            return corrupt(L->st, err, file, line, "the labels", "truncated");
        a = kg_graph_atom(L->g, s, len);
        if (a == KG_NONE || kg_graph_label_add(L->g, id, a) < 0)
            return oom(err);
        if (i < LOADER_LABELS) L->lab[i] = a;
    }
    if (r.p != r.end)
        return corrupt(L->st, err, file, line, "the labels", "trailing bytes");
    /* Keep the set for the next node unless it was too long to keep. */
    if (n <= LOADER_LABELS) {
        kg_buf_reset(&L->labenc);
        if (kg_buf_put(&L->labenc, b.p, b.n) == KG_OK) {
            L->nlab = (uint32_t)n;
            L->labok = 1;
        }
    }
    return KG_OK;
}

static int apply_labels(loader *L, kg_id id, blob b, const char *file,
                        uint32_t line, kg_error *err)
{
    uint32_t i;

    if (b.n == 0) return KG_OK;
    if (L->labok && L->labenc.len == b.n &&
        memcmp(L->labenc.data, b.p, b.n) == 0) {
        for (i = 0; i < L->nlab; i++)
            if (kg_graph_label_add(L->g, id, L->lab[i]) < 0) return oom(err);
        return KG_OK;
    }
    return decode_labels(L, id, b, file, line, err);
}

/* The atom of the i-th property key k[0..klen). */
static kg_atom key_atom(loader *L, uint64_t i, const char *k, size_t klen)
{
    kg_atom a;

    if (i < KEY_CACHE && klen > 0 && klen == L->keys[i].len &&
        memcmp(L->keys[i].text, k, klen) == 0)
        return L->keys[i].atom;
    a = kg_graph_atom(L->g, k, klen);
    if (i < KEY_CACHE && klen > 0 && klen <= KEY_CACHE_LEN && a != KG_NONE) {
        memcpy(L->keys[i].text, k, klen);
        L->keys[i].len = (uint8_t)klen;
        L->keys[i].atom = a;
    }
    return a;
}

static int apply_props(loader *L, kg_elem kind, kg_id id, blob b,
                       const char *file, uint32_t line, kg_error *err)
{
    kg_store *st = L->st;
    kg_graph *g = L->g;
    kg_rd r = {b.p, b.p + b.n};
    uint64_t n, i;
    int rc;

    if (b.n == 0) return KG_OK;
    if (kg_store__dec_u(&r, &n) < 0)
        return corrupt(st, err, file, line, "the properties", "truncated");
    for (i = 0; i < n; i++) {
        const char *k;
        size_t klen;
        kg_value v;
        kg_atom a;
        if ((rc = kg_store__dec_prop(&r, &k, &klen, &v)) < 0)
            return rc == KG_ENOMEM ? oom(err)
                                   : corrupt(st, err, file, line,
                                             "the properties", "malformed");
        a = key_atom(L, i, k, klen);
        rc = a == KG_NONE ? KG_ENOMEM : kg_graph_prop_set(g, kind, id, a, &v);
        kg_value_release(&v);
        if (rc < 0) return oom(err);
    }
    if (r.p != r.end)
        return corrupt(st, err, file, line, "the properties",
                       "trailing bytes");
    return KG_OK;
}

/* ---- nodes ---- */

typedef struct {
    const char *key; /* in the load arena */
    blob labels, props;
    char *text;      /* kg_malloc'd; moves into the graph */
    uint32_t line;
} nrow;

static blob arena_blob(kg_arena *a, sqlite3_stmt *s, int i, int *oom_)
{
    blob b = {NULL, (size_t)sqlite3_column_bytes(s, i)};
    const void *t = sqlite3_column_blob(s, i);

    if (t == NULL || b.n == 0) {
        b.n = 0;
        return b;
    }
    if ((b.p = (const unsigned char *)kg_arena_strndup(a, t, b.n)) == NULL)
        *oom_ = 1;
    return b;
}

static int add_node(loader *L, nrow *r, uint32_t pid, kg_error *err)
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
        (error = apply_props(L, KG_NODE, id, r->props, file, r->line, err)) <
            0)
        return error;
    x = kg_graph__node(L->g, id);
    if (r->text != NULL && r->text[0] != '\0') {
        /* Hand the body over rather than copy 1 KB per node once more. */
        kg_free(x->text);
        x->text = r->text;
        r->text = NULL;
    }
    /* As kg_graph_origin_set, with the path interned once per path. */
    if ((x->origin = path_atom(L, pid)) == KG_NONE) return oom(err);
    x->line = r->line;
    return KG_OK;
}

/* Grow rows (elem bytes each) and pid together to hold one more. */
static int grow_rows(void **rows, uint32_t **pid, size_t n, size_t *cap,
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

static int load_nodes(loader *L, int64_t vid, kg_error *err)
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
        if (grow_rows((void **)&rows, &pid, n, &cap, sizeof *rows) < 0) {
            nomem = 1;
            break;
        }
        if (id <= 0 || (size_t)id >= p->n) {
            error = corrupt(st, err, "?", 0, "the path", "unknown path id");
            goto done;
        }
        r = &rows[n];
        pid[n++] = (uint32_t)id;
        t = (const char *)sqlite3_column_text(s, 1);
        r->key = t ? kg_arena_strndup(a, t, (size_t)sqlite3_column_bytes(s, 1))
                   : NULL;
        r->labels = arena_blob(a, s, 2, &nomem);
        r->props = arena_blob(a, s, 3, &nomem);
        r->text = NULL;
        if ((t = (const char *)sqlite3_column_text(s, 4)) != NULL &&
            (r->text = kg_strndup(t, (size_t)sqlite3_column_bytes(s, 4))) ==
                NULL)
            nomem = 1;
        r->line = (uint32_t)sqlite3_column_int64(s, 5);
        if (r->key == NULL) nomem = 1;
    }
    if (nomem) {
        error = oom(err);
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading nodes");
        goto done;
    }
    if ((order = order_by_path(p, pid, n)) == NULL ||
        kg_graph__reserve(L->g, n, 0) < 0) {
        error = oom(err);
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

/* Edges are added in batches: resolving a target is a probe of the key
 * table and a read of the key bytes, and adding the edge a read of the
 * target node, all at random places in memory. Hashing a batch first and
 * prefetching those places lets their cache misses overlap instead of
 * being paid one after another (a 100k-node load spent a third of its time
 * waiting on them). Edges still go into the graph in stream order. */
#define EDGE_BATCH 32
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

typedef struct {
    kg_edge_view v;
    uint64_t h;      /* kg_hash of v.dst */
    kg_atom path;
    const char *file;
} pending;

typedef struct {
    pending item[EDGE_BATCH];
    uint32_t n;
} edge_batch;

/* The node of a target: by exact key through the hash we already have,
 * else by name or alias (kg_graph_node_resolve). */
static kg_id resolve_dst(kg_graph *g, const pending *p)
{
    uint32_t slot;
    int found = 0;

    if (g->keytab != NULL) {
        slot = kg_graph__key_probe(g, p->v.dst, p->v.dstlen, p->h, &found);
        if (found) return g->keytab[slot].id;
    }
    return kg_graph_node_resolve(g, p->v.dst, NULL);
}

/* Add one stored edge; an end that does not resolve leaves it out (and
 * kg_store_diags reports it). */
static int add_edge(loader *L, const pending *p, kg_error *err)
{
    const kg_edge_view *v = &p->v;
    kg_gedge *x;
    kg_id e, dst;
    kg_error ee;
    blob props;

    /* A document's edges are consecutive and mostly share their source;
     * the blob repeats the very same bytes for it, so a pointer compare
     * usually answers. */
    if (L->src_text != v->src &&
        (L->src_text == NULL || strcmp(L->src_text, v->src) != 0))
        L->src_id = kg_graph_node_resolve(L->g, v->src, NULL);
    L->src_text = v->src;
    if (L->src_id == KG_NONE) return KG_OK;
    if ((dst = resolve_dst(L->g, p)) == KG_NONE) return KG_OK;
    /* Edge types repeat: intern only when the type text changes. */
    if (L->type == KG_NONE ||
        strcmp(kg_graph_atom_str(L->g, L->type), v->type) != 0) {
        L->type = kg_graph_atom(L->g, v->type, v->typelen);
        if (L->type == KG_NONE) return oom(err);
    }
    ee.code = KG_OK; /* as in add_node: set by a failing add */
    e = kg_graph_edge_add(L->g, L->src_id, dst, L->type, &ee);
    if (e == KG_NONE)
        return kg_error_set(err, ee.code, NULL, (kg_span){0, 0}, "%s", ee.msg);
    props.p = v->props;
    props.n = v->nprops;
    if (apply_props(L, KG_EDGE, e, props, p->file, v->line, err) < 0)
        return err ? err->code : KG_ESTORE;
    x = kg_graph__edge(L->g, e);
    x->origin = p->path;
    x->line = v->line;
    return KG_OK;
}

static int flush_edges(loader *L, edge_batch *b, kg_error *err)
{
    kg_graph *g = L->g;
    uint32_t i;
    int error = KG_OK;

    if (g->keytab != NULL) {
        for (i = 0; i < b->n; i++)
            PREFETCH(&g->keytab[(uint32_t)b->item[i].h & g->keymask]);
        for (i = 0; i < b->n; i++) {
            const kg_keyslot *k =
                &g->keytab[(uint32_t)b->item[i].h & g->keymask];
            if (k->id == KG_NONE || k->hash != (uint32_t)b->item[i].h)
                continue;
            PREFETCH(k->key);
            PREFETCH(&g->nodes[k->id]);
        }
    }
    for (i = 0; i < b->n && error == KG_OK; i++)
        error = add_edge(L, &b->item[i], err);
    b->n = 0;
    return error;
}

/* The edges of one doc row, in document order. */
static int add_doc_edges(loader *L, edge_batch *b, blob blob_, uint32_t pid,
                         kg_error *err)
{
    const char *file = L->p->name[pid];
    kg_edge_iter it;
    kg_atom path = path_atom(L, pid);
    int rc, error = KG_OK;

    if (path == KG_NONE) return oom(err);
    if (kg_store__edges_open(&it, blob_.p, blob_.n) < 0)
        return corrupt(L->st, err, file, 0, "the edges", "truncated");
    while (error == KG_OK && (rc = kg_store__edges_next(&it)) == 1) {
        pending *p = &b->item[b->n++];
        p->v = it.cur;
        p->h = kg_hash(it.cur.dst, it.cur.dstlen);
        p->path = path;
        p->file = file;
        if (b->n == EDGE_BATCH) error = flush_edges(L, b, err);
    }
    if (error == KG_OK && rc < 0)
        error = corrupt(L->st, err, file, it.cur.line, "the edges",
                        "malformed");
    return error;
}

static int load_edges(loader *L, int64_t vid, kg_error *err)
{
    kg_store *st = L->st;
    const kg_store_paths *p = L->p;
    sqlite3_stmt *s = NULL;
    kg_arena *a = kg_arena_new();
    blob *rows = NULL;
    uint32_t *pid = NULL, *order = NULL;
    size_t n = 0, cap = 0, i;
    int64_t total = 0;
    edge_batch batch;
    int rc = SQLITE_DONE, nomem = 0, error;

    KG_CHECK_ALLOC(a, err);
    batch.n = 0;
    error = kg_store__prepare(st, &s,
                              "SELECT path_id, edges, nedges FROM docs"
                              " WHERE" KG_STORE_VALID_AT
                              "AND edges IS NOT NULL",
                              err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while (!nomem && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (grow_rows((void **)&rows, &pid, n, &cap, sizeof *rows) < 0) {
            nomem = 1;
            break;
        }
        if (id <= 0 || (size_t)id >= p->n) {
            error = corrupt(st, err, "?", 0, "the path", "unknown path id");
            goto done;
        }
        rows[n] = arena_blob(a, s, 1, &nomem);
        pid[n++] = (uint32_t)id;
        total += sqlite3_column_int64(s, 2);
    }
    if (nomem) {
        error = oom(err);
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading edges");
        goto done;
    }
    if ((order = order_by_path(p, pid, n)) == NULL || total < 0 ||
        kg_graph__reserve(L->g, 0, (size_t)total) < 0) {
        error = oom(err);
        goto done;
    }
    /* The batch's strings point into the blobs: flush before the arena
     * holding them goes. */
    for (i = 0; i < n && error == KG_OK; i++)
        error = add_doc_edges(L, &batch, rows[order[i]], pid[order[i]], err);
    if (error == KG_OK) error = flush_edges(L, &batch, err);
done:
    L->src_text = NULL;
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
        error = oom(err);
        goto done;
    }
    if (vid == 0) goto done;
    if ((error = kg_store__paths(st, &p, err)) < 0) goto done;
    if (loader_init(&L, st, g, &p) < 0) {
        error = oom(err);
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
