/* store_fts.c - the full-text index over node names and text, and search.
 *
 * nodes_fts is an external-content FTS5 table over nodes(name, text): it
 * holds only the index, the text stays in nodes. Node rows never change
 * once written (only v_to and gone do), so an index entry stays right for
 * as long as its row lives, and a search filters hits by the version range
 * of their row: one index serves every version.
 *
 * Tokenizing is the most expensive part of storing text (for 100k notes of
 * 1 KB it takes longer than inserting every record), so it is batched and,
 * for big versions, deferred. fts_state.upto is a rowid watermark: node rows
 * up to it are indexed, rows above it are not. A small version indexes its
 * rows at commit, in its own transaction; a big one (a first import)
 * leaves them, and the next search catches up in one statement under a
 * short write transaction. When it cannot (read-only store, a sync holding
 * the lock), the search indexes the missing rows that are valid at its
 * version into a temporary in-memory FTS table for that one query, so
 * results are always complete, only slower.
 */
#include <string.h>

#include "store_int.h"

static int query_i64(kg_store *st, const char *sql, int64_t *out, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = kg_store__prepare(st, &s, sql, err);

    if (error < 0) return error;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        error = kg_store__fail(st, err, rc, "reading the search index");
    sqlite3_finalize(s);
    return error;
}

int kg_store__fts_upto(kg_store *st, int64_t *upto, kg_error *err)
{
    return query_i64(st, "SELECT upto FROM fts_state", upto, err);
}

static int max_node(kg_store *st, int64_t *max, kg_error *err)
{
    return query_i64(st, "SELECT coalesce(max(id), 0) FROM nodes", max, err);
}

/* Index node rows in (from, to] and move the watermark to `to`. */
static int index_rows(kg_store *st, int64_t from, int64_t to, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    error = kg_store__prepare(st, &s,
                              "INSERT INTO nodes_fts(rowid, name, text)"
                              " SELECT id, name, text FROM nodes"
                              " WHERE id > ?1 AND id <= ?2",
                              err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "indexing node text");
    error = kg_store__prepare(st, &s, "UPDATE fts_state SET upto=?1", err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, to);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "indexing node text");
    return KG_OK;
}

int kg_store__fts_commit(kg_store *st, kg_error *err)
{
    int64_t upto = 0, max = 0;
    int error;

    if ((error = kg_store__fts_upto(st, &upto, err)) < 0 ||
        (error = max_node(st, &max, err)) < 0)
        return error;
    /* Lagging behind already, or too big: the next search catches up. */
    if (upto < st->mark[KG_RT_NODES] ||
        max - st->mark[KG_RT_NODES] > st->fts_eager || max <= upto)
        return KG_OK;
    return index_rows(st, upto, max, err);
}

int kg_store__fts_forget(kg_store *st, int64_t above, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int64_t upto = 0;
    int rc, error;

    if ((error = kg_store__fts_upto(st, &upto, err)) < 0) return error;
    if (upto <= above) return KG_OK;
    /* External content: deleting needs the values that were indexed, and
     * the rows are still there to give them. */
    error = kg_store__prepare(st, &s,
                              "INSERT INTO nodes_fts(nodes_fts, rowid, name,"
                              " text) SELECT 'delete', id, name, text"
                              " FROM nodes WHERE id > ?1 AND id <= ?2",
                              err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, above);
    sqlite3_bind_int64(s, 2, upto);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "updating the search index");
    error = kg_store__prepare(st, &s, "UPDATE fts_state SET upto=?1", err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, above);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return kg_store__fail(st, err, rc, "updating the search index");
    return KG_OK;
}

/* Bring the index up to date if that needs no waiting: not read-only, no
 * version open on this handle, and the write lock free right now. Failing
 * is not an error; the search falls back to a temporary index. */
