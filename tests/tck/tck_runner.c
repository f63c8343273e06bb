/* tck_runner.c - run the openCypher TCK scenarios against kgsh's engine.
 *
 * Usage: tck_runner [-v] [--expect FILE] [--update FILE] [--only TEXT] TCKDIR
 *
 * Each scenario gets a fresh in-memory graph. Results are compared in
 * canonical form (tck_value.c); side effects are computed by diffing
 * snapshots of the graph before and after the query, the way the TCK's own
 * reference harness counts them. --expect names a file of scenario ids that
 * passed before: the run fails when any of them fails now (a regression),
 * and reports how many others pass, so the list only grows (--update).
 */
#include "tck.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char **v;
    size_t n, cap;
} strv;

static void strv_push(strv *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = kg_realloc(s->v, sizeof(char *) * s->cap);
        if (s->v == NULL) abort();
    }
    s->v[s->n++] = str;
}

static void strv_free(strv *s)
{
    for (size_t i = 0; i < s->n; i++) kg_free(s->v[i]);
    kg_free(s->v);
    memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort and bsearch must not see the NULL array of an empty strv. */
static void strv_sort(strv *s)
{
    if (s->n) qsort(s->v, s->n, sizeof(char *), cmp_str);
}

static int strv_has(const strv *s, const char *str)
{
    return s->n && bsearch(&str, s->v, s->n, sizeof(char *), cmp_str) != NULL;
}

/* ---- what one query run leaves behind ---- */

typedef struct {
    int failed;          /* the query raised an error            */
    int compile_time;    /* ... in prepare                       */
    kg_error err;
    strv cols;
    strv *rows;          /* raw formatted cells per row          */
    size_t nrows;
} run_result;

static void result_free(run_result *r)
{
    strv_free(&r->cols);
    for (size_t i = 0; i < r->nrows; i++) strv_free(&r->rows[i]);
    kg_free(r->rows);
    memset(r, 0, sizeof *r);
}

static void run(kg_graph *g, const kg_value *params, const char *text,
                run_result *r)
{
    kg_query_env env;
    kg_query *q = NULL;
    int rc;
    memset(&env, 0, sizeof env);
    memset(r, 0, sizeof *r);
    env.graph = g;
    env.params = params;
    env.max_ms = 10000;
    if (kg_query_prepare(&q, &env, text, strlen(text), &r->err) < 0) {
        r->failed = r->compile_time = 1;
        return;
    }
    for (size_t i = 0; i < kg_query_ncols(q); i++)
        strv_push(&r->cols, kg_strdup(kg_query_colname(q, i)));
    while ((rc = kg_query_step(q, &r->err)) == KG_ROW) {
        strv row = {0};
        for (size_t i = 0; i < kg_query_ncols(q); i++) {
            kg_buf b = KG_BUF_INIT;
            kg_query_format_value(&b, kg_query_graph(q), kg_query_col(q, i), 1);
            strv_push(&row, b.data ? kg_buf_detach(&b) : kg_strdup(""));
        }
        r->rows = kg_realloc(r->rows, sizeof(strv) * (r->nrows + 1));
        r->rows[r->nrows++] = row;
    }
    if (rc < 0) r->failed = 1;
    kg_query_free(q);
}

/* ---- graph snapshots for side effects ---- */

typedef struct {
    strv nodes, rels, labels, props; /* props: "kind/id/key=value" */
} snapshot;

static void snap_free(snapshot *s)
{
    strv_free(&s->nodes);
    strv_free(&s->rels);
    strv_free(&s->labels);
    strv_free(&s->props);
}

static char *fmt(const char *f, ...)
{
    kg_buf b = KG_BUF_INIT;
    va_list ap;
    va_start(ap, f);
    kg_buf_vprintf(&b, f, ap);
    va_end(ap);
    return kg_buf_detach(&b);
}

static void snap_props(snapshot *s, const kg_graph *g, kg_elem kind, kg_id id)
{
    size_t n = kg_graph_prop_count(g, kind, id);
    for (size_t i = 0; i < n; i++) {
        kg_atom key;
        const kg_value *v = kg_graph_prop_at(g, kind, id, i, &key);
        kg_buf b = KG_BUF_INIT;
        kg_query_format_value(&b, g, v, 1);
        strv_push(&s->props, fmt("%d/%u/%s=%s", kind, id,
                                 kg_graph_atom_str(g, key), b.data ? b.data : ""));
        kg_buf_free(&b);
    }
}

static void snap_take(snapshot *s, const kg_graph *g)
{
    memset(s, 0, sizeof *s);
    for (kg_id n = 0; n < kg_graph_cap(g, KG_NODE); n++) {
        size_t nl;
        const kg_atom *l;
        if (!kg_graph_alive(g, KG_NODE, n)) continue;
        strv_push(&s->nodes, fmt("%u", n));
        l = kg_graph_labels(g, n, &nl);
        for (size_t i = 0; i < nl; i++) {
            const char *name = kg_graph_atom_str(g, l[i]);
            int seen = 0;
            for (size_t j = 0; j < s->labels.n && !seen; j++)
                seen = strcmp(s->labels.v[j], name) == 0;
            if (!seen) strv_push(&s->labels, kg_strdup(name));
        }
        snap_props(s, g, KG_NODE, n);
    }
    for (kg_id e = 0; e < kg_graph_cap(g, KG_EDGE); e++) {
        if (!kg_graph_alive(g, KG_EDGE, e)) continue;
        strv_push(&s->rels, fmt("%u", e));
        snap_props(s, g, KG_EDGE, e);
    }
    strv_sort(&s->nodes);
    strv_sort(&s->rels);
    strv_sort(&s->labels);
    strv_sort(&s->props);
}

/* Items of a not found in b (both sorted). */
static long minus(const strv *a, const strv *b)
{
    long n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!strv_has(b, a->v[i])) n++;
    return n;
}

