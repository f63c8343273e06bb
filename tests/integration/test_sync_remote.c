/* test_sync_remote.c - bare repositories and URL sources through the cache.
 *
 * A file:// URL goes through the same code as a network remote: cloned once
 * into a bare cache (named by the URL's hash), fetched on later syncs,
 * branches and tags resolvable by their remote names. Failures name the URL
 * and leave neither the store nor a half-made cache behind.
 */
#include <dirent.h>

#include "sync_fixture.h"

static char dir[512], repo[600], bare[600], url[700];

static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(bare, sizeof bare, "%s/remote.git", dir);
    snprintf(url, sizeof url, "file://%s", bare);
    fx_git_init(repo);
    fx_note(repo, "a.md", "a", "b", NULL);
    fx_note(repo, "b.md", "b", NULL, NULL);
    fx_commit(repo, "first");
    fx_sh("git -C '%s' tag v1", repo);
    fx_sh("git clone -q --bare '%s' '%s'", repo, bare);
}

/* Number of entries in folder path (0 when missing). */
static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    int n = 0;

    if (d == NULL) return 0;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static int fetch_calls;

static void on_progress(const char *phase, size_t done, size_t total,
                        void *payload)
{
    (void)done;
    (void)total;
    (void)payload;
    if (!strcmp(phase, "fetch")) fetch_calls++;
}

static int sync_url(kg_store *st, const char *source, const char *ref,
                    const char *cache, kg_sync_result *res, kg_error *err)
{
    kg_sync_opts o;

    memset(&o, 0, sizeof o);
    o.source = source;
    o.ref = ref;
    o.cache_dir = cache;
    o.progress = on_progress;
    kg_error_clear(err);
    return kg_sync_run(st, &o, res, err);
}

static void test_sync_remote__bare_source(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;

    setup("bare");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, bare, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 2);
    kg_assert_int(fx_nodes(st, 1), 2);
    kg_assert_int(fx_sync(st, bare, "v1", NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    /* A bare repository has no work tree to read edits from. */
    kg_assert_int(fx_sync(st, bare, NULL, NULL, 1, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "--worktree needs a local repository with a "
                              "work tree;") != NULL);
    kg_assert(strstr(err.msg, "remote.git is bare") != NULL);
    kg_store_close(st);
}

static void test_sync_remote__url_cloned_once_then_fetched(void)
{
    kg_sync_result res;
    kg_version_info v;
    kg_error err;
    kg_store *st;
    char cache[700];
    int64_t vid;

    setup("url");
    snprintf(cache, sizeof cache, "%s/cache", dir);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    fetch_calls = 0;
    kg_assert_int(sync_url(st, url, NULL, cache, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 2);
    kg_assert_int(count_entries(cache), 1);
    kg_assert(fetch_calls > 0); /* the clone reports "fetch" progress */
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert_str(v.source, url);
    kg_assert_str(v.ref, "main");
    kg_version_info_clear(&v);

    /* New commits and a new branch in the remote arrive by fetch. */
    fx_note(repo, "b.md", "b", NULL, "Changed b.");
    fx_commit(repo, "second");
    fx_sh("git -C '%s' branch feature", repo);
    fx_note(repo, "c.md", "c", NULL, NULL);
    fx_commit(repo, "third");
    fx_sh("git -C '%s' push -q '%s' main feature", repo, bare);
    kg_assert_int(sync_url(st, url, "feature", cache, &res, &err), KG_OK);
    kg_assert_int(res.version, 2);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(count_entries(cache), 1);
    kg_assert_int(sync_url(st, url, NULL, cache, &res, &err), KG_OK);
    kg_assert_int(res.version, 3);
    kg_assert(fx_has(st, 3, "c"));
    kg_assert_int(sync_url(st, url, "v1", cache, &res, &err), KG_OK);
    kg_assert_int(res.version, 4);
    kg_assert(!fx_has(st, 4, "c"));

    /* Revisions of a URL source resolve in the cache, without network. */
    kg_assert_int(kg_sync_find_version(st, "feature", &vid, &err), KG_OK);
    kg_assert_int(vid, 2);

    /* The remote disappears: a clear error, the store and cache stay. */
    fx_sh("rm -rf '%s'", bare);
    kg_assert_int(sync_url(st, url, NULL, cache, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "cannot fetch file://") != NULL);
    kg_assert(strstr(err.msg, "the last fetched copy is in ") != NULL);
    kg_assert_int(kg_store_latest(st), 4);
    kg_assert_int(count_entries(cache), 1);
    kg_store_close(st);
}

static void test_sync_remote__xdg_cache_and_failed_clone(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    char xdg[700], repos[800], missing[800];

    setup("xdg");
    snprintf(xdg, sizeof xdg, "%s/xdg", dir);
    snprintf(repos, sizeof repos, "%s/kgsh/repos", xdg);
    setenv("XDG_CACHE_HOME", xdg, 1);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);

    snprintf(missing, sizeof missing, "file://%s/none.git", dir);
    kg_assert_int(sync_url(st, missing, NULL, NULL, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "cannot clone file://") != NULL);
    kg_assert_int(count_entries(repos), 0); /* no half-made clone */
    kg_assert_int(kg_store_latest(st), 0);

    kg_assert_int(sync_url(st, url, NULL, NULL, &res, &err), KG_OK);
    kg_assert_int(count_entries(repos), 1);
    kg_assert_int(fx_sync(st, url, NULL, NULL, 1, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, " is remote") != NULL);
    unsetenv("XDG_CACHE_HOME");
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_remote::bare_source", test_sync_remote__bare_source},
    {"sync_remote::url_cloned_once_then_fetched",
     test_sync_remote__url_cloned_once_then_fetched},
    {"sync_remote::xdg_cache_and_failed_clone",
     test_sync_remote__xdg_cache_and_failed_clone},
    {NULL, NULL},
};

KG_TEST_MAIN
