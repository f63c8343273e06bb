/* show.c - the node card (.show KEY) and full-text search (.search TEXT).
 *
 * The card is what a person wants after finding a node: its labels, where
 * it was declared, its properties, its edges both ways grouped by type with
 * the file and line each edge came from, and the start of its text. It is
 * laid out for reading, not parsing (a script asks a query for data), and
 * everything on it that came from a note passes through kg_out__safe.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "shell_int.h"

#define TEXT_LINES 6u   /* lines of note text on the card */
#define TEXT_BYTES 600u /* and at most this much of it    */

static const char *node_name(const kg_graph *g, kg_id n)
{
    kg_atom a = kg_graph_atom_find(g, "name", 4);
    const kg_value *v = a == KG_NONE ? NULL : kg_graph_prop(g, KG_NODE, n, a);

    return v != NULL && v->type == KG_VSTRING ? v->u.str->s : NULL;
}

static void safe(kg_out *o, const char *s)
{
    if (s != NULL) kg_out__safe(o, s, strlen(s));
}

static void origin(kg_out *o, const kg_graph *g, kg_elem kind, kg_id id)
{
    uint32_t line = 0;
    const char *file = kg_graph_origin(g, kind, id, &line);

    if (file == NULL) return;
    kg_out__sgr(o, KG_SGR_DIM);
    safe(o, file);
    if (line > 0) kg_out__printf(o, ":%u", (unsigned)line);
    kg_out__sgr(o, NULL);
}

static void heading(kg_out *o, const char *title, size_t n)
{
    kg_out__sgr(o, KG_SGR_BOLD);
    kg_out__puts(o, title);
    kg_out__sgr(o, NULL);
    if (n != (size_t)-1) kg_out__printf(o, " (%zu)", n);
    kg_out__put(o, "\n", 1);
}

static void value(kg_out *o, const kg_graph *g, const kg_value *v)
{
    kg_buf b = KG_BUF_INIT;

    kg_mode__text(&b, g, v); /* already escaped */
    kg_out__put(o, b.data ? b.data : "", b.len);
    kg_buf_free(&b);
}

static void properties(kg_out *o, const kg_graph *g, kg_id n)
{
    size_t i, w, width = 0, count = kg_graph_prop_count(g, KG_NODE, n);
    kg_atom key;
    const kg_value *v;

    heading(o, "Properties", count);
    for (i = 0; i < count; i++) {
        kg_graph_prop_at(g, KG_NODE, n, i, &key);
        w = kg_utf8_width(kg_graph_atom_str(g, key),
                          strlen(kg_graph_atom_str(g, key)));
        if (w > width) width = w;
    }
    for (i = 0; i < count; i++) {
        const char *k;
        v = kg_graph_prop_at(g, KG_NODE, n, i, &key);
        k = kg_graph_atom_str(g, key);
        kg_out__puts(o, "  ");
        kg_out__sgr(o, KG_SGR_CYAN);
        safe(o, k);
        kg_out__sgr(o, NULL);
        kg_out__printf(o, "%*s  ", (int)(width - kg_utf8_width(k, strlen(k))),
                       "");
        if (v != NULL) value(o, g, v);
        kg_out__put(o, "\n", 1);
    }
}

/* One direction of a node's edges, grouped by type in first-seen order;
 * within a type, the order the edges were declared. */
