/* out.c - the one output layer: writes, colour, terminal size, the sink.
 *
 * Every byte of a result passes through kg_out, so there is one place that
 * decides whether to colour, one place that escapes text coming from notes
 * (kg_out__safe, via kg_buf_put_safe), and one place that can capture output
 * into memory instead of writing it (the pager measures the height of a
 * result before deciding to page it). The sink is the row-at-a-time face
 * the query runner and the info commands print through; the mode table in
 * out_modes.c decides what each row becomes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "shell_int.h"

/* ---- writing ---- */

void kg_out__put(kg_out *o, const char *s, size_t len)
{
    if (len == 0 || o->failed) return;
    if (o->cap != NULL) {
        if (kg_buf_put(o->cap, s, len) < 0) o->failed = 1;
        return;
    }
    if (fwrite(s, 1, len, o->fp) != len) o->failed = 1;
}

void kg_out__puts(kg_out *o, const char *s)
{
    kg_out__put(o, s, strlen(s));
}

void kg_out__printf(kg_out *o, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        kg_out__put(o, small, (size_t)n);
    } else {
        kg_buf b = KG_BUF_INIT;
        va_start(ap, fmt);
        kg_buf_vprintf(&b, fmt, ap);
        va_end(ap);
        if (b.oom)
            o->failed = 1;
        else
            kg_out__put(o, b.data, b.len);
        kg_buf_free(&b);
    }
}

void kg_out__safe(kg_out *o, const char *s, size_t len)
{
    kg_buf b = KG_BUF_INIT;

    if (kg_buf_put_safe(&b, s, len) < 0) {
        o->failed = 1;
    } else {
        kg_out__put(o, b.data, b.len);
    }
    kg_buf_free(&b);
}

void kg_out__sgr(kg_out *o, const char *code)
{
    if (!o->color) return;
    kg_out__puts(o, "\x1b[");
    kg_out__puts(o, code != NULL ? code : "0");
    kg_out__puts(o, "m");
}

/* ---- the terminal ---- */

size_t kg_out__term_width(int fd)
{
    struct winsize ws;
    const char *cols;

    if (!isatty(fd)) return 0;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    cols = getenv("COLUMNS");
    if (cols != NULL && atoi(cols) > 0) return (size_t)atoi(cols);
    return 80;
}

size_t kg_out__term_rows(int fd)
{
    struct winsize ws;
    const char *rows;

    if (!isatty(fd)) return 0;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws.ws_row;
    rows = getenv("LINES");
    if (rows != NULL && atoi(rows) > 0) return (size_t)atoi(rows);
    return 24;
}

/* https://no-color.org: NO_COLOR set to anything non-empty turns colour
 * off; so does a dumb terminal or output that is not a terminal. */
int kg_out__color_ok(int fd)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");

    if (nc != NULL && nc[0] != '\0') return 0;
    if (term != NULL && strcmp(term, "dumb") == 0) return 0;
    return isatty(fd);
}

/* ---- the sink ---- */

int kg_sink__begin(kg_sink *s, kg_shell *sh, kg_out *out, size_t ncols,
                   const char *const *names, const kg_graph *g)
{
    size_t i;

    memset(s, 0, sizeof *s);
    s->out = out;
    s->mode = sh->mode;
    s->m = kg_mode__info(sh->mode);
    s->headers = sh->headers >= 0 ? sh->headers : s->m->header;
    s->g = g;
    s->ncols = ncols;
    /* Head and tail only pay off when someone reads the result on a
     * screen; a pipe gets every row unless .maxrows was set on purpose. */
    if (s->m->aligned && (out->tty || sh->maxrows_set))
        s->maxrows = sh->maxrows;
    s->width = out->tty ? kg_out__term_width(STDOUT_FILENO) : 0;
    if (ncols > 0) {
        s->names = kg_calloc(ncols, sizeof *s->names);
        if (s->names == NULL) return KG_ENOMEM;
        for (i = 0; i < ncols; i++) {
            s->names[i] = kg_strdup(names[i] != NULL ? names[i] : "");
            if (s->names[i] == NULL) return KG_ENOMEM;
        }
    }
    if (s->m->begin != NULL) s->m->begin(s);
    return KG_OK;
}

static void cells_free(kg_cell *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        kg_free(c[i].text);
}

/* Fill ncols cells from vals: display text made safe, width measured. */
static int cells_fill(kg_sink *s, kg_cell *c, const kg_value *vals)
{
    size_t i;

    for (i = 0; i < s->ncols; i++) {
        kg_buf_reset(&s->tmp);
        if (vals[i].type == KG_VNULL) {
            kg_buf_puts(&s->tmp, s->m->null_text);
        } else {
            kg_mode__text(&s->tmp, s->g, &vals[i]);
        }
        if (s->tmp.oom) return KG_ENOMEM;
        kg_free(c[i].text);
        c[i].text =
            kg_strndup(s->tmp.data != NULL ? s->tmp.data : "", s->tmp.len);
        if (c[i].text == NULL) return KG_ENOMEM;
        c[i].len = (uint32_t)s->tmp.len;
        c[i].width = (uint32_t)kg_utf8_width(c[i].text, s->tmp.len);
        c[i].type = vals[i].type;
    }
    return KG_OK;
}