typedef struct {
    long v[8]; /* +nodes -nodes +rels -rels +labels -labels +props -props */
} effects;

static const char *const effect_names[8] = {
    "+nodes", "-nodes", "+relationships", "-relationships",
    "+labels", "-labels", "+properties", "-properties"};

static void effects_of(effects *e, const snapshot *a, const snapshot *b)
{
    e->v[0] = minus(&b->nodes, &a->nodes);
    e->v[1] = minus(&a->nodes, &b->nodes);
    e->v[2] = minus(&b->rels, &a->rels);
    e->v[3] = minus(&a->rels, &b->rels);
    e->v[4] = minus(&b->labels, &a->labels);
    e->v[5] = minus(&a->labels, &b->labels);
    e->v[6] = minus(&b->props, &a->props);
    e->v[7] = minus(&a->props, &b->props); /* an overwrite removes one too */
}

/* ---- comparing results ---- */

static char *canon(const char *cell, int unordered)
{
    const char *bad = NULL;
    char *c = tck_value_canon(cell, unordered, &bad);
    return c ? c : fmt("?%s", cell); /* unparseable: compare raw */
}

static char *row_key(const strv *cells, int unordered)
{
    kg_buf b = KG_BUF_INIT;
    for (size_t i = 0; i < cells->n; i++) {
        char *c = canon(cells->v[i], unordered);
        kg_buf_printf(&b, "%s%s", i ? " | " : "", c);
        kg_free(c);
    }
    return b.data ? kg_buf_detach(&b) : kg_strdup("");
}

