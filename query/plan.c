/* plan.c - planning statements: clauses to an operator pipeline.
 *
 * Clauses map one to one onto operators stacked on an Argument leaf:
 * MATCH -> plan_match.c, OPTIONAL MATCH -> Optional over a sub-plan,
 * UNWIND -> Unwind, WITH / RETURN -> Projection or Aggregate, then
 * Distinct, Sort (top-k when a LIMIT follows), Limit and WITH's Filter;
 * CREATE / MERGE / SET / REMOVE / DELETE -> their operators, with an Eager
 * below when the input still reads the graph; CALL -> ProcedureCall.
 * UNION chains branches with Union (and Distinct without ALL).
 */
#include "query_int.h"

static int nomem(kg_plan *p, kg_span at)
{
    return kg_plan__fail(p, KG_ENOMEM, at, "out of memory");
}

static int wrap(kg_plan *p, kg_op **cur, kg_op *op, kg_span at)
{
    if (!op) return nomem(p, at);
    op->span = at;
    *cur = op;
    return KG_OK;
}

/* A write must not run while its input still iterates the graph. */
static int make_eager(kg_plan *p, kg_op **cur, kg_span at)
{
    if (!kg_op__reads(*cur)) return KG_OK;
    return wrap(p, cur, kg_op_new_eager(*cur, p->nslots), at);
}

static int plan_proj(kg_plan *p, kg_op **cur, ast_clause *c)
{
    ast_proj *pr = &c->proj;
    uint32_t i, n = pr->nitems;
    /* every row of an update runs, whatever LIMIT or a later filter keep:
     * an Eager below the projection runs them all at the first pull, and
     * a LIMIT 0 / top-0 sort still pulls once */
    int drain = p->pending_write;
    if (p->pending_write && !pr->aggregating) {
        if (wrap(p, cur, kg_op_new_eager(*cur, p->nslots), c->span) < 0)
            return KG_ENOMEM;
    }
    p->pending_write = 0;
    int32_t *slots = kg_arena_alloc(p->arena, (n + 1) * sizeof *slots);
    ast_expr **exprs = kg_arena_alloc(p->arena, (n + 1) * sizeof *exprs);
    if (!slots || !exprs) return nomem(p, c->span);
    for (i = 0; i < n; i++) {
        slots[i] = pr->items[i].slot;
        exprs[i] = pr->items[i].expr;
        if (kg_plan__expr(p, exprs[i]) < 0) return p->err->code;
    }
    for (i = 0; i < pr->norder; i++)
        if (kg_plan__expr(p, pr->order[i].expr) < 0) return p->err->code;
    if (kg_plan__expr(p, pr->where) < 0) return p->err->code;
    if (pr->aggregating) {
        kg_agg_spec s;
        memset(&s, 0, sizeof s);
        s.keys = kg_arena_alloc(p->arena, (n + 1) * sizeof *s.keys);
        s.key_slots = kg_arena_alloc(p->arena, (n + 1) * sizeof *s.key_slots);
        s.post = kg_arena_alloc(p->arena, (n + 1) * sizeof *s.post);
        s.post_slots = kg_arena_alloc(p->arena, (n + 1) * sizeof *s.post_slots);
        s.key_node = kg_arena_alloc(p->arena, (n + 1) * sizeof *s.key_node);
        if (!s.keys || !s.key_slots || !s.post || !s.post_slots || !s.key_node)
            return nomem(p, c->span);
        for (i = 0; i < n; i++) {
            if (pr->items[i].has_agg) {
                s.post[s.npost] = exprs[i];
                s.post_slots[s.npost++] = slots[i];
            } else {
                const ast_expr *e = exprs[i];
                s.key_node[s.nkeys] = e->kind == AST_E_PROP &&
                                              (e->flags & AST_F_ISID) &&
                                              e->a->kind == AST_E_VAR
                                          ? e->a->slot
                                          : -1;
                s.keys[s.nkeys] = exprs[i];
                s.key_slots[s.nkeys++] = slots[i];
            }
        }
        s.aggs = pr->aggs;
        s.naggs = pr->naggs;
        for (i = 0; i < s.naggs; i++) {
            uint32_t k;
            for (k = 0; k < s.aggs[i]->nargs; k++)
                if (kg_plan__expr(p, s.aggs[i]->args[k]) < 0) return p->err->code;
        }
        if (wrap(p, cur, kg_op_new_aggregate(*cur, &s), c->span) < 0)
            return KG_ENOMEM;
    } else if (wrap(p, cur, kg_op_new_project(*cur, exprs, slots, n), c->span) <
               0) {
        return KG_ENOMEM;
    }
    for (i = 0; i < n; i++) p->bound[slots[i]] = 1;
    if (pr->distinct &&
        wrap(p, cur, kg_op_new_distinct(*cur, slots, n), c->span) < 0)
        return KG_ENOMEM;
    if (pr->norder) {
        /* the sort carries the columns, and what WITH's WHERE still reads */
        int32_t *keep = slots;
        uint32_t nkeep = n;
        if (pr->where) {
            uint32_t nd = 0, cap;
            kg_plan__deps(pr->where, NULL, &nd, 0); /* count */
            cap = nd;
            if (!(keep = kg_arena_alloc(p->arena, (n + cap + 1) * sizeof *keep)))
                return nomem(p, c->span);
            memcpy(keep, slots, n * sizeof *keep);
            nd = 0;
            kg_plan__deps(pr->where, keep + n, &nd, cap);
            nkeep = n + (nd < cap ? nd : cap);
        }
        if (wrap(p, cur,
                 kg_op_new_sort(*cur, pr->order, pr->norder, keep, nkeep,
                                pr->skip, pr->limit),
                 c->span) < 0)
            return KG_ENOMEM;
    }
    if ((pr->skip || pr->limit) &&
        wrap(p, cur, kg_op_new_limit(*cur, pr->skip, pr->limit, drain), c->span) < 0)
        return KG_ENOMEM;
    if (pr->where &&
        wrap(p, cur, kg_op_new_filter(*cur, pr->where), pr->where->span) < 0)
        return KG_ENOMEM;
    return KG_OK;
}

