/* export_csv.c - Amazon Neptune bulk-load CSV: openCypher and Gremlin style.
 *
 * Two files, nodes and edges, in the formats kgsh's own table reader takes
 * (dataset/table.c), so an export loads back into kgsh, Neptune, Neo4j
 * (neo4j-admin import reads the openCypher header style) or Kùzu:
 *   openCypher  :ID,:LABEL,name:String,...      :START_ID,:END_ID,:TYPE,...
 *   Gremlin     ~id,~label,name:String(single)  ~id,~from,~to,~label,...
 * Fields are quoted per RFC 4180 when they hold a comma, quote, CR, LF,
 * leading or trailing space, or are empty. An empty field means "no
 * property". Text is UTF-8; invalid bytes and NUL become U+FFFD.
 *
 * Column types come from the values. A property name whose values all have
 * one type gets one column: Bool, Int (fits 32 bits) or Long, Double,
 * String, Date, or the array form Type[] for lists whose items share one
 * scalar type. Multi-values (Type[] cells and :LABEL) are joined with ';';
 * inside a value a ';' is written "\;" (the escape Neptune Analytics and
 * kgsh's reader take), and a backslash that the reader would otherwise
 * take as part of an escape (before a ';', a '\' or the separator) is
 * written "\\". A ':' in a property name is written "\:" in the header,
 * as Neptune asks (and a leading '~' or space "\~", "\ ", a backslash
 * before those or at the end "\\", so that a name is never taken for a
 * system column or trimmed). Gremlin vertex columns hold sets by default, so scalar
 * columns there say (single): a ';' in a name must not split it.
 *
 * A name whose values have several types (weight: 1 on one node, "heavy"
 * on another, [1, 2] on a third) gets one column per type, each row
 * filling the one that matches: the first (in the order Bool, Int, Double,
 * String, Date, arrays) is named plainly, the others carry the type in the
 * name, `weight:Int,weight@String:String,weight@Int[]:Int[]`. kgsh's
 * reader maps `NAME@TYPE:TYPE` back to NAME, so every value keeps its
 * exact type; Neptune and Kùzu, which allow one type per column, load them
 * as separate properties. A name that itself ends in "@" and its own type
 * (or "@Json") is written with "\@" so that it is not mistaken for one.
 *
 * Values no CSV type holds (a list that is nested, of mixed types or holds
 * an empty string; a map) go, as typed JSON text (kg_json_write), into a
 * String column `NAME@Json:String`, which kgsh's reader parses back to the
 * same value; other tools see a string. An empty list is `""` in a
 * String[] column (kgsh reads it as []), an empty string `""` in a String
 * column; an empty unquoted field means "no property" (kgsh's
 * reader keeps the difference; Neptune's format documents none).
 * NaN and infinities are written NaN, Infinity, -Infinity. The temporal
 * types other than Date (time, datetime, duration) are written as their
 * ISO text in a @Json column and read back as strings.
 */
#include <math.h>
#include <string.h>

#include "export_int.h"

/* Value classes; one column per (name, class). ORDER CLASS */
enum {
    C_BOOL, C_INT, C_FLOAT, C_STRING, C_DATE,
    C_LBOOL, C_LINT, C_LFLOAT, C_LSTRING, C_LDATE,
    C_JSON
};
static const char *const class_types[] = {
    "Bool", "Int", "Double", "String", "Date",
    "Bool[]", "Int[]", "Double[]", "String[]", "Date[]",
    "String"
};
/* The name suffix of a C_JSON column, which kgsh's reader parses. */
#define JSON_SUFFIX "Json"

static int scalar_class(int vtype)
{
    switch (vtype) {
    case KG_VBOOL: return C_BOOL;
    case KG_VINT: return C_INT;
    case KG_VFLOAT: return C_FLOAT;
    case KG_VSTRING: return C_STRING;
    case KG_VDATE: return C_DATE;
    default:
        /* Times, date-times and durations: Neptune has no such column
         * type, so their ISO text goes as a String and reads back as one. */
        return KG_VTYPE_IS_STR(vtype) ? C_STRING : C_JSON;
    }
}

