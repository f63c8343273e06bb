/* op_varlen.c - VarLengthExpand: -[:T*min..max]-> by depth-first search.
 *
 * The search keeps one frame per depth (node reached, edge taken, position
 * in the adjacency list), so memory is O(max hops) whatever the graph's
 * size, and each produced row costs one step of the walk. Paths are trails,
 * as openCypher requires: an edge is not used twice in one path (checked
 * against the frames on the stack, at most KG_QUERY_MAX_HOPS of them).
 * When the relationship variable or the path is used, the list of edges is
 * built for each row, in pattern order.
 */
#include "query_int.h"

typedef struct {
    kg_id node, edge;
    const kg_id *list;
    size_t n, pos;
    int phase;
} frame;

typedef struct {
    kg_op base;
    kg_expand_spec s;
    frame *st;
    int depth, maxd;
    int active, emit_start;
    kg_id target;
    kg_value *pvals;     /* property values every edge must have */
} op_varlen;

static void frame_open(op_varlen *o, kg_exec *x, frame *f)
{
    f->phase = 0;
    f->pos = 0;
    if (o->s.dir == AST_DIR_IN) f->list = kg_graph_in(x->g, f->node, &f->n);
    else f->list = kg_graph_out(x->g, f->node, &f->n);
}

static int props_ok(op_varlen *o, kg_exec *x, kg_id e)
{
    uint32_t i;
    for (i = 0; i < o->s.props.n; i++) {
        kg_atom a = kg_bind__atom(x->g, &o->s.props.atoms[i],
                                  o->s.props.names[i]);
        const kg_value *v = a == KG_NONE ? NULL
                                         : kg_graph_prop(x->g, KG_EDGE, e, a);
        if (!v || kg_qv__equals(v, &o->pvals[i]) != KG_TV_TRUE) return 0;
    }
    return 1;
}

static int on_trail(const op_varlen *o, kg_id e)
{
    int d;
    for (d = 1; d <= o->depth; d++)
        if (o->st[d].edge == e) return 1;
    return 0;
}

/* Next usable edge from the top frame; KG_NONE when exhausted. */
static kg_id next_edge(op_varlen *o, kg_exec *x, kg_id *other)
{
    frame *f = &o->st[o->depth];
    for (;;) {
        kg_id e;
        if (f->pos >= f->n) {
            if (f->phase == 0 && o->s.dir == AST_DIR_BOTH) {
                f->phase = 1;
                f->pos = 0;
                f->list = kg_graph_in(x->g, f->node, &f->n);
                continue;
            }
            return KG_NONE;
        }
        e = f->list[f->pos++];
        if (!kg_expand__type_ok(x, &o->s, e)) continue;
        if (f->phase == 0 && o->s.dir != AST_DIR_IN) {
            *other = kg_graph_edge_dst(x->g, e);
        } else {
            *other = kg_graph_edge_src(x->g, e);
            if (f->phase == 1 && *other == f->node) continue; /* loop seen */
        }
        if (on_trail(o, e)) continue;
        if (o->s.niso && !kg_expand__iso_ok(x, &o->s, e)) continue;
        if (o->s.props.n && !props_ok(o, x, e)) continue;
        return e;
    }
}

static int dst_ok(op_varlen *o, kg_exec *x, kg_id n)
{
    if (o->s.into) return n == o->target;
    return kg_expand__labels_ok(x, &o->s, n);
}

static int emit(op_varlen *o, kg_exec *x)
{
    kg_id n = o->st[o->depth].node;
    if (!o->s.into) kg_exec__set(x, o->s.dst, kg_value_node(n));
    if (o->s.need_list) {
        kg_value l = kg_value_list((size_t)o->depth);
        int d;
        if (l.type != KG_VLIST)
            return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        for (d = 1; d <= o->depth; d++)
            kg_value_list_set(&l, (size_t)(o->s.reverse ? o->depth - d : d - 1),
                              kg_value_rel(o->st[d].edge));
        kg_exec__set(x, o->s.rel, l);
    }
    return 1;
}

