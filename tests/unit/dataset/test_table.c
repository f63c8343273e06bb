/* test_table.c - Neptune bulk-load tables: both header styles, nodes and
 * edges, typed and multi-valued cells, and what bad headers, rows and
 * cells report. */
#include <math.h>

#include "parse_test.h"

static void test_dataset_table__cypher_nodes(void)
{
    kg_doc d;
    const kg_node_rec *n;
    const kg_value *v;

    table(&d, "nodes.csv",
          "code:ID,:LABEL,name:String,weight:Int,score:Double,ok:Bool,"
          "since:Date,tags:String[]\n"
          "s3,Service;Storage,Amazon S3,3,0.5,TRUE,2006-03-14,a;b\\;c;\n"
          "ec2,Service,,,,,,\n");
    kg_assert_int(d.nnodes, 2);
    kg_assert_int(d.ndiags, 0);
    n = node_key(&d, "s3");
    kg_assert(n != NULL);
    kg_assert_int(n->line, 2);
    kg_assert_int(n->nlabels, 2);
    kg_assert(has_label(n, "Storage"));
    kg_assert_str(vstr(nprop(n, "name")), "Amazon S3");
    kg_assert_int(nprop(n, "weight")->u.i, 3);
    kg_assert(nprop(n, "score")->u.f == 0.5);
    kg_assert_int(nprop(n, "ok")->u.b, 1);
    kg_assert_int(nprop(n, "since")->type, KG_VDATE);
    v = nprop(n, "tags");
    kg_assert(v && v->type == KG_VLIST && v->u.list->len == 2);
    kg_assert_str(vstr(&v->u.list->items[1]), "b;c");
    kg_assert_str(vstr(nprop(n, "code")), "s3"); /* code:ID keeps the id */
    n = node_key(&d, "ec2");
    kg_assert_int(n->nprops, 1); /* empty cells are absent, :ID copy stays */
    kg_doc_free(&d);
}

static void test_dataset_table__cypher_edges(void)
{
    kg_doc d;
    const kg_edge_rec *e;

    table(&d, "edges.csv",
          ":START_ID(svc),:END_ID(svc),:TYPE,:ID,since:DateTime\r\n"
          "s3,storage,inLayer,e1,2021-08-24T10:00:00Z\r\n"
          "ec2,compute,in-layer,e2,2021-08-24\r\n");
    kg_assert_int(d.nedges, 2);
    kg_assert_int(d.ndiags, 0);
    kg_assert((e = edge_to(&d, "IN_LAYER", "storage")) != NULL);
    kg_assert_str(e->src, "s3");
    kg_assert_int(e->line, 2);
    kg_assert_int(e->nprops, 1);
    kg_assert_int(e->props[0].val.type, KG_VSTRING);
    kg_assert_int(edge_to(&d, "IN_LAYER", "compute")->props[0].val.type,
                  KG_VDATE);
    kg_doc_free(&d);
}

static void test_dataset_table__gremlin(void)
{
    kg_doc d;
    const kg_node_rec *n;

    table(&d, "v.csv",
          "~id,~label,alias:String,title:String(single),n:Int[]\n"
          "a,Person,x;y,t;u,1;2\nb,Person,z,,7\n");
    kg_assert_int(d.ndiags, 0);
    n = node_key(&d, "a");
    kg_assert(has_label(n, "Person"));
    kg_assert_int(nprop(n, "alias")->u.list->len, 2); /* set by default */
    kg_assert_str(vstr(nprop(n, "title")), "t;u");    /* (single) */
    kg_assert_int(nprop(n, "n")->u.list->items[1].u.i, 2);
    n = node_key(&d, "b");
    kg_assert_int(nprop(n, "alias")->type, KG_VSTRING); /* a set of one */
    kg_assert_int(nprop(n, "n")->type, KG_VLIST);       /* arrays stay lists */
    kg_doc_free(&d);

    table(&d, "e.csv", "~id,~from,~to,~label,w:Double\ne1,a,b,knows,1.5\n");
    kg_assert_int(d.nedges, 1);
    kg_assert(edge_to(&d, "KNOWS", "b") != NULL);
    kg_assert(d.edges[0].props[0].val.u.f == 1.5);
    kg_doc_free(&d);
}