static int classify(const kg_value *v)
{
    const kg_vlist *l;
    uint32_t i;
    int c;

    if (v->type != KG_VLIST) return scalar_class(v->type);
    l = v->u.list;
    if (l->len == 0) return C_LSTRING; /* `""`: an empty list */
    c = scalar_class(l->items[0].type);
    if (c == C_JSON) return C_JSON;
    for (i = 0; i < l->len; i++) {
        const kg_value *it = &l->items[i];
        if (it->type != l->items[0].type) return C_JSON;
        if (!KG_VTYPE_IS_STR(it->type)) continue;
        if (it->u.str->len == 0) return C_JSON; /* readers drop "a;;b" */
    }
    return c + (C_LBOOL - C_BOOL);
}

/* ---- fields ---- */

static int needs_quotes(const char *s, size_t len)
{
    size_t i;

    if (len == 0) return 1;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return 1;
    for (i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return 1;
    return 0;
}

/* Append one field (RFC 4180), with valid UTF-8 and no NUL. */
static void field(kg_buf *b, const char *s, size_t len)
{
    int q = needs_quotes(s, len);
    size_t i = 0;

    if (q) kg_buf_putc(b, '"');
    while (i < len) {
        uint32_t cp;
        size_t run = kg_export__run(s + i, len - i, "\"");
        if (run > 0) {
            kg_buf_put(b, s + i, run);
            i += run;
            continue;
        }
        i += kg_export__cp(s + i, len - i, &cp);
        if (cp == '"') kg_buf_putc(b, '"');
        kg_export__put_cp(b, cp == 0 ? 0xFFFD : cp);
    }
    if (q) kg_buf_putc(b, '"');
}

/* Append s[0..len) as one item of a multi-value cell: ';' as "\;", and a
 * backslash as "\\" where the reader would take it as the start of an
 * escape (before ';' or '\') or as escaping the separator (at the end of
 * an item that is not the last); anywhere else it stands for itself. */
static void put_item(kg_buf *b, const char *s, size_t len, int last)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] == ';') {
            kg_buf_putc(b, '\\');
        } else if (s[i] == '\\') {
            if (i + 1 < len ? (s[i + 1] == ';' || s[i + 1] == '\\') : !last)
                kg_buf_putc(b, '\\');
        }
        kg_buf_putc(b, s[i]);
    }
}

/* One value; in a multi-value cell (multi set) as an item of it. */
static void put_scalar(kg_buf *b, const kg_value *v, int multi, int last)
{
    switch (v->type) {
    case KG_VBOOL: kg_buf_puts(b, v->u.b ? "true" : "false"); break;
    case KG_VINT: kg_buf_printf(b, "%lld", (long long)v->u.i); break;
    case KG_VFLOAT:
        if (isnan(v->u.f)) kg_buf_puts(b, "NaN");
        else if (isinf(v->u.f)) kg_buf_puts(b, v->u.f > 0 ? "Infinity"
                                                         : "-Infinity");
        else kg_export__float(b, v->u.f);
        break;
    default:
        if (!KG_VTYPE_IS_STR(v->type)) break;
        if (!multi) kg_buf_put(b, v->u.str->s, v->u.str->len);
        else put_item(b, v->u.str->s, v->u.str->len, last);
        break;
    }
}

/* The text of value v in a column of class cls, in tmp. */
static int cell_text(kg_buf *tmp, const kg_value *v, int cls)
{
    uint32_t i;

    kg_buf_reset(tmp);
    if (cls == C_JSON) {
        int rc = kg_json_write(tmp, v, 1);
        return rc == KG_ETYPE ? KG_OK : rc;
    }
    if (cls < C_LBOOL) {
        put_scalar(tmp, v, 0, 1);
    } else {
        for (i = 0; i < v->u.list->len; i++) {
            if (i) kg_buf_putc(tmp, ';');
            put_scalar(tmp, &v->u.list->items[i], 1,
                       i + 1 == v->u.list->len);
        }
    }
    return tmp->oom ? KG_ENOMEM : KG_OK;
}

