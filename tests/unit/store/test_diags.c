/* test_diags.c - links resolve by key, name and alias when a version is
 * loaded; what does not resolve, is ambiguous or declares a key twice is
 * reported with file:line:col by kg_store_diags. */
#include "store_test.h"

static int collect(const char *path, const kg_diag *d, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%s:%u:%u: %s: %s\n", path,
                  (unsigned)d->line, (unsigned)d->col,
                  d->severity == KG_SEV_ERROR ? "error" : "warning", d->msg);
    return 0;
}

static int put_aliased(kg_store *st, const char *path, const char *key,
                       const char *name, const char *alias, kg_error *err)
{
    kg_doc d;
    kg_value l = kg_value_list(1);
    int rc;

    st_note(&d, path, key, NULL, name, NULL, NULL, NULL, 0);
    kg_value_list_set(&l, 0, kg_value_string(alias, strlen(alias)));
    kg_doc_node_prop(&d.nodes[0], "aliases", l);
    kg_doc_diag(&d, KG_SEV_WARNING, 3, 5, "unknown key '%s'", "foo");
    rc = kg_store_put_doc(st, &d, 1, err);
    kg_doc_free(&d);
    return rc;
}

static void test_store_diags__resolution(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_buf b = KG_BUF_INIT;
    kg_error err;
    int64_t vid;
    kg_id a, z;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    /* written out of path order: z2 before z1 */
    kg_assert_int(
        st_put(st, "z2.md", "dup", NULL, NULL, NULL, NULL, "n", 2, &err),
        KG_OK);
    kg_assert_int(
        st_put(st, "z1.md", "dup", NULL, NULL, NULL, NULL, "n", 1, &err),
        KG_OK);
    kg_assert_int(st_put(st, "a.md", "a", NULL, "Alpha", NULL,
                         "MENTIONS>b;USES>beta;USES>bee;MENTIONS>nowhere;"
                         "RELATED>Twin",
                         NULL, 0, &err),
                  KG_OK);
    kg_assert_int(put_aliased(st, "b.md", "b", "Beta", "Bee", &err), KG_OK);
    kg_assert_int(
        st_put(st, "t1.md", "t1", NULL, "Twin", NULL, NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(
        st_put(st, "t2.md", "t2", NULL, "Twin", NULL, NULL, NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert_int(kg_store_load(st, 1, &g, &err), KG_OK);
    kg_assert_int(kg_graph_count(g, KG_NODE), 5);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 4); /* all but 'nowhere' */
    a = kg_graph_node_find(g, "a");
    kg_assert(a != KG_NONE);
    z = kg_graph_node_find(g, "dup");
    kg_assert_int(st_prop_int(g, "dup", "n"), 1); /* z1.md wins */
    /* Node ids follow path order, whatever the write order. */
    kg_assert_int(a, 0);
    kg_assert_int(z, 4);

    kg_assert_int(kg_store_diags(st, 1, g, collect, &b, &err), KG_OK);
    kg_assert_str(b.data,
                  "a.md:13:3: error: unresolved link target 'nowhere' "
                  "(MENTIONS from 'a')\n"
                  "a.md:14:3: warning: ambiguous link target 'Twin': several "
                  "nodes share this name or alias; it resolves to 't1'\n"
                  "b.md:3:5: warning: unknown key 'foo'\n"
                  "z2.md:1:1: error: duplicate node key 'dup': first "
                  "declared at z1.md:1; this declaration is ignored\n");
    kg_buf_reset(&b);
    /* Without a graph: only what the parsers reported. */
    kg_assert_int(kg_store_diags(st, 0, NULL, collect, &b, &err), KG_OK);
    kg_assert_str(b.data, "b.md:3:5: warning: unknown key 'foo'\n");
    kg_buf_free(&b);
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {{"store::diags::resolution", test_store_diags__resolution},
                {NULL, NULL}};

KG_TEST_MAIN
