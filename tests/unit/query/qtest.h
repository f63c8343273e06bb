/* qtest.h - helpers for the query module's unit tests (not a test itself).
 *
 * qt_graph() builds an in-memory graph with a CREATE statement run through
 * the real engine; qt_run() runs a query and renders every row as
 * "v1 | v2" lines (kg_query_format_value, strings quoted), or "error: msg"
 * with the error's position, so tests compare whole results as strings.
 */
#ifndef KG_QTEST_H
#define KG_QTEST_H

#include "kg_query.h"
#include "kg_test.h"

#include <stdlib.h>
#include <string.h>

static kg_value qt_params_;

static inline char *qt_run_env(kg_query_env *env, const char *text)
{
    kg_buf out = KG_BUF_INIT;
    kg_error err;
    kg_query *q = NULL;
    int rc, first = 1;
    size_t i;
    memset(&err, 0, sizeof err);
    rc = kg_query_prepare(&q, env, text, strlen(text), &err);
    if (rc < 0) {
        kg_buf_printf(&out, "error %d at %u:%u: %s", rc, err.line, err.col,
                      err.msg);
        return kg_buf_detach(&out);
    }
    while ((rc = kg_query_step(q, &err)) == KG_ROW) {
        if (!first) kg_buf_putc(&out, '\n');
        first = 0;
        for (i = 0; i < kg_query_ncols(q); i++) {
            if (i) kg_buf_puts(&out, " | ");
            kg_query_format_value(&out, kg_query_graph(q), kg_query_col(q, i), 1);
        }
    }
    if (rc < 0) {
        if (!first) kg_buf_putc(&out, '\n');
        kg_buf_printf(&out, "error %d at %u:%u: %s", rc, err.line, err.col,
                      err.msg);
    }
    kg_query_free(q);
    if (!out.data) kg_buf_puts(&out, "");
    return kg_buf_detach(&out);
}

static inline char *qt_run(kg_graph *g, const char *text)
{
    kg_query_env env;
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.params = qt_params_.type == KG_VMAP ? &qt_params_ : NULL;
    return qt_run_env(&env, text);
}

static inline kg_graph *qt_graph(const char *create)
{
    kg_graph *g = kg_graph_new();
    if (g && create) kg_free(qt_run(g, create));
    return g;
}

/* Compare the result of text over g with want; frees the result. */
#define qt_check(g, text, want)                                               \
    do {                                                                      \
        char *got_ = qt_run((g), (text));                                     \
        if (strcmp(got_, (want)) != 0) {                                      \
            fprintf(stderr, "%s:%d: query: %s\n  got:  %s\n  want: %s\n",     \
                    __FILE__, __LINE__, (text), got_, (want));                \
            kg_free(got_);                                                    \
            kg_test_failed_ = 1;                                              \
            return;                                                           \
        }                                                                     \
        kg_free(got_);                                                        \
    } while (0)

#endif /* KG_QTEST_H */
