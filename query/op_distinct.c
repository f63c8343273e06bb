/* op_distinct.c - Distinct: drop rows whose column values were seen. */
#include "query_int.h"

typedef struct {
    kg_op base;
    int32_t *slots;
    uint32_t n;
    kg_rowset seen;
    kg_value *tuple;
} op_distinct;

static int distinct_next(kg_op *op, kg_exec *x)
{
    op_distinct *d = (op_distinct *)op;
    uint32_t i;
    int rc, added;
    size_t pos;
    for (;;) {
        if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
        for (i = 0; i < d->n; i++) d->tuple[i] = x->row[d->slots[i]];
        if (kg_rowset__add(&d->seen, d->tuple, &pos, &added) < 0)
            return kg_exec__fail(x, KG_ENOMEM, op->span, "out of memory");
        if (added) {
            for (i = 0; i < d->n; i++)
                if ((rc = kg_exec__mem(x, (long long)kg_exec__value_size(
                                              &d->tuple[i]) + 16,
                                       op->span)) < 0)
                    return rc;
            return 1;
        }
        if ((rc = kg_exec__tick(x)) < 0) return rc;
    }
}

static void distinct_reset(kg_op *op)
{
    op_distinct *d = (op_distinct *)op;
    uint32_t w = d->seen.width;
    kg_rowset__free(&d->seen);
    d->seen.width = w;
}

static void distinct_free(kg_op *op)
{
    op_distinct *d = (op_distinct *)op;
    kg_rowset__free(&d->seen);
    kg_free(d->slots);
    kg_free(d->tuple);
}

static const kg_op_vtable distinct_vt = {"Distinct", distinct_next,
                                         distinct_reset, distinct_free, NULL};

kg_op *kg_op_new_distinct(kg_op *child, const int32_t *slots, uint32_t n)
{
    op_distinct *d = kg_op__alloc(sizeof *d, &distinct_vt, child);
    if (!d) return NULL;
    d->slots = kg_malloc((n + 1) * sizeof *d->slots);
    d->tuple = kg_calloc(n + 1, sizeof *d->tuple);
    if (!d->slots || !d->tuple) {
        kg_free(d->slots);
        kg_free(d->tuple);
        kg_free(d);
        return NULL;
    }
    if (n) memcpy(d->slots, slots, n * sizeof *slots);
    d->n = n;
    d->seen.width = n;
    d->base.eager = 0;
    return &d->base;
}
