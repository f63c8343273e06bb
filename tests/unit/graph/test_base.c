/* test_base.c - kg_error formatting, allocation hook, kg_buf, kg_arena and
 * the UTF-8 helpers. */
#include <stdlib.h>

#include "graph_int.h"
#include "kg_test.h"

/* Print err over text into a string via a temporary file. */
static char *print_error(const kg_error *e, const char *text)
{
    static char out[1024];
    FILE *f = tmpfile();
    size_t n;

    if (f == NULL) return NULL;
    kg_error_print(f, e, text, text ? strlen(text) : 0);
    rewind(f);
    n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    fclose(f);
    return out;
}

static void test_graph_base__error_set_and_locate(void)
{
    kg_error e;
    const char *q = "MATCH (n)\nRETURN é.x LIMIT";

    kg_assert_int(kg_error_set(NULL, KG_ESYNTAX, "<q>", (kg_span){0, 0}, "x"),
                  KG_ESYNTAX);
    kg_assert_int(kg_error_set(&e, KG_ETYPE, "<query>", (kg_span){22, 5},
                               "bad %s %d", "thing", 42),
                  KG_ETYPE);
    kg_assert_str(e.msg, "bad thing 42");
    kg_error_set(&e, KG_ETYPE, "<query>", e.span, "a.md: %s", e.msg);
    kg_assert_str(e.msg, "a.md: bad thing 42"); /* its own msg as argument */
    kg_assert_int(e.line, 0);
    kg_error_locate(&e, q, strlen(q));
    /* offset 22 is 'L' of LIMIT: line 2; 'é' is two bytes, one column */
    kg_assert_int(e.line, 2);
    kg_assert_int(e.col, 12);
    kg_error_clear(&e);
    kg_assert_int(e.code, KG_OK);
    kg_assert_str(kg_status_str(KG_ENOTFOUND), "not found");
    kg_assert_str(kg_status_str(KG_ESYNTAX), "syntax error");
    kg_assert_str(kg_status_str(12345), "unknown error");
}

static void test_graph_base__error_print_caret(void)
{
    kg_error e;
    const char *q = "MATCH (n)\nRETURN n.\x1b[31mname LIMIT x";

    kg_error_set(&e, KG_ESYNTAX, "<query>", (kg_span){37, 1},
                 "expected a number after LIMIT, near '%s'", "x");
    kg_assert_str(print_error(&e, q),
                  "<query>:2:27: error: expected a number after LIMIT, "
                  "near 'x'\n"
                  "    RETURN n.\\x1b[31mname LIMIT x\n"
                  "                                 ^\n");
    /* a wide span under CJK text: carets follow display width */
    kg_error_set(&e, KG_ETYPE, "a.md", (kg_span){4, 6}, "unknown \x1b label");
    kg_assert_str(print_error(&e, "\tx: 中文 y"),
                  "a.md:1:5: error: unknown \\x1b label\n"
                  "     x: 中文 y\n"
                  "        ^^^^\n");
    /* no text: only the message line; no source: no location prefix */
    kg_error_set(&e, KG_EIO, NULL, (kg_span){0, 0}, "cannot read");
    kg_assert_str(print_error(&e, NULL), "error: cannot read\n");
    /* error at end of input points one past the last character */
    kg_error_set(&e, KG_ESYNTAX, "<json>", (kg_span){3, 0}, "eof");
    kg_assert_str(print_error(&e, "[1,"),
                  "<json>:1:4: error: eof\n    [1,\n       ^\n");
    /* ... also when the text ends in a newline: not on an empty line 2 */
    kg_error_set(&e, KG_ESYNTAX, "<json>", (kg_span){4, 0}, "eof");
    kg_assert_str(print_error(&e, "[1,\n"),
                  "<json>:1:4: error: eof\n    [1,\n       ^\n");
    /* a span running past its line is cut at the line's end */
    kg_error_set(&e, KG_ESYNTAX, "t", (kg_span){1, 10}, "x");
    kg_assert_str(print_error(&e, "ab\ncd"), "t:1:2: error: x\n    ab\n     ^\n");
}

static void test_graph_base__failalloc(void)
{
    void *p, *q;
    unsigned long before = kg_alloc_count();

    kg_alloc_fail_at(2);
    p = kg_malloc(8);
    q = kg_malloc(8); /* the second one fails */
    kg_assert(p != NULL);
    kg_assert(q == NULL);
    q = kg_malloc(8); /* and only that one */
    kg_assert(q != NULL);
    kg_assert_int(kg_alloc_count() - before, 3);
    kg_free(p);
    kg_free(q);
    kg_alloc_fail_at(0);
}

