/* test_fastpath.c - the query engine's shortcuts give the general path's
 * answers: property filters tested on the graph (and memoised per node),
 * degree counts from adjacency sizes, grouping by label lists, label
 * bitmaps in expansions, prefetched adjacency. Each case runs a query
 * that takes the shortcut and one written to avoid it (coalesce(),
 * CASE, count(r), a WITH in between) over the same graph, including
 * deleted elements, self-loops, several labels, nulls and later writes. */
#include "qtest.h"

/* Both queries give the same rows, and not none (so that the test could
 * fail); the result is checked with order-independent queries only. */
#define qt_same(g, fast, slow)                                                \
    do {                                                                      \
        char *a_ = qt_run((g), (fast)), *b_ = qt_run((g), (slow));            \
        if (strcmp(a_, b_) != 0 || a_[0] == '\0' || strstr(a_, "error")) {   \
            fprintf(stderr, "%s:%d:\n  fast: %s\n  -> %s\n  slow: %s\n  -> %s\n", \
                    __FILE__, __LINE__, (fast), a_, (slow), b_);              \
            kg_free(a_);                                                      \
            kg_free(b_);                                                      \
            kg_test_failed_ = 1;                                              \
            return;                                                           \
        }                                                                     \
        kg_free(a_);                                                          \
        kg_free(b_);                                                          \
    } while (0)

/* 10 hubs, 15000 leaves (1500 per hub), properties with nulls and mixed
 * types, extra labels, self-loops, a deleted hub and deleted edges. */
static kg_graph *hub_graph(void)
{
    kg_graph *g = qt_graph(
        "UNWIND range(0, 10) AS j CREATE (:Hub {j: j, st: CASE WHEN j % 2 = 0 "
        "THEN 'active' WHEN j = 3 THEN null WHEN j = 5 THEN 5 ELSE 'off' END, "
        "name: 'hub ' + toString(j)})");
    char *r;
    r = qt_run(g, "MATCH (h:Hub) UNWIND range(0, 1499) AS i "
                  "CREATE (h)-[:T {i: i}]->(:Leaf {i: i, name: CASE WHEN i % 7 = 0 "
                  "THEN null ELSE 'leaf ' + toString(i) END, "
                  "d: '2024-0' + toString(i % 9 + 1)})");
    kg_free(r);
    r = qt_run(g, "MATCH (h:Hub) WHERE h.j < 4 CREATE (h)-[:T]->(h), "
                  "(h)-[:U]->(h)");
    kg_free(r);
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i % 5 = 0 SET l:Extra");
    kg_free(r);
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i % 11 = 0 SET l:Other:Extra");
    kg_free(r);
    r = qt_run(g, "MATCH (h:Hub {j: 10}) DETACH DELETE h");
    kg_free(r);
    r = qt_run(g, "MATCH (:Hub {j: 1})-[r:T]->(l) WHERE l.i % 3 = 0 DELETE r");
    kg_free(r);
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i = 1499 DETACH DELETE l");
    kg_free(r);
    return g;
}