static int compare(const run_result *r, const tck_table *t, int ordered,
                   int unordered_lists, kg_buf *why)
{
    strv exp = {0}, got = {0};
    int ok = 1;
    size_t ncols = t->nrows ? (size_t)t->rows[0].ncols : 0;
    if (t->nrows && r->cols.n != ncols) {
        kg_buf_printf(why, "got %zu columns, expected %zu", r->cols.n, ncols);
        return 0;
    }
    for (size_t i = 0; i < ncols; i++)
        if (strcmp(r->cols.v[i], t->rows[0].cells[i]) != 0) {
            kg_buf_printf(why, "column %zu is '%s', expected '%s'", i,
                          r->cols.v[i], t->rows[0].cells[i]);
            return 0;
        }
    for (int i = 1; i < t->nrows; i++) {
        strv cells = {t->rows[i].cells, (size_t)t->rows[i].ncols, 0};
        strv_push(&exp, row_key(&cells, unordered_lists));
    }
    for (size_t i = 0; i < r->nrows; i++)
        strv_push(&got, row_key(&r->rows[i], unordered_lists));
    if (!ordered) {
        strv_sort(&exp);
        strv_sort(&got);
    }
    if (exp.n != got.n) ok = 0;
    for (size_t i = 0; ok && i < exp.n; i++) ok = strcmp(exp.v[i], got.v[i]) == 0;
    if (!ok) {
        kg_buf_puts(why, "expected rows:\n");
        for (size_t i = 0; i < exp.n; i++) kg_buf_printf(why, "    %s\n", exp.v[i]);
        kg_buf_puts(why, "  got rows:\n");
        for (size_t i = 0; i < got.n; i++) kg_buf_printf(why, "    %s\n", got.v[i]);
    }
    strv_free(&exp);
    strv_free(&got);
    return ok;
}

/* ---- one scenario ---- */

typedef enum { PASS, FAIL, SKIP } outcome;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    kg_buf b = KG_BUF_INIT;
    char chunk[4096];
    size_t n;
    if (!f) return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) kg_buf_put(&b, chunk, n);
    fclose(f);
    return b.data ? kg_buf_detach(&b) : kg_strdup("");
}

