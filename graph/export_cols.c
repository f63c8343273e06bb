/* export_cols.c - the typed columns of the GraphML and CSV exports.
 *
 * Both formats declare each property once, with one type, before the
 * rows: GraphML as a <key attr.type=...>, CSV as a name:Type header cell.
 * So the writers first walk the chosen elements and collect, per property
 * name (and, for CSV, per class of value), every value type seen, whether
 * an integer needs 64 bits, and the types of list items. Columns come out
 * in name order, so the header is a function of the data; a second index
 * in atom order serves the per-row lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

static int col_atom_cmp(const void *a, const void *b)
{
    const kg_export_col *x = a, *y = b;
    if (x->atom != y->atom) return x->atom < y->atom ? -1 : 1;
    return x->cls < y->cls ? -1 : x->cls > y->cls;
}

static int col_name_cmp(const void *a, const void *b)
{
    const kg_export_col *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0) return c;
    return x->cls < y->cls ? -1 : x->cls > y->cls;
}


static int is_big(const kg_value *v)
{
    return v->type == KG_VINT && (v->u.i < INT32_MIN || v->u.i > INT32_MAX);
}

static void col_note(kg_export_col *c, const kg_value *v)
{
    uint32_t i;

    c->seen |= 1u << v->type;
    c->big |= is_big(v);
    if (v->type != KG_VLIST) return;
    for (i = 0; i < v->u.list->len; i++) {
        c->item_seen |= 1u << v->u.list->items[i].type;
        c->big |= is_big(&v->u.list->items[i]);
    }
}

int kg_export__cols(kg_export_cols *out, const kg_export_sel *sel,
                    kg_elem kind, int (*classify)(const kg_value *v))
{
    const kg_graph *g = sel->g;
    size_t count = kind == KG_NODE ? sel->nnodes : sel->nedges;
    const kg_id *ids = kind == KG_NODE ? sel->nodes : sel->edges;
    kg_export_col *all = NULL;
    size_t i, j, n = 0, cap = 0;

    memset(out, 0, sizeof *out);
    for (i = 0; i < count; i++) {
        size_t np = kg_graph_prop_count(g, kind, ids[i]);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(g, kind, ids[i], j, &a);
            if (v == NULL) continue;
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                kg_export_col *t = kg_realloc(all, nc * sizeof *t);
                if (t == NULL) goto oom;
                all = t;
                cap = nc;
            }
            memset(&all[n], 0, sizeof all[n]);
            all[n].atom = a;
            all[n].cls = classify ? classify(v) : 0;
            col_note(&all[n], v);
            n++;
        }
    }
    if (n > 1) qsort(all, n, sizeof *all, col_atom_cmp);
    for (i = 0, j = 0; i < n; i++) { /* merge runs of one (atom, cls) */
        if (j > 0 && col_atom_cmp(&all[j - 1], &all[i]) == 0) {
            all[j - 1].seen |= all[i].seen;
            all[j - 1].item_seen |= all[i].item_seen;
            all[j - 1].big |= all[i].big;
            continue;
        }
        all[j] = all[i];
        all[j].name = kg_graph_atom_str(g, all[j].atom);
        j++;
    }
    if (j > 1) qsort(all, j, sizeof *all, col_name_cmp);
    /* The lookup index: (atom, cls) order again, the atom field of a
     * scratch copy carrying each column's position in name order. */
    out->by_atom = kg_malloc((j ? j : 1) * sizeof *out->by_atom);
    if (out->by_atom == NULL) goto oom;
    if (j > 0) {
        kg_export_col *t = kg_malloc(j * sizeof *t);
        if (t == NULL) goto oom;
        memcpy(t, all, j * sizeof *t);
        for (i = 0; i < j; i++) t[i].seen = (unsigned)i;
        qsort(t, j, sizeof *t, col_atom_cmp);
        for (i = 0; i < j; i++) out->by_atom[i] = t[i].seen;
        kg_free(t);
    }
    out->cols = all;
    out->n = j;
    return KG_OK;
oom:
    kg_free(all);
    kg_free(out->by_atom);
    out->by_atom = NULL;
    return KG_ENOMEM;
}

long kg_export__col_find(const kg_export_cols *c, kg_atom atom, int cls)
{
    size_t lo = 0, hi = c->n;
    kg_export_col key;

    key.atom = atom;
    key.cls = cls;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = col_atom_cmp(&key, &c->cols[c->by_atom[mid]]);
        if (r == 0) return (long)c->by_atom[mid];
        if (r < 0) hi = mid;
        else lo = mid + 1;
    }
    return -1;
}

void kg_export__cols_free(kg_export_cols *c)
{
    kg_free(c->cols);
    kg_free(c->by_atom);
    memset(c, 0, sizeof *c);
}
