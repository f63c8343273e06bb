/* git.c - the sync's door to libgit2: sources, revisions, trees and blobs.
 *
 * A source is a local repository (bare or with a work tree) or a URL. A URL
 * is cloned once into a bare repository under the cache directory, named by
 * the xxh3 of the URL, and fetched on later syncs. The cache mirrors the
 * remote's branches and tags under their own names (refs/heads/NAME,
 * refs/tags/NAME), so a revision such as "main", "v1.0" or "main~2" means the
 * same thing as it does in the remote. A clone goes into a temporary
 * directory that is renamed into place only when the fetch succeeded, so an
 * interrupted clone never leaves a half-made cache behind.
 *
 * Everything here reads: no index, work tree or ref of a local source is
 * ever written. libgit2 errors are turned into kg_error right where a call
 * fails, with the source, revision or path the user typed in the message.
 */
#include <errno.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync_int.h"

/* ---- library state ---- */

/* libgit2 is initialised once per process and never shut down: with the
 * mbedTLS backend, git_libgit2_init loads the system's CA certificates,
 * about 10 ms, which is a fifth of an incremental sync's budget and would
 * be paid again by every sync in a shell session. The state stays reachable
 * until exit. kgsh is single-threaded; a race here would only count one
 * more reference. */
void kg_git__init(void)
{
    static int done;

    if (done) return;
    git_libgit2_init();
    /* Like git itself, do not re-hash every object read: it costs a third
     * of the time spent reading blobs (SHA-1 over each one), and the object
     * database is checked by `git fsck`, not by every reader. */
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    done = 1;
}

/* ---- errors ---- */

/* Set err to "<what>: <libgit2's last message>" and return code. */
static int git_fail(kg_error *err, int code, const char *fmt, ...)
{
    char what[200];
    const git_error *ge = git_error_last();
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ge && ge->message && *ge->message)
        return kg_error_set(err, code, NULL, (kg_span){0, 0}, "%s: %s", what,
                            ge->message);
    return kg_error_set(err, code, NULL, (kg_span){0, 0}, "%s", what);
}

/* ---- file-system helpers for the cache ---- */

/* mkdir -p; the directories may already exist. */
static int make_dirs(const char *path, kg_error *err)
{
    char *p = kg_strdup(path), *s;
    int rc = KG_OK;

    KG_CHECK_ALLOC(p, err);
    for (s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                                  "cannot create cache directory %s: %s", p,
                                  strerror(errno));
                break;
            }
            *s = c;
            if (c == '\0') break;
        }
    }
    kg_free(p);
    return rc;
}