static void test_query_fastpath__filters(void)
{
    kg_graph *g = hub_graph();
    static const char *ops[] = {"=", "<>", "<", "<=", ">", ">=", "STARTS WITH",
                                "ENDS WITH", "CONTAINS"};
    /* strings shorter than, as long as and longer than the 8 bytes the
     * columns keep as a prefix */
    static const char *consts[] = {"'leaf 1'", "'2024-05'", "'leaf'", "''",
                                   "'leaf 123'", "'leaf 1234'", "'leaf 12345'",
                                   "'leaf 999'", "'leaf 99'", "5", "null", "$p"};
    char fast[256], slow[256];
    size_t i, k;
    qt_params_ = kg_value_map();
    kg_assert(kg_value_map_set(&qt_params_, "p", 1,
                               kg_value_string("leaf 12", 7)) == KG_OK);
    for (i = 0; i < sizeof ops / sizeof *ops; i++)
        for (k = 0; k < sizeof consts / sizeof *consts; k++) {
            snprintf(fast, sizeof fast,
                     "MATCH (n) WHERE n.name %s %s RETURN count(*)", ops[i],
                     consts[k]);
            snprintf(slow, sizeof slow,
                     "MATCH (n) WHERE coalesce(n.name) %s %s RETURN count(*)",
                     ops[i], consts[k]);
            qt_same(g, fast, slow);
            snprintf(fast, sizeof fast,
                     "MATCH (n:Leaf) WHERE n.d %s %s AND n.i > 100 "
                     "RETURN count(*), sum(n.i)", ops[i], consts[k]);
            snprintf(slow, sizeof slow,
                     "MATCH (n:Leaf) WHERE coalesce(n.d) %s %s AND "
                     "coalesce(n.i) > 100 RETURN count(*), sum(n.i)",
                     ops[i], consts[k]);
            qt_same(g, fast, slow);
            if (i < 6) { /* the constant on the left */
                snprintf(fast, sizeof fast,
                         "MATCH (n:Leaf) WHERE %s %s n.d RETURN count(*)",
                         consts[k], ops[i]);
                snprintf(slow, sizeof slow,
                         "MATCH (n:Leaf) WHERE %s %s coalesce(n.d) "
                         "RETURN count(*)", consts[k], ops[i]);
                qt_same(g, fast, slow);
            }
        }
    /* the answers themselves, not only agreement */
    qt_check(g, "MATCH (n:Leaf) WHERE n.name STARTS WITH 'leaf 149' "
                "RETURN count(*)", "88");
    qt_check(g, "MATCH (n) WHERE n.name CONTAINS 'ub 1' RETURN n.name",
             "'hub 1'");
    /* after writes to a property the scans keep as a column: the answers
     * match properties(n), which reads each node's own properties */
    kg_free(qt_run(g, "MATCH (n:Leaf) WHERE n.i % 4 = 0 SET n.name = 'leaf x'"));
    kg_free(qt_run(g, "MATCH (n:Leaf) WHERE n.i % 6 = 1 REMOVE n.name"));
    kg_free(qt_run(g, "MATCH (n:Leaf) WHERE n.i % 9 = 2 DETACH DELETE n"));
    kg_free(qt_run(g, "UNWIND range(1, 50) AS i CREATE (:Leaf {name: 'leaf x'})"));
    qt_same(g, "MATCH (n) WHERE n.name = 'leaf x' RETURN count(*)",
            "MATCH (n) WHERE properties(n)['name'] = 'leaf x' RETURN count(*)");
    qt_same(g, "MATCH (n) WHERE n.name STARTS WITH 'leaf 1' RETURN count(*)",
            "MATCH (n) WHERE properties(n)['name'] STARTS WITH 'leaf 1' "
            "RETURN count(*)");
    qt_same(g, "MATCH (n) WHERE n.name IS NULL RETURN count(*)",
            "MATCH (n) WHERE properties(n)['name'] IS NULL RETURN count(*)");
    /* relationships, the key as `id`, a null variable, an error kept */
    qt_same(g, "MATCH ()-[r:T]->() WHERE r.i >= 1400 RETURN count(*)",
            "MATCH ()-[r:T]->() WHERE coalesce(r.i) >= 1400 RETURN count(*)");
    qt_same(g, "MATCH (n:Hub) OPTIONAL MATCH (n)-[:U]->(m) WHERE m.st = 'active' "
               "RETURN count(m)",
            "MATCH (n:Hub) OPTIONAL MATCH (n)-[:U]->(m) WHERE coalesce(m.st) = "
            "'active' RETURN count(m)");
    qt_same(g, "MATCH (n) WITH n, null AS z WHERE z.x = 1 RETURN count(*)",
            "MATCH (n) WITH n, null AS z WHERE coalesce(z.x) = 1 RETURN count(*)");
    qt_check(g, "WITH 1 AS z WHERE z.x = 1 RETURN z",
             "error -5 at 1:19: cannot read property 'x' of Integer");
    kg_value_release(&qt_params_);
    qt_params_ = KG_NULL_VALUE;
    kg_graph_free(g);
}

