/* store_codec.c - the store's binary encoding of labels, properties and a
 * document's edge records (schema 2).
 *
 * Schema 1 kept these as typed JSON. Loading a large version spent more
 * time parsing that JSON than SQLite spent reading the rows, and writing
 * one SQLite row per edge was most of a first import. So properties and
 * labels are now a compact byte encoding, and all edges of a document sit
 * in one blob on its docs row (an edge record lives exactly as long as the
 * document version that declared it, so the row's version range is the
 * edges' too). The encoding is canonical, like the JSON it replaces: the
 * same properties always give the same bytes, which is how put_doc finds
 * changes by comparing encodings.
 *
 * Integers are LEB128 varints (signed ones zigzagged), floats 8 bytes
 * little-endian. A value is a one-byte kg_vtype tag and its content:
 *   BOOL 1 byte; INT varint; FLOAT 8 bytes; STRING / DATE varint length and
 *   bytes; LIST varint count and values; MAP varint count, then key
 *   (varint length, bytes) and value pairs in key order.
 * Properties: varint count, then (key, value) pairs sorted by key.
 * Labels: varint count, then (varint length, bytes) each.
 * Edges: varint count, then per edge src, type and dst, line and col
 * (varints) and the edge's properties (varint length, then that many bytes
 * of a property encoding; 0 for none). src and type are usually the same
 * as the previous edge's: they are written as varint 0 for "as before", or
 * length + 1, bytes and a NUL. dst is length, bytes and a NUL. The NULs let
 * the loader and the diagnostics hand the strings out without copying.
 *
 * Decoders trust nothing: a truncated or malformed blob is KG_ESTORE, which
 * callers report as a corrupt store.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#include "store_int.h"

/* ---- writing ---- */

/* Varints are written straight into room reserved beforehand: a first
 * import encodes millions of small fields, and a kg_buf_put call for each
 * showed in profiles. A varint takes at most 10 bytes. */
#define VARINT_MAX 10

static unsigned char *wr_u(unsigned char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

/* Room for extra more bytes: where to write, or NULL (b->oom set). */
static unsigned char *room(kg_buf *b, size_t extra)
{
    if (kg_buf_grow(b, extra) < 0) return NULL;
    return (unsigned char *)b->data + b->len;
}

/* Close a direct write that ended at p. */
static void done_at(kg_buf *b, unsigned char *p)
{
    b->len = (size_t)((char *)p - b->data);
    b->data[b->len] = '\0';
}

static void put_u(kg_buf *b, uint64_t v)
{
    unsigned char *p = room(b, VARINT_MAX);
    if (p != NULL) done_at(b, wr_u(p, v));
}

static void put_bytes(kg_buf *b, const char *s, size_t len)
{
    unsigned char *p = room(b, VARINT_MAX + len);

    if (p == NULL) return;
    p = wr_u(p, len);
    if (len) memcpy(p, s, len);
    done_at(b, p + len);
}

int kg_store__enc_value(kg_buf *b, const kg_value *v)
{
    unsigned char f[8];
    uint64_t bits;
    uint32_t i;
    int rc;

    switch (v->type) {
    case KG_VNULL:
        kg_buf_putc(b, KG_VNULL);
        break;
    case KG_VBOOL:
        kg_buf_putc(b, KG_VBOOL);
        kg_buf_putc(b, v->u.b ? 1 : 0);
        break;
    case KG_VINT:
        kg_buf_putc(b, KG_VINT);
        put_u(b, ((uint64_t)v->u.i << 1) ^ (uint64_t)(v->u.i >> 63));
        break;
    case KG_VFLOAT:
        memcpy(&bits, &v->u.f, sizeof bits);
        for (i = 0; i < 8; i++)
            f[i] = (unsigned char)(bits >> (8 * i));
        kg_buf_putc(b, KG_VFLOAT);
        kg_buf_put(b, f, 8);
        break;
    KG_VCASE_STR:
        kg_buf_putc(b, (char)v->type);
        put_bytes(b, v->u.str->s, v->u.str->len);
        break;
    case KG_VLIST:
        kg_buf_putc(b, KG_VLIST);
        put_u(b, v->u.list->len);
        for (i = 0; i < v->u.list->len; i++)
            if ((rc = kg_store__enc_value(b, &v->u.list->items[i])) < 0)
                return rc;
        break;
    case KG_VMAP:
        kg_buf_putc(b, KG_VMAP);
        put_u(b, v->u.map->len);
        for (i = 0; i < v->u.map->len; i++) {
            put_bytes(b, v->u.map->keys[i]->s, v->u.map->keys[i]->len);
            if ((rc = kg_store__enc_value(b, &v->u.map->vals[i])) < 0)
                return rc;
        }
        break;
    default:
        return KG_ETYPE; /* nodes, relationships, paths */
    }
    return b->oom ? KG_ENOMEM : KG_OK;
}

/* A property by key, then by position, so the sort is stable and the last
 * of equal keys can be picked. */
typedef struct {
    const char *key;
    uint32_t i;
} pref;

static int cmp_pref(const void *pa, const void *pb)
{
    const pref *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);

    return c ? c : (a->i > b->i) - (a->i < b->i);
}

