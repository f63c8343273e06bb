/* format.c - values as text, the way the TCK writes expected results.
 *
 * Nodes print as (:A:B {name: 'b', num: 1}), relationships as
 * [:T {k: 1}], paths as <(:A)-[:T]->(:B)>, lists as [1, 2], maps as
 * {a: 1}, floats always with a fraction or exponent (1.0), null as null.
 * Properties are listed by name; a node's key appears as `id` when it is
 * exposed as one (see qvalue.c). Strings are quoted with single quotes
 * (escaping \ and ') when quote is set; inside lists, maps and elements
 * they always are. Control characters are escaped (kg_buf_put_safe).
 */
#include "query_int.h"

static int fmt(kg_buf *out, const kg_graph *g, const kg_value *v, int quote);

static void put_string(kg_buf *out, const kg_vstr *s, int quote)
{
    size_t i, start = 0;
    if (!quote) {
        kg_buf_put_safe(out, s->s, s->len);
        return;
    }
    kg_buf_putc(out, '\'');
    for (i = 0; i < s->len; i++)
        if (s->s[i] == '\'' || s->s[i] == '\\') {
            kg_buf_put_safe(out, s->s + start, i - start);
            kg_buf_putc(out, '\\');
            kg_buf_putc(out, s->s[i]);
            start = i + 1;
        }
    kg_buf_put_safe(out, s->s + start, s->len - start);
    kg_buf_putc(out, '\'');
}

static void put_props(kg_buf *out, const kg_graph *g, kg_elem kind, kg_id id,
                      int space)
{
    kg_value m = KG_NULL_VALUE;
    uint32_t i;
    if (kg_qv__props_map(g, kind, id, &m) < 0 || m.type != KG_VMAP ||
        m.u.map->len == 0) {
        kg_value_release(&m);
        return;
    }
    kg_buf_puts(out, space ? " {" : "{");
    for (i = 0; i < m.u.map->len; i++) {
        if (i) kg_buf_puts(out, ", ");
        kg_buf_put_safe(out, m.u.map->keys[i]->s, m.u.map->keys[i]->len);
        kg_buf_puts(out, ": ");
        fmt(out, g, &m.u.map->vals[i], 1);
    }
    kg_buf_putc(out, '}');
    kg_value_release(&m);
}

static void put_node(kg_buf *out, const kg_graph *g, kg_id n)
{
    size_t count, i;
    const kg_atom *labels;
    kg_buf_putc(out, '(');
    if (!g || !kg_graph_alive(g, KG_NODE, n)) {
        kg_buf_printf(out, "deleted node %u)", (unsigned)n);
        return;
    }
    labels = kg_graph_labels(g, n, &count);
    for (i = 0; i < count; i++) {
        kg_buf_putc(out, ':');
        kg_buf_puts(out, kg_graph_atom_str(g, labels[i]));
    }
    put_props(out, g, KG_NODE, n, count > 0);
    kg_buf_putc(out, ')');
}

static void put_rel(kg_buf *out, const kg_graph *g, kg_id e)
{
    kg_buf_putc(out, '[');
    if (!g || !kg_graph_alive(g, KG_EDGE, e)) {
        kg_buf_printf(out, "deleted relationship %u]", (unsigned)e);
        return;
    }
    kg_buf_putc(out, ':');
    kg_buf_puts(out, kg_graph_atom_str(g, kg_graph_edge_type(g, e)));
    put_props(out, g, KG_EDGE, e, 1);
    kg_buf_putc(out, ']');
}

static void put_path(kg_buf *out, const kg_graph *g, const kg_vlist *l)
{
    uint32_t i;
    kg_buf_putc(out, '<');
    for (i = 0; i < l->len; i++) {
        const kg_value *v = &l->items[i];
        if (v->type == KG_VNODE) {
            put_node(out, g, v->u.id);
        } else if (v->type == KG_VREL && i > 0) {
            /* the arrow follows the edge relative to the previous node */
            int forward = !g || kg_graph_edge_src(g, v->u.id) ==
                                    l->items[i - 1].u.id;
            kg_buf_puts(out, forward ? "-" : "<-");
            put_rel(out, g, v->u.id);
            kg_buf_puts(out, forward ? "->" : "-");
        }
    }
    kg_buf_putc(out, '>');
}

static int fmt(kg_buf *out, const kg_graph *g, const kg_value *v, int quote)
{
    char num[64];
    uint32_t i;
    switch (v->type) {
    case KG_VNULL: kg_buf_puts(out, "null"); break;
    case KG_VBOOL: kg_buf_puts(out, v->u.b ? "true" : "false"); break;
    case KG_VINT: kg_buf_printf(out, "%lld", (long long)v->u.i); break;
    case KG_VFLOAT:
        kg_fmt__float(v->u.f, num, sizeof num);
        kg_buf_puts(out, num);
        break;
    KG_VCASE_STR:
        put_string(out, v->u.str, quote);
        break;
    case KG_VLIST:
        kg_buf_putc(out, '[');
        for (i = 0; i < v->u.list->len; i++) {
            if (i) kg_buf_puts(out, ", ");
            fmt(out, g, &v->u.list->items[i], 1);
        }
        kg_buf_putc(out, ']');
        break;
    case KG_VMAP:
        kg_buf_putc(out, '{');
        for (i = 0; i < v->u.map->len; i++) {
            if (i) kg_buf_puts(out, ", ");
            kg_buf_put_safe(out, v->u.map->keys[i]->s, v->u.map->keys[i]->len);
            kg_buf_puts(out, ": ");
            fmt(out, g, &v->u.map->vals[i], 1);
        }
        kg_buf_putc(out, '}');
        break;
    case KG_VNODE: put_node(out, g, v->u.id); break;
    case KG_VREL: put_rel(out, g, v->u.id); break;
    case KG_VPATH: put_path(out, g, v->u.list); break;
    default: kg_buf_puts(out, "?"); break;
    }
    return out->oom ? KG_ENOMEM : KG_OK;
}

int kg_query_format_value(kg_buf *out, const kg_graph *g, const kg_value *v,
                          int quote)
{
    return fmt(out, g, v, quote);
}
