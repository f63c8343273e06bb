/* cli.c - running statements: lines in, statements out, results printed.
 *
 * One path serves the REPL, `-c`, script files, piped stdin, `.read` and
 * the rc file: lines go into a kg_feed, which cuts statements at ';'
 * (split.c), sends dot-command lines to dot.c, and runs each statement as
 * soon as it is complete. Positions travel with the text, so an error in the
 * 12th line of a script is reported as script.cypher:12:5 with the caret
 * under the right byte, by kg_error_print.
 *
 * A query runs prepare / step / free (kg_query.h) straight into a sink
 * (out.c): streaming modes print each row as it comes, so a pipe sees the
 * first rows of a large result at once. The rows of the last result are
 * kept (up to KG_SHELL_KEEP_ROWS) for .last and, as node and relationship
 * ids, for .export.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shell_int.h"

/* ---- outcomes and messages ---- */

void kg_shell__fail(kg_shell *sh, int exit_code)
{
    if (exit_code > sh->status) sh->status = exit_code;
}

int kg_shell__exit_code(int status)
{
    switch (status) {
    case KG_OK:
        return KG_EXIT_OK;
    case KG_EIO:
    case KG_ESTORE:
    case KG_ENOMEM:
    case KG_EGIT:
    case KG_EBUSY:
        return KG_EXIT_USAGE;
    default:
        return KG_EXIT_ERROR;
    }
}

double kg_shell__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Errors go to stderr after whatever the result stream holds, so that a
 * terminal (or a 2>&1 pipe) shows them in the order they happened. */
static void before_stderr(kg_shell *sh)
{
    fflush(stdout);
    if (sh->redirect != NULL) fflush(sh->redirect);
}

void kg_shell__report(kg_shell *sh, kg_error *err, const char *text, size_t len,
                      const kg_srcpos *pos)
{
    kg_error e = *err;

    kg_shell__fail(sh, kg_shell__exit_code(e.code));
    if (e.msg[0] == '\0') return; /* reported where it happened */
    before_stderr(sh);
    if (e.code == KG_EINTERRUPT) {
        fputs("Interrupted.\n", stderr);
        return;
    }
    if (pos != NULL && text != NULL) {
        /* the span is into the statement; the position is into its source */
        e.source = pos->name;
        e.line = 0;
        kg_error_locate(&e, text, len);
        if (e.line == 1) e.col += pos->col - 1;
        e.line += pos->line - 1;
    } else if (e.source == NULL && pos != NULL && !sh->interactive) {
        e.source = pos->name; /* a dot-command's line in a script */
        e.line = pos->line;
        e.col = pos->col;
    }
    kg_error_print(stderr, &e, text, text != NULL ? len : 0);
}

static void vmessage(kg_shell *sh, const char *kind, const char *fmt,
                     va_list ap)
{
    kg_buf b = KG_BUF_INIT, safe = KG_BUF_INIT;

    before_stderr(sh);
    if (sh->pos != NULL && !sh->interactive)
        kg_buf_printf(&b, "%s:%u:%u: ", sh->pos->name, (unsigned)sh->pos->line,
                      (unsigned)sh->pos->col);
    kg_buf_puts(&b, kind);
    kg_buf_vprintf(&b, fmt, ap);
    /* messages may quote note text or arguments: keep them inert */
    kg_buf_put_safe(&safe, b.data ? b.data : "", b.len);
    kg_buf_putc(&safe, '\n');
    if (!safe.oom) fwrite(safe.data, 1, safe.len, stderr);
    kg_buf_free(&b);
    kg_buf_free(&safe);
}

void kg_shell__errorf(kg_shell *sh, const char *fmt, ...)
{
    va_list ap;

    kg_shell__fail(sh, KG_EXIT_ERROR);
    va_start(ap, fmt);
    vmessage(sh, "error: ", fmt, ap);
    va_end(ap);
}

void kg_shell__notef(kg_shell *sh, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmessage(sh, "", fmt, ap);
    va_end(ap);
}

/* ---- the per-statement output stream ---- */