static int plan_sets(kg_plan *p, const ast_set *sets, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (kg_plan__expr(p, sets[i].value) < 0) return p->err->code;
    return KG_OK;
}

static int pattern_exprs(kg_plan *p, const ast_pattern *pat)
{
    uint32_t i, j;
    for (i = 0; i < pat->npaths; i++)
        for (j = 0; j <= pat->paths[i]->nrels; j++) {
            if (kg_plan__expr(p, pat->paths[i]->nodes[j]->props) < 0)
                return p->err->code;
            if (j < pat->paths[i]->nrels &&
                kg_plan__expr(p, pat->paths[i]->rels[j]->props) < 0)
                return p->err->code;
        }
    return KG_OK;
}

static void mark_new(kg_plan *p, const ast_clause *c)
{
    uint32_t i;
    for (i = 0; i < c->nnew; i++) p->bound[c->new_slots[i]] = 1;
}

static int plan_clause(kg_plan *p, kg_op **cur, ast_clause *c)
{
    kg_op *inner;
    uint32_t i;
    if (c->kind == AST_C_CREATE || c->kind == AST_C_MERGE ||
        c->kind == AST_C_SET || c->kind == AST_C_REMOVE ||
        c->kind == AST_C_DELETE)
        p->pending_write = 1;
    switch (c->kind) {
    case AST_C_MATCH:
        if (!c->optional) return kg_plan__match(p, cur, c->pat, c->where);
        if (!(inner = kg_op_new_once())) return nomem(p, c->span);
        if (kg_plan__match(p, &inner, c->pat, c->where) < 0) {
            kg_op_free(inner);
            return p->err->code;
        }
        if (wrap(p, cur, kg_op_new_optional(*cur, inner, c->new_slots, c->nnew),
                 c->span) < 0) {
            kg_op_free(inner);
            return KG_ENOMEM;
        }
        mark_new(p, c);
        return KG_OK;
    case AST_C_UNWIND:
        if (kg_plan__expr(p, c->expr) < 0) return p->err->code;
        p->bound[c->slot] = 1;
        return wrap(p, cur, kg_op_new_unwind(*cur, c->expr, c->slot), c->span);
    case AST_C_WITH:
    case AST_C_RETURN: return plan_proj(p, cur, c);
    case AST_C_CREATE:
        if (pattern_exprs(p, c->pat) < 0 || make_eager(p, cur, c->span) < 0)
            return p->err->code;
        mark_new(p, c);
        return wrap(p, cur, kg_op_new_create(*cur, c->pat), c->span);
    case AST_C_MERGE:
        if (pattern_exprs(p, c->pat) < 0 || plan_sets(p, c->sets, c->nsets) < 0 ||
            plan_sets(p, c->sets2, c->nsets2) < 0 ||
            make_eager(p, cur, c->span) < 0)
            return p->err->code;
        if (!(inner = kg_op_new_once())) return nomem(p, c->span);
        if (kg_plan__match(p, &inner, c->pat, NULL) < 0) {
            kg_op_free(inner);
            return p->err->code;
        }
        mark_new(p, c);
        if (wrap(p, cur, kg_op_new_merge(*cur, inner, c), c->span) < 0) {
            kg_op_free(inner);
            return KG_ENOMEM;
        }
        return KG_OK;
    case AST_C_SET:
    case AST_C_REMOVE:
        if (plan_sets(p, c->sets, c->nsets) < 0 || make_eager(p, cur, c->span) < 0)
            return p->err->code;
        return wrap(p, cur, kg_op_new_set(*cur, c->sets, c->nsets), c->span);
    case AST_C_DELETE:
        for (i = 0; i < c->nexprs; i++)
            if (kg_plan__expr(p, c->exprs[i]) < 0) return p->err->code;
        return wrap(p, cur, kg_op_new_delete(*cur, c->exprs, c->nexprs, c->detach),
                    c->span);
    case AST_C_CALL:
        for (i = 0; i < c->nexprs; i++)
            if (kg_plan__expr(p, c->exprs[i]) < 0) return p->err->code;
        if (wrap(p, cur, kg_op_new_call(*cur, c), c->span) < 0) return KG_ENOMEM;
        mark_new(p, c);
        if (c->where) {
            if (kg_plan__expr(p, c->where) < 0) return p->err->code;
            return wrap(p, cur, kg_op_new_filter(*cur, c->where), c->where->span);
        }
        return KG_OK;
    default: return kg_plan__fail(p, KG_ERROR, c->span, "cannot plan clause");
    }
}

