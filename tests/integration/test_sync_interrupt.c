/* test_sync_interrupt.c - stopping a sync with kg_sync_opts.interrupt.
 *
 * The flag is raised from the progress callback, as a SIGINT handler
 * would raise it from outside, at chosen points: before the first file,
 * between two files, after the last file (so only the check before the
 * commit sees it), and in the middle of a history import. Each time the
 * version in progress is rolled back, the error says so, and the next sync
 * goes on as if the interrupted one had never run (or, after a history
 * import, from the last version it finished).
 */
#include "sync_fixture.h"

static char dir[512], repo[600];

typedef struct {
    volatile int flag;
    const char *phase;  /* raise the flag at this phase...          */
    size_t at;          /* ...once done reaches this (0: at once)   */
    int seen;           /* how many times the phase was reported    */
} trigger;

static void on_progress(const char *phase, size_t done, size_t total,
                        void *payload)
{
    trigger *t = payload;

    (void)total;
    if (strcmp(phase, t->phase) != 0) return;
    t->seen++;
    if (done >= t->at) t->flag = 1;
}

static int run(kg_store *st, int history, trigger *t, kg_sync_result *res,
               kg_error *err)
{
    kg_sync_opts o;

    memset(&o, 0, sizeof o);
    o.source = repo;
    o.subdir = "data";
    o.history = history;
    if (t) {
        o.progress = on_progress;
        o.payload = t;
        o.interrupt = &t->flag;
    }
    kg_error_clear(err);
    return kg_sync_run(st, &o, res, err);
}

/* 130 notes (more than two progress reports of 64) in data/. */
static void setup(const char *name)
{
    char rel[64], id[32];
    int i;

    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
    for (i = 0; i < 130; i++) {
        snprintf(rel, sizeof rel, "data/n%03d.md", i);
        snprintf(id, sizeof id, "n%03d", i);
        fx_note(repo, rel, id, i ? "n000" : NULL, NULL);
    }
    fx_commit(repo, "notes");
}

static char *meta(kg_store *st, const char *key)
{
    return kg_store_meta_get(st, key);
}

static void test_sync_interrupt__first_sync(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    trigger t = {0, "parse", 64, 0};
    char *tree;

    setup("intr-first");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    /* Raised after 64 files: the next file is not read. */
    kg_assert_int(run(st, 0, &t, &res, &err), KG_EINTERRUPT);
    kg_assert_str(err.msg, "sync interrupted; the store is unchanged");
    kg_assert_int(t.seen, 1);
    kg_assert_int(kg_store_latest(st), 0);
    kg_assert((tree = meta(st, "tree")) == NULL);
    kg_assert(meta(st, "source") == NULL);

    /* Raised before anything: same. */
    t.flag = 1;
    t.seen = 0;
    kg_assert_int(run(st, 0, &t, &res, &err), KG_EINTERRUPT);
    kg_assert_str(err.msg, "sync interrupted; the store is unchanged");
    kg_assert_int(t.seen, 0);
    kg_assert_int(kg_store_latest(st), 0);

    /* Uninterrupted, the sync is whole. */
    kg_assert_int(run(st, 0, NULL, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 130);
    kg_assert_int(fx_nodes(st, 1), 130);
    kg_store_close(st);
}

static void test_sync_interrupt__before_commit(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    trigger t = {0, "parse", 3, 0};
    char *tree0, *tree1;
    char text[256];

    setup("intr-commit");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(run(st, 0, NULL, &res, &err), KG_OK);
    tree0 = meta(st, "tree");
    fx_note(repo, "data/n001.md", "n001", NULL, "Edited one.");
    fx_note(repo, "data/n002.md", "n002", NULL, "Edited two.");
    fx_note(repo, "data/n003.md", "n003", NULL, "Edited three.");
    fx_commit(repo, "three edits");

    /* Three files, one progress report after the last one: only the
     * check before the commit can see the flag. */
    kg_assert_int(run(st, 0, &t, &res, &err), KG_EINTERRUPT);
    kg_assert_str(err.msg, "sync interrupted; the store is unchanged");
    kg_assert_int(t.seen, 1);
    kg_assert_int(kg_store_latest(st), 1);
    tree1 = meta(st, "tree");
    kg_assert_str(tree1, tree0);
    kg_free(tree1);
    fx_text(st, 1, "n002", text, sizeof text);
    kg_assert(strstr(text, "Edited") == NULL);

    kg_assert_int(run(st, 0, NULL, &res, &err), KG_OK);
    kg_assert_int(res.version, 2);
    kg_assert_int(res.files_parsed, 3);
    fx_text(st, 2, "n002", text, sizeof text);
    kg_assert(strstr(text, "Edited two.") != NULL);
    kg_free(tree0);
    kg_store_close(st);
}

/* Four commits; the flag is raised as the third begins. The two
 * before stay, and the next sync imports the other two. */
static void test_sync_interrupt__history(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    trigger t = {0, "history", 2, 0};
    char note[64], id[32];
    int i;

    setup("intr-hist");
    for (i = 1; i <= 3; i++) {
        snprintf(note, sizeof note, "data/extra%d.md", i);
        snprintf(id, sizeof id, "extra%d", i);
        fx_note(repo, note, id, NULL, NULL);
        fx_commit(repo, "one more");
    }
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(run(st, 1, &t, &res, &err), KG_EINTERRUPT);
    kg_assert_str(err.msg, "sync interrupted after 2 of 4 commits; the "
                           "store holds the versions up to #2, sync again "
                           "to import the rest");
    kg_assert_int(kg_store_latest(st), 2);
    kg_assert(fx_has(st, 2, "extra1") && !fx_has(st, 2, "extra2"));

    kg_assert_int(run(st, 1, NULL, &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 2);
    kg_assert_int(res.version, 4);
    kg_assert_int(fx_nodes(st, 4), 133);

    /* Interrupted in its first version: nothing of it stays. */
    fx_note(repo, "data/extra4.md", "extra4", NULL, NULL);
    fx_commit(repo, "and another");
    t.flag = 0;
    t.at = 0;
    kg_assert_int(run(st, 1, &t, &res, &err), KG_EINTERRUPT);
    kg_assert_str(err.msg, "sync interrupted; the store is unchanged");
    kg_assert_int(kg_store_latest(st), 4);
    kg_assert_int(run(st, 1, NULL, &res, &err), KG_OK);
    kg_assert_int(res.version, 5);
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_interrupt::first_sync", test_sync_interrupt__first_sync},
    {"sync_interrupt::before_commit", test_sync_interrupt__before_commit},
    {"sync_interrupt::history", test_sync_interrupt__history},
    {NULL, NULL},
};

KG_TEST_MAIN
