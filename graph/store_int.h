/* store_int.h - private to the store files of graph/ (store*.c) and their
 * white-box tests.
 *
 * The store keeps one SQLite file per dataset. Every record row (doc, node,
 * diagnostic) carries the half-open version range [v_from, v_to) in which
 * it is valid, v_to NULL meaning "still valid". A document's edges live in
 * one blob on its docs row (schema 2; store_codec.c), since they are valid
 * exactly as long as that row. Loading a version is then one sequential
 * scan per table with a range test, and an incremental sync touches only
 * the rows of the paths it rewrites (found through partial indexes on
 * path_id WHERE v_to IS NULL).
 *
 * All rows inserted while a version is open get rowids above the high-water
 * marks taken when it began (rowids are max+1 and nothing but the open
 * version inserts), so "the rows of version V" is a rowid range: that is how
 * the full-text index is filled at commit and how a draft is deleted.
 */
#ifndef KG_STORE_INT_H
#define KG_STORE_INT_H

#include <sqlite3.h>

#include "kg_graph.h"

/* Schema version kept in PRAGMA user_version; migrations in store.c and
 * store_migrate.c. */
#define KG_STORE_SCHEMA 2
/* Page size of a new store (see kg_store_open). */
#ifndef KG_STORE_PAGE_SIZE
#define KG_STORE_PAGE_SIZE 16384
#endif
#define KG_STR_(x) #x
#define KG_STR(x) KG_STR_(x)
/* PRAGMA application_id of a kgsh store: 'kgsh' in ASCII. */
#define KG_STORE_APP_ID 0x6b677368
/* Readers (and a committing writer) wait this long for a lock before
 * reporting KG_EBUSY; in WAL mode readers only ever wait for recovery or a
 * checkpoint, so this is an upper bound, not a typical delay. */
#define KG_STORE_BUSY_MS 5000
/* A second writer gives up after this long with "another sync is running". */
#define KG_STORE_WRITER_WAIT_MS 1000

/* A version that adds at most this many node rows, to an up-to-date
 * full-text index, indexes them at commit; a bigger one (a first import)
 * leaves them for the next search, which catches up. Tokenizing 100 MB of
 * note text takes seconds, more than the whole import of the records. */
#define KG_STORE_FTS_EAGER 10000

/* Change counters of the open version, in kg_version_info order.
 * ORDER COUNTS */
enum {
    KG_CNT_NODES_ADDED,
    KG_CNT_NODES_REMOVED,
    KG_CNT_NODES_CHANGED,
    KG_CNT_EDGES_ADDED,
    KG_CNT_EDGES_REMOVED,
    KG_CNT_EDGES_CHANGED,
    KG_CNT__COUNT
};

/* The record tables that carry version ranges, in the order of
 * kg_store.mark. ORDER RECTABLE (versions.mark_edges is unused since
 * schema 2 and stays 0.) */
enum { KG_RT_DOCS, KG_RT_NODES, KG_RT_DIAGS, KG_RT__COUNT };

/* Cached prepared statements of the write path. ORDER STMT (store.c) */
typedef enum {
    KG_SQ_PATH_FIND,
    KG_SQ_PATH_ADD,
    KG_SQ_DOC_LIVE,
    KG_SQ_DOC_ADD,
    KG_SQ_DOC_END,
    KG_SQ_DOC_EDGES,
    KG_SQ_NODE_OLD,
    KG_SQ_NODE_END,
    KG_SQ_NODE_ADD,
    KG_SQ_DIAG_END,
    KG_SQ_DIAG_ADD,
    KG_SQ_DOC_UNDO,
    KG_SQ_NODE_UNDO,
    KG_SQ_DIAG_UNDO,
    KG_SQ_DOC_REOPEN,
    KG_SQ_NODE_REOPEN,
    KG_SQ_DIAG_REOPEN,
    KG_SQ_DOC_ENDED_NOW,
    KG_SQ_NODE_END_ALL,
    KG_SQ__COUNT
} kg_store_sq;

