/* schema.c - .schema: the labels, relationship types and property keys in
 * use, with counts, their shapes and an example of each.
 *
 * A property graph has no declared schema, so this one is observed: one
 * pass over the nodes and one over the edges of the current graph, with
 * per-atom counters (atoms are dense ids, so counters are plain arrays).
 * The result is one table (kind, name, count, shape, example), so it obeys
 * .mode like any query result: `kgsh -c .schema --mode json` is the schema
 * as data.
 */
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

#define TYPE_BITS 16 /* kg_vtype values fit in a 16-bit mask */

typedef struct {
    size_t n;
    kg_id example;
    unsigned types; /* properties: bit per kg_vtype seen */
} tally;

typedef struct {
    kg_atom type, src, dst; /* src/dst: first label, KG_NONE when none */
    size_t n;
} pattern;

typedef struct {
    size_t natoms;
    tally *labels, *types, *nprops, *eprops;
    size_t unlabelled;
    kg_id unlabelled_ex;
    pattern *pats;
    size_t npats, cappats;
} survey;

static void survey_free(survey *s)
{
    kg_free(s->labels);
    kg_free(s->types);
    kg_free(s->nprops);
    kg_free(s->eprops);
    kg_free(s->pats);
}

static void bump(tally *st, kg_id id)
{
    if (st->n++ == 0) st->example = id;
}

static int add_pattern(survey *s, kg_atom type, kg_atom src, kg_atom dst)
{
    size_t i;

    for (i = 0; i < s->npats; i++) {
        pattern *p = &s->pats[i];
        if (p->type == type && p->src == src && p->dst == dst) {
            p->n++;
            return KG_OK;
        }
    }
    if (s->npats == s->cappats) {
        size_t ncap = s->cappats ? s->cappats * 2 : 32;
        pattern *np = kg_realloc(s->pats, ncap * sizeof *np);
        if (np == NULL) return KG_ENOMEM;
        s->pats = np;
        s->cappats = ncap;
    }
    s->pats[s->npats++] = (pattern){type, src, dst, 1};
    return KG_OK;
}

static kg_atom first_label(const kg_graph *g, kg_id n)
{
    size_t nl;
    const kg_atom *ls = kg_graph_labels(g, n, &nl);

    return nl > 0 ? ls[0] : KG_NONE;
}

static void props(const kg_graph *g, kg_elem kind, kg_id id, tally *table)
{
    size_t i, n = kg_graph_prop_count(g, kind, id);
    kg_atom key;
    const kg_value *v;

    for (i = 0; i < n; i++) {
        v = kg_graph_prop_at(g, kind, id, i, &key);
        if (v == NULL) continue;
        bump(&table[key], id);
        if (v->type < TYPE_BITS) table[key].types |= 1u << v->type;
    }
}

static int survey_run(survey *s, const kg_graph *g)
{
    size_t i, cap, nl, k;
    const kg_atom *ls;

    while (kg_graph_atom_str(g, (kg_atom)s->natoms) != NULL)
        s->natoms++;
    s->labels = kg_calloc(s->natoms + 1, sizeof *s->labels);
    s->types = kg_calloc(s->natoms + 1, sizeof *s->types);
    s->nprops = kg_calloc(s->natoms + 1, sizeof *s->nprops);
    s->eprops = kg_calloc(s->natoms + 1, sizeof *s->eprops);
    if (!s->labels || !s->types || !s->nprops || !s->eprops) return KG_ENOMEM;
    cap = kg_graph_cap(g, KG_NODE);
    for (i = 0; i < cap; i++) {
        if (!kg_graph_alive(g, KG_NODE, (kg_id)i)) continue;
        ls = kg_graph_labels(g, (kg_id)i, &nl);
        if (nl == 0 && s->unlabelled++ == 0) s->unlabelled_ex = (kg_id)i;
        for (k = 0; k < nl; k++)
            bump(&s->labels[ls[k]], (kg_id)i);
        props(g, KG_NODE, (kg_id)i, s->nprops);
    }
    cap = kg_graph_cap(g, KG_EDGE);
    for (i = 0; i < cap; i++) {
        kg_id e = (kg_id)i;
        if (!kg_graph_alive(g, KG_EDGE, e)) continue;
        bump(&s->types[kg_graph_edge_type(g, e)], e);
        props(g, KG_EDGE, e, s->eprops);
        if (add_pattern(s, kg_graph_edge_type(g, e),
                        first_label(g, kg_graph_edge_src(g, e)),
                        first_label(g, kg_graph_edge_dst(g, e))) < 0)
            return KG_ENOMEM;
    }
    return KG_OK;
}

/* Atoms of one counter table with n > 0, most used first, then by name. */
static const kg_graph *sort_graph;
static const tally *sort_table;

static int by_count(const void *pa, const void *pb)
{
    kg_atom a = *(const kg_atom *)pa, b = *(const kg_atom *)pb;

    if (sort_table[a].n != sort_table[b].n)
        return sort_table[a].n > sort_table[b].n ? -1 : 1;
    return strcmp(kg_graph_atom_str(sort_graph, a),
                  kg_graph_atom_str(sort_graph, b));
}

