/* func_temporal.c - temporal functions: the constructors date, localtime,
 * time, localdatetime, datetime and duration, the clocks, truncate and
 * duration.between (fields and instant +/- duration: func_temporal_field.c).
 *
 * Each constructor takes no argument (now, in UTC: kgsh has no session
 * time zone), null (null), ISO 8601 text, a map of components
 * ({year, month, day, hour, minute, second, millisecond, microsecond,
 * nanosecond, timezone}; a duration's {years, quarters, months, weeks,
 * days, hours, minutes, seconds, milliseconds, microseconds, nanoseconds},
 * which may be floats), or another temporal value to convert. Values,
 * text and order live in graph/temporal.c.
 *
 * X.truncate(unit, t[, map]) (X one of the five instant kinds) truncates
 * t to unit (millennium, century, decade, year, weekYear, quarter, month,
 * week, day, hour, minute, second, millisecond, microsecond), then sets
 * the map's fields: day, month, dayOfWeek, hour, minute, second; the
 * sub-second ones add to what is left; timezone sets the offset.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NS_SEC 1000000000LL
#define NS_DAY_I (86400 * NS_SEC)

static int64_t floordiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Monday of ISO week 1 of year y; 1970-01-01 was a Thursday. */
int64_t kg_func__week1(int64_t y)
{
    int64_t jan4 = kg_temporal_days(y, 1, 4);
    return jan4 - ((jan4 % 7 + 7 + 3) % 7);
}

int64_t kg_func__weekday0(int64_t days) /* Monday 0 ... Sunday 6 */
{
    return ((days % 7) + 7 + 3) % 7;
}


static int fail_err(kg_exec *x, const ast_expr *c, const kg_error *err)
{
    /* bad text is a run-time value error here, as other arguments' are */
    kg_span at = c->nargs ? c->args[0]->span : c->span;
    return kg_exec__fail(x, err->code == KG_ENOMEM ? KG_ENOMEM : KG_ETYPE, at,
                         "%s() %s", c->fn->name, err->msg);
}

static int bad(kg_exec *x, const ast_expr *c, const char *what)
{
    kg_span at = c->nargs ? c->args[0]->span : c->span;
    return kg_exec__fail(x, KG_ETYPE, at, "%s(): %s", c->fn->name, what);
}

/* An integer component of map m: 1 present, 0 absent, < 0 error. */
static int comp(kg_exec *x, const ast_expr *c, const kg_value *m,
                const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const kg_value *v = kg_value_map_get(m, key);
    if (v == NULL || v->type == KG_VNULL) return 0;
    if (v->type != KG_VINT)
        return kg_exec__fail(x, KG_ETYPE, c->args[0]->span,
                             "%s(): '%s' expects an Integer, got %s",
                             c->fn->name, key, kg_value_type_name(v->type));
    if (v->u.i < lo || v->u.i > hi)
        return kg_exec__fail(x, KG_ETYPE, c->args[0]->span,
                             "%s(): '%s' must be in %lld..%lld, got %lld",
                             c->fn->name, key, (long long)lo, (long long)hi,
                             (long long)v->u.i);
    *out = v->u.i;
    return 1;
}

/* The date part of a map: {year[, month[, day]]}, {year, week[,
 * dayOfWeek]}, {year, ordinalDay}, {year, quarter[, dayOfQuarter]}, or
 * {date: d, ...}: d's fields, with those the map gives replaced
 * ({date: d, week: 1} keeps d's week-based year and day of the week). */
