/* test_mem.c - the in-memory graph: writes, deletes, adjacency, labels,
 * properties, and out-of-memory behaviour. Indexes: test_index.c. */
#include "graph_int.h"
#include "kg_test.h"

static kg_atom atom(kg_graph *g, const char *s)
{
    return kg_graph_atom(g, s, strlen(s));
}

static void test_graph_mem__nodes_and_keys(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_id a, b, c;

    kg_assert(g != NULL);
    a = kg_graph_node_add(g, "sagemaker", &err);
    b = kg_graph_node_add(g, NULL, &err);
    kg_assert_int(a, 0);
    kg_assert_int(b, 1);
    kg_assert_str(kg_graph_node_key(g, b), "_:n1");
    kg_assert_int(kg_graph_node_add(g, "sagemaker", &err), KG_NONE);
    kg_assert_int(err.code, KG_EEXISTS);
    kg_assert_str(err.msg, "a node with key 'sagemaker' already exists");
    /* a user key that looks generated does not collide with a new one */
    kg_assert_int(kg_graph_node_add(g, "_:n3", &err), 2);
    c = kg_graph_node_add(g, NULL, &err);
    kg_assert_int(c, 3);
    kg_assert_str(kg_graph_node_key(g, c), "_:n3.1");
    kg_assert_int(kg_graph_node_find(g, "sagemaker"), a);
    kg_assert_int(kg_graph_node_find(g, "SageMaker"), KG_NONE);
    kg_assert_int(kg_graph_count(g, KG_NODE), 4);
    kg_assert_int(kg_graph_node_delete(g, b, 0, &err), 0);
    kg_assert_int(kg_graph_count(g, KG_NODE), 3);
    kg_assert_int(kg_graph_cap(g, KG_NODE), 4); /* ids stay stable */
    kg_assert(!kg_graph_alive(g, KG_NODE, b));
    kg_assert_int(kg_graph_node_find(g, "_:n1"), KG_NONE);
    kg_assert_int(kg_graph_node_delete(g, b, 0, &err), KG_ENOTFOUND);
    kg_assert_int(kg_graph_node_find(g, "_:n3"), 2);
    kg_graph_free(g);
}

static void test_graph_mem__edges_and_adjacency(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_atom uses = atom(g, "USES");
    kg_id n[3], e[4];
    const kg_id *adj;
    size_t cnt;
    int i;

    for (i = 0; i < 3; i++) n[i] = kg_graph_node_add(g, NULL, &err);
    e[0] = kg_graph_edge_add(g, n[0], n[1], uses, &err);
    e[1] = kg_graph_edge_add(g, n[0], n[2], uses, &err);
    e[2] = kg_graph_edge_add(g, n[0], n[1], uses, &err);
    e[3] = kg_graph_edge_add(g, n[2], n[0], uses, &err);
    kg_assert_int(kg_graph_edge_add(g, n[0], 99, uses, &err), KG_NONE);
    kg_assert_int(err.code, KG_ENOTFOUND);
    adj = kg_graph_out(g, n[0], &cnt);
    kg_assert_int(cnt, 3);
    kg_assert(adj[0] == e[0] && adj[1] == e[1] && adj[2] == e[2]);
    kg_assert_int(kg_graph_edge_delete(g, e[1]), 0);
    adj = kg_graph_out(g, n[0], &cnt);
    kg_assert(cnt == 2 && adj[0] == e[0] && adj[1] == e[2]); /* order kept */
    adj = kg_graph_in(g, n[1], &cnt);
    kg_assert(cnt == 2 && adj[0] == e[0] && adj[1] == e[2]);
    kg_assert_int(kg_graph_edge_src(g, e[3]), n[2]);
    kg_assert_int(kg_graph_edge_dst(g, e[3]), n[0]);
    kg_assert_str(kg_graph_atom_str(g, kg_graph_edge_type(g, e[3])), "USES");
    /* a node with edges needs detach */
    kg_assert_int(kg_graph_node_delete(g, n[0], 0, &err), KG_EEXISTS);
    kg_assert(strstr(err.msg, "DETACH DELETE") != NULL);
    kg_assert_int(kg_graph_node_delete(g, n[0], 1, &err), 0);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 0);
    kg_assert(!kg_graph_alive(g, KG_EDGE, e[3]));
    kg_graph_in(g, n[1], &cnt);
    kg_assert_int(cnt, 0);
    kg_graph_out(g, n[2], &cnt);
    kg_assert_int(cnt, 0);
    kg_graph_free(g);
}

