/* test_exec_write.c - CREATE, MERGE, SET, REMOVE, DELETE and the side
 * effect statistics. */
#include "qtest.h"

/* Run text and render its statistics as "+n -n +r -r p +l -l". */
static char *stats_of(kg_graph *g, const char *text)
{
    kg_query_env env;
    kg_query *q;
    kg_error err;
    kg_query_stats st;
    char buf[512];
    int rc;
    memset(&env, 0, sizeof env);
    env.graph = g;
    if (kg_query_prepare(&q, &env, text, strlen(text), &err) < 0)
        return kg_strdup(err.msg);
    while ((rc = kg_query_step(q, &err)) == KG_ROW) {}
    kg_query_stats_get(q, &st);
    snprintf(buf, sizeof buf, "%s+%llu -%llu +%llu -%llu %llu +%llu -%llu",
             rc < 0 ? err.msg : "",
             (unsigned long long)st.nodes_created,
             (unsigned long long)st.nodes_deleted,
             (unsigned long long)st.rels_created,
             (unsigned long long)st.rels_deleted,
             (unsigned long long)st.props_set,
             (unsigned long long)st.labels_added,
             (unsigned long long)st.labels_removed);
    kg_query_free(q);
    return kg_strdup(buf);
}

#define qt_stats(g, text, want)                                               \
    do {                                                                      \
        char *s_ = stats_of((g), (text));                                     \
        int ok_ = strcmp(s_, (want)) == 0;                                    \
        if (!ok_) fprintf(stderr, "%s: got '%s' want '%s'\n", (text), s_, (want)); \
        kg_free(s_);                                                          \
        kg_assert(ok_);                                                       \
    } while (0)

static void test_query_exec_write__create(void)
{
    kg_graph *g = kg_graph_new();
    qt_stats(g, "CREATE (a:A:B {x: 1, y: null})-[:T {w: 2}]->(b), (b)-[:U]->(a)",
             "+2 -0 +2 -0 2 +2 -0");
    qt_check(g, "MATCH (a:A)-[r:T]->(b)-[u:U]->(a) RETURN a, r, type(u)",
             "(:A:B {x: 1}) | [:T {w: 2}] | 'U'");
    qt_check(g, "UNWIND [1, 2, 3] AS i CREATE (:N {i: i})", "");
    qt_check(g, "MATCH (n:N) RETURN sum(n.i)", "6");
    /* MATCH ... CREATE does not see its own nodes */
    qt_stats(g, "MATCH (n) CREATE (:M)", "+5 -0 +0 -0 0 +5 -0");
    qt_check(g, "CREATE p = (:X)-[:T]->(:Y) RETURN p", "<(:X)-[:T]->(:Y)>");
    qt_check(g, "CREATE (n {m: {a: 1}})",
             "error -5 at 1:11: property 'm' cannot hold a Map");
    kg_graph_free(g);
}

static void test_query_exec_write__merge(void)
{
    kg_graph *g = kg_graph_new();
    qt_stats(g, "UNWIND [1, 1, 2] AS k MERGE (:K {k: k})", "+2 -0 +0 -0 2 +2 -0");
    qt_check(g, "MERGE (n:K {k: 1}) ON MATCH SET n.seen = true "
                "ON CREATE SET n.new = true RETURN n",
             "(:K {k: 1, seen: true})");
    qt_check(g, "MERGE (n:K {k: 9}) ON MATCH SET n.seen = true "
                "ON CREATE SET n.new = true RETURN n",
             "(:K {k: 9, new: true})");
    qt_check(g, "MATCH (a:K {k: 1}), (b:K {k: 2}) MERGE (a)-[r:R]->(b) "
                "RETURN type(r)", "'R'");
    qt_stats(g, "MATCH (a:K {k: 1}), (b:K {k: 2}) MERGE (a)-[r:R]->(b)",
             "+0 -0 +0 -0 0 +0 -0");
    qt_check(g, "MERGE (n:K {k: null})",
             "error -5 at 1:12: MERGE cannot use a null value for property 'k'");
    kg_graph_free(g);
}

static void test_query_exec_write__set_remove(void)
{
    kg_graph *g = qt_graph("CREATE (:A {x: 1, y: 2})");
    qt_check(g, "MATCH (n:A) SET n.x = n.x + 1, n:B RETURN n",
             "(:A:B {x: 2, y: 2})");
    qt_check(g, "MATCH (n:A) SET n += {z: 3, y: null} RETURN n",
             "(:A:B {x: 2, z: 3})");
    qt_check(g, "MATCH (n:A) SET n = {k: 'v'} RETURN n", "(:A:B {k: 'v'})");
    qt_check(g, "MATCH (n:A) REMOVE n.k, n:B RETURN n", "(:A)");
    qt_stats(g, "MATCH (n:A) REMOVE n:A", "+0 -0 +0 -0 0 +0 -1");
    qt_check(g, "MATCH (n) SET n.x = 1 RETURN n.x", "1");
    kg_graph_free(g);
}

static void test_query_exec_write__delete(void)
{
    kg_graph *g = qt_graph("CREATE (a:A)-[:T]->(b:B)-[:T]->(c:C), (a)-[:T]->(a)");
    qt_check(g, "MATCH (n:B) DELETE n",
             "error -5 at 1:13: cannot delete a node that still has "
             "relationships; use DETACH DELETE");
    qt_stats(g, "MATCH (n:B)-[r]-() DELETE n, r", "+0 -1 +0 -2 0 +0 -0");
    qt_stats(g, "MATCH (n:A) DETACH DELETE n", "+0 -1 +0 -1 0 +0 -0");
    qt_check(g, "MATCH (n) RETURN labels(n)", "['C']");
    qt_check(g, "MATCH (n) DELETE n RETURN n.x",
             "error -5 at 1:27: the node was deleted");
    kg_graph_free(g);
}

/* an update runs on every row, whatever LIMIT keeps of the result */
static void test_query_exec_write__limit_does_not_skip_updates(void)
{
    kg_graph *g = qt_graph("UNWIND range(1, 5) AS i CREATE (:N {i: i})");
    qt_check(g, "MATCH (n:N) SET n.seen = true RETURN n.i LIMIT 0", "");
    qt_check(g, "MATCH (n:N) WHERE n.seen RETURN count(*)", "5");
    qt_check(g, "MATCH (n:N) SET n.k = 1 RETURN n.i ORDER BY n.i SKIP 1 LIMIT 2",
             "2\n3");
    qt_check(g, "MATCH (n:N) WHERE n.k = 1 RETURN count(*)", "5");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"query::exec_write::create", test_query_exec_write__create},
    {"query::exec_write::merge", test_query_exec_write__merge},
    {"query::exec_write::set_remove", test_query_exec_write__set_remove},
    {"query::exec_write::delete", test_query_exec_write__delete},
    {"query::exec_write::limit_does_not_skip_updates",
     test_query_exec_write__limit_does_not_skip_updates},
    {NULL, NULL}};

KG_TEST_MAIN
