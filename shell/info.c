/* info.c - what the store knows: status, log, check, schema, history, diff.
 *
 * These back both the dot-commands and the subcommands (`kgsh status`,
 * `.status`), and all but check print through the same sink as query
 * results, so `kgsh log --mode json` and `.mode csv` then `.schema` give
 * data a script can read, and a terminal gets the usual box. check prints
 * compiler-style lines (path:line:col: severity: message), the format every
 * editor already knows how to jump to.
 */
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

/* ---- status ---- */

typedef struct {
    size_t errors, warnings;
} diag_count;

static int count_diag(const char *path, const kg_diag *d, void *payload)
{
    diag_count *c = payload;

    if (d->severity == KG_SEV_ERROR)
        c->errors++;
    else
        c->warnings++;
    return 0;
}

/* Per-atom counters for labels and edge types; atoms are dense ids. */
typedef struct {
    size_t *n;
    size_t cap;
} counts;

static int count_add(counts *c, kg_atom a)
{
    if (a >= c->cap) {
        size_t ncap = a + 64, *nn = kg_realloc(c->n, ncap * sizeof *nn);
        if (nn == NULL) return KG_ENOMEM;
        memset(nn + c->cap, 0, (ncap - c->cap) * sizeof *nn);
        c->n = nn;
        c->cap = ncap;
    }
    c->n[a]++;
    return KG_OK;
}

/* Most used first, then by name, so the biggest kinds lead. */
static const kg_graph *order_graph;
static const counts *order_counts;

static int by_use(const void *pa, const void *pb)
{
    kg_atom a = *(const kg_atom *)pa, b = *(const kg_atom *)pb;
    size_t na = order_counts->n[a], nb = order_counts->n[b];

    if (na != nb) return na > nb ? -1 : 1;
    return strcmp(kg_graph_atom_str(order_graph, a),
                  kg_graph_atom_str(order_graph, b));
}

static void status_counts(kg_table *t, const kg_graph *g, const char *what,
                          const counts *c)
{
    kg_buf b = KG_BUF_INIT;
    kg_atom *ids = kg_calloc(c->cap + 1, sizeof *ids);
    size_t a, n = 0, i;

    if (ids == NULL) return;
    for (a = 0; a < c->cap; a++)
        if (c->n[a] > 0) ids[n++] = (kg_atom)a;
    order_graph = g;
    order_counts = c;
    qsort(ids, n, sizeof *ids, by_use);
    for (i = 0; i < n; i++) {
        kg_buf_reset(&b);
        kg_buf_printf(&b, "%s %s", what, kg_graph_atom_str(g, ids[i]));
        kg_table__str(t, 0, b.data);
        kg_table__int(t, 1, (int64_t)c->n[ids[i]]);
        kg_table__row(t);
    }
    kg_buf_free(&b);
    kg_free(ids);
}

