/* test_select.c - what gets exported, in which order, and format names.
 *
 * The same data built in two orders must export to the same bytes in every
 * format; subgraphs follow the rules in kg_graph.h; expansion walks both
 * directions; bad ids are reported, not exported. */
#include "export_fixture.h"
#include "kg_test.h"

static char *export_fmt(const kg_graph *g, const kg_subgraph *sg,
                        kg_format fmt)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {fmt, NULL, NULL, NULL};
    if (kg_export(&out, g, sg, &o, NULL) != KG_OK) {
        kg_buf_free(&out);
        return NULL;
    }
    return kg_buf_detach(&out);
}

static void test_export_select__same_bytes_any_order(void)
{
    kg_graph *a = fx_hostile(0), *b = fx_hostile(1);
    kg_format f;
    kg_buf an = KG_BUF_INIT, ae = KG_BUF_INIT, bn = KG_BUF_INIT,
           be = KG_BUF_INIT;
    int gremlin;

    kg_assert(kg_graph_fingerprint(a) == kg_graph_fingerprint(b));
    for (f = KG_FMT_DOT; f <= KG_FMT_CYPHER; f++) {
        char *x, *y;
        if (f == KG_FMT_CSV_CYPHER || f == KG_FMT_CSV_GREMLIN) continue;
        x = export_fmt(a, NULL, f);
        y = export_fmt(b, NULL, f);
        kg_assert(x != NULL && y != NULL);
        if (strcmp(x, y) != 0) fprintf(stderr, "format %d differs\n", (int)f);
        kg_assert(strcmp(x, y) == 0);
        free(x);
        free(y);
    }
    for (gremlin = 0; gremlin < 2; gremlin++) {
        kg_assert_int(kg_export_csv(&an, &ae, a, NULL, gremlin, NULL), KG_OK);
        kg_assert_int(kg_export_csv(&bn, &be, b, NULL, gremlin, NULL), KG_OK);
        kg_assert_str(an.data, bn.data);
        kg_assert_str(ae.data, be.data);
        kg_buf_reset(&an), kg_buf_reset(&ae), kg_buf_reset(&bn), kg_buf_reset(&be);
    }
    kg_buf_free(&an), kg_buf_free(&ae), kg_buf_free(&bn), kg_buf_free(&be);
    kg_graph_free(a);
    kg_graph_free(b);
}

/* a -> b -> c -> d, e isolated; a second a -> c. */
static kg_graph *chain(kg_id *id)
{
    kg_graph *g = kg_graph_new();
    const char *keys[] = {"a", "b", "c", "d", "e"};
    size_t i;
    for (i = 0; i < 5; i++) id[i] = kg_graph_node_add(g, keys[i], NULL);
    id[5] = kg_graph_edge_add(g, id[0], id[1], fx_atom(g, "T"), NULL);
    id[6] = kg_graph_edge_add(g, id[1], id[2], fx_atom(g, "T"), NULL);
    id[7] = kg_graph_edge_add(g, id[2], id[3], fx_atom(g, "T"), NULL);
    id[8] = kg_graph_edge_add(g, id[0], id[2], fx_atom(g, "U"), NULL);
    return g;
}

static void test_export_select__subgraph_rules(void)
{
    kg_id id[9], ns[3], es[1];
    kg_graph *g = chain(id);
    kg_subgraph sg = {ns, 0, NULL, 0};
    kg_error err;
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_JSON, NULL, NULL, NULL};
    char *x;

    /* nodes only: the induced edges come along */
    ns[0] = id[2], ns[1] = id[0], ns[2] = id[0];
    sg.nnodes = 3;
    x = export_fmt(g, &sg, KG_FMT_JSON);
    kg_assert(x != NULL);
    kg_assert(strstr(x, "\"source\":\"a\",\"target\":\"c\",\"type\":\"U\"") != NULL);
    kg_assert(strstr(x, "\"id\":\"b\"") == NULL);
    kg_assert(strstr(x, "\"id\":\"a\"") < strstr(x, "\"id\":\"c\""));
    free(x);
    /* explicit edges: exactly those, endpoints added */
    es[0] = id[7];
    sg.edges = es, sg.nedges = 1, sg.nnodes = 1;
    x = export_fmt(g, &sg, KG_FMT_JSON);
    kg_assert(strstr(x, "\"id\":\"d\"") != NULL);
    kg_assert(strstr(x, "\"type\":\"U\"") == NULL);
    free(x);
    /* an explicit empty edge set */
    sg.nedges = 0;
    x = export_fmt(g, &sg, KG_FMT_JSON);
    kg_assert(strstr(x, "\"edges\":[]}") != NULL);
    free(x);
    /* dead ids are errors, and leave nothing in the buffer */
    kg_graph_edge_delete(g, id[7]);
    sg.nedges = 1;
    kg_buf_puts(&out, "keep");
    kg_assert_int(kg_export(&out, g, &sg, &o, &err), KG_ENOTFOUND);
    kg_assert_str(err.msg, "export: edge id 2 is not in the graph");
    kg_assert_str(out.data, "keep");
    ns[0] = 99;
    sg.nedges = 0;
    kg_assert_int(kg_export(&out, g, &sg, &o, &err), KG_ENOTFOUND);
    kg_assert_str(err.msg, "export: node id 99 is not in the graph");
    o.format = KG_FMT_CSV_CYPHER;
    kg_assert_int(kg_export(&out, g, NULL, &o, &err), KG_ETYPE);
    kg_buf_free(&out);
    kg_graph_free(g);
}

