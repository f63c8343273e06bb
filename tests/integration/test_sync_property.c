/* test_sync_property.c - incremental syncs equal a fresh import, always.
 *
 * The invariant of the sync: after any sequence of incremental syncs the
 * store's newest version holds the graph a fresh full import of the same
 * commit gives (same fingerprint, same diagnostics), and every version
 * synced on the way still loads as it was. A seeded random walk makes
 * commits of adds, edits, renames, moves between folders, deletes, notes
 * broken then fixed, links to notes that appear later, notes keyed by file
 * name (so a rename changes the key) and tables; now and then the branch is
 * rewritten (reset to an older commit and built on, as after a force-push).
 * After every commit one store syncs incrementally and a new store imports
 * the commit whole, alternately on one thread and on two.
 *
 * KG_PROPERTY_SEED=N runs that seed alone; KG_PROPERTY_ROUNDS=N changes the
 * commits per seed. A failure prints the seed and the round.
 */
#include "sync_fixture.h"

#define MAX_NOTES 40
#define MAX_VERSIONS 256

static char dir[512], repo[600];

/* xorshift64*: the same sequence for a seed on every machine. */
static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ULL) >> 33) % n;
}

/* The model: which note ids exist and where their files are. */
typedef struct {
    int live;
    int keyed;         /* front matter has an id (else: key from the name) */
    int broken;        /* the file holds broken YAML now                 */
    char path[96];
} note;

static note notes[MAX_NOTES];
static int next_id;  /* ids n0 .. n<next_id - 1> were ever made */

static const char *const folders[] = {"", "a/", "a/b/", "c/"};

static void write_note(int i)
{
    char text[1024], links[256], idline[32];
    int k, n = (int)rnd(4), len = 0;

    if (notes[i].broken) {
        fx_write(repo, notes[i].path, "---\nid: [oops\nkind: Concept\n---\n");
        return;
    }
    links[0] = '\0';
    for (k = 0; k < n; k++) {
        /* up to 3 ids past the newest: links to notes that come later */
        int to = (int)rnd((uint32_t)next_id + 3);
        len += snprintf(links + len, sizeof links - (size_t)len, "%sn%d",
                        k ? ", " : "", to);
    }
    if (notes[i].keyed) snprintf(idline, sizeof idline, "id: n%d\n", i);
    else idline[0] = '\0'; /* the key comes from the file name */
    snprintf(text, sizeof text,
             "---\n%skind: %s\nname: Note %d\nweight: %u\n%s%s%s---\n"
             "Body %u mentions [[n%u]] and [[Note %u]].\n",
             idline, rnd(2) ? "Concept" : "Service", i, rnd(100),
             n ? "links:\n  related: [" : "", links, n ? "]\n" : "",
             rnd(1000), rnd((uint32_t)next_id + 2), rnd((uint32_t)next_id));
    fx_write(repo, notes[i].path, text);
}

static void place(int i)
{
    snprintf(notes[i].path, sizeof notes[i].path, "%sn%d-%u.md",
             folders[rnd(4)], i, rnd(1000));
}

static int pick_live(void)
{
    int i, live = 0, k;

    for (i = 0; i < next_id; i++) live += notes[i].live;
    if (live == 0) return -1;
    k = (int)rnd((uint32_t)live);
    for (i = 0; i < next_id; i++)
        if (notes[i].live && k-- == 0) return i;
    return -1;
}

/* Rebuild the model from the work tree (after a reset): files are named
 * n<id>-<r>.md, keyed when they hold an id line, broken when the YAML is. */
static void rescan(void)
{
    char cmd[700], path[96], text[1024];
    FILE *p, *f;
    int i;

    memset(notes, 0, sizeof notes);
    next_id = 0;
    snprintf(cmd, sizeof cmd, "cd '%s' && git ls-files '*.md'", repo);
    if ((p = popen(cmd, "r")) == NULL) return;
    while (fgets(path, sizeof path, p)) {
        const char *base;
        size_t n;
        path[strcspn(path, "\n")] = '\0';
        base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        if (sscanf(base, "n%d-", &i) != 1 || i < 0 || i >= MAX_NOTES)
            continue;
        snprintf(notes[i].path, sizeof notes[i].path, "%s", path);
        notes[i].live = 1;
        snprintf(cmd, sizeof cmd, "%s/%s", repo, path);
        if ((f = fopen(cmd, "rb")) != NULL) {
            n = fread(text, 1, sizeof text - 1, f);
            text[n] = '\0';
            fclose(f);
            notes[i].keyed = strstr(text, "\nid: n") != NULL;
            notes[i].broken = strstr(text, "[oops") != NULL;
        }
        if (i >= next_id) next_id = i + 1;
    }
    pclose(p);
}

