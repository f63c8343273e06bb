/* plan_match.c - planning MATCH patterns.
 *
 * For each path of the pattern the planner picks a start node, cheapest
 * first: a node bound already (cost 0), a key or id seek (1), the smallest
 * label's index (its size), a scan of all nodes (the node count). From the
 * start it expands to the right end of the path, then to the left end with
 * directions reversed, so `(a:Service)-->(b {id: 'x'})` starts at b's key
 * and walks incoming edges. Unknown labels count as empty, so a pattern
 * naming one starts there and finishes at once.
 *
 * WHERE is split into conjuncts; inline property maps become conjuncts too.
 * Each conjunct is placed as a Filter right after the operator that binds
 * the last variable it needs, so rows are dropped as early as possible.
 * An equality on `id` (the node key) or on id(n) turns the start into a
 * seek and the conjunct disappears.
 */
#include "query_int.h"

#include <stdarg.h>

typedef struct {
    ast_expr *e;
    int32_t deps[32];
    uint32_t ndeps;
    int placed, too_many;
} conj;

typedef struct {
    kg_plan *p;
    conj *c;
    uint32_t n, cap;
    uint8_t *isnew;      /* per slot: declared by this pattern */
    int32_t *rels;       /* rel slots expanded so far (isomorphism) */
    uint32_t nrels;
} mctx;

int kg_plan__fail(kg_plan *p, int code, kg_span at, const char *fmt, ...)
{
    va_list ap;
    char msg[256];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kg_error_set(p->err, code, "<query>", at, "%s", msg);
}

static void add_dep(int32_t *slots, uint32_t *n, uint32_t cap, int32_t s)
{
    uint32_t i;
    if (s < 0) return;
    for (i = 0; i < *n && i < cap; i++)
        if (slots[i] == s) return;
    if (*n < cap) slots[*n] = s;
    (*n)++;
}

static void deps_pattern(const ast_pattern *pat, int32_t *slots, uint32_t *n,
                         uint32_t cap)
{
    uint32_t i, j;
    for (i = 0; pat && i < pat->npaths; i++) {
        const ast_path *path = pat->paths[i];
        for (j = 0; j <= path->nrels; j++) {
            if (!path->nodes[j]->is_new)
                add_dep(slots, n, cap, path->nodes[j]->slot);
            if (j < path->nrels && !path->rels[j]->is_new)
                add_dep(slots, n, cap, path->rels[j]->slot);
            kg_plan__deps(path->nodes[j]->props, slots, n, cap);
            if (j < path->nrels)
                kg_plan__deps(path->rels[j]->props, slots, n, cap);
        }
    }
}

/* What an EXISTS subquery reads (its own variables included: they are
 * not the outer pattern's, so they never hold a filter back). */
static void deps_query(const ast_query *q, int32_t *slots, uint32_t *n,
                       uint32_t cap)
{
    const ast_clause *c;
    uint32_t i;
    for (c = q->clauses; c; c = c->next) {
        deps_pattern(c->pat, slots, n, cap);
        kg_plan__deps(c->where, slots, n, cap);
        kg_plan__deps(c->expr, slots, n, cap);
        kg_plan__deps(c->proj.where, slots, n, cap);
        for (i = 0; i < c->proj.nitems; i++)
            kg_plan__deps(c->proj.items[i].expr, slots, n, cap);
        for (i = 0; i < c->proj.norder; i++)
            kg_plan__deps(c->proj.order[i].expr, slots, n, cap);
        for (i = 0; i < c->nexprs; i++) kg_plan__deps(c->exprs[i], slots, n, cap);
    }
}

void kg_plan__deps(const ast_expr *e, int32_t *slots, uint32_t *n,
                   uint32_t cap)
{
    uint32_t i, j, k;
    if (!e) return;
    if (e->kind == AST_E_VAR) add_dep(slots, n, cap, e->slot);
    if (e->sub) deps_query(e->sub, slots, n, cap);
    if ((e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) && e->pat) {
        for (i = 0; i < e->pat->npaths; i++) {
            const ast_path *path = e->pat->paths[i];
            for (j = 0; j <= path->nrels; j++) {
                if (!path->nodes[j]->is_new)
                    add_dep(slots, n, cap, path->nodes[j]->slot);
                if (j < path->nrels && !path->rels[j]->is_new)
                    add_dep(slots, n, cap, path->rels[j]->slot);
                kg_plan__deps(path->nodes[j]->props, slots, n, cap);
                if (j < path->nrels)
                    kg_plan__deps(path->rels[j]->props, slots, n, cap);
            }
        }
    }
    kg_plan__deps(e->a, slots, n, cap);
    kg_plan__deps(e->b, slots, n, cap);
    kg_plan__deps(e->c, slots, n, cap);
    for (k = 0; k < e->nargs; k++) kg_plan__deps(e->args[k], slots, n, cap);
}

