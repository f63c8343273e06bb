/* tck_feature.c - a reader for the Gherkin subset the openCypher TCK uses.
 *
 * Scenarios, Scenario Outlines with their Examples tables (each example row
 * becomes its own scenario with <placeholders> substituted), steps with an
 * optional """ doc string or | table. Tags, comments and the Feature line
 * are skipped. That is all the TCK needs, so the reader stays this small.
 */
#include "tck.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s)
{
    char *d = kg_strdup(s);
    if (d == NULL) abort(); /* a test tool: no recovery from OOM */
    return d;
}

static void *xrealloc(void *p, size_t n)
{
    p = kg_realloc(p, n);
    if (p == NULL) abort();
    return p;
}

static char *trim(char *s)
{
    char *e;
    while (isspace((unsigned char)*s)) s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

/* Split "| a | b \| c |" into cells with Gherkin's escapes: "\|" is a
 * pipe, "\\" a backslash, "\n" a newline; another backslash stays. */
static void parse_row(tck_row *row, const char *line)
{
    const char *p = strchr(line, '|');
    kg_buf cell = KG_BUF_INIT;
    row->cells = NULL;
    row->ncols = 0;
    if (p == NULL) return;
    p++;
    for (; *p; p++) {
        if (*p == '\\' && (p[1] == '|' || p[1] == '\\' || p[1] == 'n')) {
            kg_buf_putc(&cell, p[1] == 'n' ? '\n' : p[1]);
            p++;
        } else if (*p == '|') {
            char *c = xstrdup(cell.data ? cell.data : "");
            row->cells = xrealloc(row->cells, sizeof(char *) * (row->ncols + 1));
            row->cells[row->ncols++] = xstrdup(trim(c));
            kg_free(c);
            kg_buf_reset(&cell);
        } else {
            kg_buf_putc(&cell, *p);
        }
    }
    kg_buf_free(&cell);
}

static void table_add(tck_table *t, const char *line)
{
    t->rows = xrealloc(t->rows, sizeof(tck_row) * (t->nrows + 1));
    parse_row(&t->rows[t->nrows++], line);
}

static void table_free(tck_table *t)
{
    for (int i = 0; i < t->nrows; i++) {
        for (int j = 0; j < t->rows[i].ncols; j++) kg_free(t->rows[i].cells[j]);
        kg_free(t->rows[i].cells);
    }
    kg_free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

static void scenario_free(tck_scenario *s)
{
    for (int i = 0; i < s->nsteps; i++) {
        kg_free(s->steps[i].text);
        kg_free(s->steps[i].doc);
        table_free(&s->steps[i].table);
    }
    kg_free(s->steps);
    kg_free(s->feature);
    kg_free(s->folder);
    kg_free(s->name);
    kg_free(s->id);
}

void tck_scenarios_free(tck_scenarios *s)
{
    for (int i = 0; i < s->n; i++) scenario_free(&s->v[i]);
    kg_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* Replace every <name> of the outline header with the example's cell. */
static char *substitute(const char *text, const tck_row *head,
                        const tck_row *ex)
{
    kg_buf b = KG_BUF_INIT;
    const char *p = text;
    while (*p) {
        int done = 0;
        if (*p == '<') {
            for (int i = 0; i < head->ncols && i < ex->ncols; i++) {
                size_t n = strlen(head->cells[i]);
                if (strncmp(p + 1, head->cells[i], n) == 0 && p[1 + n] == '>') {
                    kg_buf_puts(&b, ex->cells[i]);
                    p += n + 2;
                    done = 1;
                    break;
                }
            }
        }
        if (!done) kg_buf_putc(&b, *p++);
    }
    if (b.data == NULL) return xstrdup("");
    return kg_buf_detach(&b);
}

/* Deep-copy one step, substituting an outline's example row when given. */
static void copy_step(tck_step *dst, const tck_step *src, const tck_row *head,
                      const tck_row *ex)
{
    dst->line = src->line;
    dst->text = head ? substitute(src->text, head, ex) : xstrdup(src->text);
    if (src->doc)
        dst->doc = head ? substitute(src->doc, head, ex) : xstrdup(src->doc);
    for (int r = 0; r < src->table.nrows; r++) {
        kg_buf line = KG_BUF_INIT;
        kg_buf_putc(&line, '|');
        for (int c = 0; c < src->table.rows[r].ncols; c++) {
            char *cell = head ? substitute(src->table.rows[r].cells[c], head, ex)
                              : xstrdup(src->table.rows[r].cells[c]);
            for (char *q = cell; *q; q++) {
                if (*q == '|' || *q == '\\') kg_buf_putc(&line, '\\');
                if (*q == '\n') {
                    kg_buf_puts(&line, "\\n");
                    continue;
                }
                kg_buf_putc(&line, *q);
            }
            kg_buf_putc(&line, '|');
            kg_free(cell);
        }
        table_add(&dst->table, line.data);
        kg_buf_free(&line);
    }
}

/* One runnable scenario: the feature's Background steps, then tpl's. */
static void push_scenario(tck_scenarios *out, const tck_scenario *bg,
                          const tck_scenario *tpl, const tck_row *head,
                          const tck_row *ex, int k)
{
    tck_scenario s;
    char idbuf[32];
    kg_buf id = KG_BUF_INIT;
    int nbg = bg ? bg->nsteps : 0;
    memset(&s, 0, sizeof s);
    s.feature = xstrdup(tpl->feature);
    s.folder = xstrdup(tpl->folder);
    s.name = head ? substitute(tpl->name, head, ex) : xstrdup(tpl->name);
    s.line = tpl->line;
    kg_buf_printf(&id, "%s %s", tpl->feature, tpl->name);
    if (head) {
        snprintf(idbuf, sizeof idbuf, " #%d", k);
        kg_buf_puts(&id, idbuf);
    }
    s.id = kg_buf_detach(&id);
    s.nsteps = nbg + tpl->nsteps;
    s.steps = kg_calloc((size_t)s.nsteps + 1, sizeof(tck_step));
    if (s.steps == NULL) abort();
    for (int i = 0; i < nbg; i++) copy_step(&s.steps[i], &bg->steps[i], NULL, NULL);
    for (int i = 0; i < tpl->nsteps; i++)
        copy_step(&s.steps[nbg + i], &tpl->steps[i], head, ex);
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->v = xrealloc(out->v, sizeof(tck_scenario) * out->cap);
    }
    out->v[out->n++] = s;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *step_text(const char *s)
{
    static const char *const kw[] = {"Given ", "When ", "Then ", "And ", "But "};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (starts(s, kw[i])) return s + strlen(kw[i]);
    return NULL;
}

/* Flush the scenario being read: plain, or one per Examples row. */
static void flush(tck_scenarios *out, const tck_scenario *bg, tck_scenario *cur,
                  tck_table *examples, int outline)
{
    if (cur->name == NULL) return;
    if (!outline) {
        push_scenario(out, bg, cur, NULL, NULL, 0);
    } else {
        for (int r = 1; r < examples->nrows; r++)
            push_scenario(out, bg, cur, &examples->rows[0], &examples->rows[r], r);
    }
    scenario_free(cur);
    memset(cur, 0, sizeof *cur);
    table_free(examples);
}

/* One line of any length (the TCK has 10,000-character literals) into b;
 * NULL at the end of the file. */
static char *read_line(FILE *f, kg_buf *b)
{
    char chunk[4096];
    kg_buf_reset(b);
    while (fgets(chunk, sizeof chunk, f)) {
        kg_buf_puts(b, chunk);
        if (b->oom) abort();
        if (b->len && b->data[b->len - 1] == '\n') break;
    }
    return b->len ? b->data : NULL;
}

int tck_feature_read(tck_scenarios *out, const char *path, kg_error *err)
{
    FILE *f = fopen(path, "r");
    char *line, *stem, *slash, *dot, *folder;
    kg_buf lb = KG_BUF_INIT;
    tck_scenario cur, bg;
    tck_table examples = {NULL, 0};
    int outline = 0, in_doc = 0, in_examples = 0, lineno = 0, in_bg = 0;
    size_t doc_indent = 0;
    kg_buf doc = KG_BUF_INIT;

    if (f == NULL)
        return kg_error_set(err, KG_EIO, path, (kg_span){0, 0},
                            "cannot open feature file");
    memset(&cur, 0, sizeof cur);
    memset(&bg, 0, sizeof bg);
    slash = strrchr(path, '/');
    stem = xstrdup(slash ? slash + 1 : path);
    if ((dot = strrchr(stem, '.')) != NULL) *dot = '\0';
    /* "…/features/clauses/match/Match1.feature" -> "clauses/match" */
    folder = xstrdup(path);
    if ((slash = strrchr(folder, '/')) != NULL) *slash = '\0';
    {
        char *at = strstr(folder, "features/");
        if (at) memmove(folder, at + 9, strlen(at + 9) + 1);
    }

    while ((line = read_line(f, &lb)) != NULL) {
        char *t;
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        t = trim(line);
        if (in_doc) {
            if (strcmp(t, "\"\"\"") == 0) {
                tck_step *st = &cur.steps[cur.nsteps - 1];
                st->doc = xstrdup(doc.data ? doc.data : "");
                kg_buf_reset(&doc);
                in_doc = 0;
            } else {
                size_t skip = 0;
                while (skip < doc_indent && line[skip] == ' ') skip++;
                if (doc.len) kg_buf_putc(&doc, '\n');
                kg_buf_puts(&doc, line + skip);
            }
            continue;
        }
        if (*t == '\0' || *t == '#' || *t == '@') continue;
        if (starts(t, "Background:")) {
            /* Its steps open every scenario of the feature. */
            flush(out, &bg, &cur, &examples, outline);
            cur.feature = xstrdup(stem);
            cur.folder = xstrdup(folder);
            cur.name = xstrdup("Background");
            outline = 0;
            in_bg = 1;
        } else if (starts(t, "Scenario Outline:") || starts(t, "Scenario:")) {
            if (in_bg) {
                bg = cur;
                memset(&cur, 0, sizeof cur);
                in_bg = 0;
            } else {
                flush(out, &bg, &cur, &examples, outline);
            }
            outline = starts(t, "Scenario Outline:");
            in_examples = 0;
            cur.feature = xstrdup(stem);
            cur.folder = xstrdup(folder);
            cur.name = xstrdup(trim(strchr(t, ':') + 1));
            cur.line = lineno;
        } else if (starts(t, "Examples:")) {
            in_examples = 1;
        } else if (*t == '|') {
            if (in_examples) table_add(&examples, t);
            else if (cur.nsteps) table_add(&cur.steps[cur.nsteps - 1].table, t);
        } else if (strcmp(t, "\"\"\"") == 0 && cur.nsteps) {
            in_doc = 1;
            doc_indent = (size_t)(t - line);
        } else if (step_text(t) && cur.name) {
            cur.steps = xrealloc(cur.steps, sizeof(tck_step) * (cur.nsteps + 1));
            memset(&cur.steps[cur.nsteps], 0, sizeof(tck_step));
            cur.steps[cur.nsteps].text = xstrdup(step_text(t));
            cur.steps[cur.nsteps].line = lineno;
            cur.nsteps++;
        }
    }
    flush(out, &bg, &cur, &examples, outline);
    scenario_free(&bg);
    kg_buf_free(&doc);
    kg_buf_free(&lb);
    kg_free(stem);
    kg_free(folder);
    fclose(f);
    return KG_OK;
}
