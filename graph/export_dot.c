/* export_dot.c - Graphviz DOT export: styled kinds, a legend, clusters.
 *
 * Names never become DOT identifiers. Nodes are n<i> (i = rank by key),
 * clusters cluster_<i>, legend entries k<i>; what a person reads goes into
 * HTML-like labels (<...>), where only & < > " need entities and no DOT
 * keyword, backslash sequence (\N, \l...) or quote can mean anything. Quoted
 * strings are used only for tooltips and fixed attribute values; there
 * backslashes and quotes are escaped. Control characters and invalid UTF-8
 * never reach the file (controls become spaces or U+FFFD), and labels are
 * cut at KG_EXPORT_LABEL_MAX code points, so `dot -Tsvg` accepts any graph
 * without a warning.
 *
 * Style: a node's kind is its first label. Kinds are numbered in name order
 * over the whole graph, not the export, so a kind keeps its colour and shape
 * from one export of a graph to the next. The palette is light fills under
 * black text with distinct shapes, readable on a grey-scale printout.
 *
 * Clusters (opts->cluster_by): by a property's value, or, when the name is
 * an edge type T, under the target of each node's T edge (the one with the
 * smallest target key): the target becomes a cluster whose label it is, and
 * targets of targets nest. Cycles and nesting deeper than
 * KG_EXPORT_CLUSTER_DEPTH are cut in key order. Edges that touch a cluster
 * head end at an invisible point inside the cluster, clipped at its border
 * (compound=true, lhead/ltail) unless the other end is inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

#define TOOLTIP_MAX 200u            /* code points of a tooltip part     */
/* Above this many edges the export caps dot's x-coordinate network
 * simplex (nslimit=1): on the bundled dataset (403 nodes, 1047 edges) it
 * took 122 of dot's 130 CPU seconds, and 2 with the cap, for a drawing
 * that differs little. Small graphs keep dot's full optimisation. */
#define DOT_NSLIMIT_EDGES 100u

/* Set3 from ColorBrewer: pale enough for black text, distinct in print. */
static const char *const fills[] = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"
};
static const char *const shapes[] = {
    "box", "ellipse", "hexagon", "octagon", "cylinder", "parallelogram",
    "component"
};
#define NFILLS (sizeof fills / sizeof fills[0])
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* ---- escaping ---- */

/* Controls and non-characters: written as U+FFFD, which dot accepts. */
static int dot_forbidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE ||
           cp == 0xFFFF;
}

/* Text inside an HTML-like label. Newlines and tabs become spaces (a name
 * is one line), other controls and non-characters U+FFFD. */
static void html_cp(kg_buf *b, uint32_t cp, int flags)
{
    (void)flags;
    switch (cp) {
    case '&': kg_buf_puts(b, "&amp;"); return;
    case '<': kg_buf_puts(b, "&lt;"); return;
    case '>': kg_buf_puts(b, "&gt;"); return;
    case '"': kg_buf_puts(b, "&quot;"); return;
    case '\n': case '\r': case '\t': kg_buf_putc(b, ' '); return;
    default: break;
    }
    kg_export__put_cp(b, dot_forbidden(cp) ? 0xFFFD : cp);
}

static void html_text(kg_buf *b, const char *s, size_t len, size_t max)
{
    kg_export__escape(b, s, len, "&<>\"", html_cp, 0, max);
}

/* Text inside a quoted escString (tooltips): \ and " escaped, a newline
 * kept as \n, other controls as U+FFFD. */
static void qtext_cp(kg_buf *b, uint32_t cp, int flags)
{
    (void)flags;
    switch (cp) {
    case '\\': kg_buf_puts(b, "\\\\"); return;
    case '"': kg_buf_puts(b, "\\\""); return;
    case '\n': kg_buf_puts(b, "\\n"); return;
    case '\r': case '\t': kg_buf_putc(b, ' '); return;
    default: break;
    }
    kg_export__put_cp(b, dot_forbidden(cp) ? 0xFFFD : cp);
}

static void qtext(kg_buf *b, const char *s, size_t len, size_t max)
{
    kg_export__escape(b, s, len, "\\\"", qtext_cp, 0, max);
}

/* ---- kinds ---- */