/* ---- header and rows ---- */

/* 1 when s[0..n) is w, ASCII case-insensitively. */
static int same_ci(const char *s, size_t n, const char *w)
{
    size_t i;

    if (strlen(w) != n) return 0;
    for (i = 0; i < n; i++)
        if ((s[i] | 32) != (w[i] | 32)) return 0;
    return 1;
}

/* The header cell of column i: NAME[@SUFFIX]:TYPE[(single)], with ':' in
 * NAME as "\:" and, when the reader would take NAME's own last '@' for a
 * type suffix, that '@' as "\@". */
static void put_head(kg_buf *h, const kg_export_cols *cols, size_t i,
                     int single)
{
    const kg_export_col *c = &cols->cols[i];
    const char *t = class_types[c->cls], *at = strrchr(c->name, '@'), *p;
    int primary = i == 0 || strcmp(cols->cols[i - 1].name, c->name) != 0;

    if (c->big && (c->cls == C_INT || c->cls == C_LINT))
        t = c->cls == C_INT ? "Long" : "Long[]";
    if (at != NULL && !same_ci(at + 1, strlen(at + 1), t) &&
        !same_ci(at + 1, strlen(at + 1), JSON_SUFFIX))
        at = NULL; /* the name's '@' needs no escape */
    for (p = c->name; *p; p++) {
        /* what the reader would take for syntax: a ':' (the type), a
         * leading '~' or ':' (a system column) or ' ' (trimmed), and a
         * backslash before one of the escaped characters or the end */
        if (*p == ':' || p == at ||
            (p == c->name && (*p == '~' || *p == ' ')) ||
            (*p == '\\' && (p[1] == '\0' || strchr(":@~ \\", p[1]))))
            kg_buf_putc(h, '\\');
        kg_buf_putc(h, *p);
    }
    if (c->cls == C_JSON) kg_buf_puts(h, "@" JSON_SUFFIX);
    else if (!primary) kg_buf_printf(h, "@%s", t);
    kg_buf_putc(h, ':');
    kg_buf_puts(h, t);
    if (single && (c->cls < C_LBOOL || c->cls == C_JSON))
        kg_buf_puts(h, "(single)");
}

static void put_header(kg_buf *b, const char *fixed,
                       const kg_export_cols *cols, int single)
{
    kg_buf h = KG_BUF_INIT;
    size_t i;

    kg_buf_puts(b, fixed);
    for (i = 0; i < cols->n; i++) {
        kg_buf_reset(&h);
        put_head(&h, cols, i, single);
        kg_buf_putc(b, ',');
        if (h.oom) b->oom = 1;
        else field(b, h.data, h.len);
    }
    kg_buf_puts(b, "\r\n");
    kg_buf_free(&h);
}

typedef struct {
    kg_export_props props;
    const kg_value **row; /* per column, the value of this element */
    kg_buf tmp;
} row_ctx;

/* Append ",cell,cell..." for the properties of one element, then CRLF. */
static int put_props(kg_buf *b, row_ctx *r, const kg_export_cols *cols,
                     const kg_graph *g, kg_elem kind, kg_id id)
{
    size_t i;

    if (kg_export__props(&r->props, g, kind, id) < 0) return KG_ENOMEM;
    for (i = 0; i < cols->n; i++) r->row[i] = NULL;
    for (i = 0; i < r->props.n; i++) {
        const kg_value *v = r->props.items[i].val;
        long k = kg_export__col_find(cols, r->props.items[i].atom,
                                     classify(v));
        if (k >= 0) r->row[k] = v;
    }
    for (i = 0; i < cols->n; i++) {
        kg_buf_putc(b, ',');
        if (r->row[i] == NULL) continue;
        if (cell_text(&r->tmp, r->row[i], cols->cols[i].cls) < 0)
            return KG_ENOMEM;
        field(b, r->tmp.data ? r->tmp.data : "", r->tmp.len);
    }
    return kg_buf_puts(b, "\r\n");
}

