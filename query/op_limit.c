/* op_limit.c - Skip / Limit. The counts are constant expressions (the
 * binder refuses variables), evaluated once per run; LIMIT 0 never pulls. */
#include "query_int.h"

typedef struct {
    kg_op base;
    const ast_expr *skip, *limit;
    int64_t nskip, nlimit, seen;
    int open, drain;
} op_limit;

static int limit_next(kg_op *op, kg_exec *x)
{
    op_limit *l = (op_limit *)op;
    int rc = 0;
    if (!l->open) {
        l->nskip = 0;
        l->nlimit = -1;
        if (l->skip && (rc = kg_expr__count(x, l->skip, "SKIP", &l->nskip)) < 0)
            return rc;
        if (l->limit &&
            (rc = kg_expr__count(x, l->limit, "LIMIT", &l->nlimit)) < 0)
            return rc;
        l->seen = 0;
        l->open = 1;
    }
    if (l->nlimit >= 0 && l->seen >= l->nlimit) {
        /* an update below must still run on every row */
        if (l->drain)
            while ((rc = kg_op__next(op->child, x)) == 1) {}
        return rc < 0 ? rc : 0;
    }
    while (l->nskip > 0) {
        if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
        l->nskip--;
    }
    if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
    l->seen++;
    return 1;
}

static void limit_reset(kg_op *op)
{
    ((op_limit *)op)->open = 0;
}

static void limit_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_limit *l = (const op_limit *)op;
    if (l->skip) {
        kg_buf_puts(out, "skip ");
        kg_buf_put_safe(out, x->text + l->skip->span.offset, l->skip->span.len);
    }
    if (l->limit) {
        kg_buf_puts(out, l->skip ? " limit " : "limit ");
        kg_buf_put_safe(out, x->text + l->limit->span.offset,
                        l->limit->span.len);
    }
}

static const kg_op_vtable limit_vt = {"Limit", limit_next, limit_reset, NULL,
                                      limit_explain};

kg_op *kg_op_new_limit(kg_op *child, const ast_expr *skip,
                       const ast_expr *limit, int drain)
{
    op_limit *l = kg_op__alloc(sizeof *l, &limit_vt, child);
    if (!l) return NULL;
    l->drain = drain;
    l->skip = skip;
    l->limit = limit;
    return &l->base;
}
