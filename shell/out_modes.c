/* out_modes.c - output modes as a data table, and how a value becomes text.
 *
 * A mode is a row of kg_modes[] (ORDER MODE): its name, whether rows are
 * laid out at the end by render.c (box, table, markdown) or streamed as
 * they come (csv, tsv, json, jsonl, line), whether it shows a header by
 * default, and what null looks like. Adding a mode is adding a row and its
 * row writer; the shell's .mode, --mode, .help and completion all read the
 * same table, so they cannot drift apart.
 *
 * Text from notes reaches the screen only through kg_buf_put_safe (display
 * modes) or kg_mode__json_string (JSON modes, whose \u escapes keep the data
 * exact and are just as inert on a terminal: C0, DEL and C1 are escaped).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

/* ---- values as text ---- */

/* Nodes and relationships of a graph that no longer has them (a DELETE
 * after the result was kept) print as a marker instead of reading freed
 * slots. */
static int element_gone(const kg_graph *g, const kg_value *v)
{
    if (v->type == KG_VNODE)
        return g == NULL || !kg_graph_alive(g, KG_NODE, v->u.id);
    if (v->type == KG_VREL)
        return g == NULL || !kg_graph_alive(g, KG_EDGE, v->u.id);
    return 0;
}

int kg_mode__text(kg_buf *b, const kg_graph *g, const kg_value *v)
{
    kg_buf tmp = KG_BUF_INIT;
    int rc;

    switch (v->type) {
    case KG_VNULL:
        return kg_buf_puts(b, "null");
    KG_VCASE_STR:
        return kg_buf_put_safe(b, v->u.str->s, v->u.str->len);
    case KG_VNODE:
    case KG_VREL:
        if (element_gone(g, v))
            return kg_buf_printf(b, "(deleted %s %u)",
                                 v->type == KG_VNODE ? "node" : "rel",
                                 (unsigned)v->u.id);
        break;
    default:
        break;
    }
    rc = kg_query_format_value(&tmp, g, v, 1);
    if (rc >= 0 && tmp.oom) rc = KG_ENOMEM;
    if (rc >= 0)
        rc = kg_buf_put_safe(b, tmp.data != NULL ? tmp.data : "", tmp.len);
    kg_buf_free(&tmp);
    return rc;
}

/* ---- JSON ---- */

/* Length of the valid UTF-8 sequence at p (1..4) and its code point, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, truncated). */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len, i;
    uint32_t c;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        c = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        c = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        c = p[0] & 0x07;
    } else
        return 0;
    if (n < len) return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int kg_mode__json_string(kg_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, n;
    uint32_t cp;

    kg_buf_putc(b, '"');
    while (i < len) {
        n = utf8_seq(p + i, len - i, &cp);
        if (n != 0 && cp >= 0x20 && cp != '"' && cp != '\\' && cp != 0x7F &&
            !(cp >= 0x80 && cp <= 0x9F) && cp != 0x2028 && cp != 0x2029) {
            i += n;
            run += n;
            continue;
        }
        kg_buf_put(b, s + i - run, run);
        run = 0;
        if (n == 0) {
            kg_buf_puts(b, "\\ufffd"); /* invalid byte: the replacement */
            i++;
            continue;
        }
        switch (cp) {
        case '"':
            kg_buf_puts(b, "\\\"");
            break;
        case '\\':
            kg_buf_puts(b, "\\\\");
            break;
        case '\n':
            kg_buf_puts(b, "\\n");
            break;
        case '\t':
            kg_buf_puts(b, "\\t");
            break;
        case '\r':
            kg_buf_puts(b, "\\r");
            break;
        case '\b':
            kg_buf_puts(b, "\\b");
            break;
        case '\f':
            kg_buf_puts(b, "\\f");
            break;
        default:
            kg_buf_printf(b, "\\u%04x", (unsigned)cp);
            break;
        }
        i += n;
    }
    kg_buf_put(b, s + i - run, run);
    return kg_buf_putc(b, '"');
}

