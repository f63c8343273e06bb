/* export_cypher.c - a Cypher script of CREATE statements that rebuilds the
 * exported subgraph, in kgsh or in Neo4j.
 *
 * One CREATE statement holds every node and edge, so that edges can name
 * their endpoints by variable (n0, n1, ... in key order) rather than by a
 * MATCH on a property, which would be a scan per edge without an index.
 * Each node carries its kgsh key as the property `id` (the name the note
 * format and Kùzu use for it), unless the node has an `id` property of its
 * own, which then wins. Labels, types and property names are always in
 * backticks (a doubled backtick inside), so keywords and odd names are
 * safe; strings are single-quoted with \\, \', \n, \r, \t and \uXXXX
 * escapes, and invalid UTF-8 becomes U+FFFD.
 *
 * Values Cypher has no literal for are written as expressions both engines
 * evaluate: NaN as 0.0/0.0, infinities as 1.0/0.0 and -1.0/0.0, the
 * smallest Int64 as -9223372036854775807 - 1, dates as date('YYYY-MM-DD').
 * A property must be a value both engines can store: a scalar, or a list
 * of scalars of one type. A map, a nested or mixed list, or a list holding
 * null is written as its JSON text (a string), so the script still runs;
 * names that are empty cannot be written in Cypher at all, and such a
 * property or edge is left out. The comment at the top counts both.
 */
#include <math.h>
#include <string.h>

#include "export_int.h"

#define KEY_PROP "id"

/* In a backquoted name a backquote is doubled. */
static void backtick_cp(kg_buf *b, uint32_t cp, int flags)
{
    (void)flags;
    if (cp == '`') kg_buf_putc(b, '`');
    kg_export__put_cp(b, cp);
}

static void backtick(kg_buf *b, const char *s)
{
    kg_buf_putc(b, '`');
    kg_export__escape(b, s, strlen(s), "`", backtick_cp, 0, SIZE_MAX);
    kg_buf_putc(b, '`');
}

static void quoted_cp(kg_buf *b, uint32_t cp, int flags)
{
    (void)flags;
    switch (cp) {
    case '\\': kg_buf_puts(b, "\\\\"); return;
    case '\'': kg_buf_puts(b, "\\'"); return;
    case '\n': kg_buf_puts(b, "\\n"); return;
    case '\r': kg_buf_puts(b, "\\r"); return;
    case '\t': kg_buf_puts(b, "\\t"); return;
    default: break;
    }
    if (cp < 0x20 || cp == 0x7F)
        kg_buf_printf(b, "\\u%04X", (unsigned)cp);
    else
        kg_export__put_cp(b, cp);
}

static void quoted(kg_buf *b, const char *s, size_t len)
{
    kg_buf_putc(b, '\'');
    kg_export__escape(b, s, len, "\\'", quoted_cp, 0, SIZE_MAX);
    kg_buf_putc(b, '\'');
}

static void put_value(kg_buf *b, const kg_value *v);

static void put_float(kg_buf *b, double f)
{
    kg_buf tmp = KG_BUF_INIT;
    size_t i;

    if (isnan(f)) {
        kg_buf_puts(b, "0.0/0.0");
        return;
    }
    if (isinf(f)) {
        kg_buf_puts(b, f > 0 ? "1.0/0.0" : "-1.0/0.0");
        return;
    }
    kg_export__float(&tmp, f);
    if (tmp.oom) {
        b->oom = 1;
        return;
    }
    /* openCypher's exponent takes no '+' sign: 1e+300 -> 1e300. */
    for (i = 0; i < tmp.len; i++)
        if (tmp.data[i] != '+') kg_buf_putc(b, tmp.data[i]);
    kg_buf_free(&tmp);
}

/* The function that makes a temporal value from its ISO text. */
static const char *temporal_fn(int type)
{
    switch (type) {
    case KG_VDATE: return "date";
    case KG_VLOCALTIME: return "localtime";
    case KG_VTIME: return "time";
    case KG_VLOCALDATETIME: return "localdatetime";
    case KG_VDATETIME: return "datetime";
    default: return "duration";
    }
}

/* 1 for the value types a property may hold in kgsh and Neo4j. */
static int scalar(int type)
{
    return (type >= KG_VBOOL && type <= KG_VSTRING) ||
           KG_VTYPE_IS_TEMPORAL(type);
}

static void put_value(kg_buf *b, const kg_value *v)
{
    uint32_t i;

    if (KG_VTYPE_IS_TEMPORAL(v->type)) {
        kg_buf_puts(b, temporal_fn(v->type));
        kg_buf_putc(b, '(');
        quoted(b, v->u.str->s, v->u.str->len);
        kg_buf_putc(b, ')');
        return;
    }
    switch (v->type) {
    case KG_VBOOL: kg_buf_puts(b, v->u.b ? "true" : "false"); break;
    case KG_VINT:
        if (v->u.i == INT64_MIN) kg_buf_puts(b, "-9223372036854775807 - 1");
        else kg_buf_printf(b, "%lld", (long long)v->u.i);
        break;
    case KG_VFLOAT: put_float(b, v->u.f); break;
    case KG_VSTRING: quoted(b, v->u.str->s, v->u.str->len); break;
    case KG_VLIST:
        kg_buf_putc(b, '[');
        for (i = 0; i < v->u.list->len; i++) {
            if (i) kg_buf_puts(b, ", ");
            put_value(b, &v->u.list->items[i]);
        }
        kg_buf_putc(b, ']');
        break;
    case KG_VMAP:
        kg_buf_putc(b, '{');
        for (i = 0; i < v->u.map->len; i++) {
            if (i) kg_buf_puts(b, ", ");
            if (v->u.map->keys[i]->len == 0) kg_buf_puts(b, "``");
            else backtick(b, v->u.map->keys[i]->s);
            kg_buf_puts(b, ": ");
            put_value(b, &v->u.map->vals[i]);
        }
        kg_buf_putc(b, '}');
        break;
    default: kg_buf_puts(b, "null"); break; /* nodes, rels: not data */
    }
}

