/* test_cypher.c - the Cypher script export: its text (quoting, escapes,
 * values without literals), and that kgsh's own engine runs it on an empty
 * graph and rebuilds the same data.
 *
 * The script carries each key as the property `id` (Neo4j has no keys).
 * The engine may or may not turn `id` into the node key, so the rebuilt
 * graph is normalised (key = id, id dropped) before fingerprints are
 * compared; either way every label, property and edge must come back. */
#include "export_fixture.h"
#include "kg_query.h"
#include "kg_test.h"

static int rebuilds(const kg_graph *src);

static char *script(const kg_graph *g)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_CYPHER, NULL, NULL, NULL};
    if (kg_export(&out, g, NULL, &o, NULL) != KG_OK) {
        kg_buf_free(&out);
        return NULL;
    }
    return kg_buf_detach(&out);
}

static void test_export_cypher__text(void)
{
    kg_graph *g = fx_typed(2);
    char *x = script(g);

    kg_assert(x != NULL);
    kg_assert(strncmp(x, "// kgsh export: 4 nodes, 5 relationships\n"
                         "// written as JSON text (maps, nested or mixed lists): "
                         "3 properties\nCREATE\n"
                         "  (n0:`Layer` {`id`: 'layer:ml', `name`: 'ML; Layer'}),\n"
                         "  (n1 {`id`: 'node-no-label', `name`: 'x'}),\n", 185) == 0);
    kg_assert(strstr(x, "(n2:`Service`:`Managed` {`id`: 'svc-1', `big`: 5000000000, "
                        "`dates`: [date('2020-01-01'), date('1999-12-31')], ") != NULL);
    kg_assert(strstr(x, "`huge`: 1e300, ") != NULL);
    kg_assert(strstr(x, "`min`: -9223372036854775807 - 1, ") != NULL);
    kg_assert(strstr(x, "`negz`: -0.0, ") != NULL && strstr(x, "`three`: 3.0, ") != NULL);
    kg_assert(strstr(x, "`text`: 'line1\\nline2\\r\\nx;y \\\\ \\'z\\' `w`'") != NULL);
    kg_assert(strstr(x, "`weird name, \"q\"`: 'v'") != NULL);
    kg_assert(strstr(x, "`inf`: -1.0/0.0, ") != NULL && strstr(x, "`nan`: 0.0/0.0, ") != NULL);
    kg_assert(strstr(x, "`map`: '{\"k\":1,\"s p\":\"\\\\u0001\"}'") != NULL);
    kg_assert(strstr(x, "`mixed`: '[1,\"a\"]', `name`: 'Beta', ") != NULL);
    kg_assert(strstr(x, "`nolist`: [], ") != NULL && strstr(x, "`empty`: '', ") != NULL);
    kg_assert(strstr(x, "  (n2)-[:`IN_LAYER` {`since`: date('2022-02-02'), "
                        "`weight`: 0.5}]->(n0),\n") != NULL);
    kg_assert(strstr(x, "  (n3)-[:`IN_LAYER`]->(n0);\n") != NULL);
    free(x);
    kg_graph_free(g);
}

static void test_export_cypher__names(void)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "a`b", NULL);
    kg_id b = kg_graph_node_add(g, "b", NULL);
    char *x;

    kg_graph_label_add(g, a, fx_atom(g, "MATCH"));
    kg_graph_label_add(g, a, fx_atom(g, "we`ird\xFF"));
    fx_set(g, KG_NODE, b, "id", fx_str("own"));   /* its own id wins */
    fx_set(g, KG_NODE, b, "", kg_value_int(1));    /* cannot be written */
    kg_graph_edge_add(g, a, b, fx_atom(g, "RETURN"), NULL);
    kg_graph_edge_add(g, a, b, fx_atom(g, ""), NULL);
    x = script(g);
    kg_assert(x != NULL);
    kg_assert(strstr(x, "// kgsh export: 2 nodes, 1 relationships\n"
                        "// left out (empty names): 1 properties, 1 relationships\n") == x);
    kg_assert(strstr(x, "(n0:`MATCH`:`we``ird\xEF\xBF\xBD` {`id`: 'a`b'})") != NULL);
    kg_assert(strstr(x, "(n1 {`id`: 'own'})") != NULL);
    kg_assert(strstr(x, "(n0)-[:`RETURN`]->(n1);") != NULL);
    free(x);
    kg_graph_free(g);
    g = kg_graph_new();
    x = script(g);
    kg_assert_str(x, "// kgsh export: 0 nodes, 0 relationships\n"
                     "UNWIND [] AS nothing RETURN nothing;\n");
    free(x);
    x = NULL;
    kg_assert(rebuilds(g)); /* the empty script runs too */
    free(x);
    kg_graph_free(g);
}