static int json_atom(kg_buf *b, const kg_graph *g, kg_atom a)
{
    const char *s = kg_graph_atom_str(g, a);

    if (s == NULL) s = "";
    return kg_mode__json_string(b, s, strlen(s));
}

/* "properties": {...} of a node or relationship, keys in the graph's order
 * (sorted), values through kg_mode__json. */
static void json_props(kg_buf *b, const kg_graph *g, kg_elem kind, kg_id id)
{
    size_t i, n = kg_graph_prop_count(g, kind, id);
    kg_atom key;
    const kg_value *pv;

    kg_buf_puts(b, "\"properties\":{");
    for (i = 0; i < n; i++) {
        pv = kg_graph_prop_at(g, kind, id, i, &key);
        if (pv == NULL) continue;
        if (i > 0) kg_buf_putc(b, ',');
        json_atom(b, g, key);
        kg_buf_putc(b, ':');
        kg_mode__json(b, g, pv);
    }
    kg_buf_putc(b, '}');
}

static void json_node(kg_buf *b, const kg_graph *g, kg_id n)
{
    const char *key = kg_graph_node_key(g, n);
    size_t i, nl;
    const kg_atom *labels = kg_graph_labels(g, n, &nl);

    kg_buf_puts(b, "{\"key\":");
    kg_mode__json_string(b, key != NULL ? key : "", key ? strlen(key) : 0);
    kg_buf_puts(b, ",\"labels\":[");
    for (i = 0; i < nl; i++) {
        if (i > 0) kg_buf_putc(b, ',');
        json_atom(b, g, labels[i]);
    }
    kg_buf_puts(b, "],");
    json_props(b, g, KG_NODE, n);
    kg_buf_putc(b, '}');
}

static void json_rel(kg_buf *b, const kg_graph *g, kg_id e)
{
    const char *src = kg_graph_node_key(g, kg_graph_edge_src(g, e));
    const char *dst = kg_graph_node_key(g, kg_graph_edge_dst(g, e));

    kg_buf_puts(b, "{\"type\":");
    json_atom(b, g, kg_graph_edge_type(g, e));
    kg_buf_puts(b, ",\"start\":");
    kg_mode__json_string(b, src ? src : "", src ? strlen(src) : 0);
    kg_buf_puts(b, ",\"end\":");
    kg_mode__json_string(b, dst ? dst : "", dst ? strlen(dst) : 0);
    kg_buf_putc(b, ',');
    json_props(b, g, KG_EDGE, e);
    kg_buf_putc(b, '}');
}

static void json_float(kg_buf *b, double f)
{
    char num[40];

    if (!isfinite(f)) { /* JSON has no NaN or infinity */
        kg_buf_puts(b, "null");
        return;
    }
    snprintf(num, sizeof num, "%.15g", f);
    if (strtod(num, NULL) != f) snprintf(num, sizeof num, "%.17g", f);
    kg_buf_puts(b, num);
    if (strpbrk(num, ".eEn") == NULL) kg_buf_puts(b, ".0");
}

