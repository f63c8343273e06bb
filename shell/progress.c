/* progress.c - a progress bar for long syncs, on stderr, only on a terminal.
 *
 * A sync of a large repository takes seconds; a person at a terminal wants
 * to see it move, a script wants its stderr clean. So the bar is drawn only
 * when stderr is a terminal, redrawn at most every 50 ms (a bar that
 * repaints on each of 10,000 files costs more than the parsing), and
 * cleared at the end so that the summary line starts at the left margin.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shell_int.h"

#define BAR_WIDTH 30
#define REDRAW_MS 50

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kg_progress__init(kg_progress *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = isatty(STDERR_FILENO);
    p->last_ms = -REDRAW_MS;
}

void kg_progress__cb(const char *phase, size_t done, size_t total,
                     void *payload)
{
    kg_progress *p = payload;
    char bar[BAR_WIDTH + 1];
    int64_t now;
    size_t fill, i;
    int same_phase;

    if (p == NULL || !p->enabled) return;
    if (phase == NULL) phase = "";
    now = now_ms();
    same_phase = strncmp(p->phase, phase, sizeof p->phase - 1) == 0;
    if (same_phase && done != total && now - p->last_ms < REDRAW_MS) return;
    p->last_ms = now;
    snprintf(p->phase, sizeof p->phase, "%s", phase);
    if (total > 0) {
        fill = done >= total ? BAR_WIDTH : done * BAR_WIDTH / total;
        for (i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        fprintf(stderr, "\r\x1b[K%-12.12s [%s] %3zu%% %zu/%zu", phase, bar,
                done >= total ? (size_t)100 : done * 100 / total, done, total);
    } else {
        fprintf(stderr, "\r\x1b[K%-12.12s %zu", phase, done);
    }
    fflush(stderr);
    p->drawn = 1;
}

void kg_progress__done(kg_progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\x1b[K", stderr);
        fflush(stderr);
    }
    p->drawn = 0;
}
