/* op.c - the operator base: pulling, resetting, freeing, profiling.
 *
 * kg_op__next wraps every pull so that row counts are always kept (EXPLAIN
 * after a run, PROFILE) and time is measured only when profiling: reading
 * the clock twice per row costs more than most operators' work.
 */
#include "query_int.h"

void *kg_op__alloc(size_t size, const kg_op_vtable *vt, kg_op *child)
{
    kg_op *op = kg_calloc(1, size);
    if (!op) return NULL;
    op->vt = vt;
    op->child = child;
    return op;
}

int kg_op__next(kg_op *op, kg_exec *x)
{
    int rc;
    if (x->profile) {
        uint64_t t0 = kg_exec__now_ns();
        rc = op->vt->next(op, x);
        op->ns += kg_exec__now_ns() - t0;
    } else {
        rc = op->vt->next(op, x);
    }
    if (rc == 1) op->rows++;
    return rc;
}

void kg_op__reset(kg_op *op)
{
    for (; op; op = op->child)
        if (op->vt->reset) op->vt->reset(op);
}

void kg_op_free(kg_op *op)
{
    while (op) {
        kg_op *child = op->child;
        kg_op_free(op->inner);
        if (op->vt->free) op->vt->free(op);
        kg_free(op);
        op = child;
    }
}

int kg_op__reads(const kg_op *op)
{
    for (; op; op = op->child) {
        if (op->eager) return 0;
        if (op->reads || (op->inner && kg_op__reads(op->inner))) return 1;
    }
    return 0;
}
