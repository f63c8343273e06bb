/* export_fuzzer.c - every exporter over a graph built from fuzz bytes.
 *
 * Keys, labels, edge types, property names and values, body text, the
 * origin file name, the DOT title and the cluster property all come from
 * the input, so they hold quotes, backslashes, angle brackets, ampersands,
 * control characters, terminal escapes and invalid UTF-8. Each format is
 * then checked by a reader of its own syntax, written here small and
 * strict, because the danger is not a crash but an export that a note can
 * break or inject into:
 *   DOT      valid UTF-8, no control characters, every quoted string and
 *            HTML label closed, only the tags the exporter writes inside a
 *            label, braces balanced, one "->" per exported edge;
 *   GraphML  well-formed XML 1.0: tags nest, attributes quoted, entities
 *            and character references valid, no character XML forbids;
 *   JSON     kg_json_parse reads it, with one entry per node and edge;
 *   Cypher   the script prepares and runs in kgsh's own engine and
 *            creates one node per exported node;
 *   CSV      kg_table_parse reads both files back with one record per
 *            exported node and edge.
 *
 * Input layout: a sequence of operations, each an opcode byte followed by
 * length-prefixed strings (see take_str). It is meant to be mutated, not
 * written by hand; the seed corpus was made with the same layout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"
#include "kg_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS 96u

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned take_byte(reader *r)
{
    unsigned b;

    if (r->n == 0) return 0;
    b = *r->p++;
    r->n--;
    return b;
}

/* A string of up to 31 bytes (the length byte's low 5 bits); may hold NUL.
 * Values keep every byte; names (labels, types, property keys) are cut at
 * the NUL, because the exporters read atoms back as C strings: two atoms
 * "a" and "a\0b" would both print as "a" (nothing in kgsh makes such
 * atoms from notes or tables). */
static size_t take_str(reader *r, char *buf)
{
    size_t len = take_byte(r) & 31u;

    if (len > r->n) len = r->n;
    memcpy(buf, r->p, len);
    buf[len] = '\0';
    r->p += len;
    r->n -= len;
    return len;
}

static kg_value take_value(reader *r)
{
    char s[32];
    unsigned kind = take_byte(r) % 8u, hi, lo;
    size_t len = take_str(r, s), i;
    kg_value v;

    switch (kind) {
    case 0: return kg_value_string(s, len);
    case 1: /* near both ends of the range: unsigned arithmetic wraps */
        hi = take_byte(r);
        lo = take_byte(r);
        return kg_value_int((int64_t)(((uint64_t)hi << 56 | lo) - 3u));
    case 2: return kg_value_float(len ? (double)(int8_t)s[0] / 7.0 : 0.0 / 0.0);
    case 3: return kg_value_bool(len & 1);
    case 4: return kg_value_date("2024-02-29", 10);
    case 5:
        v = kg_value_list(len > 4 ? 4 : len);
        for (i = 0; i < len && i < 4; i++)
            kg_value_list_set(&v, i, kg_value_string(s + i, len - i));
        return v;
    case 6: /* a key as set_prop makes them: cut at NUL, valid UTF-8 */
        v = kg_value_map();
        len = strlen(s);
        if (!kg_utf8_valid(s, len)) len = 0;
        kg_value_map_set(&v, s, len, kg_value_int((int64_t)len));
        return v;
    default: return kg_value_float(1.0 / 0.0);
    }
}

typedef struct {
    kg_graph *g;
    kg_id last_node, last_edge;
    char cluster[32];
    char title[32];
    int has_title, has_cluster, rankdir;
} built;

static void set_prop(kg_graph *g, kg_elem kind, kg_id id, reader *r)
{
    char key[32];
    kg_value v;

    take_str(r, key);
    v = take_value(r);

    /* Property names are kept to valid UTF-8: notes and tables are
     * repaired and JSON is checked, and the exporters write invalid bytes
     * as U+FFFD, which merges two distinct invalid names into one JSON
     * key. The query lexer refuses invalid UTF-8 too, so no name in a
     * graph kgsh builds is invalid. */
    if (kg_utf8_valid(key, strlen(key)))
        kg_graph_prop_set(g, kind, id, kg_graph_atom(g, key, strlen(key)), &v);
    kg_value_release(&v);
}

