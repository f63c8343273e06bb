/* bind_clause.c - semantic pass over clauses: scopes, projections, UNION.
 *
 * Scoping follows openCypher: MATCH, UNWIND, CREATE, MERGE and CALL add
 * variables; WITH and RETURN replace the scope with their columns. ORDER BY
 * after a projection sees the new columns and, unless the projection
 * aggregates or is DISTINCT, the old variables too (their slots still hold
 * the row's values, so nothing needs copying). Before binding, ORDER BY
 * expressions that repeat a projected expression are rewritten to read its
 * column: `RETURN n.x, count(*) ORDER BY count(*)` sorts on the column.
 */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>

static ast_expr *var_node(kg_binder *b, const char *name, kg_span at)
{
    ast_expr *e = kg_ast_expr(b->arena, AST_E_VAR, at);
    if (!e) {
        kg_bind__fail(b, KG_ENOMEM, at, "out of memory");
        return NULL;
    }
    e->name = name;
    return e;
}

/* Replace sub-expressions of e equal to a projected item by its column. */
static ast_expr *subst(kg_binder *b, ast_expr *e, const ast_proj *pr)
{
    uint32_t i;
    if (!e || b->rc) return e;
    for (i = 0; i < pr->nitems; i++)
        if (kg_ast_expr_same(e, pr->items[i].expr)) {
            const ast_item *it = &pr->items[i];
            return var_node(b, it->alias ? it->alias : it->name, e->span);
        }
    if (e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) return e;
    e->a = subst(b, e->a, pr);
    e->b = subst(b, e->b, pr);
    e->c = subst(b, e->c, pr);
    for (i = 0; i < e->nargs; i++) e->args[i] = subst(b, e->args[i], pr);
    return e;
}

/* Point the key references made by unambiguous() at the key columns. */
static void patch_keyrefs(ast_expr *e, const ast_proj *pr)
{
    uint32_t i;
    if (!e) return;
    if (e->kind == AST_E_VAR && (e->flags & AST_F_KEYREF))
        e->slot = pr->items[e->slot2].slot;
    if (e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) return;
    patch_keyrefs(e->a, pr);
    patch_keyrefs(e->b, pr);
    patch_keyrefs(e->c, pr);
    for (i = 0; i < e->nargs; i++) patch_keyrefs(e->args[i], pr);
}

/* MATCH (a)-[rs*]->(b) with rs bound before to a list of relationships
 * (a deprecated form openCypher still has): the pattern gets a fresh
 * variable-length relationship, and WHERE gets "fresh = rs", so a row is
 * kept when the walk is exactly that list, in that order. The fresh names
 * start with a space, which no query can write; hide_fresh takes them out
 * of scope once the clause is bound. */
static int rewrite_bound_varlen(kg_binder *b, ast_clause *c)
{
    uint32_t i, j, k = 0;
    for (i = 0; c->pat && i < c->pat->npaths; i++) {
        ast_path *path = c->pat->paths[i];
        for (j = 0; j < path->nrels; j++) {
            ast_rel_pat *r = path->rels[j];
            kg_bvar *v = r->var ? kg_bind__lookup(b, r->var) : NULL;
            ast_expr *eq, *all;
            char *fresh;
            size_t n;
            if (!r->varlen || !v ||
                (v->type != KG_BT_ANY && v->type != KG_BT_VALUE &&
                 v->type != KG_BT_RELS))
                continue;
            n = strlen(r->var) + 16;
            if (!(fresh = kg_arena_alloc(b->arena, n)) ||
                !(eq = kg_ast_expr(b->arena, AST_E_BINOP, r->span)))
                return kg_bind__fail(b, KG_ENOMEM, r->span, "out of memory");
            snprintf(fresh, n, " %s#%u", r->var, k++);
            eq->op = AST_OP_EQ;
            if (!(eq->a = var_node(b, fresh, r->span)) ||
                !(eq->b = var_node(b, r->var, r->span)))
                return b->rc;
            r->var = fresh;
            if (c->where) {
                if (!(all = kg_ast_expr(b->arena, AST_E_BINOP, c->where->span)))
                    return kg_bind__fail(b, KG_ENOMEM, r->span,
                                         "out of memory");
                all->op = AST_OP_AND;
                all->a = c->where;
                all->b = eq;
                c->where = all;
            } else {
                c->where = eq;
            }
        }
    }
    return KG_OK;
}

