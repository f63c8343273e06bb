/* bench_query.c - time queries in process over a store, in the output shape
 * of the peers' runners (../shared/peers/kuzu_run.js, sqlite_run.py), so
 * that compare.py and bench_query.py can set kgsh beside Kùzu query by
 * query, answers and medians.
 *
 * usage: bench_query STORE.db QUERIES.cypher PARAMS.json [REPEATS]
 *                    [--only NAME[,NAME...]] [--sweep NAME:PARAM:COUNT]...
 *                    [--budget-ms MS] [--spin-ms MS] [--quiet]
 *
 * The graph is built from the store once (time and memory: @@LOAD). Each
 * query is then run to the end once for its rows, and timed at least
 * REPEATS more times; a fast query is repeated until --budget-ms (default
 * 300) of timed runs or 1000 runs, so that microsecond medians are not one
 * clock tick's noise. Every timed run is prepare + all steps, the cost a
 * caller pays; prep_ms is the prepare part alone, cpu_ms the median CPU
 * time of a run (below median_ms when the machine is busy).
 *
 * --sweep q01_1hop_any:A:200 runs the query named q01_1hop_any once per key
 * for COUNT node keys spread evenly over the graph (sorted by key), with
 * {{A}} set to each key, and prints the distribution of the per-key medians
 * (@@SWEEP): one key's figure says little about "1-hop by key".
 * --only runs just the named queries and --spin-ms keeps running each of
 * them, untimed, for MS more milliseconds: what perf record -p attaches to
 * (bench_query.sh --profile). --quiet drops the rows.
 *
 * Output:
 *   @@ENGINE kgsh <version> in-process
 *   @@LOAD graph_build_ms=.. graph_build_cpu_ms=.. nodes=.. edges=.. rss_delta_mb=.. rss_mb=.. peak_rss_mb=..
 *   @@CALIBRATE return1_roundtrip_median_ms=..
 *   @@QUERY <name> median_ms=.. min_ms=.. max_ms=.. runs=R rows=N prep_ms=.. cpu_ms=..
 *   <one JSON array per row>
 *   @@ERROR <name> <message>      (after a @@QUERY line with runs=0)
 *   @@SWEEP <name> param=A keys=K median_ms=.. p90_ms=.. p99_ms=.. max_ms=.. max_key=.. rows_median=.. rows_max=..
 */
#include "kg_query.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RUNS 1000
#define MAX_SWEEPS 8

typedef struct {
    const char *name;       /* query name                                 */
    const char *param;      /* the {{PARAM}} to vary                        */
    int count;              /* how many keys                               */
    char *text;             /* the query template, found in the file       */
} sweep;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: on a shared machine, wall time also counts
 * the time other processes held the core; cpu_ms says how much. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A line of /proc/self/status in kB (VmRSS, VmHWM), 0 if unknown. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t n = strlen(field);
    long kb = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') kb = atol(line + n + 1);
    fclose(f);
    return kb;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* The median of n sorted values (mean of the middle two when n is even,
 * as kuzu_run.js and statistics.median do). */
static double median(const double *s, int n)
{
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    kg_buf b = KG_BUF_INIT;
    char chunk[65536];
    size_t n;
    if (!f) {
        fprintf(stderr, "bench_query: cannot read %s\n", path);
        exit(2);
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) kg_buf_put(&b, chunk, n);
    fclose(f);
    return kg_buf_detach(&b);
}

/* Replace {{NAME}} with the params.json value (strings unquoted); the one
 * named over (when not NULL) gets with instead. An unknown name is fatal:
 * a query silently run with a hole in it would time the wrong question. */