kg_out *kg_shell__out_begin(kg_shell *sh)
{
    FILE *fp = sh->once != NULL       ? sh->once
               : sh->redirect != NULL ? sh->redirect
                                      : stdout;

    memset(&sh->out, 0, sizeof sh->out);
    sh->out.fp = fp;
    sh->out.tty = fp == stdout && sh->stdout_tty;
    sh->out.color = fp == stdout && sh->color;
    sh->capturing = 0;
    if (fp == stdout && sh->interactive && sh->stdout_tty && sh->pager) {
        kg_buf_reset(&sh->capture);
        sh->out.cap = &sh->capture;
        sh->capturing = 1;
    }
    return &sh->out;
}

void kg_shell__out_end(kg_shell *sh)
{
    int failed = sh->out.failed;

    if (sh->capturing) {
        if (kg_pager__show(sh, sh->capture.data, sh->capture.len) < 0)
            failed = 1;
        kg_buf_reset(&sh->capture);
        sh->capturing = 0;
    }
    if (sh->out.fp != NULL && fflush(sh->out.fp) != 0) failed = 1;
    if (failed && errno != EPIPE)
        kg_shell__errorf(sh, "cannot write the output: %s", strerror(errno));
    if (sh->once != NULL) {
        if (fclose(sh->once) != 0 && !failed)
            kg_shell__errorf(sh, "cannot write the output: %s",
                             strerror(errno));
        sh->once = NULL;
    }
    sh->out.fp = NULL;
    sh->out.cap = NULL;
}

static void stat_part(kg_buf *b, uint64_t n, const char *one, const char *many)
{
    if (n == 0) return;
    if (b->len > 0) kg_buf_puts(b, ", ");
    kg_buf_printf(b, "%llu %s", (unsigned long long)n, n == 1 ? one : many);
}

void kg_shell__footer(kg_shell *sh, kg_out *o, uint64_t rows, int had_cols,
                      double ms, const kg_query_stats *st)
{
    kg_buf b = KG_BUF_INIT;
    const kg_mode_info *m = kg_mode__info(sh->mode);
    int show = o->tty || (m->aligned && sh->mode != KG_MODE_MARKDOWN);
    size_t shown = 0;

    if (st != NULL) {
        stat_part(&b, st->nodes_created, "node created", "nodes created");
        stat_part(&b, st->rels_created, "relationship created",
                  "relationships created");
        stat_part(&b, st->nodes_deleted, "node deleted", "nodes deleted");
        stat_part(&b, st->rels_deleted, "relationship deleted",
                  "relationships deleted");
        stat_part(&b, st->props_set, "property set", "properties set");
        stat_part(&b, st->labels_added, "label added", "labels added");
        stat_part(&b, st->labels_removed, "label removed", "labels removed");
    }
    if (had_cols || b.len == 0) {
        kg_buf c = KG_BUF_INIT;
        if (m->aligned && sh->maxrows > 0 && (o->tty || sh->maxrows_set) &&
            rows > sh->maxrows)
            shown = sh->maxrows;
        kg_buf_printf(&c, "%llu row%s", (unsigned long long)rows,
                      rows == 1 ? "" : "s");
        if (shown) kg_buf_printf(&c, " (%zu shown)", shown);
        if (b.len > 0) kg_buf_printf(&c, "; %s", b.data);
        kg_buf_free(&b);
        b = c;
    }
    if (sh->timer) kg_buf_printf(&b, " (%.3f ms)", ms);
    if (!b.oom) {
        if (show) {
            kg_out__sgr(o, KG_SGR_DIM);
            kg_out__put(o, b.data, b.len);
            kg_out__sgr(o, NULL);
            kg_out__put(o, "\n", 1);
        } else if (sh->timer) {
            /* keep machine-readable output clean: the time goes aside */
            before_stderr(sh);
            fprintf(stderr, "Run time: %.3f ms\n", ms);
        }
    }
    kg_buf_free(&b);
}

/* ---- the last result ---- */

void kg_result__free(kg_result *r)
{
    size_t i;

    kg_free(r->query);
    if (r->names != NULL) {
        for (i = 0; i < r->ncols; i++)
            kg_free(r->names[i]);
        kg_free(r->names);
    }
    for (i = 0; i < r->nrows * r->ncols; i++)
        kg_value_release(&r->cells[i]);
    kg_free(r->cells);
    kg_free(r->nodes);
    kg_free(r->edges);
    memset(r, 0, sizeof *r);
}