static ast_expr *mk(kg_plan *p, int kind, kg_span at)
{
    ast_expr *e = kg_ast_expr(p->arena, kind, at);
    if (!e) kg_plan__fail(p, KG_ENOMEM, at, "out of memory");
    return e;
}

static ast_expr *var_of(kg_plan *p, int32_t slot, kg_span at)
{
    ast_expr *e = mk(p, AST_E_VAR, at);
    if (e) {
        e->slot = slot;
        e->name = "";
    }
    return e;
}

static int add_conj(mctx *m, ast_expr *e)
{
    conj *c;
    if (!e) return KG_ENOMEM;
    if (e->kind == AST_E_BINOP && e->op == AST_OP_AND)
        return add_conj(m, e->a) < 0 ? KG_ENOMEM : add_conj(m, e->b);
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 8;
        conj *nc = kg_arena_alloc(m->p->arena, cap * sizeof *nc);
        if (!nc) return kg_plan__fail(m->p, KG_ENOMEM, e->span, "out of memory");
        if (m->n) memcpy(nc, m->c, m->n * sizeof *nc);
        m->c = nc;
        m->cap = cap;
    }
    c = &m->c[m->n++];
    memset(c, 0, sizeof *c);
    c->e = e;
    kg_plan__deps(e, c->deps, &c->ndeps, 32);
    c->too_many = c->ndeps > 32;
    return kg_plan__expr(m->p, e);
}

/* Conjuncts for an inline property map on the element in slot. */
static int props_conj(mctx *m, int32_t slot, ast_expr *props)
{
    uint32_t i;
    if (!props) return KG_OK;
    if (props->kind != AST_E_MAP) { /* a parameter: match every entry */
        ast_expr *call = mk(m->p, AST_E_CALL, props->span);
        if (!call || !(call->args = kg_arena_alloc(m->p->arena,
                                                   2 * sizeof *call->args)))
            return KG_ENOMEM;
        call->name = "__props_match";
        call->fn = kg_func__find("__props_match");
        call->nargs = 2;
        call->args[0] = var_of(m->p, slot, props->span);
        call->args[1] = props;
        return add_conj(m, call);
    }
    for (i = 0; i < props->nargs; i++) {
        ast_expr *eq = mk(m->p, AST_E_BINOP, props->args[i]->span);
        ast_expr *pr = mk(m->p, AST_E_PROP, props->args[i]->span);
        if (!eq || !pr) return KG_ENOMEM;
        pr->a = var_of(m->p, slot, props->span);
        pr->name = props->names[i];
        pr->atom = kg_graph_atom_find(m->p->g, pr->name, strlen(pr->name));
        if (strcmp(pr->name, "id") == 0) pr->flags |= AST_F_ISID;
        eq->op = AST_OP_EQ;
        eq->a = pr;
        eq->b = props->args[i];
        if (add_conj(m, eq) < 0) return KG_ENOMEM;
    }
    return KG_OK;
}

static int ready(const mctx *m, const conj *c)
{
    uint32_t i;
    if (c->too_many) return 0;
    for (i = 0; i < c->ndeps; i++)
        if (m->isnew[c->deps[i]] && !m->p->bound[c->deps[i]]) return 0;
    return 1;
}

static int place(mctx *m, kg_op **cur, int all)
{
    uint32_t i;
    for (i = 0; i < m->n; i++) {
        conj *c = &m->c[i];
        kg_op *f;
        if (c->placed || (!all && !ready(m, c))) continue;
        if (!(f = kg_op_new_filter(*cur, c->e)))
            return kg_plan__fail(m->p, KG_ENOMEM, c->e->span, "out of memory");
        f->span = c->e->span;
        *cur = f;
        c->placed = 1;
    }
    return KG_OK;
}

