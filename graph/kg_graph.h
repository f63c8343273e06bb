/* kg_graph.h - the graph module: values, the in-memory property graph, the
 * SQLite store with its versions, fingerprints and exporters.
 *
 * Concept words owned here: value, json, graph, doc, store, fingerprint,
 * export. The module knows nothing of queries, shells or git: the dataset
 * module turns files into kg_doc records, the store keeps them per version,
 * and kg_store_load builds the in-memory kg_graph that queries run over.
 */
#ifndef KG_GRAPH_H
#define KG_GRAPH_H

#include "kg_base.h"

/* ================================ values ================================ */

/* ORDER VTYPE: also the order openCypher sorts values of different types
 * in ORDER BY is decided in query/, not here. */
typedef enum {
    KG_VNULL = 0,
    KG_VBOOL,
    KG_VINT,
    KG_VFLOAT,
    KG_VSTRING,
    KG_VDATE,   /* ISO date 'YYYY-MM-DD' held as a string              */
    KG_VLIST,
    KG_VMAP,
    KG_VNODE,   /* u.id: node id in some kg_graph                       */
    KG_VREL,    /* u.id: edge id in some kg_graph                       */
    KG_VPATH,   /* u.list: alternating node, rel, node ... values       */
    /* Temporal values other than DATE are held, like DATE, as their
     * canonical ISO 8601 text (graph/temporal.c makes and reads it), so
     * every path that copies, hashes or prints a string handles them. */
    KG_VLOCALTIME,     /* '12:31:14.645876123'                          */
    KG_VTIME,          /* '12:31:14.645876123+01:00'                    */
    KG_VLOCALDATETIME, /* '1984-10-11T12:31:14.645876123'               */
    KG_VDATETIME,      /* '1984-10-11T12:31:14.645876123+01:00'         */
    KG_VDURATION       /* 'P1Y2M3DT4H5M6.7S'                            */
} kg_vtype;

/** True for the types held as text in u.str: STRING, DATE, the temporals. */
#define KG_VTYPE_IS_STR(t) \
    ((t) == KG_VSTRING || (t) == KG_VDATE || \
     ((t) >= KG_VLOCALTIME && (t) <= KG_VDURATION))
/** The case labels of the KG_VTYPE_IS_STR types, for a switch:
 * `KG_VCASE_STR: use v->u.str;`. */
#define KG_VCASE_STR                                                         \
    case KG_VSTRING:                                                         \
    case KG_VDATE:                                                           \
    case KG_VLOCALTIME:                                                      \
    case KG_VTIME:                                                           \
    case KG_VLOCALDATETIME:                                                  \
    case KG_VDATETIME:                                                       \
    case KG_VDURATION
/** True for DATE and the other temporal types. */
#define KG_VTYPE_IS_TEMPORAL(t) \
    ((t) == KG_VDATE || ((t) >= KG_VLOCALTIME && (t) <= KG_VDURATION))

typedef struct kg_value kg_value;
typedef struct kg_vstr kg_vstr;
typedef struct kg_vlist kg_vlist;
typedef struct kg_vmap kg_vmap;

/* Heap parts are reference counted and immutable once shared, so copying a
 * value (rows flowing through query operators) is a pointer copy. */
struct kg_vstr { uint32_t refs, len; char s[]; };           /* NUL-ended */
struct kg_vlist { uint32_t refs, len; kg_value *items; };
struct kg_vmap { uint32_t refs, len; kg_vstr **keys; kg_value *vals; };

struct kg_value {
    uint8_t type; /* kg_vtype */
    union {
        int b;
        int64_t i;
        double f;
        kg_vstr *str;   /* KG_VTYPE_IS_STR types */
        kg_vlist *list; /* KG_VLIST, KG_VPATH   */
        kg_vmap *map;   /* KG_VMAP; keys kept sorted, unique */
        uint32_t id;    /* KG_VNODE, KG_VREL    */
    } u;
};

