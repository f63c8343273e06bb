/* bench_sync.c - time one kg_sync_run, the way `kgsh sync` would run it.
 *
 * Usage: bench_sync DB SOURCE [REF] [SUBDIR] [--count]
 *
 * Opens (or creates) the store DB, syncs SOURCE at REF, and prints one line
 * of key=value figures: wall time of the sync (store open and close
 * included, as a command-line sync would pay them), the process's CPU time
 * so far (user + system, getrusage: start-up and libgit2's initialisation
 * included), files parsed and removed, the version, and the peak resident
 * set size. With --count it then loads the version (untimed) and adds
 * the node and edge counts, for per-node and per-edge store sizes. It is a
 * benchmark driver that prints figures, not a test: tests/bench is not
 * registered with CTest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "kg_dataset.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    kg_sync_opts o;
    kg_sync_result res;
    kg_error err;
    kg_store *st = NULL;
    kg_graph *g = NULL;
    struct rusage ru;
    double t0, t1;
    int count = 0, i, npos = 0, rc;
    const char *pos[4] = {NULL, NULL, NULL, NULL};

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count")) count = 1;
        else if (npos < 4) pos[npos++] = argv[i];
    }
    if (npos < 2) {
        fprintf(stderr, "Usage: bench_sync DB SOURCE [REF] [SUBDIR] "
                        "[--count]\n");
        return 2;
    }
    memset(&o, 0, sizeof o);
    o.source = pos[1];
    o.ref = pos[2];
    o.subdir = pos[3];
    t0 = now_ms();
    if (kg_store_open(&st, pos[0], KG_STORE_CREATE, &err) < 0) {
        fprintf(stderr, "bench_sync: %s\n", err.msg);
        return 1;
    }
    rc = kg_sync_run(st, &o, &res, &err);
    if (!count) kg_store_close(st);
    t1 = now_ms();
    if (rc < 0) {
        fprintf(stderr, "bench_sync: %s\n", err.msg);
        if (count) kg_store_close(st);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("sync_ms=%.1f cpu_ms=%.1f parsed=%zu removed=%zu total=%zu "
           "version=%lld unchanged=%d errors=%zu warnings=%zu maxrss_kb=%ld",
           t1 - t0,
           (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
               (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3,
           res.files_parsed, res.files_removed, res.files_total,
           (long long)res.version, res.unchanged, res.errors, res.warnings,
           ru.ru_maxrss);
    if (count) {
        if (kg_store_load(st, res.version, &g, &err) < 0) {
            fprintf(stderr, "\nbench_sync: load: %s\n", err.msg);
            kg_store_close(st);
            return 1;
        }
        printf(" nodes=%zu edges=%zu", kg_graph_count(g, KG_NODE),
               kg_graph_count(g, KG_EDGE));
        kg_graph_free(g);
        kg_store_close(st);
    }
    printf("\n");
    return 0;
}
