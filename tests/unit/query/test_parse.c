/* test_parse.c - the parser: AST shape (S-expression dumps), precedence,
 * and syntax error messages with their positions, byte for byte. */
#include "kg_test.h"
#include "parse.h"

#include <string.h>

/* Parse text; render the dump, or "ERR off+len: msg". */
static char *parse(const char *text, char *buf, size_t cap)
{
    kg_arena *a = kg_arena_new();
    kg_parser p;
    kg_error err;
    ast_stmt *s;
    kg_buf out = KG_BUF_INIT;
    memset(&err, 0, sizeof err);
    kg_parse_init(&p, a, text, (uint32_t)strlen(text), &err);
    if (kg_parse_statement(&s, &p) < 0)
        snprintf(buf, cap, "ERR %u+%u: %s", err.span.offset, err.span.len,
                 err.msg);
    else {
        kg_ast_dump(&out, s);
        snprintf(buf, cap, "%s", out.data ? out.data : "");
    }
    kg_buf_free(&out);
    kg_parse_release(&p);
    kg_arena_free(a);
    return buf;
}

#define P(text, want)                                                         \
    do {                                                                      \
        char pbuf_[512];                                                         \
        kg_assert_str(parse((text), pbuf_, sizeof pbuf_), (want));                  \
    } while (0)

static void test_query_parse__precedence(void)
{
    P("RETURN 1 + 2 * 3 ^ 2", "RETURN (+ 1 (* 2 (^ 3 2)))");
    P("RETURN -2 ^ 2", "RETURN (^ -2 2)");
    P("RETURN NOT a = b AND c OR d XOR e",
      "RETURN (OR (AND (not (= a b)) c) (XOR d e))");
    P("RETURN a < b < c", "RETURN (AND (< a b) (< b c))");
    P("RETURN a IS NOT NULL AND b.x STARTS WITH 'q'",
      "RETURN (AND (notnull a) (STARTS WITH (. b x) 'q'))");
    P("RETURN 1 IN [1, 2] = true", "RETURN (= (IN 1 (list 1 2)) true)");
    P("RETURN -9223372036854775808, 0x7F, 0o17, 1.5e3",
      "RETURN -9223372036854775808 127 15 1500");
}

static void test_query_parse__postfix_and_literals(void)
{
    P("RETURN n.a.b, l[1], l[1..], l[..2], m['k'], n:A:B",
      "RETURN (. (. n a) b) (index l 1) (slice l 1 nil) (slice l nil 2) "
      "(index m 'k') (labels n:A:B)");
    P("RETURN {a: 1, `b c`: 'x'}, [], {}", "RETURN (map a:1 b c:'x') (list) (map)");
    P("RETURN CASE x WHEN 1 THEN 'a' ELSE 'b' END",
      "RETURN (case x 1 'a' else 'b')");
    P("RETURN [x IN l WHERE x > 1 | x * 2], all(y IN l WHERE y)",
      "RETURN (comp x l (> x 1) (* x 2)) (all y l y)");
    P("RETURN count(*), count(DISTINCT n), reduce(s = 0, x IN l | s + x)",
      "RETURN (count *) (call count distinct n) (reduce s 0 x l (+ s x))");
    P("RETURN n {.name, .*, k: 1}", "RETURN (mapproj n name:nil k:1 .*)");
}

static void test_query_parse__patterns(void)
{
    P("MATCH (a:A {k: 1})-[r:T|U*1..3]->(b)<-[:S]-() RETURN a",
      "MATCH (a:A (map k:1))-[r:T|U*1..3]->(b)<-[:S]-() | RETURN a");
    P("MATCH p = shortestPath((a)-[*..5]-(b)), (c) RETURN p",
      "MATCH p = shortestPath (a)-[*1..5]-(b), (c) | RETURN p");
    P("MATCH (a) WHERE (a)-->(:B) RETURN [(a)-->(b) | b.name]",
      "MATCH (a) WHERE (pattern (a)-[]->(:B)) | RETURN (patcomp (a)-[]->(b) "
      "nil (. b name))");
    P("MATCH (a) WHERE NOT (a:B) RETURN a",
      "MATCH (a) WHERE (not (labels a:B)) | RETURN a");
}

static void test_query_parse__clauses(void)
{
    P("EXPLAIN USE 'HEAD~1' MATCH (n) WITH DISTINCT n AS m ORDER BY m.x DESC "
      "SKIP 1 LIMIT 2 WHERE m.y RETURN *",
      "EXPLAIN USE 'HEAD~1' MATCH (n) | WITH DISTINCT n AS m ORDER BY (. m x) "
      "DESC SKIP 1 LIMIT 2 WHERE (. m y) | RETURN *");
    P("UNWIND [1] AS x RETURN x UNION ALL RETURN 2 AS x",
      "UNWIND (list 1) AS x | RETURN x UNION ALL RETURN 2 AS x");
    P("MERGE (a:A) ON CREATE SET a.x = 1 ON MATCH SET a += {y: 2}",
      "MERGE (a:A) ON CREATE SET (. a x) = 1 ON MATCH SET a += (map y:2)");
    P("MATCH (n) SET n:L, n.k = 1 REMOVE n.k DETACH DELETE n",
      "MATCH (n) | SET n:L (. n k) = 1 | REMOVE (. n k) | DETACH DELETE n");
    P("CALL kg.search('x') YIELD node, score WHERE score > 1 RETURN node",
      "CALL kg.search 'x' YIELD node, score WHERE (> score 1) | RETURN node");
}

static void test_query_parse__errors(void)
{
    P("MATCH (n) RETRUN n", "ERR 10+6: syntax error near 'RETRUN'");
    P("MATCH (n RETURN n", "ERR 9+6: expected ')' to close '(' at 1:7");
    P("MATCH (n)\nRETURN [1, 2",
      "ERR 22+0: expected ']' to close '[' at 2:8");
    P("MATCH (n) RETURN", "ERR 16+0: unexpected end of input");
    P("RETURN 9223372036854775808", "ERR 7+19: integer literal is too large");
    P("RETURN 1 AS", "ERR 11+0: unexpected end of input, expected a name after AS");
    P("RETURN CASE WHEN 1 THEN 2", "ERR 25+0: expected END to close CASE at 1:8");
    P("", "ERR 0+0: unexpected end of input");
}

static void test_query_parse__depth_limit(void)
{
    char text[2048], buf[256];
    size_t i, n = 0;
    n += (size_t)snprintf(text, sizeof text, "RETURN ");
    for (i = 0; i < 300; i++) text[n++] = '(';
    text[n++] = '1';
    for (i = 0; i < 300; i++) text[n++] = ')';
    text[n] = 0;
    parse(text, buf, sizeof buf);
    kg_assert(strstr(buf, "query nested too deeply (limit 200)") != NULL);
}

KG_TEST_LIST = {
    {"query::parse::precedence", test_query_parse__precedence},
    {"query::parse::postfix_and_literals",
     test_query_parse__postfix_and_literals},
    {"query::parse::patterns", test_query_parse__patterns},
    {"query::parse::clauses", test_query_parse__clauses},
    {"query::parse::errors", test_query_parse__errors},
    {"query::parse::depth_limit", test_query_parse__depth_limit},
    {NULL, NULL}};

KG_TEST_MAIN
