/* test_sync_pipeline.c - reading on a second thread changes nothing.
 *
 * A sync of many files reads and parses them on a second thread while the
 * store writes (dataset/pipeline.c). KG_SYNC_PIPELINE forces either way,
 * so the same repository goes through both and the versions must hold the
 * same graph (fingerprint), the same counts and the same diagnostics; a
 * blob that cannot be read fails the sync with the same error either way
 * and leaves the store as it was; an interrupt in the middle rolls the
 * version back.
 */
#include "sync_fixture.h"

#define NOTES 600

static char dir[512], repo[600];

static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
}

/* NOTES notes linking to their neighbours; every 50th has broken YAML and
 * every 70th an unknown link target, so diagnostics come from both. gen
 * changes the text, so that a second generation edits every note. */
static void write_notes(int gen)
{
    char rel[64], id[32], rel2[32], body[128];
    int i;

    for (i = 0; i < NOTES; i++) {
        snprintf(rel, sizeof rel, "d%d/n%03d.md", i % 7, i);
        snprintf(id, sizeof id, "n%03d", i);
        snprintf(rel2, sizeof rel2, "n%03d, n%03d%s", (i + 1) % NOTES,
                 (i * 7) % NOTES, i % 70 == 3 ? ", nowhere" : "");
        snprintf(body, sizeof body, "Note %d, generation %d, see [[n%03d]].",
                 i, gen, (i + 13) % NOTES);
        if (i % 50 == 7)
            fx_write(repo, rel, "---\nid: [broken\n---\nBroken YAML.\n");
        else
            fx_note(repo, rel, id, rel2, body);
    }
    fx_sh("printf 'bin\\000ary' > '%s/blob.md'", repo); /* a warning */
}

/* Sync ref into a new store with KG_SYNC_PIPELINE=mode; the store stays
 * open for the caller (NULL when anything failed). */
static kg_store *sync_into(const char *name, const char *mode,
                           const char *ref, kg_sync_result *res)
{
    kg_error err;
    kg_store *st = fx_store(dir, name);
    int rc;

    if (st == NULL) return NULL;
    setenv("KG_SYNC_PIPELINE", mode, 1);
    rc = fx_sync(st, repo, ref, NULL, 0, res, &err);
    unsetenv("KG_SYNC_PIPELINE");
    if (rc == KG_OK) return st;
    kg_store_close(st);
    return NULL;
}

/* The graph fingerprint of version vid (0 when it cannot be loaded). */
static uint64_t fingerprint(kg_store *st, int64_t vid)
{
    kg_graph *g = NULL;
    kg_error err;
    uint64_t fp;

    if (kg_store_load(st, vid, &g, &err) < 0) {
        fprintf(stderr, "kg_store_load: %s\n", err.msg);
        return 0;
    }
    fp = kg_graph_fingerprint(g);
    kg_graph_free(g);
    return fp;
}

static void same_result(const kg_sync_result *a, const kg_sync_result *b)
{
    kg_assert_int(a->version, b->version);
    kg_assert_int(a->files_parsed, b->files_parsed);
    kg_assert_int(a->files_removed, b->files_removed);
    kg_assert_int(a->files_total, b->files_total);
    kg_assert_int(a->errors, b->errors);
    kg_assert_int(a->warnings, b->warnings);
}

static void test_sync_pipeline__same_versions(void)
{
    kg_sync_result r1, r2;
    kg_error err;
    kg_store *one, *two;
    fx_diags d1, d2;

    setup("pipe-same");
    write_notes(1);
    kg_assert_int(fx_commit(repo, "first"), 0);
    kg_assert((one = sync_into("one.db", "0", NULL, &r1)) != NULL);
    kg_assert((two = sync_into("two.db", "1", NULL, &r2)) != NULL);
    same_result(&r1, &r2);
    kg_assert_int(r1.files_parsed, NOTES + 1);
    kg_assert(r1.errors > 0 && r1.warnings > 0);
    kg_assert(fingerprint(one, 1) != 0);
    kg_assert(fingerprint(one, 1) == fingerprint(two, 1));
    kg_assert_int(fx_nodes(two, 1), NOTES); /* broken YAML: still a node */
    fx_get_diags(one, 1, &d1);
    fx_get_diags(two, 1, &d2);
    kg_assert(d1.count > 0);
    kg_assert_int(d1.count, d2.count);
    kg_assert_str(d1.text, d2.text);

    /* An incremental sync of many files: every note edited, some deleted,
     * some added. Both stores go on from the version each made. */
    write_notes(2);
    kg_assert_int(fx_sh("git -C '%s' rm -q -f -r d3", repo), 0);
    fx_note(repo, "new/x1.md", "x1", "n001", "New.");
    fx_note(repo, "new/x2.md", "x2", "x1", "Newer.");
    kg_assert_int(fx_commit(repo, "second"), 0);
    setenv("KG_SYNC_PIPELINE", "0", 1);
    kg_assert_int(fx_sync(one, repo, NULL, NULL, 0, &r1, &err), KG_OK);
    setenv("KG_SYNC_PIPELINE", "1", 1);
    kg_assert_int(fx_sync(two, repo, NULL, NULL, 0, &r2, &err), KG_OK);
    unsetenv("KG_SYNC_PIPELINE");
    same_result(&r1, &r2);
    kg_assert_int(r2.version, 2);
    kg_assert(r2.files_removed > 0);
    kg_assert(fingerprint(one, 2) == fingerprint(two, 2));
    kg_assert(fingerprint(two, 1) != fingerprint(two, 2));
    kg_store_close(one);
    kg_store_close(two);
}