/* Does conjunct c read only slots bound before this pattern? */
static int outer_only(const mctx *m, const ast_expr *e)
{
    int32_t deps[32];
    uint32_t n = 0, i;
    kg_plan__deps(e, deps, &n, 32);
    if (n > 32) return 0;
    for (i = 0; i < n; i++)
        if (m->isnew[deps[i]]) return 0;
    return 1;
}

/* A conjunct `slot.id = e` or `id(slot) = e` usable to seek; *by_id. */
static conj *seek_conj(mctx *m, int32_t slot, const ast_expr **key, int *by_id)
{
    uint32_t i;
    int side;
    for (i = 0; i < m->n; i++) {
        conj *c = &m->c[i];
        const ast_expr *e = c->e;
        if (c->placed || e->kind != AST_E_BINOP || e->op != AST_OP_EQ) continue;
        for (side = 0; side < 2; side++) {
            const ast_expr *l = side ? e->b : e->a, *r = side ? e->a : e->b;
            int isid = l->kind == AST_E_PROP && (l->flags & AST_F_ISID) &&
                       l->a->kind == AST_E_VAR && l->a->slot == slot;
            int isfn = l->kind == AST_E_CALL && l->fn && !l->op &&
                       kg_strcasecmp(l->fn->name, "id") == 0 && l->nargs == 1 &&
                       l->args[0]->kind == AST_E_VAR &&
                       l->args[0]->slot == slot;
            if ((isid || isfn) && outer_only(m, r)) {
                *key = r;
                *by_id = isfn;
                return c;
            }
        }
    }
    return NULL;
}

static size_t label_count(kg_plan *p, const ast_node_pat *n)
{
    size_t best = (size_t)-1, count;
    uint32_t i;
    for (i = 0; i < n->nlabels; i++) {
        kg_atom a = kg_graph_atom_find(p->g, n->labels[i], strlen(n->labels[i]));
        if (a == KG_NONE) return 0;
        kg_graph_label_nodes(p->g, a, &count);
        if (count < best) best = count;
    }
    return best;
}

/* Bind a node that nothing reaches: seek, label scan or full scan. */
static int start_node(mctx *m, kg_op **cur, const ast_node_pat *n)
{
    const ast_expr *key;
    int by_id;
    conj *c = seek_conj(m, n->slot, &key, &by_id);
    kg_op *op;
    if (c) {
        op = kg_op_new_seek(*cur, n->slot, key, by_id, n->labels, n->atoms,
                            n->nlabels);
        c->placed = 1;
    } else {
        op = kg_op_new_scan(*cur, n->slot, n->labels, n->atoms, n->nlabels);
    }
    if (!op) return kg_plan__fail(m->p, KG_ENOMEM, n->span, "out of memory");
    op->span = n->span;
    *cur = op;
    m->p->bound[n->slot] = 1;
    return place(m, cur, 0);
}

static size_t start_cost(mctx *m, const ast_node_pat *n)
{
    const ast_expr *key;
    int by_id;
    if (m->p->bound[n->slot]) return 0;
    if (seek_conj(m, n->slot, &key, &by_id)) return 1;
    if (n->nlabels) return label_count(m->p, n) + 1;
    return kg_graph_count(m->p->g, KG_NODE) + 2;
}

/* A label test on a node bound elsewhere (the pattern repeats it with
 * labels, or an earlier clause bound it). */
static int label_check(mctx *m, kg_op **cur, const ast_node_pat *n)
{
    ast_expr *e;
    if (!n->nlabels) return KG_OK;
    if (!(e = mk(m->p, AST_E_HASLABEL, n->span))) return KG_ENOMEM;
    e->a = var_of(m->p, n->slot, n->span);
    e->names = n->labels;
    e->atoms = n->atoms;
    e->nnames = n->nlabels;
    return add_conj(m, e) < 0 ? KG_ENOMEM : place(m, cur, 0);
}

/* After an operator bound relationship r: remember it for isomorphism
 * (later relationships of this MATCH must differ) and place filters. */