/* g with each node's key taken from its `id` property (dropped). */
static kg_graph *normalise(const kg_graph *g)
{
    kg_graph *n = kg_graph_new();
    kg_atom id = kg_graph_atom_find(g, "id", 2);
    size_t i, j, cap = kg_graph_cap(g, KG_NODE);
    kg_id *map = calloc(cap + 1, sizeof *map);

    for (i = 0; i < cap; i++) {
        const kg_value *k;
        size_t nl, np;
        const kg_atom *la;
        if (!kg_graph_alive(g, KG_NODE, (kg_id)i)) continue;
        k = id == KG_NONE ? NULL : kg_graph_prop(g, KG_NODE, (kg_id)i, id);
        map[i] = kg_graph_node_add(n, k && k->type == KG_VSTRING ? k->u.str->s
                                          : kg_graph_node_key(g, (kg_id)i), NULL);
        la = kg_graph_labels(g, (kg_id)i, &nl);
        for (j = 0; j < nl; j++)
            kg_graph_label_add(n, map[i], fx_atom(n, kg_graph_atom_str(g, la[j])));
        np = kg_graph_prop_count(g, KG_NODE, (kg_id)i);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(g, KG_NODE, (kg_id)i, j, &a);
            if (a != id)
                kg_graph_prop_set(n, KG_NODE, map[i], fx_atom(n, kg_graph_atom_str(g, a)), v);
        }
    }
    cap = kg_graph_cap(g, KG_EDGE);
    for (i = 0; i < cap; i++) {
        kg_id e;
        size_t np;
        if (!kg_graph_alive(g, KG_EDGE, (kg_id)i)) continue;
        e = kg_graph_edge_add(n, map[kg_graph_edge_src(g, (kg_id)i)],
                              map[kg_graph_edge_dst(g, (kg_id)i)],
                              fx_atom(n, kg_graph_atom_str(g, kg_graph_edge_type(g, (kg_id)i))),
                              NULL);
        np = kg_graph_prop_count(g, KG_EDGE, (kg_id)i);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(g, KG_EDGE, (kg_id)i, j, &a);
            kg_graph_prop_set(n, KG_EDGE, e, fx_atom(n, kg_graph_atom_str(g, a)), v);
        }
    }
    free(map);
    return n;
}

/* Run the script of src in kgsh on an empty graph; 1 when it rebuilds src. */
static int rebuilds(const kg_graph *src)
{
    char *x = script(src);
    kg_graph *g = kg_graph_new(), *n = NULL;
    kg_query_env env;
    kg_query *q = NULL;
    kg_error err;
    int rc, ok = 0;

    memset(&env, 0, sizeof env);
    env.graph = g;
    if (x == NULL) goto done;
    if (kg_query_prepare(&q, &env, x, strlen(x), &err) != KG_OK) {
        kg_error_locate(&err, x, strlen(x));
        kg_error_print(stderr, &err, x, strlen(x));
        goto done;
    }
    while ((rc = kg_query_step(q, &err)) == KG_ROW) {}
    if (rc != KG_DONE) {
        fprintf(stderr, "run: %s\n", err.msg);
        goto done;
    }
    n = normalise(g);
    ok = kg_graph_fingerprint(n) == kg_graph_fingerprint(src);
done:
    kg_query_free(q);
    kg_graph_free(n);
    kg_graph_free(g);
    free(x);
    return ok;
}

static void test_export_cypher__kgsh_rebuilds(void)
{
    kg_graph *g = fx_typed(1), *h = fx_hostile(0), *v = fx_valid_copy(h);

    kg_assert(rebuilds(g)); /* every type, NaN and infinities too */
    kg_assert(rebuilds(v)); /* every hostile name, in valid UTF-8 */
    kg_graph_free(g);
    kg_graph_free(h);
    kg_graph_free(v);
}

/* Temporal values are written with their constructors and come back as
 * the same values. */
static void test_export_cypher__temporal(void)
{
    kg_graph *g = kg_graph_new();
    kg_id t = kg_graph_node_add(g, "t", NULL);
    char *x;

#define TV(type, s) kg_value_temporal(type, s, strlen(s))
    fx_set(g, KG_NODE, t, "lt", TV(KG_VLOCALTIME, "12:31:14.000000001"));
    fx_set(g, KG_NODE, t, "tm", TV(KG_VTIME, "12:31:14+01:00"));
    fx_set(g, KG_NODE, t, "ldt", TV(KG_VLOCALDATETIME, "1984-10-11T12:31"));
    fx_set(g, KG_NODE, t, "dt", TV(KG_VDATETIME, "1984-10-11T12:31Z"));
    fx_set(g, KG_NODE, t, "du", TV(KG_VDURATION, "P1Y2M3DT4H5M6.7S"));
    fx_set(g, KG_NODE, t, "dus", fx_list(2, TV(KG_VDURATION, "PT1S"),
                                         TV(KG_VDURATION, "P2D")));
#undef TV
    kg_assert((x = script(g)) != NULL);
    kg_assert(strstr(x, "`lt`: localtime('12:31:14.000000001')") != NULL);
    kg_assert(strstr(x, "`tm`: time('12:31:14+01:00')") != NULL);
    kg_assert(strstr(x, "`ldt`: localdatetime('1984-10-11T12:31')") != NULL);
    kg_assert(strstr(x, "`dt`: datetime('1984-10-11T12:31Z')") != NULL);
    kg_assert(strstr(x, "`du`: duration('P1Y2M3DT4H5M6.7S')") != NULL);
    kg_assert(strstr(x, "`dus`: [duration('PT1S'), duration('P2D')]") != NULL);
    kg_assert(strstr(x, "JSON text") == NULL); /* nothing written as JSON */
    free(x);
    kg_assert(rebuilds(g));
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::cypher::temporal", test_export_cypher__temporal},
    {"export::cypher::text", test_export_cypher__text},
    {"export::cypher::names", test_export_cypher__names},
    {"export::cypher::kgsh_rebuilds", test_export_cypher__kgsh_rebuilds},
    {NULL, NULL}
};

KG_TEST_MAIN
