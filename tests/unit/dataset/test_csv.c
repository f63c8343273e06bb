/* test_csv.c - the RFC 4180 reader: quoting, line ends, positions, and the
 * lenient cases it reports. */
#include "parse_test.h"

/* Read all records of text into "a|b|c;" form, one ';' per record. */
static void records(kg_doc *d, const char *text, kg_buf *out)
{
    kg_csv c;
    kg_error err;
    size_t i;

    kg_doc_init(d, "t.csv");
    kg_csv__init(&c, d, text, strlen(text));
    while (kg_csv__next(&c, &err) == 1) {
        for (i = 0; i < c.nfields; i++)
            kg_buf_printf(out, "%s%s", i ? "|" : "",
                          kg_csv__field(&c, i, NULL));
        kg_buf_printf(out, "@%u;", c.rec_line);
    }
    kg_csv__free(&c);
}

static void test_dataset_csv__quoting(void)
{
    kg_doc d;
    kg_buf b = KG_BUF_INIT;

    records(&d,
            "\xEF\xBB\xBF"
            "a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\n"
            "\"multi\nline\",2,\"\"\n\n\nlast,,\"q\"",
            &b);
    kg_assert_str(b.data, "a|b|c@1;x,1|say \"hi\"|@2;multi\nline|2|@3;"
                          "last||q@7;");
    kg_assert_int(d.ndiags, 0);
    kg_buf_free(&b);
    kg_doc_free(&d);
}

/* `""` and an empty field read the same text but not the same thing: the
 * table reader asks which one it was. */
static void test_dataset_csv__quoted_flag(void)
{
    kg_doc d;
    kg_csv c;
    kg_error err;
    static const char text[] = "\"\",,\"x\",y,\"\"\"\"\n";

    kg_doc_init(&d, "t.csv");
    kg_csv__init(&c, &d, text, strlen(text));
    kg_assert_int(kg_csv__next(&c, &err), 1);
    kg_assert_int(c.nfields, 5);
    kg_assert_int(kg_csv__quoted(&c, 0), 1);
    kg_assert_int(kg_csv__quoted(&c, 1), 0);
    kg_assert_int(kg_csv__quoted(&c, 2), 1);
    kg_assert_int(kg_csv__quoted(&c, 3), 0);
    kg_assert_int(kg_csv__quoted(&c, 4), 1);
    kg_assert_str(kg_csv__field(&c, 4, NULL), "\"");
    kg_csv__free(&c);
    kg_doc_free(&d);
}

static void test_dataset_csv__line_ends(void)
{
    kg_doc d;
    kg_buf b = KG_BUF_INIT;

    records(&d, "a,b\r\n1,2\r\n\"3\r\n4\",5\r6,7\r\n", &b);
    kg_assert_str(b.data, "a|b@1;1|2@2;3\r\n4|5@3;6|7@5;");
    kg_buf_free(&b);
    kg_doc_free(&d);
}

static void test_dataset_csv__positions(void)
{
    kg_doc d;
    kg_csv c;
    kg_error err;

    kg_doc_init(&d, "t.csv");
    kg_csv__init(&c, &d, "h1,h2\n\"a\nb\",été,x\n",
                 strlen("h1,h2\n\"a\nb\",été,x\n"));
    kg_assert_int(kg_csv__next(&c, &err), 1);
    kg_assert_int(kg_csv__next(&c, &err), 1);
    kg_assert_int(c.nfields, 3);
    kg_assert_int(c.lines[0], 2);
    kg_assert_int(c.cols[0], 1);
    kg_assert_int(c.lines[1], 3);
    kg_assert_int(c.cols[1], 4);
    kg_assert_int(c.cols[2], 8); /* characters, not bytes */
    kg_assert_int(kg_csv__next(&c, &err), 0);
    kg_csv__free(&c);
    kg_doc_free(&d);
}

static void test_dataset_csv__unterminated(void)
{
    kg_doc d;
    kg_buf b = KG_BUF_INIT;

    records(&d, "a,b\n1,2\n3,\"open\n4,5\n", &b);
    kg_assert_str(b.data, "a|b@1;1|2@2;");
    kg_assert_int(d.ndiags, 1);
    kg_assert_str(d.diags[0].msg, "quoted field opened at 3:3 is never "
                                  "closed; the rest of the file is ignored");
    kg_assert_int(d.diags[0].line, 3);
    kg_assert_int(d.diags[0].col, 3);
    kg_assert_int(d.diags[0].severity, KG_SEV_ERROR);
    kg_buf_free(&b);
    kg_doc_free(&d);
}

static void test_dataset_csv__stray_quotes(void)
{
    kg_doc d;
    kg_buf b = KG_BUF_INIT;
    int i;

    records(&d, "a,b\n5\"7,\"x\"y\n", &b);
    kg_assert_str(b.data, "a|b@1;5\"7|xy@2;");
    kg_assert_int(d.ndiags, 2);
    kg_assert_str(d.diags[0].msg, "quote inside an unquoted field; kept as "
                                  "text");
    kg_assert_int(d.diags[1].col, 8);
    kg_buf_free(&b);
    kg_doc_free(&d);

    /* many stray quotes: warnings stop after KG_CSV_WARNINGS */
    for (i = 0; i < 50; i++)
        kg_buf_puts(&b, "a\"b\n");
    {
        kg_buf r = KG_BUF_INIT;
        records(&d, b.data, &r);
        kg_buf_free(&r);
    }
    kg_assert_int(d.ndiags, KG_CSV_WARNINGS);
    kg_assert(strstr(d.diags[KG_CSV_WARNINGS - 1].msg, "not shown") != NULL);
    kg_buf_free(&b);
    kg_doc_free(&d);
}

static void test_dataset_csv__wide_record(void)
{
    kg_doc d;
    kg_csv c;
    kg_error err;
    kg_buf b = KG_BUF_INIT;
    size_t i;

    for (i = 0; i < KG_TABLE_MAX_COLUMNS + 10; i++)
        kg_buf_puts(&b, "x,");
    kg_doc_init(&d, "w.csv");
    kg_csv__init(&c, &d, b.data, b.len);
    kg_assert_int(kg_csv__next(&c, &err), 1);
    kg_assert_int(c.nfields, KG_TABLE_MAX_COLUMNS);
    kg_assert_int(c.nseen, KG_TABLE_MAX_COLUMNS + 11);
    kg_csv__free(&c);
    kg_buf_free(&b);
    kg_doc_free(&d);
}

KG_TEST_LIST = {{"quoting", test_dataset_csv__quoting},
                {"quoted_flag", test_dataset_csv__quoted_flag},
                {"line_ends", test_dataset_csv__line_ends},
                {"positions", test_dataset_csv__positions},
                {"unterminated", test_dataset_csv__unterminated},
                {"stray_quotes", test_dataset_csv__stray_quotes},
                {"wide_record", test_dataset_csv__wide_record},
                {NULL, NULL}};

KG_TEST_MAIN
