/* sync.c - bring a store up to date with a git repository, one version a sync.
 *
 * The store keeps, in its meta table, where it was last synced from (source,
 * subdir) and the id of the tree it holds. A sync resolves the requested
 * revision, narrows it to the subdir, and diffs that tree against the stored
 * one, so only the files that changed are read and parsed; when there is no
 * usable base (first sync, another source or subdir, a tree the repository
 * no longer has) every file is looked at and every stored document that is
 * gone is removed. Each candidate is hashed (xxh3) and compared with the
 * hash the store holds for its path before it is parsed, which makes the
 * same code correct on top of a draft, after a source switch, and for work
 * trees. All of one version's writes sit in one store transaction: any
 * failure rolls back and leaves the store as it was.
 *
 * Drafts: `--worktree` records uncommitted edits as a draft version on top
 * of the commit, and lists the paths it changed in the meta key
 * "draft_paths". The store deletes a draft when the next version begins, so
 * the next sync must bring those paths back to what it records: they join
 * its change set, read from the commit (plain sync) or from the work tree
 * (another --worktree sync). A sync that finds nothing to change adds no
 * version, except that a draft can only go by being replaced.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync_int.h"

/* Progress is reported every this many files (and at the end). */
#define PROGRESS_EVERY 64u

typedef struct {
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
} sync_ctx;

/* ============================ the sync itself =========================== */

static void progress(sync_ctx *x, const char *phase, size_t done,
                     size_t total)
{
    if (x->opts->progress)
        x->opts->progress(phase, done, total, x->opts->payload);
}

/* "./a//b/" -> "a/b"; ".." is refused so a subdir stays inside the tree. */
static int normalise_subdir(char **out, const char *in, kg_error *err)
{
    kg_buf b = KG_BUF_INIT;
    const char *p = in ? in : "";

    kg_buf_puts(&b, "");
    while (*p) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            kg_buf_free(&b);
            return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                                "subdir '%s' leaves the repository", in);
        }
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (b.len) kg_buf_putc(&b, '/');
            kg_buf_put(&b, p, n);
        }
        p += n;
        if (*p == '/') p++;
    }
    if (b.oom) {
        kg_buf_free(&b);
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    }
    *out = kg_buf_detach(&b);
    return KG_OK;
}

/* Fill the version meta of the commit x->at (or of a draft on top of
 * REF). */