static int result_init(kg_result *r, const char *text, size_t len, kg_query *q)
{
    size_t i;

    kg_result__free(r);
    r->query = kg_strndup(text, len);
    r->ncols = kg_query_ncols(q);
    r->names = kg_calloc(r->ncols ? r->ncols : 1, sizeof *r->names);
    if (r->query == NULL || r->names == NULL) return KG_ENOMEM;
    for (i = 0; i < r->ncols; i++) {
        const char *n = kg_query_colname(q, i);
        r->names[i] = kg_strdup(n != NULL ? n : "");
        if (r->names[i] == NULL) return KG_ENOMEM;
    }
    r->g = kg_query_graph(q);
    return KG_OK;
}

static int push_id(kg_id **arr, size_t *n, size_t *cap, kg_id id)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        kg_id *na = kg_realloc(*arr, ncap * sizeof *na);
        if (na == NULL) return KG_ENOMEM;
        *arr = na;
        *cap = ncap;
    }
    (*arr)[(*n)++] = id;
    return KG_OK;
}

/* Every node and relationship a value holds, at any depth, joins the
 * result's subgraph; a relationship brings its two ends. */
static int collect(kg_result *r, const kg_value *v)
{
    uint32_t i;
    int rc = KG_OK;

    switch (v->type) {
    case KG_VNODE:
        return push_id(&r->nodes, &r->nnodes, &r->capnodes, v->u.id);
    case KG_VREL:
        rc = push_id(&r->edges, &r->nedges, &r->capedges, v->u.id);
        if (rc == KG_OK && r->g != NULL &&
            kg_graph_alive(r->g, KG_EDGE, v->u.id)) {
            rc = push_id(&r->nodes, &r->nnodes, &r->capnodes,
                         kg_graph_edge_src(r->g, v->u.id));
            if (rc == KG_OK)
                rc = push_id(&r->nodes, &r->nnodes, &r->capnodes,
                             kg_graph_edge_dst(r->g, v->u.id));
        }
        return rc;
    case KG_VLIST:
    case KG_VPATH:
        for (i = 0; i < v->u.list->len && rc == KG_OK; i++)
            rc = collect(r, &v->u.list->items[i]);
        return rc;
    case KG_VMAP:
        for (i = 0; i < v->u.map->len && rc == KG_OK; i++)
            rc = collect(r, &v->u.map->vals[i]);
        return rc;
    default:
        return KG_OK;
    }
}

static int result_row(kg_result *r, const kg_value *vals)
{
    size_t i;
    int rc = KG_OK;

    r->total++;
    for (i = 0; i < r->ncols && rc == KG_OK; i++)
        rc = collect(r, &vals[i]);
    if (rc < 0 || r->nrows >= KG_SHELL_KEEP_ROWS || r->ncols == 0) return rc;
    if (r->nrows == r->caprows) {
        size_t ncap = r->caprows ? r->caprows * 2 : 32;
        kg_value *nc = kg_realloc(r->cells, ncap * r->ncols * sizeof *nc);
        if (nc == NULL) return KG_ENOMEM;
        r->cells = nc;
        r->caprows = ncap;
    }
    for (i = 0; i < r->ncols; i++)
        r->cells[r->nrows * r->ncols + i] = kg_value_retain(&vals[i]);
    r->nrows++;
    return KG_OK;
}

/* ---- one query ---- */

