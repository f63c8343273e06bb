/* test_errors.c - what a bad file, a read-only store or a full disk look
 * like: a clear message, and nothing that was stored is lost. */
#include <fcntl.h>
#include <sys/stat.h>

#include "store_int.h"
#include "store_test.h"

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    size_t n;

    if (f == NULL) return -1;
    n = fwrite(data, 1, len, f);
    fclose(f);
    return n == len ? 0 : -1;
}

static int sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK) rc = sqlite3_exec(db, text, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void test_store_errors__bad_files(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_error err;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_ENOTFOUND);
    kg_assert_str(err.msg, "no such store (No such file or directory)");
    kg_assert_str(err.source, path);

    kg_assert(write_file(path, "this is not a database, just text\n", 34) == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_ESTORE);
    kg_assert(st == NULL);
    kg_assert_str(err.msg, "opening: not a kgsh store (file is not a "
                           "database)");
    unlink(path);

    kg_assert(sql(path, "CREATE TABLE notes(x);") == SQLITE_OK);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_ESTORE);
    kg_assert_str(err.msg, "not a kgsh store (an SQLite database with "
                           "application_id 0 and 1 schema objects)");
    unlink(path);

    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_store_close(st);
    kg_assert(sql(path, "PRAGMA user_version=99;") == SQLITE_OK);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_ESTORE);
    kg_assert_str(err.msg, "store schema 99 is newer than this kgsh "
                           "understands (2); upgrade kgsh");
    st_remove(path);
}

static void test_store_errors__corrupt_pages(void)
{
    char path[600], junk[4096];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    struct stat sb;
    unsigned char hdr[2];
    int fd, i;
    off_t off, page;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    for (i = 0; i < 200; i++) {
        char p[32], k[32];
        snprintf(p, sizeof p, "n%03d.md", i);
        snprintf(k, sizeof k, "n%03d", i);
        kg_assert_int(st_put(st, p, k, "L", NULL, "some body text here",
                             "MENTIONS>n000", NULL, 0, &err),
                      KG_OK);
    }
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_store_close(st); /* checkpoints the WAL into the file */

    /* Overwrite everything after the first page (the schema survives).
     * The page size is the big-endian u16 at offset 16 of the header. */
    memset(junk, 0x5a, sizeof junk);
    fd = open(path, O_RDWR);
    kg_assert(fd >= 0);
    kg_assert(pread(fd, hdr, 2, 16) == 2);
    page = ((off_t)hdr[0] << 8 | hdr[1]) == 1 ? 65536
                                               : ((off_t)hdr[0] << 8 | hdr[1]);
    kg_assert(stat(path, &sb) == 0 && sb.st_size > 2 * page);
    for (off = page; off < sb.st_size; off += (off_t)sizeof junk)
        kg_assert(pwrite(fd, junk, sizeof junk, off) == (ssize_t)sizeof junk);
    close(fd);

    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_ESTORE);
    kg_assert(g == NULL);
    kg_assert(strstr(err.msg, "the store file is corrupt (database disk "
                              "image is malformed)") != NULL);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_errors__read_only(void)
{
    char path[600];
    kg_store *st = NULL, *ro = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&ro, path, KG_STORE_READONLY, &err),
                  KG_ENOTFOUND);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, NULL, "x", NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_store_close(st);

    kg_assert_int(kg_store_open(&ro, path, KG_STORE_READONLY, &err), KG_OK);
    kg_assert_int(kg_store_load(ro, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_graph_free(g);
    kg_assert_int(st_begin(ro, "", 0, &vid, &err), KG_ESTORE);
    kg_assert_str(err.msg, "cannot record a version: the store is read-only");
    kg_assert_int(kg_store_meta_set(ro, "k", "v", &err), KG_ESTORE);
    kg_store_close(ro);

    /* A file the process may not write opens read-only by itself (root
     * may write anything, so this part only runs for other users). */
    if (geteuid() != 0) {
        kg_assert(chmod(path, 0444) == 0);
        kg_assert_int(kg_store_open(&ro, path, 0, &err), KG_OK);
        kg_assert_int(st_begin(ro, "", 0, &vid, &err), KG_ESTORE);
        kg_store_close(ro);
        chmod(path, 0644);
    }
    st_remove(path);
}

/* A disk that fills up mid-sync: the version fails with KG_EIO and the
 * versions before it are intact. The limit is SQLite's max_page_count on
 * this connection, which fails writes exactly as a full disk does. */
static void test_store_errors__disk_full(void)
{
    char path[600], body[3000];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    int i, rc = KG_OK;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(
        st_put(st, "a.md", "a", NULL, NULL, "keep me", NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert(sqlite3_exec(st->db, "PRAGMA max_page_count=60", NULL, NULL,
                           NULL) == SQLITE_OK);
    memset(body, 'w', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    for (i = 0; i < 500 && rc == KG_OK; i++) {
        char p[32];
        snprintf(p, sizeof p, "big%03d.md", i);
        body[i] = 'x'; /* every body different */
        rc = st_put(st, p, p, NULL, NULL, body, NULL, NULL, 0, &err);
    }
    if (rc == KG_OK)
        rc = kg_store_commit(st, &err);
    else
        kg_store_rollback(st);
    kg_assert_int(rc, KG_EIO);
    kg_assert(strstr(err.msg, ": disk full (database or disk is full); "
                              "nothing was changed") != NULL);
    kg_assert_int(kg_store_latest(st), 1);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_assert_str(kg_graph_node_text(g, 0), "keep me");
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::errors::bad_files", test_store_errors__bad_files},
    {"store::errors::corrupt_pages", test_store_errors__corrupt_pages},
    {"store::errors::read_only", test_store_errors__read_only},
    {"store::errors::disk_full", test_store_errors__disk_full},
    {NULL, NULL}};

KG_TEST_MAIN