#define KG_NULL_VALUE ((kg_value){KG_VNULL, {0}})

kg_value kg_value_bool(int b);
kg_value kg_value_int(int64_t i);
kg_value kg_value_float(double f);
/** A string value copied from s[0..len); type KG_VNULL on OOM. */
kg_value kg_value_string(const char *s, size_t len);
kg_value kg_value_date(const char *s, size_t len);
/** A temporal value of type (KG_VTYPE_IS_TEMPORAL) from text that is
 * already canonical (kg_temporal_parse's output); KG_VNULL on OOM. */
kg_value kg_value_temporal(int type, const char *s, size_t len);
/** A list of len nulls to fill in with kg_value_list_set (before sharing). */
kg_value kg_value_list(size_t len);
/** Takes ownership of v. */
void kg_value_list_set(kg_value *list, size_t i, kg_value v);
/** Appends, taking ownership of v; the list must not be shared yet. */
int kg_value_list_push(kg_value *list, kg_value v);
kg_value kg_value_map(void);
/** Set key to v (takes ownership of v), keeping keys sorted. */
int kg_value_map_set(kg_value *map, const char *key, size_t klen, kg_value v);
/** Borrowed pointer to the value at key, NULL when absent. */
const kg_value *kg_value_map_get(const kg_value *map, const char *key);
/** The same for a key of len bytes, which may hold NUL (a query's
 * m['a\u0000b'] must not find 'a'). */
const kg_value *kg_value_map_getn(const kg_value *map, const char *key,
                                  size_t len);
kg_value kg_value_node(uint32_t id);
kg_value kg_value_rel(uint32_t id);

/** A new reference to v (no deep copy). */
kg_value kg_value_retain(const kg_value *v);
/** Drop v's reference; v becomes null. */
void kg_value_release(kg_value *v);
/** Structural equality (1/0); floats compare as numbers with ints. */
int kg_value_equal(const kg_value *a, const kg_value *b);
/** Hash consistent with kg_value_equal. */
uint64_t kg_value_hash(const kg_value *v);
/** A type name for messages: "String", "Integer", ... */
const char *kg_value_type_name(int type);

/* ============================== temporal ============================== */

/* The parts of a temporal value (graph/temporal.c). Instants count days
 * from 1970-01-01 and nanoseconds of the day; offset is in seconds east of
 * UTC. A duration keeps months, days and seconds apart, as openCypher does
 * (a month or a day has no fixed length). */
typedef struct {
    int type;            /* KG_VDATE ... KG_VDURATION                   */
    int64_t days;        /* date part; a duration's days                */
    int64_t nanos;       /* time of day; a duration's 0 <= nanos < 1e9  */
    int32_t offset;      /* KG_VTIME, KG_VDATETIME                      */
    int64_t months, secs; /* KG_VDURATION                               */
} kg_temporal;

/** Parse ISO 8601 text as a value of type; KG_ESYNTAX with a message
 * (naming the text) when it is not one. */
int kg_temporal_parse(kg_temporal *out, int type, const char *s, size_t len,
                      kg_error *err);
/** Make a value (canonical text) from parts; KG_ETYPE when out of range. */
int kg_temporal_make(kg_value *out, const kg_temporal *t, kg_error *err);
/** Parts of a temporal value (its text is canonical, so this cannot fail
 * for values made here; KG_ETYPE otherwise). */
int kg_temporal_get(kg_temporal *out, const kg_value *v);
/** Compare two temporal values of one type: -1, 0, 1; 2 when they are not
 * comparable (durations, different types). TIME and DATETIME compare
 * their instants. */
int kg_temporal_cmp(const kg_value *a, const kg_value *b);
/** A total order for ORDER BY within one temporal type (durations by
 * months, days, seconds, nanoseconds; instants as kg_temporal_cmp, ties by
 * offset). */