int kg_shell__status(kg_shell *sh, kg_error *err)
{
    static const char *const names[] = {"item", "value"};
    const kg_version_info *v;
    kg_graph *g;
    kg_table t;
    counts labels = {NULL, 0}, types = {NULL, 0};
    diag_count dc = {0, 0};
    char *subdir, buf[64], sc[32];
    size_t i, nl, cap;
    const kg_atom *ls;
    uint64_t fp;
    int rc;

    if ((rc = kg_session__current(sh, &g, err)) < 0) return rc;
    if ((v = kg_session__vinfo(sh, err)) == NULL) return err->code;
    cap = kg_graph_cap(g, KG_NODE);
    for (i = 0; i < cap; i++) {
        if (!kg_graph_alive(g, KG_NODE, (kg_id)i)) continue;
        ls = kg_graph_labels(g, (kg_id)i, &nl);
        while (nl-- > 0)
            if (count_add(&labels, ls[nl]) < 0) goto oom;
    }
    cap = kg_graph_cap(g, KG_EDGE);
    for (i = 0; i < cap; i++)
        if (kg_graph_alive(g, KG_EDGE, (kg_id)i) &&
            count_add(&types, kg_graph_edge_type(g, (kg_id)i)) < 0)
            goto oom;
    if ((rc = kg_store_diags(sh->store, sh->version, g, count_diag, &dc, err)) <
        0)
        goto done;
    fp = v->fingerprint;
    if (fp == 0) { /* computed once, then kept with the version */
        kg_error ignore;
        fp = kg_graph_fingerprint(g);
        kg_store_set_fingerprint(sh->store, sh->version, fp, &ignore);
    }
    if ((rc = kg_table__begin(&t, sh, names, 2, g)) < 0) goto done;
    subdir = kg_store_meta_get(sh->store, "subdir");
    kg_table__str(&t, 0, "store");
    kg_table__str(&t, 1, sh->db_path);
    kg_table__row(&t);
    kg_table__str(&t, 0, "source");
    kg_table__str(&t, 1, v->source);
    kg_table__row(&t);
    if (subdir != NULL && subdir[0] != '\0') {
        kg_table__str(&t, 0, "subdir");
        kg_table__str(&t, 1, subdir);
        kg_table__row(&t);
    }
    kg_free(subdir);
    kg_table__str(&t, 0, "ref");
    kg_table__str(&t, 1, v->ref);
    kg_table__row(&t);
    kg_table__str(&t, 0, "commit");
    kg_table__str(&t, 1, v->commit[0] ? v->commit : NULL);
    kg_table__row(&t);
    snprintf(buf, sizeof buf, "%lld%s%s", (long long)v->id,
             v->draft ? " (with uncommitted edits)" : "",
             sh->version == sh->latest ? " (latest)" : "");
    if (sh->version != sh->latest)
        snprintf(buf, sizeof buf, "%lld of %lld", (long long)v->id,
                 (long long)sh->latest);
    kg_table__str(&t, 0, "version");
    kg_table__str(&t, 1, buf);
    kg_table__row(&t);
    kg_table__str(&t, 0, "date");
    kg_table__str(&t, 1, kg_session__date(v->time, sc));
    kg_table__row(&t);
    kg_table__str(&t, 0, "synced");
    kg_table__str(&t, 1, kg_session__date(v->synced_at, sc));
    kg_table__row(&t);
    kg_table__str(&t, 0, "nodes");
    kg_table__int(&t, 1, (int64_t)kg_graph_count(g, KG_NODE));
    kg_table__row(&t);
    kg_table__str(&t, 0, "edges");
    kg_table__int(&t, 1, (int64_t)kg_graph_count(g, KG_EDGE));
    kg_table__row(&t);
    status_counts(&t, g, "label", &labels);
    status_counts(&t, g, "type", &types);
    snprintf(buf, sizeof buf, "%zu error%s, %zu warning%s", dc.errors,
             dc.errors == 1 ? "" : "s", dc.warnings,
             dc.warnings == 1 ? "" : "s");
    kg_table__str(&t, 0, "diagnostics");
    kg_table__str(&t, 1, buf);
    kg_table__row(&t);
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)fp);
    kg_table__str(&t, 0, "fingerprint");
    kg_table__str(&t, 1, buf);
    kg_table__row(&t);
    kg_table__end(&t, 0);
    rc = KG_OK;
    goto done;
oom:
    rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0}, "out of memory");
done:
    kg_free(labels.n);
    kg_free(types.n);
    return rc;
}

/* ---- log ---- */

/* A terminal gets the counts as "+3 -1 ~2" in two columns, so that the log
 * fits the screen; csv, tsv and the JSON modes get six number columns. */
typedef struct {
    kg_table *t;
    long left;
    int compact;
} log_ctx;

static void log_counts(kg_table *t, size_t col, int64_t a, int64_t r, int64_t c)
{
    char buf[80];

    snprintf(buf, sizeof buf, "+%lld -%lld ~%lld", (long long)a, (long long)r,
             (long long)c);
    kg_table__str(t, col, buf);
}

static int log_row(const kg_version_info *v, void *payload)
{
    log_ctx *c = payload;
    kg_table *t = c->t;
    char sc[16], dt[32];
    const char *msg = v->message != NULL ? v->message : "";
    size_t mlen = strcspn(msg, "\n");

    if (c->left == 0) return 1;
    if (c->left > 0) c->left--;
    kg_table__int(t, 0, v->id);
    kg_table__str(t, 1, kg_session__short(v->commit, sc));
    kg_table__str(t, 2, kg_session__date(v->time, dt));
    kg_table__str(t, 3, v->author);
    /* a draft's message (from the sync) says it holds uncommitted edits */
    kg_table__cell(t, 4, kg_value_string(msg, mlen));
    if (c->compact) {
        log_counts(t, 5, v->nodes_added, v->nodes_removed, v->nodes_changed);
        log_counts(t, 6, v->edges_added, v->edges_removed, v->edges_changed);
    } else {
        kg_table__int(t, 5, v->nodes_added);
        kg_table__int(t, 6, v->nodes_removed);
        kg_table__int(t, 7, v->nodes_changed);
        kg_table__int(t, 8, v->edges_added);
        kg_table__int(t, 9, v->edges_removed);
        kg_table__int(t, 10, v->edges_changed);
    }
    kg_table__row(t);
    return 0;
}