int kg_shell__query(kg_shell *sh, const char *text, size_t len,
                    const kg_srcpos *pos, int print, kg_result *res)
{
    kg_query_env env;
    kg_query *q = NULL;
    kg_error err;
    kg_sink sink;
    kg_out *o = NULL;
    kg_value *vals = NULL;
    kg_query_stats st;
    kg_result *r = res != NULL ? res : &sh->last;
    int rc, sink_open = 0;
    size_t i, ncols;
    double t0 = kg_shell__now_ms();

    kg_error_clear(&err);
    memset(&sink, 0, sizeof sink);
    if ((rc = kg_session__env(sh, &env, &err)) < 0) {
        kg_shell__report(sh, &err, NULL, 0, pos);
        return rc;
    }
    sh->use_vid = sh->version;
    if ((rc = kg_query_prepare(&q, &env, text, len, &err)) < 0) {
        kg_shell__report(sh, &err, text, len, pos);
        return rc;
    }
    ncols = kg_query_ncols(q);
    if ((rc = result_init(r, text, len, q)) < 0) goto oom;
    vals = kg_calloc(ncols ? ncols : 1, sizeof *vals);
    if (vals == NULL) goto oom;
    if (print) {
        o = kg_shell__out_begin(sh);
        if (ncols > 0) {
            if ((rc = kg_sink__begin(&sink, sh, o, ncols,
                                     (const char *const *)r->names,
                                     kg_query_graph(q))) < 0)
                goto oom;
            sink_open = 1;
        }
    }
    while ((rc = kg_query_step(q, &err)) == KG_ROW) {
        if (r->total == 0) { /* a USE may have switched graphs */
            r->g = kg_query_graph(q);
            sink.g = r->g;
        }
        for (i = 0; i < ncols; i++)
            vals[i] = *kg_query_col(q, i);
        if (result_row(r, vals) < 0) goto oom;
        if (sink_open && kg_sink__row(&sink, vals) < 0) goto oom;
    }
    kg_query_stats_get(q, &st);
    if (rc == KG_DONE) {
        if (sink_open) kg_sink__end(&sink);
        if (print)
            kg_shell__footer(sh, o, r->total, ncols > 0,
                             kg_shell__now_ms() - t0, &st);
    } else if (sink_open) {
        /* streamed rows are out already; a half-built table is not shown */
        if (!sink.m->aligned)
            kg_sink__end(&sink);
        else
            kg_sink__free(&sink);
    }
    if (print) kg_shell__out_end(sh);
    if (rc < 0)
        kg_shell__report(sh, &err, text, len, pos);
    else
        rc = KG_OK;
    if (rc == KG_OK && kg_query_writes(q) && !sh->warned_writes &&
        sh->interactive) {
        sh->warned_writes = 1;
        kg_shell__notef(sh, "Note: changes stay in this session's memory; "
                            "the store changes only by sync.");
    }
    goto done;
oom:
    kg_sink__free(&sink);
    if (print && o != NULL) kg_shell__out_end(sh);
    kg_error_set(&err, KG_ENOMEM, NULL, (kg_span){0, 0}, "out of memory");
    kg_shell__report(sh, &err, NULL, 0, pos);
    rc = KG_ENOMEM;
done:
    kg_free(vals);
    kg_query_free(q);
    return rc;
}

/* ---- feeding lines ---- */

void kg_feed__init(kg_feed *f, const char *name, int interactive)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    f->interactive = interactive;
    f->buf_line = 1;
    f->buf_col = 1;
}

void kg_feed__free(kg_feed *f)
{
    kg_buf_free(&f->buf);
}