int kg_store__enc_props(kg_buf *b, const kg_prop *props, uint32_t n,
                        const char *src, kg_error *err)
{
    pref small[16], *idx = small;
    uint32_t i, kept = 0;
    int rc = KG_OK;

    if (n == 0) return KG_OK;
    if (n > 16 && (idx = kg_malloc(n * sizeof *idx)) == NULL)
        KG_CHECK_ALLOC(NULL, err);
    for (i = 0; i < n; i++) {
        idx[i].key = props[i].key;
        idx[i].i = i;
    }
    if (n > 1) qsort(idx, n, sizeof *idx, cmp_pref);
    for (i = 0; i < n; i++) /* keep the last of each run of equal keys */
        if (i + 1 == n || strcmp(idx[i].key, idx[i + 1].key) != 0)
            idx[kept++] = idx[i];
    put_u(b, kept);
    for (i = 0; i < kept && rc == KG_OK; i++) {
        const kg_prop *p = &props[idx[i].i];
        put_bytes(b, p->key, strlen(p->key));
        rc = kg_store__enc_value(b, &p->val);
        if (rc == KG_ETYPE)
            rc = kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                              "%s: property '%s' cannot be stored (a %s)", src,
                              p->key, kg_value_type_name(p->val.type));
    }
    if (idx != small) kg_free(idx);
    if (rc == KG_ENOMEM || (rc == KG_OK && b->oom))
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    return rc;
}

int kg_store__enc_labels(kg_buf *b, char *const *labels, uint32_t n)
{
    uint32_t i;

    if (n == 0) return KG_OK;
    put_u(b, n);
    for (i = 0; i < n; i++)
        put_bytes(b, labels[i], strlen(labels[i]));
    return b->oom ? KG_ENOMEM : KG_OK;
}

/* src / type: 0 when equal to the previous edge's, else length + 1, the
 * bytes and a NUL. */
static unsigned char *wr_repeat(unsigned char *p, const char *s, size_t len,
                                const char *prev)
{
    if (prev != NULL && strcmp(s, prev) == 0) return wr_u(p, 0);
    p = wr_u(p, (uint64_t)len + 1);
    memcpy(p, s, len + 1);
    return p + len + 1;
}

int kg_store__enc_edge(kg_buf *b, const kg_edge_rec *e, const kg_edge_rec *prev,
                       const kg_buf *props)
{
    size_t ls = strlen(e->src), lt = strlen(e->type), ld = strlen(e->dst);
    unsigned char *p = room(b, 6 * VARINT_MAX + ls + lt + ld + 3 + props->len);

    if (p == NULL) return KG_ENOMEM;
    p = wr_repeat(p, e->src, ls, prev ? prev->src : NULL);
    p = wr_repeat(p, e->type, lt, prev ? prev->type : NULL);
    p = wr_u(p, ld);
    memcpy(p, e->dst, ld + 1);
    p = wr_u(p + ld + 1, e->line);
    p = wr_u(p, e->col);
    p = wr_u(p, props->len);
    if (props->len) memcpy(p, props->data, props->len);
    done_at(b, p + props->len);
    return KG_OK;
}

void kg_store__enc_count(kg_buf *b, uint64_t n)
{
    put_u(b, n);
}

/* ---- reading ---- */

int kg_store__dec_u(kg_rd *r, uint64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0;

    while (r->p < r->end && shift < 64) {
        unsigned char c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return KG_OK;
        }
        shift += 7;
    }
    return KG_ESTORE;
}

int kg_store__dec_bytes(kg_rd *r, const char **s, size_t *len)
{
    uint64_t n;

    if (kg_store__dec_u(r, &n) < 0 || n > (uint64_t)(r->end - r->p))
        return KG_ESTORE;
    *s = (const char *)r->p;
    *len = (size_t)n;
    r->p += n;
    return KG_OK;
}

