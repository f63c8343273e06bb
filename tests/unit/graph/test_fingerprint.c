/* test_fingerprint.c - the fingerprint is canonical: the same data built in
 * any order gives the same value; any change to the data changes it. */
#include "graph_int.h"
#include "kg_test.h"

static kg_atom atom(kg_graph *g, const char *s)
{
    return kg_graph_atom(g, s, strlen(s));
}

static void set_str(kg_graph *g, kg_elem kind, kg_id id, const char *k,
                    const char *s)
{
    kg_value v = kg_value_string(s, strlen(s));
    kg_graph_prop_set(g, kind, id, atom(g, k), &v);
    kg_value_release(&v);
}

static void set_int(kg_graph *g, kg_elem kind, kg_id id, const char *k,
                    int64_t i)
{
    kg_value v = kg_value_int(i);
    kg_graph_prop_set(g, kind, id, atom(g, k), &v);
}

/* The reference graph, built in a natural order. */
static kg_graph *build_forward(void)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "a", NULL);
    kg_id b = kg_graph_node_add(g, "b", NULL);
    kg_id c = kg_graph_node_add(g, "c", NULL);
    kg_id e;

    kg_graph_label_add(g, a, atom(g, "Service"));
    kg_graph_label_add(g, a, atom(g, "Managed"));
    kg_graph_label_add(g, b, atom(g, "Service"));
    set_str(g, KG_NODE, a, "name", "Alpha");
    set_int(g, KG_NODE, a, "tier", 1);
    set_str(g, KG_NODE, b, "name", "Beta");
    e = kg_graph_edge_add(g, a, b, atom(g, "USES"), NULL);
    set_int(g, KG_EDGE, e, "weight", 3);
    kg_graph_edge_add(g, b, c, atom(g, "USES"), NULL);
    kg_graph_edge_add(g, b, c, atom(g, "USES"), NULL); /* a duplicate */
    kg_graph_edge_add(g, c, a, atom(g, "PART_OF"), NULL);
    return g;
}

/* The same data, built backwards, with atoms interned in another order and
 * a deleted node and edge left behind as tombstones. */
static kg_graph *build_backward(void)
{
    kg_graph *g = kg_graph_new();
    kg_id junk, c, b, a, e;

    atom(g, "weight");
    atom(g, "tier");
    atom(g, "PART_OF");
    junk = kg_graph_node_add(g, "junk", NULL);
    c = kg_graph_node_add(g, "c", NULL);
    b = kg_graph_node_add(g, "b", NULL);
    a = kg_graph_node_add(g, "a", NULL);
    kg_graph_edge_add(g, c, a, atom(g, "PART_OF"), NULL);
    kg_graph_edge_add(g, junk, a, atom(g, "PART_OF"), NULL);
    kg_graph_edge_add(g, b, c, atom(g, "USES"), NULL);
    kg_graph_node_delete(g, junk, 1, NULL);
    e = kg_graph_edge_add(g, a, b, atom(g, "USES"), NULL);
    kg_graph_edge_add(g, b, c, atom(g, "USES"), NULL);
    set_int(g, KG_EDGE, e, "weight", 3);
    set_str(g, KG_NODE, b, "name", "Beta");
    set_int(g, KG_NODE, a, "tier", 1);
    set_str(g, KG_NODE, a, "name", "Alpha");
    kg_graph_label_add(g, b, atom(g, "Service"));
    kg_graph_label_add(g, a, atom(g, "Managed"));
    kg_graph_label_add(g, a, atom(g, "Service"));
    /* text and provenance are not data */
    kg_graph_node_text_set(g, a, "some body");
    kg_graph_origin_set(g, KG_NODE, a, "a.md", 1);
    return g;
}

static void test_graph_fingerprint__order_independent(void)
{
    kg_graph *f = build_forward(), *b = build_backward();
    kg_graph *e1 = kg_graph_new(), *e2 = kg_graph_new();

    kg_assert(kg_graph_fingerprint(f) != 0);
    kg_assert(kg_graph_fingerprint(f) == kg_graph_fingerprint(b));
    kg_assert(kg_graph_fingerprint(e1) == kg_graph_fingerprint(e2));
    kg_assert(kg_graph_fingerprint(e1) != kg_graph_fingerprint(f));
    kg_graph_free(f);
    kg_graph_free(b);
    kg_graph_free(e1);
    kg_graph_free(e2);
}

static void test_graph_fingerprint__sensitive(void)
{
    kg_graph *ref = build_forward(), *g;
    uint64_t fp = kg_graph_fingerprint(ref);
    kg_value f;

    g = build_forward(); /* one property value changes */
    set_str(g, KG_NODE, kg_graph_node_find(g, "b"), "name", "Beta2");
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* an integer becomes the equal float */
    f = kg_value_float(1.0);
    kg_graph_prop_set(g, KG_NODE, 0, atom(g, "tier"), &f);
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* an edge property changes */
    set_int(g, KG_EDGE, 0, "weight", 4);
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* a label goes */
    kg_graph_label_remove(g, 0, atom(g, "Managed"));
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* one of the duplicate edges goes */
    kg_graph_edge_delete(g, 2);
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* a property moves from one node to another */
    kg_graph_prop_set(g, KG_NODE, 0, atom(g, "tier"), NULL);
    set_int(g, KG_NODE, 1, "tier", 1);
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* boundaries cannot shift: {a: "bc"} vs {ab: "c"} */
    set_str(g, KG_NODE, 2, "a", "bc");
    fp = kg_graph_fingerprint(g);
    kg_graph_prop_clear(g, KG_NODE, 2);
    set_str(g, KG_NODE, 2, "ab", "c");
    kg_assert(kg_graph_fingerprint(g) != fp);
    kg_graph_free(g);

    g = build_forward(); /* text does not count */
    kg_graph_node_text_set(g, 1, "changed body");
    kg_assert(kg_graph_fingerprint(g) == kg_graph_fingerprint(ref));
    kg_graph_free(g);
    kg_graph_free(ref);
}

static void test_graph_fingerprint__oom(void)
{
    kg_graph *g = build_forward();

    kg_alloc_fail_at(1);
    kg_assert(kg_graph_fingerprint(g) == 0);
    kg_alloc_fail_at(0);
    kg_assert(kg_graph_fingerprint(g) != 0);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"graph::fingerprint::order_independent",
     test_graph_fingerprint__order_independent},
    {"graph::fingerprint::sensitive", test_graph_fingerprint__sensitive},
    {"graph::fingerprint::oom", test_graph_fingerprint__oom},
    {NULL, NULL},
};

KG_TEST_MAIN
