/* test_draft.c - a draft version (work-tree edits) is replaced by the next
 * sync, and a path written twice in one version counts once. */
#include "store_test.h"

static int count_hits(const char *key, double score, void *payload)
{
    (void)key;
    (void)score;
    (*(int *)payload)++;
    return 0;
}

static void test_store_draft__replaced_by_next_sync(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_version_info v;
    kg_error err;
    int64_t vid;
    int hits = 0;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "aaaa0001", 0, &vid, &err), KG_OK);
    kg_assert_int(
        st_put(st, "a.md", "a", NULL, NULL, "one", "MENTIONS>b", "n", 1, &err),
        KG_OK);
    kg_assert_int(
        st_put(st, "b.md", "b", NULL, NULL, "two", NULL, NULL, 0, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    /* The draft edits a, removes b, adds c. */
    kg_assert_int(st_begin(st, "aaaa0001", 1, &vid, &err), KG_OK);
    kg_assert_int(vid, 2);
    kg_assert_int(
        st_put(st, "a.md", "a", NULL, NULL, "draftword", NULL, "n", 99, &err),
        KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "b.md", &err), KG_OK);
    kg_assert_int(
        st_put(st, "c.md", "c", NULL, NULL, "three", NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_OK);
    kg_assert_int(st_prop_int(g, "a", "n"), 99);
    kg_assert(kg_graph_node_find(g, "b") == KG_NONE);
    kg_assert(kg_graph_node_find(g, "c") != KG_NONE);
    kg_graph_free(g);
    kg_assert_int(kg_store_search(st, 2, "draftword", count_hits, &hits, &err),
                  KG_OK);
    kg_assert_int(hits, 1);

    /* The next sync starts from v1 again: the draft is gone. */
    kg_assert_int(st_begin(st, "aaaa0002", 0, &vid, &err), KG_OK);
    kg_assert_int(vid, 3); /* ids are never reused */
    kg_assert_int(
        st_put(st, "d.md", "d", NULL, NULL, "four", NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_ENOTFOUND);
    kg_assert_int(kg_store_load(st, 3, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 3); /* a, b, d */
    kg_assert_int(st_prop_int(g, "a", "n"), 1);
    kg_assert(kg_graph_node_find(g, "b") != KG_NONE);
    kg_assert(kg_graph_node_find(g, "c") == KG_NONE);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 1);
    kg_graph_free(g);
    kg_assert_int(kg_store_version(st, 3, &v, &err), KG_OK);
    kg_assert_int(v.nodes_added, 1);
    kg_assert_int(v.nodes_removed + v.nodes_changed, 0);
    kg_version_info_clear(&v);
    hits = 0;
    kg_assert_int(kg_store_search(st, 3, "draftword", count_hits, &hits, &err),
                  KG_OK);
    kg_assert_int(hits, 0);
    kg_assert_int(kg_store_latest(st), 3);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_draft__rollback_keeps_draft(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 1, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, NULL, "x", NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* A sync that fails and rolls back must not lose the draft. */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_store_rollback(st);
    kg_assert_int(kg_store_latest(st), 1);
    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 1);
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

static void test_store_draft__path_twice_in_one_version(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_version_info v;
    kg_error err;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, NULL, "x", "R>b", "n", 1, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "b.md", "b", NULL, NULL, "y", NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    /* put twice: counts as one change */
    kg_assert_int(st_put(st, "a.md", "a", NULL, NULL, "x", "R>b", "n", 2, &err),
                  KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, NULL, "x", "R>b", "n", 3, &err),
                  KG_OK);
    /* remove then put back unchanged: no change at all */
    kg_assert_int(kg_store_remove_doc(st, "b.md", &err), KG_OK);
    kg_assert_int(st_put(st, "b.md", "b", NULL, NULL, "y", NULL, NULL, 0, &err),
                  KG_OK);
    /* put then remove a new path: nothing */
    kg_assert_int(st_put(st, "c.md", "c", NULL, NULL, "z", NULL, NULL, 0, &err),
                  KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "c.md", &err), KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "never.md", &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert_int(v.nodes_changed, 1);
    kg_assert_int(v.nodes_added, 0);
    kg_assert_int(v.nodes_removed, 0);
    kg_assert_int(v.edges_added + v.edges_removed + v.edges_changed, 0);
    kg_version_info_clear(&v);
    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 2);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 1);
    kg_assert_int(st_prop_int(g, "a", "n"), 3);
    kg_graph_free(g);
    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_OK);
    kg_assert_int(st_prop_int(g, "a", "n"), 1);
    kg_graph_free(g);

    /* Writing outside a version is refused with a clear message. */
    kg_assert_int(kg_store_remove_doc(st, "a.md", &err), KG_ERROR);
    kg_assert_str(err.msg, "no version is open (call kg_store_begin first)");
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {{"store::draft::replaced_by_next_sync",
                 test_store_draft__replaced_by_next_sync},
                {"store::draft::rollback_keeps_draft",
                 test_store_draft__rollback_keeps_draft},
                {"store::draft::path_twice_in_one_version",
                 test_store_draft__path_twice_in_one_version},
                {NULL, NULL}};

KG_TEST_MAIN