static void hide_fresh(kg_binder *b)
{
    uint32_t i;
    for (i = 0; i < b->nvars; i++)
        if (b->vars[i].name && b->vars[i].name[0] == ' ')
            b->vars[i].name = NULL;
}

static int bind_where(kg_binder *b, ast_expr *e)
{
    int rc;
    b->in_where++;
    rc = kg_bind__expr(b, e);
    b->in_where--;
    if (rc < 0) return rc;
    return kg_bind__check_bool(b, e);
}

static int has_var(const ast_expr *e)
{
    uint32_t i;
    if (!e) return 0;
    if (e->kind == AST_E_VAR || e->kind == AST_E_PATTERN ||
        e->kind == AST_E_PATCOMP || e->kind == AST_E_COUNTSTAR)
        return 1;
    if (has_var(e->a) || has_var(e->b) || has_var(e->c)) return 1;
    for (i = 0; i < e->nargs; i++)
        if (has_var(e->args[i])) return 1;
    return 0;
}

static int bind_const(kg_binder *b, ast_expr *e, const char *what)
{
    uint32_t saved = b->nvars;
    if (!e) return KG_OK;
    if (has_var(e))
        return kg_bind__fail(b, KG_ESYNTAX, e->span,
                             "%s must be a constant expression", what);
    if (e->kind == AST_E_LIT && (e->val.type != KG_VINT || e->val.u.i < 0))
        return kg_bind__fail(b, KG_ESYNTAX, e->span,
                             "%s expects a non-negative Integer", what);
    b->nvars = 0;
    kg_bind__expr(b, e);
    b->nvars = saved;
    return b->rc;
}

static int name_cmp(const void *pa, const void *pb)
{
    const kg_bvar *a = pa, *b = pb;
    return strcmp(a->name, b->name);
}

static int has_agg(const ast_expr *e)
{
    uint32_t i;
    const kg_func *f;
    if (!e) return 0;
    if (e->kind == AST_E_COUNTSTAR) return 1;
    if (e->kind == AST_E_CALL && (f = kg_func__find(e->name)) && f->agg) return 1;
    if (e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) return 0;
    if (has_agg(e->a) || has_agg(e->b) || has_agg(e->c)) return 1;
    for (i = 0; i < e->nargs; i++)
        if (has_agg(e->args[i])) return 1;
    return 0;
}

/* In an expression that aggregates, what lies outside the aggregate calls
 * is evaluated once per group, so it may only use grouping keys: a key
 * that is a variable or a property of one (`n.city, n.city + count(*)`),
 * rewritten here to read the key's column. Anything else is ambiguous. */
