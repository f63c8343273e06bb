/* op_delete.c - Delete / DetachDelete.
 *
 * Eager by construction: every input row is buffered, relationships are
 * deleted as rows are processed and nodes only after all rows, so that
 * `MATCH (n)-[r]-() DELETE n, r` succeeds whatever order the rows come in
 * (a node's relationships are checked when the clause is done, as a
 * transaction commit would). Deleting something twice is harmless; a node
 * that still has relationships without DETACH is an error.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    ast_expr **exprs;
    uint32_t n;
    int detach;
    kg_rowbuf buf;
    kg_id *nodes;
    size_t nnodes, capnodes;
    int consumed;
    size_t pos;
} op_delete;

static int add_node(op_delete *d, kg_exec *x, kg_id n)
{
    if (d->nnodes == d->capnodes) {
        size_t cap = d->capnodes ? d->capnodes * 2 : 16;
        kg_id *a = kg_realloc(d->nodes, cap * sizeof *a);
        if (!a) return kg_exec__fail(x, KG_ENOMEM, d->base.span, "out of memory");
        d->nodes = a;
        d->capnodes = cap;
    }
    d->nodes[d->nnodes++] = n;
    return KG_OK;
}

static void del_edge(kg_exec *x, kg_id e)
{
    if (kg_graph_alive(x->g, KG_EDGE, e) && kg_graph_edge_delete(x->g, e) == KG_OK)
        x->stats.rels_deleted++;
}

static int del_value(op_delete *d, kg_exec *x, const ast_expr *e,
                     const kg_value *v)
{
    uint32_t i;
    int rc;
    switch (v->type) {
    case KG_VNULL: return KG_OK;
    case KG_VREL: del_edge(x, v->u.id); return KG_OK;
    case KG_VNODE: return add_node(d, x, v->u.id);
    case KG_VPATH:
        for (i = 1; i < v->u.list->len; i += 2) del_edge(x, v->u.list->items[i].u.id);
        for (i = 0; i < v->u.list->len; i += 2)
            if ((rc = add_node(d, x, v->u.list->items[i].u.id)) < 0) return rc;
        return KG_OK;
    case KG_VLIST:
        for (i = 0; i < v->u.list->len; i++)
            if ((rc = del_value(d, x, e, &v->u.list->items[i])) < 0) return rc;
        return KG_OK;
    default:
        return kg_exec__fail(x, KG_ETYPE, e->span,
                             "DELETE expects a node, relationship or path, "
                             "got %s", kg_value_type_name(v->type));
    }
}

static int del_nodes(op_delete *d, kg_exec *x)
{
    size_t i;
    for (i = 0; i < d->nnodes; i++) {
        kg_id n = d->nodes[i];
        size_t nout, nin, k;
        const kg_id *out, *in;
        if (!kg_graph_alive(x->g, KG_NODE, n)) continue;
        out = kg_graph_out(x->g, n, &nout);
        in = kg_graph_in(x->g, n, &nin);
        if ((nout || nin) && !d->detach)
            return kg_exec__fail(x, KG_ETYPE, d->base.span,
                                 "cannot delete a node that still has "
                                 "relationships; use DETACH DELETE");
        for (k = 0; k < nout; k++)
            if (kg_graph_edge_dst(x->g, out[k]) != n) x->stats.rels_deleted++;
        x->stats.rels_deleted += nin;
        (void)in;
        if (kg_graph_node_delete(x->g, n, 1, x->err) < 0)
            return x->err ? x->err->code : KG_ERROR;
        x->stats.nodes_deleted++;
    }
    return KG_OK;
}

static int delete_next(kg_op *op, kg_exec *x)
{
    op_delete *d = (op_delete *)op;
    int rc;
    uint32_t i;
    size_t r;
    if (!d->consumed) {
        while ((rc = kg_op__next(op->child, x)) == 1)
            if ((rc = kg_rowbuf__push(&d->buf, x, op->span)) < 0) return rc;
        if (rc < 0) return rc;
        for (r = 0; r < d->buf.n; r++) {
            kg_rowbuf__load(&d->buf, x, r);
            for (i = 0; i < d->n; i++) {
                kg_value v;
                if ((rc = kg_expr__eval(x, d->exprs[i], &v)) < 0) return rc;
                rc = del_value(d, x, d->exprs[i], &v);
                kg_value_release(&v);
                if (rc < 0) return rc;
            }
        }
        if ((rc = del_nodes(d, x)) < 0) return rc;
        d->consumed = 1;
        d->pos = 0;
    }
    if (d->pos >= d->buf.n) return 0;
    kg_rowbuf__load(&d->buf, x, d->pos++);
    return 1;
}

static void delete_reset(kg_op *op)
{
    op_delete *d = (op_delete *)op;
    kg_rowbuf__clear(&d->buf);
    d->nnodes = 0;
    d->consumed = 0;
}

static void delete_free(kg_op *op)
{
    op_delete *d = (op_delete *)op;
    delete_reset(op);
    kg_free(d->buf.vals);
    kg_free(d->nodes);
}

static const kg_op_vtable delete_vt = {"Delete", delete_next, delete_reset,
                                       delete_free, NULL};
static const kg_op_vtable detach_vt = {"DetachDelete", delete_next,
                                       delete_reset, delete_free, NULL};

kg_op *kg_op_new_delete(kg_op *child, ast_expr **exprs, uint32_t n,
                        int detach)
{
    op_delete *d = kg_op__alloc(sizeof *d, detach ? &detach_vt : &delete_vt,
                                child);
    if (!d) return NULL;
    d->exprs = exprs;
    d->n = n;
    d->detach = detach;
    d->base.eager = 1;
    return &d->base;
}
