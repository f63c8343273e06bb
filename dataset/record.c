/* record.c - record one version of the store: every changed path read,
 * compared by content hash, parsed and stored, with the meta that goes
 * with it, in one store transaction.
 *
 * A committed version takes its author, date and message from the commit
 * it is attributed to (a history step, or the commit that made REF's tree;
 * see history.c), a draft from the user and the clock. The meta written
 * with a committed version says where the store now stands (source,
 * subdir, tree, and the commit it was synced from) so that the next sync
 * diffs from there; it is part of the same transaction, so a version and
 * its bookkeeping land together or not at all. kg_sync_opts.interrupt is
 * checked before each file and before the commit: an interrupted version
 * is rolled back whole.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync_int.h"

void kg_sync__progress(kg_sync_ctx *x, const char *phase, size_t done,
                       size_t total)
{
    if (x->opts->progress)
        x->opts->progress(phase, done, total, x->opts->payload);
}

/* Fill the version meta of the commit x->at (or of a draft on top of
 * REF). */
static int version_meta(kg_sync_ctx *x, kg_version_info *v, int draft,
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
static uint64_t stored_hash(kg_sync_ctx *x, const char *path)
{
    const kg_stored *s;

    if (x->empty) return 0;
    if (x->stored == NULL) return kg_store_doc_hash(x->st, path);
    s = kg_sync__stored_find(x->stored, path);
    return s ? s->hash : 0;
}

/*
 * Read and parse one path into p, touching nothing but the source and the
 * preloaded hashes, so that pipeline.c may run it in a second thread (see
 * kg_sync__pipelined for when it may). Parse problems become diagnostics in
 * p->doc; a negative return is a failure to read or out of memory.
 */
int kg_sync__prepare(kg_sync_ctx *x, const kg_change *c, int from_worktree,
                     kg_prepared *p, kg_error *err)
{
    kg_entry e;
    int rc;

    memset(p, 0, sizeof *p);
    p->stored = stored_hash(x, c->path);
    if (c->mode == 0) {
        p->kind = p->stored ? KG_PREP_REMOVE : KG_PREP_SAME;
        return KG_OK;
    }
    rc = from_worktree ? kg_worktree__read(&e, &x->src, c, err)
                       : kg_git__read(&e, &x->src, c, err);
    if (rc < 0) return rc;
    p->hash = e.hash;
    p->kind = KG_PREP_SAME;
    if (e.hash == p->stored) goto done; /* same content as stored */
    if ((rc = kg_doc_init(&p->doc, c->path)) < 0) goto done;
    p->kind = KG_PREP_DOC;
    if (e.skip[0]) {
        rc = kg_doc_diag(&p->doc, KG_SEV_WARNING, 0, 0, "%s", e.skip);
    } else {
        rc = kg_dataset_parse(&p->doc, e.data, e.len, err);
        /* The parsers report problems as diagnostics and fail only when
         * memory runs out; anything else is kept as a diagnostic too, so
         * one file can never stop a sync. */
        if (rc < 0 && rc != KG_ENOMEM) {
            rc = kg_doc_diag(&p->doc, KG_SEV_ERROR, err ? err->line : 0,
                             err ? err->col : 0, "%s",
                             err ? err->msg : kg_status_str(rc));
            if (err) kg_error_clear(err);
        }
    }
    if (rc < 0) kg_sync__prepared_free(p);
done:
    kg_sync__entry_free(&e);
    return rc;
}

void kg_sync__prepared_free(kg_prepared *p)
{
    if (p->kind == KG_PREP_DOC) kg_doc_free(&p->doc);
    p->kind = KG_PREP_SAME;
}

/* Store what kg_sync__prepare made of c, on this thread (it owns the store
 * connection); *wrote set when the store's document changed. p stays for
 * the caller to free (on the thread that made it: see pipeline.c). */
int kg_sync__apply(kg_sync_ctx *x, const kg_change *c, kg_prepared *p,
                   int *wrote)
{
    uint32_t i;
    int rc = KG_OK;

    *wrote = 0;
    if (p->kind == KG_PREP_REMOVE) {
        if ((rc = kg_store_remove_doc(x->st, c->path, x->err)) < 0)
            return rc;
        x->res->files_removed++;
        x->delta--;
        *wrote = 1;
    } else if (p->kind == KG_PREP_DOC) {
        rc = kg_store_put_doc(x->st, &p->doc, p->hash, x->err);
        if (rc == KG_OK) {
            for (i = 0; i < p->doc.ndiags; i++) {
                if (p->doc.diags[i].severity == KG_SEV_ERROR)
                    x->res->errors++;
                else
                    x->res->warnings++;
            }
            x->res->files_parsed++;
            if (p->stored == 0) x->delta++;
            *wrote = 1;
        }
    }
    return rc;
}

static int set_meta(kg_sync_ctx *x, const char *key, const char *val)
{
    return kg_store_meta_set(x->st, key, val, x->err);
}

static int set_meta_int(kg_sync_ctx *x, const char *key, int64_t val)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)val);
    return set_meta(x, key, num);
}

