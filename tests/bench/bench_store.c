/* bench_store.c - the store on its own: import, load and incremental write
 * figures for a note-shaped dataset, without git or the note parser.
 *
 * Usage: bench_store DB N [--runs R] [--keep] [--load-only]
 *
 * Builds N documents shaped like tests/bench/gen_notes.py's notes (one node
 * with a label, name, aliases, weight, created date and a ~1 KB body; three
 * typed links by key and two MENTIONS by key), then:
 *   import   one version holding all N (put_doc for each, commit, close:
 *            the close checkpoints the WAL, as a command-line sync pays);
 *   load     kg_store_load of that version, R times on a fresh read-only
 *            handle, with the heap the graph holds (mallinfo2);
 *   diags    kg_store_diags over the loaded graph, once;
 *   incr     R versions that each rewrite one document, then a load.
 * Each figure is CPU time (user + system, getrusage) and wall time; on a
 * shared machine the CPU time is the steadier one. Medians over R runs.
 * The documents are built before the clock starts, so only the store is
 * measured. --keep reuses DB as a previous run left it (no import);
 * --load-only stops after the loads (for profiling them). A benchmark driver,
 * not a test: it prints, it asserts nothing beyond the load giving back what
 * was stored.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "kg_graph.h"

static const char *const words[] = {
    "model",    "training", "inference", "pipeline", "feature",  "store",
    "endpoint", "tuning",   "dataset",   "label",    "batch",    "stream",
    "latency",  "drift",    "monitor",   "deploy",   "notebook", "cluster",
    "vector",   "token",    "prompt",    "registry", "accuracy", "embedding"};
static const char *const kinds[] = {"Service", "Concept", "Algorithm",
                                    "Framework", "Component"};
static const char *const rels[] = {"RELATED", "USES", "PART_OF"};

typedef struct {
    double cpu, wall;
} stamp;

static stamp now(void)
{
    struct rusage ru;
    struct timespec ts;
    stamp s;

    getrusage(RUSAGE_SELF, &ru);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s.cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    s.wall = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    return s;
}

static stamp since(stamp a)
{
    stamp b = now();
    b.cpu -= a.cpu;
    b.wall -= a.wall;
    return b;
}

static uint64_t rng = 42;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

/* Note i of n, as gen_notes.py shapes it; edition > 0 changes the body. */
static int make_doc(kg_doc *d, uint32_t i, uint32_t n, int edition)
{
    char path[64], key[32], name[32], alias[32], t[32], date[16];
    kg_buf body = KG_BUF_INIT;
    kg_node_rec *r;
    kg_value al;
    uint32_t k, target[5];
    int bad = 0;

    snprintf(path, sizeof path, "notes/d%04u/note-%06u.md", i / 1000, i);
    snprintf(key, sizeof key, "note-%06u", i);
    snprintf(name, sizeof name, "Note %u", i);
    snprintf(alias, sizeof alias, "n%u", i);
    snprintf(date, sizeof date, "2024-%02u-%02u", 1 + i % 12, 1 + i % 28);
    for (k = 0; k < 5; k++)
        target[k] = (i + 1 + rnd(n - 1)) % n; /* never i itself */
    if (kg_doc_init(d, path) < 0 || (r = kg_doc_node(d, key, 2)) == NULL)
        return KG_ENOMEM;
    bad |= kg_doc_node_label(r, kinds[i % 5]) < 0;
    bad |= kg_doc_node_prop(r, "name", kg_value_string(name, strlen(name))) < 0;
    al = kg_value_list(1);
    kg_value_list_set(&al, 0, kg_value_string(alias, strlen(alias)));
    bad |= kg_doc_node_prop(r, "aliases", al) < 0;
    bad |= kg_doc_node_prop(r, "weight", kg_value_int(1 + rnd(1000))) < 0;
    bad |= kg_doc_node_prop(r, "created", kg_value_date(date, 10)) < 0;
    if (edition) kg_buf_printf(&body, "Edition %d. ", edition);
    kg_buf_printf(&body, "# Note %u\n\n", i);
    for (k = 0; k < 120; k++) {
        if (k == 20 || k == 60)
            kg_buf_printf(&body, "[[note-%06u]] ", target[k == 20 ? 3 : 4]);
        kg_buf_puts(&body, words[rnd(24)]);
        kg_buf_putc(&body, k % 12 == 11 ? '\n' : ' ');
    }
    bad |= (r->text = kg_buf_detach(&body)) == NULL;
    for (k = 0; k < 5; k++) {
        snprintf(t, sizeof t, "note-%06u", target[k]);
        bad |= kg_doc_edge(d, key, k < 3 ? rels[k] : "MENTIONS", t,
                           k < 3 ? 10 + k : 20, k < 3 ? 3 : 1) == NULL;
    }
    return bad ? KG_ENOMEM : KG_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, const kg_error *err)
{
    fprintf(stderr, "bench_store: %s: %s\n", what, err->msg);
    exit(1);
}

static kg_store *open_store(const char *db, int flags)
{
    kg_store *st = NULL;
    kg_error err;

    if (kg_store_open(&st, db, flags, &err) < 0) die("open", &err);
    return st;
}

