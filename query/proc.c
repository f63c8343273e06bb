/* proc.c - procedures for CALL: kg.search, kg.diagnostics, kg.diff,
 * kg.history, kg.versions.
 *
 * A procedure runs once per input row and returns all its rows at once,
 * as a list of lists in the column order of its table entry; op_call.c
 * hands them out. Procedures that read the store fail with a clear message
 * when the query runs without one (the TCK and unit tests run on bare
 * graphs). Revisions are resolved by the caller's env callbacks, so the
 * query module never touches git.
 */
#include "query_int.h"

#include <stdio.h>

static const char *const search_cols[] = {"node", "score", NULL};
static const char *const diag_cols[] = {"file", "line", "col", "severity",
                                        "message", NULL};
static const char *const diff_cols[] = {"change", "kind", "key", "property",
                                        "from", "to", NULL};
static const char *const history_cols[] = {"version", "commit", "change",
                                           "file", "line", NULL};
static const char *const versions_cols[] = {"version", "commit", "time",
                                            "author", "message", "draft",
                                            NULL};

enum { P_SEARCH, P_DIAGS, P_DIFF, P_HISTORY, P_VERSIONS }; /* ORDER PROC */

static const kg_proc_info procs[] = {
    {"kg.search", 1, search_cols, 1},
    {"kg.diagnostics", 0, diag_cols, 1},
    {"kg.diff", 2, diff_cols, 0},
    {"kg.history", 1, history_cols, 1},
    {"kg.versions", 0, versions_cols, 1}};

int kg_proc__find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof procs / sizeof *procs; i++)
        if (kg_strcasecmp(procs[i].name, name) == 0) return (int)i;
    return -1;
}

const kg_proc_info *kg_proc__info(int id)
{
    return &procs[id];
}

/* ---- building result rows ---- */

typedef struct {
    kg_exec *x;
    kg_value *rows;
    kg_graph *g;
    int rc;
} sink;

static kg_value str(const char *s)
{
    return s ? kg_value_string(s, strlen(s)) : KG_NULL_VALUE;
}

/* Append a row of n values (taking ownership of them). */
static int emit(sink *k, kg_value *vals, size_t n)
{
    kg_value row = kg_value_list(n);
    size_t i;
    if (row.type != KG_VLIST) goto oom;
    for (i = 0; i < n; i++) {
        kg_value_list_set(&row, i, vals[i]);
        vals[i] = KG_NULL_VALUE;
    }
    if (kg_value_list_push(k->rows, row) < 0) goto oom;
    return 0;
oom:
    for (i = 0; i < n; i++) kg_value_release(&vals[i]);
    k->rc = KG_ENOMEM;
    return 1;
}

static int on_hit(const char *key, double score, void *payload)
{
    sink *k = payload;
    kg_value v[2];
    kg_id n = kg_graph_node_find(k->g, key);
    if (n == KG_NONE) return 0;
    v[0] = kg_value_node(n);
    /* The store gives SQLite's bm25 (lower is better, negative); YIELD a
     * score where higher is better, as `kgsh search` shows it. */
    v[1] = kg_value_float(-score + 0.0);
    return emit(k, v, 2);
}

static int on_diag(const char *path, const kg_diag *d, void *payload)
{
    kg_value v[5];
    v[0] = str(path);
    /* A diagnostic about the whole file (binary, too large) has no place
     * in it: null, not a line 0. */
    v[1] = d->line ? kg_value_int(d->line) : KG_NULL_VALUE;
    v[2] = d->line ? kg_value_int(d->col) : KG_NULL_VALUE;
    v[3] = str(d->severity == KG_SEV_ERROR ? "error" : "warning");
    v[4] = str(d->msg);
    return emit(payload, v, 5);
}

static int on_version(const kg_version_info *vi, void *payload)
{
    kg_value v[6];
    v[0] = kg_value_int(vi->id);
    v[1] = vi->commit[0] ? str(vi->commit) : KG_NULL_VALUE;
    v[2] = kg_value_int(vi->time);
    v[3] = str(vi->author);
    v[4] = str(vi->message);
    v[5] = kg_value_bool(vi->draft);
    return emit(payload, v, 6);
}

typedef struct {
    sink k;
    kg_store *st;
} hist_sink;

static int on_history(const kg_history_item *h, void *payload)
{
    hist_sink *hs = payload;
    kg_version_info vi;
    kg_value v[5];
    kg_error e;
    memset(&vi, 0, sizeof vi);
    v[0] = kg_value_int(h->version);
    v[1] = KG_NULL_VALUE;
    if (kg_store_version(hs->st, h->version, &vi, &e) == KG_OK && vi.commit[0])
        v[1] = str(vi.commit);
    kg_version_info_clear(&vi);
    v[2] = str(h->what);
    v[3] = str(h->path);
    v[4] = kg_value_int(h->line);
    return emit(&hs->k, v, 5);
}

typedef struct {
    sink k;
    const kg_graph *a, *b;
} diff_sink;

