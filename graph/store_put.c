/* store_put.c - writing one document's records: kg_store_put_doc.
 *
 * A document replaces the records its path had: the rows of that path
 * still valid are read (through the partial index on path_id WHERE v_to
 * IS NULL), ended at the open version, and the new records inserted, each
 * marked added / changed / unchanged against the old row with the same node
 * key or edge (src, type, dst). Only the rows of that path are touched, so
 * the cost is O(records of the path) whatever the size of the store.
 *
 * Properties and labels are stored as typed JSON, properties with sorted
 * keys so that equal properties are equal bytes: comparing encodings is how
 * a change is found, and the loader reads them back with kg_json_parse.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- encoding records ---- */

/* A JSON string for a key or label. Plain ASCII is written as is (the
 * common case, and cheap); anything else goes through kg_json_write so the
 * loader's kg_json_parse reads back exactly what that writer produces. */
static void put_jstr(kg_buf *b, const char *k)
{
    const unsigned char *p;
    kg_value v;

    for (p = (const unsigned char *)k; *p; p++)
        if (*p < 0x20 || *p >= 0x80 || *p == '"' || *p == '\\') break;
    if (*p == '\0') {
        kg_buf_putc(b, '"');
        kg_buf_put(b, k, (size_t)((const char *)p - k));
        kg_buf_putc(b, '"');
        return;
    }
    v = kg_value_string(k, strlen(k));
    if (v.type != KG_VSTRING) {
        b->oom = 1;
        return;
    }
    kg_json_write(b, &v, 1);
    kg_value_release(&v);
}

/* Labels as a JSON array in the order declared; NULL when there are none
 * or on OOM (b->oom tells). */
static const char *enc_labels(kg_buf *b, const kg_node_rec *n)
{
    uint32_t i;

    kg_buf_reset(b);
    if (n->nlabels == 0) return NULL;
    kg_buf_putc(b, '[');
    for (i = 0; i < n->nlabels; i++) {
        if (i) kg_buf_putc(b, ',');
        put_jstr(b, n->labels[i]);
    }
    kg_buf_putc(b, ']');
    return b->oom ? NULL : b->data;
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

static int is_marker(const char *k)
{
    return strcmp(k, "$date") == 0 || strcmp(k, "$float") == 0 ||
           strcmp(k, "$map") == 0;
}

/* Properties as one typed JSON object with sorted keys, the encoding
 * kg_json_write gives a kg_value map, so the same properties always give
 * the same bytes and comparing encodings finds changes. A key given twice
 * keeps the last value. *out is NULL when there are no properties. */
static int enc_props(const char *src, kg_buf *b, const kg_prop *props,
                     uint32_t n, const char **out, kg_error *err)
{
    pref small[16], *idx = small;
    uint32_t i, kept = 0;
    int wrap, rc = KG_OK;

    kg_buf_reset(b);
    *out = NULL;
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
    /* A lone marker key would read back as a typed value: wrap it, as
     * kg_json_write does. */
    wrap = kept == 1 && is_marker(idx[0].key);
    kg_buf_puts(b, wrap ? "{\"$map\":{" : "{");
    for (i = 0; i < kept && rc == KG_OK; i++) {
        const kg_prop *p = &props[idx[i].i];
        if (i) kg_buf_putc(b, ',');
        put_jstr(b, p->key);
        kg_buf_putc(b, ':');
        rc = kg_json_write(b, &p->val, 1);
        if (rc == KG_ETYPE)
            rc = kg_error_set(err, KG_ETYPE, src, (kg_span){0, 0},
                              "property '%s' cannot be stored (a %s)", p->key,
                              kg_value_type_name(p->val.type));
    }
    kg_buf_puts(b, wrap ? "}}" : "}");
    if (idx != small) kg_free(idx);
    if (rc == KG_OK && b->oom) KG_CHECK_ALLOC(NULL, err);
    if (rc < 0)
        return rc == KG_ENOMEM ? kg_error_set(err, KG_ENOMEM, NULL,
                                              (kg_span){0, 0}, "out of memory")
                               : rc;
    *out = b->data;
    return KG_OK;
}

/* The match key of an edge: src, type and dst separated by NUL bytes. */
static int edge_key(kg_buf *b, const char *src, const char *type,
                    const char *dst)
{
    kg_buf_reset(b);
    kg_buf_put(b, src, strlen(src) + 1);
    kg_buf_put(b, type, strlen(type) + 1);
    kg_buf_puts(b, dst);
    return b->oom ? KG_ENOMEM : KG_OK;
}

/* ---- the old records of a path ---- */

typedef struct {
    int64_t id;
    const char *k; /* node key, or edge_key */
    size_t klen;
    const char *a, *b, *c; /* node: labels, props, text; edge: props */
    int used;
} old_rec;

typedef struct {
    kg_arena *arena;
    old_rec *v;
    size_t n, cap;
} old_set;

static void old_free(old_set *o)
{
    kg_arena_free(o->arena);
    kg_free(o->v);
    memset(o, 0, sizeof *o);
}

static const char *col_dup(old_set *o, sqlite3_stmt *s, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);

    if (len) *len = n;
    if (t == NULL) return NULL;
    return kg_arena_strndup(o->arena, t, n);
}

