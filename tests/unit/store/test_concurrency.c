/* test_concurrency.c - readers see one consistent version while another
 * process syncs, and a second writer is turned away with KG_EBUSY.
 *
 * The writer is a forked process with its own connection, as a second
 * kgsh would be. Every version rewrites every document with property
 * n = version and adds one document, so a torn read (rows of two versions)
 * would show mixed values of n or a count that does not match them.
 */
#include <sys/time.h>
#include <sys/wait.h>

#include "store_test.h"

#define NVERSIONS 30
#define NBASE 10

static int put_all(kg_store *st, int64_t v, kg_error *err)
{
    int64_t i, ndocs = NBASE + v - 1;
    int rc = KG_OK;

    for (i = 0; i < ndocs && rc == KG_OK; i++) {
        char p[32], k[32];
        snprintf(p, sizeof p, "d%03lld.md", (long long)i);
        snprintf(k, sizeof k, "d%03lld", (long long)i);
        rc = st_put(st, p, k, NULL, NULL, "text", "MENTIONS>d000", "n", v, err);
    }
    return rc;
}

/* The writer: versions 2..NVERSIONS; holds version 2 open for 2.5 s after
 * telling the parent (one byte on fd) that it has the lock. */
static int writer(const char *path, int fd)
{
    kg_store *st = NULL;
    kg_error err;
    int64_t v, vid;

    if (kg_store_open(&st, path, 0, &err) < 0) return 1;
    for (v = 2; v <= NVERSIONS; v++) {
        if (st_begin(st, "", 0, &vid, &err) < 0 || vid != v) return 2;
        if (v == 2) {
            if (write(fd, "x", 1) != 1) return 3;
            usleep(2500 * 1000);
        }
        if (put_all(st, v, &err) < 0 || kg_store_commit(st, &err) < 0) return 4;
    }
    kg_store_close(st);
    return 0;
}

/* 0 when g is one whole version: every node has the same n = v and there
 * are NBASE + v - 1 of them. */
static int consistent(kg_graph *g, int64_t *vout)
{
    size_t i, n = kg_graph_count(g, KG_NODE);
    int64_t v = -1;

    for (i = 0; i < n; i++) {
        int64_t x = st_prop_int(g, kg_graph_node_key(g, (kg_id)i), "n");
        if (v == -1) v = x;
        if (x != v) return -1;
    }
    *vout = v;
    return n == (size_t)(NBASE + v - 1) ? 0 : -1;
}

static double now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

static void test_store_concurrency__reader_and_writer(void)
{
    char path[600], c;
    kg_store *st = NULL;
    kg_graph *g = NULL;
    kg_error err;
    int64_t vid, v, last = 0;
    int fds[2], status = 0, loads = 0, rc;
    double t0, waited;
    pid_t pid;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(put_all(st, 1, &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_store_close(st); /* no SQLite connection may cross fork() */

    kg_assert(pipe(fds) == 0);
    fflush(NULL);
    pid = fork();
    kg_assert(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        _exit(writer(path, fds[1]));
    }
    close(fds[1]);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert(read(fds[0], &c, 1) == 1);
    close(fds[0]);

    /* The writer holds the lock: a second writer gives up after ~1 s. */
    t0 = now();
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_EBUSY);
    waited = now() - t0;
    kg_assert_str(err.msg, "another sync is running (the store is locked "
                           "for writing); try again when it has finished");
    kg_assert(waited > 0.5 && waited < 2.4);

    /* Readers are never blocked and never see half a version. */
    do {
        rc = waitpid(pid, &status, WNOHANG);
        kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
        kg_assert_int(consistent(g, &v), 0);
        kg_assert(v >= last); /* versions only move forward */
        last = v;
        kg_graph_free(g);
        loads++;
    } while (rc == 0);
    kg_assert(WIFEXITED(status));
    kg_assert_int(WEXITSTATUS(status), 0);
    kg_assert(loads > 3);

    kg_assert_int(kg_store_latest(st), NVERSIONS);
    kg_assert_int(kg_store_load(st, 0, &g, &err), KG_OK);
    kg_assert_int(consistent(g, &v), 0);
    kg_assert_int(v, NVERSIONS);
    kg_graph_free(g);
    kg_assert_int(kg_store_load(st, 7, &g, &err), KG_OK);
    kg_assert_int(consistent(g, &v), 0);
    kg_assert_int(v, 7);
    kg_graph_free(g);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {{"store::concurrency::reader_and_writer",
                 test_store_concurrency__reader_and_writer},
                {NULL, NULL}};

KG_TEST_MAIN
