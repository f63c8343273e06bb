/* test_search.c - full-text search over node names and text, per version. */
#include "store_int.h"
#include "store_test.h"

static int collect(const char *key, double score, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%s%s;", key, score < 0 ? "" : "?");
    return 0;
}

static void test_store_search__names_text_versions(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_buf b = KG_BUF_INIT;
    kg_error err;
    int64_t vid;
    int i;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "sm.md", "sagemaker", NULL, "SageMaker",
                         "Managed training and hosting.", NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "xgb.md", "xgboost", NULL, "XGBoost",
                         "A boosted tree algorithm built into SageMaker, "
                         "with extra training options for training jobs.",
                         NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "old.md", "legacy", NULL, "Legacy",
                         "An obsolete service.", NULL, NULL, 0, &err),
                  KG_OK);
    /* bm25 needs terms to be rare in the corpus to weigh anything. */
    for (i = 0; i < 8; i++) {
        char p[32], k[32];
        snprintf(p, sizeof p, "filler%d.md", i);
        snprintf(k, sizeof k, "filler%d", i);
        kg_assert_int(
            st_put(st, p, k, NULL, NULL, "nothing to see", NULL, NULL, 0, &err),
            KG_OK);
    }
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "old.md", &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    /* A name match ranks above a text mention. */
    kg_assert_int(kg_store_search(st, 1, "sagemaker", collect, &b, &err),
                  KG_OK);
    kg_assert_str(b.data, "sagemaker;xgboost;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_search(st, 1, "training", collect, &b, &err), KG_OK);
    kg_assert(strcmp(b.data, "xgboost;sagemaker;") == 0 ||
              strcmp(b.data, "sagemaker;xgboost;") == 0);
    kg_buf_reset(&b);
    kg_assert_int(kg_store_search(st, 1, "obsolete", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "legacy;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_search(st, 2, "obsolete", collect, &b, &err), KG_OK);
    kg_assert(b.len == 0);
    kg_assert_int(kg_store_search(st, 0, "boost*", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "xgboost;");
    kg_buf_free(&b);

    kg_assert_int(kg_store_search(st, 2, "\"unclosed", collect, &b, &err),
                  KG_ESYNTAX);
    kg_assert(strstr(err.msg, "bad search '\"unclosed': ") == err.msg);
    kg_assert_int(kg_store_search(st, 7, "x", collect, &b, &err), KG_ENOTFOUND);
    kg_store_close(st);
    st_remove(path);
}

static int64_t fts_upto(kg_store *st)
{
    int64_t upto = -1;
    kg_error err;
    return kg_store__fts_upto(st, &upto, &err) == KG_OK ? upto : -1;
}

/* A version bigger than the eager limit leaves its text unindexed; a
 * read-only reader still finds it (through a temporary index), the next
 * writable search catches up, and a writer finds its own unindexed rows. */
static void test_store_search__deferred_index(void)
{
    char path[600];
    kg_store *st = NULL, *ro = NULL;
    kg_buf b = KG_BUF_INIT;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    st->fts_eager = 2;
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, "Alpha", "apple pie", NULL,
                         NULL, 0, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "b.md", "b", NULL, "Beta", "banana split", NULL,
                         NULL, 0, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "c.md", "c", NULL, "Gamma", "cherry apple", NULL,
                         NULL, 0, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(fts_upto(st), 0); /* 3 rows > 2: deferred */

    kg_assert_int(kg_store_open(&ro, path, KG_STORE_READONLY, &err), KG_OK);
    kg_assert_int(kg_store_search(ro, 0, "apple", collect, &b, &err), KG_OK);
    kg_assert(strcmp(b.data, "a;c;") == 0 || strcmp(b.data, "c;a;") == 0);
    kg_buf_reset(&b);
    kg_assert_int(fts_upto(ro), 0); /* a reader cannot catch up */

    kg_assert_int(kg_store_search(st, 0, "banana", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "b;");
    kg_buf_reset(&b);
    kg_assert_int(fts_upto(st), 3);
    kg_assert_int(kg_store_search(ro, 0, "cherry", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "c;");
    kg_buf_reset(&b);

    /* Inside an open version the writer sees its own new text. */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(
        st_put(st, "b.md", "b", NULL, "Beta", "blueberry", NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_search(st, vid, "blueberry", collect, &b, &err),
                  KG_OK);
    kg_assert_str(b.data, "b;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_search(st, vid, "banana", collect, &b, &err), KG_OK);
    kg_assert(b.len == 0);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(fts_upto(st), 4); /* small version: indexed at commit */
    kg_assert_int(kg_store_search(ro, 1, "banana", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "b;");
    kg_buf_free(&b);
    kg_store_close(ro);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::search::deferred_index", test_store_search__deferred_index},
    {"store::search::names_text_versions",
     test_store_search__names_text_versions},
    {NULL, NULL}};

KG_TEST_MAIN
