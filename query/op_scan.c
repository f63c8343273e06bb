/* op_scan.c - leaf producers: Once (one empty row, the argument of every
 * plan and sub-plan) and NodeScan (all nodes, or the nodes of a label).
 *
 * A label scan starts from the smallest of the pattern's labels and checks
 * the others per node; an unknown label matches nothing. The label index
 * array is borrowed from the graph, which is safe because writes above a
 * reading operator are made eager (kg_op__reads).
 */
#include "query_int.h"

/* ---- Once ---- */

typedef struct {
    kg_op base;
    int done;
} op_once;

static int once_next(kg_op *op, kg_exec *x)
{
    op_once *o = (op_once *)op;
    if (o->done) return 0;
    o->done = 1;
    return 1;
}

static void once_reset(kg_op *op)
{
    ((op_once *)op)->done = 0;
}

static const kg_op_vtable once_vt = {"Argument", once_next, once_reset, NULL,
                                     NULL};

kg_op *kg_op_new_once(void)
{
    return kg_op__alloc(sizeof(op_once), &once_vt, NULL);
}

/* ---- NodeScan / NodeByLabelScan ---- */

typedef struct {
    kg_op base;
    int32_t slot;
    const char **labels;
    kg_atom *atoms;
    uint32_t nlabels;
    int active;
    const kg_id *ids; /* label scan; NULL: all ids below n */
    size_t n, pos;
    uint32_t first;   /* the label whose index is walked */
} op_scan;

static int has_labels(kg_exec *x, const op_scan *s, kg_id id)
{
    uint32_t i;
    for (i = 0; i < s->nlabels; i++) {
        const uint64_t *bits;
        size_t nw;
        if (i == s->first) continue;
        bits = kg_graph_label_bits(x->g, s->atoms[i], &nw);
        if (!bits ? !kg_graph_has_label(x->g, id, s->atoms[i])
                  : !kg_graph_bit(bits, nw, id))
            return 0;
    }
    return 1;
}

static void scan_open(op_scan *s, kg_exec *x)
{
    uint32_t i;
    size_t best = (size_t)-1;
    s->pos = 0;
    s->ids = NULL;
    if (!s->nlabels) {
        s->n = kg_graph_cap(x->g, KG_NODE);
        return;
    }
    s->n = 0;
    for (i = 0; i < s->nlabels; i++) {
        size_t count;
        const kg_id *ids;
        if (kg_bind__atom(x->g, &s->atoms[i], s->labels[i]) == KG_NONE) {
            s->n = 0; /* an unknown label matches nothing */
            return;
        }
        ids = kg_graph_label_nodes(x->g, s->atoms[i], &count);
        if (count < best) {
            best = count;
            s->ids = ids;
            s->n = count;
            s->first = i;
        }
    }
}

static int scan_next(kg_op *op, kg_exec *x)
{
    op_scan *s = (op_scan *)op;
    int rc;
    for (;;) {
        if (!s->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            s->active = 1;
            scan_open(s, x);
        }
        while (s->pos < s->n) {
            kg_id id = s->ids ? s->ids[s->pos] : (kg_id)s->pos;
            s->pos++;
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (!s->ids && !kg_graph_alive(x->g, KG_NODE, id)) continue;
            if (s->nlabels > 1 && !has_labels(x, s, id)) continue;
            kg_exec__set(x, s->slot, kg_value_node(id));
            return 1;
        }
        s->active = 0;
    }
}

static void scan_reset(kg_op *op)
{
    ((op_scan *)op)->active = 0;
}

static void scan_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_scan *s = (const op_scan *)op;
    uint32_t i;
    kg_buf_printf(out, "slot %d", s->slot);
    for (i = 0; i < s->nlabels; i++) kg_buf_printf(out, ":%s", s->labels[i]);
}

static const kg_op_vtable scan_vt = {"NodeScan", scan_next, scan_reset, NULL,
                                     scan_explain};
static const kg_op_vtable label_scan_vt = {"NodeByLabelScan", scan_next,
                                           scan_reset, NULL, scan_explain};

kg_op *kg_op_new_scan(kg_op *child, int32_t slot, const char **labels,
                      kg_atom *atoms, uint32_t nlabels)
{
    op_scan *s = kg_op__alloc(sizeof *s, nlabels ? &label_scan_vt : &scan_vt,
                              child);
    if (!s) return NULL;
    s->base.reads = 1;
    s->slot = slot;
    s->labels = labels;
    s->atoms = atoms;
    s->nlabels = nlabels;
    return &s->base;
}
