/* mem.c - the in-memory property graph: nodes, edges and adjacency.
 *
 * Ids are dense indexes into two arrays and never move: a delete leaves a
 * tombstone (alive = 0) instead of compacting, so ids that a query holds in
 * its rows stay valid through CREATE / DELETE, and the store can map its
 * rows to ids by position. Each node keeps its out- and in-edge ids in
 * insertion order in small pool-allocated arrays, so writes are O(1)
 * amortised and a traversal reads one contiguous array. (A CSR layout would
 * read slightly faster but makes every write O(E); the query engine runs
 * openCypher write scenarios, so we keep per-node arrays.)
 *
 * Properties, labels and the label index are in mem_prop.c; the key hash
 * index and the case-insensitive resolve index are in mem_index.c.
 */
#include <string.h>

#include "graph_int.h"

kg_graph *kg_graph_new(void)
{
    kg_graph *g = kg_calloc(1, sizeof *g);

    if (g == NULL) return NULL;
    kg_pool__init(&g->pool);
    if (kg_intern__init(&g->atoms) < 0) goto fail;
    g->keys = kg_arena_new();
    if (g->keys == NULL) goto fail;
    g->a_name = kg_graph_atom(g, "name", 4);
    g->a_aliases = kg_graph_atom(g, "aliases", 7);
    if (g->a_name == KG_NONE || g->a_aliases == KG_NONE) goto fail;
    return g;
fail:
    kg_graph_free(g);
    return NULL;
}

void kg_graph_free(kg_graph *g)
{
    uint32_t i, j;

    if (g == NULL) return;
    /* Pool arrays go with the pool; only values and texts are freed here. */
    for (i = 0; i < g->nnodes; i++) {
        kg_gnode *n = &g->nodes[i];
        for (j = 0; j < n->nprops; j++) kg_value_release(&n->props[j].val);
        kg_free(n->text);
        if ((size_t)n->capout * sizeof(kg_id) > KG_POOL_MAX) kg_free(n->out);
        if ((size_t)n->capin * sizeof(kg_id) > KG_POOL_MAX) kg_free(n->in);
        if ((size_t)n->caplabels * sizeof(kg_atom) > KG_POOL_MAX)
            kg_free(n->labels);
        if ((size_t)n->capprops * sizeof(kg_gprop) > KG_POOL_MAX)
            kg_free(n->props);
    }
    for (i = 0; i < g->nedges; i++) {
        kg_gedge *e = &g->edges[i];
        for (j = 0; j < e->nprops; j++) kg_value_release(&e->props[j].val);
        if ((size_t)e->capprops * sizeof(kg_gprop) > KG_POOL_MAX)
            kg_free(e->props);
    }
    kg_free(g->nodes);
    kg_free(g->edges);
    kg_pool__free_all(&g->pool);
    kg_intern__free(&g->atoms);
    kg_arena_free(g->keys);
    kg_graph__key_free(g);
    kg_graph__resolve_free(g);
    kg_graph__labidx_free(g);
    kg_graph__pcol_free(g);
    kg_buf_free(&g->scratch);
    kg_free(g);
}

/* Grow an element array to hold at least need entries. */
static int grow_array(void **arr, uint32_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap) return KG_OK;
    if (need >= KG_NONE) return KG_ENOMEM; /* KG_NONE is never an id */
    ncap = *cap ? *cap : 64;
    while (ncap < need) ncap *= 2;
    if (ncap >= KG_NONE) ncap = KG_NONE - 1;
    p = kg_realloc(*arr, ncap * elem);
    if (p == NULL) return KG_ENOMEM;
    *arr = p;
    *cap = (uint32_t)ncap;
    return KG_OK;
}

/* The store calls this with its row counts before a load, so the arrays
 * and the key table are sized once instead of doubling their way up. */
int kg_graph__reserve(kg_graph *g, size_t nnodes, size_t nedges)
{
    if (grow_array((void **)&g->nodes, &g->capnodes, g->nnodes + nnodes,
                   sizeof(kg_gnode)) < 0 ||
        grow_array((void **)&g->edges, &g->capedges, g->nedges + nedges,
                   sizeof(kg_gedge)) < 0 ||
        kg_graph__key_reserve(g, nnodes) < 0)
        return KG_ENOMEM;
    return KG_OK;
}