static void test_dataset_table__bad_cells(void)
{
    kg_doc d;
    const kg_node_rec *n;
    const kg_diag *g;

    table(&d, "n.csv",
          ":ID,b:Byte,i:Int,f:Float,ok:Bool,d:Date,l:Long[]\n"
          "x,128,12x,abc,yes,2021-13-01,1;q\n"
          "y,-128,2147483647,NaN,false,2021-02-28,-9223372036854775808\n");
    kg_assert_int(d.nnodes, 2);
    n = node_key(&d, "x");
    kg_assert_int(n->nprops, 0); /* the row stays, its bad values do not */
    kg_assert_int(d.ndiags, 6);
    g = &d.diags[0];
    kg_assert_str(g->msg, "row 1, column 'b' (Byte): out of range '128'; "
                          "value ignored");
    kg_assert_int(g->line, 2);
    kg_assert_int(g->col, 3);
    kg_assert_str(d.diags[1].msg, "row 1, column 'i' (Int): not an integer "
                                  "'12x'; value ignored");
    kg_assert(diag_with(&d, "(Float): not a number 'abc'") != NULL);
    kg_assert(diag_with(&d, "(Bool): not true or false 'yes'") != NULL);
    kg_assert(diag_with(&d, "(Date): not a date") != NULL);
    kg_assert(diag_with(&d, "(Long[]): not an integer '1;q'") != NULL);
    n = node_key(&d, "y");
    kg_assert_int(n->nprops, 6);
    kg_assert(isnan(nprop(n, "f")->u.f));
    kg_assert(nprop(n, "l")->u.list->items[0].u.i == INT64_MIN);
    kg_doc_free(&d);
}

static void test_dataset_table__bad_rows(void)
{
    kg_doc d;

    table(&d, "n.csv",
          ":ID,name\na,1\nb\n,2\na,3\nc,4,5\nd,\"x\ty\"\n"
          "\"e\x01\",5\n");
    kg_assert_int(d.nnodes, 2); /* a and d */
    kg_assert_str(d.diags[0].msg, "row 2 has 1 fields but the header has 2; "
                                  "row skipped");
    kg_assert_int(d.diags[0].line, 3);
    kg_assert_str(d.diags[1].msg, "row 3, column ':ID': empty value; row "
                                  "skipped");
    kg_assert_str(d.diags[2].msg, "row 4: duplicate id 'a' (first at row 1); "
                                  "row skipped");
    kg_assert(diag_with(&d, "row 5 has 3 fields") != NULL);
    kg_assert(diag_with(&d, "row 7, column ':ID': control character in; "
                            "row skipped") != NULL);
    kg_assert_int(d.ndiags, 5);
    kg_doc_free(&d);

    table(&d, "e.csv", ":START_ID,:END_ID,:TYPE\na,,R\na,b,--\n");
    kg_assert_int(d.nedges, 0);
    kg_assert(diag_with(&d, "column ':END_ID': empty value") != NULL);
    kg_assert(diag_with(&d, "type '--' has no letters or digits") != NULL);
    kg_doc_free(&d);
}

