/* op_aggregate.c - Aggregation: grouping keys and aggregate functions.
 *
 * Eager: all input rows are consumed first. Groups are found through a
 * rowset keyed by the grouping columns; each group carries one state per
 * aggregate call. Then one row per group is produced: key columns,
 * aggregate results (in the slots the binder gave the calls), and the
 * items computed from aggregates (`count(*) + 1`), evaluated last.
 * With no grouping keys there is always exactly one row, even for no
 * input (count(*) = 0, collect() = [], others null). Aggregates skip nulls.
 */
#include "query_int.h"

#include <math.h>
#include <stdlib.h>

#define MEMO_LABELS 4 /* label lists memoised: up to this long ...      */
#define MEMO_SETS 32  /* ... and this many distinct ones                */

/* count lives apart from the rest of the state (op_agg.counts) so that
 * count(*) over many groups touches 8 bytes per row, not a whole state. */
typedef struct {
    int64_t isum;
    double fsum;
    int isfloat, allint;
    kg_value val;       /* min, max, collect                          */
    kg_rowset *seen;    /* DISTINCT                                   */
    double *nums;       /* stDev, percentiles                         */
    size_t nn, capn;
    kg_value param;     /* percentile                                 */
} agg_state;

typedef struct {
    kg_op base;
    kg_agg_spec s;
    kg_rowset groups;
    agg_state *st;      /* groups.n * naggs */
    int64_t *counts;    /* groups.n * naggs */
    size_t capst;
    int consumed;
    int by_node;        /* no stored `id` anywhere: n.id keys group by n */
    uint32_t *nodemap;  /* single n.id key: node id -> group            */
    size_t nnodemap;
    size_t pos;
    kg_value *keybuf;
    /* Keys that read a node n only through labels(n), or a relationship r
     * only through type(r): elements with the same label list (type) fall
     * in the same group, found by that list (memo) without evaluating the
     * keys. memo_slot is n's (r's) slot, or -1. */
    int32_t memo_slot;
    int memo_rel;       /* the keys read type(r), not labels(n)          */
    struct {
        uint32_t n;
        kg_atom a[MEMO_LABELS];
        size_t pos;
    } memo[MEMO_SETS];
    uint32_t nmemo;
} op_agg;

static void state_free(agg_state *a)
{
    kg_value_release(&a->val);
    kg_value_release(&a->param);
    if (a->seen) {
        kg_rowset__free(a->seen);
        kg_free(a->seen);
    }
    kg_free(a->nums);
    memset(a, 0, sizeof *a);
}

static int type_err(kg_exec *x, const ast_expr *call, const kg_value *v)
{
    return kg_exec__fail(x, KG_ETYPE, call->span, "%s() expects numbers, got %s",
                         call->fn ? call->fn->name : "count",
                         kg_value_type_name(v->type));
}

/* count(DISTINCT n.id) where n.id is the node key: distinct keys are
 * distinct nodes, so the set holds node ids, not strings. */
static int node_key_arg(kg_exec *x, const ast_expr *call, int by_node,
                        kg_value *v)
{
    const ast_expr *e = call->args[0];
    const kg_value *n;
    if (!by_node || call->op != KG_AGG_COUNT || !(call->flags & AST_F_DISTINCT) ||
        e->kind != AST_E_PROP || !(e->flags & AST_F_ISID) ||
        e->a->kind != AST_E_VAR)
        return 0;
    n = &x->row[e->a->slot];
    if (n->type != KG_VNODE) return 0;
    *v = kg_qv__real_key(x, n->u.id) ? *n : KG_NULL_VALUE;
    return 1;
}

