/* expr.c - expression evaluation over the current row.
 *
 * Expressions run straight from the bound AST: slots index the shared row,
 * atoms index the graph's properties, functions come from the registry the
 * binder resolved. Values returned are owned by the caller. The hot paths
 * (a variable, a property of a variable, a comparison between them) borrow
 * instead of retaining: `borrow()` hands back a pointer into the row or the
 * graph and only evaluates into the caller's temporary when it must.
 *
 * Null follows openCypher: most operators propagate it, AND / OR / XOR /
 * NOT use three-valued logic, and a WHERE keeps a row only when true.
 */
#include "query_int.h"


/* Operand for reading: borrowed when possible, else evaluated into *tmp
 * (which the caller releases; it stays null when nothing was made). */
static int borrow(kg_exec *x, const ast_expr *e, kg_value *tmp,
                  const kg_value **out);

static int type_err(kg_exec *x, const ast_expr *e, const char *what,
                    const kg_value *v)
{
    return kg_exec__fail(x, KG_ETYPE, e->span, "%s, got %s", what,
                         kg_value_type_name(v->type));
}

static int deleted(kg_exec *x, const ast_expr *e, const kg_value *v)
{
    return kg_exec__fail(x, KG_ETYPE, e->span, "the %s was deleted",
                         v->type == KG_VNODE ? "node" : "relationship");
}

/* Property `name` of a node, relationship or map; null when absent. A
 * temporal value's field (d.year) is computed into *made, which *out then
 * points to and the caller releases. */
static int prop_of(kg_exec *x, const ast_expr *e, const kg_value *base,
                   const kg_value **out, kg_value *made)
{
    kg_atom atom;
    int rc;
    *out = NULL;
    if (KG_VTYPE_IS_TEMPORAL(base->type)) {
        if ((rc = kg_func__temporal_field(x, e, base, made)) == KG_OK)
            *out = made;
        return rc;
    }
    switch (base->type) {
    case KG_VNULL: return KG_OK;
    case KG_VNODE:
    case KG_VREL: {
        kg_elem kind = base->type == KG_VNODE ? KG_NODE : KG_EDGE;
        if (!kg_graph_alive(x->g, kind, base->u.id)) return deleted(x, e, base);
        atom = kg_bind__atom(x->g, (kg_atom *)&e->atom, e->name);
        *out = kg_qv__prop(x, kind, base->u.id, atom, e->flags & AST_F_ISID);
        return KG_OK;
    }
    case KG_VMAP: *out = kg_value_map_get(base, e->name); return KG_OK;
    default:
        return kg_exec__fail(x, KG_ETYPE, e->span,
                             "cannot read property '%s' of %s", e->name,
                             kg_value_type_name(base->type));
    }
}

static int borrow(kg_exec *x, const ast_expr *e, kg_value *tmp,
                  const kg_value **out)
{
    static const kg_value null_value = {KG_VNULL, {0}};
    int rc;
    *tmp = KG_NULL_VALUE;
    switch (e->kind) {
    case AST_E_LIT: *out = &e->val; return KG_OK;
    case AST_E_VAR: *out = &x->row[e->slot]; return KG_OK;
    case AST_E_CALL:
    case AST_E_COUNTSTAR:
        if (e->op) { /* aggregate: its result is in a slot */
            *out = &x->row[e->slot];
            return KG_OK;
        }
        break;
    case AST_E_PROP: {
        kg_value base_tmp, made = KG_NULL_VALUE;
        const kg_value *base, *v;
        if ((rc = borrow(x, e->a, &base_tmp, &base)) < 0) return rc;
        rc = prop_of(x, e, base, &v, &made);
        if (rc == KG_OK && v == &made) {
            *tmp = made; /* ours to release */
            *out = tmp;
        } else if (rc == KG_OK && v) {
            if (base_tmp.type != KG_VNULL) *tmp = kg_value_retain(v);
            *out = base_tmp.type != KG_VNULL ? tmp : v;
        } else {
            *out = &null_value;
        }
        kg_value_release(&base_tmp);
        return rc;
    }
    default: break;
    }
    if ((rc = kg_expr__eval(x, e, tmp)) < 0) return rc;
    *out = tmp;
    return KG_OK;
}

/* ---- three-valued logic ---- */

