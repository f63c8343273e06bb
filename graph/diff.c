/* diff.c - what changed between two graphs, element by element.
 *
 * Ids mean nothing across graphs, so nodes are matched by key and edges by
 * (source key, type, target key). Both sides are sorted into that order
 * and merged, which yields the differences in key order with no hash
 * tables. Several edges may share one (source, type, target); within such
 * a group, edges whose properties hash alike are taken as the same edge,
 * and the rest are paired in order (reported as property changes) with
 * any surplus reported as added or removed. Property names, not atoms, are
 * compared, since the two graphs intern independently.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

typedef struct {
    const char *key;
    kg_id id;
} nref;

typedef struct {
    const char *src, *type, *dst;
    uint64_t ph; /* hash of the canonical properties */
    kg_id id;
} eref;

typedef struct {
    const kg_graph *a, *b;
    kg_diff_cb cb;
    void *payload;
    kg_canon ca, cb2;
} differ;

static int nref_cmp(const void *x, const void *y)
{
    return strcmp(((const nref *)x)->key, ((const nref *)y)->key);
}

/* Order of edge groups: source key, type, target key. */
static int triple_cmp(const eref *x, const eref *y)
{
    int c = strcmp(x->src, y->src);
    if (!c) c = strcmp(x->type, y->type);
    if (!c) c = strcmp(x->dst, y->dst);
    return c;
}