/* rm -rf of a directory this file created (a failed clone); symbolic links
 * are removed, never followed. Best effort: a leftover is only clutter. */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    kg_buf b = KG_BUF_INIT;
    struct stat sb;

    if (d == NULL) {
        unlink(path);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        kg_buf_reset(&b);
        if (kg_buf_printf(&b, "%s/%s", path, de->d_name) < 0) break;
        if (lstat(b.data, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_tree(b.data);
        else
            unlink(b.data);
    }
    closedir(d);
    kg_buf_free(&b);
    rmdir(path);
}

/* The cache root: cache_dir, else $XDG_CACHE_HOME/kgsh/repos, else
 * $HOME/.cache/kgsh/repos. Caller frees. */
static char *cache_root(const char *cache_dir)
{
    kg_buf b = KG_BUF_INIT;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

    if (cache_dir && *cache_dir)
        kg_buf_puts(&b, cache_dir);
    else if (xdg && *xdg == '/')
        kg_buf_printf(&b, "%s/kgsh/repos", xdg);
    else
        kg_buf_printf(&b, "%s/.cache/kgsh/repos",
                      home && *home ? home : "/tmp");
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

/* ---- sources ---- */

int kg_git__is_url(const char *s)
{
    const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

    if (strstr(s, "://")) return 1;
    /* scp-like [user@]host:path: a colon before any slash, after a host
     * name longer than one letter (so "C:..." is never taken for one). */
    return colon && colon - s > 1 && (slash == NULL || colon < slash);
}

static int on_transfer(const git_indexer_progress *st, void *payload)
{
    const kg_sync_opts *opts = payload;

    if (opts && opts->progress)
        opts->progress("fetch", st->received_objects, st->total_objects,
                       opts->payload);
    return 0;
}

/* Point the cache's HEAD where the remote's HEAD points, so that the default
 * revision "HEAD" means the remote's default branch. The advertised refs
 * stay readable after the fetch disconnected. */
static void follow_remote_head(git_repository *repo, git_remote *remote)
{
    const git_remote_head **heads;
    size_t n, i;
    git_reference *ref;

    if (git_remote_ls(&heads, &n, remote) != 0) return;
    for (i = 0; i < n; i++) {
        if (strcmp(heads[i]->name, "HEAD") != 0) continue;
        if (heads[i]->symref_target &&
            git_reference_lookup(&ref, repo, heads[i]->symref_target) == 0) {
            git_reference_free(ref);
            git_repository_set_head(repo, heads[i]->symref_target);
        } else if (!git_oid_is_zero(&heads[i]->oid)) {
            git_repository_set_head_detached(repo, &heads[i]->oid);
        }
        return;
    }
}

static int fetch(git_repository *repo, const char *url, const char *path,
                 int fresh, const kg_sync_opts *opts, kg_error *err)
{
    git_fetch_options fo;
    git_remote *remote = NULL;
    int rc;

    /* The _init calls, not the INIT macros: the macros leave fields out and
     * -Wmissing-field-initializers is an error here. */
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.callbacks.transfer_progress = on_transfer;
    fo.callbacks.payload = (void *)opts;
    fo.prune = GIT_FETCH_PRUNE;
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE; /* refspec has them */
    if (git_remote_lookup(&remote, repo, "origin") != 0)
        return git_fail(err, KG_EGIT, "cache %s for %s has no remote 'origin'"
                        " (remove it to clone again)", path, url);
    rc = git_remote_fetch(remote, NULL, &fo, "kgsh sync");
    if (rc != 0) {
        if (fresh)
            rc = git_fail(err, KG_EGIT, "cannot clone %s", url);
        else
            rc = git_fail(err, KG_EGIT, "cannot fetch %s (the last fetched "
                          "copy is in %s)", url, path);
        goto done;
    }
    follow_remote_head(repo, remote);
done:
    git_remote_free(remote);
    return rc;
}

/* Clone url into a fresh bare repository at path, through a temporary
 * directory renamed into place on success. */
static int clone_bare(git_repository **out, const char *url, const char *path,
                      const kg_sync_opts *opts, kg_error *err)
{
    kg_buf tmp = KG_BUF_INIT;
    git_repository *repo = NULL;
    git_remote *remote = NULL;
    int rc;

    if (kg_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid()) < 0)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    remove_tree(tmp.data);
    if (git_repository_init(&repo, tmp.data, 1) != 0) {
        rc = git_fail(err, KG_EGIT, "cannot create cache %s", tmp.data);
        goto done;
    }
    if (git_remote_create_with_fetchspec(&remote, repo, "origin", url,
                                         "+refs/heads/*:refs/heads/*") != 0 ||
        git_remote_add_fetch(repo, "origin", "+refs/tags/*:refs/tags/*") != 0) {
        rc = git_fail(err, KG_EGIT, "cannot clone %s", url);
        goto done;
    }
    if ((rc = fetch(repo, url, path, 1, opts, err)) < 0) goto done;
    git_repository_free(repo);
    repo = NULL;
    if (rename(tmp.data, path) != 0) {
        rc = kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                          "cannot move clone of %s to %s: %s", url, path,
                          strerror(errno));
        goto done;
    }
    if (git_repository_open_bare(out, path) != 0)
        rc = git_fail(err, KG_EGIT, "cannot open cache %s", path);
done:
    git_remote_free(remote);
    git_repository_free(repo);
    if (rc < 0) remove_tree(tmp.data);
    kg_buf_free(&tmp);
    return rc;
}

static int open_remote(kg_git_src *src, const char *url, const char *cache_dir,
                       int do_fetch, const kg_sync_opts *opts, kg_error *err)
{
    char *root = cache_root(cache_dir);
    kg_buf path = KG_BUF_INIT;
    struct stat sb;
    int rc;

    KG_CHECK_ALLOC(root, err);
    src->remote = 1;
    src->source = kg_strdup(url);
    kg_buf_printf(&path, "%s/%016llx", root,
                  (unsigned long long)kg_hash(url, strlen(url)));
    if (src->source == NULL || path.oom) {
        rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
        goto done;
    }
    if ((rc = make_dirs(root, err)) < 0) goto done;
    if (stat(path.data, &sb) == 0) {
        if (git_repository_open_bare(&src->repo, path.data) != 0) {
            rc = git_fail(err, KG_EGIT, "cache %s for %s is not a repository"
                          " (remove it to clone again)", path.data, url);
            goto done;
        }
        if (do_fetch)
            rc = fetch(src->repo, url, path.data, 0, opts, err);
    } else if (do_fetch) {
        rc = clone_bare(&src->repo, url, path.data, opts, err);
    } else {
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "%s has not been cloned yet (no %s); sync it first",
                          url, path.data);
    }
    if (rc == KG_OK) src->path = kg_buf_detach(&path);