kg_gnode *kg_graph__node(const kg_graph *g, kg_id n)
{
    if (n >= g->nnodes || !g->nodes[n].alive) return NULL;
    return &g->nodes[n];
}

kg_gedge *kg_graph__edge(const kg_graph *g, kg_id e)
{
    if (e >= g->nedges || !g->edges[e].alive) return NULL;
    return &g->edges[e];
}

/* "_:n<id>", or "_:n<id>.<k>" in the unlikely case a user key took it. */
static const char *generated_key(kg_graph *g, kg_id id, size_t *len)
{
    char tmp[48];
    unsigned k = 0;
    int n = snprintf(tmp, sizeof tmp, "_:n%u", (unsigned)id);

    while (kg_graph_node_find(g, tmp) != KG_NONE)
        n = snprintf(tmp, sizeof tmp, "_:n%u.%u", (unsigned)id, ++k);
    *len = (size_t)n;
    return kg_arena_strndup(g->keys, tmp, (size_t)n);
}

/* One probe both checks that the key is new and finds its slot. */
kg_id kg_graph_node_add(kg_graph *g, const char *key, kg_error *err)
{
    kg_gnode *n;
    const char *k;
    size_t len = 0;
    uint64_t h = 0;
    uint32_t slot = 0;
    int found = 0;
    kg_id id = g->nnodes;

    if (kg_graph__key_reserve(g, 1) < 0) goto oom;
    if (key != NULL) {
        len = strlen(key);
        if (len >= UINT32_MAX) goto oom;
        h = kg_hash(key, len);
        slot = kg_graph__key_probe(g, key, len, h, &found);
        if (found) {
            kg_error_set(err, KG_EEXISTS, NULL, (kg_span){0, 0},
                         "a node with key '%s' already exists", key);
            return KG_NONE;
        }
    }
    if (grow_array((void **)&g->nodes, &g->capnodes, (size_t)id + 1,
                   sizeof *n) < 0)
        goto oom;
    if (key != NULL) {
        k = kg_arena_strndup(g->keys, key, len);
    } else {
        k = generated_key(g, id, &len);
        h = kg_hash(k ? k : "", len);
        if (k != NULL) slot = kg_graph__key_probe(g, k, len, h, &found);
    }
    if (k == NULL) goto oom;
    n = &g->nodes[id];
    memset(n, 0, sizeof *n);
    n->key = k;
    n->keyhash = h;
    n->keylen = (uint32_t)len;
    n->origin = KG_NONE;
    n->alive = 1;
    g->nnodes++;
    kg_graph__key_set(g, slot, id);
    g->livenodes++;
    g->res_valid = 0;
    return id;
oom:
    kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0}, "out of memory");
    return KG_NONE;
}

kg_id kg_graph_edge_add(kg_graph *g, kg_id src, kg_id dst, kg_atom type,
                        kg_error *err)
{
    kg_gnode *s = kg_graph__node(g, src), *d = kg_graph__node(g, dst);
    kg_gedge *e;
    kg_id id = g->nedges;

    if (s == NULL || d == NULL) {
        kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                     "edge %s node %u does not exist",
                     s == NULL ? "source" : "target",
                     (unsigned)(s == NULL ? src : dst));
        return KG_NONE;
    }
    if (type >= g->atoms.n) {
        kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                     "edge type %u is not an atom of this graph",
                     (unsigned)type);
        return KG_NONE;
    }
    if (grow_array((void **)&g->edges, &g->capedges, (size_t)id + 1,
                   sizeof *e) < 0 ||
        kg_pool__reserve(&g->pool, (void **)&s->out, &s->capout, s->nout + 1,
                         sizeof(kg_id)) < 0)
        goto oom;
    d = &g->nodes[dst]; /* s and d stay valid: nodes did not move */
    if (kg_pool__reserve(&g->pool, (void **)&d->in, &d->capin, d->nin + 1,
                         sizeof(kg_id)) < 0)
        goto oom;
    e = &g->edges[id];
    memset(e, 0, sizeof *e);
    e->src = src;
    e->dst = dst;
    e->type = type;
    e->origin = KG_NONE;
    e->alive = 1;
    s->out[s->nout++] = id;
    d->in[d->nin++] = id;
    g->nedges++;
    g->liveedges++;
    if (src == dst) g->liveloops++;
    return id;
