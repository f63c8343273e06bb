/* test_sync_history.c - history imports and the commit a version is from.
 *
 * A repository whose dataset is one folder, with commits that change it and
 * commits that only change code around it (as in the kgsh repository and
 * its bundled dataset). A history import records one version per commit
 * that changed the folder, oldest first, each with that commit's meta; a
 * plain sync attributes its version to the newest commit that changed the
 * folder; every commit of the walked chain names the right version.
 */
#include "sync_fixture.h"

static char dir[512], repo[600];
/* c[0] code only; c[1] data a, b; c[2] code; c[3] a edited; c[4] c added,
 * b removed; c[5] code (HEAD). */
static char c[6][41];

static void commit_on(int day, const char *msg)
{
    char date[40];

    snprintf(date, sizeof date, "2024-03-%02dT12:00:00Z", day);
    setenv("GIT_AUTHOR_DATE", date, 1);
    setenv("GIT_COMMITTER_DATE", date, 1);
    fx_commit(repo, msg);
}

static void setup(const char *name)
{
    fx_git_env();
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    fx_git_init(repo);
    fx_write(repo, "src/main.c", "int main(void) { return 0; }\n");
    commit_on(1, "code: a start");
    fx_rev(repo, "HEAD", c[0]);
    fx_note(repo, "data/a.md", "a", "b", "First a.");
    fx_note(repo, "data/b.md", "b", NULL, NULL);
    fx_note(repo, "other/x.md", "x", NULL, NULL);
    commit_on(2, "data: a and b");
    fx_rev(repo, "HEAD", c[1]);
    fx_write(repo, "src/main.c", "int main(void) { return 1; }\n");
    commit_on(3, "code: exit 1");
    fx_rev(repo, "HEAD", c[2]);
    fx_note(repo, "data/a.md", "a", NULL, "Second a.");
    commit_on(4, "data: a again");
    fx_rev(repo, "HEAD", c[3]);
    fx_note(repo, "data/c.md", "c", "a", NULL);
    fx_sh("git -C '%s' rm -q data/b.md", repo);
    commit_on(5, "data: c in, b out");
    fx_rev(repo, "HEAD", c[4]);
    fx_write(repo, "src/main.c", "int main(void) { return 2; }\n");
    commit_on(6, "code: exit 2");
    fx_rev(repo, "HEAD", c[5]);
}

static int history_sync(kg_store *st, const char *ref, const char *subdir,
                        kg_sync_result *res, kg_error *err)
{
    kg_sync_opts o;
    int rc;

    memset(&o, 0, sizeof o);
    o.source = repo;
    o.ref = ref;
    o.subdir = subdir;
    o.history = 1;
    kg_error_clear(err);
    rc = kg_sync_run(st, &o, res, err);
    if (rc < 0) fprintf(stderr, "sync: %s\n", err->msg);
    return rc;
}

/* The versions, newest first, as "id commit7 message time|...". */
typedef struct {
    char text[2048];
} vlist;

static int vlist_add(const kg_version_info *v, void *payload)
{
    vlist *l = payload;
    size_t n = strlen(l->text);

    snprintf(l->text + n, sizeof l->text - n, "%lld %.7s %s %lld%s|",
             (long long)v->id, v->commit, v->message, (long long)v->time,
             v->draft ? " draft" : "");
    return 0;
}

static void versions(kg_store *st, vlist *l)
{
    kg_error err;

    memset(l, 0, sizeof *l);
    kg_store_versions(st, vlist_add, l, &err);
}

/* The version rev names, or 0 when none (the error message goes to msg). */
static int64_t named(kg_store *st, const char *rev, char *msg, size_t size)
{
    kg_error err;
    int64_t vid = 0;

    kg_error_clear(&err);
    if (kg_sync_find_version(st, rev, &vid, &err) < 0) {
        if (msg) snprintf(msg, size, "%s", err.msg);
        return 0;
    }
    return vid;
}

