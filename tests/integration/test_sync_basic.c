/* test_sync_basic.c - full sync, incremental syncs, deletions, version meta.
 *
 * One repository goes through the life of a dataset: a first commit, a
 * change to one note (only that note is parsed again), a deletion, and a
 * commit that touches no dataset file (no version is added).
 */
#include <limits.h>

#include "sync_fixture.h"

static char dir[512], repo[600];

static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
}

static void test_sync_basic__full_then_incremental(void)
{
    kg_sync_result res;
    kg_version_info v;
    kg_error err;
    kg_store *st;
    char head[41], text[256], *meta, real[PATH_MAX];

    setup("basic");
    fx_note(repo, "a.md", "a", "b", "Alpha links [[c]].");
    fx_note(repo, "b.md", "b", NULL, "Beta.");
    fx_note(repo, "notes/c.md", "c", NULL, "Gamma.");
    fx_write(repo, "README.txt", "not a note\n");
    kg_assert_int(fx_commit(repo, "first"), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);

    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 1);
    kg_assert_int(res.unchanged, 0);
    kg_assert_int(res.files_parsed, 3);
    kg_assert_int(res.files_removed, 0);
    kg_assert_int(fx_nodes(st, 1), 3);

    /* Version meta comes from the commit. */
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    fx_rev(repo, "HEAD", head);
    kg_assert_str(v.commit, head);
    kg_assert_str(v.author, "Ada Tester <ada@example.com>");
    kg_assert_str(v.message, "first");
    kg_assert_str(v.ref, "main");
    kg_assert_int(v.time, 1709294400);
    kg_assert_int(v.draft, 0);
    kg_assert(realpath(repo, real) != NULL);
    kg_assert_str(v.source, real);
    kg_version_info_clear(&v);
    meta = kg_store_meta_get(st, "source");
    kg_assert_str(meta, real);
    kg_free(meta);

    /* Nothing changed: no version. */
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    kg_assert_int(res.version, 1);
    kg_assert_int(res.files_parsed, 0);

    /* One note changes: only it is parsed. */
    fx_note(repo, "b.md", "b", NULL, "Beta, second edition.");
    kg_assert_int(fx_commit(repo, "second"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 2);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(res.files_total, 3); /* documents in the version */
    fx_text(st, 2, "b", text, sizeof text);
    kg_assert(strstr(text, "second edition") != NULL);
    fx_text(st, 1, "b", text, sizeof text);
    kg_assert(strstr(text, "second edition") == NULL);

    /* A deleted note is removed from the new version only. */
    kg_assert_int(fx_sh("git -C '%s' rm -q notes/c.md", repo), 0);
    kg_assert_int(fx_commit(repo, "third"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 3);
    kg_assert_int(res.files_removed, 1);
    kg_assert_int(res.files_parsed, 0);
    kg_assert_int(res.files_total, 2);
    kg_assert(!fx_has(st, 3, "c"));
    kg_assert(fx_has(st, 2, "c"));

    /* A commit that touches no dataset file adds no version, but the
     * commit still names the version it holds. */
    fx_write(repo, "README.txt", "still not a note\n");
    kg_assert_int(fx_commit(repo, "fourth"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    kg_assert_int(res.version, 3);
    {
        int64_t vid = 0;
        kg_assert_int(kg_sync_find_version(st, "HEAD", &vid, &err), KG_OK);
        kg_assert_int(vid, 3);
    }
    kg_store_close(st);
}

typedef struct {
    int parse_calls, store_calls;
    size_t parse_done, parse_total;
} seen_progress;

static void on_progress(const char *phase, size_t done, size_t total,
                        void *payload)
{
    seen_progress *p = payload;
    if (!strcmp(phase, "parse")) {
        p->parse_calls++;
        p->parse_done = done;
        p->parse_total = total;
    } else if (!strcmp(phase, "store")) {
        p->store_calls++;
    }
}

static void test_sync_basic__progress(void)
{
    kg_sync_opts o;
    kg_sync_result res;
    kg_error err;
    seen_progress p;
    kg_store *st;
    char name[32];
    int i;

    setup("progress");
    for (i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "n%03d.md", i);
        fx_note(repo, name, name, NULL, NULL);
    }
    kg_assert_int(fx_commit(repo, "many"), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    memset(&o, 0, sizeof o);
    memset(&p, 0, sizeof p);
    o.source = repo;
    o.progress = on_progress;
    o.payload = &p;
    kg_assert_int(kg_sync_run(st, &o, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 100);
    kg_assert(p.parse_calls >= 2);
    kg_assert_int(p.parse_done, 100);
    kg_assert_int(p.parse_total, 100);
    kg_assert_int(p.store_calls, 2);
    kg_store_close(st);
}

/* A broken note is reported and stored; its neighbours are imported. */
static void test_sync_basic__diagnostics_do_not_abort(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    fx_diags d;

    setup("diags");
    fx_note(repo, "good.md", "good", NULL, NULL);
    fx_write(repo, "bad.md", "---\nid: [unclosed\n---\nbody\n");
    kg_assert_int(fx_commit(repo, "mixed"), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 2);
    kg_assert(res.errors >= 1);
    kg_assert(fx_has(st, 1, "good"));
    fx_get_diags(st, 1, &d);
    kg_assert(strstr(d.text, "bad.md:") != NULL);
    kg_store_close(st);
}

/* Folders renamed, a file replaced by a folder, a mode change: the tree
 * walk that skips unchanged subtrees still sees every path. */
static void test_sync_basic__folders(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;

    setup("folders");
    fx_note(repo, "x/a.md", "a", NULL, NULL);
    fx_note(repo, "x/y/b.md", "b", NULL, NULL);
    fx_note(repo, "x/y/z/c.md", "c", NULL, NULL);
    fx_note(repo, "k/keep.md", "keep", NULL, NULL);
    kg_assert_int(fx_commit(repo, "tree"), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 4);

    kg_assert_int(fx_sh("git -C '%s' mv x/y x/w", repo), 0);
    kg_assert_int(fx_commit(repo, "rename folder"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 2);
    kg_assert_int(res.files_removed, 2);
    kg_assert_int(fx_nodes(st, res.version), 4);

    kg_assert_int(fx_sh("git -C '%s' rm -q x/a.md", repo), 0);
    fx_note(repo, "x/a.md/d.md", "d", NULL, NULL);
    kg_assert_int(fx_commit(repo, "file becomes folder"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(res.files_removed, 1);
    kg_assert(fx_has(st, res.version, "d"));
    kg_assert(!fx_has(st, res.version, "a"));

    /* Same content, new mode: looked at, not parsed, no version. */
    kg_assert_int(fx_sh("chmod +x '%s/k/keep.md'", repo), 0);
    kg_assert_int(fx_commit(repo, "mode"), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    kg_assert_int(res.files_total, 4);
    kg_assert_int(res.files_parsed, 0);
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_basic::full_then_incremental",
     test_sync_basic__full_then_incremental},
    {"sync_basic::folders", test_sync_basic__folders},
    {"sync_basic::progress", test_sync_basic__progress},
    {"sync_basic::diagnostics_do_not_abort",
     test_sync_basic__diagnostics_do_not_abort},
    {NULL, NULL},
};

KG_TEST_MAIN
