/* store.c - opening a kgsh store: the SQLite file, its schema and migrations,
 * the key/value meta table, and the helpers the other store files share.
 *
 * A store is one SQLite database in WAL mode, so any number of readers see a
 * consistent snapshot while one writer records a new version. The file is
 * marked with PRAGMA application_id ('kgsh') and PRAGMA user_version (the
 * schema version): opening refuses anything else with a message saying what
 * the file is, and an older schema is brought up to date by running the
 * steps of the migration table in one transaction, so an interrupted upgrade
 * leaves the old schema intact.
 *
 * SQLite result codes never leave the store files: kg_store__fail converts
 * them at the boundary (STYLE C3.14).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store_int.h"

/* ---- schema ---- */

/* Version 2, what a new store gets. Labels and properties are the binary
 * encodings of store_codec.c, NULL when empty so loading skips them; a
 * document's edges are one blob on its docs row (with their count and the
 * change counts put_doc found for them), because they are valid exactly
 * as long as that row: one row per document instead of one per edge was
 * most of the speed-up of a first import. nodes.name duplicates the "name"
 * property (or the key) for the full-text index, an external-content FTS5
 * table over nodes(name, text); fts_state.upto is the highest node rowid it
 * covers (see store_fts.c for why it may lag behind). chg marks a node row
 * as added (1), changed (2) or merely rewritten (0) compared with the row
 * of the same key it replaced; gone marks a row ended without a successor;
 * docs.e_gone counts the edges ended without one. These serve change
 * counts and kg_store_history. versions.mark_edges is unused since
 * version 2 (kept so the upgrade need not rebuild that table). */
#define SCHEMA_VERSIONS                                                       \
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, val TEXT)"              \
    " WITHOUT ROWID;"                                                         \
    "CREATE TABLE versions(id INTEGER PRIMARY KEY AUTOINCREMENT,"             \
    " commit_id TEXT NOT NULL DEFAULT '', source TEXT, ref TEXT,"             \
    " author TEXT, message TEXT, time INTEGER NOT NULL DEFAULT 0,"            \
    " synced_at INTEGER NOT NULL DEFAULT 0, draft INTEGER NOT NULL DEFAULT 0," \
    " nodes_added INTEGER NOT NULL DEFAULT 0,"                                \
    " nodes_removed INTEGER NOT NULL DEFAULT 0,"                              \
    " nodes_changed INTEGER NOT NULL DEFAULT 0,"                              \
    " edges_added INTEGER NOT NULL DEFAULT 0,"                                \
    " edges_removed INTEGER NOT NULL DEFAULT 0,"                              \
    " edges_changed INTEGER NOT NULL DEFAULT 0,"                              \
    " fingerprint INTEGER NOT NULL DEFAULT 0,"                                \
    " mark_docs INTEGER NOT NULL DEFAULT 0,"                                  \
    " mark_nodes INTEGER NOT NULL DEFAULT 0,"                                 \
    " mark_edges INTEGER NOT NULL DEFAULT 0,"                                 \
    " mark_diags INTEGER NOT NULL DEFAULT 0);"                                \
    "CREATE INDEX versions_commit ON versions(commit_id);"

static const char schema_v2[] =
    SCHEMA_VERSIONS
    "CREATE TABLE paths(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " hash INTEGER NOT NULL, v_from INTEGER NOT NULL, v_to INTEGER,"
    " edges BLOB, nedges INTEGER NOT NULL DEFAULT 0,"
    " e_added INTEGER NOT NULL DEFAULT 0,"
    " e_changed INTEGER NOT NULL DEFAULT 0,"
    " e_gone INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX docs_live ON docs(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX docs_ended ON docs(v_to) WHERE v_to IS NOT NULL;"
    "CREATE TABLE nodes(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " key TEXT NOT NULL, name TEXT, labels BLOB, props BLOB, text TEXT,"
    " line INTEGER NOT NULL, v_from INTEGER NOT NULL, v_to INTEGER,"
    " chg INTEGER NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX nodes_live ON nodes(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX nodes_ended ON nodes(v_to) WHERE v_to IS NOT NULL;"
    "CREATE INDEX nodes_key ON nodes(key);"
    "CREATE TABLE diags(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " line INTEGER NOT NULL, col INTEGER NOT NULL,"
    " severity INTEGER NOT NULL, msg TEXT NOT NULL,"
    " v_from INTEGER NOT NULL, v_to INTEGER);"
    "CREATE INDEX diags_live ON diags(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX diags_ended ON diags(v_to) WHERE v_to IS NOT NULL;"
    "CREATE VIRTUAL TABLE nodes_fts USING fts5(name, text,"
    " content='nodes', content_rowid='id');"
    "CREATE TABLE fts_state(upto INTEGER NOT NULL);"
    "INSERT INTO fts_state VALUES(0);";

