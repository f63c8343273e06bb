/* test_errors.c - compile-time errors: exact messages, codes and positions
 * (line:col computed from the span), and the incomplete-input convention. */
#include "qtest.h"

#define E(text, want) qt_check(g, (text), (want))

static void test_query_errors__semantic(void)
{
    kg_graph *g = kg_graph_new();
    E("RETURN x", "error -4 at 1:8: variable 'x' not defined");
    E("RETURN foo(1)", "error -4 at 1:8: unknown function 'foo'");
    E("RETURN toUpper(1, 2)",
      "error -4 at 1:8: function toUpper() takes 1 argument, got 2");
    E("MATCH (n) RETURN n, n", "error -4 at 1:21: column name 'n' is used twice");
    E("MATCH (n)", "error -4 at 1:1: a query cannot end with MATCH (end it with "
               "RETURN or an updating clause)");
    E("RETURN 1 MATCH (n) RETURN n", "error -4 at 1:10: MATCH cannot follow RETURN");
    E("CREATE (n) MATCH (m) RETURN m",
      "error -4 at 1:12: MATCH after an updating clause needs a WITH in between");
    E("WITH a.x RETURN 1",
      "error -4 at 1:6: expression in WITH must be aliased (use AS)");
    E("RETURN count(count(*))",
      "error -4 at 1:14: aggregate functions cannot be nested");
    E("MATCH (n) WHERE count(n) > 1 RETURN n",
      "error -4 at 1:17: aggregate function count() is not allowed here");
    E("UNWIND [1] AS x UNWIND [2] AS x RETURN x",
      "error -4 at 1:31: variable 'x' is already defined");
    E("MATCH (n) RETURN n SKIP -1",
      "error -4 at 1:25: SKIP expects a non-negative Integer");
    E("MATCH (n) RETURN n LIMIT n.x",
      "error -4 at 1:26: LIMIT must be a constant expression");
    E("RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
      "error -4 at 1:21: UNION and UNION ALL cannot be mixed");
    kg_graph_free(g);
}

static void test_query_errors__patterns(void)
{
    kg_graph *g = kg_graph_new();
    E("MATCH (a)-[r]->(b)-[r]->(c) RETURN r",
      "error -4 at 1:19: relationship variable 'r' is used twice in one pattern");
    E("MATCH (r)-[r]->() RETURN r",
      "error -5 at 1:10: variable 'r' is a node, not a relationship");
    E("WITH 1 AS n MATCH (n)-->() RETURN n",
      "error -5 at 1:19: variable 'n' is a value, not a node");
    E("CREATE (a)-[:T|U]->(b)",
      "error -4 at 1:11: a relationship in CREATE must have exactly one type");
    E("CREATE (a)-[:T]-(b)",
      "error -4 at 1:11: a relationship in CREATE must have a direction");
    E("CREATE (a)-[:T*2]->(b)",
      "error -4 at 1:11: CREATE cannot create a variable-length relationship");
    E("MATCH (a) CREATE (a:L)",
      "error -4 at 1:18: variable 'a' is already defined; CREATE cannot add "
      "labels or properties to it");
    E("MATCH (n) DELETE n:L",
      "error -4 at 1:18: DELETE expects a node, relationship or path");
    E("MATCH (a)-[*..100]->(b) RETURN b",
      "error -10 at 1:10: variable-length bound 100 exceeds the limit of 64 hops");
    kg_graph_free(g);
}

static void test_query_errors__procedures_and_versions(void)
{
    kg_graph *g = kg_graph_new();
    E("CALL kg.nope()", "error -4 at 1:1: unknown procedure 'kg.nope'");
    E("CALL kg.search()",
      "error -4 at 1:1: procedure kg.search takes 1 argument, got 0");
    E("CALL kg.search('x') YIELD nope RETURN nope",
      "error -4 at 1:27: procedure kg.search has no output 'nope'");
    E("CALL kg.search('x')",
      "error -2 at 1:1: kg.search() needs a store: open a synced repository first");
    E("CALL kg.diff('a', 'b')",
      "error -2 at 1:1: kg.diff() needs versions: run it on a synced store");
    E("USE 'v1' RETURN 1",
      "error -5 at 1:5: USE needs versions: this session has no store");
    kg_graph_free(g);
}

/* An error at the end of the text has span.offset == len: the REPL reads
 * another line instead of reporting it. */
static void test_query_errors__incomplete_input(void)
{
    static const char *const incomplete[] = {
        "MATCH (n", "MATCH (n) RETURN", "RETURN 'abc", "RETURN [1, 2",
        "MATCH (n) WHERE n.x =", "RETURN /* c", "RETURN CASE WHEN 1 THEN 2",
        NULL};
    static const char *const complete[] = {"MATCH (n) RETRUN n", "RETURN 1 +* 2",
                                           NULL};
    kg_graph *g = kg_graph_new();
    kg_query_env env;
    kg_query *q;
    kg_error err;
    size_t i;
    memset(&env, 0, sizeof env);
    env.graph = g;
    for (i = 0; incomplete[i]; i++) {
        size_t n = strlen(incomplete[i]);
        kg_assert_int(kg_query_prepare(&q, &env, incomplete[i], n, &err),
                      KG_ESYNTAX);
        kg_assert_int(err.span.offset, n);
        kg_assert(q == NULL);
    }
    for (i = 0; complete[i]; i++) {
        size_t n = strlen(complete[i]);
        kg_assert_int(kg_query_prepare(&q, &env, complete[i], n, &err),
                      KG_ESYNTAX);
        kg_assert(err.span.offset < n);
    }
    kg_graph_free(g);
}

