/* op_filter.c - Filter: keep the rows whose predicate is true (not false,
 * not null), as WHERE requires.
 *
 * The predicate is split into its AND-ed conjuncts. A conjunct of the form
 * `v.key OP constant` (a comparison, STARTS WITH, ENDS WITH or CONTAINS
 * against a literal or a parameter, v a node or relationship variable) is
 * tested straight on the graph's property value: no operand values are
 * made, retained or released, which is most of the cost of a filter over a
 * whole label. Any other conjunct, and any row where the fast test would
 * not see the plain case (v not a live element, e.g. an error to raise),
 * goes through kg_expr__truth. Conjuncts run left to right and stop at the
 * first false one, as AND does, so errors and results are unchanged.
 *
 * A fast conjunct on a node that many rows share (the far end of an
 * expansion) is memoised per node once it has run MEMO_AFTER times: the
 * answer depends only on the node's property and the constant, so it
 * holds until something writes. The memo is dropped when the graph, the
 * execution or the write counters change. A conjunct that reads a node
 * property over many nodes also asks the graph to keep that property as
 * a column (kg_graph_prop_column), which the graph keeps exact by itself;
 * with the column come 8-byte string prefixes, which decide most string
 * comparisons (=, <, STARTS WITH a short string) without reading the
 * string at all.
 */
#include "query_int.h"

#define MEMO_AFTER 8192 /* evaluations before a conjunct memoises */
#define COLUMN_AFTER 2048 /* ... and before it asks for a column */

typedef struct {
    const ast_expr *e;     /* the conjunct                                 */
    const ast_expr *prop;  /* fast: the v.key side (NULL: general)        */
    const ast_expr *cst;   /* fast: the literal or parameter side          */
    int swapped;           /* fast: the constant is on the left            */
    uint64_t evals, colevals;
    int column;            /* kg_graph_prop_column asked                   */
    uint8_t *memo;         /* per node id: 0 unknown, else KG_TV_* + 1     */
    size_t nmemo;
} conj;

typedef struct {
    kg_op base;
    const ast_expr *pred;
    conj *conjs;
    uint32_t n, cap;
    int split;             /* conjs built (0: out of memory, use pred)     */
    /* what the memos hold for: graph, execution, writes so far */
    const kg_graph *mg;
    const kg_exec *mx;
    uint64_t mstart, mwrites;
} op_filter;

static void memo_drop(op_filter *f)
{
    uint32_t i;
    for (i = 0; i < f->n; i++) {
        kg_free(f->conjs[i].memo);
        f->conjs[i].memo = NULL;
        f->conjs[i].nmemo = 0;
        f->conjs[i].evals = 0;
        f->conjs[i].colevals = 0;
        f->conjs[i].column = 0;
    }
}

/* Keep the memos only while they hold. */
static void memo_check(op_filter *f, const kg_exec *x)
{
    uint64_t w = kg_exec__writes(x);
    if (f->mg == x->g && f->mx == x && f->mstart == x->start_ns &&
        f->mwrites == w)
        return;
    memo_drop(f);
    f->mg = x->g;
    f->mx = x;
    f->mstart = x->start_ns;
    f->mwrites = w;
}

static int is_cst(const ast_expr *e)
{
    return e->kind == AST_E_LIT || e->kind == AST_E_PARAM;
}

static int is_varprop(const ast_expr *e)
{
    return e->kind == AST_E_PROP && e->a->kind == AST_E_VAR;
}

static int add_conj(op_filter *f, const ast_expr *e)
{
    conj *c;
    if (e->kind == AST_E_BINOP && e->op == AST_OP_AND)
        return add_conj(f, e->a) < 0 ? KG_ENOMEM : add_conj(f, e->b);
    if (f->n == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 4;
        conj *p = kg_realloc(f->conjs, cap * sizeof *p);
        if (!p) return KG_ENOMEM;
        f->conjs = p;
        f->cap = cap;
    }
    c = &f->conjs[f->n++];
    memset(c, 0, sizeof *c);
    c->e = e;
    if (e->kind != AST_E_BINOP) return KG_OK;
    if (e->op >= AST_OP_EQ && e->op <= AST_OP_GE) {
        if (is_varprop(e->a) && is_cst(e->b)) {
            c->prop = e->a;
            c->cst = e->b;
        } else if (is_cst(e->a) && is_varprop(e->b)) {
            c->prop = e->b;
            c->cst = e->a;
            c->swapped = 1;
        }
    } else if (e->op == AST_OP_STARTS || e->op == AST_OP_ENDS ||
               e->op == AST_OP_CONTAINS) {
        if (is_varprop(e->a) && is_cst(e->b)) {
            c->prop = e->a;
            c->cst = e->b;
        }
    }
    return KG_OK;
}