int kg_plan__query(kg_plan *p, const ast_query *q, kg_op **out)
{
    kg_op *cur = kg_op_new_once();
    ast_clause *c;
    if (!cur) return nomem(p, q->span);
    for (c = q->clauses; c; c = c->next)
        if (plan_clause(p, &cur, c) < 0) {
            kg_op_free(cur);
            return p->err && p->err->code ? p->err->code : KG_ENOMEM;
        }
    *out = cur;
    return KG_OK;
}

int kg_plan_build(kg_plan *p, const ast_stmt *s, kg_op **out,
                  int32_t **colslots, const char ***colnames, uint32_t *ncols)
{
    const ast_query *q = s->query;
    kg_op *root = NULL, *right = NULL;
    int32_t *cols = q->col_slots;
    uint32_t i;
    *out = NULL;
    if (!(p->bound = kg_arena_alloc(p->arena, p->nslots + 1)))
        return nomem(p, q->span);
    if (kg_plan__query(p, q, &root) < 0) return p->err->code;
    for (q = q->next; q; q = q->next) {
        const ast_query *prev = s->query;
        int32_t *outs = kg_arena_alloc(p->arena, (q->ncols + 1) * sizeof *outs);
        kg_op *u;
        while (prev->next != q) prev = prev->next;
        if (!outs) {
            kg_op_free(root);
            return nomem(p, q->span);
        }
        if (kg_plan__query(p, q, &right) < 0) {
            kg_op_free(root);
            return p->err->code;
        }
        for (i = 0; i < q->ncols; i++) outs[i] = (int32_t)p->nslots++;
        u = kg_op_new_union(root, right, cols, q->col_slots, outs, q->ncols);
        if (!u) {
            kg_op_free(root);
            kg_op_free(right);
            return nomem(p, q->span);
        }
        root = u;
        cols = outs;
        if (!prev->union_all) {
            kg_op *d = kg_op_new_distinct(root, outs, q->ncols);
            if (!d) {
                kg_op_free(root);
                return nomem(p, q->span);
            }
            root = d;
        }
    }
    *out = root;
    *colslots = cols;
    *colnames = s->query->cols;
    *ncols = s->query->ncols;
    return KG_OK;
}

void kg_plan__free(kg_plan *p)
{
    size_t i;
    for (i = 0; i < p->nsub; i++) kg_op_free(p->subplans[i]);
    kg_free(p->subplans);
    p->subplans = NULL;
    p->nsub = p->capsub = 0;
}