/* Upgrade steps: step i brings user_version from to-1 to to, by its SQL and
 * then its C part (data that SQL alone cannot re-encode). A new schema
 * version appends a step and replaces schema_v<N> above; steps are never
 * edited. Schema 1 was schema 2 with JSON labels and properties, an edges
 * table of one row per edge (src, type, dst, props, line, col, v_from,
 * v_to, chg, gone), and docs without the edge columns. */
static const struct {
    int to;
    const char *sql;
    int (*data)(kg_store *st, kg_error *err);
} migrations[] = {
    {2,
     "ALTER TABLE docs ADD COLUMN edges BLOB;"
     "ALTER TABLE docs ADD COLUMN nedges INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE docs ADD COLUMN e_added INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE docs ADD COLUMN e_changed INTEGER NOT NULL DEFAULT 0;"
     "ALTER TABLE docs ADD COLUMN e_gone INTEGER NOT NULL DEFAULT 0;",
     kg_store__migrate_v2},
};

/* ---- cached statements: ORDER STMT (store_int.h) ---- */

static const char *const sq_text[KG_SQ__COUNT] = {
    /* PATH_FIND */ "SELECT id FROM paths WHERE path=?1",
    /* PATH_ADD */ "INSERT OR IGNORE INTO paths(path) VALUES(?1)",
    /* DOC_LIVE */
    "SELECT id, v_from, nedges FROM docs WHERE path_id=?1 AND v_to IS NULL",
    /* DOC_ADD */
    "INSERT INTO docs(path_id, hash, v_from, edges, nedges, e_added,"
    " e_changed) VALUES(?1,?2,?3,?4,?5,?6,?7)",
    /* DOC_END */ "UPDATE docs SET v_to=?2, e_gone=?3 WHERE id=?1",
    /* DOC_EDGES */ "SELECT edges FROM docs WHERE id=?1",
    /* NODE_OLD */
    "SELECT id, key, labels, props, text FROM nodes"
    " WHERE path_id=?1 AND v_to IS NULL",
    /* NODE_END */ "UPDATE nodes SET v_to=?2, gone=?3 WHERE id=?1",
    /* NODE_ADD */
    "INSERT INTO nodes(path_id, key, name, labels, props, text, line,"
    " v_from, chg) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    /* DIAG_END */
    "UPDATE diags SET v_to=?2 WHERE path_id=?1 AND v_to IS NULL",
    /* DIAG_ADD */
    "INSERT INTO diags(path_id, line, col, severity, msg, v_from)"
    " VALUES(?1,?2,?3,?4,?5,?6)",
    /* DOC_UNDO */
    "DELETE FROM docs WHERE path_id=?1 AND v_to IS NULL AND v_from=?2",
    /* NODE_UNDO */
    "DELETE FROM nodes WHERE path_id=?1 AND v_to IS NULL AND v_from=?2",
    /* DIAG_UNDO */
    "DELETE FROM diags WHERE path_id=?1 AND v_to IS NULL AND v_from=?2",
    /* DOC_REOPEN */
    "UPDATE docs SET v_to=NULL, e_gone=0 WHERE v_to=?2 AND path_id=?1",
    /* NODE_REOPEN */
    "UPDATE nodes SET v_to=NULL, gone=0 WHERE v_to=?2 AND path_id=?1",
    /* DIAG_REOPEN */
    "UPDATE diags SET v_to=NULL WHERE v_to=?2 AND path_id=?1",
    /* DOC_ENDED_NOW */
    "SELECT 1 FROM docs WHERE v_to=?2 AND path_id=?1 LIMIT 1",
    /* NODE_END_ALL */
    "UPDATE nodes SET v_to=?2, gone=1 WHERE path_id=?1 AND v_to IS NULL",
};

