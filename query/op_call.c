/* op_call.c - ProcedureCall: CALL proc(args) YIELD cols, once per input
 * row; the procedure's rows are produced one by one into the yield slots. */
#include "query_int.h"

typedef struct {
    kg_op base;
    const ast_clause *c;
    kg_value rows;
    uint32_t pos;
    int active;
} op_call;

static int call_next(kg_op *op, kg_exec *x)
{
    op_call *o = (op_call *)op;
    const ast_clause *c = o->c;
    uint32_t i;
    int rc;
    for (;;) {
        if (!o->active) {
            kg_value args[4] = {KG_NULL_VALUE, KG_NULL_VALUE, KG_NULL_VALUE,
                                KG_NULL_VALUE};
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            for (i = 0; i < c->nexprs && i < 4; i++)
                if ((rc = kg_expr__eval(x, c->exprs[i], &args[i])) < 0) break;
            kg_value_release(&o->rows);
            if (rc >= 0) rc = kg_proc__run(x, c, args, &o->rows);
            for (i = 0; i < 4; i++) kg_value_release(&args[i]);
            if (rc < 0) return rc;
            o->pos = 0;
            o->active = 1;
        }
        if (o->pos < o->rows.u.list->len) {
            const kg_value *row = &o->rows.u.list->items[o->pos++];
            for (i = 0; i < c->nyields; i++)
                kg_exec__set(x, c->yields[i].slot,
                             kg_value_retain(
                                 &row->u.list->items[c->yields[i].col]));
            return 1;
        }
        o->active = 0;
    }
}

static void call_reset(kg_op *op)
{
    op_call *o = (op_call *)op;
    o->active = 0;
    kg_value_release(&o->rows);
}

static void call_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    kg_buf_puts(out, ((const op_call *)op)->c->proc);
}

static const kg_op_vtable call_vt = {"ProcedureCall", call_next, call_reset,
                                     call_reset, call_explain};

kg_op *kg_op_new_call(kg_op *child, const ast_clause *c)
{
    op_call *o = kg_op__alloc(sizeof *o, &call_vt, child);
    if (!o) return NULL;
    o->c = c;
    o->base.span = c->span;
    return &o->base;
}
