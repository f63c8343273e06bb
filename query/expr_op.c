/* expr_op.c - binary operators: arithmetic, concatenation, IN, string
 * predicates and regular expressions.
 *
 * Integer arithmetic is checked: overflow is a runtime error, as openCypher
 * requires, never a silent wrap. Mixed integer / float arithmetic is done
 * in double. String predicates (STARTS WITH, ENDS WITH, CONTAINS, =~) give
 * null when either side is not a string.
 *
 * =~ uses POSIX extended regular expressions (<regex.h>, REG_EXTENDED)
 * matched against the whole string, as Cypher's Java patterns are; a
 * leading "(?i)" turns on case-insensitive matching. Java-only syntax
 * (lookaround, \d, lazy quantifiers) is not available: README documents it.
 * Compiled patterns are cached per query.
 */
#include "query_int.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>

static int num(const kg_value *v)
{
    return v->type == KG_VINT || v->type == KG_VFLOAT;
}

static double dbl(const kg_value *v)
{
    return v->type == KG_VINT ? (double)v->u.i : v->u.f;
}

static int bad_types(kg_exec *x, const ast_expr *e, const kg_value *a,
                     const kg_value *b)
{
    return kg_exec__fail(x, KG_ETYPE, e->span,
                         "cannot apply '%s' to %s and %s",
                         kg_ast_binop_name(e->op), kg_value_type_name(a->type),
                         kg_value_type_name(b->type));
}

static int overflow(kg_exec *x, const ast_expr *e)
{
    return kg_exec__fail(x, KG_ETYPE, e->span, "integer overflow in '%s'",
                         kg_ast_binop_name(e->op));
}

static int text(const kg_value *v)
{
    return v->type == KG_VSTRING || v->type == KG_VDATE;
}

/* list + list, list + value, value + list */
static int concat_list(kg_exec *x, const ast_expr *e, const kg_value *a,
                       const kg_value *b, kg_value *out)
{
    uint32_t i;
    *out = kg_value_list(0);
    if (a->type == KG_VLIST) {
        for (i = 0; i < a->u.list->len; i++)
            if (kg_value_list_push(out, kg_value_retain(&a->u.list->items[i])) < 0)
                goto oom;
    } else if (kg_value_list_push(out, kg_value_retain(a)) < 0) {
        goto oom;
    }
    if (b->type == KG_VLIST) {
        for (i = 0; i < b->u.list->len; i++)
            if (kg_value_list_push(out, kg_value_retain(&b->u.list->items[i])) < 0)
                goto oom;
    } else if (kg_value_list_push(out, kg_value_retain(b)) < 0) {
        goto oom;
    }
    return KG_OK;
oom:
    return kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
}

static int concat_str(kg_exec *x, const ast_expr *e, const kg_value *a,
                      const kg_value *b, kg_value *out)
{
    kg_value sa = KG_NULL_VALUE, sb = KG_NULL_VALUE;
    int ok1 = 1, ok2 = 1, rc = KG_OK;
    kg_buf buf = KG_BUF_INIT;
    if (!text(a)) kg_func__to_string(a, &sa, &ok1);
    if (!text(b)) kg_func__to_string(b, &sb, &ok2);
    if (!ok1 || !ok2) {
        rc = bad_types(x, e, a, b);
        goto done;
    }
    if (text(a)) kg_buf_put(&buf, a->u.str->s, a->u.str->len);
    else kg_buf_put(&buf, sa.u.str->s, sa.u.str->len);
    if (text(b)) kg_buf_put(&buf, b->u.str->s, b->u.str->len);
    else kg_buf_put(&buf, sb.u.str->s, sb.u.str->len);
    *out = kg_value_string(buf.data ? buf.data : "", buf.len);
    if (buf.oom || out->type == KG_VNULL)
        rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
done:
    kg_buf_free(&buf);
    kg_value_release(&sa);
    kg_value_release(&sb);
    return rc;
}

