/* export_int.h - private interface shared by the exporters (export*.c).
 *
 * Every exporter works from the same selection: the chosen nodes sorted by
 * key and the chosen edges sorted by (source key, type, target key), so the
 * same graph always gives the same bytes whatever the order in which its
 * elements were loaded. The helpers below are the pieces several formats
 * need: the selection itself, an element's properties sorted by name, a
 * UTF-8 walker that turns invalid bytes into U+FFFD, and the display name
 * of a node. Names follow the kg_export__name convention (graph module,
 * concept "export").
 */
#ifndef KG_EXPORT_INT_H
#define KG_EXPORT_INT_H

#include "graph_int.h"

/* Labels longer than this many code points are cut with an ellipsis in
 * DOT, where a 5 KB name would make a node wider than the page. */
#define KG_EXPORT_LABEL_MAX 60u
/* Above this many nodes kg_export_layout_for picks sfdp over dot, whose
 * layered layout takes minutes and yields unreadable drawings there. */
#define KG_EXPORT_DOT_MAX_NODES 500u
#define KG_EXPORT_DOT_MAX_EDGES 2000u

/* The selection an export writes. */
typedef struct {
    const kg_graph *g;
    kg_id *nodes;     /* sorted by key                                   */
    size_t nnodes;
    kg_id *edges;     /* sorted by (src key, type, dst key, properties)  */
    size_t nedges;
    uint32_t *pos;    /* node id -> index in nodes, KG_NONE if not chosen */
    size_t cap;       /* length of pos: kg_graph_cap(g, KG_NODE)         */
} kg_export_sel;

/*
 * Resolve sg (NULL = the whole graph) into a sorted selection. The nodes
 * are sg->nodes plus the endpoints of the chosen edges; the edges are
 * sg->edges, or, when sg->edges is NULL, every edge between chosen nodes.
 * Duplicates are dropped. KG_ENOTFOUND names a dead or unknown id; on any
 * failure *out is empty and needs no free.
 */
int kg_export__select(kg_export_sel *out, const kg_graph *g,
                      const kg_subgraph *sg, kg_error *err);
void kg_export__sel_free(kg_export_sel *s);

/* One property of an element, borrowed from the graph. */
typedef struct {
    const char *name;
    kg_atom atom;
    const kg_value *val;
} kg_export_prop;

/* A reusable array of properties. */
typedef struct {
    kg_export_prop *items;
    size_t n, cap;
} kg_export_props;

/* Fill p with the properties of element id, sorted by name (the graph keeps
 * them in atom order, which depends on load order). KG_ENOMEM. */
int kg_export__props(kg_export_props *p, const kg_graph *g, kg_elem kind,
                     kg_id id);
void kg_export__props_free(kg_export_props *p);

/* Decode the code point at s[0..len), len > 0. Returns the bytes it takes
 * (at least 1); an invalid sequence takes one byte and gives U+FFFD, so
 * every writer emits valid UTF-8 whatever the graph holds. */
size_t kg_export__cp(const char *s, size_t len, uint32_t *cp);
/* The length of the leading run of s that is printable ASCII outside
 * special: the escapers copy such runs whole instead of a code point at a
 * time, which made them the cost of a large export. */
size_t kg_export__run(const char *s, size_t len, const char *special);
/* Append cp encoded as UTF-8. */
int kg_export__put_cp(kg_buf *b, uint32_t cp);
/* How an escaper writes one code point that is not in a plain run (a
 * special character, a control, anything non-ASCII; U+FFFD for a byte
 * that is not UTF-8). flags: the escaper's own (e.g. XML attribute). */
typedef void (*kg_export_esc)(kg_buf *b, uint32_t cp, int flags);
/* Append s[0..len): plain runs (kg_export__run with special) copied whole,
 * every other code point through esc. At most max code points, then an
 * ellipsis (U+2026); SIZE_MAX for no limit. The DOT, GraphML, JSON and
 * Cypher escapers are this loop with their own esc (CSV quotes whole
 * fields and splits lists: export_csv.c). */
void kg_export__escape(kg_buf *b, const char *s, size_t len,
                       const char *special, kg_export_esc esc, int flags,
                       size_t max);