done:
    kg_buf_free(&path);
    kg_free(root);
    return rc;
}

static int open_local(kg_git_src *src, const char *source, kg_error *err)
{
    char *abs = realpath(source, NULL);
    int rc;

    if (abs == NULL)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "%s: not a git repository: %s", source,
                            strerror(errno));
    src->source = kg_strdup(abs);
    src->path = kg_strdup(abs);
    free(abs);
    if (src->source == NULL || src->path == NULL)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    /* No upward search: a folder inside a repository is reported, not
     * silently widened to the whole repository (that is what --subdir is
     * for). */
    rc = git_repository_open_ext(&src->repo, src->path,
                                 GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
    if (rc == GIT_ENOTFOUND)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "%s: not a git repository", source);
    if (rc != 0)
        return git_fail(err, KG_EGIT, "%s: cannot open repository", source);
    return KG_OK;
}

int kg_git__open(kg_git_src *out, const char *source, const char *cache_dir,
                 int fetch_remote, const kg_sync_opts *opts, kg_error *err)
{
    struct stat sb;
    int rc;

    memset(out, 0, sizeof *out);
    if (source == NULL || *source == '\0')
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "no dataset source given");
    if (strstr(source, "://") || (stat(source, &sb) != 0 &&
                                  kg_git__is_url(source)))
        rc = open_remote(out, source, cache_dir, fetch_remote, opts, err);
    else
        rc = open_local(out, source, err);
    if (rc == KG_OK && git_repository_odb(&out->odb, out->repo) != 0)
        rc = git_fail(err, KG_EGIT, "%s: cannot open object database",
                      source);
    if (rc < 0) kg_git__close(out);
    return rc;
}

void kg_git__close(kg_git_src *src)
{
    if (src == NULL) return;
    git_odb_free(src->odb);
    git_repository_free(src->repo);
    kg_free(src->source);
    kg_free(src->path);
    memset(src, 0, sizeof *src);
}

/* ---- revisions and trees ---- */

int kg_git__resolve(git_commit **out, kg_git_src *src, const char *rev,
                    kg_error *err)
{
    git_object *obj = NULL, *peeled = NULL;
    int rc;

    *out = NULL;
    rc = git_revparse_single(&obj, src->repo, rev);
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC ||
        rc == GIT_EUNBORNBRANCH) {
        /* is_empty would compare HEAD with "master"; unborn is exact. */
        if (git_repository_head_unborn(src->repo) == 1)
            return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                                "unknown revision '%s' in %s: the repository"
                                " has no commits", rev, src->source);
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "unknown revision '%s' in %s", rev, src->source);
    }
    if (rc == GIT_EAMBIGUOUS)
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "ambiguous revision '%s' in %s", rev,
                            src->source);
    if (rc != 0)
        return git_fail(err, KG_EGIT, "cannot resolve '%s' in %s", rev,
                        src->source);
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) {
        rc = kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                          "revision '%s' in %s is a %s, not a commit", rev,
                          src->source,
                          git_object_type2string(git_object_type(obj)));
        goto done;
    }
    *out = (git_commit *)peeled;
    rc = KG_OK;
done:
    git_object_free(obj);
    return rc;
}

int kg_git__subtree(git_tree **out, kg_git_src *src, git_commit *c,
                    const char *subdir, const char *rev, kg_error *err)
{
    git_tree *root = NULL;
    git_tree_entry *entry = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    int rc;

    *out = NULL;
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    if (git_commit_tree(&root, c) != 0)
        return git_fail(err, KG_EGIT, "cannot read the tree of %s in %s",
                        hex, src->source);
    if (subdir == NULL || *subdir == '\0') {
        *out = root;
        return KG_OK;
    }
    rc = git_tree_entry_bypath(&entry, root, subdir);
    if (rc == GIT_ENOTFOUND) {
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "subdir '%s' not found in %s at %s (%.7s)", subdir,
                          src->source, rev, hex);
        goto done;
    }
    if (rc != 0) {
        rc = git_fail(err, KG_EGIT, "cannot look up '%s' in %s", subdir,
                      src->source);
        goto done;
    }
    if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "subdir '%s' in %s at %s (%.7s) is not a directory",
                          subdir, src->source, rev, hex);
        goto done;
    }
    if (git_tree_lookup(out, src->repo, git_tree_entry_id(entry)) != 0)
        rc = git_fail(err, KG_EGIT, "cannot read '%s' in %s", subdir,
                      src->source);
