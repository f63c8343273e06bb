/* export.c - choosing what to export, and handing it to a format writer.
 *
 * Every exporter starts from one selection (kg_export__select): nodes sorted
 * by key and edges sorted by (source key, type, target key), ties broken by
 * the edges' properties. Sorting by key rather than by id is what makes the
 * output a function of the data: two stores loaded in a different order, or
 * the same notes synced twice, give byte-identical files that diff cleanly.
 * This file also holds the helpers the writers share (sorted properties,
 * a UTF-8 walker that never lets an invalid byte through, display names)
 * and kg_subgraph_expand, which grows a query result into its neighbourhood
 * before it is drawn.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

/* ---- format names ---- */

/* ORDER FORMAT */
static const char *const format_names[] = {
    "dot", "graphml", "json", "csv", "csv-gremlin", "cypher"
};

int kg_export_format(const char *name, kg_format *out)
{
    size_t i;

    if (name == NULL) return KG_ENOTFOUND;
    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (kg_strcasecmp(name, format_names[i]) == 0) {
            *out = (kg_format)i;
            return KG_OK;
        }
    }
    return KG_ENOTFOUND;
}

const char *kg_export_format_name(kg_format fmt)
{
    if ((size_t)fmt >= sizeof format_names / sizeof format_names[0])
        return NULL;
    return format_names[fmt];
}

const char *kg_export_layout_for(size_t nnodes, size_t nedges)
{
    if (nnodes > KG_EXPORT_DOT_MAX_NODES || nedges > KG_EXPORT_DOT_MAX_EDGES)
        return "sfdp";
    return "dot";
}

/* ---- shared helpers ---- */

size_t kg_export__cp(const char *s, size_t len, uint32_t *cp)
{
    size_t n = kg_utf8__decode(s, len, cp);

    if (n == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return n;
}

size_t kg_export__run(const char *s, size_t len, const char *special)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7F || strchr(special, c) != NULL) break;
    }
    return i;
}

void kg_export__escape(kg_buf *b, const char *s, size_t len,
                       const char *special, kg_export_esc esc, int flags,
                       size_t max)
{
    size_t i = 0, n = 0, run;
    uint32_t cp;

    while (i < len) {
        if (n == max) {
            kg_buf_puts(b, "\xE2\x80\xA6"); /* U+2026 ... */
            return;
        }
        run = kg_export__run(s + i, len - i, special);
        if (run > max - n) run = max - n;
        if (run > 0) {
            kg_buf_put(b, s + i, run);
            i += run;
            n += run;
            continue;
        }
        i += kg_export__cp(s + i, len - i, &cp);
        n++;
        esc(b, cp, flags);
    }
}

int kg_export__put_cp(kg_buf *b, uint32_t cp)
{
    char u[4];

    if (cp < 0x80) return kg_buf_putc(b, (int)cp);
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return kg_buf_put(b, u, 2);
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        return kg_buf_put(b, u, 3);
    }
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    return kg_buf_put(b, u, 4);
}

int kg_export__float(kg_buf *b, double f)
{
    char tmp[48], point = '.';
    const struct lconv *lc = localeconv();
    int n, prec;
    size_t i;

    if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0])
        point = lc->decimal_point[0];
    for (prec = 15; prec <= 17; prec++) {
        n = snprintf(tmp, sizeof tmp, "%.*g", prec, f);
        for (i = 0; i < (size_t)n; i++)
            if (tmp[i] == point) tmp[i] = '.';
        if (kg_json__strtod(tmp, (size_t)n) == f) break;
    }
    if (strpbrk(tmp, ".e") == NULL) { /* 3.0 must not read back as 3 */
        tmp[n++] = '.';
        tmp[n++] = '0';
        tmp[n] = '\0';
    }
    return kg_buf_put(b, tmp, (size_t)n);
}

void kg_export__display(const kg_graph *g, kg_id n, const char **s,
                        size_t *len)
{
    kg_atom a = kg_graph_atom_find(g, "name", 4);
    const kg_value *v =
        a == KG_NONE ? NULL : kg_graph_prop(g, KG_NODE, n, a);

    if (v != NULL && v->type == KG_VSTRING) {
        *s = v->u.str->s;
        *len = v->u.str->len;
    } else {
        *s = kg_graph_node_key(g, n);
        *len = strlen(*s);
    }
}