int kg_expr__truth(kg_exec *x, const ast_expr *e, int *t)
{
    int rc, ta, tb;
    kg_value tmp;
    const kg_value *v;
    if (e->kind == AST_E_BINOP &&
        (e->op == AST_OP_AND || e->op == AST_OP_OR || e->op == AST_OP_XOR)) {
        if ((rc = kg_expr__truth(x, e->a, &ta)) < 0) return rc;
        if (e->op == AST_OP_AND && ta == KG_TV_FALSE) return *t = ta, KG_OK;
        if (e->op == AST_OP_OR && ta == KG_TV_TRUE) return *t = ta, KG_OK;
        if ((rc = kg_expr__truth(x, e->b, &tb)) < 0) return rc;
        if (e->op == AST_OP_AND)
            *t = tb == KG_TV_FALSE ? KG_TV_FALSE
                 : (ta == KG_TV_NULL || tb == KG_TV_NULL) ? KG_TV_NULL
                                                          : KG_TV_TRUE;
        else if (e->op == AST_OP_OR)
            *t = tb == KG_TV_TRUE ? KG_TV_TRUE
                 : (ta == KG_TV_NULL || tb == KG_TV_NULL) ? KG_TV_NULL
                                                          : KG_TV_FALSE;
        else
            *t = (ta == KG_TV_NULL || tb == KG_TV_NULL) ? KG_TV_NULL
                                                        : (ta != tb);
        return KG_OK;
    }
    if (e->kind == AST_E_NOT) {
        if ((rc = kg_expr__truth(x, e->a, &ta)) < 0) return rc;
        *t = ta == KG_TV_NULL ? KG_TV_NULL : !ta;
        return KG_OK;
    }
    if (e->kind == AST_E_BINOP && e->op >= AST_OP_EQ && e->op <= AST_OP_GE) {
        kg_value ta_, tb_;
        const kg_value *a, *b;
        int c;
        if ((rc = borrow(x, e->a, &ta_, &a)) < 0) return rc;
        if ((rc = borrow(x, e->b, &tb_, &b)) < 0) {
            kg_value_release(&ta_);
            return rc;
        }
        if (e->op == AST_OP_EQ || e->op == AST_OP_NE) {
            c = kg_qv__equals(a, b);
            *t = c == KG_TV_NULL ? c : e->op == AST_OP_EQ ? c : !c;
        } else {
            c = kg_qv__compare(a, b);
            if (c == 2) *t = KG_TV_NULL;
            else if (c == 3) *t = KG_TV_FALSE;
            else if (e->op == AST_OP_LT) *t = c < 0;
            else if (e->op == AST_OP_GT) *t = c > 0;
            else if (e->op == AST_OP_LE) *t = c <= 0;
            else *t = c >= 0;
        }
        kg_value_release(&ta_);
        kg_value_release(&tb_);
        return KG_OK;
    }
    if ((rc = borrow(x, e, &tmp, &v)) < 0) return rc;
    if (v->type == KG_VBOOL) *t = v->u.b ? KG_TV_TRUE : KG_TV_FALSE;
    else if (v->type == KG_VNULL) *t = KG_TV_NULL;
    else rc = type_err(x, e, "expected a Boolean", v);
    kg_value_release(&tmp);
    return rc;
}

static kg_value tv_value(int t)
{
    return t == KG_TV_NULL ? KG_NULL_VALUE : kg_value_bool(t == KG_TV_TRUE);
}

/* ---- indexing ---- */

static int index_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value ta, tb;
    const kg_value *a, *b, *v = NULL;
    int rc;
    *out = KG_NULL_VALUE;
    if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
    if ((rc = borrow(x, e->b, &tb, &b)) < 0) goto done;
    if (a->type == KG_VNULL || b->type == KG_VNULL) goto done;
    if (a->type == KG_VLIST) {
        int64_t i, n = a->u.list->len;
        if (b->type != KG_VINT) {
            rc = type_err(x, e->b, "list index must be an Integer", b);
            goto done;
        }
        i = b->u.i < 0 ? b->u.i + n : b->u.i;
        if (i >= 0 && i < n) v = &a->u.list->items[i];
    } else if (a->type == KG_VMAP || a->type == KG_VNODE ||
               a->type == KG_VREL) {
        if (b->type != KG_VSTRING) {
            rc = type_err(x, e->b, "map key must be a String", b);
            goto done;
        }
        if (a->type == KG_VMAP) {
            v = kg_value_map_getn(a, b->u.str->s, b->u.str->len);
        } else {
            kg_elem kind = a->type == KG_VNODE ? KG_NODE : KG_EDGE;
            kg_atom at = kg_graph_atom_find(x->g, b->u.str->s, b->u.str->len);
            if (!kg_graph_alive(x->g, kind, a->u.id)) {
                rc = deleted(x, e, a);
                goto done;
            }
            v = kg_qv__prop(x, kind, a->u.id, at, strcmp(b->u.str->s, "id") == 0);
        }
    } else {
        rc = type_err(x, e->a, "cannot index this value", a);
        goto done;
    }
    if (v) *out = kg_value_retain(v);