/* Move pos over text[0..n). */
static void advance(uint32_t *line, uint32_t *col, const char *text, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static void consume(kg_feed *f, size_t n)
{
    advance(&f->buf_line, &f->buf_col, f->buf.data, n);
    memmove(f->buf.data, f->buf.data + n, f->buf.len - n);
    f->buf.len -= n;
    f->buf.data[f->buf.len] = '\0';
}

/* Ctrl-C ends the rest of the input line at the prompt, and the rest of
 * a script (the flag is cleared by the REPL before each line). */
static int stopping(const kg_shell *sh)
{
    return sh->quit || sh->interrupt || (sh->bail && sh->status != KG_EXIT_OK);
}

/* Run text[0..len) of f's buffer as one statement, leading space trimmed
 * so that the caret line is the statement's own. */
static void run_statement(kg_shell *sh, kg_feed *f, size_t len)
{
    kg_srcpos pos;
    size_t lead = 0;
    const char *text = f->buf.data;

    pos.name = f->name;
    pos.line = f->buf_line;
    pos.col = f->buf_col;
    while (lead < len && (text[lead] == ' ' || text[lead] == '\t' ||
                          text[lead] == '\n' || text[lead] == '\r'))
        lead++;
    advance(&pos.line, &pos.col, text, lead);
    sh->pos = &pos;
    kg_shell__query(sh, text + lead, len - lead, &pos, 1, NULL);
    sh->pos = NULL;
}

/* 1: text prepares; 0: the parser wants more (error at the very end);
 * -1: a real error, reported. */
static int complete(kg_shell *sh, kg_feed *f)
{
    kg_query_env env;
    kg_query *q = NULL;
    kg_error err;
    kg_srcpos pos = {f->name, f->buf_line, f->buf_col};

    kg_error_clear(&err);
    if (kg_session__env(sh, &env, &err) < 0) {
        kg_shell__report(sh, &err, NULL, 0, NULL);
        return -1;
    }
    if (kg_query_prepare(&q, &env, f->buf.data, f->buf.len, &err) == KG_OK) {
        kg_query_free(q);
        return 1;
    }
    if (err.code == KG_ESYNTAX && err.span.offset >= f->buf.len) return 0;
    kg_shell__report(sh, &err, f->buf.data, f->buf.len, &pos);
    return -1;
}

int kg_feed__line(kg_shell *sh, kg_feed *f, const char *line, size_t len)
{
    kg_split_state st;
    size_t end, i = 0;

    f->line++;
    if (f->buf.len == 0 || kg_split__blank(f->buf.data, f->buf.len)) {
        kg_buf_reset(&f->buf);
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i < len && line[i] == '.') {
            kg_srcpos pos = {f->name, f->line, (uint32_t)i + 1};
            const char *nul = memchr(line + i, '\0', len - i);
            sh->pos = &pos;
            /* Dot-commands read their words as C strings: a NUL would
             * silently cut the line there (".param a<NUL>b 1" would show
             * $a). Refuse the line instead. */
            if (nul != NULL) {
                kg_shell__errorf(sh,
                                 "a NUL byte at column %u of a dot-command "
                                 "line; the line is ignored",
                                 (unsigned)(nul - line) + 1);
                sh->pos = NULL;
                return 0;
            }
            kg_dot__run(sh, line + i, len - i, &pos);
            sh->pos = NULL;
            return 0;
        }
        f->buf_line = f->line;
        f->buf_col = 1;
    } else {
        kg_buf_putc(&f->buf, '\n');
    }
    kg_buf_put(&f->buf, line, len);
    if (f->buf.oom) {
        kg_shell__errorf(sh, "out of memory");
        kg_buf_free(&f->buf);
        return 0;
    }
    while ((end = kg_split__next(f->buf.data, f->buf.len, &st)) > 0) {
        if (!kg_split__blank(f->buf.data, end - 1))
            run_statement(sh, f, end - 1);
        consume(f, end);
        if (stopping(sh)) {
            kg_buf_reset(&f->buf);
            return 0;
        }
    }
    if (st.quote == 0 && !st.comment &&
        kg_split__blank(f->buf.data, f->buf.len)) {
        kg_buf_reset(&f->buf);
        return 0;
    }
    /* At the terminal, an empty line after a statement that is complete
     * but for its ';' runs it; a broken one is reported, not waited on. */
    if (f->interactive && len == 0 && st.quote == 0 && !st.comment) {
        int c = complete(sh, f);
        if (c != 0) {
            if (c > 0) run_statement(sh, f, f->buf.len);
            kg_buf_reset(&f->buf);
            return 0;
        }
    }
    return 1;
}

void kg_feed__finish(kg_shell *sh, kg_feed *f)
{
    if (f->buf.len > 0 && !kg_split__blank(f->buf.data, f->buf.len) &&
        !stopping(sh))
        run_statement(sh, f, f->buf.len);
    kg_buf_reset(&f->buf);
}

void kg_feed__state(const kg_feed *f, kg_split_state *st)
{
    memset(st, 0, sizeof *st);
    if (f->buf.len > 0) kg_split__next(f->buf.data, f->buf.len, st);
}

/* ---- scripts ---- */