/* Aligned modes keep the first rows in head and the last ones in a ring,
 * so a million-row result shown with .maxrows 40 holds 40 rows. */
static int aligned_row(kg_sink *s, const kg_value *vals)
{
    size_t headcap = s->maxrows == 0 ? SIZE_MAX : (s->maxrows + 1) / 2;
    kg_cell *slot;

    if (s->nhead < headcap) {
        if (s->nhead == s->caphead) {
            size_t ncap = s->caphead ? s->caphead * 2 : 16, bytes;
            kg_cell *nc;
            if (kg_mul_overflow(&bytes, ncap, s->ncols * sizeof *nc))
                return KG_ENOMEM;
            nc = kg_realloc(s->head, bytes);
            if (nc == NULL) return KG_ENOMEM;
            memset(nc + s->caphead * s->ncols, 0,
                   (ncap - s->caphead) * s->ncols * sizeof *nc);
            s->head = nc;
            s->caphead = ncap;
        }
        slot = s->head + s->nhead * s->ncols;
        s->nhead++;
        return cells_fill(s, slot, vals);
    }
    if (s->captail == 0) {
        s->captail = s->maxrows / 2;
        if (s->captail == 0) return KG_OK;
        s->tail = kg_calloc(s->captail * s->ncols, sizeof *s->tail);
        if (s->tail == NULL) return KG_ENOMEM;
    }
    slot = s->tail + (s->tailpos % s->captail) * s->ncols;
    s->tailpos++;
    if (s->ntail < s->captail) s->ntail++;
    return cells_fill(s, slot, vals);
}

int kg_sink__row(kg_sink *s, const kg_value *vals)
{
    int rc = KG_OK;

    s->nrows++;
    if (s->m->aligned) {
        rc = aligned_row(s, vals);
        if (rc < 0) s->oom = 1;
    } else if (s->m->row != NULL) {
        s->m->row(s, vals);
    }
    return rc;
}

void kg_sink__free(kg_sink *s)
{
    size_t i;

    if (s->names != NULL) {
        for (i = 0; i < s->ncols; i++)
            kg_free(s->names[i]);
        kg_free(s->names);
    }
    if (s->head != NULL) {
        cells_free(s->head, s->nhead * s->ncols);
        kg_free(s->head);
    }
    if (s->tail != NULL) {
        cells_free(s->tail, s->ntail * s->ncols);
        kg_free(s->tail);
    }
    kg_buf_free(&s->tmp);
    memset(s, 0, sizeof *s);
}

void kg_sink__end(kg_sink *s)
{
    if (s->m != NULL) {
        if (s->m->aligned)
            kg_render__table(s);
        else if (s->m->end != NULL)
            s->m->end(s);
    }
    kg_sink__free(s);
}

/* ---- tables built by the shell's own commands ---- */

int kg_table__begin(kg_table *t, kg_shell *sh, const char *const *names,
                    size_t ncols, const kg_graph *g)
{
    memset(t, 0, sizeof *t);
    t->sh = sh;
    t->ncols = ncols < KG_TABLE_MAX_COLS ? ncols : KG_TABLE_MAX_COLS;
    t->o = kg_shell__out_begin(sh);
    if (kg_sink__begin(&t->sink, sh, t->o, t->ncols, names, g) < 0) {
        kg_sink__free(&t->sink);
        kg_shell__out_end(sh);
        return KG_ENOMEM;
    }
    t->open = 1;
    return KG_OK;
}

void kg_table__cell(kg_table *t, size_t i, kg_value v)
{
    if (i >= t->ncols) {
        kg_value_release(&v);
        return;
    }
    kg_value_release(&t->row[i]);
    t->row[i] = v;
}

void kg_table__str(kg_table *t, size_t i, const char *s)
{
    kg_table__cell(t, i,
                   s != NULL ? kg_value_string(s, strlen(s)) : KG_NULL_VALUE);
}

void kg_table__int(kg_table *t, size_t i, int64_t n)
{
    kg_table__cell(t, i, kg_value_int(n));
}

int kg_table__row(kg_table *t)
{
    size_t i;
    int rc = kg_sink__row(&t->sink, t->row);

    for (i = 0; i < t->ncols; i++)
        kg_value_release(&t->row[i]);
    return rc;
}

void kg_table__end(kg_table *t, int footer)
{
    uint64_t rows = t->sink.nrows;
    size_t i;

    for (i = 0; i < t->ncols; i++)
        kg_value_release(&t->row[i]);
    if (!t->open) return;
    kg_sink__end(&t->sink);
    if (footer) kg_shell__footer(t->sh, t->o, rows, 1, 0, NULL);
    kg_shell__out_end(t->sh);
    t->open = 0;
}
