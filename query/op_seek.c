/* op_seek.c - NodeByKeySeek and NodeByIdSeek: start a pattern from one node.
 *
 * `MATCH (a {id: 'sagemaker'})` and `WHERE a.id = $k` seek the graph's key
 * index (a hash lookup) instead of scanning: a node's key is its `id`
 * property unless the node stores an `id` of its own (see qvalue.c). For
 * that second case the operator also scans nodes whose stored `id` equals
 * the value, but only when the graph has an `id` property name at all,
 * which graphs built from notes and Neptune CSV files do not: there the
 * seek is one hash lookup. `id(a) = 42` seeks by internal id.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    int32_t slot;
    const ast_expr *key;
    int by_id;
    const char **labels;
    kg_atom *atoms;
    uint32_t nlabels;
    int active;
    int stage;        /* 0: key index, 1: stored-id scan, 2: done */
    kg_value val;
    size_t pos, cap;
    kg_atom id_atom;
} op_seek;

static int labels_ok(kg_exec *x, const op_seek *s, kg_id id)
{
    uint32_t i;
    for (i = 0; i < s->nlabels; i++) {
        kg_atom a = kg_bind__atom(x->g, &s->atoms[i], s->labels[i]);
        if (a == KG_NONE || !kg_graph_has_label(x->g, id, a)) return 0;
    }
    return 1;
}

static int seek_open(op_seek *s, kg_exec *x)
{
    int rc;
    kg_value_release(&s->val);
    if ((rc = kg_expr__eval(x, s->key, &s->val)) < 0) return rc;
    s->stage = 0;
    s->pos = 0;
    s->id_atom = kg_graph_atom_find(x->g, "id", 2);
    s->cap = kg_graph_cap(x->g, KG_NODE);
    return KG_OK;
}

/* The next matching node id, or KG_NONE. */
static kg_id seek_step(op_seek *s, kg_exec *x)
{
    if (s->stage == 0) {
        s->stage = s->by_id ? 2 : 1;
        if (s->by_id) {
            if (s->val.type == KG_VINT && s->val.u.i >= 0 &&
                (uint64_t)s->val.u.i < s->cap &&
                kg_graph_alive(x->g, KG_NODE, (kg_id)s->val.u.i))
                return (kg_id)s->val.u.i;
            return KG_NONE;
        }
        if (s->val.type == KG_VSTRING) {
            kg_id n = kg_graph_node_find(x->g, s->val.u.str->s);
            if (n != KG_NONE && !kg_qv__generated_key(s->val.u.str->s) &&
                (s->id_atom == KG_NONE ||
                 !kg_graph_prop(x->g, KG_NODE, n, s->id_atom)))
                return n;
        }
    }
    if (s->stage == 1) {
        if (s->id_atom == KG_NONE || s->val.type == KG_VNULL) {
            s->stage = 2;
            return KG_NONE;
        }
        while (s->pos < s->cap) {
            kg_id n = (kg_id)s->pos++;
            const kg_value *v;
            if (!kg_graph_alive(x->g, KG_NODE, n)) continue;
            v = kg_graph_prop(x->g, KG_NODE, n, s->id_atom);
            if (v && kg_qv__equals(v, &s->val) == KG_TV_TRUE) return n;
        }
        s->stage = 2;
    }
    return KG_NONE;
}

static int seek_next(kg_op *op, kg_exec *x)
{
    op_seek *s = (op_seek *)op;
    int rc;
    for (;;) {
        kg_id n;
        if (!s->active) {
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            if ((rc = seek_open(s, x)) < 0) return rc;
            s->active = 1;
        }
        while ((n = seek_step(s, x)) != KG_NONE) {
            if ((rc = kg_exec__tick(x)) < 0) return rc;
            if (!labels_ok(x, s, n)) continue;
            kg_exec__set(x, s->slot, kg_value_node(n));
            return 1;
        }
        s->active = 0;
    }
}

static void seek_reset(kg_op *op)
{
    op_seek *s = (op_seek *)op;
    s->active = 0;
    kg_value_release(&s->val);
}

static void seek_free(kg_op *op)
{
    kg_value_release(&((op_seek *)op)->val);
}

static void seek_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_seek *s = (const op_seek *)op;
    uint32_t i;
    kg_buf_printf(out, "slot %d", s->slot);
    for (i = 0; i < s->nlabels; i++) kg_buf_printf(out, ":%s", s->labels[i]);
    kg_buf_printf(out, " %s = %.*s", s->by_id ? "id()" : "key",
                  (int)s->key->span.len, x->text + s->key->span.offset);
}

static const kg_op_vtable key_vt = {"NodeByKeySeek", seek_next, seek_reset,
                                    seek_free, seek_explain};
static const kg_op_vtable id_vt = {"NodeByIdSeek", seek_next, seek_reset,
                                   seek_free, seek_explain};

kg_op *kg_op_new_seek(kg_op *child, int32_t slot, const ast_expr *key,
                      int by_id, const char **labels, kg_atom *atoms,
                      uint32_t nlabels)
{
    op_seek *s = kg_op__alloc(sizeof *s, by_id ? &id_vt : &key_vt, child);
    if (!s) return NULL;
    s->base.reads = 1;
    s->slot = slot;
    s->key = key;
    s->by_id = by_id;
    s->labels = labels;
    s->atoms = atoms;
    s->nlabels = nlabels;
    return &s->base;
}
