/* test_oom.c - every exporter survives an allocation failure at each point:
 * it returns KG_ENOMEM, leaves the caller's buffer as it was, and leaks
 * nothing (run under -DKG_SANITIZE=ON to have LeakSanitizer check that).
 * No failure may be swallowed: each of the allocations a clean run makes
 * must, when it fails, make the export fail; past them the bytes equal a
 * clean run's. */
#include "export_fixture.h"
#include "kg_test.h"

typedef struct {
    kg_format fmt;
    const char *cluster_by; /* DOT */
    int csv;                /* 0 no, 1 openCypher, 2 Gremlin */
} oom_case;

static int run(const kg_graph *g, const oom_case *c, kg_buf *a, kg_buf *b)
{
    kg_export_opts o = {c->fmt, NULL, c->cluster_by, "t"};
    kg_error err;
    if (c->csv) return kg_export_csv(a, b, g, NULL, c->csv == 2, &err);
    return kg_export(a, g, NULL, &o, &err);
}

static void test_export_oom__every_allocation(void)
{
    static const oom_case cases[] = {
        {KG_FMT_DOT, NULL, 0}, {KG_FMT_DOT, "zone", 0},
        {KG_FMT_DOT, "IN_LAYER", 0}, {KG_FMT_GRAPHML, NULL, 0},
        {KG_FMT_JSON, NULL, 0}, {KG_FMT_CYPHER, NULL, 0},
        {KG_FMT_DOT, NULL, 1}, {KG_FMT_DOT, NULL, 2},
    };
    kg_graph *g = fx_hostile(0);
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kg_buf want = KG_BUF_INIT, want2 = KG_BUF_INIT;
        unsigned long nth, count;

        kg_buf_puts(&want, "before"); /* the same start as the runs below */
        kg_buf_puts(&want2, "before");
        count = kg_alloc_count();
        kg_assert_int(run(g, &cases[i], &want, &want2), KG_OK);
        count = kg_alloc_count() - count;
        kg_assert(count > 2);
        /* every allocation the export makes can fail, and each failure is
         * reported; one more than it makes cannot hurt */
        for (nth = 1; nth <= count + 1; nth++) {
            kg_buf a = KG_BUF_INIT, b = KG_BUF_INIT;
            int rc;
            kg_buf_puts(&a, "before");
            kg_buf_puts(&b, "before");
            kg_alloc_fail_at(nth);
            rc = run(g, &cases[i], &a, &b);
            kg_alloc_fail_at(0);
            if (rc != (nth <= count ? KG_ENOMEM : KG_OK))
                fprintf(stderr, "case %lu, allocation %lu of %lu: %d\n",
                        (unsigned long)i, nth, count, rc);
            kg_assert_int(rc, nth <= count ? KG_ENOMEM : KG_OK);
            if (rc == KG_ENOMEM) {
                kg_assert_str(a.data, "before");
                kg_assert_str(b.data, "before");
            } else {
                kg_assert_str(a.data, want.data);
                if (cases[i].csv) kg_assert_str(b.data, want2.data);
            }
            kg_buf_free(&a);
            kg_buf_free(&b);
        }
        kg_buf_free(&want);
        kg_buf_free(&want2);
    }
    kg_graph_free(g);
}

static void test_export_oom__expand(void)
{
    kg_graph *g = fx_hostile(0);
    kg_id start = 3, *n = NULL, *e = NULL;
    kg_subgraph sg = {&start, 1, NULL, 0};
    size_t nn, ne, want_n, want_e;
    unsigned long nth, count = kg_alloc_count();
    int rc = KG_OK;

    kg_assert_int(kg_subgraph_expand(g, &sg, 2, &n, &want_n, &e, &want_e), KG_OK);
    kg_free(n), kg_free(e);
    count = kg_alloc_count() - count;
    for (nth = 1; nth <= count + 1; nth++) {
        kg_alloc_fail_at(nth);
        rc = kg_subgraph_expand(g, &sg, 2, &n, &nn, &e, &ne);
        kg_alloc_fail_at(0);
        kg_assert_int(rc, nth <= count ? KG_ENOMEM : KG_OK);
        if (rc == KG_ENOMEM) kg_assert(n == NULL && e == NULL);
    }
    kg_assert_int(rc, KG_OK);
    kg_assert_int(nn, want_n);
    kg_assert_int(ne, want_e);
    kg_free(n), kg_free(e);
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"export::oom::every_allocation", test_export_oom__every_allocation},
    {"export::oom::expand", test_export_oom__expand},
    {NULL, NULL}
};

KG_TEST_MAIN
