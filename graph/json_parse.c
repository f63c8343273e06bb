/* json_parse.c - a strict RFC 8259 JSON reader producing kg_values.
 *
 * Strict because JSON reaches us from the store (our own writer) and from
 * users (query parameters, imports): anything the RFC rejects - comments,
 * trailing commas, single quotes, leading zeros, NaN, lone surrogates,
 * invalid UTF-8, raw control characters - is an error naming the offset,
 * line and column, and the token. Objects with a repeated key are rejected
 * too (the RFC allows them but leaves the meaning open). Nesting is capped
 * at KG_JSON_MAX_DEPTH so a hostile "[[[[..." cannot exhaust the C stack.
 * Integers that fit int64 become KG_VINT; every other number is a float.
 */
#include <math.h>
#include <string.h>

#include "graph_int.h"

typedef struct {
    const char *text;
    size_t len, pos;
    int depth, typed;
    int raw_next; /* the next value is the payload of a "$map" marker */
    kg_error *err;
    kg_buf tmp; /* unescaped string bytes */
} parser;

static int fail(parser *p, int code, size_t at, size_t n, const char *fmt,
                const char *arg)
{
    if (p->err != NULL) {
        kg_error_set(p->err, code, "<json>", (kg_span){(uint32_t)at,
                     (uint32_t)n}, fmt, arg);
        kg_error_locate(p->err, p->text, p->len);
    }
    return code;
}

/* The character at p->pos, shown safely for a message. */
static const char *show(parser *p, char buf[16])
{
    size_t adv, w, n;

    if (p->pos >= p->len) return "end of input";
    n = kg_utf8__escape(p->text + p->pos, p->len - p->pos, &adv, buf, &w);
    buf[n] = '\0';
    return buf;
}