static void catch_up(kg_store *st)
{
    int64_t upto = 0, max = 0;
    int rc;

    if (st->readonly || st->writing) return;
    if (kg_store__fts_upto(st, &upto, NULL) < 0 ||
        max_node(st, &max, NULL) < 0 || upto >= max)
        return;
    sqlite3_busy_timeout(st->db, 0);
    rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
    if (rc != SQLITE_OK) return;
    if (kg_store__fts_upto(st, &upto, NULL) == KG_OK &&
        max_node(st, &max, NULL) == KG_OK &&
        (upto >= max || index_rows(st, upto, max, NULL) == KG_OK) &&
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The rows valid at vid that the index does not cover yet, in a temporary
 * FTS table of this connection. */
static int build_tail(kg_store *st, int64_t vid, int64_t upto, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    error = kg_store__exec(st,
                           "CREATE VIRTUAL TABLE IF NOT EXISTS"
                           " temp.kg_fts_tail USING fts5(key UNINDEXED,"
                           " name, text);"
                           "DELETE FROM temp.kg_fts_tail;",
                           "searching", err);
    if (error < 0) return error;
    error = kg_store__prepare(st, &s,
                              "INSERT INTO temp.kg_fts_tail(key, name, text)"
                              " SELECT key, name, text FROM nodes"
                              " WHERE id > ?2 AND" KG_STORE_VALID_AT,
                              err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, vid);
    sqlite3_bind_int64(s, 2, upto);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return kg_store__fail(st, err, rc, "searching");
    return KG_OK;
}

/* Hits from the index and, with tail, from the temporary table. bm25()
 * only works inside the FTS query itself, hence the MATERIALIZED CTEs that
 * keep the grouping from being flattened into it. Name matches weigh five
 * times a text match. */
static const char search_sql[] =
    "WITH hits AS MATERIALIZED ("
    " SELECT n.key AS key, bm25(nodes_fts, 5.0, 1.0) AS score"
    " FROM nodes_fts JOIN nodes n ON n.id = nodes_fts.rowid"
    " WHERE nodes_fts MATCH ?2 AND n.v_from <= ?1"
    " AND (n.v_to IS NULL OR n.v_to > ?1))"
    " SELECT key, min(score) AS best FROM hits"
    " GROUP BY key ORDER BY best, key";

static const char search_tail_sql[] =
    "WITH hits AS MATERIALIZED ("
    " SELECT n.key AS key, bm25(nodes_fts, 5.0, 1.0) AS score"
    " FROM nodes_fts JOIN nodes n ON n.id = nodes_fts.rowid"
    " WHERE nodes_fts MATCH ?2 AND n.v_from <= ?1"
    " AND (n.v_to IS NULL OR n.v_to > ?1)),"
    " tail AS MATERIALIZED ("
    " SELECT key, bm25(kg_fts_tail, 0.0, 5.0, 1.0) AS score"
    " FROM temp.kg_fts_tail WHERE kg_fts_tail MATCH ?2)"
    " SELECT key, min(score) AS best FROM"
    " (SELECT key, score FROM hits UNION ALL SELECT key, score FROM tail)"
    " GROUP BY key ORDER BY best, key";

/* FTS5 syntax over node names and text. The score is SQLite's bm25():
 * lower (more negative) is a better match, and hits come best first. A key
 * valid at vid appears once, with its best score. A malformed search is
 * KG_ESYNTAX. */
int kg_store_search(kg_store *st, int64_t vid, const char *text, kg_hit_cb cb,
                    void *payload, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int64_t upto = 0, max = 0;
    int started, tail = 0, rc = SQLITE_DONE, error;

    catch_up(st);
    if ((error = kg_store__read_begin(st, &started, err)) < 0) return error;
    if ((error = kg_store__resolve_vid(st, &vid, err)) < 0 ||
        (error = kg_store__fts_upto(st, &upto, err)) < 0 ||
        (error = max_node(st, &max, err)) < 0)
        goto done;
    if (max > upto) {
        if ((error = build_tail(st, vid, upto, err)) < 0) goto done;
        tail = 1;
    }
    error = kg_store__prepare(st, &s, tail ? search_tail_sql : search_sql, err);
    if (error < 0) goto done;
    sqlite3_bind_int64(s, 1, vid);
    kg_store__bind_text(s, 2, text ? text : "");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        error = cb((const char *)sqlite3_column_text(s, 0),
                   sqlite3_column_double(s, 1), payload);
        if (error != 0) break;
    }
    if (error == KG_OK && rc == SQLITE_ERROR)
        error = kg_error_set(err, KG_ESYNTAX, "<search>", (kg_span){0, 0},
                             "bad search '%s': %s", text ? text : "",
                             sqlite3_errmsg(st->db));
    else if (error == KG_OK && rc != SQLITE_DONE)
        error = kg_store__fail(st, err, rc, "searching");
done:
    sqlite3_finalize(s);
    if (tail)
        sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.kg_fts_tail", NULL,
                     NULL, NULL);
    kg_store__read_end(st, started);
    return error;
}