static int prop_cmp(const void *a, const void *b)
{
    return strcmp(((const kg_export_prop *)a)->name,
                  ((const kg_export_prop *)b)->name);
}

int kg_export__props(kg_export_props *p, const kg_graph *g, kg_elem kind,
                     kg_id id)
{
    size_t i, n = kg_graph_prop_count(g, kind, id);

    p->n = 0;
    if (n > p->cap) {
        size_t bytes;
        kg_export_prop *items;
        if (kg_mul_overflow(&bytes, n, sizeof *items)) return KG_ENOMEM;
        items = kg_realloc(p->items, bytes);
        if (items == NULL) return KG_ENOMEM;
        p->items = items;
        p->cap = n;
    }
    for (i = 0; i < n; i++) {
        kg_atom key;
        const kg_value *v = kg_graph_prop_at(g, kind, id, i, &key);
        if (v == NULL) continue;
        p->items[p->n].name = kg_graph_atom_str(g, key);
        p->items[p->n].atom = key;
        p->items[p->n].val = v;
        p->n++;
    }
    if (p->n > 1) qsort(p->items, p->n, sizeof *p->items, prop_cmp);
    return KG_OK;
}

void kg_export__props_free(kg_export_props *p)
{
    kg_free(p->items);
    p->items = NULL;
    p->n = p->cap = 0;
}

/* ---- the selection ---- */

typedef struct {
    const char *key;
    kg_id id;
} node_ord;

static int node_ord_cmp(const void *a, const void *b)
{
    return strcmp(((const node_ord *)a)->key, ((const node_ord *)b)->key);
}

/* Edges sort by (src key, type, dst key). Once the nodes are numbered in
 * key order, the rank of a node stands for its key and the rank of a type
 * among the chosen types for its name, so the sort compares integers:
 * strcmp over keys was most of an export's time at 500k edges. */
typedef struct {
    uint32_t src, type, dst;
    kg_id id;
} edge_ord;

static int edge_triple_cmp(const edge_ord *x, const edge_ord *y)
{
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->type != y->type) return x->type < y->type ? -1 : 1;
    if (x->dst != y->dst) return x->dst < y->dst ? -1 : 1;
    return 0;
}

static int edge_ord_cmp(const void *a, const void *b)
{
    return edge_triple_cmp(a, b);
}

/* Parallel edges with the same (src, type, dst) are ordered by the
 * canonical bytes of their sorted properties, so their order, too, is a
 * function of the data and not of the ids they happened to get. */
typedef struct {
    kg_buf enc;
    kg_id id;
} tie_ord;