done:
    kg_value_release(&ta);
    kg_value_release(&tb);
    return rc;
}

static int slice_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value l = KG_NULL_VALUE, f = KG_NULL_VALUE, t = KG_NULL_VALUE;
    int rc;
    int64_t n, from = 0, to, i;
    *out = KG_NULL_VALUE;
    if ((rc = kg_expr__eval(x, e->a, &l)) < 0) return rc;
    if ((e->b && (rc = kg_expr__eval(x, e->b, &f)) < 0) ||
        (e->c && (rc = kg_expr__eval(x, e->c, &t)) < 0))
        goto done;
    if (l.type == KG_VNULL || (e->b && f.type == KG_VNULL) ||
        (e->c && t.type == KG_VNULL))
        goto done;
    if (l.type != KG_VLIST) {
        rc = type_err(x, e->a, "cannot slice this value", &l);
        goto done;
    }
    if ((e->b && f.type != KG_VINT) || (e->c && t.type != KG_VINT)) {
        rc = type_err(x, e, "slice bounds must be Integers",
                      e->b && f.type != KG_VINT ? &f : &t);
        goto done;
    }
    n = l.u.list->len;
    to = n;
    if (e->b) from = f.u.i < 0 ? f.u.i + n : f.u.i;
    if (e->c) to = t.u.i < 0 ? t.u.i + n : t.u.i;
    if (from < 0) from = 0;
    if (to > n) to = n;
    *out = kg_value_list(0);
    for (i = from; i < to; i++)
        if (kg_value_list_push(out, kg_value_retain(&l.u.list->items[i])) < 0) {
            rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
            break;
        }
done:
    kg_value_release(&l);
    kg_value_release(&f);
    kg_value_release(&t);
    return rc;
}

/* ---- compound values ---- */

static int list_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    uint32_t i;
    int rc;
    *out = kg_value_list(e->nargs);
    if (out->type != KG_VLIST)
        return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
    for (i = 0; i < e->nargs; i++) {
        kg_value v;
        if ((rc = kg_expr__eval(x, e->args[i], &v)) < 0) {
            kg_value_release(out); /* callers own *out only on success */
            return rc;
        }
        kg_value_list_set(out, i, v);
    }
    return KG_OK;
}

static int map_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    uint32_t i;
    int rc;
    *out = kg_value_map();
    if (out->type != KG_VMAP)
        return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
    for (i = 0; i < e->nargs; i++) {
        kg_value v;
        if ((rc = kg_expr__eval(x, e->args[i], &v)) < 0) {
            kg_value_release(out); /* callers own *out only on success */
            return rc;
        }
        if (kg_value_map_set(out, e->names[i], strlen(e->names[i]), v) < 0) {
            kg_value_release(out);
            return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
        }
    }
    return KG_OK;
}

static int case_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    uint32_t i;
    int rc, t;
    kg_value subj = KG_NULL_VALUE;
    if (e->a && (rc = kg_expr__eval(x, e->a, &subj)) < 0) return rc;
    for (i = 0; i + 1 < e->nargs; i += 2) {
        if (e->a) {
            kg_value w;
            if ((rc = kg_expr__eval(x, e->args[i], &w)) < 0) goto done;
            t = kg_qv__equals(&subj, &w);
            kg_value_release(&w);
        } else if ((rc = kg_expr__truth(x, e->args[i], &t)) < 0) {
            goto done;
        }
        if (t == KG_TV_TRUE) {
            rc = kg_expr__eval(x, e->args[i + 1], out);
            goto done;
        }
    }
    rc = e->b ? kg_expr__eval(x, e->b, out) : (*out = KG_NULL_VALUE, KG_OK);