static ast_expr *unambiguous(kg_binder *b, ast_expr *e, const ast_proj *pr,
                             const ast_item *self, const char **locals,
                             uint32_t nlocals)
{
    ast_expr *ref;
    uint32_t i;
    const kg_func *f;
    if (!e || b->rc) return e;
    if (e->kind == AST_E_COUNTSTAR ||
        (e->kind == AST_E_CALL && (f = kg_func__find(e->name)) && f->agg))
        return e;
    for (i = 0; i < pr->nitems; i++) {
        const ast_item *it = &pr->items[i];
        const ast_expr *k = it->expr;
        if (it == self || has_agg(k)) continue;
        if ((k->kind == AST_E_VAR ||
             (k->kind == AST_E_PROP && k->a->kind == AST_E_VAR)) &&
            kg_ast_expr_same(e, k)) {
            if (!(ref = var_node(b, it->alias ? it->alias : it->name, e->span)))
                return e;
            if (self) { /* an item: bound before its column exists */
                ref->flags |= AST_F_KEYREF;
                ref->slot2 = (int32_t)i;
            }
            return ref;
        }
        /* ORDER BY may name a key column by its alias */
        if (!self && e->kind == AST_E_VAR && it->alias &&
            strcmp(it->alias, e->name) == 0)
            return e;
    }
    if (e->kind == AST_E_VAR) {
        for (i = 0; i < nlocals; i++)
            if (strcmp(locals[i], e->name) == 0) return e;
        kg_bind__fail(b, KG_ESYNTAX, e->span,
                      "'%s' is used next to an aggregate but is not a "
                      "grouping key", e->name);
        return e;
    }
    if (e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) return e;
    if ((e->kind == AST_E_LISTCOMP || e->kind == AST_E_QUANT ||
         e->kind == AST_E_REDUCE) && nlocals + 2 <= 16) {
        /* the comprehension's own variables are not grouping questions */
        const char *inner[16];
        uint32_t n = nlocals;
        if (nlocals) memcpy(inner, locals, nlocals * sizeof *inner);
        inner[n++] = e->name;
        if (e->kind == AST_E_REDUCE) inner[n++] = e->names[0];
        e->a = unambiguous(b, e->a, pr, self, locals, nlocals);
        if (e->kind == AST_E_REDUCE) {
            e->b = unambiguous(b, e->b, pr, self, locals, nlocals);
            e->c = unambiguous(b, e->c, pr, self, inner, n);
        } else {
            e->b = unambiguous(b, e->b, pr, self, inner, n);
            e->c = unambiguous(b, e->c, pr, self, inner, n);
        }
        return e;
    }
    e->a = unambiguous(b, e->a, pr, self, locals, nlocals);
    e->b = unambiguous(b, e->b, pr, self, locals, nlocals);
    e->c = unambiguous(b, e->c, pr, self, locals, nlocals);
    for (i = 0; i < e->nargs; i++)
        e->args[i] = unambiguous(b, e->args[i], pr, self, locals, nlocals);
    return e;
}

/* WITH * / RETURN *: one item per named variable in scope, by name. */
static int expand_star(kg_binder *b, ast_clause *c)
{
    ast_proj *pr = &c->proj;
    kg_bvar *vars;
    ast_item *items;
    uint32_t i, n = 0;
    vars = kg_arena_alloc(b->arena, (b->nvars + 1) * sizeof *vars);
    if (!vars) return kg_bind__fail(b, KG_ENOMEM, c->span, "out of memory");
    for (i = 0; i < b->nvars; i++)
        if (b->vars[i].name) vars[n++] = b->vars[i];
    if (n == 0 && c->kind == AST_C_RETURN)
        return kg_bind__fail(b, KG_ESYNTAX, c->span,
                             "RETURN * needs a variable in scope");
    qsort(vars, n, sizeof *vars, name_cmp);
    items = kg_arena_alloc(b->arena, (n + pr->nitems + 1) * sizeof *items);
    if (!items) return kg_bind__fail(b, KG_ENOMEM, c->span, "out of memory");
    for (i = 0; i < n; i++) {
        items[i].expr = var_node(b, vars[i].name, c->span);
        items[i].name = vars[i].name;
        items[i].span = c->span;
        items[i].slot = -1;
    }
    if (pr->nitems) memcpy(items + n, pr->items, pr->nitems * sizeof *items);
    pr->items = items;
    pr->nitems += n;
    return b->rc;
}

static int item_type(kg_binder *b, const ast_expr *e)
{
    kg_bvar *v;
    switch (e->kind) {
    case AST_E_VAR:
        v = kg_bind__lookup(b, e->name);
        return v ? v->type : KG_BT_ANY;
    case AST_E_LIT:
        return e->val.type == KG_VNULL ? KG_BT_ANY : KG_BT_VALUE;
    case AST_E_LIST:
    case AST_E_MAP:
    case AST_E_BINOP:
    case AST_E_NOT: return KG_BT_VALUE;
    default: return KG_BT_ANY;
    }
}

/* with/return -> items, then the new scope, then ORDER BY, SKIP, LIMIT,
 * WHERE bound in the scopes described in the file comment. */