static int map_date(kg_exec *x, const ast_expr *c, const kg_value *m,
                    int64_t *days)
{
    int64_t y = 0, mo = 1, d = 1, w = 1, wd = 1, od = 1, q = 1, dq = 1;
    int64_t wy = 0, end;
    int rc, hy, bm, bd, has_base = 0;
    const kg_value *base = kg_value_map_get(m, "date");
    kg_temporal t;

    if (!base || base->type == KG_VNULL) base = kg_value_map_get(m, "datetime");
    if (base && base->type != KG_VNULL) {
        if ((base->type != KG_VDATE && base->type != KG_VLOCALDATETIME &&
             base->type != KG_VDATETIME) ||
            kg_temporal_get(&t, base) < 0)
            return bad(x, c, "'date' must hold a value with a date");
        kg_temporal_civil(t.days, &y, &bm, &bd);
        mo = bm;
        d = bd;
        wd = kg_func__weekday0(t.days) + 1;
        wy = t.days >= kg_func__week1(y + 1) ? y + 1 : t.days >= kg_func__week1(y) ? y : y - 1;
        w = (t.days - kg_func__week1(wy)) / 7 + 1;
        od = t.days - kg_temporal_days(y, 1, 1) + 1;
        q = (mo - 1) / 3 + 1;
        dq = t.days - kg_temporal_days(y, (int)(q - 1) * 3 + 1, 1) + 1;
        has_base = 1;
    }
    if ((hy = comp(x, c, m, "year", -999999, 999999, &y)) < 0) return hy;
    if (!hy && !has_base) return bad(x, c, "the map needs a 'year'");
    if ((rc = comp(x, c, m, "week", 1, 53, &w)) < 0) return rc;
    if (rc) {
        if ((rc = comp(x, c, m, "dayOfWeek", 1, 7, &wd)) < 0) return rc;
        if (hy || !has_base) wy = y;
        *days = kg_func__week1(wy) + (w - 1) * 7 + (wd - 1);
        if (*days >= kg_func__week1(wy + 1))
            return bad(x, c, "no such week in that year");
        return KG_OK;
    }
    if ((rc = comp(x, c, m, "ordinalDay", 1, 366, &od)) < 0) return rc;
    if (rc) {
        *days = kg_temporal_days(y, 1, 1) + od - 1;
        if (*days >= kg_temporal_days(y + 1, 1, 1))
            return bad(x, c, "no day 366 in that year");
        return KG_OK;
    }
    if ((rc = comp(x, c, m, "quarter", 1, 4, &q)) < 0) return rc;
    if ((hy = comp(x, c, m, "dayOfQuarter", 1, 92, &dq)) < 0) return hy;
    if (rc || hy) {
        *days = kg_temporal_days(y, (int)(q - 1) * 3 + 1, 1) + dq - 1;
        end = q == 4 ? kg_temporal_days(y + 1, 1, 1)
                     : kg_temporal_days(y, (int)q * 3 + 1, 1);
        if (*days >= end) return bad(x, c, "no such day in that quarter");
        return KG_OK;
    }
    if ((rc = comp(x, c, m, "month", 1, 12, &mo)) < 0) return rc;
    if ((rc = comp(x, c, m, "day", 1, 31, &d)) < 0) return rc;
    if (!kg_temporal_valid_date(y, (int)mo, (int)d))
        return bad(x, c, "no such day in that month");
    *days = kg_temporal_days(y, (int)mo, (int)d);
    return KG_OK;
}

/* The time part: {hour, minute, second, millisecond, microsecond,
 * nanosecond} or {time: a temporal with a time}; offset from timezone. */
static int map_time_zone(kg_exec *x, const ast_expr *c, const kg_value *m,
                         int32_t *offset);

static int map_time(kg_exec *x, const ast_expr *c, const kg_value *m,
                    int64_t *nanos, int32_t *offset)
{
    int64_t h = 0, mi = 0, s = 0, ms = 0, us = 0, ns = 0, frac = 0;
    int rc, sub = 0, zoned = 0;
    int32_t was;
    const kg_value *base = kg_value_map_get(m, "time");
    kg_temporal t;

    if (!base || base->type == KG_VNULL) base = kg_value_map_get(m, "datetime");
    if (base && base->type != KG_VNULL) {
        /* {time: t, second: 42}: t's fields, those given replaced */
        if (base->type == KG_VDATE || base->type == KG_VDURATION ||
            !KG_VTYPE_IS_TEMPORAL(base->type) ||
            kg_temporal_get(&t, base) < 0)
            return bad(x, c, "'time' must hold a value with a time");
        h = t.nanos / (3600 * NS_SEC);
        mi = t.nanos / (60 * NS_SEC) % 60;
        s = t.nanos / NS_SEC % 60;
        frac = t.nanos % NS_SEC;
        *offset = t.offset;
        zoned = base->type == KG_VTIME || base->type == KG_VDATETIME;
    }
    if ((rc = comp(x, c, m, "hour", 0, 23, &h)) < 0 ||
        (rc = comp(x, c, m, "minute", 0, 59, &mi)) < 0 ||
        (rc = comp(x, c, m, "second", 0, 59, &s)) < 0)
        return rc;
    if ((rc = comp(x, c, m, "millisecond", 0, 999, &ms)) < 0) return rc;
    sub |= rc;
    if ((rc = comp(x, c, m, "microsecond", 0, 999999, &us)) < 0) return rc;
    sub |= rc;
    if ((rc = comp(x, c, m, "nanosecond", 0, 999999999, &ns)) < 0) return rc;
    sub |= rc;
    if (sub) frac = ms * 1000000 + us * 1000 + ns;
    if (frac >= NS_SEC)
        return bad(x, c, "the fraction of a second must be below 1");
    *nanos = ((h * 60 + mi) * 60 + s) * NS_SEC + frac;
    was = *offset;
    if ((rc = map_time_zone(x, c, m, offset)) < 0) return rc;
    /* a zoned value moved to another zone keeps its instant; the caller
     * carries a result outside 0..24h into the date */
    if (zoned) *nanos += (int64_t)(*offset - was) * NS_SEC;
    return KG_OK;
}

