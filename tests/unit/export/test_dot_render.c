/* test_dot_render.c - every DOT export renders with the real Graphviz,
 * exit 0 and not one line on stderr, into SVG that is well-formed XML.
 *
 * Graphviz reports most problems (a bad escape, an unknown attribute, an
 * lhead toward a cluster that holds the tail) as warnings and still exits
 * 0, so stderr is the check that matters. The layered graph exercises
 * clusters by edge type: nesting, a node with two parents, a cycle, edges
 * into a node's own cluster and across clusters. */
#include "export_fixture.h"
#include "kg_test.h"

/* Render text with layout; 0 when dot exited 0, printed nothing on stderr,
 * and the SVG parses as XML. */
static int render(const char *name, const char *text, const char *layout)
{
    char cmd[4096], in[1024], svg[1100], errf[1100];
    char *msg;
    size_t len = 0;
    int rc;

    snprintf(in, sizeof in, "%s", fx_path(name));
    snprintf(svg, sizeof svg, "%s.svg", in);
    snprintf(errf, sizeof errf, "%s.err", in);
    if (fx_write(in, text, strlen(text)) < 0) return -1;
    snprintf(cmd, sizeof cmd, "dot -K%s -Tsvg '%s' -o '%s' 2> '%s'", layout,
             in, svg, errf);
    rc = fx_run(cmd);
    msg = fx_read(errf, &len);
    if (rc != 0 || msg == NULL || len != 0) {
        fprintf(stderr, "%s (%s): exit %d, stderr:\n%s\n", name, layout, rc,
                msg ? msg : "(unreadable)");
        free(msg);
        return -1;
    }
    free(msg);
    snprintf(cmd, sizeof cmd, "python3 -c 'import sys, xml.dom.minidom as m; "
             "m.parse(sys.argv[1])' '%s'", svg);
    if (fx_run(cmd) != 0) {
        fprintf(stderr, "%s: SVG is not well-formed XML\n", svg);
        return -1;
    }
    return 0;
}

static char *export_dot(const kg_graph *g, const kg_subgraph *sg,
                        const char *rankdir, const char *by, const char *title)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_DOT, rankdir, by, title};
    kg_error err;

    if (kg_export(&out, g, sg, &o, &err) != KG_OK) {
        fprintf(stderr, "export: %s\n", err.msg);
        kg_buf_free(&out);
        return NULL;
    }
    return kg_buf_detach(&out);
}

static void test_export_dot_render__hostile(void)
{
    kg_graph *g = fx_hostile(0);
    struct { const char *name, *rankdir, *by, *title, *layout; } runs[] = {
        {"hostile.dot", NULL, NULL, NULL, "dot"},
        {"hostile_tb.dot", "TB", NULL, "\"graph\" <&> \\ \n", "dot"},
        {"hostile_zone.dot", "RL", "zone", NULL, "dot"},
        {"hostile_name.dot", NULL, "name", NULL, "dot"},
        {"hostile_layer.dot", NULL, "IN_LAYER", "strict", "dot"},
        {"hostile_rel.dot", "bt", "REL \"x\"", NULL, "dot"},
        {"hostile_sfdp.dot", NULL, NULL, NULL, "sfdp"},
    };
    size_t i;

    for (i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char *x = export_dot(g, NULL, runs[i].rankdir, runs[i].by,
                             runs[i].title);
        kg_assert(x != NULL);
        kg_assert_int(render(runs[i].name, x, runs[i].layout), 0);
        free(x);
    }
    kg_graph_free(g);
}

/* stack <- ml, infra (Layer); services in layers; a cycle a <-> b. */
static kg_graph *layered(void)
{
    static const char *const nodes[][2] = {
        {"stack", "Stack"}, {"ml", "Layer"}, {"infra", "Layer"},
        {"s1", "Service"}, {"s2", "Service"}, {"s3", "Service"},
        {"s4", "Service"}, {"cyc_a", "Layer"}, {"cyc_b", "Layer"},
        {"m", "Service"}, {"lone", NULL},
    };
    static const char *const edges[][3] = {
        {"ml", "IN_LAYER", "stack"}, {"infra", "IN_LAYER", "stack"},
        {"s1", "IN_LAYER", "ml"}, {"s2", "IN_LAYER", "ml"},
        {"s3", "IN_LAYER", "infra"}, {"s4", "IN_LAYER", "ml"},
        {"s4", "IN_LAYER", "infra"}, {"s1", "IN_LAYER", "s1"},
        {"cyc_a", "IN_LAYER", "cyc_b"}, {"cyc_b", "IN_LAYER", "cyc_a"},
        {"m", "IN_LAYER", "cyc_a"}, {"s1", "USES", "s3"},
        {"s2", "USES", "ml"}, {"s3", "USES", "ml"}, {"ml", "DEPENDS", "infra"},
        {"stack", "RELATES", "s1"}, {"lone", "USES", "stack"},
    };
    kg_graph *g = kg_graph_new();
    size_t i;

    for (i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        kg_id n = kg_graph_node_add(g, nodes[i][0], NULL);
        if (nodes[i][1]) kg_graph_label_add(g, n, fx_atom(g, nodes[i][1]));
    }
    for (i = 0; i < sizeof edges / sizeof edges[0]; i++)
        kg_graph_edge_add(g, kg_graph_node_find(g, edges[i][0]),
                          kg_graph_node_find(g, edges[i][2]),
                          fx_atom(g, edges[i][1]), NULL);
    return g;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (; (hay = strstr(hay, needle)) != NULL; hay++) n++;
    return n;
}