static int update(kg_exec *x, const ast_expr *call, agg_state *a,
                  int64_t *count, int by_node)
{
    kg_value v;
    int rc = KG_OK, added;
    size_t pos;
    if (call->kind == AST_E_COUNTSTAR) {
        (*count)++;
        return KG_OK;
    }
    if (!node_key_arg(x, call, by_node, &v) &&
        (rc = kg_expr__eval(x, call->args[0], &v)) < 0)
        return rc;
    if (v.type == KG_VNULL) return KG_OK;
    if (call->flags & AST_F_DISTINCT) {
        if (!a->seen && !(a->seen = kg_calloc(1, sizeof *a->seen))) goto oom;
        a->seen->width = 1;
        if (kg_rowset__add(a->seen, &v, &pos, &added) < 0) goto oom;
        if (!added) goto done;
    }
    switch (call->op) {
    case KG_AGG_COUNT: (*count)++; break;
    case KG_AGG_SUM:
    case KG_AGG_AVG:
        if (v.type == KG_VINT && call->op == KG_AGG_SUM) {
            if (__builtin_add_overflow(a->isum, v.u.i, &a->isum)) {
                rc = kg_exec__fail(x, KG_ETYPE, call->span,
                                   "integer overflow in sum()");
                goto done;
            }
        } else if (v.type == KG_VINT) {
            a->fsum += (double)v.u.i;
        } else if (v.type == KG_VFLOAT) {
            a->fsum += v.u.f;
            a->isfloat = 1;
        } else {
            rc = type_err(x, call, &v);
            goto done;
        }
        (*count)++;
        break;
    case KG_AGG_MIN:
    case KG_AGG_MAX:
        if (a->val.type == KG_VNULL ||
            (call->op == KG_AGG_MIN ? kg_qv__order(&v, &a->val) < 0
                                    : kg_qv__order(&v, &a->val) > 0)) {
            kg_value_release(&a->val);
            a->val = v;
            return KG_OK;
        }
        break;
    case KG_AGG_COLLECT:
        if (a->val.type == KG_VNULL) a->val = kg_value_list(0);
        if ((rc = kg_exec__mem(x, (long long)kg_exec__value_size(&v),
                               call->span)) < 0)
            goto done;
        if (kg_value_list_push(&a->val, v) < 0) return kg_exec__fail(
            x, KG_ENOMEM, call->span, "out of memory");
        return KG_OK;
    default: /* stDev, stDevP, percentiles */
        if (v.type != KG_VINT && v.type != KG_VFLOAT) {
            rc = type_err(x, call, &v);
            goto done;
        }
        if (a->nn == a->capn) {
            size_t cap = a->capn ? a->capn * 2 : 16;
            double *d = kg_realloc(a->nums, cap * sizeof *d);
            if (!d) goto oom;
            a->nums = d;
            a->capn = cap;
        }
        if (a->nn == 0) a->allint = 1;
        if (v.type != KG_VINT) a->allint = 0;
        a->nums[a->nn++] = v.type == KG_VINT ? (double)v.u.i : v.u.f;
        if (call->nargs > 1 && a->param.type == KG_VNULL &&
            (rc = kg_expr__eval(x, call->args[1], &a->param)) < 0)
            goto done;
        break;
    }
done:
    kg_value_release(&v);
    return rc;
oom:
    kg_value_release(&v);
    return kg_exec__fail(x, KG_ENOMEM, call->span, "out of memory");
}

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static int finish(kg_exec *x, const ast_expr *call, agg_state *a,
                  int64_t count, kg_value *out)
{
    double mean = 0, ss = 0, p;
    size_t i;
    *out = KG_NULL_VALUE;
    if (call->kind == AST_E_COUNTSTAR) {
        *out = kg_value_int(count);
        return KG_OK;
    }
    switch (call->op) {
    case KG_AGG_COUNT: *out = kg_value_int(count); return KG_OK;
    case KG_AGG_SUM:
        *out = a->isfloat ? kg_value_float(a->fsum + (double)a->isum)
                          : kg_value_int(a->isum);
        return KG_OK;
    case KG_AGG_AVG:
        if (count) *out = kg_value_float(a->fsum / (double)count);
        return KG_OK;
    case KG_AGG_MIN:
    case KG_AGG_MAX: *out = kg_value_retain(&a->val); return KG_OK;
    case KG_AGG_COLLECT:
        *out = a->val.type == KG_VNULL ? kg_value_list(0)
                                       : kg_value_retain(&a->val);
        return KG_OK;
    case KG_AGG_STDEV:
    case KG_AGG_STDEVP:
        if (a->nn < (call->op == KG_AGG_STDEV ? 2u : 1u)) {
            *out = kg_value_float(0);
            return KG_OK;
        }
        for (i = 0; i < a->nn; i++) mean += a->nums[i];
        mean /= (double)a->nn;
        for (i = 0; i < a->nn; i++) ss += (a->nums[i] - mean) * (a->nums[i] - mean);
        *out = kg_value_float(
            sqrt(ss / (double)(a->nn - (call->op == KG_AGG_STDEV ? 1 : 0))));
        return KG_OK;
    default: /* percentiles */
        if (!a->nn) return KG_OK;
        if (a->param.type != KG_VINT && a->param.type != KG_VFLOAT)
            return kg_exec__fail(x, KG_ETYPE, call->span,
                                 "%s() expects a number between 0.0 and 1.0",
                                 call->fn->name);
        p = a->param.type == KG_VINT ? (double)a->param.u.i : a->param.u.f;
        if (p < 0 || p > 1)
            return kg_exec__fail(x, KG_ETYPE, call->span,
                                 "%s() expects a number between 0.0 and 1.0",
                                 call->fn->name);
        qsort(a->nums, a->nn, sizeof *a->nums, dbl_cmp);
        if (call->op == KG_AGG_PDISC) {
            size_t k = p == 0 ? 0 : (size_t)ceil(p * (double)a->nn) - 1;
            double v = a->nums[k < a->nn ? k : a->nn - 1];
            *out = a->allint ? kg_value_int((int64_t)v) : kg_value_float(v);
        } else {
            double pos = p * (double)(a->nn - 1), fl = floor(pos);
            size_t k = (size_t)fl;
            double v = a->nums[k];
            if (k + 1 < a->nn) v += (pos - fl) * (a->nums[k + 1] - v);
            *out = kg_value_float(v);
        }
        return KG_OK;
    }
}

