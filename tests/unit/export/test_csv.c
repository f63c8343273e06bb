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

/* fx_typed(2) holds every case: mixed types, the empty string, the empty
 * list, nested and mixed lists, a map, items with ';' and backslashes. */
static void test_export_csv__round_trip(void)
{
    kg_graph *g, *back;
    int gremlin, full;

    for (full = 0; full <= 2; full++) {
        g = fx_typed(full);
        for (gremlin = 0; gremlin < 2; gremlin++) {
            back = round_trip(g, gremlin, gremlin ? "rt_gremlin.db"
                                                  : "rt_cypher.db");
            kg_assert(same_graph(g, back));
            kg_graph_free(back);
        }
        kg_graph_free(g);
    }
}

static kg_id node(kg_graph *g, const char *key)
{
    return kg_graph_node_find(g, key);
}

static const kg_value *nprop(kg_graph *g, const char *key, const char *name)
{
    kg_id n = node(g, key);
    if (n == KG_NONE) return NULL;
    return kg_graph_prop(g, KG_NODE, n, fx_atom(g, name));
}

/* Export g (openCypher style), check that the node file holds each of
 * want[] (NULL-terminated), round-trip both styles to the same graph. */
static void check_export(kg_graph *g, const char *const *want,
                         const char *db, kg_graph **out)
{
    kg_buf n = KG_BUF_INIT, e = KG_BUF_INIT;
    kg_graph *back;
    size_t i;

    *out = NULL;
    kg_assert_int(kg_export_csv(&n, &e, g, NULL, 0, NULL), KG_OK);
    for (i = 0; want[i]; i++) {
        if (strstr(n.data, want[i]) == NULL)
            fprintf(stderr, "not in the export: [%s]\n%s", want[i], n.data);
        kg_assert(strstr(n.data, want[i]) != NULL);
    }
    kg_buf_free(&n);
    kg_buf_free(&e);
    back = round_trip(g, 1, db);
    kg_assert(same_graph(g, back));
    kg_graph_free(back);
    back = round_trip(g, 0, db);
    *out = back;
    kg_assert(same_graph(g, back));
}

/* One property, several types: a column per type, the first named
 * plainly, the others NAME@TYPE, read back as one property with each
 * value's own type. */
static void test_export_csv__mixed_types(void)
{
    static const char *const want[] = {
        ":ID,:LABEL,weight:Long,weight@Double:Double,weight@String:String,"
        "weight@Long[]:Long[],weight@String[]:String[],weight@Json:String\r\n",
        "\r\nn1,N,1,,,,,\r\n", "\r\nn2,N,,,heavy,,,\r\n",
        "\r\nn3,N,,,,1;6000000000,,\r\n", "\r\nn4,N,,0.5,,,,\r\n",
        "\r\nn5,N,6000000000,,,,,\r\n", "\r\nn6,N,,,,,a;b,\r\n",
        "\r\nn7,N,,,,,,\"{\"\"k\"\":[1,\"\"x\"\"]}\"\r\n",
        "\r\nn8,N,,,,,,\"[1,\"\"1\"\",{\"\"$date\"\":\"\"2020-01-02\"\"}]\"\r\n",
        NULL};
    kg_graph *g = kg_graph_new(), *back;
    kg_value m = kg_value_map();
    const kg_value *v;
    char key[8];
    int i;

    for (i = 1; i <= 8; i++) {
        snprintf(key, sizeof key, "n%d", i);
        kg_graph_label_add(g, kg_graph_node_add(g, key, NULL), fx_atom(g, "N"));
    }
    fx_set(g, KG_NODE, node(g, "n1"), "weight", kg_value_int(1));
    fx_set(g, KG_NODE, node(g, "n2"), "weight", fx_str("heavy"));
    fx_set(g, KG_NODE, node(g, "n3"), "weight",
           fx_list(2, kg_value_int(1), kg_value_int(6000000000LL)));
    fx_set(g, KG_NODE, node(g, "n4"), "weight", kg_value_float(0.5));
    fx_set(g, KG_NODE, node(g, "n5"), "weight", kg_value_int(6000000000LL));
    fx_set(g, KG_NODE, node(g, "n6"), "weight",
           fx_list(2, fx_str("a"), fx_str("b")));
    kg_value_map_set(&m, "k", 1, fx_list(2, kg_value_int(1), fx_str("x")));
    fx_set(g, KG_NODE, node(g, "n7"), "weight", m);
    fx_set(g, KG_NODE, node(g, "n8"), "weight",
           fx_list(3, kg_value_int(1), fx_str("1"), fx_date("2020-01-02")));
    check_export(g, want, "rt_mixed.db", &back);
    if (back != NULL) { /* each value its own type again */
        kg_assert_int(nprop(back, "n1", "weight")->type, KG_VINT);
        kg_assert_int(nprop(back, "n2", "weight")->type, KG_VSTRING);
        kg_assert_int(nprop(back, "n4", "weight")->type, KG_VFLOAT);
        kg_assert_int(nprop(back, "n7", "weight")->type, KG_VMAP);
        v = nprop(back, "n8", "weight");
        kg_assert(v->type == KG_VLIST && v->u.list->len == 3);
        kg_assert_int(v->u.list->items[2].type, KG_VDATE);
    }
    kg_graph_free(back);
    kg_graph_free(g);
}