static int version_meta(sync_ctx *x, kg_version_info *v, int draft,
                        size_t nfiles)
{
    const git_signature *a = git_commit_author(x->at);
    git_signature *me = NULL;
    git_reference *head = NULL;
    kg_buf b = KG_BUF_INIT;
    const char *ref = x->rev;

    memset(v, 0, sizeof *v);
    v->draft = draft;
    memcpy(v->commit, draft ? x->commit_hex : x->at_hex, sizeof v->commit);
    /* "HEAD" says little a month later; keep the branch it stood for. */
    if (!strcmp(ref, "HEAD") &&
        git_repository_head(&head, x->src.repo) == 0 &&
        git_reference_is_branch(head))
        ref = git_reference_shorthand(head);
    v->source = kg_strdup(x->src.source);
    if (draft) {
        kg_buf_printf(&b, "%s (work tree)", ref);
        v->ref = kg_buf_detach(&b);
        if (git_signature_default(&me, x->src.repo) == 0)
            kg_buf_printf(&b, "%s <%s>", me->name, me->email);
        else
            kg_buf_puts(&b, "");
        v->author = kg_buf_detach(&b);
        kg_buf_printf(&b, "Uncommitted work-tree edits on top of %.7s "
                      "(%zu files)", x->commit_hex, nfiles);
        v->message = kg_buf_detach(&b);
        v->time = (int64_t)time(NULL);
    } else {
        v->ref = kg_strdup(ref);
        kg_buf_printf(&b, "%s <%s>", a->name, a->email);
        v->author = kg_buf_detach(&b);
        v->message = kg_strdup(git_commit_message(x->at));
        if (v->message) { /* keep the whole message, minus trailing space */
            size_t n = strlen(v->message);
            while (n && isspace((unsigned char)v->message[n - 1])) n--;
            v->message[n] = '\0';
        }
        v->time = (int64_t)git_commit_time(x->at);
    }
    git_signature_free(me);
    git_reference_free(head);
    if (!v->source || !v->ref || !v->author || !v->message) {
        kg_version_info_clear(v);
        return kg_error_set(x->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    }
    return KG_OK;
}

/* The hash the store holds for path as the open version began (0: none).
 * Preloaded hashes are only ever used when no draft was dropped at begin,
 * so they are that state. */
static uint64_t stored_hash(sync_ctx *x, const char *path)
{
    const kg_stored *s;

    if (x->empty) return 0;
    if (x->stored == NULL) return kg_store_doc_hash(x->st, path);
    s = kg_sync__stored_find(x->stored, path);
    return s ? s->hash : 0;
}

/* Read, parse and store one present path; *wrote set when the store's
 * document changed. Parse problems are diagnostics in the doc. */
static int apply_one(sync_ctx *x, const kg_change *c, int from_worktree,
                     int *wrote)
{
    uint64_t stored = stored_hash(x, c->path);
    kg_entry e;
    kg_doc doc;
    uint32_t i;
    int rc;

    *wrote = 0;
    if (c->mode == 0) {
        if (stored == 0) return KG_OK;
        if ((rc = kg_store_remove_doc(x->st, c->path, x->err)) < 0) return rc;
        x->res->files_removed++;
        x->delta--;
        *wrote = 1;
        return KG_OK;
    }
    rc = from_worktree ? kg_worktree__read(&e, &x->src, c, x->err)
                       : kg_git__read(&e, &x->src, c, x->err);
    if (rc < 0) return rc;
    if (e.hash == stored) goto done; /* same content as stored */
    if ((rc = kg_doc_init(&doc, c->path)) < 0) goto done;
    if (e.skip[0]) {
        rc = kg_doc_diag(&doc, KG_SEV_WARNING, 0, 0, "%s", e.skip);
    } else {
        rc = kg_dataset_parse(&doc, e.data, e.len, x->err);
        /* The parsers report problems as diagnostics and fail only when
         * memory runs out; anything else is kept as a diagnostic too, so
         * one file can never stop a sync. */
        if (rc < 0 && rc != KG_ENOMEM) {
            rc = kg_doc_diag(&doc, KG_SEV_ERROR, x->err ? x->err->line : 0,
                             x->err ? x->err->col : 0, "%s",
                             x->err ? x->err->msg : kg_status_str(rc));
            if (x->err) kg_error_clear(x->err);
        }
    }
    if (rc == KG_OK) rc = kg_store_put_doc(x->st, &doc, e.hash, x->err);
    if (rc == KG_OK) {
        for (i = 0; i < doc.ndiags; i++) {
            if (doc.diags[i].severity == KG_SEV_ERROR) x->res->errors++;
            else x->res->warnings++;
        }
        x->res->files_parsed++;
        if (stored == 0) x->delta++;
        *wrote = 1;
    }
    kg_doc_free(&doc);
done:
    kg_sync__entry_free(&e);
    return rc;
}

static int set_meta(sync_ctx *x, const char *key, const char *val)
{
    return kg_store_meta_set(x->st, key, val, x->err);
}

static int set_meta_int(sync_ctx *x, const char *key, int64_t val)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)val);
    return set_meta(x, key, num);
}

/* A meta value written by set_meta_int, or -1. */
static int64_t meta_int(kg_store *st, const char *key)
{
    char *v = kg_store_meta_get(st, key), *end = NULL;
    long long n = v ? strtoll(v, &end, 10) : -1;

    if (v && (end == v || *end != '\0' || n < 0)) n = -1;
    kg_free(v);
    return n;
}

static int count_doc(const char *path, uint64_t hash, void *payload)
{
    (void)path;
    (void)hash;
    (*(int64_t *)payload)++;
    return 0;
}

static int newest_committed(const kg_version_info *v, void *payload)
{
    if (v->draft) return 0;
    *(int64_t *)payload = v->id;
    return 1; /* newest first: the first non-draft is the one */
}

