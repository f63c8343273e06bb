/* find.c - name a version of the store by revision or number.
 *
 * "#3" and "3" are version numbers. Anything else is a revision of the
 * store's source repository ("HEAD~2", a tag, a branch, a hex id), resolved
 * in that repository (or in the cache clone of a URL source) and looked up
 * by commit: the version synced from it, else the version its tree was
 * already in when it was synced (the "commit:<hex>" aliases sync.c
 * records). When the repository is gone, a hex id the store knows still
 * names its version.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sync_int.h"

static int all_digits(const char *s)
{
    if (*s == '\0') return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

static int all_hex(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n])) return 0;
    return n >= 4 && n <= GIT_OID_HEXSZ;
}

static int find_number(kg_store *st, const char *num, int64_t *vid,
                       kg_error *err)
{
    kg_version_info v;
    long long n;

    if (!all_digits(num) || strlen(num) > 18)
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "'#%s' is not a version number", num);
    n = strtoll(num, NULL, 10);
    if (n <= 0 || kg_store_version(st, n, &v, NULL) < 0)
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "no version #%lld in the store (the newest is "
                            "#%lld)", n, (long long)kg_store_latest(st));
    kg_version_info_clear(&v);
    *vid = n;
    return KG_OK;
}

/* A commit with no version of its own whose (sub)tree is that of an older
 * commit that has one: a history import skips the commits that leave the
 * subdir as it was (code commits in a repository whose dataset is one
 * folder), and they name the version of the commit that made it so. */
static int by_introducer(kg_store *st, kg_git_src *src, git_commit *c,
                         int64_t *vid)
{
    char *subdir = kg_store_meta_get(st, KG_META_SUBDIR);
    char hex[GIT_OID_HEXSZ + 1];
    git_commit *intro = NULL;
    int rc;

    rc = kg_git__introduced(&intro, src, c, subdir ? subdir : "", NULL);
    kg_free(subdir);
    if (rc < 0) return rc;
    git_oid_tostr(hex, sizeof hex, git_commit_id(intro));
    rc = git_oid_equal(git_commit_id(intro), git_commit_id(c))
             ? KG_ENOTFOUND
             : kg_store_version_by_commit(st, hex, vid, NULL);
    git_commit_free(intro);
    return rc;
}

/* rev resolved in the store's source repository; the commit, then any
 * alias recorded for it when its tree was already in the store, then the
 * version of the commit that made its tree. */
static int find_commit(kg_store *st, const char *source, const char *rev,
                       int64_t *vid, kg_error *err)
{
    kg_git_src src;
    git_commit *c = NULL;
    char hex[GIT_OID_HEXSZ + 1], *alias;
    char *cache = kg_store_meta_get(st, KG_META_CACHE);
    kg_buf key = KG_BUF_INIT;
    int rc;

    rc = kg_git__open(&src, source, cache, 0, NULL, err);
    kg_free(cache);
    if (rc < 0) return rc;
    if ((rc = kg_git__resolve(&c, &src, rev, err)) < 0) goto done;
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    if (kg_store_version_by_commit(st, hex, vid, NULL) == KG_OK) goto done;
    kg_buf_printf(&key, "%s%s", KG_META_COMMIT_ALIAS, hex);
    alias = key.oom ? NULL : kg_store_meta_get(st, key.data);
    if (alias && all_digits(alias)) {
        *vid = strtoll(alias, NULL, 10);
    } else if (by_introducer(st, &src, c, vid) == KG_OK) {
        rc = KG_OK;
    } else {
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "commit %.7s ('%s') was never synced into this "
                          "store; run sync --ref %s first", hex, rev, rev);
    }
    kg_free(alias);
done:
    kg_buf_free(&key);
    git_commit_free(c);
    kg_git__close(&src);
    return rc;
}

int kg_sync_find_version(kg_store *st, const char *rev, int64_t *vid,
                         kg_error *err)
{
    char *source;
    int rc;

    if (rev == NULL || *rev == '\0')
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "empty revision");
    if (*rev == '#') return find_number(st, rev + 1, vid, err);
    if (all_digits(rev)) return find_number(st, rev, vid, err);
    source = kg_store_meta_get(st, KG_META_SOURCE);
    kg_git__init();
    if (source == NULL)
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "cannot resolve '%s': the store was never synced "
                          "from a repository", rev);
    else
        rc = find_commit(st, source, rev, vid, err);
    /* The repository may be gone or moved: a commit id the store knows is
     * still a fine way to name a version. */
    if (rc < 0 && rc != KG_ENOMEM && all_hex(rev) &&
        kg_store_version_by_commit(st, rev, vid, NULL) == KG_OK) {
        rc = KG_OK;
        if (err) kg_error_clear(err);
    }
    kg_free(source);
    return rc;
}
