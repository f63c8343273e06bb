/* test_sync_oom.c - a sync that runs out of memory leaves the store as it
 * was.
 *
 * The debug allocator fails the Nth allocation (kg_alloc_fail_at). A store
 * at version 1 is copied afresh for every N, and a sync to the next commit
 * runs with the Nth of its allocations failing, for every N the sync makes.
 * A run either fails cleanly, leaving version 1 as the newest with its
 * graph intact, or gets through (the failure hit something the sync can do
 * without, such as a meta lookup) and then must have recorded exactly the
 * expected version. Under KG_SANITIZE=ON this walks every error path of the
 * sync for leaks and bad frees.
 */
#include "sync_fixture.h"

static char dir[512], repo[600], db[700], tmpl[700];

/* Version 1 from the first commit saved as tmpl; the second commit changes
 * b, adds d and deletes c. */
static int setup(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;

    fx_git_env();
    fx_tmpdir(dir, sizeof dir, "oom");
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(db, sizeof db, "%s/kg.db", dir);
    snprintf(tmpl, sizeof tmpl, "%s/v1.db", dir);
    fx_git_init(repo);
    fx_note(repo, "a.md", "a", "b", "Alpha [[c]].");
    fx_note(repo, "b.md", "b", NULL, NULL);
    fx_note(repo, "c.md", "c", NULL, NULL);
    fx_commit(repo, "first");
    if ((st = fx_store(dir, "v1.db")) == NULL) return -1;
    if (fx_sync(st, repo, NULL, NULL, 0, &res, &err) < 0) return -1;
    kg_store_close(st); /* checkpoints: v1.db is the whole store */
    fx_note(repo, "b.md", "b", "a", "Changed.");
    fx_note(repo, "d.md", "d", NULL, NULL);
    fx_sh("git -C '%s' rm -q c.md", repo);
    return fx_commit(repo, "second");
}

/* Sync a fresh copy of version 1 with allocation nth failing (0: none).
 * Returns the sync's status; *ok is 0 when the store is not as it must be. */
static int run(unsigned long nth, unsigned long *count, int *ok)
{
    kg_sync_opts o;
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    unsigned long before;
    int rc;

    *ok = 0;
    if (fx_sh("cp '%s' '%s' && rm -f '%s-wal' '%s-shm'", tmpl, db, db, db))
        return KG_ERROR;
    if ((st = fx_store(dir, "kg.db")) == NULL) return KG_ERROR;
    memset(&o, 0, sizeof o);
    o.source = repo;
    kg_error_clear(&err);
    before = kg_alloc_count();
    kg_alloc_fail_at(nth);
    rc = kg_sync_run(st, &o, &res, &err);
    kg_alloc_fail_at(0);
    if (count) *count = kg_alloc_count() - before;
    if (rc == KG_OK)
        *ok = res.version == 2 && kg_store_latest(st) == 2 &&
              res.files_parsed == 2 && res.files_removed == 1 &&
              fx_has(st, 2, "d") && !fx_has(st, 2, "c") &&
              fx_nodes(st, 1) == 3;
    else
        *ok = kg_store_latest(st) == 1 && fx_nodes(st, 1) == 3;
    if (!*ok)
        fprintf(stderr, "allocation %lu: sync returned %d (%s); newest "
                        "version %lld\n", nth, rc, err.msg,
                (long long)kg_store_latest(st));
    kg_store_close(st);
    return rc;
}

static void test_sync_oom__every_allocation(void)
{
    unsigned long n = 0, nth;
    int ok, failed = 0;

    kg_assert_int(setup(), 0);
    kg_assert_int(run(0, &n, &ok), KG_OK);
    kg_assert(ok);
    kg_assert(n > 10);
    printf("%lu allocations in the sync\n", n);
    for (nth = 1; nth <= n; nth++) {
        if (run(nth, NULL, &ok) < 0) failed++;
        kg_assert(ok);
    }
    kg_assert(failed > 0);
}

/* The message of version vid ("" when there is none). */
static void message_of(kg_store *st, int64_t vid, char *out, size_t size)
{
    kg_version_info v;

    out[0] = '\0';
    if (kg_store_version(st, vid, &v, NULL) == KG_OK) {
        snprintf(out, size, "%s", v.message);
        kg_version_info_clear(&v);
    }
}

/* A history import of two more commits (and a commit that changes no
 * dataset file) with allocation nth failing. Each version is its own
 * transaction, so a failure leaves the versions finished before it, each
 * intact (all of them when the failure hit the bookkeeping after the last
 * one). Then an import without failure must go on from there to exactly
 * the same versions as one that never failed. Returns the first import's
 * status. */
static int run_history(unsigned long nth, unsigned long *count, int *ok)
{
    kg_sync_opts o;
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    unsigned long before;
    char m2[64], m3[64];
    int64_t latest;
    int rc;

    *ok = 0;
    if (fx_sh("cp '%s' '%s' && rm -f '%s-wal' '%s-shm'", tmpl, db, db, db))
        return KG_ERROR;
    if ((st = fx_store(dir, "kg.db")) == NULL) return KG_ERROR;
    memset(&o, 0, sizeof o);
    o.source = repo;
    o.history = 1;
    kg_error_clear(&err);
    before = kg_alloc_count();
    kg_alloc_fail_at(nth);
    rc = kg_sync_run(st, &o, &res, &err);
    kg_alloc_fail_at(0);
    if (count) *count = kg_alloc_count() - before;
    latest = kg_store_latest(st);
    message_of(st, 2, m2, sizeof m2);
    *ok = rc == KG_OK ? latest == 3 && res.versions_added == 2
                      : latest == 1 || (latest >= 2 && !strcmp(m2, "second"));
    *ok = *ok && fx_nodes(st, 1) == 3 &&
          (latest < 2 || (fx_has(st, 2, "d") && !fx_has(st, 2, "c")));
    if (*ok && rc < 0) { /* go on without failures */
        kg_error_clear(&err);
        *ok = kg_sync_run(st, &o, &res, &err) == KG_OK &&
              res.versions_added == (size_t)(3 - latest);
    }
    message_of(st, 2, m2, sizeof m2);
    message_of(st, 3, m3, sizeof m3);
    *ok = *ok && kg_store_latest(st) == 3 && !strcmp(m2, "second") &&
          !strcmp(m3, "third") && fx_has(st, 3, "e") && fx_nodes(st, 3) == 4;
    if (!*ok)
        fprintf(stderr, "history, allocation %lu: sync returned %d (%s); "
                        "newest version %lld\n", nth, rc, err.msg,
                (long long)kg_store_latest(st));
    kg_store_close(st);
    return rc;
}

static void test_sync_oom__history(void)
{
    unsigned long n = 0, nth;
    int ok, failed = 0;

    kg_assert_int(setup(), 0);
    fx_note(repo, "e.md", "e", NULL, NULL);
    kg_assert_int(fx_commit(repo, "third"), 0);
    fx_write(repo, "README.txt", "not a note\n");
    kg_assert_int(fx_commit(repo, "fourth: no dataset file"), 0);
    kg_assert_int(run_history(0, &n, &ok), KG_OK);
    kg_assert(ok);
    printf("%lu allocations in the history import\n", n);
    for (nth = 1; nth <= n; nth++) {
        if (run_history(nth, NULL, &ok) < 0) failed++;
        kg_assert(ok);
    }
    kg_assert(failed > 0);
}

KG_TEST_LIST = {
    {"sync_oom::every_allocation", test_sync_oom__every_allocation},
    {"sync_oom::history", test_sync_oom__history},
    {NULL, NULL},
};

KG_TEST_MAIN