done:
    kg_value_release(&subj);
    return rc;
}

static int call_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value local[8], *args = local;
    uint32_t i, n = 0;
    int rc = KG_OK;
    if (e->nargs > 8 && !(args = kg_calloc(e->nargs, sizeof *args)))
        return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
    for (; n < e->nargs; n++)
        if ((rc = kg_expr__eval(x, e->args[n], &args[n])) < 0) goto done;
    *out = KG_NULL_VALUE;
    rc = e->fn->fn(x, e, args, e->nargs, out);
done:
    for (i = 0; i < n; i++) kg_value_release(&args[i]);
    if (args != local) kg_free(args);
    return rc;
}

/* [var IN list WHERE pred | expr] and the quantifiers all/any/none/single */
static int comprehension(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value list;
    uint32_t i, ntrue = 0, nfalse = 0, nnull = 0;
    int rc, t;
    *out = KG_NULL_VALUE;
    if ((rc = kg_expr__eval(x, e->a, &list)) < 0) return rc;
    if (list.type == KG_VNULL) return KG_OK;
    if (list.type != KG_VLIST) {
        rc = type_err(x, e->a, "expected a List", &list);
        kg_value_release(&list);
        return rc;
    }
    if (e->kind == AST_E_LISTCOMP) *out = kg_value_list(0);
    for (i = 0; i < list.u.list->len; i++) {
        kg_exec__set(x, e->slot, kg_value_retain(&list.u.list->items[i]));
        t = KG_TV_TRUE;
        if (e->b && (rc = kg_expr__truth(x, e->b, &t)) < 0) break;
        if (e->kind == AST_E_QUANT) {
            ntrue += t == KG_TV_TRUE;
            nfalse += t == KG_TV_FALSE;
            nnull += t == KG_TV_NULL;
            continue;
        }
        if (t != KG_TV_TRUE) continue;
        {
            kg_value v;
            if (e->c) {
                if ((rc = kg_expr__eval(x, e->c, &v)) < 0) break;
            } else {
                v = kg_value_retain(&list.u.list->items[i]);
            }
            if (kg_value_list_push(out, v) < 0) {
                rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
                break;
            }
        }
    }
    kg_exec__set(x, e->slot, KG_NULL_VALUE);
    kg_value_release(&list);
    if (rc < 0 || e->kind != AST_E_QUANT) return rc;
    switch (e->op) {
    case AST_Q_ALL:
        *out = tv_value(nfalse ? KG_TV_FALSE : nnull ? KG_TV_NULL : KG_TV_TRUE);
        break;
    case AST_Q_ANY:
        *out = tv_value(ntrue ? KG_TV_TRUE : nnull ? KG_TV_NULL : KG_TV_FALSE);
        break;
    case AST_Q_NONE:
        *out = tv_value(ntrue ? KG_TV_FALSE : nnull ? KG_TV_NULL : KG_TV_TRUE);
        break;
    default:
        *out = tv_value(ntrue > 1 ? KG_TV_FALSE
                        : nnull   ? KG_TV_NULL
                                  : ntrue == 1 ? KG_TV_TRUE : KG_TV_FALSE);
        break;
    }
    return KG_OK;
}

static int reduce_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value acc, list;
    uint32_t i;
    int rc;
    *out = KG_NULL_VALUE;
    if ((rc = kg_expr__eval(x, e->a, &acc)) < 0) return rc;
    if ((rc = kg_expr__eval(x, e->b, &list)) < 0) {
        kg_value_release(&acc);
        return rc;
    }
    if (list.type == KG_VNULL) goto done;
    if (list.type != KG_VLIST) {
        rc = type_err(x, e->b, "expected a List", &list);
        goto done;
    }
    for (i = 0; i < list.u.list->len; i++) {
        kg_exec__set(x, e->slot2, acc);
        acc = KG_NULL_VALUE;
        kg_exec__set(x, e->slot, kg_value_retain(&list.u.list->items[i]));
        if ((rc = kg_expr__eval(x, e->c, &acc)) < 0) break;
    }
    kg_exec__set(x, e->slot, KG_NULL_VALUE);
    kg_exec__set(x, e->slot2, KG_NULL_VALUE);
    if (rc == KG_OK) {
        *out = acc;
        acc = KG_NULL_VALUE;
    }