static int arith(kg_exec *x, const ast_expr *e, const kg_value *a,
                 const kg_value *b, kg_value *out)
{
    int64_t r;
    if (a->type == KG_VINT && b->type == KG_VINT) {
        int64_t i = a->u.i, j = b->u.i;
        switch (e->op) {
        case AST_OP_ADD:
            if (__builtin_add_overflow(i, j, &r)) return overflow(x, e);
            break;
        case AST_OP_SUB:
            if (__builtin_sub_overflow(i, j, &r)) return overflow(x, e);
            break;
        case AST_OP_MUL:
            if (__builtin_mul_overflow(i, j, &r)) return overflow(x, e);
            break;
        case AST_OP_DIV:
        case AST_OP_MOD:
            if (j == 0)
                return kg_exec__fail(x, KG_ETYPE, e->span, "division by zero");
            if (i == INT64_MIN && j == -1) {
                if (e->op == AST_OP_DIV) return overflow(x, e);
                r = 0;
            } else {
                r = e->op == AST_OP_DIV ? i / j : i % j;
            }
            break;
        default: /* ^ */
            *out = kg_value_float(pow((double)i, (double)j));
            return KG_OK;
        }
        *out = kg_value_int(r);
        return KG_OK;
    }
    {
        double f = dbl(a), g = dbl(b), v;
        switch (e->op) {
        case AST_OP_ADD: v = f + g; break;
        case AST_OP_SUB: v = f - g; break;
        case AST_OP_MUL: v = f * g; break;
        case AST_OP_DIV: v = f / g; break;
        case AST_OP_MOD: v = fmod(f, g); break;
        default: v = pow(f, g); break;
        }
        *out = kg_value_float(v);
    }
    return KG_OK;
}

static int in_list(kg_exec *x, const ast_expr *e, const kg_value *a,
                   const kg_value *b, kg_value *out)
{
    uint32_t i;
    int sawnull = 0;
    if (b->type == KG_VNULL) return KG_OK;
    if (b->type != KG_VLIST)
        return kg_exec__fail(x, KG_ETYPE, e->b->span,
                             "IN expects a List on the right, got %s",
                             kg_value_type_name(b->type));
    for (i = 0; i < b->u.list->len; i++) {
        int t = kg_qv__equals(a, &b->u.list->items[i]);
        if (t == KG_TV_TRUE) {
            *out = kg_value_bool(1);
            return KG_OK;
        }
        if (t == KG_TV_NULL) sawnull = 1;
    }
    if (!sawnull) *out = kg_value_bool(0);
    return KG_OK;
}

/* t (not empty) occurs in s: memchr (vectorised) finds the candidates,
 * far ahead of a byte loop over the many strings a scan tests. */
static int contains(const kg_vstr *s, const kg_vstr *t)
{
    const char *p = s->s, *end;
    if (t->len > s->len) return 0;
    end = s->s + (s->len - t->len) + 1;
    while (p < end && (p = memchr(p, t->s[0], (size_t)(end - p))) != NULL) {
        if (memcmp(p, t->s, t->len) == 0) return 1;
        p++;
    }
    return 0;
}

static int str_pred(const ast_expr *e, const kg_value *a, const kg_value *b,
                    kg_value *out)
{
    const kg_vstr *s, *t;
    if (!text(a) || !text(b)) return KG_OK; /* null */
    s = a->u.str;
    t = b->u.str;
    switch (e->op) {
    case AST_OP_STARTS:
        *out = kg_value_bool(t->len <= s->len && memcmp(s->s, t->s, t->len) == 0);
        break;
    case AST_OP_ENDS:
        *out = kg_value_bool(t->len <= s->len &&
                             memcmp(s->s + s->len - t->len, t->s, t->len) == 0);
        break;
    default: /* CONTAINS */
        if (t->len == 0) {
            *out = kg_value_bool(1);
            break;
        }
        *out = kg_value_bool(contains(s, t));
        break;
    }
    return KG_OK;
}

int kg_expr__strtest(int op, const kg_value *a, const kg_value *b)
{
    kg_value v = KG_NULL_VALUE;
    str_pred(&(ast_expr){.op = (uint8_t)op}, a, b, &v);
    return v.type == KG_VNULL ? KG_TV_NULL : v.u.b ? KG_TV_TRUE : KG_TV_FALSE;
}