typedef struct {
    kg_atom atom;
    const char *name;
    uint32_t idx; /* rank of the name among all kinds of the graph */
    int used;     /* some drawn node or cluster has it: list in legend */
} kind_ent;

typedef struct {
    const kg_graph *g;
    const kg_export_sel *sel;
    kg_buf *out;
    kind_ent *kinds;         /* sorted by atom for lookup */
    size_t nkinds;
    kg_export_clusters cl;   /* mode KG_EXPORT_CL_NONE without cluster_by */
    uint8_t *anchor;         /* per cluster: some edge ends at c<i>       */
} dot_ctx;

static int kind_atom_cmp(const void *a, const void *b)
{
    kg_atom x = ((const kind_ent *)a)->atom, y = ((const kind_ent *)b)->atom;
    return x < y ? -1 : x > y;
}

static int kind_name_cmp(const void *a, const void *b)
{
    return strcmp(((const kind_ent *)a)->name, ((const kind_ent *)b)->name);
}

static kg_atom kind_of(const kg_graph *g, kg_id n)
{
    size_t count;
    const kg_atom *labels = kg_graph_labels(g, n, &count);
    return count > 0 ? labels[0] : KG_NONE;
}

/* Number the kinds of the whole graph by name. */
static int collect_kinds(dot_ctx *c)
{
    size_t cap = kg_graph_cap(c->g, KG_NODE), i, n = 0;
    kind_ent *k = kg_calloc(cap ? cap : 1, sizeof *k);

    if (k == NULL) return KG_ENOMEM;
    for (i = 0; i < cap; i++) {
        kg_atom a;
        if (!kg_graph_alive(c->g, KG_NODE, (kg_id)i)) continue;
        if ((a = kind_of(c->g, (kg_id)i)) == KG_NONE) continue;
        k[n].atom = a;
        k[n++].name = kg_graph_atom_str(c->g, a);
    }
    qsort(k, n, sizeof *k, kind_atom_cmp);
    for (i = 0; i < n; i++) /* unique */
        if (i == 0 || k[i].atom != k[i - 1].atom) k[c->nkinds++] = k[i];
    qsort(k, c->nkinds, sizeof *k, kind_name_cmp);
    for (i = 0; i < c->nkinds; i++) k[i].idx = (uint32_t)i;
    qsort(k, c->nkinds, sizeof *k, kind_atom_cmp);
    c->kinds = k;
    return KG_OK;
}

static kind_ent *kind_find(dot_ctx *c, kg_atom a)
{
    kind_ent key;
    key.atom = a;
    if (a == KG_NONE || c->nkinds == 0) return NULL;
    return bsearch(&key, c->kinds, c->nkinds, sizeof key, kind_atom_cmp);
}

/* Shape and fill of a kind; NULL kind = unlabelled. */
static void kind_style(const kind_ent *k, const char **shape,
                       const char **fill)
{
    if (k == NULL) {
        *shape = "ellipse";
        *fill = "#ffffff";
        return;
    }
    *fill = fills[k->idx % NFILLS];
    *shape = shapes[k->idx % NSHAPES];
}

/* label=<Name<BR/><FONT POINT-SIZE="9">Kind</FONT>> */
static void node_label(dot_ctx *c, kg_id n)
{
    const char *s;
    size_t len;
    kg_atom kind = kind_of(c->g, n);

    kg_export__display(c->g, n, &s, &len);
    kg_buf_puts(c->out, "label=<");
    html_text(c->out, s, len, KG_EXPORT_LABEL_MAX);
    if (kind != KG_NONE) {
        const char *k = kg_graph_atom_str(c->g, kind);
        kg_buf_puts(c->out, "<BR/><FONT POINT-SIZE=\"9\">");
        html_text(c->out, k, strlen(k), KG_EXPORT_LABEL_MAX);
        kg_buf_puts(c->out, "</FONT>");
    }
    kg_buf_putc(c->out, '>');
}