done:
    kg_value_release(&acc);
    kg_value_release(&list);
    return rc;
}

/* Pattern predicate: does the sub-plan yield a row? Pattern comprehension:
 * the list of c over its rows. */
static int pattern_expr(kg_exec *x, const ast_expr *e, kg_value *out)
{
    int rc;
    kg_op__reset(e->plan);
    if (e->kind == AST_E_PATTERN) {
        rc = kg_op__next(e->plan, x);
        if (rc < 0) return rc;
        *out = kg_value_bool(rc == 1);
        kg_op__reset(e->plan);
        return KG_OK;
    }
    *out = kg_value_list(0);
    while ((rc = kg_op__next(e->plan, x)) == 1) {
        kg_value v;
        if ((rc = kg_expr__eval(x, e->c, &v)) < 0) return rc;
        if (kg_value_list_push(out, v) < 0)
            return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
    }
    kg_op__reset(e->plan);
    return rc;
}

static int map_projection(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value base;
    uint32_t i;
    int rc;
    *out = KG_NULL_VALUE;
    if ((rc = kg_expr__eval(x, e->a, &base)) < 0) return rc;
    if (base.type == KG_VNULL) return KG_OK;
    if (e->flags & AST_F_STAR) {
        if (base.type == KG_VMAP) *out = kg_value_retain(&base);
        else if (base.type == KG_VNODE || base.type == KG_VREL)
            rc = kg_qv__props_map(x->g, base.type == KG_VNODE ? KG_NODE : KG_EDGE,
                                  base.u.id, out);
    } else {
        *out = kg_value_map();
    }
    if (rc == KG_OK && base.type != KG_VMAP && base.type != KG_VNODE &&
        base.type != KG_VREL)
        rc = type_err(x, e->a, "map projection needs a map, node or "
                               "relationship", &base);
    for (i = 0; rc == KG_OK && i < e->nargs; i++) {
        kg_value v = KG_NULL_VALUE;
        if (e->args[i]) {
            rc = kg_expr__eval(x, e->args[i], &v);
        } else {
            ast_expr pe = *e;
            const kg_value *pv;
            pe.name = e->names[i];
            pe.atom = kg_graph_atom_find(x->g, pe.name, strlen(pe.name));
            pe.flags = strcmp(pe.name, "id") == 0 ? AST_F_ISID : 0;
            kg_value made = KG_NULL_VALUE;
            if ((rc = prop_of(x, &pe, &base, &pv, &made)) == KG_OK && pv)
                v = kg_value_retain(pv);
            kg_value_release(&made);
        }
        if (rc == KG_OK &&
            kg_value_map_set(out, e->names[i], strlen(e->names[i]), v) < 0)
            rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
    }
    kg_value_release(&base);
    return rc;
}

/* The evaluator proper; kg_expr__eval wraps it so that a value half built
 * when an error struck (a list filled up to the failing item) is released
 * in one place. */