/* Compile-time checks added with the TCK work: rand() inside an
 * aggregate, a node as a predicate. */
static void test_query_errors__nondeterministic_and_predicates(void)
{
    kg_graph *g = kg_graph_new();
    E("RETURN count(rand())",
      "error -4 at 1:14: rand() is not allowed inside aggregate function "
      "count(): its value is not deterministic");
    E("UNWIND [1] AS x RETURN collect(x + toInteger(rand() * 2))",
      "error -4 at 1:46: rand() is not allowed inside aggregate function "
      "collect(): its value is not deterministic");
    E("MATCH (n) WHERE (n) RETURN n",
      "error -5 at 1:17: expected a Boolean, got node 'n'");
    E("MATCH p = (n)-->() WHERE true AND p RETURN n",
      "error -5 at 1:35: expected a Boolean, got path 'p'");
    kg_graph_free(g);
}

/* Prepare len bytes of text (which may hold NUL) and render the error. */
static char *prep_bytes(kg_graph *g, const char *text, size_t len,
                        kg_error *err)
{
    kg_query_env env;
    kg_query *q = NULL;
    kg_buf out = KG_BUF_INIT;
    int rc;
    memset(&env, 0, sizeof env);
    env.graph = g;
    rc = kg_query_prepare(&q, &env, text, len, err);
    if (rc == KG_OK) {
        kg_query_free(q);
        kg_buf_puts(&out, "ok");
    } else {
        kg_buf_printf(&out, "error %d at %u:%u +%u: %s", rc, err->line,
                      err->col, err->span.offset, err->msg);
    }
    return kg_buf_detach(&out);
}

/* Invalid UTF-8 and NUL bytes in names, strings, comments: rejected before
 * lexing, with the byte offset, and no raw byte in the message or in what
 * kg_error_print writes to a terminal. */
#define T(s) s, sizeof(s) - 1

static void test_query_errors__invalid_text(void)
{
    static const struct {
        const char *text;
        size_t len;
        const char *want;
    } cases[] = {
        {T("MATCH (n) RETURN n.\xff"),
         "error -4 at 1:20 +19: invalid UTF-8 at offset 19 (byte 0xff): a "
         "query must be UTF-8 text"},
        {T("RETURN 'a\xc0\xaf" "b'"),
         "error -4 at 1:10 +9: invalid UTF-8 at offset 9 (byte 0xc0): a "
         "query must be UTF-8 text"},
        {T("RETURN `\xed\xa0\x80` AS x"),
         "error -4 at 1:9 +8: invalid UTF-8 at offset 8 (byte 0xed): a "
         "query must be UTF-8 text"},
        {T("RETURN 1 // \xe2\x82"),
         "error -4 at 1:13 +12: invalid UTF-8 at offset 12 (byte 0xe2): a "
         "query must be UTF-8 text"},
        {T("RETURN 'a\0b'"),
         "error -4 at 1:10 +9: NUL byte at offset 9: a query is text (write "
         "\\u0000 inside a string)"},
        {T("MATCH (n) RETURN n.`a\0b`"),
         "error -4 at 1:22 +21: NUL byte at offset 21: a query is text (write "
         "\\u0000 inside a string)"},
        {T("RETURN '\xc3\xa9\xf0\x9f\x98\x80' AS `\xc3\xa9`"), "ok"},
        {T("RETURN '\\u0000' AS z"), "ok"},
    };
    kg_graph *g = kg_graph_new();
    size_t i, j;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        kg_error err;
        char *got = prep_bytes(g, cases[i].text, cases[i].len, &err);
        if (strcmp(got, cases[i].want) != 0)
            fprintf(stderr, "case %zu:\n  got:  %s\n  want: %s\n", i, got,
                    cases[i].want);
        kg_assert_str(got, cases[i].want);
        kg_free(got);
        if (strcmp(cases[i].want, "ok") != 0) {
            char *shown = NULL;
            size_t n = 0;
            FILE *f = open_memstream(&shown, &n);
            kg_assert(f != NULL);
            kg_error_print(f, &err, cases[i].text, cases[i].len);
            fclose(f);
            for (j = 0; j < n; j++) /* escaped: \xff, never the byte */
                kg_assert((unsigned char)shown[j] >= 0x20 || shown[j] == '\n');
            kg_assert(strstr(shown, "^") != NULL);
            free(shown);
        }
    }
    kg_graph_free(g);
}
#undef T

KG_TEST_LIST = {
    {"query::errors::semantic", test_query_errors__semantic},
    {"query::errors::patterns", test_query_errors__patterns},
    {"query::errors::procedures_and_versions",
     test_query_errors__procedures_and_versions},
    {"query::errors::incomplete_input", test_query_errors__incomplete_input},
    {"query::errors::nondeterministic_and_predicates",
     test_query_errors__nondeterministic_and_predicates},
    {"query::errors::invalid_text", test_query_errors__invalid_text},
    {NULL, NULL}};

KG_TEST_MAIN
