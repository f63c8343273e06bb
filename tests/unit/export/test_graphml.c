/* test_graphml.c - the GraphML export read back by a real XML parser
 * (check_graphml.py, Python's expat) and compared with the JSON export of
 * the same graph, value by value and type by type; plus the key types and
 * the ids of nodes whose keys XML cannot carry. */
#include "export_fixture.h"
#include "kg_test.h"

static char *export_fmt(const kg_graph *g, kg_format fmt)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {fmt, NULL, NULL, NULL};
    if (kg_export(&out, g, NULL, &o, NULL) != KG_OK) {
        kg_buf_free(&out);
        return NULL;
    }
    return kg_buf_detach(&out);
}

/* Export g both ways under name and run the checker; its exit status. */
static int parse_back(const kg_graph *g, const char *name)
{
    char gml[512], json[512], cmd[2048];
    char *x = export_fmt(g, KG_FMT_GRAPHML), *y = export_fmt(g, KG_FMT_JSON);
    int rc = -1;

    snprintf(gml, sizeof gml, "%s.graphml", fx_path(name));
    snprintf(json, sizeof json, "%s.json", fx_path(name));
    if (x && y && fx_write(gml, x, strlen(x)) == 0 &&
        fx_write(json, y, strlen(y)) == 0) {
        snprintf(cmd, sizeof cmd, "python3 '%s/check_graphml.py' '%s' '%s'",
                 fx_srcdir(), gml, json);
        rc = fx_run(cmd);
    }
    free(x);
    free(y);
    return rc;
}

static void test_export_graphml__parse_back(void)
{
    kg_graph *g = fx_typed(2), *h = fx_hostile(0);

    kg_assert_int(parse_back(g, "typed"), 0);
    kg_assert_int(parse_back(h, "hostile"), 0);
    kg_graph_free(g);
    kg_graph_free(h);
}

static void test_export_graphml__key_types(void)
{
    kg_graph *g = fx_typed(2);
    char *x = export_fmt(g, KG_FMT_GRAPHML);

    kg_assert(x != NULL);
    kg_assert(strstr(x, "attr.name=\"big\" attr.type=\"long\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"ok\" attr.type=\"boolean\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"tier\" attr.type=\"double\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"n\" attr.type=\"int\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"since\" attr.type=\"string\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"nums\" attr.type=\"string\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"weird name, &quot;q&quot;\"") != NULL);
    kg_assert(strstr(x, ">[1,-2,3000000000]</data>") != NULL);
    kg_assert(strstr(x, ">NaN</data>") != NULL && strstr(x, ">-INF</data>") != NULL);
    kg_assert(strstr(x, ">line1\nline2&#13;\nx;y") != NULL);
    kg_assert(strstr(x, "<node id=\"layer:ml\">") != NULL);
    free(x);
    kg_graph_free(g);
}

/* Reserved attribute names and keys XML cannot hold. */
static void test_export_graphml__names_and_ids(void)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "\x01" "ctl", NULL);
    kg_id b = kg_graph_node_add(g, "_:n0", NULL);
    kg_id c = kg_graph_node_add(g, "bad\xFF", NULL);
    char *x;

    fx_set(g, KG_NODE, b, "labels", fx_str("mine"));
    fx_set(g, KG_NODE, b, "prop.x", kg_value_int(1));
    fx_set(g, KG_NODE, a, "kind", fx_str("k"));
    kg_graph_edge_add(g, a, c, fx_atom(g, "T"), NULL);
    fx_set(g, KG_EDGE, kg_graph_edge_add(g, c, b, fx_atom(g, "T"), NULL),
           "type", fx_str("t"));
    x = export_fmt(g, KG_FMT_GRAPHML);
    kg_assert(x != NULL);
    kg_assert(strstr(x, "<node id=\"_:n0_\">") != NULL);   /* was "\x01ctl" */
    kg_assert(strstr(x, "<node id=\"_:n0\">") != NULL);    /* the real key */
    kg_assert(strstr(x, "<node id=\"_:n2\">") != NULL);    /* "bad\xFF" */
    kg_assert(strstr(x, "source=\"_:n0_\" target=\"_:n2\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"prop.labels\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"prop.prop.x\"") != NULL);
    kg_assert(strstr(x, "attr.name=\"prop.kind\"") != NULL);
    kg_assert(strstr(x, "for=\"edge\" attr.name=\"prop.type\"") != NULL);
    free(x);
    kg_assert_int(parse_back(g, "names"), 0);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::graphml::parse_back", test_export_graphml__parse_back},
    {"export::graphml::key_types", test_export_graphml__key_types},
    {"export::graphml::names_and_ids", test_export_graphml__names_and_ids},
    {NULL, NULL}
};

KG_TEST_MAIN
