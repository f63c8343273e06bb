/* test_proc.c - procedures over a real SQLite store: kg.search,
 * kg.versions, kg.history, kg.diagnostics and kg.diff (with USE). */
#include "qtest.h"

#include <stdio.h>
#include <unistd.h>

typedef struct {
    kg_store *st;
    kg_graph *cache[4];
} session;

/* The shell's job in real life: map a revision ("1", "2") to a version
 * and load (and cache) its graph. */
static int version_of(void *payload, const char *rev, int64_t *vid,
                      kg_error *err)
{
    session *s = payload;
    char *end;
    long long v = strtoll(rev, &end, 10);
    if (*end || v < 1 || v > kg_store_latest(s->st))
        return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                            "unknown revision '%s'", rev);
    *vid = v;
    return KG_OK;
}

static kg_graph *graph_at(void *payload, const char *rev, int64_t *vid,
                          kg_error *err)
{
    session *s = payload;
    if (version_of(payload, rev, vid, err) < 0) return NULL;
    if (!s->cache[*vid] && kg_store_load(s->st, *vid, &s->cache[*vid], err) < 0)
        return NULL;
    return s->cache[*vid];
}

static int put_version(kg_store *st, const char *msg, const char *body,
                       const char *extra_node)
{
    kg_version_info meta;
    kg_doc doc;
    kg_node_rec *n;
    kg_error err;
    int64_t vid;
    memset(&meta, 0, sizeof meta);
    meta.message = (char *)msg;
    meta.author = (char *)"tester";
    if (kg_store_begin(st, &meta, &vid, &err) < 0) return -1;
    kg_doc_init(&doc, "notes/sagemaker.md");
    n = kg_doc_node(&doc, "sagemaker", 1);
    kg_doc_node_label(n, "Service");
    kg_doc_node_prop(n, "name", kg_value_string("SageMaker", 9));
    n->text = kg_strdup(body);
    if (extra_node) {
        kg_node_rec *m = kg_doc_node(&doc, extra_node, 2);
        kg_doc_node_label(m, "Service");
        kg_doc_edge(&doc, "sagemaker", "USES", extra_node, 3, 1);
    }
    kg_doc_edge(&doc, "sagemaker", "MENTIONS", "nowhere", 4, 5);
    kg_doc_diag(&doc, KG_SEV_WARNING, 7, 2, "odd front matter");
    kg_doc_diag(&doc, KG_SEV_WARNING, 0, 0, "about the whole file");
    if (kg_store_put_doc(st, &doc, 1, &err) < 0 || kg_store_commit(st, &err) < 0) {
        kg_doc_free(&doc);
        return -1;
    }
    kg_doc_free(&doc);
    return 0;
}

static void test_query_proc__store(void)
{
    char path[256];
    session s;
    kg_query_env env;
    kg_error err;
    char *r;
    int i;
    memset(&s, 0, sizeof s);
    snprintf(path, sizeof path, "%s/proc-%d.db", KG_TEST_TMPDIR, (int)getpid());
    unlink(path);
    kg_assert_int(kg_store_open(&s.st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(put_version(s.st, "first", "training jobs", NULL), 0);
    kg_assert_int(put_version(s.st, "second", "training and inference", "s3"), 0);
    memset(&env, 0, sizeof env);
    env.store = s.st;
    env.version = 2;
    env.graph = graph_at(&s, "2", &env.version, &err);
    env.graph_at = graph_at;
    env.version_of = version_of;
    env.payload = &s;
    kg_assert(env.graph != NULL);

    r = qt_run_env(&env, "CALL kg.search('inference') YIELD node RETURN node.id");
    kg_assert_str(r, "'sagemaker'");
    kg_free(r);
    r = qt_run_env(&env, "CALL kg.versions() YIELD version, message, draft "
                         "RETURN version, message, draft ORDER BY version");
    kg_assert_str(r, "1 | 'first' | false\n2 | 'second' | false");
    kg_free(r);
    r = qt_run_env(&env, "CALL kg.history('s3') YIELD version, change "
                         "RETURN version, change");
    kg_assert_str(r, "2 | 'added'");
    kg_free(r);
    r = qt_run_env(&env, "CALL kg.diagnostics() YIELD file, line, severity "
                         "WHERE severity = 'warning' AND line > 0 RETURN file, line");
    kg_assert_str(r, "'notes/sagemaker.md' | 7");
    kg_free(r);
    /* a whole-file diagnostic has no line or column */
    r = qt_run_env(&env, "CALL kg.diagnostics() YIELD line, col, message "
                         "WHERE message = 'about the whole file' "
                         "RETURN line, col");
    kg_assert_str(r, "null | null");
    kg_free(r);
    r = qt_run_env(&env, "CALL kg.diff(1, 2) YIELD change, kind, key "
                         "WHERE kind = 'node' RETURN change, key");
    kg_assert_str(r, "'added' | 's3'");
    kg_free(r);
    r = qt_run_env(&env, "USE '1' MATCH (n:Service) RETURN count(n)");
    kg_assert_str(r, "1");
    kg_free(r);
    r = qt_run_env(&env, "CALL kg.diff(1, 9)");
    kg_assert_str(r, "error -2 at 1:1: unknown revision '9'");
    kg_free(r);
    for (i = 0; i < 4; i++) kg_graph_free(s.cache[i]);
    kg_store_close(s.st);
    unlink(path);
}

KG_TEST_LIST = {{"query::proc::store", test_query_proc__store}, {NULL, NULL}};

KG_TEST_MAIN