static outcome scenario(const tck_scenario *s, const char *tckdir, kg_buf *why)
{
    kg_graph *g = kg_graph_new();
    kg_value params = kg_value_map();
    run_result last;
    snapshot before, after;
    int have_run = 0;
    outcome out = PASS;

    memset(&last, 0, sizeof last);
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    for (int i = 0; i < s->nsteps && out == PASS; i++) {
        const tck_step *st = &s->steps[i];
        const char *t = st->text;
        if (strcmp(t, "an empty graph") == 0 || strcmp(t, "any graph") == 0) {
            continue;
        } else if (strncmp(t, "the ", 4) == 0 && strstr(t, " graph")) {
            char name[128], path[1024], *text;
            run_result r;
            snprintf(name, sizeof name, "%.*s", (int)(strstr(t, " graph") - t - 4), t + 4);
            snprintf(path, sizeof path, "%s/graphs/%s/%s.cypher", tckdir, name, name);
            if ((text = read_file(path)) == NULL) {
                kg_buf_printf(why, "cannot read %s", path);
                out = FAIL;
                break;
            }
            run(g, &params, text, &r);
            kg_free(text);
            if (r.failed) {
                kg_buf_printf(why, "named graph setup failed: %s", r.err.msg);
                out = FAIL;
            }
            result_free(&r);
        } else if (strcmp(t, "having executed:") == 0) {
            run_result r;
            run(g, &params, st->doc ? st->doc : "", &r);
            if (r.failed) {
                kg_buf_printf(why, "setup query failed: %s\n%s", r.err.msg, st->doc);
                out = FAIL;
            }
            result_free(&r);
        } else if (strcmp(t, "parameters are:") == 0) {
            for (int k = 0; k < st->table.nrows && out == PASS; k++) {
                const tck_row *row = &st->table.rows[k];
                char *q = fmt("RETURN %s AS v", row->ncols > 1 ? row->cells[1] : "null");
                run_result r;
                kg_graph *tmp = kg_graph_new();
                run(tmp, NULL, q, &r);
                if (r.failed || r.nrows != 1) {
                    kg_buf_printf(why, "cannot evaluate parameter %s", q);
                    out = FAIL;
                } else {
                    /* Re-run to get the value itself rather than its text. */
                    kg_query_env env;
                    kg_query *qq = NULL;
                    kg_error e;
                    memset(&env, 0, sizeof env);
                    env.graph = tmp;
                    if (kg_query_prepare(&qq, &env, q, strlen(q), &e) == 0 &&
                        kg_query_step(qq, &e) == KG_ROW)
                        kg_value_map_set(&params, row->cells[0], strlen(row->cells[0]),
                                         kg_value_retain(kg_query_col(qq, 0)));
                    kg_query_free(qq);
                }
                result_free(&r);
                kg_graph_free(tmp);
                kg_free(q);
            }
        } else if (strncmp(t, "there exists a procedure", 24) == 0) {
            kg_buf_puts(why, "user-defined test procedures are not supported");
            out = SKIP;
        } else if (strcmp(t, "executing query:") == 0 ||
                   strcmp(t, "executing control query:") == 0) {
            result_free(&last);
            snap_free(&before);
            snap_free(&after);
            snap_take(&before, g);
            run(g, &params, st->doc ? st->doc : "", &last);
            snap_take(&after, g);
            have_run = 1;
        } else if (strncmp(t, "the result should be", 20) == 0) {
            int ordered = strstr(t, "in order") != NULL;
            int unordered_lists = strstr(t, "ignoring element order") != NULL;
            if (!have_run) { out = FAIL; break; }
            if (last.failed) {
                kg_buf_printf(why, "query failed: %s", last.err.msg);
                out = FAIL;
            } else if (strcmp(t, "the result should be empty") == 0) {
                if (last.nrows) {
                    kg_buf_printf(why, "expected no rows, got %zu", last.nrows);
                    out = FAIL;
                }
            } else if (!compare(&last, &st->table, ordered, unordered_lists, why)) {
                out = FAIL;
            }
        } else if (strcmp(t, "no side effects") == 0 ||
                   strcmp(t, "the side effects should be:") == 0) {
            effects e, want;
            memset(&want, 0, sizeof want);
            if (!have_run || last.failed) continue; /* reported by the result step */
            effects_of(&e, &before, &after);
            for (int k = 0; k < st->table.nrows; k++)
                for (int j = 0; j < 8; j++)
                    if (st->table.rows[k].ncols == 2 &&
                        strcmp(st->table.rows[k].cells[0], effect_names[j]) == 0)
                        want.v[j] = atol(st->table.rows[k].cells[1]);
            for (int j = 0; j < 8; j++)
                if (e.v[j] != want.v[j]) {
                    kg_buf_printf(why, "side effect %s: got %ld, expected %ld\n",
                                  effect_names[j], e.v[j], want.v[j]);
                    out = FAIL;
                }
        } else if (strncmp(t, "a ", 2) == 0 && strstr(t, "should be raised")) {
            if (!have_run || !last.failed) {
                kg_buf_printf(why, "expected an error (%s), the query succeeded", t);
                out = FAIL;
            }
        } else {
            kg_buf_printf(why, "unknown step '%s'", t);
            out = SKIP;
        }
    }
    result_free(&last);
    snap_free(&before);
    snap_free(&after);
    kg_value_release(&params);
    kg_graph_free(g);
    return out;
}

/* ---- driver ---- */

static void collect(strv *files, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        char *p;
        struct stat sb;
        if (de->d_name[0] == '.') continue;
        p = fmt("%s/%s", dir, de->d_name);
        if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            collect(files, p);
            kg_free(p);
        } else if (strstr(de->d_name, ".feature")) {
            strv_push(files, p);
        } else {
            kg_free(p);
        }
    }
    closedir(d);
}

static void load_list(strv *l, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#') strv_push(l, kg_strdup(line));
    }
    fclose(f);
    strv_sort(l);
}

