/* test_json.c - JSON writing, strict parsing, typed round trips, and the
 * exact error messages and positions for malformed input. */
#include <math.h>

#include "graph_int.h"
#include "kg_test.h"

/* Parse text, write it back (typed as given) into out. */
static int round_trip(const char *text, int typed, kg_buf *out)
{
    kg_value v;
    kg_error err;
    int rc = kg_json_parse(&v, text, strlen(text), typed, &err);

    if (rc < 0) {
        fprintf(stderr, "parse failed: %s\n", err.msg);
        return rc;
    }
    kg_buf_reset(out);
    rc = kg_json_write(out, &v, typed);
    kg_value_release(&v);
    return rc;
}

static void test_graph_json__round_trips(void)
{
    kg_buf b = KG_BUF_INIT;

    kg_assert_int(round_trip(" {\"z\": [1, 2.5, \"x\\n\\u00e9\\/\", true, null],"
                             "\"a\": {\"b\": -0.0, \"c\": 1e300}} ", 0, &b), 0);
    kg_assert_str(b.data, "{\"a\":{\"b\":-0.0,\"c\":1e+300},"
                          "\"z\":[1,2.5,\"x\\né/\",true,null]}");
    kg_assert_int(round_trip("[3.0, 0.1, 9223372036854775807, "
                             "-9223372036854775808, 9223372036854775808]",
                             0, &b), 0);
    kg_assert_str(b.data, "[3.0,0.1,9223372036854775807,"
                          "-9223372036854775808,9.223372036854776e+18]");
    /* surrogate pairs decode to one code point; controls are re-escaped */
    kg_assert_int(round_trip("\"\\ud83c\\udf89\\u0001\\t\"", 0, &b), 0);
    kg_assert_str(b.data, "\"\xf0\x9f\x8e\x89\\u0001\\t\"");
    kg_assert_int(round_trip("[]", 0, &b), 0);
    kg_assert_str(b.data, "[]");
    kg_assert_int(round_trip("{}", 0, &b), 0);
    kg_assert_str(b.data, "{}");
    kg_buf_free(&b);
}

static void test_graph_json__typed(void)
{
    kg_buf b = KG_BUF_INIT;
    kg_value v, m = kg_value_map();
    kg_error err;
    const char *t = "[{\"$date\":\"2021-08-24\"},{\"$float\":\"NaN\"},"
                    "{\"$float\":\"-Infinity\"},{\"$map\":{\"$date\":1}}]";

    kg_assert_int(kg_json_parse(&v, t, strlen(t), 1, &err), 0);
    kg_assert_int(v.u.list->items[0].type, KG_VDATE);
    kg_assert_str(v.u.list->items[0].u.str->s, "2021-08-24");
    kg_assert(isnan(v.u.list->items[1].u.f));
    kg_assert(isinf(v.u.list->items[2].u.f) && v.u.list->items[2].u.f < 0);
    kg_assert_int(v.u.list->items[3].type, KG_VMAP); /* user data, not a date */
    kg_assert_int(kg_json_write(&b, &v, 1), 0);
    kg_assert_str(b.data, t);
    kg_buf_reset(&b);
    kg_assert_int(kg_json_write(&b, &v, 0), 0); /* untyped: lossy but valid */
    kg_assert_str(b.data, "[\"2021-08-24\",null,null,{\"$date\":1}]");
    kg_value_release(&v);
    /* untyped parsing keeps markers as plain maps */
    kg_assert_int(kg_json_parse(&v, "{\"$date\":\"x\"}", 13, 0, &err), 0);
    kg_assert_int(v.type, KG_VMAP);
    kg_value_release(&v);
    kg_assert_int(kg_json_parse(&v, "{\"$date\":5}", 11, 1, &err), KG_ESYNTAX);
    kg_assert_str(err.msg, "invalid '$date' marker value");
    /* nodes cannot be written */
    v = kg_value_node(3);
    kg_value_map_set(&m, "n", 1, v);
    kg_buf_reset(&b);
    kg_assert_int(kg_json_write(&b, &m, 1), KG_ETYPE);
    kg_value_release(&m);
    kg_buf_free(&b);
}

/* Expect text to fail with code, message msg at line:col. */
static int bad(const char *text, size_t len, int code, const char *msg,
               unsigned line, unsigned col)
{
    kg_value v;
    kg_error err;
    int rc = kg_json_parse(&v, text, len, 0, &err);

    if (rc == code && strcmp(err.msg, msg) == 0 && err.line == line &&
        err.col == col && v.type == KG_VNULL && strcmp(err.source, "<json>") == 0)
        return 1;
    fprintf(stderr, "for %s: rc %d, %u:%u '%s'\n", text, rc, err.line,
            err.col, err.msg);
    return 0;
}
#define BAD(t, code, msg, l, c) kg_assert(bad(t, strlen(t), code, msg, l, c))