int kg_temporal_order(const kg_value *a, const kg_value *b);
/** out = t + sign * d, t an instant or a duration, d a duration. */
int kg_temporal_add(kg_value *out, const kg_value *t, const kg_value *d,
                    int sign, kg_error *err);
/** Days from 1970-01-01 of a proleptic Gregorian date (no range check). */
int64_t kg_temporal_days(int64_t y, int m, int d);
/** The proleptic Gregorian year, month, day of days from 1970-01-01. */
void kg_temporal_civil(int64_t days, int64_t *y, int *m, int *d);
/** 1 when y-m-d is a real date. */
int kg_temporal_valid_date(int64_t y, int m, int d);

/* ================================ json ================================ */

/* JSON is an export format and how query parameters are given. Dates are
 * written as {"$date":"YYYY-MM-DD"} when typed is set, so that typed JSON
 * round-trips every storable kg_value type (the store used it up to its
 * schema 1; it now has a binary encoding); plain strings otherwise. Nodes
 * and rels cannot be stored; the exporter writes them as keys. */
int kg_json_write(kg_buf *out, const kg_value *v, int typed);
/** Parse one JSON value; trailing non-space is an error (KG_ESYNTAX). */
int kg_json_parse(kg_value *out, const char *text, size_t len, int typed,
                  kg_error *err);

/* ============================ the in-memory graph ======================= */

typedef uint32_t kg_id;   /* node or edge id, dense, stable in one graph */
typedef uint32_t kg_atom; /* interned string id                          */
#define KG_NONE UINT32_MAX

typedef struct kg_graph kg_graph;

kg_graph *kg_graph_new(void);
void kg_graph_free(kg_graph *g);

/** Intern s[0..len): the same bytes always give the same atom. KG_NONE on OOM. */
kg_atom kg_graph_atom(kg_graph *g, const char *s, size_t len);
/** The atom of s if it was interned, else KG_NONE (never adds). */
kg_atom kg_graph_atom_find(const kg_graph *g, const char *s, size_t len);
/** Borrowed, valid while g lives. */
const char *kg_graph_atom_str(const kg_graph *g, kg_atom a);

/* Nodes and edges are "elements"; the property and provenance calls take the
 * element kind so one set of functions serves both. */
typedef enum { KG_NODE = 0, KG_EDGE = 1 } kg_elem;

/**
 * Add a node with a unique key (NULL = generate "_:n<id>"). Returns the id,
 * or KG_NONE with err set (KG_EEXISTS for a duplicate key, KG_ENOMEM).
 */
kg_id kg_graph_node_add(kg_graph *g, const char *key, kg_error *err);
/** Add an edge; KG_NONE with err set when src or dst is not a live node. */
kg_id kg_graph_edge_add(kg_graph *g, kg_id src, kg_id dst, kg_atom type,
                        kg_error *err);
/** Remove a node; KG_EEXISTS if edges are attached and !detach. */
int kg_graph_node_delete(kg_graph *g, kg_id n, int detach, kg_error *err);
int kg_graph_edge_delete(kg_graph *g, kg_id e);

/** Ids run 0..cap-1; deleted ones are not alive. */
size_t kg_graph_cap(const kg_graph *g, kg_elem kind);
size_t kg_graph_count(const kg_graph *g, kg_elem kind); /* live ones */
int kg_graph_alive(const kg_graph *g, kg_elem kind, kg_id id);

const char *kg_graph_node_key(const kg_graph *g, kg_id n);
/** Exact key lookup through the hash index; KG_NONE when absent. */
kg_id kg_graph_node_find(const kg_graph *g, const char *key);
/**
 * How links resolve: by key, then name, then alias, ASCII case-insensitive.
 * KG_NONE when nothing matches; *ambiguous (may be NULL) set when several
 * nodes share the name or alias (the first added wins).
 */
kg_id kg_graph_node_resolve(kg_graph *g, const char *text, int *ambiguous);