int kg_mode__json(kg_buf *b, const kg_graph *g, const kg_value *v)
{
    uint32_t i;

    switch (v->type) {
    case KG_VNULL:
        kg_buf_puts(b, "null");
        break;
    case KG_VBOOL:
        kg_buf_puts(b, v->u.b ? "true" : "false");
        break;
    case KG_VINT:
        kg_buf_printf(b, "%lld", (long long)v->u.i);
        break;
    case KG_VFLOAT:
        json_float(b, v->u.f);
        break;
    KG_VCASE_STR:
        kg_mode__json_string(b, v->u.str->s, v->u.str->len);
        break;
    case KG_VLIST:
    case KG_VPATH:
        kg_buf_putc(b, '[');
        for (i = 0; i < v->u.list->len; i++) {
            if (i > 0) kg_buf_putc(b, ',');
            kg_mode__json(b, g, &v->u.list->items[i]);
        }
        kg_buf_putc(b, ']');
        break;
    case KG_VMAP:
        kg_buf_putc(b, '{');
        for (i = 0; i < v->u.map->len; i++) {
            if (i > 0) kg_buf_putc(b, ',');
            kg_mode__json_string(b, v->u.map->keys[i]->s,
                                 v->u.map->keys[i]->len);
            kg_buf_putc(b, ':');
            kg_mode__json(b, g, &v->u.map->vals[i]);
        }
        kg_buf_putc(b, '}');
        break;
    case KG_VNODE:
        if (element_gone(g, v))
            kg_buf_puts(b, "null");
        else
            json_node(b, g, v->u.id);
        break;
    case KG_VREL:
        if (element_gone(g, v))
            kg_buf_puts(b, "null");
        else
            json_rel(b, g, v->u.id);
        break;
    default:
        kg_buf_puts(b, "null");
        break;
    }
    return b->oom ? KG_ENOMEM : KG_OK;
}

/* ---- streaming writers ---- */

static void flush_tmp(kg_sink *s)
{
    kg_out__put(s->out, s->tmp.data, s->tmp.len);
    kg_buf_reset(&s->tmp);
}

/* RFC 4180: quote a field holding the separator, a quote, a line break, or
 * edge spaces; double the quotes inside. */
static void csv_field(kg_buf *b, const char *t, size_t len)
{
    int quote = len > 0 && (t[0] == ' ' || t[len - 1] == ' ');
    size_t i;

    for (i = 0; i < len && !quote; i++)
        if (t[i] == ',' || t[i] == '"' || t[i] == '\n' || t[i] == '\r')
            quote = 1;
    if (!quote) {
        kg_buf_put(b, t, len);
        return;
    }
    kg_buf_putc(b, '"');
    for (i = 0; i < len; i++) {
        if (t[i] == '"') kg_buf_putc(b, '"');
        kg_buf_putc(b, t[i]);
    }
    kg_buf_putc(b, '"');
}

/* csv and tsv share a writer; the field text is display text (escaped),
 * null is the empty field. */
static void sep_line(kg_sink *s, const kg_value *vals, char sep)
{
    kg_buf cell = KG_BUF_INIT;
    size_t i;

    for (i = 0; i < s->ncols; i++) {
        if (i > 0) kg_buf_putc(&s->tmp, sep);
        kg_buf_reset(&cell);
        if (vals != NULL) {
            if (vals[i].type != KG_VNULL) kg_mode__text(&cell, s->g, &vals[i]);
        } else {
            kg_buf_put_safe(&cell, s->names[i], strlen(s->names[i]));
        }
        if (sep == ',')
            csv_field(&s->tmp, cell.data ? cell.data : "", cell.len);
        else
            kg_buf_put(&s->tmp, cell.data ? cell.data : "", cell.len);
    }
    kg_buf_putc(&s->tmp, '\n');
    kg_buf_free(&cell);
    flush_tmp(s);
}

static void csv_begin(kg_sink *s)
{
    if (s->headers && s->ncols > 0) sep_line(s, NULL, ',');
}
static void csv_row(kg_sink *s, const kg_value *vals)
{
    sep_line(s, vals, ',');
}
static void tsv_begin(kg_sink *s)
{
    if (s->headers && s->ncols > 0) sep_line(s, NULL, '\t');
}
static void tsv_row(kg_sink *s, const kg_value *vals)
{
    sep_line(s, vals, '\t');
}

static void json_object(kg_sink *s, const kg_value *vals)
{
    size_t i;

    kg_buf_putc(&s->tmp, '{');
    for (i = 0; i < s->ncols; i++) {
        if (i > 0) kg_buf_putc(&s->tmp, ',');
        kg_mode__json_string(&s->tmp, s->names[i], strlen(s->names[i]));
        kg_buf_putc(&s->tmp, ':');
        kg_mode__json(&s->tmp, s->g, &vals[i]);
    }
    kg_buf_putc(&s->tmp, '}');
}

