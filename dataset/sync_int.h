/* sync_int.h - private interface between the files of the git sync.
 *
 * sync.c drives a sync and record.c records each version it makes; git.c
 * talks to libgit2 about sources, revisions, trees and blobs, history.c
 * about commits (the chain a history import walks, the commit a version is
 * attributed to); find.c names a version by revision; worktree.c reads a
 * work tree from the file system; changes.c holds the path sets they share
 * and the rules both readers apply to an entry; bundled.c says where the
 * bundled dataset is. The shared structures are an opened source
 * (kg_git_src), a list of changed paths (kg_changes), an entry's bytes
 * (kg_entry) and the state of one sync (kg_sync_ctx), so that the driver
 * applies a tree diff, a draft's paths and a work-tree walk the same way.
 */
#ifndef KG_SYNC_INT_H
#define KG_SYNC_INT_H

#include <git2.h>

#include "kg_dataset.h"

/* Store meta keys the sync owns (kg_store_meta_get / _set). */
#define KG_META_SOURCE "source"           /* canonical path or URL        */
#define KG_META_SUBDIR "subdir"           /* "" for the whole repository  */
#define KG_META_CACHE "cache_dir"        /* where a URL source is cached */
#define KG_META_TREE "tree"               /* hex id of the last synced    */
                                          /* committed (sub)tree          */
#define KG_META_FILES "files"            /* documents in the last synced */
                                          /* committed version            */
#define KG_META_DRAFT_FILES "draft_files" /* documents in the draft       */
#define KG_META_DRAFT_PATHS "draft_paths" /* '\n'-joined paths the newest */
                                          /* (draft) version changed      */
#define KG_META_COMMIT_ALIAS "commit:"    /* + full hex: a commit whose   */
                                          /* tree was already synced      */
#define KG_META_COMMIT "commit"           /* full hex of the revision the */
                                          /* committed state was synced  */
                                          /* from (where a history import */
                                          /* starts)                      */

/* A file larger than this is never read into memory (as the parsers). */
#define KG_SYNC_MAX_BYTES KG_NOTE_MAX_BYTES
/* Git's own heuristic: a NUL in the first 8000 bytes means binary. */
#define KG_SYNC_BINARY_PROBE 8000u

/* ---- an opened source repository (git.c) ---- */

/** Initialise libgit2 once for the process (idempotent, never undone). */
void kg_git__init(void);

typedef struct {
    git_repository *repo;
    git_odb *odb;  /* for object sizes before a blob is loaded           */
    char *source;  /* canonical: absolute path, or the URL as given       */
    char *path;    /* the repository on disk (the cache clone for a URL)  */
    int remote;    /* 1: source is a URL and repo is its bare cache clone */
} kg_git_src;

/**
 * Open source: a local repository (bare or not, no upward search) or a URL,
 * cloned once into a bare cache under cache_dir (NULL = XDG cache) and
 * fetched when fetch is set; without fetch a URL must already be cached.
 * Progress goes to opts->progress (may be NULL) as "fetch".
 * Returns KG_EGIT (not a repository, network failure) or KG_ENOTFOUND.
 * On failure *out is left closed.
 */
int kg_git__open(kg_git_src *out, const char *source, const char *cache_dir,
                 int fetch, const kg_sync_opts *opts, kg_error *err);
void kg_git__close(kg_git_src *src);
/** 1 when source names a remote (URL or scp-like) rather than a path. */
int kg_git__is_url(const char *source);

/** Resolve any revision to its commit (KG_ENOTFOUND, KG_EGIT). */
int kg_git__resolve(git_commit **out, kg_git_src *src, const char *rev,
                    kg_error *err);
/**
 * The tree of commit c narrowed to subdir ("" = the root tree).
 * KG_ENOTFOUND when subdir is missing or not a directory at that commit;
 * rev names the revision in the message.
 */
int kg_git__subtree(git_tree **out, kg_git_src *src, git_commit *c,
                    const char *subdir, const char *rev, kg_error *err);
/** Look up a tree by hex id; KG_ENOTFOUND when the repository lacks it. */
int kg_git__tree(git_tree **out, kg_git_src *src, const char *hex);

/* ---- history (history.c) ---- */

/**
 * The first-parent chain of ref, oldest first, without the commits
 * reachable from since (NULL: down to the root commit). *out (caller frees)
 * holds *n commit ids; ref is the last. KG_EGIT, KG_ENOMEM.
 */
int kg_git__first_parents(git_oid **out, size_t *n, kg_git_src *src,
                          git_commit *ref, const git_oid *since,
                          kg_error *err);
/**
 * The newest commit on c's first-parent chain whose subdir tree is c's: the
 * commit that made the (sub)tree what it is at c (c itself for a
 * whole-repository sync, but after empty commits). Caller frees *out.
 */
int kg_git__introduced(git_commit **out, kg_git_src *src, git_commit *c,
                       const char *subdir, kg_error *err);
/**
 * Look up commit id and its subdir tree: 1 with both set, 0 when the commit
 * has no such folder (*tree NULL), negative on failure. Caller frees both,
 * whatever the result.
 */