static void build(built *b, reader *r)
{
    char s[32];
    size_t nodes;
    unsigned ops = 0, op;
    kg_graph *g = b->g;

    while (r->n > 0 && ops++ < MAX_OPS) {
        op = take_byte(r) % 9u;
        nodes = kg_graph_cap(g, KG_NODE);
        switch (op) {
        case 0:
            take_str(r, s);
            b->last_node = kg_graph_node_add(g, s[0] ? s : NULL, NULL);
            break;
        case 1:
            take_str(r, s);
            if (b->last_node != KG_NONE)
                kg_graph_label_add(g, b->last_node,
                                   kg_graph_atom(g, s, strlen(s)));
            break;
        case 2:
            if (b->last_node != KG_NONE)
                set_prop(g, KG_NODE, b->last_node, r);
            break;
        case 3:
            if (nodes > 0) {
                kg_id a = (kg_id)(take_byte(r) % nodes);
                kg_id z = (kg_id)(take_byte(r) % nodes);
                take_str(r, s);
                b->last_edge = kg_graph_edge_add(g, a, z,
                                                 kg_graph_atom(g, s, strlen(s)),
                                                 NULL);
            }
            break;
        case 4:
            if (b->last_edge != KG_NONE) set_prop(g, KG_EDGE, b->last_edge, r);
            break;
        case 5:
            take_str(r, s);
            if (b->last_node != KG_NONE)
                kg_graph_node_text_set(g, b->last_node, s);
            break;
        case 6:
            take_str(r, s);
            if (b->last_node != KG_NONE)
                kg_graph_origin_set(g, KG_NODE, b->last_node, s,
                                    take_byte(r));
            break;
        case 7:
            take_str(r, b->title);
            b->has_title = 1;
            break;
        default:
            take_str(r, b->cluster);
            b->has_cluster = 1;
            b->rankdir = (int)(take_byte(r) % 5u);
            break;
        }
    }
}

/* What is being checked, so that a failure shows it (the input alone
 * would need this harness to decode). */
static const char *cur_fmt = "";
static const char *cur_out;
static size_t cur_len;

_Noreturn static void bad(int line)
{
    kg_buf b = KG_BUF_INIT;

    kg_buf_put_safe(&b, cur_out ? cur_out : "",
                    cur_out ? (cur_len > 4000 ? 4000 : cur_len) : 0);
    fprintf(stderr, "export_fuzzer.c:%d: check failed on the %s export:\n%s\n",
            line, cur_fmt, b.data ? b.data : "");
    kg_buf_free(&b);
    abort();
}
#define BAD() bad(__LINE__)

/* ---- DOT ---- */

static const char *const dot_tags[] = {
    "<BR/>", "<FONT POINT-SIZE=\"9\">", "</FONT>", "<B>", "</B>", "<I>",
    "</I>"
};

static size_t check_entity(const char *s, size_t n, size_t i)
{
    static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                       "&apos;"};
    size_t k, j;

    for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
        size_t el = strlen(ents[k]);
        if (n - i >= el && memcmp(s + i, ents[k], el) == 0) return el;
    }
    /* &#N; or &#xH; with a code point XML 1.0 allows */
    if (n - i >= 4 && s[i + 1] == '#') {
        unsigned long cp = 0;
        int hex = s[i + 2] == 'x';
        for (j = i + 2 + (size_t)hex; j < n && s[j] != ';'; j++) {
            int c = (unsigned char)s[j], d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else BAD();
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
            if (cp > 0x10FFFF) BAD();
        }
        if (j == n || j == i + 2 + (size_t)hex) BAD();
        if ((cp < 0x20 && cp != 9 && cp != 10 && cp != 13) || cp == 0xFFFE ||
            cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            BAD();
        return j + 1 - i;
    }
    BAD();
}

static void check_dot(const char *s, size_t n, size_t want_edges)
{
    size_t i = 0, edges = 0, k;
    long depth = 0;

    if (!kg_utf8_valid(s, n)) BAD();
    if (n < 14 || memcmp(s, "digraph kg {\n", 13) != 0 ||
        memcmp(s + n - 2, "}\n", 2) != 0)
        BAD();
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++) {
                if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) BAD();
                if (s[i] == '\\' && ++i == n) BAD();
            }
            if (i++ == n) BAD();
        } else if (c == '<') {
            /* an HTML-like label: text, entities and the known tags */
            for (i++;;) {
                if (i == n) BAD();
                if (s[i] == '>') break;
                if (s[i] == '<') {
                    for (k = 0; k < sizeof dot_tags / sizeof dot_tags[0]; k++)
                        if (n - i >= strlen(dot_tags[k]) &&
                            memcmp(s + i, dot_tags[k],
                                   strlen(dot_tags[k])) == 0)
                            break;
                    if (k == sizeof dot_tags / sizeof dot_tags[0]) BAD();
                    i += strlen(dot_tags[k]);
                } else if (s[i] == '&') {
                    i += check_entity(s, n, i);
                } else if ((unsigned char)s[i] < 0x20 || s[i] == '"' ||
                           s[i] == 0x7f) {
                    BAD();
                } else {
                    i++;
                }
            }
            i++;
        } else {
            if (c < 0x20 && c != '\n') BAD();
            if (c == '{') depth++;
            if (c == '}' && --depth < 0) BAD();
            if (c == '-' && i + 1 < n && s[i + 1] == '>') edges++;
            i++;
        }
    }
    if (depth != 0) BAD();
    if (want_edges != SIZE_MAX && edges != want_edges) BAD();
}

