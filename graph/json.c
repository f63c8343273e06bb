/* json.c - writing kg_values as JSON (RFC 8259).
 *
 * JSON is both the store's property encoding and an export format, so the
 * writer is exact: integers print in full, floats with the 17 significant
 * digits that round-trip a double and always with a '.' or exponent so they
 * read back as floats, strings escape what JSON requires and nothing more
 * (UTF-8 passes through). In typed mode the types JSON lacks are written as
 * one-member objects so the store can round-trip every stored kg_value:
 *   {"$date":"2021-08-24"}  {"$float":"NaN"}  {"$map":{...}}
 * ($map wraps a map whose only key is itself one of these markers, so that
 * user data can never be mistaken for a marker.) Parsing is in
 * json_parse.c.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

static int put_string(kg_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;

    if (kg_buf_putc(out, '"') < 0) return KG_ENOMEM;
    for (i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n;
        char esc[6];
        const char *rep = NULL;
        size_t replen = 2;

        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            n = kg_utf8__decode(s + i, len - i, &cp);
            if (n > 0) {
                i += n;
                continue;
            }
            /* Invalid UTF-8 cannot be represented in JSON: U+FFFD. */
            rep = "\xEF\xBF\xBD";
            replen = 3;
        } else {
            switch (c) {
            case '"': rep = "\\\""; break;
            case '\\': rep = "\\\\"; break;
            case '\n': rep = "\\n"; break;
            case '\r': rep = "\\r"; break;
            case '\t': rep = "\\t"; break;
            case '\b': rep = "\\b"; break;
            case '\f': rep = "\\f"; break;
            default:
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                rep = esc;
                replen = 6;
            }
        }
        if (kg_buf_put(out, s + start, i - start) < 0 ||
            kg_buf_put(out, rep, replen) < 0)
            return KG_ENOMEM;
        i++;
        start = i;
    }
    if (kg_buf_put(out, s + start, len - start) < 0) return KG_ENOMEM;
    return kg_buf_putc(out, '"');
}

/* printf and strtod follow LC_NUMERIC, and the shell may call setlocale:
 * JSON always uses '.', so swap the locale's decimal point in and out. */
static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    return lc && lc->decimal_point && lc->decimal_point[0]
               ? lc->decimal_point[0] : '.';
}

static void fix_point(char *s, char from, char to)
{
    if (from == to) return;
    for (; *s; s++)
        if (*s == from) *s = to;
}

double kg_json__strtod(const char *s, size_t len)
{
    char tmp[64], *buf = tmp;
    double d;

    if (len >= sizeof tmp && (buf = kg_malloc(len + 1)) == NULL) {
        /* OOM: parse in place; correct in the usual "C"-like locales */
        return strtod(s, NULL);
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    fix_point(buf, '.', locale_point());
    d = strtod(buf, NULL);
    if (buf != tmp) kg_free(buf);
    return d;
}

static int put_float(kg_buf *out, double f, int typed)
{
    char tmp[40];
    int n;

    if (isnan(f) || isinf(f)) {
        if (!typed) return kg_buf_puts(out, "null");
        return kg_buf_puts(out, isnan(f) ? "{\"$float\":\"NaN\"}"
                                : f > 0  ? "{\"$float\":\"Infinity\"}"
                                         : "{\"$float\":\"-Infinity\"}");
    }
    /* Shortest of %.15g / %.16g / %.17g that reads back exactly. */
    n = snprintf(tmp, sizeof tmp, "%.15g", f);
    if (strtod(tmp, NULL) != f) n = snprintf(tmp, sizeof tmp, "%.16g", f);
    if (strtod(tmp, NULL) != f) n = snprintf(tmp, sizeof tmp, "%.17g", f);
    fix_point(tmp, locale_point(), '.');
    if (strpbrk(tmp, ".eEn") == NULL) { /* 3.0 must not come back as 3 */
        tmp[n++] = '.';
        tmp[n++] = '0';
        tmp[n] = '\0';
    }
    return kg_buf_put(out, tmp, (size_t)n);
}

static int is_marker(const kg_vstr *k)
{
    return k->len > 1 && k->s[0] == '$' &&
           (strcmp(k->s, "$date") == 0 || strcmp(k->s, "$float") == 0 ||
            strcmp(k->s, "$map") == 0);
}

static int write_value(kg_buf *out, const kg_value *v, int typed)
{
    uint32_t i;
    int rc, wrap;

    switch (v->type) {
    case KG_VNULL: return kg_buf_puts(out, "null");
    case KG_VBOOL: return kg_buf_puts(out, v->u.b ? "true" : "false");
    case KG_VINT: return kg_buf_printf(out, "%lld", (long long)v->u.i);
    case KG_VFLOAT: return put_float(out, v->u.f, typed);
    case KG_VSTRING:
    /* Temporals other than DATE are written as their ISO text in both
     * modes: no store schema ever held them as JSON, so typed JSON needs
     * no marker to read them back. */
    case KG_VLOCALTIME:
    case KG_VTIME:
    case KG_VLOCALDATETIME:
    case KG_VDATETIME:
    case KG_VDURATION: return put_string(out, v->u.str->s, v->u.str->len);
    case KG_VDATE:
        if (typed && kg_buf_puts(out, "{\"$date\":") < 0) return KG_ENOMEM;
        if (put_string(out, v->u.str->s, v->u.str->len) < 0) return KG_ENOMEM;
        return typed ? kg_buf_putc(out, '}') : KG_OK;
    case KG_VLIST:
        if (kg_buf_putc(out, '[') < 0) return KG_ENOMEM;
        for (i = 0; i < v->u.list->len; i++) {
            if (i && kg_buf_putc(out, ',') < 0) return KG_ENOMEM;
            if ((rc = write_value(out, &v->u.list->items[i], typed)) < 0)
                return rc;
        }
        return kg_buf_putc(out, ']');
    case KG_VMAP:
        wrap = typed && v->u.map->len == 1 && is_marker(v->u.map->keys[0]);
        if (wrap && kg_buf_puts(out, "{\"$map\":") < 0) return KG_ENOMEM;
        if (kg_buf_putc(out, '{') < 0) return KG_ENOMEM;
        for (i = 0; i < v->u.map->len; i++) {
            const kg_vstr *k = v->u.map->keys[i];
            if ((i && kg_buf_putc(out, ',') < 0) ||
                put_string(out, k->s, k->len) < 0 ||
                kg_buf_putc(out, ':') < 0)
                return KG_ENOMEM;
            if ((rc = write_value(out, &v->u.map->vals[i], typed)) < 0)
                return rc;
        }
        if (kg_buf_putc(out, '}') < 0) return KG_ENOMEM;
        return wrap ? kg_buf_putc(out, '}') : KG_OK;
    default:
        return KG_ETYPE; /* nodes, relationships, paths: see kg_graph.h */
    }
}

/* Returns KG_ENOMEM, or KG_ETYPE for a node, relationship or path (the
 * buffer then holds a partial document). */
int kg_json_write(kg_buf *out, const kg_value *v, int typed)
{
    int rc = write_value(out, v, typed);
    if (rc == KG_OK && out->oom) rc = KG_ENOMEM;
    return rc;
}