static int put_nodes(kg_buf *b, const kg_export_sel *sel, row_ctx *r,
                     const kg_export_cols *cols, int gremlin)
{
    const kg_graph *g = sel->g;
    size_t i, j;

    put_header(b, gremlin ? "~id,~label" : ":ID,:LABEL", cols, gremlin);
    for (i = 0; i < sel->nnodes; i++) {
        kg_id n = sel->nodes[i];
        const char *key = kg_graph_node_key(g, n);
        size_t nl;
        const kg_atom *labels = kg_graph_labels(g, n, &nl);

        field(b, key, strlen(key));
        kg_buf_putc(b, ',');
        kg_buf_reset(&r->tmp);
        for (j = 0; j < nl; j++) {
            const char *l = kg_graph_atom_str(g, labels[j]);
            if (j) kg_buf_putc(&r->tmp, ';');
            put_item(&r->tmp, l, strlen(l), j + 1 == nl);
        }
        if (r->tmp.oom) return KG_ENOMEM;
        if (nl > 0) field(b, r->tmp.data, r->tmp.len);
        if (put_props(b, r, cols, g, KG_NODE, n) < 0) return KG_ENOMEM;
    }
    return KG_OK;
}

static int put_edges(kg_buf *b, const kg_export_sel *sel, row_ctx *r,
                     const kg_export_cols *cols, int gremlin)
{
    const kg_graph *g = sel->g;
    size_t i;

    put_header(b, gremlin ? "~id,~from,~to,~label" : ":START_ID,:END_ID,:TYPE",
               cols, 0);
    for (i = 0; i < sel->nedges; i++) {
        kg_id e = sel->edges[i];
        const char *s = kg_graph_node_key(g, kg_graph_edge_src(g, e));
        const char *d = kg_graph_node_key(g, kg_graph_edge_dst(g, e));
        const char *t = kg_graph_atom_str(g, kg_graph_edge_type(g, e));

        if (gremlin) kg_buf_printf(b, "e%lu,", (unsigned long)i);
        field(b, s, strlen(s));
        kg_buf_putc(b, ',');
        field(b, d, strlen(d));
        kg_buf_putc(b, ',');
        field(b, t, strlen(t));
        if (put_props(b, r, cols, g, KG_EDGE, e) < 0) return KG_ENOMEM;
    }
    return KG_OK;
}

static int write_file(kg_buf *b, const kg_export_sel *sel, kg_elem kind,
                      int gremlin)
{
    kg_export_cols cols;
    row_ctx r;
    int error = KG_ENOMEM;

    memset(&r, 0, sizeof r);
    if (kg_export__cols(&cols, sel, kind, classify) < 0) return KG_ENOMEM;
    r.row = kg_calloc(cols.n ? cols.n : 1, sizeof *r.row);
    if (r.row == NULL) goto done;
    error = kind == KG_NODE ? put_nodes(b, sel, &r, &cols, gremlin)
                            : put_edges(b, sel, &r, &cols, gremlin);
    if (b->oom) error = KG_ENOMEM;
done:
    kg_export__cols_free(&cols);
    kg_export__props_free(&r.props);
    kg_buf_free(&r.tmp);
    kg_free(r.row);
    return error;
}

int kg_export_csv(kg_buf *nodes, kg_buf *edges, const kg_graph *g,
                  const kg_subgraph *sg, int gremlin, kg_error *err)
{
    kg_export_sel sel;
    size_t nstart = nodes->len, estart = edges->len;
    int error;

    if ((error = kg_export__select(&sel, g, sg, err)) < 0) return error;
    error = write_file(nodes, &sel, KG_NODE, gremlin);
    if (error == KG_OK) error = write_file(edges, &sel, KG_EDGE, gremlin);
    kg_export__sel_free(&sel);
    if (error == KG_OK) return KG_OK;
    if (nodes->data != NULL) { /* no half-written export */
        nodes->len = nstart;
        nodes->data[nstart] = '\0';
    }
    if (edges->data != NULL) {
        edges->len = estart;
        edges->data[estart] = '\0';
    }
    return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                        "out of memory");
}