static char *substitute(const char *q, const kg_value *params, const char *over,
                        const char *with)
{
    kg_buf b = KG_BUF_INIT;
    while (*q) {
        const char *end;
        if (q[0] == '{' && q[1] == '{' && (end = strstr(q, "}}")) != NULL) {
            char name[64];
            const kg_value *v;
            snprintf(name, sizeof name, "%.*s", (int)(end - q - 2), q + 2);
            v = kg_value_map_get(params, name);
            if (over && strcmp(name, over) == 0)
                kg_buf_puts(&b, with);
            else if (v && v->type == KG_VSTRING)
                kg_buf_puts(&b, v->u.str->s);
            else if (v)
                kg_json_write(&b, v, 0);
            else {
                fprintf(stderr, "bench_query: unknown parameter {{%s}}\n", name);
                exit(2);
            }
            q = end + 2;
        } else {
            kg_buf_putc(&b, *q++);
        }
    }
    return kg_buf_detach(&b);
}

/* Run text once; rows go to out when given (one JSON array each), and the
 * first column of each row to keys when given. Returns the row count, or
 * -1 with err set. *prep gets the prepare time. */
static long run(const kg_query_env *env, const char *text, kg_buf *out,
                char ***keys, double *prep, kg_error *err)
{
    kg_query *q = NULL;
    long rows = 0;
    double t = now_ms();
    int rc;
    if (kg_query_prepare(&q, env, text, strlen(text), err) < 0) return -1;
    if (prep) *prep = now_ms() - t;
    while ((rc = kg_query_step(q, err)) == KG_ROW) {
        rows++;
        if (keys) {
            const kg_value *v = kg_query_col(q, 0);
            *keys = realloc(*keys, (size_t)rows * sizeof **keys);
            (*keys)[rows - 1] = strdup(v->type == KG_VSTRING ? v->u.str->s : "");
        }
        if (!out) continue;
        kg_buf_putc(out, '[');
        for (size_t i = 0; i < kg_query_ncols(q); i++) {
            if (i) kg_buf_puts(out, ", ");
            kg_json_write(out, kg_query_col(q, i), 0);
        }
        kg_buf_puts(out, "]\n");
    }
    kg_query_free(q);
    return rc < 0 ? -1 : rows;
}

/* Time text: one run for the rows, then at least reps timed runs, more
 * while under budget_ms. Prints @@QUERY (and rows unless quiet). Returns
 * the median in ms, or NAN after printing @@ERROR. */
static double bench_one(const kg_query_env *env, const char *name,
                        const char *text, int reps, double budget_ms,
                        int quiet, int print, long *nrows)
{
    static double times[MAX_RUNS], preps[MAX_RUNS], cpus[MAX_RUNS];
    kg_buf rows = KG_BUF_INIT;
    kg_error err;
    double spent = 0, med;
    long n;
    int r;

    memset(&err, 0, sizeof err);
    n = run(env, text, print && !quiet ? &rows : NULL, NULL, NULL, &err);
    for (r = 0; n >= 0 && r < MAX_RUNS && (r < reps || spent < budget_ms); r++) {
        double t = now_ms(), c = cpu_ms();
        n = run(env, text, NULL, NULL, &preps[r], &err);
        times[r] = now_ms() - t;
        cpus[r] = cpu_ms() - c;
        spent += times[r];
    }
    if (nrows) *nrows = n;
    if (n < 0) {
        if (print) {
            printf("@@QUERY %s median_ms=NaN runs=0 rows=0\n", name);
            printf("@@ERROR %s %s\n", name, err.msg);
        }
        kg_buf_free(&rows);
        return NAN;
    }
    qsort(times, (size_t)r, sizeof(double), cmp_double);
    qsort(preps, (size_t)r, sizeof(double), cmp_double);
    qsort(cpus, (size_t)r, sizeof(double), cmp_double);
    med = median(times, r);
    if (print) {
        printf("@@QUERY %s median_ms=%.4f min_ms=%.4f max_ms=%.4f runs=%d rows=%ld prep_ms=%.4f cpu_ms=%.4f\n",
               name, med, times[0], times[r - 1], r, n, median(preps, r), median(cpus, r));
        if (rows.data) fputs(rows.data, stdout);
    }
    fflush(stdout);
    kg_buf_free(&rows);
    return med;
}

