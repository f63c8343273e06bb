/* op_relscan.c - RelationshipScan: every relationship, in id order.
 *
 * A pattern whose nodes are all unselective ((a)-[r]->(b), ()-[:T]-())
 * would otherwise scan all nodes and follow each adjacency list, touching
 * relationship records in random order. Walking the relationship array in
 * order reads memory sequentially and binds both ends at once; it is what
 * makes "count by type" and "degree of every node" fast. An undirected
 * pattern produces each relationship twice, once per orientation (a
 * self-loop once).
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    kg_expand_spec s;
    int active;
    size_t pos, cap;
    int second;          /* undirected: the reversed orientation is next */
} op_relscan;

static int ends_ok(op_relscan *o, kg_exec *x, kg_id a, kg_id b)
{
    uint32_t i;
    if (o->s.src == o->s.dst && a != b) return 0;
    for (i = 0; i < o->s.nslabels; i++) {
        kg_atom at = kg_bind__atom(x->g, &o->s.satoms[i], o->s.slabels[i]);
        if (at == KG_NONE || !kg_graph_has_label(x->g, a, at)) return 0;
    }
    return kg_expand__labels_ok(x, &o->s, b);
}

static int emit(op_relscan *o, kg_exec *x, kg_id e, kg_id a, kg_id b)
{
    kg_exec__set(x, o->s.src, kg_value_node(a));
    kg_exec__set(x, o->s.dst, kg_value_node(b));
    if (o->s.rel >= 0) kg_exec__set(x, o->s.rel, kg_value_rel(e));
    return 1;
}

static int relscan_next(kg_op *op, kg_exec *x)
{
    op_relscan *o = (op_relscan *)op;
    int rc;
    for (;;) {
        if (!o->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            o->active = 1;
            o->pos = 0;
            o->second = 0;
            o->cap = kg_graph_cap(x->g, KG_EDGE);
        }
        while (o->pos < o->cap) {
            kg_id e = (kg_id)o->pos, s, d;
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (o->second) { /* undirected, reversed orientation */
                o->second = 0;
                o->pos++;
                s = kg_graph_edge_src(x->g, e);
                d = kg_graph_edge_dst(x->g, e);
                if (s != d && ends_ok(o, x, d, s)) return emit(o, x, e, d, s);
                continue;
            }
            if (!kg_graph_alive(x->g, KG_EDGE, e) ||
                !kg_expand__type_ok(x, &o->s, e) ||
                (o->s.niso && !kg_expand__iso_ok(x, &o->s, e))) {
                o->pos++;
                continue;
            }
            s = kg_graph_edge_src(x->g, e);
            d = kg_graph_edge_dst(x->g, e);
            if (o->s.dir == AST_DIR_BOTH) o->second = 1;
            else o->pos++;
            if (o->s.dir == AST_DIR_IN) {
                kg_id t = s;
                s = d;
                d = t;
            }
            if (ends_ok(o, x, s, d)) return emit(o, x, e, s, d);
        }
        o->active = 0;
    }
}

static void relscan_reset(kg_op *op)
{
    ((op_relscan *)op)->active = 0;
}

static void relscan_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_relscan *o = (const op_relscan *)op;
    uint32_t i;
    kg_buf_printf(out, "(%d)%s[%d", o->s.src, o->s.dir == AST_DIR_IN ? "<-" : "-",
                  o->s.rel);
    for (i = 0; i < o->s.ntypes; i++)
        kg_buf_printf(out, "%c%s", i ? '|' : ':', o->s.types[i]);
    kg_buf_printf(out, "]%s(%d)", o->s.dir == AST_DIR_OUT ? "->" : "-",
                  o->s.dst);
}

static const kg_op_vtable relscan_vt = {"RelationshipScan", relscan_next,
                                        relscan_reset, NULL, relscan_explain};

kg_expand_spec *kg_relscan__spec(kg_op *op)
{
    return op && op->vt == &relscan_vt ? &((op_relscan *)op)->s : NULL;
}

kg_op *kg_op_new_relscan(kg_op *child, const kg_expand_spec *spec)
{
    op_relscan *o = kg_op__alloc(sizeof *o, &relscan_vt, child);
    if (!o) return NULL;
    o->base.reads = 1;
    o->s = *spec;
    return &o->base;
}
