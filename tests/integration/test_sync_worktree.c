/* test_sync_worktree.c - uncommitted edits as a draft version.
 *
 * --worktree records edited, new and deleted files as a draft on top of the
 * checked-out commit without touching the index or the work tree; the next
 * sync (plain or --worktree) replaces the draft.
 */
#include "sync_fixture.h"

static char dir[512], repo[600];

static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
    fx_note(repo, "a.md", "a", "b", "Committed a.");
    fx_note(repo, "b.md", "b", NULL, NULL);
    fx_write(repo, ".gitignore", "ignored.md\n");
    fx_commit(repo, "first");
}

static int is_draft(kg_store *st, int64_t vid)
{
    kg_version_info v;
    int d;
    if (kg_store_version(st, vid, &v, NULL) < 0) return -1;
    d = v.draft;
    kg_version_info_clear(&v);
    return d;
}

/* A fingerprint of the index and the status, to show neither changed.
 * --no-optional-locks keeps `git status` itself from refreshing the index,
 * which it otherwise may do when files changed within the same second. */
static int repo_state(char *out, size_t size)
{
    char cmd[1024];
    FILE *p;
    size_t n;

    snprintf(cmd, sizeof cmd,
             "cd '%s' && sha1sum .git/index && stat -c %%Y .git/index && "
             "git --no-optional-locks status --porcelain", repo);
    if ((p = popen(cmd, "r")) == NULL) return -1;
    n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    pclose(p);
    return 0;
}

static void test_sync_worktree__draft_then_replaced(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    char text[256], before[2048], after[2048];

    setup("worktree");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(res.version, 1);
    kg_assert_int(is_draft(st, 1), 0); /* a clean work tree adds no draft */

    /* Edit a, add n, delete b, add an ignored note; stage nothing. */
    fx_note(repo, "a.md", "a", "b", "Edited a.");
    fx_note(repo, "n.md", "n", NULL, NULL);
    fx_note(repo, "ignored.md", "ignored", NULL, NULL);
    kg_assert_int(fx_sh("rm '%s/b.md'", repo), 0);
    repo_state(before, sizeof before);
    sleep(1); /* an index rewrite would show in its mtime */
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    repo_state(after, sizeof after);
    kg_assert_str(after, before);
    kg_assert_int(res.version, 2);
    kg_assert_int(is_draft(st, 2), 1);
    kg_assert_int(res.files_parsed, 2);
    kg_assert_int(res.files_removed, 1);
    kg_assert_int(res.files_total, 2); /* a, n */
    fx_text(st, 2, "a", text, sizeof text);
    kg_assert(strstr(text, "Edited a.") != NULL);
    kg_assert(fx_has(st, 2, "n"));
    kg_assert(!fx_has(st, 2, "b"));
    kg_assert(!fx_has(st, 2, "ignored"));
    fx_text(st, 1, "a", text, sizeof text);
    kg_assert(strstr(text, "Committed a.") != NULL);

    /* Same work tree: nothing to do. */
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    kg_assert_int(res.version, 2);
    kg_assert_int(res.files_total, 2);

    /* Another edit: a new draft replaces the old one (which is deleted)
     * and keeps its edits. */
    fx_note(repo, "a.md", "a", "b", "Edited a again.");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(res.version, 3);
    kg_assert_int(is_draft(st, 2), -1);
    kg_assert_int(is_draft(st, 3), 1);
    kg_assert_int(res.files_parsed, 2); /* a, and n again from the old draft */
    kg_assert_int(res.files_removed, 1); /* b again */
    fx_text(st, 3, "a", text, sizeof text);
    kg_assert(strstr(text, "Edited a again.") != NULL);
    kg_assert(fx_has(st, 3, "n"));
    kg_assert(!fx_has(st, 3, "b"));

    /* A plain sync of the same commit replaces the draft with the commit. */
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 0);
    kg_assert_int(res.files_total, 2); /* a, b */
    kg_assert_int(is_draft(st, 3), -1);
    kg_assert_int(is_draft(st, res.version), 0);
    kg_assert_int(kg_store_latest(st), res.version);
    fx_text(st, res.version, "a", text, sizeof text);
    kg_assert(strstr(text, "Committed a.") != NULL);
    kg_assert(fx_has(st, res.version, "b"));
    kg_assert(!fx_has(st, res.version, "n"));

    /* --worktree reads edits on top of HEAD only. */
    kg_assert_int(fx_sync(st, repo, "HEAD~0", NULL, 1, &res, &err), KG_OK);
    fx_note(repo, "b.md", "b", NULL, NULL);
    fx_commit(repo, "second");
    kg_assert_int(fx_sync(st, repo, "HEAD~1", NULL, 1, &res, &err), KG_EGIT);
    kg_assert(strstr(err.msg, "not the checked-out commit") != NULL);
    kg_store_close(st);
}

static void test_sync_worktree__undone_edits_drop_the_draft(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    char text[256];

    setup("undo");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    fx_note(repo, "a.md", "a", "b", "Temporary edit.");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(is_draft(st, res.version), 1);
    kg_assert_int(fx_sh("git -C '%s' checkout -q -- a.md", repo), 0);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(is_draft(st, res.version), 0);
    fx_text(st, res.version, "a", text, sizeof text);
    kg_assert(strstr(text, "Committed a.") != NULL);

    /* A new commit under a draft: the commit's version, then a draft of
     * the edits on top of it. */
    fx_note(repo, "c.md", "c", NULL, NULL);
    fx_commit(repo, "add c");
    fx_note(repo, "a.md", "a", "b", "Edit after c.");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(is_draft(st, res.version), 1);
    kg_assert_int(is_draft(st, res.version - 1), 0);
    kg_assert(fx_has(st, res.version - 1, "c"));
    fx_text(st, res.version - 1, "a", text, sizeof text);
    kg_assert(strstr(text, "Committed a.") != NULL);
    fx_text(st, res.version, "a", text, sizeof text);
    kg_assert(strstr(text, "Edit after c.") != NULL);
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_worktree::draft_then_replaced",
     test_sync_worktree__draft_then_replaced},
    {"sync_worktree::undone_edits_drop_the_draft",
     test_sync_worktree__undone_edits_drop_the_draft},
    {NULL, NULL},
};

KG_TEST_MAIN
