/* explain.c - EXPLAIN and PROFILE: the operator tree as text.
 *
 * One line per operator, the root first and inputs indented below it; an
 * operator's second input (the OPTIONAL MATCH or MERGE sub-plan, the right
 * branch of a UNION) is listed before its main input and marked "+". With
 * profile, each line adds the rows the operator produced and the time
 * spent inside it, its inputs included (FalkorDB's OpStats). Rows are
 * always counted, so EXPLAIN after a run shows them too.
 */
#include "query_int.h"

static void line(kg_buf *out, const kg_op *op, const kg_exec *x, int depth,
                 int inner, int profile)
{
    int i;
    for (i = 0; i < depth; i++) kg_buf_puts(out, "  ");
    if (inner) kg_buf_puts(out, "+ ");
    kg_buf_puts(out, op->vt->name);
    if (op->vt->explain) {
        kg_buf_putc(out, ' ');
        op->vt->explain(op, x, out);
    }
    if (profile)
        kg_buf_printf(out, "  (rows %llu, %.3f ms)",
                      (unsigned long long)op->rows, (double)op->ns / 1e6);
    kg_buf_putc(out, '\n');
}

static void tree(kg_buf *out, const kg_op *op, const kg_exec *x, int depth,
                 int inner, int profile)
{
    for (; op; op = op->child, depth++, inner = 0) {
        line(out, op, x, depth, inner, profile);
        if (op->inner) tree(out, op->inner, x, depth + 1, 1, profile);
    }
}

int kg_explain__tree(kg_buf *out, const kg_op *root, const kg_exec *x,
                     int profile)
{
    tree(out, root, x, 0, 0, profile);
    return out->oom ? KG_ENOMEM : KG_OK;
}
