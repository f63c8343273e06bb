/* func_temporal_field.c - what temporal values give besides their
 * constructors (func_temporal.c): fields read as properties (d.year,
 * t.offset, dur.minutesOfHour), comparison, and instant +/- duration.
 * Values, text and order live in graph/temporal.c.
 */
#include "query_int.h"

#include <stdio.h>
#include <string.h>

#define NS_SEC 1000000000LL
#define NS_DAY_I (86400 * NS_SEC)

/* ---- accessors: d.year, dur.minutesOfHour ---- */

static int offset_text(kg_value *out, int32_t off, int z)
{
    char b[16];
    int a = off < 0 ? -off : off;
    if (off == 0 && z) snprintf(b, sizeof b, "Z");
    else if (a % 60)
        snprintf(b, sizeof b, "%c%02d:%02d:%02d", off < 0 ? '-' : '+',
                 a / 3600, a / 60 % 60, a % 60);
    else
        snprintf(b, sizeof b, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
                 a / 60 % 60);
    *out = kg_value_string(b, strlen(b));
    return out->type == KG_VNULL ? KG_ENOMEM : KG_OK;
}

static int field_dur(const kg_temporal *t, const char *f, int64_t *v)
{
    static const char *const names[] = {
        "years", "quarters", "months", "weeks", "days", "hours", "minutes",
        "seconds", "milliseconds", "microseconds", "nanoseconds",
        "quartersOfYear", "monthsOfQuarter", "monthsOfYear", "daysOfWeek",
        "minutesOfHour", "secondsOfMinute", "millisecondsOfSecond",
        "microsecondsOfSecond", "nanosecondsOfSecond", NULL};
    int i;
    for (i = 0; names[i] && strcmp(names[i], f) != 0; i++) {}
    switch (i) {
    case 0: *v = t->months / 12; return 1;
    case 1: *v = t->months / 3; return 1;
    case 2: *v = t->months; return 1;
    case 3: *v = t->days / 7; return 1;
    case 4: *v = t->days; return 1;
    case 5: *v = t->secs / 3600; return 1;
    case 6: *v = t->secs / 60; return 1;
    case 7: *v = t->secs; return 1;
    case 8: *v = t->secs * 1000 + t->nanos / 1000000; return 1;
    case 9: *v = t->secs * 1000000 + t->nanos / 1000; return 1;
    case 10: *v = t->secs * NS_SEC + t->nanos; return 1;
    case 11: *v = t->months % 12 / 3; return 1;
    case 12: *v = t->months % 3; return 1;
    case 13: *v = t->months % 12; return 1;
    case 14: *v = t->days % 7; return 1;
    case 15: *v = t->secs / 60 % 60; return 1;
    case 16: *v = t->secs % 60; return 1;
    case 17: *v = t->nanos / 1000000; return 1;
    case 18: *v = t->nanos / 1000; return 1;
    case 19: *v = t->nanos; return 1;
    default: return 0;
    }
}

static int field_date(const kg_temporal *t, const char *f, int64_t *v)
{
    int64_t y, wy;
    int m, d;
    kg_temporal_civil(t->days, &y, &m, &d);
    wy = t->days >= kg_func__week1(y + 1) ? y + 1 : t->days >= kg_func__week1(y) ? y : y - 1;
    if (!strcmp(f, "year")) *v = y;
    else if (!strcmp(f, "month")) *v = m;
    else if (!strcmp(f, "day")) *v = d;
    else if (!strcmp(f, "quarter")) *v = (m - 1) / 3 + 1;
    else if (!strcmp(f, "dayOfQuarter"))
        *v = t->days - kg_temporal_days(y, (m - 1) / 3 * 3 + 1, 1) + 1;
    else if (!strcmp(f, "ordinalDay")) *v = t->days - kg_temporal_days(y, 1, 1) + 1;
    else if (!strcmp(f, "weekYear")) *v = wy;
    else if (!strcmp(f, "week")) *v = (t->days - kg_func__week1(wy)) / 7 + 1;
    else if (!strcmp(f, "weekDay") || !strcmp(f, "dayOfWeek"))
        *v = kg_func__weekday0(t->days) + 1;
    else return 0;
    return 1;
}