int kg_shell__log(kg_shell *sh, long limit, kg_error *err)
{
    static const char *const wide[] = {
        "version",     "commit",        "date",          "author",
        "message",     "nodes_added",   "nodes_removed", "nodes_changed",
        "edges_added", "edges_removed", "edges_changed"};
    static const char *const narrow[] = {"version", "commit", "date", "author",
                                         "message", "nodes",  "edges"};
    kg_table t;
    log_ctx c;
    int rc;

    c.compact = kg_mode__info(sh->mode)->aligned || sh->mode == KG_MODE_LINE;
    rc = c.compact ? kg_table__begin(&t, sh, narrow, 7, NULL)
                   : kg_table__begin(&t, sh, wide, 11, NULL);
    if (rc < 0)
        return kg_error_set(err, rc, NULL, (kg_span){0, 0}, "out of memory");
    c.t = &t;
    c.left = limit > 0 ? limit : -1;
    rc = kg_store_versions(sh->store, log_row, &c, err);
    kg_table__end(&t, 0);
    return rc < 0 ? rc : KG_OK;
}

/* ---- check ---- */

typedef struct {
    kg_out *o;
    size_t errors, warnings;
} check_ctx;

static int check_row(const char *path, const kg_diag *d, void *payload)
{
    check_ctx *c = payload;
    int err = d->severity == KG_SEV_ERROR;

    if (err)
        c->errors++;
    else
        c->warnings++;
    kg_out__sgr(c->o, KG_SGR_BOLD);
    kg_out__safe(c->o, path, strlen(path));
    /* line 0: a diagnostic about the whole file (skipped, binary, too
     * big), printed "path: warning: ..." as compilers print such, not
     * with a made-up position */
    if (d->line == 0)
        kg_out__puts(c->o, ":");
    else
        kg_out__printf(c->o, ":%u:%u:", (unsigned)d->line, (unsigned)d->col);
    kg_out__sgr(c->o, NULL);
    kg_out__put(c->o, " ", 1);
    kg_out__sgr(c->o, err ? KG_SGR_RED : KG_SGR_YELLOW);
    kg_out__puts(c->o, err ? "error" : "warning");
    kg_out__sgr(c->o, NULL);
    kg_out__puts(c->o, ": ");
    kg_out__safe(c->o, d->msg, strlen(d->msg));
    kg_out__put(c->o, "\n", 1);
    return 0;
}

int kg_shell__check(kg_shell *sh, size_t *errors, kg_error *err)
{
    check_ctx c;
    kg_graph *g;
    int rc;

    if ((rc = kg_session__current(sh, &g, err)) < 0) return rc;
    memset(&c, 0, sizeof c);
    c.o = kg_shell__out_begin(sh);
    rc = kg_store_diags(sh->store, sh->version, g, check_row, &c, err);
    kg_shell__out_end(sh);
    if (rc < 0) return rc;
    *errors = c.errors;
    if (c.errors + c.warnings == 0)
        kg_shell__notef(sh, "No problems found in version %lld.",
                        (long long)sh->version);
    else
        kg_shell__notef(sh, "%zu error%s, %zu warning%s in version %lld.",
                        c.errors, c.errors == 1 ? "" : "s", c.warnings,
                        c.warnings == 1 ? "" : "s", (long long)sh->version);
    return KG_OK;
}

/* ---- history ---- */

/* The store's events are collected first and printed after, so that "no
 * such node" is an error with no table before it. */
typedef struct {
    kg_history_item *v;
    size_t n, cap;
    int oom;
} hist_list;