static void test_graph_mem__labels_and_index(void)
{
    kg_graph *g = kg_graph_new();
    kg_atom svc = atom(g, "Service"), mg = atom(g, "Managed");
    const kg_id *ids;
    size_t cnt;
    kg_id n[5];
    int i;

    for (i = 0; i < 5; i++) n[i] = kg_graph_node_add(g, NULL, NULL);
    kg_assert_int(kg_graph_label_add(g, n[3], svc), 0);
    kg_assert_int(kg_graph_label_add(g, n[1], svc), 0);
    kg_assert_int(kg_graph_label_add(g, n[1], svc), 0); /* no duplicate */
    kg_assert_int(kg_graph_label_add(g, n[4], svc), 0);
    kg_assert_int(kg_graph_label_add(g, n[1], mg), 0);
    kg_graph_labels(g, n[1], &cnt);
    kg_assert_int(cnt, 2);
    ids = kg_graph_label_nodes(g, svc, &cnt);
    kg_assert(cnt == 3 && ids[0] == n[1] && ids[1] == n[3] && ids[2] == n[4]);
    kg_assert_int(kg_graph_label_remove(g, n[3], svc), 0);
    kg_graph_node_delete(g, n[4], 1, NULL);
    ids = kg_graph_label_nodes(g, svc, &cnt);
    kg_assert(cnt == 1 && ids[0] == n[1]);
    kg_assert(kg_graph_has_label(g, n[1], mg));
    kg_assert(!kg_graph_has_label(g, n[3], svc));
    kg_graph_label_nodes(g, atom(g, "Unused"), &cnt);
    kg_assert_int(cnt, 0);
    kg_graph_free(g);
}

static void test_graph_mem__properties(void)
{
    kg_graph *g = kg_graph_new();
    kg_atom k1 = atom(g, "zeta"), k2 = atom(g, "alpha"), key;
    kg_id n = kg_graph_node_add(g, "x", NULL);
    kg_value s = kg_value_string("hello", 5), i = kg_value_int(7);
    const kg_value *v;
    uint32_t line;
    int k;

    kg_assert_int(kg_graph_prop_set(g, KG_NODE, n, k2, &s), 0);
    kg_assert_int(kg_graph_prop_set(g, KG_NODE, n, k1, &i), 0);
    kg_assert_int(s.u.str->refs, 2); /* shared, not copied */
    kg_assert_int(kg_graph_prop_count(g, KG_NODE, n), 2);
    v = kg_graph_prop_at(g, KG_NODE, n, 0, &key); /* sorted by atom */
    kg_assert(key == (k1 < k2 ? k1 : k2) && v != NULL);
    v = kg_graph_prop(g, KG_NODE, n, k2);
    kg_assert(v != NULL && v->type == KG_VSTRING);
    kg_assert_str(v->u.str->s, "hello");
    kg_assert_int(kg_graph_prop_set(g, KG_NODE, n, k2, NULL), 0);
    kg_assert(kg_graph_prop(g, KG_NODE, n, k2) == NULL);
    kg_assert_int(s.u.str->refs, 1);
    kg_assert_int(kg_graph_prop_set(g, KG_NODE, 42, k2, &s), KG_ENOTFOUND);
    /* SET n.b = n.a, n.a = n.a: the source lives in the array that grows */
    for (k = 0; k < 6; k++) {
        kg_atom dst = kg_graph_atom(g, "p0123" + k, 1);
        v = kg_graph_prop(g, KG_NODE, n, k1);
        kg_assert_int(kg_graph_prop_set(g, KG_NODE, n, dst, v), 0);
        v = kg_graph_prop(g, KG_NODE, n, k1);
        kg_assert_int(kg_graph_prop_set(g, KG_NODE, n, k1, v), 0);
    }
    kg_assert_int(kg_graph_prop_count(g, KG_NODE, n), 7);
    kg_assert_int(kg_graph_prop(g, KG_NODE, n, kg_graph_atom(g, "3", 1))->u.i,
                  7);
    kg_graph_prop_clear(g, KG_NODE, n);
    kg_assert_int(kg_graph_prop_count(g, KG_NODE, n), 0);
    kg_assert_str(kg_graph_node_text(g, n), "");
    kg_assert_int(kg_graph_node_text_set(g, n, "body [[y]]"), 0);
    kg_assert_str(kg_graph_node_text(g, n), "body [[y]]");
    kg_assert(kg_graph_origin(g, KG_NODE, n, &line) == NULL);
    kg_assert_int(kg_graph_origin_set(g, KG_NODE, n, "notes/x.md", 3), 0);
    kg_assert_str(kg_graph_origin(g, KG_NODE, n, &line), "notes/x.md");
    kg_assert_int(line, 3);
    kg_value_release(&s);
    kg_graph_free(g);
}