static void test_export_select__expand(void)
{
    kg_id id[9], ns[1], *rn, *re;
    size_t nn, ne;
    kg_graph *g = chain(id);
    kg_subgraph sg = {ns, 1, NULL, 0};

    ns[0] = id[3]; /* d: reached only by an incoming edge */
    kg_assert_int(kg_subgraph_expand(g, &sg, 1, &rn, &nn, &re, &ne), KG_OK);
    kg_assert_int(nn, 2);
    kg_assert_int(rn[0], id[2]);
    kg_assert_int(rn[1], id[3]);
    kg_assert_int(ne, 1);
    kg_free(rn), kg_free(re);
    kg_assert_int(kg_subgraph_expand(g, &sg, 2, &rn, &nn, &re, &ne), KG_OK);
    kg_assert_int(nn, 4); /* a, b, c, d: a -> c closes the triangle */
    kg_assert_int(ne, 4);
    kg_assert_int(re[3], id[8]);
    kg_free(rn), kg_free(re);
    kg_assert_int(kg_subgraph_expand(g, &sg, 0, &rn, &nn, &re, &ne), KG_OK);
    kg_assert_int(nn, 1);
    kg_assert_int(ne, 0);
    kg_free(rn), kg_free(re);
    kg_assert_int(kg_subgraph_expand(g, &sg, 50, &rn, &nn, &re, &ne), KG_OK);
    kg_assert_int(nn, 4); /* e is never reached */
    kg_free(rn), kg_free(re);
    kg_assert_int(kg_subgraph_expand(g, &sg, -1, &rn, &nn, &re, &ne), KG_ERROR);
    kg_assert(rn == NULL && re == NULL);
    ns[0] = 1000;
    kg_assert_int(kg_subgraph_expand(g, &sg, 1, &rn, &nn, &re, &ne),
                  KG_ENOTFOUND);
    kg_graph_free(g);
}

static void test_export_select__names_and_layout(void)
{
    kg_format f = KG_FMT_DOT;
    const char *names[] = {"dot", "graphml", "json", "csv", "csv-gremlin",
                           "cypher"};
    size_t i;

    for (i = 0; i < 6; i++) {
        kg_assert_int(kg_export_format(names[i], &f), KG_OK);
        kg_assert_int(f, (int)i);
        kg_assert_str(kg_export_format_name(f), names[i]);
    }
    kg_assert_int(kg_export_format("GraphML", &f), KG_OK);
    kg_assert_int(f, KG_FMT_GRAPHML);
    kg_assert_int(kg_export_format("svg", &f), KG_ENOTFOUND);
    kg_assert_int(kg_export_format(NULL, &f), KG_ENOTFOUND);
    kg_assert(kg_export_format_name((kg_format)42) == NULL);
    kg_assert_str(kg_export_layout_for(10, 20), "dot");
    kg_assert_str(kg_export_layout_for(500, 2000), "dot");
    kg_assert_str(kg_export_layout_for(501, 10), "sfdp");
    kg_assert_str(kg_export_layout_for(100, 5000), "sfdp");
}

KG_TEST_LIST = {
    {"export::select::same_bytes_any_order", test_export_select__same_bytes_any_order},
    {"export::select::subgraph_rules", test_export_select__subgraph_rules},
    {"export::select::expand", test_export_select__expand},
    {"export::select::names_and_layout", test_export_select__names_and_layout},
    {NULL, NULL}
};

KG_TEST_MAIN
