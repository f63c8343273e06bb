/* op_shortest.c - ShortestPath: shortestPath() and allShortestPaths()
 * between two bound nodes, by breadth-first search.
 *
 * The search records each reached node's distance (an array over node ids,
 * reset through a list of touched ids, so a search costs what it visits,
 * not the graph's size). When the target's level is complete, paths are
 * read back from the target towards the source along edges that step one
 * level down; shortestPath takes the first, allShortestPaths every one.
 * This is an extension documented in the README: openCypher leaves
 * shortest paths to implementations; Neo4j and Neptune spell it this way.
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    kg_expand_spec s;
    int all;
    int32_t path_slot;
    uint32_t *dist;     /* UINT32_MAX: not reached */
    uint32_t *distb;    /* shortestPath: distance to the target */
    size_t ndist;
    kg_id *queue;       /* also the touched list */
    size_t nq, capq;
    kg_id *queueb;      /* shortestPath: the backward search */
    size_t nqb, capqb;
    kg_value paths;     /* list of (path, rels) pairs for the current row */
    uint32_t pos;
    int active;
    kg_id src, dst;
    kg_id *stack;       /* read-back: edges from target to source */
} op_short;

static int push(op_short *o, kg_exec *x, kg_id **q, size_t *n, size_t *cap,
                kg_id id)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        kg_id *nq = kg_realloc(*q, c * sizeof *nq);
        if (!nq) return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        *q = nq;
        *cap = c;
    }
    (*q)[(*n)++] = id;
    return KG_OK;
}

static int push_q(op_short *o, kg_exec *x, kg_id n)
{
    return push(o, x, &o->queue, &o->nq, &o->capq, n);
}

/* Visit the edges of n in direction dir (0 out, 1 in) for the BFS. */
static const kg_id *edges(kg_exec *x, kg_id n, int in, size_t *count)
{
    return in ? kg_graph_in(x->g, n, count) : kg_graph_out(x->g, n, count);
}

static int bfs(op_short *o, kg_exec *x, uint32_t *found)
{
    size_t head = 0, i;
    uint32_t maxd = o->s.max;
    int rc, ph;
    *found = UINT32_MAX;
    o->nq = 0;
    if ((rc = push_q(o, x, o->src)) < 0) return rc;
    o->dist[o->src] = 0;
    while (head < o->nq) {
        kg_id n = o->queue[head++];
        uint32_t d = o->dist[n];
        if (*found != UINT32_MAX && d >= *found) break;
        if (d >= maxd) continue;
        for (ph = 0; ph < 2; ph++) {
            const kg_id *list;
            size_t cnt;
            if ((ph == 0 && o->s.dir == AST_DIR_IN) ||
                (ph == 1 && o->s.dir == AST_DIR_OUT))
                continue;
            list = edges(x, n, ph, &cnt);
            for (i = 0; i < cnt; i++) {
                kg_id e = list[i], m;
                if ((rc = kg_exec__tick(x)) < 0) return rc;
                if (!kg_expand__type_ok(x, &o->s, e)) continue;
                m = ph ? kg_graph_edge_src(x->g, e) : kg_graph_edge_dst(x->g, e);
                if (o->dist[m] != UINT32_MAX) continue;
                o->dist[m] = d + 1;
                if ((rc = push_q(o, x, m)) < 0) return rc;
                if (m == o->dst) *found = d + 1;
            }
        }
    }
    return KG_OK;
}

static int add_path(op_short *o, kg_exec *x, uint32_t len)
{
    kg_value path = kg_value_list(0), rels = kg_value_list(0), pair;
    kg_id cur = o->src;
    uint32_t i;
    if (kg_value_list_push(&path, kg_value_node(cur)) < 0) goto oom;
    for (i = len; i-- > 0;) { /* stack holds edges target-first */
        kg_id e = o->stack[i], s = kg_graph_edge_src(x->g, e);
        cur = s == cur ? kg_graph_edge_dst(x->g, e) : s;
        if (kg_value_list_push(&path, kg_value_rel(e)) < 0 ||
            kg_value_list_push(&path, kg_value_node(cur)) < 0 ||
            kg_value_list_push(&rels, kg_value_rel(e)) < 0)
            goto oom;
    }
    pair = kg_value_list(2);
    kg_value_list_set(&pair, 0, kg_qv__path(path));
    kg_value_list_set(&pair, 1, rels);
    if (kg_value_list_push(&o->paths, pair) < 0)
        return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
    return KG_OK;
oom:
    kg_value_release(&path);
    kg_value_release(&rels);
    return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
}