static int tie_cmp(const void *a, const void *b)
{
    const tie_ord *x = a, *y = b;
    size_t n = x->enc.len < y->enc.len ? x->enc.len : y->enc.len;
    int c = n ? memcmp(x->enc.data, y->enc.data, n) : 0;

    if (c != 0) return c;
    if (x->enc.len != y->enc.len) return x->enc.len < y->enc.len ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int sort_ties(const kg_graph *g, kg_id *ids, size_t n)
{
    tie_ord *t = kg_calloc(n, sizeof *t);
    kg_export_props p = {NULL, 0, 0};
    size_t i, j;
    int error = KG_ENOMEM;

    if (t == NULL) return KG_ENOMEM;
    for (i = 0; i < n; i++) {
        t[i].id = ids[i];
        if (kg_export__props(&p, g, KG_EDGE, ids[i]) < 0) goto done;
        for (j = 0; j < p.n; j++) {
            kg_buf_put(&t[i].enc, p.items[j].name,
                       strlen(p.items[j].name) + 1);
            kg_value__encode(&t[i].enc, p.items[j].val);
        }
        if (t[i].enc.oom) goto done;
    }
    qsort(t, n, sizeof *t, tie_cmp);
    for (i = 0; i < n; i++) ids[i] = t[i].id;
    error = KG_OK;
done:
    for (i = 0; i < n; i++) kg_buf_free(&t[i].enc);
    kg_free(t);
    kg_export__props_free(&p);
    return error;
}

typedef struct {
    kg_atom atom;
    const char *name;
} type_ord;

static int type_name_cmp(const void *a, const void *b)
{
    return strcmp(((const type_ord *)a)->name, ((const type_ord *)b)->name);
}

/* rank[atom] = the rank by name of each type of the chosen edges (the
 * array is indexed by atom: types are few, atoms dense). NULL on OOM. */
static uint32_t *rank_types(const kg_export_sel *s)
{
    size_t natoms = s->g->atoms.n, i, k = 0;
    uint32_t *rank = kg_malloc((natoms ? natoms : 1) * sizeof *rank);
    type_ord *t = NULL;

    if (rank == NULL) return NULL;
    for (i = 0; i < natoms; i++) rank[i] = KG_NONE;
    for (i = 0; i < s->nedges; i++) {
        kg_atom a = kg_graph_edge_type(s->g, s->edges[i]);
        if (rank[a] == KG_NONE) rank[a] = (uint32_t)k++;
    }
    if ((t = kg_malloc((k ? k : 1) * sizeof *t)) == NULL) {
        kg_free(rank);
        return NULL;
    }
    for (i = 0; i < natoms; i++) {
        if (rank[i] == KG_NONE) continue;
        t[rank[i]].atom = (kg_atom)i;
        t[rank[i]].name = kg_graph_atom_str(s->g, (kg_atom)i);
    }
    qsort(t, k, sizeof *t, type_name_cmp);
    for (i = 0; i < k; i++) rank[t[i].atom] = (uint32_t)i;
    kg_free(t);
    return rank;
}

static int sort_edges(kg_export_sel *s)
{
    const kg_graph *g = s->g;
    edge_ord *o;
    uint32_t *rank;
    size_t i, j;
    int error = KG_OK;

    if (s->nedges == 0) return KG_OK;
    if ((rank = rank_types(s)) == NULL) return KG_ENOMEM;
    if ((o = kg_malloc(s->nedges * sizeof *o)) == NULL) {
        kg_free(rank);
        return KG_ENOMEM;
    }
    for (i = 0; i < s->nedges; i++) {
        kg_id e = s->edges[i];
        o[i].id = e;
        o[i].src = s->pos[kg_graph_edge_src(g, e)];
        o[i].dst = s->pos[kg_graph_edge_dst(g, e)];
        o[i].type = rank[kg_graph_edge_type(g, e)];
    }
    kg_free(rank);
    qsort(o, s->nedges, sizeof *o, edge_ord_cmp);
    for (i = 0; i < s->nedges; i++) s->edges[i] = o[i].id;
    for (i = 0; i < s->nedges && error == KG_OK; i = j) {
        for (j = i + 1; j < s->nedges; j++)
            if (edge_triple_cmp(&o[i], &o[j]) != 0) break;
        if (j - i > 1) error = sort_ties(g, s->edges + i, j - i);
    }
    kg_free(o);
    return error;
}

static int sort_nodes(kg_export_sel *s)
{
    node_ord *o;
    size_t i;

    if (s->nnodes == 0) return KG_OK;
    o = kg_calloc(s->nnodes, sizeof *o);
    if (o == NULL) return KG_ENOMEM;
    for (i = 0; i < s->nnodes; i++) {
        o[i].id = s->nodes[i];
        o[i].key = kg_graph_node_key(s->g, s->nodes[i]);
    }
    qsort(o, s->nnodes, sizeof *o, node_ord_cmp);
    for (i = 0; i < s->nnodes; i++) {
        s->nodes[i] = o[i].id;
        s->pos[o[i].id] = (uint32_t)i;
    }
    kg_free(o);
    return KG_OK;
}

/* Mark node n chosen (pos 0 until sort_nodes numbers it). */
static void choose_node(kg_export_sel *s, kg_id n)
{
    if (s->pos[n] == KG_NONE) {
        s->pos[n] = 0;
        s->nodes[s->nnodes++] = n;
    }
}

static int choose_from(kg_export_sel *s, const kg_subgraph *sg,
                       kg_error *err)
{
    const kg_graph *g = s->g;
    size_t i, j, ecap = kg_graph_cap(g, KG_EDGE);
    uint8_t *seen = NULL;

    for (i = 0; i < sg->nnodes; i++) {
        if (!kg_graph_alive(g, KG_NODE, sg->nodes[i]))
            return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                                "export: node id %lu is not in the graph",
                                (unsigned long)sg->nodes[i]);
        choose_node(s, sg->nodes[i]);
    }
    if (sg->edges == NULL) {
        /* The induced subgraph: every edge between two chosen nodes. */
        size_t nn = s->nnodes;
        for (i = 0; i < nn; i++) {
            size_t nout;
            const kg_id *out = kg_graph_out(g, s->nodes[i], &nout);
            for (j = 0; j < nout; j++)
                if (s->pos[kg_graph_edge_dst(g, out[j])] != KG_NONE)
                    s->edges[s->nedges++] = out[j];
        }
        return KG_OK;
    }
    seen = kg_calloc(ecap ? ecap : 1, 1);
    KG_CHECK_ALLOC(seen, err);
    for (i = 0; i < sg->nedges; i++) {
        kg_id e = sg->edges[i];
        if (!kg_graph_alive(g, KG_EDGE, e)) {
            kg_free(seen);
            return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                                "export: edge id %lu is not in the graph",
                                (unsigned long)e);
        }
        if (seen[e]) continue;
        seen[e] = 1;
        s->edges[s->nedges++] = e;
        choose_node(s, kg_graph_edge_src(g, e));
        choose_node(s, kg_graph_edge_dst(g, e));
    }
    kg_free(seen);
    return KG_OK;
}