static void test_sync_history__from_empty(void)
{
    kg_sync_result res;
    kg_version_info v;
    kg_error err;
    kg_store *st;
    vlist l;
    char want[1024], text[256], msg[256];

    setup("hist-empty");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 3);
    kg_assert_int(res.version, 3);
    kg_assert_int(res.unchanged, 0);
    kg_assert_int(res.files_parsed, 2 + 1 + 1);
    kg_assert_int(res.files_removed, 1);
    kg_assert_int(res.files_total, 2);
    kg_assert_int(res.errors, 0);

    /* Newest first, each with its commit's message and date; the code
     * commits made none. */
    versions(st, &l);
    snprintf(want, sizeof want,
             "3 %.7s data: c in, b out 1709640000|"
             "2 %.7s data: a again 1709553600|"
             "1 %.7s data: a and b 1709380800|", c[4], c[3], c[1]);
    kg_assert_str(l.text, want);
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert_str(v.commit, c[1]);
    kg_assert_str(v.author, "Ada Tester <ada@example.com>");
    kg_assert_str(v.ref, "main");
    kg_version_info_clear(&v);

    /* Each version holds its commit's files. */
    kg_assert(fx_has(st, 1, "b") && !fx_has(st, 1, "c"));
    fx_text(st, 1, "a", text, sizeof text);
    kg_assert(strstr(text, "First a.") != NULL);
    fx_text(st, 2, "a", text, sizeof text);
    kg_assert(strstr(text, "Second a.") != NULL);
    kg_assert(fx_has(st, 2, "b"));
    kg_assert(!fx_has(st, 3, "b") && fx_has(st, 3, "c"));
    kg_assert(!fx_has(st, 3, "x"));

    /* Every commit of the chain names the version of its data: a code
     * commit names the version of the data it carried along. */
    kg_assert_int(named(st, c[0], msg, sizeof msg), 0);
    kg_assert(strstr(msg, "was never synced") != NULL);
    kg_assert_int(named(st, c[1], NULL, 0), 1);
    kg_assert_int(named(st, c[2], NULL, 0), 1);
    kg_assert_int(named(st, c[3], NULL, 0), 2);
    kg_assert_int(named(st, c[4], NULL, 0), 3);
    kg_assert_int(named(st, c[5], NULL, 0), 3);
    kg_assert_int(named(st, "HEAD~3", NULL, 0), 1);
    kg_assert_int(named(st, "main", NULL, 0), 3);

    /* The ref was recorded: syncing it again walks nothing. */
    kg_assert_int(history_sync(st, NULL, NULL, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);
    kg_assert_int(res.versions_added, 0);
    kg_assert_int(kg_store_latest(st), 3);
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 0, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);

    /* New commits: only they are walked. */
    fx_note(repo, "data/d.md", "d", NULL, NULL);
    commit_on(7, "data: d");
    fx_write(repo, "src/main.c", "int main(void) { return 3; }\n");
    commit_on(8, "code: exit 3");
    fx_note(repo, "data/d.md", "d", "c", "Now linked.");
    commit_on(9, "data: d links c");
    kg_assert_int(history_sync(st, NULL, NULL, &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 2);
    kg_assert_int(res.files_parsed, 2);
    kg_assert_int(res.version, 5);
    versions(st, &l);
    kg_assert(strncmp(l.text, "5 ", 2) == 0);
    kg_assert(strstr(l.text, " data: d links c ") != NULL);
    kg_assert(strstr(l.text, "4 ") != NULL &&
              strstr(l.text, " data: d 1709812800|") != NULL);
    kg_assert_int(named(st, "HEAD~1", NULL, 0), 4);
    kg_store_close(st);
}

static void test_sync_history__attribution(void)
{
    kg_sync_result res;
    kg_version_info v;
    kg_error err;
    kg_store *st;

    setup("hist-attr");
    /* A plain sync of the folder at a code commit: one version, from the
     * commit that last changed the folder; HEAD names it. */
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, NULL, "data", 0, &res, &err), KG_OK);
    kg_assert_int(res.version, 1);
    kg_assert_int(res.versions_added, 1);
    kg_assert_int(kg_store_version(st, 1, &v, &err), KG_OK);
    kg_assert_str(v.commit, c[4]);
    kg_assert_str(v.message, "data: c in, b out");
    kg_assert_str(v.ref, "main");
    kg_assert_int(v.time, 1709640000);
    kg_version_info_clear(&v);
    kg_assert_int(named(st, "HEAD", NULL, 0), 1);
    kg_assert_int(named(st, c[4], NULL, 0), 1);
    kg_assert_int(named(st, c[3], NULL, 0), 0);

    /* A history import after it starts at HEAD: nothing to do. */
    kg_assert_int(history_sync(st, NULL, NULL, &res, &err), KG_OK);
    kg_assert_int(res.unchanged, 1);

    /* Back to a code commit whose folder is c[1]'s. */
    kg_assert_int(fx_sync(st, repo, c[2], NULL, 0, &res, &err), KG_OK);
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert_str(v.commit, c[1]);
    kg_version_info_clear(&v);
    kg_assert_int(named(st, c[2], NULL, 0), 2);

    /* The whole repository: every commit changes the root tree, so the
     * version is HEAD's own. */
    kg_assert_int(fx_sync(st, repo, NULL, "", 0, &res, &err), KG_OK);
    kg_assert_int(kg_store_version(st, 3, &v, &err), KG_OK);
    kg_assert_str(v.commit, c[5]);
    kg_version_info_clear(&v);
    kg_assert(fx_has(st, 3, "x"));
    kg_store_close(st);
}

