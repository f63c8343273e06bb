/* kg_query.h - the query module: a Cypher subset over a kg_graph.
 *
 * Concept words owned here: query, plan. The model is SQLite's
 * prepare / step / finalize: kg_query_prepare parses, binds and plans a
 * statement; kg_query_step pulls one row at a time; the column calls read
 * the current row; kg_query_free ends it. Queries run over the in-memory
 * graph, never by translation to SQL.
 */
#ifndef KG_QUERY_H
#define KG_QUERY_H

#include "kg_graph.h"

/* Limits (README lists them). */
#define KG_QUERY_MAX_LEN (1u << 20)   /* bytes of query text               */
#define KG_QUERY_MAX_DEPTH 200u       /* parser nesting                    */
#define KG_QUERY_MAX_HOPS 64u         /* upper bound of *..N when unbounded */

#define KG_ROW 1
#define KG_DONE 0

typedef struct kg_query kg_query;

/* What a query runs against. The shell owns it and keeps it alive while
 * queries run. Versions: `USE 'rev'` before a statement asks graph_at for
 * the graph of another version; procedures reach the store through it. */
typedef struct kg_query_env {
    kg_graph *graph;            /* the current graph (writes go here)       */
    kg_store *store;            /* may be NULL (TCK, tests): procedures that
                                   need it then fail with a clear error     */
    int64_t version;            /* the version graph was loaded from        */
    const kg_value *params;     /* a KG_VMAP of $parameters, or NULL        */
    /* Return the graph for revision rev (borrowed, cached by the caller), or
     * NULL with err set. NULL callback: USE is an error. */
    kg_graph *(*graph_at)(void *payload, const char *rev, int64_t *vid,
                          kg_error *err);
    /* Resolve a revision to a version id (for kg.diff, kg.at). */
    int (*version_of)(void *payload, const char *rev, int64_t *vid,
                      kg_error *err);
    void *payload;
    volatile int *interrupt;    /* set non-zero (e.g. on SIGINT) to cancel  */
    uint64_t max_rows;          /* 0 = no limit                             */
    uint64_t max_ms;            /* 0 = no limit                             */
    size_t max_mem;             /* bytes, 0 = no limit                      */
} kg_query_env;

/**
 * Parse, bind and plan text. On failure *out is NULL and err holds the
 * message with a span into text (KG_ESYNTAX, KG_ETYPE, KG_ELIMIT).
 * env must outlive the query.
 */
int kg_query_prepare(kg_query **out, const kg_query_env *env, const char *text,
                     size_t len, kg_error *err);
/** KG_ROW with a row ready, KG_DONE at the end, or a negative kg_status. */
int kg_query_step(kg_query *q, kg_error *err);
size_t kg_query_ncols(const kg_query *q);
const char *kg_query_colname(const kg_query *q, size_t i);
/** Borrowed until the next step or free. */
const kg_value *kg_query_col(const kg_query *q, size_t i);
/** The graph the row's node/rel/path values refer to (USE may switch it). */
const kg_graph *kg_query_graph(const kg_query *q);
/** 1 when the statement writes (CREATE, SET, ...). */
int kg_query_writes(const kg_query *q);

/** Side effects so far, for TCK checks and the shell's footer. */
typedef struct {
    uint64_t nodes_created, nodes_deleted, rels_created, rels_deleted;
    uint64_t props_set, labels_added, labels_removed;
} kg_query_stats;
void kg_query_stats_get(const kg_query *q, kg_query_stats *out);

/** Print the plan; with profile, rows and time per operator (after running). */
int kg_query_explain(const kg_query *q, kg_buf *out, int profile);

/* How the statement was prefixed. EXPLAIN statements do not run: their
 * rows are the plan's lines (one column, "plan"). PROFILE statements run
 * normally; call kg_query_explain(q, out, 1) after KG_DONE for the
 * profile. */
#define KG_QUERY_RUN 0
#define KG_QUERY_EXPLAIN 1
#define KG_QUERY_PROFILE 2
/** KG_QUERY_RUN, KG_QUERY_EXPLAIN or KG_QUERY_PROFILE. */
int kg_query_mode(const kg_query *q);
void kg_query_free(kg_query *q);

/** Keywords, function and procedure names, for shell completion. NULL-ended. */
const char *const *kg_query_words(void);

/** Append v as text the way results print it: nodes as (:Label {k: v}),
 * relationships as [:TYPE {k: v}], strings quoted when quote is set. */
int kg_query_format_value(kg_buf *out, const kg_graph *g, const kg_value *v,
                          int quote);

#endif /* KG_QUERY_H */
