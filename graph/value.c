/* value.c - kg_value: typed, reference-counted property and query values.
 *
 * A kg_value is 16 bytes passed by value; strings, lists and maps live on
 * the heap with a reference count, so copying a row between query
 * operators is a pointer copy plus an increment. Heap parts are immutable
 * once shared: the mutators below copy on write when they see refs > 1, so
 * a caller that forgot to check cannot corrupt another holder's value.
 * A list's item capacity is implied by its length (see list_cap), so lists
 * must be made with kg_value_list and grown with kg_value_list_push, never
 * assembled by hand. Nothing here is thread-safe; a graph and its values
 * belong to one thread.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* ---- strings ---- */

kg_vstr *kg_vstr__new(const char *s, size_t len)
{
    kg_vstr *v;
    size_t total;

    if (len > UINT32_MAX - 1 ||
        kg_add_overflow(&total, sizeof(kg_vstr) + 1, len))
        return NULL;
    v = kg_malloc(total);
    if (v == NULL) return NULL;
    v->refs = 1;
    v->len = (uint32_t)len;
    if (len) memcpy(v->s, s, len);
    v->s[len] = '\0';
    return v;
}

void kg_vstr__release(kg_vstr *s)
{
    if (s != NULL && --s->refs == 0) kg_free(s);
}

/* ---- constructors ---- */

kg_value kg_value_bool(int b)
{
    kg_value v = KG_NULL_VALUE;
    v.type = KG_VBOOL;
    v.u.b = b != 0;
    return v;
}

kg_value kg_value_int(int64_t i)
{
    kg_value v = KG_NULL_VALUE;
    v.type = KG_VINT;
    v.u.i = i;
    return v;
}

kg_value kg_value_float(double f)
{
    kg_value v = KG_NULL_VALUE;
    v.type = KG_VFLOAT;
    v.u.f = f;
    return v;
}

static kg_value make_str(int type, const char *s, size_t len)
{
    kg_value v = KG_NULL_VALUE;
    kg_vstr *str = kg_vstr__new(s, len);
    if (str == NULL) return v;
    v.type = (uint8_t)type;
    v.u.str = str;
    return v;
}

kg_value kg_value_string(const char *s, size_t len)
{
    return make_str(KG_VSTRING, s, len);
}

kg_value kg_value_date(const char *s, size_t len)
{
    return make_str(KG_VDATE, s, len);
}

kg_value kg_value_temporal(int type, const char *s, size_t len)
{
    if (!KG_VTYPE_IS_TEMPORAL(type)) return KG_NULL_VALUE;
    return make_str(type, s, len);
}

/* The capacity of a list's item array is implied by its length (0, 4, then
 * powers of two), so the 16-byte list header needs no cap field. */
static size_t list_cap(size_t len)
{
    size_t cap = 4;
    if (len == 0) return 0;
    while (cap < len) cap *= 2;
    return cap;
}

static kg_vlist *list_new(size_t len)
{
    kg_vlist *l;

    if (len > UINT32_MAX) return NULL;
    l = kg_malloc(sizeof *l);
    if (l == NULL) return NULL;
    l->refs = 1;
    l->len = (uint32_t)len;
    l->items = NULL;
    if (len) {
        l->items = kg_calloc(list_cap(len), sizeof(kg_value)); /* nulls */
        if (l->items == NULL) {
            kg_free(l);
            return NULL;
        }
    }
    return l;
}

kg_value kg_value_list(size_t len)
{
    kg_value v = KG_NULL_VALUE;
    kg_vlist *l = list_new(len);
    if (l == NULL) return v;
    v.type = KG_VLIST;
    v.u.list = l;
    return v;
}

kg_value kg_value_map(void)
{
    kg_value v = KG_NULL_VALUE;
    kg_vmap *m = kg_malloc(sizeof *m);
    if (m == NULL) return v;
    m->refs = 1;
    m->len = 0;
    m->keys = NULL;
    m->vals = NULL;
    v.type = KG_VMAP;
    v.u.map = m;
    return v;
}

kg_value kg_value_node(uint32_t id)
{
    kg_value v = KG_NULL_VALUE;
    v.type = KG_VNODE;
    v.u.id = id;
    return v;
}

kg_value kg_value_rel(uint32_t id)
{
    kg_value v = KG_NULL_VALUE;
    v.type = KG_VREL;
    v.u.id = id;
    return v;
}

/* ---- reference counting ---- */

kg_value kg_value_retain(const kg_value *v)
{
    switch (v->type) {
    KG_VCASE_STR:
        v->u.str->refs++;
        break;
    case KG_VLIST:
    case KG_VPATH: v->u.list->refs++; break;
    case KG_VMAP: v->u.map->refs++; break;
    default: break;
    }
    return *v;
}

