/* op_write.c - what the updating operators share: creating pattern
 * elements, applying SET / REMOVE items, and row buffers for eagerness.
 *
 * Property values must be storable: null, booleans, numbers, strings,
 * dates, or lists of those; a map, node, relationship or path is a type
 * error, as in openCypher. Setting a property to null removes it. The
 * statistics counted here feed kg_query_stats_get (and the TCK's side
 * effect checks).
 */
#include "query_int.h"

static int storable(const kg_value *v)
{
    uint32_t i;
    switch (v->type) {
    case KG_VNULL:
    case KG_VBOOL:
    case KG_VINT:
    case KG_VFLOAT:
    KG_VCASE_STR:
        return 1;
    case KG_VLIST:
        for (i = 0; i < v->u.list->len; i++) {
            int t = v->u.list->items[i].type;
            if (t == KG_VLIST || t == KG_VMAP ||
                (t >= KG_VNODE && !KG_VTYPE_IS_TEMPORAL(t)))
                return 0;
        }
        return 1;
    default: return 0;
    }
}

/* Set one property (null removes), counting it. */
static int put_prop(kg_exec *x, kg_elem kind, kg_id id, const char *key,
                    size_t klen, const kg_value *v, kg_span at)
{
    kg_atom a;
    if (!storable(v))
        return kg_exec__fail(x, KG_ETYPE, at,
                             "property '%.*s' cannot hold a %s", (int)klen, key,
                             kg_value_type_name(v->type));
    a = kg_graph_atom(x->g, key, klen);
    if (a == KG_NONE) return kg_exec__fail(x, KG_ENOMEM, at, "out of memory");
    if (v->type == KG_VNULL && !kg_graph_prop(x->g, kind, id, a)) return KG_OK;
    if (kg_graph_prop_set(x->g, kind, id, a, v) < 0)
        return kg_exec__fail(x, KG_ENOMEM, at, "out of memory");
    x->stats.props_set++;
    return KG_OK;
}

/* Evaluate a property map (literal or parameter) and set every entry. */
static int set_props(kg_exec *x, kg_elem kind, kg_id id, const ast_expr *props,
                     int merge)
{
    kg_value m;
    uint32_t i;
    int rc;
    if (!props) return KG_OK;
    if ((rc = kg_expr__eval(x, props, &m)) < 0) return rc;
    if (m.type != KG_VMAP) {
        rc = m.type == KG_VNULL ? KG_OK
                                : kg_exec__fail(x, KG_ETYPE, props->span,
                                                "expected a map of properties, "
                                                "got %s",
                                                kg_value_type_name(m.type));
        kg_value_release(&m);
        return rc;
    }
    for (i = 0; i < m.u.map->len && rc == KG_OK; i++) {
        const kg_value *v = &m.u.map->vals[i];
        if (merge && v->type == KG_VNULL)
            rc = kg_exec__fail(x, KG_ETYPE, props->span,
                               "MERGE cannot use a null value for property "
                               "'%s'",
                               m.u.map->keys[i]->s);
        else
            rc = put_prop(x, kind, id, m.u.map->keys[i]->s,
                          m.u.map->keys[i]->len, v, props->span);
    }
    kg_value_release(&m);
    return rc;
}

static int create_node(kg_exec *x, const ast_node_pat *n, int merge)
{
    const kg_value *v = &x->row[n->slot];
    uint32_t i;
    kg_id id;
    if (v->type == KG_VNODE) return KG_OK; /* bound: a reference */
    if (!n->is_new)
        return kg_exec__fail(x, KG_ETYPE, n->span,
                             "cannot create a relationship to a %s",
                             v->type == KG_VNULL ? "null node"
                                                 : kg_value_type_name(v->type));
    id = kg_graph_node_add(x->g, NULL, x->err);
    if (id == KG_NONE) return x->err ? x->err->code : KG_ENOMEM;
    x->stats.nodes_created++;
    for (i = 0; i < n->nlabels; i++) {
        if (kg_graph_label_add(x->g, id, n->atoms[i]) < 0)
            return kg_exec__fail(x, KG_ENOMEM, n->span, "out of memory");
        x->stats.labels_added++;
    }
    kg_exec__set(x, n->slot, kg_value_node(id));
    return set_props(x, KG_NODE, id, n->props, merge);
}

