/* func_graph.c - functions over graph elements and paths: id, labels, type,
 * keys, properties, startNode, endNode, nodes, relationships, length,
 * exists, coalesce, plus the planner's hidden property-map matcher.
 *
 * Every function returns null for a null argument (openCypher's rule for
 * scalar functions) and a type error, naming the function and the type it
 * got, for an argument of the wrong kind.
 */
#include "query_int.h"

static int dead(kg_exec *x, const ast_expr *call, const kg_value *v)
{
    return kg_exec__fail(x, KG_ETYPE, call->span, "%s() of a deleted %s",
                         call->fn->name,
                         v->type == KG_VNODE ? "node" : "relationship");
}

static int f_id(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                kg_value *out)
{
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VNODE && a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a node or relationship", &a[0]);
    *out = kg_value_int(a[0].u.id);
    return KG_OK;
}

static int f_labels(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                    kg_value *out)
{
    size_t count, i;
    const kg_atom *labels;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VNODE)
        return kg_func__argerr(x, c, 0, "a node", &a[0]);
    if (!kg_graph_alive(x->g, KG_NODE, a[0].u.id)) return dead(x, c, &a[0]);
    labels = kg_graph_labels(x->g, a[0].u.id, &count);
    *out = kg_value_list(count);
    if (out->type != KG_VLIST)
        return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    for (i = 0; i < count; i++) kg_value_list_set(out, i, kg_qv__atom(x, labels[i]));
    return KG_OK;
}

static int f_type(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a relationship", &a[0]);
    /* a deleted relationship keeps its type (RETURN type(r) after DELETE) */
    *out = kg_qv__atom(x, kg_graph_edge_type(x->g, a[0].u.id));
    return out->type == KG_VSTRING
               ? KG_OK
               : kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
}

static int f_keys(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                  kg_value *out)
{
    uint32_t i;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type == KG_VMAP) {
        *out = kg_value_list(a[0].u.map->len);
        for (i = 0; out->type == KG_VLIST && i < a[0].u.map->len; i++)
            kg_value_list_set(out, i,
                              kg_value_string(a[0].u.map->keys[i]->s,
                                              a[0].u.map->keys[i]->len));
        return KG_OK;
    }
    if (a[0].type != KG_VNODE && a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a node, relationship or map", &a[0]);
    if (!kg_graph_alive(x->g, a[0].type == KG_VNODE ? KG_NODE : KG_EDGE,
                        a[0].u.id))
        return dead(x, c, &a[0]);
    return kg_qv__keys(x->g, a[0].type == KG_VNODE ? KG_NODE : KG_EDGE,
                       a[0].u.id, out);
}

static int f_properties(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                        kg_value *out)
{
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type == KG_VMAP) {
        *out = kg_value_retain(&a[0]);
        return KG_OK;
    }
    if (a[0].type != KG_VNODE && a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a node, relationship or map", &a[0]);
    if (!kg_graph_alive(x->g, a[0].type == KG_VNODE ? KG_NODE : KG_EDGE,
                        a[0].u.id))
        return dead(x, c, &a[0]);
    return kg_qv__props_map(x->g, a[0].type == KG_VNODE ? KG_NODE : KG_EDGE,
                            a[0].u.id, out);
}

static int f_endpoint(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                      kg_value *out)
{
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a relationship", &a[0]);
    *out = kg_value_node(kg_strcasecmp(c->fn->name, "startNode") == 0
                             ? kg_graph_edge_src(x->g, a[0].u.id)
                             : kg_graph_edge_dst(x->g, a[0].u.id));
    return KG_OK;
}

/* nodes(p) / relationships(p): every other item of the path */
static int path_items(kg_exec *x, const ast_expr *c, kg_value *a, int rels,
                      kg_value *out)
{
    uint32_t i;
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type != KG_VPATH) return kg_func__argerr(x, c, 0, "a path", &a[0]);
    *out = kg_value_list(0);
    for (i = rels ? 1 : 0; i < a[0].u.list->len; i += 2)
        if (kg_value_list_push(out, kg_value_retain(&a[0].u.list->items[i])) < 0)
            return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    return KG_OK;
}

static int f_nodes(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                   kg_value *out)
{
    return path_items(x, c, a, 0, out);
}

static int f_relationships(kg_exec *x, const ast_expr *c, kg_value *a,
                           uint32_t n, kg_value *out)
{
    return path_items(x, c, a, 1, out);
}

static int f_length(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                    kg_value *out)
{
    if (a[0].type == KG_VNULL) return KG_OK;
    if (a[0].type == KG_VPATH) {
        *out = kg_value_int(a[0].u.list->len / 2);
        return KG_OK;
    }
    return kg_func__argerr(x, c, 0, "a path", &a[0]);
}

static int f_exists(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                    kg_value *out)
{
    *out = kg_value_bool(a[0].type != KG_VNULL);
    return KG_OK;
}

static int f_coalesce(kg_exec *x, const ast_expr *c, kg_value *a, uint32_t n,
                      kg_value *out)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (a[i].type != KG_VNULL) {
            *out = kg_value_retain(&a[i]);
            break;
        }
    return KG_OK;
}

/* __props_match(e, map): every entry of map equals e's property. The
 * planner uses it for `(n $props)`, a parameter map in a pattern. */
static int f_props_match(kg_exec *x, const ast_expr *c, kg_value *a,
                         uint32_t n, kg_value *out)
{
    uint32_t i;
    int sawnull = 0;
    kg_elem kind = a[0].type == KG_VNODE ? KG_NODE : KG_EDGE;
    if (a[0].type == KG_VNULL || a[1].type == KG_VNULL) return KG_OK;
    if (a[1].type != KG_VMAP)
        return kg_func__argerr(x, c, 1, "a map of properties", &a[1]);
    if (a[0].type != KG_VNODE && a[0].type != KG_VREL)
        return kg_func__argerr(x, c, 0, "a node or relationship", &a[0]);
    for (i = 0; i < a[1].u.map->len; i++) {
        const kg_vstr *k = a[1].u.map->keys[i];
        kg_atom at = kg_graph_atom_find(x->g, k->s, k->len);
        const kg_value *v = kg_qv__prop(x, kind, a[0].u.id, at,
                                        strcmp(k->s, "id") == 0);
        int t = v ? kg_qv__equals(v, &a[1].u.map->vals[i]) : KG_TV_NULL;
        if (t == KG_TV_FALSE) {
            *out = kg_value_bool(0);
            return KG_OK;
        }
        if (t == KG_TV_NULL) sawnull = 1;
    }
    *out = sawnull ? KG_NULL_VALUE : kg_value_bool(1);
    return KG_OK;
}

const kg_func kg_func__graph[] = {
    {"id", 1, 1, 0, 0, f_id},
    {"labels", 1, 1, 0, 0, f_labels},
    {"type", 1, 1, 0, 0, f_type},
    {"keys", 1, 1, 0, 0, f_keys},
    {"properties", 1, 1, 0, 0, f_properties},
    {"startNode", 1, 1, 0, 0, f_endpoint},
    {"endNode", 1, 1, 0, 0, f_endpoint},
    {"nodes", 1, 1, 0, 0, f_nodes},
    {"relationships", 1, 1, 0, 0, f_relationships},
    {"length", 1, 1, 0, 0, f_length},
    {"exists", 1, 1, 0, 0, f_exists},
    {"coalesce", 1, 255, 0, 0, f_coalesce},
    {"__props_match", 2, 2, 0, 1, f_props_match},
    {NULL, 0, 0, 0, 0, NULL}};
