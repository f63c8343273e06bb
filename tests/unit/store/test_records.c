/* test_records.c - what goes into the store comes back out: every value
 * type, awkward keys and labels, duplicate keys; and edge changes are
 * counted by (src, type, dst). */
#include <math.h>

#include "store_test.h"

static kg_value str(const char *s)
{
    return kg_value_string(s, strlen(s));
}

static const kg_value *prop(kg_graph *g, kg_elem kind, kg_id id,
                            const char *key)
{
    kg_atom a = kg_graph_atom_find(g, key, strlen(key));
    return a == KG_NONE ? NULL : kg_graph_prop(g, kind, id, a);
}

static void test_store_records__values_round_trip(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    kg_doc d;
    kg_node_rec *n, *m;
    kg_value list = kg_value_list(2), map = kg_value_map(), want;
    const kg_atom *labels;
    size_t nl;
    int64_t vid;
    kg_id x, y;
    const kg_value *v;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(kg_doc_init(&d, "t.md"), KG_OK);
    n = kg_doc_node(&d, "x", 1);
    kg_doc_node_label(n, "Plain");
    kg_doc_node_label(n, "Qu\"ote\\d");
    kg_doc_node_label(n, "Ünïcode");
    kg_doc_node_prop(n, "s", str("line\nbreak \"quoted\" \x01 é"));
    kg_doc_node_prop(n, "i", kg_value_int(-9007199254740993LL));
    kg_doc_node_prop(n, "f", kg_value_float(1.5));
    kg_doc_node_prop(n, "whole", kg_value_float(3.0));
    kg_doc_node_prop(n, "nan", kg_value_float(NAN));
    kg_doc_node_prop(n, "b", kg_value_bool(1));
    kg_doc_node_prop(n, "d", kg_value_date("2021-08-24", 10));
    kg_value_list_set(&list, 0, kg_value_int(1));
    kg_value_list_set(&list, 1, kg_value_date("2020-01-01", 10));
    kg_doc_node_prop(n, "l", list);
    kg_value_map_set(&map, "$date", 5, str("not a date"));
    kg_doc_node_prop(n, "m", map);
    kg_doc_node_prop(n, "dup", kg_value_int(1));
    kg_doc_node_prop(n, "key with \"quotes\"", kg_value_int(7));
    kg_doc_node_prop(n, "dup", kg_value_int(2)); /* the last one wins */
    /* A node whose only property is named like a type marker. */
    m = kg_doc_node(&d, "y", 2);
    kg_doc_node_prop(m, "$date", str("2021-01-01"));
    kg_assert(kg_doc_edge(&d, "x", "R", "y", 3, 1) != NULL);
    kg_doc_edge_prop(&d.edges[0], "since", kg_value_date("2019-05-05", 10));
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(kg_store_put_doc(st, &d, 1, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);

    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    x = kg_graph_node_find(g, "x");
    y = kg_graph_node_find(g, "y");
    kg_assert(x != KG_NONE && y != KG_NONE);
    labels = kg_graph_labels(g, x, &nl);
    kg_assert_int(nl, 3);
    kg_assert_str(kg_graph_atom_str(g, labels[0]), "Plain");
    kg_assert_str(kg_graph_atom_str(g, labels[1]), "Qu\"ote\\d");
    kg_assert_str(kg_graph_atom_str(g, labels[2]), "Ünïcode");
    kg_assert_int(kg_graph_prop_count(g, KG_NODE, x), 11);
    for (size_t i = 0; i < d.nodes[0].nprops; i++) {
        const kg_prop *p = &d.nodes[0].props[i];
        if (strcmp(p->key, "dup") == 0 || strcmp(p->key, "nan") == 0) continue;
        v = prop(g, KG_NODE, x, p->key);
        kg_assert(v != NULL);
        kg_assert(v->type == p->val.type);
        kg_assert(kg_value_equal(v, &p->val));
    }
    v = prop(g, KG_NODE, x, "nan");
    kg_assert(v && v->type == KG_VFLOAT && isnan(v->u.f));
    v = prop(g, KG_NODE, x, "dup");
    want = kg_value_int(2);
    kg_assert(v && kg_value_equal(v, &want));
    v = prop(g, KG_NODE, y, "$date");
    kg_assert(v && v->type == KG_VSTRING);
    kg_assert_str(v->u.str->s, "2021-01-01");
    kg_assert_int(kg_graph_count(g, KG_EDGE), 1);
    v = prop(g, KG_EDGE, 0, "since");
    kg_assert(v && v->type == KG_VDATE);
    kg_graph_free(g);
    kg_doc_free(&d);
    kg_store_close(st);
    st_remove(path);
}

/* put a.md with one edge a -R-> b whose property w is given (0 = none) */
static int put_edge(kg_store *st, int w, kg_error *err)
{
    kg_doc d;
    kg_edge_rec *e;
    int rc;

    kg_doc_init(&d, "a.md");
    kg_doc_node(&d, "a", 1);
    kg_doc_node(&d, "b", 2);
    if (w >= 0) {
        e = kg_doc_edge(&d, "a", "R", "b", 3, 1);
        if (w > 0) kg_doc_edge_prop(e, "w", kg_value_int(w));
    }
    rc = kg_store_put_doc(st, &d, (uint64_t)w + 2, err);
    kg_doc_free(&d);
    return rc;
}

static void test_store_records__edge_changes(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_version_info v;
    kg_error err;
    int64_t vid;
    int w[] = {1, 2, 2, -1};
    int i;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    for (i = 0; i < 4; i++) {
        kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
        kg_assert_int(put_edge(st, w[i], &err), KG_OK);
        kg_assert_int(kg_store_commit(st, &err), KG_OK);
    }
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert_int(v.edges_added, 1);
    kg_assert_int(v.nodes_added, 2);
    kg_version_info_clear(&v);
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK); /* w 1 -> 2 */
    kg_assert_int(v.edges_changed, 1);
    kg_assert_int(v.edges_added + v.edges_removed, 0);
    kg_assert_int(v.nodes_changed, 0);
    kg_version_info_clear(&v);
    kg_assert_int(kg_store_version(st, 3, &v, &err), KG_OK); /* same */
    kg_assert_int(v.edges_changed + v.edges_added + v.edges_removed, 0);
    kg_version_info_clear(&v);
    kg_assert_int(kg_store_version(st, 4, &v, &err), KG_OK); /* edge gone */
    kg_assert_int(v.edges_removed, 1);
    kg_assert_int(v.edges_changed + v.edges_added, 0);
    kg_version_info_clear(&v);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::records::values_round_trip",
     test_store_records__values_round_trip},
    {"store::records::edge_changes", test_store_records__edge_changes},
    {NULL, NULL}};

KG_TEST_MAIN
