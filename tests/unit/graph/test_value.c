/* test_value.c - kg_value construction, reference counting, copy on write,
 * equality and hashing, and the kg_doc record builders. */
#include <math.h>

#include "graph_int.h"
#include "kg_test.h"
#include "store_int.h"

static void test_graph_value__scalars(void)
{
    kg_value s = kg_value_string("a\0b", 3), d = kg_value_date("2021-08-24", 10);
    kg_value i = kg_value_int(3), f = kg_value_float(3.0), h = kg_value_float(3.5);
    kg_value big = kg_value_int(INT64_MAX), bigf = kg_value_float(9.2233720368547758e18);

    kg_assert_int(s.type, KG_VSTRING);
    kg_assert_int(s.u.str->len, 3);
    kg_assert(memcmp(s.u.str->s, "a\0b", 4) == 0); /* NUL-ended too */
    kg_assert_int(d.type, KG_VDATE);
    kg_assert(!kg_value_equal(&s, &d));
    kg_assert(kg_value_equal(&i, &f)); /* ints and floats compare as numbers */
    kg_assert(kg_value_hash(&i) == kg_value_hash(&f));
    kg_assert(!kg_value_equal(&i, &h));
    kg_assert(!kg_value_equal(&big, &bigf)); /* 2^63 is not INT64_MAX */
    kg_assert(kg_value__cmp(&i, &f) != 0);   /* canonical order keeps types */
    kg_assert_str(kg_value_type_name(KG_VREL), "Relationship");
    kg_assert_str(kg_value_type_name(KG_VDATE), "Date");
    kg_assert_str(kg_value_type_name(99), "Unknown");
    kg_value_release(&s);
    kg_value_release(&d);
    kg_assert_int(s.type, KG_VNULL);
}

static void test_graph_value__refcount_and_cow(void)
{
    kg_value l = kg_value_list(0), copy, x;
    int k;

    for (k = 0; k < 100; k++)
        kg_assert_int(kg_value_list_push(&l, kg_value_int(k)), 0);
    kg_assert_int(l.u.list->len, 100);
    copy = kg_value_retain(&l);
    kg_assert(copy.u.list == l.u.list);
    kg_assert_int(l.u.list->refs, 2);
    /* pushing onto a shared list copies it first */
    kg_assert_int(kg_value_list_push(&copy, kg_value_string("s", 1)), 0);
    kg_assert(copy.u.list != l.u.list);
    kg_assert_int(l.u.list->len, 100);
    kg_assert_int(copy.u.list->len, 101);
    kg_assert_int(l.u.list->refs, 1);
    x = kg_value_list(3);
    kg_assert_int(x.u.list->items[2].type, KG_VNULL);
    kg_value_list_set(&x, 2, kg_value_retain(&l));
    kg_assert_int(l.u.list->refs, 2);
    kg_value_release(&x);
    kg_assert_int(l.u.list->refs, 1);
    kg_assert_int(kg_value_list_push(&x, kg_value_int(1)), KG_ETYPE);
    kg_value_release(&copy);
    kg_value_release(&l);
}

static void test_graph_value__maps(void)
{
    kg_value m = kg_value_map(), m2, shared;
    const kg_value *v;

    kg_assert_int(kg_value_map_set(&m, "zeta", 4, kg_value_int(1)), 0);
    kg_assert_int(kg_value_map_set(&m, "alpha", 5, kg_value_int(2)), 0);
    kg_assert_int(kg_value_map_set(&m, "mid", 3, kg_value_int(3)), 0);
    kg_assert_int(kg_value_map_set(&m, "alpha", 5, kg_value_int(4)), 0);
    kg_assert_int(m.u.map->len, 3);
    kg_assert_str(m.u.map->keys[0]->s, "alpha"); /* sorted, unique */
    kg_assert_str(m.u.map->keys[2]->s, "zeta");
    v = kg_value_map_get(&m, "alpha");
    kg_assert(v != NULL && v->u.i == 4);
    kg_assert(kg_value_map_get(&m, "nope") == NULL);
    shared = kg_value_retain(&m);
    kg_assert_int(kg_value_map_set(&shared, "new", 3, kg_value_bool(1)), 0);
    kg_assert_int(m.u.map->len, 3); /* copy on write */
    kg_assert_int(shared.u.map->len, 4);
    m2 = kg_value_map();
    kg_value_map_set(&m2, "mid", 3, kg_value_float(3.0));
    kg_value_map_set(&m2, "zeta", 4, kg_value_int(1));
    kg_value_map_set(&m2, "alpha", 5, kg_value_int(4));
    kg_assert(kg_value_equal(&m, &m2));
    kg_assert(kg_value_hash(&m) == kg_value_hash(&m2));
    kg_assert(!kg_value_equal(&m, &shared));
    kg_value_release(&m);
    kg_value_release(&m2);
    kg_value_release(&shared);
}