static int rel_bound(mctx *m, kg_op **cur, const ast_rel_pat *r)
{
    kg_plan *p = m->p;
    int32_t *nr = kg_arena_alloc(p->arena, (m->nrels + 1) * sizeof *nr);
    if (!nr) return kg_plan__fail(p, KG_ENOMEM, r->span, "out of memory");
    if (m->nrels) memcpy(nr, m->rels, m->nrels * sizeof *nr);
    nr[m->nrels++] = r->slot;
    m->rels = nr;
    p->bound[r->slot] = 1;
    if (!r->varlen && r->props && props_conj(m, r->slot, r->props) < 0)
        return KG_ENOMEM;
    return place(m, cur, 0);
}

static int expand(mctx *m, kg_op **cur, const ast_rel_pat *r,
                  const ast_node_pat *from, const ast_node_pat *to,
                  int reverse)
{
    kg_plan *p = m->p;
    kg_expand_spec s;
    kg_op *op;
    memset(&s, 0, sizeof s);
    s.src = from->slot;
    s.dst = to->slot;
    s.rel = r->slot;
    s.dir = r->dir;
    if (reverse && r->dir != AST_DIR_BOTH)
        s.dir = r->dir == AST_DIR_OUT ? AST_DIR_IN : AST_DIR_OUT;
    s.into = p->bound[to->slot];
    s.rel_bound = !r->is_new;
    s.types = r->types;
    s.tatoms = r->atoms;
    s.ntypes = r->ntypes;
    if (!s.into) {
        s.labels = to->labels;
        s.latoms = to->atoms;
        s.nlabels = to->nlabels;
    }
    s.iso = m->rels;
    s.niso = m->nrels;
    if (r->varlen) {
        if (s.rel_bound)
            return kg_plan__fail(p, KG_ESYNTAX, r->span,
                                 "a variable-length relationship cannot reuse "
                                 "a bound variable");
        if (r->max != UINT32_MAX && r->max > KG_QUERY_MAX_HOPS)
            return kg_plan__fail(p, KG_ELIMIT, r->span,
                                 "variable-length bound %u exceeds the limit "
                                 "of %u hops", r->max, KG_QUERY_MAX_HOPS);
        s.min = r->min;
        s.max = r->max;
        s.reverse = (uint8_t)reverse;
        s.need_list = 1;
        if (r->props && r->props->kind == AST_E_MAP) {
            s.props.n = r->props->nargs;
            s.props.names = r->props->names;
            s.props.vals = r->props->args;
            s.props.atoms = kg_arena_alloc(p->arena,
                                           (s.props.n + 1) * sizeof(kg_atom));
            if (!s.props.atoms) return KG_ENOMEM;
            for (uint32_t i = 0; i < s.props.n; i++)
                s.props.atoms[i] = kg_graph_atom_find(p->g, s.props.names[i],
                                                      strlen(s.props.names[i]));
        } else if (r->props) {
            return kg_plan__fail(p, KG_ESYNTAX, r->props->span,
                                 "a variable-length relationship needs a "
                                 "literal property map");
        }
        op = kg_op_new_varlen(*cur, &s);
    } else {
        op = kg_op_new_expand(*cur, &s);
    }
    if (!op) return kg_plan__fail(p, KG_ENOMEM, r->span, "out of memory");
    op->span = r->span;
    *cur = op;
    if (s.into && to->is_new && label_check(m, cur, to) < 0) return KG_ENOMEM;
    p->bound[to->slot] = 1;
    return rel_bound(m, cur, r);
}

/* Relationship start: scan every relationship, binding both ends. */
static int start_rel(mctx *m, kg_op **cur, const ast_path *path, uint32_t k)
{
    const ast_rel_pat *r = path->rels[k];
    const ast_node_pat *a = path->nodes[k], *b = path->nodes[k + 1];
    kg_expand_spec s;
    kg_op *op;
    memset(&s, 0, sizeof s);
    s.src = a->slot;
    s.dst = b->slot;
    s.rel = r->slot;
    s.dir = r->dir;
    s.types = r->types;
    s.tatoms = r->atoms;
    s.ntypes = r->ntypes;
    s.slabels = a->labels;
    s.satoms = a->atoms;
    s.nslabels = a->nlabels;
    s.labels = b->labels;
    s.latoms = b->atoms;
    s.nlabels = b->nlabels;
    s.iso = m->rels;
    s.niso = m->nrels;
    if (!(op = kg_op_new_relscan(*cur, &s)))
        return kg_plan__fail(m->p, KG_ENOMEM, r->span, "out of memory");
    op->span = r->span;
    *cur = op;
    m->p->bound[a->slot] = 1;
    m->p->bound[b->slot] = 1;
    return rel_bound(m, cur, r);
}