static int eval(kg_exec *x, const ast_expr *e, kg_value *out)
{
    kg_value ta, tb;
    const kg_value *a, *b, *v;
    int rc, t;
    *out = KG_NULL_VALUE;
    switch (e->kind) {
    case AST_E_LIT: *out = kg_value_retain(&e->val); return KG_OK;
    case AST_E_PARAM:
        v = x->env->params ? kg_value_map_get(x->env->params, e->name) : NULL;
        if (v) *out = kg_value_retain(v);
        return KG_OK;
    case AST_E_VAR: *out = kg_value_retain(&x->row[e->slot]); return KG_OK;
    case AST_E_PROP:
        if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
        {
            kg_value made = KG_NULL_VALUE;
            if ((rc = prop_of(x, e, a, &v, &made)) == KG_OK && v)
                *out = kg_value_retain(v);
            kg_value_release(&made);
        }
        kg_value_release(&ta);
        return rc;
    case AST_E_INDEX: return index_expr(x, e, out);
    case AST_E_SLICE: return slice_expr(x, e, out);
    case AST_E_BINOP:
        if (e->op <= AST_OP_AND || (e->op >= AST_OP_EQ && e->op <= AST_OP_GE)) {
            if ((rc = kg_expr__truth(x, e, &t)) < 0) return rc;
            *out = tv_value(t);
            return KG_OK;
        }
        if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
        if ((rc = borrow(x, e->b, &tb, &b)) == KG_OK)
            rc = kg_expr__binop(x, e, a, b, out);
        kg_value_release(&ta);
        kg_value_release(&tb);
        return rc;
    case AST_E_NOT:
        if ((rc = kg_expr__truth(x, e, &t)) < 0) return rc;
        *out = tv_value(t);
        return KG_OK;
    case AST_E_NEG:
        if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
        if (a->type == KG_VINT && !(e->flags & AST_F_NOT)) {
            if (a->u.i == INT64_MIN)
                rc = kg_exec__fail(x, KG_ETYPE, e->span, "integer overflow");
            else
                *out = kg_value_int(-a->u.i);
        } else if (a->type == KG_VFLOAT && !(e->flags & AST_F_NOT)) {
            *out = kg_value_float(-a->u.f);
        } else if (a->type == KG_VINT || a->type == KG_VFLOAT) {
            *out = kg_value_retain(a);
        } else if (a->type != KG_VNULL) {
            rc = type_err(x, e, "unary minus expects a number", a);
        }
        kg_value_release(&ta);
        return rc;
    case AST_E_ISNULL:
        if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
        *out = kg_value_bool((a->type == KG_VNULL) != !!(e->flags & AST_F_NOT));
        kg_value_release(&ta);
        return KG_OK;
    case AST_E_HASLABEL: {
        uint32_t i;
        if ((rc = borrow(x, e->a, &ta, &a)) < 0) return rc;
        if (a->type == KG_VNODE) {
            int all = 1;
            for (i = 0; i < e->nnames && all; i++) {
                kg_atom at = kg_bind__atom(x->g, &e->atoms[i], e->names[i]);
                all = at != KG_NONE && kg_graph_has_label(x->g, a->u.id, at);
            }
            *out = kg_value_bool(all);
        } else if (a->type == KG_VREL) { /* r:T tests the type */
            kg_atom ty = kg_graph_edge_type(x->g, a->u.id);
            int all = 1;
            for (i = 0; i < e->nnames && all; i++)
                all = kg_bind__atom(x->g, &e->atoms[i], e->names[i]) == ty;
            *out = kg_value_bool(all);
        } else if (a->type != KG_VNULL) {
            rc = type_err(x, e, "label test expects a node", a);
        }
        kg_value_release(&ta);
        return rc;
    }
    case AST_E_LIST: return list_expr(x, e, out);
    case AST_E_MAP: return map_expr(x, e, out);
    case AST_E_CASE: return case_expr(x, e, out);
    case AST_E_CALL:
        if (e->op) {
            *out = kg_value_retain(&x->row[e->slot]);
            return KG_OK;
        }
        return call_expr(x, e, out);
    case AST_E_COUNTSTAR: *out = kg_value_retain(&x->row[e->slot]); return KG_OK;
    case AST_E_LISTCOMP:
    case AST_E_QUANT: return comprehension(x, e, out);
    case AST_E_REDUCE: return reduce_expr(x, e, out);
    case AST_E_PATTERN:
    case AST_E_PATCOMP: return pattern_expr(x, e, out);
    case AST_E_MAPPROJ: return map_projection(x, e, out);
    default:
        return kg_exec__fail(x, KG_ERROR, e->span,
                             "internal error: unknown expression kind %d",
                             e->kind);
    }
}

int kg_expr__eval(kg_exec *x, const ast_expr *e, kg_value *out)
{
    int rc = eval(x, e, out);
    if (rc < 0) kg_value_release(out);
    return rc;
}

int kg_expr__count(kg_exec *x, const ast_expr *e, const char *what,
                   int64_t *out)
{
    kg_value v;
    int rc = kg_expr__eval(x, e, &v);
    if (rc < 0) return rc;
    if (v.type != KG_VINT || v.u.i < 0) {
        rc = kg_exec__fail(x, KG_ESYNTAX, e->span,
                           "%s expects a non-negative Integer, got %s", what,
                           v.type == KG_VINT ? "a negative number"
                                             : kg_value_type_name(v.type));
        kg_value_release(&v);
        return rc;
    }
    *out = v.u.i;
    return KG_OK;
}
