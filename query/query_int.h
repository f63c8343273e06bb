/* query_int.h - private interface shared by the .c files of the query module.
 *
 * The pipeline is: lex.c -> parse*.c (ast.h) -> bind.c (slots, atoms,
 * functions) -> plan*.c (operator tree, op.h) -> op_*.c pulled by query.c.
 * Expressions are evaluated straight from the bound AST by expr*.c, with
 * built-in functions from the func*.c registry. Tests may include this.
 */
#ifndef KG_QUERY_INT_H
#define KG_QUERY_INT_H

#include "ast.h"
#include "kg_query.h"
#include "lex.h"
#include "op.h"

#include <string.h>

/* ============================ execution state =========================== */

/* Per-query memo of per-node facts, sized by the nodes actually asked
 * about rather than by the graph, so a one-hop query pays for a few
 * entries, not for every node (qvalue.c). Entries come in zeroed chunks
 * of KG_CHUNK nodes (n / KG_CHUNK), found through an open-addressing
 * hash; a chunk never moves, so pointers into it stay valid. */
#define KG_CHUNK 64u
typedef struct {
    uint64_t *keys;         /* chunk number + 1; 0 marks a free slot       */
    void **chunks;
    size_t cap, used;       /* cap: a power of two, or 0 before first use */
} kg_chunkmap;

struct kg_exec {
    kg_graph *g;
    const kg_query_env *env;
    kg_value *row;          /* nslots values shared by all operators       */
    uint32_t nslots;
    const char *text;       /* the query, for error spans                  */
    uint32_t len;
    kg_error *err;
    kg_query_stats stats;
    int profile;
    int readonly;           /* USE: the graph belongs to the caller's cache */
    uint32_t tick;
    uint64_t start_ns;
    size_t mem;             /* bytes held by materialising operators        */
    kg_atom id_atom;        /* "id", or KG_NONE while no element has one    */
    void *regex_cache;      /* expr_string.c                               */
    int64_t version;        /* the store version x->g was loaded from      */
    kg_chunkmap keyvals;    /* node key strings as values (qvalue.c)       */
    kg_chunkmap keykind;    /* per node: 0 unknown, 1 real key, 2 generated */
    size_t keylimit;        /* nodes that existed when keykind was started */
    kg_value *atomvals;     /* label / type names as string values, by atom */
    size_t natomvals;
    int64_t clock_s, clock_ns; /* statement clock for date() etc.; 0 unset */
};