/* ---- GraphML (well-formed XML) ---- */

static int name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == ':';
}

static void check_xml_text(const char *s, size_t n, size_t *i, char stop)
{
    while (*i < n && s[*i] != stop && s[*i] != '<') {
        unsigned char c = (unsigned char)s[*i];
        if (c == '&') {
            *i += check_entity(s, n, *i);
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') BAD();
        if (stop == '"' && (c == '\t' || c == '\n' || c == '\r')) BAD();
        /* U+FFFE, U+FFFF: EF BF BE / EF BF BF */
        if (c == 0xEF && n - *i >= 3 && (unsigned char)s[*i + 1] == 0xBF &&
            ((unsigned char)s[*i + 2] & 0xFE) == 0xBE)
            BAD();
        (*i)++;
    }
}

static void check_graphml(const char *s, size_t n)
{
    const char *stack[64];
    size_t lens[64], depth = 0, i = 0, roots = 0;

    if (!kg_utf8_valid(s, n)) BAD();
    while (i < n) {
        if (s[i] != '<') {
            size_t st = i;
            check_xml_text(s, n, &i, '<');
            if (depth == 0) /* only blank text outside the root */
                for (; st < i; st++)
                    if (s[st] != '\n' && s[st] != ' ') BAD();
            continue;
        }
        if (n - i >= 2 && s[i + 1] == '?') {
            const char *e = strstr(s + i, "?>");
            if (e == NULL) BAD();
            i = (size_t)(e - s) + 2;
        } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = strstr(s + i, "-->");
            if (e == NULL) BAD();
            i = (size_t)(e - s) + 3;
        } else if (n - i >= 2 && s[i + 1] == '/') {
            size_t st = i + 2, len;
            for (i = st; i < n && name_char((unsigned char)s[i]); i++) {}
            len = i - st;
            if (depth == 0 || len != lens[depth - 1] ||
                memcmp(s + st, stack[depth - 1], len) != 0 || i == n ||
                s[i] != '>')
                BAD();
            depth--;
            i++;
        } else {
            size_t st = i + 1;
            for (i = st; i < n && name_char((unsigned char)s[i]); i++) {}
            if (i == st) BAD();
            if (depth == 0 && roots++ > 0) BAD();
            if (depth == 64) BAD();
            stack[depth] = s + st;
            lens[depth] = i - st;
            for (;;) { /* attributes */
                while (i < n && (s[i] == ' ' || s[i] == '\n')) i++;
                if (i == n) BAD();
                if (s[i] == '>') {
                    depth++;
                    i++;
                    break;
                }
                if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
                    i += 2;
                    break;
                }
                st = i;
                while (i < n && name_char((unsigned char)s[i])) i++;
                if (i == st || i + 1 >= n || s[i] != '=' || s[i + 1] != '"')
                    BAD();
                i += 2;
                check_xml_text(s, n, &i, '"');
                if (i == n || s[i] != '"') BAD();
                i++;
            }
        }
    }
    if (depth != 0 || roots != 1) BAD();
}

/* ---- JSON, Cypher, CSV: read back with kgsh's own readers ---- */

static void check_json(const char *s, size_t n, size_t nn, size_t ne)
{
    kg_value v;
    kg_error err;
    const kg_value *nodes, *edges;

    if (kg_json_parse(&v, s, n, 0, &err) < 0) {
        if (err.code == KG_ENOMEM) return;
        BAD();
    }
    nodes = kg_value_map_get(&v, "nodes");
    edges = kg_value_map_get(&v, "edges");
    if (nodes == NULL || edges == NULL || nodes->type != KG_VLIST ||
        edges->type != KG_VLIST || nodes->u.list->len != nn ||
        edges->u.list->len != ne)
        BAD();
    kg_value_release(&v);
}

