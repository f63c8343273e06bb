/* test_sync_bundled.c - the bundled dataset as the default source.
 *
 * With no source given and none recorded in the store, a sync reads the
 * bundled repository at subdir dataset/aws-ml; $KGSH_DATASET_REPO points it
 * at another repository laid out like the kgsh sources. Once a store has a
 * source, a sync without one keeps using it.
 */
#include <limits.h>

#include "sync_fixture.h"

static void test_sync_bundled__location(void)
{
    const char *repo = NULL, *subdir = NULL;

    unsetenv("KGSH_DATASET_REPO");
    unsetenv("KGSH_DATASET_SUBDIR");
    kg_dataset_bundled(&repo, &subdir);
    kg_assert(repo != NULL && *repo != '\0');
    kg_assert_str(subdir, "dataset/aws-ml");
    setenv("KGSH_DATASET_REPO", "/some/where.git", 1);
    kg_dataset_bundled(&repo, &subdir);
    kg_assert_str(repo, "/some/where.git");
    unsetenv("KGSH_DATASET_REPO");
}

static void test_sync_bundled__default_source(void)
{
    kg_sync_result res;
    kg_version_info v;
    kg_error err;
    kg_store *st;
    char dir[512], repo[600], other[600], real[PATH_MAX], *meta;

    fx_git_env();
    fx_tmpdir(dir, sizeof dir, "bundled");
    snprintf(repo, sizeof repo, "%s/kgsh", dir);
    fx_git_init(repo);
    fx_note(repo, "dataset/aws-ml/sagemaker.md", "sagemaker", NULL, NULL);
    fx_note(repo, "dataset/aws-ml/bedrock.md", "bedrock", NULL, NULL);
    fx_note(repo, "docs/not-data.md", "docs", NULL, NULL);
    fx_commit(repo, "sources and dataset");
    setenv("KGSH_DATASET_REPO", repo, 1);

    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, NULL, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 2);
    kg_assert(fx_has(st, 1, "sagemaker"));
    kg_assert(!fx_has(st, 1, "docs"));
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert(realpath(repo, real) != NULL);
    kg_assert_str(v.source, real);
    kg_version_info_clear(&v);
    meta = kg_store_meta_get(st, "subdir");
    kg_assert_str(meta, "dataset/aws-ml");
    kg_free(meta);

    /* The store's source wins over the bundled one from now on. */
    snprintf(other, sizeof other, "%s/elsewhere", dir);
    setenv("KGSH_DATASET_REPO", other, 1);
    fx_note(repo, "dataset/aws-ml/bedrock.md", "bedrock", NULL, "New.");
    fx_commit(repo, "edit");
    kg_assert_int(fx_sync(st, NULL, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(res.version, 2);
    unsetenv("KGSH_DATASET_REPO");
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_bundled::location", test_sync_bundled__location},
    {"sync_bundled::default_source", test_sync_bundled__default_source},
    {NULL, NULL},
};

KG_TEST_MAIN