int kg_git__step(git_commit **commit, git_tree **tree, kg_git_src *src,
                 const git_oid *id, const char *subdir, kg_error *err);

/* ---- the set of paths one sync looks at ---- */

/* A path to bring up to date. mode 0 means "absent now": remove the doc if
 * the store has one. Otherwise oid and mode name the tree entry to read. */
typedef struct {
    char *path;     /* repository-relative, '/'-separated               */
    git_oid oid;
    uint32_t mode;  /* git_filemode_t, 0 = absent                       */
} kg_change;

typedef struct {
    kg_change *items;
    size_t len, cap;
} kg_changes;

int kg_sync__change_add(kg_changes *cs, const char *path,
                        const git_oid *oid, uint32_t mode, kg_error *err);
/** Sort by path and merge duplicates (a present entry wins over absent). */
void kg_sync__changes_sort(kg_changes *cs);
/** Binary search after kg_sync__changes_sort; NULL when absent. */
kg_change *kg_sync__changes_find(kg_changes *cs, const char *path);
void kg_sync__changes_free(kg_changes *cs);

/* The documents a store holds at one version with their content hashes,
 * sorted by path: one query instead of one kg_store_doc_hash per file when
 * a sync compares many files. */
typedef struct {
    char *path;
    uint64_t hash;
} kg_stored;

typedef struct {
    kg_stored *items;
    size_t len, cap;
    int rc;         /* failure inside the loading callback */
    kg_error *err;
} kg_stored_set;

int kg_sync__stored_load(kg_stored_set *out, kg_store *st, int64_t vid,
                         kg_error *err);
/** Binary search; NULL when the store holds no document at path. */
const kg_stored *kg_sync__stored_find(const kg_stored_set *s,
                                      const char *path);
void kg_sync__stored_free(kg_stored_set *s);

/** 1 when a tree entry at path must be looked at: a file kgsh reads, a
 * submodule, or a symbolic link that may hide one (reported, never
 * followed). */
int kg_sync__interesting(const char *path, uint32_t mode);

/**
 * Append to out every interesting path that differs between old_tree (NULL
 * = empty) and new_tree, prefixed with prefix ("" or "dir/"). Paths absent
 * from new_tree get mode 0.
 */
int kg_git__diff(kg_changes *out, kg_git_src *src, git_tree *old_tree,
                 git_tree *new_tree, const char *prefix, kg_error *err);
/** Fill c->oid and c->mode from tree (paths relative to it after the
 * prefix is stripped); mode 0 when the path is not in the tree. */
int kg_git__lookup(kg_change *c, git_tree *tree, const char *prefix,
                   kg_error *err);

/* ---- what one entry gives the parser ---- */

typedef struct {
    const char *data;  /* the bytes to parse (NULL when skipped)          */
    size_t len;
    uint64_t hash;     /* content hash stored with the doc                */
    char skip[160];    /* non-empty: why the entry is not parsed          */
    git_blob *blob;    /* owns data when read from git                    */
    char *heap;        /* owns data when read from a file                 */
} kg_entry;

/** Read the tree entry c names; symbolic links, submodules, binary and
 * huge files are not parsed and get e->skip set. */
int kg_git__read(kg_entry *e, kg_git_src *src, const kg_change *c,
                 kg_error *err);
void kg_sync__entry_free(kg_entry *e);
/** Decide whether e's bytes are binary; sets e->skip if so. */
void kg_sync__entry_binary(kg_entry *e);
/** The hash recorded for a file too large to read (git and work tree
 * agree on it). */
uint64_t kg_sync__huge_hash(uint64_t size);

/* ---- work tree (worktree.c) ---- */

/**
 * Walk the work tree of src below subdir and append to out every path whose
 * content differs from what the store holds at its newest version: changed
 * and new files with mode set (read later by kg_worktree__read), deleted
 * ones with mode 0. tree is the checked-out commit's (sub)tree (its
 * submodules are never "deleted"). Ignored untracked files are left out.
 * Never writes the index or the work tree.
 */
int kg_worktree__scan(kg_changes *out, kg_store *st, kg_git_src *src,
                      git_tree *tree, const char *subdir, kg_error *err);
/** Set c->mode from what the work tree holds at c->path (0 = nothing). */
int kg_worktree__lookup(kg_change *c, kg_git_src *src, kg_error *err);
/** Read the work-tree file of a change found by kg_worktree__scan. */
int kg_worktree__read(kg_entry *e, kg_git_src *src, const kg_change *c,
                      kg_error *err);

/* ---- one sync (sync.c drives it, record.c records versions, history.c
 * walks commits) ---- */