/* The default picks by size: the result is the same too. */
static void test_sync_pipeline__default_matches(void)
{
    kg_sync_result r1, r2;
    kg_store *one, *two;
    kg_error err;

    setup("pipe-default");
    write_notes(1);
    kg_assert_int(fx_commit(repo, "first"), 0);
    kg_assert((one = sync_into("one.db", "0", NULL, &r1)) != NULL);
    two = fx_store(dir, "two.db");
    kg_assert(two != NULL);
    unsetenv("KG_SYNC_PIPELINE");
    kg_assert_int(fx_sync(two, repo, NULL, NULL, 0, &r2, &err), KG_OK);
    same_result(&r1, &r2);
    kg_assert(fingerprint(one, 1) == fingerprint(two, 1));
    kg_store_close(one);
    kg_store_close(two);
}

/* Delete one note's blob from the object database: the read fails on the
 * reader thread, the sync reports that file, and nothing is stored. */
static void test_sync_pipeline__unreadable_blob(void)
{
    char oid[41], msg[2][300];
    const char *modes[2] = {"0", "1"};
    kg_sync_result res;
    kg_store *st;
    kg_error err;
    int m;

    setup("pipe-broken");
    write_notes(1);
    kg_assert_int(fx_commit(repo, "first"), 0);
    kg_assert_int(fx_rev(repo, "HEAD:d4/n487.md", oid), 0);
    kg_assert_int(fx_sh("rm -f '%s/.git/objects/%.2s/%s'", repo, oid,
                        oid + 2),
                  0);
    for (m = 0; m < 2; m++) {
        char name[16];

        snprintf(name, sizeof name, "s%d.db", m);
        kg_assert((st = fx_store(dir, name)) != NULL);
        setenv("KG_SYNC_PIPELINE", modes[m], 1);
        kg_error_clear(&err);
        kg_assert(kg_sync_run(st, &(kg_sync_opts){.source = repo}, &res,
                              &err) < 0);
        unsetenv("KG_SYNC_PIPELINE");
        kg_assert_int(err.code, KG_EGIT);
        kg_assert(strstr(err.msg, "d4/n487.md") != NULL);
        snprintf(msg[m], sizeof msg[m], "%s", err.msg);
        kg_assert_int(kg_store_latest(st), 0);
        kg_store_close(st);
    }
    kg_assert_str(msg[0], msg[1]);
}

/* Raise the interrupt from the progress callback after some files: the
 * version is rolled back, and a later sync makes it whole. */
static volatile int stop_flag;

static void stop_after(const char *phase, size_t done, size_t total,
                       void *payload)
{
    (void)total;
    (void)payload;
    if (!strcmp(phase, "parse") && done >= 128) stop_flag = 1;
}

static void test_sync_pipeline__interrupt(void)
{
    kg_sync_result res, ref;
    kg_store *st, *one;
    kg_error err;

    setup("pipe-stop");
    write_notes(1);
    kg_assert_int(fx_commit(repo, "first"), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    stop_flag = 0;
    setenv("KG_SYNC_PIPELINE", "1", 1);
    kg_error_clear(&err);
    kg_assert_int(kg_sync_run(st,
                              &(kg_sync_opts){.source = repo,
                                              .progress = stop_after,
                                              .interrupt = &stop_flag},
                              &res, &err),
                  KG_EINTERRUPT);
    kg_assert_int(kg_store_latest(st), 0);
    stop_flag = 0;
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    unsetenv("KG_SYNC_PIPELINE");
    kg_assert((one = sync_into("one.db", "0", NULL, &ref)) != NULL);
    same_result(&res, &ref);
    kg_assert(fingerprint(st, 1) == fingerprint(one, 1));
    kg_store_close(st);
    kg_store_close(one);
}

KG_TEST_LIST = {
    {"sync_pipeline::same_versions", test_sync_pipeline__same_versions},
    {"sync_pipeline::default_matches", test_sync_pipeline__default_matches},
    {"sync_pipeline::unreadable_blob", test_sync_pipeline__unreadable_blob},
    {"sync_pipeline::interrupt", test_sync_pipeline__interrupt},
    {NULL, NULL},
};

KG_TEST_MAIN