/* Every key of the graph, sorted, through the engine itself. */
static long all_keys(const kg_query_env *env, char ***keys)
{
    double prep;
    kg_error err;
    long n = run(env, "MATCH (n) RETURN n.id AS id ORDER BY id", NULL, keys,
                 &prep, &err);
    if (n < 0) fprintf(stderr, "bench_query: listing keys: %s\n", err.msg);
    return n;
}

static void run_sweep(const kg_query_env *env, const sweep *sw, char **keys,
                      long nkeys, const kg_value *params, int quiet)
{
    double *med = calloc((size_t)sw->count, sizeof *med), *sorted;
    long *nrows = calloc((size_t)sw->count, sizeof *nrows);
    long worst = 0;
    int k, done = 0;

    for (k = 0; k < sw->count && nkeys > 0; k++) {
        const char *key = keys[(long)((double)k * nkeys / sw->count)];
        char *text = substitute(sw->text, params, sw->param, key);
        /* 5 timed runs per key: the sweep is about the spread over keys */
        med[k] = bench_one(env, sw->name, text, 5, 0, 1, 0, &nrows[k]);
        free(text);
        if (isnan(med[k])) {
            printf("@@ERROR %s sweep failed at key %s\n", sw->name, key);
            goto done;
        }
        if (med[k] > med[worst]) worst = k;
        done++;
    }
    if (!done) goto done;
    sorted = malloc((size_t)done * sizeof *sorted);
    memcpy(sorted, med, (size_t)done * sizeof *sorted);
    qsort(sorted, (size_t)done, sizeof(double), cmp_double);
    qsort(nrows, (size_t)done, sizeof(long), cmp_long);
    printf("@@SWEEP %s param=%s keys=%d median_ms=%.4f p90_ms=%.4f p99_ms=%.4f max_ms=%.4f max_key=%s rows_median=%ld rows_max=%ld\n",
           sw->name, sw->param, done, median(sorted, done),
           sorted[(int)(0.9 * (done - 1))], sorted[(int)(0.99 * (done - 1))],
           sorted[done - 1], keys[(long)((double)worst * nkeys / sw->count)],
           nrows[done / 2], nrows[done - 1]);
    free(sorted);
    (void)quiet;
done:
    free(med);
    free(nrows);
}

/* Is name in the comma-separated list? */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

