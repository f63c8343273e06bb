/* op_unwind.c - Unwind: one row per item of a list (null and the empty list
 * give no rows; any other value is a list of one). */
#include "query_int.h"

typedef struct {
    kg_op base;
    const ast_expr *expr;
    int32_t slot;
    kg_value list;
    uint32_t pos;
    int active;
} op_unwind;

static int unwind_next(kg_op *op, kg_exec *x)
{
    op_unwind *u = (op_unwind *)op;
    int rc;
    for (;;) {
        if (!u->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            kg_value_release(&u->list);
            if ((rc = kg_expr__eval(x, u->expr, &u->list)) < 0) return rc;
            if (u->list.type == KG_VNULL) continue;
            if (u->list.type != KG_VLIST) {
                kg_exec__set(x, u->slot, u->list);
                u->list = KG_NULL_VALUE;
                return 1;
            }
            u->pos = 0;
            u->active = 1;
        }
        if (u->pos < u->list.u.list->len) {
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            kg_exec__set(x, u->slot,
                         kg_value_retain(&u->list.u.list->items[u->pos++]));
            return 1;
        }
        u->active = 0;
    }
}

static void unwind_reset(kg_op *op)
{
    op_unwind *u = (op_unwind *)op;
    u->active = 0;
    kg_value_release(&u->list);
}

static void unwind_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_unwind *u = (const op_unwind *)op;
    kg_buf_put_safe(out, x->text + u->expr->span.offset, u->expr->span.len);
    kg_buf_printf(out, " -> %d", u->slot);
}

static const kg_op_vtable unwind_vt = {"Unwind", unwind_next, unwind_reset,
                                       unwind_reset, unwind_explain};

kg_op *kg_op_new_unwind(kg_op *child, const ast_expr *list, int32_t slot)
{
    op_unwind *u = kg_op__alloc(sizeof *u, &unwind_vt, child);
    if (!u) return NULL;
    u->expr = list;
    u->slot = slot;
    return &u->base;
}
