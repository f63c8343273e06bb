/* bench_query.c - time queries in process over a store, in the output shape
 * of the peers' runners (kuzu_run.js, sqlite_run.py), so that compare.py
 * can set kgsh beside Kùzu query by query, answers and medians.
 *
 * usage: bench_query STORE.db QUERIES.cypher PARAMS.json [REPEATS]
 *
 * The graph is built from the store once (its time and memory are printed
 * as @@LOAD); each query is then prepared and run to the end REPEATS times.
 */
#include "kg_query.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
    fclose(f);
    return kb;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
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

/* Replace {{NAME}} with the params.json value (strings unquoted). */
static char *substitute(const char *q, const kg_value *params)
{
    kg_buf b = KG_BUF_INIT;
    while (*q) {
        const char *end;
        if (q[0] == '{' && q[1] == '{' && (end = strstr(q, "}}")) != NULL) {
            char name[64];
            const kg_value *v;
            snprintf(name, sizeof name, "%.*s", (int)(end - q - 2), q + 2);
            v = kg_value_map_get(params, name);
            if (v && (v->type == KG_VSTRING))
                kg_buf_puts(&b, v->u.str->s);
            else if (v)
                kg_json_write(&b, v, 0);
            q = end + 2;
        } else {
            kg_buf_putc(&b, *q++);
        }
    }
    return kg_buf_detach(&b);
}

/* Run q once; rows go to out when given. Returns the row count or -1. */
static long run(const kg_query_env *env, const char *text, kg_buf *out,
                kg_error *err)
{
    kg_query *q = NULL;
    long rows = 0;
    int rc;
    if (kg_query_prepare(&q, env, text, strlen(text), err) < 0) return -1;
    while ((rc = kg_query_step(q, err)) == KG_ROW) {
        rows++;
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

int main(int argc, char **argv)
{
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    kg_value params;
    kg_query_env env;
    char *qtext, *ptext, *line, *save = NULL;
    int reps = argc > 4 ? atoi(argv[4]) : 5;
    double t0, times[1000];
    long rss0;

    if (argc < 4) {
        fprintf(stderr, "usage: bench_query STORE.db QUERIES.cypher PARAMS.json [REPEATS]\n");
        return 2;
    }
    if (reps < 1 || reps > 1000) reps = 5;
    ptext = slurp(argv[3]);
    if (kg_json_parse(&params, ptext, strlen(ptext), 0, &err) < 0) {
        fprintf(stderr, "bench_query: %s: %s\n", argv[3], err.msg);
        return 2;
    }
    if (kg_store_open(&st, argv[1], KG_STORE_READONLY, &err) < 0) {
        fprintf(stderr, "bench_query: %s: %s\n", argv[1], err.msg);
        return 2;
    }
    rss0 = rss_kb();
    t0 = now_ms();
    if (kg_store_load(st, kg_store_latest(st), &g, &err) < 0) {
        fprintf(stderr, "bench_query: load: %s\n", err.msg);
        return 2;
    }
    printf("@@ENGINE kgsh %s in-process\n", KG_VERSION);
    printf("@@LOAD graph_build_ms=%.3f nodes=%zu edges=%zu rss_delta_mb=%.1f\n",
           now_ms() - t0, kg_graph_count(g, KG_NODE), kg_graph_count(g, KG_EDGE),
           (rss_kb() - rss0) / 1024.0);
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.store = st;
    env.version = kg_store_latest(st);
    for (int i = 0; i < 50; i++) {
        double t = now_ms();
        run(&env, "RETURN 1", NULL, &err);
        times[i] = now_ms() - t;
    }
    qsort(times, 50, sizeof(double), cmp_double);
    printf("@@CALIBRATE return1_roundtrip_median_ms=%.3f\n", times[25]);

    qtext = slurp(argv[2]);
    for (line = strtok_r(qtext, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[128] = "", *text, *body = line;
        kg_buf rows = KG_BUF_INIT;
        long n = 0;
        while (*body == ' ') body++;
        if (*body == '\0' || *body == '#') continue;
        if (*body == '[') {
            char *close = strchr(body, ']');
            if (!close) continue;
            snprintf(name, sizeof name, "%.*s", (int)(close - body - 1), body + 1);
            body = close + 1;
            while (*body == ' ') body++;
        }
        text = substitute(body, &params);
        for (int r = 0; r < reps; r++) {
            double t = now_ms();
            n = run(&env, text, r == 0 ? &rows : NULL, &err);
            times[r] = now_ms() - t;
            if (n < 0) break;
        }
        if (n < 0) {
            printf("@@ERROR %s %s\n", name, err.msg);
        } else {
            qsort(times, (size_t)reps, sizeof(double), cmp_double);
            printf("@@QUERY %s median_ms=%.4f min_ms=%.4f max_ms=%.4f runs=%d rows=%ld\n",
                   name, times[reps / 2], times[0], times[reps - 1], reps, n);
            if (rows.data) fputs(rows.data, stdout);
        }
        kg_buf_free(&rows);
        kg_free(text);
    }
    kg_free(qtext);
    kg_free(ptext);
    kg_value_release(&params);
    kg_graph_free(g);
    kg_store_close(st);
    return 0;
}
