/* mem_prop.c - properties and labels of graph elements, and the label index.
 *
 * An element's properties are a small array of (atom, value) sorted by
 * atom: most elements have a handful, so a binary search over one
 * contiguous array beats any hash table, and the sorted order gives
 * kg_graph_prop_at a stable iteration order for free.
 *
 * The label index keeps, per label atom, the ids of nodes carrying it.
 * Adding a label to a new node appends in id order, which is the common
 * case while loading; anything else (an old node gains a label, a node is
 * deleted or loses one) only marks the list dirty, and the next
 * kg_graph_label_nodes call compacts and sorts it. Writes stay O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* ---- property arrays ---- */

static void elem_props(const kg_graph *g, kg_elem kind, kg_id id,
                       kg_gprop ***props, uint32_t **n, uint32_t **cap)
{
    *props = NULL;
    if (kind == KG_NODE) {
        kg_gnode *x = kg_graph__node(g, id);
        if (x == NULL) return;
        *props = &x->props;
        *n = &x->nprops;
        *cap = &x->capprops;
    } else {
        kg_gedge *x = kg_graph__edge(g, id);
        if (x == NULL) return;
        *props = &x->props;
        *n = &x->nprops;
        *cap = &x->capprops;
    }
}

/* Index of key, or -(insertion point) - 1. */
static long prop_find(const kg_gprop *p, uint32_t n, kg_atom key)
{
    long lo = 0, hi = (long)n - 1;

    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (p[mid].key == key) return mid;
        if (p[mid].key < key)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -lo - 1;
}

void kg_graph__props_release(kg_graph *g, kg_gprop **props, uint32_t *n,
                             uint32_t *cap)
{
    uint32_t i;
    size_t bytes = (size_t)*cap * sizeof(kg_gprop);

    for (i = 0; i < *n; i++) kg_value_release(&(*props)[i].val);
    if (bytes > KG_POOL_MAX)
        kg_free(*props);
    else
        kg_pool__release(&g->pool, *props, bytes);
    *props = NULL;
    *n = *cap = 0;
}

/* ---- node property columns ---- */

/* Entry (key, id) of a column, if one is kept. */
static kg_value *pcol_at(const kg_graph *g, kg_atom key, kg_id id)
{
    const kg_pcol *c;

    if (key >= g->npcols) return NULL;
    c = &g->pcols[key];
    return c->v != NULL && id < c->n ? &c->v[id] : NULL;
}

/* The prefix entries of id from its column value. */
static void pre_set(kg_pcol *c, kg_id id)
{
    const kg_value *v = &c->v[id];
    if (v->type == KG_VSTRING) {
        c->pre[id] = kg_graph_prefix_of(v->u.str->s, v->u.str->len);
        c->plen[id] = (uint8_t)(v->u.str->len < 255 ? v->u.str->len : 255);
    } else {
        c->pre[id] = 0;
        c->plen[id] = 0;
    }
}

const uint64_t *kg_graph_prop_prefix(const kg_graph *g, kg_atom key,
                                     const uint8_t **lens, size_t *n)
{
    const kg_pcol *c;

    *n = 0;
    *lens = NULL;
    if (key >= g->npcols || g->pcols[key].v == NULL) return NULL;
    c = &g->pcols[key];
    *n = c->n;
    *lens = c->plen;
    return c->pre;
}

/* Make entry (key, id) hold v (NULL or null: nothing). The reference is
 * taken first: v may be the entry itself (SET n.a = n.a). */
static void pcol_put(kg_graph *g, kg_atom key, kg_id id, const kg_value *v)
{
    kg_value *slot = pcol_at(g, key, id), nv;

    if (slot == NULL) return;
    nv = v != NULL ? kg_value_retain(v) : KG_NULL_VALUE;
    kg_value_release(slot);
    *slot = nv;
    pre_set(&g->pcols[key], id);
}

void kg_graph__pcol_drop(kg_graph *g, kg_id n)
{
    kg_gnode *x = kg_graph__node(g, n);
    uint32_t i;

    if (x == NULL || g->npcols == 0) return;
    for (i = 0; i < x->nprops; i++) pcol_put(g, x->props[i].key, n, NULL);
}