/* tooltip="key\nfile:line" */
static void elem_tooltip(dot_ctx *c, kg_elem kind, kg_id id)
{
    uint32_t line = 0;
    const char *file = kg_graph_origin(c->g, kind, id, &line);

    kg_buf_puts(c->out, "tooltip=\"");
    if (kind == KG_NODE) {
        const char *key = kg_graph_node_key(c->g, id);
        qtext(c->out, key, strlen(key), TOOLTIP_MAX);
    } else {
        const char *src = kg_graph_node_key(c->g, kg_graph_edge_src(c->g, id));
        const char *dst = kg_graph_node_key(c->g, kg_graph_edge_dst(c->g, id));
        const char *t = kg_graph_atom_str(c->g, kg_graph_edge_type(c->g, id));
        qtext(c->out, src, strlen(src), TOOLTIP_MAX);
        kg_buf_puts(c->out, " -[");
        qtext(c->out, t, strlen(t), TOOLTIP_MAX);
        kg_buf_puts(c->out, "]-> ");
        qtext(c->out, dst, strlen(dst), TOOLTIP_MAX);
    }
    if (file != NULL) {
        kg_buf_puts(c->out, "\\n");
        qtext(c->out, file, strlen(file), TOOLTIP_MAX);
        if (line > 0) kg_buf_printf(c->out, ":%lu", (unsigned long)line);
    }
    kg_buf_putc(c->out, '"');
}

static void emit_node(dot_ctx *c, size_t i, int indent)
{
    kg_id n = c->sel->nodes[i];
    kind_ent *k = kind_find(c, kind_of(c->g, n));
    const char *shape, *fill;

    if (k != NULL) k->used = 1;
    kind_style(k, &shape, &fill);
    kg_buf_printf(c->out, "%*sn%lu [", indent, "", (unsigned long)i);
    node_label(c, n);
    kg_buf_printf(c->out, ", shape=\"%s\", fillcolor=\"%s\", ", shape, fill);
    elem_tooltip(c, KG_NODE, n);
    kg_buf_puts(c->out, "];\n");
}

/* ---- clusters ---- */

static void emit_cluster(dot_ctx *c, uint32_t k, int indent)
{
    const kg_export_clusters *cl = &c->cl;
    uint32_t i;

    kg_buf_printf(c->out, "%*ssubgraph cluster_%lu {\n%*s", indent, "",
                  (unsigned long)k, indent + 2, "");
    if (cl->mode == KG_EXPORT_CL_EDGE) {
        kg_id h = cl->head[k];
        kind_ent *kind = kind_find(c, kind_of(c->g, h));
        const char *shape, *fill;
        if (kind != NULL) kind->used = 1;
        kind_style(kind, &shape, &fill);
        node_label(c, h);
        kg_buf_puts(c->out, "; ");
        elem_tooltip(c, KG_NODE, h);
        kg_buf_printf(c->out, ";\n%*sstyle=\"rounded,filled\"; "
                      "color=\"%s\"; fillcolor=\"%s40\"; penwidth=2;\n",
                      indent + 2, "", fill, kind ? fill : "#f2f2f2");
        if (c->anchor[k])
            kg_buf_printf(c->out, "%*sc%lu [shape=\"point\", "
                          "style=\"invis\", label=\"\"];\n", indent + 2,
                          "", (unsigned long)k);
    } else {
        const char *by = kg_graph_atom_str(c->g, cl->by);
        kg_buf_puts(c->out, "label=<");
        html_text(c->out, cl->text[k], cl->len[k], KG_EXPORT_LABEL_MAX);
        kg_buf_puts(c->out, "<BR/><FONT POINT-SIZE=\"9\">");
        html_text(c->out, by, strlen(by), KG_EXPORT_LABEL_MAX);
        kg_buf_puts(c->out, "</FONT>>; tooltip=\"");
        qtext(c->out, by, strlen(by), TOOLTIP_MAX);
        kg_buf_puts(c->out, " = ");
        qtext(c->out, cl->text[k], cl->len[k], TOOLTIP_MAX);
        kg_buf_printf(c->out, "\";\n%*sstyle=\"rounded,filled\"; "
                      "color=\"#999999\"; fillcolor=\"#f5f5f5\";\n",
                      indent + 2, "");
    }
    for (i = cl->child[k]; i != KG_NONE; i = cl->next[i])
        emit_cluster(c, i, indent + 2);
    for (i = cl->first[k]; i != KG_NONE; i = cl->node_next[i])
        emit_node(c, i, indent + 2);
    kg_buf_printf(c->out, "%*s}\n", indent, "");
}

/* ---- edges ---- */

