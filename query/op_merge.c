/* op_merge.c - Merge: match the pattern, or create it.
 *
 * For each input row the inner plan (the pattern as a MATCH over an
 * Argument leaf) runs to completion and its rows are buffered before any
 * write, so ON MATCH SET never disturbs the iterators that found them.
 * Matches: one output row each, ON MATCH SET applied. No match: the
 * pattern's new elements are created, ON CREATE SET applied, one row out.
 * Rows are processed one after the other, so a later row sees what an
 * earlier row created (MERGE (:A {k: x}) over duplicates creates once).
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    const ast_clause *c;
    kg_rowbuf found;
    size_t pos;
    int active;
} op_merge;

static int merge_next(kg_op *op, kg_exec *x)
{
    op_merge *m = (op_merge *)op;
    int rc;
    for (;;) {
        if (m->active) {
            if (m->pos < m->found.n) {
                kg_rowbuf__load(&m->found, x, m->pos++);
                if ((rc = kg_write__apply(x, m->c->sets, m->c->nsets)) < 0)
                    return rc;
                return 1;
            }
            m->active = 0;
        }
        if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
        kg_rowbuf__clear(&m->found);
        kg_op__reset(op->inner);
        while ((rc = kg_op__next(op->inner, x)) == 1)
            if ((rc = kg_rowbuf__push(&m->found, x, op->span)) < 0) return rc;
        if (rc < 0) return rc;
        if (m->found.n) {
            m->active = 1;
            m->pos = 0;
            continue;
        }
        /* no match: the inner plan may have left partial bindings; the
         * create clears the pattern's new slots before binding them */
        if ((rc = kg_write__create(x, m->c->pat, op->span, 1)) < 0) return rc;
        if ((rc = kg_write__apply(x, m->c->sets2, m->c->nsets2)) < 0) return rc;
        return 1;
    }
}

static void merge_reset(kg_op *op)
{
    op_merge *m = (op_merge *)op;
    kg_rowbuf__clear(&m->found);
    m->active = 0;
    kg_op__reset(op->inner);
}

static void merge_free(kg_op *op)
{
    op_merge *m = (op_merge *)op;
    kg_rowbuf__clear(&m->found);
    kg_free(m->found.vals);
}

static void merge_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_merge *m = (const op_merge *)op;
    kg_buf_put_safe(out, x->text + m->c->pat->span.offset, m->c->pat->span.len);
}

static const kg_op_vtable merge_vt = {"Merge", merge_next, merge_reset,
                                      merge_free, merge_explain};

kg_op *kg_op_new_merge(kg_op *child, kg_op *match, const ast_clause *c)
{
    op_merge *m = kg_op__alloc(sizeof *m, &merge_vt, child);
    if (!m) return NULL;
    m->c = c;
    m->base.inner = match;
    m->base.span = c->span;
    return &m->base;
}