int kg_graph_label_add(kg_graph *g, kg_id n, kg_atom label);
int kg_graph_label_remove(kg_graph *g, kg_id n, kg_atom label);
int kg_graph_has_label(const kg_graph *g, kg_id n, kg_atom label);
/** Borrowed array of the node's labels in the order added. */
const kg_atom *kg_graph_labels(const kg_graph *g, kg_id n, size_t *count);
/** Live nodes carrying label, ascending ids. Borrowed until the next write. */
const kg_id *kg_graph_label_nodes(kg_graph *g, kg_atom label, size_t *count);
/** The live nodes carrying label as a bitmap by node id (*nwords words;
 * ids at or past *nwords * 64 do not carry it), built on first use and
 * kept exact by later writes. NULL (*nwords 0) when no node ever had the
 * label, or out of memory. Borrowed until the next write. */
const uint64_t *kg_graph_label_bits(kg_graph *g, kg_atom label, size_t *nwords);
/** Bit test on a kg_graph_label_bits() bitmap. */
static inline int kg_graph_bit(const uint64_t *bits, size_t nwords, kg_id n)
{
    return (size_t)(n >> 6) < nwords && ((bits[n >> 6] >> (n & 63)) & 1u);
}

kg_id kg_graph_edge_src(const kg_graph *g, kg_id e);
kg_id kg_graph_edge_dst(const kg_graph *g, kg_id e);
kg_atom kg_graph_edge_type(const kg_graph *g, kg_id e);
/** Edge ids leaving / entering n, in insertion order. Borrowed until the next write. */
const kg_id *kg_graph_out(const kg_graph *g, kg_id n, size_t *count);
const kg_id *kg_graph_in(const kg_graph *g, kg_id n, size_t *count);
/** Type and far end of edges[0..n) into types[] and ends[] (either may be
 * NULL): the target when dst_end, else the source; KG_NONE for a dead
 * edge. The edges are read with prefetching, so the cache misses of a
 * long adjacency list overlap instead of coming one by one. */
void kg_graph_edges_fetch(const kg_graph *g, const kg_id *edges, size_t n,
                          int dst_end, kg_atom *types, kg_id *ends);
/** Live self-loops (edges with src == dst) in the graph. */
size_t kg_graph_loops(const kg_graph *g);

/** Borrowed property value, NULL when absent. */
const kg_value *kg_graph_prop(const kg_graph *g, kg_elem kind, kg_id id,
                              kg_atom key);
/** From now on keep node property key as a column by node id (built now
 * from the nodes, then kept exact by writes), so that kg_graph_prop of
 * that key over many nodes reads one array. KG_ENOMEM. */
int kg_graph_prop_column(kg_graph *g, kg_atom key);
/** For a key kept as a column: per node id below *n, the first 8 bytes of
 * its string value (big-endian, zero-padded) and, in *lens, its length
 * capped at 255 - meaningful where the value is a string. Most string
 * comparisons are decided by them without reading the string. NULL when
 * the key is not kept. Borrowed until the next write. */
const uint64_t *kg_graph_prop_prefix(const kg_graph *g, kg_atom key,
                                     const uint8_t **lens, size_t *n);
/** The prefix of s[0..len) as kg_graph_prop_prefix gives it. */
static inline uint64_t kg_graph_prefix_of(const char *s, size_t len)
{
    uint64_t p = 0;
    size_t i;
    for (i = 0; i < 8; i++)
        p = p << 8 | (i < len ? (uint8_t)s[i] : 0u);
    return p;
}
/** Set a property (copies v by reference); a null v removes it. */
int kg_graph_prop_set(kg_graph *g, kg_elem kind, kg_id id, kg_atom key,
                      const kg_value *v);
size_t kg_graph_prop_count(const kg_graph *g, kg_elem kind, kg_id id);
/** The i-th property in key order; its key in *key. */
const kg_value *kg_graph_prop_at(const kg_graph *g, kg_elem kind, kg_id id,
                                 size_t i, kg_atom *key);
