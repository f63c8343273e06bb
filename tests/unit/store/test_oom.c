/* test_oom.c - every allocation the store makes may fail: each one is made
 * to fail in turn (kg_alloc_fail_at) over a whole write-load-read cycle,
 * and every call must then either succeed or report KG_ENOMEM, leaving
 * nothing leaked (the sanitizer build checks) and nothing half-stored. */
#include "store_test.h"

static int hits(const char *key, double score, void *payload)
{
    (void)key;
    (void)score;
    (*(int *)payload)++;
    return 0;
}

static int diags(const char *path, const kg_diag *d, void *payload)
{
    (void)path;
    (void)d;
    (*(int *)payload)++;
    return 0;
}

static int hist(const kg_history_item *h, void *payload)
{
    (void)h;
    (*(int *)payload)++;
    return 0;
}

#define OK_OR_OOM(rc) ((rc) == KG_OK || (rc) == KG_ENOMEM)

/* One cycle; returns -1 when a call failed other than with KG_ENOMEM. */
static int cycle(const char *path)
{
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    int rc, n = 0;

    rc = kg_store_open(&st, path, KG_STORE_CREATE, &err);
    if (rc < 0) return OK_OR_OOM(rc) ? 0 : -1;
    rc = st_begin(st, "", 0, &vid, &err);
    if (rc == KG_OK)
        rc = st_put(st, "a.md", "a", "Service", "Alpha", "apple",
                    "MENTIONS>b;USES>nowhere", "w", 1, &err);
    if (rc == KG_OK)
        rc = st_put(st, "b.md", "b", "Concept", "Beta", "banana", NULL, NULL, 0,
                    &err);
    if (rc == KG_OK)
        rc = st_put(st, "a.md", "a", "Service", "Alpha", "apple pie",
                    "MENTIONS>b", "w", 2, &err);
    if (rc == KG_OK)
        rc = kg_store_commit(st, &err);
    else
        kg_store_rollback(st);
    if (!OK_OR_OOM(rc)) goto fail;
    /* A version that failed left nothing behind. */
    if (rc < 0 && kg_store_latest(st) != 0) {
        rc = -101;
        goto fail;
    }
    if (rc == KG_OK) {
        rc = kg_store_load(st, 0, &g, &err);
        if (rc == KG_OK && kg_graph_count(g, KG_NODE) != 2) rc = -100;
        if (rc == KG_OK) rc = kg_store_diags(st, 0, g, diags, &n, &err);
        kg_graph_free(g);
        if (rc == KG_OK) rc = kg_store_search(st, 0, "apple", hits, &n, &err);
        if (rc == KG_OK) rc = kg_store_history(st, "a", hist, &n, &err);
        if (!OK_OR_OOM(rc)) goto fail;
    }
    kg_store_close(st);
    return 0;
fail:
    fprintf(stderr, "unexpected %d: %s\n", rc, err.msg);
    kg_store_close(st);
    return -1;
}

static void wipe(const char *path)
{
    char buf[640];
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
    unlink(path);
}

static void test_store_oom__every_allocation(void)
{
    char path[600];
    unsigned long before, total, nth;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    before = kg_alloc_count();
    kg_assert_int(cycle(path), 0);
    total = kg_alloc_count() - before;
    kg_assert(total > 50);
    for (nth = 1; nth <= total; nth++) {
        wipe(path);
        kg_alloc_fail_at(nth);
        if (cycle(path) < 0) {
            fprintf(stderr, "failing allocation %lu of %lu\n", nth, total);
            kg_assert(0);
        }
    }
    kg_alloc_fail_at(0);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::oom::every_allocation", test_store_oom__every_allocation},
    {NULL, NULL}};

KG_TEST_MAIN
