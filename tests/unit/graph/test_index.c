/* test_index.c - the exact key index (with delete churn) and link
 * resolution by key, name and alias, ASCII case-insensitively. */
#include "graph_int.h"
#include "kg_test.h"

static kg_atom atom(kg_graph *g, const char *s)
{
    return kg_graph_atom(g, s, strlen(s));
}

static void test_graph_index__resolve(void)
{
    kg_graph *g = kg_graph_new();
    kg_atom name = atom(g, "name"), aliases = atom(g, "aliases");
    kg_id a = kg_graph_node_add(g, "sagemaker", NULL);
    kg_id b = kg_graph_node_add(g, "SageMaker-Studio", NULL);
    kg_id c = kg_graph_node_add(g, "ec2", NULL);
    kg_value nm = kg_value_string("Amazon SageMaker", 16);
    kg_value al = kg_value_list(2), nm2;
    int amb;

    kg_value_list_set(&al, 0, kg_value_string("SM", 2));
    kg_value_list_set(&al, 1, kg_value_string("Elastic Compute", 15));
    kg_graph_prop_set(g, KG_NODE, a, name, &nm);
    kg_graph_prop_set(g, KG_NODE, c, aliases, &al);
    kg_assert_int(kg_graph_node_resolve(g, "sagemaker", &amb), a);
    kg_assert_int(kg_graph_node_resolve(g, "sagemaker-studio", &amb), b);
    kg_assert_int(kg_graph_node_resolve(g, "AMAZON sagemaker", &amb), a);
    kg_assert_int(amb, 0);
    kg_assert_int(kg_graph_node_resolve(g, "elastic COMPUTE", &amb), c);
    kg_assert_int(kg_graph_node_resolve(g, "nothing", &amb), KG_NONE);
    /* a name shared by two nodes: first added wins, flagged ambiguous */
    kg_graph_prop_set(g, KG_NODE, b, name, &nm);
    kg_assert_int(kg_graph_node_resolve(g, "amazon sagemaker", &amb), a);
    kg_assert_int(amb, 1);
    /* key beats name: "SM" is c's alias, but becomes b's name */
    nm2 = kg_value_string("sm", 2);
    kg_graph_prop_set(g, KG_NODE, b, name, &nm2);
    kg_assert_int(kg_graph_node_resolve(g, "SM", &amb), b);
    kg_assert_int(amb, 0);
    kg_graph_node_delete(g, b, 1, NULL);
    kg_assert_int(kg_graph_node_resolve(g, "SM", &amb), c);
    kg_value_release(&nm);
    kg_value_release(&nm2);
    kg_value_release(&al);
    kg_graph_free(g);
}

static void test_graph_index__key_index_churn(void)
{
    kg_graph *g = kg_graph_new();
    char key[32];
    int i;

    for (i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        kg_assert_int(kg_graph_node_add(g, key, NULL), i);
    }
    for (i = 0; i < 5000; i += 2) kg_graph_node_delete(g, (kg_id)i, 1, NULL);
    for (i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        kg_assert_int(kg_graph_node_find(g, key), i % 2 ? (kg_id)i : KG_NONE);
    }
    kg_assert_int(kg_graph_node_add(g, "k0", NULL), 5000); /* key reusable */
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"graph::index::resolve", test_graph_index__resolve},
    {"graph::index::key_index_churn", test_graph_index__key_index_churn},
    {NULL, NULL},
};

KG_TEST_MAIN