static void check_cypher(const char *s, size_t n, size_t nn)
{
    kg_graph *g = kg_graph_new();
    kg_query_env env;
    kg_query *q;
    kg_query_stats st;
    kg_error err;
    size_t len = n;
    int rc;

    if (g == NULL) return;
    /* one statement and its ';': the query API takes the statement only */
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' ')) len--;
    if (len > 0 && s[len - 1] == ';') len--;
    memset(&env, 0, sizeof env);
    env.graph = g;
    rc = kg_query_prepare(&q, &env, s, len, &err);
    if (rc < 0) {
        if (rc == KG_ENOMEM) goto done;
        fprintf(stderr, "cypher export does not prepare: %s\n%.*s\n", err.msg,
                (int)n, s);
        BAD();
    }
    while ((rc = kg_query_step(q, &err)) == KG_ROW) {}
    if (rc < 0 && rc != KG_ENOMEM) {
        fprintf(stderr, "cypher export does not run: %s\n", err.msg);
        BAD();
    }
    kg_query_stats_get(q, &st);
    if (rc == KG_DONE && st.nodes_created != nn) BAD();
    kg_query_free(q);
done:
    kg_graph_free(g);
}

/* The elements one export holds. */
typedef struct {
    const kg_id *nodes, *edges;
    size_t nn, ne;
} view;

/* Can this name travel through a Neptune CSV file? kgsh's reader refuses
 * empty ids, types and property names and any with control characters
 * (what the note and table parsers never produce, but a CREATE in the
 * shell can); those exports are still checked for syntax, not count. */
static int clean(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && kg_text__first_bad(s, n) == n && !kg_text__has_ctrl(s, n);
}

/* 1 when every key, label and type in the export is clean. */
static int ids_clean(const kg_graph *g, const view *v)
{
    size_t i, j, nl;

    for (i = 0; i < v->nn; i++) {
        const kg_atom *l = kg_graph_labels(g, v->nodes[i], &nl);
        if (!clean(kg_graph_node_key(g, v->nodes[i]))) return 0;
        for (j = 0; j < nl; j++)
            if (!clean(kg_graph_atom_str(g, l[j]))) return 0;
    }
    for (i = 0; i < v->ne; i++) {
        /* the reader normalises types (in-layer -> IN_LAYER) and refuses
         * those with no letter or digit: only a type that is its own
         * normal form comes back the same */
        const char *t = kg_graph_atom_str(g, kg_graph_edge_type(g, v->edges[i]));
        char *norm = kg_dataset_rel_type(t);
        int same = norm != NULL && strcmp(norm, t) == 0;
        kg_free(norm);
        if (!clean(t) || !same) return 0;
    }
    return 1;
}

/* 1 when every property name is clean. A name with values of several
 * types is exported as one column per type (weight:Int,
 * weight@Double:Double), which the table reader maps back to one key, so
 * such graphs are held to the no-error rule too. */
static int props_clean(const kg_graph *g, kg_elem kind, const kg_id *ids,
                       size_t n)
{
    size_t i, k, np;
    kg_atom key;

    for (i = 0; i < n; i++) {
        np = kg_graph_prop_count(g, kind, ids[i]);
        for (k = 0; k < np; k++) {
            kg_graph_prop_at(g, kind, ids[i], k, &key);
            if (!clean(kg_graph_atom_str(g, key))) return 0;
        }
    }
    return 1;
}

static void check_csv(const char *s, size_t n, size_t want, int edges,
                      int rows_exact, int no_errors)
{
    kg_doc d;
    kg_error err;
    uint32_t i, errors = 0;

    if (kg_doc_init(&d, edges ? "e.csv" : "n.csv") < 0) return;
    if (kg_table_parse(&d, s, n, &err) == KG_OK) {
        for (i = 0; i < d.ndiags; i++)
            if (d.diags[i].severity == KG_SEV_ERROR) errors++;
        if ((no_errors && errors > 0) ||
            (rows_exact && (edges ? d.nedges : d.nnodes) != want)) {
            for (i = 0; i < d.ndiags; i++)
                fprintf(stderr, "csv: %u:%u: %s\n", d.diags[i].line,
                        d.diags[i].col, d.diags[i].msg);
            BAD();
        }
    }
    kg_doc_free(&d);
}

/* ---- driver ---- */

