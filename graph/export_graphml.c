/* export_graphml.c - GraphML export with typed attribute keys.
 *
 * GraphML is what Gephi, yEd, Cytoscape and networkx all read. Each property
 * name becomes one <key> whose attr.type is the narrowest type that holds
 * every value the export has for it: boolean, int (32-bit), long, double,
 * else string. Lists, maps, dates and mixed types are strings (lists and
 * maps JSON-encoded, as Neo4j's APOC does). Besides the properties, nodes
 * carry `key` (the kgsh key), `labels` (a JSON array), `kind` (the first
 * label, for a tool's "partition by") and `label` (the display name, which
 * Gephi shows); edges carry `type` and `label` (the type again, for Gephi).
 * A property whose name is one of these, or starts with "prop.", is written
 * as "prop.<name>", so reading it back is unambiguous.
 *
 * Node ids are the keys, so that a tool lists the nodes by the names kgsh
 * uses, unless a key cannot be written in XML 1.0 (it holds a control
 * character or invalid UTF-8); such a node gets a generated id that no key
 * of the graph has. Text that XML cannot carry (C0 controls other than tab,
 * newline and CR, U+FFFE, U+FFFF, invalid UTF-8) is written as U+FFFD.
 */
#include <math.h>
#include <string.h>

#include "export_int.h"

enum { T_BOOL, T_INT, T_LONG, T_DOUBLE, T_STRING };
static const char *const type_names[] = {
    "boolean", "int", "long", "double", "string"
};

/* ---- XML text ---- */

static int xml_forbidden(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
           cp == 0xFFFE || cp == 0xFFFF;
}

/* Escape for element content, or for a quoted attribute when attr is set
 * (where tab and newline must be character references to survive
 * attribute-value normalisation). CR always is one: parsers fold it. */
static void xml_cp(kg_buf *b, uint32_t cp, int attr)
{
    switch (cp) {
    case '&': kg_buf_puts(b, "&amp;"); return;
    case '<': kg_buf_puts(b, "&lt;"); return;
    case '>': kg_buf_puts(b, "&gt;"); return;
    case '"': kg_buf_puts(b, "&quot;"); return;
    case '\r': kg_buf_puts(b, "&#13;"); return;
    case '\n': kg_buf_puts(b, attr ? "&#10;" : "\n"); return;
    case '\t': kg_buf_puts(b, attr ? "&#9;" : "\t"); return;
    default: break;
    }
    kg_export__put_cp(b, xml_forbidden(cp) ? 0xFFFD : cp);
}

static void xml_text(kg_buf *b, const char *s, size_t len, int attr)
{
    kg_export__escape(b, s, len, "&<>\"", xml_cp, attr, SIZE_MAX);
}

/* 1 when s passes through xml_text unchanged in meaning. */
static int xml_clean(const char *s)
{
    size_t i = 0, len = strlen(s);

    while (i < len) {
        uint32_t cp;
        size_t n = kg_utf8__decode(s + i, len - i, &cp);
        if (n == 0 || xml_forbidden(cp)) return 0;
        i += n;
    }
    return 1;
}

/* The id of the node at selection index i: its key, or "_:n<i>" followed
 * by as many '_' as it takes to differ from every key of the graph. */
static void node_id(kg_buf *b, const kg_export_sel *sel, size_t i)
{
    const char *key = kg_graph_node_key(sel->g, sel->nodes[i]);
    char id[64];
    size_t n;

    if (xml_clean(key)) {
        xml_text(b, key, strlen(key), 1);
        return;
    }
    n = (size_t)snprintf(id, sizeof id - 1, "_:n%lu", (unsigned long)i);
    while (kg_graph_node_find(sel->g, id) != KG_NONE && n < sizeof id - 1) {
        id[n++] = '_';
        id[n] = '\0';
    }
    kg_buf_puts(b, id);
}

/* ---- keys ---- */

static int col_type(const kg_export_col *c)
{
    unsigned num = (1u << KG_VINT) | (1u << KG_VFLOAT);

    if (c->seen == (1u << KG_VBOOL)) return T_BOOL;
    if (c->seen == (1u << KG_VINT)) return c->big ? T_LONG : T_INT;
    if ((c->seen & ~num) == 0) return T_DOUBLE;
    return T_STRING;
}

