/* history.c - the commits a sync records: first-parent history, and which
 * commit made a (sub)tree what it is.
 *
 * A history import (kg_sync_opts.history) records one version per commit
 * that changed the synced (sub)tree, walking the first-parent chain the way
 * `git log --first-parent` does: on a branch that merges others, that chain
 * is the branch's own story, one step per merge, rather than every commit
 * of every topic branch interleaved by date. The walk stops at what the
 * store already holds (the last synced commit and everything reachable from
 * it), so a re-sync walks nothing.
 *
 * A version synced from a subdir is attributed to the newest commit that
 * changed the subtree, not to the revision asked for: syncing the bundled
 * dataset at a HEAD that only touched code must say "aws-ml corrections
 * after review", not "fix a typo in the parser". The revision itself is
 * then an alias of that version (see sync.c).
 */
#include <string.h>

#include "sync_int.h"

/* The id of c's tree narrowed to subdir: 1 when there is such a folder,
 * 0 when not (missing, or not a folder), negative on a read failure. */
static int subtree_id(git_oid *out, kg_git_src *src, git_commit *c,
                      const char *subdir, kg_error *err)
{
    git_tree *root = NULL;
    git_tree_entry *e = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    int rc;

    if (subdir == NULL || *subdir == '\0') {
        git_oid_cpy(out, git_commit_tree_id(c));
        return 1;
    }
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    if (git_commit_tree(&root, c) != 0)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "cannot read the tree of %s in %s", hex,
                            src->source);
    rc = git_tree_entry_bypath(&e, root, subdir);
    if (rc == GIT_ENOTFOUND) {
        rc = 0;
    } else if (rc != 0) {
        rc = kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                          "cannot look up '%s' at %.7s in %s", subdir, hex,
                          src->source);
    } else if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
        rc = 0;
    } else {
        git_oid_cpy(out, git_tree_entry_id(e));
        rc = 1;
    }
    git_tree_entry_free(e);
    git_tree_free(root);
    return rc;
}

int kg_git__introduced(git_commit **out, kg_git_src *src, git_commit *c,
                       const char *subdir, kg_error *err)
{
    git_commit *cur = NULL, *parent = NULL;
    git_oid want, have;
    int rc = KG_OK;

    *out = NULL;
    if ((rc = subtree_id(&want, src, c, subdir, err)) <= 0)
        return rc < 0 ? rc : kg_error_set(err, KG_ENOTFOUND, NULL,
                                          (kg_span){0, 0},
                                          "subdir '%s' not found in %s",
                                          subdir, src->source);
    if (git_commit_dup(&cur, c) != 0)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    /* Each step reads one commit and the trees on the path to subdir; a
     * whole-repository sync stops at once (every commit has its own root
     * tree but for empty ones). */
    for (;;) {
        if (git_commit_parentcount(cur) == 0) break;
        /* A shallow clone lacks the parents past its boundary: the
         * oldest commit it has is as far back as anyone can tell. */
        if (git_commit_parent(&parent, cur, 0) != 0) {
            git_error_clear();
            break;
        }
        if ((rc = subtree_id(&have, src, parent, subdir, err)) < 0)
            goto done;
        if (rc == 0 || !git_oid_equal(&have, &want)) break;
        git_commit_free(cur);
        cur = parent;
        parent = NULL;
    }
    *out = cur;
    cur = NULL;
    rc = KG_OK;
done:
    git_commit_free(parent);
    git_commit_free(cur);
    return rc;
}

/* Append id to the growing array *ids (*len of *cap). */
static int push_id(git_oid **ids, size_t *len, size_t *cap,
                   const git_oid *id, kg_error *err)
{
    size_t bytes;

    if (*len == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        git_oid *grown;
        if (kg_mul_overflow(&bytes, ncap, sizeof *grown) ||
            (grown = kg_realloc(*ids, bytes)) == NULL)
            return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                "out of memory");
        *ids = grown;
        *cap = ncap;
    }
    git_oid_cpy(&(*ids)[(*len)++], id);
    return KG_OK;
}

/* libgit2 1.5 cannot walk a shallow repository (the revision walk fails on
 * the first missing parent), so its first-parent chain is followed by hand
 * down to the shallow boundary: the oldest commit there is holds the whole
 * tree as of then, and is as far back as a history can go. A commit
 * reachable from since ends the chain; shallow histories are short, so
 * one reachability test per commit is affordable. Newest first. */
static int shallow_chain(git_oid **ids, size_t *len, size_t *cap,
                         kg_git_src *src, git_commit *ref,
                         const git_oid *since, kg_error *err)
{
    git_commit *cur = NULL, *parent = NULL;
    const git_oid *id;
    int rc = KG_OK;

    if (git_commit_dup(&cur, ref) != 0)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    for (;;) {
        id = git_commit_id(cur);
        if (since && (git_oid_equal(id, since) ||
                      git_graph_descendant_of(src->repo, since, id) == 1))
            break;
        if ((rc = push_id(ids, len, cap, id, err)) < 0) break;
        if (git_commit_parentcount(cur) == 0 ||
            git_commit_parent(&parent, cur, 0) != 0)
            break; /* the root, or the shallow boundary */
        git_commit_free(cur);
        cur = parent;
        parent = NULL;
    }
    git_error_clear();
    git_commit_free(cur);
    return rc;
}