static int bind_proj(kg_binder *b, ast_clause *c)
{
    ast_proj *pr = &c->proj;
    uint32_t i, j, old = b->nvars, nnew;
    uint8_t *types;
    int8_t *vts;
    if (pr->star && expand_star(b, c) < 0) return b->rc;
    for (i = 0; i < pr->norder; i++) {
        ast_expr *o = pr->order[i].expr;
        int whole = 0;
        for (j = 0; j < pr->nitems; j++) whole |= kg_ast_expr_same(o, pr->items[j].expr);
        if (!whole && has_agg(o)) o = unambiguous(b, o, pr, NULL, NULL, 0);
        pr->order[i].expr = subst(b, o, pr);
    }
    for (i = 0; i < pr->nitems; i++)
        if (has_agg(pr->items[i].expr))
            pr->items[i].expr = unambiguous(b, pr->items[i].expr, pr,
                                            &pr->items[i], NULL, 0);
    if (b->rc) return b->rc;
    if (!(types = kg_arena_alloc(b->arena, pr->nitems + 1)) ||
        !(vts = kg_arena_alloc(b->arena, pr->nitems + 1)))
        return kg_bind__fail(b, KG_ENOMEM, c->span, "out of memory");
    b->proj = pr;
    for (i = 0; i < pr->nitems; i++) {
        ast_item *it = &pr->items[i];
        uint32_t before = pr->naggs;
        if (c->kind == AST_C_WITH && !it->alias && it->expr->kind != AST_E_VAR)
            return kg_bind__fail(b, KG_ESYNTAX, it->expr->span,
                                 "expression in WITH must be aliased (use "
                                 "AS)");
        types[i] = (uint8_t)item_type(b, it->expr);
        vts[i] = (int8_t)kg_bind__static_type(b, it->expr);
        if (kg_bind__expr(b, it->expr) < 0) return b->rc;
        it->has_agg = pr->naggs > before;
        for (j = 0; j < i; j++)
            if (strcmp(pr->items[j].name, it->name) == 0)
                return kg_bind__fail(b, KG_ESYNTAX, it->span,
                                     "column name '%s' is used twice",
                                     it->name);
    }
    b->proj = NULL;
    for (i = 0; i < pr->nitems; i++) {
        ast_item *it = &pr->items[i];
        const char *name = it->alias ? it->alias : it->name;
        it->slot = kg_bind__declare(b, name, types[i]);
        if (it->slot < 0) return b->rc;
        if (vts[i] >= 0) b->vars[b->nvars - 1].vt = vts[i];
    }
    nnew = b->nvars - old;
    for (i = 0; i < pr->nitems; i++)
        if (pr->items[i].has_agg) patch_keyrefs(pr->items[i].expr, pr);
    /* WITH ... WHERE sees the old variables too unless the rows were
     * grouped (the TCK's `OPTIONAL MATCH (a)-[r]->(c) WITH c WHERE r IS
     * NULL`); ORDER BY sees them unless grouped or DISTINCT. The new
     * columns come last in the scope, so they shadow old names. */
    if (pr->aggregating) {
        memmove(b->vars, b->vars + old, nnew * sizeof *b->vars);
        b->nvars = nnew;
        old = 0;
    }
    if (bind_where(b, pr->where) < 0) return b->rc;
    if (pr->distinct && old) {
        memmove(b->vars, b->vars + old, nnew * sizeof *b->vars);
        b->nvars = nnew;
        old = 0;
    }
    for (i = 0; i < pr->norder; i++)
        if (kg_bind__expr(b, pr->order[i].expr) < 0) return b->rc;
    if (old) {
        memmove(b->vars, b->vars + old, nnew * sizeof *b->vars);
        b->nvars = nnew;
    }
    return bind_const(b, pr->skip, "SKIP") < 0 ? b->rc
                                                : bind_const(b, pr->limit, "LIMIT");
}