int kg_export__select(kg_export_sel *out, const kg_graph *g,
                      const kg_subgraph *sg, kg_error *err)
{
    kg_export_sel s;
    size_t i, ncap = kg_graph_cap(g, KG_NODE), ecap = kg_graph_cap(g, KG_EDGE);
    int error;

    memset(out, 0, sizeof *out);
    memset(&s, 0, sizeof s);
    s.g = g;
    s.cap = ncap;
    s.pos = kg_malloc((ncap ? ncap : 1) * sizeof *s.pos);
    s.nodes = kg_malloc((ncap ? ncap : 1) * sizeof *s.nodes);
    s.edges = kg_malloc((ecap ? ecap : 1) * sizeof *s.edges);
    if (s.pos == NULL || s.nodes == NULL || s.edges == NULL) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    for (i = 0; i < ncap; i++) s.pos[i] = KG_NONE;
    if (sg == NULL) {
        for (i = 0; i < ncap; i++)
            if (kg_graph_alive(g, KG_NODE, (kg_id)i)) choose_node(&s, (kg_id)i);
        for (i = 0; i < ecap; i++)
            if (kg_graph_alive(g, KG_EDGE, (kg_id)i))
                s.edges[s.nedges++] = (kg_id)i;
    } else if ((error = choose_from(&s, sg, err)) < 0) {
        goto done;
    }
    if (sort_nodes(&s) < 0 || sort_edges(&s) < 0) {
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        goto done;
    }
    *out = s;
    return KG_OK;
done:
    kg_export__sel_free(&s);
    return error;
}

void kg_export__sel_free(kg_export_sel *s)
{
    kg_free(s->nodes);
    kg_free(s->edges);
    kg_free(s->pos);
    memset(s, 0, sizeof *s);
}

/* ---- dispatch ---- */

int kg_export(kg_buf *out, const kg_graph *g, const kg_subgraph *sg,
              const kg_export_opts *opts, kg_error *err)
{
    static const kg_export_opts defaults = {KG_FMT_DOT, NULL, NULL, NULL};
    kg_export_sel sel;
    size_t start = out->len;
    int error;

    if (opts == NULL) opts = &defaults;
    if (opts->format == KG_FMT_CSV_CYPHER || opts->format == KG_FMT_CSV_GREMLIN)
        return kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                            "export: the CSV formats write two files "
                            "(nodes and edges); use kg_export_csv");
    if ((error = kg_export__select(&sel, g, sg, err)) < 0) return error;
    switch (opts->format) {
    case KG_FMT_DOT: error = kg_export__dot(out, &sel, opts, err); break;
    case KG_FMT_GRAPHML: error = kg_export__graphml(out, &sel, err); break;
    case KG_FMT_JSON: error = kg_export__json(out, &sel, err); break;
    case KG_FMT_CYPHER: error = kg_export__cypher(out, &sel, err); break;
    default:
        error = kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                             "export: unknown format %d", (int)opts->format);
        break;
    }
    if (error == KG_OK && out->oom)
        error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
    if (error < 0 && out->data != NULL) {
        out->len = start; /* no half-written export */
        out->data[start] = '\0';
    }
    kg_export__sel_free(&sel);
    return error;
}

