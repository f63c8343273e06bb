/* session.c - the store, sync, versions and the graph cache of one shell.
 *
 * Start-up speed is a feature: `kgsh -c` on an up-to-date store opens the
 * SQLite file, reads the newest version number and loads the one graph the
 * query needs, nothing else. Nothing here touches git unless a sync runs or
 * a revision name (HEAD~1, a tag) must be resolved; the graph is loaded on
 * first use, not at open; the fingerprint is computed only by `status`.
 *
 * Graphs of other versions (`.at`, `USE 'rev'` in a query, `.diff`) are
 * loaded once and kept in a small LRU cache. Versions never change once
 * synced, so a cached graph stays right; the current graph and the one the
 * last result points into are never evicted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shell_int.h"

/* ---- paths ---- */

static int mkdir_p(char *path)
{
    char *p;

    for (p = path + 1; *p != '\0'; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

char *kg_session__xdg_dir(const char *kind, const char *fallback)
{
    char var[32];
    const char *base, *home;
    kg_buf b = KG_BUF_INIT;

    snprintf(var, sizeof var, "XDG_%s_HOME", kind);
    base = getenv(var);
    /* the XDG spec: a relative path in the variable is invalid, ignore it */
    if (base != NULL && base[0] == '/') {
        kg_buf_printf(&b, "%s/kgsh", base);
    } else {
        home = getenv("HOME");
        if (home == NULL || home[0] == '\0') home = ".";
        kg_buf_printf(&b, "%s/%s/kgsh", home, fallback);
    }
    if (b.oom) {
        kg_buf_free(&b);
        return NULL;
    }
    mkdir_p(b.data); /* a failure shows up when the file is opened */
    return kg_buf_detach(&b);
}

/* The last path component of s without a trailing '/' or ".git". */
static void base_name(kg_buf *b, const char *s)
{
    size_t len = strlen(s), start;

    while (len > 1 && s[len - 1] == '/')
        len--;
    start = len;
    while (start > 0 && s[start - 1] != '/' && s[start - 1] != ':')
        start--;
    if (len - start > 4 && memcmp(s + len - 4, ".git", 4) == 0) len -= 4;
    kg_buf_put(b, s + start, len - start);
}

/* The dataset's name: the bundled one is "aws-ml" (its folder); another is
 * named for its repository, plus its subdirectory when one was given, so
 * that two folders of one repository get two stores. */
static char *dataset_name(const kg_shell *sh)
{
    kg_buf b = KG_BUF_INIT;
    const char *repo, *subdir;
    size_t i, mark;

    if (sh->opt_db != NULL && sh->opt_source == NULL) {
        base_name(&b, sh->opt_db);
        if (b.len > 3 && memcmp(b.data + b.len - 3, ".db", 3) == 0)
            b.len -= 3, b.data[b.len] = '\0';
    } else if (sh->opt_source == NULL) {
        kg_dataset_bundled(&repo, &subdir);
        base_name(&b, subdir != NULL && subdir[0] ? subdir : repo);
    } else {
        base_name(&b, sh->opt_source);
        if (sh->opt_subdir != NULL && sh->opt_subdir[0] != '\0') {
            kg_buf_putc(&b, '-');
            mark = b.len;
            kg_buf_puts(&b, sh->opt_subdir);
            for (i = mark; i < b.len; i++)
                if (b.data[i] == '/') b.data[i] = '-';
            while (b.len > mark && b.data[b.len - 1] == '-')
                b.data[--b.len] = '\0';
        }
    }
    if (b.len == 0) kg_buf_puts(&b, "kgsh");
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

/* ---- opening ---- */

static void first_run_note(kg_shell *sh)
{
    const char *repo, *subdir;

    if (sh->opt_source != NULL) {
        kg_shell__notef(sh, "The store %s is empty: syncing %s first.",
                        sh->db_path, sh->opt_source);
        return;
    }
    kg_dataset_bundled(&repo, &subdir);
    kg_shell__notef(
        sh, "First run: syncing the bundled dataset (%s%s%s) into %s.", repo,
        subdir && subdir[0] ? "/" : "", subdir ? subdir : "", sh->db_path);
}

int kg_session__open(kg_shell *sh, int may_sync, kg_error *err)
{
    char *dir = NULL;
    int rc, flags = 0;
    kg_sync_result res;

    sh->dataset = dataset_name(sh);
    KG_CHECK_ALLOC(sh->dataset, err);
    if (sh->opt_db != NULL) {
        sh->db_path = kg_strdup(sh->opt_db);
    } else {
        kg_buf b = KG_BUF_INIT;
        dir = kg_session__xdg_dir("DATA", ".local/share");
        KG_CHECK_ALLOC(dir, err);
        kg_buf_printf(&b, "%s/%s.db", dir, sh->dataset);
        kg_free(dir);
        sh->db_path = b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
    }
    KG_CHECK_ALLOC(sh->db_path, err);
    if (access(sh->db_path, F_OK) != 0)
        flags = KG_STORE_CREATE;
    else if (access(sh->db_path, W_OK) != 0)
        flags = KG_STORE_READONLY;
    rc = kg_store_open(&sh->store, sh->db_path, flags, err);
    if (rc < 0) return rc;
    sh->latest = kg_store_latest(sh->store);
    if (sh->latest == 0 && may_sync) {
        int history = sh->opt_history;
        first_run_note(sh);
        /* the bundled dataset's commits tell how it was built: a fresh
         * store gets one version per commit, so log and .diff show them */
        if (sh->opt_source == NULL) sh->opt_history = 1;
        rc = kg_session__sync(sh, NULL, &res, err);
        sh->opt_history = history;
        if (rc < 0) return rc;
    }
    sh->version = sh->latest;
    if (sh->opt_at != NULL) {
        rc = kg_session__set_version(sh, sh->opt_at, err);
        if (rc < 0) return rc;
    }
    return KG_OK;
}

void kg_session__close(kg_shell *sh)
{
    size_t i;

    for (i = 0; i < KG_SHELL_CACHE; i++) {
        kg_graph_free(sh->cache[i].g);
        sh->cache[i].g = NULL;
    }
    kg_version_info_clear(&sh->vinfo);
    sh->vinfo_vid = 0;
    kg_store_close(sh->store);
    sh->store = NULL;
    kg_free(sh->db_path);
    kg_free(sh->dataset);
    sh->db_path = sh->dataset = NULL;
}

/* ---- versions and graphs ---- */

int kg_session__graph(kg_shell *sh, int64_t vid, kg_graph **out, kg_error *err)
{
    size_t i, slot = KG_SHELL_CACHE;
    kg_graph *g;
    int rc;

    for (i = 0; i < KG_SHELL_CACHE; i++) {
        if (sh->cache[i].g != NULL && sh->cache[i].vid == vid) {
            sh->cache[i].used = ++sh->clock;
            *out = sh->cache[i].g;
            return KG_OK;
        }
    }
    if (vid <= 0)
        return kg_error_set(
            err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
            "the store %s holds no version yet; run 'kgsh sync'", sh->db_path);
    rc = kg_store_load(sh->store, vid, &g, err);
    if (rc < 0) return rc;
    for (i = 0; i < KG_SHELL_CACHE; i++) {
        kg_cache_entry *c = &sh->cache[i];
        if (c->g == NULL) {
            slot = i;
            break;
        }
        if (c->vid == sh->version || c->g == sh->last.g) continue; /* pinned */
        if (slot == KG_SHELL_CACHE || c->used < sh->cache[slot].used) slot = i;
    }
    if (slot == KG_SHELL_CACHE) slot = 0; /* cannot happen with 4 slots */
    kg_graph_free(sh->cache[slot].g);
    sh->cache[slot].g = g;
    sh->cache[slot].vid = vid;
    sh->cache[slot].used = ++sh->clock;
    *out = g;
    return KG_OK;
}

int kg_session__current(kg_shell *sh, kg_graph **out, kg_error *err)
{
    return kg_session__graph(sh, sh->version, out, err);
}

int kg_session__resolve(kg_shell *sh, const char *rev, int64_t *vid,
                        kg_error *err)
{
    if (kg_strcasecmp(rev, "latest") == 0) {
        *vid = sh->latest;
        return KG_OK;
    }
    return kg_git__find_version(sh->store, rev, vid, err);
}

int kg_session__set_version(kg_shell *sh, const char *rev, kg_error *err)
{
    int64_t vid;
    int rc = kg_session__resolve(sh, rev, &vid, err);

    if (rc < 0) return rc;
    if (vid <= 0)
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "the store holds no version yet");
    if (vid != sh->version) kg_complete__reset();
    sh->version = vid;
    return KG_OK;
}

const kg_version_info *kg_session__vinfo(kg_shell *sh, kg_error *err)
{
    if (sh->vinfo_vid != sh->version || sh->version == 0) {
        kg_version_info_clear(&sh->vinfo);
        sh->vinfo_vid = 0;
        if (sh->version == 0) return NULL;
        if (kg_store_version(sh->store, sh->version, &sh->vinfo, err) < 0)
            return NULL;
        sh->vinfo_vid = sh->version;
    }
    return &sh->vinfo;
}

/* ---- sync ---- */

static void sync_summary(kg_shell *sh, FILE *fp, const kg_sync_result *res)
{
    kg_version_info info;
    char sc[16];
    kg_error e;

    memset(&info, 0, sizeof info);
    kg_error_clear(&e);
    if (kg_store_version(sh->store, res->version, &info, &e) < 0)
        info.commit[0] = '\0';
    if (res->unchanged) {
        fprintf(fp, "Already up to date: version %lld (commit %s).\n",
                (long long)res->version, kg_session__short(info.commit, sc));
    } else {
        /* a history import adds one version per commit */
        if (res->versions_added > 1)
            fprintf(fp, "Synced %zu versions, one per commit, up to ",
                    res->versions_added);
        else
            fputs("Synced ", fp);
        fprintf(fp,
                "version %lld (commit %s%s): %zu file%s parsed, "
                "%zu removed, %zu in all; %zu error%s, %zu warning%s.\n",
                (long long)res->version, kg_session__short(info.commit, sc),
                info.draft ? ", with uncommitted edits" : "", res->files_parsed,
                res->files_parsed == 1 ? "" : "s", res->files_removed,
                res->files_total, res->errors, res->errors == 1 ? "" : "s",
                res->warnings, res->warnings == 1 ? "" : "s");
    }
    if (res->errors > 0 || res->warnings > 0)
        fprintf(fp, "Run 'kgsh check' (or .check in the shell) to list the "
                    "diagnostics.\n");
    kg_version_info_clear(&info);
}

int kg_session__sync(kg_shell *sh, FILE *report, kg_sync_result *res,
                     kg_error *err)
{
    kg_sync_opts o;
    kg_progress prog;
    int rc, was_latest = sh->version == sh->latest;

    /* Before the repository is read: on a read-only store the whole sync
     * would only end in this error, after parsing every file. */
    memset(res, 0, sizeof *res);
    if (kg_store_readonly(sh->store))
        return kg_error_set(err, KG_ESTORE, sh->db_path, (kg_span){0, 0},
                            "cannot sync: the store is read-only (the file, "
                            "its folder or its file system cannot be "
                            "written); nothing was changed");

    /* NULL source and subdir: the sync takes what the store was synced
     * from, else the bundled dataset (kg_sync_run documents the order). */
    memset(&o, 0, sizeof o);
    memset(res, 0, sizeof *res);
    o.source = sh->opt_source;
    o.subdir = sh->opt_subdir;
    o.ref = sh->opt_ref;
    o.worktree = sh->opt_worktree;
    o.history = sh->opt_history;
    o.interrupt = &sh->interrupt; /* Ctrl-C rolls the sync back */
    kg_progress__init(&prog);
    o.progress = kg_progress__cb;
    o.payload = &prog;
    rc = kg_git__sync_run(sh->store, &o, res, err);
    kg_progress__done(&prog);
    if (rc < 0) return rc;
    sh->latest = kg_store_latest(sh->store);
    if (was_latest || sh->version == 0) {
        if (sh->version != sh->latest) kg_complete__reset();
        sh->version = sh->latest;
    }
    fflush(stdout);
    sync_summary(sh, report != NULL ? report : stderr, res);
    return KG_OK;
}

/* ---- the query environment ---- */

static kg_graph *env_graph_at(void *payload, const char *rev, int64_t *vid,
                              kg_error *err)
{
    kg_shell *sh = payload;
    kg_graph *g = NULL;

    if (kg_session__resolve(sh, rev, vid, err) < 0) return NULL;
    if (kg_session__graph(sh, *vid, &g, err) < 0) return NULL;
    sh->use_vid = *vid;
    return g;
}

static int env_version_of(void *payload, const char *rev, int64_t *vid,
                          kg_error *err)
{
    return kg_session__resolve(payload, rev, vid, err);
}

int kg_session__env(kg_shell *sh, kg_query_env *env, kg_error *err)
{
    kg_graph *g = NULL;
    int rc = kg_session__current(sh, &g, err);

    if (rc < 0) return rc;
    memset(env, 0, sizeof *env);
    env->graph = g;
    env->store = sh->store;
    env->version = sh->version;
    env->params = sh->params.type == KG_VMAP ? &sh->params : NULL;
    env->graph_at = env_graph_at;
    env->version_of = env_version_of;
    env->payload = sh;
    env->interrupt = &sh->interrupt;
    env->max_rows = sh->max_rows;
    env->max_ms = sh->max_ms;
    env->max_mem = sh->max_mem;
    return KG_OK;
}

/* ---- formatting helpers ---- */

const char *kg_session__short(const char *commit, char buf[16])
{
    if (commit == NULL || commit[0] == '\0') return "-";
    snprintf(buf, 16, "%.7s", commit);
    return buf;
}

const char *kg_session__date(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (t <= 0 || localtime_r(&tt, &tm) == NULL) return "-";
    strftime(buf, 32, "%Y-%m-%d %H:%M", &tm);
    return buf;
}