int kg_git__first_parents(git_oid **out, size_t *n, kg_git_src *src,
                          git_commit *ref, const git_oid *since,
                          kg_error *err)
{
    git_revwalk *walk = NULL;
    git_oid id, *ids = NULL;
    size_t len = 0, cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (git_repository_is_shallow(src->repo) == 1) {
        if ((rc = shallow_chain(&ids, &len, &cap, src, ref, since, err)) < 0)
            goto done;
        for (cap = 0; cap < len / 2; cap++) { /* oldest first */
            git_oid_cpy(&id, &ids[cap]);
            git_oid_cpy(&ids[cap], &ids[len - 1 - cap]);
            git_oid_cpy(&ids[len - 1 - cap], &id);
        }
        goto found;
    }
    if (git_revwalk_new(&walk, src->repo) != 0 ||
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
                                      GIT_SORT_REVERSE) != 0 ||
        git_revwalk_simplify_first_parent(walk) != 0 ||
        git_revwalk_push(walk, git_commit_id(ref)) != 0 ||
        (since && git_revwalk_hide(walk, since) != 0)) {
        rc = kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                          "cannot walk the history of %s: %s", src->source,
                          git_error_last() ? git_error_last()->message
                                           : "unknown error");
        goto done;
    }
    while ((rc = git_revwalk_next(&id, walk)) == 0)
        if ((rc = push_id(&ids, &len, &cap, &id, err)) < 0) goto done;
    if (rc != GIT_ITEROVER) {
        rc = kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                          "cannot walk the history of %s: %s", src->source,
                          git_error_last() ? git_error_last()->message
                                           : "unknown error");
        goto done;
    }
found:
    *out = ids;
    *n = len;
    ids = NULL;
    rc = KG_OK;
done:
    kg_free(ids);
    git_revwalk_free(walk);
    return rc;
}

int kg_git__step(git_commit **commit, git_tree **tree, kg_git_src *src,
                 const git_oid *id, const char *subdir, kg_error *err)
{
    git_oid sub;
    char hex[GIT_OID_HEXSZ + 1];
    int rc;

    *commit = NULL;
    *tree = NULL;
    git_oid_tostr(hex, sizeof hex, id);
    if (git_commit_lookup(commit, src->repo, id) != 0)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "cannot read commit %.7s in %s", hex,
                            src->source);
    if ((rc = subtree_id(&sub, src, *commit, subdir, err)) <= 0)
        return rc; /* 0: no such folder at this commit */
    if (git_tree_lookup(tree, src->repo, &sub) != 0)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "cannot read '%s' at %.7s in %s", subdir, hex,
                            src->source);
    return 1;
}

/* The commit the committed state was last synced from: the meta, else (a
 * store from before it was kept) the newest committed version's. 1 when
 * the repository has it, 0 when it does not (or none is recorded),
 * negative when the store or the repository cannot be read. */
static int last_synced(kg_sync_ctx *x, git_oid *out)
{
    kg_version_info v;
    git_commit *c = NULL;
    int64_t vid = 0;
    int rc = KG_OK;

    memset(&v, 0, sizeof v);
    if (x->state_hex[0] == '\0' &&
        ((rc = kg_store_versions(x->st, kg_sync__newest_committed, &vid,
                                 x->err)) < 0 ||
         (vid > 0 && (rc = kg_store_version(x->st, vid, &v, x->err)) < 0)))
        return rc;
    if (git_oid_fromstr(out, x->state_hex[0] ? x->state_hex : v.commit) != 0)
        rc = 0;
    else if ((rc = git_commit_lookup(&c, x->src.repo, out)) == 0)
        rc = 1;
    else if (rc == GIT_ENOTFOUND)
        rc = 0;
    else
        rc = kg_error_set(x->err, KG_EGIT, NULL, (kg_span){0, 0},
                          "cannot read commit %.7s in %s: %s",
                          x->state_hex[0] ? x->state_hex : v.commit,
                          x->src.source, git_error_last()
                              ? git_error_last()->message : "unknown error");
    git_commit_free(c);
    kg_version_info_clear(&v);
    return rc;
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
int kg_sync__import_history(kg_sync_ctx *x, git_tree **base,
                            int same_origin)
{
    git_oid since, *ids = NULL;
    git_commit *c = NULL;
    git_tree *t = NULL;
    size_t i, n = 0;
    int rc = KG_OK, have_since = 0;

    if (same_origin && (have_since = last_synced(x, &since)) <= 0)
        return have_since; /* 0: unknown start, REF is synced alone */
    if ((rc = kg_git__first_parents(&ids, &n, &x->src, x->commit,
                                    have_since ? &since : NULL, x->err)) < 0)
        return rc;
    x->steps = n;
    for (i = 0; i < n && rc >= 0; i++) {
        kg_sync__progress(x, "history", i, n);
        if (kg_sync__interrupted(x)) {
            rc = kg_sync__interrupt_error(x);
            break;
        }
        rc = kg_git__step(&c, &t, &x->src, &ids[i], x->subdir, x->err);
        if (rc == 1 &&
            !(*base && git_oid_equal(git_tree_id(*base), git_tree_id(t)))) {
            kg_sync__aim(x, c, t);
            rc = kg_sync__commit(x, *base);
            kg_sync__aim(x, x->commit, x->ref_tree);
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
    if (rc >= 0) kg_sync__progress(x, "history", n, n);
    kg_free(ids);
    return rc < 0 ? rc : KG_OK;
}