static int bind_sets(kg_binder *b, ast_set *sets, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        ast_set *s = &sets[i];
        ast_expr *t = s->target;
        if (t->kind == AST_E_PROP) {
            if (kg_bind__expr(b, t->a) < 0) return b->rc;
            t->atom = kg_graph_atom(b->g, t->name, strlen(t->name));
            if (t->atom == KG_NONE)
                return kg_bind__fail(b, KG_ENOMEM, t->span, "out of memory");
        } else if (kg_bind__expr(b, t) < 0) {
            return b->rc;
        }
        if (kg_bind__expr(b, s->value) < 0) return b->rc;
        if (s->nlabels) {
            uint32_t j;
            s->atoms = kg_arena_alloc(b->arena, s->nlabels * sizeof *s->atoms);
            if (!s->atoms)
                return kg_bind__fail(b, KG_ENOMEM, s->span, "out of memory");
            for (j = 0; j < s->nlabels; j++)
                if ((s->atoms[j] = kg_graph_atom(b->g, s->labels[j],
                                                 strlen(s->labels[j]))) ==
                    KG_NONE)
                    return kg_bind__fail(b, KG_ENOMEM, s->span,
                                         "out of memory");
        }
    }
    return KG_OK;
}

/* call -> CALL proc(args) [YIELD cols [WHERE]]; no YIELD = every column */
static int bind_call_clause(kg_binder *b, ast_clause *c)
{
    const kg_proc_info *info;
    uint32_t i, ncols = 0;
    c->proc_id = kg_proc__find(c->proc);
    if (c->proc_id < 0)
        return kg_bind__fail(b, KG_ESYNTAX, c->span, "unknown procedure '%s'",
                             c->proc);
    info = kg_proc__info(c->proc_id);
    while (info->cols[ncols]) ncols++;
    if (!c->has_args && info->nargs)
        return kg_bind__fail(b, KG_ESYNTAX, c->span,
                             "procedure %s needs its arguments in "
                             "parentheses", info->name);
    if (c->nexprs != info->nargs)
        return kg_bind__fail(b, KG_ESYNTAX, c->span,
                             "procedure %s takes %u argument%s, got %u",
                             info->name, info->nargs,
                             info->nargs == 1 ? "" : "s", c->nexprs);
    for (i = 0; i < c->nexprs; i++)
        if (kg_bind__expr(b, c->exprs[i]) < 0) return b->rc;
    if (c->yield_star || c->nyields == 0) {
        c->yields = kg_arena_alloc(b->arena, ncols * sizeof *c->yields);
        if (!c->yields) return kg_bind__fail(b, KG_ENOMEM, c->span, "out of memory");
        for (i = 0; i < ncols; i++) {
            c->yields[i].name = info->cols[i];
            c->yields[i].span = c->span;
        }
        c->nyields = ncols;
    }
    for (i = 0; i < c->nyields; i++) {
        ast_yield *y = &c->yields[i];
        const char *var = y->alias ? y->alias : y->name;
        uint32_t k;
        y->col = -1;
        for (k = 0; k < ncols; k++)
            if (strcmp(info->cols[k], y->name) == 0) y->col = (int32_t)k;
        if (y->col < 0)
            return kg_bind__fail(b, KG_ESYNTAX, y->span,
                                 "procedure %s has no output '%s'", info->name,
                                 y->name);
        if (kg_bind__lookup(b, var))
            return kg_bind__fail(b, KG_ESYNTAX, y->span,
                                 "variable '%s' is already defined", var);
        if ((y->slot = kg_bind__declare(b, var, KG_BT_ANY)) < 0) return b->rc;
    }
    return bind_where(b, c->where);
}

