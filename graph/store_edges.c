/* store_edges.c - the edges of the version being loaded (kg_store_load).
 *
 * Each live doc row holds its document's edges (store_codec.c). The rows
 * are read, put in path order like the nodes (see store_load.c), decoded,
 * and each edge's ends resolved: by exact key through the hash computed
 * while decoding, else by name or alias (kg_graph_node_resolve). Edges
 * whose ends do not resolve are left out; kg_store_diags reports them.
 */
#include <string.h>

#include "graph_int.h"

#include "store_int.h"

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
    uint64_t h; /* kg_hash of v.dst */
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
static int add_edge(kg_loader *L, const pending *p, kg_error *err)
{
    const kg_edge_view *v = &p->v;
    kg_gedge *x;
    kg_id e, dst;
    kg_error ee;
    kg_blob props;

    /* A document's edges are consecutive and mostly share their source;
     * the kg_blob repeats the very same bytes for it, so a pointer compare
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
        if (L->type == KG_NONE) return kg_store__oom(err);
    }
    ee.code = KG_OK; /* as in add_node: set by a failing add */
    e = kg_graph_edge_add(L->g, L->src_id, dst, L->type, &ee);
    if (e == KG_NONE)
        return kg_error_set(err, ee.code, NULL, (kg_span){0, 0}, "%s", ee.msg);
    props.p = v->props;
    props.n = v->nprops;
    if (kg_store__apply_props(L, KG_EDGE, e, props, p->file, v->line, err) < 0)
        return err ? err->code : KG_ESTORE;
    x = kg_graph__edge(L->g, e);
    x->origin = p->path;
    x->line = v->line;
    return KG_OK;
}

static int flush_edges(kg_loader *L, edge_batch *b, kg_error *err)
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
            if (k->id == KG_NONE || k->hash != (uint32_t)b->item[i].h) continue;
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
static int add_doc_edges(kg_loader *L, edge_batch *b, kg_blob blob_,
                         uint32_t pid, kg_error *err)
{
    const char *file = L->p->name[pid];
    kg_edge_iter it;
    kg_atom path = kg_store__path_atom(L, pid);
    int rc, error = KG_OK;

    if (path == KG_NONE) return kg_store__oom(err);
    if (kg_store__edges_open(&it, blob_.p, blob_.n) < 0)
        return kg_store__corrupt(L->st, err, file, 0, "the edges", "truncated");
    while (error == KG_OK && (rc = kg_store__edges_next(&it)) == 1) {
        pending *p = &b->item[b->n++];
        p->v = it.cur;
        p->h = kg_hash(it.cur.dst, it.cur.dstlen);
        p->path = path;
        p->file = file;
        if (b->n == EDGE_BATCH) error = flush_edges(L, b, err);
    }
    if (error == KG_OK && rc < 0)
        error = kg_store__corrupt(L->st, err, file, it.cur.line, "the edges",
                                  "malformed");
    return error;
}

int kg_store__load_edges(kg_loader *L, int64_t vid, kg_error *err)
{
    kg_store *st = L->st;
    const kg_store_paths *p = L->p;
    sqlite3_stmt *s = NULL;
    kg_arena *a = kg_arena_new();
    kg_blob *rows = NULL;
    uint32_t *pid = NULL, *order = NULL;
    size_t n = 0, cap = 0, i;
    int64_t total = 0;
    edge_batch batch;
    int rc = SQLITE_DONE, nomem = 0, error;

    KG_CHECK_ALLOC(a, err);
    batch.n = 0;
    error =
        kg_store__prepare(st, &s,
                          "SELECT path_id, edges, nedges FROM docs"
                          " WHERE" KG_STORE_VALID_AT "AND edges IS NOT NULL",
                          err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    while (!nomem && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
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
        rows[n] = kg_store__col_blob(a, s, 1, &nomem);
        pid[n++] = (uint32_t)id;
        total += sqlite3_column_int64(s, 2);
    }
    if (nomem) {
        error = kg_store__oom(err);
        goto done;
    }
    if (rc != SQLITE_DONE) {
        error = kg_store__fail(st, err, rc, "loading edges");
        goto done;
    }
    if ((order = kg_store__order_by_path(p, pid, n)) == NULL || total < 0 ||
        kg_graph__reserve(L->g, 0, (size_t)total) < 0) {
        error = kg_store__oom(err);
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