int kg_write__create(kg_exec *x, const ast_pattern *pat, kg_span at, int merge)
{
    uint32_t i, j;
    int rc;
    /* a row may still hold the previous row's creations in these slots */
    for (i = 0; i < pat->npaths; i++)
        for (j = 0; j <= pat->paths[i]->nrels; j++) {
            const ast_node_pat *n = pat->paths[i]->nodes[j];
            if (n->is_new) kg_exec__set(x, n->slot, KG_NULL_VALUE);
        }
    for (i = 0; i < pat->npaths; i++) {
        const ast_path *p = pat->paths[i];
        if ((rc = create_node(x, p->nodes[0], merge)) < 0) return rc;
        for (j = 0; j < p->nrels; j++) {
            const ast_rel_pat *r = p->rels[j];
            kg_id a, b, e;
            if ((rc = create_node(x, p->nodes[j + 1], merge)) < 0) return rc;
            a = x->row[p->nodes[j]->slot].u.id;
            b = x->row[p->nodes[j + 1]->slot].u.id;
            if (r->dir == AST_DIR_IN) {
                kg_id t = a;
                a = b;
                b = t;
            }
            e = kg_graph_edge_add(x->g, a, b, r->atoms[0], x->err);
            if (e == KG_NONE) return x->err ? x->err->code : KG_ENOMEM;
            x->stats.rels_created++;
            kg_exec__set(x, r->slot, kg_value_rel(e));
            if ((rc = set_props(x, KG_EDGE, e, r->props, merge)) < 0) return rc;
        }
        if (p->var) {
            /* a named path of created elements */
            kg_value v = kg_value_list(0);
            for (j = 0; j <= p->nrels; j++) {
                if (kg_value_list_push(&v, kg_value_retain(
                                               &x->row[p->nodes[j]->slot])) < 0 ||
                    (j < p->nrels &&
                     kg_value_list_push(&v, kg_value_retain(
                                                &x->row[p->rels[j]->slot])) < 0))
                    return kg_exec__fail(x, KG_ENOMEM, at, "out of memory");
            }
            kg_exec__set(x, p->slot, kg_qv__path(v));
        }
    }
    return KG_OK;
}

/* ---- SET / REMOVE ---- */

static int target(kg_exec *x, const ast_expr *e, kg_value *v, kg_elem *kind)
{
    int rc = kg_expr__eval(x, e, v);
    if (rc < 0) return rc;
    if (v->type == KG_VNULL) return 0;
    if (v->type != KG_VNODE && v->type != KG_VREL) {
        rc = kg_exec__fail(x, KG_ETYPE, e->span,
                           "can only update a node or relationship, got %s",
                           kg_value_type_name(v->type));
        kg_value_release(v);
        return rc;
    }
    *kind = v->type == KG_VNODE ? KG_NODE : KG_EDGE;
    if (!kg_graph_alive(x->g, *kind, v->u.id))
        return kg_exec__fail(x, KG_ETYPE, e->span,
                             "cannot update a deleted element");
    return 1;
}

static int set_all(kg_exec *x, const ast_set *s, kg_elem kind, kg_id id)
{
    kg_value m;
    int rc;
    uint32_t i;
    if ((rc = kg_expr__eval(x, s->value, &m)) < 0) return rc;
    if (m.type == KG_VNODE || m.type == KG_VREL) {
        kg_value copy;
        rc = kg_qv__props_map(x->g, m.type == KG_VNODE ? KG_NODE : KG_EDGE,
                              m.u.id, &copy);
        kg_value_release(&m);
        if (rc < 0) return kg_exec__fail(x, KG_ENOMEM, s->span, "out of memory");
        m = copy;
    }
    if (m.type != KG_VMAP && m.type != KG_VNULL) {
        rc = kg_exec__fail(x, KG_ETYPE, s->value->span,
                           "SET expects a map of properties, got %s",
                           kg_value_type_name(m.type));
        kg_value_release(&m);
        return rc;
    }
    if (s->kind == AST_SET_ALL) {
        x->stats.props_set += kg_graph_prop_count(x->g, kind, id);
        kg_graph_prop_clear(x->g, kind, id);
    }
    for (i = 0; m.type == KG_VMAP && i < m.u.map->len && rc == KG_OK; i++)
        rc = put_prop(x, kind, id, m.u.map->keys[i]->s, m.u.map->keys[i]->len,
                      &m.u.map->vals[i], s->span);
    kg_value_release(&m);
    return rc;
}

