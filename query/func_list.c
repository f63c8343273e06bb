/* func_list.c - list functions: size, head, last, tail, range, reverse,
 * isEmpty.
 *
 * size() and reverse() also take strings (code points); size of a
 * pattern comprehension is the number of matches.
 */
#include "query_int.h"

static int oom(kg_exec *x, const ast_expr *c)
{
    return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
}

static int f_size(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    size_t i;
    int64_t k = 0;
    switch (a[0].type) {
    case KG_VNULL: return KG_OK;
    case KG_VLIST: *out = kg_value_int(a[0].u.list->len); return KG_OK;
    case KG_VMAP: *out = kg_value_int(a[0].u.map->len); return KG_OK;
    case KG_VSTRING:
        for (i = 0; i < a[0].u.str->len; i++)
            if (((unsigned char)a[0].u.str->s[i] & 0xC0) != 0x80) k++;
        *out = kg_value_int(k);
        return KG_OK;
    default: return kg_func__argerr(x, c, 0, "a List or String", &a[0]);
    }
}

static int f_head_last(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                       kg_value *out)
{
    uint32_t len;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VLIST) return kg_func__argerr(x, c, 0, "a List", &a[0]);
    len = a[0].u.list->len;
    if (len)
        *out = kg_value_retain(
            &a[0].u.list->items[c->fn->name[0] == 'h' ? 0 : len - 1]);
    return KG_OK;
}

static int f_tail(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    uint32_t i;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VLIST) return kg_func__argerr(x, c, 0, "a List", &a[0]);
    *out = kg_value_list(0);
    for (i = 1; i < a[0].u.list->len; i++)
        if (kg_value_list_push(out, kg_value_retain(&a[0].u.list->items[i])) < 0)
            return oom(x, c);
    return KG_OK;
}

/* range(start, end [, step]): inclusive, like Cypher; bounded by memory. */
static int f_range(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    int64_t from, to, step = 1, i, count;
    uint32_t k;
    for (k = 0; k < n; k++)
        if (a[k].type != KG_VINT)
            return kg_func__argerr(x, c, k, "an Integer", &a[k]);
    from = a[0].u.i;
    to = a[1].u.i;
    if (n > 2) step = a[2].u.i;
    if (step == 0)
        return kg_exec__fail(x, KG_ETYPE, c->args[2]->span,
                             "range() step must not be zero");
    if ((step > 0 && from > to) || (step < 0 && from < to)) {
        *out = kg_value_list(0);
        return KG_OK;
    }
    count = (int64_t)(((__int128)to - from) / step) + 1;
    if (count > 100000000)
        return kg_exec__fail(x, KG_ELIMIT, c->span,
                             "range() of %lld items is too large",
                             (long long)count);
    if (kg_exec__mem(x, count * (long long)sizeof(kg_value), c->span) < 0)
        return x->err->code;
    *out = kg_value_list((size_t)count);
    if (out->type != KG_VLIST) return oom(x, c);
    for (i = 0; i < count; i++)
        kg_value_list_set(out, (size_t)i, kg_value_int(from + i * step));
    kg_exec__mem(x, -count * (long long)sizeof(kg_value), c->span);
    return KG_OK;
}

static int f_reverse(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    uint32_t i, len;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type == KG_VSTRING) {
        const kg_vstr *s = a[0].u.str;
        char *buf = kg_malloc(s->len + 1);
        size_t o = s->len, j = 0;
        if (!buf) return oom(x, c);
        while (j < s->len) { /* copy code points back to front */
            size_t k = j + 1;
            while (k < s->len && ((unsigned char)s->s[k] & 0xC0) == 0x80) k++;
            o -= k - j;
            memcpy(buf + o, s->s + j, k - j);
            j = k;
        }
        *out = kg_value_string(buf, s->len);
        kg_free(buf);
        return out->type == KG_VNULL ? oom(x, c) : KG_OK;
    }
    if (a[0].type != KG_VLIST)
        return kg_func__argerr(x, c, 0, "a List or String", &a[0]);
    len = a[0].u.list->len;
    *out = kg_value_list(len);
    if (out->type != KG_VLIST) return oom(x, c);
    for (i = 0; i < len; i++)
        kg_value_list_set(out, i,
                          kg_value_retain(&a[0].u.list->items[len - 1 - i]));
    return KG_OK;
}

static int f_isempty(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                     kg_value *out)
{
    switch (a[0].type) {
    case KG_VNULL: return KG_OK;
    case KG_VLIST: *out = kg_value_bool(a[0].u.list->len == 0); return KG_OK;
    case KG_VMAP: *out = kg_value_bool(a[0].u.map->len == 0); return KG_OK;
    case KG_VSTRING: *out = kg_value_bool(a[0].u.str->len == 0); return KG_OK;
    default: return kg_func__argerr(x, c, 0, "a List, Map or String", &a[0]);
    }
}

const kg_func kg_func__list[] = {
    {"size", 1, 1, 0, 0, f_size},
    {"head", 1, 1, 0, 0, f_head_last},
    {"last", 1, 1, 0, 0, f_head_last},
    {"tail", 1, 1, 0, 0, f_tail},
    {"range", 2, 3, 0, 0, f_range},
    {"reverse", 1, 1, 0, 0, f_reverse},
    {"isEmpty", 1, 1, 0, 0, f_isempty},
    {NULL, 0, 0, 0, 0, NULL}};