static void test_graph_base__buf(void)
{
    kg_buf b = KG_BUF_INIT;
    char *s;
    int i;

    for (i = 0; i < 100; i++) kg_assert_int(kg_buf_printf(&b, "%d,", i), 0);
    kg_assert_int(b.len, 290);
    kg_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    kg_assert_int(b.data[b.len], '\0');
    kg_buf_reset(&b);
    kg_assert_int(b.len, 0);
    kg_assert_int(kg_buf_puts(&b, "ab"), 0);
    kg_assert_int(kg_buf_putc(&b, 'c'), 0);
    s = kg_buf_detach(&b);
    kg_assert_str(s, "abc");
    kg_assert(b.data == NULL);
    kg_free(s);
    /* a failed growth is sticky: later appends are refused too */
    kg_alloc_fail_at(1);
    kg_assert_int(kg_buf_puts(&b, "x"), KG_ENOMEM);
    kg_assert_int(kg_buf_puts(&b, "y"), KG_ENOMEM);
    kg_assert(b.oom);
    kg_assert(kg_buf_detach(&b) == NULL);
    kg_buf_free(&b);
}

static void test_graph_base__arena(void)
{
    kg_arena *a = kg_arena_new();
    char *s, *big;
    int i;

    kg_assert(a != NULL);
    for (i = 0; i < 1000; i++) {
        unsigned char *p = kg_arena_alloc(a, (size_t)(i % 37) + 1);
        kg_assert(p != NULL);
        kg_assert_int((uintptr_t)p % 16, 0);
        kg_assert_int(p[0], 0);
        p[0] = 0xAA;
    }
    big = kg_arena_alloc(a, 100000);
    kg_assert(big != NULL && big[99999] == 0);
    s = kg_arena_strndup(a, "hello world", 5);
    kg_assert_str(s, "hello");
    kg_arena_free(a);
    kg_arena_free(NULL);
}

static void test_graph_base__put_safe(void)
{
    kg_buf b = KG_BUF_INIT;
    const char in[] = "a\x1b[2Jb\0c\xff\n\t\xc2\x85\xe2\x80\xae" "é中";

    kg_assert_int(kg_buf_put_safe(&b, in, sizeof in - 1), 0);
    kg_assert_str(b.data,
                  "a\\x1b[2Jb\\x00c\\xff\\n\\t\\u{85}\\u{202e}é中");
    kg_buf_reset(&b);
    /* truncated sequence: each stray byte escaped on its own */
    kg_assert_int(kg_buf_put_safe(&b, "\xe4\xb8", 2), 0);
    kg_assert_str(b.data, "\\xe4\\xb8");
    kg_buf_free(&b);
}

static void test_graph_base__utf8(void)
{
    kg_assert_int(kg_utf8_width("abc", 3), 3);
    kg_assert_int(kg_utf8_width("中文", 6), 4);
    kg_assert_int(kg_utf8_width("e\xcc\x81", 3), 1);     /* e + U+0301 */
    kg_assert_int(kg_utf8_width("\xf0\x9f\x8e\x89", 4), 2); /* U+1F389 */
    kg_assert_int(kg_utf8_width("\xe2\x80\x8b", 3), 0);  /* ZWSP */
    kg_assert_int(kg_utf8_width("ｱ", 3), 1);             /* halfwidth kana */
    kg_assert_int(kg_utf8_width("Ｗ", 3), 2);            /* fullwidth W */
    kg_assert_int(kg_utf8_width("\xff", 1), 1);
    kg_assert(kg_utf8_valid("h\xc3\xa9\xf0\x9f\x8e\x89", 7));
    kg_assert(!kg_utf8_valid("\xc0\x80", 2));         /* overlong NUL */
    kg_assert(!kg_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    kg_assert(!kg_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    kg_assert(!kg_utf8_valid("\xe4\xb8", 2));         /* truncated */
    kg_assert(kg_strcasecmp("SageMaker", "sagemaker") == 0);
    kg_assert(kg_strcasecmp("abc", "abd") < 0);
    kg_assert(kg_strcasecmp("É", "é") != 0); /* ASCII only */
    kg_assert(kg_hash("abc", 3) == kg_hash("abc", 3));
    kg_assert(kg_hash("abc", 3) != kg_hash("abd", 3));
}

KG_TEST_LIST = {
    {"graph::base::error_set_and_locate", test_graph_base__error_set_and_locate},
    {"graph::base::error_print_caret", test_graph_base__error_print_caret},
    {"graph::base::failalloc", test_graph_base__failalloc},
    {"graph::base::buf", test_graph_base__buf},
    {"graph::base::arena", test_graph_base__arena},
    {"graph::base::put_safe", test_graph_base__put_safe},
    {"graph::base::utf8", test_graph_base__utf8},
    {NULL, NULL},
};

KG_TEST_MAIN
