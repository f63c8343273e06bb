/* op.h - the operator base: a Volcano-style pull interface.
 *
 * Operators form a tree; next() pulls rows from the child. All operators
 * of a statement share one row buffer (kg_exec.row, one kg_value per slot),
 * so a row is never copied on its way up: an operator writes the slots it
 * owns and returns 1. Only operators that must hold many rows (sort,
 * aggregate, distinct, eager writes) copy slot values out.
 *
 * Every concrete operator embeds kg_op as its first member and exposes only
 * its constructor kg_op_new_<name>() (declared in query_int.h).
 */
#ifndef KG_OP_H
#define KG_OP_H

#include "kg_graph.h"

typedef struct kg_exec kg_exec;
typedef struct kg_op kg_op;

typedef struct {
    const char *name;
    /* 1: a row is in x->row; 0: exhausted; < 0: error (x->err is set). */
    int (*next)(kg_op *op, kg_exec *x);
    /* Forget all state so the next call starts over with a fresh input
     * (children are reset by kg_op__reset, not here). May be NULL. */
    void (*reset)(kg_op *op);
    /* Release what the operator owns (not its children). May be NULL. */
    void (*free)(kg_op *op);
    /* Append a one-line description of the arguments. May be NULL. */
    void (*explain)(const kg_op *op, const kg_exec *x, kg_buf *out);
} kg_op_vtable;

struct kg_op {
    const kg_op_vtable *vt;
    kg_op *child;      /* input                                          */
    kg_op *inner;      /* second input: OPTIONAL, UNION, MERGE's match    */
    uint64_t rows;     /* rows produced (always counted)                  */
    uint64_t ns;       /* time inside next(), children included (PROFILE) */
    kg_span span;      /* the clause or pattern part it came from         */
    uint8_t reads;     /* iterates the graph across next() calls          */
    uint8_t eager;     /* consumes all input before producing             */
};

/** Pull one row; counts rows and, when profiling, time. */
int kg_op__next(kg_op *op, kg_exec *x);
/** Reset op and its child chain (inner inputs are the op's business). */
void kg_op__reset(kg_op *op);
/** Free op, its child and its inner input. Accepts NULL. */
void kg_op_free(kg_op *op);
/** 1 when op or anything below it (not behind an eager op) reads the graph
 * across next() calls: then a write above it must buffer its input. */
int kg_op__reads(const kg_op *op);
/** Allocate a zeroed operator of size bytes with vtable vt and child. */
void *kg_op__alloc(size_t size, const kg_op_vtable *vt, kg_op *child);

#endif /* KG_OP_H */
