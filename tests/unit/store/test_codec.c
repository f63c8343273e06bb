/* test_codec.c - the store's binary encodings (store_codec.c): every value
 * type round-trips, equal properties give equal bytes, edge lists keep
 * their order and repeats, malformed bytes are refused rather than read
 * past, and an edge list too big for one row is a clear error. */
#include <math.h>

#include "graph_int.h"
#include "store_int.h"
#include "store_test.h"

/* enc then dec of v gives a value kg_value__cmp-equal to v (NaN too). */
static int roundtrip(const kg_value *v)
{
    kg_buf b = KG_BUF_INIT;
    kg_value out;
    kg_rd r;
    int ok;

    if (kg_store__enc_value(&b, v) != KG_OK) return 0;
    r.p = (const unsigned char *)b.data;
    r.end = r.p + b.len;
    ok = kg_store__dec_value(&r, &out) == KG_OK && r.p == r.end;
    if (ok) {
        ok = out.type == v->type;
        if (ok && v->type == KG_VFLOAT && isnan(v->u.f))
            ok = isnan(out.u.f);
        else if (ok)
            ok = kg_value_equal(&out, v) && out.type == v->type;
        if (ok && v->type == KG_VFLOAT && v->u.f == 0)
            ok = signbit(out.u.f) == signbit(v->u.f);
        kg_value_release(&out);
    }
    kg_buf_free(&b);
    return ok;
}

static void test_store_codec__values(void)
{
    static const int64_t ints[] = {0,  1,   -1,   63,        -64,
                                   64, 300, -300, INT64_MAX, INT64_MIN};
    static const double floats[] = {0.0, -0.0, 1.5, -2.25, 1e300, 5e-324};
    kg_value v, l, m, inner;
    size_t i;

    v = KG_NULL_VALUE;
    kg_assert(roundtrip(&v));
    v = kg_value_bool(1);
    kg_assert(roundtrip(&v));
    v = kg_value_bool(0);
    kg_assert(roundtrip(&v));
    for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        v = kg_value_int(ints[i]);
        kg_assert(roundtrip(&v));
    }
    for (i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        v = kg_value_float(floats[i]);
        kg_assert(roundtrip(&v));
    }
    v = kg_value_float(NAN);
    kg_assert(roundtrip(&v));
    v = kg_value_float(-INFINITY);
    kg_assert(roundtrip(&v));
    v = kg_value_string("", 0);
    kg_assert(roundtrip(&v));
    kg_value_release(&v);
    v = kg_value_string("caf\xc3\xa9 \"q\"\n\0x", 12); /* NUL inside */
    kg_assert(roundtrip(&v));
    kg_value_release(&v);
    v = kg_value_date("2024-02-29", 10);
    kg_assert(roundtrip(&v));
    kg_value_release(&v);

    /* [1, "a", [], {"$date": "x", "k": [true]}] */
    l = kg_value_list(0);
    kg_assert(kg_value_list_push(&l, kg_value_int(1)) == KG_OK);
    kg_assert(kg_value_list_push(&l, kg_value_string("a", 1)) == KG_OK);
    kg_assert(kg_value_list_push(&l, kg_value_list(0)) == KG_OK);
    m = kg_value_map();
    inner = kg_value_list(0);
    kg_assert(kg_value_list_push(&inner, kg_value_bool(1)) == KG_OK);
    kg_assert(kg_value_map_set(&m, "k", 1, inner) == KG_OK);
    kg_assert(kg_value_map_set(&m, "$date", 5, kg_value_string("x", 1)) ==
              KG_OK);
    kg_assert(kg_value_list_push(&l, m) == KG_OK);
    kg_assert(roundtrip(&l));
    kg_value_release(&l);

    v = kg_value_node(3); /* not storable */
    {
        kg_buf b = KG_BUF_INIT;
        kg_assert_int(kg_store__enc_value(&b, &v), KG_ETYPE);
        kg_buf_free(&b);
    }
}

/* Property encodings are canonical: order of the record does not matter,
 * the last of a repeated key wins, and nothing is written for none. */