void kg_value_release(kg_value *v)
{
    uint32_t i;

    if (v == NULL) return;
    switch (v->type) {
    KG_VCASE_STR:
        kg_vstr__release(v->u.str);
        break;
    case KG_VLIST:
    case KG_VPATH:
        if (--v->u.list->refs == 0) {
            for (i = 0; i < v->u.list->len; i++)
                kg_value_release(&v->u.list->items[i]);
            kg_free(v->u.list->items);
            kg_free(v->u.list);
        }
        break;
    case KG_VMAP:
        if (--v->u.map->refs == 0) {
            for (i = 0; i < v->u.map->len; i++) {
                kg_vstr__release(v->u.map->keys[i]);
                kg_value_release(&v->u.map->vals[i]);
            }
            kg_free(v->u.map->keys);
            kg_free(v->u.map->vals);
            kg_free(v->u.map);
        }
        break;
    default: break;
    }
    *v = KG_NULL_VALUE;
}

/* ---- lists ---- */

/* Give list a private copy of its items when shared (copy on write). */
static int list_unshare(kg_value *list)
{
    kg_vlist *old = list->u.list, *l;
    uint32_t i;

    if (old->refs == 1) return KG_OK;
    l = list_new(old->len);
    if (l == NULL) return KG_ENOMEM;
    for (i = 0; i < old->len; i++)
        l->items[i] = kg_value_retain(&old->items[i]);
    old->refs--;
    list->u.list = l;
    return KG_OK;
}

void kg_value_list_set(kg_value *list, size_t i, kg_value v)
{
    if ((list->type != KG_VLIST && list->type != KG_VPATH) ||
        i >= list->u.list->len || list_unshare(list) < 0) {
        kg_value_release(&v);
        return;
    }
    kg_value_release(&list->u.list->items[i]);
    list->u.list->items[i] = v;
}

int kg_value_list_push(kg_value *list, kg_value v)
{
    kg_vlist *l;
    kg_value *items;
    size_t cap;

    if (list->type != KG_VLIST && list->type != KG_VPATH) {
        kg_value_release(&v);
        return KG_ETYPE;
    }
    if (list_unshare(list) < 0) goto oom;
    l = list->u.list;
    if (l->len == UINT32_MAX) goto oom;
    if (l->len == list_cap(l->len)) {
        cap = list_cap((size_t)l->len + 1);
        items = kg_realloc(l->items, cap * sizeof *items);
        if (items == NULL) goto oom;
        l->items = items;
    }
    l->items[l->len++] = v;
    return KG_OK;
oom:
    kg_value_release(&v);
    return KG_ENOMEM;
}

/* ---- maps ---- */

static int key_cmp(const char *k, size_t klen, const kg_vstr *s)
{
    size_t n = klen < s->len ? klen : s->len;
    int c = n ? memcmp(k, s->s, n) : 0;
    if (c != 0) return c;
    return klen < s->len ? -1 : klen > s->len;
}

/* Index of key in m, or -(insertion point) - 1. */
static long map_find(const kg_vmap *m, const char *key, size_t klen)
{
    long lo = 0, hi = (long)m->len - 1;

    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        int c = key_cmp(key, klen, m->keys[mid]);
        if (c == 0) return mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -lo - 1;
}

static int map_unshare(kg_value *map)
{
    kg_vmap *old = map->u.map, *m;
    kg_value nv;
    uint32_t i;

    if (old->refs == 1) return KG_OK;
    nv = kg_value_map();
    if (nv.type != KG_VMAP) return KG_ENOMEM;
    m = nv.u.map;
    if (old->len) {
        m->keys = kg_malloc(old->len * sizeof *m->keys);
        m->vals = kg_malloc(old->len * sizeof *m->vals);
        if (m->keys == NULL || m->vals == NULL) {
            kg_value_release(&nv);
            return KG_ENOMEM;
        }
        for (i = 0; i < old->len; i++) {
            m->keys[i] = old->keys[i];
            m->keys[i]->refs++;
            m->vals[i] = kg_value_retain(&old->vals[i]);
        }
        m->len = old->len;
    }
    old->refs--;
    map->u.map = m;
    return KG_OK;
}

