/* kg_dataset.h - the dataset module: notes and tables in, records out, and
 * sync from a git repository into the store.
 *
 * Concept words owned here: note, table, dataset, sync. Parsing never stops
 * at the first problem: each file gives a kg_doc holding the records it
 * could read and a diagnostic (file:line:col) for everything it could not,
 * so one broken note never hides ten thousand good ones.
 */
#ifndef KG_DATASET_H
#define KG_DATASET_H

#include "kg_graph.h"

/* Limits on what one file may hold; beyond them the file gets a diagnostic
 * and what was read so far is kept. */
#define KG_NOTE_MAX_BYTES (64u << 20)  /* a larger file is skipped          */
#define KG_NOTE_MAX_LINKS 100000u      /* links per note                    */
#define KG_YAML_MAX_DEPTH 64u          /* nesting in front matter           */
#define KG_YAML_MAX_NODES 100000u      /* events per front matter (aliases) */

/**
 * Parse one Markdown note (doc->path set by kg_doc_init) into doc: one node,
 * its front-matter properties and links, body wiki-links as MENTIONS edges.
 * Problems become diagnostics in doc; returns KG_OK unless out of memory.
 */
int kg_note_parse(kg_doc *doc, const char *text, size_t len, kg_error *err);

/**
 * Parse one Neptune bulk-load CSV table (openCypher or Gremlin header style,
 * nodes or edges, decided by the header) into doc. Same contract.
 */
int kg_table_parse(kg_doc *doc, const char *text, size_t len, kg_error *err);

/** 1 when path names a file kgsh reads (*.md, *.csv), else 0. */
int kg_dataset_wants(const char *path);
/** Dispatch to the note or table parser by file name. */
int kg_dataset_parse(kg_doc *doc, const char *text, size_t len, kg_error *err);

/** "in_layer", "in-layer", "inLayer" -> "IN_LAYER" (caller frees). */
char *kg_dataset_rel_type(const char *name);
/** Default node key from a file path: "aws/SageMaker Studio.md" -> "sagemaker-studio". */
char *kg_dataset_key_from_path(const char *path);

/* ================================ sync ================================= */

typedef void (*kg_progress_cb)(const char *phase, size_t done, size_t total,
                               void *payload);

typedef struct {
    const char *source;   /* local repo path (bare or not) or URL; NULL = bundled */
    const char *subdir;   /* only this folder of the repository; NULL = all */
    const char *ref;      /* any revision; NULL = "HEAD"                    */
    int worktree;         /* also take uncommitted edits (local, non-bare)  */
    const char *cache_dir;/* where remote sources are cloned; NULL = XDG    */
    kg_progress_cb progress;
    void *payload;
    int history;          /* one version per commit that changed the        */
                          /* (sub)tree, on REF's first-parent chain after    */
                          /* the last synced commit (from the root when the  */
                          /* store is empty), oldest first                   */
    volatile int *interrupt; /* non-zero: stop (checked between files and    */
                          /* before each commit) with KG_EINTERRUPT; the     */
                          /* version in progress is rolled back              */
} kg_sync_opts;

typedef struct {
    int64_t version;      /* the version now current                        */
    int unchanged;        /* 1: nothing changed, no version was added       */
    size_t files_parsed, files_removed, files_total;
    size_t errors, warnings;  /* in the files parsed; after a history import, */
                              /* in the version it ends at                   */
    size_t versions_added;
} kg_sync_result;

/**
 * Bring the store up to date with the source at ref: diff the tree against
 * the last synced tree, parse only changed files, and record one version
 * (one per commit with opts->history). A version of a subdir is attributed
 * to the newest commit that changed it (ref names it too). Re-syncing the
 * same ref adds nothing. The work tree and index of a local repository are
 * never written. KG_EINTERRUPT: stopped by opts->interrupt; the versions
 * finished before stay.
 */
int kg_sync_run(kg_store *st, const kg_sync_opts *opts, kg_sync_result *res,
                kg_error *err);

/**
 * Find the version synced from revision rev ("HEAD~3", a tag, a hex id) of
 * the store's source, or a version number written "#N" or "N". A commit
 * that left the (sub)tree as its first parent had it (a code commit in a
 * repository whose dataset is one folder) names the version of the commit
 * that made the tree.
 */
int kg_sync_find_version(kg_store *st, const char *rev, int64_t *vid,
                         kg_error *err);

/** Location of the bundled dataset repository and its subdir (static strings). */
void kg_dataset_bundled(const char **repo, const char **subdir);

#endif /* KG_DATASET_H */
