/* test_exec_match.c - MATCH: scans, seeks, expansions, variable length,
 * shortest paths, optional match, isomorphism, pattern predicates. */
#include "qtest.h"

#define G3 "CREATE (a:P {name:'a'})-[:K]->(b:P {name:'b'})-[:K]->(c:P {name:'c'})," \
           " (a)-[:L {w: 2}]->(c), (d:Q {name:'d'})"

static void test_query_exec_match__labels_and_types(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH (n:P) RETURN n.name ORDER BY n.name", "'a'\n'b'\n'c'");
    qt_check(g, "MATCH (n:Nope) RETURN n", "");
    qt_check(g, "MATCH (n:P:Q) RETURN n", "");
    qt_check(g, "MATCH (a)-[r:K|L]->(b) RETURN a.name, type(r), b.name "
                "ORDER BY b.name, type(r)",
             "'a' | 'K' | 'b'\n'b' | 'K' | 'c'\n'a' | 'L' | 'c'");
    qt_check(g, "MATCH (a)<-[:L]-(b) RETURN a.name, b.name", "'c' | 'a'");
    qt_check(g, "MATCH (a {name:'b'})--(x) RETURN x.name ORDER BY x.name",
             "'a'\n'c'");
    qt_check(g, "MATCH ()-[r {w: 2}]->() RETURN r", "[:L {w: 2}]");
    kg_graph_free(g);
}

static void test_query_exec_match__key_seek(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_id a = kg_graph_node_add(g, "sagemaker", &err);
    kg_id b = kg_graph_node_add(g, "s3", &err);
    kg_graph_edge_add(g, a, b, kg_graph_atom(g, "USES", 4), &err);
    qt_check(g, "MATCH (n {id: 'sagemaker'})-->(m) RETURN m.id", "'s3'");
    qt_check(g, "MATCH (n)-->(m) WHERE m.id = 's3' RETURN n.id, m",
             "'sagemaker' | ({id: 's3'})");
    qt_check(g, "MATCH (n) WHERE id(n) = 1 RETURN n.id", "'s3'");
    qt_check(g, "EXPLAIN MATCH (n {id: 'sagemaker'}) RETURN n",
             "'Projection n -> 1'\n"
             "'  NodeByKeySeek slot 0 key = \\'sagemaker\\''\n"
             "'    Argument'");
    /* a stored id property wins over the key */
    qt_check(g, "CREATE ({id: 'sagemaker', v: 2})", "");
    qt_check(g, "MATCH (n {id: 'sagemaker'}) RETURN n.v ORDER BY n.v",
             "2\nnull");
    kg_graph_free(g);
}

static void test_query_exec_match__varlen(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH (a {name:'a'})-[:K*1..2]->(x) RETURN x.name ORDER BY x.name",
             "'b'\n'c'");
    qt_check(g, "MATCH (a {name:'a'})-[r*0..]->(x) RETURN x.name, size(r) "
                "ORDER BY size(r), x.name",
             "'a' | 0\n'b' | 1\n'c' | 1\n'c' | 2");
    qt_check(g, "MATCH p = (a {name:'c'})<-[*2]-(x) RETURN p",
             "<(:P {name: 'c'})<-[:K]-(:P {name: 'b'})<-[:K]-(:P {name: 'a'})>");
    /* trails: an undirected walk never reuses an edge */
    qt_check(g, "MATCH (a {name:'a'})-[*]-(x) RETURN count(*)", "6");
    kg_graph_free(g);
}

static void test_query_exec_match__shortest(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH p = shortestPath((a {name:'a'})-[:K*]->(c {name:'c'})) "
                "RETURN length(p)", "2");
    qt_check(g, "MATCH p = shortestPath((a {name:'a'})-[*]-(c {name:'c'})) "
                "RETURN [n IN nodes(p) | n.name]", "['a', 'c']");
    qt_check(g, "MATCH p = allShortestPaths((a {name:'c'})-[*]-(b {name:'b'})) "
                "RETURN length(p)", "1");
    qt_check(g, "MATCH p = shortestPath((a {name:'a'})-[*]-(d {name:'d'})) "
                "RETURN p", "");
    kg_graph_free(g);
}

