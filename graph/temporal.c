/* temporal.c - openCypher temporal values: parts, ISO 8601 text, order,
 * arithmetic.
 *
 * A temporal value is held as its canonical text (see kg_graph.h), the
 * form Neo4j and the openCypher TCK print: '12:31:14.645876123+01:00',
 * '1984-10-11T12:31:14Z', 'P1Y2M3DT4H5M6.7S'. Canonical means one text per
 * value, so equality, hashing, DISTINCT and the store treat the text as
 * they treat a string's, and only ordering and arithmetic read the parts
 * back (kg_temporal_get). Fractions of a second print without trailing
 * zeros; seconds are left out when they and the fraction are zero; offset
 * zero prints as 'Z'.
 *
 * Time zones are fixed offsets. Named zones ('Europe/Stockholm') are
 * rejected with a message: their offset depends on the date through the
 * tz database, and a fixed-offset text could not round-trip them.
 * The calendar is proleptic Gregorian; years run from -999999 to 999999.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "graph_int.h"

#define NS_SEC 1000000000LL
#define NS_DAY (86400LL * NS_SEC)
#define MAX_YEAR 999999
#define MAX_OFFSET (18 * 3600)
#define DUR_MAX (1LL << 40) /* months or days of a duration */

/* ---- calendar (after H. Hinnant's days_from_civil / civil_from_days) ---- */