int main(int argc, char **argv)
{
    const char *tckdir = NULL, *expect = NULL, *update = NULL, *only = NULL;
    const char *manifest = NULL;
    FILE *mf = NULL;
    strv folders = {0};
    int fpass[256] = {0}, ftotal[256] = {0};
    int verbose = 0, regressions = 0, npass = 0, nfail = 0, nskip = 0;
    strv files = {0}, expected = {0}, passing = {0};
    tck_scenarios all = {0};
    char *features;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) verbose = 1;
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) expect = argv[++i];
        else if (strcmp(argv[i], "--update") == 0 && i + 1 < argc) update = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else if (strcmp(argv[i], "--manifest") == 0 && i + 1 < argc) manifest = argv[++i];
        else tckdir = argv[i];
    }
    if (tckdir == NULL) {
        fprintf(stderr, "usage: tck_runner [-v] [--expect FILE] [--update FILE] "
                        "[--only TEXT] TCKDIR\n");
        return 2;
    }
    features = fmt("%s/features", tckdir);
    collect(&files, features);
    kg_free(features);
    if (files.n == 0) {
        fprintf(stderr, "tck_runner: no .feature files under %s/features\n", tckdir);
        return 2;
    }
    strv_sort(&files);
    for (size_t i = 0; i < files.n; i++) {
        kg_error err;
        if (tck_feature_read(&all, files.v[i], &err) < 0) {
            fprintf(stderr, "tck_runner: %s: %s\n", files.v[i], err.msg);
            return 2;
        }
    }
    if (expect) load_list(&expected, expect);
    if (manifest && (mf = fopen(manifest, "w")) != NULL)
        fprintf(mf, "# openCypher TCK scenarios outside what kgsh supports, with the reason\n"
                    "# (the first line of what failed). Generated by tck_runner --manifest.\n");
    for (int i = 0; i < all.n; i++) {
        kg_buf why = KG_BUF_INIT;
        outcome o;
        int was_passing;
        if (only && !strstr(all.v[i].id, only)) continue;
        o = scenario(&all.v[i], tckdir, &why);
        {
            size_t f = 0;
            while (f < folders.n && strcmp(folders.v[f], all.v[i].folder) != 0) f++;
            if (f == folders.n && f < 256) strv_push(&folders, kg_strdup(all.v[i].folder));
            if (f < 256) {
                ftotal[f]++;
                fpass[f] += o == PASS;
            }
        }
        if (mf && o != PASS) {
            const char *w = why.data ? why.data : "";
            fprintf(mf, "%s\t%s: %.*s\n", all.v[i].id, o == SKIP ? "unsupported" : "fails",
                    (int)strcspn(w, "\n"), w);
        }
        was_passing = strv_has(&expected, all.v[i].id);
        if (o == PASS) {
            npass++;
            strv_push(&passing, kg_strdup(all.v[i].id));
        } else {
            o == SKIP ? nskip++ : nfail++;
            if (was_passing) {
                regressions++;
                fprintf(stderr, "REGRESSION %s\n", all.v[i].id);
            }
            if (verbose || was_passing)
                fprintf(stderr, "%s %s (line %d)\n%s\n", o == SKIP ? "SKIP" : "FAIL",
                        all.v[i].id, all.v[i].line, why.data ? why.data : "");
        }
        kg_buf_free(&why);
    }
    if (update) {
        FILE *f = fopen(update, "w");
        if (!f) {
            fprintf(stderr, "tck_runner: cannot write %s\n", update);
            return 2;
        }
        fprintf(f, "# openCypher TCK scenarios that pass; the test fails if one stops passing.\n");
        strv_sort(&passing);
        for (size_t i = 0; i < passing.n; i++) fprintf(f, "%s\n", passing.v[i]);
        fclose(f);
    }
    if (mf) fclose(mf);
    for (size_t f = 0; f < folders.n; f++)
        printf("%-28s %4d / %4d\n", folders.v[f], fpass[f], ftotal[f]);
    strv_free(&folders);
    printf("tck: %d of %d scenarios pass, %d fail, %d use unsupported steps; "
           "%d regressions\n", npass, npass + nfail + nskip, nfail, nskip, regressions);
    strv_free(&files);
    strv_free(&expected);
    strv_free(&passing);
    tck_scenarios_free(&all);
    return regressions ? 1 : 0;
}