/* Append finite f in the shortest form that reads back exactly, with a
 * '.' whatever LC_NUMERIC says and always a '.' or exponent ("3.0"). */
int kg_export__float(kg_buf *b, double f);

/* The text a person knows the node by: its `name` property when that is a
 * string, else its key. Borrowed from the graph. */
void kg_export__display(const kg_graph *g, kg_id n, const char **s,
                        size_t *len);

/* Append s[0..len) as a JSON string literal: quotes, backslashes and
 * controls escaped, invalid UTF-8 as U+FFFD. */
int kg_export__json_str(kg_buf *b, const char *s, size_t len);

/* ---- property columns (export_cols.c), for the typed formats ---- */

/* A property name (and, for CSV, a class of values) seen on the exported
 * elements of one kind. seen has bit (1 << kg_vtype) set for every type its
 * values had; big is set when an integer (or a list item) needs 64 bits. */
typedef struct {
    kg_atom atom;
    const char *name;
    int cls;
    unsigned seen, item_seen; /* item_seen: types of list items */
    int big;
} kg_export_col;

typedef struct {
    kg_export_col *cols; /* sorted by (name, cls) */
    size_t n;
    uint32_t *by_atom;   /* indexes of cols sorted by (atom, cls) */
} kg_export_cols;

/* The columns of the properties of every chosen element of kind. classify
 * maps a value to a class >= 0 (a column per name and class); NULL puts
 * all values of a name in one column. KG_ENOMEM. */
int kg_export__cols(kg_export_cols *out, const kg_export_sel *sel,
                    kg_elem kind, int (*classify)(const kg_value *v));
/* The column of (atom, cls), or -1. */
long kg_export__col_find(const kg_export_cols *c, kg_atom atom, int cls);
void kg_export__cols_free(kg_export_cols *c);

/* ---- DOT clusters (export_cluster.c) ---- */

#define KG_EXPORT_CLUSTER_DEPTH 16u /* nested clusters kept in DOT         */

typedef enum {
    KG_EXPORT_CL_NONE = 0,
    KG_EXPORT_CL_PROP,  /* grouped by the value of a node property      */
    KG_EXPORT_CL_EDGE   /* grouped under the target of an edge type     */
} kg_export_cl_mode;

/* The cluster tree of a DOT export. Clusters are numbered in key order of
 * their heads (edge mode) or in byte order of their values (property
 * mode); children and member nodes are linked lists in that same order. */
typedef struct {
    kg_export_cl_mode mode;
    kg_atom by;          /* the property or edge type                    */
    uint32_t n;          /* clusters                                     */
    uint32_t *parent;    /* per cluster: enclosing cluster or KG_NONE    */
    uint32_t *child;     /* per cluster: first child cluster or KG_NONE  */
    uint32_t *next;      /* per cluster: next sibling or KG_NONE         */
    uint32_t *first;     /* per cluster: first member (selection index)  */
    kg_id *head;         /* edge mode: the node each cluster stands for  */
    char **text;         /* property mode: value text (owned)            */
    size_t *len;
    uint32_t *node_cl;   /* per selection index: cluster or KG_NONE      */
    uint32_t *node_next; /* per selection index: next member or KG_NONE  */
    uint32_t *head_cl;   /* edge mode, per node id: its cluster or NONE  */
    kg_id *up;           /* edge mode, per node id: the target its T edge
                            is shown by (membership), or KG_NONE         */
} kg_export_clusters;

/* Build the clusters for `by` (a property name or an edge type; KG_ETYPE
 * when it is neither). On failure *out is empty. */
int kg_export__clusters(kg_export_clusters *out, const kg_export_sel *sel,
                        const char *by, kg_error *err);
void kg_export__clusters_free(kg_export_clusters *c);

/* The writers behind kg_export; sel is ready, out is appended to. */
int kg_export__dot(kg_buf *out, const kg_export_sel *sel,
                   const kg_export_opts *opts, kg_error *err);
int kg_export__graphml(kg_buf *out, const kg_export_sel *sel, kg_error *err);
int kg_export__json(kg_buf *out, const kg_export_sel *sel, kg_error *err);
int kg_export__cypher(kg_buf *out, const kg_export_sel *sel, kg_error *err);

#endif /* KG_EXPORT_INT_H */