static void test_graph_json__errors(void)
{
    BAD("", KG_ESYNTAX, "unexpected end of input, expected a JSON value", 1, 1);
    BAD("[1,2,]", KG_ESYNTAX, "unexpected ']', expected a JSON value", 1, 6);
    BAD("{\"a\" 1}", KG_ESYNTAX,
        "unexpected '1', expected ':' after object key", 1, 6);
    BAD("[1 2", KG_ESYNTAX,
        "unexpected '2', expected ',' or ']' to close '[' at 1:1", 1, 4);
    BAD("{\"k\": [1,\n  2", KG_ESYNTAX,
        "unexpected end of input, expected ',' or ']' to close '[' at 1:7",
        2, 4);
    BAD("{\"k\": 1,}", KG_ESYNTAX,
        "unexpected '}', expected a string key in object", 1, 9);
    BAD("01", KG_ESYNTAX, "invalid number: leading zeros are not allowed", 1, 1);
    BAD("-", KG_ESYNTAX, "unexpected end of input, expected a digit", 1, 2);
    BAD("1.e5", KG_ESYNTAX, "unexpected 'e', expected a digit after '.'", 1, 3);
    BAD("\"abc", KG_ESYNTAX, "unterminated string (opened here)", 1, 1);
    BAD("[\"a\x01\"]", KG_ESYNTAX,
        "control character '\\x01' must be escaped in a string", 1, 4);
    BAD("\"\\x\"", KG_ESYNTAX, "invalid escape '\\x' in string", 1, 2);
    BAD("\"\\u12G4\"", KG_ESYNTAX, "invalid \\u escape: expected 4 hex digits",
        1, 2);
    BAD("\"\\ud800x\"", KG_ESYNTAX,
        "high surrogate not followed by a low surrogate", 1, 2);
    BAD("\"\\udc00\"", KG_ESYNTAX, "lone low surrogate in \\u escape", 1, 2);
    BAD("\"\xff\"", KG_ESYNTAX, "invalid UTF-8 in string", 1, 2);
    BAD("{\"a\":1,\"a\":2}", KG_ESYNTAX, "duplicate key 'a' in object", 1, 8);
    BAD("1 2", KG_ESYNTAX, "unexpected '2' after the JSON value", 1, 3);
    BAD("tru", KG_ESYNTAX, "unexpected 't', expected 'true'", 1, 1);
    BAD("NaN", KG_ESYNTAX, "unexpected 'N', expected a JSON value", 1, 1);
    BAD("// c\n1", KG_ESYNTAX, "unexpected '/', expected a JSON value", 1, 1);
    BAD("\xef\xbb\xbf{}", KG_ESYNTAX,
        "unexpected '\xef\xbb\xbf', expected a JSON value", 1, 1);
    kg_assert(bad("[\0]", 3, KG_ESYNTAX,
                  "unexpected '\\x00', expected a JSON value", 1, 2));
}

static void test_graph_json__depth_limit(void)
{
    char deep[KG_JSON_MAX_DEPTH + 2];
    kg_value v;
    kg_error err;

    memset(deep, '[', sizeof deep);
    kg_assert_int(kg_json_parse(&v, deep, sizeof deep, 0, &err), KG_ELIMIT);
    kg_assert_str(err.msg, "JSON nested deeper than 256 levels");
    kg_assert_int(err.col, KG_JSON_MAX_DEPTH + 1);
    /* exactly at the limit is fine */
    {
        char ok[2 * KG_JSON_MAX_DEPTH];
        memset(ok, '[', KG_JSON_MAX_DEPTH);
        memset(ok + KG_JSON_MAX_DEPTH, ']', KG_JSON_MAX_DEPTH);
        kg_assert_int(kg_json_parse(&v, ok, sizeof ok, 0, &err), 0);
        kg_value_release(&v);
    }
}

static void test_graph_json__oom_paths(void)
{
    const char *t = "{\"a\":[1,\"two\",{\"b\":[true,\"\\u00e9\"]}],\"c\":\"d\"}";
    unsigned long n;
    kg_value v;
    kg_error err;
    int rc;

    /* Fail each allocation in turn: every run must fail cleanly (no leak
     * under ASan) with KG_ENOMEM, until one run needs no failure. */
    for (n = 1; n < 200; n++) {
        kg_alloc_fail_at(n);
        rc = kg_json_parse(&v, t, strlen(t), 1, &err);
        kg_alloc_fail_at(0);
        if (rc == KG_OK) break;
        kg_assert_int(rc, KG_ENOMEM);
        kg_assert_str(err.msg, "out of memory");
        kg_assert_int(v.type, KG_VNULL);
    }
    kg_assert(n > 5 && n < 200);
    kg_value_release(&v);
}

KG_TEST_LIST = {
    {"graph::json::round_trips", test_graph_json__round_trips},
    {"graph::json::typed", test_graph_json__typed},
    {"graph::json::errors", test_graph_json__errors},
    {"graph::json::depth_limit", test_graph_json__depth_limit},
    {"graph::json::oom_paths", test_graph_json__oom_paths},
    {NULL, NULL},
};

KG_TEST_MAIN
