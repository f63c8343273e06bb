/* export_cluster.c - the cluster tree of a DOT export (opts->cluster_by).
 *
 * Two ways to group. A property name groups nodes by that property's value,
 * one flat cluster per distinct value. An edge type T (IN_LAYER) groups each
 * node under the target of its T edge; the target then stands for the
 * cluster (it is its label, not a node), and a target that itself has a T
 * edge nests inside its own target, so Service -> Layer -> Stack draws as
 * boxes in boxes. The T edges walked are those of the whole graph: a
 * cluster head need not be in the export to label the box its members sit
 * in, but it only appears when some exported node is below it.
 *
 * A node may have several T edges; the one with the smallest target key
 * wins, so the picture is a function of the data. Cycles (a IN b, b IN a)
 * are cut at the first head in key order that closes one, and so is
 * nesting deeper than KG_EXPORT_CLUSTER_DEPTH, which keeps the recursion
 * in the writer bounded and dot usable.
 */
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

#define ST_DONE 1u /* parent computed */
#define ST_HEAD 2u /* some node's parent */
#define ST_REAL 4u /* has an exported node below it: drawn as a cluster */

void kg_export__clusters_free(kg_export_clusters *c)
{
    uint32_t i;

    if (c->text != NULL)
        for (i = 0; i < c->n; i++) kg_free(c->text[i]);
    kg_free(c->parent);
    kg_free(c->child);
    kg_free(c->next);
    kg_free(c->first);
    kg_free(c->head);
    kg_free(c->text);
    kg_free(c->len);
    kg_free(c->node_cl);
    kg_free(c->node_next);
    kg_free(c->head_cl);
    kg_free(c->up);
    memset(c, 0, sizeof *c);
}

static void *alloc_ids(size_t n)
{
    uint32_t *p = kg_malloc((n ? n : 1) * sizeof *p);
    size_t i;

    if (p != NULL)
        for (i = 0; i < n; i++) p[i] = KG_NONE;
    return p;
}

/* Allocate the per-cluster arrays for n clusters. */
static int alloc_clusters(kg_export_clusters *c, uint32_t n)
{
    c->n = n;
    c->parent = alloc_ids(n);
    c->child = alloc_ids(n);
    c->next = alloc_ids(n);
    c->first = alloc_ids(n);
    if (!c->parent || !c->child || !c->next || !c->first) return KG_ENOMEM;
    return KG_OK;
}

/* Link clusters to their parents and nodes to their clusters, keeping
 * both lists in index order (which is key or value order). */
static void link_lists(kg_export_clusters *c, size_t nnodes)
{
    uint32_t i;

    for (i = c->n; i-- > 0;) { /* prepend in reverse = append in order */
        uint32_t p = c->parent[i];
        if (p == KG_NONE) continue;
        c->next[i] = c->child[p];
        c->child[p] = i;
    }
    for (i = (uint32_t)nnodes; i-- > 0;) {
        uint32_t k = c->node_cl[i];
        if (k == KG_NONE) continue;
        c->node_next[i] = c->first[k];
        c->first[k] = i;
    }
}

/* ---- by property value ---- */

typedef struct {
    char *text;
    size_t len;
    uint32_t idx; /* selection index */
} val_ent;

static int val_cmp(const void *a, const void *b)
{
    const val_ent *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->text, y->text, n) : 0;

    if (c != 0) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_property(kg_export_clusters *c, const kg_export_sel *sel)
{
    val_ent *v = kg_calloc(sel->nnodes ? sel->nnodes : 1, sizeof *v);
    size_t i, nv = 0, nc = 0;
    int error = KG_ENOMEM;

    if (v == NULL) return KG_ENOMEM;
    for (i = 0; i < sel->nnodes; i++) {
        const kg_value *p = kg_graph_prop(sel->g, KG_NODE, sel->nodes[i], c->by);
        kg_buf b = KG_BUF_INIT;
        if (p == NULL) continue;
        if (KG_VTYPE_IS_STR(p->type))
            kg_buf_put(&b, p->u.str->s, p->u.str->len);
        else
            kg_json_write(&b, p, 0);
        if (b.oom || kg_buf_putc(&b, 0) < 0) {
            kg_buf_free(&b);
            goto done;
        }
        v[nv].len = b.len - 1;
        v[nv].text = kg_buf_detach(&b);
        v[nv].idx = (uint32_t)i;
        nv++;
    }
    qsort(v, nv, sizeof *v, val_cmp);
    for (i = 0; i < nv; i++)
        if (i == 0 || v[i].len != v[i - 1].len ||
            memcmp(v[i].text, v[i - 1].text, v[i].len) != 0)
            nc++;
    if (alloc_clusters(c, (uint32_t)nc) < 0) goto done;
    c->text = kg_calloc(nc ? nc : 1, sizeof *c->text);
    c->len = kg_calloc(nc ? nc : 1, sizeof *c->len);
    if (c->text == NULL || c->len == NULL) goto done;
    for (i = 0, nc = 0; i < nv; i++) {
        if (nc == 0 || v[i].len != c->len[nc - 1] ||
            memcmp(v[i].text, c->text[nc - 1], v[i].len) != 0) {
            c->text[nc] = v[i].text; /* ownership moves to the cluster */
            c->len[nc] = v[i].len;
            v[i].text = NULL;
            nc++;
        }
        c->node_cl[v[i].idx] = (uint32_t)(nc - 1);
    }
    error = KG_OK;
done:
    for (i = 0; i < nv; i++) kg_free(v[i].text);
    kg_free(v);
    return error;
}

