/* sync_fixture.h - helpers for the sync integration tests.
 *
 * Everything is real: repositories are made by the git CLI in fresh
 * folders under the build tree, stores are SQLite files, and the graph a
 * test checks is what kg_store_load builds from them. git runs with a fixed
 * identity and dates and without the user's or system's config, so runs
 * are repeatable and independent of the machine.
 */
#ifndef KG_SYNC_FIXTURE_H
#define KG_SYNC_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kg_dataset.h"
#include "kg_test.h"

#ifndef KG_TEST_TMPDIR
#define KG_TEST_TMPDIR "/tmp"
#endif

/* Folders made by fx_tmpdir, removed at exit unless KG_TEST_KEEP is set
 * (to look at a failing test's repositories and stores). */
static char fx_dirs[32][512];
static int fx_ndirs;

static inline void fx_cleanup(void)
{
    char cmd[600];
    int i;

    if (getenv("KG_TEST_KEEP")) return;
    for (i = 0; i < fx_ndirs; i++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dirs[i]);
        if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", fx_dirs[i]);
    }
}

/* A fresh folder KG_TEST_TMPDIR/<name>-XXXXXX in out (PATH-sized). */
static inline void fx_tmpdir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s-XXXXXX", KG_TEST_TMPDIR, name);
    if (mkdtemp(out) == NULL) {
        perror(out);
        exit(2);
    }
    if (fx_ndirs == 0) atexit(fx_cleanup);
    if (fx_ndirs < 32) snprintf(fx_dirs[fx_ndirs++], 512, "%s", out);
}

/* Run a shell command built from fmt; returns its exit status. */
static inline int fx_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    if (rc != 0) fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    return rc;
}

