/* test_diff.c - differences between two graphs: nodes matched by key, edges
 * by (source, type, target), reported in key order. */
#include "graph_int.h"
#include "kg_test.h"

typedef struct {
    const kg_graph *a, *b;
    kg_buf out; /* one line per item */
    int stop_after;
    int seen;
} collect;

static const char *elem_name(const kg_graph *g, kg_elem kind, kg_id id,
                             char buf[128])
{
    if (kind == KG_NODE) return kg_graph_node_key(g, id);
    snprintf(buf, 128, "%s-%s->%s",
             kg_graph_node_key(g, kg_graph_edge_src(g, id)),
             kg_graph_atom_str(g, kg_graph_edge_type(g, id)),
             kg_graph_node_key(g, kg_graph_edge_dst(g, id)));
    return buf;
}

static int on_item(const kg_diff_item *it, void *payload)
{
    collect *c = payload;
    char buf[128];
    static const char *what[] = {"added", "removed", "changed"};

    kg_buf_printf(&c->out, "%s %s", what[it->what],
                  elem_name(it->a != KG_NONE ? c->a : c->b, it->kind,
                            it->a != KG_NONE ? it->a : it->b, buf));
    if (it->what == KG_DIFF_CHANGED) {
        kg_buf_printf(&c->out, " %s: ", it->prop);
        if (it->from) kg_json_write(&c->out, it->from, 1);
        else kg_buf_puts(&c->out, "-");
        kg_buf_puts(&c->out, " => ");
        if (it->to) kg_json_write(&c->out, it->to, 1);
        else kg_buf_puts(&c->out, "-");
    }
    kg_buf_putc(&c->out, '\n');
    return ++c->seen == c->stop_after ? 7 : 0;
}

static kg_atom atom(kg_graph *g, const char *s)
{
    return kg_graph_atom(g, s, strlen(s));
}

static void set(kg_graph *g, kg_elem kind, kg_id id, const char *k, kg_value v)
{
    kg_graph_prop_set(g, kind, id, atom(g, k), &v);
    kg_value_release(&v);
}

static kg_graph *base(void)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "a", NULL), b = kg_graph_node_add(g, "b", NULL);
    kg_id c = kg_graph_node_add(g, "c", NULL), e;

    kg_graph_label_add(g, a, atom(g, "Service"));
    set(g, KG_NODE, a, "name", kg_value_string("Alpha", 5));
    set(g, KG_NODE, a, "tier", kg_value_int(1));
    set(g, KG_NODE, c, "since", kg_value_date("2021-08-24", 10));
    e = kg_graph_edge_add(g, a, b, atom(g, "USES"), NULL);
    set(g, KG_EDGE, e, "w", kg_value_int(1));
    e = kg_graph_edge_add(g, a, b, atom(g, "USES"), NULL);
    set(g, KG_EDGE, e, "w", kg_value_int(2));
    kg_graph_edge_add(g, b, c, atom(g, "PART_OF"), NULL);
    return g;
}

static void test_graph_diff__identical(void)
{
    kg_graph *a = base(), *b = base();
    collect c = {a, b, KG_BUF_INIT, 0, 0};

    kg_assert_int(kg_graph_diff(a, b, on_item, &c), 0);
    kg_assert_int(c.seen, 0);
    kg_graph_free(a);
    kg_graph_free(b);
}

static void test_graph_diff__changes(void)
{
    kg_graph *a = base(), *b = kg_graph_new();
    collect c = {a, NULL, KG_BUF_INIT, 0, 0};
    kg_id nb, na, nd, e;

    /* b: same data built another way, then edited */
    nd = kg_graph_node_add(b, "d", NULL);              /* added node      */
    nb = kg_graph_node_add(b, "b", NULL);
    na = kg_graph_node_add(b, "a", NULL);              /* c is removed    */
    kg_graph_label_add(b, na, atom(b, "Managed"));     /* labels changed  */
    kg_graph_label_add(b, na, atom(b, "Service"));
    set(b, KG_NODE, na, "tier", kg_value_float(1.0));  /* type changed    */
    set(b, KG_NODE, na, "name", kg_value_string("Alpha", 5));
    set(b, KG_NODE, nb, "note", kg_value_bool(1));     /* property added  */
    e = kg_graph_edge_add(b, na, nb, atom(b, "USES"), NULL);
    set(b, KG_EDGE, e, "w", kg_value_int(2));          /* w=2 unchanged   */
    e = kg_graph_edge_add(b, na, nb, atom(b, "USES"), NULL);
    set(b, KG_EDGE, e, "w", kg_value_int(5));          /* w=1 became 5    */
    kg_graph_edge_add(b, nd, na, atom(b, "USES"), NULL); /* added edge    */
    c.b = b;
    kg_assert_int(kg_graph_diff(a, b, on_item, &c), 0);
    kg_assert_str(c.out.data,
                  "changed a labels: [\"Service\"] => [\"Managed\",\"Service\"]\n"
                  "changed a tier: 1 => 1.0\n"
                  "changed b note: - => true\n"
                  "removed c\n"
                  "added d\n"
                  "changed a-USES->b w: 1 => 5\n"
                  "removed b-PART_OF->c\n"
                  "added d-USES->a\n");
    /* the reverse direction mirrors it */
    kg_buf_reset(&c.out);
    c.a = b;
    c.b = a;
    kg_assert_int(kg_graph_diff(b, a, on_item, &c), 0);
    kg_assert(strstr(c.out.data, "changed b note: true => -\n") != NULL);
    kg_assert(strstr(c.out.data, "added c\n") != NULL);
    kg_assert(strstr(c.out.data, "removed d-USES->a\n") != NULL);
    kg_buf_free(&c.out);
    kg_graph_free(a);
    kg_graph_free(b);
}

static void test_graph_diff__duplicates_and_stop(void)
{
    kg_graph *a = base(), *b = base();
    collect c = {a, b, KG_BUF_INIT, 0, 0};

    /* a third parallel a-USES->b in b only: exactly one edge is added */
    kg_graph_edge_add(b, 0, 1, atom(b, "USES"), NULL);
    kg_graph_node_add(b, "z1", NULL);
    kg_graph_node_add(b, "z2", NULL);
    kg_assert_int(kg_graph_diff(a, b, on_item, &c), 0);
    kg_assert_str(c.out.data, "added z1\nadded z2\nadded a-USES->b\n");
    /* a non-zero callback result stops the walk and is returned */
    kg_buf_reset(&c.out);
    c.seen = 0;
    c.stop_after = 2;
    kg_assert_int(kg_graph_diff(a, b, on_item, &c), 7);
    kg_assert_int(c.seen, 2);
    kg_buf_free(&c.out);
    kg_graph_free(a);
    kg_graph_free(b);
}

KG_TEST_LIST = {
    {"graph::diff::identical", test_graph_diff__identical},
    {"graph::diff::changes", test_graph_diff__changes},
    {"graph::diff::duplicates_and_stop", test_graph_diff__duplicates_and_stop},
    {NULL, NULL},
};

KG_TEST_MAIN
