/* doc.c - kg_doc: the records one dataset file declares.
 *
 * The parsers in dataset/ fill a kg_doc; the store writes it. A doc owns
 * every string and value in it, so a parser can free its input as soon as
 * the doc is built. Arrays grow by doubling; a failed append leaves the doc
 * as it was (the one record that failed is simply not there), so a caller
 * may report KG_ENOMEM and still free the doc normally.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* Double *cap (starting at 4) until it exceeds n; KG_ENOMEM leaves *arr. */
static int grow(void **arr, uint32_t n, uint32_t *cap, size_t elem)
{
    uint32_t ncap;
    void *p;

    if (n < *cap) return KG_OK;
    if (*cap > UINT32_MAX / 2) return KG_ENOMEM;
    ncap = *cap ? *cap * 2 : 4;
    p = kg_realloc(*arr, (size_t)ncap * elem);
    if (p == NULL) return KG_ENOMEM;
    *arr = p;
    *cap = ncap;
    return KG_OK;
}

int kg_doc_init(kg_doc *d, const char *path)
{
    memset(d, 0, sizeof *d);
    if (path == NULL) return KG_OK;
    d->path = kg_strdup(path);
    return d->path ? KG_OK : KG_ENOMEM;
}

static void props_free(kg_prop *p, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        kg_free(p[i].key);
        kg_value_release(&p[i].val);
    }
    kg_free(p);
}

void kg_doc_free(kg_doc *d)
{
    uint32_t i, j;

    if (d == NULL) return;
    for (i = 0; i < d->nnodes; i++) {
        kg_node_rec *n = &d->nodes[i];
        kg_free(n->key);
        for (j = 0; j < n->nlabels; j++) kg_free(n->labels[j]);
        kg_free(n->labels);
        props_free(n->props, n->nprops);
        kg_free(n->text);
    }
    kg_free(d->nodes);
    for (i = 0; i < d->nedges; i++) {
        kg_edge_rec *e = &d->edges[i];
        kg_free(e->src); /* type and dst live in the same block */
        props_free(e->props, e->nprops);
    }
    kg_free(d->edges);
    for (i = 0; i < d->ndiags; i++) kg_free(d->diags[i].msg);
    kg_free(d->diags);
    kg_free(d->path);
    memset(d, 0, sizeof *d);
}

kg_node_rec *kg_doc_node(kg_doc *d, const char *key, uint32_t line)
{
    kg_node_rec *n;
    char *k = NULL;

    if (key != NULL && (k = kg_strdup(key)) == NULL) return NULL;
    if (grow((void **)&d->nodes, d->nnodes, &d->capnodes, sizeof *n) < 0) {
        kg_free(k);
        return NULL;
    }
    n = &d->nodes[d->nnodes++];
    memset(n, 0, sizeof *n);
    n->key = k;
    n->line = line;
    return n;
}

int kg_doc_node_label(kg_node_rec *n, const char *label)
{
    char **labels, *l;
    uint32_t i;

    for (i = 0; i < n->nlabels; i++)
        if (strcmp(n->labels[i], label) == 0) return KG_OK;
    if (n->nlabels == UINT32_MAX) return KG_ENOMEM;
    l = kg_strdup(label);
    if (l == NULL) return KG_ENOMEM;
    labels = kg_realloc(n->labels, (n->nlabels + 1) * sizeof *labels);
    if (labels == NULL) {
        kg_free(l);
        return KG_ENOMEM;
    }
    labels[n->nlabels++] = l;
    n->labels = labels;
    return KG_OK;
}

/* Append (key, v) to a property array; a key already present is replaced,
 * so the last declaration wins, as in YAML. Takes ownership of v. */
static int prop_add(kg_prop **props, uint32_t *n, const char *key, kg_value v)
{
    kg_prop *p;
    char *k;
    uint32_t i;

    for (i = 0; i < *n; i++) {
        if (strcmp((*props)[i].key, key) == 0) {
            kg_value_release(&(*props)[i].val);
            (*props)[i].val = v;
            return KG_OK;
        }
    }
    if (*n == UINT32_MAX || (k = kg_strdup(key)) == NULL) goto oom;
    p = kg_realloc(*props, ((size_t)*n + 1) * sizeof *p);
    if (p == NULL) {
        kg_free(k);
        goto oom;
    }
    p[*n].key = k;
    p[*n].val = v;
    *props = p;
    (*n)++;
    return KG_OK;
oom:
    kg_value_release(&v);
    return KG_ENOMEM;
}

int kg_doc_node_prop(kg_node_rec *n, const char *key, kg_value v)
{
    return prop_add(&n->props, &n->nprops, key, v);
}

int kg_doc_edge_prop(kg_edge_rec *e, const char *key, kg_value v)
{
    return prop_add(&e->props, &e->nprops, key, v);
}

kg_edge_rec *kg_doc_edge(kg_doc *d, const char *src, const char *type,
                         const char *dst, uint32_t line, uint32_t col)
{
    kg_edge_rec *e;
    size_t ls, lt, lx;
    char *s;

    src = src ? src : "";
    type = type ? type : "";
    dst = dst ? dst : "";
    ls = strlen(src) + 1;
    lt = strlen(type) + 1;
    lx = strlen(dst) + 1;
    /* The three strings in one block: a table of a million edges made
     * three million allocations, and their headers, before. */
    if (ls > SIZE_MAX - lt - lx || (s = kg_malloc(ls + lt + lx)) == NULL)
        return NULL;
    if (grow((void **)&d->edges, d->nedges, &d->capedges, sizeof *e) < 0) {
        kg_free(s);
        return NULL;
    }
    memcpy(s, src, ls);
    memcpy(s + ls, type, lt);
    memcpy(s + ls + lt, dst, lx);
    e = &d->edges[d->nedges++];
    memset(e, 0, sizeof *e);
    e->src = s;
    e->type = s + ls;
    e->dst = s + ls + lt;
    e->line = line;
    e->col = col;
    return e;
}

int kg_doc_diag(kg_doc *d, int severity, uint32_t line, uint32_t col,
                const char *fmt, ...)
{
    kg_buf b = KG_BUF_INIT;
    kg_diag *g;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = kg_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (rc < 0 ||
        grow((void **)&d->diags, d->ndiags, &d->capdiags, sizeof *g) < 0) {
        kg_buf_free(&b);
        return KG_ENOMEM;
    }
    g = &d->diags[d->ndiags];
    g->msg = kg_buf_detach(&b);
    if (g->msg == NULL) return KG_ENOMEM;
    g->line = line;
    g->col = col;
    g->severity = severity;
    d->ndiags++;
    return KG_OK;
}