void kg_graph__pcol_free(kg_graph *g)
{
    uint32_t i, j;

    for (i = 0; i < g->npcols; i++) {
        for (j = 0; g->pcols[i].v != NULL && j < g->pcols[i].n; j++)
            kg_value_release(&g->pcols[i].v[j]);
        kg_free(g->pcols[i].v);
        kg_free(g->pcols[i].pre);
        kg_free(g->pcols[i].plen);
    }
    kg_free(g->pcols);
    g->pcols = NULL;
    g->npcols = 0;
}

int kg_graph_prop_column(kg_graph *g, kg_atom key)
{
    kg_pcol *c;
    uint32_t i;

    if (key >= g->atoms.n) return KG_ETYPE;
    if (key >= g->npcols) {
        uint32_t ncap = g->npcols ? g->npcols : 16;
        kg_pcol *p;
        while (ncap <= key) ncap *= 2;
        if ((p = kg_realloc(g->pcols, (size_t)ncap * sizeof *p)) == NULL)
            return KG_ENOMEM;
        memset(p + g->npcols, 0, (ncap - g->npcols) * sizeof *p);
        g->pcols = p;
        g->npcols = ncap;
    }
    c = &g->pcols[key];
    if (c->v != NULL) return KG_OK;
    /* calloc: all null (KG_VNULL is 0) */
    c->pre = kg_calloc((size_t)g->nnodes + 1, sizeof *c->pre);
    c->plen = kg_calloc((size_t)g->nnodes + 1, 1);
    c->v = kg_calloc((size_t)g->nnodes + 1, sizeof *c->v);
    if (c->v == NULL || c->pre == NULL || c->plen == NULL) {
        kg_free(c->v);
        kg_free(c->pre);
        kg_free(c->plen);
        memset(c, 0, sizeof *c);
        return KG_ENOMEM;
    }
    c->n = g->nnodes;
    for (i = 0; i < g->nnodes; i++) {
        kg_gnode *x = &g->nodes[i];
        long at;
        if (!x->alive || x->nprops == 0) continue;
        if ((at = prop_find(x->props, x->nprops, key)) >= 0) {
            c->v[i] = kg_value_retain(&x->props[at].val);
            pre_set(c, i);
        }
    }
    return KG_OK;
}

const kg_value *kg_graph_prop(const kg_graph *g, kg_elem kind, kg_id id,
                              kg_atom key)
{
    kg_gprop **props;
    uint32_t *n, *cap;
    long at;

    if (kind == KG_NODE) {
        const kg_value *v = pcol_at(g, key, id);
        if (v != NULL) return v->type == KG_VNULL ? NULL : v;
    }
    elem_props(g, kind, id, &props, &n, &cap);
    if (props == NULL) return NULL;
    at = prop_find(*props, *n, key);
    return at >= 0 ? &(*props)[at].val : NULL;
}

int kg_graph_prop_set(kg_graph *g, kg_elem kind, kg_id id, kg_atom key,
                      const kg_value *v)
{
    kg_gprop **props, *p;
    kg_value nv;
    uint32_t *n, *cap;
    long at;
    size_t pos;

    elem_props(g, kind, id, &props, &n, &cap);
    if (props == NULL) return KG_ENOTFOUND;
    if (key >= g->atoms.n) return KG_ETYPE;
    if (kind == KG_NODE && (key == g->a_name || key == g->a_aliases))
        g->res_valid = 0;
    at = prop_find(*props, *n, key);
    if (v == NULL || v->type == KG_VNULL) {
        if (at < 0) return KG_OK;
        if (kind == KG_NODE) pcol_put(g, key, id, NULL);
        p = *props;
        kg_value_release(&p[at].val);
        memmove(p + at, p + at + 1, (*n - (size_t)at - 1) * sizeof *p);
        (*n)--;
        return KG_OK;
    }
    /* Take the reference before anything moves: v may point into this
     * very array (SET n.a = n.b), which the reserve below can reallocate
     * and the release below can free. */
    nv = kg_value_retain(v);
    if (at >= 0) {
        kg_value_release(&(*props)[at].val);
        (*props)[at].val = nv;
        if (kind == KG_NODE) pcol_put(g, key, id, &nv);
        return KG_OK;
    }
    if (kg_pool__reserve(&g->pool, (void **)props, cap, *n + 1,
                         sizeof(kg_gprop)) < 0) {
        kg_value_release(&nv);
        return KG_ENOMEM;
    }
    pos = (size_t)(-at - 1);
    p = *props;
    memmove(p + pos + 1, p + pos, (*n - pos) * sizeof *p);
    p[pos].key = key;
    p[pos].val = nv;
    (*n)++;
    if (kind == KG_NODE) pcol_put(g, key, id, &nv);
    return KG_OK;
}