static void test_dataset_table__bad_headers(void)
{
    kg_doc d;

    table(&d, "h.csv", "name,age:Int\nx,1\n");
    kg_assert_int(d.nnodes, 0);
    kg_assert_int(d.ndiags, 1);
    kg_assert(strstr(d.diags[0].msg, "header has no :ID or ~id column"));
    kg_doc_free(&d);

    table(&d, "h.csv",
          ":ID,a:Wibble,:FOO,,a,a:Int,:ID,~label,a:string\n"
          "x,1,2,3,4,5,6,L,7\n");
    kg_assert_int(d.nnodes, 1);
    kg_assert_str(diag_with(&d, "Wibble")->msg,
                  "column 2 'a:Wibble': unknown type (expected String, Int, "
                  "Long, Short, Byte, Float, Double, Bool or Date, with [] "
                  "for arrays); column ignored");
    kg_assert(diag_with(&d, "column 3 ':FOO': unknown system column") != NULL);
    kg_assert(diag_with(&d, "column 4 '': empty column name") != NULL);
    /* a and a:Int are one property of two types: a row fills one */
    kg_assert(diag_with(&d, "row 1: property 'a' has a value in column 'a' "
                            "and in column 'a:Int'; the second ignored"));
    kg_assert(diag_with(&d, "column 9 'a:string': a property of this name "
                            "and type comes earlier") != NULL);
    kg_assert(diag_with(&d, "column 7 ':ID': this system column appears "
                            "twice") != NULL);
    kg_assert(diag_with(&d, "mixes openCypher") != NULL);
    kg_assert_str(vstr(nprop(&d.nodes[0], "a")), "4");
    kg_assert(has_label(&d.nodes[0], "L"));
    kg_doc_free(&d);

    table(&d, "e.csv", ":START_ID,:END_ID\na,b\n");
    kg_assert_str(d.diags[0].msg, "edge table needs :START_ID, :END_ID and "
                                  ":TYPE columns; table ignored");
    kg_doc_free(&d);

    table(&d, "empty.csv", "\n\n");
    kg_assert_str(d.diags[0].msg, "empty table: no header line");
    kg_doc_free(&d);
}

static void test_dataset_table__bytes(void)
{
    kg_doc d;
    kg_error err;

    kg_doc_init(&d, "b.csv");
    kg_assert_int(kg_table_parse(&d, ":ID\n\0x\n", 7, &err), KG_OK);
    kg_assert_int(d.nnodes, 0);
    kg_assert_str(d.diags[0].msg, "binary file (NUL byte at 2:1); not read "
                                  "as a table");
    kg_doc_free(&d);

    table(&d, "u.csv", ":ID,n\nk\xe9,1\n");
    kg_assert_str(d.nodes[0].key, "k\xef\xbf\xbd");
    kg_assert_int(d.diags[0].line, 2);
    kg_assert_int(d.diags[0].col, 2);
    kg_doc_free(&d);
}

/* "" is an empty string (String) or an empty list (Type[]); an empty
 * field is no property; elsewhere "" is no property too. */
static void test_dataset_table__empty_strings(void)
{
    kg_doc d;
    const kg_node_rec *n;
    const kg_value *v;

    table(&d, "e.csv",
          ":ID,s:String,l:String[],i:Int,g:Int[]\n"
          "q,\"\",\"\",\"\",\"\"\n"
          "u,,,,\n");
    kg_assert_int(d.ndiags, 0);
    n = node_key(&d, "q");
    v = nprop(n, "s");
    kg_assert(v && v->type == KG_VSTRING && v->u.str->len == 0);
    v = nprop(n, "l");
    kg_assert(v && v->type == KG_VLIST && v->u.list->len == 0);
    v = nprop(n, "g");
    kg_assert(v && v->type == KG_VLIST && v->u.list->len == 0);
    kg_assert(nprop(n, "i") == NULL);
    kg_assert_int(node_key(&d, "u")->nprops, 0);
    kg_doc_free(&d);

    table(&d, "g.csv", "~id,s:String,t:String(single)\nq,\"\",\"\"\n");
    kg_assert_int(d.ndiags, 0);
    n = node_key(&d, "q");
    kg_assert_str(vstr(nprop(n, "s")), "");
    kg_assert_str(vstr(nprop(n, "t")), "");
    kg_doc_free(&d);
}