/* ---- errors ---- */

/* SQLite says SQLITE_FULL only when a write() fails with ENOSPC; a file
 * size limit (EFBIG), a quota (EDQUOT) or a full disk met while creating
 * a file come back as a plain I/O error, and a read-only file system or
 * folder as an I/O error or "cannot open". The system errno tells them
 * apart; SQLite keeps it for SQLITE_IOERR and SQLITE_CANTOPEN only, so it
 * is stale for any other code and is not asked then. */
static int sys_errno(const kg_store *st, int rc)
{
    if (st == NULL || st->db == NULL) return 0;
    if ((rc & 0xff) != SQLITE_IOERR && (rc & 0xff) != SQLITE_CANTOPEN)
        return 0;
    return sqlite3_system_errno(st->db);
}

/* The folder of path into out ("." for a bare name). */
static void dir_of(const char *path, char *out, size_t n)
{
    char *slash;

    snprintf(out, n, "%s", path);
    slash = strrchr(out, '/');
    if (slash == NULL)
        snprintf(out, n, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

/* SQLite reads the errno late (after a failed COMMIT it has run more
 * system calls), so a write that failed for want of space may come back
 * with some other errno. For an I/O error, then, look at the space
 * itself: a file size limit (RLIMIT_FSIZE) that the store or its journal
 * has reached, or a file system with less than a megabyte left. */
static int space_errno(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-journal"};
    char buf[4096];
    struct rlimit rl;
    struct statvfs vfs;
    struct stat sb;
    uint64_t avail;
    size_t i;

    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
            if (stat(buf, &sb) == 0 &&
                (uint64_t)sb.st_size + 65536 >= (uint64_t)rl.rlim_cur)
                return EFBIG;
        }
    dir_of(path, buf, sizeof buf);
    if (statvfs(buf, &vfs) != 0) return 0;
    avail = (uint64_t)(geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail) *
            (uint64_t)vfs.f_frsize;
    return avail < 1024 * 1024 ? ENOSPC : 0;
}

int kg_store__fail(kg_store *st, kg_error *err, int rc, const char *what)
{
    const char *path = st && st->path ? st->path : "?";
    const char *msg =
        st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    kg_span none = {0, 0};
    int sys = sys_errno(st, rc);

    if (st != NULL) st->last_rc = rc;
    if ((rc & 0xff) == SQLITE_IOERR && sys != ENOSPC && sys != EFBIG &&
        sys != EDQUOT && st != NULL && st->path != NULL) {
        int space = space_errno(st->path);
        if (space != 0) sys = space;
    }
    if ((rc & 0xff) == SQLITE_FULL || sys == ENOSPC || sys == EFBIG ||
        sys == EDQUOT)
        return kg_error_set(err, KG_EIO, path, none,
                            "%s: no space left on device while writing %s "
                            "(%s); nothing was changed",
                            what, path, sys ? strerror(sys) : msg);
    /* EACCES on a file that cannot even be read is not "read-only" */
    if (sys == EROFS ||
        ((sys == EACCES || sys == EPERM) && st->path != NULL &&
         access(st->path, R_OK) == 0))
        return kg_error_set(err, KG_ESTORE, path, none,
                            "%s: the store is read-only: %s cannot be "
                            "written (%s)",
                            what, path, strerror(sys));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return kg_error_set(err, KG_EBUSY, path, none,
                            "%s: the store is locked by another process (%s)",
                            what, msg);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return kg_error_set(err, KG_EIO, path, none, "%s: I/O error (%s)", what,
                            msg);
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return kg_error_set(err, KG_ESTORE, path, none,
                            "%s: the store is read-only (%s)", what, msg);
    case SQLITE_CORRUPT:
        return kg_error_set(err, KG_ESTORE, path, none,
                            "%s: the store file is corrupt (%s)", what, msg);
    case SQLITE_NOTADB:
        return kg_error_set(err, KG_ESTORE, path, none,
                            "%s: not a kgsh store (%s)", what, msg);
    case SQLITE_NOMEM:
        return kg_error_set(err, KG_ENOMEM, path, none, "%s: out of memory",
                            what);
    default:
        return kg_error_set(err, KG_ESTORE, path, none, "%s: %s", what, msg);
    }
}