/* Scratch buffers of put_doc, reused from document to document. */
enum { KG_ENC_LABELS, KG_ENC_PROPS, KG_ENC_KEY, KG_ENC_EDGES, KG_ENC__COUNT };

struct kg_store {
    sqlite3 *db;
    char *path;   /* file name, for messages                        */
    int readonly; /* opened (or forced by the file system) read-only */
    int immutable; /* opened with immutable=1 (kg_store_open)        */
    uint32_t page_size; /* of the file, when immutable                */
    int64_t imm_size, imm_mtime; /* the file when opened immutable:
                                  * a change is refused (read_begin) */
    int last_rc;   /* SQLite code of the last kg_store__fail         */
    int writing;  /* a version is open (kg_store_begin)             */
    int unwal;    /* it runs in rollback-journal mode (store_write.c) */
    int64_t cur;  /* the open version                               */
    int64_t mark[KG_RT__COUNT]; /* max rowid per table when cur began     */
    int64_t cnt[KG_CNT__COUNT]; /* changes of cur so far                  */
    int64_t fts_eager; /* KG_STORE_FTS_EAGER; tests lower it             */
    sqlite3_stmt *sq[KG_SQ__COUNT];
    kg_buf enc[KG_ENC__COUNT]; /* scratch encodings reused by put_doc */
};

/* ---- store.c ---- */

/* Copy SQLite's view of a failure into err with a kg_status: busy/locked
 * -> KG_EBUSY, full disk and I/O -> KG_EIO, read-only -> KG_ESTORE saying
 * so, corrupt -> KG_ESTORE saying so, out of memory -> KG_ENOMEM. what
 * names the operation ("loading version 3"). Returns the status. */
int kg_store__fail(kg_store *st, kg_error *err, int rc, const char *what);
/* 1 when the write-ahead log next to path (path-wal) holds at least one
 * frame for pages of page_size bytes, 0 when it is absent or too short to
 * hold one: then the main file alone is the whole store. */
int kg_store__wal_has_frames(const char *path, uint32_t page_size);
/** Open the SQLite connection of st on name (a path or a URI) with oflags
 * and apply the connection settings (store.c). */
int kg_store__setup(kg_store *st, const char *name, int oflags,
                    kg_error *err);
/** After a failed open of an existing store: reopen it immutable when a
 * missing -shm that cannot be made was the reason and the main file holds
 * the whole store; else the first error, or why it cannot be read
 * (store_ro.c). */
int kg_store__open_immutable(kg_store *st, const char *path, kg_error *err);
/** KG_OK unless st is immutable and its file changed since it was opened
 * (store_ro.c). */
int kg_store__immutable_unchanged(kg_store *st, kg_error *err);
/* The cached statement, reset and unbound; NULL with err set on failure. */
sqlite3_stmt *kg_store__sq(kg_store *st, kg_store_sq which, kg_error *err);
/* Run SQL without results; what names it in messages. */
int kg_store__exec(kg_store *st, const char *sql, const char *what,
                   kg_error *err);
/* Prepare a one-off statement. */
int kg_store__prepare(kg_store *st, sqlite3_stmt **out, const char *sql,
                      kg_error *err);
/* Start a read transaction so several SELECTs see one snapshot, unless the
 * handle already has a write transaction open. *started says which; pass it
 * to kg_store__read_end. */
int kg_store__read_begin(kg_store *st, int *started, kg_error *err);
void kg_store__read_end(kg_store *st, int started);
/* vid as given, or the latest version when vid is 0. KG_ENOTFOUND (with
 * message) when the version does not exist; 0 stays 0 on an empty store. */
int kg_store__resolve_vid(kg_store *st, int64_t *vid, kg_error *err);
/* Bind helpers that take NULL as SQL NULL. */
int kg_store__bind_text(sqlite3_stmt *s, int i, const char *t);

/* ---- store_write.c ---- */

/* Step a write statement to completion, then reset it and clear its
 * bindings (so SQLITE_STATIC buffers may be reused). */
