/* test_errors.c - what a bad file, a read-only store or a full disk look
 * like: a clear message, and nothing that was stored is lost. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

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
    kg_assert(strstr(err.msg, ": no space left on device while writing ") !=
              NULL);
    kg_assert(strstr(err.msg, path) != NULL);
    kg_assert(strstr(err.msg, " (database or disk is full); nothing was "
                              "changed") != NULL);
    kg_assert_int(kg_store_latest(st), 1);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_assert_str(kg_graph_node_text(g, 0), "keep me");
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

/* A store of one version with one node "a" at path; 0 on success. */
static int one_version(const char *path)
{
    kg_store *st = NULL;
    kg_error err;
    int64_t vid;
    int rc = kg_store_open(&st, path, KG_STORE_CREATE, &err);

    if (rc == KG_OK) rc = st_begin(st, "", 0, &vid, &err);
    if (rc == KG_OK)
        rc = st_put(st, "a.md", "a", NULL, NULL, "x", NULL, NULL, 0, &err);
    if (rc == KG_OK) rc = kg_store_commit(st, &err);
    kg_store_close(st);
    return rc;
}

/* A WAL store whose -shm cannot be made opens immutable and read-only.
 * A folder that cannot be written does that for other users; root writes
 * anywhere, so a symbolic link in the -shm file's place (SQLite opens it
 * with O_NOFOLLOW, which fails) stands in for it, and runs for everyone. The folder name has
 * the characters a URI must escape. */
static void test_store_errors__no_shm(void)
{
    char path[600], dir[600], shm[640];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    FILE *f;

    kg_assert(st_tmpfile(dir, sizeof dir, "odd ?#%41 dir") == 0);
    kg_assert(mkdir(dir, 0755) == 0);
    snprintf(path, sizeof path, "%s/kg.db", dir);
    snprintf(shm, sizeof shm, "%s-shm", path);
    kg_assert_int(one_version(path), KG_OK);
    kg_assert(symlink("nowhere", shm) == 0);

    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert(st->immutable);
    kg_assert_int(kg_store_readonly(st), 1);
    kg_assert_int(kg_store_latest(st), 1);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_graph_free(g);
    g = NULL;
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_ESTORE);
    kg_assert_str(err.msg, "cannot record a version: the store is read-only");
    /* another process writes the file: the next read refuses */
    f = fopen(path, "ab");
    kg_assert(f != NULL);
    fputc(0, f);
    fclose(f);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_ESTORE);
    kg_assert(g == NULL);
    kg_assert(strstr(err.msg, "was written by another process since it was "
                              "opened read-only") != NULL);
    kg_store_close(st);

    /* only one failure is retried this way: a file that is no store stays
     * an error */
    kg_assert(unlink(shm) == 0);
    kg_assert(unlink(path) == 0);
    {
        static const char text[] =
            "not a database at all, just some text, long enough to hold "
            "the 100 bytes of a whole SQLite header: 0123456789\n";
        kg_assert(write_file(path, text, sizeof text - 1) == 0);
    }
    kg_assert(symlink("nowhere", shm) == 0);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_ESTORE);
    kg_assert(strstr(err.msg, "not a kgsh store") != NULL);
    kg_assert(unlink(shm) == 0);
    st_remove(path); /* and its empty -wal */
    st_remove(dir);
}

/* A -wal that holds frames (its writer has not checkpointed) and no -shm:
 * the main file alone is an older store. It is refused, not read stale. */
static void test_store_errors__no_shm_live_wal(void)
{
    char path[600], shm[640], wal[640];
    sqlite3 *db = NULL;
    kg_store *st = NULL;
    kg_error err;
    pid_t pid;
    int status;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    snprintf(shm, sizeof shm, "%s-shm", path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    kg_assert_int(one_version(path), KG_OK);
    kg_assert_int(kg_store__wal_has_frames(path, KG_STORE_PAGE_SIZE), 0);
    /* a writer that dies before it closes: its -wal keeps the frames (in
     * a child, since SQLite shares one -shm mapping between the
     * connections of a process) */
    pid = fork();
    kg_assert(pid >= 0);
    if (pid == 0) {
        int ok = sqlite3_open(path, &db) == SQLITE_OK &&
                 sqlite3_exec(db,
                              "PRAGMA wal_autocheckpoint=0;"
                              "INSERT INTO meta(key, val) VALUES('k', 'v');",
                              NULL, NULL, NULL) == SQLITE_OK;
        _exit(ok ? 0 : 1);
    }
    kg_assert(waitpid(pid, &status, 0) == pid);
    kg_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    kg_assert_int(kg_store__wal_has_frames(path, KG_STORE_PAGE_SIZE), 1);
    /* a link in the -shm's place: SQLite cannot open it */
    kg_assert(unlink(shm) == 0);
    kg_assert(symlink("nowhere", shm) == 0);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_ESTORE);
    kg_assert(st == NULL);
    kg_assert(strstr(err.msg, "holds changes not yet in the store file") !=
              NULL);
    kg_assert(strstr(err.msg, wal) != NULL);
    kg_assert(unlink(shm) == 0);
    /* a writable open takes the frames in, and its close ends the -wal */
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    {
        char *v = kg_store_meta_get(st, "k");
        kg_assert(v != NULL);
        kg_free(v);
    }
    kg_store_close(st);
    kg_assert_int(kg_store__wal_has_frames(path, KG_STORE_PAGE_SIZE), 0);
    st_remove(path);
}

/* A folder that cannot be written, as SQLite meets it: only for a user
 * other than root (root writes anyway; see no_shm for what runs as root,
 * and tests/reliability/disk_faults.sh for a read-only mount). */
static void test_store_errors__read_only_folder(void)
{
    char path[600], dir[600], *slash;
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;

    if (geteuid() == 0) {
        printf("  (skipped: root writes into a 0555 folder; see no_shm)\n");
        return;
    }
    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(one_version(path), KG_OK);
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    kg_assert(slash != NULL);
    *slash = '\0';
    kg_assert(chmod(path, 0444) == 0 && chmod(dir, 0555) == 0);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert_int(kg_store_readonly(st), 1);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_graph_free(g);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_ESTORE);
    kg_store_close(st);
    kg_assert(chmod(dir, 0755) == 0 && chmod(path, 0644) == 0);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::errors::bad_files", test_store_errors__bad_files},
    {"store::errors::corrupt_pages", test_store_errors__corrupt_pages},
    {"store::errors::read_only", test_store_errors__read_only},
    {"store::errors::disk_full", test_store_errors__disk_full},
    {"store::errors::no_shm", test_store_errors__no_shm},
    {"store::errors::no_shm_live_wal", test_store_errors__no_shm_live_wal},
    {"store::errors::read_only_folder", test_store_errors__read_only_folder},
    {NULL, NULL}};

KG_TEST_MAIN
