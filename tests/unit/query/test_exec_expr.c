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
    /* a key holding NUL is that key, not its prefix */
    qt_check(g, "WITH {k: 1} AS m RETURN m['k\\u0000x'], m['k']",
             "null | 1");
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
             "error -5 at 1:13: date() '2024-02-30' is not a date");
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

static void test_query_exec_expr__temporal(void)
{
    kg_graph *g = kg_graph_new();
    /* construction from maps and text, canonical printing */
    qt_check(g, "RETURN localtime({hour: 10, minute: 35}), "
                "localtime({hour: 12, minute: 31, second: 14, "
                "millisecond: 645, nanosecond: 2}), localtime('12:31:14.5')",
             "'10:35' | '12:31:14.645000002' | '12:31:14.5'");
    qt_check(g, "RETURN time({hour: 12, minute: 31, second: 14, "
                "nanosecond: 1, timezone: '+01:00'}), time('2145Z'), "
                "time({hour: 1, timezone: '-00:30:15'})",
             "'12:31:14.000000001+01:00' | '21:45Z' | '01:00-00:30:15'");
    qt_check(g, "RETURN localdatetime({year: 1, month: 1, day: 1, hour: 1}), "
                "datetime('2015-07-21T21:40:32.142+0100'), "
                "datetime({year: 2015, week: 30, dayOfWeek: 2, hour: 21, "
                "timezone: 'Z'}), localdatetime('2015202T2140')",
             "'0001-01-01T01:00' | '2015-07-21T21:40:32.142+01:00' | "
             "'2015-07-21T21:00Z' | '2015-07-21T21:40'");
    qt_check(g, "RETURN duration({days: 14, hours: 16, minutes: 12}), "
                "duration({years: 12, months: 5, seconds: -3.5}), "
                "duration('P1DT-0.001S'), duration({}), "
                "duration({months: 0.75}), duration({weeks: 1.5})",
             "'P14DT16H12M' | 'P12Y5MT-3.5S' | 'P1DT-0.001S' | 'PT0S' | "
             "'P22DT19H51M49.5S' | 'P10DT12H'");
    /* conversions between kinds */
    qt_check(g, "WITH datetime('2015-07-21T21:40:32+01:00') AS d "
                "RETURN localtime(d), time(d), localdatetime(d), "
                "datetime(localdatetime('2015-07-21T21:40'))",
             "'21:40:32' | '21:40:32+01:00' | '2015-07-21T21:40:32' | "
             "'2015-07-21T21:40Z'");
    /* comparison by instant; durations are not comparable */
    qt_check(g, "RETURN time('12:00+01:00') < time('11:30Z'), "
                "time('12:00+01:00') = time('11:00Z'), "
                "datetime('2000-01-01T00:00+01:00') < "
                "datetime('1999-12-31T23:30Z'), "
                "duration('P1D') < duration('P2D'), "
                "localtime('10:00') = localtime('10:00:00.000')",
             "true | false | true | null | true");
    /* ORDER BY: within a kind, and across kinds in openCypher's order */
    qt_check(g, "UNWIND [time('10:35-08:00'), time('12:31:14+01:00'), "
                "time('12:35:15+05:00')] AS t RETURN t ORDER BY t",
             "'12:35:15+05:00'\n'12:31:14+01:00'\n'10:35-08:00'");
    qt_check(g, "UNWIND [duration('PT1S'), 'a', localtime('10:00'), "
                "date('2020-01-01'), datetime('2020-01-01T00:00Z'), "
                "localdatetime('2020-01-01T00:00'), time('10:00Z'), 1] AS v "
                "RETURN v ORDER BY v",
             "'2020-01-01T00:00Z'\n'2020-01-01T00:00'\n'2020-01-01'\n"
             "'10:00Z'\n'10:00'\n'PT1S'\n'a'\n1");
    /* arithmetic */
    qt_check(g, "RETURN date('1984-01-31') + duration({months: 1, days: 2}), "
                "localdatetime('2000-01-01T23:00') + duration('PT2H'), "
                "localtime('23:00') + duration('PT2H'), "
                "datetime('2000-03-01T00:00Z') - duration('P1D'), "
                "duration('P1D') + duration('PT-1S'), "
                "duration('PT1H') + time('10:00+02:00')",
             "'1984-03-02' | '2000-01-02T01:00' | '01:00' | "
             "'2000-02-29T00:00Z' | 'P1DT-1S' | '11:00+02:00'");
    /* DISTINCT, grouping, toString, null */
    qt_check(g, "UNWIND [localtime('10:00'), localtime('10:00:00'), "
                "localtime('11:00')] AS t RETURN count(DISTINCT t), "
                "toString(min(t)), localtime(null)",
             "2 | '10:00' | null");
    /* stored as properties and read back */
    qt_check(g, "CREATE (n:T {t: time('10:00+01:00'), d: duration('P1M'), "
                "l: [localtime('10:00')]}) RETURN n.t, n.d, n.l",
             "'10:00+01:00' | 'P1M' | ['10:00']");
    qt_check(g, "MATCH (n:T) WHERE n.t = time('10:00+01:00') "
                "RETURN n.t > time('08:00Z')",
             "true");
    /* date() from text, maps and date-times; truncation */
    qt_check(g, "RETURN date('2015W302'), date('2015-07'), "
                "date({year: 2015, quarter: 3, dayOfQuarter: 21}), "
                "date({date: date('2015-07-21'), day: 28}), "
                "date(datetime('2015-07-21T23:00-05:00'))",
             "'2015-07-21' | '2015-07-01' | '2015-07-21' | '2015-07-28' | "
             "'2015-07-21'");
    qt_check(g, "WITH localdatetime('1984-01-01T12:31:14.645876123') AS d "
                "RETURN date.truncate('weekYear', d), "
                "datetime.truncate('millisecond', d, {nanosecond: 2}), "
                "localtime.truncate('hour', d, {minute: 5}), "
                "date.truncate('week', d, {dayOfWeek: 3}), "
                "date.truncate('millennium', date('-0001-05-05'))",
             "'1983-01-03' | '1984-01-01T12:31:14.645000002Z' | '12:05' | "
             "'1983-12-28' | '-1000-01-01'");
    qt_check(g, "RETURN date.truncate('hour', date('2000-01-01'))",
             "error -5 at 1:22: date.truncate(): cannot truncate to 'hour'");
    /* differences: months, then days, then the rest; zoned values are
     * compared in the first one's offset; without two dates only times */
    qt_check(g, "RETURN duration.between(date('1984-10-11'), "
                "date('2015-06-24')), "
                "duration.between(localdatetime('2015-07-21T21:40:32.142'), "
                "date('2015-06-24')), "
                "duration.between(datetime('2014-07-21T21:40:36.143+0200'), "
                "datetime('2015-07-21T21:40:32.142+0100')), "
                "duration.between(time('14:30'), "
                "datetime('2015-07-21T21:40:32.142+0100'))",
             "'P30Y8M13D' | 'P-27DT-21H-40M-32.142S' | 'P1YT59M55.999S' | "
             "'PT6H10M32.142S'");
    qt_check(g, "WITH date('1984-10-11') AS a, "
                "localdatetime('2016-07-21T21:45:22.142') AS b "
                "RETURN duration.inMonths(a, b), duration.inDays(a, b), "
                "duration.inSeconds(a, b), duration.inDays(a, localtime())",
             "'P31Y9M' | 'P11606D' | 'PT278565H45M22.142S' | 'PT0S'");
    /* one clock per statement */
    qt_check(g, "RETURN localtime() = localtime.statement(), "
                "duration.inSeconds(datetime(), datetime()), "
                "date.transaction(null)",
             "true | 'PT0S' | null");
    /* fields */
    qt_check(g, "WITH datetime('1984-11-11T12:31:14.645876123-01:30') AS d "
                "RETURN d.year, d.quarter, d.week, d.weekYear, d.dayOfWeek, "
                "d.ordinalDay, d.hour, d.microsecond, d.nanosecond, "
                "d.timezone, d.offsetMinutes, d.epochSeconds",
             "1984 | 4 | 45 | 1984 | 7 | 316 | 12 | 645876 | 645876123 | "
             "'-01:30' | -90 | 469029674");
    qt_check(g, "WITH duration('P1Y4M10DT1H1M1.111111111S') AS d "
                "RETURN d.years, d.quarters, d.monthsOfYear, d.weeks, "
                "d.daysOfWeek, d.minutes, d.secondsOfMinute, d.milliseconds, "
                "d.nanosecondsOfSecond, duration('PT-0.1S').seconds",
             "1 | 5 | 4 | 1 | 3 | 61 | 1 | 3661111 | 111111111 | -1");
    qt_check(g, "RETURN date('2000-01-01').hour",
             "error -5 at 1:8: Date has no field 'hour'");
    qt_check(g, "RETURN localtime('10:00').timezone",
             "error -5 at 1:8: LocalTime has no field 'timezone'");
    /* errors name what is wrong */
    qt_check(g, "RETURN localtime({hour: 24})",
             "error -5 at 1:18: localtime(): 'hour' must be in 0..23, got 24");
    qt_check(g, "RETURN time('25:00')",
             "error -5 at 1:13: time() '25:00' is not a time");
    qt_check(g, "RETURN datetime({year: 2000, timezone: 'Europe/Stockholm'})",
             "error -5 at 1:17: datetime() named time zones are not supported "
             "in '00:00[Europe/Stockholm]' (use an offset such as '+01:00')");
    qt_check(g, "RETURN date({year: 2000, month: 2, day: 30})",
             "error -5 at 1:13: date(): no such day in that month");
    qt_check(g, "RETURN duration({seconds: 9223372036854775807, minutes: 1})",
             "error -5 at 1:17: duration(): duration out of range");
    qt_check(g, "RETURN duration('P999999999999999999Y')",
             "error -5 at 1:17: duration() 'P999999999999999999Y' is not a "
             "duration");
    qt_check(g, "RETURN duration({milliseconds: 1e300})",
             "error -5 at 1:17: duration(): duration out of range");
    qt_check(g, "RETURN date('2000-01-01') + duration({days: 999999999})",
             "error -5 at 1:8: date out of range");
    qt_check(g, "RETURN localtime('10:00') + 1",
             "error -5 at 1:8: cannot apply '+' to LocalTime and Integer");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"query::exec_expr::arithmetic", test_query_exec_expr__arithmetic},
    {"query::exec_expr::null_logic", test_query_exec_expr__null_logic},
    {"query::exec_expr::collections", test_query_exec_expr__collections},
    {"query::exec_expr::case_and_functions",
     test_query_exec_expr__case_and_functions},
    {"query::exec_expr::params", test_query_exec_expr__params},
    {"query::exec_expr::temporal", test_query_exec_expr__temporal},
    {NULL, NULL}};

KG_TEST_MAIN