int64_t kg_temporal_days(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void kg_temporal_civil(int64_t days, int64_t *y, int *m, int *d)
{
    civil(days, y, m, d);
}

static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

int kg_temporal_valid_date(int64_t y, int m, int d)
{
    return y >= -MAX_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
           d <= month_days(y, m);
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- canonical text ---- */

static void put_date(kg_buf *b, int64_t days)
{
    int64_t y;
    int m, d;
    civil(days, &y, &m, &d);
    if (y > 9999) kg_buf_printf(b, "+%lld", (long long)y);
    else if (y < 0) kg_buf_printf(b, "-%04lld", (long long)-y);
    else kg_buf_printf(b, "%04lld", (long long)y);
    kg_buf_printf(b, "-%02d-%02d", m, d);
}

static void put_fraction(kg_buf *b, int64_t ns)
{
    char f[16];
    int n;
    if (ns == 0) return;
    n = snprintf(f, sizeof f, "%09lld", (long long)ns);
    while (n > 0 && f[n - 1] == '0') f[--n] = '\0';
    kg_buf_printf(b, ".%s", f);
}

static void put_time(kg_buf *b, int64_t nanos)
{
    int64_t s = nanos / NS_SEC, ns = nanos % NS_SEC;
    kg_buf_printf(b, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
    if (s % 60 || ns) kg_buf_printf(b, ":%02d", (int)(s % 60));
    put_fraction(b, ns);
}

static void put_offset(kg_buf *b, int32_t off)
{
    int a = off < 0 ? -off : off;
    if (off == 0) {
        kg_buf_putc(b, 'Z');
        return;
    }
    kg_buf_printf(b, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
                  a / 60 % 60);
    if (a % 60) kg_buf_printf(b, ":%02d", a % 60);
}

static void put_duration(kg_buf *b, const kg_temporal *t)
{
    int64_t y = t->months / 12, mo = t->months % 12, s = t->secs,
            ns = t->nanos;
    const char *sg;
    kg_buf_putc(b, 'P');
    if (y) kg_buf_printf(b, "%lldY", (long long)y);
    if (mo) kg_buf_printf(b, "%lldM", (long long)mo);
    if (t->days) kg_buf_printf(b, "%lldD", (long long)t->days);
    if (s == 0 && ns == 0) {
        if (!y && !mo && !t->days) kg_buf_puts(b, "T0S");
        return;
    }
    /* the seconds part printed as a signed magnitude: -3.5 is s -4, ns .5 */
    sg = s < 0 ? "-" : "";
    if (s < 0) {
        s = -s;
        if (ns) {
            s -= 1;
            ns = NS_SEC - ns;
        }
    }
    kg_buf_putc(b, 'T');
    if (s / 3600) kg_buf_printf(b, "%s%lldH", sg, (long long)(s / 3600));
    if (s / 60 % 60) kg_buf_printf(b, "%s%lldM", sg, (long long)(s / 60 % 60));
    if (s % 60 || ns) {
        kg_buf_printf(b, "%s%lld", sg, (long long)(s % 60));
        put_fraction(b, ns);
        kg_buf_putc(b, 'S');
    }
}

int kg_temporal_make(kg_value *out, const kg_temporal *t, kg_error *err)
{
    kg_buf b = KG_BUF_INIT;
    int64_t y;
    int m, d;
    static const kg_span none = {0, 0};

    *out = KG_NULL_VALUE;
    if (t->type != KG_VDURATION && t->type != KG_VLOCALTIME &&
        t->type != KG_VTIME) {
        if (llabs(t->days) > 400000000LL)
            return kg_error_set(err, KG_ETYPE, NULL, none, "date out of range");
        civil(t->days, &y, &m, &d);
        if (y < -MAX_YEAR || y > MAX_YEAR)
            return kg_error_set(err, KG_ETYPE, NULL, none,
                                "date out of range (year %lld)", (long long)y);
    }
    if (t->type != KG_VDURATION && t->type != KG_VDATE &&
        (t->nanos < 0 || t->nanos >= NS_DAY))
        return kg_error_set(err, KG_ETYPE, NULL, none, "time out of range");
    if ((t->type == KG_VTIME || t->type == KG_VDATETIME) &&
        (t->offset < -MAX_OFFSET || t->offset > MAX_OFFSET))
        return kg_error_set(err, KG_ETYPE, NULL, none,
                            "time zone offset out of range (at most 18 hours)");
    switch (t->type) {
    case KG_VDATE: put_date(&b, t->days); break;
    case KG_VLOCALTIME: put_time(&b, t->nanos); break;
    case KG_VTIME:
        put_time(&b, t->nanos);
        put_offset(&b, t->offset);
        break;
    case KG_VLOCALDATETIME:
    case KG_VDATETIME:
        put_date(&b, t->days);
        kg_buf_putc(&b, 'T');
        put_time(&b, t->nanos);
        if (t->type == KG_VDATETIME) put_offset(&b, t->offset);
        break;
    case KG_VDURATION:
        /* bounds that keep every sum in kg_temporal_add inside int64 */
        if (t->nanos < 0 || t->nanos >= NS_SEC || llabs(t->months) > DUR_MAX ||
            llabs(t->days) > DUR_MAX || llabs(t->secs) > DUR_MAX * 86400) {
            kg_buf_free(&b);
            return kg_error_set(err, KG_ETYPE, NULL, none,
                                "duration out of range");
        }
        put_duration(&b, t);
        break;
    default:
        kg_buf_free(&b);
        return kg_error_set(err, KG_ETYPE, NULL, none, "not a temporal type");
    }
    if (!b.oom) *out = kg_value_temporal(t->type, b.data, b.len);
    kg_buf_free(&b);
    if (out->type == KG_VNULL)
        return kg_error_set(err, KG_ENOMEM, NULL, none, "out of memory");
    return KG_OK;
}

/* ---- parsing ISO 8601 ---- */

typedef struct {
    const char *p, *end;
} cur;

static int digits(cur *c, int n, int64_t *out)
{
    int64_t v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (c->p + i >= c->end || c->p[i] < '0' || c->p[i] > '9') return 0;
        v = v * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *out = v;
    return 1;
}

static int ndigits(const cur *c)
{
    int n = 0;
    while (c->p + n < c->end && c->p[n] >= '0' && c->p[n] <= '9') n++;
    return n;
}

static int at(const cur *c, char ch)
{
    return c->p < c->end && *c->p == ch;
}

/* The Monday of ISO week 1 of year y (1970-01-01 was a Thursday). */
static int64_t week1(int64_t y)
{
    int64_t jan4 = kg_temporal_days(y, 1, 4);
    return jan4 - ((jan4 % 7 + 7 + 3) % 7);
}

/* YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY, YYYY-Www-D, YYYYWwwD, YYYY-DDD,
 * YYYYDDD; a signed year may have more digits. */
static int parse_date(cur *c, int64_t *days)
{
    int64_t y, m = 1, d = 1, w, wd = 1;
    int neg = 0, dash, n;
    if (at(c, '+') || at(c, '-')) {
        neg = *c->p == '-';
        c->p++;
        n = ndigits(c);
        if (n < 4 || n > 6 || !digits(c, n, &y)) return 0;
    } else if (!digits(c, 4, &y)) {
        return 0;
    }
    if (neg) y = -y;
    dash = at(c, '-');
    if (dash) c->p++;
    if (at(c, 'W')) { /* ISO week date: week 1 holds January 4th */
        c->p++;
        if (!digits(c, 2, &w)) return 0;
        if (dash ? at(c, '-') : ndigits(c) == 1) {
            if (dash) c->p++;
            if (!digits(c, 1, &wd)) return 0;
        }
        if (w < 1 || w > 53 || wd < 1 || wd > 7) return 0;
        *days = week1(y) + (w - 1) * 7 + (wd - 1);
        return *days < week1(y + 1);
    }
    n = ndigits(c);
    if (n == 3 && (dash || c->p + 3 >= c->end || c->p[3] == 'T')) {
        digits(c, 3, &d); /* ordinal day */
        if (d < 1 || d > (leap(y) ? 366 : 365)) return 0;
        *days = kg_temporal_days(y, 1, 1) + d - 1;
        return 1;
    }
    if (dash) {
        if (!digits(c, 2, &m)) return 0;
        if (at(c, '-')) {
            c->p++;
            if (!digits(c, 2, &d)) return 0;
        }
    } else if (n >= 4) {
        digits(c, 2, &m);
        digits(c, 2, &d);
    } else if (n != 0) {
        return 0;
    }
    if (!kg_temporal_valid_date(y, (int)m, (int)d)) return 0;
    *days = kg_temporal_days(y, (int)m, (int)d);
    return 1;
}

/* HH[:MM[:SS[.f]]] or HH[MM[SS[.f]]] */
static int parse_time(cur *c, int64_t *nanos)
{
    int64_t h, m = 0, s = 0, f = 0;
    int colon;
    if (!digits(c, 2, &h)) return 0;
    colon = at(c, ':');
    if (colon || ndigits(c) >= 2) {
        if (colon) c->p++;
        if (!digits(c, 2, &m)) return 0;
        if ((colon && at(c, ':')) || (!colon && ndigits(c) >= 2)) {
            if (colon) c->p++;
            if (!digits(c, 2, &s)) return 0;
            if (at(c, '.') || at(c, ',')) {
                int n;
                c->p++;
                n = ndigits(c);
                if (n < 1 || n > 9) return 0;
                digits(c, n, &f);
                while (n++ < 9) f *= 10;
            }
        }
    }
    if (h > 23 || m > 59 || s > 59) return 0;
    *nanos = ((h * 60 + m) * 60 + s) * NS_SEC + f;
    return 1;
}

/* Z, +HH, +HHMM, +HH:MM, +HH:MM:SS; then an optional [zone] that only
 * 'UTC' or 'Z' may name. Returns 0 on bad text, -1 on a named zone. */
static int parse_offset(cur *c, int32_t *off, int *has)
{
    int64_t h, m = 0, s = 0;
    int neg;
    *has = 0;
    if (at(c, 'Z')) {
        c->p++;
        *off = 0;
        *has = 1;
    } else if (at(c, '+') || at(c, '-')) {
        neg = *c->p == '-';
        c->p++;
        if (!digits(c, 2, &h)) return 0;
        if (at(c, ':')) {
            c->p++;
            if (!digits(c, 2, &m)) return 0;
            if (at(c, ':')) {
                c->p++;
                if (!digits(c, 2, &s)) return 0;
            }
        } else if (ndigits(c) == 2) {
            digits(c, 2, &m);
        }
        if (h > 18 || m > 59 || s > 59) return 0;
        *off = (int32_t)((h * 3600 + m * 60 + s) * (neg ? -1 : 1));
        *has = 1;
    }
    if (at(c, '[')) {
        const char *z = ++c->p;
        while (c->p < c->end && *c->p != ']') c->p++;
        if (c->p >= c->end) return 0;
        c->p++;
        if ((c->p - z == 4 && memcmp(z, "UTC", 3) == 0) ||
            (c->p - z == 2 && *z == 'Z')) {
            if (!*has) *off = 0;
            *has = 1;
        } else {
            return -1;
        }
    }
    return 1;
}

/* A number with an optional sign and fraction, as duration text has. */
static int dur_number(cur *c, int64_t *whole, double *frac)
{
    int neg = 0, n;
    *frac = 0;
    if (at(c, '-') || at(c, '+')) {
        neg = *c->p == '-';
        c->p++;
    }
    n = ndigits(c);
    if (n < 1 || n > 18 || !digits(c, n, whole)) return 0;
    if (at(c, '.') || at(c, ',')) {
        const char *f = ++c->p;
        double scale = 0.1;
        n = ndigits(c);
        if (n < 1) return 0;
        for (; c->p < f + n; c->p++, scale /= 10) *frac += (*c->p - '0') * scale;
    }
    if (neg) {
        *whole = -*whole;
        *frac = -*frac;
    }
    return 1;
}

/* PnYnMnWnDTnHnMnS, each part optional, numbers signed, fractions allowed.
 * A fraction carries down as openCypher does: a month is 30.436875 days,
 * a day 86400 seconds. */
/* *sum += v * k, 0 on overflow. */
static int acc(int64_t *sum, int64_t v, int64_t k)
{
    int64_t p;
    return !__builtin_mul_overflow(v, k, &p) &&
           !__builtin_add_overflow(*sum, p, sum);
}

static int parse_duration(cur *c, kg_temporal *t)
{
    int time = 0, any = 0, ok;
    int64_t v, ns;
    double f, fm = 0, fd = 0, fs = 0, w;
    if (!at(c, 'P')) return 0;
    c->p++;
    while (c->p < c->end) {
        if (at(c, 'T')) {
            if (time) return 0;
            time = 1;
            c->p++;
            continue;
        }
        if (!dur_number(c, &v, &f) || c->p >= c->end) return 0;
        any = 1;
        switch (time ? *c->p | 0x100 : *c->p) {
        case 'Y': ok = acc(&t->months, v, 12); fm += f * 12; break;
        case 'M': ok = acc(&t->months, v, 1); fm += f; break;
        case 'W': ok = acc(&t->days, v, 7); fd += f * 7; break;
        case 'D': ok = acc(&t->days, v, 1); fd += f; break;
        case 'H' | 0x100: ok = acc(&t->secs, v, 3600); fs += f * 3600; break;
        case 'M' | 0x100: ok = acc(&t->secs, v, 60); fs += f * 60; break;
        case 'S' | 0x100: ok = acc(&t->secs, v, 1); fs += f; break;
        default: return 0;
        }
        if (!ok) return 0;
        c->p++;
    }
    w = trunc(fm);
    t->months += (int64_t)w;
    fd += (fm - w) * 30.436875;
    w = trunc(fd);
    t->days += (int64_t)w;
    ns = (int64_t)llround((fd - w) * 86400.0 * NS_SEC + fs * NS_SEC);
    t->secs += floordiv(ns, NS_SEC);
    t->nanos = ns - floordiv(ns, NS_SEC) * NS_SEC;
    return any;
}

static const char *type_word(int type)
{
    switch (type) {
    case KG_VDATE: return "date";
    case KG_VLOCALTIME: return "local time";
    case KG_VTIME: return "time";
    case KG_VLOCALDATETIME: return "local date time";
    case KG_VDATETIME: return "date time";
    default: return "duration";
    }
}

int kg_temporal_parse(kg_temporal *out, int type, const char *s, size_t len,
                      kg_error *err)
{
    cur c = {s, s + len};
    int ok = 1, has = 0, z = 1;
    static const kg_span none = {0, 0};

    memset(out, 0, sizeof *out);
    out->type = type;
    switch (type) {
    case KG_VDATE: ok = parse_date(&c, &out->days); break;
    case KG_VLOCALTIME: ok = parse_time(&c, &out->nanos); break;
    case KG_VTIME:
        ok = parse_time(&c, &out->nanos) &&
             (z = parse_offset(&c, &out->offset, &has)) == 1;
        break;
    case KG_VLOCALDATETIME:
    case KG_VDATETIME:
        ok = parse_date(&c, &out->days);
        if (ok && at(&c, 'T')) {
            c.p++;
            ok = parse_time(&c, &out->nanos);
        }
        if (ok && type == KG_VDATETIME)
            ok = (z = parse_offset(&c, &out->offset, &has)) == 1;
        break;
    case KG_VDURATION: ok = parse_duration(&c, out); break;
    default: ok = 0; break;
    }
    if (z < 0)
        return kg_error_set(err, KG_ESYNTAX, NULL, none,
                            "named time zones are not supported in '%.*s' "
                            "(use an offset such as '+01:00')",
                            (int)(len > 64 ? 64 : len), s);
    if (!ok || c.p != c.end)
        return kg_error_set(err, KG_ESYNTAX, NULL, none,
                            "'%.*s' is not a %s", (int)(len > 64 ? 64 : len),
                            s, type_word(type));
    return KG_OK;
}

int kg_temporal_get(kg_temporal *out, const kg_value *v)
{
    if (!KG_VTYPE_IS_TEMPORAL(v->type)) return KG_ETYPE;
    return kg_temporal_parse(out, v->type, v->u.str->s, v->u.str->len, NULL);
}

/* ---- order ---- */

static int cmp64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* An instant as (seconds, nanoseconds) in UTC (local types: as if UTC). */
static void instant(const kg_temporal *t, int64_t *s, int64_t *ns)
{
    *s = t->days * 86400 + t->nanos / NS_SEC - t->offset;
    *ns = t->nanos % NS_SEC;
}

int kg_temporal_cmp(const kg_value *a, const kg_value *b)
{
    kg_temporal x, y;
    int64_t s1, n1, s2, n2;
    int c;
    if (a->type != b->type || a->type == KG_VDURATION) return 2;
    if (kg_temporal_get(&x, a) < 0 || kg_temporal_get(&y, b) < 0) return 2;
    if (a->type == KG_VDATE) return cmp64(x.days, y.days);
    instant(&x, &s1, &n1);
    instant(&y, &s2, &n2);
    c = cmp64(s1, s2);
    return c ? c : cmp64(n1, n2);
}

int kg_temporal_order(const kg_value *a, const kg_value *b)
{
    kg_temporal x, y;
    int c;
    if (a->type != b->type) return cmp64(a->type, b->type);
    if (kg_temporal_get(&x, a) < 0 || kg_temporal_get(&y, b) < 0)
        return kg_value__cmp(a, b);
    if (a->type == KG_VDURATION) {
        if ((c = cmp64(x.months, y.months)) != 0) return c;
        if ((c = cmp64(x.days, y.days)) != 0) return c;
        if ((c = cmp64(x.secs, y.secs)) != 0) return c;
        return cmp64(x.nanos, y.nanos);
    }
    c = kg_temporal_cmp(a, b);
    return c ? c : cmp64(x.offset, y.offset);
}

/* ---- arithmetic ---- */

static void add_months(kg_temporal *t, int64_t months)
{
    int64_t y, m0;
    int m, d, dim;
    if (months == 0) return;
    civil(t->days, &y, &m, &d);
    m0 = y * 12 + (m - 1) + months;
    y = floordiv(m0, 12);
    m = (int)(m0 - y * 12) + 1;
    dim = month_days(y, m);
    t->days = kg_temporal_days(y, m, d > dim ? dim : d);
}

int kg_temporal_add(kg_value *out, const kg_value *t, const kg_value *d,
                    int sign, kg_error *err)
{
    kg_temporal x, y;
    int64_t ns;
    static const kg_span none = {0, 0};

    *out = KG_NULL_VALUE;
    if (d->type != KG_VDURATION || kg_temporal_get(&y, d) < 0)
        return kg_error_set(err, KG_ETYPE, NULL, none,
                            "temporal arithmetic expects a duration");
    if (kg_temporal_get(&x, t) < 0) /* a DATE read from a file as text */
        return kg_error_set(err, KG_ETYPE, NULL, none,
                            "'%.40s' is not a valid %s", t->u.str->s,
                            type_word(t->type));
    if (sign < 0) { /* negate y, keeping 0 <= nanos < 1e9 */
        y.months = -y.months;
        y.days = -y.days;
        y.secs = -y.secs;
        if (y.nanos) {
            y.secs -= 1;
            y.nanos = NS_SEC - y.nanos;
        }
    }
    switch (t->type) {
    case KG_VDURATION:
        x.months += y.months;
        x.days += y.days;
        x.secs += y.secs;
        x.nanos += y.nanos;
        if (x.nanos >= NS_SEC) {
            x.secs++;
            x.nanos -= NS_SEC;
        }
        break;
    case KG_VDATE: /* whole days of the time part, toward zero */
        add_months(&x, y.months);
        x.days += y.days + (y.secs + (y.secs < 0 && y.nanos)) / 86400;
        break;
    case KG_VLOCALTIME:
    case KG_VTIME:
        ns = (y.secs % 86400) * NS_SEC + y.nanos;
        x.nanos = ((x.nanos + ns) % NS_DAY + NS_DAY) % NS_DAY;
        break;
    default: /* local date time, date time */
        add_months(&x, y.months);
        x.days += y.days + floordiv(y.secs, 86400);
        ns = x.nanos + (y.secs - floordiv(y.secs, 86400) * 86400) * NS_SEC +
             y.nanos;
        x.days += ns / NS_DAY;
        x.nanos = ns % NS_DAY;
        break;
    }
    return kg_temporal_make(out, &x, err);
}
