/* test_lex.c - the query lexer: token kinds, spans, keywords, errors. */
#include "kg_test.h"
#include "lex.h"

#include <string.h>

/* Lex text and render "KIND:text" tokens separated by spaces. */
static const char *lex_all(const char *text, char *buf, size_t cap)
{
    kg_lexer lx;
    kg_token t;
    kg_error err;
    size_t o = 0;
    kg_lex_init(&lx, text, (uint32_t)strlen(text));
    buf[0] = 0;
    for (;;) {
        if (kg_lex_next(&lx, &t, &err) < 0) {
            /* the error alone: earlier tokens are not part of the check */
            snprintf(buf, cap, "ERR@%u:%s", err.span.offset, err.msg);
            return buf;
        }
        if (t.kind == KG_TOK_EOF) break;
        o += (size_t)snprintf(buf + o, cap - o, "%s%d:%.*s", o ? " " : "",
                              t.kind, (int)t.span.len, text + t.span.offset);
    }
    return buf;
}

static void test_query_lex__keywords_case_insensitive(void)
{
    char buf[256], want[256];
    snprintf(want, sizeof want, "%d:match %d:MaTcH %d:Return %d:matches",
             KG_TOK_MATCH, KG_TOK_MATCH, KG_TOK_RETURN, KG_TOK_IDENT);
    kg_assert_str(lex_all("match MaTcH Return matches", buf, sizeof buf), want);
}

static void test_query_lex__numbers(void)
{
    char buf[256], want[256];
    snprintf(want, sizeof want, "%d:1 %d:.. %d:3 %d:1.5 %d:2e10 %d:0x1F %d:0o17 %d:.5",
             KG_TOK_INT, KG_TOK_DOTDOT, KG_TOK_INT, KG_TOK_FLOAT, KG_TOK_FLOAT,
             KG_TOK_INT, KG_TOK_INT, KG_TOK_FLOAT);
    kg_assert_str(lex_all("1..3 1.5 2e10 0x1F 0o17 .5", buf, sizeof buf), want);
    kg_assert_str(lex_all("0x1G", buf, sizeof buf),
                  "ERR@0:invalid hexadecimal integer literal");
    kg_assert_str(lex_all("12abc", buf, sizeof buf),
                  "ERR@0:invalid number literal '12abc'");
}

static void test_query_lex__operators_and_arrows(void)
{
    char buf[256], want[256];
    snprintf(want, sizeof want, "%d:< %d:- %d:- %d:> %d:<> %d:!= %d:<= %d:=~ %d:+=",
             KG_TOK_LT, KG_TOK_MINUS, KG_TOK_MINUS, KG_TOK_GT, KG_TOK_NE,
             KG_TOK_NE, KG_TOK_LE, KG_TOK_REGEX, KG_TOK_PLUSEQ);
    kg_assert_str(lex_all("<--> <> != <= =~ +=", buf, sizeof buf), want);
}

static void test_query_lex__strings_and_names(void)
{
    char buf[256], want[256];
    kg_arena *a = kg_arena_new();
    kg_lexer lx;
    kg_token t;
    kg_error err;
    char *s;
    size_t n;
    snprintf(want, sizeof want, "%d:'a\\'b' %d:`we``ird` %d:$p %d:$0",
             KG_TOK_STRING, KG_TOK_IDENT, KG_TOK_PARAM, KG_TOK_PARAM);
    kg_assert_str(lex_all("'a\\'b' `we``ird` $p $0", buf, sizeof buf), want);
    kg_lex_init(&lx, "\"tab\\there\\u00e9\"", 17);
    kg_assert_int(kg_lex_next(&lx, &t, &err), KG_OK);
    kg_assert_int(kg_lex_decode(a, lx.text, &t, &s, &n, &err), KG_OK);
    kg_assert_str(s, "tab\there\xc3\xa9");
    kg_lex_init(&lx, "`we``ird`", 9);
    kg_assert_int(kg_lex_next(&lx, &t, &err), KG_OK);
    kg_assert_int(kg_lex_decode(a, lx.text, &t, &s, &n, &err), KG_OK);
    kg_assert_str(s, "we`ird");
    kg_arena_free(a);
}

static void test_query_lex__errors_at_end_are_incomplete(void)
{
    char buf[256];
    kg_assert_str(lex_all("RETURN 'abc", buf, sizeof buf),
                  "ERR@11:unterminated string: unexpected end of input");
    kg_assert_str(lex_all("RETURN 1 /* x", buf, sizeof buf),
                  "ERR@13:unterminated comment: unexpected end of input");
    kg_assert_str(lex_all("RETURN 'a\\qb'", buf, sizeof buf),
                  "ERR@9:invalid escape '\\q' in string");
    kg_assert_str(lex_all("RETURN #", buf, sizeof buf),
                  "ERR@7:unexpected character '#'");
}

static void test_query_lex__comments(void)
{
    char buf[256], want[256];
    snprintf(want, sizeof want, "%d:RETURN %d:1", KG_TOK_RETURN, KG_TOK_INT);
    kg_assert_str(lex_all("// hi\nRETURN /* x */ 1 // end", buf, sizeof buf),
                  want);
}

/* kg_lex_check_text: the first NUL or ill-formed UTF-8 sequence, by offset
 * (overlong forms, surrogates, code points above U+10FFFF, cut sequences). */
static void test_query_lex__check_text(void)
{
    static const struct {
        const char *s;
        size_t len;
        int bad_at; /* -1: valid */
    } cases[] = {
        {"RETURN 'caf\xc3\xa9'", 14, -1},
        {"\xf0\x9f\x98\x80 \xe2\x82\xac \xf4\x8f\xbf\xbf", 13, -1},
        {"n.\xff", 3, 2},
        {"ab\xc0\xaf", 4, 2},         /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0},      /* overlong, 3 bytes */
        {"x\xed\xa0\x80", 4, 1},     /* surrogate U+D800 */
        {"\xf4\x90\x80\x80", 4, 0}, /* above U+10FFFF */
        {"abc\xe2\x82", 5, 3},        /* cut at the end */
        {"a\x80", 2, 1},               /* lone continuation byte */
        {"a\0b", 3, 1},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        kg_error err;
        int rc = kg_lex_check_text(cases[i].s, (uint32_t)cases[i].len, &err);
        if (cases[i].bad_at < 0) {
            kg_assert_int(rc, KG_OK);
            continue;
        }
        kg_assert_int(rc, KG_ESYNTAX);
        kg_assert_int(err.span.offset, (uint32_t)cases[i].bad_at);
        kg_assert_int(err.span.len, 1);
        /* the message names the byte in hex, never holds it */
        for (const char *m = err.msg; *m; m++)
            kg_assert((unsigned char)*m >= 0x20 && (unsigned char)*m < 0x7f);
    }
}

KG_TEST_LIST = {
    {"query::lex::keywords_case_insensitive",
     test_query_lex__keywords_case_insensitive},
    {"query::lex::numbers", test_query_lex__numbers},
    {"query::lex::operators_and_arrows", test_query_lex__operators_and_arrows},
    {"query::lex::strings_and_names", test_query_lex__strings_and_names},
    {"query::lex::errors_at_end_are_incomplete",
     test_query_lex__errors_at_end_are_incomplete},
    {"query::lex::comments", test_query_lex__comments},
    {"query::lex::check_text", test_query_lex__check_text},
    {NULL, NULL}};

KG_TEST_MAIN