/* Walk back from node n at distance d; depth edges already on the stack. */
static int read_back(op_short *o, kg_exec *x, kg_id n, uint32_t d,
                     uint32_t depth)
{
    int ph, rc;
    size_t i;
    if (d == 0) return add_path(o, x, depth);
    for (ph = 0; ph < 2; ph++) {
        const kg_id *list;
        size_t cnt;
        /* backwards: a forward out-edge arrives through n's in list */
        if ((ph == 1 && o->s.dir == AST_DIR_OUT) ||
            (ph == 0 && o->s.dir == AST_DIR_IN))
            continue;
        list = edges(x, n, ph == 0, &cnt);
        for (i = 0; i < cnt; i++) {
            kg_id e = list[i];
            kg_id m = ph == 0 ? kg_graph_edge_src(x->g, e)
                              : kg_graph_edge_dst(x->g, e);
            if (m >= o->ndist || o->dist[m] != d - 1) continue;
            if (!kg_expand__type_ok(x, &o->s, e)) continue;
            o->stack[depth] = e;
            if ((rc = read_back(o, x, m, d - 1, depth + 1)) < 0) return rc;
            if (!o->all && o->paths.u.list->len) return KG_OK;
        }
    }
    return KG_OK;
}

/* ---- shortestPath: bidirectional breadth-first search ----
 *
 * Both ends search towards each other, a whole level at a time, always
 * growing the smaller frontier; the first level at which the searches
 * meet gives the distance. On graphs with hubs this visits a small part of
 * what a one-sided search would. */

/* Expand one level of one side; updates *best and *meet on contact. */
static int bidir_level(op_short *o, kg_exec *x, int backward, size_t *head,
                       uint32_t *best, kg_id *meet)
{
    uint32_t *mine = backward ? o->distb : o->dist;
    uint32_t *other = backward ? o->dist : o->distb;
    kg_id **q = backward ? &o->queueb : &o->queue;
    size_t *nq = backward ? &o->nqb : &o->nq, *cap = backward ? &o->capqb : &o->capq;
    size_t end = *nq, i;
    int ph, rc;
    for (; *head < end; (*head)++) {
        kg_id n = (*q)[*head];
        uint32_t d = mine[n];
        for (ph = 0; ph < 2; ph++) {
            /* forward follows dir; backward follows it reversed */
            int in = ph == 1;
            const kg_id *list;
            size_t cnt;
            if (o->s.dir != AST_DIR_BOTH &&
                in != ((o->s.dir == AST_DIR_IN) != backward))
                continue;
            list = edges(x, n, in, &cnt);
            for (i = 0; i < cnt; i++) {
                kg_id e = list[i], m;
                if ((rc = kg_exec__tick(x)) < 0) return rc;
                if (!kg_expand__type_ok(x, &o->s, e)) continue;
                m = in ? kg_graph_edge_src(x->g, e) : kg_graph_edge_dst(x->g, e);
                if (mine[m] != UINT32_MAX) continue;
                mine[m] = d + 1;
                if ((rc = push(o, x, q, nq, cap, m)) < 0) return rc;
                if (other[m] != UINT32_MAX && d + 1 + other[m] < *best) {
                    *best = d + 1 + other[m];
                    *meet = m;
                }
            }
        }
    }
    return KG_OK;
}

/* Walk from node n down the distances in dist to distance 0, pushing the
 * edges into path (in walking order); backward: along the forward dir. */
static int walk_down(op_short *o, kg_exec *x, const uint32_t *dist, kg_id n,
                     int backward, kg_id *out)
{
    while (dist[n] > 0) {
        int ph, found = 0;
        for (ph = 0; ph < 2 && !found; ph++) {
            int in = ph == 1;
            const kg_id *list;
            size_t cnt, i;
            /* to step back towards the source we undo a forward step */
            if (o->s.dir != AST_DIR_BOTH &&
                in == ((o->s.dir == AST_DIR_IN) != backward))
                continue;
            list = edges(x, n, in, &cnt);
            for (i = 0; i < cnt; i++) {
                kg_id e = list[i];
                kg_id m = in ? kg_graph_edge_src(x->g, e) : kg_graph_edge_dst(x->g, e);
                if (dist[m] != dist[n] - 1 || !kg_expand__type_ok(x, &o->s, e))
                    continue;
                *out++ = e;
                n = m;
                found = 1;
                break;
            }
        }
        if (!found)
            return kg_exec__fail(x, KG_ERROR, o->base.span,
                                 "internal error: broken shortest path");
    }
    return KG_OK;
}