/* One random change to the work tree. */
static void mutate(void)
{
    int op = (int)rnd(8), i = pick_live();
    char old[96];

    if (i < 0 || (op == 0 && next_id < MAX_NOTES) || next_id < 4) {
        if (next_id >= MAX_NOTES) return;
        i = next_id++;
        notes[i].live = 1;
        notes[i].keyed = rnd(3) != 0;
        notes[i].broken = 0;
        place(i);
        write_note(i);
        return;
    }
    switch (op) {
    case 1: /* edit */
    case 0:
        write_note(i);
        break;
    case 2: /* rename or move: git sees a rename */
    case 3:
        snprintf(old, sizeof old, "%s", notes[i].path);
        place(i);
        fx_sh("cd '%s' && mkdir -p \"$(dirname '%s')\" && mv '%s' '%s'",
              repo, notes[i].path, old, notes[i].path);
        if (rnd(2)) write_note(i); /* a move with an edit */
        break;
    case 4: /* delete */
        fx_sh("rm -f '%s/%s'", repo, notes[i].path);
        notes[i].live = 0;
        break;
    case 5: /* break, or fix */
        notes[i].broken = !notes[i].broken;
        write_note(i);
        break;
    case 6: /* a table of edges between notes, some not there yet */
        {
            char csv[512];
            int len = snprintf(csv, sizeof csv,
                               ":START_ID,:END_ID,:TYPE,w:Int\n");
            int k;
            for (k = 0; k < 4; k++)
                len += snprintf(csv + len, sizeof csv - (size_t)len,
                                "n%u,n%u,%s,%u\n", rnd((uint32_t)next_id),
                                rnd((uint32_t)next_id + 2),
                                rnd(2) ? "USES" : "PART_OF", rnd(9));
            fx_write(repo, rnd(2) ? "tables/e.csv" : "c/more.csv", csv);
        }
        break;
    default: /* a file that is not part of the dataset */
        fx_write(repo, "README.txt", rnd(2) ? "one\n" : "two\n");
        break;
    }
}

static uint64_t fingerprint(kg_store *st, int64_t vid)
{
    kg_graph *g = NULL;
    kg_error err;
    uint64_t fp;

    if (kg_store_load(st, vid, &g, &err) < 0) {
        fprintf(stderr, "kg_store_load %lld: %s\n", (long long)vid, err.msg);
        return 0;
    }
    fp = kg_graph_fingerprint(g);
    kg_graph_free(g);
    return fp;
}

static int commit_all(int round)
{
    char msg[32];

    snprintf(msg, sizeof msg, "round %d", round);
    return fx_sh("git -C '%s' add -A && git -C '%s' commit -q --allow-empty "
                 "-m '%s'",
                 repo, repo, msg);
}

/* A fresh store with HEAD imported whole: its fingerprint and diagnostics
 * (0 and the error printed when the import fails). */
static uint64_t fresh_import(int round, int pipelined, fx_diags *d)
{
    char name[32];
    kg_sync_result res;
    kg_error err;
    kg_store *st;
    uint64_t fp = 0;

    snprintf(name, sizeof name, "fresh-%d.db", round);
    if ((st = fx_store(dir, name)) == NULL) return 0;
    setenv("KG_SYNC_PIPELINE", pipelined ? "1" : "0", 1);
    if (fx_sync(st, repo, NULL, NULL, 0, &res, &err) == KG_OK) {
        fp = fingerprint(st, res.version);
        fx_get_diags(st, res.version, d);
    }
    unsetenv("KG_SYNC_PIPELINE");
    kg_store_close(st);
    fx_sh("rm -f '%s/%s' '%s/%s-wal' '%s/%s-shm'", dir, name, dir, name, dir,
          name);
    return fp;
}

