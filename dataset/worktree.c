/* worktree.c - uncommitted edits in a local work tree, for `sync --worktree`.
 *
 * The work tree is compared with the store, not with the index: each file
 * kgsh reads is hashed (xxh3, the same content hash the store keeps per
 * document) and compared with kg_store_doc_hash at the newest version. That
 * catches edits whether or not they are staged, needs no SHA-1 of every file
 * and no index, and never writes anything in the repository: libgit2 is used
 * only to find the work tree and to ask whether a new file is ignored.
 *
 * Rules that mirror git.c, so that a clean work tree compares equal to its
 * commit: symbolic links hash their target text (what git stores in the
 * link's blob) and are never followed; a file over the size limit
 * hashes its size; folders holding a ".git" (submodules, nested
 * repositories) are not entered. An untracked file that .gitignore matches
 * is left out; a file the store already holds is read even when ignored.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync_int.h"

typedef struct {
    kg_store *st;
    kg_git_src *src;
    const char *workdir;   /* ends with '/'                               */
    kg_changes *out;
    kg_changes seen;       /* every path found, to spot deletions         */
    kg_stored_set stored;  /* the store's documents at its newest version */
    kg_buf full;           /* scratch: absolute path                      */
    const char *prefix;    /* "" or "subdir/"                             */
    git_tree *tree;        /* the commit's (sub)tree                      */
    kg_error *err;
} scan;

static const git_oid zero_oid;

static int io_fail(kg_error *err, const char *what, const char *path)
{
    return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0}, "cannot %s %s: %s",
                        what, path, strerror(errno));
}

/* Read a whole regular file into a fresh heap buffer (NUL-terminated). */
static int read_file(char **out, size_t *len, const char *path, size_t size,
                     kg_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    char *buf;
    size_t got = 0;
    int rc = KG_OK;

    *out = NULL;
    if (fd < 0) return io_fail(err, "open", path);
    buf = kg_malloc(size + 1);
    if (buf == NULL) {
        close(fd);
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory reading %s", path);
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            rc = io_fail(err, "read", path);
            break;
        }
        if (n == 0) break; /* shrank while we read: take what is there */
        got += (size_t)n;
    }
    close(fd);
    if (rc < 0) {
        kg_free(buf);
        return rc;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return KG_OK;
}

/* Load what path holds into e: the same bytes, hash and skip reason as
 * kg_git__read gives for the committed entry. */
static int load(kg_entry *e, const char *full, kg_error *err)
{
    struct stat sb;
    char target[4096];
    ssize_t n;
    int rc;

    memset(e, 0, sizeof *e);
    if (lstat(full, &sb) != 0) return io_fail(err, "stat", full);
    if (S_ISLNK(sb.st_mode)) {
        if ((n = readlink(full, target, sizeof target)) < 0)
            return io_fail(err, "read link", full);
        e->hash = kg_hash(target, (size_t)n);
        snprintf(e->skip, sizeof e->skip,
                 "skipped: symbolic link to '%.*s' is not followed",
                 (int)(n > 80 ? 80 : n), target);
        return KG_OK;
    }
    if ((uint64_t)sb.st_size > KG_SYNC_MAX_BYTES) {
        e->hash = kg_sync__huge_hash((uint64_t)sb.st_size);
        snprintf(e->skip, sizeof e->skip,
                 "skipped: file of %zu bytes is over the %u-byte limit",
                 (size_t)sb.st_size, (unsigned)KG_SYNC_MAX_BYTES);
        return KG_OK;
    }
    if ((rc = read_file(&e->heap, &e->len, full, (size_t)sb.st_size,
                        err)) < 0)
        return rc;
    e->data = e->heap;
    e->hash = kg_hash(e->data, e->len);
    kg_sync__entry_binary(e);
    return KG_OK;
}

static int set_full(scan *s, const char *path)
{
    kg_buf_reset(&s->full);
    kg_buf_printf(&s->full, "%s%s", s->workdir, path);
    KG_CHECK_ALLOC(s->full.oom ? NULL : s->full.data, s->err);
    return KG_OK;
}

static int ignored(scan *s, const char *path)
{
    int ign = 0;
    return git_ignore_path_is_ignored(&ign, s->src->repo, path) == 0 && ign;
}

/* One file or link: compare with the store and record a change. */
static int visit_file(scan *s, const char *path, uint32_t mode)
{
    const kg_stored *sd = kg_sync__stored_find(&s->stored, path);
    uint64_t stored = sd ? sd->hash : 0;
    kg_entry e;
    int rc;

    if (stored == 0 && ignored(s, path)) return KG_OK;
    if ((rc = kg_sync__change_add(&s->seen, path, &zero_oid, mode,
                                  s->err)) < 0)
        return rc;
    if ((rc = set_full(s, path)) < 0) return rc;
    if ((rc = load(&e, s->full.data, s->err)) < 0) return rc;
    if (e.hash != stored)
        rc = kg_sync__change_add(s->out, path, &zero_oid, mode, s->err);
    kg_sync__entry_free(&e);
    return rc;
}

static int has_git(scan *s, const char *path)
{
    struct stat sb;
    kg_buf_reset(&s->full);
    kg_buf_printf(&s->full, "%s%s/.git", s->workdir, path);
    return !s->full.oom && lstat(s->full.data, &sb) == 0;
}