/** Remove all properties. */
void kg_graph_prop_clear(kg_graph *g, kg_elem kind, kg_id id);

/** The node's body text (borrowed, "" when none). */
const char *kg_graph_node_text(const kg_graph *g, kg_id n);
int kg_graph_node_text_set(kg_graph *g, kg_id n, const char *text);
/** Where the element was declared: file (borrowed, NULL if made in memory) and line. */
const char *kg_graph_origin(const kg_graph *g, kg_elem kind, kg_id id,
                            uint32_t *line);
int kg_graph_origin_set(kg_graph *g, kg_elem kind, kg_id id, const char *file,
                        uint32_t line);

/**
 * xxh3 over the canonical graph: nodes by key with sorted labels and their
 * properties, edges as (src key, type, dst key, properties) sorted. Text and
 * provenance are not part of it. Two graphs with equal fingerprints hold
 * the same data.
 */
uint64_t kg_graph_fingerprint(const kg_graph *g);

/* ---- differences between two graphs (nodes matched by key) ---- */

typedef enum {
    KG_DIFF_ADDED, KG_DIFF_REMOVED, KG_DIFF_CHANGED
} kg_diff_kind;

typedef struct {
    kg_diff_kind what;
    kg_elem kind;
    kg_id a, b;          /* id in the old / new graph, KG_NONE if absent */
    const char *prop;    /* KG_DIFF_CHANGED: property name; "labels" too */
    const kg_value *from, *to; /* CHANGED: old and new value (NULL = absent) */
} kg_diff_item;

typedef int (*kg_diff_cb)(const kg_diff_item *item, void *payload);
/** Call cb for each difference from a to b, in key order; stops on non-zero. */
int kg_graph_diff(const kg_graph *a, const kg_graph *b, kg_diff_cb cb,
                  void *payload);

/* ============================== records ================================ */

/* A kg_doc is everything one dataset file declares: what the parsers in
 * dataset/ produce and what the store keeps. Strings are owned by the doc. */
typedef struct {
    char *key;
    kg_value val;
} kg_prop;

typedef struct {
    char *key;          /* node key                                     */
    char **labels;
    uint32_t nlabels;
    kg_prop *props;
    uint32_t nprops;
    char *text;         /* body, may be NULL                            */
    uint32_t line;
} kg_node_rec;

typedef struct {
    char *src;          /* source node: a key (or link text, see dst);   */
                        /* one block with type and dst (kg_doc_edge)     */
    char *type;         /* UPPER_SNAKE_CASE                              */
    char *dst;          /* target as written: key, name or alias         */
    kg_prop *props;
    uint32_t nprops;
    uint32_t line, col;
} kg_edge_rec;

typedef enum { KG_SEV_ERROR = 0, KG_SEV_WARNING = 1 } kg_severity;

typedef struct {
    uint32_t line, col;
    int severity;       /* kg_severity */
    char *msg;
} kg_diag;

typedef struct {
    char *path;         /* repository-relative path                     */
    kg_node_rec *nodes;
    uint32_t nnodes, capnodes;
    kg_edge_rec *edges;
    uint32_t nedges, capedges;
    kg_diag *diags;
    uint32_t ndiags, capdiags;
} kg_doc;

int kg_doc_init(kg_doc *d, const char *path);
void kg_doc_free(kg_doc *d);
/** Append an empty node record and return it (NULL on OOM). */
kg_node_rec *kg_doc_node(kg_doc *d, const char *key, uint32_t line);
int kg_doc_node_label(kg_node_rec *n, const char *label);
/** Add a property, taking ownership of v (released on failure too). */
int kg_doc_node_prop(kg_node_rec *n, const char *key, kg_value v);
kg_edge_rec *kg_doc_edge(kg_doc *d, const char *src, const char *type,
                         const char *dst, uint32_t line, uint32_t col);