int kg_shell__run_stream(kg_shell *sh, FILE *fp, const char *name)
{
    kg_feed f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    kg_feed__init(&f, name, 0);
    while (!stopping(sh) && (n = getline(&line, &cap, fp)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        kg_feed__line(sh, &f, line, (size_t)n);
    }
    if (ferror(fp) && !stopping(sh)) {
        kg_shell__errorf(sh, "cannot read %s: %s", name, strerror(errno));
        kg_shell__fail(sh, KG_EXIT_USAGE);
    }
    if (sh->interrupt && !sh->interactive) /* the script did not finish */
        kg_shell__fail(sh, KG_EXIT_ERROR);
    kg_feed__finish(sh, &f);
    kg_feed__free(&f);
    free(line); /* getline's buffer comes from malloc */
    return sh->status;
}

int kg_shell__run_string(kg_shell *sh, const char *text, const char *name)
{
    kg_feed f;
    const char *p = text, *nl;

    kg_feed__init(&f, name, 0);
    while (*p != '\0' && !stopping(sh)) {
        nl = strchr(p, '\n');
        if (nl == NULL) nl = p + strlen(p);
        kg_feed__line(sh, &f, p, (size_t)(nl - p));
        p = *nl == '\n' ? nl + 1 : nl;
    }
    kg_feed__finish(sh, &f);
    kg_feed__free(&f);
    return sh->status;
}

int kg_shell__run_file(kg_shell *sh, const char *path)
{
    FILE *fp;
    int interactive = sh->interactive;

    if (sh->read_depth >= (int)KG_SHELL_MAX_READ_DEPTH) {
        kg_shell__errorf(sh, "%s: files read each other more than %u deep",
                         path, KG_SHELL_MAX_READ_DEPTH);
        return KG_ELIMIT;
    }
    fp = fopen(path, "r");
    if (fp == NULL) {
        kg_shell__errorf(sh, "cannot open %s: %s", path, strerror(errno));
        return KG_EIO;
    }
    sh->read_depth++;
    sh->interactive = 0; /* a file's lines never wait at a prompt */
    kg_shell__run_stream(sh, fp, path);
    sh->interactive = interactive;
    sh->read_depth--;
    fclose(fp);
    return KG_OK;
}

/* ---- .last and .explain ---- */

int kg_shell__last(kg_shell *sh)
{
    kg_result *r = &sh->last;
    kg_sink sink;
    kg_out *o = kg_shell__out_begin(sh);
    size_t i;

    if (r->ncols > 0) {
        if (kg_sink__begin(&sink, sh, o, r->ncols,
                           (const char *const *)r->names, r->g) < 0) {
            kg_sink__free(&sink);
            kg_shell__out_end(sh);
            kg_shell__errorf(sh, "out of memory");
            return KG_ENOMEM;
        }
        for (i = 0; i < r->nrows; i++)
            kg_sink__row(&sink, r->cells + i * r->ncols);
        kg_sink__end(&sink);
    }
    kg_shell__footer(sh, o, r->nrows, r->ncols > 0, 0, NULL);
    kg_shell__out_end(sh);
    if (r->total > r->nrows)
        kg_shell__notef(sh, "(the first %zu of %llu rows were kept)", r->nrows,
                        (unsigned long long)r->total);
    return KG_OK;
}

int kg_shell__explain(kg_shell *sh, const char *text)
{
    kg_query_env env;
    kg_query *q = NULL;
    kg_error err;
    kg_buf b = KG_BUF_INIT;
    kg_srcpos pos = {"<query>", 1, 1};
    const char *p, *end, *nl;
    size_t len = strlen(text);
    int rc;

    while (len > 0 && (text[len - 1] == ';' || text[len - 1] == ' '))
        len--;
    kg_error_clear(&err);
    if ((rc = kg_session__env(sh, &env, &err)) < 0) {
        kg_shell__report(sh, &err, NULL, 0, sh->pos);
        return rc;
    }
    if ((rc = kg_query_prepare(&q, &env, text, len, &err)) < 0) {
        kg_shell__report(sh, &err, text, len, &pos);
        return rc;
    }
    rc = kg_query_explain(q, &b, 0);
    if (rc >= 0 && !b.oom && b.len > 0) {
        kg_shell__out_begin(sh);
        for (p = b.data, end = b.data + b.len; p < end; p = nl + 1) {
            /* line by line: the plan may quote the query's text */
            nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL) nl = end;
            kg_out__safe(&sh->out, p, (size_t)(nl - p));
            kg_out__puts(&sh->out, "\n");
        }
        kg_shell__out_end(sh);
    }
    kg_buf_free(&b);
    kg_query_free(q);
    return rc < 0 ? rc : KG_OK;
}
