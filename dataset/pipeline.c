/* pipeline.c - bring the changed paths of one version up to date, reading
 * and parsing on a second thread while the store's thread writes.
 *
 * A full sync spends about half its time in git (inflating blobs) and the
 * parsers, and half in SQLite; the two halves share nothing but the parsed
 * documents, so on two cores they overlap. The reader thread runs
 * kg_sync__prepare over the changes in order and hands each result through
 * a ring of RING slots; this thread stores them in the same order, so the
 * store sees exactly the calls a one-thread sync makes, and the version it
 * records is the same (the fingerprint tests compare both ways).
 *
 * The reader touches the git source (which this thread leaves alone until
 * the reader is joined) and, to skip unchanged files, the hashes of the
 * store preloaded before the version began (x->stored, read-only here),
 * never the store connection itself: when those hashes are not preloaded
 * (a draft replaced), or there are few paths (incremental syncs, where a
 * thread would cost more than it saves), the paths are done one after the
 * other on this thread. KG_SYNC_PIPELINE=0 forces that everywhere, and =1
 * forces the pipeline for any number of paths (tests, benchmarks).
 *
 * Allocation failure injection (kg_alloc_fail_at) counts per thread, so
 * the out-of-memory tests walk what they walked before: their syncs are
 * small and take the one-thread path.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sync_int.h"

/* Progress is reported every this many files (and at the end). */
#define PROGRESS_EVERY 64u
/* Parsed documents in flight: enough to ride out a slow blob or a slow
 * store write, few enough that memory stays that of a few notes. */
#define RING 64u
/* Fewer changed paths than this are done on one thread. */
#define PIPELINE_MIN 256u
/* A thread that has to wait sleeps until the other is this many slots
 * further, not one: the two run at about the same pace, and waking per
 * slot would cost two system calls a file. */
#define BATCH 16u

typedef struct {
    kg_prepared p;
    int rc;
    kg_error err;
} slot;

typedef struct {
    kg_sync_ctx *x;
    const kg_changes *cs;
    slot ring[RING];
    size_t produced, consumed; /* counts of slots; guarded by mu          */
    size_t want_more;          /* the store's thread sleeps until         */
                               /* produced reaches this (0: awake)        */
    size_t want_room;          /* the reader sleeps until consumed        */
                               /* reaches this (0: awake)                 */
    int stop;                  /* the store's thread gave up: reader ends */
    pthread_mutex_t mu;
    pthread_cond_t more, room;
} pipeline;

static int pipeline_mode(void)
{
    const char *s = getenv("KG_SYNC_PIPELINE");

    if (s == NULL || *s == '\0') return -1;
    return *s != '0';
}

/* 1 when the changes may be read and parsed on another thread. */
static int use_pipeline(const kg_sync_ctx *x, size_t n, int from_worktree)
{
    int mode = pipeline_mode();

    if (mode == 0 || n < 2 || from_worktree) return 0;
    /* Without preloaded hashes the reader would have to ask the store,
     * whose connection belongs to this thread. */
    if (!x->empty && x->stored == NULL) return 0;
    return mode == 1 || n >= PIPELINE_MIN;
}

static void *reader(void *arg)
{
    pipeline *pl = arg;
    size_t i;
    slot *s;

    for (i = 0; i < pl->cs->len; i++) {
        pthread_mutex_lock(&pl->mu);
        while (i - pl->consumed >= RING && !pl->stop) {
            pl->want_room = i - RING + BATCH;
            pthread_cond_wait(&pl->room, &pl->mu);
        }
        pl->want_room = 0;
        if (pl->stop) {
            pthread_mutex_unlock(&pl->mu);
            break;
        }
        pthread_mutex_unlock(&pl->mu);
        s = &pl->ring[i % RING];
        /* The slot's previous document is freed here, by the thread that
         * allocated it: glibc frees across threads slowly (the allocating
         * arena's lock), and this keeps the store's thread on the store. */
        if (i >= RING) kg_sync__prepared_free(&s->p);
        memset(&s->err, 0, sizeof s->err);
        s->rc = kg_sync__prepare(pl->x, &pl->cs->items[i], 0, &s->p,
                                 &s->err);
        pthread_mutex_lock(&pl->mu);
        pl->produced = i + 1;
        if (pl->want_more && (pl->produced >= pl->want_more || s->rc < 0))
            pthread_cond_signal(&pl->more);
        pthread_mutex_unlock(&pl->mu);
        if (s->rc < 0) break; /* the store's thread reports it */
    }
    return NULL;
}