static void test_graph_mem__hub_node(void)
{
    kg_graph *g = kg_graph_new();
    kg_atom t = atom(g, "LINKS");
    kg_id hub = kg_graph_node_add(g, "hub", NULL), leaf, e;
    const kg_id *adj;
    size_t cnt, k;
    int i;

    /* past the pool's largest class: the array moves to the heap */
    for (i = 0; i < 3000; i++) {
        leaf = kg_graph_node_add(g, NULL, NULL);
        e = kg_graph_edge_add(g, hub, leaf, t, NULL);
        kg_assert_int(e, 2 * i);
        kg_graph_edge_add(g, leaf, hub, t, NULL);
    }
    for (i = 0; i < 6000; i += 4) kg_graph_edge_delete(g, (kg_id)i);
    adj = kg_graph_out(g, hub, &cnt);
    kg_assert_int(cnt, 1500);
    for (k = 0; k < cnt; k++) kg_assert_int(adj[k], 2 + 4 * k);
    kg_graph_in(g, hub, &cnt);
    kg_assert_int(cnt, 3000);
    kg_assert_int(kg_graph_node_delete(g, hub, 1, NULL), 0);
    kg_assert_int(kg_graph_count(g, KG_EDGE), 0);
    kg_graph_free(g);
}

/* Build a small graph with the nth allocation failing; every call must
 * either succeed or fail leaving the graph consistent (ASan checks leaks). */
static int build_with_failure(unsigned long nth)
{
    kg_graph *g;
    kg_id a, b, e = KG_NONE;
    kg_value v = kg_value_string("Alpha", 5);
    size_t before;
    int failures = 0, i;

    kg_alloc_fail_at(nth);
    g = kg_graph_new();
    if (g == NULL) {
        kg_value_release(&v);
        kg_alloc_fail_at(0);
        return 1;
    }
    a = kg_graph_node_add(g, "a", NULL);
    b = kg_graph_node_add(g, NULL, NULL);
    failures += (a == KG_NONE) + (b == KG_NONE);
    for (i = 0; i < 40 && a != KG_NONE && b != KG_NONE; i++) {
        before = kg_graph_count(g, KG_EDGE);
        e = kg_graph_edge_add(g, a, b, kg_graph_atom(g, "T", 1), NULL);
        if (e == KG_NONE && kg_graph_count(g, KG_EDGE) != before) return -1;
        failures += e == KG_NONE;
    }
    if (a != KG_NONE) {
        failures += kg_graph_prop_set(g, KG_NODE, a, g->a_name, &v) < 0;
        failures += kg_graph_label_add(g, a, kg_graph_atom(g, "L", 1)) < 0;
        failures += kg_graph_node_resolve(g, "ALPHA", NULL) != a;
        failures += kg_graph_fingerprint(g) == 0;
    }
    kg_alloc_fail_at(0);
    kg_value_release(&v);
    kg_graph_free(g);
    return failures;
}

static void test_graph_mem__oom_paths(void)
{
    unsigned long n;
    int rc = 1;

    for (n = 1; n < 400 && rc != 0; n++) {
        rc = build_with_failure(n);
        kg_assert(rc >= 0);
    }
    kg_assert(rc == 0 && n > 10); /* eventually a run needs no failure */
}

/* Label bitmaps agree with the label arrays through adds, removes,
 * deletes and new nodes past the bitmap's end; self-loop count; the
 * prefetching edge reader. */