sqlite3_stmt *kg_store__sq(kg_store *st, kg_store_sq which, kg_error *err)
{
    sqlite3_stmt *s = st->sq[which];
    int rc;

    if (s != NULL) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    rc = sqlite3_prepare_v3(st->db, sq_text[which], -1,
                            SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        kg_store__fail(st, err, rc, "preparing a statement");
        return NULL;
    }
    st->sq[which] = s;
    return s;
}

int kg_store__exec(kg_store *st, const char *sql, const char *what,
                   kg_error *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK) return kg_store__fail(st, err, rc, what);
    return KG_OK;
}

int kg_store__prepare(kg_store *st, sqlite3_stmt **out, const char *sql,
                      kg_error *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);

    if (rc != SQLITE_OK) {
        *out = NULL;
        return kg_store__fail(st, err, rc, "preparing a query");
    }
    return KG_OK;
}

int kg_store__bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t == NULL) return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}


int kg_store__read_begin(kg_store *st, int *started, kg_error *err)
{
    int error;

    *started = 0;
    if (st->writing || !sqlite3_get_autocommit(st->db)) return KG_OK;
    if ((error = kg_store__immutable_unchanged(st, err)) < 0) return error;
    error = kg_store__exec(st, "BEGIN", "starting a read", err);
    if (error == KG_OK) *started = 1;
    return error;
}

void kg_store__read_end(kg_store *st, int started)
{
    if (started) sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

int kg_store__resolve_vid(kg_store *st, int64_t *vid, kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = KG_OK;

    if (*vid < 0)
        return kg_error_set(err, KG_ENOTFOUND, st->path, (kg_span){0, 0},
                            "no version %lld", (long long)*vid);
    if (*vid == 0) {
        error = kg_store__prepare(st, &s, "SELECT max(id) FROM versions", err);
        if (error < 0) return error;
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *vid = sqlite3_column_int64(s, 0);
        else
            error = kg_store__fail(st, err, rc, "reading versions");
        sqlite3_finalize(s);
        return error;
    }
    error =
        kg_store__prepare(st, &s, "SELECT 1 FROM versions WHERE id=?1", err);
    if (error < 0) return error;
    sqlite3_bind_int64(s, 1, *vid);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        error = kg_error_set(err, KG_ENOTFOUND, st->path, (kg_span){0, 0},
                             "no version %lld in this store", (long long)*vid);
    else if (rc != SQLITE_ROW)
        error = kg_store__fail(st, err, rc, "reading versions");
    sqlite3_finalize(s);
    return error;
}

/* ---- opening ---- */

static int pragma_int(kg_store *st, const char *sql, int64_t *out,
                      kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) return kg_store__fail(st, err, rc, "opening");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        error = KG_OK;
    } else {
        error = kg_store__fail(st, err, rc, "opening");
    }
    sqlite3_finalize(s);
    return error;
}

/* Bring the schema from user_version up to KG_STORE_SCHEMA in one write
 * transaction; re-reads the version under the lock because another process
 * may have migrated meanwhile. A new store gets the current schema at once;
 * an older one runs the steps above its version. */
static int migrate(kg_store *st, kg_error *err)
{
    int64_t have = 0;
    size_t i;
    char sql[96];
    int error;

    error = kg_store__exec(st, "BEGIN IMMEDIATE", "upgrading the schema", err);
    if (error < 0) return error;
    error = pragma_int(st, "PRAGMA user_version", &have, err);
    if (error < 0) goto done;
    if (have == 0)
        error = kg_store__exec(st, schema_v2, "creating the store", err);
    for (i = 0; have > 0 && i < sizeof migrations / sizeof migrations[0] &&
                error == KG_OK;
         i++) {
        if (migrations[i].to <= have) continue;
        error =
            kg_store__exec(st, migrations[i].sql, "upgrading the schema", err);
        if (error == KG_OK && migrations[i].data != NULL)
            error = migrations[i].data(st, err);
    }
    if (error < 0) goto done;
    snprintf(sql, sizeof sql,
             "PRAGMA user_version=%d; PRAGMA application_id=%d;",
             KG_STORE_SCHEMA, KG_STORE_APP_ID);
    error = kg_store__exec(st, sql, "upgrading the schema", err);
    if (error < 0) goto done;
    error = kg_store__exec(st, "COMMIT", "upgrading the schema", err);
done:
    if (error < 0) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return error;
}