/* The cluster a node stands for (a head), else KG_NONE. */
static uint32_t head_of(const dot_ctx *c, kg_id n)
{
    return c->cl.mode == KG_EXPORT_CL_EDGE ? c->cl.head_cl[n] : KG_NONE;
}

/* Is the drawn form of n (a node, or the anchor of the cluster n heads)
 * inside cluster k? lhead/ltail toward a cluster that holds the other end
 * would make dot warn and draw nothing sensible. */
static int inside(const dot_ctx *c, kg_id n, uint32_t k)
{
    uint32_t x = head_of(c, n), depth = 0;

    if (x == KG_NONE && c->sel->pos[n] != KG_NONE)
        x = c->cl.node_cl[c->sel->pos[n]];
    while (x != KG_NONE && depth++ <= KG_EXPORT_CLUSTER_DEPTH) {
        if (x == k) return 1;
        x = c->cl.parent[x];
    }
    return 0;
}

/* An edge of type `by` to the node's cluster head is drawn as membership. */
static int hidden(const dot_ctx *c, kg_id e, kg_id s, kg_id d)
{
    return c->cl.mode == KG_EXPORT_CL_EDGE &&
           kg_graph_edge_type(c->g, e) == c->cl.by && c->cl.up[s] == d;
}

static void endpoint(dot_ctx *c, kg_id n)
{
    uint32_t k = head_of(c, n);

    if (k != KG_NONE)
        kg_buf_printf(c->out, "c%lu", (unsigned long)k);
    else
        kg_buf_printf(c->out, "n%lu", (unsigned long)c->sel->pos[n]);
}

/* Which clusters need an anchor point: those some drawn edge ends at. */
static int mark_anchors(dot_ctx *c)
{
    size_t i;

    if (c->cl.mode != KG_EXPORT_CL_EDGE) return KG_OK;
    c->anchor = kg_calloc(c->cl.n ? c->cl.n : 1, 1);
    if (c->anchor == NULL) return KG_ENOMEM;
    for (i = 0; i < c->sel->nedges; i++) {
        kg_id e = c->sel->edges[i];
        kg_id s = kg_graph_edge_src(c->g, e), d = kg_graph_edge_dst(c->g, e);
        if (hidden(c, e, s, d)) continue;
        if (head_of(c, s) != KG_NONE) c->anchor[head_of(c, s)] = 1;
        if (head_of(c, d) != KG_NONE) c->anchor[head_of(c, d)] = 1;
    }
    return KG_OK;
}

static void emit_edges(dot_ctx *c)
{
    size_t i;

    for (i = 0; i < c->sel->nedges; i++) {
        kg_id e = c->sel->edges[i];
        kg_id s = kg_graph_edge_src(c->g, e), d = kg_graph_edge_dst(c->g, e);
        const char *t = kg_graph_atom_str(c->g, kg_graph_edge_type(c->g, e));
        uint32_t hs = head_of(c, s), hd = head_of(c, d);

        if (hidden(c, e, s, d)) continue;
        kg_buf_puts(c->out, "  ");
        endpoint(c, s);
        kg_buf_puts(c->out, " -> ");
        endpoint(c, d);
        kg_buf_puts(c->out, " [label=<");
        html_text(c->out, t, strlen(t), KG_EXPORT_LABEL_MAX);
        kg_buf_puts(c->out, ">, ");
        elem_tooltip(c, KG_EDGE, e);
        if (hd != KG_NONE && !inside(c, s, hd))
            kg_buf_printf(c->out, ", lhead=\"cluster_%lu\"",
                          (unsigned long)hd);
        if (hs != KG_NONE && !inside(c, d, hs))
            kg_buf_printf(c->out, ", ltail=\"cluster_%lu\"",
                          (unsigned long)hs);
        kg_buf_puts(c->out, "];\n");
    }
}

/* ---- legend and frame ---- */

static int legend_cmp(const void *a, const void *b)
{
    uint32_t x = ((const kind_ent *)a)->idx, y = ((const kind_ent *)b)->idx;
    return x < y ? -1 : x > y;
}

