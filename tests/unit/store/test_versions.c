/* test_versions.c - every synced version stays loadable: version ranges,
 * change counts, version metadata and lookup by commit. */
#include "store_test.h"

/* v1: a (links to b), b. v2: a changed (weight 2, new link). v3: b removed. */
static kg_store *three_versions(char *path, size_t n)
{
    kg_store *st = NULL;
    kg_error err;
    int64_t v;

    if (st_tmpfile(path, n, "kg.db") < 0) return NULL;
    if (kg_store_open(&st, path, KG_STORE_CREATE, &err) < 0) return NULL;
    if (st_begin(st, "1111111111111111111111111111111111111111", 0, &v, &err) <
            0 ||
        st_put(st, "a.md", "a", "Service", "Alpha", "about b", "MENTIONS>b",
               "weight", 1, &err) < 0 ||
        st_put(st, "b.md", "b", "Concept", "Beta", "beta text", NULL, NULL, 0,
               &err) < 0 ||
        kg_store_commit(st, &err) < 0)
        goto fail;
    if (st_begin(st, "2222222222222222222222222222222222222222", 0, &v, &err) <
            0 ||
        st_put(st, "a.md", "a", "Service", "Alpha", "about b",
               "MENTIONS>b;USES>Beta", "weight", 2, &err) < 0 ||
        kg_store_commit(st, &err) < 0)
        goto fail;
    if (st_begin(st, "2233333333333333333333333333333333333333", 0, &v, &err) <
            0 ||
        kg_store_remove_doc(st, "b.md", &err) < 0 ||
        kg_store_commit(st, &err) < 0)
        goto fail;
    return st;
fail:
    fprintf(stderr, "setup: %s\n", err.msg);
    kg_store_close(st);
    return NULL;
}

static void test_store_versions__load_each(void)
{
    char path[600];
    kg_store *st = three_versions(path, sizeof path);
    kg_graph *g = NULL;
    kg_error err;

    kg_assert(st != NULL);
    kg_assert_int(kg_store_latest(st), 3);

    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 2);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 1);
    kg_assert_int(st_prop_int(g, "a", "weight"), 1);
    kg_graph_free(g);

    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 2);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 2); /* USES>Beta by name */
    kg_assert_int(st_prop_int(g, "a", "weight"), 2);
    kg_graph_free(g);

    kg_assert_int(kg_store_load(st, 3, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 0); /* b is gone */
    kg_assert(kg_graph_node_find(g, "b") == KG_NONE);
    kg_graph_free(g);

    /* 0 = newest; a missing version is reported. */
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_graph_free(g);
    kg_assert_int(kg_store_load(st, 9, &g, &err), KG_ENOTFOUND);
    kg_assert(g == NULL);
    kg_assert_str(err.msg, "no version 9 in this store");
    kg_store_close(st);

    /* Everything survives closing and reopening. */
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 2);
    kg_assert(kg_graph_node_find(g, "b") != KG_NONE);
    kg_assert_str(kg_graph_node_text(g, kg_graph_node_find(g, "b")),
                  "beta text");
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_versions__change_counts(void)
{
    char path[600];
    kg_store *st = three_versions(path, sizeof path);
    kg_version_info v;
    kg_error err;

    kg_assert(st != NULL);
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert_int(v.nodes_added, 2);
    kg_assert_int(v.edges_added, 1);
    kg_assert_int(v.nodes_changed + v.nodes_removed, 0);
    kg_assert_str(v.commit, "1111111111111111111111111111111111111111");
    kg_assert_str(v.message, "test");
    kg_assert_int(v.time, 1700000000);
    kg_assert(v.synced_at > 0);
    kg_version_info_clear(&v);

    /* a changed; MENTIONS>b rewritten unchanged, USES>Beta added */
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert_int(v.nodes_added, 0);
    kg_assert_int(v.nodes_changed, 1);
    kg_assert_int(v.nodes_removed, 0);
    kg_assert_int(v.edges_added, 1);
    kg_assert_int(v.edges_changed, 0);
    kg_assert_int(v.edges_removed, 0);
    kg_version_info_clear(&v);

    kg_assert_int(kg_store_version(st, 3, &v, &err), KG_OK);
    kg_assert_int(v.nodes_removed, 1);
    kg_assert_int(v.nodes_added + v.nodes_changed, 0);
    kg_assert_int(v.edges_removed + v.edges_added, 0);
    kg_version_info_clear(&v);
    kg_store_close(st);
    st_remove(path);
}

