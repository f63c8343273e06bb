/* store_migrate.c - the data part of upgrading a store from schema 1 to 2.
 *
 * Schema 1 stored labels and properties as typed JSON and every edge as a
 * row of an edges table; schema 2 uses the binary encodings of
 * store_codec.c and keeps a document's edges in one blob on its docs row
 * (see store.c for why). store.c has already added the new docs columns
 * when this runs, inside the upgrade's write transaction, so a failure
 * anywhere leaves the schema 1 store untouched.
 *
 * The re-encoding goes through kg_value: JSON is parsed exactly as the
 * schema 1 loader did and the value written with the schema 2 encoder, so
 * the loaded graph, its fingerprint and the change flags are unchanged by
 * the upgrade. It is O(rows) and runs once per store.
 */
#include <string.h>

#include "store_int.h"

static int bad(kg_store *st, kg_error *err, const char *what, int64_t row,
               const char *why)
{
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "upgrading the store: %s of row %lld cannot be read "
                        "(%s)",
                        what, (long long)row, why);
}

/* JSON text of column i -> a kg_value (KG_VNULL for SQL NULL). */
static int parse_col(kg_store *st, sqlite3_stmt *s, int i, int64_t row,
                     const char *what, kg_value *out, kg_error *err)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    kg_error e;

    *out = KG_NULL_VALUE;
    if (t == NULL) return KG_OK;
    kg_error_clear(&e);
    if (kg_json_parse(out, t, (size_t)sqlite3_column_bytes(s, i), 1, &e) < 0)
        return e.code == KG_ENOMEM
                   ? kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                  "out of memory")
                   : bad(st, err, what, row, e.msg);
    return KG_OK;
}

/* A map's encoding as a value is its tag then what a property encoding
 * holds (count, sorted key / value pairs): write it and drop the tag. An
 * empty map is no encoding at all, as put_doc stores it. */
static int enc_map_props(kg_buf *b, const kg_value *m)
{
    int rc;

    kg_buf_reset(b);
    if (m->type != KG_VMAP) return KG_ETYPE;
    if (m->u.map->len == 0) return KG_OK;
    if ((rc = kg_store__enc_value(b, m)) < 0) return rc;
    memmove(b->data, b->data + 1, b->len - 1);
    b->len--;
    return KG_OK;
}

static int enc_label_list(kg_buf *b, const kg_value *v)
{
    char *small[16], **names = small;
    uint32_t i, n;
    int rc;

    kg_buf_reset(b);
    if (v->type != KG_VLIST) return KG_ETYPE;
    n = v->u.list->len;
    if (n > 16 && (names = kg_malloc(n * sizeof *names)) == NULL)
        return KG_ENOMEM;
    rc = KG_OK;
    for (i = 0; i < n && rc == KG_OK; i++) {
        if (v->u.list->items[i].type != KG_VSTRING)
            rc = KG_ETYPE;
        else
            names[i] = v->u.list->items[i].u.str->s;
    }
    if (rc == KG_OK) rc = kg_store__enc_labels(b, names, n);
    if (names != small) kg_free(names);
    return rc;
}

static void bind_buf(sqlite3_stmt *s, int i, const kg_buf *b)
{
    if (b->len == 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_blob(s, i, b->data, (int)b->len, SQLITE_STATIC);
}

static int step_update(kg_store *st, sqlite3_stmt *u, kg_error *err)
{
    return kg_store__step_done(st, u, "upgrading the store", err);
}

/* Re-encode every node row's labels and properties. */
static int migrate_nodes(kg_store *st, kg_error *err)
{
    sqlite3_stmt *s = NULL, *u = NULL;
    kg_buf lb = KG_BUF_INIT, pb = KG_BUF_INIT;
    int rc = SQLITE_DONE, error;

    if ((error = kg_store__prepare(st, &s,
                                   "SELECT id, labels, props FROM nodes"
                                   " WHERE labels IS NOT NULL"
                                   " OR props IS NOT NULL",
                                   err)) < 0 ||
        (error = kg_store__prepare(st, &u,
                                   "UPDATE nodes SET labels=?2, props=?3"
                                   " WHERE id=?1",
                                   err)) < 0)
        goto done;
    while (error == KG_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        kg_value labels, props;
        if ((error = parse_col(st, s, 1, id, "the labels", &labels, err)) < 0)
            break;
        if ((error = parse_col(st, s, 2, id, "the properties", &props, err)) ==
            KG_OK) {
            kg_buf_reset(&lb);
            kg_buf_reset(&pb);
            if (labels.type != KG_VNULL &&
                (error = enc_label_list(&lb, &labels)) < 0)
                error = error == KG_ENOMEM
                            ? kg_error_set(err, KG_ENOMEM, NULL,
                                           (kg_span){0, 0}, "out of memory")
                            : bad(st, err, "the labels", id, "not a list");
            if (error == KG_OK && props.type != KG_VNULL &&
                (error = enc_map_props(&pb, &props)) < 0)
                error = error == KG_ENOMEM
                            ? kg_error_set(err, KG_ENOMEM, NULL,
                                           (kg_span){0, 0}, "out of memory")
                            : bad(st, err, "the properties", id, "not a map");
        }
        kg_value_release(&labels);
        kg_value_release(&props);
        if (error < 0) break;
        sqlite3_bind_int64(u, 1, id);
        bind_buf(u, 2, &lb);
        bind_buf(u, 3, &pb);
        error = step_update(st, u, err);
    }
    if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "upgrading the store");
done:
    sqlite3_finalize(s);
    sqlite3_finalize(u);
    kg_buf_free(&lb);
    kg_buf_free(&pb);
    return error;
}

