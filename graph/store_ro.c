/* store_ro.c - opening a store whose folder cannot be written.
 *
 * store.c's kg_store_open calls kg_store__open_immutable when a read fails
 * for want of a -shm file, and kg_store__read_begin calls
 * kg_store__immutable_unchanged before every read of such a store.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

/* ---- read-only stores ----
 *
 * Reading a WAL database takes its shared-memory file (-shm) next to it,
 * which SQLite creates at the first read when it is missing. When the
 * folder cannot be written (a read-only mount, a folder of another user)
 * and no -shm is there, every read fails ("unable to open database file",
 * "attempt to write a readonly database"). Such a store is then opened
 * again with immutable=1: SQLite reads the main file as it is, with no
 * -shm, no locks and no look at the -wal.
 *
 * That is exact only when the main file holds the whole store, so it is
 * done only when no -wal holds a frame: a store whose last writer closed
 * normally (the last connection checkpoints and deletes its -wal). A -wal
 * with frames means changes not yet in the main file (a sync running, or
 * one killed); reading the main file would give an older version without
 * saying so, so kgsh refuses with a message instead.
 *
 * immutable=1 promises SQLite that nobody writes the file while it is
 * open. On a read-only mount that holds; in a folder that only another
 * user may write, a sync by that user could break it. So each read
 * transaction (kg_store__read_begin) first checks that the file still has
 * its size and mtime and that no -wal has frames, and refuses to read a
 * store that changed ("reopen"); one read racing the very start of a sync
 * is the remaining window, and the owner's syncs are rare next to reads. */

int kg_store__wal_has_frames(const char *path, uint32_t page_size)
{
    size_t len = strlen(path);
    char *wal = kg_malloc(len + 5);
    struct stat sb;
    int has;

    if (wal == NULL) return 1; /* out of memory: assume the worst */
    memcpy(wal, path, len);
    memcpy(wal + len, "-wal", 5);
    /* 32-byte header, then frames of a 24-byte header and one page */
    has = stat(wal, &sb) == 0 &&
          (uint64_t)sb.st_size >= 32 + 24 + (uint64_t)page_size;
    kg_free(wal);
    return has;
}

/* The codes with which a read of a WAL store fails for want of a -shm. */
static int shm_failure(int rc)
{
    return (rc & 0xff) == SQLITE_CANTOPEN || rc == SQLITE_READONLY_DIRECTORY ||
           rc == SQLITE_READONLY_CANTINIT || rc == SQLITE_READONLY_CANTLOCK ||
           rc == SQLITE_IOERR_SHMOPEN;
}

/* A "file:" URI for path with immutable=1; '%', '?' and '#' escaped. */
static char *immutable_uri(const char *path)
{
    kg_buf b = KG_BUF_INIT;
    const char *p;

    kg_buf_puts(&b, path[0] == '/' ? "file://" : "file:");
    for (p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            kg_buf_printf(&b, "%%%02X", (unsigned)(unsigned char)*p);
        else
            kg_buf_putc(&b, *p);
    }
    kg_buf_puts(&b, "?immutable=1");
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

static int file_state(const char *path, int64_t *size, int64_t *mtime)
{
    struct stat sb;

    if (stat(path, &sb) != 0) return -1;
    *size = (int64_t)sb.st_size;
    *mtime = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    return 0;
}

/* After a failed open: when the failure is a missing -shm that cannot be
 * made, and the main file is a WAL database that holds the whole store,
 * open it again immutable. Otherwise leave err (the first failure) as it
 * is, or say why the store cannot be read. */
int kg_store__open_immutable(kg_store *st, const char *path, kg_error *err)
{
    unsigned char hdr[100];
    uint32_t page;
    char *uri;
    int fd, error;
    ssize_t n;

    if (!shm_failure(st->last_rc)) return err ? err->code : KG_ESTORE;
    if ((fd = open(path, O_RDONLY)) < 0) return err ? err->code : KG_ESTORE;
    n = read(fd, hdr, sizeof hdr);
    close(fd);
    /* bytes 18 and 19: file format versions, 2 for WAL */
    if (n != (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0 ||
        hdr[18] != 2 || hdr[19] != 2)
        return err ? err->code : KG_ESTORE;
    page = (uint32_t)hdr[16] << 8 | hdr[17];
    if (page == 1) page = 65536;
    if (kg_store__wal_has_frames(path, page))
        return kg_error_set(
            err, KG_ESTORE, path, (kg_span){0, 0},
            "opening: the store's folder cannot be written, so SQLite cannot "
            "make its shared-memory file, and its write-ahead log (%s-wal) "
            "holds changes not yet in the store file (a sync is running, or "
            "one was interrupted); open it once with write access to its "
            "folder",
            path);
    if (file_state(path, &st->imm_size, &st->imm_mtime) < 0)
        return err ? err->code : KG_ESTORE;
    if ((uri = immutable_uri(path)) == NULL) KG_CHECK_ALLOC(NULL, err);
    sqlite3_close(st->db);
    st->db = NULL;
    st->readonly = 1;
    st->immutable = 1;
    st->page_size = page;
    kg_error_clear(err);
    error = kg_store__setup(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
    kg_free(uri);
    /* No mmap: a writer that shrank the file under a mapping would kill
     * kgsh with SIGBUS instead of giving the "changed" error. */
    if (error == KG_OK)
        error = kg_store__exec(st, "PRAGMA mmap_size=0", "opening", err);
    return error;
}

/* Refuse to read an immutable store that changed since it was opened (see
 * the comment above kg_store__wal_has_frames). */
int kg_store__immutable_unchanged(kg_store *st, kg_error *err)
{
    int64_t size = -1, mtime = -1;

    if (!st->immutable) return KG_OK;
    if (file_state(st->path, &size, &mtime) == 0 && size == st->imm_size &&
        mtime == st->imm_mtime &&
        !kg_store__wal_has_frames(st->path, st->page_size))
        return KG_OK;
    return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                        "the store was written by another process since it "
                        "was opened read-only (its folder cannot be "
                        "written); open it again to read it");
}