/* main: m1 (a), m2 (b added), M = merge of topic (t1: t added, t2: t
 * edited) with --no-ff. First-parent: m1, m2, M. */
static void test_sync_history__first_parent(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    vlist l;
    char t1[41], t2[41], m1[41], m2[41], m[41], want[1024], text[256];

    setup("hist-merge");
    fx_sh("git -C '%s' checkout -q -b topic %s", repo, c[1]);
    fx_note(repo, "data/t.md", "t", NULL, "Topic one.");
    commit_on(10, "topic: t");
    fx_rev(repo, "HEAD", t1);
    fx_note(repo, "data/t.md", "t", NULL, "Topic two.");
    commit_on(11, "topic: t again");
    fx_rev(repo, "HEAD", t2);
    fx_sh("git -C '%s' checkout -q main", repo);
    fx_sh("git -C '%s' reset -q --hard %s", repo, c[1]);
    fx_rev(repo, "HEAD", m1);
    fx_note(repo, "data/z.md", "z", NULL, NULL);
    commit_on(12, "main: z");
    fx_rev(repo, "HEAD", m2);
    setenv("GIT_AUTHOR_DATE", "2024-03-13T12:00:00Z", 1);
    setenv("GIT_COMMITTER_DATE", "2024-03-13T12:00:00Z", 1);
    fx_sh("git -C '%s' merge -q --no-ff -m 'merge topic' topic", repo);
    fx_rev(repo, "HEAD", m);

    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 3);
    versions(st, &l);
    snprintf(want, sizeof want,
             "3 %.7s merge topic 1710331200|2 %.7s main: z 1710244800|"
             "1 %.7s data: a and b 1709380800|", m, m2, m1);
    kg_assert_str(l.text, want);
    fx_text(st, 3, "t", text, sizeof text);
    kg_assert(strstr(text, "Topic two.") != NULL);
    kg_assert_int(named(st, t1, NULL, 0), 0); /* not on the chain */
    kg_store_close(st);

    /* Synced last from the topic branch: the main commits its history
     * already holds (m1) are not walked again; m2 and the merge are. */
    kg_assert((st = fx_store(dir, "kg2.db")) != NULL);
    kg_assert_int(fx_sync(st, repo, "topic", "data", 0, &res, &err), KG_OK);
    kg_assert_int(history_sync(st, "main", NULL, &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 2);
    versions(st, &l);
    snprintf(want, sizeof want,
             "3 %.7s merge topic 1710331200|2 %.7s main: z 1710244800|"
             "1 %.7s topic: t again 1710158400|", m, m2, t2);
    kg_assert_str(l.text, want);
    kg_assert(!fx_has(st, 2, "t")); /* m2 is main's, without the topic */
    kg_assert(fx_has(st, 3, "t") && fx_has(st, 3, "z"));

    /* Going back is one plain version, whatever the option says. */
    kg_assert_int(history_sync(st, m1, NULL, &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 1);
    kg_assert(!fx_has(st, 4, "t") && !fx_has(st, 4, "z"));
    kg_store_close(st);
}

static void test_sync_history__over_a_draft(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    vlist l;
    char text[256];

    setup("hist-draft");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    fx_note(repo, "data/a.md", "a", NULL, "Draft a.");
    kg_assert_int(fx_sync(st, repo, NULL, NULL, 1, &res, &err), KG_OK);
    kg_assert_int(res.version, 4);
    fx_text(st, 4, "a", text, sizeof text);
    kg_assert(strstr(text, "Draft a.") != NULL);

    /* Two commits: the first replaces the draft, the edit is what the
     * second commits. */
    fx_note(repo, "data/e.md", "e", NULL, NULL);
    setenv("GIT_AUTHOR_DATE", "2024-03-20T12:00:00Z", 1);
    setenv("GIT_COMMITTER_DATE", "2024-03-20T12:00:00Z", 1);
    fx_sh("git -C '%s' add data/e.md && git -C '%s' commit -q -m 'data: e'",
          repo, repo);
    fx_note(repo, "data/a.md", "a", NULL, "Third a.");
    commit_on(21, "data: a third");
    kg_assert_int(history_sync(st, NULL, NULL, &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 2);
    versions(st, &l);
    kg_assert(strstr(l.text, "draft") == NULL);
    kg_assert(strstr(l.text, " data: e ") != NULL);
    /* The draft's number is not given again. */
    kg_assert_int(kg_store_latest(st), 6);
    kg_assert(strncmp(l.text, "6 ", 2) == 0 && strstr(l.text, "|5 ") &&
              strstr(l.text, "|3 ") && !strstr(l.text, "|4 "));
    fx_text(st, 5, "a", text, sizeof text);
    kg_assert(strstr(text, "Second a.") != NULL);
    kg_assert(fx_has(st, 5, "e"));
    fx_text(st, 6, "a", text, sizeof text);
    kg_assert(strstr(text, "Third a.") != NULL);
    kg_store_close(st);
}

/* Errors in a file a later commit fixes do not count against the import:
 * it reports the diagnostics of the version it ends at. */
static void test_sync_history__errors_of_the_end(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;

    setup("hist-errors");
    fx_write(repo, "data/broken.md", "---\nkind: [\n---\n");
    commit_on(22, "data: broken");
    fx_note(repo, "data/broken.md", "broken", NULL, "Fixed.");
    commit_on(23, "data: fixed");
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 5);
    kg_assert_int(res.errors, 0);
    kg_store_close(st);

    fx_write(repo, "data/broken.md", "---\nkind: [\n---\n");
    commit_on(24, "data: broken again");
    kg_assert((st = fx_store(dir, "kg2.db")) != NULL);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 6);
    kg_assert_int(res.errors, 1);
    kg_store_close(st);
}