static int collect_path(const char *path, uint64_t hash, void *payload)
{
    kg_buf *b = payload;
    (void)hash;
    kg_buf_printf(b, "%s;", path);
    return 0;
}

static int collect_version(const kg_version_info *v, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%lld;", (long long)v->id);
    return 0;
}

static void test_store_versions__docs_and_commits(void)
{
    char path[600];
    kg_store *st = three_versions(path, sizeof path);
    kg_buf b = KG_BUF_INIT;
    kg_error err;
    int64_t vid;

    kg_assert(st != NULL);
    kg_assert_int(kg_store_docs(st, 1, collect_path, &b, &err), KG_OK);
    kg_assert_str(b.data, "a.md;b.md;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_docs(st, 3, collect_path, &b, &err), KG_OK);
    kg_assert_str(b.data, "a.md;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_versions(st, collect_version, &b, &err), KG_OK);
    kg_assert_str(b.data, "3;2;1;");
    kg_buf_free(&b);

    kg_assert(kg_store_doc_hash(st, "a.md") != 0);
    kg_assert_int(kg_store_doc_hash(st, "b.md"), 0);

    kg_assert_int(kg_store_version_by_commit(st,
                                             "1111111111111111111111111111"
                                             "111111111111",
                                             &vid, &err),
                  KG_OK);
    kg_assert_int(vid, 1);
    kg_assert_int(kg_store_version_by_commit(st, "2222", &vid, &err), KG_OK);
    kg_assert_int(vid, 2);
    kg_assert_int(kg_store_version_by_commit(st, "22", &vid, &err),
                  KG_ENOTFOUND); /* too short to be an abbreviation */
    kg_assert_int(kg_store_version_by_commit(st, "9999", &vid, &err),
                  KG_ENOTFOUND);
    kg_assert_str(err.msg, "no version was synced from commit 9999");
    kg_assert_int(kg_store_version_by_commit(st, "22zz", &vid, &err),
                  KG_ENOTFOUND);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_versions__ambiguous_prefix(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "abcd1111", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(st_begin(st, "abcd2222", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_version_by_commit(st, "ABCD", &vid, &err), KG_ERROR);
    kg_assert_str(err.msg, "commit prefix 'ABCD' is ambiguous: it matches "
                           "abcd2222 and abcd1111");
    kg_assert_int(kg_store_version_by_commit(st, "abcd1", &vid, &err), KG_OK);
    kg_assert_int(vid, 1);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_versions__meta_and_fingerprint(void)
{
    char path[600];
    kg_store *st = three_versions(path, sizeof path);
    kg_version_info v;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    char *val;

    kg_assert(st != NULL);
    kg_assert_int(kg_store_meta_set(st, "source", "/repo", &err), KG_OK);
    val = kg_store_meta_get(st, "source");
    kg_assert_str(val, "/repo");
    kg_free(val);
    kg_assert(kg_store_meta_get(st, "nothing") == NULL);

    /* The first load of a version caches its fingerprint. */
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert_int(v.fingerprint, 0);
    kg_version_info_clear(&v);
    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_OK);
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert(v.fingerprint == kg_graph_fingerprint(g));
    kg_version_info_clear(&v);
    kg_graph_free(g);
    kg_assert_int(kg_store_set_fingerprint(st, 7, 1, &err), KG_ENOTFOUND);

    /* Loading the open version mid-sync must not cache a fingerprint that
     * the rest of the sync makes stale. */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "c.md", "c", NULL, NULL, NULL, NULL, NULL, 0,
                         &err),
                  KG_OK);
    kg_assert_int(kg_store_load(st, vid, &g, &err), KG_OK);
    kg_graph_free(g);
    kg_assert_int(st_put(st, "d.md", "d", NULL, NULL, NULL, NULL, NULL, 0,
                         &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_version(st, vid, &v, &err), KG_OK);
    kg_assert_int(v.fingerprint, 0);
    kg_version_info_clear(&v);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::versions::load_each", test_store_versions__load_each},
    {"store::versions::change_counts", test_store_versions__change_counts},
    {"store::versions::docs_and_commits",
     test_store_versions__docs_and_commits},
    {"store::versions::ambiguous_prefix",
     test_store_versions__ambiguous_prefix},
    {"store::versions::meta_and_fingerprint",
     test_store_versions__meta_and_fingerprint},
    {NULL, NULL}};

KG_TEST_MAIN