/* The number of documents in the newest committed version: kept in the
 * meta so that an incremental sync can report "N in all" without counting;
 * counted once for a store that lacks it. */
static int known_files(sync_ctx *x)
{
    int64_t vid = 0, n = 0;
    int rc;

    if (x->files >= 0) return KG_OK;
    if ((x->files = meta_int(x->st, KG_META_FILES)) >= 0) return KG_OK;
    if (x->latest > 0) {
        rc = kg_store_versions(x->st, newest_committed, &vid, x->err);
        if (rc < 0) return rc;
    }
    if (vid > 0 &&
        (rc = kg_store_docs(x->st, vid, count_doc, &n, x->err)) < 0)
        return rc;
    x->files = n;
    return KG_OK;
}

/* For a URL source, the cache folder it was cloned into, so that
 * kg_sync_find_version resolves revisions in the same clone. */
static int set_cache_meta(sync_ctx *x)
{
    char *root, *slash;
    int rc;

    if (!x->src.remote) return set_meta(x, KG_META_CACHE, NULL);
    root = kg_strdup(x->src.path);
    KG_CHECK_ALLOC(root, x->err);
    if ((slash = strrchr(root, '/')) != NULL) *slash = '\0';
    rc = set_meta(x, KG_META_CACHE, root);
    kg_free(root);
    return rc;
}