/* ---- growing a subgraph ---- */

static int id_cmp(const void *a, const void *b)
{
    kg_id x = *(const kg_id *)a, y = *(const kg_id *)b;
    return x < y ? -1 : x > y;
}

/* Breadth-first from the selection, both directions, hops rounds. Marks
 * reached nodes in mark[]; frontier arrays are reused between rounds. */
static int bfs(const kg_graph *g, const kg_export_sel *sel, int hops,
               uint8_t *mark)
{
    size_t cap = sel->cap, nfront = sel->nnodes, nnext, i, j, d;
    kg_id *front = kg_malloc((cap ? cap : 1) * sizeof *front);
    kg_id *next = kg_malloc((cap ? cap : 1) * sizeof *next), *t;
    int h;

    if (front == NULL || next == NULL) {
        kg_free(front);
        kg_free(next);
        return KG_ENOMEM;
    }
    for (i = 0; i < sel->nnodes; i++) {
        mark[sel->nodes[i]] = 1;
        front[i] = sel->nodes[i];
    }
    for (h = 0; h < hops && nfront > 0; h++) {
        nnext = 0;
        for (i = 0; i < nfront; i++) {
            for (d = 0; d < 2; d++) {
                size_t n;
                const kg_id *es = d ? kg_graph_in(g, front[i], &n)
                                    : kg_graph_out(g, front[i], &n);
                for (j = 0; j < n; j++) {
                    kg_id o = d ? kg_graph_edge_src(g, es[j])
                                : kg_graph_edge_dst(g, es[j]);
                    if (mark[o]) continue;
                    mark[o] = 1;
                    next[nnext++] = o;
                }
            }
        }
        t = front, front = next, next = t;
        nfront = nnext;
    }
    kg_free(front);
    kg_free(next);
    return KG_OK;
}

int kg_subgraph_expand(const kg_graph *g, const kg_subgraph *sg, int hops,
                       kg_id **nodes, size_t *nnodes, kg_id **edges,
                       size_t *nedges)
{
    kg_export_sel sel;
    uint8_t *mark = NULL;
    kg_id *ns = NULL, *es = NULL;
    size_t i, nn = 0, ne = 0, ecap = kg_graph_cap(g, KG_EDGE);
    int error;

    *nodes = *edges = NULL;
    *nnodes = *nedges = 0;
    if (hops < 0) return KG_ERROR;
    if ((error = kg_export__select(&sel, g, sg, NULL)) < 0) return error;
    error = KG_ENOMEM;
    mark = kg_calloc(sel.cap ? sel.cap : 1, 1);
    ns = kg_malloc((sel.cap ? sel.cap : 1) * sizeof *ns);
    es = kg_malloc((ecap ? ecap : 1) * sizeof *es);
    if (mark == NULL || ns == NULL || es == NULL) goto done;
    if (bfs(g, &sel, hops, mark) < 0) goto done;
    for (i = 0; i < sel.cap; i++)
        if (mark[i]) ns[nn++] = (kg_id)i;
    if (hops == 0) {
        /* Nothing grows: keep exactly the chosen edges. */
        memcpy(es, sel.edges, sel.nedges * sizeof *es);
        ne = sel.nedges;
        qsort(es, ne, sizeof *es, id_cmp);
    } else {
        /* Every edge between reached nodes: the ones walked, and the ones
         * that close triangles among neighbours, which a drawing needs. */
        for (i = 0; i < ecap; i++)
            if (kg_graph_alive(g, KG_EDGE, (kg_id)i) &&
                mark[kg_graph_edge_src(g, (kg_id)i)] &&
                mark[kg_graph_edge_dst(g, (kg_id)i)])
                es[ne++] = (kg_id)i;
    }
    *nodes = ns;
    *nnodes = nn;
    *edges = es;
    *nedges = ne;
    ns = es = NULL;
    error = KG_OK;
done:
    kg_free(mark);
    kg_free(ns);
    kg_free(es);
    kg_export__sel_free(&sel);
    return error;
}