size_t kg_graph_prop_count(const kg_graph *g, kg_elem kind, kg_id id)
{
    kg_gprop **props;
    uint32_t *n, *cap;

    elem_props(g, kind, id, &props, &n, &cap);
    return props ? *n : 0;
}

const kg_value *kg_graph_prop_at(const kg_graph *g, kg_elem kind, kg_id id,
                                 size_t i, kg_atom *key)
{
    kg_gprop **props;
    uint32_t *n, *cap;

    elem_props(g, kind, id, &props, &n, &cap);
    if (props == NULL || i >= *n) return NULL;
    if (key != NULL) *key = (*props)[i].key;
    return &(*props)[i].val;
}

void kg_graph_prop_clear(kg_graph *g, kg_elem kind, kg_id id)
{
    kg_gprop **props;
    uint32_t *n, *cap;

    elem_props(g, kind, id, &props, &n, &cap);
    if (props == NULL) return;
    if (kind == KG_NODE) {
        g->res_valid = 0;
        kg_graph__pcol_drop(g, id);
    }
    kg_graph__props_release(g, props, n, cap);
}

/* ---- labels ---- */

int kg_graph_has_label(const kg_graph *g, kg_id n, kg_atom label)
{
    kg_gnode *x;
    uint32_t i;

    if (label < g->nlabidx && g->labidx[label].bits)
        return kg_graph_bit(g->labidx[label].bits, g->labidx[label].nbits, n);
    if ((x = kg_graph__node(g, n)) == NULL) return 0;
    for (i = 0; i < x->nlabels; i++)
        if (x->labels[i] == label) return 1;
    return 0;
}

/* Adding a label the node already has is a no-op returning KG_OK;
 * KG_ENOTFOUND for a dead node. */
int kg_graph_label_add(kg_graph *g, kg_id n, kg_atom label)
{
    kg_gnode *x = kg_graph__node(g, n);

    if (x == NULL) return KG_ENOTFOUND;
    if (label >= g->atoms.n) return KG_ETYPE;
    if (kg_graph_has_label(g, n, label)) return KG_OK;
    if (kg_pool__reserve(&g->pool, (void **)&x->labels, &x->caplabels,
                         x->nlabels + 1, sizeof(kg_atom)) < 0 ||
        kg_graph__labidx_add(g, label, n) < 0)
        return KG_ENOMEM;
    x->labels[x->nlabels++] = label;
    return KG_OK;
}

/* Removing a label the node lacks is a no-op returning KG_OK. */
int kg_graph_label_remove(kg_graph *g, kg_id n, kg_atom label)
{
    kg_gnode *x = kg_graph__node(g, n);
    uint32_t i;

    if (x == NULL) return KG_ENOTFOUND;
    for (i = 0; i < x->nlabels; i++) {
        if (x->labels[i] == label) {
            memmove(x->labels + i, x->labels + i + 1,
                    (x->nlabels - i - 1) * sizeof *x->labels);
            x->nlabels--;
            kg_graph__labidx_drop(g, label, n);
            break;
        }
    }
    return KG_OK;
}

const kg_atom *kg_graph_labels(const kg_graph *g, kg_id n, size_t *count)
{
    kg_gnode *x = kg_graph__node(g, n);
    *count = x ? x->nlabels : 0;
    return x ? x->labels : NULL;
}

/* ---- label index ---- */

