/* test_limits.c - interrupt, row / time / memory limits, EXPLAIN and
 * PROFILE, USE over another graph, completion words. */
#include "qtest.h"

static int step_all(kg_query_env *env, const char *text, kg_error *err,
                    uint64_t *rows)
{
    kg_query *q;
    int rc = kg_query_prepare(&q, env, text, strlen(text), err);
    *rows = 0;
    if (rc < 0) return rc;
    while ((rc = kg_query_step(q, err)) == KG_ROW) (*rows)++;
    kg_query_free(q);
    return rc;
}

static void test_query_limits__interrupt_and_rows(void)
{
    kg_graph *g = qt_graph("UNWIND range(1, 50) AS i CREATE (:N {i: i})");
    kg_query_env env;
    kg_error err;
    uint64_t rows;
    volatile int stop = 1;
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.interrupt = &stop;
    kg_assert_int(step_all(&env, "MATCH (a), (b), (c) RETURN count(*)", &err,
                           &rows), KG_EINTERRUPT);
    kg_assert_str(err.msg, "query interrupted");
    env.interrupt = NULL;
    env.max_rows = 10;
    kg_assert_int(step_all(&env, "MATCH (n) RETURN n", &err, &rows), KG_ELIMIT);
    kg_assert_int(rows, 10);
    kg_assert_str(err.msg, "query returned more than 10 rows (the row limit)");
    env.max_rows = 0;
    env.max_ms = 1;
    kg_assert_int(step_all(&env, "MATCH (a), (b), (c), (d) RETURN count(*)",
                           &err, &rows), KG_ELIMIT);
    kg_assert_str(err.msg,
                  "query took longer than the time limit of 1 ms");
    env.max_ms = 0;
    env.max_mem = 10000;
    kg_assert_int(step_all(&env, "MATCH (a), (b) RETURN a, b ORDER BY a.i", &err,
                           &rows), KG_ELIMIT);
    kg_assert_str(err.msg,
                  "query needs more than the memory limit of 10000 bytes");
    kg_graph_free(g);
}

static void test_query_limits__explain_profile(void)
{
    kg_graph *g = qt_graph("CREATE (:A)-[:T]->(:B)");
    kg_query_env env;
    kg_query *q;
    kg_error err;
    kg_buf out = KG_BUF_INIT;
    const char *text = "PROFILE MATCH (a:A)-[:T]->(b) RETURN b";
    memset(&env, 0, sizeof env);
    env.graph = g;
    qt_check(g, "EXPLAIN MATCH (a:A)-[:T]->(b) RETURN b",
             "'Projection b -> 3'\n'  Expand (0)-[1:T]->(2)'\n"
             "'    NodeByLabelScan slot 0:A'\n'      Argument'");
    kg_assert_int(kg_query_prepare(&q, &env, text, strlen(text), &err), KG_OK);
    kg_assert_int(kg_query_mode(q), KG_QUERY_PROFILE);
    kg_assert_int(kg_query_step(q, &err), KG_ROW);
    kg_assert_int(kg_query_step(q, &err), KG_DONE);
    kg_query_explain(q, &out, 1);
    kg_assert(strstr(out.data, "Expand (0)-[1:T]->(2)  (rows 1, ") != NULL);
    kg_assert(strstr(out.data, "NodeByLabelScan slot 0:A  (rows 1, ") != NULL);
    kg_buf_free(&out);
    kg_query_free(q);
    kg_graph_free(g);
}

static kg_graph *other_;

static kg_graph *graph_at(void *payload, const char *rev, int64_t *vid,
                          kg_error *err)
{
    if (strcmp(rev, "old") == 0) {
        *vid = 1;
        return other_;
    }
    kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                 "unknown revision '%s'", rev);
    return NULL;
}

static void test_query_limits__use(void)
{
    kg_graph *g = qt_graph("CREATE (:New)");
    kg_query_env env;
    char *r;
    other_ = qt_graph("CREATE (:Old)");
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.graph_at = graph_at;
    r = qt_run_env(&env, "USE 'old' MATCH (n) RETURN labels(n)");
    kg_assert_str(r, "['Old']");
    kg_free(r);
    r = qt_run_env(&env, "USE old MATCH (n) RETURN labels(n)");
    kg_assert_str(r, "['Old']");
    kg_free(r);
    r = qt_run_env(&env, "USE 'nope' RETURN 1");
    kg_assert_str(r, "error -2 at 1:5: unknown revision 'nope'");
    kg_free(r);
    r = qt_run_env(&env, "USE 'old' CREATE (:X)");
    kg_assert_str(r, "error -5 at 1:5: a statement over another version (USE) "
                     "cannot write");
    kg_free(r);
    kg_graph_free(other_);
    kg_graph_free(g);
}

static void test_query_limits__words(void)
{
    const char *const *w = kg_query_words();
    int match = 0, tolower = 0, search = 0;
    for (; *w; w++) {
        match |= strcmp(*w, "MATCH") == 0;
        tolower |= strcmp(*w, "toLower") == 0;
        search |= strcmp(*w, "kg.search") == 0;
        kg_assert(strncmp(*w, "__", 2) != 0);
    }
    kg_assert(match && tolower && search);
}

KG_TEST_LIST = {
    {"query::limits::interrupt_and_rows", test_query_limits__interrupt_and_rows},
    {"query::limits::explain_profile", test_query_limits__explain_profile},
    {"query::limits::use", test_query_limits__use},
    {"query::limits::words", test_query_limits__words},
    {NULL, NULL}};

KG_TEST_MAIN