/* Check that the file is a kgsh store of a schema we know, creating or
 * upgrading it when allowed. */
static int check_schema(kg_store *st, kg_error *err)
{
    int64_t app = 0, ver = 0, ntables = 0;
    kg_span none = {0, 0};
    int error;

    if ((error = pragma_int(st, "PRAGMA application_id", &app, err)) < 0 ||
        (error = pragma_int(st, "PRAGMA user_version", &ver, err)) < 0 ||
        (error = pragma_int(st, "SELECT count(*) FROM sqlite_master", &ntables,
                            err)) < 0)
        return error;
    if (app != KG_STORE_APP_ID && (app != 0 || ntables != 0 || ver != 0))
        return kg_error_set(err, KG_ESTORE, st->path, none,
                            "not a kgsh store (an SQLite database with "
                            "application_id %lld and %lld schema objects)",
                            (long long)app, (long long)ntables);
    if (ver > KG_STORE_SCHEMA)
        return kg_error_set(err, KG_ESTORE, st->path, none,
                            "store schema %lld is newer than this kgsh "
                            "understands (%d); upgrade kgsh",
                            (long long)ver, KG_STORE_SCHEMA);
    if (ver == KG_STORE_SCHEMA) return KG_OK;
    if (st->readonly)
        return kg_error_set(err, KG_ESTORE, st->path, none,
                            ver == 0 ? "the store is empty and was opened "
                                       "read-only"
                                     : "store schema %lld needs an upgrade; "
                                       "open it once for writing",
                            (long long)ver);
    return migrate(st, err);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* SQLite keeps memory statistics behind a global mutex on every one of its
 * allocations; kgsh never reads them, and turning them off makes a first
 * import 5-10% cheaper. The setting is process-wide and only takes before
 * SQLite initialises (later it is refused, harmlessly), hence once, here.
 * kgsh opens stores from one thread. */
static void sqlite_setup(void)
{
    static int done;

    if (done) return;
    done = 1;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Open name with oflags and set the store up: WAL when writable, the
 * connection's pragmas, the schema check (and upgrade). */
int kg_store__setup(kg_store *st, const char *name, int oflags,
                    kg_error *err)
{
    int rc, error;

    rc = sqlite3_open_v2(name, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) return kg_store__fail(st, err, rc, "opening");
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
    /* The file system may refuse writes although we asked for them. */
    if (sqlite3_db_readonly(st->db, "main") == 1) st->readonly = 1;
    if (!st->readonly) {
        /* The page size only takes on a new, empty file (it is a no-op
         * otherwise, and must come before WAL is on). Rows with a 1 KB
         * note body fit three to a 4 KB page; bigger pages make a first
         * import about a fifth cheaper (fewer page splits and WAL frame
         * headers) and the load scans no slower.
         * WAL is persistent in the file; setting it on an existing WAL
         * store is a no-op. Needs no lock on a new, empty file. */
        sqlite3_busy_timeout(st->db, 0);
        error = kg_store__exec(st,
                               "PRAGMA page_size=" KG_STR(KG_STORE_PAGE_SIZE)
                               "; PRAGMA journal_mode=WAL",
                               "opening", err);
        sqlite3_busy_timeout(st->db, KG_STORE_BUSY_MS);
        /* Only a store left in rollback mode by a first import
         * (store_write.c) needs a lock for this, and while another process
         * reads it the store works as it is: WAL comes back at a later
         * open. So do not wait, and go on. */
        if (error == KG_EBUSY) {
            kg_error_clear(err);
            error = KG_OK;
        }
        if (error < 0) return error;
    }
    error = kg_store__exec(st,
                           "PRAGMA synchronous=FULL;"
                           "PRAGMA temp_store=MEMORY;"
                           "PRAGMA cache_size=-65536;"
                           "PRAGMA mmap_size=1073741824;",
                           "opening", err);
    if (error < 0) return error;
    return check_schema(st, err);
}

/* A new store that SQLite could not create: say why when its folder is
 * the reason (SQLite's errno is that of its last attempt, often ENOENT). */
static int cannot_create(const char *path, kg_error *err)
{
    char dir[4096];
    int e;

    dir_of(path, dir, sizeof dir);
    if (access(dir, W_OK) == 0) return err ? err->code : KG_EIO;
    e = errno;
    return kg_error_set(err, KG_ESTORE, path, (kg_span){0, 0},
                        "creating the store: its folder %s cannot be written "
                        "(%s)",
                        dir, strerror(e));
}

int kg_store_open(kg_store **out, const char *path, int flags, kg_error *err)
{
    kg_store *st = NULL;
    int oflags, existed, error = KG_OK;
    kg_span none = {0, 0};

    *out = NULL;
    sqlite_setup();
    existed = file_exists(path);
    if (!(flags & KG_STORE_CREATE) && !existed)
        return kg_error_set(err, KG_ENOTFOUND, path, none, "no such store (%s)",
                            strerror(errno));
    st = kg_calloc(1, sizeof *st);
    KG_CHECK_ALLOC(st, err);
    st->path = kg_strdup(path);
    if (st->path == NULL) {
        kg_free(st);
        KG_CHECK_ALLOC(NULL, err);
    }
    st->readonly = (flags & KG_STORE_READONLY) != 0;
    st->fts_eager = KG_STORE_FTS_EAGER;
    oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if ((flags & KG_STORE_CREATE) && !st->readonly)
        oflags |= SQLITE_OPEN_CREATE;
    error = kg_store__setup(st, path, oflags, err);
    if (error < 0 && existed) error = kg_store__open_immutable(st, path, err);
    if (error < 0 && !existed && (st->last_rc & 0xff) == SQLITE_CANTOPEN)
        error = cannot_create(path, err);
    if (error < 0) {
        /* err->source may be st->path, which is about to be freed; the
         * caller's path lives on */
        if (err != NULL && err->source == st->path) err->source = path;
        kg_store_close(st);
        return error;
    }
    *out = st;
    return KG_OK;
}

int kg_store_readonly(const kg_store *st)
{
    return st != NULL && st->readonly;
}

void kg_store_close(kg_store *st)
{
    size_t i;

    if (st == NULL) return;
    if (st->writing) kg_store_rollback(st);
    for (i = 0; i < KG_SQ__COUNT; i++)
        sqlite3_finalize(st->sq[i]);
    for (i = 0; i < KG_ENC__COUNT; i++)
        kg_buf_free(&st->enc[i]);
    sqlite3_close(st->db);
    kg_free(st->path);
    kg_free(st);
}

/* ---- meta ---- */

char *kg_store_meta_get(kg_store *st, const char *key)
{
    sqlite3_stmt *s = NULL;
    char *val = NULL;

    if (kg_store__prepare(st, &s, "SELECT val FROM meta WHERE key=?1", NULL) <
        0)
        return NULL;
    kg_store__bind_text(s, 1, key);
    if (sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) != SQLITE_NULL)
        val = kg_strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return val;
}

/* Outside a version this is its own short write transaction (waiting like a
 * second writer would); inside one it becomes part of the version. A NULL
 * val deletes the key. */
int kg_store_meta_set(kg_store *st, const char *key, const char *val,
                      kg_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;

    if (st->readonly)
        return kg_error_set(err, KG_ESTORE, st->path, (kg_span){0, 0},
                            "setting '%s': the store was opened read-only",
                            key);
    error = kg_store__prepare(st, &s,
                              val ? "INSERT OR REPLACE INTO meta(key, val)"
                                    " VALUES(?1, ?2)"
                                  : "DELETE FROM meta WHERE key=?1",
                              err);
    if (error < 0) return error;
    kg_store__bind_text(s, 1, key);
    if (val) kg_store__bind_text(s, 2, val);
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) error = kg_store__fail(st, err, rc, "setting meta");
    sqlite3_finalize(s);
    return error;
}