static void test_query_exec_match__optional(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH (n:P) OPTIONAL MATCH (n)-[:L]->(m) "
                "RETURN n.name, m.name ORDER BY n.name",
             "'a' | 'c'\n'b' | null\n'c' | null");
    qt_check(g, "OPTIONAL MATCH (n:Nope) RETURN n", "null");
    qt_check(g, "MATCH (n:Q) OPTIONAL MATCH p = (n)-->() RETURN p", "null");
    kg_graph_free(g);
}

static void test_query_exec_match__isomorphism_and_cartesian(void)
{
    kg_graph *g = qt_graph("CREATE (a:A)-[:T]->(b:B)");
    qt_check(g, "MATCH (x)-[r1]-(y)-[r2]-(z) RETURN count(*)", "0");
    qt_check(g, "MATCH (x)-[r1]-(y) MATCH (y)-[r2]-(z) RETURN count(*)", "2");
    qt_check(g, "MATCH (x:A), (y:B) RETURN labels(x), labels(y)",
             "['A'] | ['B']");
    qt_check(g, "MATCH (x)-[r]-(x) RETURN r", "");
    kg_graph_free(g);
}

static void test_query_exec_match__pattern_predicates(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH (n:P) WHERE (n)-[:K]->() RETURN n.name ORDER BY n.name",
             "'a'\n'b'");
    qt_check(g, "MATCH (n:P) WHERE NOT (n)<--() RETURN n.name", "'a'");
    qt_check(g, "MATCH (n:P) RETURN n.name, [(n)-->(m) | m.name] AS out "
                "ORDER BY n.name",
             "'a' | ['b', 'c']\n'b' | ['c']\n'c' | []");
    kg_graph_free(g);
}

static void test_query_exec_match__subqueries_and_relscan(void)
{
    kg_graph *g = qt_graph(G3);
    qt_check(g, "MATCH (n:P) WHERE EXISTS { (n)-[:K]->(m) WHERE m.name = 'c' } "
                "RETURN n.name", "'b'");
    qt_check(g, "MATCH (n:P) WHERE EXISTS { MATCH (n)-->(m) WITH m, count(*) AS c "
                "WHERE c >= 1 RETURN m } RETURN n.name ORDER BY n.name",
             "'a'\n'b'");
    qt_check(g, "MATCH ()-[r]->() RETURN type(r), count(*) ORDER BY type(r)",
             "'K' | 2\n'L' | 1");
    qt_check(g, "EXPLAIN MATCH (a)-[r]-(b) RETURN count(*)",
             "'Aggregate keys [] aggregates [count(*)]'\n"
             "'  RelationshipScan (0)-[1]-(2)'\n'    Argument'");
    qt_check(g, "MATCH (a)-[r]-(b) RETURN count(*)", "6");
    qt_check(g, "MATCH ()-[r]->() RETURN r:K AS k, count(*) ORDER BY k",
             "false | 1\ntrue | 2");
    qt_check(g, "MATCH (n) WHERE EXISTS { CREATE () } RETURN n",
             "error -4 at 1:26: CREATE is not allowed in an EXISTS subquery");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"query::exec_match::labels_and_types",
     test_query_exec_match__labels_and_types},
    {"query::exec_match::key_seek", test_query_exec_match__key_seek},
    {"query::exec_match::varlen", test_query_exec_match__varlen},
    {"query::exec_match::shortest", test_query_exec_match__shortest},
    {"query::exec_match::optional", test_query_exec_match__optional},
    {"query::exec_match::isomorphism_and_cartesian",
     test_query_exec_match__isomorphism_and_cartesian},
    {"query::exec_match::pattern_predicates",
     test_query_exec_match__pattern_predicates},
    {"query::exec_match::subqueries_and_relscan",
     test_query_exec_match__subqueries_and_relscan},
    {NULL, NULL}};

KG_TEST_MAIN
