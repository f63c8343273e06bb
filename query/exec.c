/* exec.c - execution state helpers: errors, limits, the clock.
 *
 * Limits are checked every 1024 ticks of the executor's inner loops
 * (kg_exec__tick), so the cost of reading the clock and the interrupt flag
 * stays out of the per-row path while a runaway query still stops within
 * a millisecond or so.
 */
#include "query_int.h"

#include <stdarg.h>
#include <time.h>

int kg_exec__fail(kg_exec *x, int code, kg_span at, const char *fmt, ...)
{
    va_list ap;
    char msg[256];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kg_error_set(x->err, code, "<query>", at, "%s", msg);
    if (x->err) kg_error_locate(x->err, x->text, x->len);
    return code;
}

uint64_t kg_exec__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int kg_exec__check(kg_exec *x)
{
    const kg_query_env *env = x->env;
    if (env->interrupt && *env->interrupt)
        return kg_exec__fail(x, KG_EINTERRUPT, (kg_span){0, 0},
                             "query interrupted");
    if (env->max_ms &&
        (kg_exec__now_ns() - x->start_ns) / 1000000u >= env->max_ms)
        return kg_exec__fail(x, KG_ELIMIT, (kg_span){0, 0},
                             "query took longer than the time limit of %llu "
                             "ms", (unsigned long long)env->max_ms);
    return KG_OK;
}

int kg_exec__mem(kg_exec *x, long long n, kg_span at)
{
    if (n < 0) {
        size_t d = (size_t)-n;
        x->mem = d > x->mem ? 0 : x->mem - d;
        return KG_OK;
    }
    x->mem += (size_t)n;
    if (x->env->max_mem && x->mem > x->env->max_mem)
        return kg_exec__fail(x, KG_ELIMIT, at,
                             "query needs more than the memory limit of %zu "
                             "bytes", x->env->max_mem);
    return KG_OK;
}

size_t kg_exec__value_size(const kg_value *v)
{
    size_t n = sizeof *v;
    uint32_t i;
    switch (v->type) {
    KG_VCASE_STR:
        return n + 16 + v->u.str->len;
    case KG_VLIST:
    case KG_VPATH:
        for (i = 0; i < v->u.list->len; i++)
            n += kg_exec__value_size(&v->u.list->items[i]);
        return n + 16;
    case KG_VMAP:
        for (i = 0; i < v->u.map->len; i++)
            n += 24 + v->u.map->keys[i]->len +
                 kg_exec__value_size(&v->u.map->vals[i]);
        return n + 16;
    default: return n;
    }
}
