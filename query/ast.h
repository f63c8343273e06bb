/* ast.h - the query syntax tree.
 *
 * Every node lives in the query's arena and carries the span of the text it
 * came from, so the binder and the executor can underline exactly the part
 * of the query an error is about. The parser fills the syntactic fields; the
 * binder (bind.c) fills the semantic ones (slot, atom, fn, agg), which are
 * marked "bound:" below. Names are NUL-terminated arena strings.
 */
#ifndef KG_AST_H
#define KG_AST_H

#include "kg_graph.h"

/* ORDER EXPR: ast.c names these for ast_dump. */
typedef enum {
    AST_E_LIT,      /* val                                                 */
    AST_E_PARAM,    /* name                                                */
    AST_E_VAR,      /* name; bound: slot                                   */
    AST_E_PROP,     /* a.name; bound: atom                                 */
    AST_E_INDEX,    /* a[b]                                                */
    AST_E_SLICE,    /* a[b..c], b or c may be NULL                         */
    AST_E_BINOP,    /* a op b                                              */
    AST_E_NOT,      /* NOT a                                               */
    AST_E_NEG,      /* -a                                                  */
    AST_E_ISNULL,   /* a IS NULL; flags & AST_F_NOT: IS NOT NULL           */
    AST_E_HASLABEL, /* a:L1:L2 (names/atoms)                               */
    AST_E_LIST,     /* [args]                                              */
    AST_E_MAP,      /* {names: args}                                       */
    AST_E_CASE,     /* CASE [a] WHEN args[2i] THEN args[2i+1] ... ELSE b   */
    AST_E_CALL,     /* name(args); bound: fn or agg (+ slot)               */
    AST_E_COUNTSTAR,/* count(*); bound: slot                               */
    AST_E_LISTCOMP, /* [var IN a WHERE b | c]; bound: slot of var          */
    AST_E_QUANT,    /* all/any/none/single(var IN a WHERE b); op = quant   */
    AST_E_REDUCE,   /* reduce(name = a, var IN b | c); slot2 = accumulator */
    AST_E_PATTERN,  /* pattern predicate (pat [WHERE b]); bound: plan      */
    AST_E_PATCOMP,  /* [pat WHERE b | c]; bound: plan                      */
    AST_E_MAPPROJ,  /* a{.k, k: e, .*}: names/args, args[i] NULL for .k    */
    AST_E_PATH,     /* internal: build a path value from a pattern (pat)   */
    AST_E_COUNT_
} ast_ekind;

/* ORDER BINOP: prec[] in parse_expr.c and names in ast.c follow this. */
typedef enum {
    AST_OP_OR, AST_OP_XOR, AST_OP_AND,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_GT, AST_OP_LE, AST_OP_GE,
    AST_OP_IN, AST_OP_STARTS, AST_OP_ENDS, AST_OP_CONTAINS, AST_OP_REGEX,
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD, AST_OP_POW,
    AST_OP_COUNT_
} ast_binop;

typedef enum { AST_Q_ALL, AST_Q_ANY, AST_Q_NONE, AST_Q_SINGLE } ast_quant;

#define AST_F_NOT 1      /* IS NOT NULL                                  */
#define AST_F_DISTINCT 2 /* f(DISTINCT x)                                */
#define AST_F_STAR 4     /* map projection .* present                    */
#define AST_F_CONST 8    /* bound: no variables, no parameters inside    */
#define AST_F_ISID 16    /* bound: property access of `id` (node key)     */
#define AST_F_KEYREF 32  /* VAR reading grouping key item slot2's column  */
#define AST_F_EXISTS 64  /* PATTERN written as exists(pattern)            */
#define AST_F_SUBQUERY 128 /* PATTERN written EXISTS { [MATCH] pat [WHERE] } */

struct kg_func;
struct kg_op;
typedef struct ast_pattern ast_pattern;
typedef struct ast_expr ast_expr;
struct ast_query;

struct ast_expr {
    uint8_t kind;   /* ast_ekind */
    uint8_t op;     /* ast_binop, ast_quant, or aggregate kind            */
    uint16_t flags;
    kg_span span;
    int32_t slot;   /* bound: row slot of a variable or aggregate result  */
    int32_t slot2;
    kg_atom atom;   /* bound: property key (KG_NONE = not interned yet)   */
    const char *name;
    ast_expr *a, *b, *c;
    ast_expr **args;
    const char **names; /* map keys, label names                          */
    kg_atom *atoms;     /* bound: atoms of names (labels)                  */
    uint32_t nargs, nnames;
    kg_value val;       /* literal, owned by the query                     */
    const struct kg_func *fn;
    ast_pattern *pat;
    struct ast_query *sub; /* EXISTS { MATCH ... RETURN ... } subquery     */
    struct kg_op *plan; /* bound: sub-plan of a pattern expression         */
};

/* ---- patterns ---- */

typedef enum { AST_DIR_OUT, AST_DIR_IN, AST_DIR_BOTH } ast_dir;

typedef struct {
    kg_span span;
    const char *var;     /* NULL when anonymous                            */
    int32_t slot;        /* bound                                          */
    uint8_t is_new;      /* bound: 1 if this pattern declares the variable */
    const char **labels;
    kg_atom *atoms;      /* bound                                          */
    uint32_t nlabels;
    ast_expr *props;     /* AST_E_MAP or AST_E_PARAM, may be NULL           */
} ast_node_pat;

typedef struct {
    kg_span span;
    const char *var;
    int32_t slot;
    uint8_t is_new;
    uint8_t dir;         /* ast_dir                                        */
    uint8_t varlen;      /* 1 for *min..max                                */
    const char **types;
    kg_atom *atoms;
    uint32_t ntypes;
    uint32_t min, max;   /* hops, when varlen; max = UINT32_MAX unbounded  */
    ast_expr *props;
} ast_rel_pat;