static int failed_seed(uint64_t seed, int round, const char *what)
{
    fprintf(stderr, "seed %llu, round %d: %s\n", (unsigned long long)seed,
            round, what);
    return 1;
}

/* One random walk of rounds commits; 0 when the invariant held. */
static int walk(uint64_t seed, int rounds)
{
    struct { int64_t vid; uint64_t fp; } seen[MAX_VERSIONS];
    int nseen = 0, round, k, rewrites = 0;
    kg_sync_result res;
    fx_diags dinc, dfresh;
    kg_error err;
    kg_store *st;
    char name[32];

    rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    memset(notes, 0, sizeof notes);
    next_id = 0;
    snprintf(name, sizeof name, "inc-%llu", (unsigned long long)seed);
    fx_tmpdir(dir, sizeof dir, name);
    snprintf(repo, sizeof repo, "%s/repo", dir);
    if (fx_git_init(repo) != 0) return failed_seed(seed, 0, "git init");
    if ((st = fx_store(dir, "inc.db")) == NULL)
        return failed_seed(seed, 0, "store");
    for (round = 1; round <= rounds; round++) {
        uint64_t fp_inc, fp_fresh;

        if (round > 4 && rnd(6) == 0) {
            /* Rewrite history: back to an older commit, the notes as they
             * were there, then new commits on top (the store's commit is
             * no longer an ancestor). */
            fx_sh("git -C '%s' reset -q --hard HEAD~%u && git -C '%s' clean "
                  "-q -fd",
                  repo, 1 + rnd(2), repo);
            rescan();
            rewrites++;
        }
        for (k = 1 + (int)rnd(4); k > 0; k--) mutate();
        if (commit_all(round) != 0) {
            kg_store_close(st);
            return failed_seed(seed, round, "git commit");
        }
        if (fx_sync(st, repo, NULL, NULL, 0, &res, &err) != KG_OK) {
            kg_store_close(st);
            return failed_seed(seed, round, "incremental sync");
        }
        fp_inc = fingerprint(st, res.version);
        fx_get_diags(st, res.version, &dinc);
        fp_fresh = fresh_import(round, round % 2, &dfresh);
        if (fp_inc == 0 || fp_inc != fp_fresh) {
            kg_store_close(st);
            return failed_seed(seed, round,
                               "incremental and fresh graphs differ");
        }
        if (dinc.count != dfresh.count || strcmp(dinc.text, dfresh.text)) {
            fprintf(stderr, "incremental:\n%sfresh:\n%s", dinc.text,
                    dfresh.text);
            kg_store_close(st);
            return failed_seed(seed, round, "diagnostics differ");
        }
        if (!res.unchanged && nseen < MAX_VERSIONS) {
            seen[nseen].vid = res.version;
            seen[nseen++].fp = fp_inc;
        }
    }
    /* Every version made on the way still loads as it was. */
    for (k = 0; k < nseen; k++)
        if (fingerprint(st, seen[k].vid) != seen[k].fp) {
            kg_store_close(st);
            return failed_seed(seed, (int)seen[k].vid,
                               "an old version changed");
        }
    kg_store_close(st);
    if (nseen < rounds / 2)
        return failed_seed(seed, rounds, "too few versions were made");
    fprintf(stderr, "seed %llu: %d commits, %d versions, %d rewrites\n",
            (unsigned long long)seed, rounds, nseen, rewrites);
    return 0;
}

static void test_sync_property__incremental_equals_fresh(void)
{
    const char *one = getenv("KG_PROPERTY_SEED");
    const char *r = getenv("KG_PROPERTY_ROUNDS");
    int rounds = r ? atoi(r) : 16;
    uint64_t seed;

    fx_git_env();
    if (one) {
        kg_assert_int(walk(strtoull(one, NULL, 10), rounds), 0);
        return;
    }
    for (seed = 1; seed <= 4; seed++) kg_assert_int(walk(seed, rounds), 0);
}

KG_TEST_LIST = {
    {"sync_property::incremental_equals_fresh",
     test_sync_property__incremental_equals_fresh},
    {NULL, NULL},
};

KG_TEST_MAIN