static void progress(kg_sync_ctx *x, size_t done, size_t total)
{
    if (done % PROGRESS_EVERY == 0 || done == total)
        kg_sync__progress(x, "parse", done, total);
}

static int apply_serial(kg_sync_ctx *x, kg_changes *cs, int from_worktree,
                        size_t *wrote)
{
    kg_prepared p;
    size_t i;
    int rc, w;

    for (i = 0; i < cs->len; i++) {
        if (kg_sync__interrupted(x)) return kg_sync__interrupt_error(x);
        rc = kg_sync__prepare(x, &cs->items[i], from_worktree, &p, x->err);
        if (rc < 0) return rc;
        rc = kg_sync__apply(x, &cs->items[i], &p, &w);
        kg_sync__prepared_free(&p);
        if (rc < 0) return rc;
        *wrote += (size_t)w;
        progress(x, i + 1, cs->len);
    }
    return KG_OK;
}

/* Take slot i once the reader has filled it; NULL never (the reader fills
 * every slot up to the first failure, which ends this loop). */
static slot *take(pipeline *pl, size_t i)
{
    pthread_mutex_lock(&pl->mu);
    while (pl->produced <= i) {
        pl->want_more = i + BATCH < pl->cs->len ? i + BATCH : pl->cs->len;
        pthread_cond_wait(&pl->more, &pl->mu);
    }
    pl->want_more = 0;
    pthread_mutex_unlock(&pl->mu);
    return &pl->ring[i % RING];
}

static void give_back(pipeline *pl, size_t i)
{
    pthread_mutex_lock(&pl->mu);
    pl->consumed = i + 1;
    if (pl->want_room && pl->consumed >= pl->want_room)
        pthread_cond_signal(&pl->room);
    pthread_mutex_unlock(&pl->mu);
}

static int apply_pipelined(kg_sync_ctx *x, kg_changes *cs, size_t *wrote)
{
    pipeline *pl;
    pthread_t th;
    size_t i;
    int rc = KG_OK, w;
    slot *s;

    if (!(pl = kg_calloc(1, sizeof *pl)))
        return kg_error_set(x->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    pl->x = x;
    pl->cs = cs;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->more, NULL);
    pthread_cond_init(&pl->room, NULL);
    if (pthread_create(&th, NULL, reader, pl) != 0) {
        /* No thread to be had: the same work, on this one. */
        rc = apply_serial(x, cs, 0, wrote);
        goto destroy;
    }
    for (i = 0; i < cs->len; i++) {
        if (kg_sync__interrupted(x)) {
            rc = kg_sync__interrupt_error(x);
            break;
        }
        s = take(pl, i);
        if (s->rc < 0) {
            rc = s->rc;
            if (x->err) *x->err = s->err;
            give_back(pl, i);
            break;
        }
        rc = kg_sync__apply(x, &cs->items[i], &s->p, &w);
        give_back(pl, i);
        if (rc < 0) break;
        *wrote += (size_t)w;
        progress(x, i + 1, cs->len);
    }
    pthread_mutex_lock(&pl->mu);
    pl->stop = 1;
    pthread_cond_signal(&pl->room);
    pthread_mutex_unlock(&pl->mu);
    pthread_join(th, NULL);
    /* The documents still in the ring, stored or not. */
    for (i = 0; i < RING && i < pl->produced; i++)
        kg_sync__prepared_free(&pl->ring[i].p);
destroy:
    pthread_cond_destroy(&pl->room);
    pthread_cond_destroy(&pl->more);
    pthread_mutex_destroy(&pl->mu);
    kg_free(pl);
    return rc;
}

int kg_sync__apply_all(kg_sync_ctx *x, kg_changes *cs, int from_worktree,
                       size_t *wrote)
{
    *wrote = 0;
    if (use_pipeline(x, cs->len, from_worktree))
        return apply_pipelined(x, cs, wrote);
    return apply_serial(x, cs, from_worktree, wrote);
}