done:
    git_tree_entry_free(entry);
    git_tree_free(root);
    return rc;
}

int kg_git__tree(git_tree **out, kg_git_src *src, const char *hex)
{
    git_oid oid;

    *out = NULL;
    if (hex == NULL || git_oid_fromstr(&oid, hex) != 0) return KG_ENOTFOUND;
    return git_tree_lookup(out, src->repo, &oid) == 0 ? KG_OK : KG_ENOTFOUND;
}

/* ---- changes between two trees ---- */

/* libgit2's git_diff_tree_to_tree expands every subtree on both sides even
 * when their ids are equal: at 100,000 notes in 100 folders, a one-note
 * change took most of a second. This walk does what `git diff-tree` does
 * instead: an entry whose id and mode are unchanged is skipped whole, so an
 * incremental sync reads only the trees on the path to what changed. Either
 * side may be NULL (an empty tree): a full sync is the same walk with no
 * old tree. */
typedef struct {
    kg_changes *out;
    kg_git_src *src;
    kg_buf path;    /* repository-relative path of the current folder */
    kg_error *err;
} tree_walk;

static int walk_trees(tree_walk *w, const git_tree *old_tree,
                      const git_tree *new_tree);

/* Emit the entry e (from the new tree when present, else removed). */
static int emit(tree_walk *w, const git_tree_entry *e, int present)
{
    static const git_oid zero;
    uint32_t mode = git_tree_entry_filemode(e);

    if (!kg_sync__interesting(w->path.data, mode)) return KG_OK;
    return kg_sync__change_add(w->out, w->path.data,
                               present ? git_tree_entry_id(e) : &zero,
                               present ? mode : 0, w->err);
}

/* Descend into the subtrees o and n (either may be NULL) named by the
 * entry, with the path extended by its name. */
static int descend(tree_walk *w, const git_tree_entry *o,
                   const git_tree_entry *n)
{
    git_tree *ot = NULL, *nt = NULL;
    int rc = KG_OK;

    if (o && git_tree_lookup(&ot, w->src->repo, git_tree_entry_id(o)) != 0)
        rc = git_fail(w->err, KG_EGIT, "cannot read tree %s in %s",
                      w->path.data, w->src->source);
    if (rc == KG_OK && n &&
        git_tree_lookup(&nt, w->src->repo, git_tree_entry_id(n)) != 0)
        rc = git_fail(w->err, KG_EGIT, "cannot read tree %s in %s",
                      w->path.data, w->src->source);
    if (rc == KG_OK) {
        kg_buf_putc(&w->path, '/');
        rc = w->path.oom ? kg_error_set(w->err, KG_ENOMEM, NULL,
                                        (kg_span){0, 0}, "out of memory")
                         : walk_trees(w, ot, nt);
    }
    git_tree_free(ot);
    git_tree_free(nt);
    return rc;
}

/* One entry name present in old (o), new (n) or both. */
static int compare_entry(tree_walk *w, const git_tree_entry *o,
                         const git_tree_entry *n)
{
    const git_tree_entry *e = n ? n : o;
    size_t mark = w->path.len;
    int otree = o && git_tree_entry_type(o) == GIT_OBJECT_TREE;
    int ntree = n && git_tree_entry_type(n) == GIT_OBJECT_TREE;
    int rc = KG_OK;

    if (o && n && git_tree_entry_filemode(o) == git_tree_entry_filemode(n) &&
        git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(n)))
        return KG_OK; /* the same blob, or the same whole subtree */
    kg_buf_puts(&w->path, git_tree_entry_name(e));
    if (w->path.oom)
        return kg_error_set(w->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    if (otree || ntree) rc = descend(w, otree ? o : NULL, ntree ? n : NULL);
    /* A file replaced by a folder (or back) is removed, or added. */
    w->path.len = mark + strlen(git_tree_entry_name(e));
    w->path.data[w->path.len] = '\0';
    if (rc == KG_OK && n && !ntree &&
        kg_sync__interesting(w->path.data, git_tree_entry_filemode(n)))
        rc = emit(w, n, 1);
    else if (rc == KG_OK && o && !otree)
        rc = emit(w, o, 0); /* gone, or no longer a file kgsh reads */
    w->path.len = mark;
    w->path.data[mark] = '\0';
    return rc;
}

