/* test_exec_expr.c - expressions: operators, three-valued logic, lists,
 * maps, CASE, comprehensions, functions, and runtime errors with spans. */
#include "qtest.h"

static void test_query_exec_expr__arithmetic(void)
{
    kg_graph *g = kg_graph_new();
    qt_check(g, "RETURN 1 + 2 * 3, 7 / 2, -7 / 2, 7 % 3, 7.0 / 2, 2 ^ 3, -2 ^ 2",
             "7 | 3 | -3 | 1 | 3.5 | 8.0 | 4.0");
    qt_check(g, "RETURN 0.1 + 0.2, 1e300 * 10, 1.0 / 0, 'a' + 'b', 'n' + 1",
             "0.30000000000000004 | 1.0e301 | Infinity | 'ab' | 'n1'");
    qt_check(g, "RETURN [1] + [2, 3], [1] + 2, 0 + [1], 1 + null",
             "[1, 2, 3] | [1, 2] | [0, 1] | null");
    qt_check(g, "RETURN 9223372036854775807 + 1",
             "error -5 at 1:8: integer overflow in '+'");
    qt_check(g, "WITH 0 AS z RETURN 1 / z",
             "error -5 at 1:20: division by zero");
    qt_check(g, "RETURN 1 + true",
             "error -5 at 1:8: cannot apply '+' to Integer and Boolean");
    kg_graph_free(g);
}

static void test_query_exec_expr__null_logic(void)
{
    kg_graph *g = kg_graph_new();
    qt_check(g, "RETURN null = null, null <> 1, NOT null, null AND false, "
                "null OR true, true XOR null, null IS NULL, 1 IS NOT NULL",
             "null | null | null | false | true | null | true | true");
    qt_check(g, "RETURN 1 < 'a', [1, 2] = [1, 2], [1, null] = [1, 2], "
                "[1, null] = [2, null], 1 = 1.0, 1 < 2 < 3, 3 > 2 > 2",
             "null | true | null | false | true | true | false");
    qt_check(g, "RETURN 2 IN [1, 2], 3 IN [1, null], null IN [], "
                "'ab' STARTS WITH 'a', 'ab' ENDS WITH null, 'abc' =~ 'a.c'",
             "true | null | false | true | null | true");
    kg_graph_free(g);
}

static void test_query_exec_expr__collections(void)
{
    kg_graph *g = kg_graph_new();
    qt_check(g, "WITH [1, 2, 3, 4] AS l RETURN l[0], l[-1], l[9], l[1..3], "
                "l[..-2], l[2..], size(l), head(l), last(l), tail(l)",
             "1 | 4 | null | [2, 3] | [1, 2] | [3, 4] | 4 | 1 | 4 | [2, 3, 4]");
    qt_check(g, "WITH {b: 1, a: {c: 'x'}} AS m RETURN m.a.c, m['b'], m.z, "
                "keys(m), m",
             "'x' | 1 | null | ['a', 'b'] | {a: {c: 'x'}, b: 1}");
    qt_check(g, "RETURN [x IN range(1, 6) WHERE x % 2 = 0 | x * 10], "
                "[x IN [1, 2]], range(5, 1, -2), reverse([1, 2])",
             "[20, 40, 60] | [1, 2] | [5, 3, 1] | [2, 1]");
    qt_check(g, "RETURN all(x IN [1, 2] WHERE x > 0), any(x IN [1] WHERE x > 1), "
                "none(x IN [] WHERE x), single(x IN [1, 2] WHERE x = 2), "
                "reduce(s = 0, x IN [1, 2, 3] | s + x)",
             "true | false | true | true | 6");
    kg_graph_free(g);
}

static void test_query_exec_expr__case_and_functions(void)
{
    kg_graph *g = kg_graph_new();
    qt_check(g, "UNWIND [1, 2, 3] AS x RETURN CASE x WHEN 1 THEN 'one' "
                "WHEN 2 THEN 'two' END, CASE WHEN x > 2 THEN 'big' ELSE 'small' END",
             "'one' | 'small'\n'two' | 'small'\nnull | 'big'");
    qt_check(g, "RETURN toUpper('aé'), toLower('AB'), trim(' a '), "
                "ltrim(' a'), rtrim('a '), split('a,b', ','), "
                "substring('hello', 1, 3), left('abc', 2), right('abc', 2)",
             "'Aé' | 'ab' | 'a' | 'a' | 'a' | ['a', 'b'] | 'ell' | 'ab' | 'bc'");
    qt_check(g, "RETURN toString(1.5), toString(true), toInteger('42'), "
                "toInteger(3.9), toFloat('2'), toBoolean('TRUE'), "
                "toInteger('x'), coalesce(null, 2)",
             "'1.5' | 'true' | 42 | 3 | 2.0 | true | null | 2");
    qt_check(g, "RETURN abs(-3), ceil(1.2), floor(1.8), round(2.5), round(-2.5), "
                "sign(-4), sqrt(16), size('héllo')",
             "3 | 2.0 | 1.0 | 3.0 | -3.0 | -1 | 4.0 | 5");
    qt_check(g, "RETURN toUpper(1)",
             "error -5 at 1:16: toUpper() expects a String, got Integer");
    qt_check(g, "RETURN date('2024-02-30')",
             "error -5 at 1:8: date() expects 'YYYY-MM-DD', got '2024-02-30'");
    qt_check(g, "RETURN date('2024-02-29') > '2024-01-01'", "true");
    kg_graph_free(g);
}

static void test_query_exec_expr__params(void)
{
    kg_graph *g = kg_graph_new();
    qt_params_ = kg_value_map();
    kg_value_map_set(&qt_params_, "x", 1, kg_value_int(41));
    kg_value_map_set(&qt_params_, "name", 4, kg_value_string("n", 1));
    qt_check(g, "RETURN $x + 1, $name, $`x`", "42 | 'n' | 41");
    qt_check(g, "RETURN $missing",
             "error -4 at 1:8: parameter $missing is not set");
    kg_value_release(&qt_params_);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"query::exec_expr::arithmetic", test_query_exec_expr__arithmetic},
    {"query::exec_expr::null_logic", test_query_exec_expr__null_logic},
    {"query::exec_expr::collections", test_query_exec_expr__collections},
    {"query::exec_expr::case_and_functions",
     test_query_exec_expr__case_and_functions},
    {"query::exec_expr::params", test_query_exec_expr__params},
    {NULL, NULL}};

KG_TEST_MAIN