/* a filter on the far end, many rows per node: memoised after 8192 */
static void test_query_fastpath__filter_memo(void)
{
    kg_graph *g = hub_graph();
    qt_same(g, "MATCH (l:Leaf)<-[:T]-(h) WHERE h.st = 'active' RETURN count(*)",
            "MATCH (l:Leaf)<-[:T]-(h) WHERE coalesce(h.st) = 'active' "
            "RETURN count(*)");
    qt_check(g, "MATCH (l:Leaf)<-[:T]-(h) WHERE h.st = 'active' RETURN count(*)",
             "7495");
    qt_same(g, "MATCH (l:Leaf)<-[:T]-(h) WHERE h.st <> 'active' RETURN count(*)",
            "MATCH (l:Leaf)<-[:T]-(h) WHERE coalesce(h.st) <> 'active' "
            "RETURN count(*)");
    /* a write in between, then the same question: the memo is dropped */
    qt_check(g, "MATCH (h:Hub {j: 0}) SET h.st = 'off'", "");
    qt_check(g, "MATCH (l:Leaf)<-[:T]-(h) WHERE h.st = 'active' RETURN count(*)",
             "5996");
    /* writes inside the statement, between rows of the same filter */
    qt_same(g, "UNWIND range(0, 9) AS x MATCH (h:Hub {j: x}) SET h.st = 'active' "
               "WITH x MATCH (l:Leaf)<-[:T]-(h) WHERE h.st = 'active' "
               "RETURN x, count(*) ORDER BY x",
            "UNWIND range(0, 9) AS x MATCH (h:Hub {j: x}) SET h.st = 'active' "
            "WITH x MATCH (l:Leaf)<-[:T]-(h) WHERE coalesce(h.st) = 'active' "
            "RETURN x, count(*) ORDER BY x");
    kg_graph_free(g);
}

static void test_query_fastpath__degree(void)
{
    kg_graph *g = hub_graph();
    static const char *pats[] = {
        "(n)-[r]-()", "(n)-[r]->()", "(n)<-[r]-()", "(n)-[r:T]-()",
        "(n)-[r:U|T]->()", "(n)<-[r:U]-()", "()-[r]->(n)", "()<-[r:T]-(n)",
        "()-[r]-(n)", "(n)-[r:NOPE]-()"};
    static const char *keys[] = {"n.id AS a", "n AS a", "n.j AS a",
                                 "labels(n) AS a",
                                 "n.name AS a, labels(n)[0] AS b"};
    char fast[256], slow[256];
    size_t i, k;
    for (i = 0; i < sizeof pats / sizeof *pats; i++)
        for (k = 0; k < sizeof keys / sizeof *keys; k++) {
            /* order-free digests: groups, total, a checksum of the counts */
            snprintf(fast, sizeof fast,
                     "MATCH %s WITH %s, count(*) AS c RETURN count(*), sum(c), "
                     "sum(c * c), max(c)", pats[i], keys[k]);
            snprintf(slow, sizeof slow,
                     "MATCH %s WITH %s, count(r) AS c RETURN count(*), sum(c), "
                     "sum(c * c), max(c)", pats[i], keys[k]);
            if (i == sizeof pats / sizeof *pats - 1) { /* no rows at all */
                qt_check(g, fast, "0 | 0 | 0 | null");
                qt_check(g, slow, "0 | 0 | 0 | null");
                continue;
            }
            qt_same(g, fast, slow);
        }
    /* a self-loop counts once undirected: 1499 leaves + T and U loops */
    qt_check(g, "MATCH (n:Hub {j: 2})-[r]-() RETURN n.j, count(*)", "2 | 1501");
    qt_check(g, "MATCH (n:Hub {j: 2})-[r]-() WITH n, r RETURN n.j, count(*)",
             "2 | 1501");
    qt_check(g, "MATCH (n)-[r]-() WHERE n.j = 2 RETURN n.j, count(*)",
             "2 | 1501");
    qt_check(g, "MATCH (n)-[r]-() RETURN n.j, count(*) ORDER BY count(*) DESC, "
                "n.j LIMIT 4", "null | 14490\n0 | 1501\n2 | 1501\n3 | 1501");
    kg_graph_free(g);
}