static int cmp_old(const void *pa, const void *pb)
{
    const old_rec *a = pa, *b = pb;
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(a->k, b->k, n);

    if (c) return c;
    if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Read the live rows of pid from nodes (edges = 0) or edges, sorted by
 * match key. */
static int old_load(kg_store *st, int edges, int64_t pid, old_set *o,
                    kg_error *err)
{
    sqlite3_stmt *s =
        kg_store__sq(st, edges ? KG_SQ_EDGE_OLD : KG_SQ_NODE_OLD, err);
    int rc, error = KG_OK;

    if (s == NULL) return err ? err->code : KG_ESTORE;
    if (o->arena == NULL && (o->arena = kg_arena_new()) == NULL)
        KG_CHECK_ALLOC(NULL, err);
    sqlite3_bind_int64(s, 1, pid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        old_rec *r;
        if (o->n == o->cap) {
            size_t cap = o->cap ? 2 * o->cap : 16;
            old_rec *v = kg_realloc(o->v, cap * sizeof *v);
            if (v == NULL) {
                error = KG_ENOMEM;
                break;
            }
            o->v = v;
            o->cap = cap;
        }
        r = &o->v[o->n++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(s, 0);
        if (!edges) {
            r->k = col_dup(o, s, 1, &r->klen);
            r->a = col_dup(o, s, 2, NULL);
            r->b = col_dup(o, s, 3, NULL);
            r->c = col_dup(o, s, 4, NULL);
        } else {
            kg_buf *kb = &st->enc[2];
            const char *src = (const char *)sqlite3_column_text(s, 1);
            const char *type = (const char *)sqlite3_column_text(s, 2);
            const char *dst = (const char *)sqlite3_column_text(s, 3);
            if (edge_key(kb, src ? src : "", type ? type : "", dst ? dst : "") <
                0) {
                error = KG_ENOMEM;
                break;
            }
            r->klen = kb->len;
            r->k = kg_arena_strndup(o->arena, kb->data, kb->len);
            r->a = col_dup(o, s, 4, NULL);
        }
        if (r->k == NULL) {
            error = KG_ENOMEM;
            break;
        }
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (error == KG_ENOMEM) KG_CHECK_ALLOC(NULL, err);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading a document's records");
    if (o->n > 1) qsort(o->v, o->n, sizeof *o->v, cmp_old);
    return KG_OK;
}

/* The first unused old record with this match key, or NULL. */
static old_rec *old_match(old_set *o, const char *k, size_t klen)
{
    old_rec key;
    size_t lo = 0, hi = o->n;

    memset(&key, 0, sizeof key);
    key.k = k;
    key.klen = klen;
    key.id = INT64_MIN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_old(&o->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < o->n; lo++) {
        old_rec *r = &o->v[lo];
        if (r->klen != klen || memcmp(r->k, k, klen) != 0) return NULL;
        if (!r->used) return r;
    }
    return NULL;
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* End the old rows at the open version; gone = 1 for those no new record
 * replaced. */
static int old_end(kg_store *st, int edges, old_set *o, kg_error *err)
{
    size_t i;
    int error;

    for (i = 0; i < o->n; i++) {
        sqlite3_stmt *s =
            kg_store__sq(st, edges ? KG_SQ_EDGE_END : KG_SQ_NODE_END, err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, o->v[i].id);
        sqlite3_bind_int64(s, 2, st->cur);
        sqlite3_bind_int(s, 3, !o->v[i].used);
        if ((error = kg_store__step_done(st, s, "ending a record", err)) < 0)
            return error;
        if (!o->v[i].used)
            st->cnt[edges ? KG_CNT_EDGES_REMOVED : KG_CNT_NODES_REMOVED]++;
    }
    return KG_OK;
}

/* ---- put_doc ---- */

static const char *node_name(const kg_node_rec *n)
{
    uint32_t i;

    for (i = 0; i < n->nprops; i++)
        if (strcmp(n->props[i].key, "name") == 0 &&
            n->props[i].val.type == KG_VSTRING)
            return n->props[i].val.u.str->s;
    return n->key;
}

static int put_nodes(kg_store *st, const kg_doc *doc, int64_t pid, old_set *o,
                     kg_error *err)
{
    uint32_t i;
    int error;

    for (i = 0; i < doc->nnodes; i++) {
        const kg_node_rec *n = &doc->nodes[i];
        const char *labels, *props;
        old_rec *r;
        sqlite3_stmt *s;
        int chg = 1;

        if (n->key == NULL || n->key[0] == '\0')
            return kg_error_set(err, KG_ETYPE, doc->path, (kg_span){0, 0},
                                "line %u: node record without a key",
                                (unsigned)n->line);
        labels = enc_labels(&st->enc[0], n);
        if (st->enc[0].oom) KG_CHECK_ALLOC(NULL, err);
        error =
            enc_props(doc->path, &st->enc[1], n->props, n->nprops, &props, err);
        if (error < 0) return error;
        r = old_match(o, n->key, strlen(n->key));
        if (r != NULL) {
            r->used = 1;
            chg = same(r->a, labels) && same(r->b, props) && same(r->c, n->text)
                      ? 0
                      : 2;
        }
        if ((s = kg_store__sq(st, KG_SQ_NODE_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        kg_store__bind_text(s, 2, n->key);
        kg_store__bind_text(s, 3, node_name(n));
        kg_store__bind_text(s, 4, labels);
        kg_store__bind_text(s, 5, props);
        kg_store__bind_text(s, 6, n->text);
        sqlite3_bind_int64(s, 7, n->line);
        sqlite3_bind_int64(s, 8, st->cur);
        sqlite3_bind_int(s, 9, chg);
        if ((error = kg_store__step_done(st, s, "storing a node", err)) < 0)
            return error;
        if (chg != 0)
            st->cnt[chg == 1 ? KG_CNT_NODES_ADDED : KG_CNT_NODES_CHANGED]++;
    }
    return KG_OK;
}

static int put_edges(kg_store *st, const kg_doc *doc, int64_t pid, old_set *o,
                     kg_error *err)
{
    uint32_t i;
    int error;

    for (i = 0; i < doc->nedges; i++) {
        const kg_edge_rec *e = &doc->edges[i];
        const char *props;
        old_rec *r;
        sqlite3_stmt *s;
        int chg = 1;

        if (e->src == NULL || e->type == NULL || e->dst == NULL ||
            e->type[0] == '\0')
            return kg_error_set(err, KG_ETYPE, doc->path, (kg_span){0, 0},
                                "line %u: edge record without a source, "
                                "type or target",
                                (unsigned)e->line);
        error =
            enc_props(doc->path, &st->enc[1], e->props, e->nprops, &props, err);
        if (error < 0) return error;
        if (o->n > 0) {
            if (edge_key(&st->enc[2], e->src, e->type, e->dst) < 0)
                KG_CHECK_ALLOC(NULL, err);
            r = old_match(o, st->enc[2].data, st->enc[2].len);
            if (r != NULL) {
                r->used = 1;
                chg = same(r->a, props) ? 0 : 2;
            }
        }
        if ((s = kg_store__sq(st, KG_SQ_EDGE_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        kg_store__bind_text(s, 2, e->src);
        kg_store__bind_text(s, 3, e->type);
        kg_store__bind_text(s, 4, e->dst);
        kg_store__bind_text(s, 5, props);
        sqlite3_bind_int64(s, 6, e->line);
        sqlite3_bind_int64(s, 7, e->col);
        sqlite3_bind_int64(s, 8, st->cur);
        sqlite3_bind_int(s, 9, chg);
        if ((error = kg_store__step_done(st, s, "storing an edge", err)) < 0)
            return error;
        if (chg != 0)
            st->cnt[chg == 1 ? KG_CNT_EDGES_ADDED : KG_CNT_EDGES_CHANGED]++;
    }
    return KG_OK;
}

static int put_diags(kg_store *st, const kg_doc *doc, int64_t pid, int had_doc,
                     kg_error *err)
{
    sqlite3_stmt *s;
    uint32_t i;
    int error;

    if (had_doc) {
        if ((s = kg_store__sq(st, KG_SQ_DIAG_END, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, st->cur);
        if ((error = kg_store__step_done(st, s, "ending diagnostics", err)) < 0)
            return error;
    }
    for (i = 0; i < doc->ndiags; i++) {
        const kg_diag *d = &doc->diags[i];
        if ((s = kg_store__sq(st, KG_SQ_DIAG_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        sqlite3_bind_int64(s, 2, d->line);
        sqlite3_bind_int64(s, 3, d->col);
        sqlite3_bind_int(s, 4, d->severity);
        kg_store__bind_text(s, 5, d->msg ? d->msg : "");
        sqlite3_bind_int64(s, 6, st->cur);
        if ((error = kg_store__step_done(st, s, "storing a diagnostic", err)) <
            0)
            return error;
    }
    return KG_OK;
}

/* On failure the version stays open but this path may be half written:
 * the caller is expected to roll back (sync does on any store error). */
int kg_store_put_doc(kg_store *st, const kg_doc *doc, uint64_t content_hash,
                     kg_error *err)
{
    old_set onodes = {0}, oedges = {0};
    sqlite3_stmt *s;
    int64_t pid, doc_row = 0;
    int fresh, error;

    if ((error = kg_store__need_version(st, err)) < 0) return error;
    if (doc == NULL || doc->path == NULL)
        return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                            "document without a path");
    error = kg_store__path_id(st, doc->path, &pid, &fresh, 1, err);
    if (error == KG_OK && !fresh)
        error = kg_store__prepare_path(st, pid, &doc_row, err);
    if (error == KG_OK && doc_row != 0) {
        if ((error = old_load(st, 0, pid, &onodes, err)) == KG_OK)
            error = old_load(st, 1, pid, &oedges, err);
        if (error == KG_OK && (s = kg_store__sq(st, KG_SQ_DOC_END, err))) {
            sqlite3_bind_int64(s, 1, doc_row);
            sqlite3_bind_int64(s, 2, st->cur);
            error = kg_store__step_done(st, s, "ending a document", err);
        } else if (error == KG_OK) {
            error = err ? err->code : KG_ESTORE;
        }
    }
    if (error < 0) goto done;
    if ((s = kg_store__sq(st, KG_SQ_DOC_ADD, err)) == NULL) {
        error = err ? err->code : KG_ESTORE;
        goto done;
    }
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, (int64_t)content_hash);
    sqlite3_bind_int64(s, 3, st->cur);
    if ((error = kg_store__step_done(st, s, "storing a document", err)) < 0 ||
        (error = put_nodes(st, doc, pid, &onodes, err)) < 0 ||
        (error = put_edges(st, doc, pid, &oedges, err)) < 0 ||
        (error = old_end(st, 0, &onodes, err)) < 0 ||
        (error = old_end(st, 1, &oedges, err)) < 0)
        goto done;
    error = put_diags(st, doc, pid, doc_row != 0, err);
done:
    old_free(&onodes);
    old_free(&oedges);
    return error;
}