static int history_add(const kg_history_item *h, void *payload)
{
    hist_list *l = payload;
    kg_history_item *it;

    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        kg_history_item *nv = kg_realloc(l->v, ncap * sizeof *nv);
        if (nv == NULL) {
            l->oom = 1;
            return 1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    it = &l->v[l->n];
    *it = *h;
    it->what = kg_strdup(h->what ? h->what : "");
    it->path = kg_strdup(h->path ? h->path : "?");
    l->n++;
    if (it->what == NULL || it->path == NULL) {
        l->oom = 1;
        return 1;
    }
    return 0;
}

static void history_row(kg_table *t, const kg_history_item *h)
{
    kg_version_info v;
    kg_buf where = KG_BUF_INIT;
    char sc[16], dt[32];
    kg_error e;

    memset(&v, 0, sizeof v);
    if (kg_store_version(t->sh->store, h->version, &v, &e) < 0)
        v.id = h->version;
    kg_table__int(t, 0, h->version);
    kg_table__str(t, 1, kg_session__short(v.commit, sc));
    kg_table__str(t, 2, kg_session__date(v.time, dt));
    kg_table__str(t, 3, h->what);
    if (h->line == 0) /* the whole file */
        kg_buf_puts(&where, h->path);
    else
        kg_buf_printf(&where, "%s:%u", h->path, (unsigned)h->line);
    kg_table__str(t, 4, where.data);
    kg_table__str(t, 5, v.author);
    kg_table__row(t);
    kg_buf_free(&where);
    kg_version_info_clear(&v);
}

int kg_shell__history(kg_shell *sh, const char *key, kg_error *err)
{
    static const char *const names[] = {"version", "commit", "date",
                                        "change",  "where",  "author"};
    hist_list l;
    kg_graph *g;
    kg_id n;
    kg_table t;
    size_t i;
    int rc;

    memset(&l, 0, sizeof l);
    /* a name or alias is resolved in the current graph; a key that is no
     * longer there is looked up as written */
    if (kg_session__current(sh, &g, err) == KG_OK &&
        (n = kg_graph_node_resolve(g, key, NULL)) != KG_NONE)
        key = kg_graph_node_key(g, n);
    rc = kg_store_history(sh->store, key, history_add, &l, err);
    if (l.oom)
        rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
    else if (rc == KG_ENOTFOUND || (rc == KG_OK && l.n == 0))
        rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                          "no node '%s' in any version", key);
    if (rc == KG_OK) {
        if (kg_table__begin(&t, sh, names, 6, NULL) < 0) {
            rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                              "out of memory");
        } else {
            for (i = 0; i < l.n; i++)
                history_row(&t, &l.v[i]);
            kg_table__end(&t, 0);
        }
    }
    for (i = 0; i < l.n; i++) {
        kg_free((char *)l.v[i].what);
        kg_free((char *)l.v[i].path);
    }
    kg_free(l.v);
    return rc < 0 ? rc : KG_OK;
}

/* ---- diff ---- */

typedef struct {
    kg_table *t;
    const kg_graph *a, *b;
} diff_ctx;

static void element_name(kg_buf *out, const kg_graph *g, kg_elem kind, kg_id id)
{
    if (kind == KG_NODE) {
        kg_buf_puts(out, kg_graph_node_key(g, id));
        return;
    }
    kg_buf_printf(out, "%s -[:%s]-> %s",
                  kg_graph_node_key(g, kg_graph_edge_src(g, id)),
                  kg_graph_atom_str(g, kg_graph_edge_type(g, id)),
                  kg_graph_node_key(g, kg_graph_edge_dst(g, id)));
}

static int diff_row(const kg_diff_item *d, void *payload)
{
    static const char *const what[] = {"added", "removed", "changed"};
    diff_ctx *c = payload;
    kg_buf name = KG_BUF_INIT;

    if (d->what == KG_DIFF_REMOVED)
        element_name(&name, c->a, d->kind, d->a);
    else
        element_name(&name, c->b, d->kind, d->b);
    kg_table__str(c->t, 0, what[d->what]);
    kg_table__str(c->t, 1, d->kind == KG_NODE ? "node" : "rel");
    kg_table__cell(c->t, 2,
                   kg_value_string(name.data ? name.data : "", name.len));
    kg_table__str(c->t, 3, d->what == KG_DIFF_CHANGED ? d->prop : NULL);
    kg_table__cell(c->t, 4,
                   d->from != NULL ? kg_value_retain(d->from) : KG_NULL_VALUE);
    kg_table__cell(c->t, 5,
                   d->to != NULL ? kg_value_retain(d->to) : KG_NULL_VALUE);
    kg_table__row(c->t);
    kg_buf_free(&name);
    return 0;
}

int kg_shell__diff(kg_shell *sh, const char *ra, const char *rb, kg_error *err)
{
    static const char *const names[] = {"change",   "element", "key",
                                        "property", "from",    "to"};
    int64_t va, vb;
    kg_graph *ga, *gb;
    diff_ctx c;
    kg_table t;
    int rc;

    if ((rc = kg_session__resolve(sh, ra, &va, err)) < 0 ||
        (rc = kg_session__resolve(sh, rb, &vb, err)) < 0 ||
        (rc = kg_session__graph(sh, va, &ga, err)) < 0 ||
        (rc = kg_session__graph(sh, vb, &gb, err)) < 0)
        return rc;
    if ((rc = kg_table__begin(&t, sh, names, 6, gb)) < 0)
        return kg_error_set(err, rc, NULL, (kg_span){0, 0}, "out of memory");
    c.t = &t;
    c.a = ga;
    c.b = gb;
    rc = kg_graph_diff(ga, gb, diff_row, &c);
    kg_table__end(&t, 1);
    if (rc < 0)
        return kg_error_set(err, rc, NULL, (kg_span){0, 0},
                            "cannot compare versions %lld and %lld: %s",
                            (long long)va, (long long)vb, kg_status_str(rc));
    return KG_OK;
}
