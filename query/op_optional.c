/* op_optional.c - Optional: OPTIONAL MATCH as an apply.
 *
 * For each row of the outer input, the inner plan (whose leaf is an
 * Argument that yields the outer row once) runs; if it yields nothing, the
 * row goes on once with the optional clause's new variables set to null.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    int32_t *nulls;
    uint32_t n;
    int active, matched;
} op_optional;

static int optional_next(kg_op *op, kg_exec *x)
{
    op_optional *o = (op_optional *)op;
    int rc;
    uint32_t i;
    for (;;) {
        if (!o->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            kg_op__reset(op->inner);
            o->active = 1;
            o->matched = 0;
        }
        if ((rc = kg_op__next(op->inner, x)) < 0) return rc;
        if (rc == 1) {
            o->matched = 1;
            return 1;
        }
        o->active = 0;
        if (!o->matched) {
            for (i = 0; i < o->n; i++) kg_exec__set(x, o->nulls[i], KG_NULL_VALUE);
            return 1;
        }
    }
}

static void optional_reset(kg_op *op)
{
    ((op_optional *)op)->active = 0;
    kg_op__reset(op->inner);
}

static void optional_free(kg_op *op)
{
    kg_free(((op_optional *)op)->nulls);
}

static const kg_op_vtable optional_vt = {"Optional", optional_next,
                                         optional_reset, optional_free, NULL};

kg_op *kg_op_new_optional(kg_op *child, kg_op *inner, const int32_t *nulls,
                          uint32_t n)
{
    op_optional *o = kg_op__alloc(sizeof *o, &optional_vt, child);
    if (!o) return NULL;
    o->nulls = kg_malloc((n + 1) * sizeof *o->nulls);
    if (!o->nulls) {
        kg_free(o);
        return NULL;
    }
    if (n) memcpy(o->nulls, nulls, n * sizeof *nulls);
    o->n = n;
    o->base.inner = inner;
    return &o->base;
}