/** Fill x->err (source "<query>", span at) and return code. */
int kg_exec__fail(kg_exec *x, int code, kg_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/** Interrupt, time and memory checks; called every 1024 ticks. */
int kg_exec__check(kg_exec *x);
static inline int kg_exec__tick(kg_exec *x)
{
    if ((++x->tick & 1023u) == 0) return kg_exec__check(x);
    return KG_OK;
}
/** Account n more bytes held (or released when negative); KG_ELIMIT. */
int kg_exec__mem(kg_exec *x, long long n, kg_span at);
uint64_t kg_exec__now_ns(void);
/** Put v into slot s, releasing what was there (takes ownership of v). */
static inline void kg_exec__set(kg_exec *x, int32_t s, kg_value v)
{
    kg_value_release(&x->row[s]);
    x->row[s] = v;
}
/** Writes so far in this execution (all kinds): while it is 0, every
 * node or relationship a row holds is alive, so per-row liveness checks
 * (made to report a deleted element) can be skipped. */
static inline uint64_t kg_exec__writes(const kg_exec *x)
{
    const kg_query_stats *s = &x->stats;
    return s->nodes_created + s->nodes_deleted + s->rels_created +
           s->rels_deleted + s->props_set + s->labels_added +
           s->labels_removed;
}
/** Estimated heap bytes of a value (memory limit accounting). */
size_t kg_exec__value_size(const kg_value *v);

/* ============================ values (qvalue.c) ========================= */

/* Three-valued results of comparisons. */
#define KG_TV_FALSE 0
#define KG_TV_TRUE 1
#define KG_TV_NULL 2

/** openCypher equality: KG_TV_TRUE / FALSE / NULL (null inside, NaN). */
int kg_qv__equals(const kg_value *a, const kg_value *b);
/** Comparison for < <= > >=: -1, 0, 1, or 2 when incomparable (null). */
int kg_qv__compare(const kg_value *a, const kg_value *b);
/** Total order of ORDER BY (openCypher orderability); nulls last. */
int kg_qv__order(const kg_value *a, const kg_value *b);
/* The node key as a property: a node's key is exposed as property `id`
 * unless the node has its own `id` property or the key was generated
 * ("_:n12", nodes made by CREATE). So `MATCH (a {id: 'sagemaker'})` finds
 * the note sagemaker.md through the key index. */
/** 1 when key is a generated one ("_:..."). */
int kg_qv__generated_key(const char *key);
/** The name of an atom as a new reference to a string value made once per
 * query (type(r), labels(n) over many rows allocate nothing). */
kg_value kg_qv__atom(kg_exec *x, kg_atom a);
/** 1 when node n has a real (not generated) key; memoised per query. */
int kg_qv__real_key(kg_exec *x, kg_id n);
/** Property of an element; is_id: the access is `.id`, so a node's key
 * stands in when it has no `id` property. Borrowed (valid for the query);
 * NULL when absent. */
const kg_value *kg_qv__prop(kg_exec *x, kg_elem kind, kg_id id, kg_atom key,
                            int is_id);
/** The property keys of an element in name order, the key's `id`
 * included when visible: *out is a list of strings. */
int kg_qv__keys(const kg_graph *g, kg_elem kind, kg_id id, kg_value *out);
/** properties(e) as a map. */
int kg_qv__props_map(const kg_graph *g, kg_elem kind, kg_id id,
                     kg_value *out);
void kg_qv__cache_free(kg_exec *x);
/** A path value from alternating node and rel values (takes the list). */
kg_value kg_qv__path(kg_value list);

/* ============================ expressions (expr*.c) ===================== */

/** Evaluate e over the current row into *out (owned by the caller). */
int kg_expr__eval(kg_exec *x, const ast_expr *e, kg_value *out);
/** Evaluate a predicate: *t is KG_TV_TRUE, KG_TV_FALSE or KG_TV_NULL. */
int kg_expr__truth(kg_exec *x, const ast_expr *e, int *t);
/** Evaluate a binary operator on two values (expr_op.c). */
int kg_expr__binop(kg_exec *x, const ast_expr *e, const kg_value *a,
                   const kg_value *b, kg_value *out);
/** a STARTS WITH / ENDS WITH / CONTAINS b (op AST_OP_*) as a truth value:
 * KG_TV_NULL unless both are strings. */
int kg_expr__strtest(int op, const kg_value *a, const kg_value *b);
/** a =~ b, with a per-query cache of compiled patterns (expr_string.c). */
int kg_expr__regex(kg_exec *x, const ast_expr *e, const kg_value *a,
                   const kg_value *b, kg_value *out);
void kg_expr__regex_free(kg_exec *x);
/** Evaluate an expression that must give a non-negative integer (SKIP,
 * LIMIT): KG_ESYNTAX-style message naming what. */
int kg_expr__count(kg_exec *x, const ast_expr *e, const char *what,
                   int64_t *out);

/* ============================ functions (func*.c) ======================= */

typedef int (*kg_func_fn)(kg_exec *x, const ast_expr *call, kg_value *args,
                          uint32_t nargs, kg_value *out);

/* Aggregate kinds: ORDER AGG (op_aggregate.c switches on them). */
enum {
    KG_AGG_NONE = 0, KG_AGG_COUNT, KG_AGG_SUM, KG_AGG_AVG, KG_AGG_MIN,
    KG_AGG_MAX, KG_AGG_COLLECT, KG_AGG_STDEV, KG_AGG_STDEVP,
    KG_AGG_PCONT, KG_AGG_PDISC
};

typedef struct kg_func {
    const char *name;
    uint8_t min, max;   /* argument counts; max 255 = variadic            */
    uint8_t agg;        /* KG_AGG_*, 0 for scalar functions                */
    uint8_t hidden;     /* internal, not listed for completion             */
    kg_func_fn fn;
} kg_func;

/** Find a function by name (case-insensitive); NULL when unknown. */
const kg_func *kg_func__find(const char *name);
/** Table walk for kg_query_words: the i-th visible function or NULL. */
const char *kg_func__name_at(size_t i);
/* families, each a NULL-ended table */
extern const kg_func kg_func__graph[];
extern const kg_func kg_func__string[];
extern const kg_func kg_func__list[];
extern const kg_func kg_func__math[];
extern const kg_func kg_func__temporal[];
/** 1 when a op b is temporal arithmetic (instant +/- duration, duration
 * + duration), which kg_func__temporal_arith computes
 * (func_temporal_field.c, with kg_func__temporal_field). */
int kg_func__temporal_op(int op, const kg_value *a, const kg_value *b);
int kg_func__temporal_arith(kg_exec *x, const ast_expr *e, const kg_value *a,
                            const kg_value *b, kg_value *out);
/** e.name of a temporal value (d.year, dur.minutesOfHour) into out. */
int kg_func__temporal_field(kg_exec *x, const ast_expr *e,
                            const kg_value *base, kg_value *out);
/** Monday of ISO week 1 of year y, in days since 1970-01-01. */
int64_t kg_func__week1(int64_t y);
/** Day of the week of a day count: Monday 0 ... Sunday 6. */
int64_t kg_func__weekday0(int64_t days);
/** A type error for argument i of call: "toUpper() expects a String
 * argument, got Integer". */
int kg_func__argerr(kg_exec *x, const ast_expr *call, uint32_t i,
                    const char *expected, const kg_value *got);
/** Shortest round-trip text of a double ("1.0", "1.5e300"). */
void kg_fmt__float(double f, char *buf, size_t cap);
/** Convert to string as toString() does (*ok 0 when not convertible). */
int kg_func__to_string(const kg_value *v, kg_value *out, int *ok);

/* ============================ binder (bind.c) =========================== */

/** Resolve variables, functions, labels; fills the bound fields of the AST.
 * *nslots receives the row width. params (a map or NULL) is checked for
 * the $names used. Errors: KG_ESYNTAX / KG_ETYPE. */
int kg_bind(ast_stmt *s, kg_graph *g, const kg_value *params, kg_arena *a,
            const char *text, uint32_t len, uint32_t *nslots, kg_error *err);

/* Variable kinds the binder tracks, for "already defined as ..." errors. */
enum { KG_BT_ANY, KG_BT_NODE, KG_BT_REL, KG_BT_PATH, KG_BT_VALUE, KG_BT_RELS };

typedef struct {
    const char *name;
    int32_t slot;
    uint8_t type;       /* KG_BT_* */
    int8_t vt;          /* the kg_vtype when known before running, or -1  */
} kg_bvar;

typedef struct {
    kg_graph *g;
    const kg_value *params;
    kg_arena *arena;
    const char *text;
    uint32_t len;
    kg_error *err;
    int rc;
    kg_bvar *vars;      /* the scope, innermost last                      */
    uint32_t nvars, capvars;
    uint32_t nslots;
    ast_proj *proj;     /* projection collecting aggregates, or NULL      */
    int in_agg;         /* inside an aggregate's argument                 */
    int in_where;       /* binding a WHERE: pattern predicates allowed    */
    int32_t *news;      /* slots declared by the clause being bound       */
    uint32_t nnews, capnews;
    int writes;
} kg_binder;

/* bind.c */
int kg_bind__fail(kg_binder *b, int code, kg_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
kg_bvar *kg_bind__lookup(kg_binder *b, const char *name);
/** Declare name (NULL: a hidden slot) in scope; returns its slot or -1. */
int32_t kg_bind__declare(kg_binder *b, const char *name, int type);
int kg_bind__expr(kg_binder *b, ast_expr *e);
/** The kg_vtype e is known to have before running, -1 when unknown, -2
 * for a pattern expression. */
int kg_bind__static_type(kg_binder *b, const ast_expr *e);
/** KG_ETYPE when e can never be a Boolean (a non-boolean literal, a
 * node, relationship or path variable). */
int kg_bind__check_bool(kg_binder *b, const ast_expr *e);
/* Pattern modes. */
enum { KG_PAT_MATCH, KG_PAT_CREATE, KG_PAT_MERGE, KG_PAT_EXPR };
int kg_bind__pattern(kg_binder *b, ast_pattern *pat, int mode);
/* bind_clause.c */
/** Bind the clauses of an EXISTS { ... } subquery in a nested scope. */
int kg_bind__subquery(kg_binder *b, struct ast_query *q);
/** Bind one UNION branch; fills q->cols, q->col_slots, q->ncols. */
int kg_bind__query(kg_binder *b, ast_query *q);
/** Re-resolve an atom that was not interned at prepare time. */
static inline kg_atom kg_bind__atom(const kg_graph *g, kg_atom *cached,
                                    const char *name)
{
    if (*cached == KG_NONE) *cached = kg_graph_atom_find(g, name, strlen(name));
    return *cached;
}

/* ============================ planner (plan*.c) ========================= */

typedef struct {
    kg_graph *g;
    kg_arena *arena;
    const char *text;
    uint32_t len;
    kg_error *err;
    uint32_t nslots;
    uint8_t *bound;     /* per slot: bound by an operator planned so far  */
    kg_op **subplans;   /* plans of pattern expressions (freed with query) */
    size_t nsub, capsub;
    int writes;
    int pending_write;  /* a write op is planned with no Eager above it yet */
} kg_plan;

/** Build the operator tree for a bound statement; *out owns all ops. */
int kg_plan_build(kg_plan *p, const ast_stmt *s, kg_op **out,
                  int32_t **colslots, const char ***colnames, uint32_t *ncols);
/** Plan one MATCH pattern on top of cur (plan_match.c). where may be NULL. */
int kg_plan__match(kg_plan *p, kg_op **cur, const ast_pattern *pat,
                   const ast_expr *where);
/** Plan the clauses of a query (or EXISTS subquery) over a new Argument. */
int kg_plan__query(kg_plan *p, const ast_query *q, kg_op **out);
/** Plan the sub-plans of pattern expressions inside e (plan_match.c). */
int kg_plan__expr(kg_plan *p, const ast_expr *e);
void kg_plan__free(kg_plan *p);
int kg_plan__fail(kg_plan *p, int code, kg_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/** Collect the slots e reads into slots[] (deduplicated). */
void kg_plan__deps(const ast_expr *e, int32_t *slots, uint32_t *n,
                   uint32_t cap);

/* ============================ rowset.c ================================== */

/* A hash set of tuples of width values (DISTINCT, grouping keys). */
typedef struct {
    uint32_t width;
    size_t n, cap;
    kg_value *vals;     /* n * width, owned                               */
    uint64_t *hashes;
    uint32_t *index;    /* open addressing: entry + 1, 0 = empty          */
    size_t icap;
} kg_rowset;

uint64_t kg_rowset__hash(const kg_value *t, uint32_t width);
/** Find t or add a copy of it; *pos is its entry, *added 1 when new. */
int kg_rowset__add(kg_rowset *s, const kg_value *t, size_t *pos, int *added);
/** Release everything; s is zeroed (width too). */
void kg_rowset__free(kg_rowset *s);

/* ============================ operators (op_*.c) ======================== */

typedef struct {
    kg_atom *atoms;      /* property keys                                  */
    const char **names;
    ast_expr **vals;
    uint32_t n;
} kg_propspec;

kg_op *kg_op_new_once(void);
kg_op *kg_op_new_scan(kg_op *child, int32_t slot, const char **labels,
                      kg_atom *atoms, uint32_t nlabels);
/* Seek by key (`{id: e}` / `n.id = e`), or by internal id (by_id). */
kg_op *kg_op_new_seek(kg_op *child, int32_t slot, const ast_expr *key,
                      int by_id, const char **labels, kg_atom *atoms,
                      uint32_t nlabels);

typedef struct {
    int32_t src, rel, dst;   /* slots; rel may be -1                        */
    uint8_t dir;             /* ast_dir, relative to src                    */
    uint8_t into;            /* dst already bound: check instead of bind    */
    uint8_t rel_bound;       /* rel already bound: check instead of bind    */
    uint8_t need_list;       /* varlen: build the list of rels              */
    uint8_t reverse;         /* varlen: list in the opposite order           */
    const char **types;
    kg_atom *tatoms;
    uint32_t ntypes;
    const char **labels;     /* required on dst                             */
    kg_atom *latoms;
    uint32_t nlabels;
    const char **slabels;    /* RelScan: required on src                    */
    kg_atom *satoms;
    uint32_t nslabels;
    int32_t *iso;            /* other rel slots of the same MATCH           */
    uint32_t niso;
    uint32_t min, max;       /* varlen hops                                 */
    kg_propspec props;       /* varlen: every rel must match                */
} kg_expand_spec;

kg_op *kg_op_new_expand(kg_op *child, const kg_expand_spec *spec);
/* All relationships in id order (sequential memory), binding both ends:
 * how a pattern with no selective node starts. */
kg_op *kg_op_new_relscan(kg_op *child, const kg_expand_spec *spec);
/** The spec of op when it is a RelationshipScan, else NULL (aggregation
 * reads it to count degrees from adjacency sizes). */
kg_expand_spec *kg_relscan__spec(kg_op *op);
/* checks shared by expand, varlen and shortest (op_expand.c) */
int kg_expand__type_ok(kg_exec *x, kg_expand_spec *s, kg_id e);
int kg_expand__iso_ok(const kg_exec *x, const kg_expand_spec *s, kg_id e);
int kg_expand__labels_ok(kg_exec *x, kg_expand_spec *s, kg_id n);
kg_op *kg_op_new_varlen(kg_op *child, const kg_expand_spec *spec);
kg_op *kg_op_new_shortest(kg_op *child, const kg_expand_spec *spec, int all,
                          int32_t path_slot);
kg_op *kg_op_new_filter(kg_op *child, const ast_expr *pred);
kg_op *kg_op_new_eval(kg_op *child, const ast_expr *e, int32_t slot);
kg_op *kg_op_new_project(kg_op *child, ast_expr **exprs, const int32_t *slots,
                         uint32_t n);

typedef struct {
    ast_expr **keys;         /* grouping expressions and their out slots    */
    int32_t *key_slots;
    int32_t *key_node;       /* key is n.id: group by n's slot (or -1)      */
    uint32_t nkeys;
    ast_expr **aggs;         /* aggregate calls (slot = result)             */
    uint32_t naggs;
    ast_expr **post;         /* items computed from aggregates              */
    int32_t *post_slots;
    uint32_t npost;
} kg_agg_spec;
kg_op *kg_op_new_aggregate(kg_op *child, const kg_agg_spec *spec);

kg_op *kg_op_new_sort(kg_op *child, ast_sort *keys, uint32_t nkeys,
                      const int32_t *keep, uint32_t nkeep,
                      const ast_expr *skip, const ast_expr *limit);
/* drain: when the limit is reached, pull the input dry anyway (an update
 * below must run on every row). */
kg_op *kg_op_new_limit(kg_op *child, const ast_expr *skip,
                       const ast_expr *limit, int drain);
kg_op *kg_op_new_distinct(kg_op *child, const int32_t *slots, uint32_t n);
kg_op *kg_op_new_optional(kg_op *child, kg_op *inner, const int32_t *nulls,
                          uint32_t n);
kg_op *kg_op_new_union(kg_op *left, kg_op *right, const int32_t *lslots,
                       const int32_t *rslots, const int32_t *out, uint32_t n);
kg_op *kg_op_new_unwind(kg_op *child, const ast_expr *list, int32_t slot);
kg_op *kg_op_new_create(kg_op *child, const ast_pattern *pat);
kg_op *kg_op_new_merge(kg_op *child, kg_op *match, const ast_clause *c);
kg_op *kg_op_new_set(kg_op *child, const ast_set *sets, uint32_t n);
kg_op *kg_op_new_delete(kg_op *child, ast_expr **exprs, uint32_t n,
                        int detach);
kg_op *kg_op_new_call(kg_op *child, const ast_clause *c);
/** Pull every child row into a buffer before producing (writes' Eager). */
kg_op *kg_op_new_eager(kg_op *child, uint32_t nslots);

/* ---- write helpers shared by create / merge / set (op_write.c) ---- */

/** Create the elements a CREATE / MERGE pattern declares, binding their
 * slots; variables bound before the clause are referenced. merge: a null
 * property value is an error (MERGE cannot match on null). */
int kg_write__create(kg_exec *x, const ast_pattern *pat, kg_span at,
                     int merge);
/** Apply SET / REMOVE items to the current row. */
int kg_write__apply(kg_exec *x, const ast_set *sets, uint32_t n);

/* A buffer of whole rows (every slot), for eager operators. */
typedef struct {
    uint32_t width;
    size_t n, cap;
    kg_value *vals;
} kg_rowbuf;
int kg_rowbuf__push(kg_rowbuf *b, kg_exec *x, kg_span at);
/** Copy row i of b into x->row. */
void kg_rowbuf__load(kg_rowbuf *b, kg_exec *x, size_t i);
void kg_rowbuf__clear(kg_rowbuf *b);

/* ============================ procedures (proc.c) ======================= */

typedef struct {
    const char *name;
    uint8_t nargs;
    const char *const *cols;  /* output columns, NULL-ended               */
    int needs_store;
} kg_proc_info;

/** Index of a procedure by name, -1 when unknown. */
int kg_proc__find(const char *name);
const kg_proc_info *kg_proc__info(int id);
/** Run procedure id: results as a list of lists (one per row) in *out. */
int kg_proc__run(kg_exec *x, const ast_clause *c, kg_value *args,
                 kg_value *out);

/* ============================ explain.c ================================= */

int kg_explain__tree(kg_buf *out, const kg_op *root, const kg_exec *x,
                     int profile);

#endif /* KG_QUERY_INT_H */