/* The counts and encoding of one document's edge rows. */
typedef struct {
    kg_buf blob, props;
    kg_edge_rec prev, cur;
    char *strs[2][3]; /* owned copies behind prev / cur */
    int64_t n, added, changed, gone;
} edge_acc;

static void acc_free(edge_acc *a)
{
    int i, j;

    kg_buf_free(&a->blob);
    kg_buf_free(&a->props);
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
            kg_free(a->strs[i][j]);
}

/* Append the edge row at s (columns src, type, dst, props, line, col, chg,
 * gone) to the document's encoding. */
static int acc_edge(kg_store *st, edge_acc *a, sqlite3_stmt *s, int64_t doc,
                    kg_error *err)
{
    kg_value props;
    int j, error;

    for (j = 0; j < 3; j++) {
        const char *t = (const char *)sqlite3_column_text(s, j);
        kg_free(a->strs[1][j]);
        if ((a->strs[1][j] = kg_strdup(t ? t : "")) == NULL)
            KG_CHECK_ALLOC(NULL, err);
    }
    a->cur.src = a->strs[1][0];
    a->cur.type = a->strs[1][1];
    a->cur.dst = a->strs[1][2];
    a->cur.line = (uint32_t)sqlite3_column_int64(s, 4);
    a->cur.col = (uint32_t)sqlite3_column_int64(s, 5);
    if ((error =
             parse_col(st, s, 3, doc, "an edge's properties", &props, err)) < 0)
        return error;
    kg_buf_reset(&a->props);
    error = props.type == KG_VNULL ? KG_OK : enc_map_props(&a->props, &props);
    kg_value_release(&props);
    if (error == KG_ETYPE)
        return bad(st, err, "an edge's properties of document", doc,
                   "not a map");
    if (error < 0 || kg_store__enc_edge(&a->blob, &a->cur,
                                        a->n ? &a->prev : NULL, &a->props) < 0)
        KG_CHECK_ALLOC(NULL, err);
    a->n++;
    a->added += sqlite3_column_int(s, 6) == 1;
    a->changed += sqlite3_column_int(s, 6) == 2;
    a->gone += sqlite3_column_int(s, 7) != 0;
    /* cur becomes prev; its strings move with it. */
    for (j = 0; j < 3; j++) {
        char *t = a->strs[0][j];
        a->strs[0][j] = a->strs[1][j];
        a->strs[1][j] = t;
    }
    a->prev = a->cur;
    return KG_OK;
}

/* Fold each document's edge rows (same path, same first version) into
 * its docs row, in row order, which is document order. */
static int migrate_edges(kg_store *st, kg_error *err)
{
    sqlite3_stmt *d = NULL, *e = NULL, *u = NULL;
    kg_buf head = KG_BUF_INIT;
    int rc = SQLITE_DONE, erc = SQLITE_DONE, error;

    if ((error = kg_store__exec(st,
                                "CREATE INDEX kg_upgrade_edges ON"
                                " edges(path_id, v_from)",
                                "upgrading the store", err)) < 0 ||
        (error = kg_store__prepare(
             st, &d, "SELECT id, path_id, v_from FROM docs", err)) < 0 ||
        (error = kg_store__prepare(st, &e,
                                   "SELECT src, type, dst, props, line, col,"
                                   " chg, gone FROM edges WHERE path_id=?1"
                                   " AND v_from=?2 ORDER BY id",
                                   err)) < 0 ||
        (error = kg_store__prepare(st, &u,
                                   "UPDATE docs SET edges=?2, nedges=?3,"
                                   " e_added=?4, e_changed=?5, e_gone=?6"
                                   " WHERE id=?1",
                                   err)) < 0)
        goto done;
    while (error == KG_OK && (rc = sqlite3_step(d)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(d, 0);
        edge_acc a;
        memset(&a, 0, sizeof a);
        sqlite3_bind_int64(e, 1, sqlite3_column_int64(d, 1));
        sqlite3_bind_int64(e, 2, sqlite3_column_int64(d, 2));
        while (error == KG_OK && (erc = sqlite3_step(e)) == SQLITE_ROW)
            error = acc_edge(st, &a, e, doc, err);
        sqlite3_reset(e);
        if (error == KG_OK && erc != SQLITE_DONE)
            error = kg_store__fail(st, err, erc, "upgrading the store");
        if (error == KG_OK && a.n > 0) {
            /* The count goes first: encode it, then the edges after it. */
            kg_buf_reset(&head);
            kg_store__enc_count(&head, (uint64_t)a.n);
            kg_buf_put(&head, a.blob.data, a.blob.len);
            if (head.oom) error = KG_ENOMEM;
            sqlite3_bind_int64(u, 1, doc);
            bind_buf(u, 2, &head);
            sqlite3_bind_int64(u, 3, a.n);
            sqlite3_bind_int64(u, 4, a.added);
            sqlite3_bind_int64(u, 5, a.changed);
            sqlite3_bind_int64(u, 6, a.gone);
            if (error == KG_ENOMEM)
                error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                     "out of memory");
            else
                error = step_update(st, u, err);
        }
        acc_free(&a);
    }
    if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "upgrading the store");
done:
    sqlite3_finalize(d);
    sqlite3_finalize(e);
    sqlite3_finalize(u);
    kg_buf_free(&head);
    return error;
}

int kg_store__migrate_v2(kg_store *st, kg_error *err)
{
    int error;

    if ((error = migrate_nodes(st, err)) < 0 ||
        (error = migrate_edges(st, err)) < 0)
        return error;
    /* The table's indexes, kg_upgrade_edges included, go with it. */
    return kg_store__exec(st, "DROP TABLE edges", "upgrading the store", err);
}