/* A string comparison of node id's value pv (a string) with constant k
 * (a string) decided from the column's prefix and length, without
 * reading pv's bytes; -1 when they cannot decide. */
static int prefix_truth(kg_exec *x, const conj *c, kg_atom atom, kg_id id,
                        const kg_value *k)
{
    const uint8_t *lens;
    size_t n, tl = k->u.str->len;
    const uint64_t *pre = kg_graph_prop_prefix(x->g, atom, &lens, &n);
    uint64_t p, t;
    int r;
    if (!pre || id >= n) return -1;
    p = pre[id];
    t = kg_graph_prefix_of(k->u.str->s, tl);
    switch (c->e->op) {
    case AST_OP_EQ:
    case AST_OP_NE:
        if (p != t || lens[id] != (tl < 255 ? tl : 255))
            return c->e->op == AST_OP_NE;
        if (tl > 8) return -1;
        return c->e->op == AST_OP_EQ;
    case AST_OP_STARTS:
        if (tl > 8) return -1;
        if (tl == 0) return KG_TV_TRUE;
        return lens[id] >= tl && (p >> (64 - 8 * tl)) == (t >> (64 - 8 * tl));
    case AST_OP_LT:
    case AST_OP_GT:
    case AST_OP_LE:
    case AST_OP_GE:
        if (p != t) r = p < t ? -1 : 1;
        else if (lens[id] <= 8 && tl <= 8) r = (lens[id] > tl) - (lens[id] < tl);
        else return -1;
        if (c->swapped) r = -r;
        switch (c->e->op) {
        case AST_OP_LT: return r < 0;
        case AST_OP_GT: return r > 0;
        case AST_OP_LE: return r <= 0;
        default: return r >= 0;
        }
    default: return -1;
    }
}

/* The fast test; KG_TV_* or -1 when the row needs the general path.
 * nowrites: nothing was written yet, so the element is alive. */
static int fast_truth(kg_exec *x, const conj *c, int nowrites)
{
    static const kg_value null_value = {KG_VNULL, {0}};
    const kg_value *base = &x->row[c->prop->a->slot], *pv, *k;
    kg_elem kind;
    kg_atom atom = KG_NONE;
    int r;
    if (base->type == KG_VNULL) {
        pv = &null_value;
    } else {
        if (base->type != KG_VNODE && base->type != KG_VREL) return -1;
        kind = base->type == KG_VNODE ? KG_NODE : KG_EDGE;
        if (!nowrites && !kg_graph_alive(x->g, kind, base->u.id)) return -1;
        atom = kg_bind__atom(x->g, (kg_atom *)&c->prop->atom, c->prop->name);
        pv = kg_qv__prop(x, kind, base->u.id, atom,
                         c->prop->flags & AST_F_ISID);
        if (!pv) pv = &null_value;
    }
    if (c->cst->kind == AST_E_LIT) {
        k = &c->cst->val;
    } else {
        k = x->env->params ? kg_value_map_get(x->env->params, c->cst->name)
                           : NULL;
        if (!k) k = &null_value;
    }
    if (pv->type == KG_VSTRING && k->type == KG_VSTRING &&
        base->type == KG_VNODE && !(c->prop->flags & AST_F_ISID) &&
        (r = prefix_truth(x, c, atom, base->u.id, k)) >= 0)
        return r;
    switch (c->e->op) {
    case AST_OP_EQ:
    case AST_OP_NE:
        r = kg_qv__equals(pv, k);
        return r == KG_TV_NULL ? r : c->e->op == AST_OP_EQ ? r : !r;
    case AST_OP_STARTS:
    case AST_OP_ENDS:
    case AST_OP_CONTAINS: return kg_expr__strtest(c->e->op, pv, k);
    default: break;
    }
    /* ordering, as kg_expr__truth: operands in the written order */
    r = c->swapped ? kg_qv__compare(k, pv) : kg_qv__compare(pv, k);
    if (r == 2) return KG_TV_NULL;
    if (r == 3) return KG_TV_FALSE;
    switch (c->e->op) {
    case AST_OP_LT: return r < 0;
    case AST_OP_GT: return r > 0;
    case AST_OP_LE: return r <= 0;
    default: return r >= 0;
    }
}