typedef struct {
    kg_span span;
    const char *var;      /* named path p = ...                            */
    int32_t slot;
    uint8_t shortest;     /* 0, 1 shortestPath, 2 allShortestPaths          */
    ast_node_pat **nodes; /* nrels + 1                                      */
    ast_rel_pat **rels;
    uint32_t nrels;
} ast_path;

struct ast_pattern {
    kg_span span;
    ast_path **paths;
    uint32_t npaths;
};

/* ---- clauses ---- */

typedef enum {
    AST_C_MATCH, AST_C_UNWIND, AST_C_WITH, AST_C_RETURN, AST_C_CREATE,
    AST_C_MERGE, AST_C_SET, AST_C_REMOVE, AST_C_DELETE, AST_C_CALL,
    AST_C_COUNT_
} ast_ckind; /* ORDER CLAUSE: names in ast.c */

typedef struct {
    ast_expr *expr;
    const char *alias;  /* NULL without AS                               */
    const char *name;   /* column name: alias or the text as written     */
    kg_span span;
    int32_t slot;       /* bound: output slot                             */
    uint8_t has_agg;    /* bound                                          */
} ast_item;

typedef struct {
    ast_expr *expr;
    uint8_t desc;
} ast_sort;

typedef struct {
    uint8_t distinct, star;
    ast_item *items;
    uint32_t nitems;
    ast_sort *order;
    uint32_t norder;
    ast_expr *skip, *limit;
    ast_expr *where;     /* WITH ... WHERE                                */
    /* bound: */
    ast_expr **aggs;     /* aggregate calls found in items (and ORDER BY)  */
    uint32_t naggs;
    uint8_t aggregating;
} ast_proj;

typedef enum {
    AST_SET_PROP,    /* target.prop = value (target: AST_E_PROP)          */
    AST_SET_ALL,     /* var = map                                         */
    AST_SET_MERGE,   /* var += map                                        */
    AST_SET_LABELS,  /* var:L1:L2                                         */
    AST_REMOVE_PROP, /* REMOVE target.prop                                */
    AST_REMOVE_LABELS
} ast_setkind;

typedef struct {
    uint8_t kind;       /* ast_setkind */
    kg_span span;
    ast_expr *target;   /* AST_E_PROP for *_PROP, else the variable expr   */
    ast_expr *value;
    const char **labels;
    kg_atom *atoms;
    uint32_t nlabels;
} ast_set;

typedef struct {
    const char *name;   /* procedure output column                         */
    const char *alias;
    kg_span span;
    int32_t slot;       /* bound */
    int32_t col;        /* bound: column index in the procedure's output   */
} ast_yield;

typedef struct ast_clause ast_clause;
struct ast_clause {
    uint8_t kind;       /* ast_ckind */
    uint8_t optional;   /* OPTIONAL MATCH                                  */
    uint8_t detach;     /* DETACH DELETE                                   */
    uint8_t yield_star; /* CALL ... YIELD *                                */
    kg_span span;
    ast_clause *next;
    ast_pattern *pat;   /* MATCH, CREATE, MERGE (one path)                 */
    ast_expr *where;    /* MATCH, CALL ... YIELD ... WHERE                 */
    ast_proj proj;      /* WITH, RETURN                                    */
    ast_expr *expr;     /* UNWIND                                          */
    const char *var;    /* UNWIND ... AS var                               */
    kg_span var_span;
    int32_t slot;
    ast_set *sets;      /* SET, REMOVE, MERGE ON MATCH                     */
    uint32_t nsets;
    ast_set *sets2;     /* MERGE ON CREATE                                 */
    uint32_t nsets2;
    ast_expr **exprs;   /* DELETE targets, CALL arguments                  */
    uint32_t nexprs;
    const char *proc;   /* CALL: dotted name                               */
    uint8_t has_args;   /* CALL name(...) vs CALL name                      */
    ast_yield *yields;
    uint32_t nyields;
    int32_t proc_id;    /* bound                                           */
    /* bound: slots declared by this clause (OPTIONAL MATCH nulls them)    */
    int32_t *new_slots;
    uint32_t nnew;
};

typedef struct ast_query ast_query;
struct ast_query {
    kg_span span;
    ast_clause *clauses;
    ast_query *next;    /* UNION branch                                    */
    uint8_t union_all;  /* how next is joined                              */
    /* bound: the columns this branch returns */
    const char **cols;
    int32_t *col_slots;
    uint32_t ncols;
};

typedef enum { AST_MODE_RUN, AST_MODE_EXPLAIN, AST_MODE_PROFILE } ast_mode;

typedef struct {
    uint8_t mode;       /* ast_mode */
    const char *use;    /* USE 'rev'                                       */
    kg_span use_span;
    ast_query *query;
    int writes;         /* bound: any updating clause                      */
} ast_stmt;

/* ---- constructors (arena) ---- */

ast_expr *kg_ast_expr(kg_arena *a, int kind, kg_span span);
/** Span from the start of a to the end of b. */
kg_span kg_ast_join(kg_span a, kg_span b);
/** Print e as an S-expression (for tests). */
int kg_ast_dump_expr(kg_buf *out, const ast_expr *e);
int kg_ast_dump_pattern(kg_buf *out, const ast_pattern *p);
int kg_ast_dump(kg_buf *out, const ast_stmt *s);
/** Structural equality of two unbound expressions (ORDER BY rewriting). */
int kg_ast_expr_same(const ast_expr *a, const ast_expr *b);
/** Name of a binary operator as written ("=", "STARTS WITH"). */
const char *kg_ast_binop_name(int op);

#endif /* KG_AST_H */
