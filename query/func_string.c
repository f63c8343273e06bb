/* func_string.c - string functions: toLower, toUpper, trim, ltrim, rtrim,
 * split, substring, left, right, replace, toString.
 *
 * Positions and lengths count Unicode code points (UTF-8 decoded), so
 * substring('çava', 1) is 'ava'. Case mapping is ASCII-only: non-ASCII
 * letters pass through unchanged (README documents it).
 */
#include "query_int.h"

#include <ctype.h>
#include <stdlib.h>

/* 1: a string; 0: null (the function returns null); < 0: type error. */
static int need_str(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t i)
{
    if (a[i].type == KG_VSTRING || a[i].type == KG_VDATE) return 1;
    if (a[i].type != KG_VNULL) return kg_func__argerr(x, c, i, "a String", &a[i]);
    return 0;
}

static int need_int(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t i)
{
    if (a[i].type == KG_VINT) return 1;
    if (a[i].type != KG_VNULL)
        return kg_func__argerr(x, c, i, "an Integer", &a[i]);
    return 0;
}

static int make(kg_exec *x, const ast_expr *c, const char *s, size_t n,
                kg_value *out)
{
    *out = kg_value_string(s, n);
    if (out->type == KG_VNULL)
        return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    return KG_OK;
}

/* Byte offset of code point i in s (s->len when past the end). */
static size_t cp_offset(const kg_vstr *s, int64_t i)
{
    size_t off = 0;
    while (off < s->len && i > 0) {
        off++;
        while (off < s->len && ((unsigned char)s->s[off] & 0xC0) == 0x80) off++;
        i--;
    }
    return off;
}

static int64_t cp_count(const kg_vstr *s)
{
    int64_t n = 0;
    size_t i;
    for (i = 0; i < s->len; i++)
        if (((unsigned char)s->s[i] & 0xC0) != 0x80) n++;
    return n;
}

static int f_case(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    int upper = kg_strcasecmp(c->fn->name, "toUpper") == 0;
    size_t i;
    char *buf;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0) return rc;
    buf = kg_malloc(a[0].u.str->len + 1);
    if (!buf) return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    for (i = 0; i < a[0].u.str->len; i++) {
        unsigned char ch = (unsigned char)a[0].u.str->s[i];
        buf[i] = (char)(ch < 0x80 ? (upper ? toupper(ch) : tolower(ch)) : ch);
    }
    rc = make(x, c, buf, a[0].u.str->len, out);
    kg_free(buf);
    return rc;
}

static int f_trim(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    const char *name = c->fn->name;
    const char *s;
    size_t b = 0, e;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0) return rc;
    s = a[0].u.str->s;
    e = a[0].u.str->len;
    if (name[0] != 'r')
        while (b < e && isspace((unsigned char)s[b])) b++;
    if (name[0] != 'l')
        while (e > b && isspace((unsigned char)s[e - 1])) e--;
    return make(x, c, s + b, e - b, out);
}

static int f_split(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    const kg_vstr *s, *d;
    size_t i = 0, start = 0;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0 || (rc = need_str(x, c, a, 1)) <= 0)
        return rc;
    s = a[0].u.str;
    d = a[1].u.str;
    *out = kg_value_list(0);
    if (d->len == 0) { /* one item per code point */
        while (i < s->len) {
            size_t j = i + 1;
            while (j < s->len && ((unsigned char)s->s[j] & 0xC0) == 0x80) j++;
            if (kg_value_list_push(out, kg_value_string(s->s + i, j - i)) < 0)
                goto oom;
            i = j;
        }
        return KG_OK;
    }
    while (i + d->len <= s->len) {
        if (memcmp(s->s + i, d->s, d->len) == 0) {
            if (kg_value_list_push(out, kg_value_string(s->s + start,
                                                        i - start)) < 0)
                goto oom;
            i += d->len;
            start = i;
        } else {
            i++;
        }
    }
    if (kg_value_list_push(out, kg_value_string(s->s + start,
                                                s->len - start)) < 0)
        goto oom;
    return KG_OK;