int kg_doc_edge_prop(kg_edge_rec *e, const char *key, kg_value v);
int kg_doc_diag(kg_doc *d, int severity, uint32_t line, uint32_t col,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ================================ store ================================ */

/* One SQLite file per dataset. Every record carries the version range in
 * which it is valid, so every synced version stays queryable and an
 * incremental sync only touches the files that changed. */
typedef struct kg_store kg_store;

typedef struct {
    int64_t id;             /* 1, 2, 3 ... in sync order                 */
    char commit[41];        /* hex object id, "" for none                */
    char *source, *ref, *author, *message; /* owned by the info          */
    int64_t time;           /* commit time, seconds since the epoch      */
    int64_t synced_at;
    int draft;              /* 1: includes uncommitted work-tree edits   */
    int64_t nodes_added, nodes_removed, nodes_changed;
    int64_t edges_added, edges_removed, edges_changed;
    uint64_t fingerprint;   /* 0 until first computed                    */
} kg_version_info;

void kg_version_info_clear(kg_version_info *v);

#define KG_STORE_READONLY 1
#define KG_STORE_CREATE 2

int kg_store_open(kg_store **out, const char *path, int flags, kg_error *err);
void kg_store_close(kg_store *st);
/** 1 when the store is read-only: opened so, or made so by a file, folder
 *  or file system that cannot be written; kg_store_begin then refuses. */
int kg_store_readonly(const kg_store *st);

/** Start a write transaction for a new version (KG_EBUSY if another writer). */
int kg_store_begin(kg_store *st, const kg_version_info *meta, int64_t *vid,
                   kg_error *err);
/** Replace every record of doc->path with doc's, as of the open version. */
int kg_store_put_doc(kg_store *st, const kg_doc *doc, uint64_t content_hash,
                     kg_error *err);
/** End the records of path as of the open version. */
int kg_store_remove_doc(kg_store *st, const char *path, kg_error *err);
/** Make the version durable and visible; rollback discards it. */
int kg_store_commit(kg_store *st, kg_error *err);
void kg_store_rollback(kg_store *st);

/** The newest version (0 when empty). Drafts count. */
int64_t kg_store_latest(kg_store *st);
/** Fill out for version vid (KG_ENOTFOUND). */
int kg_store_version(kg_store *st, int64_t vid, kg_version_info *out,
                     kg_error *err);
/** Find the version synced from commit (a full or abbreviated hex id). */
int kg_store_version_by_commit(kg_store *st, const char *hex, int64_t *vid,
                               kg_error *err);
typedef int (*kg_version_cb)(const kg_version_info *v, void *payload);
/** Versions newest first. */
int kg_store_versions(kg_store *st, kg_version_cb cb, void *payload,
                      kg_error *err);

/** Content hash recorded for path at the newest version (0 when absent). */
uint64_t kg_store_doc_hash(kg_store *st, const char *path);
typedef int (*kg_path_cb)(const char *path, uint64_t hash, void *payload);
int kg_store_docs(kg_store *st, int64_t vid, kg_path_cb cb, void *payload,
                  kg_error *err);

/**
 * Build the in-memory graph as of version vid, resolving edge targets by key,
 * name or alias. Unresolved targets become diagnostics (see kg_store_diags).
 */
int kg_store_load(kg_store *st, int64_t vid, kg_graph **out, kg_error *err);

typedef int (*kg_diag_cb)(const char *path, const kg_diag *d, void *payload);
/** Parse diagnostics of vid, and unresolved links when g (loaded at vid) is given. */
int kg_store_diags(kg_store *st, int64_t vid, kg_graph *g, kg_diag_cb cb,
                   void *payload, kg_error *err);

typedef int (*kg_hit_cb)(const char *key, double score, void *payload);
/** Full-text search (FTS5 syntax) over node text and names as of vid. */
int kg_store_search(kg_store *st, int64_t vid, const char *text, kg_hit_cb cb,
                    void *payload, kg_error *err);

typedef struct {
    int64_t version;
    const char *what;   /* "added", "changed", "removed" */
    const char *path;
    uint32_t line;
} kg_history_item;
typedef int (*kg_history_cb)(const kg_history_item *h, void *payload);
/** The versions in which the node with this key changed, oldest first. */
int kg_store_history(kg_store *st, const char *key, kg_history_cb cb,
                     void *payload, kg_error *err);

/** Store a computed fingerprint for vid. */
int kg_store_set_fingerprint(kg_store *st, int64_t vid, uint64_t fp,
                             kg_error *err);
/** Key/value settings kept in the store (source, subdir...). Caller frees. */
char *kg_store_meta_get(kg_store *st, const char *key);
int kg_store_meta_set(kg_store *st, const char *key, const char *val,
                      kg_error *err);

/* =============================== export ================================ */

typedef struct {
    const kg_id *nodes;
    size_t nnodes;
    const kg_id *edges;
    size_t nedges;
} kg_subgraph; /* a NULL kg_subgraph pointer means the whole graph */

typedef enum {
    KG_FMT_DOT, KG_FMT_GRAPHML, KG_FMT_JSON, KG_FMT_CSV_CYPHER,
    KG_FMT_CSV_GREMLIN, KG_FMT_CYPHER
} kg_format; /* ORDER FORMAT */

typedef struct {
    kg_format format;
    const char *rankdir;    /* DOT: "LR", "TB", ...; NULL = "LR"          */
    const char *cluster_by; /* DOT: property name or edge type; NULL none */
    const char *title;      /* DOT: graph label; NULL none                */
} kg_export_opts;

/** Parse "dot", "graphml", "json", "csv", "csv-gremlin", "cypher". */
int kg_export_format(const char *name, kg_format *out);
/**
 * Append the subgraph to out in the chosen format (opts NULL = DOT with
 * defaults), sorted so that the same graph gives the same bytes. The CSV
 * formats need two files: use kg_export_csv.
 * @return KG_OK; KG_ENOTFOUND for a dead id in sg; KG_ETYPE for a bad
 * rankdir or cluster_by, or a CSV format; KG_ENOMEM. On failure out holds
 * what it held before.
 */
int kg_export(kg_buf *out, const kg_graph *g, const kg_subgraph *sg,
              const kg_export_opts *opts, kg_error *err);
/** The two CSV files (nodes, edges) of a Neptune bulk-load export. */
int kg_export_csv(kg_buf *nodes, kg_buf *edges, const kg_graph *g,
                  const kg_subgraph *sg, int gremlin, kg_error *err);
/** Grow sg by hops steps along edges either way (caller frees with kg_free). */
int kg_subgraph_expand(const kg_graph *g, const kg_subgraph *sg, int hops,
                       kg_id **nodes, size_t *nnodes, kg_id **edges,
                       size_t *nedges);
/* Subgraph rules for all of the above: the nodes are sg->nodes plus the
 * endpoints of the chosen edges; sg->edges == NULL chooses every edge
 * between chosen nodes, non-NULL exactly those (nedges may be 0). A dead
 * id is KG_ENOTFOUND. kg_subgraph_expand with hops >= 1 returns every edge
 * between reached nodes, ids ascending; hops < 0 is KG_ERROR. */
/**
 * The canonical name of a format ("dot", "csv-gremlin", ...).
 * @return a static string, NULL for a value outside kg_format.
 */
const char *kg_export_format_name(kg_format fmt);
/**
 * The Graphviz layout engine to render a DOT export with: "dot" (layered)
 * for small graphs, "sfdp" (force-directed) beyond 500 nodes or 2000 edges,
 * where dot takes minutes. Static string.
 */
const char *kg_export_layout_for(size_t nnodes, size_t nedges);

#endif /* KG_GRAPH_H */