/* Nesting bound, as for JSON, so a crafted blob cannot exhaust the stack. */
static int dec_value(kg_rd *r, kg_value *out, int depth)
{
    const char *s;
    size_t len;
    uint64_t n, i, bits = 0;
    double f;
    unsigned char tag;
    int rc = KG_OK;

    *out = KG_NULL_VALUE;
    if (r->p >= r->end || depth > KG_JSON_MAX_DEPTH) return KG_ESTORE;
    switch (*r->p++) {
    case KG_VNULL:
        return KG_OK;
    case KG_VBOOL:
        if (r->p >= r->end || *r->p > 1) return KG_ESTORE;
        *out = kg_value_bool(*r->p++);
        return KG_OK;
    case KG_VINT:
        if (kg_store__dec_u(r, &n) < 0) return KG_ESTORE;
        *out = kg_value_int((int64_t)(n >> 1) ^ -(int64_t)(n & 1));
        return KG_OK;
    case KG_VFLOAT:
        if (r->end - r->p < 8) return KG_ESTORE;
        for (i = 0; i < 8; i++)
            bits |= (uint64_t)r->p[i] << (8 * i);
        r->p += 8;
        memcpy(&f, &bits, sizeof f);
        *out = kg_value_float(f);
        return KG_OK;
    KG_VCASE_STR:
        tag = r->p[-1];
        if (kg_store__dec_bytes(r, &s, &len) < 0) return KG_ESTORE;
        *out = tag == KG_VSTRING ? kg_value_string(s, len)
                                 : kg_value_temporal(tag, s, len);
        return out->type == KG_VNULL ? KG_ENOMEM : KG_OK;
    case KG_VLIST:
        if (kg_store__dec_u(r, &n) < 0 || n > (uint64_t)(r->end - r->p))
            return KG_ESTORE; /* every item takes at least one byte */
        *out = kg_value_list(0);
        if (out->type != KG_VLIST) return KG_ENOMEM;
        for (i = 0; i < n && rc == KG_OK; i++) {
            kg_value item;
            if ((rc = dec_value(r, &item, depth + 1)) == KG_OK)
                rc = kg_value_list_push(out, item);
        }
        break;
    case KG_VMAP:
        if (kg_store__dec_u(r, &n) < 0 || n > (uint64_t)(r->end - r->p))
            return KG_ESTORE;
        *out = kg_value_map();
        if (out->type != KG_VMAP) return KG_ENOMEM;
        for (i = 0; i < n && rc == KG_OK; i++) {
            kg_value item;
            if (kg_store__dec_bytes(r, &s, &len) < 0) {
                rc = KG_ESTORE;
                break;
            }
            if ((rc = dec_value(r, &item, depth + 1)) == KG_OK)
                rc = kg_value_map_set(out, s, len, item);
        }
        break;
    default:
        return KG_ESTORE;
    }
    if (rc < 0) kg_value_release(out);
    return rc;
}

int kg_store__dec_value(kg_rd *r, kg_value *out)
{
    return dec_value(r, out, 0);
}

int kg_store__dec_prop(kg_rd *r, const char **key, size_t *klen, kg_value *v)
{
    *v = KG_NULL_VALUE;
    if (kg_store__dec_bytes(r, key, klen) < 0) return KG_ESTORE;
    return dec_value(r, v, 0);
}

/* A C string of the edge encoding: length (+ 1 when repeat is allowed,
 * 0 meaning "as before"), bytes, NUL. */
static int dec_cstr(kg_rd *r, int repeat, const char **s, size_t *len)
{
    uint64_t n;

    if (kg_store__dec_u(r, &n) < 0) return KG_ESTORE;
    if (repeat) {
        if (n == 0) return *s != NULL ? KG_OK : KG_ESTORE;
        n--;
    }
    if (n >= (uint64_t)(r->end - r->p) || r->p[n] != '\0') return KG_ESTORE;
    *s = (const char *)r->p;
    *len = (size_t)n;
    r->p += n + 1;
    return KG_OK;
}

int kg_store__edges_open(kg_edge_iter *it, const void *blob, size_t len)
{
    memset(it, 0, sizeof *it);
    it->r.p = blob;
    it->r.end = it->r.p + (blob ? len : 0);
    if (len == 0 || blob == NULL) return KG_OK;
    return kg_store__dec_u(&it->r, &it->left);
}

int kg_store__edges_next(kg_edge_iter *it)
{
    kg_edge_view *e = &it->cur;
    kg_rd *r = &it->r;
    uint64_t line, col, np;
    size_t srclen;

    if (it->left == 0) return r->p == r->end ? 0 : KG_ESTORE;
    it->left--;
    if (dec_cstr(r, 1, &e->src, &srclen) < 0 ||
        dec_cstr(r, 1, &e->type, &e->typelen) < 0 ||
        dec_cstr(r, 0, &e->dst, &e->dstlen) < 0 ||
        kg_store__dec_u(r, &line) < 0 || kg_store__dec_u(r, &col) < 0 ||
        kg_store__dec_u(r, &np) < 0 || np > (uint64_t)(r->end - r->p) ||
        line > UINT32_MAX || col > UINT32_MAX)
        return KG_ESTORE;
    e->line = (uint32_t)line;
    e->col = (uint32_t)col;
    e->props = r->p;
    e->nprops = (size_t)np;
    r->p += np;
    return 1;
}