/* 1 when a property can hold v in kgsh and Neo4j: a scalar, or a list of
 * scalars of one type. */
static int storable(const kg_value *v)
{
    uint32_t i;

    if (v->type != KG_VLIST) return scalar(v->type);
    for (i = 0; i < v->u.list->len; i++) {
        const kg_value *it = &v->u.list->items[i];
        if (!scalar(it->type) ||
            it->type != v->u.list->items[0].type)
            return 0;
    }
    return 1;
}

/* Counts of what the script could not write as it is. */
typedef struct {
    size_t props, edges, json;
} cy_lost;

/* A property value: as a literal, or as its JSON text when not storable. */
static int put_prop(kg_buf *b, const kg_value *v, cy_lost *lost)
{
    kg_buf tmp = KG_BUF_INIT;
    int rc;

    if (storable(v)) {
        put_value(b, v);
        return KG_OK;
    }
    lost->json++;
    rc = kg_json_write(&tmp, v, 0);
    if (rc == KG_OK) quoted(b, tmp.data, tmp.len);
    else if (rc == KG_ETYPE) kg_buf_puts(b, "null");
    kg_buf_free(&tmp);
    return rc == KG_ETYPE ? KG_OK : rc;
}

/* " {`k`: v, ...}" (nothing when empty); key first for nodes. */
static int put_map(kg_buf *b, const kg_export_props *p, const char *key,
                   cy_lost *lost)
{
    size_t i, n = 0;
    int own_id = 0;

    for (i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, KEY_PROP) == 0) own_id = 1;
    if (key == NULL || own_id) key = NULL;
    if (p->n == 0 && key == NULL) return KG_OK;
    kg_buf_puts(b, " {");
    if (key != NULL) {
        backtick(b, KEY_PROP);
        kg_buf_puts(b, ": ");
        quoted(b, key, strlen(key));
        n++;
    }
    for (i = 0; i < p->n; i++) {
        if (p->items[i].name[0] == '\0') {
            lost->props++;
            continue;
        }
        if (n++) kg_buf_puts(b, ", ");
        backtick(b, p->items[i].name);
        kg_buf_puts(b, ": ");
        if (put_prop(b, p->items[i].val, lost) < 0) return KG_ENOMEM;
    }
    return kg_buf_putc(b, '}');
}

int kg_export__cypher(kg_buf *out, const kg_export_sel *sel, kg_error *err)
{
    const kg_graph *g = sel->g;
    kg_export_props p = {NULL, 0, 0};
    kg_buf body = KG_BUF_INIT;
    cy_lost lost = {0, 0, 0};
    size_t i, j;
    int error = KG_ENOMEM;

    for (i = 0; i < sel->nnodes; i++) {
        kg_id n = sel->nodes[i];
        size_t nl;
        const kg_atom *labels = kg_graph_labels(g, n, &nl);

        if (kg_export__props(&p, g, KG_NODE, n) < 0) goto done;
        kg_buf_printf(&body, "%s  (n%lu", i ? ",\n" : "", (unsigned long)i);
        for (j = 0; j < nl; j++) {
            const char *l = kg_graph_atom_str(g, labels[j]);
            if (l[0] == '\0') continue;
            kg_buf_putc(&body, ':');
            backtick(&body, l);
        }
        if (put_map(&body, &p, kg_graph_node_key(g, n), &lost) < 0) goto done;
        kg_buf_putc(&body, ')');
    }
    for (i = 0; i < sel->nedges; i++) {
        kg_id e = sel->edges[i];
        const char *t = kg_graph_atom_str(g, kg_graph_edge_type(g, e));

        if (t[0] == '\0') {
            lost.edges++;
            continue;
        }
        if (kg_export__props(&p, g, KG_EDGE, e) < 0) goto done;
        kg_buf_printf(&body, ",\n  (n%lu)-[:",
                      (unsigned long)sel->pos[kg_graph_edge_src(g, e)]);
        backtick(&body, t);
        if (put_map(&body, &p, NULL, &lost) < 0) goto done;
        kg_buf_printf(&body, "]->(n%lu)",
                      (unsigned long)sel->pos[kg_graph_edge_dst(g, e)]);
    }
    if (body.oom) goto done;
    kg_buf_printf(out, "// kgsh export: %lu nodes, %lu relationships\n",
                  (unsigned long)sel->nnodes,
                  (unsigned long)(sel->nedges - lost.edges));
    if (lost.json)
        kg_buf_printf(out, "// written as JSON text (maps, nested or mixed "
                      "lists): %lu properties\n", (unsigned long)lost.json);
    if (lost.props || lost.edges)
        kg_buf_printf(out, "// left out (empty names): %lu properties, "
                      "%lu relationships\n", (unsigned long)lost.props,
                      (unsigned long)lost.edges);
    if (sel->nnodes > 0) {
        kg_buf_puts(out, "CREATE\n");
        kg_buf_put(out, body.data, body.len);
        kg_buf_puts(out, ";\n");
    } else {
        /* A script of comments only is an empty statement, an error in
         * kgsh and Neo4j alike; this one runs and does nothing. */
        kg_buf_puts(out, "UNWIND [] AS nothing RETURN nothing;\n");
    }
    error = out->oom ? KG_ENOMEM : KG_OK;
done:
    kg_buf_free(&body);
    kg_export__props_free(&p);
    if (error < 0)
        return kg_error_set(err, error, NULL, (kg_span){0, 0},
                            "out of memory");
    return KG_OK;
}
