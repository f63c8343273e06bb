/* op_filter.c - Filter: keep the rows whose predicate is true (not false,
 * not null), as WHERE requires. */
#include "query_int.h"

typedef struct {
    kg_op base;
    const ast_expr *pred;
} op_filter;

static int filter_next(kg_op *op, kg_exec *x)
{
    op_filter *f = (op_filter *)op;
    int rc, t;
    for (;;) {
        if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
        if ((rc = kg_expr__truth(x, f->pred, &t)) < 0) return rc;
        if (t == KG_TV_TRUE) return 1;
        if ((rc = kg_exec__tick(x)) < 0) return rc;
    }
}

static void filter_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_filter *f = (const op_filter *)op;
    if (f->pred->span.len)
        kg_buf_put_safe(out, x->text + f->pred->span.offset, f->pred->span.len);
    else
        kg_ast_dump_expr(out, f->pred);
}

static const kg_op_vtable filter_vt = {"Filter", filter_next, NULL, NULL,
                                       filter_explain};

kg_op *kg_op_new_filter(kg_op *child, const ast_expr *pred)
{
    op_filter *f = kg_op__alloc(sizeof *f, &filter_vt, child);
    if (!f) return NULL;
    f->pred = pred;
    return &f->base;
}