/* json: one array, one object per line, so that a large result is still
 * readable and diffable; an empty result is "[]". */
static void json_row(kg_sink *s, const kg_value *vals)
{
    kg_buf_puts(&s->tmp, s->nrows == 1 ? "[\n" : ",\n");
    json_object(s, vals);
    flush_tmp(s);
}

static void json_end(kg_sink *s)
{
    kg_out__puts(s->out, s->nrows == 0 ? "[]\n" : "\n]\n");
}

static void jsonl_row(kg_sink *s, const kg_value *vals)
{
    json_object(s, vals);
    kg_buf_putc(&s->tmp, '\n');
    flush_tmp(s);
}

/* line: "name = value" per column, names right-aligned, a blank line
 * between rows (as sqlite3's .mode line). */
static void line_row(kg_sink *s, const kg_value *vals)
{
    size_t i, w, namew = 0;

    for (i = 0; i < s->ncols; i++) {
        w = kg_utf8_width(s->names[i], strlen(s->names[i]));
        if (w > namew) namew = w;
    }
    if (s->nrows > 1) kg_out__put(s->out, "\n", 1);
    for (i = 0; i < s->ncols; i++) {
        w = kg_utf8_width(s->names[i], strlen(s->names[i]));
        kg_out__printf(s->out, "%*s", (int)(namew - w), "");
        kg_out__sgr(s->out, KG_SGR_BOLD);
        kg_out__safe(s->out, s->names[i], strlen(s->names[i]));
        kg_out__sgr(s->out, NULL);
        kg_out__puts(s->out, " = ");
        if (vals[i].type == KG_VNULL) {
            kg_out__sgr(s->out, KG_SGR_DIM);
            kg_out__puts(s->out, s->m->null_text);
            kg_out__sgr(s->out, NULL);
        } else {
            kg_mode__text(&s->tmp, s->g, &vals[i]);
            flush_tmp(s);
        }
        kg_out__put(s->out, "\n", 1);
    }
}

/* ---- the table ---- */

/* clang-format off */
static const kg_mode_info kg_modes[KG_MODE__COUNT] = { /* ORDER MODE */
    {"box", "aligned columns in box-drawing characters (terminal default)",
     1, 1, "null", NULL, NULL, NULL},
    {"table", "aligned columns in ASCII +---+ borders", 1, 1, "null", NULL,
     NULL, NULL},
    {"markdown", "a GitHub Markdown pipe table", 1, 1, "", NULL, NULL, NULL},
    {"csv", "RFC 4180 comma-separated values (default off a terminal)", 0, 1,
     "", csv_begin, csv_row, NULL},
    {"tsv", "tab-separated values, escapes for tabs and newlines", 0, 1, "",
     tsv_begin, tsv_row, NULL},
    {"json", "one JSON array of objects", 0, 1, "null", NULL, json_row,
     json_end},
    {"jsonl", "one JSON object per line", 0, 1, "null", NULL, jsonl_row,
     NULL},
    {"line", "one \"column = value\" line per value, rows apart", 0, 1, "null",
     NULL, line_row, NULL},
};
/* clang-format on */

const kg_mode_info *kg_mode__info(int mode)
{
    if (mode < 0 || mode >= KG_MODE__COUNT) mode = KG_MODE_BOX;
    return &kg_modes[mode];
}

int kg_mode__find(const char *name)
{
    int i, found = -1;
    size_t n = strlen(name);

    if (n == 0) return -1;
    for (i = 0; i < KG_MODE__COUNT; i++) {
        if (strcmp(kg_modes[i].name, name) == 0) return i;
        if (strncmp(kg_modes[i].name, name, n) == 0) {
            if (found >= 0) return -1; /* ambiguous prefix */
            found = i;
        }
    }
    return found;
}
