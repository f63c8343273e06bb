/* test_exec_proj.c - WITH / RETURN: projection, aggregation, DISTINCT,
 * ORDER BY (null and cross-type ordering), SKIP / LIMIT, UNION. */
#include "qtest.h"

#define PEOPLE "UNWIND [['a', 30, 'x'], ['b', 20, 'y'], ['c', 30, 'x'], " \
               "['d', null, 'y']] AS r CREATE (:P {name: r[0], age: r[1], city: r[2]})"

static void test_query_exec_proj__aggregates(void)
{
    kg_graph *g = qt_graph(PEOPLE);
    qt_check(g, "MATCH (p:P) RETURN count(*), count(p.age), sum(p.age), "
                "avg(p.age), min(p.age), max(p.name), collect(p.age)",
             "4 | 3 | 80 | 26.666666666666668 | 20 | 'd' | [30, 20, 30]");
    qt_check(g, "MATCH (p:P) RETURN p.city, count(*) AS n, collect(p.name) "
                "ORDER BY p.city",
             "'x' | 2 | ['a', 'c']\n'y' | 2 | ['b', 'd']");
    qt_check(g, "MATCH (p:P) RETURN count(DISTINCT p.age), "
                "collect(DISTINCT p.city)", "2 | ['x', 'y']");
    qt_check(g, "MATCH (p:Nope) RETURN count(*), sum(p.x), collect(p), max(p.x)",
             "0 | 0 | [] | null");
    qt_check(g, "MATCH (p:Nope) RETURN p.x, count(*)", "");
    qt_check(g, "MATCH (p:P) WITH p.city AS c, count(*) + 1 AS n "
                "RETURN c, n ORDER BY c", "'x' | 3\n'y' | 3");
    qt_check(g, "UNWIND [1, 2, 3, 4] AS x RETURN stDev(x), percentileDisc(x, 0.5), "
                "percentileCont(x, 0.5)",
             "1.2909944487358056 | 2 | 2.5");
    kg_graph_free(g);
}

static void test_query_exec_proj__order_skip_limit(void)
{
    kg_graph *g = qt_graph(PEOPLE);
    qt_check(g, "MATCH (p:P) RETURN p.name ORDER BY p.age DESC, p.name",
             "'d'\n'a'\n'c'\n'b'");
    qt_check(g, "MATCH (p:P) RETURN p.name AS n ORDER BY p.age, n SKIP 1 LIMIT 2",
             "'a'\n'c'");
    qt_check(g, "MATCH (p:P) WITH p ORDER BY p.name DESC LIMIT 1 RETURN p.name",
             "'d'");
    qt_check(g, "UNWIND [3, 'a', null, true, 1.5, [1], {k: 1}] AS v "
                "RETURN v ORDER BY v",
             "{k: 1}\n[1]\n'a'\ntrue\n1.5\n3\nnull");
    qt_check(g, "MATCH (p:P) RETURN p.city, count(*) AS n ORDER BY n DESC, "
                "p.city LIMIT 1", "'x' | 2");
    qt_check(g, "UNWIND range(1, 100) AS x RETURN x ORDER BY x DESC LIMIT 3",
             "100\n99\n98");
    qt_check(g, "UNWIND [1, 2, 3] AS x RETURN x LIMIT 0", "");
    kg_graph_free(g);
}

static void test_query_exec_proj__distinct_and_union(void)
{
    kg_graph *g = qt_graph(PEOPLE);
    qt_check(g, "MATCH (p:P) RETURN DISTINCT p.city ORDER BY p.city", "'x'\n'y'");
    qt_check(g, "MATCH (p:P) WITH DISTINCT p.age AS a WHERE a > 10 "
                "RETURN a ORDER BY a", "20\n30");
    qt_check(g, "RETURN 1 AS x UNION RETURN 1 AS x UNION RETURN 2 AS x", "1\n2");
    qt_check(g, "RETURN 1 AS x UNION ALL RETURN 1 AS x", "1\n1");
    qt_check(g, "RETURN 1 AS x UNION RETURN 2 AS y",
             "error -4 at 1:21: all parts of a UNION must return the same "
             "column names");
    kg_graph_free(g);
}

static void test_query_exec_proj__scoping(void)
{
    kg_graph *g = qt_graph(PEOPLE);
    qt_check(g, "MATCH (p:P {name: 'a'}) WITH p.name AS n RETURN p",
             "error -4 at 1:49: variable 'p' not defined");
    qt_check(g, "WITH 1 AS a, 2 AS b WITH a AS b, b AS a RETURN a, b", "2 | 1");
    qt_check(g, "MATCH (p:P) RETURN p.name ORDER BY p.age, p.name LIMIT 1", "'b'");
    qt_check(g, "MATCH (p:P) RETURN DISTINCT p.city ORDER BY p.name",
             "error -4 at 1:45: variable 'p' not defined");
    qt_check(g, "WITH 1 AS x RETURN *", "1");
    qt_check(g, "UNWIND [1, 2] AS x WITH x, x * 2 AS y RETURN sum(y)", "6");
    kg_graph_free(g);
}

/* grouping and count(DISTINCT) on n.id use the node key; generated keys
 * (nodes made by CREATE) are no key at all: n.id is null for them */
static void test_query_exec_proj__node_keys(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_id a = kg_graph_node_add(g, "a", &err), b = kg_graph_node_add(g, "b", &err);
    kg_atom t = kg_graph_atom(g, "T", 1);
    kg_graph_edge_add(g, a, b, t, &err);
    kg_graph_edge_add(g, a, b, t, &err);
    kg_graph_edge_add(g, b, a, t, &err);
    kg_free(qt_run(g, "CREATE (:X)-[:T]->(:X)"));
    qt_check(g, "MATCH (n)-[r]-() RETURN n.id AS id, count(*) AS deg "
                "ORDER BY deg DESC, id",
             "'a' | 3\n'b' | 3\nnull | 2");
    qt_check(g, "MATCH (n)--(m) RETURN count(DISTINCT m.id), count(m.id)",
             "2 | 6");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"query::exec_proj::aggregates", test_query_exec_proj__aggregates},
    {"query::exec_proj::order_skip_limit",
     test_query_exec_proj__order_skip_limit},
    {"query::exec_proj::distinct_and_union",
     test_query_exec_proj__distinct_and_union},
    {"query::exec_proj::scoping", test_query_exec_proj__scoping},
    {"query::exec_proj::node_keys", test_query_exec_proj__node_keys},
    {NULL, NULL}};

KG_TEST_MAIN