int kg_value_map_set(kg_value *map, const char *key, size_t klen, kg_value v)
{
    kg_vmap *m;
    kg_vstr *k, **keys;
    kg_value *vals;
    long at;
    size_t pos;

    if (map->type != KG_VMAP) {
        kg_value_release(&v);
        return KG_ETYPE;
    }
    if (map_unshare(map) < 0) goto oom;
    m = map->u.map;
    at = map_find(m, key, klen);
    if (at >= 0) {
        kg_value_release(&m->vals[at]);
        m->vals[at] = v;
        return KG_OK;
    }
    pos = (size_t)(-at - 1);
    if (m->len == UINT32_MAX) goto oom;
    k = kg_vstr__new(key, klen);
    if (k == NULL) goto oom;
    keys = kg_realloc(m->keys, (m->len + 1) * sizeof *keys);
    if (keys == NULL) goto oomk;
    m->keys = keys;
    vals = kg_realloc(m->vals, (m->len + 1) * sizeof *vals);
    if (vals == NULL) goto oomk;
    m->vals = vals;
    memmove(keys + pos + 1, keys + pos, (m->len - pos) * sizeof *keys);
    memmove(vals + pos + 1, vals + pos, (m->len - pos) * sizeof *vals);
    keys[pos] = k;
    vals[pos] = v;
    m->len++;
    return KG_OK;
oomk:
    kg_vstr__release(k);
oom:
    kg_value_release(&v);
    return KG_ENOMEM;
}

const kg_value *kg_value_map_get(const kg_value *map, const char *key)
{
    return kg_value_map_getn(map, key, strlen(key));
}

const kg_value *kg_value_map_getn(const kg_value *map, const char *key,
                                  size_t len)
{
    long at;

    if (map == NULL || map->type != KG_VMAP) return NULL;
    at = map_find(map->u.map, key, len);
    return at >= 0 ? &map->u.map->vals[at] : NULL;
}

/* ---- comparison and hashing ---- */

static int num_equal(const kg_value *a, const kg_value *b)
{
    double f;
    int64_t i;

    if (a->type == KG_VINT && b->type == KG_VINT) return a->u.i == b->u.i;
    if (a->type == KG_VFLOAT && b->type == KG_VFLOAT) return a->u.f == b->u.f;
    i = a->type == KG_VINT ? a->u.i : b->u.i;
    f = a->type == KG_VFLOAT ? a->u.f : b->u.f;
    /* Compare exactly: (double)i rounds for |i| > 2^53. */
    if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
        return 0;
    if (f != floor(f)) return 0;
    return (int64_t)f == i;
}

int kg_value_equal(const kg_value *a, const kg_value *b)
{
    uint32_t i;
    int an = a->type == KG_VINT || a->type == KG_VFLOAT;
    int bn = b->type == KG_VINT || b->type == KG_VFLOAT;

    if (an && bn) return num_equal(a, b);
    if (a->type != b->type) return 0;
    switch (a->type) {
    case KG_VNULL: return 1;
    case KG_VBOOL: return a->u.b == b->u.b;
    KG_VCASE_STR:
        return a->u.str->len == b->u.str->len &&
               memcmp(a->u.str->s, b->u.str->s, a->u.str->len) == 0;
    case KG_VLIST:
    case KG_VPATH:
        if (a->u.list->len != b->u.list->len) return 0;
        for (i = 0; i < a->u.list->len; i++)
            if (!kg_value_equal(&a->u.list->items[i], &b->u.list->items[i]))
                return 0;
        return 1;
    case KG_VMAP:
        if (a->u.map->len != b->u.map->len) return 0;
        for (i = 0; i < a->u.map->len; i++) {
            const kg_vstr *ka = a->u.map->keys[i], *kb = b->u.map->keys[i];
            if (ka->len != kb->len || memcmp(ka->s, kb->s, ka->len) != 0 ||
                !kg_value_equal(&a->u.map->vals[i], &b->u.map->vals[i]))
                return 0;
        }
        return 1;
    case KG_VNODE:
    case KG_VREL: return a->u.id == b->u.id;
    default: return 0;
    }
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

uint64_t kg_value_hash(const kg_value *v)
{
    uint64_t h = 0;
    uint32_t i;
    double f;

    switch (v->type) {
    case KG_VINT: return mix(KG_VINT, (uint64_t)v->u.i);
    case KG_VFLOAT:
        /* An integral float hashes like the equal integer. */
        f = v->u.f;
        if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 &&
            f == floor(f))
            return mix(KG_VINT, (uint64_t)(int64_t)f);
        return kg_hash(&f, sizeof f);
    case KG_VBOOL: return mix(KG_VBOOL, (uint64_t)v->u.b);
    KG_VCASE_STR:
        return mix(v->type, kg_hash(v->u.str->s, v->u.str->len));
    case KG_VLIST:
    case KG_VPATH:
        h = mix(v->type, v->u.list->len);
        for (i = 0; i < v->u.list->len; i++)
            h = mix(h, kg_value_hash(&v->u.list->items[i]));
        return h;
    case KG_VMAP:
        h = mix(KG_VMAP, v->u.map->len);
        for (i = 0; i < v->u.map->len; i++) {
            h = mix(h, kg_hash(v->u.map->keys[i]->s, v->u.map->keys[i]->len));
            h = mix(h, kg_value_hash(&v->u.map->vals[i]));
        }
        return h;
    case KG_VNODE:
    case KG_VREL: return mix(v->type, v->u.id);
    default: return mix(0, 0);
    }
}

