/* test_dot.c - the DOT writer: escaping, styles, legend, clusters, errors.
 *
 * Rendering with the real dot is test_dot_render.c; here the text itself is
 * checked, so a failure names the construct that went wrong. */
#include "export_fixture.h"
#include "kg_test.h"

static char *dot(const kg_graph *g, const kg_subgraph *sg, const char *rankdir,
                 const char *cluster_by, const char *title)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_DOT, rankdir, cluster_by, title};
    kg_error err;
    if (kg_export(&out, g, sg, &o, &err) != KG_OK) {
        fprintf(stderr, "export: %s\n", err.msg);
        kg_buf_free(&out);
        return NULL;
    }
    return kg_buf_detach(&out);
}

static void test_export_dot__hostile_names(void)
{
    kg_graph *g = fx_hostile(0);
    char *x = dot(g, NULL, NULL, NULL, "t\"itle <&>\\");
    size_t i;
    char want[128] = {0};

    kg_assert(x != NULL);
    kg_assert(kg_utf8_valid(x, strlen(x)));
    for (i = 0; x[i]; i++) /* no control character but the newlines */
        kg_assert((unsigned char)x[i] >= 0x20 || x[i] == '\n');
    kg_assert(strstr(x, "rankdir=\"LR\"") != NULL);
    kg_assert(strstr(x, "label=<t&quot;itle &lt;&amp;&gt;\\>") != NULL);
    kg_assert(strstr(x, "label=<He said &quot;hi&quot;<BR/>") != NULL);
    kg_assert(strstr(x, "label=<&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;") != NULL);
    kg_assert(strstr(x, "label=<&amp;amp; &amp;#0; &amp;lt;") != NULL);
    kg_assert(strstr(x, "label=<line1 line2") != NULL);
    kg_assert(strstr(x, "label=<nul\xEF\xBF\xBDinside") != NULL);
    kg_assert(strstr(x, "label=<bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD(") != NULL);
    kg_assert(strstr(x, "label=<ctl \xEF\xBF\xBD\xEF\xBF\xBD[31m \xEF\xBF\xBD \xEF\xBF\xBD") != NULL);
    /* tooltips are escStrings: backslashes doubled, so \N stays text */
    kg_assert(strstr(x, "tooltip=\"trailing\\\\#2\\nt.csv:3\"") != NULL);
    kg_assert(strstr(x, "tooltip=\"back\\\\slash#1\\nnotes/a \\\"b\\\"\\\\.md:2\"") != NULL);
    kg_assert(strstr(x, "tooltip=\"\\\\N \\\\G \\\\L \\\\l \\\\n#20") != NULL);
    /* names never become ids: every statement starts with a generated id */
    kg_assert(strstr(x, "\n  n0 [label=") != NULL);
    kg_assert(strstr(x, "digraph\"") == NULL && strstr(x, " node [label") == NULL);
    /* a 5000-byte name is cut at 60 code points */
    memcpy(want, "label=<", 7);
    memset(want + 7, 'L', 60);
    memcpy(want + 67, "\xE2\x80\xA6>,", 6);
    kg_assert(strstr(x, want) != NULL);
    free(x);
    kg_graph_free(g);
}

/* Kinds keep their style across exports: it depends on the graph's sorted
 * kinds, not on which nodes an export holds. */
static void test_export_dot__styles_and_legend(void)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "a", NULL), b = kg_graph_node_add(g, "b", NULL);
    kg_id c = kg_graph_node_add(g, "c", NULL);
    kg_id only_b[1];
    kg_subgraph sg = {only_b, 1, NULL, 0};
    char *x;

    kg_graph_label_add(g, a, fx_atom(g, "Zeta"));
    kg_graph_label_add(g, b, fx_atom(g, "Alpha"));
    kg_graph_label_add(g, b, fx_atom(g, "Zeta"));
    x = dot(g, NULL, "tb", NULL, NULL);
    kg_assert(strstr(x, "rankdir=\"TB\"") != NULL);
    kg_assert(strstr(x, "n0 [label=<a<BR/><FONT POINT-SIZE=\"9\">Zeta</FONT>>, "
                        "shape=\"ellipse\", fillcolor=\"#ffffb3\"") != NULL);
    kg_assert(strstr(x, "n1 [label=<b<BR/><FONT POINT-SIZE=\"9\">Alpha</FONT>>, "
                        "shape=\"box\", fillcolor=\"#8dd3c7\"") != NULL);
    kg_assert(strstr(x, "n2 [label=<c>, shape=\"ellipse\", fillcolor=\"#ffffff\"") != NULL);
    kg_assert(strstr(x, "subgraph cluster_legend") != NULL);
    kg_assert(strstr(x, "k0 [label=<Alpha>, shape=\"box\"") != NULL);
    kg_assert(strstr(x, "k1 [label=<Zeta>, shape=\"ellipse\"") != NULL);
    kg_assert(strstr(x, "k_none [label=<<I>no label</I>>") != NULL);
    free(x);
    only_b[0] = b;
    x = dot(g, &sg, NULL, NULL, NULL);
    kg_assert(strstr(x, "fillcolor=\"#8dd3c7\"") != NULL);
    kg_assert(strstr(x, "Zeta") == NULL && strstr(x, "k_none") == NULL);
    free(x);
    (void)c;
    kg_graph_free(g);
}

static void test_export_dot__cluster_by_property(void)
{
    kg_graph *g = fx_hostile(0);
    char *x = dot(g, NULL, NULL, "zone", NULL);

    kg_assert(x != NULL);
    kg_assert(strstr(x, "  subgraph cluster_0 {\n    label=<eu &quot;west&quot;"
                        "<BR/><FONT POINT-SIZE=\"9\">zone</FONT>>; "
                        "tooltip=\"zone = eu \\\"west\\\"\";") != NULL);
    kg_assert(strstr(x, "subgraph cluster_1 {\n    label=<us-east-1<BR/>") != NULL);
    kg_assert(strstr(x, "subgraph cluster_2") == NULL);
    kg_assert(strstr(x, "lhead") == NULL);
    free(x);
    kg_graph_free(g);
}

static void test_export_dot__errors(void)
{
    kg_graph *g = fx_hostile(0);
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_DOT, "diagonal", NULL, NULL};
    kg_error err;

    kg_assert_int(kg_export(&out, g, NULL, &o, &err), KG_ETYPE);
    kg_assert_str(err.msg, "export: rankdir 'diagonal' is not one of TB, LR, BT, RL");
    o.rankdir = NULL;
    o.cluster_by = "nothing";
    kg_assert_int(kg_export(&out, g, NULL, &o, &err), KG_ETYPE);
    kg_assert_str(err.msg, "export: cluster by 'nothing': no edge type or "
                           "node property has that name");
    kg_assert(out.len == 0);
    kg_buf_free(&out);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::dot::hostile_names", test_export_dot__hostile_names},
    {"export::dot::styles_and_legend", test_export_dot__styles_and_legend},
    {"export::dot::cluster_by_property", test_export_dot__cluster_by_property},
    {"export::dot::errors", test_export_dot__errors},
    {NULL, NULL}
};

KG_TEST_MAIN