static int reserved(const char *name, kg_elem kind)
{
    if (strncmp(name, "prop.", 5) == 0 || strcmp(name, "label") == 0)
        return 1;
    if (kind == KG_EDGE) return strcmp(name, "type") == 0;
    return strcmp(name, "key") == 0 || strcmp(name, "labels") == 0 ||
           strcmp(name, "kind") == 0;
}

static void put_keys(kg_buf *out, const kg_export_cols *cols, kg_elem kind)
{
    const char *for_ = kind == KG_NODE ? "node" : "edge";
    size_t i;

    for (i = 0; i < cols->n; i++) {
        const kg_export_col *c = &cols->cols[i];
        kg_buf_printf(out, "  <key id=\"%c%lu\" for=\"%s\" attr.name=\"%s",
                      kind == KG_NODE ? 'n' : 'e', (unsigned long)i, for_,
                      reserved(c->name, kind) ? "prop." : "");
        xml_text(out, c->name, strlen(c->name), 1);
        kg_buf_printf(out, "\" attr.type=\"%s\"/>\n",
                      type_names[col_type(c)]);
    }
}

/* ---- values ---- */

static int put_value(kg_buf *out, const kg_value *v, int type)
{
    kg_buf tmp = KG_BUF_INIT;
    int rc = KG_OK;

    switch (v->type) {
    case KG_VBOOL: return kg_buf_puts(out, v->u.b ? "true" : "false");
    case KG_VINT: return kg_buf_printf(out, "%lld", (long long)v->u.i);
    case KG_VFLOAT:
        if (type == T_DOUBLE && (isnan(v->u.f) || isinf(v->u.f)))
            return kg_buf_puts(out, isnan(v->u.f) ? "NaN"
                                    : v->u.f > 0   ? "INF" : "-INF");
        if (type == T_DOUBLE) return kg_export__float(out, v->u.f);
        break;
    default:
        if (KG_VTYPE_IS_STR(v->type)) {
            xml_text(out, v->u.str->s, v->u.str->len, 0);
            return KG_OK;
        }
        break;
    }
    rc = kg_json_write(&tmp, v, 0);
    if (rc == KG_OK) xml_text(out, tmp.data, tmp.len, 0);
    kg_buf_free(&tmp);
    return rc == KG_ETYPE ? KG_OK : rc;
}

static int put_data(kg_buf *out, kg_export_props *p, const kg_export_cols *cols,
                    const kg_graph *g, kg_elem kind, kg_id id)
{
    size_t i;
    char prefix = kind == KG_NODE ? 'n' : 'e';

    if (kg_export__props(p, g, kind, id) < 0) return KG_ENOMEM;
    for (i = 0; i < p->n; i++) {
        long k = kg_export__col_find(cols, p->items[i].atom, 0);
        if (k < 0) continue; /* cannot happen: cols came from these props */
        kg_buf_printf(out, "      <data key=\"%c%ld\">", prefix, k);
        if (put_value(out, p->items[i].val, col_type(&cols->cols[k])) < 0)
            return KG_ENOMEM;
        kg_buf_puts(out, "</data>\n");
    }
    return KG_OK;
}

