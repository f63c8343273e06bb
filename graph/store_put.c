/* store_put.c - writing one document's records: kg_store_put_doc.
 *
 * A document replaces the records its path had: its live doc row (with the
 * edges in it) and node rows are read (node rows through the partial index
 * on path_id WHERE v_to IS NULL), ended at the open version, and the new
 * ones inserted, each node and edge marked added / changed / unchanged
 * against the old one with the same node key or edge (src, type, dst).
 * Only the rows of that path are touched, so the cost is O(records of the
 * path) whatever the size of the store.
 *
 * Labels, properties and edges are the canonical encodings of
 * store_codec.c: equal properties are equal bytes, so comparing encodings
 * is how a change is found. A first import is three row inserts per
 * document (path, doc with its edges, node), which is what makes it fast.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- the old records of a path ---- */

typedef struct {
    const char *p;
    size_t n;
} bytes; /* p NULL = SQL NULL */

typedef struct {
    int64_t id;     /* node row id; 0 for an edge        */
    const char *k;  /* node key, or edge_key             */
    size_t klen;
    bytes a, b, c;  /* node: labels, props, text; edge: props */
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

static old_rec *old_push(old_set *o)
{
    old_rec *r;

    if (o->arena == NULL && (o->arena = kg_arena_new()) == NULL) return NULL;
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 16;
        old_rec *v = kg_realloc(o->v, cap * sizeof *v);
        if (v == NULL) return NULL;
        o->v = v;
        o->cap = cap;
    }
    r = &o->v[o->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* A copy of column i in the set's arena; oom set on failure. */
static bytes col_dup(old_set *o, sqlite3_stmt *s, int i, int *oom)
{
    bytes b = {NULL, 0};
    const void *t = sqlite3_column_blob(s, i);

    b.n = (size_t)sqlite3_column_bytes(s, i);
    if (t == NULL && b.n == 0) return b;
    if ((b.p = kg_arena_strndup(o->arena, t ? t : "", b.n)) == NULL) *oom = 1;
    return b;
}

/* NULL and empty are the same: an empty encoding is stored as NULL, and
 * SQLite hands back an empty text as a NULL pointer. */
static int same(bytes a, const void *p, size_t n)
{
    return a.n == n && (n == 0 || memcmp(a.p, p, n) == 0);
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

static int corrupt(kg_store *st, const char *path, kg_error *err)
{
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "the store file is corrupt: the stored edges of "
                        "'%s' cannot be read",
                        path);
}

/* The live node rows of pid, sorted by key. */
static int old_nodes(kg_store *st, int64_t pid, old_set *o, kg_error *err)
{
    sqlite3_stmt *s = kg_store__sq(st, KG_SQ_NODE_OLD, err);
    int rc, oom = 0;

    if (s == NULL) return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, pid);
    while (!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        old_rec *r = old_push(o);
        bytes k;
        if (r == NULL) {
            oom = 1;
            break;
        }
        r->id = sqlite3_column_int64(s, 0);
        k = col_dup(o, s, 1, &oom);
        r->k = k.p ? k.p : "";
        r->klen = k.n;
        r->a = col_dup(o, s, 2, &oom);
        r->b = col_dup(o, s, 3, &oom);
        r->c = col_dup(o, s, 4, &oom);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (oom) KG_CHECK_ALLOC(NULL, err);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading a document's records");
    if (o->n > 1) qsort(o->v, o->n, sizeof *o->v, cmp_old);
    return KG_OK;
}

/* The edges of doc row `doc`, sorted by match key. */
static int old_edges(kg_store *st, const char *path, int64_t doc, old_set *o,
                     kg_error *err)
{
    sqlite3_stmt *s = kg_store__sq(st, KG_SQ_DOC_EDGES, err);
    kg_edge_iter it;
    bytes blob = {NULL, 0};
    int rc, oom = 0, error = KG_OK;

    if (s == NULL) return err ? err->code : KG_ESTORE;
    if (o->arena == NULL && (o->arena = kg_arena_new()) == NULL)
        KG_CHECK_ALLOC(NULL, err);
    sqlite3_bind_int64(s, 1, doc);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) blob = col_dup(o, s, 0, &oom);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (oom) KG_CHECK_ALLOC(NULL, err);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "reading a document's records");
    if (kg_store__edges_open(&it, blob.p, blob.n) < 0)
        return corrupt(st, path, err);
    while ((rc = kg_store__edges_next(&it)) == 1) {
        const kg_edge_view *e = &it.cur;
        old_rec *r = old_push(o);
        if (r == NULL || edge_key(&st->enc[KG_ENC_KEY], e->src, e->type,
                                  e->dst) < 0 ||
            (r->k = kg_arena_strndup(o->arena, st->enc[KG_ENC_KEY].data,
                                     st->enc[KG_ENC_KEY].len)) == NULL) {
            error = KG_ENOMEM;
            break;
        }
        r->klen = st->enc[KG_ENC_KEY].len;
        r->a.p = (const char *)e->props;
        r->a.n = e->nprops;
    }
    if (error == KG_ENOMEM) KG_CHECK_ALLOC(NULL, err);
    if (rc < 0) return corrupt(st, path, err);
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

/* End the old node rows at the open version; gone = 1 for those no new
 * record replaced. */
static int old_end(kg_store *st, old_set *o, kg_error *err)
{
    size_t i;
    int error;

    for (i = 0; i < o->n; i++) {
        sqlite3_stmt *s = kg_store__sq(st, KG_SQ_NODE_END, err);
        if (s == NULL) return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, o->v[i].id);
        sqlite3_bind_int64(s, 2, st->cur);
        sqlite3_bind_int(s, 3, !o->v[i].used);
        if ((error = kg_store__step_done(st, s, "ending a record", err)) < 0)
            return error;
        if (!o->v[i].used) st->cnt[KG_CNT_NODES_REMOVED]++;
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

static void bind_enc(sqlite3_stmt *s, int i, const kg_buf *b)
{
    if (b->len == 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_blob(s, i, b->data, (int)b->len, SQLITE_STATIC);
}

static int put_nodes(kg_store *st, const kg_doc *doc, int64_t pid, old_set *o,
                     kg_error *err)
{
    kg_buf *lb = &st->enc[KG_ENC_LABELS], *pb = &st->enc[KG_ENC_PROPS];
    uint32_t i;
    int error;

    for (i = 0; i < doc->nnodes; i++) {
        const kg_node_rec *n = &doc->nodes[i];
        old_rec *r;
        sqlite3_stmt *s;
        int chg = 1;

        if (n->key == NULL || n->key[0] == '\0')
            return kg_error_set(err, KG_ETYPE, st->path, (kg_span){0, 0},
                                "%s:%u: node record without a key", doc->path,
                                (unsigned)n->line);
        kg_buf_reset(lb);
        kg_buf_reset(pb);
        if (kg_store__enc_labels(lb, n->labels, n->nlabels) < 0)
            KG_CHECK_ALLOC(NULL, err);
        error = kg_store__enc_props(pb, n->props, n->nprops, doc->path, err);
        if (error < 0) return error;
        r = old_match(o, n->key, strlen(n->key));
        if (r != NULL) {
            r->used = 1;
            chg = same(r->a, lb->data, lb->len) &&
                          same(r->b, pb->data, pb->len) &&
                          same(r->c, n->text, n->text ? strlen(n->text) : 0)
                      ? 0
                      : 2;
        }
        if ((s = kg_store__sq(st, KG_SQ_NODE_ADD, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, pid);
        kg_store__bind_text(s, 2, n->key);
        kg_store__bind_text(s, 3, node_name(n));
        bind_enc(s, 4, lb);
        bind_enc(s, 5, pb);
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

/* Encode the document's edges into enc[KG_ENC_EDGES], matching each with
 * the old edges o: cnt[0] added, cnt[1] changed, cnt[2] old ones gone. */
static int enc_edges(kg_store *st, const kg_doc *doc, old_set *o,
                     int64_t cnt[3], kg_error *err)
{
    kg_buf *eb = &st->enc[KG_ENC_EDGES], *pb = &st->enc[KG_ENC_PROPS];
    kg_buf *kb = &st->enc[KG_ENC_KEY];
    size_t i;
    int error;

    cnt[0] = cnt[1] = cnt[2] = 0;
    kg_buf_reset(eb);
    if (doc->nedges > 0) kg_store__enc_count(eb, doc->nedges);
    for (i = 0; i < doc->nedges; i++) {
        const kg_edge_rec *e = &doc->edges[i];
        old_rec *r;
        int chg = 1;

        if (e->src == NULL || e->type == NULL || e->dst == NULL ||
            e->type[0] == '\0')
            return kg_error_set(err, KG_ETYPE, st->path, (kg_span){0, 0},
                                "%s:%u: edge record without a source, "
                                "type or target",
                                doc->path, (unsigned)e->line);
        kg_buf_reset(pb);
        error = kg_store__enc_props(pb, e->props, e->nprops, doc->path, err);
        if (error < 0) return error;
        if (o->n > 0) {
            if (edge_key(kb, e->src, e->type, e->dst) < 0)
                KG_CHECK_ALLOC(NULL, err);
            r = old_match(o, kb->data, kb->len);
            if (r != NULL) {
                r->used = 1;
                chg = same(r->a, pb->data, pb->len) ? 0 : 2;
            }
        }
        if (chg != 0) cnt[chg - 1]++;
        if (kg_store__enc_edge(eb, e, i ? e - 1 : NULL, pb) < 0)
            KG_CHECK_ALLOC(NULL, err);
    }
    for (i = 0; i < o->n; i++) cnt[2] += !o->v[i].used;
    /* One row holds them all: SQLite's length limit is the limit. */
    if (eb->len > (size_t)sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, -1))
        return kg_error_set(err, KG_ELIMIT, st->path, (kg_span){0, 0},
                            "%s: too many edges in one file to store (%u, "
                            "%zu bytes encoded; the limit is %d bytes)",
                            doc->path, (unsigned)doc->nedges, eb->len,
                            sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, -1));
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

/* End the old doc row (its unmatched edges counted gone) and insert the
 * new one with the encoded edges. */
static int put_doc_row(kg_store *st, const kg_doc *doc, int64_t pid,
                       int64_t old_doc, uint64_t hash, const int64_t cnt[3],
                       kg_error *err)
{
    sqlite3_stmt *s;
    int error;

    if (old_doc != 0) {
        if ((s = kg_store__sq(st, KG_SQ_DOC_END, err)) == NULL)
            return err ? err->code : KG_ESTORE;
        sqlite3_bind_int64(s, 1, old_doc);
        sqlite3_bind_int64(s, 2, st->cur);
        sqlite3_bind_int64(s, 3, cnt[2]);
        if ((error = kg_store__step_done(st, s, "ending a document", err)) < 0)
            return error;
    }
    if ((s = kg_store__sq(st, KG_SQ_DOC_ADD, err)) == NULL)
        return err ? err->code : KG_ESTORE;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int64(s, 2, (int64_t)hash);
    sqlite3_bind_int64(s, 3, st->cur);
    bind_enc(s, 4, &st->enc[KG_ENC_EDGES]);
    sqlite3_bind_int64(s, 5, doc->nedges);
    sqlite3_bind_int64(s, 6, cnt[0]);
    sqlite3_bind_int64(s, 7, cnt[1]);
    if ((error = kg_store__step_done(st, s, "storing a document", err)) < 0)
        return error;
    st->cnt[KG_CNT_EDGES_ADDED] += cnt[0];
    st->cnt[KG_CNT_EDGES_CHANGED] += cnt[1];
    st->cnt[KG_CNT_EDGES_REMOVED] += cnt[2];
    return KG_OK;
}

/* On failure the version stays open but this path may be half written:
 * the caller is expected to roll back (sync does on any store error).
 * Errors name the document in their text and carry the store's path as
 * err->source, which outlives the document. */
int kg_store_put_doc(kg_store *st, const kg_doc *doc, uint64_t content_hash,
                     kg_error *err)
{
    old_set onodes = {0}, oedges = {0};
    int64_t pid, doc_row = 0, nedges = 0, cnt[3];
    int fresh, error;

    if ((error = kg_store__need_version(st, err)) < 0) return error;
    if (doc == NULL || doc->path == NULL)
        return kg_error_set(err, KG_ERROR, st->path, (kg_span){0, 0},
                            "document without a path");
    error = kg_store__path_id(st, doc->path, &pid, &fresh, 1, err);
    if (error == KG_OK && !fresh)
        error = kg_store__prepare_path(st, pid, &doc_row, &nedges, err);
    if (error == KG_OK && doc_row != 0) {
        if ((error = old_nodes(st, pid, &onodes, err)) == KG_OK && nedges > 0)
            error = old_edges(st, doc->path, doc_row, &oedges, err);
    }
    if (error < 0 || (error = enc_edges(st, doc, &oedges, cnt, err)) < 0 ||
        (error = put_doc_row(st, doc, pid, doc_row, content_hash, cnt, err)) <
            0 ||
        (error = put_nodes(st, doc, pid, &onodes, err)) < 0 ||
        (error = old_end(st, &onodes, err)) < 0)
        goto done;
    error = put_diags(st, doc, pid, doc_row != 0, err);
done:
    old_free(&onodes);
    old_free(&oedges);
    return error;
}
