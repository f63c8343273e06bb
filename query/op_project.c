/* op_project.c - Projection (WITH / RETURN items into their column slots)
 * and Eval (one computed slot, e.g. a named path).
 *
 * Columns get fresh slots, so evaluating item i never overwrites a value
 * item j still reads: `WITH a AS b, b AS a` needs no temporaries.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    ast_expr **exprs;
    int32_t *slots;
    uint32_t n;
} op_project;

/* Build a path value from a pattern's slots; a variable-length segment's
 * slot holds its list of relationships, and the nodes between are found
 * by walking the edges. */
static int build_path(kg_exec *x, const ast_path *p, kg_value *out)
{
    kg_value l = kg_value_list(0);
    uint32_t i, j;
    kg_id cur;
    const kg_value *n0 = &x->row[p->nodes[0]->slot];
    *out = KG_NULL_VALUE;
    if (l.type != KG_VLIST) return KG_ENOMEM;
    if (n0->type != KG_VNODE) {
        kg_value_release(&l);
        return KG_OK; /* an OPTIONAL MATCH that did not match */
    }
    cur = n0->u.id;
    if (kg_value_list_push(&l, kg_value_node(cur)) < 0) goto oom;
    for (i = 0; i < p->nrels; i++) {
        const kg_value *r = &x->row[p->rels[i]->slot];
        const kg_value *items = r;
        uint32_t count = 1;
        if (r->type == KG_VLIST) {
            items = r->u.list->items;
            count = r->u.list->len;
        } else if (r->type != KG_VREL) {
            kg_value_release(&l);
            return KG_OK;
        }
        for (j = 0; j < count; j++) {
            kg_id e = items[j].u.id;
            kg_id s = kg_graph_edge_src(x->g, e);
            cur = s == cur ? kg_graph_edge_dst(x->g, e) : s;
            if (kg_value_list_push(&l, kg_value_rel(e)) < 0 ||
                kg_value_list_push(&l, kg_value_node(cur)) < 0)
                goto oom;
        }
    }
    *out = kg_qv__path(l);
    return KG_OK;
oom:
    kg_value_release(&l);
    return KG_ENOMEM;
}

static int project_next(kg_op *op, kg_exec *x)
{
    op_project *p = (op_project *)op;
    uint32_t i;
    int rc;
    if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
    for (i = 0; i < p->n; i++) {
        kg_value v;
        const ast_expr *e = p->exprs[i];
        if (e->kind == AST_E_PATH) {
            if (build_path(x, e->pat->paths[0], &v) < 0)
                return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
        } else if ((rc = kg_expr__eval(x, e, &v)) < 0) {
            return rc;
        }
        kg_exec__set(x, p->slots[i], v);
    }
    return 1;
}

static void project_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_project *p = (const op_project *)op;
    uint32_t i;
    for (i = 0; i < p->n; i++) {
        const ast_expr *e = p->exprs[i];
        if (i) kg_buf_puts(out, ", ");
        if (e->kind == AST_E_PATH) kg_buf_puts(out, "path");
        else kg_buf_put_safe(out, x->text + e->span.offset, e->span.len);
        kg_buf_printf(out, " -> %d", p->slots[i]);
    }
}

static const kg_op_vtable project_vt = {"Projection", project_next, NULL, NULL,
                                        project_explain};
static const kg_op_vtable eval_vt = {"Eval", project_next, NULL, NULL,
                                     project_explain};

kg_op *kg_op_new_project(kg_op *child, ast_expr **exprs, const int32_t *slots,
                         uint32_t n)
{
    op_project *p = kg_op__alloc(sizeof *p, &project_vt, child);
    if (!p) return NULL;
    p->exprs = exprs;
    p->slots = (int32_t *)slots;
    p->n = n;
    return &p->base;
}

typedef struct {
    op_project p;
    ast_expr *one;
    int32_t slot;
} op_eval;

kg_op *kg_op_new_eval(kg_op *child, const ast_expr *e, int32_t slot)
{
    op_eval *o = kg_op__alloc(sizeof *o, &eval_vt, child);
    if (!o) return NULL;
    o->one = (ast_expr *)e;
    o->slot = slot;
    o->p.exprs = &o->one;
    o->p.slots = &o->slot;
    o->p.n = 1;
    return &o->p.base;
}
