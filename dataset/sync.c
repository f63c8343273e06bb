/* sync.c - bring a store up to date with a git repository.
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
 *
 * History and attribution: with kg_sync_opts.history the commits since
 * the last synced one are first recorded one version each (history.c),
 * then REF as usual. A version of REF's tree is attributed to the commit
 * that made it (the newest that changed the subdir), REF being an alias of
 * it; the meta "commit" keeps the revision the committed state came from,
 * so a history import knows where to start and a re-sync adds nothing.
 * Each version is its own transaction (record.c): a failure or an
 * interrupt loses at most the version in progress.
 */
#include <stdlib.h>
#include <string.h>

#include "sync_int.h"

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

/* Append the paths the draft changed (meta "draft_paths"), looked up in the
 * new tree or in the work tree: beginning a version deletes the draft, so
 * the new version must write them again. */
static int add_draft_paths(kg_sync_ctx *x, kg_changes *cs,
                           int from_worktree)
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
static int commit_changes(kg_sync_ctx *x, kg_changes *cs,
                          git_tree *base)
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
static int prepare(kg_sync_ctx *x)
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
    kg_sync__aim(x, x->commit, x->ref_tree);
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
    if (x->latest == 0) return KG_OK;
    if ((rc = kg_store_version(x->st, x->latest, &v, x->err)) < 0)
        return rc;
    x->latest_draft = v.draft;
    /* A sync records source and subdir with every version, so a store
     * whose versions came from a sync lacks them only when reading them
     * ran out of memory: taking that for "synced from elsewhere" would
     * make a history import start again from the root commit. */
    rc = v.source && *v.source && (!x->meta_source || !x->meta_subdir)
             ? kg_error_set(x->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory reading the store's settings")
             : KG_OK;
    kg_version_info_clear(&v);
    return rc;
}

/* Commit hex is already in the store (its tree was synced, perhaps from
 * another commit): alias it to the newest version so that
 * kg_sync_find_version finds it. Not over a draft, which is no commit's. */
static int alias_commit(kg_sync_ctx *x, const char *hex)
{
    kg_version_info v;
    int same;

    if (x->latest <= 0 || kg_store_version(x->st, x->latest, &v, NULL) < 0)
        return KG_OK;
    same = !strcmp(v.commit, hex) || v.draft;
    kg_version_info_clear(&v);
    return same ? KG_OK : kg_sync__set_alias(x, hex, x->latest);
}

/* Record x->tree as a version from x->at, diffed against base. */
int kg_sync__commit(kg_sync_ctx *x, git_tree *base)
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
    rc = kg_sync__record(x, &cs, 0, base == NULL || x->latest_draft, "",
                         &made);
    if (rc < 0 || made) goto done;
    /* A new tree whose dataset files are all as stored (only other files
     * changed): no version, but diff from this tree next time. */
    if ((rc = kg_sync__set_state(x)) < 0) goto done;
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
static int sync_ref(kg_sync_ctx *x, git_tree *base)
{
    int rc;

    if (x->intro == NULL &&
        (rc = kg_git__introduced(&x->intro, &x->src, x->commit, x->subdir,
                                 x->err)) < 0)
        return rc;
    kg_sync__aim(x, x->intro, x->ref_tree);
    rc = kg_sync__commit(x, base);
    kg_sync__aim(x, x->commit, x->ref_tree);
    return rc;
}

/* Record the work tree's edits as a draft. stacking: the newest version is
 * a draft of the same commit, and the scan compared against it. */
static int sync_worktree(kg_sync_ctx *x, git_tree *base, int stacking)
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
    if ((rc = kg_sync__record(x, &cs, 1, 0, list, &made)) < 0 || made)
        goto done;
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
static void finish(kg_sync_ctx *x)
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
    if (draft && (n = kg_sync__meta_int(x->st, KG_META_DRAFT_FILES)) >= 0) {
        x->res->files_total = (size_t)n;
        return;
    }
    n = 0;
    if (draft) /* a draft from before the count was kept */
        rc = kg_store_docs(x->st, x->res->version, kg_sync__count_doc, &n,
                           NULL);
    else if ((rc = kg_sync__known_files(x)) == KG_OK)
        n = x->files;
    x->res->files_total = rc == KG_OK && n > 0 ? (size_t)n : 0;
    if (rc < 0 && x->err) kg_error_clear(x->err);
}

int kg_sync_run(kg_store *st, const kg_sync_opts *opts, kg_sync_result *res,
                kg_error *err)
{
    static const kg_sync_opts defaults;
    kg_sync_result scratch;
    kg_sync_ctx x;
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
        (rc = kg_sync__import_history(&x, &base, same_origin)) < 0)
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
    if (rc == KG_OK) rc = kg_sync__set_state(&x);
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