static void test_graph_mem__label_bits_loops_fetch(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_atom A = atom(g, "A"), B = atom(g, "B"), T = atom(g, "T"),
            U = atom(g, "U");
    const uint64_t *bits;
    size_t nw, i, k;
    kg_id ids[300], e[4], edges[3], ends[3];
    kg_atom types[3];
    for (i = 0; i < 200; i++) {
        ids[i] = kg_graph_node_add(g, NULL, &err);
        if (i % 3 == 0) kg_assert(kg_graph_label_add(g, ids[i], A) == KG_OK);
        if (i % 5 == 0) kg_assert(kg_graph_label_add(g, ids[i], B) == KG_OK);
    }
    kg_assert(kg_graph_label_bits(g, atom(g, "None"), &nw) == NULL);
    kg_assert_int(nw, 0);
    bits = kg_graph_label_bits(g, A, &nw);
    kg_assert(bits != NULL);
    kg_assert(nw * 64 >= 200);
    for (i = 0; i < 200; i++) kg_assert_int(kg_graph_bit(bits, nw, ids[i]), i % 3 == 0);
    /* writes after the bitmap exists keep it exact */
    kg_assert(kg_graph_label_remove(g, ids[3], A) == KG_OK);
    kg_assert(kg_graph_label_add(g, ids[4], A) == KG_OK);
    kg_assert(kg_graph_node_delete(g, ids[6], 1, &err) == KG_OK);
    for (i = 200; i < 300; i++) { /* past the bitmap's words */
        ids[i] = kg_graph_node_add(g, NULL, &err);
        if (i % 2 == 0) kg_assert(kg_graph_label_add(g, ids[i], A) == KG_OK);
    }
    bits = kg_graph_label_bits(g, A, &nw);
    for (i = 0; i < 300; i++) {
        int want = i == 4 || (i != 3 && i != 6 && (i < 200 ? i % 3 == 0 : i % 2 == 0));
        kg_assert_int(kg_graph_bit(bits, nw, ids[i]), want);
        kg_assert_int(kg_graph_has_label(g, ids[i], A), want);
    }
    kg_assert_int(kg_graph_bit(bits, nw, 100000), 0);
    {
        const kg_id *l = kg_graph_label_nodes(g, A, &k);
        size_t n = 0;
        for (i = 0; i < 300; i++) n += kg_graph_bit(bits, nw, ids[i]);
        kg_assert_int(k, n);
        for (i = 0; i < k; i++) kg_assert(kg_graph_bit(bits, nw, l[i]));
    }
    /* self-loops */
    kg_assert_int(kg_graph_loops(g), 0);
    e[0] = kg_graph_edge_add(g, ids[1], ids[1], T, &err);
    e[1] = kg_graph_edge_add(g, ids[1], ids[2], U, &err);
    e[2] = kg_graph_edge_add(g, ids[2], ids[2], T, &err);
    e[3] = kg_graph_edge_add(g, ids[5], ids[5], T, &err);
    kg_assert_int(kg_graph_loops(g), 3);
    kg_assert(kg_graph_edge_delete(g, e[2]) == KG_OK);
    kg_assert_int(kg_graph_loops(g), 2);
    kg_assert(kg_graph_node_delete(g, ids[5], 1, &err) == KG_OK);
    kg_assert_int(kg_graph_loops(g), 1);
    /* fetch: types and either end; dead edges KG_NONE */
    edges[0] = e[1];
    edges[1] = e[0];
    edges[2] = e[2];
    kg_graph_edges_fetch(g, edges, 3, 1, types, ends);
    kg_assert_int(types[0], U);
    kg_assert_int(ends[0], ids[2]);
    kg_assert_int(types[1], T);
    kg_assert_int(ends[1], ids[1]);
    kg_assert_int(types[2], KG_NONE);
    kg_assert_int(ends[2], KG_NONE);
    kg_graph_edges_fetch(g, edges, 1, 0, NULL, ends);
    kg_assert_int(ends[0], ids[1]);
    kg_graph_free(g);
}

/* kg_graph_prop of a key kept as a column equals the node's own array
 * (kg_graph_prop_at) through sets, removals, clears, deletes and nodes
 * added after the column. */
static int prop_agrees(kg_graph *g, kg_id id, kg_atom key)
{
    const kg_value *col = kg_graph_prop(g, KG_NODE, id, key), *own = NULL;
    size_t i, n = kg_graph_prop_count(g, KG_NODE, id);
    kg_atom k;
    for (i = 0; i < n; i++) {
        const kg_value *v = kg_graph_prop_at(g, KG_NODE, id, i, &k);
        if (k == key) own = v;
    }
    if (!col || !own) return !col && !own;
    return kg_value_equal(col, own) && col->type == own->type;
}