static int shortest(mctx *m, kg_op **cur, const ast_path *path)
{
    const ast_rel_pat *r = path->rels[0];
    kg_expand_spec s;
    kg_op *op;
    uint32_t i;
    for (i = 0; i < 2; i++)
        if (!m->p->bound[path->nodes[i]->slot] &&
            start_node(m, cur, path->nodes[i]) < 0)
            return KG_ENOMEM;
    memset(&s, 0, sizeof s);
    s.src = path->nodes[0]->slot;
    s.dst = path->nodes[1]->slot;
    s.rel = r->var ? r->slot : -1;
    s.dir = r->dir;
    s.types = r->types;
    s.tatoms = r->atoms;
    s.ntypes = r->ntypes;
    s.min = r->varlen ? r->min : 1;
    s.max = r->varlen ? r->max : 1;
    if (s.min > 1)
        return kg_plan__fail(m->p, KG_ESYNTAX, r->span,
                             "shortestPath needs a minimum of 0 or 1 hops");
    op = kg_op_new_shortest(*cur, &s, path->shortest == 2,
                            path->var ? path->slot : -1);
    if (!op) return kg_plan__fail(m->p, KG_ENOMEM, r->span, "out of memory");
    op->span = path->span;
    *cur = op;
    m->p->bound[r->slot] = 1;
    if (path->var) m->p->bound[path->slot] = 1;
    return place(m, cur, 0);
}

static int plan_path(mctx *m, kg_op **cur, const ast_path *path)
{
    uint32_t i, start = 0, first;
    size_t best = (size_t)-1;
    kg_op *op;
    if (path->shortest) return shortest(m, cur, path);
    for (i = 0; i <= path->nrels; i++) {
        size_t c = start_cost(m, path->nodes[i]);
        if (c < best) {
            best = c;
            start = i;
        }
    }
    first = start;
    if (best > kg_graph_count(m->p->g, KG_NODE) + 1) {
        /* nothing selective: start from a relationship if one can be */
        for (i = 0; i < path->nrels; i++)
            if (!path->rels[i]->varlen && path->rels[i]->is_new) break;
        if (i < path->nrels) {
            if (start_rel(m, cur, path, i) < 0) return KG_ENOMEM;
            start = i;
            first = i + 1;
        }
    }
    if (first == start) {
        if (!m->p->bound[path->nodes[start]->slot]) {
            if (start_node(m, cur, path->nodes[start]) < 0) return KG_ENOMEM;
        } else if (path->nodes[start]->is_new &&
                   label_check(m, cur, path->nodes[start]) < 0) {
            return KG_ENOMEM;
        }
    }
    for (i = first; i < path->nrels; i++)
        if (expand(m, cur, path->rels[i], path->nodes[i], path->nodes[i + 1],
                   0) < 0)
            return KG_ENOMEM;
    for (i = start; i-- > 0;)
        if (expand(m, cur, path->rels[i], path->nodes[i + 1], path->nodes[i],
                   1) < 0)
            return KG_ENOMEM;
    if (path->var) {
        ast_expr *e = mk(m->p, AST_E_PATH, path->span);
        ast_pattern *one = kg_arena_alloc(m->p->arena, sizeof *one);
        if (!e || !one) return KG_ENOMEM;
        one->paths = (ast_path **)kg_arena_alloc(m->p->arena, sizeof(ast_path *));
        if (!one->paths) return KG_ENOMEM;
        one->paths[0] = (ast_path *)path;
        one->npaths = 1;
        e->pat = one;
        if (!(op = kg_op_new_eval(*cur, e, path->slot)))
            return kg_plan__fail(m->p, KG_ENOMEM, path->span, "out of memory");
        *cur = op;
        m->p->bound[path->slot] = 1;
        return place(m, cur, 0);
    }
    return KG_OK;
}

