/* gitload.c - load the git module (kgsh-git.so) on first use.
 *
 * See git_module.h for why sync lives in a module. The module is looked up
 * where it can be, in order: $KGSH_GIT_MODULE; beside the executable (a
 * build tree); <bindir>/KG_MODULE_RELDIR (an installed, maybe relocated,
 * tree); the configured KG_MODULE_DIR. A missing or mismatched module is
 * an error that says which files were tried, never a crash.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git_module.h"
#include "shell_int.h"

#ifndef KG_MODULE_RELDIR
#define KG_MODULE_RELDIR "../lib/kgsh"
#endif
#ifndef KG_MODULE_DIR
#define KG_MODULE_DIR "/usr/local/lib/kgsh"
#endif

static const kg_git_module *loaded;

static const kg_git_module *try_open(const char *path, kg_buf *tried)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const kg_git_module *m;

    if (h == NULL) {
        if (access(path, F_OK) == 0)
            kg_buf_printf(tried, "; %s: %s", path, dlerror());
        else
            kg_buf_printf(tried, "%s%s", tried->len ? ", " : "", path);
        return NULL;
    }
    m = dlsym(h, KG_GIT_MODULE_SYMBOL);
    if (m == NULL || m->abi != KG_GIT_MODULE_ABI) {
        kg_buf_printf(tried, "; %s is from another kgsh version", path);
        dlclose(h);
        return NULL;
    }
    return m; /* never closed: the process ends first */
}

static const kg_git_module *load(kg_error *err)
{
    char exe[PATH_MAX], path[PATH_MAX + 64], *slash;
    const char *env = getenv("KGSH_GIT_MODULE");
    kg_buf tried = KG_BUF_INIT;
    ssize_t n;

    if (loaded != NULL) return loaded;
    if (env != NULL && env[0] != '\0') {
        loaded = try_open(env, &tried);
    } else {
        n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0 && (exe[n] = '\0', slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/" KG_GIT_MODULE_FILE, exe);
            loaded = try_open(path, &tried);
            if (loaded == NULL) {
                snprintf(path, sizeof path,
                         "%s/" KG_MODULE_RELDIR "/" KG_GIT_MODULE_FILE, exe);
                loaded = try_open(path, &tried);
            }
        }
        if (loaded == NULL)
            loaded = try_open(KG_MODULE_DIR "/" KG_GIT_MODULE_FILE, &tried);
    }
    if (loaded == NULL)
        kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                     "cannot load kgsh's git module (tried %s); reinstall "
                     "kgsh or set KGSH_GIT_MODULE",
                     tried.data != NULL ? tried.data : KG_GIT_MODULE_FILE);
    kg_buf_free(&tried);
    return loaded;
}

int kg_git__sync_run(kg_store *st, const kg_sync_opts *opts,
                     kg_sync_result *res, kg_error *err)
{
    const kg_git_module *m = load(err);

    return m != NULL ? m->sync_run(st, opts, res, err) : KG_EIO;
}

int kg_git__find_version(kg_store *st, const char *rev, int64_t *vid,
                         kg_error *err)
{
    const kg_git_module *m = load(err);

    return m != NULL ? m->find_version(st, rev, vid, err) : KG_EIO;
}
