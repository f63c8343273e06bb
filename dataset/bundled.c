/* bundled.c - where the bundled AWS ML dataset lives.
 *
 * The bundled dataset is not a copy: it is the kgsh source repository
 * itself, read at a commit through the subdir "dataset/aws-ml", so its
 * history is the project's history and `kgsh sync --ref v0.1.0` works on it
 * like on any other repository. Where that repository is depends on how
 * kgsh runs:
 *
 *   1. $KGSH_DATASET_REPO, when set (and $KGSH_DATASET_SUBDIR, when set,
 *      replaces the subdir; empty means the whole repository);
 *   2. installed: a bare repository <prefix>/share/kgsh/aws-ml.git made at
 *      install time, found next to the running executable first (so that
 *      a relocated install still works), then at the configured
 *      KG_INSTALL_DATADIR;
 *   3. in a build tree: the source checkout KG_SOURCE_DIR.
 *
 * An installed binary prefers its own copy over a source checkout that may
 * sit at any commit; a build-tree binary has no installed copy beside it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync_int.h"

#ifndef KG_SOURCE_DIR
#define KG_SOURCE_DIR "."
#endif
#ifndef KG_INSTALL_DATADIR
#define KG_INSTALL_DATADIR "/usr/local/share/kgsh"
#endif

#define BUNDLED_SUBDIR "dataset/aws-ml"
#define BUNDLED_REPO_NAME "aws-ml.git"

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* <exe dir>/../share/kgsh/aws-ml.git when it exists. The result lives in a
 * static buffer: kg_dataset_bundled hands out static strings. */
static const char *beside_executable(void)
{
    static char path[PATH_MAX + 64];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0) return NULL;
    exe[n] = '\0';
    if ((slash = strrchr(exe, '/')) == NULL) return NULL;
    *slash = '\0'; /* the bin directory */
    if ((slash = strrchr(exe, '/')) == NULL) return NULL;
    *slash = '\0'; /* the prefix */
    snprintf(path, sizeof path, "%s/share/kgsh/" BUNDLED_REPO_NAME, exe);
    return is_dir(path) ? path : NULL;
}

void kg_dataset_bundled(const char **repo, const char **subdir)
{
    const char *env = getenv("KGSH_DATASET_REPO");
    const char *envsub = getenv("KGSH_DATASET_SUBDIR");
    const char *p;

    if (subdir) *subdir = envsub ? envsub : BUNDLED_SUBDIR;
    if (repo == NULL) return;
    if (env && *env) {
        *repo = env;
    } else if ((p = beside_executable()) != NULL) {
        *repo = p;
    } else if (is_dir(KG_SOURCE_DIR "/.git")) {
        *repo = KG_SOURCE_DIR;
    } else {
        *repo = KG_INSTALL_DATADIR "/" BUNDLED_REPO_NAME;
    }
}