/* ---- by edge type ---- */

/* The target of n's T edge with the smallest key, not n itself. */
static kg_id best_parent(const kg_graph *g, kg_id n, kg_atom t)
{
    size_t i, cnt;
    const kg_id *out = kg_graph_out(g, n, &cnt);
    kg_id best = KG_NONE;

    for (i = 0; i < cnt; i++) {
        kg_id d;
        if (kg_graph_edge_type(g, out[i]) != t) continue;
        d = kg_graph_edge_dst(g, out[i]);
        if (d == n || d == best) continue;
        if (best == KG_NONE ||
            strcmp(kg_graph_node_key(g, d), kg_graph_node_key(g, best)) < 0)
            best = d;
    }
    return best;
}

typedef struct {
    const char *key;
    kg_id id;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Sort node ids by key (keys are unique: no ties). */
static int sort_by_key(const kg_graph *g, kg_id *ids, size_t n)
{
    keyed *k = kg_malloc((n ? n : 1) * sizeof *k);
    size_t i;

    if (k == NULL) return KG_ENOMEM;
    for (i = 0; i < n; i++) {
        k[i].id = ids[i];
        k[i].key = kg_graph_node_key(g, ids[i]);
    }
    qsort(k, n, sizeof *k, keyed_cmp);
    for (i = 0; i < n; i++) ids[i] = k[i].id;
    kg_free(k);
    return KG_OK;
}

/* Compute parents of every exported node and of every head above one,
 * with a work stack. Returns the heads sorted by key in *heads. */
static int walk_parents(const kg_export_sel *sel, kg_atom t, kg_id *parent,
                        uint8_t *st, kg_id **heads, size_t *nheads)
{
    const kg_graph *g = sel->g;
    size_t i, top = 0, nh = 0;
    kg_id *stack = kg_malloc((sel->cap ? sel->cap : 1) * sizeof *stack);
    kg_id *h = kg_malloc((sel->cap ? sel->cap : 1) * sizeof *h);

    if (stack == NULL || h == NULL) {
        kg_free(stack);
        kg_free(h);
        return KG_ENOMEM;
    }
    for (i = 0; i < sel->nnodes; i++) stack[top++] = sel->nodes[i];
    while (top > 0) {
        kg_id x = stack[--top], p;
        if (st[x] & ST_DONE) continue;
        st[x] |= ST_DONE;
        parent[x] = p = best_parent(g, x, t);
        if (p == KG_NONE) continue;
        if (!(st[p] & ST_HEAD)) h[nh++] = p;
        st[p] |= ST_HEAD;
        if (!(st[p] & ST_DONE)) stack[top++] = p;
    }
    kg_free(stack);
    if (sort_by_key(g, h, nh) < 0) {
        kg_free(h);
        return KG_ENOMEM;
    }
    *heads = h;
    *nheads = nh;
    return KG_OK;
}

/* Cut cycles, then nesting deeper than the limit, in key order of heads. */
static void cut_links(kg_id *parent, const kg_id *heads, size_t nheads)
{
    size_t i, steps;

    for (i = 0; i < nheads; i++) {
        kg_id h = heads[i], x = parent[h];
        for (steps = 0; x != KG_NONE && x != h && steps <= nheads; steps++)
            x = parent[x];
        if (x == h) parent[h] = KG_NONE;
    }
    for (i = 0; i < nheads; i++) {
        kg_id x = parent[heads[i]];
        for (steps = 0; x != KG_NONE && steps < KG_EXPORT_CLUSTER_DEPTH;
             steps++)
            x = parent[x];
        if (steps >= KG_EXPORT_CLUSTER_DEPTH) parent[heads[i]] = KG_NONE;
    }
}

static int by_edge(kg_export_clusters *c, const kg_export_sel *sel)
{
    size_t i, nheads = 0;
    uint32_t nc = 0;
    kg_id *heads = NULL, *parent = c->up;
    uint8_t *st = kg_calloc(sel->cap ? sel->cap : 1, 1);
    int error = KG_ENOMEM;

    if (st == NULL) return KG_ENOMEM;
    if (walk_parents(sel, c->by, parent, st, &heads, &nheads) < 0) goto done;
    cut_links(parent, heads, nheads);
    for (i = 0; i < sel->nnodes; i++) { /* heads above exported nodes */
        kg_id x = parent[sel->nodes[i]];
        while (x != KG_NONE && !(st[x] & ST_REAL)) {
            st[x] |= ST_REAL;
            x = parent[x];
        }
    }
    for (i = 0; i < nheads; i++)
        if (st[heads[i]] & ST_REAL) nc++;
    if (alloc_clusters(c, nc) < 0) goto done;
    if ((c->head = kg_malloc((nc ? nc : 1) * sizeof *c->head)) == NULL)
        goto done;
    for (i = 0, nc = 0; i < nheads; i++) {
        if (!(st[heads[i]] & ST_REAL)) continue;
        c->head[nc] = heads[i];
        c->head_cl[heads[i]] = nc++;
    }
    for (i = 0; i < nc; i++) {
        kg_id p = parent[c->head[i]];
        c->parent[i] = p == KG_NONE ? KG_NONE : c->head_cl[p];
    }
    for (i = 0; i < sel->nnodes; i++) {
        kg_id n = sel->nodes[i];
        if (c->head_cl[n] != KG_NONE || parent[n] == KG_NONE) continue;
        c->node_cl[i] = c->head_cl[parent[n]];
    }
    error = KG_OK;
done:
    kg_free(heads);
    kg_free(st);
    return error;
}

/* ---- choosing the mode ---- */

static int has_edge_type(const kg_graph *g, kg_atom t)
{
    size_t i, cap = kg_graph_cap(g, KG_EDGE);

    if (t == KG_NONE) return 0;
    for (i = 0; i < cap; i++)
        if (kg_graph_alive(g, KG_EDGE, (kg_id)i) &&
            kg_graph_edge_type(g, (kg_id)i) == t)
            return 1;
    return 0;
}

static int has_node_prop(const kg_graph *g, kg_atom a)
{
    size_t i, cap = kg_graph_cap(g, KG_NODE);

    if (a == KG_NONE) return 0;
    for (i = 0; i < cap; i++)
        if (kg_graph_alive(g, KG_NODE, (kg_id)i) &&
            kg_graph_prop(g, KG_NODE, (kg_id)i, a) != NULL)
            return 1;
    return 0;
}

/* The edge type `by` names, in *t (KG_NONE when none): as written, else in
 * UPPER_SNAKE_CASE (the form note relations are normalised to), so that
 * `in_layer` finds IN_LAYER. KG_ENOMEM. */
static int find_edge_type(const kg_graph *g, const char *by, kg_atom *t)
{
    size_t i, len = strlen(by);
    char *up;

    *t = kg_graph_atom_find(g, by, len);
    if (has_edge_type(g, *t)) return KG_OK;
    if ((up = kg_strndup(by, len)) == NULL) return KG_ENOMEM;
    for (i = 0; i < len; i++) {
        char ch = up[i];
        if (ch >= 'a' && ch <= 'z') up[i] = (char)(ch - 'a' + 'A');
        else if (ch == '-' || ch == ' ') up[i] = '_';
    }
    *t = kg_graph_atom_find(g, up, len);
    kg_free(up);
    if (!has_edge_type(g, *t)) *t = KG_NONE;
    return KG_OK;
}

int kg_export__clusters(kg_export_clusters *out, const kg_export_sel *sel,
                        const char *by, kg_error *err)
{
    kg_export_clusters c;
    const kg_graph *g = sel->g;
    kg_atom a;
    int error;

    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    c.node_cl = alloc_ids(sel->nnodes);
    c.node_next = alloc_ids(sel->nnodes);
    if (c.node_cl == NULL || c.node_next == NULL) goto oom;
    if (find_edge_type(g, by, &a) < 0) goto oom;
    if (a != KG_NONE) {
        c.mode = KG_EXPORT_CL_EDGE;
        c.by = a;
        c.head_cl = alloc_ids(sel->cap);
        c.up = alloc_ids(sel->cap);
        if (c.head_cl == NULL || c.up == NULL) goto oom;
        error = by_edge(&c, sel);
    } else if (has_node_prop(g, a = kg_graph_atom_find(g, by, strlen(by)))) {
        c.mode = KG_EXPORT_CL_PROP;
        c.by = a;
        error = by_property(&c, sel);
    } else {
        kg_export__clusters_free(&c);
        return kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                            "export: cluster by '%.64s': no edge type or "
                            "node property has that name", by);
    }
    if (error < 0) goto oom;
    link_lists(&c, sel->nnodes);
    *out = c;
    return KG_OK;
oom:
    kg_export__clusters_free(&c);
    return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                        "out of memory");
}