/* fast_truth through the node memo. */
static int memo_truth(kg_exec *x, conj *c, int nowrites)
{
    const kg_value *v = &x->row[c->prop->a->slot];
    int t;
    if (v->type != KG_VNODE) return fast_truth(x, c, nowrites);
    if (c->memo && v->u.id < c->nmemo && c->memo[v->u.id])
        return c->memo[v->u.id] - 1;
    if (!c->column && ++c->colevals >= COLUMN_AFTER) {
        kg_atom atom = kg_bind__atom(x->g, (kg_atom *)&c->prop->atom,
                                     c->prop->name);
        c->column = 1;
        /* a cache only: without it the answers are the same */
        if (atom != KG_NONE) (void)kg_graph_prop_column(x->g, atom);
    }
    t = fast_truth(x, c, nowrites);
    if (t < 0) return t;
    if (!c->memo && ++c->evals >= MEMO_AFTER) {
        c->nmemo = kg_graph_cap(x->g, KG_NODE);
        if (!(c->memo = kg_calloc(c->nmemo + 1, 1))) c->nmemo = 0;
    }
    if (c->memo && v->u.id < c->nmemo) c->memo[v->u.id] = (uint8_t)(t + 1);
    return t;
}

/* The row passes: every conjunct true. */
static int pass(kg_exec *x, op_filter *f, int *ok)
{
    uint32_t i;
    int rc, t, all = 1;
    memo_check(f, x);
    for (i = 0; i < f->n; i++) {
        conj *c = &f->conjs[i];
        t = c->prop ? memo_truth(x, c, f->mwrites == 0) : -1;
        if (t < 0 && (rc = kg_expr__truth(x, c->e, &t)) < 0) return rc;
        if (t == KG_TV_FALSE) {
            *ok = 0;
            return KG_OK;
        }
        if (t != KG_TV_TRUE) all = 0;
    }
    *ok = all;
    return KG_OK;
}

static int filter_next(kg_op *op, kg_exec *x)
{
    op_filter *f = (op_filter *)op;
    int rc, t;
    if (!f->split) {
        f->n = 0;
        f->split = add_conj(f, f->pred) == KG_OK ? 1 : -1;
    }
    for (;;) {
        if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
        if (f->split > 0) {
            if ((rc = pass(x, f, &t)) < 0) return rc;
            if (t) return 1;
        } else {
            if ((rc = kg_expr__truth(x, f->pred, &t)) < 0) return rc;
            if (t == KG_TV_TRUE) return 1;
        }
        if ((rc = kg_exec__tick(x)) < 0) return rc;
    }
}

static void filter_free(kg_op *op)
{
    op_filter *f = (op_filter *)op;
    memo_drop(f);
    kg_free(f->conjs);
}

static void filter_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_filter *f = (const op_filter *)op;
    if (f->pred->span.len)
        kg_buf_put_safe(out, x->text + f->pred->span.offset, f->pred->span.len);
    else
        kg_ast_dump_expr(out, f->pred);
}

static const kg_op_vtable filter_vt = {"Filter", filter_next, NULL,
                                       filter_free, filter_explain};

kg_op *kg_op_new_filter(kg_op *child, const ast_expr *pred)
{
    op_filter *f = kg_op__alloc(sizeof *f, &filter_vt, child);
    if (!f) return NULL;
    f->pred = pred;
    return &f->base;
}
