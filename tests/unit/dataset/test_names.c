/* test_names.c - relation types, keys from paths, which files are read,
 * and dispatch by file name. */
#include <stdlib.h>

#include "parse_test.h"

static int rel_is(const char *in, const char *want)
{
    char *got = kg_dataset_rel_type(in);
    int ok = got != NULL && strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr, "rel_type(\"%s\") = \"%s\", expected \"%s\"\n", in,
                got ? got : "(null)", want);
    kg_free(got);
    return ok;
}

static int key_is(const char *path, const char *want)
{
    char *got = kg_dataset_key_from_path(path);
    int ok = got != NULL && strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr,
                "key_from_path(\"%s\") = \"%s\", expected "
                "\"%s\"\n",
                path, got ? got : "(null)", want);
    kg_free(got);
    return ok;
}

static void test_dataset_names__rel_type(void)
{
    kg_assert(rel_is("in_layer", "IN_LAYER"));
    kg_assert(rel_is("in-layer", "IN_LAYER"));
    kg_assert(rel_is("inLayer", "IN_LAYER"));
    kg_assert(rel_is("InLayer", "IN_LAYER"));
    kg_assert(rel_is("IN_LAYER", "IN_LAYER"));
    kg_assert(rel_is("  in   layer ", "IN_LAYER"));
    kg_assert(rel_is("HTTPServer", "HTTP_SERVER"));
    kg_assert(rel_is("usesS3Bucket", "USES_S3_BUCKET"));
    kg_assert(rel_is("part2of", "PART2OF"));
    kg_assert(rel_is("knows9L", "KNOWS9L")); /* found by table_parse fuzzer */
    kg_assert(rel_is("KNOWS9L", "KNOWS9L"));
    kg_assert(rel_is("größer", "GRößER")); /* only ASCII is folded */
    kg_assert(rel_is("a\xff"
                     "b",
                     "A_B")); /* invalid bytes separate */
    kg_assert(rel_is("--", ""));
    kg_assert(rel_is(NULL, ""));
}

static void test_dataset_names__key_from_path(void)
{
    kg_assert(key_is("aws/SageMaker Studio.md", "sagemaker-studio"));
    kg_assert(key_is("SageMaker Studio.md", "sagemaker-studio"));
    kg_assert(key_is("a/b/Node.js.md", "node-js"));
    kg_assert(key_is("__Init__.md", "init"));
    kg_assert(key_is("Café au lait.md", "café-au-lait"));
    kg_assert(key_is("bad\xff\xfename.md", "bad-name"));
    kg_assert(key_is("---.md", "untitled"));
    kg_assert(key_is("noext", "noext"));
    kg_assert(key_is("dir.d/.md", "md")); /* a leading dot is no extension */
    kg_assert(key_is(NULL, "untitled"));
}

static void test_dataset_names__wants(void)
{
    kg_assert_int(kg_dataset_wants("notes/a.md"), 1);
    kg_assert_int(kg_dataset_wants("A.MD"), 1);
    kg_assert_int(kg_dataset_wants("tables/nodes.csv"), 1);
    kg_assert_int(kg_dataset_wants("notes/a.txt"), 0);
    kg_assert_int(kg_dataset_wants("notes/md"), 0);
    kg_assert_int(kg_dataset_wants(".obsidian/templates/t.md"), 0);
    kg_assert_int(kg_dataset_wants("notes/.trash/x.md"), 0);
    kg_assert_int(kg_dataset_wants("notes/.hidden.md"), 0);
    kg_assert_int(kg_dataset_wants("a//b.md"), 1);
    kg_assert_int(kg_dataset_wants(""), 0);
    kg_assert_int(kg_dataset_wants(NULL), 0);
}

static void test_dataset_names__dispatch(void)
{
    kg_doc d;
    kg_error err;

    kg_error_clear(&err);
    kg_doc_init(&d, "x/y.csv");
    kg_assert_int(kg_dataset_parse(&d, ":ID\nk\n", 5, &err), KG_OK);
    kg_assert_int(d.nnodes, 1);
    kg_assert_str(d.nodes[0].key, "k");
    kg_doc_free(&d);

    kg_doc_init(&d, "x/Y.md");
    kg_assert_int(kg_dataset_parse(&d, "[[k]]", 5, &err), KG_OK);
    kg_assert_str(d.nodes[0].key, "y");
    kg_assert_int(d.nedges, 1);
    kg_doc_free(&d);

    kg_doc_init(&d, "x/y.txt");
    kg_assert_int(kg_dataset_parse(&d, "x", 1, &err), KG_ETYPE);
    kg_assert_str(err.msg, "'x/y.txt' is not a dataset file (expected *.md or "
                           "*.csv)");
    kg_assert_int(d.nnodes, 0);
    kg_doc_free(&d);
}

KG_TEST_LIST = {{"rel_type", test_dataset_names__rel_type},
                {"key_from_path", test_dataset_names__key_from_path},
                {"wants", test_dataset_names__wants},
                {"dispatch", test_dataset_names__dispatch},
                {NULL, NULL}};

KG_TEST_MAIN