/* "\;" and "\\" in labels and multi-values; a lone backslash is itself. */
static void test_dataset_table__escapes(void)
{
    kg_doc d;
    const kg_node_rec *n;
    const kg_value *v;

    table(&d, "e.csv",
          ":ID,:LABEL,l:String[]\n"
          "q,a\\;b;c\\\\;d\\e;f\\,a\\;b;c\\\\;d\\e;\\\\\\;;f\\\n");
    kg_assert_int(d.ndiags, 0);
    n = node_key(&d, "q");
    kg_assert_int(n->nlabels, 4);
    kg_assert(has_label(n, "a;b"));
    kg_assert(has_label(n, "c\\"));
    kg_assert(has_label(n, "d\\e"));
    kg_assert(has_label(n, "f\\"));
    v = nprop(n, "l");
    kg_assert(v && v->type == KG_VLIST && v->u.list->len == 5);
    kg_assert_str(vstr(&v->u.list->items[0]), "a;b");
    kg_assert_str(vstr(&v->u.list->items[1]), "c\\");
    kg_assert_str(vstr(&v->u.list->items[2]), "d\\e");
    kg_assert_str(vstr(&v->u.list->items[3]), "\\;");
    kg_assert_str(vstr(&v->u.list->items[4]), "f\\");
    kg_doc_free(&d);
}

/* One property in columns of several types (NAME@TYPE, NAME@Json), and
 * what a row that fills two of them, bad JSON and "\@" give. */
static void test_dataset_table__typed_columns(void)
{
    kg_doc d;
    const kg_node_rec *n;
    const kg_value *v;

    table(&d, "m.csv",
          ":ID,w:Int,w@string:String,w@Int[]:Int[],w@Json:String,"
          "a\\@Int:Int,b@Json:Int,c@Long:Int\n"
          "i,1,,,,,,\n"
          "s,,x,,,,,\n"
          "l,,,1;2,,,,\n"
          "j,,,,\"{\"\"k\"\":[true,{\"\"$date\"\":\"\"2020-01-02\"\"}]}\",2,3,4\n"
          "two,1,y,,,,,\n"
          "bad,,,,{oops,,,\n");
    kg_assert_int(nprop(node_key(&d, "i"), "w")->type, KG_VINT);
    kg_assert_str(vstr(nprop(node_key(&d, "s"), "w")), "x");
    kg_assert_int(nprop(node_key(&d, "l"), "w")->type, KG_VLIST);
    n = node_key(&d, "j");
    v = nprop(n, "w");
    kg_assert(v && v->type == KG_VMAP);
    kg_assert_int(nprop(n, "a@Int")->u.i, 2);   /* escaped: a plain name */
    kg_assert_int(nprop(n, "b@Json")->u.i, 3);  /* Json names a String */
    kg_assert_int(nprop(n, "c@Long")->u.i, 4);  /* not its own type */
    kg_assert_int(nprop(node_key(&d, "two"), "w")->u.i, 1);
    kg_assert(diag_with(&d, "row 5: property 'w' has a value in column 'w:Int' "
                            "and in column 'w@string:String'; the second "
                            "ignored") != NULL);
    kg_assert(nprop(node_key(&d, "bad"), "w") == NULL);
    kg_assert(diag_with(&d, "row 6, column 'w' (JSON): not JSON '{oops'; "
                            "value ignored") != NULL);
    kg_assert_int(d.ndiags, 2);
    kg_doc_free(&d);
}

KG_TEST_LIST = {{"cypher_nodes", test_dataset_table__cypher_nodes},
                {"cypher_edges", test_dataset_table__cypher_edges},
                {"gremlin", test_dataset_table__gremlin},
                {"bad_cells", test_dataset_table__bad_cells},
                {"bad_rows", test_dataset_table__bad_rows},
                {"bad_headers", test_dataset_table__bad_headers},
                {"bytes", test_dataset_table__bytes},
                {"empty_strings", test_dataset_table__empty_strings},
                {"escapes", test_dataset_table__escapes},
                {"typed_columns", test_dataset_table__typed_columns},
                {NULL, NULL}};

KG_TEST_MAIN