/* The offset a map's timezone names ('+01:00', 'Z'; named zones are
 * rejected by kg_temporal_parse). Unchanged when the map has none. */
static int map_time_zone(kg_exec *x, const ast_expr *c, const kg_value *m,
                         int32_t *offset)
{
    const kg_value *tz = kg_value_map_get(m, "timezone");
    kg_temporal t;
    kg_error err = {0};
    char buf[96];
    if (!tz || tz->type == KG_VNULL) return KG_OK;
    if (tz->type != KG_VSTRING)
        return bad(x, c, "'timezone' expects a String");
    /* the offset grammar of '00:00+01:00', read after a dummy time */
    snprintf(buf, sizeof buf, "00:00%s%.60s%s",
             strchr("+-Z", tz->u.str->s[0]) && tz->u.str->s[0] ? "" : "[",
             tz->u.str->s,
             strchr("+-Z", tz->u.str->s[0]) && tz->u.str->s[0] ? "" : "]");
    if (kg_temporal_parse(&t, KG_VTIME, buf, strlen(buf), &err) < 0)
        return fail_err(x, c, &err);
    *offset = t.offset;
    return KG_OK;
}

/* Convert another temporal value v to type. 1 done, 0 not convertible. */
static int convert(int type, const kg_value *v, kg_temporal *t)
{
    kg_temporal s;
    if (kg_temporal_get(&s, v) < 0 || v->type == KG_VDURATION) return 0;
    memset(t, 0, sizeof *t);
    t->type = type;
    switch (type) {
    case KG_VLOCALTIME:
    case KG_VTIME:
        if (v->type == KG_VDATE) return 0;
        t->nanos = s.nanos;
        t->offset = s.offset;
        return 1;
    default: /* local date time, date time */
        if (v->type == KG_VLOCALTIME || v->type == KG_VTIME) return 0;
        t->days = s.days;
        t->nanos = s.nanos;
        t->offset = s.offset;
        return 1;
    }
}

/* Now, read once per statement (openCypher's statement clock), so that
 * two calls in one query agree. */
static void now(kg_exec *x, kg_temporal *t)
{
    if (x->clock_s == 0 && x->clock_ns == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        x->clock_s = (int64_t)ts.tv_sec;
        x->clock_ns = (int64_t)ts.tv_nsec;
    }
    t->days = floordiv64(x->clock_s, 86400);
    t->nanos = (x->clock_s - t->days * 86400) * NS_SEC + x->clock_ns;
}

/* The instant kind a function name starts with ("datetime.truncate"). */
static int instant_type(const char *nm)
{
    size_t n = strcspn(nm, ".");
    if (n == 4 && strncasecmp(nm, "date", 4) == 0) return KG_VDATE;
    if (n == 9 && strncasecmp(nm, "localtime", 9) == 0) return KG_VLOCALTIME;
    if (n == 4 && strncasecmp(nm, "time", 4) == 0) return KG_VTIME;
    if (n == 13 && strncasecmp(nm, "localdatetime", 13) == 0)
        return KG_VLOCALDATETIME;
    return KG_VDATETIME;
}