static void test_store_codec__props_canonical(void)
{
    kg_prop a[3], b[2];
    kg_buf ea = KG_BUF_INIT, eb = KG_BUF_INIT;
    kg_error err;
    kg_rd r;
    uint64_t n;
    const char *k;
    size_t klen;
    kg_value v;

    a[0].key = (char *)"z";
    a[0].val = kg_value_int(1);
    a[1].key = (char *)"a";
    a[1].val = kg_value_int(7);
    a[2].key = (char *)"z";
    a[2].val = kg_value_int(2);
    b[0].key = (char *)"a";
    b[0].val = kg_value_int(7);
    b[1].key = (char *)"z";
    b[1].val = kg_value_int(2);
    kg_assert_int(kg_store__enc_props(&ea, a, 3, "x.md", &err), KG_OK);
    kg_assert_int(kg_store__enc_props(&eb, b, 2, "x.md", &err), KG_OK);
    kg_assert(ea.len == eb.len && memcmp(ea.data, eb.data, ea.len) == 0);

    r.p = (const unsigned char *)ea.data;
    r.end = r.p + ea.len;
    kg_assert(kg_store__dec_u(&r, &n) == KG_OK && n == 2);
    kg_assert(kg_store__dec_prop(&r, &k, &klen, &v) == KG_OK);
    kg_assert(klen == 1 && k[0] == 'a' && v.type == KG_VINT && v.u.i == 7);
    kg_assert(kg_store__dec_prop(&r, &k, &klen, &v) == KG_OK);
    kg_assert(klen == 1 && k[0] == 'z' && v.type == KG_VINT && v.u.i == 2);
    kg_assert(r.p == r.end);

    kg_buf_reset(&ea);
    kg_assert_int(kg_store__enc_props(&ea, a, 0, "x.md", &err), KG_OK);
    kg_assert_int(ea.len, 0);
    a[0].val = kg_value_rel(1);
    kg_assert_int(kg_store__enc_props(&ea, a, 1, "x.md", &err), KG_ETYPE);
    kg_assert_str(err.msg,
                  "x.md: property 'z' cannot be stored (a Relationship)");
    kg_buf_free(&ea);
    kg_buf_free(&eb);
}

static void test_store_codec__edges(void)
{
    kg_edge_rec e[3];
    kg_buf blob = KG_BUF_INIT, props = KG_BUF_INIT, none = KG_BUF_INIT;
    kg_edge_iter it;
    kg_value w = kg_value_float(0.5);
    kg_prop p = {(char *)"w", KG_NULL_VALUE};
    kg_error err;
    int i;

    memset(e, 0, sizeof e);
    e[0].src = e[1].src = (char *)"a";
    e[2].src = (char *)"b";
    e[0].type = e[1].type = e[2].type = (char *)"USES";
    e[0].dst = (char *)"x";
    e[1].dst = (char *)"";
    e[2].dst = (char *)"Some Name";
    for (i = 0; i < 3; i++) {
        e[i].line = 10 + (uint32_t)i;
        e[i].col = 300;
    }
    p.val = w;
    kg_assert_int(kg_store__enc_props(&props, &p, 1, "x", &err), KG_OK);
    kg_store__enc_count(&blob, 3);
    kg_assert(kg_store__enc_edge(&blob, &e[0], NULL, &none) == KG_OK);
    kg_assert(kg_store__enc_edge(&blob, &e[1], &e[0], &props) == KG_OK);
    kg_assert(kg_store__enc_edge(&blob, &e[2], &e[1], &none) == KG_OK);

    kg_assert(kg_store__edges_open(&it, blob.data, blob.len) == KG_OK);
    for (i = 0; i < 3; i++) {
        kg_assert_int(kg_store__edges_next(&it), 1);
        kg_assert_str(it.cur.src, e[i].src);
        kg_assert_str(it.cur.type, "USES");
        kg_assert_str(it.cur.dst, e[i].dst);
        kg_assert_int(it.cur.dstlen, strlen(e[i].dst));
        kg_assert_int(it.cur.line, 10 + i);
        kg_assert_int(it.cur.col, 300);
        kg_assert_int(it.cur.nprops, i == 1 ? props.len : 0);
        if (i == 1) kg_assert(memcmp(it.cur.props, props.data, props.len) == 0);
    }
    kg_assert_int(kg_store__edges_next(&it), 0);

    /* No edges: NULL and empty both read as an empty list. */
    kg_assert(kg_store__edges_open(&it, NULL, 0) == KG_OK);
    kg_assert_int(kg_store__edges_next(&it), 0);

    /* Every truncation of the blob is refused, never read past. */
    for (i = 1; i < (int)blob.len; i++) {
        char *cut = kg_malloc((size_t)i);
        int rc = KG_OK, n = 0;
        kg_assert(cut != NULL);
        memcpy(cut, blob.data, (size_t)i);
        if (kg_store__edges_open(&it, cut, (size_t)i) == KG_OK)
            while ((rc = kg_store__edges_next(&it)) == 1)
                n++;
        else
            rc = KG_ESTORE;
        kg_free(cut);
        kg_assert(rc == KG_ESTORE);
    }
    kg_buf_free(&blob);
    kg_buf_free(&props);
}