static int bind_clause(kg_binder *b, ast_clause *c, int *updated)
{
    uint32_t i;
    switch (c->kind) {
    case AST_C_MATCH:
        if (*updated)
            return kg_bind__fail(b, KG_ESYNTAX, c->span,
                                 "MATCH after an updating clause needs a WITH "
                                 "in between");
        if (rewrite_bound_varlen(b, c) < 0 ||
            kg_bind__pattern(b, c->pat, KG_PAT_MATCH) < 0 ||
            bind_where(b, c->where) < 0)
            return b->rc;
        hide_fresh(b);
        return KG_OK;
    case AST_C_UNWIND:
        if (kg_bind__expr(b, c->expr) < 0) return b->rc;
        if (kg_bind__lookup(b, c->var))
            return kg_bind__fail(b, KG_ESYNTAX, c->var_span,
                                 "variable '%s' is already defined", c->var);
        c->slot = kg_bind__declare(b, c->var, KG_BT_ANY);
        return b->rc;
    case AST_C_WITH: *updated = 0; /* fall through */
    case AST_C_RETURN: return bind_proj(b, c);
    case AST_C_CREATE:
        *updated = b->writes = 1;
        return kg_bind__pattern(b, c->pat, KG_PAT_CREATE);
    case AST_C_MERGE:
        *updated = b->writes = 1;
        if (kg_bind__pattern(b, c->pat, KG_PAT_MERGE) < 0) return b->rc;
        if (bind_sets(b, c->sets, c->nsets) < 0) return b->rc;
        return bind_sets(b, c->sets2, c->nsets2);
    case AST_C_SET:
    case AST_C_REMOVE:
        *updated = b->writes = 1;
        return bind_sets(b, c->sets, c->nsets);
    case AST_C_DELETE:
        *updated = b->writes = 1;
        for (i = 0; i < c->nexprs; i++) {
            ast_expr *e = c->exprs[i];
            if (e->kind == AST_E_HASLABEL || e->kind == AST_E_LIT ||
                e->kind == AST_E_BINOP)
                return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                     "DELETE expects a node, relationship or "
                                     "path");
            if (kg_bind__expr(b, e) < 0) return b->rc;
        }
        return KG_OK;
    case AST_C_CALL: return bind_call_clause(b, c);
    default: return kg_bind__fail(b, KG_ERROR, c->span, "unknown clause");
    }
}

static int is_update(int kind)
{
    return kind == AST_C_CREATE || kind == AST_C_MERGE || kind == AST_C_SET ||
           kind == AST_C_REMOVE || kind == AST_C_DELETE;
}

static const char *clause_word(int kind)
{
    static const char *const w[] = {"MATCH", "UNWIND", "WITH", "RETURN",
                                    "CREATE", "MERGE", "SET", "REMOVE",
                                    "DELETE", "CALL"};
    return kind < AST_C_COUNT_ ? w[kind] : "?";
}

/* EXISTS { MATCH ... [WITH ...] [RETURN ...] }: the clauses see the outer
 * variables; whatever they declare ends with the subquery. A WITH inside
 * rewrites the scope array in place, so the outer scope is saved whole. */
int kg_bind__subquery(kg_binder *b, ast_query *q)
{
    kg_bvar *saved = kg_arena_alloc(b->arena, (b->nvars + 1) * sizeof *saved);
    uint32_t nsaved = b->nvars, nnews = b->nnews, capnews = b->capnews;
    ast_proj *proj = b->proj;
    int in_agg = b->in_agg, in_where = b->in_where, updated = 0;
    int32_t *news = b->news;
    ast_clause *c, *last = NULL;
    if (!saved) return kg_bind__fail(b, KG_ENOMEM, q->span, "out of memory");
    if (nsaved) memcpy(saved, b->vars, nsaved * sizeof *saved);
    b->proj = NULL;
    b->in_agg = b->in_where = 0;
    for (c = q->clauses; c && !b->rc; last = c, c = c->next) {
        if (is_update(c->kind) || c->kind == AST_C_CALL)
            kg_bind__fail(b, KG_ESYNTAX, c->span,
                          "%s is not allowed in an EXISTS subquery",
                          clause_word(c->kind));
        else if (last && last->kind == AST_C_RETURN)
            kg_bind__fail(b, KG_ESYNTAX, c->span, "%s cannot follow RETURN",
                          clause_word(c->kind));
        b->news = NULL;
        b->nnews = b->capnews = 0;
        if (!b->rc && bind_clause(b, c, &updated) == KG_OK) {
            c->new_slots = b->news;
            c->nnew = b->nnews;
        }
    }
    if (nsaved) memcpy(b->vars, saved, nsaved * sizeof *saved);
    b->nvars = nsaved;
    b->news = news;
    b->nnews = nnews;
    b->capnews = capnews;
    b->proj = proj;
    b->in_agg = in_agg;
    b->in_where = in_where;
    return b->rc;
}