/* A shallow clone: the history starts at its boundary commit, which holds
 * the whole folder as of then. */
static void test_sync_history__shallow(void)
{
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    vlist l;
    char shallow[700], want[256];

    setup("hist-shallow");
    snprintf(shallow, sizeof shallow, "%s/shallow", dir);
    kg_assert_int(fx_sh("git clone -q --depth 3 'file://%s' '%s'", repo,
                        shallow), 0);
    kg_assert((st = fx_store(dir, "kg.db")) != NULL);
    snprintf(repo, sizeof repo, "%s", shallow);
    kg_assert_int(history_sync(st, NULL, "data", &res, &err), KG_OK);
    kg_assert_int(res.versions_added, 2);
    versions(st, &l);
    snprintf(want, sizeof want, "2 %.7s data: c in, b out 1709640000|"
             "1 %.7s data: a again 1709553600|", c[4], c[3]);
    kg_assert_str(l.text, want);
    kg_assert(fx_has(st, 1, "b"));
    kg_assert_int(named(st, "HEAD", NULL, 0), 2);
    kg_store_close(st);

    /* A plain sync looks for the commit that made the folder back to the
     * boundary, and no further: the boundary commit is its own. */
    kg_assert((st = fx_store(dir, "kg2.db")) != NULL);
    kg_assert_int(fx_sync(st, shallow, "HEAD~1", NULL, 0, &res, &err),
                  KG_OK);
    versions(st, &l);
    snprintf(want, sizeof want, "1 %.7s data: c in, b out 1709640000|",
             c[4]);
    kg_assert_str(l.text, want);
    kg_assert_int(fx_sync(st, shallow, "HEAD~2", NULL, 0, &res, &err),
                  KG_OK);
    versions(st, &l);
    snprintf(want, sizeof want, "2 %.7s data: a again 1709553600|"
             "1 %.7s data: c in, b out 1709640000|", c[3], c[4]);
    kg_assert_str(l.text, want);
    kg_store_close(st);
}

KG_TEST_LIST = {
    {"sync_history::from_empty", test_sync_history__from_empty},
    {"sync_history::attribution", test_sync_history__attribution},
    {"sync_history::first_parent", test_sync_history__first_parent},
    {"sync_history::over_a_draft", test_sync_history__over_a_draft},
    {"sync_history::errors_of_the_end", test_sync_history__errors_of_the_end},
    {"sync_history::shallow", test_sync_history__shallow},
    {NULL, NULL},
};

KG_TEST_MAIN