/* git identity, dates and config that do not depend on the machine. */
static inline void fx_git_env(void)
{
    static char home[512];

    fx_tmpdir(home, sizeof home, "home");
    setenv("HOME", home, 1);
    setenv("XDG_CONFIG_HOME", home, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("GIT_AUTHOR_NAME", "Ada Tester", 1);
    setenv("GIT_AUTHOR_EMAIL", "ada@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "Ada Tester", 1);
    setenv("GIT_COMMITTER_EMAIL", "ada@example.com", 1);
    setenv("GIT_AUTHOR_DATE", "2024-03-01T12:00:00Z", 1);
    setenv("GIT_COMMITTER_DATE", "2024-03-01T12:00:00Z", 1);
}

/* Write text to dir/rel, creating folders on the way. */
static inline void fx_write(const char *dir, const char *rel,
                            const char *text)
{
    char path[1024], *slash;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (slash = strchr(path + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0777);
        *slash = '/';
    }
    if ((f = fopen(path, "wb")) == NULL) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* A note with an id, a kind and optional related links and body. */
static inline void fx_note(const char *dir, const char *rel, const char *id,
                    const char *related, const char *body)
{
    char text[2048];

    snprintf(text, sizeof text,
             "---\nid: %s\nkind: Concept\nname: %s note\n%s%s%s---\n%s\n",
             id, id, related ? "links:\n  related: [" : "",
             related ? related : "", related ? "]\n" : "",
             body ? body : "Some text.");
    fx_write(dir, rel, text);
}

/* git init a repository at dir with branch main. */
static inline int fx_git_init(const char *dir)
{
    return fx_sh("git init -q -b main '%s'", dir);
}

/* Stage everything and commit with message msg. */
static inline int fx_commit(const char *dir, const char *msg)
{
    return fx_sh("git -C '%s' add -A && git -C '%s' commit -q -m '%s'", dir,
                 dir, msg);
}

/* Full hex id of rev in the repository at dir (out: 41 bytes). */
static inline int fx_rev(const char *dir, const char *rev, char *out)
{
    char cmd[1024];
    FILE *p;
    int ok;

    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse '%s'", dir, rev);
    if ((p = popen(cmd, "r")) == NULL) return -1;
    ok = fscanf(p, "%40s", out) == 1;
    pclose(p);
    return ok ? 0 : -1;
}

static inline kg_store *fx_store(const char *dir, const char *name)
{
    char path[1024];
    kg_store *st = NULL;
    kg_error err;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (kg_store_open(&st, path, KG_STORE_CREATE, &err) < 0) {
        fprintf(stderr, "kg_store_open %s: %s\n", path, err.msg);
        return NULL;
    }
    return st;
}

/* Sync with the given options; prints the error when it fails. */
static inline int fx_sync(kg_store *st, const char *source, const char *ref,
                   const char *subdir, int worktree, kg_sync_result *res,
                   kg_error *err)
{
    kg_sync_opts o;
    int rc;

    memset(&o, 0, sizeof o);
    o.source = source;
    o.ref = ref;
    o.subdir = subdir;
    o.worktree = worktree;
    kg_error_clear(err);
    rc = kg_sync_run(st, &o, res, err);
    if (rc < 0) fprintf(stderr, "sync: %s\n", err->msg);
    return rc;
}

/* Number of live nodes at version vid, or -1. */
static inline long fx_nodes(kg_store *st, int64_t vid)
{
    kg_graph *g = NULL;
    kg_error err;
    long n;

    if (kg_store_load(st, vid, &g, &err) < 0) {
        fprintf(stderr, "kg_store_load: %s\n", err.msg);
        return -1;
    }
    n = (long)kg_graph_count(g, KG_NODE);
    kg_graph_free(g);
    return n;
}

/* 1 when a node with key exists at version vid. */
static inline int fx_has(kg_store *st, int64_t vid, const char *key)
{
    kg_graph *g = NULL;
    kg_error err;
    int found;

    if (kg_store_load(st, vid, &g, &err) < 0) return 0;
    found = kg_graph_node_find(g, key) != KG_NONE;
    kg_graph_free(g);
    return found;
}

/* The string property prop of node key at vid, copied into out ("" if
 * absent). */
static inline void fx_prop(kg_store *st, int64_t vid, const char *key,
                    const char *prop, char *out, size_t size)
{
    kg_graph *g = NULL;
    kg_error err;
    const kg_value *v;
    kg_id n;

    out[0] = '\0';
    if (kg_store_load(st, vid, &g, &err) < 0) return;
    n = kg_graph_node_find(g, key);
    if (n != KG_NONE &&
        (v = kg_graph_prop(g, KG_NODE, n,
                           kg_graph_atom(g, prop, strlen(prop)))) != NULL &&
        v->type == KG_VSTRING)
        snprintf(out, size, "%s", v->u.str->s);
    kg_graph_free(g);
}

/* The node's body text at vid, copied into out. */
static inline void fx_text(kg_store *st, int64_t vid, const char *key,
                           char *out, size_t size)
{
    kg_graph *g = NULL;
    kg_error err;
    kg_id n;

    out[0] = '\0';
    if (kg_store_load(st, vid, &g, &err) < 0) return;
    n = kg_graph_node_find(g, key);
    if (n != KG_NONE) snprintf(out, size, "%s", kg_graph_node_text(g, n));
    kg_graph_free(g);
}

/* Collect diagnostics of vid into one string "path: msg\n...". */
typedef struct {
    char text[4096];
    int count;
} fx_diags;

static inline int fx_diag_cb(const char *path, const kg_diag *d,
                             void *payload)
{
    fx_diags *fd = payload;
    size_t len = strlen(fd->text);
    snprintf(fd->text + len, sizeof fd->text - len, "%s:%u: %s\n", path,
             d->line, d->msg);
    fd->count++;
    return 0;
}

static inline void fx_get_diags(kg_store *st, int64_t vid, fx_diags *fd)
{
    kg_error err;
    memset(fd, 0, sizeof *fd);
    kg_store_diags(st, vid, NULL, fx_diag_cb, fd, &err);
}

#endif /* KG_SYNC_FIXTURE_H */