static void export_all(built *b, const kg_subgraph *sg, const view *v)
{
    static const char *const dirs[] = {NULL, "TB", "lr", "BT", "sideways"};
    kg_export_opts o;
    kg_buf out = KG_BUF_INIT, edges = KG_BUF_INIT;
    kg_error err;
    int f, rc, ids = ids_clean(b->g, v);
    int props = ids && props_clean(b->g, KG_NODE, v->nodes, v->nn) &&
                props_clean(b->g, KG_EDGE, v->edges, v->ne);

    for (f = KG_FMT_DOT; f <= KG_FMT_CYPHER; f++) {
        memset(&o, 0, sizeof o);
        o.format = (kg_format)f;
        o.rankdir = dirs[b->rankdir];
        o.cluster_by = b->has_cluster ? b->cluster : NULL;
        o.title = b->has_title ? b->title : NULL;
        kg_buf_reset(&out);
        kg_buf_reset(&edges);
        memset(&err, 0, sizeof err);
        cur_fmt = kg_export_format_name((kg_format)f);
        if (f == KG_FMT_CSV_CYPHER || f == KG_FMT_CSV_GREMLIN) {
            rc = kg_export_csv(&out, &edges, b->g, sg,
                               f == KG_FMT_CSV_GREMLIN, &err);
            if (rc < 0) continue;
            cur_out = out.data;
            cur_len = out.len;
            check_csv(out.data, out.len, v->nn, 0, ids, props);
            cur_out = edges.data;
            cur_len = edges.len;
            check_csv(edges.data, edges.len, v->ne, 1, ids, props);
            continue;
        }
        rc = kg_export(&out, b->g, sg, &o, &err);
        if (rc < 0) {
            if (err.msg[0] == '\0') BAD();
            continue; /* a bad rankdir or cluster name: refused, fine */
        }
        cur_out = out.data;
        cur_len = out.len;
        if (out.data == NULL) BAD();
        switch (f) {
        case KG_FMT_DOT:
            check_dot(out.data, out.len, o.cluster_by ? SIZE_MAX : v->ne);
            break;
        case KG_FMT_GRAPHML: check_graphml(out.data, out.len); break;
        case KG_FMT_JSON: check_json(out.data, out.len, v->nn, v->ne); break;
        default: check_cypher(out.data, out.len, v->nn); break;
        }
    }
    kg_buf_free(&out);
    kg_buf_free(&edges);
}

/* The live ids of one kind, ascending (caller frees). */
static kg_id *live(const kg_graph *g, kg_elem kind, size_t *n)
{
    size_t cap = kg_graph_cap(g, kind), i;
    kg_id *ids = kg_calloc(cap ? cap : 1, sizeof *ids);

    *n = 0;
    if (ids == NULL) return NULL;
    for (i = 0; i < cap; i++)
        if (kg_graph_alive(g, kind, (kg_id)i)) ids[(*n)++] = (kg_id)i;
    return ids;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    built b;
    kg_subgraph sg;
    view v;
    kg_id *all_n, *all_e, *half = NULL, *xn = NULL, *xe = NULL;
    size_t i, nhalf = 0, nxn = 0, nxe = 0;

    memset(&b, 0, sizeof b);
    b.g = kg_graph_new();
    b.last_node = b.last_edge = KG_NONE;
    if (b.g == NULL) return 0;
    build(&b, &r);
    all_n = live(b.g, KG_NODE, &v.nn);
    all_e = live(b.g, KG_EDGE, &v.ne);
    if (all_n == NULL || all_e == NULL) goto done;
    v.nodes = all_n;
    v.edges = all_e;
    export_all(&b, NULL, &v);

    /* a subgraph: every other node, then one hop out from those */
    half = kg_calloc(v.nn ? v.nn : 1, sizeof *half);
    if (half == NULL) goto done;
    for (i = 0; i < v.nn; i += 2) half[nhalf++] = all_n[i];
    sg.nodes = half;
    sg.nnodes = nhalf;
    sg.edges = NULL;
    sg.nedges = 0;
    if (kg_subgraph_expand(b.g, &sg, 1, &xn, &nxn, &xe, &nxe) == KG_OK) {
        sg.nodes = v.nodes = xn;
        sg.nnodes = v.nn = nxn;
        sg.edges = v.edges = xe;
        sg.nedges = v.ne = nxe;
        export_all(&b, &sg, &v);
    }
done:
    kg_free(all_n);
    kg_free(all_e);
    kg_free(half);
    kg_free(xn);
    kg_free(xe);
    kg_graph_free(b.g);
    return 0;
}