static void test_query_fastpath__labels(void)
{
    kg_graph *g = hub_graph();
    char *r;
    qt_same(g, "MATCH (n) RETURN labels(n)[0] AS k, count(*) ORDER BY k",
            "MATCH (n) RETURN CASE WHEN n IS NULL THEN 0 ELSE labels(n)[0] END "
            "AS k, count(*) ORDER BY k");
    qt_same(g, "MATCH (n) RETURN labels(n) AS k, count(*), sum(n.i) ORDER BY k",
            "MATCH (n) RETURN CASE WHEN n IS NULL THEN 0 ELSE labels(n) END "
            "AS k, count(*), sum(n.i) ORDER BY k");
    qt_check(g, "MATCH (n) RETURN size(labels(n)) AS k, count(*) ORDER BY k",
             "1 | 12000\n2 | 2992\n3 | 1507");
    /* label writes: bitmaps in expansions and label scans stay exact */
    qt_same(g, "MATCH (h:Hub)-[:T]->(l:Extra) RETURN count(*)",
            "MATCH (h:Hub)-[:T]->(l) WHERE any(x IN labels(l) WHERE x = 'Extra') "
            "RETURN count(*)");
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i % 10 = 0 REMOVE l:Extra");
    kg_free(r);
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i % 13 = 0 SET l:Extra");
    kg_free(r);
    r = qt_run(g, "MATCH (l:Leaf) WHERE l.i % 17 = 0 DETACH DELETE l");
    kg_free(r);
    r = qt_run(g, "UNWIND range(1, 200) AS i CREATE (:Extra:Leaf {i: i})");
    kg_free(r);
    qt_same(g, "MATCH (h:Hub)-[:T]->(l:Extra) RETURN count(*)",
            "MATCH (h:Hub)-[:T]->(l) WHERE any(x IN labels(l) WHERE x = 'Extra') "
            "RETURN count(*)");
    qt_same(g, "MATCH (l:Leaf:Extra) RETURN count(*)",
            "MATCH (l:Leaf) WHERE any(x IN labels(l) WHERE x = 'Extra') "
            "RETURN count(*)");
    qt_same(g, "MATCH (l:Extra:Leaf) RETURN count(*)",
            "MATCH (l) WHERE any(x IN labels(l) WHERE x = 'Extra') AND "
            "any(x IN labels(l) WHERE x = 'Leaf') RETURN count(*)");
    qt_same(g, "MATCH (n) RETURN labels(n) AS k, count(*) ORDER BY k",
            "MATCH (n) RETURN CASE WHEN n IS NULL THEN 0 ELSE labels(n) END "
            "AS k, count(*) ORDER BY k");
    /* grouping by type(r): memoised by the type atom */
    qt_same(g, "MATCH ()-[r]->() RETURN type(r) AS k, count(*), sum(r.i) ORDER BY k",
            "MATCH ()-[r]->() RETURN CASE WHEN r IS NULL THEN 0 ELSE type(r) END "
            "AS k, count(*), sum(r.i) ORDER BY k");
    qt_check(g, "MATCH ()-[r]->() RETURN toLower(type(r)) AS k, count(*) "
                "ORDER BY k", "'t' | 13634\n'u' | 4");
    qt_check(g, "MATCH (n:Hub)-[r]->() WITH CASE WHEN n.j = 0 THEN n ELSE r END "
                "AS x RETURN type(x), count(*)",
             "error -5 at 1:81: type() expects a relationship, got Node");
    /* expansions both ways over self-loops */
    qt_same(g, "MATCH (h:Hub)-[r]-(x:Hub) RETURN count(*)",
            "MATCH (h:Hub)-[r]-(x) WHERE any(y IN labels(x) WHERE y = 'Hub') "
            "RETURN count(*)");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"filters", test_query_fastpath__filters},
    {"filter_memo", test_query_fastpath__filter_memo},
    {"degree", test_query_fastpath__degree},
    {"labels", test_query_fastpath__labels},
    {NULL, NULL},
};

KG_TEST_MAIN