oom:
    kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0}, "out of memory");
    return KG_NONE;
}

/* Remove id from an adjacency array, keeping the others in order. The
 * search runs from the end: recently added edges are deleted most often. */
static void adj_remove(kg_id *arr, uint32_t *n, kg_id id)
{
    uint32_t i = *n;

    while (i-- > 0) {
        if (arr[i] == id) {
            memmove(arr + i, arr + i + 1, (*n - i - 1) * sizeof *arr);
            (*n)--;
            return;
        }
    }
}

int kg_graph_edge_delete(kg_graph *g, kg_id id)
{
    kg_gedge *e = kg_graph__edge(g, id);

    if (e == NULL) return KG_ENOTFOUND;
    adj_remove(g->nodes[e->src].out, &g->nodes[e->src].nout, id);
    adj_remove(g->nodes[e->dst].in, &g->nodes[e->dst].nin, id);
    kg_graph__props_release(g, &e->props, &e->nprops, &e->capprops);
    e->alive = 0;
    g->liveedges--;
    if (e->src == e->dst) g->liveloops--;
    return KG_OK;
}

static void adj_release(kg_graph *g, kg_id **arr, uint32_t *n, uint32_t *cap)
{
    size_t bytes = (size_t)*cap * sizeof(kg_id);
    if (bytes > KG_POOL_MAX)
        kg_free(*arr);
    else
        kg_pool__release(&g->pool, *arr, bytes);
    *arr = NULL;
    *n = *cap = 0;
}

int kg_graph_node_delete(kg_graph *g, kg_id id, int detach, kg_error *err)
{
    kg_gnode *n = kg_graph__node(g, id);
    uint32_t i;

    if (n == NULL)
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "node %u does not exist", (unsigned)id);
    if (!detach && (n->nout > 0 || n->nin > 0))
        return kg_error_set(err, KG_EEXISTS, NULL, (kg_span){0, 0},
                            "cannot delete node '%s': it still has %u "
                            "relationship(s); use DETACH DELETE",
                            n->key, (unsigned)(n->nout + n->nin));
    while (n->nout > 0) kg_graph_edge_delete(g, n->out[n->nout - 1]);
    while (n->nin > 0) kg_graph_edge_delete(g, n->in[n->nin - 1]);
    for (i = 0; i < n->nlabels; i++)
        kg_graph__labidx_drop(g, n->labels[i], id);
    kg_graph__key_remove(g, id);
    kg_graph__pcol_drop(g, id);
    kg_graph__props_release(g, &n->props, &n->nprops, &n->capprops);
    adj_release(g, &n->out, &n->nout, &n->capout);
    adj_release(g, &n->in, &n->nin, &n->capin);
    if ((size_t)n->caplabels * sizeof(kg_atom) > KG_POOL_MAX)
        kg_free(n->labels);
    else
        kg_pool__release(&g->pool, n->labels,
                         (size_t)n->caplabels * sizeof(kg_atom));
    n->labels = NULL;
    n->nlabels = n->caplabels = 0;
    kg_free(n->text);
    n->text = NULL;
    n->alive = 0;
    g->livenodes--;
    g->res_valid = 0;
    return KG_OK;
}

size_t kg_graph_cap(const kg_graph *g, kg_elem kind)
{
    return kind == KG_NODE ? g->nnodes : g->nedges;
}

size_t kg_graph_count(const kg_graph *g, kg_elem kind)
{
    return kind == KG_NODE ? g->livenodes : g->liveedges;
}

int kg_graph_alive(const kg_graph *g, kg_elem kind, kg_id id)
{
    return kind == KG_NODE ? kg_graph__node(g, id) != NULL
                           : kg_graph__edge(g, id) != NULL;
}

/* A deleted node keeps its key, so that a query which deleted a node can
 * still name it in what it returns. */
const char *kg_graph_node_key(const kg_graph *g, kg_id n)
{
    return n < g->nnodes ? g->nodes[n].key : NULL;
}