static int count_diag(const char *path, const kg_diag *d, void *payload)
{
    (void)path;
    (void)d;
    (*(size_t *)payload)++;
    return 0;
}

int main(int argc, char **argv)
{
    const char *db;
    uint32_t n, i;
    int runs = 5, keep = 0, load_only = 0, r;
    kg_doc *docs;
    kg_store *st;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid;
    stamp t, put, commit;
    double lc[64], lw[64], ic[64], iw[64], mem = 0;
    size_t ndiag = 0, nodes = 0, edges = 0;
    char wal[600];

    if (argc < 3) {
        fprintf(stderr, "Usage: bench_store DB N [--runs R] [--keep] "
                        "[--load-only]\n");
        return 2;
    }
    db = argv[1];
    n = (uint32_t)strtoul(argv[2], NULL, 10);
    for (r = 3; r < argc; r++) {
        if (!strcmp(argv[r], "--runs") && r + 1 < argc)
            runs = atoi(argv[++r]);
        else if (!strcmp(argv[r], "--keep"))
            keep = 1;
        else if (!strcmp(argv[r], "--load-only"))
            keep = load_only = 1;
    }
    if (n < 2 || runs < 1 || runs > 64) return 2;
    snprintf(wal, sizeof wal, "%s-wal", db);
    if (!keep) {
        unlink(db);
        unlink(wal);
    }

    /* ---- import ---- */
    if (!keep) {
        docs = calloc(n, sizeof *docs);
        for (i = 0; i < n; i++)
            if (docs == NULL || make_doc(&docs[i], i, n, 0) < 0) return 1;
        t = now();
        st = open_store(db, KG_STORE_CREATE);
        if (kg_store_begin(st, NULL, &vid, &err) < 0) die("begin", &err);
        for (i = 0; i < n; i++)
            if (kg_store_put_doc(st, &docs[i], 1000 + i, &err) < 0)
                die("put", &err);
        put = since(t);
        t = now();
        if (kg_store_commit(st, &err) < 0) die("commit", &err);
        kg_store_close(st);
        commit = since(t);
        printf("import %u docs: put %.0f ms CPU (%.0f wall), commit+close "
               "%.0f ms CPU (%.0f wall), total %.0f ms CPU (%.0f wall)\n",
               n, put.cpu, put.wall, commit.cpu, commit.wall,
               put.cpu + commit.cpu, put.wall + commit.wall);
        for (i = 0; i < n; i++)
            kg_doc_free(&docs[i]);
        free(docs);
    }

    /* ---- load ---- */
    for (r = 0; r < runs; r++) {
        struct mallinfo2 m0 = mallinfo2(), m1;
        st = open_store(db, KG_STORE_READONLY);
        t = now();
        if (kg_store_load(st, 0, &g, &err) < 0) die("load", &err);
        t = since(t);
        m1 = mallinfo2();
        lc[r] = t.cpu;
        lw[r] = t.wall;
        mem = (double)(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd);
        nodes = kg_graph_count(g, KG_NODE);
        edges = kg_graph_count(g, KG_EDGE);
        /* Every note links five others that exist (made by this driver;
         * a --keep store is whatever an earlier run left). */
        if (!keep && (nodes != n || edges != 5 * (size_t)n)) {
            fprintf(stderr,
                    "bench_store: loaded %zu nodes and %zu edges, "
                    "stored %u and %zu\n",
                    nodes, edges, n, 5 * (size_t)n);
            return 1;
        }
        if (r == 0 && !load_only) {
            stamp d = now();
            if (kg_store_diags(st, 0, g, count_diag, &ndiag, &err) < 0)
                die("diags", &err);
            d = since(d);
            printf("diags: %zu in %.0f ms CPU (%.0f wall)\n", ndiag, d.cpu,
                   d.wall);
        }
        kg_graph_free(g);
        kg_store_close(st);
    }
    printf("load: %zu nodes, %zu edges: median %.0f ms CPU (%.0f wall) of "
           "%d, graph heap %.1f MB\n",
           nodes, edges, median(lc, runs), median(lw, runs), runs,
           mem / 1048576.0);
    if (load_only) return 0;

    /* ---- incremental: one document rewritten per version ---- */
    st = open_store(db, 0);
    for (r = 0; r < runs; r++) {
        kg_doc d;
        uint32_t which = (n / 2 + (uint32_t)r) % n;
        if (make_doc(&d, which, n, r + 1) < 0) return 1;
        t = now();
        if (kg_store_begin(st, NULL, &vid, &err) < 0 ||
            kg_store_put_doc(st, &d, 5000000 + (uint64_t)r, &err) < 0 ||
            kg_store_commit(st, &err) < 0)
            die("incremental", &err);
        t = since(t);
        ic[r] = t.cpu;
        iw[r] = t.wall;
        kg_doc_free(&d);
    }
    kg_store_close(st);
    printf("incremental put of 1 doc: median %.2f ms CPU (%.2f wall)\n",
           median(ic, runs), median(iw, runs));
    return 0;
}
