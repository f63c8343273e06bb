/* query_parse_fuzzer.c - the query front end on arbitrary bytes.
 *
 * Each input is one statement handed to kg_query_prepare (lexer, parser,
 * binder, planner) over a small fixed graph that has what queries reach
 * for: two labels, several property types, a cycle, a self-loop and a
 * node with many edges. A statement that prepares is also explained and
 * run, but bounded: the env sets max_rows, max_ms and max_mem, and the loop
 * stops after a fixed number of steps, so a *1..10 over the dense part
 * cannot stall the fuzzer. The graph is rebuilt for every input because
 * CREATE / SET / DELETE write into it and an input must replay the same way.
 *
 * Checked besides memory safety: a failed prepare leaves *out NULL and sets
 * a message whose span lies inside the text; a step returns KG_ROW, KG_DONE
 * or a status with a message; every column of every row formats.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kg_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_STEPS 300u

static kg_id add_node(kg_graph *g, const char *key, const char *label, int i)
{
    kg_id n = kg_graph_node_add(g, key, NULL);
    kg_value v;

    if (n == KG_NONE) abort();
    kg_graph_label_add(g, n, kg_graph_atom(g, label, strlen(label)));
    v = kg_value_int(i);
    kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "i", 1), &v);
    v = kg_value_string(key, strlen(key));
    kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "name", 4), &v);
    kg_value_release(&v);
    if (i % 2 == 0) {
        v = kg_value_float(i / 3.0);
        kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "w", 1), &v);
        v = kg_value_date("2021-08-24", 10);
        kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "since", 5), &v);
        kg_value_release(&v);
    } else {
        v = kg_value_list(2);
        kg_value_list_set(&v, 0, kg_value_int(i));
        kg_value_list_set(&v, 1, kg_value_string("x\"'\\", 4));
        kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "tags", 4), &v);
        kg_value_release(&v);
        v = kg_value_bool(i % 3 == 0);
        kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, "ok", 2), &v);
    }
    kg_graph_node_text_set(g, n, "body [[link]] text");
    return n;
}

static void add_edge(kg_graph *g, kg_id a, kg_id b, const char *type, int w)
{
    kg_id e = kg_graph_edge_add(g, a, b, kg_graph_atom(g, type, strlen(type)),
                                NULL);
    kg_value v = kg_value_int(w);

    if (e == KG_NONE) abort();
    kg_graph_prop_set(g, KG_EDGE, e, kg_graph_atom(g, "weight", 6), &v);
}

/* Eight nodes: a 3-cycle, a self-loop, a hub joined to everything both
 * ways (so variable-length patterns explode), one isolated node. */
static kg_graph *make_graph(void)
{
    kg_graph *g = kg_graph_new();
    kg_id n[8];
    char key[16];
    int i;

    if (g == NULL) abort();
    for (i = 0; i < 8; i++) {
        snprintf(key, sizeof key, "n%d", i);
        n[i] = add_node(g, key, i < 4 ? "A" : "B", i);
    }
    add_edge(g, n[0], n[1], "T", 1);
    add_edge(g, n[1], n[2], "T", 2);
    add_edge(g, n[2], n[0], "U", 3);
    add_edge(g, n[3], n[3], "SELF", 4);
    for (i = 0; i < 6; i++) {
        add_edge(g, n[6], n[i], "HUB", i);
        add_edge(g, n[i], n[6], "HUB", -i);
    }
    return g;
}

static void check_span(const kg_error *err, size_t len)
{
    if (err->msg[0] == '\0') abort();
    if ((size_t)err->span.offset > len ||
        (size_t)err->span.offset + err->span.len > len)
        abort();
}

static FILE *sink_file(void)
{
    static FILE *devnull;

    if (devnull == NULL) devnull = fopen("/dev/null", "w");
    return devnull;
}

static void run(kg_query *q, const char *text, size_t len)
{
    kg_error err;
    kg_buf out = KG_BUF_INIT;
    unsigned steps;
    size_t i, ncols = kg_query_ncols(q);
    int rc = KG_ROW;

    kg_query_explain(q, &out, 0);
    for (i = 0; i < ncols; i++)
        if (kg_query_colname(q, i) == NULL) abort();
    for (steps = 0; steps < FUZZ_MAX_STEPS; steps++) {
        memset(&err, 0, sizeof err);
        rc = kg_query_step(q, &err);
        if (rc != KG_ROW) break;
        for (i = 0; i < ncols; i++) {
            kg_buf_reset(&out);
            kg_query_format_value(&out, kg_query_graph(q), kg_query_col(q, i),
                                  1);
        }
    }
    if (rc < 0) {
        if (err.msg[0] == '\0') abort();
        /* runtime errors may point into the text too (STYLE 28) */
        if (err.span.len > 0) check_span(&err, len);
        kg_error_locate(&err, text, len);
        kg_error_print(sink_file(), &err, text, len);
    } else if (rc != KG_ROW && rc != KG_DONE) {
        abort();
    } else if (rc == KG_DONE && kg_query_mode(q) == KG_QUERY_PROFILE) {
        kg_buf_reset(&out);
        kg_query_explain(q, &out, 1);
    }
    kg_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kg_graph *g = make_graph();
    kg_query_env env;
    kg_query *q = (kg_query *)&env; /* must become NULL on failure */
    kg_error err;
    kg_value params = kg_value_map();
    const char *text = (const char *)data;
    int rc;

    kg_value_map_set(&params, "p", 1, kg_value_int(3));
    kg_value_map_set(&params, "s", 1, kg_value_string("n1", 2));
    memset(&env, 0, sizeof env);
    env.graph = g;
    env.params = &params;
    env.max_rows = 200;
    env.max_ms = 40;
    env.max_mem = 8u << 20;
    memset(&err, 0, sizeof err);
    rc = kg_query_prepare(&q, &env, text, size, &err);
    if (rc < 0) {
        if (q != NULL) abort();
        check_span(&err, size);
        kg_error_locate(&err, text, size);
        kg_error_print(sink_file(), &err, text, size);
    } else {
        if (q == NULL) abort();
        run(q, text, size);
        kg_query_free(q);
    }
    kg_value_release(&params);
    kg_graph_free(g);
    return 0;
}
