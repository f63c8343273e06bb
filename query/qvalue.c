/* qvalue.c - openCypher value semantics: equality, comparison, ordering,
 * and element properties as the query language sees them.
 *
 * Three relations, as the openCypher spec separates them:
 *  - equality (=, <>, IN) is three-valued: null anywhere gives null;
 *  - comparison (<, <=, ...) is defined within one type family and null
 *    otherwise; NaN compares false;
 *  - orderability (ORDER BY) is total: MAP < NODE < RELATIONSHIP < LIST <
 *    PATH < DATETIME < LOCALDATETIME < DATE < TIME < LOCALTIME < DURATION <
 *    STRING < BOOLEAN < NUMBER < NULL, NaN after all numbers.
 * Grouping and DISTINCT use kg_value_equal / kg_value_hash from graph/,
 * where null equals null.
 *
 * Extension (documented in the README): a DATE compares with a STRING by
 * its text, so `n.created >= '2024-01-01'` works on notes whose front
 * matter holds dates.
 */
#include "query_int.h"

#include <math.h>
#include <stdlib.h>

static int is_num(const kg_value *v)
{
    return v->type == KG_VINT || v->type == KG_VFLOAT;
}

static int is_text(const kg_value *v)
{
    return v->type == KG_VSTRING || v->type == KG_VDATE;
}