static void edges(kg_out *o, const kg_graph *g, kg_id n, int out)
{
    size_t count, i, j, ntypes = 0;
    const kg_id *es =
        out ? kg_graph_out(g, n, &count) : kg_graph_in(g, n, &count);
    kg_atom types[64];
    int more = 0;

    heading(o, out ? "Outgoing" : "Incoming", count);
    for (i = 0; i < count; i++) {
        kg_atom t = kg_graph_edge_type(g, es[i]);
        for (j = 0; j < ntypes && types[j] != t; j++) {
        }
        if (j == ntypes) {
            if (ntypes < sizeof types / sizeof types[0])
                types[ntypes++] = t;
            else
                more = 1;
        }
    }
    for (j = 0; j < ntypes; j++) {
        kg_out__puts(o, "  ");
        kg_out__sgr(o, KG_SGR_YELLOW);
        safe(o, kg_graph_atom_str(g, types[j]));
        kg_out__sgr(o, NULL);
        kg_out__put(o, "\n", 1);
        for (i = 0; i < count; i++) {
            kg_id e = es[i], other;
            const char *name;
            if (kg_graph_edge_type(g, e) != types[j]) continue;
            other = out ? kg_graph_edge_dst(g, e) : kg_graph_edge_src(g, e);
            name = node_name(g, other);
            kg_out__puts(o, out ? "    -> " : "    <- ");
            kg_out__sgr(o, KG_SGR_CYAN);
            safe(o, kg_graph_node_key(g, other));
            kg_out__sgr(o, NULL);
            if (name != NULL &&
                strcmp(name, kg_graph_node_key(g, other)) != 0) {
                kg_out__puts(o, "  ");
                safe(o, name);
            }
            if (kg_graph_prop_count(g, KG_EDGE, e) > 0) {
                kg_value rel = kg_value_rel(e);
                kg_out__puts(o, "  ");
                value(o, g, &rel);
            }
            kg_out__puts(o, "  ");
            origin(o, g, KG_EDGE, e);
            kg_out__put(o, "\n", 1);
        }
    }
    if (more) kg_out__puts(o, "  (more types not shown)\n");
}

static void text(kg_out *o, const char *t)
{
    size_t lines = 0, len = strlen(t), shown = 0;
    const char *p = t, *nl;

    while (len > 0 && (*p == '\n' || *p == '\r'))
        p++, len--;
    if (len == 0) return;
    heading(o, "Text", (size_t)-1);
    while (*p != '\0' && lines < TEXT_LINES && shown < TEXT_BYTES) {
        size_t n;
        nl = strchr(p, '\n');
        n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (shown + n > TEXT_BYTES) n = TEXT_BYTES - shown;
        if (n > 0) kg_out__puts(o, "  ");
        kg_out__safe(o, p, n);
        kg_out__put(o, "\n", 1);
        shown += n + 1;
        lines++;
        p += n;
        if (*p == '\n')
            p++;
        else if (*p != '\0')
            break; /* cut inside a line */
    }
    if (*p != '\0') {
        kg_out__sgr(o, KG_SGR_DIM);
        kg_out__printf(o, "  ... (%zu more bytes)\n", strlen(p));
        kg_out__sgr(o, NULL);
    }
}

/* Up to three keys whose key or name holds key (ASCII case-insensitive),
 * appended to b as "; did you mean 'a', 'b'?". */
static void suggest(kg_buf *b, const kg_graph *g, const char *key)
{
    size_t i, cap = kg_graph_cap(g, KG_NODE), found = 0, klen = strlen(key);

    for (i = 0; i < cap && found < 3 && klen > 0; i++) {
        const char *cand[2];
        int k;
        if (!kg_graph_alive(g, KG_NODE, (kg_id)i)) continue;
        cand[0] = kg_graph_node_key(g, (kg_id)i);
        cand[1] = node_name(g, (kg_id)i);
        for (k = 0; k < 2; k++) {
            const char *s = cand[k];
            size_t j, n = s ? strlen(s) : 0;
            for (j = 0; j + klen <= n; j++) {
                size_t m = 0;
                while (m < klen && (s[j + m] | 0x20) == (key[m] | 0x20))
                    m++;
                if (m == klen) break;
            }
            if (s != NULL && j + klen <= n) {
                kg_buf_printf(b, "%s'%s'", found ? ", " : "; did you mean ",
                              kg_graph_node_key(g, (kg_id)i));
                found++;
                break;
            }
        }
    }
    if (found > 0) kg_buf_putc(b, '?');
}