static int bidir(op_short *o, kg_exec *x)
{
    size_t fh = 0, bh = 0, i;
    uint32_t lf = 0, lb = 0, best = UINT32_MAX;
    kg_id meet = KG_NONE;
    int rc = KG_OK;
    o->nq = o->nqb = 0;
    if ((rc = push_q(o, x, o->src)) < 0 ||
        (rc = push(o, x, &o->queueb, &o->nqb, &o->capqb, o->dst)) < 0)
        return rc;
    o->dist[o->src] = 0;
    o->distb[o->dst] = 0;
    while (fh < o->nq && bh < o->nqb && lf + lb < o->s.max &&
           best == UINT32_MAX) {
        if (o->nq - fh <= o->nqb - bh) {
            rc = bidir_level(o, x, 0, &fh, &best, &meet);
            lf++;
        } else {
            rc = bidir_level(o, x, 1, &bh, &best, &meet);
            lb++;
        }
        if (rc < 0) break;
    }
    if (rc == KG_OK && best != UINT32_MAX && best <= o->s.max &&
        best >= o->s.min) {
        kg_id *st = kg_realloc(o->stack, (best + 1) * sizeof *st);
        if (!st) {
            rc = kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        } else {
            uint32_t db = best - o->dist[meet], k;
            o->stack = st;
            /* the stack holds edges target-first: the target half walked
             * from the meeting point, reversed, then the source half as
             * walked from the meeting point */
            if ((rc = walk_down(o, x, o->distb, meet, 1, st)) == KG_OK &&
                (rc = walk_down(o, x, o->dist, meet, 0, st + db)) == KG_OK) {
                for (k = 0; k < db / 2; k++) {
                    kg_id t = st[k];
                    st[k] = st[db - 1 - k];
                    st[db - 1 - k] = t;
                }
                rc = add_path(o, x, best);
            }
        }
    }
    for (i = 0; i < o->nq; i++) o->dist[o->queue[i]] = UINT32_MAX;
    for (i = 0; i < o->nqb; i++) o->distb[o->queueb[i]] = UINT32_MAX;
    o->nq = 0;
    return rc;
}

static int search(op_short *o, kg_exec *x)
{
    uint32_t found;
    size_t cap = kg_graph_cap(x->g, KG_NODE), i;
    int rc;
    kg_value_release(&o->paths);
    o->paths = kg_value_list(0);
    o->pos = 0;
    if (cap > o->ndist) {
        uint32_t *d = kg_realloc(o->dist, cap * sizeof *d);
        uint32_t *db = d ? kg_realloc(o->distb, cap * sizeof *db) : NULL;
        if (d) o->dist = d;
        if (!d || !db)
            return kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        for (i = o->ndist; i < cap; i++) d[i] = db[i] = UINT32_MAX;
        o->distb = db;
        o->ndist = cap;
    }
    if (o->src == o->dst) {
        if (o->s.min == 0) return add_path(o, x, 0);
        return KG_OK;
    }
    if (!o->all) return bidir(o, x);
    rc = bfs(o, x, &found);
    if (rc == KG_OK && found != UINT32_MAX && found >= o->s.min) {
        kg_id *st = kg_realloc(o->stack, (found + 1) * sizeof *st);
        if (!st) rc = kg_exec__fail(x, KG_ENOMEM, o->base.span, "out of memory");
        else {
            o->stack = st;
            rc = read_back(o, x, o->dst, found, 0);
        }
    }
    for (i = 0; i < o->nq; i++) o->dist[o->queue[i]] = UINT32_MAX;
    return rc;
}

static int short_next(kg_op *op, kg_exec *x)
{
    op_short *o = (op_short *)op;
    int rc;
    for (;;) {
        if (!o->active) {
            const kg_value *a, *b;
            if ((rc = kg_op__next(op->child, x)) <= 0) return rc;
            a = &x->row[o->s.src];
            b = &x->row[o->s.dst];
            if (a->type != KG_VNODE || b->type != KG_VNODE) continue;
            o->src = a->u.id;
            o->dst = b->u.id;
            if ((rc = search(o, x)) < 0) return rc;
            o->active = 1;
        }
        if (o->pos < o->paths.u.list->len) {
            const kg_value *pair = &o->paths.u.list->items[o->pos++];
            if (o->path_slot >= 0)
                kg_exec__set(x, o->path_slot,
                             kg_value_retain(&pair->u.list->items[0]));
            if (o->s.rel >= 0)
                kg_exec__set(x, o->s.rel,
                             kg_value_retain(&pair->u.list->items[1]));
            return 1;
        }
        o->active = 0;
    }
}

static void short_reset(kg_op *op)
{
    ((op_short *)op)->active = 0;
}

static void short_free(kg_op *op)
{
    op_short *o = (op_short *)op;
    kg_value_release(&o->paths);
    kg_free(o->dist);
    kg_free(o->distb);
    kg_free(o->queue);
    kg_free(o->queueb);
    kg_free(o->stack);
}

static void short_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_short *o = (const op_short *)op;
    kg_buf_printf(out, "%s (%d)-[*..%u]-(%d)",
                  o->all ? "all" : "single", o->s.src, o->s.max, o->s.dst);
}

static const kg_op_vtable short_vt = {"ShortestPath", short_next, short_reset,
                                      short_free, short_explain};

kg_op *kg_op_new_shortest(kg_op *child, const kg_expand_spec *spec, int all,
                          int32_t path_slot)
{
    op_short *o = kg_op__alloc(sizeof *o, &short_vt, child);
    if (!o) return NULL;
    o->base.reads = 1;
    o->s = *spec;
    o->all = all;
    o->path_slot = path_slot;
    return &o->base;
}
