/* func.c - the built-in function registry.
 *
 * Functions are rows of tables ({name, min args, max args, aggregate kind,
 * fn}), one table per family (func_graph.c, func_string.c, func_list.c,
 * func_math.c) plus the aggregates here. The parser never names a function:
 * the binder looks the name up (case-insensitively, as Cypher does) and
 * stores the row in the call node, so evaluation is one indirect call.
 * Aggregates have no fn: op_aggregate.c computes them.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ORDER AGG */
static const kg_func aggregates[] = {
    {"count", 1, 1, KG_AGG_COUNT, 0, NULL},
    {"sum", 1, 1, KG_AGG_SUM, 0, NULL},
    {"avg", 1, 1, KG_AGG_AVG, 0, NULL},
    {"min", 1, 1, KG_AGG_MIN, 0, NULL},
    {"max", 1, 1, KG_AGG_MAX, 0, NULL},
    {"collect", 1, 1, KG_AGG_COLLECT, 0, NULL},
    {"stDev", 1, 1, KG_AGG_STDEV, 0, NULL},
    {"stDevP", 1, 1, KG_AGG_STDEVP, 0, NULL},
    {"percentileCont", 2, 2, KG_AGG_PCONT, 0, NULL},
    {"percentileDisc", 2, 2, KG_AGG_PDISC, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL}};

static const kg_func *const families[] = {
    aggregates,   kg_func__graph,    kg_func__string, kg_func__list,
    kg_func__math, kg_func__temporal, NULL};

const kg_func *kg_func__find(const char *name)
{
    size_t i, j;
    for (i = 0; families[i]; i++)
        for (j = 0; families[i][j].name; j++)
            if (kg_strcasecmp(families[i][j].name, name) == 0)
                return &families[i][j];
    return NULL;
}

const char *kg_func__name_at(size_t k)
{
    size_t i, j;
    for (i = 0; families[i]; i++)
        for (j = 0; families[i][j].name; j++)
            if (!families[i][j].hidden && k-- == 0) return families[i][j].name;
    return NULL;
}

int kg_func__argerr(kg_exec *x, const ast_expr *call, uint32_t i,
                    const char *expected, const kg_value *got)
{
    kg_span at = i < call->nargs ? call->args[i]->span : call->span;
    return kg_exec__fail(x, KG_ETYPE, at, "%s() expects %s, got %s",
                         call->fn ? call->fn->name : call->name, expected,
                         kg_value_type_name(got->type));
}

/* ---- number formatting shared with kg_query_format_value ---- */

/* Shortest text that reads back as the same double: plain notation for
 * moderate magnitudes ("1.0", "0.000001"), exponent form otherwise
 * ("1.2635418652381264e305"). */
void kg_fmt__float(double f, char *buf, size_t cap)
{
    char e[40];
    int p, exp10;
    if (isnan(f)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (isinf(f)) {
        snprintf(buf, cap, f < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (f == 0) {
        snprintf(buf, cap, signbit(f) ? "-0.0" : "0.0");
        return;
    }
    for (p = 1; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, f);
        if (strtod(e, NULL) == f) break;
    }
    exp10 = atoi(strchr(e, 'e') + 1);
    if (exp10 >= -7 && exp10 < 21) {
        int decimals = p - 1 - exp10;
        if (decimals < 1) decimals = 1;
        snprintf(buf, cap, "%.*f", decimals, f);
    } else {
        char *m = e, *x = strchr(e, 'e');
        *x = 0;
        snprintf(buf, cap, "%s%se%d", m, strchr(m, '.') ? "" : ".0", exp10);
    }
}

int kg_func__to_string(const kg_value *v, kg_value *out, int *ok)
{
    char buf[64];
    *ok = 1;
    *out = KG_NULL_VALUE;
    switch (v->type) {
    case KG_VNULL: return KG_OK;
    case KG_VSTRING: *out = kg_value_retain(v); return KG_OK;
    case KG_VDATE:
    case KG_VLOCALTIME:
    case KG_VTIME:
    case KG_VLOCALDATETIME:
    case KG_VDATETIME:
    case KG_VDURATION:
        *out = kg_value_string(v->u.str->s, v->u.str->len);
        break;
    case KG_VBOOL:
        *out = kg_value_string(v->u.b ? "true" : "false", v->u.b ? 4 : 5);
        break;
    case KG_VINT:
        snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
        *out = kg_value_string(buf, strlen(buf));
        break;
    case KG_VFLOAT:
        kg_fmt__float(v->u.f, buf, sizeof buf);
        *out = kg_value_string(buf, strlen(buf));
        break;
    default: *ok = 0; return KG_OK;
    }
    return out->type == KG_VNULL ? KG_ENOMEM : KG_OK;
}

/* ---- completion words ---- */

static const char *const procs_words[] = {"kg.search", "kg.diagnostics",
                                          "kg.diff", "kg.history",
                                          "kg.versions", NULL};

const char *const *kg_query_words(void)
{
    static const char **words;
    size_t n = 0, i;
    const char *const *kw = kg_lex_keywords();
    if (words) return words;
    while (kw[n]) n++;
    for (i = 0; kg_func__name_at(i); i++) n++;
    n += sizeof procs_words / sizeof *procs_words;
    words = kg_calloc(n + 8, sizeof *words);
    if (!words) {
        static const char *const none[] = {NULL};
        return none;
    }
    n = 0;
    for (i = 0; kw[i]; i++) words[n++] = kw[i];
    for (i = 0; kg_func__name_at(i); i++) words[n++] = kg_func__name_at(i);
    words[n++] = "shortestPath";
    words[n++] = "allShortestPaths";
    words[n++] = "OPTIONAL MATCH";
    words[n++] = "ORDER BY";
    for (i = 0; procs_words[i]; i++) words[n++] = procs_words[i];
    words[n] = NULL;
    return words;
}
