/* test_history.c - kg_store_history: the versions in which one node was
 * added, changed or removed, with where it was declared. */
#include "store_test.h"

static int collect(const kg_history_item *h, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%lld %s %s:%u;", (long long)h->version,
                  h->what, h->path, (unsigned)h->line);
    return 0;
}

static int stop_at_first(const kg_history_item *h, void *payload)
{
    (void)h;
    (*(int *)payload)++;
    return 42;
}

static void test_store_history__added_changed_removed(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_buf b = KG_BUF_INIT;
    kg_error err;
    int64_t vid;
    int calls = 0;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    /* v1 added */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "x.md", "x", "T", NULL, "t", NULL, "n", 1, &err),
                  KG_OK);
    kg_assert_int(
        st_put(st, "other.md", "o", NULL, NULL, "", NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* v2 changed */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "x.md", "x", "T", NULL, "t", NULL, "n", 2, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* v3 rewritten with the same content, and a new edge: no node event */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "x.md", "x", "T", NULL, "t", "R>o", "n", 2, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* v4 label changed */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(st_put(st, "x.md", "x", "U", NULL, "t", "R>o", "n", 2, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* v5 moved to another file: removed from one, added in the other */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "x.md", &err), KG_OK);
    kg_assert_int(st_put(st, "y/x.md", "x", "U", NULL, "t", NULL, "n", 2, &err),
                  KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    /* v6 removed */
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_remove_doc(st, "y/x.md", &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert_int(kg_store_history(st, "x", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "1 added x.md:1;2 changed x.md:1;4 changed x.md:1;"
                          "5 removed x.md:1;5 added y/x.md:1;"
                          "6 removed y/x.md:1;");
    kg_buf_reset(&b);
    kg_assert_int(kg_store_history(st, "o", collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "1 added other.md:1;");
    kg_buf_free(&b);

    kg_assert_int(kg_store_history(st, "x", stop_at_first, &calls, &err), 42);
    kg_assert_int(calls, 1);
    kg_assert_int(kg_store_history(st, "nobody", collect, &b, &err),
                  KG_ENOTFOUND);
    kg_assert_str(err.msg, "no node with key 'nobody' in any version");
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {{"store::history::added_changed_removed",
                 test_store_history__added_changed_removed},
                {NULL, NULL}};

KG_TEST_MAIN
