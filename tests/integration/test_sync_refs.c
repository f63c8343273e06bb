/* test_sync_refs.c - revisions, --subdir, finding versions, and errors.
 *
 * The repository has three commits (a tag on the first); syncing tags and
 * relative revisions moves the store back and forth, and every error leaves
 * the store exactly as it was.
 */
#include "sync_fixture.h"

static char dir[512], repo[600];

/* c1 (tag v1): data/a.md, data/b.md, other/x.md; c2: a.md edited;
 * c3: data/c.md added. */
static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
    fx_note(repo, "data/a.md", "a", "b", "First a.");
    fx_note(repo, "data/b.md", "b", NULL, NULL);
    fx_note(repo, "other/x.md", "x", NULL, NULL);
    fx_commit(repo, "c1");
    fx_sh("git -C '%s' tag -a v1 -m 'release one'", repo);
    fx_note(repo, "data/a.md", "a", "b", "Second a.");
    fx_commit(repo, "c2");
    fx_note(repo, "data/c.md", "c", NULL, NULL);
    fx_commit(repo, "c3");
}

static void test_sync_refs__tags_and_relative(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    char text[256], c1[41];
    int64_t vid;

    setup("refs");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 4);

    /* Back to the tag: a is re-read, c goes. */
    kg_assert_int(fx_sync(st, repo, "v1", NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 2);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(res.files_removed, 1);
    fx_text(st, 2, "a", text, sizeof text);
    kg_assert(strstr(text, "First a.") != NULL);
    kg_assert(!fx_has(st, 2, "c"));

    kg_assert_int(fx_sync(st, repo, "HEAD~1", NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 3);
    fx_text(st, 3, "a", text, sizeof text);
    kg_assert(strstr(text, "Second a.") != NULL);
    kg_assert(!fx_has(st, 3, "c"));

    /* Finding versions by number, tag, relative revision and commit id. */
    kg_assert_int(kg_sync_find_version(st, "#1", &vid, &err), KG_OK);
    kg_assert_int(vid, 1);
    kg_assert_int(kg_sync_find_version(st, "2", &vid, &err), KG_OK);
    kg_assert_int(vid, 2);
    kg_assert_int(kg_sync_find_version(st, "v1", &vid, &err), KG_OK);
    kg_assert_int(vid, 2);
    kg_assert_int(kg_sync_find_version(st, "HEAD~1", &vid, &err), KG_OK);
    kg_assert_int(vid, 3);
    kg_assert_int(kg_sync_find_version(st, "HEAD", &vid, &err), KG_OK);
    kg_assert_int(vid, 1);
    fx_rev(repo, "v1^{commit}", c1);
    c1[8] = '\0';
    kg_assert_int(kg_sync_find_version(st, c1, &vid, &err), KG_OK);
    kg_assert_int(vid, 2);
    kg_assert_int(kg_sync_find_version(st, "#9", &vid, &err), KG_ENOTFOUND);
    kg_assert_str(err.msg, "no version #9 in the store (the newest is #3)");
    kg_assert_int(kg_sync_find_version(st, "nope", &vid, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "unknown revision 'nope'") != NULL);

    /* A commit that exists but was never synced. */
    fx_note(repo, "data/d.md", "d", NULL, NULL);
    fx_commit(repo, "c4");
    kg_assert_int(kg_sync_find_version(st, "HEAD", &vid, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "('HEAD') was never synced") != NULL);
    kg_store_close(st);
}

static void test_sync_refs__subdir(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    fx_diags d;
    char *meta;

    setup("subdir");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, "data", 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 3);
    kg_assert_int(fx_nodes(st, 1), 3);
    kg_assert(!fx_has(st, 1, "x"));
    meta = kg_store_meta_get(st, "subdir");
    kg_assert_str(meta, "data");
    kg_free(meta);

    /* Spellings of the same folder; a change outside it. */
    kg_assert_int(fx_sync(st, repo, NULL, "./data/", 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    fx_note(repo, "other/x.md", "x", NULL, "Changed outside.");
    fx_commit(repo, "outside");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1); /* source and subdir from the store */

    /* Document paths stay repository-relative. */
    fx_write(repo, "data/broken.md", "---\nkind: [\n---\n");
    fx_commit(repo, "broken");
    kg_assert_int(fx_sync(st, repo, NULL, "data", 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 1);
    fx_get_diags(st, res.version, &d);
    kg_assert(strstr(d.text, "data/broken.md:") != NULL);

    /* Widening to the whole repository brings x in; narrowing again
     * removes it. Without a tree to diff against, every file is compared
     * by content hash, so the unchanged notes are not parsed again. */
    kg_assert_int(fx_sync(st, repo, NULL, "", 0, &res, &err), KG_OK);
    kg_assert(fx_has(st, res.version, "x"));
    kg_assert_int(res.files_removed, 0);
    kg_assert_int(res.files_parsed, 1);
    kg_assert_int(fx_sync(st, repo, NULL, "data", 0, &res, &err), KG_OK);
    kg_assert(!fx_has(st, res.version, "x"));
    kg_assert_int(res.files_removed, 1);
    kg_assert_int(res.files_parsed, 0);

    kg_assert_int(fx_sync(st, repo, NULL, "missing", 0, &res, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "subdir 'missing' not found in ") != NULL);
    kg_assert(strstr(err.msg, " at HEAD (") != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, "data/a.md", 0, &res, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "is not a directory") != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, "../data", 0, &res, &err),
                  KG_ENOTFOUND);
    kg_assert_str(err.msg, "subdir '../data' leaves the repository");
    kg_store_close(st);
}

static void test_sync_refs__errors_leave_store_unchanged(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    char path[700];

    setup("errors");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);

    snprintf(path, sizeof path, "%s/nowhere", dir);
    kg_assert_int(fx_sync(st, path, NULL, NULL, 0, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "nowhere: not a git repository") != NULL);
    snprintf(path, sizeof path, "%s/plain", dir);
    fx_write(path, "n.md", "plain folder\n");
    kg_assert_int(fx_sync(st, path, NULL, NULL, 0, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "plain: not a git repository") != NULL);

    kg_assert_int(fx_sync(st, repo, "no-such-branch", NULL, 0, &res, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "unknown revision 'no-such-branch' in ") !=
              NULL);
    kg_assert_int(fx_sync(st, repo, "HEAD:data", NULL, 0, &res, &err),
                  KG_EGIT);
    kg_assert(strstr(err.msg, "is a tree, not a commit") != NULL);

    snprintf(path, sizeof path, "%s/empty", dir);
    fx_git_init(path);
    kg_assert_int(fx_sync(st, path, NULL, NULL, 0, &res, &err),
                  KG_ENOTFOUND);
    kg_assert(strstr(err.msg, "has no commits") != NULL);

    kg_assert_int(kg_store_latest(st), 1);
    kg_assert_int(fx_nodes(st, 1), 4);
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_refs::tags_and_relative", test_sync_refs__tags_and_relative},
    {"sync_refs::subdir", test_sync_refs__subdir},
    {"sync_refs::errors_leave_store_unchanged",
     test_sync_refs__errors_leave_store_unchanged},
    {NULL, NULL},
};

KG_TEST_MAIN