static size_t order(const survey *s, const kg_graph *g, const tally *table,
                    kg_atom *out)
{
    size_t a, n = 0;

    for (a = 0; a < s->natoms; a++)
        if (table[a].n > 0) out[n++] = (kg_atom)a;
    sort_graph = g;
    sort_table = table;
    qsort(out, n, sizeof *out, by_count);
    return n;
}

static void label_text(kg_buf *b, const kg_graph *g, kg_atom a)
{
    kg_buf_putc(b, '(');
    if (a != KG_NONE) {
        kg_buf_putc(b, ':');
        kg_buf_puts(b, kg_graph_atom_str(g, a));
    }
    kg_buf_putc(b, ')');
}

/* The most common (:Src)->(:Dst) of a type, "+N more" when there are
 * others. */
static void type_shape(kg_buf *b, const survey *s, const kg_graph *g,
                       kg_atom type)
{
    const pattern *best = NULL;
    size_t i, others = 0;

    for (i = 0; i < s->npats; i++) {
        if (s->pats[i].type != type) continue;
        if (best == NULL || s->pats[i].n > best->n) {
            if (best != NULL) others++;
            best = &s->pats[i];
        } else {
            others++;
        }
    }
    if (best == NULL) return;
    label_text(b, g, best->src);
    kg_buf_puts(b, "->");
    label_text(b, g, best->dst);
    if (others > 0) kg_buf_printf(b, " +%zu more", others);
}

static void type_names(kg_buf *b, unsigned types)
{
    int t, first = 1;

    for (t = 0; t < TYPE_BITS; t++) {
        if (!(types & (1u << t))) continue;
        if (!first) kg_buf_puts(b, ", ");
        kg_buf_puts(b, kg_value_type_name(t));
        first = 0;
    }
}

static void rows(kg_table *t, const survey *s, const kg_graph *g,
                 const char *kind, const tally *table, kg_atom *ids)
{
    size_t i, n = order(s, g, table, ids);
    kg_buf b = KG_BUF_INIT;

    for (i = 0; i < n; i++) {
        kg_atom a = ids[i];
        const tally *st = &table[a];
        kg_table__str(t, 0, kind);
        kg_table__str(t, 1, kg_graph_atom_str(g, a));
        kg_table__int(t, 2, (int64_t)st->n);
        kg_buf_reset(&b);
        if (table == s->types) {
            type_shape(&b, s, g, a);
            kg_table__str(t, 3, b.data);
            kg_buf_reset(&b);
            kg_buf_printf(
                &b, "%s -> %s",
                kg_graph_node_key(g, kg_graph_edge_src(g, st->example)),
                kg_graph_node_key(g, kg_graph_edge_dst(g, st->example)));
            kg_table__str(t, 4, b.data);
        } else if (table == s->labels) {
            kg_table__str(t, 3, "");
            kg_table__str(t, 4, kg_graph_node_key(g, st->example));
        } else {
            const kg_value *v = kg_graph_prop(
                g, table == s->nprops ? KG_NODE : KG_EDGE, st->example, a);
            type_names(&b, st->types);
            kg_table__str(t, 3, b.data);
            kg_table__cell(t, 4,
                           v != NULL ? kg_value_retain(v) : KG_NULL_VALUE);
        }
        kg_table__row(t);
    }
    kg_buf_free(&b);
}

int kg_shell__schema(kg_shell *sh, kg_error *err)
{
    static const char *const names[] = {"kind", "name", "count", "shape",
                                        "example"};
    survey s;
    kg_graph *g;
    kg_table t;
    kg_atom *ids = NULL;
    int rc;

    memset(&s, 0, sizeof s);
    if ((rc = kg_session__current(sh, &g, err)) < 0) return rc;
    if ((rc = survey_run(&s, g)) < 0 ||
        (ids = kg_calloc(s.natoms + 1, sizeof *ids)) == NULL) {
        survey_free(&s);
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    }
    if ((rc = kg_table__begin(&t, sh, names, 5, g)) == KG_OK) {
        rows(&t, &s, g, "label", s.labels, ids);
        if (s.unlabelled > 0) {
            kg_table__str(&t, 0, "label");
            kg_table__str(&t, 1, "(none)");
            kg_table__int(&t, 2, (int64_t)s.unlabelled);
            kg_table__str(&t, 3, "");
            kg_table__str(&t, 4, kg_graph_node_key(g, s.unlabelled_ex));
            kg_table__row(&t);
        }
        rows(&t, &s, g, "type", s.types, ids);
        rows(&t, &s, g, "node property", s.nprops, ids);
        rows(&t, &s, g, "rel property", s.eprops, ids);
        kg_table__end(&t, 0);
    } else {
        rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
    }
    kg_free(ids);
    survey_free(&s);
    return rc;
}