static int walk_trees(tree_walk *w, const git_tree *old_tree,
                      const git_tree *new_tree)
{
    size_t i, n, mark = w->path.len;
    int rc = KG_OK;

    n = new_tree ? git_tree_entrycount(new_tree) : 0;
    for (i = 0; i < n && rc == KG_OK; i++) {
        const git_tree_entry *ne = git_tree_entry_byindex(new_tree, i);
        const git_tree_entry *oe =
            old_tree ? git_tree_entry_byname(old_tree, git_tree_entry_name(ne))
                     : NULL;
        rc = compare_entry(w, oe, ne);
    }
    n = old_tree ? git_tree_entrycount(old_tree) : 0;
    for (i = 0; i < n && rc == KG_OK; i++) {
        const git_tree_entry *oe = git_tree_entry_byindex(old_tree, i);
        if (new_tree && git_tree_entry_byname(new_tree,
                                              git_tree_entry_name(oe)))
            continue; /* seen from the new side */
        rc = compare_entry(w, oe, NULL);
    }
    w->path.len = mark;
    if (w->path.data) w->path.data[mark] = '\0';
    return rc;
}

int kg_git__diff(kg_changes *out, kg_git_src *src, git_tree *old_tree,
                 git_tree *new_tree, const char *prefix, kg_error *err)
{
    tree_walk w;
    int rc;

    memset(&w, 0, sizeof w);
    w.out = out;
    w.src = src;
    w.err = err;
    kg_buf_puts(&w.path, prefix);
    if (w.path.oom)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    rc = walk_trees(&w, old_tree, new_tree);
    kg_buf_free(&w.path);
    return rc;
}

int kg_git__lookup(kg_change *c, git_tree *tree, const char *prefix,
                   kg_error *err)
{
    size_t plen = strlen(prefix);
    git_tree_entry *e = NULL;
    int rc;

    c->mode = 0;
    if (strncmp(c->path, prefix, plen) != 0) return KG_OK;
    rc = git_tree_entry_bypath(&e, tree, c->path + plen);
    if (rc == GIT_ENOTFOUND) return KG_OK;
    if (rc != 0) return git_fail(err, KG_EGIT, "cannot look up %s", c->path);
    if (kg_sync__interesting(c->path, git_tree_entry_filemode(e))) {
        git_oid_cpy(&c->oid, git_tree_entry_id(e));
        c->mode = git_tree_entry_filemode(e);
    }
    git_tree_entry_free(e);
    return KG_OK;
}

/* ---- reading one entry ---- */

int kg_git__read(kg_entry *e, kg_git_src *src, const kg_change *c,
                 kg_error *err)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_object_t type;
    size_t size;

    memset(e, 0, sizeof *e);
    if (c->mode == GIT_FILEMODE_COMMIT) {
        e->hash = kg_hash(c->oid.id, GIT_OID_RAWSZ);
        snprintf(e->skip, sizeof e->skip,
                 "skipped: submodule at commit %.7s is not read",
                 git_oid_tostr(hex, sizeof hex, &c->oid));
        return KG_OK;
    }
    /* The size first, so that a huge blob is never inflated into memory.
     * For a deltified blob this inflates the delta's header (a tenth of
     * the cost of reading blobs at 100,000 notes); there is no cheaper
     * way to ask libgit2 how large an object is. */
    if (git_odb_read_header(&size, &type, src->odb, &c->oid) != 0)
        return git_fail(err, KG_EGIT, "cannot read %s (blob %.7s) in %s",
                        c->path, git_oid_tostr(hex, sizeof hex, &c->oid),
                        src->source);
    if (c->mode != GIT_FILEMODE_LINK && size > KG_SYNC_MAX_BYTES) {
        e->hash = kg_sync__huge_hash(size);
        snprintf(e->skip, sizeof e->skip,
                 "skipped: file of %zu bytes is over the %u-byte limit",
                 size, (unsigned)KG_SYNC_MAX_BYTES);
        return KG_OK;
    }
    if (git_blob_lookup(&e->blob, src->repo, &c->oid) != 0)
        return git_fail(err, KG_EGIT, "cannot read %s (blob %.7s) in %s",
                        c->path, git_oid_tostr(hex, sizeof hex, &c->oid),
                        src->source);
    e->data = git_blob_rawcontent(e->blob);
    e->len = (size_t)git_blob_rawsize(e->blob);
    e->hash = kg_hash(e->data, e->len);
    if (c->mode == GIT_FILEMODE_LINK) {
        /* The blob of a link holds its target; it is reported, never
         * followed, so a link cannot pull in files from outside. */
        snprintf(e->skip, sizeof e->skip,
                 "skipped: symbolic link to '%.*s' is not followed",
                 (int)(e->len > 80 ? 80 : e->len), e->data);
        e->data = NULL;
        e->len = 0;
        return KG_OK;
    }
    kg_sync__entry_binary(e);
    return KG_OK;
}
