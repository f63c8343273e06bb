/* func_math.c - numeric functions and conversions: abs, ceil, floor, round,
 * sign, sqrt, exp, log, log10, sin, cos, tan, pi, e, rand, toInteger,
 * toFloat, toBoolean.
 *
 * round() rounds half away from zero (round(-1.5) = -2.0), as Neo4j 5 does.
 * Conversions return null for text that is not a number or a boolean, and
 * a type error for values that can never convert (a list, a node).
 */
#include "query_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static int need_num(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t i)
{
    if (a[i].type == KG_VINT || a[i].type == KG_VFLOAT) return 1;
    if (a[i].type != KG_VNULL) return kg_func__argerr(x, c, i, "a number", &a[i]);
    return 0;
}

static double dbl(const kg_value *v)
{
    return v->type == KG_VINT ? (double)v->u.i : v->u.f;
}

static int f_abs(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                 kg_value *out)
{
    int rc;
    if ((rc = need_num(x, c, a, 0)) <= 0) return rc;
    if (a[0].type == KG_VINT) {
        if (a[0].u.i == INT64_MIN)
            return kg_exec__fail(x, KG_ETYPE, c->span, "integer overflow");
        *out = kg_value_int(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
    } else {
        *out = kg_value_float(fabs(a[0].u.f));
    }
    return KG_OK;
}

static int f_sign(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    int rc;
    double d;
    if ((rc = need_num(x, c, a, 0)) <= 0) return rc;
    d = dbl(&a[0]);
    *out = kg_value_int(d > 0 ? 1 : d < 0 ? -1 : 0);
    return KG_OK;
}

/* ceil, floor, round, sqrt, exp, log, log10, sin, cos, tan: double -> double */
static int f_unary(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    static const struct {
        const char *name;
        double (*fn)(double);
    } tab[] = {{"ceil", ceil},   {"floor", floor}, {"round", round},
               {"sqrt", sqrt},   {"exp", exp},     {"log", log},
               {"log10", log10}, {"sin", sin},     {"cos", cos},
               {"tan", tan},     {"asin", asin},   {"acos", acos},
               {"atan", atan}};
    size_t i;
    int rc;
    if ((rc = need_num(x, c, a, 0)) <= 0) return rc;
    for (i = 0; i < sizeof tab / sizeof *tab; i++)
        if (kg_strcasecmp(tab[i].name, c->fn->name) == 0) {
            *out = kg_value_float(tab[i].fn(dbl(&a[0])));
            return KG_OK;
        }
    return kg_exec__fail(x, KG_ERROR, c->span, "internal: no math function");
}

static int f_const(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    const char *name = c->fn->name;
    if (kg_strcasecmp(name, "pi") == 0) *out = kg_value_float(M_PI);
    else if (kg_strcasecmp(name, "e") == 0) *out = kg_value_float(M_E);
    else *out = kg_value_float((double)rand() / ((double)RAND_MAX + 1.0));
    return KG_OK;
}

/* Parse text as Cypher number literal text; 0 when it is not a number. */
static int parse_number(const kg_vstr *s, kg_value *out)
{
    char *end;
    long long i;
    double d;
    const char *p = s->s;
    if (s->len == 0) return 0;
    errno = 0;
    i = strtoll(p, &end, 10);
    if (*end == 0 && errno == 0 && end != p) {
        *out = kg_value_int(i);
        return 1;
    }
    errno = 0;
    d = strtod(p, &end);
    if (*end == 0 && end != p && !isnan(d)) {
        *out = kg_value_float(d);
        return 1;
    }
    return 0;
}

static int f_tointeger(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                       kg_value *out)
{
    kg_value v = a[0];
    switch (v.type) {
    case KG_VNULL: return KG_OK;
    case KG_VBOOL: *out = kg_value_int(v.u.b); return KG_OK;
    case KG_VINT: *out = v; return KG_OK;
    case KG_VSTRING:
        if (!parse_number(v.u.str, &v)) return KG_OK;
        if (v.type == KG_VINT) {
            *out = v;
            return KG_OK;
        }
        /* a float in text */
        /* fall through */
    case KG_VFLOAT:
        if (isnan(v.u.f) || v.u.f >= 9223372036854775808.0 ||
            v.u.f < -9223372036854775808.0)
            return KG_OK;
        *out = kg_value_int((int64_t)v.u.f);
        return KG_OK;
    default:
        return kg_func__argerr(x, c, 0, "a number, Boolean or String", &a[0]);
    }
}

static int f_tofloat(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    kg_value v;
    switch (a[0].type) {
    case KG_VNULL: return KG_OK;
    case KG_VINT: *out = kg_value_float((double)a[0].u.i); return KG_OK;
    case KG_VFLOAT: *out = a[0]; return KG_OK;
    case KG_VSTRING:
        if (parse_number(a[0].u.str, &v))
            *out = kg_value_float(dbl(&v));
        return KG_OK;
    default: return kg_func__argerr(x, c, 0, "a number or String", &a[0]);
    }
}

static int f_toboolean(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                       kg_value *out)
{
    switch (a[0].type) {
    case KG_VNULL: return KG_OK;
    case KG_VBOOL: *out = a[0]; return KG_OK;
    case KG_VINT: *out = kg_value_bool(a[0].u.i != 0); return KG_OK;
    case KG_VSTRING:
        if (kg_strcasecmp(a[0].u.str->s, "true") == 0) *out = kg_value_bool(1);
        else if (kg_strcasecmp(a[0].u.str->s, "false") == 0)
            *out = kg_value_bool(0);
        return KG_OK;
    default:
        return kg_func__argerr(x, c, 0, "a Boolean, Integer or String", &a[0]);
    }
}

const kg_func kg_func__math[] = {
    {"abs", 1, 1, 0, 0, f_abs},
    {"sign", 1, 1, 0, 0, f_sign},
    {"ceil", 1, 1, 0, 0, f_unary},
    {"floor", 1, 1, 0, 0, f_unary},
    {"round", 1, 1, 0, 0, f_unary},
    {"sqrt", 1, 1, 0, 0, f_unary},
    {"exp", 1, 1, 0, 0, f_unary},
    {"log", 1, 1, 0, 0, f_unary},
    {"log10", 1, 1, 0, 0, f_unary},
    {"sin", 1, 1, 0, 0, f_unary},
    {"cos", 1, 1, 0, 0, f_unary},
    {"tan", 1, 1, 0, 0, f_unary},
    {"asin", 1, 1, 0, 0, f_unary},
    {"acos", 1, 1, 0, 0, f_unary},
    {"atan", 1, 1, 0, 0, f_unary},
    {"pi", 0, 0, 0, 0, f_const},
    {"e", 0, 0, 0, 0, f_const},
    {"rand", 0, 0, 0, 0, f_const},
    {"toInteger", 1, 1, 0, 0, f_tointeger},
    {"toFloat", 1, 1, 0, 0, f_tofloat},
    {"toBoolean", 1, 1, 0, 0, f_toboolean},
    {NULL, 0, 0, 0, 0, NULL}};