static void test_graph_value__nan_and_oom(void)
{
    kg_value n1 = kg_value_float(NAN), n2 = kg_value_float(NAN), s;

    kg_assert(!kg_value_equal(&n1, &n2)); /* IEEE: NaN is not NaN */
    kg_assert_int(kg_value__cmp(&n1, &n2), 0); /* canonical form: same */
    kg_alloc_fail_at(1);
    s = kg_value_string("x", 1);
    kg_assert_int(s.type, KG_VNULL);
    kg_alloc_fail_at(0);
}

static void test_graph_value__doc(void)
{
    kg_doc d;
    kg_node_rec *n;
    kg_edge_rec *e;

    kg_assert_int(kg_doc_init(&d, "notes/sagemaker.md"), 0);
    n = kg_doc_node(&d, "sagemaker", 1);
    kg_assert(n != NULL);
    kg_assert_int(kg_doc_node_label(n, "Service"), 0);
    kg_assert_int(kg_doc_node_label(n, "Service"), 0);
    kg_assert_int(n->nlabels, 1);
    kg_assert_int(kg_doc_node_prop(n, "tier", kg_value_int(1)), 0);
    kg_assert_int(kg_doc_node_prop(n, "tier", kg_value_int(2)), 0);
    kg_assert_int(n->nprops, 1);
    kg_assert_int(n->props[0].val.u.i, 2); /* last declaration wins */
    e = kg_doc_edge(&d, "sagemaker", "USES", "EC2", 4, 7);
    kg_assert(e != NULL);
    kg_assert_int(kg_doc_edge_prop(e, "source", kg_value_string("seed", 4)), 0);
    kg_assert_str(e->dst, "EC2");
    kg_assert_int(e->col, 7);
    kg_assert_int(kg_doc_diag(&d, KG_SEV_WARNING, 5, 2, "unknown key '%s'",
                              "colour"), 0);
    kg_assert_str(d.diags[0].msg, "unknown key 'colour'");
    kg_assert_str(d.path, "notes/sagemaker.md");
    /* a failing property append releases the value it was given */
    kg_alloc_fail_at(1);
    kg_assert_int(kg_doc_node_prop(n, "other", kg_value_int(5)), KG_ENOMEM);
    kg_alloc_fail_at(0);
    kg_assert_int(n->nprops, 1);
    kg_doc_free(&d);
    kg_assert(d.nodes == NULL && d.path == NULL);
    kg_doc_free(&d); /* twice is harmless */
}

/* Parse text as type and print the value made from the parts again. */
static const char *canon(int type, const char *text, char *buf, size_t cap)
{
    kg_temporal t;
    kg_value v;
    kg_error err;
    if (kg_temporal_parse(&t, type, text, strlen(text), &err) < 0) {
        snprintf(buf, cap, "ERR:%s", err.msg);
        return buf;
    }
    if (kg_temporal_make(&v, &t, &err) < 0) {
        snprintf(buf, cap, "ERR:%s", err.msg);
        return buf;
    }
    snprintf(buf, cap, "%s", v.u.str->s);
    kg_value_release(&v);
    return buf;
}

static kg_value tv(int type, const char *text)
{
    kg_temporal t;
    kg_value v = KG_NULL_VALUE;
    if (kg_temporal_parse(&t, type, text, strlen(text), NULL) == KG_OK)
        kg_temporal_make(&v, &t, NULL);
    return v;
}

static void test_graph_value__temporal_text(void)
{
    char b[128];
    kg_assert_str(canon(KG_VLOCALTIME, "12:31:14.645000", b, sizeof b),
                  "12:31:14.645");
    kg_assert_str(canon(KG_VLOCALTIME, "123114", b, sizeof b), "12:31:14");
    kg_assert_str(canon(KG_VTIME, "10:35:00+00:00", b, sizeof b), "10:35Z");
    kg_assert_str(canon(KG_VTIME, "10:35-0830", b, sizeof b), "10:35-08:30");
    kg_assert_str(canon(KG_VDATE, "2015-W30-2", b, sizeof b), "2015-07-21");
    kg_assert_str(canon(KG_VDATE, "2015-202", b, sizeof b), "2015-07-21");
    kg_assert_str(canon(KG_VDATE, "+12015-01-01", b, sizeof b), "+12015-01-01");
    kg_assert_str(canon(KG_VDATE, "-0044-03-15", b, sizeof b), "-0044-03-15");
    kg_assert_str(canon(KG_VLOCALDATETIME, "2016-02-29T23:59:59.999999999", b,
                        sizeof b),
                  "2016-02-29T23:59:59.999999999");
    kg_assert_str(canon(KG_VDATETIME, "2015-07-21T21:40:32.142+0100[UTC]",
                        b, sizeof b),
                  "2015-07-21T21:40:32.142+01:00");
    kg_assert_str(canon(KG_VDURATION, "P1Y14M-3DT25H61M0.5S", b, sizeof b),
                  "P2Y2M-3DT26H1M0.5S");
    kg_assert_str(canon(KG_VDURATION, "PT-1.5S", b, sizeof b), "PT-1.5S");
    kg_assert_str(canon(KG_VDURATION, "P0.75M", b, sizeof b),
                  "P22DT19H51M49.5S");
    kg_assert_str(canon(KG_VDURATION, "PT0S", b, sizeof b), "PT0S");
    kg_assert_str(canon(KG_VDATE, "2015-02-29", b, sizeof b),
                  "ERR:'2015-02-29' is not a date");
    kg_assert_str(canon(KG_VDATE, "2016-W53-1", b, sizeof b),
                  "ERR:'2016-W53-1' is not a date");
    kg_assert_str(canon(KG_VTIME, "10:00[Europe/Stockholm]", b, sizeof b),
                  "ERR:named time zones are not supported in "
                  "'10:00[Europe/Stockholm]' (use an offset such as "
                  "'+01:00')");
    kg_assert_str(canon(KG_VTIME, "10:00+19:00", b, sizeof b),
                  "ERR:'10:00+19:00' is not a time");
    kg_assert_str(canon(KG_VDURATION, "P1H", b, sizeof b),
                  "ERR:'P1H' is not a duration");
}