static int put_node(kg_buf *out, const kg_export_sel *sel, size_t i,
                    kg_export_props *p, const kg_export_cols *cols)
{
    const kg_graph *g = sel->g;
    kg_id n = sel->nodes[i];
    const char *key = kg_graph_node_key(g, n), *name;
    size_t nl, j, len;
    const kg_atom *labels = kg_graph_labels(g, n, &nl);
    kg_buf arr = KG_BUF_INIT;

    kg_buf_puts(out, "    <node id=\"");
    node_id(out, sel, i);
    kg_buf_puts(out, "\">\n      <data key=\"key\">");
    xml_text(out, key, strlen(key), 0);
    kg_buf_puts(out, "</data>\n      <data key=\"labels\">");
    kg_buf_putc(&arr, '[');
    for (j = 0; j < nl; j++) {
        const char *l = kg_graph_atom_str(g, labels[j]);
        if (j) kg_buf_putc(&arr, ',');
        kg_export__json_str(&arr, l, strlen(l));
    }
    kg_buf_putc(&arr, ']');
    if (!arr.oom) xml_text(out, arr.data, arr.len, 0);
    j = arr.oom;
    kg_buf_free(&arr);
    if (j) return KG_ENOMEM;
    kg_buf_puts(out, "</data>\n");
    if (nl > 0) {
        const char *k = kg_graph_atom_str(g, labels[0]);
        kg_buf_puts(out, "      <data key=\"kind\">");
        xml_text(out, k, strlen(k), 0);
        kg_buf_puts(out, "</data>\n");
    }
    kg_export__display(g, n, &name, &len);
    kg_buf_puts(out, "      <data key=\"label\">");
    xml_text(out, name, len, 0);
    kg_buf_puts(out, "</data>\n");
    if (put_data(out, p, cols, g, KG_NODE, n) < 0) return KG_ENOMEM;
    return kg_buf_puts(out, "    </node>\n");
}

static int put_edge(kg_buf *out, const kg_export_sel *sel, size_t i,
                    kg_export_props *p, const kg_export_cols *cols)
{
    const kg_graph *g = sel->g;
    kg_id e = sel->edges[i];
    const char *t = kg_graph_atom_str(g, kg_graph_edge_type(g, e));

    kg_buf_printf(out, "    <edge id=\"e%lu\" source=\"", (unsigned long)i);
    node_id(out, sel, sel->pos[kg_graph_edge_src(g, e)]);
    kg_buf_puts(out, "\" target=\"");
    node_id(out, sel, sel->pos[kg_graph_edge_dst(g, e)]);
    kg_buf_puts(out, "\">\n      <data key=\"type\">");
    xml_text(out, t, strlen(t), 0);
    kg_buf_puts(out, "</data>\n      <data key=\"elabel\">");
    xml_text(out, t, strlen(t), 0);
    kg_buf_puts(out, "</data>\n");
    if (put_data(out, p, cols, g, KG_EDGE, e) < 0) return KG_ENOMEM;
    return kg_buf_puts(out, "    </edge>\n");
}

int kg_export__graphml(kg_buf *out, const kg_export_sel *sel, kg_error *err)
{
    kg_export_cols ncols, ecols;
    kg_export_props p = {NULL, 0, 0};
    size_t i;
    int error = KG_ENOMEM;

    memset(&ecols, 0, sizeof ecols);
    if (kg_export__cols(&ncols, sel, KG_NODE, NULL) < 0) goto done;
    if (kg_export__cols(&ecols, sel, KG_EDGE, NULL) < 0) goto done;
    kg_buf_puts(out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
        "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
        "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        "  <key id=\"key\" for=\"node\" attr.name=\"key\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"labels\" for=\"node\" attr.name=\"labels\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"type\" for=\"edge\" attr.name=\"type\" "
        "attr.type=\"string\"/>\n"
        "  <key id=\"elabel\" for=\"edge\" attr.name=\"label\" "
        "attr.type=\"string\"/>\n");
    put_keys(out, &ncols, KG_NODE);
    put_keys(out, &ecols, KG_EDGE);
    kg_buf_puts(out, "  <graph id=\"G\" edgedefault=\"directed\">\n");
    for (i = 0; i < sel->nnodes; i++)
        if (put_node(out, sel, i, &p, &ncols) < 0) goto done;
    for (i = 0; i < sel->nedges; i++)
        if (put_edge(out, sel, i, &p, &ecols) < 0) goto done;
    kg_buf_puts(out, "  </graph>\n</graphml>\n");
    error = out->oom ? KG_ENOMEM : KG_OK;
done:
    kg_export__props_free(&p);
    kg_export__cols_free(&ncols);
    kg_export__cols_free(&ecols);
    if (error < 0)
        return kg_error_set(err, error, NULL, (kg_span){0, 0},
                            "out of memory");
    return KG_OK;
}