/* A meta value written by set_meta_int, or -1. */
int64_t kg_sync__meta_int(kg_store *st, const char *key)
{
    char *v = kg_store_meta_get(st, key), *end = NULL;
    long long n = v ? strtoll(v, &end, 10) : -1;

    if (v && (end == v || *end != '\0' || n < 0)) n = -1;
    kg_free(v);
    return n;
}

int kg_sync__count_doc(const char *path, uint64_t hash, void *payload)
{
    (void)path;
    (void)hash;
    (*(int64_t *)payload)++;
    return 0;
}

int kg_sync__newest_committed(const kg_version_info *v, void *payload)
{
    if (v->draft) return 0;
    *(int64_t *)payload = v->id;
    return 1; /* newest first: the first non-draft is the one */
}

/* The number of documents in the newest committed version: kept in the
 * meta so that an incremental sync can report "N in all" without counting;
 * counted once for a store that lacks it. */
int kg_sync__known_files(kg_sync_ctx *x)
{
    int64_t vid = 0, n = 0;
    int rc;

    if (x->files >= 0) return KG_OK;
    if ((x->files = kg_sync__meta_int(x->st, KG_META_FILES)) >= 0)
        return KG_OK;
    if (x->latest > 0) {
        rc = kg_store_versions(x->st, kg_sync__newest_committed, &vid, x->err);
        if (rc < 0) return rc;
    }
    if (vid > 0 &&
        (rc = kg_store_docs(x->st, vid, kg_sync__count_doc, &n, x->err)) < 0)
        return rc;
    x->files = n;
    return KG_OK;
}

/* For a URL source, the cache folder it was cloned into, so that
 * kg_sync_find_version resolves revisions in the same clone. */
static int set_cache_meta(kg_sync_ctx *x)
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

int kg_sync__interrupted(const kg_sync_ctx *x)
{
    return x->opts->interrupt != NULL && *x->opts->interrupt != 0;
}

/* What an interrupted sync says: each version is one transaction, so the
 * one in progress is gone and those a history import finished stay (a
 * second sync goes on from there). */
int kg_sync__interrupt_error(kg_sync_ctx *x)
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
void kg_sync__aim(kg_sync_ctx *x, git_commit *c, git_tree *t)
{
    x->at = c;
    x->tree = t;
    git_oid_tostr(x->at_hex, sizeof x->at_hex, git_commit_id(c));
    git_oid_tostr(x->tree_hex, sizeof x->tree_hex, git_tree_id(t));
}

/* Record that commit hex (full) names version vid, unless the meta says
 * so already: kg_sync_find_version looks there for a commit that has no
 * version of its own. */
int kg_sync__set_alias(kg_sync_ctx *x, const char *hex, int64_t vid)
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
int kg_sync__set_state(kg_sync_ctx *x)
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
int kg_sync__record(kg_sync_ctx *x, kg_changes *cs, int draft,
                    int allow_empty, const char *draft_list, int *made)
{
    kg_version_info meta;
    int64_t vid = 0;
    size_t wrote = 0;
    int rc, open_tx = 0;
    char state[GIT_OID_HEXSZ + 1], state_tree[GIT_OID_HEXSZ + 1];

    *made = 0;
    memcpy(state, x->state_hex, sizeof state);
    memcpy(state_tree, x->state_tree, sizeof state_tree);
    if ((rc = kg_sync__known_files(x)) < 0) return rc;
    if ((rc = version_meta(x, &meta, draft, cs->len)) < 0) return rc;
    if ((rc = kg_store_begin(x->st, &meta, &vid, x->err)) < 0) goto done;
    open_tx = 1;
    x->delta = 0;
    if ((rc = kg_sync__apply_all(x, cs, draft, &wrote)) < 0) goto done;
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
            (rc = kg_sync__set_state(x)) < 0 || (rc = set_cache_meta(x)) < 0)
            goto done;
        /* A version of REF's tree from another commit (the one that made
         * it): REF names it too. */
        if (strcmp(x->at_hex, x->commit_hex) != 0 &&
            !strcmp(x->state_hex, x->commit_hex) &&
            (rc = kg_sync__set_alias(x, x->commit_hex, vid)) < 0)
            goto done;
    }
    if ((rc = set_meta(x, KG_META_DRAFT_PATHS, draft_list)) < 0) goto done;
    if (kg_sync__interrupted(x)) {
        rc = kg_sync__interrupt_error(x);
        goto done;
    }
    kg_sync__progress(x, "store", 0, 1);
    if ((rc = kg_store_commit(x->st, x->err)) < 0) goto done;
    open_tx = 0;
    kg_sync__progress(x, "store", 1, 1);
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