static kg_value elem_key(const kg_graph *g, kg_elem kind, kg_id id)
{
    char buf[512];
    if (kind == KG_NODE) return str(kg_graph_node_key(g, id));
    snprintf(buf, sizeof buf, "%s-[:%s]->%s",
             kg_graph_node_key(g, kg_graph_edge_src(g, id)),
             kg_graph_atom_str(g, kg_graph_edge_type(g, id)),
             kg_graph_node_key(g, kg_graph_edge_dst(g, id)));
    return str(buf);
}

static int on_diff(const kg_diff_item *it, void *payload)
{
    diff_sink *ds = payload;
    static const char *const what[] = {"added", "removed", "changed"};
    kg_value v[6];
    v[0] = str(what[it->what]);
    v[1] = str(it->kind == KG_NODE ? "node" : "relationship");
    v[2] = it->b != KG_NONE ? elem_key(ds->b, it->kind, it->b)
                            : elem_key(ds->a, it->kind, it->a);
    v[3] = it->prop ? str(it->prop) : KG_NULL_VALUE;
    v[4] = it->from ? kg_value_retain(it->from) : KG_NULL_VALUE;
    v[5] = it->to ? kg_value_retain(it->to) : KG_NULL_VALUE;
    return emit(&ds->k, v, 6);
}

/* Revision text of an argument: a string as is, an integer as a version. */
static int rev_text(kg_exec *x, const ast_expr *e, const kg_value *v,
                    char *buf, size_t cap)
{
    if (v->type == KG_VSTRING) {
        snprintf(buf, cap, "%s", v->u.str->s);
        return KG_OK;
    }
    if (v->type == KG_VINT) {
        snprintf(buf, cap, "%lld", (long long)v->u.i);
        return KG_OK;
    }
    return kg_exec__fail(x, KG_ETYPE, e->span,
                         "expected a revision (String or Integer), got %s",
                         kg_value_type_name(v->type));
}

static int run_diff(kg_exec *x, const ast_clause *c, kg_value *args,
                    diff_sink *ds)
{
    const kg_query_env *env = x->env;
    char ra[256], rb[256];
    int64_t va, vb;
    kg_graph *ga, *gb;
    int rc;
    if (!env->graph_at)
        return kg_exec__fail(x, KG_ENOTFOUND, c->span,
                             "kg.diff() needs versions: run it on a synced "
                             "store");
    if ((rc = rev_text(x, c->exprs[0], &args[0], ra, sizeof ra)) < 0 ||
        (rc = rev_text(x, c->exprs[1], &args[1], rb, sizeof rb)) < 0)
        return rc;
    if (!(ga = env->graph_at(env->payload, ra, &va, x->err)) ||
        !(gb = env->graph_at(env->payload, rb, &vb, x->err))) {
        if (x->err) {
            x->err->span = c->span;
            kg_error_locate(x->err, x->text, x->len);
        }
        return x->err && x->err->code ? x->err->code : KG_ENOTFOUND;
    }
    ds->a = ga;
    ds->b = gb;
    ds->k.g = gb;
    kg_graph_diff(ga, gb, on_diff, ds);
    return ds->k.rc;
}

int kg_proc__run(kg_exec *x, const ast_clause *c, kg_value *args,
                 kg_value *out)
{
    const kg_query_env *env = x->env;
    kg_store *st = env->store;
    diff_sink ds;
    hist_sink hs;
    sink *k = &ds.k;
    int rc = KG_OK, id = c->proc_id;
    memset(&ds, 0, sizeof ds);
    memset(&hs, 0, sizeof hs);
    *out = kg_value_list(0);
    if (out->type != KG_VLIST)
        return kg_exec__fail(x, KG_ENOMEM, c->span, "out of memory");
    ds.k.x = hs.k.x = x;
    ds.k.rows = hs.k.rows = out;
    ds.k.g = hs.k.g = x->g;
    if (procs[id].needs_store && !st)
        return kg_exec__fail(x, KG_ENOTFOUND, c->span,
                             "%s() needs a store: open a synced repository "
                             "first",
                             procs[id].name);
    switch (id) {
    case P_SEARCH:
        if (args[0].type != KG_VSTRING)
            return kg_exec__fail(x, KG_ETYPE, c->exprs[0]->span,
                                 "kg.search() expects a String, got %s",
                                 kg_value_type_name(args[0].type));
        rc = kg_store_search(st, x->version, args[0].u.str->s, on_hit, k,
                             x->err);
        break;
    case P_DIAGS:
        rc = kg_store_diags(st, x->version, x->g, on_diag, k, x->err);
        break;
    case P_VERSIONS: rc = kg_store_versions(st, on_version, k, x->err); break;
    case P_HISTORY:
        if (args[0].type != KG_VSTRING)
            return kg_exec__fail(x, KG_ETYPE, c->exprs[0]->span,
                                 "kg.history() expects a node key, got %s",
                                 kg_value_type_name(args[0].type));
        hs.st = st;
        k = &hs.k;
        rc = kg_store_history(st, args[0].u.str->s, on_history, &hs, x->err);
        break;
    case P_DIFF: return run_diff(x, c, args, &ds);
    default: break;
    }
    if (rc < 0) {
        if (x->err) {
            x->err->span = c->span;
            kg_error_locate(x->err, x->text, x->len);
        }
        return rc;
    }
    if (k->rc < 0) return kg_exec__fail(x, k->rc, c->span, "out of memory");
    return KG_OK;
}
