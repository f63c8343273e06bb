/* test_json.c - the JSON export parses back (kg_json_parse) to the graph:
 * every node with its labels and properties, every edge with its endpoints,
 * type and properties, each value of the type it had (dates as strings,
 * NaN and infinities as null, invalid UTF-8 as U+FFFD). */
#include "export_fixture.h"
#include "graph_int.h"
#include "kg_test.h"

/* s with invalid UTF-8 replaced by U+FFFD, as a string value. */
static kg_value clean_str(const char *s, size_t len)
{
    kg_buf b = KG_BUF_INIT;
    kg_value v;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = kg_utf8__decode(s + i, len - i, &cp);
        if (n == 0) {
            kg_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        } else {
            kg_buf_put(&b, s + i, n);
            i += n;
        }
    }
    v = kg_value_string(b.data ? b.data : "", b.len);
    kg_buf_free(&b);
    return v;
}

/* What the JSON export promises for graph value v. */
static kg_value expected(const kg_value *v)
{
    kg_value out;
    uint32_t i;

    switch (v->type) {
    case KG_VFLOAT:
        if (isnan(v->u.f) || isinf(v->u.f)) return KG_NULL_VALUE;
        return kg_value_retain(v);
    case KG_VSTRING:
    case KG_VDATE: return clean_str(v->u.str->s, v->u.str->len);
    case KG_VLIST:
        out = kg_value_list(v->u.list->len);
        for (i = 0; i < v->u.list->len; i++)
            kg_value_list_set(&out, i, expected(&v->u.list->items[i]));
        return out;
    case KG_VMAP:
        out = kg_value_map();
        for (i = 0; i < v->u.map->len; i++)
            kg_value_map_set(&out, v->u.map->keys[i]->s, v->u.map->keys[i]->len,
                             expected(&v->u.map->vals[i]));
        return out;
    default: return kg_value_retain(v);
    }
}

static const kg_value *get(const kg_value *map, const char *k)
{
    return map && map->type == KG_VMAP ? kg_value_map_get(map, k) : NULL;
}

/* 1 when props (a parsed map) holds exactly the element's properties. */
static int same_props(const kg_graph *g, kg_elem kind, kg_id id,
                      const kg_value *props, int verbose)
{
    size_t i, n = kg_graph_prop_count(g, kind, id);
    int ok = props != NULL && props->type == KG_VMAP && props->u.map->len == n;

    for (i = 0; ok && i < n; i++) {
        kg_atom a;
        const kg_value *v = kg_graph_prop_at(g, kind, id, i, &a);
        kg_value want = expected(v);
        kg_value key = clean_str(kg_graph_atom_str(g, a),
                                 strlen(kg_graph_atom_str(g, a)));
        const kg_value *got = kg_value_map_get(props, key.u.str->s);
        ok = got != NULL && got->type == want.type &&
             kg_value_equal(got, &want);
        if (!ok && verbose) fprintf(stderr, "property '%s' differs\n", key.u.str->s);
        kg_value_release(&want);
        kg_value_release(&key);
    }
    return ok;
}

