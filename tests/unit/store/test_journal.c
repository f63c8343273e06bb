/* test_journal.c - the first version of an empty store is written with a
 * rollback journal (no WAL double write) when nobody else has the file
 * open, and WAL is back when the version ends, whatever way it ends;
 * readers opened meanwhile see the empty store, then the version. */
#include "store_int.h"
#include "store_test.h"

/* PRAGMA journal_mode as this handle sees it ("wal", "delete"). */
static void journal_mode(sqlite3 *db, char out[16])
{
    sqlite3_stmt *s = NULL;

    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        snprintf(out, 16, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

static int put_n(kg_store *st, int n, kg_error *err)
{
    int i, rc = KG_OK;

    for (i = 0; i < n && rc == KG_OK; i++) {
        char p[32], k[32];
        snprintf(p, sizeof p, "n%02d.md", i);
        snprintf(k, sizeof k, "n%02d", i);
        rc = st_put(st, p, k, "L", NULL, "body", "R>n00", NULL, 0, err);
    }
    return rc;
}

static void test_store_journal__first_import(void)
{
    char path[600], mode[16];
    kg_store *st = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 1);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "delete");
    kg_assert_int(put_n(st, 5, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(st->unwal, 0);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");

    /* Not empty any more: the next version is a WAL one. */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 0);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(put_n(st, 6, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_journal__rollback_restores_wal(void)
{
    char path[600], mode[16];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 1);
    kg_assert_int(put_n(st, 3, &err), KG_OK);
    kg_store_rollback(st);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(kg_store_latest(st), 0);
    /* Still empty, so the retry goes the same way, and closing with the
     * version open rolls it back the same way too. */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 1);
    kg_assert_int(put_n(st, 3, &err), KG_OK);
    kg_store_close(st);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 0);
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

/* Another connection open when the version begins: SQLite will not leave
 * WAL, and the version is an ordinary WAL one. */
static void test_store_journal__other_reader_keeps_wal(void)
{
    char path[600], mode[16];
    kg_store *st = NULL, *ro = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(kg_store_open(&ro, path, KG_STORE_READONLY, &err), KG_OK);
    kg_assert_int(kg_store_latest(ro), 0);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 0);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(put_n(st, 3, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_latest(ro), 1);
    kg_store_close(ro);
    kg_store_close(st);
    st_remove(path);
}

/* A reader that opens during the import sees the empty store, then the
 * version once it is committed (and WAL is back under it). */
static void test_store_journal__reader_during_import(void)
{
    char path[600], mode[16];
    kg_store *st = NULL, *ro = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st->unwal, 1);
    kg_assert_int(put_n(st, 4, &err), KG_OK);
    kg_assert_int(kg_store_open(&ro, path, KG_STORE_READONLY, &err), KG_OK);
    kg_assert_int(kg_store_latest(ro), 0);
    kg_assert_int(kg_store_load(ro, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 0);
    kg_graph_free(g);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(kg_store_latest(ro), 1);
    kg_assert_int(kg_store_load(ro, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 4);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 4);
    kg_graph_free(g);
    kg_store_close(ro);
    kg_store_close(st);
    st_remove(path);
}

/* A store left in rollback mode while someone reads it opens at once for
 * writing and works; the next open once nobody reads brings WAL back. */
static void test_store_journal__open_left_in_rollback_mode(void)
{
    char path[600], mode[16];
    kg_store *st = NULL;
    kg_error err;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(put_n(st, 2, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert(sqlite3_exec(st->db, "PRAGMA journal_mode=DELETE", NULL, NULL,
                           NULL) == SQLITE_OK);
    kg_store_close(st);

    /* A reader holding a read transaction. */
    kg_assert(sqlite3_open(path, &db) == SQLITE_OK);
    kg_assert(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
    kg_assert(sqlite3_prepare_v2(db, "SELECT count(*) FROM nodes", -1, &s,
                                 NULL) == SQLITE_OK);
    kg_assert(sqlite3_step(s) == SQLITE_ROW);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "delete");
    kg_assert_int(kg_store_latest(st), 1);
    kg_store_close(st);
    sqlite3_finalize(s);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);

    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    journal_mode(st->db, mode);
    kg_assert_str(mode, "wal");
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(put_n(st, 3, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_latest(st), 2);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::journal::first_import", test_store_journal__first_import},
    {"store::journal::rollback_restores_wal",
     test_store_journal__rollback_restores_wal},
    {"store::journal::other_reader_keeps_wal",
     test_store_journal__other_reader_keeps_wal},
    {"store::journal::reader_during_import",
     test_store_journal__reader_during_import},
    {"store::journal::open_left_in_rollback_mode",
     test_store_journal__open_left_in_rollback_mode},
    {NULL, NULL}};

KG_TEST_MAIN