int kg_plan__match(kg_plan *p, kg_op **cur, const ast_pattern *pat,
                   const ast_expr *where)
{
    mctx m;
    uint32_t i, j, pass;
    memset(&m, 0, sizeof m);
    m.p = p;
    if (!(m.isnew = kg_arena_alloc(p->arena, p->nslots + 1)))
        return kg_plan__fail(p, KG_ENOMEM, pat->span, "out of memory");
    for (i = 0; i < pat->npaths; i++) {
        const ast_path *path = pat->paths[i];
        if (path->var) m.isnew[path->slot] = 1;
        for (j = 0; j <= path->nrels; j++) {
            const ast_node_pat *n = path->nodes[j];
            if (n->is_new) m.isnew[n->slot] = 1;
            else p->bound[n->slot] = 1; /* bound by the enclosing scope */
            if (j < path->nrels) {
                if (path->rels[j]->is_new) m.isnew[path->rels[j]->slot] = 1;
                else p->bound[path->rels[j]->slot] = 1;
            }
        }
    }
    for (i = 0; i < pat->npaths; i++) {
        const ast_path *path = pat->paths[i];
        for (j = 0; j <= path->nrels; j++) {
            if (props_conj(&m, path->nodes[j]->slot, path->nodes[j]->props) < 0)
                return KG_ENOMEM;
            /* labels on a node bound before this pattern need a test */
            if (!path->nodes[j]->is_new && label_check(&m, cur, path->nodes[j]) < 0)
                return KG_ENOMEM;
        }
    }
    if (where && add_conj(&m, (ast_expr *)where) < 0) return KG_ENOMEM;
    if (place(&m, cur, 0) < 0) return KG_ENOMEM;
    /* regular paths first: shortest paths need both ends bound */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < pat->npaths; i++)
            if (!!pat->paths[i]->shortest == (int)pass &&
                plan_path(&m, cur, pat->paths[i]) < 0)
                return p->err && p->err->code ? p->err->code : KG_ENOMEM;
    return place(&m, cur, 1);
}

/* ---- sub-plans of pattern expressions ---- */

int kg_plan__expr(kg_plan *p, const ast_expr *ce)
{
    ast_expr *e = (ast_expr *)ce;
    uint8_t *saved;
    uint32_t i;
    int rc;
    if (!e) return KG_OK;
    if ((e->kind == AST_E_PATTERN || e->kind == AST_E_PATCOMP) && !e->plan) {
        kg_op *sub = NULL;
        size_t idx;
        if (p->nsub == p->capsub) {
            size_t cap = p->capsub ? p->capsub * 2 : 8;
            kg_op **s = kg_realloc(p->subplans, cap * sizeof *s);
            if (!s) return kg_plan__fail(p, KG_ENOMEM, e->span, "out of memory");
            p->subplans = s;
            p->capsub = cap;
        }
        /* reserve the entry first: planning may add nested sub-plans */
        idx = p->nsub++;
        p->subplans[idx] = NULL;
        /* the sub-plan binds its own variables only: keep the outer
         * pattern's view of what is bound */
        if (!(saved = kg_arena_alloc(p->arena, p->nslots + 1)))
            return kg_plan__fail(p, KG_ENOMEM, e->span, "out of memory");
        memcpy(saved, p->bound, p->nslots);
        if (e->sub) {
            rc = kg_plan__query(p, e->sub, &sub);
        } else if (!(sub = kg_op_new_once())) {
            rc = kg_plan__fail(p, KG_ENOMEM, e->span, "out of memory");
        } else {
            rc = kg_plan__match(p, &sub, e->pat, e->b);
        }
        memcpy(p->bound, saved, p->nslots);
        if (rc < 0) {
            kg_op_free(sub);
            return p->err && p->err->code ? p->err->code : KG_ENOMEM;
        }
        e->plan = p->subplans[idx] = sub;
        if (e->kind == AST_E_PATCOMP) return kg_plan__expr(p, e->c);
        return KG_OK;
    }
    if (kg_plan__expr(p, e->a) < 0 || kg_plan__expr(p, e->b) < 0 ||
        kg_plan__expr(p, e->c) < 0)
        return p->err ? p->err->code : KG_ENOMEM;
    for (i = 0; i < e->nargs; i++)
        if (kg_plan__expr(p, e->args[i]) < 0)
            return p->err ? p->err->code : KG_ENOMEM;
    return KG_OK;
}