static void test_graph_value__temporal_semantics(void)
{
    kg_value a = tv(KG_VTIME, "12:00+01:00"), b = tv(KG_VTIME, "11:00Z");
    kg_value c = tv(KG_VTIME, "11:00Z"), d1 = tv(KG_VDURATION, "P1D");
    kg_value d2 = tv(KG_VDURATION, "PT24H"), m1 = tv(KG_VDURATION, "P1M"), sum;
    kg_value dt = tv(KG_VDATETIME, "2016-01-31T23:00-01:00");
    kg_buf enc = KG_BUF_INIT;
    kg_rd r;
    kg_value back;
    kg_error err;

    kg_assert_int(a.type, KG_VTIME);
    kg_assert_str(kg_value_type_name(KG_VTIME), "Time");
    kg_assert_str(kg_value_type_name(KG_VDURATION), "Duration");
    /* same instant, different offsets: ordered as equal instants, but two
     * values (the text differs), so DISTINCT keeps both */
    kg_assert_int(kg_temporal_cmp(&a, &b), 0);
    kg_assert(kg_temporal_order(&a, &b) != 0);
    kg_assert(!kg_value_equal(&a, &b));
    kg_assert(kg_value_equal(&b, &c));
    kg_assert(kg_value_hash(&b) == kg_value_hash(&c));
    /* durations: a day is not 24 hours, and they are not comparable */
    kg_assert(!kg_value_equal(&d1, &d2));
    kg_assert_int(kg_temporal_cmp(&d1, &d2), 2);
    kg_assert(kg_temporal_order(&d1, &d2) > 0);
    /* month arithmetic clamps to the month's end, offsets stay */
    kg_assert_int(kg_temporal_add(&sum, &dt, &m1, 1, &err), KG_OK);
    kg_assert_str(sum.u.str->s, "2016-02-29T23:00-01:00");
    kg_value_release(&sum);
    kg_assert_int(kg_temporal_add(&sum, &dt, &d2, -1, &err), KG_OK);
    kg_assert_str(sum.u.str->s, "2016-01-30T23:00-01:00");
    kg_value_release(&sum);
    kg_assert_int(kg_temporal_add(&sum, &dt, &a, 1, &err), KG_ETYPE);
    /* the store codec keeps the type */
    kg_assert_int(kg_store__enc_value(&enc, &dt), KG_OK);
    r.p = (const unsigned char *)enc.data;
    r.end = r.p + enc.len;
    kg_assert_int(kg_store__dec_value(&r, &back), KG_OK);
    kg_assert_int(back.type, KG_VDATETIME);
    kg_assert(kg_value_equal(&back, &dt));
    kg_value_release(&back);
    kg_buf_free(&enc);
    kg_value_release(&a);
    kg_value_release(&b);
    kg_value_release(&c);
    kg_value_release(&d1);
    kg_value_release(&d2);
    kg_value_release(&m1);
    kg_value_release(&dt);
}

KG_TEST_LIST = {
    {"graph::value::scalars", test_graph_value__scalars},
    {"graph::value::refcount_and_cow", test_graph_value__refcount_and_cow},
    {"graph::value::maps", test_graph_value__maps},
    {"graph::value::nan_and_oom", test_graph_value__nan_and_oom},
    {"graph::value::doc", test_graph_value__doc},
    {"graph::value::temporal_text", test_graph_value__temporal_text},
    {"graph::value::temporal_semantics", test_graph_value__temporal_semantics},
    {NULL, NULL},
};

KG_TEST_MAIN
