/* op_create.c - Create, SetProperties (SET / REMOVE) and Eager.
 *
 * Create and Set work row by row. When their input reads the graph with
 * iterators that live across rows (scans, expands), the planner puts an
 * Eager below them: it pulls every input row into a buffer first, so a
 * write never invalidates an adjacency array being walked and a MATCH never
 * sees the rows its own clause creates (`MATCH (n) CREATE ()` terminates).
 */
#include "query_int.h"

/* ---- Create ---- */

typedef struct {
    kg_op base;
    const ast_pattern *pat;
} op_create;

static int create_next(kg_op *op, kg_exec *x)
{
    op_create *c = (op_create *)op;
    int rc;
    if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
    if ((rc = kg_write__create(x, c->pat, op->span, 0)) < 0) return rc;
    return 1;
}

static void create_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_create *c = (const op_create *)op;
    kg_buf_put_safe(out, x->text + c->pat->span.offset, c->pat->span.len);
}

static const kg_op_vtable create_vt = {"Create", create_next, NULL, NULL,
                                       create_explain};

kg_op *kg_op_new_create(kg_op *child, const ast_pattern *pat)
{
    op_create *c = kg_op__alloc(sizeof *c, &create_vt, child);
    if (!c) return NULL;
    c->pat = pat;
    c->base.span = pat->span;
    return &c->base;
}

/* ---- SetProperties ---- */

typedef struct {
    kg_op base;
    const ast_set *sets;
    uint32_t n;
} op_set;

static int set_next(kg_op *op, kg_exec *x)
{
    op_set *s = (op_set *)op;
    int rc;
    if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
    if ((rc = kg_write__apply(x, s->sets, s->n)) < 0) return rc;
    return 1;
}

static const kg_op_vtable set_vt = {"SetProperties", set_next, NULL, NULL,
                                    NULL};

kg_op *kg_op_new_set(kg_op *child, const ast_set *sets, uint32_t n)
{
    op_set *s = kg_op__alloc(sizeof *s, &set_vt, child);
    if (!s) return NULL;
    s->sets = sets;
    s->n = n;
    return &s->base;
}

/* ---- Eager ---- */

typedef struct {
    kg_op base;
    kg_rowbuf buf;
    int consumed;
    size_t pos;
} op_eager;

static int eager_next(kg_op *op, kg_exec *x)
{
    op_eager *e = (op_eager *)op;
    int rc;
    if (!e->consumed) {
        while ((rc = kg_op__next(op->child, x)) == 1) {
            if ((rc = kg_rowbuf__push(&e->buf, x, op->span)) < 0) return rc;
            if ((rc = kg_exec__tick(x)) < 0) return rc;
        }
        if (rc < 0) return rc;
        e->consumed = 1;
        e->pos = 0;
    }
    if (e->pos >= e->buf.n) return 0;
    kg_rowbuf__load(&e->buf, x, e->pos++);
    return 1;
}

static void eager_reset(kg_op *op)
{
    op_eager *e = (op_eager *)op;
    kg_rowbuf__clear(&e->buf);
    e->consumed = 0;
}

static void eager_free(kg_op *op)
{
    op_eager *e = (op_eager *)op;
    kg_rowbuf__clear(&e->buf);
    kg_free(e->buf.vals);
}

static const kg_op_vtable eager_vt = {"Eager", eager_next, eager_reset,
                                      eager_free, NULL};

kg_op *kg_op_new_eager(kg_op *child, uint32_t nslots)
{
    op_eager *e = kg_op__alloc(sizeof *e, &eager_vt, child);
    if (!e) return NULL;
    e->buf.width = nslots;
    e->base.eager = 1;
    return &e->base;
}
