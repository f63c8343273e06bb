/* op_expand.c - Expand: follow one relationship from a bound node.
 *
 * For each input row, walk the source node's adjacency (out, in, or out
 * then in for an undirected pattern) and produce one row per edge whose
 * type, far-end labels and uniqueness constraints match. "Into" mode (both
 * ends already bound) checks the far end instead of binding it. An
 * undirected pattern meets a self-loop in both lists; it is produced once.
 *
 * Relationship isomorphism: an edge already bound to another relationship
 * of the same MATCH (iso slots; a list for variable-length ones) is skipped.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    kg_expand_spec s;
    int active;
    int phase;              /* 0: out list, 1: in list */
    const kg_id *list;
    size_t n, pos;
    kg_id src, target;
    int types_known;
    /* type and far end of each entry of list, read in one prefetching
     * pass (kg_graph_edges_fetch) instead of an edge miss per step */
    kg_atom *types;
    kg_id *ends;
    size_t cap;
} op_expand;

/* t is one of the wanted types (any when none are given). */
static int type_match(kg_exec *x, kg_expand_spec *s, kg_atom t)
{
    uint32_t i;
    if (!s->ntypes) return 1;
    for (i = 0; i < s->ntypes; i++)
        if (kg_bind__atom(x->g, &s->tatoms[i], s->types[i]) == t) return 1;
    return 0;
}

/* Type filter; names unknown at prepare time are looked up again. */
int kg_expand__type_ok(kg_exec *x, kg_expand_spec *s, kg_id e)
{
    uint32_t i;
    kg_atom t;
    if (!s->ntypes) return 1;
    t = kg_graph_edge_type(x->g, e);
    for (i = 0; i < s->ntypes; i++)
        if (kg_bind__atom(x->g, &s->tatoms[i], s->types[i]) == t) return 1;
    return 0;
}

int kg_expand__iso_ok(const kg_exec *x, const kg_expand_spec *s, kg_id e)
{
    uint32_t i, j;
    for (i = 0; i < s->niso; i++) {
        const kg_value *v = &x->row[s->iso[i]];
        if (v->type == KG_VREL && v->u.id == e) return 0;
        if (v->type == KG_VLIST)
            for (j = 0; j < v->u.list->len; j++)
                if (v->u.list->items[j].type == KG_VREL &&
                    v->u.list->items[j].u.id == e)
                    return 0;
    }
    return 1;
}

/* Labels through the graph's membership bitmaps: one load from a small
 * array per label, where the node and its label array are two cache
 * misses per edge on a large graph. */
int kg_expand__labels_ok(kg_exec *x, kg_expand_spec *s, kg_id n)
{
    uint32_t i;
    for (i = 0; i < s->nlabels; i++) {
        kg_atom a = kg_bind__atom(x->g, &s->latoms[i], s->labels[i]);
        const uint64_t *bits;
        size_t nw;
        if (a == KG_NONE) return 0;
        bits = kg_graph_label_bits(x->g, a, &nw);
        if (!bits ? !kg_graph_has_label(x->g, n, a) : !kg_graph_bit(bits, nw, n))
            return 0;
    }
    return 1;
}

static int set_list(op_expand *o, kg_exec *x)
{
    int out = o->phase == 0 && o->s.dir != AST_DIR_IN;
    if (out)
        o->list = kg_graph_out(x->g, o->src, &o->n);
    else
        o->list = kg_graph_in(x->g, o->src, &o->n);
    o->pos = 0;
    if (o->n > o->cap) {
        size_t cap = o->cap ? o->cap : 16;
        kg_atom *t;
        kg_id *e;
        while (cap < o->n) cap *= 2;
        t = kg_realloc(o->types, cap * sizeof *t);
        if (t) o->types = t;
        e = t ? kg_realloc(o->ends, cap * sizeof *e) : NULL;
        if (!t || !e)
            return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        o->ends = e;
        o->cap = cap;
    }
    kg_graph_edges_fetch(x->g, o->list, o->n, out, o->types, o->ends);
    return KG_OK;
}