static int f_instant(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    int type, rc;
    const char *nm = c->fn->name;
    kg_temporal t;
    kg_error err = {0};

    type = instant_type(nm);
    memset(&t, 0, sizeof t);
    t.type = type;
    if (n == 0) {
        now(x, &t);
        if (type == KG_VLOCALTIME || type == KG_VTIME) t.days = 0;
    } else if (a[0].type == KG_VNULL) {
        return KG_OK;
    } else if (a[0].type == KG_VSTRING) {
        if (kg_temporal_parse(&t, type, a[0].u.str->s, a[0].u.str->len,
                              &err) < 0)
            return fail_err(x, c, &err);
    } else if (a[0].type == KG_VMAP) {
        if (type != KG_VLOCALTIME && type != KG_VTIME &&
            (rc = map_date(x, c, &a[0], &t.days)) < 0)
            return rc;
        if ((rc = map_time(x, c, &a[0], &t.nanos, &t.offset)) < 0) return rc;
        t.days += floordiv64(t.nanos, NS_DAY_I);
        t.nanos -= floordiv64(t.nanos, NS_DAY_I) * NS_DAY_I;
    } else if (!convert(type, &a[0], &t)) {
        return kg_func__argerr(x, c, 0, "a String, a Map or a temporal value",
                               &a[0]);
    }
    if (type == KG_VLOCALTIME || type == KG_VLOCALDATETIME) t.offset = 0;
    if (kg_temporal_make(out, &t, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

/* Average lengths openCypher uses to carry fractions down a unit. */
#define DAYS_PER_MONTH 30.436875
#define NS_DAY (86400.0 * NS_SEC)

/* Duration units: ORDER of the accumulators in f_duration. */
enum { U_MONTHS, U_DAYS, U_SECS, U_NANOS };

/* A duration component of map m, in factor units of kind unit: an integer
 * adds exactly; a float adds its whole part and keeps its fraction in
 * frac[unit], which f_duration carries down (months to days to seconds). */
static int dur_comp(kg_exec *x, const ast_expr *c, const kg_value *m,
                    const char *key, int64_t factor, int unit, int64_t *whole,
                    double *frac)
{
    const kg_value *v = kg_value_map_get(m, key);
    int64_t p;
    double f, w;
    if (v == NULL || v->type == KG_VNULL) return KG_OK;
    if (v->type == KG_VINT) {
        if (__builtin_mul_overflow(v->u.i, factor, &p) ||
            __builtin_add_overflow(whole[unit], p, &whole[unit]))
            return bad(x, c, "duration out of range");
        return KG_OK;
    }
    if (v->type != KG_VFLOAT)
        return kg_exec__fail(x, KG_ETYPE, c->args[0]->span,
                             "duration(): '%s' expects a number, got %s", key,
                             kg_value_type_name(v->type));
    if (!isfinite(v->u.f) || fabs(v->u.f) > 1e15)
        return bad(x, c, "duration out of range");
    f = v->u.f * (double)factor;
    if (fabs(f) > 4e18) return bad(x, c, "duration out of range");
    w = trunc(f);
    if (__builtin_add_overflow(whole[unit], (int64_t)w, &whole[unit]))
        return bad(x, c, "duration out of range");
    frac[unit] += f - w;
    return KG_OK;
}

static int f_duration(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                      kg_value *out)
{
    static const struct {
        const char *key;
        int64_t factor;
        int unit;
    } parts[] = {
        {"years", 12, U_MONTHS},         {"quarters", 3, U_MONTHS},
        {"months", 1, U_MONTHS},         {"weeks", 7, U_DAYS},
        {"days", 1, U_DAYS},             {"hours", 3600, U_SECS},
        {"minutes", 60, U_SECS},         {"seconds", 1, U_SECS},
        {"milliseconds", 1000000, U_NANOS}, {"microseconds", 1000, U_NANOS},
        {"nanoseconds", 1, U_NANOS},
    };
    kg_temporal t;
    kg_error err = {0};
    int64_t whole[4] = {0, 0, 0, 0}, q;
    double frac[4] = {0, 0, 0, 0}, w;
    const kg_value *m = &a[0];
    size_t i;
    int rc;

    (void)n;
    memset(&t, 0, sizeof t);
    t.type = KG_VDURATION;
    if (m->type == KG_VNULL) return KG_OK;
    if (m->type == KG_VSTRING) {
        if (kg_temporal_parse(&t, KG_VDURATION, m->u.str->s, m->u.str->len,
                              &err) < 0)
            return fail_err(x, c, &err);
    } else if (m->type == KG_VDURATION) {
        *out = kg_value_retain(m);
        return KG_OK;
    } else if (m->type != KG_VMAP) {
        return kg_func__argerr(x, c, 0, "a String or a Map", m);
    } else {
        for (i = 0; i < sizeof parts / sizeof *parts; i++)
            if ((rc = dur_comp(x, c, m, parts[i].key, parts[i].factor,
                               parts[i].unit, whole, frac)) < 0)
                return rc;
        w = trunc(frac[U_MONTHS]);
        whole[U_MONTHS] += (int64_t)w;
        frac[U_DAYS] += (frac[U_MONTHS] - w) * DAYS_PER_MONTH;
        w = trunc(frac[U_DAYS]);
        whole[U_DAYS] += (int64_t)w;
        w = (frac[U_DAYS] - w) * NS_DAY + frac[U_SECS] * NS_SEC +
            frac[U_NANOS];
        if (fabs(w) > 4e18 || fabs((double)whole[U_NANOS]) > 4e18)
            return bad(x, c, "duration out of range");
        whole[U_NANOS] += llround(w);
        q = whole[U_NANOS] / NS_SEC - (whole[U_NANOS] % NS_SEC < 0);
        t.months = whole[U_MONTHS];
        t.days = whole[U_DAYS];
        if (__builtin_add_overflow(whole[U_SECS], q, &t.secs))
            return bad(x, c, "duration out of range");
        t.nanos = whole[U_NANOS] - q * NS_SEC;
    }
    if (kg_temporal_make(out, &t, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

/* date(): as the others, and the date part of a date-time. */
static int f_date(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    kg_temporal t;
    kg_error err = {0};
    int rc;

    memset(&t, 0, sizeof t);
    t.type = KG_VDATE;
    if (n == 0) {
        now(x, &t);
    } else if (a[0].type == KG_VNULL) {
        return KG_OK;
    } else if (a[0].type == KG_VDATE) {
        *out = kg_value_retain(&a[0]);
        return KG_OK;
    } else if (a[0].type == KG_VSTRING) {
        if (kg_temporal_parse(&t, KG_VDATE, a[0].u.str->s, a[0].u.str->len,
                              &err) < 0)
            return fail_err(x, c, &err);
    } else if (a[0].type == KG_VMAP) {
        if ((rc = map_date(x, c, &a[0], &t.days)) < 0) return rc;
    } else if (a[0].type == KG_VLOCALDATETIME || a[0].type == KG_VDATETIME) {
        kg_temporal s;
        if (kg_temporal_get(&s, &a[0]) < 0) return bad(x, c, "bad value");
        t.days = s.days;
    } else {
        return kg_func__argerr(x, c, 0, "a String, a Map or a temporal value",
                               &a[0]);
    }
    t.nanos = 0;
    if (kg_temporal_make(out, &t, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

/* X.statement([tz]), X.transaction([tz]): the statement clock, as X();
 * X.realtime([tz]): the clock now. tz is an offset ('+01:00'). */
static int f_clock(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    kg_temporal t, z;
    kg_error err = {0};
    char buf[96];

    memset(&t, 0, sizeof t);
    t.type = instant_type(c->fn->name);
    if (n > 0 && a[0].type == KG_VNULL) return KG_OK;
    if (n > 0 && a[0].type != KG_VSTRING)
        return kg_func__argerr(x, c, 0, "a time zone String", &a[0]);
    if (strstr(c->fn->name, ".realtime")) x->clock_s = x->clock_ns = 0;
    now(x, &t);
    if (n > 0) {
        snprintf(buf, sizeof buf, "00:00%s%.60s%s",
                 strchr("+-Z", a[0].u.str->s[0]) && a[0].u.str->s[0] ? "" : "[",
                 a[0].u.str->s,
                 strchr("+-Z", a[0].u.str->s[0]) && a[0].u.str->s[0] ? "" : "]");
        if (kg_temporal_parse(&z, KG_VTIME, buf, strlen(buf), &err) < 0)
            return fail_err(x, c, &err);
        t.nanos += (int64_t)z.offset * NS_SEC;
        t.days += floordiv64(t.nanos, NS_DAY_I);
        t.nanos -= floordiv64(t.nanos, NS_DAY_I) * NS_DAY_I;
        if (t.type == KG_VTIME || t.type == KG_VDATETIME) t.offset = z.offset;
    }
    if (t.type == KG_VDATE) t.nanos = 0;
    if (kg_temporal_make(out, &t, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

/* ---- truncate ---- */

static const struct {
    const char *name;
    int64_t ns; /* a time unit's length; 0 for date units */
    int date;   /* needs a date part */
} units[] = {
    {"millennium", 0, 1},  {"century", 0, 1},
    {"decade", 0, 1},      {"year", 0, 1},
    {"weekYear", 0, 1},    {"quarter", 0, 1},
    {"month", 0, 1},       {"week", 0, 1},
    {"day", 0, 1},         {"hour", 3600 * NS_SEC, 0},
    {"minute", 60 * NS_SEC, 0}, {"second", NS_SEC, 0},
    {"millisecond", 1000000, 0}, {"microsecond", 1000, 0},
};

static int f_truncate(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                      kg_value *out)
{
    const char *nm = c->fn->name;
    int type, has_date, has_time, rc, m, d;
    size_t u;
    int64_t y, v;
    kg_temporal s, t;
    kg_error err = {0};
    const kg_value *map = n > 2 && a[2].type == KG_VMAP ? &a[2] : NULL;

    type = instant_type(nm);
    if (a[0].type == KG_VNULL || a[1].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VSTRING)
        return kg_func__argerr(x, c, 0, "a unit String", &a[0]);
    if (n > 2 && a[2].type != KG_VMAP && a[2].type != KG_VNULL)
        return kg_func__argerr(x, c, 2, "a Map", &a[2]);
    for (u = 0; u < sizeof units / sizeof *units; u++)
        if (strcmp(units[u].name, a[0].u.str->s) == 0) break;
    if (u == sizeof units / sizeof *units)
        return kg_exec__fail(x, KG_ETYPE, c->args[0]->span,
                             "%s(): unknown unit '%.40s'", nm, a[0].u.str->s);
    if (!KG_VTYPE_IS_TEMPORAL(a[1].type) || a[1].type == KG_VDURATION ||
        kg_temporal_get(&s, &a[1]) < 0)
        return kg_func__argerr(x, c, 1, "a temporal instant", &a[1]);
    has_date = type == KG_VDATE || type == KG_VLOCALDATETIME ||
               type == KG_VDATETIME;
    has_time = type != KG_VDATE;
    if ((units[u].date && !has_date && u != 8) ||
        (!units[u].date && !has_time))
        return kg_exec__fail(x, KG_ETYPE, c->args[0]->span,
                             "%s(): cannot truncate to '%s'", nm,
                             units[u].name);
    if (has_date && (a[1].type == KG_VLOCALTIME || a[1].type == KG_VTIME))
        return kg_func__argerr(x, c, 1, "a value with a date", &a[1]);
    memset(&t, 0, sizeof t);
    t.type = type;
    t.days = s.days;
    t.offset = a[1].type == KG_VTIME || a[1].type == KG_VDATETIME ? s.offset
                                                                  : 0;
    t.nanos = units[u].ns ? s.nanos - s.nanos % units[u].ns : 0;
    if (a[1].type == KG_VDATE) t.nanos = 0;
    if (units[u].date) {
        kg_temporal_civil(s.days, &y, &m, &d);
        switch (u) {
        case 0: y = floordiv64(y, 1000) * 1000; m = d = 1; break;
        case 1: y = floordiv64(y, 100) * 100; m = d = 1; break;
        case 2: y = floordiv64(y, 10) * 10; m = d = 1; break;
        case 3: m = d = 1; break;
        case 5: m = (m - 1) / 3 * 3 + 1; d = 1; break;
        case 6: d = 1; break;
        default: break;
        }
        t.days = kg_temporal_days(y, m, d);
        if (u == 4) { /* the Monday that opens the week-based year */
            int64_t wy = s.days >= kg_func__week1(y + 1) ? y + 1
                         : s.days >= kg_func__week1(y)   ? y
                                                : y - 1;
            t.days = kg_func__week1(wy);
        } else if (u == 7) {
            t.days = s.days - kg_func__weekday0(s.days);
        } else if (u == 8) {
            t.days = s.days;
        }
    }
    if (map) { /* fields to set after truncating */
        int64_t h, mi, sec, f = 0;
        if (has_date) {
            kg_temporal_civil(t.days, &y, &m, &d);
            if ((rc = comp(x, c, map, "month", 1, 12, &v)) < 0) return rc;
            if (rc) m = (int)v;
            if ((rc = comp(x, c, map, "day", 1, 31, &v)) < 0) return rc;
            if (rc) d = (int)v;
            if (!kg_temporal_valid_date(y, m, d))
                return bad(x, c, "no such day in that month");
            t.days = kg_temporal_days(y, m, d);
            if ((rc = comp(x, c, map, "dayOfWeek", 1, 7, &v)) < 0) return rc;
            if (rc) t.days += v - 1 - kg_func__weekday0(t.days);
        }
        if (has_time) {
            h = t.nanos / (3600 * NS_SEC);
            mi = t.nanos / (60 * NS_SEC) % 60;
            sec = t.nanos / NS_SEC % 60;
            if ((rc = comp(x, c, map, "hour", 0, 23, &v)) < 0) return rc;
            if (rc) h = v;
            if ((rc = comp(x, c, map, "minute", 0, 59, &v)) < 0) return rc;
            if (rc) mi = v;
            if ((rc = comp(x, c, map, "second", 0, 59, &v)) < 0) return rc;
            if (rc) sec = v;
            if ((rc = comp(x, c, map, "millisecond", 0, 999, &v)) < 0) return rc;
            if (rc) f += v * 1000000;
            if ((rc = comp(x, c, map, "microsecond", 0, 999999, &v)) < 0)
                return rc;
            if (rc) f += v * 1000;
            if ((rc = comp(x, c, map, "nanosecond", 0, 999999999, &v)) < 0)
                return rc;
            if (rc) f += v;
            f += t.nanos % NS_SEC;
            if (f >= NS_SEC)
                return bad(x, c, "the fraction of a second must be below 1");
            t.nanos = ((h * 60 + mi) * 60 + sec) * NS_SEC + f;
            if ((rc = map_time_zone(x, c, map, &t.offset)) < 0) return rc;
        }
    }
    if (type == KG_VLOCALTIME || type == KG_VLOCALDATETIME) t.offset = 0;
    if (kg_temporal_make(out, &t, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

/* ---- duration.between, inMonths, inDays, inSeconds ---- */

/* days + months, the day clamped to the month's end */
static int64_t plus_months(int64_t days, int64_t months)
{
    int64_t y, m0;
    int m, d, dim;
    kg_temporal_civil(days, &y, &m, &d);
    m0 = y * 12 + (m - 1) + months;
    y = floordiv64(m0, 12);
    m = (int)(m0 - y * 12) + 1;
    for (dim = 31; !kg_temporal_valid_date(y, m, dim); dim--) {}
    return kg_temporal_days(y, m, d > dim ? dim : d);
}

/* The end's date as Java's LocalDateTime.until counts whole units: one
 * day less when its time of day has not yet reached the start's. */
static int64_t end_date(int64_t d0, int64_t n0, int64_t d1, int64_t n1)
{
    if (d1 > d0 && n1 < n0) return d1 - 1;
    if (d1 < d0 && n1 > n0) return d1 + 1;
    return d1;
}

static int64_t months_until(int64_t d0, int64_t n0, int64_t d1, int64_t n1)
{
    int64_t y0, y1, total;
    int m0, m1, dd0, dd1;
    d1 = end_date(d0, n0, d1, n1);
    kg_temporal_civil(d0, &y0, &m0, &dd0);
    kg_temporal_civil(d1, &y1, &m1, &dd1);
    total = (y1 * 12 + m1) - (y0 * 12 + m0);
    if (total > 0 && dd1 < dd0) total--;
    else if (total < 0 && dd1 > dd0) total++;
    return total;
}

/* duration.between(a, b) and its single-unit forms: b - a as openCypher
 * splits it. Without a date on both sides only the times of day count;
 * both zoned: b is first moved to a's offset. */
static int f_between(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    const char *nm = c->fn->name + strlen("duration.");
    kg_temporal f, t, r;
    kg_error err = {0};
    int dated, zoned, i;
    int64_t ns, q;

    (void)n;
    if (a[0].type == KG_VNULL || a[1].type == KG_VNULL) return KG_OK;
    for (i = 0; i < 2; i++)
        if (!KG_VTYPE_IS_TEMPORAL(a[i].type) || a[i].type == KG_VDURATION ||
            kg_temporal_get(i ? &t : &f, &a[i]) < 0)
            return kg_func__argerr(x, c, (uint32_t)i, "a temporal instant",
                                   &a[i]);
    dated = a[0].type != KG_VLOCALTIME && a[0].type != KG_VTIME &&
            a[1].type != KG_VLOCALTIME && a[1].type != KG_VTIME;
    zoned = (a[0].type == KG_VTIME || a[0].type == KG_VDATETIME) &&
            (a[1].type == KG_VTIME || a[1].type == KG_VDATETIME);
    if (zoned) { /* b in a's offset */
        t.nanos += (int64_t)(f.offset - t.offset) * NS_SEC;
        t.days += floordiv64(t.nanos, NS_DAY_I);
        t.nanos -= floordiv64(t.nanos, NS_DAY_I) * NS_DAY_I;
    }
    memset(&r, 0, sizeof r);
    r.type = KG_VDURATION;
    if (!dated) {
        ns = strcmp(nm, "inMonths") == 0 || strcmp(nm, "inDays") == 0
                 ? 0
                 : t.nanos - f.nanos;
    } else if (strcmp(nm, "inSeconds") == 0) {
        ns = (t.days - f.days) * NS_DAY_I + t.nanos - f.nanos;
    } else {
        int64_t from = f.days;
        if (strcmp(nm, "inDays") != 0) {
            r.months = months_until(f.days, f.nanos, t.days, t.nanos);
            from = plus_months(f.days, r.months);
        }
        if (strcmp(nm, "inMonths") != 0) {
            r.days = end_date(from, f.nanos, t.days, t.nanos) - from;
            from += r.days;
        }
        ns = strcmp(nm, "between") == 0
                 ? (t.days - from) * NS_DAY_I + t.nanos - f.nanos
                 : 0;
        if (strcmp(nm, "inMonths") == 0) r.days = 0;
    }
    q = floordiv64(ns, NS_SEC);
    r.secs = q;
    r.nanos = ns - q * NS_SEC;
    if (kg_temporal_make(out, &r, &err) < 0) return fail_err(x, c, &err);
    return KG_OK;
}

const kg_func kg_func__temporal[] = {
    {"localtime", 0, 1, 0, 0, f_instant},
    {"time", 0, 1, 0, 0, f_instant},
    {"localdatetime", 0, 1, 0, 0, f_instant},
    {"datetime", 0, 1, 0, 0, f_instant},
    {"duration", 1, 1, 0, 0, f_duration},
    {"date", 0, 1, 0, 0, f_date},
    {"duration.between", 2, 2, 0, 0, f_between},
    {"duration.inMonths", 2, 2, 0, 0, f_between},
    {"duration.inDays", 2, 2, 0, 0, f_between},
    {"duration.inSeconds", 2, 2, 0, 0, f_between},
    {"date.statement", 0, 1, 0, 0, f_clock},
    {"date.transaction", 0, 1, 0, 0, f_clock},
    {"date.realtime", 0, 1, 0, 0, f_clock},
    {"localtime.statement", 0, 1, 0, 0, f_clock},
    {"localtime.transaction", 0, 1, 0, 0, f_clock},
    {"localtime.realtime", 0, 1, 0, 0, f_clock},
    {"time.statement", 0, 1, 0, 0, f_clock},
    {"time.transaction", 0, 1, 0, 0, f_clock},
    {"time.realtime", 0, 1, 0, 0, f_clock},
    {"localdatetime.statement", 0, 1, 0, 0, f_clock},
    {"localdatetime.transaction", 0, 1, 0, 0, f_clock},
    {"localdatetime.realtime", 0, 1, 0, 0, f_clock},
    {"datetime.statement", 0, 1, 0, 0, f_clock},
    {"datetime.transaction", 0, 1, 0, 0, f_clock},
    {"datetime.realtime", 0, 1, 0, 0, f_clock},
    {"date.truncate", 2, 3, 0, 0, f_truncate},
    {"localtime.truncate", 2, 3, 0, 0, f_truncate},
    {"time.truncate", 2, 3, 0, 0, f_truncate},
    {"localdatetime.truncate", 2, 3, 0, 0, f_truncate},
    {"datetime.truncate", 2, 3, 0, 0, f_truncate},
    {NULL, 0, 0, 0, 0, NULL}};