int kg_bind__query(kg_binder *b, ast_query *q)
{
    ast_clause *c, *last = NULL;
    int updated = 0;
    uint32_t i;
    b->nvars = 0;
    for (c = q->clauses; c; last = c, c = c->next) {
        if (last && last->kind == AST_C_RETURN)
            return kg_bind__fail(b, KG_ESYNTAX, c->span,
                                 "%s cannot follow RETURN",
                                 clause_word(c->kind));
        b->nnews = 0;
        if (bind_clause(b, c, &updated) < 0) return b->rc;
        c->new_slots = b->news;
        c->nnew = b->nnews;
        b->news = NULL;
        b->nnews = b->capnews = 0;
    }
    if (!is_update(last->kind) && last->kind != AST_C_RETURN &&
        last->kind != AST_C_CALL)
        return kg_bind__fail(b, KG_ESYNTAX, last->span,
                             "a query cannot end with %s (end it with RETURN "
                             "or an updating clause)",
                             clause_word(last->kind));
    if (last->kind == AST_C_RETURN) {
        ast_proj *pr = &last->proj;
        q->ncols = pr->nitems;
        q->cols = kg_arena_alloc(b->arena, (pr->nitems + 1) * sizeof *q->cols);
        q->col_slots = kg_arena_alloc(b->arena, (pr->nitems + 1) * sizeof(int32_t));
        if (!q->cols || !q->col_slots)
            return kg_bind__fail(b, KG_ENOMEM, last->span, "out of memory");
        for (i = 0; i < pr->nitems; i++) {
            q->cols[i] = pr->items[i].alias ? pr->items[i].alias
                                            : pr->items[i].name;
            q->col_slots[i] = pr->items[i].slot;
        }
    } else if (last->kind == AST_C_CALL) {
        q->ncols = last->nyields;
        q->cols = kg_arena_alloc(b->arena, (q->ncols + 1) * sizeof *q->cols);
        q->col_slots = kg_arena_alloc(b->arena, (q->ncols + 1) * sizeof(int32_t));
        if (!q->cols || !q->col_slots)
            return kg_bind__fail(b, KG_ENOMEM, last->span, "out of memory");
        for (i = 0; i < q->ncols; i++) {
            const ast_yield *y = &last->yields[i];
            q->cols[i] = y->alias ? y->alias : y->name;
            q->col_slots[i] = y->slot;
        }
    }
    return KG_OK;
}

int kg_bind(ast_stmt *s, kg_graph *g, const kg_value *params, kg_arena *a,
            const char *text, uint32_t len, uint32_t *nslots, kg_error *err)
{
    kg_binder b;
    ast_query *q;
    uint32_t i;
    memset(&b, 0, sizeof b);
    b.g = g;
    b.params = params && params->type == KG_VMAP ? params : NULL;
    b.arena = a;
    b.text = text;
    b.len = len;
    b.err = err;
    for (q = s->query; q; q = q->next) {
        if (kg_bind__query(&b, q) < 0) return b.rc;
        if (q->next && q->next->next && q->union_all != q->next->union_all)
            return kg_bind__fail(&b, KG_ESYNTAX, q->next->span,
                                 "UNION and UNION ALL cannot be mixed");
        if (q != s->query) {
            const ast_query *f = s->query;
            int same = f->ncols == q->ncols;
            for (i = 0; same && i < q->ncols; i++)
                same = strcmp(f->cols[i], q->cols[i]) == 0;
            if (!same)
                return kg_bind__fail(&b, KG_ESYNTAX, q->span,
                                     "all parts of a UNION must return the "
                                     "same column names");
        } else if (q->next && q->ncols == 0) {
            return kg_bind__fail(&b, KG_ESYNTAX, q->span,
                                 "each part of a UNION must end with RETURN");
        }
    }
    s->writes = b.writes;
    *nslots = b.nslots;
    return KG_OK;
}