const char *kg_value_type_name(int type)
{
    /* ORDER VTYPE */
    static const char *const names[] = {
        "Null", "Boolean", "Integer", "Float", "String", "Date",
        "List", "Map", "Node", "Relationship", "Path", "LocalTime", "Time",
        "LocalDateTime", "DateTime", "Duration",
    };
    if (type < 0 || type > KG_VDURATION) return "Unknown";
    return names[type];
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0) return c < 0 ? -1 : 1;
    return alen < blen ? -1 : alen > blen;
}

int kg_value__cmp(const kg_value *a, const kg_value *b)
{
    uint32_t i, n;
    int c;

    if (a->type != b->type) return a->type < b->type ? -1 : 1;
    switch (a->type) {
    case KG_VBOOL: return (a->u.b > b->u.b) - (a->u.b < b->u.b);
    case KG_VINT: return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    case KG_VFLOAT:
        if (isnan(a->u.f) || isnan(b->u.f))
            return isnan(a->u.f) - isnan(b->u.f); /* NaN sorts last */
        return (a->u.f > b->u.f) - (a->u.f < b->u.f);
    KG_VCASE_STR:
        return cmp_bytes(a->u.str->s, a->u.str->len, b->u.str->s,
                         b->u.str->len);
    case KG_VLIST:
    case KG_VPATH:
        n = a->u.list->len < b->u.list->len ? a->u.list->len : b->u.list->len;
        for (i = 0; i < n; i++) {
            c = kg_value__cmp(&a->u.list->items[i], &b->u.list->items[i]);
            if (c) return c;
        }
        return (a->u.list->len > b->u.list->len) -
               (a->u.list->len < b->u.list->len);
    case KG_VMAP:
        n = a->u.map->len < b->u.map->len ? a->u.map->len : b->u.map->len;
        for (i = 0; i < n; i++) {
            const kg_vstr *ka = a->u.map->keys[i], *kb = b->u.map->keys[i];
            c = cmp_bytes(ka->s, ka->len, kb->s, kb->len);
            if (!c) c = kg_value__cmp(&a->u.map->vals[i], &b->u.map->vals[i]);
            if (c) return c;
        }
        return (a->u.map->len > b->u.map->len) -
               (a->u.map->len < b->u.map->len);
    case KG_VNODE:
    case KG_VREL: return (a->u.id > b->u.id) - (a->u.id < b->u.id);
    default: return 0;
    }
}

/* Little-endian fixed-width integers keep the encoding machine-independent,
 * so a fingerprint computed on one host matches another's. */
static int put_u64(kg_buf *b, uint64_t x)
{
    unsigned char t[8];
    int i;
    for (i = 0; i < 8; i++) t[i] = (unsigned char)(x >> (8 * i));
    return kg_buf_put(b, t, 8);
}

int kg_value__encode(kg_buf *b, const kg_value *v)
{
    uint32_t i;
    uint64_t bits;
    double f;

    if (kg_buf_putc(b, 'A' + v->type) < 0) return KG_ENOMEM;
    switch (v->type) {
    case KG_VBOOL: return kg_buf_putc(b, v->u.b ? '1' : '0');
    case KG_VINT: return put_u64(b, (uint64_t)v->u.i);
    case KG_VFLOAT:
        f = v->u.f;
        if (f == 0) f = 0.0;            /* -0.0 and 0.0 are the same datum */
        if (isnan(f)) f = NAN;          /* one NaN payload */
        memcpy(&bits, &f, sizeof bits);
        return put_u64(b, bits);
    KG_VCASE_STR:
        if (put_u64(b, v->u.str->len) < 0) return KG_ENOMEM;
        return kg_buf_put(b, v->u.str->s, v->u.str->len);
    case KG_VLIST:
    case KG_VPATH:
        if (put_u64(b, v->u.list->len) < 0) return KG_ENOMEM;
        for (i = 0; i < v->u.list->len; i++)
            if (kg_value__encode(b, &v->u.list->items[i]) < 0)
                return KG_ENOMEM;
        return KG_OK;
    case KG_VMAP:
        if (put_u64(b, v->u.map->len) < 0) return KG_ENOMEM;
        for (i = 0; i < v->u.map->len; i++) {
            const kg_vstr *k = v->u.map->keys[i];
            if (put_u64(b, k->len) < 0 || kg_buf_put(b, k->s, k->len) < 0 ||
                kg_value__encode(b, &v->u.map->vals[i]) < 0)
                return KG_ENOMEM;
        }
        return KG_OK;
    case KG_VNODE:
    case KG_VREL: return put_u64(b, v->u.id);
    default: return KG_OK;
    }
}