static int unexpected(parser *p, const char *what)
{
    char b[16], msg[160];

    if (p->pos >= p->len) {
        snprintf(msg, sizeof msg, "unexpected end of input, expected %s",
                 what);
        return fail(p, KG_ESYNTAX, p->pos, 0, "%s", msg);
    }
    snprintf(msg, sizeof msg, "unexpected '%s', expected %s", show(p, b),
             what);
    return fail(p, KG_ESYNTAX, p->pos, 1, "%s", msg);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

/* "line:col" of an offset, for "to close '[' at 1:7". */
static void where(parser *p, size_t at, char out[32])
{
    kg_error e;
    memset(&e, 0, sizeof e);
    e.span.offset = (uint32_t)at;
    kg_error_locate(&e, p->text, p->len);
    snprintf(out, 32, "%u:%u", e.line, e.col);
}

static int parse_value(parser *p, kg_value *out);

/* number -> '-'? int frac? exp? */
static int parse_number(parser *p, kg_value *out)
{
    const char *s = p->text;
    size_t start = p->pos, i = p->pos;
    int is_float = 0, neg = 0;
    uint64_t mag = 0, limit;
    size_t j;

    if (i < p->len && s[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= p->len || s[i] < '0' || s[i] > '9') {
        p->pos = i;
        return unexpected(p, "a digit");
    }
    if (s[i] == '0' && i + 1 < p->len && s[i + 1] >= '0' && s[i + 1] <= '9')
        return fail(p, KG_ESYNTAX, i, 1, "%s",
                    "invalid number: leading zeros are not allowed");
    while (i < p->len && s[i] >= '0' && s[i] <= '9') i++;
    if (i < p->len && s[i] == '.') {
        is_float = 1;
        p->pos = ++i;
        if (i >= p->len || s[i] < '0' || s[i] > '9')
            return unexpected(p, "a digit after '.'");
        while (i < p->len && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        is_float = 1;
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-')) i++;
        p->pos = i;
        if (i >= p->len || s[i] < '0' || s[i] > '9')
            return unexpected(p, "a digit in the exponent");
        while (i < p->len && s[i] >= '0' && s[i] <= '9') i++;
    }
    p->pos = i;
    if (!is_float) {
        limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        for (j = start + (size_t)neg; j < i; j++) {
            unsigned d = (unsigned)(s[j] - '0');
            if (mag > (limit - d) / 10) break;
            mag = mag * 10 + d;
        }
        if (j == i) {
            *out = kg_value_int(neg ? (int64_t)(0 - mag) : (int64_t)mag);
            return KG_OK;
        }
        /* too big for int64: fall through to a float */
    }
    *out = kg_value_float(kg_json__strtod(s + start, i - start));
    return KG_OK;
}

static int hex4(parser *p, size_t at, uint32_t *cp)
{
    size_t i;

    *cp = 0;
    for (i = 0; i < 4; i++) {
        char c = at + i < p->len ? p->text[at + i] : '\0';
        int v = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (v < 0)
            return fail(p, KG_ESYNTAX, at - 2, 2 + i, "%s",
                        "invalid \\u escape: expected 4 hex digits");
        *cp = (*cp << 4) | (uint32_t)v;
    }
    return KG_OK;
}

static int put_cp(kg_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return kg_buf_put(b, u, n);
}

/* An escape starting at p->pos (the backslash); appends to p->tmp. */
static int parse_escape(parser *p)
{
    size_t at = p->pos;
    char c = at + 1 < p->len ? p->text[at + 1] : '\0';
    uint32_t cp, lo;
    char b[16], msg[64];
    int rc;

    switch (c) {
    case '"': case '\\': case '/':
        p->pos += 2;
        return kg_buf_putc(&p->tmp, c);
    case 'b': p->pos += 2; return kg_buf_putc(&p->tmp, '\b');
    case 'f': p->pos += 2; return kg_buf_putc(&p->tmp, '\f');
    case 'n': p->pos += 2; return kg_buf_putc(&p->tmp, '\n');
    case 'r': p->pos += 2; return kg_buf_putc(&p->tmp, '\r');
    case 't': p->pos += 2; return kg_buf_putc(&p->tmp, '\t');
    case 'u': break;
    default:
        if (at + 1 >= p->len) {
            p->pos = p->len;
            return unexpected(p, "an escape character after '\\'");
        }
        p->pos = at + 1;
        snprintf(msg, sizeof msg, "invalid escape '\\%s' in string",
                 show(p, b));
        return fail(p, KG_ESYNTAX, at, 2, "%s", msg);
    }
    if ((rc = hex4(p, at + 2, &cp)) < 0) return rc;
    p->pos = at + 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(p, KG_ESYNTAX, at, 6, "%s",
                    "lone low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->pos + 1 >= p->len || p->text[p->pos] != '\\' ||
            p->text[p->pos + 1] != 'u')
            return fail(p, KG_ESYNTAX, at, 6, "%s",
                        "high surrogate not followed by a low surrogate");
        if ((rc = hex4(p, p->pos + 2, &lo)) < 0) return rc;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(p, KG_ESYNTAX, at, 12, "%s",
                        "high surrogate not followed by a low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p->pos += 6;
    }
    return put_cp(&p->tmp, cp);
}

/* string -> '"' chars '"'; the bytes go to p->tmp. */
static int parse_string_raw(parser *p)
{
    size_t open = p->pos, run;
    uint32_t cp;
    int rc;

    kg_buf_reset(&p->tmp);
    if (kg_buf_grow(&p->tmp, 0) < 0) return KG_ENOMEM;
    p->pos++;
    for (;;) {
        const char *s = p->text;
        run = p->pos;
        while (p->pos < p->len && (unsigned char)s[p->pos] >= 0x20 &&
               (unsigned char)s[p->pos] < 0x80 && s[p->pos] != '"' &&
               s[p->pos] != '\\')
            p->pos++;
        if (kg_buf_put(&p->tmp, s + run, p->pos - run) < 0) return KG_ENOMEM;
        if (p->pos >= p->len)
            return fail(p, KG_ESYNTAX, open, 1, "%s",
                        "unterminated string (opened here)");
        if (s[p->pos] == '"') {
            p->pos++;
            return KG_OK;
        }
        if (s[p->pos] == '\\') {
            if ((rc = parse_escape(p)) < 0) return rc;
            continue;
        }
        if ((unsigned char)s[p->pos] < 0x20) {
            char b[16], msg[96];
            snprintf(msg, sizeof msg,
                     "control character '%s' must be escaped in a string",
                     show(p, b));
            return fail(p, KG_ESYNTAX, p->pos, 1, "%s", msg);
        }
        run = kg_utf8__decode(s + p->pos, p->len - p->pos, &cp);
        if (run == 0)
            return fail(p, KG_ESYNTAX, p->pos, 1, "%s",
                        "invalid UTF-8 in string");
        if (kg_buf_put(&p->tmp, s + p->pos, run) < 0) return KG_ENOMEM;
        p->pos += run;
    }
}

static int parse_string(parser *p, kg_value *out)
{
    int rc = parse_string_raw(p);
    if (rc < 0) return rc;
    *out = kg_value_string(p->tmp.data, p->tmp.len);
    return out->type == KG_VSTRING ? KG_OK : KG_ENOMEM;
}

static int enter(parser *p)
{
    if (++p->depth > KG_JSON_MAX_DEPTH) {
        char msg[64];
        snprintf(msg, sizeof msg, "JSON nested deeper than %d levels",
                 KG_JSON_MAX_DEPTH);
        return fail(p, KG_ELIMIT, p->pos, 1, "%s", msg);
    }
    return KG_OK;
}

/* Shared by arrays and objects: after a member, ',' or the closer. */
static int after_member(parser *p, char closer, size_t open, int *done)
{
    char msg[96], at[32];

    skip_ws(p);
    if (p->pos < p->len && p->text[p->pos] == ',') {
        p->pos++;
        *done = 0;
        return KG_OK;
    }
    if (p->pos < p->len && p->text[p->pos] == closer) {
        p->pos++;
        *done = 1;
        return KG_OK;
    }
    where(p, open, at);
    snprintf(msg, sizeof msg, "',' or '%c' to close '%c' at %s", closer,
             closer == ']' ? '[' : '{', at);
    return unexpected(p, msg);
}

/* array -> '[' ( value ( ',' value )* )? ']' */
static int parse_array(parser *p, kg_value *out)
{
    size_t open = p->pos;
    kg_value item;
    int rc, done = 0;

    if ((rc = enter(p)) < 0) return rc;
    *out = kg_value_list(0);
    if (out->type != KG_VLIST) return KG_ENOMEM;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->text[p->pos] == ']') {
        p->pos++;
        p->depth--;
        return KG_OK;
    }
    while (!done) {
        if ((rc = parse_value(p, &item)) < 0) return rc;
        if ((rc = kg_value_list_push(out, item)) < 0) return rc;
        if ((rc = after_member(p, ']', open, &done)) < 0) return rc;
    }
    p->depth--;
    return KG_OK;
}

/* In typed mode a one-member object may be a marker (see json.c). */
static int unwrap_marker(parser *p, kg_value *v, size_t open)
{
    const kg_vstr *k;
    const kg_value *x;
    kg_value nv;

    if (!p->typed || v->u.map->len != 1) return KG_OK;
    k = v->u.map->keys[0];
    x = &v->u.map->vals[0];
    if (strcmp(k->s, "$date") == 0) {
        if (x->type != KG_VSTRING) goto bad;
        nv = kg_value_date(x->u.str->s, x->u.str->len);
    } else if (strcmp(k->s, "$float") == 0) {
        if (x->type != KG_VSTRING) goto bad;
        if (strcmp(x->u.str->s, "NaN") == 0)
            nv = kg_value_float(NAN);
        else if (strcmp(x->u.str->s, "Infinity") == 0)
            nv = kg_value_float(INFINITY);
        else if (strcmp(x->u.str->s, "-Infinity") == 0)
            nv = kg_value_float(-INFINITY);
        else
            goto bad;
    } else if (strcmp(k->s, "$map") == 0) {
        if (x->type != KG_VMAP) goto bad;
        nv = kg_value_retain(x);
    } else {
        return KG_OK;
    }
    if (nv.type == KG_VNULL) return KG_ENOMEM;
    kg_value_release(v);
    *v = nv;
    return KG_OK;
bad:
    return fail(p, KG_ESYNTAX, open, 1, "invalid '%s' marker value", k->s);
}

/* object -> '{' ( string ':' value ( ',' string ':' value )* )? '}' */
static int parse_object(parser *p, kg_value *out, int raw)
{
    size_t open = p->pos, keyat;
    kg_value val;
    char *key = NULL;
    size_t klen;
    uint32_t before;
    int rc, done = 0;

    if ((rc = enter(p)) < 0) return rc;
    *out = kg_value_map();
    if (out->type != KG_VMAP) return KG_ENOMEM;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->text[p->pos] == '}') {
        p->pos++;
        p->depth--;
        return KG_OK;
    }
    while (!done) {
        skip_ws(p);
        if (p->pos >= p->len || p->text[p->pos] != '"')
            return unexpected(p, "a string key in object");
        keyat = p->pos;
        if ((rc = parse_string_raw(p)) < 0) return rc;
        klen = p->tmp.len;
        key = kg_buf_detach(&p->tmp);
        if (key == NULL) return KG_ENOMEM;
        skip_ws(p);
        if (p->pos >= p->len || p->text[p->pos] != ':') {
            kg_free(key);
            return unexpected(p, "':' after object key");
        }
        p->pos++;
        p->raw_next = p->typed && strcmp(key, "$map") == 0;
        if ((rc = parse_value(p, &val)) < 0) goto done;
        before = out->u.map->len;
        if ((rc = kg_value_map_set(out, key, klen, val)) < 0) goto done;
        if (out->u.map->len == before) {
            rc = fail(p, KG_ESYNTAX, keyat, (uint32_t)(klen + 2),
                      "duplicate key '%s' in object", key);
            goto done;
        }
        kg_free(key);
        key = NULL;
        if ((rc = after_member(p, '}', open, &done)) < 0) return rc;
    }
    p->depth--;
    return raw ? KG_OK : unwrap_marker(p, out, open);
done:
    kg_free(key);
    return rc;
}

static int literal(parser *p, const char *word, kg_value v, kg_value *out)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0) {
        char msg[48];
        snprintf(msg, sizeof msg, "'%s'", word);
        return unexpected(p, msg);
    }
    p->pos += n;
    *out = v;
    return KG_OK;
}