int kg_expr__binop(kg_exec *x, const ast_expr *e, const kg_value *a,
                   const kg_value *b, kg_value *out)
{
    *out = KG_NULL_VALUE;
    switch (e->op) {
    case AST_OP_IN:
        if (b->type == KG_VLIST && b->u.list->len == 0) {
            *out = kg_value_bool(0); /* null IN [] is false */
            return KG_OK;
        }
        return in_list(x, e, a, b, out);
    case AST_OP_STARTS:
    case AST_OP_ENDS:
    case AST_OP_CONTAINS: return str_pred(e, a, b, out);
    case AST_OP_REGEX: return kg_expr__regex(x, e, a, b, out);
    default: break;
    }
    if (a->type == KG_VNULL || b->type == KG_VNULL) return KG_OK;
    if (kg_func__temporal_op(e->op, a, b)) /* func_temporal.c */
        return kg_func__temporal_arith(x, e, a, b, out);
    if (e->op == AST_OP_ADD) {
        if (a->type == KG_VLIST || b->type == KG_VLIST)
            return concat_list(x, e, a, b, out);
        if (text(a) || text(b)) return concat_str(x, e, a, b, out);
    }
    if (num(a) && num(b)) return arith(x, e, a, b, out);
    return bad_types(x, e, a, b);
}

/* ---- regular expressions ---- */

#define REGEX_CACHE 16

typedef struct {
    char *pattern;
    regex_t re;
} rx_entry;

typedef struct {
    rx_entry e[REGEX_CACHE];
    uint32_t n, next;
} rx_cache;

static rx_entry *rx_get(kg_exec *x, const ast_expr *e, const kg_vstr *pat,
                        int *rc)
{
    rx_cache *c = x->regex_cache;
    rx_entry *slot;
    regex_t re;
    kg_buf src = KG_BUF_INIT;
    const char *p = pat->s;
    char *copy;
    int flags = REG_EXTENDED | REG_NOSUB, err, oom;
    uint32_t i;
    *rc = KG_OK;
    if (!c && !(c = x->regex_cache = kg_calloc(1, sizeof *c))) {
        *rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
        return NULL;
    }
    for (i = 0; i < c->n; i++)
        if (strcmp(c->e[i].pattern, pat->s) == 0) return &c->e[i];
    if (strncmp(p, "(?i)", 4) == 0) {
        flags |= REG_ICASE;
        p += 4;
    }
    kg_buf_printf(&src, "^(%s)$", p);
    oom = src.oom;
    err = oom ? REG_ESPACE : regcomp(&re, src.data, flags);
    kg_buf_free(&src);
    if (err) {
        char msg[128] = "out of memory";
        if (!oom) regerror(err, &re, msg, sizeof msg);
        *rc = kg_exec__fail(x, KG_ETYPE, e->b->span,
                            "invalid regular expression: %s", msg);
        return NULL;
    }
    if (!(copy = kg_strdup(pat->s))) {
        regfree(&re);
        *rc = kg_exec__fail(x, KG_ENOMEM, e->span, "out of memory");
        return NULL;
    }
    if (c->n < REGEX_CACHE) {
        slot = &c->e[c->n++];
    } else { /* round-robin eviction */
        slot = &c->e[c->next];
        c->next = (c->next + 1) % REGEX_CACHE;
        regfree(&slot->re);
        kg_free(slot->pattern);
    }
    slot->pattern = copy;
    slot->re = re;
    return slot;
}

int kg_expr__regex(kg_exec *x, const ast_expr *e, const kg_value *a,
                   const kg_value *b, kg_value *out)
{
    rx_entry *r;
    int rc;
    *out = KG_NULL_VALUE;
    if (!text(a) || !text(b)) return KG_OK;
    if (!(r = rx_get(x, e, b->u.str, &rc))) return rc;
    *out = kg_value_bool(regexec(&r->re, a->u.str->s, 0, NULL, 0) == 0);
    return KG_OK;
}

void kg_expr__regex_free(kg_exec *x)
{
    rx_cache *c = x->regex_cache;
    uint32_t i;
    if (!c) return;
    for (i = 0; i < c->n; i++) {
        regfree(&c->e[i].re);
        kg_free(c->e[i].pattern);
    }
    kg_free(c);
    x->regex_cache = NULL;
}