typedef struct kg_sync_ctx {
    kg_store *st;
    const kg_sync_opts *opts;
    kg_sync_result *res;
    kg_error *err;
    kg_git_src src;
    char *subdir;          /* normalised: "" or "a/b"                     */
    char *prefix;          /* "" or "a/b/"                                */
    const char *rev;
    git_commit *commit;    /* the revision asked for (REF)                */
    git_tree *ref_tree;    /* its (sub)tree                               */
    git_commit *at;        /* the commit a committed version is from: a   */
                           /* history step, or the one that made REF's    */
                           /* tree (borrowed)                             */
    git_commit *intro;     /* that one, once looked up                    */
    git_tree *tree;        /* the tree being recorded (borrowed)          */
    char tree_hex[GIT_OID_HEXSZ + 1], commit_hex[GIT_OID_HEXSZ + 1];
    char at_hex[GIT_OID_HEXSZ + 1];
    char *meta_source, *meta_subdir, *meta_tree, *meta_draft;
    char state_hex[GIT_OID_HEXSZ + 1];  /* meta "commit", as written     */
    char state_tree[GIT_OID_HEXSZ + 1]; /* meta "tree", as written       */
    size_t steps, stepped;  /* history: commits to look at, and looked at */
    int64_t latest;        /* newest version before this sync             */
    int latest_draft;
    int empty;             /* the store holds no document: skip lookups   */
    kg_stored_set *stored; /* preloaded hashes, valid for the next record */
    int added;             /* versions added by this sync                 */
    int64_t files;         /* documents in the newest committed version,  */
                           /* -1 until known                              */
    int64_t delta;         /* documents added minus removed in a record   */
} kg_sync_ctx;

void kg_sync__progress(kg_sync_ctx *x, const char *phase, size_t done,
                       size_t total);
/** Point the version being recorded at commit c and its (sub)tree t. */
void kg_sync__aim(kg_sync_ctx *x, git_commit *c, git_tree *t);
/** 1 when opts->interrupt is raised. */
int kg_sync__interrupted(const kg_sync_ctx *x);
/** Set the error an interrupted sync returns (KG_EINTERRUPT), saying
 * what stays in the store. */
int kg_sync__interrupt_error(kg_sync_ctx *x);
/**
 * Record one version from the changes: begin, bring each path up to date,
 * update the meta, commit. When nothing changed and allow_empty is 0 the
 * transaction is rolled back and *made is 0. On failure the store is as
 * before.
 */
int kg_sync__record(kg_sync_ctx *x, kg_changes *cs, int draft,
                    int allow_empty, const char *draft_list, int *made);
/* What kg_sync__prepare made of one path. */
enum { KG_PREP_SAME, KG_PREP_REMOVE, KG_PREP_DOC };
typedef struct {
    int kind;          /* nothing to do, remove the doc, or store doc     */
    uint64_t hash;     /* the content's hash (KG_PREP_DOC)                */
    uint64_t stored;   /* the hash the store held (0: no doc)             */
    kg_doc doc;        /* parsed (KG_PREP_DOC only)                       */
} kg_prepared;

/** Read and parse one path (record.c); safe on another thread than the
 * store's while kg_sync__pipelined(x) holds. */
int kg_sync__prepare(kg_sync_ctx *x, const kg_change *c, int from_worktree,
                     kg_prepared *p, kg_error *err);
/** Store a prepared path on the store's thread (p is not freed). */
int kg_sync__apply(kg_sync_ctx *x, const kg_change *c, kg_prepared *p,
                   int *wrote);
void kg_sync__prepared_free(kg_prepared *p);
/**
 * Bring every path of cs up to date inside the open version (pipeline.c):
 * read and parse on a second thread while this one writes the store, when
 * there are enough paths for it to pay; else one path after the other.
 * Checks the interrupt before each path and reports progress. *wrote:
 * paths whose stored document changed.
 */
int kg_sync__apply_all(kg_sync_ctx *x, kg_changes *cs, int from_worktree,
                       size_t *wrote);

/** Record x->tree as a version from x->at, diffed against base (NULL:
 * every file compared with the store). */
int kg_sync__commit(kg_sync_ctx *x, git_tree *base);
/**
 * History import (kg_sync_opts.history): one version per commit on REF's
 * first-parent chain after the last synced commit whose (sub)tree differs
 * from what the store holds. *base is the stored tree (NULL: none) and ends
 * as the tree last synced.
 */
int kg_sync__import_history(kg_sync_ctx *x, git_tree **base,
                            int same_origin);
/** The committed state is now x->tree: meta "tree" and "commit". */
int kg_sync__set_state(kg_sync_ctx *x);
/** Record that commit hex (full) names version vid. */
int kg_sync__set_alias(kg_sync_ctx *x, const char *hex, int64_t vid);
/** Documents in the newest committed version (x->files), counted once. */
int kg_sync__known_files(kg_sync_ctx *x);
/** A meta value written as a number, or -1. */
int64_t kg_sync__meta_int(kg_store *st, const char *key);
/** kg_path_cb counting documents into an int64_t. */
int kg_sync__count_doc(const char *path, uint64_t hash, void *payload);
/** kg_version_cb keeping the id of the newest committed version. */
int kg_sync__newest_committed(const kg_version_info *v, void *payload);

#endif /* KG_SYNC_INT_H */