static int add_group_states(op_agg *g, kg_exec *x)
{
    size_t need = g->groups.n * g->s.naggs;
    if (need > g->capst) {
        size_t cap = g->capst ? g->capst * 2 : 64;
        agg_state *st;
        int64_t *c;
        while (cap < need) cap *= 2;
        st = kg_realloc(g->st, cap * sizeof *st);
        if (st) g->st = st;
        c = st ? kg_realloc(g->counts, cap * sizeof *c) : NULL;
        if (!st || !c)
            return kg_exec__fail(x, KG_ENOMEM, g->base.span, "out of memory");
        memset(st + g->capst, 0, (cap - g->capst) * sizeof *st);
        memset(c + g->capst, 0, (cap - g->capst) * sizeof *c);
        g->counts = c;
        g->capst = cap;
    }
    return kg_exec__mem(x, (long long)(g->s.naggs * sizeof(agg_state) + 64),
                        g->base.span);
}

/* The group of the current row (added when new, with its states). */
static int group_of(op_agg *g, kg_exec *x, size_t *posp)
{
    int rc, added;
    uint32_t i;
    size_t pos;
    for (i = 0; i < g->s.nkeys; i++) {
        const kg_value *n = g->s.key_node[i] >= 0 && g->by_node
                                ? &x->row[g->s.key_node[i]]
                                : NULL;
        if (n && n->type == KG_VNODE) {
            /* n.id is the node's key, unique: group by the node */
            g->keybuf[i] = kg_qv__real_key(x, n->u.id) ? *n : KG_NULL_VALUE;
        } else if ((rc = kg_expr__eval(x, g->s.keys[i], &g->keybuf[i])) < 0) {
            return rc;
        }
    }
    if (g->nodemap && g->keybuf[0].type == KG_VNODE &&
        g->keybuf[0].u.id < g->nnodemap &&
        g->nodemap[g->keybuf[0].u.id] != UINT32_MAX) {
        /* one node key: a direct array beats hashing */
        pos = g->nodemap[g->keybuf[0].u.id];
        added = 0;
        rc = KG_OK;
    } else {
        rc = kg_rowset__add(&g->groups, g->keybuf, &pos, &added);
        if (rc == KG_OK && g->nodemap && g->keybuf[0].type == KG_VNODE &&
            g->keybuf[0].u.id < g->nnodemap)
            g->nodemap[g->keybuf[0].u.id] = (uint32_t)pos;
    }
    for (i = 0; i < g->s.nkeys; i++) kg_value_release(&g->keybuf[i]);
    if (rc < 0) return kg_exec__fail(x, KG_ENOMEM, g->base.span, "out of memory");
    if (added && (rc = add_group_states(g, x)) < 0) return rc;
    *posp = pos;
    return KG_OK;
}

/* The group of the current row through the label-list memo when it
 * applies (memo_slot holds a live node with a short label list). */
