/* test_sync_skip.c - entries a sync must not read: links, submodules,
 * binary and huge files.
 *
 * Each is kept out of the graph with a warning stored for its path, and the
 * decision is the same from the commit and from the work tree, so a clean
 * work tree never looks edited.
 */
#include "sync_fixture.h"

static char dir[512], repo[600];

static void setup(const char *name)
{
    char sha[41];

    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
    fx_note(repo, "a.md", "a", NULL, NULL);
    fx_note(repo, "sub/s.md", "s", NULL, NULL);
    fx_sh("cd '%s' && ln -s a.md link.md && ln -s sub linked && "
          "ln -s /etc/passwd escape.md", repo);
    fx_sh("printf 'abc\\000def' > '%s/bin.md'", repo);
    /* One byte over the limit; it compresses to almost nothing in git. */
    fx_sh("head -c %u /dev/zero | tr '\\0' 'x' > '%s/huge.md'",
          (unsigned)KG_NOTE_MAX_BYTES + 1u, repo);
    fx_commit(repo, "first");
    /* A submodule entry (gitlink) pointing at some commit. */
    fx_rev(repo, "HEAD", sha);
    fx_sh("git -C '%s' update-index --add --cacheinfo 160000,%s,vendor/mod "
          "&& git -C '%s' commit -q -m gitlink", repo, sha, repo);
}

static void test_sync_skip__reported_never_followed(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    fx_diags d;

    setup("skip");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(fx_nodes(st, 1), 2); /* a and s only */
    kg_assert_int(res.warnings, 6);
    fx_get_diags(st, 1, &d);
    kg_assert(strstr(d.text, "link.md:0: skipped: symbolic link to 'a.md' "
                             "is not followed") != NULL);
    kg_assert(strstr(d.text, "linked:0: skipped: symbolic link to 'sub'") !=
              NULL);
    kg_assert(strstr(d.text, "escape.md:0: skipped: symbolic link to "
                             "'/etc/passwd'") != NULL);
    kg_assert(strstr(d.text, "vendor/mod:0: skipped: submodule at commit ")
              != NULL);
    kg_assert(strstr(d.text, "bin.md:0: skipped: binary file (NUL byte at "
                             "offset 3)") != NULL);
    kg_assert(strstr(d.text, "huge.md:0: skipped: file of 67108865 bytes "
                             "is over the 67108864-byte limit") != NULL);

    /* The clean work tree compares equal, entry for entry. */
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);

    /* Turning a link into a note is an ordinary change. */
    fx_sh("cd '%s' && rm link.md && cp a.md link.md && "
          "sed -i 's/id: a/id: l/' link.md", repo);
    fx_commit(repo, "link becomes a note");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.files_parsed, 1);
    kg_assert(fx_has(st, res.version, "l"));
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_skip::reported_never_followed",
     test_sync_skip__reported_never_followed},
    {NULL, NULL},
};

KG_TEST_MAIN
