/* test_csv.c - Neptune CSV export: the round trip through kgsh's own table
 * reader and store gives the same graph fingerprint, in both header styles;
 * and the text holds the quoting, escapes and types the format asks for.
 *
 * The round trip is the real path a user takes: export, commit the two
 * files, sync. Here the files go through kg_table_parse into a kg_doc, the
 * store (a real SQLite file), and kg_store_load, with no diagnostics. */
#include <unistd.h>

#include "export_fixture.h"
#include "kg_dataset.h"
#include "kg_test.h"

static int print_diags(const kg_doc *d)
{
    uint32_t i;
    for (i = 0; i < d->ndiags; i++)
        fprintf(stderr, "%s:%u:%u: %s\n", d->path, d->diags[i].line,
                d->diags[i].col, d->diags[i].msg);
    return (int)d->ndiags;
}

/* Export g as CSV, read both files back into a new store, load it. */
static kg_graph *round_trip(const kg_graph *g, int gremlin, const char *db)
{
    kg_buf nodes = KG_BUF_INIT, edges = KG_BUF_INIT;
    kg_doc dn, de;
    kg_store *st = NULL;
    kg_graph *out = NULL;
    kg_version_info v;
    kg_error err;
    int64_t vid;
    const char *path = fx_path(db);

    memset(&v, 0, sizeof v);
    unlink(path);
    kg_doc_init(&dn, "nodes.csv");
    kg_doc_init(&de, "edges.csv");
    if (kg_export_csv(&nodes, &edges, g, NULL, gremlin, &err) != KG_OK ||
        kg_table_parse(&dn, nodes.data, nodes.len, &err) != KG_OK ||
        kg_table_parse(&de, edges.data, edges.len, &err) != KG_OK)
        goto done;
    if (print_diags(&dn) + print_diags(&de) > 0) goto done;
    if (kg_store_open(&st, path, KG_STORE_CREATE, &err) != KG_OK ||
        kg_store_begin(st, &v, &vid, &err) != KG_OK ||
        kg_store_put_doc(st, &dn, 1, &err) != KG_OK ||
        kg_store_put_doc(st, &de, 2, &err) != KG_OK ||
        kg_store_commit(st, &err) != KG_OK ||
        kg_store_load(st, vid, &out, &err) != KG_OK)
        fprintf(stderr, "store: %s\n", err.msg);
done:
    kg_store_close(st);
    kg_doc_free(&dn);
    kg_doc_free(&de);
    kg_buf_free(&nodes);
    kg_buf_free(&edges);
    return out;
}

/* Print the first difference, for a failing round trip. */
static int show_diff(const kg_diff_item *d, void *payload)
{
    (void)payload;
    fprintf(stderr, "diff: what %d kind %d prop %s\n", (int)d->what,
            (int)d->kind, d->prop ? d->prop : "-");
    return 1;
}

static int same_graph(const kg_graph *a, const kg_graph *b)
{
    if (b == NULL) return 0;
    if (kg_graph_fingerprint(a) == kg_graph_fingerprint(b)) return 1;
    kg_graph_diff(a, b, show_diff, NULL);
    return 0;
}

static void test_export_csv__round_trip(void)
{
    kg_graph *g = fx_typed(0), *back;
    int gremlin;

    for (gremlin = 0; gremlin < 2; gremlin++) {
        back = round_trip(g, gremlin, gremlin ? "rt_gremlin.db" : "rt_cypher.db");
        kg_assert(same_graph(g, back));
        kg_graph_free(back);
    }
    kg_graph_free(g);
}

/* Names and values from the hostile set that a table can hold exactly:
 * keys without control characters, property values of any text. */