int kg_graph__labidx_add(kg_graph *g, kg_atom label, kg_id n)
{
    kg_labidx *li;

    if (label >= g->nlabidx) {
        uint32_t ncap = g->nlabidx ? g->nlabidx : 16;
        kg_labidx *p;
        while (ncap <= label) ncap *= 2;
        p = kg_realloc(g->labidx, (size_t)ncap * sizeof *p);
        if (p == NULL) return KG_ENOMEM;
        memset(p + g->nlabidx, 0, (ncap - g->nlabidx) * sizeof *p);
        g->labidx = p;
        g->nlabidx = ncap;
    }
    li = &g->labidx[label];
    if (li->n == li->cap) {
        uint32_t ncap = li->cap ? li->cap * 2 : 8;
        kg_id *ids;
        if (li->cap > UINT32_MAX / 2) return KG_ENOMEM;
        ids = kg_realloc(li->ids, (size_t)ncap * sizeof *ids);
        if (ids == NULL) return KG_ENOMEM;
        li->ids = ids;
        li->cap = ncap;
    }
    if (li->bits && (n >> 6) >= li->nbits) {
        uint32_t nw = li->nbits * 2, cap = (uint32_t)((g->capnodes + 63) / 64);
        uint64_t *bits;
        if (nw < cap) nw = cap;
        if (nw <= (n >> 6)) nw = (n >> 6) + 1;
        if ((bits = kg_realloc(li->bits, (size_t)nw * sizeof *bits)) == NULL)
            return KG_ENOMEM;
        memset(bits + li->nbits, 0, (size_t)(nw - li->nbits) * sizeof *bits);
        li->bits = bits;
        li->nbits = nw;
    }
    if (li->bits) li->bits[n >> 6] |= (uint64_t)1 << (n & 63);
    if (li->n > 0 && li->ids[li->n - 1] >= n) li->dirty = 1;
    li->ids[li->n++] = n;
    return KG_OK;
}

void kg_graph__labidx_dirty(kg_graph *g, kg_atom label)
{
    if (label < g->nlabidx) g->labidx[label].dirty = 1;
}

void kg_graph__labidx_drop(kg_graph *g, kg_atom label, kg_id n)
{
    kg_labidx *li;

    if (label >= g->nlabidx) return;
    li = &g->labidx[label];
    li->dirty = 1;
    if (li->bits && (n >> 6) < li->nbits)
        li->bits[n >> 6] &= ~((uint64_t)1 << (n & 63));
}

void kg_graph__labidx_free(kg_graph *g)
{
    uint32_t i;

    for (i = 0; i < g->nlabidx; i++) {
        kg_free(g->labidx[i].ids);
        kg_free(g->labidx[i].bits);
    }
    kg_free(g->labidx);
    g->labidx = NULL;
    g->nlabidx = 0;
}

static int id_cmp(const void *a, const void *b)
{
    kg_id x = *(const kg_id *)a, y = *(const kg_id *)b;
    return (x > y) - (x < y);
}

const kg_id *kg_graph_label_nodes(kg_graph *g, kg_atom label, size_t *count)
{
    kg_labidx *li;
    uint32_t i, k = 0;

    *count = 0;
    if (label >= g->nlabidx) return NULL;
    li = &g->labidx[label];
    if (li->dirty) {
        /* Compaction never allocates, so this cannot fail. */
        qsort(li->ids, li->n, sizeof *li->ids, id_cmp);
        for (i = 0; i < li->n; i++) {
            kg_id id = li->ids[i];
            if ((k > 0 && li->ids[k - 1] == id) ||
                !kg_graph_has_label(g, id, label))
                continue;
            li->ids[k++] = id;
        }
        li->n = k;
        li->dirty = 0;
    }
    *count = li->n;
    return li->ids;
}

const uint64_t *kg_graph_label_bits(kg_graph *g, kg_atom label, size_t *nwords)
{
    kg_labidx *li;
    const kg_id *ids;
    size_t n, i;
    uint32_t nw;

    *nwords = 0;
    if (label >= g->nlabidx) return NULL;
    li = &g->labidx[label];
    if (li->bits == NULL && li->ids == NULL) return NULL; /* never had */
    if (li->bits == NULL) {
        /* from the compacted index: live ids carrying the label */
        ids = kg_graph_label_nodes(g, label, &n);
        nw = (uint32_t)((g->capnodes + 63) / 64);
        if (nw == 0) nw = 1;
        if ((li->bits = kg_calloc(nw, sizeof *li->bits)) == NULL) return NULL;
        li->nbits = nw;
        for (i = 0; i < n; i++)
            li->bits[ids[i] >> 6] |= (uint64_t)1 << (ids[i] & 63);
    }
    *nwords = li->nbits;
    return li->bits;
}