static int group_memo(op_agg *g, kg_exec *x, size_t *pos)
{
    const kg_value *v = &x->row[g->memo_slot];
    const kg_atom *labels;
    size_t n;
    uint32_t i;
    int rc;
    kg_atom type;
    /* with no writes yet every element in a row is alive */
    if (v->type != (g->memo_rel ? KG_VREL : KG_VNODE) ||
        (kg_exec__writes(x) &&
         !kg_graph_alive(x->g, v->type == KG_VNODE ? KG_NODE : KG_EDGE,
                         v->u.id)))
        return group_of(g, x, pos);
    if (v->type == KG_VREL) {
        /* a type is memoised as a one-atom list */
        type = kg_graph_edge_type(x->g, v->u.id);
        labels = &type;
        n = 1;
    } else {
        labels = kg_graph_labels(x->g, v->u.id, &n);
    }
    if (n > MEMO_LABELS) return group_of(g, x, pos);
    for (i = 0; i < g->nmemo; i++) {
        size_t k = 0;
        if (g->memo[i].n != n) continue;
        while (k < n && g->memo[i].a[k] == labels[k]) k++;
        if (k == n) {
            *pos = g->memo[i].pos;
            return KG_OK;
        }
    }
    if ((rc = group_of(g, x, pos)) < 0) return rc;
    if (g->nmemo < MEMO_SETS) {
        g->memo[g->nmemo].n = (uint32_t)n;
        if (n) memcpy(g->memo[g->nmemo].a, labels, n * sizeof *labels);
        g->memo[g->nmemo++].pos = *pos;
    }
    return KG_OK;
}

/* Degree mode: count(*) only, grouped by keys of one node n, over a bare
 * RelationshipScan binding n at one end (no labels, no other use of the
 * relationship or the far end). The count of n is then its adjacency
 * size: out, in, or both less its self-loops (met once undirected), or
 * the entries of the wanted types - O(nodes) instead of a row per edge.
 * Nodes without such edges make no row, as in the scan. */
static uint64_t degree(kg_exec *x, kg_expand_spec *s, kg_id n, int dir,
                       size_t loops)
{
    const kg_id *out, *in;
    size_t no, ni, i;
    uint64_t co = 0, ci = 0, cl = 0;
    out = kg_graph_out(x->g, n, &no);
    in = kg_graph_in(x->g, n, &ni);
    if (!s->ntypes && (dir != AST_DIR_BOTH || !loops))
        return dir == AST_DIR_OUT ? no : dir == AST_DIR_IN ? ni : no + ni;
    for (i = 0; i < no; i++)
        if (kg_expand__type_ok(x, s, out[i])) {
            co++;
            if (loops && kg_graph_edge_dst(x->g, out[i]) == n) cl++;
        }
    if (dir == AST_DIR_OUT) return co;
    for (i = 0; i < ni; i++)
        if (kg_expand__type_ok(x, s, in[i])) ci++;
    return dir == AST_DIR_IN ? ci : co + ci - cl;
}

static int degree_consume(op_agg *g, kg_exec *x, kg_expand_spec *s,
                          int32_t slot, int dir)
{
    size_t cap, loops, pos;
    kg_op *arg = g->base.child->child;
    kg_id n;
    uint32_t i;
    int rc;
    while ((rc = kg_op__next(arg, x)) == 1) {
        cap = kg_graph_cap(x->g, KG_NODE);
        loops = kg_graph_loops(x->g);
        for (n = 0; n < cap; n++) {
            uint64_t d;
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (!kg_graph_alive(x->g, KG_NODE, n)) continue;
            if ((d = degree(x, s, n, dir, loops)) == 0) continue;
            kg_exec__set(x, slot, kg_value_node(n));
            if ((rc = group_of(g, x, &pos)) < 0) return rc;
            for (i = 0; i < g->s.naggs; i++)
                g->counts[pos * g->s.naggs + i] += (int64_t)d;
        }
    }
    return rc;
}