/* Take an input row; 0 when it cannot match at all (null endpoints). */
static int expand_open(op_expand *o, kg_exec *x)
{
    const kg_value *v = &x->row[o->s.src];
    if (v->type == KG_VNULL) return 0;
    if (v->type != KG_VNODE)
        return kg_exec__fail(x, KG_ETYPE, o->base.span,
                             "expected a node to expand from, got %s",
                             kg_value_type_name(v->type));
    o->src = v->u.id;
    if (!kg_graph_alive(x->g, KG_NODE, o->src)) return 0;
    if (o->s.into) {
        const kg_value *t = &x->row[o->s.dst];
        if (t->type != KG_VNODE) return 0;
        o->target = t->u.id;
    }
    if (o->s.rel_bound && x->row[o->s.rel].type != KG_VREL) return 0;
    o->phase = 0;
    if (set_list(o, x) < 0) return -1;
    return 1;
}

static int expand_next(kg_op *op, kg_exec *x)
{
    op_expand *o = (op_expand *)op;
    int rc;
    for (;;) {
        if (!o->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            if ((rc = expand_open(o, x)) < 0) return rc;
            if (rc == 0) continue;
            o->active = 1;
        }
        for (;;) {
            kg_id e, other;
            if (o->pos >= o->n) {
                if (o->phase == 0 && o->s.dir == AST_DIR_BOTH) {
                    o->phase = 1;
                    if ((rc = set_list(o, x)) < 0) return rc;
                    continue;
                }
                break;
            }
            e = o->list[o->pos];
            other = o->ends[o->pos];
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (!type_match(x, &o->s, o->types[o->pos++]) || other == KG_NONE)
                continue;
            if (o->phase == 1 && other == o->src) continue; /* loop seen */
            if (o->s.into ? other != o->target
                          : !kg_expand__labels_ok(x, &o->s, other))
                continue;
            if (o->s.niso && !kg_expand__iso_ok(x, &o->s, e)) continue;
            if (o->s.rel_bound) {
                if (x->row[o->s.rel].u.id != e) continue;
            } else if (o->s.rel >= 0) {
                kg_exec__set(x, o->s.rel, kg_value_rel(e));
            }
            if (!o->s.into) kg_exec__set(x, o->s.dst, kg_value_node(other));
            return 1;
        }
        o->active = 0;
    }
}

static void expand_reset(kg_op *op)
{
    ((op_expand *)op)->active = 0;
}

static void expand_free(kg_op *op)
{
    op_expand *o = (op_expand *)op;
    kg_free(o->types);
    kg_free(o->ends);
}

static void expand_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_expand *o = (const op_expand *)op;
    uint32_t i;
    kg_buf_printf(out, "(%d)%s[%d", o->s.src,
                  o->s.dir == AST_DIR_IN ? "<-" : "-", o->s.rel);
    for (i = 0; i < o->s.ntypes; i++)
        kg_buf_printf(out, "%c%s", i ? '|' : ':', o->s.types[i]);
    kg_buf_printf(out, "]%s(%d", o->s.dir == AST_DIR_OUT ? "->" : "-",
                  o->s.dst);
    for (i = 0; i < o->s.nlabels; i++) kg_buf_printf(out, ":%s", o->s.labels[i]);
    kg_buf_putc(out, ')');
    if (o->s.min != 1 || o->s.max != 1)
        kg_buf_printf(out, " *%u..%u", o->s.min, o->s.max);
}

static const kg_op_vtable expand_vt = {"Expand", expand_next, expand_reset,
                                       expand_free, expand_explain};
static const kg_op_vtable into_vt = {"ExpandInto", expand_next, expand_reset,
                                     expand_free, expand_explain};

kg_op *kg_op_new_expand(kg_op *child, const kg_expand_spec *spec)
{
    op_expand *o = kg_op__alloc(sizeof *o, spec->into ? &into_vt : &expand_vt,
                                child);
    if (!o) return NULL;
    o->base.reads = 1;
    o->s = *spec;
    o->s.min = o->s.max = 1;
    return &o->base;
}