int kg_shell__show(kg_shell *sh, const char *key, kg_error *err)
{
    kg_graph *g;
    kg_out *o;
    kg_id n;
    size_t nl, i;
    const kg_atom *ls;
    const char *name;
    int ambiguous = 0, rc;

    if ((rc = kg_session__current(sh, &g, err)) < 0) return rc;
    n = kg_graph_node_resolve(g, key, &ambiguous);
    if (n == KG_NONE) {
        kg_buf hint = KG_BUF_INIT;
        suggest(&hint, g, key);
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "no node with key, name or alias '%s'%s", key,
                          hint.data != NULL ? hint.data : "");
        kg_buf_free(&hint);
        return rc;
    }
    o = kg_shell__out_begin(sh);
    name = node_name(g, n);
    kg_out__sgr(o, KG_SGR_BOLD);
    safe(o, name != NULL ? name : kg_graph_node_key(g, n));
    kg_out__sgr(o, NULL);
    kg_out__puts(o, "  (");
    kg_out__sgr(o, KG_SGR_CYAN);
    safe(o, kg_graph_node_key(g, n));
    kg_out__sgr(o, NULL);
    kg_out__puts(o, ")\n  labels    ");
    ls = kg_graph_labels(g, n, &nl);
    for (i = 0; i < nl; i++) {
        if (i > 0) kg_out__puts(o, ", ");
        safe(o, kg_graph_atom_str(g, ls[i]));
    }
    if (nl == 0) kg_out__puts(o, "(none)");
    kg_out__puts(o, "\n  declared  ");
    origin(o, g, KG_NODE, n);
    kg_out__put(o, "\n", 1);
    if (ambiguous)
        kg_out__printf(o, "  (other nodes share this name or alias; this one "
                          "was added first)\n");
    properties(o, g, n);
    edges(o, g, n, 1);
    edges(o, g, n, 0);
    text(o, kg_graph_node_text(g, n));
    kg_shell__out_end(sh);
    return KG_OK;
}

/* ---- search ---- */

/* Hits are collected, then printed: a malformed search is an error with no
 * table header before it. */
typedef struct {
    char **keys;
    double *scores;
    size_t n, cap;
    long left;
    int oom;
} hits;

static int hit(const char *key, double score, void *payload)
{
    hits *h = payload;

    if (h->left == 0) return 1;
    if (h->left > 0) h->left--;
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 32;
        char **nk = kg_realloc(h->keys, ncap * sizeof *nk);
        double *ns;
        if (nk == NULL) goto oom;
        h->keys = nk;
        ns = kg_realloc(h->scores, ncap * sizeof *ns);
        if (ns == NULL) goto oom;
        h->scores = ns;
        h->cap = ncap;
    }
    if ((h->keys[h->n] = kg_strdup(key)) == NULL) goto oom;
    h->scores[h->n++] = score;
    return 0;
oom:
    h->oom = 1;
    return 1;
}

static void hit_row(kg_table *t, const kg_graph *g, const char *key,
                    double score)
{
    kg_id n = kg_graph_node_find(g, key);
    kg_buf labels = KG_BUF_INIT;
    size_t nl = 0, i;
    const kg_atom *ls = NULL;

    if (n != KG_NONE) ls = kg_graph_labels(g, n, &nl);
    for (i = 0; i < nl; i++)
        kg_buf_printf(&labels, "%s%s", i ? ", " : "",
                      kg_graph_atom_str(g, ls[i]));
    kg_table__str(t, 0, key);
    kg_table__str(t, 1, n != KG_NONE ? node_name(g, n) : NULL);
    kg_table__str(t, 2, labels.data != NULL ? labels.data : "");
    /* bm25 is lower-is-better and negative; show higher-is-better */
    kg_table__cell(t, 3, kg_value_float(round(-score * 1000.0) / 1000.0 + 0.0));
    kg_table__row(t);
    kg_buf_free(&labels);
}

int kg_shell__search(kg_shell *sh, const char *text, long limit, kg_error *err)
{
    static const char *const names[] = {"key", "name", "labels", "score"};
    hits h;
    kg_graph *g;
    kg_table t;
    size_t i;
    int rc;

    memset(&h, 0, sizeof h);
    h.left = limit > 0 ? limit : -1;
    if ((rc = kg_session__current(sh, &g, err)) < 0) return rc;
    rc = kg_store_search(sh->store, sh->version, text, hit, &h, err);
    if (rc >= 0 && h.oom)
        rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
    if (rc >= 0) {
        if (kg_table__begin(&t, sh, names, 4, g) < 0) {
            rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                              "out of memory");
        } else {
            for (i = 0; i < h.n; i++)
                hit_row(&t, g, h.keys[i], h.scores[i]);
            kg_table__end(&t, 1);
            rc = KG_OK;
        }
    }
    for (i = 0; i < h.n; i++)
        kg_free(h.keys[i]);
    kg_free(h.keys);
    kg_free(h.scores);
    return rc;
}