static int apply_one(kg_exec *x, const ast_set *s)
{
    kg_value t, v;
    kg_elem kind = KG_NODE;
    uint32_t i;
    int rc;
    const ast_expr *te = s->kind == AST_SET_PROP || s->kind == AST_REMOVE_PROP
                             ? s->target->a
                             : s->target;
    if ((rc = target(x, te, &t, &kind)) <= 0) return rc;
    switch (s->kind) {
    case AST_SET_PROP:
        if ((rc = kg_expr__eval(x, s->value, &v)) < 0) break;
        rc = put_prop(x, kind, t.u.id, s->target->name, strlen(s->target->name),
                      &v, s->span);
        kg_value_release(&v);
        break;
    case AST_REMOVE_PROP:
        v = KG_NULL_VALUE;
        rc = put_prop(x, kind, t.u.id, s->target->name, strlen(s->target->name),
                      &v, s->span);
        break;
    case AST_SET_ALL:
    case AST_SET_MERGE: rc = set_all(x, s, kind, t.u.id); break;
    case AST_SET_LABELS:
    case AST_REMOVE_LABELS:
        if (kind != KG_NODE) {
            rc = kg_exec__fail(x, KG_ETYPE, s->span,
                               "labels can only be changed on nodes");
            break;
        }
        for (i = 0; i < s->nlabels; i++) {
            int has = kg_graph_has_label(x->g, t.u.id, s->atoms[i]);
            if (s->kind == AST_SET_LABELS && !has) {
                if (kg_graph_label_add(x->g, t.u.id, s->atoms[i]) < 0) goto oom;
                x->stats.labels_added++;
            } else if (s->kind == AST_REMOVE_LABELS && has) {
                if (kg_graph_label_remove(x->g, t.u.id, s->atoms[i]) < 0)
                    goto oom;
                x->stats.labels_removed++;
            }
        }
        break;
    default: break;
    }
    return rc;
oom:
    return kg_exec__fail(x, KG_ENOMEM, s->span, "out of memory");
}

int kg_write__apply(kg_exec *x, const ast_set *sets, uint32_t n)
{
    uint32_t i;
    int rc;
    for (i = 0; i < n; i++)
        if ((rc = apply_one(x, &sets[i])) < 0) return rc;
    return KG_OK;
}

/* ---- row buffers ---- */

int kg_rowbuf__push(kg_rowbuf *b, kg_exec *x, kg_span at)
{
    uint32_t i;
    size_t bytes = 0;
    if (!b->width) b->width = x->nslots;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        kg_value *v = kg_realloc(b->vals, cap * (b->width ? b->width : 1) *
                                              sizeof *v);
        if (!v) return kg_exec__fail(x, KG_ENOMEM, at, "out of memory");
        b->vals = v;
        b->cap = cap;
    }
    for (i = 0; i < b->width; i++) {
        b->vals[b->n * b->width + i] = kg_value_retain(&x->row[i]);
        bytes += kg_exec__value_size(&x->row[i]);
    }
    b->n++;
    return kg_exec__mem(x, (long long)bytes, at);
}

void kg_rowbuf__load(kg_rowbuf *b, kg_exec *x, size_t i)
{
    uint32_t k;
    for (k = 0; k < b->width; k++)
        kg_exec__set(x, (int32_t)k, kg_value_retain(&b->vals[i * b->width + k]));
}

void kg_rowbuf__clear(kg_rowbuf *b)
{
    size_t i;
    for (i = 0; i < b->n * b->width; i++) kg_value_release(&b->vals[i]);
    b->n = 0;
}