static void emit_legend(dot_ctx *c)
{
    size_t i, n = 0;
    int unlabelled = 0;

    for (i = 0; i < c->sel->nnodes; i++)
        if (kind_of(c->g, c->sel->nodes[i]) == KG_NONE) unlabelled = 1;
    for (i = 0; i < c->nkinds; i++)
        if (c->kinds[i].used) c->kinds[n++] = c->kinds[i];
    if (n == 0 && !unlabelled) return;
    qsort(c->kinds, n, sizeof *c->kinds, legend_cmp); /* by name rank */
    c->nkinds = 0; /* lookups are over */
    kg_buf_puts(c->out, "  subgraph cluster_legend {\n"
                        "    label=<<B>Kinds</B>>; style=\"dashed\"; "
                        "color=\"#999999\"; tooltip=\"legend\";\n");
    for (i = 0; i < n; i++) {
        const char *shape, *fill, *name = c->kinds[i].name;
        kind_style(&c->kinds[i], &shape, &fill);
        kg_buf_printf(c->out, "    k%lu [label=<", (unsigned long)i);
        html_text(c->out, name, strlen(name), KG_EXPORT_LABEL_MAX);
        kg_buf_printf(c->out, ">, shape=\"%s\", fillcolor=\"%s\", "
                      "tooltip=\"kind\"];\n", shape, fill);
    }
    if (unlabelled)
        kg_buf_puts(c->out, "    k_none [label=<<I>no label</I>>, "
                            "shape=\"ellipse\", fillcolor=\"#ffffff\", "
                            "tooltip=\"kind\"];\n");
    kg_buf_puts(c->out, "  }\n");
}

static int check_rankdir(const char *r, kg_error *err)
{
    static const char *const ok[] = {"TB", "LR", "BT", "RL"};
    size_t i;

    for (i = 0; i < 4; i++)
        if (kg_strcasecmp(r, ok[i]) == 0) return (int)i;
    return kg_error_set(err, KG_ETYPE, NULL, (kg_span){0, 0},
                        "export: rankdir '%.64s' is not one of TB, LR, BT, RL",
                        r);
}

int kg_export__dot(kg_buf *out, const kg_export_sel *sel,
                   const kg_export_opts *opts, kg_error *err)
{
    static const char *const dirs[] = {"TB", "LR", "BT", "RL"};
    dot_ctx c;
    int rd = 1, error;
    size_t i;
    uint32_t k;

    memset(&c, 0, sizeof c);
    c.g = sel->g;
    c.sel = sel;
    c.out = out;
    if (opts->rankdir != NULL && (rd = check_rankdir(opts->rankdir, err)) < 0)
        return rd;
    if (collect_kinds(&c) < 0) goto oom;
    if (opts->cluster_by != NULL &&
        (error = kg_export__clusters(&c.cl, sel, opts->cluster_by, err)) < 0)
        goto done;
    if (mark_anchors(&c) < 0) goto oom;
    /* newrank: dot 2.43's default ranking fails with "trouble in
     * init_rank" on the bundled dataset clustered by IN_LAYER. */
    kg_buf_printf(out, "digraph kg {\n  graph [rankdir=\"%s\", "
                  "compound=true, newrank=true, fontsize=10", dirs[rd]);
    if (sel->nedges > DOT_NSLIMIT_EDGES) kg_buf_puts(out, ", nslimit=1");
    if (opts->title != NULL) {
        kg_buf_puts(out, ", labelloc=\"t\", label=<");
        html_text(out, opts->title, strlen(opts->title), 200);
        kg_buf_putc(out, '>');
    }
    kg_buf_puts(out, "];\n  node [style=\"filled\", fontsize=11];\n"
                     "  edge [fontsize=9, color=\"#555555\", "
                     "fontcolor=\"#333333\"];\n");
    for (k = 0; k < c.cl.n; k++)
        if (c.cl.parent[k] == KG_NONE) emit_cluster(&c, k, 2);
    for (i = 0; i < sel->nnodes; i++) {
        if (c.cl.node_cl != NULL && c.cl.node_cl[i] != KG_NONE) continue;
        if (head_of(&c, sel->nodes[i]) != KG_NONE) continue;
        emit_node(&c, i, 2);
    }
    emit_edges(&c);
    emit_legend(&c);
    kg_buf_puts(out, "}\n");
    error = KG_OK;
    goto done;
oom:
    error = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                         "out of memory");
done:
    kg_export__clusters_free(&c.cl);
    kg_free(c.anchor);
    kg_free(c.kinds);
    return error;
}