/* Does e read nothing but slot (deterministically)? */
static int only_slot(const ast_expr *e, int32_t slot, int labels_only)
{
    uint32_t i;
    if (!e) return 1;
    switch (e->kind) {
    case AST_E_LIT:
    case AST_E_PARAM: return 1;
    case AST_E_VAR: return !labels_only && e->slot == slot;
    case AST_E_PROP: return !labels_only && only_slot(e->a, slot, 0);
    case AST_E_INDEX:
        return only_slot(e->a, slot, labels_only) &&
               only_slot(e->b, slot, labels_only);
    case AST_E_CALL:
        if (e->op || !e->fn) return 0;
        if (labels_only &&
            (strcmp(e->fn->name, "labels") == 0 ||
             strcmp(e->fn->name, "type") == 0) &&
            e->nargs == 1 && e->args[0]->kind == AST_E_VAR &&
            e->args[0]->slot == slot)
            return 1;
        if (strcmp(e->fn->name, "labels") && strcmp(e->fn->name, "id") &&
            strcmp(e->fn->name, "toLower") && strcmp(e->fn->name, "toUpper") &&
            strcmp(e->fn->name, "toString") && strcmp(e->fn->name, "head"))
            return 0;
        for (i = 0; i < e->nargs; i++)
            if (!only_slot(e->args[i], slot, labels_only)) return 0;
        return 1;
    default: return 0;
    }
}

/* e calls function name somewhere. */
static int calls(const ast_expr *e, const char *name)
{
    uint32_t i;
    if (!e) return 0;
    if (e->kind == AST_E_CALL && e->fn && strcmp(e->fn->name, name) == 0)
        return 1;
    if (calls(e->a, name) || calls(e->b, name) || calls(e->c, name)) return 1;
    for (i = 0; i < e->nargs; i++)
        if (calls(e->args[i], name)) return 1;
    return 0;
}

/* The one slot every key reads (through labels() or type() only when
 * labels_only), or -1. */
static int32_t key_slot(const op_agg *g, int labels_only)
{
    int32_t slot = -1;
    uint32_t i;
    int32_t deps[4];
    uint32_t nd;
    for (i = 0; i < g->s.nkeys; i++) {
        nd = 0;
        kg_plan__deps(g->s.keys[i], deps, &nd, 4);
        if (nd != 1 || (slot >= 0 && deps[0] != slot)) return -1;
        slot = deps[0];
    }
    for (i = 0; i < g->s.nkeys; i++)
        if (!only_slot(g->s.keys[i], slot, labels_only)) return -1;
    return slot;
}

/* Degree mode applies: *slot and *dir (relative to n) filled. */
static int degree_ok(const op_agg *g, kg_expand_spec **sp, int32_t *slot,
                     int *dir)
{
    kg_expand_spec *s = kg_relscan__spec(g->base.child);
    uint32_t i;
    int32_t n;
    if (!s || !g->s.nkeys) return 0;
    for (i = 0; i < g->s.naggs; i++)
        if (g->s.aggs[i]->kind != AST_E_COUNTSTAR) return 0;
    if (s->src == s->dst || s->niso || s->nslabels || s->nlabels || s->into ||
        s->rel_bound)
        return 0;
    if ((n = key_slot(g, 0)) < 0 || (n != s->src && n != s->dst)) return 0;
    *sp = s;
    *slot = n;
    *dir = s->dir;
    if (n == s->dst && s->dir != AST_DIR_BOTH)
        *dir = s->dir == AST_DIR_OUT ? AST_DIR_IN : AST_DIR_OUT;
    return 1;
}

static int consume(op_agg *g, kg_exec *x)
{
    int rc, added, dir;
    uint32_t i;
    size_t pos;
    int32_t dslot;
    kg_expand_spec *ds;
    g->by_node = kg_graph_atom_find(x->g, "id", 2) == KG_NONE;
    if (g->by_node && g->s.nkeys == 1 && g->s.key_node[0] >= 0) {
        size_t n = kg_graph_cap(x->g, KG_NODE);
        if ((g->nodemap = kg_malloc((n + 1) * sizeof *g->nodemap)) != NULL) {
            memset(g->nodemap, 0xff, (n + 1) * sizeof *g->nodemap);
            g->nnodemap = n;
        }
    }
    g->nmemo = 0;
    g->memo_slot = g->s.nkeys ? key_slot(g, 1) : -1;
    if (g->memo_slot >= 0) {
        int l = 0, t = 0;
        for (i = 0; i < g->s.nkeys; i++) {
            l |= calls(g->s.keys[i], "labels");
            t |= calls(g->s.keys[i], "type");
        }
        if (l && t) g->memo_slot = -1; /* one kind of element per memo */
        g->memo_rel = t;
    }
    if (degree_ok(g, &ds, &dslot, &dir)) {
        if ((rc = degree_consume(g, x, ds, dslot, dir)) < 0) return rc;
        goto end;
    }
    while ((rc = kg_op__next(g->base.child, x)) == 1) {
        if ((rc = g->memo_slot >= 0 ? group_memo(g, x, &pos)
                                    : group_of(g, x, &pos)) < 0)
            return rc;
        for (i = 0; i < g->s.naggs; i++)
            if ((rc = update(x, g->s.aggs[i], &g->st[pos * g->s.naggs + i],
                             &g->counts[pos * g->s.naggs + i], g->by_node)) < 0)
                return rc;
        if ((rc = kg_exec__tick(x)) < 0) return rc;
    }
    if (rc < 0) return rc;
end:
    if (g->groups.n == 0 && g->s.nkeys == 0) { /* one row for no input */
        rc = kg_rowset__add(&g->groups, g->keybuf, &pos, &added);
        if (rc < 0 || add_group_states(g, x) < 0)
            return kg_exec__fail(x, KG_ENOMEM, g->base.span, "out of memory");
    }
    return KG_OK;
}