/* A name with its own '@TYPE' or '@Json' ending is escaped "\@" so that
 * it is not taken for a type column; other '@'s are left alone. */
static void test_export_csv__at_names(void)
{
    static const char *const want[] = {
        ",a:Int,a@Double:Double,a\\@Int:Int,a\\@json:String,"
        "mail@host:String,x\\@Int:Int,x@Int@String:String\r\n",
        NULL};
    kg_graph *g = kg_graph_new(), *back;
    kg_id a = kg_graph_node_add(g, "a", NULL), b = kg_graph_node_add(g, "b", NULL);

    fx_set(g, KG_NODE, a, "a", kg_value_int(1));
    fx_set(g, KG_NODE, b, "a", kg_value_float(1.0));
    fx_set(g, KG_NODE, a, "a@Int", kg_value_int(2));
    fx_set(g, KG_NODE, a, "a@json", fx_str("not json"));
    fx_set(g, KG_NODE, a, "mail@host", fx_str("m"));
    fx_set(g, KG_NODE, a, "x@Int", kg_value_int(3));
    fx_set(g, KG_NODE, b, "x@Int", fx_str("three"));
    check_export(g, want, "rt_at.db", &back);
    kg_graph_free(back);
    kg_graph_free(g);
}

/* Names the header would otherwise misread: a leading '~' (a Gremlin
 * system column), ':' (openCypher's), a leading space (trimmed), and
 * backslashes before the escaped characters or at the end. */
static void test_export_csv__odd_names(void)
{
    static const char *const want[] = {
        ",\\ lead:Int,\\:x:Int,a\\\\:Int,b\\\\\\:c:Int,d\\e:Int,"
        "x~ y:Int,\\~3:String\r\n",
        NULL};
    static const char *const names[] = {"~3", " lead", ":x", "a\\",
                                        "b\\:c", "d\\e", "x~ y"};
    kg_graph *g = kg_graph_new(), *back;
    kg_id n = kg_graph_node_add(g, "n", NULL);
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        fx_set(g, KG_NODE, n, names[i],
               i == 0 ? fx_str("") : kg_value_int((int64_t)i));
    check_export(g, want, "rt_odd.db", &back);
    kg_graph_free(back);
    kg_graph_free(g);
}