_Noreturn static void usage(void)
{
    fprintf(stderr, "usage: bench_query STORE.db QUERIES.cypher PARAMS.json [REPEATS]\n"
                    "       [--only NAME[,NAME...]] [--sweep NAME:PARAM:COUNT]... [--budget-ms MS]\n"
                    "       [--spin-ms MS] [--quiet]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    kg_value params;
    kg_query_env env;
    sweep sweeps[MAX_SWEEPS];
    char *qtext, *ptext, *line, *save = NULL, **keys = NULL;
    const char *only = NULL;
    int reps = 5, nsweeps = 0, quiet = 0, npos = 0;
    double t0, c0, budget = 300, spin = 0, cal[50];
    long rss0, nkeys = 0;
    const char *pos[4] = {0};

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (strcmp(argv[i], "--budget-ms") == 0 && i + 1 < argc) {
            budget = atof(argv[++i]);
        } else if (strcmp(argv[i], "--spin-ms") == 0 && i + 1 < argc) {
            spin = atof(argv[++i]);
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--sweep") == 0 && i + 1 < argc) {
            char *spec = argv[++i], *c1 = strchr(spec, ':'), *c2 = NULL;
            if (!c1 || !(c2 = strchr(c1 + 1, ':')) || nsweeps == MAX_SWEEPS) usage();
            *c1 = *c2 = '\0';
            sweeps[nsweeps].name = spec;
            sweeps[nsweeps].param = c1 + 1;
            sweeps[nsweeps].count = atoi(c2 + 1);
            sweeps[nsweeps].text = NULL;
            if (sweeps[nsweeps].count < 1) usage();
            nsweeps++;
        } else if (argv[i][0] == '-' || npos == 4) {
            usage();
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos < 3) usage();
    if (npos == 4) reps = atoi(pos[3]);
    if (reps < 1 || reps > MAX_RUNS) reps = 5;

    ptext = slurp(pos[2]);
    if (kg_json_parse(&params, ptext, strlen(ptext), 0, &err) < 0) {
        fprintf(stderr, "bench_query: %s: %s\n", pos[2], err.msg);
        return 2;
    }
    if (kg_store_open(&st, pos[0], KG_STORE_READONLY, &err) < 0) {
        fprintf(stderr, "bench_query: %s: %s\n", pos[0], err.msg);
        return 2;
    }
    rss0 = status_kb("VmRSS");
    c0 = cpu_ms();
    t0 = now_ms();
    if (kg_store_load(st, kg_store_latest(st), &g, &err) < 0) {
        fprintf(stderr, "bench_query: load: %s\n", err.msg);
        return 2;
    }
    t0 = now_ms() - t0;
    c0 = cpu_ms() - c0;
    printf("@@ENGINE kgsh %s in-process\n", KG_VERSION);
    printf("@@LOAD graph_build_ms=%.3f graph_build_cpu_ms=%.3f nodes=%zu edges=%zu rss_delta_mb=%.1f rss_mb=%.1f peak_rss_mb=%.1f\n",
           t0, c0, kg_graph_count(g, KG_NODE), kg_graph_count(g, KG_EDGE),
           (status_kb("VmRSS") - rss0) / 1024.0, status_kb("VmRSS") / 1024.0,
           status_kb("VmHWM") / 1024.0);
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.store = st;
    env.version = kg_store_latest(st);
    for (int i = 0; i < 50; i++) {
        double t = now_ms();
        run(&env, "RETURN 1", NULL, NULL, NULL, &err);
        cal[i] = now_ms() - t;
    }
    qsort(cal, 50, sizeof(double), cmp_double);
    printf("@@CALIBRATE return1_roundtrip_median_ms=%.4f\n", median(cal, 50));
    fflush(stdout);

    qtext = slurp(pos[1]);
    for (line = strtok_r(qtext, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[128] = "", *text, *body = line;
        while (*body == ' ') body++;
        if (*body == '\0' || *body == '#') continue;
        if (*body == '[') {
            char *close = strchr(body, ']');
            if (!close) continue;
            snprintf(name, sizeof name, "%.*s", (int)(close - body - 1), body + 1);
            body = close + 1;
            while (*body == ' ') body++;
        }
        for (int s = 0; s < nsweeps; s++)
            if (strcmp(sweeps[s].name, name) == 0) sweeps[s].text = body;
        if (only && !listed(only, name)) continue;
        text = substitute(body, &params, NULL, NULL);
        bench_one(&env, name, text, reps, budget, quiet, 1, NULL);
        for (double end = now_ms() + spin; now_ms() < end;)
            if (run(&env, text, NULL, NULL, NULL, &err) < 0) break;
        kg_free(text);
    }
    if (nsweeps && (nkeys = all_keys(&env, &keys)) > 0) {
        for (int s = 0; s < nsweeps; s++) {
            if (!sweeps[s].text)
                printf("@@ERROR %s no such query to sweep\n", sweeps[s].name);
            else
                run_sweep(&env, &sweeps[s], keys, nkeys, &params, quiet);
        }
    }
    for (long k = 0; k < nkeys; k++) free(keys[k]);
    free(keys);
    kg_free(qtext);
    kg_free(ptext);
    kg_value_release(&params);
    kg_graph_free(g);
    kg_store_close(st);
    return 0;
}