static int bytes_cmp(const kg_vstr *a, const kg_vstr *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->s, b->s, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

/* Exact comparison of numbers (int64 vs double without rounding). NaN is
 * reported as 2. */
static int num_cmp(const kg_value *a, const kg_value *b)
{
    double f;
    int64_t i;
    int sign = 1;
    if (a->type == KG_VINT && b->type == KG_VINT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    if (a->type == KG_VFLOAT && b->type == KG_VFLOAT) {
        if (isnan(a->u.f) || isnan(b->u.f)) return 2;
        return (a->u.f > b->u.f) - (a->u.f < b->u.f);
    }
    if (a->type == KG_VINT) {
        i = a->u.i;
        f = b->u.f;
    } else {
        i = b->u.i;
        f = a->u.f;
        sign = -1;
    }
    if (isnan(f)) return 2;
    /* compare i with f: -1 when i < f */
    if (f >= 9223372036854775808.0) return -sign;
    if (f < -9223372036854775808.0) return sign;
    {
        double fl = floor(f);
        int64_t fi = (int64_t)fl;
        if (i < fi) return -sign;
        if (i > fi) return sign;
        return f > fl ? -sign : 0;
    }
}

int kg_qv__equals(const kg_value *a, const kg_value *b)
{
    uint32_t i;
    int sawnull = 0, c;
    if (a->type == KG_VNULL || b->type == KG_VNULL) return KG_TV_NULL;
    if (is_num(a) && is_num(b)) return num_cmp(a, b) == 0;
    if (is_text(a) && is_text(b)) return bytes_cmp(a->u.str, b->u.str) == 0;
    if (a->type != b->type) return KG_TV_FALSE;
    if (KG_VTYPE_IS_TEMPORAL(a->type)) /* canonical text: one per value */
        return bytes_cmp(a->u.str, b->u.str) == 0;
    switch (a->type) {
    case KG_VBOOL: return a->u.b == b->u.b;
    case KG_VNODE:
    case KG_VREL: return a->u.id == b->u.id;
    case KG_VLIST:
    case KG_VPATH:
        if (a->u.list->len != b->u.list->len) return KG_TV_FALSE;
        for (i = 0; i < a->u.list->len; i++) {
            c = kg_qv__equals(&a->u.list->items[i], &b->u.list->items[i]);
            if (c == KG_TV_FALSE) return KG_TV_FALSE;
            if (c == KG_TV_NULL) sawnull = 1;
        }
        return sawnull ? KG_TV_NULL : KG_TV_TRUE;
    case KG_VMAP:
        if (a->u.map->len != b->u.map->len) return KG_TV_FALSE;
        for (i = 0; i < a->u.map->len; i++)
            if (bytes_cmp(a->u.map->keys[i], b->u.map->keys[i]) != 0)
                return KG_TV_FALSE;
        for (i = 0; i < a->u.map->len; i++) {
            c = kg_qv__equals(&a->u.map->vals[i], &b->u.map->vals[i]);
            if (c == KG_TV_FALSE) return KG_TV_FALSE;
            if (c == KG_TV_NULL) sawnull = 1;
        }
        return sawnull ? KG_TV_NULL : KG_TV_TRUE;
    default: return KG_TV_FALSE;
    }
}

int kg_qv__compare(const kg_value *a, const kg_value *b)
{
    uint32_t i, n;
    int c;
    if (a->type == KG_VNULL || b->type == KG_VNULL) return 2;
    if (is_num(a) && is_num(b)) {
        c = num_cmp(a, b);
        return c == 2 ? 3 : c;
    }
    if (is_text(a) && is_text(b)) return bytes_cmp(a->u.str, b->u.str);
    if (a->type != b->type) return 2;
    if (KG_VTYPE_IS_TEMPORAL(a->type)) return kg_temporal_cmp(a, b);
    switch (a->type) {
    case KG_VBOOL: return (a->u.b > b->u.b) - (a->u.b < b->u.b);
    case KG_VLIST:
        n = a->u.list->len < b->u.list->len ? a->u.list->len : b->u.list->len;
        for (i = 0; i < n; i++) {
            c = kg_qv__compare(&a->u.list->items[i], &b->u.list->items[i]);
            if (c == 2 || c == 3) return 2;
            if (c) return c;
        }
        return (a->u.list->len > b->u.list->len) -
               (a->u.list->len < b->u.list->len);
    default: return 2;
    }
}

/* ORDER VTYPE -> orderability rank (temporals in the openCypher order:
 * date time, local date time, date, time, local time, duration) */
static int rank(const kg_value *v)
{
    switch (v->type) {
    case KG_VMAP: return 0;
    case KG_VNODE: return 1;
    case KG_VREL: return 2;
    case KG_VLIST: return 3;
    case KG_VPATH: return 4;
    case KG_VDATETIME: return 5;
    case KG_VLOCALDATETIME: return 6;
    case KG_VDATE: return 7;
    case KG_VTIME: return 8;
    case KG_VLOCALTIME: return 9;
    case KG_VDURATION: return 10;
    case KG_VSTRING: return 11;
    case KG_VBOOL: return 12;
    case KG_VINT:
    case KG_VFLOAT: return 13;
    default: return 14; /* null */
    }
}

int kg_qv__order(const kg_value *a, const kg_value *b)
{
    int ra = rank(a), rb = rank(b), c;
    uint32_t i, n;
    if (ra != rb) return ra < rb ? -1 : 1;
    switch (a->type) {
    case KG_VINT:
    case KG_VFLOAT:
        c = num_cmp(a, b);
        if (c == 2) { /* NaN after every number, NaNs equal */
            int na = a->type == KG_VFLOAT && isnan(a->u.f);
            int nb = b->type == KG_VFLOAT && isnan(b->u.f);
            return na - nb;
        }
        return c;
    case KG_VSTRING:
    case KG_VDATE: return bytes_cmp(a->u.str, b->u.str);
    case KG_VLOCALTIME:
    case KG_VTIME:
    case KG_VLOCALDATETIME:
    case KG_VDATETIME:
    case KG_VDURATION: return kg_temporal_order(a, b);
    case KG_VBOOL: return (a->u.b > b->u.b) - (a->u.b < b->u.b);
    case KG_VNODE:
    case KG_VREL: return (a->u.id > b->u.id) - (a->u.id < b->u.id);
    case KG_VLIST:
    case KG_VPATH:
        n = a->u.list->len < b->u.list->len ? a->u.list->len : b->u.list->len;
        for (i = 0; i < n; i++)
            if ((c = kg_qv__order(&a->u.list->items[i],
                                  &b->u.list->items[i])) != 0)
                return c;
        return (a->u.list->len > b->u.list->len) -
               (a->u.list->len < b->u.list->len);
    case KG_VMAP:
        n = a->u.map->len < b->u.map->len ? a->u.map->len : b->u.map->len;
        for (i = 0; i < n; i++) {
            if ((c = bytes_cmp(a->u.map->keys[i], b->u.map->keys[i])) != 0)
                return c;
            if ((c = kg_qv__order(&a->u.map->vals[i], &b->u.map->vals[i])) != 0)
                return c;
        }
        return (a->u.map->len > b->u.map->len) -
               (a->u.map->len < b->u.map->len);
    default: return 0;
    }
}

kg_value kg_qv__path(kg_value list)
{
    if (list.type == KG_VLIST) list.type = KG_VPATH;
    return list;
}

/* ---- properties ---- */

int kg_qv__generated_key(const char *key)
{
    return key[0] == '_' && key[1] == ':';
}

/* The slot of chunk number key in m: its own, or the free one to fill. */
static size_t chunk_slot(const kg_chunkmap *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    /* Fibonacci hashing: consecutive chunk numbers spread over the table */
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & mask;
    return i;
}

static int chunk_grow(kg_chunkmap *m)
{
    kg_chunkmap bigger = {0};
    size_t i, j;
    bigger.cap = m->cap ? m->cap * 2 : 16;
    bigger.keys = kg_calloc(bigger.cap, sizeof *bigger.keys);
    bigger.chunks = kg_malloc(bigger.cap * sizeof *bigger.chunks);
    if (!bigger.keys || !bigger.chunks) {
        kg_free(bigger.keys);
        kg_free(bigger.chunks);
        return KG_ENOMEM;
    }
    for (i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        j = chunk_slot(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.chunks[j] = m->chunks[i];
    }
    bigger.used = m->used;
    kg_free(m->keys);
    kg_free(m->chunks);
    *m = bigger;
    return KG_OK;
}

/* Node n's chunk in m, adding a zeroed one of size bytes when absent;
 * NULL when out of memory. The table grows at half load so probes stay
 * short; only the chunk pointers move when it does, never the chunks. */
static void *chunk_at(kg_chunkmap *m, kg_id n, size_t size)
{
    uint64_t key = (uint64_t)n / KG_CHUNK + 1;
    size_t i;
    if (m->cap) {
        i = chunk_slot(m, key);
        if (m->keys[i]) return m->chunks[i];
    }
    if ((m->used + 1) * 2 > m->cap && chunk_grow(m) < 0) return NULL;
    i = chunk_slot(m, key);
    if (!(m->chunks[i] = kg_calloc(1, size))) return NULL;
    m->keys[i] = key;
    m->used++;
    return m->chunks[i];
}

static void chunk_free(kg_chunkmap *m)
{
    size_t i;
    for (i = 0; i < m->cap; i++)
        if (m->keys[i]) kg_free(m->chunks[i]);
    kg_free(m->keys);
    kg_free(m->chunks);
    memset(m, 0, sizeof *m);
}

/* Node keys as string values, made once per node and query, so `.id` over
 * many rows copies each key once. Kept in a kg_chunkmap: a one-hop query
 * touches a chunk or two, and a value never moves once handed out. Nodes
 * created by the query have generated keys, which are never exposed. */
static const kg_value *key_value(kg_exec *x, kg_id n)
{
    const char *key = kg_graph_node_key(x->g, n);
    kg_value *chunk, *v;
    if (!key || kg_qv__generated_key(key)) return NULL;
    if (!(chunk = chunk_at(&x->keyvals, n, KG_CHUNK * sizeof *chunk)))
        return NULL;
    v = &chunk[n % KG_CHUNK];
    if (v->type == KG_VNULL) {
        *v = kg_value_string(key, strlen(key));
        if (v->type == KG_VNULL) return NULL;
    }
    return v;
}

const kg_value *kg_qv__prop(kg_exec *x, kg_elem kind, kg_id id, kg_atom key,
                            int is_id)
{
    const kg_value *v = key != KG_NONE ? kg_graph_prop(x->g, kind, id, key)
                                       : NULL;
    if (!v && is_id && kind == KG_NODE) return key_value(x, id);
    return v;
}

kg_value kg_qv__atom(kg_exec *x, kg_atom a)
{
    const char *s;
    if (a >= x->natomvals) {
        size_t cap = x->natomvals ? x->natomvals : 64, i;
        kg_value *v;
        while (cap <= a) cap *= 2;
        if (!(v = kg_realloc(x->atomvals, cap * sizeof *v))) goto plain;
        for (i = x->natomvals; i < cap; i++) v[i] = KG_NULL_VALUE;
        x->atomvals = v;
        x->natomvals = cap;
    }
    if (x->atomvals[a].type == KG_VNULL) {
        s = kg_graph_atom_str(x->g, a);
        x->atomvals[a] = kg_value_string(s, strlen(s));
    }
    return kg_value_retain(&x->atomvals[a]);
plain:
    s = kg_graph_atom_str(x->g, a);
    return kg_value_string(s, strlen(s));
}

int kg_qv__real_key(kg_exec *x, kg_id n)
{
    uint8_t *kind;
    if (!x->keykind.cap) x->keylimit = kg_graph_cap(x->g, KG_NODE);
    if (n >= x->keylimit) return 0; /* created by this query: generated */
    if (!(kind = chunk_at(&x->keykind, n, KG_CHUNK))) return 0;
    kind += n % KG_CHUNK;
    if (!*kind) {
        const char *key = kg_graph_node_key(x->g, n);
        *kind = key && !kg_qv__generated_key(key) ? 1 : 2;
    }
    return *kind == 1;
}

void kg_qv__cache_free(kg_exec *x)
{
    size_t i, j;
    for (i = 0; i < x->keyvals.cap; i++) {
        kg_value *chunk = x->keyvals.chunks[i];
        if (!x->keyvals.keys[i]) continue;
        for (j = 0; j < KG_CHUNK; j++) kg_value_release(&chunk[j]);
    }
    chunk_free(&x->keyvals);
    chunk_free(&x->keykind);
    x->keylimit = 0;
    for (i = 0; i < x->natomvals; i++) kg_value_release(&x->atomvals[i]);
    kg_free(x->atomvals);
    x->atomvals = NULL;
    x->natomvals = 0;
}

typedef struct {
    const char *name;
    const kg_value *val;
} named;

static int named_cmp(const void *pa, const void *pb)
{
    return strcmp(((const named *)pa)->name, ((const named *)pb)->name);
}

/* Collect an element's properties sorted by name, the visible key among
 * them; *n gets the count. Caller frees the array. */
static named *collect(const kg_graph *g, kg_elem kind, kg_id id, size_t *n,
                      kg_value *keyval)
{
    size_t count = kg_graph_prop_count(g, kind, id), i, k = 0;
    named *arr = kg_malloc((count + 1) * sizeof *arr);
    int has_id = 0;
    if (!arr) return NULL;
    for (i = 0; i < count; i++) {
        kg_atom a;
        const kg_value *v = kg_graph_prop_at(g, kind, id, i, &a);
        if (!v) continue;
        arr[k].name = kg_graph_atom_str(g, a);
        arr[k].val = v;
        if (strcmp(arr[k].name, "id") == 0) has_id = 1;
        k++;
    }
    if (kind == KG_NODE && !has_id) {
        const char *key = kg_graph_node_key(g, id);
        if (key && !kg_qv__generated_key(key)) {
            *keyval = kg_value_string(key, strlen(key));
            arr[k].name = "id";
            arr[k].val = keyval;
            k++;
        }
    }
    qsort(arr, k, sizeof *arr, named_cmp);
    *n = k;
    return arr;
}

int kg_qv__keys(const kg_graph *g, kg_elem kind, kg_id id, kg_value *out)
{
    kg_value keyval = KG_NULL_VALUE;
    size_t n, i;
    named *arr = collect(g, kind, id, &n, &keyval);
    if (!arr) return KG_ENOMEM;
    *out = kg_value_list(n);
    for (i = 0; out->type == KG_VLIST && i < n; i++)
        kg_value_list_set(out, i, kg_value_string(arr[i].name,
                                                  strlen(arr[i].name)));
    kg_free(arr);
    kg_value_release(&keyval);
    return out->type == KG_VLIST ? KG_OK : KG_ENOMEM;
}

int kg_qv__props_map(const kg_graph *g, kg_elem kind, kg_id id,
                     kg_value *out)
{
    kg_value keyval = KG_NULL_VALUE;
    size_t n, i;
    int rc = KG_OK;
    named *arr = collect(g, kind, id, &n, &keyval);
    if (!arr) return KG_ENOMEM;
    *out = kg_value_map();
    if (out->type != KG_VMAP) rc = KG_ENOMEM;
    for (i = 0; rc == KG_OK && i < n; i++)
        rc = kg_value_map_set(out, arr[i].name, strlen(arr[i].name),
                              kg_value_retain(arr[i].val));
    kg_free(arr);
    kg_value_release(&keyval);
    return rc;
}
