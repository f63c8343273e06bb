/* export_json.c - JSON export: {"nodes":[...], "edges":[...]}.
 *
 * The shape is the one most graph tools and scripts expect (D3, Cytoscape.js
 * after a map, jq): nodes {"id": key, "labels": [...], "properties": {...}}
 * and edges {"id", "source": key, "target": key, "type", "properties"}.
 * Edges have no key in kgsh, so their id is "e<i>" with i their rank in the
 * sorted order. Property values go through kg_json_write untyped: dates are
 * plain strings, NaN and infinities null (JSON has none). One element per
 * line keeps exports of two versions diffable line by line.
 */
#include <string.h>

#include "export_int.h"

static void json_cp(kg_buf *b, uint32_t cp, int flags)
{
    static const char hex[] = "0123456789abcdef";

    (void)flags;
    switch (cp) {
    case '"': kg_buf_puts(b, "\\\""); return;
    case '\\': kg_buf_puts(b, "\\\\"); return;
    case '\n': kg_buf_puts(b, "\\n"); return;
    case '\r': kg_buf_puts(b, "\\r"); return;
    case '\t': kg_buf_puts(b, "\\t"); return;
    default: break;
    }
    if (cp < 0x20) {
        char esc[7] = {'\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15], 0};
        kg_buf_puts(b, esc);
        return;
    }
    kg_export__put_cp(b, cp);
}

int kg_export__json_str(kg_buf *b, const char *s, size_t len)
{
    kg_buf_putc(b, '"');
    kg_export__escape(b, s, len, "\"\\", json_cp, 0, SIZE_MAX);
    return kg_buf_putc(b, '"');
}

static int put_props(kg_buf *out, kg_export_props *p, const kg_graph *g,
                     kg_elem kind, kg_id id)
{
    size_t i;
    int rc;

    if (kg_export__props(p, g, kind, id) < 0) return KG_ENOMEM;
    kg_buf_puts(out, "\"properties\":{");
    for (i = 0; i < p->n; i++) {
        if (i) kg_buf_putc(out, ',');
        kg_export__json_str(out, p->items[i].name, strlen(p->items[i].name));
        kg_buf_putc(out, ':');
        if ((rc = kg_json_write(out, p->items[i].val, 0)) == KG_ETYPE)
            kg_buf_puts(out, "null"); /* a node or rel value: not data */
        else if (rc < 0)
            return rc;
    }
    return kg_buf_putc(out, '}');
}

int kg_export__json(kg_buf *out, const kg_export_sel *sel, kg_error *err)
{
    const kg_graph *g = sel->g;
    kg_export_props p = {NULL, 0, 0};
    size_t i, j;
    int error = KG_OK;

    kg_buf_puts(out, "{\"nodes\":[");
    for (i = 0; i < sel->nnodes && error == KG_OK; i++) {
        kg_id n = sel->nodes[i];
        size_t nl;
        const kg_atom *labels = kg_graph_labels(g, n, &nl);
        const char *key = kg_graph_node_key(g, n);

        kg_buf_puts(out, i ? ",\n" : "\n");
        kg_buf_puts(out, "{\"id\":");
        kg_export__json_str(out, key, strlen(key));
        kg_buf_puts(out, ",\"labels\":[");
        for (j = 0; j < nl; j++) {
            const char *l = kg_graph_atom_str(g, labels[j]);
            if (j) kg_buf_putc(out, ',');
            kg_export__json_str(out, l, strlen(l));
        }
        kg_buf_puts(out, "],");
        error = put_props(out, &p, g, KG_NODE, n);
        kg_buf_putc(out, '}');
    }
    kg_buf_puts(out, "],\n\"edges\":[");
    for (i = 0; i < sel->nedges && error == KG_OK; i++) {
        kg_id e = sel->edges[i];
        const char *s = kg_graph_node_key(g, kg_graph_edge_src(g, e));
        const char *d = kg_graph_node_key(g, kg_graph_edge_dst(g, e));
        const char *t = kg_graph_atom_str(g, kg_graph_edge_type(g, e));

        kg_buf_printf(out, "%s{\"id\":\"e%lu\",\"source\":", i ? ",\n" : "\n",
                      (unsigned long)i);
        kg_export__json_str(out, s, strlen(s));
        kg_buf_puts(out, ",\"target\":");
        kg_export__json_str(out, d, strlen(d));
        kg_buf_puts(out, ",\"type\":");
        kg_export__json_str(out, t, strlen(t));
        kg_buf_putc(out, ',');
        error = put_props(out, &p, g, KG_EDGE, e);
        kg_buf_putc(out, '}');
    }
    kg_buf_puts(out, "]}\n");
    kg_export__props_free(&p);
    if (error < 0 || out->oom)
        return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                            "out of memory");
    return KG_OK;
}