static void check_parse_back(const kg_graph *g)
{
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_JSON, NULL, NULL, NULL};
    kg_value doc = KG_NULL_VALUE;
    const kg_value *nodes, *edges;
    kg_error err;
    uint8_t used[256] = {0};
    size_t i, j;

    kg_assert_int(kg_export(&out, g, NULL, &o, &err), KG_OK);
    kg_assert(kg_utf8_valid(out.data, out.len));
    kg_assert_int(kg_json_parse(&doc, out.data, out.len, 0, &err), KG_OK);
    nodes = get(&doc, "nodes");
    edges = get(&doc, "edges");
    kg_assert(nodes && nodes->type == KG_VLIST && edges && edges->type == KG_VLIST);
    kg_assert_int(nodes->u.list->len, kg_graph_count(g, KG_NODE));
    kg_assert_int(edges->u.list->len, kg_graph_count(g, KG_EDGE));
    for (i = 0; i < nodes->u.list->len; i++) {
        const kg_value *n = &nodes->u.list->items[i];
        const kg_value *id = get(n, "id"), *labels = get(n, "labels");
        kg_id nid;
        size_t nl;
        const kg_atom *la;
        kg_assert(id && id->type == KG_VSTRING);
        nid = kg_graph_node_find(g, id->u.str->s);
        kg_assert(nid != KG_NONE);
        la = kg_graph_labels(g, nid, &nl);
        kg_assert(labels && labels->type == KG_VLIST && labels->u.list->len == nl);
        for (j = 0; j < nl; j++)
            kg_assert_str(labels->u.list->items[j].u.str->s,
                          kg_graph_atom_str(g, la[j]));
        kg_assert(same_props(g, KG_NODE, nid, get(n, "properties"), 1));
    }
    for (i = 0; i < edges->u.list->len; i++) {
        const kg_value *e = &edges->u.list->items[i];
        const kg_value *s = get(e, "source"), *d = get(e, "target"),
                       *t = get(e, "type");
        size_t cap = kg_graph_cap(g, KG_EDGE);
        kg_assert(s && d && t && get(e, "id") != NULL);
        for (j = 0; j < cap && j < sizeof used; j++) {
            if (used[j] || !kg_graph_alive(g, KG_EDGE, (kg_id)j)) continue;
            if (strcmp(s->u.str->s, kg_graph_node_key(g, kg_graph_edge_src(g, (kg_id)j))) ||
                strcmp(d->u.str->s, kg_graph_node_key(g, kg_graph_edge_dst(g, (kg_id)j))) ||
                strcmp(t->u.str->s, kg_graph_atom_str(g, kg_graph_edge_type(g, (kg_id)j))))
                continue;
            if (!same_props(g, KG_EDGE, (kg_id)j, get(e, "properties"), 0)) continue;
            used[j] = 1;
            break;
        }
        kg_assert(j < cap); /* matched a graph edge not matched before */
    }
    kg_value_release(&doc);
    kg_buf_free(&out);
}

static void test_export_json__typed_parse_back(void)
{
    kg_graph *g = fx_typed(2);
    check_parse_back(g);
    kg_graph_free(g);
}

/* Keys, labels and types with invalid UTF-8 are not exact; the others are. */
static void test_export_json__hostile_parse_back(void)
{
    kg_graph *g = kg_graph_new();
    kg_graph *h = fx_hostile(0);
    size_t i, cap = kg_graph_cap(h, KG_NODE);
    kg_buf out = KG_BUF_INIT;
    kg_export_opts o = {KG_FMT_JSON, NULL, NULL, NULL};
    kg_value doc;
    kg_error err;

    /* the hostile graph minus invalid UTF-8 in keys, labels and types */
    kg_assert_int(kg_export(&out, h, NULL, &o, &err), KG_OK);
    kg_assert_int(kg_json_parse(&doc, out.data, out.len, 0, &err), KG_OK);
    kg_assert(strstr(out.data, "\"name\":\"nul\\u0000inside\"") != NULL);
    kg_assert(strstr(out.data, "\"id\":\"trailing\\\\#2\"") != NULL);
    kg_assert(strstr(out.data, "\"name\":\"bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD(\"") != NULL);
    kg_value_release(&doc);
    for (i = 0; i < cap; i++) {
        const char *key = kg_graph_node_key(h, (kg_id)i);
        kg_id n;
        size_t j, np, nl;
        const kg_atom *la;
        if (!kg_graph_alive(h, KG_NODE, (kg_id)i) || !kg_utf8_valid(key, strlen(key)))
            continue;
        n = kg_graph_node_add(g, key, NULL);
        np = kg_graph_prop_count(h, KG_NODE, (kg_id)i);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(h, KG_NODE, (kg_id)i, j, &a);
            const char *name = kg_graph_atom_str(h, a);
            kg_graph_prop_set(g, KG_NODE, n, kg_graph_atom(g, name, strlen(name)), v);
        }
        la = kg_graph_labels(h, (kg_id)i, &nl);
        for (j = 0; j < nl; j++) {
            const char *l = kg_graph_atom_str(h, la[j]);
            if (kg_utf8_valid(l, strlen(l)))
                kg_graph_label_add(g, n, kg_graph_atom(g, l, strlen(l)));
        }
    }
    check_parse_back(g);
    kg_buf_free(&out);
    kg_graph_free(g);
    kg_graph_free(h);
}

KG_TEST_LIST = {
    {"export::json::typed_parse_back", test_export_json__typed_parse_back},
    {"export::json::hostile_parse_back", test_export_json__hostile_parse_back},
    {NULL, NULL}
};

KG_TEST_MAIN