static int varlen_open(op_varlen *o, kg_exec *x)
{
    const kg_value *v = &x->row[o->s.src];
    uint32_t i;
    int rc;
    if (v->type == KG_VNULL) return 0;
    if (v->type != KG_VNODE)
        return kg_exec__fail(x, KG_ETYPE, o->base.span,
                             "expected a node to expand from, got %s",
                             kg_value_type_name(v->type));
    if (!kg_graph_alive(x->g, KG_NODE, v->u.id)) return 0;
    if (o->s.into) {
        const kg_value *t = &x->row[o->s.dst];
        if (t->type != KG_VNODE) return 0;
        o->target = t->u.id;
    }
    for (i = 0; i < o->s.props.n; i++) {
        kg_value_release(&o->pvals[i]);
        if ((rc = kg_expr__eval(x, o->s.props.vals[i], &o->pvals[i])) < 0)
            return rc;
    }
    o->depth = 0;
    o->st[0].node = v->u.id;
    o->st[0].edge = KG_NONE;
    frame_open(o, x, &o->st[0]);
    o->emit_start = o->s.min == 0;
    return 1;
}

static int varlen_next(kg_op *op, kg_exec *x)
{
    op_varlen *o = (op_varlen *)op;
    int rc;
    for (;;) {
        if (!o->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            if ((rc = varlen_open(o, x)) < 0) return rc;
            if (rc == 0) continue;
            o->active = 1;
        }
        if (o->emit_start) {
            o->emit_start = 0;
            if (dst_ok(o, x, o->st[0].node)) return emit(o, x);
        }
        while (o->depth >= 0) {
            kg_id e, other;
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (o->depth == o->maxd ||
                (e = next_edge(o, x, &other)) == KG_NONE) {
                o->depth--;
                continue;
            }
            o->depth++;
            o->st[o->depth].node = other;
            o->st[o->depth].edge = e;
            if (o->depth < o->maxd) /* a frame at the last hop never expands */
                frame_open(o, x, &o->st[o->depth]);
            if ((uint32_t)o->depth >= o->s.min && dst_ok(o, x, other))
                return emit(o, x);
        }
        o->active = 0;
    }
}

static void varlen_reset(kg_op *op)
{
    ((op_varlen *)op)->active = 0;
}

static void varlen_free(kg_op *op)
{
    op_varlen *o = (op_varlen *)op;
    uint32_t i;
    for (i = 0; o->pvals && i < o->s.props.n; i++)
        kg_value_release(&o->pvals[i]);
    kg_free(o->pvals);
    kg_free(o->st);
}

static void varlen_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_varlen *o = (const op_varlen *)op;
    uint32_t i;
    kg_buf_printf(out, "(%d)%s[%d", o->s.src,
                  o->s.dir == AST_DIR_IN ? "<-" : "-", o->s.rel);
    for (i = 0; i < o->s.ntypes; i++)
        kg_buf_printf(out, "%c%s", i ? '|' : ':', o->s.types[i]);
    kg_buf_printf(out, "*%u..%d]%s(%d)", o->s.min, o->maxd,
                  o->s.dir == AST_DIR_OUT ? "->" : "-", o->s.dst);
}

static const kg_op_vtable varlen_vt = {"VarLengthExpand", varlen_next,
                                       varlen_reset, varlen_free,
                                       varlen_explain};

kg_op *kg_op_new_varlen(kg_op *child, const kg_expand_spec *spec)
{
    op_varlen *o = kg_op__alloc(sizeof *o, &varlen_vt, child);
    if (!o) return NULL;
    o->base.reads = 1;
    o->s = *spec;
    o->maxd = (int)(spec->max > KG_QUERY_MAX_HOPS ? KG_QUERY_MAX_HOPS
                                                  : spec->max);
    o->st = kg_calloc((size_t)o->maxd + 1, sizeof *o->st);
    o->pvals = spec->props.n ? kg_calloc(spec->props.n, sizeof *o->pvals)
                             : NULL;
    if (!o->st || (spec->props.n && !o->pvals)) {
        o->base.child = NULL; /* the caller still owns child */
        kg_op_free(&o->base);
        return NULL;
    }
    return &o->base;
}