/* Walk the folder at repository-relative dir ("" or "a/b"). */
static int walk(scan *s, const char *dir)
{
    DIR *d;
    struct dirent *de;
    kg_buf path = KG_BUF_INIT;
    struct stat sb;
    int rc = KG_OK;

    if ((rc = set_full(s, dir)) < 0) return rc;
    if ((d = opendir(s->full.data)) == NULL) {
        /* A folder deleted in the work tree: its files count as deleted. */
        if (errno == ENOENT || errno == ENOTDIR) return KG_OK;
        return io_fail(s->err, "open folder", s->full.data);
    }
    while (rc == KG_OK && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            !strcmp(de->d_name, ".git"))
            continue;
        kg_buf_reset(&path);
        kg_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", de->d_name);
        if (path.oom) {
            rc = kg_error_set(s->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                              "out of memory");
            break;
        }
        if ((rc = set_full(s, path.data)) < 0) break;
        if (lstat(s->full.data, &sb) != 0) continue; /* gone meanwhile */
        if (S_ISDIR(sb.st_mode)) {
            if (!has_git(s, path.data) && !ignored(s, path.data))
                rc = walk(s, path.data);
        } else if (S_ISLNK(sb.st_mode)) {
            if (kg_sync__interesting(path.data, GIT_FILEMODE_LINK))
                rc = visit_file(s, path.data, GIT_FILEMODE_LINK);
        } else if (S_ISREG(sb.st_mode)) {
            if (kg_sync__interesting(path.data, GIT_FILEMODE_BLOB))
                rc = visit_file(s, path.data, GIT_FILEMODE_BLOB);
        }
    }
    closedir(d);
    kg_buf_free(&path);
    return rc;
}

/* A document the store holds that the walk did not find is deleted, unless
 * something still exists at its path (a submodule's folder, a file inside
 * an ignored folder that the walk does not enter) or it is a submodule of
 * the commit (a work tree may not have its folder at all). */
static int check_doc(scan *s, const char *path)
{
    struct stat sb;
    kg_change c;
    int rc;

    if (strncmp(path, s->prefix, strlen(s->prefix)) != 0) return KG_OK;
    if (kg_sync__changes_find(&s->seen, path)) return KG_OK;
    if ((rc = set_full(s, path)) < 0) return rc;
    if (lstat(s->full.data, &sb) == 0) return KG_OK;
    c.path = (char *)path;
    if ((rc = kg_git__lookup(&c, s->tree, s->prefix, s->err)) < 0) return rc;
    if (c.mode == GIT_FILEMODE_COMMIT) return KG_OK;
    return kg_sync__change_add(s->out, path, &zero_oid, 0, s->err);
}

int kg_worktree__scan(kg_changes *out, kg_store *st, kg_git_src *src,
                      git_tree *tree, const char *subdir, kg_error *err)
{
    scan s;
    kg_buf prefix = KG_BUF_INIT;
    int64_t latest = kg_store_latest(st);
    size_t i;
    int rc;

    memset(&s, 0, sizeof s);
    s.st = st;
    s.src = src;
    s.tree = tree;
    s.out = out;
    s.err = err;
    s.workdir = git_repository_workdir(src->repo);
    if (s.workdir == NULL || src->remote)
        return kg_error_set(err, KG_EGIT, NULL, (kg_span){0, 0},
                            "--worktree needs a local repository with a work"
                            " tree; %s is %s", src->source,
                            src->remote ? "remote" : "bare");
    if (*subdir) kg_buf_printf(&prefix, "%s/", subdir);
    else kg_buf_puts(&prefix, "");
    KG_CHECK_ALLOC(prefix.oom ? NULL : prefix.data, err);
    s.prefix = prefix.data;
    /* Hashes as of the newest version, draft included: what
     * kg_store_doc_hash would give, in one query. */
    if (latest > 0 &&
        (rc = kg_sync__stored_load(&s.stored, st, latest, err)) < 0)
        goto done;
    if ((rc = walk(&s, subdir)) < 0) goto done;
    kg_sync__changes_sort(&s.seen);
    for (i = 0; i < s.stored.len && rc == KG_OK; i++)
        rc = check_doc(&s, s.stored.items[i].path);
done:
    kg_sync__stored_free(&s.stored);
    kg_sync__changes_free(&s.seen);
    kg_buf_free(&s.full);
    kg_buf_free(&prefix);
    return rc;
}

int kg_worktree__read(kg_entry *e, kg_git_src *src, const kg_change *c,
                      kg_error *err)
{
    kg_buf full = KG_BUF_INIT;
    int rc;

    kg_buf_printf(&full, "%s%s", git_repository_workdir(src->repo), c->path);
    if (full.oom) {
        kg_buf_free(&full);
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    }
    rc = load(e, full.data, err);
    kg_buf_free(&full);
    return rc;
}

int kg_worktree__lookup(kg_change *c, kg_git_src *src, kg_error *err)
{
    kg_buf full = KG_BUF_INIT;
    struct stat sb;

    c->mode = 0;
    kg_buf_printf(&full, "%s%s", git_repository_workdir(src->repo), c->path);
    if (full.oom) {
        kg_buf_free(&full);
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    }
    if (lstat(full.data, &sb) == 0) {
        if (S_ISLNK(sb.st_mode)) c->mode = GIT_FILEMODE_LINK;
        else if (S_ISREG(sb.st_mode)) c->mode = GIT_FILEMODE_BLOB;
        if (c->mode && !kg_sync__interesting(c->path, c->mode)) c->mode = 0;
    }
    kg_buf_free(&full);
    return KG_OK;
}