static void test_export_csv__round_trip_hostile(void)
{
    kg_graph *g = kg_graph_new(), *back;
    size_t i;
    char key[128];
    kg_id prev = KG_NONE;

    for (i = 0; i < FX_NNAMES; i++) {
        kg_id n;
        size_t k;
        int ok = fx_names[i].len == 0 && kg_utf8_valid(fx_names[i].s, strlen(fx_names[i].s));
        for (k = 0; ok && fx_names[i].s[k]; k++)
            ok = (unsigned char)fx_names[i].s[k] >= 0x20;
        if (!ok) continue;
        fx_key(key, sizeof key, i);
        n = kg_graph_node_add(g, key, NULL);
        kg_graph_label_add(g, n, fx_atom(g, i % 2 ? "Service" : "K\xC3\xA9 \"q\", x"));
        if (fx_names[i].len == 0 && fx_names[i].s[0])
            fx_set(g, KG_NODE, n, "name", fx_str(fx_names[i].s));
        if (fx_names[i].s[0]) /* an empty item would make it a JSON string */
            fx_set(g, KG_NODE, n, "list",
                   fx_list(2, fx_str("x"), fx_str(fx_names[i].s)));
        fx_set(g, KG_NODE, n, "a:b", kg_value_int((int64_t)i));
        if (prev != KG_NONE) {
            kg_id e = kg_graph_edge_add(g, prev, n, fx_atom(g, "NEXT"), NULL);
            fx_set(g, KG_EDGE, e, "why", fx_str(fx_names[i].s[0] ? fx_names[i].s : "-"));
        }
        prev = n;
    }
    back = round_trip(g, 0, "rt_hostile.db");
    kg_assert(same_graph(g, back));
    kg_graph_free(back);
    back = round_trip(g, 1, "rt_hostile_g.db");
    kg_assert(same_graph(g, back));
    kg_graph_free(back);
    kg_graph_free(g);
}

static void test_export_csv__text(void)
{
    kg_graph *g = fx_typed(2);
    kg_buf n = KG_BUF_INIT, e = KG_BUF_INIT;

    kg_assert_int(kg_export_csv(&n, &e, g, NULL, 0, NULL), KG_OK);
    kg_assert(strncmp(n.data, ":ID,:LABEL,big:Long,dates:Date[],empty:String,"
                              "flags:Bool[],flts:Double[],", 70) == 0);
    kg_assert(strstr(n.data, ",tags:String,tags:String[],") != NULL);
    kg_assert(strstr(n.data, ",tier:Int,tier:Double,") != NULL);
    kg_assert(strstr(n.data, ",\"weird name, \"\"q\"\":String\"\r\n") != NULL);
    kg_assert(strstr(n.data, "\r\nsvc-1,Service;Managed,5000000000,"
                             "2020-01-01;1999-12-31,,true;false,1.5;2.0,1e+300,") != NULL);
    kg_assert(strstr(n.data, ",\"SageMaker, \"\"Studio\"\"\",") != NULL);
    kg_assert(strstr(n.data, ",\"line1\nline2\r\nx;y \\ 'z' `w`\",") != NULL);
    kg_assert(strstr(n.data, ",\"  pad  \",") != NULL);
    kg_assert(strstr(n.data, ",-0.0,") != NULL && strstr(n.data, ",NaN,") != NULL);
    kg_assert(strstr(n.data, ",-Infinity,") != NULL);
    kg_assert(strstr(n.data, ",a\\;b;d\\\\;e;c\\,") != NULL); /* semi */
    kg_assert(strstr(n.data, ",\"[\"\"a\\\\\"\",\"\"c\"\"]\",") != NULL); /* semi2 */
    kg_assert(strstr(n.data, ",[],") != NULL && strstr(n.data, ",\"[[1],[]]\",") != NULL);
    kg_assert(strstr(n.data, ",\"\",") != NULL); /* the empty string */
    kg_assert(strstr(n.data, "\r\nnode-no-label,,") != NULL);
    kg_assert(strstr(e.data, ":START_ID,:END_ID,:TYPE,n:Int,note:String,"
                             "since:Date,weight:Double\r\n") == e.data);
    kg_assert(strstr(e.data, "\r\nnode-no-label,node-no-label,REL,,"
                             "\"a,\"\"b\"\";c\",,\r\n") != NULL);
    kg_buf_reset(&n);
    kg_buf_reset(&e);
    kg_assert_int(kg_export_csv(&n, &e, g, NULL, 1, NULL), KG_OK);
    kg_assert(strncmp(n.data, "~id,~label,big:Long(single),dates:Date[],", 41) == 0);
    kg_assert(strstr(e.data, "~id,~from,~to,~label,n:Int,") == e.data);
    kg_assert(strstr(e.data, "\r\ne0,node-no-label,node-no-label,REL,") != NULL);
    kg_buf_free(&n);
    kg_buf_free(&e);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::csv::round_trip", test_export_csv__round_trip},
    {"export::csv::round_trip_hostile", test_export_csv__round_trip_hostile},
    {"export::csv::text", test_export_csv__text},
    {NULL, NULL}
};

KG_TEST_MAIN