static int dec(const unsigned char *p, size_t n)
{
    kg_rd r;
    kg_value v;
    int rc;

    r.p = p;
    r.end = p + n;
    rc = kg_store__dec_value(&r, &v);
    if (rc == KG_OK) kg_value_release(&v);
    return rc;
}

/* Hostile bytes: a bad tag, a length past the end, a bomb of nested lists
 * deeper than the limit. */
static void test_store_codec__malformed(void)
{
    static const unsigned char badtag[] = {0x7f};
    static const unsigned char longstr[] = {KG_VSTRING, 0x05, 'a', 'b'};
    static const unsigned char longlist[] = {KG_VLIST, 0xff, 0xff, 0x03};
    static const unsigned char badbool[] = {KG_VBOOL, 2};
    static const unsigned char overlong[] = {KG_VINT, 0xff, 0xff, 0xff,
                                             0xff,    0xff, 0xff, 0xff,
                                             0xff,    0xff, 0xff, 0x01};
    unsigned char bomb[2 * (KG_JSON_MAX_DEPTH + 2)];
    size_t i;

    kg_assert_int(dec(badtag, sizeof badtag), KG_ESTORE);
    kg_assert_int(dec(longstr, sizeof longstr), KG_ESTORE);
    kg_assert_int(dec(longlist, sizeof longlist), KG_ESTORE);
    kg_assert_int(dec(badbool, sizeof badbool), KG_ESTORE);
    kg_assert_int(dec(overlong, sizeof overlong), KG_ESTORE);
    kg_assert_int(dec(badtag, 0), KG_ESTORE);
    for (i = 0; i + 1 < sizeof bomb; i += 2) {
        bomb[i] = KG_VLIST;
        bomb[i + 1] = 1;
    }
    kg_assert_int(dec(bomb, sizeof bomb), KG_ESTORE);
    /* The same nesting within the limit reads. */
    kg_assert_int(dec(bomb + sizeof bomb - 2 * 10, 2 * 10 - 1), KG_ESTORE);
    bomb[sizeof bomb - 1] = 0; /* innermost list empty */
    kg_assert_int(dec(bomb + sizeof bomb - 2 * 10, 2 * 10), KG_OK);
}

/* All of a file's edges are one row: past SQLite's length limit the put is
 * refused with a message naming the file, and the version stays usable. */
static void test_store_codec__edge_limit(void)
{
    char path[600], spec[512];
    kg_store *st = NULL;
    kg_error err;
    int64_t vid;
    int i;

    kg_assert(st_tmpfile(path, sizeof path, "kg.db") == 0);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_CREATE, &err), KG_OK);
    sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, 200);
    spec[0] = '\0';
    for (i = 0; i < 30; i++)
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec),
                 "%sREL>target-%02d", i ? ";" : "", i);
    kg_assert_int(st_begin(st, "", 0, &vid, &err), KG_OK);
    kg_assert_int(
        st_put(st, "big.md", "big", NULL, NULL, NULL, spec, NULL, 0, &err),
        KG_ELIMIT);
    kg_assert(strstr(err.msg, "big.md: too many edges in one file to store "
                              "(30, ") != NULL);
    kg_assert_str(err.source, path);
    kg_assert_int(
        st_put(st, "ok.md", "ok", NULL, NULL, NULL, "REL>big", NULL, 0, &err),
        KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_store_close(st);
    st_remove(path);
}

KG_TEST_LIST = {
    {"store::codec::values", test_store_codec__values},
    {"store::codec::props_canonical", test_store_codec__props_canonical},
    {"store::codec::edges", test_store_codec__edges},
    {"store::codec::malformed", test_store_codec__malformed},
    {"store::codec::edge_limit", test_store_codec__edge_limit},
    {NULL, NULL}};

KG_TEST_MAIN
