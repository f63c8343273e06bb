/* op_union.c - Union: the rows of the left branch, then of the right, each
 * copied into the union's column slots (the branches bind their columns
 * to different slots). UNION without ALL puts a Distinct above this. */
#include "query_int.h"

typedef struct {
    kg_op base;
    int32_t *slots; /* left[n], right[n], out[n] */
    uint32_t n;
    int right;
} op_union;

static int union_next(kg_op *op, kg_exec *x)
{
    op_union *u = (op_union *)op;
    const int32_t *from;
    uint32_t i;
    int rc;
    if (!u->right) {
        if ((rc = kg_op__next(op->child, x)) < 0) return rc;
        if (rc == 0) u->right = 1;
    }
    if (u->right) {
        if ((rc = kg_op__next(op->inner, x)) <= 0) return rc;
    }
    from = u->slots + (u->right ? u->n : 0);
    for (i = 0; i < u->n; i++)
        kg_exec__set(x, u->slots[2 * u->n + i], kg_value_retain(&x->row[from[i]]));
    return 1;
}

static void union_reset(kg_op *op)
{
    ((op_union *)op)->right = 0;
    kg_op__reset(op->inner);
}

static void union_free(kg_op *op)
{
    kg_free(((op_union *)op)->slots);
}

static const kg_op_vtable union_vt = {"Union", union_next, union_reset,
                                      union_free, NULL};

kg_op *kg_op_new_union(kg_op *left, kg_op *right, const int32_t *lslots,
                       const int32_t *rslots, const int32_t *out, uint32_t n)
{
    op_union *u = kg_op__alloc(sizeof *u, &union_vt, left);
    if (!u) return NULL;
    u->slots = kg_malloc((3 * n + 1) * sizeof *u->slots);
    if (!u->slots) {
        kg_free(u);
        return NULL;
    }
    if (n) {
        memcpy(u->slots, lslots, n * sizeof *lslots);
        memcpy(u->slots + n, rslots, n * sizeof *rslots);
        memcpy(u->slots + 2 * n, out, n * sizeof *out);
    }
    u->n = n;
    u->base.inner = right;
    return &u->base;
}