/* "" is the empty string (or list), an empty field no property. */
static void test_export_csv__empty_vs_absent(void)
{
    static const char *const want[] = {
        ":ID,:LABEL,l:String[],s:String\r\n",
        "\r\nabsent,,,\r\n", "\r\nempty,,\"\",\"\"\r\n", NULL};
    kg_graph *g = kg_graph_new(), *back;
    kg_id e = kg_graph_node_add(g, "empty", NULL);
    const kg_value *v;

    kg_graph_node_add(g, "absent", NULL);
    fx_set(g, KG_NODE, e, "s", fx_str(""));
    fx_set(g, KG_NODE, e, "l", kg_value_list(0));
    check_export(g, want, "rt_empty.db", &back);
    if (back != NULL) {
        v = nprop(back, "empty", "s");
        kg_assert(v && v->type == KG_VSTRING && v->u.str->len == 0);
        v = nprop(back, "empty", "l");
        kg_assert(v && v->type == KG_VLIST && v->u.list->len == 0);
        kg_assert(nprop(back, "absent", "s") == NULL);
        kg_assert(nprop(back, "absent", "l") == NULL);
    }
    kg_graph_free(back);
    kg_graph_free(g);
}

/* Labels and array items holding ';' and backslashes read back as the
 * same labels and items. */
static void test_export_csv__semicolons(void)
{
    static const char *const want[] = {
        "\r\nn,a\\;b;back\\slash\\\\;x\\\\\\;y;\\\\\\\\;tail\\,"
        "a\\;b;back\\slash\\\\;x\\\\\\;y;\\\\\\\\;tail\\\r\n",
        NULL};
    static const char *const items[] = {"a;b", "back\\slash\\", "x\\;y",
                                        "\\\\", "tail\\"};
    kg_graph *g = kg_graph_new(), *back;
    kg_id n = kg_graph_node_add(g, "n", NULL);
    kg_value l = kg_value_list(0);
    size_t i, nl;

    for (i = 0; i < 5; i++) {
        kg_graph_label_add(g, n, fx_atom(g, items[i]));
        kg_value_list_push(&l, fx_str(items[i]));
    }
    fx_set(g, KG_NODE, n, "l", l);
    check_export(g, want, "rt_semi.db", &back);
    if (back != NULL) {
        kg_graph_labels(back, node(back, "n"), &nl);
        kg_assert_int(nl, 5);
    }
    kg_graph_free(back);
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
    kg_assert(strstr(n.data, ",tags:String,tags@String[]:String[],") != NULL);
    kg_assert(strstr(n.data, ",tier:Int,tier@Double:Double,") != NULL);
    kg_assert(strstr(n.data, ",map@Json:String,") != NULL);
    kg_assert(strstr(n.data, ",nolist:String[],") != NULL);
    kg_assert(strstr(n.data, ",\"weird name, \"\"q\"\":String\"\r\n") != NULL);
    kg_assert(strstr(n.data, "\r\nsvc-1,Service;Managed,5000000000,"
                             "2020-01-01;1999-12-31,,true;false,1.5;2.0,1e+300,") != NULL);
    kg_assert(strstr(n.data, ",\"SageMaker, \"\"Studio\"\"\",") != NULL);
    kg_assert(strstr(n.data, ",\"line1\nline2\r\nx;y \\ 'z' `w`\",") != NULL);
    kg_assert(strstr(n.data, ",\"  pad  \",") != NULL);
    kg_assert(strstr(n.data, ",-0.0,") != NULL && strstr(n.data, ",NaN,") != NULL);
    kg_assert(strstr(n.data, ",-Infinity,") != NULL);
    kg_assert(strstr(n.data, ",a\\;b;d\\\\\\;e;c\\,") != NULL); /* semi */
    kg_assert(strstr(n.data, ",a\\\\;c,") != NULL); /* semi2 */
    kg_assert(strstr(n.data, ",\"{\"\"k\"\":1,\"\"s p\"\":\"\"\\u0001\"\"}\",") != NULL);
    kg_assert(strstr(n.data, ",\"[1,\"\"a\"\"]\",") != NULL); /* mixed */
    /* nested as JSON, then the empty list nolist as "" */
    kg_assert(strstr(n.data, ",\"[[1],[]]\",\"\",") != NULL);
    /* the empty string (empty) is "", absent values are empty fields */
    kg_assert(strstr(n.data, "\r\nsvc-2,Service,,,\"\",,") != NULL);
    kg_assert(strstr(n.data, "\r\nnode-no-label,,") != NULL);
    kg_assert(strstr(e.data, ":START_ID,:END_ID,:TYPE,n:Int,note:String,"
                             "since:Date,weight:Double\r\n") == e.data);
    kg_assert(strstr(e.data, "\r\nnode-no-label,node-no-label,REL,,"
                             "\"a,\"\"b\"\";c\",,\r\n") != NULL);
    kg_buf_reset(&n);
    kg_buf_reset(&e);
    kg_assert_int(kg_export_csv(&n, &e, g, NULL, 1, NULL), KG_OK);
    kg_assert(strncmp(n.data, "~id,~label,big:Long(single),dates:Date[],", 41) == 0);
    kg_assert(strstr(n.data, ",tier:Int(single),tier@Double:Double(single),"));
    kg_assert(strstr(e.data, "~id,~from,~to,~label,n:Int,") == e.data);
    kg_assert(strstr(e.data, "\r\ne0,node-no-label,node-no-label,REL,") != NULL);
    kg_buf_free(&n);
    kg_buf_free(&e);
    kg_graph_free(g);
}