static int eref_cmp(const void *px, const void *py)
{
    const eref *x = px, *y = py;
    int c = triple_cmp(x, y);
    if (c) return c;
    if (x->ph != y->ph) return x->ph < y->ph ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static nref *collect_nodes(const kg_graph *g)
{
    nref *r = kg_malloc(((size_t)g->livenodes + 1) * sizeof *r);
    uint32_t i, n = 0;

    if (r == NULL) return NULL;
    for (i = 0; i < g->nnodes; i++)
        if (g->nodes[i].alive) {
            r[n].key = g->nodes[i].key;
            r[n++].id = i;
        }
    qsort(r, n, sizeof *r, nref_cmp);
    return r;
}

static eref *collect_edges(const kg_graph *g, kg_canon *c)
{
    eref *r = kg_malloc(((size_t)g->liveedges + 1) * sizeof *r);
    uint32_t i, n = 0;

    if (r == NULL) return NULL;
    for (i = 0; i < g->nedges; i++) {
        const kg_gedge *e = &g->edges[i];
        if (!e->alive) continue;
        kg_buf_reset(&c->buf);
        if (kg_canon__props(c, g, e->props, e->nprops) < 0 ||
            kg_canon__encode_props(&c->buf, c->props, e->nprops) < 0) {
            kg_free(r);
            return NULL;
        }
        r[n].src = g->nodes[e->src].key;
        r[n].type = g->atoms.strs[e->type];
        r[n].dst = g->nodes[e->dst].key;
        r[n].ph = kg_hash(c->buf.data, c->buf.len);
        r[n++].id = i;
    }
    qsort(r, n, sizeof *r, eref_cmp);
    return r;
}

static int emit(differ *d, kg_diff_kind what, kg_elem kind, kg_id a, kg_id b,
                const char *prop, const kg_value *from, const kg_value *to)
{
    kg_diff_item it;

    it.what = what;
    it.kind = kind;
    it.a = a;
    it.b = b;
    it.prop = prop;
    it.from = from;
    it.to = to;
    return d->cb(&it, d->payload);
}

/* A list value of n label names (for the "labels" change). */
static kg_value label_list(const char **labels, size_t n)
{
    kg_value v = kg_value_list(n);
    size_t i;

    if (v.type != KG_VLIST) return v;
    for (i = 0; i < n; i++) {
        kg_value s = kg_value_string(labels[i], strlen(labels[i]));
        if (s.type == KG_VNULL) {
            kg_value_release(&v);
            return v;
        }
        kg_value_list_set(&v, i, s);
    }
    return v;
}

static int diff_labels(differ *d, kg_id ia, kg_id ib)
{
    const kg_gnode *xa = &d->a->nodes[ia], *xb = &d->b->nodes[ib];
    kg_value la, lb;
    uint32_t i;
    int rc, same = xa->nlabels == xb->nlabels;

    if (kg_canon__labels(&d->ca, d->a, xa) < 0 ||
        kg_canon__labels(&d->cb2, d->b, xb) < 0)
        return KG_ENOMEM;
    for (i = 0; same && i < xa->nlabels; i++)
        same = strcmp(d->ca.labels[i], d->cb2.labels[i]) == 0;
    if (same) return KG_OK;
    la = label_list(d->ca.labels, xa->nlabels);
    lb = label_list(d->cb2.labels, xb->nlabels);
    if (la.type == KG_VNULL || lb.type == KG_VNULL) {
        rc = KG_ENOMEM;
    } else {
        rc = emit(d, KG_DIFF_CHANGED, KG_NODE, ia, ib, "labels", &la, &lb);
    }
    kg_value_release(&la);
    kg_value_release(&lb);
    return rc;
}

/* Property changes between element ia of a and ib of b (same kind). */
static int diff_props(differ *d, kg_elem kind, kg_id ia, kg_id ib)
{
    const kg_gprop *pa, *pb;
    uint32_t na, nb, i = 0, j = 0;
    int rc, c;

    if (kind == KG_NODE) {
        pa = d->a->nodes[ia].props;
        na = d->a->nodes[ia].nprops;
        pb = d->b->nodes[ib].props;
        nb = d->b->nodes[ib].nprops;
    } else {
        pa = d->a->edges[ia].props;
        na = d->a->edges[ia].nprops;
        pb = d->b->edges[ib].props;
        nb = d->b->edges[ib].nprops;
    }
    if (kg_canon__props(&d->ca, d->a, pa, na) < 0 ||
        kg_canon__props(&d->cb2, d->b, pb, nb) < 0)
        return KG_ENOMEM;
    while (i < na || j < nb) {
        const kg_nprop *x = i < na ? &d->ca.props[i] : NULL;
        const kg_nprop *y = j < nb ? &d->cb2.props[j] : NULL;
        c = x == NULL ? 1 : y == NULL ? -1 : strcmp(x->name, y->name);
        rc = KG_OK;
        if (c < 0) {
            rc = emit(d, KG_DIFF_CHANGED, kind, ia, ib, x->name, x->v, NULL);
            i++;
        } else if (c > 0) {
            rc = emit(d, KG_DIFF_CHANGED, kind, ia, ib, y->name, NULL, y->v);
            j++;
        } else {
            if (kg_value__cmp(x->v, y->v) != 0)
                rc = emit(d, KG_DIFF_CHANGED, kind, ia, ib, x->name, x->v,
                          y->v);
            i++;
            j++;
        }
        if (rc != 0) return rc;
    }
    return KG_OK;
}

static int diff_nodes(differ *d, const nref *na, size_t nna, const nref *nb,
                      size_t nnb)
{
    size_t i = 0, j = 0;
    int c, rc;

    while (i < nna || j < nnb) {
        c = i == nna ? 1 : j == nnb ? -1 : strcmp(na[i].key, nb[j].key);
        if (c < 0) {
            rc = emit(d, KG_DIFF_REMOVED, KG_NODE, na[i++].id, KG_NONE, NULL,
                      NULL, NULL);
        } else if (c > 0) {
            rc = emit(d, KG_DIFF_ADDED, KG_NODE, KG_NONE, nb[j++].id, NULL,
                      NULL, NULL);
        } else {
            rc = diff_labels(d, na[i].id, nb[j].id);
            if (rc == 0) rc = diff_props(d, KG_NODE, na[i].id, nb[j].id);
            i++;
            j++;
        }
        if (rc != 0) return rc;
    }
    return KG_OK;
}

/* One (source, type, target) group present on both sides. Unmatched
 * members are compacted to the front of ga / gb (they are scratch). */
static int diff_group(differ *d, eref *ga, size_t na, eref *gb, size_t nb)
{
    size_t i = 0, j = 0, ua = 0, ub = 0, k;
    int rc = KG_OK;

    while (i < na || j < nb) { /* both sorted by ph */
        if (i < na && j < nb && ga[i].ph == gb[j].ph) {
            i++;
            j++;
        } else if (j == nb || (i < na && ga[i].ph < gb[j].ph)) {
            ga[ua++] = ga[i++];
        } else {
            gb[ub++] = gb[j++];
        }
    }
    for (k = 0; rc == 0 && k < ua && k < ub; k++)
        rc = diff_props(d, KG_EDGE, ga[k].id, gb[k].id);
    for (k = ub; rc == 0 && k < ua; k++)
        rc = emit(d, KG_DIFF_REMOVED, KG_EDGE, ga[k].id, KG_NONE, NULL, NULL,
                  NULL);
    for (k = ua; rc == 0 && k < ub; k++)
        rc = emit(d, KG_DIFF_ADDED, KG_EDGE, KG_NONE, gb[k].id, NULL, NULL,
                  NULL);
    return rc;
}

static int diff_edges(differ *d, eref *ea, size_t nea, eref *eb, size_t neb)
{
    size_t i = 0, j = 0, i1, j1;
    int c, rc;

    while (i < nea || j < neb) {
        c = i == nea ? 1 : j == neb ? -1 : triple_cmp(&ea[i], &eb[j]);
        for (i1 = i; c <= 0 && i1 < nea && triple_cmp(&ea[i1], &ea[i]) == 0;
             i1++) {}
        for (j1 = j; c >= 0 && j1 < neb && triple_cmp(&eb[j1], &eb[j]) == 0;
             j1++) {}
        if (c < 0) { /* group only in a */
            rc = diff_group(d, ea + i, i1 - i, NULL, 0);
            i = i1;
        } else if (c > 0) {
            rc = diff_group(d, NULL, 0, eb + j, j1 - j);
            j = j1;
        } else {
            rc = diff_group(d, ea + i, i1 - i, eb + j, j1 - j);
            i = i1;
            j = j1;
        }
        if (rc != 0) return rc;
    }
    return KG_OK;
}

/* Returns KG_OK, KG_ENOMEM, or the callback's non-zero value. Nodes come
 * first in key order, then edges in (source key, type, target key) order. */
int kg_graph_diff(const kg_graph *a, const kg_graph *b, kg_diff_cb cb,
                  void *payload)
{
    differ d;
    nref *na = NULL, *nb = NULL;
    eref *ea = NULL, *eb = NULL;
    int rc = KG_ENOMEM;

    memset(&d, 0, sizeof d);
    d.a = a;
    d.b = b;
    d.cb = cb;
    d.payload = payload;
    na = collect_nodes(a);
    nb = collect_nodes(b);
    ea = collect_edges(a, &d.ca);
    eb = collect_edges(b, &d.cb2);
    if (na == NULL || nb == NULL || ea == NULL || eb == NULL) goto done;
    rc = diff_nodes(&d, na, a->livenodes, nb, b->livenodes);
    if (rc == 0) rc = diff_edges(&d, ea, a->liveedges, eb, b->liveedges);
done:
    kg_free(na);
    kg_free(nb);
    kg_free(ea);
    kg_free(eb);
    kg_canon__free(&d.ca);
    kg_canon__free(&d.cb2);
    return rc;
}