kg_id kg_graph_edge_src(const kg_graph *g, kg_id e)
{
    return e < g->nedges ? g->edges[e].src : KG_NONE;
}

kg_id kg_graph_edge_dst(const kg_graph *g, kg_id e)
{
    return e < g->nedges ? g->edges[e].dst : KG_NONE;
}

kg_atom kg_graph_edge_type(const kg_graph *g, kg_id e)
{
    return e < g->nedges ? g->edges[e].type : KG_NONE;
}

const kg_id *kg_graph_out(const kg_graph *g, kg_id n, size_t *count)
{
    kg_gnode *x = kg_graph__node(g, n);
    *count = x ? x->nout : 0;
    return x ? x->out : NULL;
}

const kg_id *kg_graph_in(const kg_graph *g, kg_id n, size_t *count)
{
    kg_gnode *x = kg_graph__node(g, n);
    *count = x ? x->nin : 0;
    return x ? x->in : NULL;
}

const char *kg_graph_node_text(const kg_graph *g, kg_id n)
{
    kg_gnode *x = kg_graph__node(g, n);
    return x && x->text ? x->text : "";
}

int kg_graph_node_text_set(kg_graph *g, kg_id n, const char *text)
{
    kg_gnode *x = kg_graph__node(g, n);
    char *t = NULL;

    if (x == NULL) return KG_ENOTFOUND;
    if (text != NULL && *text != '\0' && (t = kg_strdup(text)) == NULL)
        return KG_ENOMEM;
    kg_free(x->text);
    x->text = t;
    return KG_OK;
}

const char *kg_graph_origin(const kg_graph *g, kg_elem kind, kg_id id,
                            uint32_t *line)
{
    kg_atom a = KG_NONE;
    uint32_t l = 0;

    if (kind == KG_NODE && id < g->nnodes) {
        a = g->nodes[id].origin;
        l = g->nodes[id].line;
    } else if (kind == KG_EDGE && id < g->nedges) {
        a = g->edges[id].origin;
        l = g->edges[id].line;
    }
    if (line != NULL) *line = l;
    return a == KG_NONE ? NULL : g->atoms.strs[a];
}

/* File paths repeat for every element of a note, so they are interned. */
int kg_graph_origin_set(kg_graph *g, kg_elem kind, kg_id id, const char *file,
                        uint32_t line)
{
    kg_atom a = KG_NONE;

    if (!kg_graph_alive(g, kind, id)) return KG_ENOTFOUND;
    if (file != NULL && (a = kg_graph_atom(g, file, strlen(file))) == KG_NONE)
        return KG_ENOMEM;
    if (kind == KG_NODE) {
        g->nodes[id].origin = a;
        g->nodes[id].line = line;
    } else {
        g->edges[id].origin = a;
        g->edges[id].line = line;
    }
    return KG_OK;
}

size_t kg_graph_loops(const kg_graph *g)
{
    return g->liveloops;
}

/* Prefetch distance: far enough ahead to cover a memory latency at the
 * few nanoseconds each entry costs, near enough to stay in cache. */
#define KG_FETCH_AHEAD 12

void kg_graph_edges_fetch(const kg_graph *g, const kg_id *edges, size_t n,
                          int dst_end, kg_atom *types, kg_id *ends)
{
    size_t i;

    for (i = 0; i < n && i < KG_FETCH_AHEAD; i++)
        if (edges[i] < g->nedges) __builtin_prefetch(&g->edges[edges[i]]);
    for (i = 0; i < n; i++) {
        const kg_gedge *e;
        if (i + KG_FETCH_AHEAD < n && edges[i + KG_FETCH_AHEAD] < g->nedges)
            __builtin_prefetch(&g->edges[edges[i + KG_FETCH_AHEAD]]);
        e = edges[i] < g->nedges ? &g->edges[edges[i]] : NULL;
        if (e == NULL || !e->alive) {
            if (types) types[i] = KG_NONE;
            if (ends) ends[i] = KG_NONE;
            continue;
        }
        if (types) types[i] = e->type;
        if (ends) ends[i] = dst_end ? e->dst : e->src;
    }
}