/* Join the draft's paths (and, when stacking drafts, the older draft's). */
static char *draft_paths(const kg_changes *cs, const char *older)
{
    kg_buf b = KG_BUF_INIT;
    size_t i;

    kg_buf_puts(&b, older ? older : "");
    for (i = 0; i < cs->len; i++) {
        if (b.len) kg_buf_putc(&b, '\n');
        kg_buf_puts(&b, cs->items[i].path);
    }
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

static int interrupted(const sync_ctx *x)
{
    return x->opts->interrupt != NULL && *x->opts->interrupt != 0;
}

/* What an interrupted sync says: each version is one transaction, so the
 * one in progress is gone and those a history import finished stay (a
 * second sync goes on from there). */
static int interrupt_error(sync_ctx *x)
{
    if (x->added == 0)
        return kg_error_set(x->err, KG_EINTERRUPT, NULL, (kg_span){0, 0},
                            "sync interrupted; the store is unchanged");
    if (x->stepped < x->steps)
        return kg_error_set(x->err, KG_EINTERRUPT, NULL, (kg_span){0, 0},
                            "sync interrupted after %zu of %zu commits; the "
                            "store holds the versions up to #%lld, sync "
                            "again to import the rest", x->stepped, x->steps,
                            (long long)x->latest);
    return kg_error_set(x->err, KG_EINTERRUPT, NULL, (kg_span){0, 0},
                        "sync interrupted; the store is unchanged since "
                        "version #%lld", (long long)x->latest);
}

/* Point the version being recorded at commit c and its (sub)tree t. */
static void aim(sync_ctx *x, git_commit *c, git_tree *t)
{
    x->at = c;
    x->tree = t;
    git_oid_tostr(x->at_hex, sizeof x->at_hex, git_commit_id(c));
    git_oid_tostr(x->tree_hex, sizeof x->tree_hex, git_tree_id(t));
}

/* Record that commit hex (full) names version vid, unless the meta says
 * so already: kg_sync_find_version looks there for a commit that has no
 * version of its own. */
static int set_alias(sync_ctx *x, const char *hex, int64_t vid)
{
    kg_buf key = KG_BUF_INIT;
    char num[32], *old = NULL;
    int rc = KG_OK;

    snprintf(num, sizeof num, "%lld", (long long)vid);
    if (kg_buf_printf(&key, "%s%s", KG_META_COMMIT_ALIAS, hex) < 0)
        return kg_error_set(x->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    old = kg_store_meta_get(x->st, key.data);
    if (old == NULL || strcmp(old, num) != 0) rc = set_meta(x, key.data, num);
    kg_free(old);
    kg_buf_free(&key);
    return rc;
}

/* The committed state is now x->tree: diff from it next time, and know
 * which commit it was synced from (REF once the tree is REF's). */
static int set_state(sync_ctx *x)
{
    const char *hex = git_oid_equal(git_tree_id(x->tree),
                                    git_tree_id(x->ref_tree))
                          ? x->commit_hex : x->at_hex;
    int rc = KG_OK;

    /* Only what differs is written: a sync that changes nothing writes
     * nothing (and works on a read-only store). */
    if (strcmp(x->state_tree, x->tree_hex) != 0 &&
        (rc = set_meta(x, KG_META_TREE, x->tree_hex)) == KG_OK)
        memcpy(x->state_tree, x->tree_hex, sizeof x->state_tree);
    if (rc == KG_OK && strcmp(x->state_hex, hex) != 0 &&
        (rc = set_meta(x, KG_META_COMMIT, hex)) == KG_OK)
        memcpy(x->state_hex, hex, sizeof x->state_hex);
    return rc;
}

/*
 * Record one version from the changes: begin, bring each path up to date,
 * update the meta, commit. When nothing changed and allow_empty is 0 the
 * transaction is rolled back and *made is 0. On failure the store is as
 * before.
 */
static int record(sync_ctx *x, kg_changes *cs, int draft, int allow_empty,
                  const char *draft_list, int *made)
{
    kg_version_info meta;
    int64_t vid = 0;
    size_t i, wrote = 0;
    int rc, w, open_tx = 0;
    char state[GIT_OID_HEXSZ + 1], state_tree[GIT_OID_HEXSZ + 1];

    *made = 0;
    memcpy(state, x->state_hex, sizeof state);
    memcpy(state_tree, x->state_tree, sizeof state_tree);
    if ((rc = known_files(x)) < 0) return rc;
    if ((rc = version_meta(x, &meta, draft, cs->len)) < 0) return rc;
    if ((rc = kg_store_begin(x->st, &meta, &vid, x->err)) < 0) goto done;
    open_tx = 1;
    x->delta = 0;
    for (i = 0; i < cs->len; i++) {
        if (interrupted(x)) {
            rc = interrupt_error(x);
            goto done;
        }
        if ((rc = apply_one(x, &cs->items[i], draft, &w)) < 0) goto done;
        wrote += (size_t)w;
        if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == cs->len)
            progress(x, "parse", i + 1, cs->len);
    }
    if (wrote == 0 && !allow_empty) {
        kg_store_rollback(x->st);
        open_tx = 0;
        goto done;
    }
    if ((rc = set_meta_int(x, draft ? KG_META_DRAFT_FILES : KG_META_FILES,
                           x->files + x->delta)) < 0)
        goto done;
    if (!draft) {
        if ((rc = set_meta(x, KG_META_SOURCE, x->src.source)) < 0 ||
            (rc = set_meta(x, KG_META_SUBDIR, x->subdir)) < 0 ||
            (rc = set_state(x)) < 0 || (rc = set_cache_meta(x)) < 0)
            goto done;
        /* A version of REF's tree from another commit (the one that made
         * it): REF names it too. */
        if (strcmp(x->at_hex, x->commit_hex) != 0 &&
            !strcmp(x->state_hex, x->commit_hex) &&
            (rc = set_alias(x, x->commit_hex, vid)) < 0)
            goto done;
    }
    if ((rc = set_meta(x, KG_META_DRAFT_PATHS, draft_list)) < 0) goto done;
    if (interrupted(x)) {
        rc = interrupt_error(x);
        goto done;
    }
    progress(x, "store", 0, 1);
    if ((rc = kg_store_commit(x->st, x->err)) < 0) goto done;
    open_tx = 0;
    progress(x, "store", 1, 1);
    *made = 1;
    x->added++;
    x->empty = 0;
    x->latest = vid;
    x->latest_draft = draft;
    if (!draft) x->files += x->delta;
done:
    if (open_tx) {
        kg_store_rollback(x->st);
        memcpy(x->state_hex, state, sizeof state);
        memcpy(x->state_tree, state_tree, sizeof state_tree);
    }
    kg_version_info_clear(&meta);
    return rc;
}

/* Append the paths the draft changed (meta "draft_paths"), looked up in the
 * new tree or in the work tree: beginning a version deletes the draft, so
 * the new version must write them again. */
static int add_draft_paths(sync_ctx *x, kg_changes *cs, int from_worktree)
{
    char *p = x->meta_draft, *nl;
    int rc;

    while (*p) {
        nl = p + strcspn(p, "\n");
        if (nl > p) {
            char save = *nl;
            *nl = '\0';
            rc = kg_sync__change_add(cs, p, git_tree_id(x->tree), 0, x->err);
            *nl = save;
            if (rc < 0) return rc;
            rc = from_worktree
                     ? kg_worktree__lookup(&cs->items[cs->len - 1], &x->src,
                                           x->err)
                     : kg_git__lookup(&cs->items[cs->len - 1], x->tree,
                                      x->prefix, x->err);
            if (rc < 0) return rc;
        }
        p = *nl ? nl + 1 : nl;
    }
    return KG_OK;
}

/* The paths of the committed tree to bring up to date. */
static int commit_changes(sync_ctx *x, kg_changes *cs, git_tree *base)
{
    static const git_oid zero;
    size_t i, n;
    int rc;

    if ((rc = kg_git__diff(cs, &x->src, base, x->tree, x->prefix,
                           x->err)) < 0)
        return rc;
    kg_sync__changes_sort(cs);
    /* No base: every file is looked at, against hashes loaded in one go;
     * stored documents the tree lacks are removed. */
    if (base == NULL && x->latest > 0 && x->stored) {
        if ((rc = kg_sync__stored_load(x->stored, x->st, x->latest,
                                       x->err)) < 0)
            return rc;
        for (i = 0, n = cs->len; i < x->stored->len; i++) {
            const char *p = x->stored->items[i].path;
            kg_changes have = {cs->items, n, n};
            if (kg_sync__changes_find(&have, p)) continue;
            if ((rc = kg_sync__change_add(cs, p, &zero, 0, x->err)) < 0)
                return rc;
        }
    }
    if (x->latest_draft && x->meta_draft &&
        (rc = add_draft_paths(x, cs, 0)) < 0)
        return rc;
    kg_sync__changes_sort(cs);
    return KG_OK;
}

/* ============================== kg_sync_run ============================= */

/* Source: the option, else what the store was synced from, else the
 * bundled dataset. Subdir: the option ("" = the whole repository), else the
 * store's when the source is the store's, else the bundled dataset's. */
static int prepare(sync_ctx *x)
{
    const kg_sync_opts *o = x->opts;
    const char *source = o->source, *subdir = o->subdir, *bsub = NULL;
    kg_version_info v;
    char *p;
    git_commit *head = NULL;
    kg_buf b = KG_BUF_INIT;
    int rc;

    x->meta_source = kg_store_meta_get(x->st, KG_META_SOURCE);
    x->meta_subdir = kg_store_meta_get(x->st, KG_META_SUBDIR);
    x->meta_tree = kg_store_meta_get(x->st, KG_META_TREE);
    x->meta_draft = kg_store_meta_get(x->st, KG_META_DRAFT_PATHS);
    if (x->meta_tree)
        snprintf(x->state_tree, sizeof x->state_tree, "%s", x->meta_tree);
    if ((p = kg_store_meta_get(x->st, KG_META_COMMIT)) != NULL) {
        snprintf(x->state_hex, sizeof x->state_hex, "%s", p);
        kg_free(p);
    }
    if (source == NULL) source = x->meta_source;
    if (source == NULL) kg_dataset_bundled(&source, &bsub);
    x->rev = o->ref && *o->ref ? o->ref : "HEAD";
    if ((rc = kg_git__open(&x->src, source, o->cache_dir, 1, o, x->err)) < 0)
        return rc;
    if (subdir == NULL)
        subdir = x->meta_source && !strcmp(x->meta_source, x->src.source)
                     ? x->meta_subdir : bsub;
    if ((rc = normalise_subdir(&x->subdir, subdir, x->err)) < 0) return rc;
    kg_buf_printf(&b, "%s%s", x->subdir, *x->subdir ? "/" : "");
    x->prefix = kg_buf_detach(&b);
    KG_CHECK_ALLOC(x->prefix, x->err);
    if ((rc = kg_git__resolve(&x->commit, &x->src, x->rev, x->err)) < 0)
        return rc;
    git_oid_tostr(x->commit_hex, sizeof x->commit_hex,
                  git_commit_id(x->commit));
    if ((rc = kg_git__subtree(&x->ref_tree, &x->src, x->commit, x->subdir,
                              x->rev, x->err)) < 0)
        return rc;
    aim(x, x->commit, x->ref_tree);
    if (o->worktree) {
        if (x->src.remote || git_repository_is_bare(x->src.repo))
            return kg_error_set(x->err, KG_EGIT, NULL, (kg_span){0, 0},
                                "--worktree needs a local repository with a "
                                "work tree; %s is %s", x->src.source,
                                x->src.remote ? "remote" : "bare");
        if ((rc = kg_git__resolve(&head, &x->src, "HEAD", x->err)) < 0)
            return rc;
        rc = git_oid_equal(git_commit_id(head), git_commit_id(x->commit));
        git_commit_free(head);
        if (!rc)
            return kg_error_set(x->err, KG_EGIT, NULL, (kg_span){0, 0},
                                "--worktree reads edits on top of HEAD, but "
                                "'%s' is %.7s, not the checked-out commit",
                                x->rev, x->commit_hex);
    }
    x->latest = kg_store_latest(x->st);
    /* A first sync looks up no stored hash: one query per file would cost
     * more than a tenth of a large first sync. */
    x->empty = x->latest == 0;
    if (x->latest > 0 && kg_store_version(x->st, x->latest, &v, NULL) == 0) {
        x->latest_draft = v.draft;
        kg_version_info_clear(&v);
    }
    return KG_OK;
}

/* Commit hex is already in the store (its tree was synced, perhaps from
 * another commit): alias it to the newest version so that
 * kg_sync_find_version finds it. Not over a draft, which is no commit's. */
static int alias_commit(sync_ctx *x, const char *hex)
{
    kg_version_info v;
    int same;

    if (x->latest <= 0 || kg_store_version(x->st, x->latest, &v, NULL) < 0)
        return KG_OK;
    same = !strcmp(v.commit, hex) || v.draft;
    kg_version_info_clear(&v);
    return same ? KG_OK : set_alias(x, hex, x->latest);
}

/* Record x->tree as a version from x->at, diffed against base. */
static int sync_commit(sync_ctx *x, git_tree *base)
{
    kg_changes cs = {NULL, 0, 0};
    kg_stored_set stored;
    int made = 0, rc;

    memset(&stored, 0, sizeof stored);
    /* Beginning a version over a draft drops it, so hashes loaded before
     * would be the draft's: look them up one by one then. */
    x->stored = x->latest_draft ? NULL : &stored;
    rc = commit_changes(x, &cs, base);
    if (x->stored && x->stored->items == NULL) x->stored = NULL;
    if (rc < 0) goto done;
    /* Without a base or over a draft a version is due even when no file
     * differs: it records the new origin, or replaces the draft. */
    rc = record(x, &cs, 0, base == NULL || x->latest_draft, "", &made);
    if (rc < 0 || made) goto done;
    /* A new tree whose dataset files are all as stored (only other files
     * changed): no version, but diff from this tree next time. */
    if ((rc = set_state(x)) < 0) goto done;
    rc = alias_commit(x, x->at_hex);
done:
    x->stored = NULL;
    kg_sync__stored_free(&stored);
    kg_sync__changes_free(&cs);
    return rc;
}

/* Record REF's tree, attributed to the commit that made it (history.c):
 * the version of a subdir synced at a commit that changed only other
 * files is the subdir's last change, and REF is an alias of it. */
static int sync_ref(sync_ctx *x, git_tree *base)
{
    int rc;

    if (x->intro == NULL &&
        (rc = kg_git__introduced(&x->intro, &x->src, x->commit, x->subdir,
                                 x->err)) < 0)
        return rc;
    aim(x, x->intro, x->ref_tree);
    rc = sync_commit(x, base);
    aim(x, x->commit, x->ref_tree);
    return rc;
}

/* The commit the committed state was last synced from, when the
 * repository still has it: the meta, else (a store from before it was
 * kept) the newest committed version's. */
static int last_synced(sync_ctx *x, git_oid *out)
{
    kg_version_info v;
    git_commit *c = NULL;
    int64_t vid = 0;
    int found;

    memset(&v, 0, sizeof v);
    if (x->state_hex[0] == '\0' &&
        kg_store_versions(x->st, newest_committed, &vid, NULL) == KG_OK &&
        vid > 0)
        kg_store_version(x->st, vid, &v, NULL);
    found = git_oid_fromstr(out, x->state_hex[0] ? x->state_hex
                                                  : v.commit) == 0 &&
            git_commit_lookup(&c, x->src.repo, out) == 0;
    git_commit_free(c);
    kg_version_info_clear(&v);
    return found;
}

/*
 * History import: one version per commit on REF's first-parent chain after
 * the last synced commit, oldest first, for each commit whose (sub)tree
 * differs from what the store holds; commits without the subdir are
 * skipped (there is nothing to read). *base is the stored tree (NULL: none)
 * and ends as the last one synced. When the last synced commit is unknown
 * (gone from the repository), nothing is imported here and REF is synced
 * alone.
 */
static int import_history(sync_ctx *x, git_tree **base, int same_origin)
{
    git_oid since, *ids = NULL;
    git_commit *c = NULL;
    git_tree *t = NULL;
    size_t i, n = 0;
    int rc = KG_OK, have_since = 0;

    if (same_origin && !(have_since = last_synced(x, &since))) return KG_OK;
    if ((rc = kg_git__first_parents(&ids, &n, &x->src, x->commit,
                                    have_since ? &since : NULL, x->err)) < 0)
        return rc;
    x->steps = n;
    for (i = 0; i < n && rc >= 0; i++) {
        progress(x, "history", i, n);
        if (interrupted(x)) {
            rc = interrupt_error(x);
            break;
        }
        rc = kg_git__step(&c, &t, &x->src, &ids[i], x->subdir, x->err);
        if (rc == 1 &&
            !(*base && git_oid_equal(git_tree_id(*base), git_tree_id(t)))) {
            aim(x, c, t);
            rc = sync_commit(x, *base);
            aim(x, x->commit, x->ref_tree);
            if (rc == KG_OK) {
                git_tree_free(*base);
                *base = t;
                t = NULL;
            }
        }
        git_commit_free(c);
        git_tree_free(t);
        c = NULL;
        t = NULL;
        if (rc >= 0) x->stepped = i + 1;
    }
    if (rc >= 0) progress(x, "history", n, n);
    kg_free(ids);
    return rc < 0 ? rc : KG_OK;
}

/* Record the work tree's edits as a draft. stacking: the newest version is
 * a draft of the same commit, and the scan compared against it. */
static int sync_worktree(sync_ctx *x, git_tree *base, int stacking)
{
    kg_changes cs = {NULL, 0, 0};
    char *list = NULL;
    int made = 0, rc;

    if ((rc = kg_worktree__scan(&cs, x->st, &x->src, x->tree, x->subdir,
                                x->err)) < 0)
        goto done;
    if (cs.len == 0) goto done; /* the work tree is as stored */
    list = draft_paths(&cs, stacking ? x->meta_draft : NULL);
    if (list == NULL) {
        rc = kg_error_set(x->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
        goto done;
    }
    if (stacking && (rc = add_draft_paths(x, &cs, 1)) < 0) goto done;
    kg_sync__changes_sort(&cs);
    if ((rc = record(x, &cs, 1, 0, list, &made)) < 0 || made) goto done;
    /* The edits were undone: the work tree is the commit again, and only a
     * version of the commit can replace the old draft. */
    if (stacking) rc = sync_ref(x, base);
done:
    kg_free(list);
    kg_sync__changes_free(&cs);
    return rc;
}

static int count_diag(const char *path, const kg_diag *d, void *payload)
{
    kg_sync_result *r = payload;

    (void)path;
    if (d->severity == KG_SEV_ERROR) r->errors++;
    else r->warnings++;
    return 0;
}

/* Fill the result: the version now current and how many documents it
 * holds. The versions are committed by now, so a failure here (only out of
 * memory can happen) must not report the sync as failed: the count is then
 * left at 0. */
static void finish(sync_ctx *x)
{
    kg_version_info v;
    int64_t n;
    int rc, draft = 0;

    x->res->version = kg_store_latest(x->st);
    x->res->unchanged = x->added == 0;
    x->res->versions_added = (size_t)x->added;
    /* A history import parses files that later commits fix or remove:
     * what matters is the diagnostics of the version it ends at. */
    if (x->opts->history && x->added > 0) {
        x->res->errors = x->res->warnings = 0;
        if (kg_store_diags(x->st, x->res->version, NULL, count_diag, x->res,
                           NULL) < 0)
            x->res->errors = x->res->warnings = 0;
    }
    if (kg_store_version(x->st, x->res->version, &v, NULL) == KG_OK) {
        draft = v.draft;
        kg_version_info_clear(&v);
    }
    if (draft && (n = meta_int(x->st, KG_META_DRAFT_FILES)) >= 0) {
        x->res->files_total = (size_t)n;
        return;
    }
    n = 0;
    if (draft) /* a draft from before the count was kept */
        rc = kg_store_docs(x->st, x->res->version, count_doc, &n, NULL);
    else if ((rc = known_files(x)) == KG_OK)
        n = x->files;
    x->res->files_total = rc == KG_OK && n > 0 ? (size_t)n : 0;
    if (rc < 0 && x->err) kg_error_clear(x->err);
}

int kg_sync_run(kg_store *st, const kg_sync_opts *opts, kg_sync_result *res,
                kg_error *err)
{
    static const kg_sync_opts defaults;
    kg_sync_result scratch;
    sync_ctx x;
    git_tree *base = NULL;
    int rc, same_origin, same_tree;

    memset(&x, 0, sizeof x);
    x.files = -1;
    x.st = st;
    x.opts = opts ? opts : &defaults;
    x.res = res ? res : &scratch;
    x.err = err;
    memset(x.res, 0, sizeof *x.res);
    kg_git__init();
    if ((rc = prepare(&x)) < 0) goto done;
    same_origin = x.latest > 0 && x.meta_source &&
                  !strcmp(x.meta_source, x.src.source) &&
                  !strcmp(x.meta_subdir ? x.meta_subdir : "", x.subdir);
    if (same_origin) kg_git__tree(&base, &x.src, x.meta_tree);
    if (x.opts->history &&
        (rc = import_history(&x, &base, same_origin)) < 0)
        goto done;
    same_tree = base &&
                git_oid_equal(git_tree_id(base), git_tree_id(x.ref_tree));
    if (!same_tree || (x.latest_draft && !x.opts->worktree))
        rc = sync_ref(&x, base);
    /* On an unchanged tree under a draft, the work tree is compared with
     * the draft; a new draft replaces it and inherits its paths. */
    if (rc == KG_OK && x.opts->worktree)
        rc = sync_worktree(&x, base, same_tree && x.latest_draft);
    /* The committed state is REF's tree now: REF names it, and a history
     * import starts after REF next time. */
    if (rc == KG_OK) rc = alias_commit(&x, x.commit_hex);
    if (rc == KG_OK) rc = set_state(&x);
    if (rc == KG_OK) finish(&x);
done:
    git_tree_free(base);
    git_tree_free(x.ref_tree);
    git_commit_free(x.intro);
    git_commit_free(x.commit);
    kg_git__close(&x.src);
    kg_free(x.subdir);
    kg_free(x.prefix);
    kg_free(x.meta_source);
    kg_free(x.meta_subdir);
    kg_free(x.meta_tree);
    kg_free(x.meta_draft);
    return rc;
}