static int field_time(const kg_temporal *t, const char *f, int64_t *v)
{
    if (!strcmp(f, "hour")) *v = t->nanos / (3600 * NS_SEC);
    else if (!strcmp(f, "minute")) *v = t->nanos / (60 * NS_SEC) % 60;
    else if (!strcmp(f, "second")) *v = t->nanos / NS_SEC % 60;
    else if (!strcmp(f, "millisecond")) *v = t->nanos % NS_SEC / 1000000;
    else if (!strcmp(f, "microsecond")) *v = t->nanos % NS_SEC / 1000;
    else if (!strcmp(f, "nanosecond")) *v = t->nanos % NS_SEC;
    else return 0;
    return 1;
}

int kg_func__temporal_field(kg_exec *x, const ast_expr *e,
                            const kg_value *base, kg_value *out)
{
    kg_temporal t;
    int64_t v;
    int type = base->type, dated, timed, zoned;
    const char *f = e->name;

    *out = KG_NULL_VALUE;
    if (kg_temporal_get(&t, base) < 0)
        return kg_exec__fail(x, KG_ETYPE, e->span, "bad temporal value");
    dated = type == KG_VDATE || type == KG_VLOCALDATETIME ||
            type == KG_VDATETIME;
    timed = type != KG_VDATE && type != KG_VDURATION;
    zoned = type == KG_VTIME || type == KG_VDATETIME;
    if (type == KG_VDURATION ? field_dur(&t, f, &v)
        : (dated && field_date(&t, f, &v)) || (timed && field_time(&t, f, &v))) {
        *out = kg_value_int(v);
        return KG_OK;
    }
    if (zoned && (!strcmp(f, "timezone") || !strcmp(f, "offset")))
        return offset_text(out, t.offset, f[0] == 't');
    if (zoned && !strcmp(f, "offsetMinutes")) v = t.offset / 60;
    else if (zoned && !strcmp(f, "offsetSeconds")) v = t.offset;
    else if (type == KG_VDATETIME && !strcmp(f, "epochSeconds"))
        v = t.days * 86400 + t.nanos / NS_SEC - t.offset;
    else if (type == KG_VDATETIME && !strcmp(f, "epochMillis"))
        v = (t.days * 86400 + t.nanos / NS_SEC - t.offset) * 1000 +
            t.nanos % NS_SEC / 1000000;
    else
        return kg_exec__fail(x, KG_ETYPE, e->span, "%s has no field '%s'",
                             kg_value_type_name(type), f);
    *out = kg_value_int(v);
    return KG_OK;
}

int kg_func__temporal_op(int op, const kg_value *a, const kg_value *b)
{
    if (op == AST_OP_ADD)
        return (KG_VTYPE_IS_TEMPORAL(a->type) && b->type == KG_VDURATION) ||
               (a->type == KG_VDURATION && KG_VTYPE_IS_TEMPORAL(b->type));
    if (op == AST_OP_SUB)
        return KG_VTYPE_IS_TEMPORAL(a->type) && b->type == KG_VDURATION;
    return 0;
}

int kg_func__temporal_arith(kg_exec *x, const ast_expr *e, const kg_value *a,
                            const kg_value *b, kg_value *out)
{
    kg_error err = {0};
    const kg_value *t = a, *d = b;
    if (b->type != KG_VDURATION) { /* duration + instant */
        t = b;
        d = a;
    }
    if (kg_temporal_add(out, t, d, e->op == AST_OP_SUB ? -1 : 1, &err) < 0)
        return kg_exec__fail(x, err.code, e->span, "%s", err.msg);
    return KG_OK;
}