oom:
    return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
}

static int f_substring(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                       kg_value *out)
{
    const kg_vstr *s;
    size_t b, e;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0 || (rc = need_int(x, c, a, 1)) <= 0 ||
        (n > 2 && (rc = need_int(x, c, a, 2)) <= 0))
        return rc;
    s = a[0].u.str;
    if (a[1].u.i < 0 || (n > 2 && a[2].u.i < 0))
        return kg_exec__fail(x, KG_ETYPE, c->span,
                             "substring() expects non-negative start and "
                             "length");
    b = cp_offset(s, a[1].u.i);
    e = s->len;
    if (n > 2) {
        int64_t k = 0;
        e = b;
        while (e < s->len && k < a[2].u.i) {
            e++;
            while (e < s->len && ((unsigned char)s->s[e] & 0xC0) == 0x80) e++;
            k++;
        }
    }
    return make(x, c, s->s + b, e - b, out);
}

static int f_left_right(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                        kg_value *out)
{
    const kg_vstr *s;
    int64_t total, k;
    size_t off;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0) return rc;
    if (a[1].type == KG_VNULL)
        return kg_func__argerr(x, c, 1, "an Integer", &a[1]);
    if ((rc = need_int(x, c, a, 1)) < 0) return rc;
    if (a[1].u.i < 0)
        return kg_exec__fail(x, KG_ETYPE, c->args[1]->span,
                             "%s() expects a non-negative length",
                             c->fn->name);
    s = a[0].u.str;
    total = cp_count(s);
    k = a[1].u.i < total ? a[1].u.i : total;
    if (c->fn->name[0] == 'l') {
        off = cp_offset(s, k);
        return make(x, c, s->s, off, out);
    }
    off = cp_offset(s, total - k);
    return make(x, c, s->s + off, s->len - off, out);
}

static int f_replace(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    const kg_vstr *s, *f, *r;
    kg_buf b = KG_BUF_INIT;
    size_t i = 0;
    int rc;
    if ((rc = need_str(x, c, a, 0)) <= 0 || (rc = need_str(x, c, a, 1)) <= 0 ||
        (rc = need_str(x, c, a, 2)) <= 0)
        return rc;
    s = a[0].u.str;
    f = a[1].u.str;
    r = a[2].u.str;
    if (f->len == 0) {
        *out = kg_value_retain(&a[0]);
        return KG_OK;
    }
    while (i < s->len) {
        if (i + f->len <= s->len && memcmp(s->s + i, f->s, f->len) == 0) {
            kg_buf_put(&b, r->s, r->len);
            i += f->len;
        } else {
            kg_buf_putc(&b, s->s[i++]);
        }
    }
    rc = b.oom ? kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory")
               : make(x, c, b.data ? b.data : "", b.len, out);
    kg_buf_free(&b);
    return rc;
}

static int f_tostring(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                      kg_value *out)
{
    int ok;
    if (kg_func__to_string(&a[0], out, &ok) < 0)
        return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    if (!ok)
        return kg_func__argerr(x, c, 0, "a number, Boolean or String", &a[0]);
    return KG_OK;
}

const kg_func kg_func__string[] = {
    {"toLower", 1, 1, 0, 0, f_case},
    {"toUpper", 1, 1, 0, 0, f_case},
    {"trim", 1, 1, 0, 0, f_trim},
    {"ltrim", 1, 1, 0, 0, f_trim},
    {"rtrim", 1, 1, 0, 0, f_trim},
    {"split", 2, 2, 0, 0, f_split},
    {"substring", 2, 3, 0, 0, f_substring},
    {"left", 2, 2, 0, 0, f_left_right},
    {"right", 2, 2, 0, 0, f_left_right},
    {"replace", 3, 3, 0, 0, f_replace},
    {"toString", 1, 1, 0, 0, f_tostring},
    {NULL, 0, 0, 0, 0, NULL}};