static void test_export_dot_render__clusters_by_edge(void)
{
    kg_graph *g = layered();
    kg_id pick[2];
    kg_subgraph sg = {pick, 2, NULL, 0};
    char *x = export_dot(g, NULL, NULL, "in_layer", NULL);

    kg_assert(x != NULL);
    /* heads are clusters, not nodes: stack > infra, ml; cyc_a */
    kg_assert_int(count(x, "subgraph cluster_"), 5); /* 4 + legend */
    kg_assert(strstr(x, "[label=<ml<BR/>") == NULL);
    kg_assert(strstr(x, "    subgraph cluster_2 {\n      label=<ml<BR/>") != NULL);
    /* membership edges are not drawn; a second parent's edge is */
    kg_assert_int(count(x, "label=<IN_LAYER>"), 3); /* s4->ml, self, cycle */
    kg_assert(strstr(x, "tooltip=\"s3 -[USES]-> ml\", lhead=\"cluster_2\"") != NULL);
    kg_assert(strstr(x, "tooltip=\"s2 -[USES]-> ml\"];") != NULL);
    kg_assert(strstr(x, "tooltip=\"ml -[DEPENDS]-> infra\", lhead=\"cluster_1\", "
                        "ltail=\"cluster_2\"") != NULL);
    kg_assert(strstr(x, "tooltip=\"stack -[RELATES]-> s1\"];") != NULL);
    kg_assert(strstr(x, "tooltip=\"lone -[USES]-> stack\", lhead=\"cluster_3\"") != NULL);
    kg_assert_int(render("layered.dot", x, "dot"), 0);
    free(x);
    /* a subset: the layers still frame s1 and s3, though not exported */
    pick[0] = kg_graph_node_find(g, "s3");
    pick[1] = kg_graph_node_find(g, "s1");
    x = export_dot(g, &sg, "TB", "IN_LAYER", NULL);
    kg_assert(x != NULL);
    kg_assert_int(count(x, "subgraph cluster_"), 4); /* stack, infra, ml */
    kg_assert(strstr(x, "label=<stack<BR/>") != NULL);
    kg_assert_int(render("layered_subset.dot", x, "dot"), 0);
    free(x);
    /* by the kind of edge that has none of these shapes */
    x = export_dot(g, NULL, NULL, "USES", NULL);
    kg_assert_int(render("layered_uses.dot", x, "dot"), 0);
    free(x);
    kg_graph_free(g);
}

static void test_export_dot_render__empty_and_large(void)
{
    kg_graph *g = kg_graph_new();
    char *x = export_dot(g, NULL, NULL, NULL, NULL);
    char key[32];
    size_t i;

    kg_assert(x != NULL);
    kg_assert_int(render("empty.dot", x, "dot"), 0);
    free(x);
    for (i = 0; i < 600; i++) {
        snprintf(key, sizeof key, "n%lu", (unsigned long)i);
        kg_graph_label_add(g, kg_graph_node_add(g, key, NULL),
                           fx_atom(g, i % 3 ? "A" : "B"));
    }
    for (i = 0; i < 1200; i++)
        kg_graph_edge_add(g, (kg_id)(i % 600), (kg_id)((i * 7 + 1) % 600),
                          fx_atom(g, "E"), NULL);
    kg_assert_str(kg_export_layout_for(kg_graph_count(g, KG_NODE),
                                       kg_graph_count(g, KG_EDGE)), "sfdp");
    x = export_dot(g, NULL, NULL, NULL, NULL);
    kg_assert_int(render("large.dot", x, "sfdp"), 0);
    free(x);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::dot_render::hostile", test_export_dot_render__hostile},
    {"export::dot_render::clusters_by_edge", test_export_dot_render__clusters_by_edge},
    {"export::dot_render::empty_and_large", test_export_dot_render__empty_and_large},
    {NULL, NULL}
};

KG_TEST_MAIN