static void test_graph_mem__prop_column(void)
{
    kg_graph *g = kg_graph_new();
    kg_error err;
    kg_atom name = atom(g, "name"), w = atom(g, "w");
    kg_value v;
    kg_id ids[120];
    size_t i;
    char buf[32];
    for (i = 0; i < 100; i++) {
        ids[i] = kg_graph_node_add(g, NULL, &err);
        snprintf(buf, sizeof buf, "node %zu", i);
        v = kg_value_string(buf, strlen(buf));
        if (i % 4) kg_assert(kg_graph_prop_set(g, KG_NODE, ids[i], name, &v) == KG_OK);
        kg_value_release(&v);
        v = kg_value_int((int64_t)i);
        kg_assert(kg_graph_prop_set(g, KG_NODE, ids[i], w, &v) == KG_OK);
    }
    kg_assert(kg_graph_prop_column(g, name) == KG_OK);
    kg_assert(kg_graph_prop_column(g, name) == KG_OK); /* twice: no-op */
    for (i = 0; i < 100; i++) kg_assert(prop_agrees(g, ids[i], name));
    v = kg_value_string("renamed", 7);
    kg_assert(kg_graph_prop_set(g, KG_NODE, ids[1], name, &v) == KG_OK);
    kg_assert(kg_graph_prop_set(g, KG_NODE, ids[4], name, &v) == KG_OK);
    kg_value_release(&v);
    kg_assert(kg_graph_prop_set(g, KG_NODE, ids[2], name, NULL) == KG_OK);
    v = KG_NULL_VALUE;
    kg_assert(kg_graph_prop_set(g, KG_NODE, ids[3], name, &v) == KG_OK);
    /* a value read from the column written back over itself */
    kg_assert(kg_graph_prop_set(g, KG_NODE, ids[5], name,
                                kg_graph_prop(g, KG_NODE, ids[5], name)) == KG_OK);
    kg_graph_prop_clear(g, KG_NODE, ids[6]);
    kg_assert(kg_graph_node_delete(g, ids[7], 1, &err) == KG_OK);
    for (i = 100; i < 120; i++) {
        ids[i] = kg_graph_node_add(g, NULL, &err);
        v = kg_value_string("late", 4);
        kg_assert(kg_graph_prop_set(g, KG_NODE, ids[i], name, &v) == KG_OK);
        kg_value_release(&v);
    }
    for (i = 0; i < 120; i++) {
        kg_assert(prop_agrees(g, ids[i], name));
        kg_assert(prop_agrees(g, ids[i], w));
    }
    {   /* the string prefixes follow the values */
        const uint8_t *lens;
        size_t n;
        const uint64_t *pre = kg_graph_prop_prefix(g, name, &lens, &n);
        kg_assert(pre != NULL && n >= 100);
        kg_assert(kg_graph_prop_prefix(g, atom(g, "other"), &lens, &n) == NULL);
        pre = kg_graph_prop_prefix(g, name, &lens, &n);
        for (i = 0; i < n; i++) {
            const kg_value *s = kg_graph_prop(g, KG_NODE, ids[i], name);
            if (!s) continue;
            kg_assert(pre[ids[i]] == kg_graph_prefix_of(s->u.str->s, s->u.str->len));
            kg_assert_int(lens[ids[i]], s->u.str->len);
        }
        kg_assert(kg_graph_prefix_of("renamed", 7) == pre[ids[4]]);
        kg_assert(kg_graph_prefix_of("ab", 2) < kg_graph_prefix_of("ab\001", 3));
    }
    kg_assert_str(kg_graph_prop(g, KG_NODE, ids[4], name)->u.str->s, "renamed");
    kg_assert_str(kg_graph_prop(g, KG_NODE, ids[5], name)->u.str->s, "node 5");
    kg_assert(kg_graph_prop(g, KG_NODE, ids[2], name) == NULL);
    kg_assert(kg_graph_prop(g, KG_NODE, ids[6], name) == NULL);
    kg_assert(kg_graph_prop(g, KG_NODE, ids[7], name) == NULL);
    kg_assert(kg_graph_prop(g, KG_NODE, ids[0], name) == NULL);
    kg_assert_str(kg_graph_prop(g, KG_NODE, ids[110], name)->u.str->s, "late");
    kg_graph_free(g);
}

KG_TEST_LIST = {
    {"graph::mem::nodes_and_keys", test_graph_mem__nodes_and_keys},
    {"graph::mem::edges_and_adjacency", test_graph_mem__edges_and_adjacency},
    {"graph::mem::labels_and_index", test_graph_mem__labels_and_index},
    {"graph::mem::properties", test_graph_mem__properties},
    {"graph::mem::hub_node", test_graph_mem__hub_node},
    {"graph::mem::oom_paths", test_graph_mem__oom_paths},
    {"graph::mem::label_bits_loops_fetch", test_graph_mem__label_bits_loops_fetch},
    {"graph::mem::prop_column", test_graph_mem__prop_column},
    {NULL, NULL},
};

KG_TEST_MAIN