int kg_store__step_done(kg_store *st, sqlite3_stmt *s, const char *what,
                        kg_error *err);
/* KG_ERROR with a message unless a version is open. */
int kg_store__need_version(kg_store *st, kg_error *err);
/* The id of path, adding it when new and add is set; *fresh = 1 when it
 * was just added (no records can exist). *id = 0 when absent and !add. */
int kg_store__path_id(kg_store *st, const char *path, int64_t *id, int *fresh,
                      int add, kg_error *err);
/* Undo the open version's writes to path_id (delete what it inserted,
 * reopen what it ended, take back its counts) so that a path written twice
 * in one version ends up as if written once. */
int kg_store__undo_path(kg_store *st, int64_t path_id, kg_error *err);
/* The live doc row of path_id (*doc = 0 when none) and its edge count,
 * after undoing what the open version already did to that path, if
 * anything. */
int kg_store__prepare_path(kg_store *st, int64_t path_id, int64_t *doc,
                           int64_t *nedges, kg_error *err);

/* ---- store_fts.c ---- */

/* Node rows with rowid <= the watermark are in the full-text index, rows
 * above it are not (yet). */
int kg_store__fts_upto(kg_store *st, int64_t *upto, kg_error *err);
/* At commit (inside the write transaction): index the open version's node
 * rows now if the version is small and the index current. */
int kg_store__fts_commit(kg_store *st, kg_error *err);
/* Before rows with rowid > above are deleted (a draft being replaced):
 * take those of them that were indexed out of the index. */
int kg_store__fts_forget(kg_store *st, int64_t above, kg_error *err);

/* ---- store_codec.c: the binary encodings of schema 2 ---- */

/* A read cursor over an encoding. */
typedef struct {
    const unsigned char *p, *end;
} kg_rd;

/* Append v; KG_ETYPE for a node, relationship or path, KG_ENOMEM. */
int kg_store__enc_value(kg_buf *b, const kg_value *v);
/* Append a record's properties sorted by key, the last of equal keys
 * winning; nothing at all when n is 0. src names the file in messages
 * (in the text: err->source would outlive the document it points into). */
int kg_store__enc_props(kg_buf *b, const kg_prop *props, uint32_t n,
                        const char *src, kg_error *err);
/* Append a label list; nothing when n is 0. */
int kg_store__enc_labels(kg_buf *b, char *const *labels, uint32_t n);
/* Append a varint (the edge count that opens an edge encoding). */
void kg_store__enc_count(kg_buf *b, uint64_t n);
/* Append one edge; prev is the edge written before it (NULL for the
 * first), props its encoded properties (may be empty). */
int kg_store__enc_edge(kg_buf *b, const kg_edge_rec *e,
                       const kg_edge_rec *prev, const kg_buf *props);

/* Decoders: KG_ESTORE for a malformed encoding, KG_ENOMEM. */
int kg_store__dec_u(kg_rd *r, uint64_t *out);
int kg_store__dec_bytes(kg_rd *r, const char **s, size_t *len);
int kg_store__dec_value(kg_rd *r, kg_value *out);
/* One (key, value) of a property encoding, after its count (dec_u). */
int kg_store__dec_prop(kg_rd *r, const char **key, size_t *klen, kg_value *v);

/* One edge of an edge encoding. The strings point into the blob and are
 * NUL-terminated there; valid while the blob is. */
typedef struct {
    const char *src, *type, *dst;
    size_t typelen, dstlen;
    const unsigned char *props; /* property encoding, nprops bytes */
    size_t nprops;
    uint32_t line, col;
} kg_edge_view;

typedef struct {
    kg_rd r;
    uint64_t left;
    kg_edge_view cur;
} kg_edge_iter;

/* Start reading an edge encoding (NULL / empty = no edges). */
int kg_store__edges_open(kg_edge_iter *it, const void *blob, size_t len);
/* 1 with it->cur filled, 0 at the end, KG_ESTORE when malformed. */
int kg_store__edges_next(kg_edge_iter *it);