static int agg_next(kg_op *op, kg_exec *x)
{
    op_agg *g = (op_agg *)op;
    uint32_t i;
    int rc;
    if (!g->consumed) {
        if ((rc = consume(g, x)) < 0) return rc;
        g->consumed = 1;
        g->pos = 0;
    }
    if (g->pos >= g->groups.n) return 0;
    for (i = 0; i < g->s.nkeys; i++) {
        const kg_value *k = &g->groups.vals[g->pos * g->s.nkeys + i];
        if (k->type == KG_VNODE && g->s.key_node[i] >= 0 && g->by_node)
            k = kg_qv__prop(x, KG_NODE, k->u.id, KG_NONE, 1);
        kg_exec__set(x, g->s.key_slots[i],
                     k ? kg_value_retain(k) : KG_NULL_VALUE);
    }
    for (i = 0; i < g->s.naggs; i++) {
        kg_value v;
        size_t k = g->pos * g->s.naggs + i;
        if ((rc = finish(x, g->s.aggs[i], &g->st[k], g->counts[k], &v)) < 0)
            return rc;
        kg_exec__set(x, g->s.aggs[i]->slot, v);
    }
    for (i = 0; i < g->s.npost; i++) {
        kg_value v;
        if ((rc = kg_expr__eval(x, g->s.post[i], &v)) < 0) return rc;
        kg_exec__set(x, g->s.post_slots[i], v);
    }
    g->pos++;
    return 1;
}

static void agg_clear(op_agg *g)
{
    size_t i;
    uint32_t w = g->groups.width;
    for (i = 0; i < g->groups.n * g->s.naggs; i++) {
        state_free(&g->st[i]);
        g->counts[i] = 0;
    }
    kg_rowset__free(&g->groups);
    g->groups.width = w;
    g->consumed = 0;
    kg_free(g->nodemap);
    g->nodemap = NULL;
}

static void agg_reset(kg_op *op)
{
    agg_clear((op_agg *)op);
}

static void agg_free(kg_op *op)
{
    op_agg *g = (op_agg *)op;
    agg_clear(g);
    kg_free(g->st);
    kg_free(g->counts);
    kg_free(g->keybuf);
}

static void agg_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_agg *g = (const op_agg *)op;
    uint32_t i;
    kg_buf_puts(out, "keys [");
    for (i = 0; i < g->s.nkeys; i++) {
        if (i) kg_buf_puts(out, ", ");
        kg_buf_put_safe(out, x->text + g->s.keys[i]->span.offset,
                        g->s.keys[i]->span.len);
    }
    kg_buf_puts(out, "] aggregates [");
    for (i = 0; i < g->s.naggs; i++) {
        if (i) kg_buf_puts(out, ", ");
        kg_buf_put_safe(out, x->text + g->s.aggs[i]->span.offset,
                        g->s.aggs[i]->span.len);
    }
    kg_buf_putc(out, ']');
}

static const kg_op_vtable agg_vt = {"Aggregate", agg_next, agg_reset, agg_free,
                                    agg_explain};

kg_op *kg_op_new_aggregate(kg_op *child, const kg_agg_spec *spec)
{
    op_agg *g = kg_op__alloc(sizeof *g, &agg_vt, child);
    if (!g) return NULL;
    g->s = *spec;
    g->groups.width = spec->nkeys;
    g->keybuf = kg_calloc(spec->nkeys + 1, sizeof *g->keybuf);
    if (!g->keybuf) {
        kg_free(g);
        return NULL;
    }
    g->base.eager = 1;
    return &g->base;
}