/* Times, date-times and durations have no Neptune column type: their
 * ISO text goes in a String column (one with strings of the same name)
 * and reads back as strings. */
static void test_export_csv__temporal(void)
{
    static const char *const want[] = {
        ":ID,:LABEL,du:String,ts:String[]\r\n",
        "\r\na,,P1DT2H,10:00Z;11:30+01:00\r\n", "\r\nb,,plain,\r\n", NULL};
    kg_graph *g = kg_graph_new(), *back;
    kg_id a = kg_graph_node_add(g, "a", NULL);
    kg_id b = kg_graph_node_add(g, "b", NULL);
    const kg_value *v;
    kg_buf n = KG_BUF_INIT, e = KG_BUF_INIT;
    size_t i;

    fx_set(g, KG_NODE, a, "du", kg_value_temporal(KG_VDURATION, "P1DT2H", 6));
    fx_set(g, KG_NODE, a, "ts",
           fx_list(2, kg_value_temporal(KG_VTIME, "10:00Z", 6),
                   kg_value_temporal(KG_VTIME, "11:30+01:00", 11)));
    fx_set(g, KG_NODE, b, "du", fx_str("plain"));
    kg_assert_int(kg_export_csv(&n, &e, g, NULL, 0, NULL), KG_OK);
    for (i = 0; want[i]; i++) {
        if (strstr(n.data, want[i]) == NULL)
            fprintf(stderr, "not in the export: [%s]\n%s", want[i], n.data);
        kg_assert(strstr(n.data, want[i]) != NULL);
    }
    kg_buf_free(&n);
    kg_buf_free(&e);
    back = round_trip(g, 0, "rt_temporal.db"); /* lossy: not same_graph */
    kg_assert(back != NULL);
    v = nprop(back, "a", "du");
    kg_assert(v && v->type == KG_VSTRING && !strcmp(v->u.str->s, "P1DT2H"));
    v = nprop(back, "a", "ts");
    kg_assert(v && v->type == KG_VLIST && v->u.list->len == 2);
    kg_graph_free(back);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::csv::temporal", test_export_csv__temporal},
    {"export::csv::round_trip", test_export_csv__round_trip},
    {"export::csv::round_trip_hostile", test_export_csv__round_trip_hostile},
    {"export::csv::text", test_export_csv__text},
    {"export::csv::mixed_types", test_export_csv__mixed_types},
    {"export::csv::at_names", test_export_csv__at_names},
    {"export::csv::empty_vs_absent", test_export_csv__empty_vs_absent},
    {"export::csv::odd_names", test_export_csv__odd_names},
    {"export::csv::semicolons", test_export_csv__semicolons},
    {NULL, NULL}
};

KG_TEST_MAIN