/* ---- store_migrate.c ---- */

/* The data part of the schema 1 -> 2 upgrade, run inside its transaction
 * after the tables gained their new columns: re-encode labels and
 * properties, fold the edges table into docs.edges. */
int kg_store__migrate_v2(kg_store *st, kg_error *err);

/* ---- store_load.c ---- */

/* Every path the store knows, by path id, with its rank in path order, so
 * records can be put in (path, position) order without asking SQLite to
 * sort: paths are few next to records, and come sorted from their UNIQUE
 * index. */
typedef struct {
    uint32_t *rank;    /* rank[id]; ids run 1..n-1                     */
    const char **name; /* name[id], NULL for unused ids; in arena      */
    size_t n;
    kg_arena *arena;
} kg_store_paths;

int kg_store__paths(kg_store *st, kg_store_paths *out, kg_error *err);
void kg_store__paths_free(kg_store_paths *p);
/* A stored encoding: n bytes at p; n == 0 for none. */
typedef struct {
    const unsigned char *p;
    size_t n;
} kg_blob;

/* The state of one kg_store_load, shared by store_load.c (nodes) and
 * store_edges.c (edges). What repeats from row to row is looked up once:
 * the path atom of each path id, the atoms of the last label set (most
 * nodes of a dataset share a few), property key atoms by position, the
 * node of the last edge source (a document's edges are consecutive and
 * share their source), the last edge type. */
#define KG_LOADER_LABELS 8
#define KG_LOADER_KEYS 16
#define KG_LOADER_KEYLEN 24

typedef struct {
    kg_store *st;
    kg_graph *g;
    const kg_store_paths *p;
    kg_atom *patom; /* by path id, KG_NONE until first used */
    kg_buf labenc;  /* last label encoding decoded           */
    kg_atom lab[KG_LOADER_LABELS];
    uint32_t nlab;
    int labok;      /* lab[] holds labenc's atoms            */
    /* Property keys by position: most records of a dataset list the same
     * keys in the same (sorted) order, so the i-th key is usually the
     * previous record's i-th and needs no interning. */
    struct {
        char text[KG_LOADER_KEYLEN];
        uint8_t len; /* 0: empty slot (keys this short are not cached) */
        kg_atom atom;
    } keys[KG_LOADER_KEYS];
    const char *src_text; /* last edge source, in a loaded blob */
    kg_id src_id;
    kg_atom type;   /* last edge type's atom, KG_NONE = none */
} kg_loader;

kg_atom kg_store__path_atom(kg_loader *L, uint32_t pid);
/* KG_ESTORE naming the record's file and line, and what cannot be read. */
int kg_store__corrupt(kg_store *st, kg_error *err, const char *file,
                      uint32_t line, const char *what, const char *why);
int kg_store__oom(kg_error *err);
/* Set the properties of a property encoding on element id. */
int kg_store__apply_props(kg_loader *L, kg_elem kind, kg_id id, kg_blob b,
                          const char *file, uint32_t line, kg_error *err);
/* Column i copied into the arena (n = 0 for NULL or empty); *oom set on
 * failure. */
kg_blob kg_store__col_blob(kg_arena *a, sqlite3_stmt *s, int i, int *oom);
/* Grow rows (elem bytes each) and pid together to hold one more than n. */
int kg_store__grow_rows(void **rows, uint32_t **pid, size_t n, size_t *cap,
                        size_t elem);
/* A permutation of 0..n-1 ordering items by path rank, stable. */
uint32_t *kg_store__order_by_path(const kg_store_paths *p,
                                  const uint32_t *pid, size_t n);

/* ---- store_edges.c ---- */

/* Add the edges valid at vid (after every node is in). */
int kg_store__load_edges(kg_loader *L, int64_t vid, kg_error *err);

/* The condition "valid at version ?1" over a table's v_from / v_to. */
#define KG_STORE_VALID_AT " v_from <= ?1 AND (v_to IS NULL OR v_to > ?1) "

#endif /* KG_STORE_INT_H */