/* value -> object | array | string | number | true | false | null.
 * On failure *out is null and nothing leaks. */
static int parse_value(parser *p, kg_value *out)
{
    int rc, raw = p->raw_next;

    p->raw_next = 0;
    *out = KG_NULL_VALUE;
    skip_ws(p);
    if (p->pos >= p->len) return unexpected(p, "a JSON value");
    switch (p->text[p->pos]) {
    case '{': rc = parse_object(p, out, raw); break;
    case '[': rc = parse_array(p, out); break;
    case '"': rc = parse_string(p, out); break;
    case 't': rc = literal(p, "true", kg_value_bool(1), out); break;
    case 'f': rc = literal(p, "false", kg_value_bool(0), out); break;
    case 'n': rc = literal(p, "null", KG_NULL_VALUE, out); break;
    default:
        if (p->text[p->pos] == '-' ||
            (p->text[p->pos] >= '0' && p->text[p->pos] <= '9')) {
            rc = parse_number(p, out);
            break;
        }
        return unexpected(p, "a JSON value");
    }
    if (rc < 0) kg_value_release(out);
    return rc;
}

int kg_json_parse(kg_value *out, const char *text, size_t len, int typed,
                  kg_error *err)
{
    parser p;
    int rc;

    memset(&p, 0, sizeof p);
    p.text = text;
    p.len = len;
    p.typed = typed;
    p.err = err;
    *out = KG_NULL_VALUE;
    rc = parse_value(&p, out);
    if (rc == KG_OK) {
        skip_ws(&p);
        if (p.pos < p.len) {
            char b[16];
            rc = fail(&p, KG_ESYNTAX, p.pos, 1,
                      "unexpected '%s' after the JSON value", show(&p, b));
            kg_value_release(out);
        }
    }
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, "<json>", (kg_span){0, 0},
                     "out of memory");
    kg_buf_free(&p.tmp);
    return rc;
}
